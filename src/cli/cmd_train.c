/* vigia train: learn the model from the recorded outcomes (docs/model.md). */
#include "cli.h"
#include "cli_report.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vigia/model.h>
#include <vigia/risk.h>
#include <vigia/time.h>

/* Presumed negatives per examined trip (docs/model.md, "Presumed negatives"). */
#define CLI_TRAIN_UNEXAMINED 0.0

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_train = {
    "train",
    "learn the model from the recorded outcomes, validated on the latest weeks",
    "usage: vigia train [--until T] [--delay-days N] [--min-positives N] [--port LOCODE]\n"
    "                   [--unexamined N] [--activate | --no-activate] [--format F]\n"
    "\n"
    "Trains the model (gradient-boosted trees, docs/model.md) on every trip examined by\n"
    "the cut-off: its features as of its loading, whether drugs were found, and why it was\n"
    "examined (targeted, random, partner: the outcomes' selection) and, with --unexamined,\n"
    "a sample of the trips nobody examined and no partner reported a find for, as\n"
    "presumed negatives (they show the model the ordinary traffic that targeted\n"
    "examinations never do; weighted by the inverse of the sampled share). Only outcomes\n"
    "inspected at or before --until are labels; a trip examined without a find that left\n"
    "fewer than --delay-days before it is left out, because a find abroad may still come.\n"
    "Rows are weighted by the inverse of their stream's share measured in the store\n"
    "(random examinations over the trips of the period; targeted examinations over\n"
    "vigia's targets, when vigia selected them). The model is validated on the latest\n"
    "quarter of the examples (trained on the earlier weeks, never shuffled across time),\n"
    "then refitted on all of them, stored as a new version (audited) and activated: the\n"
    "next `vigia score` adds its term and reasons. Training the same examples again gives\n"
    "the same version and stores nothing new.\n"
    "\n"
    "The report says what it learned from (examples, positives per stream, period, what\n"
    "was left out, the shares) and the validation figures: ROC AUC, log loss, and\n"
    "precision and recall when 0.5%, 1%, 2% or 5% of the later weeks' trips are examined,\n"
    "with the best precision any ranking could reach there.\n"
    "\n"
    "options:\n"
    "  --until T          the cut-off (ISO 8601; default: now)\n"
    "  --delay-days N     days a find abroad may take to be reported (default 45; 0: none)\n"
    "  --min-positives N  fewer positive examples: nothing is learned (default 10)\n"
    "  --port LOCODE      only the trips of this port\n"
    "  --unexamined N     presumed negatives sampled per examined trip (default 0: none)\n"
    "  --activate         make the new model the active one (default)\n"
    "  --no-activate      store it inactive\n"
    "\n"
    "exit status: 0 trained and stored, 1 usage, 2 too few labels to learn from (the\n"
    "report says how many; nothing is stored, and `vigia score` goes on with rules and\n"
    "lists alone, or with the model active before), 3 store error.\n",
    run,
};

struct record {
    const char *keys[64];
    const char *vals[64];
    enum vg_cell_kind kinds[64];
    char buf[64][48];
    size_t n;
};

/* A value printed with fmt is a number when fmt is one integer or fixed-point conversion
 * and nothing else ("%zu", "%lld", "%.4f"...); the output layer still checks the text. */
static enum vg_cell_kind fmt_kind(const char *fmt)
{
    static const char *const ints[] = { "%d", "%u", "%zu", "%lld" };
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        if (strcmp(fmt, ints[i]) == 0) {
            return VG_CELL_INTEGER;
        }
    }
    size_t n = strlen(fmt);
    if (fmt[0] == '%' && n >= 3 && fmt[n - 1] == 'f' && strchr(fmt + 1, '%') == NULL) {
        return VG_CELL_REAL;
    }
    return VG_CELL_TEXT;
}

static void put(struct record *r, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void put(struct record *r, const char *key, const char *fmt, ...)
{
    if (r->n >= sizeof(r->keys) / sizeof(r->keys[0])) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->buf[r->n], sizeof(r->buf[r->n]), fmt, ap);
    va_end(ap);
    r->keys[r->n] = key;
    r->vals[r->n] = r->buf[r->n];
    r->kinds[r->n] = fmt_kind(fmt);
    r->n++;
}

static void put_null(struct record *r, const char *key)
{
    if (r->n < sizeof(r->keys) / sizeof(r->keys[0])) {
        r->keys[r->n] = key;
        r->kinds[r->n] = VG_CELL_TEXT;
        r->vals[r->n++] = NULL;
    }
}

