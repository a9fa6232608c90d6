/*
 * XLSX workbooks (Office Open XML spreadsheets, ECMA-376 part 1 section 18), as agencies
 * without EDIFACT export their manifests and event lists from Excel or LibreOffice: each
 * worksheet becomes CSV text that the CSV reader (read_csv.c) reads as a file of the
 * layouts of docs/formats.md. The archive is read with libzip, its XML with expat
 * (streamed, so a sheet of a million rows is never held as XML).
 *
 * One line of CSV per sheet row, from row 1 (empty rows as empty lines, which the CSV
 * reader skips), so that the line the CSV reader names is the sheet's row number; line
 * breaks inside a cell become spaces for the same reason. Cells: shared and inline strings
 * as text, numbers as the shortest decimal with '.', numbers in a date or time format as
 * ISO 8601 local date and time (the 1900 and 1904 date systems), integers in a format of
 * zeros ("000000", how HS codes keep their leading zero) padded to its width, booleans
 * TRUE/FALSE, errors as shown (#N/A). Formulas give their cached value.
 */
#include "ingest/ingest_int.h"
#include "ingest/zipxml.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/time.h>
#include <zip.h>

/* What Excel allows: 1,048,576 rows, 16,384 columns (XFD). */
#define XLSX_MAX_ROW 1048576u
#define XLSX_MAX_COL 16384u
/* ---- workbook: sheets, relationships, date system --------------------------------------- */

struct sheet_ref {
    char name[64];
    char rid[64];
    char part[256]; /* its part in the archive, from the relationships */
};

struct workbook {
    struct sheet_ref *sheets;
    size_t nsheets, cap;
    bool date1904;
    enum vg_status failed;
    XML_Parser p;
};

static void copy_text(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src != NULL ? src : "");
}

static void XMLCALL workbook_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    struct workbook *wb = user;
    const char *n = vg__zx_local(name);
    if (strcmp(n, "sheet") == 0) {
        struct sheet_ref *grown = vg_grow(wb->sheets, &wb->cap, wb->nsheets + 1, sizeof(*grown));
        if (grown == NULL) {
            wb->failed = VG_ENOMEM;
            XML_StopParser(wb->p, XML_FALSE);
            return;
        }
        wb->sheets = grown;
        struct sheet_ref *r = &wb->sheets[wb->nsheets++];
        copy_text(r->name, sizeof(r->name), vg__zx_attr(atts, "name", NULL));
        copy_text(r->rid, sizeof(r->rid), vg__zx_attr(atts, "id", "relationships"));
        r->part[0] = 0;
    } else if (strcmp(n, "workbookPr") == 0) {
        const char *v = vg__zx_attr(atts, "date1904", NULL);
        wb->date1904 = v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
    }
}

static void XMLCALL rels_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    struct workbook *wb = user;
    if (strcmp(vg__zx_local(name), "Relationship") != 0) {
        return;
    }
    const char *id = vg__zx_attr(atts, "Id", NULL), *target = vg__zx_attr(atts, "Target", NULL);
    if (id == NULL || target == NULL) {
        return;
    }
    for (size_t i = 0; i < wb->nsheets; i++) {
        if (strcmp(wb->sheets[i].rid, id) == 0) {
            /* Targets are relative to xl/, or absolute from the archive's root. */
            if (target[0] == '/') {
                copy_text(wb->sheets[i].part, sizeof(wb->sheets[i].part), target + 1);
            } else {
                snprintf(wb->sheets[i].part, sizeof(wb->sheets[i].part), "xl/%s", target);
            }
        }
    }
}

/* ---- shared strings and styles ---------------------------------------------------------- */

struct strings {
    struct vg_buf text; /* each string NUL-terminated */
    size_t *at;         /* offsets into text */
    size_t n, cap;
    int depth_t; /* inside a <t> of the current <si> (not of a phonetic run) */
    bool in_si, in_phonetic;
    enum vg_status failed;
    XML_Parser p;
};

