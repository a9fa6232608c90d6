/*
 * Vessel and voyage features from the vessel register, the carriers' messages and the
 * vessel events detected over AIS (vigia/maritime.h): the vessel's kind, flag and identity
 * changes, and the events of the voyage (from departure at the trip's port to arrival at
 * the port of discharge, or the as-of time): suspected intentional AIS gaps and whether a
 * hidden port call fits in them, encounters at sea, loitering, near-coast slow-downs at
 * night.
 */
#include "risk/risk_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <vigia/codes.h>
#include <vigia/ident.h>
#include <vigia/maritime.h>

#define DARK_SPEED_KN   12.0 /* assumed speed to a hidden port call and back */
#define DARK_STAY_HOURS 6.0

static void add_port(void *user, const struct vg_port_info *p)
{
    struct rk_ctx *c = user;
    struct vg_port_info *slot = rk_push(&c->port_list, sizeof(*slot));
    if (slot != NULL) {
        *slot = *p;
    } else {
        c->oom = true;
    }
}

/* Ports with positions: the built-in table, then the imported World Port Index. */
static void load_ports(struct rk_ctx *c)
{
    if (c->port_list_loaded) {
        return;
    }
    c->port_list_loaded = true;
    vg_codes_builtin_ports(add_port, c);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->store->db,
                           "SELECT coalesce(locode, ''), name, coalesce(country, ''), lat, lon"
                           " FROM code_ports",
                           -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            struct vg_port_info p;
            memset(&p, 0, sizeof(p));
            snprintf(p.locode, sizeof(p.locode), "%s", (const char *)sqlite3_column_text(st, 0));
            snprintf(p.name, sizeof(p.name), "%s", (const char *)sqlite3_column_text(st, 1));
            snprintf(p.country, sizeof(p.country), "%s", (const char *)sqlite3_column_text(st, 2));
            p.lat = sqlite3_column_double(st, 3);
            p.lon = sqlite3_column_double(st, 4);
            add_port(c, &p);
        }
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < c->port_list.n; i++) {
        const struct vg_port_info *p = RK_AT(c->port_list, struct vg_port_info, i);
        if (p->locode[0] != '\0' &&
            vg_map_put(&c->port_pos, p->locode, strlen(p->locode), i + 1, NULL, NULL) != VG_OK) {
            c->oom = true;
            return;
        }
    }
}

bool rk_port_position(struct rk_ctx *c, uint32_t locode, double *lat, double *lon)
{
    load_ports(c);
    struct vg_slice l = rk_str(&c->s, locode);
    uint64_t i;
    if (l.len == 0 || !vg_map_get(&c->port_pos, l.ptr, l.len, &i)) {
        if (l.len == 5 && c->have_locodes) {
            struct vg_locode_info info;
            struct vg_error e;
            char code[6];
            memcpy(code, l.ptr, 5);
            code[5] = '\0';
            if (vg_codes_locode_lookup(c->store, code, &info, &e) == VG_OK && info.has_position) {
                struct vg_port_info p;
                memset(&p, 0, sizeof(p));
                memcpy(p.locode, code, 6);
                p.lat = info.lat;
                p.lon = info.lon;
                add_port(c, &p);
                if (vg_map_set(&c->port_pos, l.ptr, l.len, c->port_list.n) != VG_OK) {
                    c->oom = true;
                    return false;
                }
                *lat = info.lat;
                *lon = info.lon;
                return true;
            }
        }
        return false;
    }
    const struct vg_port_info *p = RK_AT(c->port_list, struct vg_port_info, i - 1);
    *lat = p->lat;
    *lon = p->lon;
    return true;
}

/* A port within reach of a gap: there and back at DARK_SPEED_KN with a stay. */
static bool dark_call_fits(struct rk_ctx *c, const struct rk_vevent *g)
{
    double hours = (double)(g->end - g->start) / 3600.0;
    double reach_km = (hours - DARK_STAY_HOURS) / 2.0 * DARK_SPEED_KN * 1.852;
    if (reach_km <= 0 || isnan(g->lat) || isnan(g->lon)) {
        return false;
    }
    load_ports(c);
    for (size_t i = 0; i < c->port_list.n; i++) {
        const struct vg_port_info *p = RK_AT(c->port_list, struct vg_port_info, i);
        if (vg_geo_distance_km(g->lat, g->lon, p->lat, p->lon) <= reach_km) {
            return true;
        }
    }
    return false;
}

/* Peru and Ecuador's coastal waters, roughly: where near-coast slow-downs matter. */
static bool off_peru_ecuador(double lat, double lon)
{
    return lat >= -18.5 && lat <= 1.5 && lon >= -85.0 && lon <= -75.0;
}

