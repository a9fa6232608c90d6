/*
 * Goods features: HS codes and commodity group, reefer, vague descriptions, weights and
 * packages, and how far weight per package and value per kg lie from what is normal for the
 * same goods (robust z-score and ratio to the median, learned from the store's own past
 * shipments as of the assessment), and the verified gross mass against the declaration.
 */
#include "risk/risk_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <vigia/ident.h>

#define NORM_WINDOW   (365 * (int64_t)RK_DAY)
#define NORM_MIN      30
#define WEIGHT_WINDOW (90 * (int64_t)RK_DAY)

struct totals {
    double kg, packages;
    bool has_kg, has_packages;
    const struct rk_bill *kg_bill;
};

/* Weight and packages in the container over the goods of the given bills. */
static void add_goods(const struct rk_view *v, const uint32_t *bills, size_t n, struct totals *t)
{
    const struct rk_ctx *c = v->c;
    for (size_t i = 0; i < n; i++) {
        const struct rk_bill *b = RK_AT(c->bills, struct rk_bill, bills[i]);
        for (uint32_t g = 0; g < b->goods_n; g++) {
            const struct rk_goods *gd = RK_AT(c->goods, struct rk_goods, b->goods_off + g);
            bool placed = false;
            for (uint32_t p = 0; p < gd->pl_n; p++) {
                const struct rk_placement *pl =
                    RK_AT(c->placements, struct rk_placement, gd->pl_off + p);
                if (pl->container != v->trip->container) {
                    continue;
                }
                placed = true;
                double kg =
                    !isnan(pl->gross_kg) ? pl->gross_kg : (gd->pl_n == 1 ? gd->gross_kg : NAN);
                double pk =
                    !isnan(pl->packages) ? pl->packages : (gd->pl_n == 1 ? gd->packages : NAN);
                if (!isnan(kg)) {
                    t->kg += kg;
                    t->has_kg = true;
                    t->kg_bill = b;
                }
                if (!isnan(pk)) {
                    t->packages += pk;
                    t->has_packages = true;
                }
            }
            if (!placed && gd->pl_n == 0 && b->equip_n <= 1) {
                if (!isnan(gd->gross_kg)) {
                    t->kg += gd->gross_kg;
                    t->has_kg = true;
                    t->kg_bill = b;
                }
                if (!isnan(gd->packages)) {
                    t->packages += gd->packages;
                    t->has_packages = true;
                }
            }
        }
    }
}

static bool word_in(const char *w, size_t n, const char *const *set, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (strlen(set[i]) == n && memcmp(set[i], w, n) == 0) {
            return true;
        }
    }
    return false;
}

/* A description is vague when it names freight of all kinds or a consolidation, or when
 * none of its words says what the goods are (only generic words such as GOODS, PARTS,
 * MACHINERY, or only "said to contain" and package words). */
