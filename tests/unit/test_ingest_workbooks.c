/* Spreadsheet workbooks (src/ingest/xlsx.c, ods.c, xls.c): each worksheet read as the CSV layouts
 * of docs/formats.md, one line per sheet row; cells as their text, numbers, dates in either
 * date system, zero-padded codes; a workbook that cannot be read refused whole once; the
 * amount of text a workbook may inflate to bounded. tests/data/workbooks/manifest.xlsx was
 * saved by openpyxl (make_workbook.py beside it); manifest.ods and
 * manifest-libreoffice.xlsx are LibreOffice 7.4's conversions of it (soffice --headless
 * --convert-to ods, then that to xlsx), manifest-libreoffice.xls its conversion to Excel
 * 97-2003 (--convert-to xls). */
#include "../../fuzz/workbook_build.h"
#include "ingest/ingest_int.h"
#include "ingest/zipxml.h"
#include "vg_targeting.h"
#include "vg_test.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <vigia/alloc.h>
#include <vigia/ingest.h>
#include <vigia/store.h>

/* What the zip archive data[0..len) holds (vg__zx_kind); -1 when it is no archive. */
static int kind_of(const char *data, size_t len)
{
    zip_t *z = vg__zx_open(data, len, "zip", NULL);
    int kind = z != NULL ? (int)vg__zx_kind(z) : -1;
    if (z != NULL) {
        zip_discard(z);
    }
    return kind;
}

/* Reads the workbook data[0..len) as the ingest does: by its kind, within max bytes (0: the
 * bound of its size). */
static enum vg_status
book_read(const char *data, size_t len, size_t max, struct ing_workbook *x, struct vg_error *e)
{
    zip_t *z = vg__zx_open(data, len, "zip", e);
    assert_non_null(z);
    max = max != 0 ? max : vg__ing_decompressed_max(len);
    enum vg_status st = vg__zx_kind(z) == VG__ZX_ODS ? vg__ing_ods_read(z, max, x, e)
                                                     : vg__ing_xlsx_read(z, max, x, e);
    zip_discard(z);
    return st;
}

/* The text of sheet i of the workbook data. */
static void sheet_text(const char *data, size_t len, size_t i, char *out, size_t size)
{
    struct ing_workbook x;
    struct vg_error e;
    vg_error_clear(&e);
    enum vg_status st = book_read(data, len, 0, &x, &e);
    if (st != VG_OK) {
        fail_msg("workbook: %s", e.message);
    }
    assert_true(i < x.nsheets);
    snprintf(out, size, "%.*s", (int)x.sheets[i].len, x.text.data + x.sheets[i].offset);
    vg__ing_workbook_release(&x);
}

static char *read_named(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof(path), "tests/data/workbooks/%s", name);
    char *data = vg_test_read_file(vg_test_source(path), len);
    assert_non_null(data);
    return data;
}

static char *read_workbook(size_t *len)
{
    return read_named("manifest.xlsx", len);
}

/* The workbook a spreadsheet program saved: a title and an empty row above the typed
 * headers, date cells in a day-first format, the HS code as a number shown with six
 * digits, a two-line address, a comma and quotes in text, a second sheet of events with
 * seconds, a third sheet of notes. */
static void test_ingest_workbooks__sheets_as_csv_rows(void **state)
{
    (void)state;
    size_t len;
    char *data = read_workbook(&len);
    assert_true(kind_of(data, len) == VG__ZX_XLSX);
    char text[4096];
    sheet_text(data, len, 0, text, sizeof(text));
    assert_string_equal(
        text,
        "Manifiesto de carga - MSC ANNA FA123E\n"
        "\n"
        "Bill of Lading,Carrier,Vessel Name,Vessel IMO,Voyage,Port of Loading,Port of "
        "Discharge,Departure,Shipper Name,Shipper ID,Shipper Address,Consignee Name,Consignee "
        "Country,Container,Size Type,Seals,HS Code,Description,Packages,Gross kg\n"
        "MSCU123456789,MSC,MSC ANNA,9074729,FA123E,PECLL,BEANR,2024-05-03T22:00,Agro Norte "
        "S.A.C.,20100047218,Av. Industrial 100 Lima,Fruit BV,NL,CSQU3054383,45R1,SL12345,080440,"
        "FRESH AVOCADOS,1800,21600.5\n"
        "MSCU123456790,MSC,MSC ANNA,9074729,FA123E,PECLL,NLRTM,2024-05-03T22:00,\"Exportadora "
        "Perú, S.A.C.\",20100047219,,Other BV,NL,MSCU1234567,45R1,SL9,081040,\"BLUEBERRIES "
        "\"\"PREMIUM\"\"\",2000,9000\n"
        ",MSC,MSC ANNA,9074729,FA123E,PECLL,BEANR,,x,,,y,NL,TCNU7200794,45R1,,,,,\n");
    sheet_text(data, len, 1, text, sizeof(text));
    assert_string_equal(text, "Container,Event,Time,Port,Terminal,Seals\n"
                              "CSQU3054383,gate_in,2024-05-01T23:30,PECLL,DPW,SL12345\n"
                              "CSQU3054383,load,2024-05-03T10:00:15,PECLL,DPW,SL12346\n"
                              "CSQU3054383,teleport,2024-05-03T10:00,PECLL,DPW\n");
    vg_free(data);
}

