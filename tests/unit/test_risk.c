/* Risk features, scores and assessments over small stores built by ingesting hand-written
 * manifests and events (JSON, EDIFACT): exact feature values, the as-of rule, unknown by
 * missing feed, versions, reasons citing message and segment, the assessments listing,
 * idempotence, links to seizures, watch lists, norms, rule sets and back-tests. */
#include "risk/risk_int.h"
#include "vg_test.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <vigia/alloc.h>
#include <vigia/ident.h>
#include <vigia/ingest.h>
#include <vigia/risk.h>
#include <vigia/screen.h>
#include <vigia/store.h>
#include <vigia/time.h>

/* ---- helpers -------------------------------------------------------------------------- */

static struct vg_store *new_store(const char *name)
{
    struct vg_store_options o = { .create = true, .actor = "tester" };
    struct vg_store *s = NULL;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_store_open(vg_test_tmpfile(name), &o, &s, &e), VG_OK, &e);
    return s;
}

static void ingest(struct vg_store *s, const char *name, const char *text)
{
    struct vg_ingest_report r;
    struct vg_error e;
    vg_error_clear(&e);
    enum vg_status st = vg_ingest_buffer(s, name, text, strlen(text), NULL, &r, &e);
    assert_status(st, VG_OK, &e);
    assert_int_equal(r.rejected, 0);
}

static void ingest_file(struct vg_store *s, const char *relative)
{
    size_t len;
    char *data = vg_test_read_file(vg_test_source(relative), &len);
    struct vg_ingest_report r;
    struct vg_error e;
    vg_error_clear(&e);
    enum vg_status st = vg_ingest_buffer(s, relative, data, len, NULL, &r, &e);
    assert_true(st == VG_OK || st == VG_EPARTIAL);
    vg_free(data);
}

