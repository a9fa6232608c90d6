/*
 * Container trips of one loading call: consignments (bills of lading) and their boxes,
 * the times of every move (empty pick-up, gate-in, dwell, loading), seals, weights and
 * routes; the trafficking cases and the innocent look-alikes; the origin inspections with
 * their outcomes; the finds abroad.
 *
 * The unit is a container slot of the call. For each slot a pattern may be drawn at its
 * configured rate (per 1000 full containers on services that serve the pattern's
 * regions). Consignment-level patterns (front company, watch-listed party, unusual
 * transhipment) make a consignment of their own; container-level patterns (rip-on,
 * contamination, clone) change one box of an ordinary consignment. Each case draws the
 * subset of its pattern's indicators it will show (at least one) and the generator then
 * makes the data show exactly that; sim_trip.ind is recomputed from the data afterwards,
 * so truth.json lists what the feeds actually show, for cases and innocents alike.
 */
#include "sim/sim_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <vigia/alloc.h>
#include <vigia/ident.h>

#define HOUR 3600
#define PERM_A 7919u

struct call_ctx {
    struct sim_gen *g;
    struct sim_world *w;
    const struct sim_config *cfg;
    struct sim_call *c;
    const struct sim_port *port;
    const struct sim_service *sv;
    struct sim_rng r;
    int day;        /* day index of the departure */
    int month;      /* 0..11, local */
    bool history;
    struct sim_choice commodity_pick;
    bool any_commodity;
    uint32_t cell20, cell40;
    uint32_t prev_call; /* the service's call at this port before this one, SIM_NONE */
};

/* ---- small helpers ----------------------------------------------------------------------- */

static int64_t set_local_hour(int64_t t, const struct vg_zone *z, double hour)
{
    struct vg_civil c;
    vg_time_local(t, z, &c);
    int64_t midnight = t - (c.hour * 3600 + c.minute * 60 + c.second);
    return midnight + (int64_t)(hour * 3600);
}

static int local_weekday(int64_t t, const struct vg_zone *z)
{
    struct vg_civil c;
    vg_time_local(t, z, &c);
    return c.weekday;
}

/* A gate time near nominal, following the port's day/night and weekend profile. */
static int64_t gate_time(struct sim_rng *r, const struct sim_port *p, int64_t nominal)
{
    bool night = vg__sim_chance(r, p->night_share);
    double h = night ? vg__sim_uniform(r, 20, 30) : vg__sim_uniform(r, 6, 20);
    int64_t t = set_local_hour(nominal, &p->zone, h);
    int wd = local_weekday(t, &p->zone);
    if (wd >= 6 && !vg__sim_chance(r, p->weekend_factor)) {
        t -= (int64_t)(wd - 5) * SIM_DAY; /* moved to Friday */
    }
    return t;
}

/* A time in the small hours (00:30-04:30 local), on the same day as t or the one before. */
static int64_t odd_hour(struct sim_rng *r, const struct sim_port *p, int64_t t)
{
    int64_t o = set_local_hour(t, &p->zone, vg__sim_uniform(r, 0.5, 4.5));
    return o > t ? o - SIM_DAY : o;
}

/* An odd hour for a gate move: the small hours, 00:00-05:00 local. */
static bool is_odd(int64_t t, const struct sim_port *p)
{
    struct vg_civil c;
    vg_time_local(t, &p->zone, &c);
    return c.hour < 5;
}

