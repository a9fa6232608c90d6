/*
 * OFAC SDN list in its legacy CSV files (vigia/screen.h): sdn.csv, alt.csv, add.csv, as
 * described in OFAC's "SDN List - Data Specification" for the delimited files: no header,
 * ISO 8859-1, CRLF, "-0-" (followed by a space) for an empty field, a Ctrl-Z at the end.
 *
 *   sdn.csv  ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage,
 *            GRT, Vess_flag, Vess_owner, Remarks
 *   alt.csv  ent_num, alt_num, alt_type (aka, fka, nka), alt_name, alt_remarks
 *   add.csv  ent_num, add_num, address, city/state/postal code, country, add_remarks
 *
 * Remarks are ';'-separated items, some prefixed "alt.": identifier documents ("Cedula No.
 * 6068015 (Colombia)", "RUC # 20108363101 (Peru)", "Vessel Registration Identification IMO
 * 9187629", "MMSI 572469210"), nationality and citizenship, place of birth, and quoted
 * names: "a.k.a. 'X'" in remarks is OFAC's weak alias (matched literally only), while
 * "f.k.a. 'X'" and "n.k.a. 'X'" are former and new names (full aliases). Countries of an
 * entry come from nationality, citizenship, place of birth, the countries of its documents,
 * the vessel flag and the countries of its addresses.
 */
#include "screen/screen_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/arena.h>
#include <vigia/charset.h>
#include <vigia/csv.h>
#include <vigia/map.h>
#include <vigia/slice.h>

struct alt_rec {
    uint32_t ent;
    uint32_t seq; /* order in the file */
    const char *name;
};

struct add_rec {
    uint32_t ent;
    char country[3];
};

struct ofac {
    const struct vg_watch_sink *sink;
    struct vg_ofac_stats *stats;
    const struct vg_watch_file *file; /* the file being read */
    struct vg_arena keep;             /* alias names for the whole parse */
    struct vg_arena row;              /* the current sdn record's strings */
    struct vg_buf conv;               /* Latin-1 to UTF-8 */
    struct alt_rec *alts;
    size_t nalts, alts_cap;
    struct add_rec *adds;
    size_t nadds, adds_cap;
    /* Entry being assembled. */
    struct vg_buf ids;
    struct vg_buf weak;
    struct vg_buf aliases;
    struct vg_buf note;
    char countries[32][3];
    size_t ncountries;
    struct vg_map seen; /* sdn ent_num -> line of its record */
};

/* A field as UTF-8, "-0-" read as empty; allocated in arena. NULL on OOM. */
static const char *
field(struct ofac *o, struct vg_arena *arena, const struct vg_csv_reader *r, size_t i)
{
    struct vg_slice f = vg_slice_trim(vg_csv_field(r, i));
    if (vg_slice_eq_cstr(f, "-0-")) {
        f = VG_SLICE_EMPTY;
    }
    vg_buf_reset(&o->conv);
    if (vg_latin1_to_utf8(f.ptr, f.len, &o->conv) != VG_OK) {
        return NULL;
    }
    return vg__clean_dup(arena, o->conv.data != NULL ? o->conv.data : "", o->conv.len);
}

static enum vg_status reject(struct ofac *o,
                             const struct vg_watch_file *file,
                             const struct vg_csv_reader *r,
                             enum vg_status code,
                             const char *message)
{
    struct vg_error reason;
    vg_error_clear(&reason);
    vg_error_at(&reason, file->source, r->record_line, 0, r->record_offset, r->record);
    vg_error_set(&reason, code, "%s", message);
    size_t end = r->pos > r->record_offset ? r->pos : (size_t)r->record_offset;
    size_t ex = end - (size_t)r->record_offset;
    if (ex > 512) {
        ex = 512;
    }
    if (o->sink->reject == NULL) {
        return VG_OK;
    }
    return o->sink->reject(o->sink->user, &reason, file->data + r->record_offset, ex);
}

