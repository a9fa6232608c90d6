/*
 * Vessel events from the store (vigia/maritime.h): read the positions of a window, detect,
 * write vessel_events linked to vessels and voyages, complete port calls' actual times,
 * list what was found. Thresholds are kept in the store's meta table ("maritime.<name>").
 */
#include "store/store_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/audit.h>
#include <vigia/codes.h>
#include <vigia/log.h>
#include <vigia/map.h>
#include <vigia/maritime.h>
#include <vigia/time.h>
#include <vigia/track.h>

struct meta_save {
    struct vg_store *store;
    enum vg_status st;
    struct vg_error *err;
};

static void save_one(void *user, const char *name, const char *value, const char *meaning)
{
    (void)meaning;
    struct meta_save *m = user;
    if (m->st != VG_OK) {
        return;
    }
    char key[96];
    snprintf(key, sizeof(key), "maritime.%s", name);
    m->st = vg__store_meta_set(m->store, key, value, m->err);
}

enum vg_status vg_maritime_params_save(struct vg_store *store,
                                       const struct vg_maritime_params *p,
                                       struct vg_error *err)
{
    enum vg_status st = vg_store_begin(store, err);
    if (st != VG_OK) {
        return st;
    }
    struct meta_save m = { store, VG_OK, err };
    vg_maritime_params_foreach(p, save_one, &m);
    st = m.st;
    if (st == VG_OK) {
        st = vg_audit_append(store, "maritime.params", "{\"table\":\"meta\"}", NULL, err);
    }
    if (st != VG_OK) {
        vg_store_rollback(store);
        return st;
    }
    return vg_store_commit(store, err);
}

struct meta_load {
    struct vg_store *store;
    struct vg_maritime_params *p;
};

static void load_one(void *user, const char *name, const char *value, const char *meaning)
{
    (void)value;
    (void)meaning;
    struct meta_load *m = user;
    char key[96], saved[64];
    snprintf(key, sizeof(key), "maritime.%s", name);
    if (vg__store_meta_get(m->store, key, saved, sizeof(saved), NULL) == VG_OK) {
        /* Saved values were checked when they were set; one that no longer parses (a
         * parameter whose meaning changed) keeps the default. */
        if (vg_maritime_param_set(m->p, name, saved, NULL) != VG_OK) {
            vg_log(VG_LOG_WARN, "maritime", "stored %s=%s ignored", name, saved);
        }
    }
}

enum vg_status
vg_maritime_params_load(struct vg_store *store, struct vg_maritime_params *p, struct vg_error *err)
{
    (void)err;
    vg_maritime_params_default(p);
    struct vg_maritime_params copy = *p;
    struct meta_load m = { store, p };
    vg_maritime_params_foreach(&copy, load_one, &m);
    return VG_OK;
}

/* ---- inputs --------------------------------------------------------------------------- */

struct pos_vec {
    struct vg_position *p;
    size_t n, cap;
    bool oom;
};

static int take(void *user, const struct vg_position *p)
{
    struct pos_vec *v = user;
    struct vg_position *np = vg_grow(v->p, &v->cap, v->n + 1, sizeof(*np));
    if (np == NULL) {
        v->oom = true;
        return 1;
    }
    v->p = np;
    v->p[v->n++] = *p;
    return 0;
}

struct port_vec {
    struct vg_maritime_port *p;
    size_t n, cap;
    bool oom;
};

static void add_port(struct port_vec *v, const char *locode, double lat, double lon)
{
    struct vg_maritime_port *np = vg_grow(v->p, &v->cap, v->n + 1, sizeof(*np));
    if (np == NULL) {
        v->oom = true;
        return;
    }
    v->p = np;
    struct vg_maritime_port *p = &v->p[v->n++];
    memset(p, 0, sizeof(*p));
    snprintf(p->locode, sizeof(p->locode), "%s", locode);
    p->lat = lat;
    p->lon = lon;
    p->river = vg_geo_in_river_zone(lat, lon);
}

static void builtin_port(void *user, const struct vg_port_info *port)
{
    add_port(user, port->locode, port->lat, port->lon);
}

static enum vg_status load_ports(struct vg_store *store, struct port_vec *v, struct vg_error *err)
{
    vg_codes_builtin_ports(builtin_port, v);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(store->db, "SELECT coalesce(locode, ''), lat, lon FROM code_ports",
                                -1, &st, NULL);
    if (rc != SQLITE_OK) {
        return vg__store_error(store, rc, "reading ports", err);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        add_port(v, (const char *)sqlite3_column_text(st, 0), sqlite3_column_double(st, 1),
                 sqlite3_column_double(st, 2));
    }
    sqlite3_finalize(st);
    if (v->oom) {
        return vg_error_set(err, VG_ENOMEM, "out of memory reading ports");
    }
    return VG_OK;
}

