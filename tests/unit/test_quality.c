/* Listings and counts of rejects and findings (vigia/quality.h): filtered by kind, sender,
 * file, time and number; counted per kind and sender (beside the sender's messages) and
 * per file. */
#include "store/store_int.h"
#include "vg_targeting.h"
#include "vg_test.h"

#include <sqlite3.h>
#include <vigia/ingest.h>
#include <vigia/quality.h>
#include <vigia/store.h>
#include <vigia/time.h>

/* The rows a listing gave, each its values joined by '|' (NULL as ""), with the column
 * names likewise in cols. */
struct rows {
    char cols[512];
    char row[16][512];
    size_t n;
};

static void join(char *out, size_t size, size_t n, const char *const *v)
{
    size_t w = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && w < size; i++) {
        w += (size_t)snprintf(out + w, size - w, "%s%s", i > 0 ? "|" : "", v[i] ? v[i] : "");
    }
}

static void on_columns(void *user, size_t n, const char *const *names)
{
    struct rows *r = user;
    join(r->cols, sizeof(r->cols), n, names);
}

static int on_row(void *user, size_t n, const char *const *values)
{
    struct rows *r = user;
    assert_true(r->n < 16);
    join(r->row[r->n++], sizeof(r->row[0]), n, values);
    return 0;
}

typedef enum vg_status (*query_fn)(struct vg_store *,
                                   const struct vg_quality_filter *,
                                   const struct vg_row_sink *,
                                   struct vg_error *);

static struct rows query(struct vg_store *s, query_fn fn, const struct vg_quality_filter *f)
{
    struct rows r = { .n = 0 };
    struct vg_row_sink sink = { .columns = on_columns, .row = on_row, .user = &r };
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(fn(s, f, &sink, &e), VG_OK, &e);
    return r;
}

/* Events from two senders: DPW sends two wrong check digits in two messages (rows), APM
 * one; one row of APM's file has no readable time and is refused. */
static struct vg_store *two_senders(void)
{
    struct vg_store *s = vg_tt_empty("quality.db");
    static const char *const files[][2] = {
        { "feeds/2024-05/dpw.csv", "sender,container,event,time,port\n"
                                   "DPW,MSCU1234560,gate_in,2024-05-03T08:00,PECLL\n"
                                   "DPW,MSCU1234566,gate_in,2024-05-03T09:00,PECLL\n"
                                   "DPW,TGHU1234561,gate_in,2024-05-03T10:00,PECLL\n" },
        { "feeds/2024-05/apm.csv", "sender,container,event,time,port\n"
                                   "APM,CSQU3054380,gate_in,2024-05-03T08:00,PECLL\n"
                                   "APM,CSQU3054383,gate_in,never,PECLL\n"
                                   "APM,CSQU3054383,load,2024-05-04T08:00,PECLL\n" },
    };
    for (size_t i = 0; i < 2; i++) {
        struct vg_ingest_report r;
        struct vg_error e;
        vg_error_clear(&e);
        enum vg_status st =
            vg_ingest_buffer(s, files[i][0], files[i][1], strlen(files[i][1]), NULL, &r, &e);
        assert_int_equal(st, i == 0 ? VG_OK : VG_EPARTIAL); /* the row without a time */
    }
    return s;
}

static void test_quality__findings_counted_per_kind_and_sender(void **state)
{
    (void)state;
    struct vg_store *s = two_senders();
    struct rows r = query(s, vg_findings_summary, NULL);
    assert_string_equal(r.cols, "kind|sender|findings|messages|of_messages|files|first_at|"
                                "last_at");
    assert_int_equal(r.n, 2);
    assert_true(strncmp(r.row[0], "bad_check_digit|DPW|2|2|3|1|", 28) == 0);
    assert_true(strncmp(r.row[1], "bad_check_digit|APM|1|1|2|1|", 28) == 0);
    /* One sender's, and the largest count only. */
    struct vg_quality_filter f = { .sender = "APM" };
    r = query(s, vg_findings_summary, &f);
    assert_int_equal(r.n, 1);
    f = (struct vg_quality_filter){ .limit = 1 };
    r = query(s, vg_findings_summary, &f);
    assert_int_equal(r.n, 1);
    assert_true(strncmp(r.row[0], "bad_check_digit|DPW|", 20) == 0);
    vg_store_close(s);
}

