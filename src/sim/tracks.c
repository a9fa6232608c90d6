/*
 * AIS tracks of the world, merged into one NMEA file per day.
 *
 * Every vessel movement is a track: a list of timed waypoints, each starting a segment
 * with a mode (under way, at anchor, moored, fishing, drifting). A port call approaches
 * along the port's sea lane from the previous port, waits at the anchorage, shifts to the
 * berth, leaves along the lane to the next port and is followed for a few hours. Small
 * craft make daily trips (fishing boats at night, launches by day, river craft for days
 * along the Amazon); a bunker barge goes alongside ships at anchor. Vessel events are
 * built into the tracks: the case ship slows along the coast and drifts at night while a
 * small craft lies alongside (or goes dark), and the innocent look-alikes do the same
 * without the craft, or with a fishing boat working nearby.
 *
 * Reports are thinned to what the analysis needs (a few minutes apart near the coast,
 * 10-15 minutes at anchor or alongside, half an hour far out) instead of the seconds of
 * ITU-R M.1371. Small craft transmit only during their trips. The tracks are merged by a
 * binary heap keyed by (next report time, track), so the files come out in time order
 * while memory stays proportional to the active tracks. The files cover the simulated days
 * and the day after, so that the ships leaving on the last day are followed out.
 */
#include "sim/sim_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <vigia/alloc.h>

#define HOUR 3600
#define MIN 60

enum mode { M_UNDERWAY, M_ANCHOR, M_MOORED, M_FISHING, M_DRIFT, M_ALONGSIDE };

#define TRK_GAPS 8
#define TRK_LEGS 12

struct wp {
    int64_t t;
    struct sim_pos p;
    uint8_t mode; /* of the segment that starts here */
};

struct trk {
    uint32_t vessel;
    uint32_t home;      /* port whose coast decides the reporting interval */
    struct wp *wp;
    uint32_t nwp, cap, cur;
    int64_t t_next;
    int64_t gap0[TRK_GAPS], gap1[TRK_GAPS];
    int64_t next_static;
    struct sim_rng r;
    struct {
        int64_t from;   /* from this time on, the voyage data says: */
        char dest[8];
        int64_t eta;
    } legs[TRK_LEGS];
    uint32_t nlegs;
    bool dark;          /* transmits nothing */
    struct sim_pos last_pos;
};

struct tset {
    struct sim_gen *g;
    struct sim_world *w;
    const struct sim_config *cfg;
    struct trk *t;
    uint32_t n, cap;
    uint32_t *ev_call, *ev_track; /* calls with a vessel event and their ship's track */
    uint32_t nev, ev_cap;
};

static struct trk *trk_new(struct tset *s, uint32_t vessel, uint32_t home, uint64_t key)
{
    if (!vg__sim_grow((void **)&s->t, &s->cap, s->n + 1, sizeof(*s->t), 1024)) {
        return NULL;
    }
    struct trk *t = &s->t[s->n++];
    memset(t, 0, sizeof(*t));
    t->vessel = vessel;
    t->home = home;
    vg__sim_rng_init(&t->r, s->w->seed, SIM_S_TRACK, key, vessel);
    return t;
}

static bool wp_add(struct trk *t, int64_t time, struct sim_pos p, uint8_t mode)
{
    if (t->nwp > 0 && time <= t->wp[t->nwp - 1].t) {
        time = t->wp[t->nwp - 1].t + 1;
    }
    if (!vg__sim_grow((void **)&t->wp, &t->cap, t->nwp + 1, sizeof(*t->wp), 32)) {
        return false;
    }
    t->wp[t->nwp].t = time;
    t->wp[t->nwp].p = p;
    t->wp[t->nwp].mode = mode;
    t->nwp++;
    return true;
}

static int64_t last_t(const struct trk *t)
{
    return t->nwp ? t->wp[t->nwp - 1].t : 0;
}

static struct sim_pos last_p(const struct trk *t)
{
    return t->wp[t->nwp - 1].p;
}

/* Position on the track at time x (linear between waypoints). */
static struct sim_pos pos_at(const struct trk *t, int64_t x)
{
    if (x <= t->wp[0].t) {
        return t->wp[0].p;
    }
    uint32_t lo = 0, hi = t->nwp - 1;
    if (x >= t->wp[hi].t) {
        return t->wp[hi].p;
    }
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (t->wp[mid].t <= x) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    double f = (double)(x - t->wp[lo].t) / (double)(t->wp[hi].t - t->wp[lo].t);
    struct sim_pos p = { t->wp[lo].p.lat + (t->wp[hi].p.lat - t->wp[lo].p.lat) * f,
                         t->wp[lo].p.lon + (t->wp[hi].p.lon - t->wp[lo].p.lon) * f };
    return p;
}

/* Along a port lane from distance d0 to d1 (nm) at kn knots, waypoints every 8 nm. */
static bool follow_lane(struct trk *t, const struct sim_port *p, int lane, double d0, double d1,
                        double kn, uint8_t mode)
{
    double dir = d1 >= d0 ? 1 : -1;
    double d = d0;
    int64_t t0 = last_t(t);
    double done = 0;
    while (dir * (d1 - d) > 1e-6) {
        double step = fabs(d1 - d) < 8 ? fabs(d1 - d) : 8;
        d += dir * step;
        done += step;
        if (!wp_add(t, t0 + (int64_t)(done / kn * HOUR), vg__sim_lane_point(p, lane, d), mode)) {
            return false;
        }
    }
    return true;
}

