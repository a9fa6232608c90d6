/*
 * Party features: the history of the shipper and the consignee (resolved across shipments
 * by RUC or normalised name when ingested), counted over their earlier shipments: bills
 * whose departure and filing both lie before the trip's reference time. New products,
 * destinations, contacts and delivery countries compare the trip with that history; a
 * redirected delivery compares the versions of the bill filed by the as-of time. The line
 * of business a shipper's name names ("PESQUERA", "CONSTRUCTORA") is set against the goods
 * when no tax registry says what the company does [CCP6]. Freight terms come from the
 * cargo report's own text (the payment terms it carries in free text or CPI).
 */
#include "risk/risk_int.h"

#include <stdio.h>
#include <string.h>
#include <vigia/screen.h>

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

#define NEW_WINDOW (14 * (int64_t)RK_DAY)
#define NEW_MIN    30

/* The shipper and consignee parties of a trip as the store stands: the house bill's when
 * the trip's bill has houses, else the bill's. */
static void trip_parties(const struct rk_ctx *c,
                         const struct rk_trip *t,
                         uint32_t *shipper,
                         uint32_t *consignee)
{
    *shipper = *consignee = RK_NONE;
    const struct rk_container *ct = RK_AT(c->containers, struct rk_container, t->container);
    for (uint32_t i = 0; i < ct->bill_n; i++) {
        const struct rk_bill *b =
            RK_AT(c->bills, struct rk_bill, *RK_AT(c->cont_bills, uint32_t, ct->bill_off + i));
        if (b->call != t->call || b->cancelled) {
            continue;
        }
        const struct rk_bill *h = b->house_n > 0 ? RK_AT(c->bills, struct rk_bill,
                                                         *RK_AT(c->houses, uint32_t, b->house_off))
                                                 : NULL;
        if (h != NULL) {
            *shipper = rk_party_id(c, h, RK_ROLE_SHIPPER);
            *consignee = rk_party_id(c, h, RK_ROLE_CONSIGNEE);
        }
        if (*shipper == RK_NONE) {
            *shipper = rk_party_id(c, b, RK_ROLE_SHIPPER);
        }
        if (*consignee == RK_NONE) {
            *consignee = rk_party_id(c, b, RK_ROLE_CONSIGNEE);
        }
        return;
    }
}

enum vg_status rk_party_samples(struct rk_ctx *c)
{
    for (size_t i = 0; i < c->trips.n; i++) {
        const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, i);
        if (t->direction != RK_EXPORT || t->t_ref == VG_TIME_NONE || t->call == RK_NONE) {
            continue;
        }
        uint32_t who[2];
        trip_parties(c, t, &who[0], &who[1]);
        for (int k = 0; k < 2; k++) {
            if (who[k] == RK_NONE) {
                continue;
            }
            const struct rk_party *pt = RK_AT(c->parties, struct rk_party, who[k]);
            const struct rk_shipment *list =
                k == 0 ? RK_AT(c->shipments, struct rk_shipment, pt->ship_off)
                       : RK_AT(c->receipts, struct rk_shipment, pt->recv_off);
            int64_t first;
            size_t n = earlier(list, k == 0 ? pt->ship_n : pt->recv_n, t->t_ref, &first);
            enum vg_status s =
                rk_norm_add(c, k == 0 ? 'n' : 'm', t->port, 0, t->t_ref, n == 0 ? 1.0 : 0.0);
            if (s != VG_OK) {
                return s;
            }
        }
    }
    return VG_OK;
}

/* How common new shippers (consignees) are at the port lately: newness is telling where
 * few are new, not while the store is young or where newcomers abound. */
