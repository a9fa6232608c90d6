/*
 * JSON output in gpsd's dialect: the field names, order and scaling of `gpsdecode -j`
 * (gpsd 3.22, "scaled" mode), so that users can compare and reuse gpsd tooling. Where vigia
 * departs from gpsd (signed rate of turn, type 24 parts, type 27 status and precision,
 * message 22/23 corners as numbers, ...) docs/ais.md says why.
 *
 * Everything is formatted by hand into the caller's buffer (fmt.c); nothing allocates.
 */
#include "ais/ais_int.h"

#include <math.h>
#include <string.h>

#include <vigia/time.h>

#define LIT(o, s) vg__out_mem((o), "" s "", sizeof(s) - 1)

void vg_ais_json_init(struct vg_ais_json *w, const char *device)
{
    struct vg__out o = { w->prefix, w->prefix + sizeof(w->prefix), false };
    if (device == NULL) {
        device = "stdin";
    }
    size_t n = strlen(device);
    if (n > 200) {
        n = 200;
    }
    LIT(&o, "{\"class\":\"AIS\",\"device\":\"");
    vg__out_json_str(&o, device, n);
    LIT(&o, "\",\"type\":");
    w->prefix_len = (size_t)(o.p - w->prefix);
}

static void out_bool(struct vg__out *o, bool v)
{
    if (v) {
        LIT(o, "true");
    } else {
        LIT(o, "false");
    }
}

static void out_str(struct vg__out *o, const char *s)
{
    vg__out_char(o, '"');
    vg__out_json_str(o, s, strlen(s));
    vg__out_char(o, '"');
}

/* Degrees from 1/10000 minute, 6 decimals (gpsd's %.6f). */
static void out_deg6(struct vg__out *o, int32_t raw)
{
    vg__out_fixed(o, raw, 600000, 6);
}

/* Degrees from 1/10 minute, 4 decimals (the resolution is 1/600 degree). */
static void out_deg_tenth_min(struct vg__out *o, int32_t raw)
{
    vg__out_fixed(o, raw, 600, 4);
}

static void out_speed_tenths(struct vg__out *o, uint16_t speed)
{
    if (speed == VG_AIS_SPEED_NA) {
        LIT(o, "\"nan\"");
    } else if (speed == VG_AIS_SPEED_FAST) {
        LIT(o, "\"fast\"");
    } else {
        vg__out_fixed(o, speed, 10, 1);
    }
}

/* Signed rate of turn in degrees per minute, one decimal; gpsd's words for the special
 * values. */
static void out_turn(struct vg__out *o, int8_t turn)
{
    if (turn == VG_AIS_TURN_NA) {
        LIT(o, "\"nan\"");
    } else if (turn == -127) {
        LIT(o, "\"fastleft\"");
    } else if (turn == 127) {
        LIT(o, "\"fastright\"");
    } else {
        double r = turn / 4.733;
        int64_t tenths = (int64_t)floor(r * r * 10.0 + 0.5);
        vg__out_fixed(o, turn < 0 ? -tenths : tenths, 10, 1);
    }
}

static void out_data(struct vg__out *o, uint16_t bitcount, const uint8_t *data)
{
    LIT(o, ",\"data\":\"");
    vg__out_u64(o, bitcount);
    vg__out_char(o, ':');
    vg__out_hex(o, data, bitcount);
    vg__out_char(o, '"');
}

static void out_dims(struct vg__out *o, unsigned bow, unsigned stern, unsigned port,
                     unsigned starboard)
{
    LIT(o, ",\"to_bow\":");
    vg__out_u64(o, bow);
    LIT(o, ",\"to_stern\":");
    vg__out_u64(o, stern);
    LIT(o, ",\"to_port\":");
    vg__out_u64(o, port);
    LIT(o, ",\"to_starboard\":");
    vg__out_u64(o, starboard);
}

static void out_shiptype(struct vg__out *o, unsigned shiptype)
{
    LIT(o, ",\"shiptype\":");
    vg__out_u64(o, shiptype);
    LIT(o, ",\"shiptype_text\":");
    out_str(o, vg_ais_shiptype_text(shiptype));
}

