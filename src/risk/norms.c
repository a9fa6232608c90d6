/*
 * Robust norms learned from the store: the median and the median absolute deviation of a
 * group's samples (kg per package of an HS heading and package type, value per kg of an HS
 * subheading, dwell of a port and commodity group) over a window of days before an
 * instant. Samples are kept per group in time order; a norm is computed once per group,
 * day and window (quickselect on a copy) and cached, so that a run with a million trips
 * computes a few thousand medians.
 */
#include "risk/risk_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>

struct pending {
    uint32_t group;
    int64_t t;
    double v;
};

struct norm_result {
    double median, mad;
    uint32_t n;
};

/* Pending samples are kept in norm_samples as struct pending until rk_norm_finish; the
 * groups' offsets are set then. */
enum vg_status
rk_norm_add(struct rk_ctx *c, char kind, uint32_t a, uint32_t b, int64_t t, double value)
{
    if (isnan(value) || isinf(value)) {
        return VG_OK;
    }
    char key[RK_KEY_SIZE];
    size_t len = rk_key(key, kind, a, b, 0);
    uint64_t g;
    if (!vg_map_get(&c->norm_groups, key, len, &g)) {
        struct rk_norm_group *ng = rk_push(&c->norm_list, sizeof(*ng));
        if (ng == NULL) {
            return VG_ENOMEM;
        }
        g = c->norm_list.n - 1;
        if (vg_map_set(&c->norm_groups, key, len, g) != VG_OK) {
            return VG_ENOMEM;
        }
    }
    struct pending *p = rk_push(&c->norm_samples, sizeof(*p));
    if (p == NULL) {
        return VG_ENOMEM;
    }
    p->group = (uint32_t)g;
    p->t = t;
    p->v = value;
    RK_AT(c->norm_list, struct rk_norm_group, g)->n++;
    return VG_OK;
}

static int cmp_sample(const void *a, const void *b)
{
    const struct rk_sample *x = a, *y = b;
    if (x->t != y->t) {
        return x->t < y->t ? -1 : 1;
    }
    return x->v < y->v ? -1 : x->v > y->v;
}

enum vg_status rk_norm_finish(struct rk_ctx *c)
{
    size_t n = c->norm_samples.n;
    struct rk_sample *out = vg_calloc(n + 1, sizeof(*out));
    if (out == NULL) {
        return VG_ENOMEM;
    }
    size_t off = 0;
    for (size_t g = 0; g < c->norm_list.n; g++) {
        struct rk_norm_group *ng = RK_AT(c->norm_list, struct rk_norm_group, g);
        ng->off = (uint32_t)off;
        off += ng->n;
        ng->n = 0;
    }
    for (size_t i = 0; i < n; i++) {
        const struct pending *p = RK_AT(c->norm_samples, struct pending, i);
        struct rk_norm_group *ng = RK_AT(c->norm_list, struct rk_norm_group, p->group);
        out[ng->off + ng->n].t = p->t;
        out[ng->off + ng->n].v = p->v;
        ng->n++;
    }
    for (size_t g = 0; g < c->norm_list.n; g++) {
        struct rk_norm_group *ng = RK_AT(c->norm_list, struct rk_norm_group, g);
        qsort(out + ng->off, ng->n, sizeof(*out), cmp_sample);
    }
    rk_vec_free(&c->norm_samples);
    c->norm_samples.items = out;
    c->norm_samples.n = c->norm_samples.cap = n;
    return VG_OK;
}

/* The k-th smallest of v[0..n) (v is reordered). */
static double select_kth(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) {
                i++;
            }
            while (v[j] > pivot) {
                j--;
            }
            if (i <= j) {
                double x = v[i];
                v[i] = v[j];
                v[j] = x;
                i++;
                if (j == 0) {
                    break;
                }
                j--;
            }
        }
        if (k <= j) {
            hi = j;
        } else if (k >= i) {
            lo = i;
        } else {
            return v[k];
        }
    }
    return v[k];
}

static double median_of(double *v, size_t n)
{
    double hi = select_kth(v, n, n / 2);
    if (n % 2 == 1) {
        return hi;
    }
    double lo = select_kth(v, n, n / 2 - 1);
    return (lo + hi) / 2;
}

/* First sample index of group with t >= when. */
static size_t lower_bound(const struct rk_sample *s, size_t n, int64_t when)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s[mid].t < when) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* Keeps a copy of result[0..size) in the context's arena under key in cache; false (and
 * c->oom set) when out of memory. */
