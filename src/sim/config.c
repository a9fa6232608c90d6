/*
 * The world's configuration (docs/sim.md): a JSON document read with jansson into
 * struct sim_config. Every value is range-checked and every code is checked against its
 * standard (UN/LOCODE syntax, HS, ISO 6346 size-types, ITU MIDs against the flag), so a
 * mistake in a configuration is reported with the key path ("commodities.avocado.kg_per_
 * package: ...") instead of producing a strange world. Unknown keys are refused: a
 * misspelt rate must not be silently ignored. Every section names its public source
 * ("source"), in the section or in each of its entries.
 *
 * A configuration may say "extends": "peru" and give only what it changes: the built-in
 * document is merged with it key by key (jansson's recursive object update: objects are
 * merged, arrays and numbers replaced). The digest recorded in truth.json is BLAKE2b-256
 * of the merged document dumped with sorted keys, so two files meaning the same world
 * have the same digest.
 */
#include "sim/sim_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include <vigia/alloc.h>
#include <vigia/codes.h>
#include <vigia/ident.h>

const char *const vg__sim_region_names[SIM_REGIONS] = { "EUR", "NAM", "ASIA", "LATAM" };
const char *const vg__sim_pattern_names[SIM_PATTERNS] = {
    "none",          "rip_on",       "front_company",    "contamination",
    "watchlist_party", "unusual_transhipment", "cloned_container", "identity_hijack",
    "at_sea_transfer",
};
const char *const vg__sim_indicator_names[SIM_INDICATORS] = {
    "seal_changed",        "gate_out_reentry",   "odd_hour_move",   "long_dwell",
    "new_exporter",        "product_inconsistent", "new_consignee", "freight_prepaid",
    "weight_anomaly",      "value_anomaly",      "vague_description", "house_bl",
    "late_filing",         "weight_mismatch",    "slow_inland_transit", "watchlisted_party",
    "unusual_route",       "multiple_transhipments", "consignee_country_mismatch",
    "carrier_as_consignee", "duplicate_number",  "size_type_mismatch",
    "consignee_address_changed", "delivery_redirect", "loitering", "encounter", "ais_gap",
};
const char *const vg__sim_confounder_names[SIM_CONFOUNDERS] = {
    "seal_typo",         "reseal_legit",        "gate_out_reentry_legit", "rollover",
    "weight_discrepancy", "vague_description",  "late_filing",         "new_consignee",
    "unusual_route_legit", "terminal_transfer", "size_type_variation", "slow_inland_transit",
    "listed_party_clean", "carrier_as_consignee_legit", "multiple_transhipments_legit",
    "anchor_wait_long",  "slow_night_offshore", "innocent_encounter",  "ais_gap_legit",
    "bunkering",         "provisional_value",   "alternate_packing",   "legit_newcomer",
    "diversified_trader", "consignee_moved",    "delivery_elsewhere",
};
const char *const vg__sim_concealment_names[SIM_CONCEALMENTS] = {
    "door_end_bags", "reefer_unit", "structure", "in_cargo", "packaging", "crew_bags",
};
const char *const vg__sim_method_names[SIM_METHODS] = { "scan", "tailgate", "full", "k9" };
const char *const vg__sim_fault_names[SIM_FAULTS] = {
    "bad_container_check_digit", "bad_imo_check_digit", "bad_ruc_check_digit",
    "unknown_locode",            "truncated_message",   "wrong_unt_count",
    "bad_nmea_checksum",         "missing_feed",
};
const char *const vg__sim_rule_names[SIM_RULES] = {
    "reefer_europe", "europe", "new_exporter", "high_risk_commodity", "house_bl",
    "vague_description", "watchlist_exact", "seal_discrepancy", "night_gate", "noise_sigma",
};

/* The built-in configuration, generated at build time from sim/peru.json. */
extern const unsigned char vg__sim_peru_json[];
extern const size_t vg__sim_peru_json_len;

const char *vg_sim_default_config(size_t *len)
{
    if (len != NULL) {
        *len = vg__sim_peru_json_len;
    }
    return (const char *)vg__sim_peru_json;
}

/* ---- parsing context ------------------------------------------------------------------ */

struct cp {
    struct sim_config *cfg;
    struct vg_arena *a;
    struct vg_error *err;
    char path[256];
    size_t plen;
    bool failed;
    enum vg_status status; /* the failure: VG_EPARSE or VG_ENOMEM */
};

static size_t push(struct cp *p, const char *key)
{
    size_t mark = p->plen;
    int n = snprintf(p->path + p->plen, sizeof(p->path) - p->plen, "%s%s",
                     p->plen > 0 ? "." : "", key);
    if (n > 0) {
        p->plen += (size_t)n;
        if (p->plen >= sizeof(p->path)) {
            p->plen = sizeof(p->path) - 1;
        }
    }
    return mark;
}

static void pop(struct cp *p, size_t mark)
{
    p->plen = mark;
    p->path[mark] = '\0';
}

static bool fail(struct cp *p, const char *key, const char *fmt, ...) VG_PRINTF(3, 4);

static bool fail(struct cp *p, const char *key, const char *fmt, ...)
{
    if (p->failed) {
        return false;
    }
    p->failed = true;
    p->status = VG_EPARSE;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    vg_error_set(p->err, VG_EPARSE, "%s%s%s: %s", p->path, (key && p->plen) ? "." : "",
                 key ? key : "", msg);
    return false;
}

static bool oom(struct cp *p)
{
    if (!p->failed) {
        p->failed = true;
        p->status = VG_ENOMEM;
        vg_error_set(p->err, VG_ENOMEM, "out of memory reading the configuration");
    }
    return false;
}

static void *alloc(struct cp *p, size_t n, size_t size)
{
    void *m = vg_arena_calloc(p->a, n == 0 ? 1 : n, size);
    if (m == NULL) {
        oom(p);
    }
    return m;
}

static const char *dup(struct cp *p, const char *s)
{
    char *d = vg_arena_strndup(p->a, s, strlen(s));
    if (d == NULL) {
        oom(p);
    }
    return d;
}

/* Refuses keys outside the list (NULL-terminated). */
static bool only(struct cp *p, json_t *obj, const char *const *keys)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        bool ok = false;
        for (size_t i = 0; keys[i] != NULL && !ok; i++) {
            ok = strcmp(keys[i], k) == 0;
        }
        if (!ok) {
            return fail(p, k, "unknown key");
        }
    }
    return true;
}

static json_t *obj(struct cp *p, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_object(v)) {
        fail(p, key, v == NULL ? "missing (an object is required)" : "must be an object");
        return NULL;
    }
    return v;
}

/* Opens the section key of root: an object whose name goes on the key path, with room
 * allocated for its entries (elem bytes each). NULL on failure. */
static json_t *section(struct cp *p, json_t *root, const char *key, size_t elem, void **arr,
                       size_t *mark)
{
    json_t *sec = obj(p, root, key);
    if (sec == NULL) {
        return NULL;
    }
    *mark = push(p, key);
    *arr = alloc(p, json_object_size(sec), elem);
    return *arr != NULL ? sec : NULL;
}

static bool num(struct cp *p, json_t *o, const char *key, double lo, double hi, double *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_number(v)) {
        return fail(p, key, v == NULL ? "missing (a number is required)" : "must be a number");
    }
    double d = json_number_value(v);
    if (!(d >= lo && d <= hi)) {
        return fail(p, key, "%g is out of range [%g, %g]", d, lo, hi);
    }
    *out = d;
    return true;
}

static bool inum(struct cp *p, json_t *o, const char *key, int lo, int hi, int *out)
{
    double d = 0;
    if (!num(p, o, key, lo, hi, &d)) {
        return false;
    }
    if (d != floor(d)) {
        return fail(p, key, "must be a whole number");
    }
    *out = (int)d;
    return true;
}

/* [a, b] with lo <= a <= b <= hi (ordered when ordered is set). */
static bool pair(struct cp *p, json_t *o, const char *key, double lo, double hi, bool ordered,
                 double out[2])
{
    json_t *v = json_object_get(o, key);
    if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_number(json_array_get(v, 0)) ||
        !json_is_number(json_array_get(v, 1))) {
        return fail(p, key, "must be an array of two numbers");
    }
    for (int i = 0; i < 2; i++) {
        out[i] = json_number_value(json_array_get(v, (size_t)i));
        if (!(out[i] >= lo && out[i] <= hi)) {
            return fail(p, key, "%g is out of range [%g, %g]", out[i], lo, hi);
        }
    }
    if (ordered && out[0] > out[1]) {
        return fail(p, key, "the first value must not exceed the second");
    }
    return true;
}

static const char *str(struct cp *p, json_t *o, const char *key, size_t maxlen)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v)) {
        fail(p, key, v == NULL ? "missing (a string is required)" : "must be a string");
        return NULL;
    }
    const char *s = json_string_value(v);
    if (strlen(s) > maxlen || strlen(s) != json_string_length(v)) {
        fail(p, key, "must be at most %zu characters, without NUL", maxlen);
        return NULL;
    }
    return dup(p, s);
}

static bool text_into(struct cp *p, json_t *o, const char *key, char *out, size_t size)
{
    const char *s = str(p, o, key, size - 1);
    if (s == NULL) {
        return false;
    }
    memcpy(out, s, strlen(s) + 1);
    return true;
}

