/* Printing multi-section reports (cli_report.h). */
#include "cli_report.h"

#include <stdlib.h>
#include <string.h>
#include <vigia/slice.h>
#include <vigia/time.h>

struct cli_report {
    enum cli_format format;
    FILE *fp;
    const char *only;
    bool selected; /* the current section is printed */
    bool record;
    bool found;  /* only was seen */
    int printed; /* sections printed */
    struct cli_out *out;
    size_t ncols;
    char **names; /* a record's columns and its row */
    char **values;
    enum vg_cell_kind *kinds;
    bool has_row;
};

struct cli_report *cli_report_new(enum cli_format format, FILE *stream, const char *only)
{
    struct cli_report *r = calloc(1, sizeof(*r));
    if (r != NULL) {
        r->format = format;
        r->fp = stream;
        r->only = only;
    }
    return r;
}

static void free_record(struct cli_report *r)
{
    for (size_t i = 0; i < r->ncols; i++) {
        free(r->names[i]);
        if (r->values != NULL) {
            free(r->values[i]);
        }
    }
    free(r->names);
    free(r->values);
    free(r->kinds);
    r->names = r->values = NULL;
    r->kinds = NULL;
    r->ncols = 0;
    r->has_row = false;
}

static void end_section(struct cli_report *r)
{
    if (!r->selected) {
        return;
    }
    if (r->out != NULL) {
        cli_out_finish(r->out);
        r->out = NULL;
    } else if (r->record) {
        if (!r->has_row) {
            fputs(r->format == CLI_FORMAT_JSON ? "null\n" : "(none)\n", r->fp);
        } else if (r->format == CLI_FORMAT_JSON) {
            /* One object on one line, through the same output as tables (UTF-8 safe). */
            struct cli_out *o = cli_out_new(CLI_FORMAT_JSON, r->fp, true);
            cli_out_columns(o, r->ncols, (const char *const *)r->names);
            cli_out_row_typed(o, r->ncols, (const char *const *)r->values, r->kinds);
            cli_out_finish(o);
        } else {
            cli_print_record(r->format, r->fp, r->ncols, (const char *const *)r->names,
                             (const char *const *)r->values, r->kinds);
        }
        free_record(r);
    }
    r->selected = false;
}

static void on_section(void *user, const char *key, const char *title, bool record)
{
    struct cli_report *r = user;
    end_section(r);
    r->selected = r->only == NULL || strcmp(r->only, key) == 0;
    r->record = record;
    if (!r->selected) {
        return;
    }
    r->found = true;
    if (r->format == CLI_FORMAT_JSON) {
        fprintf(r->fp, "%s\"%s\": ", r->printed > 0 ? ",\n" : "{\n", key);
    } else if (r->format == CLI_FORMAT_TABLE) {
        fprintf(r->fp, "%s%s\n", r->printed > 0 ? "\n" : "", title);
    }
    r->printed++;
    if (!record) {
        r->out = cli_out_new(r->format, r->fp, false);
    }
}

static void on_columns(void *user, size_t n, const char *const *names)
{
    struct cli_report *r = user;
    if (!r->selected) {
        return;
    }
    if (r->out != NULL) {
        cli_out_columns(r->out, n, names);
        return;
    }
    free_record(r);
    r->names = calloc(n ? n : 1, sizeof(char *));
    r->values = calloc(n ? n : 1, sizeof(char *));
    r->kinds = calloc(n ? n : 1, sizeof(*r->kinds)); /* all text until a typed row */
    if (r->names == NULL || r->values == NULL || r->kinds == NULL) {
        fputs("vigia: out of memory\n", stderr);
        exit(CLI_SYSTEM);
    }
    r->ncols = n;
    for (size_t i = 0; i < n; i++) {
        r->names[i] = strdup(names[i]);
    }
}

static int
on_typed_row(void *user, size_t n, const char *const *values, const enum vg_cell_kind *kinds)
{
    struct cli_report *r = user;
    if (!r->selected) {
        return 0;
    }
    if (r->out != NULL) {
        cli_out_row_typed(r->out, n, values, kinds);
    } else if (!r->has_row) {
        for (size_t i = 0; i < r->ncols && i < n; i++) {
            r->values[i] = values[i] != NULL ? strdup(values[i]) : NULL;
            r->kinds[i] = kinds != NULL ? kinds[i] : VG_CELL_TEXT;
        }
        r->has_row = true;
    }
    return 0;
}

static int on_row(void *user, size_t n, const char *const *values)
{
    return on_typed_row(user, n, values, NULL);
}

struct vg_report_sink cli_report_sink(struct cli_report *r)
{
    return (struct vg_report_sink){
        .section = on_section,
        .rows = { .columns = on_columns, .row = on_row, .user = r, .typed_row = on_typed_row },
        .user = r
    };
}

bool cli_report_finish(struct cli_report *r, bool failed)
{
    end_section(r);
    if (r->format == CLI_FORMAT_JSON && !(failed && r->printed == 0)) {
        fputs(r->printed > 0 ? "}\n" : "{}\n", r->fp);
    }
    bool found = r->found || r->only == NULL;
    free_record(r);
    fflush(r->fp);
    free(r);
    return found;
}

bool cli_parse_when(const char *text, const char *option, int64_t *out)
{
    if (vg_time_parse_iso8601(vg_slice_from_cstr(text), NULL, out, NULL) != VG_OK) {
        cli_error("%s wants an ISO 8601 date or time such as 2024-05-03 or 2024-05-03T05:00Z, "
                  "not '%s'",
                  option, text);
        return false;
    }
    return true;
}

void cli_print_problem(void *user, bool rejected, const struct vg_error *err)
{
    struct cli_problems *p = user;
    if (p->g->quiet) {
        return;
    }
    if (p->printed >= 20) {
        p->suppressed++;
        return;
    }
    char msg[800];
    fprintf(stderr, "vigia: %s: %s\n", rejected ? "rejected" : "flagged",
            vg_error_format(err, msg, sizeof(msg)));
    p->printed++;
}

int cli_report_run(struct cli_global *g,
                   const char *only,
                   const char *what,
                   enum vg_status (*fn)(struct vg_store *store,
                                        const struct vg_report_sink *sink,
                                        void *ctx,
                                        struct vg_error *err),
                   void *ctx)
{
    if (g->format == CLI_FORMAT_CSV && only == NULL) {
        cli_error("%s is several tables: choose one with --section for CSV (or use --format "
                  "json)",
                  what);
        return CLI_USAGE;
    }
    int code;
    struct vg_store *store = cli_open_store(g, false, true, &code);
    if (store == NULL) {
        return code;
    }
    struct cli_report *r = cli_report_new(g->format, stdout, only);
    struct vg_report_sink sink = cli_report_sink(r);
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = fn(store, &sink, ctx, &err);
    bool found = cli_report_finish(r, st != VG_OK);
    vg_store_close(store);
    if (st != VG_OK) {
        return cli_fail(&err, st);
    }
    if (!found) {
        cli_error("no section '%s' in %s", only, what);
        return CLI_USAGE;
    }
    return CLI_OK;
}