static int64_t q(struct vg_store *s, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static char *qtext(struct vg_store *s, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
    char *v = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL) {
        v = vg_strdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    assert_non_null(v);
    return v;
}

/* Registers vg_feature_record(features): the stored record as JSON (src/risk/stored.c). */
static void read_records(struct vg_store *s)
{
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(rk_record_sql_function(s, &e), VG_OK, &e);
}

static void exec(struct vg_store *s, const char *sql)
{
    assert_int_equal(sqlite3_exec(s->db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static int64_t T(const char *iso)
{
    int64_t t;
    struct vg_error e;
    assert_int_equal(vg_time_parse_iso8601(vg_slice_from_cstr(iso), NULL, &t, &e), VG_OK);
    return t;
}

static int64_t trip_of(struct vg_store *s, const char *container, const char *as_of)
{
    int64_t id;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_risk_find_trip(s, container, as_of != NULL ? T(as_of) : VG_TIME_NONE, &id, &e),
                  VG_OK, &e);
    return id;
}

/* One trip's record computed through the library's own path. */
struct feat {
    struct rk_ctx c;
    struct vg_arena arena;
    struct vg_value rec[VG_F_COUNT];
    struct rk_src src[VG_F_COUNT][2];
    struct rk_trip_hits hits;
    char buf[512];
};

static struct feat *features(struct vg_store *s, int64_t trip_id, const char *as_of)
{
    struct feat *f = vg_calloc(1, sizeof(*f));
    assert_non_null(f);
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(rk_ctx_load(&f->c, s, &e), VG_OK, &e);
    assert_status(rk_ctx_prepare(&f->c, &e), VG_OK, &e);
    vg_arena_init(&f->arena, 0, 0);
    uint32_t ti = f->c.trip_by_id[trip_id];
    assert_true(ti > 0);
    assert_status(rk_compute(&f->c, ti - 1, T(as_of), &f->arena, f->rec, f->src, &f->hits, &e),
                  VG_OK, &e);
    return f;
}

static void features_free(struct feat *f)
{
    vg_arena_release(&f->arena);
    rk_ctx_release(&f->c);
    vg_free(f);
}

static double fnum(const struct feat *f, int id)
{
    assert_int_equal(f->rec[id].kind, VG_VALUE_NUMBER);
    return f->rec[id].as.number;
}

static bool fbool(const struct feat *f, int id)
{
    assert_int_equal(f->rec[id].kind, VG_VALUE_BOOL);
    return f->rec[id].as.boolean;
}

static const char *fstr(struct feat *f, int id)
{
    assert_int_equal(f->rec[id].kind, VG_VALUE_STRING);
    return vg_slice_copy(f->rec[id].as.string, f->buf, sizeof(f->buf));
}

static const char *funknown(struct feat *f, int id)
{
    assert_int_equal(f->rec[id].kind, VG_VALUE_UNKNOWN);
    return vg_slice_copy(f->rec[id].as.string, f->buf, sizeof(f->buf));
}

static void assert_contains(const char *hay, const char *needle)
{
    if (strstr(hay, needle) == NULL) {
        fail_msg("'%s' does not contain '%s'", hay, needle);
    }
}

static void score(struct vg_store *s, const char *as_of, struct vg_risk_report *r)
{
    struct vg_risk_options o = { .as_of = T(as_of) };
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_risk_score(s, &o, r, &e), VG_OK, &e);
}

/* ---- the demo world of these tests ---------------------------------------------------- */

/* A call of MSC ANNA at Callao (filed 2024-06-03 12:00Z, leaving 2024-06-05 22:00Z) with
 * two bills. MSCU1000017 (avocados, reefer) goes in at 22:00 local on a Sunday with seal
 * SL100 and is loaded on Wednesday 10:00 local with seal SL999; MSCU1000022 (blueberries)
 * keeps its seal. */
static const char manifest_json[] =
    "{\"type\":\"manifest\",\"sender\":\"MSC-PE\",\"document_number\":\"CUS-1\","
    "\"function\":\"original\",\"prepared_at\":\"2024-06-03T12:00:00Z\","
    "\"voyage\":{\"vessel\":{\"name\":\"MSC ANNA\",\"imo\":\"9074729\"},\"voyage\":\"024W\","
    "\"carrier\":\"MSC\",\"port\":\"PECLL\",\"terminal\":\"DPW\",\"etd\":\"2024-06-05T22:00:00Z\"},"
    "\"consignments\":["
    "{\"bill_of_lading\":\"BL1\",\"places\":{\"loading\":\"PECLL\",\"discharge\":\"NLRTM\","
    "\"transhipment\":[\"PABLB\"]},"
    "\"parties\":[{\"role\":\"shipper\",\"name\":\"Agro Norte S.A.C.\",\"id\":\"20100047218\","
    "\"country\":\"PE\",\"address\":\"AV LOS FRUTALES 120\",\"city\":\"LIMA\"},"
    "{\"role\":\"consignee\",\"name\":\"Fruit BV\",\"country\":\"BE\",\"address\":\"KAAI 1\","
    "\"city\":\"ANTWERPEN\"}],"
    "\"equipment\":[{\"container\":\"MSCU1000017\",\"size_type\":\"45R1\",\"gross_kg\":25480,"
    "\"seals\":[{\"number\":\"SL100\",\"party\":\"SH\"}]}],"
    "\"goods\":[{\"hs_code\":\"080440\",\"description\":\"FRESH AVOCADOS\",\"packages\":1800,"
    "\"package_type\":\"BOXES\",\"gross_kg\":21600,\"containers\":[\"MSCU1000017\"]}]},"
    "{\"bill_of_lading\":\"BL2\",\"places\":{\"loading\":\"PECLL\",\"discharge\":\"NLRTM\"},"
    "\"parties\":[{\"role\":\"shipper\",\"name\":\"Frutas del Sur EIRL\",\"id\":\"20100070970\","
    "\"country\":\"PE\"},{\"role\":\"consignee\",\"name\":\"Berry Import BV\",\"country\":\"NL\"}],"
    "\"equipment\":[{\"container\":\"MSCU1000022\",\"size_type\":\"45R1\","
    "\"seals\":[{\"number\":\"SL200\",\"party\":\"SH\"}]}],"
    "\"goods\":[{\"hs_code\":\"081040\",\"description\":\"FRESH BLUEBERRIES\",\"packages\":2000,"
    "\"package_type\":\"BOXES\",\"gross_kg\":9000,\"containers\":[\"MSCU1000022\"]}]}]}\n";

static const char events_json[] =
    "{\"type\":\"event\",\"sender\":\"DPW\",\"container\":\"MSCU1000017\",\"event\":\"gate_in\","
    "\"time\":\"2024-06-03T03:00:00Z\",\"port\":\"PECLL\",\"terminal\":\"DPW\","
    "\"seals\":[\"SL100\"],\"seal_party\":\"SH\",\"vehicle\":\"ABC-123\"}\n"
    "{\"type\":\"event\",\"sender\":\"DPW\",\"container\":\"MSCU1000022\",\"event\":\"gate_in\","
    "\"time\":\"2024-06-04T15:00:00Z\",\"port\":\"PECLL\",\"terminal\":\"DPW\","
    "\"seals\":[\"SL200\"],\"seal_party\":\"SH\"}\n"
    "{\"type\":\"event\",\"sender\":\"DPW\",\"container\":\"MSCU1000017\",\"event\":\"load\","
    "\"time\":\"2024-06-05T15:00:00Z\",\"port\":\"PECLL\",\"terminal\":\"DPW\","
    "\"vessel\":{\"name\":\"MSC ANNA\",\"imo\":\"9074729\"},\"voyage\":\"024W\","
    "\"seals\":[\"SL999\"],\"seal_party\":\"CA\"}\n"
    "{\"type\":\"event\",\"sender\":\"DPW\",\"container\":\"MSCU1000022\",\"event\":\"load\","
    "\"time\":\"2024-06-05T16:00:00Z\",\"port\":\"PECLL\",\"terminal\":\"DPW\","
    "\"vessel\":{\"name\":\"MSC ANNA\",\"imo\":\"9074729\"},\"voyage\":\"024W\","
    "\"seals\":[\"SL200\"],\"seal_party\":\"SH\"}\n";

static struct vg_store *world(const char *name)
{
    struct vg_store *s = new_store(name);
    ingest(s, "manifest.json", manifest_json);
    ingest(s, "events.json", events_json);
    return s;
}

/* ---- features ----------------------------------------------------------------------- */

static void test_risk__features_of_a_trip(void **state)
{
    (void)state;
    struct vg_store *s = world("f.db");
    struct feat *f = features(s, trip_of(s, "MSCU1000017", NULL), "2024-07-01T00:00Z");
    assert_string_equal(fstr(f, VG_F_PORT), "PECLL");
    assert_string_equal(fstr(f, VG_F_DIRECTION), "export");
    assert_string_equal(fstr(f, VG_F_CARRIER), "MSC");
    assert_string_equal(fstr(f, VG_F_DISCHARGE_PORT), "NLRTM");
    assert_string_equal(fstr(f, VG_F_DESTINATION_COUNTRY), "NL");
    assert_int_equal(f->rec[VG_F_TRANSHIPMENT_PORTS].kind, VG_VALUE_LIST);
    assert_int_equal(f->rec[VG_F_TRANSHIPMENT_PORTS].as.list.count, 1);
    assert_true(vg_slice_eq_cstr(f->rec[VG_F_TRANSHIPMENT_PORTS].as.list.items[0], "PABLB"));
    assert_true(vg_slice_eq_cstr(f->rec[VG_F_TRANSHIPMENT_COUNTRIES].as.list.items[0], "PA"));
    assert_true(fnum(f, VG_F_TRANSHIPMENT_COUNT) == 1);
    assert_string_equal(fstr(f, VG_F_ORIGIN_PORT), "PECLL");
    assert_string_equal(fstr(f, VG_F_CONSIGNEE_COUNTRY), "BE");
    assert_true(fbool(f, VG_F_CONSIGNEE_COUNTRY_MISMATCH));
    assert_string_equal(fstr(f, VG_F_HS_CODE), "080440");
    assert_string_equal(fstr(f, VG_F_COMMODITY_GROUP), "fruit");
    assert_true(fbool(f, VG_F_REEFER));
    assert_false(fbool(f, VG_F_GOODS_DESCRIPTION_VAGUE));
    assert_true(fnum(f, VG_F_GROSS_KG) == 21600);
    assert_true(fnum(f, VG_F_PACKAGES) == 1800);
    assert_true(fnum(f, VG_F_KG_PER_PACKAGE) == 12);
    /* Seal chain: SL100 at the gate and in the cargo report, SL999 at loading. */
    assert_string_equal(fstr(f, VG_F_SEAL_GATE_IN), "SL100");
    assert_string_equal(fstr(f, VG_F_SEAL_MANIFEST), "SL100");
    assert_string_equal(fstr(f, VG_F_SEAL_LOAD), "SL999");
    assert_string_equal(fstr(f, VG_F_SEAL_GATE_TO_LOAD), "different");
    assert_string_equal(fstr(f, VG_F_SEAL_MANIFEST_TO_LOAD), "different");
    assert_string_equal(fstr(f, VG_F_SEAL_CHAIN), "different");
    assert_true(fnum(f, VG_F_SEAL_STAGES) == 3);
    assert_string_equal(fstr(f, VG_F_SEAL_LAST_PARTY), "carrier");
    assert_false(fbool(f, VG_F_SEAL_MISSING));
    assert_contains(funknown(f, VG_F_SEAL_BOOKING), "no booking");
    /* Dwell: gate-in 2024-06-03 03:00Z (Sunday 22:00 in Callao) to loading 06-05 15:00Z. */
    assert_true(fnum(f, VG_F_DWELL_HOURS) == 60);
    assert_true(fbool(f, VG_F_GATE_IN_ODD_HOUR));
    assert_true(fnum(f, VG_F_ODD_HOUR_MOVES) == 1);
    assert_false(fbool(f, VG_F_GATE_OUT_DURING_DWELL));
    assert_true(fnum(f, VG_F_GATE_MOVES_DURING_DWELL) == 0);
    /* Documents: filed 2024-06-03 12:00Z, loaded 51 hours later. */
    assert_true(fnum(f, VG_F_FILING_LEAD_HOURS) == 51);
    assert_true(fnum(f, VG_F_MANIFEST_AMENDMENTS) == 0);
    assert_true(fnum(f, VG_F_BL_COUNT) == 1);
    assert_false(fbool(f, VG_F_CONTAINER_CHECK_DIGIT_FAILED));
    assert_false(fbool(f, VG_F_CONTAINER_TWO_PLACES));
    assert_false(fbool(f, VG_F_SPLIT_CONSIGNMENT));
    /* A first shipment. */
    assert_true(fbool(f, VG_F_SHIPPER_IS_NEW));
    assert_true(fnum(f, VG_F_SHIPPER_SHIPMENTS) == 0);
    assert_true(fbool(f, VG_F_CONSIGNEE_IS_NEW));
    /* The weight reported at the gate (none) and VGM (none): unknown with a reason. */
    assert_contains(funknown(f, VG_F_WEIGHT_MISMATCH_PCT), "no verified gross mass");
    assert_contains(funknown(f, VG_F_SHIPPER_REGISTERED_DAYS), "registry");
    assert_contains(funknown(f, VG_F_VOYAGE_ENCOUNTERS), "no AIS");
    assert_contains(funknown(f, VG_F_WATCHLIST_HITS), "no watch list");
    assert_contains(funknown(f, VG_F_PRIOR_SEIZURE_PARTY), "no inspection outcomes");
    /* Sources: the gate seal rests on the gate-in message; the HS code on the manifest. */
    assert_int_equal(f->src[VG_F_SEAL_GATE_IN][0].kind, RK_SRC_MESSAGE);
    assert_int_equal(f->src[VG_F_SEAL_GATE_IN][0].id,
                     q(s,
                       "SELECT message_id FROM equipment_events WHERE kind = 'gate_in' AND"
                       " container_id = (SELECT id FROM containers WHERE number = 'MSCU1000017')"));
    assert_int_equal(f->src[VG_F_HS_CODE][0].id,
                     q(s, "SELECT id FROM messages WHERE doc_number = 'CUS-1'"));
    features_free(f);
    vg_store_close(s);
}

/* Loading orders (COPRAR): MSC BIANCA 023W, leaving 2024-06-04 10:00Z, had MSCU1000017 on
 * its order and left without it (the box gated in on 06-03, loaded on MSC ANNA on 06-05);
 * MSC ANNA's own order names MSCU1000022. */
static const char loading_orders[] =
    "UNB+UNOC:3+MSC-PE+DPW+240601:1200+LO1'"
    "UNH+1+COPRAR:D:00B:UN'BGM+45+LO023W+9'DTM+137:202406011200:203'"
    "TDT+20+023W+1++MSC:172:20+++9074731:146:11:MSC BIANCA'LOC+9+PECLL:139:6+DPW:TER:ZZZ'"
    "DTM+133:202406041000:203'EQD+CN+MSCU1000017+45R1:102:5++2+5'DTM+133:202406040800:203'"
    "LOC+11+NLRTM:139:6'CNT+16:1'UNT+11+1'"
    "UNH+2+COPRAR:D:00B:UN'BGM+45+LO024W+9'DTM+137:202406021200:203'"
    "TDT+20+024W+1++MSC:172:20+++9074729:146:11:MSC ANNA'LOC+9+PECLL:139:6+DPW:TER:ZZZ'"
    "DTM+133:202406052200:203'EQD+CN+MSCU1000022+45R1:102:5++2+5'LOC+11+NLRTM:139:6'"
    "CNT+16:1'UNT+10+2'"
    "UNZ+2+LO1'";

static void test_risk__box_rolled_from_an_earlier_call(void **state)
{
    (void)state;
    struct vg_store *s = world("rolled.db");
    struct feat *f = features(s, trip_of(s, "MSCU1000017", NULL), "2024-07-01T00:00Z");
    assert_contains(funknown(f, VG_F_MISSED_EARLIER_CALL), "no loading order");
    features_free(f);
    ingest(s, "coprar.edi", loading_orders);
    /* The orders are dated when they were made (12:00 at Callao), not at the departures
     * they plan. */
    assert_int_equal(q(s, "SELECT count(*) FROM equipment_events WHERE kind = 'load_order' AND"
                          " event_at IN (1717261200, 1717347600)"),
                     2);
    f = features(s, trip_of(s, "MSCU1000017", NULL), "2024-07-01T00:00Z");
    assert_true(fbool(f, VG_F_MISSED_EARLIER_CALL));
    assert_int_equal(f->src[VG_F_MISSED_EARLIER_CALL][0].id,
                     q(s, "SELECT message_id FROM equipment_events WHERE kind = 'load_order' AND"
                          " container_id = (SELECT id FROM containers WHERE number ="
                          " 'MSCU1000017')"));
    features_free(f);
    f = features(s, trip_of(s, "MSCU1000022", NULL), "2024-07-01T00:00Z");
    assert_false(fbool(f, VG_F_MISSED_EARLIER_CALL));
    features_free(f);
    /* As of before the order of the earlier call was made, nothing is known of it. */
    f = features(s, trip_of(s, "MSCU1000017", NULL), "2024-06-01T06:00Z");
    assert_int_equal(f->rec[VG_F_MISSED_EARLIER_CALL].kind, VG_VALUE_UNKNOWN);
    features_free(f);
    vg_store_close(s);
}

static void test_risk__missing_gate_feed_is_unknown_not_nothing(void **state)
{
    (void)state;
    struct vg_store *s = world("m.db");
    /* Paita: a manifest and a loading, but no gate message from Paita at all. */
    ingest(
        s, "paita.json",
        "{\"type\":\"manifest\",\"sender\":\"MSC-PE\",\"document_number\":\"CUS-P\","
        "\"prepared_at\":\"2024-06-02T12:00:00Z\",\"voyage\":{\"vessel\":{\"name\":\"MSC ANNA\","
        "\"imo\":\"9074729\"},\"voyage\":\"023N\",\"carrier\":\"MSC\",\"port\":\"PEPAI\","
        "\"terminal\":\"TPE\",\"etd\":\"2024-06-04T22:00:00Z\"},\"consignments\":["
        "{\"bill_of_lading\":\"BLP\",\"places\":{\"loading\":\"PEPAI\",\"discharge\":\"ESALG\"},"
        "\"parties\":[{\"role\":\"shipper\",\"name\":\"Pesquera Norte SAC\",\"country\":\"PE\"}],"
        "\"equipment\":[{\"container\":\"TGHU2000012\",\"size_type\":\"45R1\"}],"
        "\"goods\":[{\"hs_code\":\"030389\",\"description\":\"FROZEN FISH\",\"packages\":1000,"
        "\"gross_kg\":20000,\"containers\":[\"TGHU2000012\"]}]}]}\n");
    /* Callao: a container on the same call as the others, with no gate-in of its own
     * although the terminal sent gate messages that week. */
    ingest(s, "late.json",
           "{\"type\":\"manifest\",\"sender\":\"MSC-PE\",\"document_number\":\"CUS-L\","
           "\"prepared_at\":\"2024-06-03T12:00:00Z\",\"voyage\":{\"vessel\":{\"name\":\"MSC ANNA\","
           "\"imo\":\"9074729\"},\"voyage\":\"024W\",\"carrier\":\"MSC\",\"port\":\"PECLL\","
           "\"terminal\":\"DPW\",\"etd\":\"2024-06-05T22:00:00Z\"},\"consignments\":["
           "{\"bill_of_lading\":\"BLL\",\"places\":{\"loading\":\"PECLL\",\"discharge\":\"ESALG\"},"
           "\"parties\":[{\"role\":\"shipper\",\"name\":\"Minera Sur SA\",\"country\":\"PE\"}],"
           "\"equipment\":[{\"container\":\"TGHU2000028\",\"size_type\":\"22G1\"}],"
           "\"goods\":[{\"hs_code\":\"260300\",\"description\":\"COPPER CONCENTRATE\","
           "\"packages\":20,\"gross_kg\":24000,\"containers\":[\"TGHU2000028\"]}]}]}\n");
    struct feat *f = features(s, trip_of(s, "TGHU2000012", NULL), "2024-06-04T12:00Z");
    assert_contains(funknown(f, VG_F_SEAL_GATE_IN), "no gate messages from PEPAI terminal TPE on");
    assert_contains(funknown(f, VG_F_DWELL_HOURS), "no gate messages from PEPAI");
    assert_contains(funknown(f, VG_F_GATE_OUT_DURING_DWELL), "no gate messages");
    assert_contains(funknown(f, VG_F_GATE_MOVES_DURING_DWELL), "no gate messages");
    assert_contains(funknown(f, VG_F_SEAL_LOAD), "not loaded yet");
    assert_contains(funknown(f, VG_F_VOYAGE_ENCOUNTERS), "no AIS");
    assert_string_equal(fstr(f, VG_F_COMMODITY_GROUP), "fish");
    features_free(f);
    f = features(s, trip_of(s, "TGHU2000028", NULL), "2024-06-05T12:00Z");
    /* The feed was there: the box simply has no gate record, so moves read 0, not unknown. */
    assert_true(fnum(f, VG_F_GATE_MOVES_DURING_DWELL) == 0);
    assert_false(fbool(f, VG_F_GATE_OUT_DURING_DWELL));
    assert_contains(funknown(f, VG_F_SEAL_GATE_IN), "no gate-in recorded for the container");
    assert_contains(funknown(f, VG_F_DWELL_HOURS), "no gate-in recorded");
    assert_false(fbool(f, VG_F_REEFER));
    assert_string_equal(fstr(f, VG_F_COMMODITY_GROUP), "minerals");
    /* No seal anywhere on a full container. */
    assert_true(fbool(f, VG_F_SEAL_MISSING));
    features_free(f);
    vg_store_close(s);
}

/* Appends a manifest of one bill on its own call (voyage v) to buf. */
static void shipment(struct vg_buf *b,
                     int v,
                     const char *etd,
                     const char *shipper,
                     const char *ruc,
                     const char *hs,
                     const char *dest,
                     const char *container,
                     double packages,
                     double kg,
                     const char *pkg)
{
    assert_int_equal(
        vg_buf_printf(b,
                      "{\"type\":\"manifest\",\"sender\":\"MSC-PE\",\"document_number\":\"H-%d\","
                      "\"prepared_at\":\"%.10sT00:00:00Z\",\"voyage\":{\"vessel\":{\"name\":"
                      "\"MSC ANNA\",\"imo\":\"9074729\"},\"voyage\":\"V%03d\",\"carrier\":\"MSC\","
                      "\"port\":\"PECLL\",\"etd\":\"%s\"},\"consignments\":[{\"bill_of_lading\":"
                      "\"HB%d\",\"places\":{\"loading\":\"PECLL\",\"discharge\":\"%s\"},"
                      "\"parties\":[{\"role\":\"shipper\",\"name\":\"%s\",\"id\":\"%s\","
                      "\"country\":\"PE\"},{\"role\":\"consignee\",\"name\":\"Importer %d\","
                      "\"country\":\"%.2s\"}],\"equipment\":[{\"container\":\"%s\","
                      "\"size_type\":\"45R1\"}],\"goods\":[{\"hs_code\":\"%s\",\"description\":"
                      "\"FRESH PRODUCE\",\"packages\":%g,\"package_type\":\"%s\",\"gross_kg\":%g,"
                      "\"containers\":[\"%s\"]}]}]}\n",
                      v, etd, v, etd, v, dest, shipper, ruc, v, dest, container, hs, packages, pkg,
                      kg, container),
        VG_OK);
}

static void test_risk__party_history_and_new_patterns(void **state)
{
    (void)state;
    struct vg_store *s = new_store("p.db");
    struct vg_buf b;
    vg_buf_init(&b, 0);
    /* Three earlier avocado shipments to the Netherlands, under name variants of one RUC. */
    shipment(&b, 1, "2024-03-01T10:00:00Z", "Agro Norte S.A.C.", "20100047218", "080440", "NLRTM",
             "CAIU3000011", 1800, 21600, "BOXES");
    shipment(&b, 2, "2024-04-01T10:00:00Z", "AGRO NORTE SAC", "20100047218", "080440", "NLRTM",
             "CAIU3000027", 1800, 21600, "BOXES");
    shipment(&b, 3, "2024-05-01T10:00:00Z", "Agro Norte", "20100047218", "080440", "NLRTM",
             "CAIU3000011", 1800, 21600, "BOXES");
    /* Then blueberries to Spain. */
    shipment(&b, 4, "2024-06-01T10:00:00Z", "Agro Norte S.A.C.", "20100047218", "081040", "ESALG",
             "MSCU1000038", 2000, 9000, "BOXES");
    ingest(s, "history.json", b.data);
    vg_buf_release(&b);
    struct feat *f = features(s, trip_of(s, "MSCU1000038", NULL), "2024-06-10T00:00Z");
    assert_false(fbool(f, VG_F_SHIPPER_IS_NEW));
    assert_true(fnum(f, VG_F_SHIPPER_SHIPMENTS) == 3);
    /* The first shipment left 2024-03-01 10:00Z; this one 2024-06-01 10:00Z: 92 days. */
    assert_true(fnum(f, VG_F_SHIPPER_DAYS_SINCE_FIRST) == 92);
    assert_true(fbool(f, VG_F_SHIPPER_NEW_PRODUCT));
    assert_true(fbool(f, VG_F_SHIPPER_NEW_DESTINATION));
    assert_true(fbool(f, VG_F_CONSIGNEE_IS_NEW));
    features_free(f);
    /* As of the second shipment's filing, before its departure, only the first counts. */
    f = features(s, trip_of(s, "CAIU3000027", NULL), "2024-04-01T05:00Z");
    assert_true(fnum(f, VG_F_SHIPPER_SHIPMENTS) == 1);
    assert_false(fbool(f, VG_F_SHIPPER_NEW_PRODUCT));
    assert_false(fbool(f, VG_F_SHIPPER_NEW_DESTINATION));
    features_free(f);
    vg_store_close(s);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void test_risk__kg_per_package_robust_z(void **state)
{
    (void)state;
    struct vg_store *s = new_store("z.db");
    struct vg_buf b;
    vg_buf_init(&b, 0);
    double kpp[40];
    for (int i = 0; i < 40; i++) {
        /* 11.0 .. 12.95 kg per box, a day apart, before the trip. */
        kpp[i] = 11.0 + 0.05 * (double)((i * 7) % 40);
        char etd[32];
        vg_time_format_iso8601(T("2024-04-01T10:00Z") + (int64_t)i * 86400, etd, sizeof(etd));
        char cont[16];
        snprintf(cont, sizeof(cont), "%s", i % 2 == 0 ? "CAIU3000011" : "CAIU3000027");
        shipment(&b, i + 1, etd, "Exportadora Uno SAC", "20100070970", "080440", "NLRTM", cont,
                 1000, 1000 * kpp[i], "BOXES");
    }
    /* The trip: 16 kg per box. */
    shipment(&b, 99, "2024-06-01T10:00:00Z", "Exportadora Dos SAC", "20100047218", "080450",
             "NLRTM", "MSCU1000043", 1000, 16000, "BOXES");
    ingest(s, "norm.json", b.data);
    vg_buf_release(&b);
    qsort(kpp, 40, sizeof(double), cmp_double);
    double med = (kpp[19] + kpp[20]) / 2;
    double dev[40];
    for (int i = 0; i < 40; i++) {
        dev[i] = fabs(kpp[i] - med);
    }
    qsort(dev, 40, sizeof(double), cmp_double);
    double mad = (dev[19] + dev[20]) / 2;
    double z = (16.0 - med) / (1.4826 * mad);
    struct feat *f = features(s, trip_of(s, "MSCU1000043", NULL), "2024-06-02T00:00Z");
    assert_true(fabs(fnum(f, VG_F_KG_PER_PACKAGE_Z) - z) < 1e-9);
    assert_true(fnum(f, VG_F_KG_PER_PACKAGE_Z) > 3.5);
    features_free(f);
    /* With fewer than 30 earlier shipments (as of mid-April) the norm is unknown. */
    f = features(s, trip_of(s, "CAIU3000011", "2024-04-15T00:00Z"), "2024-04-15T00:00Z");
    assert_contains(funknown(f, VG_F_KG_PER_PACKAGE_Z), "(30 needed)");
    features_free(f);
    vg_store_close(s);
}

/* ---- seizures ----------------------------------------------------------------------- */

static void add_outcome(
    struct vg_store *s, const char *container, const char *bl, const char *when, const char *result)
{
    char sql[600];
    snprintf(sql, sizeof(sql),
             "INSERT INTO outcomes(container_number, bl_number, port, inspected_at, result,"
             " found_at, digest, recorded_at) VALUES('%s', '%s', 'NLRTM', %lld, '%s',"
             " 'destination', randomblob(32), 0)",
             container, bl, (long long)T(when), result);
    exec(s, sql);
}

static void test_risk__links_to_earlier_seizures(void **state)
{
    (void)state;
    struct vg_store *s = new_store("sz.db");
    struct vg_buf b;
    vg_buf_init(&b, 0);
    /* A seizure on CAIU3000011 (shipper "Inversiones Agro Norte SAC", another RUC). */
    shipment(&b, 1, "2024-03-01T10:00:00Z", "Inversiones Agro Norte SAC", "20100070970", "080440",
             "NLRTM", "CAIU3000011", 1800, 21600, "BOXES");
    /* A later trip by a spelling variant of that name, without a RUC. */
    shipment(&b, 2, "2024-05-01T10:00:00Z", "INVERSIONES AGRONORTE S.A.C.", "", "080440", "NLRTM",
             "CAIU3000027", 1800, 21600, "BOXES");
    /* The seized container itself on a later trip, another shipper. */
    shipment(&b, 3, "2024-05-02T10:00:00Z", "Frutas del Sur EIRL", "20100047218", "080440", "NLRTM",
             "CAIU3000011", 1800, 21600, "BOXES");
    ingest(s, "sz.json", b.data);
    vg_buf_release(&b);
    add_outcome(s, "CAIU3000011", "HB1", "2024-03-20T08:00Z", "drugs");
    add_outcome(s, "CAIU3000027", "HB2", "2024-05-20T08:00Z", "negative");

    struct feat *f = features(s, trip_of(s, "CAIU3000027", NULL), "2024-05-01T10:00Z");
    assert_true(fbool(f, VG_F_PRIOR_SEIZURE_PARTY));
    assert_true(fnum(f, VG_F_PRIOR_SEIZURE_MATCH) >= 0.85);
    assert_true(fnum(f, VG_F_PRIOR_SEIZURE_MATCH) < 1.0);
    assert_false(fbool(f, VG_F_PRIOR_SEIZURE_CONTAINER));
    /* 2024-03-20 08:00Z to 2024-05-01 10:00Z. */
    assert_true(fabs(fnum(f, VG_F_PRIOR_SEIZURE_DAYS) - (42 + 2.0 / 24)) < 1e-9);
    int64_t oid = q(s, "SELECT id FROM outcomes WHERE result = 'drugs'");
    bool cited = false;
    for (int k = 0; k < 2; k++) {
        cited = cited || (f->src[VG_F_PRIOR_SEIZURE_PARTY][k].kind == RK_SRC_OUTCOME &&
                          f->src[VG_F_PRIOR_SEIZURE_PARTY][k].id == oid);
    }
    assert_true(cited);
    features_free(f);

    f = features(s, trip_of(s, "CAIU3000011", NULL), "2024-05-02T10:00Z");
    assert_true(fbool(f, VG_F_PRIOR_SEIZURE_CONTAINER));
    assert_false(fbool(f, VG_F_PRIOR_SEIZURE_PARTY));
    features_free(f);

    /* The seized trip itself never links to its own outcome, and before the seizure
     * nothing links. */
    f = features(s, trip_of(s, "CAIU3000011", "2024-03-05T00:00Z"), "2024-03-25T00:00Z");
    assert_false(fbool(f, VG_F_PRIOR_SEIZURE_CONTAINER));
    assert_false(fbool(f, VG_F_PRIOR_SEIZURE_PARTY));
    assert_contains(funknown(f, VG_F_PRIOR_SEIZURE_DAYS), "no linked seizure");
    features_free(f);
    f = features(s, trip_of(s, "CAIU3000027", NULL), "2024-03-10T00:00Z");
    assert_contains(funknown(f, VG_F_PRIOR_SEIZURE_PARTY), "no inspection outcomes");
    features_free(f);
    vg_store_close(s);
}

/* ---- scoring, versions, reasons, listing ---------------------------------------------- */

struct rows {
    char *cols[32];
    size_t ncols;
    char *cells[128][32];
    size_t nrows;
};

static void rows_columns(void *user, size_t n, const char *const *names)
{
    struct rows *r = user;
    r->ncols = n < 32 ? n : 32;
    for (size_t i = 0; i < r->ncols; i++) {
        r->cols[i] = vg_strdup(names[i]);
    }
}

static int rows_row(void *user, size_t n, const char *const *values)
{
    struct rows *r = user;
    assert_true(r->nrows < 128); /* a listing longer than the test expects is a failure */
    {
        for (size_t i = 0; i < n && i < 32; i++) {
            r->cells[r->nrows][i] = vg_strdup(values[i] != NULL ? values[i] : "");
        }
        r->nrows++;
    }
    return 0;
}

static void rows_free(struct rows *r)
{
    for (size_t i = 0; i < r->ncols; i++) {
        vg_free(r->cols[i]);
    }
    for (size_t k = 0; k < r->nrows; k++) {
        for (size_t i = 0; i < r->ncols; i++) {
            vg_free(r->cells[k][i]);
        }
    }
}

static void list(struct vg_store *s, bool all, struct rows *r)
{
    memset(r, 0, sizeof(*r));
    struct vg_row_sink sink = { .columns = rows_columns, .row = rows_row, .user = r };
    struct vg_risk_filter f = { VG_TIME_NONE, VG_TIME_NONE, NULL, all, false };
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_risk_assessments_list(s, &f, &sink, &e), VG_OK, &e);
}

static void test_risk__score_bands_reasons_and_listing(void **state)
{
    (void)state;
    struct vg_store *s = world("s.db");
    struct vg_risk_report r;
    score(s, "2024-06-05T15:00Z", &r);
    assert_int_equal(r.assessed, 2);
    assert_int_equal(r.rescored, 0);
    /* MSCU1000017: a first shipment where the port has too few trips to say how common
     * new exporters are (PARTY-15 8), to a new consignee (PARTY-11 5, PARTY-17 3), Europe
     * (ROUTE-02 2), consignee in Belgium for Rotterdam (ROUTE-04 3), avocados in a reefer
     * (GOODS-01 3), seal changed (SEAL-01 30) = 54 points plus graded evidence; the route's
     * share of its lane is unknown with two trips, so no route rule. */
    char *rules = qtext(s, "SELECT group_concat(code, ' ') FROM (SELECT code FROM"
                           " assessment_reasons r JOIN assessments a ON a.id = r.assessment_id"
                           " JOIN trips t ON t.id = a.trip_id JOIN containers k ON"
                           " k.id = t.container_id WHERE k.number = 'MSCU1000017' AND"
                           " r.kind = 'rule' ORDER BY r.seq)");
    assert_string_equal(rules, "PARTY-15 PARTY-11 PARTY-17 ROUTE-02 ROUTE-04 GOODS-01 SEAL-01");
    vg_free(rules);
    struct rows rw;
    list(s, false, &rw);
    static const char *const cols[] = { "container", "bill_of_lading", "port", "departure",
                                        "moment",    "score",          "band", "reasons" };
    assert_true(rw.ncols >= 8);
    for (size_t i = 0; i < 8; i++) {
        assert_string_equal(rw.cols[i], cols[i]);
    }
    assert_int_equal(rw.nrows, 2);
    assert_string_equal(rw.cells[0][0], "MSCU1000017");
    assert_string_equal(rw.cells[0][1], "BL1");
    assert_string_equal(rw.cells[0][2], "PECLL");
    assert_string_equal(rw.cells[0][3], "2024-06-05T22:00:00Z");
    assert_string_equal(rw.cells[0][4], "pre-load");
    double sc = atof(rw.cells[0][5]);
    assert_true(sc > vg_risk_score_of(54) && sc < vg_risk_score_of(54 + VG_RISK_GRADED_MAX));
    assert_string_equal(rw.cells[0][6], "red");
    const char *reasons = rw.cells[0][7];
    assert_contains(reasons, "Seal changed between gate-in and loading (gate seal SL100 -> load "
                             "seal SL999); source: ");
    assert_contains(reasons, " | ");
    assert_contains(reasons, "First shipment of the exporter (recent export trips with a new "
                             "shipper: unknown); source: manifest.json CUS-1 (message ");
    /* MSCU1000022: PARTY-15 8, PARTY-11 5, PARTY-17 3, ROUTE-02 2, GOODS-01 3. */
    assert_string_equal(rw.cells[1][0], "MSCU1000022");
    double sc2 = atof(rw.cells[1][5]);
    assert_true(sc2 > vg_risk_score_of(21) && sc2 < vg_risk_score_of(21 + VG_RISK_GRADED_MAX));
    assert_string_equal(rw.cells[1][6], "amber");
    /* Ties are rare: the two scores differ in their fractional part. */
    assert_true(fabs(sc - sc2) > 0.0001);
    rows_free(&rw);
    vg_store_close(s);
}

static void test_risk__reasons_cite_edifact_segments(void **state)
{
    (void)state;
    struct vg_store *s = new_store("e.db");
    ingest_file(s, "tests/data/edifact/cuscar.edi");
    ingest_file(s, "tests/data/edifact/codeco.edi");
    struct vg_risk_report r;
    score(s, "2024-05-10T00:00Z", &r);
    assert_true(r.assessed >= 2);
    /* The shipper and its first shipment rest on the CUSCAR's NAD+CZ (segment 12); the
     * gate-in seal on the CODECO's EQD (segment 6). */
    char *text = qtext(s, "SELECT text FROM assessment_reasons WHERE code = 'PARTY-15' LIMIT 1");
    assert_contains(text, "First shipment of the exporter (recent export trips with a new "
                          "shipper: unknown); source: CUSCAR CUS-2024-0815 (message ");
    assert_contains(text, ", segment 12)");
    vg_free(text);
    struct feat *f = features(s, trip_of(s, "CSQU3054383", NULL), "2024-05-10T00:00Z");
    assert_string_equal(fstr(f, VG_F_SEAL_GATE_IN), "SL12345");
    assert_int_equal(f->src[VG_F_SEAL_GATE_IN][0].seg, 6);
    features_free(f);
    vg_store_close(s);
}

static void test_risk__scoring_twice_adds_nothing(void **state)
{
    (void)state;
    struct vg_store *s = world("i.db");
    struct vg_risk_report r;
    score(s, "2024-06-20T00:00Z", &r);
    int64_t assessments = q(s, "SELECT count(*) FROM assessments");
    int64_t reasons = q(s, "SELECT count(*) FROM assessment_reasons");
    int64_t audit = q(s, "SELECT count(*) FROM audit_log");
    assert_int_equal(assessments, 2);
    score(s, "2024-06-20T00:00Z", &r);
    assert_int_equal(r.assessed + r.rescored, 0);
    score(s, "2024-06-25T00:00Z", &r); /* later, but no new evidence */
    assert_int_equal(r.assessed + r.rescored, 0);
    assert_int_equal(q(s, "SELECT count(*) FROM assessments"), assessments);
    assert_int_equal(q(s, "SELECT count(*) FROM assessment_reasons"), reasons);
    assert_int_equal(q(s, "SELECT count(*) FROM audit_log"), audit);
    vg_store_close(s);
}

static void test_risk__later_evidence_adds_a_version_and_leaves_the_first(void **state)
{
    (void)state;
    struct vg_store *s = world("v.db");
    struct vg_risk_report r;
    score(s, "2024-06-06T00:00Z", &r);
    assert_int_equal(r.assessed, 2);
    read_records(s);
    char *v1 = qtext(s, "SELECT vg_feature_record(features) || score || band FROM assessments a"
                        " JOIN trips t ON"
                        " t.id = a.trip_id JOIN containers k ON k.id = t.container_id WHERE"
                        " k.number = 'MSCU1000017' AND a.version = 1");
    assert_int_equal(q(s, "SELECT as_of FROM assessments WHERE version = 1 AND trip_id = (SELECT"
                          " t.id FROM trips t JOIN containers k ON k.id = t.container_id WHERE"
                          " k.number = 'MSCU1000017')"),
                     T("2024-06-05T15:00Z"));
    /* Two weeks later a seizure at destination on another trip of the same shipper is
     * recorded, and a watch list names the consignee. */
    struct vg_buf b;
    vg_buf_init(&b, 0);
    shipment(&b, 7, "2024-05-20T10:00:00Z", "AGRO NORTE SAC", "20100047218", "080440", "NLRTM",
             "CAIU3000011", 1800, 21600, "BOXES");
    ingest(s, "earlier.json", b.data);
    vg_buf_release(&b);
    add_outcome(s, "CAIU3000011", "HB7", "2024-06-12T08:00Z", "drugs");
    score(s, "2024-06-20T00:00Z", &r);
    assert_true(r.rescored >= 1);
    int64_t trip = trip_of(s, "MSCU1000017", NULL);
    char sql[400];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM assessments WHERE trip_id = %lld",
             (long long)trip);
    assert_int_equal(q(s, sql), 2);
    snprintf(sql, sizeof(sql),
             "SELECT moment = 'rescore' AND as_of = %lld FROM assessments WHERE trip_id = %lld AND"
             " version = 2",
             (long long)T("2024-06-20T00:00Z"), (long long)trip);
    assert_int_equal(q(s, sql), 1);
    /* Version 1 is untouched; version 2 links the seizure (LINK-01 fired). */
    char *again = qtext(s, "SELECT vg_feature_record(features) || score || band FROM assessments"
                           " a JOIN trips t ON"
                           " t.id = a.trip_id JOIN containers k ON k.id = t.container_id WHERE"
                           " k.number = 'MSCU1000017' AND a.version = 1");
    assert_string_equal(v1, again);
    vg_free(v1);
    vg_free(again);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM assessment_reasons r JOIN assessments a ON a.id ="
             " r.assessment_id WHERE a.trip_id = %lld AND a.version = 2 AND r.code = 'LINK-01'",
             (long long)trip);
    assert_int_equal(q(s, sql), 1);
    /* The pre-load record did not see the seizure: it happened after loading, and no
     * outcome at all was recorded by then. */
    struct feat *f = features(s, trip, "2024-06-05T15:00Z");
    assert_contains(funknown(f, VG_F_PRIOR_SEIZURE_PARTY), "no inspection outcomes recorded yet");
    features_free(f);
    f = features(s, trip, "2024-06-20T00:00Z");
    assert_true(fbool(f, VG_F_PRIOR_SEIZURE_PARTY));
    assert_true(fnum(f, VG_F_PRIOR_SEIZURE_MATCH) == 1);
    features_free(f);
    /* --all lists both versions, the plain listing the latest only. */
    struct rows rw;
    list(s, true, &rw);
    size_t mine = 0;
    for (size_t i = 0; i < rw.nrows; i++) {
        mine += strcmp(rw.cells[i][0], "MSCU1000017") == 0;
    }
    assert_int_equal(mine, 2);
    rows_free(&rw);
    list(s, false, &rw);
    for (size_t i = 0; i < rw.nrows; i++) {
        if (strcmp(rw.cells[i][0], "MSCU1000017") == 0) {
            assert_string_equal(rw.cells[i][4], "rescore");
            assert_string_equal(rw.cells[i][9], "2");
        }
    }
    rows_free(&rw);
    vg_store_close(s);
}

