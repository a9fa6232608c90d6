/*
 * Output in the three formats of docs/cli.md:
 *   table  for people: aligned columns (display width from utf8proc), long cells cut
 *   csv    RFC 4180: a header line, fields quoted when they hold a comma, quote or line end
 *   json   one document (an array of objects), or one object per line for streams
 * Tables must see every row before printing (column widths); CSV and JSON stream.
 */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define TABLE_MAX_WIDTH 60

struct cli_out {
    enum cli_format format;
    FILE *fp;
    bool json_stream;
    size_t ncols;
    char **cols;
    size_t nrows, cap;
    char **cells; /* table only: nrows * ncols */
    size_t json_rows;
};

/* A copy of s in which every byte sequence that is not valid UTF-8 is replaced by
 * U+FFFD, so that raw excerpts of rejected input print safely in every format. */
static char *xstrdup(const char *s)
{
    if (s == NULL) {
        s = "";
    }
    size_t n = strlen(s);
    char *p = malloc(3 * n + 1);
    if (p == NULL) {
        fputs("vigia: out of memory\n", stderr);
        exit(CLI_SYSTEM);
    }
    size_t w = 0;
    const utf8proc_uint8_t *in = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)n;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(in, left, &cp);
        if (k <= 0) {
            memcpy(p + w, "\xEF\xBF\xBD", 3);
            w += 3;
            k = 1;
        } else {
            memcpy(p + w, in, (size_t)k);
            w += (size_t)k;
        }
        in += k;
        left -= k;
    }
    p[w] = '\0';
    return p;
}

struct cli_out *cli_out_new(enum cli_format format, FILE *stream, bool json_stream)
{
    struct cli_out *o = calloc(1, sizeof(*o));
    if (o == NULL) {
        return NULL;
    }
    o->format = format;
    o->fp = stream;
    o->json_stream = json_stream;
    return o;
}

/* JSON's text of reals: as many significant digits as SQLite prints (%!.15g), so that
 * 0.1 stays 0.1 and a value reads the same in every format. */
#define JSON_FLAGS_REAL JSON_REAL_PRECISION(15)

/* The JSON value of v: a number when its kind says it is one and the whole text reads as
 * one (finite), else a string (made valid UTF-8); null for NULL. */
static json_t *json_value(const char *v, enum vg_cell_kind kind)
{
    if (v == NULL) {
        return json_null();
    }
    if (kind == VG_CELL_INTEGER && v[0] != '\0') {
        char *end = NULL;
        errno = 0;
        long long i = strtoll(v, &end, 10);
        if (errno == 0 && *end == '\0') {
            return json_integer((json_int_t)i);
        }
    } else if (kind == VG_CELL_REAL && v[0] != '\0') {
        char *end = NULL;
        double d = strtod(v, &end);
        if (*end == '\0' && isfinite(d)) {
            return json_real(d);
        }
    }
    char *clean = xstrdup(v);
    json_t *s = json_string(clean);
    free(clean);
    return s;
}

static void csv_field(FILE *fp, const char *v)
{
    if (v == NULL) {
        return;
    }
    if (strpbrk(v, ",\"\r\n") == NULL) {
        fputs(v, fp);
        return;
    }
    fputc('"', fp);
    for (const char *p = v; *p != '\0'; p++) {
        if (*p == '"') {
            fputc('"', fp);
        }
        fputc(*p, fp);
    }
    fputc('"', fp);
}

void cli_out_columns(struct cli_out *o, size_t n, const char *const *names)
{
    o->ncols = n;
    o->cols = calloc(n == 0 ? 1 : n, sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        o->cols[i] = xstrdup(names[i]);
    }
    if (o->format == CLI_FORMAT_CSV) {
        for (size_t i = 0; i < n; i++) {
            if (i > 0) {
                fputc(',', o->fp);
            }
            csv_field(o->fp, names[i]);
        }
        fputs("\r\n", o->fp);
    } else if (o->format == CLI_FORMAT_JSON && !o->json_stream) {
        fputc('[', o->fp);
    }
}