static bool vague(struct vg_slice d)
{
    static const char *const fak[] = { "FAK", "CONSOLIDATED", "CONSOLIDATION", "CONSOL",
                                       "GROUPAGE" };
    static const char *const generic[] = {
        "GOODS",
        "MERCHANDISE",
        "VARIOUS",
        "PARTS",
        "MACHINERY",
        "CARGO",
        "ITEMS",
        "PRODUCTS",
        "PRODUCT",
        "MATERIAL",
        "MATERIALS",
        "EQUIPMENT",
        "GENERAL",
        "MISC",
        "MISCELLANEOUS",
        "SUNDRIES",
        "SUNDRY",
        "SPARE",
        "ASSORTED",
        "MIXED",
        "STUFF",
        "ARTICLES",
        "MERCANCIA",
        "MERCADERIA",
        "VARIOS",
        "CARGA",
        "GENERAL",
        "REPUESTOS",
        "PIEZAS",
        /* Class names that say what kind of goods but not which: "foodstuffs" is the
         * example of an invalid description [ATS11]; "fresh fruit", "frozen seafood",
         * "minerals" and "garments" name a class just as well. */
        "FOODSTUFF",
        "FOODSTUFFS",
        "FOOD",
        "FOODS",
        "FRUIT",
        "FRUITS",
        "VEGETABLE",
        "VEGETABLES",
        "SEAFOOD",
        "SEAFOODS",
        "MINERAL",
        "MINERALS",
        "GARMENTS",
        "APPAREL",
        "CLOTHING",
        "TEXTILES",
        "CHEMICALS",
        "ELECTRONICS",
        "PRODUCE",
        "GROCERIES",
        "FEED",
        "ANIMAL",
        "WOOD",
        "ALIMENTOS",
        "FRUTAS",
        "VERDURAS",
        "MARISCOS",
        "MINERALES",
        "PRENDAS",
        "QUIMICOS",
    };
    /* Words that only qualify a class ("fresh", "frozen") say nothing of their own. */
    static const char *const qualifier[] = {
        "FRESH",  "FROZEN",  "CHILLED", "DRIED",     "DRY",        "ORGANIC", "NATURAL", "RAW",
        "FRESCO", "FRESCOS", "FRESCAS", "CONGELADO", "CONGELADOS", "SECO",    "SECOS",
    };
    static const char *const stop[] = {
        "STC",     "SAID",   "TO",     "CONTAIN", "CONTAINS", "CONTAINING", "OF",    "AND",
        "THE",     "WITH",   "PKGS",   "PKG",     "PACKAGES", "PACKAGE",    "BOXES", "BOX",
        "CARTONS", "CARTON", "CTNS",   "CTN",     "PALLETS",  "PALLET",     "PLT",   "PLTS",
        "BAGS",    "BAG",    "PIECES", "PCS",     "UNITS",    "IN",         "FOR",   "FREIGHT",
        "ALL",     "KINDS",  "KIND",   "DE",      "Y",        "EN",         "PARA",  "LOS",
        "LAS",     "EL",     "LA",
    };
    char w[64];
    size_t n = 0;
    size_t specific = 0, words = 0;
    bool fak_phrase = false;
    char prev[64] = "";
    for (size_t i = 0; i <= d.len; i++) {
        char ch = i < d.len ? d.ptr[i] : ' ';
        bool letter =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (unsigned char)ch >= 0x80;
        if (letter) {
            if (n + 1 < sizeof(w)) {
                w[n++] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 'a' + 'A') : ch;
            }
            continue;
        }
        if (n == 0) {
            continue;
        }
        w[n] = '\0';
        words++;
        if (word_in(w, n, fak, sizeof(fak) / sizeof(fak[0])) ||
            (strcmp(w, "KINDS") == 0 && strcmp(prev, "ALL") == 0)) {
            fak_phrase = true;
        } else if (!word_in(w, n, stop, sizeof(stop) / sizeof(stop[0])) &&
                   !word_in(w, n, generic, sizeof(generic) / sizeof(generic[0])) &&
                   !word_in(w, n, qualifier, sizeof(qualifier) / sizeof(qualifier[0])) && n >= 3) {
            specific++;
        }
        memcpy(prev, w, n + 1);
        n = 0;
    }
    return fak_phrase || specific == 0;
}

struct weights {
    double declared, measured; /* NAN when not reported */
    int64_t dmsg, mmsg;
    int32_t dseg, mseg;
};

/* The declared gross weight of the container (the cargo report's equipment weight, else
 * the goods in it plus the tare) and the measured one (the verified gross mass with the
 * equipment, else the bay plan, the loading report or the gate scale up to loading). */