static void test_risk__amendment_after_as_of_is_not_seen(void **state)
{
    (void)state;
    struct vg_store *s = world("a.db");
    /* On 2024-06-10 the bill is replaced: another consignee, delivery in Germany. */
    static const char amended[] =
        "{\"type\":\"manifest\",\"sender\":\"MSC-PE\",\"document_number\":\"CUS-1\","
        "\"function\":\"replace\",\"prepared_at\":\"2024-06-10T12:00:00Z\","
        "\"voyage\":{\"vessel\":{\"name\":\"MSC ANNA\",\"imo\":\"9074729\"},\"voyage\":\"024W\","
        "\"carrier\":\"MSC\",\"port\":\"PECLL\",\"terminal\":\"DPW\",\"etd\":\"2024-06-05T22:00:00Z\"},"
        "\"consignments\":[{\"bill_of_lading\":\"BL1\",\"places\":{\"loading\":\"PECLL\","
        "\"discharge\":\"NLRTM\",\"delivery\":\"DEHAM\",\"transhipment\":[\"PABLB\"]},"
        "\"parties\":[{\"role\":\"shipper\",\"name\":\"Agro Norte S.A.C.\",\"id\":\"20100047218\","
        "\"country\":\"PE\"},{\"role\":\"consignee\",\"name\":\"Nordic Trade GmbH\","
        "\"country\":\"DE\"}],"
        "\"equipment\":[{\"container\":\"MSCU1000017\",\"size_type\":\"45R1\","
        "\"seals\":[{\"number\":\"SL100\",\"party\":\"SH\"}]}],"
        "\"goods\":[{\"hs_code\":\"080440\",\"description\":\"FRESH AVOCADOS\",\"packages\":1800,"
        "\"package_type\":\"BOXES\",\"gross_kg\":21600,\"containers\":[\"MSCU1000017\"]}]}]}\n";
    ingest(s, "amended.json", amended);
    int64_t trip = trip_of(s, "MSCU1000017", NULL);
    struct feat *f = features(s, trip, "2024-06-05T15:00Z");
    assert_string_equal(fstr(f, VG_F_CONSIGNEE_COUNTRY), "BE");
    assert_string_equal(fstr(f, VG_F_DESTINATION_COUNTRY), "NL");
    assert_false(fbool(f, VG_F_DELIVERY_REDIRECTED));
    assert_true(fnum(f, VG_F_MANIFEST_AMENDMENTS) == 0);
    features_free(f);
    f = features(s, trip, "2024-06-15T00:00Z");
    assert_string_equal(fstr(f, VG_F_CONSIGNEE_COUNTRY), "DE");
    assert_string_equal(fstr(f, VG_F_DESTINATION_COUNTRY), "DE");
    assert_true(fbool(f, VG_F_DELIVERY_REDIRECTED));
    assert_true(fnum(f, VG_F_MANIFEST_AMENDMENTS) == 1);
    features_free(f);
    vg_store_close(s);
}

static void test_risk__two_places_at_once(void **state)
{
    (void)state;
    struct vg_store *s = world("t.db");
    /* Two hours after its Callao gate-in the same number is reported at Paita, 900 km
     * away. */
    ingest(
        s, "clone.json",
        "{\"type\":\"event\",\"sender\":\"TPE\",\"container\":\"MSCU1000017\",\"event\":"
        "\"gate_in\",\"time\":\"2024-06-03T05:00:00Z\",\"port\":\"PEPAI\",\"terminal\":\"TPE\"}\n");
    struct feat *f = features(s, trip_of(s, "MSCU1000017", NULL), "2024-06-05T15:00Z");
    assert_true(fbool(f, VG_F_CONTAINER_TWO_PLACES));
    int64_t clone = q(s, "SELECT message_id FROM equipment_events WHERE place = 'PEPAI'");
    assert_true(f->src[VG_F_CONTAINER_TWO_PLACES][0].id == clone ||
                f->src[VG_F_CONTAINER_TWO_PLACES][1].id == clone);
    features_free(f);
    f = features(s, trip_of(s, "MSCU1000022", NULL), "2024-06-05T16:00Z");
    assert_false(fbool(f, VG_F_CONTAINER_TWO_PLACES));
    features_free(f);
    vg_store_close(s);
}

/* The number at Paita a day after its Callao gate-in: the road allows it, but Callao's
 * records hold the box until its loading there. With a Callao gate-out before, it is a
 * journey, not a clone. */