static void out_epfd(struct vg__out *o, unsigned epfd)
{
    LIT(o, ",\"epfd\":");
    vg__out_u64(o, epfd);
    LIT(o, ",\"epfd_text\":");
    out_str(o, vg_ais_epfd_text(epfd));
}

static void out_lonlat6(struct vg__out *o, int32_t lon, int32_t lat)
{
    LIT(o, ",\"lon\":");
    out_deg6(o, lon);
    LIT(o, ",\"lat\":");
    out_deg6(o, lat);
}

/* Message 22/23 corners (1/10 minute) with gpsd's six decimals, as numbers. */
static void out_corners(struct vg__out *o, int32_t ne_lon, int32_t ne_lat, int32_t sw_lon,
                        int32_t sw_lat)
{
    LIT(o, ",\"ne_lon\":");
    vg__out_fixed(o, ne_lon, 600, 6);
    LIT(o, ",\"ne_lat\":");
    vg__out_fixed(o, ne_lat, 600, 6);
    LIT(o, ",\"sw_lon\":");
    vg__out_fixed(o, sw_lon, 600, 6);
    LIT(o, ",\"sw_lat\":");
    vg__out_fixed(o, sw_lat, 600, 6);
}

static void out_1(struct vg__out *o, const struct vg_ais_t1 *t)
{
    LIT(o, ",\"status\":");
    vg__out_u64(o, t->status);
    LIT(o, ",\"status_text\":");
    out_str(o, vg_ais_status_text(t->status));
    LIT(o, ",\"turn\":");
    out_turn(o, t->turn);
    LIT(o, ",\"speed\":");
    out_speed_tenths(o, t->speed);
    LIT(o, ",\"accuracy\":");
    out_bool(o, t->accuracy);
    out_lonlat6(o, t->lon, t->lat);
    LIT(o, ",\"course\":");
    vg__out_fixed(o, t->course, 10, 1);
    LIT(o, ",\"heading\":");
    vg__out_u64(o, t->heading);
    LIT(o, ",\"second\":");
    vg__out_u64(o, t->second);
    LIT(o, ",\"maneuver\":");
    vg__out_u64(o, t->maneuver);
    LIT(o, ",\"raim\":");
    out_bool(o, t->raim);
    LIT(o, ",\"radio\":");
    vg__out_u64(o, t->radio);
}

static void out_4(struct vg__out *o, const struct vg_ais_t4 *t)
{
    LIT(o, ",\"timestamp\":\"");
    if (t->year < 10000) {
        vg__out_2d(o, t->year / 100u);
        vg__out_2d(o, t->year % 100u);
    } else {
        vg__out_u64(o, t->year);
    }
    vg__out_char(o, '-');
    vg__out_2d(o, t->month);
    vg__out_char(o, '-');
    vg__out_2d(o, t->day);
    vg__out_char(o, 'T');
    vg__out_2d(o, t->hour);
    vg__out_char(o, ':');
    vg__out_2d(o, t->minute);
    vg__out_char(o, ':');
    vg__out_2d(o, t->second);
    LIT(o, "Z\",\"accuracy\":");
    out_bool(o, t->accuracy);
    out_lonlat6(o, t->lon, t->lat);
    out_epfd(o, t->epfd);
    LIT(o, ",\"raim\":");
    out_bool(o, t->raim);
    LIT(o, ",\"radio\":");
    vg__out_u64(o, t->radio);
}

