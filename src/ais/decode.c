/*
 * AIS message decoding: ITU-R M.1371-5 annex 8, section 3 (message descriptions).
 *
 * The payload is unarmoured into a zero-padded bit buffer (ais_int.h), the header (type,
 * repeat indicator, MMSI: bits 0-37, common to every message) is read, and a table keyed by
 * type gives the range of bit counts the type may have and its field decoder. The length
 * check comes first, so that a decoder only reads fields that the payload holds; fields
 * that a shorter-but-accepted variant lacks (e.g. the tail of message 5 at 420 bits) are
 * guarded where they are read. docs/ais.md explains the accepted ranges.
 */
#include "ais/ais_int.h"

#include <string.h>

#include <vigia/time.h>

enum vg_status vg__ais_unarmor(const char *payload, size_t len, unsigned fill,
                               struct vg__ais_bits *bits, size_t *bad_index)
{
    if (len > VG_AIS_MAX_CHARS || (len * 6 < fill)) {
        return len > VG_AIS_MAX_CHARS ? VG_ELIMIT : VG_EPARSE;
    }
    size_t nbits = len * 6 - fill;
    if (nbits > VG_AIS_MAX_BITS) {
        return VG_ELIMIT;
    }
    /* Six-bit values by character; 0xFF outside the armouring alphabet. Four characters make
     * three bytes; the tail goes through the same accumulator. */
    static const uint8_t value[256] = {
#define V8(c) [c] = (c) - 48, [c + 1] = (c) - 47, [c + 2] = (c) - 46, [c + 3] = (c) - 45, \
              [c + 4] = (c) - 44, [c + 5] = (c) - 43, [c + 6] = (c) - 42, [c + 7] = (c) - 41
#define W8(c) [c] = (c) - 56, [c + 1] = (c) - 55, [c + 2] = (c) - 54, [c + 3] = (c) - 53, \
              [c + 4] = (c) - 52, [c + 5] = (c) - 51, [c + 6] = (c) - 50, [c + 7] = (c) - 49
        V8(48), V8(56), V8(64), V8(72), V8(80), W8(96), W8(104), W8(112),
#undef V8
#undef W8
    };
    static const uint8_t valid[256] = {
#define O8(c) [c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1, [c + 4] = 1, [c + 5] = 1, \
              [c + 6] = 1, [c + 7] = 1
        O8(48), O8(56), O8(64), O8(72), O8(80), O8(96), O8(104), O8(112),
#undef O8
    };
    const unsigned char *in = (const unsigned char *)payload;
    uint8_t *out = bits->b;
    size_t i = 0;
    for (; i + 4 <= len; i += 4) {
        if (!(valid[in[i]] & valid[in[i + 1]] & valid[in[i + 2]] & valid[in[i + 3]])) {
            break;
        }
        uint32_t w = ((uint32_t)value[in[i]] << 18) | ((uint32_t)value[in[i + 1]] << 12) |
                     ((uint32_t)value[in[i + 2]] << 6) | (uint32_t)value[in[i + 3]];
        out[0] = (uint8_t)(w >> 16);
        out[1] = (uint8_t)(w >> 8);
        out[2] = (uint8_t)w;
        out += 3;
    }
    uint32_t acc = 0;
    unsigned held = 0;
    for (; i < len; i++) {
        if (!valid[in[i]]) {
            *bad_index = i;
            return VG_EPARSE;
        }
        acc = (acc << 6) | value[in[i]];
        held += 6;
        if (held >= 8) {
            held -= 8;
            *out++ = (uint8_t)(acc >> held);
        }
    }
    if (held > 0) {
        *out++ = (uint8_t)(acc << (8 - held));
    }
    /* Clear the fill bits of the last byte and zero the padding, so that neither ever
     * reaches a field. */
    size_t whole = nbits / 8;
    if (nbits % 8 != 0) {
        bits->b[whole] &= (uint8_t)(0xFFu << (8 - nbits % 8));
        whole++;
    }
    memset(bits->b + whole, 0, sizeof(bits->b) - whole);
    bits->nbits = nbits;
    return VG_OK;
}

