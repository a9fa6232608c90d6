/*
 * vigia eval --truth FILE [--ranking CSV] [--from T] [--to T] [--rates LIST] [--section S]
 */
#include "cli.h"
#include "cli_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/eval.h>
#include <vigia/file.h>
#include <vigia/time.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_eval = {
    "eval",
    "score a ranking against a simulated world's truth: precision, recall, lift, ROC AUC",
    "usage: vigia eval --truth truth.json [--ranking FILE.csv] [--from T] [--to T]\n"
    "                  [--rates 0.005,0.01,0.02,0.05] [--section S] [--format F]\n"
    "\n"
    "Scores a ranking of container trips against the truth file of vigia sim: over the\n"
    "trips departing in the evaluation window (default: the truth's, the days after the\n"
    "training history), precision, recall and lift at each inspection rate (the best\n"
    "possible precision too), ROC AUC, and recall per case pattern. Cases missing from\n"
    "the ranking count as missed. The ranking is the assessments CSV (vigia assessments\n"
    "--format csv: container, bill_of_lading, port, departure, score...) or, by default,\n"
    "the store's latest assessments. Vessel cases (at-sea transfers) are scored as vessel\n"
    "targets from the store's vessel events: voyages with encounters, loitering or gaps.\n"
    "\n"
    "options:\n"
    "  --truth FILE     truth.json of vigia sim\n"
    "  --ranking FILE   a ranking CSV instead of the store's assessments\n"
    "  --from T, --to T the window (trips departing in [from, to)); ISO 8601, UTC\n"
    "  --rates LIST     inspection rates, comma-separated (default 0.005,0.01,0.02,0.05)\n"
    "  --section S      one section (required with --format csv): summary, at_rates,\n"
    "                   patterns, vessels\n"
    "\n"
    "exit status: 0 done, 1 usage, 2 unreadable truth or ranking, 3 store error.\n",
    run,
};

static const char *num(char *buf, size_t size, double x, int decimals)
{
    if (isnan(x)) {
        return NULL;
    }
    snprintf(buf, size, "%.*f", decimals, x);
    return buf;
}

static void record(const struct vg_report_sink *sink,
                   const char *key,
                   const char *title,
                   size_t n,
                   const char *const *keys,
                   const char *const *vals,
                   const enum vg_cell_kind *kinds)
{
    sink->section(sink->user, key, title, true);
    sink->rows.columns(sink->rows.user, n, keys);
    vg_row_sink_emit(&sink->rows, n, vals, kinds);
}

