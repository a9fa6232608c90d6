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

static bool same_sources(const struct rk_src *a, const struct rk_src *b)
{
    return same_source(&a[0], &b[0]) && same_source(&a[1], &b[1]);
}

/* A hash of a source list that agrees with same_sources (a missing source's id and
 * segment do not count). */
static uint32_t sources_hash(const struct rk_src *s)
{
    uint64_t h = 0;
    for (int k = 0; k < 2; k++) {
        bool none = s[k].kind == RK_SRC_NONE;
        uint64_t id = none ? 0 : (uint64_t)s[k].id, seg = none ? 0 : (uint32_t)s[k].seg;
        h = (h ^ (id * 0x9e3779b97f4a7c15u) ^ (seg << 8 | s[k].kind)) * 0xff51afd7ed558ccdu;
    }
    return (uint32_t)(h >> 32);
}

/* Features with the same source list form a group, in the order of their first feature:
 * first[g], last[g] and n[g] of group g < count, next[] chaining each group's features in
 * catalogue order (UINT16_MAX ends a chain). Only cited features are grouped. */
struct groups {
    uint16_t first[VG_F_COUNT], last[VG_F_COUNT], n[VG_F_COUNT], next[VG_F_COUNT];
    size_t count;
};

#define GROUP_SLOTS 512 /* a power of two, at least twice VG_F_COUNT */
_Static_assert(VG_F_COUNT * 2 <= GROUP_SLOTS, "GROUP_SLOTS holds every feature's group");

static void group_sources(const struct rk_src (*src)[2], struct groups *gr)
{
    uint16_t slot[GROUP_SLOTS]; /* group + 1, 0 when free */
    memset(slot, 0, sizeof(slot));
    gr->count = 0;
    size_t last = SIZE_MAX;
    for (size_t f = 0; f < VG_F_COUNT; f++) {
        if (!cited(&src[f][0])) {
            continue;
        }
        gr->next[f] = UINT16_MAX;
        /* Neighbours mostly rest on the same sources: the last feature's group first. */
        size_t g = last;
        if (!(g < gr->count && same_sources(src[gr->first[g]], src[f]))) {
            uint32_t h = sources_hash(src[f]) & (GROUP_SLOTS - 1);
            while (slot[h] != 0 && !same_sources(src[gr->first[slot[h] - 1]], src[f])) {
                h = (h + 1) & (GROUP_SLOTS - 1);
            }
            if (slot[h] == 0) {
                g = gr->count++;
                slot[h] = (uint16_t)(g + 1);
                gr->first[g] = (uint16_t)f;
                gr->n[g] = 0;
            } else {
                g = slot[h] - 1u;
            }
        }
        if (gr->n[g] > 0) {
            gr->next[gr->last[g]] = (uint16_t)f;
        }
        gr->last[g] = (uint16_t)f;
        gr->n[g]++;
        last = g;
    }
}

