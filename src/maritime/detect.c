/*
 * Vessel events from positions (vigia/maritime.h): port visits, gaps and loitering per
 * vessel, then encounters across vessels through a space-time grid of slow positions
 * (cells of about 550 m and 10-minute slots; only neighbouring cells are compared, never
 * all pairs). Methods after Global Fishing Watch's published definitions, with the
 * near-shore variants described in the header.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/map.h>
#include <vigia/maritime.h>
#include <vigia/time.h>

#define KM_PER_NM 1.852
/* Encounters compare tracks resampled every SAMPLE_SECONDS (GFW resamples to 10 minutes;
 * vigia uses 5 so that a 15-minute meeting is seen at least twice), interpolating between
 * reports at most MAX_INTERP_SECONDS apart. Contacts of a pair further apart than
 * MAX_CONTACT_BREAK are separate meetings. */
#define SAMPLE_SECONDS     300
#define MAX_INTERP_SECONDS 1800
#define MAX_CONTACT_BREAK  (3 * SAMPLE_SECONDS)

/* Ports are indexed in 0.5-degree cells (about 55 km, more than any radius used), so
 * "the nearest port" looks at nine cells, not at every port in the world. */
#define PORT_CELL_DEG 0.5

struct detector {
    const struct vg_maritime_params *p;
    const struct vg_maritime_port *ports;
    size_t nports;
    struct vg_map port_grid; /* cell -> first port index */
    size_t *port_next;       /* chain of ports in a cell */
    vg_vessel_class_fn classify;
    void *class_user;
    vg_vessel_event_fn emit;
    void *emit_user;
};

enum vg_vessel_class vg_vessel_class_of_ship_type(int type)
{
    switch (type) {
    case 30:
        return VG_VESSEL_FISHING;
    case 31: /* towing */
    case 32: /* towing, long or wide */
    case 50: /* pilot */
    case 52: /* tug */
    case 53: /* port tender */
    case 54: /* anti-pollution */
        return VG_VESSEL_SERVICE;
    case 35: /* military */
    case 51: /* search and rescue */
    case 55: /* law enforcement */
    case 58: /* medical transport */
        return VG_VESSEL_AUTHORITY;
    case 33: /* dredging, underwater operations */
    case 34: /* diving */
    case 36: /* sailing */
    case 37: /* pleasure craft */
    case 56: /* spare, local vessel */
    case 57:
    case 59: /* non-combatant */
        return VG_VESSEL_SMALL;
    default:
        return type >= 60 && type <= 89 ? VG_VESSEL_MERCHANT : VG_VESSEL_UNKNOWN;
    }
}

static enum vg_vessel_class vessel_class(const struct detector *d, uint32_t mmsi, char cls)
{
    enum vg_vessel_class c =
        d->classify != NULL ? d->classify(d->class_user, mmsi) : VG_VESSEL_UNKNOWN;
    if (c == VG_VESSEL_UNKNOWN && cls == 'B') {
        c = VG_VESSEL_SMALL;
    }
    return c;
}

static void port_cell(double lat, double lon, int32_t key[2])
{
    key[0] = (int32_t)floor(lat / PORT_CELL_DEG);
    key[1] = (int32_t)floor(lon / PORT_CELL_DEG);
}

static const struct vg_maritime_port *
nearest_port(const struct detector *d, double lat, double lon, double *km)
{
    const struct vg_maritime_port *best = NULL;
    double best_km = 1e12;
    int32_t c[2];
    port_cell(lat, lon, c);
    for (int dy = -1; dy <= 1; dy++) {
        for (int dx = -1; dx <= 1; dx++) {
            int32_t k[2] = { c[0] + dy, c[1] + dx };
            uint64_t head;
            if (!vg_map_get(&d->port_grid, k, sizeof(k), &head)) {
                continue;
            }
            for (size_t i = (size_t)head; i != SIZE_MAX; i = d->port_next[i]) {
                double km_i = vg_geo_distance_km(lat, lon, d->ports[i].lat, d->ports[i].lon);
                if (km_i < best_km) {
                    best_km = km_i;
                    best = &d->ports[i];
                }
            }
        }
    }
    *km = best_km;
    return best;
}

