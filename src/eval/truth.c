/*
 * The truth file of a simulated world (vigia sim's truth.json, docs/sim.md), read with
 * jansson. Only the split and the cases are needed: which trips (container, B/L, port,
 * departure) and which voyages (vessel, voyage, port, departure) carry a planted case, and
 * of which pattern.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/eval.h>
#include <vigia/ident.h>
#include <vigia/time.h>

static const char *str(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool time_of(const json_t *obj, const char *key, int64_t *out)
{
    const char *s = str(obj, key);
    return s != NULL && vg_time_parse_iso8601(vg_slice_from_cstr(s), NULL, out, NULL) == VG_OK;
}

static bool window(const json_t *root, const char *key, int64_t *from, int64_t *to)
{
    const json_t *w = json_object_get(root, key);
    return json_is_object(w) && time_of(w, "from", from) && time_of(w, "to", to);
}

static uint32_t number_of(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (json_is_integer(v)) {
        json_int_t n = json_integer_value(v);
        return n > 0 && n <= 999999999 ? (uint32_t)n : 0;
    }
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    uint64_t n = 0;
    if (s == NULL || vg_slice_to_u64(vg_slice_from_cstr(s), &n) != VG_OK || n > 999999999) {
        return 0;
    }
    return (uint32_t)n;
}

static enum vg_status
bad_case(struct vg_error *err, const char *source, size_t i, const char *id, const char *what)
{
    vg_error_at(err, source, 0, 0, 0, (uint32_t)(i + 1));
    return vg_error_set(err, VG_EPARSE, "case %zu (%.20s): %s", i + 1, id != NULL ? id : "?", what);
}

static enum vg_status read_case(
    const json_t *c, size_t i, const char *source, struct vg_truth_case *out, struct vg_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!json_is_object(c)) {
        return bad_case(err, source, i, NULL, "not an object");
    }
    const char *id = str(c, "id"), *pattern = str(c, "pattern"), *unit = str(c, "unit");
    if (id == NULL || pattern == NULL || unit == NULL) {
        return bad_case(err, source, i, id, "needs id, pattern and unit");
    }
    snprintf(out->id, sizeof(out->id), "%s", id);
    snprintf(out->pattern, sizeof(out->pattern), "%s", pattern);
    out->vessel = strcmp(unit, "vessel") == 0;
    if (!out->vessel && strcmp(unit, "trip") != 0) {
        return bad_case(err, source, i, id, "unit is neither trip nor vessel");
    }
    const char *port = str(c, "port");
    if (port == NULL || vg_locode_parse(vg_slice_from_cstr(port), out->port, NULL) != VG_OK) {
        return bad_case(err, source, i, id, "port is missing or not a UN/LOCODE");
    }
    if (!time_of(c, "departure", &out->departure)) {
        return bad_case(err, source, i, id, "departure is missing or not an ISO 8601 time");
    }
    const char *voyage = str(c, "voyage");
    snprintf(out->voyage, sizeof(out->voyage), "%s", voyage != NULL ? voyage : "");
    const json_t *v = json_object_get(c, "vessel");
    if (json_is_object(v)) {
        out->imo = number_of(v, "imo");
        out->mmsi = number_of(v, "mmsi");
        const char *name = str(v, "name");
        snprintf(out->vessel_name, sizeof(out->vessel_name), "%s", name != NULL ? name : "");
    }
    if (out->vessel) {
        if (out->imo == 0 && out->mmsi == 0) {
            return bad_case(err, source, i, id, "a vessel case needs the vessel's imo or mmsi");
        }
        return VG_OK;
    }
    const char *container = str(c, "container");
    struct vg_container_number cn;
    enum vg_status cs = container != NULL
                            ? vg_container_parse(vg_slice_from_cstr(container), &cn, NULL)
                            : VG_EPARSE;
    if (cs != VG_OK && cs != VG_ECHECK) {
        return bad_case(err, source, i, id, "container is missing or not an ISO 6346 number");
    }
    snprintf(out->container, sizeof(out->container), "%s", cn.text);
    const char *bl = str(c, "bill_of_lading");
    snprintf(out->bills, sizeof(out->bills), "%s", bl != NULL ? bl : "");
    return VG_OK;
}

enum vg_status vg_truth_parse(
    const char *data, size_t len, const char *source, struct vg_truth *out, struct vg_error *err)
{
    memset(out, 0, sizeof(*out));
    source = source != NULL ? source : "-";
    json_error_t jerr;
    json_t *root = json_loadb(data, len, 0, &jerr);
    if (root == NULL) {
        vg_error_at(err, source, (uint32_t)(jerr.line > 0 ? jerr.line : 0),
                    (uint32_t)(jerr.column > 0 ? jerr.column : 0),
                    (uint64_t)(jerr.position > 0 ? jerr.position : 0), 0);
        return vg_error_set(err, VG_EPARSE, "not JSON: %s", jerr.text);
    }
    enum vg_status st = VG_OK;
    const json_t *cases = json_object_get(root, "cases");
    if (!json_is_object(root) || !json_is_array(cases) ||
        !window(root, "history", &out->history_from, &out->history_to) ||
        !window(root, "evaluation", &out->eval_from, &out->eval_to)) {
        vg_error_at(err, source, 0, 0, 0, 0);
        st = vg_error_set(err, VG_EFORMAT,
                          "not a truth file: expected an object with history {from, to}, "
                          "evaluation {from, to} and cases");
    }
    if (st == VG_OK) {
        if (!time_of(root, "start", &out->start)) {
            out->start = out->history_from;
        }
        if (!time_of(root, "end", &out->end)) {
            out->end = out->eval_to;
        }
        const json_t *seed = json_object_get(root, "seed");
        out->seed = json_is_integer(seed) ? (uint64_t)json_integer_value(seed) : 0;
        const char *name = str(json_object_get(root, "config"), "name");
        snprintf(out->world, sizeof(out->world), "%s", name != NULL ? name : "");
        size_t n = json_array_size(cases);
        out->cases = vg_calloc(n ? n : 1, sizeof(*out->cases));
        if (out->cases == NULL) {
            st = vg_error_set(err, VG_ENOMEM, "out of memory reading %s", source);
        }
        for (size_t i = 0; st == VG_OK && i < n; i++) {
            st = read_case(json_array_get(cases, i), i, source, &out->cases[i], err);
            out->ncases += st == VG_OK;
        }
    }
    json_decref(root);
    if (st != VG_OK) {
        vg_truth_release(out);
    }
    return st;
}

void vg_truth_release(struct vg_truth *t)
{
    if (t != NULL) {
        vg_free(t->cases);
        t->cases = NULL;
        t->ncases = 0;
    }
}
