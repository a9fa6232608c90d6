/* Fuzz target: Excel 97-2003 workbooks (.xls) through the ingest (src/ingest/xls.c with
 * FreeXL, then the CSV reader). The input is the file; one that does not start with the
 * OLE2 signature gets it in front, so that every input reaches the workbook reader. */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned char ole2[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
    if (size >= sizeof(ole2) && memcmp(data, ole2, sizeof(ole2)) == 0) {
        fuzz_ingest_run("fuzz.xls", (const char *)data, size, false);
        return 0;
    }
    char *file = malloc(size + sizeof(ole2));
    if (file == NULL) {
        return 0;
    }
    memcpy(file, ole2, sizeof(ole2));
    if (size > 0) {
        memcpy(file + sizeof(ole2), data, size);
    }
    fuzz_ingest_run("fuzz.xls", file, size + sizeof(ole2), false);
    free(file);
    return 0;
}
