/*
 * vigia rules check FILE...
 * vigia rules features
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include <vigia/features.h>
#include <vigia/file.h>
#include <vigia/rules.h>
#include <vigia/time.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_rules = {
    "rules",
    "check rule sets; list the features rules can use",
    "usage: vigia rules check FILE... [--format table|csv|json]\n"
    "       vigia rules features [--format table|csv|json]\n"
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
    "options:\n"
    "  --format F    table, csv or json\n"
    "\n"
    "exit status: 0 every file compiles, 2 a file has errors or cannot be read,\n"
    "6 out of memory.\n",
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

static int run(struct cli_global *g, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { NULL, 0, NULL, 0 },
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
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
    cli_error("unknown rules subcommand '%s' (check, features)", sub);
    return CLI_USAGE;
}
