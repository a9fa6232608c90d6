/*
 * Hand-made text output for the JSON and CSV writers: a bounded cursor, integers, fixed-point
 * decimals that round exactly as printf does, JSON string escaping, times and hex.
 *
 * printf is avoided on this path because it is the largest cost of a gpsd-style writer
 * (locale lookups, format parsing, binary-to-decimal conversion of doubles); bench/bench_ais.c
 * measures the difference.
 */
#include "ais/ais_int.h"

#include <math.h>
#include <string.h>

#include <vigia/time.h>

const char vg__digit_pairs[201] = "00010203040506070809"
                                  "10111213141516171819"
                                  "20212223242526272829"
                                  "30313233343536373839"
                                  "40414243444546474849"
                                  "50515253545556575859"
                                  "60616263646566676869"
                                  "70717273747576777879"
                                  "80818283848586878889"
                                  "90919293949596979899";

void vg__out_i64(struct vg__out *o, int64_t v)
{
    if (v < 0) {
        vg__out_char(o, '-');
        vg__out_u64(o, (uint64_t)0 - (uint64_t)v);
    } else {
        vg__out_u64(o, (uint64_t)v);
    }
}

bool vg__fixed_tie_up(uint64_t a, uint64_t d, uint64_t p10, uint64_t q)
{
    /* An exact decimal tie: |raw| * 10^decimals / divisor = q + 1/2. printf rounds the binary
     * double nearest to raw / divisor, which lies above or below the tie, or on it (then: to
     * even). The sign of x * 2 * 10^decimals - (2q + 1), computed with one rounding by fma,
     * tells which. */
    double x = (double)a / (double)d;
    double e = fma(x, 2.0 * (double)p10, -(double)(2 * q + 1));
    return e > 0 || (e == 0 && (q & 1) != 0);
}

void vg__out_2d(struct vg__out *o, unsigned v)
{
    if (v < 100) {
        vg__out_mem(o, vg__digit_pairs + 2 * v, 2);
    } else {
        vg__out_u64(o, v);
    }
}

void vg__out_json_str(struct vg__out *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0;
    while (i < n) {
        /* Copy runs of plain printable ASCII at once. */
        size_t j = i;
        while (j < n) {
            unsigned char c = (unsigned char)s[j];
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) {
                break;
            }
            j++;
        }
        vg__out_mem(o, s + i, j - i);
        if (j == n) {
            return;
        }
        unsigned char c = (unsigned char)s[j];
        if (c == '"' || c == '\\') {
            char esc[2] = { '\\', (char)c };
            vg__out_mem(o, esc, 2);
            i = j + 1;
        } else if (c < 0x20) {
            char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            vg__out_mem(o, esc, 6);
            i = j + 1;
        } else {
            /* Validate one UTF-8 sequence; invalid bytes become U+FFFD. */
            size_t need = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
            bool ok = need > 0 && j + need <= n;
            for (size_t k = 1; ok && k < need; k++) {
                ok = ((unsigned char)s[j + k] & 0xC0) == 0x80;
            }
            if (ok && need == 3) {
                unsigned char c1 = (unsigned char)s[j + 1];
                ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
            } else if (ok && need == 4) {
                unsigned char c1 = (unsigned char)s[j + 1];
                ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
            }
            if (ok) {
                vg__out_mem(o, s + j, need);
                i = j + need;
            } else {
                vg__out_mem(o, "\xEF\xBF\xBD", 3);
                i = j + 1;
            }
        }
    }
}

void vg__out_time_ms(struct vg__out *o, int64_t ms)
{
    int64_t sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    int64_t frac = ms - sec * 1000;
    struct vg_civil c;
    vg_time_to_civil(sec, &c);
    if (c.year < 0 || c.year > 9999) {
        vg__out_i64(o, c.year);
    } else {
        vg__out_2d(o, (unsigned)c.year / 100);
        vg__out_2d(o, (unsigned)c.year % 100);
    }
    vg__out_char(o, '-');
    vg__out_2d(o, (unsigned)c.month);
    vg__out_char(o, '-');
    vg__out_2d(o, (unsigned)c.day);
    vg__out_char(o, 'T');
    vg__out_2d(o, (unsigned)c.hour);
    vg__out_char(o, ':');
    vg__out_2d(o, (unsigned)c.minute);
    vg__out_char(o, ':');
    vg__out_2d(o, (unsigned)c.second);
    if (frac != 0) {
        char f[4] = { '.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
                      (char)('0' + frac % 10) };
        vg__out_mem(o, f, 4);
    }
    vg__out_char(o, 'Z');
}

void vg__out_hex(struct vg__out *o, const uint8_t *data, size_t nbits)
{
    static const char hex[] = "0123456789abcdef";
    size_t nbytes = (nbits + 7) / 8;
    for (size_t i = 0; i < nbytes; i++) {
        char h[2] = { hex[data[i] >> 4], hex[data[i] & 15] };
        vg__out_mem(o, h, 2);
    }
}