static void out_5(struct vg__out *o, const struct vg_ais_t5 *t)
{
    LIT(o, ",\"imo\":");
    vg__out_u64(o, t->imo);
    LIT(o, ",\"ais_version\":");
    vg__out_u64(o, t->ais_version);
    LIT(o, ",\"callsign\":");
    out_str(o, t->callsign);
    LIT(o, ",\"shipname\":");
    out_str(o, t->shipname);
    out_shiptype(o, t->shiptype);
    out_dims(o, t->to_bow, t->to_stern, t->to_port, t->to_starboard);
    out_epfd(o, t->epfd);
    LIT(o, ",\"eta\":\"");
    vg__out_2d(o, t->month);
    vg__out_char(o, '-');
    vg__out_2d(o, t->day);
    vg__out_char(o, 'T');
    vg__out_2d(o, t->hour);
    vg__out_char(o, ':');
    vg__out_2d(o, t->minute);
    LIT(o, "Z\",\"draught\":");
    vg__out_fixed(o, t->draught, 10, 1);
    LIT(o, ",\"destination\":");
    out_str(o, t->destination);
    LIT(o, ",\"dte\":");
    vg__out_u64(o, t->dte);
}

static const char *racon_text(unsigned v)
{
    static const char *const texts[4] = { "No RACON installed", "RACON not monitored",
                                          "RACON operational", "RACON ERROR" };
    return texts[v & 3];
}

static const char *light_text(unsigned v)
{
    static const char *const texts[4] = { "No light or no monitoring", "Light ON", "Light OFF",
                                          "Light ERROR" };
    return texts[v & 3];
}

static const char *hazard_text(unsigned v)
{
    static const char *const texts[8] = { "0 blue cones/lights", "1 blue cone/light",
                                          "2 blue cones/lights", "3 blue cones/lights",
                                          "4 B-Flag",            "Unknown",
                                          "Reserved",            "Reserved" };
    return texts[v & 7];
}

static const char *loaded_text(unsigned v)
{
    /* gpsd's reading of the inland "loaded/unloaded" code. */
    static const char *const texts[4] = { "N/A (default)", "Unloaded", "Loaded", "Reserved" };
    return texts[v & 3];
}

static void out_binary(struct vg__out *o, unsigned type, const struct vg_ais_binary *b)
{
    if (type == 6) {
        LIT(o, ",\"seqno\":");
        vg__out_u64(o, b->seqno);
        LIT(o, ",\"dest_mmsi\":");
        vg__out_u64(o, b->dest_mmsi);
        LIT(o, ",\"retransmit\":");
        out_bool(o, b->retransmit);
    }
    LIT(o, ",\"dac\":");
    vg__out_u64(o, b->dac);
    LIT(o, ",\"fid\":");
    vg__out_u64(o, b->fid);
    switch (b->app) {
    case VG_AIS_APP_TEXT:
        LIT(o, ",\"linkage\":");
        vg__out_u64(o, b->a.text.linkage);
        LIT(o, ",\"text\":");
        out_str(o, b->a.text.text);
        break;
    case VG_AIS_APP_ATON_MONITOR: {
        const struct vg_ais_app_aton *a = &b->a.aton;
        LIT(o, ",\"off_pos\":");
        out_bool(o, a->off_pos);
        LIT(o, ",\"alarm\":");
        out_bool(o, a->alarm);
        LIT(o, ",\"stat_ext\":");
        vg__out_u64(o, a->stat_ext);
        LIT(o, ",\"ana_int\":");
        vg__out_fixed(o, (int64_t)a->ana_int * 5, 100, 2);
        LIT(o, ",\"ana_ext1\":");
        vg__out_fixed(o, (int64_t)a->ana_ext1 * 5, 100, 2);
        LIT(o, ",\"ana_ext2\":");
        vg__out_fixed(o, (int64_t)a->ana_ext2 * 5, 100, 2);
        LIT(o, ",\"racon\":");
        vg__out_u64(o, a->racon);
        LIT(o, ",\"racon_text\":");
        out_str(o, racon_text(a->racon));
        LIT(o, ",\"light\":");
        vg__out_u64(o, a->light);
        LIT(o, ",\"light_text\":");
        out_str(o, light_text(a->light));
        break;
    }
    case VG_AIS_APP_INLAND_STATIC: {
        const struct vg_ais_app_inland *a = &b->a.inland;
        LIT(o, ",\"vin\":");
        out_str(o, a->vin);
        LIT(o, ",\"length\":");
        vg__out_u64(o, a->length);
        LIT(o, ",\"beam\":");
        vg__out_u64(o, a->beam);
        LIT(o, ",\"shiptype\":");
        vg__out_u64(o, a->shiptype);
        LIT(o, ",\"hazard\":");
        vg__out_u64(o, a->hazard);
        LIT(o, ",\"hazard_text\":");
        out_str(o, hazard_text(a->hazard));
        LIT(o, ",\"draught\":");
        vg__out_u64(o, a->draught);
        LIT(o, ",\"loaded\":");
        vg__out_u64(o, a->loaded);
        LIT(o, ",\"loaded_text\":");
        out_str(o, loaded_text(a->loaded));
        LIT(o, ",\"speed_q\":");
        out_bool(o, a->speed_q);
        LIT(o, ",\"course_q\":");
        out_bool(o, a->course_q);
        LIT(o, ",\"heading_q\":");
        out_bool(o, a->heading_q);
        break;
    }
    case VG_AIS_APP_NONE:
        out_data(o, b->bitcount, b->data);
        break;
    }
}

