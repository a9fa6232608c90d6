/*
 * The schedule: every container service's calls at the simulated ports (arrival at the
 * anchorage, alongside, departure), the bulk carriers and tankers that share the
 * anchorages (AIS only), the small craft fleets, and the vessel events of each departure:
 * at-sea transfers (the case) and their innocent look-alikes (a slow night offshore, a
 * fishing boat working close to a drifting ship, an AIS gap, bunkering at anchor, long
 * waits at anchor).
 *
 * A service with frequency f days leaves its first rotation port every f days from a
 * random phase; its vessels rotate (enough of them to cover a round trip). --scale adds
 * whole copies of every service (new vessels, shifted phases) and multiplies the volume
 * per call by what remains, so a large scale means more ships, not absurd ships.
 */
#include "sim/sim_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <vigia/alloc.h>

#define HOUR 3600

struct sim_pos vg__sim_lane_point(const struct sim_port *p, int lane, double d)
{
    struct sim_pos at = p->pilot;
    const struct sim_lane *l = &p->lanes[lane];
    for (uint32_t i = 0; i < l->n; i++) {
        double leg = vg__sim_nm(at, l->pt[i]);
        if (d <= leg) {
            return vg__sim_toward(at, l->pt[i], d);
        }
        d -= leg;
        at = l->pt[i];
    }
    /* Past the last point: carry on in the direction of the last leg. */
    struct sim_pos prev = l->n >= 2 ? l->pt[l->n - 2] : p->pilot;
    return vg__sim_offset(at, vg__sim_course(prev, at), d);
}

int vg__sim_lane_for(const struct sim_config *cfg, const struct sim_port *p, const char *other)
{
    struct sim_pos o;
    if (!vg__sim_port_pos(cfg, other, &o)) {
        return SIM_LANE_NORTH;
    }
    double dlat = o.lat - p->berth.lat;
    double dlon = o.lon - p->berth.lon;
    while (dlon > 180) {
        dlon -= 360;
    }
    while (dlon < -180) {
        dlon += 360;
    }
    if (p->river) {
        return dlon > 0 ? SIM_LANE_NORTH : SIM_LANE_WEST; /* downstream is east */
    }
    if (dlon < -40) {
        return SIM_LANE_WEST; /* across the Pacific */
    }
    if (dlat > 0.3 || dlon > 40) {
        return SIM_LANE_NORTH; /* up the coast: Ecuador, Panama and beyond */
    }
    if (dlat < -0.3) {
        return SIM_LANE_SOUTH;
    }
    return SIM_LANE_WEST;
}

static struct sim_call *call_new(struct sim_schedule *s)
{
    if (!vg__sim_grow((void **)&s->call, &s->cap, s->ncall + 1, sizeof(*s->call), 256)) {
        return NULL;
    }
    struct sim_call *c = &s->call[s->ncall];
    memset(c, 0, sizeof(*c));
    c->id = s->ncall++;
    c->ev.craft = SIM_NONE;
    c->bunker_barge = SIM_NONE;
    return c;
}

/* The first local time at or after t whose hour lies in [from, to) (to may wrap past 24). */
static int64_t next_local_window(int64_t t, const struct vg_zone *z, int from, int to)
{
    for (int step = 0; step < 48 * 4; step++) {
        struct vg_civil c;
        vg_time_local(t, z, &c);
        int h = c.hour;
        bool in = to > from ? (h >= from && h < to) : (h >= from || h < to % 24);
        if (in) {
            return t;
        }
        t += 15 * 60;
    }
    return t;
}

/* Night departures: the case ship and its look-alikes leave in the afternoon or evening and
 * reach the meeting area after dark. */
