/* vigia init: create the store, or bring its schema up to date. */
#include "cli.h"

#include <stdio.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_init = {
    "init",
    "create the store or upgrade its schema",
    "usage: vigia [--db PATH] init [--format table|csv|json]\n"
    "\n"
    "Creates the store (SQLite, WAL) with the latest schema, or applies the migrations an\n"
    "older store lacks. Creates the audit signing key when it does not exist yet. Running\n"
    "it again on an up-to-date store changes nothing.\n",
    run,
};

static int run(struct cli_global *g, int argc, char **argv)
{
    static const struct option opts[] = { CLI_COMMON_LONG_OPTIONS, { NULL, 0, NULL, 0 } };
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        bool done;
        int rc = cli_common_option(g, &cli_cmd_init, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_init, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    if (optind != argc) {
        cli_error("init takes no arguments");
        return CLI_USAGE;
    }
    int code;
    /* Opening with create=true creates the file and runs every pending migration. */
    struct vg_store *store = cli_open_store(g, true, false, &code);
    if (store == NULL) {
        return code;
    }
    char version[16], latest[16];
    snprintf(version, sizeof(version), "%d", vg_store_schema_version(store));
    snprintf(latest, sizeof(latest), "%d", vg_store_schema_latest());
    const char *keys[] = { "store", "schema_version", "latest_schema", "actor" };
    const char *values[] = { vg_store_path(store), version, latest, vg_store_actor(store) };
    static const enum vg_cell_kind kinds[] = { VG_CELL_TEXT, VG_CELL_INTEGER, VG_CELL_INTEGER,
                                               VG_CELL_TEXT };
    cli_print_record(g->format, stdout, 4, keys, values, kinds);
    vg_store_close(store);
    return CLI_OK;
}
