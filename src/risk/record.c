/*
 * A feature record as JSON, the form kept with every assessment:
 *
 *   {"port":"PECLL","direction":"export",...,
 *    "_unknown":{"no booking or shipping-instruction feed ...":["seal_booking",...]},
 *    "_sources":{"seal_gate_in":["m12:13"],"prior_seizure_party":["m40:7","o3"]}}
 *
 * Known values in catalogue order; unknown features are not among them but under
 * "_unknown", each reason once with the features it explains (a feature unknown without a
 * reason is under the empty reason ""); sources are "m<message>:<segment>", "o<outcome>", "e<vessel
 * event>" and "w<watch-list entry>".
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

static enum vg_status json_string(struct vg_buf *out, struct vg_slice s)
{
    /* At most 6 bytes per input byte (\u00XX) and the quotes. */
    enum vg_status st = vg_buf_reserve(out, s.len * 6 + 2);
    if (st != VG_OK) {
        return st;
    }
    char *w = out->data + out->len;
    *w++ = '"';
    for (size_t i = 0; i < s.len; i++) {
        unsigned char ch = (unsigned char)s.ptr[i];
        if (ch >= 0x20 && ch != '"' && ch != '\\') {
            *w++ = (char)ch;
        } else if (ch == '"' || ch == '\\') {
            *w++ = '\\';
            *w++ = (char)ch;
        } else {
            static const char hex[] = "0123456789abcdef";
            memcpy(w, "\\u00", 4);
            w[4] = hex[ch >> 4];
            w[5] = hex[ch & 15];
            w += 6;
        }
    }
    *w++ = '"';
    out->len = (size_t)(w - out->data);
    out->data[out->len] = '\0';
    return VG_OK;
}

/* Appends an integer without printf (the record is written for every trip). */
static enum vg_status append_int(struct vg_buf *out, int64_t x)
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
    return vg_buf_append(out, tmp + sizeof(tmp) - n, n);
}

static enum vg_status append_number(struct vg_buf *out, double x)
{
    if (x == floor(x) && fabs(x) < 1e15) {
        return append_int(out, (int64_t)x);
    }
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%.10g", x);
    return vg_buf_append(out, tmp, n > 0 ? (size_t)n : 0);
}

static enum vg_status json_value(struct vg_buf *out, const struct vg_value *v)
{
    switch (v->kind) {
    case VG_VALUE_NUMBER:
        if (isnan(v->as.number) || isinf(v->as.number)) {
            return vg_buf_append(out, "null", 4);
        }
        return append_number(out, v->as.number);
    case VG_VALUE_BOOL:
        return v->as.boolean ? vg_buf_append(out, "true", 4) : vg_buf_append(out, "false", 5);
    case VG_VALUE_STRING:
        return json_string(out, v->as.string);
    case VG_VALUE_LIST: {
        enum vg_status st = vg_buf_append_char(out, '[');
        for (size_t i = 0; i < v->as.list.count && st == VG_OK; i++) {
            if (i > 0) {
                st = vg_buf_append_char(out, ',');
            }
            if (st == VG_OK) {
                st = json_string(out, v->as.list.items[i]);
            }
        }
        return st == VG_OK ? vg_buf_append_char(out, ']') : st;
    }
    case VG_VALUE_UNKNOWN:
        break;
    }
    return vg_buf_append(out, "null", 4);
}

/* ,"name": */
static enum vg_status key(struct vg_buf *out, bool first, const char *name)
{
    enum vg_status st = first ? VG_OK : vg_buf_append_char(out, ',');
    if (st == VG_OK) {
        st = vg_buf_append_char(out, '"');
    }
    if (st == VG_OK) {
        st = vg_buf_append(out, name, strlen(name));
    }
    return st == VG_OK ? vg_buf_append(out, "\":", 2) : st;
}

static enum vg_status source_text(struct vg_buf *out, const struct rk_src *s)
{
    static const char prefix[] = { 0, 'm', 'o', 'e', 'w' };
    if (s->kind == RK_SRC_NONE || s->kind > RK_SRC_WATCH_ENTRY) {
        return VG_OK;
    }
    char head[2] = { '"', prefix[s->kind] };
    enum vg_status st = vg_buf_append(out, head, 2);
    if (st == VG_OK) {
        st = append_int(out, s->id);
    }
    if (st == VG_OK && s->kind == RK_SRC_MESSAGE && s->seg > 0) {
        st = vg_buf_append_char(out, ':');
        if (st == VG_OK) {
            st = append_int(out, s->seg);
        }
    }
    return st == VG_OK ? vg_buf_append_char(out, '"') : st;
}

enum vg_status
rk_record_json(const struct vg_value *rec, const struct rk_src (*src)[2], struct vg_buf *out)
{
    const struct vg_feature_schema *cat = vg_feature_catalog();
    enum vg_status st = vg_buf_append_char(out, '{');
    bool any = false;
    for (size_t f = 0; f < VG_F_COUNT && st == VG_OK; f++) {
        if (rec[f].kind == VG_VALUE_UNKNOWN) {
            continue; /* listed under "_unknown" */
        }
        st = key(out, !any, cat->defs[f].name);
        any = true;
        if (st == VG_OK) {
            st = json_value(out, &rec[f]);
        }
    }
    if (st == VG_OK) {
        st = vg_buf_append_cstr(out, any ? ",\"_unknown\":{" : "\"_unknown\":{");
    }
    /* Each reason once, with the features it explains. */
    bool done[VG_F_COUNT];
    memset(done, 0, sizeof(done));
    bool first = true;
    for (size_t f = 0; f < VG_F_COUNT && st == VG_OK; f++) {
        if (done[f] || rec[f].kind != VG_VALUE_UNKNOWN) {
            continue;
        }
        struct vg_slice why = rec[f].as.string;
        if (!first) {
            st = vg_buf_append_char(out, ',');
        }
        first = false;
        if (st == VG_OK) {
            st = json_string(out, why);
        }
        if (st == VG_OK) {
            st = vg_buf_append(out, ":[", 2);
        }
        bool inner = true;
        for (size_t g = f; g < VG_F_COUNT && st == VG_OK; g++) {
            if (done[g] || rec[g].kind != VG_VALUE_UNKNOWN || !vg_slice_eq(rec[g].as.string, why)) {
                continue;
            }
            done[g] = true;
            st = inner ? VG_OK : vg_buf_append_char(out, ',');
            inner = false;
            if (st == VG_OK) {
                st = json_string(out, vg_slice_from_cstr(cat->defs[g].name));
            }
        }
        if (st == VG_OK) {
            st = vg_buf_append_char(out, ']');
        }
    }
    if (st == VG_OK) {
        st = vg_buf_append_cstr(out, "},\"_sources\":{");
    }
    first = true;
    for (size_t f = 0; f < VG_F_COUNT && st == VG_OK; f++) {
        if (src[f][0].kind == RK_SRC_NONE) {
            continue;
        }
        st = key(out, first, cat->defs[f].name);
        if (st == VG_OK) {
            st = vg_buf_append_char(out, '[');
        }
        for (int k = 0; k < 2 && st == VG_OK && src[f][k].kind != RK_SRC_NONE; k++) {
            if (k > 0) {
                st = vg_buf_append_char(out, ',');
            }
            if (st == VG_OK) {
                st = source_text(out, &src[f][k]);
            }
        }
        if (st == VG_OK) {
            st = vg_buf_append_char(out, ']');
        }
        first = false;
    }
    if (st == VG_OK) {
        st = vg_buf_append(out, "}}", 2);
    }
    return st;
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
