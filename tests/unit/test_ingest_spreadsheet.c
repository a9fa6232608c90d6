/* The CSV layouts as spreadsheets write them in Peru and Spain (src/ingest/csv_dialect.c):
 * ';' between fields, decimal commas and thousands groups, dates day first, text in
 * Windows-1252; a tab between fields; UTF-16 "Unicode text" (ingest.c); and the same
 * records as the plain layout gives. */
#include "ingest/ingest_int.h"
#include "vg_targeting.h"
#include "vg_test.h"

#include <math.h>
#include <stdlib.h>
#include <vigia/ingest.h>
#include <vigia/store.h>

static bool number(const char *text, bool decimal_comma, double *out)
{
    *out = NAN;
    return vg__ing_number_text(vg_slice_from_cstr(text), decimal_comma, out);
}

static void test_ingest_spreadsheet__numbers_in_either_locale(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool decimal_comma;
        double value;
    } ok[] = {
        { "12500", false, 12500 },       { "12500.5", false, 12500.5 },
        { "12,500.5", false, 12500.5 },  { "12,500", false, 12500 },
        { "1,234,567", false, 1234567 }, { "12,5", false, 12.5 },
        { "12.500", false, 12.5 },       { "-3.25", false, -3.25 },
        { "12500,5", true, 12500.5 },    { "12.500,5", true, 12500.5 },
        { "12.500", true, 12500 },       { "1.234.567", true, 1234567 },
        { "12,500", true, 12.5 },        { "12.5", true, 12.5 },
        { "-1.234,5", true, -1234.5 },   { "1e3", true, 1000 },
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        double d;
        if (!number(ok[i].text, ok[i].decimal_comma, &d) || d != ok[i].value) {
            fail_msg("'%s' (decimal comma %d): %g, expected %g", ok[i].text, ok[i].decimal_comma, d,
                     ok[i].value);
        }
    }
    static const char *const bad[] = { "",    "1,2,3", "12.50.0",  "1.2,3.4", "12,5.00,1",
                                       "abc", ",",     "1,23,456", "12.5,30", "1..2" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        double d;
        for (int dc = 0; dc < 2; dc++) {
            if (number(bad[i], dc, &d)) {
                fail_msg("'%s' (decimal comma %d) read as %g", bad[i], dc, d);
            }
        }
    }
}

static void test_ingest_spreadsheet__what_numbers_say_of_the_decimal_mark(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int hint;
    } cases[] = {
        { "12,5", 1 },   { "1.234,5", 1 },  { "1.234.567", 1 },  { "12500,75", 1 },
        { "12.5", -1 },  { "1,234.5", -1 }, { "1,234,567", -1 }, { "-0.25", -1 },
        { "12.500", 0 }, { "12,500", 0 },   { "12500", 0 },      { "", 0 },
        { "12 kg", 0 },  { "abc", 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int h = vg__ing_decimal_hint(vg_slice_from_cstr(cases[i].text));
        if (h != cases[i].hint) {
            fail_msg("'%s': %d, expected %d", cases[i].text, h, cases[i].hint);
        }
    }
}

static void
ingest(struct vg_store *store, const char *name, const char *text, struct vg_ingest_report *r)
{
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_ingest_buffer(store, name, text, strlen(text), NULL, r, &e), VG_OK, &e);
    assert_int_equal(r->rejected, 0);
    assert_int_equal(r->files_skipped, 0);
}

/* The decimal mark of a file is the one its numbers show, whatever separates its fields;
 * the separator decides only for a file whose numbers show none. */
static void test_ingest_spreadsheet__decimal_mark_from_the_file(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_empty("marks.db");
    struct vg_ingest_report r;
    /* ';' with decimal points (a system, not a spreadsheet): 1.234 is 1.234. */
    ingest(s, "points.csv",
           "container;event;time;port;gross_kg\n"
           "MSCU1234566;gate_in;2024-05-03T08:00;PECLL;25480.5\n"
           "TGHU1234566;gate_in;2024-05-03T09:00;PECLL;1.234\n",
           &r);
    /* ',' with decimal commas in quotes: 12,500 is 12.5. */
    ingest(s, "commas.csv",
           "container,event,time,port,gross_kg\n"
           "MSCU1234566,gate_out,2024-05-04T08:00,PECLL,\"25480,5\"\n"
           "TGHU1234566,gate_out,2024-05-04T09:00,PECLL,\"12,500\"\n",
           &r);
    /* ';' whose numbers show no mark: the spreadsheet's, a comma (1.234 is 1234). */
    ingest(s, "either.csv",
           "container;event;time;port;gross_kg\n"
           "MSCU1234566;stuffing;2024-05-02T08:00;PECLL;1.234\n",
           &r);
    static const struct {
        const char *event;
        double kg;
    } want[] = { { "gate_in", 1.234 }, { "gate_out", 12.5 }, { "stuffing", 1234 } };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        char sql[256], got[64];
        snprintf(sql, sizeof(sql),
                 "SELECT e.gross_kg FROM equipment_events e JOIN containers c ON c.id ="
                 " e.container_id WHERE e.kind = '%s' AND c.number = '%s'",
                 want[i].event, i == 2 ? "MSCU1234566" : "TGHU1234566");
        vg_tt_text(s, sql, got, sizeof(got));
        if (strtod(got, NULL) != want[i].kg) {
            fail_msg("%s: %s kg, expected %g", want[i].event, got, want[i].kg);
        }
    }
    vg_store_close(s);
}

