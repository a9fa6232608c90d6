/*
 * EDIFACT files into the store: the syntax layer (vigia/edifact.h) checks envelopes and
 * hands over whole, correct messages; each is mapped by its type (CUSCAR, CODECO, COARRI,
 * COPRAR, BAPLIE, IFTSTA) and written. Rejected messages and envelopes are recorded with
 * their position and reason; data-quality notes of the syntax layer become findings of
 * their message. A message type vigia does not map is kept as received (raw, with a
 * finding), never dropped.
 */
#include "ingest/edi_int.h"
#include "ingest/session_int.h"

#include <vigia/alloc.h>

#include <stdio.h>
#include <string.h>

bool vg__ing_edifact_sniff(const char *data, size_t len);
enum vg_status vg__ing_read_edifact(struct ing_session *s, const struct ing_file *f,
                                    struct vg_error *err);

bool vg__ing_edifact_sniff(const char *data, size_t len)
{
    return vg_edifact_sniff(data, len);
}

struct pending_note {
    uint64_t message_offset;
    struct ing_source src;
    char kind[48], field[48], value[96], expected[96], detail[256];
};

struct edi_reader {
    struct ing_session *s;
    const struct ing_file *f;
    struct edi_ctx ctx;
    struct vg_arena arena;
    struct vg_error *err;
    uint64_t interchange_offset;
    bool interchange_seen;
    struct pending_note *notes;
    size_t nnotes, capnotes;
};

static const char *note_kind(const char *kind)
{
    if (strncmp(kind, "charset", 7) == 0) {
        return "charset_mismatch";
    }
    if (strcmp(kind, "unt-count") == 0) {
        return "control_count";
    }
    return kind;
}

/* The port whose local time the message's dates are in: the header's port (departure,
 * loading, the terminal's place...) before any per-container place. */
static void message_zone(struct edi_ctx *c, const struct vg_edifact_message *msg)
{
    static const char *const order[] = { "165", "5", "9", "11", "60", "175" };
    size_t header_end = msg->nsegments;
    for (size_t i = 1; i < msg->nsegments; i++) {
        const struct vg_edifact_segment *seg = &msg->segments[i];
        if (vg_edifact_is(seg, "EQD") || vg_edifact_is(seg, "CNI") || vg_edifact_is(seg, "GID") ||
            vg_edifact_is(seg, "STS") || (vg_edifact_is(seg, "LOC") && vg__edi_is(seg, 1, 0, "147"))) {
            header_end = i;
            break;
        }
    }
    c->zone_known = false;
    for (int pass = 0; pass < 2 && !c->zone_known; pass++) {
        size_t from = pass == 0 ? 0 : header_end;
        size_t to = pass == 0 ? header_end : msg->nsegments;
        for (size_t q = 0; q < sizeof(order) / sizeof(order[0]) && !c->zone_known; q++) {
            for (size_t i = from; i < to && !c->zone_known; i++) {
                const struct vg_edifact_segment *seg = &msg->segments[i];
                if (!vg_edifact_is(seg, "LOC") || !vg__edi_is(seg, 1, 0, order[q])) {
                    continue;
                }
                char code[16];
                vg_slice_copy(vg_slice_trim(vg_edifact_raw(seg, 2, 0)), code, sizeof(code));
                c->zone_known = vg_zone_for_locode(code, &c->zone);
            }
        }
    }
}

static enum vg_status interchange_row(struct edi_reader *r, const struct vg_edifact_message *msg)
{
    const struct vg_edifact_interchange *ic = msg->interchange;
    if (!ic->present) {
        vg__ing_session_interchange(r->s, 0);
        return VG_OK;
    }
    if (r->interchange_seen && ic->offset == r->interchange_offset) {
        return VG_OK;
    }
    r->interchange_seen = true;
    r->interchange_offset = ic->offset;
    r->s->report->interchanges++;
    static const char ins_sql[] =
        "INSERT OR IGNORE INTO interchanges(file_id, sender, recipient, control_ref, prepared_at,"
        " syntax, syntax_version, charset, byte_offset) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)";
    static const char sel_sql[] =
        "SELECT id FROM interchanges WHERE file_id = ?1 AND byte_offset = ?2";
    sqlite3_stmt *st = vg__store_stmt(r->s->store, ins_sql, r->err);
    if (st == NULL) {
        return r->err != NULL ? r->err->code : VG_EDB;
    }
    sqlite3_bind_int64(st, 1, r->f->file_id);
    vg__bind_text(st, 2, ic->sender);
    vg__bind_text(st, 3, ic->recipient);
    vg__bind_text(st, 4, ic->control_ref);
    vg__bind_int64_or_null(st, 5, ic->prepared_at, VG_TIME_NONE);
    vg__bind_text(st, 6, ic->syntax_id);
    sqlite3_bind_int(st, 7, (int)ic->syntax_version);
    vg__bind_text(st, 8, ic->charset);
    sqlite3_bind_int64(st, 9, (int64_t)ic->offset);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(r->s->store, rc, "recording an interchange", r->err);
    }
    if (sqlite3_changes(r->s->store->db) > 0) {
        r->s->batch_changes++;
    }
    st = vg__store_stmt(r->s->store, sel_sql, r->err);
    if (st == NULL) {
        return r->err != NULL ? r->err->code : VG_EDB;
    }
    sqlite3_bind_int64(st, 1, r->f->file_id);
    sqlite3_bind_int64(st, 2, (int64_t)ic->offset);
    int64_t id = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    vg__ing_session_interchange(r->s, id);
    return VG_OK;
}

