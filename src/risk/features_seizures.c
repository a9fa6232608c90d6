/*
 * Links to earlier seizures. A positive outcome (drugs found, here or at destination) links
 * to the parties, addresses, forwarders and container of the trip it was found on. A trip
 * is linked when one of its parties matches one of those parties (the screening matcher,
 * so also under spelling variants: the same RUC, the same name, or a close variant scoring
 * at least 0.85), when an address matches (same fingerprint, or the same numbers and
 * Jaro-Winkler >= 0.93 in the same country), when its forwarder or broker handled a seized trip, or
 * when the container itself was seized before. Only outcomes examined by the as-of time count, and
 * never the trip's own.
 *
 * Each distinct party and address is matched once per run and the links cached; the
 * outcomes' times are checked per trip.
 *
 * Where the drugs were matters: found inside the goods or their packaging, the shipper's
 * own cargo was the cover load (a front company [DT5]); found behind the doors, in the
 * reefer unit or the structure, the box was most likely used without the shipper's
 * knowledge (rip-on [DT1]), and the parties are victims more often than suspects. And a
 * forwarder's positives count against how many of its trips were examined: a large
 * forwarder collects positives by volume alone; what is telling is a positive rate above
 * everyone else's [ATS17].
 */
#include "risk/risk_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PARTY_LINK   0.85
#define ADDRESS_LINK 0.93

static enum vg_status push_link(struct rk_ctx *c, uint32_t outcome, double score, uint8_t fwd)
{
    struct rk_link *l = rk_push(&c->links, sizeof(*l));
    if (l == NULL) {
        return VG_ENOMEM;
    }
    l->outcome = outcome;
    l->score = (float)score;
    l->forwarder = fwd;
    return VG_OK;
}

/* The links of party p to the parties of positive outcomes (computed once). */
static enum vg_status
party_links(struct rk_ctx *c, uint32_t p, const struct rk_link **out, size_t *n)
{
    struct rk_party *pt = RK_AT(c->parties, struct rk_party, p);
    if (!pt->sz_done) {
        pt->sz_off = (uint32_t)c->links.n;
        pt->sz_n = 0;
        if (c->sz_screener != NULL) {
            char ruc[32];
            struct vg_screen_query q = rk_party_query(c, pt, ruc, sizeof(ruc));
            struct vg_screen_options o = { PARTY_LINK, 10 };
            const struct vg_screen_hit *hits;
            size_t nh;
            struct vg_error e;
            enum vg_status s = vg_screen(c->sz_screener, &q, &o, &hits, &nh, &e);
            if (s != VG_OK) {
                return s;
            }
            for (size_t h = 0; h < nh; h++) {
                uint32_t q2 = (uint32_t)(hits[h].entry_id - 1);
                double score = q2 == p ? 1.0 : hits[h].score;
                for (size_t k = 0; k < c->pos_parties.n; k++) {
                    const struct rk_pos_party *pp = RK_AT(c->pos_parties, struct rk_pos_party, k);
                    if (pp->party != q2) {
                        continue;
                    }
                    bool fwd = pp->role == RK_ROLE_FORWARDER || pp->role == RK_ROLE_BROKER;
                    if ((s = push_link(c, pp->outcome, score, fwd)) != VG_OK) {
                        return s;
                    }
                }
            }
            /* The same party always links, whatever its name looks like; a name written
             * with its words run together links too. */
            bool self = false;
            for (size_t h = 0; h < nh && !self; h++) {
                self = hits[h].entry_id - 1 == (int64_t)p;
            }
            char compact[VG_NAME_KEY_SIZE];
            size_t cl = rk_compact_key(rk_str(&c->s, pt->name), compact, sizeof(compact));
            uint64_t other;
            if (cl > 0 && vg_map_get(&c->sz_compact, compact, cl, &other) && other - 1 != p) {
                bool hit = false;
                for (size_t h = 0; h < nh && !hit; h++) {
                    hit = hits[h].entry_id == (int64_t)other;
                }
                for (size_t k = 0; k < c->pos_parties.n && !hit; k++) {
                    const struct rk_pos_party *pp = RK_AT(c->pos_parties, struct rk_pos_party, k);
                    if (pp->party == other - 1) {
                        bool fwd = pp->role == RK_ROLE_FORWARDER || pp->role == RK_ROLE_BROKER;
                        if ((s = push_link(c, pp->outcome, RK_COMPACT_SCORE, fwd)) != VG_OK) {
                            return s;
                        }
                    }
                }
            }
            for (size_t k = 0; k < c->pos_parties.n && !self; k++) {
                const struct rk_pos_party *pp = RK_AT(c->pos_parties, struct rk_pos_party, k);
                if (pp->party == p) {
                    bool fwd = pp->role == RK_ROLE_FORWARDER || pp->role == RK_ROLE_BROKER;
                    if ((s = push_link(c, pp->outcome, 1.0, fwd)) != VG_OK) {
                        return s;
                    }
                }
            }
        }
        pt->sz_n = (uint32_t)(c->links.n - pt->sz_off);
        pt->sz_done = true;
    }
    *out = RK_AT(c->links, struct rk_link, pt->sz_off);
    *n = pt->sz_n;
    return VG_OK;
}