static void put_time(struct record *r, const char *key, int64_t t)
{
    char iso[40];
    if (t == VG_TIME_NONE) {
        put_null(r, key);
    } else {
        put(r, key, "%s", vg_time_format_iso8601(t, iso, sizeof(iso)));
    }
}

static void put_num(struct record *r, const char *key, double x, int decimals)
{
    if (isnan(x)) {
        put_null(r, key);
    } else {
        put(r, key, "%.*f", decimals, x);
    }
}

/* What the model learned from. */
static void put_examples(struct record *r, const struct vg_risk_examples *ex)
{
    put_time(r, "until", ex->until);
    put(r, "delay_days", "%d", ex->delay_days);
    put(r, "examples", "%zu", ex->n);
    put(r, "positives", "%zu", ex->positives);
    static const char *const keys[4][2] = { { "targeted", "targeted_positives" },
                                            { "random", "random_positives" },
                                            { "partner", "partner_positives" },
                                            { "unexamined", "unexamined_positives" } };
    for (int i = 0; i < 4; i++) {
        put(r, keys[i][0], "%zu", ex->streams[i].examples);
        put(r, keys[i][1], "%zu", ex->streams[i].positives);
    }
    put_time(r, "from", ex->from);
    put_time(r, "to", ex->to);
    put(r, "late_negatives_left_out", "%zu", ex->late_negatives);
    put(r, "late_positives_left_out", "%zu", ex->late_positives);
    put(r, "not_loaded_left_out", "%zu", ex->not_loaded);
    put(r, "not_loaded_positives", "%zu", ex->not_loaded_positives);
    put(r, "outcomes_after_until", "%zu", ex->after_until);
    put(r, "outcomes_unlinked", "%zu", ex->unlinked);
    put_time(r, "share_window_from", ex->share_from);
    put_time(r, "share_window_to", ex->share_to);
    put(r, "window_trips", "%lld", (long long)ex->window_trips);
    put(r, "random_examined", "%lld", (long long)ex->random_examined);
    put(r, "share_random", "%.6f%s", ex->shares.random,
        ex->random_measured ? "" : " (not measured)");
    put(r, "targets", "%lld", (long long)ex->targets);
    put(r, "targets_examined", "%lld", (long long)ex->targets_examined);
    put(r, "share_targeted", "%.6f%s", ex->shares.targeted,
        ex->targeted_measured ? "" : " (not measured)");
    put(r, "unexamined_eligible", "%zu", ex->unexamined_eligible);
    put(r, "share_unexamined", "%.6f", ex->shares.unexamined);
}

/* How the validated model did on the later weeks. */
static void put_metrics(struct record *r, const struct vg_model_metrics *m)
{
    put(r, "effective_rows", "%.1f", m->all.effective_rows);
    put_time(r, "valid_from", m->valid_from);
    put(r, "train_rows", "%zu", m->train.rows);
    put(r, "train_positives", "%zu", m->train.positives);
    put(r, "valid_rows", "%zu", m->valid.rows);
    put(r, "valid_positives", "%zu", m->valid.positives);
    put_num(r, "auc", m->auc, 4);
    put_num(r, "logloss", m->logloss, 4);
    put_num(r, "base_rate", m->base_rate, 4);
    static const char *const keys[VG_MODEL_RATES][3] = {
        { "precision_at_0.5%", "recall_at_0.5%", "best_precision_at_0.5%" },
        { "precision_at_1%", "recall_at_1%", "best_precision_at_1%" },
        { "precision_at_2%", "recall_at_2%", "best_precision_at_2%" },
        { "precision_at_5%", "recall_at_5%", "best_precision_at_5%" },
    };
    for (int i = 0; i < VG_MODEL_RATES; i++) {
        put_num(r, keys[i][0], m->at[i].precision, 4);
        put_num(r, keys[i][1], m->at[i].recall, 4);
        put_num(r, keys[i][2], m->at[i].best_precision, 4);
    }
    put(r, "rounds", "%u", m->rounds);
    put(r, "columns", "%zu", m->columns);
}