/* A random walk (drifting, fishing) from the last waypoint until end, at kn knots. */
static bool walk(struct trk *t, int64_t end, double kn_lo, double kn_hi, uint8_t mode,
                 int64_t step_s)
{
    double course = vg__sim_uniform(&t->r, 0, 360);
    while (last_t(t) + step_s < end) {
        course += vg__sim_uniform(&t->r, -70, 70);
        double kn = vg__sim_uniform(&t->r, kn_lo, kn_hi);
        struct sim_pos p = vg__sim_offset(last_p(t), course, kn * (double)step_s / HOUR);
        if (!wp_add(t, last_t(t) + step_s, p, mode)) {
            return false;
        }
    }
    return wp_add(t, end, last_p(t), mode);
}

/* ---- small craft ------------------------------------------------------------------------------ */

static struct sim_pos craft_home(const struct sim_port *p, uint32_t v)
{
    return vg__sim_offset(vg__sim_toward(p->berth, p->pilot, 0.6), (double)(v % 360), 0.15);
}

static double sea_bearing(const struct sim_port *p)
{
    return vg__sim_course(p->berth, p->lanes[SIM_LANE_WEST].pt[0]);
}

/* The craft lies alongside the ship between a and b (offsets in metres). */
static bool alongside(struct trk *t, const struct trk *ship, int64_t a, int64_t b, double off_lo,
                      double off_hi, uint8_t mode)
{
    double bearing = vg__sim_uniform(&t->r, 0, 360);
    for (int64_t x = a; x < b; x += 5 * MIN) {
        double off = vg__sim_uniform(&t->r, off_lo, off_hi) / 1852.0;
        bearing += vg__sim_uniform(&t->r, -15, 15);
        if (!wp_add(t, x, vg__sim_offset(pos_at(ship, x), bearing, off), mode)) {
            return false;
        }
    }
    return wp_add(t, b, vg__sim_offset(pos_at(ship, b), bearing, off_lo / 1852.0), mode);
}

/* A fishing trip, or the night's meeting with a departing ship. */
static bool fishing_trip(struct tset *s, struct trk *t, const struct sim_port *p, int64_t dep,
                         const struct sim_call *meet, const struct trk *ship)
{
    const struct sim_config *cfg = s->cfg;
    struct sim_pos home = craft_home(p, t->vessel);
    double kn = vg__sim_uniform(&t->r, 8, 12);
    if (meet != NULL && ship != NULL) {
        const struct sim_vevent *ev = &meet->ev;
        bool innocent = ev->kind == SIM_VE_INNOCENT_ENC;
        int64_t arrive = ev->t_meet + (int64_t)(vg__sim_uniform(&t->r, 0.1, 0.4) * HOUR);
        int64_t leave = ev->t_end - (int64_t)(vg__sim_uniform(&t->r, 0.05, 0.2) * HOUR);
        if (innocent) {
            arrive = ev->t_meet - (int64_t)(vg__sim_uniform(&t->r, 0.2, 0.8) * HOUR);
            leave = ev->t_end + (int64_t)(vg__sim_uniform(&t->r, 0.0, 0.5) * HOUR);
        }
        struct sim_pos at = pos_at(ship, arrive);
        double dist = vg__sim_nm(home, at);
        int64_t start = arrive - (int64_t)(dist / kn * HOUR) - 10 * MIN;
        if (!wp_add(t, start, home, M_UNDERWAY) ||
            !alongside(t, ship, arrive, leave, innocent ? 150 : 30, innocent ? 450 : 140,
                       innocent ? M_FISHING : M_ALONGSIDE)) {
            return false;
        }
        struct sim_pos from = last_p(t);
        return wp_add(t, leave + (int64_t)(vg__sim_nm(from, home) / kn * HOUR) + 5 * MIN, home,
                      M_MOORED);
    }
    double bearing = sea_bearing(p) + vg__sim_uniform(&t->r, -50, 50);
    double nm = vg__sim_uniform(&t->r, cfg->craft.nm[0], cfg->craft.nm[1]);
    struct sim_pos ground = vg__sim_offset(home, bearing, nm);
    int64_t fish0 = dep + (int64_t)(nm / kn * HOUR);
    int64_t fish1 = fish0 + (int64_t)(vg__sim_uniform(&t->r, cfg->craft.hours[0],
                                                     cfg->craft.hours[1]) * HOUR);
    if (!wp_add(t, dep, home, M_UNDERWAY) || !wp_add(t, fish0, ground, M_FISHING) ||
        !walk(t, fish1, 0.3, 3.0, M_FISHING, 20 * MIN)) {
        return false;
    }
    struct sim_pos from = last_p(t);
    return wp_add(t, fish1 + (int64_t)(vg__sim_nm(from, home) / kn * HOUR), home, M_MOORED);
}

