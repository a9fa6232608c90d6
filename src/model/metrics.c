/*
 * Quality figures of a model on labelled rows (docs/model.md, "What the metrics mean"):
 * weighted ROC AUC, log loss, and precision and recall when the top share of the rows is
 * examined. With selection weights, the weighted rows stand for the population, so "the
 * top 1%" means 1% of the trips, not 1% of the examined ones.
 */
#include "model/model_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>

static const double rates[VG_MODEL_RATES] = { 0.005, 0.01, 0.02, 0.05 };

double vg__metrics_logloss(const double *p, const float *y, const double *w, size_t n)
{
    double sum = 0, wsum = 0;
    for (size_t i = 0; i < n; i++) {
        double q = p[i] < 1e-15 ? 1e-15 : p[i] > 1 - 1e-15 ? 1 - 1e-15 : p[i];
        sum -= w[i] * (y[i] > 0.5f ? log(q) : log(1 - q));
        wsum += w[i];
    }
    return wsum > 0 ? sum / wsum : NAN;
}

struct ranked {
    double p;
    size_t i;
};

/* Descending by probability; ties by row for a stable order. */
static int ranked_cmp(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->p != y->p) {
        return x->p > y->p ? -1 : 1;
    }
    return x->i < y->i ? -1 : x->i > y->i ? 1 : 0;
}

enum vg_status vg__metrics_compute(
    const double *p, const float *y, const double *w, size_t n, struct vg_model_metrics *m)
{
    m->auc = NAN;
    m->logloss = NAN;
    m->base_rate = NAN;
    for (size_t k = 0; k < VG_MODEL_RATES; k++) {
        m->at[k] = (struct vg_model_at){ rates[k], NAN, NAN, NAN };
    }
    if (n == 0) {
        return VG_OK;
    }
    struct ranked *r = vg_malloc(n * sizeof(*r));
    if (r == NULL) {
        return VG_ENOMEM;
    }
    double wpos = 0, wneg = 0;
    for (size_t i = 0; i < n; i++) {
        r[i] = (struct ranked){ p[i], i };
        if (y[i] > 0.5f) {
            wpos += w[i];
        } else {
            wneg += w[i];
        }
    }
    double wall = wpos + wneg;
    m->logloss = vg__metrics_logloss(p, y, w, n);
    m->base_rate = wall > 0 ? wpos / wall : NAN;
    if (!(wpos > 0) || !(wneg > 0)) {
        vg_free(r);
        return VG_OK;
    }
    qsort(r, n, sizeof(*r), ranked_cmp);

    /* AUC: for each group of equal scores (descending), its positives beat the negatives
     * of every lower group and tie with the negatives of their own group. */
    double area = 0, neg_above = 0;
    double taken[VG_MODEL_RATES] = { 0 }, pos_taken[VG_MODEL_RATES] = { 0 };
    for (size_t a = 0; a < n;) {
        size_t b = a;
        double gpos = 0, gneg = 0;
        while (b < n && r[b].p == r[a].p) {
            size_t i = r[b].i;
            if (y[i] > 0.5f) {
                gpos += w[i];
            } else {
                gneg += w[i];
            }
            b++;
        }
        area += gpos * ((wneg - neg_above - gneg) + 0.5 * gneg);
        neg_above += gneg;
        /* Budgets: a tie group is taken in proportion. */
        double gw = gpos + gneg;
        for (size_t k = 0; k < VG_MODEL_RATES; k++) {
            double budget = rates[k] * wall;
            if (taken[k] < budget && gw > 0) {
                double f = (budget - taken[k]) / gw;
                f = f > 1 ? 1 : f;
                taken[k] += f * gw;
                pos_taken[k] += f * gpos;
            }
        }
        a = b;
    }
    m->auc = area / (wpos * wneg);
    for (size_t k = 0; k < VG_MODEL_RATES; k++) {
        double budget = rates[k] * wall;
        m->at[k].precision = pos_taken[k] / budget;
        m->at[k].recall = pos_taken[k] / wpos;
        double best = wpos / budget;
        m->at[k].best_precision = best > 1 ? 1 : best;
    }
    vg_free(r);
    return VG_OK;
}

