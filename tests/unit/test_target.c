/* Targeting: the ASYCUDA selection order over a day's trips, the random share drawn from a
 * recorded seed and replayed, capacity from options, settings and the default, idempotent
 * selections and audited reselections, vessel targets from vessel events, dispositions. */
#include "store/store_int.h"
#include "vg_targeting.h"
#include "vg_test.h"

#include <sodium.h>
#include <stdlib.h>
#include <vigia/target.h>

/* Rows captured from a sink: up to 64 rows of up to 16 columns. */
struct rows {
    size_t ncols, n;
    char names[16][32];
    char cell[64][16][160];
};

static void cap_columns(void *user, size_t n, const char *const *names)
{
    struct rows *r = user;
    r->ncols = n < 16 ? n : 16;
    for (size_t i = 0; i < r->ncols; i++) {
        snprintf(r->names[i], sizeof(r->names[i]), "%s", names[i]);
    }
}

static int cap_row(void *user, size_t n, const char *const *values)
{
    struct rows *r = user;
    if (r->n < 64) {
        for (size_t i = 0; i < n && i < 16; i++) {
            snprintf(r->cell[r->n][i], sizeof(r->cell[0][0]), "%s",
                     values[i] != NULL ? values[i] : "");
        }
        r->n++;
    }
    return 0;
}

static const char *col(const struct rows *r, size_t row, const char *name)
{
    for (size_t i = 0; i < r->ncols; i++) {
        if (strcmp(r->names[i], name) == 0) {
            return r->cell[row][i];
        }
    }
    fail_msg("no column %s", name);
    return "";
}

static struct rows *list_run(struct vg_store *s, int64_t run_id, bool vessels)
{
    struct rows *r = calloc(1, sizeof(*r));
    struct vg_row_sink sink = { .columns = cap_columns, .row = cap_row, .user = r };
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_targets_list(s, run_id, vessels ? NULL : &sink, vessels ? &sink : NULL, &e),
                  VG_OK, &e);
    return r;
}

static struct vg_target_options day(int64_t capacity, uint64_t seed)
{
    return (struct vg_target_options){ .port = "PECLL",
                                       .date = "2024-05-03",
                                       .capacity = capacity,
                                       .random_share = -1,
                                       .seeded = true,
                                       .seed = seed };
}

static enum vg_status
select_day(struct vg_store *s, const struct vg_target_options *o, struct vg_target_run *run)
{
    struct vg_error e;
    vg_error_clear(&e);
    return vg_targets_select(s, o, run, &e);
}

/* The draw of a trip, computed from the documented rule (docs/targeting.md), not from the
 * library: BLAKE2b-256 keyed with the seed over the trip id as 8 little-endian bytes. */
static void spec_draw(const uint8_t seed[32], int64_t trip, uint8_t out[32])
{
    uint8_t msg[8];
    for (int i = 0; i < 8; i++) {
        msg[i] = (uint8_t)((uint64_t)trip >> (8 * i));
    }
    crypto_generichash(out, 32, msg, 8, seed, 32);
}