static bool push_offset(size_t **v, size_t *n, size_t *cap, size_t value)
{
    if (*n == *cap) {
        size_t ncap = *cap == 0 ? 256 : *cap * 2;
        size_t *nv = vg_reallocarray(*v, ncap, sizeof(**v));
        if (nv == NULL) {
            return false;
        }
        *v = nv;
        *cap = ncap;
    }
    (*v)[(*n)++] = value;
    return true;
}

static void strings_fail(struct strings *ss, enum vg_status st)
{
    ss->failed = st;
    XML_StopParser(ss->p, XML_FALSE);
}

static void XMLCALL strings_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    struct strings *ss = user;
    const char *n = vg__zx_local(name);
    if (strcmp(n, "si") == 0) {
        ss->in_si = true;
        if (!push_offset(&ss->at, &ss->n, &ss->cap, ss->text.len)) {
            strings_fail(ss, VG_ENOMEM);
        }
    } else if (strcmp(n, "rPh") == 0) {
        ss->in_phonetic = true;
    } else if (strcmp(n, "t") == 0 && ss->in_si && !ss->in_phonetic) {
        ss->depth_t++;
    }
}

static void XMLCALL strings_end(void *user, const XML_Char *name)
{
    struct strings *ss = user;
    const char *n = vg__zx_local(name);
    if (strcmp(n, "si") == 0 && ss->in_si) {
        ss->in_si = false;
        if (vg_buf_append_char(&ss->text, '\0') != VG_OK) {
            strings_fail(ss, VG_ELIMIT);
        }
    } else if (strcmp(n, "rPh") == 0) {
        ss->in_phonetic = false;
    } else if (strcmp(n, "t") == 0 && ss->depth_t > 0) {
        ss->depth_t--;
    }
}

static void XMLCALL strings_text(void *user, const XML_Char *s, int len)
{
    struct strings *ss = user;
    if (ss->depth_t > 0 && vg_buf_append(&ss->text, s, (size_t)len) != VG_OK) {
        strings_fail(ss, VG_ELIMIT);
    }
}

/* How a cell style shows a number. */
enum num_show { SHOW_NUMBER, SHOW_DATE, SHOW_ZEROS };

struct styles {
    /* numFmtId -> format code, for the workbook's own formats (ids from 164). */
    struct num_fmt {
        int id;
        enum num_show show;
        int zeros;
    } * fmts;
    size_t nfmts, capfmts;
    /* cellXfs: style index -> how it shows numbers; width for SHOW_ZEROS. */
    unsigned char *show;
    unsigned short *zeros;
    size_t n, cap;
    bool in_xfs;
    enum vg_status failed;
    XML_Parser p;
};

/* Excel's built-in number formats that show dates or times (ECMA-376 18.8.30, and the
 * East Asian ones); 46, [h]:mm:ss, is a duration. */
static bool builtin_date(int id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || id == 45 || id == 47 ||
           (id >= 50 && id <= 58) || (id >= 71 && id <= 81);
}

/* How a format code shows numbers: a date or time when it has a date or time part outside
 * quoted text, escapes and [colour]/[locale] brackets, but a number for elapsed time
 * ([h]:mm, a duration); zeros when it is only '0's (width: their count). */
static enum num_show classify_format(const char *code, int *zeros)
{
    size_t n = strlen(code), nz = 0;
    bool only_zeros = n > 0;
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        only_zeros = only_zeros && c == '0';
        nz += c == '0';
        if (c == '"') {
            const char *q = strchr(code + i + 1, '"');
            i = q != NULL ? (size_t)(q - code) : n;
        } else if (c == '\\' || c == '_' || c == '*') {
            i++;
        } else if (c == '[') {
            const char *q = strchr(code + i + 1, ']');
            char b = i + 1 < n ? code[i + 1] : 0;
            if (b == 'h' || b == 'H' || b == 'm' || b == 'M' || b == 's' || b == 'S') {
                return SHOW_NUMBER; /* elapsed time ([h]:mm): a duration, not a date */
            }
            i = q != NULL ? (size_t)(q - code) : n;
        } else if (strchr("dDmMyYhHsS", c) != NULL) {
            return SHOW_DATE;
        } else if (c == 'G' && strncmp(code + i, "General", 7) == 0) {
            i += 6;
        } else if (c == 'E' || c == 'e') {
            i++; /* the exponent of 0.00E+00 */
        }
    }
    *zeros = (int)nz;
    return only_zeros && nz > 1 ? SHOW_ZEROS : SHOW_NUMBER;
}

