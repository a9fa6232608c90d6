/*
 * Which feeds were present for a trip, and why not when absent. A feed is missing for a
 * trip when nothing of it arrived where and when the trip needed it: no gate messages from
 * the port's terminal in the days before loading, no loading report for the call, no AIS
 * of the vessel on the voyage. It is detected from what did arrive (per port, terminal and
 * day), so that the features that depend on it read as unknown, never as "nothing
 * happened". Feeds vigia does not receive at all (bookings, declarations, the tax
 * registry, the access log) are absent for every trip, with that reason.
 */
#include "risk/risk_int.h"

#include <stdio.h>
#include <string.h>

static int feed_bit(unsigned feed)
{
    for (int b = 0; b < VG_FEED_COUNT; b++) {
        if (feed == 1u << b) {
            return b;
        }
    }
    return 0;
}

static void set_feed(struct rk_view *v, unsigned feed, bool present, struct vg_slice why)
{
    int b = feed_bit(feed);
    v->feed[b] = present;
    v->feed_why[b] = present ? VG_SLICE_EMPTY : why;
    v->feed_global[b] = false;
}

/* A feed absent from the whole store (not missing for this trip in particular). */
static void set_global(struct rk_view *v, unsigned feed, bool present, struct vg_slice why)
{
    set_feed(v, feed, present, why);
    v->feed_global[feed_bit(feed)] = !present;
}

static int64_t day_of(int64_t t)
{
    return t >= 0 ? t / RK_DAY : (t - RK_DAY + 1) / RK_DAY;
}

/* Messages of feed kind ('G' gate, 'T' terminal, 'W' stowage, 'S' status) at port (and
 * terminal, 0 any) on days [d0, d1]. */
static bool any_on_days(
    const struct rk_ctx *c, char kind, uint32_t port, uint32_t terminal, int64_t d0, int64_t d1)
{
    for (int64_t d = d0; d <= d1; d++) {
        char key[RK_KEY_SIZE];
        uint64_t cnt;
        if (vg_map_get(&c->feed_days, key, rk_key(key, kind, port, terminal, d), &cnt) && cnt > 0) {
            return true;
        }
    }
    return false;
}

static struct vg_slice days_text(struct rk_view *v, int64_t d0, int64_t d1)
{
    char a[32], b[32];
    vg_time_format_iso8601(d0 * RK_DAY, a, sizeof(a));
    vg_time_format_iso8601(d1 * RK_DAY, b, sizeof(b));
    a[10] = b[10] = '\0';
    if (d0 == d1) {
        return rk_fmt(v, "%s", a);
    }
    return rk_fmt(v, "%s to %s", a, b);
}

static void gate_feed(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    for (size_t i = 0; i < v->nev; i++) {
        if (v->ev[i].kind == RK_EV_GATE_IN || v->ev[i].kind == RK_EV_GATE_OUT) {
            set_feed(v, VG_FEED_GATE, true, VG_SLICE_EMPTY);
            return;
        }
    }
    if (v->trip->direction == RK_TRANSHIPMENT) {
        /* Transhipped boxes stay inside the terminal: no gate move is expected. */
        set_feed(v, VG_FEED_GATE, true, VG_SLICE_EMPTY);
        return;
    }
    /* The days a gate move was due: the three days before loading (up to as_of), or for
     * imports the days after discharge. */
    int64_t d1, d0;
    if (v->trip->direction == RK_IMPORT) {
        d0 = day_of(v->ref);
        d1 = day_of(v->as_of);
        if (d1 > d0 + 3) {
            d1 = d0 + 3;
        }
    } else {
        d1 = day_of(v->ref);
        d0 = d1 - 3;
    }
    uint32_t port = v->trip->port;
    uint32_t terminal = v->call != NULL ? v->call->terminal : 0;
    if (terminal != 0 && any_on_days(c, 'G', port, terminal, d0, d1)) {
        set_feed(v, VG_FEED_GATE, true, VG_SLICE_EMPTY);
        return;
    }
    if (terminal == 0 && any_on_days(c, 'G', port, 0, d0, d1)) {
        set_feed(v, VG_FEED_GATE, true, VG_SLICE_EMPTY);
        return;
    }
    struct vg_slice days = days_text(v, d0, d1);
    if (terminal != 0) {
        set_feed(v, VG_FEED_GATE, false,
                 rk_fmt(v, "no gate messages from %s terminal %s on %.*s", rk_cstr(&c->s, port),
                        rk_cstr(&c->s, terminal), (int)days.len, days.ptr));
    } else {
        set_feed(v, VG_FEED_GATE, false,
                 rk_fmt(v, "no gate messages from %s on %.*s", rk_cstr(&c->s, port), (int)days.len,
                        days.ptr));
    }
}

