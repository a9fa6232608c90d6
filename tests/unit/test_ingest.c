/* Ingest: CSV and JSON manifests and events into the store, identifiers checked and
 * flagged, bad records rejected with position, idempotence, amendments with history,
 * cancellations, collisions, and a run interrupted by a failure completed by a re-run to
 * exactly what a clean run gives.
 * ctest-labels: unit threads
 */
#include "vg_test.h"
#include "vg_targeting.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <vigia/alloc.h>
#include <vigia/audit.h>
#include <vigia/ingest.h>
#include <vigia/store.h>

#include "store/store_int.h"

static struct vg_store *new_store(const char *name)
{
    struct vg_store_options o = { .create = true, .actor = "tester" };
    struct vg_store *s = NULL;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_store_open(vg_test_tmpfile(name), &o, &s, &e), VG_OK, &e);
    return s;
}

static char *qs(struct vg_store *s, const char *sql, char *buf, size_t size)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
    buf[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL) {
        snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return buf;
}

static enum vg_status ingest(struct vg_store *s, const char *path, struct vg_ingest_report *r)
{
    const char *paths[1] = { path };
    struct vg_ingest_options o = { .default_sender = "test" };
    struct vg_error e;
    vg_error_clear(&e);
    return vg_ingest_paths(s, paths, 1, &o, r, &e);
}

static void test_ingest__csv_manifest_into_records(void **state)
{
    (void)state;
    struct vg_store *s = new_store("m.db");
    struct vg_ingest_report r;
    assert_int_equal(ingest(s, vg_test_source("tests/data/ingest/manifest.csv"), &r), VG_EPARTIAL);
    assert_int_equal(r.messages, 2);
    assert_int_equal(r.accepted, 2);
    assert_int_equal(r.rejected, 1);
    assert_int_equal(r.consignments, 2);
    assert_int_equal(r.containers, 3);
    char buf[256];
    /* Rows of one B/L anywhere in the file form one consignment. */
    assert_int_equal(vg_tt_int(s,
                               "SELECT count(*) FROM consignment_equipment ce JOIN consignments c"
                               " ON c.id = ce.consignment_id WHERE c.bl_number = 'MSCU123456789'"),
                     2);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM goods_items gi JOIN consignments c ON"
                                  " c.id = gi.consignment_id WHERE c.bl_number = 'MSCU123456789'"),
                     2);
    assert_string_equal(qs(s, "SELECT port_of_discharge FROM consignments WHERE bl_number ="
                              " 'MSCU123456789'", buf, sizeof(buf)), "BEANR");
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM consignment_places WHERE qualifier ="
                                  " 'transhipment' AND locode = 'PABLB'"),
                     1);
    /* The shipper under two spellings with one RUC is one party. */
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM parties WHERE ruc = '20100047218'"), 1);
    assert_int_equal(vg_tt_int(s, "SELECT count(DISTINCT party_id) FROM consignment_parties WHERE"
                                  " role = 'shipper'"),
                     1);
    /* Local departure 22:00 in Callao is 03:00 UTC the next day. */
    assert_int_equal(vg_tt_int(s, "SELECT etd FROM port_calls"), 1714791600);
    assert_int_equal(
        vg_tt_int(s, "SELECT count(*) FROM trips WHERE direction = 'export' AND port = 'PECLL'"),
        3);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM seals WHERE source_kind = 'manifest'"), 3);
    /* The bad check digit went in, as sent, flagged. */
    assert_int_equal(vg_tt_int(s, "SELECT valid FROM containers WHERE number = 'MSCU1234567'"), 0);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind = 'bad_check_digit' AND"
                                  " value = 'MSCU1234567' AND expected = 'check digit 6'"),
                     1);
    /* The unmapped column is kept with the message. */
    assert_int_equal(
        vg_tt_int(s, "SELECT count(*) FROM messages WHERE unmapped LIKE '%remark=fragile%'"), 1);
    /* Each message's rows are kept as sent, compressed (the writer packs what a CSV
     * reader hands it), and given back whole. */
    assert_int_equal(vg__raw_sql_function(s, NULL), VG_OK);
    assert_int_equal(vg_tt_int(s,
                               "SELECT count(*) FROM messages WHERE raw_codec = 'zstd' AND"
                               " length(raw) < length AND length(vg_raw(raw, raw_codec, length)) ="
                               " length"),
                     2);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM messages WHERE"
                                  " instr(vg_raw(raw, raw_codec, length), 'MSCU123456789') > 0"),
                     1);
    /* The row without a B/L is rejected with its line. */
    assert_int_equal(vg_tt_int(s, "SELECT line FROM rejects"), 5);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM audit_log WHERE action = 'ingest.batch'"),
                     1);
    vg_store_close(s);
}

