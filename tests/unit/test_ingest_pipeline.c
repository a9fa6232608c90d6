/* The two-thread EDIFACT ingest (a parse thread feeding the writing thread) against the
 * one-thread ingest: the same rows with the same ids, the same report, the same callbacks
 * in the same order on the calling thread, and a run stopped anywhere completes to the
 * clean result. The input is generated (over the 1 MiB from which the second thread is
 * used) with a rejected message, bad check digits, an unmapped message type and a wrong
 * interchange count among the good messages.
 * ctest-labels: unit threads
 */
#include "../../fuzz/workbook_build.h"
#include "store/store_int.h"
#include "vg_targeting.h"
#include "vg_test.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <vigia/alloc.h>
#include <vigia/arena.h>
#include <vigia/ident.h>
#include <vigia/ingest.h>
#include <vigia/store.h>
#include <zstd.h>

static void append(char **buf, size_t *len, size_t *cap, const char *fmt, ...) VG_PRINTF(4, 5);

static void append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof(line));
    if (*len + (size_t)n + 1 > *cap) {
        *cap = (*cap + (size_t)n + 1) * 2;
        *buf = vg_realloc(*buf, *cap);
        assert_non_null(*buf);
    }
    memcpy(*buf + *len, line, (size_t)n + 1);
    *len += (size_t)n;
}

/* Vessel calls of `per_call` containers: a CUSCAR per 50 consignments, CODECO gate-ins,
 * a COARRI loading report. Every 97th container has a wrong check digit; call 1 has a
 * CUSCAR whose UNT count is wrong (rejected) and an IFTMIN (kept unmapped); the terminal
 * interchange of call 2 declares the wrong number of messages in UNZ (an envelope reject);
 * the first CUSCAR carries UTF-8 under its declared ISO 8859-1. */
static char *generate(int calls, int per_call, size_t *out_len)
{
    char *b = NULL;
    size_t len = 0, cap = 0;
    char numbers[400][12];
    assert_true(per_call <= 400);
    for (int call = 0; call < calls; call++) {
        for (int i = 0; i < per_call; i++) {
            static const char *const owners[] = { "MSC", "MAE", "CMA", "HLX" };
            snprintf(numbers[i], 12, "%sU%06d0", owners[(call + i) % 4], call * 1000 + i);
            int check = vg_container_check_digit(numbers[i]);
            numbers[i][10] =
                (char)('0' + ((call * per_call + i) % 97 == 5 ? (check + 1) % 10 : check));
        }
        append(&b, &len, &cap, "UNA:+.? 'UNB+UNOC:3+MSCPE:ZZZ+SUNAT:ZZZ+240502:0930+IC%d'\n", call);
        int msgs = 0;
        for (int m = 0; m < per_call; m += 50, msgs++) {
            int k = per_call - m < 50 ? per_call - m : 50;
            append(&b, &len, &cap,
                   "UNH+%d+CUSCAR:D:95B:UN'BGM+785+CUS%d-%d+9'DTM+137:202405020930:203'"
                   "TDT+20+V%d+1++MSC:172:20+++9074729:146:11:MSC ANNA:PA'"
                   "LOC+9+PECLL:139:6'DTM+133:202405032200:203'\n",
                   m + 1, call, m, call);
            for (int j = 0; j < k; j++) {
                const char *num = numbers[m + j];
                /* UTF-8 under a declared ISO 8859-1: a finding of the message. */
                bool utf8 = j == 0 && call == 0 && m == 0;
                char ruc[12];
                snprintf(ruc, sizeof(ruc), "20%08d0", 10000000 + (m + j) * 7919 % 89999);
                ruc[10] = (char)('0' + vg_ruc_check_digit(ruc));
                append(&b, &len, &cap,
                       "CNI+%d+BL%d%06d'LOC+9+PECLL:139:6'LOC+11+BEANR:139:6'"
                       "NAD+CZ+%s:RUC:ZZZ++EXPORTADORA %s%05d SAC+AV INDUSTRIAL 100+LIMA++15001+PE'"
                       "NAD+CN+++IMPORT %04d BV+KAAI 12+ANTWERPEN++2000+BE'"
                       "GID+1+1800:CT'FTX+AAA+++FRESH AVOCADOS'PIA+5+080440:HS'"
                       "MEA+WT+G+KGM:21600'SGP+%s+1800'EQD+CN+%s+45R1:102:5+++5'"
                       "MEA+AAE+G+KGM:25480'SEL+SL%06d+SH'\n",
                       j + 1, call, m + j, ruc, utf8 ? "\xc3\x91" : "", (m + j) % 300,
                       (m + j) % 200, num, num, call * 1000 + m + j);
            }
            /* Call 1, second manifest: the count is off by one (rejected whole). */
            bool bad = call == 1 && m == 50;
            append(&b, &len, &cap, "UNT+%d+%d'\n", 6 + 13 * k + 1 + (bad ? 1 : 0), m + 1);
        }
        if (call == 1) {
            append(&b, &len, &cap, "UNH+X1+IFTMIN:D:99B:UN'BGM+610+BK%d+9'UNT+3+X1'\n", call);
            msgs++;
        }
        append(&b, &len, &cap, "UNZ+%d+IC%d'\n", msgs, call);
        append(&b, &len, &cap, "UNA:+.? 'UNB+UNOC:3+DPWC:ZZZ+MSC:ZZZ+240501:2345+GT%d'\n", call);
        int gm = 0;
        for (int m = 0; m < per_call; m += 20, gm++) {
            int k = per_call - m < 20 ? per_call - m : 20;
            append(&b, &len, &cap,
                   "UNH+%d+CODECO:D:95B:UN'BGM+34+GI%d-%d+9'LOC+165+PECLL:139:6+DPW:TER:ZZZ'\n",
                   m + 1, call, m);
            for (int j = 0; j < k; j++) {
                append(&b, &len, &cap,
                       "EQD+CN+%s+45R1:102:5++2+5'DTM+7:2024050%d%02d%02d:203'SEL+SL%06d+SH'"
                       "TDT+1++3+++++T%04d'\n",
                       numbers[m + j], 1 + j % 2, j % 24, j % 60, call * 1000 + m + j, j);
            }
            append(&b, &len, &cap, "UNT+%d+%d'\n", 3 + 4 * k + 1, m + 1);
        }
        append(&b, &len, &cap,
               "UNH+L%d+COARRI:D:95B:UN'BGM+46+LR%d+9'"
               "TDT+20+V%d+1++MSC:172:20+++9074729:146:11:MSC ANNA'LOC+9+PECLL:139:6'\n",
               call, call, call);
        for (int j = 0; j < per_call; j++) {
            append(&b, &len, &cap,
                   "EQD+CN+%s+45R1:102:5++2+5'DTM+203:202405031%d%02d:203'"
                   "LOC+147+0%02d%02d%02d::5'\n",
                   numbers[j], j % 10, j % 60, j % 40, j % 20, j % 10);
        }
        append(&b, &len, &cap, "UNT+%d+L%d'UNZ+%d+GT%d'\n", 4 + 3 * per_call + 1, call,
               gm + 1 + (call == 2 ? 3 : 0), call);
    }
    *out_len = len;
    return b;
}

/* Every callback, in order, and whether each came on the calling thread. */
struct seen {
    pthread_t caller;
    bool foreign_thread;
    struct vg_hasher h;
    int n;
    int sheet_findings; /* findings whose source names a worksheet (book.xlsx[Sheet]) */
};

static void on_event(void *user,
                     enum vg_ingest_event ev,
                     const struct vg_error *e,
                     const struct vg_ingest_report *r)
{
    struct seen *s = user;
    if (!pthread_equal(pthread_self(), s->caller)) {
        s->foreign_thread = true;
    }
    char line[600];
    snprintf(line, sizeof(line), "%d|%s|%llu|%u|%s|%lld|%lld\n", (int)ev,
             e != NULL ? e->source : "", e != NULL ? (unsigned long long)e->offset : 0ull,
             e != NULL ? e->line : 0u, e != NULL ? e->message : "", (long long)r->messages,
             (long long)r->findings);
    vg_hasher_update(&s->h, line, strlen(line));
    s->n++;
    size_t n = e != NULL ? strlen(e->source) : 0;
    s->sheet_findings += ev == VG_INGEST_FINDING && n > 0 && e->source[n - 1] == ']';
}

static int64_t q_count(struct vg_store *s, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static bool skipped_column(const char *name)
{
    static const char *const clock_columns[] = {
        "created_at",       "updated_at",  "ingested_at", "first_ingested_at",
        "last_ingested_at", "recorded_at", "path",
    };
    for (size_t k = 0; k < sizeof(clock_columns) / sizeof(clock_columns[0]); k++) {
        if (strcmp(name, clock_columns[k]) == 0) {
            return true;
        }
    }
    return false;
}

/* A digest of every table the ingest writes, every column but wall-clock times (and the
 * file's path), row ids included, rows sorted by all their columns: the same digest means
 * the same rows with the same ids. file_stats: with the file system status of the files
 * read (ingest_file_stats, the table last in the list), not only what they held. */
static void table_digest(struct vg_store *s, char out[65], bool file_stats)
{
    static const char *const tables[] = {
        "ingest_files",
        "interchanges",
        "messages",
        "rejects",
        "findings",
        "parties",
        "party_identifiers",
        "party_addresses",
        "vessels",
        "vessel_identities",
        "port_calls",
        "consignments",
        "consignment_versions",
        "consignment_places",
        "consignment_parties",
        "party_consignments",
        "goods_items",
        "containers",
        "consignment_equipment",
        "goods_placement",
        "trips",
        "equipment_events",
        "seals",
        "ingest_file_stats",
    };
    struct vg_hasher h;
    vg_hasher_init(&h);
    for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]) - !file_stats; t++) {
        char sql[2048] = "SELECT ";
        char order[1024] = " ORDER BY ";
        char info[128];
        snprintf(info, sizeof(info), "SELECT name FROM pragma_table_info('%s')", tables[t]);
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(s->db, info, -1, &st, NULL), SQLITE_OK);
        int ncols = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(st, 0);
            if (skipped_column(name)) {
                continue;
            }
            ncols++;
            /* When a file was read whole is a clock; whether it was is not. */
            bool when = strcmp(name, "completed_at") == 0;
            snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), "%s%s%s%s",
                     ncols > 1 ? ", " : "", when ? "(" : "", name, when ? " IS NOT NULL)" : "");
            snprintf(order + strlen(order), sizeof(order) - strlen(order), "%s%d",
                     ncols > 1 ? ", " : "", ncols);
        }
        sqlite3_finalize(st);
        assert_true(ncols > 0);
        snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), " FROM %s%s", tables[t], order);
        assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
        int rows = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            rows++;
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const void *v = sqlite3_column_blob(st, c);
                int n = sqlite3_column_bytes(st, c);
                vg_hasher_update(&h, v != NULL ? v : "<null>", v != NULL ? (size_t)n : 6);
                vg_hasher_update(&h, "|", 1);
            }
        }
        sqlite3_finalize(st);
        vg_hasher_update(&h, tables[t], strlen(tables[t]));
        vg_hasher_update(&h, &rows, sizeof(rows));
    }
    uint8_t d[VG_DIGEST_SIZE];
    vg_hasher_final(&h, d);
    vg_digest_hex(d, out);
}

