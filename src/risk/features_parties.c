/*
 * Party features: the history of the shipper and the consignee (resolved across shipments
 * by RUC or normalised name when ingested), counted over their earlier shipments: bills
 * whose departure and filing both lie before the trip's reference time. New products,
 * destinations and contacts compare the trip with that history; a redirected delivery
 * compares the versions of the bill filed by the as-of time.
 */
#include "risk/risk_int.h"

#include <stdio.h>
#include <string.h>

/* Shipments of a party before ref: how many, and the first one's time. */
static size_t earlier(const struct rk_shipment *s, size_t n, int64_t ref, int64_t *first)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s[mid].t < ref) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    *first = lo > 0 ? s[0].t : VG_TIME_NONE;
    return lo;
}

/* Whether the party had (kind, code) before ref, from the first-time map. */
static bool
had_before(const struct rk_ctx *c, char kind, uint32_t party, uint32_t code, int64_t ref)
{
    char key[RK_KEY_SIZE];
    uint64_t t;
    return vg_map_get(&c->first_heading, key, rk_key(key, kind, party, code, 0), &t) &&
           (int64_t)t < ref;
}

static void cite_party(struct rk_view *v, int f, const struct rk_bill *b, const struct rk_bparty *p)
{
    if (b != NULL && p != NULL) {
        rk_cite_msg(v, f, b->message_id, p->segment_no);
    }
}

struct history_ids {
    int is_new, count, days, new_product;
};

static void history(struct rk_view *v,
                    const struct rk_bparty *p,
                    const struct rk_bill *pb,
                    bool shipper,
                    const struct history_ids *f,
                    uint32_t heading)
{
    struct rk_ctx *c = v->c;
    const char *who = shipper ? "shipper" : "consignee";
    if (rk_need(v, f->is_new, VG_FEED_MANIFEST)) {
        rk_need(v, f->count, VG_FEED_MANIFEST);
        rk_need(v, f->days, VG_FEED_MANIFEST);
        rk_need(v, f->new_product, VG_FEED_MANIFEST);
        return;
    }
    if (p == NULL || p->party == RK_NONE) {
        struct vg_slice why = rk_fmt(v, "the cargo report names no %s", who);
        rk_unknown(v, f->is_new, why);
        rk_unknown(v, f->count, why);
        rk_unknown(v, f->days, why);
        rk_unknown(v, f->new_product, why);
        return;
    }
    const struct rk_party *pt = RK_AT(c->parties, struct rk_party, p->party);
    const struct rk_shipment *list = shipper ? RK_AT(c->shipments, struct rk_shipment, pt->ship_off)
                                             : RK_AT(c->receipts, struct rk_shipment, pt->recv_off);
    size_t n = shipper ? pt->ship_n : pt->recv_n;
    int64_t first;
    size_t k = earlier(list, n, v->ref, &first);
    rk_set(v, f->is_new, vg_value_bool(k == 0));
    rk_set(v, f->count, vg_value_number((double)k));
    double days = k > 0 && first > INT64_MIN + 1 ? (double)(v->ref - first) / RK_DAY : 0;
    rk_set(v, f->days, vg_value_number(days < 0 ? 0 : days));
    cite_party(v, f->is_new, pb, p);
    cite_party(v, f->count, pb, p);
    cite_party(v, f->days, pb, p);
    if (heading == 0) {
        rk_unknown(v, f->new_product, VG_SLICE_LIT("the cargo report gives no HS code"));
    } else {
        rk_set(
            v, f->new_product,
            vg_value_bool(k > 0 && !had_before(c, shipper ? 'S' : 'C', p->party, heading, v->ref)));
        cite_party(v, f->new_product, pb, p);
    }
}

/* Whether the consignee names a carrier: a party that appears as a carrier on some bill,
 * or the name of the bill's or the call's carrier. */
