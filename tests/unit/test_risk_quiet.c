/* Quiet trips (src/risk/quiet.c): a trip just assessed as of its loading is not computed again
 * as of the run's instant when nothing dated since could change its record. The versions
 * written must be exactly those of computing every re-score: compared table against table on
 * a simulated world scored at several instants, and fact by fact on a hand-written trip (a
 * later event, seal, amendment, vessel event or linked seizure each make it computed). */
#include "risk/risk_int.h"
#include "vg_targeting.h"
#include "vg_test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/ingest.h>
#include <vigia/outcome.h>
#include <vigia/risk.h>
#include <vigia/screen.h>
#include <vigia/sim.h>
#include <vigia/store.h>
#include <vigia/time.h>

/* ---- helpers -------------------------------------------------------------------------- */

static int64_t T(const char *iso)
{
    int64_t t;
    struct vg_error e;
    assert_int_equal(vg_time_parse_iso8601(vg_slice_from_cstr(iso), NULL, &t, &e), VG_OK);
    return t;
}

/* Every column of every row of a query, as text (a digest would hide the difference). */
static char *dump(struct vg_store *s, const char *sql)
{
    struct vg_buf b;
    vg_buf_init(&b, 1u << 30);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const unsigned char *v = sqlite3_column_text(st, i);
            assert_int_equal(vg_buf_printf(&b, "%s%s", i ? "|" : "", v ? (const char *)v : "~"),
                             VG_OK);
        }
        assert_int_equal(vg_buf_append_char(&b, '\n'), VG_OK);
    }
    sqlite3_finalize(st);
    assert_int_equal(vg_buf_append_char(&b, '\0'), VG_OK);
    return b.data;
}

static void score(struct vg_store *s, int64_t as_of, bool all, struct vg_risk_report *r)
{
    struct vg_risk_options o = { .as_of = as_of, .recompute_all = all };
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_risk_score(s, &o, r, &e), VG_OK, &e);
}

/* ---- the simulated world ---------------------------------------------------------------- */

static const char *sim_world(void)
{
    static const char config[] = "{\"extends\": \"peru\",\n"
                                 " \"patterns\": {\n"
                                 "  \"rip_on\": {\"rate_per_1000\": 15},\n"
                                 "  \"front_company\": {\"rate_per_1000\": 15},\n"
                                 "  \"watchlist_party\": {\"rate_per_1000\": 8},\n"
                                 "  \"cloned_container\": {\"rate_per_1000\": 8}}}\n";
    return vg_tt_sim_world("quiet-world", config, 11, 24, 0.12);
}

static const char assessments_sql[] =
    "SELECT id, trip_id, version, moment, as_of, score, band, mandatory_hold, rule_set_id,"
    " model_id, features, hex(features_digest) FROM assessments ORDER BY id";
static const char reasons_sql[] =
    "SELECT assessment_id, seq, kind, code, weight, text, evidence FROM assessment_reasons"
    " ORDER BY assessment_id, seq";

/* The world scored at six instants (loadings still to come, between, after every loading,
 * the same instant twice, long after), once leaving quiet trips out and once computing
 * every trip, stores the same versions, reasons and records; returns the computations
 * left out. */
