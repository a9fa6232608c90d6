/*
 * vigia show container|bl|party|vessel ID [--section S]
 */
#include "cli.h"
#include "cli_report.h"

#include <string.h>
#include <vigia/show.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_show = {
    "show",
    "everything known about a container, B/L, party, vessel or message",
    "usage: vigia show container NUMBER [--section S] [--format table|csv|json]\n"
    "       vigia show bl NUMBER\n"
    "       vigia show party ID|RUC|NAME\n"
    "       vigia show vessel IMO|MMSI|NAME\n"
    "       vigia show message ID\n"
    "\n"
    "What an analyst looks up: for a container its trips, the timeline of its equipment\n"
    "events (place, UTC and port-local time, seals, the message each rests on), the seals\n"
    "as each source saw them, the parties of its bills with their history (shipments,\n"
    "earlier seizures), the vessel events of its voyages, every assessment with its\n"
    "reasons, its targets, inspections and outcomes. For a bill of lading its versions,\n"
    "places, parties, goods and containers; for a party its shipments and the outcomes\n"
    "of its cargo; for a vessel its identities, port calls and vessel events. A party or\n"
    "vessel name that matches several lists them with their ids. For a message (the id\n"
    "the timeline cites) its envelope, findings, what no mapper used and the bytes as sent.\n"
    "\n"
    "options:\n"
    "  --section S   print one section only (required with --format csv), e.g. timeline\n"
    "  --format F    table (default; one table per section), json (one object with a\n"
    "                member per section), csv (one section)\n"
    "\n"
    "exit status: 0 done, 1 usage, 2 nothing matches, 3 store error.\n",
    run,
};

struct show_ctx {
    enum vg_show_kind kind;
    const char *id;
};

static enum vg_status show_report(struct vg_store *store,
                                  const struct vg_report_sink *sink,
                                  void *user,
                                  struct vg_error *err)
{
    const struct show_ctx *c = user;
    return vg_show(store, c->kind, c->id, sink, err);
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum { OPT_SECTION = 300 };
    static const struct option long_opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "section", required_argument, NULL, OPT_SECTION },
        { NULL, 0, NULL, 0 },
    };
    const char *only = NULL;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
        if (opt == OPT_SECTION) {
            only = optarg;
            continue;
        }
        bool done;
        int rc = cli_common_option(g, &cli_cmd_show, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_show, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    enum vg_show_kind kind;
    if (argc - optind != 2 || !vg_show_kind_parse(argv[optind], &kind)) {
        cli_print_usage(&cli_cmd_show, stderr);
        return CLI_USAGE;
    }
    struct show_ctx ctx = { kind, argv[optind + 1] };
    return cli_report_run(g, only, "this report", show_report, &ctx);
}
