/*
 * Exact TreeSHAP contributions for shallow trees, by table lookup (docs/model.md, "Costs").
 *
 * Path-dependent TreeSHAP (Lundberg et al. 2020) gives each leaf l of a tree, for every
 * feature j among the k distinct features on its path, the share
 *
 *   phi_j += v_l (o_j - z_j) sum_{S subset of U \ {j}} |S|! (k - |S| - 1)! / k!
 *                                  prod_{i in S} o_i  prod_{i in U \ S \ {j}} z_i
 *
 * where U is the set of the path's features, z_i the product of the cover fractions
 * (child cover / parent cover) of the path's splits on feature i, and o_i is 1 when the
 * row goes the path's way at every split on feature i, else 0. The row enters only
 * through the k bits o_i, so each leaf's shares can be tabulated once for its 2^k bit
 * patterns. Scoring a row is then: decide each split of the tree once, form each leaf's
 * pattern from the decisions on its path, and add k table entries. That is what XGBoost
 * computes with its recursive algorithm (the tests compare both to 1e-4), about ten
 * times faster for the depths vigia uses. Trees deeper than SHAP_MAX_DEPTH (tables grow
 * as 4^depth) are left to XGBoost.
 *
 * The trees come from XGBoost's own JSON dump of the booster: split column, threshold
 * (numbers go left when value < threshold), category set (categories in the set go
 * right), default direction for missing values, cover (sum_hessian), leaf values.
 */
#include "model/model_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>

#define SHAP_MAX_DEPTH 6
#define SHAP_MAX_TABLE (64u << 20) /* floats over all tables */
#define SHAP_MAX_NODES 1024        /* per tree, deleted nodes included */

struct shap_leaf {
    uint8_t k;                     /* distinct features on the path */
    uint8_t nedges;                /* splits on the path */
    uint16_t node[SHAP_MAX_DEPTH]; /* the split nodes */
    uint8_t left[SHAP_MAX_DEPTH];  /* the path goes left at that node */
    uint8_t u[SHAP_MAX_DEPTH];     /* which distinct feature the split reads */
    uint32_t slot[SHAP_MAX_DEPTH]; /* the contribution slot of distinct feature u */
    uint32_t table;                /* offset of 2^k * k floats */
};

struct shap_tree {
    uint32_t nnodes;
    uint32_t nleaves;
    int32_t *left; /* -1 for leaves */
    int32_t *right;
    uint32_t *column;
    float *cond;
    uint8_t *default_left;
    uint32_t *cat_off;   /* categorical splits: bitset words in shap.cats, else 0 */
    uint32_t *cat_words; /* words of the bitset, 0 for numerical splits */
    struct shap_leaf *leaves;
};

struct vg__shap {
    struct shap_tree *trees;
    size_t ntrees;
    float *tables;
    size_t ntables, tables_cap;
    uint32_t *cats;
    size_t ncats, cats_cap;
    double bias; /* base margin + expected value of every tree */
    struct vg_arena arena;
};

void vg__shap_free(struct vg__shap *s)
{
    if (s == NULL) {
        return;
    }
    vg_free(s->tables);
    vg_free(s->cats);
    vg_arena_release(&s->arena);
    vg_free(s);
}

/* ---- reading the dump -------------------------------------------------------------------- */

/* XGBoost writes NaN and Infinity as bare words, which strict JSON refuses: they become
 * null (outside strings). The caller frees the copy with vg_free. */
static char *strict_json(const char *text, size_t len, size_t *out_len)
{
    char *o = vg_malloc(len + len / 3 + 16);
    if (o == NULL) {
        return NULL;
    }
    size_t n = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            o[n++] = c;
            if (c == '\\' && i + 1 < len) {
                o[n++] = text[++i];
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        }
        static const char *const words[] = { "-Infinity", "Infinity", "NaN" };
        bool replaced = false;
        for (size_t w = 0; w < 3 && !replaced; w++) {
            size_t wl = strlen(words[w]);
            if (len - i >= wl && memcmp(text + i, words[w], wl) == 0) {
                memcpy(o + n, "null", 4);
                n += 4;
                i += wl - 1;
                replaced = true;
            }
        }
        if (!replaced) {
            o[n++] = c;
        }
    }
    *out_len = n;
    return o;
}