/* IEC 61162-1 / M.1371 six-bit ASCII. */
static const char sixbit_ascii[64] = "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?";

void vg__ais_text(const struct vg__ais_bits *bits, size_t start, size_t nchars, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < nchars; i++) {
        char c = sixbit_ascii[vg__ais_u(bits, start + 6 * i, 6)];
        if (c == '@') {
            break;
        }
        out[n++] = c;
    }
    while (n > 0 && out[n - 1] == ' ') {
        n--;
    }
    out[n] = '\0';
}

/* Characters of a text field that runs from start to the end of the payload. */
static size_t tail_chars(const struct vg__ais_bits *bits, size_t start, size_t max)
{
    size_t n = bits->nbits > start ? (bits->nbits - start) / 6 : 0;
    return n < max ? n : max;
}

/* Copies nbits bits starting at bit start into data, MSB first, zeroing the unused bits of
 * the last byte and the rest of data. */
static void copy_data(const struct vg__ais_bits *bits, size_t start, size_t nbits, uint8_t *data)
{
    size_t nbytes = (nbits + 7) / 8;
    if (start % 8 == 0) {
        memcpy(data, bits->b + start / 8, nbytes);
    } else {
        for (size_t i = 0; i < nbytes; i++) {
            data[i] = (uint8_t)vg__ais_u(bits, start + 8 * i, 8);
        }
    }
    if (nbits % 8 != 0) {
        data[nbytes - 1] &= (uint8_t)(0xFFu << (8 - nbits % 8));
    }
    memset(data + nbytes, 0, VG_AIS_DATA_MAX - nbytes);
}

#define U(s, l) vg__ais_u(bits, (s), (l))
#define S(s, l) vg__ais_s(bits, (s), (l))

static void dec_1(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_t1 *t = &m->u.t1;
    t->status = (uint8_t)U(38, 4);
    t->turn = (int8_t)S(42, 8);
    t->speed = (uint16_t)U(50, 10);
    t->accuracy = U(60, 1) != 0;
    t->lon = S(61, 28);
    t->lat = S(89, 27);
    t->course = (uint16_t)U(116, 12);
    t->heading = (uint16_t)U(128, 9);
    t->second = (uint8_t)U(137, 6);
    t->maneuver = (uint8_t)U(143, 2);
    t->raim = U(148, 1) != 0;
    t->radio = U(149, 19);
}

static void dec_4(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_t4 *t = &m->u.t4;
    t->year = (uint16_t)U(38, 14);
    t->month = (uint8_t)U(52, 4);
    t->day = (uint8_t)U(56, 5);
    t->hour = (uint8_t)U(61, 5);
    t->minute = (uint8_t)U(66, 6);
    t->second = (uint8_t)U(72, 6);
    t->accuracy = U(78, 1) != 0;
    t->lon = S(79, 28);
    t->lat = S(107, 27);
    t->epfd = (uint8_t)U(134, 4);
    t->raim = U(148, 1) != 0;
    t->radio = U(149, 19);
}

static void dec_5(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_t5 *t = &m->u.t5;
    t->ais_version = (uint8_t)U(38, 2);
    t->imo = U(40, 30);
    vg__ais_text(bits, 70, 7, t->callsign);
    vg__ais_text(bits, 112, 20, t->shipname);
    t->shiptype = (uint8_t)U(232, 8);
    t->to_bow = (uint16_t)U(240, 9);
    t->to_stern = (uint16_t)U(249, 9);
    t->to_port = (uint8_t)U(258, 6);
    t->to_starboard = (uint8_t)U(264, 6);
    t->epfd = (uint8_t)U(270, 4);
    t->month = (uint8_t)U(274, 4);
    t->day = (uint8_t)U(278, 5);
    t->hour = (uint8_t)U(283, 5);
    t->minute = (uint8_t)U(288, 6);
    t->draught = (uint8_t)U(294, 8);
    /* 420..423-bit variants (seen in the wild, accepted as gpsd does) lose the tail of the
     * destination and the DTE flag; only whole characters that were sent are read. */
    vg__ais_text(bits, 302, tail_chars(bits, 302, 20), t->destination);
    t->dte = bits->nbits >= 423 ? (uint8_t)U(422, 1) : 1;
}