static void plan_vessel_event(struct sim_world *w, struct sim_call *c, struct sim_rng *r,
                              uint8_t kind)
{
    const struct sim_config *cfg = w->cfg;
    const struct sim_port *p = &cfg->port[c->port];
    double speed = c->service != SIM_NONE ? cfg->service[c->service].speed : 12;
    const struct sim_pattern_cfg *pc = &cfg->pattern[SIM_P_AT_SEA];
    struct sim_vevent *ev = &c->ev;
    ev->kind = kind;
    int64_t leave = next_local_window(c->etd, &p->zone, 15, 20);
    if (leave - c->etd > 20 * HOUR) {
        leave = c->etd;
    }
    c->etd = leave + (int64_t)vg__sim_range(r, 0, 3600);
    double meet_lo = pc->present ? pc->meet_nm[0] : 12, meet_hi = pc->present ? pc->meet_nm[1] : 40;
    ev->meet_nm = vg__sim_uniform(r, meet_lo, meet_hi);
    int64_t dep_pilot = c->etd + 45 * 60;
    int64_t fast = dep_pilot + (int64_t)(ev->meet_nm / speed * HOUR);
    int64_t night = next_local_window(fast, &p->zone, 21, 26);
    ev->t_meet = night + (int64_t)vg__sim_range(r, 0, 5400);
    double hours = (double)(ev->t_meet - dep_pilot) / HOUR;
    ev->approach_kn = hours > 0.2 ? ev->meet_nm / hours : speed;
    if (ev->approach_kn < 2.5) {
        ev->approach_kn = 2.5;
        ev->t_meet = dep_pilot + (int64_t)(ev->meet_nm / 2.5 * HOUR);
    }
    double lo = pc->present ? pc->loiter_h[0] : 1.5, hi = pc->present ? pc->loiter_h[1] : 4;
    double loiter_h = vg__sim_uniform(r, lo, hi);
    ev->pos = vg__sim_lane_point(p, c->lane_out, ev->meet_nm);
    ev->loiter = true;
    ev->craft_present = kind != SIM_VE_SLOW_NIGHT;
    ev->craft_visible = ev->craft_present;

    if (kind == SIM_VE_TRANSFER) {
        uint32_t ind = 0;
        for (int i = SIM_I_LOITERING; i <= SIM_I_AIS_GAP; i++) {
            if (vg__sim_chance(r, pc->ind_p[i])) {
                ind |= 1u << i;
            }
        }
        if (ind == 0) {
            ind = 1u << (SIM_I_LOITERING + (int)vg__sim_below(r, 3));
        }
        ev->loiter = (ind >> SIM_I_LOITERING) & 1;
        ev->craft_visible = (ind >> SIM_I_ENCOUNTER) & 1;
        bool gap = (ind >> SIM_I_AIS_GAP) & 1;
        if (gap && (ev->loiter || ev->craft_visible)) {
            if (loiter_h < 2.5) {
                loiter_h = 2.5;
            }
            double visible = loiter_h * 0.5 > 1.2 ? loiter_h * 0.5 : 1.2;
            ev->gap0 = ev->t_meet + (int64_t)(visible * HOUR);
            ev->gap1 = ev->t_meet + (int64_t)(loiter_h * HOUR) +
                       (int64_t)(vg__sim_uniform(r, 0.5, 2.0) * HOUR);
        } else if (gap) {
            ev->gap0 = ev->t_meet - (int64_t)(vg__sim_uniform(r, 0.3, 1.0) * HOUR);
            ev->gap1 = ev->t_meet + (int64_t)(loiter_h * HOUR) +
                       (int64_t)(vg__sim_uniform(r, 0.5, 1.5) * HOUR);
        }
        ev->ind = ind;
        ev->kg = vg__sim_uniform(r, pc->kg[0], pc->kg[1]);
    }
    if (kind == SIM_VE_INNOCENT_ENC && loiter_h < 2.2) {
        loiter_h = vg__sim_uniform(r, 2.2, 3.5); /* long enough to look like a meeting */
    }
    ev->t_end = ev->t_meet + (int64_t)(loiter_h * HOUR);
    /* The small craft: a fishing boat of the port (dark when the port has none or when
     * the case does not show the encounter). */
    if (ev->craft_present) {
        uint32_t n = w->craft_by_port_n[c->port];
        uint32_t pick = SIM_NONE;
        for (uint32_t a = 0; a < 8 && n > 0; a++) {
            uint32_t v = w->craft[w->craft_by_port_start[c->port] + vg__sim_below(r, n)];
            if (w->vessel[v].kind == SIM_V_FISHING) {
                pick = v;
                break;
            }
        }
        ev->craft = pick;
        if (pick == SIM_NONE) {
            ev->craft_visible = false;
            ev->ind &= ~(1u << SIM_I_ENCOUNTER);
            if (kind == SIM_VE_TRANSFER && ev->ind == 0) {
                ev->ind = 1u << SIM_I_LOITERING;
                ev->loiter = true;
            }
        }
    }
}

