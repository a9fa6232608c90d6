/* Code lists: UN/LOCODE, HS and World Port Index imports from the publishers' files,
 * idempotence, rejects that keep the good records, lookups and identifier checks.
 * ctest-labels: unit golden
 */
#include "vg_test.h"

#include <sqlite3.h>

#include <vigia/codes.h>
#include <vigia/store.h>

#include "store/store_int.h"

static struct vg_store *new_store(void)
{
    struct vg_store_options o = { .create = true, .actor = "tester" };
    struct vg_store *s = NULL;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_store_open(vg_test_tmpfile("codes.db"), &o, &s, &e), VG_OK, &e);
    return s;
}

static int64_t scalar(struct vg_store *s, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

struct problems {
    int rejected, flagged;
    char last[300];
};

static void on_problem(void *user, bool rejected, const struct vg_error *err)
{
    struct problems *p = user;
    if (rejected) {
        p->rejected++;
    } else {
        p->flagged++;
    }
    vg_error_format(err, p->last, sizeof(p->last));
}

static void test_codes__unlocode_import_peru_ports_and_idempotence(void **state)
{
    (void)state;
    struct vg_store *s = new_store();
    const char *parts[3] = { "unlocode/2015-1/2015-1_UNLOCODE_CodeListPart1.csv",
                             "unlocode/2015-1/2015-1_UNLOCODE_CodeListPart2.csv",
                             "unlocode/2015-1/2015-1_UNLOCODE_CodeListPart3.csv" };
    int64_t inserted = 0;
    for (int i = 0; i < 3; i++) {
        struct vg_import_report r;
        struct problems p = { 0 };
        struct vg_error e;
        vg_error_clear(&e);
        enum vg_status st = vg_codes_import_unlocode(s, vg_test_shared(parts[i]), NULL, &r,
                                                     on_problem, &p, &e);
        assert_true(st == VG_OK || st == VG_EPARTIAL);
        assert_int_equal(r.rejected, p.rejected);
        assert_int_equal(r.flagged, p.flagged);
        assert_int_equal(r.records, r.inserted + r.updated + r.unchanged + r.skipped + r.rejected);
        inserted += r.inserted;
    }
    assert_true(inserted > 100000);
    struct vg_locode_info li;
    struct vg_error e;
    assert_int_equal(vg_codes_locode_lookup(s, "PECLL", &li, &e), VG_OK);
    assert_string_equal(li.name, "Callao");
    assert_string_equal(li.functions, "1-------");
    assert_int_equal(vg_codes_locode_lookup(s, "PE CHY", &li, &e), VG_OK);
    assert_string_equal(li.name, "Chancay");
    assert_int_equal(vg_codes_locode_lookup(s, "PEIQT", &li, &e), VG_OK);
    assert_string_equal(li.functions, "1--4----");
    assert_int_equal(vg_codes_locode_lookup(s, "ADALV", &li, &e), VG_OK);
    assert_true(li.has_position);
    assert_true(li.lat > 42.49 && li.lat < 42.51); /* 4230N */
    assert_int_equal(vg_codes_locode_lookup(s, "QQQQQ", &li, &e), VG_ENOTFOUND);
    /* Latin-1 names arrive as UTF-8. */
    assert_int_equal(scalar(s, "SELECT count(*) FROM code_locodes WHERE name = 'Ober\xC3\xA1'"), 1);
    /* Bilingual entries keep the first name and the others as alternatives. */
    assert_int_equal(vg_codes_locode_lookup(s, "BEBRU", &li, &e), VG_OK);
    assert_string_equal(li.name, "Brussel (Bruxelles)");
    assert_int_equal(scalar(s, "SELECT count(*) FROM code_locodes WHERE locode='BEBRU'"
                               " AND alt_names='Bruxelles (Brussel)'"), 1);
    int64_t audit_before = scalar(s, "SELECT count(*) FROM audit_log");
    int64_t findings_before = scalar(s, "SELECT count(*) FROM findings");
    int64_t rejects_before = scalar(s, "SELECT count(*) FROM rejects");
    /* Again: nothing changes, nothing is appended. */
    for (int i = 0; i < 3; i++) {
        struct vg_import_report r;
        enum vg_status st = vg_codes_import_unlocode(s, vg_test_shared(parts[i]), NULL, &r, NULL,
                                                     NULL, &e);
        assert_true(st == VG_OK || st == VG_EPARTIAL);
        assert_int_equal(r.inserted, 0);
        assert_int_equal(r.updated, 0);
    }
    assert_int_equal(scalar(s, "SELECT count(*) FROM audit_log"), audit_before);
    assert_int_equal(scalar(s, "SELECT count(*) FROM findings"), findings_before);
    assert_int_equal(scalar(s, "SELECT count(*) FROM rejects"), rejects_before);
    /* Bad coordinates are flagged, the code is kept without a position. */
    assert_int_equal(vg_codes_locode_lookup(s, "AFSRO", &li, &e), VG_OK);
    assert_false(li.has_position);
    assert_true(findings_before > 0);
    vg_store_close(s);
}

static void test_codes__bad_records_rejected_good_ones_kept(void **state)
{
    (void)state;
    struct vg_store *s = new_store();
    const char *path = vg_test_tmpfile("part.csv");
    const char data[] = ",\"PE\",,\".PERU\",,,,,,,,\n"
                        ",\"PE\",\"CLL\",\"Callao\",\"Callao\",\"CAL\",\"1-------\",\"AI\",\"0601\",,\"1203S 07709W\",\n"
                        ",\"PE\",\"C#L\",\"Broken\",\"Broken\",,,,,,,\n"
                        ",\"PE\",\"XYZ\",\"Unclosed,\"Q\",,,,,,,\n"
                        ",\"PE\",\"CHY\",\"Chancay\",\"Chancay\",\"LIM\",\"1-------\",\"RL\",\"0601\",,\"1135S 07716W\",\n";
    vg_test_write_file(path, data, sizeof(data) - 1);
    struct vg_import_report r;
    struct problems p = { 0 };
    struct vg_error e;
    vg_error_clear(&e);
    assert_int_equal(vg_codes_import_unlocode(s, path, "test", &r, on_problem, &p, &e), VG_EPARTIAL);
    assert_int_equal(r.inserted, 2);
    assert_int_equal(r.rejected, 2);
    assert_int_equal(r.skipped, 1);
    assert_non_null(strstr(p.last, "part.csv:4"));
    struct vg_locode_info li;
    assert_int_equal(vg_codes_locode_lookup(s, "PECLL", &li, &e), VG_OK);
    assert_true(li.lat < -12.04 && li.lat > -12.06);
    assert_true(li.lon < -77.14 && li.lon > -77.16);
    assert_int_equal(vg_codes_locode_lookup(s, "PECHY", &li, &e), VG_OK);
    assert_int_equal(scalar(s, "SELECT count(*) FROM rejects WHERE line = 3 AND reason LIKE '%location part%'"), 1);
    assert_int_equal(scalar(s, "SELECT count(*) FROM rejects WHERE line = 4 AND excerpt IS NOT NULL"), 1);
    vg_store_close(s);
}

static void test_codes__hs_import_and_lookup(void **state)
{
    (void)state;
    struct vg_store *s = new_store();
    struct vg_import_report r;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_codes_import_hs(s, vg_test_shared("hs/harmonized-system.csv"), "HS2022", &r,
                                     NULL, NULL, &e),
                  VG_OK, &e);
    assert_int_equal(r.records, 6940);
    assert_int_equal(r.inserted, 6939);
    assert_int_equal(r.skipped, 1); /* TOTAL */
    struct vg_hs_info h;
    assert_int_equal(vg_codes_hs_lookup(s, "121130", &h, &e), VG_OK);
    assert_non_null(strstr(h.description, "Coca leaf"));
    assert_int_equal(h.level, 6);
    assert_string_equal(h.parent, "1211");
    /* A national 10-digit subheading resolves through its 6-digit root. */
    assert_int_equal(vg_codes_hs_lookup(s, "0804.40.00.00", &h, &e), VG_OK);
    assert_non_null(strstr(h.description, "avocados"));
    assert_int_equal(vg_codes_hs_lookup(s, "080499", &h, &e), VG_ENOTFOUND);
    struct vg_code_check c;
    assert_int_equal(vg_codes_check(s, VG_CODE_HS, "0804400000", &c, &e), VG_OK);
    assert_true(c.valid);
    assert_int_equal(vg_codes_check(s, VG_CODE_HS, "080499", &c, &e), VG_OK);
    assert_false(c.valid);
    vg_store_close(s);
}

