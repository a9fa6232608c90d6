/* The command table: one entry per cmd_<name>.c, in the order `vigia --help` lists them. */
#include "cli.h"

extern const struct cli_command cli_cmd_init;
extern const struct cli_command cli_cmd_codes;
extern const struct cli_command cli_cmd_ingest;
extern const struct cli_command cli_cmd_ais;
extern const struct cli_command cli_cmd_sim;
extern const struct cli_command cli_cmd_rejects;
extern const struct cli_command cli_cmd_quality;
extern const struct cli_command cli_cmd_watchlist;
extern const struct cli_command cli_cmd_audit;
extern const struct cli_command cli_cmd_rules;
extern const struct cli_command cli_cmd_train;
extern const struct cli_command cli_cmd_score;
extern const struct cli_command cli_cmd_assessments;
extern const struct cli_command cli_cmd_features;
extern const struct cli_command cli_cmd_targets;
extern const struct cli_command cli_cmd_outcome;
extern const struct cli_command cli_cmd_show;
extern const struct cli_command cli_cmd_kpi;
extern const struct cli_command cli_cmd_eval;
extern const struct cli_command cli_cmd_selfcheck;
extern const struct cli_command cli_cmd_version;
extern const struct cli_command cli_cmd_help;

const struct cli_command *const cli_commands[] = {
    &cli_cmd_init,
    &cli_cmd_codes,
    &cli_cmd_ingest,
    &cli_cmd_ais,
    &cli_cmd_sim,
    &cli_cmd_rejects,
    &cli_cmd_quality,
    &cli_cmd_watchlist,
    &cli_cmd_audit,
    &cli_cmd_rules,
    &cli_cmd_train,
    &cli_cmd_score,
    &cli_cmd_assessments,
    &cli_cmd_features,
    &cli_cmd_targets,
    &cli_cmd_outcome,
    &cli_cmd_show,
    &cli_cmd_kpi,
    &cli_cmd_eval,
    &cli_cmd_selfcheck,
    &cli_cmd_version,
    &cli_cmd_help,
    NULL,
};
