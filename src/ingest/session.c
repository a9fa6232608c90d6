/* The ingest session: caches, the current file and batch, findings and rejects. */
#include "ingest/session_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vigia/alloc.h>
#include <vigia/log.h>
#include <vigia/track.h>

static void maps_init(struct ing_session *s)
{
    vg_map_init(&s->containers);
    vg_map_init(&s->first_seen);
    vg_map_init(&s->size_known);
    vg_map_init(&s->party_seen);
    vg_map_init(&s->parties);
    vg_map_init(&s->vessels);
    vg_map_init(&s->port_calls);
    vg_map_init(&s->seen);
    vg_map_init(&s->trips);
    s->ntrip_pending = 0;
    vg_arena_init(&s->trip_text, 16 * 1024, 0);
    vg_map_init(&s->call_detail);
    vg_arena_init(&s->call_detail_text, 16 * 1024, 0);
    vg_map_init(&s->locode_known);
    vg_map_init(&s->hs_known);
}

static void maps_release(struct ing_session *s)
{
    vg_map_release(&s->containers);
    vg_map_release(&s->first_seen);
    vg_map_release(&s->size_known);
    vg_map_release(&s->party_seen);
    vg_map_release(&s->parties);
    vg_map_release(&s->vessels);
    vg_map_release(&s->port_calls);
    vg_map_release(&s->seen);
    vg_map_release(&s->trips);
    s->ntrip_pending = 0; /* the map that named them is gone */
    vg_arena_release(&s->trip_text);
    vg_map_release(&s->call_detail);
    vg_arena_release(&s->call_detail_text);
    vg_map_release(&s->locode_known);
    vg_map_release(&s->hs_known);
}

/* The buffered tables, in the order their rows are inserted (a parent before the rows
 * that name it, for a caller's transaction where foreign keys are checked). */
static const struct {
    const char *insert;
    int ncols;
} row_tables[ING_T_COUNT] = {
    [ING_T_PLACES] = { "INSERT OR IGNORE INTO consignment_places(consignment_id, qualifier, seq,"
                       " locode, locode_valid)",
                       5 },
    [ING_T_PARTIES] = { "INSERT OR IGNORE INTO consignment_parties(consignment_id, role, party_id,"
                        " name, address, city, country, identifier, segment_no)",
                        9 },
    [ING_T_EQUIPMENT] = { "INSERT OR IGNORE INTO consignment_equipment(consignment_id,"
                          " container_id, size_type, full_empty, gross_kg, tare_kg, vgm_kg,"
                          " segment_no)",
                          8 },
    [ING_T_GOODS] = { "INSERT OR FAIL INTO goods_items(id, consignment_id, seq, hs_code, hs_valid,"
                      " description, packages, package_type, gross_kg, net_kg, volume_m3, value,"
                      " currency, segment_no)",
                      14 },
    [ING_T_PLACEMENTS] = { "INSERT OR IGNORE INTO goods_placement(goods_item_id, container_id,"
                           " packages, gross_kg)",
                           4 },
    [ING_T_EVENTS] = { "INSERT OR FAIL INTO equipment_events(id, container_id, kind, status_code, event_at,"
                       " place, terminal, port_call_id, vessel_id, voyage, bl_number, full_empty,"
                       " gross_kg, stowage, seals, transport_mode, vehicle, message_id, segment_no,"
                       " created_at)",
                       20 },
    [ING_T_SEALS] = { "INSERT OR FAIL INTO seals(container_id, seal_number, sealing_party, source_kind,"
                      " observed_at, place, event_id, message_id, consignment_id, segment_no)",
                      10 },
};

enum vg_status vg__ing_rows_flush(struct ing_session *s, struct vg_error *err)
{
    for (int t = 0; t < ING_T_COUNT; t++) {
        if (s->rows[t].nrows > 0) {
            enum vg_status st = vg__ing_rowbuf_flush(s->store, &s->rows[t], err);
            if (st != VG_OK) {
                vg__ing_rows_discard(s);
                return st;
            }
        }
    }
    vg_arena_reset(&s->row_text);
    return VG_OK;
}

bool vg__ing_party_link(struct ing_session *s, int64_t party_id, int64_t consignment_id,
                        const char *role)
{
    if (s->nparty_links == s->party_links_cap) {
        size_t cap = s->party_links_cap == 0 ? 1024 : s->party_links_cap * 2;
        struct ing_party_link *l = vg_reallocarray(s->party_links, cap, sizeof(*l));
        if (l == NULL) {
            return false;
        }
        s->party_links = l;
        s->party_links_cap = cap;
    }
    const char *copy = vg_arena_strndup(&s->party_link_text, role, strlen(role));
    if (copy == NULL) {
        return false;
    }
    s->party_links[s->nparty_links++] = (struct ing_party_link){ party_id, consignment_id, copy };
    return true;
}