static void test_target__selects_in_asycuda_order(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("order.db");
    struct vg_target_options o = day(4, 42);
    struct vg_target_run run;
    assert_int_equal(select_day(s, &o, &run), VG_OK);
    assert_int_equal(run.trips, 10);
    assert_int_equal(run.assessed, 9);
    assert_int_equal(run.capacity, 4);
    assert_string_equal(run.capacity_source, "option");
    assert_int_equal(run.holds, 1);
    assert_int_equal(run.scored, 2);
    assert_int_equal(run.random, 1);
    assert_true(run.seeded);
    assert_false(run.recorded);
    struct rows *r = list_run(s, run.id, false);
    assert_int_equal(r->n, 4);
    assert_string_equal(col(r, 0, "container"), "TGTU1000015");
    assert_string_equal(col(r, 0, "selection"), "hold");
    assert_string_equal(col(r, 0, "score"), "95.00");
    assert_string_equal(col(r, 0, "reasons"), "listed shipper (exact RUC)");
    assert_string_equal(col(r, 1, "container"), "TGTU1000020");
    assert_string_equal(col(r, 1, "selection"), "rule");
    assert_string_equal(col(r, 1, "bills_of_lading"), "TGT0002");
    /* Two B/Ls on one trip; the list weighs more than the rule. */
    assert_string_equal(col(r, 2, "container"), "TGTU1000036");
    assert_string_equal(col(r, 2, "bills_of_lading"), "TGT0003;TGT0013");
    assert_string_equal(col(r, 2, "selection"), "list");
    assert_string_equal(col(r, 2, "reasons"),
                        "consignee on the DIRANDRO list | route through a hub");
    assert_string_equal(col(r, 3, "selection"), "random");
    assert_string_equal(col(r, 3, "state"), "selected");
    /* The random one is the trip with the smallest draw among the seven left. */
    static const char *const rest[] = { "TGTU1000041", "TGTU1000057", "TGTU1000062", "TGTU1000078",
                                        "TGTU1000083", "TGTU1000099", "TGTU1000102" };
    const char *expected = NULL;
    uint8_t best[32], d[32];
    for (int i = 0; i < 7; i++) {
        spec_draw(run.seed, vg_tt_trip(s, rest[i], "FA123E"), d);
        if (expected == NULL || memcmp(d, best, 32) < 0) {
            memcpy(best, d, 32);
            expected = rest[i];
        }
    }
    assert_string_equal(col(r, 3, "container"), expected);
    /* ... and its draw is recorded. */
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(s->db,
                                        "SELECT random_draw FROM targets WHERE reason ="
                                        " 'random'",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_bytes(q, 0), 32);
    assert_memory_equal(sqlite3_column_blob(q, 0), best, 32);
    sqlite3_finalize(q);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM audit_log WHERE action = 'targets.select'"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT seeded FROM target_runs"), 1);
    free(r);
    vg_store_close(s);
}

static void test_target__same_day_again_returns_the_record(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("again.db");
    struct vg_target_options o = day(4, 7);
    struct vg_target_run first, again;
    assert_int_equal(select_day(s, &o, &first), VG_OK);
    int64_t audit = vg_tt_int(s, "SELECT count(*) FROM audit_log");
    o.capacity = 8;
    o.seed = 8;
    assert_int_equal(select_day(s, &o, &again), VG_OK);
    assert_true(again.recorded);
    assert_int_equal(again.id, first.id);
    assert_int_equal(again.capacity, 4);
    assert_int_equal(again.random, 1);
    assert_memory_equal(again.seed, first.seed, 32);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM targets"), 4);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM audit_log"), audit);
    struct vg_target_run found;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_targets_find(s, "PE CLL", "2024-05-03", &found, &e), VG_OK, &e);
    assert_int_equal(found.id, first.id);
    assert_status(vg_targets_find(s, "PECLL", "2024-05-04", &found, &e), VG_ENOTFOUND, &e);
    vg_store_close(s);
}

static void test_target__reselect_needs_a_reason_and_keeps_the_old(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("reselect.db");
    struct vg_target_options o = day(4, 1);
    struct vg_target_run first, second;
    assert_int_equal(select_day(s, &o, &first), VG_OK);
    o.reselect = true;
    o.reason = "short";
    assert_int_equal(select_day(s, &o, &second), VG_EINVAL);
    o.reason = "scanner broke down, capacity halved";
    o.capacity = 2;
    assert_int_equal(select_day(s, &o, &second), VG_OK);
    assert_true(second.id != first.id);
    assert_int_equal(second.capacity, 2);
    /* Capacity 2: the hold, no score slot (2 - 1 random - 1 hold), one draw. */
    assert_int_equal(second.holds, 1);
    assert_int_equal(second.scored, 0);
    assert_int_equal(second.random, 1);
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT superseded_by FROM target_runs WHERE id = %lld",
             (long long)first.id);
    assert_int_equal(vg_tt_int(s, sql), second.id);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM targets WHERE run_id = %lld AND state ="
             " 'superseded'",
             (long long)first.id);
    assert_int_equal(vg_tt_int(s, sql), 4);
    assert_int_equal(
        vg_tt_int(s, "SELECT count(*) FROM audit_log WHERE action = 'targets.reselect' AND objects"
                     " LIKE '%scanner broke down%'"),
        1);
    char buf[64];
    assert_string_equal(
        vg_tt_text(s, "SELECT reason FROM target_runs ORDER BY id DESC", buf, sizeof(buf)),
        "scanner broke down, capacity halved");
    vg_store_close(s);
}

