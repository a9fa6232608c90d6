/*
 * JSON manifests and equipment events (docs/formats.md), read with jansson. A file holds
 * one JSON value (an object, or an array of objects) or JSON Lines (one object per line).
 * Each object is a manifest ("type": "manifest") or an event ("type": "event"; an object
 * "type": "events" with an "events" array stands for one event document each). Keys
 * vigia does not map are kept as unmapped text. A line or value that is not valid JSON
 * is rejected with its line and column; the others go through.
 */
#include "ingest/emit.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool vg__ing_json_sniff(const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF) {
        i = 3;
    }
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) {
        i++;
    }
    if (i >= len || (data[i] != '{' && data[i] != '[')) {
        return false;
    }
    /* Look for a "type" of ours ("manifest", "event", "events") within the first
     * kilobytes: other JSON (gpsd's AIS output has "type" too) is not ours. */
    size_t n = len - i < 8192 ? len - i : 8192;
    for (size_t k = i; k + 6 < i + n; k++) {
        if (memcmp(data + k, "\"type\"", 6) != 0) {
            continue;
        }
        size_t p = k + 6;
        while (p < i + n && (data[p] == ' ' || data[p] == ':' || data[p] == '\t')) {
            p++;
        }
        static const char *const ours[] = { "\"manifest\"", "\"event\"", "\"events\"" };
        for (size_t o = 0; o < 3; o++) {
            size_t ol = strlen(ours[o]);
            if (p + ol <= len && memcmp(data + p, ours[o], ol) == 0) {
                return true;
            }
        }
    }
    return false;
}

struct json_ctx {
    struct ing_emit *e;
    const struct ing_file *f;
};

static const char *str(struct ing_document *doc, json_t *obj, const char *key, bool *oom)
{
    json_t *v = json_object_get(obj, key);
    if (json_is_string(v)) {
        return vg__ing_str(doc, vg_slice_make(json_string_value(v), json_string_length(v)), oom);
    }
    if (json_is_integer(v)) {
        char buf[32];
        snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
        return vg__ing_str(doc, vg_slice_from_cstr(buf), oom);
    }
    return NULL;
}

static double num(struct ing_document *doc, json_t *obj, const char *key,
                  const struct ing_source *src, bool *oom)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v)) {
        return NAN;
    }
    if (json_is_number(v)) {
        return json_number_value(v);
    }
    if (json_is_string(v)) {
        double d; /* a number sent as text, as a CSV field is read (decimal point) */
        if (vg__ing_number_text(vg_slice_trim(vg_slice_from_cstr(json_string_value(v))), false,
                                &d)) {
            return d;
        }
    }
    if (vg__ing_note(doc, src, "malformed_number", key, json_is_string(v) ? json_string_value(v) : "?",
                     "a number", "not a number; left empty") != VG_OK) {
        *oom = true;
    }
    return NAN;
}

static int64_t when(struct ing_document *doc, json_t *obj, const char *key, const char *port,
                    const struct ing_source *src, bool *oom)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v)) {
        return VG_TIME_NONE;
    }
    struct vg_zone zone;
    vg_zone_for_locode(port, &zone);
    int64_t t;
    struct vg_error e;
    if (vg__ing_time_text(vg_slice_trim(vg_slice_from_cstr(json_string_value(v))), &zone, &t, &e) !=
        VG_OK) {
        if (vg__ing_note(doc, src, "malformed_time", key, json_string_value(v),
                         "a date and time, ISO 8601 or day first", e.message) != VG_OK) {
            *oom = true;
        }
        return VG_TIME_NONE;
    }
    return t;
}

/* Keeps keys of obj that are not in known[] as "prefix.key=value" lines. */
static void keep_unmapped(struct ing_document *doc, json_t *obj, const char *prefix,
                          const char *const *known, bool *oom)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool mapped = false;
        for (size_t i = 0; known[i] != NULL; i++) {
            mapped |= strcmp(known[i], key) == 0;
        }
        if (mapped) {
            continue;
        }
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        char line[700];
        int n = snprintf(line, sizeof(line), "%s%s=%.600s", prefix, key, text != NULL ? text : "");
        free(text);
        if (vg__ing_unmapped(doc, vg_slice_make(line, (size_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1))) != VG_OK) {
            *oom = true;
        }
    }
}

static void vessel_from(struct ing_document *doc, json_t *obj, struct ing_vessel *v, bool *oom)
{
    json_t *vs = json_object_get(obj, "vessel");
    if (!json_is_object(vs)) {
        return;
    }
    v->name = str(doc, vs, "name", oom);
    v->imo = str(doc, vs, "imo", oom);
    v->call_sign = str(doc, vs, "call_sign", oom);
    v->mmsi = str(doc, vs, "mmsi", oom);
    v->flag = str(doc, vs, "flag", oom);
}