/* What the store holds: the file system status of the files read is left out (a file is
 * known by it only once it has not changed for a while: ingest.c). */
static void dump_digest(struct vg_store *s, char out[65])
{
    table_digest(s, out, false);
}

/* The two stores hold the same rows and know the same files by their status. */
static void assert_same_store_and_status(struct vg_store *a, struct vg_store *b)
{
    char da[65], db[65];
    table_digest(a, da, true);
    table_digest(b, db, true);
    assert_string_equal(da, db);
}

/* The two stores hold the same rows (dump_digest). */
/* The callbacks of two runs (a one-thread run and one read ahead): the same events in the
 * same order, all on the calling thread. Finalises both hashers. */
static void assert_same_callbacks(struct seen *one, struct seen *two)
{
    assert_false(one->foreign_thread);
    assert_false(two->foreign_thread);
    assert_int_equal(one->n, two->n);
    uint8_t h1[VG_DIGEST_SIZE], h2[VG_DIGEST_SIZE];
    vg_hasher_final(&one->h, h1);
    vg_hasher_final(&two->h, h2);
    assert_memory_equal(h1, h2, sizeof(h1));
}

static void assert_same_store(struct vg_store *a, struct vg_store *b)
{
    char da[65], db[65];
    dump_digest(a, da);
    dump_digest(b, db);
    assert_string_equal(da, db);
}

static enum vg_status run(struct vg_store *s,
                          const char *path,
                          bool single,
                          struct seen *seen,
                          struct vg_ingest_report *r)
{
    const char *paths[1] = { path };
    struct vg_ingest_options o = { .batch_size = 40, .single_thread = single };
    if (seen != NULL) {
        seen->caller = pthread_self();
        seen->foreign_thread = false;
        seen->n = 0;
        vg_hasher_init(&seen->h);
        o.callback = on_event;
        o.user = seen;
    }
    struct vg_error e;
    vg_error_clear(&e);
    return vg_ingest_paths(s, paths, 1, &o, r, &e);
}

/* Writes the input; its path goes into path (vg_test_tmpfile's buffers are reused). */
static void input_file(char path[700])
{
    size_t len;
    char *data = generate(6, 400, &len);
    assert_true(len > (1u << 20)); /* large enough for the second thread */
    snprintf(path, 700, "%s", vg_test_tmpfile("pipeline.edi"));
    vg_test_write_file(path, data, len);
    vg_free(data);
}

static void test_ingest_pipeline__same_store_as_one_thread(void **state)
{
    (void)state;
    char path[700];
    input_file(path);
    struct vg_store *one = vg_tt_empty("one.db");
    struct vg_store *two = vg_tt_empty("two.db");
    struct seen seen_one, seen_two;
    struct vg_ingest_report r1, r2;
    assert_int_equal(run(one, path, true, &seen_one, &r1), VG_EPARTIAL);
    assert_int_equal(run(two, path, false, &seen_two, &r2), VG_EPARTIAL);

    /* What the input holds, so that equal stores are not equally empty. */
    assert_int_equal(r2.containers, 6 * 400);
    assert_int_equal(r2.rejected, 2); /* the miscounted CUSCAR, the miscounted UNZ */
    assert_int_equal(q_count(two, "SELECT count(*) FROM rejects WHERE msg_ref IS NULL"), 1);
    assert_int_equal(q_count(two, "SELECT count(*) FROM findings WHERE kind = 'charset_mismatch'"
                                  " AND message_id IS NOT NULL"),
                     1);
    /* A bad number is a finding of every message that names it (at its first segment
     * there): 25 numbers, each in a CUSCAR, a CODECO and a COARRI, but for the one whose
     * CUSCAR is the rejected one (container 490). */
    assert_int_equal(q_count(two, "SELECT count(*) FROM findings WHERE kind = 'bad_check_digit'"),
                     (6 * 400 / 97 + 1) * 3 - 1);
    assert_int_equal(q_count(two, "SELECT count(DISTINCT value) FROM findings"
                                  " WHERE kind = 'bad_check_digit'"),
                     6 * 400 / 97 + 1);
    assert_int_equal(q_count(two, "SELECT count(*) FROM (SELECT 1 FROM findings"
                                  " WHERE kind = 'bad_check_digit' GROUP BY message_id, value"
                                  " HAVING count(*) > 1)"),
                     0);
    assert_int_equal(r2.consignments, 6 * 400 - 50);
    assert_int_equal(r2.events, 2 * (6 * 400 - 50) + 100);
    assert_int_equal(q_count(two, "SELECT count(*) FROM messages WHERE msg_type = 'IFTMIN'"), 1);
    assert_memory_equal(&r1, &r2, sizeof(r1));

    assert_same_store(one, two);
    /* The same bytes handed over in memory (vg_ingest_buffer, read on the second thread
     * from 1 MiB on) under the file's name: the same store. */
    struct vg_store *mem = vg_tt_empty("mem.db");
    size_t mem_len;
    char *mem_data = vg_test_read_file(path, &mem_len);
    struct vg_ingest_options mo = { .batch_size = 40 };
    struct vg_ingest_report r3;
    struct vg_error e3;
    assert_int_equal(vg_ingest_buffer(mem, path, mem_data, mem_len, &mo, &r3, &e3), VG_EPARTIAL);
    vg_free(mem_data);
    assert_memory_equal(&r1, &r3, sizeof(r1));
    assert_same_store(one, mem);
    vg_store_close(mem);

    assert_true(seen_two.n > r2.findings + r2.rejected); /* and progress per batch */
    assert_same_callbacks(&seen_one, &seen_two);

    /* Again: nothing changes, on either path. */
    assert_int_equal(run(two, path, false, NULL, &r2), VG_EPARTIAL);
    assert_int_equal(r2.accepted, 0);
    assert_int_equal(r2.duplicates, r1.accepted);
    assert_same_store(two, one); /* one: the store two had before */
    vg_store_close(one);
    vg_store_close(two);
}

/* Allocation failures stop a two-thread run on either thread (parsing or writing); a
 * normal run afterwards completes the store to exactly what a clean run gives, row ids and
 * findings (message, segment, offset) included. */
static void test_ingest_pipeline__stopped_runs_complete_to_the_clean_result(void **state)
{
    (void)state;
    char path[700];
    input_file(path);
    struct vg_store *clean = vg_tt_empty("clean.db");
    struct vg_ingest_report r;
    assert_int_equal(run(clean, path, true, NULL, &r), VG_EPARTIAL);
    char want[65];
    dump_digest(clean, want);
    vg_store_close(clean);
    for (unsigned long n = 50; n < 40000; n = n * 5 + 7) {
        char name[32];
        snprintf(name, sizeof(name), "stop%lu.db", n);
        struct vg_store *s = vg_tt_empty(name);
        vg_alloc_fail_nth(n);
        enum vg_status st = run(s, path, false, NULL, &r);
        vg_alloc_fail_nth(0);
        if (st != VG_ENOMEM && st != VG_EPARTIAL) {
            fail_msg("failing allocation %lu: %s", n, vg_status_name(st));
        }
        assert_int_equal(run(s, path, false, NULL, &r), VG_EPARTIAL);
        char got[65];
        dump_digest(s, got);
        assert_string_equal(got, want);
        vg_store_close(s);
    }
}

/* A run that read only the first of two files (interrupted between them), completed by a
 * run over both, gives the store of one clean run over both: the second file names again a
 * container with a bad check digit (a finding of each message, wherever the run started),
 * a shipper with an earlier date (the earliest date is kept) and the vessel under a new
 * name (a second identity). */
