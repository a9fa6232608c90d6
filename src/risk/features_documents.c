/*
 * Identity and documents: the container number's check digit, the same number reported in
 * two places it could not have travelled between, how long before loading the cargo was
 * reported, amendments, master and house bills that disagree, split consignments, bills
 * switched at transhipment, the number of bills, a box declared as another type than the
 * number was first recorded with.
 */
#include "risk/risk_int.h"

#include <math.h>
#include <string.h>
#include <vigia/ident.h>
#include <vigia/maritime.h>

#define TWO_PLACES_WINDOW (30 * (int64_t)RK_DAY)
#define LAND_KMH          80.0

static const struct rk_bill *current_of(const struct rk_ctx *c, const struct rk_bill *b)
{
    if (b->current) {
        return b;
    }
    return RK_AT(c->bills, struct rk_bill, c->bill_by_id[b->id] - 1);
}

/* Impossible travel between two consecutive reports of the container. */
static void two_places(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    const struct rk_container *ct = v->cont;
    const struct rk_event *ev = RK_AT(c->events, struct rk_event, ct->ev_off);
    const struct rk_event *prev = NULL;
    bool found = false;
    for (uint32_t i = 0; i < ct->ev_n && !found; i++) {
        const struct rk_event *e = &ev[i];
        if (e->t > v->as_of) {
            break;
        }
        if (e->t < v->as_of - TWO_PLACES_WINDOW || e->place == 0) {
            continue;
        }
        if (prev != NULL && prev->place != e->place) {
            double hours = (double)(e->t - prev->t) / 3600.0;
            double la, lo, lb, lob;
            bool known = rk_port_position(c, prev->place, &la, &lo) &&
                         rk_port_position(c, e->place, &lb, &lob);
            if (known) {
                double km = vg_geo_distance_km(la, lo, lb, lob);
                found = km > 10.0 && km > LAND_KMH * hours + 10.0;
            } else {
                /* Places of unknown position: two ports within the same half hour. */
                found = hours < 0.5;
            }
            if (found) {
                rk_cite_msg(v, VG_F_CONTAINER_TWO_PLACES, prev->message_id, prev->segment_no);
                rk_cite_msg(v, VG_F_CONTAINER_TWO_PLACES, e->message_id, e->segment_no);
            }
        }
        prev = e;
    }
    /* Inside a terminal between its full gate-in and its loading or gate-out there, and
     * yet reported at another port in between: the journey there and back is possible by
     * road, the terminal's own records say the box never left [DT16]. */
    for (uint32_t i = 0; i < ct->ev_n && !found; i++) {
        const struct rk_event *in = &ev[i];
        if (in->t > v->as_of) {
            break;
        }
        if (in->kind != RK_EV_GATE_IN || in->place == 0 || in->full_empty == RK_FE_EMPTY ||
            in->t < v->as_of - TWO_PLACES_WINDOW) {
            continue;
        }
        const struct rk_event *away = NULL;
        for (uint32_t j = i + 1; j < ct->ev_n && ev[j].t <= v->as_of; j++) {
            const struct rk_event *e = &ev[j];
            if (e->place == in->place) {
                if (e->kind == RK_EV_GATE_OUT || e->kind == RK_EV_LOAD ||
                    e->kind == RK_EV_STOWAGE) {
                    found = away != NULL;
                    if (found) {
                        rk_cite_msg(v, VG_F_CONTAINER_TWO_PLACES, in->message_id, in->segment_no);
                        rk_cite_msg(v, VG_F_CONTAINER_TWO_PLACES, away->message_id,
                                    away->segment_no);
                    }
                    break;
                }
            } else if (e->place != 0 && away == NULL) {
                away = e;
            }
        }
    }
    /* Loaded onto two different calls with no discharge between them: one box cannot be
     * on two ships; a clone carries the number of a real box [DT16]. */
    const struct rk_event *other = NULL;
    for (uint32_t i = 0; i < ct->ev_n && !found; i++) {
        const struct rk_event *e = &ev[i];
        if (e->t > v->as_of) {
            break;
        }
        if (e->t < v->as_of - TWO_PLACES_WINDOW || e->place != v->trip->port) {
            continue;
        }
        if (e->kind == RK_EV_DISCHARGE) {
            other = NULL;
        } else if ((e->kind == RK_EV_LOAD || e->kind == RK_EV_STOWAGE) && e->call != RK_NONE) {
            if (other != NULL && other->call != e->call) {
                const struct rk_call *a = RK_AT(c->calls, struct rk_call, other->call);
                const struct rk_call *b = RK_AT(c->calls, struct rk_call, e->call);
                if (a->vessel != b->vessel || a->vessel == RK_NONE) {
                    found = true;
                    rk_cite_msg(v, VG_F_CONTAINER_TWO_PLACES, other->message_id, other->segment_no);
                    rk_cite_msg(v, VG_F_CONTAINER_TWO_PLACES, e->message_id, e->segment_no);
                }
            }
            other = e;
        }
    }
    rk_set(v, VG_F_CONTAINER_TWO_PLACES, vg_value_bool(found));
}

