/*
 * Terminal dwell and moves: hours from the first gate-in (the discharge, for transhipments)
 * to loading, against the port's median for the same commodity group over the past 90
 * days, and as a robust z-score of its logarithm (durations are skewed: a z-score of the
 * log measures "how many usual spreads longer"); the inland leg from the empty pick-up at
 * the depot to the full gate-in (stuffing and road: where boxes are contaminated [DT29])
 * against the same norms; gate moves during the dwell (out and back in: the rip-on window);
 * moves at night (20:00-06:00) or on weekends in the port's local time, and the activity
 * of each move's facility at its hour (how unusual the hour is for that gate).
 */
#include "risk/risk_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define DWELL_WINDOW (90 * (int64_t)RK_DAY)
#define DWELL_MIN    30
/* Durations under an hour count as an hour in the log norms. */
#define LOG_HOURS(h) log((h) > 1.0 ? (h) : 1.0)

/* The commodity group of a trip (interned) from the current bills of its call, 0 none. */
static uint32_t trip_group(struct rk_ctx *c, const struct rk_trip *t, bool *empty)
{
    const struct rk_container *ct = RK_AT(c->containers, struct rk_container, t->container);
    const struct rk_goods *best = NULL;
    *empty = false;
    for (uint32_t i = 0; i < ct->bill_n; i++) {
        const struct rk_bill *b =
            RK_AT(c->bills, struct rk_bill, *RK_AT(c->cont_bills, uint32_t, ct->bill_off + i));
        if (b->call != t->call || b->cancelled) {
            continue;
        }
        for (uint32_t e = 0; e < b->equip_n; e++) {
            const struct rk_equip *eq = RK_AT(c->equips, struct rk_equip, b->equip_off + e);
            if (eq->container == t->container && eq->full_empty == RK_FE_EMPTY) {
                *empty = true;
            }
        }
        for (uint32_t g = 0; g < b->goods_n; g++) {
            const struct rk_goods *gd = RK_AT(c->goods, struct rk_goods, b->goods_off + g);
            if (best == NULL || gd->gross_kg > best->gross_kg) {
                best = gd;
            }
        }
    }
    return best != NULL ? best->group : 0;
}

/* The empty pick-up before a full gate-in: the last gate-out of the box reported empty,
 * from the window's start to the gate-in. */
static const struct rk_event *
empty_pickup(const struct rk_event *ev, size_t n, int64_t from, const struct rk_event *gate_in)
{
    const struct rk_event *found = NULL;
    for (size_t i = 0; i < n && ev[i].t <= gate_in->t; i++) {
        if (ev[i].t >= from && ev[i].kind == RK_EV_GATE_OUT && ev[i].full_empty == RK_FE_EMPTY &&
            &ev[i] != gate_in) {
            found = &ev[i];
        }
    }
    return found;
}

/* The first gate-in of the trip at its port before loading, within its window. */
static const struct rk_event *
first_gate_in(const struct rk_ctx *c, const struct rk_trip *t, int64_t from, int64_t until)
{
    const struct rk_container *ct = RK_AT(c->containers, struct rk_container, t->container);
    const struct rk_event *ev = RK_AT(c->events, struct rk_event, ct->ev_off);
    for (uint32_t i = 0; i < ct->ev_n; i++) {
        if (ev[i].t < from) {
            continue;
        }
        if (ev[i].t > until) {
            break;
        }
        bool arrival = ev[i].kind == RK_EV_GATE_IN ||
                       (t->direction == RK_TRANSHIPMENT && ev[i].kind == RK_EV_DISCHARGE);
        if (arrival && ev[i].place == t->port && ev[i].full_empty != RK_FE_EMPTY) {
            return &ev[i];
        }
    }
    return NULL;
}