static void test_risk__two_places_inside_a_terminal(void **state)
{
    (void)state;
    struct vg_store *s = world("t2.db");
    ingest(s, "clone.json",
           "{\"type\":\"event\",\"sender\":\"TPE\",\"container\":\"MSCU1000017\",\"event\":"
           "\"gate_in\",\"time\":\"2024-06-04T03:00:00Z\",\"port\":\"PEPAI\",\"terminal\":\"TPE\","
           "\"full_empty\":\"full\"}\n");
    struct feat *f = features(s, trip_of(s, "MSCU1000017", NULL), "2024-06-04T12:00Z");
    assert_false(fbool(f, VG_F_CONTAINER_TWO_PLACES)); /* not loaded at Callao yet */
    features_free(f);
    f = features(s, trip_of(s, "MSCU1000017", NULL), "2024-06-05T15:00Z");
    assert_true(fbool(f, VG_F_CONTAINER_TWO_PLACES));
    int64_t away = q(s, "SELECT message_id FROM equipment_events WHERE place = 'PEPAI'");
    assert_true(f->src[VG_F_CONTAINER_TWO_PLACES][0].id == away ||
                f->src[VG_F_CONTAINER_TWO_PLACES][1].id == away);
    features_free(f);
    vg_store_close(s);

    s = world("t3.db");
    ingest(s, "journey.json",
           "{\"type\":\"event\",\"sender\":\"DPW\",\"container\":\"MSCU1000017\",\"event\":"
           "\"gate_out\",\"time\":\"2024-06-03T09:00:00Z\",\"port\":\"PECLL\",\"terminal\":\"DPW\","
           "\"full_empty\":\"full\"}\n"
           "{\"type\":\"event\",\"sender\":\"TPE\",\"container\":\"MSCU1000017\",\"event\":"
           "\"gate_in\",\"time\":\"2024-06-04T03:00:00Z\",\"port\":\"PEPAI\",\"terminal\":\"TPE\","
           "\"full_empty\":\"full\"}\n");
    f = features(s, trip_of(s, "MSCU1000017", NULL), "2024-06-05T15:00Z");
    assert_false(fbool(f, VG_F_CONTAINER_TWO_PLACES));
    features_free(f);
    vg_store_close(s);
}

/* The bill of MSCU1000017 (first recorded as a 45-foot reefer, 45R1) replaced at `at` with
 * the container declared as size-type `code`. */
static void redeclare(struct vg_store *s, const char *file, const char *at, const char *code)
{
    char json[2048];
    snprintf(json, sizeof(json),
             "{\"type\":\"manifest\",\"sender\":\"MSC-PE\",\"document_number\":\"CUS-1\","
             "\"function\":\"replace\",\"prepared_at\":\"%s\","
             "\"voyage\":{\"vessel\":{\"name\":\"MSC ANNA\",\"imo\":\"9074729\"},"
             "\"voyage\":\"024W\",\"carrier\":\"MSC\",\"port\":\"PECLL\",\"terminal\":\"DPW\","
             "\"etd\":\"2024-06-05T22:00:00Z\"},"
             "\"consignments\":[{\"bill_of_lading\":\"BL1\",\"places\":{\"loading\":\"PECLL\","
             "\"discharge\":\"NLRTM\",\"delivery\":\"BEANR\",\"transhipment\":[\"PABLB\"]},"
             "\"parties\":[{\"role\":\"shipper\",\"name\":\"Agro Norte S.A.C.\","
             "\"id\":\"20100047218\",\"country\":\"PE\"},{\"role\":\"consignee\","
             "\"name\":\"Fruit Import NV\",\"country\":\"BE\"}],"
             "\"equipment\":[{\"container\":\"MSCU1000017\",\"size_type\":\"%s\","
             "\"seals\":[{\"number\":\"SL100\",\"party\":\"SH\"}]}],"
             "\"goods\":[{\"hs_code\":\"080440\",\"description\":\"FRESH AVOCADOS\","
             "\"packages\":1800,\"package_type\":\"BOXES\",\"gross_kg\":21600,"
             "\"containers\":[\"MSCU1000017\"]}]}]}\n",
             at, code);
    ingest(s, file, json);
}

static void test_risk__container_declared_as_another_type(void **state)
{
    (void)state;
    struct vg_store *s = world("ty.db");
    int64_t trip = trip_of(s, "MSCU1000017", NULL);
    struct feat *f = features(s, trip, "2024-06-05T15:00Z");
    assert_false(fbool(f, VG_F_CONTAINER_TYPE_CONFLICT));
    features_free(f);
    /* 42R1: the same reefer at another height, a common slip: no conflict. */
    redeclare(s, "height.json", "2024-06-10T12:00:00Z", "42R1");
    f = features(s, trip, "2024-06-11T00:00Z");
    assert_false(fbool(f, VG_F_CONTAINER_TYPE_CONFLICT));
    features_free(f);
    /* 22G1: a 20-foot dry box under the number of a 45-foot reefer. */
    redeclare(s, "clone.json", "2024-06-12T12:00:00Z", "22G1");
    f = features(s, trip, "2024-06-11T00:00Z");
    assert_false(fbool(f, VG_F_CONTAINER_TYPE_CONFLICT));
    features_free(f);
    f = features(s, trip, "2024-06-15T00:00Z");
    assert_true(fbool(f, VG_F_CONTAINER_TYPE_CONFLICT));
    int64_t msg = q(s, "SELECT m.id FROM messages m JOIN ingest_files i ON i.id = m.file_id"
                       " WHERE i.path LIKE '%clone.json'");
    assert_true(f->src[VG_F_CONTAINER_TYPE_CONFLICT][0].id == msg);
    features_free(f);
    vg_store_close(s);
}

static void test_risk__vessel_events_of_the_voyage(void **state)
{
    (void)state;
    struct vg_store *s = world("ve.db");
    int64_t vessel = q(s, "SELECT id FROM vessels WHERE imo = 9074729");
    int64_t call = q(s, "SELECT id FROM port_calls WHERE port = 'PECLL' AND voyage = '024W'");
    char sql[2048];
    /* Before departure (not the voyage), after (an encounter, a night loitering off
     * Huacho, a 40-hour gap off Chimbote, long enough to reach Chancay and back), and one after the
     * as-of time. */
    snprintf(sql, sizeof(sql),
             "INSERT INTO vessel_events(kind, mmsi, vessel_id, start_at, end_at, lat, lon,"
             " distance_shore_nm, confidence, explanation, params, port_call_id, created_at)"
             " VALUES('encounter', 311000001, %lld, %lld, %lld, -12.2, -77.5, 20, 0.9, 'x',"
             " 'short_meeting', %lld, 0),"
             " ('encounter', 311000001, %lld, %lld, %lld, -11.0, -78.0, 25, 0.9, 'x',"
             " 'short_meeting', %lld, 0),"
             " ('loitering', 311000001, %lld, %lld, %lld, -11.2, -77.9, 15, 0.8, 'x',"
             " 'nearshore_night', %lld, 0),"
             " ('gap', 311000001, %lld, %lld, %lld, -9.1, -78.9, 60, 0.7, 'x', 'gfw', %lld, 0),"
             " ('encounter', 311000002, %lld, %lld, %lld, -5.0, -82.0, 60, 0.9, 'x', 'gfw',"
             " %lld, 0)",
             (long long)vessel, (long long)T("2024-06-04T10:00Z"),
             (long long)T("2024-06-04T11:00Z"), (long long)call, (long long)vessel,
             (long long)T("2024-06-06T06:00Z"), (long long)T("2024-06-06T06:40Z"), (long long)call,
             (long long)vessel, (long long)T("2024-06-06T05:00Z"),
             (long long)T("2024-06-06T07:30Z"), (long long)call, (long long)vessel,
             (long long)T("2024-06-06T08:00Z"), (long long)T("2024-06-08T00:00Z"), (long long)call,
             (long long)vessel, (long long)T("2024-06-09T00:00Z"),
             (long long)T("2024-06-09T03:00Z"), (long long)call);
    exec(s, sql);
    struct feat *f = features(s, trip_of(s, "MSCU1000017", NULL), "2024-06-08T00:00Z");
    assert_true(fnum(f, VG_F_VOYAGE_ENCOUNTERS) == 1);
    assert_true(fnum(f, VG_F_VOYAGE_LOITERING_HOURS) == 2.5);
    assert_true(fbool(f, VG_F_VOYAGE_LOITERING_NEAR_COAST));
    assert_true(fnum(f, VG_F_VOYAGE_AIS_GAPS) == 1);
    assert_true(fnum(f, VG_F_VOYAGE_AIS_GAP_HOURS) == 40);
    assert_true(fbool(f, VG_F_VOYAGE_DARK_PORT_CALL_FEASIBLE));
    assert_int_equal(f->src[VG_F_VOYAGE_ENCOUNTERS][0].kind, RK_SRC_VESSEL_EVENT);
    features_free(f);
    /* As of loading the ship has not sailed: the voyage is unknown, not empty. */
    f = features(s, trip_of(s, "MSCU1000017", NULL), "2024-06-05T12:00Z");
    assert_contains(funknown(f, VG_F_VOYAGE_ENCOUNTERS), "has not sailed yet");
    features_free(f);
    vg_store_close(s);
}

static void test_risk__watch_list_hits_hold_the_trip(void **state)
{
    (void)state;
    struct vg_store *s = world("w.db");
    const char *path = vg_test_tmpfile("wl.csv");
    static const char csv[] = "name,type,country,source,note,identifier,aliases\n"
                              "\"AGRO NORTE S.A.C.\",party,PE,DEVIDA,front company,20100047218,\n"
                              "\"BERRY IMPORTS B.V.\",party,NL,PNP,,,\n";
    vg_test_write_file(path, csv, sizeof(csv) - 1);
    struct vg_watchlist_report wr;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_watchlist_import_csv(s, path, "pcu", &wr, NULL, NULL, &e), VG_OK, &e);
    struct feat *f = features(s, trip_of(s, "MSCU1000017", NULL), "2024-06-05T15:00Z");
    assert_true(fbool(f, VG_F_WATCHLIST_IDENTIFIER_MATCH));
    assert_true(fnum(f, VG_F_WATCHLIST_PARTY_SCORE) >= 0.95);
    assert_true(fnum(f, VG_F_WATCHLIST_HITS) == 1);
    assert_true(vg_slice_eq_cstr(f->rec[VG_F_WATCHLIST_LISTS].as.list.items[0], "pcu"));
    features_free(f);
    f = features(s, trip_of(s, "MSCU1000022", NULL), "2024-06-05T16:00Z");
    assert_false(fbool(f, VG_F_WATCHLIST_IDENTIFIER_MATCH));
    assert_true(fnum(f, VG_F_WATCHLIST_PARTY_SCORE) >= 0.70);
    features_free(f);
    struct vg_risk_report r;
    score(s, "2024-06-05T16:00Z", &r);
    assert_int_equal(r.holds, 1);
    assert_int_equal(q(s, "SELECT mandatory_hold FROM assessments a JOIN trips t ON t.id ="
                          " a.trip_id JOIN containers k ON k.id = t.container_id WHERE"
                          " k.number = 'MSCU1000017'"),
                     1);
    /* The hold rule rests on the watch list alone: a list reason, as targeting counts it. */
    assert_int_equal(q(s, "SELECT count(*) FROM assessment_reasons WHERE code = 'WL-01' AND"
                          " kind = 'list' AND weight = 30"),
                     1);
    /* The same listed party is not counted again through its name. */
    assert_int_equal(q(s, "SELECT count(*) FROM assessment_reasons r JOIN assessments a ON"
                          " a.id = r.assessment_id JOIN trips t ON t.id = a.trip_id JOIN"
                          " containers k ON k.id = t.container_id WHERE k.number ="
                          " 'MSCU1000017' AND r.code IN ('WL-02', 'WL-03', 'WL-05', 'WL-06')"),
                     0);
    char *text = qtext(s, "SELECT text FROM assessment_reasons WHERE kind = 'list' AND text LIKE"
                          " '%shipper%' LIMIT 1");
    assert_contains(text, "Watch list pcu: shipper Agro Norte S.A.C.");
    assert_contains(text, "watch-list entry ");
    vg_free(text);
    vg_store_close(s);
}

/* A listed vessel exposes every box aboard (a scoring reason), but holds none of them. */
static void test_risk__listed_vessel_exposes_without_holding(void **state)
{
    (void)state;
    struct vg_store *s = world("wv.db");
    const char *path = vg_test_tmpfile("wlv.csv");
    static const char csv[] = "name,type,country,source,note,identifier,aliases\n"
                              "\"MSC ANNA\",vessel,PA,DIRANDRO,at-sea pick-ups,9074729,\n";
    vg_test_write_file(path, csv, sizeof(csv) - 1);
    struct vg_watchlist_report wr;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_watchlist_import_csv(s, path, "pcu", &wr, NULL, NULL, &e), VG_OK, &e);
    struct feat *f = features(s, trip_of(s, "MSCU1000017", NULL), "2024-06-05T15:00Z");
    assert_true(fbool(f, VG_F_WATCHLIST_VESSEL_MATCH));
    assert_false(fbool(f, VG_F_WATCHLIST_IDENTIFIER_MATCH));
    features_free(f);
    struct vg_risk_report r;
    score(s, "2024-06-05T16:00Z", &r);
    assert_int_equal(r.holds, 0);
    assert_true(q(s, "SELECT count(*) FROM assessment_reasons WHERE code = 'WL-04'") >= 2);
    assert_int_equal(q(s, "SELECT count(*) FROM assessments WHERE mandatory_hold = 1"), 0);
    vg_store_close(s);
}

/* ---- rule sets and back-tests ----------------------------------------------------------- */

static void test_risk__rule_sets_are_versioned(void **state)
{
    (void)state;
    struct vg_store *s = new_store("r.db");
    struct vg_rule_set *set = NULL;
    int64_t id = 0;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_risk_rules_active(s, &set, &id, &e), VG_OK, &e);
    assert_string_equal(vg_rules_info(set)->name, "vigia-default");
    vg_rules_free(set);
    int64_t audit = q(s, "SELECT count(*) FROM audit_log");
    static const char mine[] =
        "ruleset callao\nversion 1\nowner \"PCU\"\n\nrule R1\n  title \"Reefer\"\n"
        "  rationale \"test\"\n  weight 10\n  when reefer\nend\n";
    int64_t rid;
    bool fresh;
    assert_status(vg_risk_rules_load(s, mine, sizeof(mine) - 1, "c.rules", true, NULL, NULL, &rid,
                                     &fresh, &e),
                  VG_OK, &e);
    assert_true(fresh);
    assert_int_equal(q(s, "SELECT count(*) FROM rule_sets WHERE active = 1"), 1);
    assert_int_equal(q(s, "SELECT active FROM rule_sets WHERE name = 'callao'"), 1);
    assert_int_equal(q(s, "SELECT count(*) FROM audit_log"), audit + 2);
    /* The same again: nothing new. */
    assert_status(vg_risk_rules_load(s, mine, sizeof(mine) - 1, "c.rules", true, NULL, NULL, &rid,
                                     &fresh, &e),
                  VG_OK, &e);
    assert_false(fresh);
    assert_int_equal(q(s, "SELECT count(*) FROM audit_log"), audit + 2);
    int64_t callao = rid;
    /* Other rules under the same version: refused. */
    static const char changed[] =
        "ruleset callao\nversion 1\nowner \"PCU\"\n\nrule R1\n  title \"Reefer\"\n"
        "  rationale \"test\"\n  weight 20\n  when reefer\nend\n";
    assert_int_equal(vg_risk_rules_load(s, changed, sizeof(changed) - 1, "c.rules", true, NULL,
                                        NULL, &rid, &fresh, &e),
                     VG_ECONFLICT);
    static const char broken[] = "ruleset x\nversion 1\nrule R\n when nosuch\nend\n";
    assert_int_equal(vg_risk_rules_load(s, broken, sizeof(broken) - 1, "b.rules", true, NULL, NULL,
                                        &rid, &fresh, &e),
                     VG_EPARSE);
    assert_status(vg_risk_rules_active(s, &set, &id, &e), VG_OK, &e);
    assert_string_equal(vg_rules_info(set)->name, "callao");
    assert_int_equal(id, callao);
    assert_int_equal(rid, 0);
    vg_rules_free(set);
    vg_store_close(s);
}

static void test_risk__backtest_counts_hits_on_outcomes(void **state)
{
    (void)state;
    struct vg_store *s = world("b.db");
    add_outcome(s, "MSCU1000017", "BL1", "2024-06-25T08:00Z", "drugs");
    add_outcome(s, "MSCU1000022", "BL2", "2024-06-25T09:00Z", "negative");
    size_t len;
    const char *text = vg_risk_default_rules(&len);
    struct vg_rule_set *set = NULL;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(
        vg_rules_compile(text, len, "default.rules", vg_feature_catalog(), NULL, NULL, &set, &e),
        VG_OK, &e);
    struct rows rw;
    memset(&rw, 0, sizeof(rw));
    struct vg_row_sink sink = { .columns = rows_columns, .row = rows_row, .user = &rw };
    assert_status(vg_risk_backtest(s, set, &sink, &e), VG_OK, &e);
    bool seal = false, party = false, total = false;
    for (size_t i = 0; i < rw.nrows; i++) {
        if (strcmp(rw.cells[i][0], "SEAL-01") == 0) {
            seal = true;
            assert_string_equal(rw.cells[i][4], "2"); /* inspected */
            assert_string_equal(rw.cells[i][5], "1"); /* hits */
            assert_string_equal(rw.cells[i][6], "1"); /* positives */
            assert_string_equal(rw.cells[i][7], "1.0000");
        }
        if (strcmp(rw.cells[i][0], "PARTY-15") == 0) {
            party = true;
            assert_string_equal(rw.cells[i][5], "2");
            assert_string_equal(rw.cells[i][6], "1");
            assert_string_equal(rw.cells[i][7], "0.5000");
        }
        if (strcmp(rw.cells[i][0], "*") == 0) {
            total = true;
            assert_string_equal(rw.cells[i][9], "0.5000");
        }
    }
    assert_true(seal && party && total);
    rows_free(&rw);
    vg_rules_free(set);
    vg_store_close(s);
}

