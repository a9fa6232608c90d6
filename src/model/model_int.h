/*
 * Private interface of the model module (vigia/model.h): the encoder, the model object,
 * metrics and the blob header, shared by the files of src/model/.
 */
#ifndef VIGIA_MODEL_INT_H
#define VIGIA_MODEL_INT_H

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vigia/arena.h>
#include <vigia/map.h>
#include <vigia/model.h>
#include <xgboost/c_api.h>

/* Schema index of an encoder feature the schema lacks (it reads as unknown). */
#define ENC_ABSENT UINT32_MAX

/* Category code of "other" (rare or unseen string values); known values are 1..K. */
#define ENC_OTHER 0

/* Points of the quantile grid kept per number feature (percent). */
#define ENC_QUANTILES 13
extern const double vg__enc_grid[ENC_QUANTILES];

/* Rows encoded and predicted at a time. */
#define MODEL_BATCH 16384

/* One encoded feature. Strings are NUL-terminated, in the encoder's arena. */
struct enc_feature {
    const char *name;
    enum vg_feature_type type;
    uint32_t index;  /* schema index, ENC_ABSENT when the schema lacks it */
    uint32_t column; /* first encoded column */
    uint32_t ncols;  /* 1, or 1 + members for lists */
    /* number: weighted quantiles of the training values (vg__enc_grid), when any */
    bool has_stats;
    double q[ENC_QUANTILES];
    /* string: categories (code i + 1 is values[i]); list: member items */
    const char **values;
    struct vg_slice *slices; /* the same, as slices */
    size_t nvalues;
    struct vg_map lookup; /* value -> code (strings: 1..K; lists: 1..M) */
    /* The value of the first column an unknown value is read as when fewer than
     * min_category_rows training rows had the feature unknown (too few for the trees to
     * learn where unknowns go): the weighted median (numbers), the most frequent value
     * (bools, string codes, list lengths; members 0). NaN when enough training rows had it
     * unknown: unknowns stay missing, and XGBoost places them. */
    double typical;
};

struct enc {
    struct enc_feature *f;
    size_t nf;
    size_t ncols;
    struct vg_arena arena;
};

/* Builds an encoder from rows[0..n) (indices into examples, the training part) with
 * their weights (indexed like examples). */
enum vg_status vg__enc_build(struct enc *enc,
                             const struct vg_feature_schema *schema,
                             const struct vg_model_example *examples,
                             const size_t *rows,
                             size_t n,
                             const double *weights,
                             const struct vg_model_options *opts,
                             struct vg_error *err);

/* Encodes n records (schema->count values each, contiguous) into out[n * ncols]. */
void vg__enc_rows(
    const struct enc *enc, const struct vg_value *records, size_t nvalues, size_t n, float *out);

/* Encodes one record into out[ncols]. */
void vg__enc_row(const struct enc *enc, const struct vg_value *record, float *out);

/* The encoder as JSON (a new reference), and back, bound to schema by name. */
json_t *vg__enc_to_json(const struct enc *enc);
enum vg_status vg__enc_from_json(struct enc *enc,
                                 const json_t *j,
                                 const struct vg_feature_schema *schema,
                                 struct vg_error *err);

/* Percentile rank (0..100) of x among the training values of f (interpolated). */
double vg__enc_rank(const struct enc_feature *f, double x);

/* Frees the encoder. NULL-safe, idempotent. */
void vg__enc_release(struct enc *enc);

/* A value is unknown: of another kind than the feature's type, a NaN number, or a string
 * or list without its bytes. */
static inline bool vg__value_unknown(const struct vg_value *v, enum vg_feature_type type)
{
    if ((int)v->kind != (int)type) {
        return true;
    }
    switch (v->kind) {
    case VG_VALUE_NUMBER:
        return v->as.number != v->as.number; /* NaN */
    case VG_VALUE_STRING:
        return v->as.string.ptr == NULL && v->as.string.len > 0;
    case VG_VALUE_LIST:
        return v->as.list.items == NULL && v->as.list.count > 0;
    default:
        return false;
    }
}

/* The logistic function: probability of a log-odds. */
static inline double vg__sigmoid(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

/* ---- metrics ------------------------------------------------------------------------- */

/* Weighted ROC AUC, log loss and precision/recall at the rates of VG_MODEL_RATES, of
 * probabilities p[0..n) against labels y (weights w). Fills the quality fields of m. */
enum vg_status vg__metrics_compute(
    const double *p, const float *y, const double *w, size_t n, struct vg_model_metrics *m);

/* Weighted log loss only (early stopping). */
double vg__metrics_logloss(const double *p, const float *y, const double *w, size_t n);

/* ---- exact contributions by table (shap.c) ------------------------------------------ */

struct vg__shap;

/* Tabulates the booster's trees for exact TreeSHAP. Contributions of column c go to slot
 * col_feature[c] (bias_slot for ENC_ABSENT). VG_EUNSUPPORTED or VG_ELIMIT when the trees
 * are too deep or the tables too large (XGBoost then computes them), VG_EPARSE when the
 * dump is not understood, VG_ENOMEM. */
enum vg_status vg__shap_build(BoosterHandle booster,
                              size_t ncols,
                              const uint32_t *col_feature,
                              uint32_t bias_slot,
                              struct vg__shap **out);

/* Adds the contributions of encoded row x to phi (indexed by slot). */
void vg__shap_row(const struct vg__shap *s, const float *x, double *phi);

/* The base margin plus every tree's expected value. */
double vg__shap_bias(const struct vg__shap *s);

void vg__shap_free(struct vg__shap *s);

/* Words of category bitsets held (tests: categorical splits were read). */
size_t vg__shap_categorical_words(const struct vg__shap *s);

/* ---- the model ----------------------------------------------------------------------- */

struct vg_model {
    const struct vg_feature_schema *schema;
    struct enc enc;
    BoosterHandle booster;
    double prior_shift;                  /* log(scale_pos_weight), taken off every margin */
    uint32_t *col_feature;               /* ncols: the schema index each column folds into */
    const struct enc_feature **feat_enc; /* schema->count: the encoder feature of each
                                            schema index, NULL when the model lacks it */
    struct vg_model_info info;
    json_t *params; /* the training parameters as recorded */
    char version[48];
    struct vg__shap *shap; /* exact contributions by table, built on first use */
    int shap_state;        /* 0 not tried, 1 ready, -1 unavailable: XGBoost computes */
    uint8_t *blob;         /* the saved form, built once */
    size_t blob_len;
};

/* Builds m->blob, m->info.version, m->col_feature and m->feat_enc once the encoder, booster, info
 * and params are in place (training and loading both end here). */
enum vg_status vg__model_finish(struct vg_model *m, struct vg_error *err);

/* Metrics and parameters as JSON (new references). */
json_t *vg__metrics_to_json(const struct vg_model_metrics *m);
void vg__metrics_from_json(const json_t *j, struct vg_model_metrics *m);

/* Sets err from XGBoost's last error and returns code. */
enum vg_status vg__xgb_error(struct vg_error *err, enum vg_status code, const char *what);

/* The XGBoost dense array interface JSON for a float matrix. */
void vg__xgb_array(char *buf, size_t size, const float *data, size_t rows, size_t cols);

/* Margins (log-odds before the prior shift) of n encoded rows. */
enum vg_status vg__model_margins(
    struct vg_model *m, const float *x, size_t n, double *margins, struct vg_error *err);

#endif
