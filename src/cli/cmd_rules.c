/*
 * vigia rules check FILE...
 * vigia rules features
 * vigia rules load FILE [--inactive]
 * vigia rules list
 * vigia rules backtest FILE
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include <vigia/features.h>
#include <vigia/file.h>
#include <vigia/risk.h>
#include <vigia/rules.h>
#include <vigia/time.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_rules = {
    "rules",
    "check, load and back-test rule sets; list the features rules can use",
    "usage: vigia rules check FILE... [--format table|csv|json]\n"
    "       vigia rules features [--format table|csv|json]\n"
    "       vigia rules load FILE [--inactive]\n"
    "       vigia rules list [--format table|csv|json]\n"
    "       vigia rules backtest FILE [--format table|csv|json]\n"
    "\n"
    "check compiles each rule set against vigia's feature catalogue. Errors are printed\n"
    "as FILE:LINE:COLUMN: message on stderr (every error of every file). When a file\n"
    "compiles, its rules are listed: rule set, id, title, action, weight, valid dates and\n"
    "the features the condition reads. Rules whose review date or validity has passed\n"
    "are named in warnings. The rule language is described in docs/rules.md; the default\n"
    "rule set is rules/default.rules.\n"
    "\n"
    "features lists the catalogue: name, type, unit, the feeds it depends on and its\n"
    "meaning (docs/features.md explains how each is computed).\n"
    "\n"
    "load stores FILE in the store as the version its header names (ruleset, version)\n"
    "and makes it the active set that `vigia score` uses (--inactive: store only). The\n"
    "same version with the same text is already there; with another text it is refused\n"
    "(give the changed set a new version). Audited. list shows the stored sets.\n"
    "\n"
    "backtest scores every examined trip of the recorded outcomes as of its loading with\n"
    "FILE's rules (its own outcome left out) and prints per rule: trips inspected, hits,\n"
    "positives among the hits, hit rate, undecided (a feature unknown), and the base\n"
    "rate of positives over all inspected trips (row '*').\n"
    "\n"
    "options:\n"
    "  --format F    table, csv or json\n"
    "  --inactive    load: store the set without activating it\n"
    "\n"
    "exit status: 0 done, 2 a file has errors or cannot be read (or a stored version\n"
    "differs), 3 store error, 6 out of memory.\n",
    run,
};

struct diag_printer {
    const char *file;
};

static void print_diag(void *user, const struct vg_error *err)
{
    const struct diag_printer *dp = user;
    fprintf(stderr, "%s:%u:%u: %s\n", dp->file, err->line, err->column, err->message);
}

static const char *date_text(int64_t t, char *buf, size_t size)
{
    if (t == VG_TIME_NONE) {
        return "";
    }
    vg_time_format_iso8601(t, buf, size);
    if (strlen(buf) > 10) {
        buf[10] = '\0';
    }
    return buf;
}

/* Lists the rules of a compiled set; warns about reviews and validity that have passed. */
static void list_rules(const struct cli_global *g, const char *file, const struct vg_rule_set *set,
                       struct cli_out *out)
{
    const struct vg_rule_set_info *si = vg_rules_info(set);
    const struct vg_feature_schema *schema = vg_rules_schema(set);
    int64_t now = vg_time_now();
    char setname[160];
    snprintf(setname, sizeof(setname), "%s %s", si->name, si->version);
    for (size_t i = 0; i < vg_rules_count(set); i++) {
        const struct vg_rule_info *r = vg_rules_get(set, i);
        char weight[32], from[32], to[32], review[32];
        snprintf(weight, sizeof(weight), "%g", r->weight);
        struct vg_buf feats;
        vg_buf_init(&feats, 1u << 20);
        for (size_t k = 0; k < r->nfeatures; k++) {
            if ((k > 0 && vg_buf_append_char(&feats, ' ') != VG_OK) ||
                vg_buf_append_cstr(&feats, schema->defs[r->features[k]].name) != VG_OK) {
                break;
            }
        }
        const char *row[8] = { setname,
                               r->id,
                               r->title,
                               vg_rule_action_name(r->action),
                               weight,
                               date_text(r->valid_from, from, sizeof(from)),
                               date_text(r->valid_to, to, sizeof(to)),
                               feats.data != NULL ? feats.data : "" };
        cli_out_row(out, 8, row);
        vg_buf_release(&feats);
        if (r->review_by != VG_TIME_NONE && r->review_by < now) {
            cli_warn(g, "%s:%u: rule %s was due for review on %s", file, r->line, r->id,
                     date_text(r->review_by, review, sizeof(review)));
        }
        if (r->valid_to != VG_TIME_NONE && r->valid_to + 86400 <= now) {
            cli_warn(g, "%s:%u: rule %s is no longer valid (valid_to %s)", file, r->line, r->id,
                     to);
        }
    }
}