static void seals_from(struct ing_document *doc, json_t *arr, const char *default_party,
                       struct ing_vec *out, bool *oom)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        struct ing_seal *s = vg__ing_push(doc->arena, out, sizeof(*s));
        if (s == NULL) {
            *oom = true;
            return;
        }
        if (json_is_string(v)) {
            s->number = vg__ing_str(doc, vg_slice_from_cstr(json_string_value(v)), oom);
            s->party = default_party;
        } else if (json_is_object(v)) {
            s->number = str(doc, v, "number", oom);
            s->party = str(doc, v, "party", oom);
        }
    }
}

static enum vg_status manifest(struct json_ctx *c, struct ing_document *doc, json_t *obj,
                               const struct ing_source *src)
{
    bool oom = false;
    doc->kind = ING_DOC_MANIFEST;
    doc->msg_type = "manifest.json";
    doc->sender = str(doc, obj, "sender", &oom);
    doc->doc_number = str(doc, obj, "document_number", &oom);
    const char *fn = str(doc, obj, "function", &oom);
    doc->function = fn == NULL ? ING_FN_UPSERT
                    : strcmp(fn, "original") == 0 ? ING_FN_ORIGINAL
                    : strcmp(fn, "replace") == 0 ? ING_FN_REPLACE
                    : strcmp(fn, "cancel") == 0 ? ING_FN_CANCEL
                                                : ING_FN_UPSERT;
    json_t *voy = json_object_get(obj, "voyage");
    if (json_is_object(voy)) {
        struct ing_voyage *v = &doc->voyage;
        doc->has_voyage = true;
        vessel_from(doc, voy, &v->vessel, &oom);
        v->voyage = str(doc, voy, "voyage", &oom);
        v->carrier = str(doc, voy, "carrier", &oom);
        v->port = str(doc, voy, "port", &oom);
        v->terminal = str(doc, voy, "terminal", &oom);
        v->previous_port = str(doc, voy, "previous_port", &oom);
        v->next_port = str(doc, voy, "next_port", &oom);
        v->eta = when(doc, voy, "eta", v->port, src, &oom);
        v->etd = when(doc, voy, "etd", v->port, src, &oom);
        v->ata = when(doc, voy, "ata", v->port, src, &oom);
        v->atd = when(doc, voy, "atd", v->port, src, &oom);
        v->src = *src;
    }
    doc->prepared_at = when(doc, obj, "prepared_at", doc->voyage.port, src, &oom);
    static const char *const known[] = { "type", "sender", "document_number", "function",
                                         "voyage", "consignments", "prepared_at", NULL };
    keep_unmapped(doc, obj, "", known, &oom);
    size_t i;
    json_t *cj;
    json_array_foreach(json_object_get(obj, "consignments"), i, cj) {
        if (!json_is_object(cj)) {
            continue;
        }
        struct ing_consignment *k = vg__ing_push(doc->arena, &doc->consignments, sizeof(*k));
        if (k == NULL) {
            return VG_ENOMEM;
        }
        k->src = *src;
        k->bl = str(doc, cj, "bill_of_lading", &oom);
        k->master_bl = str(doc, cj, "master_bill_of_lading", &oom);
        k->carrier = str(doc, cj, "carrier", &oom);
        k->declared_at = when(doc, cj, "declared_at", doc->voyage.port, src, &oom);
        k->total_packages = -1;
        k->gross_kg = num(doc, cj, "gross_kg", src, &oom);
        k->goods_description = str(doc, cj, "goods_description", &oom);
        if (doc->doc_number == NULL && json_array_size(json_object_get(obj, "consignments")) == 1) {
            doc->doc_number = k->bl;
        }
        json_t *places = json_object_get(cj, "places");
        static const struct {
            const char *key;
            enum ing_place_kind kind;
        } pk[] = { { "receipt", ING_PLACE_RECEIPT }, { "loading", ING_PLACE_LOADING },
                   { "discharge", ING_PLACE_DISCHARGE }, { "delivery", ING_PLACE_DELIVERY },
                   { "destination", ING_PLACE_DESTINATION }, { "origin", ING_PLACE_ORIGIN } };
        for (size_t p = 0; p < sizeof(pk) / sizeof(pk[0]); p++) {
            const char *code = str(doc, places, pk[p].key, &oom);
            if (code != NULL) {
                struct ing_place *pl = vg__ing_push(doc->arena, &k->places, sizeof(*pl));
                if (pl == NULL) {
                    return VG_ENOMEM;
                }
                pl->kind = pk[p].kind;
                pl->locode = code;
                pl->src = *src;
            }
        }
        size_t t;
        json_t *tv;
        json_array_foreach(json_object_get(places, "transhipment"), t, tv) {
            if (json_is_string(tv)) {
                struct ing_place *pl = vg__ing_push(doc->arena, &k->places, sizeof(*pl));
                if (pl == NULL) {
                    return VG_ENOMEM;
                }
                pl->kind = ING_PLACE_TRANSHIPMENT;
                pl->locode = vg__ing_str(doc, vg_slice_from_cstr(json_string_value(tv)), &oom);
                pl->src = *src;
            }
        }
        json_t *pj;
        json_array_foreach(json_object_get(cj, "parties"), t, pj) {
            struct ing_party *p = vg__ing_push(doc->arena, &k->parties, sizeof(*p));
            if (p == NULL) {
                return VG_ENOMEM;
            }
            p->role = str(doc, pj, "role", &oom);
            p->name = str(doc, pj, "name", &oom);
            p->id = str(doc, pj, "id", &oom);
            p->id_scheme = str(doc, pj, "id_scheme", &oom);
            p->address = str(doc, pj, "address", &oom);
            p->city = str(doc, pj, "city", &oom);
            p->postcode = str(doc, pj, "postcode", &oom);
            p->country = str(doc, pj, "country", &oom);
            p->src = *src;
        }
        json_t *ej;
        json_array_foreach(json_object_get(cj, "equipment"), t, ej) {
            struct ing_equipment *e = vg__ing_push(doc->arena, &k->equipment, sizeof(*e));
            if (e == NULL) {
                return VG_ENOMEM;
            }
            e->number = str(doc, ej, "container", &oom);
            e->size_type = str(doc, ej, "size_type", &oom);
            e->full_empty = str(doc, ej, "full_empty", &oom);
            e->gross_kg = num(doc, ej, "gross_kg", src, &oom);
            e->tare_kg = num(doc, ej, "tare_kg", src, &oom);
            e->vgm_kg = num(doc, ej, "vgm_kg", src, &oom);
            e->src = *src;
            seals_from(doc, json_object_get(ej, "seals"), NULL, &e->seals, &oom);
        }
        json_t *gj;
        json_array_foreach(json_object_get(cj, "goods"), t, gj) {
            struct ing_goods *g = vg__ing_push(doc->arena, &k->goods, sizeof(*g));
            if (g == NULL) {
                return VG_ENOMEM;
            }
            g->seq = (int)t + 1;
            g->hs = str(doc, gj, "hs_code", &oom);
            g->description = str(doc, gj, "description", &oom);
            double pk_n = num(doc, gj, "packages", src, &oom);
            g->packages = isnan(pk_n) ? -1 : (int64_t)pk_n;
            g->package_type = str(doc, gj, "package_type", &oom);
            g->gross_kg = num(doc, gj, "gross_kg", src, &oom);
            g->net_kg = num(doc, gj, "net_kg", src, &oom);
            g->volume_m3 = num(doc, gj, "volume_m3", src, &oom);
            g->value = num(doc, gj, "value", src, &oom);
            g->currency = str(doc, gj, "currency", &oom);
            g->src = *src;
            size_t u;
            json_t *cv;
            json_array_foreach(json_object_get(gj, "containers"), u, cv) {
                struct ing_placement *pl = vg__ing_push(doc->arena, &g->placements, sizeof(*pl));
                if (pl == NULL) {
                    return VG_ENOMEM;
                }
                pl->packages = -1;
                pl->gross_kg = NAN;
                if (json_is_string(cv)) {
                    pl->container = vg__ing_str(doc, vg_slice_from_cstr(json_string_value(cv)), &oom);
                } else {
                    pl->container = str(doc, cv, "container", &oom);
                    double n = num(doc, cv, "packages", src, &oom);
                    pl->packages = isnan(n) ? -1 : (int64_t)n;
                    pl->gross_kg = num(doc, cv, "gross_kg", src, &oom);
                }
            }
        }
    }
    (void)c;
    return oom ? VG_ENOMEM : VG_OK;
}

