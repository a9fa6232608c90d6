/*
 * Targeting speed, on a store made in a temporary directory (argv[1], default /tmp):
 *
 *   select    a port-day of 50,000 container trips (ten times Callao's busiest day), each
 *             with an assessment, a tenth with reasons: selection at 2% capacity with the
 *             random share (reselected, so every run draws), and the replay of its draws;
 *   outcomes  parsing an outcomes CSV of 500,000 rows in memory, and importing 20,000
 *             outcomes into the store, each linked to its trip;
 *   kpi       the KPI report over those outcomes;
 *   metrics   precision/recall/lift at four rates and ROC AUC over 1.5 million trips (a
 *             day of the world's traffic), the evaluation's core.
 *
 * Prints each figure; not a test.
 */
#include "store/store_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <vigia/alloc.h>
#include <vigia/eval.h>
#include <vigia/kpi.h>
#include <vigia/outcome.h>
#include <vigia/store.h>
#include <vigia/target.h>
#include <vigia/time.h>

#define TRIPS        50000
#define OUTCOME_ROWS 500000
#define IMPORTED     20000
#define RANKED       1500000

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Du;
}

static void check(enum vg_status st, const struct vg_error *err, const char *what)
{
    if (st != VG_OK && st != VG_EPARTIAL) {
        fprintf(stderr, "bench_targets: %s: %s: %s\n", what, vg_strerror(st),
                err != NULL ? err->message : "");
        exit(1);
    }
}

static void exec(struct vg_store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "bench_targets: %s\n", msg);
        exit(1);
    }
}

/* A container number with a valid ISO 6346 check digit, from a serial. */
static void container_number(unsigned serial, char out[12])
{
    snprintf(out, 12, "BNCU%06u", serial % 1000000);
    static const int values[26] = { 10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24,
                                    25, 26, 27, 28, 29, 30, 31, 32, 34, 35, 36, 37, 38 };
    int sum = 0;
    for (int i = 0; i < 10; i++) {
        int v = out[i] >= 'A' ? values[out[i] - 'A'] : out[i] - '0';
        sum += v << i;
    }
    out[10] = (char)('0' + sum % 11 % 10);
    out[11] = '\0';
}

/* One port call at PECLL departing 2024-05-04T03:00Z (the local day 2024-05-03) with TRIPS
 * trips, each with an assessment. */
static void build(struct vg_store *s)
{
    exec(s, "BEGIN");
    exec(s, "INSERT INTO vessels(id, imo, name, created_at) VALUES(1, 9074729, 'BENCH', 0);"
            "INSERT INTO port_calls(id, vessel_id, port, voyage, etd, created_at)"
            " VALUES(1, 1, 'PECLL', 'B1', 1714791600, 0);");
    sqlite3_stmt *c, *t, *a, *r, *co, *ce;
    sqlite3_prepare_v2(s->db,
                       "INSERT INTO containers(id, number, valid, created_at) VALUES(?1,?2,1,0)",
                       -1, &c, NULL);
    sqlite3_prepare_v2(s->db,
                       "INSERT INTO trips(id, container_id, port_call_id, port, direction,"
                       " departure_at, created_at) VALUES(?1,?1,1,'PECLL','export',"
                       "1714791600,0)",
                       -1, &t, NULL);
    sqlite3_prepare_v2(s->db,
                       "INSERT INTO assessments(id, trip_id, version, moment, as_of, score,"
                       " band, mandatory_hold, created_at) VALUES(?1,?1,1,'pre-load',0,?2,"
                       "'green',?3,0)",
                       -1, &a, NULL);
    sqlite3_prepare_v2(s->db,
                       "INSERT INTO assessment_reasons(assessment_id, seq, kind, code,"
                       " weight, text) VALUES(?1,1,'rule','R' || (?1 % 20),?2,'a rule')",
                       -1, &r, NULL);
    sqlite3_prepare_v2(s->db,
                       "INSERT INTO consignments(id, bl_number, port_call_id, created_at,"
                       " updated_at) VALUES(?1, 'BL' || ?1, 1, 0, 0)",
                       -1, &co, NULL);
    sqlite3_prepare_v2(s->db,
                       "INSERT INTO consignment_equipment(consignment_id, container_id)"
                       " VALUES(?1, ?1)",
                       -1, &ce, NULL);
    for (int i = 1; i <= TRIPS; i++) {
        char num[12];
        container_number((unsigned)i, num);
        double score = (double)(rng() % 1000000) / 10000.0;
        sqlite3_bind_int(c, 1, i);
        sqlite3_bind_text(c, 2, num, -1, SQLITE_TRANSIENT);
        sqlite3_step(c);
        sqlite3_reset(c);
        sqlite3_bind_int(t, 1, i);
        sqlite3_step(t);
        sqlite3_reset(t);
        sqlite3_bind_int(a, 1, i);
        sqlite3_bind_double(a, 2, score);
        sqlite3_bind_int(a, 3, i % 5000 == 0);
        sqlite3_step(a);
        sqlite3_reset(a);
        if (i % 10 == 0) {
            sqlite3_bind_int(r, 1, i);
            sqlite3_bind_double(r, 2, score / 2);
            sqlite3_step(r);
            sqlite3_reset(r);
        }
        sqlite3_bind_int(co, 1, i);
        sqlite3_step(co);
        sqlite3_reset(co);
        sqlite3_bind_int(ce, 1, i);
        sqlite3_step(ce);
        sqlite3_reset(ce);
    }
    sqlite3_finalize(c);
    sqlite3_finalize(t);
    sqlite3_finalize(a);
    sqlite3_finalize(r);
    sqlite3_finalize(co);
    sqlite3_finalize(ce);
    exec(s, "COMMIT");
}