/* The digits of an address (house and street numbers, postcode), in order. */
static size_t digits_of(struct vg_slice a, char *out, size_t size)
{
    size_t w = 0;
    for (size_t i = 0; i < a.len && w + 1 < size; i++) {
        if (a.ptr[i] >= '0' && a.ptr[i] <= '9') {
            out[w++] = a.ptr[i];
        } else if (w > 0 && out[w - 1] != ' ') {
            out[w++] = ' ';
        }
    }
    while (w > 0 && out[w - 1] == ' ') {
        w--;
    }
    out[w] = '\0';
    return w;
}

/* The links of an address key to the addresses of positive outcomes (computed once). Two
 * addresses link when their fingerprints are equal, or when they are in the same country,
 * carry the same numbers (a house number that differs is another house) and their words
 * are close (Jaro-Winkler >= ADDRESS_LINK). */
static enum vg_status address_links(
    struct rk_ctx *c, uint32_t addr, uint32_t country, const struct rk_link **out, size_t *n)
{
    uint64_t packed;
    char key[RK_KEY_SIZE];
    size_t kl = rk_key(key, 'A', addr, country, 0);
    if (!vg_map_get(&c->addr_links, key, kl, &packed)) {
        size_t off = c->links.n;
        struct vg_slice a = rk_str(&c->s, addr);
        char da[64], db[64];
        size_t nda = digits_of(a, da, sizeof(da));
        for (size_t k = 0; k < c->pos_addresses.n; k++) {
            const struct rk_pos_address *pa = RK_AT(c->pos_addresses, struct rk_pos_address, k);
            double score = 0;
            if (pa->address == addr) {
                score = 1.0;
            } else if (pa->country == country && country != 0) {
                struct vg_slice b = rk_str(&c->s, pa->address);
                size_t d = a.len > b.len ? a.len - b.len : b.len - a.len;
                if (d * 8 <= a.len && digits_of(b, db, sizeof(db)) == nda &&
                    memcmp(da, db, nda) == 0) {
                    score = vg_jaro_winkler(a.ptr, a.len, b.ptr, b.len);
                }
            }
            if (score >= ADDRESS_LINK) {
                enum vg_status s = push_link(c, pa->outcome, score, 0);
                if (s != VG_OK) {
                    return s;
                }
            }
        }
        size_t cnt = c->links.n - off;
        packed = ((uint64_t)off << 24 | (uint64_t)(cnt & 0xffffff)) + 1;
        if (vg_map_set(&c->addr_links, key, kl, packed) != VG_OK) {
            return VG_ENOMEM;
        }
    }
    packed -= 1;
    *out = RK_AT(c->links, struct rk_link, (size_t)(packed >> 24));
    *n = (size_t)(packed & 0xffffff);
    return VG_OK;
}

/* Whether outcome oi may count for this trip: examined by the as-of time, not the trip's
 * own (same trip, or the same container examined around this trip). */
static bool usable(const struct rk_view *v, uint32_t oi)
{
    const struct rk_outcome *o = RK_AT(v->c->outcomes, struct rk_outcome, oi);
    if (o->t > v->as_of || o->trip == v->trip_idx) {
        return false;
    }
    if (o->container == v->cont->number && v->t_ref != VG_TIME_NONE &&
        o->t >= v->t_ref - 30 * (int64_t)RK_DAY && o->t <= v->t_ref + 120 * (int64_t)RK_DAY) {
        return false;
    }
    return true;
}

