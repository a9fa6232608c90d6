/*
 * Small helpers of the risk module: growable arrays, interned strings, setting values of a
 * record with their sources and unknown reasons, text in the scratch arena, HS headings and
 * commodity groups, seal comparison.
 */
#include "risk/risk_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <vigia/alloc.h>

void *rk_push(struct rk_vec *v, size_t size)
{
    if (v->n == v->cap) {
        size_t cap = v->cap != 0 ? v->cap * 2 : 64;
        void *p = vg_reallocarray(v->items, cap, size);
        if (p == NULL) {
            return NULL;
        }
        v->items = p;
        v->cap = cap;
    }
    void *e = (char *)v->items + v->n * size;
    memset(e, 0, size);
    v->n++;
    return e;
}

void rk_vec_free(struct rk_vec *v)
{
    vg_free(v->items);
    v->items = NULL;
    v->n = v->cap = 0;
}

enum vg_status rk_strings_init(struct rk_strings *s)
{
    vg_map_init(&s->map);
    memset(&s->slices, 0, sizeof(s->slices));
    memset(s->recent, 0, sizeof(s->recent));
    vg_arena_init(&s->arena, 1u << 20, 0);
    struct vg_slice *empty = rk_push(&s->slices, sizeof(struct vg_slice));
    if (empty == NULL) {
        return VG_ENOMEM;
    }
    *empty = VG_SLICE_EMPTY;
    return VG_OK;
}

void rk_strings_release(struct rk_strings *s)
{
    vg_map_release(&s->map);
    rk_vec_free(&s->slices);
    vg_arena_release(&s->arena);
}

/* The slot of text[0..len) (len > 0) in s->recent: its length and first and last eight
 * bytes, mixed. */
static size_t recent_slot(const char *text, size_t len)
{
    uint64_t a = 0, b = 0;
    memcpy(&a, text, len < 8 ? len : 8);
    memcpy(&b, text + (len > 8 ? len - 8 : 0), len < 8 ? len : 8);
    uint64_t h = (a * 0x9e3779b97f4a7c15ull) ^ (b * 0xc2b2ae3d27d4eb4full) ^ len;
    h ^= h >> 31;
    h *= 0xff51afd7ed558ccdull;
    return (size_t)(h >> 40) & (RK_RECENT - 1);
}

enum vg_status rk_intern(struct rk_strings *s, const char *text, size_t len, uint32_t *id)
{
    *id = 0;
    if (text == NULL || len == 0) {
        return VG_OK;
    }
    size_t slot = recent_slot(text, len);
    uint32_t rid = s->recent[slot];
    if (rid != 0) {
        struct vg_slice r = rk_str(s, rid);
        if (r.len == len && memcmp(r.ptr, text, len) == 0) {
            *id = rid;
            return VG_OK;
        }
    }
    uint64_t v;
    if (vg_map_get(&s->map, text, len, &v)) {
        *id = (uint32_t)v;
        s->recent[slot] = *id;
        return VG_OK;
    }
    if (s->slices.n >= UINT32_MAX - 1) {
        return VG_ELIMIT;
    }
    char *copy = vg_arena_strndup(&s->arena, text, len);
    struct vg_slice *sl = copy != NULL ? rk_push(&s->slices, sizeof(*sl)) : NULL;
    if (sl == NULL) {
        return VG_ENOMEM;
    }
    *sl = vg_slice_make(copy, len);
    uint32_t nid = (uint32_t)(s->slices.n - 1);
    if (vg_map_set(&s->map, text, len, nid) != VG_OK) {
        s->slices.n--;
        return VG_ENOMEM;
    }
    *id = nid;
    s->recent[slot] = nid;
    return VG_OK;
}

/* ---- record helpers ---------------------------------------------------------------- */

void rk_set(struct rk_view *v, int f, struct vg_value val)
{
    v->rec[f] = val;
}

void rk_unknown(struct rk_view *v, int f, struct vg_slice why)
{
    v->rec[f] = vg_value_unknown(why);
}

void rk_cite(struct rk_view *v, int f, uint8_t kind, int64_t id, int32_t seg)
{
    if (id == 0 || kind == RK_SRC_NONE) {
        return;
    }
    struct rk_src *s = v->src[f];
    for (int i = 0; i < 2; i++) {
        if (s[i].kind == kind && s[i].id == id && s[i].seg == seg) {
            return;
        }
        if (s[i].kind == RK_SRC_NONE) {
            s[i].kind = kind;
            s[i].id = id;
            s[i].seg = seg;
            return;
        }
    }
}

void rk_cite_msg(struct rk_view *v, int f, int64_t message_id, int32_t seg)
{
    rk_cite(v, f, RK_SRC_MESSAGE, message_id, seg);
}

bool rk_need(struct rk_view *v, int f, unsigned feeds)
{
    for (unsigned b = 0; b < VG_FEED_COUNT; b++) {
        if ((feeds & (1u << b)) != 0 && !v->feed[b]) {
            rk_unknown(v, f, v->feed_why[b]);
            return true;
        }
    }
    return false;
}

struct vg_slice rk_fmt(struct rk_view *v, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0) {
        return VG_SLICE_EMPTY;
    }
    size_t len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
    char *p = vg_arena_strndup(v->arena, buf, len);
    return p != NULL ? vg_slice_make(p, len) : VG_SLICE_EMPTY;
}

struct vg_slice rk_day_text(struct rk_view *v, int64_t t)
{
    char buf[32];
    vg_time_format_iso8601(t, buf, sizeof(buf));
    buf[10] = '\0';
    return rk_fmt(v, "%s", buf);
}

