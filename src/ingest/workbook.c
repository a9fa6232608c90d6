/*
 * Spreadsheet workbooks as the ingest reads them: a workbook (.xlsx, .ods, .xls) is turned
 * into CSV text per sheet by its reader (xlsx.c, ods.c, xls.c); here each sheet's header row
 * is found, and the sheets of a layout of docs/formats.md are read by the CSV reader, the
 * others recorded as skipped. The reading is a reader of emit.h, so a workbook is read ahead
 * on the second thread as a CSV file is, or on the writing thread, with the same items.
 */
#include "ingest/emit.h"
#include "ingest/zipxml.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <vigia/alloc.h>

/* Rows looked at for a sheet's header row: a title or a note may stand above it. */
#define SHEET_HEADER_ROWS 10

/* The line of text[0..len) where a worksheet's header is: the first of its first
 * SHEET_HEADER_ROWS non-empty lines with which the text is a CSV layout; its offset into
 * *at and line into *line; false when none. */
static bool sheet_header(const char *text, size_t len, size_t *at, uint32_t *line)
{
    size_t pos = 0;
    uint32_t no = 1;
    for (int seen = 0; pos < len && seen < SHEET_HEADER_ROWS; no++) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl != NULL ? (size_t)(nl - text) : len;
        const char *layout = NULL;
        if (end > pos) {
            seen++;
            if (vg__ing_csv_sniff(text + pos, len - pos, &layout)) {
                *at = pos;
                *line = no;
                return true;
            }
        }
        pos = end + 1;
    }
    return false;
}

/* The text all sheets' offsets are in (NULL when no sheet made any). */
static const char *book_text(const struct ing_book *b)
{
    return b->x.text.data != NULL ? b->x.text.data : "";
}

enum vg_status vg__ing_book_read(const char *data,
                                 size_t len,
                                 struct zip *z,
                                 struct ing_book *b,
                                 const char **format,
                                 struct vg_error *why)
{
    memset(b, 0, sizeof(*b));
    size_t max = vg__ing_decompressed_max(len);
    enum vg_status st;
    if (z == NULL) {
        *format = "xls";
        st = vg__ing_xls_read(data, len, max, &b->x, why);
    } else if (vg__zx_kind(z) == VG__ZX_ODS) {
        *format = "ods";
        st = vg__ing_ods_read(z, max, &b->x, why);
    } else {
        *format = "xlsx";
        st = vg__ing_xlsx_read(z, max, &b->x, why);
    }
    if (st != VG_OK) {
        return st;
    }
    b->at = vg_calloc(b->x.nsheets + 1, sizeof(*b->at));
    b->line = vg_calloc(b->x.nsheets + 1, sizeof(*b->line));
    if (b->at == NULL || b->line == NULL) {
        vg__ing_book_release(b);
        return vg_error_set(why, VG_ENOMEM, "out of memory reading a workbook");
    }
    const char *all = book_text(b);
    for (size_t i = 0; i < b->x.nsheets; i++) {
        const struct ing_sheet *sh = &b->x.sheets[i];
        bool found = sheet_header(all + sh->offset, sh->len, &b->at[i], &b->line[i]);
        b->at[i] = found ? b->at[i] : SIZE_MAX;
        b->known += found;
    }
    return VG_OK;
}

void vg__ing_book_release(struct ing_book *b)
{
    if (b == NULL) {
        return;
    }
    vg__ing_workbook_release(&b->x);
    vg_free(b->at);
    vg_free(b->line);
    memset(b, 0, sizeof(*b));
}

enum vg_status vg__ing_read_book(struct ing_emit *e, const struct ing_file *f, struct vg_error *err)
{
    const struct ing_book *b = f->book;
    const char *all = book_text(b);
    enum vg_status st = VG_OK;
    for (size_t i = 0; st == VG_OK && i < b->x.nsheets; i++) {
        const struct ing_sheet *sh = &b->x.sheets[i];
        if (b->at[i] == SIZE_MAX) {
            char detail[200];
            snprintf(detail, sizeof(detail),
                     "worksheet '%s' has no header row of a layout of docs/formats.md in its "
                     "first %d rows; not read",
                     sh->name, SHEET_HEADER_ROWS);
            /* Offsets of sheets without rows coincide: offset + index keeps each finding
             * apart (a finding's key is its file, offset, kind and field). */
            struct ing_source src = { 0, (int64_t)(sh->offset + i), 1, NULL };
            st = vg__ing_emit_note(e, &src, "sheet_skipped", "worksheet", sh->name,
                                   "a header row of docs/formats.md", detail);
            continue;
        }
        /* Positions name the sheet when the workbook has several: book.xlsx[Events]:12. */
        char label[VG_ERROR_SOURCE_MAX];
        if (b->x.nsheets > 1) {
            snprintf(label, sizeof(label), "%s[%s]", f->path, sh->name);
        } else {
            snprintf(label, sizeof(label), "%s", f->path);
        }
        struct ing_file sf = { label,
                               all + sh->offset + b->at[i],
                               sh->len - b->at[i],
                               f->file_id,
                               b->line[i],
                               sh->offset + b->at[i],
                               NULL };
        st = vg__ing_emit_label(e, label); /* findings name the sheet too */
        if (st == VG_OK) {
            st = vg__ing_read_csv(e, &sf, err);
        }
        enum vg_status back = vg__ing_emit_label(e, NULL);
        st = st != VG_OK ? st : back;
    }
    return st;
}
