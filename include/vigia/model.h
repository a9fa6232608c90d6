/*
 * vigia/model.h - the learning model: gradient-boosted trees (XGBoost) trained on recorded
 * inspection outcomes, with explanations an analyst reads.
 *
 * The model reads the same feature records as the rules (vigia/features.h): arrays of
 * struct vg_value indexed like a struct vg_feature_schema. docs/model.md explains the
 * method; in short:
 *
 *   encoding     records become a dense float matrix: numbers as they are, booleans 0/1,
 *                unknown values as missing (XGBoost learns where missing values go; an
 *                unknown is never read as "no"), strings as XGBoost categories from a
 *                dictionary learned in training (rare and unseen values are "other"),
 *                lists as their length plus membership of their most informative items.
 *                The encoder is saved with the model, so prediction encodes exactly as
 *                training did.
 *   training     binary:logistic on the examples, weighted (given the inspection shares)
 *                against selection bias; validated on the latest weeks (never shuffled
 *                across time), then refitted on everything.
 *   prediction   a probability per record and, on request, each feature's contribution
 *                (SHAP values in log-odds, folded from encoded columns back to features),
 *                turned into words by vg_model_explain.
 *
 * A struct vg_model is not thread-safe: use one per thread (load it once per thread from
 * the same blob), or serialise calls.
 */
#ifndef VIGIA_MODEL_H
#define VIGIA_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vigia/features.h>
#include <vigia/slice.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_model;
struct vg_store;

/* The kind recorded in the models table. */
#define VG_MODEL_KIND "xgboost"

/* Inspection rates at which precision and recall are reported: 0.5%, 1%, 2%, 5%. */
#define VG_MODEL_RATES 4

/* ---- training examples --------------------------------------------------------------- */

/* Why an examined trip was examined (the `selection` column of the outcomes CSV). */
enum vg_model_selection {
    VG_MODEL_TARGETED = 0,   /* chosen by rules, profiles, lists or officers */
    VG_MODEL_RANDOM = 1,     /* the random stream: stands for the whole population */
    VG_MODEL_PARTNER = 2,    /* a find reported by a foreign partner (not examined here) */
    VG_MODEL_UNEXAMINED = 3, /* nobody examined it and no find was reported by the cut-off:
                                a presumed negative, sampled from the population */
};

/* "targeted", "random", "partner" or "unexamined" (static); "targeted" for values outside
 * the enum. */
const char *vg_model_selection_name(enum vg_model_selection selection);

/* Parses those words (ASCII case-insensitive, surrounding blanks ignored). false and *out
 * untouched for anything else. An empty text is not parsed: the caller decides. */
bool vg_model_selection_parse(struct vg_slice text, enum vg_model_selection *out);

/* One labelled trip. */
struct vg_model_example {
    const struct vg_value *record; /* schema->count values (borrowed for the call) */
    int64_t time;                  /* when the trip happened (its as-of time), vg time */
    bool positive;                 /* drugs were found */
    enum vg_model_selection selection;
    double weight; /* the caller's own weight; 0 stands for 1 */
};

/*
 * How likely a trip of the population was to be examined through each stream, over the
 * training period (probabilities in (0, 1]; 0 stands for 1). A row's selection weight is
 * 1 / share of its stream (inverse propensity), so that random rows speak for the many
 * trips nobody targeted. Example: 60,000 trips, 600 drawn at random -> random = 0.01;
 * 2,400 trips flagged, 2,000 of them examined -> targeted = 0.83. docs/model.md says what
 * this corrects and what it cannot.
 */
struct vg_model_shares {
    double targeted;   /* targeted examinations / trips the targeting flagged */
    double random;     /* random examinations / trips eligible for the random draw */
    double partner;    /* partner finds: 1 unless the caller knows better */
    double unexamined; /* presumed negatives sampled / trips nobody examined (0 stands for 1) */
};

/* ---- options ------------------------------------------------------------------------- */

