/*
 * Small helpers shared by the simulator's stages: growing arrays, a stable sort of index
 * arrays (calls by departure, calls by ship), and a comparison for qsort of 64-bit keys.
 * Stability matters: equal keys keep their order, so the output stays a pure function of
 * the seed.
 */
#include "sim/sim_int.h"

#include <string.h>

#include <vigia/alloc.h>

bool vg__sim_grow(void **ptr, uint32_t *cap, uint32_t need, size_t elem, uint32_t first)
{
    if (need <= *cap) {
        return true;
    }
    uint32_t n = *cap ? *cap : first;
    while (n < need) {
        if (n > UINT32_MAX / 2) {
            return false;
        }
        n *= 2;
    }
    void *p = vg_reallocarray(*ptr, n, elem);
    if (p == NULL) {
        return false;
    }
    *ptr = p;
    *cap = n;
    return true;
}

static void msort(uint32_t *a, uint32_t n, uint32_t *tmp, vg__sim_cmp_fn cmp, const void *ctx)
{
    if (n < 2) {
        return;
    }
    uint32_t h = n / 2;
    msort(a, h, tmp, cmp, ctx);
    msort(a + h, n - h, tmp, cmp, ctx);
    uint32_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        tmp[k++] = cmp(a[j], a[i], ctx) < 0 ? a[j++] : a[i++];
    }
    while (i < h) {
        tmp[k++] = a[i++];
    }
    while (j < n) {
        tmp[k++] = a[j++];
    }
    memcpy(a, tmp, sizeof(uint32_t) * n);
}

enum vg_status vg__sim_sort_index(uint32_t *a, uint32_t n, vg__sim_cmp_fn cmp, const void *ctx)
{
    if (n < 2) {
        return VG_OK;
    }
    uint32_t *tmp = vg_calloc(n, sizeof(uint32_t));
    if (tmp == NULL) {
        return VG_ENOMEM;
    }
    msort(a, n, tmp, cmp, ctx);
    vg_free(tmp);
    return VG_OK;
}

char *vg__sim_put_dec(char *o, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) {
        *o++ = tmp[--n];
    }
    return o;
}

int vg__sim_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : (x > y);
}

int vg__sim_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : (x > y);
}
