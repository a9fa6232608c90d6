/*
 * Builds a zipped workbook (XLSX or OpenDocument) in memory from its parts (libzip), for the
 * workbook fuzz targets and tests/unit/test_ingest_workbooks.c: the parts a workbook needs
 * around the XML a test writes, so that a test or a fuzzer states only the XML it is about.
 */
#ifndef VIGIA_FUZZ_WORKBOOK_BUILD_H
#define VIGIA_FUZZ_WORKBOOK_BUILD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* One part: its name in the archive and its content. */
struct xlsx_part {
    const char *name;
    const char *data;
    size_t len;
};

#define XLSX_NS  "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define XLSX_RNS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

/* The workbook part naming nsheets sheets "Sheet1".. (date1904 as given), and its
 * relationships to xl/worksheets/sheetN.xml, into wb and rels (each size bytes). */
static inline void xlsx_workbook_parts(int nsheets, int date1904, char *wb, char *rels, size_t size)
{
    int n = snprintf(wb, size,
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"" XLSX_NS
                     "\" xmlns:r=\"" XLSX_RNS "\"><workbookPr date1904=\"%d\"/><sheets>",
                     date1904);
    int m = snprintf(rels, size,
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://"
                     "schemas.openxmlformats.org/package/2006/relationships\">");
    for (int i = 1; i <= nsheets; i++) {
        n += snprintf(wb + n, size - (size_t)n,
                      "<sheet name=\"Sheet%d\" sheetId=\"%d\" r:id=\"rId%d\"/>", i, i, i);
        m += snprintf(rels + m, size - (size_t)m,
                      "<Relationship Id=\"rId%d\" Type=\"" XLSX_RNS
                      "/worksheet\" Target=\"worksheets/sheet%d.xml\"/>",
                      i, i);
    }
    snprintf(wb + n, size - (size_t)n, "</sheets></workbook>");
    snprintf(rels + m, size - (size_t)m, "</Relationships>");
}

/* The parts zipped (deflated) into a new buffer (*len bytes; free with free()); NULL on
 * error. */
static inline char *xlsx_zip(const struct xlsx_part *parts, size_t nparts, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    char *out = NULL;
    if (src == NULL) {
        return NULL;
    }
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    int ok = z != NULL;
    for (size_t i = 0; ok && i < nparts; i++) {
        zip_source_t *ps = zip_source_buffer(z, parts[i].data, parts[i].len, 0);
        ok = ps != NULL && zip_file_add(z, parts[i].name, ps, ZIP_FL_ENC_UTF_8) >= 0;
        if (!ok && ps != NULL) {
            zip_source_free(ps);
        }
    }
    if (z != NULL && (ok ? zip_close(z) : (zip_discard(z), 0)) != 0) {
        ok = 0;
    }
    zip_stat_t st;
    if (ok && zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0) {
        out = malloc(st.size > 0 ? (size_t)st.size : 1);
        if (out != NULL && zip_source_read(src, out, st.size) == (zip_int64_t)st.size) {
            *len = (size_t)st.size;
        } else {
            free(out);
            out = NULL;
        }
        zip_source_close(src);
    }
    zip_source_free(src);
    zip_error_fini(&ze);
    return out;
}

#endif