struct sums {
    double kg, packages;
    uint32_t pol, pod;
};

static void bill_sums(const struct rk_ctx *c, const struct rk_bill *b, struct sums *s)
{
    for (uint32_t g = 0; g < b->goods_n; g++) {
        const struct rk_goods *gd = RK_AT(c->goods, struct rk_goods, b->goods_off + g);
        s->kg += !isnan(gd->gross_kg) ? gd->gross_kg : 0;
        s->packages += !isnan(gd->packages) ? gd->packages : 0;
    }
}

static bool off_by(double a, double b)
{
    double m = a > b ? a : b;
    return m > 0 && fabs(a - b) / m > 0.01;
}

/* The houses of a master add up to it (packages and weight within 1%) and name its ports. */
static void house_master(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    bool bad = false;
    for (size_t i = 0; i < v->nbills && !bad; i++) {
        const struct rk_bill *m = RK_AT(c->bills, struct rk_bill, v->bills[i]);
        const struct rk_bill *mc = current_of(c, m);
        if (mc->house_n == 0) {
            continue;
        }
        struct sums ms = { 0 }, hs = { 0 };
        bill_sums(c, m, &ms);
        size_t nh = 0;
        for (size_t h = 0; h < v->nhouses; h++) {
            const struct rk_bill *hb = RK_AT(c->bills, struct rk_bill, v->houses[h]);
            if (current_of(c, hb)->master != (uint32_t)(c->bill_by_id[m->id] - 1)) {
                continue;
            }
            nh++;
            bill_sums(c, hb, &hs);
            if ((hb->pol != 0 && m->pol != 0 && hb->pol != m->pol) ||
                (hb->pod != 0 && m->pod != 0 && hb->pod != m->pod)) {
                bad = true;
                rk_cite_msg(v, VG_F_HOUSE_MASTER_INCONSISTENT, hb->message_id, hb->segment_no);
            }
        }
        if (nh > 0 && (ms.kg > 0 || ms.packages > 0) &&
            (off_by(ms.kg, hs.kg) || off_by(ms.packages, hs.packages))) {
            bad = true;
        }
        if (bad) {
            rk_cite_msg(v, VG_F_HOUSE_MASTER_INCONSISTENT, m->message_id, m->segment_no);
        }
    }
    rk_set(v, VG_F_HOUSE_MASTER_INCONSISTENT, vg_value_bool(bad));
}

/* Containers of the same bill loaded on another call (another vessel or voyage) at the
 * trip's port: the consignment travels apart. */
