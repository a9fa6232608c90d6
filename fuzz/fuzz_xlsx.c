/* Fuzz target: XLSX workbooks through the ingest (src/ingest/xlsx.c, then the CSV reader).
 * An input that starts with "PK" is the workbook file itself; otherwise its first byte
 * picks the part its other bytes are (0 the worksheet, 1 the shared strings, 2 the styles,
 * 3 the workbook) and the harness zips it with valid other parts, so that mutations reach
 * the XML readers instead of failing the archive's checksums. */
#include "fuzz_ingest.h"
#include "workbook_build.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char strings[] =
    "<?xml version=\"1.0\"?><sst xmlns=\"" XLSX_NS "\" count=\"4\" uniqueCount=\"4\">"
    "<si><t>container</t></si><si><t>event</t></si><si><r><t>ti</t></r><r><t>me</t></r>"
    "<rPh><t>x</t></rPh></si><si><t>port</t></si></sst>";
static const char styles[] =
    "<?xml version=\"1.0\"?><styleSheet xmlns=\"" XLSX_NS "\"><numFmts count=\"1\">"
    "<numFmt numFmtId=\"164\" formatCode=\"000000\"/></numFmts><cellXfs count=\"3\">"
    "<xf numFmtId=\"0\"/><xf numFmtId=\"22\"/><xf numFmtId=\"164\"/></cellXfs></styleSheet>";
static const char sheet[] =
    "<?xml version=\"1.0\"?><worksheet xmlns=\"" XLSX_NS "\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
    "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>CSQU3054383</t></is></c>"
    "<c r=\"B2\" t=\"str\"><v>gate_in</v></c><c r=\"C2\" s=\"1\"><v>45413.5</v></c>"
    "<c r=\"D2\" t=\"inlineStr\"><is><t>PECLL</t></is></c></row></sheetData></worksheet>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        fuzz_ingest_run("fuzz.xlsx", (const char *)data, size, false);
        return 0;
    }
    if (size == 0) {
        return 0;
    }
    char wb[1024], rels[1024];
    xlsx_workbook_parts(1, 0, wb, rels, sizeof(wb));
    struct xlsx_part parts[5] = {
        { "xl/workbook.xml", wb, strlen(wb) },
        { "xl/_rels/workbook.xml.rels", rels, strlen(rels) },
        { "xl/sharedStrings.xml", strings, sizeof(strings) - 1 },
        { "xl/styles.xml", styles, sizeof(styles) - 1 },
        { "xl/worksheets/sheet1.xml", sheet, sizeof(sheet) - 1 },
    };
    static const int which[4] = { 4, 2, 3, 0 };
    struct xlsx_part *p = &parts[which[data[0] % 4]];
    p->data = (const char *)data + 1;
    p->len = size - 1;
    size_t len = 0;
    char *zip = xlsx_zip(parts, 5, &len);
    if (zip != NULL) {
        fuzz_ingest_run("fuzz.xlsx", zip, len, false);
        free(zip);
    }
    return 0;
}