/* Application-specific contents of binary messages 6 and 8 that vigia decodes. */
static void dec_app(const struct vg__ais_bits *bits, struct vg_ais_msg *m, size_t data_start)
{
    struct vg_ais_binary *b = &m->u.bin;
    size_t n = bits->nbits;
    b->app = VG_AIS_APP_NONE;
    if (m->type == 6 && (b->dac == 235 || b->dac == 250) && b->fid == 10 && n >= 136) {
        struct vg_ais_app_aton *a = &b->a.aton;
        a->ana_int = (uint16_t)U(88, 10);
        a->ana_ext1 = (uint16_t)U(98, 10);
        a->ana_ext2 = (uint16_t)U(108, 10);
        a->racon = (uint8_t)U(118, 2);
        a->light = (uint8_t)U(120, 2);
        a->alarm = U(122, 1) != 0;
        a->stat_ext = (uint8_t)U(123, 8);
        a->off_pos = U(131, 1) != 0;
        b->app = VG_AIS_APP_ATON_MONITOR;
    } else if (b->dac == 1 && ((m->type == 6 && b->fid == 30) || (m->type == 8 && b->fid == 29)) &&
               n >= data_start + 10) {
        struct vg_ais_app_text *a = &b->a.text;
        a->linkage = (uint16_t)U(data_start, 10);
        vg__ais_text(bits, data_start + 10, tail_chars(bits, data_start + 10, 161), a->text);
        b->app = VG_AIS_APP_TEXT;
    } else if (m->type == 8 && b->dac == 200 && b->fid == 10 && n == 168) {
        struct vg_ais_app_inland *a = &b->a.inland;
        vg__ais_text(bits, 56, 8, a->vin);
        a->length = (uint16_t)U(104, 13);
        a->beam = (uint16_t)U(117, 10);
        a->shiptype = (uint16_t)U(127, 14);
        a->hazard = (uint8_t)U(141, 3);
        a->draught = (uint16_t)U(144, 11);
        a->loaded = (uint8_t)U(155, 2);
        a->speed_q = U(157, 1) != 0;
        a->course_q = U(158, 1) != 0;
        a->heading_q = U(159, 1) != 0;
        b->app = VG_AIS_APP_INLAND_STATIC;
    }
}

static void dec_6(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_binary *b = &m->u.bin;
    b->seqno = (uint8_t)U(38, 2);
    b->dest_mmsi = U(40, 30);
    b->retransmit = U(70, 1) != 0;
    b->dac = (uint16_t)U(72, 10);
    b->fid = (uint8_t)U(82, 6);
    b->bitcount = (uint16_t)(bits->nbits - 88);
    copy_data(bits, 88, b->bitcount, b->data);
    dec_app(bits, m, 88);
}

static void dec_7(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_ack *a = &m->u.ack;
    a->count = 0;
    for (unsigned i = 0; i < 4; i++) {
        size_t at = 40 + 32 * (size_t)i;
        if (bits->nbits >= at + 30) {
            a->mmsi[i] = U(at, 30);
            a->seqno[i] = (uint8_t)U(at + 30, 2);
            a->count = (uint8_t)(i + 1);
        } else {
            a->mmsi[i] = 0;
            a->seqno[i] = 0;
        }
    }
}

static void dec_8(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_binary *b = &m->u.bin;
    b->seqno = 0;
    b->dest_mmsi = 0;
    b->retransmit = false;
    b->dac = (uint16_t)U(40, 10);
    b->fid = (uint8_t)U(50, 6);
    b->bitcount = (uint16_t)(bits->nbits - 56);
    copy_data(bits, 56, b->bitcount, b->data);
    dec_app(bits, m, 56);
}