/* An array of strings. */
static bool strs(struct cp *p, json_t *o, const char *key, size_t maxlen, bool nonempty,
                 const char ***out, uint32_t *n)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_array(v)) {
        return fail(p, key, "must be an array of strings");
    }
    size_t count = json_array_size(v);
    if (nonempty && count == 0) {
        return fail(p, key, "must not be empty");
    }
    const char **arr = alloc(p, count, sizeof(char *));
    if (arr == NULL) {
        return false;
    }
    for (size_t i = 0; i < count; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_string(e) || strlen(json_string_value(e)) > maxlen ||
            strlen(json_string_value(e)) != json_string_length(e)) {
            return fail(p, key, "element %zu must be a string of at most %zu characters", i,
                        maxlen);
        }
        arr[i] = dup(p, json_string_value(e));
        if (arr[i] == NULL) {
            return false;
        }
    }
    *out = arr;
    *n = (uint32_t)count;
    return true;
}

static bool locode_ok(struct cp *p, const char *key, const char *code, char out[6])
{
    enum vg_status st = vg_locode_parse(vg_slice_from_cstr(code), out, NULL);
    if (st != VG_OK || strcmp(out, code) != 0) {
        return fail(p, key, "'%s' is not a UN/LOCODE (5 characters, e.g. PECLL)", code);
    }
    return true;
}

/* A weights object {key: weight}: keys checked by valid(), weights >= 0 with a positive
 * total. Returns the count; keys and weights in arena arrays. */
static bool weights(struct cp *p, json_t *o, const char *key, const char ***keys, double **w,
                    uint32_t *n)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_object(v) || json_object_size(v) == 0) {
        return fail(p, key, "must be a non-empty object of weights");
    }
    size_t count = json_object_size(v);
    *keys = alloc(p, count, sizeof(char *));
    *w = alloc(p, count, sizeof(double));
    if (*keys == NULL || *w == NULL) {
        return false;
    }
    size_t i = 0;
    double total = 0;
    const char *k;
    json_t *e;
    json_object_foreach(v, k, e) {
        if (!json_is_number(e) || !(json_number_value(e) >= 0) ||
            !isfinite(json_number_value(e))) {
            return fail(p, key, "weight of '%s' must be a number >= 0", k);
        }
        (*keys)[i] = dup(p, k);
        (*w)[i] = json_number_value(e);
        total += (*w)[i];
        i++;
    }
    if (!(total > 0)) {
        return fail(p, key, "weights must not all be 0");
    }
    *n = (uint32_t)count;
    return true;
}

static int name_index(const char *const *names, int n, const char *k)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i], k) == 0) {
            return i;
        }
    }
    return -1;
}

/* Weights over a fixed list of names into out[nnames] (missing = 0). */
static bool named_weights(struct cp *p, json_t *o, const char *key, const char *const *names,
                          int nnames, double *out, bool need_positive)
{
    for (int i = 0; i < nnames; i++) {
        out[i] = 0;
    }
    json_t *v = json_object_get(o, key);
    if (!json_is_object(v)) {
        return fail(p, key, "must be an object");
    }
    double total = 0;
    const char *k;
    json_t *e;
    json_object_foreach(v, k, e) {
        int i = name_index(names, nnames, k);
        if (i < 0) {
            return fail(p, key, "unknown name '%s'", k);
        }
        if (!json_is_number(e) || !(json_number_value(e) >= 0) ||
            !(json_number_value(e) <= 1e9)) {
            return fail(p, key, "weight of '%s' must be a number >= 0", k);
        }
        out[i] = json_number_value(e);
        total += out[i];
    }
    if (need_positive && !(total > 0)) {
        return fail(p, key, "weights must not all be 0");
    }
    return true;
}

static bool choice(struct cp *p, const char *key, struct sim_choice *c, const double *w,
                   uint32_t n)
{
    enum vg_status st = vg__sim_choice_build(c, p->a, w, n);
    if (st == VG_ENOMEM) {
        return oom(p);
    }
    if (st != VG_OK) {
        return fail(p, key, "weights must be >= 0 with a positive total");
    }
    return true;
}

static bool has_source(json_t *section, json_t *entry)
{
    return json_is_string(json_object_get(section, "source")) ||
           (entry != NULL && json_is_string(json_object_get(entry, "source")));
}

/* Iterates the entries of a section object, skipping "source". */
#define ENTRIES(section, k, v)                                                              \
    json_object_foreach(section, k, v)                                                      \
        if (strcmp(k, "source") == 0) {                                                     \
        } else

int vg__sim_country_index(const struct sim_config *cfg, const char *code)
{
    for (uint32_t i = 0; i < cfg->ncountry; i++) {
        if (strcmp(cfg->country[i].code, code) == 0) {
            return (int)i;
        }
    }
    return -1;
}

int vg__sim_port_index(const struct sim_config *cfg, const char *locode)
{
    for (uint32_t i = 0; i < cfg->nport; i++) {
        if (strcmp(cfg->port[i].locode, locode) == 0) {
            return (int)i;
        }
    }
    return -1;
}

bool vg__sim_port_pos(const struct sim_config *cfg, const char *locode, struct sim_pos *out)
{
    for (uint32_t i = 0; i < cfg->nplace; i++) {
        if (strcmp(cfg->place[i].locode, locode) == 0) {
            *out = cfg->place[i].pos;
            return true;
        }
    }
    struct vg_port_info info;
    if (vg_codes_port_lookup(NULL, locode, &info, NULL) == VG_OK) {
        out->lat = info.lat;
        out->lon = info.lon;
        return true;
    }
    return false;
}

static int region_index(const char *s)
{
    return name_index(vg__sim_region_names, SIM_REGIONS, s);
}

/* ---- sections --------------------------------------------------------------------------- */

static bool read_places(struct cp *p, json_t *root)
{
    json_t *sec = json_object_get(root, "places");
    if (sec == NULL) {
        return true;
    }
    if (!json_is_object(sec)) {
        return fail(p, "places", "must be an object");
    }
    size_t mark = push(p, "places");
    struct sim_config *c = p->cfg;
    c->place = alloc(p, json_object_size(sec), sizeof(*c->place));
    if (c->place == NULL) {
        return false;
    }
    const char *k;
    json_t *v;
    ENTRIES(sec, k, v)
    {
        static const char *const keys[] = { "name", "lat", "lon", "source", NULL };
        size_t m2 = push(p, k);
        if (!json_is_object(v) || !only(p, v, keys) ||
            !locode_ok(p, NULL, k, c->place[c->nplace].locode) ||
            !num(p, v, "lat", -90, 90, &c->place[c->nplace].pos.lat) ||
            !num(p, v, "lon", -180, 180, &c->place[c->nplace].pos.lon)) {
            return fail(p, NULL, "must be {name, lat, lon, source}");
        }
        if (!has_source(sec, v)) {
            return fail(p, "source", "missing: name where the position comes from");
        }
        c->nplace++;
        pop(p, m2);
    }
    pop(p, mark);
    return true;
}

static bool read_countries(struct cp *p, json_t *root)
{
    struct sim_config *c = p->cfg;
    size_t mark;
    json_t *sec = section(p, root, "countries", sizeof(*c->country), (void **)&c->country, &mark);
    if (sec == NULL) {
        return false;
    }
    const char *k;
    json_t *v;
    ENTRIES(sec, k, v)
    {
        static const char *const keys[] = { "region", "ports", "forms", "cities", "source",
                                            NULL };
        size_t m2 = push(p, k);
        struct sim_country *ct = &c->country[c->ncountry];
        if (strlen(k) != 2 || k[0] < 'A' || k[0] > 'Z' || k[1] < 'A' || k[1] > 'Z') {
            return fail(p, NULL, "a country is an ISO 3166 alpha-2 code");
        }
        memcpy(ct->code, k, 3);
        if (!json_is_object(v) || !only(p, v, keys)) {
            return fail(p, NULL, "must be an object");
        }
        const char *region = str(p, v, "region", 8);
        if (region == NULL) {
            return false;
        }
        ct->region = region_index(region);
        if (ct->region < 0) {
            return fail(p, "region", "'%s' is not one of EUR, NAM, ASIA, LATAM", region);
        }
        const char **pk;
        double *pw;
        if (!weights(p, v, "ports", &pk, &pw, &ct->nports)) {
            return false;
        }
        ct->ports = alloc(p, ct->nports, 6);
        if (ct->ports == NULL) {
            return false;
        }
        for (uint32_t i = 0; i < ct->nports; i++) {
            if (!locode_ok(p, "ports", pk[i], ct->ports[i])) {
                return false;
            }
        }
        if (!choice(p, "ports", &ct->port_pick, pw, ct->nports) ||
            !strs(p, v, "forms", 40, true, &ct->forms, &ct->nforms)) {
            return false;
        }
        json_t *cities = json_object_get(v, "cities");
        if (!json_is_array(cities) || json_array_size(cities) == 0) {
            return fail(p, "cities", "must be a non-empty array of [city, postcode, street]");
        }
        ct->ncities = (uint32_t)json_array_size(cities);
        ct->cities = alloc(p, ct->ncities, sizeof(*ct->cities));
        if (ct->cities == NULL) {
            return false;
        }
        for (uint32_t i = 0; i < ct->ncities; i++) {
            json_t *e = json_array_get(cities, i);
            if (!json_is_array(e) || json_array_size(e) != 3 ||
                !json_is_string(json_array_get(e, 0)) || !json_is_string(json_array_get(e, 1)) ||
                !json_is_string(json_array_get(e, 2))) {
                return fail(p, "cities", "element %u must be [city, postcode, street]", i);
            }
            ct->cities[i].name = dup(p, json_string_value(json_array_get(e, 0)));
            ct->cities[i].postcode = dup(p, json_string_value(json_array_get(e, 1)));
            ct->cities[i].street = dup(p, json_string_value(json_array_get(e, 2)));
        }
        if (!has_source(sec, v)) {
            return fail(p, "source", "missing");
        }
        c->ncountry++;
        pop(p, m2);
    }
    if (c->ncountry == 0) {
        return fail(p, NULL, "at least one country is needed");
    }
    pop(p, mark);
    return true;
}