static void test_ingest_pipeline__resumed_between_files_gives_the_clean_store(void **state)
{
    (void)state;
    char bad[12] = "MSCU1234560";
    bad[10] = (char)('0' + (vg_container_check_digit(bad) + 3) % 10);
    char good[12] = "MSCU1000010";
    good[10] = (char)('0' + vg_container_check_digit(good));
    char first[700], second[700];
    char text[4096];
    snprintf(text, sizeof(text),
             "UNB+UNOC:3+MSCPE:ZZZ+SUNAT:ZZZ+240502:0930+A1'"
             "UNH+1+CUSCAR:D:95B:UN'BGM+785+CUS-A+9'DTM+137:202405020930:203'"
             "TDT+20+V1+1++MSC:172:20+++9074729:146:11:MSC ANNA'LOC+9+PECLL:139:6'"
             "CNI+1+BLA1'NAD+CZ+20100047218:RUC:ZZZ++EXPORTADORA ANDINA SAC+AV LIMA 1+LIMA++1+PE'"
             "GID+1+10:CT'SGP+%s+10'EQD+CN+%s+45R1:102:5'UNT+11+1'UNZ+1+A1'\n",
             bad, bad);
    snprintf(first, sizeof(first), "%s", vg_test_tmpfile("resume-a.edi"));
    vg_test_write_file(first, text, strlen(text));
    snprintf(text, sizeof(text),
             "UNB+UNOC:3+MSCPE:ZZZ+SUNAT:ZZZ+240420:0800+B1'"
             "UNH+1+CUSCAR:D:95B:UN'BGM+785+CUS-B+9'DTM+137:202404200800:203'"
             "TDT+20+V1+1++MSC:172:20+++9074729:146:11:MSC ANNA'LOC+9+PECLL:139:6'"
             "CNI+1+BLB1'NAD+CZ+20100047218:RUC:ZZZ++EXPORTADORA ANDINA SAC+AV LIMA 1+LIMA++1+PE'"
             "EQD+CN+%s+45R1:102:5'UNT+9+1'UNZ+1+B1'\n"
             "UNB+UNOC:3+DPWC:ZZZ+MSC:ZZZ+240503:2345+B2'"
             "UNH+1+CODECO:D:95B:UN'BGM+34+GI-B+9'LOC+165+PECLL:139:6+DPW:TER:ZZZ'"
             "EQD+CN+%s+45R1:102:5++2+5'DTM+7:202405031200:203'UNT+6+1'"
             "UNH+2+COARRI:D:95B:UN'BGM+46+LR-B+9'"
             "TDT+20+V1+1++MSC:172:20+++9074729:146:11:MSC ANNA MARIA'LOC+9+PECLL:139:6'"
             "EQD+CN+%s+45R1:102:5++2+5'DTM+203:202405041000:203'UNT+7+2'UNZ+2+B2'\n",
             good, bad, bad);
    snprintf(second, sizeof(second), "%s", vg_test_tmpfile("resume-b.edi"));
    vg_test_write_file(second, text, strlen(text));
    const char *both[2] = { first, second };
    struct vg_ingest_options o = { .batch_size = 1, .single_thread = true };
    struct vg_ingest_report r;
    struct vg_error e;

    struct vg_store *clean = vg_tt_empty("resume-clean.db");
    vg_error_clear(&e);
    if (vg_ingest_paths(clean, both, 2, &o, &r, &e) != VG_OK) {
        fail_msg("%s", e.message);
    }
    assert_int_equal(r.accepted, 4);
    struct vg_store *resumed = vg_tt_empty("resume-resumed.db");
    assert_int_equal(vg_ingest_paths(resumed, both, 1, &o, &r, &e), VG_OK);
    assert_int_equal(r.accepted, 1);
    assert_int_equal(vg_ingest_paths(resumed, both, 2, &o, &r, &e), VG_OK);
    assert_int_equal(r.accepted, 3);
    /* The first file was read whole by the first run: not read again. */
    assert_int_equal(r.files_unchanged, 1);
    assert_int_equal(r.duplicates, 0);

    /* What both stores hold: a finding per message naming the bad number (the CUSCAR's
     * at its equipment segment, EQD, which the writer meets before the goods' SGP), the
     * earliest date of the shipper, both names of the vessel. */
    struct vg_store *stores[2] = { clean, resumed };
    for (int i = 0; i < 2; i++) {
        struct vg_store *s = stores[i];
        assert_int_equal(q_count(s, "SELECT count(*) FROM findings WHERE kind = 'bad_check_digit'"
                                    " AND field LIKE '% container'"),
                         3);
        assert_int_equal(q_count(s, "SELECT count(DISTINCT message_id) FROM findings"
                                    " WHERE kind = 'bad_check_digit'"),
                         3);
        assert_int_equal(q_count(s, "SELECT segment_no FROM findings WHERE kind = "
                                    "'bad_check_digit' ORDER BY id LIMIT 1"),
                         10);
        assert_int_equal(q_count(s, "SELECT first_seen_at FROM parties WHERE ruc = '20100047218'"),
                         1713618000); /* 2024-04-20 08:00 in Callao, 13:00Z */
        assert_int_equal(q_count(s, "SELECT count(*) FROM vessel_identities"), 2);
    }
    char want[65], got[65];
    dump_digest(clean, want);
    dump_digest(resumed, got);
    assert_string_equal(got, want);
    vg_store_close(clean);
    vg_store_close(resumed);
}

static int64_t file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (int64_t)sb.st_size : -1;
}

/* The two-thread ingest checkpoints the WAL on a thread of its own at the connection's
 * wal_autocheckpoint threshold: the committed pages reach the database file during the
 * run (not only at close), the store is the one-thread store, and the connection gets its
 * automatic checkpoint back afterwards. A connection with automatic checkpoints off gets
 * none (the database file keeps its size until a checkpoint is asked for). */
static void test_ingest_pipeline__checkpoints_beside_the_writer(void **state)
{
    (void)state;
    char path[700];
    input_file(path);
    struct vg_store *one = vg_tt_empty("ckpt-one.db");
    struct vg_store *two = vg_tt_empty("ckpt-two.db");
    struct vg_store *off = vg_tt_empty("ckpt-off.db");
    vg_tt_exec(one, "PRAGMA wal_autocheckpoint=16");
    vg_tt_exec(two, "PRAGMA wal_autocheckpoint=16");
    vg_tt_exec(off, "PRAGMA wal_autocheckpoint=0");
    int64_t before_two = file_size(two->path), before_off = file_size(off->path);
    assert_true(before_two > 0 && before_off > 0);
    struct vg_ingest_report r1, r2, r3;
    assert_int_equal(run(one, path, true, NULL, &r1), VG_EPARTIAL);
    assert_int_equal(run(two, path, false, NULL, &r2), VG_EPARTIAL);
    assert_int_equal(run(off, path, false, NULL, &r3), VG_EPARTIAL);
    assert_int_equal(r2.containers, 6 * 400);

    /* 2,400 containers are megabytes of pages: most went into the file during the run. */
    assert_true(file_size(two->path) > before_two + (1 << 20));
    assert_int_equal(file_size(off->path), before_off);
    assert_int_equal(vg_tt_int(two, "PRAGMA wal_autocheckpoint"), 16);
    assert_int_equal(vg_tt_int(off, "PRAGMA wal_autocheckpoint"), 0);

    char d1[65], d2[65], d3[65];
    dump_digest(one, d1);
    dump_digest(two, d2);
    dump_digest(off, d3);
    assert_string_equal(d1, d2);
    assert_string_equal(d1, d3);
    assert_int_equal(vg_tt_int(two, "SELECT count(*) FROM pragma_integrity_check"
                                    " WHERE integrity_check <> 'ok'"),
                     0);
    vg_store_close(one);
    vg_store_close(two);
    vg_store_close(off);
}

/* The log restarts from its start during a two-thread ingest: once it reaches 16 times the
 * checkpoint threshold, the writer lets the running checkpoint finish before its next
 * batch. Without that the writer always began a batch while the last one's checkpoint ran,
 * and the log grew by every page written (at least the store's size). */
