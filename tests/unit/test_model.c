/* The learning model (vigia/model.h): encoding, training on a synthetic world with planted
 * signals, time-ordered validation, selection weights, the blob, prediction with
 * contributions, explanations, novelty and the models table. */
#include "model/model_int.h"
#include "vg_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/audit.h>
#include <vigia/features.h>
#include <vigia/model.h>
#include <vigia/store.h>
#include <vigia/time.h>

/* ---- a small schema and a synthetic world ---------------------------------------------- */

enum {
    F_Z,       /* planted: an outlier (> 2.5) raises the risk */
    F_SEAL,    /* planted: "different" raises it, "one_off" a little */
    F_PORTS,   /* planted: PAMIT among the transhipment ports raises it */
    F_NEW,     /* planted, weak: a new shipper */
    F_CARRIER, /* noise, with rare values */
    F_DWELL,   /* noise */
    F_REEFER,  /* noise */
    F_ODD,     /* planted: unknown (no gate data) raises the risk; true and false do not */
    F_NOISE_A, /* noise */
    F_NOISE_B, /* noise */
    F_LATE,    /* planted only in late rows (time-split test) or only in random rows */
    NF
};

static const struct vg_feature_def defs[NF] = {
    { "kg_per_package_z", VG_FEATURE_NUMBER, "", VG_FEED_MANIFEST,
      "robust z-score of kg per package against shipments of the same HS heading and package" },
    { "seal_gate_to_load", VG_FEATURE_STRING, "", VG_FEED_GATE | VG_FEED_TERMINAL,
      "seal at loading against gate-in: same, one_off or different" },
    { "transhipment_ports", VG_FEATURE_LIST, "", VG_FEED_MANIFEST,
      "UN/LOCODEs of the transhipment ports on the container's itinerary" },
    { "shipper_is_new", VG_FEATURE_BOOL, "", VG_FEED_MANIFEST,
      "the shipper has no earlier shipment in the store" },
    { "carrier", VG_FEATURE_STRING, "", VG_FEED_MANIFEST, "code of the ocean carrier" },
    { "dwell_hours", VG_FEATURE_NUMBER, "hours", VG_FEED_GATE | VG_FEED_TERMINAL,
      "hours from the first gate-in to loading" },
    { "reefer", VG_FEATURE_BOOL, "", VG_FEED_MANIFEST, "the container is a reefer" },
    { "gate_in_odd_hour", VG_FEATURE_BOOL, "", VG_FEED_GATE, "gate-in at night or on a weekend" },
    { "noise_a", VG_FEATURE_NUMBER, "", VG_FEED_MANIFEST, "a number with no signal" },
    { "noise_b", VG_FEATURE_NUMBER, "", VG_FEED_MANIFEST, "another number with no signal" },
    { "late_signal", VG_FEATURE_BOOL, "", VG_FEED_MANIFEST, "a fact that matters only sometimes" },
};
static const struct vg_feature_schema schema = { defs, NF };

#define SL(s)        \
 {                   \
  (s), sizeof(s) - 1 \
 }

static const struct vg_slice seals[] = { SL("same"), SL("one_off"), SL("different") };
static const struct vg_slice ports[] = {
    SL("PAMIT"), SL("COCTG"), SL("ECGYE"), SL("PABLB"),
    SL("MXZLO"), SL("JPTYO"), SL("CNSHA"), SL("KRPUS"),
};
#define NPORTS (sizeof(ports) / sizeof(ports[0]))
static const struct vg_slice carriers[] = {
    SL("MAEU"), SL("MSCU"), SL("CMDU"), SL("HLCU"),  SL("ONEY"),
    SL("EGLV"), SL("COSU"), SL("ZIMU"), SL("RARE1"), SL("RARE2"),
};
static const struct vg_slice no_gate = SL("no gate messages from the terminal");

struct rng {
    uint64_t s;
};