struct vg_model_options {
    /* Data. */
    size_t min_positives; /* fewer positive examples: VG_ENOTFOUND (default 10) */
    double valid_share;   /* latest share of the examples, by time, that validates (0.25) */
    int64_t valid_from;   /* explicit split: examples at or after it validate; VG_TIME_NONE
                             (default) splits by valid_share */
    bool refit;           /* final model refitted on all examples with the validated
                             number of rounds (default true); false keeps the model that
                             was validated (trained on the earlier part only) */
    /* Encoding. */
    size_t min_category_rows; /* string values and list items in fewer training rows are
                                 "other" (default 10) */
    size_t max_categories;    /* most frequent values kept per string feature (default 250) */
    size_t list_members;      /* list items given their own column per list feature (8) */
    /* Selection bias. */
    struct vg_model_shares shares; /* default all 1: no correction */
    double max_weight_ratio;       /* clip: largest / smallest selection weight (default 10) */
    /* Trees. */
    unsigned max_depth;      /* 3 (at most 8) */
    double eta;              /* learning rate, 0.1 */
    unsigned max_rounds;     /* 400 */
    unsigned early_stopping; /* rounds without improvement of the validation log loss (40) */
    double min_child_weight; /* 1 */
    double subsample;        /* rows per tree, 0.8 */
    double colsample;        /* columns per tree, 0.8 */
    double lambda;           /* L2 regularisation of leaf weights, 1 */
    double scale_pos_weight; /* extra weight of positive rows: 1 (default, measured best for
                                ranking, docs/model.md), 0 for negative weight / positive
                                weight of the training rows. Scores are corrected back to
                                probabilities of the weighted population */
    uint64_t seed;           /* random seed (default 1): same data, same seed, same model */
    int nthread;             /* threads: 1 (default), 0 for every core. OpenMP threads spin
                                while they wait: on a busy machine more threads can be much
                                slower (docs/model.md, "Costs") */
};

/* Fills opts with the defaults above. */
void vg_model_options_default(struct vg_model_options *opts);

/* ---- training report ----------------------------------------------------------------- */

/* One part of the examples. Weights are after selection weighting. */
struct vg_model_part {
    size_t rows;
    size_t positives;
    double weight;          /* sum of row weights */
    double positive_weight; /* sum of the weights of positive rows */
    double effective_rows;  /* Kish effective sample size (sum w)^2 / sum w^2 */
    int64_t from;           /* earliest and latest example time; VG_TIME_NONE when empty */
    int64_t to;
};

/* Precision and recall when the top `rate` share of the (weighted) validation rows is
 * examined. best_precision is the most any ranking could reach: min(1, base rate / rate). */
struct vg_model_at {
    double rate;
    double precision;
    double recall;
    double best_precision;
};

/*
 * What a training learned from and how well the validated model did on the later part.
 * Quality figures are NaN when they cannot be computed (no validation positives or
 * negatives).
 */
struct vg_model_metrics {
    struct vg_model_part train;            /* the earlier part */
    struct vg_model_part valid;            /* the later part */
    struct vg_model_part all;              /* everything (what a refitted model learned from) */
    int64_t valid_from;                    /* the split time: validation rows are at or after it */
    double auc;                            /* ROC AUC on the validation part (weighted) */
    double logloss;                        /* mean log loss of the probabilities (weighted) */
    double base_rate;                      /* weighted positive share of the validation part */
    struct vg_model_at at[VG_MODEL_RATES]; /* at 0.5%, 1%, 2%, 5% */
    unsigned best_round;                   /* rounds of the validated model (early stopping) */
    unsigned rounds;                       /* rounds of the final model */
    bool refitted;                         /* the final model was refitted on all examples */
    double scale_pos_weight;               /* the weight used for positives */
    size_t columns;                        /* encoded columns */
};

/* ---- training ------------------------------------------------------------------------ */

/*
 * Trains a model on examples[0..n) whose records follow schema (which must outlive the
 * model). opts may be NULL (defaults). Every example needs a record and a time.
 *
 * On success returns VG_OK, *out owns the model (vg_model_free) and metrics (may be NULL)
 * gets the report. Otherwise *out is NULL and:
 *   VG_ENOTFOUND  fewer than opts->min_positives positive examples, or a part without
 *                 positives: the caller scores with rules and lists alone; metrics still
 *                 gets the counts and err says how many positives were found and needed
 *   VG_EINVAL     a NULL pointer, an example without record or time, a negative or
 *                 non-finite weight, a bad option, or XGBoost refused the data (err says)
 *   VG_ENOMEM     out of memory
 */
