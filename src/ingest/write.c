/*
 * Writing one document: de-duplication by content, amendments by references, then the
 * records of a manifest (consignments with places, parties, goods, equipment, seals,
 * trips) or of an event list (equipment events, seals, trips).
 *
 * Amendment rules (BGM 1225 message function): 9 original, 5 replace, 4 change, 1 cancel.
 * The key of a document is (sender, message type, document number). A replacement or
 * change supersedes the latest message with the same key; a cancellation cancels it; an
 * "original" that reuses the key of a different earlier message is a collision: it is
 * applied like a replacement (the newer data wins) and recorded as a finding, because a
 * document number re-sent with other content is worth a look. CSV and JSON documents
 * (function "upsert") replace what they describe.
 */
#include "ingest/session_int.h"

#include <stdio.h>
#include <string.h>

#include <vigia/ident.h>

#define STMT(var, sql)                                                                     \
    sqlite3_stmt *var = vg__store_stmt(s->store, sql, err);                                \
    if (var == NULL) {                                                                     \
        return err != NULL ? err->code : VG_EDB;                                           \
    }

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

/* The next row id of a table whose ids the session assigns (rows are buffered, so SQLite
 * cannot): max(id) + 1 read once per transaction, as SQLite itself would assign it. */
static enum vg_status next_id(struct ing_session *s, int64_t *next, const char *max_sql,
                              int64_t *id, struct vg_error *err)
{
    if (*next == 0) {
        STMT(st, max_sql);
        int rc = sqlite3_step(st);
        int64_t max = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        if (rc != SQLITE_ROW) {
            return vg__store_error(s->store, rc, "reading the last row id", err);
        }
        *next = max + 1;
    }
    *id = (*next)++;
    return VG_OK;
}

static const char max_goods_sql[] = "SELECT coalesce(max(id), 0) FROM goods_items";
static const char max_event_sql[] = "SELECT coalesce(max(id), 0) FROM equipment_events";

/* A buffered row of table t to fill in; VG_ENOMEM with err set when out of memory. */
#define ROW(var, t)                                                                        \
    struct ing_val *var = vg__ing_rowbuf_add(&s->rows[t]);                                 \
    if (var == NULL) {                                                                     \
        return vg_error_set(err, VG_ENOMEM, "out of memory");                              \
    }

#define TEXT(v, text)                                                                      \
    do {                                                                                   \
        if (!vg__ing_val_text(&s->row_text, (v), (text))) {                                \
            return vg_error_set(err, VG_ENOMEM, "out of memory");                          \
        }                                                                                  \
    } while (0)

/* Text of the document (or static): no copy, see vg__ing_val_text_kept. */
#define DOC_TEXT(v, text) vg__ing_val_text_kept((v), (text))

/* The containers of a consignment (its key in consignment_equipment). A consignment's
 * manifest seals are reached through them and the index seals(container_id, ...): seals has
 * no index by consignment, and a search by consignment_id alone scanned every seal of the
 * store for each replaced consignment (107 ms at 514,000 seals in the demo store; linear in
 * the store). A manifest seal's container is always one of its consignment's (write.c
 * writes both from the same EQD). */
#define CONSIGNMENT_BOXES_OF(id) "SELECT container_id FROM consignment_equipment WHERE consignment_id = " id
#define CONSIGNMENT_BOXES CONSIGNMENT_BOXES_OF("c.id")

static const char *function_code(enum ing_function f)
{
    switch (f) {
    case ING_FN_ORIGINAL: return "9";
    case ING_FN_REPLACE: return "5";
    case ING_FN_CANCEL: return "1";
    case ING_FN_CHANGE: return "4";
    case ING_FN_UPSERT: return "upsert";
    }
    return "9";
}

static const char *outcome_status(enum ing_outcome o)
{
    switch (o) {
    case ING_ACCEPTED: return "accepted";
    case ING_AMENDED: return "amended";
    case ING_CANCELLED: return "cancellation";
    case ING_COLLISION: return "collision";
    case ING_DUPLICATE: break;
    }
    return "accepted";
}

/* ---- consignments --------------------------------------------------------------------- */

/* What a consignment's row holds, as stored: its carrier (its own, else the voyage's, else
 * empty), its kind, its goods description (else its first goods item's). */
static const char *bill_carrier(const struct ing_document *doc, const struct ing_consignment *c)
{
    return c->carrier != NULL ? c->carrier
                              : (doc->has_voyage && doc->voyage.carrier ? doc->voyage.carrier : "");
}

static const char *bill_kind(const struct ing_consignment *c)
{
    return c->kind != NULL ? c->kind : (c->master_bl != NULL ? "house" : "straight");
}

static const char *bill_goods(const struct ing_consignment *c)
{
    return c->goods_description != NULL || c->goods.n == 0
               ? c->goods_description
               : ING_AT(c->goods, struct ing_goods, 0)->description;
}

/* Its places of receipt, loading, discharge and delivery (place[0..3], NULL when none):
 * the first of each kind, normalised as vg__ing_check_locode stores codes (into codes). */
static void bill_places(const struct ing_consignment *c, char codes[4][6], const char *place[4])
{
    for (int q = 0; q < 4; q++) {
        place[q] = NULL;
    }
    for (size_t i = 0; i < c->places.n; i++) {
        const struct ing_place *p = ING_AT(c->places, struct ing_place, i);
        int q = p->kind == ING_PLACE_RECEIPT     ? 0
                : p->kind == ING_PLACE_LOADING   ? 1
                : p->kind == ING_PLACE_DISCHARGE ? 2
                : p->kind == ING_PLACE_DELIVERY  ? 3
                                                 : -1;
        if (q >= 0 && place[q] == NULL && p->locode != NULL) {
            struct vg_error perr;
            (void)vg__ing_locode_norm(p->locode, codes[q], &perr);
            place[q] = codes[q];
        }
    }
}