static int64_t compare_runs(const char *dir, bool bay_plans)
{
    struct vg_store *quiet = vg_tt_sim_store(bay_plans ? "quiet.db" : "quiet-nb.db", dir);
    struct vg_store *all = vg_tt_sim_store(bay_plans ? "all.db" : "all-nb.db", dir);
    assert_true(vg_tt_int(quiet, "SELECT count(*) FROM trips") > 1000);
    assert_true(vg_tt_int(quiet, "SELECT count(*) FROM outcomes") > 50);
    if (!bay_plans) {
        static const char sql[] = "DELETE FROM seals WHERE event_id IN (SELECT id FROM"
                                  " equipment_events WHERE kind = 'stowage');"
                                  "DELETE FROM equipment_events WHERE kind = 'stowage'";
        vg_tt_exec(quiet, sql);
        vg_tt_exec(all, sql);
    }
    static const char *const instants[] = { "2024-05-12T00:00:00Z", "2024-05-19T12:00:00Z",
                                            "2024-05-26T00:00:00Z", "2024-06-08T00:00:00Z",
                                            "2024-06-08T00:00:00Z", "2024-07-20T00:00:00Z" };
    int64_t computed_quiet = 0, computed_all = 0, rescored = 0, unchanged = 0;
    for (size_t i = 0; i < sizeof(instants) / sizeof(instants[0]); i++) {
        struct vg_risk_report a, b;
        score(quiet, T(instants[i]), false, &a);
        score(all, T(instants[i]), true, &b);
        assert_int_equal(a.trips, b.trips);
        assert_int_equal(a.assessed, b.assessed);
        assert_int_equal(a.rescored, b.rescored);
        assert_int_equal(a.unchanged, b.unchanged);
        assert_int_equal(a.red, b.red);
        assert_int_equal(a.amber, b.amber);
        assert_int_equal(a.holds, b.holds);
        computed_quiet += a.computed;
        computed_all += b.computed;
        rescored += a.rescored;
        unchanged += a.unchanged;
    }
    /* The comparison means something: versions added by later evidence, and records
     * found unchanged. */
    assert_true(rescored > 1000);
    assert_true(unchanged > 1000);
    assert_true(computed_quiet <= computed_all);
    char *a = dump(quiet, assessments_sql), *b = dump(all, assessments_sql);
    assert_true(strlen(a) > 1000000);
    assert_string_equal(a, b);
    vg_free(a);
    vg_free(b);
    a = dump(quiet, reasons_sql);
    b = dump(all, reasons_sql);
    assert_true(strlen(a) > 100000);
    assert_string_equal(a, b);
    vg_free(a);
    vg_free(b);
    vg_store_close(quiet);
    vg_store_close(all);
    return computed_all - computed_quiet;
}

/* As the world comes: the bay plan of every call is dated after its loadings, so nearly
 * every trip has later evidence and is computed again. */
static void test_risk_quiet__same_versions_as_computing_every_trip(void **state)
{
    (void)state;
    assert_true(compare_runs(sim_world(), true) >= 0);
}

/* Without bay plans many trips are quiet after their loading: left out, the same versions. */
static void test_risk_quiet__quiet_trips_left_out_same_versions(void **state)
{
    (void)state;
    assert_true(compare_runs(sim_world(), false) > 1000);
}

/* ---- one trip, fact by fact ------------------------------------------------------------- */

/* A call of MSC ANNA at Callao leaving 2024-06-05 with MSCU1000017 of Agro Norte, gated in
 * on the 3rd and loaded on the 5th, and MSCU1000022 of the same shipper on another bill. */
static const char manifest_json[] =
    "{\"type\":\"manifest\",\"sender\":\"MSC-PE\",\"document_number\":\"CUS-1\","
    "\"function\":\"original\",\"prepared_at\":\"2024-06-03T12:00:00Z\","
    "\"voyage\":{\"vessel\":{\"name\":\"MSC ANNA\",\"imo\":\"9074729\"},\"voyage\":\"024W\","
    "\"carrier\":\"MSC\",\"port\":\"PECLL\",\"terminal\":\"DPW\",\"etd\":\"2024-06-05T22:00:00Z\"},"
    "\"consignments\":["
    "{\"bill_of_lading\":\"BL1\",\"places\":{\"loading\":\"PECLL\",\"discharge\":\"NLRTM\"},"
    "\"parties\":[{\"role\":\"shipper\",\"name\":\"Agro Norte S.A.C.\",\"id\":\"20100047218\","
    "\"country\":\"PE\"},{\"role\":\"consignee\",\"name\":\"Fruit BV\",\"country\":\"BE\"}],"
    "\"equipment\":[{\"container\":\"MSCU1000017\",\"size_type\":\"45R1\","
    "\"seals\":[{\"number\":\"SL100\",\"party\":\"SH\"}]}],"
    "\"goods\":[{\"hs_code\":\"080440\",\"description\":\"FRESH AVOCADOS\",\"packages\":1800,"
    "\"package_type\":\"BOXES\",\"gross_kg\":21600,\"containers\":[\"MSCU1000017\"]}]},"
    "{\"bill_of_lading\":\"BL2\",\"places\":{\"loading\":\"PECLL\",\"discharge\":\"NLRTM\"},"
    "\"parties\":[{\"role\":\"shipper\",\"name\":\"Agro Norte S.A.C.\",\"id\":\"20100047218\","
    "\"country\":\"PE\"},{\"role\":\"consignee\",\"name\":\"Berry Import BV\",\"country\":\"NL\"}],"
    "\"equipment\":[{\"container\":\"MSCU1000022\",\"size_type\":\"45R1\"}],"
    "\"goods\":[{\"hs_code\":\"081040\",\"description\":\"FRESH BLUEBERRIES\",\"packages\":2000,"
    "\"package_type\":\"BOXES\",\"gross_kg\":9000,\"containers\":[\"MSCU1000022\"]}]}]}\n";