static void test_target__default_capacity_is_two_percent(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("default.db");
    struct vg_target_options o = day(-1, 3);
    struct vg_target_run run;
    assert_int_equal(select_day(s, &o, &run), VG_OK);
    /* 2% of 10 trips rounds up to 1; the hold is selected even beyond it, and one draw. */
    assert_int_equal(run.capacity, 1);
    assert_string_equal(run.capacity_source, "default");
    assert_int_equal(run.holds, 1);
    assert_int_equal(run.scored, 0);
    assert_int_equal(run.random, 1);
    vg_store_close(s);
}

static void test_target__port_settings_set_capacity_and_share(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("settings.db");
    struct vg_target_settings set = {
        .port = "PECLL", .capacity = 6, .capacity_share = -1, .random_share = 0.5
    };
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_target_settings_set(s, &set, &e), VG_OK, &e);
    assert_status(vg_target_settings_set(s, &set, &e), VG_OK, &e);
    assert_int_equal(
        vg_tt_int(s, "SELECT count(*) FROM audit_log WHERE action = 'targets.settings'"), 1);
    struct vg_target_settings got;
    assert_status(vg_target_settings_get(s, "pe cll", &got, &e), VG_OK, &e);
    assert_int_equal(got.capacity, 6);
    assert_true(got.capacity_share < 0);
    assert_true(got.random_share == 0.5);
    struct vg_target_options o = day(-1, 5);
    struct vg_target_run run;
    assert_int_equal(select_day(s, &o, &run), VG_OK);
    /* 6 slots: 3 random (half), the hold, and the two best scores. */
    assert_int_equal(run.capacity, 6);
    assert_string_equal(run.capacity_source, "setting");
    assert_true(run.random_share == 0.5);
    assert_int_equal(run.holds, 1);
    assert_int_equal(run.scored, 2);
    assert_int_equal(run.random, 3);
    /* A share of the trips instead of a fixed number. */
    set = (struct vg_target_settings){
        .port = "PECLL", .capacity = -1, .capacity_share = 0.35, .random_share = -1
    };
    assert_status(vg_target_settings_set(s, &set, &e), VG_OK, &e);
    o.reselect = true;
    o.reason = "new capacity rule from the port";
    assert_int_equal(select_day(s, &o, &run), VG_OK);
    assert_int_equal(run.capacity, 4); /* ceil(0.35 * 10) */
    assert_string_equal(run.capacity_source, "share");
    set.random_share = 1.5;
    assert_status(vg_target_settings_set(s, &set, &e), VG_EINVAL, &e);
    vg_store_close(s);
}