enum vg_status rk_dwell_samples(struct rk_ctx *c)
{
    for (size_t i = 0; i < c->containers.n; i++) {
        const struct rk_container *ct = RK_AT(c->containers, struct rk_container, i);
        int64_t prev = VG_TIME_NONE;
        for (uint32_t k = 0; k < ct->trip_n; k++) {
            const struct rk_trip *t =
                RK_AT(c->trips, struct rk_trip, *RK_AT(c->cont_trips, uint32_t, ct->trip_off + k));
            int64_t tr = t->t_ref;
            if (tr == VG_TIME_NONE) {
                continue;
            }
            int64_t from = tr - 30 * (int64_t)RK_DAY;
            if (prev != VG_TIME_NONE && prev + 1 > from) {
                from = prev + 1;
            }
            prev = tr;
            if (t->direction == RK_IMPORT) {
                continue;
            }
            const struct rk_event *g = first_gate_in(c, t, from, tr);
            bool empty = false;
            uint32_t gid = g != NULL ? trip_group(c, t, &empty) : 0;
            if (gid == 0 || empty) {
                continue;
            }
            double hours = (double)(tr - g->t) / 3600.0;
            enum vg_status s = rk_norm_add(c, 'D', t->port, gid, tr, hours);
            if (s == VG_OK) {
                s = rk_norm_add(c, 'd', t->port, gid, tr, LOG_HOURS(hours));
            }
            const struct rk_event *ev = RK_AT(c->events, struct rk_event, ct->ev_off);
            const struct rk_event *p =
                g->kind == RK_EV_GATE_IN ? empty_pickup(ev, ct->ev_n, from, g) : NULL;
            if (s == VG_OK && p != NULL) {
                s = rk_norm_add(c, 'I', t->port, gid, g->t,
                                LOG_HOURS((double)(g->t - p->t) / 3600.0));
            }
            if (s != VG_OK) {
                return s;
            }
        }
    }
    return VG_OK;
}

/* The pick-up of an import: the first gate-out at its port within 30 days after the
 * discharge. */
static const struct rk_event *
pickup_of(const struct rk_ctx *c, const struct rk_trip *t, int64_t until)
{
    if (t->t_ref == VG_TIME_NONE) {
        return NULL;
    }
    const struct rk_container *ct = RK_AT(c->containers, struct rk_container, t->container);
    const struct rk_event *ev = RK_AT(c->events, struct rk_event, ct->ev_off);
    for (uint32_t i = 0; i < ct->ev_n; i++) {
        if (ev[i].t < t->t_ref || ev[i].t > until) {
            continue;
        }
        if (ev[i].t > t->t_ref + 30 * (int64_t)RK_DAY) {
            break;
        }
        if (ev[i].kind == RK_EV_GATE_OUT && ev[i].place == t->port) {
            return &ev[i];
        }
    }
    return NULL;
}

static uint32_t consignee_of(const struct rk_ctx *c, const struct rk_trip *t)
{
    const struct rk_container *ct = RK_AT(c->containers, struct rk_container, t->container);
    for (uint32_t i = 0; i < ct->bill_n; i++) {
        const struct rk_bill *b =
            RK_AT(c->bills, struct rk_bill, *RK_AT(c->cont_bills, uint32_t, ct->bill_off + i));
        if (b->call != t->call) {
            continue;
        }
        for (uint32_t p = 0; p < b->party_n; p++) {
            const struct rk_bparty *bp = RK_AT(c->bparties, struct rk_bparty, b->party_off + p);
            if (bp->role == RK_ROLE_CONSIGNEE && bp->party != RK_NONE) {
                return bp->party;
            }
        }
    }
    return RK_NONE;
}

static void haulier_key(char *key, size_t size, int *n, uint32_t party, uint32_t vehicle)
{
    (void)size;
    *n = (int)rk_key(key, 'H', party, vehicle, 0);
}

enum vg_status rk_pickup_samples(struct rk_ctx *c)
{
    for (size_t i = 0; i < c->trips.n; i++) {
        const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, i);
        if (t->direction != RK_IMPORT) {
            continue;
        }
        const struct rk_event *p = pickup_of(c, t, INT64_MAX);
        uint32_t who = p != NULL && p->vehicle != 0 ? consignee_of(c, t) : RK_NONE;
        if (who == RK_NONE) {
            continue;
        }
        char key[48];
        int n;
        haulier_key(key, sizeof(key), &n, who, p->vehicle);
        uint64_t old;
        if (vg_map_get(&c->first_heading, key, (size_t)n, &old) && (int64_t)old <= p->t) {
            continue;
        }
        if (vg_map_set(&c->first_heading, key, (size_t)n, (uint64_t)p->t) != VG_OK) {
            return VG_ENOMEM;
        }
    }
    return VG_OK;
}

