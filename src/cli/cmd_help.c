/* vigia help [COMMAND]. */
#include "cli.h"

#include <stdio.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_help = {
    "help",
    "show help for a command",
    "usage: vigia help [COMMAND]\n"
    "\n"
    "Shows the options of COMMAND, or the list of commands.\n",
    run,
};

static int run(struct cli_global *g, int argc, char **argv)
{
    (void)g;
    if (argc > 1 && (argv[1][0] != '-' || argv[1][1] == '\0')) {
        const struct cli_command *cmd = cli_find_command(argv[1]);
        if (cmd == NULL) {
            cli_error("unknown command '%s'", argv[1]);
            return CLI_USAGE;
        }
        cli_print_usage(cmd, stdout);
        return CLI_OK;
    }
    fputs("usage: vigia [global options] COMMAND [options]\n\ncommands:\n", stdout);
    for (size_t i = 0; cli_commands[i] != NULL; i++) {
        printf("  %-12s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
    }
    fputs("\nRun 'vigia --help' for the global options.\n", stdout);
    return CLI_OK;
}
