/*
 * Aggregates derived once per run from the loaded store: versions of each consignment in
 * time order, house bills of masters, trips per container in time order, bills per
 * container, the shipment history of every party, robust norms (samples per HS heading
 * and package type, HS subheading, port and commodity group), feed coverage per port,
 * terminal and day, and the positive outcomes with the parties, addresses and forwarders
 * they link to.
 */
#include "risk/risk_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>

static struct rk_bill *bill_at(struct rk_ctx *c, size_t i)
{
    return RK_AT(c->bills, struct rk_bill, i);
}

int64_t rk_trip_time(const struct rk_ctx *c, const struct rk_trip *t)
{
    const struct rk_call *k = t->call != RK_NONE ? RK_AT(c->calls, struct rk_call, t->call) : NULL;
    const struct rk_container *ct = RK_AT(c->containers, struct rk_container, t->container);
    const struct rk_event *ev = RK_AT(c->events, struct rk_event, ct->ev_off);
    if (t->direction == RK_IMPORT) {
        for (uint32_t i = 0; i < ct->ev_n; i++) {
            if (ev[i].kind == RK_EV_DISCHARGE && ev[i].call == t->call && t->call != RK_NONE) {
                return ev[i].t;
            }
        }
        if (k != NULL) {
            return k->ata != VG_TIME_NONE ? k->ata : k->eta;
        }
        return VG_TIME_NONE;
    }
    if (t->loaded_at != VG_TIME_NONE) {
        return t->loaded_at;
    }
    for (uint32_t i = 0; i < ct->ev_n; i++) {
        if ((ev[i].kind == RK_EV_LOAD || ev[i].kind == RK_EV_STOWAGE) && ev[i].call == t->call &&
            t->call != RK_NONE) {
            return ev[i].t;
        }
    }
    if (k != NULL && k->atd != VG_TIME_NONE) {
        return k->atd;
    }
    if (k != NULL && k->etd != VG_TIME_NONE) {
        return k->etd;
    }
    return t->departure_at;
}

int64_t rk_trip_departure(const struct rk_ctx *c, const struct rk_trip *t)
{
    if (t->direction == RK_IMPORT) {
        return VG_TIME_NONE;
    }
    if (t->departure_at != VG_TIME_NONE) {
        return t->departure_at;
    }
    const struct rk_call *k = t->call != RK_NONE ? RK_AT(c->calls, struct rk_call, t->call) : NULL;
    if (k == NULL) {
        return VG_TIME_NONE;
    }
    return k->atd != VG_TIME_NONE ? k->atd : k->etd;
}

/* ---- versions and houses ------------------------------------------------------------- */

