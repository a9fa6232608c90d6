/* Maritime thresholds: defaults, setting by name, listing (vigia/maritime.h). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/maritime.h>

void vg_maritime_params_default(struct vg_maritime_params *p)
{
    memset(p, 0, sizeof(*p));
    p->port_entry_km = 8;
    p->port_exit_km = 10;
    p->port_stop_kn = 0.2;
    p->port_restart_kn = 0.5;
    p->port_min_hours = 3;
    p->gap_hours = 12;
    p->gap_offshore_nm = 50;
    p->nearshore_gaps = true;
    p->nearshore_gap_hours = 2;
    p->nearshore_nm = 30;
    p->encounter_max_m = 500;
    p->encounter_max_kn = 2;
    p->encounter_min_hours = 2;
    p->encounter_min_port_km = 10;
    p->short_meetings = true;
    p->meeting_min_minutes = 15;
    p->meeting_max_kn = 3;
    p->loiter_max_kn = 2;
    p->loiter_min_hours = 4;
    p->loiter_min_shore_nm = 20;
    p->nearshore_loitering = true;
    p->nearshore_loiter_hours = 1;
    p->nearshore_loiter_min_nm = 3;
    p->nearshore_loiter_max_nm = 50;
    p->anchorage_km = 15;
    p->pilot_area_km = 30;
    p->river_suppression = true;
}

struct param_def {
    const char *name;
    size_t offset;
    bool is_bool;
    const char *meaning;
};

#define NUM(f, m)                                      \
 {                                                     \
#  f, offsetof(struct vg_maritime_params, f), false, m \
 }
#define BOOL(f, m)                                    \
 {                                                    \
#  f, offsetof(struct vg_maritime_params, f), true, m \
 }

static const struct param_def defs[] = {
    NUM(port_entry_km, "a port visit starts within this distance of the port (km)"),
    NUM(port_exit_km, "and ends beyond this distance (km)"),
    NUM(port_stop_kn, "stopped below this speed (kn)"),
    NUM(port_restart_kn, "moving again above this speed (kn)"),
    NUM(port_min_hours, "shortest port visit (h)"),
    NUM(gap_hours, "AIS gap offshore: silent at least this long (h) [GFW]"),
    NUM(gap_offshore_nm, "both ends of an offshore gap beyond this from shore (nm) [GFW]"),
    BOOL(nearshore_gaps, "also report near-shore gaps of class A ships (Peru variant)"),
    NUM(nearshore_gap_hours, "near-shore gap: silent at least this long (h)"),
    NUM(nearshore_nm, "near shore means within this distance of the coast (nm)"),
    NUM(encounter_max_m, "encounter: vessels within this distance (m) [GFW]"),
    NUM(encounter_max_kn, "encounter: both slower than this (kn) [GFW]"),
    NUM(encounter_min_hours, "encounter: together at least this long (h) [GFW]"),
    NUM(encounter_min_port_km, "encounter: at least this far from a port (km) [GFW]"),
    BOOL(short_meetings, "also report short meetings of a ship with a small craft (Peru)"),
    NUM(meeting_min_minutes, "short meeting: together at least this long (min)"),
    NUM(meeting_max_kn, "short meeting: both slower than this (kn)"),
    NUM(loiter_max_kn, "loitering: slower than this on average (kn) [GFW]"),
    NUM(loiter_min_hours, "loitering: at least this long (h) [GFW]"),
    NUM(loiter_min_shore_nm, "loitering: at least this far from shore (nm) [GFW]"),
    BOOL(nearshore_loitering, "also report night loitering of ships near the coast (Peru)"),
    NUM(nearshore_loiter_hours, "near-shore loitering: at least this long (h)"),
    NUM(nearshore_loiter_min_nm, "near-shore loitering: at least this far from shore (nm)"),
    NUM(nearshore_loiter_max_nm, "near-shore loitering: at most this far from shore (nm)"),
    NUM(anchorage_km, "slow within this distance of a port is waiting at anchor (km)"),
    NUM(pilot_area_km,
        "meetings with pilot boats and tugs within this distance of a port are"
        " normal (km)"),
    BOOL(river_suppression, "no encounters or loitering on the Amazon (river transit)"),
};

enum vg_status vg_maritime_param_set(struct vg_maritime_params *p,
                                     const char *name,
                                     const char *value,
                                     struct vg_error *err)
{
    for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
        if (strcmp(defs[i].name, name) != 0) {
            continue;
        }
        char *field = (char *)p + defs[i].offset;
        if (defs[i].is_bool) {
            bool v;
            if (strcmp(value, "true") == 0 || strcmp(value, "1") == 0 || strcmp(value, "on") == 0) {
                v = true;
            } else if (strcmp(value, "false") == 0 || strcmp(value, "0") == 0 ||
                       strcmp(value, "off") == 0) {
                v = false;
            } else {
                return vg_error_set(err, VG_EINVAL, "%s must be true or false, not '%s'", name,
                                    value);
            }
            memcpy(field, &v, sizeof(v));
            return VG_OK;
        }
        char *end = NULL;
        double v = strtod(value, &end);
        if (end == value || *end != '\0' || v < 0) {
            return vg_error_set(err, VG_EINVAL, "%s must be a number >= 0, not '%s'", name, value);
        }
        memcpy(field, &v, sizeof(v));
        return VG_OK;
    }
    return vg_error_set(err, VG_EINVAL, "unknown maritime parameter '%s'", name);
}

void vg_maritime_params_foreach(
    const struct vg_maritime_params *p,
    void (*fn)(void *user, const char *name, const char *value, const char *meaning),
    void *user)
{
    for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
        const char *field = (const char *)p + defs[i].offset;
        char value[32];
        if (defs[i].is_bool) {
            bool v;
            memcpy(&v, field, sizeof(v));
            snprintf(value, sizeof(value), "%s", v ? "true" : "false");
        } else {
            double v;
            memcpy(&v, field, sizeof(v));
            snprintf(value, sizeof(value), "%g", v);
        }
        fn(user, defs[i].name, value, defs[i].meaning);
    }
}

const char *vg_vessel_event_kind_name(enum vg_vessel_event_kind kind)
{
    switch (kind) {
    case VG_EVENT_PORT_VISIT:
        return "port_visit";
    case VG_EVENT_GAP:
        return "gap";
    case VG_EVENT_ENCOUNTER:
        return "encounter";
    case VG_EVENT_LOITERING:
        return "loitering";
    }
    return "unknown";
}