/* Ingested: the records of the CSV layouts, with the positions of the sheet's rows; the
 * sheet of notes is a finding; the same workbook again is unchanged. */
static void test_ingest_workbooks__workbook_ingested_with_sheet_positions(void **state)
{
    (void)state;
    size_t len;
    char *data = read_workbook(&len);
    struct vg_store *s = vg_tt_empty("xlsx.db");
    struct vg_ingest_report r;
    struct vg_error e;
    vg_error_clear(&e);
    assert_int_equal(vg_ingest_buffer(s, "manifest.xlsx", data, len, NULL, &r, &e), VG_EPARTIAL);
    assert_int_equal(r.files_skipped, 0);
    assert_int_equal(r.accepted, 4); /* two bills of lading, two events */
    assert_int_equal(r.rejected, 2); /* a row without B/L, an unknown event */
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM goods_items WHERE hs_code = '080440' AND"
                                  " gross_kg = 21600.5 AND packages = 1800"),
                     1);
    /* Lima is UTC-5: the sheet's local times as instants. */
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM equipment_events WHERE kind = 'load' AND"
                                  " event_at = strftime('%s', '2024-05-03 15:00:15')"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM parties WHERE name = 'Exportadora Perú,"
                                  " S.A.C.'"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM party_addresses WHERE address = "
                                  "'Av. Industrial 100 Lima'"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM rejects WHERE source = "
                                  "'manifest.xlsx[Manifiesto]' AND line = 6"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM rejects WHERE source = "
                                  "'manifest.xlsx[Eventos]' AND line = 4"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind = 'sheet_skipped' AND"
                                  " value = 'Notas'"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM ingest_files WHERE format = 'xlsx'"), 1);
    assert_int_equal(vg_ingest_buffer(s, "copy.xlsx", data, len, NULL, &r, &e), VG_OK);
    assert_int_equal(r.files_unchanged, 1);
    assert_int_equal(r.accepted, 0);
    vg_store_close(s);
    vg_free(data);
}

/* Cells as SpreadsheetML writes them, in the 1904 date system: shared strings with runs and
 * a phonetic reading, inline strings, formula strings, booleans, errors, a date in a
 * format of the workbook's own and a time of day past 24 h, a cell without a reference,
 * skipped columns and rows. */
