/*
 * Loading the store into the risk context: one sequential query per table, rows kept in
 * compact arrays, ids mapped to indexes by direct tables (SQLite row ids are dense), child
 * rows kept contiguous per parent (the queries order them so). Earlier versions of a
 * consignment are read back from their snapshots as bills of their own, so that a trip
 * assessed as of an instant sees the version that was current then.
 */
#include "risk/risk_int.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/ident.h>

typedef enum vg_status (*row_fn)(struct rk_ctx *c, sqlite3_stmt *st);

static enum vg_status each_row(struct rk_ctx *c, const char *sql, row_fn fn, struct vg_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->store->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        return vg__store_error(c->store, rc, "reading the store for risk features", err);
    }
    enum vg_status s = VG_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        s = fn(c, st);
        if (s != VG_OK) {
            break;
        }
    }
    sqlite3_finalize(st);
    if (s != VG_OK) {
        return vg_error_set(err, s, "%s while loading the store", vg_strerror(s));
    }
    if (rc != SQLITE_DONE) {
        return vg__store_error(c->store, rc, "reading the store for risk features", err);
    }
    return VG_OK;
}

static enum vg_status text_id(struct rk_ctx *c, sqlite3_stmt *st, int i, uint32_t *id)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return rk_intern(&c->s, t, t != NULL ? (size_t)sqlite3_column_bytes(st, i) : 0, id);
}

static int64_t col_time(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? VG_TIME_NONE : sqlite3_column_int64(st, i);
}

static double col_num(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

/* Sets by_id[id] = index + 1, growing the table. */
static enum vg_status index_id(uint32_t **by_id, size_t *cap, int64_t id, size_t index)
{
    if (id <= 0 || id > (int64_t)UINT32_MAX) {
        return VG_OK; /* not indexable: looked up as absent */
    }
    if ((size_t)id >= *cap) {
        size_t n = *cap != 0 ? *cap : 1024;
        while (n <= (size_t)id) {
            n *= 2;
        }
        uint32_t *p = vg_reallocarray(*by_id, n, sizeof(uint32_t));
        if (p == NULL) {
            return VG_ENOMEM;
        }
        memset(p + *cap, 0, (n - *cap) * sizeof(uint32_t));
        *by_id = p;
        *cap = n;
    }
    (*by_id)[id] = (uint32_t)index + 1;
    return VG_OK;
}

static uint32_t lookup(const uint32_t *by_id, size_t cap, int64_t id)
{
    if (id <= 0 || (uint64_t)id >= cap) {
        return RK_NONE;
    }
    return by_id[id] != 0 ? by_id[id] - 1 : RK_NONE;
}

/* Upper case, without spaces, hyphens, dots and slashes: how seal and container numbers
 * are compared. */
static size_t norm_number(const char *in, size_t len, char *out, size_t size)
{
    size_t w = 0;
    for (size_t i = 0; i < len && w + 1 < size; i++) {
        char ch = in[i];
        if (ch == ' ' || ch == '-' || ch == '.' || ch == '/' || ch == '\t') {
            continue;
        }
        out[w++] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 'a' + 'A') : ch;
    }
    out[w] = '\0';
    return w;
}

static enum vg_status intern_norm(struct rk_ctx *c, const char *t, size_t len, uint32_t *id)
{
    char buf[128];
    size_t n = norm_number(t != NULL ? t : "", t != NULL ? len : 0, buf, sizeof(buf));
    return rk_intern(&c->s, buf, n, id);
}

/* An address key: address, city and country upper-cased (ASCII), every run of other
 * characters one space; bytes beyond ASCII kept as they are. */
static enum vg_status intern_address(
    struct rk_ctx *c, const char *addr, const char *city, const char *country, uint32_t *id)
{
    *id = 0;
    if ((addr == NULL || *addr == '\0') && (city == NULL || *city == '\0')) {
        return VG_OK;
    }
    char key[256];
    size_t w = 0;
    const char *parts[3] = { addr, city, country };
    for (int k = 0; k < 3; k++) {
        for (const char *p = parts[k] != NULL ? parts[k] : ""; *p != '\0' && w + 2 < sizeof(key);
             p++) {
            unsigned char ch = (unsigned char)*p;
            bool keep = (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
            if (ch >= 'a' && ch <= 'z') {
                ch = (unsigned char)(ch - 'a' + 'A');
                keep = true;
            }
            if (keep) {
                key[w++] = (char)ch;
            } else if (w > 0 && key[w - 1] != ' ') {
                key[w++] = ' ';
            }
        }
        if (w > 0 && key[w - 1] != ' ' && w + 2 < sizeof(key)) {
            key[w++] = ' ';
        }
    }
    while (w > 0 && key[w - 1] == ' ') {
        w--;
    }
    return rk_intern(&c->s, key, w, id);
}

/* ---- port calls and vessels --------------------------------------------------------- */

static enum vg_status call_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    struct rk_call *k = rk_push(&c->calls, sizeof(*k));
    if (k == NULL) {
        return VG_ENOMEM;
    }
    k->id = sqlite3_column_int64(st, 0);
    k->vessel =
        sqlite3_column_type(st, 1) == SQLITE_NULL ? RK_NONE : (uint32_t)sqlite3_column_int64(st, 1);
    enum vg_status s;
    if ((s = text_id(c, st, 2, &k->port)) != VG_OK ||
        (s = text_id(c, st, 3, &k->terminal)) != VG_OK ||
        (s = text_id(c, st, 4, &k->voyage)) != VG_OK ||
        (s = text_id(c, st, 5, &k->carrier)) != VG_OK) {
        return s;
    }
    k->eta = col_time(st, 6);
    k->etd = col_time(st, 7);
    k->ata = col_time(st, 8);
    k->atd = col_time(st, 9);
    k->message_id = sqlite3_column_int64(st, 10);
    k->first_filed = VG_TIME_NONE;
    return index_id(&c->call_by_id, &c->call_ids, k->id, c->calls.n - 1);
}

/* One port call reported twice: the same port, carrier and voyage number under two vessel
 * records (a loading report whose IMO number was keyed wrong makes a second vessel, and so
 * a second call with the same boxes). Such calls are read as one, the one with more of its
 * times known (else the first), so that a box's bills, gate moves and loading meet on one
 * trip. Calls of two named carriers, or whose times lie more than a week apart (a voyage
 * number reused a rotation later), stay apart. */
static int64_t call_time(const struct rk_call *k)
{
    return k->atd != VG_TIME_NONE   ? k->atd
           : k->etd != VG_TIME_NONE ? k->etd
           : k->ata != VG_TIME_NONE ? k->ata
                                    : k->eta;
}

static int known_times(const struct rk_call *k)
{
    return (k->eta != VG_TIME_NONE) + (k->etd != VG_TIME_NONE) + (k->ata != VG_TIME_NONE) +
           (k->atd != VG_TIME_NONE);
}

