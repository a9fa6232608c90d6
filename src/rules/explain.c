/*
 * Evidence and explanations (vigia/rules.h): which features decided a rule on a record,
 * and the reason text a person reads.
 *
 * The deciding features follow the logic that produced the value: a true `a and b` rests
 * on both sides, a true `a or b` on the first true side only, a false `and` on its first
 * false side, a false `or` on both; an unknown `and`/`or` rests on its unknown sides, and
 * inside those only on the features whose values are unknown. Leaves (comparisons,
 * membership tests, boolean features) rest on every feature they read.
 */
#include "rules/rules_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <vigia/alloc.h>

/* Collects deciding features: marks by position in the rule's ascending feature list, and
 * the first feature met in source order. */
struct collect {
    const uint32_t *feats; /* the rule's features, ascending; may be empty */
    size_t nfeats;
    uint8_t *marks;        /* nfeats flags */
    uint32_t first;        /* first feature marked, in source order */
    bool first_only;       /* stop at the first mark */
};

static bool collect_done(const struct collect *c)
{
    return c->first_only && c->first != VG_RULES_NO_FEATURE;
}

static void mark(struct collect *c, uint32_t feat)
{
    if (c->first == VG_RULES_NO_FEATURE) {
        c->first = feat;
    }
    size_t lo = 0, hi = c->nfeats;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->feats[mid] < feat) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo < c->nfeats && c->feats[lo] == feat) {
        c->marks[lo] = 1;
    }
}

static bool value_unknown(const struct vg_value *v, uint8_t type)
{
    return v->kind != type || (v->kind == VG_VALUE_NUMBER && isnan(v->as.number));
}

/* Marks every feature read under n (unknown_only: only those whose value is unknown). */
static void mark_reads(const struct rx *n, const struct vg_value *rec, bool unknown_only,
                       struct collect *c)
{
    if (n == NULL || collect_done(c)) {
        return;
    }
    switch (n->op) {
    case OP_FEAT:
        if (!unknown_only || value_unknown(&rec[n->feat], n->type)) {
            mark(c, n->feat);
        }
        return;
    case OP_KNOWN:
        if (!unknown_only) {
            mark(c, n->feat);
        }
        return;
    case OP_COUNT:
        if (!unknown_only || value_unknown(&rec[n->feat], TY_LIST)) {
            mark(c, n->feat);
        }
        return;
    case OP_AND:
    case OP_OR:
        for (uint32_t i = 0; i < n->nkids; i++) {
            mark_reads(n->kids[i], rec, unknown_only, c);
        }
        return;
    default:
        break;
    }
    mark_reads(n->l, rec, unknown_only, c);
    mark_reads(n->r, rec, unknown_only, c);
    if (n->set != NULL && n->set->kind == SET_FEAT &&
        (!unknown_only || value_unknown(&rec[n->set->feat], TY_LIST))) {
        mark(c, n->set->feat);
    }
}

/* Marks the features that gave the boolean expression n its value v. */
static void mark_deciders(const struct rx *n, const struct vg_value *rec, enum tri v,
                          struct collect *c)
{
    if (collect_done(c)) {
        return;
    }
    switch (n->op) {
    case OP_AND:
    case OP_OR: {
        /* The value that decides by itself: false for and, true for or. */
        enum tri decisive = n->op == OP_AND ? TRI_F : TRI_T;
        for (uint32_t i = 0; i < n->nkids; i++) {
            enum tri k = vg__rx_eval(n->kids[i], rec);
            if (v == decisive && k == decisive) {
                mark_deciders(n->kids[i], rec, k, c);
                return;
            }
            if (v != decisive && k == v) {
                mark_deciders(n->kids[i], rec, k, c);
            }
        }
        return;
    }
    case OP_NOT:
        mark_deciders(n->l, rec, v == TRI_U ? TRI_U : v == TRI_T ? TRI_F : TRI_T, c);
        return;
    default:
        mark_reads(n, rec, v == TRI_U, c);
        return;
    }
}

uint32_t vg__rx_first_blocker(const struct rx *n, const struct vg_value *rec)
{
    struct collect c = { NULL, 0, NULL, VG_RULES_NO_FEATURE, true };
    if (vg__rx_eval(n, rec) == TRI_U) {
        mark_deciders(n, rec, TRI_U, &c);
    }
    return c.first;
}

