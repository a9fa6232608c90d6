/*
 * AIS as receivers record it: ITU-R M.1371-5 messages in NMEA 0183 (IEC 61162-1)
 * !AIVDM sentences with a TAG block carrying the receive time (NMEA 4.10 "c:" parameter,
 * UNIX seconds), e.g.
 *
 *   \c:1714972800*5A\!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C
 *
 * Messages written: 1 and 3 (class A position), 5 (class A static and voyage data, two
 * sentences), 18 (class B position), 24 parts A and B (class B static data). Payloads
 * are bit fields packed most significant bit first, armored six bits to a character
 * (values 0-39 -> '0'..'W', 40-63 -> '`'..'w'), padded to a multiple of six with the fill
 * bits the sentence declares. Checksums are the XOR of the characters between the
 * delimiters ('!' or '\' and '*'). Decoding is another module's job; this file only
 * encodes (the tests decode with an independent reader).
 */
#include "sim/sim_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void vg__sim_bits_put(struct sim_bits *bits, unsigned width, uint64_t value)
{
    if (width == 0 || bits->n + width > sizeof(bits->b) * 8) {
        return;
    }
    if (width < 64) {
        value &= (1ULL << width) - 1;
    }
    /* Byte by byte, most significant bits first. */
    while (width > 0) {
        unsigned pos = bits->n;
        unsigned off = pos % 8;
        unsigned take = 8 - off < width ? 8 - off : width;
        unsigned chunk = (unsigned)((value >> (width - take)) & ((1u << take) - 1));
        unsigned shift = 8 - off - take;
        unsigned mask = ((1u << take) - 1) << shift;
        bits->b[pos / 8] = (uint8_t)((bits->b[pos / 8] & ~mask) | (chunk << shift));
        bits->n += take;
        width -= take;
    }
}

static unsigned sixbit_char(char c)
{
    unsigned char u = (unsigned char)c;
    if (u >= 'a' && u <= 'z') {
        u = (unsigned char)(u - 32);
    }
    if (u >= 64 && u <= 95) {
        return u - 64u;
    }
    if (u >= 32 && u <= 63) {
        return u;
    }
    return 32; /* anything else becomes a space */
}

void vg__sim_bits_text(struct sim_bits *bits, unsigned chars, const char *text)
{
    size_t len = text ? strlen(text) : 0;
    for (unsigned i = 0; i < chars; i++) {
        vg__sim_bits_put(bits, 6, i < len ? sixbit_char(text[i]) : 0 /* '@' pads */);
    }
}

unsigned vg__sim_armor(const struct sim_bits *bits, char *out)
{
    unsigned nchars = (bits->n + 5) / 6;
    for (unsigned i = 0; i < nchars; i++) {
        unsigned pos = i * 6;
        unsigned byte = pos / 8;
        unsigned hi = bits->b[byte];
        unsigned lo = byte + 1 < sizeof(bits->b) ? bits->b[byte + 1] : 0;
        unsigned v = (((hi << 8) | lo) >> (10 - pos % 8)) & 63u;
        if (pos + 6 > bits->n) {
            v &= ~((1u << (pos + 6 - bits->n)) - 1); /* fill bits are zero */
        }
        unsigned c = v + 48;
        if (c > 87) {
            c += 8;
        }
        out[i] = (char)c;
    }
    out[nchars] = '\0';
    return nchars * 6 - bits->n;
}

unsigned vg__sim_nmea_checksum(const char *s, size_t len)
{
    unsigned x = 0;
    for (size_t i = 0; i < len; i++) {
        x ^= (unsigned char)s[i];
    }
    return x & 0xffu;
}

static char *put_hex2(char *o, unsigned v)
{
    static const char hex[] = "0123456789ABCDEF";
    *o++ = hex[(v >> 4) & 15];
    *o++ = hex[v & 15];
    return o;
}

/* Appends "\c:T*hh\!AIVDM,total,num,seq,chan,payload,fill*hh\n" to out (written by hand:
 * this runs for every report of the world). */