struct best {
    double score;
    int64_t latest;
    uint32_t outcome;
    bool any;
    bool in_goods; /* one of the links found the drugs in the goods or packaging */
};

/* Distinct outcomes counted (the first 64 remembered). */
struct outcomes {
    uint32_t seen[64];
    size_t nseen, count;
};

enum { SIDE_PARTY, SIDE_FORWARDER, SIDE_ANY };

static void consider(struct best *b, const struct rk_view *v, const struct rk_link *l)
{
    const struct rk_outcome *o = RK_AT(v->c->outcomes, struct rk_outcome, l->outcome);
    if (!b->any || l->score > b->score) {
        b->score = l->score;
        b->outcome = l->outcome;
    }
    if (!b->any || o->t > b->latest) {
        b->latest = o->t;
    }
    b->any = true;
    b->in_goods = b->in_goods || o->in_goods;
}

/* Considers the links of the wanted side scoring at least min that may count for the trip:
 * the best goes into *b; the first one cites message and segment (when given) under
 * feature f; distinct outcomes are counted into *set (may be NULL), each cited. */
static void take(struct rk_view *v,
                 const struct rk_link *l,
                 size_t n,
                 int side,
                 double min,
                 struct best *b,
                 int f,
                 int64_t msg,
                 int32_t seg,
                 struct outcomes *set)
{
    for (size_t k = 0; k < n; k++) {
        bool fwd = l[k].forwarder != 0;
        if ((side == SIDE_PARTY && fwd) || (side == SIDE_FORWARDER && !fwd) || l[k].score < min ||
            !usable(v, l[k].outcome)) {
            continue;
        }
        if (!b->any && msg != 0) {
            rk_cite_msg(v, f, msg, seg);
        }
        consider(b, v, &l[k]);
        if (set == NULL) {
            continue;
        }
        bool dup = false;
        for (size_t q = 0; q < set->nseen && !dup; q++) {
            dup = set->seen[q] == l[k].outcome;
        }
        if (!dup) {
            set->count++;
            if (set->nseen < sizeof(set->seen) / sizeof(set->seen[0])) {
                set->seen[set->nseen++] = l[k].outcome;
            }
            rk_cite(v, f, RK_SRC_OUTCOME,
                    RK_AT(v->c->outcomes, struct rk_outcome, l[k].outcome)->id, 0);
        }
    }
}

/* How many of x[0..n) (by time) lie at or before t. */
static size_t exams_until(const struct rk_exam *x, size_t n, int64_t t)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x[mid].t <= t) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* The forwarders' positive rate on their examined trips against everyone's, shrunk towards
 * everyone's: (positives + 1) / (expected + 1), where expected is the forwarder's examined
 * trips times the positive rate of all examinations (with one positive and one negative
 * added, so that a few examinations say little). The largest over the trip's forwarders. */
static void hit_rate(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    if (v->nforwarders == 0) {
        rk_unknown(v, VG_F_FORWARDER_HIT_RATE_RATIO,
                   VG_SLICE_LIT("the cargo report names no forwarder or broker"));
        return;
    }
    /* Examinations up to the as-of time: outcomes are in time order. */
    size_t lo = 0, hi = c->outcomes.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (RK_AT(c->outcomes, struct rk_outcome, mid)->t <= v->as_of) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    double base = (double)(c->exam_pos_prefix[lo] + 1) / (double)(lo + 2);
    double best = -1;
    for (size_t i = 0; i < v->nforwarders; i++) {
        const struct rk_bparty *p = v->forwarders[i];
        if (p->party == RK_NONE) {
            continue;
        }
        const struct rk_party *pt = RK_AT(c->parties, struct rk_party, p->party);
        const struct rk_exam *x = RK_AT(c->fwd_exams, struct rk_exam, pt->fx_off);
        /* Examinations up to the as-of time, less those of the trip itself (its own, or of
         * its container around it: within 30 days before to 120 after its reference). */
        size_t end = exams_until(x, pt->fx_n, v->as_of);
        size_t n = end, pos = end > 0 ? x[end - 1].pos : 0;
        int64_t from = v->t_ref != VG_TIME_NONE ? v->t_ref - 30 * (int64_t)RK_DAY : v->as_of;
        for (size_t k = exams_until(x, end, from - 1); k < end; k++) {
            if (!usable(v, x[k].outcome)) {
                n--;
                pos -= x[k].positive;
            }
        }
        double ratio = ((double)pos + 1.0) / ((double)n * base + 1.0);
        if (ratio > best) {
            best = ratio;
        }
    }
    if (best < 0) {
        rk_unknown(v, VG_F_FORWARDER_HIT_RATE_RATIO,
                   VG_SLICE_LIT("the forwarder or broker is not a known party"));
        return;
    }
    rk_set(v, VG_F_FORWARDER_HIT_RATE_RATIO, vg_value_number(best));
}