static bool read_lane(struct cp *p, json_t *lanes, const char *key, struct sim_lane *out)
{
    json_t *v = json_object_get(lanes, key);
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 32) {
        return fail(p, key, "must be an array of 1 to 32 [lat, lon] points");
    }
    out->n = (uint32_t)json_array_size(v);
    out->pt = alloc(p, out->n, sizeof(struct sim_pos));
    if (out->pt == NULL) {
        return false;
    }
    for (uint32_t i = 0; i < out->n; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_array(e) || json_array_size(e) != 2 || !json_is_number(json_array_get(e, 0)) ||
            !json_is_number(json_array_get(e, 1))) {
            return fail(p, key, "point %u must be [lat, lon]", i);
        }
        out->pt[i].lat = json_number_value(json_array_get(e, 0));
        out->pt[i].lon = json_number_value(json_array_get(e, 1));
        if (fabs(out->pt[i].lat) > 90 || fabs(out->pt[i].lon) > 180) {
            return fail(p, key, "point %u is not a position", i);
        }
    }
    return true;
}

static bool read_pos(struct cp *p, json_t *o, const char *key, struct sim_pos *out)
{
    double v[2];
    if (!pair(p, o, key, -180, 180, false, v)) {
        return false;
    }
    if (fabs(v[0]) > 90) {
        return fail(p, key, "latitude out of range");
    }
    out->lat = v[0];
    out->lon = v[1];
    return true;
}

static bool read_ports(struct cp *p, json_t *root)
{
    struct sim_config *c = p->cfg;
    size_t mark;
    json_t *sec = section(p, root, "ports", sizeof(*c->port), (void **)&c->port, &mark);
    if (sec == NULL) {
        return false;
    }
    const char *k;
    json_t *v;
    ENTRIES(sec, k, v)
    {
        static const char *const keys[] = {
            "name", "river", "terminals", "depot", "anchorage", "pilot", "lanes", "night_share",
            "weekend_factor", "dwell_days", "anchor_wait_hours", "fishing_boats", "launches",
            "river_craft", "other_calls_per_week", "source", NULL
        };
        size_t m2 = push(p, k);
        struct sim_port *pt = &c->port[c->nport];
        if (!json_is_object(v) || !only(p, v, keys) || !locode_ok(p, NULL, k, pt->locode)) {
            return false;
        }
        if (!has_source(sec, v)) {
            return fail(p, "source", "missing");
        }
        struct vg_port_info info;
        if (vg_codes_port_lookup(NULL, pt->locode, &info, NULL) != VG_OK) {
            return fail(p, NULL, "not in vigia's built-in port table (vg_codes_builtin_ports)");
        }
        pt->berth.lat = info.lat;
        pt->berth.lon = info.lon;
        vg_zone_for_locode(pt->locode, &pt->zone);
        pt->name = str(p, v, "name", 40);
        pt->river = json_is_true(json_object_get(v, "river"));
        json_t *terms = obj(p, v, "terminals");
        if (pt->name == NULL || terms == NULL || json_object_size(terms) == 0 ||
            json_object_size(terms) > 8) {
            return fail(p, "terminals", "1 to 8 terminals are needed");
        }
        pt->term = alloc(p, json_object_size(terms), sizeof(*pt->term));
        double tw[8];
        if (pt->term == NULL) {
            return false;
        }
        const char *tk;
        json_t *tv;
        size_t m3 = push(p, "terminals");
        json_object_foreach(terms, tk, tv) {
            static const char *const tkeys[] = { "name", "sender", "share", NULL };
            struct sim_terminal *t = &pt->term[pt->nterm];
            size_t m4 = push(p, tk);
            if (strlen(tk) == 0 || strlen(tk) > 7 || !json_is_object(tv) || !only(p, tv, tkeys) ||
                (t->name = str(p, tv, "name", 60)) == NULL ||
                !text_into(p, tv, "sender", t->sender, sizeof(t->sender)) ||
                !num(p, tv, "share", 0, 1e6, &t->share)) {
                return fail(p, NULL, "must be {name, sender, share} under a code of 1-7 letters");
            }
            memcpy(t->code, tk, strlen(tk) + 1);
            tw[pt->nterm] = t->share;
            pt->nterm++;
            pop(p, m4);
        }
        pop(p, m3);
        if (!choice(p, "terminals", &pt->term_pick, tw, pt->nterm)) {
            return false;
        }
        json_t *depot = obj(p, v, "depot");
        if (depot == NULL || !text_into(p, depot, "code", pt->depot_code, sizeof(pt->depot_code)) ||
            (pt->depot_name = str(p, depot, "name", 60)) == NULL ||
            !text_into(p, depot, "sender", pt->depot_sender, sizeof(pt->depot_sender))) {
            return false;
        }
        if (!read_pos(p, v, "anchorage", &pt->anchorage) || !read_pos(p, v, "pilot", &pt->pilot)) {
            return false;
        }
        json_t *lanes = obj(p, v, "lanes");
        if (lanes == NULL) {
            return false;
        }
        size_t m5 = push(p, "lanes");
        if (!read_lane(p, lanes, "north", &pt->lanes[SIM_LANE_NORTH]) ||
            !read_lane(p, lanes, "west", &pt->lanes[SIM_LANE_WEST]) ||
            !read_lane(p, lanes, "south", &pt->lanes[SIM_LANE_SOUTH])) {
            return false;
        }
        pop(p, m5);
        json_t *dwell = obj(p, v, "dwell_days");
        double fb = 0, la = 0, rc = 0;
        if (dwell == NULL || !num(p, v, "night_share", 0, 1, &pt->night_share) ||
            !num(p, v, "weekend_factor", 0, 1, &pt->weekend_factor) ||
            !pair(p, dwell, "reefer", 0.05, 60, false, pt->dwell[0]) ||
            !pair(p, dwell, "dry", 0.05, 60, false, pt->dwell[1]) ||
            !pair(p, dwell, "empty", 0.05, 60, false, pt->dwell[2]) ||
            !pair(p, v, "anchor_wait_hours", 0, 500, false, pt->anchor_wait) ||
            !num(p, v, "fishing_boats", 0, 5000, &fb) || !num(p, v, "launches", 0, 5000, &la) ||
            !num(p, v, "river_craft", 0, 5000, &rc) ||
            !num(p, v, "other_calls_per_week", 0, 10000, &pt->other_calls_per_week)) {
            return false;
        }
        pt->fishing_boats = (int)fb;
        pt->launches = (int)la;
        pt->river_craft = (int)rc;
        c->nport++;
        pop(p, m2);
    }
    if (c->nport == 0 || c->nport > 32) {
        return fail(p, NULL, "1 to 32 ports are needed");
    }
    pop(p, mark);
    return true;
}

static bool read_flags(struct cp *p, json_t *root)
{
    struct sim_config *c = p->cfg;
    size_t mark;
    json_t *sec = section(p, root, "flags", sizeof(*c->flag), (void **)&c->flag, &mark);
    if (sec == NULL) {
        return false;
    }
    const char *k;
    json_t *v;
    ENTRIES(sec, k, v)
    {
        static const char *const keys[] = { "mids", "callsigns", "source", NULL };
        size_t m2 = push(p, k);
        struct sim_flag *f = &c->flag[c->nflag];
        if (strlen(k) != 2 || !json_is_object(v) || !only(p, v, keys) || !has_source(sec, v)) {
            return fail(p, NULL, "must be {mids, callsigns} under a 2-letter flag code");
        }
        memcpy(f->code, k, 3);
        json_t *mids = json_object_get(v, "mids");
        if (!json_is_array(mids) || json_array_size(mids) == 0) {
            return fail(p, "mids", "must be a non-empty array");
        }
        f->nmid = (uint32_t)json_array_size(mids);
        f->mids = alloc(p, f->nmid, sizeof(uint16_t));
        if (f->mids == NULL) {
            return false;
        }
        for (uint32_t i = 0; i < f->nmid; i++) {
            json_t *e = json_array_get(mids, i);
            const char *alpha2 = NULL, *cname = NULL;
            if (!json_is_integer(e) || json_integer_value(e) < 200 ||
                json_integer_value(e) > 799 ||
                !vg_mid_lookup((unsigned)json_integer_value(e), &alpha2, &cname) ||
                strcmp(alpha2, k) != 0) {
                return fail(p, "mids", "element %u is not a MID allocated to %s", i, k);
            }
            f->mids[i] = (uint16_t)json_integer_value(e);
        }
        const char **cs;
        if (!strs(p, v, "callsigns", 2, true, &cs, &f->ncs)) {
            return false;
        }
        f->cs = alloc(p, f->ncs, 3);
        if (f->cs == NULL) {
            return false;
        }
        for (uint32_t i = 0; i < f->ncs; i++) {
            if (strlen(cs[i]) != 2) {
                return fail(p, "callsigns", "prefixes are two characters");
            }
            memcpy(f->cs[i], cs[i], 3);
        }
        c->nflag++;
        pop(p, m2);
    }
    pop(p, mark);
    return true;
}