static void print_report(const struct vg_report_sink *sink,
                         const struct vg_truth *t,
                         const struct vg_eval_report *r,
                         const char *ranking)
{
    char b[16][40];
    vg_time_format_iso8601(r->from, b[0], 40);
    vg_time_format_iso8601(r->to, b[1], 40);
    snprintf(b[2], 40, "%llu", (unsigned long long)t->seed);
    snprintf(b[3], 40, "%lld", (long long)r->rows);
    snprintf(b[4], 40, "%lld", (long long)r->trips);
    snprintf(b[5], 40, "%lld", (long long)r->unassessed);
    snprintf(b[6], 40, "%lld", (long long)r->cases);
    snprintf(b[7], 40, "%lld", (long long)r->cases_missing);
    snprintf(b[8], 40, "%lld", (long long)r->metrics.n);
    static const char *const skeys[] = { "world",   "seed",          "from",       "to",
                                         "ranking", "rows",          "trips",      "unassessed",
                                         "cases",   "cases_missing", "population", "base_rate",
                                         "roc_auc" };
    const char *svals[] = { t->world,
                            b[2],
                            b[0],
                            b[1],
                            ranking,
                            b[3],
                            b[4],
                            b[5],
                            b[6],
                            b[7],
                            b[8],
                            num(b[9], 40, r->metrics.base_rate, 5),
                            num(b[10], 40, r->metrics.auc, 4) };
    /* The seed stays text: 64 bits, more than a JSON number keeps exactly. */
    static const enum vg_cell_kind skinds[] = { VG_CELL_TEXT,    VG_CELL_TEXT,    VG_CELL_TEXT,
                                                VG_CELL_TEXT,    VG_CELL_TEXT,    VG_CELL_INTEGER,
                                                VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER,
                                                VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_REAL,
                                                VG_CELL_REAL };
    record(sink, "summary", "Evaluation", 13, skeys, svals, skinds);

    sink->section(sink->user, "at_rates", "At each inspection rate", false);
    static const char *const rcols[] = { "rate",           "inspected",
                                         "hits",           "precision",
                                         "best_precision", "relative_precision",
                                         "recall",         "lift" };
    sink->rows.columns(sink->rows.user, 8, rcols);
    static const enum vg_cell_kind rkinds[] = { VG_CELL_TEXT, VG_CELL_INTEGER, VG_CELL_REAL,
                                                VG_CELL_REAL, VG_CELL_REAL,    VG_CELL_REAL,
                                                VG_CELL_REAL, VG_CELL_REAL };
    for (size_t i = 0; i < r->metrics.nrates; i++) {
        const struct vg_at_rate *a = &r->metrics.at[i];
        char v[8][32];
        snprintf(v[0], 32, "%g%%", a->rate * 100);
        snprintf(v[1], 32, "%lld", (long long)a->k);
        const char *row[8] = { v[0],
                               v[1],
                               num(v[2], 32, a->hits, 2),
                               num(v[3], 32, a->precision, 4),
                               num(v[4], 32, a->best_precision, 4),
                               num(v[5], 32, a->relative, 4),
                               num(v[6], 32, a->recall, 4),
                               num(v[7], 32, a->lift, 1) };
        vg_row_sink_emit(&sink->rows, 8, row, rkinds);
    }

    sink->section(sink->user, "patterns", "Recall per case pattern", false);
    const char *pcols[3 + VG_EVAL_MAX_RATES] = { "pattern", "cases", "ranked" };
    char names[VG_EVAL_MAX_RATES][32];
    for (size_t i = 0; i < r->metrics.nrates; i++) {
        snprintf(names[i], 32, "recall_at_%g%%", r->metrics.at[i].rate * 100);
        pcols[3 + i] = names[i];
    }
    sink->rows.columns(sink->rows.user, 3 + r->metrics.nrates, pcols);
    for (size_t p = 0; p < r->npatterns; p++) {
        const struct vg_eval_pattern *pt = &r->patterns[p];
        char v[3 + VG_EVAL_MAX_RATES][32];
        const char *row[3 + VG_EVAL_MAX_RATES] = { pt->name, v[1], v[2] };
        enum vg_cell_kind kinds[3 + VG_EVAL_MAX_RATES] = { VG_CELL_TEXT, VG_CELL_INTEGER,
                                                           VG_CELL_INTEGER };
        snprintf(v[1], 32, "%lld", (long long)pt->cases);
        snprintf(v[2], 32, "%lld", (long long)pt->ranked);
        for (size_t i = 0; i < r->metrics.nrates; i++) {
            row[3 + i] = num(v[3 + i], 32, pt->recall[i], 4);
            kinds[3 + i] = VG_CELL_REAL;
        }
        vg_row_sink_emit(&sink->rows, 3 + r->metrics.nrates, row, kinds);
    }

    char c[9][32];
    snprintf(c[0], 32, "%lld", (long long)r->voyages);
    snprintf(c[1], 32, "%lld", (long long)r->voyages_flagged);
    snprintf(c[2], 32, "%lld", (long long)r->vessel_cases);
    snprintf(c[3], 32, "%lld", (long long)r->vessel_cases_found);
    snprintf(c[4], 32, "%lld", (long long)r->vessel_cases_flagged);
    static const char *const vkeys[] = { "evaluated", "voyages",        "voyages_flagged",
                                         "cases",     "cases_in_store", "cases_flagged",
                                         "precision", "recall",         "roc_auc" };
    bool e = r->vessels_evaluated;
    const char *vvals[] = { e ? "yes" : "no (no store)",
                            e ? c[0] : NULL,
                            e ? c[1] : NULL,
                            e ? c[2] : NULL,
                            e ? c[3] : NULL,
                            e ? c[4] : NULL,
                            num(c[5], 32, r->vessel_precision, 4),
                            num(c[6], 32, r->vessel_recall, 4),
                            num(c[7], 32, r->vessel_auc, 4) };
    static const enum vg_cell_kind vkinds[] = { VG_CELL_TEXT,    VG_CELL_INTEGER, VG_CELL_INTEGER,
                                                VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER,
                                                VG_CELL_REAL,    VG_CELL_REAL,    VG_CELL_REAL };
    record(sink, "vessels", "Vessel cases as vessel targets (from vessel events)", 9, vkeys, vvals,
           vkinds);
}

static bool parse_rates(const char *text, double *rates, size_t *n)
{
    *n = 0;
    for (const char *p = text; *p != '\0';) {
        char *end;
        double x = strtod(p, &end);
        if (end == p || !(x > 0 && x <= 1) || *n == VG_EVAL_MAX_RATES ||
            (*end != ',' && *end != '\0')) {
            cli_error("--rates wants up to %d numbers in (0, 1] separated by commas, not '%s'",
                      VG_EVAL_MAX_RATES, text);
            return false;
        }
        rates[(*n)++] = x;
        p = *end == ',' ? end + 1 : end;
    }
    return *n > 0;
}

