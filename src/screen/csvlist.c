/*
 * The vigia watch-list CSV (docs/formats.md, "Watch list"): RFC 4180 with a header naming
 * the columns name and type (required) and country, source, note, identifier, aliases, id
 * (optional), in any order. One record per entry; aliases separated by ';'.
 *
 * Refused (the record is rejected with its line and the reason): broken CSV syntax, an
 * empty name, a type other than party, person, organization, vessel, aircraft, container
 * or seal. Taken as sent with a finding: a country that is neither an ISO 3166 alpha-2
 * code nor a known country name, an identifier whose check digit is wrong or that is not
 * of the kind the type needs (an IMO or MMSI number for a vessel, an ISO 6346 number for a
 * container).
 */
#include "screen/screen_int.h"

#include <stdio.h>
#include <string.h>
#include <vigia/arena.h>
#include <vigia/charset.h>
#include <vigia/csv.h>
#include <vigia/ident.h>

enum {
    COL_NAME,
    COL_TYPE,
    COL_COUNTRY,
    COL_SOURCE,
    COL_NOTE,
    COL_IDENT,
    COL_ALIASES,
    COL_ID,
    COL_COUNT
};

static const char *const column_names[COL_COUNT] = {
    "name", "type", "country", "source", "note", "identifier", "aliases", "id",
};

struct csvlist {
    const struct vg_watch_sink *sink;
    struct vg_csv_table *t; /* the table being read (set by each callback) */
    int col[COL_COUNT];
};

static const char *get(struct csvlist *c, int which)
{
    if (c->col[which] < 0) {
        return "";
    }
    struct vg_slice f;
    if (vg_csv_table_text(c->t, c->col[which], &f) != VG_OK) {
        return NULL;
    }
    return vg__clean_dup(&c->t->fields, f.ptr, f.len);
}

static void position(struct csvlist *c, struct vg_error *e, enum vg_status code)
{
    vg_error_clear(e);
    vg_error_at(e, c->t->source, c->t->csv.record_line, 0, c->t->csv.record_offset,
                c->t->csv.record);
    e->code = code;
}

static enum vg_status reject(struct csvlist *c, const char *message)
{
    struct vg_error e;
    position(c, &e, VG_EPARSE);
    vg_error_set(&e, VG_EPARSE, "%s", message);
    if (c->sink->reject == NULL) {
        return VG_OK;
    }
    struct vg_slice ex = vg_csv_table_excerpt(c->t, 512);
    return c->sink->reject(c->sink->user, &e, ex.ptr, ex.len);
}

static enum vg_status
flag(struct csvlist *c, const char *field, const char *value, const char *message)
{
    if (c->sink->flag == NULL) {
        return VG_OK;
    }
    struct vg_error e;
    position(c, &e, VG_ECHECK);
    vg_error_set(&e, VG_ECHECK, "%s", message);
    return c->sink->flag(c->sink->user, &e, field, value);
}

struct country_check {
    struct csvlist *c;
    enum vg_status st;
};

static int check_country(void *user, const char *item, size_t len)
{
    struct country_check *cc = user;
    char code[3];
    if (vg_country_code(item, len, code)) {
        return 0;
    }
    char msg[200];
    snprintf(msg, sizeof(msg),
             "country '%.*s' is neither an ISO 3166 alpha-2 code nor a known "
             "country name; the entry is taken without it",
             (int)(len > 60 ? 60 : len), item);
    char value[64];
    snprintf(value, sizeof(value), "%.*s", (int)(len > 60 ? 60 : len), item);
    cc->st = flag(cc->c, "country", value, msg);
    return cc->st != VG_OK;
}

/* Checks an identifier against what the entry's type needs; problems become findings. */
static enum vg_status check_identifier(struct csvlist *c, const char *text, enum vg_watch_type type)
{
    enum ident_scheme scheme;
    char value[64];
    char msg[240];
    if (!vg__ident_read(text, strlen(text), type, &scheme, value, sizeof(value))) {
        snprintf(msg, sizeof(msg),
                 "identifier '%.60s' holds no usable number (4 or more letters "
                 "and digits)",
                 text);
        return flag(c, "identifier", text, msg);
    }
    struct vg_error e;
    vg_error_clear(&e);
    enum vg_status st = VG_OK;
    struct vg_slice v = vg_slice_from_cstr(value);
    switch (scheme) {
    case SCHEME_IMO: {
        uint32_t imo;
        st = vg_imo_parse(v, &imo, &e);
        break;
    }
    case SCHEME_MMSI: {
        struct vg_mmsi m;
        st = vg_mmsi_parse(v, &m, &e);
        break;
    }
    case SCHEME_RUC: {
        struct vg_ruc r;
        st = vg_ruc_parse(v, &r, &e);
        break;
    }
    case SCHEME_CONTAINER: {
        struct vg_container_number cn;
        st = vg_container_parse(v, &cn, &e);
        break;
    }
    case SCHEME_OTHER:
        if (type == VG_WATCH_VESSEL) {
            snprintf(msg, sizeof(msg),
                     "vessel identifier '%.60s' is neither an IMO (7 digits) "
                     "nor an MMSI (9 digits) number; matched as written",
                     text);
            return flag(c, "identifier", text, msg);
        }
        return VG_OK;
    case SCHEME_SEAL:
    case SCHEME_CALLSIGN:
        return VG_OK;
    }
    if (st == VG_OK) {
        return VG_OK;
    }
    snprintf(msg, sizeof(msg), "%s identifier '%.60s': %s; taken as sent", vg__scheme_label(scheme),
             text, e.message);
    return flag(c, "identifier", text, msg);
}