static void test_ingest_spreadsheet__dates_day_first(void **state)
{
    (void)state;
    struct vg_zone lima;
    vg_zone_for_locode("PECLL", &lima);
    int64_t iso, t;
    assert_int_equal(
        vg_time_parse_iso8601(vg_slice_from_cstr("2024-05-03T10:20"), &lima, &iso, NULL), VG_OK);
    static const char *const same[] = { "03/05/2024 10:20", "3/5/2024 10:20", "03-05-2024T10:20",
                                        "03.05.2024 10:20:00", "2024-05-03T10:20" };
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        struct vg_error e;
        vg_error_clear(&e);
        assert_status(vg__ing_time_text(vg_slice_from_cstr(same[i]), &lima, &t, &e), VG_OK, &e);
        assert_int_equal(t, iso);
    }
    static const char *const bad[] = { "05/23/2024",      "32/01/2024",       "03/05/24",
                                       "03/05-2024",      "03/05/2024 25:00", "03/05/2024 10",
                                       "3/5/2024 10:20x", "123/5/2024" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct vg_error e;
        vg_error_clear(&e);
        if (vg__ing_time_text(vg_slice_from_cstr(bad[i]), &lima, &t, &e) != VG_EPARSE) {
            fail_msg("'%s' read as a time", bad[i]);
        }
        assert_non_null(strstr(e.message, "day first"));
    }
}


/* A manifest as a spreadsheet in Peru writes it (headers as people type them, ';', decimal
 * comma, day first, Windows-1252: \xfa is u acute, \x80 the euro sign) and the same in the
 * plain layout: the same records. */
static const char spreadsheet_manifest[] =
    "Bill of Lading;Port of Loading;Container;Container Gross KG;Departure;Shipper-Name;"
    "shipper.country\r\n"
    "BL1;PECLL;MSCU1234566;\"12.500,5\";03/05/2024 22:00;Agro Per\xfa S.A.C.;PE\r\n"
    "BL2;PECLL;TGHU1234566;1.234;03/05/2024 22:00;Caf\xe9 \x80uro SAC;PE\r\n";
static const char plain_manifest[] =
    "bill_of_lading,port_of_loading,container,container_gross_kg,departure,shipper_name,"
    "shipper_country\n"
    "BL1,PECLL,MSCU1234566,12500.5,2024-05-03T22:00,Agro Perú S.A.C.,PE\n"
    "BL2,PECLL,TGHU1234566,1234,2024-05-03T22:00,Café €uro SAC,PE\n";

static const char *const compared[] = {
    ("SELECT group_concat(c.number || ':' || e.gross_kg, ' ') FROM consignment_equipment e"
     " JOIN containers c ON c.id = e.container_id"),
    "SELECT group_concat(name, '|') FROM parties",
    "SELECT group_concat(etd) FROM port_calls",
};

static void test_ingest_spreadsheet__manifest_reads_as_the_plain_layout(void **state)
{
    (void)state;
    struct vg_store *sheet = vg_tt_empty("sheet.db");
    struct vg_store *plain = vg_tt_empty("plain.db");
    struct vg_ingest_report r;
    ingest(sheet, "manifiesto.csv", spreadsheet_manifest, &r);
    assert_int_equal(r.accepted, 2);
    ingest(plain, "manifest.csv", plain_manifest, &r);
    assert_int_equal(r.accepted, 2);
    for (size_t i = 0; i < sizeof(compared) / sizeof(compared[0]); i++) {
        char a[512], b[512];
        assert_string_equal(vg_tt_text(sheet, compared[i], a, sizeof(a)),
                            vg_tt_text(plain, compared[i], b, sizeof(b)));
        assert_true(strlen(a) >= 10); /* not empty on both sides */
    }
    assert_int_equal(
        vg_tt_int(sheet, "SELECT count(*) FROM parties WHERE name = 'Agro Perú S.A.C.'"), 1);
    /* The conversion is a finding of the file, with the first line converted. */
    assert_int_equal(vg_tt_int(sheet, "SELECT count(*) FROM findings WHERE kind ="
                                      " 'charset_mismatch' AND detail LIKE '2 lines %line 2)%'"),
                     1);
    assert_int_equal(vg_tt_int(plain, "SELECT count(*) FROM findings WHERE kind ="
                                      " 'charset_mismatch'"),
                     0);
    /* The same rows again, with one more: only that one goes in; the new file has its own
     * finding. */
    int64_t findings = vg_tt_int(sheet, "SELECT count(*) FROM findings");
    char more[1024];
    snprintf(more, sizeof(more), "%sBL3;PECLL;MSCU1234566;900;03/05/2024 22:00;X\xfa SAC;PE\r\n",
             spreadsheet_manifest);
    ingest(sheet, "manifiesto-2.csv", more, &r);
    assert_int_equal(r.accepted, 1);
    assert_int_equal(r.duplicates, 2);
    assert_int_equal(vg_tt_int(sheet, "SELECT count(*) FROM findings"), findings + 1);
    assert_int_equal(vg_tt_int(sheet, "SELECT count(*) FROM findings WHERE kind ="
                                      " 'charset_mismatch' AND detail LIKE '3 lines %line 2)%'"),
                     1);
    vg_store_close(sheet);
    vg_store_close(plain);
}