/* Display width of a UTF-8 string (terminal columns). */
static size_t display_width(const char *s)
{
    size_t w = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) {
            n = 1;
            cp = '?';
        }
        int cw = utf8proc_charwidth(cp);
        w += cw > 0 ? (size_t)cw : 0;
        p += n;
        left -= n;
    }
    return w;
}

/* Prints s padded or cut to width columns. */
static void print_cell(FILE *fp, const char *s, size_t width, bool pad)
{
    size_t w = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);
    size_t total = display_width(s);
    bool cut = total > width;
    size_t limit = cut ? width - 1 : width;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) {
            n = 1;
            cp = '?';
        }
        int cw = utf8proc_charwidth(cp);
        size_t cwu = cw > 0 ? (size_t)cw : 0;
        if (w + cwu > limit) {
            break;
        }
        if (cp == '\n' || cp == '\r' || cp == '\t') {
            fputc(' ', fp);
        } else {
            fwrite(p, 1, (size_t)n, fp);
        }
        w += cwu;
        p += n;
        left -= n;
    }
    if (cut) {
        fputs("\xE2\x80\xA6", fp); /* … */
        w++;
    }
    if (pad) {
        for (; w < width; w++) {
            fputc(' ', fp);
        }
    }
}

void cli_out_row(struct cli_out *o, size_t n, const char *const *values)
{
    cli_out_row_typed(o, n, values, NULL);
}

void cli_out_row_typed(struct cli_out *o,
                       size_t n,
                       const char *const *values,
                       const enum vg_cell_kind *kinds)
{
    if (o->format == CLI_FORMAT_CSV) {
        for (size_t i = 0; i < o->ncols; i++) {
            if (i > 0) {
                fputc(',', o->fp);
            }
            if (i < n && values[i] != NULL) {
                char *clean = xstrdup(values[i]);
                csv_field(o->fp, clean);
                free(clean);
            }
        }
        fputs("\r\n", o->fp);
        return;
    }
    if (o->format == CLI_FORMAT_JSON) {
        json_t *obj = json_object();
        for (size_t i = 0; i < o->ncols; i++) {
            const char *v = i < n ? values[i] : NULL;
            json_object_set_new(obj, o->cols[i],
                                json_value(v, kinds != NULL && i < n ? kinds[i] : VG_CELL_TEXT));
        }
        char *text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_FLAGS_REAL);
        json_decref(obj);
        if (o->json_stream) {
            fprintf(o->fp, "%s\n", text != NULL ? text : "{}");
        } else {
            fprintf(o->fp, "%s%s", o->json_rows > 0 ? ",\n " : "\n ", text != NULL ? text : "{}");
        }
        free(text);
        o->json_rows++;
        return;
    }
    if (o->nrows == o->cap) {
        o->cap = o->cap == 0 ? 64 : o->cap * 2;
        o->cells = realloc(o->cells, o->cap * (o->ncols == 0 ? 1 : o->ncols) * sizeof(char *));
        if (o->cells == NULL) {
            fputs("vigia: out of memory\n", stderr);
            exit(CLI_SYSTEM);
        }
    }
    for (size_t i = 0; i < o->ncols; i++) {
        o->cells[o->nrows * o->ncols + i] = xstrdup(i < n ? values[i] : NULL);
    }
    o->nrows++;
}

