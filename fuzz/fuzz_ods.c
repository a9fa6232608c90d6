/* Fuzz target: OpenDocument spreadsheets through the ingest (src/ingest/ods.c, then the CSV
 * reader). An input that starts with "PK" is the .ods file itself; otherwise it is the
 * content.xml that the harness zips with the mimetype, so that mutations reach the XML
 * reader instead of failing the archive's checksums. */
#include "fuzz_ingest.h"
#include "workbook_build.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        fuzz_ingest_run("fuzz.ods", (const char *)data, size, false);
        return 0;
    }
    static const char mime[] = "application/vnd.oasis.opendocument.spreadsheet";
    struct xlsx_part parts[2] = {
        { "mimetype", mime, sizeof(mime) - 1 },
        { "content.xml", (const char *)data, size },
    };
    size_t len = 0;
    char *zip = xlsx_zip(parts, 2, &len);
    if (zip != NULL) {
        fuzz_ingest_run("fuzz.ods", zip, len, false);
        free(zip);
    }
    return 0;
}
