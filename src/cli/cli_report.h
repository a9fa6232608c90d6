/*
 * Printing a report of several sections (vigia/report.h) in the formats of docs/cli.md:
 *   table  each section under its title: a table, or "key  value" lines for a record
 *   json   one object with a member per section: an array of objects, or one object for
 *          a record (null when empty)
 *   csv    one section only (RFC 4180 allows one table per document): the one named by
 *          only; a record prints as field,value rows
 */
#ifndef VIGIA_CLI_REPORT_H
#define VIGIA_CLI_REPORT_H

#include "cli.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <vigia/report.h>

struct cli_report;

/* A report printer to stream in format; only (may be NULL, required for csv) keeps one
 * section. NULL on OOM. */
struct cli_report *cli_report_new(enum cli_format format, FILE *stream, const char *only);

/* The sink that prints into r. */
struct vg_report_sink cli_report_sink(struct cli_report *r);

/* Ends the document and frees r (failed: the report stopped on an error; nothing more is
 * printed when nothing was). Returns false when only named no section of the report. */
bool cli_report_finish(struct cli_report *r, bool failed);

/*
 * Opens the store read-only, lets fn hand its report to a printer in the chosen format
 * (only: one section; required for csv, else a usage error naming what) and returns the
 * exit code: fn's failure, or a usage error when only names no section.
 */
int cli_report_run(struct cli_global *g,
                   const char *only,
                   const char *what,
                   enum vg_status (*fn)(struct vg_store *store,
                                        const struct vg_report_sink *sink,
                                        void *ctx,
                                        struct vg_error *err),
                   void *ctx);

/* Parses an ISO 8601 time or date (UTC unless a zone is given) given to option; prints
 * the usage error and returns false when it is not one. */
bool cli_parse_when(const char *text, const char *option, int64_t *out);

/* Prints a problem (a rejected or flagged record) on stderr as docs/cli.md says, at most
 * 20 per run unless quiet; user is a struct cli_problems. */
struct cli_problems {
    const struct cli_global *g;
    int printed;
    int suppressed;
};
void cli_print_problem(void *user, bool rejected, const struct vg_error *err);

#endif
