/*
 * The encoder: feature records to the dense float matrix XGBoost reads, learned from the
 * training part and saved with the model (docs/model.md, "Encoding").
 *
 *   number  one column, the value as float (infinities clamped to the float range);
 *           the weighted quantiles of the training values are kept for explanations
 *   bool    one column, 0 or 1
 *   string  one categorical column ("c"): code 1..K for the K most frequent values seen in
 *           at least min_category_rows training rows, 0 ("other") for any other value
 *   list    one column for the length, then one 0/1 column per member item: the items (in
 *           at least min_category_rows rows) with the highest weighted mutual information
 *           with the label
 *
 * Unknown values are NaN in every column of the feature: XGBoost learns a default
 * direction for missing values, so "unknown" is never read as "no" or 0. Except where fewer
 * than min_category_rows training rows had the feature unknown: the trees cannot have
 * learned a direction for it (XGBoost sends it down whichever branch a handful of rows, or
 * none, decided, as if it were an extreme value), so it is read as the training's typical
 * value (struct enc_feature, typical) and vg_model_novelty names it.
 */
#include "model/model_int.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/charset.h>

const double vg__enc_grid[ENC_QUANTILES] = { 0, 1, 2, 5, 10, 25, 50, 75, 90, 95, 98, 99, 100 };

/* Limits of a loaded encoder (a blob is checked against them). */
#define ENC_MAX_FEATURES 100000
#define ENC_MAX_VALUES   1000000
#define ENC_MAX_COLUMNS  1000000
#define ENC_MAX_STRING   4096

static const char *type_name(enum vg_feature_type t)
{
    switch (t) {
    case VG_FEATURE_NUMBER:
        return "number";
    case VG_FEATURE_BOOL:
        return "bool";
    case VG_FEATURE_STRING:
        return "string";
    case VG_FEATURE_LIST:
        return "list";
    }
    return "?";
}

static bool type_parse(const char *s, enum vg_feature_type *t)
{
    static const enum vg_feature_type all[] = { VG_FEATURE_NUMBER, VG_FEATURE_BOOL,
                                                VG_FEATURE_STRING, VG_FEATURE_LIST };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (strcmp(s, type_name(all[i])) == 0) {
            *t = all[i];
            return true;
        }
    }
    return false;
}

void vg__enc_release(struct enc *enc)
{
    if (enc == NULL) {
        return;
    }
    for (size_t i = 0; i < enc->nf; i++) {
        vg_map_release(&enc->f[i].lookup);
    }
    vg_free(enc->f);
    vg_arena_release(&enc->arena);
    memset(enc, 0, sizeof(*enc));
}

/* Copies values[0..n) into the arena as the feature's dictionary and fills its lookup. */
static enum vg_status
set_values(struct enc *enc, struct enc_feature *f, const struct vg_slice *values, size_t n)
{
    f->nvalues = n;
    f->values = vg_arena_calloc(&enc->arena, n ? n : 1, sizeof(*f->values));
    f->slices = vg_arena_calloc(&enc->arena, n ? n : 1, sizeof(*f->slices));
    if (f->values == NULL || f->slices == NULL) {
        return VG_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        char *s = vg_arena_strndup(&enc->arena, values[i].ptr, values[i].len);
        if (s == NULL) {
            return VG_ENOMEM;
        }
        f->values[i] = s;
        f->slices[i] = vg_slice_make(s, values[i].len);
        bool existed = false;
        enum vg_status st = vg_map_put(&f->lookup, s, values[i].len, i + 1, &existed, NULL);
        if (st != VG_OK) {
            return st;
        }
        if (existed) {
            return VG_EPARSE;
        }
    }
    return VG_OK;
}

/* ---- building -------------------------------------------------------------------------- */

struct wv {
    double v, w;
};