static void bench_select(struct vg_store *s)
{
    struct vg_error err;
    vg_error_clear(&err);
    struct vg_target_run run;
    const int rounds = 5;
    double t0 = now_s();
    for (int i = 0; i < rounds; i++) {
        struct vg_target_options o = { .port = "PECLL",
                                       .date = "2024-05-03",
                                       .capacity = -1,
                                       .random_share = -1,
                                       .reselect = i > 0,
                                       .reason = "benchmark reselection" };
        check(vg_targets_select(s, &o, &run, &err), &err, "select");
    }
    double sel = (now_s() - t0) / rounds;
    bool ok = false;
    char why[256];
    t0 = now_s();
    check(vg_targets_verify(s, run.id, &ok, why, sizeof(why), &err), &err, "verify");
    double ver = now_s() - t0;
    printf("select   %d trips, capacity %lld (%lld holds, %lld by score, %lld random):"
           " %.1f ms per selection (%.0f trips/s); replay %.1f ms (%s)\n",
           TRIPS, (long long)run.capacity, (long long)run.holds, (long long)run.scored,
           (long long)run.random, sel * 1e3, TRIPS / sel, ver * 1e3, ok ? "verified" : why);
}

static enum vg_status count_outcome(void *user, const struct vg_outcome *o)
{
    (void)o;
    (*(long *)user)++;
    return VG_OK;
}

static char *outcomes_csv(int rows, size_t *len)
{
    size_t cap = (size_t)rows * 140 + 256;
    char *buf = vg_malloc(cap);
    if (buf == NULL) {
        exit(1);
    }
    size_t n = (size_t)snprintf(buf, cap,
                                "container,bill_of_lading,port,inspected_at,result,substance,kg,"
                                "concealment,method,detection,seal_state,found_at,"
                                "destination_port,selection\n");
    for (int i = 1; i <= rows; i++) {
        char num[12];
        container_number((unsigned)(i % TRIPS + 1), num);
        bool drugs = i % 97 == 0;
        n +=
            (size_t)snprintf(buf + n, cap - n,
                             "%s,BL%d,PECLL,2024-05-03T%02d:%02d:00Z,%s,%s,%s,%s,scan,%s,intact,"
                             "origin,BEANR,%s\n",
                             num, i % TRIPS + 1, 6 + i % 12, i % 60, drugs ? "drugs" : "negative",
                             drugs ? "cocaine" : "", drugs ? "120" : "", drugs ? "reefer_unit" : "",
                             drugs ? "scanner image" : "", i % 20 == 0 ? "random" : "targeted");
    }
    *len = n;
    return buf;
}