static enum vg_status index_ports(struct detector *d)
{
    vg_map_init(&d->port_grid);
    d->port_next = vg_malloc(d->nports * sizeof(size_t) + 1);
    if (d->port_next == NULL) {
        return VG_ENOMEM;
    }
    for (size_t i = 0; i < d->nports; i++) {
        int32_t k[2];
        port_cell(d->ports[i].lat, d->ports[i].lon, k);
        uint64_t head = SIZE_MAX;
        bool existed = false;
        enum vg_status st = vg_map_put(&d->port_grid, k, sizeof(k), i, &existed, &head);
        if (st == VG_OK && existed) {
            st = vg_map_set(&d->port_grid, k, sizeof(k), i);
        }
        if (st != VG_OK) {
            return st;
        }
        d->port_next[i] = existed ? (size_t)head : SIZE_MAX;
    }
    return VG_OK;
}

static bool near_any_port(const struct detector *d, double lat, double lon, double km)
{
    double k;
    return nearest_port(d, lat, lon, &k) != NULL && k <= km;
}

static void fmt_time(int64_t t, char *buf, size_t n)
{
    vg_time_format_iso8601(t, buf, n);
}

static void init_event(struct vg_vessel_event *e, enum vg_vessel_event_kind kind, uint32_t mmsi)
{
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    e->mmsi = mmsi;
}

/* ---- port visits ---------------------------------------------------------------------- */

static void port_visits(const struct detector *d, const struct vg_position *v, size_t n)
{
    const struct vg_maritime_params *p = d->p;
    bool inside = false, stopped = false, gap = false;
    const struct vg_maritime_port *port = NULL;
    int64_t entry = 0, last = 0;
    for (size_t i = 0; i <= n; i++) {
        bool end_of_track = i == n;
        double km = 1e12;
        if (!end_of_track) {
            if (!inside) {
                const struct vg_maritime_port *np = nearest_port(d, v[i].lat, v[i].lon, &km);
                if (np != NULL && km <= p->port_entry_km) {
                    inside = true;
                    port = np;
                    entry = v[i].t;
                    last = v[i].t;
                    stopped = !isnan(v[i].sog) && v[i].sog < p->port_stop_kn;
                    gap = false;
                }
                continue;
            }
            km = vg_geo_distance_km(v[i].lat, v[i].lon, port->lat, port->lon);
            if (v[i].t - last > 4 * 3600) {
                gap = true;
            }
            if (!isnan(v[i].sog) && v[i].sog < p->port_stop_kn) {
                stopped = true;
            }
        }
        if (inside && (end_of_track || km > p->port_exit_km)) {
            int64_t end = end_of_track ? last : v[i].t;
            double hours = (double)(end - entry) / 3600.0;
            if ((stopped || gap) && hours >= p->port_min_hours) {
                struct vg_vessel_event e;
                init_event(&e, VG_EVENT_PORT_VISIT, v[0].mmsi);
                e.start = entry;
                e.end = end;
                e.lat = port->lat;
                e.lon = port->lon;
                memcpy(e.port, port->locode, 6);
                e.distance_shore_nm = vg_geo_shore_distance_nm(port->lat, port->lon);
                e.confidence = stopped ? 0.9 : 0.6;
                snprintf(e.variant, sizeof(e.variant), "%s", end_of_track ? "open" : "gfw");
                char a[24], b[24];
                fmt_time(entry, a, sizeof(a));
                fmt_time(end, b, sizeof(b));
                snprintf(e.explanation, sizeof(e.explanation),
                         "in port %s from %s to %s (%.1f h), %s%s", port->locode, a, b, hours,
                         stopped ? "stopped" : "with an AIS gap in port",
                         end_of_track ? "; still there at the end of the data" : "");
                d->emit(d->emit_user, &e);
            }
            inside = false;
            if (!end_of_track) {
                /* The exit position may already be near another port. */
                i--;
                continue;
            }
        }
        if (!end_of_track) {
            last = v[i].t;
        }
    }
}

/* ---- gaps ----------------------------------------------------------------------------- */

/* Positions reported in the window [t - seconds, t]. */
static size_t density_before(const struct vg_position *v, size_t i, int64_t seconds)
{
    size_t c = 0;
    for (size_t k = i + 1; k-- > 0;) {
        if (v[i].t - v[k].t > seconds) {
            break;
        }
        c++;
    }
    return c;
}

