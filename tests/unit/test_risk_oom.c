/* Allocation failure in scoring: vg_risk_score fails cleanly with VG_ENOMEM whichever of its
 * allocations fails, writes nothing then, and leaks nothing (ASan checks); the run that
 * finally succeeds writes the same as a run that never failed.
 * ctest-labels: unit oom
 */
#include "store/store_int.h"
#include "vg_test.h"

#include <sqlite3.h>
#include <vigia/alloc.h>
#include <vigia/ingest.h>
#include <vigia/risk.h>
#include <vigia/screen.h>
#include <vigia/store.h>
#include <vigia/time.h>

static const char manifest[] =
    "{\"type\":\"manifest\",\"sender\":\"MSC-PE\",\"document_number\":\"CUS-1\","
    "\"prepared_at\":\"2024-06-03T12:00:00Z\",\"voyage\":{\"vessel\":{\"name\":\"MSC ANNA\","
    "\"imo\":\"9074729\"},\"voyage\":\"024W\",\"carrier\":\"MSC\",\"port\":\"PECLL\","
    "\"terminal\":\"DPW\",\"etd\":\"2024-06-05T22:00:00Z\"},\"consignments\":["
    "{\"bill_of_lading\":\"BL1\",\"places\":{\"loading\":\"PECLL\",\"discharge\":\"NLRTM\","
    "\"transhipment\":[\"PABLB\"]},\"parties\":[{\"role\":\"shipper\",\"name\":\"Agro Norte "
    "S.A.C.\",\"id\":\"20100047218\",\"country\":\"PE\",\"address\":\"AV LOS FRUTALES 120\"},"
    "{\"role\":\"consignee\",\"name\":\"Fruit BV\",\"country\":\"BE\"},{\"role\":\"forwarder\","
    "\"name\":\"Ocean Air SAC\",\"country\":\"PE\"}],\"equipment\":[{\"container\":"
    "\"MSCU1000017\",\"size_type\":\"45R1\",\"seals\":[{\"number\":\"SL100\",\"party\":\"SH\"}]}],"
    "\"goods\":[{\"hs_code\":\"080440\",\"description\":\"FRESH AVOCADOS\",\"packages\":1800,"
    "\"package_type\":\"BOXES\",\"gross_kg\":21600,\"containers\":[\"MSCU1000017\"]}]}]}\n"
    "{\"type\":\"event\",\"sender\":\"DPW\",\"container\":\"MSCU1000017\",\"event\":\"gate_in\","
    "\"time\":\"2024-06-03T03:00:00Z\",\"port\":\"PECLL\",\"terminal\":\"DPW\","
    "\"seals\":[\"SL100\"],\"seal_party\":\"SH\"}\n"
    "{\"type\":\"event\",\"sender\":\"DPW\",\"container\":\"MSCU1000017\",\"event\":\"load\","
    "\"time\":\"2024-06-05T15:00:00Z\",\"port\":\"PECLL\",\"terminal\":\"DPW\",\"vessel\":"
    "{\"name\":\"MSC ANNA\",\"imo\":\"9074729\"},\"voyage\":\"024W\",\"seals\":[\"SL999\"],"
    "\"seal_party\":\"CA\"}\n";

struct ctx {
    struct vg_store *store;
};

static enum vg_status score_op(void *user)
{
    struct ctx *c = user;
    struct vg_risk_options o = { .as_of = 1719792000 /* 2024-07-01 */ };
    struct vg_risk_report r;
    struct vg_error e;
    return vg_risk_score(c->store, &o, &r, &e);
}

static void test_risk_oom__score_fails_cleanly(void **state)
{
    (void)state;
    struct vg_store_options o = { .create = true, .actor = "tester" };
    struct ctx c = { NULL };
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_store_open(vg_test_tmpfile("o.db"), &o, &c.store, &e), VG_OK, &e);
    struct vg_ingest_report ir;
    assert_status(
        vg_ingest_buffer(c.store, "m.json", manifest, sizeof(manifest) - 1, NULL, &ir, &e), VG_OK,
        &e);
    const char *path = vg_test_tmpfile("wl.csv");
    static const char csv[] = "name,type,country,identifier\n\"OCEAN AIR S.A.C.\",party,PE,\n";
    vg_test_write_file(path, csv, sizeof(csv) - 1);
    struct vg_watchlist_report wr;
    assert_status(vg_watchlist_import_csv(c.store, path, "pcu", &wr, NULL, NULL, &e), VG_OK, &e);
    assert_int_equal(sqlite3_exec(c.store->db,
                                  "INSERT INTO outcomes(container_number, bl_number, port,"
                                  " inspected_at, result, digest, recorded_at) VALUES("
                                  "'MSCU1000022', 'BLX', 'NLRTM', 1717000000, 'drugs',"
                                  " randomblob(32), 0)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    /* The default rules are stored by a first call outside the loop. */
    struct vg_rule_set *set = NULL;
    int64_t id;
    assert_status(vg_risk_rules_active(c.store, &set, &id, &e), VG_OK, &e);
    vg_rules_free(set);
    unsigned long before = vg_alloc_count();
    assert_int_equal(score_op(&c), VG_OK); /* counts the allocations of a run */
    unsigned long allocations = vg_alloc_count() - before;
    assert_int_equal(sqlite3_exec(c.store->db,
                                  "DELETE FROM assessment_reasons;"
                                  " DELETE FROM assessments",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    int runs = vg_test_oom_loop(score_op, NULL, &c, 200000);
    /* Every allocation of the run was made to fail once before it succeeded. */
    assert_int_equal((unsigned long)runs, allocations + 1);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(c.store->db, "SELECT count(*) FROM assessments", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    /* One assessment as of the loading; the re-score as of July adds nothing new. */
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    vg_store_close(c.store);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_risk_oom__score_fails_cleanly),
};

VG_TEST_MAIN(tests)
