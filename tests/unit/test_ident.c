/* Identifiers: ISO 6346 (every vector in ../shared/data), size-type codes against the
 * published code tables, IMO, MMSI and the MID table against the ITU copy, UN/LOCODE, HS,
 * RUC.
 * ctest-labels: unit golden
 */
#include "vg_test.h"

#include <jansson.h>
#include <stdlib.h>

#include <vigia/alloc.h>
#include <vigia/csv.h>
#include <vigia/ident.h>

static void test_ident__container_every_shared_vector(void **state)
{
    (void)state;
    size_t len;
    char *data = vg_test_read_file(vg_test_shared("containers/iso6346_test_vectors.tsv"), &len);
    int checked = 0, valid = 0, invalid = 0, remainder10 = 0;
    char *line = data;
    while (line != NULL && *line != '\0') {
        char *next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        if (line[0] == '#' || strncmp(line, "input\t", 6) == 0 || line[0] == '\0') {
            line = next;
            continue;
        }
        char *f[7] = { 0 };
        int nf = 0;
        for (char *p = line; nf < 7; nf++) {
            f[nf] = p;
            char *tab = strchr(p, '\t');
            if (tab == NULL) {
                nf++;
                break;
            }
            *tab = '\0';
            p = tab + 1;
        }
        assert_true(nf >= 5);
        struct vg_container_number c;
        struct vg_error e;
        enum vg_status st = vg_container_parse(vg_slice_from_cstr(f[0]), &c, &e);
        if (strcmp(f[1], "valid") == 0) {
            if (st != VG_OK) {
                fail_msg("%s should be valid: %s", f[0], e.message);
            }
            valid++;
        } else {
            assert_int_not_equal(st, VG_OK);
            if (strcmp(f[2], "InvalidChecksum") == 0) {
                assert_int_equal(st, VG_ECHECK);
                assert_non_null(strstr(e.message, "should be"));
            } else {
                /* InvalidLength / InvalidFormat (including category I, which stdnum rejects
                 * and ISO 6346 does not define). */
                assert_int_equal(st, VG_EPARSE);
            }
            invalid++;
        }
        if (f[3][0] != '\0') {
            assert_int_equal(vg_container_check_digit(c.text[0] ? c.text : f[0]), atoi(f[3]));
            if (strcmp(f[4], "10") == 0) {
                assert_int_equal(atoi(f[3]), 0);
                remainder10++;
            }
        }
        checked++;
        line = next;
    }
    vg_free(data);
    assert_int_equal(checked, 646);
    assert_true(valid >= 638);
    assert_int_equal(invalid, 8);
    assert_true(remainder10 >= 68);
}

static void test_ident__container_normalises_and_explains(void **state)
{
    (void)state;
    struct vg_container_number c;
    struct vg_error e;
    assert_int_equal(vg_container_parse(VG_SLICE_LIT("msku 305438-3"), &c, &e), VG_ECHECK);
    assert_string_equal(c.text, "MSKU3054383");
    assert_int_equal(vg_container_parse(VG_SLICE_LIT("MSCU1234567"), &c, &e), VG_ECHECK);
    assert_int_equal(c.expected_check, 6);
    assert_string_equal(e.message, "container number MSCU1234567: check digit is 7, should be 6");
    assert_int_equal(vg_container_parse(VG_SLICE_LIT("MSCU1234566"), &c, &e), VG_OK);
    assert_string_equal(c.owner, "MSC");
    assert_int_equal(c.category, 'U');
    assert_string_equal(c.serial, "123456");
    assert_int_equal(vg_container_parse(VG_SLICE_LIT("MSCX1234566"), &c, &e), VG_EPARSE);
    assert_non_null(strstr(e.message, "category"));
    assert_int_equal(vg_container_parse(VG_SLICE_LIT("M1CU1234566"), &c, &e), VG_EPARSE);
}

/* Parses "6068 mm" or "> 2895 mm" (the JSON tables' format). */
static int mm_of(const char *s)
{
    while (*s != '\0' && (*s < '0' || *s > '9')) {
        s++;
    }
    return atoi(s);
}