/* A file in UTF-8 with one line in Windows-1252 (two exports pasted together): only that
 * line is converted; tab between fields; a number that is none is flagged, not guessed. */
static void test_ingest_spreadsheet__mixed_encoding_and_tabs(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_empty("mixed.db");
    struct vg_ingest_report r;
    ingest(s, "events.txt",
           "container\tevent\ttime\tport\tgross_kg\n"
           "MSCU1234566\tgate_in\t03/05/2024 08:00\tPECLL\t25480\n"
           "TGHU1234566\tgate_in\t2024-05-03T09:00\tPECLL\t1,2,3\n",
           &r);
    assert_int_equal(r.accepted, 2);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM equipment_events WHERE event_at ="
                                  " 1714741200"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind = 'malformed_number'"
                                  " AND value = '1,2,3'"),
                     1);
    ingest(s, "manifest.csv",
           "bill_of_lading,port_of_loading,container,shipper_name\n"
           "BL7,PECLL,MSCU1234566,Exportadora Perú\n"
           "BL8,PECLL,TGHU1234566,Exportadora Ca\xf1"
           "ete\n",
           &r);
    assert_int_equal(r.accepted, 2);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM parties WHERE name IN"
                                  " ('Exportadora Perú', 'Exportadora Cañete')"),
                     2);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind ="
                                  " 'charset_mismatch' AND detail LIKE '1 line %line 3)%'"),
                     1);
    vg_store_close(s);
}

/* latin1 (ISO 8859-1) as UTF-16 with its byte-order mark, little or big endian, into out;
 * returns the bytes. */
static size_t utf16(const char *latin1, bool big_endian, char *out, size_t size)
{
    size_t w = 0;
    out[w++] = (char)(big_endian ? 0xFE : 0xFF);
    out[w++] = (char)(big_endian ? 0xFF : 0xFE);
    for (const char *p = latin1; *p != '\0' && w + 2 <= size; p++) {
        out[w++] = big_endian ? '\0' : *p;
        out[w++] = big_endian ? *p : '\0';
    }
    return w;
}

/* "Unicode text" as spreadsheets save it: UTF-16 with a byte-order mark, tab between
 * fields. Read as its UTF-8; the same bytes again are a file read before. */
static void test_ingest_spreadsheet__utf16_text(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_empty("utf16.db");
    static const char *const rows[] = {
        "container\tevent\ttime\tport\tvessel_name\r\n"
        "MSCU1234566\tload\t03/05/2024 08:00\tPECLL\tR\xedo Napo\r\n",
        "container\tevent\ttime\tport\tvessel_name\r\n"
        "TGHU1234566\tload\t03/05/2024 09:00\tPECLL\tR\xedo Napo\r\n",
    };
    for (int be = 0; be < 2; be++) {
        char buf[512];
        size_t n = utf16(rows[be], be, buf, sizeof(buf));
        struct vg_ingest_report r;
        struct vg_error e;
        vg_error_clear(&e);
        assert_status(vg_ingest_buffer(s, be ? "be.txt" : "le.txt", buf, n, NULL, &r, &e), VG_OK,
                      &e);
        assert_int_equal(r.accepted, 1);
        assert_int_equal(r.files_skipped, 0);
        assert_status(vg_ingest_buffer(s, "again.txt", buf, n, NULL, &r, &e), VG_OK, &e);
        assert_int_equal(r.files_unchanged, 1);
        assert_int_equal(r.accepted, 0);
    }
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM vessels WHERE name = 'Río Napo'"), 1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM equipment_events WHERE vessel_id ="
                                  " (SELECT id FROM vessels WHERE name = 'Río Napo')"),
                     2);
    vg_store_close(s);
}