static int read_file(const char *path, struct vg_file *f)
{
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_file_open(path, f, &err);
    return st == VG_OK ? CLI_OK : cli_fail(&err, st);
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum { OPT_TRUTH = 300, OPT_RANKING, OPT_FROM, OPT_TO, OPT_RATES, OPT_SECTION };
    static const struct option long_opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "truth", required_argument, NULL, OPT_TRUTH },
        { "ranking", required_argument, NULL, OPT_RANKING },
        { "from", required_argument, NULL, OPT_FROM },
        { "to", required_argument, NULL, OPT_TO },
        { "rates", required_argument, NULL, OPT_RATES },
        { "section", required_argument, NULL, OPT_SECTION },
        { NULL, 0, NULL, 0 },
    };
    const char *truth_path = NULL, *ranking_path = NULL, *only = NULL;
    int64_t from = VG_TIME_NONE, to = VG_TIME_NONE;
    double rates[VG_EVAL_MAX_RATES];
    size_t nrates = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
        bool ok = true;
        if (opt == OPT_TRUTH) {
            truth_path = optarg;
        } else if (opt == OPT_RANKING) {
            ranking_path = optarg;
        } else if (opt == OPT_FROM) {
            ok = cli_parse_when(optarg, "--from", &from);
        } else if (opt == OPT_TO) {
            ok = cli_parse_when(optarg, "--to", &to);
        } else if (opt == OPT_RATES) {
            ok = parse_rates(optarg, rates, &nrates);
        } else if (opt == OPT_SECTION) {
            only = optarg;
        } else {
            bool done;
            int rc = cli_common_option(g, &cli_cmd_eval, opt, &done);
            if (rc < 0) {
                cli_print_usage(&cli_cmd_eval, stderr);
                return CLI_USAGE;
            }
            if (done) {
                return rc;
            }
        }
        if (!ok) {
            return CLI_USAGE;
        }
    }
    if (truth_path == NULL || optind < argc) {
        cli_print_usage(&cli_cmd_eval, stderr);
        return CLI_USAGE;
    }
    if (g->format == CLI_FORMAT_CSV && only == NULL) {
        only = "at_rates";
    }
    struct vg_file tf, rf = { 0 };
    int code = read_file(truth_path, &tf);
    if (code != CLI_OK) {
        return code;
    }
    struct vg_truth truth;
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_truth_parse(tf.data, tf.len, truth_path, &truth, &err);
    vg_file_close(&tf);
    if (st != VG_OK) {
        return cli_fail(&err, st);
    }
    struct vg_ranking ranking;
    vg_ranking_init(&ranking);
    /* The store: the ranking's source by default, and the vessel events. */
    struct vg_store_options so = { .read_only = true,
                                   .audit_key_path = g->audit_key,
                                   .audit_export_path = g->audit_export,
                                   .actor = g->actor };
    struct vg_store *store = NULL;
    struct vg_error serr;
    vg_error_clear(&serr);
    enum vg_status sst = vg_store_open(g->db, &so, &store, &serr);
    if (sst != VG_OK && ranking_path == NULL) {
        vg_truth_release(&truth);
        cli_fail(&serr, sst);
        return CLI_STORE;
    }
    if (sst != VG_OK) {
        cli_warn(g, "no store at %s: vessel cases are not evaluated", g->db);
        store = NULL;
    }
    code = CLI_OK;
    if (ranking_path != NULL) {
        code = read_file(ranking_path, &rf);
        if (code == CLI_OK) {
            struct cli_problems pp = { g, 0, 0 };
            st = vg_ranking_parse_csv(rf.data, rf.len, ranking_path, &ranking, cli_print_problem,
                                      &pp, &err);
            vg_file_close(&rf);
        }
    } else {
        st = vg_ranking_from_store(store, from != VG_TIME_NONE ? from : truth.eval_from,
                                   to != VG_TIME_NONE ? to : truth.eval_to, &ranking, &err);
    }
    struct vg_eval_report rep;
    if (code == CLI_OK && st == VG_OK) {
        st = vg_eval_run(&truth, &ranking, store, from, to, nrates ? rates : NULL, nrates, &rep,
                         &err);
    }
    if (code == CLI_OK && st == VG_OK) {
        struct cli_report *r = cli_report_new(g->format, stdout, only);
        struct vg_report_sink sink = cli_report_sink(r);
        print_report(&sink, &truth, &rep, ranking_path != NULL ? ranking_path : "store");
        if (!cli_report_finish(r, false)) {
            cli_error("no section '%s' (summary, at_rates, patterns, vessels)", only);
            code = CLI_USAGE;
        }
        if (rep.unassessed > 0) {
            cli_warn(g, "%lld of %lld trips have no assessment (ranked last)",
                     (long long)rep.unassessed, (long long)rep.trips);
        }
    } else if (code == CLI_OK) {
        code = cli_fail(&err, st);
    }
    vg_store_close(store);
    vg_ranking_release(&ranking);
    vg_truth_release(&truth);
    return code;
}