static bool int_array(const json_t *a, size_t n)
{
    return json_is_array(a) && json_array_size(a) == n;
}

static double num_at(const json_t *a, size_t i)
{
    const json_t *x = json_array_get(a, i);
    return json_is_number(x) ? json_number_value(x) : NAN;
}

static long long int_at(const json_t *a, size_t i)
{
    const json_t *x = json_array_get(a, i);
    if (json_is_integer(x)) {
        return (long long)json_integer_value(x);
    }
    if (json_is_boolean(x)) {
        return json_is_true(x);
    }
    return -2;
}

/* Fills the categorical splits of tree t from the dump: bitsets appended to s->cats. */
static enum vg_status read_categories(struct vg__shap *s, struct shap_tree *t, const json_t *jt)
{
    const json_t *cats = json_object_get(jt, "categories");
    const json_t *nodes = json_object_get(jt, "categories_nodes");
    const json_t *segs = json_object_get(jt, "categories_segments");
    const json_t *sizes = json_object_get(jt, "categories_sizes");
    size_t nn = json_array_size(nodes);
    if (nn == 0) {
        return VG_OK;
    }
    if (!json_is_array(cats) || !int_array(segs, nn) || !int_array(sizes, nn)) {
        return VG_EPARSE;
    }
    for (size_t i = 0; i < nn; i++) {
        long long node = int_at(nodes, i), beg = int_at(segs, i), size = int_at(sizes, i);
        if (node < 0 || (size_t)node >= t->nnodes || beg < 0 || size < 0 ||
            (size_t)(beg + size) > json_array_size(cats)) {
            return VG_EPARSE;
        }
        long long maxcat = -1;
        for (long long k = 0; k < size; k++) {
            long long c = int_at(cats, (size_t)(beg + k));
            if (c < 0 || c > 1000000) {
                return VG_EPARSE;
            }
            maxcat = c > maxcat ? c : maxcat;
        }
        size_t words = (size_t)(maxcat + 32) / 32;
        uint32_t *grown = vg_grow(s->cats, &s->cats_cap, s->ncats + words, sizeof(uint32_t));
        if (grown == NULL) {
            return VG_ENOMEM;
        }
        s->cats = grown;
        memset(s->cats + s->ncats, 0, words * sizeof(uint32_t));
        for (long long k = 0; k < size; k++) {
            long long c = int_at(cats, (size_t)(beg + k));
            s->cats[s->ncats + (size_t)c / 32] |= 1u << (c % 32);
        }
        t->cat_off[node] = (uint32_t)s->ncats;
        t->cat_words[node] = (uint32_t)words;
        s->ncats += words;
    }
    return VG_OK;
}