static void test_ingest_pipeline__log_stays_bounded(void **state)
{
    (void)state;
    char path[700];
    input_file(path);
    struct vg_store *one = vg_tt_empty("bound-one.db");
    struct vg_store *two = vg_tt_empty("bound-two.db");
    vg_tt_exec(two, "PRAGMA wal_autocheckpoint=2"); /* bound: 32 pages */
    struct vg_ingest_report r1, r2;
    assert_int_equal(run(one, path, true, NULL, &r1), VG_EPARTIAL);
    assert_int_equal(run(two, path, false, NULL, &r2), VG_EPARTIAL);
    assert_int_equal(r2.containers, 6 * 400);
    /* The frames in the log now (the second column of wal_checkpoint): the batches since
     * its last restart, against every page of the store when it never restarts. */
    int64_t store_pages = vg_tt_int(two, "PRAGMA page_count");
    sqlite3_stmt *ck = NULL;
    assert_int_equal(sqlite3_prepare_v2(two->db, "PRAGMA wal_checkpoint(PASSIVE)", -1, &ck, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(ck), SQLITE_ROW);
    int64_t log_frames = sqlite3_column_int64(ck, 1);
    sqlite3_finalize(ck);
    assert_true(store_pages > 200);
    assert_true(log_frames > 0);
    assert_true(log_frames < store_pages / 2);

    assert_same_store(one, two);
    vg_store_close(one);
    vg_store_close(two);
}

/* Without a batch size the transactions of a run grow: 2,000 messages, then as many as
 * the run's earlier transactions together, up to max_batch. 9,000 one-container gate-in
 * messages take four (2,000, 2,000, 4,000, 1,000), against five in fixed batches of 2,000
 * and five when growth stops at 2,200 (2,000, 2,000, 2,200, 2,200, 600), and many when a
 * batch may stay open a millisecond only; the store is the same every way. */
static void test_ingest_pipeline__default_batches_grow(void **state)
{
    (void)state;
    char *b = NULL;
    size_t len = 0, cap = 0;
    append(&b, &len, &cap, "UNA:+.? 'UNB+UNOC:3+DPWC:ZZZ+MSC:ZZZ+240501:2345+GROW'\n");
    for (int m = 0; m < 9000; m++) {
        char num[12];
        snprintf(num, sizeof(num), "MSCU%06d0", m);
        num[10] = (char)('0' + vg_container_check_digit(num));
        append(&b, &len, &cap,
               "UNH+%d+CODECO:D:95B:UN'BGM+34+G%d+9'LOC+165+PECLL:139:6+DPW:TER:ZZZ'"
               "EQD+CN+%s+45R1:102:5++2+5'DTM+7:202405011200:203'UNT+6+%d'\n",
               m + 1, m, num, m + 1);
    }
    append(&b, &len, &cap, "UNZ+9000+GROW'\n");
    char path[700];
    snprintf(path, sizeof(path), "%s", vg_test_tmpfile("grow.edi"));
    vg_test_write_file(path, b, len);
    vg_free(b);

    struct vg_store *grown = vg_tt_empty("grow-default.db");
    struct vg_store *fixed = vg_tt_empty("grow-fixed.db");
    struct vg_store *capped = vg_tt_empty("grow-capped.db");
    const char *paths[1] = { path };
    struct vg_ingest_options o = { .single_thread = true };
    struct vg_ingest_report r;
    struct vg_error e;
    assert_int_equal(vg_ingest_paths(grown, paths, 1, &o, &r, &e), VG_OK);
    assert_int_equal(r.messages, 9000);
    o.max_batch = 2200;
    assert_int_equal(vg_ingest_paths(capped, paths, 1, &o, &r, &e), VG_OK);
    o.max_batch = 0;
    o.batch_size = 2000;
    assert_int_equal(vg_ingest_paths(fixed, paths, 1, &o, &r, &e), VG_OK);
    static const char batches[] = "SELECT count(*) FROM audit_log WHERE action = 'ingest.batch'";
    static const char largest[] = "SELECT max(json_extract(objects, '$.messages')) FROM audit_log"
                                  " WHERE action = 'ingest.batch'";
    assert_int_equal(vg_tt_int(grown, batches), 4);
    assert_int_equal(vg_tt_int(grown, largest), 4000);
    assert_int_equal(vg_tt_int(fixed, batches), 5);
    assert_int_equal(vg_tt_int(capped, batches), 5);
    assert_int_equal(vg_tt_int(capped, largest), 2200);
    assert_int_equal(q_count(grown, "SELECT count(*) FROM equipment_events"), 9000);

    /* A batch open longer than max_batch_ms ends whatever it holds (the store's write lock
     * is not held longer): here a millisecond, so batches of a few dozen messages. */
    struct vg_store *timed = vg_tt_empty("grow-timed.db");
    struct vg_ingest_options t = { .single_thread = true, .max_batch_ms = 1 };
    assert_int_equal(vg_ingest_paths(timed, paths, 1, &t, &r, &e), VG_OK);
    assert_true(vg_tt_int(timed, batches) > 20);
    assert_true(vg_tt_int(timed, largest) < 2000);

    char d1[65], d2[65], d3[65], d4[65];
    dump_digest(grown, d1);
    dump_digest(fixed, d2);
    dump_digest(capped, d3);
    dump_digest(timed, d4);
    assert_string_equal(d1, d2);
    assert_string_equal(d1, d3);
    assert_string_equal(d1, d4);
    vg_store_close(grown);
    vg_store_close(fixed);
    vg_store_close(capped);
    vg_store_close(timed);
}

/* Writes each interchange of the generated traffic as a file of its own into a new folder
 * (its path into dir); returns the number of files. */
static int input_folder(char dir[700], const char *name)
{
    size_t len;
    char *data = generate(8, 60, &len);
    snprintf(dir, 700, "%s/%s", vg_test_tmpdir(), name);
    assert_int_equal(mkdir(dir, 0700), 0);
    int files = 0;
    const char *p = data;
    while ((p = strstr(p, "UNA:")) != NULL) {
        const char *next = strstr(p + 4, "UNA:");
        size_t n = next != NULL ? (size_t)(next - p) : strlen(p);
        char path[800];
        snprintf(path, sizeof(path), "%s/%03d.edi", dir, files++);
        vg_test_write_file(path, p, n);
        p += n;
    }
    vg_free(data);
    return files;
}

/* A folder of small files (an interchange each, as terminals and agents drop them) is
 * written in the run's batches, not in a transaction per file: one batch here, whose audit
 * entry names the first file and counts them; the store is the one a run per file gives.
 * A run stopped inside such a batch (a failing allocation) commits nothing of it, and a
 * re-run completes the store to the same. */
static void test_ingest_pipeline__folder_of_small_files_in_one_batch(void **state)
{
    (void)state;
    char dir[700];
    int files = input_folder(dir, "many");
    assert_true(files >= 16);
    struct vg_ingest_report r;
    struct vg_error e;
    const char *paths[1] = { dir };
    struct vg_store *folder = vg_tt_empty("folder.db");
    assert_int_equal(vg_ingest_paths(folder, paths, 1, NULL, &r, &e), VG_EPARTIAL);
    assert_int_equal(r.files, files);
    static const char batches[] = "SELECT count(*) FROM audit_log WHERE action = 'ingest.batch'";
    assert_int_equal(vg_tt_int(folder, batches), 1);
    char want_files[32];
    snprintf(want_files, sizeof(want_files), "%%\"files\":%d,%%", files);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(folder->db,
                                        "SELECT count(*) FROM audit_log WHERE action ="
                                        " 'ingest.batch' AND objects LIKE ?1 AND objects LIKE"
                                        " '%000.edi%'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, want_files, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    char got[65], want[65];
    dump_digest(folder, got);

    struct vg_store *each = vg_tt_empty("each.db");
    for (int i = 0; i < files; i++) {
        char path[800];
        snprintf(path, sizeof(path), "%s/%03d.edi", dir, i);
        const char *one[1] = { path };
        enum vg_status fs = vg_ingest_paths(each, one, 1, NULL, &r, &e);
        assert_true(fs == VG_OK || fs == VG_EPARTIAL);
    }
    assert_int_equal(vg_tt_int(each, batches), files);
    dump_digest(each, want);
    assert_string_equal(got, want);
    vg_store_close(each);
    vg_store_close(folder);

    for (unsigned long n = 200; n < 20000; n = n * 4 + 11) {
        char name[32];
        snprintf(name, sizeof(name), "folder-stop%lu.db", n);
        struct vg_store *s = vg_tt_empty(name);
        vg_alloc_fail_nth(n);
        enum vg_status fs = vg_ingest_paths(s, paths, 1, NULL, &r, &e);
        vg_alloc_fail_nth(0);
        if (fs == VG_ENOMEM) {
            assert_int_equal(vg_tt_int(s, batches), 0); /* the one batch, not committed */
        }
        assert_int_equal(vg_ingest_paths(s, paths, 1, NULL, &r, &e), VG_EPARTIAL);
        dump_digest(s, got);
        assert_string_equal(got, want);
        vg_store_close(s);
    }
}

/* Copies the repository's test input `name` into dir as `as`. */
static void copy_into(const char *dir, const char *name, const char *as)
{
    size_t len;
    char *data = vg_test_read_file(vg_test_source(name), &len);
    assert_non_null(data);
    char path[800];
    snprintf(path, sizeof(path), "%s/%s", dir, as);
    vg_test_write_file(path, data, len);
    vg_free(data);
}

/* Events as a spreadsheet in Peru exports them: ';', day first, Windows-1252 (\xfa is u
 * acute; a finding of the file), one row without a container (a reject). */
static const char spreadsheet_events[] =
    "Event;Container;Port;Time;Terminal;Seals\r\n"
    "gate_in;MSCU1234566;PECLL;03/05/2024 22:00;Mu\xf1oz;SL1\r\n"
    "load;;PECLL;04/05/2024 06:00;T1;\r\n"
    "load;MSCU1234566;PECLL;04/05/2024 08:00;Per\xfa;SL1\r\n";

/* A folder (name, under the test directory) of every kind of input: the interchanges of
 * input_folder (with rejects and findings), CSV manifests and events (one in Windows-1252,
 * ';'), JSON documents (each with rejects) and a file of no known format. Returns the number
 * of interchanges. */
static int mixed_folder(char dir[700], const char *name)
{
    int files = input_folder(dir, name);
    copy_into(dir, "tests/data/ingest/manifest.csv", "m1.csv");
    copy_into(dir, "tests/data/ingest/events.csv", "m2.csv");
    copy_into(dir, "tests/data/ingest/docs.jsonl", "m3.jsonl");
    copy_into(dir, "tests/data/ingest/readme.txt", "m4.txt");
    char path[800];
    snprintf(path, sizeof(path), "%s/m6.csv", dir);
    vg_test_write_file(path, spreadsheet_events, sizeof(spreadsheet_events) - 1);
    return files;
}

static enum vg_status run_paths(struct vg_store *s,
                                const char *const *paths,
                                int n,
                                bool single,
                                struct seen *seen,
                                struct vg_ingest_report *r)
{
    struct vg_ingest_options o = { .single_thread = single, .callback = on_event, .user = seen };
    seen->caller = pthread_self();
    seen->foreign_thread = false;
    seen->n = 0;
    seen->sheet_findings = 0;
    vg_hasher_init(&seen->h);
    struct vg_error e;
    vg_error_clear(&e);
    return vg_ingest_paths(s, paths, n, &o, r, &e);
}

/* A status for run_both_ways: whatever the one-thread run ends with. */
#define ANY_STATUS ((enum vg_status) - 9999)

/* Ingests paths into one on one thread and into two read ahead; both runs end with want (or
 * the same status, with ANY_STATUS), and their reports, stores and callbacks are the same.
 * The second run's report into *r, its callbacks' tally into *seen (may be NULL). */
static void run_both_ways(struct vg_store *one,
                          struct vg_store *two,
                          const char *const *paths,
                          int n,
                          enum vg_status want,
                          struct vg_ingest_report *r,
                          struct seen *seen)
{
    struct seen seen_one, seen_two;
    struct vg_ingest_report r1;
    enum vg_status st = run_paths(one, paths, n, true, &seen_one, &r1);
    if (want != ANY_STATUS) {
        assert_int_equal(st, want);
    }
    assert_int_equal(run_paths(two, paths, n, false, &seen_two, r), st);
    assert_memory_equal(&r1, r, sizeof(r1));
    assert_same_store(one, two);
    assert_int_equal(seen_one.sheet_findings, seen_two.sheet_findings);
    if (seen != NULL) {
        *seen = seen_two;
    }
    assert_same_callbacks(&seen_one, &seen_two);
}

/* A run's files are read ahead on the second thread (the next file parsed while this one is
 * written), whatever their size, in a folder of every kind of input: EDIFACT interchanges
 * (with rejects and findings), CSV manifests and events, JSON documents, a file of no known
 * format, an empty one. The store, the report and the callbacks are those of the one-thread
 * run. A path that cannot be read stops both runs at the same point with the same error, the
 * files before it written. */
static void test_ingest_pipeline__run_read_ahead_as_one_thread(void **state)
{
    (void)state;
    char dir[700];
    int files = mixed_folder(dir, "mixed");
    char empty[800];
    snprintf(empty, sizeof(empty), "%s/m5.edi", dir);
    vg_test_write_file(empty, "", 0);
    char big[700];
    input_file(big);

    const char *paths[2] = { dir, big };
    struct vg_store *one = vg_tt_empty("ahead-one.db");
    struct vg_store *two = vg_tt_empty("ahead-two.db");
    struct seen seen_one, seen_two;
    struct vg_ingest_report r1, r2;
    assert_int_equal(run_paths(one, paths, 2, true, &seen_one, &r1), VG_EPARTIAL);
    assert_int_equal(run_paths(two, paths, 2, false, &seen_two, &r2), VG_EPARTIAL);
    assert_int_equal(r2.files, files + 6 + 1);
    assert_int_equal(r2.files_skipped, 2); /* the text file and the empty one */
    assert_true(r2.accepted > 0 && r2.rejected > 0 && r2.findings > 0);
    assert_true(q_count(two, "SELECT count(*) FROM messages WHERE format = 'CSV'") > 0);
    assert_int_equal(q_count(two, "SELECT count(*) FROM findings WHERE kind = 'charset_mismatch'"
                                  " AND detail LIKE '2 lines %'"),
                     1);
    assert_int_equal(q_count(two, "SELECT count(*) FROM rejects WHERE format = 'csv-events' AND"
                                  " source LIKE '%m6.csv' AND line = 3"),
                     1);
    assert_true(q_count(two, "SELECT count(*) FROM messages WHERE format = 'JSON'") > 0);
    assert_memory_equal(&r1, &r2, sizeof(r1));
    assert_same_store(one, two);
    assert_same_callbacks(&seen_one, &seen_two);
    vg_store_close(one);
    vg_store_close(two);

    char missing[800];
    snprintf(missing, sizeof(missing), "%s/no-such-file.edi", vg_test_tmpdir());
    const char *broken[3] = { dir, missing, big };
    one = vg_tt_empty("ahead-stop-one.db");
    two = vg_tt_empty("ahead-stop-two.db");
    assert_int_equal(run_paths(one, broken, 3, true, &seen_one, &r1), VG_ENOTFOUND);
    assert_int_equal(run_paths(two, broken, 3, false, &seen_two, &r2), VG_ENOTFOUND);
    assert_int_equal(r2.files, files + 6);
    assert_memory_equal(&r1, &r2, sizeof(r1));
    assert_same_store(one, two);
    assert_true(q_count(two, "SELECT count(*) FROM messages") > 0);
    vg_store_close(one);
    vg_store_close(two);
}

/* Compressed files of a run are decompressed on the read-ahead side: an EDIFACT archive is
 * parsed there as a plain file is, a compressed file of another format is handed to the
 * writer decompressed, one that does not decompress is refused whole (once), and one read
 * whole before is skipped without being decompressed. Store, report and callbacks are
 * those of the one-thread run, which decompresses on the writing thread. */
static void test_ingest_pipeline__compressed_files_read_ahead(void **state)
{
    (void)state;
    char dir[700];
    snprintf(dir, sizeof(dir), "%s/packed", vg_test_tmpdir());
    assert_int_equal(mkdir(dir, 0700), 0);
    char path[800];
    size_t len, n;
    char *edi = generate(3, 50, &len);
    char *gz = vg_test_gzip(edi, len, &n);
    snprintf(path, sizeof(path), "%s/a.edi.gz", dir);
    vg_test_write_file(path, gz, n);
    snprintf(path, sizeof(path), "%s/c.edi.gz", dir); /* cut off */
    vg_test_write_file(path, gz, n / 2);
    vg_free(gz);
    int64_t on_disk = (int64_t)(n + n / 2); /* the bytes the report counts */
    size_t csv_len;
    char *csv = vg_test_read_file(vg_test_source("tests/data/ingest/events.csv"), &csv_len);
    assert_non_null(csv);
    size_t cap = ZSTD_compressBound(csv_len);
    char *zst = vg_malloc(cap);
    assert_non_null(zst);
    n = ZSTD_compress(zst, cap, csv, csv_len, 3);
    assert_false(ZSTD_isError(n));
    snprintf(path, sizeof(path), "%s/b.csv.zst", dir);
    vg_test_write_file(path, zst, n);
    on_disk += (int64_t)n;
    vg_free(zst);
    vg_free(csv);

    const char *paths[1] = { dir };
    struct vg_store *one = vg_tt_empty("packed-one.db");
    struct vg_store *two = vg_tt_empty("packed-two.db");
    struct seen seen_two;
    struct vg_ingest_report r2;
    run_both_ways(one, two, paths, 1, VG_EPARTIAL, &r2, NULL);
    assert_int_equal(r2.files, 3);
    assert_int_equal(r2.files_skipped, 0);
    assert_int_equal(r2.bytes, on_disk); /* compressed files count their own bytes */
    assert_true(q_count(two, "SELECT count(*) FROM messages WHERE format = 'EDIFACT'") > 10);
    assert_true(q_count(two, "SELECT count(*) FROM messages WHERE format = 'CSV'") > 0);
    assert_int_equal(q_count(two, "SELECT count(*) FROM rejects WHERE format = 'gzip' AND"
                                  " source LIKE '%c.edi.gz'"),
                     1);
    /* Again: the CSV archive and the cut-off file (refused once) are known and not read;
     * the EDIFACT archive, which has a rejected message, is read again (as a plain one is,
     * for --tolerate-counts) and changes nothing. */
    assert_int_equal(run_paths(two, paths, 1, false, &seen_two, &r2), VG_EPARTIAL);
    assert_int_equal(r2.files_unchanged, 2);
    assert_int_equal(r2.bytes, on_disk);
    assert_int_equal(r2.accepted, 0);
    assert_int_equal(q_count(two, "SELECT count(*) FROM rejects WHERE format = 'gzip'"), 1);
    assert_same_store(one, two);
    vg_store_close(one);
    vg_store_close(two);
    vg_free(edi);
}

/* Zip archives of files are read member by member on the read-ahead side, as the writing
 * side reads them in a one-thread run: EDIFACT members parsed there (one with a refused
 * message, which leaves its archive open), a compressed member, a folder, an archive inside
 * (read), one inside that (skipped), a workbook member (read there too). The same archive
 * twice in one run is read once (its second copy's items dropped); a second run skips every
 * archive read whole by its digest and reads the open one again. Store, report and callbacks
 * are those of the one-thread run each time. */
static void test_ingest_pipeline__zip_members_read_ahead(void **state)
{
    (void)state;
    char dir[700];
    snprintf(dir, sizeof(dir), "%s/zipped", vg_test_tmpdir());
    assert_int_equal(mkdir(dir, 0700), 0);
    size_t elen, glen, xlen;
    char *edi = generate(2, 60, &elen); /* the second call's second CUSCAR is refused */
    char *csv = vg_test_read_file(vg_test_source("tests/data/ingest/events.csv"), &glen);
    char *book = vg_test_read_file(vg_test_source("tests/data/workbooks/manifest.xlsx"), &xlen);
    assert_non_null(csv);
    assert_non_null(book);
    size_t gzn = 0;
    char *gz = vg_test_gzip(csv, glen, &gzn);
    static const char deep_csv[] = "container,event,time,port\n"
                                   "TGHU1234566,gate_out,2024-05-06T08:00,PEPAI\n";
    struct xlsx_part deepest[] = { { "deep.csv", deep_csv, sizeof(deep_csv) - 1 } };
    size_t dn = 0;
    char *deep = xlsx_zip(deepest, 1, &dn);
    static const char inner_csv[] = "container,event,time,port\n"
                                    "TGHU1234566,gate_in,2024-05-05T08:00,PEPAI\n";
    struct xlsx_part inner_parts[] = { { "inner.csv", inner_csv, sizeof(inner_csv) - 1 },
                                       { "deeper.zip", deep, dn } };
    size_t in = 0;
    char *inner = xlsx_zip(inner_parts, 2, &in);
    struct xlsx_part open_parts[] = { { "calls.edi", edi, elen }, { "events.csv.gz", gz, gzn } };
    struct xlsx_part read_parts[] = { { "sub/book.xlsx", book, xlen },
                                      { "inner.zip", inner, in },
                                      { "sub/", "", 0 } };
    size_t on = 0, rn = 0;
    char *open_zip = xlsx_zip(open_parts, 2, &on);
    char *read_zip = xlsx_zip(read_parts, 3, &rn);
    assert_non_null(open_zip);
    assert_non_null(read_zip);
    char path[800];
    snprintf(path, sizeof(path), "%s/a-open.zip", dir);
    vg_test_write_file(path, open_zip, on);
    snprintf(path, sizeof(path), "%s/b-read.zip", dir);
    vg_test_write_file(path, read_zip, rn);
    snprintf(path, sizeof(path), "%s/c-again.zip", dir); /* the same archive again */
    vg_test_write_file(path, read_zip, rn);

    const char *paths[1] = { dir };
    struct vg_store *one = vg_tt_empty("zipped-one.db");
    struct vg_store *two = vg_tt_empty("zipped-two.db");
    struct vg_ingest_report r2;
    run_both_ways(one, two, paths, 1, VG_EPARTIAL, &r2, NULL);
    assert_int_equal(r2.files, 5 + 1); /* the members of a, b, inner; c unchanged */
    assert_int_equal(r2.files_unchanged, 1);
    assert_int_equal(r2.files_skipped, 1); /* deeper.zip */
    assert_true(q_count(two, "SELECT count(*) FROM messages WHERE format = 'EDIFACT'") > 5);
    assert_true(r2.rejected > 0);
    assert_int_equal(q_count(two, "SELECT count(*) FROM ingest_files WHERE path LIKE"
                                  " '%b-read.zip!inner.zip!inner.csv'"),
                     1);
    assert_int_equal(q_count(two, "SELECT count(*) FROM ingest_files WHERE format = 'zip' AND"
                                  " completed_at IS NOT NULL"),
                     2); /* b-read.zip and the inner archive; a-open.zip stays open */

    run_both_ways(one, two, paths, 1, VG_EPARTIAL, &r2, NULL);
    assert_int_equal(r2.files_unchanged, 2 + 1); /* b, c; a's CSV member */
    assert_int_equal(r2.accepted, 0);
    vg_store_close(one);
    vg_store_close(two);
    free(open_zip);
    free(read_zip);
    free(inner);
    free(deep);
    vg_free(gz);
    vg_free(book);
    vg_free(csv);
    vg_free(edi);
}

/* Workbooks of a run are read on the read-ahead side, sheet by sheet as CSV files are, as
 * the writing side reads them in a one-thread run: an .xlsx, an .ods, an .xls (through
 * vigia-xls), a compressed .xlsx, one of two sheets where only one has a layout (a
 * sheet_skipped finding, positions naming the sheet), one of no layout (skipped) and one
 * cut off (refused whole): the last two handed over whole. Store, report and callbacks are
 * those of the one-thread run, and a second run finds them all unchanged or skips them
 * again. */
static void test_ingest_pipeline__workbooks_read_ahead(void **state)
{
    (void)state;
    char dir[700];
    snprintf(dir, sizeof(dir), "%s/books", vg_test_tmpdir());
    assert_int_equal(mkdir(dir, 0700), 0);
    static const char *const books[] = { "manifest.xlsx", "manifest.ods",
                                         "manifest-libreoffice.xls" };
    char src[800], path[800];
    for (size_t i = 0; i < sizeof(books) / sizeof(books[0]); i++) {
        snprintf(src, sizeof(src), "tests/data/workbooks/%s", books[i]);
        size_t len = 0;
        char *data = vg_test_read_file(vg_test_source(src), &len);
        assert_non_null(data);
        snprintf(path, sizeof(path), "%s/%zu-%s", dir, i, books[i]);
        vg_test_write_file(path, data, len);
        vg_free(data);
    }
    size_t xlen = 0;
    char *xlsx = vg_test_read_file(vg_test_source("tests/data/workbooks/manifest.xlsx"), &xlen);
    assert_non_null(xlsx);
    snprintf(path, sizeof(path), "%s/3-cut.xlsx", dir);
    vg_test_write_file(path, xlsx, xlen / 2);
    size_t gzn = 0;
    char *gz = vg_test_gzip(xlsx, xlen, &gzn);
    snprintf(path, sizeof(path), "%s/4-packed.xlsx.gz", dir);
    vg_test_write_file(path, gz, gzn);
    vg_free(gz);
    /* Two sheets, one of the events layout (its second row refused, its third a container
     * number with a wrong check digit: a finding, whose callback names the sheet), one of
     * notes; and a workbook of notes only. */
    char wb[4096], rels[4096];
    xlsx_workbook_parts(2, 0, wb, rels, sizeof(wb));
    static const char events[] =
        "<?xml version=\"1.0\"?><worksheet xmlns=\"" XLSX_NS "\"><sheetData>"
        "<row r=\"1\"><c t=\"inlineStr\"><is><t>container</t></is></c><c t=\"inlineStr\"><is>"
        "<t>event</t></is></c><c t=\"inlineStr\"><is><t>time</t></is></c><c t=\"inlineStr\">"
        "<is><t>port</t></is></c></row>"
        "<row r=\"2\"><c t=\"inlineStr\"><is><t>MSCU1234566</t></is></c><c t=\"inlineStr\">"
        "<is><t>load</t></is></c><c t=\"inlineStr\"><is><t>2024-05-01T10:00</t></is></c>"
        "<c t=\"inlineStr\"><is><t>PECLL</t></is></c></row>"
        "<row r=\"3\"><c t=\"inlineStr\"><is><t>MSCU1234566</t></is></c><c t=\"inlineStr\">"
        "<is><t>teleport</t></is></c><c t=\"inlineStr\"><is><t>2024-05-01T11:00</t></is></c>"
        "<c t=\"inlineStr\"><is><t>PECLL</t></is></c></row>"
        "<row r=\"4\"><c t=\"inlineStr\"><is><t>MSCU1234567</t></is></c><c t=\"inlineStr\">"
        "<is><t>load</t></is></c><c t=\"inlineStr\"><is><t>2024-05-01T12:00</t></is></c>"
        "<c t=\"inlineStr\"><is><t>PECLL</t></is></c></row></sheetData></worksheet>";
    static const char notes[] =
        "<?xml version=\"1.0\"?><worksheet xmlns=\"" XLSX_NS "\"><sheetData>"
        "<row r=\"1\"><c t=\"inlineStr\"><is><t>notes</t></is></c></row></sheetData>"
        "</worksheet>";
    struct xlsx_part two_parts[] = { { "xl/workbook.xml", wb, strlen(wb) },
                                     { "xl/_rels/workbook.xml.rels", rels, strlen(rels) },
                                     { "xl/worksheets/sheet1.xml", events, sizeof(events) - 1 },
                                     { "xl/worksheets/sheet2.xml", notes, sizeof(notes) - 1 } };
    size_t n = 0;
    char *two_sheets = xlsx_zip(two_parts, 4, &n);
    assert_non_null(two_sheets);
    snprintf(path, sizeof(path), "%s/5-two-sheets.xlsx", dir);
    vg_test_write_file(path, two_sheets, n);
    free(two_sheets);
    two_parts[2] = (struct xlsx_part){ "xl/worksheets/sheet1.xml", notes, sizeof(notes) - 1 };
    char *none = xlsx_zip(two_parts, 4, &n);
    assert_non_null(none);
    snprintf(path, sizeof(path), "%s/6-notes.xlsx", dir);
    vg_test_write_file(path, none, n);
    free(none);

    const char *paths[1] = { dir };
    struct vg_store *one = vg_tt_empty("books-one.db");
    struct vg_store *two = vg_tt_empty("books-two.db");
    struct seen seen_two;
    struct vg_ingest_report r2;
    run_both_ways(one, two, paths, 1, VG_EPARTIAL, &r2, &seen_two);
    assert_int_equal(r2.files, 7);
    assert_int_equal(r2.files_skipped, 1); /* the workbook of notes */
    assert_int_equal(q_count(two, "SELECT count(*) FROM ingest_files WHERE format IN"
                                  " ('xlsx', 'ods', 'xls')"),
                     5);
    assert_int_equal(q_count(two, "SELECT count(*) FROM rejects WHERE source LIKE '%3-cut.xlsx'"),
                     1);
    assert_int_equal(q_count(two, "SELECT count(*) FROM rejects WHERE source LIKE"
                                  " '%5-two-sheets.xlsx[Sheet1]' AND line = 3"),
                     1);
    assert_int_equal(q_count(two, "SELECT count(*) FROM findings WHERE kind = 'sheet_skipped'"
                                  " AND value = 'Sheet2'"),
                     1);
    assert_int_equal(q_count(two, "SELECT count(*) FROM equipment_events e JOIN containers c ON"
                                  " c.id = e.container_id WHERE c.number LIKE 'MSCU123456_'"),
                     2);
    assert_int_equal(q_count(two, "SELECT count(*) FROM findings f JOIN ingest_files i ON"
                                  " i.id = f.file_id WHERE i.path LIKE '%5-two-sheets.xlsx'"
                                  " AND f.value = 'MSCU1234567'"),
                     1);
    assert_true(seen_two.sheet_findings > 0);

    run_both_ways(one, two, paths, 1, VG_OK, &r2, NULL);
    assert_int_equal(r2.files_unchanged, 6);
    assert_int_equal(r2.files_skipped, 1);
    assert_int_equal(r2.accepted, 0);
    vg_store_close(one);
    vg_store_close(two);
    vg_free(xlsx);
}

/* The files of the watched folder (inotify descriptor fd, IN_OPEN) opened since the last
 * call. */
static int files_opened(int fd)
{
    int opened = 0;
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
            opened += (ev->mask & IN_OPEN) != 0 && (ev->mask & IN_ISDIR) == 0;
            p += sizeof(*ev) + ev->len;
        }
    }
    return opened;
}