static void dec_9(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_t9 *t = &m->u.t9;
    t->alt = (uint16_t)U(38, 12);
    t->speed = (uint16_t)U(50, 10);
    t->accuracy = U(60, 1) != 0;
    t->lon = S(61, 28);
    t->lat = S(89, 27);
    t->course = (uint16_t)U(116, 12);
    t->second = (uint8_t)U(128, 6);
    t->regional = (uint8_t)U(134, 8);
    t->dte = (uint8_t)U(142, 1);
    t->assigned = U(146, 1) != 0;
    t->raim = U(147, 1) != 0;
    t->radio = U(148, 20);
}

static void dec_10(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    m->u.t10.dest_mmsi = U(40, 30);
}

static void dec_12(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_safety *t = &m->u.safety;
    t->seqno = (uint8_t)U(38, 2);
    t->dest_mmsi = U(40, 30);
    t->retransmit = U(70, 1) != 0;
    vg__ais_text(bits, 72, tail_chars(bits, 72, sizeof(t->text) - 1), t->text);
}

static void dec_14(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_safety *t = &m->u.safety;
    t->seqno = 0;
    t->dest_mmsi = 0;
    t->retransmit = false;
    vg__ais_text(bits, 40, tail_chars(bits, 40, sizeof(t->text) - 1), t->text);
}

/* Each field is read when the payload holds all of it (short variants are common). */
static void dec_15(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_t15 *t = &m->u.t15;
    size_t n = bits->nbits;
    memset(t, 0, sizeof(*t));
    t->mmsi1 = U(40, 30);
    t->type1_1 = (uint8_t)U(70, 6);
    t->offset1_1 = (uint16_t)U(76, 12);
    if (n >= 96) {
        t->type1_2 = (uint8_t)U(90, 6);
    }
    if (n >= 108) {
        t->offset1_2 = (uint16_t)U(96, 12);
    }
    if (n >= 140) {
        t->mmsi2 = U(110, 30);
    }
    if (n >= 146) {
        t->type2_1 = (uint8_t)U(140, 6);
    }
    if (n >= 158) {
        t->offset2_1 = (uint16_t)U(146, 12);
    }
}

static void dec_16(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_t16 *t = &m->u.t16;
    memset(t, 0, sizeof(*t));
    t->mmsi1 = U(40, 30);
    t->offset1 = (uint16_t)U(70, 12);
    t->increment1 = (uint16_t)U(82, 10);
    if (bits->nbits >= 144) {
        t->mmsi2 = U(92, 30);
        t->offset2 = (uint16_t)U(122, 12);
        t->increment2 = (uint16_t)U(134, 10);
    }
}

static void dec_17(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_t17 *t = &m->u.t17;
    t->lon = S(40, 18);
    t->lat = S(58, 17);
    t->bitcount = (uint16_t)(bits->nbits - 80);
    copy_data(bits, 80, t->bitcount, t->data);
}

static void dec_classb(const struct vg__ais_bits *bits, struct vg_ais_classb *t,
                       unsigned regional_bits)
{
    t->reserved = (uint8_t)U(38, 8);
    t->speed = (uint16_t)U(46, 10);
    t->accuracy = U(56, 1) != 0;
    t->lon = S(57, 28);
    t->lat = S(85, 27);
    t->course = (uint16_t)U(112, 12);
    t->heading = (uint16_t)U(124, 9);
    t->second = (uint8_t)U(133, 6);
    t->regional = (uint8_t)U(139, regional_bits);
}

static void dec_18(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_t18 *t = &m->u.t18;
    dec_classb(bits, &t->pos, 2);
    t->cs = U(141, 1) != 0;
    t->display = U(142, 1) != 0;
    t->dsc = U(143, 1) != 0;
    t->band = U(144, 1) != 0;
    t->msg22 = U(145, 1) != 0;
    t->assigned = U(146, 1) != 0;
    t->raim = U(147, 1) != 0;
    t->radio = U(148, 20);
}