static enum vg_status read_tree(struct vg__shap *s,
                                struct shap_tree *t,
                                const json_t *jt,
                                size_t ncols,
                                const float **cover_out)
{
    const json_t *left = json_object_get(jt, "left_children");
    const json_t *right = json_object_get(jt, "right_children");
    const json_t *split = json_object_get(jt, "split_indices");
    const json_t *cond = json_object_get(jt, "split_conditions");
    const json_t *dleft = json_object_get(jt, "default_left");
    const json_t *type = json_object_get(jt, "split_type");
    const json_t *hess = json_object_get(jt, "sum_hessian");
    size_t n = json_array_size(left);
    if (n == 0 || n > SHAP_MAX_NODES || !int_array(right, n) || !int_array(split, n) ||
        !int_array(cond, n) || !int_array(dleft, n) || !int_array(hess, n) ||
        (type != NULL && !int_array(type, n))) {
        return VG_EPARSE;
    }
    t->nnodes = (uint32_t)n;
    t->left = vg_arena_alloc(&s->arena, n * sizeof(int32_t));
    t->right = vg_arena_alloc(&s->arena, n * sizeof(int32_t));
    t->column = vg_arena_alloc(&s->arena, n * sizeof(uint32_t));
    t->cond = vg_arena_alloc(&s->arena, n * sizeof(float));
    t->default_left = vg_arena_alloc(&s->arena, n);
    t->cat_off = vg_arena_calloc(&s->arena, n, sizeof(uint32_t));
    t->cat_words = vg_arena_calloc(&s->arena, n, sizeof(uint32_t));
    float *cover = vg_arena_alloc(&s->arena, n * sizeof(float));
    if (t->left == NULL || t->right == NULL || t->column == NULL || t->cond == NULL ||
        t->default_left == NULL || t->cat_off == NULL || t->cat_words == NULL || cover == NULL) {
        return VG_ENOMEM;
    }
    size_t leaves = 0;
    for (size_t i = 0; i < n; i++) {
        long long l = int_at(left, i), r = int_at(right, i), c = int_at(split, i);
        bool leaf = l == -1;
        if ((leaf && r != -1) ||
            (!leaf && (l <= (long long)i || r <= (long long)i || l >= (long long)n ||
                       r >= (long long)n || c < 0 || (size_t)c >= ncols))) {
            return VG_EPARSE;
        }
        t->left[i] = (int32_t)l;
        t->right[i] = (int32_t)r;
        t->column[i] = leaf ? 0 : (uint32_t)c;
        double x = num_at(cond, i);
        bool categorical = type != NULL && int_at(type, i) == 1;
        if ((leaf || !categorical) && !isfinite(x)) {
            return VG_EPARSE;
        }
        t->cond[i] = (float)x;
        t->default_left[i] = int_at(dleft, i) == 1;
        cover[i] = (float)num_at(hess, i);
        if (!(cover[i] >= 0)) {
            return VG_EPARSE;
        }
        leaves += leaf;
    }
    t->nleaves = (uint32_t)leaves;
    *cover_out = cover;
    return read_categories(s, t, jt);
}

/* ---- tables ------------------------------------------------------------------------------ */

/* Shapley weight |S|! (k - |S| - 1)! / k!. */
static double shapley_weight(unsigned s, unsigned k)
{
    /* (k - 1)! / (k - s - 1)! = prod_{i=1..s} (k - s - 1 + i) */
    double w = 1.0 / k;
    for (unsigned i = 1; i <= s; i++) {
        w *= (double)i / (double)(k - s - 1 + i);
    }
    return w;
}

/* The leaf's shares for every pattern: table[p * k + u]. */
static void fill_table(float *table, unsigned k, const double *z, double v)
{
    for (unsigned p = 0; p < (1u << k); p++) {
        for (unsigned u = 0; u < k; u++) {
            /* coefficients of prod_{i != u} (z_i + o_i t) */
            double e[SHAP_MAX_DEPTH + 1] = { 1 };
            unsigned deg = 0;
            for (unsigned i = 0; i < k; i++) {
                if (i == u) {
                    continue;
                }
                double o = (p >> i) & 1u;
                for (unsigned d = deg + 1; d > 0; d--) {
                    e[d] = e[d] * z[i] + e[d - 1] * o;
                }
                e[0] *= z[i];
                deg++;
            }
            double sum = 0;
            for (unsigned sz = 0; sz <= deg; sz++) {
                sum += shapley_weight(sz, k) * e[sz];
            }
            double ou = (p >> u) & 1u;
            table[p * k + u] = (float)(v * (ou - z[u]) * sum);
        }
    }
}

struct walk {
    struct vg__shap *s;
    struct shap_tree *t;
    const float *cover;
    const uint32_t *col_feature;
    uint32_t bias_slot;
    size_t leaf;
    /* the current path */
    unsigned depth;
    uint16_t node[SHAP_MAX_DEPTH];
    uint8_t left[SHAP_MAX_DEPTH];
    double expected;
};

