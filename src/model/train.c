/*
 * Training (vigia/model.h, docs/model.md "Training"): selection weights, the time-ordered
 * split, the encoder learned on the earlier part, boosting with early stopping on the
 * later part, the report, and the refit on everything.
 */
#include "model/model_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/time.h>

void vg_model_options_default(struct vg_model_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->min_positives = 10;
    opts->valid_share = 0.25;
    opts->valid_from = VG_TIME_NONE;
    opts->refit = true;
    opts->min_category_rows = 10;
    opts->max_categories = 250;
    opts->list_members = 8;
    opts->shares = (struct vg_model_shares){ 1, 1, 1, 1 };
    opts->max_weight_ratio = 10;
    opts->max_depth = 3;
    opts->eta = 0.1;
    opts->max_rounds = 400;
    opts->early_stopping = 40;
    opts->min_child_weight = 1;
    opts->subsample = 0.8;
    opts->colsample = 0.8;
    opts->lambda = 1;
    opts->scale_pos_weight = 1;
    opts->seed = 1;
    opts->nthread = 1;
}

const char *vg_model_selection_name(enum vg_model_selection selection)
{
    switch (selection) {
    case VG_MODEL_RANDOM:
        return "random";
    case VG_MODEL_PARTNER:
        return "partner";
    case VG_MODEL_UNEXAMINED:
        return "unexamined";
    case VG_MODEL_TARGETED:
        break;
    }
    return "targeted";
}

bool vg_model_selection_parse(struct vg_slice text, enum vg_model_selection *out)
{
    struct vg_slice t = vg_slice_trim(text);
    static const enum vg_model_selection all[] = { VG_MODEL_TARGETED, VG_MODEL_RANDOM,
                                                   VG_MODEL_PARTNER, VG_MODEL_UNEXAMINED };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (vg_slice_ieq_cstr(t, vg_model_selection_name(all[i]))) {
            *out = all[i];
            return true;
        }
    }
    return false;
}

/* ---- weights --------------------------------------------------------------------------- */

static bool share_ok(double s)
{
    return isfinite(s) && s >= 0 && s <= 1;
}

enum vg_status vg_model_weights(const struct vg_model_example *examples,
                                size_t n,
                                const struct vg_model_shares *shares,
                                double max_weight_ratio,
                                double *weights,
                                struct vg_error *err)
{
    if ((examples == NULL && n > 0) || (weights == NULL && n > 0) || shares == NULL) {
        return vg_error_set(err, VG_EINVAL, "weights need examples, shares and room");
    }
    if (!share_ok(shares->targeted) || !share_ok(shares->random) || !share_ok(shares->partner) ||
        !share_ok(shares->unexamined)) {
        return vg_error_set(err, VG_EINVAL, "inspection shares must lie between 0 and 1");
    }
    if (!isfinite(max_weight_ratio) || max_weight_ratio < 0 ||
        (max_weight_ratio > 0 && max_weight_ratio < 1)) {
        return vg_error_set(err, VG_EINVAL, "the weight ratio must be 0 (no clip) or at least 1");
    }
    double by_stream[4] = { shares->targeted, shares->random, shares->partner, shares->unexamined };
    double wmin = INFINITY;
    for (size_t i = 0; i < n; i++) {
        const struct vg_model_example *e = &examples[i];
        if ((unsigned)e->selection > VG_MODEL_UNEXAMINED) {
            return vg_error_set(err, VG_EINVAL, "example %zu has an unknown selection %d", i + 1,
                                (int)e->selection);
        }
        if (!isfinite(e->weight) || e->weight < 0) {
            return vg_error_set(err, VG_EINVAL, "example %zu has a negative or infinite weight",
                                i + 1);
        }
        double share = by_stream[e->selection];
        double w = (e->weight == 0 ? 1 : e->weight) / (share == 0 ? 1 : share);
        weights[i] = w;
        wmin = w < wmin ? w : wmin;
    }
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (max_weight_ratio > 0 && weights[i] > wmin * max_weight_ratio) {
            weights[i] = wmin * max_weight_ratio;
        }
        sum += weights[i];
    }
    for (size_t i = 0; i < n && sum > 0; i++) {
        weights[i] *= (double)n / sum;
    }
    return VG_OK;
}