static enum vg_status merge_calls(struct rk_ctx *c)
{
    struct vg_map first; /* (port, voyage) -> call index + 1 */
    vg_map_init(&first);
    enum vg_status s = VG_OK;
    for (size_t i = 0; i < c->calls.n && s == VG_OK; i++) {
        struct rk_call *k = RK_AT(c->calls, struct rk_call, i);
        if (k->voyage == 0 || k->port == 0) {
            continue;
        }
        char key[RK_KEY_SIZE];
        size_t n = rk_key(key, 'C', k->port, k->voyage, 0);
        uint64_t at;
        if (!vg_map_get(&first, key, n, &at)) {
            s = vg_map_set(&first, key, n, i + 1);
            continue;
        }
        struct rk_call *o = RK_AT(c->calls, struct rk_call, at - 1);
        int64_t ta = call_time(o), tb = call_time(k);
        if ((o->carrier != 0 && k->carrier != 0 && o->carrier != k->carrier) ||
            (ta != VG_TIME_NONE && tb != VG_TIME_NONE && llabs(ta - tb) > 7 * (int64_t)RK_DAY)) {
            continue;
        }
        /* The call with more known times stands for both. */
        size_t keep = known_times(k) > known_times(o) ? i : (size_t)(at - 1);
        size_t drop = keep == i ? (size_t)(at - 1) : i;
        c->call_by_id[RK_AT(c->calls, struct rk_call, drop)->id] = (uint32_t)keep + 1;
        if (keep == i) {
            s = vg_map_set(&first, key, n, i + 1);
        }
    }
    vg_map_release(&first);
    return s;
}

static enum vg_status vessel_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    struct rk_vessel *v = rk_push(&c->vessels, sizeof(*v));
    if (v == NULL) {
        return VG_ENOMEM;
    }
    v->id = sqlite3_column_int64(st, 0);
    v->imo = (uint32_t)sqlite3_column_int64(st, 1);
    v->mmsi = (uint32_t)sqlite3_column_int64(st, 2);
    enum vg_status s;
    if ((s = text_id(c, st, 3, &v->name)) != VG_OK || (s = text_id(c, st, 4, &v->flag)) != VG_OK) {
        return s;
    }
    v->ship_type = sqlite3_column_int(st, 5);
    return index_id(&c->vessel_by_id, &c->vessel_ids, v->id, c->vessels.n - 1);
}

static struct rk_vessel *vessel_of(struct rk_ctx *c, int64_t id)
{
    uint32_t i = lookup(c->vessel_by_id, c->vessel_ids, id);
    return i == RK_NONE ? NULL : RK_AT(c->vessels, struct rk_vessel, i);
}

/* Vessel names compared without case and spacing. */
static enum vg_status intern_vessel_name(struct rk_ctx *c, const char *t, uint32_t *id)
{
    char buf[128];
    size_t w = 0;
    bool space = false;
    for (const char *p = t != NULL ? t : ""; *p != '\0' && w + 2 < sizeof(buf); p++) {
        char ch = *p;
        if (ch == ' ' || ch == '\t' || ch == '.' || ch == '-') {
            space = w > 0;
            continue;
        }
        if (space) {
            buf[w++] = ' ';
            space = false;
        }
        buf[w++] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 'a' + 'A') : ch;
    }
    return rk_intern(&c->s, buf, w, id);
}

static enum vg_status identity_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    struct rk_vessel *v = vessel_of(c, sqlite3_column_int64(st, 0));
    if (v == NULL) {
        return VG_OK;
    }
    if (v->id_n == 0) {
        v->id_off = (uint32_t)c->identities.n;
    } else if (v->id_off + v->id_n != c->identities.n) {
        return VG_OK; /* rows are ordered by vessel; a stray one is ignored */
    }
    struct rk_identity *d = rk_push(&c->identities, sizeof(*d));
    if (d == NULL) {
        return VG_ENOMEM;
    }
    enum vg_status s;
    if ((s = intern_vessel_name(c, (const char *)sqlite3_column_text(st, 1), &d->name)) != VG_OK ||
        (s = text_id(c, st, 2, &d->flag)) != VG_OK) {
        return s;
    }
    d->mmsi = (uint32_t)sqlite3_column_int64(st, 3);
    d->first_seen = col_time(st, 4);
    d->last_seen = col_time(st, 5);
    v->id_n++;
    return VG_OK;
}

static uint8_t vev_kind(const char *k)
{
    if (k == NULL) {
        return RK_VEV_OTHER;
    }
    if (strcmp(k, "port_visit") == 0) {
        return RK_VEV_PORT_VISIT;
    }
    if (strcmp(k, "gap") == 0) {
        return RK_VEV_GAP;
    }
    if (strcmp(k, "encounter") == 0) {
        return RK_VEV_ENCOUNTER;
    }
    if (strcmp(k, "loitering") == 0) {
        return RK_VEV_LOITERING;
    }
    return RK_VEV_OTHER;
}

static enum vg_status vevent_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    uint32_t vi = lookup(c->vessel_by_id, c->vessel_ids, sqlite3_column_int64(st, 2));
    if (vi == RK_NONE) {
        return VG_OK;
    }
    struct rk_vessel *v = RK_AT(c->vessels, struct rk_vessel, vi);
    if (v->ev_n == 0) {
        v->ev_off = (uint32_t)c->vevents.n;
    } else if (v->ev_off + v->ev_n != c->vevents.n) {
        return VG_OK;
    }
    struct rk_vevent *e = rk_push(&c->vevents, sizeof(*e));
    if (e == NULL) {
        return VG_ENOMEM;
    }
    e->id = sqlite3_column_int64(st, 0);
    e->kind = vev_kind((const char *)sqlite3_column_text(st, 1));
    e->vessel = vi;
    e->start = sqlite3_column_int64(st, 3);
    e->end = sqlite3_column_int64(st, 4);
    e->lat = col_num(st, 5);
    e->lon = col_num(st, 6);
    e->shore_nm = col_num(st, 7);
    enum vg_status s = text_id(c, st, 8, &e->variant);
    if (s != VG_OK) {
        return s;
    }
    e->call = lookup(c->call_by_id, c->call_ids, sqlite3_column_int64(st, 9));
    if ((s = text_id(c, st, 10, &e->port)) != VG_OK) {
        return s;
    }
    v->ev_n++;
    c->have_ais = true;
    return VG_OK;
}