static enum vg_status
fake_predict(void *user, const struct vg_value *record, size_t n, double *p, struct vg_buf *why)
{
    (void)user;
    assert_int_equal(n, VG_F_COUNT);
    bool reefer = record[VG_F_REEFER].kind == VG_VALUE_BOOL && record[VG_F_REEFER].as.boolean;
    *p = reefer ? 0.8 : 0.1;
    return vg_buf_append_cstr(why, "reefer weighs most");
}

static void test_risk__model_hook_adds_points_and_a_reason(void **state)
{
    (void)state;
    struct vg_store *s = world("md.db");
    struct vg_risk_model m = { "m1", 0, 0, fake_predict, NULL, NULL, 0.01 };
    struct vg_risk_options o = { .as_of = T("2024-06-06T00:00Z"), .model = &m };
    struct vg_risk_report r;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_risk_score(s, &o, &r, &e), VG_OK, &e);
    assert_int_equal(r.assessed, 2);
    char *text =
        qtext(s, "SELECT text || ' / ' || printf('%.2f', weight) FROM assessment_reasons WHERE"
                 " kind = 'model' AND code = 'm1' LIMIT 1");
    assert_string_equal(text, "Model m1: probability 0.800; reefer weighs most; source: the "
                              "trip's feature record / 25.99");
    vg_free(text);
    /* 54 points of rules, 10 log10(1 + 4 / (1 / 99)) = 25.99 of the model, and graded
     * evidence below VG_RISK_GRADED_MAX. */
    double sc = (double)q(s, "SELECT CAST(score * 10000 AS INTEGER) FROM assessments a JOIN"
                             " trips t ON t.id = a.trip_id JOIN containers k ON k.id ="
                             " t.container_id WHERE k.number = 'MSCU1000017'") /
                10000.0;
    double mp = vg_risk_model_points(0.8, 0.01, VG_RISK_MODEL_WEIGHT);
    assert_true(fabs(mp - 10 * log10(1 + 4.0 * 99.0)) < 1e-9);
    assert_true(sc >= vg_risk_score_of(54 + mp) - 0.001 &&
                sc < vg_risk_score_of(54 + mp + VG_RISK_GRADED_MAX));
    /* Another model version is a change: both trips get a new version. */
    m.version = "m2";
    o.as_of = T("2024-06-07T00:00Z");
    assert_status(vg_risk_score(s, &o, &r, &e), VG_OK, &e);
    assert_int_equal(r.rescored, 2);
    assert_status(vg_risk_score(s, &o, &r, &e), VG_OK, &e);
    assert_int_equal(r.rescored, 0);
    vg_store_close(s);
}

static void test_risk__score_formula_and_bands(void **state)
{
    (void)state;
    /* The model term: nothing for p = 0, log10(2) x weight at the base rate, about weight
     * per tenfold odds above it, increasing, and the default base for a bad one. */
    assert_true(vg_risk_model_points(0, 0.01, 10) == 0);
    assert_true(fabs(vg_risk_model_points(0.01, 0.01, 10) - 10 * log10(2)) < 1e-9);
    assert_true(fabs(vg_risk_model_points(0.5, 0.5, 10) - 10 * log10(2)) < 1e-9);
    assert_true(vg_risk_model_points(0.2, 0.01, 10) < vg_risk_model_points(0.3, 0.01, 10));
    assert_true(vg_risk_model_points(1, 0.01, 10) > 100);
    assert_true(vg_risk_model_points(0.3, NAN, 10) ==
                vg_risk_model_points(0.3, VG_RISK_MODEL_BASE, 10));
    assert_true(vg_risk_model_points(0.3, 1.5, 10) ==
                vg_risk_model_points(0.3, VG_RISK_MODEL_BASE, 10));
    assert_true(vg_risk_score_of(0) == 0);
    assert_true(vg_risk_score_of(-5) == 0);
    assert_true(fabs(vg_risk_score_of(50) - 100 * (1 - exp(-1))) < 1e-12);
    assert_true(vg_risk_score_of(1000) <= 100);
    assert_string_equal(vg_risk_band(49.99, false), "amber");
    assert_string_equal(vg_risk_band(50, false), "red");
    assert_string_equal(vg_risk_band(32.9, false), "green");
    assert_string_equal(vg_risk_band(33, false), "amber");
    assert_string_equal(vg_risk_band(1, true), "red");
}

/* ---- quality features: what the feeds carry, against the store's norms ------------------ */

/* A valid ISO 6346 number TCNU + serial + check digit into out[12]. */
static const char *box(char out[12], int serial)
{
    snprintf(out, 12, "TCNU%06d", serial);
    int d = vg_container_check_digit(out);
    assert_true(d >= 0);
    out[10] = (char)('0' + d % 10);
    out[11] = '\0';
    return out;
}

/* One export leg on a call of its own (voyage V<v>) at Callao: its cargo report, and the
 * box's empty pick-up at the depot, gate-in and loading at DPW when given. Times in UTC. */
struct leg {
    int v;
    const char *filed, *etd;
    const char *shipper, *ruc, *consignee, *consignee_cc, *discharge, *transhipment;
    const char *hs, *container;
    double kg;              /* the box's declared gross weight */
    const char *mseals;     /* the cargo report's seals: JSON objects, comma-separated */
    const char *empty_out;  /* the empty pick-up at DEP, NULL none */
    const char *gate_in;    /* NULL none */
    const char *gate_seals; /* JSON strings, comma-separated */
    const char *gate_party;
    double gate_kg;   /* 0: none */
    const char *load; /* NULL none */
    const char *load_seals, *load_party;
};

static void leg(struct vg_buf *b, const struct leg *l)
{
    assert_int_equal(
        vg_buf_printf(
            b,
            "{\"type\":\"manifest\",\"sender\":\"MSC-PE\",\"document_number\":\"Q-%d\","
            "\"prepared_at\":\"%s\",\"voyage\":{\"vessel\":{\"name\":\"MSC ANNA\",\"imo\":"
            "\"9074729\"},\"voyage\":\"V%03d\",\"carrier\":\"MSC\",\"port\":\"PECLL\","
            "\"terminal\":\"DPW\",\"etd\":\"%s\"},\"consignments\":[{\"bill_of_lading\":\"QB%d\","
            "\"places\":{\"loading\":\"PECLL\",\"discharge\":\"%s\"%s%s%s},\"parties\":["
            "{\"role\":\"shipper\",\"name\":\"%s\",\"id\":\"%s\",\"country\":\"PE\"},"
            "{\"role\":\"consignee\",\"name\":\"%s\",\"country\":\"%s\",\"address\":"
            "\"KADE 1\",\"city\":\"ROTTERDAM\"}],\"equipment\":[{\"container\":\"%s\","
            "\"size_type\":\"45R1\",\"gross_kg\":%g,\"seals\":[%s]}],\"goods\":[{\"hs_code\":"
            "\"%s\",\"description\":\"FRESH HASS AVOCADOS\",\"packages\":1000,"
            "\"package_type\":\"BOXES\",\"gross_kg\":%g,\"containers\":[\"%s\"]}]}]}\n",
            l->v, l->filed, l->v, l->etd, l->v, l->discharge,
            l->transhipment != NULL ? ",\"transhipment\":[\"" : "",
            l->transhipment != NULL ? l->transhipment : "", l->transhipment != NULL ? "\"]" : "",
            l->shipper, l->ruc, l->consignee, l->consignee_cc, l->container, l->kg,
            l->mseals != NULL ? l->mseals : "", l->hs, l->kg - 4000, l->container),
        VG_OK);
    if (l->empty_out != NULL) {
        assert_int_equal(vg_buf_printf(b,
                                       "{\"type\":\"event\",\"sender\":\"DEP\",\"container\":"
                                       "\"%s\",\"event\":\"gate_out\",\"time\":\"%s\",\"port\":"
                                       "\"PECLL\",\"terminal\":\"DEP\",\"full_empty\":\"E\"}\n",
                                       l->container, l->empty_out),
                         VG_OK);
    }
    if (l->gate_in != NULL) {
        char kg[48] = "";
        if (l->gate_kg > 0) {
            snprintf(kg, sizeof(kg), ",\"gross_kg\":%g", l->gate_kg);
        }
        assert_int_equal(vg_buf_printf(b,
                                       "{\"type\":\"event\",\"sender\":\"DPW\",\"container\":"
                                       "\"%s\",\"event\":\"gate_in\",\"time\":\"%s\",\"port\":"
                                       "\"PECLL\",\"terminal\":\"DPW\",\"full_empty\":\"F\","
                                       "\"seals\":[%s],\"seal_party\":\"%s\"%s}\n",
                                       l->container, l->gate_in,
                                       l->gate_seals != NULL ? l->gate_seals : "",
                                       l->gate_party != NULL ? l->gate_party : "CA", kg),
                         VG_OK);
    }
    if (l->load != NULL) {
        assert_int_equal(
            vg_buf_printf(b,
                          "{\"type\":\"event\",\"sender\":\"DPW\",\"container\":\"%s\",\"event\":"
                          "\"load\",\"time\":\"%s\",\"port\":\"PECLL\",\"terminal\":\"DPW\","
                          "\"vessel\":{\"name\":\"MSC ANNA\",\"imo\":\"9074729\"},\"voyage\":"
                          "\"V%03d\",\"seals\":[%s],\"seal_party\":\"%s\"}\n",
                          l->container, l->load, l->v, l->load_seals != NULL ? l->load_seals : "",
                          l->load_party != NULL ? l->load_party : "CA"),
            VG_OK);
    }
}

static const char *iso(char out[32], int64_t t)
{
    return vg_time_format_iso8601(t, out, 32);
}

/* A seal kept beside a replaced one is a change; a new customs seal where the old one went
 * is an authority's reseal; a stage that records fewer seals and no new one shows no
 * replacement; one character off is a typo or a near copy. */