static uint64_t next(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double unif(struct rng *r)
{
    return (double)(next(r) >> 11) / 9007199254740992.0;
}

static double normal(struct rng *r)
{
    double u = unif(r), v = unif(r);
    return sqrt(-2 * log(u + 1e-300)) * cos(6.283185307179586 * v);
}

/* How the world is generated. */
struct gen {
    size_t n;
    uint64_t seed;
    int64_t t0;          /* time of the first row */
    int64_t step;        /* seconds between rows */
    size_t same_time;    /* rows per time stamp (1: all distinct) */
    double late_from;    /* share of rows after which late_signal is predictive (1: never) */
    bool late_in_random; /* late_signal is predictive in random rows only */
    double random_share; /* share of rows from the random stream */
};

struct world {
    size_t n;
    struct vg_value *rec;   /* n * NF */
    struct vg_slice *items; /* n * NPORTS list items */
    struct vg_model_example *ex;
    double *truth; /* the planted log-odds of each row */
};

static void world_make(struct world *w, const struct gen *g)
{
    w->n = g->n;
    w->rec = calloc(g->n * NF, sizeof(*w->rec));
    w->items = calloc(g->n * NPORTS, sizeof(*w->items));
    w->ex = calloc(g->n, sizeof(*w->ex));
    w->truth = calloc(g->n, sizeof(*w->truth));
    assert_non_null(w->rec);
    assert_non_null(w->items);
    assert_non_null(w->ex);
    struct rng r = { g->seed };
    for (size_t i = 0; i < g->n; i++) {
        struct vg_value *v = w->rec + i * NF;
        double logit = -5.5;
        /* kg_per_package_z */
        double z = normal(&r);
        if (unif(&r) < 0.06) {
            z = 2.6 + fabs(normal(&r)) * 2;
        }
        if (unif(&r) < 0.1) {
            v[F_Z] = vg_value_unknown(VG_SLICE_EMPTY);
        } else {
            v[F_Z] = vg_value_number(z);
            logit += z > 2.5 ? 4 : 0;
        }
        /* seal */
        double u = unif(&r);
        if (u < 0.05) {
            v[F_SEAL] = vg_value_unknown(VG_SLICE_EMPTY);
        } else {
            size_t s = u < 0.87 ? 0 : u < 0.93 ? 1 : 2;
            v[F_SEAL] = vg_value_string(seals[s]);
            logit += s == 2 ? 4 : s == 1 ? 2 : 0;
        }
        /* transhipment ports */
        struct vg_slice *it = w->items + i * NPORTS;
        size_t k = 0;
        if (unif(&r) < 0.1) {
            it[k++] = ports[0];
            logit += 3.5;
        }
        size_t extra = (size_t)(unif(&r) * 3);
        for (size_t j = 0; j < extra; j++) {
            it[k++] = ports[1 + (size_t)(unif(&r) * (NPORTS - 1))];
        }
        v[F_PORTS] = vg_value_list(it, k);
        /* shipper */
        bool is_new = unif(&r) < 0.2;
        v[F_NEW] = vg_value_bool(is_new);
        logit += is_new ? 1 : 0;
        /* carrier: eight common, two rare */
        u = unif(&r);
        v[F_CARRIER] = vg_value_string(u < 0.0005  ? carriers[8]
                                       : u < 0.001 ? carriers[9]
                                                   : carriers[(size_t)(unif(&r) * 8)]);
        v[F_DWELL] = vg_value_number(-48 * log(unif(&r) + 1e-12));
        v[F_REEFER] = vg_value_bool(unif(&r) < 0.3);
        /* odd hour: unknown (no gate feed) is risky, true and false are not */
        u = unif(&r);
        if (u < 0.2) {
            v[F_ODD] = vg_value_unknown(no_gate);
            logit += 2;
        } else {
            v[F_ODD] = vg_value_bool(u < 0.4);
        }
        v[F_NOISE_A] = vg_value_number(unif(&r));
        v[F_NOISE_B] = vg_value_number(normal(&r) * 10);
        bool late = unif(&r) < 0.1;
        v[F_LATE] = vg_value_bool(late);
        bool random = unif(&r) < g->random_share;
        if (late && (double)i >= g->late_from * (double)g->n && !g->late_in_random) {
            logit += 4;
        }
        if (late && g->late_in_random) {
            logit += random ? 2.5 : -3;
        }
        w->truth[i] = logit;
        size_t slot = g->same_time > 1 ? i / g->same_time : i;
        w->ex[i] = (struct vg_model_example){
            .record = v,
            .time = g->t0 + (int64_t)slot * g->step,
            .positive = unif(&r) < 1 / (1 + exp(-logit)),
            .selection = random ? VG_MODEL_RANDOM : VG_MODEL_TARGETED,
        };
    }
}

static void world_free(struct world *w)
{
    free(w->rec);
    free(w->items);
    free(w->ex);
    free(w->truth);
}

static struct gen default_gen(size_t n, uint64_t seed)
{
    return (struct gen){ .n = n,
                         .seed = seed,
                         .t0 = 1767225600, /* 2026-01-01 */
                         .step = 900,
                         .same_time = 1,
                         .late_from = 1,
                         .late_in_random = false,
                         .random_share = 0.1 };
}

static struct vg_model_options test_options(void)
{
    struct vg_model_options o;
    vg_model_options_default(&o);
    o.nthread = 1;
    return o;
}

static struct vg_model *
train_ok(const struct world *w, const struct vg_model_options *o, struct vg_model_metrics *m)
{
    struct vg_model *model = NULL;
    struct vg_error err;
    vg_error_clear(&err);
    assert_status(vg_model_train(&schema, w->ex, w->n, o, &model, m, &err), VG_OK, &err);
    assert_non_null(model);
    return model;
}

/* Plain ROC AUC (ties count half). */
static double auc_of(const double *p, const struct vg_model_example *ex, size_t n)
{
    double wins = 0, pairs = 0;
    for (size_t i = 0; i < n; i++) {
        if (!ex[i].positive) {
            continue;
        }
        for (size_t j = 0; j < n; j++) {
            if (ex[j].positive) {
                continue;
            }
            wins += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
            pairs++;
        }
    }
    return pairs > 0 ? wins / pairs : NAN;
}

/* A typical record: nothing planted. */
static void typical(struct vg_value *v)
{
    static const struct vg_slice items[] = { SL("COCTG") };
    v[F_Z] = vg_value_number(0.1);
    v[F_SEAL] = vg_value_string(seals[0]);
    v[F_PORTS] = vg_value_list(items, 1);
    v[F_NEW] = vg_value_bool(false);
    v[F_CARRIER] = vg_value_string(carriers[0]);
    v[F_DWELL] = vg_value_number(30);
    v[F_REEFER] = vg_value_bool(false);
    v[F_ODD] = vg_value_bool(false);
    v[F_NOISE_A] = vg_value_number(0.5);
    v[F_NOISE_B] = vg_value_number(0);
    v[F_LATE] = vg_value_bool(false);
}

static double score_of(struct vg_model *m, const struct vg_value *rec)
{
    double s = -1;
    struct vg_error err;
    assert_status(vg_model_predict(m, rec, 1, &s, VG_MODEL_CONTRIB_NONE, NULL, &err), VG_OK, &err);
    return s;
}

/* ---- tests ------------------------------------------------------------------------------ */

static void test_model__learns_planted_signal(void **state)
{
    (void)state;
    struct world w;
    struct gen g = default_gen(8000, 11);
    world_make(&w, &g);
    struct vg_model_options o = test_options();
    struct vg_model_metrics m;
    struct vg_model *model = train_ok(&w, &o, &m);

    /* The report: parts, counts and quality on the later weeks. */
    assert_int_equal(m.train.rows + m.valid.rows, 8000);
    assert_int_equal(m.all.rows, 8000);
    assert_int_equal(m.valid.rows, 2000);
    assert_true(m.train.positives > 50 && m.valid.positives > 15);
    assert_true(m.auc > 0.9);
    assert_true(m.at[1].rate == 0.01 && m.at[2].rate == 0.02);
    assert_true(m.at[1].precision > 0.5 && m.at[1].precision <= 1);
    assert_true(m.at[2].recall > 0 && m.at[2].recall <= 1);
    assert_true(m.at[3].recall >= m.at[2].recall);
    assert_true(m.logloss > 0 && m.logloss < 0.3);
    assert_true(m.best_round >= 5 && m.best_round <= o.max_rounds);
    assert_true(m.refitted);
    assert_int_equal(m.rounds, m.best_round);
    assert_int_equal(vg_model_info(model)->rounds, m.rounds);
    /* columns: 1 per number, bool and string; 1 + members for the list */
    assert_true(m.columns >= NF + 1 && m.columns <= NF + o.list_members);

    /* Held-out rows from later weeks, never seen: the model ranks their positives high. */
    struct world later;
    struct gen lg = default_gen(3000, 99);
    lg.t0 += 100 * 86400;
    world_make(&later, &lg);
    double *p = calloc(later.n, sizeof(double));
    struct vg_error err;
    assert_status(vg_model_predict(model, later.rec, later.n, p, VG_MODEL_CONTRIB_NONE, NULL, &err),
                  VG_OK, &err);
    double auc = auc_of(p, later.ex, later.n);
    double best = auc_of(later.truth, later.ex, later.n);
    print_message("validation auc %.4f, held-out auc %.4f (planted %.4f), p@1%% %.3f, "
                  "rounds %u\n",
                  m.auc, auc, best, m.at[1].precision, m.rounds);
    assert_true(auc > 0.9);
    assert_true(auc > best - 0.03); /* close to what the planted signal allows */
    for (size_t i = 0; i < later.n; i++) {
        assert_true(p[i] > 0 && p[i] < 1);
    }
    free(p);
    world_free(&later);
    vg_model_free(model);
    world_free(&w);
}

static void test_model__top_contribution_names_planted_feature(void **state)
{
    (void)state;
    struct world w;
    struct gen g = default_gen(6000, 5);
    world_make(&w, &g);
    struct vg_model_options o = test_options();
    struct vg_model *model = train_ok(&w, &o, NULL);
    struct vg_value rec[3 * NF];
    typical(rec);
    typical(rec + NF);
    typical(rec + 2 * NF);
    rec[F_Z] = vg_value_number(6.2);
    rec[NF + F_SEAL] = vg_value_string(seals[2]);
    static const struct vg_slice mit[] = { SL("ECGYE"), SL("PAMIT") };
    rec[2 * NF + F_PORTS] = vg_value_list(mit, 2);
    const uint32_t planted[3] = { F_Z, F_SEAL, F_PORTS };

    for (int how = VG_MODEL_CONTRIB_EXACT; how <= VG_MODEL_CONTRIB_APPROX; how++) {
        float c[3 * (NF + 1)];
        double s[3];
        struct vg_error err;
        assert_status(vg_model_predict(model, rec, 3, s, (enum vg_model_contrib)how, c, &err),
                      VG_OK, &err);
        for (size_t r = 0; r < 3; r++) {
            struct vg_model_reason top[3];
            size_t n = vg_model_top(model, c + r * (NF + 1), 3, 0.01, true, top);
            assert_true(n >= 1);
            assert_int_equal(top[0].feature, planted[r]);
            assert_true(top[0].contribution > 0.5f);
            for (size_t k = 1; k < n; k++) {
                assert_true(top[k].contribution <= top[k - 1].contribution);
            }
            /* The contributions and the bias add up to the score's log-odds. */
            double sum = 0;
            for (size_t f = 0; f <= NF; f++) {
                sum += c[r * (NF + 1) + f];
            }
            assert_true(fabs(sum - log(s[r] / (1 - s[r]))) < 1e-3);
        }
    }
    /* The planted record scores far above the typical one. */
    struct vg_value plain[NF];
    typical(plain);
    assert_true(score_of(model, rec) > 4 * score_of(model, plain));

    /* Words: the z-score in robust deviations, and which way it moved the score. */
    struct vg_buf b;
    vg_buf_init(&b, 4096);
    assert_int_equal(vg_model_explain(model, rec, F_Z, 1.7, &b), VG_OK);
    print_message("%s\n", b.data);
    assert_non_null(strstr(b.data, "Robust z-score of kg per package against shipments of the "
                                   "same HS heading and package: 6.2, 6.2 robust deviations "
                                   "above the norm, higher than 9"));
    assert_non_null(strstr(b.data, "; raises the risk"));
    vg_buf_release(&b);
    vg_model_free(model);
    world_free(&w);
}

static void test_model__unknown_is_missing_not_zero(void **state)
{
    (void)state;
    struct world w;
    struct gen g = default_gen(8000, 21);
    world_make(&w, &g);
    struct vg_model_options o = test_options();
    struct vg_model *model = train_ok(&w, &o, NULL);

    struct vg_value rec[NF];
    typical(rec);
    double as_false = score_of(model, rec);
    rec[F_ODD] = vg_value_unknown(no_gate);
    double as_unknown = score_of(model, rec);
    /* In this world a missing gate feed is what raises the risk: read as "no" it could not. */
    assert_true(as_unknown > 1.5 * as_false);

    /* A NaN number and a value of the wrong kind read exactly as unknown. */
    rec[F_Z] = vg_value_unknown(VG_SLICE_EMPTY);
    double z_unknown = score_of(model, rec);
    rec[F_Z] = vg_value_number(NAN);
    assert_true(score_of(model, rec) == z_unknown);
    rec[F_Z] = vg_value_bool(true);
    assert_true(score_of(model, rec) == z_unknown);
    rec[F_Z] = vg_value_number(INFINITY);
    double inf = score_of(model, rec);
    assert_true(inf > 0 && inf < 1);

    /* A record with every value unknown scores, with contributions. */
    struct vg_value none[NF];
    memset(none, 0, sizeof(none));
    float c[NF + 1];
    double s = -1;
    struct vg_error err;
    assert_status(vg_model_predict(model, none, 1, &s, VG_MODEL_CONTRIB_EXACT, c, &err), VG_OK,
                  &err);
    assert_true(s > 0 && s < 1);
    /* Explanations of unknown values give the value's reason, else the feeds. */
    struct vg_buf b;
    vg_buf_init(&b, 4096);
    assert_int_equal(vg_model_explain(model, rec, F_ODD, 0.9, &b), VG_OK);
    assert_string_equal(b.data, "Gate-in at night or on a weekend: unknown (no gate messages "
                                "from the terminal); raises the risk");
    vg_buf_reset(&b);
    assert_int_equal(vg_model_explain(model, none, F_SEAL, -0.2, &b), VG_OK);
    assert_string_equal(b.data, "Seal at loading against gate-in: same, one_off or different: "
                                "unknown (no gate or terminal data); lowers the risk");
    vg_buf_release(&b);
    vg_model_free(model);
    world_free(&w);
}

/* A feature (almost) no training row had unknown: the trees cannot have learned where its
 * unknowns go, so an unknown reads as the training's typical value (and is novel); a
 * feature many training rows had unknown stays missing. Kept through the blob. */
static void test_model__never_unknown_in_training_reads_as_typical(void **state)
{
    (void)state;
    struct world w;
    struct gen g = default_gen(6000, 31);
    world_make(&w, &g);
    /* Five rows without a dwell: fewer than min_category_rows (10), too few to learn from. */
    for (size_t i = 0; i < 5; i++) {
        w.rec[i * 97 * NF + F_DWELL] = vg_value_unknown(VG_SLICE_EMPTY);
    }
    struct vg_model_options o = test_options();
    struct vg_model *model = train_ok(&w, &o, NULL);
    const struct enc_feature *dwell = model->feat_enc[F_DWELL];
    const struct enc_feature *carrier = model->feat_enc[F_CARRIER];
    assert_true(isnan(model->feat_enc[F_ODD]->typical));
    assert_true(isnan(model->feat_enc[F_Z]->typical));
    assert_true(dwell->typical == dwell->q[6]);
    assert_true(dwell->typical > 20 && dwell->typical < 50); /* exponential, mean 48 */
    assert_true(model->feat_enc[F_NEW]->typical == 0);       /* 80% are not new */
    assert_true(carrier->typical >= 1 && carrier->typical <= (double)carrier->nvalues);

    struct vg_value rec[NF], typ[NF];
    typical(rec);
    typical(typ);
    rec[F_DWELL] = vg_value_unknown(VG_SLICE_LIT("no gate-in recorded"));
    typ[F_DWELL] = vg_value_number(dwell->typical);
    assert_true(score_of(model, rec) == score_of(model, typ));
    rec[F_NEW] = vg_value_unknown(VG_SLICE_EMPTY);
    typ[F_NEW] = vg_value_bool(false);
    rec[F_CARRIER] = vg_value_unknown(VG_SLICE_EMPTY);
    typ[F_CARRIER] = vg_value_string(carrier->slices[(size_t)carrier->typical - 1]);
    assert_true(score_of(model, rec) == score_of(model, typ));
    /* Novel: the three never seen unknown; a feature seen unknown is not. */
    rec[F_ODD] = vg_value_unknown(no_gate);
    uint32_t nov[8];
    assert_int_equal(vg_model_novelty(model, rec, nov, 8), 3);
    assert_int_equal(nov[0], F_NEW);
    assert_int_equal(nov[1], F_CARRIER);
    assert_int_equal(nov[2], F_DWELL);

    /* The blob keeps the typical values. */
    struct vg_buf blob;
    vg_buf_init(&blob, 0);
    struct vg_error err;
    vg_error_clear(&err);
    assert_status(vg_model_save(model, &blob, &err), VG_OK, &err);
    struct vg_model *back = NULL;
    assert_status(vg_model_load(blob.data, blob.len, &schema, &back, &err), VG_OK, &err);
    assert_true(back->feat_enc[F_DWELL]->typical == dwell->typical);
    assert_true(isnan(back->feat_enc[F_ODD]->typical));
    assert_true(score_of(back, rec) == score_of(model, rec));
    vg_buf_release(&blob);
    vg_model_free(back);
    vg_model_free(model);
    world_free(&w);
}

static void test_model__blob_round_trip(void **state)
{
    (void)state;
    struct world w;
    struct gen g = default_gen(5000, 31);
    world_make(&w, &g);
    struct vg_model_options o = test_options();
    struct vg_model *model = train_ok(&w, &o, NULL);
    struct vg_buf blob;
    vg_buf_init(&blob, 0);
    struct vg_error err;
    assert_status(vg_model_save(model, &blob, &err), VG_OK, &err);

    struct vg_model *back = NULL;
    assert_status(vg_model_load(blob.data, blob.len, &schema, &back, &err), VG_OK, &err);
    assert_string_equal(vg_model_info(back)->version, vg_model_info(model)->version);
    assert_int_equal(vg_model_info(back)->rounds, vg_model_info(model)->rounds);
    assert_int_equal(vg_model_info(back)->trained_until, w.ex[w.n - 1].time);
    assert_true(vg_model_info(back)->metrics.auc == vg_model_info(model)->metrics.auc);
    assert_int_equal(vg_model_info(back)->metrics.valid.positives,
                     vg_model_info(model)->metrics.valid.positives);
    /* The version names the trained-until date. */
    assert_true(strncmp(vg_model_info(back)->version, "20260222-", 9) == 0);

    /* Same predictions, same contributions, bit for bit. */
    size_t n = 500;
    double *p1 = calloc(n, sizeof(double)), *p2 = calloc(n, sizeof(double));
    float *c1 = calloc(n * (NF + 1), sizeof(float)), *c2 = calloc(n * (NF + 1), sizeof(float));
    assert_status(vg_model_predict(model, w.rec, n, p1, VG_MODEL_CONTRIB_EXACT, c1, &err), VG_OK,
                  &err);
    assert_status(vg_model_predict(back, w.rec, n, p2, VG_MODEL_CONTRIB_EXACT, c2, &err), VG_OK,
                  &err);
    assert_memory_equal(p1, p2, n * sizeof(double));
    assert_memory_equal(c1, c2, n * (NF + 1) * sizeof(float));

    /* Saving the loaded model gives the same bytes. */
    struct vg_buf again;
    vg_buf_init(&again, 0);
    assert_status(vg_model_save(back, &again, &err), VG_OK, &err);
    assert_int_equal(again.len, blob.len);
    assert_memory_equal(again.data, blob.data, blob.len);
    vg_buf_release(&again);
    vg_model_free(back);

    /* A changed byte anywhere, or a cut, is refused. */
    struct vg_model *bad = NULL;
    char *copy = malloc(blob.len);
    size_t spots[] = { 20, blob.len / 2, blob.len - 40, blob.len - 1 };
    for (size_t k = 0; k < sizeof(spots) / sizeof(spots[0]); k++) {
        memcpy(copy, blob.data, blob.len);
        copy[spots[k]] ^= 0x20;
        assert_int_equal(vg_model_load(copy, blob.len, &schema, &bad, &err), VG_EINTEGRITY);
        assert_null(bad);
    }
    assert_int_equal(vg_model_load(blob.data, blob.len - 1, &schema, &bad, &err), VG_EINTEGRITY);
    assert_int_equal(vg_model_load(blob.data, 10, &schema, &bad, &err), VG_EPARSE);
    assert_int_equal(
        vg_model_load("VGMODEL2....................................", 44, &schema, &bad, &err),
        VG_EPARSE);
    free(copy);

    /* Against a schema without one feature: that feature reads as unknown. */
    struct vg_feature_def fewer[NF - 1];
    memcpy(fewer, defs, sizeof(fewer)); /* drops late_signal, the last */
    struct vg_feature_schema small = { fewer, NF - 1 };
    assert_status(vg_model_load(blob.data, blob.len, &small, &back, &err), VG_OK, &err);
    struct vg_value rec[NF];
    typical(rec);
    double s_small = -1, s_full_unknown = -1;
    assert_status(vg_model_predict(back, rec, 1, &s_small, VG_MODEL_CONTRIB_NONE, NULL, &err),
                  VG_OK, &err);
    rec[F_LATE] = vg_value_unknown(VG_SLICE_EMPTY);
    assert_status(
        vg_model_predict(model, rec, 1, &s_full_unknown, VG_MODEL_CONTRIB_NONE, NULL, &err), VG_OK,
        &err);
    assert_true(s_small == s_full_unknown);
    vg_model_free(back);

    /* A feature whose type changed is refused. */
    struct vg_feature_def changed[NF];
    memcpy(changed, defs, sizeof(changed));
    changed[F_DWELL].type = VG_FEATURE_STRING;
    struct vg_feature_schema other = { changed, NF };
    assert_int_equal(vg_model_load(blob.data, blob.len, &other, &back, &err), VG_EINVAL);
    assert_null(back);
    assert_non_null(strstr(err.message, "dwell_hours"));

    free(p1);
    free(p2);
    free(c1);
    free(c2);
    vg_buf_release(&blob);
    vg_model_free(model);
    world_free(&w);
}

static void test_model__time_split_never_trains_on_later_rows(void **state)
{
    (void)state;
    struct world w;
    struct gen g = default_gen(8000, 41);
    g.late_from = 0.75; /* late_signal is predictive only in the validation weeks */
    g.same_time = 10;   /* ten rows share each time stamp */
    world_make(&w, &g);
    struct vg_model_options o = test_options();
    o.refit = false;
    struct vg_model_metrics m;
    struct vg_model *validated = train_ok(&w, &o, &m);
    /* The parts do not overlap in time, and equal times are never split. */
    assert_true(m.train.to < m.valid.from);
    assert_int_equal(m.valid.from, m.valid_from);
    assert_int_equal(m.train.rows % 10, 0);
    assert_int_equal(m.train.rows, 6000);
    assert_false(m.refitted);
    assert_int_equal(vg_model_info(validated)->trained_until, m.train.to);

    /* The validated model never saw the late rows: late_signal means nothing to it. */
    size_t nv = m.valid.rows;
    const struct vg_value *late_rec = w.rec + m.train.rows * NF;
    float *c = calloc(nv * (NF + 1), sizeof(float));
    struct vg_error err;
    assert_status(vg_model_predict(validated, late_rec, nv, NULL, VG_MODEL_CONTRIB_EXACT, c, &err),
                  VG_OK, &err);
    double early_effect = 0, refit_effect = 0;
    size_t with = 0;
    for (size_t i = 0; i < nv; i++) {
        if (late_rec[i * NF + F_LATE].as.boolean) {
            early_effect += c[i * (NF + 1) + F_LATE];
            with++;
        }
    }
    early_effect /= (double)with;

    /* Refitted on everything, the model learns it. */
    o.refit = true;
    struct vg_model *refit = train_ok(&w, &o, &m);
    assert_true(m.refitted);
    assert_int_equal(vg_model_info(refit)->trained_until, w.ex[w.n - 1].time);
    assert_status(vg_model_predict(refit, late_rec, nv, NULL, VG_MODEL_CONTRIB_EXACT, c, &err),
                  VG_OK, &err);
    for (size_t i = 0; i < nv; i++) {
        if (late_rec[i * NF + F_LATE].as.boolean) {
            refit_effect += c[i * (NF + 1) + F_LATE];
        }
    }
    refit_effect /= (double)with;
    print_message("late_signal: validated model %.3f, refitted %.3f\n", early_effect, refit_effect);
    assert_true(fabs(early_effect) < 0.15);
    assert_true(refit_effect > 0.5);

    /* An explicit split time. */
    o.valid_from = w.ex[5000].time;
    vg_model_free(refit);
    refit = train_ok(&w, &o, &m);
    assert_int_equal(m.valid_from, w.ex[5000].time);
    assert_int_equal(m.train.rows, 5000);
    assert_int_equal(m.valid.rows, 3000);
    free(c);
    vg_model_free(refit);
    vg_model_free(validated);
    world_free(&w);
}

/* With positives weighted up (scale_pos_weight 0: the negative/positive ratio), scores are
 * shifted back: they stay probabilities, close to the observed share of positives. */
static void test_model__rebalanced_scores_stay_probabilities(void **state)
{
    (void)state;
    struct world w;
    struct gen g = default_gen(6000, 131);
    world_make(&w, &g);
    for (int k = 0; k < 2; k++) {
        struct vg_model_options o = test_options();
        o.scale_pos_weight = k == 0 ? 1 : 0;
        struct vg_model_metrics m;
        struct vg_model *model = train_ok(&w, &o, &m);
        double *p = calloc(w.n, sizeof(double));
        struct vg_error err;
        assert_status(vg_model_predict(model, w.rec, w.n, p, VG_MODEL_CONTRIB_NONE, NULL, &err),
                      VG_OK, &err);
        double mean = 0;
        for (size_t i = 0; i < w.n; i++) {
            mean += p[i] / (double)w.n;
        }
        double share = (double)m.all.positives / (double)m.all.rows;
        print_message("scale_pos_weight %.1f: mean score %.4f, positive share %.4f\n",
                      m.scale_pos_weight, mean, share);
        if (k == 1) {
            assert_true(m.scale_pos_weight > 5);
        }
        assert_true(fabs(mean - share) < 0.35 * share);
        free(p);
        vg_model_free(model);
    }
    world_free(&w);
}

static void test_model__too_few_positives(void **state)
{
    (void)state;
    struct world w;
    struct gen g = default_gen(3000, 51);
    world_make(&w, &g);
    /* Keep exactly 9 positives. */
    size_t pos = 0;
    for (size_t i = 0; i < w.n; i++) {
        if (w.ex[i].positive && ++pos > 9) {
            w.ex[i].positive = false;
        }
    }
    assert_int_equal(pos > 9 ? 9 : pos, 9);
    struct vg_model_options o = test_options();
    struct vg_model *model = (struct vg_model *)&o; /* must be reset to NULL */
    struct vg_model_metrics m;
    struct vg_error err;
    assert_int_equal(vg_model_train(&schema, w.ex, w.n, &o, &model, &m, &err), VG_ENOTFOUND);
    assert_null(model);
    assert_int_equal(m.all.positives, 9);
    assert_int_equal(m.all.rows, 3000);
    assert_non_null(strstr(err.message, "9 found, at least 10 needed"));

    /* With the minimum lowered it trains. */
    o.min_positives = 9;
    /* ...unless the later weeks hold no positive: validation is impossible. */
    for (size_t i = 0; i < w.n; i++) {
        if (i > w.n / 2) {
            w.ex[i].positive = false;
        }
    }
    assert_int_equal(vg_model_train(&schema, w.ex, w.n, &o, &model, &m, &err), VG_ENOTFOUND);
    assert_null(model);
    assert_non_null(strstr(err.message, "validation part"));
    world_free(&w);

    /* A few dozen positives are enough to learn the strongest signals. */
    g = default_gen(3000, 52);
    world_make(&w, &g);
    size_t all = 0, kept = 0;
    for (size_t i = 0; i < w.n; i++) {
        all += w.ex[i].positive;
    }
    pos = 0;
    for (size_t i = 0; i < w.n; i++) { /* every (all / 36)th positive: spread over time */
        if (w.ex[i].positive && (pos++ % (all / 36) != 0 || kept == 36)) {
            w.ex[i].positive = false;
        } else if (w.ex[i].positive) {
            kept++;
        }
    }
    assert_int_equal(kept, 36);
    o = test_options();
    model = train_ok(&w, &o, &m);
    print_message("36 positives: %zu train, %zu validation, auc %.3f, %u rounds\n",
                  m.train.positives, m.valid.positives, m.auc, m.rounds);
    assert_true(m.auc > 0.6 && m.auc <= 1);
    vg_model_free(model);
    world_free(&w);
}

static void test_model__deterministic_with_seed(void **state)
{
    (void)state;
    struct world w;
    struct gen g = default_gen(4000, 61);
    world_make(&w, &g);
    struct vg_model_options o = test_options();
    struct vg_model *a = train_ok(&w, &o, NULL);
    struct vg_model *b = train_ok(&w, &o, NULL);
    o.seed = 2;
    struct vg_model *c = train_ok(&w, &o, NULL);
    struct vg_buf ba, bb;
    vg_buf_init(&ba, 0);
    vg_buf_init(&bb, 0);
    struct vg_error err;
    assert_status(vg_model_save(a, &ba, &err), VG_OK, &err);
    assert_status(vg_model_save(b, &bb, &err), VG_OK, &err);
    assert_int_equal(ba.len, bb.len);
    assert_memory_equal(ba.data, bb.data, ba.len);
    assert_string_equal(vg_model_info(a)->version, vg_model_info(b)->version);
    assert_string_not_equal(vg_model_info(a)->version, vg_model_info(c)->version);
    vg_buf_release(&ba);
    vg_buf_release(&bb);
    vg_model_free(a);
    vg_model_free(b);
    vg_model_free(c);
    world_free(&w);
}

static void test_model__selection_weights(void **state)
{
    (void)state;
    struct vg_value rec[NF];
    typical(rec);
    struct vg_model_example ex[4] = {
        { rec, 1, false, VG_MODEL_TARGETED, 0 },
        { rec, 2, true, VG_MODEL_RANDOM, 0 },
        { rec, 3, true, VG_MODEL_PARTNER, 0 },
        { rec, 4, false, VG_MODEL_RANDOM, 2 },
    };
    struct vg_model_shares shares = { .targeted = 0.5, .random = 0.01, .partner = 0 };
    double w[4];
    struct vg_error err;
    /* No clip: 1/0.5, 1/0.01, 1 (share 0 stands for 1), 2/0.01; then mean 1. */
    assert_status(vg_model_weights(ex, 4, &shares, 0, w, &err), VG_OK, &err);
    double raw[4] = { 2, 100, 1, 200 }, sum = 303;
    for (int i = 0; i < 4; i++) {
        assert_true(fabs(w[i] - raw[i] * 4 / sum) < 1e-12);
    }
    /* Clipped at ten times the smallest. */
    assert_status(vg_model_weights(ex, 4, &shares, 10, w, &err), VG_OK, &err);
    double clipped[4] = { 2, 10, 1, 10 };
    for (int i = 0; i < 4; i++) {
        assert_true(fabs(w[i] - clipped[i] * 4 / 23) < 1e-12);
    }
    /* Bad input. */
    shares.random = 1.5;
    assert_int_equal(vg_model_weights(ex, 4, &shares, 10, w, &err), VG_EINVAL);
    shares.random = 0.01;
    ex[0].weight = -1;
    assert_int_equal(vg_model_weights(ex, 4, &shares, 10, w, &err), VG_EINVAL);
    ex[0].weight = 0;
    ex[0].selection = (enum vg_model_selection)7;
    assert_int_equal(vg_model_weights(ex, 4, &shares, 10, w, &err), VG_EINVAL);
    assert_int_equal(vg_model_weights(ex, 4, &shares, 0.5, w, &err), VG_EINVAL);

    /* Names of the streams. */
    enum vg_model_selection s = VG_MODEL_TARGETED;
    assert_true(vg_model_selection_parse(VG_SLICE_LIT(" Random "), &s));
    assert_int_equal(s, VG_MODEL_RANDOM);
    assert_true(vg_model_selection_parse(VG_SLICE_LIT("partner"), &s));
    assert_int_equal(s, VG_MODEL_PARTNER);
    assert_false(vg_model_selection_parse(VG_SLICE_LIT("officer"), &s));
    assert_false(vg_model_selection_parse(VG_SLICE_EMPTY, &s));
    assert_int_equal(s, VG_MODEL_PARTNER);
    assert_string_equal(vg_model_selection_name(VG_MODEL_TARGETED), "targeted");
}

/* In this world late_signal raises the risk in the random stream (the population) and
 * lowers it among targeted trips (say, officers pick its harmless cases on sight). Giving
 * the random rows their inverse-propensity weight makes the model learn the population. */
static void test_model__weights_change_the_fit(void **state)
{
    (void)state;
    struct world w;
    struct gen g = default_gen(8000, 71);
    g.late_in_random = true;
    g.random_share = 0.2;
    world_make(&w, &g);
    struct vg_model_options o = test_options();
    struct vg_model *plain = train_ok(&w, &o, NULL);
    o.shares = (struct vg_model_shares){ .targeted = 1, .random = 0.05, .partner = 1 };
    o.max_weight_ratio = 20;
    struct vg_model *weighted = train_ok(&w, &o, NULL);

    /* The mean contribution of late_signal where it is true. */
    double effect[2] = { 0, 0 };
    struct vg_model *models[2] = { plain, weighted };
    float *c = calloc(w.n * (NF + 1), sizeof(float));
    struct vg_error err;
    for (int k = 0; k < 2; k++) {
        assert_status(
            vg_model_predict(models[k], w.rec, w.n, NULL, VG_MODEL_CONTRIB_EXACT, c, &err), VG_OK,
            &err);
        size_t with = 0;
        for (size_t i = 0; i < w.n; i++) {
            if (w.rec[i * NF + F_LATE].as.boolean) {
                effect[k] += c[i * (NF + 1) + F_LATE];
                with++;
            }
        }
        effect[k] /= (double)with;
    }
    free(c);
    print_message("late_signal effect: unweighted %.3f, weighted %.3f\n", effect[0], effect[1]);
    /* Unweighted, the targeted majority says late_signal lowers the risk; weighted, the
     * population (the random stream) says it raises it. */
    assert_true(effect[0] < 0);
    assert_true(effect[1] > 0.5);
    assert_true(vg_model_info(weighted)->metrics.all.effective_rows <
                vg_model_info(plain)->metrics.all.effective_rows);
    vg_model_free(plain);
    vg_model_free(weighted);
    world_free(&w);
}

static void test_model__explanations_in_words(void **state)
{
    (void)state;
    struct world w;
    struct gen g = default_gen(5000, 81);
    world_make(&w, &g);
    struct vg_model_options o = test_options();
    struct vg_model *model = train_ok(&w, &o, NULL);
    struct vg_value rec[NF];
    typical(rec);
    static const struct vg_slice three[] = { SL("PAMIT"), SL("XXABC"), SL("COCTG") };
    rec[F_PORTS] = vg_value_list(three, 3);
    rec[F_CARRIER] = vg_value_string(carriers[8]); /* RARE1: "other" to the model */
    rec[F_NEW] = vg_value_bool(true);
    rec[F_DWELL] = vg_value_number(1);
    struct vg_buf b;
    vg_buf_init(&b, 4096);
    assert_int_equal(vg_model_explain(model, rec, F_NEW, 0.4, &b), VG_OK);
    assert_string_equal(b.data,
                        "The shipper has no earlier shipment in the store: yes; raises the risk");
    vg_buf_reset(&b);
    assert_int_equal(vg_model_explain(model, rec, F_CARRIER, 0.1, &b), VG_OK);
    assert_string_equal(b.data, "Code of the ocean carrier: RARE1 (rare in the training data); "
                                "raises the risk");
    vg_buf_reset(&b);
    assert_int_equal(vg_model_explain(model, rec, F_SEAL, -0.3, &b), VG_OK);
    assert_string_equal(b.data, "Seal at loading against gate-in: same, one_off or different: "
                                "same; lowers the risk");
    vg_buf_reset(&b);
    assert_int_equal(vg_model_explain(model, rec, F_PORTS, 1.2, &b), VG_OK);
    /* PAMIT is a member the model watches; XXABC was never seen. */
    assert_non_null(strstr(b.data, "UN/LOCODEs of the transhipment ports on the container's "
                                   "itinerary: PAMIT, XXABC, COCTG (3 items, among them PAMIT"));
    vg_buf_reset(&b);
    /* A number: how unusual, against the training values, with the median in its unit. */
    assert_int_equal(vg_model_explain(model, rec, F_DWELL, 0.2, &b), VG_OK);
    print_message("%s\n", b.data);
    assert_true(
        strncmp(b.data, "Hours from the first gate-in to loading: 1 hours, lower than ", 61) == 0);
    assert_non_null(strstr(b.data, "% of trips (median 3"));
    assert_non_null(strstr(b.data, " hours); raises the risk"));
    vg_buf_reset(&b);
    assert_int_equal(vg_model_explain(model, rec, NF, 0.2, &b), VG_EINVAL);
    /* Contribution 0: no direction. */
    assert_int_equal(vg_model_explain(model, rec, F_REEFER, 0, &b), VG_OK);
    assert_string_equal(b.data, "The container is a reefer: no");
    vg_buf_release(&b);

    /* Novelty: the rare carrier and a dwell beyond every training value. */
    uint32_t nov[4];
    assert_int_equal(vg_model_novelty(model, rec, nov, 4), 1);
    assert_int_equal(nov[0], F_CARRIER);
    rec[F_DWELL] = vg_value_number(1e6);
    assert_int_equal(vg_model_novelty(model, rec, nov, 1), 2);
    assert_int_equal(nov[0], F_CARRIER);
    typical(rec);
    assert_int_equal(vg_model_novelty(model, rec, nov, 4), 0);
    vg_model_free(model);
    world_free(&w);
}

static void test_model__top_orders_and_filters(void **state)
{
    (void)state;
    struct world w;
    struct gen g = default_gen(3000, 91);
    world_make(&w, &g);
    struct vg_model_options o = test_options();
    o.max_rounds = 20;
    struct vg_model *model = train_ok(&w, &o, NULL);
    float c[NF + 1] = { 0 };
    c[F_Z] = 0.5f;
    c[F_SEAL] = -0.9f;
    c[F_PORTS] = 0.5f;
    c[F_NEW] = 0.05f;
    c[F_DWELL] = 1.1f;
    c[NF] = -3; /* the bias is never a reason */
    struct vg_model_reason r[4];
    assert_int_equal(vg_model_top(model, c, 4, 0.1, true, r), 3);
    assert_int_equal(r[0].feature, F_DWELL);
    assert_int_equal(r[1].feature, F_Z); /* ties in index order */
    assert_int_equal(r[2].feature, F_PORTS);
    assert_int_equal(vg_model_top(model, c, 2, 0.1, false, r), 2);
    assert_int_equal(r[0].feature, F_DWELL);
    assert_int_equal(r[1].feature, F_SEAL);
    assert_int_equal(vg_model_top(model, c, 0, 0, false, r), 0);
    vg_model_free(model);
    world_free(&w);
}

static void test_model__bad_arguments(void **state)
{
    (void)state;
    struct world w;
    struct gen g = default_gen(500, 3);
    world_make(&w, &g);
    struct vg_model *model = NULL;
    struct vg_error err;
    assert_int_equal(vg_model_train(NULL, w.ex, w.n, NULL, &model, NULL, &err), VG_EINVAL);
    assert_int_equal(vg_model_train(&schema, w.ex, w.n, NULL, NULL, NULL, &err), VG_EINVAL);
    w.ex[7].time = VG_TIME_NONE;
    assert_int_equal(vg_model_train(&schema, w.ex, w.n, NULL, &model, NULL, &err), VG_EINVAL);
    assert_non_null(strstr(err.message, "example 8 has no time"));
    w.ex[7].time = 5;
    w.ex[8].record = NULL;
    assert_int_equal(vg_model_train(&schema, w.ex, w.n, NULL, &model, NULL, &err), VG_EINVAL);
    w.ex[8].record = w.rec + 8 * NF;
    struct vg_model_options o = test_options();
    o.max_depth = 0;
    assert_int_equal(vg_model_train(&schema, w.ex, w.n, &o, &model, NULL, &err), VG_EINVAL);
    o = test_options();
    o.valid_share = 1;
    assert_int_equal(vg_model_train(&schema, w.ex, w.n, &o, &model, NULL, &err), VG_EINVAL);
    assert_null(model);
    assert_int_equal(vg_model_load(NULL, 0, &schema, &model, &err), VG_EINVAL);
    world_free(&w);
}

/* The table TreeSHAP (shap.c) gives XGBoost's exact contributions, at every depth it
 * handles, with categorical splits, missing values, list members and a feature the
 * schema lacks; deeper trees are left to XGBoost. */
static void test_model__table_shap_matches_xgboost(void **state)
{
    (void)state;
    struct world w;
    struct gen g = default_gen(4000, 121);
    world_make(&w, &g);
    struct vg_feature_def fewer[NF - 1];
    memcpy(fewer, defs, sizeof(fewer));
    struct vg_feature_schema small = { fewer, NF - 1 };
    size_t n = 800;
    size_t stride = NF + 1;
    float *fast = calloc(n * stride, sizeof(float)), *slow = calloc(n * stride, sizeof(float));
    double *pf = calloc(n, sizeof(double)), *ps = calloc(n, sizeof(double));
    struct vg_error err;
    for (unsigned depth = 1; depth <= 7; depth++) {
        struct vg_model_options o = test_options();
        o.max_depth = depth;
        o.max_rounds = 40;
        o.early_stopping = 0;
        o.min_child_weight = 0.2;
        struct vg_model *model = train_ok(&w, &o, NULL);
        for (int variant = 0; variant < 2; variant++) {
            struct vg_model *m = model;
            size_t nv = NF;
            if (variant == 1) { /* the last feature absent: its share joins the bias */
                struct vg_buf blob;
                vg_buf_init(&blob, 0);
                assert_status(vg_model_save(model, &blob, &err), VG_OK, &err);
                assert_status(vg_model_load(blob.data, blob.len, &small, &m, &err), VG_OK, &err);
                vg_buf_release(&blob);
                nv = NF - 1;
            }
            /* records laid out for the schema at hand */
            struct vg_value *rec = calloc(n * nv, sizeof(*rec));
            for (size_t i = 0; i < n; i++) {
                memcpy(rec + i * nv, w.rec + i * NF, nv * sizeof(*rec));
            }
            m->shap_state = -1; /* XGBoost */
            assert_status(vg_model_predict(m, rec, n, ps, VG_MODEL_CONTRIB_EXACT, slow, &err),
                          VG_OK, &err);
            double *plain = calloc(n, sizeof(double));
            assert_status(vg_model_predict(m, rec, n, plain, VG_MODEL_CONTRIB_NONE, NULL, &err),
                          VG_OK, &err);
            for (size_t i = 0; i < n; i++) {
                assert_true(fabs(plain[i] - ps[i]) < 1e-5);
            }
            free(plain);
            m->shap_state = 0; /* tables, built now */
            assert_status(vg_model_predict(m, rec, n, pf, VG_MODEL_CONTRIB_EXACT, fast, &err),
                          VG_OK, &err);
            assert_int_equal(m->shap_state, depth <= 6 ? 1 : -1);
            if (m->shap_state == 1) {
                assert_true(vg__shap_categorical_words(m->shap) > 0);
            }
            double worst = 0;
            for (size_t i = 0; i < n; i++) {
                for (size_t f = 0; f <= nv; f++) {
                    double d = fabs((double)fast[i * (nv + 1) + f] - slow[i * (nv + 1) + f]);
                    worst = d > worst ? d : worst;
                }
                assert_true(fabs(pf[i] - ps[i]) < 1e-5);
            }
            if (variant == 0) {
                print_message("depth %u: %u trees, largest difference %.2g\n", depth,
                              vg_model_info(m)->rounds, worst);
            }
            assert_true(worst < 1e-4);
            free(rec);
            if (m != model) {
                vg_model_free(m);
            }
        }
        vg_model_free(model);
    }
    free(fast);
    free(slow);
    free(pf);
    free(ps);
    world_free(&w);
}

/* ---- the models table ------------------------------------------------------------------- */

static struct vg_store *open_store(void)
{
    struct vg_store_options so = { 0 };
    so.create = true;
    so.actor = "tester";
    so.audit_key_path = vg_test_tmpfile("audit.key");
    so.audit_export_path = vg_test_tmpfile("heads");
    struct vg_store *store = NULL;
    struct vg_error err;
    assert_status(vg_store_open(vg_test_tmpfile("model.db"), &so, &store, &err), VG_OK, &err);
    return store;
}

static int count_rows(void *user, size_t n, const char *const *values)
{
    (void)n;
    (void)values;
    (*(int *)user)++;
    return 0;
}

static int audit_entries(struct vg_store *store)
{
    int rows = 0;
    struct vg_row_sink sink = { .columns = NULL, .row = count_rows, .user = &rows };
    struct vg_error err;
    assert_status(vg_audit_list(store, 0, &sink, &err), VG_OK, &err);
    return rows;
}

static void test_model__store_versions(void **state)
{
    (void)state;
    vg_test_tmpdir();
    struct world w;
    struct gen g = default_gen(4000, 101);
    world_make(&w, &g);
    struct vg_model_options o = test_options();
    struct vg_model *a = train_ok(&w, &o, NULL);
    o.seed = 7;
    struct vg_model *b = train_ok(&w, &o, NULL);
    struct vg_store *store = open_store();
    struct vg_error err;
    int before = audit_entries(store);

    /* Nothing active yet: the caller scores with rules and lists alone. */
    struct vg_model *loaded = NULL;
    assert_int_equal(vg_model_store_load(store, NULL, &schema, &loaded, NULL, &err), VG_ENOTFOUND);
    assert_null(loaded);

    int64_t id_a = 0, id_b = 0, id = 0;
    bool inserted = false;
    assert_status(vg_model_store_insert(store, a, 1767225600, &id_a, &inserted, &err), VG_OK, &err);
    assert_true(inserted);
    assert_status(vg_model_store_insert(store, a, VG_TIME_NONE, &id, &inserted, &err), VG_OK, &err);
    assert_false(inserted);
    assert_int_equal(id, id_a);
    assert_status(vg_model_store_insert(store, b, VG_TIME_NONE, &id_b, &inserted, &err), VG_OK,
                  &err);
    assert_true(inserted && id_b != id_a);
    assert_int_equal(audit_entries(store), before + 2);
    assert_int_equal(vg_model_store_load(store, NULL, &schema, &loaded, NULL, &err), VG_ENOTFOUND);

    /* Activate a, then b: one active at a time, each change audited, repeats are no-ops. */
    assert_status(vg_model_store_activate(store, vg_model_info(a)->version, &err), VG_OK, &err);
    assert_status(vg_model_store_activate(store, vg_model_info(a)->version, &err), VG_OK, &err);
    assert_int_equal(audit_entries(store), before + 3);
    assert_status(vg_model_store_load(store, NULL, &schema, &loaded, &id, &err), VG_OK, &err);
    assert_int_equal(id, id_a);
    assert_string_equal(vg_model_info(loaded)->version, vg_model_info(a)->version);
    vg_model_free(loaded);
    assert_status(vg_model_store_activate(store, vg_model_info(b)->version, &err), VG_OK, &err);
    assert_int_equal(audit_entries(store), before + 4);
    assert_status(vg_model_store_load(store, NULL, &schema, &loaded, &id, &err), VG_OK, &err);
    assert_int_equal(id, id_b);

    /* The stored model predicts as the trained one. */
    double p1[50], p2[50];
    assert_status(vg_model_predict(b, w.rec, 50, p1, VG_MODEL_CONTRIB_NONE, NULL, &err), VG_OK,
                  &err);
    assert_status(vg_model_predict(loaded, w.rec, 50, p2, VG_MODEL_CONTRIB_NONE, NULL, &err), VG_OK,
                  &err);
    assert_memory_equal(p1, p2, sizeof(p1));
    vg_model_free(loaded);

    /* A given version, and versions that are not there. */
    assert_status(
        vg_model_store_load(store, vg_model_info(a)->version, &schema, &loaded, &id, &err), VG_OK,
        &err);
    assert_int_equal(id, id_a);
    vg_model_free(loaded);
    assert_int_equal(
        vg_model_store_load(store, "20000101-000000000000", &schema, &loaded, NULL, &err),
        VG_ENOTFOUND);
    assert_int_equal(vg_model_store_activate(store, "nope", &err), VG_ENOTFOUND);
    assert_int_equal(audit_entries(store), before + 4);

    struct vg_audit_report report;
    assert_status(vg_audit_verify(store, &report, &err), VG_OK, &err);
    assert_true(report.ok);
    vg_store_close(store);
    vg_model_free(a);
    vg_model_free(b);
    world_free(&w);
}

/* ---- allocation failures ---------------------------------------------------------------- */

struct oom_ctx {
    const struct vg_buf *blob;
    struct vg_model *model;
    struct world *w;
};

static enum vg_status oom_load(void *p)
{
    struct oom_ctx *c = p;
    struct vg_error err;
    enum vg_status st = vg_model_load(c->blob->data, c->blob->len, &schema, &c->model, &err);
    if (st == VG_OK) {
        double s[4];
        float contrib[4 * (NF + 1)];
        st = vg_model_predict(c->model, c->w->rec, 4, s, VG_MODEL_CONTRIB_EXACT, contrib, &err);
    }
    return st;
}

static void oom_cleanup(void *p)
{
    struct oom_ctx *c = p;
    vg_model_free(c->model);
    c->model = NULL;
}

static void test_model__load_and_predict_survive_oom(void **state)
{
    (void)state;
    struct world w;
    struct gen g = default_gen(3000, 111);
    world_make(&w, &g);
    struct vg_model_options o = test_options();
    o.max_rounds = 10;
    struct vg_model *model = train_ok(&w, &o, NULL);
    struct vg_buf blob;
    vg_buf_init(&blob, 0);
    struct vg_error err;
    assert_status(vg_model_save(model, &blob, &err), VG_OK, &err);
    struct oom_ctx ctx = { &blob, NULL, &w };
    int runs = vg_test_oom_loop(oom_load, oom_cleanup, &ctx, 2000);
    assert_true(runs > 5);
    vg_buf_release(&blob);
    vg_model_free(model);
    world_free(&w);
}


static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_model__learns_planted_signal),
    cmocka_unit_test(test_model__top_contribution_names_planted_feature),
    cmocka_unit_test(test_model__unknown_is_missing_not_zero),
    cmocka_unit_test(test_model__never_unknown_in_training_reads_as_typical),
    cmocka_unit_test(test_model__blob_round_trip),
    cmocka_unit_test(test_model__time_split_never_trains_on_later_rows),
    cmocka_unit_test(test_model__rebalanced_scores_stay_probabilities),
    cmocka_unit_test(test_model__too_few_positives),
    cmocka_unit_test(test_model__deterministic_with_seed),
    cmocka_unit_test(test_model__selection_weights),
    cmocka_unit_test(test_model__weights_change_the_fit),
    cmocka_unit_test(test_model__explanations_in_words),
    cmocka_unit_test(test_model__top_orders_and_filters),
    cmocka_unit_test(test_model__bad_arguments),
    cmocka_unit_test(test_model__table_shap_matches_xgboost),
    cmocka_unit_test(test_model__store_versions),
    cmocka_unit_test(test_model__load_and_predict_survive_oom),
};

VG_TEST_MAIN(tests)
