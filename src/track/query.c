/* Reading AIS tracks (vigia/track.h). */
#include "store/store_int.h"
#include "track/track_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/audit.h>
#include <vigia/track.h>

struct pos_vec {
    struct vg_position *p;
    size_t n, cap;
    int64_t t1, t2;
    bool oom;
};

static int collect(void *user, const struct vg_position *p)
{
    struct pos_vec *v = user;
    if (p->t < v->t1 || p->t > v->t2) {
        return 0;
    }
    struct vg_position *np = vg_grow(v->p, &v->cap, v->n + 1, sizeof(*np));
    if (np == NULL) {
        v->oom = true;
        return 1;
    }
    v->p = np;
    v->p[v->n++] = *p;
    return 0;
}

static int by_mmsi_time(const void *a, const void *b)
{
    const struct vg_position *x = a, *y = b;
    if (x->mmsi != y->mmsi) {
        return x->mmsi < y->mmsi ? -1 : 1;
    }
    if (x->t != y->t) {
        return (x->t > y->t) - (x->t < y->t);
    }
    return (x->lat > y->lat) - (x->lat < y->lat);
}

/* Sorts, removes duplicates and hands positions to fn. */
static enum vg_status
deliver(struct pos_vec *v, int (*fn)(void *, const struct vg_position *), void *user)
{
    qsort(v->p, v->n, sizeof(*v->p), by_mmsi_time);
    for (size_t i = 0; i < v->n; i++) {
        if (i > 0 && v->p[i].mmsi == v->p[i - 1].mmsi && v->p[i].t == v->p[i - 1].t &&
            v->p[i].lat == v->p[i - 1].lat && v->p[i].lon == v->p[i - 1].lon) {
            continue;
        }
        if (fn(user, &v->p[i]) != 0) {
            break;
        }
    }
    return VG_OK;
}

/* Decodes every block returned by st (columns mmsi, block_start, data) into v. */
static enum vg_status
read_blocks(struct vg_store *store, sqlite3_stmt *st, struct pos_vec *v, struct vg_error *err)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int stopped;
        enum vg_status s =
            vg__track_unpack(sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2),
                             (uint32_t)sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                             collect, v, &stopped);
        if (v->oom) {
            return vg_error_set(err, VG_ENOMEM, "out of memory reading tracks");
        }
        if (s != VG_OK) {
            return vg_error_set(err, VG_EINTEGRITY, "a track block of MMSI %lld is corrupt",
                                (long long)sqlite3_column_int64(st, 0));
        }
    }
    if (rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "reading tracks", err);
    }
    return VG_OK;
}

enum vg_status vg_track_query_vessel(struct vg_store *store,
                                     uint32_t mmsi,
                                     int64_t t1,
                                     int64_t t2,
                                     int (*fn)(void *, const struct vg_position *),
                                     void *user,
                                     struct vg_error *err)
{
    static const char sql[] =
        "SELECT mmsi, block_start, data FROM ais_tracks WHERE mmsi = ?1 AND block_end >= ?2"
        " AND block_start <= ?3";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    sqlite3_bind_int64(st, 1, mmsi);
    sqlite3_bind_int64(st, 2, t1);
    sqlite3_bind_int64(st, 3, t2);
    struct pos_vec v = { NULL, 0, 0, t1, t2, false };
    enum vg_status s = read_blocks(store, st, &v, err);
    sqlite3_reset(st);
    if (s == VG_OK) {
        s = deliver(&v, fn, user);
    }
    vg_free(v.p);
    return s;
}

struct scan_relay {
    int (*fn)(void *, const struct vg_position *);
    void *user;
    int stop;
};

static int scan_relay_fn(void *user, const struct vg_position *p)
{
    struct scan_relay *r = user;
    r->stop = r->fn(r->user, p);
    return r->stop;
}