static void test_codes__world_port_index_positions(void **state)
{
    (void)state;
    struct vg_store *s = new_store();
    struct vg_import_report r;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_codes_import_ports(s, vg_test_shared("ports/UpdatedPub150.csv"), &r, NULL,
                                        NULL, &e),
                  VG_OK, &e);
    assert_int_equal(r.records, 3768);
    struct vg_port_info p;
    assert_int_equal(vg_codes_port_lookup(s, "PECHY", &p, &e), VG_OK);
    assert_string_equal(p.source, "wpi");
    assert_string_equal(p.name, "Chancay");
    assert_true(p.lat < -11.0 && p.lat > -12.0);
    assert_true(p.lon < -77.0 && p.lon > -78.0);
    vg_store_close(s);
    /* Without a store, the built-in table. */
    assert_int_equal(vg_codes_port_lookup(NULL, "PEIQT", &p, &e), VG_OK);
    assert_string_equal(p.source, "builtin");
    assert_true(p.lat < -3.0 && p.lat > -4.0);
    assert_int_equal(vg_codes_port_lookup(NULL, "XXZZZ", &p, &e), VG_ENOTFOUND);
}

static void test_codes__check_explains_each_kind(void **state)
{
    (void)state;
    struct vg_code_check c;
    struct vg_error e;
    assert_int_equal(vg_codes_check(NULL, VG_CODE_CONTAINER, "MSCU1234567", &c, &e), VG_OK);
    assert_false(c.valid);
    assert_non_null(strstr(c.summary, "should be 6"));
    assert_int_equal(vg_codes_check(NULL, VG_CODE_MMSI, "760123456", &c, &e), VG_OK);
    assert_true(c.valid);
    assert_non_null(strstr(c.summary, "Peru"));
    assert_int_equal(vg_codes_check(NULL, VG_CODE_SIZE_TYPE, "45R1", &c, &e), VG_OK);
    assert_non_null(strstr(c.summary, "reefer"));
    assert_int_equal(vg_codes_check(NULL, VG_CODE_RUC, "20100047218", &c, &e), VG_OK);
    assert_true(c.valid);
    assert_int_equal(vg_codes_check(NULL, VG_CODE_IMO, "9074728", &c, &e), VG_OK);
    assert_false(c.valid);
    assert_int_equal(vg_codes_check(NULL, VG_CODE_LOCODE, "PECLL", &c, &e), VG_OK);
    assert_true(c.valid);
    assert_non_null(strstr(c.summary, "not looked up"));
    enum vg_code_kind k;
    assert_true(vg_code_kind_parse("sizetype", &k));
    assert_int_equal(k, VG_CODE_SIZE_TYPE);
    assert_false(vg_code_kind_parse("iban", &k));
}

