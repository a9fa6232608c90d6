/*
 * Resolution of the things documents name into store rows: containers by number,
 * parties by RUC (else by normalised name and country), vessels by IMO (else call sign,
 * else name), port calls by vessel, port and voyage, trips by container and port call.
 * Each keeps a per-run cache so that the hot path does one map lookup, not a query.
 */
#include "ingest/session_int.h"

#include <stdio.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/ident.h>
#include <vigia/screen.h>

static enum vg_status step_done(struct ing_session *s, sqlite3_stmt *st, const char *what,
                                struct vg_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(s->store, rc, what, err);
    }
    return VG_OK;
}

/* Runs a query expected to give one integer or nothing. */
static enum vg_status query_id(struct ing_session *s, sqlite3_stmt *st, int64_t *id,
                               struct vg_error *err)
{
    int rc = sqlite3_step(st);
    *id = 0;
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(s->store, rc, "looking up a record", err);
    }
    return VG_OK;
}

#define STMT(var, sql)                                                                     \
    sqlite3_stmt *var = vg__store_stmt(s->store, sql, err);                                \
    if (var == NULL) {                                                                     \
        return err != NULL ? err->code : VG_EDB;                                           \
    }

/* Records a finding about a container once per message: at the first segment of the
 * message that names the number (or size type). The choice depends on the message alone,
 * not on what this run met before, so an interrupted run completed by a re-run records
 * exactly the findings of a clean run (docs/formats.md, "Findings"). */
static enum vg_status container_finding(struct ing_session *s, int64_t message_id,
                                        const struct ing_source *src, const char *kind,
                                        const char *field, const char *value,
                                        const char *expected, const char *detail,
                                        struct vg_error *err)
{
    char key[160];
    int n = snprintf(key, sizeof(key), "F%lld|%s|%s", (long long)message_id, kind, value);
    if (n > 0 && (size_t)n < sizeof(key)) {
        bool seen = false;
        enum vg_status st = vg_map_put(&s->seen, key, (size_t)n, 1, &seen, NULL);
        if (st != VG_OK) {
            return vg_error_set(err, st, "out of memory");
        }
        if (seen) {
            return VG_OK;
        }
    }
    return vg__ing_finding(s, message_id, src, kind, field, value, expected, detail, err);
}

/* The findings of one sighting of a container: its number (kept in the cache entry's low
 * bit, so that a valid number costs nothing more) and its size type. */
static enum vg_status container_findings(struct ing_session *s, int64_t message_id,
                                         const struct ing_source *src, const char *number,
                                         bool bad_number, const char *size_type,
                                         struct vg_error *err)
{
    enum vg_status st;
    if (bad_number) {
        struct vg_container_number cn;
        struct vg_error perr;
        vg_error_clear(&perr);
        enum vg_status pst = vg_container_parse(vg_slice_from_cstr(number), &cn, &perr);
        char expected[64] = "";
        if (pst == VG_ECHECK) {
            snprintf(expected, sizeof(expected), "check digit %d", cn.expected_check);
        } else {
            snprintf(expected, sizeof(expected), "owner(3) + U/J/Z + 6 digits + check digit");
        }
        st = container_finding(s, message_id, src,
                               pst == VG_ECHECK ? "bad_check_digit" : "malformed_container",
                               "container", number, expected, perr.message, err);
        if (st != VG_OK) {
            return st;
        }
    }
    if (size_type != NULL) {
        uint64_t known;
        if (!vg_map_get(&s->size_known, size_type, strlen(size_type), &known)) {
            struct vg_size_type sz;
            struct vg_error zerr;
            known = vg_size_type_parse(vg_slice_from_cstr(size_type), &sz, &zerr) == VG_OK ? 1 : 2;
            st = vg_map_set(&s->size_known, size_type, strlen(size_type), known);
            if (st != VG_OK) {
                return vg_error_set(err, st, "out of memory");
            }
        }
        if (known == 2) {
            struct vg_size_type sz;
            struct vg_error zerr;
            vg_error_clear(&zerr);
            (void)vg_size_type_parse(vg_slice_from_cstr(size_type), &sz, &zerr);
            st = container_finding(s, message_id, src, "unknown_size_type", "size_type",
                                   size_type, "an ISO 6346 size-type code", zerr.message, err);
            if (st != VG_OK) {
                return st;
            }
        }
    }
    return VG_OK;
}

static enum vg_status container_alone(struct ing_session *s, const char *number,
                                      const char *size_type, int64_t seen_at,
                                      struct vg_error *err);

enum vg_status vg__ing_container(struct ing_session *s, int64_t message_id,
                                 const struct ing_source *src, const char *number,
                                 const char *size_type, int64_t seen_at, int64_t *id,
                                 struct vg_error *err)
{
    /* The cache maps the number as sent to (row id << 1 | number failed its check): a
     * number's shape and check digit are fixed, so they are checked once per run. */
    size_t nlen = strlen(number);
    uint64_t cached;
    if (vg_map_get(&s->containers, number, nlen, &cached)) {
        *id = (int64_t)(cached >> 1);
        if ((cached & 1) == 0 && size_type == NULL) {
            return VG_OK;
        }
        return container_findings(s, message_id, src, number, (cached & 1) != 0, size_type,
                                  err);
    }
    struct vg_container_number cn;
    struct vg_error perr;
    vg_error_clear(&perr);
    enum vg_status pst = vg_container_parse(vg_slice_from_cstr(number), &cn, &perr);
    /* Stored as sent (normalised when it has the shape of a container number). */
    const char *key = pst == VG_EPARSE ? number : cn.text;
    size_t klen = strlen(key);
    if (vg_map_get(&s->containers, key, klen, &cached)) {
        *id = (int64_t)(cached >> 1);
    } else {
        /* Not met ahead by vg__ing_containers_first (its caller did not run it): inserted
         * (or found) the same way, alone. */
        enum vg_status st = container_alone(s, number, size_type, seen_at, err);
        if (st != VG_OK) {
            return st;
        }
        if (!vg_map_get(&s->containers, key, klen, &cached)) {
            return vg_error_set(err, VG_EDB, "container %s neither inserted nor found", key);
        }
        *id = (int64_t)(cached >> 1);
    }
    enum vg_status st =
        vg_map_set(&s->containers, number, nlen, ((uint64_t)*id << 1) | (pst != VG_OK));
    if (st != VG_OK) {
        return vg_error_set(err, st, "out of memory");
    }
    return container_findings(s, message_id, src, number, pst != VG_OK, size_type, err);
}

