/*
 * Trip and route features: the port and direction of the trip, the carrier, the places of
 * the main bill (receipt, discharge, delivery, transhipments), the countries they lie in,
 * the consignee's country against them, and how usual the routing is: the share of the
 * port's recent trips to the same destination country that went the same way. A hub is
 * not suspect in itself (most boxes to Europe from Peru pass Panama or Cartagena); a
 * routing that the lane hardly ever uses is [DT27][DT16][EU14].
 */
#include "risk/risk_int.h"

#include <stdio.h>
#include <string.h>

#define ROUTE_WINDOW (90 * (int64_t)RK_DAY)
#define ROUTE_MIN    30

static const struct rk_bill *main_bill(const struct rk_view *v)
{
    return v->main_bill != RK_NONE ? RK_AT(v->c->bills, struct rk_bill, v->main_bill) : NULL;
}

static void cite_bill(struct rk_view *v, int f, const struct rk_bill *b)
{
    if (b != NULL) {
        rk_cite_msg(v, f, b->message_id, b->segment_no);
    }
}

static void
set_code(struct rk_view *v, int f, uint32_t id, const struct rk_bill *b, const char *missing)
{
    if (rk_need(v, f, VG_FEED_MANIFEST)) {
        return;
    }
    if (id == 0) {
        rk_unknown(v, f, vg_slice_from_cstr(missing));
        return;
    }
    rk_set(v, f, vg_value_string(rk_str(&v->c->s, id)));
    cite_bill(v, f, b);
}

/* The ISO 3166 subdivision of a UN/LOCODE ("PE-HUC"), from the imported list; 0 when the
 * list does not give one. */
static uint32_t region_of(struct rk_ctx *c, uint32_t locode)
{
    struct vg_slice l = rk_str(&c->s, locode);
    uint64_t v;
    if (vg_map_get(&c->locode_region, l.ptr, l.len, &v)) {
        return (uint32_t)(v - 1);
    }
    uint32_t id = 0;
    static const char sql[] = "SELECT country, subdivision FROM code_locodes WHERE locode = ?1";
    sqlite3_stmt *st = vg__store_stmt(c->store, sql, NULL);
    if (st != NULL) {
        sqlite3_bind_text(st, 1, l.ptr, (int)l.len, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *cc = (const char *)sqlite3_column_text(st, 0);
            const char *sub = (const char *)sqlite3_column_text(st, 1);
            if (cc != NULL && sub != NULL && *sub != '\0') {
                char buf[16];
                int n = snprintf(buf, sizeof(buf), "%.2s-%.3s", cc, sub);
                if (rk_intern(&c->s, buf, (size_t)n, &id) != VG_OK) {
                    c->oom = true;
                    id = 0;
                }
            }
        }
        sqlite3_reset(st);
    }
    if (vg_map_set(&c->locode_region, l.ptr, l.len, (uint64_t)id + 1) != VG_OK) {
        c->oom = true;
    }
    return id;
}

static struct vg_slice country2(struct rk_ctx *c, uint32_t locode)
{
    struct vg_slice l = rk_str(&c->s, locode);
    return l.len >= 2 ? vg_slice_make(l.ptr, 2) : VG_SLICE_EMPTY;
}

uint32_t rk_route_key(struct rk_ctx *c, struct rk_bill *b, uint32_t port)
{
    if (b->route != 0 && b->route_port == port) {
        return b->route;
    }
    char buf[256];
    size_t w = 0;
    for (uint32_t i = 0; i < b->place_n; i++) {
        const struct rk_bplace *p = RK_AT(c->bplaces, struct rk_bplace, b->place_off + i);
        if (p->q != RK_PL_TRANSHIPMENT || p->locode == port) {
            continue;
        }
        struct vg_slice l = rk_str(&c->s, p->locode);
        if (w + l.len + 2 >= sizeof(buf)) {
            break;
        }
        if (w > 0) {
            buf[w++] = '>';
        }
        memcpy(buf + w, l.ptr, l.len);
        w += l.len;
    }
    uint32_t id = 0;
    if (w == 0) {
        w = 1;
        buf[0] = '-'; /* direct */
    }
    if (rk_intern(&c->s, buf, w, &id) != VG_OK) {
        c->oom = true;
    }
    b->route = id;
    b->route_port = port;
    return id;
}