static void test_risk__seals_compared_as_sets(void **state)
{
    (void)state;
    struct vg_store *s = new_store("seals.db");
    struct vg_buf b;
    vg_buf_init(&b, 0);
    char c[5][12];
    struct leg base = { 1,
                        "2024-06-01T12:00:00Z",
                        "2024-06-05T22:00:00Z",
                        "Agro Norte SAC",
                        "20100047218",
                        "Fruit BV",
                        "NL",
                        "NLRTM",
                        NULL,
                        "080440",
                        NULL,
                        25000,
                        NULL,
                        "2024-06-02T15:00:00Z",
                        "2024-06-03T15:00:00Z",
                        NULL,
                        "CA",
                        0,
                        "2024-06-05T15:00:00Z",
                        NULL,
                        "CA" };
    /* Carrier seal CA1 replaced by CA9 before the gate; the shipper's SH2 kept. */
    struct leg l = base;
    l.container = box(c[0], 1);
    l.mseals = "{\"number\":\"CA1111\",\"party\":\"CA\"},{\"number\":\"SH2\",\"party\":\"SH\"}";
    l.gate_seals = "\"CA9077\",\"SH2\"";
    l.load_seals = "\"CA9077\",\"SH2\"";
    leg(&b, &l);
    /* Resealed by customs between gate and loading. */
    l = base;
    l.v = 2;
    l.container = box(c[1], 2);
    l.mseals = "{\"number\":\"CA3333\",\"party\":\"CA\"}";
    l.gate_seals = "\"CA3333\"";
    l.load_seals = "\"CA5151\",\"CU7777\"";
    l.load_party = "CU";
    leg(&b, &l);
    /* The cargo report lists a customs seal the gate clerk did not note. */
    l = base;
    l.v = 3;
    l.container = box(c[2], 3);
    l.mseals = "{\"number\":\"CA4\",\"party\":\"CA\"},{\"number\":\"CU8\",\"party\":\"CU\"}";
    l.gate_seals = "\"CA4\"";
    l.load_seals = "\"CA4\"";
    l.load_party = "AC";
    leg(&b, &l);
    /* One character off at loading. */
    l = base;
    l.v = 4;
    l.container = box(c[3], 4);
    l.mseals = "{\"number\":\"SL103\",\"party\":\"CA\"}";
    l.gate_seals = "\"SL103\"";
    l.load_seals = "\"SL108\"";
    leg(&b, &l);
    /* The carrier replaces its seal beside kept shipper and quarantine seals, which the
     * loading report lists after it: the carrier sealed last. */
    l = base;
    l.v = 5;
    l.container = box(c[4], 5);
    l.mseals = "{\"number\":\"CA10003\",\"party\":\"CA\"}";
    l.gate_seals =
        "{\"number\":\"CA10003\",\"party\":\"CA\"},{\"number\":\"SH40001\",\"party\":\"SH\"},"
        "{\"number\":\"AC50002\",\"party\":\"AC\"}";
    l.load_seals =
        "{\"number\":\"CA7781\",\"party\":\"CA\"},{\"number\":\"SH40001\",\"party\":\"SH\"},"
        "{\"number\":\"AC50002\",\"party\":\"AC\"}";
    leg(&b, &l);
    ingest(s, "seals.json", b.data);
    vg_buf_release(&b);

    struct feat *f = features(s, trip_of(s, c[0], NULL), "2024-06-05T16:00Z");
    assert_string_equal(fstr(f, VG_F_SEAL_MANIFEST), "CA1111;SH2");
    assert_string_equal(fstr(f, VG_F_SEAL_GATE_IN), "CA9077;SH2");
    assert_string_equal(fstr(f, VG_F_SEAL_MANIFEST_TO_GATE), "different");
    assert_string_equal(fstr(f, VG_F_SEAL_GATE_TO_LOAD), "same");
    assert_string_equal(fstr(f, VG_F_SEAL_MANIFEST_TO_LOAD), "different");
    assert_string_equal(fstr(f, VG_F_SEAL_CHAIN), "different");
    features_free(f);
    f = features(s, trip_of(s, c[1], NULL), "2024-06-05T16:00Z");
    assert_string_equal(fstr(f, VG_F_SEAL_MANIFEST_TO_GATE), "same");
    assert_string_equal(fstr(f, VG_F_SEAL_GATE_TO_LOAD), "authority_reseal");
    assert_string_equal(fstr(f, VG_F_SEAL_CHAIN), "authority_reseal");
    assert_string_equal(fstr(f, VG_F_SEAL_LAST_PARTY), "customs");
    features_free(f);
    f = features(s, trip_of(s, c[2], NULL), "2024-06-05T16:00Z");
    assert_string_equal(fstr(f, VG_F_SEAL_MANIFEST_TO_GATE), "same");
    assert_string_equal(fstr(f, VG_F_SEAL_MANIFEST_TO_LOAD), "same");
    assert_string_equal(fstr(f, VG_F_SEAL_CHAIN), "same");
    assert_string_equal(fstr(f, VG_F_SEAL_LAST_PARTY), "quarantine");
    features_free(f);
    f = features(s, trip_of(s, c[3], NULL), "2024-06-05T16:00Z");
    assert_string_equal(fstr(f, VG_F_SEAL_GATE_TO_LOAD), "one_off");
    assert_string_equal(fstr(f, VG_F_SEAL_CHAIN), "one_off");
    features_free(f);
    f = features(s, trip_of(s, c[4], NULL), "2024-06-05T16:00Z");
    assert_string_equal(fstr(f, VG_F_SEAL_GATE_TO_LOAD), "different");
    assert_string_equal(fstr(f, VG_F_SEAL_LAST_PARTY), "carrier");
    features_free(f);
    /* Before the gate-in the gate relation is unknown, with the reason. */
    f = features(s, trip_of(s, c[0], NULL), "2024-06-02T00:00Z");
    assert_int_equal(f->rec[VG_F_SEAL_MANIFEST_TO_GATE].kind, VG_VALUE_UNKNOWN);
    features_free(f);
    vg_store_close(s);
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Robust z-score of x against v[0..n) (median and MAD, as the norms compute them). */
static double robust_z(double *v, size_t n, double x)
{
    qsort(v, n, sizeof(double), cmp_dbl);
    double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    double dev[128];
    for (size_t i = 0; i < n; i++) {
        dev[i] = fabs(v[i] - med);
    }
    qsort(dev, n, sizeof(double), cmp_dbl);
    double mad = n % 2 ? dev[n / 2] : (dev[n / 2 - 1] + dev[n / 2]) / 2;
    return (x - med) / (1.4826 * mad);
}

/* 60 ordinary avocado legs over 20 days (three a day, through Balboa to Rotterdam, picked up
 * empty by day, 20-30 hours inland, 40-52 hours in the terminal, weighed within 1%), 300
 * daytime moves of other boxes at the depot, then one leg that differs in every way. */
static void test_risk__norms_of_the_port(void **state)
{
    (void)state;
    struct vg_store *s = new_store("norms.db");
    struct vg_buf b;
    vg_buf_init(&b, 0);
    double inland[60], dwell[60], diff[60];
    char c[12], t1[32], t2[32], t3[32], t4[32], t5[32];
    int64_t day0 = T("2024-03-01T00:00Z");
    for (int i = 0; i < 60; i++) {
        int64_t pick = day0 + (int64_t)(i / 3) * 86400 + 15 * 3600 + (i % 3) * 3600; /* 10-12h */
        inland[i] = 20 + (double)((i * 7) % 11);
        dwell[i] = 40 + (double)((i * 5) % 13);
        diff[i] = 0.002 * (double)((i * 3) % 7 - 3);
        int64_t gate = pick + (int64_t)(inland[i] * 3600);
        int64_t load = gate + (int64_t)(dwell[i] * 3600);
        struct leg l = { 100 + i,
                         iso(t1, gate - 3600),
                         iso(t2, load + 7200),
                         i % 5 == 0 ? "Exportadora Uno SAC" : "Exportadora Dos SAC",
                         i % 5 == 0 ? "20100070970" : "20100047218",
                         "Fruit BV",
                         "NL",
                         "NLRTM",
                         "PABLB",
                         "080440",
                         box(c, 100 + i),
                         25000,
                         "{\"number\":\"S1\",\"party\":\"CA\"}",
                         iso(t3, pick),
                         iso(t4, gate),
                         "\"S1\"",
                         "CA",
                         25000 * (1 + diff[i]),
                         iso(t5, load),
                         "\"S1\"",
                         "CA" };
        leg(&b, &l);
    }
    char dummy[12];
    box(dummy, 999);
    for (int i = 0; i < 300; i++) {
        int64_t t = day0 + (int64_t)(i / 15) * 86400 + 13 * 3600 + (i % 15) * 1800; /* 8-15h */
        assert_int_equal(
            vg_buf_printf(&b,
                          "{\"type\":\"event\",\"sender\":\"DEP\",\"container\":\"%s\","
                          "\"event\":\"gate_out\",\"time\":\"%s\",\"port\":\"PECLL\","
                          "\"terminal\":\"DEP\",\"full_empty\":\"E\"}\n",
                          dummy, iso(t1, t)),
            VG_OK);
    }
    /* The odd one: picked up at 03:00 in Callao, 200 hours inland, 300 in the terminal,
     * 8% heavier at the gate, through Guayaquil. */
    char odd[12];
    struct leg l = { 500,
                     "2024-03-31T00:00:00Z",
                     "2024-04-15T00:00:00Z",
                     "Exportadora Dos SAC",
                     "20100047218",
                     "Fruit BV",
                     "NL",
                     "NLRTM",
                     "ECGYE",
                     "080440",
                     box(odd, 500),
                     25000,
                     "{\"number\":\"S1\",\"party\":\"CA\"}",
                     "2024-03-22T08:00:00Z",
                     iso(t4, T("2024-03-22T08:00Z") + 200 * 3600),
                     "\"S1\"",
                     "CA",
                     27000,
                     iso(t5, T("2024-03-22T08:00Z") + 500 * 3600),
                     "\"S1\"",
                     "CA" };
    leg(&b, &l);
    ingest(s, "norms.json", b.data);
    vg_buf_release(&b);

    struct feat *f = features(s, trip_of(s, odd, NULL), l.load);
    assert_true(fabs(fnum(f, VG_F_INLAND_TRANSIT_HOURS) - 200) < 1e-9);
    double lin[60], ldw[60];
    for (int i = 0; i < 60; i++) {
        lin[i] = log(inland[i]);
        ldw[i] = log(dwell[i]);
    }
    assert_true(fabs(fnum(f, VG_F_INLAND_TRANSIT_Z) - robust_z(lin, 60, log(200))) < 1e-9);
    assert_true(fnum(f, VG_F_INLAND_TRANSIT_Z) > 3);
    assert_true(fabs(fnum(f, VG_F_DWELL_Z) - robust_z(ldw, 60, log(300))) < 1e-9);
    assert_true(fabs(fnum(f, VG_F_WEIGHT_MISMATCH_PCT) - 8) < 1e-9);
    assert_true(fabs(fnum(f, VG_F_WEIGHT_MISMATCH_Z) - robust_z(diff, 60, 0.08)) < 1e-9);
    /* Nobody went through Guayaquil; the depot never works at 03:00. */
    assert_true(fnum(f, VG_F_ROUTE_SHARE) == 0);
    assert_true(fnum(f, VG_F_ODD_HOUR_ACTIVITY) == 0);
    /* No export trip in the 14 days before it: how common new shippers are is unknown. */
    assert_contains(funknown(f, VG_F_SHIPPER_NEW_SHARE), "0 export trips from PECLL");
    features_free(f);
    /* An ordinary leg of the last days: the lane's route, a busy hour at the depot. */
    f = features(s, trip_of(s, box(c, 159), NULL), "2024-03-25T00:00Z");
    assert_true(fnum(f, VG_F_ROUTE_SHARE) == 1);
    /* Its pick-up at 10:00 in Callao, when the depot is at its busiest. */
    assert_true(fnum(f, VG_F_ODD_HOUR_ACTIVITY) > 1);
    /* Two shippers, both new on the first days: none of the 14 days before. */
    assert_true(fnum(f, VG_F_SHIPPER_NEW_SHARE) == 0);
    assert_false(fbool(f, VG_F_SHIPPER_IS_NEW));
    features_free(f);
    /* With fewer than 30 earlier legs the norms are unknown, with what they saw. */
    f = features(s, trip_of(s, box(c, 110), NULL), "2024-03-08T00:00Z");
    assert_contains(funknown(f, VG_F_INLAND_TRANSIT_Z), "(30 with a spread needed)");
    assert_contains(funknown(f, VG_F_ROUTE_SHARE), "(30 needed)");
    assert_contains(funknown(f, VG_F_ODD_HOUR_ACTIVITY), "too few gate moves");
    features_free(f);
    vg_store_close(s);
}

/* The carrier as consignee: by its code as the party's identifier (SCAC), by its code as
 * the first word of the name; a name that only begins with the same letters is not it. */
static void test_risk__carrier_named_as_consignee(void **state)
{
    (void)state;
    struct vg_store *s = new_store("carrier.db");
    struct vg_buf b;
    vg_buf_init(&b, 0);
    static const char *const consignee[] = {
        "\"name\":\"MEDITERRANEAN SHIPPING COMPANY S.A.\",\"id\":\"msc\"",
        "\"name\":\"MSC BELGIUM\"",
        "\"name\":\"MSCA TRADING BV\",\"id\":\"NL8190\"",
    };
    char box_no[3][12];
    for (int i = 0; i < 3; i++) {
        box(box_no[i], 40 + i);
        assert_int_equal(
            vg_buf_printf(
                &b,
                "{\"type\":\"manifest\",\"sender\":\"MSC-PE\",\"document_number\":\"CA-%d\","
                "\"prepared_at\":\"2024-06-01T00:00:00Z\",\"voyage\":{\"vessel\":{\"name\":"
                "\"MSC ANNA\",\"imo\":\"9074729\"},\"voyage\":\"C001\",\"carrier\":\"MSC\","
                "\"port\":\"PECLL\",\"etd\":\"2024-06-05T22:00:00Z\"},\"consignments\":[{"
                "\"bill_of_lading\":\"CAB%d\",\"places\":{\"loading\":\"PECLL\",\"discharge\":"
                "\"NLRTM\"},\"parties\":[{\"role\":\"shipper\",\"name\":\"AGRO NORTE SAC\","
                "\"country\":\"PE\"},{\"role\":\"consignee\",%s}],\"equipment\":[{\"container\":"
                "\"%s\",\"size_type\":\"45R1\"}],\"goods\":[{\"hs_code\":\"080440\","
                "\"description\":\"FRESH AVOCADOS\",\"packages\":1800,\"gross_kg\":21600,"
                "\"containers\":[\"%s\"]}]}]}\n",
                i, i, consignee[i], box_no[i], box_no[i]),
            VG_OK);
    }
    /* Empties sent back on the carrier's own bill: repositioning. */
    char empty_no[12];
    box(empty_no, 50);
    assert_int_equal(
        vg_buf_printf(
            &b,
            "{\"type\":\"manifest\",\"sender\":\"MSC-PE\",\"document_number\":\"CA-9\","
            "\"prepared_at\":\"2024-06-01T00:00:00Z\",\"voyage\":{\"vessel\":{\"name\":"
            "\"MSC ANNA\",\"imo\":\"9074729\"},\"voyage\":\"C001\",\"carrier\":\"MSC\","
            "\"port\":\"PECLL\",\"etd\":\"2024-06-05T22:00:00Z\"},\"consignments\":[{"
            "\"bill_of_lading\":\"CAB9\",\"places\":{\"loading\":\"PECLL\",\"discharge\":"
            "\"NLRTM\"},\"parties\":[{\"role\":\"shipper\",\"name\":\"MSC PERU\"},"
            "{\"role\":\"consignee\",\"name\":\"MSC\",\"id\":\"MSC\"}],\"equipment\":["
            "{\"container\":\"%s\",\"size_type\":\"45R1\",\"full_empty\":\"empty\"}]}]}\n",
            empty_no),
        VG_OK);
    ingest(s, "carrier.json", b.data);
    vg_buf_release(&b);
    struct feat *fe = features(s, trip_of(s, empty_no, NULL), "2024-06-04T00:00Z");
    assert_false(fbool(fe, VG_F_CONSIGNEE_IS_CARRIER));
    features_free(fe);
    for (int i = 0; i < 3; i++) {
        struct feat *f = features(s, trip_of(s, box_no[i], NULL), "2024-06-04T00:00Z");
        if (i < 2) {
            assert_true(fbool(f, VG_F_CONSIGNEE_IS_CARRIER));
        } else {
            assert_false(fbool(f, VG_F_CONSIGNEE_IS_CARRIER));
        }
        features_free(f);
    }
    vg_store_close(s);
}

/* A cargo report with one bill and its payment terms in free text (FTX+AAI), as ingest
 * keeps it among the unmapped segments. */
static void cuscar_terms(struct vg_buf *b, int n, const char *container, const char *terms)
{
    assert_int_equal(
        vg_buf_printf(b,
                      "UNA:+.? 'UNB+UNOC:3+MSCPE:ZZZ+SUNAT:ZZZ+240502:0930+IC%04d'UNH+1+CUSCAR:D:"
                      "95B:UN'BGM+785+CUS-F%d+9'DTM+137:202405020930:203'TDT+20+FA%03dE+1++MSC:172:"
                      "20+++9074729:146:11:MSC ANNA:PA'LOC+9+PECLL:139:6'DTM+133:202405032200:203'"
                      "CNI+1+MSCUF%d'LOC+9+PECLL:139:6'LOC+11+BEANR:139:6'NAD+CZ+20100047218:RUC:"
                      "ZZZ++AGRO NORTE SAC+AV LOS FRUTALES 120+LIMA++15001+PE'NAD+CN+++FRUIT "
                      "TRADING BV+HAVENSTRAAT 1+ANTWERPEN++2000+BE'FTX+AAI+++%s'GID+1+1800:CT'"
                      "FTX+AAA+++FRESH AVOCADOS'PIA+5+080440:HS'MEA+WT+G+KGM:21600'EQD+CN+%s+45R1:"
                      "102:5+++5'CNT+11:1'UNT+19+1'UNZ+1+IC%04d'",
                      n, n, n, n, terms, container, n),
        VG_OK);
}

/* The exporter's name against its goods; payment terms from the cargo report's text; a
 * known consignee taking delivery in a new country. */
static void test_risk__party_signs(void **state)
{
    (void)state;
    struct vg_store *s = new_store("parties.db");
    struct vg_buf b;
    vg_buf_init(&b, 0);
    shipment(&b, 1, "2024-04-01T10:00:00Z", "CONSTRUCTORA LOS ANDES S.A.C.", "20100070970",
             "080440", "NLRTM", "CAIU3000011", 1800, 21600, "BOXES");
    shipment(&b, 2, "2024-04-02T10:00:00Z", "AGRÍCOLA LOS ANDES S.A.C.", "20100047218", "080440",
             "NLRTM", "CAIU3000027", 1800, 21600, "BOXES");
    shipment(&b, 3, "2024-04-03T10:00:00Z", "INVERSIONES LOS ANDES S.A.C.", "", "260300", "NLRTM",
             "MSCU1000017", 20, 24000, "BULK");
    ingest(s, "names.json", b.data);
    vg_buf_reset(&b);
    cuscar_terms(&b, 1, "MSCU1000038", "FREIGHT PREPAID");
    ingest(s, "prepaid.edi", b.data);
    vg_buf_reset(&b);
    cuscar_terms(&b, 2, "MSCU1000043", "FREIGHT COLLECT");
    ingest(s, "collect.edi", b.data);
    vg_buf_release(&b);

    struct feat *f = features(s, trip_of(s, "CAIU3000011", NULL), "2024-04-01T10:00Z");
    assert_true(fbool(f, VG_F_SHIPPER_NAME_ACTIVITY_MISMATCH)); /* a builder exporting fruit */
    assert_contains(funknown(f, VG_F_FREIGHT_PREPAID), "states no freight payment terms");
    features_free(f);
    f = features(s, trip_of(s, "CAIU3000027", NULL), "2024-04-02T10:00Z");
    assert_false(fbool(f, VG_F_SHIPPER_NAME_ACTIVITY_MISMATCH)); /* a farm exporting fruit */
    features_free(f);
    f = features(s, trip_of(s, "MSCU1000017", NULL), "2024-04-03T10:00Z");
    assert_false(fbool(f, VG_F_SHIPPER_NAME_ACTIVITY_MISMATCH)); /* a name naming no trade */
    features_free(f);
    f = features(s, trip_of(s, "MSCU1000038", NULL), "2024-05-03T10:00Z");
    assert_true(fbool(f, VG_F_FREIGHT_PREPAID));
    int64_t mid = q(s, "SELECT id FROM messages WHERE doc_number = 'CUS-F1'");
    assert_int_equal(f->src[VG_F_FREIGHT_PREPAID][0].id, mid);
    features_free(f);
    f = features(s, trip_of(s, "MSCU1000043", NULL), "2024-05-03T10:00Z");
    assert_false(fbool(f, VG_F_FREIGHT_PREPAID));
    features_free(f);
    /* A number failing its check digit in a cargo report: the finding (field "EQD
     * container") is the citation. */
    vg_buf_init(&b, 0);
    cuscar_terms(&b, 3, "MSCU1000039", "FREIGHT PREPAID");
    ingest(s, "bad-digit.edi", b.data);
    vg_buf_release(&b);
    f = features(s, trip_of(s, "MSCU1000039", NULL), "2024-05-03T10:00Z");
    assert_true(fbool(f, VG_F_CONTAINER_CHECK_DIGIT_FAILED));
    mid = q(s, "SELECT id FROM messages WHERE doc_number = 'CUS-F3'");
    assert_int_equal(f->src[VG_F_CONTAINER_CHECK_DIGIT_FAILED][0].id, mid);
    features_free(f);
    vg_store_close(s);

    /* Delivery countries of a consignee with a history. */
    s = new_store("deliv.db");
    vg_buf_init(&b, 0);
    for (int i = 0; i < 3; i++) {
        char etd[32], cont[12];
        iso(etd, T("2024-04-01T10:00Z") + (int64_t)i * 86400);
        struct leg l = { 10 + i,
                         etd,
                         etd,
                         "Agro Norte SAC",
                         "20100047218",
                         "Fruit BV",
                         "NL",
                         i < 2 ? "NLRTM" : "BEANR",
                         NULL,
                         "080440",
                         box(cont, 10 + i),
                         25000,
                         NULL,
                         NULL,
                         NULL,
                         NULL,
                         NULL,
                         0,
                         NULL,
                         NULL,
                         NULL };
        leg(&b, &l);
    }
    ingest(s, "deliv.json", b.data);
    vg_buf_release(&b);
    char cont[12];
    f = features(s, trip_of(s, box(cont, 11), NULL), "2024-04-02T10:00Z");
    assert_false(fbool(f, VG_F_CONSIGNEE_NEW_DELIVERY_COUNTRY));
    features_free(f);
    f = features(s, trip_of(s, box(cont, 12), NULL), "2024-04-03T10:00Z");
    assert_true(fbool(f, VG_F_CONSIGNEE_NEW_DELIVERY_COUNTRY));
    features_free(f);
    f = features(s, trip_of(s, box(cont, 10), NULL), "2024-04-01T10:00Z");
    assert_false(fbool(f, VG_F_CONSIGNEE_NEW_DELIVERY_COUNTRY)); /* a new consignee */
    features_free(f);
    vg_store_close(s);
}

/* Loaded before the cargo report: late when the report came after the loading, or when the
 * carrier reported the call but not the box; not late when filed before; unknown before
 * loading. */
static void test_risk__cargo_report_late(void **state)
{
    (void)state;
    struct vg_store *s = new_store("late.db");
    struct vg_buf b;
    vg_buf_init(&b, 0);
    char a[12], c2[12], c3[12];
    struct leg l = { 1,
                     "2024-06-04T12:00:00Z",
                     "2024-06-05T22:00:00Z",
                     "Agro Norte SAC",
                     "20100047218",
                     "Fruit BV",
                     "NL",
                     "NLRTM",
                     NULL,
                     "080440",
                     box(a, 1),
                     25000,
                     NULL,
                     NULL,
                     "2024-06-03T15:00:00Z",
                     NULL,
                     "CA",
                     0,
                     "2024-06-05T15:00:00Z",
                     NULL,
                     "CA" };
    leg(&b, &l);
    /* Filed two hours after its loading. */
    l.container = box(c2, 2);
    l.filed = "2024-06-05T17:00:00Z";
    l.v = 2;
    leg(&b, &l);
    ingest(s, "late.json", b.data);
    vg_buf_reset(&b);
    /* Loaded on the first call, never reported. */
    assert_int_equal(
        vg_buf_printf(&b,
                      "{\"type\":\"event\",\"sender\":\"DPW\",\"container\":\"%s\",\"event\":"
                      "\"load\",\"time\":\"2024-06-05T16:00:00Z\",\"port\":\"PECLL\","
                      "\"terminal\":\"DPW\",\"vessel\":{\"name\":\"MSC ANNA\",\"imo\":"
                      "\"9074729\"},\"voyage\":\"V001\"}\n",
                      box(c3, 3)),
        VG_OK);
    ingest(s, "unreported.json", b.data);
    vg_buf_release(&b);
    struct feat *f = features(s, trip_of(s, a, NULL), "2024-06-05T15:00Z");
    assert_false(fbool(f, VG_F_CARGO_REPORT_LATE));
    features_free(f);
    f = features(s, trip_of(s, a, NULL), "2024-06-05T12:00Z");
    assert_contains(funknown(f, VG_F_CARGO_REPORT_LATE), "not loaded yet");
    features_free(f);
    f = features(s, trip_of(s, c2, NULL), "2024-06-05T15:00Z");
    assert_contains(funknown(f, VG_F_CARGO_REPORT_LATE), "no cargo report for this call yet");
    features_free(f);
    f = features(s, trip_of(s, c2, NULL), "2024-06-05T18:00Z");
    assert_true(fbool(f, VG_F_CARGO_REPORT_LATE));
    features_free(f);
    f = features(s, trip_of(s, c3, NULL), "2024-06-05T16:00Z");
    assert_true(fbool(f, VG_F_CARGO_REPORT_LATE));
    features_free(f);

    /* Scored months later (past the re-score window): as of the loading, then as of the
     * departure, where the late report counts; the box filed in time has nothing new there. */
    struct vg_risk_report r;
    score(s, "2024-09-15T00:00Z", &r);
    char sql[400];
    int64_t late = trip_of(s, c2, NULL), ontime = trip_of(s, a, NULL);
    snprintf(sql, sizeof(sql),
             "SELECT group_concat(moment || '@' || as_of, ' ') FROM (SELECT moment, as_of FROM"
             " assessments WHERE trip_id = %lld ORDER BY version)",
             (long long)late);
    char want[200];
    snprintf(want, sizeof(want), "pre-load@%lld rescore@%lld", (long long)T("2024-06-05T15:00Z"),
             (long long)T("2024-06-05T22:00Z"));
    char *got = qtext(s, sql);
    assert_string_equal(got, want);
    vg_free(got);
    read_records(s);
    snprintf(sql, sizeof(sql),
             "SELECT json_extract(vg_feature_record(features), '$.cargo_report_late') = 1 AND"
             " json_extract(vg_feature_record(features), '$.shipper_is_new') IS NOT NULL"
             " FROM assessments"
             " WHERE trip_id = %lld AND version = 2",
             (long long)late);
    assert_int_equal(q(s, sql), 1);
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM assessments WHERE trip_id = %lld",
             (long long)ontime);
    assert_int_equal(q(s, sql), 1);
    score(s, "2024-09-16T00:00Z", &r);
    assert_int_equal(r.assessed + r.rescored, 0);
    vg_store_close(s);
}

