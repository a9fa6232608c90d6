/*
 * Quiet trips: whether a trip's feature record as of the run's instant can differ from its
 * record as of an earlier instant (its loading, when the run has just assessed it there, or
 * its latest assessment), decided from dated facts without computing the record.
 *
 * A record as of T reads, besides what does not depend on T (the trip's reference time
 * fixes the histories, norms and feed coverage before it), only what is dated at or before
 * T. From since to until (the trip's reference time <= since < until) it can change only
 * when one of these is dated in (since, until]:
 *   - an event of the container (the trip's window, pick-ups, seals from events, the
 *     container reported in two places); another container of its bills loaded at the
 *     port onto another call (a split consignment); another trip of the container (its
 *     neighbours, a switched bill);
 *   - a seal of the container (seal features, watch-list screening of seal numbers);
 *   - a version or first filing of a bill of the container on the trip's call, or of its
 *     houses, and the call's first cargo report (documents, late filing);
 *   - an event of the vessel (start or end: the voyage and its end at the port of
 *     discharge) or the start of its AIS coverage (the AIS feed);
 *   - the first outcome in the store (the outcomes feed); a positive outcome of the
 *     container, or one linked to a party or address of its bills (seizure links); any
 *     outcome at all when the trip may have a forwarder or broker that handled examined
 *     trips (its hit rate compares with the positive rate of every examination by the
 *     as-of time; without examinations of its own the rate is 1 whatever everyone's).
 * Two windows slide with the as-of time: the container reported in two places looks at the
 * 30 days before it, so it can only turn false, and only when it could be true at since
 * (two places, or two loadings on different calls at the port); and an import's gate moves
 * are due up to three days after discharge, so an import is quiet only from then on.
 *
 * The test is conservative: a trip it cannot clear is computed (vg_risk_score then compares
 * digests as before), so an answer of "not quiet" costs time, never a version. A feature
 * that comes to read something else dated must be added here: tests/unit/test_risk_quiet.c
 * compares the versions written with and without the test on a simulated world.
 */
#include "risk/risk_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>

#define TWO_PLACES_DAYS 30 /* features_documents.c, TWO_PLACES_WINDOW */
#define GATE_DUE_DAYS   3  /* features_feeds.c, gate_feed: days after an import's discharge */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The index of the first of the n ascending times at base (stride bytes apart, the time at
 * offset off) that is after t; n when none. */