static void dec_19(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_t19 *t = &m->u.t19;
    dec_classb(bits, &t->pos, 4);
    vg__ais_text(bits, 143, 20, t->shipname);
    t->shiptype = (uint8_t)U(263, 8);
    t->to_bow = (uint16_t)U(271, 9);
    t->to_stern = (uint16_t)U(280, 9);
    t->to_port = (uint8_t)U(289, 6);
    t->to_starboard = (uint8_t)U(295, 6);
    t->epfd = (uint8_t)U(301, 4);
    t->raim = U(305, 1) != 0;
    t->dte = (uint8_t)U(306, 1);
    t->assigned = U(307, 1) != 0;
}

static void dec_20(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_t20 *t = &m->u.t20;
    memset(t, 0, sizeof(*t));
    for (unsigned i = 0; i < 4; i++) {
        size_t at = 40 + 30 * (size_t)i;
        if (bits->nbits < at + 30) {
            break;
        }
        t->offset[i] = (uint16_t)U(at, 12);
        t->number[i] = (uint8_t)U(at + 12, 4);
        t->timeout[i] = (uint8_t)U(at + 16, 3);
        t->increment[i] = (uint16_t)U(at + 19, 11);
        t->count = (uint8_t)(i + 1);
    }
}

static void dec_21(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_t21 *t = &m->u.t21;
    t->aid_type = (uint8_t)U(38, 5);
    vg__ais_text(bits, 43, 20, t->name);
    t->accuracy = U(163, 1) != 0;
    t->lon = S(164, 28);
    t->lat = S(192, 27);
    t->to_bow = (uint16_t)U(219, 9);
    t->to_stern = (uint16_t)U(228, 9);
    t->to_port = (uint8_t)U(237, 6);
    t->to_starboard = (uint8_t)U(243, 6);
    t->epfd = (uint8_t)U(249, 4);
    t->second = (uint8_t)U(253, 6);
    t->off_position = U(259, 1) != 0;
    t->regional = (uint8_t)U(260, 8);
    t->raim = U(268, 1) != 0;
    t->virtual_aid = U(269, 1) != 0;
    t->assigned = U(270, 1) != 0;
    /* The name extension (up to 14 characters) continues the name when the 20 characters
     * are all used, as gpsd and libais join them. */
    size_t ext = tail_chars(bits, 272, 14);
    size_t len = strlen(t->name);
    if (ext > 0 && len == 20) {
        vg__ais_text(bits, 272, ext, t->name + 20);
    }
}

static void dec_22(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_t22 *t = &m->u.t22;
    t->channel_a = (uint16_t)U(40, 12);
    t->channel_b = (uint16_t)U(52, 12);
    t->txrx = (uint8_t)U(64, 4);
    t->power = U(68, 1) != 0;
    t->addressed = U(139, 1) != 0;
    if (t->addressed) {
        t->dest1 = U(69, 30);
        t->dest2 = U(104, 30);
        t->ne_lon = t->ne_lat = t->sw_lon = t->sw_lat = 0;
    } else {
        t->ne_lon = S(69, 18);
        t->ne_lat = S(87, 17);
        t->sw_lon = S(104, 18);
        t->sw_lat = S(122, 17);
        t->dest1 = t->dest2 = 0;
    }
    t->band_a = U(140, 1) != 0;
    t->band_b = U(141, 1) != 0;
    t->zonesize = (uint8_t)U(142, 3);
}

static void dec_23(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_t23 *t = &m->u.t23;
    t->ne_lon = S(40, 18);
    t->ne_lat = S(58, 17);
    t->sw_lon = S(75, 18);
    t->sw_lat = S(93, 17);
    t->stationtype = (uint8_t)U(110, 4);
    t->shiptype = (uint8_t)U(114, 8);
    t->txrx = (uint8_t)U(144, 2);
    t->interval = (uint8_t)U(146, 4);
    t->quiet = (uint8_t)U(150, 4);
}