static bool partly_night(int64_t start, int64_t end, double lon)
{
    for (int64_t t = start; t <= end; t += 1800) {
        if (vg_geo_is_night_at(t, lon)) {
            return true;
        }
    }
    return vg_geo_is_night_at(end, lon);
}

static void identity(struct rk_view *v, const struct rk_vessel *vs)
{
    struct rk_ctx *c = v->c;
    int64_t from = v->ref - 365 * (int64_t)RK_DAY;
    uint32_t names[16], flags[16], mmsis[16];
    size_t nn = 0, nf = 0, nm = 0;
    for (uint32_t i = 0; i < vs->id_n; i++) {
        const struct rk_identity *d = RK_AT(c->identities, struct rk_identity, vs->id_off + i);
        int64_t seen = d->last_seen != VG_TIME_NONE ? d->last_seen : d->first_seen;
        if (d->first_seen != VG_TIME_NONE && d->first_seen > v->ref) {
            continue;
        }
        if (seen != VG_TIME_NONE && seen < from) {
            continue;
        }
        uint32_t vals[3] = { d->name, d->flag, d->mmsi };
        uint32_t *sets[3] = { names, flags, mmsis };
        size_t *ns[3] = { &nn, &nf, &nm };
        for (int k = 0; k < 3; k++) {
            if (vals[k] == 0) {
                continue;
            }
            bool dup = false;
            for (size_t q = 0; q < *ns[k] && !dup; q++) {
                dup = sets[k][q] == vals[k];
            }
            if (!dup && *ns[k] < 16) {
                sets[k][(*ns[k])++] = vals[k];
            }
        }
    }
    size_t changes = (nn > 1 ? nn - 1 : 0) + (nf > 1 ? nf - 1 : 0) + (nm > 1 ? nm - 1 : 0);
    rk_set(v, VG_F_VESSEL_IDENTITY_CHANGES, vg_value_number((double)changes));
}

