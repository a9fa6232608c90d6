/* The targeting test store (see vg_targeting.h). */
#include "vg_targeting.h"

#include "vg_test.h"

#include <sqlite3.h>
#include <stdio.h>

#include <vigia/ingest.h>

#include "store/store_int.h"

struct vg_store *vg_tt_empty(const char *name)
{
    struct vg_store_options o = { .create = true, .actor = "tester" };
    struct vg_store *s = NULL;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_store_open(vg_test_tmpfile(name), &o, &s, &e), VG_OK, &e);
    return s;
}

void vg_tt_exec(struct vg_store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fail_msg("%s: %s", sql, msg != NULL ? msg : "?");
    }
}

int64_t vg_tt_int(struct vg_store *s, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fail_msg("%s: %s", sql, sqlite3_errmsg(s->db));
    }
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

const char *vg_tt_text(struct vg_store *s, const char *sql, char *buf, size_t size)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fail_msg("%s: %s", sql, sqlite3_errmsg(s->db));
    }
    buf[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL) {
        snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return buf;
}

int64_t vg_tt_trip(struct vg_store *s, const char *container, const char *voyage)
{
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT t.id FROM trips t JOIN containers c ON c.id = t.container_id"
             " JOIN port_calls pc ON pc.id = t.port_call_id"
             " WHERE c.number = '%s' AND pc.voyage = '%s'",
             container, voyage);
    return vg_tt_int(s, sql);
}

int64_t vg_tt_assess(struct vg_store *s, const char *container, const char *voyage, double score,
                     const char *band, int hold, const char *kind, const char *code,
                     double weight, const char *text)
{
    int64_t trip = vg_tt_trip(s, container, voyage);
    assert_true(trip > 0);
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "INSERT INTO assessments(trip_id, version, moment, as_of, score, band,"
             " mandatory_hold, created_at) VALUES(%lld, 1, 'pre-load', 1714700000, %.4f, '%s',"
             " %d, 1714700000)",
             (long long)trip, score, band, hold);
    vg_tt_exec(s, sql);
    int64_t id = vg_tt_int(s, "SELECT max(id) FROM assessments");
    if (kind != NULL) {
        snprintf(sql, sizeof(sql),
                 "INSERT INTO assessment_reasons(assessment_id, seq, kind, code, weight, text,"
                 " evidence) VALUES(%lld, (SELECT count(*) + 1 FROM assessment_reasons WHERE"
                 " assessment_id = %lld), '%s', '%s', %.2f, '%s', 'CUSCAR TGT message 1')",
                 (long long)id, (long long)id, kind, code, weight, text);
        vg_tt_exec(s, sql);
    }
    return id;
}

struct vg_store *vg_tt_store(const char *name)
{
    struct vg_store *s = vg_tt_empty(name);
    char manifest[1024], events[1024];
    snprintf(manifest, sizeof(manifest), "%s", vg_test_source("tests/data/targeting/manifest.csv"));
    snprintf(events, sizeof(events), "%s", vg_test_source("tests/data/targeting/events.csv"));
    const char *paths[2] = { manifest, events };
    struct vg_ingest_options o = { .default_sender = "test" };
    struct vg_ingest_report r;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_ingest_paths(s, paths, 2, &o, &r, &e), VG_OK, &e);
    vg_tt_assess(s, "TGTU1000015", "FA123E", 95, "red", 1, "list", "WL-RUC", 50,
                 "listed shipper (exact RUC)");
    vg_tt_assess(s, "TGTU1000020", "FA123E", 80, "red", 0, "rule", "R-SEAL", 30,
                 "seal changed at loading");
    int64_t a = vg_tt_assess(s, "TGTU1000036", "FA123E", 70, "amber", 0, "list", "WL-NAME", 40,
                             "consignee on the DIRANDRO list");
    char sql[512];
    snprintf(sql, sizeof(sql),
             "INSERT INTO assessment_reasons(assessment_id, seq, kind, code, weight, text)"
             " VALUES(%lld, 2, 'rule', 'R-ROUTE', 10, 'route through a hub')",
             (long long)a);
    vg_tt_exec(s, sql);
    vg_tt_assess(s, "TGTU1000041", "FA123E", 60, "amber", 0, "model", "M1", 20,
                 "weight per box 18% above normal");
    vg_tt_assess(s, "TGTU1000057", "FA123E", 50, "amber", 0, "rule", "R-ROUTE", 15,
                 "route through a hub");
    vg_tt_assess(s, "TGTU1000062", "FA123E", 40, "green", 0, NULL, NULL, 0, NULL);
    vg_tt_assess(s, "TGTU1000078", "FA123E", 30, "green", 0, NULL, NULL, 0, NULL);
    vg_tt_assess(s, "TGTU1000083", "FA123E", 20, "green", 0, NULL, NULL, 0, NULL);
    vg_tt_assess(s, "TGTU1000099", "FA123E", 10, "green", 0, NULL, NULL, 0, NULL);
    return s;
}
