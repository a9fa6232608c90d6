/*
 * Prediction (vigia/model.h): scores, feature contributions folded from encoded columns
 * back to features, the largest contributions, and novelty.
 *
 * Records are encoded MODEL_BATCH at a time. Scores alone use XGBoost's in-place dense
 * prediction (no copy of the batch); contributions need a DMatrix. Every margin has the
 * prior shift log(scale_pos_weight) taken off, so scores are probabilities of the
 * weighted population rather than of the rebalanced training set; in the contributions
 * the shift is part of the bias.
 */
#include "model/model_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <vigia/alloc.h>

enum vg_status vg__model_margins(
    struct vg_model *m, const float *x, size_t n, double *margins, struct vg_error *err)
{
    char arr[160];
    vg__xgb_array(arr, sizeof(arr), x, n, m->enc.ncols);
    static const char cfg[] = "{\"type\":1,\"training\":false,\"iteration_begin\":0,"
                              "\"iteration_end\":0,\"strict_shape\":false,\"missing\":NaN,"
                              "\"cache_id\":0}";
    bst_ulong const *shape = NULL;
    bst_ulong dim = 0;
    const float *out = NULL;
    if (XGBoosterPredictFromDense(m->booster, arr, cfg, NULL, &shape, &dim, &out) != 0) {
        return vg__xgb_error(err, VG_EINVAL, "predicting");
    }
    for (size_t i = 0; i < n; i++) {
        margins[i] = out[i];
    }
    return VG_OK;
}

/* Exact contributions of a batch by table (shap.c); scores from their sums. */
static void batch_table(
    struct vg_model *m, const float *x, size_t n, double *phi, double *scores, float *contribs)
{
    size_t ncols = m->enc.ncols, nf = m->schema->count, stride = nf + 1;
    double bias = vg__shap_bias(m->shap) - m->prior_shift;
    for (size_t i = 0; i < n; i++) {
        memset(phi, 0, stride * sizeof(double));
        vg__shap_row(m->shap, x + i * ncols, phi);
        float *dst = contribs + i * stride;
        double sum = bias;
        for (size_t f = 0; f < nf; f++) {
            dst[f] = (float)phi[f];
            sum += phi[f];
        }
        dst[nf] = (float)(bias + phi[nf]);
        sum += phi[nf];
        if (scores != NULL) {
            scores[i] = vg__sigmoid(sum);
        }
    }
}

/* Builds the tables on first use; false when XGBoost must compute the contributions. */
static enum vg_status table_ready(struct vg_model *m, bool *ready, struct vg_error *err)
{
    if (m->shap_state == 0) {
        enum vg_status st = vg__shap_build(m->booster, m->enc.ncols, m->col_feature,
                                           (uint32_t)m->schema->count, &m->shap);
        if (st == VG_ENOMEM) {
            return vg_error_set(err, VG_ENOMEM, "out of memory tabulating the trees");
        }
        m->shap_state = st == VG_OK ? 1 : -1;
    }
    *ready = m->shap_state == 1;
    return VG_OK;
}

/* Contributions of a batch by XGBoost, folded to features; scores from their sums. */
static enum vg_status batch_contribs(struct vg_model *m,
                                     const float *x,
                                     size_t n,
                                     enum vg_model_contrib how,
                                     double *scores,
                                     float *contribs,
                                     struct vg_error *err)
{
    size_t ncols = m->enc.ncols, nf = m->schema->count, stride = nf + 1;
    DMatrixHandle d = NULL;
    if (XGDMatrixCreateFromMat_omp(x, n, ncols, NAN, &d, 0) != 0) {
        return vg__xgb_error(err, VG_EINVAL, "building the prediction matrix");
    }
    char cfg[160];
    snprintf(cfg, sizeof(cfg),
             "{\"type\":%d,\"training\":false,\"iteration_begin\":0,\"iteration_end\":0,"
             "\"strict_shape\":false}",
             how == VG_MODEL_CONTRIB_APPROX ? 3 : 2);
    bst_ulong const *shape = NULL;
    bst_ulong dim = 0;
    const float *out = NULL;
    if (XGBoosterPredictFromDMatrix(m->booster, d, cfg, &shape, &dim, &out) != 0) {
        enum vg_status st = vg__xgb_error(err, VG_EINVAL, "computing contributions");
        XGDMatrixFree(d);
        return st;
    }
    for (size_t i = 0; i < n; i++) {
        const float *src = out + i * (ncols + 1);
        float *dst = contribs + i * stride;
        memset(dst, 0, stride * sizeof(float));
        double bias = (double)src[ncols] - m->prior_shift;
        double sum = 0;
        for (size_t c = 0; c < ncols; c++) {
            uint32_t f = m->col_feature[c];
            if (f == ENC_ABSENT) {
                bias += src[c];
            } else {
                dst[f] += src[c];
            }
            sum += src[c];
        }
        dst[nf] = (float)bias;
        if (scores != NULL) {
            scores[i] = vg__sigmoid(sum + (double)src[ncols] - m->prior_shift);
        }
    }
    XGDMatrixFree(d);
    return VG_OK;
}

