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
    uint8_t *state = NULL;
    enum vg_status s = VG_OK;
    if (c == NULL || t == NULL || res == NULL || rec == NULL || src == NULL) {
        s = vg_error_set(err, VG_ENOMEM, "out of memory");
        goto out;
    }
    if ((s = rk_ctx_load(c, store, err)) != VG_OK || (s = rk_ctx_prepare(c, err)) != VG_OK) {
        goto out;
    }
    /* Per trip: 0 not examined, 1 examined negative, 2 positive; as of its loading. */
    state = vg_calloc(c->trips.n + 1, 1);
    if (state == NULL) {
        s = vg_error_set(err, VG_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < c->outcomes.n; i++) {
        const struct rk_outcome *o = RK_AT(c->outcomes, struct rk_outcome, i);
        if (o->trip == RK_NONE) {
            continue;
        }
        uint8_t v = o->positive ? 2 : 1;
        if (v > state[o->trip]) {
            state[o->trip] = v;
        }
    }
    int64_t inspected = 0, positives = 0;
    for (size_t ti = 0; ti < c->trips.n && s == VG_OK; ti++) {
        if (state[ti] == 0) {
            continue;
        }
        const struct rk_trip *tr = RK_AT(c->trips, struct rk_trip, ti);
        int64_t as_of = tr->t_ref;
        if (as_of == VG_TIME_NONE) {
            /* Without a loading time: just before its first examination. */
            for (size_t i = 0; i < c->outcomes.n; i++) {
                const struct rk_outcome *o = RK_AT(c->outcomes, struct rk_outcome, i);
                if (o->trip == ti && (as_of == VG_TIME_NONE || o->t - 1 < as_of)) {
                    as_of = o->t - 1;
                }
            }
        }
        vg_arena_reset(&arena);
        if ((s = rk_compute(c, (uint32_t)ti, as_of, &arena, rec, src, NULL, err)) != VG_OK) {
            break;
        }
        if ((s = vg_rules_eval(set, rec, VG_F_COUNT, as_of, res, NULL)) != VG_OK) {
            vg_error_set(err, s, "evaluating the rules");
            break;
        }
        inspected++;
        bool pos = state[ti] == 2;
        positives += pos ? 1 : 0;
        for (size_t r = 0; r < nrules; r++) {
            if (res[r].outcome == VG_RULE_FIRED) {
                t[r].hits++;
                t[r].positives += pos ? 1 : 0;
            } else if (res[r].outcome == VG_RULE_UNKNOWN) {
                t[r].undecided++;
            }
        }
    }
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
        if (sink->row(sink->user, 10, row) != 0) {
            break;
        }
    }
out:
    vg_free(state);
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
