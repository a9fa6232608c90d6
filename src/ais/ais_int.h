/*
 * AIS module internals: the bit buffer shared by the decoder and the writers, number
 * formatting for the JSON and CSV writers, and the text tables.
 *
 * A payload is unarmoured (IEC 61162-1 table 7: six bits per character, MSB first) into a
 * byte array padded with zeros, so that a field read near the end never touches memory
 * past the array; the decoder checks every type's bit count before reading its fields, so
 * the padding is only ever read as the tail of a field that the length check allowed.
 */
#ifndef VIGIA_AIS_INT_H
#define VIGIA_AIS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <vigia/ais.h>

/* Unarmoured payload: VG_AIS_MAX_BITS bits plus 8 bytes of zero padding for the 64-bit
 * window reads. */
struct vg__ais_bits {
    uint8_t b[VG_AIS_DATA_MAX + 8];
    size_t nbits;
};

/* Unsigned field of len bits (1..32) starting at bit start. */
static inline uint32_t vg__ais_u(const struct vg__ais_bits *bits, size_t start, unsigned len)
{
    const uint8_t *p = bits->b + (start >> 3);
    uint64_t w = ((uint64_t)p[0] << 56) | ((uint64_t)p[1] << 48) | ((uint64_t)p[2] << 40) |
                 ((uint64_t)p[3] << 32) | ((uint64_t)p[4] << 24) | ((uint64_t)p[5] << 16) |
                 ((uint64_t)p[6] << 8) | (uint64_t)p[7];
    w <<= (start & 7);
    return (uint32_t)(w >> (64 - len));
}

/* Two's complement field of len bits (2..32). */
static inline int32_t vg__ais_s(const struct vg__ais_bits *bits, size_t start, unsigned len)
{
    uint32_t u = vg__ais_u(bits, start, len);
    uint32_t sign = 1u << (len - 1);
    return (int32_t)((int64_t)(u ^ sign) - (int64_t)sign);
}

/* Unarmours payload[0..len) with fill bits into bits. Returns VG_OK, VG_EPARSE (bad
 * character: *bad_index set), VG_ELIMIT (longer than VG_AIS_MAX_BITS). */
enum vg_status vg__ais_unarmor(const char *payload, size_t len, unsigned fill,
                               struct vg__ais_bits *bits, size_t *bad_index);

/* Six-bit text of nchars characters at bit start into out (size >= nchars + 1): cut at the
 * first '@', trailing spaces removed. */
void vg__ais_text(const struct vg__ais_bits *bits, size_t start, size_t nchars, char *out);

/* Decodes an unarmoured payload (the work of vg_ais_decode after unarmouring). */
enum vg_status vg__ais_decode_bits(const struct vg__ais_bits *bits, struct vg_ais_msg *out,
                                   struct vg_error *err);

/* The raw position of a message that carries one (view.c): lon/lat in units of
 * 1/per_degree degree. False for types without a position. */
bool vg__ais_raw_position(const struct vg_ais_msg *msg, int32_t *lon, int32_t *lat,
                          int32_t *per_degree);

/* Two hex digits at s[0..2) into *out; false when they are not hex (sentence.c). */
bool vg__ais_hex2(const char *s, uint8_t *out);

/* Unix time in seconds or (12 digits and more) milliseconds, with an optional fraction,
 * into ms since the epoch. False when malformed or after 9999-12-31. */
bool vg__ais_parse_epoch(const char *s, size_t n, int64_t *out_ms);

/* Parses a TAG block starting at text[0] ('\\'). *end receives the index just past the
 * closing backslash (0 when there is none: then VG_EPARSE). Returns the first problem
 * (VG_ECHECK checksum, VG_EPARSE malformed) with err set, the fields parsed regardless. */
enum vg_status vg__ais_tagblock_parse(const char *text, size_t len,
                                      struct vg_ais_tagblock *tag, size_t *end,
                                      struct vg_error *err);

/* ---- text output (fmt.c) ---------------------------------------------------------------- */

