/* vigia score: assess every unassessed container trip and re-score those with new evidence. */
#include "cli.h"
#include "cli_report.h"

#include <stdlib.h>
#include <string.h>
#include <vigia/file.h>
#include <vigia/model.h>
#include <vigia/risk.h>
#include <vigia/time.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_score = {
    "score",
    "assess container trips: features, rules, watch lists, a 0-100 score with reasons",
    "usage: vigia score [--port LOCODE] [--as-of T] [--rules FILE] [--rescore-days N]\n"
    "                   [--no-model]\n"
    "\n"
    "Assesses every container trip not assessed yet, as of its loading (imports: as of\n"
    "the discharge), and re-scores the trips whose evidence changed since their latest\n"
    "assessment (a seal, a vessel event on the voyage, an outcome linked to a party, a\n"
    "watch-list entry, the rule set): each assessment is a new version, never an\n"
    "overwrite. Features use only records whose own time is at or before the as-of time.\n"
    "Scoring twice adds nothing. The score, bands and reasons are explained in\n"
    "docs/scoring.md; the features in docs/features.md; `vigia assessments` lists them.\n"
    "\n"
    "The rules are the store's active rule set; the first run stores and activates the\n"
    "built-in default (rules/default.rules). --rules FILE stores FILE as a new rule-set\n"
    "version (see `vigia rules load`) and activates it first.\n"
    "\n"
    "The store's active model (`vigia train`) adds its term: 50 points times its\n"
    "probability, and a reason with the largest contributions in words; each assessment\n"
    "records the model's version, and a new model re-scores the trips of the re-score\n"
    "window. Without an active model (or with --no-model) rules and lists alone score.\n"
    "\n"
    "options:\n"
    "  --port LOCODE      only trips of this port\n"
    "  --as-of T          the instant to assess as of (ISO 8601; default: now)\n"
    "  --rules FILE       load and activate this rule set first\n"
    "  --rescore-days N   re-score trips loaded at most N days before the as-of time\n"
    "                     (default 60; older trips are still assessed once)\n"
    "  --no-model         score with rules and lists only, whatever model is active\n"
    "\n"
    "exit status: 0 done, 2 the rule file has errors, 3 store error, 5 the stored model\n"
    "fails its integrity check.\n",
    run,
};

struct diag {
    const char *file;
};

static void print_diag(void *user, const struct vg_error *err)
{
    const struct diag *d = user;
    fprintf(stderr, "%s:%u:%u: %s\n", d->file, err->line, err->column, err->message);
}

static int load_rules(struct vg_store *store, const char *path)
{
    struct vg_error err;
    vg_error_clear(&err);
    struct vg_file f;
    enum vg_status st = vg_file_open(path, &f, &err);
    if (st != VG_OK) {
        return cli_fail(&err, st);
    }
    struct diag d = { path };
    st = vg_risk_rules_load(store, f.data, f.len, path, true, print_diag, &d, NULL, NULL, &err);
    vg_file_close(&f);
    if (st == VG_EPARSE) {
        return CLI_BAD_INPUT; /* errors printed */
    }
    return st == VG_OK ? CLI_OK : cli_fail(&err, st);
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum { OPT_PORT = 300, OPT_AS_OF, OPT_RULES, OPT_RESCORE, OPT_NO_MODEL };
    static const struct option opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "port", required_argument, NULL, OPT_PORT },
        { "as-of", required_argument, NULL, OPT_AS_OF },
        { "rules", required_argument, NULL, OPT_RULES },
        { "rescore-days", required_argument, NULL, OPT_RESCORE },
        { "no-model", no_argument, NULL, OPT_NO_MODEL },
        { NULL, 0, NULL, 0 },
    };
    struct vg_risk_options o = { .as_of = VG_TIME_NONE };
    const char *rules = NULL;
    bool use_model = true;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case OPT_PORT:
            o.port = optarg;
            continue;
        case OPT_AS_OF:
            if (!cli_parse_when(optarg, "--as-of", &o.as_of)) {
                return CLI_USAGE;
            }
            continue;
        case OPT_RULES:
            rules = optarg;
            continue;
        case OPT_NO_MODEL:
            use_model = false;
            continue;
        case OPT_RESCORE: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end != '\0' || n < 1 || n > 3650) {
                cli_error("--rescore-days wants a number of days from 1 to 3650, not '%s'", optarg);
                return CLI_USAGE;
            }
            o.rescore_days = (int)n;
            continue;
        }
        default:
            break;
        }
        bool done;
        int rc = cli_common_option(g, &cli_cmd_score, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_score, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    if (optind != argc) {
        cli_print_usage(&cli_cmd_score, stderr);
        return CLI_USAGE;
    }
    int code;
    struct vg_store *store = cli_open_store(g, false, false, &code);
    if (store == NULL) {
        return code;
    }
    if (rules != NULL && (code = load_rules(store, rules)) != CLI_OK) {
        vg_store_close(store);
        return code;
    }
    struct vg_risk_report r;
    struct vg_error err;
    vg_error_clear(&err);
    struct vg_model *model = NULL;
    struct vg_risk_learned learned;
    int64_t model_id = 0;
    enum vg_status st =
        use_model ? vg_model_store_load(store, NULL, vg_feature_catalog(), &model, &model_id, &err)
                  : VG_ENOTFOUND;
    if (st == VG_OK) {
        vg_risk_learned_init(&learned, model, model_id);
        o.model = &learned.hook;
    } else if (st == VG_ENOTFOUND) {
        st = VG_OK; /* no active model: rules and lists alone */
    }
    if (st == VG_OK) {
        st = vg_risk_score(store, &o, &r, &err);
    }
    vg_store_close(store);
    char version[64];
    snprintf(version, sizeof(version), "%s",
             model != NULL ? vg_model_info(model)->version : "none");
    vg_model_free(model);
    if (st != VG_OK) {
        return cli_fail(&err, st);
    }
    static const char *const keys[13] = { "trips",        "assessed",     "rescored",
                                          "unchanged",    "red",          "amber",
                                          "green",        "holds",        "rule_set",
                                          "model",        "load_seconds", "compute_seconds",
                                          "write_seconds" };
    const int64_t counts[9] = { r.trips, r.assessed, r.rescored, r.unchanged,  r.red,
                                r.amber, r.green,    r.holds,    r.rule_set_id };
    const double secs[3] = { r.load_seconds, r.compute_seconds, r.write_seconds };
    static const enum vg_cell_kind kinds[13] = { VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER,
                                                 VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER,
                                                 VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER,
                                                 VG_CELL_TEXT,    VG_CELL_REAL,    VG_CELL_REAL,
                                                 VG_CELL_REAL };
    char v[13][32];
    const char *vals[13];
    for (int i = 0; i < 13; i++) {
        if (i < 9) {
            snprintf(v[i], sizeof(v[i]), "%lld", (long long)counts[i]);
        } else if (i > 9) {
            snprintf(v[i], sizeof(v[i]), "%.2f", secs[i - 10]);
        }
        vals[i] = v[i];
    }
    vals[9] = version;
    cli_print_record(g->format, stdout, 13, keys, vals, kinds);
    return CLI_OK;
}
