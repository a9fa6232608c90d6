/* KPIs: hit rates by selection reason, per rule and per port, kg per examination, finds
 * abroad against what the port missed, waivers, and the random-stream estimate with its
 * Wilson interval, on a hand-built day with exact expected numbers. */
#include "vg_targeting.h"
#include "vg_test.h"

#include <math.h>
#include <stdlib.h>
#include <vigia/kpi.h>
#include <vigia/outcome.h>
#include <vigia/target.h>
#include <vigia/time.h>

static struct vg_tt_report *kpi(struct vg_store *s, const char *port)
{
    struct vg_tt_report *r = vg_tt_report_new();
    struct vg_report_sink sink = vg_tt_report_sink(r);
    struct vg_kpi_filter f = { port, VG_TIME_NONE, VG_TIME_NONE };
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_kpi_report(s, &f, &sink, &e), VG_OK, &e);
    return r;
}

static int64_t target_of(struct vg_store *s, const char *reason)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT id FROM targets WHERE reason = '%s'", reason);
    return vg_tt_int(s, sql);
}

static void
record(struct vg_store *s, int64_t target, enum vg_outcome_result result, double kg, int hour)
{
    struct vg_outcome o;
    memset(&o, 0, sizeof(o));
    o.inspected_at = vg_time_from_civil(2024, 5, 3, hour, 0, 0);
    o.result = result;
    o.kg = kg;
    o.method = "full";
    struct vg_outcome_recorded rec;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_outcome_record(s, &o, target, &rec, &e), VG_OK, &e);
    assert_int_equal(rec.target_id, target);
}