static void terminal_feed(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    if (v->load_ev != NULL) {
        set_feed(v, VG_FEED_TERMINAL, true, VG_SLICE_EMPTY);
        set_feed(v, VG_FEED_STOWAGE, true, VG_SLICE_EMPTY);
        return;
    }
    for (size_t i = 0; i < v->nev; i++) {
        if (v->ev[i].kind == RK_EV_LOAD || v->ev[i].kind == RK_EV_DISCHARGE) {
            set_feed(v, VG_FEED_TERMINAL, true, VG_SLICE_EMPTY);
            set_feed(v, VG_FEED_STOWAGE, true, VG_SLICE_EMPTY);
            return;
        }
    }
    if (!v->loaded) {
        /* Not loaded yet as of the assessment: the terminal has nothing to report yet; the
         * features about loading say so themselves. */
        set_feed(v, VG_FEED_TERMINAL, true, VG_SLICE_EMPTY);
        set_feed(v, VG_FEED_STOWAGE, true, VG_SLICE_EMPTY);
        return;
    }
    int64_t d = day_of(v->t_ref);
    bool t = any_on_days(c, 'T', v->trip->port, 0, d - 1, d);
    bool w = any_on_days(c, 'W', v->trip->port, 0, d - 1, d + 1);
    struct vg_slice day = rk_day_text(v, v->t_ref);
    set_feed(v, VG_FEED_TERMINAL, t || w,
             rk_fmt(v, "no loading report from %s around %.*s", rk_cstr(&c->s, v->trip->port),
                    (int)day.len, day.ptr));
    set_feed(v, VG_FEED_STOWAGE, t || w,
             rk_fmt(v, "no loading report or bay plan from %s around %.*s",
                    rk_cstr(&c->s, v->trip->port), (int)day.len, day.ptr));
}

static void status_feed(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    for (size_t i = 0; i < v->nev; i++) {
        uint8_t k = v->ev[i].kind;
        if (k == RK_EV_STATUS || k == RK_EV_INSPECTION || k == RK_EV_SEAL_CHANGE ||
            k == RK_EV_STRIPPING || k == RK_EV_STUFFING) {
            set_feed(v, VG_FEED_STATUS, true, VG_SLICE_EMPTY);
            return;
        }
    }
    if (!c->have_status) {
        set_global(v, VG_FEED_STATUS, false,
                   VG_SLICE_LIT("no status messages (IFTSTA: inspections, reseals) in the store"));
        return;
    }
    /* Status messages come only when something happens: the feed counts as present when
     * the port sent some in the 30 days before. */
    int64_t d1 = day_of(v->ref);
    if (any_on_days(c, 'S', v->trip->port, 0, d1 - 30, d1)) {
        set_feed(v, VG_FEED_STATUS, true, VG_SLICE_EMPTY);
        return;
    }
    struct vg_slice day = rk_day_text(v, v->ref);
    set_feed(v, VG_FEED_STATUS, false,
             rk_fmt(v, "no status messages from %s in the 30 days before %.*s",
                    rk_cstr(&c->s, v->trip->port), (int)day.len, day.ptr));
}