static enum vg_status take_record(struct csvlist *c)
{
    const char *f[COL_COUNT];
    for (int i = 0; i < COL_COUNT; i++) {
        f[i] = get(c, i);
        if (f[i] == NULL) {
            return VG_ENOMEM;
        }
    }
    char msg[200];
    if (f[COL_NAME][0] == '\0') {
        return reject(c, "name is empty");
    }
    enum vg_watch_type type;
    if (!vg_watch_type_parse(f[COL_TYPE], &type) || type == VG_WATCH_ANY) {
        snprintf(msg, sizeof(msg),
                 "type '%.40s' is not party, person, organization, vessel, "
                 "aircraft, container or seal",
                 f[COL_TYPE]);
        return reject(c, msg);
    }
    struct country_check cc = { c, VG_OK };
    vg__split_list(f[COL_COUNTRY], check_country, &cc);
    if (cc.st != VG_OK) {
        return cc.st;
    }
    enum vg_status st = VG_OK;
    if (f[COL_IDENT][0] != '\0') {
        st = check_identifier(c, f[COL_IDENT], type);
    }
    if (st == VG_OK && (type == VG_WATCH_CONTAINER)) {
        struct vg_container_number cn;
        struct vg_error e;
        vg_error_clear(&e);
        if (vg_container_parse(vg_slice_from_cstr(f[COL_NAME]), &cn, &e) != VG_OK) {
            snprintf(msg, sizeof(msg), "container '%.40s': %s; matched as written", f[COL_NAME],
                     e.message);
            st = flag(c, "name", f[COL_NAME], msg);
        }
    }
    if (st != VG_OK) {
        return st;
    }
    /* Without a publisher id the entry is known by its type, name and identifier. */
    char key[VG_NAME_KEY_SIZE + 96];
    const char *external_id = f[COL_ID];
    if (external_id[0] == '\0') {
        char name_key[VG_NAME_KEY_SIZE];
        if (type == VG_WATCH_CONTAINER || type == VG_WATCH_SEAL) {
            vg__ident_compact(f[COL_NAME], strlen(f[COL_NAME]), name_key, sizeof(name_key));
        } else {
            vg_name_key(f[COL_NAME], strlen(f[COL_NAME]),
                        type == VG_WATCH_PERSON         ? VG_NAME_PERSON
                        : type == VG_WATCH_ORGANIZATION ? VG_NAME_ORGANIZATION
                        : type == VG_WATCH_VESSEL || type == VG_WATCH_AIRCRAFT ? VG_NAME_VESSEL
                                                                               : VG_NAME_UNKNOWN,
                        name_key, sizeof(name_key));
        }
        if (name_key[0] == '\0') {
            return reject(c, "name has no letters or digits");
        }
        char ident[64] = "";
        vg__ident_compact(f[COL_IDENT], strlen(f[COL_IDENT]), ident, sizeof(ident));
        snprintf(key, sizeof(key), "%s:%s%s%s", vg_watch_type_name(type), name_key,
                 ident[0] != '\0' ? ":" : "", ident);
        external_id = key;
    }
    struct vg_watch_entry e = {
        .external_id = external_id,
        .name = f[COL_NAME],
        .type = type,
        .countries = f[COL_COUNTRY],
        .identifiers = f[COL_IDENT],
        .aliases = f[COL_ALIASES],
        .weak_aliases = "",
        .note = f[COL_NOTE],
        .source = f[COL_SOURCE],
        .line = c->t->csv.record_line,
    };
    return c->sink->entry(c->sink->user, &e);
}

static enum vg_status read_header(void *user, struct vg_csv_table *t, struct vg_error *err)
{
    struct csvlist *c = user;
    c->t = t;
    for (int i = 0; i < COL_COUNT; i++) {
        c->col[i] = vg_csv_find_column(&t->csv, column_names[i]);
    }
    if (c->col[COL_NAME] < 0 || c->col[COL_TYPE] < 0) {
        vg_error_at(err, t->source, t->csv.record_line, 0, t->csv.record_offset, 1);
        return vg_error_set(err, VG_EFORMAT,
                            "not a watch-list CSV: the header needs the "
                            "columns name and type (optional: country, source, note, "
                            "identifier, aliases, id)");
    }
    return VG_OK;
}

static enum vg_status read_row(void *user, struct vg_csv_table *t)
{
    struct csvlist *c = user;
    c->t = t;
    return take_record(c);
}

static enum vg_status refuse_record(void *user, struct vg_csv_table *t, const char *reason)
{
    struct csvlist *c = user;
    c->t = t;
    return reject(c, reason);
}

enum vg_status vg_watchlist_parse_csv(const char *data,
                                      size_t len,
                                      const char *source,
                                      const struct vg_watch_sink *sink,
                                      struct vg_error *err)
{
    static const struct vg_csv_table_ops ops = { "with the columns name and type", read_header,
                                                 read_row, refuse_record };
    struct csvlist c;
    memset(&c, 0, sizeof(c));
    c.sink = sink;
    for (int i = 0; i < COL_COUNT; i++) {
        c.col[i] = -1;
    }
    return vg_csv_table_read(data, len, source, &ops, &c, err);
}