/* The row id of the consignment with B/L bl of carrier; 0 when the store has none. */
static enum vg_status bill_find(struct ing_session *s, const char *bl, const char *carrier,
                                int64_t *id, struct vg_error *err)
{
    static const char sql[] = "SELECT id FROM consignments WHERE bl_number = ?1 AND carrier = ?2";
    STMT(st, sql);
    vg__bind_text(st, 1, bl);
    vg__bind_text(st, 2, carrier);
    int rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return vg__store_error(s->store, rc, "looking up a consignment", err);
    }
    return VG_OK;
}

/* OR IGNORE, as the containers' (resolve.c: a statement that may abort keeps a statement
 * journal). 19 placeholders a row. */
static const char *const bill_sql[ING_ROWBUF_SIZES] = ING_CHUNK_SQL(
    "INSERT OR IGNORE INTO consignments(bl_number, carrier, kind, master_id, master_bl,"
    " port_call_id, place_of_receipt, port_of_loading, port_of_discharge, place_of_delivery,"
    " declared_at, goods_description, total_packages, gross_kg, status, version, message_id,"
    " created_at, updated_at, segment_no)",
    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,?,?)");

/* Inserts the consignments bills[0..n) of doc, one statement per up to 64 (master_id: the
 * master's row of a house, with n = 1; else 0). Each that went in gets its row id in
 * stored_id; one the store already had keeps 0 (upsert_consignment versions and replaces
 * it). When all went in, their ids are the statement's last ones; otherwise those that
 * went in are told by their ids, the last went_in of the table. */
static enum vg_status bills_insert(struct ing_session *s, const struct ing_document *doc,
                                   int64_t message_id, int64_t port_call_id, int64_t master_id,
                                   struct ing_consignment *const *bills, int n,
                                   struct vg_error *err)
{
    int done = 0;
    while (done < n) {
        int size = vg__ing_chunk_pick((size_t)(n - done));
        int rows = vg__ing_chunk_rows[size];
        STMT(st, bill_sql[size]);
        char codes[64][4][6];
        for (int k = 0; k < rows; k++) {
            const struct ing_consignment *c = bills[done + k];
            const char *place[4];
            bill_places(c, codes[k], place);
            int b = k * 19; /* a row's placeholders */
            vg__bind_text(st, b + 1, c->bl);
            vg__bind_text(st, b + 2, bill_carrier(doc, c));
            vg__bind_text(st, b + 3, bill_kind(c));
            vg__bind_int64_or_null(st, b + 4, master_id, 0);
            vg__bind_text(st, b + 5, c->master_bl);
            vg__bind_int64_or_null(st, b + 6, port_call_id, 0);
            for (int q = 0; q < 4; q++) {
                vg__bind_text(st, b + 7 + q, place[q]);
            }
            vg__bind_int64_or_null(st, b + 11, c->declared_at, VG_TIME_NONE);
            vg__bind_text(st, b + 12, bill_goods(c));
            vg__bind_int64_or_null(st, b + 13, c->total_packages, -1);
            vg__bind_double_or_null(st, b + 14, c->gross_kg, !isnan(c->gross_kg));
            vg__bind_text(st, b + 15, doc->function == ING_FN_CANCEL ? "cancelled" : "active");
            sqlite3_bind_int64(st, b + 16, message_id);
            sqlite3_bind_int64(st, b + 17, s->now);
            sqlite3_bind_int64(st, b + 18, s->now);
            vg__bind_int64_or_null(st, b + 19, c->src.segment_no, 0);
        }
        enum vg_status qs = step_done(s, st, "recording consignments", err);
        if (qs != VG_OK) {
            return qs;
        }
        int went_in = sqlite3_changes(s->store->db);
        int64_t last = sqlite3_last_insert_rowid(s->store->db);
        for (int k = 0; k < rows; k++) {
            struct ing_consignment *c = bills[done + k];
            int64_t id = went_in == rows ? last - rows + 1 + k : 0;
            if (went_in > 0 && went_in != rows) {
                if ((qs = bill_find(s, c->bl, bill_carrier(doc, c), &id, err)) != VG_OK) {
                    return qs;
                }
                id = id > last - went_in && id <= last ? id : 0;
            }
            c->stored_id = id;
        }
        done += rows;
    }
    return VG_OK;
}

/* Finds or creates the consignment; an existing one is versioned (snapshot of the old
 * state) and emptied of its children so that the new content replaces it. */
