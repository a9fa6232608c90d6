/*
 * One trip's feature record as of an instant: the view (which versions of which bills were
 * filed by then, which events of the container belong to the trip, which feeds were
 * present) and then each family of features.
 *
 * The trip's window: from its previous trip's reference time (or 30 days before its own,
 * whichever is later) to the as-of time or its next trip's reference time. Events outside
 * it belong to other trips of the same container.
 */
#include "risk/risk_int.h"

#include <math.h>
#include <string.h>

static const struct rk_bill *bill(const struct rk_ctx *c, uint32_t i)
{
    return RK_AT(c->bills, struct rk_bill, i);
}

/* The version of current bill b filed at or before as_of, or RK_NONE. A version whose time
 * is unknown counts as filed from the start. */
static uint32_t version_at(const struct rk_ctx *c, const struct rk_bill *b, int64_t as_of)
{
    uint32_t best = RK_NONE;
    for (uint32_t i = 0; i < b->ver_n; i++) {
        uint32_t vi = *RK_AT(c->versions, uint32_t, b->ver_off + i);
        int64_t t = bill(c, vi)->time;
        if (t == VG_TIME_NONE || t <= as_of) {
            best = vi;
        }
    }
    return best;
}

/* The container's equipment line on bill b, NULL when the bill does not list it. */
static const struct rk_equip *
equip_of(const struct rk_ctx *c, const struct rk_bill *b, uint32_t container)
{
    for (uint32_t i = 0; i < b->equip_n; i++) {
        const struct rk_equip *eq = RK_AT(c->equips, struct rk_equip, b->equip_off + i);
        if (eq->container == container) {
            return eq;
        }
    }
    return NULL;
}

/* Gross weight placed in the container by bill b (its goods placements, else its goods
 * when it carries this container only). */
static double bill_weight_in(const struct rk_ctx *c, const struct rk_bill *b, uint32_t container)
{
    double kg = 0;
    bool placed = false;
    for (uint32_t g = 0; g < b->goods_n; g++) {
        const struct rk_goods *gd = RK_AT(c->goods, struct rk_goods, b->goods_off + g);
        for (uint32_t p = 0; p < gd->pl_n; p++) {
            const struct rk_placement *pl =
                RK_AT(c->placements, struct rk_placement, gd->pl_off + p);
            if (pl->container == container) {
                placed = true;
                kg +=
                    !isnan(pl->gross_kg) ? pl->gross_kg : (!isnan(gd->gross_kg) ? gd->gross_kg : 0);
            }
        }
    }
    if (!placed && b->equip_n <= 1) {
        for (uint32_t g = 0; g < b->goods_n; g++) {
            const struct rk_goods *gd = RK_AT(c->goods, struct rk_goods, b->goods_off + g);
            kg += !isnan(gd->gross_kg) ? gd->gross_kg : 0;
        }
    }
    return kg;
}

const struct rk_bparty *rk_party_of(const struct rk_ctx *c, const struct rk_bill *b, uint8_t role)
{
    for (uint32_t i = 0; i < b->party_n; i++) {
        const struct rk_bparty *p = RK_AT(c->bparties, struct rk_bparty, b->party_off + i);
        if (p->role == role) {
            return p;
        }
    }
    return NULL;
}

static void add_forwarder(struct rk_view *v, const struct rk_bparty *p)
{
    if (p == NULL || v->nforwarders >= sizeof(v->forwarders) / sizeof(v->forwarders[0])) {
        return;
    }
    for (size_t i = 0; i < v->nforwarders; i++) {
        if (v->forwarders[i]->party == p->party && p->party != RK_NONE) {
            return;
        }
    }
    v->forwarders[v->nforwarders++] = p;
}

