/* The options vigia quality and vigia rejects share: which file, since when, how many,
 * listed or counted (vigia/quality.h). */
#ifndef VIGIA_CLI_QUALITY_H
#define VIGIA_CLI_QUALITY_H

#include "cli.h"

#include <vigia/quality.h>

/* clang-format off */
#define CLI_QUALITY_OPTIONS_HELP                                                            \
    "  --file PATH     only what came in this file (its path as ingested, or its last\n"    \
    "                  parts: manifest.csv, 2024-05/manifest.csv), or in this zip\n"         \
    "                  archive or workbook (day.zip, book.xlsx: all its members or sheets)\n" \
    "  --since TIME    only what was recorded at or after TIME (ISO 8601, UTC unless\n"      \
    "                  it names a zone)\n"                                                   \
    "  --limit N       only the newest N (listed oldest first), or the N largest counts\n"   \
    "  --summary       counts instead of a listing\n"

enum {
    CLI_QUALITY_OPT_FILE = 300,
    CLI_QUALITY_OPT_SINCE,
    CLI_QUALITY_OPT_LIMIT,
    CLI_QUALITY_OPT_SUMMARY,
};

#define CLI_QUALITY_LONG_OPTIONS                                                            \
    { "file", required_argument, NULL, CLI_QUALITY_OPT_FILE },                              \
    { "since", required_argument, NULL, CLI_QUALITY_OPT_SINCE },                            \
    { "limit", required_argument, NULL, CLI_QUALITY_OPT_LIMIT },                            \
    { "summary", no_argument, NULL, CLI_QUALITY_OPT_SUMMARY }
/* clang-format on */

typedef enum vg_status (*cli_quality_fn)(struct vg_store *store,
                                         const struct vg_quality_filter *filter,
                                         const struct vg_row_sink *sink,
                                         struct vg_error *err);

/* What to list or count, and with which functions. */
struct cli_quality {
    struct vg_quality_filter filter;
    bool counts;            /* --summary */
    cli_quality_fn list;    /* the listing */
    cli_quality_fn summary; /* the counts */
};

/* What cli_quality_option returns for an option taken: read the next. */
#define CLI_QUALITY_NEXT (-1000)

/* Takes opt when it is a shared option (into q) or a common one (cli_common_option) of
 * cmd. Returns CLI_QUALITY_NEXT to go on reading options, else the exit code to end
 * with (CLI_USAGE for a bad option or value, with the message printed; 0 after --help). */
int cli_quality_option(struct cli_global *g,
                       const struct cli_command *cmd,
                       struct cli_quality *q,
                       int opt);

/* Lists or counts what q asks for in g's store, in g's format. Returns the exit code. */
int cli_quality_run(const struct cli_global *g, const struct cli_quality *q);

#endif