static bool parse_count(const char *text, const char *option, long lo, long hi, long *out)
{
    char *end;
    long n = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || n < lo || n > hi) {
        cli_error("%s wants a number from %ld to %ld, not '%s'", option, lo, hi, text);
        return false;
    }
    *out = n;
    return true;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int train(struct cli_global *g,
                 struct vg_store *store,
                 const struct vg_risk_examples_options *eo,
                 size_t min_positives,
                 bool activate)
{
    double t0 = seconds();
    struct vg_error err;
    vg_error_clear(&err);
    struct vg_risk_examples ex;
    enum vg_status st = vg_risk_examples(store, eo, &ex, &err);
    if (st != VG_OK) {
        return cli_fail(&err, st);
    }
    struct vg_model_options o;
    vg_model_options_default(&o);
    o.min_positives = min_positives;
    o.shares = ex.shares;
    struct vg_model *model = NULL;
    struct vg_model_metrics m;
    memset(&m, 0, sizeof(m));
    st = vg_model_train(vg_feature_catalog(), ex.items, ex.n, &o, &model, &m, &err);
    struct record r = { .n = 0 };
    int code = CLI_OK;
    if (st == VG_ENOTFOUND) {
        put(&r, "trained", "no");
        r.keys[r.n] = "reason";
        r.kinds[r.n] = VG_CELL_TEXT;
        r.vals[r.n++] = err.message;
        cli_warn(g, "%s", err.message);
        code = CLI_BAD_INPUT;
    } else if (st != VG_OK) {
        vg_risk_examples_release(&ex);
        return cli_fail(&err, st);
    } else {
        int64_t id = 0;
        bool inserted = false;
        const char *version = vg_model_info(model)->version;
        st = vg_model_store_insert(store, model, VG_TIME_NONE, &id, &inserted, &err);
        if (st == VG_OK && activate) {
            st = vg_model_store_activate(store, version, &err);
        }
        if (st != VG_OK) {
            vg_model_free(model);
            vg_risk_examples_release(&ex);
            return cli_fail(&err, st);
        }
        put(&r, "trained", "yes");
        put(&r, "model", "%s", version);
        put(&r, "model_id", "%lld", (long long)id);
        put(&r, "stored", "%s", inserted ? "yes" : "no (this version was stored before)");
        put(&r, "active", "%s", activate ? "yes" : "no");
    }
    put_examples(&r, &ex);
    put_metrics(&r, &m);
    put(&r, "seconds", "%.2f", seconds() - t0);
    cli_print_record(g->format, stdout, r.n, r.keys, r.vals, r.kinds);
    vg_model_free(model);
    vg_risk_examples_release(&ex);
    return code;
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum {
        OPT_UNTIL = 300,
        OPT_DELAY,
        OPT_MIN,
        OPT_PORT,
        OPT_UNEXAMINED,
        OPT_ACTIVATE,
        OPT_NO_ACTIVATE
    };
    static const struct option opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "until", required_argument, NULL, OPT_UNTIL },
        { "delay-days", required_argument, NULL, OPT_DELAY },
        { "min-positives", required_argument, NULL, OPT_MIN },
        { "port", required_argument, NULL, OPT_PORT },
        { "unexamined", required_argument, NULL, OPT_UNEXAMINED },
        { "activate", no_argument, NULL, OPT_ACTIVATE },
        { "no-activate", no_argument, NULL, OPT_NO_ACTIVATE },
        { NULL, 0, NULL, 0 },
    };
    struct vg_risk_examples_options eo = { .until = VG_TIME_NONE,
                                           .unexamined_ratio = CLI_TRAIN_UNEXAMINED };
    long min_positives = 10, n;
    bool activate = true;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case OPT_UNTIL:
            if (!cli_parse_when(optarg, "--until", &eo.until)) {
                return CLI_USAGE;
            }
            continue;
        case OPT_DELAY:
            if (!parse_count(optarg, "--delay-days", 0, 3650, &n)) {
                return CLI_USAGE;
            }
            eo.delay_days = n == 0 ? -1 : (int)n;
            continue;
        case OPT_MIN:
            if (!parse_count(optarg, "--min-positives", 1, 1000000, &min_positives)) {
                return CLI_USAGE;
            }
            continue;
        case OPT_PORT:
            eo.port = optarg;
            continue;
        case OPT_UNEXAMINED:
            if (!parse_count(optarg, "--unexamined", 0, 1000, &n)) {
                return CLI_USAGE;
            }
            eo.unexamined_ratio = (double)n;
            continue;
        case OPT_ACTIVATE:
        case OPT_NO_ACTIVATE:
            activate = opt == OPT_ACTIVATE;
            continue;
        default:
            break;
        }
        bool done;
        int rc = cli_common_option(g, &cli_cmd_train, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_train, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    if (optind != argc) {
        cli_print_usage(&cli_cmd_train, stderr);
        return CLI_USAGE;
    }
    int code;
    struct vg_store *store = cli_open_store(g, false, false, &code);
    if (store == NULL) {
        return code;
    }
    code = train(g, store, &eo, (size_t)min_positives, activate);
    vg_store_close(store);
    return code;
}