/* ---- containers met first by a document, inserted together ---------------------------- */

/* OR IGNORE, without RETURNING: a statement that may abort (plain INSERT) keeps a statement
 * journal of every page it changes, and one with RETURNING was as slow; either made these
 * inserts slower than one statement per row (bench_ingest 300,000: 3.8-4.1 us per
 * container against 2.6, and 1.7 as here). */
static const char *const box_sql[ING_ROWBUF_SIZES] =
    ING_CHUNK_SQL("INSERT OR IGNORE INTO containers(number, valid, owner_code, size_type,"
                  " first_seen_at, created_at)",
                  "(?,?,?,?,?,?)");

/* Containers waiting to be inserted: their stored numbers (keys), in the order met. */
struct box_batch {
    int n;
    const char *key[64];
    char text[64][sizeof(((struct vg_container_number *)0)->text)];
    char owner[64][sizeof(((struct vg_container_number *)0)->owner)];
    bool valid[64], parsed[64];
    const char *size_type[64];
    int64_t seen_at[64];
};

/* Inserts the batch's containers and caches their ids. When every row of a statement went
 * in, their ids are the consecutive ones ending at the last inserted row (SQLite gives
 * max(id) + 1 to each, as the trips' rows, vg__ing_trips_flush); otherwise (the store had
 * some) each of the statement's numbers is looked up. */
static enum vg_status box_run(struct ing_session *s, struct box_batch *b, struct vg_error *err)
{
    int done = 0;
    while (done < b->n) {
        int size = vg__ing_chunk_pick((size_t)(b->n - done));
        int rows = vg__ing_chunk_rows[size];
        STMT(st, box_sql[size]);
        for (int k = 0; k < rows; k++) {
            int i = done + k, p = k * 6;
            vg__bind_text(st, p + 1, b->key[i]);
            sqlite3_bind_int(st, p + 2, b->valid[i]);
            vg__bind_text(st, p + 3, b->parsed[i] ? b->owner[i] : NULL);
            vg__bind_text(st, p + 4, b->size_type[i]);
            vg__bind_int64_or_null(st, p + 5, b->seen_at[i], VG_TIME_NONE);
            sqlite3_bind_int64(st, p + 6, s->now);
        }
        enum vg_status qs = step_done(s, st, "recording containers", err);
        if (qs != VG_OK) {
            return qs;
        }
        int went_in = sqlite3_changes(s->store->db);
        int64_t last = sqlite3_last_insert_rowid(s->store->db);
        s->report->containers += went_in;
        s->batch_changes += went_in;
        for (int k = 0; k < rows; k++) {
            int i = done + k;
            int64_t id = last - rows + 1 + k;
            if (went_in != rows) {
                static const char select_sql[] = "SELECT id FROM containers WHERE number = ?1";
                STMT(sel, select_sql);
                vg__bind_text(sel, 1, b->key[i]);
                if ((qs = query_id(s, sel, &id, err)) != VG_OK) {
                    return qs;
                }
            }
            if (vg_map_set(&s->containers, b->key[i], strlen(b->key[i]),
                           ((uint64_t)id << 1) | !b->valid[i]) != VG_OK) {
                return vg_error_set(err, VG_ENOMEM, "out of memory");
            }
        }
        done += rows;
    }
    b->n = 0;
    return VG_OK;
}

/* Adds a sighting of number (size type and time as the writer would record them first)
 * unless this run or the document already met it; runs the batch when it is full. */
static enum vg_status box_add(struct ing_session *s, struct box_batch *b, const char *number,
                              const char *size_type, int64_t seen_at, struct vg_error *err)
{
    if (number == NULL || vg_map_get(&s->containers, number, strlen(number), NULL)) {
        return VG_OK;
    }
    struct vg_container_number cn;
    struct vg_error perr;
    enum vg_status pst = vg_container_parse(vg_slice_from_cstr(number), &cn, &perr);
    int i = b->n;
    const char *key = number;
    b->parsed[i] = pst != VG_EPARSE;
    if (b->parsed[i]) {
        memcpy(b->text[i], cn.text, sizeof(cn.text));
        memcpy(b->owner[i], cn.owner, sizeof(cn.owner));
        key = b->text[i];
    }
    size_t klen = strlen(key);
    if (key != number && vg_map_get(&s->containers, key, klen, NULL)) {
        return VG_OK;
    }
    bool existed = false;
    enum vg_status st = vg_map_put(&s->first_seen, key, klen, 1, &existed, NULL);
    if (st != VG_OK) {
        return vg_error_set(err, st, "out of memory");
    }
    if (existed) {
        return VG_OK;
    }
    b->key[i] = key;
    b->valid[i] = pst == VG_OK;
    b->size_type[i] = size_type;
    b->seen_at[i] = seen_at;
    b->n++;
    return b->n == 64 ? box_run(s, b, err) : VG_OK;
}

/* One container met first outside vg__ing_containers_first: a batch of one (first_seen is
 * scratch of the document's passes ahead, done by now). */
static enum vg_status container_alone(struct ing_session *s, const char *number,
                                      const char *size_type, int64_t seen_at,
                                      struct vg_error *err)
{
    vg_map_clear(&s->first_seen);
    struct box_batch b;
    b.n = 0;
    enum vg_status st = box_add(s, &b, number, size_type, seen_at, err);
    return st == VG_OK ? box_run(s, &b, err) : st;
}

/* Asks for the container map's slots of every number doc names before box_add looks
 * them up one by one: box_add does little between lookups, so each waited on memory in
 * turn (the map holds a slot per container of the run); asked together, the fetches
 * overlap. */
