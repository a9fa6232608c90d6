/*
 * The learning model's costs on vigia's own feature catalogue: training on a year of one
 * port's outcomes (50,000 examined trips, argv[1] changes it) and scoring a day of the
 * world's traffic (1.5 million trips, argv[2]) with and without feature contributions.
 *
 * The records are synthetic, drawn with a fixed seed: every catalogue feature gets a
 * plausible value of its type (10% unknown), and six planted indicators (a weight-per-
 * package outlier, a changed seal, a transhipment through a hub, a watch-list name match,
 * a new shipper, a party linked to an earlier seizure) set the odds of a positive. A
 * tenth of the examples come from the random stream (drawn independently of the record,
 * so no selection weights are needed: the defaults are timed). Scoring reuses a pool of 65,536
 * records; XGBoost caches nothing between calls, so every record is scored afresh.
 *
 * Prints: training time (one thread and every core; argv[4] = 1 for one thread only),
 * the validation report next to the AUC of the planted odds (the best any model can do),
 * blob size, and for scoring records per second and the time for 1.5 million trips: scores
 * only, Saabas contributions (XGBoost), exact SHAP contributions (vigia's tables) and, on
 * a sample (argv[3], default 100,000) projected to the day, exact SHAP computed by XGBoost
 * itself for comparison.
 */
#include "bench_clock.h"
#include "model/model_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vigia/alloc.h>
#include <vigia/features.h>
#include <vigia/model.h>
#include <vigia/slice.h>

#define POOL 65536

static uint64_t rng_state = 0x243F6A8885A308D3u;

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Du;
}

static double uniform(void)
{
    return (double)(rng() >> 11) * (1.0 / 9007199254740992.0);
}

static double normal(void)
{
    return sqrt(-2 * log(uniform() + 1e-300)) * cos(6.283185307179586 * uniform());
}

/* Codes for string and list features: 40 per feature, drawn with a skew. */
static const struct vg_slice codes[] = {
    { "PECLL", 5 },   { "PEPAI", 5 },   { "PECHY", 5 },     { "PEIQT", 5 },   { "MXZLO", 5 },
    { "USLGB", 5 },   { "PABLB", 5 },   { "COCTG", 5 },     { "ECGYE", 5 },   { "CLSAI", 5 },
    { "ESALG", 5 },   { "CNSHA", 5 },   { "NLRTM", 5 },     { "BEANR", 5 },   { "DEHAM", 5 },
    { "KRPUS", 5 },   { "JPTYO", 5 },   { "080440", 6 },    { "090111", 6 },  { "261690", 6 },
    { "030617", 6 },  { "071320", 6 },  { "610910", 6 },    { "200989", 6 },  { "740311", 6 },
    { "same", 4 },    { "one_off", 7 }, { "different", 9 }, { "carrier", 7 }, { "shipper", 7 },
    { "customs", 7 }, { "export", 6 },  { "import", 6 },    { "fruit", 5 },   { "fish", 4 },
    { "MAEU", 4 },    { "MSCU", 4 },    { "CMDU", 4 },      { "HLCU", 4 },    { "ONEY", 4 },
};
#define NCODES (sizeof(codes) / sizeof(codes[0]))
static const struct vg_slice hub = { "PAMIT", 5 };

static struct vg_slice pick(size_t f)
{
    double u = uniform();
    size_t k = (size_t)(u * u * 12); /* skewed towards the first codes of the window */
    return codes[(f * 7 + k) % NCODES];
}

/* One record; returns its planted log-odds. items holds room for 4 list items per list
 * feature (cat->count * 4). */