static bool launch_trip(struct trk *t, const struct sim_port *p, int64_t dep)
{
    struct sim_pos home = craft_home(p, t->vessel);
    double bearing = sea_bearing(p) + vg__sim_uniform(&t->r, -70, 70);
    double nm = vg__sim_uniform(&t->r, 2, 8);
    double kn = vg__sim_uniform(&t->r, 12, 20);
    int64_t out = dep + (int64_t)(nm / kn * HOUR);
    int64_t back = out + (int64_t)(vg__sim_uniform(&t->r, 0.5, 3) * HOUR);
    return wp_add(t, dep, home, M_UNDERWAY) &&
           wp_add(t, out, vg__sim_offset(home, bearing, nm), M_DRIFT) &&
           wp_add(t, back, vg__sim_offset(home, bearing, nm * 0.9), M_UNDERWAY) &&
           wp_add(t, back + (int64_t)(nm / kn * HOUR), home, M_MOORED);
}

static bool river_trip(struct tset *s, struct trk *t, const struct sim_port *p, int64_t dep,
                       int64_t *busy_until)
{
    const struct sim_config *cfg = s->cfg;
    int lane = vg__sim_chance(&t->r, 0.65) ? SIM_LANE_NORTH : SIM_LANE_WEST;
    double kn = vg__sim_uniform(&t->r, cfg->craft.river_kn[0], cfg->craft.river_kn[1]);
    double days = vg__sim_uniform(&t->r, cfg->craft.river_days[0], cfg->craft.river_days[1]);
    double nm = kn * days * 24 / 2;
    /* Craft turn round where the charted river lane ends. */
    double length = vg__sim_nm(p->pilot, p->lanes[lane].pt[0]);
    for (uint32_t i = 1; i < p->lanes[lane].n; i++) {
        length += vg__sim_nm(p->lanes[lane].pt[i - 1], p->lanes[lane].pt[i]);
    }
    if (nm > length) {
        nm = length;
    }
    if (!wp_add(t, dep, p->pilot, M_UNDERWAY) ||
        !follow_lane(t, p, lane, 0, nm, kn, M_UNDERWAY)) {
        return false;
    }
    /* A stop at a river village, then back. */
    if (!wp_add(t, last_t(t) + (int64_t)(vg__sim_uniform(&t->r, 1, 5) * HOUR), last_p(t),
                M_UNDERWAY) ||
        !follow_lane(t, p, lane, nm, 0, kn, M_UNDERWAY) ||
        !wp_add(t, last_t(t) + 20 * MIN, p->berth, M_MOORED)) {
        return false;
    }
    *busy_until = last_t(t) + 6 * HOUR;
    return true;
}

/* The meeting of a departing ship that this craft keeps tonight, if any. */
static const struct sim_call *meeting_for(const struct tset *s, uint32_t vessel, int64_t day0,
                                          int64_t day1, const struct trk **ship)
{
    for (uint32_t i = 0; i < s->nev; i++) {
        const struct sim_call *c = &s->g->s->call[s->ev_call[i]];
        if (c->ev.craft == vessel && c->ev.t_meet >= day0 && c->ev.t_meet < day1) {
            *ship = &s->t[s->ev_track[i]];
            return c;
        }
    }
    return NULL;
}

static enum vg_status build_craft_tracks(struct tset *s)
{
    struct sim_world *w = s->w;
    const struct sim_config *cfg = s->cfg;
    for (uint32_t pi = 0; pi < cfg->nport; pi++) {
        const struct sim_port *p = &cfg->port[pi];
        for (uint32_t k = 0; k < w->craft_by_port_n[pi]; k++) {
            uint32_t v = w->craft[w->craft_by_port_start[pi] + k];
            const struct sim_vessel *ves = &w->vessel[v];
            int64_t busy_until = 0;
            for (int d = -1; d <= w->days; d++) {
                int64_t day0 = w->t0 + (int64_t)d * SIM_DAY;
                struct trk *t = trk_new(s, v, pi, ((uint64_t)v << 16) ^ (uint64_t)(d + 2));
                if (t == NULL) {
                    return VG_ENOMEM;
                }
                bool ok = true;
                const struct trk *ship = NULL;
                const struct sim_call *meet =
                    ves->kind == SIM_V_FISHING ? meeting_for(s, v, day0 + 12 * HOUR,
                                                             day0 + 36 * HOUR, &ship)
                                               : NULL;
                if (meet != NULL) {
                    ok = fishing_trip(s, t, p, 0, meet, ship);
                    t->dark = meet->ev.kind == SIM_VE_TRANSFER && !meet->ev.craft_visible;
                } else if (ves->kind == SIM_V_FISHING) {
                    if (vg__sim_chance(&t->r, cfg->craft.trip_share)) {
                        double h = vg__sim_uniform(&t->r, cfg->craft.dep_hours[0],
                                                   cfg->craft.dep_hours[1]);
                        ok = fishing_trip(s, t, p, day0 + (int64_t)(h * HOUR), NULL, NULL);
                    }
                } else if (ves->kind == SIM_V_LAUNCH) {
                    if (vg__sim_chance(&t->r, cfg->craft.launch_share)) {
                        ok = launch_trip(t, p, day0 + (int64_t)(vg__sim_uniform(&t->r, 9, 15) *
                                                               HOUR));
                    }
                } else if (ves->kind == SIM_V_RIVER) {
                    int64_t dep = day0 + (int64_t)(vg__sim_uniform(&t->r, 5, 18) * HOUR);
                    if (dep > busy_until && vg__sim_chance(&t->r, cfg->craft.river_share)) {
                        ok = river_trip(s, t, p, dep, &busy_until);
                    }
                }
                if (!ok) {
                    return VG_ENOMEM;
                }
                if (t->nwp < 2) {
                    vg_free(t->wp);
                    s->n--; /* no trip that day */
                }
            }
        }
    }
    return VG_OK;
}