/* Ingest switches SQLite's foreign-key checks off for speed: every reference it writes
 * must still hold, and the checks must be back on afterwards. The consignments of a party
 * (party_consignments, written sorted when a batch ends) are exactly the keys of
 * consignment_parties, after replacements (cuscar-replace.edi) too. */
static void test_ingest__references_hold_with_checks_off(void **state)
{
    (void)state;
    struct vg_store *s = new_store("fk.db");
    struct vg_ingest_report r;
    static const char *const files[] = {
        "tests/data/ingest/manifest.csv", "tests/data/ingest/events.csv",
        "tests/data/ingest/docs.jsonl",   "tests/data/edifact/cuscar.edi",
        "tests/data/edifact/codeco.edi",  "tests/data/edifact/cuscar-replace.edi",
        "tests/data/ais/meeting.nmea",
    };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        enum vg_status st = ingest(s, vg_test_source(files[i]), &r);
        assert_true(st == VG_OK || st == VG_EPARTIAL);
    }
    assert_true(vg_tt_int(s, "SELECT count(*) FROM equipment_events") > 0);
    assert_int_equal(vg_tt_int(s, "PRAGMA foreign_keys"), 1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_true(vg_tt_int(s, "SELECT count(*) FROM party_consignments") > 0);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM party_consignments"),
                     vg_tt_int(s, "SELECT count(*) FROM consignment_parties"));
    assert_int_equal(vg_tt_int(s,
                               "SELECT count(*) FROM (SELECT party_id, consignment_id, role"
                               " FROM consignment_parties EXCEPT SELECT party_id, consignment_id,"
                               " role FROM party_consignments)"),
                     0);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM (SELECT party_id, consignment_id, role"
                                  " FROM party_consignments EXCEPT SELECT party_id, consignment_id,"
                                  " role FROM consignment_parties)"),
                     0);
    vg_store_close(s);
}

static void test_ingest__same_file_twice_changes_nothing(void **state)
{
    (void)state;
    struct vg_store *s = new_store("twice.db");
    struct vg_ingest_report r;
    const char *dir = vg_test_source("tests/data/ingest");
    assert_int_equal(ingest(s, dir, &r), VG_EPARTIAL);
    int64_t audit = vg_tt_int(s, "SELECT count(*) FROM audit_log");
    int64_t events = vg_tt_int(s, "SELECT count(*) FROM equipment_events");
    int64_t findings = vg_tt_int(s, "SELECT count(*) FROM findings");
    int64_t rejects = vg_tt_int(s, "SELECT count(*) FROM rejects");
    int64_t seals = vg_tt_int(s, "SELECT count(*) FROM seals");
    /* Every file was read to its end (CSV and JSON rejects are read the same way by every
     * run): none is read again, so nothing is rejected again either. */
    assert_int_equal(ingest(s, dir, &r), VG_OK);
    assert_int_equal(r.accepted, 0);
    assert_int_equal(r.files_unchanged, 3);
    assert_int_equal(r.messages, 0);
    assert_int_equal(r.files_skipped, 1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM audit_log"), audit);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM equipment_events"), events);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings"), findings);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM rejects"), rejects);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM seals"), seals);
    vg_store_close(s);
}