static void gaps(const struct detector *d, const struct vg_position *v, size_t n)
{
    const struct vg_maritime_params *p = d->p;
    for (size_t i = 0; i + 1 < n; i++) {
        const struct vg_position *a = &v[i], *b = &v[i + 1];
        double hours = (double)(b->t - a->t) / 3600.0;
        if (hours <
            (p->nearshore_gaps ? fmin(p->gap_hours, p->nearshore_gap_hours) : p->gap_hours)) {
            continue;
        }
        /* Silence in port is part of a port visit, not a gap. */
        if (near_any_port(d, a->lat, a->lon, p->anchorage_km) &&
            near_any_port(d, b->lat, b->lon, p->anchorage_km)) {
            continue;
        }
        double s1 = vg_geo_shore_distance_nm(a->lat, a->lon);
        double s2 = vg_geo_shore_distance_nm(b->lat, b->lon);
        double km = vg_geo_distance_km(a->lat, a->lon, b->lat, b->lon);
        double implied_kn = hours > 0 ? km / KM_PER_NM / hours : 0;
        const char *variant = NULL;
        double confidence = 0;
        if (hours >= p->gap_hours && s1 > p->gap_offshore_nm && s2 > p->gap_offshore_nm) {
            variant = "gfw";
            /* GFW: the vessel was reporting densely before going silent. */
            confidence = density_before(v, i, 12 * 3600) >= 20 ? 0.8 : 0.5;
        } else if (p->nearshore_gaps && a->cls != 'B' && hours >= p->nearshore_gap_hours &&
                   s1 <= p->nearshore_nm && s2 <= p->nearshore_nm) {
            variant = "nearshore";
            confidence = density_before(v, i, 2 * 3600) >= 10 ? 0.75 : 0.5;
        }
        if (variant == NULL) {
            continue;
        }
        struct vg_vessel_event e;
        init_event(&e, VG_EVENT_GAP, a->mmsi);
        e.start = a->t;
        e.end = b->t;
        e.lat = a->lat;
        e.lon = a->lon;
        e.distance_shore_nm = s1;
        e.confidence = confidence;
        snprintf(e.variant, sizeof(e.variant), "%s", variant);
        char ts[24];
        fmt_time(a->t, ts, sizeof(ts));
        snprintf(e.explanation, sizeof(e.explanation),
                 "AIS silent for %.1f h from %s, %s (starts %.0f nm and ends %.0f nm from "
                 "shore); moved %.0f km while silent (%.1f kn implied)%s",
                 hours, ts, strcmp(variant, "gfw") == 0 ? "offshore" : "near the coast", s1, s2, km,
                 implied_kn,
                 confidence >= 0.75 ? "; it was reporting steadily before the gap" : "");
        d->emit(d->emit_user, &e);
    }
}

/* ---- loitering ------------------------------------------------------------------------ */

