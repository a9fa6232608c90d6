/* Ranking metrics (vigia/eval.h): cut at a budget with random tie breaks, ROC AUC, the
 * Wilson interval. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/eval.h>

const double vg_eval_default_rates[4] = { 0.005, 0.01, 0.02, 0.05 };

struct keyed {
    double score;
    size_t index;
};

static double key_of(double s)
{
    return isnan(s) ? -INFINITY : s;
}

static int cmp_desc(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    if (x->score != y->score) {
        return x->score > y->score ? -1 : 1;
    }
    return x->index < y->index ? -1 : (x->index > y->index);
}

/* Items sorted by score, highest first (NULL on OOM; n == 0 gives a valid pointer). */
static struct keyed *sorted(const double *scores, size_t n)
{
    struct keyed *k = vg_calloc(n ? n : 1, sizeof(*k));
    if (k == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        k[i] = (struct keyed){ key_of(scores[i]), i };
    }
    qsort(k, n, sizeof(*k), cmp_desc);
    return k;
}

static void cut_sorted(const struct keyed *k, size_t n, int64_t budget, double *prob)
{
    size_t above = 0;
    while (above < n) {
        size_t end = above + 1;
        while (end < n && k[end].score == k[above].score) {
            end++;
        }
        size_t tied = end - above;
        double p;
        if ((int64_t)end <= budget) {
            p = 1.0;
        } else if ((int64_t)above < budget) {
            p = (double)(budget - (int64_t)above) / (double)tied;
        } else {
            p = 0.0;
        }
        for (size_t i = above; i < end; i++) {
            prob[k[i].index] = p;
        }
        above = end;
    }
}

enum vg_status vg_rank_cut(const double *scores, size_t n, int64_t k, double *prob)
{
    if (k < 0) {
        return VG_EINVAL;
    }
    struct keyed *s = sorted(scores, n);
    if (s == NULL) {
        return VG_ENOMEM;
    }
    cut_sorted(s, n, k, prob);
    vg_free(s);
    return VG_OK;
}

static double auc_sorted(const struct keyed *k, const bool *positive, size_t n)
{
    /* Ranks from the bottom (1 = lowest score), ties sharing their average rank. */
    double pos_rank_sum = 0;
    int64_t npos = 0;
    size_t i = 0;
    while (i < n) {
        size_t end = i + 1;
        while (end < n && k[end].score == k[i].score) {
            end++;
        }
        /* Items i..end-1 hold descending positions i+1..end, i.e. ranks from the bottom
         * n-end+1 .. n-i; their average: */
        double avg = ((double)(n - end + 1) + (double)(n - i)) / 2.0;
        for (size_t j = i; j < end; j++) {
            if (positive[k[j].index]) {
                pos_rank_sum += avg;
                npos++;
            }
        }
        i = end;
    }
    int64_t nneg = (int64_t)n - npos;
    if (npos == 0 || nneg == 0) {
        return NAN;
    }
    return (pos_rank_sum - (double)npos * (double)(npos + 1) / 2.0) / ((double)npos * (double)nneg);
}

enum vg_status vg_rank_auc(const double *scores, const bool *positive, size_t n, double *auc)
{
    struct keyed *k = sorted(scores, n);
    if (k == NULL) {
        return VG_ENOMEM;
    }
    *auc = auc_sorted(k, positive, n);
    vg_free(k);
    return VG_OK;
}

enum vg_status vg_rank_evaluate(const double *scores,
                                const bool *positive,
                                size_t n,
                                const double *rates,
                                size_t nrates,
                                struct vg_rank_metrics *out)
{
    memset(out, 0, sizeof(*out));
    if (nrates > VG_EVAL_MAX_RATES) {
        return VG_EINVAL;
    }
    for (size_t r = 0; r < nrates; r++) {
        if (!(rates[r] > 0 && rates[r] <= 1)) {
            return VG_EINVAL;
        }
    }
    struct keyed *k = sorted(scores, n);
    double *prob = vg_calloc(n ? n : 1, sizeof(*prob));
    if (k == NULL || prob == NULL) {
        vg_free(k);
        vg_free(prob);
        return VG_ENOMEM;
    }
    out->n = (int64_t)n;
    for (size_t i = 0; i < n; i++) {
        out->positives += positive[i];
    }
    out->base_rate = n > 0 ? (double)out->positives / (double)n : NAN;
    out->auc = auc_sorted(k, positive, n);
    out->nrates = nrates;
    for (size_t r = 0; r < nrates; r++) {
        struct vg_at_rate *a = &out->at[r];
        a->rate = rates[r];
        a->k = (int64_t)ceil(rates[r] * (double)n - 1e-9);
        cut_sorted(k, n, a->k, prob);
        for (size_t i = 0; i < n; i++) {
            a->hits += positive[i] ? prob[i] : 0;
        }
        a->precision = a->k > 0 ? a->hits / (double)a->k : NAN;
        a->recall = out->positives > 0 ? a->hits / (double)out->positives : NAN;
        a->lift = out->positives > 0 ? a->precision / out->base_rate : NAN;
        a->best_precision = a->k > 0 ? fmin(1.0, (double)out->positives / (double)a->k) : NAN;
        a->relative = a->best_precision > 0 ? a->precision / a->best_precision : NAN;
    }
    vg_free(k);
    vg_free(prob);
    return VG_OK;
}

struct vg_interval vg_wilson(int64_t successes, int64_t n, double z)
{
    struct vg_interval w = { NAN, NAN, NAN };
    if (n <= 0 || successes < 0 || successes > n) {
        return w;
    }
    double nn = (double)n, p = (double)successes / nn, z2 = z * z;
    double denom = 1.0 + z2 / nn;
    double center = (p + z2 / (2.0 * nn)) / denom;
    double half = z * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)) / denom;
    w.estimate = p;
    w.low = fmax(0.0, center - half);
    w.high = fmin(1.0, center + half);
    return w;
}