static uint32_t craft_flag(const struct sim_config *cfg)
{
    for (uint32_t i = 0; i < cfg->nflag; i++) {
        if (strcmp(cfg->flag[i].code, "PE") == 0) {
            return i;
        }
    }
    return 0;
}

/* Small craft fleets of every port: fishing boats, launches, river craft, bunker barges. */
static enum vg_status build_craft(struct sim_world *w)
{
    const struct sim_config *cfg = w->cfg;
    double f = w->scale < 1 ? w->scale : (w->scale > 20 ? 20 : w->scale);
    uint32_t total = 0;
    w->craft_by_port_start = vg_calloc(cfg->nport, sizeof(uint32_t));
    w->craft_by_port_n = vg_calloc(cfg->nport, sizeof(uint32_t));
    if (w->craft_by_port_start == NULL || w->craft_by_port_n == NULL) {
        return VG_ENOMEM;
    }
    uint32_t counts[32][4];
    for (uint32_t p = 0; p < cfg->nport; p++) {
        const struct sim_port *pt = &cfg->port[p];
        counts[p][0] = (uint32_t)lround(pt->fishing_boats * f);
        counts[p][1] = (uint32_t)lround(pt->launches * f);
        counts[p][2] = (uint32_t)lround(pt->river_craft * f);
        counts[p][3] = pt->river ? 0 : (pt->other_calls_per_week > 10 ? 2 : 1); /* bunker barges */
        total += counts[p][0] + counts[p][1] + counts[p][2] + counts[p][3];
    }
    w->craft = vg_calloc(total ? total : 1, sizeof(uint32_t));
    if (w->craft == NULL) {
        return VG_ENOMEM;
    }
    uint32_t flag = craft_flag(cfg);
    for (uint32_t p = 0; p < cfg->nport; p++) {
        struct sim_rng r;
        vg__sim_rng_init(&r, w->seed, SIM_S_CRAFT, p, 0);
        w->craft_by_port_start[p] = w->ncraft;
        static const uint8_t kinds[4] = { SIM_V_FISHING, SIM_V_LAUNCH, SIM_V_RIVER, SIM_V_BARGE };
        for (int k = 0; k < 4; k++) {
            for (uint32_t i = 0; i < counts[p][k]; i++) {
                const char *name;
                char buf[40];
                if (kinds[k] == SIM_V_RIVER) {
                    name = cfg->craft.river_names[vg__sim_below(&r, cfg->craft.nriver)];
                } else if (kinds[k] == SIM_V_BARGE) {
                    snprintf(buf, sizeof(buf), "BARCAZA %s %u", cfg->port[p].name, i + 1);
                    name = buf;
                } else {
                    name = cfg->craft.names[vg__sim_below(&r, cfg->craft.nnames)];
                }
                uint32_t v = vg__sim_vessel_new(w, &r, kinds[k], SIM_NONE, flag, name,
                                                kinds[k] == SIM_V_BARGE);
                if (v == SIM_NONE) {
                    return VG_ENOMEM;
                }
                w->vessel[v].home = p;
                w->craft[w->ncraft++] = v;
            }
        }
        w->craft_by_port_n[p] = w->ncraft - w->craft_by_port_start[p];
    }
    return VG_OK;
}