/* Bunker barges alongside ships at anchor. */
static enum vg_status build_bunkering(struct tset *s, uint32_t ship_track, const struct sim_call *c)
{
    const struct sim_port *p = &s->cfg->port[c->port];
    struct trk *t = trk_new(s, c->bunker_barge, c->port, 0xb0000000ULL + c->id);
    if (t == NULL) {
        return VG_ENOMEM;
    }
    const struct trk *ship = &s->t[ship_track];
    struct sim_pos home = craft_home(p, t->vessel);
    struct sim_pos at = pos_at(ship, c->bunker0);
    double dist = vg__sim_nm(home, at);
    if (!wp_add(t, c->bunker0 - (int64_t)(dist / 6 * HOUR) - 5 * MIN, home, M_UNDERWAY)) {
        return VG_ENOMEM;
    }
    /* Ship and barge are both still at anchor: alongside within a few tens of metres. */
    ship = &s->t[ship_track];
    if (!alongside(t, ship, c->bunker0, c->bunker1, 25, 60, M_ALONGSIDE) ||
        !wp_add(t, c->bunker1 + (int64_t)(dist / 6 * HOUR) + 5 * MIN, home, M_MOORED)) {
        return VG_ENOMEM;
    }
    return VG_OK;
}

/* ---- port calls ---------------------------------------------------------------------------- */

static double call_speed(const struct tset *s, const struct sim_call *c, struct trk *t)
{
    return c->service != SIM_NONE ? s->cfg->service[c->service].speed
                                  : vg__sim_uniform(&t->r, 11, 14);
}

static bool add_gap(struct trk *t, int64_t a, int64_t b)
{
    if (b <= a) {
        return true;
    }
    for (int i = 0; i < TRK_GAPS; i++) {
        if (t->gap1[i] <= t->gap0[i]) {
            t->gap0[i] = a;
            t->gap1[i] = b;
            return true;
        }
    }
    return true; /* more gaps than slots: the later ones are dropped */
}

static void add_leg(struct trk *t, int64_t from, const char *dest, int64_t eta)
{
    if (t->nlegs < TRK_LEGS) {
        t->legs[t->nlegs].from = from;
        snprintf(t->legs[t->nlegs].dest, sizeof(t->legs[0].dest), "%s", dest);
        t->legs[t->nlegs].eta = eta;
        t->nlegs++;
    }
}

/* Approach from the open sea along the lane from the previous port. */
static bool approach(struct tset *s, struct trk *t, const struct sim_call *c, double kn)
{
    const struct sim_port *p = &s->cfg->port[c->port];
    double hours_in = s->cfg->ais.hours_in;
    double d_in = kn * hours_in;
    int64_t start = c->eta - (int64_t)(hours_in * HOUR) - 40 * MIN;
    add_leg(t, start, p->locode, c->eta);
    return wp_add(t, start, vg__sim_lane_point(p, c->lane_in, d_in), M_UNDERWAY) &&
           follow_lane(t, p, c->lane_in, d_in, 4, kn, M_UNDERWAY) &&
           follow_lane(t, p, c->lane_in, 4, 0, 8, M_UNDERWAY);
}

/* At anchor (a spot within a mile or so of the anchorage), alongside, then out to the
 * pilot station. */
static bool port_stay(struct tset *s, struct trk *t, const struct sim_call *c)
{
    const struct sim_port *p = &s->cfg->port[c->port];
    struct sim_pos spot = vg__sim_offset(p->anchorage, vg__sim_uniform(&t->r, 0, 360),
                                         vg__sim_uniform(&t->r, 0, 0.9));
    int64_t shift = c->berth - 50 * MIN;
    if (shift > last_t(t) + 30 * MIN) {
        int64_t anchored = c->eta > last_t(t) ? c->eta : last_t(t) + 20 * MIN;
        if (!wp_add(t, anchored, spot, M_ANCHOR) || !wp_add(t, shift, spot, M_UNDERWAY)) {
            return false;
        }
    }
    struct sim_pos quay = vg__sim_offset(p->berth, vg__sim_uniform(&t->r, 0, 360),
                                         vg__sim_uniform(&t->r, 0.02, 0.18));
    add_leg(t, c->etd, c->next_port, c->etd + 3 * SIM_DAY);
    return wp_add(t, c->berth, quay, M_MOORED) && wp_add(t, c->etd, quay, M_UNDERWAY) &&
           wp_add(t, c->etd + 45 * MIN, p->pilot, M_UNDERWAY);
}

/* The vessel event of the departure (the transfer or a look-alike); *d is the distance
 * along the outbound lane reached. */
