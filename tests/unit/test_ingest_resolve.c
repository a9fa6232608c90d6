/* Ingest resolution (src/ingest/resolve.c) below the document writer: a container that no
 * pass ahead met (vg__ing_containers_first) is still inserted or found, once, with its
 * number checked, as the writer would have recorded it. write.c runs the pass ahead before
 * every document, so only a caller that skips it reaches this path; it is the safety net. */
#include "ingest/ingest_int.h"
#include "ingest/session_int.h"
#include "store/store_int.h"
#include "vg_targeting.h"
#include "vg_test.h"

#include <sqlite3.h>
#include <vigia/ident.h>
#include <vigia/ingest.h>
#include <vigia/store.h>

/* A valid container number with owner and serial given. */
static void valid_number(char out[12], const char *owner, const char *serial)
{
    snprintf(out, 12, "%sU%s0", owner, serial);
    out[10] = (char)('0' + vg_container_check_digit(out));
}

static void test_ingest_resolve__container_not_met_ahead_is_inserted_alone(void **state)
{
    (void)state;
    struct vg_store_options o = { .create = true, .actor = "tester" };
    struct vg_store *store = NULL;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_store_open(vg_test_tmpfile("resolve.db"), &o, &store, &e), VG_OK, &e);
    /* A container the store had before the run. */
    char known[12];
    valid_number(known, "TCN", "765432");
    char sql[256];
    snprintf(sql, sizeof(sql),
             "INSERT INTO containers(number, valid, created_at) VALUES('%s', 1, 0)", known);
    assert_int_equal(sqlite3_exec(store->db, sql, NULL, NULL, NULL), SQLITE_OK);
    int64_t known_id = vg_tt_int(store, "SELECT max(id) FROM containers");

    struct vg_ingest_report report;
    memset(&report, 0, sizeof(report));
    struct ing_session *s = NULL;
    assert_status(vg__ing_session_new(store, NULL, &report, &s, &e), VG_OK, &e);
    assert_status(vg_store_begin(store, &e), VG_OK, &e);
    struct ing_source src = { .segment_no = 7, .offset = 120, .line = 3, .tag = "EQD" };
    char number[12];
    valid_number(number, "MSC", "123456");

    /* New: inserted with its owner and size type; the same number again is the same row. */
    int64_t id = 0, again = 0, spaced = 0;
    assert_status(vg__ing_container(s, 0, &src, number, "45G1", 1714640000, &id, &e), VG_OK, &e);
    assert_true(id > known_id);
    assert_status(vg__ing_container(s, 0, &src, number, NULL, 1714650000, &again, &e), VG_OK, &e);
    assert_int_equal(again, id);
    /* Written another way ("msc u 123456-d"): normalised to the same container. */
    char written[20];
    snprintf(written, sizeof(written), "msc u %.6s-%c", number + 4, number[10]);
    assert_status(vg__ing_container(s, 0, &src, written, NULL, 1714650000, &spaced, &e), VG_OK, &e);
    assert_int_equal(spaced, id);

    /* Known to the store: found, not inserted again. */
    int64_t found = 0;
    assert_status(vg__ing_container(s, 0, &src, known, NULL, 1714640000, &found, &e), VG_OK, &e);
    assert_int_equal(found, known_id);

    /* A wrong check digit: stored as sent, marked invalid, and a finding says what was
     * expected. */
    char bad[12];
    memcpy(bad, number, sizeof(bad));
    bad[10] = (char)('0' + (bad[10] - '0' + 1) % 10);
    int64_t bad_id = 0;
    assert_status(vg__ing_container(s, 0, &src, bad, NULL, 1714640000, &bad_id, &e), VG_OK, &e);
    assert_true(bad_id != id && bad_id != known_id);
    assert_status(vg_store_commit(store, &e), VG_OK, &e);
    vg__ing_session_free(s);

    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM containers"), 3);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM containers WHERE number = '%s' AND valid = 1 AND"
             " owner_code = 'MSC' AND size_type = '45G1' AND first_seen_at = 1714640000",
             number);
    assert_int_equal(vg_tt_int(store, sql), 1);
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM containers WHERE number = '%s' AND valid = 0",
             bad);
    assert_int_equal(vg_tt_int(store, sql), 1);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM findings WHERE kind = 'bad_check_digit' AND value = '%s'"
             " AND segment_no = 7 AND expected = 'check digit %c'",
             bad, number[10]);
    assert_int_equal(vg_tt_int(store, sql), 1);
    assert_int_equal(report.containers, 2);
    vg_store_close(store);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ingest_resolve__container_not_met_ahead_is_inserted_alone),
};

VG_TEST_MAIN(tests)