static void dec_24(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_t24 *t = &m->u.t24;
    memset(t, 0, sizeof(*t));
    t->partno = (uint8_t)U(38, 2);
    if (t->partno == 0) {
        vg__ais_text(bits, 40, 20, t->shipname);
        return;
    }
    t->shiptype = (uint8_t)U(40, 8);
    vg__ais_text(bits, 48, 3, t->vendorid);
    t->model = (uint8_t)U(66, 4);
    t->serial = U(70, 20);
    vg__ais_text(bits, 90, 7, t->callsign);
    /* Auxiliary craft (MMSI 98MIDxxxx) send their mother ship's MMSI instead of dimensions
     * (M.1371-5 table 76). */
    if (m->mmsi / 10000000 == 98) {
        t->mothership_mmsi = U(132, 30);
    } else {
        t->to_bow = (uint16_t)U(132, 9);
        t->to_stern = (uint16_t)U(141, 9);
        t->to_port = (uint8_t)U(150, 6);
        t->to_starboard = (uint8_t)U(156, 6);
    }
}

static void dec_25(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_t25 *t = &m->u.t25;
    size_t at = 40;
    size_t end = bits->nbits;
    t->addressed = U(38, 1) != 0;
    t->structured = U(39, 1) != 0;
    t->dest_mmsi = 0;
    t->app_id = 0;
    t->radio = 0;
    if (m->type == 26) {
        /* The last 20 bits are the communication state selector and state. */
        end -= 20;
        t->radio = U(end, 20);
    }
    if (t->addressed) {
        t->dest_mmsi = U(40, 30);
        at = 70;
    }
    if (t->structured && end >= at + 16) {
        t->app_id = (uint16_t)U(at, 16);
        at += 16;
    }
    t->bitcount = (uint16_t)(end > at ? end - at : 0);
    copy_data(bits, at, t->bitcount, t->data);
}

static void dec_27(const struct vg__ais_bits *bits, struct vg_ais_msg *m)
{
    struct vg_ais_t27 *t = &m->u.t27;
    t->accuracy = U(38, 1) != 0;
    t->raim = U(39, 1) != 0;
    t->status = (uint8_t)U(40, 4);
    t->lon = S(44, 18);
    t->lat = S(62, 17);
    t->speed = (uint8_t)U(79, 6);
    t->course = (uint16_t)U(85, 9);
    t->gnss = U(94, 1) != 0;
}

#undef U
#undef S

/*
 * Accepted bit counts per type. Fixed-length messages must have their nominal length;
 * the documented exceptions are message 5 (420..426: transmitters in the wild send 420 and
 * 422 bits, gpsd accepts them; 426 is 71 characters with the fill bits not declared) and
 * message 24 (part A is 160 bits or 168 with the spare byte; part B may lose its 6 spare
 * bits). Variable-length messages have the range M.1371-5 allows, widened where
 * real recordings (gpsd's test set) carry a few bits of padding beyond it: 15 up to 168, 20
 * up to 186, 21 up to 368, 27 up to 168; those bits hold no field.
 */
struct type_rule {
    uint16_t min_bits;
    uint16_t max_bits;
    void (*decode)(const struct vg__ais_bits *bits, struct vg_ais_msg *m);
};

static const struct type_rule type_rules[28] = {
    [1] = { 168, 168, dec_1 },    [2] = { 168, 168, dec_1 },    [3] = { 168, 168, dec_1 },
    [4] = { 168, 168, dec_4 },    [5] = { 420, 426, dec_5 },    [6] = { 88, 1008, dec_6 },
    [7] = { 72, 168, dec_7 },     [8] = { 56, 1008, dec_8 },    [9] = { 168, 168, dec_9 },
    [10] = { 72, 72, dec_10 },    [11] = { 168, 168, dec_4 },   [12] = { 72, 1008, dec_12 },
    [13] = { 72, 168, dec_7 },    [14] = { 40, 1008, dec_14 },  [15] = { 88, 168, dec_15 },
    [16] = { 96, 168, dec_16 },   [17] = { 80, 816, dec_17 },   [18] = { 168, 168, dec_18 },
    [19] = { 312, 312, dec_19 },  [20] = { 72, 186, dec_20 },   [21] = { 272, 368, dec_21 },
    [22] = { 168, 168, dec_22 },  [23] = { 160, 160, dec_23 },  [24] = { 160, 168, dec_24 },
    [25] = { 40, 168, dec_25 },   [26] = { 60, 1064, dec_25 },  [27] = { 96, 168, dec_27 },
};