static void test_ingest__csv_events_with_local_times_and_trips(void **state)
{
    (void)state;
    struct vg_store *s = new_store("e.db");
    struct vg_ingest_report r;
    assert_int_equal(ingest(s, vg_test_source("tests/data/ingest/events.csv"), &r), VG_EPARTIAL);
    assert_int_equal(r.events, 2);
    assert_int_equal(r.rejected, 2);
    /* 23:30 in Callao on 1 May is 04:30 UTC on 2 May. */
    assert_int_equal(vg_tt_int(s, "SELECT event_at FROM equipment_events WHERE kind = 'gate_in'"),
                     1714624200);
    assert_int_equal(
        vg_tt_int(
            s, "SELECT count(*) FROM seals WHERE source_kind = 'gate' AND seal_number = 'SL12345'"),
        1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM trips WHERE direction = 'export'"), 1);
    assert_int_equal(vg_tt_int(s, "SELECT loaded_at FROM trips"), 1714748400);
    assert_int_equal(
        vg_tt_int(
            s,
            "SELECT count(*) FROM rejects WHERE reason LIKE 'unknown or missing event kind%' AND line = 4"),
        1);
    assert_int_equal(
        vg_tt_int(s, "SELECT count(*) FROM rejects WHERE reason LIKE '%time%' AND line = 5"), 1);
    char buf[64];
    assert_string_equal(qs(s, "SELECT vehicle FROM equipment_events WHERE kind = 'gate_in'", buf, sizeof(buf)), "ABC-123");
    vg_store_close(s);
}

static void test_ingest__json_documents_and_lines(void **state)
{
    (void)state;
    struct vg_store *s = new_store("j.db");
    struct vg_ingest_report r;
    assert_int_equal(ingest(s, vg_test_source("tests/data/ingest/docs.jsonl"), &r), VG_EPARTIAL);
    assert_int_equal(r.rejected, 1);
    assert_int_equal(r.consignments, 1);
    assert_int_equal(r.events, 2);
    assert_int_equal(
        vg_tt_int(s, "SELECT count(*) FROM rejects WHERE line = 3 AND reason LIKE 'invalid JSON%'"),
        1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM trips WHERE port = 'PECHY'"), 1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM messages WHERE unmapped LIKE '%note%'"),
                     0); /* nested keys are mapped by object */
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM seals WHERE seal_number = 'CMA777'"), 2);
    vg_store_close(s);
}

static void write_text(const char *path, const char *text)
{
    vg_test_write_file(path, text, strlen(text));
}