static void bench_outcomes(struct vg_store *s, const char *dir)
{
    size_t len;
    char *csv = outcomes_csv(OUTCOME_ROWS, &len);
    long seen = 0;
    struct vg_outcome_sink sink = { count_outcome, NULL, NULL, &seen };
    struct vg_error err;
    vg_error_clear(&err);
    double t0 = now_s();
    check(vg_outcomes_parse_csv(csv, len, "bench.csv", &sink, &err), &err, "parse");
    double parse = now_s() - t0;
    printf("outcomes parse %ld rows (%.1f MB): %.3f s, %.0f rows/s, %.0f MB/s\n", seen,
           (double)len / 1e6, parse, (double)seen / parse, (double)len / 1e6 / parse);
    vg_free(csv);

    csv = outcomes_csv(IMPORTED, &len);
    char path[512];
    snprintf(path, sizeof(path), "%s/bench_outcomes.csv", dir);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(csv, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "bench_targets: cannot write %s\n", path);
        exit(1);
    }
    vg_free(csv);
    struct vg_outcome_report rep;
    t0 = now_s();
    check(vg_outcomes_import(s, path, &rep, NULL, NULL, &err), &err, "import");
    double imp = now_s() - t0;
    printf("outcomes import %lld rows, %lld linked, %lld targets closed: %.3f s, %.0f rows/s\n",
           (long long)rep.records, (long long)rep.linked, (long long)rep.targets_closed, imp,
           (double)rep.records / imp);
    t0 = now_s();
    check(vg_outcomes_import(s, path, &rep, NULL, NULL, &err), &err, "import again");
    printf("outcomes import again (nothing new): %.3f s\n", now_s() - t0);
    unlink(path);
}

static void ignore_section(void *user, const char *key, const char *title, bool record)
{
    (void)user, (void)key, (void)title, (void)record;
}

static int ignore_row(void *user, size_t n, const char *const *values)
{
    (void)n, (void)values;
    (*(long *)user)++;
    return 0;
}

static void bench_kpi(struct vg_store *s)
{
    long rows = 0;
    struct vg_report_sink sink = { .section = ignore_section,
                                   .rows = { .columns = NULL, .row = ignore_row, .user = &rows },
                                   .user = NULL };
    struct vg_kpi_filter f = { NULL, VG_TIME_NONE, VG_TIME_NONE };
    struct vg_error err;
    vg_error_clear(&err);
    double t0 = now_s();
    check(vg_kpi_report(s, &f, &sink, &err), &err, "kpi");
    printf("kpi      report over %d outcomes: %.1f ms (%ld rows)\n", IMPORTED, (now_s() - t0) * 1e3,
           rows);
}

static void bench_metrics(void)
{
    double *scores = vg_malloc(RANKED * sizeof(double));
    bool *pos = vg_malloc(RANKED * sizeof(bool));
    if (scores == NULL || pos == NULL) {
        exit(1);
    }
    for (size_t i = 0; i < RANKED; i++) {
        pos[i] = rng() % 400 == 0;
        /* Positives score higher on average, with ties (two decimals). */
        double base = (double)(rng() % 10000) / 100.0;
        scores[i] = pos[i] ? fmin(100.0, base + 30.0) : base;
    }
    struct vg_rank_metrics m;
    double t0 = now_s();
    if (vg_rank_evaluate(scores, pos, RANKED, vg_eval_default_rates, 4, &m) != VG_OK) {
        exit(1);
    }
    double t = now_s() - t0;
    printf("metrics  %d trips, %lld positives: AUC %.4f, precision@1%% %.4f: %.3f s\n", RANKED,
           (long long)m.positives, m.auc, m.at[1].precision, t);
    vg_free(scores);
    vg_free(pos);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    char path[512], key[512], heads[512];
    snprintf(path, sizeof(path), "%s/bench_targets_%d.db", dir, (int)getpid());
    snprintf(key, sizeof(key), "%s/bench_targets_%d.key", dir, (int)getpid());
    snprintf(heads, sizeof(heads), "%s/bench_targets_%d.heads", dir, (int)getpid());
    struct vg_store_options o = {
        .create = true, .actor = "bench", .audit_key_path = key, .audit_export_path = heads
    };
    struct vg_store *s = NULL;
    struct vg_error err;
    vg_error_clear(&err);
    check(vg_store_open(path, &o, &s, &err), &err, "open");
    double t0 = now_s();
    build(s);
    printf("build    %d trips with assessments: %.2f s\n", TRIPS, now_s() - t0);
    bench_select(s);
    bench_outcomes(s, dir);
    bench_kpi(s);
    vg_store_close(s);
    bench_metrics();
    char wal[600];
    unlink(path);
    snprintf(wal, sizeof(wal), "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-shm", path);
    unlink(wal);
    unlink(key);
    unlink(heads);
    return 0;
}
