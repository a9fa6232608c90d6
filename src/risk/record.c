/*
 * A feature record as JSON, the compact form kept with every assessment:
 *
 *   {"port":"PECLL","direction":"export","gross_kg":18468,...,
 *    "_sources":{"m1:8":["direction",...],"m2:6 m3:6":["dwell_hours",...],"o3":[...]}}
 *
 * The known values by feature name, in catalogue order; unknown features are left out
 * (`vigia features TRIP --as-of T` gives their reasons; the digest below still covers
 * them). "_sources" maps each source list
 * (one or two sources joined by a space: "m<message>:<segment>", "o<outcome>", "e<vessel
 * event>", "w<watch-list entry>") to the features resting on it, in catalogue order, the
 * lists in the order of their first feature. Written for every assessment, so in one pass
 * into memory reserved beforehand, without printf (number.c writes printf's digits).
 *
 * The digest that decides whether a re-score is a new version is taken over the record in
 * binary form (no JSON needed unless the version is written): every value, reason and
 * source, except the values of features that only measure elapsed time (days since a first
 * shipment or a seizure, dwell so far), which grow with the clock, not with evidence.
 */
#include "risk/risk_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <vigia/audit.h>

static bool elapsed(int f)
{
    return f == VG_F_SHIPPER_DAYS_SINCE_FIRST || f == VG_F_CONSIGNEE_DAYS_SINCE_FIRST ||
           f == VG_F_PRIOR_SEIZURE_DAYS || f == VG_F_DWELL_HOURS || f == VG_F_DWELL_VS_NORM ||
           f == VG_F_DWELL_Z;
}

/* ---- the writer: bounds first, then bytes into reserved memory ---------------------- */

/* Bytes a value takes at most: a string escapes to at most 6 bytes per byte (\u00XX). */
static size_t value_bound(const struct vg_value *v)
{
    switch (v->kind) {
    case VG_VALUE_STRING:
        return v->as.string.len * 6 + 2;
    case VG_VALUE_LIST: {
        size_t n = 2;
        for (size_t i = 0; i < v->as.list.count; i++) {
            n += v->as.list.items[i].len * 6 + 3;
        }
        return n;
    }
    default:
        return 32; /* a number (%.10g or an integer), true, false or null */
    }
}

static char *put(char *w, const char *s, size_t n)
{
    memcpy(w, s, n);
    return w + n;
}

static char *put_string(char *w, struct vg_slice s)
{
    static const char hex[] = "0123456789abcdef";
    *w++ = '"';
    for (size_t i = 0; i < s.len; i++) {
        unsigned char ch = (unsigned char)s.ptr[i];
        if (ch >= 0x20 && ch != '"' && ch != '\\') {
            *w++ = (char)ch;
        } else if (ch == '"' || ch == '\\') {
            *w++ = '\\';
            *w++ = (char)ch;
        } else {
            w = put(w, "\\u00", 4);
            *w++ = hex[ch >> 4];
            *w++ = hex[ch & 15];
        }
    }
    *w++ = '"';
    return w;
}