static void test_ingest__amendment_cancel_and_collision(void **state)
{
    (void)state;
    struct vg_store *s = new_store("a.db");
    const char *dir = vg_test_tmpdir();
    char p1[700], p2[700], p3[700], p4[700];
    snprintf(p1, sizeof(p1), "%s/1.jsonl", dir);
    snprintf(p2, sizeof(p2), "%s/2.jsonl", dir);
    snprintf(p3, sizeof(p3), "%s/3.jsonl", dir);
    snprintf(p4, sizeof(p4), "%s/4.jsonl", dir);
#define BASE                                                                               \
    "{\"type\":\"manifest\",\"sender\":\"X\",\"document_number\":\"D1\","                   \
    "\"function\":\"%s\",\"voyage\":{\"port\":\"PECLL\",\"voyage\":\"V1\"},"                \
    "\"consignments\":[{\"bill_of_lading\":\"BL1\",\"equipment\":"                          \
    "[{\"container\":\"CSQU3054383\",\"seals\":[\"%s\"]}]}]}\n"
    char text[1024];
    snprintf(text, sizeof(text), BASE, "original", "S1");
    write_text(p1, text);
    snprintf(text, sizeof(text), BASE, "replace", "S2");
    write_text(p2, text);
    snprintf(text, sizeof(text), BASE, "original", "S3");
    write_text(p3, text);
    snprintf(text, sizeof(text), BASE, "cancel", "S3");
    write_text(p4, text);
    struct vg_ingest_report r;
    assert_int_equal(ingest(s, p1, &r), VG_OK);
    assert_int_equal(ingest(s, p2, &r), VG_OK);
    assert_int_equal(r.amended, 1);
    assert_int_equal(vg_tt_int(s, "SELECT version FROM consignments WHERE bl_number = 'BL1'"), 2);
    char buf[128];
    assert_string_equal(qs(s, "SELECT seal_number FROM seals WHERE source_kind = 'manifest'", buf, sizeof(buf)), "S2");
    /* The first version is kept as history. */
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM consignment_versions WHERE version = 1 AND"
                                  " snapshot LIKE '%S1%'"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM messages WHERE status = 'superseded'"), 1);
    assert_int_equal(ingest(s, p3, &r), VG_OK);
    assert_int_equal(r.collisions, 1);
    assert_int_equal(
        vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind = 'document_collision'"), 1);
    assert_int_equal(ingest(s, p4, &r), VG_OK);
    assert_int_equal(r.cancelled, 1);
    assert_string_equal(qs(s, "SELECT status FROM consignments WHERE bl_number = 'BL1'", buf, sizeof(buf)), "cancelled");
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM consignment_versions"), 3);
    /* Superseding an earlier message's events seeks them by message: a scan of every event
     * per amendment does not scale to a national store. */
    sqlite3_stmt *plan;
    assert_int_equal(sqlite3_prepare_v2(s->db,
                                        "EXPLAIN QUERY PLAN UPDATE equipment_events SET"
                                        " superseded = 1 WHERE message_id = 1",
                                        -1, &plan, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(plan), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(plan, 3),
                        "SEARCH equipment_events USING INDEX equipment_events_message"
                        " (message_id=?)");
    sqlite3_finalize(plan);
    /* A cancellation that names only the document cancels the consignments of the message
     * it cancels, found by message, not by a scan of every consignment. */
    char p5[700], p6[700];
    snprintf(p5, sizeof(p5), "%s/5.jsonl", dir);
    snprintf(p6, sizeof(p6), "%s/6.jsonl", dir);
    write_text(p5, "{\"type\":\"manifest\",\"sender\":\"X\",\"document_number\":\"D2\","
                   "\"function\":\"original\",\"voyage\":{\"port\":\"PECLL\",\"voyage\":\"V1\"},"
                   "\"consignments\":[{\"bill_of_lading\":\"BL2\",\"equipment\":"
                   "[{\"container\":\"CSQU3054383\"}]}]}\n");
    write_text(p6, "{\"type\":\"manifest\",\"sender\":\"X\",\"document_number\":\"D2\","
                   "\"function\":\"cancel\",\"voyage\":{\"port\":\"PECLL\",\"voyage\":\"V1\"},"
                   "\"consignments\":[]}\n");
    assert_int_equal(ingest(s, p5, &r), VG_OK);
    assert_int_equal(ingest(s, p6, &r), VG_OK);
    assert_int_equal(r.cancelled, 1);
    assert_string_equal(qs(s, "SELECT status FROM consignments WHERE bl_number = 'BL2'", buf, sizeof(buf)), "cancelled");
    /* No statement the ingests ran (original, replacement, collision, cancellations)
     * stepped through a whole table: each such cost grows with a national store. */
    int checked = vg_tt_no_full_scans(s, NULL, NULL);
    assert_true(checked >= 10);
    vg_store_close(s);
}

/* A canonical digest of what the store holds, independent of row ids and times. */
static void store_fingerprint(struct vg_store *s, char out[65])
{
    static const char *const queries[] = {
        "SELECT sender, hex(digest), status, msg_type, doc_number FROM messages ORDER BY 1,2",
        "SELECT bl_number, carrier, version, status, port_of_loading FROM consignments ORDER BY 1,2",
        "SELECT number, valid FROM containers ORDER BY 1",
        "SELECT k.number, e.kind, e.event_at, e.place, e.seals, e.superseded FROM equipment_events e"
        " JOIN containers k ON k.id = e.container_id ORDER BY 1,2,3",
        "SELECT k.number, s.seal_number, s.source_kind FROM seals s JOIN containers k ON"
        " k.id = s.container_id ORDER BY 1,2,3",
        "SELECT k.number, t.port, t.direction, t.loaded_at FROM trips t JOIN containers k ON"
        " k.id = t.container_id ORDER BY 1,2",
        "SELECT name_key, ruc FROM parties ORDER BY 1,2",
        "SELECT kind, byte_offset, value FROM findings ORDER BY 1,2,3",
        "SELECT byte_offset, reason FROM rejects ORDER BY 1,2",
    };
    struct vg_hasher h;
    vg_hasher_init(&h);
    for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(s->db, queries[i], -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const unsigned char *t = sqlite3_column_text(st, c);
                vg_hasher_update(&h, t != NULL ? (const char *)t : "<null>",
                                 t != NULL ? strlen((const char *)t) : 6);
                vg_hasher_update(&h, "|", 1);
            }
        }
        sqlite3_finalize(st);
    }
    uint8_t d[VG_DIGEST_SIZE];
    vg_hasher_final(&h, d);
    vg_digest_hex(d, out);
}