static void pickup(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    if (rk_need(v, VG_F_PICKUP_HOURS_AFTER_DISCHARGE, VG_FEED_RELEASE)) {
        rk_need(v, VG_F_PICKUP_NEW_HAULIER, VG_FEED_RELEASE);
        return;
    }
    const struct rk_event *p =
        v->loaded || v->trip->t_ref > v->as_of ? NULL : pickup_of(c, v->trip, v->as_of);
    if (p == NULL) {
        struct vg_slice why = VG_SLICE_LIT("not picked up yet");
        rk_unknown(v, VG_F_PICKUP_HOURS_AFTER_DISCHARGE, why);
        rk_unknown(v, VG_F_PICKUP_NEW_HAULIER, why);
        return;
    }
    rk_set(v, VG_F_PICKUP_HOURS_AFTER_DISCHARGE,
           vg_value_number((double)(p->t - v->trip->t_ref) / 3600.0));
    rk_cite_msg(v, VG_F_PICKUP_HOURS_AFTER_DISCHARGE, p->message_id, p->segment_no);
    if (v->consignee == NULL || v->consignee->party == RK_NONE) {
        rk_unknown(v, VG_F_PICKUP_NEW_HAULIER, VG_SLICE_LIT("the cargo report names no consignee"));
    } else if (p->vehicle == 0) {
        rk_unknown(v, VG_F_PICKUP_NEW_HAULIER, VG_SLICE_LIT("the gate-out names no truck"));
    } else {
        char key[48];
        int n;
        haulier_key(key, sizeof(key), &n, v->consignee->party, p->vehicle);
        uint64_t first;
        bool seen = vg_map_get(&c->first_heading, key, (size_t)n, &first) && (int64_t)first < p->t;
        rk_set(v, VG_F_PICKUP_NEW_HAULIER, vg_value_bool(!seen));
        rk_cite_msg(v, VG_F_PICKUP_NEW_HAULIER, p->message_id, p->segment_no);
    }
}

/* A robust z-score of x against the port's norm (kind, commodity group) as of the trip's
 * day, cited on event e; unknown with the count of samples when there are too few. */
static void norm_z(struct rk_view *v,
                   int f,
                   char kind,
                   uint32_t gid,
                   double x,
                   const struct rk_event *e,
                   const char *what)
{
    struct rk_ctx *c = v->c;
    double z;
    size_t n;
    int64_t day = (v->ref / RK_DAY) * RK_DAY;
    if (rk_norm_z(c, kind, v->trip->port, gid, day, DWELL_WINDOW, DWELL_MIN, x, &z, &n)) {
        rk_set(v, f, vg_value_number(z));
        rk_cite_msg(v, f, e->message_id, e->segment_no);
    } else {
        rk_unknown(v, f,
                   rk_fmt(v,
                          "%zu earlier %s times of this commodity group at %s in 90 days "
                          "(30 with a spread needed)",
                          n, what, rk_cstr(&c->s, v->trip->port)));
    }
}

/* The inland leg: from the empty pick-up to the full gate-in. */
static void inland(struct rk_view *v, const struct rk_event *gi)
{
    if (rk_need(v, VG_F_INLAND_TRANSIT_HOURS, VG_FEED_GATE)) {
        rk_need(v, VG_F_INLAND_TRANSIT_Z, VG_FEED_GATE);
        return;
    }
    struct vg_slice why = VG_SLICE_EMPTY;
    const struct rk_event *p = NULL;
    if (v->trip->direction != RK_EXPORT) {
        why = VG_SLICE_LIT("not an export: no empty pick-up and gate-in at this port");
    } else if (gi == NULL || gi->kind != RK_EV_GATE_IN) {
        why = VG_SLICE_LIT("no gate-in recorded for the container");
    } else if ((p = empty_pickup(v->ev, v->nev, v->win_start, gi)) == NULL) {
        why = VG_SLICE_LIT("no empty pick-up reported before the gate-in");
    }
    if (p == NULL) {
        rk_unknown(v, VG_F_INLAND_TRANSIT_HOURS, why);
        rk_unknown(v, VG_F_INLAND_TRANSIT_Z, why);
        return;
    }
    double hours = (double)(gi->t - p->t) / 3600.0;
    rk_set(v, VG_F_INLAND_TRANSIT_HOURS, vg_value_number(hours));
    rk_cite_msg(v, VG_F_INLAND_TRANSIT_HOURS, p->message_id, p->segment_no);
    rk_cite_msg(v, VG_F_INLAND_TRANSIT_HOURS, gi->message_id, gi->segment_no);
    const struct rk_goods *g = v->main_goods;
    if (g == NULL || g->group == 0) {
        rk_unknown(v, VG_F_INLAND_TRANSIT_Z, VG_SLICE_LIT("no commodity group (no HS code)"));
        return;
    }
    norm_z(v, VG_F_INLAND_TRANSIT_Z, 'I', g->group, LOG_HOURS(hours), p, "inland transit");
}

