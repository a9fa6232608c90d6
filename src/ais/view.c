/*
 * Plain-unit views of decoded messages: the position report and the static data that the
 * store and the maritime analyses need, with M.1371-5's "not available" values and
 * out-of-range values turned into has_ flags.
 */
#include "ais/ais_int.h"

#include <string.h>

/* Position in 1/10000 minute (600000 per degree) or 1/10 minute (600). */
static void set_position(struct vg_ais_fix *f, int32_t lon, int32_t lat, int32_t per_degree)
{
    double x = lon / (double)per_degree;
    double y = lat / (double)per_degree;
    if (x >= -180.0 && x <= 180.0 && y >= -90.0 && y <= 90.0) {
        f->has_position = true;
        f->lon = x;
        f->lat = y;
    }
}

static void set_speed_tenths(struct vg_ais_fix *f, uint16_t speed)
{
    if (speed != VG_AIS_SPEED_NA) {
        f->has_speed = true;
        f->speed = speed / 10.0;
    }
}

static void set_course_tenths(struct vg_ais_fix *f, uint16_t course)
{
    if (course < 3600) {
        f->has_course = true;
        f->course = course / 10.0;
    }
}

static void set_heading(struct vg_ais_fix *f, uint16_t heading)
{
    if (heading < 360) {
        f->has_heading = true;
        f->heading = heading;
    }
}

bool vg__ais_raw_position(const struct vg_ais_msg *msg, int32_t *lon, int32_t *lat,
                          int32_t *per_degree)
{
    *per_degree = 600000;
    switch (msg->type) {
    case 1:
    case 2:
    case 3:
        *lon = msg->u.t1.lon;
        *lat = msg->u.t1.lat;
        return true;
    case 4:
    case 11:
        *lon = msg->u.t4.lon;
        *lat = msg->u.t4.lat;
        return true;
    case 9:
        *lon = msg->u.t9.lon;
        *lat = msg->u.t9.lat;
        return true;
    case 18:
    case 19:
        /* Same leading layout in both (struct vg_ais_classb). */
        *lon = msg->type == 18 ? msg->u.t18.pos.lon : msg->u.t19.pos.lon;
        *lat = msg->type == 18 ? msg->u.t18.pos.lat : msg->u.t19.pos.lat;
        return true;
    case 21:
        *lon = msg->u.t21.lon;
        *lat = msg->u.t21.lat;
        return true;
    case 27:
        *lon = msg->u.t27.lon;
        *lat = msg->u.t27.lat;
        *per_degree = 600;
        return true;
    default:
        return false;
    }
}

bool vg_ais_msg_fix(const struct vg_ais_msg *msg, struct vg_ais_fix *out)
{
    memset(out, 0, sizeof(*out));
    out->second = VG_AIS_SECOND_NA;
    int32_t lon, lat, per_degree;
    if (!vg__ais_raw_position(msg, &lon, &lat, &per_degree)) {
        return false;
    }
    set_position(out, lon, lat, per_degree);
    switch (msg->type) {
    case 1:
    case 2:
    case 3: {
        const struct vg_ais_t1 *t = &msg->u.t1;
        set_speed_tenths(out, t->speed);
        set_course_tenths(out, t->course);
        set_heading(out, t->heading);
        if (t->status != VG_AIS_STATUS_NA) {
            out->has_status = true;
            out->status = t->status;
        }
        /* ROT_AIS = 4.733 * sqrt(ROT) degrees per minute, signed; +-127 and -128 carry no
         * rate (M.1371-5 table 45). */
        if (t->turn > -127 && t->turn < 127) {
            double r = t->turn / 4.733;
            out->has_turn = true;
            out->turn = t->turn < 0 ? -(r * r) : r * r;
        }
        out->accuracy = t->accuracy;
        out->second = t->second;
        break;
    }
    case 4:
    case 11:
        out->accuracy = msg->u.t4.accuracy;
        out->second = msg->u.t4.second < 60 ? msg->u.t4.second : VG_AIS_SECOND_NA;
        break;
    case 9: {
        const struct vg_ais_t9 *t = &msg->u.t9;
        if (t->speed != 1023) {
            out->has_speed = true;
            out->speed = t->speed; /* knots for aircraft */
        }
        set_course_tenths(out, t->course);
        out->accuracy = t->accuracy;
        out->second = t->second;
        break;
    }
    case 18:
    case 19: {
        const struct vg_ais_classb *t = msg->type == 18 ? &msg->u.t18.pos : &msg->u.t19.pos;
        set_speed_tenths(out, t->speed);
        set_course_tenths(out, t->course);
        set_heading(out, t->heading);
        out->accuracy = t->accuracy;
        out->second = t->second;
        break;
    }
    case 21:
        out->accuracy = msg->u.t21.accuracy;
        out->second = msg->u.t21.second;
        break;
    default: { /* 27 */
        const struct vg_ais_t27 *t = &msg->u.t27;
        if (t->speed != 63) {
            out->has_speed = true;
            out->speed = t->speed;
        }
        if (t->course < 360) {
            out->has_course = true;
            out->course = t->course;
        }
        if (t->status != VG_AIS_STATUS_NA) {
            out->has_status = true;
            out->status = t->status;
        }
        out->accuracy = t->accuracy;
        break;
    }
    }
    return true;
}