static enum vg_status prepare_versions(struct rk_ctx *c)
{
    size_t nb = c->bills.n;
    size_t v = c->nbills_current;
    for (size_t i = 0; i < c->nbills_current; i++) {
        struct rk_bill *b = bill_at(c, i);
        b->ver_off = (uint32_t)c->versions.n;
        /* Earlier versions (snapshots, read in id and version order) first. */
        while (v < nb && bill_at(c, v)->id < b->id) {
            v++;
        }
        int64_t prev = VG_TIME_NONE;
        size_t start = v;
        while (v < nb && bill_at(c, v)->id == b->id) {
            struct rk_bill *old = bill_at(c, v);
            if (old->time == VG_TIME_NONE || (prev != VG_TIME_NONE && old->time < prev)) {
                old->time = prev; /* unknown or out of order: no earlier than the previous */
            }
            prev = old->time;
            uint32_t *slot = rk_push(&c->versions, sizeof(uint32_t));
            if (slot == NULL) {
                return VG_ENOMEM;
            }
            *slot = (uint32_t)v;
            v++;
        }
        (void)start;
        if (b->time == VG_TIME_NONE || (prev != VG_TIME_NONE && b->time < prev)) {
            b->time = prev;
        }
        uint32_t *slot = rk_push(&c->versions, sizeof(uint32_t));
        if (slot == NULL) {
            return VG_ENOMEM;
        }
        *slot = (uint32_t)i;
        b->ver_n = (uint32_t)(c->versions.n - b->ver_off);
        b->filed = bill_at(c, *RK_AT(c->versions, uint32_t, b->ver_off))->time;
        const struct rk_call *k =
            b->call != RK_NONE ? RK_AT(c->calls, struct rk_call, b->call) : NULL;
        b->ship_time = k != NULL && k->atd != VG_TIME_NONE   ? k->atd
                       : k != NULL && k->etd != VG_TIME_NONE ? k->etd
                                                             : b->filed;
        if (k != NULL && b->filed != VG_TIME_NONE) {
            struct rk_call *kc = RK_AT(c->calls, struct rk_call, b->call);
            if (kc->first_filed == VG_TIME_NONE || b->filed < kc->first_filed) {
                kc->first_filed = b->filed;
            }
        }
    }
    /* Houses of each master (CSR). */
    uint32_t *count = vg_calloc(c->nbills_current + 1, sizeof(uint32_t));
    if (count == NULL) {
        return VG_ENOMEM;
    }
    for (size_t i = 0; i < c->nbills_current; i++) {
        uint32_t m = bill_at(c, i)->master;
        if (m != RK_NONE && m < c->nbills_current) {
            count[m]++;
        }
    }
    size_t off = 0;
    for (size_t i = 0; i < c->nbills_current; i++) {
        bill_at(c, i)->house_off = (uint32_t)off;
        off += count[i];
        count[i] = 0;
    }
    c->houses.items = vg_calloc(off + 1, sizeof(uint32_t));
    if (c->houses.items == NULL) {
        vg_free(count);
        return VG_ENOMEM;
    }
    c->houses.n = c->houses.cap = off;
    for (size_t i = 0; i < c->nbills_current; i++) {
        uint32_t m = bill_at(c, i)->master;
        if (m != RK_NONE && m < c->nbills_current) {
            struct rk_bill *mb = bill_at(c, m);
            *RK_AT(c->houses, uint32_t, mb->house_off + mb->house_n++) = (uint32_t)i;
        }
    }
    vg_free(count);
    return VG_OK;
}

/* ---- per container: bills and trips -------------------------------------------------- */