static void add_exam(struct vg_store *s,
                     const char *container,
                     const char *bl,
                     const char *when,
                     const char *result,
                     const char *concealment)
{
    char sql[700];
    snprintf(sql, sizeof(sql),
             "INSERT INTO outcomes(container_number, bl_number, port, inspected_at, result,"
             " concealment, found_at, digest, recorded_at) VALUES('%s', '%s', 'PECLL', %lld,"
             " '%s', %s%s%s, 'origin', randomblob(32), 0)",
             container, bl, (long long)T(when), result, concealment != NULL ? "'" : "",
             concealment != NULL ? concealment : "NULL", concealment != NULL ? "'" : "");
    exec(s, sql);
}

/* One bill with a forwarder on a call of its own. */
static void forwarded(struct vg_buf *b,
                      int v,
                      const char *etd,
                      const char *shipper,
                      const char *consignee,
                      const char *forwarder,
                      const char *container)
{
    assert_int_equal(
        vg_buf_printf(b,
                      "{\"type\":\"manifest\",\"sender\":\"MSC-PE\",\"document_number\":\"F-%d\","
                      "\"prepared_at\":\"%.10sT00:00:00Z\",\"voyage\":{\"vessel\":{\"name\":"
                      "\"MSC ANNA\",\"imo\":\"9074729\"},\"voyage\":\"W%03d\",\"carrier\":\"MSC\","
                      "\"port\":\"PECLL\",\"etd\":\"%s\"},\"consignments\":[{\"bill_of_lading\":"
                      "\"FB%d\",\"places\":{\"loading\":\"PECLL\",\"discharge\":\"NLRTM\"},"
                      "\"parties\":[{\"role\":\"shipper\",\"name\":\"%s\",\"country\":\"PE\"},"
                      "{\"role\":\"consignee\",\"name\":\"%s\",\"country\":\"NL\"},"
                      "{\"role\":\"forwarder\",\"name\":\"%s\",\"country\":\"PE\"}],"
                      "\"equipment\":[{\"container\":\"%s\",\"size_type\":\"45R1\"}],\"goods\":["
                      "{\"hs_code\":\"080440\",\"description\":\"FRESH AVOCADOS\",\"packages\":"
                      "1800,\"gross_kg\":21600,\"containers\":[\"%s\"]}]}]}\n",
                      v, etd, v, etd, v, shipper, consignee, forwarder, container, container),
        VG_OK);
}

/* Seizures per shipment of a linked party, where the drugs were, and a forwarder's positive
 * rate against everyone's. */
static void test_risk__seizure_share_and_forwarder_rate(void **state)
{
    (void)state;
    struct vg_store *s = new_store("share.db");
    struct vg_buf b;
    vg_buf_init(&b, 0);
    char c[12];
    /* Exporter A ships nine times, one of them seized (door end: a rip-on); front company F
     * ships once, seized in its own cargo. Forwarder "Rapido" handles F's and four of A's;
     * "Grande" the other five. */
    for (int i = 0; i < 9; i++) {
        char etd[32];
        iso(etd, T("2024-04-01T10:00Z") + (int64_t)i * 86400);
        forwarded(&b, 1 + i, etd, "Agro Norte SAC", "Fruit BV",
                  i < 4 ? "Rapido Cargo SAC" : "Grande Cargo SAC", box(c, 200 + i));
    }
    forwarded(&b, 20, "2024-04-05T10:00:00Z", "Frutas Fantasma SAC", "Ghost Import BV",
              "Rapido Cargo SAC", box(c, 300));
    /* The trips assessed: both shippers ship again, through Rapido. */
    forwarded(&b, 30, "2024-05-10T10:00:00Z", "Agro Norte SAC", "Fruit BV", "Rapido Cargo SAC",
              box(c, 400));
    forwarded(&b, 31, "2024-05-10T10:00:00Z", "Frutas Fantasma SAC", "Ghost Import BV",
              "Rapido Cargo SAC", box(c, 401));
    ingest(s, "share.json", b.data);
    vg_buf_release(&b);
    add_exam(s, box(c, 200), "FB1", "2024-04-01T08:00Z", "drugs", "door_end_bags");
    add_exam(s, box(c, 201), "FB2", "2024-04-02T08:00Z", "negative", NULL);
    add_exam(s, box(c, 202), "FB3", "2024-04-03T08:00Z", "negative", NULL);
    add_exam(s, box(c, 205), "FB6", "2024-04-06T08:00Z", "negative", NULL);
    add_exam(s, box(c, 300), "FB20", "2024-04-05T08:00Z", "drugs", "in_cargo");

    struct feat *f = features(s, trip_of(s, box(c, 400), NULL), "2024-05-10T10:00Z");
    assert_true(fbool(f, VG_F_PRIOR_SEIZURE_PARTY));
    /* One seizure, nine earlier shipments: 1 / 10. */
    assert_true(fabs(fnum(f, VG_F_PRIOR_SEIZURE_SHARE) - 0.1) < 1e-12);
    assert_false(fbool(f, VG_F_PRIOR_SEIZURE_IN_GOODS));
    /* Rapido's examined trips: FB1, FB2, FB3 and FB20, two positive; all five examinations,
     * two positive: base (2 + 1) / (5 + 2). */
    double base = 3.0 / 7.0;
    assert_true(fabs(fnum(f, VG_F_FORWARDER_HIT_RATE_RATIO) - 3.0 / (4 * base + 1)) < 1e-12);
    features_free(f);
    f = features(s, trip_of(s, box(c, 401), NULL), "2024-05-10T10:00Z");
    /* One seizure, one earlier shipment: 1 / 2; the drugs were in its own cargo. */
    assert_true(fabs(fnum(f, VG_F_PRIOR_SEIZURE_SHARE) - 0.5) < 1e-12);
    assert_true(fbool(f, VG_F_PRIOR_SEIZURE_IN_GOODS));
    features_free(f);
    /* Grande's trips: one examined, negative: (0 + 1) / (1 x base + 1) < 1. */
    f = features(s, trip_of(s, box(c, 205), NULL), "2024-05-10T10:00Z");
    assert_true(fabs(fnum(f, VG_F_FORWARDER_HIT_RATE_RATIO) - 1.0 / (0 * base + 1)) < 1e-12);
    features_free(f);
    vg_store_close(s);
}

/* A loading report whose vessel IMO was keyed wrong makes a second call of the same voyage:
 * read as one, the trip sees its loading. A box loaded onto two ships is in two places. */
static void test_risk__one_call_reported_twice_and_two_ships(void **state)
{
    (void)state;
    struct vg_store *s = world("twice.db");
    ingest(s, "twice.json",
           "{\"type\":\"event\",\"sender\":\"DPW\",\"container\":\"MSCU1000022\",\"event\":"
           "\"load\",\"time\":\"2024-06-05T16:30:00Z\",\"port\":\"PECLL\",\"terminal\":\"DPW\","
           "\"vessel\":{\"name\":\"MSC ANNA\",\"imo\":\"9074728\"},\"voyage\":\"024W\","
           "\"seals\":[\"SL200\"],\"seal_party\":\"SH\"}\n");
    assert_int_equal(q(s, "SELECT count(*) FROM port_calls WHERE voyage = '024W'"), 2);
    struct feat *f = features(s, trip_of(s, "MSCU1000022", NULL), "2024-06-05T17:00Z");
    assert_string_equal(fstr(f, VG_F_SEAL_LOAD), "SL200");
    assert_false(fbool(f, VG_F_CONTAINER_TWO_PLACES));
    assert_true(fnum(f, VG_F_BL_COUNT) == 1);
    features_free(f);
    /* MSCU1000017, loaded on MSC ANNA 024W, is loaded again on MSC BELLA a day later. */
    ingest(s, "clone.json",
           "{\"type\":\"event\",\"sender\":\"APM\",\"container\":\"MSCU1000017\",\"event\":"
           "\"load\",\"time\":\"2024-06-06T10:00:00Z\",\"port\":\"PECLL\",\"terminal\":\"APM\","
           "\"vessel\":{\"name\":\"MSC BELLA\",\"imo\":\"9321483\"},\"voyage\":\"031E\"}\n");
    f = features(s, trip_of(s, "MSCU1000017", "2024-06-06T12:00Z"), "2024-06-06T12:00Z");
    assert_true(fbool(f, VG_F_CONTAINER_TWO_PLACES));
    features_free(f);
    vg_store_close(s);
}

/* The history of the party behind a watch-list name match. */
static void test_risk__watchlist_party_history(void **state)
{
    (void)state;
    struct vg_store *s = new_store("wlh.db");
    struct vg_buf b;
    vg_buf_init(&b, 0);
    for (int i = 0; i < 4; i++) {
        char etd[32];
        iso(etd, T("2024-04-01T10:00Z") + (int64_t)i * 86400);
        shipment(&b, 1 + i, etd, "Hansa Trading SAC", "20100070970", "080440", "NLRTM",
                 i % 2 ? "CAIU3000011" : "CAIU3000027", 1800, 21600, "BOXES");
    }
    shipment(&b, 9, "2024-04-06T10:00:00Z", "Hnasa Tradign SAC", "", "080440", "NLRTM",
             "MSCU1000017", 1800, 21600, "BOXES");
    ingest(s, "wlh.json", b.data);
    vg_buf_release(&b);
    const char *path = vg_test_tmpfile("wlh.csv");
    static const char csv[] = "name,type,country,source,note,identifier,aliases\n"
                              "\"HANSA TRADING S.A.C.\",party,PE,PNP,,,\n";
    vg_test_write_file(path, csv, sizeof(csv) - 1);
    struct vg_watchlist_report wr;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_watchlist_import_csv(s, path, "pcu", &wr, NULL, NULL, &e), VG_OK, &e);
    /* The established name: three earlier shipments. */
    struct feat *f =
        features(s, trip_of(s, "CAIU3000011", "2024-04-04T10:00Z"), "2024-04-04T10:00Z");
    assert_true(fnum(f, VG_F_WATCHLIST_PARTY_SCORE) >= 0.9);
    assert_true(fnum(f, VG_F_WATCHLIST_PARTY_SHIPMENTS) == 3);
    features_free(f);
    /* A spelling variant with no history. */
    f = features(s, trip_of(s, "MSCU1000017", NULL), "2024-04-06T10:00Z");
    assert_true(fnum(f, VG_F_WATCHLIST_PARTY_SCORE) >= 0.7);
    assert_true(fnum(f, VG_F_WATCHLIST_PARTY_SHIPMENTS) == 0);
    features_free(f);
    vg_store_close(s);
}

/* ---- what an assessment stores ------------------------------------------------------ */

/* "m12:13", "o5"... as the record writes a source. */
static void source_key(const struct rk_src *src, char *out, size_t cap)
{
    static const char prefix[] = { 0, 'm', 'o', 'e', 'w' };
    size_t n = 0;
    for (int k = 0; k < 2 && src[k].kind != RK_SRC_NONE; k++) {
        int w = src[k].kind == RK_SRC_MESSAGE && src[k].seg > 0
                    ? snprintf(out + n, cap - n, "%s%c%lld:%d", k > 0 ? " " : "",
                               prefix[src[k].kind], (long long)src[k].id, (int)src[k].seg)
                    : snprintf(out + n, cap - n, "%s%c%lld", k > 0 ? " " : "", prefix[src[k].kind],
                               (long long)src[k].id);
        assert_true(w > 0 && (size_t)w < cap - n);
        n += (size_t)w;
    }
}

/* The stored feature record is the record computed as of the assessment: every known value
 * under its name, no unknown feature, and each cited feature under exactly its source list
 * in "_sources" (read back as JSON with SQLite's JSON functions). */