static size_t sentence(char *out, int64_t t, int total, int num, int seq, char chan,
                       const char *payload, unsigned fill, bool bad)
{
    char *o = out;
    *o++ = '\\';
    char *tag = o;
    *o++ = 'c';
    *o++ = ':';
    o = vg__sim_put_dec(o, (uint64_t)(t < 0 ? 0 : t));
    unsigned tcs = vg__sim_nmea_checksum(tag, (size_t)(o - tag));
    *o++ = '*';
    o = put_hex2(o, tcs);
    *o++ = '\\';
    *o++ = '!';
    char *body = o;
    memcpy(o, "AIVDM,", 6);
    o += 6;
    *o++ = (char)('0' + total % 10);
    *o++ = ',';
    *o++ = (char)('0' + num % 10);
    *o++ = ',';
    if (seq >= 0) {
        *o++ = (char)('0' + seq % 10);
    }
    *o++ = ',';
    *o++ = chan;
    *o++ = ',';
    size_t pl = strlen(payload);
    memcpy(o, payload, pl);
    o += pl;
    *o++ = ',';
    *o++ = (char)('0' + fill % 10);
    unsigned cs = vg__sim_nmea_checksum(body, (size_t)(o - body));
    if (bad) {
        cs ^= 0x5a; /* a checksum that cannot match */
    }
    *o++ = '*';
    o = put_hex2(o, cs);
    *o++ = '\n';
    *o = '\0';
    return (size_t)(o - out);
}

static uint64_t twos(int64_t v, unsigned width)
{
    return (uint64_t)v & ((width == 64) ? ~0ULL : ((1ULL << width) - 1));
}

static void put_position(struct sim_bits *b, double lat, double lon)
{
    if (lon > 180 || lon < -180) {
        lon = 181;
    }
    if (lat > 90 || lat < -90) {
        lat = 91;
    }
    vg__sim_bits_put(b, 28, twos((int64_t)llround(lon * 600000.0), 28));
    vg__sim_bits_put(b, 27, twos((int64_t)llround(lat * 600000.0), 27));
}

static unsigned sog10(double sog)
{
    long v = lround(sog * 10);
    return v < 0 ? 0 : (v > 1022 ? 1022 : (unsigned)v);
}

static unsigned cog10(double cog)
{
    long v = lround(fmod(cog + 360.0, 360.0) * 10);
    return v >= 3600 ? 0 : (unsigned)v;
}

/* The motion fields shared by types 1-3 and 18: speed, accuracy, position, course,
 * heading, UTC second. */
static void put_motion(struct sim_bits *b, const struct sim_ais_pos *p, unsigned hdg)
{
    vg__sim_bits_put(b, 10, sog10(p->sog));
    vg__sim_bits_put(b, 1, 0);
    put_position(b, p->lat, p->lon);
    vg__sim_bits_put(b, 12, cog10(p->cog));
    vg__sim_bits_put(b, 9, hdg);
    vg__sim_bits_put(b, 6, (uint64_t)(p->second % 60));
}

int vg__sim_ais_position(const struct sim_ais_pos *p, int64_t t, char channel, bool bad_checksum,
                         char *out, size_t *len)
{
    struct sim_bits b;
    memset(&b, 0, sizeof(b));
    unsigned hdg = p->heading < 0 || p->heading > 359 ? 511u : (unsigned)p->heading;
    if (p->type == 18) {
        vg__sim_bits_put(&b, 6, 18);
        vg__sim_bits_put(&b, 2, 0);
        vg__sim_bits_put(&b, 30, p->mmsi);
        vg__sim_bits_put(&b, 8, 0);
        put_motion(&b, p, hdg);
        /* reserved 2, CS unit 1, display 0, DSC 0, band 1, message 22 0, assigned 0, RAIM 0 */
        vg__sim_bits_put(&b, 9, 0x048);
        vg__sim_bits_put(&b, 20, 0xE0006); /* "CS" radio status */
    } else {
        vg__sim_bits_put(&b, 6, (uint64_t)(p->type == 3 ? 3 : 1));
        vg__sim_bits_put(&b, 2, 0);
        vg__sim_bits_put(&b, 30, p->mmsi);
        vg__sim_bits_put(&b, 4, (uint64_t)(p->nav & 15));
        vg__sim_bits_put(&b, 8, 0x80); /* rate of turn not available */
        put_motion(&b, p, hdg);
        vg__sim_bits_put(&b, 6, 0); /* maneuver 2, spare 3, RAIM 1 */
        vg__sim_bits_put(&b, 19, 0x2000 | (uint64_t)(p->mmsi % 2048)); /* SOTDMA state */
    }
    char payload[80];
    unsigned fill = vg__sim_armor(&b, payload);
    *len = sentence(out, t, 1, 1, -1, channel, payload, fill, bad_checksum);
    return 1;
}

