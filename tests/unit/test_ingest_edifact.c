/* EDIFACT into the store: a CUSCAR manifest with parties, goods, equipment and seals; a
 * CODECO with gate moves and the truck; the shared COARRI and BAPLIE samples with their
 * real values; rejects that keep the good messages; amendments; idempotence.
 * ctest-labels: unit golden threads
 */
#include "vg_test.h"
#include "vg_targeting.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vigia/alloc.h>
#include <vigia/ingest.h>
#include <vigia/store.h>

#include "store/store_int.h"

static struct vg_store *new_store(const char *name)
{
    struct vg_store_options o = { .create = true, .actor = "tester" };
    struct vg_store *s = NULL;
    struct vg_error e;
    assert_int_equal(vg_store_open(vg_test_tmpfile(name), &o, &s, &e), VG_OK);
    return s;
}

static const char *qs(struct vg_store *s, const char *sql)
{
    static char buf[512];
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
    buf[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL) {
        snprintf(buf, sizeof(buf), "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return buf;
}

static enum vg_status ingest(struct vg_store *s, const char *path, bool tolerate,
                             struct vg_ingest_report *r)
{
    const char *paths[1] = { path };
    struct vg_ingest_options o = { .tolerate_counts = tolerate };
    struct vg_error e;
    vg_error_clear(&e);
    return vg_ingest_paths(s, paths, 1, &o, r, &e);
}

static void test_ingest_edifact__cuscar_manifest(void **state)
{
    (void)state;
    struct vg_store *s = new_store("c.db");
    struct vg_ingest_report r;
    assert_int_equal(ingest(s, vg_test_source("tests/data/edifact/cuscar.edi"), false, &r), VG_EPARTIAL);
    /* The good message goes in; the one with a wrong count and the one with a wrong
     * reference are rejected whole, with their reasons. */
    assert_int_equal(r.accepted, 1);
    assert_int_equal(r.rejected, 2);
    assert_int_equal(
        vg_tt_int(s, "SELECT count(*) FROM rejects WHERE reason LIKE 'UNT segment count 99%'"), 1);
    assert_int_equal(
        vg_tt_int(s,
                  "SELECT count(*) FROM rejects WHERE reason LIKE 'UNT reference ''WRONGREF''%'"),
        1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM consignments"), 2);
    assert_string_equal(qs(s, "SELECT port_of_discharge FROM consignments WHERE bl_number = 'MSCU123456789'"), "BEANR");
    assert_int_equal(
        vg_tt_int(
            s,
            "SELECT count(*) FROM consignment_places WHERE qualifier = 'transhipment' AND locode = 'PABLB'"),
        1);
    /* The vessel by IMO, the call at Callao with its departure in local time. */
    assert_int_equal(vg_tt_int(s, "SELECT imo FROM vessels"), 9074729);
    assert_string_equal(qs(s, "SELECT name FROM vessels"), "MSC ANNA");
    assert_int_equal(
        vg_tt_int(s, "SELECT etd FROM port_calls WHERE port = 'PECLL' AND voyage = 'FA123E'"),
        1714791600);
    assert_string_equal(qs(s, "SELECT next_port FROM port_calls"), "PABLB");
    /* Parties: the shipper under two spellings is one party by its RUC; the release
     * character in "OCEAN?+AIR" and "O?'BRIEN" is undone. */
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM parties WHERE ruc = '20100047218'"), 1);
    assert_int_equal(
        vg_tt_int(
            s, "SELECT count(*) FROM consignment_parties WHERE name = 'OCEAN+AIR LOGISTICS SAC'"),
        1);
    assert_int_equal(
        vg_tt_int(s, "SELECT count(*) FROM consignment_parties WHERE name = 'O''BRIEN FOODS LTD'"),
        1);
    /* Goods: description lines joined, HS, packages, weight, value. */
    assert_string_equal(qs(s, "SELECT description FROM goods_items WHERE hs_code = '080440'"), "FRESH AVOCADOS HASS VARIETY");
    assert_int_equal(vg_tt_int(s, "SELECT packages FROM goods_items WHERE hs_code = '080440'"),
                     1800);
    assert_int_equal(vg_tt_int(s, "SELECT value FROM goods_items WHERE hs_code = '080440'"), 48000);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM goods_placement"), 2);
    /* Equipment and seals with who applied them; the bad check digit is kept, flagged. */
    assert_int_equal(
        vg_tt_int(
            s,
            "SELECT gross_kg FROM consignment_equipment ce JOIN containers k ON k.id = ce.container_id WHERE k.number = 'CSQU3054383'"),
        25480);
    assert_int_equal(
        vg_tt_int(
            s,
            "SELECT count(*) FROM seals WHERE seal_number = 'CU99887' AND sealing_party = 'CU' AND source_kind = 'manifest'"),
        1);
    assert_int_equal(
        vg_tt_int(
            s,
            "SELECT count(*) FROM findings WHERE kind = 'bad_check_digit' AND value = 'MSCU1234567' AND segment_no = 35"),
        1);
    assert_int_equal(
        vg_tt_int(
            s,
            "SELECT count(*) FROM findings WHERE kind = 'bad_check_digit' AND value = '20512345676'"),
        1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM trips WHERE direction = 'export'"), 2);
    vg_store_close(s);
}

/* Weights come in kilograms, tonnes, pounds, grams, or the KGS that senders write for
 * kilograms; one in a unit that is not of mass goes in unused and flagged (unknown_unit),
 * its consignment and container with it. */
static void test_ingest_edifact__weight_units(void **state)
{
    (void)state;
    struct vg_store *s = new_store("units.db");
    static const char text[] =
        "UNA:+.? 'UNB+UNOC:3+MSCPE:ZZZ+SUNAT:ZZZ+240502:0930+ICU1'UNH+1+CUSCAR:D:95B:UN'BGM+785+CUS"
        "UNITS+9'DTM+137:202405020930:203'TDT+20+V1+1++MSC:172:20+++9074729:146:11:MSC ANNA:PA'LOC+"
        "9+PECLL:139:6'DTM+133:202405032200:203'CNI+1+BLU1'LOC+9+PECLL:139:6'LOC+11+BEANR:139:6'NAD"
        "+CZ+20100047218:RUC:ZZZ++AGRO NORTE SAC+AV INDUSTRIAL "
        "100+LIMA++15001+PE'GID+1+1800:CT'FTX+AAA+++FRESH AVOCADOS'PIA+5+080440:HS'MEA+WT+G+KGM:216"
        "00'SGP+MSCU1000017+1800'EQD+CN+MSCU1000017+45R1:102:5+++5'MEA+AAE+G+KGS:25480'SEL+SL1+SH'C"
        "NI+2+BLU2'LOC+9+PECLL:139:6'LOC+11+BEANR:139:6'NAD+CZ+20100047218:RUC:ZZZ++AGRO NORTE "
        "SAC+AV INDUSTRIAL 100+LIMA++15001+PE'GID+1+1800:CT'FTX+AAA+++FRESH AVOCADOS'PIA+5+080440:H"
        "S'MEA+WT+G+KGM:21600'SGP+MSCU1000022+1800'EQD+CN+MSCU1000022+45R1:102:5+++5'MEA+AAE+G+TNE:"
        "25.48'SEL+SL2+SH'CNI+3+BLU3'LOC+9+PECLL:139:6'LOC+11+BEANR:139:6'NAD+CZ+20100047218:RUC:ZZ"
        "Z++AGRO NORTE SAC+AV INDUSTRIAL 100+LIMA++15001+PE'GID+1+1800:CT'FTX+AAA+++FRESH AVOCADOS'"
        "PIA+5+080440:HS'MEA+WT+G+GRM:21600000'SGP+MSCU1000038+1800'EQD+CN+MSCU1000038+45R1:102:5++"
        "+5'MEA+AAE+G+LBR:56173.3'SEL+SL3+SH'CNI+4+BLU4'LOC+9+PECLL:139:6'LOC+11+BEANR:139:6'NAD+CZ"
        "+20100047218:RUC:ZZZ++AGRO NORTE SAC+AV INDUSTRIAL "
        "100+LIMA++15001+PE'GID+1+1800:CT'FTX+AAA+++FRESH AVOCADOS'PIA+5+080440:HS'MEA+WT+G+KGM:216"
        "00'SGP+MSCU1000043+1800'EQD+CN+MSCU1000043+45R1:102:5+++5'MEA+AAE+G+XYZ:100'SEL+SL4+SH'UNT"
        "+55+1'UNZ+1+ICU1'";
    struct vg_ingest_report r;
    struct vg_error e;
    vg_error_clear(&e);
    assert_int_equal(vg_ingest_buffer(s, "units.edi", text, sizeof(text) - 1, NULL, &r, &e), VG_OK);
    assert_int_equal(r.accepted, 1);
    assert_int_equal(r.consignments, 4);
    static const char gross_sql[] =
        "SELECT round(ce.gross_kg) FROM consignment_equipment ce JOIN containers k ON"
        " k.id = ce.container_id WHERE k.number = '%s'";
    static const char *const numbers[] = { "MSCU1000017", "MSCU1000022", "MSCU1000038" };
    for (size_t i = 0; i < 3; i++) {
        char sql[256];
        snprintf(sql, sizeof(sql), gross_sql, numbers[i]);
        assert_int_equal(vg_tt_int(s, sql), 25480);
    }
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM consignment_equipment ce JOIN containers k"
                                  " ON k.id = ce.container_id WHERE k.number = 'MSCU1000043'"
                                  " AND ce.gross_kg IS NULL"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT round(g.gross_kg) FROM goods_items g JOIN consignments c"
                                  " ON c.id = g.consignment_id WHERE c.bl_number = 'BLU3'"),
                     21600);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind = 'unknown_unit' AND"
                                  " value = 'XYZ' AND field = 'MEA C174'"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings"), 1);
    vg_store_close(s);
}

static void test_ingest_edifact__codeco_gate_moves(void **state)
{
    (void)state;
    struct vg_store *s = new_store("g.db");
    struct vg_ingest_report r;
    assert_int_equal(ingest(s, vg_test_source("tests/data/edifact/codeco.edi"), false, &r), VG_OK);
    assert_int_equal(r.events, 3);
    /* 23:30 in Callao on 1 May is 04:30 UTC on 2 May. */
    assert_int_equal(
        vg_tt_int(
            s,
            "SELECT event_at FROM equipment_events e JOIN containers k ON k.id = e.container_id WHERE k.number = 'CSQU3054383' AND kind = 'gate_in'"),
        1714624200);
    assert_string_equal(qs(s, "SELECT vehicle FROM equipment_events WHERE kind = 'gate_in' AND vehicle IS NOT NULL"), "ABC123");
    assert_string_equal(qs(s, "SELECT terminal FROM equipment_events WHERE kind = 'gate_out'"), "DPW");
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM seals WHERE source_kind = 'gate'"), 3);
    assert_int_equal(
        vg_tt_int(
            s,
            "SELECT gross_kg FROM equipment_events WHERE kind = 'gate_in' AND gross_kg IS NOT NULL"),
        25480);
    vg_store_close(s);
}

static void test_ingest_edifact__coarri_sample_values(void **state)
{
    (void)state;
    struct vg_store *s = new_store("a.db");
    struct vg_ingest_report r;
    assert_int_equal(ingest(s, vg_test_shared("edifact/php-edifact/D95BCOARRI.edi"), false, &r), VG_OK);
    assert_true(r.events > 10);
    /* FCIU9908030 discharged at Genoa (VTE terminal), 03 Feb 2016 09:13 local = 08:13 UTC,
     * stowage 380886, gross weight 8914 kg. */
    assert_int_equal(
        vg_tt_int(
            s,
            "SELECT event_at FROM equipment_events e JOIN containers k ON k.id = e.container_id WHERE k.number = 'FCIU9908030'"),
        1454487180);
    assert_string_equal(qs(s, "SELECT kind FROM equipment_events e JOIN containers k ON k.id = e.container_id WHERE k.number = 'FCIU9908030'"), "discharge");
    assert_string_equal(qs(s, "SELECT place || '/' || terminal || '/' || stowage FROM equipment_events e JOIN containers k ON k.id = e.container_id WHERE k.number = 'FCIU9908030'"), "ITGOA/VTE/380886");
    assert_int_equal(
        vg_tt_int(
            s,
            "SELECT gross_kg FROM equipment_events e JOIN containers k ON k.id = e.container_id WHERE k.number = 'FCIU9908030'"),
        8914);
    assert_string_equal(qs(s, "SELECT call_sign FROM vessels"), "3ERX3");
    assert_int_equal(
        vg_tt_int(s, "SELECT count(*) FROM trips WHERE direction = 'import' AND port = 'ITGOA'"),
        r.events > 0
            ? vg_tt_int(
                  s,
                  "SELECT count(DISTINCT container_id) FROM equipment_events WHERE kind = 'discharge'")
            : 0);
    vg_store_close(s);
}

static void test_ingest_edifact__bay_plan_609_containers(void **state)
{
    (void)state;
    struct vg_store *s = new_store("b.db");
    struct vg_ingest_report r;
    const char *path = vg_test_shared("edifact/parse-baplie/demo_v22.edi");
    /* Its UNT count is 4 segments off: rejected whole by default, with the reason... */
    assert_int_equal(ingest(s, path, false, &r), VG_EPARTIAL);
    assert_int_equal(r.rejected, 1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM equipment_events"), 0);
    assert_int_equal(
        vg_tt_int(s, "SELECT count(*) FROM rejects WHERE reason LIKE 'UNT segment count 006020%'"),
        1);
    /* ...and taken, flagged, once the operator tolerates miscounts. */
    assert_int_equal(ingest(s, path, true, &r), VG_OK);
    assert_int_equal(r.events, 609);
    assert_int_equal(
        vg_tt_int(
            s, "SELECT count(DISTINCT container_id) FROM equipment_events WHERE kind = 'stowage'"),
        609);
    /* The two real numbers with bad check digits went in, as sent, flagged. */
    assert_int_equal(
        vg_tt_int(
            s,
            "SELECT count(*) FROM containers WHERE valid = 0 AND number IN ('GLDU2028920', 'ETEU3598940')"),
        2);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind = 'bad_check_digit'"),
                     2);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind = 'control_count'"), 1);
    assert_string_equal(qs(s, "SELECT stowage FROM equipment_events e JOIN containers k ON k.id = e.container_id WHERE k.number = 'LMCU1049946'"), "0110382");
    assert_int_equal(
        vg_tt_int(
            s,
            "SELECT gross_kg FROM equipment_events e JOIN containers k ON k.id = e.container_id WHERE k.number = 'LMCU1049946'"),
        2280);
    assert_string_equal(qs(s, "SELECT name FROM vessels"), "X-PRESS EUPHRATES");
    assert_string_equal(qs(s, "SELECT port || '>' || next_port FROM port_calls"), "AEKHL>BHBAH");
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM trips WHERE port = 'AEKHL'"), 609);
    vg_store_close(s);
}

static void test_ingest_edifact__every_shared_sample_goes_in_or_is_explained(void **state)
{
    (void)state;
    struct vg_store *s = new_store("all.db");
    struct vg_ingest_report r;
    enum vg_status st = ingest(s, vg_test_shared("edifact"), false, &r);
    assert_true(st == VG_OK || st == VG_EPARTIAL);
    /* Every message is accounted for: accepted, duplicate or rejected with a reason. */
    assert_int_equal(r.messages, r.accepted + r.duplicates);
    assert_int_equal(
        vg_tt_int(s, "SELECT count(*) FROM rejects WHERE reason = '' OR reason IS NULL"), 0);
    assert_true(r.files_skipped >= 3); /* the expected-output files (.json, .tsv, .xml) */
    /* Unmapped message types are kept as received. */
    assert_true(
        vg_tt_int(
            s, "SELECT count(*) FROM messages WHERE msg_type = 'PAXLST' AND raw IS NOT NULL") == 1);
    int64_t audit = vg_tt_int(s, "SELECT count(*) FROM audit_log");
    int64_t rows = vg_tt_int(
        s,
        "SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM findings) + (SELECT count(*) FROM rejects) + (SELECT count(*) FROM equipment_events)");
    st = ingest(s, vg_test_shared("edifact"), false, &r);
    assert_int_equal(r.accepted, 0);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM audit_log"), audit);
    assert_int_equal(
        vg_tt_int(
            s,
            "SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM findings) + (SELECT count(*) FROM rejects) + (SELECT count(*) FROM equipment_events)"),
        rows);
    vg_store_close(s);
}

/* Every message keeps its bytes as sent: compressed when that saves space, and given back
 * exactly (vg_raw, store/raw.c) - compared with the file at the message's offset. */
static void test_ingest_edifact__raw_bytes_kept_compressed_and_given_back(void **state)
{
    (void)state;
    struct vg_store *s = new_store("raw.db");
    struct vg_ingest_report r;
    enum vg_status st = ingest(s, vg_test_shared("edifact"), false, &r);
    assert_true(st == VG_OK || st == VG_EPARTIAL);
    sqlite3_stmt *sel;
    assert_int_equal(sqlite3_prepare_v2(s->db,
                                        "SELECT f.path, m.byte_offset, m.length, m.raw, m.raw_codec"
                                        " FROM messages m JOIN ingest_files f ON f.id = m.file_id"
                                        " WHERE m.format = 'EDIFACT'",
                                        -1, &sel, NULL),
                     SQLITE_OK);
    int checked = 0, packed = 0;
    size_t sent = 0, kept = 0;
    while (sqlite3_step(sel) == SQLITE_ROW) {
        const char *path = (const char *)sqlite3_column_text(sel, 0);
        int64_t offset = sqlite3_column_int64(sel, 1);
        size_t length = (size_t)sqlite3_column_int64(sel, 2);
        const void *blob = sqlite3_column_blob(sel, 3);
        size_t blob_len = (size_t)sqlite3_column_bytes(sel, 3);
        const char *codec = (const char *)sqlite3_column_text(sel, 4);
        assert_non_null(blob);
        char *bytes = NULL;
        size_t n = 0;
        struct vg_error e;
        assert_int_equal(vg_raw_decode(codec, blob, blob_len, length, &bytes, &n, &e), VG_OK);
        assert_int_equal(n, length);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        char *want = malloc(length + 1);
        assert_int_equal(fseek(f, (long)offset, SEEK_SET), 0);
        assert_int_equal(fread(want, 1, length, f), length);
        fclose(f);
        assert_memory_equal(bytes, want, length);
        free(want);
        vg_free(bytes);
        checked++;
        packed += codec != NULL;
        sent += length;
        kept += blob_len;
        if (codec != NULL) {
            assert_string_equal(codec, VG_RAW_ZSTD);
            assert_true(blob_len < length);
        } else {
            assert_int_equal(blob_len, length);
        }
    }
    sqlite3_finalize(sel);
    assert_true(checked >= 10); /* the shared samples hold 11 messages */
    assert_true(packed > 0);
    assert_true(kept < sent);
    /* The SQL function gives the same bytes; a damaged frame is an error, not a guess. */
    assert_int_equal(vg__raw_sql_function(s, NULL), VG_OK);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM messages WHERE raw_codec IS NOT NULL AND"
                                  " length(vg_raw(raw, raw_codec, length)) <> length"),
                     0);
    /* Read as text: bytes of a declared ISO 8859-1 interchange come out as UTF-8. */
    static const char latin[] =
        "UNA:+.? 'UNB+UNOC:3+MSCPE:ZZZ+SUNAT:ZZZ+240502:0930+L1'UNH+1+CUSCAR:D:95B:UN'"
        "BGM+785+CUS-L+9'TDT+20+V1+1++MSC:172:20+++9074729:146:11:MSC ANNA'"
        "LOC+9+PECLL:139:6'CNI+1+BLL1'NAD+CZ+++EXPORTADORA \xd1" "AND\xda" " SAC+AV LIMA 1+LIMA++1+PE'"
        "EQD+CN+MSCU1234566+45R1:102:5'UNT+8+1'UNZ+1+L1'";
    struct vg_ingest_report lr;
    struct vg_error le;
    assert_int_equal(vg_ingest_buffer(s, "latin.edi", latin, sizeof(latin) - 1, NULL, &lr, &le),
                     VG_OK);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM messages m JOIN interchanges i ON"
                                  " i.id = m.interchange_id WHERE m.doc_number = 'CUS-L' AND"
                                  " instr(vg_raw_text(m.raw, m.raw_codec, m.length, i.charset),"
                                  " 'EXPORTADORA \xc3\x91"
                                  "AND\xc3\x9a"
                                  " SAC') > 0"),
                     1);
    char *out = NULL;
    size_t n = 0;
    struct vg_error e;
    assert_int_equal(vg_raw_decode(VG_RAW_ZSTD, "not a frame", 11, 11, &out, &n, &e), VG_EPARSE);
    assert_int_equal(vg_raw_decode("lz9", "x", 1, 1, &out, &n, &e), VG_EPARSE);
    assert_null(out);
    vg_store_close(s);
}