static void test_ident__size_type_tables_match_published_codes(void **state)
{
    (void)state;
    json_error_t je;
    json_t *size = json_load_file(vg_test_shared("containers/iso6346-codes/size.json"), 0, &je);
    json_t *type = json_load_file(vg_test_shared("containers/iso6346-codes/type.json"), 0, &je);
    json_t *group = json_load_file(vg_test_shared("containers/iso6346-codes/group.json"), 0, &je);
    assert_non_null(size);
    assert_non_null(type);
    assert_non_null(group);
    json_t *lengths = json_object_get(size, "length");
    json_t *heights = json_object_get(size, "heightWidth");
    const char *lk, *hk, *tk;
    json_t *lv, *hv, *tv;
    int combos = 0;
    json_object_foreach(lengths, lk, lv) {
        json_object_foreach(heights, hk, hv) {
            json_object_foreach(type, tk, tv) {
                char code[5] = { lk[0], hk[0], tk[0], tk[1], 0 };
                struct vg_size_type st;
                struct vg_error e;
                if (vg_size_type_parse(vg_slice_from_cstr(code), &st, &e) != VG_OK) {
                    fail_msg("%s: %s", code, e.message);
                }
                assert_int_equal(st.length_mm, mm_of(json_string_value(lv)));
                int h = mm_of(json_string_value(json_object_get(hv, "height")));
                const char *hs = json_string_value(json_object_get(hv, "height"));
                assert_int_equal(st.height_mm, hs[0] == '>' ? h + 1 : h);
                const char *w = json_string_value(json_object_get(hv, "width"));
                assert_int_equal(st.wide, w[0] == '>');
                /* The group letter's description must match the group table's name. */
                const char *gname = json_string_value(json_object_get(group, (char[2]){ tk[0], 0 }));
                assert_non_null(gname);
                assert_int_not_equal(st.group, VG_EQUIP_UNKNOWN);
                combos++;
            }
        }
    }
    assert_int_equal(combos, 17 * 15 * 47);
    json_decref(size);
    json_decref(type);
    json_decref(group);

    struct vg_size_type st;
    assert_int_equal(vg_size_type_parse(VG_SLICE_LIT("45R1"), &st, NULL), VG_OK);
    assert_int_equal(st.group, VG_EQUIP_REEFER);
    assert_int_equal(st.length_ft, 40);
    assert_true(st.high_cube);
    assert_int_equal(vg_size_type_parse(VG_SLICE_LIT("4532"), &st, NULL), VG_OK);
    assert_true(st.legacy);
    assert_int_equal(st.group, VG_EQUIP_REEFER);
    assert_int_equal(vg_size_type_parse(VG_SLICE_LIT("2270"), &st, NULL), VG_OK);
    assert_int_equal(st.group, VG_EQUIP_TANK);
    assert_int_equal(vg_size_type_parse(VG_SLICE_LIT("L5G1"), &st, NULL), VG_OK);
    assert_int_equal(st.length_ft, 45);
    assert_int_equal(vg_size_type_parse(VG_SLICE_LIT("22X1"), &st, NULL), VG_EPARSE);
    assert_int_equal(vg_size_type_parse(VG_SLICE_LIT("Z2G1"), &st, NULL), VG_EPARSE);
}

static void test_ident__imo_check_digit(void **state)
{
    (void)state;
    uint32_t imo;
    struct vg_error e;
    assert_int_equal(vg_imo_parse(VG_SLICE_LIT("IMO 9074729"), &imo, &e), VG_OK);
    assert_int_equal(imo, 9074729);
    assert_int_equal(vg_imo_parse(VG_SLICE_LIT("9321483"), &imo, &e), VG_OK);
    assert_int_equal(vg_imo_parse(VG_SLICE_LIT("9321484"), &imo, &e), VG_ECHECK);
    assert_int_equal(imo, 9321484);
    assert_string_equal(e.message, "IMO number 9321484: check digit is 4, should be 3");
    assert_int_equal(vg_imo_parse(VG_SLICE_LIT("932148"), &imo, &e), VG_EPARSE);
    assert_int_equal(vg_imo_parse(VG_SLICE_LIT("93214A3"), &imo, &e), VG_EPARSE);
}

struct mid_ref {
    int rows, matched;
};

static void count_mid(void *user, unsigned mid, const char *alpha2, const char *name)
{
    struct mid_ref *c = user;
    (void)mid;
    (void)alpha2;
    (void)name;
    c->rows++;
}