static double
make_record(const struct vg_feature_schema *cat, struct vg_value *rec, struct vg_slice *items)
{
    for (size_t f = 0; f < cat->count; f++) {
        if (uniform() < 0.1) {
            rec[f] = vg_value_unknown(VG_SLICE_EMPTY);
            continue;
        }
        switch (cat->defs[f].type) {
        case VG_FEATURE_NUMBER:
            rec[f] = vg_value_number(exp(normal()) * (double)(1 + f % 7) * 10);
            break;
        case VG_FEATURE_BOOL:
            rec[f] = vg_value_bool(uniform() < 0.05 + 0.01 * (double)(f % 5));
            break;
        case VG_FEATURE_STRING:
            rec[f] = vg_value_string(pick(f));
            break;
        case VG_FEATURE_LIST: {
            struct vg_slice *it = items + f * 4;
            size_t n = (size_t)(uniform() * 3);
            for (size_t k = 0; k < n; k++) {
                it[k] = pick(f + k);
            }
            rec[f] = vg_value_list(it, n);
            break;
        }
        }
    }
    double logit = -6.0;
    if (uniform() < 0.05) {
        rec[VG_F_KG_PER_PACKAGE_Z] = vg_value_number(3 + fabs(normal()) * 2);
        logit += 3;
    } else {
        rec[VG_F_KG_PER_PACKAGE_Z] = vg_value_number(normal());
    }
    if (uniform() < 0.04) {
        rec[VG_F_SEAL_GATE_TO_LOAD] = vg_value_string(codes[27]); /* different */
        logit += 3;
    }
    if (uniform() < 0.08) {
        struct vg_slice *it = items + VG_F_TRANSHIPMENT_PORTS * 4;
        it[0] = hub;
        rec[VG_F_TRANSHIPMENT_PORTS] = vg_value_list(it, 1);
        logit += 2;
    }
    double score = uniform() < 0.02 ? 0.85 + 0.15 * uniform() : 0.4 * uniform();
    rec[VG_F_WATCHLIST_PARTY_SCORE] = vg_value_number(score);
    logit += score > 0.85 ? 3 : 0;
    bool is_new = uniform() < 0.15;
    rec[VG_F_SHIPPER_IS_NEW] = vg_value_bool(is_new);
    logit += is_new ? 1 : 0;
    bool linked = uniform() < 0.01;
    rec[VG_F_PRIOR_SEIZURE_PARTY] = vg_value_bool(linked);
    logit += linked ? 3.5 : 0;
    return logit;
}

/* ROC AUC of the planted log-odds: the best any model can do on these rows. */
static double planted_auc(const double *logit, const struct vg_model_example *ex, size_t n)
{
    double wins = 0, pairs = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; ex[i].positive && j < n; j++) {
            if (!ex[j].positive) {
                wins += logit[i] > logit[j] ? 1 : logit[i] == logit[j] ? 0.5 : 0;
                pairs++;
            }
        }
    }
    return pairs > 0 ? wins / pairs : NAN;
}

/* One scoring figure: wall time per record and, in brackets, CPU time per record (the
 * comparable figure on a shared machine). */
static void report(const char *what, size_t rows, double secs, double cpu, size_t day)
{
    printf("  %-28s %8.0f records/s  %6.2f us/record (cpu %6.2f)  %zu in %6.1f s%s\n", what,
           (double)rows / secs, secs * 1e6 / (double)rows, cpu * 1e6 / (double)rows, day,
           secs / (double)rows * (double)day, rows < day ? " (projected)" : "");
}

/* Scores `total` records of the pool and reports them. */
static void timed(const char *what,
                  struct vg_model *m,
                  const struct vg_value *pool,
                  size_t pool_n,
                  size_t total,
                  enum vg_model_contrib how,
                  double *scores,
                  float *contribs,
                  size_t day);

/* Scores `total` records from the pool in batches; returns seconds. */
static double score_run(struct vg_model *m,
                        const struct vg_value *pool,
                        size_t pool_n,
                        size_t total,
                        enum vg_model_contrib how,
                        double *scores,
                        float *contribs,
                        double *cpu)
{
    struct vg_error err;
    double t0 = bench_wall(), c0 = bench_cpu();
    for (size_t at = 0; at < total; at += pool_n) {
        size_t k = total - at < pool_n ? total - at : pool_n;
        if (vg_model_predict(m, pool, k, scores, how, contribs, &err) != VG_OK) {
            fprintf(stderr, "bench_model: %s\n", err.message);
            exit(1);
        }
    }
    *cpu = bench_cpu() - c0;
    return bench_wall() - t0;
}

static void timed(const char *what,
                  struct vg_model *m,
                  const struct vg_value *pool,
                  size_t pool_n,
                  size_t total,
                  enum vg_model_contrib how,
                  double *scores,
                  float *contribs,
                  size_t day)
{
    double cpu = 0;
    double secs = score_run(m, pool, pool_n, total, how, scores, contribs, &cpu);
    report(what, total, secs, cpu, day);
}

