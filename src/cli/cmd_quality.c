/* vigia quality: data-quality findings (doubtful content that went in, flagged). */
#include "cli.h"
#include "cli_quality.h"

#include <vigia/quality.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_quality = {
    "quality",
    "list data-quality findings (bad check digits, unknown codes...)",
    "usage: vigia quality [--kind KIND] [--sender NAME] [--file PATH] [--since TIME]\n"
    "                     [--limit N] [--summary] [--format table|csv|json]\n"
    "\n"
    "Lists the data-quality findings recorded while ingesting: identifiers that failed\n"
    "their check (stored as sent, because a wrong number can be evidence), unknown codes,\n"
    "character-set mismatches, missing feeds. Each names the file, the sender, the\n"
    "message, the segment, what is wrong and what was expected. With --summary, counts\n"
    "them per kind and sender instead, the most first, beside how many messages the\n"
    "sender sent: which sender sends which defect, and how often.\n"
    "\n"
    "options:\n"
    "  --kind KIND     only findings of this kind (e.g. bad_check_digit)\n"
    "  --sender NAME   only findings in messages of this sender\n"
    CLI_QUALITY_OPTIONS_HELP,
    run,
};

static int run(struct cli_global *g, int argc, char **argv)
{
    enum { OPT_KIND = 400, OPT_SENDER };
    static const struct option opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        CLI_QUALITY_LONG_OPTIONS,
        { "kind", required_argument, NULL, OPT_KIND },
        { "sender", required_argument, NULL, OPT_SENDER },
        { NULL, 0, NULL, 0 },
    };
    struct cli_quality q = { .list = vg_findings_query, .summary = vg_findings_summary };
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == OPT_KIND || opt == OPT_SENDER) {
            *(opt == OPT_KIND ? &q.filter.kind : &q.filter.sender) = optarg;
            continue;
        }
        int rc = cli_quality_option(g, &cli_cmd_quality, &q, opt);
        if (rc != CLI_QUALITY_NEXT) {
            return rc;
        }
    }
    return cli_quality_run(g, &q);
}