static void test_target__draws_replay_and_tampering_shows(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("verify.db");
    struct vg_target_options o = day(8, 11);
    o.random_share = 0.5; /* 4 draws among 6 */
    struct vg_target_run run;
    assert_int_equal(select_day(s, &o, &run), VG_OK);
    assert_int_equal(run.random, 4);
    bool ok = false;
    char why[256];
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_targets_verify(s, run.id, &ok, why, sizeof(why), &e), VG_OK, &e);
    assert_true(ok);
    /* A trip that arrived after the selection does not disturb the replay. */
    vg_tt_exec(s, "INSERT INTO trips(container_id, port_call_id, port, direction, departure_at,"
                  " created_at) SELECT c.id, t.port_call_id, 'PECLL', 'export', t.departure_at,"
                  " 4102444800 FROM trips t, containers c WHERE c.number = 'TGTU2000010'"
                  " AND t.id = (SELECT min(id) FROM trips)");
    assert_status(vg_targets_verify(s, run.id, &ok, why, sizeof(why), &e), VG_OK, &e);
    assert_true(ok);
    /* A random target swapped for another trip is caught. */
    vg_tt_exec(s, "UPDATE targets SET trip_id = (SELECT id FROM trips WHERE id NOT IN"
                  " (SELECT trip_id FROM targets WHERE trip_id IS NOT NULL) AND port = 'PECLL'"
                  " ORDER BY id LIMIT 1) WHERE id = (SELECT max(id) FROM targets WHERE reason ="
                  " 'random')");
    assert_status(vg_targets_verify(s, run.id, &ok, why, sizeof(why), &e), VG_OK, &e);
    assert_false(ok);
    assert_non_null(strstr(why, "should have been"));
    vg_store_close(s);
}

/* Exploration: after the random draws, the smallest draws among the trips whose model
 * reason names novel features; slots it cannot fill go back to the scores; replayed. */
static void test_target__explore_draws_among_novel_trips(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("explore.db");
    static const char *const novel[] = { "TGTU1000062", "TGTU1000078", "TGTU1000083" };
    char sql[600];
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof(sql),
                 "INSERT INTO assessment_reasons(assessment_id, seq, kind, code, weight, text,"
                 " evidence) SELECT a.id, 9, 'model', 'm1', 1, 'Model m1', '{\"probability\":0.1,"
                 "\"novel\":[\"seal_load\"]}' FROM assessments a WHERE a.trip_id = %lld",
                 (long long)vg_tt_trip(s, novel[i], "FA123E"));
        vg_tt_exec(s, sql);
    }
    /* TGTU1000041's model reads nothing as novel. */
    vg_tt_exec(s, "UPDATE assessment_reasons SET evidence = '{\"novel\":[]}' WHERE kind = 'model'"
                  " AND code <> 'm1'");
    struct vg_target_options o = day(8, 5);
    o.random_share = 0.25;  /* 2 draws */
    o.explore_share = 0.25; /* 2 exploration draws */
    struct vg_target_run run;
    assert_int_equal(select_day(s, &o, &run), VG_OK);
    assert_int_equal(run.holds, 1);
    assert_int_equal(run.random, 2);
    /* The expected draws, from the documented rule: random among the six trips left after
     * the hold and three by score, then exploration among the novel trips not drawn. */
    static const char *const pool[] = { "TGTU1000057", "TGTU1000062", "TGTU1000078",
                                        "TGTU1000083", "TGTU1000099", "TGTU1000102" };
    uint8_t d[6][32];
    int order[6] = { 0, 1, 2, 3, 4, 5 };
    for (int i = 0; i < 6; i++) {
        spec_draw(run.seed, vg_tt_trip(s, pool[i], "FA123E"), d[i]);
    }
    for (int i = 0; i < 6; i++) {
        for (int j = i + 1; j < 6; j++) {
            if (memcmp(d[order[j]], d[order[i]], 32) < 0) {
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
    }
    const char *want[2];
    int nwant = 0;
    for (int k = 2; k < 6 && nwant < 2; k++) {
        if (order[k] >= 1 && order[k] <= 3) {
            want[nwant++] = pool[order[k]];
        }
    }
    assert_true(nwant >= 1);
    assert_int_equal(run.explore, nwant);
    /* Every slot is used: what exploration could not fill went to the scores. */
    assert_int_equal(run.holds + run.scored + run.random + run.explore, 8);
    assert_int_equal(run.scored, 3 + 2 - nwant);
    struct rows *r = list_run(s, run.id, false);
    int seen = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(col(r, i, "selection"), "explore") == 0) {
            assert_string_equal(col(r, i, "container"), want[seen]);
            seen++;
        }
    }
    assert_int_equal(seen, nwant);
    free(r);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM targets WHERE reason = 'explore' AND"
                                  " length(random_draw) = 32"),
                     nwant);
    char buf[400];
    vg_tt_text(s, "SELECT objects FROM audit_log WHERE action = 'targets.select'", buf,
               sizeof(buf));
    assert_non_null(strstr(buf, nwant == 2 ? "\"explore\":2" : "\"explore\":1"));
    /* The replay checks the exploration draws too; a swapped one is caught. */
    bool ok = false;
    char why[256];
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_targets_verify(s, run.id, &ok, why, sizeof(why), &e), VG_OK, &e);
    assert_true(ok);
    assert_non_null(strstr(why, "exploration draws"));
    snprintf(sql, sizeof(sql),
             "UPDATE targets SET trip_id = %lld WHERE id = (SELECT min(id) FROM targets WHERE"
             " reason = 'explore')",
             (long long)vg_tt_trip(s, "TGTU1000099", "FA123E"));
    vg_tt_exec(s, sql);
    assert_status(vg_targets_verify(s, run.id, &ok, why, sizeof(why), &e), VG_OK, &e);
    assert_false(ok);
    vg_store_close(s);

    /* No share, no exploration: the scores take the slots. */
    s = vg_tt_store("explore0.db");
    o.explore_share = 0;
    assert_int_equal(select_day(s, &o, &run), VG_OK);
    assert_int_equal(run.explore, 0);
    assert_int_equal(run.scored, 5);
    vg_store_close(s);
}