static enum vg_status ais_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    uint32_t vi = lookup(c->vessel_by_id, c->vessel_ids, sqlite3_column_int64(st, 0));
    if (vi == RK_NONE) {
        return VG_OK;
    }
    struct rk_vessel *v = RK_AT(c->vessels, struct rk_vessel, vi);
    int64_t from = sqlite3_column_int64(st, 1), to = sqlite3_column_int64(st, 2);
    c->have_ais = true;
    if (v->ais_n > 0 && v->ais_off + v->ais_n == c->ais.n) {
        /* Blocks closer than 12 hours merge into one interval of coverage. */
        struct rk_interval *last = RK_AT(c->ais, struct rk_interval, c->ais.n - 1);
        if (from <= last->to + 12 * 3600) {
            if (to > last->to) {
                last->to = to;
            }
            return VG_OK;
        }
    } else if (v->ais_n > 0) {
        return VG_OK;
    }
    if (v->ais_n == 0) {
        v->ais_off = (uint32_t)c->ais.n;
    }
    struct rk_interval *iv = rk_push(&c->ais, sizeof(*iv));
    if (iv == NULL) {
        return VG_ENOMEM;
    }
    iv->from = from;
    iv->to = to;
    v->ais_n++;
    return VG_OK;
}

/* ---- containers, trips, events, seals ------------------------------------------------ */

static enum vg_status container_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    struct rk_container *k = rk_push(&c->containers, sizeof(*k));
    if (k == NULL) {
        return VG_ENOMEM;
    }
    k->id = sqlite3_column_int64(st, 0);
    const char *num = (const char *)sqlite3_column_text(st, 1);
    enum vg_status s = intern_norm(c, num, (size_t)sqlite3_column_bytes(st, 1), &k->number);
    if (s == VG_OK) {
        s = text_id(c, st, 3, &k->size_type);
    }
    if (s != VG_OK) {
        return s;
    }
    k->valid = sqlite3_column_int(st, 2) != 0;
    struct vg_slice n = rk_str(&c->s, k->number);
    if ((s = vg_map_set(&c->container_by_number, n.ptr, n.len, c->containers.n)) != VG_OK) {
        return s;
    }
    return index_id(&c->container_by_id, &c->container_ids, k->id, c->containers.n - 1);
}

static enum vg_status finding_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    const char *num = (const char *)sqlite3_column_text(st, 0);
    char buf[64];
    size_t n = norm_number(num != NULL ? num : "",
                           num != NULL ? (size_t)sqlite3_column_bytes(st, 0) : 0, buf, sizeof(buf));
    uint64_t idx;
    if (n > 0 && vg_map_get(&c->container_by_number, buf, n, &idx)) {
        struct rk_container *k = RK_AT(c->containers, struct rk_container, idx - 1);
        if (k->finding_msg == 0) {
            k->finding_msg = sqlite3_column_int64(st, 1);
            k->finding_seg = sqlite3_column_int(st, 2);
        }
    }
    return VG_OK;
}

static uint8_t direction_of(const char *d)
{
    if (d != NULL && strcmp(d, "import") == 0) {
        return RK_IMPORT;
    }
    if (d != NULL && strcmp(d, "transhipment") == 0) {
        return RK_TRANSHIPMENT;
    }
    return RK_EXPORT;
}

static enum vg_status trip_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    uint32_t ci = lookup(c->container_by_id, c->container_ids, sqlite3_column_int64(st, 1));
    if (ci == RK_NONE) {
        return VG_OK;
    }
    struct rk_trip *t = rk_push(&c->trips, sizeof(*t));
    if (t == NULL) {
        return VG_ENOMEM;
    }
    t->id = sqlite3_column_int64(st, 0);
    t->container = ci;
    t->call = lookup(c->call_by_id, c->call_ids, sqlite3_column_int64(st, 2));
    enum vg_status s = text_id(c, st, 3, &t->port);
    if (s != VG_OK) {
        return s;
    }
    t->direction = direction_of((const char *)sqlite3_column_text(st, 4));
    t->loaded_at = col_time(st, 5);
    t->departure_at = col_time(st, 6);
    t->t_ref = VG_TIME_NONE;
    if (t->call != RK_NONE) {
        RK_AT(c->calls, struct rk_call, t->call)->containers++;
    }
    return index_id(&c->trip_by_id, &c->trip_ids, t->id, c->trips.n - 1);
}

static uint8_t event_kind(const char *k)
{
    static const char *const names[] = {
        "gate_in",    "gate_out",        "load",       "discharge", "stuffing",
        "stripping",  "seal_change",     "inspection", "status",    "stowage",
        "load_order", "discharge_order", "shift",
    };
    for (size_t i = 0; k != NULL && i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(k, names[i]) == 0) {
            return (uint8_t)i;
        }
    }
    return RK_EV_OTHER;
}

static uint8_t full_empty_of(const char *fe)
{
    if (fe == NULL || *fe == '\0') {
        return RK_FE_UNKNOWN;
    }
    if (fe[0] == 'f' || fe[0] == 'F' || strcmp(fe, "5") == 0) {
        return RK_FE_FULL;
    }
    if (fe[0] == 'e' || fe[0] == 'E' || strcmp(fe, "4") == 0) {
        return RK_FE_EMPTY;
    }
    return RK_FE_UNKNOWN;
}

static enum vg_status event_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    uint32_t ci = lookup(c->container_by_id, c->container_ids, sqlite3_column_int64(st, 1));
    if (ci == RK_NONE) {
        return VG_OK;
    }
    struct rk_container *k = RK_AT(c->containers, struct rk_container, ci);
    if (k->ev_n == 0) {
        k->ev_off = (uint32_t)c->events.n;
    } else if (k->ev_off + k->ev_n != c->events.n) {
        return VG_OK;
    }
    struct rk_event *e = rk_push(&c->events, sizeof(*e));
    if (e == NULL) {
        return VG_ENOMEM;
    }
    e->id = sqlite3_column_int64(st, 0);
    e->container = ci;
    e->kind = event_kind((const char *)sqlite3_column_text(st, 2));
    e->t = sqlite3_column_int64(st, 3);
    enum vg_status s;
    if ((s = text_id(c, st, 4, &e->place)) != VG_OK ||
        (s = text_id(c, st, 5, &e->terminal)) != VG_OK ||
        (s = text_id(c, st, 9, &e->seals)) != VG_OK ||
        (s = text_id(c, st, 10, &e->vehicle)) != VG_OK) {
        return s;
    }
    e->call = lookup(c->call_by_id, c->call_ids, sqlite3_column_int64(st, 6));
    e->full_empty = full_empty_of((const char *)sqlite3_column_text(st, 7));
    e->gross_kg = (float)col_num(st, 8);
    e->message_id = sqlite3_column_int64(st, 11);
    e->segment_no = sqlite3_column_int(st, 12);
    k->ev_n++;
    if (e->kind == RK_EV_STATUS || e->kind == RK_EV_INSPECTION || e->kind == RK_EV_SEAL_CHANGE ||
        e->kind == RK_EV_STRIPPING || e->kind == RK_EV_STUFFING) {
        c->have_status = true;
    }
    return VG_OK;
}

static uint8_t seal_source(const char *k)
{
    static const char *const names[] = { "manifest", "gate",   "load",
                                         "arrival",  "reseal", "inspection" };
    for (size_t i = 0; k != NULL && i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(k, names[i]) == 0) {
            return (uint8_t)i;
        }
    }
    return RK_SEAL_OTHER;
}