static int cmp_trip_time(const void *a, const void *b, void *ctx)
{
    const struct rk_ctx *c = ctx;
    const struct rk_trip *x = RK_AT(c->trips, struct rk_trip, *(const uint32_t *)a);
    const struct rk_trip *y = RK_AT(c->trips, struct rk_trip, *(const uint32_t *)b);
    int64_t tx = x->t_ref == VG_TIME_NONE ? INT64_MAX : x->t_ref;
    int64_t ty = y->t_ref == VG_TIME_NONE ? INT64_MAX : y->t_ref;
    if (tx != ty) {
        return tx < ty ? -1 : 1;
    }
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Insertion sort with a context (the lists are a few trips long). */
static void
sort_small(uint32_t *v, size_t n, int (*cmp)(const void *, const void *, void *), void *ctx)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t x = v[i];
        size_t j = i;
        while (j > 0 && cmp(&v[j - 1], &x, ctx) > 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

static enum vg_status prepare_containers(struct rk_ctx *c)
{
    size_t nc = c->containers.n;
    for (size_t i = 0; i < c->trips.n; i++) {
        struct rk_trip *t = RK_AT(c->trips, struct rk_trip, i);
        t->t_ref = rk_trip_time(c, t);
        RK_AT(c->containers, struct rk_container, t->container)->trip_n++;
    }
    size_t nlinks = 0;
    for (size_t i = 0; i < c->nbills_current; i++) {
        nlinks += bill_at(c, i)->equip_n;
    }
    c->cont_trips.items = vg_calloc(c->trips.n + 1, sizeof(uint32_t));
    c->cont_bills.items = vg_calloc(nlinks + 1, sizeof(uint32_t));
    if (c->cont_trips.items == NULL || c->cont_bills.items == NULL) {
        return VG_ENOMEM;
    }
    c->cont_trips.n = c->cont_trips.cap = c->trips.n;
    c->cont_bills.n = c->cont_bills.cap = nlinks;
    size_t toff = 0;
    for (size_t i = 0; i < nc; i++) {
        struct rk_container *k = RK_AT(c->containers, struct rk_container, i);
        k->trip_off = (uint32_t)toff;
        toff += k->trip_n;
        k->trip_n = 0;
    }
    for (size_t i = 0; i < c->trips.n; i++) {
        struct rk_trip *t = RK_AT(c->trips, struct rk_trip, i);
        struct rk_container *k = RK_AT(c->containers, struct rk_container, t->container);
        *RK_AT(c->cont_trips, uint32_t, k->trip_off + k->trip_n++) = (uint32_t)i;
    }
    for (size_t i = 0; i < nc; i++) {
        struct rk_container *k = RK_AT(c->containers, struct rk_container, i);
        sort_small(RK_AT(c->cont_trips, uint32_t, k->trip_off), k->trip_n, cmp_trip_time, c);
    }
    /* Bills per container (current versions only; the trip picks the version). */
    for (size_t i = 0; i < c->nbills_current; i++) {
        const struct rk_bill *b = bill_at(c, i);
        for (uint32_t e = 0; e < b->equip_n; e++) {
            RK_AT(c->containers, struct rk_container,
                  RK_AT(c->equips, struct rk_equip, b->equip_off + e)->container)
                ->bill_n++;
        }
    }
    size_t boff = 0;
    for (size_t i = 0; i < nc; i++) {
        struct rk_container *k = RK_AT(c->containers, struct rk_container, i);
        k->bill_off = (uint32_t)boff;
        boff += k->bill_n;
        k->bill_n = 0;
    }
    for (size_t i = 0; i < c->nbills_current; i++) {
        const struct rk_bill *b = bill_at(c, i);
        for (uint32_t e = 0; e < b->equip_n; e++) {
            struct rk_container *k =
                RK_AT(c->containers, struct rk_container,
                      RK_AT(c->equips, struct rk_equip, b->equip_off + e)->container);
            uint32_t *slot = RK_AT(c->cont_bills, uint32_t, k->bill_off + k->bill_n);
            if (k->bill_n > 0 && slot[-1] == (uint32_t)i) {
                continue; /* the same container twice on one bill */
            }
            *slot = (uint32_t)i;
            k->bill_n++;
        }
    }
    return VG_OK;
}

/* ---- party histories ----------------------------------------------------------------- */

/* The main goods item of a bill: the one with the most gross weight. */
static const struct rk_goods *main_goods(const struct rk_ctx *c, const struct rk_bill *b)
{
    const struct rk_goods *best = NULL;
    for (uint32_t i = 0; i < b->goods_n; i++) {
        const struct rk_goods *g = RK_AT(c->goods, struct rk_goods, b->goods_off + i);
        if (best == NULL ||
            (!isnan(g->gross_kg) && (isnan(best->gross_kg) || g->gross_kg > best->gross_kg))) {
            best = g;
        }
    }
    return best;
}

static enum vg_status
first_time(struct rk_ctx *c, char kind, uint32_t party, uint32_t code, int64_t t)
{
    char key[RK_KEY_SIZE];
    size_t n = rk_key(key, kind, party, code, 0);
    uint64_t old;
    if (vg_map_get(&c->first_heading, key, n, &old) && (int64_t)old <= t) {
        return VG_OK;
    }
    return vg_map_set(&c->first_heading, key, n, (uint64_t)t);
}

static int cmp_shipment(const void *a, const void *b)
{
    const struct rk_shipment *x = a, *y = b;
    if (x->t != y->t) {
        return x->t < y->t ? -1 : 1;
    }
    return x->bill < y->bill ? -1 : x->bill > y->bill;
}

static enum vg_status prepare_parties(struct rk_ctx *c)
{
    /* Two passes: count, then fill, per role (shipper, consignee). */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < c->nbills_current; i++) {
            const struct rk_bill *b = bill_at(c, i);
            if (b->cancelled) {
                continue;
            }
            const struct rk_goods *g = main_goods(c, b);
            uint32_t heading = g != NULL ? g->heading : 0;
            uint32_t dest = b->dest_cc;
            int64_t e = b->ship_time;
            if (b->filed != VG_TIME_NONE && (e == VG_TIME_NONE || b->filed > e)) {
                e = b->filed;
            }
            if (e == VG_TIME_NONE) {
                e = INT64_MIN + 1; /* no time at all: counted as known from the start */
            }
            for (uint32_t p = 0; p < b->party_n; p++) {
                const struct rk_bparty *bp = RK_AT(c->bparties, struct rk_bparty, b->party_off + p);
                if (bp->party == RK_NONE ||
                    (bp->role != RK_ROLE_SHIPPER && bp->role != RK_ROLE_CONSIGNEE)) {
                    continue;
                }
                struct rk_party *pt = RK_AT(c->parties, struct rk_party, bp->party);
                bool ship = bp->role == RK_ROLE_SHIPPER;
                if (pass == 0) {
                    if (ship) {
                        pt->ship_n++;
                    } else {
                        pt->recv_n++;
                    }
                    enum vg_status s;
                    if (heading != 0 &&
                        (s = first_time(c, ship ? 'S' : 'C', bp->party, heading, e)) != VG_OK) {
                        return s;
                    }
                    if (dest != 0 && ship &&
                        (s = first_time(c, 'D', bp->party, dest, e)) != VG_OK) {
                        return s;
                    }
                    if (bp->address != 0 && !ship &&
                        (s = first_time(c, 'A', bp->party, bp->address, e)) != VG_OK) {
                        return s;
                    }
                    if (dest != 0 && !ship &&
                        (s = first_time(c, 'E', bp->party, dest, e)) != VG_OK) {
                        return s;
                    }
                    continue;
                }
                struct rk_vec *v = ship ? &c->shipments : &c->receipts;
                uint32_t at = ship ? pt->ship_off + pt->ship_n++ : pt->recv_off + pt->recv_n++;
                struct rk_shipment *sh = RK_AT(*v, struct rk_shipment, at);
                sh->t = e;
                sh->bill = (uint32_t)i;
                sh->heading = heading;
                sh->country = dest;
                sh->address = bp->address;
            }
        }
        if (pass == 0) {
            size_t so = 0, ro = 0;
            for (size_t i = 0; i < c->parties.n; i++) {
                struct rk_party *pt = RK_AT(c->parties, struct rk_party, i);
                pt->ship_off = (uint32_t)so;
                pt->recv_off = (uint32_t)ro;
                so += pt->ship_n;
                ro += pt->recv_n;
                pt->ship_n = pt->recv_n = 0;
            }
            c->shipments.items = vg_calloc(so + 1, sizeof(struct rk_shipment));
            c->receipts.items = vg_calloc(ro + 1, sizeof(struct rk_shipment));
            if (c->shipments.items == NULL || c->receipts.items == NULL) {
                return VG_ENOMEM;
            }
            c->shipments.n = c->shipments.cap = so;
            c->receipts.n = c->receipts.cap = ro;
        }
    }
    for (size_t i = 0; i < c->parties.n; i++) {
        struct rk_party *pt = RK_AT(c->parties, struct rk_party, i);
        if (pt->ship_n > 1) {
            qsort((struct rk_shipment *)c->shipments.items + pt->ship_off, pt->ship_n,
                  sizeof(struct rk_shipment), cmp_shipment);
        }
        if (pt->recv_n > 1) {
            qsort((struct rk_shipment *)c->receipts.items + pt->recv_off, pt->recv_n,
                  sizeof(struct rk_shipment), cmp_shipment);
        }
    }
    return VG_OK;
}