static int party_link_cmp(const void *a, const void *b)
{
    const struct ing_party_link *x = a, *y = b;
    if (x->party_id != y->party_id) {
        return x->party_id < y->party_id ? -1 : 1;
    }
    if (x->consignment_id != y->consignment_id) {
        return x->consignment_id < y->consignment_id ? -1 : 1;
    }
    return strcmp(x->role, y->role);
}

enum vg_status vg__ing_party_links_flush(struct ing_session *s, struct vg_error *err)
{
    if (s->nparty_links == 0) {
        return VG_OK;
    }
    /* In key order each insert lands on the page the previous one left, or the next. */
    qsort(s->party_links, s->nparty_links, sizeof(*s->party_links), party_link_cmp);
    enum vg_status st = VG_OK;
    for (size_t i = 0; i < s->nparty_links && st == VG_OK; i++) {
        const struct ing_party_link *l = &s->party_links[i];
        struct ing_val *v = vg__ing_rowbuf_add(&s->party_link_rows);
        if (v == NULL) {
            st = vg_error_set(err, VG_ENOMEM, "out of memory");
            break;
        }
        vg__ing_val_int(&v[0], l->party_id, 0);
        vg__ing_val_int(&v[1], l->consignment_id, 0);
        v[2].type = SQLITE_TEXT;
        v[2].t = l->role;
        v[2].len = (int)strlen(l->role);
    }
    if (st == VG_OK) {
        st = vg__ing_rowbuf_flush(s->store, &s->party_link_rows, err);
    }
    s->party_link_rows.nrows = 0;
    s->nparty_links = 0;
    vg_arena_reset(&s->party_link_text);
    return st;
}

void vg__ing_rows_discard(struct ing_session *s)
{
    for (int t = 0; t < ING_T_COUNT; t++) {
        s->rows[t].nrows = 0;
    }
    vg_arena_reset(&s->row_text);
    s->party_link_rows.nrows = 0;
    s->nparty_links = 0;
    vg_arena_reset(&s->party_link_text);
    s->next_goods_id = 0;
    s->next_event_id = 0;
}

static bool table_has_rows(struct vg_store *store, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK) {
        return false;
    }
    bool has = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return has;
}

enum vg_status vg__ing_session_new(struct vg_store *store, const struct vg_ingest_options *opts,
                                   struct vg_ingest_report *report, struct ing_session **out,
                                   struct vg_error *err)
{
    struct ing_session *s = vg_calloc(1, sizeof(*s));
    if (s == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory starting an ingest");
    }
    s->store = store;
    if (opts != NULL) {
        s->opts = *opts;
    }
    if (s->opts.batch_size <= 0) {
        s->opts.batch_size = ING_DEFAULT_BATCH;
        s->batch_grows = true;
    }
    s->report = report;
    s->now = vg_time_now();
    maps_init(s);
    for (int t = 0; t < ING_T_COUNT; t++) {
        vg__ing_rowbuf_init(&s->rows[t], row_tables[t].insert, row_tables[t].ncols);
    }
    vg_arena_init(&s->row_text, 64 * 1024, 0);
    vg_arena_init(&s->party_link_text, 16 * 1024, 0);
    vg__ing_rowbuf_init(&s->party_link_rows,
                        "INSERT OR IGNORE INTO party_consignments(party_id, consignment_id, role)",
                        3);
    vg__ing_rowbuf_init(&s->trip_rows,
                        "INSERT OR IGNORE INTO trips(container_id, port_call_id, port, direction,"
                        " loaded_at, departure_at, created_at)",
                        7);
    s->have_locodes = table_has_rows(store, "SELECT 1 FROM code_locodes LIMIT 1");
    s->have_hs = table_has_rows(store, "SELECT 1 FROM code_hs LIMIT 1");
    vg_hasher_init(&s->batch);
    /* Raw bytes are compressed where the message is read (store/raw.c). */
    s->packer = s->opts.no_raw ? NULL : vg__raw_packer_new();
    if (!s->opts.no_raw && s->packer == NULL) {
        vg__ing_session_free(s);
        return vg_error_set(err, VG_ENOMEM, "out of memory starting an ingest");
    }
    /* The writer only references rows it has just found or inserted, in the same
     * transaction, so SQLite's foreign-key checks (a parent lookup per reference, a fifth
     * of ingest time) are switched off for the session; `vigia selfcheck` verifies them.
     * The pragma is a no-op inside a caller's transaction, where they stay on. */
    if (store->tx_depth == 0 && vg__store_exec(store, "PRAGMA foreign_keys=OFF", NULL) == VG_OK) {
        s->foreign_keys_off = true;
    }
    /* With a second processor, WAL checkpoints run beside the writer (checkpoint.c). */
    if (!s->opts.single_thread && store->tx_depth == 0 && sysconf(_SC_NPROCESSORS_ONLN) >= 2 &&
        vg__ing_checkpointer_start(store, &s->checkpointer) != VG_OK) {
        vg__ing_session_free(s);
        return vg_error_set(err, VG_ENOMEM, "out of memory starting an ingest");
    }
    /* And the files' dirty pages go to storage while the writer works (writeback.c). */
    if (!s->opts.single_thread && store->tx_depth == 0 && !store->read_only &&
        vg__ing_writeback_start(store->path, &s->writeback) != VG_OK) {
        vg__ing_session_free(s);
        return vg_error_set(err, VG_ENOMEM, "out of memory starting an ingest");
    }
    *out = s;
    return VG_OK;
}