static void prefetch_numbers(struct ing_session *s, const struct ing_document *doc)
{
    for (size_t i = 0; i < doc->consignments.n; i++) {
        const struct ing_consignment *c = ING_AT(doc->consignments, struct ing_consignment, i);
        for (size_t k = 0; c->bl != NULL && k < c->equipment.n; k++) {
            const char *number = ING_AT(c->equipment, struct ing_equipment, k)->number;
            if (number != NULL) {
                vg_map_prefetch(&s->containers, number, strlen(number));
            }
        }
    }
    for (size_t i = 0; i < doc->events.n; i++) {
        const char *number = ING_AT(doc->events, struct ing_event, i)->container;
        if (number != NULL) {
            vg_map_prefetch(&s->containers, number, strlen(number));
        }
    }
}

enum vg_status vg__ing_containers_first(struct ing_session *s, const struct ing_document *doc,
                                        struct vg_error *err)
{
    vg_map_clear(&s->first_seen);
    prefetch_numbers(s, doc);
    struct box_batch batch;
    struct box_batch *b = &batch;
    b->n = 0;
    enum vg_status st = VG_OK;
    /* The order and values of write.c's first sightings: per consignment with a B/L, its
     * equipment (size type, the consignment's time), then its goods' placements. */
    for (size_t i = 0; i < doc->consignments.n && st == VG_OK; i++) {
        const struct ing_consignment *c = ING_AT(doc->consignments, struct ing_consignment, i);
        if (c->bl == NULL) {
            continue;
        }
        int64_t seen = c->declared_at != VG_TIME_NONE ? c->declared_at : doc->prepared_at;
        for (size_t k = 0; k < c->equipment.n && st == VG_OK; k++) {
            const struct ing_equipment *e = ING_AT(c->equipment, struct ing_equipment, k);
            st = box_add(s, b, e->number, e->size_type, seen, err);
        }
        for (size_t g = 0; g < c->goods.n && st == VG_OK; g++) {
            const struct ing_goods *goods = ING_AT(c->goods, struct ing_goods, g);
            for (size_t k = 0; k < goods->placements.n && st == VG_OK; k++) {
                st = box_add(s, b, ING_AT(goods->placements, struct ing_placement, k)->container,
                             NULL, seen, err);
            }
        }
    }
    for (size_t i = 0; i < doc->events.n && st == VG_OK; i++) {
        const struct ing_event *ev = ING_AT(doc->events, struct ing_event, i);
        st = box_add(s, b, ev->container, ev->size_type, ev->time, err);
    }
    return st == VG_OK ? box_run(s, b, err) : st;
}

/* Builds a cache key without formatting: tag, the 8 bytes of id, a, and "\x1f" b when b
 * is given, cut to size. Returns its length. */
static size_t key_make(char *out, size_t size, char tag, int64_t id, const char *a, const char *b)
{
    size_t n = 0;
    out[n++] = tag;
    memcpy(out + n, &id, sizeof(id));
    n += sizeof(id);
    for (const char *p = a; *p != '\0' && n < size; p++) {
        out[n++] = *p;
    }
    if (b != NULL && n < size) {
        out[n++] = '\x1f';
        for (const char *p = b; *p != '\0' && n < size; p++) {
            out[n++] = *p;
        }
    }
    return n;
}

/* The RUC of a party when its identifier is one (scheme RUC, or 11 digits from Peru). */
static bool party_ruc(const struct ing_party *p, struct vg_ruc *ruc, enum vg_status *st,
                      struct vg_error *rerr)
{
    if (p->id == NULL) {
        return false;
    }
    bool looks_ruc = (p->id_scheme != NULL && strcmp(p->id_scheme, "RUC") == 0);
    if (!looks_ruc && (p->country == NULL || strcmp(p->country, "PE") == 0)) {
        char digits[16];
        size_t n = 0;
        for (const char *c = p->id; *c != '\0' && n < sizeof(digits) - 1; c++) {
            if (*c >= '0' && *c <= '9') {
                digits[n++] = *c;
            } else if (*c != ' ' && *c != '-' && *c != '.') {
                n = 0;
                break;
            }
        }
        looks_ruc = n == 11;
    }
    if (!looks_ruc) {
        return false;
    }
    *st = vg_ruc_parse(vg_slice_from_cstr(p->id), ruc, rerr);
    return *st == VG_OK || *st == VG_ECHECK;
}