static enum vg_status seal_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    uint32_t ci = lookup(c->container_by_id, c->container_ids, sqlite3_column_int64(st, 0));
    if (ci == RK_NONE) {
        return VG_OK;
    }
    struct rk_container *k = RK_AT(c->containers, struct rk_container, ci);
    if (k->seal_n == 0) {
        k->seal_off = (uint32_t)c->seals.n;
    } else if (k->seal_off + k->seal_n != c->seals.n) {
        return VG_OK;
    }
    struct rk_seal *s = rk_push(&c->seals, sizeof(*s));
    if (s == NULL) {
        return VG_ENOMEM;
    }
    s->container = ci;
    enum vg_status r;
    const char *num = (const char *)sqlite3_column_text(st, 1);
    if ((r = intern_norm(c, num, (size_t)sqlite3_column_bytes(st, 1), &s->number)) != VG_OK ||
        (r = text_id(c, st, 2, &s->party)) != VG_OK) {
        return r;
    }
    s->source = seal_source((const char *)sqlite3_column_text(st, 3));
    s->observed_at = col_time(st, 4);
    s->event_id = sqlite3_column_int64(st, 5);
    s->message_id = sqlite3_column_int64(st, 6);
    s->bill = (uint32_t)sqlite3_column_int64(st, 7);
    s->segment_no = sqlite3_column_int(st, 8);
    k->seal_n++;
    return VG_OK;
}

/* ---- parties and consignments -------------------------------------------------------- */

static enum vg_status party_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    struct rk_party *p = rk_push(&c->parties, sizeof(*p));
    if (p == NULL) {
        return VG_ENOMEM;
    }
    p->id = sqlite3_column_int64(st, 0);
    enum vg_status s;
    if ((s = text_id(c, st, 1, &p->ruc)) != VG_OK || (s = text_id(c, st, 2, &p->name)) != VG_OK ||
        (s = text_id(c, st, 3, &p->country)) != VG_OK) {
        return s;
    }
    return index_id(&c->party_by_id, &c->party_ids, p->id, c->parties.n - 1);
}

static uint8_t role_of(const char *r)
{
    static const char *const names[] = { "shipper",   "consignee", "notify",
                                         "forwarder", "broker",    "carrier" };
    for (size_t i = 0; r != NULL && i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(r, names[i]) == 0) {
            return (uint8_t)i;
        }
    }
    return RK_ROLE_OTHER;
}

/* The destination country of a bill: of its place of delivery, else of its port of
 * discharge. */
static enum vg_status intern_dest(struct rk_ctx *c, struct rk_bill *b)
{
    struct vg_slice l = rk_str(&c->s, b->pdl != 0 ? b->pdl : b->pod);
    return rk_intern(&c->s, l.ptr, l.len >= 2 ? 2 : 0, &b->dest_cc);
}

static struct rk_bill *bill_of(struct rk_ctx *c, int64_t id)
{
    uint32_t i = lookup(c->bill_by_id, c->bill_ids, id);
    return i == RK_NONE ? NULL : RK_AT(c->bills, struct rk_bill, i);
}

static enum vg_status bill_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    struct rk_bill *b = rk_push(&c->bills, sizeof(*b));
    if (b == NULL) {
        return VG_ENOMEM;
    }
    b->id = sqlite3_column_int64(st, 0);
    enum vg_status s;
    if ((s = text_id(c, st, 1, &b->bl)) != VG_OK || (s = text_id(c, st, 2, &b->carrier)) != VG_OK ||
        (s = text_id(c, st, 3, &b->kind)) != VG_OK || (s = text_id(c, st, 6, &b->por)) != VG_OK ||
        (s = text_id(c, st, 7, &b->pol)) != VG_OK || (s = text_id(c, st, 8, &b->pod)) != VG_OK ||
        (s = text_id(c, st, 9, &b->pdl)) != VG_OK ||
        (s = text_id(c, st, 11, &b->description)) != VG_OK) {
        return s;
    }
    if ((s = intern_dest(c, b)) != VG_OK) {
        return s;
    }
    /* master: resolved after every bill is read */
    b->master =
        sqlite3_column_type(st, 4) == SQLITE_NULL ? RK_NONE : (uint32_t)sqlite3_column_int64(st, 4);
    b->call = lookup(c->call_by_id, c->call_ids, sqlite3_column_int64(st, 5));
    b->declared_at = col_time(st, 10);
    const char *status = (const char *)sqlite3_column_text(st, 12);
    b->cancelled = status != NULL && strcmp(status, "cancelled") == 0;
    b->version = (uint32_t)sqlite3_column_int(st, 13);
    b->message_id = sqlite3_column_int64(st, 14);
    b->segment_no = sqlite3_column_int(st, 15);
    b->time = col_time(st, 16);
    if (b->time == VG_TIME_NONE) {
        b->time = b->declared_at;
    }
    b->current = true;
    return index_id(&c->bill_by_id, &c->bill_ids, b->id, c->bills.n - 1);
}

static enum vg_status bparty_add(struct rk_ctx *c,
                                 struct rk_bill *b,
                                 uint8_t role,
                                 int64_t party_id,
                                 const char *name,
                                 const char *address,
                                 const char *city,
                                 const char *country,
                                 const char *identifier,
                                 int32_t seg)
{
    if (b->party_n == 0) {
        b->party_off = (uint32_t)c->bparties.n;
    }
    struct rk_bparty *p = rk_push(&c->bparties, sizeof(*p));
    if (p == NULL) {
        return VG_ENOMEM;
    }
    p->role = role;
    p->party = lookup(c->party_by_id, c->party_ids, party_id);
    p->segment_no = seg;
    enum vg_status s;
    if ((s = rk_intern(&c->s, name, name ? strlen(name) : 0, &p->name)) != VG_OK ||
        (s = rk_intern(&c->s, country, country ? strlen(country) : 0, &p->country)) != VG_OK ||
        (s = rk_intern(&c->s, identifier, identifier ? strlen(identifier) : 0, &p->identifier)) !=
            VG_OK ||
        (s = intern_address(c, address, city, country, &p->address)) != VG_OK) {
        return s;
    }
    b->party_n++;
    if (p->party != RK_NONE) {
        struct rk_party *pp = RK_AT(c->parties, struct rk_party, p->party);
        if (role == RK_ROLE_CARRIER) {
            pp->carrier = true;
        }
        if (role == RK_ROLE_FORWARDER || role == RK_ROLE_BROKER) {
            pp->forwarder = true;
        }
    }
    return VG_OK;
}