static void test_kpi__a_day_of_targets_and_outcomes(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("kpi.db");
    vg_tt_select(s);
    struct vg_error e;
    vg_error_clear(&e);
    /* The hold found 250 kg; the random target was clean; the list target was waived. */
    record(s, target_of(s, "hold"), VG_RESULT_DRUGS, 250, 16);
    record(s, target_of(s, "random"), VG_RESULT_NEGATIVE, NAN, 18);
    assert_status(
        vg_target_dispose(s, target_of(s, "list"), VG_DISPOSE_WAIVED, "diplomatic", NULL, &e),
        VG_OK, &e);
    char random_container[16];
    vg_tt_text(s,
               "SELECT c.number FROM targets tg JOIN trips t ON t.id = tg.trip_id JOIN"
               " containers c ON c.id = t.container_id WHERE tg.reason = 'random'",
               random_container, sizeof(random_container));
    /* The file: TGTU1000020 examined clean (closes the rule target), TGTU1000041 drugs in
     * the random stream, TGTU1000016 clean, two finds abroad. */
    vg_tt_import_outcomes(s, NULL);
    struct vg_tt_report *r = kpi(s, NULL);
    assert_int_equal(r->nsections, 7);
    assert_string_equal(vg_tt_cell(r, "summary", 0, "inspections"), "5");
    assert_string_equal(vg_tt_cell(r, "summary", 0, "positives"), "2");
    assert_string_equal(vg_tt_cell(r, "summary", 0, "hit_rate"), "0.4000");
    assert_string_equal(vg_tt_cell(r, "summary", 0, "kg"), "295.5");
    assert_string_equal(vg_tt_cell(r, "summary", 0, "kg_per_inspection"), "59.1");
    assert_string_equal(vg_tt_cell(r, "summary", 0, "targets"), "4");
    assert_string_equal(vg_tt_cell(r, "summary", 0, "pending"), "0");
    assert_string_equal(vg_tt_cell(r, "summary", 0, "waiver_rate"), "0.2500");
    /* By selection: hold 1/1, rule 1/0, the random stream 2/1, the file's targeted 1/0. */
    assert_int_equal(vg_tt_rows(r, "by_selection"), 4);
    assert_string_equal(vg_tt_cell(r, "by_selection", 0, "selection"), "hold");
    assert_string_equal(vg_tt_cell(r, "by_selection", 0, "hit_rate"), "1.0000");
    assert_string_equal(vg_tt_cell(r, "by_selection", 0, "kg"), "250");
    assert_string_equal(vg_tt_cell(r, "by_selection", 1, "selection"), "rule");
    assert_string_equal(vg_tt_cell(r, "by_selection", 1, "positives"), "0");
    assert_string_equal(vg_tt_cell(r, "by_selection", 2, "selection"), "targeted");
    assert_string_equal(vg_tt_cell(r, "by_selection", 3, "selection"), "random");
    assert_string_equal(vg_tt_cell(r, "by_selection", 3, "inspections"), "2");
    assert_string_equal(vg_tt_cell(r, "by_selection", 3, "hit_rate"), "0.5000");
    assert_string_equal(vg_tt_cell(r, "by_selection", 3, "kg_per_inspection"), "22.8");
    /* Random stream: 1 in 2, Wilson 95% [0.0945, 0.9055], over the 13 trips leaving between
     * the first examination and a day after the last. */
    assert_string_equal(vg_tt_cell(r, "random_stream", 0, "inspections"), "2");
    assert_string_equal(vg_tt_cell(r, "random_stream", 0, "hit_rate"), "0.5000");
    assert_string_equal(vg_tt_cell(r, "random_stream", 0, "ci95_low"), "0.0945");
    assert_string_equal(vg_tt_cell(r, "random_stream", 0, "ci95_high"), "0.9055");
    assert_string_equal(vg_tt_cell(r, "random_stream", 0, "trips"), "13");
    assert_string_equal(vg_tt_cell(r, "random_stream", 0, "estimated_trips_with_drugs"), "6.5");
    assert_string_equal(vg_tt_cell(r, "random_stream", 0, "estimate_low"), "1.2");
    assert_string_equal(vg_tt_cell(r, "random_stream", 0, "estimate_high"), "11.8");
    /* Per rule: R-SEAL selected and examined clean; R-ROUTE on the waived target (and on
     * the random one when the draw fell on TGTU1000057). */
    size_t seal = vg_tt_row_where(r, "by_rule", "rule", "R-SEAL");
    assert_string_equal(vg_tt_cell(r, "by_rule", seal, "selected"), "1");
    assert_string_equal(vg_tt_cell(r, "by_rule", seal, "inspected"), "1");
    assert_string_equal(vg_tt_cell(r, "by_rule", seal, "hit_rate"), "0.0000");
    size_t route = vg_tt_row_where(r, "by_rule", "rule", "R-ROUTE");
    bool drew_57 = strcmp(random_container, "TGTU1000057") == 0;
    assert_string_equal(vg_tt_cell(r, "by_rule", route, "selected"), drew_57 ? "2" : "1");
    assert_string_equal(vg_tt_cell(r, "by_rule", route, "inspected"), drew_57 ? "1" : "0");
    assert_string_equal(vg_tt_cell(r, "by_port", 0, "port"), "PECLL");
    assert_string_equal(vg_tt_cell(r, "by_port", 0, "inspections"), "5");
    /* Abroad: Antwerp's find was never selected nor examined; Rotterdam's trip was the hold,
     * examined with drugs found, so not missed. */
    assert_string_equal(vg_tt_cell(r, "finds_abroad", 0, "finds"), "2");
    assert_string_equal(vg_tt_cell(r, "finds_abroad", 0, "kg"), "420");
    assert_string_equal(vg_tt_cell(r, "finds_abroad", 0, "linked"), "2");
    assert_string_equal(vg_tt_cell(r, "finds_abroad", 0, "targeted"), "1");
    assert_string_equal(vg_tt_cell(r, "finds_abroad", 0, "missed_by_examination"), "0");
    assert_string_equal(vg_tt_cell(r, "finds_abroad", 0, "missed_by_selection"), "1");
    assert_int_equal(vg_tt_rows(r, "dispositions"), 2);
    assert_string_equal(vg_tt_cell(r, "dispositions", 0, "state"), "inspected");
    assert_string_equal(vg_tt_cell(r, "dispositions", 0, "targets"), "3");
    assert_string_equal(vg_tt_cell(r, "dispositions", 1, "waiver"), "diplomatic");
    assert_string_equal(vg_tt_cell(r, "dispositions", 1, "share"), "0.2500");
    free(r);
    /* Another port: nothing, and rates say so. */
    r = kpi(s, "PEPAI");
    assert_string_equal(vg_tt_cell(r, "summary", 0, "inspections"), "0");
    assert_string_equal(vg_tt_cell(r, "summary", 0, "hit_rate"), "");
    assert_string_equal(vg_tt_cell(r, "random_stream", 0, "hit_rate"), "");
    assert_int_equal(vg_tt_rows(r, "by_selection"), 0);
    free(r);
    struct vg_kpi_filter bad = { "XX", VG_TIME_NONE, VG_TIME_NONE };
    struct vg_report_sink sink = { .section = NULL,
                                   .rows = { .columns = NULL, .row = NULL, .user = NULL },
                                   .user = NULL };
    assert_status(vg_kpi_report(s, &bad, &sink, &e), VG_EINVAL, &e);
    vg_store_close(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_kpi__a_day_of_targets_and_outcomes),
};

VG_TEST_MAIN(tests)