static void build_bills(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    const struct rk_container *ct = v->cont;
    for (uint32_t i = 0; i < ct->bill_n && v->nbills < RK_MAX_BILLS; i++) {
        const struct rk_bill *cur = bill(c, *RK_AT(c->cont_bills, uint32_t, ct->bill_off + i));
        if (cur->call != v->trip->call || cur->call == RK_NONE) {
            continue;
        }
        uint32_t vi = version_at(c, cur, v->as_of);
        if (vi == RK_NONE || bill(c, vi)->cancelled ||
            equip_of(c, bill(c, vi), v->trip->container) == NULL) {
            continue;
        }
        v->bills[v->nbills++] = vi;
        for (uint32_t h = 0; h < cur->house_n && v->nhouses < RK_MAX_BILLS; h++) {
            const struct rk_bill *hc = bill(c, *RK_AT(c->houses, uint32_t, cur->house_off + h));
            uint32_t hv = version_at(c, hc, v->as_of);
            if (hv != RK_NONE && !bill(c, hv)->cancelled) {
                v->houses[v->nhouses++] = hv;
            }
        }
    }
    /* The main bill carries the most weight in the container. */
    double best = -1;
    v->main_bill = RK_NONE;
    v->declared_empty = false;
    for (size_t i = 0; i < v->nbills; i++) {
        const struct rk_equip *eq = equip_of(c, bill(c, v->bills[i]), v->trip->container);
        v->declared_empty = v->declared_empty || (eq != NULL && eq->full_empty == RK_FE_EMPTY);
        double kg = bill_weight_in(c, bill(c, v->bills[i]), v->trip->container);
        if (kg > best) {
            best = kg;
            v->main_bill = v->bills[i];
        }
    }
    /* The main goods item: the heaviest placed in the container, on the bills or their
     * houses. */
    v->main_goods = NULL;
    v->main_goods_bill = RK_NONE;
    double gbest = -1;
    for (size_t pass = 0; pass < 2; pass++) {
        const uint32_t *list = pass == 0 ? v->bills : v->houses;
        size_t n = pass == 0 ? v->nbills : v->nhouses;
        for (size_t i = 0; i < n; i++) {
            const struct rk_bill *b = bill(c, list[i]);
            for (uint32_t g = 0; g < b->goods_n; g++) {
                const struct rk_goods *gd = RK_AT(c->goods, struct rk_goods, b->goods_off + g);
                bool here = gd->pl_n == 0;
                double kg = !isnan(gd->gross_kg) ? gd->gross_kg : 0;
                for (uint32_t p = 0; p < gd->pl_n; p++) {
                    const struct rk_placement *pl =
                        RK_AT(c->placements, struct rk_placement, gd->pl_off + p);
                    if (pl->container == v->trip->container) {
                        here = true;
                        if (!isnan(pl->gross_kg)) {
                            kg = pl->gross_kg;
                        }
                    }
                }
                if (here && kg > gbest) {
                    gbest = kg;
                    v->main_goods = gd;
                    v->main_goods_bill = list[i];
                }
            }
        }
        if (v->main_goods != NULL) {
            break;
        }
    }
    /* Parties: the actual shipper and consignee are on the house bill when there is one;
     * the master's shipper is then a forwarder (NVOCC). */
    const struct rk_bill *mb = v->main_bill != RK_NONE ? bill(c, v->main_bill) : NULL;
    const struct rk_bill *hb = v->nhouses > 0 ? bill(c, v->houses[0]) : NULL;
    if (hb != NULL) {
        v->shipper = rk_party_of(c, hb, RK_ROLE_SHIPPER);
        v->consignee = rk_party_of(c, hb, RK_ROLE_CONSIGNEE);
        v->notify = rk_party_of(c, hb, RK_ROLE_NOTIFY);
        v->shipper_bill = v->consignee_bill = v->notify_bill = hb;
    }
    if (mb != NULL) {
        if (v->shipper == NULL) {
            v->shipper = rk_party_of(c, mb, RK_ROLE_SHIPPER);
            v->shipper_bill = mb;
        } else {
            add_forwarder(v, rk_party_of(c, mb, RK_ROLE_SHIPPER));
        }
        if (v->consignee == NULL) {
            v->consignee = rk_party_of(c, mb, RK_ROLE_CONSIGNEE);
            v->consignee_bill = mb;
        }
        if (v->notify == NULL) {
            v->notify = rk_party_of(c, mb, RK_ROLE_NOTIFY);
            v->notify_bill = mb;
        }
    }
    for (size_t pass = 0; pass < 2; pass++) {
        const uint32_t *list = pass == 0 ? v->bills : v->houses;
        size_t n = pass == 0 ? v->nbills : v->nhouses;
        for (size_t i = 0; i < n; i++) {
            const struct rk_bill *b = bill(c, list[i]);
            for (uint32_t p = 0; p < b->party_n; p++) {
                const struct rk_bparty *bp = RK_AT(c->bparties, struct rk_bparty, b->party_off + p);
                if (bp->role == RK_ROLE_FORWARDER || bp->role == RK_ROLE_BROKER) {
                    add_forwarder(v, bp);
                }
            }
        }
    }
}