static enum vg_status bparty_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    struct rk_bill *b = bill_of(c, sqlite3_column_int64(st, 0));
    if (b == NULL || (b->party_n > 0 && b->party_off + b->party_n != c->bparties.n)) {
        return VG_OK;
    }
    return bparty_add(
        c, b, role_of((const char *)sqlite3_column_text(st, 1)), sqlite3_column_int64(st, 2),
        (const char *)sqlite3_column_text(st, 3), (const char *)sqlite3_column_text(st, 4),
        (const char *)sqlite3_column_text(st, 5), (const char *)sqlite3_column_text(st, 6),
        (const char *)sqlite3_column_text(st, 7), sqlite3_column_int(st, 8));
}

/* HS code as digits only. */
static enum vg_status intern_hs(struct rk_ctx *c, const char *hs, uint32_t *id)
{
    char buf[16];
    size_t w = 0;
    for (const char *p = hs != NULL ? hs : ""; *p != '\0' && w + 1 < sizeof(buf); p++) {
        if (*p >= '0' && *p <= '9') {
            buf[w++] = *p;
        }
    }
    return rk_intern(&c->s, buf, w, id);
}

static enum vg_status goods_add(struct rk_ctx *c,
                                struct rk_bill *b,
                                const char *hs,
                                const char *desc,
                                double packages,
                                const char *pkg_type,
                                double gross,
                                double value,
                                const char *currency,
                                int32_t seg,
                                struct rk_goods **out)
{
    if (b->goods_n == 0) {
        b->goods_off = (uint32_t)c->goods.n;
    }
    struct rk_goods *g = rk_push(&c->goods, sizeof(*g));
    if (g == NULL) {
        return VG_ENOMEM;
    }
    enum vg_status s;
    if ((s = intern_hs(c, hs, &g->hs)) != VG_OK ||
        (s = rk_intern(&c->s, desc, desc ? strlen(desc) : 0, &g->description)) != VG_OK ||
        (s = rk_intern(&c->s, pkg_type, pkg_type ? strlen(pkg_type) : 0, &g->package_type)) !=
            VG_OK ||
        (s = rk_intern(&c->s, currency, currency ? strlen(currency) : 0, &g->currency)) != VG_OK) {
        return s;
    }
    g->heading = rk_prefix(c, g->hs, 4);
    g->hs6 = rk_prefix(c, g->hs, 6);
    const char *grp = rk_commodity_group(rk_str(&c->s, g->hs));
    if (grp != NULL && (s = rk_intern(&c->s, grp, strlen(grp), &g->group)) != VG_OK) {
        return s;
    }
    g->packages = packages;
    g->gross_kg = gross;
    g->value = value;
    g->segment_no = seg;
    b->goods_n++;
    if (out != NULL) {
        *out = g;
    }
    return VG_OK;
}

static enum vg_status goods_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    struct rk_bill *b = bill_of(c, sqlite3_column_int64(st, 1));
    if (b == NULL || (b->goods_n > 0 && b->goods_off + b->goods_n != c->goods.n)) {
        return VG_OK;
    }
    enum vg_status s = goods_add(
        c, b, (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
        col_num(st, 4), (const char *)sqlite3_column_text(st, 5), col_num(st, 6), col_num(st, 7),
        (const char *)sqlite3_column_text(st, 8), sqlite3_column_int(st, 9), NULL);
    if (s != VG_OK) {
        return s;
    }
    return index_id(&c->goods_by_id, &c->goods_ids, sqlite3_column_int64(st, 0), c->goods.n - 1);
}

static enum vg_status equip_add(struct rk_ctx *c,
                                struct rk_bill *b,
                                uint32_t container,
                                const char *size_type,
                                const char *fe,
                                double gross,
                                double tare,
                                double vgm,
                                int32_t seg)
{
    if (container == RK_NONE) {
        return VG_OK;
    }
    if (b->equip_n == 0) {
        b->equip_off = (uint32_t)c->equips.n;
    }
    struct rk_equip *e = rk_push(&c->equips, sizeof(*e));
    if (e == NULL) {
        return VG_ENOMEM;
    }
    e->container = container;
    enum vg_status s =
        rk_intern(&c->s, size_type, size_type ? strlen(size_type) : 0, &e->size_type);
    if (s != VG_OK) {
        return s;
    }
    e->full_empty = full_empty_of(fe);
    e->gross_kg = gross;
    e->tare_kg = tare;
    e->vgm_kg = vgm;
    e->segment_no = seg;
    b->equip_n++;
    return VG_OK;
}

static enum vg_status equip_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    struct rk_bill *b = bill_of(c, sqlite3_column_int64(st, 0));
    if (b == NULL || (b->equip_n > 0 && b->equip_off + b->equip_n != c->equips.n)) {
        return VG_OK;
    }
    return equip_add(
        c, b, lookup(c->container_by_id, c->container_ids, sqlite3_column_int64(st, 1)),
        (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
        col_num(st, 4), col_num(st, 5), col_num(st, 6), sqlite3_column_int(st, 7));
}

static uint8_t place_q(const char *q)
{
    if (q != NULL && strcmp(q, "transhipment") == 0) {
        return RK_PL_TRANSHIPMENT;
    }
    if (q != NULL && strcmp(q, "origin_loading") == 0) {
        return RK_PL_ORIGIN_LOADING;
    }
    return RK_PL_OTHER;
}

static enum vg_status
place_add(struct rk_ctx *c, struct rk_bill *b, uint8_t q, int seq, const char *locode)
{
    if (q == RK_PL_OTHER || locode == NULL) {
        return VG_OK;
    }
    if (b->place_n == 0) {
        b->place_off = (uint32_t)c->bplaces.n;
    }
    struct rk_bplace *p = rk_push(&c->bplaces, sizeof(*p));
    if (p == NULL) {
        return VG_ENOMEM;
    }
    p->q = q;
    p->seq = (uint16_t)seq;
    b->place_n++;
    return rk_intern(&c->s, locode, strlen(locode), &p->locode);
}

static enum vg_status place_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    struct rk_bill *b = bill_of(c, sqlite3_column_int64(st, 0));
    if (b == NULL || (b->place_n > 0 && b->place_off + b->place_n != c->bplaces.n)) {
        return VG_OK;
    }
    return place_add(c, b, place_q((const char *)sqlite3_column_text(st, 1)),
                     sqlite3_column_int(st, 2), (const char *)sqlite3_column_text(st, 3));
}