static void test_ingest__interrupted_run_completes_to_the_clean_result(void **state)
{
    (void)state;
    const char *dir = vg_test_source("tests/data/ingest");
    struct vg_store *clean = new_store("clean.db");
    struct vg_ingest_report r;
    assert_int_equal(ingest(clean, dir, &r), VG_EPARTIAL);
    char want[65];
    store_fingerprint(clean, want);
    vg_store_close(clean);
    /* Interrupt runs at many points (an allocation failure stops the run mid-file), then
     * finish with a normal run: the result must not depend on where it stopped. */
    for (unsigned long n = 5; n < 400; n += 37) {
        char name[32];
        snprintf(name, sizeof(name), "int%lu.db", n);
        struct vg_store *s = new_store(name);
        const char *paths[1] = { dir };
        struct vg_ingest_options o = { .default_sender = "test", .batch_size = 1 };
        struct vg_error e;
        vg_alloc_fail_nth(n);
        enum vg_status st = vg_ingest_paths(s, paths, 1, &o, &r, &e);
        vg_alloc_fail_nth(0);
        assert_true(st == VG_ENOMEM || st == VG_EPARTIAL);
        /* The files the stopped run read to their end are not read again (their rejects
         * not reported again): partly done, or done when it had read them all. */
        st = ingest(s, dir, &r);
        assert_true(st == VG_EPARTIAL || st == VG_OK);
        char got[65];
        store_fingerprint(s, got);
        assert_string_equal(got, want);
        struct vg_audit_report ar;
        assert_int_equal(vg_audit_verify(s, &ar, &e), VG_OK);
        vg_store_close(s);
    }
}

/* An allocation that fails while an events CSV row is read stops the run (VG_ENOMEM, the
 * batch rolled back); it never turns the row into a reject ("unknown or missing event
 * kind" for a kind lost to the failure, as it once did). With every allocation failing in
 * turn, the first run that gets through records exactly the clean run's rejects and
 * events. */
static void test_ingest__allocation_failure_is_never_a_reject(void **state)
{
    (void)state;
    const char *path = vg_test_source("tests/data/ingest/events.csv");
    struct vg_ingest_report r;
    struct vg_store *clean = new_store("oom-clean.db");
    assert_int_equal(ingest(clean, path, &r), VG_EPARTIAL);
    int64_t rejects = vg_tt_int(clean, "SELECT count(*) FROM rejects");
    int64_t events = vg_tt_int(clean, "SELECT count(*) FROM equipment_events");
    assert_true(rejects > 0 && events > 0);
    vg_store_close(clean);
    struct vg_store *s = new_store("oom-events.db");
    enum vg_status st = VG_ENOMEM;
    unsigned long n = 1;
    for (; n < 20000 && st == VG_ENOMEM; n++) {
        vg_alloc_fail_nth(n);
        st = ingest(s, path, &r);
        vg_alloc_fail_nth(0);
        if (st == VG_ENOMEM) {
            assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM rejects"), 0);
            assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM messages"), 0);
        }
    }
    assert_int_equal(st, VG_EPARTIAL);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM rejects"), rejects);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM equipment_events"), events);
    assert_true(n > 20); /* the failures did reach the reader */
    vg_store_close(s);
}

/* An empty folder (vigia sim --no-ais leaves feeds/ais empty) is read as nothing, cleanly
 * (it once handed qsort a NULL array: undefined behaviour under UBSan). */