/* Empty pick-up at a depot: depots work 06:00-22:00, a few boxes leave at night. */
static int64_t pick_time(struct sim_rng *r, const struct sim_port *p, int64_t nominal)
{
    double h = vg__sim_chance(r, 0.03) ? vg__sim_uniform(r, 22, 29) : vg__sim_uniform(r, 6, 22);
    int64_t t = set_local_hour(nominal, &p->zone, h);
    return t;
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* Seal numbers: the issuer's prefix and seven digits, unique in the world. */
static void seal_number(struct sim_gen *g, const char *prefix, char out[16])
{
    uint32_t k = g->seal_seq++;
    uint32_t v = (uint32_t)(((uint64_t)k * PERM_A + 1331u) % 10000000u);
    size_t n = strlen(prefix);
    n = n > 6 ? 6 : n;
    memcpy(out, prefix, n);
    for (int i = 6; i >= 0; i--) {
        out[n + (size_t)i] = (char)('0' + v % 10);
        v /= 10;
    }
    out[n + 7] = '\0';
}

static void add_seal(struct sim_seal *list, uint8_t *n, const char *num, const char *party)
{
    if (*n >= SIM_SEALS) {
        return;
    }
    snprintf(list[*n].num, sizeof(list[*n].num), "%s", num);
    snprintf(list[*n].party, sizeof(list[*n].party), "%s", party);
    (*n)++;
}

/* One character off: a neighbouring digit, or two characters swapped. */
static void seal_typo(struct sim_rng *r, char *num)
{
    size_t len = strlen(num);
    for (int attempt = 0; attempt < 20; attempt++) {
        size_t i = vg__sim_below(r, (uint32_t)len);
        if (num[i] >= '0' && num[i] <= '9') {
            num[i] = num[i] == '9' ? '8' : (char)(num[i] + 1);
            return;
        }
    }
}

static bool seals_equal(const struct sim_seal *a, uint8_t na, const struct sim_seal *b,
                        uint8_t nb)
{
    /* The same set of numbers (parties aside): a customs seal added is a change too. */
    if (na != nb) {
        return false;
    }
    for (uint8_t i = 0; i < na; i++) {
        bool found = false;
        for (uint8_t j = 0; j < nb && !found; j++) {
            found = strcmp(a[i].num, b[j].num) == 0;
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

static void truck_plate(struct sim_rng *r, char out[8])
{
    static const char letters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";
    out[0] = letters[vg__sim_below(r, 23)];
    out[1] = (char)('0' + vg__sim_below(r, 10));
    out[2] = letters[vg__sim_below(r, 23)];
    out[3] = '-';
    for (int i = 4; i < 7; i++) {
        out[i] = (char)('0' + vg__sim_below(r, 10));
    }
    out[7] = '\0';
}

static bool on_rotation_after(const struct sim_service *sv, uint32_t rot, const char *locode)
{
    for (uint32_t i = rot + 1; i < sv->nrot; i++) {
        if (strcmp(sv->rot[i].port, locode) == 0) {
            return true;
        }
    }
    return false;
}

static const char *service_hub(const struct sim_service *sv, uint32_t rot)
{
    for (uint32_t i = rot + 1; i < sv->nrot; i++) {
        for (uint32_t h = 0; h < sv->nhub; h++) {
            if (strcmp(sv->rot[i].port, sv->hub[h]) == 0) {
                return sv->hub[h];
            }
        }
    }
    return sv->nhub > 0 ? sv->hub[0] : sv->rot[sv->nrot - 1].port;
}

static bool is_service_hub(const struct sim_service *sv, const char *locode)
{
    for (uint32_t h = 0; h < sv->nhub; h++) {
        if (strcmp(sv->hub[h], locode) == 0) {
            return true;
        }
    }
    return false;
}

/* Days from this call to a port of the rotation (or via the hub, plus a connection). */
static double transit_days(const struct sim_service *sv, uint32_t rot, const char *pod,
                           bool via_hub)
{
    for (uint32_t i = rot + 1; i < sv->nrot; i++) {
        if (strcmp(sv->rot[i].port, pod) == 0) {
            return sv->rot[i].day - sv->rot[rot].day;
        }
    }
    double to_end = sv->rot[sv->nrot - 1].day - sv->rot[rot].day;
    return (via_hub ? 0.5 * to_end + 14 : to_end) + 4;
}

/* ---- consignments ------------------------------------------------------------------------ */

static struct sim_consignment *cons_new(struct call_ctx *x)
{
    struct sim_gen *g = x->g;
    if (!vg__sim_grow((void **)&g->cons, &g->cons_cap, g->ncons + 1, sizeof(*g->cons), 256)) {
        return NULL;
    }
    struct sim_consignment *k = &g->cons[g->ncons++];
    memset(k, 0, sizeof(*k));
    k->shipper = k->consignee = k->notify = k->forwarder = k->broker = SIM_NONE;
    k->country = -1;
    return k;
}

static struct sim_trip *trip_new(struct call_ctx *x)
{
    struct sim_gen *g = x->g;
    if (!vg__sim_grow((void **)&g->trip, &g->trip_cap, g->ntrip + 1, sizeof(*g->trip), 512)) {
        return NULL;
    }
    struct sim_trip *t = &g->trip[g->ntrip++];
    memset(t, 0, sizeof(*t));
    t->transfer_terminal = SIM_NONE;
    t->rolled_from = SIM_NONE;
    t->loaded = true;
    return t;
}

static void bl_number(struct call_ctx *x, struct sim_consignment *k)
{
    const struct sim_carrier *ca = &x->cfg->carrier[k->carrier];
    uint32_t n = x->w->bl_seq++;
    snprintf(k->bl, sizeof(k->bl), "%s%.3s%07u", ca->bl_prefix, x->port->locode + 2,
             (uint32_t)(((uint64_t)n * PERM_A + 77u) % 10000000u));
    if (k->house && k->forwarder != SIM_NONE) {
        memcpy(k->master, k->bl, sizeof(k->master));
        char pre[4] = "HBL";
        const char *fname = x->w->party[k->forwarder].name;
        int j = 0;
        for (const char *p = fname; *p != '\0' && j < 3; p++) {
            if (*p >= 'A' && *p <= 'Z') {
                pre[j++] = *p;
            }
        }
        snprintf(k->bl, sizeof(k->bl), "%.3sPE%08u", pre,
                 (uint32_t)(((uint64_t)n * PERM_A + 5u) % 100000000u));
    }
}

/* Destination country among the commodity's markets in the regions the service serves
 * (region_w optional: a pattern's preference). -1 when none. */
static int pick_country(struct call_ctx *x, uint32_t commodity, const double *region_w)
{
    const struct sim_config *cfg = x->cfg;
    double w[128];
    uint32_t n = cfg->ncountry < 128 ? cfg->ncountry : 128;
    double total = 0;
    for (uint32_t i = 0; i < n; i++) {
        int rg = cfg->country[i].region;
        double rw = region_w ? region_w[rg] : 1.0;
        w[i] = ((x->sv->regions >> rg) & 1) ? cfg->commodity[commodity].dest_w[i] * rw : 0;
        total += w[i];
    }
    if (!(total > 0)) {
        return -1;
    }
    double u = vg__sim_unit(&x->r) * total;
    for (uint32_t i = 0; i < n; i++) {
        if (u < w[i]) {
            return (int)i;
        }
        u -= w[i];
    }
    return (int)n - 1;
}

static void set_route(struct call_ctx *x, struct sim_consignment *k)
{
    const struct sim_country *ct = &x->cfg->country[k->country];
    memcpy(k->pod, ct->ports[vg__sim_pick(&ct->port_pick, &x->r)], 6);
    k->nhub = 0;
    if (!on_rotation_after(x->sv, x->c->rot, k->pod)) {
        memcpy(k->hub[0], service_hub(x->sv, x->c->rot), 6);
        k->nhub = strcmp(k->hub[0], k->pod) == 0 ? 0 : 1;
    }
}

static uint32_t fresh_consignee(struct call_ctx *x, int country)
{
    struct sim_party p = { 0 };
    p.role = SIM_ROLE_CONSIGNEE;
    p.name = vg__sim_foreign_name(x->w, &x->r, (uint32_t)country);
    if (p.name == NULL) {
        return SIM_NONE;
    }
    const struct sim_country *ct = &x->cfg->country[country];
    const struct sim_city *city = &ct->cities[vg__sim_below(&x->r, ct->ncities)];
    char street[96];
    snprintf(street, sizeof(street), "%s %d", city->street, vg__sim_range(&x->r, 1, 480));
    p.street = vg_arena_strndup(&x->w->arena, street, strlen(street));
    p.city = city->name;
    p.postcode = city->postcode;
    memcpy(p.country, ct->code, 3);
    p.since_day = x->day - vg__sim_range(&x->r, 3, 45);
    p.broker = p.forwarder = p.commodity = SIM_NONE;
    return p.street ? vg__sim_party_add(x->w, &p) : SIM_NONE;
}

/* The common part of every consignment: exporter's broker and forwarder, notify party,
 * bill numbers, filing time is set later from the boxes. */
static void finish_consignment(struct call_ctx *x, struct sim_consignment *k, bool house)
{
    struct sim_world *w = x->w;
    const struct sim_party *ex = &w->party[k->shipper];
    k->carrier = x->sv->car[vg__sim_pick(&x->sv->car_pick, &x->r)];
    k->broker = ex->broker != SIM_NONE ? ex->broker : w->broker[vg__sim_below(&x->r, w->nbroker)];
    if (k->forwarder == SIM_NONE && (house || vg__sim_chance(&x->r, 0.3))) {
        k->forwarder = ex->forwarder != SIM_NONE ? ex->forwarder
                                                 : w->forwarder[vg__sim_below(&x->r, w->nforwarder)];
    }
    k->house = house && k->forwarder != SIM_NONE;
    if (k->country >= 0 && vg__sim_chance(&x->r, x->cfg->notify_share)) {
        uint32_t pool_n = w->ncons_pool[k->country];
        uint32_t nt = w->cons_pool[k->country][vg__sim_below(&x->r, pool_n)];
        k->notify = nt != k->consignee ? nt : SIM_NONE;
    }
    bl_number(x, k);
    const struct sim_commodity *cm = &x->cfg->commodity[k->commodity];
    k->value_usd = 0;
    (void)cm;
}

/* A street of the party's country it does not use (arena memory). */
/* A street in the party's country: fresh (another's address under its name) or, with
 * branch, one of the party's two other addresses (a branch, or where it moved), the same
 * each time it is written. Either way the draws of the call's stream are the same. */
static const char *street_for(struct call_ctx *x, uint32_t party, bool branch)
{
    const struct sim_party *p = &x->w->party[party];
    int ci = vg__sim_country_index(x->cfg, p->country);
    if (ci < 0) {
        return NULL;
    }
    const struct sim_country *ct = &x->cfg->country[ci];
    uint32_t c = vg__sim_below(&x->r, ct->ncities);
    int number = vg__sim_range(&x->r, 481, 999);
    if (branch) {
        struct sim_rng br;
        vg__sim_rng_init(&br, x->w->seed, SIM_S_BRANCH, party, (uint64_t)number & 1u);
        c = vg__sim_below(&br, ct->ncities);
        number = vg__sim_range(&br, 481, 999);
    }
    char street[96];
    snprintf(street, sizeof(street), "%s %d", ct->cities[c].street, number);
    return vg_arena_strndup(&x->w->arena, street, strlen(street));
}

/* Place of delivery (LOC+7) in another country of the consignee's region. */
static bool delivery_abroad(struct call_ctx *x, struct sim_consignment *k)
{
    const struct sim_config *cfg = x->cfg;
    if (k->country < 0) {
        return false;
    }
    int region = cfg->country[k->country].region;
    for (int a = 0; a < 12; a++) {
        uint32_t ci = vg__sim_below(&x->r, cfg->ncountry);
        const struct sim_country *ct = &cfg->country[ci];
        if ((int)ci != k->country && ct->region == region) {
            memcpy(k->delivery, ct->ports[vg__sim_pick(&ct->port_pick, &x->r)], 6);
            return true;
        }
    }
    return false;
}

static uint32_t pick_exporter(struct call_ctx *x, uint32_t commodity)
{
    struct sim_world *w = x->w;
    uint32_t best = SIM_NONE;
    for (int attempt = 0; attempt < 6; attempt++) {
        uint32_t e = w->exporters[commodity][vg__sim_pick(&w->exporter_pick[commodity], &x->r)];
        if (w->party[e].since_day <= x->day) {
            return e;
        }
        best = e;
    }
    /* Every draw was a newcomer not trading yet: take the largest established one. */
    for (uint32_t i = 0; i < w->nexporters[commodity]; i++) {
        uint32_t e = w->exporters[commodity][i];
        if (w->party[e].since_day <= x->day) {
            return e;
        }
    }
    return best;
}

/* An ordinary consignment (maybe with consignment-level confounders). Returns the number
 * of boxes it wants, 0 when the call cannot carry any commodity. */
static int normal_consignment(struct call_ctx *x, struct sim_consignment *k)
{
    const struct sim_config *cfg = x->cfg;
    struct sim_world *w = x->w;
    struct sim_rng *r = &x->r;
    if (!x->any_commodity) {
        return 0;
    }
    uint32_t c = vg__sim_pick(&x->commodity_pick, r);
    uint32_t ex = pick_exporter(x, c);
    /* A front company's clean test shipment now and then. */
    const struct sim_pattern_cfg *fp = &cfg->pattern[SIM_P_FRONT];
    if (fp->present && w->nfront > 0 &&
        vg__sim_chance(r, fp->rate * fp->test_shipments / 1000.0 * 1.8)) {
        uint32_t f = w->front[vg__sim_below(r, w->nfront)];
        if (w->party[f].since_day <= x->day && pick_country(x, w->party[f].commodity, NULL) >= 0) {
            ex = f;
            c = w->party[f].commodity;
        }
    }
    k->commodity = c;
    k->shipper = ex;
    const struct sim_party *p = &w->party[ex];
    /* Consignee: a usual one in a market this service reaches, or someone new. */
    uint32_t cand[64];
    uint32_t ncand = 0;
    for (uint32_t i = 0; i < p->ncons && ncand < 64; i++) {
        int ci = vg__sim_country_index(cfg, w->party[p->cons[i]].country);
        if (ci >= 0 && ((x->sv->regions >> cfg->country[ci].region) & 1) &&
            cfg->commodity[c].dest_w[ci] > 0) {
            cand[ncand++] = p->cons[i];
        }
    }
    bool newcons = vg__sim_chance(r, cfg->conf_rate[SIM_C_NEW_CONSIGNEE]);
    if (ncand > 0 && !newcons) {
        k->consignee = cand[vg__sim_below(r, ncand)];
        k->country = vg__sim_country_index(cfg, w->party[k->consignee].country);
    } else {
        k->country = pick_country(x, c, NULL);
        if (k->country < 0) {
            return 0;
        }
        if (newcons && vg__sim_chance(r, 0.5)) {
            k->consignee = fresh_consignee(x, k->country);
        } else {
            uint32_t n = w->ncons_pool[k->country];
            k->consignee = w->cons_pool[k->country][vg__sim_below(r, n)];
        }
        if (k->consignee == SIM_NONE) {
            return -1;
        }
        if (newcons) {
            k->conf_bits |= 1u << SIM_C_NEW_CONSIGNEE;
        }
    }
    set_route(x, k);
    /* fresh_consignee() may have moved the party table: look the exporter up again. */
    k->prepaid = vg__sim_chance(r, w->party[ex].prepaid);
    bool house = vg__sim_chance(r, cfg->house_bl_share);
    /* Consignment-level confounders. */
    if (vg__sim_chance(r, cfg->conf_rate[SIM_C_VAGUE])) {
        k->vague = true;
        k->conf_bits |= 1u << SIM_C_VAGUE;
    }
    if (vg__sim_chance(r, cfg->conf_rate[SIM_C_LATE_FILING])) {
        k->late = true;
        k->conf_bits |= 1u << SIM_C_LATE_FILING;
    }
    if (cfg->commodity[c].pkgs[1] > 0 && vg__sim_chance(r, cfg->conf_rate[SIM_C_ALT_PACKING])) {
        k->pack_factor = vg__sim_chance(r, 0.5) ? vg__sim_uniform(r, 1.15, 2.3)
                                                : vg__sim_uniform(r, 0.45, 0.88);
        k->conf_bits |= 1u << SIM_C_ALT_PACKING;
    }
    const struct sim_pattern_cfg *tp = &cfg->pattern[SIM_P_TRANSHIPMENT];
    if (tp->present && tp->nhub > 0 && vg__sim_chance(r, cfg->conf_rate[SIM_C_ROUTE])) {
        memcpy(k->hub[0], tp->hub[vg__sim_pick(&tp->hub_pick, r)], 6);
        k->nhub = 1;
        k->conf_bits |= 1u << SIM_C_ROUTE;
    } else if (k->nhub == 1 && vg__sim_chance(r, cfg->conf_rate[SIM_C_MULTI_TRANSHIP])) {
        /* A missed connection: a second, legitimate hub. */
        const char *second = strcmp(k->hub[0], "COCTG") == 0 ? "PAMIT" : "COCTG";
        memcpy(k->hub[1], second, 6);
        k->nhub = 2;
        k->conf_bits |= 1u << SIM_C_MULTI_TRANSHIP;
    }
    if (vg__sim_chance(r, cfg->conf_rate[SIM_C_CARRIER_CONSIGNEE])) {
        k->carrier_consignee = true;
        k->conf_bits |= 1u << SIM_C_CARRIER_CONSIGNEE;
    }
    if (vg__sim_chance(r, cfg->conf_rate[SIM_C_CONSIGNEE_MOVED])) {
        /* The consignee moved (or writes a branch address): a street it never used. */
        k->consignee_street = street_for(x, k->consignee, true);
        k->conf_bits |= 1u << SIM_C_CONSIGNEE_MOVED;
    }
    if (vg__sim_chance(r, cfg->conf_rate[SIM_C_DELIVERY_ELSEWHERE])) {
        /* Delivery to a warehouse in a neighbouring country (a distribution centre). */
        if (delivery_abroad(x, k)) {
            k->conf_bits |= 1u << SIM_C_DELIVERY_ELSEWHERE;
        }
    }
    if (w->nlisted > 0 && vg__sim_chance(r, cfg->conf_rate[SIM_C_LISTED_CLEAN])) {
        /* A listed party's clean shipment, under the name as it writes it. */
        struct sim_listed *l = &w->listed[vg__sim_below(r, w->nlisted)];
        struct sim_party *lp = &w->party[l->party];
        const char *name = l->variants[vg__sim_below(r, l->nvariants)];
        bool used = false;
        if (lp->role == SIM_ROLE_EXPORTER && pick_country(x, lp->commodity, NULL) >= 0) {
            k->shipper = l->party;
            k->shipper_name = name;
            k->commodity = c = lp->commodity;
            k->country = pick_country(x, c, NULL);
            uint32_t n = w->ncons_pool[k->country];
            k->consignee = w->cons_pool[k->country][vg__sim_below(r, n)];
            set_route(x, k);
            used = true;
        } else if (lp->role == SIM_ROLE_CONSIGNEE) {
            int ci = vg__sim_country_index(cfg, lp->country);
            if (ci >= 0 && ((x->sv->regions >> cfg->country[ci].region) & 1)) {
                k->consignee = l->party;
                k->consignee_name = name;
                k->country = ci;
                set_route(x, k);
                used = true;
            }
        } else if (lp->role == SIM_ROLE_FORWARDER) {
            k->forwarder = l->party;
            k->forwarder_name = name;
            house = true;
            used = true;
        }
        if (used) {
            k->listed = (uint32_t)(l - w->listed) + 1;
            k->conf_bits |= 1u << SIM_C_LISTED_CLEAN;
        }
    }
    finish_consignment(x, k, house);
    const struct sim_commodity *cm = &cfg->commodity[c];
    int lo = cm->bl_min, hi = cm->bl_max;
    return vg__sim_range(r, lo, hi);
}

/* The consignment of a consignment-level case. Returns false when the call cannot host it. */
static bool special_consignment(struct call_ctx *x, struct sim_consignment *k, int pattern,
                                uint32_t *ind)
{
    const struct sim_config *cfg = x->cfg;
    struct sim_world *w = x->w;
    struct sim_rng *r = &x->r;
    const struct sim_pattern_cfg *pc = &cfg->pattern[pattern];
    bool house = false;
    uint32_t want = 0;
    for (int i = 0; i < SIM_INDICATORS; i++) {
        if (pc->ind_p[i] > 0 && vg__sim_chance(r, pc->ind_p[i])) {
            want |= 1u << i;
        }
    }
    if (pattern == SIM_P_FRONT) {
        uint32_t cover = pc->cover[vg__sim_pick(&pc->cover_pick, r)];
        if (pick_country(x, cover, pc->region_w) < 0) {
            return false;
        }
        uint32_t f = vg__sim_front_company(w, r, x->day, cover);
        if (f == SIM_NONE) {
            return false;
        }
        k->shipper = f;
        k->commodity = cover;
        k->country = pick_country(x, cover, pc->region_w);
        /* Company-level traits decide these two; the rest is per shipment. */
        want &= ~((1u << SIM_I_NEW_EXPORTER) | (1u << SIM_I_PRODUCT_INCONSISTENT));
    } else {
        /* Watch-listed party or unusual transhipment: an ordinary exporter's consignment,
         * or the listed exporter's own. */
        uint32_t c = SIM_NONE;
        uint32_t role = 0;
        struct sim_listed *l = NULL;
        if (pattern == SIM_P_WATCHLIST) {
            if (w->nlisted == 0) {
                return false;
            }
            struct sim_choice rp;
            if (vg__sim_choice_build(&rp, &w->arena, pc->role_w, 3) != VG_OK) {
                return false;
            }
            role = vg__sim_pick(&rp, r);
            /* A listed party of the drawn role that this call can carry (a consignee must
             * sit in a market the service reaches); else any usable one. */
            uint32_t start = vg__sim_below(r, w->nlisted);
            for (int pass = 0; pass < 2 && l == NULL; pass++) {
                for (uint32_t j = 0; j < w->nlisted && l == NULL; j++) {
                    struct sim_listed *cand = &w->listed[(start + j) % w->nlisted];
                    const struct sim_party *lp = &w->party[cand->party];
                    uint8_t want_role = role == 0 ? SIM_ROLE_EXPORTER
                                                  : (role == 1 ? SIM_ROLE_CONSIGNEE
                                                               : SIM_ROLE_FORWARDER);
                    if (pass == 0 && lp->role != want_role) {
                        continue;
                    }
                    bool usable = true;
                    if (lp->role == SIM_ROLE_CONSIGNEE) {
                        int ci = vg__sim_country_index(cfg, lp->country);
                        usable = ci >= 0 && ((x->sv->regions >> cfg->country[ci].region) & 1);
                    } else if (lp->role == SIM_ROLE_EXPORTER) {
                        usable = pick_country(x, lp->commodity, pc->region_w) >= 0;
                    }
                    if (usable) {
                        l = cand;
                    }
                }
            }
            if (l == NULL) {
                return false;
            }
            const struct sim_party *lp = &w->party[l->party];
            role = lp->role == SIM_ROLE_EXPORTER ? 0 : (lp->role == SIM_ROLE_CONSIGNEE ? 1 : 2);
            if (role == 0) {
                c = lp->commodity;
            }
        }
        if (c == SIM_NONE) {
            if (!x->any_commodity) {
                return false;
            }
            c = vg__sim_pick(&x->commodity_pick, r);
        }
        k->commodity = c;
        k->country = -1;
        if (l != NULL && role == 1) {
            k->country = vg__sim_country_index(cfg, w->party[l->party].country);
            if (k->country < 0 || !((x->sv->regions >> cfg->country[k->country].region) & 1)) {
                return false;
            }
        } else {
            k->country = pick_country(x, c, pc->region_w);
        }
        if (k->country < 0) {
            return false;
        }
        k->shipper = role == 0 && l != NULL ? l->party : pick_exporter(x, c);
        if (k->shipper == SIM_NONE) {
            return false;
        }
        if (l != NULL) {
            const char *name = vg__sim_chance(r, pc->variant_share)
                                   ? l->variants[vg__sim_below(r, l->nvariants)]
                                   : w->party[l->party].name;
            k->listed = (uint32_t)(l - w->listed) + 1;
            k->listed_exact = name == w->party[l->party].name;
            l->used_in_case = true;
            if (role == 0) {
                k->shipper_name = name;
            } else if (role == 1) {
                k->consignee = l->party;
                k->consignee_name = name;
                want &= ~(1u << SIM_I_NEW_CONSIGNEE);
            } else {
                k->forwarder = l->party;
                k->forwarder_name = name;
                house = true;
            }
            want |= 1u << SIM_I_WATCHLISTED;
        }
    }
    /* Consignee: brand new when the case shows it, else a usual market party. */
    if (k->consignee == SIM_NONE) {
        if (pattern == SIM_P_TRANSHIPMENT && (want >> SIM_I_CARRIER_CONSIGNEE & 1)) {
            k->carrier_consignee = true;
        }
        if ((want >> SIM_I_NEW_CONSIGNEE) & 1) {
            k->consignee = fresh_consignee(x, k->country);
        } else {
            uint32_t n = w->ncons_pool[k->country];
            k->consignee = w->cons_pool[k->country][vg__sim_below(r, n)];
        }
        if (k->consignee == SIM_NONE) {
            return false;
        }
    }
    set_route(x, k);
    if (pattern == SIM_P_TRANSHIPMENT) {
        const char *legit = service_hub(x->sv, x->c->rot);
        if ((want >> SIM_I_UNUSUAL_ROUTE) & 1) {
            const char *hub = pc->hub[vg__sim_pick(&pc->hub_pick, r)];
            for (int a = 0; a < 8 && is_service_hub(x->sv, hub); a++) {
                hub = pc->hub[vg__sim_pick(&pc->hub_pick, r)];
            }
            if (is_service_hub(x->sv, hub)) {
                want &= ~(1u << SIM_I_UNUSUAL_ROUTE);
            } else {
                memcpy(k->hub[0], hub, 6);
                k->nhub = 1;
            }
        }
        if ((want >> SIM_I_MULTI_TRANSHIP) & 1) {
            if (k->nhub == 0) {
                memcpy(k->hub[0], legit, 6);
                k->nhub = 1;
            }
            const char *second = strcmp(k->hub[0], "PABLB") == 0 ? "COCTG" : "PABLB";
            memcpy(k->hub[1], strcmp(k->hub[0], second) == 0 ? "PAMIT" : second, 6);
            k->nhub = 2;
        }
        if ((want >> SIM_I_COUNTRY_MISMATCH) & 1) {
            /* The consignee sits in another country of the region than the port. */
            for (int a = 0; a < 20; a++) {
                int other = pick_country(x, k->commodity, pc->region_w);
                if (other >= 0 && other != k->country &&
                    cfg->country[other].region == cfg->country[k->country].region) {
                    uint32_t n = w->ncons_pool[other];
                    if (!((want >> SIM_I_NEW_CONSIGNEE) & 1)) {
                        k->consignee = w->cons_pool[other][vg__sim_below(r, n)];
                    } else {
                        k->consignee = fresh_consignee(x, other);
                    }
                    k->country = other;
                    break;
                }
            }
        }
    }
    if (pattern == SIM_P_HIJACK) {
        /* A known importer's name with another address and the goods redirected [DT24]. */
        uint32_t n = w->ncons_pool[k->country];
        k->consignee = w->cons_pool[k->country][vg__sim_below(r, n)];
        if ((want >> SIM_I_ADDRESS_CHANGED) & 1) {
            k->consignee_street = street_for(x, k->consignee, false);
        }
        if (((want >> SIM_I_DELIVERY_REDIRECT) & 1) && !delivery_abroad(x, k)) {
            want &= ~(1u << SIM_I_DELIVERY_REDIRECT);
        }
    }
    if ((want >> SIM_I_HOUSE_BL) & 1) {
        house = true;
    }
    k->prepaid = (want >> SIM_I_FREIGHT_PREPAID) & 1;
    if (pattern == SIM_P_FRONT) {
        k->prepaid = k->prepaid || vg__sim_chance(r, 0.2);
    }
    k->vague = (want >> SIM_I_VAGUE) & 1;
    k->late = (want >> SIM_I_LATE_FILING) & 1;
    k->special = (uint8_t)pattern;
    finish_consignment(x, k, house);
    *ind = want;
    return true;
}

/* ---- boxes --------------------------------------------------------------------------------- */

static void stow_cell(struct call_ctx *x, struct sim_trip *t, int length_ft)
{
    uint32_t i = length_ft >= 40 ? x->cell40++ : x->cell20++;
    i += x->c->rot * 1200;
    uint32_t per_bay = 17 * 17;
    uint32_t bay_idx = (i / per_bay) % 24;
    uint32_t in_bay = i % per_bay;
    uint32_t row = in_bay % 17;
    uint32_t tier_idx = in_bay / 17; /* 0..16: hold 02-18, deck 82-96 */
    /* Reefers go on deck, where the plugs are. */
    if (t->reefer && tier_idx < 9) {
        tier_idx = 9 + tier_idx % 8;
    }
    uint32_t tier = tier_idx < 9 ? 2 + 2 * tier_idx : 82 + 2 * (tier_idx - 9);
    uint32_t bay = length_ft >= 40 ? 2 + 4 * bay_idx : 1 + 4 * bay_idx;
    snprintf(t->cell, sizeof(t->cell), "%03u%02u%02u", bay % 1000, row % 100, tier % 100);
}

static void owner_prefix(struct call_ctx *x, uint32_t carrier, char out[5])
{
    const struct sim_config *cfg = x->cfg;
    if (vg__sim_chance(&x->r, cfg->lessor_share)) {
        memcpy(out, cfg->lessor[vg__sim_pick(&cfg->lessor_pick, &x->r)], 5);
    } else {
        const struct sim_carrier *ca = &cfg->carrier[carrier];
        memcpy(out, ca->prefix[vg__sim_below(&x->r, ca->nprefix)], 5);
    }
}

/* A clone victim: a recent box at another place whose stay overlaps [from, to]. */
static int find_victim(struct sim_gen *g, uint32_t port, uint32_t terminal, int64_t from,
                       int64_t to)
{
    for (uint32_t k = 0; k < g->ring_n; k++) {
        uint32_t i = (g->ring_head + 512 - 1 - k) % 512;
        if ((g->ring[i].port != port || g->ring[i].terminal != terminal) &&
            g->ring[i].t_load > from + 2 * HOUR && g->ring[i].t_gate < to) {
            return (int)i;
        }
    }
    return -1;
}

static int length_ft(const char *type)
{
    return type[0] == '4' || type[0] == 'L' ? 40 : 20;
}

/* Makes the box of consignment k (pattern: a container-level case, or a consignment-level
 * case's box) with the indicators want. */
static struct sim_trip *make_box(struct call_ctx *x, uint32_t kidx, int pattern, uint32_t want)
{
    const struct sim_config *cfg = x->cfg;
    struct sim_gen *g = x->g;
    struct sim_rng *r = &x->r;
    const struct sim_port *p = x->port;
    struct sim_call *c = x->c;
    struct sim_trip *t = trip_new(x);
    if (t == NULL) {
        return NULL;
    }
    struct sim_consignment *k = &g->cons[kidx];
    const struct sim_commodity *cm = &cfg->commodity[k->commodity];
    t->cons = kidx;
    t->full = true;
    t->pattern = (uint8_t)pattern;
    t->equip = cm->eq[vg__sim_pick(&cm->eq_pick, r)];
    const struct sim_equipment *eq = &cfg->equip[t->equip];
    memcpy(t->type, eq->code, 5);
    memcpy(t->type_manifest, eq->code, 5);
    t->reefer = eq->reefer;
    char prefix[5];
    owner_prefix(x, k->carrier, prefix);
    vg__sim_container_number(x->w, prefix, t->container);

    /* Cargo. */
    double pk = cm->pkgs[0] + cm->pkgs[1] * vg__sim_normal(r);
    double kg_pkg = cm->kg_pkg[0] + cm->kg_pkg[1] * vg__sim_normal(r);
    if (k->pack_factor > 0) {
        /* Another carton size for the same goods: fewer, heavier packages or the reverse. */
        kg_pkg *= k->pack_factor;
        pk /= k->pack_factor;
    }
    t->packages = pk < 1 ? 1 : (uint32_t)lround(pk);
    if ((want >> SIM_I_WEIGHT_ANOMALY) & 1) {
        kg_pkg = cm->kg_pkg[0] * (vg__sim_chance(r, 0.5) ? vg__sim_uniform(r, 1.09, 1.25)
                                                         : vg__sim_uniform(r, 0.78, 0.91));
    }
    t->cargo_kg = clampd(t->packages * kg_pkg, 200, eq->max_gross - eq->tare - 50);
    bool bulk = strcmp(cm->pkg, "VY") == 0 || strcmp(cm->pkg, "NE") == 0;
    t->net_kg = t->cargo_kg * (bulk ? 1.0 : 0.94);
    t->gross_manifest = round(eq->tare + t->cargo_kg);
    t->gross_gate = round((t->gross_manifest * (1 + 0.004 * vg__sim_normal(r))) / 10) * 10;

    /* Times: gate-in some days before berthing, the empty picked up before that. */
    int kind = eq->reefer ? 0 : 1;
    double dwell = vg__sim_lognormal(r, p->dwell[kind][0], p->dwell[kind][1]);
    if ((want >> SIM_I_LONG_DWELL) & 1) {
        dwell = p->dwell[kind][0] * vg__sim_uniform(r, 2.8, 4.5);
    } else if (pattern == SIM_P_NONE && vg__sim_chance(r, cfg->conf_rate[SIM_C_ROLLOVER])) {
        dwell += x->sv->freq; /* missed the previous call */
        t->conf |= 1u << SIM_C_ROLLOVER;
        t->rolled_from = x->prev_call; /* whose loading order named it */
    }
    dwell = clampd(dwell, 0.25, 40);
    t->t_gate = gate_time(r, p, c->berth - (int64_t)(dwell * SIM_DAY));
    if (t->t_gate > c->berth - 2 * HOUR) {
        t->t_gate = c->berth - (int64_t)(vg__sim_uniform(r, 2, 8) * HOUR);
    }
    double stuffing_h = vg__sim_lognormal(r, 20, 0.45);
    if ((want >> SIM_I_SLOW_INLAND) & 1) {
        stuffing_h += vg__sim_uniform(r, 3.2, 6) * 24;
    } else if (pattern == SIM_P_NONE && vg__sim_chance(r, cfg->conf_rate[SIM_C_SLOW_INLAND])) {
        stuffing_h += vg__sim_uniform(r, 3.2, 5) * 24;
        t->conf |= 1u << SIM_C_SLOW_INLAND;
    }
    t->t_pick = pick_time(r, p, t->t_gate - (int64_t)(stuffing_h * HOUR));
    if (t->t_pick > t->t_gate - 3 * HOUR) {
        t->t_pick -= SIM_DAY;
    }
    if ((want >> SIM_I_ODD_HOUR) & 1) {
        if ((want >> SIM_I_GATE_OUT_REENTRY) & 1) {
            /* The odd move is the re-entry, set below. */
        } else if (vg__sim_chance(r, 0.5) || pattern == SIM_P_RIP_ON) {
            t->t_gate = odd_hour(r, p, t->t_gate);
        } else {
            t->t_pick = odd_hour(r, p, t->t_pick);
        }
    }
    t->t_load = c->berth + (int64_t)(vg__sim_uniform(r, 0.05, 0.95) * (double)(c->etd - c->berth));
    truck_plate(r, t->truck);
    uint32_t bk = g->booking_seq++;
    uint32_t bv = (uint32_t)(((uint64_t)bk * PERM_A + 4711u) % 1000000000u);
    for (int i = 8; i >= 0; i--) {
        t->booking[i] = (char)('0' + bv % 10);
        bv /= 10;
    }
    t->booking[9] = '\0';

    /* Seals: the carrier's bolt seal, the shipper's, SENASA's for plant products. */
    char num[16];
    seal_number(g, cfg->carrier[k->carrier].seal_prefix, num);
    add_seal(t->seal_m, &t->nseal_m, num, "CA");
    add_seal(t->seal_g, &t->nseal_g, num, "CA");
    if (vg__sim_chance(r, cm->shipper_seal)) {
        seal_number(g, "S", num);
        add_seal(t->seal_m, &t->nseal_m, num, "SH");
        add_seal(t->seal_g, &t->nseal_g, num, "SH");
    }
    if (vg__sim_chance(r, cm->phyto_seal)) {
        seal_number(g, "SEN", num);
        add_seal(t->seal_g, &t->nseal_g, num, "AC");
        add_seal(t->seal_m, &t->nseal_m, num, "AC");
    }
    memcpy(t->seal_l, t->seal_g, sizeof(t->seal_l));
    t->nseal_l = t->nseal_g;

    /* Case manipulations. */
    if (pattern == SIM_P_RIP_ON) {
        if ((want >> SIM_I_SEAL_CHANGED) & 1) {
            seal_number(g, cfg->carrier[k->carrier].seal_prefix, t->seal_l[0].num);
        } /* else a duplicate seal with the same number: nothing shows */
    } else if (pattern == SIM_P_CONTAMINATION) {
        if ((want >> SIM_I_SEAL_CHANGED) & 1) {
            seal_number(g, cfg->carrier[k->carrier].seal_prefix, t->seal_g[0].num);
            memcpy(t->seal_l[0].num, t->seal_g[0].num, sizeof(t->seal_l[0].num));
        }
    }
    if ((want >> SIM_I_WEIGHT_MISMATCH) & 1) {
        double f = vg__sim_uniform(r, 0.035, 0.08) * (vg__sim_chance(r, 0.7) ? 1 : -1);
        t->gross_gate = round(t->gross_manifest * (1 + f) / 10) * 10;
    }
    if ((want >> SIM_I_GATE_OUT_REENTRY) & 1) {
        double span = (double)(c->berth - t->t_gate);
        t->t_out = t->t_gate + (int64_t)(span * vg__sim_uniform(r, 0.2, 0.6));
        t->t_back = t->t_out + (int64_t)(vg__sim_uniform(r, 2, 9) * HOUR);
        if ((want >> SIM_I_ODD_HOUR) & 1) {
            t->t_back = odd_hour(r, p, t->t_back + 6 * HOUR);
            if (t->t_back <= t->t_out) {
                t->t_back = t->t_out + 3 * HOUR;
            }
        }
        if (t->t_back > c->berth - HOUR) {
            t->t_back = c->berth - HOUR;
            if (t->t_out >= t->t_back) {
                t->t_out = t->t_back - 3 * HOUR;
            }
        }
        truck_plate(r, t->truck_back);
    }
    if (pattern == SIM_P_CLONE) {
        int v = ((want >> SIM_I_DUPLICATE) & 1)
                    ? find_victim(g, c->port, c->terminal, t->t_gate, t->t_load)
                    : -1;
        if (v >= 0) {
            memcpy(t->container, g->ring[v].container, 12);
            memcpy(t->related, g->ring[v].container, 12);
            t->related_port = g->ring[v].port;
            t->related_terminal = g->ring[v].terminal;
            memcpy(t->type_manifest, g->ring[v].type, 5);
            memcpy(t->type, g->ring[v].type, 5);
        }
        if ((want >> SIM_I_SIZE_TYPE_MISMATCH) & 1) {
            /* The clone is a dry box painted as the reefer it copies, or the reverse. */
            t->type[2] = t->type[2] == 'R' ? 'G' : 'R';
        }
    }

    /* Box-level confounders on innocent boxes. */
    if (pattern == SIM_P_NONE && k->special == SIM_P_NONE) {
        if (vg__sim_chance(r, cfg->conf_rate[SIM_C_SEAL_TYPO])) {
            int which = (int)vg__sim_below(r, 3);
            seal_typo(r, which == 0 ? t->seal_m[0].num
                                    : (which == 1 ? t->seal_g[0].num : t->seal_l[0].num));
            t->conf |= 1u << SIM_C_SEAL_TYPO;
        }
        if (vg__sim_chance(r, cfg->conf_rate[SIM_C_RESEAL])) {
            seal_number(g, cfg->carrier[k->carrier].seal_prefix, t->seal_l[0].num);
            seal_number(g, vg__sim_chance(r, 0.5) ? "SUNAT" : "SEN", num);
            add_seal(t->seal_l, &t->nseal_l, num, num[0] == 'S' && num[1] == 'U' ? "CU" : "AC");
            t->conf |= 1u << SIM_C_RESEAL;
        }
        if (vg__sim_chance(r, cfg->conf_rate[SIM_C_GATE_REENTRY])) {
            double span = (double)(c->berth - t->t_gate);
            t->t_out = t->t_gate + (int64_t)(span * vg__sim_uniform(r, 0.2, 0.5));
            t->t_back = t->t_out + (int64_t)(vg__sim_uniform(r, 3, 20) * HOUR);
            if (t->t_back > c->berth - HOUR) {
                t->t_back = c->berth - HOUR;
            }
            if (t->t_out >= t->t_back) {
                t->t_out = t->t_back - 2 * HOUR;
            }
            truck_plate(r, t->truck_back);
            t->conf |= 1u << SIM_C_GATE_REENTRY;
        }
        if (vg__sim_chance(r, cfg->conf_rate[SIM_C_WEIGHT_DISCREPANCY])) {
            double f = vg__sim_uniform(r, 0.03, 0.12) * (vg__sim_chance(r, 0.5) ? 1 : -1);
            t->gross_gate = round(t->gross_manifest * (1 + f) / 10) * 10;
            t->conf |= 1u << SIM_C_WEIGHT_DISCREPANCY;
        }
        if (vg__sim_chance(r, cfg->conf_rate[SIM_C_TERMINAL_TRANSFER])) {
            /* Arrived from another terminal (or the depot) whose gate-out came in late. */
            uint32_t other = SIM_NONE;
            if (p->nterm > 1) {
                other = (c->terminal + 1 + vg__sim_below(r, p->nterm - 1)) % p->nterm;
            }
            t->transfer_terminal = other;
            t->t_transfer = t->t_gate + (int64_t)(vg__sim_uniform(r, 1, 5) * HOUR);
            t->conf |= 1u << SIM_C_TERMINAL_TRANSFER;
        }
        if (vg__sim_chance(r, cfg->conf_rate[SIM_C_SIZE_TYPE])) {
            /* Keyed differently by two senders: height or reefer/dry digit. */
            if (t->type[0] == '4') {
                t->type_manifest[1] = t->type[1] == '5' ? '2' : '5';
            } else {
                t->type_manifest[3] = t->type[3] == '1' ? '0' : '1';
            }
            t->conf |= 1u << SIM_C_SIZE_TYPE;
        }
    }
    stow_cell(x, t, length_ft(t->type));
    return t;
}

static void push_victim(struct sim_gen *g, const struct sim_call *c, const struct sim_trip *t)
{
    uint32_t i = g->ring_head;
    memcpy(g->ring[i].container, t->container, 12);
    memcpy(g->ring[i].type, t->type, 5);
    g->ring[i].port = c->port;
    g->ring[i].terminal = c->terminal;
    g->ring[i].t_gate = t->t_gate;
    g->ring[i].t_load = t->t_load;
    g->ring_head = (i + 1) % 512;
    if (g->ring_n < 512) {
        g->ring_n++;
    }
}

/* ---- what the data shows --------------------------------------------------------------- */

static uint32_t shown(struct call_ctx *x, const struct sim_trip *t)
{
    const struct sim_config *cfg = x->cfg;
    const struct sim_world *w = x->w;
    const struct sim_consignment *k = &x->g->cons[t->cons];
    const struct sim_port *p = x->port;
    uint32_t ind = 0;
    if (!t->full) {
        return 0;
    }
    bool same = seals_equal(t->seal_m, t->nseal_m, t->seal_g, t->nseal_g) &&
                seals_equal(t->seal_g, t->nseal_g, t->seal_l, t->nseal_l);
    ind |= (uint32_t)!same << SIM_I_SEAL_CHANGED;
    ind |= (uint32_t)(t->t_out != 0) << SIM_I_GATE_OUT_REENTRY;
    bool odd = is_odd(t->t_gate, p) || is_odd(t->t_pick, p) ||
               (t->t_out != 0 && (is_odd(t->t_out, p) || is_odd(t->t_back, p)));
    ind |= (uint32_t)odd << SIM_I_ODD_HOUR;
    const struct sim_equipment *eq = &cfg->equip[t->equip];
    double dwell_d = (double)(x->c->berth - t->t_gate) / SIM_DAY;
    ind |= (uint32_t)(dwell_d > 2.5 * p->dwell[eq->reefer ? 0 : 1][0]) << SIM_I_LONG_DWELL;
    const struct sim_party *ex = &w->party[k->shipper];
    ind |= (uint32_t)(x->day - ex->since_day < 60) << SIM_I_NEW_EXPORTER;
    ind |= (uint32_t)(((ex->flags & SIM_PARTY_INCONSISTENT) != 0) ||
                      ((ex->flags & SIM_PARTY_TRADER) && ex->commodity != k->commodity))
           << SIM_I_PRODUCT_INCONSISTENT;
    const struct sim_party *cn = &w->party[k->consignee];
    bool new_cons = (k->conf_bits >> SIM_C_NEW_CONSIGNEE & 1) || x->day - cn->since_day < 60;
    ind |= (uint32_t)new_cons << SIM_I_NEW_CONSIGNEE;
    ind |= (uint32_t)k->prepaid << SIM_I_FREIGHT_PREPAID;
    const struct sim_commodity *cm = &cfg->commodity[k->commodity];
    double per_pkg = t->cargo_kg / t->packages;
    ind |= (uint32_t)(fabs(per_pkg / cm->kg_pkg[0] - 1) > 0.07 &&
                      fabs(per_pkg - cm->kg_pkg[0]) > 3 * cm->kg_pkg[1])
           << SIM_I_WEIGHT_ANOMALY;
    double per_kg = k->value_usd / (k->net_total > 0 ? k->net_total : 1);
    ind |= (uint32_t)(fabs(per_kg / cm->value[0] - 1) > 0.45) << SIM_I_VALUE_ANOMALY;
    ind |= (uint32_t)k->vague << SIM_I_VAGUE;
    ind |= (uint32_t)k->house << SIM_I_HOUSE_BL;
    ind |= (uint32_t)k->late << SIM_I_LATE_FILING;
    ind |= (uint32_t)(fabs(t->gross_gate - t->gross_manifest) > 0.025 * t->gross_manifest)
           << SIM_I_WEIGHT_MISMATCH;
    ind |= (uint32_t)(t->t_gate - t->t_pick > 3 * SIM_DAY) << SIM_I_SLOW_INLAND;
    ind |= (uint32_t)(k->listed != 0) << SIM_I_WATCHLISTED;
    bool unusual = false;
    for (uint8_t h = 0; h < k->nhub; h++) {
        unusual |= !is_service_hub(x->sv, k->hub[h]);
    }
    ind |= (uint32_t)unusual << SIM_I_UNUSUAL_ROUTE;
    ind |= (uint32_t)(k->nhub >= 2) << SIM_I_MULTI_TRANSHIP;
    ind |= (uint32_t)(strncmp(k->pod, cn->country, 2) != 0 && !k->carrier_consignee)
           << SIM_I_COUNTRY_MISMATCH;
    ind |= (uint32_t)k->carrier_consignee << SIM_I_CARRIER_CONSIGNEE;
    ind |= (uint32_t)(t->related[0] != '\0' || t->transfer_terminal != SIM_NONE ||
                      (t->conf >> SIM_C_TERMINAL_TRANSFER & 1))
           << SIM_I_DUPLICATE;
    ind |= (uint32_t)(strcmp(t->type, t->type_manifest) != 0) << SIM_I_SIZE_TYPE_MISMATCH;
    ind |= (uint32_t)(k->consignee_street != NULL) << SIM_I_ADDRESS_CHANGED;
    ind |= (uint32_t)(k->delivery[0] != '\0' && !k->carrier_consignee &&
                      strncmp(k->delivery, cn->country, 2) != 0)
           << SIM_I_DELIVERY_REDIRECT;
    return ind;
}

/* ---- inspections --------------------------------------------------------------------------- */

static double officer_weight(struct call_ctx *x, const struct sim_trip *t)
{
    const struct sim_config *cfg = x->cfg;
    const struct sim_consignment *k = &x->g->cons[t->cons];
    const double *rule = cfg->insp.rule;
    double w = 1;
    int region = k->country >= 0 ? cfg->country[k->country].region : SIM_LATAM;
    if (region == SIM_EUR) {
        w *= rule[SIM_R_EUROPE] * (t->reefer ? rule[SIM_R_REEFER_EUROPE] : 1);
    }
    if ((t->ind >> SIM_I_NEW_EXPORTER) & 1) {
        w *= rule[SIM_R_NEW_EXPORTER];
    }
    if (cfg->commodity[k->commodity].high_risk) {
        w *= rule[SIM_R_HIGH_RISK];
    }
    if (k->house) {
        w *= rule[SIM_R_HOUSE_BL];
    }
    if (k->vague) {
        w *= rule[SIM_R_VAGUE];
    }
    if (k->listed && k->listed_exact) {
        w *= rule[SIM_R_WATCH_EXACT]; /* officers match exact names only */
    }
    if (!seals_equal(t->seal_m, t->nseal_m, t->seal_g, t->nseal_g)) {
        w *= rule[SIM_R_SEAL_DISCREPANCY];
    }
    if (vg_time_is_night(t->t_gate, &x->port->zone)) {
        w *= rule[SIM_R_NIGHT_GATE];
    }
    return w * exp(rule[SIM_R_NOISE] * vg__sim_normal(&x->r));
}

static enum vg_status add_outcome(struct sim_gen *g, const struct sim_outcome *o)
{
    struct sim_records *rec = &g->rec;
    if (!vg__sim_grow((void **)&rec->outcome, &rec->outcome_cap, rec->noutcome + 1,
                      sizeof(*rec->outcome), 256)) {
        return VG_ENOMEM;
    }
    rec->outcome[rec->noutcome++] = *o;
    return VG_OK;
}

static void outcome_base(struct call_ctx *x, const struct sim_trip *t, struct sim_outcome *o)
{
    const struct sim_consignment *k = &x->g->cons[t->cons];
    memset(o, 0, sizeof(*o));
    memcpy(o->container, t->container, 12);
    snprintf(o->bl, sizeof(o->bl), "%s", k->bl);
    memcpy(o->port, x->port->locode, 6);
    memcpy(o->destination, k->pod, 6);
}

static enum vg_status inspect_call(struct call_ctx *x)
{
    const struct sim_config *cfg = x->cfg;
    struct sim_gen *g = x->g;
    uint32_t nfull = 0;
    double sum = 0;
    double *wts = vg_calloc(g->ntrip ? g->ntrip : 1, sizeof(double));
    if (wts == NULL) {
        return VG_ENOMEM;
    }
    for (uint32_t i = 0; i < g->ntrip; i++) {
        if (g->trip[i].full) {
            wts[i] = officer_weight(x, &g->trip[i]);
            sum += wts[i];
            nfull++;
        }
    }
    double mean = nfull ? sum / nfull : 1;
    double share = cfg->insp.share, rs = cfg->insp.random_share;
    enum vg_status st = VG_OK;
    for (uint32_t i = 0; i < g->ntrip && st == VG_OK; i++) {
        struct sim_trip *t = &g->trip[i];
        if (!t->full) {
            continue;
        }
        bool random = vg__sim_chance(&x->r, share * rs);
        bool targeted = !random &&
                        vg__sim_chance(&x->r, clampd(share * (1 - rs) * wts[i] / mean, 0, 0.9));
        if (!random && !targeted) {
            continue;
        }
        t->inspected = true;
        t->selection = random ? SIM_SEL_RANDOM : SIM_SEL_TARGETED;
        t->method = (uint8_t)vg__sim_pick(&cfg->insp.method_pick, &x->r);
        int64_t lo = t->t_gate + HOUR, hi = x->c->berth - HOUR;
        t->t_insp = hi > lo ? lo + (int64_t)(vg__sim_unit(&x->r) * (double)(hi - lo)) : lo;
        g->rec.inspections++;
        if (t->pattern != SIM_P_NONE) {
            double p = cfg->insp.detect[t->method] * cfg->insp.conc_factor[t->conc];
            t->detected = vg__sim_chance(&x->r, p);
        }
        if (t->detected) {
            t->result = SIM_R_DRUGS;
            t->loaded = false; /* seized: the box stays ashore */
            g->rec.seized++;
        } else if (vg__sim_chance(&x->r, cfg->insp.other_rate)) {
            t->result = SIM_R_OTHER;
            t->other_finding = cfg->insp.other[vg__sim_pick(&cfg->insp.other_pick, &x->r)];
        }
        if (t->method != SIM_M_SCAN && t->loaded) {
            /* Opened boxes leave with a new carrier seal and the customs seal. */
            char num[16];
            seal_number(g, cfg->carrier[g->cons[t->cons].carrier].seal_prefix, t->seal_l[0].num);
            seal_number(g, "SUNAT", num);
            add_seal(t->seal_l, &t->nseal_l, num, "CU");
        }
        if (x->history) {
            g->rec.inspections_history++;
            struct sim_outcome o;
            outcome_base(x, t, &o);
            o.at = t->t_insp;
            o.result = t->result;
            o.method = t->method;
            o.selection = t->selection;
            o.conc = t->conc;
            o.kg = t->detected ? t->kg : 0;
            o.found_at = 0;
            o.seal_state = (t->detected && ((t->ind >> SIM_I_SEAL_CHANGED) & 1)) ? 1 : 0;
            o.other = t->other_finding;
            st = add_outcome(g, &o);
        }
    }
    vg_free(wts);
    return st;
}

/* Finds abroad of case boxes that left, weeks later (or at the hub). */
static enum vg_status finds_abroad(struct call_ctx *x)
{
    const struct sim_config *cfg = x->cfg;
    struct sim_gen *g = x->g;
    enum vg_status st = VG_OK;
    for (uint32_t i = 0; i < g->ntrip && st == VG_OK; i++) {
        struct sim_trip *t = &g->trip[i];
        if (t->pattern == SIM_P_NONE || !t->loaded) {
            continue;
        }
        const struct sim_consignment *k = &g->cons[t->cons];
        int region = k->country >= 0 ? cfg->country[k->country].region : SIM_LATAM;
        struct sim_outcome o;
        outcome_base(x, t, &o);
        o.result = SIM_R_DRUGS;
        o.method = SIM_M_FULL;
        o.selection = SIM_SEL_PARTNER;
        o.conc = t->conc;
        o.kg = t->kg;
        o.seal_state = ((t->ind >> SIM_I_SEAL_CHANGED) & 1) ? 1 : 0;
        double delay = vg__sim_uniform(&x->r, cfg->insp.delay[0], cfg->insp.delay[1]);
        if (k->nhub > 0 && vg__sim_chance(&x->r, cfg->insp.transit_find)) {
            o.found_at = 1;
            memcpy(o.port, k->hub[0], 6);
            double d = transit_days(x->sv, x->c->rot, k->hub[0], false);
            o.at = x->c->etd + (int64_t)((d + delay) * SIM_DAY);
        } else if (vg__sim_chance(&x->r, cfg->insp.dest_find[region])) {
            o.found_at = 2;
            memcpy(o.port, k->pod, 6);
            double d = transit_days(x->sv, x->c->rot, k->pod, k->nhub > 0);
            o.at = x->c->etd + (int64_t)((d + delay) * SIM_DAY);
        } else {
            continue;
        }
        t->found_at = (uint8_t)(o.found_at + 1);
        t->t_found = o.at;
        memcpy(t->found_port, o.port, 6);
        if (x->history) {
            st = add_outcome(g, &o);
        }
    }
    /* The at-sea transfer: bags the crew put into a few boxes, found at destination. */
    struct sim_vevent *ev = &x->c->ev;
    if (st == VG_OK && ev->kind == SIM_VE_TRANSFER && g->ntrip > 0) {
        const struct sim_pattern_cfg *pc = &cfg->pattern[SIM_P_AT_SEA];
        int n = vg__sim_range(&x->r, pc->crew_min, pc->crew_max);
        ev->ncrew = 0;
        for (int j = 0; j < n && ev->ncrew < 4; j++) {
            uint32_t i = vg__sim_below(&x->r, g->ntrip);
            if (g->trip[i].full && g->trip[i].loaded) {
                ev->crew[ev->ncrew++] = i;
            }
        }
        if (ev->ncrew > 0 && vg__sim_chance(&x->r, cfg->insp.vessel_find)) {
            struct sim_trip *t = &g->trip[ev->crew[0]];
            const struct sim_consignment *k = &g->cons[t->cons];
            struct sim_outcome o;
            outcome_base(x, t, &o);
            o.result = SIM_R_DRUGS;
            o.method = SIM_M_FULL;
            o.selection = SIM_SEL_PARTNER;
            o.conc = SIM_K_CREW_BAGS;
            o.kg = ev->kg / ev->ncrew;
            o.found_at = 2;
            memcpy(o.port, k->pod, 6);
            double d = transit_days(x->sv, x->c->rot, k->pod, k->nhub > 0);
            o.at = x->c->etd + (int64_t)((d + vg__sim_uniform(&x->r, cfg->insp.delay[0],
                                                              cfg->insp.delay[1])) *
                                         SIM_DAY);
            ev->found = true;
            ev->t_found = o.at;
            memcpy(ev->found_port, o.port, 6);
            memcpy(ev->found_container, t->container, 12);
            if (x->history) {
                st = add_outcome(g, &o);
            }
        }
    }
    return st;
}

/* ---- the call -------------------------------------------------------------------------------- */

/* A pattern for one full-container slot (container- or consignment-level), or none. */
static int draw_slot_pattern(struct call_ctx *x)
{
    static const int order[] = { SIM_P_RIP_ON,      SIM_P_FRONT,        SIM_P_CONTAMINATION,
                                 SIM_P_WATCHLIST,   SIM_P_TRANSHIPMENT, SIM_P_CLONE,
                                 SIM_P_HIJACK };
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        const struct sim_pattern_cfg *pc = &x->cfg->pattern[order[i]];
        if (!pc->present || pc->rate <= 0) {
            continue;
        }
        bool serves = false;
        for (int rg = 0; rg < SIM_REGIONS; rg++) {
            serves |= ((x->sv->regions >> rg) & 1) && pc->region_w[rg] > 0;
        }
        if (serves && vg__sim_chance(&x->r, pc->rate / 1000.0)) {
            return order[i];
        }
    }
    return SIM_P_NONE;
}

static uint32_t draw_indicators(struct call_ctx *x, int pattern)
{
    const struct sim_pattern_cfg *pc = &x->cfg->pattern[pattern];
    uint32_t want = 0, all = 0;
    for (int i = 0; i < SIM_INDICATORS; i++) {
        if (pc->ind_p[i] > 0) {
            all |= 1u << i;
            if (vg__sim_chance(&x->r, pc->ind_p[i])) {
                want |= 1u << i;
            }
        }
    }
    if (want == 0 && all != 0) {
        /* At least one: the pattern's likeliest indicator. */
        int best = 0;
        for (int i = 1; i < SIM_INDICATORS; i++) {
            best = pc->ind_p[i] > pc->ind_p[best] ? i : best;
        }
        want = 1u << best;
    }
    return want;
}

static void case_details(struct call_ctx *x, struct sim_trip *t, int pattern)
{
    const struct sim_pattern_cfg *pc = &x->cfg->pattern[pattern];
    t->kg = round(vg__sim_uniform(&x->r, pc->kg[0], pc->kg[1]));
    t->conc = (uint8_t)vg__sim_pick(&pc->conc_pick, &x->r);
    t->case_id = ++x->g->rec.case_seq;
}

static enum vg_status build_call(struct call_ctx *x, uint32_t n_full, uint32_t n_empty)
{
    struct sim_gen *g = x->g;
    const struct sim_config *cfg = x->cfg;
    uint32_t cur = SIM_NONE;
    int remaining = 0;
    for (uint32_t slot = 0; slot < n_full; slot++) {
        int pattern = draw_slot_pattern(x);
        if (pattern == SIM_P_FRONT || pattern == SIM_P_WATCHLIST ||
            pattern == SIM_P_TRANSHIPMENT || pattern == SIM_P_HIJACK) {
            struct sim_consignment *k = cons_new(x);
            if (k == NULL) {
                return VG_ENOMEM;
            }
            uint32_t want = 0;
            if (special_consignment(x, k, pattern, &want)) {
                struct sim_trip *t = make_box(x, g->ncons - 1, pattern, want);
                if (t == NULL) {
                    return VG_ENOMEM;
                }
                case_details(x, t, pattern);
                t->want = want;
                continue;
            }
            g->ncons--; /* the call cannot host it: an ordinary slot */
            pattern = SIM_P_NONE;
        }
        if (remaining <= 0) {
            struct sim_consignment *k = cons_new(x);
            if (k == NULL) {
                return VG_ENOMEM;
            }
            remaining = normal_consignment(x, k);
            if (remaining < 0) {
                return VG_ENOMEM;
            }
            if (remaining == 0) {
                g->ncons--;
                break;
            }
            cur = g->ncons - 1;
        }
        const struct sim_consignment *k = &g->cons[cur];
        if (pattern != SIM_P_NONE) {
            int region = k->country >= 0 ? cfg->country[k->country].region : SIM_LATAM;
            if (cfg->pattern[pattern].region_w[region] <= 0) {
                pattern = SIM_P_NONE;
            }
        }
        uint32_t want = pattern != SIM_P_NONE ? draw_indicators(x, pattern) : 0;
        struct sim_trip *t = make_box(x, cur, pattern, want);
        if (t == NULL) {
            return VG_ENOMEM;
        }
        if (pattern != SIM_P_NONE) {
            case_details(x, t, pattern);
            t->want = want;
        }
        remaining--;
    }
    /* Empties for repositioning: one carrier bill for all of them. */
    if (n_empty > 0) {
        struct sim_consignment *k = cons_new(x);
        if (k == NULL) {
            return VG_ENOMEM;
        }
        k->empty = true;
        k->carrier = x->c->carrier != SIM_NONE ? x->c->carrier : x->sv->car[0];
        k->commodity = 0;
        memcpy(k->pod, x->sv->rot[x->c->rot + 1 < x->sv->nrot ? x->c->rot + 1 : 0].port, 6);
        bl_number(x, k);
        uint32_t kidx = g->ncons - 1;
        for (uint32_t i = 0; i < n_empty; i++) {
            struct sim_trip *t = trip_new(x);
            if (t == NULL) {
                return VG_ENOMEM;
            }
            t->cons = kidx;
            t->full = false;
            /* Mostly dry boxes leave Peru empty; reefers come back full of imports. */
            uint32_t eq = 0;
            for (uint32_t e = 0; e < cfg->nequip; e++) {
                if (!cfg->equip[e].reefer && vg__sim_chance(&x->r, 0.5)) {
                    eq = e;
                    break;
                }
            }
            t->equip = eq;
            memcpy(t->type, cfg->equip[eq].code, 5);
            memcpy(t->type_manifest, t->type, 5);
            char prefix[5];
            owner_prefix(x, k->carrier, prefix);
            vg__sim_container_number(x->w, prefix, t->container);
            t->gross_manifest = t->gross_gate = cfg->equip[eq].tare;
            double dwell = vg__sim_lognormal(&x->r, x->port->dwell[2][0], x->port->dwell[2][1]);
            t->t_gate = gate_time(&x->r, x->port, x->c->berth - (int64_t)(dwell * SIM_DAY));
            if (t->t_gate > x->c->berth - 2 * HOUR) {
                t->t_gate = x->c->berth - 3 * HOUR;
            }
            t->t_pick = t->t_gate - (int64_t)(vg__sim_uniform(&x->r, 0.5, 3) * HOUR);
            t->t_load = x->c->berth +
                        (int64_t)(vg__sim_uniform(&x->r, 0.05, 0.95) *
                                  (double)(x->c->etd - x->c->berth));
            truck_plate(&x->r, t->truck);
            stow_cell(x, t, length_ft(t->type));
        }
    }
    return VG_OK;
}

static uint32_t pattern_mask(const struct sim_config *cfg, int pattern)
{
    uint32_t m = 0;
    for (int i = 0; i < SIM_INDICATORS; i++) {
        m |= (uint32_t)(cfg->pattern[pattern].ind_p[i] > 0) << i;
    }
    return m;
}

/* Makes a case show the one sign its pattern can always show. */
static void force_indicator(struct call_ctx *x, struct sim_trip *t)
{
    struct sim_consignment *k = &x->g->cons[t->cons];
    const struct sim_pattern_cfg *pc = &x->cfg->pattern[t->pattern];
    switch (t->pattern) {
    case SIM_P_RIP_ON:
        seal_number(x->g, x->cfg->carrier[k->carrier].seal_prefix, t->seal_l[0].num);
        break;
    case SIM_P_FRONT:
        k->prepaid = true;
        break;
    case SIM_P_HIJACK:
        k->consignee_street = street_for(x, k->consignee, false);
        break;
    case SIM_P_TRANSHIPMENT:
        for (uint32_t h = 0; h < pc->nhub; h++) {
            if (!is_service_hub(x->sv, pc->hub[h])) {
                memcpy(k->hub[0], pc->hub[h], 6);
                k->nhub = k->nhub ? k->nhub : 1;
                return;
            }
        }
        k->carrier_consignee = true;
        break;
    default: /* contamination, clone: the weight does not add up */
        t->gross_gate = round(t->gross_manifest * (1 + vg__sim_uniform(&x->r, 0.04, 0.07)) / 10) * 10;
        break;
    }
}

/* The indicators the case box of consignment i was made to show (0 for none). */
static uint32_t cons_want(const struct sim_gen *g, uint32_t i)
{
    for (uint32_t j = 0; j < g->ntrip; j++) {
        if (g->trip[j].cons == i && g->trip[j].pattern != SIM_P_NONE) {
            return g->trip[j].want;
        }
    }
    return 0;
}

enum vg_status vg__sim_trips_for_call(struct sim_gen *g, uint32_t ci, struct vg_error *err)
{
    struct sim_world *w = g->w;
    const struct sim_config *cfg = w->cfg;
    struct call_ctx x;
    memset(&x, 0, sizeof(x));
    x.g = g;
    x.w = w;
    x.cfg = cfg;
    x.c = &g->s->call[ci];
    x.port = &cfg->port[x.c->port];
    x.sv = &cfg->service[x.c->service];
    vg__sim_rng_init(&x.r, w->seed, SIM_S_TRIP, x.c->id, 0);
    x.day = (int)((x.c->etd - w->t0) / SIM_DAY);
    x.history = x.c->etd < w->t_split;
    x.prev_call = SIM_NONE;
    for (uint32_t i = 0; i < g->s->ncall; i++) {
        const struct sim_call *o = &g->s->call[i];
        if (i != ci && o->container && o->service == x.c->service && o->port == x.c->port &&
            o->etd < x.c->etd && (x.prev_call == SIM_NONE || o->etd > g->s->call[x.prev_call].etd)) {
            x.prev_call = i;
        }
    }
    struct vg_civil cv;
    vg_time_local(x.c->etd, &x.port->zone, &cv);
    x.month = cv.month - 1;
    g->ntrip = 0;
    g->ncons = 0;

    /* This call's commodity mix: port, season, and markets the service reaches. */
    double *cw = g->scratch;
    double total = 0;
    for (uint32_t c = 0; c < cfg->ncommodity; c++) {
        const struct sim_commodity *cm = &cfg->commodity[c];
        double reach = 0;
        for (uint32_t i = 0; i < cfg->ncountry; i++) {
            reach += ((x.sv->regions >> cfg->country[i].region) & 1) ? cm->dest_w[i] : 0;
        }
        cw[c] = w->nexporters[c] > 0 && reach > 0
                    ? cm->weight * cm->port_w[x.c->port] * cm->season[x.month]
                    : 0;
        total += cw[c];
    }
    x.any_commodity = total > 0 &&
                      vg__sim_choice_build(&x.commodity_pick, &g->scratch_arena, cw,
                                           cfg->ncommodity) == VG_OK;
    uint32_t n_full = vg__sim_poisson(&x.r, x.c->mean_full);
    uint32_t n_empty = vg__sim_poisson(&x.r, x.c->mean_empty);

    enum vg_status st = build_call(&x, x.any_commodity ? n_full : 0, n_empty);
    if (st != VG_OK) {
        return vg_error_set(err, st, "cannot generate call %s: %s", x.c->voyage, vg_strerror(st));
    }
    /* Totals of every bill, filing time, values. */
    for (uint32_t i = 0; i < g->ncons; i++) {
        g->cons[i].ntrips = 0;
        g->cons[i].net_total = 0;
        g->cons[i].latest_gate = INT64_MIN;
    }
    for (uint32_t i = 0; i < g->ntrip; i++) {
        struct sim_consignment *k = &g->cons[g->trip[i].cons];
        k->ntrips++;
        k->net_total += g->trip[i].net_kg;
        if (g->trip[i].t_gate > k->latest_gate) {
            k->latest_gate = g->trip[i].t_gate;
        }
    }
    for (uint32_t i = 0; i < g->ncons; i++) {
        struct sim_consignment *k = &g->cons[i];
        const struct sim_commodity *cm = &cfg->commodity[k->commodity];
        double vpk = clampd(cm->value[0] + cm->value[1] * vg__sim_normal(&x.r),
                            cm->value[0] * 0.6, cm->value[0] * 3);
        bool odd_value = k->special == SIM_P_FRONT && ((cons_want(g, i) >> SIM_I_VALUE_ANOMALY) & 1);
        if (!odd_value && k->special == SIM_P_NONE && !k->empty &&
            vg__sim_chance(&x.r, cfg->conf_rate[SIM_C_PROVISIONAL_VALUE])) {
            /* Provisional invoice values (price fixed on arrival, consignment sales). */
            odd_value = true;
            k->conf_bits |= 1u << SIM_C_PROVISIONAL_VALUE;
        }
        if (odd_value) {
            vpk = cm->value[0] * (vg__sim_chance(&x.r, 0.6) ? vg__sim_uniform(&x.r, 0.25, 0.5)
                                                            : vg__sim_uniform(&x.r, 1.6, 2.4));
        }
        k->value_usd = round(k->net_total * vpk * 100) / 100;
        int64_t base = k->latest_gate != INT64_MIN ? k->latest_gate : x.c->berth - SIM_DAY;
        if (k->late) {
            k->t_file = x.c->berth + (int64_t)(vg__sim_uniform(&x.r, 0.3, 0.9) *
                                               (double)(x.c->etd - x.c->berth));
        } else {
            int64_t lo = base + HOUR, hi = x.c->berth - 2 * HOUR;
            k->t_file = hi > lo ? lo + (int64_t)(vg__sim_unit(&x.r) * (double)(hi - lo)) : lo;
        }
    }
    /* What each box shows (a case that ended up showing nothing of its pattern gets its
     * surest sign), then inspections, then finds abroad. */
    for (uint32_t i = 0; i < g->ntrip; i++) {
        struct sim_trip *t = &g->trip[i];
        t->ind = shown(&x, t);
        if (t->pattern != SIM_P_NONE && (t->ind & pattern_mask(cfg, t->pattern)) == 0) {
            force_indicator(&x, t);
            t->ind = shown(&x, t);
        }
    }
    st = inspect_call(&x);
    if (st == VG_OK) {
        for (uint32_t i = 0; i < g->ntrip; i++) {
            g->trip[i].ind = shown(&x, &g->trip[i]); /* customs seals count as changes */
        }
        st = finds_abroad(&x);
    }
    if (st != VG_OK) {
        return vg_error_set(err, st, "cannot generate call %s: %s", x.c->voyage, vg_strerror(st));
    }
    /* Party histories and clone victims, in departure order. */
    for (uint32_t i = 0; i < g->ntrip; i++) {
        struct sim_trip *t = &g->trip[i];
        if (!t->full) {
            continue;
        }
        struct sim_consignment *k = &g->cons[t->cons];
        struct sim_party *ex = &w->party[k->shipper];
        ex->shipments++;
        ex->last_day = x.day;
        if (t->pattern == SIM_P_FRONT) {
            ex->loaded++;
        }
        if (t->pattern == SIM_P_NONE && t->loaded) {
            push_victim(g, x.c, t);
        }
    }
    x.c->trips = g->ntrip;
    vg_arena_reset(&g->scratch_arena);
    return VG_OK;
}