enum vg_status vg_model_predict(struct vg_model *model,
                                const struct vg_value *records,
                                size_t n,
                                double *scores,
                                enum vg_model_contrib how,
                                float *contribs,
                                struct vg_error *err)
{
    if (model == NULL || (records == NULL && n > 0) ||
        (how != VG_MODEL_CONTRIB_NONE && contribs == NULL && n > 0) ||
        (unsigned)how > VG_MODEL_CONTRIB_APPROX) {
        return vg_error_set(err, VG_EINVAL, "prediction needs a model, records and room");
    }
    if (n == 0) {
        return VG_OK;
    }
    size_t nv = model->schema->count, ncols = model->enc.ncols;
    size_t batch = n < MODEL_BATCH ? n : MODEL_BATCH;
    bool table = false;
    enum vg_status st = how == VG_MODEL_CONTRIB_EXACT ? table_ready(model, &table, err) : VG_OK;
    if (st != VG_OK) {
        return st;
    }
    float *x = vg_malloc(batch * ncols * sizeof(float) + 1);
    double *margins = vg_malloc((batch > nv + 1 ? batch : nv + 1) * sizeof(double));
    if (x == NULL || margins == NULL) {
        vg_free(x);
        vg_free(margins);
        return vg_error_set(err, VG_ENOMEM, "out of memory scoring %zu records", n);
    }
    for (size_t at = 0; at < n && st == VG_OK; at += batch) {
        size_t k = n - at < batch ? n - at : batch;
        vg__enc_rows(&model->enc, records + at * nv, nv, k, x);
        if (how == VG_MODEL_CONTRIB_NONE) {
            st = vg__model_margins(model, x, k, margins, err);
            for (size_t i = 0; i < k && st == VG_OK && scores != NULL; i++) {
                scores[at + i] = vg__sigmoid(margins[i] - model->prior_shift);
            }
        } else if (table) {
            batch_table(model, x, k, margins, scores == NULL ? NULL : scores + at,
                        contribs + at * (nv + 1));
        } else {
            st = batch_contribs(model, x, k, how, scores == NULL ? NULL : scores + at,
                                contribs + at * (nv + 1), err);
        }
    }
    vg_free(x);
    vg_free(margins);
    return st;
}

enum vg_status vg_model_set_threads(struct vg_model *model, int nthread, struct vg_error *err)
{
    if (model == NULL || nthread < 0) {
        return vg_error_set(err, VG_EINVAL, "threads must be 0 (every core) or more");
    }
    char buf[16];
    snprintf(buf, sizeof(buf), "%d", nthread);
    if (XGBoosterSetParam(model->booster, "nthread", buf) != 0) {
        return vg__xgb_error(err, VG_EINVAL, "setting threads");
    }
    return VG_OK;
}

size_t vg_model_top(const struct vg_model *model,
                    const float *contribs,
                    size_t k,
                    double min_abs,
                    bool raising_only,
                    struct vg_model_reason *out)
{
    if (model == NULL || contribs == NULL || out == NULL) {
        return 0;
    }
    size_t n = 0;
    for (size_t f = 0; f < model->schema->count; f++) {
        float c = contribs[f];
        double key = raising_only ? c : fabs(c);
        if (!(fabs(c) >= min_abs) || !(key > 0)) {
            continue;
        }
        /* Insertion into out[0..n), largest first; equal keys keep index order. */
        size_t pos = n;
        while (pos > 0) {
            float o = out[pos - 1].contribution;
            double okey = raising_only ? o : fabs(o);
            if (okey >= key) {
                break;
            }
            pos--;
        }
        if (pos >= k) {
            continue;
        }
        size_t last = n < k ? n : k - 1;
        for (size_t j = last; j > pos; j--) {
            out[j] = out[j - 1];
        }
        out[pos] = (struct vg_model_reason){ (uint32_t)f, c };
        if (n < k) {
            n++;
        }
    }
    return n;
}

size_t vg_model_novelty(const struct vg_model *model,
                        const struct vg_value *record,
                        uint32_t *features,
                        size_t cap)
{
    if (model == NULL || record == NULL) {
        return 0;
    }
    size_t n = 0;
    for (size_t i = 0; i < model->schema->count; i++) {
        const struct enc_feature *f = model->feat_enc[i];
        const struct vg_value *v = &record[i];
        if (f == NULL) {
            continue;
        }
        bool novel = false;
        if (vg__value_unknown(v, f->type)) {
            novel = !isnan(f->typical); /* never unknown in the training rows */
            if (novel) {
                if (n < cap && features != NULL) {
                    features[n] = (uint32_t)i;
                }
                n++;
            }
            continue;
        }
        uint64_t code = ENC_OTHER;
        if (f->type == VG_FEATURE_STRING) {
            novel = !vg_map_get(&f->lookup, v->as.string.ptr, v->as.string.len, &code);
        } else if (f->type == VG_FEATURE_NUMBER && f->has_stats) {
            novel = v->as.number < f->q[0] || v->as.number > f->q[ENC_QUANTILES - 1];
        }
        if (novel) {
            if (n < cap && features != NULL) {
                features[n] = (uint32_t)i;
            }
            n++;
        }
    }
    return n;
}