static bool cache_put(struct rk_ctx *c,
                      struct vg_map *cache,
                      const char *key,
                      size_t len,
                      const void *result,
                      size_t size)
{
    void *keep = vg_arena_alloc(&c->s.arena, size);
    if (keep != NULL) {
        memcpy(keep, result, size);
    }
    if (keep == NULL || vg_map_set(cache, key, len, (uint64_t)(uintptr_t)keep) != VG_OK) {
        c->oom = true;
        return false;
    }
    return true;
}

bool rk_norm(struct rk_ctx *c,
             char kind,
             uint32_t ka,
             uint32_t kb,
             int64_t day,
             int64_t window,
             size_t min_n,
             double *median,
             double *mad,
             size_t *n)
{
    *n = 0;
    uint64_t g;
    char key[RK_KEY_SIZE];
    if (!vg_map_get(&c->norm_groups, key, rk_key(key, kind, ka, kb, 0), &g)) {
        return false;
    }
    char ck[RK_KEY_SIZE];
    size_t cl = rk_key(ck, 'N', (uint32_t)g, (uint32_t)(window / RK_DAY), day);
    uint64_t cached;
    struct norm_result r;
    if (vg_map_get(&c->norm_cache, ck, cl, &cached)) {
        /* The cached value points at the result, kept in the string arena. */
        memcpy(&r, (const void *)(uintptr_t)cached, sizeof(r));
    } else {
        const struct rk_norm_group *ng = RK_AT(c->norm_list, struct rk_norm_group, g);
        const struct rk_sample *s = RK_AT(c->norm_samples, struct rk_sample, ng->off);
        size_t a = lower_bound(s, ng->n, day - window);
        size_t b = lower_bound(s, ng->n, day);
        r.n = (uint32_t)(b - a);
        r.median = r.mad = NAN;
        if (b > a) {
            double *v = vg_malloc((b - a) * sizeof(double));
            if (v == NULL) {
                c->oom = true;
                return false;
            }
            for (size_t i = a; i < b; i++) {
                v[i - a] = s[i].v;
            }
            r.median = median_of(v, b - a);
            for (size_t i = 0; i < b - a; i++) {
                v[i] = fabs(v[i] - r.median);
            }
            r.mad = median_of(v, b - a);
            vg_free(v);
        }
        if (!cache_put(c, &c->norm_cache, ck, cl, &r, sizeof(r))) {
            return false;
        }
    }
    *n = r.n;
    *median = r.median;
    *mad = r.mad;
    return r.n >= min_n && r.n > 0;
}

bool rk_norm_z(struct rk_ctx *c,
               char kind,
               uint32_t a,
               uint32_t b,
               int64_t day,
               int64_t window,
               size_t min_n,
               double x,
               double *z,
               size_t *n)
{
    double med, mad;
    if (!rk_norm(c, kind, a, b, day, window, min_n, &med, &mad, n) || !(mad > 0)) {
        return false;
    }
    *z = (x - med) / (1.4826 * mad);
    return true;
}

struct share_result {
    double share;
    uint32_t n;
};

bool rk_norm_share(struct rk_ctx *c,
                   char kind,
                   uint32_t ka,
                   uint32_t kb,
                   int64_t day,
                   int64_t window,
                   double value,
                   size_t min_n,
                   double *share,
                   size_t *n)
{
    *n = 0;
    *share = NAN;
    uint64_t g;
    char key[RK_KEY_SIZE];
    if (!vg_map_get(&c->norm_groups, key, rk_key(key, kind, ka, kb, 0), &g)) {
        return false;
    }
    char ck[RK_KEY_SIZE];
    size_t cl = rk_key(ck, 'S', (uint32_t)g, (uint32_t)value, day * 4096 + window / RK_DAY);
    uint64_t cached;
    struct share_result r;
    if (vg_map_get(&c->share_cache, ck, cl, &cached)) {
        memcpy(&r, (const void *)(uintptr_t)cached, sizeof(r));
    } else {
        const struct rk_norm_group *ng = RK_AT(c->norm_list, struct rk_norm_group, g);
        const struct rk_sample *s = RK_AT(c->norm_samples, struct rk_sample, ng->off);
        size_t lo = lower_bound(s, ng->n, day - window);
        size_t hi = lower_bound(s, ng->n, day);
        size_t same = 0;
        for (size_t i = lo; i < hi; i++) {
            same += s[i].v == value;
        }
        r.n = (uint32_t)(hi - lo);
        r.share = hi > lo ? (double)same / (double)(hi - lo) : NAN;
        if (!cache_put(c, &c->share_cache, ck, cl, &r, sizeof(r))) {
            return false;
        }
    }
    *n = r.n;
    *share = r.share;
    return r.n >= min_n && r.n > 0;
}