/* The least usual hour among the trip's gate moves up to loading (the empty pick-up, the
 * gate-ins and gate-outs of the full box): the activity of the move's facility at that
 * hour against its average hour. */
static void hour_activity(struct rk_view *v, int64_t end)
{
    struct rk_ctx *c = v->c;
    if (rk_need(v, VG_F_ODD_HOUR_ACTIVITY, VG_FEED_GATE)) {
        return;
    }
    const struct rk_event *gi = v->gate_in;
    if (gi == NULL || gi->kind != RK_EV_GATE_IN) {
        rk_unknown(v, VG_F_ODD_HOUR_ACTIVITY,
                   VG_SLICE_LIT("no gate-in recorded for the container"));
        return;
    }
    const struct rk_event *p = empty_pickup(v->ev, v->nev, v->win_start, gi);
    double least = INFINITY;
    const struct rk_event *at = NULL;
    bool unknown = false;
    for (size_t i = 0; i < v->nev; i++) {
        const struct rk_event *e = &v->ev[i];
        bool mine = e == p || (e->t >= gi->t && e->t <= end && rk_at_port(v, e) &&
                               e->full_empty != RK_FE_EMPTY);
        if (!mine || (e->kind != RK_EV_GATE_IN && e->kind != RK_EV_GATE_OUT) || e->place == 0) {
            continue;
        }
        double a = rk_hour_activity(c, e->place, e->terminal, e->t);
        if (isnan(a)) {
            unknown = true;
        } else if (a < least) {
            least = a;
            at = e;
        }
    }
    if (at == NULL) {
        rk_unknown(v, VG_F_ODD_HOUR_ACTIVITY,
                   unknown ? VG_SLICE_LIT("too few gate moves at the facility in the 90 days "
                                          "before to know its hours")
                           : VG_SLICE_LIT("no gate move of the trip"));
        return;
    }
    rk_set(v, VG_F_ODD_HOUR_ACTIVITY, vg_value_number(least));
    rk_cite_msg(v, VG_F_ODD_HOUR_ACTIVITY, at->message_id, at->segment_no);
}

static bool odd_hour(int64_t t, const struct vg_zone *z)
{
    return vg_time_is_night(t, z) || vg_time_is_weekend(t, z);
}

/* Whether the trip's container has a loading event on call. */
static bool loaded_on(const struct rk_view *v, uint32_t call)
{
    for (size_t i = 0; i < v->nev; i++) {
        if (v->ev[i].kind == RK_EV_LOAD && v->ev[i].call == call) {
            return true;
        }
    }
    return false;
}

/* Whether the box was rolled: named on the loading order (COPRAR) of an earlier call at
 * this port that departed between its gate-in and its loading without loading it. Known
 * when a loading order names the box for its own call (the line sends them) or for such an
 * earlier call. */
