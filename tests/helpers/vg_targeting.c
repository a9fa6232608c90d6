/* The targeting test store (see vg_targeting.h). */
#include "vg_targeting.h"

#include "store/store_int.h"
#include "vg_test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/codes.h>
#include <vigia/ingest.h>
#include <vigia/outcome.h>
#include <vigia/report.h>
#include <vigia/screen.h>
#include <vigia/sim.h>
#include <vigia/target.h>

struct vg_store *vg_tt_empty(const char *name)
{
    struct vg_store_options o = { .create = true, .actor = "tester" };
    struct vg_store *s = NULL;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_store_open(vg_test_tmpfile(name), &o, &s, &e), VG_OK, &e);
    return s;
}

void vg_tt_sim_run(const char *dir,
                   uint64_t seed,
                   int days,
                   double scale,
                   const char *config_path,
                   unsigned flags,
                   struct vg_sim_report *rep)
{
    struct vg_sim_options o;
    vg_sim_options_init(&o);
    o.seed = seed;
    o.days = days;
    o.scale = scale;
    o.out_dir = dir;
    o.config_path = config_path;
    o.flags = flags;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_sim_run(&o, rep, &e), VG_OK, &e);
}

const char *
vg_tt_sim_world(const char *name, const char *config, uint64_t seed, int days, double scale)
{
    static char dir[700];
    char cfg[760];
    snprintf(dir, sizeof(dir), "%s/%s", vg_test_tmpdir(), name);
    snprintf(cfg, sizeof(cfg), "%s.json", dir);
    vg_test_write_file(cfg, config, strlen(config));
    vg_tt_sim_run(dir, seed, days, scale, cfg, VG_SIM_OVERWRITE, NULL);
    return dir;
}

