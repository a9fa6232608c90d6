/* Allocation failure: every operation of the core and the store fails cleanly with
 * VG_ENOMEM when any one of its allocations fails, and leaks nothing (ASan checks).
 * ctest-labels: unit oom
 */
#include "vg_test.h"

#include <vigia/alloc.h>
#include <vigia/audit.h>
#include <vigia/charset.h>
#include <vigia/csv.h>
#include <vigia/map.h>
#include <vigia/store.h>

static enum vg_status csv_op(void *ctx)
{
    (void)ctx;
    static const char data[] = "\"a \"\"quoted\"\" value\",b\n\"x\"\"y\",\"z\"\"\"\n";
    struct vg_csv_reader r;
    vg_csv_init(&r, data, sizeof(data) - 1, ',');
    enum vg_status st;
    int records = 0;
    while ((st = vg_csv_next(&r, NULL)) == VG_OK) {
        records++;
    }
    vg_csv_release(&r);
    if (st == VG_ENOTFOUND && records == 2) {
        return VG_OK;
    }
    return st;
}

static void test_oom__csv_reader(void **state)
{
    (void)state;
    assert_true(vg_test_oom_loop(csv_op, NULL, NULL, 100) > 1);
}

static enum vg_status map_op(void *ctx)
{
    (void)ctx;
    struct vg_map m;
    vg_map_init(&m);
    enum vg_status st = VG_OK;
    char key[16];
    for (int i = 0; i < 300 && st == VG_OK; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        st = vg_map_put(&m, key, strlen(key), (uint64_t)i, NULL, NULL);
    }
    uint64_t v = 0;
    if (st == VG_OK && (!vg_map_get(&m, "k299", 4, &v) || v != 299)) {
        st = VG_EINVAL;
    }
    vg_map_release(&m);
    return st;
}

static void test_oom__map_growth(void **state)
{
    (void)state;
    assert_true(vg_test_oom_loop(map_op, NULL, NULL, 100) > 1);
}

static enum vg_status buf_op(void *ctx)
{
    (void)ctx;
    struct vg_buf b;
    vg_buf_init(&b, 0);
    enum vg_status st = VG_OK;
    for (int i = 0; i < 200 && st == VG_OK; i++) {
        st = vg_buf_printf(&b, "line %d of a growing buffer\n", i);
    }
    if (st == VG_OK) {
        st = vg_latin1_to_utf8("Ober\xE1", 5, &b);
    }
    vg_buf_release(&b);
    return st;
}

static void test_oom__buffers(void **state)
{
    (void)state;
    assert_true(vg_test_oom_loop(buf_op, NULL, NULL, 100) > 1);
}

static const char *oom_db;

static enum vg_status store_op(void *ctx)
{
    (void)ctx;
    struct vg_store_options o = { .create = true, .actor = "oom" };
    struct vg_store *s = NULL;
    enum vg_status st = vg_store_open(oom_db, &o, &s, NULL);
    if (st != VG_OK) {
        return st;
    }
    struct vg_audit_report r;
    st = vg_audit_verify(s, &r, NULL);
    vg_store_close(s);
    return st;
}

static void test_oom__store_open_and_verify(void **state)
{
    (void)state;
    oom_db = vg_test_tmpfile("oom.db");
    int runs = vg_test_oom_loop(store_op, NULL, NULL, 200);
    assert_true(runs > 1);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_oom__csv_reader),
    cmocka_unit_test(test_oom__map_growth),
    cmocka_unit_test(test_oom__buffers),
    cmocka_unit_test(test_oom__store_open_and_verify),
};

VG_TEST_MAIN(tests)