static int wv_cmp(const void *a, const void *b)
{
    double x = ((const struct wv *)a)->v, y = ((const struct wv *)b)->v;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* Weighted quantiles of the known values of feature `index` over the rows. */
static enum vg_status number_stats(struct enc_feature *f,
                                   const struct vg_model_example *ex,
                                   const size_t *rows,
                                   size_t n,
                                   const double *weights)
{
    struct wv *vals = vg_malloc((n ? n : 1) * sizeof(*vals));
    if (vals == NULL) {
        return VG_ENOMEM;
    }
    size_t m = 0;
    double total = 0;
    for (size_t k = 0; k < n; k++) {
        const struct vg_value *v = &ex[rows[k]].record[f->index];
        if (!vg__value_unknown(v, VG_FEATURE_NUMBER) && isfinite(v->as.number)) {
            vals[m].v = v->as.number;
            vals[m].w = weights[rows[k]];
            total += vals[m].w;
            m++;
        }
    }
    if (m > 0 && total > 0) {
        qsort(vals, m, sizeof(*vals), wv_cmp);
        size_t j = 0;
        double cum = vals[0].w;
        for (size_t g = 0; g < ENC_QUANTILES; g++) {
            double target = vg__enc_grid[g] / 100.0 * total;
            while (j + 1 < m && cum < target) {
                j++;
                cum += vals[j].w;
            }
            f->q[g] = vals[j].v;
        }
        f->q[0] = vals[0].v;
        f->q[ENC_QUANTILES - 1] = vals[m - 1].v;
        f->has_stats = true;
    }
    vg_free(vals);
    return VG_OK;
}

/* Counts of one distinct value over the training rows. */
struct tally {
    struct vg_slice value;
    size_t rows;
    size_t last_row; /* + 1: the row last counted, so list items count once per row */
    double w, wpos;  /* weight of the rows that have it, and of those positive */
    double score;    /* the ranking key */
};

static int tally_cmp(const void *a, const void *b)
{
    const struct tally *x = a, *y = b;
    if (x->score != y->score) {
        return x->score > y->score ? -1 : 1;
    }
    if (x->rows != y->rows) {
        return x->rows > y->rows ? -1 : 1;
    }
    size_t n = x->value.len < y->value.len ? x->value.len : y->value.len;
    int c = memcmp(x->value.ptr, y->value.ptr, n);
    if (c != 0) {
        return c;
    }
    return x->value.len < y->value.len ? -1 : x->value.len > y->value.len ? 1 : 0;
}

struct tallies {
    struct vg_map index; /* value -> position in t */
    struct tally *t;
    size_t n, cap;
};

static enum vg_status
tally_add(struct tallies *ts, struct vg_slice value, size_t row, double w, bool positive)
{
    uint64_t pos = 0;
    if (!vg_map_get(&ts->index, value.ptr, value.len, &pos)) {
        struct tally *grown = vg_grow(ts->t, &ts->cap, ts->n + 1, sizeof(*ts->t));
        if (grown == NULL) {
            return VG_ENOMEM;
        }
        ts->t = grown;
        pos = ts->n;
        enum vg_status st = vg_map_put(&ts->index, value.ptr, value.len, pos, NULL, NULL);
        if (st != VG_OK) {
            return st;
        }
        memset(&ts->t[pos], 0, sizeof(ts->t[pos]));
        ts->t[pos].value = value;
        ts->n++;
    }
    struct tally *t = &ts->t[pos];
    if (t->last_row == row + 1) {
        return VG_OK;
    }
    t->last_row = row + 1;
    t->rows++;
    t->w += w;
    if (positive) {
        t->wpos += w;
    }
    return VG_OK;
}

/* Mutual information (nats) between "has the item" and the label, from weighted counts. */
static double mutual_information(double w_item, double wpos_item, double w_all, double wpos_all)
{
    if (w_all <= 0) {
        return 0;
    }
    double cells[4] = { wpos_item, w_item - wpos_item, wpos_all - wpos_item,
                        (w_all - wpos_all) - (w_item - wpos_item) };
    double rows[2] = { w_item, w_all - w_item };
    double cols[2] = { wpos_all, w_all - wpos_all };
    double mi = 0;
    for (int r = 0; r < 2; r++) {
        for (int c = 0; c < 2; c++) {
            double pxy = cells[r * 2 + c] / w_all;
            double px = rows[r] / w_all, py = cols[c] / w_all;
            if (pxy > 0 && px > 0 && py > 0) {
                mi += pxy * log(pxy / (px * py));
            }
        }
    }
    return mi > 0 ? mi : 0;
}

/* Dictionary of a string feature, or members of a list feature. */
static enum vg_status learn_values(struct enc *enc,
                                   struct enc_feature *f,
                                   const struct vg_model_example *ex,
                                   const size_t *rows,
                                   size_t n,
                                   const double *weights,
                                   const struct vg_model_options *opts)
{
    struct tallies ts = { 0 };
    vg_map_init(&ts.index);
    enum vg_status st = VG_OK;
    double w_all = 0, wpos_all = 0;
    for (size_t k = 0; k < n && st == VG_OK; k++) {
        const struct vg_model_example *e = &ex[rows[k]];
        const struct vg_value *v = &e->record[f->index];
        if (vg__value_unknown(v, f->type)) {
            continue;
        }
        double w = weights[rows[k]];
        w_all += w;
        wpos_all += e->positive ? w : 0;
        if (f->type == VG_FEATURE_STRING) {
            st = tally_add(&ts, v->as.string, k, w, e->positive);
        } else {
            for (size_t i = 0; i < v->as.list.count && st == VG_OK; i++) {
                st = tally_add(&ts, v->as.list.items[i], k, w, e->positive);
            }
        }
    }
    size_t keep = 0;
    for (size_t i = 0; i < ts.n && st == VG_OK; i++) {
        struct tally *t = &ts.t[i];
        if (t->rows < opts->min_category_rows || t->value.len > ENC_MAX_STRING ||
            !vg_utf8_valid(t->value.ptr, t->value.len)) {
            continue;
        }
        if (f->type == VG_FEATURE_STRING) {
            t->score = (double)t->rows;
        } else {
            t->score = mutual_information(t->w, t->wpos, w_all, wpos_all);
            if (!(t->score > 0)) {
                continue;
            }
        }
        ts.t[keep++] = *t;
    }
    struct vg_slice *vals = NULL;
    if (st == VG_OK && keep > 0) {
        qsort(ts.t, keep, sizeof(*ts.t), tally_cmp);
        size_t limit = f->type == VG_FEATURE_STRING ? opts->max_categories : opts->list_members;
        if (keep > limit) {
            keep = limit;
        }
        vals = vg_malloc(keep * sizeof(*vals));
        st = vals == NULL ? VG_ENOMEM : VG_OK;
        for (size_t i = 0; i < keep && st == VG_OK; i++) {
            vals[i] = ts.t[i].value;
        }
    }
    if (st == VG_OK) {
        st = set_values(enc, f, vals, vals == NULL ? 0 : keep);
    }
    vg_free(vals);
    vg_free(ts.t);
    vg_map_release(&ts.index);
    return st;
}

/* The typical value of f over the training rows (struct enc_feature): NaN when at least
 * min_rows rows had it unknown (enough to learn where unknowns go, like a category). After
 * the values are learned (string codes). */
static enum vg_status learn_typical(struct enc_feature *f,
                                    const struct vg_model_example *ex,
                                    const size_t *rows,
                                    size_t n,
                                    const double *weights,
                                    size_t min_rows)
{
    f->typical = NAN;
    size_t bins = f->type == VG_FEATURE_STRING ? f->nvalues + 1 : 64;
    double *w = vg_calloc(bins, sizeof(*w));
    if (w == NULL) {
        return VG_ENOMEM;
    }
    size_t unknowns = 0;
    for (size_t k = 0; k < n; k++) {
        const struct vg_value *v = &ex[rows[k]].record[f->index];
        uint64_t b = 0;
        if (vg__value_unknown(v, f->type)) {
            unknowns++;
            continue;
        }
        if (f->type == VG_FEATURE_NUMBER) {
            continue;
        }
        if (f->type == VG_FEATURE_BOOL) {
            b = v->as.boolean ? 1 : 0;
        } else if (f->type == VG_FEATURE_STRING) {
            if (f->nvalues == 0 ||
                !vg_map_get(&f->lookup, v->as.string.ptr, v->as.string.len, &b)) {
                b = ENC_OTHER;
            }
        } else {
            b = v->as.list.count < bins - 1 ? v->as.list.count : bins - 1;
        }
        w[b] += weights[rows[k]];
    }
    bool unknown = n == 0 || unknowns >= (min_rows > 0 ? min_rows : 1) || unknowns == n;
    if (!unknown && f->type == VG_FEATURE_NUMBER) {
        f->typical = f->has_stats ? f->q[6] : NAN; /* the 50% point of vg__enc_grid */
    } else if (!unknown) {
        size_t best = 0;
        for (size_t b = 1; b < bins; b++) {
            best = w[b] > w[best] ? b : best;
        }
        f->typical = (double)best;
    }
    vg_free(w);
    return VG_OK;
}

static void assign_columns(struct enc *enc)
{
    size_t col = 0;
    for (size_t i = 0; i < enc->nf; i++) {
        struct enc_feature *f = &enc->f[i];
        f->column = (uint32_t)col;
        f->ncols = f->type == VG_FEATURE_LIST ? 1 + (uint32_t)f->nvalues : 1;
        col += f->ncols;
    }
    enc->ncols = col;
}

enum vg_status vg__enc_build(struct enc *enc,
                             const struct vg_feature_schema *schema,
                             const struct vg_model_example *examples,
                             const size_t *rows,
                             size_t n,
                             const double *weights,
                             const struct vg_model_options *opts,
                             struct vg_error *err)
{
    memset(enc, 0, sizeof(*enc));
    vg_arena_init(&enc->arena, 0, 0);
    enc->f = vg_calloc(schema->count ? schema->count : 1, sizeof(*enc->f));
    if (enc->f == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory building the encoder");
    }
    enc->nf = schema->count;
    enum vg_status st = VG_OK;
    for (size_t i = 0; i < schema->count && st == VG_OK; i++) {
        const struct vg_feature_def *def = &schema->defs[i];
        struct enc_feature *f = &enc->f[i];
        vg_map_init(&f->lookup);
        f->index = (uint32_t)i;
        f->type = def->type;
        f->name = vg_arena_strndup(&enc->arena, def->name, strlen(def->name));
        if (f->name == NULL) {
            st = VG_ENOMEM;
            break;
        }
        switch (def->type) {
        case VG_FEATURE_NUMBER:
            st = number_stats(f, examples, rows, n, weights);
            break;
        case VG_FEATURE_STRING:
        case VG_FEATURE_LIST:
            st = learn_values(enc, f, examples, rows, n, weights, opts);
            break;
        case VG_FEATURE_BOOL:
            break;
        default:
            st = vg_error_set(err, VG_EINVAL, "feature %s has an unknown type %d", def->name,
                              (int)def->type);
            break;
        }
        if (st == VG_OK) {
            st = learn_typical(f, examples, rows, n, weights, opts->min_category_rows);
        }
    }
    if (st == VG_ENOMEM) {
        vg_error_set(err, VG_ENOMEM, "out of memory building the encoder");
    }
    if (st != VG_OK) {
        vg__enc_release(enc);
        return st;
    }
    assign_columns(enc);
    return VG_OK;
}

/* ---- encoding -------------------------------------------------------------------------- */

static float clamp_float(double x)
{
    if (x > FLT_MAX) {
        return FLT_MAX;
    }
    if (x < -FLT_MAX) {
        return -FLT_MAX;
    }
    return (float)x;
}

void vg__enc_row(const struct enc *enc, const struct vg_value *record, float *out)
{
    for (size_t i = 0; i < enc->nf; i++) {
        const struct enc_feature *f = &enc->f[i];
        float *c = out + f->column;
        const struct vg_value *v = f->index == ENC_ABSENT ? NULL : &record[f->index];
        if (v == NULL || vg__value_unknown(v, f->type)) {
            bool typical = !isnan(f->typical);
            c[0] = typical ? (float)f->typical : NAN;
            for (uint32_t k = 1; k < f->ncols; k++) {
                c[k] = typical ? 0.0f : NAN;
            }
            continue;
        }
        uint64_t code = ENC_OTHER;
        switch (f->type) {
        case VG_FEATURE_NUMBER:
            c[0] = clamp_float(v->as.number);
            break;
        case VG_FEATURE_BOOL:
            c[0] = v->as.boolean ? 1.0f : 0.0f;
            break;
        case VG_FEATURE_STRING:
            if (f->nvalues > 0) {
                vg_map_get(&f->lookup, v->as.string.ptr, v->as.string.len, &code);
            }
            c[0] = (float)code;
            break;
        case VG_FEATURE_LIST:
            c[0] = clamp_float((double)v->as.list.count);
            for (uint32_t k = 1; k < f->ncols; k++) {
                c[k] = 0.0f;
            }
            for (size_t j = 0; j < v->as.list.count && f->nvalues > 0; j++) {
                const struct vg_slice *it = &v->as.list.items[j];
                if (vg_map_get(&f->lookup, it->ptr, it->len, &code)) {
                    c[code] = 1.0f;
                }
            }
            break;
        }
    }
}

void vg__enc_rows(
    const struct enc *enc, const struct vg_value *records, size_t nvalues, size_t n, float *out)
{
    for (size_t r = 0; r < n; r++) {
        vg__enc_row(enc, records + r * nvalues, out + r * enc->ncols);
    }
}

double vg__enc_rank(const struct enc_feature *f, double x)
{
    const double *q = f->q;
    if (x < q[0]) {
        return 0;
    }
    if (x > q[ENC_QUANTILES - 1]) {
        return 100;
    }
    /* The span of grid points equal to x counts half way (ties). */
    size_t lo = 0;
    while (lo < ENC_QUANTILES && q[lo] < x) {
        lo++;
    }
    size_t hi = lo;
    while (hi < ENC_QUANTILES && q[hi] == x) {
        hi++;
    }
    if (hi > lo) {
        return (vg__enc_grid[lo] + vg__enc_grid[hi - 1]) / 2;
    }
    /* q[lo - 1] < x < q[lo] */
    double a = q[lo - 1], b = q[lo];
    double t = (x - a) / (b - a);
    return vg__enc_grid[lo - 1] + t * (vg__enc_grid[lo] - vg__enc_grid[lo - 1]);
}

/* ---- JSON ------------------------------------------------------------------------------ */

json_t *vg__enc_to_json(const struct enc *enc)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < enc->nf; i++) {
        const struct enc_feature *f = &enc->f[i];
        json_t *o = json_pack("{s:s, s:s}", "name", f->name, "type", type_name(f->type));
        if (o == NULL || json_array_append_new(arr, o) != 0 ||
            (!isnan(f->typical) && json_object_set_new(o, "typical", json_real(f->typical)) != 0)) {
            json_decref(arr);
            return NULL;
        }
        if (f->type == VG_FEATURE_NUMBER && f->has_stats) {
            json_t *q = json_array();
            for (size_t g = 0; q != NULL && g < ENC_QUANTILES; g++) {
                if (json_array_append_new(q, json_real(f->q[g])) != 0) {
                    json_decref(q);
                    q = NULL;
                }
            }
            if (q == NULL || json_object_set_new(o, "quantiles", q) != 0) {
                json_decref(arr);
                return NULL;
            }
        }
        if (f->type == VG_FEATURE_STRING || f->type == VG_FEATURE_LIST) {
            json_t *vals = json_array();
            for (size_t k = 0; vals != NULL && k < f->nvalues; k++) {
                if (json_array_append_new(vals, json_stringn(f->slices[k].ptr, f->slices[k].len)) !=
                    0) {
                    json_decref(vals);
                    vals = NULL;
                }
            }
            const char *key = f->type == VG_FEATURE_STRING ? "categories" : "members";
            if (vals == NULL || json_object_set_new(o, key, vals) != 0) {
                json_decref(arr);
                return NULL;
            }
        }
    }
    return arr;
}