struct vg_store *vg_tt_sim_store(const char *name, const char *world_dir)
{
    struct vg_store *s = vg_tt_empty(name);
    char feeds[760], path[760];
    snprintf(feeds, sizeof(feeds), "%s/feeds", world_dir);
    const char *paths[1] = { feeds };
    struct vg_ingest_options io = { .default_sender = "sim" };
    struct vg_ingest_report ir;
    struct vg_error e;
    vg_error_clear(&e);
    enum vg_status st = vg_ingest_paths(s, paths, 1, &io, &ir, &e);
    assert_true(st == VG_OK || st == VG_EPARTIAL);
    snprintf(path, sizeof(path), "%s/watchlist.csv", world_dir);
    struct vg_watchlist_report wr;
    st = vg_watchlist_import_csv(s, path, "demo", &wr, NULL, NULL, &e);
    assert_true(st == VG_OK || st == VG_EPARTIAL);
    snprintf(path, sizeof(path), "%s/outcomes.csv", world_dir);
    struct vg_outcome_report orep;
    st = vg_outcomes_import(s, path, &orep, NULL, NULL, &e);
    assert_true(st == VG_OK || st == VG_EPARTIAL);
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

int64_t vg_tt_assess(struct vg_store *s,
                     const char *container,
                     const char *voyage,
                     double score,
                     const char *band,
                     int hold,
                     const char *kind,
                     const char *code,
                     double weight,
                     const char *text)
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

static void rep_section(void *user, const char *key, const char *title, bool record)
{
    struct vg_tt_report *r = user;
    (void)title;
    (void)record;
    assert_true(r->nsections < 16);
    snprintf(r->key[r->nsections++], sizeof(r->key[0]), "%s", key);
}

static void rep_columns(void *user, size_t n, const char *const *names)
{
    struct vg_tt_report *r = user;
    int s = r->nsections - 1;
    r->ncols[s] = n < 20 ? n : 20;
    for (size_t i = 0; i < r->ncols[s]; i++) {
        snprintf(r->cols[s][i], sizeof(r->cols[0][0]), "%s", names[i]);
    }
}

static int rep_row(void *user, size_t n, const char *const *values)
{
    struct vg_tt_report *r = user;
    int s = r->nsections - 1;
    size_t row = r->nrows[s]++;
    for (size_t i = 0; row < 16 && i < n && i < 20; i++) {
        snprintf(r->cell[s][row][i], sizeof(r->cell[0][0][0]), "%s",
                 values[i] != NULL ? values[i] : "");
    }
    return 0;
}

struct vg_tt_report *vg_tt_report_new(void)
{
    struct vg_tt_report *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    return r;
}

struct vg_report_sink vg_tt_report_sink(struct vg_tt_report *r)
{
    return (struct vg_report_sink){ .section = rep_section,
                                    .rows = { .columns = rep_columns, .row = rep_row, .user = r },
                                    .user = r };
}

static int section_of(const struct vg_tt_report *r, const char *key)
{
    for (int s = 0; s < r->nsections; s++) {
        if (strcmp(r->key[s], key) == 0) {
            return s;
        }
    }
    return -1;
}

const char *vg_tt_cell(const struct vg_tt_report *r, const char *key, size_t row, const char *col)
{
    int s = section_of(r, key);
    if (s < 0) {
        fail_msg("no section %s", key);
    }
    for (size_t i = 0; i < r->ncols[s]; i++) {
        if (strcmp(r->cols[s][i], col) == 0) {
            if (row >= r->nrows[s] || row >= 16) {
                fail_msg("section %s has no row %zu", key, row);
            }
            return r->cell[s][row][i];
        }
    }
    fail_msg("section %s has no column %s", key, col);
    return "";
}

size_t vg_tt_rows(const struct vg_tt_report *r, const char *key)
{
    int s = section_of(r, key);
    return s < 0 ? 0 : r->nrows[s];
}

size_t
vg_tt_row_where(const struct vg_tt_report *r, const char *key, const char *col, const char *value)
{
    for (size_t i = 0; i < vg_tt_rows(r, key) && i < 16; i++) {
        if (strcmp(vg_tt_cell(r, key, i, col), value) == 0) {
            return i;
        }
    }
    fail_msg("no row of %s with %s = %s", key, col, value);
    return 0;
}

void vg_tt_select(struct vg_store *s)
{
    struct vg_target_options o = { .port = "PECLL",
                                   .date = "2024-05-03",
                                   .capacity = 4,
                                   .random_share = -1,
                                   .seeded = true,
                                   .seed = 42 };
    struct vg_target_run run;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_targets_select(s, &o, &run, &e), VG_OK, &e);
}

void vg_tt_import_outcomes(struct vg_store *s, struct vg_outcome_report *r)
{
    struct vg_outcome_report local;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_outcomes_import(s, vg_test_source("tests/data/targeting/outcomes.csv"),
                                     r != NULL ? r : &local, NULL, NULL, &e),
                  VG_EPARTIAL, &e);
}

void vg_tt_import_hs(struct vg_store *s, const char *rows)
{
    static const char header[] = "section,hscode,description,parent,level\n";
    size_t n = strlen(rows);
    char *text = malloc(sizeof(header) + n);
    assert_non_null(text);
    memcpy(text, header, sizeof(header) - 1);
    memcpy(text + sizeof(header) - 1, rows, n + 1);
    const char *path = vg_test_tmpfile("hs-nomenclature.csv");
    vg_test_write_file(path, text, strlen(text));
    free(text);
    struct vg_import_report r;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_codes_import_hs(s, path, "test", &r, NULL, NULL, &e), VG_OK, &e);
}

int vg_tt_no_full_scans(struct vg_store *s, const char *naming, int *named)
{
    int checked = 0, n = 0;
    for (int i = 0; i < STORE_STMT_CACHE; i++) {
        const struct store_stmt_slot *slot = &s->stmts[i];
        if (slot->stmt == NULL) {
            continue;
        }
        int scans = sqlite3_stmt_status(slot->stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
        if (scans != 0) {
            fail_msg("%d full-scan steps: %.160s", scans, slot->sql);
        }
        checked++;
        n += naming != NULL && strstr(slot->sql, naming) != NULL;
    }
    if (named != NULL) {
        *named = n;
    }
    return checked;
}