static uint32_t barge_of(const struct sim_world *w, uint32_t port)
{
    for (uint32_t i = 0; i < w->craft_by_port_n[port]; i++) {
        uint32_t v = w->craft[w->craft_by_port_start[port] + i];
        if (w->vessel[v].kind == SIM_V_BARGE) {
            return v;
        }
    }
    return SIM_NONE;
}

static void plan_call_confounders(struct sim_world *w, struct sim_call *c, struct sim_rng *r)
{
    const struct sim_config *cfg = w->cfg;
    double wait_h = (double)(c->berth - c->eta) / HOUR;
    if (wait_h > 3 && vg__sim_chance(r, cfg->conf_rate[SIM_C_BUNKERING])) {
        uint32_t b = barge_of(w, c->port);
        if (b != SIM_NONE) {
            c->conf |= 1u << SIM_C_BUNKERING;
            c->bunker_barge = b; /* which barge is settled once all calls are known */
            double hours = vg__sim_uniform(r, 2, wait_h - 0.5 < 6 ? wait_h - 0.5 : 6);
            c->bunker0 = c->eta + (int64_t)(vg__sim_uniform(r, 0.2, 0.5) * (wait_h - hours) * HOUR);
            c->bunker1 = c->bunker0 + (int64_t)(hours * HOUR);
        }
    }
}

static int cmp_departure(uint32_t a, uint32_t b, const void *ctx)
{
    const struct sim_call *calls = ctx;
    const struct sim_call *x = &calls[a], *y = &calls[b];
    if (x->etd != y->etd) {
        return x->etd < y->etd ? -1 : 1;
    }
    return x->id < y->id ? -1 : (x->id > y->id ? 1 : 0);
}

static int cmp_bunker(uint32_t a, uint32_t b, const void *ctx)
{
    const struct sim_call *calls = ctx;
    return calls[a].bunker0 < calls[b].bunker0 ? -1 : (calls[a].bunker0 > calls[b].bunker0);
}