/* Vessel kinds by MMSI, from the ship type each broadcast last. */
struct classes {
    struct vg_map kind;
};

static enum vg_vessel_class classify(void *user, uint32_t mmsi)
{
    struct classes *c = user;
    uint64_t k;
    if (!vg_map_get(&c->kind, &mmsi, sizeof(mmsi), &k)) {
        return VG_VESSEL_UNKNOWN;
    }
    return (enum vg_vessel_class)k;
}

static enum vg_status load_classes(struct vg_store *store, struct classes *c, struct vg_error *err)
{
    vg_map_init(&c->kind);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(store->db,
                                "SELECT mmsi, ship_type FROM ais_static WHERE ship_type IS NOT NULL"
                                " ORDER BY last_seen_at",
                                -1, &st, NULL);
    if (rc != SQLITE_OK) {
        return vg__store_error(store, rc, "reading ship types", err);
    }
    enum vg_status s = VG_OK;
    while (s == VG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint32_t mmsi = (uint32_t)sqlite3_column_int64(st, 0);
        int type = sqlite3_column_int(st, 1);
        enum vg_vessel_class k = vg_vessel_class_of_ship_type(type);
        s = vg_map_set(&c->kind, &mmsi, sizeof(mmsi), (uint64_t)k);
    }
    sqlite3_finalize(st);
    return s == VG_OK ? VG_OK : vg_error_set(err, s, "out of memory");
}

/* ---- writing events ------------------------------------------------------------------- */

struct writer {
    struct vg_store *store;
    struct vg_maritime_report *report;
    struct vg_error *err;
    enum vg_status st;
    int64_t now;
    int64_t t1, t2; /* events starting in [t1, t2] are written; the rest is context */
};

static int64_t vessel_of(struct vg_store *store, uint32_t mmsi)
{
    static const char sql[] =
        "SELECT id FROM vessels WHERE mmsi = ?1 UNION ALL"
        " SELECT vessel_id FROM ais_static WHERE mmsi = ?1 AND vessel_id IS NOT NULL"
        " ORDER BY 1 LIMIT 1";
    sqlite3_stmt *st = vg__store_stmt(store, sql, NULL);
    if (st == NULL) {
        return 0;
    }
    sqlite3_bind_int64(st, 1, mmsi);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

/*
 * Links what vessels broadcast to the vessels of the cargo messages: by the IMO number
 * they broadcast, else (no IMO broadcast) by name when exactly one vessel bears it; and
 * gives vessels known only from cargo messages the MMSI they were heard with. Counts the
 * static reports newly linked in *linked.
 */
static enum vg_status link_vessels(struct vg_store *store, int64_t *linked, struct vg_error *err)
{
    static const char *const steps[] = {
        "UPDATE ais_static SET vessel_id = (SELECT v.id FROM vessels v WHERE v.imo ="
        " ais_static.imo) WHERE vessel_id IS NULL AND imo IS NOT NULL AND"
        " EXISTS (SELECT 1 FROM vessels v WHERE v.imo = ais_static.imo)",
        "UPDATE ais_static SET vessel_id = (SELECT min(v.id) FROM vessels v WHERE v.name ="
        " ais_static.name) WHERE vessel_id IS NULL AND imo IS NULL AND name IS NOT NULL AND"
        " name != '' AND (SELECT count(*) FROM vessels v WHERE v.name = ais_static.name) = 1",
        "UPDATE vessels SET mmsi = (SELECT a.mmsi FROM ais_static a WHERE a.vessel_id ="
        " vessels.id ORDER BY a.last_seen_at DESC LIMIT 1) WHERE mmsi IS NULL AND"
        " EXISTS (SELECT 1 FROM ais_static a WHERE a.vessel_id = vessels.id)",
    };
    *linked = 0;
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        enum vg_status st = vg__store_exec(store, steps[i], err);
        if (st != VG_OK) {
            return st;
        }
        if (i < 2) {
            *linked += sqlite3_changes(store->db);
        }
    }
    return VG_OK;
}

