/*
 * OpenDocument spreadsheets (.ods, ISO/IEC 26300; LibreOffice Calc's own format): each
 * table of content.xml becomes CSV text for the CSV reader, as an XLSX worksheet does
 * (xlsx.c; the archive and XML through zipxml.c).
 *
 * Cells carry their value typed: a float, percentage or currency as its office:value (the
 * text shown when it is the same number with leading zeros, how an HS code keeps them), a
 * date as its office:date-value (ISO 8601 local time), a boolean as TRUE/FALSE, anything
 * else as its text (paragraphs joined by a space, text:s spaces kept, comments left out).
 * Repeated rows and cells are written as often as they repeat when they hold something; the
 * empty rows and columns a sheet is padded with to its full size are not written.
 */
#include "ingest/ingest_int.h"
#include "ingest/zipxml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>

/* What LibreOffice allows: 1,048,576 rows, 16,384 columns. */
#define ODS_MAX_ROW 1048576u
#define ODS_MAX_COL 16384u

struct table {
    struct ing_workbook *x;
    struct vg_buf row;   /* the current row's text */
    struct vg_buf value; /* the current cell's text */
    struct vg_buf cells; /* the current cell's field, before it is repeated */
    uint32_t rows_done;  /* sheet rows accounted for (written or pending) */
    uint32_t blank_rows; /* empty rows not yet written (only before a row with content) */
    uint32_t row_repeat;
    uint32_t col;        /* columns accounted for in the row */
    uint32_t blank_cols; /* empty cells not yet written */
    bool row_has;        /* the row holds something */
    bool in_table, in_row, in_cell;
    int in_p;    /* depth of text:p inside the cell */
    int in_note; /* depth inside an office:annotation */
    uint32_t col_repeat;
    char type[16];
    char *num, *date, *boolean; /* the cell's typed value (copies) */
    enum vg_status failed;
    struct vg_error *why;
    XML_Parser p;
};

static void table_fail(struct table *t, enum vg_status st, const char *what)
{
    if (t->failed == VG_OK) {
        t->failed = st;
        if (what != NULL) {
            vg_error_set(t->why, st, "ods: content.xml line %lu: %s",
                         (unsigned long)XML_GetCurrentLineNumber(t->p), what);
        }
    }
    XML_StopParser(t->p, XML_FALSE);
}

static uint32_t repeat_count(const XML_Char **atts, const char *name)
{
    const char *v = vg__zx_attr(atts, name, NULL);
    unsigned long n = v != NULL ? strtoul(v, NULL, 10) : 1;
    return n == 0 ? 1 : n > ODS_MAX_COL * (unsigned long)ODS_MAX_ROW ? UINT32_MAX : (uint32_t)n;
}

static char *dup_attr(const XML_Char **atts, const char *name)
{
    const char *v = vg__zx_attr(atts, name, NULL);
    return v != NULL ? vg_strdup(v) : NULL;
}

static void cell_reset(struct table *t)
{
    vg_free(t->num);
    vg_free(t->date);
    vg_free(t->boolean);
    t->num = t->date = t->boolean = NULL;
    vg_buf_reset(&t->value);
}

/* Whether shown is value written with leading zeros ("080440" for 80440). */
static bool zero_padded(const char *shown, size_t len, const char *value)
{
    if (len < 2 || shown[0] != '0') {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (shown[i] < '0' || shown[i] > '9') {
            return false;
        }
    }
    char *end = NULL;
    double v = strtod(value, &end);
    return end != value && strtod(shown, NULL) == v;
}

/* The cell just read, as its field, into t->cells. */
static enum vg_status cell_field(struct table *t)
{
    vg_buf_reset(&t->cells);
    const char *text = t->value.data != NULL ? t->value.data : "";
    size_t tl = t->value.len;
    const char *ty = t->type;
    if ((strcmp(ty, "float") == 0 || strcmp(ty, "percentage") == 0 ||
         strcmp(ty, "currency") == 0) &&
        t->num != NULL) {
        if (zero_padded(text, tl, t->num)) {
            return vg__zx_put_field(&t->cells, text, tl);
        }
        char *end = NULL;
        double d = strtod(t->num, &end);
        if (end == t->num || *end != 0) {
            return vg__zx_put_field(&t->cells, t->num, strlen(t->num));
        }
        char buf[64];
        vg__zx_format_number(d, buf, sizeof(buf));
        return vg__zx_put_field(&t->cells, buf, strlen(buf));
    }
    if (strcmp(ty, "date") == 0 && t->date != NULL) {
        return vg__zx_put_field(&t->cells, t->date, strlen(t->date));
    }
    if (strcmp(ty, "boolean") == 0 && t->boolean != NULL) {
        bool yes = strcmp(t->boolean, "true") == 0;
        return vg__zx_put_field(&t->cells, yes ? "TRUE" : "FALSE", yes ? 4 : 5);
    }
    return vg__zx_put_field(&t->cells, text, tl);
}

