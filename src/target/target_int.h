/*
 * Private interface of the targeting module (src/target), also used by outcomes (closing
 * targets) and evaluation (vessel targets over a window).
 */
#ifndef VIGIA_TARGET_INT_H
#define VIGIA_TARGET_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <vigia/status.h>
#include <vigia/target.h>

struct vg_store;

/* Normalises a UN/LOCODE into out (6 bytes). VG_EINVAL with a message otherwise. */
enum vg_status vg__target_port(const char *text, char out[6], struct vg_error *err);

/* The port's local day "YYYY-MM-DD" as [*start, *end) in UTC seconds. VG_EINVAL when the
 * date is not a real calendar day in that form. */
enum vg_status vg__target_day(
    const char *port, const char *date, int64_t *start, int64_t *end, struct vg_error *err);

/* The SQL expression of a trip's day time, over trips t LEFT JOIN port_calls pc: departure
 * (or loading, or the call's departure) for exports and transhipments, the call's arrival
 * for imports. Used in every query that places trips on a day. */
#define VG__TRIP_TIME_SQL                                                          \
 "(CASE WHEN t.direction = 'import' THEN coalesce(pc.ata, pc.eta, t.departure_at)" \
 " ELSE coalesce(t.departure_at, t.loaded_at, pc.atd, pc.etd) END)"

/* B/L numbers of a trip: the consignments of its port call that carry its container. */
#define VG__TRIP_BLS_SQL                                                            \
 "(SELECT group_concat(bl, ';') FROM (SELECT DISTINCT co.bl_number AS bl"           \
 " FROM consignment_equipment ce JOIN consignments co ON co.id = ce.consignment_id" \
 " WHERE ce.container_id = t.container_id AND co.port_call_id IS t.port_call_id"    \
 " ORDER BY co.bl_number))"

/* A voyage with suspect vessel events. */
struct vg__vessel_candidate {
    int64_t port_call_id;
    int64_t vessel_id;
    int64_t departure; /* the call's departure (actual, else estimated) */
    int64_t events;    /* encounters, loitering and gaps on the voyage */
    double score;      /* 1 - prod(1 - confidence): the chance that at least one event is
                          what it looks like, if each were independent */
    char port[6];
};

/*
 * Calls fn for every port call at port (NULL: any port) departing in [from, to) whose
 * voyage has at least one encounter, loitering or gap event (vessel_events.port_call_id),
 * in order of port call. fn returns non-zero to stop. VG_EDB on failure.
 */
enum vg_status vg__vessel_candidates(struct vg_store *store,
                                     const char *port,
                                     int64_t from,
                                     int64_t to,
                                     int (*fn)(void *user, const struct vg__vessel_candidate *c),
                                     void *user,
                                     struct vg_error *err);

/*
 * Closes the current pending target of trip_id (state "selected") as inspected, linking
 * inspection_id to it. *target_id gets the target (0 when none was pending). In the
 * caller's transaction.
 */
enum vg_status vg__target_close_inspected(struct vg_store *store,
                                          int64_t trip_id,
                                          int64_t inspection_id,
                                          int64_t *target_id,
                                          struct vg_error *err);

/* Registers the SQL functions vg_utc(t), vg_local(t, locode), vg_dec2(x), vg_rate(x, n),
 * the aggregate vg_noisy_or(confidence) and the raw-message functions vg_raw and vg_raw_text
 * (store/raw.c) on the store's connection (once; sqlfn.c). */
enum vg_status vg__sql_functions(struct vg_store *store, struct vg_error *err);

/* True when the ';'-separated lists a and b share an item (trimmed, case ignored). */
bool vg__lists_share(const char *a, const char *b);

#endif