static enum vg_status service_calls(struct sim_world *w, struct sim_schedule *s, uint32_t si,
                                    uint32_t copy)
{
    const struct sim_config *cfg = w->cfg;
    const struct sim_service *sv = &cfg->service[si];
    struct sim_rng r;
    vg__sim_rng_init(&r, w->seed, SIM_S_SCHEDULE, si, copy);
    double phase = vg__sim_uniform(&r, 0, sv->freq);
    double hour = vg__sim_uniform(&r, 0, 24);
    double last_day = sv->rot[sv->nrot - 1].day;
    uint32_t nvessels = (uint32_t)ceil((2 * last_day + 6) / sv->freq);
    if (nvessels < 2) {
        nvessels = 2;
    }
    uint32_t *vessels = vg_calloc(nvessels, sizeof(uint32_t));
    if (vessels == NULL) {
        return VG_ENOMEM;
    }
    for (uint32_t i = 0; i < nvessels; i++) {
        uint32_t car = sv->car[vg__sim_pick(&sv->car_pick, &r)];
        const struct sim_carrier *ca = &cfg->carrier[car];
        char name[64];
        snprintf(name, sizeof(name), "%s%s%s", ca->vessel_prefix,
                 ca->names[vg__sim_below(&r, ca->nnames)], ca->vessel_suffix);
        uint32_t flag = ca->flags[vg__sim_pick(&ca->flag_pick, &r)];
        vessels[i] = vg__sim_vessel_new(w, &r, sv->river ? SIM_V_RIVER : SIM_V_CONTAINER, car,
                                        flag, name, !sv->river);
        if (vessels[i] == SIM_NONE) {
            vg_free(vessels);
            return VG_ENOMEM;
        }
    }
    int kmin = (int)floor((-last_day - phase - 10) / sv->freq) - 1;
    int kmax = (int)ceil((w->days - phase) / sv->freq) + 1;
    for (int k = kmin; k <= kmax; k++) {
        double start_day = phase + k * sv->freq;
        uint32_t vessel = vessels[(uint32_t)(((k % (int)nvessels) + (int)nvessels) % (int)nvessels)];
        /* A late departure delays the next call of the voyage: the ship cannot be at two
         * ports at once. */
        int64_t prev_leave = INT64_MIN;
        for (uint32_t j = 0; j < sv->nrot; j++) {
            const struct sim_rot *ro = &sv->rot[j];
            if (ro->peru < 0) {
                prev_leave = INT64_MIN;
                continue;
            }
            struct sim_rng cr;
            vg__sim_rng_init(&cr, w->seed, SIM_S_CALL,
                             ((uint64_t)si << 40) ^ ((uint64_t)copy << 20) ^ j,
                             (uint64_t)(int64_t)k);
            const struct sim_port *pt = &cfg->port[ro->peru];
            int64_t eta = w->t0 + (int64_t)((start_day + ro->day) * SIM_DAY + hour * HOUR) +
                          (int64_t)(vg__sim_normal(&cr) * 4 * HOUR);
            if (prev_leave != INT64_MIN) {
                const struct sim_port *pp = &cfg->port[sv->rot[j - 1].peru];
                double sail_h = vg__sim_nm(pp->berth, pt->berth) * 1.25 / sv->speed + 2;
                int64_t earliest = prev_leave + (int64_t)(sail_h * HOUR);
                if (eta < earliest) {
                    eta = earliest;
                }
            }
            double wait_h = vg__sim_lognormal(&cr, pt->anchor_wait[0], pt->anchor_wait[1]);
            bool long_wait = vg__sim_chance(&cr, cfg->conf_rate[SIM_C_ANCHOR_LONG]);
            if (long_wait) {
                wait_h = wait_h * vg__sim_uniform(&cr, 4, 12) + 24;
            }
            if (wait_h > 24 * 8) {
                wait_h = 24 * 8;
            }
            int64_t berth = eta + (int64_t)(wait_h * HOUR);
            int64_t etd = berth + (int64_t)(ro->berth_h * vg__sim_uniform(&cr, 0.85, 1.2) * HOUR);
            prev_leave = etd;
            /* Keep calls that leave inside the window (events are planned after). */
            if (etd < w->t0 - 2 * SIM_DAY || etd >= w->t_end + 2 * SIM_DAY) {
                continue;
            }
            struct sim_call *c = call_new(s);
            if (c == NULL) {
                vg_free(vessels);
                return VG_ENOMEM;
            }
            c->service = si;
            c->copy = copy;
            c->voyage_no = (uint32_t)(k - kmin);
            c->rot = j;
            c->port = (uint32_t)ro->peru;
            c->terminal = vg__sim_pick(&pt->term_pick, &cr);
            c->vessel = vessel;
            c->carrier = w->vessel[vessel].carrier;
            c->container = true;
            c->eta = eta;
            c->berth = berth;
            c->etd = etd;
            if (long_wait) {
                c->conf |= 1u << SIM_C_ANCHOR_LONG;
            }
            memcpy(c->prev_port, sv->rot[j == 0 ? sv->nrot - 1 : j - 1].port, 6);
            memcpy(c->next_port, sv->rot[j + 1 == sv->nrot ? 0 : j + 1].port, 6);
            c->lane_in = (uint8_t)vg__sim_lane_for(cfg, pt, c->prev_port);
            c->lane_out = (uint8_t)vg__sim_lane_for(cfg, pt, c->next_port);
            /* Voyage numbers as lines write them: service, number, direction (of the
             * leg to the service's far end, the same at every port of the voyage). */
            static const char dir[SIM_LANES] = { 'N', 'W', 'S' };
            char d = dir[vg__sim_lane_for(cfg, pt, sv->rot[sv->nrot - 1].port)];
            int vno = 400 + (int)((uint32_t)(k + 100000) % 600u);
            if (copy == 0) {
                snprintf(c->voyage, sizeof(c->voyage), "%s%03d%c", sv->code, vno, d);
            } else {
                snprintf(c->voyage, sizeof(c->voyage), "%.3s%u%03d%c", sv->code, copy % 1000, vno,
                         d);
            }
            c->mean_full = ro->exports * w->factor;
            c->mean_empty = ro->empties * w->factor;
            /* Vessel events of the departure. */
            const struct sim_pattern_cfg *pc = &cfg->pattern[SIM_P_AT_SEA];
            bool region_ok = false;
            for (int rg = 0; rg < SIM_REGIONS; rg++) {
                region_ok |= ((sv->regions >> rg) & 1) && pc->region_w[rg] > 0;
            }
            bool sea = !pt->river && !sv->river;
            if (sea && pc->present && region_ok && pc->port_w[c->port] > 0 &&
                vg__sim_chance(&cr, pc->rate)) {
                plan_vessel_event(w, c, &cr, SIM_VE_TRANSFER);
            } else if (sea && vg__sim_chance(&cr, cfg->conf_rate[SIM_C_SLOW_NIGHT])) {
                c->conf |= 1u << SIM_C_SLOW_NIGHT;
                plan_vessel_event(w, c, &cr, SIM_VE_SLOW_NIGHT);
            } else if (sea && vg__sim_chance(&cr, cfg->conf_rate[SIM_C_INNOCENT_ENCOUNTER])) {
                c->conf |= 1u << SIM_C_INNOCENT_ENCOUNTER;
                plan_vessel_event(w, c, &cr, SIM_VE_INNOCENT_ENC);
            }
            if (sea && c->ev.kind != SIM_VE_TRANSFER &&
                vg__sim_chance(&cr, cfg->conf_rate[SIM_C_AIS_GAP])) {
                /* A gap of 2-7 hours somewhere on the way out. */
                c->conf |= 1u << SIM_C_AIS_GAP;
                c->gap0 = c->etd + (int64_t)(vg__sim_uniform(&cr, 1.5, 8) * HOUR);
                c->gap1 = c->gap0 + (int64_t)(vg__sim_uniform(&cr, 2, 7) * HOUR);
            }
            plan_call_confounders(w, c, &cr);
            prev_leave = c->ev.kind != SIM_VE_NONE ? c->ev.t_end : c->etd;
        }
    }
    vg_free(vessels);
    return VG_OK;
}

