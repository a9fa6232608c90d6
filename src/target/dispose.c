/*
 * Listings of targets and their dispositions (vigia/target.h). A target starts
 * "selected" and must end "inspected" (an outcome was recorded for its trip), "waived"
 * (with a standard exception code or a written reason), "not_arrived" or "bl_deleted";
 * a reselection leaves the earlier selection's pending targets "superseded".
 */
#include "store/store_int.h"
#include "target/target_int.h"

#include <stdio.h>
#include <string.h>
#include <vigia/audit.h>
#include <vigia/slice.h>
#include <vigia/time.h>

enum vg_status vg_targets_list(struct vg_store *store,
                               int64_t run_id,
                               const struct vg_row_sink *containers,
                               const struct vg_row_sink *vessels,
                               struct vg_error *err)
{
    static const char container_sql[] =
        "SELECT tg.id AS target, tg.rank, c.number AS container,"
        " " VG__TRIP_BLS_SQL " AS bills_of_lading,"
        " vg_dec2(a.score) AS score, a.band, tg.reason AS selection, tg.state,"
        " (SELECT group_concat(text, ' | ') FROM (SELECT text FROM assessment_reasons"
        "   WHERE assessment_id = a.id ORDER BY abs(coalesce(weight, 0)) DESC, seq LIMIT 3))"
        "   AS reasons"
        " FROM targets tg JOIN trips t ON t.id = tg.trip_id"
        " JOIN containers c ON c.id = t.container_id"
        " LEFT JOIN assessments a ON a.id = tg.assessment_id"
        " WHERE tg.run_id = CAST(?1 AS INTEGER) ORDER BY tg.rank";
    static const char vessel_sql[] =
        "SELECT tg.id AS target, tg.rank, v.name AS vessel, v.imo,"
        " CASE WHEN v.mmsi IS NULL THEN NULL ELSE printf('%09d', v.mmsi) END AS mmsi,"
        " pc.voyage, vg_utc(coalesce(pc.atd, pc.etd)) AS departure,"
        " (SELECT count(*) FROM vessel_events e WHERE e.port_call_id = pc.id"
        "   AND e.kind IN ('encounter', 'loitering', 'gap')) AS events,"
        " (SELECT printf('%.2f', vg_noisy_or(e.confidence)) FROM vessel_events e"
        "   WHERE e.port_call_id = pc.id AND e.kind IN ('encounter', 'loitering', 'gap'))"
        "   AS score,"
        " tg.reason AS selection, tg.state,"
        " (SELECT group_concat(explanation, ' | ') FROM (SELECT explanation FROM vessel_events e"
        "   WHERE e.port_call_id = pc.id AND e.kind IN ('encounter', 'loitering', 'gap')"
        "   ORDER BY e.confidence DESC, e.start_at LIMIT 3)) AS reasons"
        " FROM targets tg JOIN target_runs r ON r.id = tg.run_id"
        " LEFT JOIN vessels v ON v.id = tg.vessel_id"
        " LEFT JOIN port_calls pc ON pc.id = (SELECT id FROM port_calls p2"
        "   WHERE p2.vessel_id = tg.vessel_id AND p2.port = r.port"
        "   AND coalesce(p2.atd, p2.etd) >= r.day_start AND coalesce(p2.atd, p2.etd) < r.day_end"
        "   ORDER BY p2.id LIMIT 1)"
        " WHERE tg.run_id = CAST(?1 AS INTEGER) AND tg.trip_id IS NULL ORDER BY tg.rank";
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)run_id);
    const char *params[1] = { id };
    enum vg_status st = vg__sql_functions(store, err);
    if (st == VG_OK && containers != NULL) {
        st = vg__store_query_rows(store, container_sql, params, 1, containers, err);
    }
    if (st == VG_OK && vessels != NULL) {
        st = vg__store_query_rows(store, vessel_sql, params, 1, vessels, err);
    }
    return st;
}

enum vg_status vg_targets_pending(struct vg_store *store,
                                  const char *port,
                                  const struct vg_row_sink *sink,
                                  struct vg_error *err)
{
    static const char sql[] =
        "SELECT tg.id AS target, tg.port, tg.target_date AS date, tg.rank,"
        " CASE WHEN tg.trip_id IS NULL THEN 'vessel' ELSE 'container' END AS kind,"
        " coalesce(c.number, v.name) AS subject, tg.reason AS selection,"
        " vg_dec2(a.score) AS score, vg_utc(tg.selected_at) AS selected_at"
        " FROM targets tg LEFT JOIN trips t ON t.id = tg.trip_id"
        " LEFT JOIN containers c ON c.id = t.container_id"
        " LEFT JOIN vessels v ON v.id = tg.vessel_id"
        " LEFT JOIN assessments a ON a.id = tg.assessment_id"
        " WHERE tg.state = 'selected' AND (?1 IS NULL OR tg.port = ?1)"
        " ORDER BY tg.target_date, tg.port, tg.trip_id IS NULL, tg.rank";
    char code[6];
    if (port != NULL) {
        enum vg_status st = vg__target_port(port, code, err);
        if (st != VG_OK) {
            return st;
        }
    }
    enum vg_status st = vg__sql_functions(store, err);
    const char *params[1] = { port != NULL ? code : NULL };
    return st == VG_OK ? vg__store_query_rows(store, sql, params, 1, sink, err) : st;
}

/* ---- dispositions ------------------------------------------------------------------------- */

static enum vg_status
set_state(struct vg_store *store, int64_t target_id, const char *state, struct vg_error *err)
{
    static const char sql[] = "UPDATE targets SET state = ?2 WHERE id = ?1";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, target_id);
    vg__bind_text(st, 2, state);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? VG_OK : vg__store_error(store, rc, "updating a target", err);
}