/* With --no-raw nothing is kept, compressed or not. */
static void test_ingest_edifact__no_raw_keeps_no_bytes(void **state)
{
    (void)state;
    struct vg_store *s = new_store("noraw.db");
    struct vg_ingest_options o = { .no_raw = true };
    struct vg_ingest_report r;
    const char *paths[1] = { vg_test_shared("edifact") };
    struct vg_error e;
    enum vg_status st = vg_ingest_paths(s, paths, 1, &o, &r, &e);
    assert_true(st == VG_OK || st == VG_EPARTIAL);
    assert_true(vg_tt_int(s, "SELECT count(*) FROM messages") >= 10);
    assert_int_equal(
        vg_tt_int(s,
                  "SELECT count(*) FROM messages WHERE raw IS NOT NULL OR raw_codec IS NOT NULL"),
        0);
    vg_store_close(s);
}

static void test_ingest_edifact__replacement_keeps_history(void **state)
{
    (void)state;
    struct vg_store *s = new_store("r.db");
    struct vg_ingest_report r;
    assert_int_equal(ingest(s, vg_test_source("tests/data/edifact/cuscar.edi"), false, &r), VG_EPARTIAL);
    assert_int_equal(ingest(s, vg_test_source("tests/data/edifact/cuscar-replace.edi"), false, &r), VG_OK);
    assert_int_equal(r.amended, 1);
    assert_int_equal(
        vg_tt_int(s, "SELECT version FROM consignments WHERE bl_number = 'MSCU123456789'"), 2);
    assert_int_equal(
        vg_tt_int(
            s,
            "SELECT count(*) FROM seals WHERE source_kind = 'manifest' AND seal_number = 'SL12346'"),
        1);
    assert_int_equal(
        vg_tt_int(
            s,
            "SELECT count(*) FROM seals WHERE source_kind = 'manifest' AND seal_number = 'SL12345'"),
        0);
    assert_int_equal(
        vg_tt_int(s, "SELECT count(*) FROM consignment_versions WHERE snapshot LIKE '%SL12345%'"),
        1);
    assert_int_equal(
        vg_tt_int(
            s,
            "SELECT count(*) FROM messages WHERE status = 'superseded' AND doc_number = 'CUS-2024-0815'"),
        1);
    /* Replacing a consignment reads its seals through its containers' index, never by a
     * scan of every seal in the store (that was linear in the store: 107 ms per consignment
     * at half a million seals). More generally no statement the ingest ran, first manifest or
     * replacement, stepped through a whole table: each cost would grow with a national store. */
    int seals = 0;
    int checked = vg_tt_no_full_scans(s, "seals", &seals);
    assert_true(checked >= 10);
    assert_true(seals >= 2); /* the replaced version's snapshot and the seals' removal */
    vg_store_close(s);
}