/* The voyage an at-sea event happened on: the vessel's latest departure before it. */
static int64_t voyage_of(struct vg_store *store, int64_t vessel_id, int64_t start)
{
    if (vessel_id == 0) {
        return 0;
    }
    static const char sql[] =
        "SELECT id FROM port_calls WHERE vessel_id = ?1 AND coalesce(atd, etd) <= ?2 AND"
        " coalesce(atd, etd) >= ?2 - 60 * 86400 ORDER BY coalesce(atd, etd) DESC LIMIT 1";
    sqlite3_stmt *st = vg__store_stmt(store, sql, NULL);
    if (st == NULL) {
        return 0;
    }
    sqlite3_bind_int64(st, 1, vessel_id);
    sqlite3_bind_int64(st, 2, start);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

/* A port visit: the port call it is (same vessel and port, planned times within three
 * days); completes the call's actual arrival and departure when unknown. */
static int64_t call_of_visit(struct writer *w, int64_t vessel_id, const struct vg_vessel_event *e)
{
    if (vessel_id == 0 || e->port[0] == '\0') {
        return 0;
    }
    static const char sql[] = "SELECT id FROM port_calls WHERE vessel_id = ?1 AND port = ?2 AND"
                              " abs(coalesce(ata, eta, etd, atd) - ?3) < 3 * 86400"
                              " ORDER BY abs(coalesce(ata, eta, etd, atd) - ?3) LIMIT 1";
    sqlite3_stmt *st = vg__store_stmt(w->store, sql, NULL);
    if (st == NULL) {
        return 0;
    }
    sqlite3_bind_int64(st, 1, vessel_id);
    vg__bind_text(st, 2, e->port);
    sqlite3_bind_int64(st, 3, e->start);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (id != 0) {
        static const char upd[] =
            "UPDATE port_calls SET ata = coalesce(ata, ?2), atd = coalesce(atd, ?3)"
            " WHERE id = ?1 AND (ata IS NULL OR (atd IS NULL AND ?3 IS NOT NULL))";
        sqlite3_stmt *u = vg__store_stmt(w->store, upd, NULL);
        if (u != NULL) {
            sqlite3_bind_int64(u, 1, id);
            sqlite3_bind_int64(u, 2, e->start);
            if (strcmp(e->variant, "open") != 0) {
                sqlite3_bind_int64(u, 3, e->end);
            }
            if (sqlite3_step(u) == SQLITE_DONE && sqlite3_changes(w->store->db) > 0) {
                w->report->calls_timed++;
            }
            sqlite3_reset(u);
        }
    }
    return id;
}

/* Remembers that the event with this key was seen in this run (temp table). */
static enum vg_status touch(struct writer *w, const struct vg_vessel_event *e)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO temp.vg_events_seen(id) SELECT id FROM vessel_events WHERE"
        " kind = ?1 AND mmsi = ?2 AND start_at = ?3 AND other_mmsi = ?4";
    sqlite3_stmt *st = vg__store_stmt(w->store, sql, w->err);
    if (st == NULL) {
        return w->err != NULL ? w->err->code : VG_EDB;
    }
    vg__bind_text(st, 1, vg_vessel_event_kind_name(e->kind));
    sqlite3_bind_int64(st, 2, e->mmsi);
    sqlite3_bind_int64(st, 3, e->start);
    sqlite3_bind_int64(st, 4, e->other_mmsi);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? VG_OK : vg__store_error(w->store, rc, "noting an event", w->err);
}