static void emit_loiter(const struct detector *d, const struct vg_position *v, size_t a, size_t b)
{
    const struct vg_maritime_params *p = d->p;
    double hours = (double)(v[b].t - v[a].t) / 3600.0;
    if (hours <= 0) {
        return;
    }
    double path_km = 0, lat = 0, lon = 0;
    bool night = false;
    for (size_t k = a; k <= b; k++) {
        if (k > a) {
            path_km += vg_geo_distance_km(v[k - 1].lat, v[k - 1].lon, v[k].lat, v[k].lon);
        }
        lat += v[k].lat;
        lon += v[k].lon;
        night |= vg_geo_is_night_at(v[k].t, v[k].lon);
    }
    lat /= (double)(b - a + 1);
    lon /= (double)(b - a + 1);
    double avg_kn = path_km / KM_PER_NM / hours;
    if (avg_kn >= p->loiter_max_kn) {
        return;
    }
    if (near_any_port(d, lat, lon, p->anchorage_km) ||
        (p->river_suppression && vg_geo_in_river_zone(lat, lon))) {
        return;
    }
    double shore = vg_geo_shore_distance_nm(lat, lon);
    const char *variant = NULL;
    double confidence = 0;
    /* Fishing boats and small craft are slow at sea by trade: loitering is a ship's sign
     * (GFW computes it for carrier vessels). */
    enum vg_vessel_class cls = vessel_class(d, v[a].mmsi, v[a].cls);
    if (cls == VG_VESSEL_FISHING || cls == VG_VESSEL_SMALL || cls == VG_VESSEL_SERVICE ||
        cls == VG_VESSEL_AUTHORITY) {
        return;
    }
    if (hours >= p->loiter_min_hours && shore >= p->loiter_min_shore_nm) {
        variant = "gfw";
        confidence = 0.7;
    } else if (p->nearshore_loitering && hours >= p->nearshore_loiter_hours &&
               shore >= p->nearshore_loiter_min_nm && shore <= p->nearshore_loiter_max_nm &&
               night && cls == VG_VESSEL_MERCHANT) {
        variant = "nearshore_night";
        confidence = 0.7;
    }
    if (variant == NULL) {
        return;
    }
    struct vg_vessel_event e;
    init_event(&e, VG_EVENT_LOITERING, v[a].mmsi);
    e.start = v[a].t;
    e.end = v[b].t;
    e.lat = lat;
    e.lon = lon;
    e.distance_shore_nm = shore;
    e.confidence = confidence;
    snprintf(e.variant, sizeof(e.variant), "%s", variant);
    char ts[24];
    fmt_time(v[a].t, ts, sizeof(ts));
    snprintf(e.explanation, sizeof(e.explanation),
             "slow (%.1f kn on average) for %.1f h from %s, %.0f nm from shore%s, away from "
             "any port or anchorage",
             avg_kn, hours, ts, shore, night ? ", at night" : "");
    d->emit(d->emit_user, &e);
}

static void loitering(const struct detector *d, const struct vg_position *v, size_t n)
{
    const struct vg_maritime_params *p = d->p;
    size_t start = 0;
    bool in_run = false;
    for (size_t i = 0; i <= n; i++) {
        bool slow = i < n && !isnan(v[i].sog) && v[i].sog < p->loiter_max_kn;
        bool broken = in_run && i < n && v[i].t - v[i - 1].t > 2 * 3600;
        if (in_run && (!slow || broken)) {
            emit_loiter(d, v, start, i - 1);
            in_run = false;
        }
        if (slow && !in_run) {
            in_run = true;
            start = i;
        }
    }
}

/* ---- encounters ----------------------------------------------------------------------- */

struct contact {
    uint32_t a, b; /* a < b */
    int64_t t;
    double lat, lon;
    float sa, sb;
    float dist_m;
    char cls_a, cls_b; /* transceiver classes */
};

struct grid_key {
    int64_t t;
    int32_t cy, cx;
};

/* A vessel's interpolated position at a sample time. */
struct sample {
    uint32_t mmsi;
    int64_t t;
    double lat, lon;
    float sog; /* the faster of the two reports around it */
    char cls;
};

static struct grid_key key_of(const struct sample *q, double cell_deg)
{
    struct grid_key k;
    memset(&k, 0, sizeof(k));
    k.t = q->t;
    k.cy = (int32_t)floor(q->lat / cell_deg);
    double lon_cell = cell_deg / fmax(cos(q->lat * M_PI / 180.0), 0.1);
    k.cx = (int32_t)floor(q->lon / lon_cell);
    return k;
}

static int contact_cmp(const void *x, const void *y)
{
    const struct contact *a = x, *b = y;
    if (a->a != b->a) {
        return a->a < b->a ? -1 : 1;
    }
    if (a->b != b->b) {
        return a->b < b->b ? -1 : 1;
    }
    return (a->t > b->t) - (a->t < b->t);
}

