/*
 * vigia/track.h - AIS positions and static data in the store.
 *
 * A port unit's area sees millions of positions a day, so positions are not stored one
 * row each: each vessel's positions are packed into blocks (up to 512 positions, times,
 * coordinates and speeds delta-encoded as varints, about 8-12 bytes a position) keyed by
 * (MMSI, block start), and a coarse space-time grid (0.1 degree cells by hour) records
 * which vessels were where and when. That serves the two questions the analysis asks:
 * "vessel X between t1 and t2" (blocks of X overlapping the window) and "everything near
 * point P at time t" (grid cells around P for that hour, then those vessels' blocks).
 *
 * Static and voyage data (type 5, 19, 24) keep their history: a new row whenever the
 * identity a vessel broadcasts (IMO, name, call sign, type, dimensions, destination)
 * changes, with first and last time seen; unchanged reports only move last_seen.
 */
#ifndef VIGIA_TRACK_H
#define VIGIA_TRACK_H

#include <stdbool.h>
#include <stdint.h>
#include <vigia/maritime.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_store;
struct vg_track_writer;

/* Static and voyage data as broadcast (strings trimmed UTF-8, "" when absent). */
struct vg_track_static {
    uint32_t mmsi;
    int64_t t;
    uint32_t imo; /* 0 when absent */
    char name[32];
    char call_sign[16];
    int ship_type; /* ITU-R M.1371 ship and cargo type, 0 when absent */
    int dim_bow, dim_stern, dim_port, dim_starboard; /* metres, -1 when absent */
    double draught;                                  /* metres, NAN when absent */
    char destination[32];
    char eta[16];    /* "MM-DDTHH:MM" as broadcast, "" when absent */
    char source[16]; /* e.g. "ais" or a receiver id */
};

/* Creates a writer that buffers positions per vessel. The store must stay open. */
VG_NODISCARD enum vg_status
vg_track_writer_new(struct vg_store *store, struct vg_track_writer **out, struct vg_error *err);

/* Adds a position (copied). Full blocks are written immediately, inside the caller's
 * transaction. */
VG_NODISCARD enum vg_status
vg_track_add(struct vg_track_writer *w, const struct vg_position *p, struct vg_error *err);

/* Adds a static/voyage report (history kept, see above). */
VG_NODISCARD enum vg_status vg_track_add_static(struct vg_track_writer *w,
                                                const struct vg_track_static *s,
                                                struct vg_error *err);

/* Writes every buffered position (partial blocks) in the caller's transaction. Call
 * before committing. *positions (may be NULL) gets the number written since the last
 * flush. */
VG_NODISCARD enum vg_status
vg_track_flush(struct vg_track_writer *w, int64_t *positions, struct vg_error *err);

/* Forgets buffered positions (after a rollback) and frees the writer. NULL-safe. */
void vg_track_writer_free(struct vg_track_writer *w);

/* Positions of one vessel in [t1, t2], in time order, duplicates removed. fn returns
 * non-zero to stop. */
VG_NODISCARD enum vg_status vg_track_query_vessel(struct vg_store *store,
                                                  uint32_t mmsi,
                                                  int64_t t1,
                                                  int64_t t2,
                                                  int (*fn)(void *user,
                                                            const struct vg_position *p),
                                                  void *user,
                                                  struct vg_error *err);

/* Positions within radius_km of (lat, lon) between t - window and t + window, of every
 * vessel, grouped by vessel in time order. */
VG_NODISCARD enum vg_status vg_track_query_near(struct vg_store *store,
                                                double lat,
                                                double lon,
                                                double radius_km,
                                                int64_t t,
                                                int64_t window,
                                                int (*fn)(void *user, const struct vg_position *p),
                                                void *user,
                                                struct vg_error *err);

/* All positions in [t1, t2] of every vessel, ordered by (MMSI, time) — the input of
 * vg_maritime_detect. Calls fn per position. */
VG_NODISCARD enum vg_status vg_track_scan(struct vg_store *store,
                                          int64_t t1,
                                          int64_t t2,
                                          int (*fn)(void *user, const struct vg_position *p),
                                          void *user,
                                          struct vg_error *err);

/* Deletes positions (blocks and grid entries) older than before; audited. *blocks gets
 * the number of blocks removed. */
VG_NODISCARD enum vg_status
vg_track_retain(struct vg_store *store, int64_t before, int64_t *blocks, struct vg_error *err);

#define VG_TRACK_RETENTION_MAX_DAYS 36500

/* The store's retention setting in days (0: keep every position, the default). */
VG_NODISCARD enum vg_status
vg_track_retention_get(struct vg_store *store, int *days, struct vg_error *err);

/* Sets the retention (0 to VG_TRACK_RETENTION_MAX_DAYS; VG_EINVAL otherwise); audited. */
VG_NODISCARD enum vg_status
vg_track_retention_set(struct vg_store *store, int days, struct vg_error *err);

/* Applies the retention: deletes positions more than that many days older than the
 * newest stored position (so that replayed, historical recordings keep their last days
 * too). Nothing when the setting is 0. *blocks gets the number of blocks removed. */
VG_NODISCARD enum vg_status
vg_track_retention_apply(struct vg_store *store, int64_t *blocks, struct vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