static void test_target__secure_draws_are_not_seeded(void **state)
{
    (void)state;
    struct vg_store *a = vg_tt_store("secure_a.db");
    struct vg_store *b = vg_tt_store("secure_b.db");
    struct vg_target_options o = day(4, 0);
    o.seeded = false;
    struct vg_target_run ra, rb;
    assert_int_equal(select_day(a, &o, &ra), VG_OK);
    assert_int_equal(select_day(b, &o, &rb), VG_OK);
    assert_false(ra.seeded);
    assert_true(memcmp(ra.seed, rb.seed, 32) != 0);
    assert_int_equal(vg_tt_int(a, "SELECT seeded FROM target_runs"), 0);
    assert_int_equal(vg_tt_int(a, "SELECT length(seed) FROM target_runs"), 32);
    vg_store_close(a);
    vg_store_close(b);
}

static void add_encounter(struct vg_store *s, const char *voyage, int64_t start, double conf)
{
    char sql[768];
    snprintf(sql, sizeof(sql),
             "INSERT INTO vessel_events(kind, mmsi, vessel_id, other_mmsi, start_at, end_at, lat,"
             " lon, confidence, explanation, port_call_id, created_at)"
             " SELECT 'encounter', 311000001, pc.vessel_id, 760000%03d, %lld, %lld, -12.1, -77.4,"
             " %.2f, 'met a small craft for 40 min at night', pc.id, 0 FROM port_calls pc"
             " WHERE pc.voyage = '%s'",
             (int)(start % 1000), (long long)start, (long long)start + 2400, conf, voyage);
    vg_tt_exec(s, sql);
}

