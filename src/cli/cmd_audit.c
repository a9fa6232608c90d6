/*
 * vigia audit verify   check the hash chain, the signatures and the exported heads
 * vigia audit log      list the latest audit entries
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/audit.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_audit = {
    "audit",
    "verify the tamper-evident audit trail, or list it",
    "usage: vigia audit verify [--format table|csv|json]\n"
    "       vigia audit log [--limit N] [--format table|csv|json]\n"
    "\n"
    "verify recomputes the hash chain of the audit trail, checks every entry's Ed25519\n"
    "signature against the operator's public key (from the audit key file, else from the\n"
    "exported heads) and compares the heads exported when they were written. It names\n"
    "the first broken entry: edited in place, rewritten without the key, missing, or\n"
    "cut off. Exit status 5 when the trail is broken.\n"
    "\n"
    "log lists the latest entries (default 50; --limit 0 for all).\n",
    run,
};

static int do_verify(struct cli_global *g)
{
    int code;
    struct vg_store *store = cli_open_store(g, false, true, &code);
    if (store == NULL) {
        return code;
    }
    struct vg_audit_report rep;
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_audit_verify(store, &rep, &err);
    vg_store_close(store);
    if (st != VG_OK && st != VG_EINTEGRITY) {
        return cli_fail(&err, st);
    }
    char entries[24], last[24], heads[24], broken[24];
    snprintf(entries, sizeof(entries), "%lld", (long long)rep.entries);
    snprintf(last, sizeof(last), "%lld", (long long)rep.last_seq);
    snprintf(heads, sizeof(heads), "%lld", (long long)rep.exported_heads);
    snprintf(broken, sizeof(broken), "%lld", (long long)rep.first_broken);
    const char *keys[] = { "result",     "entries",      "last_seq", "exported_heads",
                           "key_anchor", "first_broken", "reason" };
    const char *values[] = {
        rep.ok ? "ok" : "BROKEN",
        entries,
        last,
        heads,
        rep.key_from_file  ? "key file"
        : rep.export_found ? "exported heads"
                           : "store only (weak)",
        rep.ok ? NULL : broken,
        rep.ok ? NULL : rep.reason,
    };
    static const enum vg_cell_kind kinds[] = { VG_CELL_TEXT,    VG_CELL_INTEGER, VG_CELL_INTEGER,
                                               VG_CELL_INTEGER, VG_CELL_TEXT,    VG_CELL_INTEGER,
                                               VG_CELL_TEXT };
    cli_print_record(g->format, stdout, 7, keys, values, kinds);
    if (!rep.key_from_file && !rep.export_found) {
        cli_warn(g, "neither the audit key nor the exported heads were found: signatures were "
                    "checked against the key recorded in the store itself");
    }
    return rep.ok ? CLI_OK : CLI_INTEGRITY;
}

static enum vg_status list_log(struct vg_store *store,
                               const void *limit,
                               const struct vg_row_sink *sink,
                               struct vg_error *err)
{
    return vg_audit_list(store, *(const long long *)limit, sink, err);
}

static int do_log(struct cli_global *g, long long limit)
{
    return cli_list(g, list_log, &limit);
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum { OPT_LIMIT = 300 };
    static const struct option opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "limit", required_argument, NULL, OPT_LIMIT },
        { NULL, 0, NULL, 0 },
    };
    long long limit = 50;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == OPT_LIMIT) {
            char *end;
            limit = strtoll(optarg, &end, 10);
            if (*end != '\0' || limit < 0) {
                cli_error("--limit must be a number >= 0");
                return CLI_USAGE;
            }
            continue;
        }
        bool done;
        int rc = cli_common_option(g, &cli_cmd_audit, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_audit, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    if (argc - optind != 1) {
        cli_print_usage(&cli_cmd_audit, stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[optind], "verify") == 0) {
        return do_verify(g);
    }
    if (strcmp(argv[optind], "log") == 0) {
        return do_log(g, limit);
    }
    cli_error("unknown audit subcommand '%s' (verify, log)", argv[optind]);
    return CLI_USAGE;
}