static void emit_encounter(const struct detector *d,
                           const struct contact *c,
                           size_t n,
                           const struct vg_position *all)
{
    (void)all;
    const struct vg_maritime_params *p = d->p;
    int64_t start = c[0].t, end = c[n - 1].t;
    /* Each sample stands for the interval around it: a meeting seen at n samples lasted
     * about n intervals; the explanation states the span between the first and last. */
    double observed = (double)(end - start) / 60.0;
    double minutes = observed + SAMPLE_SECONDS / 60.0;
    double lat = 0, lon = 0, max_sa = 0, max_sb = 0, min_d = 1e9;
    bool night = false;
    for (size_t i = 0; i < n; i++) {
        lat += c[i].lat;
        lon += c[i].lon;
        max_sa = fmax(max_sa, c[i].sa);
        max_sb = fmax(max_sb, c[i].sb);
        min_d = fmin(min_d, c[i].dist_m);
        night |= vg_geo_is_night_at(c[i].t, c[i].lon);
    }
    lat /= (double)n;
    lon /= (double)n;
    enum vg_vessel_class ca = vessel_class(d, c[0].a, c[0].cls_a);
    enum vg_vessel_class cb = vessel_class(d, c[0].b, c[0].cls_b);
    /* Coast guard, navy, rescue and medical boats meet ships by duty; pilot boats and tugs
     * do so in the approaches to a port. */
    if (ca == VG_VESSEL_AUTHORITY || cb == VG_VESSEL_AUTHORITY) {
        return;
    }
    if ((ca == VG_VESSEL_SERVICE || cb == VG_VESSEL_SERVICE) &&
        near_any_port(d, lat, lon, p->pilot_area_km)) {
        return;
    }
    const char *variant = NULL;
    double confidence = 0;
    uint32_t ship = c[0].a, craft = c[0].b;
    /* Within the anchorage area (GFW measures from anchorage points, vigia from port
     * centres: anchorage_km approximates the area where ships wait), ships lie side by side
     * for days: no long encounters there. A boat alongside a ship at anchor stays visible,
     * as its own variant: divers and drop-offs use anchorage waits too. */
    bool at_anchorage = near_any_port(d, lat, lon, p->anchorage_km);
    if (!at_anchorage && minutes >= p->encounter_min_hours * 60 && max_sa < p->encounter_max_kn &&
        max_sb < p->encounter_max_kn) {
        variant = "gfw";
        confidence = 0.8;
    } else if (p->short_meetings && minutes >= p->meeting_min_minutes &&
               max_sa < p->meeting_max_kn && max_sb < p->meeting_max_kn &&
               ((ca == VG_VESSEL_MERCHANT && cb != VG_VESSEL_MERCHANT) ||
                (cb == VG_VESSEL_MERCHANT && ca != VG_VESSEL_MERCHANT))) {
        variant = at_anchorage ? "anchorage_meeting" : "short_meeting";
        confidence = (at_anchorage ? 0.4 : 0.6) + (night ? 0.2 : 0.0) +
                     ((ca == VG_VESSEL_MERCHANT ? cb : ca) != VG_VESSEL_FISHING ? 0.1 : 0.0);
        if (cb == VG_VESSEL_MERCHANT) {
            ship = c[0].b;
            craft = c[0].a;
        }
    }
    if (variant == NULL) {
        return;
    }
    struct vg_vessel_event e;
    init_event(&e, VG_EVENT_ENCOUNTER, ship);
    e.other_mmsi = craft;
    e.start = start;
    e.end = end;
    e.lat = lat;
    e.lon = lon;
    e.distance_shore_nm = vg_geo_shore_distance_nm(lat, lon);
    e.confidence = confidence > 0.95 ? 0.95 : confidence;
    snprintf(e.variant, sizeof(e.variant), "%s", variant);
    char ts[24];
    fmt_time(start, ts, sizeof(ts));
    enum vg_vessel_class other = ship == c[0].a ? cb : ca;
    const char *craft_kind = other == VG_VESSEL_FISHING   ? "a fishing vessel"
                             : other == VG_VESSEL_SMALL   ? "a small craft"
                             : other == VG_VESSEL_SERVICE ? "a tug or pilot boat far from port"
                                                          : "another vessel";
    snprintf(e.explanation, sizeof(e.explanation),
             "MMSI %09u met %s (MMSI %09u) for %.0f min from %s, as close as %.0f m, both below "
             "%.1f kn, %.0f nm from shore%s, %s",
             (unsigned)ship, strcmp(variant, "gfw") == 0 ? "another vessel" : craft_kind,
             (unsigned)craft, observed, ts, min_d, fmax(max_sa, max_sb) + 0.05, e.distance_shore_nm,
             night ? ", at night" : "",
             at_anchorage ? "in a port's anchorage area" : "away from port");
    d->emit(d->emit_user, &e);
}

/* The smallest multiple of step at or after t. */
static int64_t ceil_to(int64_t t, int64_t step)
{
    int64_t r = t % step;
    if (r < 0) {
        r += step;
    }
    return r == 0 ? t : t - r + step;
}