enum vg_status rk_features_vessel(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    const struct rk_vessel *vs = v->call != NULL && v->call->vessel != RK_NONE
                                     ? RK_AT(c->vessels, struct rk_vessel, v->call->vessel)
                                     : NULL;
    static const int voyage[] = {
        VG_F_VOYAGE_AIS_GAP_HOURS, VG_F_VOYAGE_AIS_GAPS,        VG_F_VOYAGE_DARK_PORT_CALL_FEASIBLE,
        VG_F_VOYAGE_ENCOUNTERS,    VG_F_VOYAGE_LOITERING_HOURS, VG_F_VOYAGE_LOITERING_NEAR_COAST
    };
    if (vs == NULL) {
        struct vg_slice why = VG_SLICE_LIT("the vessel of the trip is not known");
        rk_unknown(v, VG_F_VESSEL_TYPE, why);
        rk_unknown(v, VG_F_VESSEL_FLAG, why);
        rk_unknown(v, VG_F_VESSEL_IDENTITY_CHANGES, why);
        for (size_t i = 0; i < sizeof(voyage) / sizeof(voyage[0]); i++) {
            rk_unknown(v, voyage[i], why);
        }
        rk_unknown(v, VG_F_ANCHORAGE_WAIT_HOURS, why);
        return VG_OK;
    }
    int64_t vmsg = v->call->message_id;
    /* Kind: from the AIS ship type; cargo ships that carry many containers on the call
     * are container ships. */
    int st = vs->ship_type;
    const char *kind = NULL;
    if (st >= 80 && st <= 89) {
        kind = "tanker";
    } else if (st >= 70 && st <= 79) {
        kind = v->call->containers >= 20 ? "container" : "general_cargo";
    } else if (st >= 60 && st <= 69) {
        kind = "other";
    } else if (st == 0 && v->call->containers >= 20) {
        kind = "container";
    } else if (st != 0) {
        kind = "other";
    }
    if (kind == NULL) {
        rk_unknown(v, VG_F_VESSEL_TYPE,
                   VG_SLICE_LIT("no AIS ship type and few containers on the call"));
    } else {
        rk_set(v, VG_F_VESSEL_TYPE, vg_value_string(vg_slice_from_cstr(kind)));
        rk_cite_msg(v, VG_F_VESSEL_TYPE, vmsg, 0);
    }
    /* Flag: as the carriers report it, else from the MMSI's MID. */
    struct vg_slice flag = rk_str(&c->s, vs->flag);
    if (flag.len == 2) {
        rk_set(v, VG_F_VESSEL_FLAG, vg_value_string(flag));
        rk_cite_msg(v, VG_F_VESSEL_FLAG, vmsg, 0);
    } else {
        struct vg_mmsi m;
        struct vg_error e;
        if (vs->mmsi != 0 && vg_mmsi_classify(vs->mmsi, &m, &e) == VG_OK && m.flag[0] != '\0') {
            rk_set(v, VG_F_VESSEL_FLAG, vg_value_string(rk_fmt(v, "%s", m.flag)));
        } else {
            rk_unknown(v, VG_F_VESSEL_FLAG, VG_SLICE_LIT("no flag reported and no MMSI known"));
        }
    }
    identity(v, vs);

    if (rk_need(v, VG_F_VOYAGE_AIS_GAP_HOURS, VG_FEED_AIS)) {
        for (size_t i = 1; i < sizeof(voyage) / sizeof(voyage[0]); i++) {
            rk_need(v, voyage[i], VG_FEED_AIS);
        }
    } else if (v->trip->direction == RK_IMPORT || !v->loaded) {
        struct vg_slice why = v->trip->direction == RK_IMPORT
                                  ? VG_SLICE_LIT("an import: its voyage ends at this port")
                                  : VG_SLICE_LIT("the vessel has not sailed yet");
        for (size_t i = 0; i < sizeof(voyage) / sizeof(voyage[0]); i++) {
            rk_unknown(v, voyage[i], why);
        }
    } else {
        /* The voyage: from loading to arrival at the port of discharge, or as_of. */
        int64_t dep = v->t_load;
        int64_t end = v->as_of;
        struct vg_slice pod = v->rec[VG_F_DISCHARGE_PORT].kind == VG_VALUE_STRING
                                  ? v->rec[VG_F_DISCHARGE_PORT].as.string
                                  : VG_SLICE_EMPTY;
        const struct rk_vevent *ev = RK_AT(c->vevents, struct rk_vevent, vs->ev_off);
        for (uint32_t i = 0; i < vs->ev_n && pod.len > 0; i++) {
            if (ev[i].kind == RK_VEV_PORT_VISIT && ev[i].start > dep + 3 * 3600 &&
                ev[i].start < end && vg_slice_eq(rk_str(&c->s, ev[i].port), pod)) {
                end = ev[i].start;
                break;
            }
        }
        double gap_max = 0, loiter = 0;
        size_t gaps = 0, meets = 0;
        bool dark = false, coast = false;
        for (uint32_t i = 0; i < vs->ev_n; i++) {
            const struct rk_vevent *e = &ev[i];
            if (e->start < dep - 3600 || e->end > end) {
                continue;
            }
            double hours = (double)(e->end - e->start) / 3600.0;
            switch (e->kind) {
            case RK_VEV_GAP:
                gaps++;
                gap_max = hours > gap_max ? hours : gap_max;
                rk_cite(v, VG_F_VOYAGE_AIS_GAPS, RK_SRC_VESSEL_EVENT, e->id, 0);
                rk_cite(v, VG_F_VOYAGE_AIS_GAP_HOURS, RK_SRC_VESSEL_EVENT, e->id, 0);
                if (!dark && dark_call_fits(c, e)) {
                    dark = true;
                    rk_cite(v, VG_F_VOYAGE_DARK_PORT_CALL_FEASIBLE, RK_SRC_VESSEL_EVENT, e->id, 0);
                }
                break;
            case RK_VEV_ENCOUNTER:
                meets++;
                rk_cite(v, VG_F_VOYAGE_ENCOUNTERS, RK_SRC_VESSEL_EVENT, e->id, 0);
                break;
            case RK_VEV_LOITERING:
                loiter += hours;
                rk_cite(v, VG_F_VOYAGE_LOITERING_HOURS, RK_SRC_VESSEL_EVENT, e->id, 0);
                if (!coast &&
                    (vg_slice_eq_cstr(rk_str(&c->s, e->variant), "nearshore_night") ||
                     (e->shore_nm <= 50 && hours >= 2 && off_peru_ecuador(e->lat, e->lon) &&
                      partly_night(e->start, e->end, e->lon)))) {
                    coast = true;
                    rk_cite(v, VG_F_VOYAGE_LOITERING_NEAR_COAST, RK_SRC_VESSEL_EVENT, e->id, 0);
                }
                break;
            default:
                break;
            }
        }
        rk_set(v, VG_F_VOYAGE_AIS_GAP_HOURS, vg_value_number(gap_max));
        rk_set(v, VG_F_VOYAGE_AIS_GAPS, vg_value_number((double)gaps));
        rk_set(v, VG_F_VOYAGE_DARK_PORT_CALL_FEASIBLE, vg_value_bool(dark));
        rk_set(v, VG_F_VOYAGE_ENCOUNTERS, vg_value_number((double)meets));
        rk_set(v, VG_F_VOYAGE_LOITERING_HOURS, vg_value_number(loiter));
        rk_set(v, VG_F_VOYAGE_LOITERING_NEAR_COAST, vg_value_bool(coast));
    }
    rk_unknown(v, VG_F_ANCHORAGE_WAIT_HOURS,
               VG_SLICE_LIT("anchorage waits are not derived from AIS yet"));
    return VG_OK;
}