static void ais_feed(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    if (!c->have_ais) {
        set_global(v, VG_FEED_AIS, false, VG_SLICE_LIT("no AIS in the store"));
        return;
    }
    const struct rk_vessel *vs = v->call != NULL && v->call->vessel != RK_NONE
                                     ? RK_AT(c->vessels, struct rk_vessel, v->call->vessel)
                                     : NULL;
    if (vs == NULL) {
        set_feed(v, VG_FEED_AIS, false, VG_SLICE_LIT("the vessel of the trip is not known"));
        return;
    }
    if (vs->ais_n == 0 && vs->ev_n == 0) {
        set_feed(v, VG_FEED_AIS, false,
                 rk_fmt(v, "no AIS of the vessel %s (MMSI %s)", rk_cstr(&c->s, vs->name),
                        vs->mmsi != 0 ? "known" : "unknown"));
        return;
    }
    /* Coverage around the call: from two days before the reference time to as_of. */
    int64_t from = v->ref - 2 * (int64_t)RK_DAY, to = v->as_of;
    for (uint32_t i = 0; i < vs->ais_n; i++) {
        const struct rk_interval *iv = RK_AT(c->ais, struct rk_interval, vs->ais_off + i);
        if (iv->to >= from && iv->from <= to) {
            set_feed(v, VG_FEED_AIS, true, VG_SLICE_EMPTY);
            return;
        }
    }
    for (uint32_t i = 0; i < vs->ev_n; i++) {
        const struct rk_vevent *e = RK_AT(c->vevents, struct rk_vevent, vs->ev_off + i);
        if (e->end >= from && e->start <= to) {
            set_feed(v, VG_FEED_AIS, true, VG_SLICE_EMPTY);
            return;
        }
    }
    struct vg_slice day = rk_day_text(v, v->ref);
    set_feed(v, VG_FEED_AIS, false,
             rk_fmt(v, "no AIS of the vessel %s around %.*s", rk_cstr(&c->s, vs->name),
                    (int)day.len, day.ptr));
}

enum vg_status rk_features_feeds(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    set_feed(v, VG_FEED_MANIFEST, v->nbills > 0,
             VG_SLICE_LIT("no cargo report for the container on this call yet"));
    bool value = false;
    for (size_t i = 0; i < v->nbills && !value; i++) {
        const struct rk_bill *b = RK_AT(c->bills, struct rk_bill, v->bills[i]);
        for (uint32_t g = 0; g < b->goods_n && !value; g++) {
            value = RK_AT(c->goods, struct rk_goods, b->goods_off + g)->value > 0;
        }
    }
    set_feed(v, VG_FEED_DECLARATION, value,
             VG_SLICE_LIT("no customs declaration feed, and the cargo report gives no value"));
    set_feed(v, VG_FEED_BOOKING, false,
             VG_SLICE_LIT("no booking or shipping-instruction feed (IFTMIN) in the store"));
    gate_feed(v);
    terminal_feed(v);
    status_feed(v);
    ais_feed(v);
    set_global(v, VG_FEED_WATCHLIST, c->have_watchlists, VG_SLICE_LIT("no watch list imported"));
    set_global(v, VG_FEED_OUTCOMES,
               c->first_outcome != VG_TIME_NONE && c->first_outcome <= v->as_of,
               VG_SLICE_LIT("no inspection outcomes recorded yet"));
    set_feed(v, VG_FEED_REGISTRY, false, VG_SLICE_LIT("no tax registry (SUNAT RUC) feed"));
    if (v->trip->direction == RK_IMPORT) {
        int b = feed_bit(VG_FEED_GATE);
        set_feed(v, VG_FEED_RELEASE, v->feed[b], v->feed_why[b]);
    } else {
        set_feed(v, VG_FEED_RELEASE, false,
                 VG_SLICE_LIT("not an import: no release or pick-up at this port"));
    }
    set_feed(v, VG_FEED_AUDIT, false, VG_SLICE_LIT("no log of container look-ups by staff (M2)"));
    return VG_OK;
}