static void test_ingest_workbooks__cell_types_and_date_systems(void **state)
{
    (void)state;
    char wb[1024], rels[1024];
    xlsx_workbook_parts(1, 1, wb, rels, sizeof(wb));
    static const char strings[] =
        "<?xml version=\"1.0\"?><sst xmlns=\"" XLSX_NS "\"><si><t>container</t></si>"
        "<si><r><t>ev</t></r><r><rPr><b/></rPr><t>ent</t></r><rPh sb=\"0\" eb=\"2\"><t>X</t>"
        "</rPh></si><si><t xml:space=\"preserve\"> time</t></si></sst>";
    static const char styles[] =
        "<?xml version=\"1.0\"?><styleSheet xmlns=\"" XLSX_NS "\"><numFmts count=\"2\">"
        "<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\\ hh:mm\"/>"
        "<numFmt numFmtId=\"165\" formatCode=\"[Red]#,##0.00;&quot;(day)&quot;0\"/></numFmts>"
        "<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
        "<xf numFmtId=\"46\"/></cellXfs></styleSheet>";
    static const char sheet[] =
        "<?xml version=\"1.0\"?><worksheet xmlns=\"" XLSX_NS "\"><sheetData>"
        "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c><c r=\"B2\" t=\"s\"><v>1</v></c>"
        "<c t=\"s\"><v>2</v></c></row>"
        "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>a&amp;b</t></is></c>"
        "<c r=\"B4\" t=\"str\"><f>A1</f><v>x,y</v></c><c r=\"D4\" t=\"b\"><v>0</v></c>"
        "<c r=\"E4\" t=\"e\"><v>#N/A</v></c><c r=\"F4\" s=\"1\"><v>43586.75</v></c>"
        "<c r=\"G4\" s=\"2\"><v>1234.5</v></c><c r=\"H4\"><v>1E-3</v></c>"
        "<c r=\"I4\" s=\"3\"><v>1.5</v></c><c r=\"J4\" t=\"d\"><v>2024-05-03T10:00:00</v></c>"
        "<c r=\"K4\"><v>0.1</v></c></row></sheetData></worksheet>";
    struct xlsx_part parts[] = {
        { "xl/workbook.xml", wb, strlen(wb) },
        { "xl/_rels/workbook.xml.rels", rels, strlen(rels) },
        { "xl/sharedStrings.xml", strings, sizeof(strings) - 1 },
        { "xl/styles.xml", styles, sizeof(styles) - 1 },
        { "xl/worksheets/sheet1.xml", sheet, sizeof(sheet) - 1 },
    };
    size_t len = 0;
    char *zip = xlsx_zip(parts, 5, &len);
    assert_non_null(zip);
    char text[1024];
    sheet_text(zip, len, 0, text, sizeof(text));
    /* 1904 system: 43586.75 days after 1904-01-01 is 2023-05-02 18:00; format 46 ([h]:mm:ss)
     * is a duration, a number. */
    assert_string_equal(text, "\n"
                              "container,event, time\n"
                              "\n"
                              "a&b,\"x,y\",,FALSE,#N/A,2023-05-02T18:00,1234.5,0.001,"
                              "1.5,2024-05-03T10:00:00,0.1\n");
    free(zip);
}

/* No fixed limits: the 300th sheet is read, and a date in the workbook's 600th format of its
 * own is a date. */
static void test_ingest_workbooks__many_sheets_and_formats(void **state)
{
    (void)state;
    enum { SHEETS = 300, FORMATS = 600 };
    size_t cap = 64 * 1024;
    char *wb = vg_malloc(cap), *rels = vg_malloc(cap), *styles = vg_malloc(cap);
    assert_true(wb != NULL && rels != NULL && styles != NULL);
    xlsx_workbook_parts(SHEETS, 0, wb, rels, cap);
    int n = snprintf(styles, cap,
                     "<?xml version=\"1.0\"?><styleSheet xmlns=\"" XLSX_NS "\">"
                     "<numFmts>");
    for (int i = 0; i < FORMATS; i++) {
        n += snprintf(styles + n, cap - (size_t)n, "<numFmt numFmtId=\"%d\" formatCode=\"%s\"/>",
                      164 + i, i == FORMATS - 1 ? "yyyy/mm/dd" : "0.0");
    }
    snprintf(styles + n, cap - (size_t)n,
             "</numFmts><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"%d\"/></cellXfs>"
             "</styleSheet>",
             164 + FORMATS - 1);
    static const char empty[] = "<?xml version=\"1.0\"?><worksheet xmlns=\"" XLSX_NS "\">"
                                "<sheetData/></worksheet>";
    static const char last[] =
        "<?xml version=\"1.0\"?><worksheet xmlns=\"" XLSX_NS "\"><sheetData>"
        "<row r=\"1\"><c t=\"inlineStr\"><is><t>container</t></is></c><c t=\"inlineStr\"><is>"
        "<t>event</t></is></c><c t=\"inlineStr\"><is><t>time</t></is></c><c t=\"inlineStr\">"
        "<is><t>port</t></is></c></row>"
        "<row r=\"2\"><c t=\"inlineStr\"><is><t>MSCU1234566</t></is></c><c t=\"inlineStr\">"
        "<is><t>load</t></is></c><c s=\"1\"><v>45413</v></c><c t=\"inlineStr\"><is><t>PECLL"
        "</t></is></c></row></sheetData></worksheet>";
    struct xlsx_part *parts = vg_calloc(SHEETS + 3, sizeof(*parts));
    static char names[SHEETS][40];
    assert_non_null(parts);
    parts[0] = (struct xlsx_part){ "xl/workbook.xml", wb, strlen(wb) };
    parts[1] = (struct xlsx_part){ "xl/_rels/workbook.xml.rels", rels, strlen(rels) };
    parts[2] = (struct xlsx_part){ "xl/styles.xml", styles, strlen(styles) };
    for (int i = 0; i < SHEETS; i++) {
        snprintf(names[i], sizeof(names[i]), "xl/worksheets/sheet%d.xml", i + 1);
        parts[3 + i] = (struct xlsx_part){ names[i], i == SHEETS - 1 ? last : empty,
                                           i == SHEETS - 1 ? sizeof(last) - 1 : sizeof(empty) - 1 };
    }
    size_t len = 0;
    char *zip = xlsx_zip(parts, SHEETS + 3, &len);
    assert_non_null(zip);
    char text[256];
    sheet_text(zip, len, SHEETS - 1, text, sizeof(text));
    assert_string_equal(text, "container,event,time,port\n"
                              "MSCU1234566,load,2024-05-01T00:00,PECLL\n");
    /* Ingested: each empty sheet a finding of its own, the last sheet's event in. */
    struct vg_store *st = vg_tt_empty("many-sheets.db");
    struct vg_ingest_report r;
    struct vg_error e;
    vg_error_clear(&e);
    assert_int_equal(vg_ingest_buffer(st, "many.xlsx", zip, len, NULL, &r, &e), VG_OK);
    assert_int_equal(r.accepted, 1);
    assert_int_equal(vg_tt_int(st, "SELECT count(*) FROM findings WHERE kind = 'sheet_skipped'"),
                     SHEETS - 1);
    vg_store_close(st);
    free(zip);
    vg_free(parts);
    vg_free(wb);
    vg_free(rels);
    vg_free(styles);
}