static void styles_fail(struct styles *st, enum vg_status s)
{
    st->failed = s;
    XML_StopParser(st->p, XML_FALSE);
}

static void XMLCALL styles_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    struct styles *st = user;
    const char *n = vg__zx_local(name);
    if (strcmp(n, "numFmt") == 0) {
        const char *id = vg__zx_attr(atts, "numFmtId", NULL),
                   *code = vg__zx_attr(atts, "formatCode", NULL);
        struct num_fmt *grown = id != NULL && code != NULL
                                    ? vg_grow(st->fmts, &st->capfmts, st->nfmts + 1, sizeof(*grown))
                                    : st->fmts;
        if (grown == NULL) {
            styles_fail(st, VG_ENOMEM);
            return;
        }
        st->fmts = grown;
        if (id != NULL && code != NULL) {
            int zeros = 0;
            st->fmts[st->nfmts].id = atoi(id);
            st->fmts[st->nfmts].show = classify_format(code, &zeros);
            st->fmts[st->nfmts].zeros = zeros;
            st->nfmts++;
        }
    } else if (strcmp(n, "cellXfs") == 0) {
        st->in_xfs = true;
    } else if (strcmp(n, "xf") == 0 && st->in_xfs) {
        if (st->n == st->cap) {
            size_t ncap = st->cap == 0 ? 64 : st->cap * 2;
            unsigned char *ns = vg_reallocarray(st->show, ncap, 1);
            if (ns == NULL) {
                styles_fail(st, VG_ENOMEM);
                return;
            }
            st->show = ns;
            unsigned short *nz = vg_reallocarray(st->zeros, ncap, sizeof(*nz));
            if (nz == NULL) {
                styles_fail(st, VG_ENOMEM);
                return;
            }
            st->zeros = nz;
            st->cap = ncap;
        }
        const char *v = vg__zx_attr(atts, "numFmtId", NULL);
        int id = v != NULL ? atoi(v) : 0;
        enum num_show show = builtin_date(id) ? SHOW_DATE : SHOW_NUMBER;
        int zeros = 0;
        for (size_t i = 0; i < st->nfmts; i++) {
            if (st->fmts[i].id == id) {
                show = st->fmts[i].show;
                zeros = st->fmts[i].zeros;
            }
        }
        st->show[st->n] = (unsigned char)show;
        st->zeros[st->n] = (unsigned short)(zeros > 64 ? 64 : zeros);
        st->n++;
    }
}

static void XMLCALL styles_end(void *user, const XML_Char *name)
{
    struct styles *st = user;
    if (strcmp(vg__zx_local(name), "cellXfs") == 0) {
        st->in_xfs = false;
    }
}

/* ---- a worksheet into CSV ------------------------------------------------------------------ */

struct sheet {
    const struct strings *ss;
    const struct styles *sty;
    bool date1904;
    struct vg_buf *out;
    uint32_t row; /* the row being written (1-based); 0 before the first */
    uint32_t col; /* the next column to write in it (0-based) */
    bool in_cell, in_value, in_inline_t;
    char type[16];     /* the cell's t attribute */
    long style;        /* its s attribute */
    uint32_t cell_col; /* its column */
    struct vg_buf value;
    enum vg_status failed;
    struct vg_error *why;
    const char *part;
    XML_Parser p;
};

