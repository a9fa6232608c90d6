/*
 * CSV output: one RFC 4180 record per message with a fixed set of columns, the fields that
 * most users load into a spreadsheet or a database (position, static and voyage data,
 * safety text). Values are scaled as in the JSON output; "not available" values are empty
 * cells. The type-specific fields of the rarer messages are only in the JSON output.
 */
#include "ais/ais_int.h"

#include <math.h>
#include <string.h>

#include <vigia/time.h>

#define LIT(o, s) vg__out_mem((o), "" s "", sizeof(s) - 1)

const char *vg_ais_csv_header(void)
{
    return "type,repeat,mmsi,rxtime,station,status,turn,speed,accuracy,lon,lat,course,"
           "heading,second,imo,callsign,shipname,shiptype,to_bow,to_stern,to_port,"
           "to_starboard,draught,eta,destination,text\r\n";
}

static void cell_text(struct vg__out *o, const char *s)
{
    size_t n = strlen(s);
    bool quote = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n') {
            quote = true;
            break;
        }
    }
    if (!quote) {
        vg__out_mem(o, s, n);
        return;
    }
    vg__out_char(o, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') {
            vg__out_char(o, '"');
        }
        vg__out_char(o, s[i]);
    }
    vg__out_char(o, '"');
}

enum vg_status vg_ais_csv_write(const struct vg_ais_msg *msg, char *buf, size_t cap,
                                size_t *len)
{
    struct vg__out o = { buf, buf + cap, false };
    struct vg_ais_fix fix;
    struct vg_ais_static st;
    bool has_fix = vg_ais_msg_fix(msg, &fix);
    bool has_static = vg_ais_msg_static(msg, &st);

    vg__out_u64(&o, msg->type);
    vg__out_char(&o, ',');
    vg__out_u64(&o, msg->repeat);
    vg__out_char(&o, ',');
    vg__out_u64(&o, msg->mmsi);
    vg__out_char(&o, ',');
    if (msg->meta.rx_time_ms != VG_TIME_NONE) {
        vg__out_time_ms(&o, msg->meta.rx_time_ms);
    }
    vg__out_char(&o, ',');
    cell_text(&o, msg->meta.station);
    vg__out_char(&o, ',');

    /* status, turn, speed, accuracy, lon, lat, course, heading, second */
    if (has_fix && fix.has_status) {
        vg__out_u64(&o, fix.status);
    }
    vg__out_char(&o, ',');
    if (has_fix && fix.has_turn) {
        int64_t tenths = (int64_t)floor(fabs(fix.turn) * 10.0 + 0.5);
        vg__out_fixed(&o, fix.turn < 0 ? -tenths : tenths, 10, 1);
    }
    vg__out_char(&o, ',');
    if (has_fix && fix.has_speed) {
        if (msg->type == 9 || msg->type == 27) {
            vg__out_u64(&o, (uint64_t)fix.speed);
        } else {
            vg__out_fixed(&o, (int64_t)floor(fix.speed * 10.0 + 0.5), 10, 1);
        }
    }
    vg__out_char(&o, ',');
    if (has_fix) {
        vg__out_char(&o, fix.accuracy ? '1' : '0');
    }
    vg__out_char(&o, ',');
    if (has_fix && fix.has_position) {
        int32_t lon, lat, per_degree;
        vg__ais_raw_position(msg, &lon, &lat, &per_degree);
        unsigned dec = per_degree == 600 ? 4 : 6;
        vg__out_fixed(&o, lon, per_degree, dec);
        vg__out_char(&o, ',');
        vg__out_fixed(&o, lat, per_degree, dec);
    } else {
        vg__out_char(&o, ',');
    }
    vg__out_char(&o, ',');
    if (has_fix && fix.has_course) {
        if (msg->type == 27) {
            vg__out_u64(&o, msg->u.t27.course);
        } else {
            vg__out_fixed(&o, (int64_t)floor(fix.course * 10.0 + 0.5), 10, 1);
        }
    }
    vg__out_char(&o, ',');
    if (has_fix && fix.has_heading) {
        vg__out_u64(&o, fix.heading);
    }
    vg__out_char(&o, ',');
    if (has_fix && fix.second < 60) {
        vg__out_u64(&o, fix.second);
    }
    vg__out_char(&o, ',');

    /* imo, callsign, shipname, shiptype, dimensions, draught, eta, destination */
    if (has_static && st.imo != 0) {
        vg__out_u64(&o, st.imo);
    }
    vg__out_char(&o, ',');
    if (has_static) {
        cell_text(&o, st.callsign);
    }
    vg__out_char(&o, ',');
    if (has_static) {
        cell_text(&o, st.name);
    }
    vg__out_char(&o, ',');
    if (has_static && st.has_shiptype) {
        vg__out_u64(&o, st.shiptype);
    }
    vg__out_char(&o, ',');
    if (has_static && st.has_dimensions) {
        vg__out_u64(&o, st.to_bow);
        vg__out_char(&o, ',');
        vg__out_u64(&o, st.to_stern);
        vg__out_char(&o, ',');
        vg__out_u64(&o, st.to_port);
        vg__out_char(&o, ',');
        vg__out_u64(&o, st.to_starboard);
    } else {
        LIT(&o, ",,,");
    }
    vg__out_char(&o, ',');
    if (has_static && st.has_draught) {
        vg__out_fixed(&o, msg->u.t5.draught, 10, 1);
    }
    vg__out_char(&o, ',');
    if (has_static && st.has_eta) {
        vg__out_2d(&o, st.eta_month);
        vg__out_char(&o, '-');
        vg__out_2d(&o, st.eta_day);
        vg__out_char(&o, 'T');
        vg__out_2d(&o, st.eta_hour);
        vg__out_char(&o, ':');
        vg__out_2d(&o, st.eta_minute);
        vg__out_char(&o, 'Z');
    }
    vg__out_char(&o, ',');
    if (has_static) {
        cell_text(&o, st.destination);
    }
    vg__out_char(&o, ',');

    /* text: safety messages and text applications */
    if (msg->type == 12 || msg->type == 14) {
        cell_text(&o, msg->u.safety.text);
    } else if ((msg->type == 6 || msg->type == 8) && msg->u.bin.app == VG_AIS_APP_TEXT) {
        cell_text(&o, msg->u.bin.a.text.text);
    }
    LIT(&o, "\r\n");
    if (o.full) {
        *len = 0;
        return VG_ELIMIT;
    }
    *len = (size_t)(o.p - buf);
    return VG_OK;
}