static void test_risk__stored_record_is_the_computed_one(void **state)
{
    (void)state;
    struct vg_store *s = world("rec.db");
    struct vg_risk_report r;
    score(s, "2024-06-06T00:00Z", &r);
    read_records(s);
    int64_t trip = trip_of(s, "MSCU1000017", NULL);
    char sql[600];
    snprintf(sql, sizeof(sql),
             "SELECT id FROM assessments WHERE trip_id = %lld AND version = 1 AND as_of = %lld",
             (long long)trip, (long long)T("2024-06-05T15:00Z"));
    int64_t aid = q(s, sql);
    assert_true(aid > 0);
    snprintf(sql, sizeof(sql),
             "SELECT json_valid(vg_feature_record(features)) AND"
             " json_type(vg_feature_record(features), '$._unknown') IS NULL"
             " AND json_type(vg_feature_record(features), '$._sources') = 'object' FROM"
             " assessments WHERE id = %lld",
             (long long)aid);
    assert_int_equal(q(s, sql), 1);
    struct feat *f = features(s, trip, "2024-06-05T15:00Z");
    const struct vg_feature_schema *cat = vg_feature_catalog();
    int known = 0, cited = 0;
    for (size_t i = 0; i < VG_F_COUNT; i++) {
        const char *name = cat->defs[i].name;
        const struct vg_value *v = &f->rec[i];
        snprintf(sql, sizeof(sql),
                 "SELECT coalesce(json_type(vg_feature_record(features), '$.\"%s\"'), 'absent')"
                 " FROM assessments"
                 " WHERE id = %lld",
                 name, (long long)aid);
        char *type = qtext(s, sql);
        static const char *const want[] = { "absent", "number", "bool", "text", "array" };
        const char *expect = want[v->kind];
        if (v->kind == VG_VALUE_BOOL) {
            expect = v->as.boolean ? "true" : "false";
        } else if (v->kind == VG_VALUE_NUMBER && v->as.number == floor(v->as.number)) {
            expect = "integer";
        } else if (v->kind == VG_VALUE_NUMBER) {
            expect = "real";
        }
        if (strcmp(type, expect) != 0) {
            fail_msg("%s: stored as %s, computed as %s", name, type, expect);
        }
        vg_free(type);
        known += v->kind != VG_VALUE_UNKNOWN;
        if (v->kind == VG_VALUE_STRING) {
            snprintf(sql, sizeof(sql),
                     "SELECT json_extract(vg_feature_record(features), '$.\"%s\"') FROM"
                     " assessments WHERE id = %lld",
                     name, (long long)aid);
            char *text = qtext(s, sql);
            assert_int_equal(strlen(text), v->as.string.len);
            assert_memory_equal(text, v->as.string.ptr, v->as.string.len);
            vg_free(text);
        } else if (v->kind == VG_VALUE_NUMBER) {
            snprintf(sql, sizeof(sql),
                     "SELECT json_extract(vg_feature_record(features), '$.\"%s\"') FROM"
                     " assessments WHERE id = %lld",
                     name, (long long)aid);
            sqlite3_stmt *st;
            assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
            assert_int_equal(sqlite3_step(st), SQLITE_ROW);
            double x = sqlite3_column_double(st, 0);
            sqlite3_finalize(st);
            assert_true(fabs(x - v->as.number) <= 1e-9 * fmax(1.0, fabs(v->as.number)));
        }
        /* Its source list: the key of the one "_sources" entry naming it. */
        snprintf(sql, sizeof(sql),
                 "SELECT coalesce(group_concat(g.key, '|'), '') FROM assessments a,"
                 " json_each(vg_feature_record(a.features), '$._sources') g, json_each(g.value) n"
                 " WHERE a.id = %lld AND n.value = '%s'",
                 (long long)aid, name);
        char *keys = qtext(s, sql);
        char expect_key[128] = "";
        if (f->src[i][0].kind != RK_SRC_NONE) {
            source_key(f->src[i], expect_key, sizeof(expect_key));
            cited++;
        }
        if (strcmp(keys, expect_key) != 0) {
            fail_msg("%s: stored under source '%s', computed '%s'", name, keys, expect_key);
        }
        vg_free(keys);
    }
    assert_true(known > 20 && known < (int)VG_F_COUNT); /* the world leaves some unknown */
    assert_true(cited > 10);
    snprintf(sql, sizeof(sql),
             "SELECT (SELECT count(*) FROM json_each(vg_feature_record(features))) - 1, (SELECT"
             " count(*) FROM"
             " json_each(vg_feature_record(features), '$._sources') g, json_each(g.value)) FROM"
             " assessments"
             " WHERE id = %lld",
             (long long)aid);
    assert_int_equal(q(s, sql), known);
    snprintf(sql, sizeof(sql),
             "SELECT (SELECT count(*) FROM json_each(vg_feature_record(features), '$._sources') g,"
             " json_each(g.value)) FROM assessments WHERE id = %lld",
             (long long)aid);
    assert_int_equal(q(s, sql), cited);
    features_free(f);
    vg_store_close(s);
}

/* Twelve exports a day apart. */
static struct vg_store *exports_world(const char *name)
{
    struct vg_store *s = new_store(name);
    struct vg_buf b;
    vg_buf_init(&b, 0);
    static const char *const hs[] = { "080440", "081040", "030389" };
    static const char *const dest[] = { "NLRTM", "BEANR", "ESALG" };
    for (int i = 0; i < 12; i++) {
        char etd[32], shipper[40], ruc[16], num[16];
        snprintf(etd, sizeof(etd), "2024-06-%02dT10:00:00Z", 1 + i);
        snprintf(shipper, sizeof(shipper), "Exportadora %c SAC", 'A' + i % 5);
        snprintf(ruc, sizeof(ruc), "2010000%04d", 100 + i % 5);
        snprintf(num, sizeof(num), "MSCU2%05d", i);
        snprintf(num + 10, sizeof(num) - 10, "%d", vg_container_check_digit(num));
        shipment(&b, 20 + i, etd, shipper, ruc, hs[i % 3], dest[i % 3], num, 1000 + 10 * i,
                 15000 + 100 * i, i % 2 ? "BOXES" : "BAGS");
    }
    ingest(s, "exports.json", b.data);
    vg_buf_release(&b);
    return s;
}

/* Every first assessment, its record and its reasons, in one string. */
static char *first_versions(struct vg_store *s)
{
    read_records(s);
    return qtext(s, "SELECT group_concat(x, char(10)) FROM (SELECT k.number || ' ' || a.moment"
                    " || ' ' || a.as_of || ' ' || printf('%.6f', a.score) || ' ' || a.band || ' '"
                    " || vg_feature_record(a.features) || ' ' || (SELECT group_concat(r.seq ||"
                    " ':' || r.kind || ':' ||"
                    " coalesce(r.code, '') || ':' || coalesce(r.weight, '') || ':' || r.text || ':'"
                    " || coalesce(r.evidence, ''), char(10)) FROM (SELECT * FROM"
                    " assessment_reasons WHERE assessment_id = a.id ORDER BY seq) r) AS x"
                    " FROM assessments a JOIN trips t ON t.id = a.trip_id JOIN containers k ON"
                    " k.id = t.container_id WHERE a.version = 1 ORDER BY k.number)");
}

/* Reasons go in many rows per statement: scoring twelve trips in one run (more reasons
 * than one statement takes, so full statements and a remainder) stores exactly what
 * scoring them a day at a time (a few reasons per run) does. */
static void test_risk__reasons_in_batches_as_one_by_one(void **state)
{
    (void)state;
    struct vg_store *all = exports_world("batch.db");
    struct vg_risk_report r;
    score(all, "2024-06-20T00:00Z", &r);
    assert_int_equal(r.assessed, 12);
    assert_true(q(all, "SELECT count(*) FROM assessment_reasons") > 32);
    struct vg_store *daily = exports_world("daily.db");
    for (int d = 1; d <= 12; d++) {
        char when[32];
        snprintf(when, sizeof(when), "2024-06-%02dT12:00Z", d);
        score(daily, when, &r);
        assert_int_equal(r.assessed, 1);
        assert_true(q(daily, "SELECT max(n) FROM (SELECT count(*) AS n FROM assessment_reasons"
                             " GROUP BY assessment_id)") < 32);
    }
    char *a = first_versions(all), *b = first_versions(daily);
    assert_true(strlen(a) > 12 * 500);
    assert_string_equal(a, b);
    /* Sequence numbers run 1..n within every assessment. */
    assert_int_equal(q(all,
                       "SELECT count(*) FROM (SELECT assessment_id FROM assessment_reasons"
                       " GROUP BY assessment_id HAVING max(seq) != count(*) OR min(seq) != 1)"),
                     0);
    vg_free(a);
    vg_free(b);
    vg_store_close(all);
    vg_store_close(daily);
}

/* A consignment's evidence is shared out over its boxes: on a bill of four containers a rule
 * resting on the bill alone (the destination) counts 10 x log10(4) less for each box, a
 * rule that also reads the box (its cargo weight) counts whole (the absence of a listed
 * identifier is no box evidence), and the single box of
 * another bill with the same signs keeps every point. */
static void test_risk__consignment_evidence_shared_by_its_boxes(void **state)
{
    (void)state;
    struct vg_store *s = new_store("cons.db");
    static const char rules[] =
        "ruleset shared\nversion 1\nowner \"PCU\"\n\n"
        "rule DEST\n  title \"Bound for the Netherlands\"\n  rationale \"test\"\n  weight 20\n"
        "  when destination_country = \"NL\"\nend\n\n"
        "rule HEAVY\n  title \"Heavy box to the Netherlands\"\n  rationale \"test\"\n"
        "  weight 5\n  when destination_country = \"NL\" and gross_kg > 1000\nend\n\n"
        "rule UNLISTED\n  title \"Prepaid, no listed identifier\"\n  rationale \"test\"\n"
        "  weight 4\n  when destination_country = \"NL\" and not watchlist_identifier_match\n"
        "end\n";
    int64_t rid;
    bool fresh;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_risk_rules_load(s, rules, sizeof(rules) - 1, "shared.rules", true, NULL, NULL,
                                     &rid, &fresh, &e),
                  VG_OK, &e);
    struct vg_buf b;
    vg_buf_init(&b, 0);
    assert_int_equal(
        vg_buf_append_cstr(
            &b, "{\"type\":\"manifest\",\"sender\":\"MSC-PE\",\"document_number\":\"CUS-9\","
                "\"function\":\"original\",\"prepared_at\":\"2024-06-03T12:00:00Z\","
                "\"voyage\":{\"vessel\":{\"name\":\"MSC ANNA\",\"imo\":\"9074729\"},"
                "\"voyage\":\"024W\",\"carrier\":\"MSC\",\"port\":\"PECLL\",\"terminal\":\"DPW\","
                "\"etd\":\"2024-06-05T22:00:00Z\"},\"consignments\":["),
        VG_OK);
    char c[12];
    for (int bill = 0; bill < 2; bill++) {
        int n = bill == 0 ? 4 : 1;
        assert_int_equal(
            vg_buf_printf(&b,
                          "%s{\"bill_of_lading\":\"BLC%d\",\"places\":{\"loading\":\"PECLL\","
                          "\"discharge\":\"NLRTM\"},\"parties\":[{\"role\":\"shipper\","
                          "\"name\":\"Agro Norte S.A.C.\",\"id\":\"20100047218\","
                          "\"country\":\"PE\"},{\"role\":\"consignee\",\"name\":\"Fruit BV\","
                          "\"country\":\"NL\"}],\"equipment\":[",
                          bill > 0 ? "," : "", bill),
            VG_OK);
        for (int k = 0; k < n; k++) {
            assert_int_equal(vg_buf_printf(&b, "%s{\"container\":\"%s\",\"size_type\":\"45G1\"}",
                                           k > 0 ? "," : "", box(c, 700 + bill * 10 + k)),
                             VG_OK);
        }
        assert_int_equal(vg_buf_append_cstr(&b, "],\"goods\":["), VG_OK);
        for (int k = 0; k < n; k++) {
            assert_int_equal(
                vg_buf_printf(&b,
                              "%s{\"hs_code\":\"080440\",\"description\":\"FRESH AVOCADOS\","
                              "\"packages\":1800,\"package_type\":\"BOXES\",\"gross_kg\":21600,"
                              "\"containers\":[\"%s\"]}",
                              k > 0 ? "," : "", box(c, 700 + bill * 10 + k)),
                VG_OK);
        }
        assert_int_equal(vg_buf_append_cstr(&b, "]}"), VG_OK);
    }
    assert_int_equal(vg_buf_append_cstr(&b, "]}\n"), VG_OK);
    ingest(s, "cons.json", b.data);
    vg_buf_release(&b);
    /* A watch list that names nobody here: no identifier matches, known. */
    const char *path = vg_test_tmpfile("cons-wl.csv");
    static const char wl[] = "name,type,country,source,note,identifier,aliases\n"
                             "\"NADIE EN ESTE PUERTO S.A.\",party,PE,PCU,,20999999991,\n";
    vg_test_write_file(path, wl, sizeof(wl) - 1);
    struct vg_watchlist_report wr;
    assert_status(vg_watchlist_import_csv(s, path, "pcu", &wr, NULL, NULL, &e), VG_OK, &e);
    struct vg_risk_report r;
    score(s, "2024-06-05T12:00Z", &r);
    assert_int_equal(r.assessed, 5);

    struct feat *f = features(s, trip_of(s, box(c, 701), NULL), "2024-06-05T12:00Z");
    assert_true(fnum(f, VG_F_BILL_CONTAINERS) == 4);
    features_free(f);
    f = features(s, trip_of(s, box(c, 710), NULL), "2024-06-05T12:00Z");
    assert_true(fnum(f, VG_F_BILL_CONTAINERS) == 1);
    features_free(f);

    /* Every box of the four: one consignment reason, DEST shared, HEAVY not. */
    assert_int_equal(q(s, "SELECT count(*) FROM assessment_reasons WHERE kind = 'consignment'"), 4);
    assert_int_equal(q(s, "SELECT count(*) FROM assessment_reasons WHERE kind = 'consignment'"
                          " AND abs(weight + 10 * log10(4)) < 1e-9"),
                     4);
    char *text = qtext(s, "SELECT text FROM assessment_reasons WHERE kind = 'consignment' LIMIT 1");
    /* No listed identifier reads the same on every box: UNLISTED is shared too. */
    assert_contains(text, "Consignment evidence shared by the 4 containers of its bill (DEST, "
                          "UNLISTED: 24.00 points): 17.98 for each, 6.02 less");
    assert_contains(text, ".json CUS-9 (message 1, record 1)");
    vg_free(text);
    /* The score is the sum of the reasons' weights, the discount included, and the single
     * box scores the discount higher than its neighbours of the big bill. */
    assert_int_equal(q(s, "SELECT count(*) FROM assessments a WHERE abs(a.score - 100 * (1 - "
                          "exp(-(SELECT sum(weight) FROM assessment_reasons r WHERE"
                          " r.assessment_id = a.id) / 50.0))) > 1e-6"),
                     0);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM assessment_reasons r JOIN assessments a ON a.id ="
             " r.assessment_id JOIN trips t ON t.id = a.trip_id JOIN containers k ON"
             " k.id = t.container_id WHERE r.kind = 'consignment' AND k.number = '%s'",
             box(c, 710));
    assert_int_equal(q(s, sql), 0);
    /* The listing (the stable CSV interface) carries the reason with the others. */
    struct rows rw;
    list(s, false, &rw);
    size_t shown = 0;
    for (size_t k = 0; k < rw.nrows; k++) {
        shown +=
            strcmp(rw.cells[k][1], "BLC0") == 0 &&
            strstr(rw.cells[k][7], " | Consignment evidence shared by the 4 containers") != NULL;
    }
    assert_int_equal(shown, 4);
    rows_free(&rw);
    vg_store_close(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_risk__features_of_a_trip),
    cmocka_unit_test(test_risk__missing_gate_feed_is_unknown_not_nothing),
    cmocka_unit_test(test_risk__box_rolled_from_an_earlier_call),
    cmocka_unit_test(test_risk__party_history_and_new_patterns),
    cmocka_unit_test(test_risk__kg_per_package_robust_z),
    cmocka_unit_test(test_risk__links_to_earlier_seizures),
    cmocka_unit_test(test_risk__score_bands_reasons_and_listing),
    cmocka_unit_test(test_risk__reasons_cite_edifact_segments),
    cmocka_unit_test(test_risk__scoring_twice_adds_nothing),
    cmocka_unit_test(test_risk__later_evidence_adds_a_version_and_leaves_the_first),
    cmocka_unit_test(test_risk__amendment_after_as_of_is_not_seen),
    cmocka_unit_test(test_risk__two_places_at_once),
    cmocka_unit_test(test_risk__two_places_inside_a_terminal),
    cmocka_unit_test(test_risk__container_declared_as_another_type),
    cmocka_unit_test(test_risk__vessel_events_of_the_voyage),
    cmocka_unit_test(test_risk__watch_list_hits_hold_the_trip),
    cmocka_unit_test(test_risk__listed_vessel_exposes_without_holding),
    cmocka_unit_test(test_risk__rule_sets_are_versioned),
    cmocka_unit_test(test_risk__backtest_counts_hits_on_outcomes),
    cmocka_unit_test(test_risk__model_hook_adds_points_and_a_reason),
    cmocka_unit_test(test_risk__score_formula_and_bands),
    cmocka_unit_test(test_risk__consignment_evidence_shared_by_its_boxes),
    cmocka_unit_test(test_risk__seals_compared_as_sets),
    cmocka_unit_test(test_risk__norms_of_the_port),
    cmocka_unit_test(test_risk__party_signs),
    cmocka_unit_test(test_risk__cargo_report_late),
    cmocka_unit_test(test_risk__carrier_named_as_consignee),
    cmocka_unit_test(test_risk__seizure_share_and_forwarder_rate),
    cmocka_unit_test(test_risk__one_call_reported_twice_and_two_ships),
    cmocka_unit_test(test_risk__watchlist_party_history),
    cmocka_unit_test(test_risk__stored_record_is_the_computed_one),
    cmocka_unit_test(test_risk__reasons_in_batches_as_one_by_one),
};

VG_TEST_MAIN(tests)
