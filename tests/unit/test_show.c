/* Show: what the store knows about a container (trips, timeline with UTC and port-local
 * times, seals as each source saw them, parties with their history, assessments with
 * reasons, targets, outcomes), a B/L, a party (by RUC, id or name) and a vessel. */
#include "vg_targeting.h"
#include "vg_test.h"

#include <stdlib.h>
#include <vigia/outcome.h>
#include <vigia/show.h>
#include <vigia/target.h>

static struct vg_tt_report *
show(struct vg_store *s, enum vg_show_kind kind, const char *id, enum vg_status expected)
{
    struct vg_tt_report *r = vg_tt_report_new();
    struct vg_report_sink sink = vg_tt_report_sink(r);
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_show(s, kind, id, &sink, &e), expected, &e);
    return r;
}

static void test_show__container_report(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("container.db");
    vg_tt_select(s);
    vg_tt_import_outcomes(s, NULL);
    struct vg_tt_report *r = show(s, VG_SHOW_CONTAINER, "tgtu 100001-5", VG_OK);
    assert_int_equal(r->nsections, 11);
    assert_string_equal(vg_tt_cell(r, "container", 0, "number"), "TGTU1000015");
    assert_string_equal(vg_tt_cell(r, "container", 0, "trips"), "2");
    assert_string_equal(vg_tt_cell(r, "container", 0, "seizures"), "2");
    /* Two trips, May and June, each with its B/L. */
    assert_int_equal(vg_tt_rows(r, "trips"), 2);
    assert_string_equal(vg_tt_cell(r, "trips", 0, "voyage"), "FA123E");
    assert_string_equal(vg_tt_cell(r, "trips", 0, "departure_utc"), "2024-05-04T03:00:00Z");
    assert_string_equal(vg_tt_cell(r, "trips", 0, "departure_local"), "2024-05-03T22:00:00-05:00");
    assert_string_equal(vg_tt_cell(r, "trips", 0, "latest_score"), "95.00 red");
    assert_string_equal(vg_tt_cell(r, "trips", 1, "bills_of_lading"), "TGT0040");
    /* The timeline: gate-in at 23:30 in Callao is 04:30 UTC the next day; loading with a new
     * seal. */
    assert_int_equal(vg_tt_rows(r, "timeline"), 2);
    assert_string_equal(vg_tt_cell(r, "timeline", 0, "event"), "gate_in");
    assert_string_equal(vg_tt_cell(r, "timeline", 0, "time_utc"), "2024-05-02T04:30:00Z");
    assert_string_equal(vg_tt_cell(r, "timeline", 0, "time_local"), "2024-05-01T23:30:00-05:00");
    assert_string_equal(vg_tt_cell(r, "timeline", 0, "seals"), "SL1001");
    assert_string_equal(vg_tt_cell(r, "timeline", 1, "event"), "load");
    assert_string_equal(vg_tt_cell(r, "timeline", 1, "seals"), "SL1099");
    assert_string_equal(vg_tt_cell(r, "timeline", 1, "vessel"), "MSC ANNA");
    assert_non_null(strstr(vg_tt_cell(r, "timeline", 1, "source"), "from test"));
    /* Seals: the manifest's and the gate's SL1001, the carrier's SL1099 at loading, the June
     * manifest's SL4001. */
    assert_int_equal(vg_tt_rows(r, "seals"), 4);
    vg_tt_row_where(r, "seals", "seal", "SL1099");
    assert_string_equal(
        vg_tt_cell(r, "seals", vg_tt_row_where(r, "seals", "seal", "SL1099"), "applied_by"), "CA");
    /* Parties: shipper and consignee of both B/Ls; the shipper's 11 shipments. */
    assert_int_equal(vg_tt_rows(r, "parties"), 4);
    size_t shipper = vg_tt_row_where(r, "parties", "role", "shipper");
    assert_string_equal(vg_tt_cell(r, "parties", shipper, "ruc"), "20100047218");
    assert_string_equal(vg_tt_cell(r, "parties", shipper, "shipments"), "11");
    /* Antwerp, Rotterdam, and TGTU1000041 (its B/L TGT0004) at Callao. */
    assert_string_equal(vg_tt_cell(r, "parties", shipper, "seizures"), "3");
    assert_int_equal(vg_tt_rows(r, "assessments"), 1);
    assert_string_equal(vg_tt_cell(r, "assessments", 0, "hold"), "hold");
    assert_string_equal(vg_tt_cell(r, "reasons", 0, "text"), "listed shipper (exact RUC)");
    assert_string_equal(vg_tt_cell(r, "reasons", 0, "weight"), "50.00");
    assert_string_equal(vg_tt_cell(r, "targets", 0, "selection"), "hold");
    assert_string_equal(vg_tt_cell(r, "targets", 0, "state"), "selected");
    /* Outcomes: Rotterdam in May and Antwerp in June, each on its trip. */
    assert_int_equal(vg_tt_rows(r, "outcomes"), 2);
    assert_string_equal(vg_tt_cell(r, "outcomes", 0, "port"), "NLRTM");
    assert_string_equal(vg_tt_cell(r, "outcomes", 0, "time_local"), "2024-05-25T11:00:00+02:00");
    assert_string_equal(vg_tt_cell(r, "outcomes", 1, "kg"), "300");
    assert_string_equal(vg_tt_cell(r, "outcomes", 1, "link"), "container+bl+date");
    assert_int_equal(vg_tt_rows(r, "inspections"), 2);
    free(r);
    r = show(s, VG_SHOW_CONTAINER, "MSCU1234566", VG_ENOTFOUND);
    free(r);
    r = show(s, VG_SHOW_CONTAINER, "", VG_EINVAL);
    free(r);
    vg_store_close(s);
}