/* A workbook whose sheet is not well-formed XML is refused whole, with the part and line,
 * once; the good file beside it goes in. One that inflates past the bound is refused. */
static void test_ingest_workbooks__broken_workbook_refused_whole_once(void **state)
{
    (void)state;
    char wb[1024], rels[1024];
    xlsx_workbook_parts(1, 0, wb, rels, sizeof(wb));
    static const char sheet[] = "<?xml version=\"1.0\"?><worksheet xmlns=\"" XLSX_NS "\">\n"
                                "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>"
                                "container</t></is></c>\n<row></sheetData></worksheet>";
    struct xlsx_part parts[] = {
        { "xl/workbook.xml", wb, strlen(wb) },
        { "xl/_rels/workbook.xml.rels", rels, strlen(rels) },
        { "xl/worksheets/sheet1.xml", sheet, sizeof(sheet) - 1 },
    };
    size_t len = 0;
    char *zip = xlsx_zip(parts, 3, &len);
    assert_non_null(zip);
    struct ing_workbook x;
    struct vg_error e;
    vg_error_clear(&e);
    assert_int_equal(book_read(zip, len, 0, &x, &e), VG_EFORMAT);
    assert_non_null(strstr(e.message, "xl/worksheets/sheet1.xml line 3"));
    assert_int_equal(x.nsheets, 0);
    /* The bound: the same workbook may not inflate past 100 bytes of XML. */
    vg_error_clear(&e);
    assert_int_equal(book_read(zip, len, 100, &x, &e), VG_ELIMIT);
    assert_non_null(strstr(e.message, "bound"));

    struct vg_store *s = vg_tt_empty("xlsx-broken.db");
    struct vg_ingest_report r;
    vg_error_clear(&e);
    assert_int_equal(vg_ingest_buffer(s, "broken.xlsx", zip, len, NULL, &r, &e), VG_EPARTIAL);
    assert_int_equal(r.rejected, 1);
    assert_int_equal(vg_ingest_buffer(s, "broken.xlsx", zip, len, NULL, &r, &e), VG_OK);
    assert_int_equal(r.files_unchanged, 1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM rejects WHERE format = 'xlsx' AND"
                                  " source = 'broken.xlsx' AND reason LIKE "
                                  "'xlsx: xl/worksheets/sheet1.xml line 3%'"),
                     1);
    /* A zip archive that is not a workbook is no format vigia reads. */
    struct xlsx_part other[] = { { "readme.txt", "hello", 5 } };
    char *plain = xlsx_zip(other, 1, &len);
    assert_non_null(plain);
    assert_false(kind_of(plain, len) == VG__ZX_XLSX);
    assert_int_equal(vg_ingest_buffer(s, "other.zip", plain, len, NULL, &r, &e), VG_OK);
    assert_int_equal(r.files_skipped, 1);
    free(plain);
    free(zip);
    vg_store_close(s);
}

