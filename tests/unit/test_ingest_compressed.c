/* Compressed input (src/ingest/compressed.c): gzip and Zstandard files are read as what they
 * hold, members and frames in turn; the same file again is unchanged; a corrupt or cut-off
 * one is refused whole with the reason and kept in rejects, once; the decompressed size is
 * bounded. Zip archives (ingest.c) are read member by member, each a file of its own. */
#include "../../fuzz/workbook_build.h"
#include "ingest/ingest_int.h"
#include "vg_targeting.h"
#include "vg_test.h"

#include <vigia/alloc.h>
#include <vigia/ingest.h>
#include <vigia/store.h>
#include <zstd.h>

static const char events[] = "container,event,time,port\n"
                             "MSCU1234566,gate_in,2024-05-03T08:00,PECLL\n"
                             "CSQU3054383,gate_in,2024-05-03T09:00,PECLL\n";
/* The rest of the same CSV, as a second member or frame (split, then compressed apart). */
static const char more_events[] = "MSCU1234566,load,2024-05-04T08:00,PECLL\n";

/* text as one gzip member appended to out at *n (size bytes). */
static void gzip_into(const char *text, char *out, size_t size, size_t *n)
{
    size_t m = 0;
    char *gz = vg_test_gzip(text, strlen(text), &m);
    assert_true(m <= size - *n);
    memcpy(out + *n, gz, m);
    *n += m;
    vg_free(gz);
}

/* text as one Zstandard frame appended to out at *n. */
static void zstd_into(const char *text, char *out, size_t size, size_t *n)
{
    size_t r = ZSTD_compress(out + *n, size - *n, text, strlen(text), 3);
    assert_false(ZSTD_isError(r));
    *n += r;
}

static struct vg_ingest_report
ingest(struct vg_store *s, const char *name, const char *data, size_t n, enum vg_status want)
{
    struct vg_ingest_report r;
    struct vg_error e;
    vg_error_clear(&e);
    enum vg_status st = vg_ingest_buffer(s, name, data, n, NULL, &r, &e);
    if (st != want) {
        fail_msg("%s: %s (%s), expected %s", name, vg_status_name(st), e.message,
                 vg_status_name(want));
    }
    return r;
}

static void test_ingest_compressed__gzip_and_zstd_read_as_what_they_hold(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_empty("compressed.db");
    char buf[4096];
    /* Two gzip members: both read. */
    size_t n = 0;
    gzip_into(events, buf, sizeof(buf), &n);
    gzip_into(more_events, buf, sizeof(buf), &n);
    struct vg_ingest_report r = ingest(s, "events.csv.gz", buf, n, VG_OK);
    assert_int_equal(r.accepted, 3);
    assert_int_equal(r.files_skipped, 0);
    r = ingest(s, "events-copy.csv.gz", buf, n, VG_OK);
    assert_int_equal(r.files_unchanged, 1);
    assert_int_equal(r.accepted, 0);
    /* Two Zstandard frames of other events, and a gzip file with bytes after its member. */
    static const char zevents[] = "container,event,time,port\n"
                                  "TGHU1234566,gate_in,2024-05-05T08:00,PEPAI\n";
    n = 0;
    zstd_into(zevents, buf, sizeof(buf), &n);
    zstd_into(more_events, buf, sizeof(buf), &n);
    r = ingest(s, "events.csv.zst", buf, n, VG_OK);
    assert_int_equal(r.accepted, 1); /* the second frame's row came in the gzip file */
    assert_int_equal(r.duplicates, 1);
    static const char tail_events[] = "container,event,time,port\n"
                                      "TGHU1234566,load,2024-05-06T08:00,PEPAI\n";
    n = 0;
    gzip_into(tail_events, buf, sizeof(buf), &n);
    memset(buf + n, 0, 512); /* tar-style padding */
    r = ingest(s, "padded.csv.gz", buf, n + 512, VG_OK);
    assert_int_equal(r.accepted, 1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM equipment_events"), 5);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM rejects"), 0);
    vg_store_close(s);
}

