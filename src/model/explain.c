/*
 * Explanations in words (vigia/model.h, docs/model.md "Explanations"): what a feature is
 * (its catalogue description), its value (formatted as the rules format values), how
 * unusual the value is against what the model learned from, and which way it moved the
 * score.
 */
#include "model/model_int.h"

#include <math.h>
#include <string.h>
#include <vigia/rules.h>

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* A number in the feature's unit ("30 hours"), or without unit. */
static enum vg_status
number(const struct vg_feature_def *def, double x, bool unit, struct vg_buf *out)
{
    struct vg_feature_def d = *def;
    if (!unit) {
        d.unit = "";
    }
    struct vg_value v = vg_value_number(x);
    return vg_rules_format_value(&d, &v, out);
}

/* "no gate or terminal data" from the feeds a feature depends on. */
static enum vg_status feeds(unsigned bits, struct vg_buf *out)
{
    enum vg_status st = vg_buf_append_cstr(out, "no ");
    bool any = false;
    for (unsigned b = 0; b < VG_FEED_COUNT && st == VG_OK; b++) {
        if (bits & (1u << b)) {
            st = vg_buf_printf(out, "%s%s", any ? " or " : "", vg_feed_name(1u << b));
            any = true;
        }
    }
    return st == VG_OK ? vg_buf_append_cstr(out, any ? " data" : "data") : st;
}

/* ", 3.1 robust deviations above the norm, higher than 98% of trips (median 30 hours)" */
static enum vg_status number_context(const struct vg_feature_def *def,
                                     const struct enc_feature *f,
                                     double x,
                                     struct vg_buf *out)
{
    enum vg_status st = VG_OK;
    if (ends_with(def->name, "_z") && x != 0) {
        st = vg_buf_append_cstr(out, ", ");
        if (st == VG_OK) {
            st = number(def, fabs(x), false, out);
        }
        if (st == VG_OK) {
            st = vg_buf_printf(out, " robust deviation%s %s the norm", fabs(x) == 1 ? "" : "s",
                               x > 0 ? "above" : "below");
        }
    } else if (ends_with(def->name, "_ratio") || ends_with(def->name, "_vs_norm")) {
        st = vg_buf_append_cstr(out, ", ");
        if (st == VG_OK) {
            st = number(def, x, false, out);
        }
        if (st == VG_OK) {
            st = vg_buf_append_cstr(out, " times the norm");
        }
    }
    if (st != VG_OK || f == NULL || !f->has_stats) {
        return st;
    }
    const double *q = f->q;
    if (x > q[ENC_QUANTILES - 1]) {
        st = vg_buf_append_cstr(out, ", higher than every trip the model learned from");
    } else if (x < q[0]) {
        st = vg_buf_append_cstr(out, ", lower than every trip the model learned from");
    } else {
        double r = vg__enc_rank(f, x);
        if (r >= 90) {
            st = vg_buf_printf(out, ", higher than %d%% of trips", (int)floor(r));
        } else if (r <= 10) {
            st = vg_buf_printf(out, ", lower than %d%% of trips", (int)floor(100 - r));
        } else {
            st = vg_buf_append_cstr(out, ", usual");
        }
    }
    if (st == VG_OK) {
        st = vg_buf_append_cstr(out, " (median ");
    }
    if (st == VG_OK) {
        st = number(def, q[6], true, out);
    }
    return st == VG_OK ? vg_buf_append_char(out, ')') : st;
}

/* " (3 items, among them PAMIT, COCTG)" */
static enum vg_status
list_context(const struct enc_feature *f, const struct vg_value *v, struct vg_buf *out)
{
    size_t n = v->as.list.count;
    enum vg_status st = vg_buf_printf(out, " (%zu item%s", n, n == 1 ? "" : "s");
    bool any = false;
    for (size_t k = 0; f != NULL && k < f->nvalues && st == VG_OK; k++) {
        bool present = false;
        for (size_t j = 0; j < n && !present; j++) {
            present = vg_slice_eq(v->as.list.items[j], f->slices[k]);
        }
        if (present) {
            st = vg_buf_append_cstr(out, any ? ", " : ", among them ");
            if (st == VG_OK) {
                st = vg_buf_append(out, f->slices[k].ptr, f->slices[k].len);
            }
            any = true;
        }
    }
    return st == VG_OK ? vg_buf_append_char(out, ')') : st;
}

static enum vg_status value_text(const struct vg_feature_def *def,
                                 const struct enc_feature *f,
                                 const struct vg_value *v,
                                 struct vg_buf *out)
{
    if (vg__value_unknown(v, def->type)) {
        enum vg_status st = vg_buf_append_cstr(out, "unknown (");
        if (st == VG_OK && v->kind == VG_VALUE_UNKNOWN && v->as.string.len > 0 &&
            v->as.string.ptr != NULL) {
            st = vg_buf_append(out, v->as.string.ptr, v->as.string.len);
        } else if (st == VG_OK) {
            st = feeds(def->feeds, out);
        }
        return st == VG_OK ? vg_buf_append_char(out, ')') : st;
    }
    enum vg_status st = vg_rules_format_value(def, v, out);
    if (st != VG_OK) {
        return st;
    }
    switch (def->type) {
    case VG_FEATURE_NUMBER:
        return number_context(def, f, v->as.number, out);
    case VG_FEATURE_STRING: {
        uint64_t code = ENC_OTHER;
        if (f != NULL && !vg_map_get(&f->lookup, v->as.string.ptr, v->as.string.len, &code)) {
            return vg_buf_append_cstr(out, " (rare in the training data)");
        }
        return VG_OK;
    }
    case VG_FEATURE_LIST:
        return list_context(f, v, out);
    case VG_FEATURE_BOOL:
        break;
    }
    return VG_OK;
}

enum vg_status vg_model_explain(const struct vg_model *model,
                                const struct vg_value *record,
                                uint32_t feature,
                                double contribution,
                                struct vg_buf *out)
{
    if (model == NULL || record == NULL || out == NULL || feature >= model->schema->count) {
        return VG_EINVAL;
    }
    const struct vg_feature_def *def = &model->schema->defs[feature];
    const char *desc =
        def->description != NULL && def->description[0] != '\0' ? def->description : def->name;
    char first = desc[0] >= 'a' && desc[0] <= 'z' ? (char)(desc[0] - 'a' + 'A') : desc[0];
    enum vg_status st = vg_buf_append_char(out, first);
    if (st == VG_OK) {
        st = vg_buf_printf(out, "%s: ", desc + 1);
    }
    if (st == VG_OK) {
        st = value_text(def, model->feat_enc[feature], &record[feature], out);
    }
    if (st == VG_OK && contribution != 0 && !isnan(contribution)) {
        st = vg_buf_append_cstr(out, contribution > 0 ? "; raises the risk" : "; lowers the risk");
    }
    return st;
}