static enum vg_status upsert_consignment(struct ing_session *s, struct ing_document *doc,
                                         int64_t message_id, struct ing_consignment *c,
                                         int64_t port_call_id, int64_t *id, bool *existed,
                                         struct vg_error *err)
{
    const char *carrier = bill_carrier(doc, c);
    enum vg_status st;
    int64_t master_id = 0;
    if (c->stored_id == 0 && c->master_bl != NULL &&
        (st = bill_find(s, c->master_bl, carrier, &master_id, err)) != VG_OK) {
        return st;
    }
    /* New: inserted here, unless ahead of the document (consignments_first). */
    if (c->stored_id == 0 &&
        (st = bills_insert(s, doc, message_id, port_call_id, master_id, &c, 1, err)) != VG_OK) {
        return st;
    }
    if (c->stored_id != 0) {
        *id = c->stored_id;
        *existed = false;
        return VG_OK;
    }
    /* Known: version it and replace its content. */
    if ((st = bill_find(s, c->bl, carrier, id, err)) != VG_OK) {
        return st;
    }
    if (*id == 0) {
        return vg_error_set(err, VG_EDB, "consignment %s neither inserted nor found", c->bl);
    }
    *existed = true;
    /* The history and the replacement read and delete buffered tables. */
    if ((st = vg__ing_rows_flush(s, err)) != VG_OK ||
        (st = vg__ing_party_links_flush(s, err)) != VG_OK) {
        return st;
    }
    {
        static const char snap_sql[] =
            "INSERT OR IGNORE INTO consignment_versions(consignment_id, version, message_id,"
            " function_code, snapshot, recorded_at)"
            " SELECT c.id, c.version, c.message_id, ?2, json_object("
            "  'bl', c.bl_number, 'carrier', c.carrier, 'kind', c.kind, 'master_bl', c.master_bl,"
            "  'port_call_id', c.port_call_id, 'port_of_loading', c.port_of_loading,"
            "  'port_of_discharge', c.port_of_discharge, 'place_of_receipt', c.place_of_receipt,"
            "  'place_of_delivery', c.place_of_delivery, 'declared_at', c.declared_at,"
            "  'goods_description', c.goods_description, 'total_packages', c.total_packages,"
            "  'gross_kg', c.gross_kg, 'status', c.status,"
            "  'parties', (SELECT json_group_array(json_object('role', role, 'party_id', party_id,"
            "     'name', name, 'identifier', identifier, 'country', country))"
            "     FROM consignment_parties WHERE consignment_id = c.id),"
            "  'equipment', (SELECT json_group_array(json_object('container', k.number,"
            "     'size_type', e.size_type, 'gross_kg', e.gross_kg))"
            "     FROM consignment_equipment e JOIN containers k ON k.id = e.container_id"
            "     WHERE e.consignment_id = c.id),"
            "  'seals', (SELECT json_group_array(json_object('container_id', container_id,"
            "     'seal', seal_number, 'party', sealing_party)) FROM (SELECT container_id,"
            "     seal_number, sealing_party FROM seals WHERE container_id IN (" CONSIGNMENT_BOXES ")"
            "     AND consignment_id = c.id AND source_kind = 'manifest' ORDER BY id)),"
            "  'goods', (SELECT json_group_array(json_object('seq', seq, 'hs', hs_code,"
            "     'description', description, 'packages', packages, 'gross_kg', gross_kg,"
            "     'value', value)) FROM goods_items WHERE consignment_id = c.id),"
            "  'other_places', (SELECT json_group_array(json_object('qualifier', qualifier,"
            "     'locode', locode)) FROM consignment_places WHERE consignment_id = c.id)),"
            "  ?3 FROM consignments c WHERE c.id = ?1";
        STMT(snap, snap_sql);
        sqlite3_bind_int64(snap, 1, *id);
        vg__bind_text(snap, 2, function_code(doc->function));
        sqlite3_bind_int64(snap, 3, s->now);
        st = step_done(s, snap, "keeping a consignment's history", err);
        if (st != VG_OK) {
            return st;
        }
        static const char *const clear_sql[] = {
            "DELETE FROM goods_placement WHERE goods_item_id IN"
            " (SELECT id FROM goods_items WHERE consignment_id = ?1)",
            "DELETE FROM goods_items WHERE consignment_id = ?1",
            "DELETE FROM consignment_places WHERE consignment_id = ?1",
            "DELETE FROM party_consignments WHERE (party_id, consignment_id, role) IN"
            " (SELECT party_id, consignment_id, role FROM consignment_parties"
            " WHERE consignment_id = ?1)",
            "DELETE FROM consignment_parties WHERE consignment_id = ?1",
            "DELETE FROM seals WHERE container_id IN (" CONSIGNMENT_BOXES_OF("?1") ")"
            " AND consignment_id = ?1 AND source_kind = 'manifest'",
            "DELETE FROM consignment_equipment WHERE consignment_id = ?1",
        };
        for (size_t i = 0; i < sizeof(clear_sql) / sizeof(clear_sql[0]); i++) {
            sqlite3_stmt *d = vg__store_stmt(s->store, clear_sql[i], err);
            if (d == NULL) {
                return err != NULL ? err->code : VG_EDB;
            }
            sqlite3_bind_int64(d, 1, *id);
            st = step_done(s, d, "replacing a consignment", err);
            if (st != VG_OK) {
                return st;
            }
        }
        s->next_goods_id = 0; /* SQLite would reuse the ids of deleted last rows */
        static const char upd_sql[] =
            "UPDATE consignments SET kind=?2, master_id=?3, master_bl=?4,"
            " port_call_id=coalesce(?5, port_call_id), place_of_receipt=?6, port_of_loading=?7,"
            " port_of_discharge=?8, place_of_delivery=?9, declared_at=?10, goods_description=?11,"
            " total_packages=?12, gross_kg=?13, status=?14, version=version+1, message_id=?15,"
            " updated_at=?16, segment_no=?17 WHERE id=?1";
        STMT(upd, upd_sql);
        char codes[4][6];
        const char *place[4];
        bill_places(c, codes, place);
        sqlite3_bind_int64(upd, 1, *id);
        vg__bind_text(upd, 2, bill_kind(c));
        vg__bind_int64_or_null(upd, 3, master_id, 0);
        vg__bind_text(upd, 4, c->master_bl);
        vg__bind_int64_or_null(upd, 5, port_call_id, 0);
        for (int q = 0; q < 4; q++) {
            vg__bind_text(upd, 6 + q, place[q]);
        }
        vg__bind_int64_or_null(upd, 10, c->declared_at, VG_TIME_NONE);
        vg__bind_text(upd, 11, bill_goods(c));
        vg__bind_int64_or_null(upd, 12, c->total_packages, -1);
        vg__bind_double_or_null(upd, 13, c->gross_kg, !isnan(c->gross_kg));
        vg__bind_text(upd, 14, doc->function == ING_FN_CANCEL ? "cancelled" : "active");
        sqlite3_bind_int64(upd, 15, message_id);
        sqlite3_bind_int64(upd, 16, s->now);
        vg__bind_int64_or_null(upd, 17, c->src.segment_no, 0);
        return step_done(s, upd, "updating a consignment", err);
    }
    return VG_OK;
}