static void split(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    bool split = false;
    for (size_t i = 0; i < v->nbills && !split; i++) {
        const struct rk_bill *b = current_of(c, RK_AT(c->bills, struct rk_bill, v->bills[i]));
        if (b->equip_n < 2 || b->equip_n > 200) {
            continue;
        }
        for (uint32_t e = 0; e < b->equip_n && !split; e++) {
            const struct rk_container *k =
                RK_AT(c->containers, struct rk_container,
                      RK_AT(c->equips, struct rk_equip, b->equip_off + e)->container);
            const struct rk_event *ev = RK_AT(c->events, struct rk_event, k->ev_off);
            for (uint32_t j = 0; j < k->ev_n; j++) {
                const struct rk_event *x = &ev[j];
                if (x->t > v->as_of || x->t < v->win_start) {
                    continue;
                }
                if ((x->kind == RK_EV_LOAD || x->kind == RK_EV_STOWAGE) && x->call != RK_NONE &&
                    x->call != v->trip->call && x->place == v->trip->port) {
                    split = true;
                    rk_cite_msg(v, VG_F_SPLIT_CONSIGNMENT, x->message_id, x->segment_no);
                    break;
                }
            }
        }
    }
    rk_set(v, VG_F_SPLIT_CONSIGNMENT, vg_value_bool(split));
    if (v->main_bill != RK_NONE) {
        const struct rk_bill *mb = RK_AT(c->bills, struct rk_bill, v->main_bill);
        rk_cite_msg(v, VG_F_SPLIT_CONSIGNMENT, mb->message_id, mb->segment_no);
    }
}

/* The container arrived on an earlier leg under another bill whose shipper or consignee
 * differ. */
static void switched(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    const struct rk_container *ct = v->cont;
    const struct rk_trip *prev = NULL;
    for (uint32_t i = 0; i < ct->trip_n; i++) {
        uint32_t ti = *RK_AT(c->cont_trips, uint32_t, ct->trip_off + i);
        if (ti == v->trip_idx) {
            break;
        }
        prev = RK_AT(c->trips, struct rk_trip, ti);
    }
    bool sw = false;
    if (prev != NULL && prev->direction != RK_EXPORT && prev->port == v->trip->port &&
        prev->t_ref != VG_TIME_NONE && v->t_ref != VG_TIME_NONE && prev->t_ref <= v->as_of &&
        v->t_ref - prev->t_ref < 45 * (int64_t)RK_DAY) {
        for (uint32_t i = 0; i < ct->bill_n && !sw; i++) {
            const struct rk_bill *old =
                RK_AT(c->bills, struct rk_bill, *RK_AT(c->cont_bills, uint32_t, ct->bill_off + i));
            if (old->call != prev->call) {
                continue;
            }
            for (size_t j = 0; j < v->nbills && !sw; j++) {
                const struct rk_bill *now = RK_AT(c->bills, struct rk_bill, v->bills[j]);
                if (now->bl == old->bl) {
                    continue;
                }
                uint32_t a[2] = { rk_party_id(c, old, RK_ROLE_SHIPPER),
                                  rk_party_id(c, old, RK_ROLE_CONSIGNEE) };
                uint32_t b[2] = { rk_party_id(c, now, RK_ROLE_SHIPPER),
                                  rk_party_id(c, now, RK_ROLE_CONSIGNEE) };
                if (a[0] != b[0] || a[1] != b[1]) {
                    sw = true;
                    rk_cite_msg(v, VG_F_SWITCHED_BL, old->message_id, old->segment_no);
                    rk_cite_msg(v, VG_F_SWITCHED_BL, now->message_id, now->segment_no);
                }
            }
        }
    }
    rk_set(v, VG_F_SWITCHED_BL, vg_value_bool(sw));
}

/* The trip's cargo report declares the box with another length (20, 40, 45 ft...) or type
 * group (general, reefer, tank...) than the number was first recorded with: another box
 * under the same number, as cloned numbers are [DT16]. Height (8'6" against 9'6") and
 * the last digit of the code are left out: senders confuse them all the time. */
