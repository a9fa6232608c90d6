/*
 * Back-testing a rule set on the recorded outcomes: every examined trip (an outcome linked
 * to a trip by its own link, or by container and dates) is scored as of its loading, its
 * own outcome left out, and each rule's hits are counted against what the examination
 * found. This is the check GAO asked of ATS before a weight set goes live (ANCHORS.md 3.4).
 */
#include "risk/risk_int.h"

#include <stdio.h>
#include <string.h>
#include <vigia/alloc.h>

struct tally {
    int64_t hits, positives, undecided;
};

struct backtest {
    const struct vg_rule_set *set;
    size_t nrules;
    struct tally *t;
    struct vg_rule_result *res;
    int64_t inspected, positives;
};

static enum vg_status count_one(void *user,
                                const struct rk_examined *ex,
                                const struct vg_value *rec,
                                struct vg_error *err)
{
    struct backtest *b = user;
    enum vg_status s = vg_rules_eval(b->set, rec, VG_F_COUNT, ex->as_of, b->res, NULL);
    if (s != VG_OK) {
        return vg_error_set(err, s, "evaluating the rules");
    }
    b->inspected++;
    b->positives += ex->positive ? 1 : 0;
    for (size_t r = 0; r < b->nrules; r++) {
        if (b->res[r].outcome == VG_RULE_FIRED) {
            b->t[r].hits++;
            b->t[r].positives += ex->positive ? 1 : 0;
        } else if (b->res[r].outcome == VG_RULE_UNKNOWN) {
            b->t[r].undecided++;
        }
    }
    return VG_OK;
}

enum vg_status vg_risk_backtest(struct vg_store *store,
                                const struct vg_rule_set *set,
                                const struct vg_row_sink *sink,
                                struct vg_error *err)
{
    struct rk_ctx *c = vg_calloc(1, sizeof(*c));
    size_t nrules = vg_rules_count(set);
    struct tally *t = vg_calloc(nrules + 1, sizeof(*t));
    struct vg_rule_result *res = vg_calloc(nrules + 1, sizeof(*res));
    struct vg_value *rec = vg_calloc(VG_F_COUNT, sizeof(*rec));
    struct rk_src(*src)[2] = vg_calloc(VG_F_COUNT, sizeof(*src));
    struct vg_arena arena;
    vg_arena_init(&arena, 64u << 10, 0);
    struct backtest b = { set, nrules, t, res, 0, 0 };
    enum vg_status s = VG_OK;
    if (c == NULL || t == NULL || res == NULL || rec == NULL || src == NULL) {
        s = vg_error_set(err, VG_ENOMEM, "out of memory");
        goto out;
    }
    if ((s = rk_ctx_load(c, store, err)) != VG_OK || (s = rk_ctx_prepare(c, err)) != VG_OK) {
        goto out;
    }
    /* Every examined trip, as of its loading, whatever the time of its outcomes. */
    s = rk_each_examined(c, VG_TIME_NONE, 0, 0, &arena, rec, src, count_one, &b, NULL, err);
    int64_t inspected = b.inspected, positives = b.positives;
    if (s != VG_OK) {
        goto out;
    }
    static const char *const cols[] = { "rule", "title",     "action",   "weight",    "inspected",
                                        "hits", "positives", "hit_rate", "undecided", "base_rate" };
    if (sink->columns != NULL) {
        sink->columns(sink->user, 10, cols);
    }
    char base[32], ins[32];
    snprintf(ins, sizeof(ins), "%lld", (long long)inspected);
    if (inspected > 0) {
        snprintf(base, sizeof(base), "%.4f", (double)positives / (double)inspected);
    } else {
        base[0] = '\0';
    }
    for (size_t r = 0; r <= nrules; r++) {
        const struct vg_rule_info *ri = r < nrules ? vg_rules_get(set, r) : NULL;
        struct tally all = { inspected, positives, 0 };
        const struct tally *x = ri != NULL ? &t[r] : &all;
        char w[32], h[32], p[32], rate[32], u[32];
        snprintf(w, sizeof(w), "%g", ri != NULL ? ri->weight : 0.0);
        snprintf(h, sizeof(h), "%lld", (long long)x->hits);
        snprintf(p, sizeof(p), "%lld", (long long)x->positives);
        snprintf(u, sizeof(u), "%lld", (long long)x->undecided);
        if (x->hits > 0) {
            snprintf(rate, sizeof(rate), "%.4f", (double)x->positives / (double)x->hits);
        } else {
            rate[0] = '\0';
        }
        const char *row[10] = { ri != NULL ? ri->id : "*",
                                ri != NULL ? ri->title : "all inspected trips",
                                ri != NULL ? vg_rule_action_name(ri->action) : "",
                                ri != NULL ? w : "",
                                ins,
                                h,
                                p,
                                rate,
                                ri != NULL ? u : "",
                                base };
        static const enum vg_cell_kind kinds[] = {
            VG_CELL_TEXT,    VG_CELL_TEXT,    VG_CELL_TEXT, VG_CELL_REAL,    VG_CELL_INTEGER,
            VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_REAL, VG_CELL_INTEGER, VG_CELL_REAL
        };
        if (vg_row_sink_emit(sink, 10, row, kinds) != 0) {
            break;
        }
    }
out:
    vg_arena_release(&arena);
    vg_free(rec);
    vg_free(src);
    vg_free(res);
    vg_free(t);
    if (c != NULL) {
        rk_ctx_release(c);
        vg_free(c);
    }
    return s;
}