/* The cell's field written col_repeat times (empty cells deferred: a row's trailing
 * padding is not written). */
static enum vg_status cell_end(struct table *t)
{
    enum vg_status st = cell_field(t);
    if (st != VG_OK) {
        return st;
    }
    uint32_t n = t->col_repeat;
    if (t->cells.len == 0) {
        uint64_t blank = (uint64_t)t->blank_cols + n;
        t->blank_cols = blank > ODS_MAX_COL ? ODS_MAX_COL : (uint32_t)blank;
        return VG_OK;
    }
    if ((uint64_t)t->col + t->blank_cols + n > ODS_MAX_COL) {
        table_fail(t, VG_EFORMAT, "a cell beyond column 16384");
        return VG_EFORMAT;
    }
    for (uint32_t k = 0; k < t->blank_cols && st == VG_OK; k++, t->col++) {
        st = t->col > 0 ? vg_buf_append_char(&t->row, ',') : VG_OK; /* an empty field */
    }
    t->blank_cols = 0;
    for (uint32_t k = 0; k < n && st == VG_OK; k++) {
        if (t->col > 0) {
            st = vg_buf_append_char(&t->row, ',');
        }
        if (st == VG_OK) {
            st = vg_buf_append(&t->row, t->cells.data, t->cells.len);
        }
        t->col++;
    }
    t->row_has = true;
    return st;
}

/* The row just read, written row_repeat times after the empty rows before it. */
static enum vg_status row_end(struct table *t)
{
    uint32_t n = t->row_repeat;
    if (!t->row_has) {
        uint64_t rows = (uint64_t)t->rows_done + n;
        rows = rows > ODS_MAX_ROW ? ODS_MAX_ROW : rows;
        t->blank_rows += (uint32_t)(rows - t->rows_done);
        t->rows_done = (uint32_t)rows;
        return VG_OK;
    }
    if ((uint64_t)t->rows_done + n > ODS_MAX_ROW) {
        table_fail(t, VG_EFORMAT, "a row beyond row 1048576");
        return VG_EFORMAT;
    }
    struct vg_buf *out = &t->x->text;
    enum vg_status st = VG_OK;
    for (; t->blank_rows > 0 && st == VG_OK; t->blank_rows--) {
        st = vg_buf_append_char(out, '\n');
    }
    for (uint32_t k = 0; k < n && st == VG_OK; k++) {
        st = vg_buf_append(out, t->row.data, t->row.len);
        if (st == VG_OK) {
            st = vg_buf_append_char(out, '\n');
        }
    }
    t->rows_done += n;
    return st;
}

