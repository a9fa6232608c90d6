/* vigia assessments: the latest assessment of every container trip (or every version). */
#include "cli.h"
#include "cli_report.h"

#include <string.h>
#include <vigia/risk.h>
#include <vigia/time.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_assessments = {
    "assessments",
    "list assessments: container, bills, port, departure, moment, score, band, reasons",
    "usage: vigia assessments [--from DATE] [--to DATE] [--port LOCODE] [--all]\n"
    "                         [--features] [--format table|csv|json]\n"
    "\n"
    "One row per container trip with its latest assessment (--all: every version), in\n"
    "order of departure. The CSV form is a stable interface (docs/formats.md,\n"
    "\"Assessments CSV\"): container, bill_of_lading (several joined by ';'), port\n"
    "(UN/LOCODE of loading), departure (ISO 8601 UTC), moment (pre-load, pre-arrival,\n"
    "rescore), score (0-100, four decimals), band (red, amber, green), reasons (joined by\n"
    "' | ', each naming the message and segment it rests on), then trip, version, as_of,\n"
    "hold, rule_set, model and missing_feeds.\n"
    "\n"
    "options:\n"
    "  --from DATE    trips departing at or after DATE (ISO 8601)\n"
    "  --to DATE      trips departing before DATE; a date alone includes that day\n"
    "  --port LOCODE  only trips of this port\n"
    "  --all          every version, not only the latest\n"
    "  --features     add a last column, features: the feature record (JSON)\n",
    run,
};

static enum vg_status
list(struct vg_store *store, const void *user, const struct vg_row_sink *sink, struct vg_error *err)
{
    return vg_risk_assessments_list(store, user, sink, err);
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum { OPT_FROM = 300, OPT_TO, OPT_PORT, OPT_ALL, OPT_FEATURES };
    static const struct option opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "from", required_argument, NULL, OPT_FROM },
        { "to", required_argument, NULL, OPT_TO },
        { "port", required_argument, NULL, OPT_PORT },
        { "all", no_argument, NULL, OPT_ALL },
        { "features", no_argument, NULL, OPT_FEATURES },
        { NULL, 0, NULL, 0 },
    };
    struct vg_risk_filter f = { VG_TIME_NONE, VG_TIME_NONE, NULL, false, false };
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case OPT_FROM:
            if (!cli_parse_when(optarg, "--from", &f.from)) {
                return CLI_USAGE;
            }
            continue;
        case OPT_TO:
            if (!cli_parse_when(optarg, "--to", &f.to)) {
                return CLI_USAGE;
            }
            if (strlen(optarg) == 10) {
                f.to += 86400; /* a date alone: the whole day */
            }
            continue;
        case OPT_PORT:
            f.port = optarg;
            continue;
        case OPT_ALL:
            f.all = true;
            continue;
        case OPT_FEATURES:
            f.features = true;
            continue;
        default:
            break;
        }
        bool done;
        int rc = cli_common_option(g, &cli_cmd_assessments, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_assessments, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    if (optind != argc) {
        cli_print_usage(&cli_cmd_assessments, stderr);
        return CLI_USAGE;
    }
    return cli_list(g, list, &f);
}