static enum vg_status on_message(void *user, const struct vg_edifact_message *msg)
{
    struct edi_reader *r = user;
    enum vg_status st = interchange_row(r, msg);
    if (st != VG_OK) {
        return st;
    }
    vg_arena_reset(&r->arena);
    struct ing_document doc;
    vg__ing_doc_init(&doc, &r->arena);
    doc.format = "EDIFACT";
    doc.msg_type = vg_arena_strndup(&r->arena, msg->type, strlen(msg->type));
    char version[64];
    snprintf(version, sizeof(version), "%s:%s:%s%s%s", msg->version, msg->release, msg->agency,
             msg->association[0] ? ":" : "", msg->association);
    doc.msg_version = vg_arena_strndup(&r->arena, version, strlen(version));
    doc.msg_ref = vg_arena_strndup(&r->arena, msg->ref, strlen(msg->ref));
    const char *sender = msg->group != NULL && msg->group->sender[0] ? msg->group->sender
                         : msg->interchange->present && msg->interchange->sender[0]
                             ? msg->interchange->sender
                             : NULL;
    doc.sender = sender != NULL ? vg_arena_strndup(&r->arena, sender, strlen(sender)) : NULL;
    doc.raw = msg->raw.ptr;
    doc.raw_len = msg->raw.len;
    doc.offset = (int64_t)msg->offset;
    doc.line = msg->line;
    doc.has_digest = true;
    vg_edifact_message_digest(msg, doc.digest);
    doc.prepared_at = msg->interchange->prepared_at;

    r->ctx.oom = false;
    message_zone(&r->ctx, msg);
    const char *t = msg->type;
    bool mapped = true;
    if (strcmp(t, "CUSCAR") == 0) {
        st = vg__edi_map_cuscar(&r->ctx, msg, &doc);
    } else if (strcmp(t, "CODECO") == 0) {
        st = vg__edi_map_codeco(&r->ctx, msg, &doc);
    } else if (strcmp(t, "COARRI") == 0) {
        st = vg__edi_map_coarri(&r->ctx, msg, &doc);
    } else if (strcmp(t, "COPRAR") == 0) {
        st = vg__edi_map_coprar(&r->ctx, msg, &doc);
    } else if (strcmp(t, "BAPLIE") == 0) {
        st = vg__edi_map_baplie(&r->ctx, msg, &doc);
    } else if (strcmp(t, "IFTSTA") == 0) {
        st = vg__edi_map_iftsta(&r->ctx, msg, &doc);
    } else {
        /* Kept as received: the raw message is the record. */
        mapped = false;
        doc.kind = ING_DOC_EVENTS;
        struct ing_source src = { 1, (int64_t)msg->offset, msg->line, NULL };
        char detail[128];
        snprintf(detail, sizeof(detail), "message type %s is not mapped by vigia; kept as received",
                 msg->type);
        st = vg__ing_note(&doc, &src, "unmapped_message_type", "UNH S009", msg->type,
                          "CUSCAR, BAPLIE, CODECO, COARRI, COPRAR or IFTSTA", detail);
        for (size_t i = 0; i < msg->nsegments && st == VG_OK; i++) {
            if (!vg_edifact_is(&msg->segments[i], "BGM")) {
                continue;
            }
            vg__edi_bgm(&r->ctx, &doc, &msg->segments[i]);
        }
    }
    if (st == VG_OK && !r->ctx.zone_known && mapped) {
        struct ing_source src = { 1, (int64_t)msg->offset, msg->line, NULL };
        st = vg__ing_note(&doc, &src, "no_local_port", "LOC", NULL, "a port of the message",
                          "no port tells the local time of this message's dates; read as UTC");
    }
    /* Notes the syntax layer raised about this message. */
    size_t keep = 0;
    for (size_t i = 0; i < r->nnotes && st == VG_OK; i++) {
        struct pending_note *n = &r->notes[i];
        if (n->message_offset == msg->offset) {
            st = vg__ing_note(&doc, &n->src, note_kind(n->kind), n->field[0] ? n->field : NULL,
                              n->value[0] ? n->value : NULL, n->expected[0] ? n->expected : NULL,
                              n->detail);
        } else {
            r->notes[keep++] = *n;
        }
    }
    r->nnotes = keep;
    if (st == VG_ENOMEM || r->ctx.oom) {
        vg__ing_doc_release(&doc);
        return vg_error_set(r->err, VG_ENOMEM, "out of memory mapping %s", msg->type);
    }
    enum ing_outcome out;
    st = vg__ing_write(r->s, &doc, &out, r->err);
    vg__ing_doc_release(&doc);
    if (st == VG_OK) {
        st = vg__ing_batch_tick(r->s, r->err);
    }
    return st;
}