static bool departure_event(struct trk *t, const struct sim_port *p, const struct sim_call *c,
                            double *d)
{
    const struct sim_vevent *ev = &c->ev;
    *d = 0;
    if (ev->kind == SIM_VE_NONE) {
        return true;
    }
    if (!follow_lane(t, p, c->lane_out, 0, ev->meet_nm, ev->approach_kn, M_UNDERWAY)) {
        return false;
    }
    *d = ev->meet_nm;
    if (last_t(t) < ev->t_meet) {
        t->wp[t->nwp - 1].t = ev->t_meet;
    }
    if (ev->loiter) {
        return walk(t, ev->t_end, 0.2, 1.4, M_DRIFT, 10 * MIN);
    }
    /* A transfer under way: the ship keeps 3.5-5 knots. */
    double slow = vg__sim_uniform(&t->r, 3.5, 5);
    double hours = (double)(ev->t_end - ev->t_meet) / HOUR;
    if (!follow_lane(t, p, c->lane_out, *d, *d + slow * hours, slow, M_UNDERWAY)) {
        return false;
    }
    *d += slow * hours;
    t->wp[t->nwp - 1].t = ev->t_end;
    return true;
}

/* Distance from a port's pilot station to point i of a lane. */
static double lane_dist(const struct sim_port *p, int lane, uint32_t i)
{
    const struct sim_lane *l = &p->lanes[lane];
    double d = vg__sim_nm(p->pilot, l->pt[0]);
    for (uint32_t k = 1; k <= i && k < l->n; k++) {
        d += vg__sim_nm(l->pt[k - 1], l->pt[k]);
    }
    return d;
}

/* From port a (at distance d along its outbound lane) to port b of the same voyage: along
 * a's lane to the point nearest b, across to the nearest point of b's lane, in to b's
 * pilot station, timed to arrive for b's call. The lanes keep the ship off the land. */
static bool coastal_leg(struct tset *s, struct trk *t, const struct sim_call *a, double d,
                        const struct sim_call *b, double kn)
{
    const struct sim_port *pa = &s->cfg->port[a->port], *pb = &s->cfg->port[b->port];
    const struct sim_lane *la = &pa->lanes[a->lane_out], *lb = &pb->lanes[b->lane_in];
    uint32_t ja = 0, jb = 0;
    double best = 1e18;
    for (uint32_t i = 0; i < la->n; i++) {
        double x = vg__sim_nm(la->pt[i], pb->pilot);
        if (x < best) {
            best = x;
            ja = i;
        }
    }
    best = 1e18;
    for (uint32_t i = 0; i < lb->n; i++) {
        double x = vg__sim_nm(lb->pt[i], la->pt[ja]);
        if (x < best) {
            best = x;
            jb = i;
        }
    }
    /* The path: a's lane from d to point ja, then b's lane from point jb in to the pilot. */
    struct sim_pos path[80];
    int n = 0;
    path[n++] = vg__sim_lane_point(pa, a->lane_out, d);
    for (uint32_t i = 0; i <= ja && n < 40; i++) {
        if (lane_dist(pa, a->lane_out, i) > d) {
            path[n++] = la->pt[i];
        }
    }
    for (int i = (int)jb; i >= 0 && n < 78; i--) {
        path[n++] = lb->pt[i];
    }
    path[n++] = pb->pilot;
    double total = 0;
    for (int i = 1; i < n; i++) {
        total += vg__sim_nm(path[i - 1], path[i]);
    }
    double hours = (double)(b->eta - last_t(t)) / HOUR;
    double v = hours > 0.5 ? total / hours : kn + 2;
    v = v < 6 ? 6 : (v > kn + 2 ? kn + 2 : v);
    /* Waypoints every few miles, so the reporting interval follows the coast. */
    for (int i = 1; i < n; i++) {
        double leg = vg__sim_nm(path[i - 1], path[i]);
        for (double x = 8; x < leg; x += 8) {
            if (!wp_add(t, last_t(t) + (int64_t)(8 / v * HOUR),
                        vg__sim_toward(path[i - 1], path[i], x), M_UNDERWAY)) {
                return false;
            }
        }
        struct sim_pos from = last_p(t);
        if (!wp_add(t, last_t(t) + (int64_t)(vg__sim_nm(from, path[i]) / v * HOUR) + 1, path[i],
                    M_UNDERWAY)) {
            return false;
        }
    }
    add_leg(t, a->etd, pb->locode, b->eta);
    return true;
}

static bool linked(const struct sim_call *a, const struct sim_call *b)
{
    return a->vessel == b->vessel && a->container && b->container &&
           strcmp(a->next_port, "ZZZZZ") != 0 &&
           b->eta > a->etd && b->eta - a->etd < 5 * SIM_DAY;
}

/* One track for a chain of calls of one ship at the simulated ports (a voyage calling at
 * Matarani, Callao and Paita is one continuous track). */
static bool chain_track(struct tset *s, struct trk *t, const uint32_t *calls, uint32_t n)
{
    const struct sim_call *first = &s->g->s->call[calls[0]];
    if (!approach(s, t, first, call_speed(s, first, t))) {
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        const struct sim_call *c = &s->g->s->call[calls[i]];
        const struct sim_port *p = &s->cfg->port[c->port];
        double kn = call_speed(s, c, t), d = 0;
        if (!port_stay(s, t, c) || !departure_event(t, p, c, &d)) {
            return false;
        }
        add_gap(t, c->gap0, c->gap1);
        add_gap(t, c->ev.gap0, c->ev.gap1);
        if (i + 1 < n) {
            if (!coastal_leg(s, t, c, d, &s->g->s->call[calls[i + 1]], kn)) {
                return false;
            }
            continue;
        }
        double left = s->cfg->ais.hours_out - (double)(last_t(t) - c->etd) / HOUR;
        if (left < 4) {
            left = 4;
        }
        if (!follow_lane(t, p, c->lane_out, d, d + kn * left, kn, M_UNDERWAY)) {
            return false;
        }
    }
    return true;
}