VG_NODISCARD enum vg_status vg_model_train(const struct vg_feature_schema *schema,
                                           const struct vg_model_example *examples,
                                           size_t n,
                                           const struct vg_model_options *opts,
                                           struct vg_model **out,
                                           struct vg_model_metrics *metrics,
                                           struct vg_error *err);

/*
 * The selection weights training gives examples[0..n): 1 / share of the row's stream,
 * times the row's own weight, clipped so that the largest is at most max_weight_ratio
 * times the smallest (0: no clip), then scaled to a mean of 1. weights must hold n
 * values. VG_EINVAL on a NULL pointer, a share outside [0, 1] or a bad weight.
 */
VG_NODISCARD enum vg_status vg_model_weights(const struct vg_model_example *examples,
                                             size_t n,
                                             const struct vg_model_shares *shares,
                                             double max_weight_ratio,
                                             double *weights,
                                             struct vg_error *err);

/* Frees a model. NULL-safe. */
void vg_model_free(struct vg_model *model);

/* ---- the model object ---------------------------------------------------------------- */

struct vg_model_info {
    const char *version;             /* "20260503-1a2b3c4d5e6f": trained-until date and digest */
    const char *kind;                /* VG_MODEL_KIND */
    int64_t trained_until;           /* the latest example time */
    size_t columns;                  /* encoded columns */
    unsigned rounds;                 /* boosting rounds (trees) */
    struct vg_model_metrics metrics; /* the training report */
};

/* The model's description (owned by the model). */
const struct vg_model_info *vg_model_info(const struct vg_model *model);

/* The schema the model was trained or loaded with. */
const struct vg_feature_schema *vg_model_schema(const struct vg_model *model);

/*
 * The model as a blob (appended to out): a header with the encoder, the report and the
 * parameters (JSON), the XGBoost booster (UBJSON), and a BLAKE2b digest of both, so that
 * a changed byte is refused at load. The version is derived from that digest: the same
 * training gives the same blob and version. VG_ENOMEM or VG_ELIMIT from the buffer.
 */
VG_NODISCARD enum vg_status
vg_model_save(const struct vg_model *model, struct vg_buf *out, struct vg_error *err);

/*
 * Loads a model from blob[0..len) (borrowed for the call) against schema (which must
 * outlive the model). Features are bound by name: a feature of the model that the schema
 * lacks reads as unknown. On success *out owns the model. Otherwise *out is NULL and:
 *   VG_EPARSE      not a model blob, or its header is malformed (err says where)
 *   VG_EINTEGRITY  the digest does not match (the blob was changed or cut off)
 *   VG_EINVAL      a feature's type differs between model and schema, or NULL pointers
 *   VG_ENOMEM      out of memory
 */
VG_NODISCARD enum vg_status vg_model_load(const void *blob,
                                          size_t len,
                                          const struct vg_feature_schema *schema,
                                          struct vg_model **out,
                                          struct vg_error *err);

/* ---- prediction ---------------------------------------------------------------------- */

/* Feature contributions to compute with the scores. */
enum vg_model_contrib {
    VG_MODEL_CONTRIB_NONE = 0,   /* scores only */
    VG_MODEL_CONTRIB_EXACT = 1,  /* SHAP values (path-dependent TreeSHAP); by table for trees
                                    up to depth 6, about 10 us per record */
    VG_MODEL_CONTRIB_APPROX = 2, /* XGBoost's Saabas attribution: approximate; only faster
                                    than EXACT for trees deeper than 6 */
};

/*
 * Scores records[0..n * schema->count): n records of schema->count values each, one after
 * the other. scores[i] (may be NULL) gets the probability (0..1) that record i is
 * positive. With how != NONE, contribs must hold n * (schema->count + 1) floats: row i
 * gets at [i * (count + 1) + f] the contribution of feature f in log-odds (0 for features
 * the model does not read), and at [i * (count + 1) + count] the bias; a row's values sum
 * to logit(scores[i]). Works in batches internally; any n is fine. VG_EINVAL on NULL
 * pointers or a model XGBoost refuses; VG_ENOMEM.
 */
VG_NODISCARD enum vg_status vg_model_predict(struct vg_model *model,
                                             const struct vg_value *records,
                                             size_t n,
                                             double *scores,
                                             enum vg_model_contrib how,
                                             float *contribs,
                                             struct vg_error *err);