static const char *event_kind(const char *v)
{
    static const char *const kinds[] = {
        ING_EV_GATE_IN, ING_EV_GATE_OUT, ING_EV_LOAD, ING_EV_DISCHARGE, ING_EV_STUFFING,
        ING_EV_STRIPPING, ING_EV_SEAL_CHANGE, ING_EV_INSPECTION, ING_EV_STATUS,
        ING_EV_STOWAGE, ING_EV_SHIFT,
    };
    for (size_t i = 0; v != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(v, kinds[i]) == 0) {
            return kinds[i];
        }
    }
    return NULL;
}

/* Fills an event document; returns a reason when the event cannot be taken. */
static const char *event(struct ing_document *doc, json_t *obj, const struct ing_source *src,
                         bool *oom)
{
    doc->kind = ING_DOC_EVENTS;
    doc->msg_type = "event.json";
    doc->function = ING_FN_ORIGINAL;
    doc->sender = str(doc, obj, "sender", oom);
    const char *kind = event_kind(str(doc, obj, "event", oom));
    const char *container = str(doc, obj, "container", oom);
    const char *port = str(doc, obj, "port", oom);
    if (kind == NULL) {
        return "unknown or missing event kind";
    }
    if (container == NULL) {
        return "event without a container";
    }
    if (port == NULL) {
        return "event without a port";
    }
    int64_t t = when(doc, obj, "time", port, src, oom);
    if (t == VG_TIME_NONE) {
        return "event without a readable time (ISO 8601, 2024-05-03T10:20, or day first,"
               " 03/05/2024 10:20)";
    }
    struct ing_event *ev = vg__ing_push(doc->arena, &doc->events, sizeof(*ev));
    if (ev == NULL) {
        *oom = true;
        return NULL;
    }
    ev->kind = kind;
    ev->container = container;
    ev->place = port;
    ev->time = t;
    ev->terminal = str(doc, obj, "terminal", oom);
    ev->size_type = str(doc, obj, "size_type", oom);
    ev->bl = str(doc, obj, "bill_of_lading", oom);
    ev->full_empty = str(doc, obj, "full_empty", oom);
    ev->gross_kg = num(doc, obj, "gross_kg", src, oom);
    ev->stowage = str(doc, obj, "stowage", oom);
    ev->transport_mode = str(doc, obj, "transport_mode", oom);
    ev->vehicle = str(doc, obj, "vehicle", oom);
    ev->status_code = str(doc, obj, "status_code", oom);
    ev->src = *src;
    seals_from(doc, json_object_get(obj, "seals"), str(doc, obj, "seal_party", oom), &ev->seals, oom);
    struct ing_voyage *v = &ev->voyage;
    v->eta = v->etd = v->ata = v->atd = VG_TIME_NONE;
    vessel_from(doc, obj, &v->vessel, oom);
    v->voyage = str(doc, obj, "voyage", oom);
    v->port = port;
    v->src = *src;
    ev->has_voyage = v->vessel.name != NULL || v->vessel.imo != NULL ||
                     v->vessel.call_sign != NULL || v->voyage != NULL;
    static const char *const known[] = { "type", "sender", "event", "container", "port", "time",
                                         "terminal", "size_type", "bill_of_lading", "full_empty",
                                         "gross_kg", "stowage", "transport_mode", "vehicle",
                                         "status_code", "seals", "seal_party", "vessel", "voyage",
                                         NULL };
    keep_unmapped(doc, obj, "", known, oom);
    return NULL;
}

