/*
 * Rule evaluation (vigia/rules.h): a walk over the resolved, type-checked expression
 * trees of parse.c with Kleene's three-valued logic. Unknown comes from a feature value
 * that is unknown, of the wrong kind or NaN, and from arithmetic without a result
 * (division by zero); it propagates through comparisons and arithmetic, and `and` / `or`
 * decide whenever one side decides: false and unknown = false, true or unknown = true.
 *
 * Nothing here allocates, writes shared state or recurses deeper than VG_RULES_MAX_DEPTH,
 * which the compiler enforces.
 */
#include "rules/rules_int.h"

#include <math.h>
#include <string.h>

#include <vigia/time.h>

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

int vg__rules_strcmp_ci(struct vg_slice a, struct vg_slice b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    for (size_t i = 0; i < n; i++) {
        unsigned char x = lower((unsigned char)a.ptr[i]), y = lower((unsigned char)b.ptr[i]);
        if (x != y) {
            return x < y ? -1 : 1;
        }
    }
    return a.len < b.len ? -1 : a.len > b.len;
}

bool vg__rules_streq_ci(struct vg_slice a, struct vg_slice b)
{
    if (a.len != b.len) {
        return false;
    }
    for (size_t i = 0; i < a.len; i++) {
        if (lower((unsigned char)a.ptr[i]) != lower((unsigned char)b.ptr[i])) {
            return false;
        }
    }
    return true;
}

static bool starts_with_ci(struct vg_slice s, struct vg_slice prefix)
{
    return s.len >= prefix.len && vg__rules_streq_ci(vg_slice_make(s.ptr, prefix.len), prefix);
}

bool vg__rules_glob(struct vg_slice pat, struct vg_slice s)
{
    /* The classic linear backtracking matcher: remember the last '*' and where the text
     * stood, and on a mismatch let that star swallow one more byte. */
    size_t p = 0, i = 0, star = SIZE_MAX, mark = 0;
    while (i < s.len) {
        if (p < pat.len && pat.ptr[p] == '*') {
            star = p++;
            mark = i;
        } else if (p < pat.len &&
                   (pat.ptr[p] == '?' ||
                    lower((unsigned char)pat.ptr[p]) == lower((unsigned char)s.ptr[i]))) {
            p++;
            i++;
        } else if (star != SIZE_MAX) {
            p = star + 1;
            i = ++mark;
        } else {
            return false;
        }
    }
    while (p < pat.len && pat.ptr[p] == '*') {
        p++;
    }
    return p == pat.len;
}

/* ---- typed operands ------------------------------------------------------------------ */

static bool eval_num(const struct rx *n, const struct vg_value *rec, double *out);

static bool eval_str(const struct rx *n, const struct vg_value *rec, struct vg_slice *out)
{
    if (n->op == OP_CONST_STR) {
        *out = n->k.str;
        return true;
    }
    const struct vg_value *v = &rec[n->feat]; /* OP_FEAT: the only other string node */
    if (v->kind != VG_VALUE_STRING) {
        return false;
    }
    *out = v->as.string;
    return true;
}

static bool eval_list(uint32_t feat, const struct vg_value *rec, const struct vg_slice **items,
                      size_t *count)
{
    const struct vg_value *v = &rec[feat];
    if (v->kind != VG_VALUE_LIST) {
        return false;
    }
    *items = v->as.list.items;
    *count = v->as.list.count;
    return true;
}

static bool eval_num(const struct rx *n, const struct vg_value *rec, double *out)
{
    double a, b;
    switch (n->op) {
    case OP_CONST_NUM:
        *out = n->k.num;
        return true;
    case OP_FEAT: {
        const struct vg_value *v = &rec[n->feat];
        if (v->kind != VG_VALUE_NUMBER || isnan(v->as.number)) {
            return false;
        }
        *out = v->as.number;
        return true;
    }
    case OP_COUNT: {
        const struct vg_slice *items;
        size_t count;
        if (!eval_list(n->feat, rec, &items, &count)) {
            return false;
        }
        *out = (double)count;
        return true;
    }
    case OP_NEG:
        if (!eval_num(n->l, rec, &a)) {
            return false;
        }
        *out = -a;
        return true;
    case OP_ABS:
        if (!eval_num(n->l, rec, &a)) {
            return false;
        }
        *out = fabs(a);
        return true;
    case OP_ADD:
    case OP_SUB:
    case OP_MUL:
    case OP_DIV:
        if (!eval_num(n->l, rec, &a) || !eval_num(n->r, rec, &b)) {
            return false;
        }
        if (n->op == OP_DIV && b == 0) {
            return false;
        }
        *out = n->op == OP_ADD ? a + b : n->op == OP_SUB ? a - b : n->op == OP_MUL ? a * b : a / b;
        return !isnan(*out);
    }
    return false;
}