static enum vg_status add_leaf(struct walk *w, uint32_t id)
{
    struct shap_leaf *lf = &w->t->leaves[w->leaf++];
    memset(lf, 0, sizeof(*lf));
    lf->nedges = (uint8_t)w->depth;
    uint32_t cols[SHAP_MAX_DEPTH];
    double z[SHAP_MAX_DEPTH];
    double reach = 1;
    for (unsigned e = 0; e < w->depth; e++) {
        uint16_t nd = w->node[e];
        uint32_t col = w->t->column[nd];
        int32_t child = w->left[e] ? w->t->left[nd] : w->t->right[nd];
        double frac = w->cover[nd] > 0 ? (double)w->cover[child] / (double)w->cover[nd] : 0;
        reach *= frac;
        unsigned u = 0;
        while (u < lf->k && cols[u] != col) {
            u++;
        }
        if (u == lf->k) {
            cols[u] = col;
            z[u] = 1;
            lf->slot[u] = w->col_feature[col] == ENC_ABSENT ? w->bias_slot : w->col_feature[col];
            lf->k++;
        }
        z[u] *= frac;
        lf->node[e] = nd;
        lf->left[e] = w->left[e];
        lf->u[e] = (uint8_t)u;
    }
    double v = w->t->cond[id];
    w->expected += v * reach;
    size_t need = ((size_t)1 << lf->k) * lf->k;
    if (w->s->ntables + need > SHAP_MAX_TABLE) {
        return VG_ELIMIT;
    }
    lf->table = (uint32_t)w->s->ntables;
    if (need > 0) {
        float *grown =
            vg_grow(w->s->tables, &w->s->tables_cap, w->s->ntables + need, sizeof(float));
        if (grown == NULL) {
            return VG_ENOMEM;
        }
        w->s->tables = grown;
        fill_table(w->s->tables + w->s->ntables, lf->k, z, v);
        w->s->ntables += need;
    }
    return VG_OK;
}

static enum vg_status walk_tree(struct walk *w, uint32_t id)
{
    if (w->t->left[id] == -1) {
        return add_leaf(w, id);
    }
    if (w->depth >= SHAP_MAX_DEPTH) {
        return VG_EUNSUPPORTED;
    }
    w->node[w->depth] = (uint16_t)id;
    for (int side = 1; side >= 0; side--) {
        w->left[w->depth] = (uint8_t)side;
        w->depth++;
        enum vg_status st = walk_tree(w, (uint32_t)(side ? w->t->left[id] : w->t->right[id]));
        w->depth--;
        if (st != VG_OK) {
            return st;
        }
    }
    return VG_OK;
}

/* ---- building ------------------------------------------------------------------------- */

static enum vg_status build(struct vg__shap *s,
                            const json_t *root,
                            size_t ncols,
                            const uint32_t *col_feature,
                            uint32_t bias_slot)
{
    const json_t *learner = json_object_get(root, "learner");
    const json_t *gb = json_object_get(learner, "gradient_booster");
    const json_t *name = json_object_get(gb, "name");
    const json_t *trees = json_object_get(json_object_get(gb, "model"), "trees");
    const json_t *param = json_object_get(learner, "learner_model_param");
    const json_t *base = json_object_get(param, "base_score");
    const json_t *obj = json_object_get(json_object_get(learner, "objective"), "name");
    if (!json_is_string(name) || strcmp(json_string_value(name), "gbtree") != 0 ||
        !json_is_string(obj) || strcmp(json_string_value(obj), "binary:logistic") != 0) {
        return VG_EUNSUPPORTED;
    }
    if (!json_is_array(trees) || !json_is_string(base)) {
        return VG_EPARSE;
    }
    double bs = strtod(json_string_value(base), NULL);
    if (!(bs > 0 && bs < 1)) {
        return VG_EPARSE;
    }
    s->bias = log(bs / (1 - bs));
    s->ntrees = json_array_size(trees);
    s->trees = vg_arena_calloc(&s->arena, s->ntrees ? s->ntrees : 1, sizeof(*s->trees));
    if (s->trees == NULL) {
        return VG_ENOMEM;
    }
    for (size_t i = 0; i < s->ntrees; i++) {
        struct shap_tree *t = &s->trees[i];
        const float *cover = NULL;
        enum vg_status st = read_tree(s, t, json_array_get(trees, i), ncols, &cover);
        if (st != VG_OK) {
            return st;
        }
        t->leaves = vg_arena_calloc(&s->arena, t->nleaves, sizeof(*t->leaves));
        if (t->leaves == NULL) {
            return VG_ENOMEM;
        }
        struct walk w = {
            .s = s, .t = t, .cover = cover, .col_feature = col_feature, .bias_slot = bias_slot
        };
        st = walk_tree(&w, 0);
        if (st != VG_OK) {
            return st;
        }
        t->nleaves = (uint32_t)w.leaf; /* deleted nodes are not reachable */
        s->bias += w.expected;
    }
    return VG_OK;
}

