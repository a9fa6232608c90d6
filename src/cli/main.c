/*
 * vigia [global options] COMMAND [options] [arguments]
 *
 * Global options come before the command: --db PATH (else $VIGIA_DB, else ./vigia.db),
 * --as USER, --audit-key PATH, --audit-export PATH, --format table|csv|json,
 * --log-level LEVEL, --quiet, --help, --version.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vigia/log.h>

/* cmd_version.c */
int cli_cmd_version_run(struct cli_global *g, int argc, char **argv);

static const char global_usage[] =
    "usage: vigia [global options] COMMAND [options] [arguments]\n"
    "\n"
    "Port intelligence against drug trafficking: ingest what ports exchange, score every\n"
    "container with reasons, select targets, learn from outcomes, keep a tamper-evident\n"
    "record of every action.\n"
    "\n"
    "global options:\n"
    "  --db PATH            the store (default: $VIGIA_DB, else ./vigia.db)\n"
    "  --as USER            act as USER (recorded in the audit trail, unauthenticated)\n"
    "  --audit-key PATH     audit signing key (default: $VIGIA_AUDIT_KEY, else\n"
    "                       ~/.config/vigia/audit.key)\n"
    "  --audit-export PATH  where signed audit heads are exported (default:\n"
    "                       $VIGIA_AUDIT_EXPORT, else DB.audit-heads)\n"
    "  --format FORMAT      table, csv or json, for commands whose output is data\n"
    "  --log-level LEVEL    error, warn, info, debug or trace (default warn; $VIGIA_LOG)\n"
    "  -q, --quiet          no warnings or progress on stderr\n"
    "  -h, --help           this help\n"
    "  --version            print the version\n"
    "\n"
    "commands:\n";

static void print_global_usage(FILE *fp)
{
    fputs(global_usage, fp);
    for (size_t i = 0; cli_commands[i] != NULL; i++) {
        fprintf(fp, "  %-12s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
    }
    fputs("\nRun 'vigia help COMMAND' or 'vigia COMMAND --help' for a command's options.\n"
          "Exit codes: 0 ok, 1 usage, 2 bad input, 3 store error, 4 partly done (some input\n"
          "rejected), 5 integrity failure, 6 system error (memory, I/O, crypto).\n",
          fp);
}

const struct cli_command *cli_find_command(const char *name)
{
    for (size_t i = 0; cli_commands[i] != NULL; i++) {
        if (strcmp(cli_commands[i]->name, name) == 0) {
            return cli_commands[i];
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    struct cli_global g = { 0 };
    g.db = vg_store_default_path();
    const char *env_level = getenv("VIGIA_LOG");
    enum vg_log_level level;
    if (env_level != NULL && vg_log_level_parse(env_level, &level)) {
        vg_log_set_level(level);
    }
    enum { OPT_DB = 256, OPT_AS, OPT_KEY, OPT_EXPORT, OPT_FORMAT, OPT_LOG, OPT_VERSION };
    static const struct option opts[] = {
        { "db", required_argument, NULL, OPT_DB },
        { "as", required_argument, NULL, OPT_AS },
        { "audit-key", required_argument, NULL, OPT_KEY },
        { "audit-export", required_argument, NULL, OPT_EXPORT },
        { "format", required_argument, NULL, OPT_FORMAT },
        { "log-level", required_argument, NULL, OPT_LOG },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, OPT_VERSION },
        { NULL, 0, NULL, 0 },
    };
    int opt;
    /* "+" stops at the first non-option: the command and its options are the rest. */
    while ((opt = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
        switch (opt) {
        case OPT_DB:
            g.db = optarg;
            break;
        case OPT_AS:
            g.actor = optarg;
            break;
        case OPT_KEY:
            g.audit_key = optarg;
            break;
        case OPT_EXPORT:
            g.audit_export = optarg;
            break;
        case OPT_FORMAT:
            if (!cli_parse_format(optarg, &g.format)) {
                cli_error("--format must be table, csv or json, not '%s'", optarg);
                return CLI_USAGE;
            }
            g.format_set = true;
            break;
        case OPT_LOG:
            if (!vg_log_level_parse(optarg, &level)) {
                cli_error("--log-level must be error, warn, info, debug or trace");
                return CLI_USAGE;
            }
            vg_log_set_level(level);
            break;
        case 'q':
            g.quiet = true;
            vg_log_set_level(VG_LOG_ERROR);
            break;
        case 'h':
            print_global_usage(stdout);
            return CLI_OK;
        case OPT_VERSION: {
            static char version_cmd[] = "version";
            char *vargv[] = { version_cmd, NULL };
            optind = 0;
            return cli_cmd_version_run(&g, 1, vargv);
        }
        default:
            print_global_usage(stderr);
            return CLI_USAGE;
        }
    }
    if (optind >= argc) {
        print_global_usage(stderr);
        return CLI_USAGE;
    }
    g.progress = !g.quiet && isatty(STDERR_FILENO);
    const char *name = argv[optind];
    const struct cli_command *cmd = cli_find_command(name);
    if (cmd == NULL) {
        cli_error("unknown command '%s' (see 'vigia --help')", name);
        return CLI_USAGE;
    }
    /* The command sees its own name as argv[0]. */
    int cargc = argc - optind;
    char **cargv = argv + optind;
    optind = 0; /* reset getopt for the command (glibc: 0 re-initialises) */
    return cmd->run(&g, cargc, cargv);
}
