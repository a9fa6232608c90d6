/* vigia quality: data-quality findings (doubtful content that went in, flagged). */
#include "cli.h"

#include <vigia/quality.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_quality = {
    "quality",
    "list data-quality findings (bad check digits, unknown codes...)",
    "usage: vigia quality [--kind KIND] [--format table|csv|json]\n"
    "\n"
    "Lists the data-quality findings recorded while ingesting: identifiers that failed\n"
    "their check (stored as sent, because a wrong number can be evidence), unknown codes,\n"
    "character-set mismatches, missing feeds. Each names the file, the message, the\n"
    "segment, what is wrong and what was expected.\n"
    "\n"
    "options:\n"
    "  --kind KIND   only findings of this kind (e.g. bad_check_digit)\n",
    run,
};

static enum vg_status list_findings(struct vg_store *store, const void *kind,
                                    const struct vg_row_sink *sink, struct vg_error *err)
{
    return vg_findings_list(store, kind, sink, err);
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum { OPT_KIND = 300 };
    static const struct option opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "kind", required_argument, NULL, OPT_KIND },
        { NULL, 0, NULL, 0 },
    };
    const char *kind = NULL;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == OPT_KIND) {
            kind = optarg;
            continue;
        }
        bool done;
        int rc = cli_common_option(g, &cli_cmd_quality, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_quality, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    return cli_list(g, list_findings, kind);
}