/* ---- earlier versions from their snapshots ------------------------------------------- */

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static double jnum(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static enum vg_status intern_j(struct rk_ctx *c, json_t *o, const char *key, uint32_t *id)
{
    const char *t = jstr(o, key);
    return rk_intern(&c->s, t, t != NULL ? strlen(t) : 0, id);
}

/* A snapshot row: (consignment id, version, message id, prepared_at, snapshot JSON). */
static enum vg_status version_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    int64_t cid = sqlite3_column_int64(st, 0);
    uint32_t cur = lookup(c->bill_by_id, c->bill_ids, cid);
    if (cur == RK_NONE || cur >= c->nbills_current) {
        return VG_OK;
    }
    const char *text = (const char *)sqlite3_column_text(st, 4);
    json_t *snap =
        text != NULL ? json_loadb(text, (size_t)sqlite3_column_bytes(st, 4), 0, NULL) : NULL;
    if (!json_is_object(snap)) {
        json_decref(snap);
        return VG_OK; /* an unreadable snapshot: that version is not used */
    }
    enum vg_status s = VG_OK;
    struct rk_bill *b = rk_push(&c->bills, sizeof(*b));
    if (b == NULL) {
        json_decref(snap);
        return VG_ENOMEM;
    }
    const struct rk_bill *now = RK_AT(c->bills, struct rk_bill, cur);
    b->id = cid;
    b->version = (uint32_t)sqlite3_column_int(st, 1);
    b->message_id = sqlite3_column_int64(st, 2);
    b->declared_at = json_is_integer(json_object_get(snap, "declared_at"))
                         ? (int64_t)json_integer_value(json_object_get(snap, "declared_at"))
                         : VG_TIME_NONE;
    b->time = col_time(st, 3);
    if (b->time == VG_TIME_NONE) {
        b->time = b->declared_at;
    }
    b->bl = now->bl;
    b->carrier = now->carrier;
    b->master = RK_NONE;
    json_t *pc = json_object_get(snap, "port_call_id");
    b->call = json_is_integer(pc)
                  ? lookup(c->call_by_id, c->call_ids, (int64_t)json_integer_value(pc))
                  : now->call;
    const char *status = jstr(snap, "status");
    b->cancelled = status != NULL && strcmp(status, "cancelled") == 0;
    if ((s = intern_j(c, snap, "kind", &b->kind)) != VG_OK ||
        (s = intern_j(c, snap, "place_of_receipt", &b->por)) != VG_OK ||
        (s = intern_j(c, snap, "port_of_loading", &b->pol)) != VG_OK ||
        (s = intern_j(c, snap, "port_of_discharge", &b->pod)) != VG_OK ||
        (s = intern_j(c, snap, "place_of_delivery", &b->pdl)) != VG_OK ||
        (s = intern_j(c, snap, "goods_description", &b->description)) != VG_OK ||
        (s = intern_dest(c, b)) != VG_OK) {
        goto done;
    }
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(snap, "parties"), i, x)
    {
        json_t *pid = json_object_get(x, "party_id");
        if ((s = bparty_add(c, b, role_of(jstr(x, "role")),
                            json_is_integer(pid) ? (int64_t)json_integer_value(pid) : 0,
                            jstr(x, "name"), NULL, NULL, jstr(x, "country"), jstr(x, "identifier"),
                            0)) != VG_OK) {
            goto done;
        }
    }
    json_array_foreach(json_object_get(snap, "goods"), i, x)
    {
        /* The package type is not in the snapshot: the current version's for the same
         * line, when it has one. */
        const char *pkg = NULL;
        json_t *seq = json_object_get(x, "seq");
        if (json_is_integer(seq)) {
            int64_t q = json_integer_value(seq);
            if (q >= 1 && (uint64_t)q <= now->goods_n) {
                pkg = rk_cstr(&c->s,
                              RK_AT(c->goods, struct rk_goods, now->goods_off + (uint32_t)q - 1)
                                  ->package_type);
            }
        }
        if ((s = goods_add(c, b, jstr(x, "hs"), jstr(x, "description"), jnum(x, "packages"), pkg,
                           jnum(x, "gross_kg"), jnum(x, "value"), NULL, 0, NULL)) != VG_OK) {
            goto done;
        }
    }
    json_array_foreach(json_object_get(snap, "equipment"), i, x)
    {
        const char *num = jstr(x, "container");
        char buf[64];
        size_t n =
            norm_number(num != NULL ? num : "", num != NULL ? strlen(num) : 0, buf, sizeof(buf));
        uint64_t idx;
        if (n > 0 && vg_map_get(&c->container_by_number, buf, n, &idx) &&
            (s = equip_add(c, b, (uint32_t)(idx - 1), jstr(x, "size_type"), NULL,
                           jnum(x, "gross_kg"), NAN, NAN, 0)) != VG_OK) {
            goto done;
        }
    }
    json_array_foreach(json_object_get(snap, "other_places"), i, x)
    {
        if ((s = place_add(c, b, place_q(jstr(x, "qualifier")), (int)i + 1, jstr(x, "locode"))) !=
            VG_OK) {
            goto done;
        }
    }
done:
    json_decref(snap);
    return s;
}

/* ---- freight terms ------------------------------------------------------------------ */

/* Whether line holds word (ASCII case ignored). */
static bool has_word(struct vg_slice line, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= line.len; i++) {
        size_t k = 0;
        while (k < n && (line.ptr[i + k] & ~0x20) == word[k]) {
            k++;
        }
        if (k == n) {
            return true;
        }
    }
    return false;
}

/* Payment terms in the segments a cargo report carried beyond what ingest maps: CPI's
 * payment arrangement (4237: P prepaid, C collect) or free text saying FREIGHT PREPAID or
 * COLLECT. Counted per message: prepaid mentions in the low 16 bits, collect above. */
static uint64_t freight_mentions(const char *text, size_t len)
{
    uint64_t prepaid = 0, collect = 0;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && text[j] != '\n') {
            j++;
        }
        struct vg_slice line = vg_slice_make(text + i, j - i);
        if (line.len > 4 && memcmp(line.ptr, "CPI+", 4) == 0) {
            /* CPI+C229+C231+4237 */
            size_t plus = 0, k = 0;
            for (; k < line.len && plus < 3; k++) {
                plus += line.ptr[k] == '+';
            }
            if (plus == 3 && k < line.len) {
                prepaid += line.ptr[k] == 'P';
                collect += line.ptr[k] == 'C';
            }
        } else if (line.len > 4 && memcmp(line.ptr, "FTX+", 4) == 0) {
            prepaid += has_word(line, "PREPAID");
            collect += has_word(line, "COLLECT");
        }
        i = j + 1;
    }
    return (prepaid > 0xffff ? 0xffff : prepaid) | (collect > 0xffff ? 0xffff : collect) << 16;
}

static enum vg_status freight_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    const char *t = (const char *)sqlite3_column_text(st, 1);
    uint64_t m = t != NULL ? freight_mentions(t, (size_t)sqlite3_column_bytes(st, 1)) : 0;
    if (m == 0) {
        return VG_OK;
    }
    int64_t id = sqlite3_column_int64(st, 0);
    return vg_map_set(&c->msg_freight, &id, sizeof(id), m);
}

/* The terms of each bill from the mentions of its message: known when they agree and there
 * is one for each bill the message carries. */