static void XMLCALL table_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    struct table *t = user;
    const char *n = vg__zx_local(name);
    if (strcmp(n, "table") == 0 && !t->in_table) {
        struct ing_workbook *x = t->x;
        struct ing_sheet *grown = vg_reallocarray(x->sheets, x->nsheets + 1, sizeof(*grown));
        if (grown == NULL) {
            table_fail(t, VG_ENOMEM, NULL);
            return;
        }
        x->sheets = grown;
        struct ing_sheet *sh = &x->sheets[x->nsheets];
        const char *tn = vg__zx_attr(atts, "name", NULL);
        snprintf(sh->name, sizeof(sh->name), "%s", tn != NULL ? tn : "");
        sh->offset = x->text.len;
        sh->len = 0;
        t->in_table = true;
        t->rows_done = t->blank_rows = 0;
    } else if (!t->in_table) {
        return;
    } else if (strcmp(n, "table-row") == 0 && !t->in_row) {
        t->in_row = true;
        t->row_repeat = repeat_count(atts, "number-rows-repeated");
        t->col = t->blank_cols = 0;
        t->row_has = false;
        vg_buf_reset(&t->row);
    } else if (t->in_row && !t->in_cell &&
               (strcmp(n, "table-cell") == 0 || strcmp(n, "covered-table-cell") == 0)) {
        t->in_cell = true;
        t->in_p = t->in_note = 0;
        t->col_repeat = repeat_count(atts, "number-columns-repeated");
        const char *ty = vg__zx_attr(atts, "value-type", "office:1.0");
        if (ty == NULL) {
            ty = vg__zx_attr(atts, "value-type", NULL);
        }
        snprintf(t->type, sizeof(t->type), "%s", ty != NULL ? ty : "");
        cell_reset(t);
        t->num = dup_attr(atts, "value");
        t->date = dup_attr(atts, "date-value");
        t->boolean = dup_attr(atts, "boolean-value");
        const char *sv = vg__zx_attr(atts, "string-value", NULL);
        if (sv != NULL && vg_buf_append(&t->value, sv, strlen(sv)) != VG_OK) {
            table_fail(t, VG_ELIMIT, "a cell of more than 1 MiB of text");
        }
    } else if (t->in_cell && strcmp(n, "annotation") == 0) {
        t->in_note++;
    } else if (t->in_cell && t->in_note == 0 && strcmp(n, "p") == 0) {
        if (t->in_p == 0 && t->value.len > 0 && vg_buf_append_char(&t->value, ' ') != VG_OK) {
            table_fail(t, VG_ELIMIT, "a cell of more than 1 MiB of text");
        }
        t->in_p++;
    } else if (t->in_p > 0 && t->in_note == 0 &&
               (strcmp(n, "s") == 0 || strcmp(n, "tab") == 0 || strcmp(n, "line-break") == 0)) {
        const char *c = strcmp(n, "s") == 0 ? vg__zx_attr(atts, "c", NULL) : NULL;
        unsigned long k = c != NULL ? strtoul(c, NULL, 10) : 1;
        for (unsigned long i = 0; i < k && i < 1024; i++) {
            if (vg_buf_append_char(&t->value, ' ') != VG_OK) {
                table_fail(t, VG_ELIMIT, "a cell of more than 1 MiB of text");
                break;
            }
        }
    }
}

static void XMLCALL table_end(void *user, const XML_Char *name)
{
    struct table *t = user;
    if (!t->in_table) {
        return;
    }
    const char *n = vg__zx_local(name);
    enum vg_status st = VG_OK;
    if (strcmp(n, "annotation") == 0 && t->in_note > 0) {
        t->in_note--;
    } else if (strcmp(n, "p") == 0 && t->in_p > 0 && t->in_note == 0) {
        t->in_p--;
    } else if (t->in_cell &&
               (strcmp(n, "table-cell") == 0 || strcmp(n, "covered-table-cell") == 0)) {
        t->in_cell = false;
        st = cell_end(t);
    } else if (t->in_row && !t->in_cell && strcmp(n, "table-row") == 0) {
        t->in_row = false;
        st = row_end(t);
    } else if (!t->in_row && strcmp(n, "table") == 0) {
        t->in_table = false;
        struct ing_sheet *sh = &t->x->sheets[t->x->nsheets];
        sh->len = t->x->text.len - sh->offset;
        t->x->nsheets++;
    }
    if (st != VG_OK && t->failed == VG_OK) {
        table_fail(t, st, NULL);
    }
}

static void XMLCALL table_text(void *user, const XML_Char *s, int len)
{
    struct table *t = user;
    if (t->in_p > 0 && t->in_note == 0 && vg_buf_append(&t->value, s, (size_t)len) != VG_OK) {
        table_fail(t, VG_ELIMIT, "a cell of more than 1 MiB of text");
    }
}

enum vg_status
vg__ing_ods_read(zip_t *z, size_t max_text, struct ing_workbook *x, struct vg_error *why)
{
    memset(x, 0, sizeof(*x));
    vg_buf_init(&x->text, max_text);
    struct vg__zx_reader pr = { z, NULL, max_text, "ods", why };
    struct table t;
    memset(&t, 0, sizeof(t));
    t.x = x;
    t.why = why;
    vg_buf_init(&t.row, max_text);
    vg_buf_init(&t.value, 1u << 20);
    vg_buf_init(&t.cells, (1u << 21) + 16); /* a cell's text, its quotes doubled */
    enum vg_status st = vg__zx_read_part(&pr, "content.xml", false, &t, table_start, table_end,
                                         table_text, &t.p, &t.failed);
    if (st == VG_ENOMEM) {
        vg_error_set(why, VG_ENOMEM, "out of memory reading the spreadsheet");
    }
    cell_reset(&t);
    vg_buf_release(&t.row);
    vg_buf_release(&t.value);
    vg_buf_release(&t.cells);
    if (st != VG_OK) {
        vg__ing_workbook_release(x);
    }
    return st;
}