static void out_ack(struct vg__out *o, const struct vg_ais_ack *a)
{
    static const char *const keys[4] = { ",\"mmsi1\":", ",\"mmsi2\":", ",\"mmsi3\":",
                                         ",\"mmsi4\":" };
    for (unsigned i = 0; i < 4; i++) {
        vg__out_mem(o, keys[i], strlen(keys[i]));
        vg__out_u64(o, a->mmsi[i]);
    }
}

static void out_9(struct vg__out *o, const struct vg_ais_t9 *t)
{
    LIT(o, ",\"alt\":");
    if (t->alt == 4095) {
        LIT(o, "\"nan\"");
    } else if (t->alt == 4094) {
        LIT(o, "\"high\"");
    } else {
        vg__out_u64(o, t->alt);
    }
    LIT(o, ",\"speed\":");
    if (t->speed == 1023) {
        LIT(o, "\"nan\"");
    } else if (t->speed == 1022) {
        LIT(o, "\"fast\"");
    } else {
        vg__out_u64(o, t->speed);
    }
    LIT(o, ",\"accuracy\":");
    out_bool(o, t->accuracy);
    out_lonlat6(o, t->lon, t->lat);
    LIT(o, ",\"course\":");
    vg__out_fixed(o, t->course, 10, 1);
    LIT(o, ",\"second\":");
    vg__out_u64(o, t->second);
    LIT(o, ",\"regional\":");
    vg__out_u64(o, t->regional);
    LIT(o, ",\"dte\":");
    vg__out_u64(o, t->dte);
    LIT(o, ",\"raim\":");
    out_bool(o, t->raim);
    LIT(o, ",\"radio\":");
    vg__out_u64(o, t->radio);
}

static void out_safety(struct vg__out *o, unsigned type, const struct vg_ais_safety *t)
{
    if (type == 12) {
        LIT(o, ",\"seqno\":");
        vg__out_u64(o, t->seqno);
        LIT(o, ",\"dest_mmsi\":");
        vg__out_u64(o, t->dest_mmsi);
        LIT(o, ",\"retransmit\":");
        out_bool(o, t->retransmit);
    }
    LIT(o, ",\"text\":");
    out_str(o, t->text);
}

static void out_15(struct vg__out *o, const struct vg_ais_t15 *t)
{
    LIT(o, ",\"mmsi1\":");
    vg__out_u64(o, t->mmsi1);
    LIT(o, ",\"type1_1\":");
    vg__out_u64(o, t->type1_1);
    LIT(o, ",\"offset1_1\":");
    vg__out_u64(o, t->offset1_1);
    LIT(o, ",\"type1_2\":");
    vg__out_u64(o, t->type1_2);
    LIT(o, ",\"offset1_2\":");
    vg__out_u64(o, t->offset1_2);
    LIT(o, ",\"mmsi2\":");
    vg__out_u64(o, t->mmsi2);
    LIT(o, ",\"type2_1\":");
    vg__out_u64(o, t->type2_1);
    LIT(o, ",\"offset2_1\":");
    vg__out_u64(o, t->offset2_1);
}