struct sample_vec {
    struct sample *s;
    size_t n, cap;
};

static bool sample_push(struct sample_vec *v, const struct sample *x)
{
    struct sample *ns = vg_grow(v->s, &v->cap, v->n + 1, sizeof(*ns));
    if (ns == NULL) {
        return false;
    }
    v->s = ns;
    v->s[v->n++] = *x;
    return true;
}

/*
 * Resamples one vessel's track (time order) at multiples of SAMPLE_SECONDS, keeping the
 * samples where the vessel could be meeting another: slow, away from ports and the river.
 */
static bool resample(const struct detector *d,
                     const struct vg_position *v,
                     size_t n,
                     double max_kn,
                     struct sample_vec *out)
{
    const struct vg_maritime_params *p = d->p;
    const double min_port_km = p->encounter_min_port_km;
    double memo_km = -1, memo_lat = 0, memo_lon = 0;
    size_t i = 0;
    for (int64_t t = ceil_to(v[0].t, SAMPLE_SECONDS); t <= v[n - 1].t; t += SAMPLE_SECONDS) {
        while (i + 1 < n && v[i + 1].t <= t) {
            i++;
        }
        const struct vg_position *a = &v[i];
        const struct vg_position *b = i + 1 < n ? &v[i + 1] : a;
        if (a->t != t && b->t - a->t > MAX_INTERP_SECONDS) {
            /* Silent too long to interpolate: resume at the sample before the next report. */
            int64_t before_next = ceil_to(b->t, SAMPLE_SECONDS) - SAMPLE_SECONDS;
            if (before_next > t) {
                t = before_next; /* the loop steps to the first sample at or after b */
            }
            continue;
        }
        double f = b->t > a->t ? (double)(t - a->t) / (double)(b->t - a->t) : 0.0;
        struct sample x = {
            a->mmsi, t, a->lat + f * (b->lat - a->lat), a->lon + f * (b->lon - a->lon), 0, a->cls
        };
        if (isnan(a->sog) || isnan(b->sog)) {
            continue;
        }
        x.sog = fmaxf(a->sog, b->sog);
        if (x.sog >= max_kn || (p->river_suppression && vg_geo_in_river_zone(x.lat, x.lon))) {
            continue;
        }
        /* The distance to the nearest port, known at an earlier sample, bounds the current
         * one within how far the vessel moved since (an upper bound: degrees times 111.3 km,
         * plus a margin); slow vessels rarely need the port index again. */
        double moved = 111.3 * 1.01 * hypot(x.lat - memo_lat, x.lon - memo_lon);
        if (memo_km < 0 || (memo_km - moved <= min_port_km && memo_km + moved > min_port_km)) {
            nearest_port(d, x.lat, x.lon, &memo_km);
            memo_lat = x.lat;
            memo_lon = x.lon;
            moved = 0;
        }
        if (memo_km - moved <= min_port_km) {
            continue; /* near a port (certainly, or recomputed just now) */
        }
        if (!sample_push(out, &x)) {
            return false;
        }
    }
    return true;
}