/* Waits until the files of dir just written are old enough for their status to be trusted
 * (ingest.c: a file changed within the last tick of its file system's clock is read by its
 * content): 150 ms, or 2.1 s on a file system that keeps whole seconds. */
static void settle(const char *dir)
{
    struct stat sb;
    assert_int_equal(stat(dir, &sb), 0);
    bool coarse = sb.st_mtim.tv_nsec == 0 && sb.st_ctim.tv_nsec == 0;
    usleep(coarse ? 2100000 : 150000);
}

/* A file read whole is known to a later run by its status (device, inode, size, modification
 * and change times) and not even opened, read ahead or on one thread; the files not read
 * whole (an interchange with a refused message, a file of no known format) are read again. A
 * file whose times changed but not its content (touched) is opened, found unchanged by its
 * digest, and its new status recorded; one whose content changed is read. The stores of
 * both modes stay the same. */
static void test_ingest_pipeline__files_known_by_status_not_opened(void **state)
{
    (void)state;
    char dir[700];
    mixed_folder(dir, "status");
    settle(dir);
    const char *paths[1] = { dir };
    struct vg_store *one = vg_tt_empty("status-one.db");
    struct vg_store *two = vg_tt_empty("status-two.db");
    struct vg_store *stores[2] = { one, two };
    struct seen seen_one, seen_two;
    struct vg_ingest_report r1, r2;
    assert_int_equal(run_paths(one, paths, 1, true, &seen_one, &r1), VG_EPARTIAL);
    assert_int_equal(run_paths(two, paths, 1, false, &seen_two, &r2), VG_EPARTIAL);
    int64_t whole =
        q_count(two, "SELECT count(*) FROM ingest_files WHERE completed_at IS NOT NULL");
    assert_true(whole > 5 && whole < r2.files - 1);
    assert_int_equal(q_count(two, "SELECT count(*) FROM ingest_file_stats"), whole);
    assert_same_store_and_status(one, two);

    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    assert_true(fd >= 0);
    assert_true(inotify_add_watch(fd, dir, IN_OPEN) >= 0);
    for (int i = 0; i < 2; i++) {
        struct vg_ingest_report r;
        struct seen seen;
        assert_int_equal(run_paths(stores[i], paths, 1, i == 0, &seen, &r), VG_EPARTIAL);
        assert_int_equal(r.files_unchanged, whole);
        assert_int_equal(r.accepted, 0);
        assert_int_equal(files_opened(fd), r.files - whole);
    }
    assert_same_store_and_status(one, two);

    /* Touched (same content, new times): opened once, then known by its new status. */
    char touched[800], changed[800];
    snprintf(touched, sizeof(touched), "%s/m1.csv", dir);
    struct timespec times[2] = { { 1700000000, 5 }, { 1700000000, 5 } };
    assert_int_equal(utimensat(AT_FDCWD, touched, times, 0), 0);
    /* Changed (a record added): read, its new record taken. */
    snprintf(changed, sizeof(changed), "%s/m2.csv", dir);
    size_t n = 0;
    char *text = vg_test_read_file(changed, &n);
    assert_non_null(text);
    static const char more[] = "MSCU1234566,gate_out,2024-05-09T08:00,PECLL\n";
    char *grown = vg_malloc(n + sizeof(more));
    assert_non_null(grown);
    memcpy(grown, text, n);
    memcpy(grown + n, more, sizeof(more) - 1);
    vg_test_write_file(changed, grown, n + sizeof(more) - 1);
    vg_free(grown);
    vg_free(text);
    settle(dir);
    (void)files_opened(fd); /* the test's own opens */
    for (int i = 0; i < 2; i++) {
        struct vg_ingest_report r;
        struct seen seen;
        assert_int_equal(run_paths(stores[i], paths, 1, i == 0, &seen, &r), VG_EPARTIAL);
        assert_int_equal(r.files_unchanged, whole - 1); /* the changed file is new */
        assert_int_equal(r.accepted, 1);
        assert_int_equal(files_opened(fd), r.files - whole + 2);
        assert_int_equal(q_count(stores[i], "SELECT count(*) FROM ingest_file_stats WHERE"
                                            " mtime_ns = 1700000000000000005"),
                         1);
        assert_int_equal(run_paths(stores[i], paths, 1, i == 0, &seen, &r), VG_EPARTIAL);
        assert_int_equal(r.files_unchanged, whole);
        assert_int_equal(files_opened(fd), r.files - whole);
    }
    assert_same_store_and_status(one, two);

    /* A file written just now is read by its content, its status not trusted yet (it may
     * change again within the same tick of the clock that stamps it); a later run records
     * it. Its modification time is set an hour ahead so that it is still "just written"
     * however long this machine takes to reach the run (a loaded machine can pause for
     * longer than the 100 ms a status takes to be trusted), then back in the past. */
    char fresh[800];
    snprintf(fresh, sizeof(fresh), "%s/m9.csv", dir);
    static const char fresh_csv[] = "container,event,time,port\n"
                                    "MSCU1234566,gate_in,2024-05-10T08:00,PECLL\n";
    vg_test_write_file(fresh, fresh_csv, sizeof(fresh_csv) - 1);
    struct timespec ahead[2] = { { 0, UTIME_OMIT }, { time(NULL) + 3600, 0 } };
    assert_int_equal(utimensat(AT_FDCWD, fresh, ahead, 0), 0);
    struct vg_ingest_report r;
    struct seen seen;
    assert_int_equal(run_paths(two, paths, 1, false, &seen, &r), VG_EPARTIAL);
    assert_int_equal(r.accepted, 1);
    assert_int_equal(q_count(two, "SELECT count(*) FROM ingest_file_stats WHERE path LIKE"
                                  " '%/m9.csv'"),
                     0);
    assert_int_equal(utimensat(AT_FDCWD, fresh, times, 0), 0);
    settle(dir);
    assert_int_equal(run_paths(two, paths, 1, false, &seen, &r), VG_EPARTIAL);
    assert_int_equal(q_count(two, "SELECT count(*) FROM ingest_file_stats WHERE path LIKE"
                                  " '%/m9.csv'"),
                     1);
    close(fd);
    vg_store_close(one);
    vg_store_close(two);
}