static bool bad_call(const struct vg_rule_set *set, size_t i, const struct vg_value *record,
                     size_t nvalues)
{
    return set == NULL || record == NULL || i >= set->nrules || nvalues != set->schema->count;
}

/* Runs the collector over rule r; marks must hold r->info.nfeatures bytes. */
static enum tri decide(const struct rule *r, const struct vg_value *record, uint8_t *marks)
{
    struct collect c = { r->info.features, r->info.nfeatures, marks, VG_RULES_NO_FEATURE,
                         false };
    memset(marks, 0, r->info.nfeatures);
    enum tri v = vg__rx_eval(r->cond, record);
    mark_deciders(r->cond, record, v, &c);
    return v;
}

static enum vg_rule_outcome outcome_of(enum tri v)
{
    return v == TRI_T ? VG_RULE_FIRED : v == TRI_F ? VG_RULE_NOT_FIRED : VG_RULE_UNKNOWN;
}

enum vg_status vg_rules_evidence(const struct vg_rule_set *set, size_t i,
                                 const struct vg_value *record, size_t nvalues,
                                 uint32_t *features, size_t cap, size_t *count,
                                 enum vg_rule_outcome *outcome)
{
    if (bad_call(set, i, record, nvalues) || count == NULL || (features == NULL && cap > 0)) {
        return VG_EINVAL;
    }
    const struct rule *r = &set->rules[i];
    uint8_t marks[VG_RULES_MAX_NODES];
    enum tri v = decide(r, record, marks);
    size_t n = 0;
    for (size_t k = 0; k < r->info.nfeatures; k++) {
        if (marks[k]) {
            if (n < cap) {
                features[n] = r->info.features[k];
            }
            n++;
        }
    }
    *count = n;
    if (outcome != NULL) {
        *outcome = outcome_of(v);
    }
    return VG_OK;
}

/* ---- text ---------------------------------------------------------------------------- */

/* A number without needless decimals: 96, 3.27, 0.004, 1.5e+20. */
static void format_number(double x, char *buf, size_t size)
{
    if (isinf(x)) {
        snprintf(buf, size, "%s", x < 0 ? "-infinity" : "infinity");
    } else if (x == 0) {
        snprintf(buf, size, "0");
    } else if (fabs(x) < 1e15 && x == trunc(x)) {
        snprintf(buf, size, "%.0f", x);
    } else if (fabs(x) >= 1e15 || fabs(x) < 0.01) {
        snprintf(buf, size, "%.3g", x);
    } else {
        snprintf(buf, size, "%.2f", x);
        char *dot = strchr(buf, '.');
        if (dot != NULL) {
            char *end = buf + strlen(buf);
            while (end > dot + 1 && end[-1] == '0') {
                *--end = '\0';
            }
            if (end == dot + 1) {
                *dot = '\0';
            }
        }
    }
}

enum vg_status vg_rules_format_value(const struct vg_feature_def *def, const struct vg_value *v,
                                     struct vg_buf *out)
{
    if (value_unknown(v, (uint8_t)def->type)) {
        return vg_buf_append_cstr(out, "unknown");
    }
    switch (v->kind) {
    case VG_VALUE_NUMBER: {
        char num[48];
        format_number(v->as.number, num, sizeof(num));
        if (def->unit != NULL && def->unit[0] != '\0') {
            bool tight = strcmp(def->unit, "%") == 0;
            return vg_buf_printf(out, "%s%s%s", num, tight ? "" : " ", def->unit);
        }
        return vg_buf_append_cstr(out, num);
    }
    case VG_VALUE_BOOL:
        return vg_buf_append_cstr(out, v->as.boolean ? "yes" : "no");
    case VG_VALUE_STRING:
        return vg_buf_append(out, v->as.string.ptr, v->as.string.len);
    case VG_VALUE_LIST: {
        enum vg_status st = VG_OK;
        size_t n = v->as.list.count;
        if (n == 0) {
            return vg_buf_append_cstr(out, "none");
        }
        for (size_t i = 0; i < n && i < 10 && st == VG_OK; i++) {
            if (i > 0) {
                st = vg_buf_append_cstr(out, ", ");
            }
            if (st == VG_OK) {
                st = vg_buf_append(out, v->as.list.items[i].ptr, v->as.list.items[i].len);
            }
        }
        if (st == VG_OK && n > 10) {
            st = vg_buf_append_cstr(out, ", \u2026");
        }
        return st;
    }
    case VG_VALUE_UNKNOWN:
        break;
    }
    return vg_buf_append_cstr(out, "unknown");
}