static enum vg_status
encounters(const struct detector *d, const struct vg_position *pos, size_t n, struct vg_error *err)
{
    const struct vg_maritime_params *p = d->p;
    double max_kn = fmax(p->encounter_max_kn, p->short_meetings ? p->meeting_max_kn : 0);
    /* Grid cells at least as wide as the encounter distance: neighbours are in 3x3 cells. */
    double cell_deg = fmax(p->encounter_max_m / 111000.0, 0.001);
    struct sample_vec sv = { NULL, 0, 0 };
    enum vg_status st = VG_OK;
    for (size_t i = 0; i < n && st == VG_OK;) {
        size_t j = i;
        while (j < n && pos[j].mmsi == pos[i].mmsi) {
            j++;
        }
        if (!resample(d, pos + i, j - i, max_kn, &sv)) {
            st = VG_ENOMEM;
        }
        i = j;
    }
    size_t ns = sv.n;
    const struct sample *smp = sv.s;
    size_t *next = st == VG_OK ? vg_malloc(ns * sizeof(size_t) + 1) : NULL;
    struct contact *contacts = NULL;
    size_t ncontacts = 0, cap = 0;
    struct vg_map grid;
    vg_map_init(&grid);
    if (st == VG_OK && next == NULL) {
        st = VG_ENOMEM;
    }
    for (size_t i = 0; i < ns && st == VG_OK; i++) {
        struct grid_key k = key_of(&smp[i], cell_deg);
        uint64_t head = SIZE_MAX;
        bool existed = false;
        st = vg_map_put(&grid, &k, sizeof(k), i, &existed, &head);
        if (st != VG_OK) {
            break;
        }
        next[i] = existed ? (size_t)head : SIZE_MAX;
        if (existed) {
            st = vg_map_set(&grid, &k, sizeof(k), i);
        }
    }
    /* Every sample against the other vessels' samples of the same time in 3x3 cells. */
    for (size_t i = 0; i < ns && st == VG_OK; i++) {
        const struct sample *q = &smp[i];
        struct grid_key k0 = key_of(q, cell_deg);
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                struct grid_key k = k0;
                k.cy += dy;
                k.cx += dx;
                uint64_t head;
                if (!vg_map_get(&grid, &k, sizeof(k), &head)) {
                    continue;
                }
                for (size_t j = (size_t)head; j != SIZE_MAX; j = next[j]) {
                    const struct sample *r = &smp[j];
                    if (r->mmsi <= q->mmsi) {
                        continue; /* same vessel, or the pair is seen from the other side */
                    }
                    double m = vg_geo_distance_km(q->lat, q->lon, r->lat, r->lon) * 1000.0;
                    if (m > p->encounter_max_m) {
                        continue;
                    }
                    struct contact *nc = vg_grow(contacts, &cap, ncontacts + 1, sizeof(*nc));
                    if (nc == NULL) {
                        st = VG_ENOMEM;
                        break;
                    }
                    contacts = nc;
                    contacts[ncontacts++] = (struct contact){
                        q->mmsi,
                        r->mmsi,
                        q->t,
                        (q->lat + r->lat) / 2,
                        (q->lon + r->lon) / 2,
                        q->sog,
                        r->sog,
                        (float)m,
                        q->cls,
                        r->cls,
                    };
                }
            }
        }
    }
    if (st == VG_OK && ncontacts > 0) {
        qsort(contacts, ncontacts, sizeof(*contacts), contact_cmp);
        size_t run = 0;
        for (size_t i = 1; i <= ncontacts; i++) {
            bool same = i < ncontacts && contacts[i].a == contacts[run].a &&
                        contacts[i].b == contacts[run].b &&
                        contacts[i].t - contacts[i - 1].t <= MAX_CONTACT_BREAK;
            if (!same) {
                emit_encounter(d, &contacts[run], i - run, pos);
                run = i;
            }
        }
    }
    vg_map_release(&grid);
    vg_free(next);
    vg_free(contacts);
    vg_free(sv.s);
    if (st != VG_OK) {
        return vg_error_set(err, st, "out of memory detecting encounters");
    }
    return VG_OK;
}

enum vg_status vg_maritime_detect(const struct vg_position *positions,
                                  size_t n,
                                  const struct vg_maritime_params *params,
                                  const struct vg_maritime_port *ports,
                                  size_t nports,
                                  vg_vessel_class_fn classify,
                                  void *class_user,
                                  vg_vessel_event_fn emit,
                                  void *emit_user,
                                  struct vg_error *err)
{
    struct detector d = {
        params, ports, nports, { 0 }, NULL, classify, class_user, emit, emit_user
    };
    if (index_ports(&d) != VG_OK) {
        vg_map_release(&d.port_grid);
        vg_free(d.port_next);
        return vg_error_set(err, VG_ENOMEM, "out of memory indexing ports");
    }
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && positions[j].mmsi == positions[i].mmsi) {
            if (j > i && positions[j].t < positions[j - 1].t) {
                vg_map_release(&d.port_grid);
                vg_free(d.port_next);
                return vg_error_set(err, VG_EINVAL, "positions of MMSI %u are not in time order",
                                    (unsigned)positions[i].mmsi);
            }
            j++;
        }
        port_visits(&d, positions + i, j - i);
        gaps(&d, positions + i, j - i);
        loitering(&d, positions + i, j - i);
        i = j;
    }
    enum vg_status st = encounters(&d, positions, n, err);
    vg_map_release(&d.port_grid);
    vg_free(d.port_next);
    return st;
}