/* Threads XGBoost may use for this model's predictions: 1 after training or loading, 0 for
 * every core. VG_EINVAL when negative or refused. */
VG_NODISCARD enum vg_status
vg_model_set_threads(struct vg_model *model, int nthread, struct vg_error *err);

/* One feature's contribution. */
struct vg_model_reason {
    uint32_t feature;   /* schema index */
    float contribution; /* log-odds; positive raises the risk */
};

/*
 * Picks from one row of contributions (schema->count + 1 floats, as vg_model_predict
 * writes them) the features with the largest contributions: those that raise the risk
 * when raising_only, else the largest in absolute value; at most k, each at least
 * min_abs in absolute value, largest first (ties by feature index). Returns how many
 * were written to out. Never allocates.
 */
size_t vg_model_top(const struct vg_model *model,
                    const float *contribs,
                    size_t k,
                    double min_abs,
                    bool raising_only,
                    struct vg_model_reason *out);

/*
 * Appends to out, for a person to read, what feature `feature` of record (schema->count
 * values) is and why it moved the score by `contribution`:
 *   number   "Hours from the first gate-in to loading: 96 hours, higher than 98% of
 *            trips (median 30 hours); raises the risk"; features named *_z (robust
 *            z-scores) add "3.1 robust deviations above the norm", *_ratio and *_vs_norm
 *            "2.5 times the norm"
 *   bool     "The shipper has no earlier shipment in the store: yes; raises the risk"
 *   string   "UN/LOCODE of the port of discharge: NLRTM; raises the risk", with "(rare
 *            in the training data)" when the model read it as "other"
 *   list     "...: PAMIT, COCTG (2 items, among them PAMIT); raises the risk"
 *   unknown  "...: unknown (no gate data); raises the risk", with the value's own reason
 *            when it carries one, else the feeds the feature depends on
 * VG_EINVAL on a bad feature index or NULL pointers; VG_ENOMEM / VG_ELIMIT from out.
 */
VG_NODISCARD enum vg_status vg_model_explain(const struct vg_model *model,
                                             const struct vg_value *record,
                                             uint32_t feature,
                                             double contribution,
                                             struct vg_buf *out);

/*
 * Features of record whose known value lies outside what the model learned from: a
 * string value the model reads as "other", a number below the smallest or above the
 * largest training value. Writes up to cap schema indexes to features (ascending) and
 * returns how many there are in all. Targeting uses this to keep exploring novel trips
 * (docs/model.md). Never allocates.
 */
size_t vg_model_novelty(const struct vg_model *model,
                        const struct vg_value *record,
                        uint32_t *features,
                        size_t cap);

/* ---- the models table ---------------------------------------------------------------- */

/*
 * Stores model as a new version in the models table (blob, parameters, report, features),
 * inactive, with one audit entry "model.insert", in one transaction. Storing a version
 * that is already there changes nothing and appends no audit entry (*inserted false).
 * trained_at is the time to record (VG_TIME_NONE: now). *id (may be NULL) gets the row id.
 * VG_EDB, VG_ECRYPTO (audit key), VG_ENOMEM.
 */
VG_NODISCARD enum vg_status vg_model_store_insert(struct vg_store *store,
                                                  const struct vg_model *model,
                                                  int64_t trained_at,
                                                  int64_t *id,
                                                  bool *inserted,
                                                  struct vg_error *err);

/*
 * Makes version the one active model (every other inactive), with one audit entry
 * "model.activate". Activating the active version changes nothing. VG_ENOTFOUND when no
 * such version is stored.
 */
VG_NODISCARD enum vg_status
vg_model_store_activate(struct vg_store *store, const char *version, struct vg_error *err);

/*
 * Loads the active model (version NULL) or the given version against schema. *out owns
 * the model, *id (may be NULL) gets its row id (what assessments record). VG_ENOTFOUND
 * when there is none: score with rules and lists alone. Otherwise as vg_model_load, or
 * VG_EDB.
 */
VG_NODISCARD enum vg_status vg_model_store_load(struct vg_store *store,
                                                const char *version,
                                                const struct vg_feature_schema *schema,
                                                struct vg_model **out,
                                                int64_t *id,
                                                struct vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