static void out_16(struct vg__out *o, const struct vg_ais_t16 *t)
{
    LIT(o, ",\"mmsi1\":");
    vg__out_u64(o, t->mmsi1);
    LIT(o, ",\"offset1\":");
    vg__out_u64(o, t->offset1);
    LIT(o, ",\"increment1\":");
    vg__out_u64(o, t->increment1);
    LIT(o, ",\"mmsi2\":");
    vg__out_u64(o, t->mmsi2);
    LIT(o, ",\"offset2\":");
    vg__out_u64(o, t->offset2);
    LIT(o, ",\"increment2\":");
    vg__out_u64(o, t->increment2);
}

static void out_classb(struct vg__out *o, const struct vg_ais_classb *t)
{
    LIT(o, ",\"reserved\":");
    vg__out_u64(o, t->reserved);
    LIT(o, ",\"speed\":");
    out_speed_tenths(o, t->speed);
    LIT(o, ",\"accuracy\":");
    out_bool(o, t->accuracy);
    out_lonlat6(o, t->lon, t->lat);
    LIT(o, ",\"course\":");
    vg__out_fixed(o, t->course, 10, 1);
    LIT(o, ",\"heading\":");
    vg__out_u64(o, t->heading);
    LIT(o, ",\"second\":");
    vg__out_u64(o, t->second);
    LIT(o, ",\"regional\":");
    vg__out_u64(o, t->regional);
}

static void out_18(struct vg__out *o, const struct vg_ais_t18 *t)
{
    out_classb(o, &t->pos);
    LIT(o, ",\"cs\":");
    out_bool(o, t->cs);
    LIT(o, ",\"display\":");
    out_bool(o, t->display);
    LIT(o, ",\"dsc\":");
    out_bool(o, t->dsc);
    LIT(o, ",\"band\":");
    out_bool(o, t->band);
    LIT(o, ",\"msg22\":");
    out_bool(o, t->msg22);
    LIT(o, ",\"raim\":");
    out_bool(o, t->raim);
    LIT(o, ",\"radio\":");
    vg__out_u64(o, t->radio);
}

static void out_19(struct vg__out *o, const struct vg_ais_t19 *t)
{
    out_classb(o, &t->pos);
    LIT(o, ",\"shipname\":");
    out_str(o, t->shipname);
    out_shiptype(o, t->shiptype);
    out_dims(o, t->to_bow, t->to_stern, t->to_port, t->to_starboard);
    out_epfd(o, t->epfd);
    LIT(o, ",\"raim\":");
    out_bool(o, t->raim);
    LIT(o, ",\"dte\":");
    vg__out_u64(o, t->dte);
    LIT(o, ",\"assigned\":");
    out_bool(o, t->assigned);
}

static void out_20(struct vg__out *o, const struct vg_ais_t20 *t)
{
    for (unsigned i = 0; i < 4; i++) {
        char n = (char)('1' + i);
        LIT(o, ",\"offset");
        vg__out_char(o, n);
        LIT(o, "\":");
        vg__out_u64(o, t->offset[i]);
        LIT(o, ",\"number");
        vg__out_char(o, n);
        LIT(o, "\":");
        vg__out_u64(o, t->number[i]);
        LIT(o, ",\"timeout");
        vg__out_char(o, n);
        LIT(o, "\":");
        vg__out_u64(o, t->timeout[i]);
        LIT(o, ",\"increment");
        vg__out_char(o, n);
        LIT(o, "\":");
        vg__out_u64(o, t->increment[i]);
    }
}