static void test_target__vessel_targets_from_vessel_events(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("vessels.db");
    struct vg_target_options o = day(4, 2);
    struct vg_target_run run;
    assert_int_equal(select_day(s, &o, &run), VG_OK);
    assert_int_equal(run.vessels, 0);
    /* The events arrive after the selection: selecting again adds the voyage. */
    add_encounter(s, "FA123E", 1714800000, 0.8);
    add_encounter(s, "FA123E", 1714803600, 0.5);
    add_encounter(s, "ZZ1", 1714850000, 0.9); /* departs the next day */
    assert_int_equal(select_day(s, &o, &run), VG_OK);
    assert_true(run.recorded);
    assert_int_equal(run.vessels_added, 1);
    assert_int_equal(run.vessels, 1);
    struct rows *r = list_run(s, run.id, true);
    assert_int_equal(r->n, 1);
    assert_string_equal(col(r, 0, "vessel"), "MSC ANNA");
    assert_string_equal(col(r, 0, "imo"), "9074729");
    assert_string_equal(col(r, 0, "voyage"), "FA123E");
    assert_string_equal(col(r, 0, "events"), "2");
    assert_string_equal(col(r, 0, "score"), "0.90"); /* 1 - 0.2 * 0.5 */
    assert_string_equal(col(r, 0, "selection"), "vessel");
    assert_non_null(strstr(col(r, 0, "reasons"), "met a small craft"));
    free(r);
    assert_int_equal(
        vg_tt_int(s, "SELECT count(*) FROM audit_log WHERE action = 'targets.vessels'"), 1);
    /* Again: nothing new, nothing written. */
    int64_t audit = vg_tt_int(s, "SELECT count(*) FROM audit_log");
    assert_int_equal(select_day(s, &o, &run), VG_OK);
    assert_int_equal(run.vessels_added, 0);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM audit_log"), audit);
    vg_store_close(s);
}

static size_t count_rows(struct vg_store *s, const char *port)
{
    struct rows *r = calloc(1, sizeof(*r));
    struct vg_row_sink sink = { .columns = cap_columns, .row = cap_row, .user = r };
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_targets_pending(s, port, &sink, &e), VG_OK, &e);
    size_t n = r->n;
    free(r);
    return n;
}

static void test_target__dispositions_need_reasons(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("dispose.db");
    struct vg_target_options o = day(4, 9);
    struct vg_target_run run;
    assert_int_equal(select_day(s, &o, &run), VG_OK);
    assert_int_equal(count_rows(s, NULL), 4);
    assert_int_equal(count_rows(s, "PEPAI"), 0);
    int64_t first = vg_tt_int(s, "SELECT min(id) FROM targets");
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_target_dispose(s, first, VG_DISPOSE_WAIVED, NULL, "busy", &e), VG_EINVAL, &e);
    assert_non_null(strstr(e.message, "reason"));
    assert_status(vg_target_dispose(s, first, VG_DISPOSE_WAIVED, "friend_of_chief", NULL, &e),
                  VG_EINVAL, &e);
    assert_non_null(strstr(e.message, "diplomatic"));
    assert_status(vg_target_dispose(s, first, VG_DISPOSE_WAIVED, "diplomatic", NULL, &e), VG_OK,
                  &e);
    assert_status(vg_target_dispose(s, first, VG_DISPOSE_NOT_ARRIVED, NULL, NULL, &e), VG_ECONFLICT,
                  &e);
    assert_status(vg_target_dispose(s, first + 1, VG_DISPOSE_WAIVED, NULL,
                                    "examined by the navy this morning, act 2024-118", &e),
                  VG_OK, &e);
    assert_status(vg_target_dispose(s, first + 2, VG_DISPOSE_BL_DELETED, NULL, NULL, &e), VG_OK,
                  &e);
    assert_status(vg_target_dispose(s, 999, VG_DISPOSE_BL_DELETED, NULL, NULL, &e), VG_ENOTFOUND,
                  &e);
    assert_int_equal(count_rows(s, "PECLL"), 1);
    char buf[64];
    assert_string_equal(vg_tt_text(s,
                                   "SELECT waiver_code FROM inspections WHERE state = 'waived'"
                                   " ORDER BY id",
                                   buf, sizeof(buf)),
                        "diplomatic");
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM inspections WHERE state = 'bl_deleted'"),
                     1);
    assert_int_equal(
        vg_tt_int(s, "SELECT count(*) FROM audit_log WHERE action = 'targets.dispose'"), 3);
    enum vg_disposition d;
    assert_true(vg_disposition_parse("not-arrived", &d));
    assert_int_equal(d, VG_DISPOSE_NOT_ARRIVED);
    assert_false(vg_disposition_parse("inspected", &d));
    vg_store_close(s);
}