/* JSON numbers and times sent as text are read as CSV fields are. */
static void test_ingest_spreadsheet__json_text_values_read_as_csv_fields(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_empty("json_text.db");
    struct vg_ingest_report r;
    ingest(s, "events.jsonl",
           "{\"type\":\"event\",\"container\":\"MSCU1234566\",\"event\":\"gate_in\","
           "\"time\":\"03/05/2024 08:00\",\"port\":\"PECLL\",\"gross_kg\":\"25.480,5\"}\n"
           "{\"type\":\"event\",\"container\":\"MSCU1234566\",\"event\":\"load\","
           "\"time\":\"2024-05-03T09:00\",\"port\":\"PECLL\",\"gross_kg\":\"1,2,3\"}\n",
           &r);
    assert_int_equal(r.accepted, 2);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM equipment_events WHERE kind = 'gate_in'"
                                  " AND event_at = 1714741200 AND gross_kg = 25480.5"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind = 'malformed_number'"
                                  " AND value = '1,2,3'"),
                     1);
    vg_store_close(s);
}

/* HS codes that a spreadsheet read as numbers: 080440 (avocados, chapter 08, as Peru's fruit
 * exports are declared) saved as 80440. With the nomenclature imported, a code of 3, 5, 7
 * or 9 digits whose zero-led form it lists is read with that zero (a finding
 * hs_leading_zero keeps what was sent); one whose zero-led form it does not list (84713)
 * stays malformed, as sent; without the nomenclature nothing is guessed. */
static void test_ingest_spreadsheet__hs_codes_that_lost_their_leading_zero(void **state)
{
    (void)state;
    static const char manifest[] =
        "bill_of_lading;port_of_loading;container;hs_code;description\r\n"
        "BL1;PEPAI;MSCU1234566;80440;PALTAS HASS\r\n"
        "BL2;PEPAI;TGHU1234566;84713;LAPTOPS\r\n"
        "BL3;PEPAI;MSCU1234566;847130;LAPTOPS\r\n"
        "BL4;PEPAI;TGHU1234566;804400000;PALTAS\r\n";
    struct vg_store *s = vg_tt_empty("hs_zero.db");
    vg_tt_import_hs(s, "II,08,Edible fruit and nuts,TOTAL,2\n"
                       "II,0804,\"Dates, figs, pineapples, avocados\",08,4\n"
                       "II,080440,Avocados,0804,6\n"
                       "XVI,84,Machinery,TOTAL,2\n"
                       "XVI,8471,Computers,84,4\n"
                       "XVI,847130,Portable computers,8471,6\n");
    struct vg_ingest_report r;
    ingest(s, "manifiesto.csv", manifest, &r);
    assert_int_equal(r.accepted, 4);
    char got[256];
    assert_string_equal(vg_tt_text(s,
                                   "SELECT group_concat(hs_code || ':' || hs_valid, ' ') FROM"
                                   " (SELECT hs_code, hs_valid FROM goods_items ORDER BY id)",
                                   got, sizeof(got)),
                        "080440:1 84713:0 847130:1 0804400000:1");
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind = 'hs_leading_zero'"
                                  " AND value = '80440' AND detail LIKE 'read as 080440:%'"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind = 'hs_leading_zero'"),
                     2);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind = 'malformed_hs'"
                                  " AND value = '84713'"),
                     1);
    vg_store_close(s);

    s = vg_tt_empty("hs_zero_no_list.db");
    ingest(s, "manifiesto.csv", manifest, &r);
    assert_string_equal(vg_tt_text(s,
                                   "SELECT group_concat(hs_code || ':' || hs_valid, ' ') FROM"
                                   " (SELECT hs_code, hs_valid FROM goods_items ORDER BY id)",
                                   got, sizeof(got)),
                        "80440:0 84713:0 847130:1 804400000:0");
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind = 'malformed_hs'"), 3);
    vg_store_close(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ingest_spreadsheet__hs_codes_that_lost_their_leading_zero),
    cmocka_unit_test(test_ingest_spreadsheet__json_text_values_read_as_csv_fields),
    cmocka_unit_test(test_ingest_spreadsheet__what_numbers_say_of_the_decimal_mark),
    cmocka_unit_test(test_ingest_spreadsheet__decimal_mark_from_the_file),
    cmocka_unit_test(test_ingest_spreadsheet__utf16_text),
    cmocka_unit_test(test_ingest_spreadsheet__numbers_in_either_locale),
    cmocka_unit_test(test_ingest_spreadsheet__dates_day_first),
    cmocka_unit_test(test_ingest_spreadsheet__manifest_reads_as_the_plain_layout),
    cmocka_unit_test(test_ingest_spreadsheet__mixed_encoding_and_tabs),
};

VG_TEST_MAIN(tests)