static void write_event(void *user, const struct vg_vessel_event *e)
{
    struct writer *w = user;
    if (w->st != VG_OK || e->start < w->t1 || e->start > w->t2) {
        return;
    }
    w->report->events++;
    int64_t vessel_id = vessel_of(w->store, e->mmsi);
    int64_t other_id = e->other_mmsi != 0 ? vessel_of(w->store, e->other_mmsi) : 0;
    int64_t call = e->kind == VG_EVENT_PORT_VISIT ? call_of_visit(w, vessel_id, e)
                                                  : voyage_of(w->store, vessel_id, e->start);
    static const char sql[] =
        "INSERT INTO vessel_events(kind, mmsi, vessel_id, other_mmsi, other_vessel_id,"
        " start_at, end_at, lat, lon, port, distance_shore_nm, confidence, explanation, params,"
        " port_call_id, created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)"
        /* An event seen again with more positions (a visit that was still open, a gap now
         * closed) is brought up to date; one seen identically is left alone. */
        " ON CONFLICT(kind, mmsi, start_at, other_mmsi) DO UPDATE SET end_at = excluded.end_at,"
        " lat = excluded.lat, lon = excluded.lon, confidence = excluded.confidence,"
        " explanation = excluded.explanation, params = excluded.params,"
        " vessel_id = coalesce(excluded.vessel_id, vessel_id),"
        " port_call_id = coalesce(excluded.port_call_id, port_call_id)"
        " WHERE end_at != excluded.end_at OR params IS NOT excluded.params"
        " OR explanation != excluded.explanation";
    sqlite3_stmt *st = vg__store_stmt(w->store, sql, w->err);
    if (st == NULL) {
        w->st = w->err != NULL ? w->err->code : VG_EDB;
        return;
    }
    vg__bind_text(st, 1, vg_vessel_event_kind_name(e->kind));
    sqlite3_bind_int64(st, 2, e->mmsi);
    vg__bind_int64_or_null(st, 3, vessel_id, 0);
    sqlite3_bind_int64(st, 4, e->other_mmsi);
    vg__bind_int64_or_null(st, 5, other_id, 0);
    sqlite3_bind_int64(st, 6, e->start);
    sqlite3_bind_int64(st, 7, e->end);
    sqlite3_bind_double(st, 8, e->lat);
    sqlite3_bind_double(st, 9, e->lon);
    vg__bind_text(st, 10, e->port[0] ? e->port : NULL);
    vg__bind_double_or_null(st, 11, e->distance_shore_nm, e->distance_shore_nm < 9000);
    sqlite3_bind_double(st, 12, e->confidence);
    vg__bind_text(st, 13, e->explanation);
    vg__bind_text(st, 14, e->variant);
    vg__bind_int64_or_null(st, 15, call, 0);
    sqlite3_bind_int64(st, 16, w->now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        w->st = vg__store_error(w->store, rc, "recording a vessel event", w->err);
        return;
    }
    if (sqlite3_changes(w->store->db) > 0) {
        w->report->new_events++;
        if (call != 0) {
            w->report->attached++;
        }
    }
    w->st = touch(w, e);
}

/* Deletes the events of [t1, t2] this run did not find again (the positions or the
 * thresholds changed): the store holds what the current evidence shows. */
static enum vg_status sweep(struct writer *w)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "DELETE FROM vessel_events WHERE start_at BETWEEN %lld AND %lld AND id NOT IN"
             " (SELECT id FROM temp.vg_events_seen)",
             (long long)w->t1, (long long)w->t2);
    enum vg_status st = vg__store_exec(w->store, sql, w->err);
    if (st == VG_OK) {
        w->report->removed = sqlite3_changes(w->store->db);
    }
    return st;
}

/* How far before and after the window positions are read, so that an event starting in
 * the window is judged with its whole context (a visit or a gap spanning the edge). */
#define CONTEXT_SECONDS (3 * 86400)

static int64_t widen(int64_t t, int64_t by)
{
    if (by < 0) {
        return t < INT64_MIN - by ? INT64_MIN : t + by;
    }
    return t > INT64_MAX - by ? INT64_MAX : t + by;
}