static enum vg_status bad(struct vg_error *err, size_t i, const char *what)
{
    return vg_error_set(err, VG_EPARSE, "model header: feature %zu: %s", i + 1, what);
}

static enum vg_status feature_from_json(struct enc *enc,
                                        struct enc_feature *f,
                                        size_t i,
                                        const json_t *o,
                                        const struct vg_feature_schema *schema,
                                        struct vg_error *err)
{
    const json_t *name = json_object_get(o, "name");
    const json_t *type = json_object_get(o, "type");
    if (!json_is_string(name) || json_string_length(name) == 0 ||
        json_string_length(name) > ENC_MAX_STRING ||
        strlen(json_string_value(name)) != json_string_length(name) || !json_is_string(type)) {
        return bad(err, i, "expected a name and a type");
    }
    if (!type_parse(json_string_value(type), &f->type)) {
        return bad(err, i, "unknown type");
    }
    f->name = vg_arena_strndup(&enc->arena, json_string_value(name), json_string_length(name));
    if (f->name == NULL) {
        return VG_ENOMEM;
    }
    size_t idx = 0;
    f->index = ENC_ABSENT;
    if (vg_feature_find(schema, vg_slice_make(f->name, json_string_length(name)), &idx)) {
        if (schema->defs[idx].type != f->type) {
            return vg_error_set(err, VG_EINVAL,
                                "feature %s is a %s in the model but a %s in the schema", f->name,
                                type_name(f->type), type_name(schema->defs[idx].type));
        }
        f->index = (uint32_t)idx;
    }
    /* Models saved before "typical" existed leave every unknown missing. */
    const json_t *typ = json_object_get(o, "typical");
    f->typical = NAN;
    if (typ != NULL) {
        double x = json_is_number(typ) ? json_number_value(typ) : NAN;
        if (!isfinite(x) || (f->type != VG_FEATURE_NUMBER && (x < 0 || x != floor(x) || x > 1e6)) ||
            (f->type == VG_FEATURE_BOOL && x > 1)) {
            return bad(err, i, "typical must be a finite number (a code or count for others)");
        }
        f->typical = json_number_value(typ);
    }
    const json_t *q = json_object_get(o, "quantiles");
    if (q != NULL) {
        if (f->type != VG_FEATURE_NUMBER || !json_is_array(q) ||
            json_array_size(q) != ENC_QUANTILES) {
            return bad(err, i, "quantiles must be 13 numbers of a number feature");
        }
        for (size_t g = 0; g < ENC_QUANTILES; g++) {
            const json_t *x = json_array_get(q, g);
            if (!json_is_number(x) || !isfinite(json_number_value(x)) ||
                (g > 0 && json_number_value(x) < f->q[g - 1])) {
                return bad(err, i, "quantiles must be finite and ascending");
            }
            f->q[g] = json_number_value(x);
        }
        f->has_stats = true;
    }
    const char *key = f->type == VG_FEATURE_STRING ? "categories"
                      : f->type == VG_FEATURE_LIST ? "members"
                                                   : NULL;
    const json_t *vals = key == NULL ? NULL : json_object_get(o, key);
    if (key == NULL) {
        return (json_object_get(o, "categories") || json_object_get(o, "members"))
                   ? bad(err, i, "only strings and lists have values")
                   : VG_OK;
    }
    if (!json_is_array(vals) || json_array_size(vals) > ENC_MAX_VALUES) {
        return bad(err, i, "expected an array of values");
    }
    size_t n = json_array_size(vals);
    struct vg_slice *s = vg_malloc((n ? n : 1) * sizeof(*s));
    if (s == NULL) {
        return VG_ENOMEM;
    }
    for (size_t k = 0; k < n; k++) {
        const json_t *v = json_array_get(vals, k);
        if (!json_is_string(v) || json_string_length(v) > ENC_MAX_STRING) {
            vg_free(s);
            return bad(err, i, "values must be strings");
        }
        s[k] = vg_slice_make(json_string_value(v), json_string_length(v));
    }
    enum vg_status st = set_values(enc, f, s, n);
    vg_free(s);
    if (st == VG_OK && f->type == VG_FEATURE_STRING && f->typical > (double)f->nvalues) {
        return bad(err, i, "typical is not a code of the categories");
    }
    return st == VG_EPARSE ? bad(err, i, "a value is listed twice") : st;
}