/* Calls sorted by ship then arrival, to chain a ship's consecutive calls. */
static int cmp_ship_eta(uint32_t x, uint32_t y, const void *ctx)
{
    const struct sim_call *calls = ctx;
    const struct sim_call *a = &calls[x], *b = &calls[y];
    if (a->vessel != b->vessel) {
        return a->vessel < b->vessel ? -1 : 1;
    }
    if (a->eta != b->eta) {
        return a->eta < b->eta ? -1 : 1;
    }
    return a->id < b->id ? -1 : (a->id > b->id);
}

static enum vg_status note_event(struct tset *s, uint32_t call, uint32_t track)
{
    uint32_t cap_a = s->ev_cap, cap_b = s->ev_cap;
    if (!vg__sim_grow((void **)&s->ev_call, &cap_a, s->nev + 1, sizeof(uint32_t), 16) ||
        !vg__sim_grow((void **)&s->ev_track, &cap_b, s->nev + 1, sizeof(uint32_t), 16)) {
        return VG_ENOMEM;
    }
    s->ev_cap = cap_a < cap_b ? cap_a : cap_b;
    s->ev_call[s->nev] = call;
    s->ev_track[s->nev] = track;
    s->nev++;
    return VG_OK;
}

static enum vg_status build_call_tracks(struct tset *s)
{
    struct sim_schedule *sc = s->g->s;
    uint32_t *idx = vg_calloc(sc->ncall ? sc->ncall : 1, sizeof(uint32_t));
    enum vg_status st = idx ? VG_OK : VG_ENOMEM;
    uint32_t n = 0;
    for (uint32_t i = 0; i < sc->ncall && st == VG_OK; i++) {
        const struct sim_call *c = &sc->call[i];
        if (c->etd + 30 * HOUR >= s->w->t0 && c->eta - 24 * HOUR <= s->w->t_end + SIM_DAY) {
            idx[n++] = i;
        }
    }
    if (st == VG_OK) {
        st = vg__sim_sort_index(idx, n, cmp_ship_eta, sc->call);
    }
    for (uint32_t i = 0; i < n && st == VG_OK;) {
        uint32_t j = i + 1;
        while (j < n && linked(&sc->call[idx[j - 1]], &sc->call[idx[j]])) {
            j++;
        }
        const struct sim_call *c = &sc->call[idx[i]];
        struct trk *t = trk_new(s, c->vessel, c->port, 0xc0000000ULL + c->id);
        if (t == NULL || !chain_track(s, t, idx + i, j - i)) {
            st = VG_ENOMEM;
            break;
        }
        uint32_t track = s->n - 1;
        for (uint32_t k = i; k < j && st == VG_OK; k++) {
            const struct sim_call *ck = &sc->call[idx[k]];
            if (ck->ev.kind != SIM_VE_NONE) {
                st = note_event(s, idx[k], track);
            }
            if (st == VG_OK && ((ck->conf >> SIM_C_BUNKERING) & 1)) {
                st = build_bunkering(s, track, ck);
            }
        }
        i = j;
    }
    vg_free(idx);
    return st;
}

/* ---- emission ---------------------------------------------------------------------------------- */

static int64_t interval(struct tset *s, struct trk *t, uint8_t mode, struct sim_pos at)
{
    const struct sim_config *cfg = s->cfg;
    double base;
    switch (mode) {
    case M_ANCHOR:
        base = cfg->ais.anchor;
        break;
    case M_MOORED:
        base = cfg->ais.berth;
        break;
    case M_FISHING:
        base = cfg->ais.fishing;
        break;
    default: {
        /* Equirectangular distance is plenty to tell the coast from the open sea. */
        struct sim_pos h = cfg->port[t->home].berth;
        double dlat = at.lat - h.lat, dlon = (at.lon - h.lon) * cos(h.lat * 0.0174532925);
        double from_port = 60.0 * sqrt(dlat * dlat + dlon * dlon);
        if (from_port > cfg->ais.coastal_nm) {
            base = cfg->ais.sea;
        } else {
            base = vg__sim_uniform(&t->r, cfg->ais.coastal[0], cfg->ais.coastal[1]);
        }
        break;
    }
    }
    int64_t step = (int64_t)(base * vg__sim_uniform(&t->r, 0.85, 1.15));
    return step < 2 ? 2 : step;
}

static bool in_gap(const struct trk *t, int64_t x)
{
    for (int i = 0; i < TRK_GAPS; i++) {
        if (t->gap1[i] > t->gap0[i] && x >= t->gap0[i] && x < t->gap1[i]) {
            return true;
        }
    }
    return false;
}

struct emitter {
    struct tset *s;
    struct sim_file file;
    bool open;
    int day;
    uint32_t in_day;      /* sentences written in the current day */
    char buf[1024];
};