/* "no gate data", "no gate or terminal data". */
static enum vg_status append_feeds(unsigned feeds, struct vg_buf *out)
{
    enum vg_status st = vg_buf_append_cstr(out, "no ");
    bool any = false;
    for (unsigned b = 0; b < VG_FEED_COUNT && st == VG_OK; b++) {
        if (feeds & (1u << b)) {
            if (any) {
                st = vg_buf_append_cstr(out, " or ");
            }
            if (st == VG_OK) {
                st = vg_buf_append_cstr(out, vg_feed_name(1u << b));
            }
            any = true;
        }
    }
    if (st == VG_OK) {
        st = vg_buf_append_cstr(out, any ? " data" : "data");
    }
    return st;
}

static enum vg_status append_template(const struct vg_rule_set *set, const struct rule *r,
                                      const struct vg_value *record, struct vg_buf *out)
{
    enum vg_status st = VG_OK;
    for (size_t k = 0; k < r->ntmpl && st == VG_OK; k++) {
        const struct tmpl_part *part = &r->tmpl[k];
        if (part->feat == VG_RULES_NO_FEATURE) {
            st = vg_buf_append(out, part->text.ptr, part->text.len);
        } else {
            st = vg_rules_format_value(&set->schema->defs[part->feat], &record[part->feat], out);
        }
    }
    return st;
}

enum vg_status vg_rules_explain(const struct vg_rule_set *set, size_t i,
                                const struct vg_value *record, size_t nvalues,
                                struct vg_buf *out)
{
    if (bad_call(set, i, record, nvalues) || out == NULL) {
        return VG_EINVAL;
    }
    const struct rule *r = &set->rules[i];
    const struct vg_feature_def *defs = set->schema->defs;
    uint8_t marks[VG_RULES_MAX_NODES];
    enum tri v = decide(r, record, marks);
    enum vg_status st = vg_buf_append_cstr(out, r->info.title);
    if (st != VG_OK) {
        return st;
    }
    if (v == TRI_F) {
        return vg_buf_append_cstr(out, ": not fired");
    }
    if (v == TRI_T && r->ntmpl > 0) {
        st = vg_buf_append_cstr(out, " (");
        if (st == VG_OK) {
            st = append_template(set, r, record, out);
        }
        return st == VG_OK ? vg_buf_append_char(out, ')') : st;
    }
    st = vg_buf_append_cstr(out, v == TRI_T ? " (" : ": undecided, ");
    bool any = false;
    for (size_t k = 0; k < r->info.nfeatures && st == VG_OK; k++) {
        if (!marks[k]) {
            continue;
        }
        uint32_t f = r->info.features[k];
        const struct vg_value *val = &record[f];
        if (any) {
            st = vg_buf_append_cstr(out, v == TRI_T ? ", " : "; ");
        }
        any = true;
        if (st == VG_OK) {
            st = vg_buf_printf(out, v == TRI_T ? "%s = " : "%s unknown (", defs[f].name);
        }
        if (st != VG_OK) {
            break;
        }
        if (v == TRI_T) {
            st = vg_rules_format_value(&defs[f], val, out);
        } else if (val->kind == VG_VALUE_UNKNOWN && val->as.string.len > 0) {
            st = vg_buf_append(out, val->as.string.ptr, val->as.string.len);
        } else if (val->kind != VG_VALUE_UNKNOWN && val->kind != (enum vg_value_kind)defs[f].type) {
            st = vg_buf_append_cstr(out, "value of the wrong type");
        } else {
            st = append_feeds(defs[f].feeds, out);
        }
        if (st == VG_OK && v != TRI_T) {
            st = vg_buf_append_char(out, ')');
        }
    }
    if (st == VG_OK && !any) {
        st = vg_buf_append_cstr(out, v == TRI_T ? "condition true" : "a calculation had no result");
    }
    if (st == VG_OK && v == TRI_T) {
        st = vg_buf_append_char(out, ')');
    }
    return st;
}
