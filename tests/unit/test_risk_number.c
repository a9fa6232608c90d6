/* Numbers written without printf (src/risk/number.c) are printf's, byte for byte: every
 * format the assessments use, on random doubles of every magnitude, decimals that sit on a
 * rounding tie in binary, exact ties, neighbours of powers of ten, and the special values. */
#include "risk/risk_int.h"
#include "vg_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

struct fmt {
    char conv;
    int prec;
};

static const struct fmt formats[] = { { 'g', 10 }, { 'g', 6 }, { 'f', 2 },
                                      { 'f', 3 },  { 'f', 4 }, { 'g', 1 } };

/* Checks x in every format; counts those written without printf. */
static void check(double x, size_t *fast)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        char want[512], got[RK_NUMBER_MAX + 1];
        snprintf(want, sizeof(want), formats[i].conv == 'f' ? "%.*f" : "%.*g", formats[i].prec,
                 x);
        char *end = rk_put_double(got, x, formats[i].conv, formats[i].prec);
        if (end != NULL) {
            *end = '\0';
            (*fast)++;
            if (strcmp(got, want) != 0) {
                fail_msg("%a as %%.%d%c: '%s', printf '%s'", x, formats[i].prec, formats[i].conv,
                         got, want);
            }
        }
        struct vg_buf b;
        vg_buf_init(&b, 1024);
        assert_int_equal(rk_buf_double(&b, x, formats[i].conv, formats[i].prec), VG_OK);
        if (strcmp(b.data, want) != 0) {
            fail_msg("%a as %%.%d%c in a buffer: '%s', printf '%s'", x, formats[i].prec,
                     formats[i].conv, b.data, want);
        }
        vg_buf_release(&b);
    }
}

static void test_risk_number__as_printf(void **state)
{
    (void)state;
    size_t fast = 0, n = 0;
    static const double special[] = { 0.0,
                                      -0.0,
                                      0.5,
                                      1.5,
                                      2.5,
                                      -2.5,
                                      0.125,
                                      0.375,
                                      0.0625,
                                      0.03125,
                                      1e-5,
                                      1e-4,
                                      9.9999999995,
                                      99999.999995,
                                      0.000099999995,
                                      999999.5,
                                      9999999999.5,
                                      123456789.5,
                                      0.1,
                                      0.2,
                                      0.3,
                                      1.005,
                                      2.675,
                                      1e15,
                                      1e17,
                                      1e19,
                                      1e20,
                                      18446744073709551615.0,
                                      4503599627370495.5,
                                      DBL_MIN,
                                      DBL_TRUE_MIN,
                                      DBL_MAX,
                                      INFINITY,
                                      -INFINITY,
                                      NAN };
    for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
        check(special[i], &fast);
        n++;
    }
    for (int i = 0; i < 60000; i++) {
        /* Any bits, in a range of binary exponents around the numbers features take. */
        uint64_t bits = next();
        double x;
        int e = (int)(next() % 140) - 70;
        x = ldexp((double)(bits >> 11) / 9007199254740992.0 + 0.5, e);
        check(next() & 1 ? -x : x, &fast);
        /* Short decimals (k / 10^d): most of them fall near a tie in binary. */
        int d = (int)(next() % 9);
        double k = (double)(next() % 2000000) - 1000000;
        check(k / pow(10, d), &fast);
        /* Exact ties: odd multiples of a power of two. */
        check((double)(2 * (next() % 100000) + 1) * ldexp(1.0, -(int)(next() % 12) - 1), &fast);
        /* Neighbours of powers of ten. */
        double p = pow(10, (int)(next() % 30) - 10);
        check(nextafter(p, 0), &fast);
        check(nextafter(p, INFINITY), &fast);
        check(p * (1 - 5e-11), &fast);
        n += 6;
    }
    /* Most numbers take the path without printf (else this tested printf against itself). */
    assert_true(fast > n * 3);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_risk_number__as_printf),
};

VG_TEST_MAIN(tests)