/* ---- feed coverage ------------------------------------------------------------------- */

static enum vg_status
count_day(struct rk_ctx *c, char feed, uint32_t port, uint32_t terminal, int64_t t)
{
    char key[RK_KEY_SIZE];
    size_t n = rk_key(key, feed, port, terminal, t >= 0 ? t / RK_DAY : (t - RK_DAY + 1) / RK_DAY);
    uint64_t v = 0;
    vg_map_get(&c->feed_days, key, n, &v);
    return vg_map_set(&c->feed_days, key, n, v + 1);
}

static enum vg_status prepare_feeds(struct rk_ctx *c)
{
    for (size_t i = 0; i < c->events.n; i++) {
        const struct rk_event *e = RK_AT(c->events, struct rk_event, i);
        char feed;
        switch (e->kind) {
        case RK_EV_GATE_IN:
        case RK_EV_GATE_OUT:
            feed = 'G';
            break;
        case RK_EV_LOAD:
        case RK_EV_DISCHARGE:
        case RK_EV_SHIFT:
            feed = 'T';
            break;
        case RK_EV_STOWAGE:
            feed = 'W';
            break;
        case RK_EV_STATUS:
        case RK_EV_INSPECTION:
        case RK_EV_SEAL_CHANGE:
        case RK_EV_STRIPPING:
        case RK_EV_STUFFING:
            feed = 'S';
            break;
        default:
            continue;
        }
        uint32_t port = e->place;
        if (port == 0 && e->call != RK_NONE) {
            port = RK_AT(c->calls, struct rk_call, e->call)->port;
        }
        enum vg_status s = count_day(c, feed, port, 0, e->t);
        if (s == VG_OK && e->terminal != 0) {
            s = count_day(c, feed, port, e->terminal, e->t);
        }
        if (s != VG_OK) {
            return s;
        }
    }
    return VG_OK;
}