static void build_events(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    const struct rk_container *ct = v->cont;
    /* The trip's neighbours among the container's trips (a trip of the same call, the call
     * reported twice, is no neighbour). */
    int64_t prev = VG_TIME_NONE, next = VG_TIME_NONE;
    const uint32_t *order = RK_AT(c->cont_trips, uint32_t, ct->trip_off);
    for (uint32_t i = 0; i < ct->trip_n; i++) {
        if (order[i] != v->trip_idx) {
            continue;
        }
        for (uint32_t k = i; k-- > 0 && prev == VG_TIME_NONE;) {
            const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, order[k]);
            if (t->call != v->trip->call || t->call == RK_NONE) {
                prev = t->t_ref;
            }
        }
        for (uint32_t k = i + 1; k < ct->trip_n && next == VG_TIME_NONE; k++) {
            const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, order[k]);
            if (t->call != v->trip->call || t->call == RK_NONE) {
                next = t->t_ref;
            }
        }
        break;
    }
    int64_t anchor = v->t_ref != VG_TIME_NONE ? v->t_ref : v->as_of;
    v->win_start = anchor - 30 * (int64_t)RK_DAY;
    if (prev != VG_TIME_NONE && prev + 1 > v->win_start && prev < anchor) {
        v->win_start = prev + 1;
    }
    int64_t end = v->as_of;
    if (next != VG_TIME_NONE && next < end && next > anchor) {
        end = next - 1;
    }
    const struct rk_event *ev = RK_AT(c->events, struct rk_event, ct->ev_off);
    size_t a = 0;
    while (a < ct->ev_n && ev[a].t < v->win_start) {
        a++;
    }
    size_t b = a;
    while (b < ct->ev_n && ev[b].t <= end) {
        b++;
    }
    v->ev = ev + a;
    v->nev = b - a;
    v->gate_in = NULL;
    v->load_ev = NULL;
    for (size_t i = 0; i < v->nev; i++) {
        const struct rk_event *e = &v->ev[i];
        bool at_port = rk_at_port(v, e);
        if (v->gate_in == NULL && at_port && e->full_empty != RK_FE_EMPTY &&
            (e->kind == RK_EV_GATE_IN ||
             (v->trip->direction == RK_TRANSHIPMENT && e->kind == RK_EV_DISCHARGE)) &&
            (v->t_load == VG_TIME_NONE || e->t <= v->t_load)) {
            v->gate_in = e;
        }
        if (v->load_ev == NULL && (e->kind == RK_EV_LOAD || e->kind == RK_EV_STOWAGE) &&
            e->call == v->trip->call && e->call != RK_NONE && e->t <= v->as_of) {
            v->load_ev = e;
        }
    }
}

enum vg_status rk_compute(struct rk_ctx *c,
                          uint32_t trip_idx,
                          int64_t as_of,
                          struct vg_arena *arena,
                          struct vg_value *rec,
                          struct rk_src (*src)[2],
                          struct rk_trip_hits *hits,
                          struct vg_error *err)
{
    memset(rec, 0, VG_F_COUNT * sizeof(*rec));
    memset(src, 0, VG_F_COUNT * sizeof(*src));
    struct rk_view v;
    memset(&v, 0, sizeof(v));
    v.c = c;
    v.hits = hits;
    if (hits != NULL) {
        hits->n = 0;
    }
    v.trip_idx = trip_idx;
    v.trip = RK_AT(c->trips, struct rk_trip, trip_idx);
    v.cont = RK_AT(c->containers, struct rk_container, v.trip->container);
    v.call = v.trip->call != RK_NONE ? RK_AT(c->calls, struct rk_call, v.trip->call) : NULL;
    v.as_of = as_of;
    v.t_ref = v.trip->t_ref;
    v.ref = v.t_ref != VG_TIME_NONE && v.t_ref < as_of ? v.t_ref : as_of;
    v.loaded = v.trip->direction != RK_IMPORT && v.t_ref != VG_TIME_NONE && v.t_ref <= as_of;
    v.t_load = v.loaded ? v.t_ref : VG_TIME_NONE;
    v.arena = arena;
    v.rec = rec;
    v.src = src;
    build_bills(&v);
    build_events(&v);
    enum vg_status (*const families[])(struct rk_view *) = {
        rk_features_feeds,    rk_features_route, rk_features_goods, rk_features_parties,
        rk_features_seizures, rk_features_seals, rk_features_moves, rk_features_documents,
        rk_features_vessel,   rk_features_lists,
    };
    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
        enum vg_status s = families[i](&v);
        if (s != VG_OK) {
            return vg_error_set(err, s, "%s computing the features of trip %lld", vg_strerror(s),
                                (long long)v.trip->id);
        }
    }
    if (c->oom) {
        return vg_error_set(err, VG_ENOMEM, "out of memory computing the features of trip %lld",
                            (long long)v.trip->id);
    }
    if (hits != NULL) {
        hits->evidence = v.nbills > 0 || v.nev > 0;
        memcpy(hits->feed, v.feed, sizeof(v.feed));
        memcpy(hits->feed_why, v.feed_why, sizeof(v.feed_why));
        memcpy(hits->feed_global, v.feed_global, sizeof(v.feed_global));
    }
    return VG_OK;
}