static void sheet_fail(struct sheet *sh, enum vg_status st, const char *what)
{
    if (sh->failed == VG_OK) {
        sh->failed = st;
        if (what != NULL) {
            vg_error_set(sh->why, st, "xlsx: %s line %lu: %s", sh->part,
                         (unsigned long)XML_GetCurrentLineNumber(sh->p), what);
        }
    }
    XML_StopParser(sh->p, XML_FALSE);
}

/* The 0-based column of a cell reference ("C5": 2); -1 when it is not one. */
static long ref_column(const char *ref)
{
    long col = 0;
    size_t i = 0;
    for (; ref[i] >= 'A' && ref[i] <= 'Z' && i < 4; i++) {
        col = col * 26 + (ref[i] - 'A' + 1);
    }
    if (i == 0 || ref[i] < '0' || ref[i] > '9') {
        return -1;
    }
    return col - 1;
}

/* A date serial (days since 1899-12-30 in the 1900 system, 1904-01-01 in the 1904 one) as
 * ISO 8601 local date and time; false when out of Excel's range. */
static bool format_serial(double serial, bool date1904, char *buf, size_t size)
{
    if (!(serial >= 0 && serial < 2958466)) { /* up to 9999-12-31 */
        return false;
    }
    int64_t secs = (int64_t)llround(serial * 86400.0);
    int64_t base = date1904 ? vg_time_from_civil(1904, 1, 1, 0, 0, 0)
                            : vg_time_from_civil(1899, 12, 30, 0, 0, 0);
    struct vg_civil c;
    vg_time_to_civil(base + secs, &c);
    if (secs % 60 != 0) {
        snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", c.year, c.month, c.day, c.hour,
                 c.minute, c.second);
    } else {
        snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d", c.year, c.month, c.day, c.hour, c.minute);
    }
    return true;
}

/* The cell just read, as its field. */
static enum vg_status put_cell(struct sheet *sh)
{
    const char *v = sh->value.data != NULL ? sh->value.data : "";
    size_t vl = sh->value.len;
    const char *t = sh->type;
    if (strcmp(t, "s") == 0) {
        char *end = NULL;
        unsigned long idx = strtoul(v, &end, 10);
        if (end == v || idx >= sh->ss->n) {
            sheet_fail(sh, VG_EFORMAT, "a shared string index that the workbook does not have");
            return VG_EFORMAT;
        }
        const char *text = sh->ss->text.data + sh->ss->at[idx];
        return vg__zx_put_field(sh->out, text, strlen(text));
    }
    if (strcmp(t, "b") == 0) {
        return vg__zx_put_field(sh->out, strcmp(v, "1") == 0 ? "TRUE" : "FALSE",
                                strcmp(v, "1") == 0 ? 4 : 5);
    }
    if (t[0] != 0 && strcmp(t, "n") != 0) { /* str, inlineStr, e (as shown), d (ISO 8601) */
        return vg__zx_put_field(sh->out, v, vl);
    }
    if (vl == 0) {
        return VG_OK;
    }
    char *end = NULL;
    double d = strtod(v, &end);
    if (end == v || *end != 0 || !isfinite(d)) {
        return vg__zx_put_field(sh->out, v, vl); /* not a number after all: as written */
    }
    char buf[64];
    enum num_show show = SHOW_NUMBER;
    int zeros = 0;
    if (sh->style >= 0 && (size_t)sh->style < sh->sty->n) {
        show = (enum num_show)sh->sty->show[sh->style];
        zeros = sh->sty->zeros[sh->style];
    }
    if (show == SHOW_DATE && format_serial(d, sh->date1904, buf, sizeof(buf))) {
        return vg__zx_put_field(sh->out, buf, strlen(buf));
    }
    if (show == SHOW_ZEROS && d >= 0 && d < 1e15 && d == floor(d)) {
        snprintf(buf, sizeof(buf), "%0*.0f", zeros, d);
    } else {
        vg__zx_format_number(d, buf, sizeof(buf));
    }
    return vg__zx_put_field(sh->out, buf, strlen(buf));
}