static void type_conflict(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    const int f = VG_F_CONTAINER_TYPE_CONFLICT;
    if (rk_need(v, f, VG_FEED_MANIFEST)) {
        return;
    }
    struct vg_size_type first;
    struct vg_error e;
    if (v->cont->size_type == 0 ||
        vg_size_type_parse(rk_str(&c->s, v->cont->size_type), &first, &e) != VG_OK ||
        first.length_ft == 0 || first.group == VG_EQUIP_UNKNOWN) {
        rk_unknown(v, f, VG_SLICE_LIT("no known size-type code for the container"));
        return;
    }
    bool declared = false;
    for (size_t i = 0; i < v->nbills; i++) {
        const struct rk_bill *b = RK_AT(c->bills, struct rk_bill, v->bills[i]);
        for (uint32_t k = 0; k < b->equip_n; k++) {
            const struct rk_equip *eq = RK_AT(c->equips, struct rk_equip, b->equip_off + k);
            struct vg_size_type sz;
            if (eq->container != v->trip->container || eq->size_type == 0 ||
                vg_size_type_parse(rk_str(&c->s, eq->size_type), &sz, &e) != VG_OK ||
                sz.length_ft == 0 || sz.group == VG_EQUIP_UNKNOWN) {
                continue;
            }
            declared = true;
            if (sz.length_ft != first.length_ft || sz.group != first.group) {
                rk_set(v, f, vg_value_bool(true));
                rk_cite_msg(v, f, b->message_id, eq->segment_no);
                return;
            }
        }
    }
    if (!declared) {
        rk_unknown(v, f,
                   VG_SLICE_LIT("the cargo report gives no size-type code for the container"));
        return;
    }
    rk_set(v, f, vg_value_bool(false));
}

/* Loaded before any cargo report listed the container: the report came late (after
 * loading) or, as of the instant, not at all while the carrier was reporting the call
 * [EU6][ATS12]. Decided from the filing times, so it is known even when the report is
 * missing, which is exactly when the manifest features cannot be. */
static void report_late(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    const int f = VG_F_CARGO_REPORT_LATE;
    if (v->trip->direction == RK_IMPORT) {
        rk_unknown(v, f, VG_SLICE_LIT("an import: not loaded at this port"));
        return;
    }
    if (!v->loaded) {
        rk_unknown(v, f, VG_SLICE_LIT("not loaded yet"));
        return;
    }
    int64_t first = INT64_MAX;
    const struct rk_bill *fb = NULL;
    for (uint32_t i = 0; i < v->cont->bill_n; i++) {
        const struct rk_bill *b =
            RK_AT(c->bills, struct rk_bill, *RK_AT(c->cont_bills, uint32_t, v->cont->bill_off + i));
        if (b->call != v->trip->call || b->call == RK_NONE || b->cancelled) {
            continue;
        }
        int64_t t = b->filed == VG_TIME_NONE ? INT64_MIN : b->filed;
        if (t < first) {
            first = t;
            fb = b;
        }
    }
    if (fb != NULL && first <= v->t_load) {
        rk_set(v, f, vg_value_bool(false));
        rk_cite_msg(v, f, fb->message_id, fb->segment_no);
    } else if (fb != NULL && first <= v->as_of) {
        rk_set(v, f, vg_value_bool(true));
        rk_cite_msg(v, f, fb->message_id, fb->segment_no);
    } else if (v->call != NULL && v->call->first_filed != VG_TIME_NONE &&
               v->call->first_filed <= v->as_of) {
        rk_set(v, f, vg_value_bool(true));
    } else {
        rk_unknown(v, f, VG_SLICE_LIT("no cargo report for this call yet"));
        return;
    }
    if (v->load_ev != NULL) {
        rk_cite_msg(v, f, v->load_ev->message_id, v->load_ev->segment_no);
    }
}