/* What the store holds of a workbook ingested as "book": its records, rejects and
 * findings, one line each, in a fixed order. */
static void store_dump(struct vg_store *s, char *out, size_t size)
{
    static const char *const queries[] = {
        "SELECT group_concat(x, '|') FROM (SELECT bl_number || ',' || port_of_loading || ','"
        " || port_of_discharge AS x FROM consignments ORDER BY 1)",
        "SELECT group_concat(x, '|') FROM (SELECT hs_code || ',' || description || ',' ||"
        " packages || ',' || gross_kg AS x FROM goods_items ORDER BY 1)",
        "SELECT group_concat(x, '|') FROM (SELECT kind || ',' || event_at || ',' ||"
        " ifnull(seals, '') AS x FROM equipment_events ORDER BY 1)",
        "SELECT group_concat(x, '|') FROM (SELECT name || ',' || ifnull(a.address, '') AS x"
        " FROM parties p LEFT JOIN party_addresses a ON a.party_id = p.id ORDER BY 1)",
        "SELECT group_concat(x, '|') FROM (SELECT source || ':' || line || ',' || reason AS x"
        " FROM rejects ORDER BY 1)",
        "SELECT group_concat(x, '|') FROM (SELECT kind || ',' || field || ',' || value AS x"
        " FROM findings WHERE kind <> 'hs_leading_zero' ORDER BY 1)",
    };
    size_t n = 0;
    out[0] = 0;
    for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
        char v[2048];
        const char *t = vg_tt_text(s, queries[i], v, sizeof(v));
        n += (size_t)snprintf(out + n, size - n, "%s\n", t != NULL ? t : "");
    }
}

/* Ingests tests/data/workbooks/<file> (the test workbook in some format: 4 documents, 2
 * rows refused) into s as "book" and dumps the store into out. */
static void book_dump(struct vg_store *s, const char *file, char *out, size_t size)
{
    size_t len;
    char *data = read_named(file, &len);
    struct vg_ingest_report r;
    struct vg_error e;
    vg_error_clear(&e);
    assert_int_equal(vg_ingest_buffer(s, "book", data, len, NULL, &r, &e), VG_EPARTIAL);
    assert_int_equal(r.accepted, 4);
    store_dump(s, out, size);
    vg_free(data);
}

/* The same workbook saved by openpyxl, by LibreOffice as .xlsx and as .ods gives the same
 * records, rejects (at the same sheets and rows) and findings. */
static void test_ingest_workbooks__every_producer_gives_the_same_store(void **state)
{
    (void)state;
    static const char *const files[] = { "manifest.xlsx", "manifest-libreoffice.xlsx",
                                         "manifest.ods" };
    char want[8192], got[8192];
    for (size_t i = 0; i < 3; i++) {
        char name[64];
        snprintf(name, sizeof(name), "book-%zu.db", i);
        struct vg_store *s = vg_tt_empty(name);
        book_dump(s, files[i], i == 0 ? want : got, sizeof(want));
        if (i > 0) {
            assert_string_equal(got, want);
        }
        assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM ingest_files WHERE format IN "
                                      "('xlsx', 'ods')"),
                         1);
        vg_store_close(s);
    }
    assert_non_null(strstr(want, "book[Eventos]:4,unknown or missing event kind"));
    assert_non_null(strstr(want, "080440,FRESH AVOCADOS,1800,21600.5"));
}

/* The workbook as Excel 97-2003 (.xls, read with FreeXL) gives the records, rejects and
 * findings of the .xlsx. FreeXL keeps no number formats, so the HS codes shown with six
 * digits (080440) come out as the numbers (80440); with the nomenclature imported they are
 * read with their zero, each with an hs_leading_zero finding. */