enum vg_status vg__ais_decode_bits(const struct vg__ais_bits *bits, struct vg_ais_msg *out,
                                   struct vg_error *err)
{
    size_t n = bits->nbits;
    if (n < 38) {
        return vg_error_set(err, VG_EPARSE,
                            "payload of %zu bits is too short for the message header (38 bits)",
                            n);
    }
    unsigned type = vg__ais_u(bits, 0, 6);
    out->type = (uint8_t)type;
    out->repeat = (uint8_t)vg__ais_u(bits, 6, 2);
    out->mmsi = vg__ais_u(bits, 8, 30);
    out->bits = (uint16_t)n;
    if (type == 0 || type > 27) {
        return vg_error_set(err, VG_EUNSUPPORTED,
                            "message type %u is not defined by ITU-R M.1371-5 (1..27)", type);
    }
    const struct type_rule *rule = &type_rules[type];
    if (n < rule->min_bits || n > rule->max_bits) {
        if (rule->min_bits == rule->max_bits) {
            return vg_error_set(err, VG_EPARSE,
                                "bad bit count: message type %u has %zu bits, expected %u",
                                type, n, (unsigned)rule->min_bits);
        }
        return vg_error_set(err, VG_EPARSE,
                            "bad bit count: message type %u has %zu bits, expected %u to %u",
                            type, n, (unsigned)rule->min_bits, (unsigned)rule->max_bits);
    }
    if ((type == 25 || type == 26) && vg__ais_u(bits, 38, 1) != 0) {
        /* Addressed: the destination MMSI precedes the data (and the 20-bit communication
         * state follows it in message 26). */
        size_t need = type == 25 ? 70 : 90;
        if (n < need) {
            return vg_error_set(err, VG_EPARSE,
                                "bad bit count: addressed message type %u has %zu bits, expected "
                                "at least %zu",
                                type, n, need);
        }
    }
    if (type == 24) {
        unsigned part = vg__ais_u(bits, 38, 2);
        if (part > 1) {
            return vg_error_set(err, VG_EPARSE,
                                "message type 24 has part number %u, expected 0 (A) or 1 (B)",
                                part);
        }
        if (part == 1 && n < 162) {
            return vg_error_set(err, VG_EPARSE,
                                "bad bit count: message type 24 part B has %zu bits, expected "
                                "162 to 168",
                                n);
        }
    }
    rule->decode(bits, out);
    return VG_OK;
}

enum vg_status vg_ais_decode(const char *payload,
                             size_t len,
                             unsigned fill,
                             struct vg_ais_msg *out,
                             struct vg_error *err)
{
    memset(&out->meta, 0, sizeof(out->meta));
    out->meta.rx_time_ms = VG_TIME_NONE;
    out->type = 0;
    if (fill > 5) {
        return vg_error_set(err, VG_EPARSE, "fill bits %u out of range (0 to 5)", fill);
    }
    if (len == 0) {
        return vg_error_set(err, VG_EPARSE, "empty payload");
    }
    struct vg__ais_bits bits;
    size_t bad = 0;
    enum vg_status st = vg__ais_unarmor(payload, len, fill, &bits, &bad);
    if (st == VG_ELIMIT) {
        return vg_error_set(err, VG_ELIMIT,
                            "payload of %zu characters is longer than any AIS message (%d bits)",
                            len, VG_AIS_MAX_BITS);
    }
    if (st != VG_OK) {
        if (len * 6 < fill) {
            return vg_error_set(err, VG_EPARSE, "fill bits %u exceed the payload", fill);
        }
        unsigned char c = (unsigned char)payload[bad];
        if (c >= 0x21 && c < 0x7F) {
            return vg_error_set(err, VG_EPARSE,
                                "character '%c' at payload position %zu is not six-bit armouring",
                                c, bad + 1);
        }
        return vg_error_set(err, VG_EPARSE,
                            "byte 0x%02X at payload position %zu is not six-bit armouring", c,
                            bad + 1);
    }
    return vg__ais_decode_bits(&bits, out, err);
}