static bool parse_ent(struct vg_slice s, uint32_t *out)
{
    uint64_t v;
    if (vg_slice_to_u64(vg_slice_trim(s), &v) != VG_OK || v == 0 || v > UINT32_MAX) {
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

/*
 * Reads every record of file, checking that it has at least min_fields fields and an
 * ent_num; calls fn for the good ones. Syntax errors and bad records are rejected.
 */
static enum vg_status
each_record(struct ofac *o,
            const struct vg_watch_file *file,
            size_t min_fields,
            size_t max_fields,
            enum vg_status (*fn)(struct ofac *o, struct vg_csv_reader *r, uint32_t ent),
            struct vg_error *err)
{
    struct vg_csv_reader r;
    vg_csv_init(&r, file->data, file->len, ',');
    o->file = file;
    enum vg_status st = VG_OK;
    for (;;) {
        struct vg_error rerr;
        vg_error_clear(&rerr);
        st = vg_csv_next(&r, &rerr);
        if (st == VG_ENOTFOUND) {
            st = VG_OK;
            break;
        }
        if (st == VG_EPARSE || st == VG_ELIMIT) {
            st = reject(o, file, &r, st, rerr.message);
            if (st != VG_OK) {
                break;
            }
            continue;
        }
        if (st != VG_OK) {
            vg_error_set(err, st, "%s", rerr.message);
            break;
        }
        uint32_t ent;
        char msg[160];
        if (r.nfields < min_fields || r.nfields > max_fields) {
            snprintf(msg, sizeof(msg), "%zu fields where %zu%s were expected", r.nfields,
                     min_fields, max_fields > min_fields ? " or more" : "");
            st = reject(o, file, &r, VG_EPARSE, msg);
        } else if (!parse_ent(vg_csv_field(&r, 0), &ent)) {
            st = reject(o, file, &r, VG_EPARSE, "ent_num is not a positive number");
        } else {
            st = fn(o, &r, ent);
        }
        if (st != VG_OK) {
            break;
        }
    }
    vg_csv_release(&r);
    return st;
}

static enum vg_status take_alt(struct ofac *o, struct vg_csv_reader *r, uint32_t ent)
{
    const char *name = field(o, &o->keep, r, 3);
    if (name == NULL) {
        return VG_ENOMEM;
    }
    if (name[0] == '\0') {
        return VG_OK;
    }
    struct alt_rec *grown = vg_grow(o->alts, &o->alts_cap, o->nalts + 1, sizeof(*grown));
    if (grown == NULL) {
        return VG_ENOMEM;
    }
    o->alts = grown;
    o->alts[o->nalts] = (struct alt_rec){ ent, (uint32_t)o->nalts, name };
    o->nalts++;
    return VG_OK;
}

static enum vg_status take_add(struct ofac *o, struct vg_csv_reader *r, uint32_t ent)
{
    struct vg_slice c = vg_slice_trim(vg_csv_field(r, 4));
    char code[3];
    if (vg_slice_eq_cstr(c, "-0-") || !vg_country_code(c.ptr, c.len, code)) {
        return VG_OK;
    }
    struct add_rec *grown = vg_grow(o->adds, &o->adds_cap, o->nadds + 1, sizeof(*grown));
    if (grown == NULL) {
        return VG_ENOMEM;
    }
    o->adds = grown;
    o->adds[o->nadds].ent = ent;
    memcpy(o->adds[o->nadds].country, code, 3);
    o->nadds++;
    return VG_OK;
}

static int cmp_alt(const void *a, const void *b)
{
    const struct alt_rec *x = a, *y = b;
    if (x->ent != y->ent) {
        return x->ent < y->ent ? -1 : 1;
    }
    return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

static int cmp_add(const void *a, const void *b)
{
    const struct add_rec *x = a, *y = b;
    return x->ent < y->ent ? -1 : (x->ent > y->ent);
}

static int cmp_country(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* ---- remarks ----------------------------------------------------------------------------- */

static void add_country(struct ofac *o, const char *code)
{
    for (size_t i = 0; i < o->ncountries; i++) {
        if (memcmp(o->countries[i], code, 3) == 0) {
            return;
        }
    }
    if (o->ncountries < sizeof(o->countries) / sizeof(o->countries[0])) {
        memcpy(o->countries[o->ncountries++], code, 3);
    }
}

static void add_country_text(struct ofac *o, const char *s, size_t n)
{
    char code[3];
    if (vg_country_code(s, n, code)) {
        add_country(o, code);
    }
}

static bool starts_with(const char *s, size_t n, const char *prefix, size_t *rest)
{
    size_t p = strlen(prefix);
    if (n < p || memcmp(s, prefix, p) != 0) {
        return false;
    }
    *rest = p;
    return true;
}

static enum vg_status append_item(struct vg_buf *b, const char *s, size_t n)
{
    enum vg_status st = VG_OK;
    if (b->len > 0) {
        st = vg_buf_append_char(b, ';');
    }
    return st == VG_OK ? vg_buf_append(b, s, n) : st;
}

/* The quoted name of "a.k.a. 'X'" (n > 0 when found). */
static bool quoted(const char *s, size_t n, const char **q, size_t *qn)
{
    const char *a = memchr(s, '\'', n);
    if (a == NULL) {
        return false;
    }
    const char *end = s + n;
    const char *b = end;
    while (b > a + 1 && b[-1] != '\'') {
        b--;
    }
    if (b <= a + 1) {
        return false;
    }
    *q = a + 1;
    *qn = (size_t)(b - 1 - (a + 1));
    return *qn > 0;
}

/* Identifier documents: the remark label, and the scheme word written in the entry. */
static const struct {
    const char *label;
    const char *scheme;
} documents[] = {
    { "Vessel Registration Identification IMO", "IMO" },
    { "MMSI", "MMSI" },
    { "RUC #", "RUC" },
    { "RUC", "RUC" },
    { "NIT #", "NIT" },
    { "Cedula No.", "CEDULA" },
    { "National ID No.", "NATIONAL-ID" },
    { "National Foreign ID Number", "FOREIGN-ID" },
    { "Personal ID Card", "ID-CARD" },
    { "Identification Number", "ID" },
    { "LE Number", "DNI" },
    { "D.N.I.", "DNI" },
    { "Tax ID No.", "TAX-ID" },
    { "R.F.C.", "RFC" },
    { "C.U.R.P.", "CURP" },
    { "Passport", "PASSPORT" },
    { "Registration ID", "REGISTRATION" },
    { "Registration Number", "REGISTRATION" },
    { "Business Registration Document #", "REGISTRATION" },
    { "Business Registration Number", "REGISTRATION" },
    { "Company Number", "REGISTRATION" },
    { "Folio Mercantil No.", "FOLIO-MERCANTIL" },
    { "C.R. No.", "CR" },
    { "Trade License No.", "TRADE-LICENSE" },
    { "Commercial Registry Number", "REGISTRATION" },
    { "Matricula Mercantil No", "MATRICULA" },
    { "SSN", "SSN" },
    { "US FEIN", "FEIN" },
    { "Driver's License No.", "DRIVER-LICENSE" },
    { "Electoral Registry No.", "ELECTORAL" },
};

static bool contains(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++) {
        if (memcmp(s + i, needle, k) == 0) {
            return true;
        }
    }
    return false;
}

/* A document item: appends "SCHEME value" to ids and its country to the entry. */
static enum vg_status take_document(struct ofac *o, const char *s, size_t n, bool *taken)
{
    *taken = false;
    for (size_t d = 0; d < sizeof(documents) / sizeof(documents[0]); d++) {
        size_t rest;
        if (!starts_with(s, n, documents[d].label, &rest) || rest >= n || s[rest] != ' ') {
            continue;
        }
        const char *v = s + rest + 1;
        size_t vn = n - rest - 1;
        /* The value ends at " (Country)" or at " issued" / " expires". */
        const char *paren = memchr(v, '(', vn);
        size_t vend = paren != NULL ? (size_t)(paren - v) : vn;
        static const char *const stops[] = { " issued", " expires", " Expires" };
        for (size_t k = 0; k < 3; k++) {
            for (size_t i = 0; i + strlen(stops[k]) <= vend; i++) {
                if (memcmp(v + i, stops[k], strlen(stops[k])) == 0) {
                    vend = i;
                    break;
                }
            }
        }
        char compact[64];
        size_t cn = vg__ident_compact(v, vend, compact, sizeof(compact));
        if (cn < 4) {
            return VG_OK;
        }
        if (paren != NULL) {
            const char *close = memchr(paren, ')', (size_t)(v + vn - paren));
            if (close != NULL) {
                add_country_text(o, paren + 1, (size_t)(close - paren - 1));
            }
        }
        const char *scheme = documents[d].scheme;
        /* A Peruvian tax id is a RUC. */
        if (strcmp(scheme, "TAX-ID") == 0 && cn == 11 && paren != NULL &&
            contains(paren, (size_t)(v + vn - paren), "Peru")) {
            scheme = "RUC";
        }
        char item[96];
        snprintf(item, sizeof(item), "%s %s", scheme, compact);
        *taken = true;
        if (o->stats != NULL) {
            o->stats->identifiers++;
        }
        return append_item(&o->ids, item, strlen(item));
    }
    return VG_OK;
}

static enum vg_status take_remark(struct ofac *o, const char *s, size_t n, bool vessel)
{
    size_t rest;
    if (starts_with(s, n, "alt. ", &rest)) {
        s += rest;
        n -= rest;
    }
    const char *q;
    size_t qn;
    if (starts_with(s, n, "a.k.a. ", &rest) && quoted(s, n, &q, &qn)) {
        return append_item(&o->weak, q, qn);
    }
    if ((starts_with(s, n, "f.k.a. ", &rest) || starts_with(s, n, "n.k.a. ", &rest)) &&
        quoted(s, n, &q, &qn)) {
        return append_item(vessel ? &o->aliases : &o->weak, q, qn);
    }
    if (starts_with(s, n, "nationality ", &rest) || starts_with(s, n, "citizen ", &rest) ||
        starts_with(s, n, "Nationality of Registration ", &rest)) {
        add_country_text(o, s + rest, n - rest);
        return VG_OK;
    }
    if (starts_with(s, n, "POB ", &rest)) {
        const char *last = s + rest;
        for (const char *p = s + rest; p < s + n; p++) {
            if (*p == ',') {
                last = p + 1;
            }
        }
        add_country_text(o, last, (size_t)(s + n - last));
        return VG_OK;
    }
    bool taken;
    return take_document(o, s, n, &taken);
}

static enum vg_status take_remarks(struct ofac *o, const char *remarks, bool vessel)
{
    const char *p = remarks;
    size_t total = strlen(remarks);
    while (total > 0 && remarks[total - 1] == '.') {
        total--;
    }
    const char *end = remarks + total;
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *e = semi != NULL ? semi : end;
        const char *a = p;
        while (a < e && *a == ' ') {
            a++;
        }
        const char *b = e;
        while (b > a && (b[-1] == ' ' || b[-1] == '.')) {
            b--;
        }
        if (b > a) {
            enum vg_status st = take_remark(o, a, (size_t)(b - a), vessel);
            if (st != VG_OK) {
                return st;
            }
        }
        p = semi != NULL ? semi + 1 : end;
    }
    return VG_OK;
}

/* ---- sdn records ------------------------------------------------------------------------- */

static enum vg_status take_sdn(struct ofac *o, struct vg_csv_reader *r, uint32_t ent)
{
    /* ent_num identifies an entry and joins its aliases and addresses: a second record
     * with the same number would take them too. */
    bool existed = false;
    uint64_t first_line = 0;
    enum vg_status ms = vg_map_put(&o->seen, &ent, sizeof(ent), (uint64_t)r->record_line,
                                   &existed, &first_line);
    if (ms != VG_OK) {
        return ms;
    }
    if (existed) {
        char msg[96];
        snprintf(msg, sizeof(msg), "ent_num %u repeats the record at line %llu", (unsigned)ent,
                 (unsigned long long)first_line);
        return reject(o, o->file, r, VG_ECONFLICT, msg);
    }
    vg_arena_reset(&o->row);
    const char *f[12];
    for (size_t i = 0; i < 12; i++) {
        f[i] = field(o, &o->row, r, i);
        if (f[i] == NULL) {
            return VG_ENOMEM;
        }
    }
    const char *name = f[1], *type_text = f[2], *program = f[3], *title = f[4];
    const char *call_sign = f[5], *vess_type = f[6], *flag = f[9], *owner = f[10];
    const char *remarks = f[11];
    if (name[0] == '\0') {
        return reject(o, o->file, r, VG_EPARSE, "SDN_Name is empty");
    }
    enum vg_watch_type type = VG_WATCH_ORGANIZATION;
    if (strcmp(type_text, "individual") == 0) {
        type = VG_WATCH_PERSON;
    } else if (strcmp(type_text, "vessel") == 0) {
        type = VG_WATCH_VESSEL;
    } else if (strcmp(type_text, "aircraft") == 0) {
        type = VG_WATCH_AIRCRAFT;
    }
    vg_buf_reset(&o->ids);
    vg_buf_reset(&o->weak);
    vg_buf_reset(&o->aliases);
    vg_buf_reset(&o->note);
    o->ncountries = 0;
    enum vg_status st = VG_OK;
    if (call_sign[0] != '\0') {
        char item[96];
        snprintf(item, sizeof(item), "CALLSIGN %s", call_sign);
        st = append_item(&o->ids, item, strlen(item));
        if (o->stats != NULL) {
            o->stats->identifiers++;
        }
    }
    if (st == VG_OK) {
        st = take_remarks(o, remarks, type == VG_WATCH_VESSEL);
    }
    if (flag[0] != '\0') {
        add_country_text(o, flag, strlen(flag));
    }
    /* Aliases from alt.csv (sorted by ent_num, then file order). */
    size_t lo = 0, hi = o->nalts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->alts[mid].ent < ent) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    for (size_t i = lo; st == VG_OK && i < o->nalts && o->alts[i].ent == ent; i++) {
        st = append_item(&o->aliases, o->alts[i].name, strlen(o->alts[i].name));
        if (o->stats != NULL) {
            o->stats->aliases++;
        }
    }
    lo = 0, hi = o->nadds;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->adds[mid].ent < ent) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    for (size_t i = lo; i < o->nadds && o->adds[i].ent == ent; i++) {
        add_country(o, o->adds[i].country);
        if (o->stats != NULL) {
            o->stats->addresses++;
        }
    }
    if (st == VG_OK) {
        st = vg_buf_printf(&o->note, "%s", program);
    }
    if (st == VG_OK && title[0] != '\0') {
        st = vg_buf_printf(&o->note, "; %s", title);
    }
    if (st == VG_OK && type == VG_WATCH_VESSEL && (vess_type[0] != '\0' || owner[0] != '\0')) {
        st = vg_buf_printf(&o->note, "; vessel %s%s%s", vess_type,
                           owner[0] != '\0' ? ", owner " : "", owner);
    }
    if (st == VG_OK && remarks[0] != '\0') {
        st = vg_buf_printf(&o->note, "; %s", remarks);
    }
    if (st != VG_OK) {
        return st;
    }
    /* Countries sorted, so the digest does not depend on their order of discovery. */
    qsort(o->countries, o->ncountries, sizeof(o->countries[0]), cmp_country);
    char countries[32 * 3 + 1] = "";
    size_t cl = 0;
    for (size_t i = 0; i < o->ncountries; i++) {
        if (i > 0) {
            countries[cl++] = ';';
        }
        memcpy(countries + cl, o->countries[i], 2);
        cl += 2;
    }
    countries[cl] = '\0';
    char external_id[16];
    snprintf(external_id, sizeof(external_id), "%u", (unsigned)ent);
    struct vg_watch_entry e = {
        .external_id = external_id,
        .name = name,
        .type = type,
        .countries = countries,
        .identifiers = o->ids.data != NULL ? o->ids.data : "",
        .aliases = o->aliases.data != NULL ? o->aliases.data : "",
        .weak_aliases = o->weak.data != NULL ? o->weak.data : "",
        .note = o->note.data != NULL ? o->note.data : "",
        .source = "OFAC SDN",
        .line = r->record_line,
    };
    if (o->stats != NULL) {
        o->stats->entries++;
    }
    return o->sink->entry(o->sink->user, &e);
}