static bool names_carrier(struct rk_view *v, const struct rk_bparty *p)
{
    struct rk_ctx *c = v->c;
    if (p->party != RK_NONE && RK_AT(c->parties, struct rk_party, p->party)->carrier) {
        return true;
    }
    struct vg_slice name = rk_str(&c->s, p->name);
    uint32_t carriers[2] = { v->call != NULL ? v->call->carrier : 0,
                             v->main_bill != RK_NONE
                                 ? RK_AT(c->bills, struct rk_bill, v->main_bill)->carrier
                                 : 0 };
    for (int i = 0; i < 2; i++) {
        struct vg_slice k = rk_str(&c->s, carriers[i]);
        if (k.len >= 2 && name.len >= k.len) {
            /* The carrier's code as the consignee's name or its first word. */
            bool prefix = true;
            for (size_t j = 0; j < k.len && prefix; j++) {
                char a = name.ptr[j], b = k.ptr[j];
                a = (a >= 'a' && a <= 'z') ? (char)(a - 'a' + 'A') : a;
                b = (b >= 'a' && b <= 'z') ? (char)(b - 'a' + 'A') : b;
                prefix = a == b;
            }
            if (prefix && (name.len == k.len || name.ptr[k.len] == ' ')) {
                return true;
            }
        }
    }
    return false;
}

/* A master bill whose shipper is a forwarder, with no house bill naming the actual one. */
static void behind_nvocc(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    if (rk_need(v, VG_F_SHIPPER_UNKNOWN_BEHIND_NVOCC, VG_FEED_MANIFEST)) {
        return;
    }
    const struct rk_bill *mb =
        v->main_bill != RK_NONE ? RK_AT(c->bills, struct rk_bill, v->main_bill) : NULL;
    const struct rk_bparty *ms = NULL;
    for (uint32_t i = 0; mb != NULL && i < mb->party_n; i++) {
        const struct rk_bparty *p = RK_AT(c->bparties, struct rk_bparty, mb->party_off + i);
        if (p->role == RK_ROLE_SHIPPER) {
            ms = p;
        }
    }
    bool master = mb != NULL && vg_slice_eq_cstr(rk_str(&c->s, mb->kind), "master");
    bool fwd = ms != NULL && ms->party != RK_NONE &&
               RK_AT(c->parties, struct rk_party, ms->party)->forwarder;
    bool house_shipper = false;
    for (size_t i = 0; i < v->nhouses && !house_shipper; i++) {
        const struct rk_bill *hb = RK_AT(c->bills, struct rk_bill, v->houses[i]);
        for (uint32_t p = 0; p < hb->party_n && !house_shipper; p++) {
            house_shipper =
                RK_AT(c->bparties, struct rk_bparty, hb->party_off + p)->role == RK_ROLE_SHIPPER;
        }
    }
    rk_set(v, VG_F_SHIPPER_UNKNOWN_BEHIND_NVOCC, vg_value_bool((master || fwd) && !house_shipper));
    if (mb != NULL) {
        rk_cite_msg(v, VG_F_SHIPPER_UNKNOWN_BEHIND_NVOCC, mb->message_id,
                    ms != NULL ? ms->segment_no : mb->segment_no);
    }
}

/* The place of delivery or the consignee changed between the bill's first version and the
 * one in force as of the assessment. */
static void redirected(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    if (rk_need(v, VG_F_DELIVERY_REDIRECTED, VG_FEED_MANIFEST)) {
        return;
    }
    bool changed = false;
    for (size_t i = 0; i < v->nbills && !changed; i++) {
        const struct rk_bill *now = RK_AT(c->bills, struct rk_bill, v->bills[i]);
        uint32_t cur = c->bill_by_id[now->id] - 1;
        const struct rk_bill *cb = RK_AT(c->bills, struct rk_bill, cur);
        const struct rk_bill *first =
            RK_AT(c->bills, struct rk_bill, *RK_AT(c->versions, uint32_t, cb->ver_off));
        if (first == now) {
            continue;
        }
        uint32_t c1 = rk_party_id(c, first, RK_ROLE_CONSIGNEE);
        uint32_t c2 = rk_party_id(c, now, RK_ROLE_CONSIGNEE);
        if (first->pdl != now->pdl || c1 != c2) {
            changed = true;
            rk_cite_msg(v, VG_F_DELIVERY_REDIRECTED, first->message_id, first->segment_no);
            rk_cite_msg(v, VG_F_DELIVERY_REDIRECTED, now->message_id, now->segment_no);
        }
    }
    rk_set(v, VG_F_DELIVERY_REDIRECTED, vg_value_bool(changed));
}

