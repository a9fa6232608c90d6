/*
 * EDIFACT files into the store: the syntax layer (vigia/edifact.h) checks envelopes and
 * hands over whole, correct messages; each is mapped by its type (CUSCAR, CODECO, COARRI,
 * COPRAR, BAPLIE, IFTSTA) and handed to the write side (emit.h). Rejected messages and
 * envelopes are handed over with their position and reason; data-quality notes of the
 * syntax layer become findings of their message. A message type vigia does not map is
 * kept as received (raw, with a finding), never dropped.
 */
#include "ingest/edi_int.h"
#include "ingest/emit.h"

#include <stdio.h>
#include <string.h>
#include <vigia/alloc.h>

bool vg__ing_edifact_sniff(const char *data, size_t len);

bool vg__ing_edifact_sniff(const char *data, size_t len)
{
    return vg_edifact_sniff(data, len);
}

/* A data-quality note of the syntax layer about a message, kept until the message is
 * mapped (then a finding of it) or found rejected (then a finding of the file). */
struct pending_note {
    uint64_t message_offset;
    struct ing_source src;
    char kind[48], field[48], value[96], expected[96], detail[256];
};

/* The EDIFACT reader: the mappers' context, notes waiting for their message, where the
 * items go, what stopped it. */
struct edi_reader {
    struct ing_emit *e;
    struct edi_ctx ctx;
    struct vg_error *err;
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

/* ---- write side ----------------------------------------------------------------------- */

/* The port whose local time the message's dates are in: the header's port (departure,
 * loading, the terminal's place...) before any per-container place. */
static void message_zone(struct edi_ctx *c, const struct vg_edifact_message *msg)
{
    static const char *const order[] = { "165", "5", "9", "11", "60", "175" };
    size_t header_end = msg->nsegments;
    for (size_t i = 1; i < msg->nsegments; i++) {
        const struct vg_edifact_segment *seg = &msg->segments[i];
        if (vg_edifact_is(seg, "EQD") || vg_edifact_is(seg, "CNI") || vg_edifact_is(seg, "GID") ||
            vg_edifact_is(seg, "STS") ||
            (vg_edifact_is(seg, "LOC") && vg__edi_is(seg, 1, 0, "147"))) {
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


/* Maps msg into doc (in its arena). VG_ENOMEM when memory ran out. */
static enum vg_status
map_message(struct edi_reader *r, const struct vg_edifact_message *msg, struct ing_document *doc)
{
    struct vg_arena *arena = doc->arena;
    doc->format = "EDIFACT";
    doc->msg_type = vg_arena_strndup(arena, msg->type, strlen(msg->type));
    char version[64];
    snprintf(version, sizeof(version), "%s:%s:%s%s%s", msg->version, msg->release, msg->agency,
             msg->association[0] ? ":" : "", msg->association);
    doc->msg_version = vg_arena_strndup(arena, version, strlen(version));
    doc->msg_ref = vg_arena_strndup(arena, msg->ref, strlen(msg->ref));
    const char *sender = msg->group != NULL && msg->group->sender[0] ? msg->group->sender
                         : msg->interchange->present && msg->interchange->sender[0]
                             ? msg->interchange->sender
                             : NULL;
    doc->sender = sender != NULL ? vg_arena_strndup(arena, sender, strlen(sender)) : NULL;
    doc->raw = msg->raw.ptr;
    doc->raw_len = msg->raw.len;
    doc->offset = (int64_t)msg->offset;
    doc->line = msg->line;
    doc->has_digest = true;
    vg_edifact_message_digest(msg, doc->digest);
    doc->prepared_at = msg->interchange->prepared_at;

    r->ctx.oom = false;
    message_zone(&r->ctx, msg);
    const char *t = msg->type;
    bool mapped = true;
    enum vg_status st;
    if (strcmp(t, "CUSCAR") == 0) {
        st = vg__edi_map_cuscar(&r->ctx, msg, doc);
    } else if (strcmp(t, "CODECO") == 0) {
        st = vg__edi_map_codeco(&r->ctx, msg, doc);
    } else if (strcmp(t, "COARRI") == 0) {
        st = vg__edi_map_coarri(&r->ctx, msg, doc);
    } else if (strcmp(t, "COPRAR") == 0) {
        st = vg__edi_map_coprar(&r->ctx, msg, doc);
    } else if (strcmp(t, "BAPLIE") == 0) {
        st = vg__edi_map_baplie(&r->ctx, msg, doc);
    } else if (strcmp(t, "IFTSTA") == 0) {
        st = vg__edi_map_iftsta(&r->ctx, msg, doc);
    } else {
        /* Kept as received: the raw message is the record. */
        mapped = false;
        doc->kind = ING_DOC_EVENTS;
        struct ing_source src = { 1, (int64_t)msg->offset, msg->line, NULL };
        char detail[128];
        snprintf(detail, sizeof(detail), "message type %s is not mapped by vigia; kept as received",
                 msg->type);
        st = vg__ing_note(doc, &src, "unmapped_message_type", "UNH S009", msg->type,
                          "CUSCAR, BAPLIE, CODECO, COARRI, COPRAR or IFTSTA", detail);
        for (size_t i = 0; i < msg->nsegments && st == VG_OK; i++) {
            if (!vg_edifact_is(&msg->segments[i], "BGM")) {
                continue;
            }
            vg__edi_bgm(&r->ctx, doc, &msg->segments[i]);
        }
    }
    if (st == VG_OK && !r->ctx.zone_known && mapped) {
        struct ing_source src = { 1, (int64_t)msg->offset, msg->line, NULL };
        st = vg__ing_note(doc, &src, "no_local_port", "LOC", NULL, "a port of the message",
                          "no port tells the local time of this message's dates; read as UTC");
    }
    /* Notes the syntax layer raised about this message. */
    size_t keep = 0;
    for (size_t i = 0; i < r->nnotes && st == VG_OK; i++) {
        struct pending_note *n = &r->notes[i];
        if (n->message_offset == msg->offset) {
            st = vg__ing_note(doc, &n->src, note_kind(n->kind), n->field[0] ? n->field : NULL,
                              n->value[0] ? n->value : NULL, n->expected[0] ? n->expected : NULL,
                              n->detail);
        } else {
            r->notes[keep++] = *n;
        }
    }
    if (st == VG_OK) {
        r->nnotes = keep;
        st = vg__ing_doc_prepare(doc);
    }
    if (st == VG_ENOMEM || r->ctx.oom || doc->msg_type == NULL || doc->msg_version == NULL ||
        doc->msg_ref == NULL || (sender != NULL && doc->sender == NULL)) {
        return vg_error_set(r->err, VG_ENOMEM, "out of memory mapping %s", msg->type);
    }
    return st;
}

static enum vg_status on_message(void *user, const struct vg_edifact_message *msg)
{
    struct edi_reader *r = user;
    struct ing_document *doc = vg__ing_emit_begin(r->e);
    if (doc == NULL) {
        return ING_EMIT_STOPPED;
    }
    enum vg_status st = map_message(r, msg, doc);
    if (st != VG_OK) {
        vg__ing_emit_drop(r->e);
        return st;
    }
    return vg__ing_emit_doc(r->e, msg->interchange);
}

static enum vg_status on_reject(void *user, const struct vg_edifact_issue *issue)
{
    struct edi_reader *r = user;
    return vg__ing_emit_reject(r->e, issue->error, "EDIFACT",
                               issue->message != NULL ? issue->message->ref : NULL,
                               issue->excerpt.ptr, issue->excerpt.len);
}

static void note_copy(struct pending_note *n, const struct vg_edifact_issue *issue)
{
    memset(n, 0, sizeof(*n));
    n->message_offset = issue->message != NULL ? issue->message->offset : 0;
    n->src = (struct ing_source){ (int32_t)issue->error->item, (int64_t)issue->error->offset,
                                  issue->error->line, NULL };
    snprintf(n->kind, sizeof(n->kind), "%s", issue->kind);
    snprintf(n->field, sizeof(n->field), "%s", issue->field ? issue->field : "");
    snprintf(n->value, sizeof(n->value), "%s", issue->value ? issue->value : "");
    snprintf(n->expected, sizeof(n->expected), "%s", issue->expected ? issue->expected : "");
    snprintf(n->detail, sizeof(n->detail), "%s", issue->error->message);
}

/* A note as a finding of the file (about no message). */
static enum vg_status emit_note(struct edi_reader *r, const struct pending_note *n)
{
    return vg__ing_emit_note(r->e, &n->src, note_kind(n->kind), n->field, n->value, n->expected,
                             n->detail);
}

static enum vg_status on_note(void *user, const struct vg_edifact_issue *issue)
{
    struct edi_reader *r = user;
    if (issue->scope == VG_EDIFACT_SCOPE_MESSAGE && issue->message != NULL) {
        /* Kept until its message is mapped, then a finding of that message. */
        if (r->nnotes == r->capnotes) {
            size_t ncap = r->capnotes ? r->capnotes * 2 : 16;
            struct pending_note *nn = vg_reallocarray(r->notes, ncap, sizeof(*nn));
            if (nn == NULL) {
                return vg_error_set(r->err, VG_ENOMEM, "out of memory");
            }
            r->notes = nn;
            r->capnotes = ncap;
        }
        note_copy(&r->notes[r->nnotes++], issue);
        return VG_OK;
    }
    struct pending_note n;
    note_copy(&n, issue);
    return emit_note(r, &n);
}

enum vg_status
vg__ing_read_edifact(struct ing_emit *e, const struct ing_file *f, struct vg_error *err)
{
    struct edi_reader r;
    memset(&r, 0, sizeof(r));
    r.e = e;
    r.err = err;
    r.ctx.f = f;
    vg_buf_init(&r.ctx.text, 1u << 20);
    struct vg_edifact_handler h = { on_message, on_reject, on_note, &r };
    struct vg_edifact_stats stats;
    struct vg_error perr;
    vg_error_clear(&perr);
    struct vg_edifact_options po = { 0 };
    if (e->tolerate_counts) {
        po.flags |= VG_EDIFACT_TOLERATE_COUNTS;
    }
    enum vg_status st = vg_edifact_parse(f->data, f->len, f->path, &po, &h, &stats, &perr);
    if (st != VG_OK && err != NULL && err->code == VG_OK) {
        *err = perr;
    }
    /* Notes about messages that never arrived (rejected ones) are kept on their own. */
    for (size_t i = 0; i < r.nnotes && st == VG_OK; i++) {
        st = emit_note(&r, &r.notes[i]);
    }
    vg_free(r.notes);
    vg_buf_release(&r.ctx.text);
    return st;
}