/* ---- norms --------------------------------------------------------------------------- */

static enum vg_status trip_samples(struct rk_ctx *c)
{
    /* kg per package by (heading, package type) and value per kg by HS subheading, one
     * sample per bill's main goods item at the bill's effective time; dwell by (port,
     * commodity group), one per loaded export trip. */
    for (size_t i = 0; i < c->nbills_current; i++) {
        const struct rk_bill *b = bill_at(c, i);
        const struct rk_goods *g = main_goods(c, b);
        if (b->cancelled || g == NULL) {
            continue;
        }
        int64_t t = b->ship_time != VG_TIME_NONE ? b->ship_time : b->filed;
        if (t == VG_TIME_NONE) {
            continue;
        }
        struct vg_slice hs = rk_str(&c->s, g->hs);
        enum vg_status s;
        if (hs.len >= 4 && g->packages > 0 && !isnan(g->gross_kg) && g->gross_kg > 0) {
            if ((s = rk_norm_add(c, 'K', g->heading, g->package_type, t,
                                 g->gross_kg / g->packages)) != VG_OK) {
                return s;
            }
        }
        if (hs.len >= 6 && !isnan(g->value) && g->value > 0 && !isnan(g->gross_kg) &&
            g->gross_kg > 0) {
            if ((s = rk_norm_add(c, 'V', g->hs6, g->currency, t, g->value / g->gross_kg)) !=
                VG_OK) {
                return s;
            }
        }
    }
    return VG_OK;
}

/* ---- positive outcomes --------------------------------------------------------------- */

/* The trip an outcome is about: its own link, else the container's trip whose loading
 * (or discharge) lies closest, from 120 days before the examination to 45 days after. */
static uint32_t outcome_trip(struct rk_ctx *c, const struct rk_outcome *o)
{
    if (o->trip != RK_NONE) {
        return o->trip;
    }
    struct vg_slice num = rk_str(&c->s, o->container);
    uint64_t k;
    if (num.len == 0 || !vg_map_get(&c->container_by_number, num.ptr, num.len, &k)) {
        return RK_NONE;
    }
    const struct rk_container *ct = RK_AT(c->containers, struct rk_container, k - 1);
    uint32_t best = RK_NONE;
    int64_t best_d = INT64_MAX;
    for (uint32_t i = 0; i < ct->trip_n; i++) {
        uint32_t ti = *RK_AT(c->cont_trips, uint32_t, ct->trip_off + i);
        const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, ti);
        if (t->t_ref == VG_TIME_NONE || t->t_ref < o->t - 120 * (int64_t)RK_DAY ||
            t->t_ref > o->t + 45 * (int64_t)RK_DAY) {
            continue;
        }
        int64_t d = llabs(t->t_ref - o->t);
        if (d < best_d) {
            best_d = d;
            best = ti;
        }
    }
    return best;
}

static enum vg_status add_pos_bill(struct rk_ctx *c, uint32_t oi, const struct rk_bill *b)
{
    for (uint32_t p = 0; p < b->party_n; p++) {
        const struct rk_bparty *bp = RK_AT(c->bparties, struct rk_bparty, b->party_off + p);
        if (bp->party == RK_NONE || bp->role == RK_ROLE_CARRIER || bp->role == RK_ROLE_OTHER) {
            continue;
        }
        struct rk_pos_party *pp = rk_push(&c->pos_parties, sizeof(*pp));
        if (pp == NULL) {
            return VG_ENOMEM;
        }
        pp->outcome = oi;
        pp->party = bp->party;
        pp->role = bp->role;
        if (bp->address != 0 && bp->role <= RK_ROLE_NOTIFY) {
            struct rk_pos_address *pa = rk_push(&c->pos_addresses, sizeof(*pa));
            if (pa == NULL) {
                return VG_ENOMEM;
            }
            pa->outcome = oi;
            pa->address = bp->address;
            pa->country = bp->country;
        }
    }
    return VG_OK;
}

