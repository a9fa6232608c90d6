/* Core: status and error details, allocation funnel, arena, slices, buffers, maps, CSV,
 * character sets. */
#include "vg_test.h"

#include <stdio.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/arena.h>
#include <vigia/charset.h>
#include <vigia/csv.h>
#include <vigia/map.h>
#include <vigia/slice.h>
#include <vigia/status.h>

static void test_core__strerror_covers_every_code(void **state)
{
    (void)state;
    assert_string_equal(vg_strerror(VG_OK), "success");
    assert_string_equal(vg_status_name(VG_EPARSE), "VG_EPARSE");
    assert_string_equal(vg_strerror((enum vg_status)999), "unknown status");
    for (int i = 0; i <= VG_EDENIED; i++) {
        assert_string_not_equal(vg_strerror((enum vg_status)i), "unknown status");
    }
}

static void test_core__error_format_names_position(void **state)
{
    (void)state;
    struct vg_error e;
    vg_error_clear(&e);
    assert_int_equal(vg_error_set(&e, VG_EPARSE, "bad %s", "segment"), VG_EPARSE);
    vg_error_at(&e, "feed.edi", 12, 7, 345, 9);
    char buf[256];
    vg_error_format(&e, buf, sizeof(buf));
    assert_string_equal(buf, "feed.edi:12:7: bad segment (item 9, byte 345)");
    /* NULL error is allowed and still returns the code. */
    assert_int_equal(vg_error_set(NULL, VG_EIO, "x"), VG_EIO);
}

static void test_core__alloc_fail_nth_fails_exactly_one(void **state)
{
    (void)state;
    vg_alloc_fail_nth(2);
    void *a = vg_malloc(10);
    void *b = vg_malloc(10);
    void *c = vg_malloc(10);
    assert_non_null(a);
    assert_null(b);
    assert_non_null(c);
    vg_free(a);
    vg_free(c);
    vg_alloc_fail_nth(0);
    assert_null(vg_calloc(SIZE_MAX / 2, 4));
    assert_null(vg_reallocarray(NULL, SIZE_MAX / 2, 4));
}

static void test_core__arena_aligns_and_caps(void **state)
{
    (void)state;
    struct vg_arena a;
    vg_arena_init(&a, 128, 4096);
    for (int i = 0; i < 10; i++) {
        char *p = vg_arena_alloc(&a, 3);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
    }
    char *big = vg_arena_alloc(&a, 1000);
    assert_non_null(big);
    memset(big, 1, 1000);
    assert_null(vg_arena_alloc(&a, 8000)); /* past the cap */
    char *s = vg_arena_strndup(&a, "hello world", 5);
    assert_string_equal(s, "hello");
    vg_arena_reset(&a);
    assert_non_null(vg_arena_calloc(&a, 4, 8));
    vg_arena_release(&a);
    vg_arena_release(&a); /* twice is fine */
}

static void test_core__slice_numbers_are_strict(void **state)
{
    (void)state;
    uint64_t u;
    int64_t i;
    double d;
    assert_int_equal(vg_slice_to_u64(VG_SLICE_LIT("12345"), &u), VG_OK);
    assert_int_equal(u, 12345);
    assert_int_equal(vg_slice_to_u64(VG_SLICE_LIT("18446744073709551616"), &u), VG_EPARSE);
    assert_int_equal(vg_slice_to_u64(VG_SLICE_LIT("12a"), &u), VG_EPARSE);
    assert_int_equal(vg_slice_to_u64(VG_SLICE_LIT(""), &u), VG_EPARSE);
    assert_int_equal(vg_slice_to_i64(VG_SLICE_LIT("-42"), &i), VG_OK);
    assert_int_equal(i, -42);
    assert_int_equal(vg_slice_to_i64(VG_SLICE_LIT("-9223372036854775808"), &i), VG_OK);
    assert_true(i == INT64_MIN);
    assert_int_equal(vg_slice_to_double(VG_SLICE_LIT("12,5"), &d), VG_OK);
    assert_true(d == 12.5);
    assert_int_equal(vg_slice_to_double(VG_SLICE_LIT("1e400"), &d), VG_EPARSE);
    assert_int_equal(vg_slice_to_double(VG_SLICE_LIT("."), &d), VG_EPARSE);
    struct vg_slice t = vg_slice_trim(VG_SLICE_LIT("  x y \r\n"));
    assert_true(vg_slice_eq_cstr(t, "x y"));
    assert_true(vg_slice_ieq_cstr(VG_SLICE_LIT("Callao"), "CALLAO"));
    assert_false(vg_slice_ieq_cstr(VG_SLICE_LIT("Callao"), "CALLA"));
    assert_true(vg_slice_istarts_with(VG_SLICE_LIT("msc Belgium"), VG_SLICE_LIT("MSC")));
    assert_false(vg_slice_istarts_with(VG_SLICE_LIT("MS"), VG_SLICE_LIT("MSC")));
    assert_false(vg_slice_istarts_with(VG_SLICE_LIT("MCS"), VG_SLICE_LIT("MSC")));
}

