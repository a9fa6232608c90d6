/*
 * Borrowed byte slices (vigia/slice.h). Number parsing here is strict: the whole slice
 * must be the number, with no locale involved.
 */
#include <vigia/slice.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct vg_slice vg_slice_from_cstr(const char *s)
{
    if (s == NULL) {
        return VG_SLICE_EMPTY;
    }
    return (struct vg_slice){ s, strlen(s) };
}

struct vg_slice vg_slice_make(const char *ptr, size_t len)
{
    return (struct vg_slice){ ptr, len };
}

bool vg_slice_eq(struct vg_slice a, struct vg_slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool vg_slice_eq_cstr(struct vg_slice a, const char *s)
{
    return vg_slice_eq(a, vg_slice_from_cstr(s));
}

static char ascii_upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

bool vg_slice_istarts_with(struct vg_slice a, struct vg_slice prefix)
{
    if (a.len < prefix.len) {
        return false;
    }
    for (size_t i = 0; i < prefix.len; i++) {
        if (ascii_upper(a.ptr[i]) != ascii_upper(prefix.ptr[i])) {
            return false;
        }
    }
    return true;
}

bool vg_slice_ieq_cstr(struct vg_slice a, const char *s)
{
    struct vg_slice b = vg_slice_from_cstr(s);
    return a.len == b.len && vg_slice_istarts_with(a, b);
}

bool vg_slice_starts_with(struct vg_slice a, const char *prefix)
{
    size_t n = strlen(prefix);
    return a.len >= n && memcmp(a.ptr, prefix, n) == 0;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

struct vg_slice vg_slice_trim(struct vg_slice a)
{
    while (a.len > 0 && is_space(a.ptr[0])) {
        a.ptr++;
        a.len--;
    }
    while (a.len > 0 && is_space(a.ptr[a.len - 1])) {
        a.len--;
    }
    return a;
}

enum vg_status vg_slice_to_u64(struct vg_slice a, uint64_t *out)
{
    if (a.len == 0) {
        return VG_EPARSE;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < a.len; i++) {
        char c = a.ptr[i];
        if (c < '0' || c > '9') {
            return VG_EPARSE;
        }
        uint64_t d = (uint64_t)(c - '0');
        if (v > (UINT64_MAX - d) / 10) {
            return VG_EPARSE;
        }
        v = v * 10 + d;
    }
    *out = v;
    return VG_OK;
}

enum vg_status vg_slice_to_i64(struct vg_slice a, int64_t *out)
{
    bool neg = false;
    if (a.len > 0 && (a.ptr[0] == '-' || a.ptr[0] == '+')) {
        neg = a.ptr[0] == '-';
        a.ptr++;
        a.len--;
    }
    uint64_t u;
    if (vg_slice_to_u64(a, &u) != VG_OK) {
        return VG_EPARSE;
    }
    if (neg) {
        if (u > (uint64_t)INT64_MAX + 1) {
            return VG_EPARSE;
        }
        *out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
    } else {
        if (u > (uint64_t)INT64_MAX) {
            return VG_EPARSE;
        }
        *out = (int64_t)u;
    }
    return VG_OK;
}

enum vg_status vg_slice_to_double(struct vg_slice a, double *out)
{
    char tmp[64];
    if (a.len == 0 || a.len >= sizeof(tmp)) {
        return VG_EPARSE;
    }
    bool digit = false;
    for (size_t i = 0; i < a.len; i++) {
        char c = a.ptr[i];
        if (c >= '0' && c <= '9') {
            digit = true;
        } else if (c == ',') {
            c = '.';
        } else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
            return VG_EPARSE;
        }
        tmp[i] = c;
    }
    if (!digit) {
        return VG_EPARSE;
    }
    tmp[a.len] = '\0';
    char *end = NULL;
    errno = 0;
    double v = strtod(tmp, &end);
    if (end != tmp + a.len || errno == ERANGE || !isfinite(v)) {
        return VG_EPARSE;
    }
    *out = v;
    return VG_OK;
}

char *vg_slice_copy(struct vg_slice a, char *dst, size_t size)
{
    size_t n = a.len < size - 1 ? a.len : size - 1;
    if (n > 0) {
        memcpy(dst, a.ptr, n);
    }
    dst[n] = '\0';
    return dst;
}