enum vg_status rk_route_samples(struct rk_ctx *c)
{
    for (size_t i = 0; i < c->trips.n; i++) {
        const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, i);
        if (t->direction != RK_EXPORT || t->t_ref == VG_TIME_NONE || t->call == RK_NONE) {
            continue;
        }
        const struct rk_container *ct = RK_AT(c->containers, struct rk_container, t->container);
        for (uint32_t k = 0; k < ct->bill_n; k++) {
            struct rk_bill *b =
                RK_AT(c->bills, struct rk_bill, *RK_AT(c->cont_bills, uint32_t, ct->bill_off + k));
            if (b->call != t->call || b->cancelled || b->dest_cc == 0) {
                continue;
            }
            uint32_t r = rk_route_key(c, b, t->port);
            enum vg_status s = rk_norm_add(c, 'R', t->port, b->dest_cc, t->t_ref, (double)r);
            if (s != VG_OK) {
                return s;
            }
            break;
        }
    }
    return c->oom ? VG_ENOMEM : VG_OK;
}

/* How usual the trip's routing is on its lane (port to destination country). */
static void route_share(struct rk_view *v, struct rk_bill *b)
{
    struct rk_ctx *c = v->c;
    if (rk_need(v, VG_F_ROUTE_SHARE, VG_FEED_MANIFEST)) {
        return;
    }
    if (v->trip->direction == RK_IMPORT) {
        rk_unknown(v, VG_F_ROUTE_SHARE, VG_SLICE_LIT("an import: routes are learned on exports"));
        return;
    }
    if (b == NULL || b->dest_cc == 0) {
        rk_unknown(v, VG_F_ROUTE_SHARE,
                   VG_SLICE_LIT("the cargo report gives no place of delivery or discharge"));
        return;
    }
    uint32_t r = rk_route_key(c, b, v->trip->port);
    double share;
    size_t n;
    int64_t day = (v->ref / RK_DAY) * RK_DAY;
    if (rk_norm_share(c, 'R', v->trip->port, b->dest_cc, day, ROUTE_WINDOW, (double)r, ROUTE_MIN,
                      &share, &n)) {
        rk_set(v, VG_F_ROUTE_SHARE, vg_value_number(share));
        cite_bill(v, VG_F_ROUTE_SHARE, b);
    } else {
        rk_unknown(v, VG_F_ROUTE_SHARE,
                   rk_fmt(v, "%zu earlier trips from %s to %s in 90 days (30 needed)", n,
                          rk_cstr(&c->s, v->trip->port), rk_cstr(&c->s, b->dest_cc)));
    }
}