static enum vg_status insert_seal(struct ing_session *s, int64_t container_id,
                                  const struct ing_seal *seal, const char *source_kind,
                                  int64_t observed_at, const char *place, int64_t event_id,
                                  int64_t message_id, int64_t consignment_id,
                                  int32_t segment_no, struct vg_error *err)
{
    ROW(v, ING_T_SEALS);
    vg__ing_val_int(&v[0], container_id, 0);
    DOC_TEXT(&v[1], seal->number);
    DOC_TEXT(&v[2], seal->party);
    DOC_TEXT(&v[3], source_kind);
    vg__ing_val_int(&v[4], observed_at, VG_TIME_NONE);
    TEXT(&v[5], place);
    vg__ing_val_int(&v[6], event_id, 0);
    vg__ing_val_int(&v[7], message_id, 0);
    vg__ing_val_int(&v[8], consignment_id, 0);
    vg__ing_val_int(&v[9], segment_no, 0);
    return VG_OK;
}

/* The direction of a trip at a port call for a consignment's places. */
static const char *trip_direction(const struct ing_consignment *c, const char *port)
{
    for (size_t i = 0; i < c->places.n; i++) {
        const struct ing_place *p = ING_AT(c->places, struct ing_place, i);
        if (p->locode == NULL || strcmp(p->locode, port) != 0) {
            continue;
        }
        if (p->kind == ING_PLACE_LOADING) {
            return "export";
        }
        if (p->kind == ING_PLACE_TRANSHIPMENT) {
            return "transhipment";
        }
        if (p->kind == ING_PLACE_DISCHARGE || p->kind == ING_PLACE_DELIVERY) {
            return "import";
        }
    }
    return "export";
}