int vg__sim_ais_static5(const struct sim_ais_static *s, int64_t t, char channel, int seq,
                        char *out, size_t *len)
{
    struct sim_bits b;
    memset(&b, 0, sizeof(b));
    vg__sim_bits_put(&b, 6, 5);
    vg__sim_bits_put(&b, 2, 0);
    vg__sim_bits_put(&b, 30, s->mmsi);
    vg__sim_bits_put(&b, 2, 0);
    vg__sim_bits_put(&b, 30, s->imo);
    vg__sim_bits_text(&b, 7, s->call_sign);
    vg__sim_bits_text(&b, 20, s->name);
    vg__sim_bits_put(&b, 8, (uint64_t)(s->ship_type & 255));
    vg__sim_bits_put(&b, 9, (uint64_t)(s->bow > 511 ? 511 : s->bow));
    vg__sim_bits_put(&b, 9, (uint64_t)(s->stern > 511 ? 511 : s->stern));
    vg__sim_bits_put(&b, 6, (uint64_t)(s->port > 63 ? 63 : s->port));
    vg__sim_bits_put(&b, 6, (uint64_t)(s->starboard > 63 ? 63 : s->starboard));
    vg__sim_bits_put(&b, 4, 1); /* GPS */
    vg__sim_bits_put(&b, 4, (uint64_t)s->eta_month);
    vg__sim_bits_put(&b, 5, (uint64_t)s->eta_day);
    vg__sim_bits_put(&b, 5, (uint64_t)s->eta_hour);
    vg__sim_bits_put(&b, 6, (uint64_t)s->eta_minute);
    long dr = lround(s->draught * 10);
    vg__sim_bits_put(&b, 8, (uint64_t)(dr < 0 ? 0 : (dr > 255 ? 255 : dr)));
    vg__sim_bits_text(&b, 20, s->destination);
    vg__sim_bits_put(&b, 1, 0);
    vg__sim_bits_put(&b, 1, 0);
    char payload[96];
    unsigned fill = vg__sim_armor(&b, payload); /* 424 bits: 71 characters, fill 2 */
    char first[64], second[32];
    memcpy(first, payload, 60);
    first[60] = '\0';
    snprintf(second, sizeof(second), "%s", payload + 60);
    size_t n1 = sentence(out, t, 2, 1, seq % 10, channel, first, 0, false);
    size_t n2 = sentence(out + n1, t, 2, 2, seq % 10, channel, second, fill, false);
    *len = n1 + n2;
    return 2;
}

int vg__sim_ais_static24(const struct sim_ais_static *s, int64_t t, char channel, char *out,
                         size_t *len)
{
    struct sim_bits a, b;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    vg__sim_bits_put(&a, 6, 24);
    vg__sim_bits_put(&a, 2, 0);
    vg__sim_bits_put(&a, 30, s->mmsi);
    vg__sim_bits_put(&a, 2, 0);
    vg__sim_bits_text(&a, 20, s->name);
    vg__sim_bits_put(&b, 6, 24);
    vg__sim_bits_put(&b, 2, 0);
    vg__sim_bits_put(&b, 30, s->mmsi);
    vg__sim_bits_put(&b, 2, 1);
    vg__sim_bits_put(&b, 8, (uint64_t)(s->ship_type & 255));
    vg__sim_bits_text(&b, 3, "VGS");     /* vendor id */
    vg__sim_bits_put(&b, 4, 1);          /* unit model */
    vg__sim_bits_put(&b, 20, s->mmsi % 1000000u); /* serial */
    vg__sim_bits_text(&b, 7, s->call_sign);
    vg__sim_bits_put(&b, 9, (uint64_t)(s->bow > 511 ? 511 : s->bow));
    vg__sim_bits_put(&b, 9, (uint64_t)(s->stern > 511 ? 511 : s->stern));
    vg__sim_bits_put(&b, 6, (uint64_t)(s->port > 63 ? 63 : s->port));
    vg__sim_bits_put(&b, 6, (uint64_t)(s->starboard > 63 ? 63 : s->starboard));
    vg__sim_bits_put(&b, 4, 1);
    vg__sim_bits_put(&b, 2, 0);
    char pa[40], pb[40];
    unsigned fa = vg__sim_armor(&a, pa);
    unsigned fb = vg__sim_armor(&b, pb);
    size_t n1 = sentence(out, t, 1, 1, -1, channel, pa, fa, false);
    size_t n2 = sentence(out + n1, t, 1, 1, -1, channel, pb, fb, false);
    *len = n1 + n2;
    return 2;
}
