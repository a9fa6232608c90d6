/* vigia rejects: what was refused, where and why. */
#include "cli.h"

#include <vigia/quality.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_rejects = {
    "rejects",
    "list refused input with file, position and reason",
    "usage: vigia rejects [--format table|csv|json]\n"
    "\n"
    "Lists every input that was refused (a malformed record, a broken message), with the\n"
    "file, line, column, byte offset, item number, the reason and an excerpt, oldest first.\n",
    run,
};

static enum vg_status list_rejects(struct vg_store *store, const void *user,
                                   const struct vg_row_sink *sink, struct vg_error *err)
{
    (void)user;
    return vg_rejects_list(store, sink, err);
}

static int run(struct cli_global *g, int argc, char **argv)
{
    static const struct option opts[] = { CLI_COMMON_LONG_OPTIONS, { NULL, 0, NULL, 0 } };
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        bool done;
        int rc = cli_common_option(g, &cli_cmd_rejects, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_rejects, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    return cli_list(g, list_rejects, NULL);
}