enum vg_status vg_maritime_run(struct vg_store *store,
                               int64_t t1,
                               int64_t t2,
                               struct vg_maritime_report *report,
                               struct vg_error *err)
{
    memset(report, 0, sizeof(*report));
    struct vg_maritime_params params;
    enum vg_status st = vg_maritime_params_load(store, &params, err);
    if (st != VG_OK) {
        return st;
    }
    struct pos_vec pos = { 0 };
    st = vg_track_scan(store, widen(t1, -CONTEXT_SECONDS), widen(t2, CONTEXT_SECONDS), take, &pos,
                       err);
    if (st == VG_OK && pos.oom) {
        st = vg_error_set(err, VG_ENOMEM, "out of memory reading positions");
    }
    struct port_vec ports = { 0 };
    if (st == VG_OK) {
        st = load_ports(store, &ports, err);
    }
    struct classes classes;
    vg_map_init(&classes.kind);
    if (st == VG_OK) {
        vg_map_release(&classes.kind);
        st = load_classes(store, &classes, err);
    }
    report->positions = (int64_t)pos.n;
    for (size_t i = 0; i < pos.n; i++) {
        report->vessels += i == 0 || pos.p[i].mmsi != pos.p[i - 1].mmsi;
    }
    if (st == VG_OK) {
        st = vg_store_begin(store, err);
    }
    if (st == VG_OK) {
        st = link_vessels(store, &report->linked, err);
        if (st != VG_OK) {
            vg_store_rollback(store);
        }
    }
    if (st == VG_OK) {
        st =
            vg__store_exec(store,
                           "CREATE TEMP TABLE IF NOT EXISTS vg_events_seen(id INTEGER PRIMARY KEY);"
                           "DELETE FROM temp.vg_events_seen;",
                           err);
        if (st != VG_OK) {
            vg_store_rollback(store);
        }
    }
    if (st == VG_OK) {
        struct writer w = { store, report, err, VG_OK, vg_time_now(), t1, t2 };
        st = vg_maritime_detect(pos.p, pos.n, &params, ports.p, ports.n, classify, &classes,
                                write_event, &w, err);
        if (st == VG_OK) {
            st = w.st;
        }
        if (st == VG_OK) {
            st = sweep(&w);
        }
        if (st == VG_OK && (report->new_events > 0 || report->removed > 0 ||
                            report->calls_timed > 0 || report->linked > 0)) {
            char objects[240];
            snprintf(objects, sizeof(objects),
                     "{\"from\":%lld,\"to\":%lld,\"events\":%lld,\"removed\":%lld,"
                     "\"calls_timed\":%lld,\"linked\":%lld}",
                     (long long)t1, (long long)t2, (long long)report->new_events,
                     (long long)report->removed, (long long)report->calls_timed,
                     (long long)report->linked);
            st = vg_audit_append(store, "maritime.detect", objects, NULL, err);
            if (st == VG_OK) {
                st = vg_store_commit(store, err);
            } else {
                vg_store_rollback(store);
            }
        } else {
            vg_store_rollback(store);
        }
    }
    vg_map_release(&classes.kind);
    vg_free(ports.p);
    vg_free(pos.p);
    return st;
}

enum vg_status vg_vessel_events_list(struct vg_store *store,
                                     int64_t since,
                                     int64_t until,
                                     const char *port,
                                     const char *kind,
                                     const struct vg_row_sink *sink,
                                     struct vg_error *err)
{
    static const char sql[] =
        "SELECT e.kind, e.params AS variant, printf('%09d', e.mmsi) AS mmsi,"
        " coalesce(v.imo, (SELECT imo FROM ais_static WHERE mmsi = e.mmsi AND imo IS NOT NULL"
        "   ORDER BY last_seen_at DESC LIMIT 1)) AS imo,"
        " coalesce(v.name, (SELECT name FROM ais_static WHERE mmsi = e.mmsi AND name IS NOT NULL"
        "   ORDER BY last_seen_at DESC LIMIT 1)) AS vessel,"
        " CASE WHEN e.other_mmsi = 0 THEN NULL ELSE printf('%09d', e.other_mmsi) END AS other_mmsi,"
        " (SELECT imo FROM ais_static WHERE mmsi = e.other_mmsi AND imo IS NOT NULL"
        "   ORDER BY last_seen_at DESC LIMIT 1) AS other_imo,"
        " strftime('%Y-%m-%dT%H:%M:%SZ', e.start_at, 'unixepoch') AS start,"
        " strftime('%Y-%m-%dT%H:%M:%SZ', e.end_at, 'unixepoch') AS end,"
        " printf('%.1f', (e.end_at - e.start_at) / 3600.0) AS hours,"
        " printf('%.4f', e.lat) AS lat, printf('%.4f', e.lon) AS lon,"
        " printf('%.0f', e.distance_shore_nm) AS shore_nm, e.port,"
        " CASE WHEN pc.id IS NULL THEN NULL ELSE pc.port || ' ' || pc.voyage END AS voyage,"
        " printf('%.2f', e.confidence) AS confidence, e.explanation"
        " FROM vessel_events e LEFT JOIN vessels v ON v.id = e.vessel_id"
        " LEFT JOIN port_calls pc ON pc.id = e.port_call_id"
        " WHERE (?1 IS NULL OR e.start_at >= CAST(?1 AS INTEGER))"
        " AND (?2 IS NULL OR e.start_at <= CAST(?2 AS INTEGER))"
        " AND (?3 IS NULL OR e.port = ?3 OR pc.port = ?3) AND (?4 IS NULL OR e.kind = ?4)"
        " ORDER BY e.start_at, e.mmsi";
    char a[32], b[32];
    snprintf(a, sizeof(a), "%lld", (long long)since);
    snprintf(b, sizeof(b), "%lld", (long long)until);
    const char *params[4] = { since == VG_TIME_NONE ? NULL : a, until == VG_TIME_NONE ? NULL : b,
                              port, kind };
    return vg__store_query_rows(store, sql, params, 4, sink, err);
}
