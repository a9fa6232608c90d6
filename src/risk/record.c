/*
 * A feature record as JSON, the form kept with every assessment:
 *
 *   {"port":"PECLL","direction":"export",...,"seal_booking":null,...,
 *    "_unknown":{"seal_booking":"no booking or shipping-instruction feed ..."},
 *    "_sources":{"seal_gate_in":["m12:13"],"prior_seizure_party":["m40:7","o3"]}}
 *
 * Values in catalogue order; unknown values are null and their reasons are under
 * "_unknown"; sources are "m<message>:<segment>", "o<outcome>", "e<vessel event>" and
 * "w<watch-list entry>". The digest that decides whether a re-score is a new version covers
 * the whole record except the values of features that only measure elapsed time (days since
 * a first shipment or a seizure, dwell so far): those grow with the clock, not with evidence.
 */
#include "risk/risk_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <vigia/audit.h>

static bool elapsed(int f)
{
    return f == VG_F_SHIPPER_DAYS_SINCE_FIRST || f == VG_F_CONSIGNEE_DAYS_SINCE_FIRST ||
           f == VG_F_PRIOR_SEIZURE_DAYS || f == VG_F_DWELL_HOURS || f == VG_F_DWELL_VS_NORM;
}

static enum vg_status json_string(struct vg_buf *out, struct vg_slice s)
{
    enum vg_status st = vg_buf_append_char(out, '"');
    size_t run = 0;
    for (size_t i = 0; i < s.len && st == VG_OK; i++) {
        unsigned char ch = (unsigned char)s.ptr[i];
        if (ch >= 0x20 && ch != '"' && ch != '\\') {
            run++;
            continue;
        }
        st = vg_buf_append(out, s.ptr + i - run, run);
        run = 0;
        if (st == VG_OK) {
            if (ch == '"' || ch == '\\') {
                char esc[2] = { '\\', (char)ch };
                st = vg_buf_append(out, esc, 2);
            } else {
                st = vg_buf_printf(out, "\\u%04x", ch);
            }
        }
    }
    if (st == VG_OK) {
        st = vg_buf_append(out, s.ptr + s.len - run, run);
    }
    return st == VG_OK ? vg_buf_append_char(out, '"') : st;
}

static enum vg_status json_value(struct vg_buf *out, const struct vg_value *v)
{
    switch (v->kind) {
    case VG_VALUE_NUMBER:
        if (isnan(v->as.number) || isinf(v->as.number)) {
            return vg_buf_append_cstr(out, "null");
        }
        return vg_buf_printf(out, "%.10g", v->as.number);
    case VG_VALUE_BOOL: return vg_buf_append_cstr(out, v->as.boolean ? "true" : "false");
    case VG_VALUE_STRING: return json_string(out, v->as.string);
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
    case VG_VALUE_UNKNOWN: break;
    }
    return vg_buf_append_cstr(out, "null");
}

static enum vg_status source_text(struct vg_buf *out, const struct rk_src *s)
{
    switch (s->kind) {
    case RK_SRC_MESSAGE:
        return s->seg > 0 ? vg_buf_printf(out, "\"m%lld:%d\"", (long long)s->id, (int)s->seg)
                          : vg_buf_printf(out, "\"m%lld\"", (long long)s->id);
    case RK_SRC_OUTCOME: return vg_buf_printf(out, "\"o%lld\"", (long long)s->id);
    case RK_SRC_VESSEL_EVENT: return vg_buf_printf(out, "\"e%lld\"", (long long)s->id);
    case RK_SRC_WATCH_ENTRY: return vg_buf_printf(out, "\"w%lld\"", (long long)s->id);
    default: break;
    }
    return VG_OK;
}

enum vg_status rk_record_json(const struct vg_value *rec, const struct rk_src (*src)[2],
                              struct vg_buf *out, uint8_t digest[32])
{
    const struct vg_feature_schema *cat = vg_feature_catalog();
    struct vg_hasher h;
    vg_hasher_init(&h);
    enum vg_status st = vg_buf_append_char(out, '{');
    for (size_t f = 0; f < VG_F_COUNT && st == VG_OK; f++) {
        size_t mark = out->len;
        st = vg_buf_printf(out, "%s\"%s\":", f > 0 ? "," : "", cat->defs[f].name);
        if (st == VG_OK) {
            st = json_value(out, &rec[f]);
        }
        if (st == VG_OK) {
            /* Elapsed-time features count for the digest by whether they are known only. */
            if (elapsed((int)f)) {
                vg_hasher_update(&h, cat->defs[f].name, strlen(cat->defs[f].name));
                vg_hasher_update(&h, rec[f].kind == VG_VALUE_UNKNOWN ? "?" : "=", 1);
            } else {
                vg_hasher_update(&h, out->data + mark, out->len - mark);
            }
        }
    }
    size_t mark = out->len;
    if (st == VG_OK) {
        st = vg_buf_append_cstr(out, ",\"_unknown\":{");
    }
    bool first = true;
    for (size_t f = 0; f < VG_F_COUNT && st == VG_OK; f++) {
        if (rec[f].kind != VG_VALUE_UNKNOWN || rec[f].as.string.len == 0) {
            continue;
        }
        st = vg_buf_printf(out, "%s\"%s\":", first ? "" : ",", cat->defs[f].name);
        if (st == VG_OK) {
            st = json_string(out, rec[f].as.string);
        }
        first = false;
    }
    if (st == VG_OK) {
        st = vg_buf_append_cstr(out, "},\"_sources\":{");
    }
    first = true;
    for (size_t f = 0; f < VG_F_COUNT && st == VG_OK; f++) {
        if (src[f][0].kind == RK_SRC_NONE) {
            continue;
        }
        st = vg_buf_printf(out, "%s\"%s\":[", first ? "" : ",", cat->defs[f].name);
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
        st = vg_buf_append_cstr(out, "}}");
    }
    if (st == VG_OK) {
        vg_hasher_update(&h, out->data + mark, out->len - mark);
        vg_hasher_final(&h, digest);
    }
    return st;
}