enum vg_status vg__shap_build(BoosterHandle booster,
                              size_t ncols,
                              const uint32_t *col_feature,
                              uint32_t bias_slot,
                              struct vg__shap **out)
{
    *out = NULL;
    bst_ulong len = 0;
    const char *text = NULL;
    if (XGBoosterSaveModelToBuffer(booster, "{\"format\":\"json\"}", &len, &text) != 0) {
        return VG_EINVAL;
    }
    size_t slen = 0;
    char *strict = strict_json(text, (size_t)len, &slen);
    if (strict == NULL) {
        return VG_ENOMEM;
    }
    json_error_t jerr;
    json_t *root = json_loadb(strict, slen, 0, &jerr);
    vg_free(strict);
    if (root == NULL) {
        return VG_EPARSE;
    }
    struct vg__shap *s = vg_calloc(1, sizeof(*s));
    if (s == NULL) {
        json_decref(root);
        return VG_ENOMEM;
    }
    vg_arena_init(&s->arena, 0, 0);
    enum vg_status st = build(s, root, ncols, col_feature, bias_slot);
    json_decref(root);
    if (st != VG_OK) {
        vg__shap_free(s);
        return st;
    }
    *out = s;
    return VG_OK;
}

/* ---- scoring ------------------------------------------------------------------------------ */

static bool
goes_left(const struct vg__shap *s, const struct shap_tree *t, uint32_t node, const float *x)
{
    float f = x[t->column[node]];
    if (isnan(f)) {
        return t->default_left[node];
    }
    uint32_t words = t->cat_words[node];
    if (words == 0) {
        return f < t->cond[node];
    }
    /* Categorical: categories in the set go right; anything else (negative, too large,
     * not in the set) goes left, as XGBoost decides. */
    if (!(f >= 0) || f >= (float)(words * 32)) {
        return true;
    }
    uint32_t c = (uint32_t)f;
    return !((s->cats[t->cat_off[node] + c / 32] >> (c % 32)) & 1u);
}

void vg__shap_row(const struct vg__shap *s, const float *x, double *phi)
{
    uint8_t left[SHAP_MAX_NODES];
    for (size_t ti = 0; ti < s->ntrees; ti++) {
        const struct shap_tree *t = &s->trees[ti];
        for (uint32_t nd = 0; nd < t->nnodes; nd++) {
            left[nd] = t->left[nd] != -1 && goes_left(s, t, nd, x);
        }
        for (uint32_t l = 0; l < t->nleaves; l++) {
            const struct shap_leaf *lf = &t->leaves[l];
            unsigned p = (1u << lf->k) - 1;
            for (unsigned e = 0; e < lf->nedges; e++) {
                if (left[lf->node[e]] != lf->left[e]) {
                    p &= ~(1u << lf->u[e]);
                }
            }
            const float *row = s->tables + lf->table + (size_t)p * lf->k;
            for (unsigned u = 0; u < lf->k; u++) {
                phi[lf->slot[u]] += row[u];
            }
        }
    }
}

double vg__shap_bias(const struct vg__shap *s)
{
    return s->bias;
}

size_t vg__shap_categorical_words(const struct vg__shap *s)
{
    return s->ncats;
}
