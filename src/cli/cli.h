/*
 * The vigia command: private declarations shared by its files. The program uses only
 * libvigia's public headers (include/vigia) plus jansson and utf8proc for output.
 *
 * Each subcommand lives in cmd_<name>.c and exports one struct cli_command, listed in
 * commands.c. Conventions (docs/cli.md): --help everywhere, --format table|csv|json where
 * the output is data, meaningful exit codes (enum cli_exit), progress on stderr only when
 * it is a terminal.
 */
#ifndef VIGIA_CLI_H
#define VIGIA_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <vigia/rows.h>
#include <vigia/status.h>
#include <vigia/store.h>

enum cli_exit {
    CLI_OK = 0,        /* done */
    CLI_USAGE = 1,     /* wrong command line */
    CLI_BAD_INPUT = 2, /* the input (or the identifier checked) is invalid */
    CLI_STORE = 3,     /* the store could not be opened, read or written */
    CLI_PARTIAL = 4,   /* done, but some input was rejected */
    CLI_INTEGRITY = 5, /* an integrity check failed (audit chain, database) */
    CLI_SYSTEM = 6,    /* out of memory, I/O or crypto failure */
};

enum cli_format { CLI_FORMAT_TABLE, CLI_FORMAT_CSV, CLI_FORMAT_JSON };

struct cli_global {
    const char *db;           /* --db, else $VIGIA_DB, else ./vigia.db */
    const char *actor;        /* --as */
    const char *audit_key;    /* --audit-key */
    const char *audit_export; /* --audit-export */
    enum cli_format format;   /* --format given before the command */
    bool format_set;
    bool quiet;
    bool progress; /* stderr is a terminal and not --quiet */
};

struct cli_command {
    const char *name;
    const char *summary; /* one line for `vigia help` */
    const char *usage;   /* full help text printed by --help and `vigia help NAME` */
    int (*run)(struct cli_global *g, int argc, char **argv);
};

/* The command table (commands.c), NULL-terminated. */
extern const struct cli_command *const cli_commands[];

/* Finds a command by name, or NULL. */
const struct cli_command *cli_find_command(const char *name);

/* Prints "vigia: error: ..." to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints a warning to stderr unless quiet. */
void cli_warn(const struct cli_global *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints an error detail record and returns the exit code for its status. */
int cli_fail(const struct vg_error *err, enum vg_status st);

/* The exit code for a library status. */
int cli_exit_for(enum vg_status st);

/* Opens the store named by the global options. create: create and migrate when missing.
 * On failure prints the reason and returns NULL with *exit_code set. */
struct vg_store *
cli_open_store(const struct cli_global *g, bool create, bool read_only, int *exit_code);

/* Opens the existing store for a bulk write (vg_store_options.bulk: SQLite's page cache
 * reserved up front), as cli_open_store otherwise. */
struct vg_store *cli_open_store_bulk(const struct cli_global *g, int *exit_code);

/* Lists rows from the store: list(store, user, sink, err) fills a vg_row_sink. */
typedef enum vg_status (*cli_list_fn)(struct vg_store *store,
                                      const void *user,
                                      const struct vg_row_sink *sink,
                                      struct vg_error *err);

/* Opens the store read-only, prints the rows list produces to stdout in the global format,
 * closes the store. Returns the exit code (the open failure's, or that of list's status). */
int cli_list(const struct cli_global *g, cli_list_fn list, const void *user);

/* Parses "table", "csv", "json". */
bool cli_parse_format(const char *text, enum cli_format *out);

/* Parses an ISO 8601 time (UTC when it names no zone) given to option into *out; false,
 * with the error printed, otherwise. */
bool cli_parse_time(const char *text, const char *option, int64_t *out);

/* Parses a count >= min given to option into *out; false, with the error printed,
 * otherwise. */
bool cli_parse_count(const char *text, const char *option, long long min, long long *out);

/* Prints usage of cmd to stream. */
void cli_print_usage(const struct cli_command *cmd, FILE *stream);

/*
 * Common option handling for subcommands: call from the getopt loop's default branch.
 * Handles --help (prints usage, returns 0 with *done set) and --format. Returns -1 when
 * the option is not a common one (the caller reports a usage error).
 */
#define CLI_COMMON_LONG_OPTIONS          \
 { "help", no_argument, NULL, 'h' },     \
 {                                       \
  "format", required_argument, NULL, 'F' \
 }
int cli_common_option(struct cli_global *g, const struct cli_command *cmd, int opt, bool *done);

/* ---- output (output.c) --------------------------------------------------------------- */

struct cli_out;

/* Starts an output in the given format to stream. json_stream: one object per line
 * instead of one array document. NULL on OOM. */
struct cli_out *cli_out_new(enum cli_format format, FILE *stream, bool json_stream);

/* Sets the column names (copied). Must be called before the first row. */
void cli_out_columns(struct cli_out *o, size_t n, const char *const *names);

/* Adds a row (values copied; NULL prints as empty / null). */
void cli_out_row(struct cli_out *o, size_t n, const char *const *values);

/* Adds a row whose values have kinds (kinds[i] for values[i]; NULL: all text): in JSON an
 * integer or real that reads whole as one prints as a number, the rest as strings. Table
 * and CSV print the text as it is. */
void cli_out_row_typed(struct cli_out *o,
                       size_t n,
                       const char *const *values,
                       const enum vg_cell_kind *kinds);

/* Flushes (the table is printed here) and frees. */
void cli_out_finish(struct cli_out *o);

/* A vg_row_sink that writes into o. */
struct vg_row_sink cli_out_sink(struct cli_out *o);

/* Writes key/value pairs (a record) in the chosen format: table as "key: value" lines,
 * CSV as a two-column table, JSON as one object (numbers as numbers where kinds says so;
 * kinds may be NULL: every value text). values[i] may be NULL. */
void cli_print_record(enum cli_format format,
                      FILE *stream,
                      size_t n,
                      const char *const *keys,
                      const char *const *values,
                      const enum vg_cell_kind *kinds);

/* cli_print_record of n integers (counts, ids) named by keys. */
void cli_print_counts(
    enum cli_format format, FILE *stream, size_t n, const char *const *keys, const int64_t *nums);

#endif