static enum vg_status apply_freight(struct rk_ctx *c)
{
    struct vg_map per_msg;
    vg_map_init(&per_msg);
    enum vg_status s = VG_OK;
    for (size_t i = 0; i < c->bills.n && s == VG_OK; i++) {
        int64_t m = RK_AT(c->bills, struct rk_bill, i)->message_id;
        uint64_t k = 0;
        vg_map_get(&per_msg, &m, sizeof(m), &k);
        s = vg_map_set(&per_msg, &m, sizeof(m), k + 1);
    }
    for (size_t i = 0; i < c->bills.n && s == VG_OK; i++) {
        struct rk_bill *b = RK_AT(c->bills, struct rk_bill, i);
        uint64_t mentions, bills = 1;
        if (!vg_map_get(&c->msg_freight, &b->message_id, sizeof(b->message_id), &mentions)) {
            continue;
        }
        vg_map_get(&per_msg, &b->message_id, sizeof(b->message_id), &bills);
        uint64_t prepaid = mentions & 0xffff, collect = mentions >> 16;
        if ((prepaid == 0) != (collect == 0) && prepaid + collect >= bills) {
            b->freight = prepaid > 0 ? RK_FREIGHT_PREPAID : RK_FREIGHT_COLLECT;
        }
    }
    vg_map_release(&per_msg);
    return s;
}

/* ---- outcomes --------------------------------------------------------------------- */

static enum vg_status outcome_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    struct rk_outcome *o = rk_push(&c->outcomes, sizeof(*o));
    if (o == NULL) {
        return VG_ENOMEM;
    }
    o->id = sqlite3_column_int64(st, 0);
    o->trip = lookup(c->trip_by_id, c->trip_ids, sqlite3_column_int64(st, 1));
    const char *num = (const char *)sqlite3_column_text(st, 2);
    enum vg_status s = intern_norm(c, num, (size_t)sqlite3_column_bytes(st, 2), &o->container);
    if (s == VG_OK) {
        s = text_id(c, st, 3, &o->bl);
    }
    o->t = sqlite3_column_int64(st, 4);
    const char *result = (const char *)sqlite3_column_text(st, 5);
    o->positive =
        result != NULL && (strcmp(result, "drugs") == 0 || strcmp(result, "positive") == 0);
    enum vg_model_selection sel = VG_MODEL_TARGETED;
    const char *why = (const char *)sqlite3_column_text(st, 6);
    if (why != NULL) {
        (void)vg_model_selection_parse(vg_slice_make(why, (size_t)sqlite3_column_bytes(st, 6)),
                                       &sel);
    }
    o->selection = (uint8_t)(sel == VG_MODEL_UNEXAMINED ? VG_MODEL_TARGETED : sel);
    const char *hid = (const char *)sqlite3_column_text(st, 7);
    o->in_goods = hid != NULL && (strcmp(hid, "in_cargo") == 0 || strcmp(hid, "packaging") == 0);
    if (c->first_outcome == VG_TIME_NONE || o->t < c->first_outcome) {
        c->first_outcome = o->t;
    }
    return s;
}

/* ---- the whole load ------------------------------------------------------------------ */

static enum vg_status placement_row(struct rk_ctx *c, sqlite3_stmt *st)
{
    uint32_t g = lookup(c->goods_by_id, c->goods_ids, sqlite3_column_int64(st, 0));
    uint32_t k = lookup(c->container_by_id, c->container_ids, sqlite3_column_int64(st, 1));
    if (g == RK_NONE || k == RK_NONE) {
        return VG_OK;
    }
    struct rk_goods *gd = RK_AT(c->goods, struct rk_goods, g);
    if (gd->pl_n == 0) {
        gd->pl_off = (uint32_t)c->placements.n;
    } else if (gd->pl_off + gd->pl_n != c->placements.n) {
        return VG_OK;
    }
    struct rk_placement *p = rk_push(&c->placements, sizeof(*p));
    if (p == NULL) {
        return VG_ENOMEM;
    }
    p->container = k;
    p->packages = col_num(st, 2);
    p->gross_kg = col_num(st, 3);
    gd->pl_n++;
    return VG_OK;
}