/* A bay plan from each port of one voyage, same document number: both stand. */
static void test_ingest_edifact__bay_plans_of_two_ports_of_one_voyage(void **state)
{
    (void)state;
    struct vg_store *s = new_store("bp.db");
    static const char plan[] =
        "UNB+UNOC:3+MSCPE+VIGIA+240502:1200+%d'"
        "UNH+1+BAPLIE:D:95B:UN:SMDG22'BGM++FA123E+9'DTM+137:202405021200:203'"
        "TDT+20+FA123E+++MSC:172:20+++9074729:146:11:MSC ANNA'"
        "LOC+5+%s:139:6'LOC+61+PABLB:139:6'DTM+136:%s:203'"
        "LOC+147+0120282::5'MEA+WT++KGM:25480'LOC+9+%s'LOC+11+BEANR'"
        "EQD+CN+%s+45R1+++5'UNT+13+1'UNZ+1+%d'";
    char text[1024];
    struct vg_ingest_report r;
    struct vg_error e;
    struct vg_ingest_options o = { 0 };
    snprintf(text, sizeof(text), plan, 1, "PECLL", "202405021800", "PECLL", "CSQU3054383", 1);
    assert_int_equal(vg_ingest_buffer(s, "callao.edi", text, strlen(text), &o, &r, &e), VG_OK);
    assert_int_equal(r.accepted, 1);
    snprintf(text, sizeof(text), plan, 2, "PECHY", "202405031800", "PECHY", "MSCU1234566", 2);
    assert_int_equal(vg_ingest_buffer(s, "chancay.edi", text, strlen(text), &o, &r, &e), VG_OK);
    assert_int_equal(r.accepted, 1);
    assert_int_equal(r.collisions, 0);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM messages WHERE status = 'accepted'"), 2);
    assert_string_equal(qs(s, "SELECT group_concat(doc_number, ' ') FROM"
                              " (SELECT doc_number FROM messages ORDER BY id)"),
                        "FA123E@PECLL FA123E@PECHY");
    /* Callao's stowage is still in force. */
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM equipment_events WHERE kind = 'stowage'"
                                  " AND superseded = 0"),
                     2);
    vg_store_close(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ingest_edifact__bay_plans_of_two_ports_of_one_voyage),
    cmocka_unit_test(test_ingest_edifact__cuscar_manifest),
    cmocka_unit_test(test_ingest_edifact__weight_units),
    cmocka_unit_test(test_ingest_edifact__codeco_gate_moves),
    cmocka_unit_test(test_ingest_edifact__coarri_sample_values),
    cmocka_unit_test(test_ingest_edifact__bay_plan_609_containers),
    cmocka_unit_test(test_ingest_edifact__every_shared_sample_goes_in_or_is_explained),
    cmocka_unit_test(test_ingest_edifact__raw_bytes_kept_compressed_and_given_back),
    cmocka_unit_test(test_ingest_edifact__no_raw_keeps_no_bytes),
    cmocka_unit_test(test_ingest_edifact__replacement_keeps_history),
};

VG_TEST_MAIN(tests)