static void new_share(struct rk_view *v, int f, char kind)
{
    if (rk_need(v, f, VG_FEED_MANIFEST)) {
        return;
    }
    double share;
    size_t n;
    int64_t day = (v->ref / RK_DAY) * RK_DAY;
    if (rk_norm_share(v->c, kind, v->trip->port, 0, day, NEW_WINDOW, 1.0, NEW_MIN, &share, &n)) {
        rk_set(v, f, vg_value_number(share));
    } else {
        rk_unknown(v, f,
                   rk_fmt(v, "%zu export trips from %s in the 14 days before (30 needed)", n,
                          rk_cstr(&v->c->s, v->trip->port)));
    }
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
 * or the code of the bill's or the call's carrier as its identifier, its name or the first
 * word of its name. */
static bool names_carrier(struct rk_view *v, const struct rk_bparty *p)
{
    struct rk_ctx *c = v->c;
    if (p->party != RK_NONE && RK_AT(c->parties, struct rk_party, p->party)->carrier) {
        return true;
    }
    struct vg_slice name = rk_str(&c->s, p->name);
    struct vg_slice ident = rk_str(&c->s, p->identifier);
    uint32_t carriers[2] = { v->call != NULL ? v->call->carrier : 0,
                             v->main_bill != RK_NONE
                                 ? RK_AT(c->bills, struct rk_bill, v->main_bill)->carrier
                                 : 0 };
    for (int i = 0; i < 2; i++) {
        struct vg_slice k = rk_str(&c->s, carriers[i]);
        if (k.len < 2) {
            continue;
        }
        if (ident.len == k.len && vg_slice_istarts_with(ident, k)) {
            return true; /* identified by the carrier's own code (SCAC) */
        }
        /* The carrier's code as the consignee's name or its first word. */
        if (vg_slice_istarts_with(name, k) && (name.len == k.len || name.ptr[k.len] == ' ')) {
            return true;
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

/* ---- the line of business a name names ------------------------------------------------ */

/* HS chapter ranges of a line of business. */
struct chapters {
    uint8_t from, to;
};

struct sector {
    const char *const *words; /* NULL-terminated; a name word starting with one counts */
    struct chapters ch[6];    /* ranges, {0, 0} ends; none at all: sells no goods */
};

static const char *const w_farm[] = { "AGRICOLA", "AGRO",      "FRUT",    "FRUIT",  "FARM", "FUNDO",
                                      "HACIENDA", "HORTICOLA", "VEGETAL", "GRANJA", NULL };
static const char *const w_fish[] = { "PESQUER",     "PESCA",   "PESCADO",  "MARISCO",
                                      "SEAFOOD",     "FISH",    "ACUICOLA", "ACUICULTURA",
                                      "LANGOSTINER", "MARINOS", NULL };
static const char *const w_mining[] = { "MINERA",     "MINERO", "MINING",     "MINERAL",
                                        "METALES",    "METALS", "METALURGIC", "FUNDICION",
                                        "SIDERURGIC", NULL };
static const char *const w_textile[] = { "TEXTIL", "CONFECCION", "HILANDERIA", "TEJIDO", "ALGODON",
                                         "ALPACA", "GARMENT",    "APPAREL",    NULL };
static const char *const w_timber[] = {
    "MADERER", "MADERAS", "FORESTAL", "TIMBER", "LUMBER", NULL
};
static const char *const w_chem[] = { "QUIMIC",      "CHEMICAL", "LABORATORIO",
                                      "FARMACEUTIC", "PHARMA",   NULL };
static const char *const w_plastics[] = { "PLASTICO", "PLASTICS", "POLIMERO", NULL };
static const char *const w_coffee[] = { "CAFETALER", "CAFE", "COFFEE", "CACAO", "COCOA", NULL };
static const char *const w_build[] = { "CONSTRUCTOR", "CONSTRUCCION", "INMOBILIARI", NULL };
static const char *const w_hardware[] = { "FERRETER", NULL };
static const char *const w_transport[] = { "TRANSPORTE", "LOGISTIC", NULL };
static const char *const w_services[] = { "CONSULTOR", "CONSULTING", "TURISMO",  "RESTAURANT",
                                          "SEGURIDAD", "EDUCACION",  "LIMPIEZA", NULL };

static const struct sector sectors[] = {
    { w_farm, { { 1, 24 } } },
    { w_fish, { { 3, 3 }, { 5, 5 }, { 15, 16 }, { 23, 23 } } },
    { w_mining, { { 25, 28 }, { 71, 81 } } },
    { w_textile, { { 41, 43 }, { 50, 63 } } },
    { w_timber, { { 44, 49 }, { 94, 94 } } },
    { w_chem, { { 28, 38 } } },
    { w_plastics, { { 39, 40 } } },
    { w_coffee, { { 9, 9 }, { 18, 18 }, { 21, 21 } } },
    { w_build, { { 25, 25 }, { 68, 73 }, { 94, 94 } } },
    { w_hardware, { { 68, 76 }, { 82, 85 }, { 94, 94 } } },
    { w_transport, { { 87, 87 } } },
    { w_services, { { 0, 0 } } },
};

/* The sectors (bits of the table) the words of a name name. */
static uint16_t name_sectors(struct vg_slice name)
{
    char key[VG_NAME_KEY_SIZE];
    size_t n = vg_name_key(name.ptr, name.len, VG_NAME_ORGANIZATION, key, sizeof(key));
    uint16_t bits = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && key[j] != ' ') {
            j++;
        }
        for (size_t k = 0; k < sizeof(sectors) / sizeof(sectors[0]); k++) {
            for (const char *const *w = sectors[k].words; *w != NULL; w++) {
                size_t wl = strlen(*w);
                if (j - i >= wl && memcmp(key + i, *w, wl) == 0) {
                    bits |= (uint16_t)(1u << k);
                }
            }
        }
        i = j + 1;
    }
    return bits;
}

static bool sector_has(const struct sector *s, int chapter)
{
    for (size_t r = 0; r < sizeof(s->ch) / sizeof(s->ch[0]) && s->ch[r].to != 0; r++) {
        if (chapter >= s->ch[r].from && chapter <= s->ch[r].to) {
            return true;
        }
    }
    return false;
}

static void name_activity(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    if (rk_need(v, VG_F_SHIPPER_NAME_ACTIVITY_MISMATCH, VG_FEED_MANIFEST)) {
        return;
    }
    struct vg_slice hs = v->main_goods != NULL ? rk_str(&c->s, v->main_goods->hs) : VG_SLICE_EMPTY;
    if (v->shipper == NULL || v->shipper->party == RK_NONE) {
        rk_unknown(v, VG_F_SHIPPER_NAME_ACTIVITY_MISMATCH,
                   VG_SLICE_LIT("the cargo report names no shipper"));
        return;
    }
    if (hs.len < 2) {
        rk_unknown(v, VG_F_SHIPPER_NAME_ACTIVITY_MISMATCH,
                   VG_SLICE_LIT("the cargo report gives no HS code"));
        return;
    }
    struct rk_party *pt = RK_AT(c->parties, struct rk_party, v->shipper->party);
    if (!pt->activity_done) {
        pt->activity = name_sectors(rk_str(&c->s, pt->name));
        pt->activity_done = true;
    }
    int chapter = (hs.ptr[0] - '0') * 10 + (hs.ptr[1] - '0');
    bool fits = pt->activity == 0;
    for (size_t k = 0; k < sizeof(sectors) / sizeof(sectors[0]) && !fits; k++) {
        fits = (pt->activity & (1u << k)) != 0 && sector_has(&sectors[k], chapter);
    }
    rk_set(v, VG_F_SHIPPER_NAME_ACTIVITY_MISMATCH, vg_value_bool(!fits));
    cite_party(v, VG_F_SHIPPER_NAME_ACTIVITY_MISMATCH, v->shipper_bill, v->shipper);
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
    new_share(v, VG_F_SHIPPER_NEW_SHARE, 'n');
    new_share(v, VG_F_CONSIGNEE_NEW_SHARE, 'm');

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
            /* An empty box consigned to its carrier is repositioning, not a to-order bill. */
            rk_set(v, VG_F_CONSIGNEE_IS_CARRIER,
                   vg_value_bool(!v->declared_empty && names_carrier(v, v->consignee)));
            cite_party(v, VG_F_CONSIGNEE_IS_CARRIER, v->consignee_bill, v->consignee);
        }
    }
    if (!rk_need(v, VG_F_FREIGHT_PREPAID, VG_FEED_MANIFEST)) {
        const struct rk_bill *mb =
            v->main_bill != RK_NONE ? RK_AT(c->bills, struct rk_bill, v->main_bill) : NULL;
        const struct rk_bill *fb =
            v->nhouses > 0 ? RK_AT(c->bills, struct rk_bill, v->houses[0]) : NULL;
        if (fb == NULL || fb->freight == RK_FREIGHT_UNKNOWN) {
            fb = mb;
        }
        if (fb == NULL || fb->freight == RK_FREIGHT_UNKNOWN) {
            rk_unknown(v, VG_F_FREIGHT_PREPAID,
                       VG_SLICE_LIT("the cargo report states no freight payment terms"));
        } else {
            rk_set(v, VG_F_FREIGHT_PREPAID, vg_value_bool(fb->freight == RK_FREIGHT_PREPAID));
            rk_cite_msg(v, VG_F_FREIGHT_PREPAID, fb->message_id, 0);
        }
    }
    redirected(v);
    name_activity(v);

    /* A known consignee taking delivery in a country never seen with it: a delivery
     * redirected under an established importer's name [DT24]. */
    if (!rk_need(v, VG_F_CONSIGNEE_NEW_DELIVERY_COUNTRY, VG_FEED_MANIFEST)) {
        const struct vg_value *k = &v->rec[VG_F_CONSIGNEE_SHIPMENTS];
        uint32_t cc = v->consignee_bill != NULL ? v->consignee_bill->dest_cc : 0;
        if (cc == 0 && v->main_bill != RK_NONE) {
            cc = RK_AT(c->bills, struct rk_bill, v->main_bill)->dest_cc;
        }
        if (k->kind != VG_VALUE_NUMBER) {
            rk_unknown(v, VG_F_CONSIGNEE_NEW_DELIVERY_COUNTRY, k->as.string);
        } else if (cc == 0) {
            rk_unknown(v, VG_F_CONSIGNEE_NEW_DELIVERY_COUNTRY,
                       VG_SLICE_LIT("the cargo report gives no place of delivery or discharge"));
        } else {
            bool fresh = k->as.number > 0 && !had_before(c, 'E', v->consignee->party, cc, v->ref);
            rk_set(v, VG_F_CONSIGNEE_NEW_DELIVERY_COUNTRY, vg_value_bool(fresh));
            cite_party(v, VG_F_CONSIGNEE_NEW_DELIVERY_COUNTRY, v->consignee_bill, v->consignee);
        }
    }
    return VG_OK;
}