static void XMLCALL sheet_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    struct sheet *sh = user;
    const char *n = vg__zx_local(name);
    if (strcmp(n, "row") == 0) {
        const char *r = vg__zx_attr(atts, "r", NULL);
        unsigned long row = r != NULL ? strtoul(r, NULL, 10) : sh->row + 1ul;
        if (row <= sh->row || row > XLSX_MAX_ROW) {
            sheet_fail(sh, VG_EFORMAT, "a row out of order or beyond row 1048576");
            return;
        }
        /* Rows without cells as empty lines: the CSV line is the row number. */
        enum vg_status st = VG_OK;
        for (uint32_t k = sh->row; k < row - 1 && st == VG_OK; k++) {
            st = vg_buf_append_char(sh->out, '\n');
        }
        if (st != VG_OK) {
            sheet_fail(sh, st, NULL);
            return;
        }
        sh->row = (uint32_t)row;
        sh->col = 0;
    } else if (strcmp(n, "c") == 0 && sh->row > 0) {
        const char *r = vg__zx_attr(atts, "r", NULL), *t = vg__zx_attr(atts, "t", NULL);
        const char *s = vg__zx_attr(atts, "s", NULL);
        long col = r != NULL ? ref_column(r) : (long)sh->col;
        if (col < 0 || col >= (long)XLSX_MAX_COL || (uint32_t)col < sh->col) {
            sheet_fail(sh, VG_EFORMAT, "a cell reference out of order or beyond column XFD");
            return;
        }
        sh->in_cell = true;
        sh->cell_col = (uint32_t)col;
        copy_text(sh->type, sizeof(sh->type), t);
        sh->style = s != NULL ? strtol(s, NULL, 10) : -1;
        vg_buf_reset(&sh->value);
    } else if (sh->in_cell && strcmp(n, "v") == 0) {
        sh->in_value = true;
    } else if (sh->in_cell && strcmp(n, "t") == 0) {
        sh->in_inline_t = true; /* <is><t>, or the runs of a rich inline string */
    }
}

static void XMLCALL sheet_end(void *user, const XML_Char *name)
{
    struct sheet *sh = user;
    const char *n = vg__zx_local(name);
    if (strcmp(n, "v") == 0) {
        sh->in_value = false;
    } else if (strcmp(n, "t") == 0) {
        sh->in_inline_t = false;
    } else if (strcmp(n, "c") == 0 && sh->in_cell) {
        sh->in_cell = false;
        enum vg_status st = VG_OK;
        for (; sh->col < sh->cell_col && st == VG_OK; sh->col++) {
            st = sh->col > 0 ? vg_buf_append_char(sh->out, ',') : VG_OK;
        }
        if (st == VG_OK && sh->col > 0) {
            st = vg_buf_append_char(sh->out, ',');
        }
        if (st == VG_OK) {
            st = put_cell(sh);
        }
        sh->col++;
        if (st != VG_OK) {
            sheet_fail(sh, st, NULL);
        }
    } else if (strcmp(n, "row") == 0 && sh->row > 0) {
        if (vg_buf_append_char(sh->out, '\n') != VG_OK) {
            sheet_fail(sh, VG_ELIMIT, NULL);
        }
    }
}

static void XMLCALL sheet_text(void *user, const XML_Char *s, int len)
{
    struct sheet *sh = user;
    if ((sh->in_value || sh->in_inline_t) && vg_buf_append(&sh->value, s, (size_t)len) != VG_OK) {
        sheet_fail(sh, VG_ELIMIT, "a cell of more than 1 MiB of text");
    }
}

/* ---- the workbook ----------------------------------------------------------------------- */

void vg__ing_workbook_release(struct ing_workbook *x)
{
    if (x == NULL) {
        return;
    }
    vg_buf_release(&x->text);
    vg_free(x->sheets);
    memset(x, 0, sizeof(*x));
}