static const char events_json[] =
    "{\"type\":\"event\",\"sender\":\"DPW\",\"container\":\"MSCU1000017\",\"event\":\"gate_in\","
    "\"time\":\"2024-06-03T03:00:00Z\",\"port\":\"PECLL\",\"terminal\":\"DPW\","
    "\"seals\":[\"SL100\"],\"seal_party\":\"SH\"}\n"
    "{\"type\":\"event\",\"sender\":\"DPW\",\"container\":\"MSCU1000017\",\"event\":\"load\","
    "\"time\":\"2024-06-05T15:00:00Z\",\"port\":\"PECLL\",\"terminal\":\"DPW\","
    "\"vessel\":{\"name\":\"MSC ANNA\",\"imo\":\"9074729\"},\"voyage\":\"024W\","
    "\"seals\":[\"SL100\"],\"seal_party\":\"SH\"}\n";

static struct vg_store *trip_world(const char *name)
{
    struct vg_store *s = vg_tt_empty(name);
    const char *docs[2][2] = { { "manifest.json", manifest_json }, { "events.json", events_json } };
    for (int i = 0; i < 2; i++) {
        struct vg_ingest_report r;
        struct vg_error e;
        vg_error_clear(&e);
        assert_status(vg_ingest_buffer(s, docs[i][0], docs[i][1], strlen(docs[i][1]), NULL, &r, &e),
                      VG_OK, &e);
        assert_int_equal(r.rejected, 0);
    }
    return s;
}

/* Whether MSCU1000017's trip is quiet from its loading to 2024-06-20, and (checked against
 * the features themselves) that its records then agree. */
static bool quiet_after_loading(struct vg_store *s)
{
    struct rk_ctx *c = vg_calloc(1, sizeof(*c));
    assert_non_null(c);
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(rk_ctx_load(c, s, &e), VG_OK, &e);
    assert_status(rk_ctx_prepare(c, &e), VG_OK, &e);
    int64_t id = vg_tt_int(s, "SELECT t.id FROM trips t JOIN containers k ON k.id = t.container_id"
                      " WHERE k.number = 'MSCU1000017'");
    uint32_t ti = c->trip_by_id[id] - 1;
    const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, ti);
    assert_int_equal(t->t_ref, T("2024-06-05T15:00:00Z"));
    struct rk_quiet qt;
    assert_status(rk_quiet_init(&qt, c, &e), VG_OK, &e);
    bool quiet = false;
    int64_t until = T("2024-06-20T00:00:00Z");
    assert_status(rk_quiet_between(&qt, ti, t->t_ref, until, &quiet), VG_OK, &e);
    /* A later instant than a trip's reference time only: never before it. */
    bool before = true;
    assert_status(rk_quiet_between(&qt, ti, t->t_ref - 1, until, &before), VG_OK, &e);
    assert_false(before);
    if (quiet) {
        struct vg_arena arena;
        vg_arena_init(&arena, 0, 0);
        static struct vg_value rec[2][VG_F_COUNT];
        static struct rk_src src[2][VG_F_COUNT][2];
        uint8_t d[2][VG_DIGEST_SIZE];
        for (int k = 0; k < 2; k++) {
            assert_status(rk_compute(c, ti, k == 0 ? t->t_ref : until, &arena, rec[k], src[k],
                                     NULL, &e),
                          VG_OK, &e);
            rk_record_digest(rec[k], (const struct rk_src(*)[2])src[k], d[k]);
        }
        assert_memory_equal(d[0], d[1], VG_DIGEST_SIZE);
        vg_arena_release(&arena);
    }
    rk_quiet_release(&qt);
    rk_ctx_release(c);
    vg_free(c);
    return quiet;
}