/* ---- sets ---------------------------------------------------------------------------- */

static bool str_in_sorted(const struct rset *s, struct vg_slice x)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = vg__rules_strcmp_ci(s->strs[mid], x);
        if (c == 0) {
            return true;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return false;
}

static bool num_in_sorted(const struct rset *s, double x)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->nums[mid] == x) {
            return true;
        }
        if (s->nums[mid] < x) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return false;
}

/* Is x in the set? Unknown only when the set is a list feature whose value is unknown. */
static enum tri str_in_set(const struct rset *s, struct vg_slice x, const struct vg_value *rec)
{
    switch (s->kind) {
    case SET_STR:
        return str_in_sorted(s, x) ? TRI_T : TRI_F;
    case SET_PREFIX:
        for (size_t i = 0; i < s->n; i++) {
            if (starts_with_ci(x, s->strs[i])) {
                return TRI_T;
            }
        }
        return TRI_F;
    case SET_GLOB:
        for (size_t i = 0; i < s->n; i++) {
            if (vg__rules_glob(s->strs[i], x)) {
                return TRI_T;
            }
        }
        return TRI_F;
    case SET_FEAT: {
        const struct vg_slice *items;
        size_t count;
        if (!eval_list(s->feat, rec, &items, &count)) {
            return TRI_U;
        }
        for (size_t i = 0; i < count; i++) {
            if (vg__rules_streq_ci(items[i], x)) {
                return TRI_T;
            }
        }
        return TRI_F;
    }
    case SET_NUM:
        break;
    }
    return TRI_F;
}

/* l in set / l matches set, for a number, a string or (any item of) a list. */
static enum tri eval_member(const struct rx *n, const struct vg_value *rec)
{
    const struct rset *s = n->set;
    const struct rx *l = n->l;
    if (l->type == TY_NUM) {
        double x;
        if (!eval_num(l, rec, &x)) {
            return TRI_U;
        }
        return num_in_sorted(s, x) ? TRI_T : TRI_F;
    }
    if (l->type == TY_STR) {
        struct vg_slice x;
        if (!eval_str(l, rec, &x)) {
            return TRI_U;
        }
        return str_in_set(s, x, rec);
    }
    const struct vg_slice *items;
    size_t count;
    if (!eval_list(l->feat, rec, &items, &count)) {
        return TRI_U;
    }
    if (s->kind == SET_FEAT) {
        const struct vg_slice *dummy;
        size_t dummy_n;
        if (!eval_list(s->feat, rec, &dummy, &dummy_n)) {
            return TRI_U;
        }
    }
    for (size_t i = 0; i < count; i++) {
        if (str_in_set(s, items[i], rec) == TRI_T) {
            return TRI_T;
        }
    }
    return TRI_F;
}

static enum tri compare_num(uint8_t cmp, double a, double b)
{
    bool r;
    switch (cmp) {
    case CMP_EQ:
        r = a == b;
        break;
    case CMP_NE:
        r = a != b;
        break;
    case CMP_LT:
        r = a < b;
        break;
    case CMP_LE:
        r = a <= b;
        break;
    case CMP_GT:
        r = a > b;
        break;
    default:
        r = a >= b;
        break;
    }
    return r ? TRI_T : TRI_F;
}

static enum tri eval_cmp(const struct rx *n, const struct vg_value *rec)
{
    bool r;
    switch (n->l->type) {
    case TY_NUM: {
        double a, b;
        if (!eval_num(n->l, rec, &a) || !eval_num(n->r, rec, &b)) {
            return TRI_U;
        }
        return compare_num(n->cmp, a, b);
    }
    case TY_STR: {
        struct vg_slice a, b;
        if (!eval_str(n->l, rec, &a) || !eval_str(n->r, rec, &b)) {
            return TRI_U;
        }
        r = vg__rules_streq_ci(a, b);
        break;
    }
    default: { /* TY_BOOL */
        enum tri a = vg__rx_eval(n->l, rec);
        enum tri b = vg__rx_eval(n->r, rec);
        if (a == TRI_U || b == TRI_U) {
            return TRI_U;
        }
        r = a == b;
        break;
    }
    }
    if (n->cmp == CMP_NE) {
        r = !r;
    }
    return r ? TRI_T : TRI_F;
}