/* ---- the split ------------------------------------------------------------------------- */

/* Sort key: time, then position (qsort is not stable). */
struct keyed {
    int64_t time;
    size_t i;
};

static int keyed_cmp(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    if (x->time != y->time) {
        return x->time < y->time ? -1 : 1;
    }
    return x->i < y->i ? -1 : x->i > y->i ? 1 : 0;
}

static void part_stats(const struct vg_model_example *ex,
                       const double *w,
                       const size_t *rows,
                       size_t n,
                       struct vg_model_part *p)
{
    memset(p, 0, sizeof(*p));
    p->from = VG_TIME_NONE;
    p->to = VG_TIME_NONE;
    double w2 = 0;
    for (size_t k = 0; k < n; k++) {
        const struct vg_model_example *e = &ex[rows[k]];
        double x = w[rows[k]];
        p->rows++;
        p->weight += x;
        w2 += x * x;
        if (e->positive) {
            p->positives++;
            p->positive_weight += x;
        }
        if (p->from == VG_TIME_NONE || e->time < p->from) {
            p->from = e->time;
        }
        if (p->to == VG_TIME_NONE || e->time > p->to) {
            p->to = e->time;
        }
    }
    p->effective_rows = w2 > 0 ? p->weight * p->weight / w2 : 0;
}

/* ---- XGBoost --------------------------------------------------------------------------- */

enum vg_status vg__xgb_error(struct vg_error *err, enum vg_status code, const char *what)
{
    const char *msg = XGBGetLastError();
    /* XGBoost messages start with a time stamp and a source location, then a stack. */
    const char *colon = msg == NULL ? NULL : strstr(msg, ": ");
    const char *text = colon != NULL ? colon + 2 : msg != NULL ? msg : "unknown error";
    size_t len = strcspn(text, "\n");
    return vg_error_set(err, code, "xgboost: %s: %.*s", what, (int)(len > 160 ? 160 : len), text);
}

void vg__xgb_array(char *buf, size_t size, const float *data, size_t rows, size_t cols)
{
    snprintf(buf, size,
             "{\"data\":[%llu,true],\"shape\":[%zu,%zu],\"typestr\":\"<f4\",\"version\":3}",
             (unsigned long long)(uintptr_t)data, rows, cols);
}

/* Encoded rows of one part, with labels and weights, as a DMatrix. */
struct part_matrix {
    float *x;
    float *y;
    float *w;
    double *wd;
    size_t n;
    DMatrixHandle d;
};

static void part_matrix_release(struct part_matrix *pm)
{
    if (pm->d != NULL) {
        XGDMatrixFree(pm->d);
    }
    vg_free(pm->x);
    vg_free(pm->y);
    vg_free(pm->w);
    vg_free(pm->wd);
    memset(pm, 0, sizeof(*pm));
}