static enum vg_status write_consignment(struct ing_session *s, struct ing_document *doc,
                                        int64_t message_id, struct ing_consignment *c,
                                        int64_t port_call_id, const char *call_port,
                                        struct vg_error *err)
{
    if (c->bl == NULL) {
        return vg__ing_finding(s, message_id, &c->src, "missing_bl", "bill of lading", NULL,
                               "a transport document number", "consignment without a B/L number "
                               "(its goods and equipment were not recorded)", err);
    }
    int64_t seen = c->declared_at != VG_TIME_NONE ? c->declared_at : doc->prepared_at;
    /* Validate the places first so that stored codes are normalised. */
    for (size_t i = 0; i < c->places.n; i++) {
        struct ing_place *p = ING_AT(c->places, struct ing_place, i);
        char code[6];
        bool valid;
        enum vg_status st = vg__ing_check_locode(s, message_id, &p->src, vg__ing_place_name(p->kind),
                                                 p->locode, code, &valid, err);
        if (st != VG_OK) {
            return st;
        }
        if (strcmp(code, p->locode) != 0) {
            p->locode = vg_arena_strndup(doc->arena, code, strlen(code));
            if (p->locode == NULL) {
                return vg_error_set(err, VG_ENOMEM, "out of memory");
            }
        }
    }
    int64_t cid = 0;
    bool existed = false;
    enum vg_status st = upsert_consignment(s, doc, message_id, c, port_call_id, &cid, &existed, err);
    if (st != VG_OK) {
        return st;
    }
    s->report->consignments++;
    s->batch_changes++;
    for (size_t i = 0; i < c->places.n; i++) {
        const struct ing_place *p = ING_AT(c->places, struct ing_place, i);
        /* Receipt, loading, discharge and delivery are columns of the consignment; the
         * table keeps the others (transhipments, origin, destination...). */
        if (p->kind == ING_PLACE_RECEIPT || p->kind == ING_PLACE_LOADING ||
            p->kind == ING_PLACE_DISCHARGE || p->kind == ING_PLACE_DELIVERY) {
            continue;
        }
        ROW(v, ING_T_PLACES);
        vg__ing_val_int(&v[0], cid, 0);
        DOC_TEXT(&v[1], vg__ing_place_name(p->kind));
        vg__ing_val_int(&v[2], (int64_t)i + 1, 0);
        DOC_TEXT(&v[3], p->locode);
        vg__ing_val_int(&v[4], 1, 0);
    }
    for (size_t i = 0; i < c->parties.n; i++) {
        const struct ing_party *p = ING_AT(c->parties, struct ing_party, i);
        if (p->name == NULL && p->id == NULL) {
            continue;
        }
        int64_t pid;
        if ((st = vg__ing_party(s, message_id, p, seen, &pid, err)) != VG_OK) {
            return st;
        }
        const char *role = p->role != NULL ? p->role : "other";
        if (!vg__ing_party_link(s, pid, cid, role)) {
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        ROW(v, ING_T_PARTIES);
        vg__ing_val_int(&v[0], cid, 0);
        DOC_TEXT(&v[1], role);
        vg__ing_val_int(&v[2], pid, 0);
        DOC_TEXT(&v[3], p->name);
        DOC_TEXT(&v[4], p->address);
        DOC_TEXT(&v[5], p->city);
        DOC_TEXT(&v[6], p->country);
        DOC_TEXT(&v[7], p->id);
        vg__ing_val_int(&v[8], p->src.segment_no, 0);
    }
    const char *direction = call_port != NULL ? trip_direction(c, call_port) : NULL;
    for (size_t i = 0; i < c->equipment.n; i++) {
        const struct ing_equipment *e = ING_AT(c->equipment, struct ing_equipment, i);
        if (e->number == NULL) {
            continue;
        }
        int64_t kid;
        if ((st = vg__ing_container(s, message_id, &e->src, e->number, e->size_type, seen, &kid,
                                    err)) != VG_OK) {
            return st;
        }
        ROW(v, ING_T_EQUIPMENT);
        vg__ing_val_int(&v[0], cid, 0);
        vg__ing_val_int(&v[1], kid, 0);
        DOC_TEXT(&v[2], e->size_type);
        DOC_TEXT(&v[3], e->full_empty);
        vg__ing_val_double(&v[4], e->gross_kg);
        vg__ing_val_double(&v[5], e->tare_kg);
        vg__ing_val_double(&v[6], e->vgm_kg);
        vg__ing_val_int(&v[7], e->src.segment_no, 0);
        for (size_t k = 0; k < e->seals.n; k++) {
            const struct ing_seal *seal = ING_AT(e->seals, struct ing_seal, k);
            if (seal->number == NULL) {
                continue;
            }
            if ((st = insert_seal(s, kid, seal, "manifest", seen, call_port, 0, message_id, cid,
                                  e->src.segment_no, err)) != VG_OK) {
                return st;
            }
        }
        if (port_call_id != 0 && doc->function != ING_FN_CANCEL) {
            if ((st = vg__ing_trip(s, kid, port_call_id, call_port, direction, VG_TIME_NONE,
                                   doc->voyage.atd != VG_TIME_NONE ? doc->voyage.atd
                                                                   : doc->voyage.etd,
                                   err)) != VG_OK) {
                return st;
            }
        }
    }
    for (size_t i = 0; i < c->goods.n; i++) {
        const struct ing_goods *g = ING_AT(c->goods, struct ing_goods, i);
        bool hs_valid = false;
        char restored[12] = "";
        if (g->hs != NULL && (st = vg__ing_check_hs(s, message_id, &g->src, g->hs, restored,
                                                    &hs_valid, err)) != VG_OK) {
            return st;
        }
        const char *hs = g->hs;
        if (restored[0] != '\0' &&
            (hs = vg_arena_strndup(doc->arena, restored, strlen(restored))) == NULL) {
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        int64_t gid = 0;
        if ((st = next_id(s, &s->next_goods_id, max_goods_sql, &gid, err)) != VG_OK) {
            return st;
        }
        ROW(v, ING_T_GOODS);
        vg__ing_val_int(&v[0], gid, 0);
        vg__ing_val_int(&v[1], cid, 0);
        /* Position in the consignment (senders reuse GID numbers). */
        vg__ing_val_int(&v[2], (int64_t)i + 1, 0);
        DOC_TEXT(&v[3], hs);
        if (hs != NULL) {
            v[4].type = SQLITE_INTEGER;
            v[4].i = hs_valid;
        }
        DOC_TEXT(&v[5], g->description);
        vg__ing_val_int(&v[6], g->packages, -1);
        DOC_TEXT(&v[7], g->package_type);
        vg__ing_val_double(&v[8], g->gross_kg);
        vg__ing_val_double(&v[9], g->net_kg);
        vg__ing_val_double(&v[10], g->volume_m3);
        vg__ing_val_double(&v[11], g->value);
        DOC_TEXT(&v[12], g->currency);
        vg__ing_val_int(&v[13], g->src.segment_no, 0);
        for (size_t k = 0; k < g->placements.n; k++) {
            const struct ing_placement *pl = ING_AT(g->placements, struct ing_placement, k);
            if (pl->container == NULL) {
                continue;
            }
            int64_t kid;
            if ((st = vg__ing_container(s, message_id, &g->src, pl->container, NULL, seen, &kid,
                                        err)) != VG_OK) {
                return st;
            }
            ROW(pv, ING_T_PLACEMENTS);
            vg__ing_val_int(&pv[0], gid, 0);
            vg__ing_val_int(&pv[1], kid, 0);
            vg__ing_val_int(&pv[2], pl->packages, -1);
            vg__ing_val_double(&pv[3], pl->gross_kg);
        }
    }
    return VG_OK;
}

/* Inserts ahead, together, the consignments of doc that the store does not have, from the
 * first on until one names a master B/L (a house is stored after its master, whose row it
 * looks up) or repeats an earlier one's B/L (the repeat replaces it): one statement per up
 * to 64 consignments instead of one each, the rows and ids those upsert_consignment gives. */
static enum vg_status consignments_first(struct ing_session *s, struct ing_document *doc,
                                         int64_t message_id, int64_t port_call_id,
                                         struct vg_error *err)
{
    vg_map_clear(&s->first_seen);
    size_t end = 0;
    for (; end < doc->consignments.n; end++) {
        const struct ing_consignment *c = ING_AT(doc->consignments, struct ing_consignment, end);
        if (c->master_bl != NULL) {
            break;
        }
        if (c->bl == NULL) {
            continue;
        }
        char key[512];
        int kn = snprintf(key, sizeof(key), "%s%c%s", c->bl, 0x1f, bill_carrier(doc, c));
        if (kn <= 0 || (size_t)kn >= sizeof(key)) {
            break;
        }
        bool seen = false;
        if (vg_map_put(&s->first_seen, key, (size_t)kn, 1, &seen, NULL) != VG_OK) {
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        if (seen) {
            break;
        }
    }
    struct ing_consignment *bills[64];
    for (size_t i = 0; i < end;) {
        int n = 0;
        for (; i < end && n < 64; i++) {
            struct ing_consignment *c = ING_AT(doc->consignments, struct ing_consignment, i);
            if (c->bl != NULL) {
                bills[n++] = c;
            }
        }
        enum vg_status st = bills_insert(s, doc, message_id, port_call_id, 0, bills, n, err);
        if (st != VG_OK) {
            return st;
        }
    }
    return VG_OK;
}

/* ---- events --------------------------------------------------------------------------- */

static const char *seal_source_kind(const char *event_kind)
{
    if (strcmp(event_kind, ING_EV_GATE_IN) == 0 || strcmp(event_kind, ING_EV_GATE_OUT) == 0) {
        return "gate";
    }
    if (strcmp(event_kind, ING_EV_LOAD) == 0 || strcmp(event_kind, ING_EV_STOWAGE) == 0 ||
        strcmp(event_kind, ING_EV_LOAD_ORDER) == 0) {
        return "load";
    }
    if (strcmp(event_kind, ING_EV_DISCHARGE) == 0 ||
        strcmp(event_kind, ING_EV_DISCHARGE_ORDER) == 0) {
        return "arrival";
    }
    if (strcmp(event_kind, ING_EV_SEAL_CHANGE) == 0) {
        return "reseal";
    }
    if (strcmp(event_kind, ING_EV_INSPECTION) == 0) {
        return "inspection";
    }
    if (strcmp(event_kind, ING_EV_STUFFING) == 0) {
        return "stuffing";
    }
    return "event";
}

/* The document's own voyage resolved for one port: every event of a loading report names
 * the same call, and resolving it again finds the same rows (the session caches them and
 * a finding is recorded once per place in the message), so it is resolved once. */
struct call_memo {
    bool valid;
    char port[16];
    int64_t port_call_id, vessel_id;
};

static enum vg_status write_event(struct ing_session *s, struct ing_document *doc,
                                  int64_t message_id, struct ing_event *ev,
                                  struct call_memo *memo, struct vg_error *err)
{
    if (ev->container == NULL) {
        return vg__ing_finding(s, message_id, &ev->src, "missing_container", "container", NULL,
                               "a container number", "event without a container number", err);
    }
    enum vg_status st;
    char place[6] = "";
    if (ev->place != NULL) {
        bool valid;
        if ((st = vg__ing_check_locode(s, message_id, &ev->src, "place", ev->place, place, &valid,
                                       err)) != VG_OK) {
            return st;
        }
    }
    int64_t kid;
    if ((st = vg__ing_container(s, message_id, &ev->src, ev->container, ev->size_type, ev->time,
                                &kid, err)) != VG_OK) {
        return st;
    }
    const struct ing_voyage *voy = ev->has_voyage ? &ev->voyage : doc->has_voyage ? &doc->voyage : NULL;
    int64_t port_call_id = 0, vessel_id = 0;
    struct ing_voyage call;
    if (voy != NULL && (voy->vessel.name != NULL || voy->vessel.imo != NULL ||
                        voy->vessel.call_sign != NULL || voy->voyage != NULL)) {
        call = *voy;
        if (call.port == NULL && place[0] != '\0') {
            call.port = place;
        }
        const char *port = call.port != NULL ? call.port : "";
        bool memoable = voy == &doc->voyage && strlen(port) < sizeof(memo->port);
        if (memoable && memo->valid && strcmp(memo->port, port) == 0) {
            port_call_id = memo->port_call_id;
            vessel_id = memo->vessel_id;
        } else {
            if ((st = vg__ing_port_call(s, message_id, &call, &port_call_id, err)) != VG_OK) {
                return st;
            }
            if ((st = vg__ing_vessel(s, message_id, &call.vessel, &call.src, ev->time,
                                     &vessel_id, err)) != VG_OK) {
                return st;
            }
            if (memoable) {
                memo->valid = true;
                memcpy(memo->port, port, strlen(port) + 1);
                memo->port_call_id = port_call_id;
                memo->vessel_id = vessel_id;
            }
        }
    }
    char seals[256] = "";
    size_t sl = 0;
    for (size_t k = 0; k < ev->seals.n; k++) {
        const struct ing_seal *seal = ING_AT(ev->seals, struct ing_seal, k);
        if (seal->number != NULL) {
            int w = snprintf(seals + sl, sizeof(seals) - sl, "%s%s", sl > 0 ? ";" : "",
                             seal->number);
            if (w > 0 && (size_t)w < sizeof(seals) - sl) {
                sl += (size_t)w;
            }
        }
    }
    int64_t event_id = 0;
    if ((st = next_id(s, &s->next_event_id, max_event_sql, &event_id, err)) != VG_OK) {
        return st;
    }
    ROW(v, ING_T_EVENTS);
    vg__ing_val_int(&v[0], event_id, 0);
    vg__ing_val_int(&v[1], kid, 0);
    DOC_TEXT(&v[2], ev->kind);
    DOC_TEXT(&v[3], ev->status_code);
    vg__ing_val_int(&v[4], ev->time, VG_TIME_NONE);
    TEXT(&v[5], place[0] != '\0' ? place : NULL);
    DOC_TEXT(&v[6], ev->terminal);
    vg__ing_val_int(&v[7], port_call_id, 0);
    vg__ing_val_int(&v[8], vessel_id, 0);
    TEXT(&v[9], voy != NULL ? voy->voyage : NULL);
    DOC_TEXT(&v[10], ev->bl);
    DOC_TEXT(&v[11], ev->full_empty);
    vg__ing_val_double(&v[12], ev->gross_kg);
    DOC_TEXT(&v[13], ev->stowage);
    TEXT(&v[14], sl > 0 ? seals : NULL);
    DOC_TEXT(&v[15], ev->transport_mode);
    DOC_TEXT(&v[16], ev->vehicle);
    vg__ing_val_int(&v[17], message_id, 0);
    vg__ing_val_int(&v[18], ev->src.segment_no, 0);
    vg__ing_val_int(&v[19], s->now, VG_TIME_NONE);
    s->report->events++;
    for (size_t k = 0; k < ev->seals.n; k++) {
        const struct ing_seal *seal = ING_AT(ev->seals, struct ing_seal, k);
        if (seal->number != NULL &&
            (st = insert_seal(s, kid, seal, seal_source_kind(ev->kind), ev->time,
                              place[0] ? place : NULL, event_id, message_id, 0,
                              ev->src.segment_no, err)) != VG_OK) {
            return st;
        }
    }
    if (port_call_id != 0) {
        bool load = strcmp(ev->kind, ING_EV_LOAD) == 0 || strcmp(ev->kind, ING_EV_STOWAGE) == 0;
        bool discharge = strcmp(ev->kind, ING_EV_DISCHARGE) == 0;
        if (load || discharge) {
            const char *port = voy != NULL && voy->port != NULL ? voy->port : place;
            if ((st = vg__ing_trip(s, kid, port_call_id, port, load ? "export" : "import",
                                   load ? ev->time : VG_TIME_NONE,
                                   voy != NULL ? (voy->atd != VG_TIME_NONE ? voy->atd : voy->etd)
                                               : VG_TIME_NONE,
                                   err)) != VG_OK) {
                return st;
            }
        }
    }
    return VG_OK;
}

/* ---- the message ---------------------------------------------------------------------- */

/* The latest live message with the same references, or 0. */
static enum vg_status previous_message(struct ing_session *s, const struct ing_document *doc,
                                       const char *sender, int64_t *prev, struct vg_error *err)
{
    *prev = 0;
    if (doc->doc_number == NULL) {
        return VG_OK;
    }
    static const char sql[] =
        "SELECT id FROM messages WHERE sender = ?1 AND msg_type = ?2 AND doc_number = ?3"
        " AND status IN ('accepted', 'amended', 'collision') ORDER BY id DESC LIMIT 1";
    STMT(st, sql);
    vg__bind_text(st, 1, sender);
    vg__bind_text(st, 2, doc->msg_type);
    vg__bind_text(st, 3, doc->doc_number);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *prev = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return vg__store_error(s->store, rc, "looking up an earlier message", err);
    }
    return VG_OK;
}

/* The container map's slots of the next record's containers are fetched while this record
 * is written: the maps hold millions of numbers and each first touch waited on memory
 * (vg_map_get was a tenth of the writing thread's own code in bench_ingest). The passes
 * ahead of the document touched them too, but a document's SQL work evicts them again
 * before its records are written (removing this made bench_ingest 300,000 slower: writer
 * 6.7 s against 6.4). */
static void prefetch_consignment(struct ing_session *s, const struct ing_consignment *c)
{
    for (size_t i = 0; i < c->equipment.n; i++) {
        const char *number = ING_AT(c->equipment, struct ing_equipment, i)->number;
        if (number != NULL) {
            vg_map_prefetch(&s->containers, number, strlen(number));
        }
    }
}

/* The container map's slot of event i of doc, when there is one. */
static void prefetch_event(struct ing_session *s, const struct ing_document *doc, size_t i)
{
    const char *number =
        i < doc->events.n ? ING_AT(doc->events, struct ing_event, i)->container : NULL;
    if (number != NULL) {
        vg_map_prefetch(&s->containers, number, strlen(number));
    }
}

/* Likewise the trips map's slots of the next record's trips, two records ahead of their
 * containers' slots so that those are in cache when the trip keys are made. */
static void prefetch_consignment_trips(struct ing_session *s,
                                       const struct ing_consignment *c,
                                       int64_t port_call_id)
{
    for (size_t i = 0; i < c->equipment.n; i++) {
        vg__ing_trip_prefetch(s, ING_AT(c->equipment, struct ing_equipment, i)->number,
                              port_call_id);
    }
}

static enum vg_status write_document(struct ing_session *s, struct ing_document *doc,
                                     enum ing_outcome *outcome, struct vg_error *err);

enum vg_status vg__ing_write(struct ing_session *s, struct ing_document *doc,
                             enum ing_outcome *outcome, struct vg_error *err)
{
    enum vg_status st = write_document(s, doc, outcome, err);
    if (st != VG_OK) {
        vg__ing_rows_discard(s); /* the caller rolls the batch back */
        return st;
    }
    return vg__ing_rows_flush(s, err);
}

static enum vg_status write_document(struct ing_session *s, struct ing_document *doc,
                                     enum ing_outcome *outcome, struct vg_error *err)
{
    const char *sender = doc->sender != NULL ? doc->sender
                                             : (s->opts.default_sender ? s->opts.default_sender
                                                                       : "unknown");
    uint8_t digest[VG_DIGEST_SIZE];
    if (doc->has_digest) {
        memcpy(digest, doc->digest, sizeof(digest));
    } else {
        vg_digest(doc->raw, doc->raw_len, digest);
    }
    s->report->messages++;

    static const char dup_sql[] = "SELECT id FROM messages WHERE sender = ?1 AND digest = ?2";
    STMT(dup, dup_sql);
    vg__bind_text(dup, 1, sender);
    sqlite3_bind_blob(dup, 2, digest, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
    int rc = sqlite3_step(dup);
    sqlite3_reset(dup);
    if (rc == SQLITE_ROW) {
        *outcome = ING_DUPLICATE;
        s->report->duplicates++;
        return VG_OK;
    }
    if (rc != SQLITE_DONE) {
        return vg__store_error(s->store, rc, "checking for a duplicate message", err);
    }
    int64_t prev = 0;
    enum vg_status st = previous_message(s, doc, sender, &prev, err);
    if (st != VG_OK) {
        return st;
    }
    *outcome = ING_ACCEPTED;
    if (prev != 0) {
        switch (doc->function) {
        case ING_FN_REPLACE:
        case ING_FN_CHANGE:
        case ING_FN_UPSERT: *outcome = ING_AMENDED; break;
        case ING_FN_CANCEL: *outcome = ING_CANCELLED; break;
        case ING_FN_ORIGINAL: *outcome = ING_COLLISION; break;
        }
    } else if (doc->function == ING_FN_CANCEL) {
        *outcome = ING_CANCELLED;
    }

    static const char msg_sql[] =
        "INSERT INTO messages(interchange_id, file_id, sender, format, msg_type, msg_version,"
        " msg_ref, doc_number, function_code, prepared_at, digest, byte_offset, length, line,"
        " status, supersedes, raw, unmapped, ingested_at, raw_codec)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)";
    STMT(ins, msg_sql);
    vg__bind_int64_or_null(ins, 1, s->interchange_id, 0);
    sqlite3_bind_int64(ins, 2, s->file_id);
    vg__bind_text(ins, 3, sender);
    vg__bind_text(ins, 4, doc->format);
    vg__bind_text(ins, 5, doc->msg_type);
    vg__bind_text(ins, 6, doc->msg_version);
    vg__bind_text(ins, 7, doc->msg_ref);
    vg__bind_text(ins, 8, doc->doc_number);
    vg__bind_text(ins, 9, function_code(doc->function));
    vg__bind_int64_or_null(ins, 10, doc->prepared_at, VG_TIME_NONE);
    sqlite3_bind_blob(ins, 11, digest, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins, 12, doc->offset);
    sqlite3_bind_int64(ins, 13, (int64_t)doc->raw_len);
    vg__bind_int64_or_null(ins, 14, doc->line, 0);
    vg__bind_text(ins, 15, outcome_status(*outcome));
    vg__bind_int64_or_null(ins, 16, prev, 0);
    if (!s->opts.no_raw) {
        vg__ing_doc_pack_raw(doc, s->packer); /* unless its reader did */
        sqlite3_bind_blob64(ins, 17, doc->stored_raw, doc->stored_raw_len, SQLITE_STATIC);
        vg__bind_text(ins, 20, doc->raw_codec);
    }
    if (doc->unmapped.len > 0) {
        vg__bind_textn(ins, 18, doc->unmapped.data, doc->unmapped.len);
    }
    sqlite3_bind_int64(ins, 19, s->now);
    if ((st = step_done(s, ins, "recording a message", err)) != VG_OK) {
        return st;
    }
    int64_t message_id = sqlite3_last_insert_rowid(s->store->db);
    vg_hasher_update(&s->batch, digest, sizeof(digest));
    s->batch_messages++;
    s->batch_changes++;

    if (prev != 0) {
        static const char sup_sql[] =
            "UPDATE messages SET status = ?2 WHERE id = ?1";
        STMT(sup, sup_sql);
        sqlite3_bind_int64(sup, 1, prev);
        vg__bind_text(sup, 2, *outcome == ING_CANCELLED ? "cancelled" : "superseded");
        if ((st = step_done(s, sup, "superseding a message", err)) != VG_OK) {
            return st;
        }
        static const char ev_sql[] =
            "UPDATE equipment_events SET superseded = 1 WHERE message_id = ?1";
        STMT(evs, ev_sql);
        sqlite3_bind_int64(evs, 1, prev);
        if ((st = step_done(s, evs, "superseding events", err)) != VG_OK) {
            return st;
        }
        if (*outcome == ING_COLLISION) {
            char detail[200];
            snprintf(detail, sizeof(detail),
                     "document %s re-sent as an original with different content (earlier "
                     "message %lld); the newer content was applied",
                     doc->doc_number, (long long)prev);
            struct ing_source src = { 0, doc->offset, doc->line, "BGM" };
            if ((st = vg__ing_finding(s, message_id, &src, "document_collision", "document number",
                                      doc->doc_number, "a new number or function 5 (replace)",
                                      detail, err)) != VG_OK) {
                return st;
            }
        }
    }
    switch (*outcome) {
    case ING_ACCEPTED: s->report->accepted++; break;
    case ING_AMENDED: s->report->accepted++; s->report->amended++; break;
    case ING_CANCELLED: s->report->accepted++; s->report->cancelled++; break;
    case ING_COLLISION: s->report->accepted++; s->report->collisions++; break;
    case ING_DUPLICATE: break;
    }

    for (size_t i = 0; i < doc->notes.n; i++) {
        const struct ing_note *n = ING_AT(doc->notes, struct ing_note, i);
        if ((st = vg__ing_finding(s, message_id, &n->src, n->kind, n->field, n->value, n->expected,
                                  n->detail, err)) != VG_OK) {
            return st;
        }
    }

    if (doc->kind == ING_DOC_MANIFEST) {
        int64_t port_call_id = 0;
        const char *call_port = NULL;
        char port_buf[6];
        if (doc->has_voyage && doc->voyage.port != NULL) {
            if ((st = vg__ing_port_call(s, message_id, &doc->voyage, &port_call_id, err)) != VG_OK) {
                return st;
            }
            struct vg_error perr;
            if (vg_locode_parse(vg_slice_from_cstr(doc->voyage.port), port_buf, &perr) != VG_EPARSE) {
                call_port = port_buf;
            }
        }
        if (doc->function == ING_FN_CANCEL && doc->consignments.n == 0 && prev != 0) {
            static const char cancel_sql[] =
                "UPDATE consignments SET status = 'cancelled', version = version + 1,"
                " message_id = ?2, updated_at = ?3 WHERE message_id = ?1";
            STMT(can, cancel_sql);
            sqlite3_bind_int64(can, 1, prev);
            sqlite3_bind_int64(can, 2, message_id);
            sqlite3_bind_int64(can, 3, s->now);
            return step_done(s, can, "cancelling consignments", err);
        }
        if ((st = vg__ing_containers_first(s, doc, err)) != VG_OK ||
            (st = consignments_first(s, doc, message_id, port_call_id, err)) != VG_OK) {
            return st;
        }
        size_t n = doc->consignments.n;
        int64_t trip_call = doc->function != ING_FN_CANCEL ? port_call_id : 0;
        if (n > 1) {
            prefetch_consignment(s, ING_AT(doc->consignments, struct ing_consignment, 1));
        }
        for (size_t i = 0; i < n; i++) {
            if (i + 2 < n) {
                prefetch_consignment(s, ING_AT(doc->consignments, struct ing_consignment, i + 2));
            }
            if (i + 1 < n && trip_call != 0) {
                prefetch_consignment_trips(
                    s, ING_AT(doc->consignments, struct ing_consignment, i + 1), trip_call);
            }
            if ((st = write_consignment(s, doc, message_id,
                                        ING_AT(doc->consignments, struct ing_consignment, i),
                                        port_call_id, call_port, err)) != VG_OK) {
                return st;
            }
        }
    } else if (doc->function != ING_FN_CANCEL) {
        struct call_memo memo = { .valid = false };
        if ((st = vg__ing_containers_first(s, doc, err)) != VG_OK) {
            return st;
        }
        size_t n = doc->events.n;
        /* The container slots two events ahead, the trip slot of the next event (whose
         * container slot was asked for one event ago); the next event most likely names the
         * call of this one. */
        prefetch_event(s, doc, 1);
        for (size_t i = 0; i < n; i++) {
            prefetch_event(s, doc, i + 2);
            if (i + 1 < n && memo.valid) {
                vg__ing_trip_prefetch(s, ING_AT(doc->events, struct ing_event, i + 1)->container,
                                      memo.port_call_id);
            }
            if ((st = write_event(s, doc, message_id, ING_AT(doc->events, struct ing_event, i),
                                  &memo, err)) != VG_OK) {
                return st;
            }
        }
    }
    return VG_OK;
}