static void test_ingest_compressed__broken_file_refused_whole_once(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_empty("broken.db");
    char buf[4096];
    size_t n = 0;
    gzip_into(events, buf, sizeof(buf), &n);
    /* Cut off: nothing of it goes in, one reject, and the same file again adds none. */
    struct vg_ingest_report r = ingest(s, "cut.csv.gz", buf, n - 12, VG_EPARTIAL);
    assert_int_equal(r.rejected, 1);
    assert_int_equal(r.accepted, 0);
    r = ingest(s, "cut.csv.gz", buf, n - 12, VG_OK);
    assert_int_equal(r.files_unchanged, 1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM rejects WHERE format = 'gzip' AND"
                                  " reason LIKE 'gzip: the stream is cut off%'"),
                     1);
    /* A damaged Zstandard frame: refused with zstd's reason and where it broke. */
    n = 0;
    zstd_into(events, buf, sizeof(buf), &n);
    buf[n / 2] ^= 0x5A;
    buf[n / 2 + 1] ^= 0x5A;
    r = ingest(s, "bad.csv.zst", buf, n, VG_EPARTIAL);
    assert_int_equal(r.rejected, 1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM rejects WHERE format = 'zstd' AND"
                                  " reason LIKE 'Zstandard: %' AND source = 'bad.csv.zst'"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM equipment_events"), 0);
    vg_store_close(s);
}

static void test_ingest_compressed__size_is_bounded(void **state)
{
    (void)state;
    static char big[100000];
    memset(big, 'A', sizeof(big) - 1);
    static char packed[4096];
    size_t n = 0;
    gzip_into(big, packed, sizeof(packed), &n);
    assert_true(n < 1000);
    struct vg_buf out;
    vg_buf_init(&out, 10000);
    struct vg_error e;
    vg_error_clear(&e);
    assert_int_equal(vg__ing_compression(packed, n), ING_GZIP);
    assert_int_equal(vg__ing_decompress(ING_GZIP, "bomb.gz", packed, n, &out, &e), VG_ELIMIT);
    assert_non_null(strstr(e.message, "more than 10000 bytes"));
    vg_buf_release(&out);
    vg_buf_init(&out, 200000);
    assert_int_equal(vg__ing_decompress(ING_GZIP, "big.gz", packed, n, &out, &e), VG_OK);
    assert_int_equal(out.len, sizeof(big) - 1);
    vg_buf_release(&out);
    assert_int_equal(vg__ing_compression("container,", 10), ING_PLAIN);
}

/* A zip archive (a day of files in one attachment) is read member by member, each a file
 * named archive!member with its own digest: a gzip member as what it holds, a member in a
 * folder, a member of no format skipped; a damaged member is refused with the reason, once,
 * and the member after it goes in. The archive is recorded too, read whole once all its
 * members are: the same archive again is skipped by its digest (one file unchanged, no
 * member read), unless a member was left open (an EDIFACT file with rejected messages,
 * read again as a plain one is). */