/* Bulk carriers, tankers and general cargo ships: AIS only, long waits at anchor. */
static enum vg_status other_calls(struct sim_world *w, struct sim_schedule *s)
{
    const struct sim_config *cfg = w->cfg;
    static const uint8_t kinds[3] = { SIM_V_BULK, SIM_V_TANKER, SIM_V_GENERAL };
    for (uint32_t p = 0; p < cfg->nport; p++) {
        const struct sim_port *pt = &cfg->port[p];
        struct sim_rng r;
        vg__sim_rng_init(&r, w->seed, SIM_S_SCHEDULE, 1000 + p, 0);
        double mean = pt->other_calls_per_week * (w->days + 4) / 7.0 * w->scale;
        uint32_t n = vg__sim_poisson(&r, mean);
        uint32_t pool_n = n / 3 + 1;
        uint32_t *pool = vg_calloc(pool_n, sizeof(uint32_t));
        if (pool == NULL) {
            return VG_ENOMEM;
        }
        for (uint32_t i = 0; i < pool_n; i++) {
            uint8_t kind = kinds[vg__sim_pick(&cfg->other.type_pick, &r)];
            uint32_t flag = cfg->other.flags[vg__sim_pick(&cfg->other.flag_pick, &r)];
            pool[i] = vg__sim_vessel_new(w, &r, kind, SIM_NONE, flag,
                                         cfg->other.names[vg__sim_below(&r, cfg->other.nnames)],
                                         true);
            if (pool[i] == SIM_NONE) {
                vg_free(pool);
                return VG_ENOMEM;
            }
        }
        /* Arrivals in time order; each takes a ship of the pool that is free by then (gone
         * and back), or a new one. */
        int64_t *arrivals = vg_calloc(n ? n : 1, sizeof(int64_t));
        int64_t *free_at = vg_calloc(pool_n, sizeof(int64_t));
        if (arrivals == NULL || free_at == NULL) {
            vg_free(arrivals);
            vg_free(free_at);
            vg_free(pool);
            return VG_ENOMEM;
        }
        for (uint32_t i = 0; i < n; i++) {
            arrivals[i] = w->t0 - 2 * SIM_DAY +
                          (int64_t)(vg__sim_unit(&r) * (w->days + 4) * SIM_DAY);
        }
        qsort(arrivals, n, sizeof(int64_t), vg__sim_cmp_i64);
        for (uint32_t i = 0; i < n; i++) {
            struct sim_call *c = call_new(s);
            if (c == NULL) {
                vg_free(arrivals);
                vg_free(free_at);
                vg_free(pool);
                return VG_ENOMEM;
            }
            c->service = SIM_NONE;
            c->port = p;
            c->terminal = 0;
            uint32_t pick = vg__sim_below(&r, pool_n);
            for (uint32_t a = 0; a < pool_n && free_at[pick] > arrivals[i]; a++) {
                pick = (pick + 1) % pool_n;
            }
            c->vessel = pool[pick];
            if (free_at[pick] > arrivals[i]) {
                uint8_t kind = kinds[vg__sim_pick(&cfg->other.type_pick, &r)];
                uint32_t flag = cfg->other.flags[vg__sim_pick(&cfg->other.flag_pick, &r)];
                c->vessel = vg__sim_vessel_new(w, &r, kind, SIM_NONE, flag,
                                               cfg->other.names[vg__sim_below(&r, cfg->other.nnames)],
                                               true);
                if (c->vessel == SIM_NONE) {
                    vg_free(arrivals);
                    vg_free(free_at);
                    vg_free(pool);
                    return VG_ENOMEM;
                }
                pick = UINT32_MAX;
            }
            c->carrier = SIM_NONE;
            c->eta = arrivals[i];
            double wait_h = vg__sim_lognormal(&r, cfg->other.anchor_wait[0],
                                              cfg->other.anchor_wait[1]);
            if (vg__sim_chance(&r, cfg->conf_rate[SIM_C_ANCHOR_LONG])) {
                c->conf |= 1u << SIM_C_ANCHOR_LONG;
                wait_h = wait_h * vg__sim_uniform(&r, 2, 5) + 24;
            }
            if (wait_h > 24 * 10) {
                wait_h = 24 * 10;
            }
            c->berth = c->eta + (int64_t)(wait_h * HOUR);
            c->etd = c->berth + (int64_t)(vg__sim_lognormal(&r, cfg->other.berth_h[0],
                                                             cfg->other.berth_h[1]) * HOUR);
            static const int lanes[4] = { SIM_LANE_NORTH, SIM_LANE_NORTH, SIM_LANE_SOUTH,
                                          SIM_LANE_WEST };
            c->lane_in = (uint8_t)lanes[vg__sim_below(&r, 4)];
            c->lane_out = (uint8_t)lanes[vg__sim_below(&r, 4)];
            memcpy(c->prev_port, "ZZZZZ", 6);
            memcpy(c->next_port, "ZZZZZ", 6);
            /* Tramp ships drift offshore and go quiet too. */
            if (!pt->river && vg__sim_chance(&r, cfg->conf_rate[SIM_C_SLOW_NIGHT])) {
                c->conf |= 1u << SIM_C_SLOW_NIGHT;
                plan_vessel_event(w, c, &r, SIM_VE_SLOW_NIGHT);
            } else if (!pt->river && vg__sim_chance(&r, cfg->conf_rate[SIM_C_AIS_GAP])) {
                c->conf |= 1u << SIM_C_AIS_GAP;
                c->gap0 = c->etd + (int64_t)(vg__sim_uniform(&r, 1.5, 8) * HOUR);
                c->gap1 = c->gap0 + (int64_t)(vg__sim_uniform(&r, 2, 7) * HOUR);
            }
            plan_call_confounders(w, c, &r);
            if (pick != UINT32_MAX) {
                /* Away for at least a few days before it can be back. */
                int64_t leave = c->ev.kind != SIM_VE_NONE ? c->ev.t_end : c->etd;
                free_at[pick] = leave + (int64_t)(cfg->ais.hours_out + cfg->ais.hours_in) * HOUR +
                                4 * SIM_DAY;
            }
        }
        vg_free(arrivals);
        vg_free(free_at);
        vg_free(pool);
    }
    return VG_OK;
}