static void test_target__bad_options_are_refused(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("bad.db");
    struct vg_target_run run;
    struct vg_target_options o = day(4, 1);
    o.port = "CALLAO";
    assert_int_equal(select_day(s, &o, &run), VG_EINVAL);
    o = day(4, 1);
    o.date = "2024-02-30";
    assert_int_equal(select_day(s, &o, &run), VG_EINVAL);
    o.date = "3 May";
    assert_int_equal(select_day(s, &o, &run), VG_EINVAL);
    o = day(4, 1);
    o.random_share = 1.5;
    assert_int_equal(select_day(s, &o, &run), VG_EINVAL);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM target_runs"), 0);
    vg_store_close(s);
}

static void test_target__unassessed_trips_can_be_drawn(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("unassessed.db");
    struct vg_target_options o = day(10, 4);
    o.random_share = 1.0; /* every slot random: all nine non-hold trips are drawn */
    struct vg_target_run run;
    assert_int_equal(select_day(s, &o, &run), VG_OK);
    assert_int_equal(run.holds, 1);
    assert_int_equal(run.scored, 0);
    assert_int_equal(run.random, 9);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM targets tg JOIN trips t ON t.id ="
                                  " tg.trip_id JOIN containers c ON c.id = t.container_id WHERE"
                                  " c.number = 'TGTU1000102' AND tg.reason = 'random' AND"
                                  " tg.assessment_id IS NULL"),
                     1);
    vg_store_close(s);
}

static void test_target__days_are_port_local(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("local.db");
    /* MSC ANNA leaves 2024-05-04T03:00Z, which is 22:00 on the 3rd in Callao. */
    struct vg_target_options o = day(4, 1);
    o.date = "2024-05-04";
    struct vg_target_run run;
    assert_int_equal(select_day(s, &o, &run), VG_OK);
    assert_int_equal(run.trips, 2);
    assert_int_equal(run.assessed, 0);
    assert_int_equal(run.day_start, 1714798800); /* 2024-05-04T05:00Z */
    assert_int_equal(run.day_end - run.day_start, 86400);
    o.port = "PEPAI";
    o.date = "2024-05-03";
    assert_int_equal(select_day(s, &o, &run), VG_OK);
    assert_int_equal(run.trips, 1);
    vg_store_close(s);
}

static enum vg_status select_op(void *ctx)
{
    struct vg_target_options o = day(4, 42);
    struct vg_target_run run;
    return select_day(ctx, &o, &run);
}

static void test_target__selection_without_memory_leaves_nothing(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("oom.db");
    vg_tt_exec(s, "INSERT INTO vessel_events(kind, mmsi, vessel_id, start_at, end_at, confidence,"
                  " explanation, port_call_id, created_at) SELECT 'gap', 311000001, vessel_id,"
                  " 1714800000, 1714830000, 0.6, 'silent', id, 0 FROM port_calls WHERE voyage ="
                  " 'FA123E'");
    assert_true(vg_test_oom_loop(select_op, NULL, s, 200) > 1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM target_runs"), 1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM targets"), 5);
    vg_store_close(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_target__selects_in_asycuda_order),
    cmocka_unit_test(test_target__same_day_again_returns_the_record),
    cmocka_unit_test(test_target__reselect_needs_a_reason_and_keeps_the_old),
    cmocka_unit_test(test_target__default_capacity_is_two_percent),
    cmocka_unit_test(test_target__port_settings_set_capacity_and_share),
    cmocka_unit_test(test_target__draws_replay_and_tampering_shows),
    cmocka_unit_test(test_target__explore_draws_among_novel_trips),
    cmocka_unit_test(test_target__secure_draws_are_not_seeded),
    cmocka_unit_test(test_target__vessel_targets_from_vessel_events),
    cmocka_unit_test(test_target__dispositions_need_reasons),
    cmocka_unit_test(test_target__bad_options_are_refused),
    cmocka_unit_test(test_target__unassessed_trips_can_be_drawn),
    cmocka_unit_test(test_target__days_are_port_local),
    cmocka_unit_test(test_target__selection_without_memory_leaves_nothing),
};

VG_TEST_MAIN(tests)