enum vg_status rk_features_route(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    const struct rk_bill *b = main_bill(v);
    static const char *const dirs[] = { "export", "import", "transhipment" };

    rk_set(v, VG_F_PORT, vg_value_string(rk_str(&c->s, v->trip->port)));
    rk_set(v, VG_F_DIRECTION, vg_value_string(vg_slice_from_cstr(dirs[v->trip->direction])));
    cite_bill(v, VG_F_PORT, b);
    cite_bill(v, VG_F_DIRECTION, b);
    if (v->call != NULL) {
        rk_cite_msg(v, VG_F_PORT, v->call->message_id, 0);
    }

    uint32_t carrier = v->call != NULL && v->call->carrier != 0 ? v->call->carrier
                       : b != NULL                              ? b->carrier
                                                                : 0;
    set_code(v, VG_F_CARRIER, carrier, b, "the cargo report names no carrier");
    set_code(v, VG_F_PLACE_OF_RECEIPT, b != NULL ? b->por : 0, b,
             "the cargo report gives no place of receipt");
    set_code(v, VG_F_DISCHARGE_PORT, b != NULL ? b->pod : 0, b,
             "the cargo report gives no port of discharge");

    /* Receipt region: the stuffing place when reported, else the place of receipt. */
    if (!rk_need(v, VG_F_RECEIPT_REGION, VG_FEED_MANIFEST)) {
        uint32_t place = 0;
        for (size_t i = 0; i < v->nev; i++) {
            if (v->ev[i].kind == RK_EV_STUFFING && v->ev[i].place != 0) {
                place = v->ev[i].place;
                rk_cite_msg(v, VG_F_RECEIPT_REGION, v->ev[i].message_id, v->ev[i].segment_no);
            }
        }
        if (place == 0 && b != NULL) {
            place = b->por;
            cite_bill(v, VG_F_RECEIPT_REGION, b);
        }
        if (place == 0) {
            rk_unknown(v, VG_F_RECEIPT_REGION,
                       VG_SLICE_LIT("the cargo report gives no place of receipt"));
        } else if (!c->have_locodes) {
            rk_unknown(v, VG_F_RECEIPT_REGION,
                       VG_SLICE_LIT("the UN/LOCODE list is not imported (vigia codes import "
                                    "unlocode)"));
        } else {
            uint32_t r = region_of(c, place);
            if (r == 0) {
                rk_unknown(
                    v, VG_F_RECEIPT_REGION,
                    rk_fmt(v, "UN/LOCODE gives no subdivision for %s", rk_cstr(&c->s, place)));
            } else {
                rk_set(v, VG_F_RECEIPT_REGION, vg_value_string(rk_str(&c->s, r)));
            }
        }
    }

    /* Destination country: of the place of delivery, else of the port of discharge. */
    uint32_t dest = b != NULL ? (b->pdl != 0 ? b->pdl : b->pod) : 0;
    if (!rk_need(v, VG_F_DESTINATION_COUNTRY, VG_FEED_MANIFEST)) {
        if (dest == 0) {
            rk_unknown(v, VG_F_DESTINATION_COUNTRY,
                       VG_SLICE_LIT("the cargo report gives no place of delivery or discharge"));
        } else {
            rk_set(v, VG_F_DESTINATION_COUNTRY, vg_value_string(country2(c, dest)));
            cite_bill(v, VG_F_DESTINATION_COUNTRY, b);
        }
    }

    /* Transhipment ports in route order, the trip's own port left out. */
    if (!rk_need(v, VG_F_TRANSHIPMENT_PORTS, VG_FEED_MANIFEST)) {
        size_t n = 0, nc = 0;
        struct vg_slice *ports = vg_arena_alloc(v->arena, RK_MAX_LIST * sizeof(struct vg_slice));
        struct vg_slice *countries =
            vg_arena_alloc(v->arena, RK_MAX_LIST * sizeof(struct vg_slice));
        if (ports == NULL || countries == NULL) {
            return VG_ENOMEM;
        }
        for (uint32_t i = 0; b != NULL && i < b->place_n && n < RK_MAX_LIST; i++) {
            const struct rk_bplace *p = RK_AT(c->bplaces, struct rk_bplace, b->place_off + i);
            if (p->q != RK_PL_TRANSHIPMENT || p->locode == v->trip->port) {
                continue;
            }
            struct vg_slice l = rk_str(&c->s, p->locode);
            bool dup = false;
            for (size_t k = 0; k < n && !dup; k++) {
                dup = vg_slice_eq(ports[k], l);
            }
            if (dup) {
                continue;
            }
            ports[n++] = l;
            struct vg_slice cc = country2(c, p->locode);
            dup = false;
            for (size_t k = 0; k < nc && !dup; k++) {
                dup = vg_slice_eq(countries[k], cc);
            }
            if (!dup && cc.len == 2) {
                countries[nc++] = cc;
            }
        }
        rk_set(v, VG_F_TRANSHIPMENT_PORTS, vg_value_list(ports, n));
        rk_set(v, VG_F_TRANSHIPMENT_COUNTRIES, vg_value_list(countries, nc));
        rk_set(v, VG_F_TRANSHIPMENT_COUNT, vg_value_number((double)n));
        cite_bill(v, VG_F_TRANSHIPMENT_PORTS, b);
        cite_bill(v, VG_F_TRANSHIPMENT_COUNTRIES, b);
        cite_bill(v, VG_F_TRANSHIPMENT_COUNT, b);
    } else {
        rk_need(v, VG_F_TRANSHIPMENT_COUNTRIES, VG_FEED_MANIFEST);
        rk_need(v, VG_F_TRANSHIPMENT_COUNT, VG_FEED_MANIFEST);
    }

    route_share(v, v->main_bill != RK_NONE ? RK_AT(c->bills, struct rk_bill, v->main_bill) : NULL);

    /* Origin: the port itself for exports; else the original port of loading. */
    if (v->trip->direction == RK_EXPORT) {
        rk_set(v, VG_F_ORIGIN_PORT, vg_value_string(rk_str(&c->s, v->trip->port)));
        cite_bill(v, VG_F_ORIGIN_PORT, b);
    } else if (!rk_need(v, VG_F_ORIGIN_PORT, VG_FEED_MANIFEST)) {
        uint32_t origin = 0;
        for (uint32_t i = 0; b != NULL && i < b->place_n && origin == 0; i++) {
            const struct rk_bplace *p = RK_AT(c->bplaces, struct rk_bplace, b->place_off + i);
            if (p->q == RK_PL_ORIGIN_LOADING) {
                origin = p->locode;
            }
        }
        if (origin == 0 && b != NULL) {
            origin = b->pol;
        }
        set_code(v, VG_F_ORIGIN_PORT, origin, b, "the cargo report gives no port of loading");
    }

    /* The consignee's country against the itinerary. */
    if (!rk_need(v, VG_F_CONSIGNEE_COUNTRY, VG_FEED_MANIFEST)) {
        if (v->consignee == NULL) {
            rk_unknown(v, VG_F_CONSIGNEE_COUNTRY,
                       VG_SLICE_LIT("the cargo report names no consignee"));
            rk_unknown(v, VG_F_CONSIGNEE_COUNTRY_MISMATCH,
                       VG_SLICE_LIT("the cargo report names no consignee"));
        } else if (rk_str(&c->s, v->consignee->country).len != 2) {
            rk_unknown(v, VG_F_CONSIGNEE_COUNTRY,
                       VG_SLICE_LIT("the consignee's address gives no country"));
            rk_unknown(v, VG_F_CONSIGNEE_COUNTRY_MISMATCH,
                       VG_SLICE_LIT("the consignee's address gives no country"));
        } else {
            struct vg_slice cc = rk_str(&c->s, v->consignee->country);
            rk_set(v, VG_F_CONSIGNEE_COUNTRY, vg_value_string(cc));
            cite_bill(v, VG_F_CONSIGNEE_COUNTRY, b);
            rk_cite_msg(v, VG_F_CONSIGNEE_COUNTRY, b != NULL ? b->message_id : 0,
                        v->consignee->segment_no);
            struct vg_slice pod = b != NULL && b->pod != 0 ? country2(c, b->pod) : VG_SLICE_EMPTY;
            struct vg_slice pdl = b != NULL && b->pdl != 0 ? country2(c, b->pdl) : VG_SLICE_EMPTY;
            if (pod.len == 0 && pdl.len == 0) {
                rk_unknown(
                    v, VG_F_CONSIGNEE_COUNTRY_MISMATCH,
                    VG_SLICE_LIT("the cargo report gives no place of discharge or delivery"));
            } else {
                bool mismatch = !vg_slice_eq(cc, pod) && !vg_slice_eq(cc, pdl);
                rk_set(v, VG_F_CONSIGNEE_COUNTRY_MISMATCH, vg_value_bool(mismatch));
                rk_cite_msg(v, VG_F_CONSIGNEE_COUNTRY_MISMATCH, b != NULL ? b->message_id : 0,
                            v->consignee->segment_no);
            }
        }
    } else {
        rk_need(v, VG_F_CONSIGNEE_COUNTRY_MISMATCH, VG_FEED_MANIFEST);
    }
    return VG_OK;
}