static enum vg_status day_file(struct emitter *em, int day, struct vg_error *err)
{
    struct sim_gen *g = em->s->g;
    enum vg_status st = VG_OK;
    while (em->day < day) {
        if (em->open) {
            st = vg__sim_file_close(&g->out, &em->file, err);
            em->open = false;
            if (st != VG_OK) {
                return st;
            }
        }
        em->day++;
        if (em->day > em->s->w->days) {
            return VG_OK;
        }
        struct vg_civil cv;
        vg_time_to_civil(em->s->w->t0 + (int64_t)em->day * SIM_DAY + 12 * HOUR, &cv);
        char rel[64];
        snprintf(rel, sizeof(rel), "feeds/ais/%04d%02d%02d.nmea", cv.year % 10000, cv.month % 100,
                 cv.day % 100);
        st = vg__sim_file_open(&g->out, &em->file, rel, err);
        if (st != VG_OK) {
            return st;
        }
        em->open = true;
        em->in_day = 0;
    }
    return VG_OK;
}

/* A planted bad checksum is due from its day and sentence index on (once each). */
static bool nmea_fault(struct sim_gen *g, int day, uint32_t index)
{
    for (int i = 0; i < g->fault_n[SIM_F_NMEA_CHECKSUM] && i < 8; i++) {
        if (g->nmea_fault_day[i] >= 0 &&
            (day > g->nmea_fault_day[i] ||
             (day == g->nmea_fault_day[i] && index >= g->nmea_fault_at[i]))) {
            g->nmea_fault_day[i] = -1;
            return true;
        }
    }
    return false;
}

/* Writes the report(s) of track t at its time t_next. */
static enum vg_status emit(struct emitter *em, struct trk *t, struct vg_error *err)
{
    struct tset *s = em->s;
    struct sim_gen *g = s->g;
    const struct sim_vessel *v = &s->w->vessel[t->vessel];
    int64_t x = t->t_next;
    while (t->cur + 1 < t->nwp && t->wp[t->cur + 1].t <= x) {
        t->cur++;
    }
    const struct wp *a = &t->wp[t->cur];
    const struct wp *b = t->cur + 1 < t->nwp ? &t->wp[t->cur + 1] : a;
    struct sim_pos p = a->p;
    if (b->t > a->t && x > a->t) {
        double f = (double)(x - a->t) / (double)(b->t - a->t);
        f = f > 1 ? 1 : f;
        p.lat += (b->p.lat - a->p.lat) * f;
        p.lon += (b->p.lon - a->p.lon) * f;
    }
    t->last_pos = p;
    double dt = (double)(b->t - a->t) / HOUR;
    double dist = vg__sim_nm(a->p, b->p);
    double sog = dt > 0 ? dist / dt : 0;
    double cog = dist > 1e-6 ? vg__sim_course(a->p, b->p) : vg__sim_uniform(&t->r, 0, 360);
    int nav = 0;
    switch (a->mode) {
    case M_ANCHOR:
        nav = 1;
        sog = vg__sim_uniform(&t->r, 0, 0.3);
        p = vg__sim_offset(p, vg__sim_uniform(&t->r, 0, 360),
                           s->cfg->ais.jitter_m * vg__sim_unit(&t->r) / 1852.0);
        break;
    case M_MOORED:
        nav = 5;
        sog = 0;
        break;
    case M_FISHING:
        nav = v->kind == SIM_V_FISHING ? 7 : 0;
        break;
    default:
        break;
    }
    if (sog > 40) {
        sog = 40;
    }
    enum vg_status st = day_file(em, (int)((x - s->w->t0) / SIM_DAY), err);
    if (st != VG_OK || !em->open || t->dark || in_gap(t, x)) {
        return st;
    }
    char channel = vg__sim_chance(&t->r, 0.5) ? 'A' : 'B';
    size_t len = 0;
    int n = 0;
    if (x >= t->next_static) {
        struct sim_ais_static ss;
        memset(&ss, 0, sizeof(ss));
        ss.mmsi = v->mmsi;
        ss.imo = v->imo;
        ss.call_sign = v->call_sign;
        ss.name = v->name;
        const char *dest = "";
        int64_t dest_eta = 0;
        for (uint32_t l = 0; l < t->nlegs; l++) {
            if (t->legs[l].from <= x) {
                dest = t->legs[l].dest;
                dest_eta = t->legs[l].eta;
            }
        }
        ss.destination = dest;
        ss.ship_type = v->ship_type;
        ss.bow = v->length * 2 / 3;
        ss.stern = v->length - ss.bow;
        ss.port = v->beam / 2;
        ss.starboard = v->beam - ss.port;
        ss.draught = v->draught;
        if (dest_eta > 0) {
            struct vg_civil cv;
            vg_time_to_civil(dest_eta, &cv);
            ss.eta_month = cv.month;
            ss.eta_day = cv.day;
            ss.eta_hour = cv.hour;
            ss.eta_minute = cv.minute;
        } else {
            ss.eta_hour = 24;
            ss.eta_minute = 60;
        }
        if (v->class_b) {
            n += vg__sim_ais_static24(&ss, x, channel, em->buf, &len);
        } else {
            n += vg__sim_ais_static5(&ss, x, channel, (int)(g->ais_seq++ % 10), em->buf, &len);
        }
        t->next_static = x + (int64_t)s->cfg->ais.static_s;
    }
    struct sim_ais_pos ap;
    memset(&ap, 0, sizeof(ap));
    ap.mmsi = v->mmsi;
    ap.lat = p.lat;
    ap.lon = p.lon;
    ap.sog = sog;
    ap.cog = cog;
    ap.heading = v->class_b ? 511 : (int)lround(fmod(cog + vg__sim_uniform(&t->r, -3, 3) + 360, 360)) % 360;
    ap.nav = nav;
    ap.second = (int)(x % 60);
    ap.type = v->class_b ? 18 : (vg__sim_chance(&t->r, 0.1) ? 3 : 1);
    bool bad = nmea_fault(g, em->day, em->in_day);
    size_t len2 = 0;
    n += vg__sim_ais_position(&ap, x, channel, bad, em->buf + len, &len2);
    st = vg__sim_file_write(&em->file, em->buf, len + len2, err);
    if (st == VG_OK && bad) {
        char value[16], detail[96];
        snprintf(value, sizeof(value), "%u", v->mmsi);
        snprintf(detail, sizeof(detail), "sentence %u of the day has a wrong NMEA checksum",
                 em->in_day + (len > 0 ? 2 : 0) + 1);
        st = vg__sim_fault_record(g, SIM_F_NMEA_CHECKSUM, em->file.rel, "", value, detail);
    }
    em->in_day += (uint32_t)n;
    g->rep->ais_sentences += (uint64_t)n;
    return st;
}