static void test_ingest_workbooks__xls_reads_as_the_xlsx(void **state)
{
    (void)state;
    static const char *const files[] = { "manifest.xlsx", "manifest-libreoffice.xls" };
    char want[8192], got[8192];
    for (size_t i = 0; i < 2; i++) {
        struct vg_store *s = vg_tt_empty(i == 0 ? "xls-ref.db" : "xls.db");
        vg_tt_import_hs(s, "II,08,Edible fruit and nuts,TOTAL,2\n"
                           "II,0804,\"Dates, figs, pineapples, avocados\",08,4\n"
                           "II,080440,Avocados,0804,6\n"
                           "II,0810,Other fruit,08,4\n"
                           "II,081040,Blueberries,0810,6\n");
        book_dump(s, files[i], i == 0 ? want : got, sizeof(want));
        assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind ="
                                      " 'hs_leading_zero'"),
                         i == 0 ? 0 : 2);
        assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM goods_items WHERE hs_valid = 1"), 2);
        vg_store_close(s);
    }
    assert_string_equal(got, want);
    assert_non_null(strstr(want, "book[Eventos]:4,unknown or missing event kind"));
    assert_non_null(strstr(want, "080440,FRESH AVOCADOS,1800,21600.5"));
}

#define ODS_HEAD                                                                           \
 "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content "                     \
 "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "                      \
 "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "                        \
 "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "                          \
 "xmlns:calcext=\"urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0\">" \
 "<office:body><office:spreadsheet>"
#define ODS_TAIL "</office:spreadsheet></office:body></office:document-content>"

static char *ods_zip(const char *content, size_t *len)
{
    static const char mime[] = "application/vnd.oasis.opendocument.spreadsheet";
    struct xlsx_part parts[] = {
        { "mimetype", mime, sizeof(mime) - 1 },
        { "content.xml", content, strlen(content) },
    };
    char *zip = xlsx_zip(parts, 2, len);
    assert_non_null(zip);
    return zip;
}

/* OpenDocument cells as LibreOffice writes them: repeated rows and cells (written as often
 * as they repeat when they hold something; the padding to the sheet's full size not at all),
 * merged (covered) cells, paragraphs and runs of spaces, a comment left out, typed values
 * (float with leading zeros shown, percentage, boolean, date alone), a header row below a
 * title, and a second table. */
static void test_ingest_workbooks__ods_cells(void **state)
{
    (void)state;
    static const char content[] =
        ODS_HEAD "<table:table table:name=\"Ev\"><table:table-column/>"
                 "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>Title"
                 "</text:p></table:table-cell></table:table-row>"
                 "<table:table-row table:number-rows-repeated=\"2\"><table:table-cell "
                 "table:number-columns-repeated=\"5\"/></table:table-row>"
                 "<table:table-row><table:table-cell table:number-columns-repeated=\"2\"/>"
                 "<table:table-cell office:value-type=\"string\"><text:p>a<text:s text:c=\"3\"/>b"
                 "</text:p><text:p>c<text:line-break/>d</text:p><office:annotation><text:p>note"
                 "</text:p></office:annotation></table:table-cell>"
                 "<table:covered-table-cell/>"
                 "<table:table-cell office:value-type=\"float\" office:value=\"80440\">"
                 "<text:p>080440</text:p></table:table-cell>"
                 "<table:table-cell office:value-type=\"float\" office:value=\"21600.5\">"
                 "<text:p>21.600,50</text:p></table:table-cell>"
                 "<table:table-cell office:value-type=\"percentage\" office:value=\"0.25\">"
                 "<text:p>25%</text:p></table:table-cell>"
                 "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"true\">"
                 "<text:p>VERDADERO</text:p></table:table-cell>"
                 "<table:table-cell office:value-type=\"date\" office:date-value=\"2024-05-03\">"
                 "<text:p>03/05/24</text:p></table:table-cell>"
                 "<table:table-cell table:number-columns-repeated=\"16370\"/></table:table-row>"
                 "<table:table-row table:number-rows-repeated=\"2\"><table:table-cell "
                 "office:value-type=\"string\" table:number-columns-repeated=\"2\"><text:p>x,\"y\""
                 "</text:p></table:table-cell></table:table-row>"
                 "<table:table-row table:number-rows-repeated=\"1048569\"><table:table-cell "
                 "table:number-columns-repeated=\"16384\"/></table:table-row></table:table>"
                 "<table:table table:name=\"Two\"><table:table-row><table:table-cell "
                 "office:value-type=\"float\" office:value=\"1E-3\"><text:p>0</text:p>"
                 "</table:table-cell></table:table-row></table:table>" ODS_TAIL;
    size_t len = 0;
    char *zip = ods_zip(content, &len);
    assert_true(kind_of(zip, len) == VG__ZX_ODS);
    assert_false(kind_of(zip, len) == VG__ZX_XLSX);
    char text[1024];
    sheet_text(zip, len, 0, text, sizeof(text));
    assert_string_equal(text, "Title\n"
                              "\n"
                              "\n"
                              ",,a   b c d,,080440,21600.5,0.25,TRUE,2024-05-03\n"
                              "\"x,\"\"y\"\"\",\"x,\"\"y\"\"\"\n"
                              "\"x,\"\"y\"\"\",\"x,\"\"y\"\"\"\n");
    sheet_text(zip, len, 1, text, sizeof(text));
    assert_string_equal(text, "0.001\n");
    free(zip);

    /* Something past row 1,048,576 is refused; so is XML that is not well-formed. */
    static const char too_far[] = ODS_HEAD
        "<table:table table:name=\"T\"><table:table-row table:number-rows-repeated="
        "\"1048576\"><table:table-cell/></table:table-row><table:table-row><table:table-cell "
        "office:value-type=\"string\"><text:p>late</text:p></table:table-cell>"
        "</table:table-row></table:table>" ODS_TAIL;
    zip = ods_zip(too_far, &len);
    struct ing_workbook x;
    struct vg_error e;
    vg_error_clear(&e);
    assert_int_equal(book_read(zip, len, 0, &x, &e), VG_EFORMAT);
    assert_non_null(strstr(e.message, "beyond row 1048576"));
    free(zip);
    zip = ods_zip(ODS_HEAD "<table:table>" ODS_TAIL, &len);
    vg_error_clear(&e);
    assert_int_equal(book_read(zip, len, 0, &x, &e), VG_EFORMAT);
    assert_non_null(strstr(e.message, "ods: content.xml line 1"));
    free(zip);
}