static enum tri eval_composite(const struct rx *n, const struct vg_value *rec);

/* The leaves that make up most conditions are evaluated in place, the rest in
 * eval_composite: an `and` of three tests costs one call, not four. */
static inline enum tri eval_node(const struct rx *n, const struct vg_value *rec)
{
    const struct vg_value *v;
    switch (n->op) {
    case OP_FEAT:
        v = &rec[n->feat];
        if (v->kind != VG_VALUE_BOOL) {
            return TRI_U;
        }
        return v->as.boolean ? TRI_T : TRI_F;
    case OP_CMP_NUM_FK:
        v = &rec[n->feat];
        if (v->kind != VG_VALUE_NUMBER || isnan(v->as.number)) {
            return TRI_U;
        }
        return compare_num(n->cmp, v->as.number, n->k.num);
    case OP_CMP_STR_FK:
        v = &rec[n->feat];
        if (v->kind != VG_VALUE_STRING) {
            return TRI_U;
        }
        return vg__rules_streq_ci(v->as.string, n->k.str) == (n->cmp == CMP_EQ) ? TRI_T : TRI_F;
    default:
        return eval_composite(n, rec);
    }
}

enum tri vg__rx_eval(const struct rx *n, const struct vg_value *rec)
{
    return eval_node(n, rec);
}

static enum tri eval_composite(const struct rx *n, const struct vg_value *rec)
{
    switch (n->op) {
    case OP_CONST_BOOL:
        return n->k.b ? TRI_T : TRI_F;
    case OP_KNOWN: {
        const struct vg_value *v = &rec[n->feat];
        bool known = v->kind == n->cmp && !(v->kind == VG_VALUE_NUMBER && isnan(v->as.number));
        return known ? TRI_T : TRI_F;
    }
    case OP_AND:
    case OP_OR: {
        /* false decides an `and`, true an `or`; otherwise unknown wins over the rest. */
        enum tri decisive = n->op == OP_AND ? TRI_F : TRI_T;
        enum tri r = n->op == OP_AND ? TRI_T : TRI_F;
        for (uint32_t i = 0; i < n->nkids; i++) {
            enum tri k = eval_node(n->kids[i], rec);
            if (k == decisive) {
                return k;
            }
            if (k == TRI_U) {
                r = TRI_U;
            }
        }
        return r;
    }
    case OP_NOT: {
        enum tri k = eval_node(n->l, rec);
        return k == TRI_U ? TRI_U : k == TRI_T ? TRI_F : TRI_T;
    }
    case OP_CMP:
        return eval_cmp(n, rec);
    case OP_IN:
    case OP_MATCHES:
        return eval_member(n, rec);
    }
    return TRI_U;
}

enum vg_status vg_rules_eval(const struct vg_rule_set *set, const struct vg_value *record,
                             size_t nvalues, int64_t as_of, struct vg_rule_result *results,
                             struct vg_rules_summary *summary)
{
    if (set == NULL || record == NULL || results == NULL || nvalues != set->schema->count) {
        return VG_EINVAL;
    }
    struct vg_rules_summary sum = { 0 };
    bool dated = as_of != VG_TIME_NONE;
    for (size_t i = 0; i < set->nrules; i++) {
        const struct rule_hot *r = &set->hot[i];
        struct vg_rule_result *res = &results[i];
        res->action = r->action;
        res->weight = r->weight;
        res->blocked_by = VG_RULES_NO_FEATURE;
        if (dated && (as_of < r->from || as_of >= r->until)) {
            res->outcome = VG_RULE_INACTIVE;
            sum.inactive++;
            continue;
        }
        enum tri v = vg__rx_eval(r->cond, record);
        if (v == TRI_T) {
            res->outcome = VG_RULE_FIRED;
            sum.fired++;
            sum.weight += r->weight;
            sum.holds += r->action == VG_RULE_HOLD;
        } else if (v == TRI_F) {
            res->outcome = VG_RULE_NOT_FIRED;
            sum.not_fired++;
        } else {
            res->outcome = VG_RULE_UNKNOWN;
            res->blocked_by = vg__rx_first_blocker(r->cond, record);
            sum.unknown++;
        }
    }
    if (summary != NULL) {
        *summary = sum;
    }
    return VG_OK;
}