/* Binary heap of track indices ordered by (t_next, index). */
struct heap {
    uint32_t *a;
    uint32_t n;
    const struct trk *t;
};

static bool before(const struct heap *h, uint32_t x, uint32_t y)
{
    const struct trk *a = &h->t[x], *b = &h->t[y];
    return a->t_next != b->t_next ? a->t_next < b->t_next : x < y;
}

static void heap_push(struct heap *h, uint32_t v)
{
    uint32_t i = h->n++;
    h->a[i] = v;
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!before(h, h->a[i], h->a[parent])) {
            break;
        }
        uint32_t tmp = h->a[i];
        h->a[i] = h->a[parent];
        h->a[parent] = tmp;
        i = parent;
    }
}

static uint32_t heap_pop(struct heap *h)
{
    uint32_t top = h->a[0];
    h->a[0] = h->a[--h->n];
    uint32_t i = 0;
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && before(h, h->a[l], h->a[m])) {
            m = l;
        }
        if (r < h->n && before(h, h->a[r], h->a[m])) {
            m = r;
        }
        if (m == i) {
            break;
        }
        uint32_t tmp = h->a[i];
        h->a[i] = h->a[m];
        h->a[m] = tmp;
        i = m;
    }
    return top;
}

enum vg_status vg__sim_tracks_write(struct sim_gen *g, struct vg_error *err)
{
    struct tset s;
    memset(&s, 0, sizeof(s));
    s.g = g;
    s.w = g->w;
    s.cfg = g->w->cfg;
    enum vg_status st = VG_OK;
    struct heap h = { 0 };
    struct emitter em;
    memset(&em, 0, sizeof(em));
    em.s = &s;
    em.day = -1;

    /* Port calls first (the craft follow their ships), then the craft. */
    st = build_call_tracks(&s);
    if (st == VG_OK) {
        st = build_craft_tracks(&s);
    }
    if (st == VG_OK) {
        h.a = vg_calloc(s.n ? s.n : 1, sizeof(uint32_t));
        h.t = s.t;
        if (h.a == NULL) {
            st = VG_ENOMEM;
        }
    }
    for (uint32_t i = 0; i < s.n && st == VG_OK; i++) {
        struct trk *t = &s.t[i];
        t->t_next = t->wp[0].t < s.w->t0 ? s.w->t0 + (int64_t)vg__sim_below(&t->r, 300) : t->wp[0].t;
        t->next_static = t->t_next;
        if (t->t_next < last_t(t) && t->t_next < s.w->t_end + SIM_DAY) {
            heap_push(&h, i);
        }
    }
    while (st == VG_OK && h.n > 0) {
        uint32_t i = heap_pop(&h);
        struct trk *t = &s.t[i];
        st = emit(&em, t, err);
        int64_t step = interval(&s, t, t->wp[t->cur].mode, t->last_pos);
        t->t_next += step;
        if (t->t_next < last_t(t) && t->t_next < s.w->t_end + SIM_DAY) {
            heap_push(&h, i);
        }
    }
    if (st == VG_OK) {
        st = day_file(&em, s.w->days + 1, err); /* the remaining (empty) days */
    }
    if (em.open) {
        enum vg_status s2 = vg__sim_file_close(&g->out, &em.file, err);
        st = st == VG_OK ? s2 : st;
    }
    for (uint32_t i = 0; i < s.n; i++) {
        vg_free(s.t[i].wp);
    }
    vg_free(s.t);
    vg_free(s.ev_call);
    vg_free(s.ev_track);
    vg_free(h.a);
    if (st == VG_ENOMEM) {
        return vg_error_set(err, st, "out of memory building the AIS tracks");
    }
    return st;
}