/* Writes one object (already parsed). */
static enum vg_status one_object(struct json_ctx *c, json_t *obj, int64_t offset, uint32_t line,
                                 struct vg_error *err)
{
    if (!json_is_object(obj)) {
        return VG_OK;
    }
    const char *type = json_string_value(json_object_get(obj, "type"));
    if (type != NULL && strcmp(type, "events") == 0) {
        size_t i;
        json_t *ev;
        json_array_foreach(json_object_get(obj, "events"), i, ev) {
            if (json_is_object(ev) && json_object_get(ev, "type") == NULL) {
                json_object_set_new(ev, "type", json_string("event"));
            }
            if (json_is_object(ev) && json_object_get(ev, "sender") == NULL &&
                json_object_get(obj, "sender") != NULL) {
                json_object_set(ev, "sender", json_object_get(obj, "sender"));
            }
            enum vg_status st = one_object(c, ev, offset, line, err);
            if (st != VG_OK) {
                return st;
            }
        }
        return VG_OK;
    }
    char *raw = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
    if (raw == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory reading JSON");
    }
    struct ing_document *doc = vg__ing_emit_begin(c->e);
    if (doc == NULL) {
        free(raw);
        return ING_EMIT_STOPPED;
    }
    doc->format = "JSON";
    doc->offset = offset;
    doc->line = line;
    doc->raw = raw;
    doc->raw_len = strlen(raw);
    struct ing_source src = { 1, offset, line, NULL };
    enum vg_status st = VG_OK;
    bool oom = false;
    const char *why = NULL;
    if (type != NULL && strcmp(type, "manifest") == 0) {
        st = manifest(c, doc, obj, &src);
    } else if (type != NULL && strcmp(type, "event") == 0) {
        why = event(doc, obj, &src, &oom);
    } else {
        why = "object without a \"type\" of manifest, event or events";
    }
    if (oom) {
        st = VG_ENOMEM;
    }
    if (st == VG_OK && why == NULL) {
        char ref[32];
        snprintf(ref, sizeof(ref), "line %u", line);
        doc->msg_ref = vg_arena_strndup(doc->arena, ref, strlen(ref));
        st = doc->msg_ref != NULL ? vg__ing_emit_doc(c->e, NULL) : VG_ENOMEM;
    } else {
        vg__ing_emit_drop(c->e);
    }
    if (st == VG_OK && why != NULL) {
        struct vg_error rej;
        vg_error_clear(&rej);
        vg_error_at(&rej, c->f->path, line, 0, (uint64_t)offset, 0);
        vg_error_set(&rej, VG_EPARSE, "%s", why);
        st = vg__ing_emit_reject(c->e, &rej, "json", NULL, raw, strlen(raw));
    }
    if (st == VG_ENOMEM && err != NULL && err->code != VG_ENOMEM) {
        vg_error_set(err, VG_ENOMEM, "out of memory reading JSON");
    }
    free(raw);
    return st;
}