enum vg_status vg__target_close_inspected(struct vg_store *store,
                                          int64_t trip_id,
                                          int64_t inspection_id,
                                          int64_t *target_id,
                                          struct vg_error *err)
{
    static const char find_sql[] = "SELECT id FROM targets WHERE trip_id = ?1"
                                   " AND state = 'selected' ORDER BY id DESC LIMIT 1";
    static const char link_sql[] = "UPDATE inspections SET target_id = ?2 WHERE id = ?1";
    *target_id = 0;
    sqlite3_stmt *st = vg__store_stmt(store, find_sql, err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, trip_id);
    int rc = sqlite3_step(st);
    int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        return rc == SQLITE_DONE ? VG_OK : vg__store_error(store, rc, "finding a target", err);
    }
    enum vg_status s = set_state(store, id, "inspected", err);
    if (s != VG_OK) {
        return s;
    }
    st = vg__store_stmt(store, link_sql, err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, inspection_id);
    sqlite3_bind_int64(st, 2, id);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "linking an inspection to its target", err);
    }
    *target_id = id;
    return VG_OK;
}

static enum vg_status
check_waiver(enum vg_disposition d, const char *code, const char *reason, struct vg_error *err)
{
    if (code != NULL && !vg_waiver_code_valid(code)) {
        char list[256] = "";
        for (const char *const *c = vg_waiver_codes(); *c != NULL; c++) {
            size_t n = strlen(list);
            snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "", *c);
        }
        return vg_error_set(err, VG_EINVAL,
                            "'%.40s' is not a standard exception code (%s); give a reason instead",
                            code, list);
    }
    if (d == VG_DISPOSE_WAIVED && code == NULL && (reason == NULL || strlen(reason) < 10)) {
        return vg_error_set(err, VG_EINVAL,
                            "a waiver needs a standard exception code or a reason of at least 10 "
                            "characters");
    }
    return VG_OK;
}

enum vg_status vg_target_dispose(struct vg_store *store,
                                 int64_t target_id,
                                 enum vg_disposition d,
                                 const char *code,
                                 const char *reason,
                                 struct vg_error *err)
{
    static const char find_sql[] = "SELECT tg.trip_id, tg.state, t.container_id FROM targets tg"
                                   " LEFT JOIN trips t ON t.id = tg.trip_id WHERE tg.id = ?1";
    static const char insert_sql[] =
        "INSERT INTO inspections(target_id, trip_id, container_id, state, waiver_code,"
        " waiver_reason, created_at) VALUES(?1,?2,?3,?4,?5,?6,?7)";
    enum vg_status s = check_waiver(d, code, reason, err);
    if (s != VG_OK || (s = vg_store_begin(store, err)) != VG_OK) {
        return s;
    }
    sqlite3_stmt *st = vg__store_stmt(store, find_sql, err);
    if (st == NULL) {
        vg_store_rollback(store);
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, target_id);
    int rc = sqlite3_step(st);
    int64_t trip_id = 0, container_id = 0;
    char state[32] = "";
    if (rc == SQLITE_ROW) {
        trip_id = sqlite3_column_int64(st, 0);
        container_id = sqlite3_column_int64(st, 2);
        snprintf(state, sizeof(state), "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        vg_store_rollback(store);
        return rc == SQLITE_DONE
                   ? vg_error_set(err, VG_ENOTFOUND, "no target %lld", (long long)target_id)
                   : vg__store_error(store, rc, "reading a target", err);
    }
    if (strcmp(state, "selected") != 0) {
        vg_store_rollback(store);
        return vg_error_set(err, VG_ECONFLICT, "target %lld already has a disposition (%s)",
                            (long long)target_id, state);
    }
    st = vg__store_stmt(store, insert_sql, err);
    if (st == NULL) {
        vg_store_rollback(store);
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, target_id);
    vg__bind_int64_or_null(st, 2, trip_id, 0);
    vg__bind_int64_or_null(st, 3, container_id, 0);
    vg__bind_text(st, 4, vg_disposition_name(d));
    vg__bind_text(st, 5, code);
    vg__bind_text(st, 6, reason);
    sqlite3_bind_int64(st, 7, vg_time_now());
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    s = rc == SQLITE_DONE ? set_state(store, target_id, vg_disposition_name(d), err)
                          : vg__store_error(store, rc, "recording a disposition", err);
    struct vg_buf b;
    vg_buf_init(&b, 4096);
    if (s == VG_OK) {
        enum vg_status bs =
            vg_buf_printf(&b, "{\"target\":%lld,\"state\":\"%s\",\"code\":", (long long)target_id,
                          vg_disposition_name(d));
        if (bs == VG_OK) {
            bs = code != NULL ? vg_buf_append_json(&b, code) : vg_buf_append_cstr(&b, "null");
        }
        if (bs == VG_OK) {
            bs = vg_buf_append_cstr(&b, ",\"reason\":");
        }
        if (bs == VG_OK) {
            bs = reason != NULL ? vg_buf_append_json(&b, reason) : vg_buf_append_cstr(&b, "null");
        }
        if (bs == VG_OK) {
            bs = vg_buf_append(&b, "}", 2);
        }
        s = bs == VG_OK ? vg_audit_append(store, "targets.dispose", b.data, NULL, err)
                        : vg_error_set(err, bs, "out of memory");
    }
    vg_buf_release(&b);
    if (s == VG_OK) {
        return vg_store_commit(store, err);
    }
    vg_store_rollback(store);
    return s;
}