static void on_skipped(void *user,
                       enum vg_ingest_event ev,
                       const struct vg_error *e,
                       const struct vg_ingest_report *r)
{
    (void)r;
    if (ev == VG_INGEST_FILE_SKIPPED && e != NULL) {
        snprintf(user, 256, "%s", e->message);
    }
}

/* What people send instead of a workbook vigia reads is skipped with what it is and what to
 * send: an Office file that holds no workbook (here the .xls with its Workbook stream
 * renamed, as a Word or Outlook file has none), an HTML table saved as "Excel", plain text.
 * An .xls that cannot be read (cut off after its signature) is refused whole, once. */
static void test_ingest_workbooks__other_spreadsheets_skipped_with_what_to_send(void **state)
{
    (void)state;
    size_t doc_len;
    char *doc = read_named("manifest-libreoffice.xls", &doc_len);
    char stream[16];
    for (int i = 0; i < 8; i++) { /* "Workbook" in UTF-16LE, as the directory names it */
        stream[2 * i] = "Workbook"[i];
        stream[2 * i + 1] = 0;
    }
    char *at = NULL;
    for (size_t i = 0; at == NULL && i + sizeof(stream) <= doc_len; i++) {
        at = memcmp(doc + i, stream, sizeof(stream)) == 0 ? doc + i : NULL;
    }
    assert_non_null(at);
    at[0] = 'X';
    static const char html[] = "\xEF\xBB\xBF\r\n  <table><tr><td>container</td></tr></table>";
    static const char other[] = "just some words";
    const struct {
        const char *name, *data;
        size_t len;
        const char *says;
    } cases[] = {
        { "report.doc", doc, doc_len, "holds no workbook" },
        { "export.xls", html, sizeof(html) - 1, "an HTML page" },
        { "notes.txt", other, sizeof(other) - 1, "not a format vigia reads" },
    };
    struct vg_store *s = vg_tt_empty("skipped.db");
    for (size_t i = 0; i < 3; i++) {
        char said[256] = "";
        struct vg_ingest_options o = { .callback = on_skipped, .user = said };
        struct vg_ingest_report r;
        struct vg_error e;
        vg_error_clear(&e);
        assert_int_equal(
            vg_ingest_buffer(s, cases[i].name, cases[i].data, cases[i].len, &o, &r, &e), VG_OK);
        assert_int_equal(r.files_skipped, 1);
        if (strstr(said, cases[i].says) == NULL) {
            fail_msg("%s: said '%s'", cases[i].name, said);
        }
    }
    static const char cut[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0\0\0\0\0";
    for (int run = 0; run < 2; run++) {
        struct vg_ingest_report r;
        struct vg_error e;
        vg_error_clear(&e);
        assert_int_equal(vg_ingest_buffer(s, "cut.xls", cut, sizeof(cut) - 1, NULL, &r, &e),
                         run == 0 ? VG_EPARTIAL : VG_OK);
        assert_int_equal(r.rejected, run == 0 ? 1 : 0);
    }
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM rejects WHERE format = 'xls' AND"
                                  " source = 'cut.xls' AND reason LIKE"
                                  " 'the .xls workbook cannot be read: %'"),
                     1);
    vg_store_close(s);
    vg_free(doc);
}

