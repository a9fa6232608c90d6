/*
 * Random numbers for the demo world: xoshiro256** (Blackman and Vigna, 2018) seeded by
 * splitmix64, and the few distributions the world needs. Never time, never rand(): the
 * output must be a pure function of the seed. Each stream is seeded from the world seed
 * and up to three words (purpose, ids), so streams are independent of each other's use.
 */
#include "sim/sim_int.h"

#include <math.h>

#include <vigia/alloc.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void vg__sim_rng_init(struct sim_rng *r, uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t x = seed;
    /* Mix every word through splitmix so that nearby ids give unrelated streams. */
    x = splitmix64(&x) ^ a;
    x = splitmix64(&x) ^ b;
    x = splitmix64(&x) ^ c;
    for (int i = 0; i < 4; i++) {
        r->s[i] = splitmix64(&x);
    }
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0) {
        r->s[0] = 1;
    }
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t vg__sim_u64(struct sim_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double vg__sim_unit(struct sim_rng *r)
{
    return (double)(vg__sim_u64(r) >> 11) * 0x1.0p-53;
}

uint32_t vg__sim_below(struct sim_rng *r, uint32_t n)
{
    /* Lemire's multiply-shift; the tiny bias (< n / 2^64) does not matter here. */
    return (uint32_t)(((vg__sim_u64(r) >> 32) * (uint64_t)n) >> 32);
}

int vg__sim_range(struct sim_rng *r, int lo, int hi)
{
    if (hi <= lo) {
        return lo;
    }
    return lo + (int)vg__sim_below(r, (uint32_t)(hi - lo + 1));
}

double vg__sim_uniform(struct sim_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * vg__sim_unit(r);
}

bool vg__sim_chance(struct sim_rng *r, double p)
{
    if (p <= 0) {
        return false;
    }
    return vg__sim_unit(r) < p;
}

double vg__sim_normal(struct sim_rng *r)
{
    /* Box-Muller, one value per call (the second is dropped to keep streams simple). */
    double u = vg__sim_unit(r);
    double v = vg__sim_unit(r);
    if (u < 1e-300) {
        u = 1e-300;
    }
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

double vg__sim_lognormal(struct sim_rng *r, double median, double sigma)
{
    return median * exp(sigma * vg__sim_normal(r));
}

uint32_t vg__sim_poisson(struct sim_rng *r, double mean)
{
    if (mean <= 0) {
        return 0;
    }
    if (mean > 40) {
        double x = mean + sqrt(mean) * vg__sim_normal(r) + 0.5;
        return x < 0 ? 0 : (uint32_t)x;
    }
    /* Knuth's product method for small means. */
    double l = exp(-mean), p = 1.0;
    uint32_t k = 0;
    do {
        k++;
        p *= vg__sim_unit(r);
    } while (p > l);
    return k - 1;
}

enum vg_status vg__sim_choice_build(struct sim_choice *c, struct vg_arena *a, const double *w,
                                    uint32_t n)
{
    c->n = n;
    c->cum = NULL;
    if (n == 0) {
        return VG_EINVAL;
    }
    c->cum = vg_arena_alloc(a, sizeof(double) * n);
    if (c->cum == NULL) {
        return VG_ENOMEM;
    }
    double total = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (!(w[i] >= 0) || !isfinite(w[i])) {
            return VG_EINVAL;
        }
        total += w[i];
        c->cum[i] = total;
    }
    return total > 0 ? VG_OK : VG_EINVAL;
}

uint32_t vg__sim_pick(const struct sim_choice *c, struct sim_rng *r)
{
    double x = vg__sim_unit(r) * c->cum[c->n - 1];
    uint32_t lo = 0, hi = c->n - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->cum[mid] > x) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return lo;
}