/* Files being transferred into a feed folder under a temporary name (WinSCP's .filepart,
 * .part, .partial, .crdownload) and hidden ones (rsync's, scp's) are left out of the walk,
 * read ahead or on one thread; once renamed, read. A path named by the run is read. With a
 * minimum age, files written to more lately (scp writes under the final name) are left for
 * a later run. */
static void test_ingest_pipeline__files_in_transfer_left_out(void **state)
{
    (void)state;
    char dir[700];
    snprintf(dir, sizeof(dir), "%s/transfer", vg_test_tmpdir());
    assert_int_equal(mkdir(dir, 0700), 0);
    static const char csv[] = "container,event,time,port\n"
                              "MSCU1234566,gate_in,2024-05-10T08:00,PECLL\n";
    static const char *const names[] = { "a.csv.filepart", "b.csv.PART", "c.partial",
                                         "d.csv.crdownload", ".e.csv.Xa3b9" };
    char path[800];
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        vg_test_write_file(path, csv, sizeof(csv) - 1);
    }
    const char *paths[1] = { dir };
    for (int single = 0; single < 2; single++) {
        struct vg_store *s = vg_tt_empty(single ? "transfer-one.db" : "transfer-two.db");
        struct seen seen;
        struct vg_ingest_report r;
        assert_int_equal(run_paths(s, paths, 1, single, &seen, &r), VG_OK);
        assert_int_equal(r.files, 0);
        assert_int_equal(q_count(s, "SELECT count(*) FROM messages"), 0);
        snprintf(path, sizeof(path), "%s/%s", dir, names[0]);
        const char *named[1] = { path };
        assert_int_equal(run_paths(s, named, 1, single, &seen, &r), VG_OK);
        assert_int_equal(r.accepted, 1);
        vg_store_close(s);
    }
    char from[800];
    snprintf(from, sizeof(from), "%s/%s", dir, names[0]);
    snprintf(path, sizeof(path), "%s/a.csv", dir);
    assert_int_equal(rename(from, path), 0);
    struct vg_store *s = vg_tt_empty("transfer-renamed.db");
    struct seen seen;
    struct vg_ingest_report r;
    assert_int_equal(run_paths(s, paths, 1, false, &seen, &r), VG_OK);
    assert_int_equal(r.files, 1);
    assert_int_equal(r.accepted, 1);
    vg_store_close(s);

    /* Written to just now under its final name: left for a later run by a minimum age,
     * counted as deferred; named by the run, or written long enough ago, read. */
    snprintf(path, sizeof(path), "%s/g.csv", dir);
    vg_test_write_file(path,
                       "container,event,time,port\n"
                       "MSCU1234566,gate_out,2024-05-11T08:00,PECLL\n",
                       strlen("container,event,time,port\n"
                              "MSCU1234566,gate_out,2024-05-11T08:00,PECLL\n"));
    for (int single = 0; single < 2; single++) {
        struct vg_store *m = vg_tt_empty(single ? "min-age-one.db" : "min-age-two.db");
        struct vg_ingest_options o = { .single_thread = single, .min_age_seconds = 60 };
        struct vg_error e;
        vg_error_clear(&e);
        assert_int_equal(vg_ingest_paths(m, paths, 1, &o, &r, &e), VG_OK);
        assert_int_equal(r.files_deferred, 2); /* a.csv (written moments ago) and g.csv */
        assert_int_equal(r.files, 0);
        const char *named[1] = { path };
        assert_int_equal(vg_ingest_paths(m, named, 1, &o, &r, &e), VG_OK);
        assert_int_equal(r.files_deferred, 0);
        assert_int_equal(r.accepted, 1);
        vg_store_close(m);
    }
    struct timespec old[2] = { { 1700000000, 0 }, { 1700000000, 0 } };
    assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
    char renamed[800];
    snprintf(renamed, sizeof(renamed), "%s/a.csv", dir);
    assert_int_equal(utimensat(AT_FDCWD, renamed, old, 0), 0);
    struct vg_store *m = vg_tt_empty("min-age-old.db");
    struct vg_ingest_options o = { .min_age_seconds = 60 };
    struct vg_error e;
    vg_error_clear(&e);
    assert_int_equal(vg_ingest_paths(m, paths, 1, &o, &r, &e), VG_OK);
    assert_int_equal(r.files_deferred, 0);
    assert_int_equal(r.files, 2);
    vg_store_close(m);
}