static enum vg_status on_reject(void *user, const struct vg_edifact_issue *issue)
{
    struct edi_reader *r = user;
    return vg__ing_reject(r->s, issue->error, "EDIFACT",
                          issue->message != NULL ? issue->message->ref : NULL, issue->excerpt.ptr,
                          issue->excerpt.len, r->err);
}

static enum vg_status on_note(void *user, const struct vg_edifact_issue *issue)
{
    struct edi_reader *r = user;
    struct ing_source src = { (int32_t)issue->error->item, (int64_t)issue->error->offset,
                              issue->error->line, NULL };
    if (issue->scope == VG_EDIFACT_SCOPE_MESSAGE && issue->message != NULL) {
        if (r->nnotes == r->capnotes) {
            size_t ncap = r->capnotes ? r->capnotes * 2 : 16;
            struct pending_note *nn = vg_reallocarray(r->notes, ncap, sizeof(*nn));
            if (nn == NULL) {
                return vg_error_set(r->err, VG_ENOMEM, "out of memory");
            }
            r->notes = nn;
            r->capnotes = ncap;
        }
        struct pending_note *n = &r->notes[r->nnotes++];
        memset(n, 0, sizeof(*n));
        n->message_offset = issue->message->offset;
        n->src = src;
        snprintf(n->kind, sizeof(n->kind), "%s", issue->kind);
        snprintf(n->field, sizeof(n->field), "%s", issue->field ? issue->field : "");
        snprintf(n->value, sizeof(n->value), "%s", issue->value ? issue->value : "");
        snprintf(n->expected, sizeof(n->expected), "%s", issue->expected ? issue->expected : "");
        snprintf(n->detail, sizeof(n->detail), "%s", issue->error->message);
        return VG_OK;
    }
    return vg__ing_finding(r->s, 0, &src, note_kind(issue->kind), issue->field, issue->value,
                           issue->expected, issue->error->message, r->err);
}

enum vg_status vg__ing_read_edifact(struct ing_session *s, const struct ing_file *f,
                                    struct vg_error *err)
{
    struct edi_reader r;
    memset(&r, 0, sizeof(r));
    r.s = s;
    r.f = f;
    r.err = err;
    r.ctx.s = s;
    r.ctx.f = f;
    vg_buf_init(&r.ctx.text, 1u << 20);
    vg_arena_init(&r.arena, 1 << 16, 512u << 20);
    struct vg_edifact_handler h = { on_message, on_reject, on_note, &r };
    struct vg_edifact_stats stats;
    struct vg_error perr;
    vg_error_clear(&perr);
    struct vg_edifact_options po = { 0 };
    if (s->opts.tolerate_counts) {
        po.flags |= VG_EDIFACT_TOLERATE_COUNTS;
    }
    enum vg_status st = vg_edifact_parse(f->data, f->len, f->path, &po, &h, &stats, &perr);
    if (st != VG_OK && err != NULL && err->code == VG_OK) {
        *err = perr;
    }
    /* Notes about messages that never arrived (rejected ones) are kept on their own. */
    for (size_t i = 0; i < r.nnotes && st == VG_OK; i++) {
        struct pending_note *n = &r.notes[i];
        st = vg__ing_finding(s, 0, &n->src, note_kind(n->kind), n->field[0] ? n->field : NULL,
                             n->value[0] ? n->value : NULL, n->expected[0] ? n->expected : NULL,
                             n->detail, err);
    }
    vg_free(r.notes);
    vg_arena_release(&r.arena);
    vg_buf_release(&r.ctx.text);
    return st;
}