enum vg_status vg__enc_from_json(struct enc *enc,
                                 const json_t *j,
                                 const struct vg_feature_schema *schema,
                                 struct vg_error *err)
{
    memset(enc, 0, sizeof(*enc));
    vg_arena_init(&enc->arena, 0, 0);
    if (!json_is_array(j) || json_array_size(j) == 0 || json_array_size(j) > ENC_MAX_FEATURES) {
        return vg_error_set(err, VG_EPARSE, "model header: expected an array of features");
    }
    size_t n = json_array_size(j);
    enc->f = vg_calloc(n, sizeof(*enc->f));
    if (enc->f == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory loading the encoder");
    }
    enum vg_status st = VG_OK;
    size_t cols = 0;
    for (size_t i = 0; i < n && st == VG_OK; i++) {
        vg_map_init(&enc->f[i].lookup);
        enc->nf = i + 1;
        const json_t *o = json_array_get(j, i);
        if (!json_is_object(o)) {
            st = bad(err, i, "expected an object");
            break;
        }
        st = feature_from_json(enc, &enc->f[i], i, o, schema, err);
        cols += enc->f[i].type == VG_FEATURE_LIST ? 1 + enc->f[i].nvalues : 1;
        if (st == VG_OK && cols > ENC_MAX_COLUMNS) {
            st = bad(err, i, "too many columns");
        }
        for (size_t k = 0; k < i && st == VG_OK; k++) {
            if (strcmp(enc->f[k].name, enc->f[i].name) == 0) {
                st = bad(err, i, "a feature is listed twice");
            }
        }
    }
    if (st == VG_ENOMEM) {
        vg_error_set(err, VG_ENOMEM, "out of memory loading the encoder");
    }
    if (st != VG_OK) {
        vg__enc_release(enc);
        return st;
    }
    assign_columns(enc);
    return VG_OK;
}
