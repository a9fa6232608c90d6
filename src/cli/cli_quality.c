/* The options vigia quality and vigia rejects share (cli_quality.h). */
#include "cli_quality.h"

int cli_quality_option(struct cli_global *g,
                       const struct cli_command *cmd,
                       struct cli_quality *q,
                       int opt)
{
    long long limit;
    switch (opt) {
    case CLI_QUALITY_OPT_FILE:
        q->filter.source = optarg;
        return CLI_QUALITY_NEXT;
    case CLI_QUALITY_OPT_SINCE:
        return cli_parse_time(optarg, "--since", &q->filter.since) ? CLI_QUALITY_NEXT : CLI_USAGE;
    case CLI_QUALITY_OPT_LIMIT:
        if (!cli_parse_count(optarg, "--limit", 1, &limit)) {
            return CLI_USAGE;
        }
        q->filter.limit = limit;
        return CLI_QUALITY_NEXT;
    case CLI_QUALITY_OPT_SUMMARY:
        q->counts = true;
        return CLI_QUALITY_NEXT;
    default:
        break;
    }
    bool done;
    int rc = cli_common_option(g, cmd, opt, &done);
    if (rc < 0) {
        cli_print_usage(cmd, stderr);
        return CLI_USAGE;
    }
    return done ? rc : CLI_QUALITY_NEXT;
}

static enum vg_status
list(struct vg_store *store, const void *user, const struct vg_row_sink *sink, struct vg_error *err)
{
    const struct cli_quality *q = user;
    return (q->counts ? q->summary : q->list)(store, &q->filter, sink, err);
}

int cli_quality_run(const struct cli_global *g, const struct cli_quality *q)
{
    return cli_list(g, list, q);
}