static void test_codes__not_a_code_list_is_refused(void **state)
{
    (void)state;
    struct vg_store *s = new_store();
    const char *path = vg_test_tmpfile("x.csv");
    vg_test_write_file(path, "a,b\n1,2\n", 8);
    struct vg_import_report r;
    struct vg_error e;
    vg_error_clear(&e);
    assert_int_equal(vg_codes_import_hs(s, path, NULL, &r, NULL, NULL, &e), VG_EFORMAT);
    assert_int_equal(vg_codes_import_ports(s, path, &r, NULL, NULL, &e), VG_EFORMAT);
    assert_int_equal(vg_codes_import_hs(s, vg_test_tmpfile("missing.csv"), NULL, &r, NULL, NULL, &e),
                     VG_ENOTFOUND);
    assert_int_equal(scalar(s, "SELECT count(*) FROM audit_log"), vg_store_schema_latest());
    vg_store_close(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_codes__unlocode_import_peru_ports_and_idempotence),
    cmocka_unit_test(test_codes__bad_records_rejected_good_ones_kept),
    cmocka_unit_test(test_codes__hs_import_and_lookup),
    cmocka_unit_test(test_codes__world_port_index_positions),
    cmocka_unit_test(test_codes__check_explains_each_kind),
    cmocka_unit_test(test_codes__not_a_code_list_is_refused),
};

VG_TEST_MAIN(tests)