/* A bounded output cursor: every append checks for room; on overflow `full` is set and
 * later appends do nothing. */
struct vg__out {
    char *p;
    char *end;
    bool full;
};

/* The small appenders are inline: the writers call them with constant sizes and divisors,
 * which the compiler then turns into plain stores and multiplications. */
static inline void vg__out_mem(struct vg__out *o, const char *s, size_t n)
{
    if ((size_t)(o->end - o->p) < n) {
        o->full = true;
        o->p = o->end;
        return;
    }
    memcpy(o->p, s, n);
    o->p += n;
}

static inline void vg__out_char(struct vg__out *o, char c)
{
    if (o->p == o->end) {
        o->full = true;
        return;
    }
    *o->p++ = c;
}

/* "00".."99" */
extern const char vg__digit_pairs[201];

static inline void vg__out_u64(struct vg__out *o, uint64_t v)
{
    char tmp[20];
    char *p = tmp + sizeof(tmp);
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        p -= 2;
        memcpy(p, vg__digit_pairs + 2 * r, 2);
    }
    if (v >= 10) {
        p -= 2;
        memcpy(p, vg__digit_pairs + 2 * v, 2);
    } else {
        *--p = (char)('0' + v);
    }
    vg__out_mem(o, p, (size_t)(tmp + sizeof(tmp) - p));
}

void vg__out_i64(struct vg__out *o, int64_t v);

/* Whether a decimal tie of printf("%.*f") rounds up: see vg__out_fixed. */
bool vg__fixed_tie_up(uint64_t a, uint64_t d, uint64_t p10, uint64_t q);

/* printf("%.*f", decimals, (double)raw / divisor) exactly, without printf: the rounding of
 * the correctly rounded quotient, ties included. divisor > 0, |raw| < 2^31, decimals <= 9. */
static inline void vg__out_fixed(struct vg__out *o, int64_t raw, int64_t divisor,
                                 unsigned decimals)
{
    static const uint64_t pow10[10] = { 1,      10,      100,      1000,      10000,
                                        100000, 1000000, 10000000, 100000000, 1000000000 };
    if (decimals > 9) {
        decimals = 9; /* the contract's bound */
    }
    bool neg = raw < 0;
    uint64_t a = neg ? (uint64_t)0 - (uint64_t)raw : (uint64_t)raw;
    uint64_t p10 = pow10[decimals];
    uint64_t d = (uint64_t)divisor;
    uint64_t scaled = a * p10;
    uint64_t q = scaled / d;
    uint64_t r = scaled % d;
    if (2 * r > d || (2 * r == d && vg__fixed_tie_up(a, d, p10, q))) {
        q++;
    }
    /* printf keeps the sign of a negative value that rounds to zero ("-0.0"). */
    if (neg) {
        vg__out_char(o, '-');
    }
    vg__out_u64(o, q / p10);
    if (decimals > 0) {
        /* The fraction as nine digits (a fixed count, which the compiler can bound), of
         * which the first `decimals` are written. */
        char frac[9];
        uint64_t f = (q % p10) * pow10[9 - decimals];
        for (int i = 8; i >= 0; i--) {
            frac[i] = (char)('0' + f % 10);
            f /= 10;
        }
        vg__out_char(o, '.');
        vg__out_mem(o, frac, decimals);
    }
}

/* A JSON string body (no quotes): '"', '\\' and control characters escaped, bytes that are
 * not valid UTF-8 written as U+FFFD. */
void vg__out_json_str(struct vg__out *o, const char *s, size_t n);
/* "2024-05-03T10:20:30Z", with ".mmm" when ms is not a whole second. */
void vg__out_time_ms(struct vg__out *o, int64_t ms);
/* Two-digit zero-padded number (values above 99 are written in full). */
void vg__out_2d(struct vg__out *o, unsigned v);
/* Lowercase hex of the first nbits bits of data (whole bytes, as gpsd prints). */
void vg__out_hex(struct vg__out *o, const uint8_t *data, size_t nbits);

#endif