enum vg_status rk_features_parties(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    uint32_t heading = v->main_goods != NULL ? v->main_goods->heading : 0;
    static const struct history_ids ship = { VG_F_SHIPPER_IS_NEW, VG_F_SHIPPER_SHIPMENTS,
                                             VG_F_SHIPPER_DAYS_SINCE_FIRST,
                                             VG_F_SHIPPER_NEW_PRODUCT };
    static const struct history_ids recv = { VG_F_CONSIGNEE_IS_NEW, VG_F_CONSIGNEE_SHIPMENTS,
                                             VG_F_CONSIGNEE_DAYS_SINCE_FIRST,
                                             VG_F_CONSIGNEE_NEW_PRODUCT };
    history(v, v->shipper, v->shipper_bill, true, &ship, heading);
    history(v, v->consignee, v->consignee_bill, false, &recv, heading);

    /* New destination for a known shipper. */
    if (!rk_need(v, VG_F_SHIPPER_NEW_DESTINATION, VG_FEED_MANIFEST)) {
        const struct vg_value *isnew = &v->rec[VG_F_SHIPPER_IS_NEW];
        const struct vg_value *dest = &v->rec[VG_F_DESTINATION_COUNTRY];
        if (isnew->kind != VG_VALUE_BOOL) {
            rk_unknown(v, VG_F_SHIPPER_NEW_DESTINATION, isnew->as.string);
        } else if (dest->kind != VG_VALUE_STRING) {
            rk_unknown(v, VG_F_SHIPPER_NEW_DESTINATION, dest->as.string);
        } else {
            uint32_t cc = RK_AT(c->bills, struct rk_bill, v->main_bill)->dest_cc;
            rk_set(v, VG_F_SHIPPER_NEW_DESTINATION,
                   vg_value_bool(!isnew->as.boolean &&
                                 !had_before(c, 'D', v->shipper->party, cc, v->ref)));
            cite_party(v, VG_F_SHIPPER_NEW_DESTINATION, v->shipper_bill, v->shipper);
        }
    }

    rk_need(v, VG_F_SHIPPER_REGISTERED_DAYS, VG_FEED_REGISTRY);
    rk_need(v, VG_F_SHIPPER_ACTIVITY_MISMATCH, VG_FEED_REGISTRY);
    behind_nvocc(v);

    /* A known consignee with an address never seen with it before. */
    if (!rk_need(v, VG_F_CONSIGNEE_NEW_CONTACT, VG_FEED_MANIFEST)) {
        const struct vg_value *k = &v->rec[VG_F_CONSIGNEE_SHIPMENTS];
        if (k->kind != VG_VALUE_NUMBER) {
            rk_unknown(v, VG_F_CONSIGNEE_NEW_CONTACT, k->as.string);
        } else if (v->consignee->address == 0) {
            rk_unknown(v, VG_F_CONSIGNEE_NEW_CONTACT,
                       VG_SLICE_LIT("the cargo report gives no consignee address"));
        } else {
            bool fresh = k->as.number > 0 &&
                         !had_before(c, 'A', v->consignee->party, v->consignee->address, v->ref);
            rk_set(v, VG_F_CONSIGNEE_NEW_CONTACT, vg_value_bool(fresh));
            cite_party(v, VG_F_CONSIGNEE_NEW_CONTACT, v->consignee_bill, v->consignee);
        }
    }

    if (!rk_need(v, VG_F_CONSIGNEE_IS_CARRIER, VG_FEED_MANIFEST)) {
        if (v->consignee == NULL) {
            rk_unknown(v, VG_F_CONSIGNEE_IS_CARRIER,
                       VG_SLICE_LIT("the cargo report names no consignee"));
        } else {
            rk_set(v, VG_F_CONSIGNEE_IS_CARRIER, vg_value_bool(names_carrier(v, v->consignee)));
            cite_party(v, VG_F_CONSIGNEE_IS_CARRIER, v->consignee_bill, v->consignee);
        }
    }
    if (!rk_need(v, VG_F_FREIGHT_PREPAID, VG_FEED_MANIFEST)) {
        rk_unknown(v, VG_F_FREIGHT_PREPAID,
                   VG_SLICE_LIT("the cargo report feeds carry no freight payment terms"));
    }
    redirected(v);
    return VG_OK;
}