enum vg_status vg__ing_party(struct ing_session *s, int64_t message_id,
                             const struct ing_party *p, int64_t seen_at, int64_t *id,
                             struct vg_error *err)
{
    struct vg_ruc ruc;
    struct vg_error rerr;
    vg_error_clear(&rerr);
    enum vg_status rst = VG_EPARSE;
    bool has_ruc = party_ruc(p, &ruc, &rst, &rerr);
    if (p->id != NULL && (p->id_scheme != NULL && strcmp(p->id_scheme, "RUC") == 0) && !has_ruc) {
        enum vg_status st = vg__ing_finding(s, message_id, &p->src, "malformed_ruc", "party id",
                                            p->id, "11 digits", rerr.message, err);
        if (st != VG_OK) {
            return st;
        }
    }
    char name_key_buf[ING_KEY_SIZE];
    const char *name_key = p->name_key;
    if (name_key == NULL) {
        vg__ing_name_key(p->name, name_key_buf, sizeof(name_key_buf));
        name_key = name_key_buf;
    }
    char key[300];
    size_t klen = has_ruc ? key_make(key, sizeof(key), 'R', 0, ruc.text, NULL)
                          : key_make(key, sizeof(key), 'N', 0, name_key,
                                     p->country != NULL ? p->country : "");
    uint64_t cached;
    enum vg_status st;
    if (!vg_map_get(&s->parties, key, klen, &cached)) {
        if (has_ruc) {
            static const char sel_sql[] = "SELECT id FROM parties WHERE ruc = ?1";
            STMT(sel, sel_sql);
            vg__bind_text(sel, 1, ruc.text);
            st = query_id(s, sel, id, err);
        } else {
            static const char sel_sql[] =
                "SELECT id FROM parties WHERE ruc IS NULL AND name_key = ?1 AND country IS ?2"
                " LIMIT 1";
            STMT(sel, sel_sql);
            vg__bind_text(sel, 1, name_key);
            vg__bind_text(sel, 2, p->country);
            st = query_id(s, sel, id, err);
        }
        if (st != VG_OK) {
            return st;
        }
        if (*id == 0) {
            static const char ins_sql[] =
                "INSERT INTO parties(ruc, ruc_valid, name, name_key, country, first_seen_at,"
                " created_at) VALUES(?1,?2,?3,?4,?5,?6,?7)";
            STMT(ins, ins_sql);
            vg__bind_text(ins, 1, has_ruc ? ruc.text : NULL);
            if (has_ruc) {
                sqlite3_bind_int(ins, 2, rst == VG_OK);
            }
            vg__bind_text(ins, 3, p->name != NULL ? p->name : (has_ruc ? ruc.text : "(unnamed)"));
            vg__bind_text(ins, 4, name_key);
            vg__bind_text(ins, 5, p->country);
            vg__bind_int64_or_null(ins, 6, seen_at, VG_TIME_NONE);
            sqlite3_bind_int64(ins, 7, s->now);
            st = step_done(s, ins, "recording a party", err);
            if (st != VG_OK) {
                return st;
            }
            *id = sqlite3_last_insert_rowid(s->store->db);
            s->batch_changes++;
            if (seen_at != VG_TIME_NONE &&
                vg_map_set(&s->party_seen, id, sizeof(*id), (uint64_t)seen_at) != VG_OK) {
                return vg_error_set(err, VG_ENOMEM, "out of memory");
            }
        }
        st = vg_map_set(&s->parties, key, klen, (uint64_t)*id);
        if (st != VG_OK) {
            return st;
        }
    } else {
        *id = (int64_t)cached;
    }
    /* Keep the earliest time a party was seen (documents arrive out of order), whichever
     * sighting comes first in this run: party_seen holds a bound the stored time is known
     * not to exceed, so only an earlier sighting costs a statement. */
    uint64_t bound;
    if (seen_at != VG_TIME_NONE && (!vg_map_get(&s->party_seen, id, sizeof(*id), &bound) ||
                                    seen_at < (int64_t)bound)) {
        static const char upd_sql[] =
            "UPDATE parties SET first_seen_at = ?2 WHERE id = ?1 AND"
            " (first_seen_at IS NULL OR first_seen_at > ?2)";
        STMT(upd, upd_sql);
        sqlite3_bind_int64(upd, 1, *id);
        sqlite3_bind_int64(upd, 2, seen_at);
        st = step_done(s, upd, "updating a party", err);
        if (st != VG_OK) {
            return st;
        }
        if (sqlite3_changes(s->store->db) > 0) {
            s->batch_changes++;
        }
        if (vg_map_set(&s->party_seen, id, sizeof(*id), (uint64_t)seen_at) != VG_OK) {
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
    }
    if (has_ruc && rst == VG_ECHECK) {
        char expected[32];
        snprintf(expected, sizeof(expected), "check digit %d", ruc.expected_check);
        st = vg__ing_finding(s, message_id, &p->src, "bad_check_digit", "RUC", p->id, expected,
                             rerr.message, err);
        if (st != VG_OK) {
            return st;
        }
    }
    char seen_key[400];
    if (p->id != NULL) {
        size_t sk = key_make(seen_key, sizeof(seen_key), 'I', *id, has_ruc ? ruc.text : p->id,
                             NULL);
        bool seen = false;
        st = vg_map_put(&s->seen, seen_key, sk, 1, &seen, NULL);
        if (st != VG_OK) {
            return vg_error_set(err, st, "out of memory");
        }
        if (seen) {
            goto addresses;
        }
        static const char idn_sql[] =
            "INSERT OR IGNORE INTO party_identifiers(party_id, scheme, value, valid)"
            " VALUES(?1,?2,?3,?4)";
        STMT(idn, idn_sql);
        sqlite3_bind_int64(idn, 1, *id);
        vg__bind_text(idn, 2, has_ruc ? "RUC" : (p->id_scheme != NULL ? p->id_scheme : "other"));
        vg__bind_text(idn, 3, has_ruc ? ruc.text : p->id);
        if (has_ruc) {
            sqlite3_bind_int(idn, 4, rst == VG_OK);
        }
        st = step_done(s, idn, "recording a party identifier", err);
        if (st != VG_OK) {
            return st;
        }
    }
addresses:
    if (p->address != NULL || p->city != NULL) {
        char addr_key_buf[ING_KEY_SIZE];
        const char *addr_key = p->address_key;
        if (addr_key == NULL) {
            vg__ing_address_key(p, addr_key_buf, sizeof(addr_key_buf));
            addr_key = addr_key_buf;
        }
        size_t sk = key_make(seen_key, sizeof(seen_key), 'A', *id, addr_key, NULL);
        bool seen = false;
        st = vg_map_put(&s->seen, seen_key, sk, 1, &seen, NULL);
        if (st != VG_OK) {
            return vg_error_set(err, st, "out of memory");
        }
        if (seen) {
            return VG_OK;
        }
        static const char addr_sql[] =
            "INSERT OR IGNORE INTO party_addresses(party_id, address, city, postcode, country,"
            " address_key, first_seen_at) VALUES(?1,?2,?3,?4,?5,?6,?7)";
        STMT(addr, addr_sql);
        sqlite3_bind_int64(addr, 1, *id);
        vg__bind_text(addr, 2, p->address);
        vg__bind_text(addr, 3, p->city);
        vg__bind_text(addr, 4, p->postcode);
        vg__bind_text(addr, 5, p->country);
        vg__bind_text(addr, 6, addr_key);
        vg__bind_int64_or_null(addr, 7, seen_at, VG_TIME_NONE);
        st = step_done(s, addr, "recording an address", err);
        if (st != VG_OK) {
            return st;
        }
    }
    return VG_OK;
}

/* The key of v's name (the normaliser's, read as a vessel's) in key (ING_KEY_SIZE bytes),
 * computed the first time it is asked for (key[0] == '\0' until then); NULL when v has no
 * name or it folds to nothing. */
static const char *vessel_name_key(const struct ing_vessel *v, char *key)
{
    if (key[0] == '\0' && v->name_key != NULL) {
        snprintf(key, ING_KEY_SIZE, "%s", v->name_key);
    } else if (key[0] == '\0' && v->name != NULL) {
        vg_name_key(v->name, strlen(v->name), VG_NAME_VESSEL, key, ING_KEY_SIZE);
    }
    return key[0] != '\0' ? key : NULL;
}

enum vg_status vg__ing_vessel(struct ing_session *s, int64_t message_id,
                              const struct ing_vessel *v, const struct ing_source *src,
                              int64_t seen_at, int64_t *id, struct vg_error *err)
{
    *id = 0;
    uint32_t imo = 0;
    struct vg_error ierr;
    vg_error_clear(&ierr);
    enum vg_status ist = VG_EPARSE;
    enum vg_status st;
    if (v->imo != NULL) {
        ist = vg_imo_parse(vg_slice_from_cstr(v->imo), &imo, &ierr);
        if (ist != VG_OK) {
            st = vg__ing_finding(s, message_id, src,
                                 ist == VG_ECHECK ? "bad_check_digit" : "malformed_imo", "IMO",
                                 v->imo, "7 digits with a valid check digit", ierr.message, err);
            if (st != VG_OK) {
                return st;
            }
        }
    }
    uint32_t mmsi = 0;
    if (v->mmsi != NULL) {
        struct vg_mmsi m;
        struct vg_error merr;
        enum vg_status mst = vg_mmsi_parse(vg_slice_from_cstr(v->mmsi), &m, &merr);
        if (mst == VG_OK || mst == VG_ECHECK) {
            mmsi = m.mmsi;
        }
        if (mst != VG_OK) {
            st = vg__ing_finding(s, message_id, src, "bad_mmsi", "MMSI", v->mmsi, "9 digits",
                                 merr.message, err);
            if (st != VG_OK) {
                return st;
            }
        }
    }
    /* The key of the name: for the lookup by name, and kept with a new vessel or one that
     * had no name. Computed only then (a vessel is met once per event of a loading list). */
    char name_key[ING_KEY_SIZE];
    name_key[0] = '\0';
    char key[ING_KEY_SIZE + 8];
    bool by_imo = ist == VG_OK || ist == VG_ECHECK;
    if (by_imo) {
        snprintf(key, sizeof(key), "I:%07u", (unsigned)imo);
    } else if (v->call_sign != NULL) {
        snprintf(key, sizeof(key), "C:%s", v->call_sign);
    } else if (vessel_name_key(v, name_key) != NULL) {
        snprintf(key, sizeof(key), "N:%s", name_key);
    } else {
        return VG_OK; /* nothing to resolve */
    }
    uint64_t cached;
    bool fresh = false;
    if (vg_map_get(&s->vessels, key, strlen(key), &cached) && cached != 0) {
        *id = (int64_t)cached;
    } else {
        if (by_imo) {
            static const char sql[] = "SELECT id FROM vessels WHERE imo = ?1";
            STMT(sel, sql);
            sqlite3_bind_int64(sel, 1, imo);
            st = query_id(s, sel, id, err);
        } else if (v->call_sign != NULL) {
            static const char sql[] =
                "SELECT id FROM vessels WHERE call_sign = ?1 ORDER BY imo IS NULL LIMIT 1";
            STMT(sel, sql);
            vg__bind_text(sel, 1, v->call_sign);
            st = query_id(s, sel, id, err);
        } else {
            /* Every vessel that has been sent under the name: one with an IMO first,
             * then the one last seen under it (a name a renamed vessel left may have
             * passed to another), then the first recorded. */
            static const char sql[] =
                "SELECT c.id FROM (SELECT id, NULL AS seen FROM vessels WHERE name_key = ?1"
                " UNION ALL SELECT vessel_id, last_seen_at FROM vessel_identities"
                " WHERE name_key = ?1) c JOIN vessels v ON v.id = c.id"
                " GROUP BY c.id ORDER BY v.imo IS NULL, max(c.seen) DESC, c.id LIMIT 1";
            STMT(sel, sql);
            vg__bind_text(sel, 1, name_key);
            st = query_id(s, sel, id, err);
        }
        if (st != VG_OK) {
            return st;
        }
        if (*id == 0) {
            static const char ins_sql[] =
                "INSERT INTO vessels(imo, imo_valid, mmsi, name, call_sign, flag, first_seen_at,"
                " created_at, name_key) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)";
            STMT(ins, ins_sql);
            if (by_imo) {
                sqlite3_bind_int64(ins, 1, imo);
                sqlite3_bind_int(ins, 2, ist == VG_OK);
            }
            vg__bind_int64_or_null(ins, 3, mmsi, 0);
            vg__bind_text(ins, 4, v->name);
            vg__bind_text(ins, 5, v->call_sign);
            vg__bind_text(ins, 6, v->flag);
            vg__bind_int64_or_null(ins, 7, seen_at, VG_TIME_NONE);
            sqlite3_bind_int64(ins, 8, s->now);
            vg__bind_text(ins, 9, vessel_name_key(v, name_key));
            st = step_done(s, ins, "recording a vessel", err);
            if (st != VG_OK) {
                return st;
            }
            *id = sqlite3_last_insert_rowid(s->store->db);
            s->batch_changes++;
            fresh = true;
        }
        st = vg_map_set(&s->vessels, key, strlen(key), (uint64_t)*id);
        if (st != VG_OK) {
            return vg_error_set(err, st, "out of memory");
        }
    }
    /* Every sighting applies the same two writes, whatever this run met before (so that a
     * run resumed after an interruption ends where a clean run does); the same name, call
     * sign, MMSI, flag and time again changes nothing and is skipped. */
    char sighting[400];
    int sn = snprintf(sighting, sizeof(sighting), "V%lld|%s|%s|%u|%s|%lld", (long long)*id,
                      v->name != NULL ? v->name : "", v->call_sign != NULL ? v->call_sign : "",
                      (unsigned)mmsi, v->flag != NULL ? v->flag : "", (long long)seen_at);
    if (sn > 0 && (size_t)sn < sizeof(sighting)) {
        bool seen = false;
        st = vg_map_put(&s->seen, sighting, (size_t)sn, 1, &seen, NULL);
        if (st != VG_OK) {
            return vg_error_set(err, st, "out of memory");
        }
        if (seen) {
            return VG_OK;
        }
    }
    if (!fresh) {
        static const char upd_sql[] =
            "UPDATE vessels SET name = coalesce(name, ?2), call_sign = coalesce(call_sign, ?3),"
            " mmsi = coalesce(mmsi, ?4), flag = coalesce(flag, ?5),"
            " name_key = CASE WHEN name IS NULL THEN ?6 ELSE name_key END WHERE id = ?1 AND"
            " (name IS NULL AND ?2 IS NOT NULL OR call_sign IS NULL AND ?3 IS NOT NULL OR"
            "  mmsi IS NULL AND ?4 IS NOT NULL OR flag IS NULL AND ?5 IS NOT NULL)";
        STMT(upd, upd_sql);
        sqlite3_bind_int64(upd, 1, *id);
        vg__bind_text(upd, 2, v->name);
        vg__bind_text(upd, 3, v->call_sign);
        vg__bind_int64_or_null(upd, 4, mmsi, 0);
        vg__bind_text(upd, 5, v->flag);
        vg__bind_text(upd, 6, vessel_name_key(v, name_key));
        st = step_done(s, upd, "updating a vessel", err);
        if (st != VG_OK) {
            return st;
        }
        if (sqlite3_changes(s->store->db) > 0) {
            s->batch_changes++;
        }
    }
    /* Names, call signs and MMSIs over time ('' and 0 for absent parts, so that the
     * unique key works). */
    static const char ident_sql[] =
        "INSERT INTO vessel_identities(vessel_id, name, call_sign, mmsi, flag, first_seen_at,"
        " last_seen_at, source, name_key) VALUES(?1,?2,?3,?4,?5,?6,?6,'manifest',?7)"
        " ON CONFLICT(vessel_id, name, call_sign, mmsi, flag) DO UPDATE SET"
        " first_seen_at = min(coalesce(first_seen_at, excluded.first_seen_at),"
        "                     excluded.first_seen_at),"
        " last_seen_at = max(coalesce(last_seen_at, excluded.last_seen_at),"
        "                    excluded.last_seen_at)"
        " WHERE excluded.first_seen_at IS NOT NULL AND (first_seen_at IS NULL OR"
        " excluded.first_seen_at < first_seen_at OR excluded.first_seen_at > last_seen_at)";
    STMT(idn, ident_sql);
    sqlite3_bind_int64(idn, 1, *id);
    vg__bind_text(idn, 2, v->name != NULL ? v->name : "");
    vg__bind_text(idn, 3, v->call_sign != NULL ? v->call_sign : "");
    sqlite3_bind_int64(idn, 4, mmsi);
    vg__bind_text(idn, 5, v->flag != NULL ? v->flag : "");
    vg__bind_int64_or_null(idn, 6, seen_at, VG_TIME_NONE);
    vg__bind_text(idn, 7, vessel_name_key(v, name_key));
    st = step_done(s, idn, "recording a vessel identity", err);
    if (st != VG_OK || sqlite3_changes(s->store->db) == 0) {
        return st;
    }
    s->batch_changes++;
    /* Which vessel the name names may have changed (a new vessel under it, or one seen
     * under it later): the next reference by this name alone asks the store again, as a
     * run resumed here would. */
    if (name_key[0] != '\0') {
        snprintf(key, sizeof(key), "N:%s", name_key);
        st = vg_map_set(&s->vessels, key, strlen(key), 0);
        if (st != VG_OK) {
            return vg_error_set(err, st, "out of memory");
        }
    }
    return VG_OK;
}

enum vg_status vg__ing_port_call(struct ing_session *s, int64_t message_id,
                                 const struct ing_voyage *v, int64_t *id, struct vg_error *err)
{
    *id = 0;
    if (v->port == NULL) {
        return VG_OK;
    }
    char port[6];
    bool valid;
    enum vg_status st = vg__ing_check_locode(s, message_id, &v->src, "port of call", v->port,
                                             port, &valid, err);
    if (st != VG_OK) {
        return st;
    }
    int64_t seen = v->ata != VG_TIME_NONE ? v->ata : v->eta != VG_TIME_NONE ? v->eta : v->etd;
    int64_t vessel_id = 0;
    st = vg__ing_vessel(s, message_id, &v->vessel, &v->src, seen, &vessel_id, err);
    if (st != VG_OK) {
        return st;
    }
    char key[200];
    snprintf(key, sizeof(key), "%lld|%s|%s", (long long)vessel_id, port,
             v->voyage != NULL ? v->voyage : "");
    uint64_t cached;
    if (vg_map_get(&s->port_calls, key, strlen(key), &cached)) {
        *id = (int64_t)cached;
    } else {
        /* Looked up explicitly: a call without a known vessel has a NULL vessel_id, which
         * a UNIQUE constraint would not match. */
        static const char sel_sql[] =
            "SELECT id FROM port_calls WHERE vessel_id IS ?1 AND port = ?2 AND voyage = ?3";
        STMT(sel, sel_sql);
        vg__bind_int64_or_null(sel, 1, vessel_id, 0);
        vg__bind_text(sel, 2, port);
        vg__bind_text(sel, 3, v->voyage != NULL ? v->voyage : "");
        st = query_id(s, sel, id, err);
        if (st != VG_OK) {
            return st;
        }
        if (*id == 0) {
            static const char ins_sql[] =
                "INSERT INTO port_calls(vessel_id, port, terminal, voyage, carrier, eta, etd,"
                " ata, atd, previous_port, next_port, source_message_id, created_at)"
                " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)";
            STMT(ins, ins_sql);
            vg__bind_int64_or_null(ins, 1, vessel_id, 0);
            vg__bind_text(ins, 2, port);
            vg__bind_text(ins, 3, v->terminal);
            vg__bind_text(ins, 4, v->voyage != NULL ? v->voyage : "");
            vg__bind_text(ins, 5, v->carrier);
            vg__bind_int64_or_null(ins, 6, v->eta, VG_TIME_NONE);
            vg__bind_int64_or_null(ins, 7, v->etd, VG_TIME_NONE);
            vg__bind_int64_or_null(ins, 8, v->ata, VG_TIME_NONE);
            vg__bind_int64_or_null(ins, 9, v->atd, VG_TIME_NONE);
            vg__bind_text(ins, 10, v->previous_port);
            vg__bind_text(ins, 11, v->next_port);
            vg__bind_int64_or_null(ins, 12, message_id, 0);
            sqlite3_bind_int64(ins, 13, s->now);
            st = step_done(s, ins, "recording a port call", err);
            if (st != VG_OK) {
                return st;
            }
            *id = sqlite3_last_insert_rowid(s->store->db);
            s->batch_changes++;
            return vg_map_set(&s->port_calls, key, strlen(key), (uint64_t)*id);
        }
        st = vg_map_set(&s->port_calls, key, strlen(key), (uint64_t)*id);
        if (st != VG_OK) {
            return st;
        }
    }
    bool has_detail = v->terminal != NULL || v->carrier != NULL || v->eta != VG_TIME_NONE ||
                      v->etd != VG_TIME_NONE || v->ata != VG_TIME_NONE || v->atd != VG_TIME_NONE ||
                      v->previous_port != NULL || v->next_port != NULL;
    if (!has_detail) {
        return VG_OK;
    }
    /* The same details as the last ones applied to this call in this run change nothing:
     * every event of a loading report repeats its call's. Compared exactly, as text. */
    char detail[640];
    int dn = snprintf(detail, sizeof(detail),
                      "%s\x1f%s\x1f%lld\x1f%lld\x1f%lld\x1f%lld\x1f%s\x1f%s",
                      v->terminal != NULL ? v->terminal : "\x1e",
                      v->carrier != NULL ? v->carrier : "\x1e", (long long)v->eta,
                      (long long)v->etd, (long long)v->ata, (long long)v->atd,
                      v->previous_port != NULL ? v->previous_port : "\x1e",
                      v->next_port != NULL ? v->next_port : "\x1e");
    bool memo = dn > 0 && (size_t)dn < sizeof(detail);
    uint64_t last;
    if (memo && vg_map_get(&s->call_detail, id, sizeof(*id), &last) &&
        strcmp((const char *)(uintptr_t)last, detail) == 0) {
        return VG_OK;
    }
    /* Later documents complete what earlier ones did not say; nothing known is erased. */
    static const char upd_sql[] =
        "UPDATE port_calls SET terminal = coalesce(?2, terminal), carrier = coalesce(?3, carrier),"
        " eta = coalesce(?4, eta), etd = coalesce(?5, etd), ata = coalesce(?6, ata),"
        " atd = coalesce(?7, atd), previous_port = coalesce(?8, previous_port),"
        " next_port = coalesce(?9, next_port) WHERE id = ?1 AND"
        " (terminal, carrier, eta, etd, ata, atd, previous_port, next_port) IS NOT"
        " (coalesce(?2, terminal), coalesce(?3, carrier), coalesce(?4, eta), coalesce(?5, etd),"
        "  coalesce(?6, ata), coalesce(?7, atd), coalesce(?8, previous_port),"
        "  coalesce(?9, next_port))";
    STMT(upd, upd_sql);
    sqlite3_bind_int64(upd, 1, *id);
    vg__bind_text(upd, 2, v->terminal);
    vg__bind_text(upd, 3, v->carrier);
    vg__bind_int64_or_null(upd, 4, v->eta, VG_TIME_NONE);
    vg__bind_int64_or_null(upd, 5, v->etd, VG_TIME_NONE);
    vg__bind_int64_or_null(upd, 6, v->ata, VG_TIME_NONE);
    vg__bind_int64_or_null(upd, 7, v->atd, VG_TIME_NONE);
    vg__bind_text(upd, 8, v->previous_port);
    vg__bind_text(upd, 9, v->next_port);
    st = step_done(s, upd, "updating a port call", err);
    if (st != VG_OK) {
        return st;
    }
    if (sqlite3_changes(s->store->db) > 0) {
        s->batch_changes++;
    }
    if (memo) {
        const char *copy = vg_arena_strndup(&s->call_detail_text, detail, (size_t)dn);
        if (copy == NULL || vg_map_set(&s->call_detail, id, sizeof(*id),
                                       (uint64_t)(uintptr_t)copy) != VG_OK) {
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
    }
    return VG_OK;
}

/* Completes a stored trip: only the columns given are set. departure_at is in an index
 * (trips by port and departure), which an UPDATE naming the column rewrites even when it
 * keeps its value; a loading report gives only loaded_at. */
static enum vg_status trip_update(struct ing_session *s, int64_t id, int64_t loaded_at,
                                  int64_t departure_at, struct vg_error *err)
{
    if (loaded_at == VG_TIME_NONE && departure_at == VG_TIME_NONE) {
        return VG_OK;
    }
    static const char both_sql[] =
        "UPDATE trips SET loaded_at = coalesce(?2, loaded_at),"
        " departure_at = coalesce(?3, departure_at) WHERE id = ?1 AND"
        " (loaded_at, departure_at) IS NOT (coalesce(?2, loaded_at), coalesce(?3, departure_at))";
    static const char loaded_sql[] =
        "UPDATE trips SET loaded_at = ?2 WHERE id = ?1 AND loaded_at IS NOT ?2";
    static const char departure_sql[] =
        "UPDATE trips SET departure_at = ?3 WHERE id = ?1 AND departure_at IS NOT ?3";
    const char *sql = departure_at == VG_TIME_NONE ? loaded_sql
                      : loaded_at == VG_TIME_NONE  ? departure_sql
                                                   : both_sql;
    STMT(upd, sql);
    sqlite3_bind_int64(upd, 1, id);
    if (sql != departure_sql) {
        vg__bind_int64_or_null(upd, 2, loaded_at, VG_TIME_NONE);
    }
    if (sql != loaded_sql) {
        vg__bind_int64_or_null(upd, 3, departure_at, VG_TIME_NONE);
    }
    enum vg_status st = step_done(s, upd, "updating a trip", err);
    if (st == VG_OK && sqlite3_changes(s->store->db) > 0) {
        s->batch_changes++;
    }
    return st;
}

/* A trips map value: a stored trip's row id, or this flag with the index of a trip
 * pending in the batch. */
#define TRIP_PENDING (UINT64_C(1) << 63)

void vg__ing_trip_prefetch(struct ing_session *s, const char *number, int64_t port_call_id)
{
    uint64_t cached;
    if (number != NULL && port_call_id != 0 &&
        vg_map_get(&s->containers, number, strlen(number), &cached)) {
        int64_t key[2] = { (int64_t)(cached >> 1), port_call_id };
        vg_map_prefetch(&s->trips, key, sizeof(key));
    }
}

enum vg_status vg__ing_trip(struct ing_session *s, int64_t container_id, int64_t port_call_id,
                            const char *port, const char *direction, int64_t loaded_at,
                            int64_t departure_at, struct vg_error *err)
{
    if (container_id == 0 || port_call_id == 0 || port == NULL) {
        return VG_OK;
    }
    /* A trip is written once per batch, when the batch ends (vg__ing_trips_flush): a
     * manifest gives its departure and the loading report, usually in the same batch, its
     * loading time, which then costs no UPDATE. Until then the times given are merged
     * here exactly as the UPDATEs would have merged them (a time given replaces the one
     * before), so the row is the same. Trips written by an earlier batch are updated by
     * row id. */
    int64_t key[2] = { container_id, port_call_id };
    uint64_t v;
    if (vg_map_get(&s->trips, key, sizeof(key), &v)) {
        if ((v & TRIP_PENDING) == 0) {
            return trip_update(s, (int64_t)v, loaded_at, departure_at, err);
        }
        struct ing_trip_pending *p = &s->trip_pending[v & ~TRIP_PENDING];
        if (loaded_at != VG_TIME_NONE) {
            p->loaded_at = loaded_at;
        }
        if (departure_at != VG_TIME_NONE) {
            p->departure_at = departure_at;
        }
        return VG_OK;
    }
    if (s->ntrip_pending == s->trip_pending_cap) {
        size_t cap = s->trip_pending_cap == 0 ? 1024 : s->trip_pending_cap * 2;
        struct ing_trip_pending *np = vg_reallocarray(s->trip_pending, cap, sizeof(*np));
        if (np == NULL) {
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        s->trip_pending = np;
        s->trip_pending_cap = cap;
    }
    struct ing_trip_pending *p = &s->trip_pending[s->ntrip_pending];
    p->container_id = container_id;
    p->port_call_id = port_call_id;
    p->port = vg_arena_strndup(&s->trip_text, port, strlen(port));
    p->direction = direction != NULL ? vg_arena_strndup(&s->trip_text, direction,
                                                         strlen(direction))
                                     : NULL;
    p->loaded_at = loaded_at;
    p->departure_at = departure_at;
    if (p->port == NULL || (direction != NULL && p->direction == NULL) ||
        vg_map_set(&s->trips, key, sizeof(key), TRIP_PENDING | s->ntrip_pending) != VG_OK) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    s->ntrip_pending++;
    s->batch_changes++; /* written, or completed, by vg__ing_trips_flush */
    return VG_OK;
}

static void val_text_ref(struct ing_val *v, const char *text)
{
    if (text != NULL) {
        v->type = SQLITE_TEXT;
        v->t = text;
        v->len = (int)strlen(text);
    }
}

/* Completes the trips of rows [from, from + n) that the store already had (their INSERT
 * was ignored): each is looked up and updated as its UPDATEs would have done. */
static enum vg_status trips_known(struct ing_session *s, size_t from, size_t n,
                                  struct vg_error *err)
{
    static const char sel_sql[] =
        "SELECT id FROM trips WHERE container_id = ?1 AND port_call_id = ?2";
    for (size_t i = from; i < from + n; i++) {
        const struct ing_trip_pending *p = &s->trip_pending[i];
        int64_t id = 0;
        STMT(sel, sel_sql);
        sqlite3_bind_int64(sel, 1, p->container_id);
        sqlite3_bind_int64(sel, 2, p->port_call_id);
        enum vg_status st = query_id(s, sel, &id, err);
        if (st == VG_OK) {
            st = trip_update(s, id, p->loaded_at, p->departure_at, err);
        }
        int64_t key[2] = { p->container_id, p->port_call_id };
        if (st == VG_OK && vg_map_set(&s->trips, key, sizeof(key), (uint64_t)id) != VG_OK) {
            st = vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        if (st != VG_OK) {
            return st;
        }
    }
    return VG_OK;
}

enum vg_status vg__ing_trips_flush(struct ing_session *s, struct vg_error *err)
{
    /* Up to 64 trips per INSERT, in the order they were first met. When every row of a
     * statement went in, their ids are the consecutive ones ending at the last inserted
     * row (SQLite gives max(id) + 1 to each); otherwise the statement's rows are looked
     * up one by one and the known ones completed. */
    struct ing_rowbuf *rb = &s->trip_rows;
    enum vg_status st = VG_OK;
    rb->nrows = 0;
    for (size_t i = 0; i < s->ntrip_pending; i++) {
        const struct ing_trip_pending *p = &s->trip_pending[i];
        struct ing_val *v = vg__ing_rowbuf_add(rb);
        if (v == NULL) {
            st = vg_error_set(err, VG_ENOMEM, "out of memory");
            break;
        }
        vg__ing_val_int(&v[0], p->container_id, 0);
        vg__ing_val_int(&v[1], p->port_call_id, 0);
        val_text_ref(&v[2], p->port);
        val_text_ref(&v[3], p->direction);
        vg__ing_val_int(&v[4], p->loaded_at, VG_TIME_NONE);
        vg__ing_val_int(&v[5], p->departure_at, VG_TIME_NONE);
        vg__ing_val_int(&v[6], s->now, VG_TIME_NONE);
    }
    for (size_t done = 0; st == VG_OK && done < rb->nrows;) {
        size_t n = 0;
        if ((st = vg__ing_rowbuf_step(s->store, rb, done, &n, err)) != VG_OK) {
            break;
        }
        if ((size_t)sqlite3_changes(s->store->db) == n) {
            int64_t last = sqlite3_last_insert_rowid(s->store->db);
            for (size_t k = 0; k < n && st == VG_OK; k++) {
                const struct ing_trip_pending *p = &s->trip_pending[done + k];
                int64_t key[2] = { p->container_id, p->port_call_id };
                if (vg_map_set(&s->trips, key, sizeof(key),
                               (uint64_t)(last - (int64_t)(n - 1 - k))) != VG_OK) {
                    st = vg_error_set(err, VG_ENOMEM, "out of memory");
                }
            }
        } else {
            st = trips_known(s, done, n, err);
        }
        done += n;
    }
    rb->nrows = 0;
    s->ntrip_pending = 0;
    vg_arena_reset(&s->trip_text);
    return st;
}