static void weigh(const struct rk_ctx *c,
                  uint32_t container,
                  const uint32_t *bills,
                  size_t nbills,
                  double goods_kg,
                  const struct rk_event *ev,
                  size_t nev,
                  int64_t t_load,
                  struct weights *w)
{
    memset(w, 0, sizeof(*w));
    w->declared = w->measured = NAN;
    for (size_t i = 0; i < nbills; i++) {
        const struct rk_bill *b = RK_AT(c->bills, struct rk_bill, bills[i]);
        for (uint32_t e = 0; e < b->equip_n; e++) {
            const struct rk_equip *eq = RK_AT(c->equips, struct rk_equip, b->equip_off + e);
            if (eq->container != container) {
                continue;
            }
            if (isnan(w->declared) && !isnan(eq->gross_kg)) {
                w->declared = eq->gross_kg;
                w->dmsg = b->message_id;
                w->dseg = eq->segment_no;
            } else if (isnan(w->declared) && !isnan(eq->tare_kg) && !isnan(goods_kg)) {
                w->declared = goods_kg + eq->tare_kg;
                w->dmsg = b->message_id;
                w->dseg = eq->segment_no;
            }
            if (isnan(w->measured) && !isnan(eq->vgm_kg)) {
                w->measured = eq->vgm_kg;
                w->mmsg = b->message_id;
                w->mseg = eq->segment_no;
            }
        }
    }
    static const uint8_t order[] = { RK_EV_STOWAGE, RK_EV_LOAD, RK_EV_GATE_IN };
    for (size_t k = 0; k < sizeof(order) && isnan(w->measured); k++) {
        for (size_t i = 0; i < nev; i++) {
            const struct rk_event *e = &ev[i];
            if (e->kind == order[k] && !isnan(e->gross_kg) && e->gross_kg > 0 &&
                (t_load == VG_TIME_NONE || e->t <= t_load)) {
                w->measured = e->gross_kg;
                w->mmsg = e->message_id;
                w->mseg = e->segment_no;
                break;
            }
        }
    }
}

enum vg_status rk_weight_samples(struct rk_ctx *c)
{
    uint32_t bills[RK_MAX_BILLS];
    for (size_t i = 0; i < c->trips.n; i++) {
        const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, i);
        if (t->direction == RK_IMPORT || t->t_ref == VG_TIME_NONE || t->call == RK_NONE) {
            continue;
        }
        const struct rk_container *ct = RK_AT(c->containers, struct rk_container, t->container);
        size_t nb = 0;
        for (uint32_t k = 0; k < ct->bill_n && nb < RK_MAX_BILLS; k++) {
            uint32_t bi = *RK_AT(c->cont_bills, uint32_t, ct->bill_off + k);
            const struct rk_bill *b = RK_AT(c->bills, struct rk_bill, bi);
            if (b->call == t->call && !b->cancelled) {
                bills[nb++] = bi;
            }
        }
        const struct rk_event *ev = RK_AT(c->events, struct rk_event, ct->ev_off);
        size_t a = 0, z = 0;
        while (a < ct->ev_n && ev[a].t < t->t_ref - 30 * (int64_t)RK_DAY) {
            a++;
        }
        for (z = a; z < ct->ev_n && ev[z].t <= t->t_ref; z++) {
        }
        struct weights w;
        weigh(c, t->container, bills, nb, NAN, ev + a, z - a, t->t_ref, &w);
        if (w.declared > 0 && !isnan(w.measured)) {
            enum vg_status s =
                rk_norm_add(c, 'W', t->port, 0, t->t_ref, (w.measured - w.declared) / w.declared);
            if (s != VG_OK) {
                return s;
            }
        }
    }
    return VG_OK;
}

