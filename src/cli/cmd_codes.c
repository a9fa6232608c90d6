/*
 * vigia codes import unlocode|hs|ports FILE...
 * vigia codes check KIND VALUE...
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include <vigia/codes.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_codes = {
    "codes",
    "import code lists (UN/LOCODE, HS, ports); check identifiers",
    "usage: vigia codes import unlocode|hs|ports [--edition E] FILE...\n"
    "       vigia codes check KIND VALUE... [--format table|csv|json]\n"
    "\n"
    "import loads code lists as their publishers distribute them:\n"
    "  unlocode  UNECE UN/LOCODE code-list parts (CSV, ISO 8859-1)\n"
    "  hs        an HS nomenclature CSV (hscode, description, parent, level), such as\n"
    "            UN Comtrade's harmonized-system.csv\n"
    "  ports     the NGA World Port Index (Pub. 150) CSV, for port positions\n"
    "Importing the same file again changes nothing. Bad records are reported with\n"
    "file:line and the reason, kept for review (vigia rejects), and the rest goes in.\n"
    "\n"
    "check validates identifiers and explains them; KIND is one of container, sizetype,\n"
    "imo, mmsi, locode, hs, ruc. LOCODE and HS codes are also looked up in the imported\n"
    "lists when the store exists. Example: vigia codes check container MSCU1234567\n"
    "\n"
    "options:\n"
    "  --edition E   edition label stored with the codes (default: from the file name)\n"
    "  --format F    table, csv or json\n"
    "\n"
    "exit status: 0 all good, 2 an identifier is invalid or a file unreadable,\n"
    "4 some records rejected, 3 store error.\n",
    run,
};

struct reject_printer {
    const struct cli_global *g;
    int printed;
    int suppressed;
};

static void print_reject(void *user, bool rejected, const struct vg_error *err)
{
    struct reject_printer *rp = user;
    if (rp->g->quiet) {
        return;
    }
    if (rp->printed >= 20) {
        rp->suppressed++;
        return;
    }
    char msg[800];
    vg_error_format(err, msg, sizeof(msg));
    fprintf(stderr, "vigia: %s: %s\n", rejected ? "rejected" : "flagged", msg);
    rp->printed++;
}

static int do_import(struct cli_global *g, const char *list, const char *edition, int nfiles,
                     char **files)
{
    int code;
    struct vg_store *store = cli_open_store(g, false, false, &code);
    if (store == NULL) {
        return code;
    }
    static const char *const cols[] = { "file",    "records", "inserted", "updated",
                                        "unchanged", "skipped", "rejected", "flagged" };
    struct cli_out *out = cli_out_new(g->format, stdout, false);
    cli_out_columns(out, 8, cols);
    int exit_code = CLI_OK;
    for (int i = 0; i < nfiles; i++) {
        struct vg_import_report rep;
        struct vg_error err;
        vg_error_clear(&err);
        struct reject_printer rp = { g, 0, 0 };
        enum vg_status st;
        if (strcmp(list, "unlocode") == 0) {
            st = vg_codes_import_unlocode(store, files[i], edition, &rep, print_reject, &rp, &err);
        } else if (strcmp(list, "hs") == 0) {
            st = vg_codes_import_hs(store, files[i], edition, &rep, print_reject, &rp, &err);
        } else {
            st = vg_codes_import_ports(store, files[i], &rep, print_reject, &rp, &err);
        }
        if (rp.suppressed > 0) {
            fprintf(stderr, "vigia: ... %d more problems in %s (see vigia rejects, vigia quality)\n",
                    rp.suppressed, files[i]);
        }
        if (st != VG_OK && st != VG_EPARTIAL) {
            int c = cli_fail(&err, st);
            if (exit_code == CLI_OK || exit_code == CLI_PARTIAL) {
                exit_code = c;
            }
            continue;
        }
        if (st == VG_EPARTIAL && exit_code == CLI_OK) {
            exit_code = CLI_PARTIAL;
        }
        char n[7][24];
        snprintf(n[0], 24, "%lld", (long long)rep.records);
        snprintf(n[1], 24, "%lld", (long long)rep.inserted);
        snprintf(n[2], 24, "%lld", (long long)rep.updated);
        snprintf(n[3], 24, "%lld", (long long)rep.unchanged);
        snprintf(n[4], 24, "%lld", (long long)rep.skipped);
        snprintf(n[5], 24, "%lld", (long long)rep.rejected);
        snprintf(n[6], 24, "%lld", (long long)rep.flagged);
        const char *row[8] = { files[i], n[0], n[1], n[2], n[3], n[4], n[5], n[6] };
        cli_out_row(out, 8, row);
    }
    cli_out_finish(out);
    vg_store_close(store);
    return exit_code;
}

static int do_check(struct cli_global *g, const char *kind_name, int nvalues, char **values)
{
    enum vg_code_kind kind;
    if (!vg_code_kind_parse(kind_name, &kind)) {
        cli_error("unknown identifier kind '%s' (container, sizetype, imo, mmsi, locode, hs, "
                  "ruc)",
                  kind_name);
        return CLI_USAGE;
    }
    /* Look codes up in the store when there is one; syntax only otherwise. */
    struct vg_store *store = NULL;
    if (kind == VG_CODE_LOCODE || kind == VG_CODE_HS) {
        struct vg_store_options opts = { .read_only = true };
        if (vg_store_open(g->db, &opts, &store, NULL) != VG_OK) {
            store = NULL;
            cli_warn(g, "no store at '%s': checking syntax only", g->db);
        }
    }
    static const char *const cols[] = { "kind", "input", "normalized", "valid", "detail" };
    struct cli_out *out = cli_out_new(g->format, stdout, false);
    cli_out_columns(out, 5, cols);
    int exit_code = CLI_OK;
    for (int i = 0; i < nvalues; i++) {
        struct vg_code_check chk;
        struct vg_error err;
        vg_error_clear(&err);
        enum vg_status st = vg_codes_check(store, kind, values[i], &chk, &err);
        if (st != VG_OK) {
            exit_code = cli_fail(&err, st);
            continue;
        }
        if (!chk.valid && exit_code == CLI_OK) {
            exit_code = CLI_BAD_INPUT;
        }
        const char *row[5] = { kind_name, values[i], chk.normalized, chk.valid ? "yes" : "no",
                               chk.summary };
        cli_out_row(out, 5, row);
    }
    cli_out_finish(out);
    vg_store_close(store);
    return exit_code;
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum { OPT_EDITION = 300 };
    static const struct option opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "edition", required_argument, NULL, OPT_EDITION },
        { NULL, 0, NULL, 0 },
    };
    const char *edition = NULL;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == OPT_EDITION) {
            edition = optarg;
            continue;
        }
        bool done;
        int rc = cli_common_option(g, &cli_cmd_codes, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_codes, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    if (argc - optind < 1) {
        cli_print_usage(&cli_cmd_codes, stderr);
        return CLI_USAGE;
    }
    const char *sub = argv[optind];
    if (strcmp(sub, "import") == 0) {
        if (argc - optind < 3) {
            cli_error("usage: vigia codes import unlocode|hs|ports FILE...");
            return CLI_USAGE;
        }
        const char *list = argv[optind + 1];
        if (strcmp(list, "unlocode") != 0 && strcmp(list, "hs") != 0 &&
            strcmp(list, "ports") != 0) {
            cli_error("unknown code list '%s' (unlocode, hs, ports)", list);
            return CLI_USAGE;
        }
        return do_import(g, list, edition, argc - optind - 2, argv + optind + 2);
    }
    if (strcmp(sub, "check") == 0) {
        if (argc - optind < 3) {
            cli_error("usage: vigia codes check KIND VALUE...");
            return CLI_USAGE;
        }
        return do_check(g, argv[optind + 1], argc - optind - 2, argv + optind + 2);
    }
    cli_error("unknown codes subcommand '%s' (import, check)", sub);
    return CLI_USAGE;
}