enum vg_status
rk_record_json(const struct vg_value *rec, const struct rk_src (*src)[2], struct vg_buf *out)
{
    const struct vg_feature_schema *cat = vg_feature_catalog();
    struct groups gr;
    group_sources(src, &gr);
    size_t name_len[VG_F_COUNT];
    size_t bound = 32 + gr.count * (2 * 34 + 8); /* braces, "_sources", commas; "s1 s2":[] */
    for (size_t f = 0; f < VG_F_COUNT; f++) {
        size_t name = strlen(cat->defs[f].name);
        name_len[f] = name;
        if (rec[f].kind != VG_VALUE_UNKNOWN) {
            bound += name + 4 + value_bound(&rec[f]);
        }
        if (cited(&src[f][0])) {
            bound += name + 3;
        }
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
    for (size_t g = 0; g < gr.count; g++) {
        const struct rk_src *s = src[gr.first[g]];
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
        for (uint16_t f = gr.first[g]; f != UINT16_MAX; f = gr.next[f]) {
            if (f != gr.first[g]) {
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

/* ---- the stored form: a packed record ------------------------------------------------- */

/*
 * What assessments.features holds since schema 7: the record rk_record_json would write,
 * packed (about a sixth of the JSON's size; the JSON is what readers get back, byte for
 * byte, from rk_record_unpack, vg_risk_record_json and the SQL function vg_feature_record):
 *
 *   0x01                                       the format
 *   varint n, then n x (varint name, value)    the known values, in the JSON's order
 *   varint g, then g x group                   "_sources", in the JSON's order
 *
 * A name is the id of a feature_names row, so a record keeps its names when the catalogue
 * changes. A value is a tag byte: 0 null, 1 false, 2 true, 3 an integer (zigzag varint; a
 * number that is whole and below 1e15, which the JSON writes as an integer), 4 another
 * number (8 bytes, little-endian IEEE 754), 5 a string (varint length, bytes), 6 a list
 * (varint count, then each string). A group is the kinds of its two sources (a byte each;
 * the second 0 when there is one), each present source's id (zigzag varint) and, for a
 * message, its segment (zigzag varint), then varint count and the names of its features.
 * Varints are LEB128 (7 bits a byte, least significant first).
 */

enum { TAG_NULL, TAG_FALSE, TAG_TRUE, TAG_INT, TAG_DOUBLE, TAG_STRING, TAG_LIST };

static uint8_t *put_varint(uint8_t *w, uint64_t x)
{
    while (x >= 0x80) {
        *w++ = (uint8_t)(x | 0x80);
        x >>= 7;
    }
    *w++ = (uint8_t)x;
    return w;
}

static uint8_t *put_zigzag(uint8_t *w, int64_t x)
{
    return put_varint(w, ((uint64_t)x << 1) ^ (x < 0 ? UINT64_MAX : 0));
}

static uint8_t *put_bytes(uint8_t *w, struct vg_slice s)
{
    w = put_varint(w, s.len);
    memcpy(w, s.ptr, s.len);
    return w + s.len;
}

/* Bytes pack_value writes at most. */
static size_t pack_bound(const struct vg_value *v)
{
    switch (v->kind) {
    case VG_VALUE_STRING:
        return 11 + v->as.string.len;
    case VG_VALUE_LIST: {
        size_t n = 11;
        for (size_t i = 0; i < v->as.list.count; i++) {
            n += 10 + v->as.list.items[i].len;
        }
        return n;
    }
    default:
        return 11;
    }
}

static uint8_t *pack_value(uint8_t *w, const struct vg_value *v)
{
    switch (v->kind) {
    case VG_VALUE_NUMBER: {
        double x = v->as.number;
        if (isnan(x) || isinf(x)) {
            *w++ = TAG_NULL;
        } else if (x == floor(x) && fabs(x) < 1e15) {
            *w++ = TAG_INT;
            w = put_zigzag(w, (int64_t)x);
        } else {
            uint64_t u;
            memcpy(&u, &x, sizeof(u));
            *w++ = TAG_DOUBLE;
            for (int i = 0; i < 8; i++) {
                *w++ = (uint8_t)(u >> (8 * i));
            }
        }
        return w;
    }
    case VG_VALUE_BOOL:
        *w++ = v->as.boolean ? TAG_TRUE : TAG_FALSE;
        return w;
    case VG_VALUE_STRING:
        *w++ = TAG_STRING;
        return put_bytes(w, v->as.string);
    case VG_VALUE_LIST:
        *w++ = TAG_LIST;
        w = put_varint(w, v->as.list.count);
        for (size_t i = 0; i < v->as.list.count; i++) {
            w = put_bytes(w, v->as.list.items[i]);
        }
        return w;
    case VG_VALUE_UNKNOWN:
        break;
    }
    *w++ = TAG_NULL;
    return w;
}

static uint8_t *pack_source(uint8_t *w, const struct rk_src *s)
{
    w = put_zigzag(w, s->id);
    if (s->kind == RK_SRC_MESSAGE) {
        w = put_zigzag(w, s->seg);
    }
    return w;
}

enum vg_status rk_record_pack(const struct vg_value *rec,
                              const struct rk_src (*src)[2],
                              const uint32_t name[VG_F_COUNT],
                              struct vg_buf *out)
{
    struct groups gr; /* the same groups as rk_record_json */
    group_sources(src, &gr);
    size_t nvalues = 0;
    size_t bound = 1 + 2 * 10 + gr.count * (2 + 4 * 10 + 5);
    for (size_t f = 0; f < VG_F_COUNT; f++) {
        if (rec[f].kind != VG_VALUE_UNKNOWN) {
            nvalues++;
            bound += 10 + pack_bound(&rec[f]);
        }
        if (cited(&src[f][0])) {
            bound += 5;
        }
    }
    enum vg_status st = vg_buf_reserve(out, bound);
    if (st != VG_OK) {
        return st;
    }
    uint8_t *w = (uint8_t *)out->data + out->len;
    *w++ = RK_RECORD_PACKED;
    w = put_varint(w, nvalues);
    for (size_t f = 0; f < VG_F_COUNT; f++) {
        if (rec[f].kind != VG_VALUE_UNKNOWN) {
            w = put_varint(w, name[f]);
            w = pack_value(w, &rec[f]);
        }
    }
    w = put_varint(w, gr.count);
    for (size_t g = 0; g < gr.count; g++) {
        const struct rk_src *s = src[gr.first[g]];
        bool two = cited(&s[1]);
        *w++ = s[0].kind;
        *w++ = two ? s[1].kind : RK_SRC_NONE;
        w = pack_source(w, &s[0]);
        if (two) {
            w = pack_source(w, &s[1]);
        }
        w = put_varint(w, gr.n[g]);
        for (uint16_t f = gr.first[g]; f != UINT16_MAX; f = gr.next[f]) {
            w = put_varint(w, name[f]);
        }
    }
    out->len = (size_t)((char *)w - out->data);
    out->data[out->len] = '\0';
    return VG_OK;
}

/* ---- reading a packed record back as JSON ---- */

struct unpacker {
    const uint8_t *p, *end;
    const struct vg_slice *names;
    size_t nnames;
    struct vg_buf *out;
};

static bool get_varint(struct unpacker *u, uint64_t *x)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64 && u->p < u->end; shift += 7) {
        uint8_t b = *u->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (b < 0x80) {
            *x = v;
            return true;
        }
    }
    return false;
}

static bool get_zigzag(struct unpacker *u, int64_t *x)
{
    uint64_t v;
    if (!get_varint(u, &v)) {
        return false;
    }
    *x = (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
    return true;
}

/* Appends the JSON string of s (escaped as rk_record_json escapes). */
static enum vg_status emit_string(struct vg_buf *out, struct vg_slice s)
{
    enum vg_status st = vg_buf_reserve(out, s.len * 6 + 2);
    if (st == VG_OK) {
        out->len = (size_t)(put_string(out->data + out->len, s) - out->data);
        out->data[out->len] = '\0';
    }
    return st;
}

static enum vg_status emit(struct vg_buf *out, const char *s, size_t n)
{
    return vg_buf_append(out, s, n);
}

static enum vg_status get_bytes(struct unpacker *u, struct vg_slice *s)
{
    uint64_t n;
    if (!get_varint(u, &n) || n > (uint64_t)(u->end - u->p)) {
        return VG_EPARSE;
    }
    *s = (struct vg_slice){ (const char *)u->p, (size_t)n };
    u->p += n;
    return VG_OK;
}

static enum vg_status emit_name(struct unpacker *u)
{
    uint64_t id;
    if (!get_varint(u, &id) || id >= u->nnames || u->names[id].ptr == NULL) {
        return VG_EPARSE;
    }
    return emit_string(u->out, u->names[id]);
}

static enum vg_status unpack_value(struct unpacker *u)
{
    if (u->p == u->end) {
        return VG_EPARSE;
    }
    uint8_t tag = *u->p++;
    enum vg_status st = vg_buf_reserve(u->out, 40);
    if (st != VG_OK) {
        return st;
    }
    char *w = u->out->data + u->out->len;
    switch (tag) {
    case TAG_NULL:
        w = put(w, "null", 4);
        break;
    case TAG_FALSE:
        w = put(w, "false", 5);
        break;
    case TAG_TRUE:
        w = put(w, "true", 4);
        break;
    case TAG_INT: {
        int64_t x;
        if (!get_zigzag(u, &x)) {
            return VG_EPARSE;
        }
        w = put_int(w, x);
        break;
    }
    case TAG_DOUBLE: {
        if (u->end - u->p < 8) {
            return VG_EPARSE;
        }
        uint64_t bits = 0;
        for (int i = 0; i < 8; i++) {
            bits |= (uint64_t)u->p[i] << (8 * i);
        }
        u->p += 8;
        double x;
        memcpy(&x, &bits, sizeof(x));
        w = put_number(w, x);
        break;
    }
    case TAG_STRING: {
        struct vg_slice s;
        return get_bytes(u, &s) != VG_OK ? VG_EPARSE : emit_string(u->out, s);
    }
    case TAG_LIST: {
        uint64_t n;
        if (!get_varint(u, &n) || n > (uint64_t)(u->end - u->p)) {
            return VG_EPARSE;
        }
        st = emit(u->out, "[", 1);
        for (uint64_t i = 0; i < n && st == VG_OK; i++) {
            struct vg_slice s;
            st = get_bytes(u, &s);
            if (st == VG_OK && i > 0) {
                st = emit(u->out, ",", 1);
            }
            if (st == VG_OK) {
                st = emit_string(u->out, s);
            }
        }
        return st == VG_OK ? emit(u->out, "]", 1) : st;
    }
    default:
        return VG_EPARSE;
    }
    u->out->len = (size_t)(w - u->out->data);
    u->out->data[u->out->len] = '\0';
    return VG_OK;
}

static enum vg_status unpack_source(struct unpacker *u, uint8_t kind)
{
    struct rk_src s = { .kind = kind };
    int64_t seg = 0;
    if (kind == RK_SRC_NONE || kind > RK_SRC_WATCH_ENTRY || !get_zigzag(u, &s.id) ||
        (kind == RK_SRC_MESSAGE && (!get_zigzag(u, &seg) || seg < INT32_MIN || seg > INT32_MAX))) {
        return VG_EPARSE;
    }
    s.seg = (int32_t)seg;
    enum vg_status st = vg_buf_reserve(u->out, 40);
    if (st == VG_OK) {
        u->out->len = (size_t)(put_source(u->out->data + u->out->len, &s) - u->out->data);
        u->out->data[u->out->len] = '\0';
    }
    return st;
}

enum vg_status rk_record_unpack(
    const void *data, size_t len, const struct vg_slice *names, size_t nnames, struct vg_buf *out)
{
    struct unpacker u = { data, (const uint8_t *)data + len, names, nnames, out };
    size_t start = out->len;
    uint64_t n;
    if (len == 0 || *u.p++ != RK_RECORD_PACKED || !get_varint(&u, &n)) {
        return VG_EPARSE;
    }
    enum vg_status st = emit(out, "{", 1);
    for (uint64_t i = 0; i < n && st == VG_OK; i++) {
        st = i > 0 ? emit(out, ",", 1) : VG_OK;
        if (st == VG_OK) {
            st = emit_name(&u);
        }
        if (st == VG_OK) {
            st = emit(out, ":", 1);
        }
        if (st == VG_OK) {
            st = unpack_value(&u);
        }
    }
    if (st == VG_OK) {
        st = n > 0 ? emit(out, ",\"_sources\":{", 13) : emit(out, "\"_sources\":{", 12);
    }
    if (st == VG_OK && !get_varint(&u, &n)) {
        st = VG_EPARSE;
    }
    for (uint64_t g = 0; g < n && st == VG_OK; g++) {
        if (u.end - u.p < 2) {
            st = VG_EPARSE;
            break;
        }
        uint8_t k0 = u.p[0], k1 = u.p[1];
        u.p += 2;
        st = emit(out, g > 0 ? ",\"" : "\"", g > 0 ? 2 : 1);
        if (st == VG_OK) {
            st = unpack_source(&u, k0);
        }
        if (st == VG_OK && k1 != RK_SRC_NONE) {
            st = emit(out, " ", 1);
            if (st == VG_OK) {
                st = unpack_source(&u, k1);
            }
        }
        uint64_t m = 0;
        if (st == VG_OK && !get_varint(&u, &m)) {
            st = VG_EPARSE;
        }
        if (st == VG_OK) {
            st = emit(out, "\":[", 3);
        }
        for (uint64_t i = 0; i < m && st == VG_OK; i++) {
            st = i > 0 ? emit(out, ",", 1) : VG_OK;
            if (st == VG_OK) {
                st = emit_name(&u);
            }
        }
        if (st == VG_OK) {
            st = emit(out, "]", 1);
        }
    }
    if (st == VG_OK) {
        st = u.p == u.end ? emit(out, "}}", 2) : VG_EPARSE;
    }
    if (st != VG_OK && out->data != NULL) {
        out->len = start;
        out->data[start] = '\0';
    }
    return st;
}
