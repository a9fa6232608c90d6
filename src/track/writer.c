/*
 * Writing AIS tracks (vigia/track.h): positions are buffered per vessel, sorted, cleared
 * of duplicates (the same report heard by two stations) and written as packed blocks with
 * their grid entries. Static reports are written only when what a vessel broadcasts
 * changes (first and last seen kept per identity).
 */
#include "store/store_int.h"
#include "track/track_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/map.h>
#include <vigia/track.h>

struct vessel_buf {
    uint32_t mmsi;
    struct vg_position *p;
    size_t n, cap;
};

struct pending_static {
    bool live;
    struct vg_track_static s; /* the latest report of that identity */
    int64_t first, last, reports;
};

struct vg_track_writer {
    struct vg_store *store;
    struct pending_static *pending;
    size_t nstatics, capstatics;
    struct vg_map index; /* mmsi -> slot in vessels */
    struct vessel_buf *vessels;
    size_t nvessels, capvessels;
    struct vg_map statics; /* mmsi -> slot in pending */
    struct vg_buf packed;
    int64_t written;
};

enum vg_status
vg_track_writer_new(struct vg_store *store, struct vg_track_writer **out, struct vg_error *err)
{
    struct vg_track_writer *w = vg_calloc(1, sizeof(*w));
    if (w == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    w->store = store;
    vg_map_init(&w->index);
    vg_map_init(&w->statics);
    vg_buf_init(&w->packed, 0);
    *out = w;
    return VG_OK;
}

void vg_track_writer_free(struct vg_track_writer *w)
{
    if (w == NULL) {
        return;
    }
    for (size_t i = 0; i < w->nvessels; i++) {
        vg_free(w->vessels[i].p);
    }
    vg_free(w->vessels);
    vg_free(w->pending);
    vg_map_release(&w->index);
    vg_map_release(&w->statics);
    vg_buf_release(&w->packed);
    vg_free(w);
}

static enum vg_status
write_static(struct vg_track_writer *w, const struct pending_static *ps, struct vg_error *err);

static int pos_cmp(const void *a, const void *b)
{
    const struct vg_position *x = a, *y = b;
    return (x->t > y->t) - (x->t < y->t);
}

/* Writes the buffered positions of one vessel as one or more blocks. */
static enum vg_status
write_vessel(struct vg_track_writer *w, struct vessel_buf *v, struct vg_error *err)
{
    if (v->n == 0) {
        return VG_OK;
    }
    qsort(v->p, v->n, sizeof(*v->p), pos_cmp);
    size_t m = 0;
    for (size_t i = 0; i < v->n; i++) {
        if (m > 0 && v->p[m - 1].t == v->p[i].t && v->p[m - 1].lat == v->p[i].lat &&
            v->p[m - 1].lon == v->p[i].lon) {
            continue; /* heard twice */
        }
        v->p[m++] = v->p[i];
    }
    static const char block_sql[] =
        "INSERT INTO ais_tracks(mmsi, block_start, block_end, n, lat_min, lat_max, lon_min,"
        " lon_max, data) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)";
    static const char merge_sql[] =
        "SELECT data FROM ais_tracks WHERE mmsi = ?1 AND block_start = ?2";
    static const char grid_sql[] =
        "INSERT OR IGNORE INTO ais_grid(cell, hour, mmsi) VALUES(?1,?2,?3)";
    for (size_t off = 0; off < m; off += TRACK_BLOCK_MAX) {
        size_t n = m - off < TRACK_BLOCK_MAX ? m - off : TRACK_BLOCK_MAX;
        const struct vg_position *p = v->p + off;
        int64_t start = p[0].t;
        /* Another block of this vessel starting at the same second (overlapping feeds):
         * shift the key by a second; queries merge and sort anyway. */
        for (;;) {
            sqlite3_stmt *q = vg__store_stmt(w->store, merge_sql, err);
            if (q == NULL) {
                return err != NULL ? err->code : VG_EDB;
            }
            sqlite3_bind_int64(q, 1, v->mmsi);
            sqlite3_bind_int64(q, 2, start);
            int rc = sqlite3_step(q);
            sqlite3_reset(q);
            if (rc == SQLITE_DONE) {
                break;
            }
            if (rc != SQLITE_ROW) {
                return vg__store_error(w->store, rc, "checking a track block", err);
            }
            start--;
        }
        vg_buf_reset(&w->packed);
        enum vg_status st = vg__track_pack(p, n, start, &w->packed);
        if (st != VG_OK) {
            return vg_error_set(err, st, "out of memory packing a track");
        }
        double lat_min = 90, lat_max = -90, lon_min = 180, lon_max = -180;
        for (size_t i = 0; i < n; i++) {
            lat_min = fmin(lat_min, p[i].lat);
            lat_max = fmax(lat_max, p[i].lat);
            lon_min = fmin(lon_min, p[i].lon);
            lon_max = fmax(lon_max, p[i].lon);
        }
        sqlite3_stmt *ins = vg__store_stmt(w->store, block_sql, err);
        if (ins == NULL) {
            return err != NULL ? err->code : VG_EDB;
        }
        sqlite3_bind_int64(ins, 1, v->mmsi);
        sqlite3_bind_int64(ins, 2, start);
        sqlite3_bind_int64(ins, 3, p[n - 1].t);
        sqlite3_bind_int64(ins, 4, (int64_t)n);
        sqlite3_bind_double(ins, 5, lat_min);
        sqlite3_bind_double(ins, 6, lat_max);
        sqlite3_bind_double(ins, 7, lon_min);
        sqlite3_bind_double(ins, 8, lon_max);
        sqlite3_bind_blob(ins, 9, w->packed.data, (int)w->packed.len, SQLITE_STATIC);
        int rc = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (rc != SQLITE_DONE) {
            return vg__store_error(w->store, rc, "writing a track block", err);
        }
        /* Grid entries: distinct (cell, hour) of the block. */
        int64_t last_cell = INT64_MIN, last_hour = INT64_MIN;
        for (size_t i = 0; i < n; i++) {
            int64_t cell = vg__track_cell(p[i].lat, p[i].lon);
            int64_t hour = p[i].t / 3600;
            if (cell == last_cell && hour == last_hour) {
                continue;
            }
            last_cell = cell;
            last_hour = hour;
            sqlite3_stmt *g = vg__store_stmt(w->store, grid_sql, err);
            if (g == NULL) {
                return err != NULL ? err->code : VG_EDB;
            }
            sqlite3_bind_int64(g, 1, cell);
            sqlite3_bind_int64(g, 2, hour);
            sqlite3_bind_int64(g, 3, v->mmsi);
            rc = sqlite3_step(g);
            sqlite3_reset(g);
            if (rc != SQLITE_DONE) {
                return vg__store_error(w->store, rc, "writing the track grid", err);
            }
        }
        w->written += (int64_t)n;
    }
    v->n = 0;
    return VG_OK;
}

enum vg_status
vg_track_add(struct vg_track_writer *w, const struct vg_position *p, struct vg_error *err)
{
    if (isnan(p->lat) || isnan(p->lon) || p->lat < -90 || p->lat > 90 || p->lon < -180 ||
        p->lon > 180) {
        return VG_OK; /* no position to store (91/181 "not available") */
    }
    uint64_t slot;
    bool existed = false;
    enum vg_status st =
        vg_map_put(&w->index, &p->mmsi, sizeof(p->mmsi), w->nvessels, &existed, &slot);
    if (st != VG_OK) {
        return vg_error_set(err, st, "out of memory");
    }
    if (!existed) {
        struct vessel_buf *nv = vg_grow(w->vessels, &w->capvessels, w->nvessels + 1, sizeof(*nv));
        if (nv == NULL) {
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        w->vessels = nv;
        memset(&w->vessels[w->nvessels], 0, sizeof(w->vessels[0]));
        w->vessels[w->nvessels].mmsi = p->mmsi;
        w->nvessels++;
    }
    struct vessel_buf *v = &w->vessels[slot];
    struct vg_position *np = vg_grow(v->p, &v->cap, v->n + 1, sizeof(*np));
    if (np == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    v->p = np;
    v->p[v->n++] = *p;
    if (v->n >= 4 * TRACK_BLOCK_MAX) {
        return write_vessel(w, v, err);
    }
    return VG_OK;
}

enum vg_status vg_track_flush(struct vg_track_writer *w, int64_t *positions, struct vg_error *err)
{
    for (size_t i = 0; i < w->nvessels; i++) {
        enum vg_status st = write_vessel(w, &w->vessels[i], err);
        if (st != VG_OK) {
            return st;
        }
    }
    for (size_t i = 0; i < w->nstatics; i++) {
        if (w->pending[i].live) {
            enum vg_status st = write_static(w, &w->pending[i], err);
            if (st != VG_OK) {
                return st;
            }
            w->pending[i].live = false;
        }
    }
    if (positions != NULL) {
        *positions = w->written;
    }
    w->written = 0;
    return VG_OK;
}

/* Writes one vessel's pending static identity: extends the latest matching row, or adds
 * a row when the identity changed. */
static enum vg_status
write_static(struct vg_track_writer *w, const struct pending_static *ps, struct vg_error *err)
{
    const struct vg_track_static *s = &ps->s;
    static const char touch_sql[] =
        "UPDATE ais_static SET last_seen_at = max(last_seen_at, ?8),"
        " first_seen_at = min(first_seen_at, ?2), reports = reports + ?9 WHERE id ="
        " (SELECT id FROM ais_static WHERE mmsi = ?1 AND imo IS ?3 AND name IS ?4 AND"
        "  call_sign IS ?5 AND ship_type IS ?6 AND destination IS ?7 ORDER BY id DESC LIMIT 1)";
    static const char insert_sql[] =
        "INSERT INTO ais_static(mmsi, imo, name, call_sign, ship_type, dim_bow, dim_stern,"
        " dim_port, dim_starboard, draught, destination, eta, first_seen_at, last_seen_at,"
        " reports, source, vessel_id) VALUES(?1,?3,?4,?5,?6,?10,?11,?12,?13,?14,?7,?15,?2,?8,?9,"
        " ?16, (SELECT id FROM vessels WHERE imo = ?3))";
    for (int pass = 0; pass < 2; pass++) {
        sqlite3_stmt *b = vg__store_stmt(w->store, pass == 0 ? touch_sql : insert_sql, err);
        if (b == NULL) {
            return err != NULL ? err->code : VG_EDB;
        }
        sqlite3_bind_int64(b, 1, s->mmsi);
        sqlite3_bind_int64(b, 2, ps->first);
        vg__bind_int64_or_null(b, 3, s->imo, 0);
        vg__bind_text(b, 4, s->name[0] ? s->name : NULL);
        vg__bind_text(b, 5, s->call_sign[0] ? s->call_sign : NULL);
        vg__bind_int64_or_null(b, 6, s->ship_type, 0);
        vg__bind_text(b, 7, s->destination[0] ? s->destination : NULL);
        sqlite3_bind_int64(b, 8, ps->last);
        sqlite3_bind_int64(b, 9, ps->reports);
        if (pass == 1) {
            vg__bind_int64_or_null(b, 10, s->dim_bow, -1);
            vg__bind_int64_or_null(b, 11, s->dim_stern, -1);
            vg__bind_int64_or_null(b, 12, s->dim_port, -1);
            vg__bind_int64_or_null(b, 13, s->dim_starboard, -1);
            vg__bind_double_or_null(b, 14, s->draught, !isnan(s->draught));
            vg__bind_text(b, 15, s->eta[0] ? s->eta : NULL);
            vg__bind_text(b, 16, s->source[0] ? s->source : "ais");
        }
        int rc = sqlite3_step(b);
        sqlite3_reset(b);
        if (rc != SQLITE_DONE) {
            return vg__store_error(w->store, rc, "writing AIS static data", err);
        }
        if (pass == 0 && sqlite3_changes(w->store->db) > 0) {
            break;
        }
    }
    return VG_OK;
}

/* Completes a partial report (class B sends name and type in separate messages 24A and
 * 24B; some stations omit the IMO number or the destination) with what the vessel last
 * broadcast, so that halves of one identity do not look like identity changes. */
static void fill_absent(struct vg_track_static *n, const struct vg_track_static *old)
{
    if (n->imo == 0) {
        n->imo = old->imo;
    }
    if (n->name[0] == '\0') {
        memcpy(n->name, old->name, sizeof(n->name));
    }
    if (n->call_sign[0] == '\0') {
        memcpy(n->call_sign, old->call_sign, sizeof(n->call_sign));
    }
    if (n->ship_type == 0) {
        n->ship_type = old->ship_type;
    }
    if (n->destination[0] == '\0') {
        memcpy(n->destination, old->destination, sizeof(n->destination));
    }
    if (n->eta[0] == '\0') {
        memcpy(n->eta, old->eta, sizeof(n->eta));
    }
    if (n->dim_bow < 0 && n->dim_stern < 0) {
        n->dim_bow = old->dim_bow;
        n->dim_stern = old->dim_stern;
        n->dim_port = old->dim_port;
        n->dim_starboard = old->dim_starboard;
    }
    if (isnan(n->draught)) {
        n->draught = old->draught;
    }
}

/* The fields whose change starts a new identity row (dimensions, draught and ETA vary
 * with loading and voyage and are kept as last seen). */
static bool same_identity(const struct vg_track_static *a, const struct vg_track_static *b)
{
    return a->imo == b->imo && a->ship_type == b->ship_type && strcmp(a->name, b->name) == 0 &&
           strcmp(a->call_sign, b->call_sign) == 0 && strcmp(a->destination, b->destination) == 0;
}

enum vg_status vg_track_add_static(struct vg_track_writer *w,
                                   const struct vg_track_static *in,
                                   struct vg_error *err)
{
    struct vg_track_static merged = *in;
    const struct vg_track_static *s = &merged;
    uint64_t slot;
    bool existed = false;
    enum vg_status st =
        vg_map_put(&w->statics, &s->mmsi, sizeof(s->mmsi), w->nstatics, &existed, &slot);
    if (st != VG_OK) {
        return vg_error_set(err, st, "out of memory");
    }
    if (!existed) {
        struct pending_static *np =
            vg_grow(w->pending, &w->capstatics, w->nstatics + 1, sizeof(*np));
        if (np == NULL) {
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        w->pending = np;
        w->pending[w->nstatics].live = false;
        w->pending[w->nstatics].s.mmsi = 0;
        w->nstatics++;
    }
    struct pending_static *ps = &w->pending[slot];
    if (ps->s.mmsi == in->mmsi) {
        fill_absent(&merged, &ps->s); /* the last identity, written or not */
    }
    if (ps->live && same_identity(&ps->s, s)) {
        ps->first = s->t < ps->first ? s->t : ps->first;
        ps->last = s->t > ps->last ? s->t : ps->last;
        ps->reports++;
        ps->s.draught = s->draught;
        ps->s.dim_bow = s->dim_bow;
        ps->s.dim_stern = s->dim_stern;
        ps->s.dim_port = s->dim_port;
        ps->s.dim_starboard = s->dim_starboard;
        memcpy(ps->s.eta, s->eta, sizeof(ps->s.eta));
        return VG_OK;
    }
    if (ps->live) {
        st = write_static(w, ps, err);
        if (st != VG_OK) {
            return st;
        }
    }
    ps->live = true;
    ps->s = *s;
    ps->first = ps->last = s->t;
    ps->reports = 1;
    return VG_OK;
}
