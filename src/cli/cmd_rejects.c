/* vigia rejects: what was refused, where and why. */
#include "cli.h"
#include "cli_quality.h"

#include <vigia/quality.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_rejects = {
    "rejects",
    "list refused input with file, position and reason",
    "usage: vigia rejects [--file PATH] [--since TIME] [--limit N] [--summary]\n"
    "                     [--format table|csv|json]\n"
    "\n"
    "Lists every input that was refused (a malformed record, a broken message), with the\n"
    "file, line, column, byte offset, item number, the reason and an excerpt, oldest first.\n"
    "With --summary, counts them per file and format instead, the most first.\n"
    "\n"
    "options:\n" CLI_QUALITY_OPTIONS_HELP,
    run,
};

static int run(struct cli_global *g, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        CLI_QUALITY_LONG_OPTIONS,
        { NULL, 0, NULL, 0 },
    };
    struct cli_quality q = { .list = vg_rejects_query, .summary = vg_rejects_summary };
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int rc = cli_quality_option(g, &cli_cmd_rejects, &q, opt);
        if (rc != CLI_QUALITY_NEXT) {
            return rc;
        }
    }
    return cli_quality_run(g, &q);
}