static void test_core__buf_respects_its_maximum(void **state)
{
    (void)state;
    struct vg_buf b;
    vg_buf_init(&b, 10);
    assert_int_equal(vg_buf_append_cstr(&b, "0123456789"), VG_OK);
    assert_int_equal(vg_buf_append_char(&b, 'x'), VG_ELIMIT);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "0123456789");
    vg_buf_reset(&b);
    assert_int_equal(vg_buf_printf(&b, "%d-%s", 42, "ab"), VG_OK);
    assert_string_equal(b.data, "42-ab");
    size_t len;
    char *p = vg_buf_detach(&b, &len);
    assert_string_equal(p, "42-ab");
    assert_int_equal(len, 5);
    vg_free(p);
    vg_buf_release(&b);
}

static void test_core__map_inserts_finds_and_grows(void **state)
{
    (void)state;
    struct vg_map m;
    vg_map_init(&m);
    vg_map_prefetch(&m, "MSCU0000001", 11); /* a hint, also on an empty map */
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof(key), "MSCU%07d", i);
        bool existed = true;
        assert_int_equal(vg_map_put(&m, key, strlen(key), (uint64_t)i, &existed, NULL), VG_OK);
        assert_false(existed);
    }
    assert_int_equal(m.count, 5000);
    uint64_t v;
    vg_map_prefetch(&m, "MSCU0004321", 11);
    vg_map_prefetch(&m, "MSCU9999999", 11);
    assert_int_equal(m.count, 5000);
    assert_true(vg_map_get(&m, "MSCU0004321", 11, &v));
    assert_int_equal(v, 4321);
    assert_false(vg_map_get(&m, "MSCU9999999", 11, &v));
    bool existed = false;
    uint64_t old = 0;
    assert_int_equal(vg_map_put(&m, "MSCU0000007", 11, 99, &existed, &old), VG_OK);
    assert_true(existed);
    assert_int_equal(old, 7);
    assert_int_equal(vg_map_set(&m, "MSCU0000007", 11, 99), VG_OK);
    assert_true(vg_map_get(&m, "MSCU0000007", 11, &v));
    assert_int_equal(v, 99);
    vg_map_release(&m);

    /* Keys kept in the slot (up to 32 bytes) and in the arena (longer), binary ones with
     * zero bytes and the empty key, through several growths. */
    vg_map_init(&m);
    char big[80];
    for (int i = 0; i < 3000; i++) {
        size_t len = (size_t)(i % 70);
        memset(big, 'k', sizeof(big));
        memcpy(big, &i, sizeof(i)); /* zero bytes inside */
        bool had = true;
        assert_int_equal(vg_map_put(&m, big, len < sizeof(i) ? sizeof(i) + len : len,
                                    (uint64_t)i, &had, NULL),
                         VG_OK);
        assert_false(had);
    }
    assert_int_equal(vg_map_put(&m, "", 0, 7, NULL, NULL), VG_OK);
    for (int i = 0; i < 3000; i++) {
        size_t len = (size_t)(i % 70);
        memset(big, 'k', sizeof(big));
        memcpy(big, &i, sizeof(i));
        assert_true(vg_map_get(&m, big, len < sizeof(i) ? sizeof(i) + len : len, &v));
        assert_int_equal(v, (uint64_t)i);
        /* The same bytes at a length no key has are another key. */
        assert_false(vg_map_get(&m, big, 75, &v));
    }
    assert_true(vg_map_get(&m, "", 0, &v));
    assert_int_equal(v, 7);
    assert_int_equal(m.count, 3001);
    vg_map_release(&m);
}