static void test_ident__mid_table_matches_itu_reference(void **state)
{
    (void)state;
    size_t len;
    char *data = vg_test_read_file(vg_test_shared("ais/reference/MaritimeIdentificationDigits.csv"), &len);
    struct vg_csv_reader r;
    vg_csv_init(&r, data, len, ',');
    struct vg_error e;
    int rows = 0;
    assert_int_equal(vg_csv_next(&r, &e), VG_OK); /* header */
    while (vg_csv_next(&r, &e) == VG_OK) {
        uint64_t mid;
        assert_int_equal(vg_slice_to_u64(vg_csv_field(&r, 0), &mid), VG_OK);
        const char *a2, *name;
        if (!vg_mid_lookup((unsigned)mid, &a2, &name)) {
            fail_msg("MID %u (%.*s) missing", (unsigned)mid, (int)vg_csv_field(&r, 1).len,
                     vg_csv_field(&r, 1).ptr);
        }
        assert_int_equal(strlen(a2), 2);
        rows++;
    }
    vg_csv_release(&r);
    vg_free(data);
    assert_int_equal(rows, 294); /* 292 MIDs, two listed twice */
    struct mid_ref counter = { 0, 0 };
    vg_mid_foreach(count_mid, &counter);
    assert_int_equal(counter.rows, 292);
    const char *a2, *name;
    assert_true(vg_mid_lookup(760, &a2, &name));
    assert_string_equal(a2, "PE");
    assert_true(vg_mid_lookup(351, &a2, &name));
    assert_string_equal(a2, "PA");
    assert_false(vg_mid_lookup(217, &a2, &name));
}

static void test_ident__mmsi_kinds(void **state)
{
    (void)state;
    struct vg_mmsi m;
    struct vg_error e;
    assert_int_equal(vg_mmsi_parse(VG_SLICE_LIT("760123456"), &m, &e), VG_OK);
    assert_int_equal(m.kind, VG_MMSI_SHIP);
    assert_int_equal(m.mid, 760);
    assert_string_equal(m.flag, "PE");
    assert_int_equal(vg_mmsi_classify(3760012, &m, &e), VG_OK); /* 003760012 */
    assert_int_equal(m.kind, VG_MMSI_COAST_STATION);
    assert_int_equal(m.mid, 376);
    assert_int_equal(vg_mmsi_classify(111232511, &m, &e), VG_OK);
    assert_int_equal(m.kind, VG_MMSI_SAR_AIRCRAFT);
    assert_string_equal(m.flag, "GB");
    assert_int_equal(vg_mmsi_classify(992351000, &m, &e), VG_OK);
    assert_int_equal(m.kind, VG_MMSI_ATON);
    assert_int_equal(vg_mmsi_classify(982190001, &m, &e), VG_OK);
    assert_int_equal(m.kind, VG_MMSI_CRAFT_OF_SHIP);
    assert_int_equal(vg_mmsi_classify(970123456, &m, &e), VG_OK);
    assert_int_equal(m.kind, VG_MMSI_SART);
    assert_int_equal(vg_mmsi_classify(974123456, &m, &e), VG_OK);
    assert_int_equal(m.kind, VG_MMSI_EPIRB);
    assert_int_equal(vg_mmsi_classify(22412345, &m, &e), VG_OK); /* group 022412345 */
    assert_int_equal(m.kind, VG_MMSI_GROUP);
    assert_int_equal(vg_mmsi_classify(217123456, &m, &e), VG_ECHECK); /* MID 217 unallocated */
    assert_int_equal(m.kind, VG_MMSI_SHIP);
    assert_string_equal(m.flag, "");
    assert_int_equal(vg_mmsi_classify(123456789, &m, &e), VG_ECHECK);
    assert_int_equal(vg_mmsi_parse(VG_SLICE_LIT("76012345"), &m, &e), VG_EPARSE);
    assert_int_equal(vg_mmsi_classify(1000000000u, &m, &e), VG_EPARSE);
}