/* A file read to its end is marked so in the batch that took its last message, and a later
 * run skips the same content by its digest, under any name, without reading it again; so
 * are CSV and JSON files with rejected records (nothing reads them differently), but an
 * EDIFACT file with rejected messages is read again until a run with --tolerate-counts
 * (which may take them) has read it. The store is unchanged by the second run, read ahead
 * or on one thread, and for a buffer of the same content. */
static void test_ingest_pipeline__files_read_whole_are_not_read_again(void **state)
{
    (void)state;
    char dir[700];
    int edi = mixed_folder(dir, "whole");
    const char *paths[1] = { dir };
    for (int single = 0; single < 2; single++) {
        struct vg_store *s = vg_tt_empty(single ? "whole-one.db" : "whole-two.db");
        struct seen seen;
        struct vg_ingest_report r1, r2;
        assert_int_equal(run_paths(s, paths, 1, single, &seen, &r1), VG_EPARTIAL);
        assert_int_equal(r1.files_unchanged, 0);
        int64_t whole =
            q_count(s, "SELECT count(*) FROM ingest_files WHERE completed_at IS NOT NULL");
        int64_t clean =
            q_count(s, "SELECT count(*) FROM ingest_files f WHERE format != 'edifact'"
                       " OR NOT EXISTS (SELECT 1 FROM rejects r WHERE r.file_id = f.id)");
        assert_int_equal(whole, clean);
        /* Most interchanges have no reject; some have. */
        assert_true(whole > edi / 2 && whole < r1.files - r1.files_skipped);
        char before[65], after[65];
        dump_digest(s, before);

        assert_int_equal(run_paths(s, paths, 1, single, &seen, &r2), VG_EPARTIAL);
        assert_int_equal(r2.files, r1.files);
        assert_int_equal(r2.files_unchanged, whole);
        assert_int_equal(r2.files_skipped, 1); /* readme.txt: no known format */
        assert_int_equal(r2.accepted, 0);
        assert_true(r2.rejected > 0 && r2.rejected < r1.rejected); /* the interchanges' only */
        assert_true(r2.duplicates > 0); /* the good messages of the files read again */
        assert_true(r2.messages < r1.messages);
        dump_digest(s, after);
        assert_string_equal(before, after);

        /* The same content under another name, as a file and as a buffer: the file's status
         * is recorded (a later run knows it without reading it), nothing else. */
        int64_t stats = q_count(s, "SELECT count(*) FROM ingest_file_stats");
        table_digest(s, before, false);
        char copy[800], from[800];
        snprintf(from, sizeof(from), "%s/000.edi", dir);
        snprintf(copy, sizeof(copy), "%s/copy-%d.edi", vg_test_tmpdir(), single);
        size_t len;
        char *data = vg_test_read_file(from, &len);
        assert_non_null(data);
        vg_test_write_file(copy, data, len);
        settle(copy);
        const char *one[1] = { copy };
        assert_int_equal(run_paths(s, one, 1, single, &seen, &r2), VG_OK);
        assert_int_equal(r2.files_unchanged, 1);
        assert_int_equal(r2.messages, 0);
        assert_int_equal(q_count(s, "SELECT count(*) FROM ingest_file_stats"), stats + 1);
        struct vg_error e;
        vg_error_clear(&e);
        assert_int_equal(vg_ingest_buffer(s, "copy", data, len, NULL, &r2, &e), VG_OK);
        assert_int_equal(r2.files_unchanged, 1);
        assert_int_equal(r2.messages, 0);
        vg_free(data);
        table_digest(s, after, false);
        assert_string_equal(before, after);

        /* Read with --tolerate-counts, the interchanges with rejects are read whole too. */
        struct vg_ingest_options o = { .single_thread = single, .tolerate_counts = true };
        enum vg_status ts = vg_ingest_paths(s, paths, 1, &o, &r2, &e);
        assert_true(ts == VG_OK || ts == VG_EPARTIAL);
        assert_int_equal(r2.files_unchanged, whole);
        assert_int_equal(q_count(s, "SELECT count(*) FROM ingest_files WHERE completed_at IS NULL"),
                         0);
        assert_int_equal(vg_ingest_paths(s, paths, 1, &o, &r2, &e), VG_OK);
        assert_int_equal(r2.files_unchanged, r1.files - r1.files_skipped);
        assert_int_equal(r2.messages, 0);
        vg_store_close(s);
    }

    /* The same content twice in one run: the second is unchanged, read ahead (the writer
     * checks, the read-ahead side having parsed it) as on one thread; EDIFACT and CSV. */
    char twice[700];
    snprintf(twice, sizeof(twice), "%s/twice", vg_test_tmpdir());
    assert_int_equal(mkdir(twice, 0700), 0);
    const char *const pairs[2][2] = { { "000.edi", "a.edi" }, { "m1.csv", "a.csv" } };
    for (int i = 0; i < 2; i++) {
        for (int k = 0; k < 2; k++) {
            char from[800], to[800];
            snprintf(from, sizeof(from), "%s/%s", dir, pairs[i][0]);
            snprintf(to, sizeof(to), "%s/%s%s", twice, k == 0 ? "" : "z", pairs[i][1]);
            size_t n;
            char *text = vg_test_read_file(from, &n);
            assert_non_null(text);
            vg_test_write_file(to, text, n);
            vg_free(text);
        }
    }
    const char *tpaths[1] = { twice };
    struct vg_store *one = vg_tt_empty("twice-one.db");
    struct vg_store *two = vg_tt_empty("twice-two.db");
    struct seen seen_one, seen_two;
    struct vg_ingest_report t1, t2;
    enum vg_status s1 = run_paths(one, tpaths, 1, true, &seen_one, &t1);
    assert_int_equal(run_paths(two, tpaths, 1, false, &seen_two, &t2), s1);
    assert_int_equal(t2.files, 4);
    assert_int_equal(t2.files_unchanged, 2);
    assert_memory_equal(&t1, &t2, sizeof(t1));
    assert_same_store(one, two);
    vg_store_close(one);
    vg_store_close(two);
}