static void set_dimensions(struct vg_ais_static *s, uint16_t bow, uint16_t stern, uint8_t port,
                           uint8_t starboard)
{
    if (bow != 0 || stern != 0 || port != 0 || starboard != 0) {
        s->has_dimensions = true;
        s->to_bow = bow;
        s->to_stern = stern;
        s->to_port = port;
        s->to_starboard = starboard;
    }
}

static void set_shiptype(struct vg_ais_static *s, uint8_t shiptype)
{
    if (shiptype != 0) {
        s->has_shiptype = true;
        s->shiptype = shiptype;
    }
}

bool vg_ais_msg_static(const struct vg_ais_msg *msg, struct vg_ais_static *out)
{
    memset(out, 0, sizeof(*out));
    switch (msg->type) {
    case 5: {
        const struct vg_ais_t5 *t = &msg->u.t5;
        out->imo = t->imo;
        memcpy(out->callsign, t->callsign, sizeof(out->callsign));
        memcpy(out->name, t->shipname, sizeof(t->shipname));
        set_shiptype(out, t->shiptype);
        set_dimensions(out, t->to_bow, t->to_stern, t->to_port, t->to_starboard);
        if (t->month >= 1 && t->month <= 12 && t->day >= 1 && t->day <= 31) {
            out->has_eta = true;
            out->eta_month = t->month;
            out->eta_day = t->day;
            out->eta_hour = t->hour;
            out->eta_minute = t->minute;
        }
        if (t->draught != VG_AIS_DRAUGHT_NA) {
            out->has_draught = true;
            out->draught = t->draught / 10.0;
        }
        memcpy(out->destination, t->destination, sizeof(out->destination));
        return true;
    }
    case 19: {
        const struct vg_ais_t19 *t = &msg->u.t19;
        memcpy(out->name, t->shipname, sizeof(t->shipname));
        set_shiptype(out, t->shiptype);
        set_dimensions(out, t->to_bow, t->to_stern, t->to_port, t->to_starboard);
        return true;
    }
    case 21: {
        const struct vg_ais_t21 *t = &msg->u.t21;
        memcpy(out->name, t->name, sizeof(out->name));
        set_dimensions(out, t->to_bow, t->to_stern, t->to_port, t->to_starboard);
        return true;
    }
    case 24: {
        const struct vg_ais_t24 *t = &msg->u.t24;
        if (t->partno == 0) {
            memcpy(out->name, t->shipname, sizeof(t->shipname));
        } else {
            memcpy(out->callsign, t->callsign, sizeof(out->callsign));
            set_shiptype(out, t->shiptype);
            set_dimensions(out, t->to_bow, t->to_stern, t->to_port, t->to_starboard);
        }
        return true;
    }
    default:
        return false;
    }
}