static void missed_call(struct rk_view *v, const struct rk_event *gi, int64_t end, bool import)
{
    struct rk_ctx *c = v->c;
    if (rk_need(v, VG_F_MISSED_EARLIER_CALL, VG_FEED_TERMINAL)) {
        return;
    }
    if (import) {
        rk_unknown(v, VG_F_MISSED_EARLIER_CALL, VG_SLICE_LIT("an import: not loaded at this port"));
        return;
    }
    bool own = false;
    const struct rk_event *missed = NULL;
    for (size_t i = 0; i < v->nev && missed == NULL; i++) {
        const struct rk_event *e = &v->ev[i];
        if (e->kind != RK_EV_LOAD_ORDER || !rk_at_port(v, e) || e->call == RK_NONE) {
            continue;
        }
        if (e->call == v->trip->call) {
            own = true;
            continue;
        }
        const struct rk_call *o = RK_AT(c->calls, struct rk_call, e->call);
        int64_t left = o->atd != VG_TIME_NONE ? o->atd : o->etd;
        if (gi != NULL && left != VG_TIME_NONE && left >= gi->t && left <= end &&
            !loaded_on(v, e->call)) {
            missed = e;
        }
    }
    if (missed != NULL) {
        rk_set(v, VG_F_MISSED_EARLIER_CALL, vg_value_bool(true));
        rk_cite_msg(v, VG_F_MISSED_EARLIER_CALL, missed->message_id, missed->segment_no);
    } else if (own) {
        rk_set(v, VG_F_MISSED_EARLIER_CALL, vg_value_bool(false));
    } else {
        rk_unknown(v, VG_F_MISSED_EARLIER_CALL,
                   VG_SLICE_LIT("no loading order (COPRAR) names the container for its call"));
    }
}