void cli_out_finish(struct cli_out *o)
{
    if (o == NULL) {
        return;
    }
    if (o->format == CLI_FORMAT_JSON && !o->json_stream) {
        if (o->cols == NULL) {
            fputc('[', o->fp);
        }
        fputs(o->json_rows > 0 ? "\n]\n" : "]\n", o->fp);
    } else if (o->format == CLI_FORMAT_TABLE && o->ncols > 0) {
        size_t *width = calloc(o->ncols, sizeof(size_t));
        for (size_t c = 0; c < o->ncols; c++) {
            width[c] = display_width(o->cols[c]);
            for (size_t r = 0; r < o->nrows; r++) {
                size_t w = display_width(o->cells[r * o->ncols + c]);
                if (w > width[c]) {
                    width[c] = w;
                }
            }
            /* The last column needs no alignment: let it run longer. */
            size_t cap = c + 1 < o->ncols ? TABLE_MAX_WIDTH : 4 * TABLE_MAX_WIDTH;
            if (width[c] > cap) {
                width[c] = cap;
            }
        }
        for (size_t c = 0; c < o->ncols; c++) {
            print_cell(o->fp, o->cols[c], width[c], c + 1 < o->ncols);
            fputs(c + 1 < o->ncols ? "  " : "\n", o->fp);
        }
        for (size_t r = 0; r < o->nrows; r++) {
            for (size_t c = 0; c < o->ncols; c++) {
                print_cell(o->fp, o->cells[r * o->ncols + c], width[c], c + 1 < o->ncols);
                fputs(c + 1 < o->ncols ? "  " : "\n", o->fp);
            }
        }
        if (o->nrows == 0) {
            fputs("(none)\n", o->fp);
        }
        free(width);
    }
    for (size_t i = 0; i < o->nrows * o->ncols; i++) {
        free(o->cells[i]);
    }
    free(o->cells);
    for (size_t i = 0; i < o->ncols; i++) {
        free(o->cols[i]);
    }
    free(o->cols);
    fflush(o->fp);
    free(o);
}

static void sink_columns(void *user, size_t n, const char *const *names)
{
    cli_out_columns(user, n, names);
}

static int sink_row(void *user, size_t n, const char *const *values)
{
    cli_out_row(user, n, values);
    return 0;
}

static int
sink_typed_row(void *user, size_t n, const char *const *values, const enum vg_cell_kind *kinds)
{
    cli_out_row_typed(user, n, values, kinds);
    return 0;
}

struct vg_row_sink cli_out_sink(struct cli_out *o)
{
    return (struct vg_row_sink){
        .columns = sink_columns, .row = sink_row, .user = o, .typed_row = sink_typed_row
    };
}

void cli_print_record(enum cli_format format,
                      FILE *stream,
                      size_t n,
                      const char *const *keys,
                      const char *const *values,
                      const enum vg_cell_kind *kinds)
{
    if (format == CLI_FORMAT_JSON) {
        json_t *obj = json_object();
        for (size_t i = 0; i < n; i++) {
            json_object_set_new(obj, keys[i],
                                json_value(values[i], kinds != NULL ? kinds[i] : VG_CELL_TEXT));
        }
        char *text = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_FLAGS_REAL);
        fprintf(stream, "%s\n", text != NULL ? text : "{}");
        free(text);
        json_decref(obj);
        return;
    }
    if (format == CLI_FORMAT_CSV) {
        static const char *const cols[] = { "field", "value" };
        struct cli_out *o = cli_out_new(CLI_FORMAT_CSV, stream, false);
        cli_out_columns(o, 2, cols);
        for (size_t i = 0; i < n; i++) {
            const char *row[2] = { keys[i], values[i] };
            cli_out_row(o, 2, row);
        }
        cli_out_finish(o);
        return;
    }
    size_t kw = 0;
    for (size_t i = 0; i < n; i++) {
        size_t w = strlen(keys[i]);
        kw = w > kw ? w : kw;
    }
    for (size_t i = 0; i < n; i++) {
        fprintf(stream, "%-*s  %s\n", (int)kw + 1, keys[i], values[i] != NULL ? values[i] : "");
    }
}

void cli_print_counts(
    enum cli_format format, FILE *stream, size_t n, const char *const *keys, const int64_t *nums)
{
    enum { MAX = 64 };
    char text[MAX][24];
    const char *vals[MAX];
    enum vg_cell_kind kinds[MAX];
    n = n < MAX ? n : MAX;
    for (size_t i = 0; i < n; i++) {
        snprintf(text[i], sizeof(text[i]), "%lld", (long long)nums[i]);
        vals[i] = text[i];
        kinds[i] = VG_CELL_INTEGER;
    }
    cli_print_record(format, stream, n, keys, vals, kinds);
}
