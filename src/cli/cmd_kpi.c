/*
 * vigia kpi [--port P] [--from T] [--to T] [--section S]
 */
#include "cli.h"
#include "cli_report.h"

#include <vigia/kpi.h>
#include <vigia/time.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_kpi = {
    "kpi",
    "hit rates by selection reason, rule and port; kg per examination; random-stream estimate",
    "usage: vigia kpi [--port LOCODE] [--from T] [--to T] [--section S]\n"
    "                 [--format table|csv|json]\n"
    "\n"
    "How the targeting performs, from the recorded targets and outcomes: examinations at\n"
    "origin and how many found drugs (hit rate) by selection reason (hold, rule, list,\n"
    "model, score, random; targeted or random for imported outcomes without a vigia\n"
    "target), per rule of the selected targets' assessments, per port; kg seized per\n"
    "examination; finds abroad linked back to their trips (missed by the examination,\n"
    "missed by the selection); how targets ended (waivers by reason); and the share of\n"
    "trips carrying drugs estimated without bias from the random stream alone, with its\n"
    "Wilson 95% interval (docs/targeting.md).\n"
    "\n"
    "options:\n"
    "  --port LOCODE   one port\n"
    "  --from T, --to T  examinations (and target days) in [from, to); ISO 8601, UTC\n"
    "  --section S     one section only (required with --format csv): summary,\n"
    "                  by_selection, random_stream, by_rule, by_port, finds_abroad,\n"
    "                  dispositions\n"
    "\n"
    "exit status: 0 done, 1 usage, 2 bad port, 3 store error.\n",
    run,
};

static enum vg_status kpi_report(struct vg_store *store,
                                 const struct vg_report_sink *sink,
                                 void *user,
                                 struct vg_error *err)
{
    return vg_kpi_report(store, user, sink, err);
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum { OPT_PORT = 300, OPT_FROM, OPT_TO, OPT_SECTION };
    static const struct option long_opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "port", required_argument, NULL, OPT_PORT },
        { "from", required_argument, NULL, OPT_FROM },
        { "to", required_argument, NULL, OPT_TO },
        { "section", required_argument, NULL, OPT_SECTION },
        { NULL, 0, NULL, 0 },
    };
    struct vg_kpi_filter f = { NULL, VG_TIME_NONE, VG_TIME_NONE };
    const char *only = NULL;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
        if (opt == OPT_PORT) {
            f.port = optarg;
        } else if (opt == OPT_FROM) {
            if (!cli_parse_when(optarg, "--from", &f.from)) {
                return CLI_USAGE;
            }
        } else if (opt == OPT_TO) {
            if (!cli_parse_when(optarg, "--to", &f.to)) {
                return CLI_USAGE;
            }
        } else if (opt == OPT_SECTION) {
            only = optarg;
        } else {
            bool done;
            int rc = cli_common_option(g, &cli_cmd_kpi, opt, &done);
            if (rc < 0) {
                cli_print_usage(&cli_cmd_kpi, stderr);
                return CLI_USAGE;
            }
            if (done) {
                return rc;
            }
        }
    }
    if (optind < argc) {
        cli_error("unexpected argument '%s'", argv[optind]);
        return CLI_USAGE;
    }
    return cli_report_run(g, only, "the KPIs", kpi_report, &f);
}