static int flag_index(const struct sim_config *c, const char *code)
{
    for (uint32_t i = 0; i < c->nflag; i++) {
        if (strcmp(c->flag[i].code, code) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* A weights object over flag codes into indices and a choice. */
static bool flag_weights(struct cp *p, json_t *o, const char *key, uint32_t **flags,
                         struct sim_choice *pick)
{
    const char **fk;
    double *fw;
    uint32_t n;
    if (!weights(p, o, key, &fk, &fw, &n)) {
        return false;
    }
    *flags = alloc(p, n, sizeof(uint32_t));
    if (*flags == NULL) {
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        int f = flag_index(p->cfg, fk[i]);
        if (f < 0) {
            return fail(p, key, "unknown flag '%s' (see flags)", fk[i]);
        }
        (*flags)[i] = (uint32_t)f;
    }
    return choice(p, key, pick, fw, n);
}

static bool owner_prefix_ok(const char *s)
{
    if (strlen(s) != 4 || (s[3] != 'U' && s[3] != 'J' && s[3] != 'Z')) {
        return false;
    }
    for (int i = 0; i < 3; i++) {
        if (s[i] < 'A' || s[i] > 'Z') {
            return false;
        }
    }
    return true;
}

static bool read_carriers(struct cp *p, json_t *root)
{
    struct sim_config *c = p->cfg;
    size_t mark;
    json_t *sec = section(p, root, "carriers", sizeof(*c->carrier), (void **)&c->carrier, &mark);
    if (sec == NULL) {
        return false;
    }
    const char *k;
    json_t *v;
    ENTRIES(sec, k, v)
    {
        static const char *const keys[] = { "name", "agent", "prefixes", "bl_prefix",
                                            "seal_prefix", "vessel_prefix", "suffix", "names",
                                            "flags", "river", "source", NULL };
        size_t m2 = push(p, k);
        struct sim_carrier *ca = &c->carrier[c->ncarrier];
        if (strlen(k) < 2 || strlen(k) > 4 || !json_is_object(v) || !only(p, v, keys) ||
            !has_source(sec, v)) {
            return fail(p, NULL, "must be an object under a 2-4 letter SCAC");
        }
        memcpy(ca->scac, k, strlen(k) + 1);
        const char **pre;
        if ((ca->name = str(p, v, "name", 70)) == NULL ||
            !text_into(p, v, "agent", ca->agent, sizeof(ca->agent)) ||
            !strs(p, v, "prefixes", 4, true, &pre, &ca->nprefix) ||
            !text_into(p, v, "bl_prefix", ca->bl_prefix, sizeof(ca->bl_prefix)) ||
            !text_into(p, v, "seal_prefix", ca->seal_prefix, sizeof(ca->seal_prefix)) ||
            (ca->vessel_prefix = str(p, v, "vessel_prefix", 20)) == NULL ||
            !strs(p, v, "names", 20, true, &ca->names, &ca->nnames) ||
            !flag_weights(p, v, "flags", &ca->flags, &ca->flag_pick)) {
            return false;
        }
        ca->vessel_suffix = json_object_get(v, "suffix") ? str(p, v, "suffix", 12) : "";
        if (ca->vessel_suffix == NULL) {
            return false;
        }
        ca->river = json_is_true(json_object_get(v, "river"));
        ca->prefix = alloc(p, ca->nprefix, 5);
        if (ca->prefix == NULL) {
            return false;
        }
        for (uint32_t i = 0; i < ca->nprefix; i++) {
            if (!owner_prefix_ok(pre[i])) {
                return fail(p, "prefixes", "'%s' is not an ISO 6346 owner code and category",
                            pre[i]);
            }
            memcpy(ca->prefix[i], pre[i], 5);
        }
        c->ncarrier++;
        pop(p, m2);
    }
    pop(p, mark);
    json_t *les = obj(p, root, "lessors");
    if (les == NULL) {
        return false;
    }
    mark = push(p, "lessors");
    static const char *const lkeys[] = { "prefixes", "share", "source", NULL };
    const char **lk;
    double *lw;
    if (!only(p, les, lkeys) || !has_source(les, NULL) ||
        !weights(p, les, "prefixes", &lk, &lw, &c->nlessor) ||
        !num(p, les, "share", 0, 1, &c->lessor_share) ||
        !choice(p, "prefixes", &c->lessor_pick, lw, c->nlessor)) {
        return fail(p, NULL, "must be {prefixes, share, source}");
    }
    c->lessor = alloc(p, c->nlessor, 5);
    if (c->lessor == NULL) {
        return false;
    }
    for (uint32_t i = 0; i < c->nlessor; i++) {
        if (!owner_prefix_ok(lk[i])) {
            return fail(p, "prefixes", "'%s' is not an ISO 6346 owner code", lk[i]);
        }
        memcpy(c->lessor[i], lk[i], 5);
    }
    pop(p, mark);
    return true;
}

static int carrier_index(const struct sim_config *c, const char *scac)
{
    for (uint32_t i = 0; i < c->ncarrier; i++) {
        if (strcmp(c->carrier[i].scac, scac) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static bool read_services(struct cp *p, json_t *root)
{
    struct sim_config *c = p->cfg;
    size_t mark;
    json_t *sec = section(p, root, "services", sizeof(*c->service), (void **)&c->service, &mark);
    if (sec == NULL) {
        return false;
    }
    const char *k;
    json_t *v;
    ENTRIES(sec, k, v)
    {
        static const char *const keys[] = { "name", "carriers", "frequency_days", "speed_kn",
                                            "regions", "hubs", "rotation", "river", "source",
                                            NULL };
        size_t m2 = push(p, k);
        struct sim_service *sv = &c->service[c->nservice];
        if (strlen(k) < 2 || strlen(k) > 3 || !json_is_object(v) || !only(p, v, keys) ||
            !has_source(sec, v)) {
            return fail(p, NULL, "must be an object under a 2-3 character code");
        }
        memcpy(sv->code, k, strlen(k) + 1);
        const char **ck, **rg, **hb;
        double *cw;
        uint32_t nrg;
        if ((sv->name = str(p, v, "name", 60)) == NULL ||
            !weights(p, v, "carriers", &ck, &cw, &sv->ncar) ||
            !num(p, v, "frequency_days", 1, 60, &sv->freq) ||
            !num(p, v, "speed_kn", 4, 30, &sv->speed) ||
            !strs(p, v, "regions", 8, true, &rg, &nrg) ||
            !strs(p, v, "hubs", 5, false, &hb, &sv->nhub)) {
            return false;
        }
        sv->river = json_is_true(json_object_get(v, "river"));
        sv->car = alloc(p, sv->ncar, sizeof(uint32_t));
        sv->hub = alloc(p, sv->nhub, 6);
        if (sv->car == NULL || sv->hub == NULL) {
            return false;
        }
        for (uint32_t i = 0; i < sv->ncar; i++) {
            int ci = carrier_index(c, ck[i]);
            if (ci < 0) {
                return fail(p, "carriers", "unknown carrier '%s'", ck[i]);
            }
            sv->car[i] = (uint32_t)ci;
        }
        if (!choice(p, "carriers", &sv->car_pick, cw, sv->ncar)) {
            return false;
        }
        for (uint32_t i = 0; i < nrg; i++) {
            int r = region_index(rg[i]);
            if (r < 0) {
                return fail(p, "regions", "unknown region '%s'", rg[i]);
            }
            sv->regions |= 1u << r;
        }
        for (uint32_t i = 0; i < sv->nhub; i++) {
            if (!locode_ok(p, "hubs", hb[i], sv->hub[i])) {
                return false;
            }
        }
        json_t *rot = json_object_get(v, "rotation");
        if (!json_is_array(rot) || json_array_size(rot) < 2 || json_array_size(rot) > 24) {
            return fail(p, "rotation", "must be an array of 2 to 24 port calls");
        }
        sv->nrot = (uint32_t)json_array_size(rot);
        sv->rot = alloc(p, sv->nrot, sizeof(*sv->rot));
        if (sv->rot == NULL) {
            return false;
        }
        int peru_calls = 0;
        for (uint32_t i = 0; i < sv->nrot; i++) {
            json_t *e = json_array_get(rot, i);
            struct sim_rot *r = &sv->rot[i];
            size_t n = json_is_array(e) ? json_array_size(e) : 0;
            if ((n != 2 && n != 5) || !json_is_string(json_array_get(e, 0))) {
                return fail(p, "rotation", "call %u must be [port, day] or [port, day, exports, "
                                           "empties, berth hours]", i);
            }
            if (!locode_ok(p, "rotation", json_string_value(json_array_get(e, 0)), r->port)) {
                return false;
            }
            for (size_t j = 1; j < n; j++) {
                if (!json_is_number(json_array_get(e, j)) ||
                    json_number_value(json_array_get(e, j)) < 0 ||
                    json_number_value(json_array_get(e, j)) > 100000) {
                    return fail(p, "rotation", "call %u: values must be numbers >= 0", i);
                }
            }
            r->day = json_number_value(json_array_get(e, 1));
            if (i > 0 && r->day <= sv->rot[i - 1].day) {
                return fail(p, "rotation", "call %u: days must increase", i);
            }
            r->peru = vg__sim_port_index(c, r->port);
            if (r->peru >= 0) {
                if (n != 5) {
                    return fail(p, "rotation", "call %u at %s needs [port, day, exports, "
                                               "empties, berth hours]", i, r->port);
                }
                r->exports = json_number_value(json_array_get(e, 2));
                r->empties = json_number_value(json_array_get(e, 3));
                r->berth_h = json_number_value(json_array_get(e, 4));
                if (r->berth_h < 2 || r->berth_h > 200) {
                    return fail(p, "rotation", "call %u: berth hours must be 2..200", i);
                }
                peru_calls++;
            } else if (n != 2) {
                return fail(p, "rotation", "call %u at %s: volumes are for the simulated ports",
                            i, r->port);
            }
        }
        if (peru_calls == 0) {
            return fail(p, "rotation", "no call at a simulated port");
        }
        c->nservice++;
        pop(p, m2);
    }
    pop(p, mark);
    return true;
}

static bool read_equipment(struct cp *p, json_t *root)
{
    struct sim_config *c = p->cfg;
    size_t mark;
    json_t *sec = section(p, root, "equipment", sizeof(*c->equip), (void **)&c->equip, &mark);
    if (sec == NULL) {
        return false;
    }
    const char *k;
    json_t *v;
    ENTRIES(sec, k, v)
    {
        static const char *const keys[] = { "tare_kg", "max_gross_kg", "source", NULL };
        size_t m2 = push(p, k);
        struct sim_equipment *e = &c->equip[c->nequip];
        struct vg_size_type st;
        if (vg_size_type_parse(vg_slice_from_cstr(k), &st, NULL) != VG_OK || st.legacy ||
            strlen(k) != 4) {
            return fail(p, NULL, "not an ISO 6346 size-type code");
        }
        memcpy(e->code, k, 5);
        e->reefer = st.group == VG_EQUIP_REEFER;
        e->kind = e->reefer ? 0 : 1;
        if (!json_is_object(v) || !only(p, v, keys) || !has_source(sec, v) ||
            !num(p, v, "tare_kg", 500, 10000, &e->tare) ||
            !num(p, v, "max_gross_kg", 5000, 60000, &e->max_gross)) {
            return false;
        }
        c->nequip++;
        pop(p, m2);
    }
    pop(p, mark);
    return true;
}

static int equip_index(const struct sim_config *c, const char *code)
{
    for (uint32_t i = 0; i < c->nequip; i++) {
        if (strcmp(c->equip[i].code, code) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static int commodity_index(const struct sim_config *c, const char *code)
{
    for (uint32_t i = 0; i < c->ncommodity; i++) {
        if (strcmp(c->commodity[i].code, code) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static int sector_index(const struct sim_config *c, const char *name)
{
    for (uint32_t i = 0; i < c->names.nsector; i++) {
        if (strcmp(c->names.sector_name[i], name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static bool read_parties(struct cp *p, json_t *root)
{
    json_t *sec = obj(p, root, "parties");
    if (sec == NULL) {
        return false;
    }
    size_t mark = push(p, "parties");
    struct sim_config *c = p->cfg;
    struct sim_names *n = &c->names;
    static const char *const keys[] = {
        "sectors", "words", "words2", "foreign_words", "streets", "cities", "special_names",
        "forwarders", "brokers", "persons", "forwarders_count", "brokers_count",
        "consignees_per_exporter", "house_bl_share", "prepaid_share", "notify_share",
        "source", NULL
    };
    if (!only(p, sec, keys) || !has_source(sec, NULL)) {
        return fail(p, NULL, "needs a source");
    }
    json_t *sectors = obj(p, sec, "sectors");
    if (sectors == NULL) {
        return false;
    }
    n->nsector = (uint32_t)json_object_size(sectors);
    n->sector_name = alloc(p, n->nsector, sizeof(char *));
    n->ntempl = alloc(p, n->nsector, sizeof(uint32_t));
    n->templ = alloc(p, n->nsector, sizeof(char **));
    if (n->sector_name == NULL || n->ntempl == NULL || n->templ == NULL) {
        return false;
    }
    uint32_t i = 0;
    const char *k;
    json_t *v;
    size_t m2 = push(p, "sectors");
    json_object_foreach(sectors, k, v) {
        n->sector_name[i] = dup(p, k);
        if (!strs(p, sectors, k, 60, true, &n->templ[i], &n->ntempl[i])) {
            return false;
        }
        for (uint32_t j = 0; j < n->ntempl[i]; j++) {
            if (strstr(n->templ[i][j], "{W}") == NULL) {
                return fail(p, k, "template %u has no {W}", j);
            }
        }
        i++;
    }
    pop(p, m2);
    int trade = sector_index(c, "trade"), other = sector_index(c, "other");
    if (trade < 0 || other < 0) {
        return fail(p, "sectors", "the sectors 'trade' and 'other' are required");
    }
    n->sector_trade = (uint32_t)trade;
    n->sector_other = (uint32_t)other;
    json_t *persons = obj(p, sec, "persons");
    json_t *cities = json_object_get(sec, "cities");
    if (persons == NULL || !strs(p, sec, "words", 30, true, &n->words, &n->nwords) ||
        !strs(p, sec, "words2", 30, true, &n->words2, &n->nwords2) ||
        !strs(p, sec, "foreign_words", 30, true, &n->foreign, &n->nforeign) ||
        !strs(p, sec, "streets", 40, true, &n->streets, &n->nstreets) ||
        !strs(p, sec, "special_names", 70, false, &n->special, &n->nspecial) ||
        !strs(p, sec, "forwarders", 60, true, &n->fw, &n->nfw) ||
        !strs(p, sec, "brokers", 60, true, &n->broker, &n->nbroker) ||
        !strs(p, persons, "given", 30, true, &n->given, &n->ngiven) ||
        !strs(p, persons, "surnames", 30, true, &n->surname, &n->nsurname)) {
        return false;
    }
    if (!json_is_array(cities) || json_array_size(cities) == 0) {
        return fail(p, "cities", "must be a non-empty array of [city, postcode]");
    }
    n->ncities = (uint32_t)json_array_size(cities);
    n->cities = alloc(p, n->ncities, sizeof(*n->cities));
    if (n->cities == NULL) {
        return false;
    }
    for (i = 0; i < n->ncities; i++) {
        json_t *e = json_array_get(cities, i);
        if (!json_is_array(e) || json_array_size(e) != 2 || !json_is_string(json_array_get(e, 0)) ||
            !json_is_string(json_array_get(e, 1))) {
            return fail(p, "cities", "element %u must be [city, postcode]", i);
        }
        n->cities[i].name = dup(p, json_string_value(json_array_get(e, 0)));
        n->cities[i].postcode = dup(p, json_string_value(json_array_get(e, 1)));
        n->cities[i].street = "";
    }
    double fw, br, cpe[2];
    if (!num(p, sec, "forwarders_count", 1, 100000, &fw) ||
        !num(p, sec, "brokers_count", 1, 100000, &br) ||
        !pair(p, sec, "consignees_per_exporter", 1, 50, true, cpe) ||
        !num(p, sec, "house_bl_share", 0, 1, &c->house_bl_share) ||
        !num(p, sec, "prepaid_share", 0, 1, &c->prepaid_share) ||
        !num(p, sec, "notify_share", 0, 1, &c->notify_share)) {
        return false;
    }
    c->forwarders = (int)fw;
    c->brokers = (int)br;
    c->cons_per_exporter[0] = (int)cpe[0];
    c->cons_per_exporter[1] = (int)cpe[1];
    pop(p, mark);
    return true;
}

static bool read_commodities(struct cp *p, json_t *root)
{
    struct sim_config *c = p->cfg;
    size_t mark;
    json_t *sec = section(p, root, "commodities", sizeof(*c->commodity), (void **)&c->commodity, &mark);
    if (sec == NULL) {
        return false;
    }
    const char *k;
    json_t *v;
    ENTRIES(sec, k, v)
    {
        static const char *const keys[] = {
            "description", "vague", "hs", "sector", "equipment", "package", "kg_per_package",
            "packages", "value_per_kg", "season", "ports", "destinations", "weight", "exporters",
            "high_risk", "containers_per_bl", "shipper_seal", "phyto_seal", "source", NULL
        };
        size_t m2 = push(p, k);
        struct sim_commodity *cm = &c->commodity[c->ncommodity];
        if (strlen(k) == 0 || strlen(k) >= sizeof(cm->code) || !json_is_object(v) ||
            !only(p, v, keys) || !has_source(sec, v)) {
            return fail(p, NULL, "must be an object under a code of at most 15 characters");
        }
        memcpy(cm->code, k, strlen(k) + 1);
        const char *sector, *hs;
        const char **ek, **pk, **dk;
        double *ew, *pw, *dw;
        uint32_t npk, ndk;
        double ex = 0, blr[2] = { 0, 0 };
        if ((cm->desc = str(p, v, "description", 70)) == NULL ||
            (cm->vague = str(p, v, "vague", 35)) == NULL || (hs = str(p, v, "hs", 10)) == NULL ||
            (sector = str(p, v, "sector", 20)) == NULL ||
            !weights(p, v, "equipment", &ek, &ew, &cm->neq) ||
            !text_into(p, v, "package", cm->pkg, sizeof(cm->pkg)) ||
            !pair(p, v, "kg_per_package", 0, 60000, false, cm->kg_pkg) ||
            !pair(p, v, "packages", 0, 100000, false, cm->pkgs) ||
            !pair(p, v, "value_per_kg", 0, 100000, false, cm->value) ||
            !weights(p, v, "ports", &pk, &pw, &npk) ||
            !weights(p, v, "destinations", &dk, &dw, &ndk) ||
            !num(p, v, "weight", 0, 1e6, &cm->weight) ||
            !num(p, v, "exporters", 1, 100000, &ex) ||
            !pair(p, v, "containers_per_bl", 1, 500, true, blr) ||
            !num(p, v, "shipper_seal", 0, 1, &cm->shipper_seal) ||
            !num(p, v, "phyto_seal", 0, 1, &cm->phyto_seal)) {
            return false;
        }
        struct vg_hs_code hc;
        if (vg_hs_parse(vg_slice_from_cstr(hs), &hc, NULL) != VG_OK || hc.length < 6) {
            return fail(p, "hs", "'%s' is not an HS code of 6 to 10 digits", hs);
        }
        memcpy(cm->hs, hc.digits, sizeof(cm->hs));
        int si = sector_index(c, sector);
        if (si < 0) {
            return fail(p, "sector", "unknown sector '%s' (see parties.sectors)", sector);
        }
        cm->sector = (uint32_t)si;
        if (cm->kg_pkg[0] <= 0 || cm->pkgs[0] < 1) {
            return fail(p, "packages", "a container holds at least one package of some weight");
        }
        cm->exporters = (int)ex;
        cm->bl_min = (int)blr[0];
        cm->bl_max = (int)blr[1];
        cm->high_risk = json_is_true(json_object_get(v, "high_risk"));
        json_t *season = json_object_get(v, "season");
        if (!json_is_array(season) || json_array_size(season) != 12) {
            return fail(p, "season", "must be 12 monthly weights");
        }
        for (int mth = 0; mth < 12; mth++) {
            json_t *e = json_array_get(season, (size_t)mth);
            if (!json_is_number(e) || json_number_value(e) < 0) {
                return fail(p, "season", "month %d must be a number >= 0", mth + 1);
            }
            cm->season[mth] = json_number_value(e);
        }
        cm->eq = alloc(p, cm->neq, sizeof(uint32_t));
        cm->port_w = alloc(p, c->nport, sizeof(double));
        cm->dest_w = alloc(p, c->ncountry, sizeof(double));
        if (cm->eq == NULL || cm->port_w == NULL || cm->dest_w == NULL) {
            return false;
        }
        double reefer_w = 0, total_w = 0;
        for (uint32_t i = 0; i < cm->neq; i++) {
            int e = equip_index(c, ek[i]);
            if (e < 0) {
                return fail(p, "equipment", "unknown size-type '%s' (see equipment)", ek[i]);
            }
            cm->eq[i] = (uint32_t)e;
            total_w += ew[i];
            reefer_w += c->equip[e].reefer ? ew[i] : 0;
        }
        cm->reefer = reefer_w * 2 > total_w;
        if (!choice(p, "equipment", &cm->eq_pick, ew, cm->neq)) {
            return false;
        }
        for (uint32_t i = 0; i < npk; i++) {
            int pi = vg__sim_port_index(c, pk[i]);
            if (pi < 0) {
                return fail(p, "ports", "'%s' is not a simulated port (see ports)", pk[i]);
            }
            cm->port_w[pi] = pw[i];
        }
        for (uint32_t i = 0; i < ndk; i++) {
            int ci = vg__sim_country_index(c, dk[i]);
            if (ci < 0) {
                return fail(p, "destinations", "unknown country '%s' (see countries)", dk[i]);
            }
            cm->dest_w[ci] = dw[i];
        }
        c->ncommodity++;
        pop(p, m2);
    }
    if (c->ncommodity == 0) {
        return fail(p, NULL, "at least one commodity is needed");
    }
    pop(p, mark);
    return true;
}

static bool read_patterns(struct cp *p, json_t *root)
{
    json_t *sec = obj(p, root, "patterns");
    if (sec == NULL) {
        return false;
    }
    size_t mark = push(p, "patterns");
    struct sim_config *c = p->cfg;
    const char *k;
    json_t *v;
    ENTRIES(sec, k, v)
    {
        int pi = name_index(vg__sim_pattern_names, SIM_PATTERNS, k);
        if (pi <= 0) {
            return fail(p, k, "unknown pattern (rip_on, front_company, contamination, "
                              "watchlist_party, unusual_transhipment, cloned_container, "
                              "identity_hijack, at_sea_transfer)");
        }
        size_t m2 = push(p, k);
        struct sim_pattern_cfg *pc = &c->pattern[pi];
        static const char *const keys[] = {
            "rate_per_1000", "rate_per_departure", "regions", "indicators", "kg", "concealment",
            "test_shipments", "loaded_per_company", "cover", "role", "variant_share", "hubs",
            "ports", "meet_nm", "loiter_hours", "crew_containers", "source", NULL
        };
        if (!json_is_object(v) || !only(p, v, keys) || !has_source(sec, v)) {
            return fail(p, NULL, "must be an object with a source");
        }
        pc->present = true;
        if (pi == SIM_P_AT_SEA) {
            if (!num(p, v, "rate_per_departure", 0, 1, &pc->rate)) {
                return false;
            }
        } else if (!num(p, v, "rate_per_1000", 0, 200, &pc->rate)) {
            return false;
        }
        if (!named_weights(p, v, "regions", vg__sim_region_names, SIM_REGIONS, pc->region_w,
                           true) ||
            !named_weights(p, v, "indicators", vg__sim_indicator_names, SIM_INDICATORS,
                           pc->ind_p, true) ||
            !pair(p, v, "kg", 1, 100000, true, pc->kg)) {
            return false;
        }
        for (int i = 0; i < SIM_INDICATORS; i++) {
            if (pc->ind_p[i] > 1) {
                return fail(p, "indicators", "'%s' is a probability (0..1)",
                            vg__sim_indicator_names[i]);
            }
        }
        if (pi != SIM_P_AT_SEA) {
            if (!named_weights(p, v, "concealment", vg__sim_concealment_names, SIM_CONCEALMENTS,
                               pc->conc_w, true) ||
                !choice(p, "concealment", &pc->conc_pick, pc->conc_w, SIM_CONCEALMENTS)) {
                return false;
            }
        }
        if (pi == SIM_P_FRONT) {
            double lr[2];
            const char **ck;
            double *cw;
            uint32_t nc;
            if (!num(p, v, "test_shipments", 0, 20, &pc->test_shipments) ||
                !pair(p, v, "loaded_per_company", 1, 50, true, lr) ||
                !weights(p, v, "cover", &ck, &cw, &nc)) {
                return false;
            }
            pc->loaded_min = (int)lr[0];
            pc->loaded_max = (int)lr[1];
            pc->cover = alloc(p, nc, sizeof(uint32_t));
            if (pc->cover == NULL) {
                return false;
            }
            for (uint32_t i = 0; i < nc; i++) {
                int ci = commodity_index(c, ck[i]);
                if (ci < 0) {
                    return fail(p, "cover", "unknown commodity '%s'", ck[i]);
                }
                pc->cover[i] = (uint32_t)ci;
            }
            if (!choice(p, "cover", &pc->cover_pick, cw, nc)) {
                return false;
            }
        } else if (pi == SIM_P_WATCHLIST) {
            static const char *const roles[] = { "exporter", "consignee", "forwarder" };
            if (!named_weights(p, v, "role", roles, 3, pc->role_w, true) ||
                !num(p, v, "variant_share", 0, 1, &pc->variant_share)) {
                return false;
            }
        } else if (pi == SIM_P_TRANSHIPMENT) {
            const char **hk;
            double *hw;
            if (!weights(p, v, "hubs", &hk, &hw, &pc->nhub)) {
                return false;
            }
            pc->hub = alloc(p, pc->nhub, 6);
            if (pc->hub == NULL) {
                return false;
            }
            for (uint32_t i = 0; i < pc->nhub; i++) {
                if (!locode_ok(p, "hubs", hk[i], pc->hub[i])) {
                    return false;
                }
            }
            if (!choice(p, "hubs", &pc->hub_pick, hw, pc->nhub)) {
                return false;
            }
        } else if (pi == SIM_P_AT_SEA) {
            const char **pk;
            double *pw, cr[2];
            uint32_t np;
            if (!weights(p, v, "ports", &pk, &pw, &np) ||
                !pair(p, v, "meet_nm", 3, 80, true, pc->meet_nm) ||
                !pair(p, v, "loiter_hours", 0.5, 12, true, pc->loiter_h) ||
                !pair(p, v, "crew_containers", 0, 20, true, cr)) {
                return false;
            }
            pc->crew_min = (int)cr[0];
            pc->crew_max = (int)cr[1];
            pc->port_w = alloc(p, c->nport, sizeof(double));
            if (pc->port_w == NULL) {
                return false;
            }
            for (uint32_t i = 0; i < np; i++) {
                int pi2 = vg__sim_port_index(c, pk[i]);
                if (pi2 < 0) {
                    return fail(p, "ports", "'%s' is not a simulated port", pk[i]);
                }
                pc->port_w[pi2] = pw[i];
            }
        }
        pop(p, m2);
    }
    pop(p, mark);
    return true;
}

static bool read_confounders(struct cp *p, json_t *root)
{
    json_t *sec = obj(p, root, "confounders");
    if (sec == NULL) {
        return false;
    }
    size_t mark = push(p, "confounders");
    const char *k;
    json_t *v;
    ENTRIES(sec, k, v)
    {
        int ci = name_index(vg__sim_confounder_names, SIM_CONFOUNDERS, k);
        if (ci < 0) {
            return fail(p, k, "unknown confounder");
        }
        static const char *const keys[] = { "rate", "source", NULL };
        size_t m2 = push(p, k);
        if (!json_is_object(v) || !only(p, v, keys) || !has_source(sec, v) ||
            !num(p, v, "rate", 0, 1, &p->cfg->conf_rate[ci])) {
            return fail(p, NULL, "must be {rate, source}");
        }
        pop(p, m2);
    }
    pop(p, mark);
    return true;
}

static bool read_inspection(struct cp *p, json_t *root)
{
    json_t *sec = obj(p, root, "inspection");
    if (sec == NULL) {
        return false;
    }
    size_t mark = push(p, "inspection");
    struct sim_config *c = p->cfg;
    static const char *const keys[] = {
        "origin_share", "random_share", "rules_of_thumb", "methods", "detection",
        "concealment_factor", "other_result_rate", "other_findings", "destination_find",
        "transit_find", "vessel_case_find", "destination_delay_days", "source", NULL
    };
    double mw[SIM_METHODS];
    double *ow;
    json_t *rules = obj(p, sec, "rules_of_thumb");
    if (!only(p, sec, keys) || !has_source(sec, NULL) || rules == NULL ||
        !num(p, sec, "origin_share", 0, 1, &c->insp.share) ||
        !num(p, sec, "random_share", 0, 1, &c->insp.random_share) ||
        !named_weights(p, sec, "methods", vg__sim_method_names, SIM_METHODS, mw, true) ||
        !choice(p, "methods", &c->insp.method_pick, mw, SIM_METHODS) ||
        !named_weights(p, sec, "detection", vg__sim_method_names, SIM_METHODS, c->insp.detect,
                       true) ||
        !named_weights(p, sec, "concealment_factor", vg__sim_concealment_names,
                       SIM_CONCEALMENTS, c->insp.conc_factor, true) ||
        !num(p, sec, "other_result_rate", 0, 1, &c->insp.other_rate) ||
        !weights(p, sec, "other_findings", &c->insp.other, &ow, &c->insp.nother) ||
        !choice(p, "other_findings", &c->insp.other_pick, ow, c->insp.nother) ||
        !named_weights(p, sec, "destination_find", vg__sim_region_names, SIM_REGIONS,
                       c->insp.dest_find, false) ||
        !num(p, sec, "transit_find", 0, 1, &c->insp.transit_find) ||
        !num(p, sec, "vessel_case_find", 0, 1, &c->insp.vessel_find) ||
        !pair(p, sec, "destination_delay_days", 0, 60, true, c->insp.delay)) {
        return false;
    }
    for (int i = 0; i < SIM_METHODS; i++) {
        if (c->insp.detect[i] > 1) {
            return fail(p, "detection", "probabilities are 0..1");
        }
    }
    for (int i = 0; i < SIM_REGIONS; i++) {
        if (c->insp.dest_find[i] > 1) {
            return fail(p, "destination_find", "probabilities are 0..1");
        }
    }
    size_t m2 = push(p, "rules_of_thumb");
    if (!only(p, rules, (const char *const[]){ "reefer_europe", "europe", "new_exporter",
                                               "high_risk_commodity", "house_bl",
                                               "vague_description", "watchlist_exact",
                                               "seal_discrepancy", "night_gate", "noise_sigma",
                                               NULL })) {
        return false;
    }
    for (int i = 0; i < SIM_RULES; i++) {
        if (!num(p, rules, vg__sim_rule_names[i], 0, 1000, &c->insp.rule[i])) {
            return false;
        }
    }
    pop(p, m2);
    pop(p, mark);
    return true;
}

static bool read_faults(struct cp *p, json_t *root)
{
    json_t *sec = obj(p, root, "faults");
    if (sec == NULL) {
        return false;
    }
    size_t mark = push(p, "faults");
    struct sim_config *c = p->cfg;
    static const char *const keys[] = { "bad_container_check_digit", "bad_imo_check_digit",
                                        "bad_ruc_check_digit", "unknown_locode",
                                        "truncated_message", "wrong_unt_count",
                                        "bad_nmea_checksum", "missing_feed", "unknown_locodes", "source",
                                        NULL };
    if (!only(p, sec, keys) || !has_source(sec, NULL)) {
        return fail(p, NULL, "needs a source");
    }
    for (int i = 0; i < SIM_FAULTS; i++) {
        if (!inum(p, sec, vg__sim_fault_names[i], 0, 8, &c->fault_count[i])) {
            return false;
        }
    }
    const char **uk;
    if (!strs(p, sec, "unknown_locodes", 5, true, &uk, &c->nunknown)) {
        return false;
    }
    c->unknown = alloc(p, c->nunknown, 6);
    if (c->unknown == NULL) {
        return false;
    }
    for (uint32_t i = 0; i < c->nunknown; i++) {
        if (!locode_ok(p, "unknown_locodes", uk[i], c->unknown[i])) {
            return false;
        }
    }
    pop(p, mark);
    return true;
}

static bool read_ais(struct cp *p, json_t *root)
{
    json_t *sec = obj(p, root, "ais");
    if (sec == NULL) {
        return false;
    }
    size_t mark = push(p, "ais");
    struct sim_config *c = p->cfg;
    static const char *const keys[] = { "coastal_interval_s", "anchor_interval_s",
                                        "berth_interval_s", "sea_interval_s",
                                        "fishing_interval_s", "coastal_nm", "hours_out",
                                        "hours_in", "static_interval_s", "jitter_m", "source",
                                        NULL };
    if (!only(p, sec, keys) || !has_source(sec, NULL) ||
        !pair(p, sec, "coastal_interval_s", 2, 3600, true, c->ais.coastal) ||
        !num(p, sec, "anchor_interval_s", 2, 7200, &c->ais.anchor) ||
        !num(p, sec, "berth_interval_s", 2, 7200, &c->ais.berth) ||
        !num(p, sec, "sea_interval_s", 2, 14400, &c->ais.sea) ||
        !num(p, sec, "fishing_interval_s", 2, 3600, &c->ais.fishing) ||
        !num(p, sec, "coastal_nm", 1, 500, &c->ais.coastal_nm) ||
        !num(p, sec, "hours_out", 1, 72, &c->ais.hours_out) ||
        !num(p, sec, "hours_in", 1, 72, &c->ais.hours_in) ||
        !num(p, sec, "static_interval_s", 60, 86400, &c->ais.static_s) ||
        !num(p, sec, "jitter_m", 0, 1000, &c->ais.jitter_m)) {
        return false;
    }
    pop(p, mark);

    sec = obj(p, root, "small_craft");
    if (sec == NULL) {
        return false;
    }
    mark = push(p, "small_craft");
    static const char *const ckeys[] = { "fishing_class_b", "fishing_trip_share", "fishing_nm",
                                         "fishing_hours", "departure_hours", "launch_trip_share",
                                         "river_trip_share", "river_speed_kn", "river_days",
                                         "names", "river_names", "source", NULL };
    if (!only(p, sec, ckeys) || !has_source(sec, NULL) ||
        !num(p, sec, "fishing_class_b", 0, 1, &c->craft.class_b) ||
        !num(p, sec, "fishing_trip_share", 0, 1, &c->craft.trip_share) ||
        !pair(p, sec, "fishing_nm", 1, 200, true, c->craft.nm) ||
        !pair(p, sec, "fishing_hours", 1, 48, true, c->craft.hours) ||
        !pair(p, sec, "departure_hours", 0, 23.99, true, c->craft.dep_hours) ||
        !num(p, sec, "launch_trip_share", 0, 1, &c->craft.launch_share) ||
        !num(p, sec, "river_trip_share", 0, 1, &c->craft.river_share) ||
        !pair(p, sec, "river_speed_kn", 1, 30, true, c->craft.river_kn) ||
        !pair(p, sec, "river_days", 0.2, 10, true, c->craft.river_days) ||
        !strs(p, sec, "names", 30, true, &c->craft.names, &c->craft.nnames) ||
        !strs(p, sec, "river_names", 30, true, &c->craft.river_names, &c->craft.nriver)) {
        return false;
    }
    pop(p, mark);

    sec = obj(p, root, "other_vessels");
    if (sec == NULL) {
        return false;
    }
    mark = push(p, "other_vessels");
    static const char *const okeys[] = { "names", "types", "flags", "anchor_wait_hours",
                                         "berth_hours", "source", NULL };
    static const char *const types[] = { "bulk", "tanker", "general" };
    if (!only(p, sec, okeys) || !has_source(sec, NULL) ||
        !strs(p, sec, "names", 30, true, &c->other.names, &c->other.nnames) ||
        !named_weights(p, sec, "types", types, 3, c->other.type_w, true) ||
        !choice(p, "types", &c->other.type_pick, c->other.type_w, 3) ||
        !flag_weights(p, sec, "flags", &c->other.flags, &c->other.flag_pick) ||
        !pair(p, sec, "anchor_wait_hours", 0, 500, false, c->other.anchor_wait) ||
        !pair(p, sec, "berth_hours", 0.01, 500, false, c->other.berth_h)) {
        return false;
    }
    pop(p, mark);
    return true;
}

static bool read_watchlist(struct cp *p, json_t *root)
{
    json_t *sec = obj(p, root, "watchlist");
    if (sec == NULL) {
        return false;
    }
    size_t mark = push(p, "watchlist");
    struct sim_config *c = p->cfg;
    static const char *const keys[] = { "listed_parties", "decoys", "vessel_decoys",
                                        "container_decoys", "seal_decoys", "list_vessel_case",
                                        "sources", "notes", "source", NULL };
    double lp[2];
    double *sw;
    if (!only(p, sec, keys) || !has_source(sec, NULL) ||
        !pair(p, sec, "listed_parties", 1, 100000, true, lp) ||
        !inum(p, sec, "decoys", 0, 100000, &c->watch.decoys) ||
        !inum(p, sec, "vessel_decoys", 0, 10000, &c->watch.vessel_decoys) ||
        !inum(p, sec, "container_decoys", 0, 10000, &c->watch.container_decoys) ||
        !inum(p, sec, "seal_decoys", 0, 10000, &c->watch.seal_decoys) ||
        !num(p, sec, "list_vessel_case", 0, 1, &c->watch.list_vessel_case) ||
        !weights(p, sec, "sources", &c->watch.sources, &sw, &c->watch.nsources) ||
        !choice(p, "sources", &c->watch.source_pick, sw, c->watch.nsources) ||
        !strs(p, sec, "notes", 80, true, &c->watch.notes, &c->watch.nnotes)) {
        return false;
    }
    c->watch.listed_min = (int)lp[0];
    c->watch.listed_max = (int)lp[1];
    pop(p, mark);
    return true;
}

static bool read_top(struct cp *p, json_t *root)
{
    static const char *const keys[] = {
        "name", "title", "about", "start", "history_share", "places", "countries", "ports",
        "flags", "carriers", "lessors", "services", "equipment", "commodities", "parties",
        "patterns", "confounders", "inspection", "faults", "ais", "small_craft",
        "other_vessels", "watchlist", NULL
    };
    struct sim_config *c = p->cfg;
    if (!only(p, root, keys)) {
        return false;
    }
    const char *start;
    if ((c->name = str(p, root, "name", 60)) == NULL ||
        (c->title = str(p, root, "title", 200)) == NULL ||
        (start = str(p, root, "start", 10)) == NULL ||
        !num(p, root, "history_share", 0, 1, &c->history_share)) {
        return false;
    }
    if (sscanf(start, "%4d-%2d-%2d", &c->start_y, &c->start_m, &c->start_d) != 3 ||
        !vg_civil_valid(c->start_y, c->start_m, c->start_d, 0, 0, 0) || c->start_y < 1990 ||
        c->start_y > 2100) {
        return fail(p, "start", "must be a date YYYY-MM-DD between 1990 and 2100");
    }
    return read_places(p, root) && read_countries(p, root) && read_ports(p, root) &&
           read_flags(p, root) && read_carriers(p, root) && read_services(p, root) &&
           read_equipment(p, root) && read_parties(p, root) && read_commodities(p, root) &&
           read_patterns(p, root) && read_confounders(p, root) && read_inspection(p, root) &&
           read_faults(p, root) && read_ais(p, root) && read_watchlist(p, root);
}

/* Cross checks that need every section: every port of a rotation must have a position
 * (the AIS tracks head towards it). */
static bool check_links(struct cp *p)
{
    struct sim_config *c = p->cfg;
    for (uint32_t s = 0; s < c->nservice; s++) {
        struct sim_service *sv = &c->service[s];
        for (uint32_t i = 0; i < sv->nrot; i++) {
            struct sim_pos pos;
            if (!vg__sim_port_pos(c, sv->rot[i].port, &pos)) {
                push(p, "services");
                push(p, sv->code);
                return fail(p, "rotation", "no position for %s: add it to places",
                            sv->rot[i].port);
            }
        }
    }
    return true;
}

static int dump_to_buf(const char *buffer, size_t size, void *data)
{
    return vg_buf_append(data, buffer, size) == VG_OK ? 0 : -1;
}

static enum vg_status parse_json(const char *data, size_t len, const char *source, json_t **out,
                                 struct vg_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL) {
        vg_error_at(err, source, (uint32_t)(je.line > 0 ? je.line : 0),
                    (uint32_t)(je.column > 0 ? je.column : 0),
                    (uint64_t)(je.position > 0 ? je.position : 0), 0);
        return vg_error_set(err, VG_EPARSE, "configuration is not JSON: %s", je.text);
    }
    if (!json_is_object(root)) {
        json_decref(root);
        vg_error_at(err, source, 1, 1, 0, 0);
        return vg_error_set(err, VG_EPARSE, "configuration must be a JSON object");
    }
    *out = root;
    return VG_OK;
}

enum vg_status vg__sim_config_load(const char *data, size_t len, const char *source,
                                   struct sim_config **out, struct vg_error *err)
{
    *out = NULL;
    json_t *root = NULL, *base = NULL;
    if (data == NULL) {
        data = vg_sim_default_config(&len);
        source = "sim/peru.json (built in)";
    }
    enum vg_status st = parse_json(data, len, source, &root, err);
    if (st != VG_OK) {
        return st;
    }
    json_t *ext = json_object_get(root, "extends");
    if (ext != NULL) {
        if (!json_is_string(ext) || strcmp(json_string_value(ext), "peru") != 0) {
            json_decref(root);
            vg_error_at(err, source, 0, 0, 0, 0);
            return vg_error_set(err, VG_EPARSE, "extends: only the built-in \"peru\" can be "
                                                "extended");
        }
        size_t blen;
        const char *bdata = vg_sim_default_config(&blen);
        st = parse_json(bdata, blen, "sim/peru.json", &base, err);
        if (st != VG_OK) {
            json_decref(root);
            return st;
        }
        json_object_del(root, "extends");
        if (json_object_update_recursive(base, root) != 0) {
            json_decref(root);
            json_decref(base);
            return vg_error_set(err, VG_ENOMEM, "out of memory merging the configuration");
        }
        json_decref(root);
        root = base;
    }

    struct sim_config *cfg = vg_calloc(1, sizeof(*cfg));
    if (cfg == NULL) {
        json_decref(root);
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    vg_arena_init(&cfg->arena, 1 << 16, 0);
    struct cp p = { .cfg = cfg, .a = &cfg->arena, .err = err };
    vg_error_at(err, source, 0, 0, 0, 0);
    bool ok = read_top(&p, root) && check_links(&p);
    if (ok) {
        struct vg_buf canon;
        vg_buf_init(&canon, 0);
        if (json_dump_callback(root, dump_to_buf, &canon,
                               JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17)) != 0) {
            ok = oom(&p);
        } else {
            unsigned char h[32];
            crypto_generichash(h, sizeof(h), (const unsigned char *)canon.data, canon.len, NULL,
                               0);
            int n = snprintf(cfg->digest, sizeof(cfg->digest), "blake2b-256:");
            for (int i = 0; i < 32; i++) {
                snprintf(cfg->digest + n + 2 * i, 3, "%02x", h[i]);
            }
        }
        vg_buf_release(&canon);
    }
    json_decref(root);
    if (!ok) {
        st = p.failed ? p.status : VG_EPARSE;
        vg__sim_config_free(cfg);
        return st;
    }
    *out = cfg;
    return VG_OK;
}

void vg__sim_config_free(struct sim_config *cfg)
{
    if (cfg == NULL) {
        return;
    }
    vg_arena_release(&cfg->arena);
    vg_free(cfg);
}

enum vg_status vg_sim_config_check(const char *data, size_t len, const char *source,
                                   struct vg_error *err)
{
    if (data == NULL) {
        return vg_error_set(err, VG_EINVAL, "no configuration given");
    }
    struct sim_config *cfg = NULL;
    enum vg_status st = vg__sim_config_load(data, len, source ? source : "config", &cfg, err);
    vg__sim_config_free(cfg);
    return st;
}
