/* Helpers shared by the subcommands: errors, exit codes, opening the store. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <vigia/time.h>

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("vigia: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void cli_warn(const struct cli_global *g, const char *fmt, ...)
{
    if (g->quiet) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    fputs("vigia: warning: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_exit_for(enum vg_status st)
{
    switch (st) {
    case VG_OK:
        return CLI_OK;
    case VG_EINVAL:
    case VG_EPARSE:
    case VG_ECHECK:
    case VG_ETRUNC:
    case VG_EFORMAT:
    case VG_ELIMIT:
    case VG_EUNSUPPORTED:
    case VG_ENOTFOUND:
    case VG_ECONFLICT:
        return CLI_BAD_INPUT;
    case VG_EDB:
    case VG_EBUSY:
    case VG_EDENIED:
        return CLI_STORE;
    case VG_EPARTIAL:
        return CLI_PARTIAL;
    case VG_EINTEGRITY:
        return CLI_INTEGRITY;
    case VG_ENOMEM:
    case VG_EIO:
    case VG_ECRYPTO:
        return CLI_SYSTEM;
    }
    return CLI_SYSTEM;
}

int cli_fail(const struct vg_error *err, enum vg_status st)
{
    char msg[800];
    if (err != NULL && (err->message[0] != '\0' || err->source[0] != '\0')) {
        vg_error_format(err, msg, sizeof(msg));
    } else {
        snprintf(msg, sizeof(msg), "%s", vg_strerror(st));
    }
    cli_error("%s", msg);
    return cli_exit_for(st);
}

static struct vg_store *
open_store(const struct cli_global *g, bool create, bool read_only, bool bulk, int *exit_code)
{
    struct vg_store_options opts = {
        .audit_key_path = g->audit_key,
        .audit_export_path = g->audit_export,
        .actor = g->actor,
        .actor_authenticated = false,
        .read_only = read_only,
        .create = create,
        .bulk = bulk,
    };
    struct vg_store *store = NULL;
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_store_open(g->db, &opts, &store, &err);
    if (st != VG_OK) {
        cli_fail(&err, st);
        *exit_code = st == VG_ENOMEM || st == VG_ECRYPTO ? CLI_SYSTEM : CLI_STORE;
        return NULL;
    }
    *exit_code = CLI_OK;
    return store;
}

struct vg_store *
cli_open_store(const struct cli_global *g, bool create, bool read_only, int *exit_code)
{
    return open_store(g, create, read_only, false, exit_code);
}

struct vg_store *cli_open_store_bulk(const struct cli_global *g, int *exit_code)
{
    return open_store(g, false, false, true, exit_code);
}

bool cli_parse_time(const char *text, const char *option, int64_t *out)
{
    struct vg_error err;
    vg_error_clear(&err);
    if (vg_time_parse_iso8601(vg_slice_from_cstr(text), NULL, out, &err) != VG_OK) {
        cli_error("%s wants an ISO 8601 time such as 2026-03-01T05:00Z, not '%s'", option, text);
        return false;
    }
    return true;
}

bool cli_parse_count(const char *text, const char *option, long long min, long long *out)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*text == '\0' || *end != '\0' || v < min) {
        cli_error("%s wants a whole number >= %lld, not '%s'", option, min, text);
        return false;
    }
    *out = v;
    return true;
}

bool cli_parse_format(const char *text, enum cli_format *out)
{
    if (strcmp(text, "table") == 0) {
        *out = CLI_FORMAT_TABLE;
    } else if (strcmp(text, "csv") == 0) {
        *out = CLI_FORMAT_CSV;
    } else if (strcmp(text, "json") == 0) {
        *out = CLI_FORMAT_JSON;
    } else {
        return false;
    }
    return true;
}

void cli_print_usage(const struct cli_command *cmd, FILE *stream)
{
    fputs(cmd->usage, stream);
}

int cli_common_option(struct cli_global *g, const struct cli_command *cmd, int opt, bool *done)
{
    *done = false;
    switch (opt) {
    case 'h':
        cli_print_usage(cmd, stdout);
        *done = true;
        return 0;
    case 'F':
        if (!cli_parse_format(optarg, &g->format)) {
            cli_error("--format must be table, csv or json, not '%s'", optarg);
            *done = true;
            return CLI_USAGE;
        }
        g->format_set = true;
        return 0;
    default:
        return -1;
    }
}

int cli_list(const struct cli_global *g, cli_list_fn list, const void *user)
{
    int code;
    struct vg_store *store = cli_open_store(g, false, true, &code);
    if (store == NULL) {
        return code;
    }
    struct cli_out *out = cli_out_new(g->format, stdout, false);
    struct vg_row_sink sink = cli_out_sink(out);
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = list(store, user, &sink, &err);
    cli_out_finish(out);
    vg_store_close(store);
    return st == VG_OK ? CLI_OK : cli_fail(&err, st);
}