static void test_ident__locode_syntax(void **state)
{
    (void)state;
    char out[6];
    struct vg_error e;
    assert_int_equal(vg_locode_parse(VG_SLICE_LIT("pe cll"), out, &e), VG_OK);
    assert_string_equal(out, "PECLL");
    assert_int_equal(vg_locode_parse(VG_SLICE_LIT("DEHAM"), out, &e), VG_OK);
    assert_int_equal(vg_locode_parse(VG_SLICE_LIT("US2NY"), out, &e), VG_OK);
    assert_int_equal(vg_locode_parse(VG_SLICE_LIT("DE9B0"), out, &e), VG_ECHECK);
    assert_string_equal(out, "DE9B0");
    assert_int_equal(vg_locode_parse(VG_SLICE_LIT("PECL"), out, &e), VG_EPARSE);
    assert_int_equal(vg_locode_parse(VG_SLICE_LIT("P3CLL"), out, &e), VG_EPARSE);
    assert_int_equal(vg_locode_parse(VG_SLICE_LIT("PEC#L"), out, &e), VG_EPARSE);
}

static void test_ident__hs_codes(void **state)
{
    (void)state;
    struct vg_hs_code h;
    struct vg_error e;
    assert_int_equal(vg_hs_parse(VG_SLICE_LIT("0804.40"), &h, &e), VG_OK);
    assert_string_equal(h.digits, "080440");
    assert_int_equal(h.chapter, 8);
    assert_string_equal(h.root6, "080440");
    assert_int_equal(vg_hs_parse(VG_SLICE_LIT("0804400000"), &h, &e), VG_OK);
    assert_int_equal(h.length, 10);
    assert_string_equal(h.root6, "080440");
    assert_int_equal(vg_hs_parse(VG_SLICE_LIT("0804"), &h, &e), VG_OK);
    assert_string_equal(h.root6, "");
    assert_int_equal(vg_hs_parse(VG_SLICE_LIT("08044"), &h, &e), VG_EPARSE);
    assert_int_equal(vg_hs_parse(VG_SLICE_LIT("770100"), &h, &e), VG_EPARSE);
    assert_int_equal(vg_hs_parse(VG_SLICE_LIT("000100"), &h, &e), VG_EPARSE);
    assert_int_equal(vg_hs_parse(VG_SLICE_LIT("080440000000"), &h, &e), VG_EPARSE);
    assert_int_equal(vg_hs_parse(VG_SLICE_LIT("99"), &h, &e), VG_OK);
}

static void test_ident__ruc_modulus_11(void **state)
{
    (void)state;
    struct vg_ruc r;
    struct vg_error e;
    assert_int_equal(vg_ruc_parse(VG_SLICE_LIT("20100047218"), &r, &e), VG_OK);
    assert_string_equal(r.kind, "company");
    assert_int_equal(vg_ruc_parse(VG_SLICE_LIT("20100047219"), &r, &e), VG_ECHECK);
    assert_int_equal(r.expected_check, 8);
    assert_string_equal(e.message, "RUC 20100047219: check digit is 9, should be 8");
    assert_int_equal(vg_ruc_parse(VG_SLICE_LIT("30100047218"), &r, &e), VG_EPARSE);
    assert_int_equal(vg_ruc_parse(VG_SLICE_LIT("2010004721"), &r, &e), VG_EPARSE);
    /* Remainder cases: 11 - r = 10 -> 0 and 11 -> 1 are both reachable. */
    int seen0 = 0, seen1 = 0;
    char s[12];
    for (int i = 0; i < 2000 && !(seen0 && seen1); i++) {
        snprintf(s, sizeof(s), "20%08d", 10000000 + i * 7919);
        int d = vg_ruc_check_digit(s);
        assert_true(d >= 0 && d <= 9);
        s[10] = (char)('0' + d);
        s[11] = '\0';
        assert_int_equal(vg_ruc_parse(vg_slice_from_cstr(s), &r, &e), VG_OK);
        seen0 |= d == 0;
        seen1 |= d == 1;
    }
    assert_true(seen0 && seen1);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ident__container_every_shared_vector),
    cmocka_unit_test(test_ident__container_normalises_and_explains),
    cmocka_unit_test(test_ident__size_type_tables_match_published_codes),
    cmocka_unit_test(test_ident__imo_check_digit),
    cmocka_unit_test(test_ident__mid_table_matches_itu_reference),
    cmocka_unit_test(test_ident__mmsi_kinds),
    cmocka_unit_test(test_ident__locode_syntax),
    cmocka_unit_test(test_ident__hs_codes),
    cmocka_unit_test(test_ident__ruc_modulus_11),
};

VG_TEST_MAIN(tests)
