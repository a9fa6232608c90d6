/*
 * Linking an outcome to the trip it concerns.
 *
 *   origin  (found_at origin; or not given and a trip of the container at that port fits):
 *           trips of the container at the port of examination whose day time is from one
 *           day before to 45 days after the examination (an export leaves after it is
 *           examined; an import is examined after it arrives, so for imports the window
 *           is mirrored). A trip carrying one of the B/Ls wins, then the nearest in time.
 *   abroad  (transit or destination): trips of the container that departed in the 120
 *           days before the find. A trip carrying one of the B/Ls wins; then one bound
 *           for the port of the find or the destination port given (port of discharge,
 *           place of delivery, transhipment ports, the call's next port); the latest of
 *           the best class. Without a B/L or destination match a trip is taken only when
 *           it is the single one that departed in the 60 days before.
 */
#include "outcome/outcome_int.h"
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#define DAY 86400

struct cand {
    int64_t trip_id, container_id, time;
    bool at_port, is_import, bl, dest;
};

enum vg_status vg__outcome_find_trip(struct vg_store *store,
                                     const struct link_query *q,
                                     struct link_answer *a,
                                     struct vg_error *err)
{
    static const char sql[] =
        "SELECT t.id, t.container_id, t.port, t.direction, " VG__TRIP_TIME_SQL ","
        " (SELECT group_concat(co.bl_number, ';') FROM consignment_equipment ce"
        "   JOIN consignments co ON co.id = ce.consignment_id"
        "   WHERE ce.container_id = t.container_id AND co.port_call_id IS t.port_call_id),"
        " (SELECT group_concat(coalesce(co.port_of_discharge, '') || ';' ||"
        "   coalesce(co.place_of_delivery, '') || ';' || coalesce((SELECT group_concat(cp.locode,"
        "   ';') FROM consignment_places cp WHERE cp.consignment_id = co.id), ''), ';')"
        "   FROM consignment_equipment ce JOIN consignments co ON co.id = ce.consignment_id"
        "   WHERE ce.container_id = t.container_id AND co.port_call_id IS t.port_call_id)"
        "   || ';' || coalesce(pc.next_port, '')"
        " FROM trips t JOIN containers c ON c.id = t.container_id"
        " LEFT JOIN port_calls pc ON pc.id = t.port_call_id"
        " WHERE c.number = ?1 ORDER BY t.id";
    memset(a, 0, sizeof(a[0]));
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return VG_EDB;
    }
    vg__bind_text(st, 1, q->container);
    struct cand best_origin = { 0 }, best_abroad = { 0 };
    int64_t origin_gap = INT64_MAX;
    int best_class = -1;
    int recent = 0; /* trips that departed in the 60 days before an abroad find */
    struct cand last_recent = { 0 };
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 4) == SQLITE_NULL) {
            continue;
        }
        const char *port = (const char *)sqlite3_column_text(st, 2);
        const char *dir = (const char *)sqlite3_column_text(st, 3);
        struct cand c = {
            .trip_id = sqlite3_column_int64(st, 0),
            .container_id = sqlite3_column_int64(st, 1),
            .time = sqlite3_column_int64(st, 4),
            .at_port = port != NULL && strcmp(port, q->port) == 0,
            .is_import = dir != NULL && strcmp(dir, "import") == 0,
        };
        const char *bls = (const char *)sqlite3_column_text(st, 5);
        const char *dests = (const char *)sqlite3_column_text(st, 6);
        c.bl = vg__lists_share(q->bills, bls);
        c.dest = vg__lists_share(q->port, dests) ||
                 (q->destination_port != NULL && vg__lists_share(q->destination_port, dests));
        a->container_id = c.container_id;
        /* At the port of examination. */
        int64_t lo = c.is_import ? q->at - 45 * DAY : q->at - DAY;
        int64_t hi = c.is_import ? q->at + DAY : q->at + 45 * DAY;
        if (c.at_port && c.time >= lo && c.time <= hi) {
            int64_t gap = c.time > q->at ? c.time - q->at : q->at - c.time;
            if (best_origin.trip_id == 0 || (c.bl && !best_origin.bl) ||
                (c.bl == best_origin.bl && gap < origin_gap)) {
                best_origin = c;
                origin_gap = gap;
            }
        }
        /* Departed before a find abroad. */
        if (!c.is_import && c.time <= q->at && c.time >= q->at - 120 * DAY) {
            int cls = c.bl ? 2 : (c.dest ? 1 : 0);
            if (cls > best_class || (cls == best_class && c.time > best_abroad.time)) {
                best_class = cls;
                best_abroad = c;
            }
            if (c.time >= q->at - 60 * DAY) {
                recent++;
                last_recent = c;
            }
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "looking for the trip of an outcome", err);
    }
    bool origin = q->found_at == VG_FOUND_ORIGIN ||
                  (q->found_at == VG_FOUND_UNKNOWN && best_origin.trip_id != 0);
    if (origin) {
        if (best_origin.trip_id != 0) {
            a->trip_id = best_origin.trip_id;
            a->origin = true;
            snprintf(a->how, sizeof(a->how), "%s",
                     best_origin.bl ? "container+bl+date" : "container+port+date");
        }
        return VG_OK;
    }
    if (best_class >= 1) {
        a->trip_id = best_abroad.trip_id;
        snprintf(a->how, sizeof(a->how), "%s",
                 best_class == 2 ? "container+bl+date" : "container+destination+date");
    } else if (recent == 1) {
        a->trip_id = last_recent.trip_id;
        snprintf(a->how, sizeof(a->how), "container+date");
    }
    return VG_OK;
}