/* An integer without printf: at most 20 bytes. */
static char *put_int(char *w, int64_t x)
{
    char tmp[24];
    size_t n = 0;
    uint64_t u = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
    do {
        tmp[sizeof(tmp) - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (x < 0) {
        tmp[sizeof(tmp) - 1 - n++] = '-';
    }
    return put(w, tmp + sizeof(tmp) - n, n);
}

enum vg_status rk_buf_int(struct vg_buf *out, int64_t x)
{
    enum vg_status st = vg_buf_reserve(out, 20);
    if (st != VG_OK) {
        return st;
    }
    out->len = (size_t)(put_int(out->data + out->len, x) - out->data);
    out->data[out->len] = '\0';
    return VG_OK;
}

/* At most 32 bytes: integers exactly, others with 10 significant digits. */
static char *put_number(char *w, double x)
{
    if (isnan(x) || isinf(x)) {
        return put(w, "null", 4);
    }
    if (x == floor(x) && fabs(x) < 1e15) {
        return put_int(w, (int64_t)x);
    }
    char *end = rk_put_double(w, x, 'g', 10);
    if (end != NULL) {
        return end;
    }
    int n = snprintf(w, 32, "%.10g", x);
    return w + (n > 0 && n < 32 ? n : 0);
}

static char *put_value(char *w, const struct vg_value *v)
{
    switch (v->kind) {
    case VG_VALUE_NUMBER:
        return put_number(w, v->as.number);
    case VG_VALUE_BOOL:
        return v->as.boolean ? put(w, "true", 4) : put(w, "false", 5);
    case VG_VALUE_STRING:
        return put_string(w, v->as.string);
    case VG_VALUE_LIST:
        *w++ = '[';
        for (size_t i = 0; i < v->as.list.count; i++) {
            if (i > 0) {
                *w++ = ',';
            }
            w = put_string(w, v->as.list.items[i]);
        }
        *w++ = ']';
        return w;
    case VG_VALUE_UNKNOWN:
        break;
    }
    return put(w, "null", 4);
}

/* "m12:13", "o3", "e7", "w5": at most 1 + 20 + 1 + 11 bytes. */
static char *put_source(char *w, const struct rk_src *s)
{
    static const char prefix[] = { 0, 'm', 'o', 'e', 'w' };
    *w++ = prefix[s->kind];
    w = put_int(w, s->id);
    if (s->kind == RK_SRC_MESSAGE && s->seg > 0) {
        *w++ = ':';
        w = put_int(w, s->seg);
    }
    return w;
}

static bool cited(const struct rk_src *s)
{
    return s->kind != RK_SRC_NONE && s->kind <= RK_SRC_WATCH_ENTRY;
}

static bool same_source(const struct rk_src *a, const struct rk_src *b)
{
    return a->kind == b->kind && (a->kind == RK_SRC_NONE || (a->id == b->id && a->seg == b->seg));
}

enum vg_status
rk_record_json(const struct vg_value *rec, const struct rk_src (*src)[2], struct vg_buf *out)
{
    const struct vg_feature_schema *cat = vg_feature_catalog();
    /* Features with the same source list form a group, in the order of their first
     * feature; next[] chains each group's features in catalogue order. */
    uint16_t group_first[VG_F_COUNT], group_last[VG_F_COUNT], next[VG_F_COUNT];
    size_t name_len[VG_F_COUNT];
    size_t ngroups = 0, last = 0;
    size_t bound = 32; /* braces, "_sources", commas */
    for (size_t f = 0; f < VG_F_COUNT; f++) {
        size_t name = strlen(cat->defs[f].name);
        name_len[f] = name;
        if (rec[f].kind != VG_VALUE_UNKNOWN) {
            bound += name + 4 + value_bound(&rec[f]);
        }
        if (!cited(&src[f][0])) {
            continue;
        }
        bound += name + 3;
        next[f] = UINT16_MAX;
        /* Neighbours mostly rest on the same sources: the last feature's group first. */
        size_t g = last;
        if (!(g < ngroups && same_source(&src[group_first[g]][0], &src[f][0]) &&
              same_source(&src[group_first[g]][1], &src[f][1]))) {
            g = 0;
            while (g < ngroups && !(same_source(&src[group_first[g]][0], &src[f][0]) &&
                                    same_source(&src[group_first[g]][1], &src[f][1]))) {
                g++;
            }
        }
        last = g;
        if (g == ngroups) {
            group_first[ngroups++] = (uint16_t)f;
            bound += 2 * 34 + 8; /* "s1 s2":[] */
        } else {
            next[group_last[g]] = (uint16_t)f;
        }
        group_last[g] = (uint16_t)f;
    }
    enum vg_status st = vg_buf_reserve(out, bound);
    if (st != VG_OK) {
        return st;
    }
    char *w = out->data + out->len;
    *w++ = '{';
    bool first = true;
    for (size_t f = 0; f < VG_F_COUNT; f++) {
        if (rec[f].kind == VG_VALUE_UNKNOWN) {
            continue;
        }
        if (!first) {
            *w++ = ',';
        }
        first = false;
        *w++ = '"';
        w = put(w, cat->defs[f].name, name_len[f]);
        w = put(w, "\":", 2);
        w = put_value(w, &rec[f]);
    }
    w = put(w, first ? "\"_sources\":{" : ",\"_sources\":{", first ? 12 : 13);
    for (size_t g = 0; g < ngroups; g++) {
        const struct rk_src *s = src[group_first[g]];
        if (g > 0) {
            *w++ = ',';
        }
        *w++ = '"';
        w = put_source(w, &s[0]);
        if (cited(&s[1])) {
            *w++ = ' ';
            w = put_source(w, &s[1]);
        }
        w = put(w, "\":[", 3);
        for (uint16_t f = group_first[g]; f != UINT16_MAX; f = next[f]) {
            if (f != group_first[g]) {
                *w++ = ',';
            }
            *w++ = '"';
            w = put(w, cat->defs[f].name, name_len[f]);
            *w++ = '"';
        }
        *w++ = ']';
    }
    w = put(w, "}}", 2);
    out->len = (size_t)(w - out->data);
    out->data[out->len] = '\0';
    return VG_OK;
}

enum vg_status
rk_record_digest(const struct vg_value *rec, const struct rk_src (*src)[2], uint8_t digest[32])
{
    /* The values in a flat binary form: per feature its kind, then its value (elapsed-time
     * features: nothing more), then the unknown reason or the list items; and the sources. */
    uint8_t buf[8192];
    size_t n = 0;
    struct vg_hasher h;
    vg_hasher_init(&h);
#define PUT(p, len)               \
 do {                             \
  size_t l_ = (len);              \
  if (n + l_ > sizeof(buf)) {     \
   vg_hasher_update(&h, buf, n);  \
   n = 0;                         \
  }                               \
  if (l_ > sizeof(buf)) {         \
   vg_hasher_update(&h, (p), l_); \
  } else {                        \
   memcpy(buf + n, (p), l_);      \
   n += l_;                       \
  }                               \
 } while (0)
    for (size_t f = 0; f < VG_F_COUNT; f++) {
        const struct vg_value *v = &rec[f];
        uint8_t kind = (uint8_t)v->kind;
        PUT(&kind, 1);
        if (v->kind == VG_VALUE_UNKNOWN || v->kind == VG_VALUE_STRING) {
            uint32_t len = (uint32_t)v->as.string.len;
            PUT(&len, sizeof(len));
            PUT(v->as.string.ptr, v->as.string.len);
        } else if (elapsed((int)f)) {
            continue;
        } else if (v->kind == VG_VALUE_NUMBER) {
            PUT(&v->as.number, sizeof(double));
        } else if (v->kind == VG_VALUE_BOOL) {
            uint8_t b = v->as.boolean ? 1 : 0;
            PUT(&b, 1);
        } else if (v->kind == VG_VALUE_LIST) {
            uint32_t cnt = (uint32_t)v->as.list.count;
            PUT(&cnt, sizeof(cnt));
            for (size_t i = 0; i < v->as.list.count; i++) {
                uint32_t len = (uint32_t)v->as.list.items[i].len;
                PUT(&len, sizeof(len));
                PUT(v->as.list.items[i].ptr, v->as.list.items[i].len);
            }
        }
        for (int k = 0; k < 2; k++) {
            PUT(&src[f][k].kind, 1);
            if (src[f][k].kind != RK_SRC_NONE) {
                PUT(&src[f][k].id, sizeof(int64_t));
                PUT(&src[f][k].seg, sizeof(int32_t));
            }
        }
    }
#undef PUT
    vg_hasher_update(&h, buf, n);
    vg_hasher_final(&h, digest);
    return VG_OK;
}