static void test_risk_quiet__each_later_fact_wakes_the_trip(void **state)
{
    (void)state;
    struct vg_store *s = trip_world("fact0.db");
    assert_true(quiet_after_loading(s));
    /* The other container of the call moving after the loading concerns another trip. */
    vg_tt_exec(s, "INSERT INTO equipment_events(container_id, kind, event_at, place, created_at)"
            " SELECT id, 'gate_in', 1718000000, 'PECLL', 0 FROM containers"
            " WHERE number = 'MSCU1000022'");
    assert_true(quiet_after_loading(s));
    vg_store_close(s);

    /* Each of these, dated after the loading and before the instant, may change the record:
     * SQL, or a document to ingest. */
    static const char amended[] =
        "{\"type\":\"manifest\",\"sender\":\"MSC-PE\",\"document_number\":\"CUS-1\","
        "\"function\":\"replace\",\"prepared_at\":\"2024-06-10T12:00:00Z\","
        "\"voyage\":{\"vessel\":{\"name\":\"MSC ANNA\",\"imo\":\"9074729\"},\"voyage\":\"024W\","
        "\"carrier\":\"MSC\",\"port\":\"PECLL\",\"terminal\":\"DPW\",\"etd\":\"2024-06-05T22:00:00Z\"},"
        "\"consignments\":[{\"bill_of_lading\":\"BL1\",\"places\":{\"loading\":\"PECLL\","
        "\"discharge\":\"NLRTM\",\"delivery\":\"DEHAM\"},"
        "\"parties\":[{\"role\":\"shipper\",\"name\":\"Agro Norte S.A.C.\",\"id\":\"20100047218\","
        "\"country\":\"PE\"},{\"role\":\"consignee\",\"name\":\"Nordic Trade GmbH\","
        "\"country\":\"DE\"}],"
        "\"equipment\":[{\"container\":\"MSCU1000017\",\"size_type\":\"45R1\","
        "\"seals\":[{\"number\":\"SL100\",\"party\":\"SH\"}]}],"
        "\"goods\":[{\"hs_code\":\"080440\",\"description\":\"FRESH AVOCADOS\",\"packages\":1800,"
        "\"package_type\":\"BOXES\",\"gross_kg\":21600,\"containers\":[\"MSCU1000017\"]}]}]}\n";
    static const char *const facts[] = {
        /* the container discharged at its next port (2024-06-14) */
        "INSERT INTO equipment_events(container_id, kind, event_at, place, created_at)"
        " SELECT id, 'discharge', 1718400000, 'PABLB', 0 FROM containers"
        " WHERE number = 'MSCU1000017'",
        /* a seal seen on it */
        "INSERT INTO seals(container_id, seal_number, source_kind, observed_at, place)"
        " SELECT id, 'SL555', 'inspection', 1718400000, 'PABLB' FROM containers"
        " WHERE number = 'MSCU1000017'",
        /* its bill replaced */
        amended,
        /* the vessel loitering on the voyage */
        "INSERT INTO vessel_events(kind, mmsi, vessel_id, start_at, end_at, lat, lon,"
        " explanation, created_at) SELECT 'loitering', 0, id, 1718400000, 1718420000, -5.0,"
        " -82.0, 'test', 0 FROM vessels",
        /* drugs found at destination in the shipper's other container */
        "INSERT INTO outcomes(container_number, bl_number, port, inspected_at, result,"
        " found_at, digest, recorded_at) VALUES('MSCU1000022', 'BL2', 'NLRTM', 1718400000,"
        " 'drugs', 'destination', randomblob(32), 0)",
    };
    for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
        char name[32];
        snprintf(name, sizeof(name), "fact%zu.db", i + 1);
        s = trip_world(name);
        if (facts[i][0] == '{') {
            struct vg_ingest_report r;
            struct vg_error e;
            vg_error_clear(&e);
            assert_status(vg_ingest_buffer(s, "amended.json", facts[i], strlen(facts[i]), NULL,
                                           &r, &e),
                          VG_OK, &e);
        } else {
            vg_tt_exec(s, facts[i]);
        }
        if (quiet_after_loading(s)) {
            fail_msg("still quiet after: %.60s", facts[i]);
        }
        vg_store_close(s);
    }
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_risk_quiet__same_versions_as_computing_every_trip),
    cmocka_unit_test(test_risk_quiet__quiet_trips_left_out_same_versions),
    cmocka_unit_test(test_risk_quiet__each_later_fact_wakes_the_trip),
};

VG_TEST_MAIN(tests)