/* Every worksheet of wb into x, read with the shared strings ss and the styles sty. */
static enum vg_status read_sheets(struct vg__zx_reader *pr,
                                  const struct workbook *wb,
                                  const struct strings *ss,
                                  const struct styles *sty,
                                  struct ing_workbook *x)
{
    if (wb->nsheets == 0) {
        return VG_OK;
    }
    x->sheets = vg_calloc(wb->nsheets, sizeof(*x->sheets));
    if (x->sheets == NULL) {
        return VG_ENOMEM;
    }
    struct sheet sh;
    memset(&sh, 0, sizeof(sh));
    struct vg_buf value;
    vg_buf_init(&value, 1u << 20);
    enum vg_status st = VG_OK;
    for (size_t i = 0; st == VG_OK && i < wb->nsheets; i++) {
        const struct sheet_ref *r = &wb->sheets[i];
        struct ing_sheet *out = &x->sheets[x->nsheets];
        copy_text(out->name, sizeof(out->name), r->name);
        out->offset = x->text.len;
        out->len = 0;
        if (r->part[0] == 0) {
            x->nsheets++; /* a reference to no part: a sheet without rows (sheet_skipped) */
            continue;
        }
        sh = (struct sheet){ .ss = ss,
                             .sty = sty,
                             .date1904 = wb->date1904,
                             .out = &x->text,
                             .value = value,
                             .why = pr->why,
                             .part = r->part };
        st = vg__zx_read_part(pr, r->part, false, &sh, sheet_start, sheet_end, sheet_text, &sh.p,
                              &sh.failed);
        value = sh.value;
        out->len = x->text.len - out->offset;
        x->nsheets++;
    }
    vg_buf_release(&value);
    return st;
}

enum vg_status
vg__ing_xlsx_read(zip_t *z, size_t max_text, struct ing_workbook *x, struct vg_error *why)
{
    memset(x, 0, sizeof(*x));
    vg_buf_init(&x->text, max_text);
    struct vg__zx_reader pr = { z, NULL, max_text, "xlsx", why };
    struct workbook *wb = vg_calloc(1, sizeof(*wb));
    struct strings ss;
    memset(&ss, 0, sizeof(ss));
    vg_buf_init(&ss.text, max_text);
    struct styles *sty = vg_calloc(1, sizeof(*sty));
    enum vg_status st = wb != NULL && sty != NULL ? VG_OK : VG_ENOMEM;
    if (st == VG_OK) {
        st = vg__zx_read_part(&pr, "xl/workbook.xml", false, wb, workbook_start, NULL, NULL, &wb->p,
                              &wb->failed);
    }
    if (st == VG_OK) {
        st = vg__zx_read_part(&pr, "xl/_rels/workbook.xml.rels", true, wb, rels_start, NULL, NULL,
                              NULL, &wb->failed);
    }
    if (st == VG_OK || st == VG_ENOTFOUND) {
        st = vg__zx_read_part(&pr, "xl/sharedStrings.xml", true, &ss, strings_start, strings_end,
                              strings_text, &ss.p, &ss.failed);
    }
    if (st == VG_OK || st == VG_ENOTFOUND) {
        st = vg__zx_read_part(&pr, "xl/styles.xml", true, sty, styles_start, styles_end, NULL,
                              &sty->p, &sty->failed);
    }
    if (st == VG_OK || st == VG_ENOTFOUND) {
        st = read_sheets(&pr, wb, &ss, sty, x);
    }
    if (st == VG_ENOMEM) {
        vg_error_set(why, VG_ENOMEM, "out of memory reading the workbook");
    }
    vg_free(ss.at);
    vg_buf_release(&ss.text);
    if (sty != NULL) {
        vg_free(sty->show);
        vg_free(sty->zeros);
        vg_free(sty->fmts);
    }
    vg_free(sty);
    if (wb != NULL) {
        vg_free(wb->sheets);
    }
    vg_free(wb);
    if (st != VG_OK) {
        vg__ing_workbook_release(x);
    }
    return st;
}