/* Gives every bunkering a barge of its port that is free then (two jobs cannot overlap);
 * a bunkering that finds none does not happen. */
static enum vg_status assign_barges(struct sim_world *w, struct sim_schedule *s)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->ncall; i++) {
        n += (s->call[i].conf >> SIM_C_BUNKERING) & 1;
    }
    uint32_t *jobs = vg_calloc(n ? n : 1, sizeof(uint32_t));
    int64_t *busy = vg_calloc(w->nvessel ? w->nvessel : 1, sizeof(int64_t));
    if (jobs == NULL || busy == NULL) {
        vg_free(jobs);
        vg_free(busy);
        return VG_ENOMEM;
    }
    n = 0;
    for (uint32_t i = 0; i < s->ncall; i++) {
        if ((s->call[i].conf >> SIM_C_BUNKERING) & 1) {
            jobs[n++] = i;
        }
    }
    if (vg__sim_sort_index(jobs, n, cmp_bunker, s->call) != VG_OK) {
        vg_free(jobs);
        vg_free(busy);
        return VG_ENOMEM;
    }
    for (uint32_t k = 0; k < n; k++) {
        struct sim_call *c = &s->call[jobs[k]];
        c->bunker_barge = SIM_NONE;
        for (uint32_t i = 0; i < w->craft_by_port_n[c->port]; i++) {
            uint32_t v = w->craft[w->craft_by_port_start[c->port] + i];
            if (w->vessel[v].kind == SIM_V_BARGE && busy[v] < c->bunker0 - 2 * HOUR) {
                c->bunker_barge = v;
                busy[v] = c->bunker1 + 2 * HOUR;
                break;
            }
        }
        if (c->bunker_barge == SIM_NONE) {
            c->conf &= ~(1u << SIM_C_BUNKERING);
        }
    }
    vg_free(jobs);
    vg_free(busy);
    return VG_OK;
}