/* The next B/L number of a ';'-joined list from *pos on (trimmed; empty at the end). */
static struct vg_slice next_bl(struct vg_slice list, size_t *pos)
{
    while (*pos <= list.len) {
        size_t start = *pos, j = start;
        while (j < list.len && list.ptr[j] != ';') {
            j++;
        }
        *pos = j + 1;
        struct vg_slice one = vg_slice_trim(vg_slice_make(list.ptr + start, j - start));
        if (one.len > 0) {
            return one;
        }
    }
    return VG_SLICE_EMPTY;
}

/* Whether the ';'-joined B/L list of an outcome names bl. */
static bool outcome_names_bl(const struct rk_ctx *c, const struct rk_outcome *o, struct vg_slice bl)
{
    struct vg_slice bls = rk_str(&c->s, o->bl);
    size_t pos = 0;
    for (struct vg_slice one = next_bl(bls, &pos); one.len > 0; one = next_bl(bls, &pos)) {
        if (vg_slice_eq(one, bl)) {
            return true;
        }
    }
    return false;
}

static enum vg_status prepare_outcomes(struct rk_ctx *c, struct vg_error *err)
{
    struct vg_map wanted; /* B/L numbers named by positive outcomes */
    vg_map_init(&wanted);
    enum vg_status s = VG_OK;
    for (size_t i = 0; i < c->outcomes.n && s == VG_OK; i++) {
        struct rk_outcome *o = RK_AT(c->outcomes, struct rk_outcome, i);
        o->trip = outcome_trip(c, o);
        if (!o->positive) {
            continue;
        }
        uint32_t *slot = rk_push(&c->pos, sizeof(uint32_t));
        if (slot == NULL) {
            s = VG_ENOMEM;
            break;
        }
        *slot = (uint32_t)i;
        struct vg_slice bls = rk_str(&c->s, o->bl);
        size_t pos = 0;
        for (struct vg_slice one = next_bl(bls, &pos); one.len > 0 && s == VG_OK;
             one = next_bl(bls, &pos)) {
            s = vg_map_set(&wanted, one.ptr, one.len, 1);
        }
    }
    /* The bills of each positive outcome: by its B/L numbers, else those of its trip. */
    bool *found = s == VG_OK ? vg_calloc(c->pos.n + 1, sizeof(bool)) : NULL;
    if (found == NULL) {
        vg_map_release(&wanted);
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    for (size_t b = 0; b < c->nbills_current && s == VG_OK && wanted.count > 0; b++) {
        const struct rk_bill *bb = bill_at(c, b);
        struct vg_slice bl = rk_str(&c->s, bb->bl);
        uint64_t one;
        if (bl.len == 0 || !vg_map_get(&wanted, bl.ptr, bl.len, &one)) {
            continue;
        }
        for (size_t k = 0; k < c->pos.n && s == VG_OK; k++) {
            uint32_t oi = *RK_AT(c->pos, uint32_t, k);
            if (outcome_names_bl(c, RK_AT(c->outcomes, struct rk_outcome, oi), bl)) {
                s = add_pos_bill(c, oi, bb);
                found[k] = true;
            }
        }
    }
    for (size_t k = 0; k < c->pos.n && s == VG_OK; k++) {
        uint32_t oi = *RK_AT(c->pos, uint32_t, k);
        const struct rk_outcome *o = RK_AT(c->outcomes, struct rk_outcome, oi);
        if (found[k] || o->trip == RK_NONE) {
            continue;
        }
        const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, o->trip);
        const struct rk_container *ct = RK_AT(c->containers, struct rk_container, t->container);
        for (uint32_t b = 0; b < ct->bill_n && s == VG_OK; b++) {
            const struct rk_bill *bb =
                bill_at(c, *RK_AT(c->cont_bills, uint32_t, ct->bill_off + b));
            if (bb->call == t->call) {
                s = add_pos_bill(c, oi, bb);
            }
        }
    }
    vg_free(found);
    vg_map_release(&wanted);
    if (s != VG_OK) {
        return vg_error_set(err, s, "out of memory");
    }
    if (c->pos_parties.n == 0) {
        return VG_OK;
    }
    /* A screening index over the parties of positive outcomes: trip parties are matched
     * against it also under spelling variants. Entry id: party index + 1. */
    s = vg_screen_index_new(&c->sz_index);
    if (s != VG_OK) {
        return vg_error_set(err, s, "out of memory");
    }
    for (size_t i = 0; i < c->pos_parties.n; i++) {
        const struct rk_pos_party *pp = RK_AT(c->pos_parties, struct rk_pos_party, i);
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++) {
            seen = RK_AT(c->pos_parties, struct rk_pos_party, j)->party == pp->party;
        }
        if (seen) {
            continue;
        }
        const struct rk_party *pt = RK_AT(c->parties, struct rk_party, pp->party);
        char ids[64] = "";
        if (pt->ruc != 0) {
            snprintf(ids, sizeof(ids), "RUC %s", rk_cstr(&c->s, pt->ruc));
        }
        char ext[32];
        snprintf(ext, sizeof(ext), "party:%lld", (long long)pt->id);
        struct vg_watch_entry e = {
            .external_id = ext,
            .name = rk_cstr(&c->s, pt->name),
            .type = VG_WATCH_PARTY,
            .countries = rk_cstr(&c->s, pt->country),
            .identifiers = ids,
            .aliases = "",
            .weak_aliases = "",
            .note = "",
            .source = "seizures",
        };
        char compact[VG_NAME_KEY_SIZE];
        size_t cl = rk_compact_key(rk_str(&c->s, pt->name), compact, sizeof(compact));
        if (cl > 0 &&
            vg_map_put(&c->sz_compact, compact, cl, (uint64_t)pp->party + 1, NULL, NULL) != VG_OK) {
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        if ((s = vg_screen_index_add(c->sz_index, "seizures", (int64_t)pp->party + 1, &e)) !=
            VG_OK) {
            return vg_error_set(err, s, "%s indexing the parties of seizures", vg_strerror(s));
        }
    }
    if ((s = vg_screen_index_finish(c->sz_index)) != VG_OK ||
        (s = vg_screener_new(c->sz_index, &c->sz_screener)) != VG_OK) {
        return vg_error_set(err, s, "out of memory");
    }
    return VG_OK;
}