static void out_21(struct vg__out *o, const struct vg_ais_t21 *t)
{
    LIT(o, ",\"aid_type\":");
    vg__out_u64(o, t->aid_type);
    LIT(o, ",\"aid_type_text\":");
    out_str(o, vg_ais_aid_type_text(t->aid_type));
    LIT(o, ",\"name\":");
    out_str(o, t->name);
    out_lonlat6(o, t->lon, t->lat);
    LIT(o, ",\"accuracy\":");
    out_bool(o, t->accuracy);
    out_dims(o, t->to_bow, t->to_stern, t->to_port, t->to_starboard);
    out_epfd(o, t->epfd);
    LIT(o, ",\"second\":");
    vg__out_u64(o, t->second);
    LIT(o, ",\"regional\":");
    vg__out_u64(o, t->regional);
    LIT(o, ",\"off_position\":");
    out_bool(o, t->off_position);
    LIT(o, ",\"raim\":");
    out_bool(o, t->raim);
    LIT(o, ",\"virtual_aid\":");
    out_bool(o, t->virtual_aid);
}

static void out_22(struct vg__out *o, const struct vg_ais_t22 *t)
{
    LIT(o, ",\"channel_a\":");
    vg__out_u64(o, t->channel_a);
    LIT(o, ",\"channel_b\":");
    vg__out_u64(o, t->channel_b);
    LIT(o, ",\"txrx\":");
    vg__out_u64(o, t->txrx);
    LIT(o, ",\"power\":");
    out_bool(o, t->power);
    if (t->addressed) {
        LIT(o, ",\"dest1\":");
        vg__out_u64(o, t->dest1);
        LIT(o, ",\"dest2\":");
        vg__out_u64(o, t->dest2);
    } else {
        out_corners(o, t->ne_lon, t->ne_lat, t->sw_lon, t->sw_lat);
    }
    LIT(o, ",\"addressed\":");
    out_bool(o, t->addressed);
    LIT(o, ",\"band_a\":");
    out_bool(o, t->band_a);
    LIT(o, ",\"band_b\":");
    out_bool(o, t->band_b);
    LIT(o, ",\"zonesize\":");
    vg__out_u64(o, t->zonesize);
}

static void out_23(struct vg__out *o, const struct vg_ais_t23 *t)
{
    out_corners(o, t->ne_lon, t->ne_lat, t->sw_lon, t->sw_lat);
    LIT(o, ",\"stationtype\":");
    vg__out_u64(o, t->stationtype);
    LIT(o, ",\"stationtype_text\":");
    out_str(o, vg_ais_station_type_text(t->stationtype));
    out_shiptype(o, t->shiptype);
    LIT(o, ",\"interval\":");
    vg__out_u64(o, t->interval);
    LIT(o, ",\"quiet\":");
    vg__out_u64(o, t->quiet);
}

static void out_24(struct vg__out *o, const struct vg_ais_t24 *t)
{
    LIT(o, ",\"partno\":");
    vg__out_u64(o, t->partno);
    if (t->partno == 0) {
        LIT(o, ",\"shipname\":");
        out_str(o, t->shipname);
        return;
    }
    out_shiptype(o, t->shiptype);
    LIT(o, ",\"vendorid\":");
    out_str(o, t->vendorid);
    LIT(o, ",\"model\":");
    vg__out_u64(o, t->model);
    LIT(o, ",\"serial\":");
    vg__out_u64(o, t->serial);
    LIT(o, ",\"callsign\":");
    out_str(o, t->callsign);
    if (t->mothership_mmsi != 0) {
        LIT(o, ",\"mothership_mmsi\":");
        vg__out_u64(o, t->mothership_mmsi);
    } else {
        out_dims(o, t->to_bow, t->to_stern, t->to_port, t->to_starboard);
    }
}

static void out_25(struct vg__out *o, unsigned type, const struct vg_ais_t25 *t)
{
    LIT(o, ",\"addressed\":");
    out_bool(o, t->addressed);
    LIT(o, ",\"structured\":");
    out_bool(o, t->structured);
    LIT(o, ",\"dest_mmsi\":");
    vg__out_u64(o, t->dest_mmsi);
    LIT(o, ",\"app_id\":");
    vg__out_u64(o, t->app_id);
    out_data(o, t->bitcount, t->data);
    if (type == 26) {
        LIT(o, ",\"radio\":");
        vg__out_u64(o, t->radio);
    }
}