static void test_core__csv_reads_rfc4180(void **state)
{
    (void)state;
    const char data[] = "\xEF\xBB\xBFname,qty,note\r\n"
                        "\"Agro \"\"Norte\"\" S.A.C.\",12,\"two\nlines\"\r\n"
                        "\r\n"
                        "plain,3,\r\n"
                        "last,4,x";
    struct vg_csv_reader r;
    vg_csv_init(&r, data, sizeof(data) - 1, ',');
    struct vg_error e;
    assert_int_equal(vg_csv_next(&r, &e), VG_OK);
    assert_int_equal(r.nfields, 3);
    assert_int_equal(vg_csv_find_column(&r, "QTY"), 1);
    assert_int_equal(vg_csv_next(&r, &e), VG_OK);
    assert_true(vg_slice_eq_cstr(vg_csv_field(&r, 0), "Agro \"Norte\" S.A.C."));
    assert_true(vg_slice_eq_cstr(vg_csv_field(&r, 2), "two\nlines"));
    assert_int_equal(r.record_line, 2);
    assert_int_equal(vg_csv_next(&r, &e), VG_OK);
    assert_true(vg_slice_eq_cstr(vg_csv_field(&r, 0), "plain"));
    assert_int_equal(vg_csv_field(&r, 2).len, 0);
    assert_int_equal(r.record_line, 5);
    assert_int_equal(vg_csv_next(&r, &e), VG_OK);
    assert_true(vg_slice_eq_cstr(vg_csv_field(&r, 2), "x"));
    assert_int_equal(vg_csv_next(&r, &e), VG_ENOTFOUND);
    vg_csv_release(&r);
}

static void test_core__csv_bad_record_is_reported_and_reading_goes_on(void **state)
{
    (void)state;
    const char data[] = "a,b\n\"x\"y,2\nc,d\n\"never closed,3\n";
    struct vg_csv_reader r;
    vg_csv_init(&r, data, sizeof(data) - 1, ',');
    struct vg_error e;
    vg_error_clear(&e);
    assert_int_equal(vg_csv_next(&r, &e), VG_OK);
    assert_int_equal(vg_csv_next(&r, &e), VG_EPARSE);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.item, 2);
    assert_non_null(strstr(e.message, "closing quote"));
    assert_int_equal(vg_csv_next(&r, &e), VG_OK);
    assert_true(vg_slice_eq_cstr(vg_csv_field(&r, 0), "c"));
    assert_int_equal(vg_csv_next(&r, &e), VG_EPARSE);
    assert_non_null(strstr(e.message, "never closed"));
    assert_int_equal(e.line, 4);
    assert_int_equal(vg_csv_next(&r, &e), VG_ENOTFOUND);
    vg_csv_release(&r);
}

/* What the table callbacks saw: rows as "name|kg", rejects as "line:reason". */
struct table_log {
    char seen[256];
    int col_name, col_kg;
    bool refuse_header;
};

static void table_log_add(struct table_log *l, const char *text)
{
    size_t n = strlen(l->seen);
    snprintf(l->seen + n, sizeof(l->seen) - n, "%s;", text);
}

static enum vg_status table_header(void *user, struct vg_csv_table *t, struct vg_error *err)
{
    struct table_log *l = user;
    l->col_name = vg_csv_find_column(&t->csv, "name");
    l->col_kg = vg_csv_find_column(&t->csv, "kg");
    return l->refuse_header ? vg_error_set(err, VG_EFORMAT, "no") : VG_OK;
}

static enum vg_status table_row(void *user, struct vg_csv_table *t)
{
    struct table_log *l = user;
    /* A converted text lives until the next call: copy it before asking for another. */
    struct vg_slice f;
    assert_int_equal(vg_csv_table_text(t, l->col_name, &f), VG_OK);
    char *name = vg_arena_strndup(&t->fields, f.ptr, f.len);
    assert_int_equal(vg_csv_table_text(t, l->col_kg, &f), VG_OK);
    char row[64];
    snprintf(row, sizeof(row), "%s|%.*s", name, (int)f.len, f.ptr);
    table_log_add(l, row);
    return VG_OK;
}