int main(int argc, char **argv)
{
    size_t ntrain = argc > 1 ? strtoul(argv[1], NULL, 10) : 50000;
    size_t day = argc > 2 ? strtoul(argv[2], NULL, 10) : 1500000;
    size_t exact_sample = argc > 3 ? strtoul(argv[3], NULL, 10) : 100000;
    int last_threads = argc > 4 ? atoi(argv[4]) : 0; /* 1: one thread only */
    const struct vg_feature_schema *cat = vg_feature_catalog();
    size_t nf = cat->count;
    size_t nrec = ntrain > POOL ? ntrain : POOL;
    struct vg_value *rec = calloc(nrec * nf, sizeof(*rec));
    struct vg_slice *items = calloc(nrec * nf * 4, sizeof(*items));
    struct vg_model_example *ex = calloc(ntrain, sizeof(*ex));
    double *truth = calloc(ntrain, sizeof(double));
    if (rec == NULL || items == NULL || ex == NULL || truth == NULL) {
        fprintf(stderr, "bench_model: out of memory\n");
        return 1;
    }
    size_t positives = 0;
    for (size_t i = 0; i < nrec; i++) {
        double logit = make_record(cat, rec + i * nf, items + i * nf * 4);
        if (i < ntrain) {
            truth[i] = logit;
            bool pos = uniform() < 1 / (1 + exp(-logit));
            positives += pos;
            ex[i] =
                (struct vg_model_example){ rec + i * nf, 1767225600 + (int64_t)i * 600, pos,
                                           uniform() < 0.1 ? VG_MODEL_RANDOM : VG_MODEL_TARGETED,
                                           0 };
        }
    }
    printf("model: %zu catalogue features, %zu examples (%zu positive, %.2f%%) over %.0f days\n",
           nf, ntrain, positives, 100.0 * (double)positives / (double)ntrain,
           (double)ntrain * 600 / 86400);

    struct vg_model_options o;
    vg_model_options_default(&o);
    struct vg_model *model = NULL;
    struct vg_model_metrics m;
    struct vg_error err;
    for (int threads = 1; threads >= last_threads; threads--) {
        o.nthread = threads;
        vg_model_free(model);
        model = NULL;
        double t0 = bench_wall(), c0 = bench_cpu();
        if (vg_model_train(cat, ex, ntrain, &o, &model, &m, &err) != VG_OK) {
            fprintf(stderr, "bench_model: %s\n", err.message);
            return 1;
        }
        double secs = bench_wall() - t0, cpu = bench_cpu() - c0;
        printf("train (%s): %.2f s (cpu %.2f s): %zu columns, validated at %u rounds of %u "
               "tried, refitted\n",
               threads == 1 ? "1 thread" : "every core", secs, cpu, m.columns, m.best_round,
               m.best_round + o.early_stopping);
    }
    printf("validation (later %zu rows, %zu positive): auc %.4f (planted odds: %.4f)  "
           "logloss %.4f  p@1%% %.3f (best %.3f)  r@2%% %.3f  p@2%% %.3f\n",
           m.valid.rows, m.valid.positives, m.auc,
           planted_auc(truth + m.train.rows, ex + m.train.rows, m.valid.rows), m.logloss,
           m.at[1].precision, m.at[1].best_precision, m.at[2].recall, m.at[2].precision);
    struct vg_buf blob;
    vg_buf_init(&blob, 0);
    if (vg_model_save(model, &blob, &err) != VG_OK) {
        fprintf(stderr, "bench_model: %s\n", err.message);
        return 1;
    }
    printf("blob: %zu bytes, version %s\n", blob.len, vg_model_info(model)->version);
    vg_buf_release(&blob);

    size_t pool_n = POOL;
    double *scores = calloc(pool_n, sizeof(double));
    float *contribs = calloc(pool_n * (nf + 1), sizeof(float));
    if (scores == NULL || contribs == NULL) {
        return 1;
    }
    size_t sample = exact_sample < day ? exact_sample : day;
    for (int threads = 1; threads >= last_threads; threads--) {
        if (vg_model_set_threads(model, threads, &err) != VG_OK) {
            return 1;
        }
        printf("scoring, %s:\n", threads == 1 ? "1 thread" : "every core");
        timed("scores only", model, rec, pool_n, day, VG_MODEL_CONTRIB_NONE, scores, NULL, day);
        timed("scores + Saabas (XGBoost)", model, rec, pool_n, day, VG_MODEL_CONTRIB_APPROX, scores,
              contribs, day);
        timed("scores + SHAP (tables)", model, rec, pool_n, day, VG_MODEL_CONTRIB_EXACT, scores,
              contribs, day);
        model->shap_state = -1; /* XGBoost's own TreeSHAP, for comparison */
        timed("scores + SHAP (XGBoost)", model, rec, pool_n, sample, VG_MODEL_CONTRIB_EXACT, scores,
              contribs, day);
        model->shap_state = 1;
    }
    free(scores);
    free(contribs);
    vg_model_free(model);
    free(rec);
    free(items);
    free(ex);
    free(truth);
    return 0;
}