/* Writes an executable shell script of the given body into the test directory; its path. */
static const char *script(const char *name, const char *body)
{
    const char *path = vg_test_tmpfile(name);
    char text[512];
    snprintf(text, sizeof(text), "#!/bin/sh\n%s\n", body);
    vg_test_write_file(path, text, strlen(text));
    assert_int_equal(chmod(path, 0755), 0);
    return path;
}

/* The .xls reader runs as a child process, so whatever it does on a crafted file stays
 * there: a reader that dies (as FreeXL may, fuzz/regress/xls) or answers nonsense has the
 * file refused whole as damaged or crafted, and the run goes on; without the reader the
 * file is skipped, not refused (a run with it reads it). */
static void test_ingest_workbooks__xls_reader_failures_stay_in_its_process(void **state)
{
    (void)state;
    size_t len;
    char *data = read_named("manifest-libreoffice.xls", &len);
    static const struct {
        const char *name, *body;
    } readers[] = {
        { "crashing-reader", "kill -SEGV $$" },
        { "talking-reader", "echo 'vgxls01 and then nonsense, not an answer'" },
        { "aborting-reader", "head -c 100 /dev/zero; exit 1" },
    };
    struct vg_store *s = vg_tt_empty("xls-readers.db");
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(setenv("VIGIA_XLS_READER", script(readers[i].name, readers[i].body), 1),
                         0);
        char name[64];
        snprintf(name, sizeof(name), "book-%zu.xls", i);
        data[len - 1] = (char)i; /* a file of its own content each time */
        struct vg_ingest_report r;
        struct vg_error e;
        vg_error_clear(&e);
        assert_int_equal(vg_ingest_buffer(s, name, data, len, NULL, &r, &e), VG_EPARTIAL);
        assert_int_equal(r.rejected, 1);
    }
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM rejects WHERE format = 'xls' AND reason"
                                  " LIKE '%its reader failed on it (damaged or crafted)'"),
                     3);
    assert_int_equal(setenv("VIGIA_XLS_READER", vg_test_tmpfile("no-such-reader"), 1), 0);
    char said[256] = "";
    struct vg_ingest_options o = { .callback = on_skipped, .user = said };
    struct vg_ingest_report r;
    struct vg_error e;
    vg_error_clear(&e);
    data[len - 1] = 9;
    assert_int_equal(vg_ingest_buffer(s, "book.xls", data, len, &o, &r, &e), VG_OK);
    assert_int_equal(r.files_skipped, 1);
    assert_non_null(strstr(said, "vigia-xls is not installed"));
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM ingest_files WHERE path = 'book.xls'"), 0);
    unsetenv("VIGIA_XLS_READER");
    vg_store_close(s);
    vg_free(data);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ingest_workbooks__sheets_as_csv_rows),
    cmocka_unit_test(test_ingest_workbooks__workbook_ingested_with_sheet_positions),
    cmocka_unit_test(test_ingest_workbooks__cell_types_and_date_systems),
    cmocka_unit_test(test_ingest_workbooks__many_sheets_and_formats),
    cmocka_unit_test(test_ingest_workbooks__broken_workbook_refused_whole_once),
    cmocka_unit_test(test_ingest_workbooks__every_producer_gives_the_same_store),
    cmocka_unit_test(test_ingest_workbooks__xls_reads_as_the_xlsx),
    cmocka_unit_test(test_ingest_workbooks__xls_reader_failures_stay_in_its_process),
    cmocka_unit_test(test_ingest_workbooks__ods_cells),
    cmocka_unit_test(test_ingest_workbooks__other_spreadsheets_skipped_with_what_to_send),
};

VG_TEST_MAIN(tests)