/* Random folders (randomised_folders_read_ahead_as_one_thread): a piece of input is bytes
 * kept in the test's arena. */
struct piece {
    const char *data;
    size_t len;
    const char *ext;
};

/* A copy of data[0..len) in arena a; data freed with free_fn when given. */
static struct piece
keep(struct vg_arena *a, void *data, size_t len, const char *ext, void (*free_fn)(void *))
{
    assert_non_null(data);
    char *copy = vg_arena_alloc(a, len + 1);
    assert_non_null(copy);
    memcpy(copy, data, len);
    copy[len] = '\0';
    if (free_fn != NULL) {
        free_fn(data);
    }
    return (struct piece){ copy, len, ext };
}

static void free_vg(void *p)
{
    vg_free(p);
}

static void free_libc(void *p)
{
    free(p);
}

static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

/* Events of n containers of their own (serial base + i, valid check digits). */
static struct piece events_piece(struct vg_arena *a, int base, int n)
{
    char *b = NULL;
    size_t len = 0, cap = 0;
    append(&b, &len, &cap, "container,event,time,port\n");
    for (int i = 0; i < n; i++) {
        char number[12];
        snprintf(number, sizeof(number), "TGHU%06d0", base + i);
        number[10] = (char)('0' + vg_container_check_digit(number));
        append(&b, &len, &cap, "%s,gate_in,2024-05-%02dT08:00,PECLL\n", number, 1 + i % 28);
    }
    return keep(a, b, len, "csv", free_vg);
}

/* A zip archive of n pieces (some under a folder, with the folder's own entry), or of a
 * zip archive of them when nested. */
static struct piece
zip_piece(struct vg_arena *a, const struct piece *pieces, size_t n, bool nested, uint32_t *rnd)
{
    struct xlsx_part parts[4];
    char names[4][32];
    assert_true(n <= 3);
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], sizeof(names[i]), "%sm%zu.%s", next_random(rnd) % 3 == 0 ? "sub/" : "",
                 i, pieces[i].ext);
        parts[i] = (struct xlsx_part){ names[i], pieces[i].data, pieces[i].len };
    }
    parts[n] = (struct xlsx_part){ "sub/", "", 0 };
    size_t len = 0;
    char *z = xlsx_zip(parts, n + 1, &len);
    struct piece out = keep(a, z, len, "zip", free_libc);
    if (nested) {
        struct xlsx_part outer[] = { { "inner.zip", out.data, out.len } };
        z = xlsx_zip(outer, 1, &len);
        out = keep(a, z, len, "zip", free_libc);
    }
    return out;
}

/* Folders of random entries, each run one thread and read ahead, again, and once more after
 * some of their files changed: a piece of input (EDIFACT calls with rejects and findings,
 * CSV events, Peruvian spreadsheet events, UTF-16 text, JSON documents, AIS, workbooks
 * .xlsx, .ods and .xls, a file of no known format), as it is, gzipped (some cut off), in
 * Zstandard, in a zip archive with others (under a folder, or nested one deeper), or the
 * same bytes again under another name (a file, an archive). The
 * reports, stores and callbacks of both modes are the same every time. The order in which
 * the read-ahead side hands a file's bytes, items and archives to the writer is what varies
 * (the use-after-free of a file of an archive read whole before, earlier in the run, was
 * such a case). */
static void test_ingest_pipeline__randomised_folders_read_ahead_as_one_thread(void **state)
{
    (void)state;
    struct vg_arena a;
    vg_arena_init(&a, 0, 0);
    size_t n = 0;
    struct piece pool[16];
    size_t npool = 0;
    char *bytes = generate(1, 20, &n);
    pool[npool++] = keep(&a, bytes, n, "edi", free_vg);
    bytes = generate(2, 60, &n);
    pool[npool++] = keep(&a, bytes, n, "edi", free_vg);
    pool[npool++] = events_piece(&a, 100, 3);
    pool[npool++] = events_piece(&a, 200, 1);
    pool[npool++] = keep(&a, (void *)(uintptr_t)spreadsheet_events, sizeof(spreadsheet_events) - 1,
                         "csv", NULL);
    static const char *const files[][2] = {
        { "tests/data/ingest/docs.jsonl", "jsonl" },
        { "tests/data/ingest/readme.txt", "txt" },
        { "tests/data/workbooks/manifest.xlsx", "xlsx" },
        { "tests/data/workbooks/manifest.ods", "ods" },
        { "tests/data/workbooks/manifest-libreoffice.xls", "xls" },
        { "tests/data/ais/meeting.nmea", "nmea" },
        { "tests/data/edifact/cuscar-replace.edi", "edi" },
    };
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        bytes = vg_test_read_file(vg_test_source(files[f][0]), &n);
        pool[npool++] = keep(&a, bytes, n, files[f][1], free_vg);
    }
    /* Events saved as "Unicode text" (UTF-16 with its byte-order mark). */
    const struct piece *ascii = &pool[2];
    char *utf16 = vg_arena_alloc(&a, 2 + ascii->len * 2);
    assert_non_null(utf16);
    utf16[0] = '\xff';
    utf16[1] = '\xfe';
    for (size_t i = 0; i < ascii->len; i++) {
        utf16[2 + 2 * i] = ascii->data[i];
        utf16[3 + 2 * i] = '\0';
    }
    pool[npool++] = (struct piece){ utf16, 2 + ascii->len * 2, "txt" };
    const size_t kinds = npool;

    /* VIGIA_TEST_FOLDERS=N tries N folders instead (a longer hunt). */
    const char *env = getenv("VIGIA_TEST_FOLDERS");
    uint32_t folders = env != NULL && atoi(env) > 0 ? (uint32_t)atoi(env) : 6;
    for (uint32_t seed = 1; seed <= folders; seed++) {
        uint32_t rnd = seed * 2654435761u;
        char dir[700];
        snprintf(dir, sizeof(dir), "%s/random-%u", vg_test_tmpdir(), seed);
        assert_int_equal(mkdir(dir, 0700), 0);
        struct piece entries[12];
        size_t nentries = 6 + next_random(&rnd) % 6;
        for (size_t i = 0; i < nentries; i++) {
            const struct piece *p = &pool[next_random(&rnd) % kinds];
            struct piece e = *p;
            switch (next_random(&rnd) % 7) {
            case 5: { /* Zstandard */
                size_t cap = ZSTD_compressBound(p->len);
                char *zst = vg_arena_alloc(&a, cap);
                assert_non_null(zst);
                size_t zn = ZSTD_compress(zst, cap, p->data, p->len, 1);
                assert_false(ZSTD_isError(zn));
                e = (struct piece){ zst, zn, "zst" };
                break;
            }
            case 0: { /* gzipped, every other one cut off */
                size_t gn = 0;
                char *gz = vg_test_gzip(p->data, p->len, &gn);
                e = keep(&a, gz, gn, "gz", free_vg);
                e.len -= next_random(&rnd) % 2 == 0 ? e.len / 3 : 0;
                break;
            }
            case 1:
            case 2: { /* a zip of pieces, nested or not */
                struct piece members[3];
                size_t m = 1 + next_random(&rnd) % 3;
                for (size_t k = 0; k < m; k++) {
                    members[k] = pool[next_random(&rnd) % kinds];
                }
                e = zip_piece(&a, members, m, next_random(&rnd) % 3 == 0, &rnd);
                break;
            }
            case 3: /* an earlier entry again, under another name */
                e = i > 0 ? entries[next_random(&rnd) % i] : e;
                break;
            default:
                break;
            }
            entries[i] = e;
            char path[800];
            snprintf(path, sizeof(path), "%s/e%02zu.%s", dir, i, e.ext);
            vg_test_write_file(path, e.data, e.len);
        }

        char one_name[32], two_name[32];
        snprintf(one_name, sizeof(one_name), "random-%u-one.db", seed);
        snprintf(two_name, sizeof(two_name), "random-%u-two.db", seed);
        struct vg_store *one = vg_tt_empty(one_name);
        struct vg_store *two = vg_tt_empty(two_name);
        const char *paths[1] = { dir };
        struct vg_ingest_report r;
        run_both_ways(one, two, paths, 1, ANY_STATUS, &r, NULL);
        run_both_ways(one, two, paths, 1, ANY_STATUS, &r, NULL);
        /* Some files change: new events appended to a copy of a piece. */
        for (size_t i = 0; i < nentries; i += 2 + next_random(&rnd) % 3) {
            struct piece more = events_piece(&a, 1000 + (int)(seed * 100 + i), 2);
            char path[800];
            snprintf(path, sizeof(path), "%s/e%02zu.%s", dir, i, entries[i].ext);
            unlink(path);
            snprintf(path, sizeof(path), "%s/e%02zu-new.csv", dir, i);
            vg_test_write_file(path, more.data, more.len);
        }
        run_both_ways(one, two, paths, 1, ANY_STATUS, &r, NULL);
        vg_store_close(one);
        vg_store_close(two);
    }
    vg_arena_release(&a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ingest_pipeline__run_read_ahead_as_one_thread),
    cmocka_unit_test(test_ingest_pipeline__files_read_whole_are_not_read_again),
    cmocka_unit_test(test_ingest_pipeline__compressed_files_read_ahead),
    cmocka_unit_test(test_ingest_pipeline__zip_members_read_ahead),
    cmocka_unit_test(test_ingest_pipeline__randomised_folders_read_ahead_as_one_thread),
    cmocka_unit_test(test_ingest_pipeline__workbooks_read_ahead),
    cmocka_unit_test(test_ingest_pipeline__files_known_by_status_not_opened),
    cmocka_unit_test(test_ingest_pipeline__files_in_transfer_left_out),
    cmocka_unit_test(test_ingest_pipeline__folder_of_small_files_in_one_batch),
    cmocka_unit_test(test_ingest_pipeline__default_batches_grow),
    cmocka_unit_test(test_ingest_pipeline__log_stays_bounded),
    cmocka_unit_test(test_ingest_pipeline__resumed_between_files_gives_the_clean_store),
    cmocka_unit_test(test_ingest_pipeline__same_store_as_one_thread),
    cmocka_unit_test(test_ingest_pipeline__checkpoints_beside_the_writer),
    cmocka_unit_test(test_ingest_pipeline__stopped_runs_complete_to_the_clean_result),
};

VG_TEST_MAIN(tests)