enum vg_status vg_track_scan(struct vg_store *store,
                             int64_t t1,
                             int64_t t2,
                             int (*fn)(void *, const struct vg_position *),
                             void *user,
                             struct vg_error *err)
{
    /* Vessel by vessel, so that memory holds one vessel's window at a time. */
    static const char mmsi_sql[] =
        "SELECT DISTINCT mmsi FROM ais_tracks WHERE block_end >= ?1 AND block_start <= ?2"
        " ORDER BY mmsi";
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(store->db, mmsi_sql, -1, &q, NULL);
    if (rc != SQLITE_OK) {
        return vg__store_error(store, rc, "scanning tracks", err);
    }
    sqlite3_bind_int64(q, 1, t1);
    sqlite3_bind_int64(q, 2, t2);
    enum vg_status s = VG_OK;
    struct scan_relay relay = { fn, user, 0 };
    while (s == VG_OK && !relay.stop && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        uint32_t mmsi = (uint32_t)sqlite3_column_int64(q, 0);
        s = vg_track_query_vessel(store, mmsi, t1, t2, scan_relay_fn, &relay, err);
    }
    sqlite3_finalize(q);
    if (s == VG_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return vg__store_error(store, rc, "scanning tracks", err);
    }
    return s;
}

struct near_filter {
    double lat, lon, km;
    int (*fn)(void *, const struct vg_position *);
    void *user;
};

static int near_relay(void *user, const struct vg_position *p)
{
    struct near_filter *f = user;
    if (vg_geo_distance_km(f->lat, f->lon, p->lat, p->lon) > f->km) {
        return 0;
    }
    return f->fn(f->user, p);
}

enum vg_status vg_track_query_near(struct vg_store *store,
                                   double lat,
                                   double lon,
                                   double radius_km,
                                   int64_t t,
                                   int64_t window,
                                   int (*fn)(void *, const struct vg_position *),
                                   void *user,
                                   struct vg_error *err)
{
    /* Cells covering the circle, hours covering the window. */
    double dlat = radius_km / 111.2 + 0.1;
    double dlon = radius_km / (111.2 * fmax(cos(lat * M_PI / 180.0), 0.05)) + 0.1;
    int64_t h1 = (t - window) / 3600, h2 = (t + window) / 3600;
    static const char sql[] =
        "SELECT DISTINCT mmsi FROM ais_grid WHERE cell = ?1 AND hour BETWEEN ?2 AND ?3";
    struct pos_vec mmsis = { NULL, 0, 0, INT64_MIN, INT64_MAX, false };
    enum vg_status s = VG_OK;
    for (double y = lat - dlat; y <= lat + dlat + 1e-9 && s == VG_OK; y += 0.1) {
        for (double x = lon - dlon; x <= lon + dlon + 1e-9 && s == VG_OK; x += 0.1) {
            sqlite3_stmt *st = vg__store_stmt(store, sql, err);
            if (st == NULL) {
                s = err != NULL ? err->code : VG_EDB;
                break;
            }
            sqlite3_bind_int64(st, 1, vg__track_cell(y, x));
            sqlite3_bind_int64(st, 2, h1);
            sqlite3_bind_int64(st, 3, h2);
            int rc;
            while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct vg_position m;
                memset(&m, 0, sizeof(m));
                m.mmsi = (uint32_t)sqlite3_column_int64(st, 0);
                collect(&mmsis, &m);
            }
            sqlite3_reset(st);
            if (mmsis.oom) {
                s = vg_error_set(err, VG_ENOMEM, "out of memory");
            } else if (rc != SQLITE_DONE) {
                s = vg__store_error(store, rc, "reading the track grid", err);
            }
        }
    }
    if (s == VG_OK) {
        qsort(mmsis.p, mmsis.n, sizeof(*mmsis.p), by_mmsi_time);
        struct near_filter f = { lat, lon, radius_km, fn, user };
        for (size_t i = 0; i < mmsis.n && s == VG_OK; i++) {
            if (i > 0 && mmsis.p[i].mmsi == mmsis.p[i - 1].mmsi) {
                continue;
            }
            s = vg_track_query_vessel(store, mmsis.p[i].mmsi, t - window, t + window, near_relay,
                                      &f, err);
        }
    }
    vg_free(mmsis.p);
    return s;
}