enum vg_status rk_ctx_load(struct rk_ctx *c, struct vg_store *store, struct vg_error *err)
{
    memset(c, 0, sizeof(*c));
    c->store = store;
    c->now = vg_time_now();
    c->first_outcome = VG_TIME_NONE;
    vg_map_init(&c->container_by_number);
    vg_map_init(&c->locode_region);
    vg_map_init(&c->feed_days);
    vg_map_init(&c->first_heading);
    vg_map_init(&c->norm_cache);
    vg_map_init(&c->norm_groups);
    vg_map_init(&c->addr_links);
    vg_map_init(&c->sz_compact);
    vg_map_init(&c->wl_cache);
    vg_map_init(&c->port_pos);
    vg_map_init(&c->msg_freight);
    vg_map_init(&c->share_cache);
    vg_map_init(&c->hour_days);
    vg_map_init(&c->hour_cache);
    if (rk_strings_init(&c->s) != VG_OK) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    enum vg_status s;
    static const struct {
        const char *sql;
        row_fn fn;
    } passes[] = {
        { "SELECT id, vessel_id, port, terminal, voyage, carrier, eta, etd, ata, atd,"
          " source_message_id FROM port_calls ORDER BY id",
          call_row },
        { "SELECT v.id, v.imo, v.mmsi, v.name, v.flag, coalesce(v.ship_type, (SELECT a.ship_type"
          " FROM ais_static a WHERE a.mmsi = v.mmsi AND a.ship_type > 0 ORDER BY a.last_seen_at"
          " DESC LIMIT 1), 0) FROM vessels v ORDER BY v.id",
          vessel_row },
        { "SELECT vessel_id, name, flag, mmsi, first_seen_at, last_seen_at FROM vessel_identities"
          " ORDER BY vessel_id, first_seen_at",
          identity_row },
        { "SELECT id, kind, vessel_id, start_at, end_at, lat, lon, distance_shore_nm, params,"
          " port_call_id, port FROM vessel_events WHERE vessel_id IS NOT NULL"
          " ORDER BY vessel_id, start_at",
          vevent_row },
        { "SELECT v.id, t.block_start, t.block_end FROM ais_tracks t JOIN vessels v ON v.mmsi ="
          " t.mmsi ORDER BY v.id, t.block_start",
          ais_row },
        { "SELECT id, number, valid, size_type FROM containers ORDER BY id", container_row },
        /* EDIFACT findings name the segment too ("EQD container"). */
        { "SELECT value, message_id, segment_no FROM findings WHERE (field = 'container' OR"
          " field LIKE '% container') AND kind IN ('bad_check_digit', 'malformed_container')"
          " ORDER BY id",
          finding_row },
        { "SELECT id, container_id, port_call_id, port, direction, loaded_at, departure_at FROM"
          " trips ORDER BY id",
          trip_row },
        { "SELECT id, container_id, kind, event_at, place, terminal, port_call_id, full_empty,"
          " gross_kg, seals, vehicle, message_id, segment_no FROM equipment_events WHERE"
          " superseded = 0 AND event_at IS NOT NULL ORDER BY container_id, event_at, id",
          event_row },
        { "SELECT s.container_id, s.seal_number, s.sealing_party, s.source_kind, s.observed_at,"
          " s.event_id, s.message_id, s.consignment_id, s.segment_no FROM seals s LEFT JOIN"
          " equipment_events e ON e.id = s.event_id WHERE e.id IS NULL OR e.superseded = 0"
          " ORDER BY s.container_id, s.observed_at, s.id",
          seal_row },
        { "SELECT id, ruc, name, country FROM parties ORDER BY id", party_row },
        { "SELECT c.id, c.bl_number, c.carrier, c.kind, c.master_id, c.port_call_id,"
          " c.place_of_receipt, c.port_of_loading, c.port_of_discharge, c.place_of_delivery,"
          " c.declared_at, c.goods_description, c.status, c.version, c.message_id, c.segment_no,"
          " m.prepared_at FROM consignments c LEFT JOIN messages m ON m.id = c.message_id"
          " ORDER BY c.id",
          bill_row },
        { "SELECT consignment_id, role, party_id, name, address, city, country, identifier,"
          " segment_no FROM consignment_parties ORDER BY consignment_id",
          bparty_row },
        { "SELECT consignment_id, container_id, size_type, full_empty, gross_kg, tare_kg, vgm_kg,"
          " segment_no FROM consignment_equipment ORDER BY consignment_id",
          equip_row },
        { "SELECT consignment_id, qualifier, seq, locode FROM consignment_places WHERE qualifier"
          " IN ('transhipment', 'origin_loading') ORDER BY consignment_id, seq",
          place_row },
    };
    for (size_t i = 0; i < sizeof(passes) / sizeof(passes[0]); i++) {
        if ((s = each_row(c, passes[i].sql, passes[i].fn, err)) != VG_OK) {
            return s;
        }
        if (passes[i].fn == call_row && (s = merge_calls(c)) != VG_OK) {
            return vg_error_set(err, s, "out of memory loading the store");
        }
    }
    c->nbills_current = c->bills.n;
    /* Goods with their placements (goods ids are mapped for the placements only). */
    s = each_row(c,
                 "SELECT id, consignment_id, hs_code, description, packages, package_type,"
                 " gross_kg, value, currency, segment_no FROM goods_items"
                 " ORDER BY consignment_id, seq",
                 goods_row, err);
    if (s == VG_OK) {
        s = each_row(c,
                     "SELECT goods_item_id, container_id, packages, gross_kg FROM goods_placement"
                     " ORDER BY goods_item_id",
                     placement_row, err);
    }
    vg_free(c->goods_by_id);
    c->goods_by_id = NULL;
    c->goods_ids = 0;
    if (s != VG_OK) {
        return s;
    }
    if ((s = each_row(c,
                      "SELECT v.consignment_id, v.version, v.message_id, m.prepared_at, v.snapshot"
                      " FROM consignment_versions v LEFT JOIN messages m ON m.id = v.message_id"
                      " ORDER BY v.consignment_id, v.version",
                      version_row, err)) != VG_OK ||
        (s = each_row(c,
                      "SELECT o.id, o.trip_id, o.container_number, o.bl_number, o.inspected_at,"
                      " o.result, " RK_OUTCOME_SELECTION_SQL ", o.concealment FROM outcomes o"
                      " ORDER BY o.inspected_at, o.id",
                      outcome_row, err)) != VG_OK ||
        (s = each_row(c,
                      "SELECT id, unmapped FROM messages WHERE unmapped IS NOT NULL AND"
                      " (instr(unmapped, 'PREPAID') > 0 OR instr(unmapped, 'COLLECT') > 0 OR"
                      " instr(unmapped, 'CPI+') > 0)",
                      freight_row, err)) != VG_OK) {
        return s;
    }
    if ((s = apply_freight(c)) != VG_OK) {
        return vg_error_set(err, s, "out of memory loading the store");
    }
    /* Resolve ids kept while reading: call vessels, masters. */
    for (size_t i = 0; i < c->calls.n; i++) {
        struct rk_call *k = RK_AT(c->calls, struct rk_call, i);
        if (k->vessel != RK_NONE) {
            k->vessel = lookup(c->vessel_by_id, c->vessel_ids, (int64_t)k->vessel);
        }
    }
    /* Resolve masters (stored as consignment ids while reading). */
    for (size_t i = 0; i < c->nbills_current; i++) {
        struct rk_bill *b = RK_AT(c->bills, struct rk_bill, i);
        if (b->master != RK_NONE) {
            b->master = lookup(c->bill_by_id, c->bill_ids, (int64_t)b->master);
        }
    }
    if (c->oom) {
        return vg_error_set(err, VG_ENOMEM, "out of memory loading the store");
    }
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(store->db, "SELECT EXISTS(SELECT 1 FROM code_locodes)", -1, &q, NULL) ==
            SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW) {
        c->have_locodes = sqlite3_column_int(q, 0) != 0;
    }
    sqlite3_finalize(q);
    return VG_OK;
}

void rk_ctx_release(struct rk_ctx *c)
{
    if (c == NULL) {
        return;
    }
    struct rk_vec *vecs[] = {
        &c->trips,     &c->calls,        &c->vessels,       &c->vevents,     &c->identities,
        &c->ais,       &c->containers,   &c->events,        &c->seals,       &c->bills,
        &c->bparties,  &c->goods,        &c->placements,    &c->equips,      &c->bplaces,
        &c->versions,  &c->houses,       &c->parties,       &c->shipments,   &c->receipts,
        &c->outcomes,  &c->links,        &c->wlhits,        &c->cont_bills,  &c->cont_trips,
        &c->norm_list, &c->norm_samples, &c->pos,           &c->pos_parties, &c->pos_addresses,
        &c->port_list, &c->hour_counts,  &c->hour_activity, &c->fwd_exams,   &c->zones,
    };
    for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
        rk_vec_free(vecs[i]);
    }
    vg_free(c->trip_by_id);
    vg_free(c->call_by_id);
    vg_free(c->vessel_by_id);
    vg_free(c->container_by_id);
    vg_free(c->bill_by_id);
    vg_free(c->party_by_id);
    vg_free(c->goods_by_id);
    vg_free(c->exam_pos_prefix);
    struct vg_map *maps[] = { &c->container_by_number,
                              &c->locode_region,
                              &c->feed_days,
                              &c->first_heading,
                              &c->norm_cache,
                              &c->norm_groups,
                              &c->addr_links,
                              &c->sz_compact,
                              &c->wl_cache,
                              &c->port_pos,
                              &c->msg_freight,
                              &c->share_cache,
                              &c->hour_days,
                              &c->hour_cache };
    for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
        vg_map_release(maps[i]);
    }
    vg_screener_free(c->sz_screener);
    vg_screen_index_free(c->sz_index);
    vg_screener_free(c->wl_screener);
    vg_screen_index_free(c->wl_index);
    rk_strings_release(&c->s);
}