/* ---- JSON ------------------------------------------------------------------------------ */

static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *part_json(const struct vg_model_part *p)
{
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "rows", (json_int_t)p->rows,
                     "positives", (json_int_t)p->positives, "weight", num(p->weight),
                     "positive_weight", num(p->positive_weight), "effective_rows",
                     num(p->effective_rows), "from",
                     p->from == INT64_MIN ? json_null() : json_integer(p->from), "to",
                     p->to == INT64_MIN ? json_null() : json_integer(p->to));
}

json_t *vg__metrics_to_json(const struct vg_model_metrics *m)
{
    json_t *at = json_array();
    for (size_t k = 0; at != NULL && k < VG_MODEL_RATES; k++) {
        json_t *o = json_pack("{s:o, s:o, s:o, s:o}", "rate", num(m->at[k].rate), "precision",
                              num(m->at[k].precision), "recall", num(m->at[k].recall),
                              "best_precision", num(m->at[k].best_precision));
        if (o == NULL || json_array_append_new(at, o) != 0) {
            json_decref(at);
            at = NULL;
        }
    }
    if (at == NULL) {
        return NULL;
    }
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:b, s:o, s:I}", "train",
                     part_json(&m->train), "valid", part_json(&m->valid), "all", part_json(&m->all),
                     "valid_from",
                     m->valid_from == INT64_MIN ? json_null() : json_integer(m->valid_from), "auc",
                     num(m->auc), "logloss", num(m->logloss), "base_rate", num(m->base_rate), "at",
                     at, "best_round", (json_int_t)m->best_round, "rounds", (json_int_t)m->rounds,
                     "refitted", (int)m->refitted, "scale_pos_weight", num(m->scale_pos_weight),
                     "columns", (json_int_t)m->columns);
}

static double get_num(const json_t *o, const char *key)
{
    const json_t *x = json_object_get(o, key);
    return json_is_number(x) ? json_number_value(x) : NAN;
}

static size_t get_count(const json_t *o, const char *key)
{
    const json_t *x = json_object_get(o, key);
    return json_is_integer(x) && json_integer_value(x) >= 0 ? (size_t)json_integer_value(x) : 0;
}

static int64_t get_time(const json_t *o, const char *key)
{
    const json_t *x = json_object_get(o, key);
    return json_is_integer(x) ? (int64_t)json_integer_value(x) : INT64_MIN;
}

static void part_from_json(const json_t *o, struct vg_model_part *p)
{
    p->rows = get_count(o, "rows");
    p->positives = get_count(o, "positives");
    p->weight = get_num(o, "weight");
    p->positive_weight = get_num(o, "positive_weight");
    p->effective_rows = get_num(o, "effective_rows");
    p->from = get_time(o, "from");
    p->to = get_time(o, "to");
}

void vg__metrics_from_json(const json_t *j, struct vg_model_metrics *m)
{
    memset(m, 0, sizeof(*m));
    part_from_json(json_object_get(j, "train"), &m->train);
    part_from_json(json_object_get(j, "valid"), &m->valid);
    part_from_json(json_object_get(j, "all"), &m->all);
    m->valid_from = get_time(j, "valid_from");
    m->auc = get_num(j, "auc");
    m->logloss = get_num(j, "logloss");
    m->base_rate = get_num(j, "base_rate");
    const json_t *at = json_object_get(j, "at");
    for (size_t k = 0; k < VG_MODEL_RATES; k++) {
        const json_t *o = json_array_get(at, k);
        m->at[k].rate = rates[k];
        m->at[k].precision = get_num(o, "precision");
        m->at[k].recall = get_num(o, "recall");
        m->at[k].best_precision = get_num(o, "best_precision");
    }
    m->best_round = (unsigned)get_count(j, "best_round");
    m->rounds = (unsigned)get_count(j, "rounds");
    m->refitted = json_is_true(json_object_get(j, "refitted"));
    m->scale_pos_weight = get_num(j, "scale_pos_weight");
    m->columns = get_count(j, "columns");
}