enum vg_status rk_features_moves(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    struct vg_zone zone;
    vg_zone_for_locode(rk_cstr(&c->s, v->trip->port), &zone);
    const struct rk_event *gi = v->gate_in;
    int64_t end = v->t_load != VG_TIME_NONE ? v->t_load : v->as_of;
    const bool import = v->trip->direction == RK_IMPORT;

    /* Dwell. */
    if (!rk_need(v, VG_F_DWELL_HOURS, VG_FEED_GATE | VG_FEED_TERMINAL)) {
        if (import) {
            rk_unknown(v, VG_F_DWELL_HOURS, VG_SLICE_LIT("an import: not loaded at this port"));
            rk_unknown(v, VG_F_DWELL_VS_NORM, VG_SLICE_LIT("an import: not loaded at this port"));
        } else if (gi == NULL) {
            rk_unknown(v, VG_F_DWELL_HOURS, VG_SLICE_LIT("no gate-in recorded for the container"));
            rk_unknown(v, VG_F_DWELL_VS_NORM,
                       VG_SLICE_LIT("no gate-in recorded for the container"));
        } else {
            double hours = (double)(end - gi->t) / 3600.0;
            rk_set(v, VG_F_DWELL_HOURS, vg_value_number(hours));
            rk_cite_msg(v, VG_F_DWELL_HOURS, gi->message_id, gi->segment_no);
            if (v->load_ev != NULL) {
                rk_cite_msg(v, VG_F_DWELL_HOURS, v->load_ev->message_id, v->load_ev->segment_no);
            }
            const struct vg_value *grp = &v->rec[VG_F_COMMODITY_GROUP];
            if (grp->kind != VG_VALUE_STRING) {
                rk_unknown(v, VG_F_DWELL_VS_NORM, VG_SLICE_LIT("no commodity group (no HS code)"));
            } else {
                uint32_t gid = v->main_goods != NULL ? v->main_goods->group : 0;
                double med, mad;
                size_t n;
                int64_t day = (v->ref / RK_DAY) * RK_DAY;
                if (rk_norm(c, 'D', v->trip->port, gid, day, DWELL_WINDOW, DWELL_MIN, &med, &mad,
                            &n) &&
                    med > 0) {
                    rk_set(v, VG_F_DWELL_VS_NORM, vg_value_number(hours / med));
                    rk_cite_msg(v, VG_F_DWELL_VS_NORM, gi->message_id, gi->segment_no);
                } else {
                    rk_unknown(v, VG_F_DWELL_VS_NORM,
                               rk_fmt(v, "%zu earlier %.*s containers at %s in 90 days (30 needed)",
                                      n, (int)grp->as.string.len, grp->as.string.ptr,
                                      rk_cstr(&c->s, v->trip->port)));
                }
                norm_z(v, VG_F_DWELL_Z, 'd', gid, LOG_HOURS(hours), gi, "dwell");
            }
        }
    } else {
        rk_need(v, VG_F_DWELL_VS_NORM, VG_FEED_GATE | VG_FEED_TERMINAL);
    }
    if (v->rec[VG_F_DWELL_Z].kind == VG_VALUE_UNKNOWN && v->rec[VG_F_DWELL_Z].as.string.len == 0 &&
        v->rec[VG_F_DWELL_VS_NORM].kind == VG_VALUE_UNKNOWN) {
        rk_unknown(v, VG_F_DWELL_Z, v->rec[VG_F_DWELL_VS_NORM].as.string);
    }
    inland(v, gi);
    missed_call(v, gi, end, import);

    /* Gate moves during the dwell, and whether the box went out and came back. */
    if (!rk_need(v, VG_F_GATE_MOVES_DURING_DWELL, VG_FEED_GATE)) {
        size_t moves = 0;
        bool out = false, back = false;
        for (size_t i = 0; gi != NULL && i < v->nev; i++) {
            const struct rk_event *e = &v->ev[i];
            /* Moves of the full box: an empty one moved at a depot is another story. */
            if (e == gi || e->t < gi->t || e->t > end || !rk_at_port(v, e) ||
                e->full_empty == RK_FE_EMPTY) {
                continue;
            }
            if (e->kind == RK_EV_GATE_OUT) {
                moves++;
                if (!out) {
                    rk_cite_msg(v, VG_F_GATE_OUT_DURING_DWELL, e->message_id, e->segment_no);
                }
                out = true;
                rk_cite_msg(v, VG_F_GATE_MOVES_DURING_DWELL, e->message_id, e->segment_no);
            } else if (e->kind == RK_EV_GATE_IN) {
                moves++;
                if (out && !back) {
                    back = true;
                    rk_cite_msg(v, VG_F_GATE_OUT_DURING_DWELL, e->message_id, e->segment_no);
                }
                rk_cite_msg(v, VG_F_GATE_MOVES_DURING_DWELL, e->message_id, e->segment_no);
            }
        }
        rk_set(v, VG_F_GATE_MOVES_DURING_DWELL, vg_value_number((double)moves));
        if (import) {
            rk_unknown(v, VG_F_GATE_OUT_DURING_DWELL,
                       VG_SLICE_LIT("an import: not loaded at this port"));
        } else {
            rk_set(v, VG_F_GATE_OUT_DURING_DWELL, vg_value_bool(out && back));
        }
    } else {
        rk_need(v, VG_F_GATE_OUT_DURING_DWELL, VG_FEED_GATE);
    }

    /* Odd hours. */
    if (!rk_need(v, VG_F_GATE_IN_ODD_HOUR, VG_FEED_GATE)) {
        if (gi == NULL || gi->kind != RK_EV_GATE_IN) {
            rk_unknown(v, VG_F_GATE_IN_ODD_HOUR,
                       VG_SLICE_LIT("no gate-in recorded for the container"));
        } else {
            rk_set(v, VG_F_GATE_IN_ODD_HOUR, vg_value_bool(odd_hour(gi->t, &zone)));
            rk_cite_msg(v, VG_F_GATE_IN_ODD_HOUR, gi->message_id, gi->segment_no);
        }
    }
    if (!rk_need(v, VG_F_ODD_HOUR_MOVES, VG_FEED_GATE | VG_FEED_TERMINAL)) {
        size_t odd = 0;
        int64_t from = gi != NULL ? gi->t : v->win_start;
        for (size_t i = 0; i < v->nev; i++) {
            const struct rk_event *e = &v->ev[i];
            bool move = e->kind == RK_EV_GATE_IN || e->kind == RK_EV_GATE_OUT ||
                        e->kind == RK_EV_LOAD || e->kind == RK_EV_DISCHARGE ||
                        e->kind == RK_EV_SHIFT;
            if (!move || e->t < from || e->t > end || !rk_at_port(v, e) ||
                e->full_empty == RK_FE_EMPTY) {
                continue;
            }
            if (odd_hour(e->t, &zone)) {
                odd++;
                rk_cite_msg(v, VG_F_ODD_HOUR_MOVES, e->message_id, e->segment_no);
            }
        }
        rk_set(v, VG_F_ODD_HOUR_MOVES, vg_value_number((double)odd));
    }
    hour_activity(v, end);
    pickup(v);
    rk_need(v, VG_F_UNTASKED_LOOKUPS, VG_FEED_AUDIT);
    return VG_OK;
}