/* ---- examinations per forwarder ------------------------------------------------------- */

/* The forwarders and brokers of trip t (as the features see them: forwarder and broker
 * parties of its bills, and a master's shipper when house bills name the actual one). */
static size_t
trip_forwarders(const struct rk_ctx *c, const struct rk_trip *t, uint32_t *out, size_t max)
{
    size_t n = 0;
    const struct rk_container *ct = RK_AT(c->containers, struct rk_container, t->container);
    for (uint32_t i = 0; i < ct->bill_n; i++) {
        const struct rk_bill *b =
            RK_AT(c->bills, struct rk_bill, *RK_AT(c->cont_bills, uint32_t, ct->bill_off + i));
        if (b->call != t->call || t->call == RK_NONE) {
            continue;
        }
        for (uint32_t p = 0; p < b->party_n; p++) {
            const struct rk_bparty *bp = RK_AT(c->bparties, struct rk_bparty, b->party_off + p);
            bool fwd = bp->role == RK_ROLE_FORWARDER || bp->role == RK_ROLE_BROKER ||
                       (bp->role == RK_ROLE_SHIPPER && b->house_n > 0);
            bool dup = false;
            for (size_t k = 0; k < n && !dup; k++) {
                dup = out[k] == bp->party;
            }
            if (fwd && !dup && bp->party != RK_NONE && n < max) {
                out[n++] = bp->party;
            }
        }
    }
    return n;
}

