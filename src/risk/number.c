/*
 * Numbers in text without printf: "%.<p>f" and "%.<p>g" as glibc writes them, digit for
 * digit, for the feature records and reasons written with every assessment (printf costs
 * about 2,500 instructions a number; this about 150).
 *
 * The digits come from the exact binary value: |x| = m * 2^e with m an integer below 2^53,
 * so |x| * 10^k = m * 10^k * 2^e, an integer of at most 110 bits shifted right by -e, and
 * rounded to nearest with ties to even, as glibc rounds in the default rounding mode. What
 * falls outside that (infinities, NaN, numbers whose digits need more than 64 bits, and the
 * exponent style of %g) is left to printf: rk_put_double returns NULL, rk_buf_double calls
 * vg_buf_printf.
 */
#include "risk/risk_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const uint64_t pow10_u64[20] = { 1ull,
                                        10ull,
                                        100ull,
                                        1000ull,
                                        10000ull,
                                        100000ull,
                                        1000000ull,
                                        10000000ull,
                                        100000000ull,
                                        1000000000ull,
                                        10000000000ull,
                                        100000000000ull,
                                        1000000000000ull,
                                        10000000000000ull,
                                        100000000000000ull,
                                        1000000000000000ull,
                                        10000000000000000ull,
                                        100000000000000000ull,
                                        1000000000000000000ull,
                                        10000000000000000000ull };

/* a * b as a 128-bit number (hi, lo). */
static void mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    *lo = (mid << 32) | (uint32_t)p00;
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/* round(ax * 10^k), ties to even, for finite ax >= 0 and k <= 19; false when the result
 * does not fit in 64 bits. */
static bool scaled(double ax, int k, uint64_t *out)
{
    if (ax == 0) {
        *out = 0;
        return true;
    }
    int exp;
    double fr = frexp(ax, &exp);             /* ax = fr * 2^exp, fr in [0.5, 1) */
    uint64_t m = (uint64_t)ldexp(fr, 53);    /* exact: fr has at most 53 significant bits */
    int e = exp - 53;                        /* ax = m * 2^e */
    uint64_t hi, lo;
    mul64(m, pow10_u64[k], &hi, &lo);        /* below 2^53 * 10^19 < 2^117 */
    if (e >= 0) {
        if (hi != 0 || e >= 64 || (e > 0 && lo >> (64 - e) != 0)) {
            return false;
        }
        *out = lo << e;
        return true;
    }
    unsigned s = (unsigned)-e;
    if (s >= 128) {
        *out = 0; /* below 2^117 / 2^128: less than half */
        return true;
    }
    /* n = (hi, lo) >> s; half = bit s - 1; below = the bits under it. */
    uint64_t nhi, nlo, half, below;
    if (s >= 64) {
        nhi = 0;
        nlo = s == 64 ? hi : hi >> (s - 64);
        unsigned h = s - 1; /* >= 63 */
        half = h >= 64 ? (hi >> (h - 64)) & 1 : lo >> 63;
        below = h >= 64 ? (lo != 0 || (h > 64 && (hi & ((1ull << (h - 64)) - 1)) != 0))
                        : (lo & ((1ull << 63) - 1)) != 0;
    } else {
        nhi = hi >> s;
        nlo = (lo >> s) | (s > 0 ? hi << (64 - s) : 0);
        half = (lo >> (s - 1)) & 1;
        below = s > 1 && (lo & ((1ull << (s - 1)) - 1)) != 0;
    }
    if (nhi != 0) {
        return false;
    }
    if (half && (below || (nlo & 1))) {
        if (nlo == UINT64_MAX) {
            return false;
        }
        nlo++;
    }
    *out = nlo;
    return true;
}

/* n in decimal, at least width digits (zeros in front). */
static char *put_digits(char *w, uint64_t n, int width)
{
    char tmp[24];
    int len = 0;
    do {
        tmp[sizeof(tmp) - 1 - len++] = (char)('0' + n % 10);
        n /= 10;
    } while (n != 0);
    while (len < width) {
        tmp[sizeof(tmp) - 1 - len++] = '0';
    }
    memcpy(w, tmp + sizeof(tmp) - len, (size_t)len);
    return w + len;
}

/* n / 10^frac "." n % 10^frac; no point when frac is 0. */
static char *put_fixed(char *w, uint64_t n, int frac)
{
    w = put_digits(w, n / pow10_u64[frac], 1);
    if (frac > 0) {
        *w++ = '.';
        w = put_digits(w, n % pow10_u64[frac], frac);
    }
    return w;
}

char *rk_put_double(char *w, double x, char conv, int prec)
{
    if (!isfinite(x) || prec < 0 || prec > 17 || (conv != 'f' && conv != 'g')) {
        return NULL;
    }
    double ax = fabs(x);
    if (signbit(x)) {
        *w++ = '-';
    }
    if (conv == 'f') {
        uint64_t n;
        if (!scaled(ax, prec, &n)) {
            return NULL;
        }
        return put_fixed(w, n, prec);
    }
    /* %g: P significant digits (P = 0 counts as 1) in the style of f when the exponent X
     * of the rounded number is in [-4, P), trailing zeros dropped. */
    int p = prec == 0 ? 1 : prec;
    if (ax == 0) {
        *w++ = '0';
        return w;
    }
    int x10 = (int)floor(log10(ax)); /* may be one off near powers of ten: checked below */
    for (int tries = 0; tries < 3; tries++) {
        int frac = p - 1 - x10;
        uint64_t n;
        if (x10 < -4 || x10 >= p || frac > 19 || !scaled(ax, frac, &n)) {
            break;
        }
        if (n >= pow10_u64[p]) {
            x10++; /* rounded up to the next power of ten, or log10 was low */
            continue;
        }
        if (n < pow10_u64[p - 1]) {
            x10--; /* log10 was high */
            continue;
        }
        while (frac > 0 && n % 10 == 0) {
            n /= 10;
            frac--;
        }
        return put_fixed(w, n, frac);
    }
    return NULL;
}

enum vg_status rk_buf_double(struct vg_buf *out, double x, char conv, int prec)
{
    enum vg_status st = vg_buf_reserve(out, RK_NUMBER_MAX);
    if (st != VG_OK) {
        return st;
    }
    char *w = rk_put_double(out->data + out->len, x, conv, prec);
    if (w == NULL) {
        return conv == 'f' ? vg_buf_printf(out, "%.*f", prec, x) : vg_buf_printf(out, "%.*g", prec, x);
    }
    out->len = (size_t)(w - out->data);
    out->data[out->len] = '\0';
    return VG_OK;
}
