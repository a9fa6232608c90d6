/* vigia features: one container trip's feature record, with units, unknown reasons and
 * sources. */
#include "cli.h"
#include "cli_report.h"

#include <vigia/risk.h>
#include <vigia/time.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_features = {
    "features",
    "print a container trip's feature record (values, unknown reasons, sources)",
    "usage: vigia features TRIP|CONTAINER [--as-of T] [--format table|csv|json]\n"
    "\n"
    "Computes the feature record of a trip (by its number) or of a container's latest\n"
    "trip as of T (default: now), exactly as `vigia score` would, and prints every\n"
    "feature of the catalogue: its value with its unit, or why it is unknown (a feed\n"
    "missing for this trip, a field the input lacked), and the messages and segments,\n"
    "outcomes, vessel events or watch-list entries it rests on. docs/features.md says\n"
    "how each is computed.\n"
    "\n"
    "options:\n"
    "  --as-of T     the instant (ISO 8601; default now)\n",
    run,
};

struct request {
    const char *which;
    int64_t as_of;
};

static enum vg_status
list(struct vg_store *store, const void *user, const struct vg_row_sink *sink, struct vg_error *err)
{
    const struct request *r = user;
    int64_t trip;
    enum vg_status st = vg_risk_find_trip(store, r->which, r->as_of, &trip, err);
    return st == VG_OK ? vg_risk_features_list(store, trip, r->as_of, sink, err) : st;
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum { OPT_AS_OF = 300 };
    static const struct option opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "as-of", required_argument, NULL, OPT_AS_OF },
        { NULL, 0, NULL, 0 },
    };
    int64_t as_of = VG_TIME_NONE;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == OPT_AS_OF) {
            if (!cli_parse_when(optarg, "--as-of", &as_of)) {
                return CLI_USAGE;
            }
            continue;
        }
        bool done;
        int rc = cli_common_option(g, &cli_cmd_features, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_features, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    if (argc - optind != 1) {
        cli_print_usage(&cli_cmd_features, stderr);
        return CLI_USAGE;
    }
    struct request r = { argv[optind], as_of };
    return cli_list(g, list, &r);
}