static enum vg_status prepare_exams(struct rk_ctx *c)
{
    c->exam_pos_prefix = vg_calloc(c->outcomes.n + 1, sizeof(uint32_t));
    if (c->exam_pos_prefix == NULL) {
        return VG_ENOMEM;
    }
    for (size_t i = 0; i < c->outcomes.n; i++) {
        c->exam_pos_prefix[i + 1] =
            c->exam_pos_prefix[i] + RK_AT(c->outcomes, struct rk_outcome, i)->positive;
    }
    uint32_t who[8];
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < c->outcomes.n; i++) {
            const struct rk_outcome *o = RK_AT(c->outcomes, struct rk_outcome, i);
            if (o->trip == RK_NONE) {
                continue;
            }
            size_t n = trip_forwarders(c, RK_AT(c->trips, struct rk_trip, o->trip), who, 8);
            for (size_t k = 0; k < n; k++) {
                struct rk_party *pt = RK_AT(c->parties, struct rk_party, who[k]);
                if (pass == 0) {
                    pt->fx_n++;
                    continue;
                }
                struct rk_exam *x = RK_AT(c->fwd_exams, struct rk_exam, pt->fx_off + pt->fx_n++);
                x->t = o->t;
                x->outcome = (uint32_t)i;
                x->positive = o->positive;
                x->pos = (pt->fx_n > 1 ? x[-1].pos : 0) + (o->positive ? 1 : 0);
            }
        }
        if (pass == 0) {
            size_t off = 0;
            for (size_t i = 0; i < c->parties.n; i++) {
                struct rk_party *pt = RK_AT(c->parties, struct rk_party, i);
                pt->fx_off = (uint32_t)off;
                off += pt->fx_n;
                pt->fx_n = 0;
            }
            c->fwd_exams.items = vg_calloc(off + 1, sizeof(struct rk_exam));
            if (c->fwd_exams.items == NULL) {
                return VG_ENOMEM;
            }
            c->fwd_exams.n = c->fwd_exams.cap = off;
        }
    }
    return VG_OK;
}

/* ---- watch lists --------------------------------------------------------------------- */

static enum vg_status prepare_watchlists(struct rk_ctx *c, struct vg_error *err)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(c->store->db,
                           "SELECT EXISTS(SELECT 1 FROM watchlist_entries WHERE active = 1)", -1,
                           &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW) {
        c->have_watchlists = sqlite3_column_int(q, 0) != 0;
    }
    sqlite3_finalize(q);
    if (!c->have_watchlists) {
        return VG_OK;
    }
    enum vg_status s = vg_screen_index_new(&c->wl_index);
    if (s != VG_OK) {
        return vg_error_set(err, s, "out of memory");
    }
    if ((s = vg_screen_index_load(c->wl_index, c->store, NULL, err)) != VG_OK) {
        return s;
    }
    if ((s = vg_screen_index_finish(c->wl_index)) != VG_OK ||
        (s = vg_screener_new(c->wl_index, &c->wl_screener)) != VG_OK) {
        return vg_error_set(err, s, "out of memory");
    }
    return VG_OK;
}

enum vg_status rk_ctx_prepare(struct rk_ctx *c, struct vg_error *err)
{
    enum vg_status s;
    if ((s = prepare_versions(c)) != VG_OK || (s = prepare_containers(c)) != VG_OK ||
        (s = prepare_parties(c)) != VG_OK || (s = prepare_feeds(c)) != VG_OK ||
        (s = trip_samples(c)) != VG_OK || (s = rk_dwell_samples(c)) != VG_OK ||
        (s = rk_pickup_samples(c)) != VG_OK) {
        return vg_error_set(err, s, "%s preparing risk aggregates", vg_strerror(s));
    }
    if ((s = prepare_outcomes(c, err)) != VG_OK || (s = prepare_watchlists(c, err)) != VG_OK) {
        return s;
    }
    if ((s = prepare_exams(c)) != VG_OK || (s = rk_hour_samples(c)) != VG_OK ||
        (s = rk_weight_samples(c)) != VG_OK || (s = rk_route_samples(c)) != VG_OK ||
        (s = rk_party_samples(c)) != VG_OK) {
        return vg_error_set(err, s, "%s preparing risk aggregates", vg_strerror(s));
    }
    if ((s = rk_norm_finish(c)) != VG_OK) {
        return vg_error_set(err, s, "%s preparing norms", vg_strerror(s));
    }
    if (c->oom) {
        return vg_error_set(err, VG_ENOMEM, "out of memory preparing risk aggregates");
    }
    return VG_OK;
}
