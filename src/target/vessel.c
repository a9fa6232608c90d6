/*
 * Vessel targets: voyages whose vessel events (src/maritime: encounters, loitering, AIS
 * gaps, each linked to the port call the vessel last departed) make them suspect. A
 * voyage's score is 1 - prod(1 - confidence) over its events: two weak signals weigh more
 * than one, and no number of them reaches 1.
 */
#include "store/store_int.h"
#include "target/target_int.h"

#include <stdio.h>
#include <string.h>

enum vg_status vg__vessel_candidates(struct vg_store *store,
                                     const char *port,
                                     int64_t from,
                                     int64_t to,
                                     int (*fn)(void *user, const struct vg__vessel_candidate *c),
                                     void *user,
                                     struct vg_error *err)
{
    static const char sql[] =
        "SELECT pc.id, pc.vessel_id, coalesce(pc.atd, pc.etd), pc.port,"
        " coalesce(e.confidence, 0.5) FROM port_calls pc"
        " JOIN vessel_events e ON e.port_call_id = pc.id"
        " WHERE (?1 IS NULL OR pc.port = ?1) AND pc.vessel_id IS NOT NULL"
        " AND coalesce(pc.atd, pc.etd) >= ?2 AND coalesce(pc.atd, pc.etd) < ?3"
        " AND e.kind IN ('encounter', 'loitering', 'gap')"
        " ORDER BY pc.id";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return VG_EDB;
    }
    vg__bind_text(st, 1, port);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    struct vg__vessel_candidate cur = { 0 };
    double miss = 1.0; /* prod(1 - confidence) */
    int rc;
    bool stop = false;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id != cur.port_call_id) {
            if (cur.port_call_id != 0) {
                cur.score = 1.0 - miss;
                stop = fn(user, &cur) != 0;
            }
            memset(&cur, 0, sizeof(cur));
            cur.port_call_id = id;
            cur.vessel_id = sqlite3_column_int64(st, 1);
            cur.departure = sqlite3_column_int64(st, 2);
            const char *p = (const char *)sqlite3_column_text(st, 3);
            snprintf(cur.port, sizeof(cur.port), "%s", p != NULL ? p : "");
            miss = 1.0;
        }
        double c = sqlite3_column_double(st, 4);
        c = c < 0 ? 0 : (c > 0.999 ? 0.999 : c);
        miss *= 1.0 - c;
        cur.events++;
    }
    if (stop) {
        rc = SQLITE_DONE;
    } else if (rc == SQLITE_DONE && cur.port_call_id != 0) {
        cur.score = 1.0 - miss;
        fn(user, &cur);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? VG_OK : vg__store_error(store, rc, "reading vessel events", err);
}