static enum vg_status part_matrix_make(struct part_matrix *pm,
                                       const struct enc *enc,
                                       const struct vg_model_example *ex,
                                       const double *weights,
                                       const size_t *rows,
                                       size_t n,
                                       int nthread,
                                       struct vg_error *err)
{
    memset(pm, 0, sizeof(*pm));
    pm->n = n;
    pm->x = vg_malloc(n * enc->ncols * sizeof(float) + 1);
    pm->y = vg_malloc(n * sizeof(float) + 1);
    pm->w = vg_malloc(n * sizeof(float) + 1);
    pm->wd = vg_malloc(n * sizeof(double) + 1);
    const char **types = vg_malloc(enc->ncols * sizeof(*types) + 1);
    if (pm->x == NULL || pm->y == NULL || pm->w == NULL || pm->wd == NULL || types == NULL) {
        vg_free(types);
        part_matrix_release(pm);
        return vg_error_set(err, VG_ENOMEM, "out of memory encoding %zu examples", n);
    }
    for (size_t k = 0; k < n; k++) {
        const struct vg_model_example *e = &ex[rows[k]];
        vg__enc_row(enc, e->record, pm->x + k * enc->ncols);
        pm->y[k] = e->positive ? 1.0f : 0.0f;
        pm->wd[k] = weights[rows[k]];
        pm->w[k] = (float)weights[rows[k]];
    }
    for (size_t i = 0; i < enc->nf; i++) {
        const struct enc_feature *f = &enc->f[i];
        for (uint32_t c = 0; c < f->ncols; c++) {
            types[f->column + c] = (f->type == VG_FEATURE_STRING) ? "c" : "q";
        }
    }
    enum vg_status st = VG_OK;
    if (XGDMatrixCreateFromMat_omp(pm->x, n, enc->ncols, NAN, &pm->d, nthread) != 0 ||
        XGDMatrixSetFloatInfo(pm->d, "label", pm->y, n) != 0 ||
        XGDMatrixSetFloatInfo(pm->d, "weight", pm->w, n) != 0 ||
        XGDMatrixSetStrFeatureInfo(pm->d, "feature_type", types, enc->ncols) != 0) {
        st = vg__xgb_error(err, VG_EINVAL, "building the training matrix");
        part_matrix_release(pm);
    }
    vg_free(types);
    return st;
}

static int set_param(BoosterHandle b, const char *name, double v)
{
    char buf[40];
    snprintf(buf, sizeof(buf), "%.17g", v);
    return XGBoosterSetParam(b, name, buf);
}

/* A booster with the parameters of opts, caching the given matrices. */
static enum vg_status booster_make(DMatrixHandle *cache,
                                   bst_ulong ncache,
                                   const struct vg_model_options *o,
                                   double spw,
                                   BoosterHandle *out,
                                   struct vg_error *err)
{
    BoosterHandle b = NULL;
    if (XGBoosterCreate(cache, ncache, &b) != 0) {
        return vg__xgb_error(err, VG_EINVAL, "creating the booster");
    }
    int rc = XGBoosterSetParam(b, "objective", "binary:logistic");
    rc |= XGBoosterSetParam(b, "tree_method", "hist");
    rc |= XGBoosterSetParam(b, "verbosity", "0");
    rc |= set_param(b, "max_depth", o->max_depth);
    rc |= set_param(b, "eta", o->eta);
    rc |= set_param(b, "min_child_weight", o->min_child_weight);
    rc |= set_param(b, "subsample", o->subsample);
    rc |= set_param(b, "colsample_bytree", o->colsample);
    rc |= set_param(b, "lambda", o->lambda);
    rc |= set_param(b, "scale_pos_weight", spw);
    rc |= set_param(b, "seed", (double)(o->seed % 2147483647u));
    rc |= set_param(b, "nthread", o->nthread);
    if (rc != 0) {
        enum vg_status st = vg__xgb_error(err, VG_EINVAL, "setting parameters");
        XGBoosterFree(b);
        return st;
    }
    *out = b;
    return VG_OK;
}

/* Probabilities of a cached part after `rounds` rounds (0: all). */
static enum vg_status part_probabilities(BoosterHandle b,
                                         const struct part_matrix *pm,
                                         unsigned rounds,
                                         double shift,
                                         double *p,
                                         struct vg_error *err)
{
    char cfg[160];
    snprintf(cfg, sizeof(cfg),
             "{\"type\":1,\"training\":false,\"iteration_begin\":0,\"iteration_end\":%u,"
             "\"strict_shape\":false}",
             rounds);
    bst_ulong const *shape = NULL;
    bst_ulong dim = 0;
    const float *out = NULL;
    if (XGBoosterPredictFromDMatrix(b, pm->d, cfg, &shape, &dim, &out) != 0) {
        return vg__xgb_error(err, VG_EINVAL, "predicting the validation part");
    }
    for (size_t i = 0; i < pm->n; i++) {
        p[i] = vg__sigmoid((double)out[i] - shift);
    }
    return VG_OK;
}