enum vg_status vg_watchlist_parse_ofac(const struct vg_watch_file *sdn,
                                       const struct vg_watch_file *alt,
                                       const struct vg_watch_file *add,
                                       const struct vg_watch_sink *sink,
                                       struct vg_ofac_stats *stats,
                                       struct vg_error *err)
{
    struct ofac o;
    memset(&o, 0, sizeof(o));
    vg_map_init(&o.seen);
    o.sink = sink;
    o.stats = stats;
    if (stats != NULL) {
        memset(stats, 0, sizeof(*stats));
    }
    vg_arena_init(&o.keep, 0, 0);
    vg_arena_init(&o.row, 16384, 16u << 20);
    vg_buf_init(&o.conv, 1u << 20);
    vg_buf_init(&o.ids, 1u << 16);
    vg_buf_init(&o.weak, 1u << 16);
    vg_buf_init(&o.aliases, 1u << 20);
    vg_buf_init(&o.note, 1u << 20);
    enum vg_status st = VG_OK;
    if (alt != NULL && alt->data != NULL) {
        st = each_record(&o, alt, 4, 5, take_alt, err);
        if (st == VG_OK && o.nalts > 0) {
            qsort(o.alts, o.nalts, sizeof(o.alts[0]), cmp_alt);
        }
    }
    if (st == VG_OK && add != NULL && add->data != NULL) {
        st = each_record(&o, add, 5, 6, take_add, err);
        if (st == VG_OK && o.nadds > 0) {
            qsort(o.adds, o.nadds, sizeof(o.adds[0]), cmp_add);
        }
    }
    if (st == VG_OK) {
        st = each_record(&o, sdn, 12, 12, take_sdn, err);
    }
    if (stats != NULL && st == VG_OK) {
        stats->orphan_aliases = (int64_t)o.nalts - stats->aliases;
    }
    vg_free(o.alts);
    vg_free(o.adds);
    vg_arena_release(&o.keep);
    vg_arena_release(&o.row);
    vg_map_release(&o.seen);
    vg_buf_release(&o.conv);
    vg_buf_release(&o.ids);
    vg_buf_release(&o.weak);
    vg_buf_release(&o.aliases);
    vg_buf_release(&o.note);
    if (st == VG_ENOMEM) {
        vg_error_set(err, VG_ENOMEM, "out of memory reading the OFAC files");
    }
    return st;
}
