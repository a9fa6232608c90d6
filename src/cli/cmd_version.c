/* vigia version: the program's version and what it was built with. */
#include "cli.h"

#include <stdio.h>
#include <vigia/version.h>

int cli_cmd_version_run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_version = {
    "version",
    "print the version",
    "usage: vigia version [--format table|csv|json]\n"
    "\n"
    "Prints vigia's version, the store schema version it writes, and the versions of the\n"
    "libraries it was built with.\n",
    cli_cmd_version_run,
};

int cli_cmd_version_run(struct cli_global *g, int argc, char **argv)
{
    static const struct option opts[] = { CLI_COMMON_LONG_OPTIONS, { NULL, 0, NULL, 0 } };
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        bool done;
        int rc = cli_common_option(g, &cli_cmd_version, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_version, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    char schema[16];
    snprintf(schema, sizeof(schema), "%d", vg_store_schema_latest());
    const char *keys[] = { "vigia", "schema", "sqlite", "libsodium", "jansson", "utf8proc" };
    const char *values[] = { vg_version(),         schema,
                             vg_version_sqlite(),  vg_version_sodium(),
                             vg_version_jansson(), vg_version_utf8proc() };
    static const enum vg_cell_kind kinds[] = { VG_CELL_TEXT, VG_CELL_INTEGER, VG_CELL_TEXT,
                                               VG_CELL_TEXT, VG_CELL_TEXT,    VG_CELL_TEXT };
    cli_print_record(g->format, stdout, 6, keys, values, kinds);
    return CLI_OK;
}