enum vg_status rk_features_seizures(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    const unsigned O = VG_FEED_OUTCOMES;
    static const int ids[] = { VG_F_PRIOR_SEIZURE_PARTY,       VG_F_PRIOR_SEIZURE_ADDRESS,
                               VG_F_PRIOR_SEIZURE_FORWARDER,   VG_F_PRIOR_SEIZURE_CONTAINER,
                               VG_F_PRIOR_SEIZURE_MATCH,       VG_F_PRIOR_SEIZURE_DAYS,
                               VG_F_FORWARDER_PRIOR_POSITIVES, VG_F_PRIOR_SEIZURE_IN_GOODS,
                               VG_F_FORWARDER_HIT_RATE_RATIO,  VG_F_PRIOR_SEIZURE_SHARE };
    bool missing = false;
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        missing = rk_need(v, ids[i], O) || missing;
    }
    rk_unknown(v, VG_F_CONTAINER_PREVIOUSLY_REJECTED,
               VG_SLICE_LIT("no feed reports cargo refused at destination and returning"));
    if (missing) {
        return VG_OK;
    }
    struct best party = { 0 }, address = { 0 }, fwd = { 0 }, cont = { 0 };
    const struct rk_bparty *people[3] = { v->shipper, v->consignee, v->notify };
    const struct rk_bill *where[3] = { v->shipper_bill, v->consignee_bill, v->notify_bill };
    struct outcomes fwd_outcomes = { { 0 }, 0, 0 };
    const struct rk_link *l;
    size_t n;
    enum vg_status s;
    double share = 0;
    for (int i = 0; i < 3; i++) {
        const struct rk_bparty *p = people[i];
        if (p == NULL || p->party == RK_NONE) {
            continue;
        }
        if ((s = party_links(c, p->party, &l, &n)) != VG_OK) {
            return s;
        }
        struct outcomes mine = { { 0 }, 0, 0 };
        take(v, l, n, SIDE_PARTY, PARTY_LINK, &party, VG_F_PRIOR_SEIZURE_PARTY,
             where[i]->message_id, p->segment_no, &mine);
        if (mine.count > 0) {
            double sh = (double)mine.count / ((double)rk_party_shipments(c, p->party, v->ref) + 1);
            if (sh > share) {
                share = sh;
                rk_cite_msg(v, VG_F_PRIOR_SEIZURE_SHARE, where[i]->message_id, p->segment_no);
            }
        }
        if (p->address != 0) {
            if ((s = address_links(c, p->address, p->country, &l, &n)) != VG_OK) {
                return s;
            }
            take(v, l, n, SIDE_ANY, 0, &address, VG_F_PRIOR_SEIZURE_ADDRESS, where[i]->message_id,
                 p->segment_no, NULL);
        }
    }
    /* Forwarders and brokers: a link, and how many distinct positive outcomes. */
    for (size_t i = 0; i < v->nforwarders; i++) {
        const struct rk_bparty *p = v->forwarders[i];
        if (p->party == RK_NONE) {
            continue;
        }
        if ((s = party_links(c, p->party, &l, &n)) != VG_OK) {
            return s;
        }
        take(v, l, n, SIDE_FORWARDER, PARTY_LINK, &fwd, VG_F_FORWARDER_PRIOR_POSITIVES, 0, 0,
             &fwd_outcomes);
    }
    size_t positives = fwd_outcomes.count;
    /* The container itself. */
    for (size_t k = 0; k < c->pos.n; k++) {
        uint32_t oi = *RK_AT(c->pos, uint32_t, k);
        const struct rk_outcome *o = RK_AT(c->outcomes, struct rk_outcome, oi);
        if (o->container == v->cont->number && usable(v, oi)) {
            struct rk_link self = { oi, 1.0f, 0 };
            consider(&cont, v, &self);
        }
    }
    rk_set(v, VG_F_PRIOR_SEIZURE_PARTY, vg_value_bool(party.any));
    rk_set(v, VG_F_PRIOR_SEIZURE_ADDRESS, vg_value_bool(address.any));
    rk_set(v, VG_F_PRIOR_SEIZURE_FORWARDER, vg_value_bool(fwd.any));
    rk_set(v, VG_F_PRIOR_SEIZURE_CONTAINER, vg_value_bool(cont.any));
    rk_set(v, VG_F_FORWARDER_PRIOR_POSITIVES, vg_value_number((double)positives));
    rk_set(v, VG_F_PRIOR_SEIZURE_SHARE, vg_value_number(share));
    rk_set(v, VG_F_PRIOR_SEIZURE_IN_GOODS, vg_value_bool(party.in_goods || address.in_goods));
    if (party.in_goods || address.in_goods) {
        const struct best *b = party.in_goods ? &party : &address;
        rk_cite(v, VG_F_PRIOR_SEIZURE_IN_GOODS, RK_SRC_OUTCOME,
                RK_AT(c->outcomes, struct rk_outcome, b->outcome)->id, 0);
    }
    hit_rate(v);
    double match = 0;
    if (party.any && party.score > match) {
        match = party.score;
    }
    if (address.any && address.score > match) {
        match = address.score;
    }
    rk_set(v, VG_F_PRIOR_SEIZURE_MATCH, vg_value_number(match));
    const struct best *all[4] = { &party, &address, &fwd, &cont };
    static const int feature_of[4] = { VG_F_PRIOR_SEIZURE_PARTY, VG_F_PRIOR_SEIZURE_ADDRESS,
                                       VG_F_PRIOR_SEIZURE_FORWARDER, VG_F_PRIOR_SEIZURE_CONTAINER };
    int64_t latest = VG_TIME_NONE;
    for (int i = 0; i < 4; i++) {
        if (!all[i]->any) {
            continue;
        }
        int64_t oid = RK_AT(c->outcomes, struct rk_outcome, all[i]->outcome)->id;
        rk_cite(v, feature_of[i], RK_SRC_OUTCOME, oid, 0);
        if (i < 2) {
            rk_cite(v, VG_F_PRIOR_SEIZURE_MATCH, RK_SRC_OUTCOME, oid, 0);
        }
        if (latest == VG_TIME_NONE || all[i]->latest > latest) {
            latest = all[i]->latest;
        }
    }
    if (latest == VG_TIME_NONE) {
        rk_unknown(v, VG_F_PRIOR_SEIZURE_DAYS, VG_SLICE_LIT("no linked seizure"));
    } else {
        rk_set(v, VG_F_PRIOR_SEIZURE_DAYS, vg_value_number((double)(v->ref - latest) / RK_DAY));
    }
    return VG_OK;
}

enum vg_status rk_seizure_linked_between(
    struct rk_ctx *c, const struct rk_bparty *p, int64_t since, int64_t until, bool *linked)
{
    const struct rk_link *l;
    size_t n;
    *linked = false;
    for (int pass = 0; pass < 2 && !*linked; pass++) {
        enum vg_status s = VG_OK;
        if (pass == 0 && p->party != RK_NONE) {
            s = party_links(c, p->party, &l, &n);
        } else if (pass == 1 && p->address != 0) {
            s = address_links(c, p->address, p->country, &l, &n);
        } else {
            continue;
        }
        if (s != VG_OK) {
            return s;
        }
        for (size_t k = 0; k < n && !*linked; k++) {
            int64_t t = RK_AT(c->outcomes, struct rk_outcome, l[k].outcome)->t;
            *linked = t > since && t <= until;
        }
    }
    return VG_OK;
}