enum vg_status rk_features_documents(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    report_late(v);
    rk_set(v, VG_F_CONTAINER_CHECK_DIGIT_FAILED, vg_value_bool(!v->cont->valid));
    if (!v->cont->valid) {
        rk_cite_msg(v, VG_F_CONTAINER_CHECK_DIGIT_FAILED, v->cont->finding_msg,
                    v->cont->finding_seg);
    }
    two_places(v);
    type_conflict(v);
    if (rk_need(v, VG_F_FILING_LEAD_HOURS, VG_FEED_MANIFEST)) {
        rk_need(v, VG_F_MANIFEST_AMENDMENTS, VG_FEED_MANIFEST);
        rk_need(v, VG_F_HOUSE_MASTER_INCONSISTENT, VG_FEED_MANIFEST);
        rk_need(v, VG_F_SPLIT_CONSIGNMENT, VG_FEED_MANIFEST);
        rk_need(v, VG_F_SWITCHED_BL, VG_FEED_MANIFEST);
        rk_need(v, VG_F_BL_COUNT, VG_FEED_MANIFEST);
        rk_need(v, VG_F_BILL_CONTAINERS, VG_FEED_MANIFEST);
        return VG_OK;
    }
    /* Filing lead: from the first filing of any bill of the trip to loading (the planned
     * departure when not yet loaded). */
    int64_t first = VG_TIME_NONE;
    int64_t fmsg = 0;
    size_t amendments = 0;
    for (size_t i = 0; i < v->nbills; i++) {
        const struct rk_bill *cur = current_of(c, RK_AT(c->bills, struct rk_bill, v->bills[i]));
        for (uint32_t k = 0; k < cur->ver_n; k++) {
            const struct rk_bill *ver =
                RK_AT(c->bills, struct rk_bill, *RK_AT(c->versions, uint32_t, cur->ver_off + k));
            if (ver->time != VG_TIME_NONE && ver->time > v->as_of) {
                break;
            }
            /* The first filing with a known time (versions without one come first). */
            if (ver->time != VG_TIME_NONE && (first == VG_TIME_NONE || ver->time < first)) {
                first = ver->time;
                fmsg = ver->message_id;
            }
            if (k > 0) {
                amendments++;
                rk_cite_msg(v, VG_F_MANIFEST_AMENDMENTS, ver->message_id, ver->segment_no);
            }
        }
    }
    int64_t load = v->t_load;
    if (load == VG_TIME_NONE && v->call != NULL) {
        load = v->call->etd;
    }
    if (first == VG_TIME_NONE) {
        rk_unknown(v, VG_F_FILING_LEAD_HOURS, VG_SLICE_LIT("the cargo report has no filing time"));
    } else if (load == VG_TIME_NONE) {
        rk_unknown(v, VG_F_FILING_LEAD_HOURS,
                   VG_SLICE_LIT("neither the loading nor the planned departure is known"));
    } else {
        rk_set(v, VG_F_FILING_LEAD_HOURS, vg_value_number((double)(load - first) / 3600.0));
        rk_cite_msg(v, VG_F_FILING_LEAD_HOURS, fmsg, 0);
        if (v->load_ev != NULL) {
            rk_cite_msg(v, VG_F_FILING_LEAD_HOURS, v->load_ev->message_id, v->load_ev->segment_no);
        }
    }
    rk_set(v, VG_F_MANIFEST_AMENDMENTS, vg_value_number((double)amendments));
    house_master(v);
    if (!rk_need(v, VG_F_SPLIT_CONSIGNMENT, VG_FEED_MANIFEST | VG_FEED_TERMINAL)) {
        split(v);
    }
    switched(v);
    rk_set(v, VG_F_BL_COUNT, vg_value_number((double)v->nbills));
    if (v->main_bill != RK_NONE) {
        const struct rk_bill *mb = RK_AT(c->bills, struct rk_bill, v->main_bill);
        rk_cite_msg(v, VG_F_BL_COUNT, mb->message_id, mb->segment_no);
        /* The version in force lists the consignment's boxes (the trip's own among them). */
        uint32_t n = mb->equip_n;
        rk_set(v, VG_F_BILL_CONTAINERS, vg_value_number((double)(n > 0 ? n : 1)));
        rk_cite_msg(v, VG_F_BILL_CONTAINERS, mb->message_id, mb->segment_no);
    } else {
        rk_unknown(v, VG_F_BILL_CONTAINERS, VG_SLICE_LIT("no bill of lading lists the container"));
    }
    return VG_OK;
}