enum vg_status vg__sim_schedule_build(struct sim_world *w, struct sim_schedule *s,
                                      struct vg_error *err)
{
    memset(s, 0, sizeof(*s));
    enum vg_status st = build_craft(w);
    for (uint32_t si = 0; si < w->cfg->nservice && st == VG_OK; si++) {
        for (int copy = 0; copy < w->copies && st == VG_OK; copy++) {
            st = service_calls(w, s, si, (uint32_t)copy);
        }
    }
    if (st == VG_OK) {
        st = other_calls(w, s);
    }
    if (st == VG_OK) {
        st = assign_barges(w, s);
    }
    if (st == VG_OK) {
        /* Container calls that leave inside the window, in departure order. */
        s->order = vg_calloc(s->ncall ? s->ncall : 1, sizeof(uint32_t));
        if (s->order == NULL) {
            st = VG_ENOMEM;
        } else {
            for (uint32_t i = 0; i < s->ncall; i++) {
                const struct sim_call *c = &s->call[i];
                if (c->container && c->etd >= w->t0 && c->etd < w->t_end) {
                    s->order[s->norder++] = i;
                }
            }
            st = vg__sim_sort_index(s->order, s->norder, cmp_departure, s->call);
        }
    }
    if (st != VG_OK) {
        vg__sim_schedule_release(s);
        return vg_error_set(err, st, "cannot build the schedule: %s", vg_strerror(st));
    }
    return VG_OK;
}

void vg__sim_schedule_release(struct sim_schedule *s)
{
    if (s == NULL) {
        return;
    }
    vg_free(s->call);
    vg_free(s->order);
    memset(s, 0, sizeof(*s));
}