enum vg_status rk_features_goods(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    const unsigned M = VG_FEED_MANIFEST;
    const struct rk_goods *g = v->main_goods;
    const struct rk_bill *gb =
        v->main_goods_bill != RK_NONE ? RK_AT(c->bills, struct rk_bill, v->main_goods_bill) : NULL;
    int64_t gmsg = gb != NULL ? gb->message_id : 0;
    int32_t gseg = g != NULL ? g->segment_no : 0;

    /* HS codes. */
    struct vg_slice hs = g != NULL ? rk_str(&c->s, g->hs) : VG_SLICE_EMPTY;
    if (!rk_need(v, VG_F_HS_CODE, M)) {
        if (hs.len == 0) {
            rk_unknown(v, VG_F_HS_CODE, VG_SLICE_LIT("the cargo report gives no HS code"));
            rk_unknown(v, VG_F_COMMODITY_GROUP, VG_SLICE_LIT("the cargo report gives no HS code"));
        } else {
            rk_set(v, VG_F_HS_CODE, vg_value_string(hs));
            rk_cite_msg(v, VG_F_HS_CODE, gmsg, gseg);
            const char *grp = rk_commodity_group(hs);
            rk_set(v, VG_F_COMMODITY_GROUP, vg_value_string(vg_slice_from_cstr(grp)));
            rk_cite_msg(v, VG_F_COMMODITY_GROUP, gmsg, gseg);
        }
        struct vg_slice *codes = vg_arena_alloc(v->arena, RK_MAX_LIST * sizeof(struct vg_slice));
        if (codes == NULL) {
            return VG_ENOMEM;
        }
        size_t nc = 0;
        for (size_t pass = 0; pass < 2; pass++) {
            const uint32_t *list = pass == 0 ? v->bills : v->houses;
            size_t n = pass == 0 ? v->nbills : v->nhouses;
            for (size_t i = 0; i < n; i++) {
                const struct rk_bill *b = RK_AT(c->bills, struct rk_bill, list[i]);
                for (uint32_t k = 0; k < b->goods_n && nc < RK_MAX_LIST; k++) {
                    const struct rk_goods *gd = RK_AT(c->goods, struct rk_goods, b->goods_off + k);
                    struct vg_slice h = rk_str(&c->s, gd->hs);
                    bool here = gd->pl_n == 0;
                    for (uint32_t p = 0; p < gd->pl_n && !here; p++) {
                        here =
                            RK_AT(c->placements, struct rk_placement, gd->pl_off + p)->container ==
                            v->trip->container;
                    }
                    bool dup = h.len == 0 || !here;
                    for (size_t q = 0; q < nc && !dup; q++) {
                        dup = vg_slice_eq(codes[q], h);
                    }
                    if (!dup) {
                        codes[nc++] = h;
                    }
                }
            }
        }
        rk_set(v, VG_F_HS_CODES, vg_value_list(codes, nc));
        rk_cite_msg(v, VG_F_HS_CODES, gmsg, gseg);
    } else {
        rk_need(v, VG_F_HS_CODES, M);
        rk_need(v, VG_F_COMMODITY_GROUP, M);
    }

    /* Reefer: from the size-type code of the equipment (the manifest's, else the
     * container's as first seen). */
    if (!rk_need(v, VG_F_REEFER, M)) {
        uint32_t st = 0;
        int64_t emsg = 0;
        int32_t eseg = 0;
        for (size_t i = 0; i < v->nbills && st == 0; i++) {
            const struct rk_bill *b = RK_AT(c->bills, struct rk_bill, v->bills[i]);
            for (uint32_t e = 0; e < b->equip_n; e++) {
                const struct rk_equip *eq = RK_AT(c->equips, struct rk_equip, b->equip_off + e);
                if (eq->container == v->trip->container && eq->size_type != 0) {
                    st = eq->size_type;
                    emsg = b->message_id;
                    eseg = eq->segment_no;
                    break;
                }
            }
        }
        if (st == 0) {
            st = v->cont->size_type;
        }
        struct vg_size_type sz;
        struct vg_error e;
        struct vg_slice code = rk_str(&c->s, st);
        if (st == 0) {
            rk_unknown(v, VG_F_REEFER,
                       VG_SLICE_LIT("no size-type code reported for the container"));
        } else if (vg_size_type_parse(code, &sz, &e) != VG_OK) {
            rk_unknown(v, VG_F_REEFER,
                       rk_fmt(v, "unknown size-type code %.*s", (int)code.len, code.ptr));
        } else {
            rk_set(v, VG_F_REEFER,
                   vg_value_bool(sz.group == VG_EQUIP_REEFER || sz.group == VG_EQUIP_INSULATED));
            rk_cite_msg(v, VG_F_REEFER, emsg, eseg);
        }
    }

    /* Vague description: the main goods item's, else the bill's. */
    if (!rk_need(v, VG_F_GOODS_DESCRIPTION_VAGUE, M)) {
        uint32_t d = g != NULL && g->description != 0 ? g->description : 0;
        const struct rk_bill *mb =
            v->main_bill != RK_NONE ? RK_AT(c->bills, struct rk_bill, v->main_bill) : NULL;
        if (d == 0 && mb != NULL) {
            d = mb->description;
        }
        if (d == 0) {
            rk_unknown(v, VG_F_GOODS_DESCRIPTION_VAGUE,
                       VG_SLICE_LIT("the cargo report gives no goods description"));
        } else {
            rk_set(v, VG_F_GOODS_DESCRIPTION_VAGUE, vg_value_bool(vague(rk_str(&c->s, d))));
            rk_cite_msg(v, VG_F_GOODS_DESCRIPTION_VAGUE, gmsg, gseg);
        }
    }

    /* Weight and packages in the container. */
    struct totals t = { 0, 0, false, false, NULL };
    add_goods(v, v->bills, v->nbills, &t);
    if (!t.has_kg && !t.has_packages) {
        add_goods(v, v->houses, v->nhouses, &t);
    }
    if (!rk_need(v, VG_F_GROSS_KG, M)) {
        if (t.has_kg) {
            rk_set(v, VG_F_GROSS_KG, vg_value_number(t.kg));
            rk_cite_msg(v, VG_F_GROSS_KG, gmsg, gseg);
        } else {
            rk_unknown(v, VG_F_GROSS_KG, VG_SLICE_LIT("the cargo report gives no gross weight"));
        }
        if (t.has_packages) {
            rk_set(v, VG_F_PACKAGES, vg_value_number(t.packages));
            rk_cite_msg(v, VG_F_PACKAGES, gmsg, gseg);
        } else {
            rk_unknown(v, VG_F_PACKAGES, VG_SLICE_LIT("the cargo report gives no packages"));
        }
        if (t.has_kg && t.has_packages && t.packages > 0) {
            rk_set(v, VG_F_KG_PER_PACKAGE, vg_value_number(t.kg / t.packages));
            rk_cite_msg(v, VG_F_KG_PER_PACKAGE, gmsg, gseg);
        } else {
            rk_unknown(v, VG_F_KG_PER_PACKAGE,
                       VG_SLICE_LIT("the cargo report gives no weight or no packages"));
        }
    } else {
        rk_need(v, VG_F_PACKAGES, M);
        rk_need(v, VG_F_KG_PER_PACKAGE, M);
    }

    /* Robust z-score of the main goods item's kg per package. */
    int64_t day = (v->ref / RK_DAY) * RK_DAY;
    if (!rk_need(v, VG_F_KG_PER_PACKAGE_Z, M)) {
        if (g == NULL || hs.len < 4 || !(g->packages > 0) || isnan(g->gross_kg)) {
            rk_unknown(v, VG_F_KG_PER_PACKAGE_Z,
                       VG_SLICE_LIT("the main goods item gives no HS heading, weight or packages"));
        } else {
            double med, mad;
            size_t n;
            bool ok = rk_norm(c, 'K', g->heading, g->package_type, day, NORM_WINDOW, NORM_MIN, &med,
                              &mad, &n);
            if (!ok || !(mad > 0)) {
                rk_unknown(v, VG_F_KG_PER_PACKAGE_Z,
                           !ok ? rk_fmt(v,
                                        "%zu earlier shipments of HS %.4s in %s in the past year "
                                        "(30 needed)",
                                        n, hs.ptr,
                                        g->package_type != 0 ? rk_cstr(&c->s, g->package_type)
                                                             : "unstated packages")
                               : rk_fmt(v, "no spread in the kg per package of HS %.4s", hs.ptr));
            } else {
                double z = (g->gross_kg / g->packages - med) / (1.4826 * mad);
                rk_set(v, VG_F_KG_PER_PACKAGE_Z, vg_value_number(z));
                rk_cite_msg(v, VG_F_KG_PER_PACKAGE_Z, gmsg, gseg);
            }
        }
    }

    /* Declared value per kg, in US dollars. */
    if (!rk_need(v, VG_F_VALUE_PER_KG, VG_FEED_DECLARATION)) {
        double value = 0, kg = 0;
        bool other = false, nocur = false;
        for (size_t i = 0; i < v->nbills; i++) {
            const struct rk_bill *b = RK_AT(c->bills, struct rk_bill, v->bills[i]);
            for (uint32_t k = 0; k < b->goods_n; k++) {
                const struct rk_goods *gd = RK_AT(c->goods, struct rk_goods, b->goods_off + k);
                if (!(gd->value > 0)) {
                    continue;
                }
                struct vg_slice cur = rk_str(&c->s, gd->currency);
                if (cur.len == 0) {
                    nocur = true;
                } else if (!vg_slice_ieq_cstr(cur, "USD")) {
                    other = true;
                }
                value += gd->value;
                kg += !isnan(gd->gross_kg) ? gd->gross_kg : 0;
            }
        }
        if (other || nocur) {
            struct vg_slice why =
                other ? VG_SLICE_LIT("the value is not in US dollars (no exchange rates)")
                      : VG_SLICE_LIT("the declared value gives no currency");
            rk_unknown(v, VG_F_VALUE_PER_KG, why);
            rk_unknown(v, VG_F_VALUE_PER_KG_RATIO, why);
        } else if (!(kg > 0)) {
            rk_unknown(v, VG_F_VALUE_PER_KG,
                       VG_SLICE_LIT("no gross weight for the declared value"));
            rk_unknown(v, VG_F_VALUE_PER_KG_RATIO,
                       VG_SLICE_LIT("no gross weight for the declared value"));
        } else {
            double vpk = value / kg;
            rk_set(v, VG_F_VALUE_PER_KG, vg_value_number(vpk));
            rk_cite_msg(v, VG_F_VALUE_PER_KG, gmsg, gseg);
            double med, mad;
            size_t n;
            if (hs.len >= 6 && g != NULL &&
                rk_norm(c, 'V', g->hs6, g->currency, day, NORM_WINDOW, NORM_MIN, &med, &mad, &n) &&
                med > 0) {
                rk_set(v, VG_F_VALUE_PER_KG_RATIO, vg_value_number(vpk / med));
                rk_cite_msg(v, VG_F_VALUE_PER_KG_RATIO, gmsg, gseg);
            } else {
                rk_unknown(v, VG_F_VALUE_PER_KG_RATIO,
                           rk_fmt(v,
                                  "fewer than 30 earlier declared values of HS %.*s in the past "
                                  "year",
                                  (int)(hs.len < 6 ? hs.len : 6), hs.ptr));
            }
        }
    } else {
        rk_need(v, VG_F_VALUE_PER_KG_RATIO, VG_FEED_DECLARATION);
    }

    /* Verified gross mass against the declared weight of the container, and how far that
     * lies from what is normal at the port (weighing noise differs between ports and
     * scales: a z-score against the port's own spread, not a fixed tolerance). */
    if (!rk_need(v, VG_F_WEIGHT_MISMATCH_PCT, M)) {
        struct weights w;
        weigh(c, v->trip->container, v->bills, v->nbills, t.has_kg ? t.kg : NAN, v->ev, v->nev,
              v->t_load, &w);
        if (isnan(w.declared) || !(w.declared > 0)) {
            struct vg_slice why =
                VG_SLICE_LIT("the cargo report gives no container weight or tare");
            rk_unknown(v, VG_F_WEIGHT_MISMATCH_PCT, why);
            rk_unknown(v, VG_F_WEIGHT_MISMATCH_Z, why);
        } else if (isnan(w.measured)) {
            struct vg_slice why =
                VG_SLICE_LIT("no verified gross mass, bay-plan or gate weight reported");
            rk_unknown(v, VG_F_WEIGHT_MISMATCH_PCT, why);
            rk_unknown(v, VG_F_WEIGHT_MISMATCH_Z, why);
        } else {
            double d = (w.measured - w.declared) / w.declared;
            rk_set(v, VG_F_WEIGHT_MISMATCH_PCT, vg_value_number(fabs(d) * 100.0));
            rk_cite_msg(v, VG_F_WEIGHT_MISMATCH_PCT, w.dmsg, w.dseg);
            rk_cite_msg(v, VG_F_WEIGHT_MISMATCH_PCT, w.mmsg, w.mseg);
            double z;
            size_t n;
            if (rk_norm_z(c, 'W', v->trip->port, 0, day, WEIGHT_WINDOW, NORM_MIN, d, &z, &n)) {
                rk_set(v, VG_F_WEIGHT_MISMATCH_Z, vg_value_number(z));
                rk_cite_msg(v, VG_F_WEIGHT_MISMATCH_Z, w.dmsg, w.dseg);
                rk_cite_msg(v, VG_F_WEIGHT_MISMATCH_Z, w.mmsg, w.mseg);
            } else {
                rk_unknown(v, VG_F_WEIGHT_MISMATCH_Z,
                           rk_fmt(v,
                                  "%zu earlier weighed containers at %s in 90 days (30 with a "
                                  "spread needed)",
                                  n, rk_cstr(&c->s, v->trip->port)));
            }
        }
    } else {
        rk_need(v, VG_F_WEIGHT_MISMATCH_Z, M);
    }
    return VG_OK;
}