static int do_check(struct cli_global *g, int nfiles, char **files)
{
    static const char *const cols[] = { "rule_set", "id",       "title",    "action",
                                        "weight",   "valid_from", "valid_to", "features" };
    struct cli_out *out = NULL; /* opened at the first file that compiles */
    int exit_code = CLI_OK;
    for (int i = 0; i < nfiles; i++) {
        struct vg_error err;
        vg_error_clear(&err);
        struct vg_file f;
        enum vg_status st = vg_file_open(files[i], &f, &err);
        if (st != VG_OK) {
            int c = cli_fail(&err, st);
            if (exit_code == CLI_OK) {
                exit_code = c;
            }
            continue;
        }
        struct diag_printer dp = { files[i] };
        struct vg_rule_set *set = NULL;
        st = vg_rules_compile(f.data, f.len, files[i], vg_feature_catalog(), print_diag, &dp,
                              &set, &err);
        vg_file_close(&f);
        if (st == VG_OK && out == NULL) {
            out = cli_out_new(g->format, stdout, false);
            if (out == NULL) {
                vg_rules_free(set);
                cli_error("out of memory");
                return CLI_SYSTEM;
            }
            cli_out_columns(out, 8, cols);
        }
        if (st == VG_OK) {
            list_rules(g, files[i], set, out);
            vg_rules_free(set);
            continue;
        }
        if (st == VG_ENOMEM || st == VG_EINVAL) {
            cli_fail(&err, st);
        } else if (st == VG_ELIMIT && err.line == 0) {
            fprintf(stderr, "%s: %s\n", files[i], err.message);
        }
        if (exit_code == CLI_OK || cli_exit_for(st) == CLI_SYSTEM) {
            exit_code = cli_exit_for(st);
        }
    }
    if (out != NULL) {
        cli_out_finish(out);
    }
    return exit_code;
}

static int do_features(struct cli_global *g)
{
    static const char *const cols[] = { "name", "type", "unit", "feeds", "description" };
    static const char *const types[] = { "", "number", "bool", "string", "list" };
    struct cli_out *out = cli_out_new(g->format, stdout, false);
    if (out == NULL) {
        cli_error("out of memory");
        return CLI_SYSTEM;
    }
    cli_out_columns(out, 5, cols);
    const struct vg_feature_schema *cat = vg_feature_catalog();
    for (size_t i = 0; i < cat->count; i++) {
        const struct vg_feature_def *d = &cat->defs[i];
        char feeds[256] = "";
        size_t used = 0;
        for (unsigned b = 0; b < VG_FEED_COUNT; b++) {
            if (d->feeds & (1u << b)) {
                int n = snprintf(feeds + used, sizeof(feeds) - used, "%s%s", used ? " " : "",
                                 vg_feed_name(1u << b));
                if (n > 0 && (size_t)n < sizeof(feeds) - used) {
                    used += (size_t)n;
                }
            }
        }
        const char *row[5] = { d->name, types[d->type], d->unit, feeds, d->description };
        cli_out_row(out, 5, row);
    }
    cli_out_finish(out);
    return CLI_OK;
}