static size_t first_after(const void *base, size_t n, size_t stride, size_t off, int64_t t)
{
    const unsigned char *p = base;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t x;
        memcpy(&x, p + mid * stride + off, sizeof(x));
        if (x <= t) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

enum vg_status rk_quiet_init(struct rk_quiet *q, struct rk_ctx *c, struct vg_error *err)
{
    memset(q, 0, sizeof(*q));
    q->c = c;
    q->npos = c->pos.n;
    q->pos_t = vg_malloc((q->npos + 1) * sizeof(int64_t));
    q->pos_cont = vg_malloc((q->npos + 1) * sizeof(uint64_t));
    q->voff = vg_malloc((c->vessels.n + 1) * sizeof(uint32_t));
    size_t nt = 0;
    for (size_t i = 0; i < c->vessels.n; i++) {
        const struct rk_vessel *vs = RK_AT(c->vessels, struct rk_vessel, i);
        nt += 2 * (size_t)vs->ev_n + vs->ais_n;
    }
    q->vtimes = vg_malloc((nt + 1) * sizeof(int64_t));
    if (q->pos_t == NULL || q->pos_cont == NULL || q->voff == NULL || q->vtimes == NULL ||
        nt >= UINT32_MAX) {
        rk_quiet_release(q);
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < q->npos; k++) {
        const struct rk_outcome *o =
            RK_AT(c->outcomes, struct rk_outcome, *RK_AT(c->pos, uint32_t, k));
        q->pos_t[k] = o->t;
    }
    qsort(q->pos_t, q->npos, sizeof(int64_t), cmp_i64);
    /* By container number, then time (the index into pos_t orders by time). */
    for (size_t k = 0; k < q->npos; k++) {
        const struct rk_outcome *o =
            RK_AT(c->outcomes, struct rk_outcome, *RK_AT(c->pos, uint32_t, k));
        /* The first pos_t[i] >= o->t (VG_TIME_NONE, INT64_MIN, sorts first). */
        size_t at = o->t == INT64_MIN ? 0
                                      : first_after(q->pos_t, q->npos, sizeof(int64_t), 0, o->t - 1);
        q->pos_cont[k] = (uint64_t)o->container << 32 | (uint64_t)at;
    }
    qsort(q->pos_cont, q->npos, sizeof(uint64_t), cmp_u64);
    size_t w = 0;
    for (size_t i = 0; i < c->vessels.n; i++) {
        const struct rk_vessel *vs = RK_AT(c->vessels, struct rk_vessel, i);
        q->voff[i] = (uint32_t)w;
        for (uint32_t k = 0; k < vs->ev_n; k++) {
            const struct rk_vevent *e = RK_AT(c->vevents, struct rk_vevent, vs->ev_off + k);
            q->vtimes[w++] = e->start;
            q->vtimes[w++] = e->end;
        }
        for (uint32_t k = 0; k < vs->ais_n; k++) {
            q->vtimes[w++] = RK_AT(c->ais, struct rk_interval, vs->ais_off + k)->from;
        }
        qsort(q->vtimes + q->voff[i], w - q->voff[i], sizeof(int64_t), cmp_i64);
    }
    q->voff[c->vessels.n] = (uint32_t)w;
    return VG_OK;
}

void rk_quiet_release(struct rk_quiet *q)
{
    vg_free(q->pos_t);
    vg_free(q->pos_cont);
    vg_free(q->vtimes);
    vg_free(q->voff);
    memset(q, 0, sizeof(*q));
}

/* Whether one of those times lies in (since, until]. */
static bool
any_between(const void *base, size_t n, size_t stride, size_t off, int64_t since, int64_t until)
{
    size_t i = first_after(base, n, stride, off, since);
    int64_t t;
    if (i == n) {
        return false;
    }
    memcpy(&t, (const unsigned char *)base + i * stride + off, sizeof(t));
    return t <= until;
}

static bool events_between(const struct rk_ctx *c, uint32_t container, int64_t since, int64_t until)
{
    const struct rk_container *k = RK_AT(c->containers, struct rk_container, container);
    return any_between(RK_AT(c->events, struct rk_event, k->ev_off), k->ev_n,
                       sizeof(struct rk_event), offsetof(struct rk_event, t), since, until);
}

/* The day number of t, as features_feeds.c counts days. */
static int64_t day_of(int64_t t)
{
    return t >= 0 ? t / RK_DAY : (t - RK_DAY + 1) / RK_DAY;
}

static bool in(int64_t t, int64_t since, int64_t until)
{
    return t != VG_TIME_NONE && t > since && t <= until;
}

/* Whether container other, listed on a bill of trip t, was loaded or stowed in (since,
 * until] at t's port onto another call (a split consignment, features_documents.c). */
static bool loaded_elsewhere(
    const struct rk_ctx *c, const struct rk_trip *t, uint32_t other, int64_t since, int64_t until)
{
    const struct rk_container *k = RK_AT(c->containers, struct rk_container, other);
    const struct rk_event *ev = RK_AT(c->events, struct rk_event, k->ev_off);
    size_t i = first_after(ev, k->ev_n, sizeof(*ev), offsetof(struct rk_event, t), since);
    for (; i < k->ev_n && ev[i].t <= until; i++) {
        if ((ev[i].kind == RK_EV_LOAD || ev[i].kind == RK_EV_STOWAGE) && ev[i].call != RK_NONE &&
            ev[i].call != t->call && ev[i].place == t->port) {
            return true;
        }
    }
    return false;
}

/* The container reported in two places, as features_documents.c looks for it: false as of
 * since when, among the container's events of the 30 days before, the places are all one
 * and it was loaded on one call at most at the trip's port. */
static bool two_places_possible(const struct rk_ctx *c, const struct rk_trip *t, int64_t since)
{
    const struct rk_container *k = RK_AT(c->containers, struct rk_container, t->container);
    const struct rk_event *ev = RK_AT(c->events, struct rk_event, k->ev_off);
    uint32_t place = 0, loads = 0;
    for (uint32_t i = 0; i < k->ev_n && ev[i].t <= since; i++) {
        const struct rk_event *e = &ev[i];
        if (e->t < since - TWO_PLACES_DAYS * (int64_t)RK_DAY) {
            continue;
        }
        if (e->place != 0 && place != 0 && e->place != place) {
            return true;
        }
        place = e->place != 0 ? e->place : place;
        if ((e->kind == RK_EV_LOAD || e->kind == RK_EV_STOWAGE) && e->call != RK_NONE &&
            e->place == t->port && ++loads > 1) {
            return true;
        }
    }
    return false;
}

/* Whether a bill version carries a party in role forwarder or broker. */
static bool names_forwarder(const struct rk_ctx *c, const struct rk_bill *b)
{
    for (uint32_t i = 0; i < b->party_n; i++) {
        uint8_t role = RK_AT(c->bparties, struct rk_bparty, b->party_off + i)->role;
        if (role == RK_ROLE_FORWARDER || role == RK_ROLE_BROKER) {
            return true;
        }
    }
    return false;
}

/* Whether party p handled, as forwarder or broker, a trip examined by until. */
static bool examined_by(const struct rk_ctx *c, const struct rk_bparty *p, int64_t until)
{
    if (p->party == RK_NONE) {
        return false;
    }
    const struct rk_party *pt = RK_AT(c->parties, struct rk_party, p->party);
    return pt->fx_n > 0 && RK_AT(c->fwd_exams, struct rk_exam, pt->fx_off)->t <= until;
}

/* The bill cur (current) of the trip, with its versions: *moved when one was filed in
 * (since, until], *forwarder when one may name a forwarder (a house bill makes the master's
 * shipper one), *examined when one of its parties handled a trip examined by until,
 * *linked when a party or address of a version links to a positive outcome
 * in (since, until] (looked at only when new_pos). */
static enum vg_status bill_facts(struct rk_quiet *q,
                                 const struct rk_bill *cur,
                                 int64_t since,
                                 int64_t until,
                                 bool new_pos,
                                 bool *moved,
                                 bool *forwarder,
                                 bool *examined,
                                 bool *linked)
{
    struct rk_ctx *c = q->c;
    *moved = *moved || in(cur->filed, since, until);
    *forwarder = *forwarder || cur->house_n > 0;
    for (uint32_t i = 0; i < cur->ver_n && !*moved && !*linked; i++) {
        const struct rk_bill *b =
            RK_AT(c->bills, struct rk_bill, *RK_AT(c->versions, uint32_t, cur->ver_off + i));
        *moved = in(b->time, since, until);
        *forwarder = *forwarder || names_forwarder(c, b);
        for (uint32_t p = 0; p < b->party_n && !*examined; p++) {
            *examined = examined_by(c, RK_AT(c->bparties, struct rk_bparty, b->party_off + p),
                                    until);
        }
        for (uint32_t p = 0; p < b->party_n && new_pos && !*linked; p++) {
            enum vg_status s = rk_seizure_linked_between(
                c, RK_AT(c->bparties, struct rk_bparty, b->party_off + p), since, until, linked);
            if (s != VG_OK) {
                return s;
            }
        }
    }
    return VG_OK;
}

enum vg_status
rk_quiet_between(struct rk_quiet *q, uint32_t ti, int64_t since, int64_t until, bool *quiet)
{
    struct rk_ctx *c = q->c;
    const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, ti);
    const struct rk_container *k = RK_AT(c->containers, struct rk_container, t->container);
    *quiet = false;
    if (t->t_ref == VG_TIME_NONE || t->t_ref > since || since >= until) {
        return VG_OK;
    }
    if (t->direction == RK_IMPORT && day_of(since) < day_of(t->t_ref) + GATE_DUE_DAYS) {
        return VG_OK;
    }
    if (in(c->first_outcome, since, until)) {
        return VG_OK;
    }
    /* The container: its events, seals and other trips. */
    if (events_between(c, t->container, since, until) ||
        any_between(RK_AT(c->seals, struct rk_seal, k->seal_off), k->seal_n,
                    sizeof(struct rk_seal), offsetof(struct rk_seal, observed_at), since, until)) {
        return VG_OK;
    }
    for (uint32_t i = 0; i < k->trip_n; i++) {
        uint32_t o = *RK_AT(c->cont_trips, uint32_t, k->trip_off + i);
        if (o != ti && in(RK_AT(c->trips, struct rk_trip, o)->t_ref, since, until)) {
            return VG_OK;
        }
    }
    /* Reported in two places: the window of the 30 days before the as-of time drops the
     * events in [since - 30 days, until - 30 days). */
    const int64_t w = TWO_PLACES_DAYS * (int64_t)RK_DAY;
    if (events_between(c, t->container, since - w - 1, until - w - 1) &&
        two_places_possible(c, t, since)) {
        return VG_OK;
    }
    /* The vessel. */
    const struct rk_call *call =
        t->call != RK_NONE ? RK_AT(c->calls, struct rk_call, t->call) : NULL;
    if (call != NULL && in(call->first_filed, since, until)) {
        return VG_OK;
    }
    if (call != NULL && call->vessel != RK_NONE) {
        uint32_t a = q->voff[call->vessel], b = q->voff[call->vessel + 1];
        if (any_between(q->vtimes + a, b - a, sizeof(int64_t), 0, since, until)) {
            return VG_OK;
        }
    }
    /* Positive outcomes of the container. */
    bool new_pos = any_between(q->pos_t, q->npos, sizeof(int64_t), 0, since, until);
    if (new_pos) {
        size_t lo = 0, hi = q->npos;
        uint64_t key = (uint64_t)k->number << 32;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (q->pos_cont[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (; lo < q->npos && q->pos_cont[lo] >> 32 == k->number; lo++) {
            if (in(q->pos_t[q->pos_cont[lo] & 0xffffffffu], since, until)) {
                return VG_OK;
            }
        }
    }
    /* The bills of the container on the trip's call, their houses, the other containers
     * they list (split consignments), their parties. */
    bool moved = false, forwarder = false, examined = false, linked = false;
    for (uint32_t i = 0; i < k->bill_n && !moved && !linked; i++) {
        const struct rk_bill *cur =
            RK_AT(c->bills, struct rk_bill, *RK_AT(c->cont_bills, uint32_t, k->bill_off + i));
        if (cur->call != t->call || cur->call == RK_NONE) {
            continue;
        }
        enum vg_status s = bill_facts(q, cur, since, until, new_pos, &moved, &forwarder, &examined,
                                   &linked);
        for (uint32_t h = 0; h < cur->house_n && s == VG_OK && !moved && !linked; h++) {
            const struct rk_bill *hc =
                RK_AT(c->bills, struct rk_bill, *RK_AT(c->houses, uint32_t, cur->house_off + h));
            s = bill_facts(q, hc, since, until, new_pos, &moved, &forwarder, &examined,
                                   &linked);
        }
        if (s != VG_OK) {
            return s;
        }
        for (uint32_t e = 0; e < cur->equip_n && !moved; e++) {
            uint32_t other = RK_AT(c->equips, struct rk_equip, cur->equip_off + e)->container;
            moved = other != t->container && loaded_elsewhere(c, t, other, since, until);
        }
    }
    if (moved || linked) {
        return VG_OK;
    }
    /* The hit rate of a forwarder without examinations is 1 whatever everyone's rate. */
    if (forwarder && examined && any_between(c->outcomes.items, c->outcomes.n, sizeof(struct rk_outcome),
                                 offsetof(struct rk_outcome, t), since, until)) {
        return VG_OK;
    }
    *quiet = true;
    return VG_OK;
}