static enum vg_status reject_json(struct json_ctx *c,
                                  const json_error_t *je,
                                  int64_t base,
                                  uint32_t base_line,
                                  const char *excerpt,
                                  size_t len)
{
    struct vg_error rej;
    vg_error_clear(&rej);
    vg_error_at(&rej, c->f->path, base_line + (uint32_t)(je->line > 0 ? je->line - 1 : 0),
                (uint32_t)(je->column > 0 ? je->column : 0),
                (uint64_t)(base + (je->position > 0 ? je->position : 0)), 0);
    vg_error_set(&rej, VG_EPARSE, "invalid JSON: %s", je->text);
    return vg__ing_emit_reject(c->e, &rej, "json", NULL, excerpt, len > 512 ? 512 : len);
}

/* True when the first non-blank line of the file is a JSON value on its own. */
static bool first_line_is_json(const struct ing_file *f)
{
    size_t a = 0;
    while (a < f->len && (f->data[a] == ' ' || f->data[a] == '\t' || f->data[a] == '\r' ||
                          f->data[a] == '\n')) {
        a++;
    }
    const char *nl = memchr(f->data + a, '\n', f->len - a);
    size_t end = nl != NULL ? (size_t)(nl - f->data) : f->len;
    json_error_t je;
    json_t *v = json_loadb(f->data + a, end - a, 0, &je);
    bool ok = v != NULL;
    json_decref(v);
    return ok;
}

enum vg_status vg__ing_read_json(struct ing_emit *e, const struct ing_file *f, struct vg_error *err)
{
    struct json_ctx c = { e, f };
    enum vg_status st = VG_OK;
    json_error_t je;
    json_t *all = json_loadb(f->data, f->len, 0, &je);
    if (all != NULL) {
        if (json_is_array(all)) {
            size_t i;
            json_t *v;
            json_array_foreach(all, i, v) {
                if ((st = one_object(&c, v, 0, 1, err)) != VG_OK) {
                    break;
                }
            }
        } else {
            st = one_object(&c, all, 0, 1, err);
        }
        json_decref(all);
    } else if (first_line_is_json(f)) {
        /* JSON Lines: each line on its own; a bad line is rejected, the others go in. */
        size_t pos = 0;
        uint32_t line = 1;
        while (pos < f->len && st == VG_OK) {
            const char *nl = memchr(f->data + pos, '\n', f->len - pos);
            size_t end = nl != NULL ? (size_t)(nl - f->data) : f->len;
            size_t a = pos;
            while (a < end && (f->data[a] == ' ' || f->data[a] == '\t' || f->data[a] == '\r')) {
                a++;
            }
            if (a < end) {
                json_error_t le;
                json_t *obj = json_loadb(f->data + a, end - a, 0, &le);
                if (obj == NULL) {
                    st = reject_json(&c, &le, (int64_t)a, line, f->data + a, end - a);
                } else {
                    st = one_object(&c, obj, (int64_t)a, line, err);
                    json_decref(obj);
                }
            }
            pos = end + 1;
            line++;
        }
    } else {
        /* One document that is not valid JSON: rejected whole, at the error. */
        st = reject_json(&c, &je, 0, 1, f->data, f->len);
    }
    return st;
}