static void test_ingest_compressed__zip_members_read_as_files(void **state)
{
    (void)state;
    static const char zevents_text[] = "container,event,time,port\n"
                                       "TGHU1234566,gate_in,2024-05-05T08:00,PEPAI\n";
    static const char more_events_text[] = "container,event,time,port\n"
                                           "MSCU1234566,load,2024-05-04T08:00,PECLL\n";
    char gz[4096];
    size_t gzn = 0;
    gzip_into(events, gz, sizeof(gz), &gzn);
    /* A member large enough that a byte in the middle of the archive is in its data. */
    static char noise[20000];
    size_t nn = 0;
    nn += (size_t)snprintf(noise, sizeof(noise), "container,event,time,port\n");
    for (unsigned i = 0; nn + 64 < sizeof(noise); i++) {
        nn += (size_t)snprintf(noise + nn, sizeof(noise) - nn,
                               "ZZZU%07u,gate_in,2024-05-0%uT0%u:00,PECLL\n", i * 7919u % 10000000u,
                               1 + i % 9, i % 10);
    }
    struct xlsx_part parts[] = {
        { "events.csv.gz", gz, gzn },
        { "sub/more.csv", zevents_text, sizeof(zevents_text) - 1 },
        { "notes.txt", "just words", 10 },
    };
    size_t len = 0;
    char *zip = xlsx_zip(parts, 3, &len);
    assert_non_null(zip);
    struct vg_store *s = vg_tt_empty("zip.db");
    struct vg_ingest_report r = ingest(s, "day.zip", zip, len, VG_OK);
    assert_int_equal(r.files, 3);
    assert_int_equal(r.files_skipped, 1);
    assert_int_equal(r.accepted, 3);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM ingest_files WHERE path IN "
                                  "('day.zip!events.csv.gz', 'day.zip!sub/more.csv')"),
                     2);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM ingest_files WHERE path = 'day.zip' AND"
                                  " format = 'zip' AND completed_at IS NOT NULL"),
                     1);
    r = ingest(s, "day.zip", zip, len, VG_OK);
    assert_int_equal(r.files, 1);
    assert_int_equal(r.files_unchanged, 1);
    assert_int_equal(r.files_skipped, 0); /* notes.txt not looked at again */
    assert_int_equal(r.accepted, 0);
    free(zip);

    /* An archive with an EDIFACT member whose first message is refused (wrong UNT count). */
    size_t edi_len = 0;
    char *edi = vg_test_read_file(vg_test_source("tests/data/edifact/codeco.edi"), &edi_len);
    assert_non_null(edi);
    char *unt = strstr(edi, "UNT+17+1'");
    assert_non_null(unt);
    memcpy(unt, "UNT+99+1'", 9);
    struct xlsx_part open_parts[] = {
        { "gate.edi", edi, edi_len },
        { "sub/more.csv", zevents_text, sizeof(zevents_text) - 1 },
    };
    zip = xlsx_zip(open_parts, 2, &len);
    assert_non_null(zip);
    r = ingest(s, "open.zip", zip, len, VG_EPARTIAL);
    assert_int_equal(r.rejected, 1);
    r = ingest(s, "open.zip", zip, len, VG_EPARTIAL);
    assert_int_equal(r.files, 2);           /* read again, member by member */
    assert_int_equal(r.files_unchanged, 1); /* the CSV member, read whole */
    assert_int_equal(r.accepted, 0);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM ingest_files WHERE path = 'open.zip' AND"
                                  " completed_at IS NULL"),
                     1);
    free(zip);
    vg_free(edi);

    struct xlsx_part damaged[] = {
        { "big.csv", noise, nn },
        { "after.csv", more_events_text, sizeof(more_events_text) - 1 },
    };
    zip = xlsx_zip(damaged, 2, &len);
    assert_non_null(zip);
    zip[len / 3] ^= 0x55;
    zip[len / 3 + 1] ^= 0x55;
    r = ingest(s, "damaged.zip", zip, len, VG_EPARTIAL);
    assert_int_equal(r.rejected, 1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM rejects WHERE format = 'zip' AND source ="
                                  " 'damaged.zip!big.csv' AND reason LIKE 'zip: big.csv %'"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM ingest_files WHERE path ="
                                  " 'damaged.zip!after.csv'"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM equipment_events WHERE kind = 'load'"), 1);
    int64_t rejects = vg_tt_int(s, "SELECT count(*) FROM rejects");
    r = ingest(s, "damaged.zip", zip, len, VG_OK);
    assert_int_equal(r.rejected, 0);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM rejects"), rejects);
    free(zip);
    vg_store_close(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ingest_compressed__gzip_and_zstd_read_as_what_they_hold),
    cmocka_unit_test(test_ingest_compressed__broken_file_refused_whole_once),
    cmocka_unit_test(test_ingest_compressed__size_is_bounded),
    cmocka_unit_test(test_ingest_compressed__zip_members_read_as_files),
};

VG_TEST_MAIN(tests)