/* Reads and compiles a rule file; errors are printed. */
static int read_rules(const char *path, struct vg_file *f, struct vg_rule_set **set)
{
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_file_open(path, f, &err);
    if (st != VG_OK) {
        return cli_fail(&err, st);
    }
    struct diag_printer dp = { path };
    st = vg_rules_compile(f->data, f->len, path, vg_feature_catalog(), print_diag, &dp, set, &err);
    if (st != VG_OK) {
        vg_file_close(f);
        if (st == VG_EPARSE) {
            return CLI_BAD_INPUT;
        }
        return cli_fail(&err, st);
    }
    return CLI_OK;
}

static int do_load(struct cli_global *g, const char *path, bool activate)
{
    struct vg_file f;
    struct vg_rule_set *set = NULL;
    int code = read_rules(path, &f, &set);
    if (code != CLI_OK) {
        return code;
    }
    const struct vg_rule_set_info *si = vg_rules_info(set);
    struct vg_store *store = cli_open_store(g, false, false, &code);
    if (store == NULL) {
        vg_rules_free(set);
        vg_file_close(&f);
        return code;
    }
    struct vg_error err;
    vg_error_clear(&err);
    int64_t id = 0;
    bool is_new = false;
    enum vg_status st = vg_risk_rules_load(store, f.data, f.len, path, activate, NULL, NULL, &id,
                                           &is_new, &err);
    vg_store_close(store);
    if (st == VG_OK && !g->quiet) {
        fprintf(stderr, "vigia: rule set %s %s (%zu rules) %s as %lld%s\n", si->name, si->version,
                vg_rules_count(set), is_new ? "stored" : "already stored", (long long)id,
                activate ? ", active" : "");
    }
    vg_rules_free(set);
    vg_file_close(&f);
    return st == VG_OK ? CLI_OK : cli_fail(&err, st);
}

static enum vg_status list_sets(struct vg_store *store, const void *user,
                               const struct vg_row_sink *sink, struct vg_error *err)
{
    (void)user;
    return vg_risk_rules_list(store, sink, err);
}

static enum vg_status backtest(struct vg_store *store, const void *user,
                               const struct vg_row_sink *sink, struct vg_error *err)
{
    return vg_risk_backtest(store, user, sink, err);
}

static int do_backtest(struct cli_global *g, const char *path)
{
    struct vg_file f;
    struct vg_rule_set *set = NULL;
    int code = read_rules(path, &f, &set);
    if (code != CLI_OK) {
        return code;
    }
    vg_file_close(&f);
    code = cli_list(g, backtest, set);
    vg_rules_free(set);
    return code;
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum { OPT_INACTIVE = 300 };
    static const struct option opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "inactive", no_argument, NULL, OPT_INACTIVE },
        { NULL, 0, NULL, 0 },
    };
    bool activate = true;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == OPT_INACTIVE) {
            activate = false;
            continue;
        }
        bool done;
        int rc = cli_common_option(g, &cli_cmd_rules, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_rules, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    if (argc - optind < 1) {
        cli_print_usage(&cli_cmd_rules, stderr);
        return CLI_USAGE;
    }
    const char *sub = argv[optind];
    if (strcmp(sub, "check") == 0) {
        if (argc - optind < 2) {
            cli_error("usage: vigia rules check FILE...");
            return CLI_USAGE;
        }
        return do_check(g, argc - optind - 1, argv + optind + 1);
    }
    if (strcmp(sub, "features") == 0) {
        if (argc - optind != 1) {
            cli_error("usage: vigia rules features");
            return CLI_USAGE;
        }
        return do_features(g);
    }
    if (strcmp(sub, "load") == 0 || strcmp(sub, "backtest") == 0) {
        if (argc - optind != 2) {
            cli_error("usage: vigia rules %s FILE", sub);
            return CLI_USAGE;
        }
        return sub[0] == 'l' ? do_load(g, argv[optind + 1], activate)
                             : do_backtest(g, argv[optind + 1]);
    }
    if (strcmp(sub, "list") == 0) {
        if (argc - optind != 1) {
            cli_error("usage: vigia rules list");
            return CLI_USAGE;
        }
        return cli_list(g, list_sets, NULL);
    }
    cli_error("unknown rules subcommand '%s' (check, features, load, list, backtest)", sub);
    return CLI_USAGE;
}