static void test_show__bl_party_and_vessel(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("others.db");
    struct vg_tt_report *r = show(s, VG_SHOW_BL, "tgt0013", VG_OK);
    assert_string_equal(vg_tt_cell(r, "consignments", 0, "bl_number"), "TGT0013");
    assert_string_equal(vg_tt_cell(r, "consignments", 0, "port_of_discharge"), "BEANR");
    assert_int_equal(vg_tt_rows(r, "containers"), 1);
    assert_string_equal(vg_tt_cell(r, "containers", 0, "container"), "TGTU1000036");
    assert_string_equal(vg_tt_cell(r, "containers", 0, "latest_score"), "70.00 amber");
    assert_int_equal(vg_tt_rows(r, "parties"), 2);
    assert_int_equal(vg_tt_rows(r, "goods"), 1);
    assert_string_equal(vg_tt_cell(r, "goods", 0, "hs_code"), "090111");
    assert_int_equal(vg_tt_rows(r, "reasons"), 2);
    free(r);
    /* A party by RUC, by name (unique), and a name that matches several. */
    r = show(s, VG_SHOW_PARTY, "20100047218", VG_OK);
    assert_string_equal(vg_tt_cell(r, "party", 0, "ruc_check_digit"), "holds");
    assert_string_equal(vg_tt_cell(r, "party", 0, "shipments"), "11");
    assert_int_equal(vg_tt_rows(r, "shipments"), 11);
    free(r);
    r = show(s, VG_SHOW_PARTY, "kaffee", VG_OK);
    assert_string_equal(vg_tt_cell(r, "party", 0, "name"), "Kaffee GmbH");
    free(r);
    r = show(s, VG_SHOW_PARTY, "S.A.", VG_OK);
    assert_int_equal(r->nsections, 1);
    assert_string_equal(r->key[0], "matches");
    assert_int_equal(vg_tt_rows(r, "matches"), 2);
    free(r);
    r = show(s, VG_SHOW_PARTY, "nobody at all", VG_ENOTFOUND);
    free(r);
    /* A vessel by IMO and a name shared by several. */
    r = show(s, VG_SHOW_VESSEL, "9074729", VG_OK);
    assert_string_equal(vg_tt_cell(r, "vessel", 0, "name"), "MSC ANNA");
    assert_int_equal(vg_tt_rows(r, "port_calls"), 2);
    assert_string_equal(vg_tt_cell(r, "port_calls", 0, "trips"), "10");
    assert_string_equal(vg_tt_cell(r, "port_calls", 0, "departure_local"),
                        "2024-05-03T22:00:00-05:00");
    free(r);
    /* Written as another sender would: found by the key the ingest resolves it by. */
    r = show(s, VG_SHOW_VESSEL, "M/V Msc Anna.", VG_OK);
    assert_string_equal(vg_tt_cell(r, "vessel", 0, "imo"), "9074729");
    free(r);
    r = show(s, VG_SHOW_VESSEL, "MSC", VG_OK);
    assert_string_equal(r->key[0], "matches");
    assert_int_equal(vg_tt_rows(r, "matches"), 2);
    free(r);
    enum vg_show_kind k;
    assert_true(vg_show_kind_parse("bill", &k));
    assert_int_equal(k, VG_SHOW_BL);
    assert_false(vg_show_kind_parse("ship", &k));
    vg_store_close(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_show__container_report),
    cmocka_unit_test(test_show__bl_party_and_vessel),
};

VG_TEST_MAIN(tests)