static void out_27(struct vg__out *o, const struct vg_ais_t27 *t)
{
    LIT(o, ",\"status\":");
    vg__out_u64(o, t->status);
    LIT(o, ",\"status_text\":");
    out_str(o, vg_ais_status_text(t->status));
    LIT(o, ",\"accuracy\":");
    out_bool(o, t->accuracy);
    LIT(o, ",\"lon\":");
    out_deg_tenth_min(o, t->lon);
    LIT(o, ",\"lat\":");
    out_deg_tenth_min(o, t->lat);
    LIT(o, ",\"speed\":");
    vg__out_u64(o, t->speed);
    LIT(o, ",\"course\":");
    vg__out_u64(o, t->course);
    LIT(o, ",\"raim\":");
    out_bool(o, t->raim);
    LIT(o, ",\"gnss\":");
    out_bool(o, t->gnss);
}

enum vg_status vg_ais_json_write(const struct vg_ais_json *w,
                                 const struct vg_ais_msg *msg,
                                 char *buf,
                                 size_t cap,
                                 size_t *len)
{
    struct vg__out o = { buf, buf + cap, false };
    vg__out_mem(&o, w->prefix, w->prefix_len);
    vg__out_u64(&o, msg->type);
    LIT(&o, ",\"repeat\":");
    vg__out_u64(&o, msg->repeat);
    LIT(&o, ",\"mmsi\":");
    vg__out_u64(&o, msg->mmsi);
    LIT(&o, ",\"scaled\":true");
    switch (msg->type) {
    case 1:
    case 2:
    case 3:
        out_1(&o, &msg->u.t1);
        break;
    case 4:
    case 11:
        out_4(&o, &msg->u.t4);
        break;
    case 5:
        out_5(&o, &msg->u.t5);
        break;
    case 6:
    case 8:
        out_binary(&o, msg->type, &msg->u.bin);
        break;
    case 7:
    case 13:
        out_ack(&o, &msg->u.ack);
        break;
    case 9:
        out_9(&o, &msg->u.t9);
        break;
    case 10:
        LIT(&o, ",\"dest_mmsi\":");
        vg__out_u64(&o, msg->u.t10.dest_mmsi);
        break;
    case 12:
    case 14:
        out_safety(&o, msg->type, &msg->u.safety);
        break;
    case 15:
        out_15(&o, &msg->u.t15);
        break;
    case 16:
        out_16(&o, &msg->u.t16);
        break;
    case 17:
        LIT(&o, ",\"lon\":");
        out_deg_tenth_min(&o, msg->u.t17.lon);
        LIT(&o, ",\"lat\":");
        out_deg_tenth_min(&o, msg->u.t17.lat);
        out_data(&o, msg->u.t17.bitcount, msg->u.t17.data);
        break;
    case 18:
        out_18(&o, &msg->u.t18);
        break;
    case 19:
        out_19(&o, &msg->u.t19);
        break;
    case 20:
        out_20(&o, &msg->u.t20);
        break;
    case 21:
        out_21(&o, &msg->u.t21);
        break;
    case 22:
        out_22(&o, &msg->u.t22);
        break;
    case 23:
        out_23(&o, &msg->u.t23);
        break;
    case 24:
        out_24(&o, &msg->u.t24);
        break;
    case 25:
    case 26:
        out_25(&o, msg->type, &msg->u.t25);
        break;
    case 27:
        out_27(&o, &msg->u.t27);
        break;
    default:
        break;
    }
    if (msg->meta.rx_time_ms != VG_TIME_NONE) {
        LIT(&o, ",\"rxtime\":\"");
        vg__out_time_ms(&o, msg->meta.rx_time_ms);
        vg__out_char(&o, '"');
    }
    if (msg->meta.station[0] != '\0') {
        LIT(&o, ",\"station\":");
        out_str(&o, msg->meta.station);
    }
    LIT(&o, "}\n");
    if (o.full) {
        *len = 0;
        return VG_ELIMIT;
    }
    *len = (size_t)(o.p - buf);
    return VG_OK;
}