void vg__ing_session_free(struct ing_session *s)
{
    if (s == NULL) {
        return;
    }
    maps_release(s);
    for (int t = 0; t < ING_T_COUNT; t++) {
        vg__ing_rowbuf_release(&s->rows[t]);
    }
    vg_arena_release(&s->row_text);
    vg_free(s->party_links);
    vg_arena_release(&s->party_link_text);
    vg__ing_rowbuf_release(&s->party_link_rows);
    vg_free(s->trip_pending);
    vg__ing_rowbuf_release(&s->trip_rows);
    vg_track_writer_free(s->track);
    vg__ing_checkpointer_stop(s->checkpointer);
    vg__ing_writeback_stop(s->writeback);
    vg__raw_packer_free(s->packer);
    if (s->foreign_keys_off && s->store->tx_depth == 0 &&
        vg__store_exec(s->store, "PRAGMA foreign_keys=ON", NULL) != VG_OK) {
        vg_log(VG_LOG_WARN, "ingest", "could not switch foreign-key checks back on");
    }
    vg_free(s);
}

void vg__ing_session_file(struct ing_session *s, int64_t file_id, const char *path)
{
    s->file_id = file_id;
    s->path = path;
    s->interchange_id = 0;
}

void vg__ing_session_interchange(struct ing_session *s, int64_t interchange_id)
{
    s->interchange_id = interchange_id;
}

void vg__ing_session_forget(struct ing_session *s)
{
    maps_release(s);
    maps_init(s);
    vg__ing_rows_discard(s);
    vg_track_writer_free(s->track); /* its buffered positions were not written */
    s->track = NULL;
}

void vg__ing_session_batch_digest(struct ing_session *s, uint8_t out[VG_DIGEST_SIZE],
                                  int64_t *messages)
{
    vg_hasher_final(&s->batch, out);
    *messages = s->batch_messages;
}

void vg__ing_session_batch_reset(struct ing_session *s)
{
    s->run_docs += s->batch_docs;
    vg_hasher_init(&s->batch);
    vg__ing_rows_discard(s); /* a new transaction: ids are read again */
    s->batch_messages = 0;
    s->batch_changes = 0;
    s->batch_docs = 0;
    s->batch_files = 0;
    s->batch_path[0] = '\0';
}

static void notify(struct ing_session *s, enum vg_ingest_event ev, const struct vg_error *e)
{
    if (s->opts.callback != NULL) {
        s->opts.callback(s->opts.user, ev, e, s->report);
    }
}

enum vg_status vg__ing_reject(struct ing_session *s, const struct vg_error *reason,
                              const char *format, const char *msg_ref, const char *excerpt,
                              size_t excerpt_len, struct vg_error *err)
{
    bool inserted = false;
    enum vg_status st = vg__store_reject(s->store, s->file_id, format, reason, msg_ref, excerpt,
                                         excerpt_len > 2048 ? 2048 : excerpt_len, &inserted, err);
    if (st != VG_OK) {
        return st;
    }
    s->report->rejected++;
    if (inserted) {
        s->batch_changes++;
    }
    notify(s, VG_INGEST_REJECTED, reason);
    return VG_OK;
}

enum vg_status vg__ing_finding(struct ing_session *s, int64_t message_id,
                               const struct ing_source *src, const char *kind,
                               const char *field, const char *value, const char *expected,
                               const char *detail, struct vg_error *err)
{
    char field_buf[96];
    if (src != NULL && src->tag != NULL && field != NULL) {
        snprintf(field_buf, sizeof(field_buf), "%s %s", src->tag, field);
        field = field_buf;
    }
    struct vg__finding f = {
        .file_id = s->file_id,
        .message_id = message_id,
        .segment_no = src != NULL ? src->segment_no : 0,
        .offset = src != NULL ? src->offset : 0,
        .kind = kind,
        .field = field,
        .value = value,
        .expected = expected,
        .detail = detail != NULL ? detail : kind,
    };
    bool inserted = false;
    enum vg_status st = vg__store_finding(s->store, &f, &inserted, err);
    if (st != VG_OK) {
        return st;
    }
    if (inserted) {
        s->report->findings++;
        s->batch_changes++;
        if (s->opts.callback != NULL) {
            struct vg_error e;
            vg_error_clear(&e);
            vg_error_at(&e, s->path, src != NULL ? src->line : 0, 0,
                        src != NULL ? (uint64_t)src->offset : 0,
                        src != NULL ? (uint32_t)src->segment_no : 0);
            vg_error_set(&e, VG_ECHECK, "%s", f.detail);
            notify(s, VG_INGEST_FINDING, &e);
        }
    }
    return VG_OK;
}