static double positive_scale(const struct vg_model_part *p, const struct vg_model_options *o)
{
    if (o->scale_pos_weight > 0) {
        return o->scale_pos_weight;
    }
    double neg = p->weight - p->positive_weight;
    return p->positive_weight > 0 && neg > 0 ? neg / p->positive_weight : 1;
}

/* Boosts on train, stopping early on valid; *best gets the best number of rounds. */
static enum vg_status boost_validated(const struct part_matrix *train,
                                      const struct part_matrix *valid,
                                      const struct vg_model_options *o,
                                      double spw,
                                      BoosterHandle *out,
                                      unsigned *best,
                                      struct vg_error *err)
{
    DMatrixHandle cache[2] = { train->d, valid->d };
    BoosterHandle b = NULL;
    enum vg_status st = booster_make(cache, 2, o, spw, &b, err);
    if (st != VG_OK) {
        return st;
    }
    double *p = vg_malloc(valid->n * sizeof(double) + 1);
    if (p == NULL) {
        XGBoosterFree(b);
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    double best_loss = INFINITY, shift = log(spw);
    unsigned best_round = 0;
    for (unsigned r = 0; r < o->max_rounds && st == VG_OK; r++) {
        if (XGBoosterUpdateOneIter(b, (int)r, train->d) != 0) {
            st = vg__xgb_error(err, VG_EINVAL, "boosting");
            break;
        }
        st = part_probabilities(b, valid, 0, shift, p, err);
        if (st != VG_OK) {
            break;
        }
        double loss = vg__metrics_logloss(p, valid->y, valid->wd, valid->n);
        if (loss < best_loss - 1e-12) {
            best_loss = loss;
            best_round = r + 1;
        } else if (o->early_stopping > 0 && r + 1 - best_round >= o->early_stopping) {
            break;
        }
    }
    vg_free(p);
    if (st != VG_OK) {
        XGBoosterFree(b);
        return st;
    }
    *out = b;
    *best = best_round == 0 ? 1 : best_round;
    return VG_OK;
}

static enum vg_status boost_rounds(const struct part_matrix *pm,
                                   const struct vg_model_options *o,
                                   double spw,
                                   unsigned rounds,
                                   BoosterHandle *out,
                                   struct vg_error *err)
{
    DMatrixHandle cache[1] = { pm->d };
    BoosterHandle b = NULL;
    enum vg_status st = booster_make(cache, 1, o, spw, &b, err);
    for (unsigned r = 0; r < rounds && st == VG_OK; r++) {
        if (XGBoosterUpdateOneIter(b, (int)r, pm->d) != 0) {
            st = vg__xgb_error(err, VG_EINVAL, "boosting");
        }
    }
    if (st != VG_OK) {
        if (b != NULL) {
            XGBoosterFree(b);
        }
        return st;
    }
    *out = b;
    return VG_OK;
}

/* ---- options --------------------------------------------------------------------------- */

static enum vg_status check_options(const struct vg_model_options *o, struct vg_error *err)
{
    if (!(o->valid_share > 0 && o->valid_share < 1) && o->valid_from == VG_TIME_NONE) {
        return vg_error_set(err, VG_EINVAL, "the validation share must lie between 0 and 1");
    }
    if (o->max_depth < 1 || o->max_depth > 8) {
        return vg_error_set(err, VG_EINVAL, "tree depth must lie between 1 and 8");
    }
    if (!(o->eta > 0 && o->eta <= 1) || !(o->subsample > 0 && o->subsample <= 1) ||
        !(o->colsample > 0 && o->colsample <= 1)) {
        return vg_error_set(err, VG_EINVAL,
                            "learning rate, subsample and colsample must lie in (0, 1]");
    }
    if (!(o->min_child_weight >= 0) || !(o->lambda >= 0) || !(o->scale_pos_weight >= 0) ||
        !isfinite(o->min_child_weight) || !isfinite(o->lambda) || !isfinite(o->scale_pos_weight)) {
        return vg_error_set(err, VG_EINVAL,
                            "min_child_weight, lambda and scale_pos_weight must be >= 0");
    }
    if (o->max_rounds < 1 || o->max_rounds > 100000) {
        return vg_error_set(err, VG_EINVAL, "rounds must lie between 1 and 100000");
    }
    if (o->min_positives < 1) {
        return vg_error_set(err, VG_EINVAL, "at least one positive example is needed");
    }
    if (o->nthread < 0) {
        return vg_error_set(err, VG_EINVAL, "thread count must be >= 0");
    }
    return VG_OK;
}

static json_t *params_json(const struct vg_model_options *o)
{
    return json_pack(
        "{s:s, s:s, s:I, s:f, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:I, s:f, "
        "s:I, s:I, s:I, s:{s:f, s:f, s:f}, s:f, s:b}",
        "objective", "binary:logistic", "tree_method", "hist", "max_depth",
        (json_int_t)o->max_depth, "eta", o->eta, "max_rounds", (json_int_t)o->max_rounds,
        "early_stopping", (json_int_t)o->early_stopping, "min_child_weight", o->min_child_weight,
        "subsample", o->subsample, "colsample_bytree", o->colsample, "lambda", o->lambda,
        "scale_pos_weight", o->scale_pos_weight, "seed", (json_int_t)(o->seed % 2147483647u),
        "valid_share", o->valid_share, "min_category_rows", (json_int_t)o->min_category_rows,
        "max_categories", (json_int_t)o->max_categories, "list_members",
        (json_int_t)o->list_members, "shares", "targeted", o->shares.targeted, "random",
        o->shares.random, "partner", o->shares.partner, "max_weight_ratio", o->max_weight_ratio,
        "refit", (int)o->refit);
}

/* ---- training -------------------------------------------------------------------------- */

struct trainer {
    const struct vg_feature_schema *schema;
    const struct vg_model_example *ex;
    size_t n;
    struct vg_model_options o;
    double *w;
    size_t *order; /* by time */
    size_t ntrain; /* order[0..ntrain) train, the rest validate */
    struct vg_model_metrics m;
    struct enc enc;
    struct part_matrix train, valid;
    BoosterHandle booster;
};

static void trainer_release(struct trainer *t)
{
    part_matrix_release(&t->train);
    part_matrix_release(&t->valid);
    vg__enc_release(&t->enc);
    if (t->booster != NULL) {
        XGBoosterFree(t->booster);
    }
    vg_free(t->w);
    vg_free(t->order);
}

static enum vg_status check_examples(const struct trainer *t, struct vg_error *err)
{
    for (size_t i = 0; i < t->n; i++) {
        if (t->ex[i].record == NULL) {
            return vg_error_set(err, VG_EINVAL, "example %zu has no record", i + 1);
        }
        if (t->ex[i].time == VG_TIME_NONE) {
            return vg_error_set(err, VG_EINVAL, "example %zu has no time", i + 1);
        }
    }
    return VG_OK;
}

/* Orders the examples by time and splits them; fills the part reports. */
static enum vg_status split(struct trainer *t, struct vg_error *err)
{
    struct keyed *k = vg_malloc(t->n * sizeof(*k) + 1);
    t->order = vg_malloc(t->n * sizeof(*t->order) + 1);
    if (k == NULL || t->order == NULL) {
        vg_free(k);
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < t->n; i++) {
        k[i] = (struct keyed){ t->ex[i].time, i };
    }
    qsort(k, t->n, sizeof(*k), keyed_cmp);
    for (size_t i = 0; i < t->n; i++) {
        t->order[i] = k[i].i;
    }
    int64_t cut = t->o.valid_from;
    if (cut == VG_TIME_NONE) {
        size_t first_valid = t->n - (size_t)ceil(t->o.valid_share * (double)t->n);
        cut = k[first_valid < t->n ? first_valid : t->n - 1].time;
    }
    /* Every example at or after the cut validates: equal times never straddle it. */
    size_t ntrain = 0;
    while (ntrain < t->n && k[ntrain].time < cut) {
        ntrain++;
    }
    vg_free(k);
    t->ntrain = ntrain;
    t->m.valid_from = cut;
    part_stats(t->ex, t->w, t->order, ntrain, &t->m.train);
    part_stats(t->ex, t->w, t->order + ntrain, t->n - ntrain, &t->m.valid);
    char when[32];
    vg_time_format_iso8601(cut, when, sizeof(when));
    if (t->m.train.positives == 0 || t->m.train.positives == t->m.train.rows) {
        return vg_error_set(err, VG_ENOTFOUND,
                            "the training part (before %s) needs positive and negative "
                            "examples: %zu of %zu are positive",
                            when, t->m.train.positives, t->m.train.rows);
    }
    if (t->m.valid.positives == 0 || t->m.valid.positives == t->m.valid.rows) {
        return vg_error_set(err, VG_ENOTFOUND,
                            "the validation part (from %s) needs positive and negative "
                            "examples: %zu of %zu are positive",
                            when, t->m.valid.positives, t->m.valid.rows);
    }
    return VG_OK;
}

/* The validated model: encoder and booster on the train part, report on the valid part. */
static enum vg_status validate(struct trainer *t, struct vg_error *err)
{
    enum vg_status st =
        vg__enc_build(&t->enc, t->schema, t->ex, t->order, t->ntrain, t->w, &t->o, err);
    if (st == VG_OK) {
        st = part_matrix_make(&t->train, &t->enc, t->ex, t->w, t->order, t->ntrain, t->o.nthread,
                              err);
    }
    if (st == VG_OK) {
        st = part_matrix_make(&t->valid, &t->enc, t->ex, t->w, t->order + t->ntrain,
                              t->n - t->ntrain, t->o.nthread, err);
    }
    double spw = positive_scale(&t->m.train, &t->o);
    if (st == VG_OK) {
        st = boost_validated(&t->train, &t->valid, &t->o, spw, &t->booster, &t->m.best_round, err);
    }
    double *p = st == VG_OK ? vg_malloc(t->valid.n * sizeof(double) + 1) : NULL;
    if (st == VG_OK && p == NULL) {
        st = vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    if (st == VG_OK) {
        st = part_probabilities(t->booster, &t->valid, t->m.best_round, log(spw), p, err);
    }
    if (st == VG_OK) {
        st = vg__metrics_compute(p, t->valid.y, t->valid.wd, t->valid.n, &t->m);
        if (st == VG_ENOMEM) {
            vg_error_set(err, VG_ENOMEM, "out of memory");
        }
    }
    vg_free(p);
    t->m.scale_pos_weight = spw;
    t->m.columns = t->enc.ncols;
    return st;
}

/* Moves the trainer's encoder and booster (refitted or sliced) into a new model. */
static enum vg_status make_model(struct trainer *t, struct vg_model **out, struct vg_error *err)
{
    enum vg_status st = VG_OK;
    BoosterHandle final = NULL;
    double spw = t->m.scale_pos_weight;
    if (t->o.refit) {
        part_matrix_release(&t->train);
        part_matrix_release(&t->valid);
        vg__enc_release(&t->enc);
        st = vg__enc_build(&t->enc, t->schema, t->ex, t->order, t->n, t->w, &t->o, err);
        if (st == VG_OK) {
            st = part_matrix_make(&t->train, &t->enc, t->ex, t->w, t->order, t->n, t->o.nthread,
                                  err);
        }
        spw = positive_scale(&t->m.all, &t->o);
        if (st == VG_OK) {
            st = boost_rounds(&t->train, &t->o, spw, t->m.best_round, &final, err);
        }
        t->m.rounds = t->m.best_round;
        t->m.refitted = true;
        t->m.scale_pos_weight = spw;
        t->m.columns = t->enc.ncols;
    } else {
        if (XGBoosterSlice(t->booster, 0, (int)t->m.best_round, 1, &final) != 0) {
            st = vg__xgb_error(err, VG_EINVAL, "keeping the validated rounds");
        }
        t->m.rounds = t->m.best_round;
    }
    struct vg_model *m = st == VG_OK ? vg_calloc(1, sizeof(*m)) : NULL;
    if (st == VG_OK && m == NULL) {
        st = vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    if (st != VG_OK) {
        if (final != NULL) {
            XGBoosterFree(final);
        }
        return st;
    }
    m->schema = t->schema;
    m->enc = t->enc;
    memset(&t->enc, 0, sizeof(t->enc));
    m->booster = final;
    m->prior_shift = log(spw);
    m->info.kind = VG_MODEL_KIND;
    m->info.trained_until = t->o.refit ? t->m.all.to : t->m.train.to;
    m->info.columns = m->enc.ncols;
    m->info.rounds = t->m.rounds;
    m->info.metrics = t->m;
    m->params = params_json(&t->o);
    if (m->params == NULL) {
        vg_model_free(m);
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    st = vg__model_finish(m, err);
    if (st != VG_OK) {
        vg_model_free(m);
        return st;
    }
    *out = m;
    return VG_OK;
}

enum vg_status vg_model_train(const struct vg_feature_schema *schema,
                              const struct vg_model_example *examples,
                              size_t n,
                              const struct vg_model_options *opts,
                              struct vg_model **out,
                              struct vg_model_metrics *metrics,
                              struct vg_error *err)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (schema == NULL || out == NULL || (examples == NULL && n > 0) || schema->count == 0) {
        return vg_error_set(err, VG_EINVAL, "training needs a schema, examples and out");
    }
    struct trainer t = { 0 };
    t.schema = schema;
    t.ex = examples;
    t.n = n;
    if (opts != NULL) {
        t.o = *opts;
    } else {
        vg_model_options_default(&t.o);
    }
    t.m.valid_from = VG_TIME_NONE;
    enum vg_status st = check_options(&t.o, err);
    if (st == VG_OK) {
        st = check_examples(&t, err);
    }
    if (st == VG_OK) {
        t.w = vg_malloc(n * sizeof(double) + 1);
        st = t.w == NULL
                 ? vg_error_set(err, VG_ENOMEM, "out of memory")
                 : vg_model_weights(examples, n, &t.o.shares, t.o.max_weight_ratio, t.w, err);
    }
    if (st == VG_OK) {
        size_t *all = vg_malloc(n * sizeof(size_t) + 1);
        if (all == NULL) {
            st = vg_error_set(err, VG_ENOMEM, "out of memory");
        } else {
            for (size_t i = 0; i < n; i++) {
                all[i] = i;
            }
            part_stats(examples, t.w, all, n, &t.m.all);
            vg_free(all);
        }
    }
    if (st == VG_OK && t.m.all.positives < t.o.min_positives) {
        st = vg_error_set(err, VG_ENOTFOUND,
                          "too few positive outcomes to learn from: %zu found, at least %zu "
                          "needed; score with rules and lists alone",
                          t.m.all.positives, t.o.min_positives);
    }
    if (st == VG_OK) {
        st = split(&t, err);
    }
    if (st == VG_OK) {
        st = validate(&t, err);
    }
    if (st == VG_OK) {
        st = make_model(&t, out, err);
    }
    if (metrics != NULL) {
        *metrics = t.m;
    }
    trainer_release(&t);
    return st;
}