static enum vg_status table_reject(void *user, struct vg_csv_table *t, const char *reason)
{
    struct table_log *l = user;
    char row[96];
    struct vg_slice ex = vg_csv_table_excerpt(t, 4);
    snprintf(row, sizeof(row), "%u:%.*s:%s", (unsigned)t->csv.record_line, (int)ex.len, ex.ptr,
             strstr(reason, "quote") != NULL ? "quote" : reason);
    table_log_add(l, row);
    return VG_OK;
}

static void test_core__csv_table_header_rows_rejects_latin1(void **state)
{
    (void)state;
    static const struct vg_csv_table_ops ops = { "naming name and kg", table_header, table_row,
                                                 table_reject };
    struct vg_error e;
    vg_error_clear(&e);
    /* ISO 8859-1 input (0xD1 is N with tilde), a broken record in the middle, a column past
     * the end of a short row. */
    const char data[] = "kg,name\n 12 , Pe\xD1"
                        "a \n\"x\"y,2\nshort\n";
    struct table_log l = { .seen = "" };
    assert_int_equal(vg_csv_table_read(data, sizeof(data) - 1, "t.csv", &ops, &l, &e), VG_OK);
    assert_string_equal(l.seen, "Pe\xC3\x91"
                                "a|12;3:\"x\"y:quote;|short;");
    /* Empty input and a refused header stop with the source named. */
    memset(&l, 0, sizeof(l));
    assert_int_equal(vg_csv_table_read("", 0, "e.csv", &ops, &l, &e), VG_EFORMAT);
    assert_string_equal(e.message, "e.csv: empty file, expected a header naming name and kg");
    l.refuse_header = true;
    assert_int_equal(vg_csv_table_read("a\n1\n", 4, NULL, &ops, &l, &e), VG_EFORMAT);
    assert_string_equal(l.seen, "");
    /* A broken header is a broken file. */
    l.refuse_header = false;
    vg_error_clear(&e);
    assert_int_equal(vg_csv_table_read("\"a\n", 3, "h.csv", &ops, &l, &e), VG_EFORMAT);
    assert_non_null(strstr(e.message, "broken header"));
}

static void test_core__charset_conversions(void **state)
{
    (void)state;
    assert_true(vg_utf8_valid("MUNCI\xC3\x8B", 7));
    assert_false(vg_utf8_valid("MUNCI\xCB", 6));
    assert_false(vg_utf8_valid("\xC0\xAF", 2));         /* overlong */
    assert_false(vg_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(vg_utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
    struct vg_buf b;
    vg_buf_init(&b, 0);
    assert_int_equal(vg_latin1_to_utf8("Ober\xE1", 5, &b), VG_OK);
    assert_string_equal(b.data, "Ober\xC3\xA1");
    vg_buf_reset(&b);
    size_t replaced = 0;
    /* ISO 8859-2: 0xA3 is L with stroke (U+0141). */
    assert_int_equal(vg_charset_to_utf8("ISO-8859-2", "\xA3\xF3\x64\xBC", 4, &b, &replaced), VG_OK);
    assert_string_equal(b.data, "\xC5\x81\xC3\xB3"
                                "d\xC5\xBA");
    assert_int_equal(replaced, 0);
    vg_buf_reset(&b);
    assert_int_equal(vg_charset_to_utf8("NO-SUCH-CHARSET", "x", 1, &b, NULL), VG_EUNSUPPORTED);
    vg_buf_release(&b);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_core__strerror_covers_every_code),
    cmocka_unit_test(test_core__error_format_names_position),
    cmocka_unit_test(test_core__alloc_fail_nth_fails_exactly_one),
    cmocka_unit_test(test_core__arena_aligns_and_caps),
    cmocka_unit_test(test_core__slice_numbers_are_strict),
    cmocka_unit_test(test_core__buf_respects_its_maximum),
    cmocka_unit_test(test_core__map_inserts_finds_and_grows),
    cmocka_unit_test(test_core__csv_reads_rfc4180),
    cmocka_unit_test(test_core__csv_bad_record_is_reported_and_reading_goes_on),
    cmocka_unit_test(test_core__csv_table_header_rows_rejects_latin1),
    cmocka_unit_test(test_core__charset_conversions),
};

VG_TEST_MAIN(tests)