/* ---- HS codes ----------------------------------------------------------------------- */

uint32_t rk_prefix(struct rk_ctx *c, uint32_t hs, size_t digits)
{
    struct vg_slice h = rk_str(&c->s, hs);
    if (h.len < digits) {
        return 0;
    }
    uint32_t id = 0;
    if (rk_intern(&c->s, h.ptr, digits, &id) != VG_OK) {
        c->oom = true;
        return 0;
    }
    return id;
}

uint32_t rk_heading(struct rk_ctx *c, uint32_t hs)
{
    return rk_prefix(c, hs, 4);
}

static int hs_num(struct vg_slice hs, size_t digits)
{
    if (hs.len < digits) {
        return -1;
    }
    int n = 0;
    for (size_t i = 0; i < digits; i++) {
        if (hs.ptr[i] < '0' || hs.ptr[i] > '9') {
            return -1;
        }
        n = n * 10 + (hs.ptr[i] - '0');
    }
    return n;
}

const char *rk_commodity_group(struct vg_slice hs)
{
    int ch = hs_num(hs, 2);
    int hd = hs_num(hs, 4);
    if (ch < 0) {
        return NULL;
    }
    if ((hd >= 803 && hd <= 811)) {
        return "fruit";
    }
    if (hd == 2008 || hd == 2009) {
        return "fruit_pulp";
    }
    if ((hd >= 302 && hd <= 305) || hd == 1604) {
        return "fish";
    }
    if (ch == 7) {
        return "vegetables";
    }
    if (hd == 901 || ch == 18) {
        return "coffee_cocoa";
    }
    if (ch >= 25 && ch <= 27) {
        return "minerals";
    }
    if (ch == 31) {
        return "fertilizer";
    }
    if (ch >= 28 && ch <= 38) {
        return "chemicals";
    }
    if (ch == 39) {
        return "plastics";
    }
    if (ch == 44) {
        return "timber";
    }
    if (ch >= 50 && ch <= 63) {
        return "textiles";
    }
    if (ch >= 72 && ch <= 83) {
        return "metals_scrap";
    }
    if (ch == 84 || ch == 85) {
        return "machinery";
    }
    if (ch >= 1 && ch <= 24) {
        return "food_other";
    }
    return "other";
}

/* ---- seals -------------------------------------------------------------------------- */

/* Optimal string alignment distance, capped at 2. */
static int edit_distance_capped(struct vg_slice a, struct vg_slice b)
{
    if (a.len > b.len + 1 || b.len > a.len + 1) {
        return 2;
    }
    if (a.len > 64 || b.len > 64) {
        return vg_slice_eq(a, b) ? 0 : 2;
    }
    int d[66][66];
    for (size_t i = 0; i <= a.len; i++) {
        d[i][0] = (int)i;
    }
    for (size_t j = 0; j <= b.len; j++) {
        d[0][j] = (int)j;
    }
    for (size_t i = 1; i <= a.len; i++) {
        for (size_t j = 1; j <= b.len; j++) {
            int cost = a.ptr[i - 1] == b.ptr[j - 1] ? 0 : 1;
            int best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) {
                best = d[i][j - 1] + 1;
            }
            if (d[i - 1][j - 1] + cost < best) {
                best = d[i - 1][j - 1] + cost;
            }
            if (i > 1 && j > 1 && a.ptr[i - 1] == b.ptr[j - 2] && a.ptr[i - 2] == b.ptr[j - 1] &&
                d[i - 2][j - 2] + 1 < best) {
                best = d[i - 2][j - 2] + 1;
            }
            d[i][j] = best;
        }
    }
    return d[a.len][b.len] > 2 ? 2 : d[a.len][b.len];
}

int rk_seal_relation(struct vg_slice a, struct vg_slice b)
{
    if (vg_slice_eq(a, b)) {
        return 0;
    }
    return edit_distance_capped(a, b) <= 1 ? 1 : 2;
}

size_t rk_compact_key(struct vg_slice name, char *out, size_t size)
{
    char key[VG_NAME_KEY_SIZE];
    size_t n = vg_name_key(name.ptr, name.len, VG_NAME_ORGANIZATION, key, sizeof(key));
    size_t w = 0;
    for (size_t i = 0; i < n && w + 1 < size; i++) {
        if (key[i] != ' ') {
            out[w++] = key[i];
        }
    }
    out[w] = '\0';
    return w;
}

struct vg_screen_query
rk_party_query(const struct rk_ctx *c, const struct rk_party *pt, char *ruc, size_t size)
{
    ruc[0] = '\0';
    if (pt->ruc != 0) {
        snprintf(ruc, size, "RUC %s", rk_cstr(&c->s, pt->ruc));
    }
    struct vg_screen_query q = { rk_cstr(&c->s, pt->name), VG_WATCH_PARTY,
                                 pt->country != 0 ? rk_cstr(&c->s, pt->country) : NULL,
                                 pt->ruc != 0 ? ruc : NULL };
    return q;
}

size_t rk_party_shipments(const struct rk_ctx *c, uint32_t p, int64_t ref)
{
    const struct rk_party *pt = RK_AT(c->parties, struct rk_party, p);
    size_t total = 0;
    for (int role = 0; role < 2; role++) {
        const struct rk_shipment *s = role == 0
                                          ? RK_AT(c->shipments, struct rk_shipment, pt->ship_off)
                                          : RK_AT(c->receipts, struct rk_shipment, pt->recv_off);
        size_t lo = 0, hi = role == 0 ? pt->ship_n : pt->recv_n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (s[mid].t < ref) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        total += lo;
    }
    return total;
}