static void test_ingest__empty_folder_is_nothing(void **state)
{
    (void)state;
    struct vg_store *s = new_store("empty.db");
    char dir[600];
    snprintf(dir, sizeof(dir), "%s/empty", vg_test_tmpdir());
    assert_int_equal(mkdir(dir, 0700), 0);
    struct vg_ingest_report r;
    assert_int_equal(ingest(s, dir, &r), VG_OK);
    assert_int_equal(r.files, 0);
    assert_int_equal(r.messages, 0);
    vg_store_close(s);
}

/* A replacement whose consignments are partly known: the known ones are versioned and
 * replaced, the new ones inserted (the writer inserts those ahead, together), a house after
 * its master and a repeated B/L as they come. Ids follow the document's order. */
static void test_ingest__replacement_with_known_and_new_consignments(void **state)
{
    (void)state;
    struct vg_store *s = new_store("mix.db");
    const char *dir = vg_test_tmpdir();
    char p1[700], p2[700];
    snprintf(p1, sizeof(p1), "%s/mix1.jsonl", dir);
    snprintf(p2, sizeof(p2), "%s/mix2.jsonl", dir);
#define MIX_HEAD                                                                           \
    "{\"type\":\"manifest\",\"sender\":\"X\",\"document_number\":\"D9\",\"function\":\"%s\","  \
    "\"voyage\":{\"port\":\"PECLL\",\"voyage\":\"V9\"},\"consignments\":["
#define MIX_BILL(bl) "{\"bill_of_lading\":\"" bl "\",\"goods\":[{\"description\":\"GOODS " bl "\"}]}"
    char text[2048];
    snprintf(text, sizeof(text), MIX_HEAD "%s]}\n", "original", MIX_BILL("A") "," MIX_BILL("B"));
    write_text(p1, text);
    snprintf(text, sizeof(text), MIX_HEAD "%s]}\n", "replace",
             MIX_BILL("A") "," MIX_BILL("C") "," MIX_BILL("B") "," MIX_BILL("D") ","
             "{\"bill_of_lading\":\"H\",\"master_bill_of_lading\":\"A\"},"
             MIX_BILL("E") "," MIX_BILL("C"));
    write_text(p2, text);
#undef MIX_HEAD
#undef MIX_BILL
    struct vg_ingest_report r;
    assert_int_equal(ingest(s, p1, &r), VG_OK);
    assert_int_equal(ingest(s, p2, &r), VG_OK);
    assert_int_equal(r.consignments, 7);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM consignments"), 6);
    char buf[128];
    assert_string_equal(qs(s, "SELECT group_concat(bl_number || ':' || version, ' ') FROM"
                              " (SELECT bl_number, version FROM consignments ORDER BY id)",
                           buf, sizeof(buf)),
                        "A:2 B:2 C:2 D:1 H:1 E:1");
    assert_int_equal(vg_tt_int(s,
                               "SELECT count(*) FROM consignments h JOIN consignments m ON"
                               " m.id = h.master_id WHERE h.bl_number = 'H' AND m.bl_number = 'A'"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM consignment_versions"), 3);
    assert_string_equal(qs(s, "SELECT goods_description FROM consignments WHERE bl_number = 'D'",
                           buf, sizeof(buf)),
                        "GOODS D");
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM goods_items"), 5); /* C's replaced */
    vg_store_close(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ingest__csv_manifest_into_records),
    cmocka_unit_test(test_ingest__references_hold_with_checks_off),
    cmocka_unit_test(test_ingest__same_file_twice_changes_nothing),
    cmocka_unit_test(test_ingest__csv_events_with_local_times_and_trips),
    cmocka_unit_test(test_ingest__json_documents_and_lines),
    cmocka_unit_test(test_ingest__amendment_cancel_and_collision),
    cmocka_unit_test(test_ingest__replacement_with_known_and_new_consignments),
    cmocka_unit_test(test_ingest__interrupted_run_completes_to_the_clean_result),
    cmocka_unit_test(test_ingest__allocation_failure_is_never_a_reject),
    cmocka_unit_test(test_ingest__empty_folder_is_nothing),
};

VG_TEST_MAIN(tests)