static void test_quality__findings_listed_by_file_kind_time_and_number(void **state)
{
    (void)state;
    struct vg_store *s = two_senders();
    struct rows all = query(s, vg_findings_query, NULL);
    assert_int_equal(all.n, 3);
    assert_string_equal(all.cols, "kind|source|sender|message|segment|offset|field|value|"
                                  "expected|detail|created_at");
    /* A file by its last parts, not by a part of a name. */
    struct vg_quality_filter f = { .source = "2024-05/dpw.csv" };
    assert_int_equal(query(s, vg_findings_query, &f).n, 2);
    f.source = "dpw.csv";
    assert_int_equal(query(s, vg_findings_query, &f).n, 2);
    f.source = "feeds/2024-05/dpw.csv";
    assert_int_equal(query(s, vg_findings_query, &f).n, 2);
    f.source = "pw.csv";
    assert_int_equal(query(s, vg_findings_query, &f).n, 0);
    f = (struct vg_quality_filter){ .kind = "unknown_locode" };
    assert_int_equal(query(s, vg_findings_query, &f).n, 0);
    /* Recorded since: all of them an hour ago, none tomorrow. */
    f = (struct vg_quality_filter){ .since = vg_time_now() - 3600 };
    assert_int_equal(query(s, vg_findings_query, &f).n, 3);
    f.since = vg_time_now() + 86400;
    assert_int_equal(query(s, vg_findings_query, &f).n, 0);
    /* The newest two, oldest first: the listing's last two. */
    f = (struct vg_quality_filter){ .limit = 2 };
    struct rows two = query(s, vg_findings_query, &f);
    assert_int_equal(two.n, 2);
    assert_string_equal(two.row[0], all.row[1]);
    assert_string_equal(two.row[1], all.row[2]);
    /* The listing without a filter is vg_findings_list's. */
    struct rows listed = { .n = 0 };
    struct vg_row_sink sink = { .columns = on_columns, .row = on_row, .user = &listed };
    assert_int_equal(vg_findings_list(s, NULL, &sink, NULL), VG_OK);
    assert_int_equal(listed.n, 3);
    assert_string_equal(listed.row[2], all.row[2]);
    vg_store_close(s);
}

static void test_quality__rejects_listed_and_counted_per_file(void **state)
{
    (void)state;
    struct vg_store *s = two_senders();
    struct rows r = query(s, vg_rejects_query, NULL);
    assert_int_equal(r.n, 1);
    assert_non_null(strstr(r.row[0], "feeds/2024-05/apm.csv|3|"));
    struct vg_quality_filter f = { .source = "dpw.csv" };
    assert_int_equal(query(s, vg_rejects_query, &f).n, 0);
    r = query(s, vg_rejects_summary, NULL);
    assert_string_equal(r.cols, "source|format|rejects|first_at|last_at");
    assert_int_equal(r.n, 1);
    assert_true(strncmp(r.row[0], "feeds/2024-05/apm.csv|csv-events|1|", 35) == 0);
    vg_store_close(s);
}

/* A source that is a member of a zip archive or a sheet of a workbook is found by the
 * archive's or workbook's name too (positions name them: day.zip!a.csv, book.xlsx[Ev]). */
static void test_quality__members_and_sheets_found_by_their_container(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_empty("quality-members.db");
    static const char *const sources[] = { "in/day.zip!gate/apm.csv", "in/book.xlsx[Eventos]",
                                           "in/daybook.csv" };
    for (size_t i = 0; i < 3; i++) {
        char sql[256];
        snprintf(sql, sizeof(sql),
                 "INSERT INTO rejects(source, format, status, reason, created_at)"
                 " VALUES ('%s', 'csv-events', 'VG_EPARSE', 'r%zu', %zu)",
                 sources[i], i, i + 1);
        assert_int_equal(sqlite3_exec(s->db, sql, NULL, NULL, NULL), SQLITE_OK);
    }
    struct vg_quality_filter f = { .source = "day.zip" };
    struct rows r = query(s, vg_rejects_query, &f);
    assert_int_equal(r.n, 1);
    assert_non_null(strstr(r.row[0], "in/day.zip!gate/apm.csv|"));
    f.source = "in/book.xlsx";
    r = query(s, vg_rejects_query, &f);
    assert_int_equal(r.n, 1);
    assert_non_null(strstr(r.row[0], "in/book.xlsx[Eventos]|"));
    f.source = "book.xlsx[Eventos]";
    assert_int_equal(query(s, vg_rejects_query, &f).n, 1);
    f.source = "ook.xlsx"; /* last parts are whole names */
    assert_int_equal(query(s, vg_rejects_query, &f).n, 0);
    f.source = "gate/apm.csv"; /* the member's own last parts */
    assert_int_equal(query(s, vg_rejects_query, &f).n, 1);
    vg_store_close(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_quality__findings_counted_per_kind_and_sender),
    cmocka_unit_test(test_quality__findings_listed_by_file_kind_time_and_number),
    cmocka_unit_test(test_quality__rejects_listed_and_counted_per_file),
    cmocka_unit_test(test_quality__members_and_sheets_found_by_their_container),
};

VG_TEST_MAIN(tests)
