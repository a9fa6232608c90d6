/*
 * EDIFACT files into the store: the syntax layer (vigia/edifact.h) checks envelopes and
 * hands over whole, correct messages; each is mapped by its type (CUSCAR, CODECO, COARRI,
 * COPRAR, BAPLIE, IFTSTA) and written. Rejected messages and envelopes are recorded with
 * their position and reason; data-quality notes of the syntax layer become findings of
 * their message. A message type vigia does not map is kept as received (raw, with a
 * finding), never dropped.
 *
 * Two sides, one order. The parse side (syntax layer and mappers) turns the file into a
 * sequence of items: a mapped message with its interchange, a reject, a finding about no
 * message. The write side writes each item through the session, in that order. A small
 * buffer, or any file of a one-thread run, is read on the calling thread, each item written
 * as soon as it is made. Otherwise the parsing runs on a second thread into a ring of item
 * slots while the calling thread writes them (the machine's other core takes the parsing
 * and mapping, a tenth to a fifth of the work): a run's files are read ahead one after the
 * other (vg__ing_read_ahead: the next file is opened, digested and parsed while this one
 * is written, so a folder of small files pipelines as a large file does), a large buffer
 * (vg_ingest_buffer) as a run of one. The store sees the same statements in the same order either way, so batches, row
 * ids, findings and callbacks are the same, and the callbacks and the store connection
 * stay on the calling thread.
 */
#include "ingest/edi_int.h"
#include "ingest/session_int.h"

#include <vigia/alloc.h>
#include <vigia/file.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

bool vg__ing_edifact_sniff(const char *data, size_t len);
enum vg_status vg__ing_read_edifact(struct ing_session *s, const struct ing_file *f,
                                    struct vg_error *err);

bool vg__ing_edifact_sniff(const char *data, size_t len)
{
    return vg_edifact_sniff(data, len);
}

/* Item slots between the two sides. The parse side runs several times faster than the
 * write side, but it shares the second processor with the checkpoint thread (checkpoint.c):
 * while a checkpoint of a large batch copies the log, the parse side falls behind for a
 * while. With 8 slots the writer waited 1.1-1.3 s for items in bench_ingest at 1.5 million
 * containers; with 64, 0.01-0.03 s. Each slot keeps its arena (about 1 MB for a loading
 * report of 2,000 containers, 64 KB for most messages). */
#define EDI_PIPELINE_SLOTS 64
/* Largest rejected excerpt kept (as vg__ing_reject keeps). */
#define EDI_EXCERPT_MAX 2048

struct pending_note {
    uint64_t message_offset;
    struct ing_source src;
    char kind[48], field[48], value[96], expected[96], detail[256];
};

enum edi_item_kind {
    EDI_ITEM_MESSAGE, /* doc, with the interchange it came in */
    EDI_ITEM_REJECT,  /* reason, ref, excerpt */
    EDI_ITEM_NOTE,    /* a finding about no message */
    /* A run read ahead (vg__ing_read_ahead): */
    EDI_ITEM_END,        /* the run's files are all read */
    EDI_ITEM_FILE_BEGIN, /* an EDIFACT file: path, file, digest; its items follow */
    EDI_ITEM_FILE_END,   /* its parse ended: status and error */
    EDI_ITEM_FILE_OTHER, /* a file of another format: path, file, digest */
    EDI_ITEM_FILE_DONE,  /* a file read whole before (same content): path, file */
    EDI_ITEM_FAILED,     /* an entry that could not be read: status and error */
};

struct edi_item {
    enum edi_item_kind kind;
    struct vg_arena arena; /* the document's strings and the excerpt; reset per use */
    struct ing_document doc;
    bool doc_live;         /* doc holds a buffer to release */
    struct vg_edifact_interchange ic;
    struct vg_error error; /* REJECT: the reason; END: what stopped the parse */
    enum vg_status status; /* END */
    bool has_ref;
    char ref[VG_EDIFACT_REF_SIZE];
    const char *excerpt;
    size_t excerpt_len;
    struct pending_note note;
    /* FILE_BEGIN, FILE_OTHER: the file, its mapping owned by the item until the write side
     * takes it (then zeroed here); decoded: file holds what the compressed file of that
     * digest holds. */
    const char *path;
    struct vg_file file;
    uint8_t digest[VG_DIGEST_SIZE];
    bool decoded;
};

/* The ring between the parse thread (puts) and the write thread (takes). */
struct edi_queue {
    pthread_mutex_t mu;
    pthread_cond_t can_put, can_take;
    struct edi_item *slots;
    size_t nslots, head, count;
    bool stop; /* the write side gave up: the parse side must end */
};

/* The write side: the session, the interchange last recorded. */
struct edi_writer {
    struct ing_session *s;
    const struct ing_file *f;
    struct vg_error *err;
    uint64_t interchange_offset;
    bool interchange_seen;
    bool skipping; /* a run read ahead: dropping the items of a file found unchanged */
};

/* The parse side: mappers' context, notes waiting for their message, the item being
 * made. Never touches the session or the store (a run read ahead asks its own read-only
 * connection, probe, whether a file was read whole before). */
struct edi_reader {
    const struct ing_file *f;
    bool tolerate_counts;
    struct edi_ctx ctx;
    struct vg_error err; /* what stopped the parse side (out of memory) */
    struct pending_note *notes;
    size_t nnotes, capnotes;
    /* Sequential: the one slot, written at once by w. Pipelined: the queue. */
    struct edi_item *single;
    struct edi_writer *w;
    struct edi_queue *q;
    struct vg__raw_packer *packer; /* the session's (NULL: raw bytes not kept); used by the
                                    * parse thread of a pipelined file only */
    /* A run read ahead: its entries, and the file being parsed. */
    const struct ing_entry *entries;
    size_t nentries;
    struct ing_file file;
    struct vg__file_probe *probe;
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

static enum vg_status interchange_row(struct edi_writer *w, const struct vg_edifact_interchange *ic)
{
    if (!ic->present) {
        vg__ing_session_interchange(w->s, 0);
        return VG_OK;
    }
    if (w->interchange_seen && ic->offset == w->interchange_offset) {
        return VG_OK;
    }
    w->interchange_seen = true;
    w->interchange_offset = ic->offset;
    w->s->report->interchanges++;
    static const char ins_sql[] =
        "INSERT OR IGNORE INTO interchanges(file_id, sender, recipient, control_ref, prepared_at,"
        " syntax, syntax_version, charset, byte_offset) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)";
    static const char sel_sql[] =
        "SELECT id FROM interchanges WHERE file_id = ?1 AND byte_offset = ?2";
    sqlite3_stmt *st = vg__store_stmt(w->s->store, ins_sql, w->err);
    if (st == NULL) {
        return w->err != NULL ? w->err->code : VG_EDB;
    }
    sqlite3_bind_int64(st, 1, w->f->file_id);
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
        return vg__store_error(w->s->store, rc, "recording an interchange", w->err);
    }
    if (sqlite3_changes(w->s->store->db) > 0) {
        w->s->batch_changes++;
    }
    st = vg__store_stmt(w->s->store, sel_sql, w->err);
    if (st == NULL) {
        return w->err != NULL ? w->err->code : VG_EDB;
    }
    sqlite3_bind_int64(st, 1, w->f->file_id);
    sqlite3_bind_int64(st, 2, (int64_t)ic->offset);
    int64_t id = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    vg__ing_session_interchange(w->s, id);
    return VG_OK;
}

static void item_clear(struct edi_item *it)
{
    if (it->doc_live) {
        vg__ing_doc_release(&it->doc);
        it->doc_live = false;
    }
}

/* Writes one item of a file (a message, a reject, a note) through the session. */
static enum vg_status write_item(struct edi_writer *w, struct edi_item *it)
{
    enum vg_status st = VG_OK;
    switch (it->kind) {
    case EDI_ITEM_MESSAGE: {
        st = interchange_row(w, &it->ic);
        if (st == VG_OK) {
            enum ing_outcome out;
            st = vg__ing_write(w->s, &it->doc, &out, w->err);
        }
        if (st == VG_OK) {
            st = vg__ing_batch_tick(w->s, w->err);
        }
        break;
    }
    case EDI_ITEM_REJECT:
        st = vg__ing_reject(w->s, &it->error, "EDIFACT", it->has_ref ? it->ref : NULL,
                            it->excerpt, it->excerpt_len, w->err);
        break;
    case EDI_ITEM_NOTE: {
        const struct pending_note *n = &it->note;
        st = vg__ing_finding(w->s, 0, &n->src, note_kind(n->kind), n->field[0] ? n->field : NULL,
                             n->value[0] ? n->value : NULL, n->expected[0] ? n->expected : NULL,
                             n->detail, w->err);
        break;
    }
    case EDI_ITEM_END:
    case EDI_ITEM_FILE_BEGIN:
    case EDI_ITEM_FILE_END:
    case EDI_ITEM_FILE_OTHER:
    case EDI_ITEM_FILE_DONE:
    case EDI_ITEM_FAILED:
        break; /* the run's own items: write_run_item */
    }
    item_clear(it);
    return st;
}

/* ---- the ring ------------------------------------------------------------------------- */

/* The next free slot for the parse side; NULL when the write side has stopped. */
static struct edi_item *queue_slot(struct edi_queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->count == q->nslots && !q->stop) {
        pthread_cond_wait(&q->can_put, &q->mu);
    }
    struct edi_item *it = q->stop ? NULL : &q->slots[(q->head + q->count) % q->nslots];
    pthread_mutex_unlock(&q->mu);
    return it;
}

static void queue_put(struct edi_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->count++;
    pthread_cond_signal(&q->can_take);
    pthread_mutex_unlock(&q->mu);
}

static struct edi_item *queue_take(struct edi_queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->count == 0) {
        pthread_cond_wait(&q->can_take, &q->mu);
    }
    struct edi_item *it = &q->slots[q->head];
    pthread_mutex_unlock(&q->mu);
    return it;
}

/* The parse side, faster, waits whenever the ring is full; it is woken when half the ring
 * is free again, not at every slot, so that a wake-up (a system call and a switch on
 * both threads) is paid once per half ring instead of once per item. */
static void queue_done(struct edi_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->head = (q->head + 1) % q->nslots;
    q->count--;
    if (q->count == q->nslots / 2) {
        pthread_cond_signal(&q->can_put);
    }
    pthread_mutex_unlock(&q->mu);
}

/* The write side gives up: the parse side ends at its next item. */
static void queue_stop(struct edi_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->stop = true;
    pthread_cond_signal(&q->can_put);
    pthread_mutex_unlock(&q->mu);
}

/* ---- parse side ----------------------------------------------------------------------- */

/* A slot to fill, of the given kind; NULL when the write side has stopped. */
static struct edi_item *item_begin(struct edi_reader *r, enum edi_item_kind kind)
{
    struct edi_item *it = r->q != NULL ? queue_slot(r->q) : r->single;
    if (it != NULL) {
        vg_arena_reset(&it->arena);
        it->kind = kind;
    }
    return it;
}

/* Hands the filled slot over: written now (sequential) or queued (pipelined). A status
 * other than VG_OK stops the parse. */
static enum vg_status item_end(struct edi_reader *r, struct edi_item *it)
{
    if (r->q == NULL) {
        return write_item(r->w, it);
    }
    queue_put(r->q);
    return VG_OK;
}

/* The status that stops the parse once the write side has stopped (its own error is
 * already in the caller's vg_error). */
#define EDI_STOPPED VG_EINVAL

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
static enum vg_status map_message(struct edi_reader *r, const struct vg_edifact_message *msg,
                                  struct ing_document *doc)
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
    /* A pipelined file's messages are compressed here, on the parse thread, not by the
     * writer; on one thread the writer compresses only the messages it stores (not the
     * duplicates of a file read again). */
    if (r->q != NULL) {
        vg__ing_doc_pack_raw(doc, r->packer);
    }
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
        return vg_error_set(&r->err, VG_ENOMEM, "out of memory mapping %s", msg->type);
    }
    return st;
}

static enum vg_status on_message(void *user, const struct vg_edifact_message *msg)
{
    struct edi_reader *r = user;
    struct edi_item *it = item_begin(r, EDI_ITEM_MESSAGE);
    if (it == NULL) {
        return EDI_STOPPED;
    }
    it->ic = *msg->interchange;
    vg__ing_doc_init(&it->doc, &it->arena);
    it->doc_live = true;
    enum vg_status st = map_message(r, msg, &it->doc);
    if (st != VG_OK) {
        item_clear(it);
        return st;
    }
    return item_end(r, it);
}

static enum vg_status on_reject(void *user, const struct vg_edifact_issue *issue)
{
    struct edi_reader *r = user;
    struct edi_item *it = item_begin(r, EDI_ITEM_REJECT);
    if (it == NULL) {
        return EDI_STOPPED;
    }
    it->error = *issue->error;
    it->has_ref = issue->message != NULL;
    if (it->has_ref) {
        snprintf(it->ref, sizeof(it->ref), "%s", issue->message->ref);
    }
    it->excerpt = NULL;
    it->excerpt_len = 0;
    if (issue->excerpt.ptr != NULL) {
        size_t n = issue->excerpt.len > EDI_EXCERPT_MAX ? EDI_EXCERPT_MAX : issue->excerpt.len;
        char *copy = vg_arena_alloc(&it->arena, n + 1);
        if (copy == NULL) {
            return vg_error_set(&r->err, VG_ENOMEM, "out of memory keeping a reject");
        }
        memcpy(copy, issue->excerpt.ptr, n);
        copy[n] = '\0';
        it->excerpt = copy;
        it->excerpt_len = n;
    }
    return item_end(r, it);
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

static enum vg_status emit_note(struct edi_reader *r, const struct pending_note *n)
{
    struct edi_item *it = item_begin(r, EDI_ITEM_NOTE);
    if (it == NULL) {
        return EDI_STOPPED;
    }
    it->note = *n;
    return item_end(r, it);
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
                return vg_error_set(&r->err, VG_ENOMEM, "out of memory");
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

/* The whole parse side: every item of the file, then END. */
static enum vg_status parse_file(struct edi_reader *r)
{
    struct vg_edifact_handler h = { on_message, on_reject, on_note, r };
    struct vg_edifact_stats stats;
    struct vg_error perr;
    vg_error_clear(&perr);
    struct vg_edifact_options po = { 0 };
    if (r->tolerate_counts) {
        po.flags |= VG_EDIFACT_TOLERATE_COUNTS;
    }
    enum vg_status st = vg_edifact_parse(r->f->data, r->f->len, r->f->path, &po, &h, &stats, &perr);
    if (st != VG_OK && r->err.code == VG_OK) {
        r->err = perr;
    }
    /* Notes about messages that never arrived (rejected ones) are kept on their own. */
    for (size_t i = 0; i < r->nnotes && st == VG_OK; i++) {
        st = emit_note(r, &r->notes[i]);
    }
    return st;
}

/* Prepares an empty ring of EDI_PIPELINE_SLOTS; false when out of memory or threading
 * resources (nothing to release then). */
static bool queue_init(struct edi_queue *q)
{
    memset(q, 0, sizeof(*q));
    q->nslots = EDI_PIPELINE_SLOTS;
    q->slots = vg_calloc(q->nslots, sizeof(*q->slots));
    if (q->slots == NULL) {
        return false;
    }
    for (size_t i = 0; i < q->nslots; i++) {
        vg_arena_init(&q->slots[i].arena, 1 << 16, 512u << 20);
    }
    if (pthread_mutex_init(&q->mu, NULL) == 0) {
        if (pthread_cond_init(&q->can_put, NULL) == 0) {
            if (pthread_cond_init(&q->can_take, NULL) == 0) {
                return true;
            }
            pthread_cond_destroy(&q->can_put);
        }
        pthread_mutex_destroy(&q->mu);
    }
    for (size_t i = 0; i < q->nslots; i++) {
        vg_arena_release(&q->slots[i].arena);
    }
    vg_free(q->slots);
    return false;
}

/* Frees the ring, with what items the write side never took still hold (it stopped on an
 * error): documents and file mappings. */
static void queue_release(struct edi_queue *q)
{
    pthread_cond_destroy(&q->can_take);
    pthread_cond_destroy(&q->can_put);
    pthread_mutex_destroy(&q->mu);
    for (size_t i = 0; i < q->nslots; i++) {
        item_clear(&q->slots[i]);
        vg_file_close(&q->slots[i].file);
        vg_arena_release(&q->slots[i].arena);
    }
    vg_free(q->slots);
}

/* ---- a run read ahead ----------------------------------------------------------------- */

/* Queues an item about a whole file (FAILED; FILE_BEGIN, FILE_OTHER, FILE_DONE with its
 * digest; decoded when file holds what a compressed file holds); false when the write side
 * has stopped. The item takes the mapping when it is queued; otherwise the file is closed
 * here. */
static bool put_file_item(struct edi_reader *r,
                          enum edi_item_kind kind,
                          const char *path,
                          struct vg_file *file,
                          bool decoded,
                          enum vg_status st,
                          const struct vg_error *e,
                          const uint8_t *digest)
{
    struct edi_item *it = item_begin(r, kind);
    if (it == NULL) {
        vg_file_close(file);
        return false;
    }
    it->decoded = decoded;
    it->path = path;
    it->status = st;
    if (e != NULL) {
        it->error = *e;
    }
    it->file = *file;
    memset(file, 0, sizeof(*file));
    if (digest != NULL) {
        memcpy(it->digest, digest, VG_DIGEST_SIZE);
    }
    item_end(r, it);
    return true;
}

/* A gzip or Zstandard file is decompressed here, on the read-ahead side, so that an
 * archived EDIFACT feed is parsed ahead as a plain one is (on the write side it took 60%
 * more time). On success *file holds the decompressed content (on the heap) and true is
 * returned; a file that does not decompress is left as it is, for the write side to refuse
 * with the reason. */
static bool decode_file(struct vg_file *file)
{
    enum ing_compression c = vg__ing_compression(file->data, file->len);
    if (c == ING_PLAIN) {
        return false;
    }
    struct vg_buf plain;
    vg_buf_init(&plain, vg__ing_decompressed_max(file->len));
    struct vg_error why;
    vg_error_clear(&why);
    size_t len = 0;
    char *data = NULL;
    if (vg__ing_decompress(c, "", file->data, file->len, &plain, &why) != VG_OK ||
        (data = vg_buf_detach(&plain, &len)) == NULL) {
        vg_buf_release(&plain);
        return false;
    }
    vg_file_close(file);
    *file = (struct vg_file){ data, len, VG_FILE_HEAP };
    return true;
}

/* The read-ahead thread: each entry in turn, then END. The file of a FILE_BEGIN is parsed
 * into the items that follow it; after its FILE_END it is the write side's alone. */
static void *read_ahead_thread(void *arg)
{
    struct edi_reader *r = arg;
    for (size_t i = 0; i < r->nentries; i++) {
        const struct ing_entry *e = &r->entries[i];
        struct vg_file file;
        memset(&file, 0, sizeof(file));
        struct vg_error oerr;
        vg_error_clear(&oerr);
        enum vg_status st = e->failed ? e->error.code : VG_OK;
        if (st == VG_OK && e->data != NULL) {
            file = (struct vg_file){ e->data, e->len, VG_FILE_STATIC };
        } else if (st == VG_OK) {
            st = vg_file_open(e->path, &file, &oerr);
        }
        if (st != VG_OK) {
            put_file_item(r, EDI_ITEM_FAILED, e->path, &file, false, st,
                          e->failed ? &e->error : &oerr, NULL);
            return NULL; /* the write side stops there */
        }
        /* The digest of every file is taken here, off the writer's path; a file read whole
         * before (committed) is not parsed, nor handed over whole. */
        uint8_t digest[VG_DIGEST_SIZE];
        vg_digest(file.data, file.len, digest);
        bool done = vg__store_file_probe_done(r->probe, digest);
        bool decoded = !done && decode_file(&file);
        bool edifact = vg__ing_edifact_sniff(file.data, file.len);
        enum edi_item_kind kind = done      ? EDI_ITEM_FILE_DONE
                                  : edifact ? EDI_ITEM_FILE_BEGIN
                                            : EDI_ITEM_FILE_OTHER;
        const char *data = file.data;
        size_t len = file.len;
        if (!put_file_item(r, kind, e->path, &file, decoded, VG_OK, NULL, digest)) {
            return NULL;
        }
        if (kind != EDI_ITEM_FILE_BEGIN) {
            continue;
        }
        r->file = (struct ing_file){ e->path, data, len, 0, 0, 0 };
        r->nnotes = 0;
        vg_error_clear(&r->err);
        st = parse_file(r);
        struct edi_item *it = item_begin(r, EDI_ITEM_FILE_END);
        if (it == NULL) {
            return NULL;
        }
        it->status = st;
        it->error = r->err;
        item_end(r, it);
        if (st != VG_OK) {
            return NULL; /* the write side stops at that FILE_END */
        }
    }
    struct edi_item *it = item_begin(r, EDI_ITEM_END);
    if (it != NULL) {
        it->status = VG_OK;
        item_end(r, it);
    }
    return NULL;
}

/* The write side of a run read ahead: one item, through ops for the whole-file ones. cur
 * is the EDIFACT file being written (its mapping, taken from its FILE_BEGIN), in_file
 * whether there is one; w->skipping while the items of a file found unchanged at its
 * FILE_BEGIN are dropped. *end is set at the run's END. */
static enum vg_status write_run_item(struct edi_writer *w, const struct ing_file_ops *ops,
                                     struct edi_item *it, struct ing_file *wf,
                                     struct vg_file *cur, bool *in_file, bool *end)
{
    struct ing_session *s = w->s;
    enum vg_status st = VG_OK;
    switch (it->kind) {
    case EDI_ITEM_FILE_BEGIN:
        *cur = it->file;
        memset(&it->file, 0, sizeof(it->file));
        *wf = (struct ing_file){ it->path, cur->data, cur->len, 0, 0, 0 };
        w->interchange_seen = false;
        st = ops->begin(s, wf, it->digest, &w->skipping, w->err);
        *in_file = st == VG_OK && !w->skipping;
        if (st != VG_OK) {
            vg_file_close(cur);
        }
        return st;
    case EDI_ITEM_FILE_END:
        st = it->status;
        if (st != VG_OK && w->err != NULL && w->err->code == VG_OK) {
            *w->err = it->error;
        }
        if (!w->skipping) {
            st = ops->end(s, st, w->err);
        }
        *in_file = w->skipping = false;
        vg_file_close(cur);
        return st;
    case EDI_ITEM_FILE_OTHER:
        st = (it->decoded ? ops->decoded : ops->other)(s, it->path, it->file.data, it->file.len,
                                                       it->digest, w->err);
        vg_file_close(&it->file);
        return st;
    case EDI_ITEM_FILE_DONE:
        ops->done(s, it->file.len);
        vg_file_close(&it->file);
        return VG_OK;
    case EDI_ITEM_FAILED:
        if (w->err != NULL) {
            *w->err = it->error;
        }
        return it->status;
    case EDI_ITEM_END:
        *end = true;
        return it->status;
    default:
        if (w->skipping) {
            item_clear(it); /* of a file read whole before, earlier in this run */
            return VG_OK;
        }
        return write_item(w, it);
    }
}

bool vg__ing_read_ahead(struct ing_session *s, const struct ing_entry *entries, size_t n,
                        const struct ing_file_ops *ops, enum vg_status *out,
                        struct vg_error *err)
{
    struct edi_reader r;
    memset(&r, 0, sizeof(r));
    r.entries = entries;
    r.nentries = n;
    r.f = &r.file;
    r.ctx.f = &r.file;
    r.tolerate_counts = s->opts.tolerate_counts;
    vg_error_clear(&r.err);
    vg_buf_init(&r.ctx.text, 1u << 20);
    /* The read-ahead thread compresses its messages with a packer of its own: the session's
     * is the writing thread's, for the files of other formats it reads meanwhile. */
    struct edi_queue q;
    bool queued = false, started = false;
    if (vg__store_file_probe_open(s->store, &r.probe, NULL) == VG_OK &&
        (s->opts.no_raw || (r.packer = vg__raw_packer_new()) != NULL) && queue_init(&q)) {
        queued = true;
        r.q = &q;
        pthread_t tid;
        started = pthread_create(&tid, NULL, read_ahead_thread, &r) == 0;
        if (started) {
            struct ing_file wf = { NULL, NULL, 0, 0, 0, 0 };
            struct vg_file cur;
            memset(&cur, 0, sizeof(cur));
            struct edi_writer w = { .s = s, .f = &wf, .err = err };
            bool in_file = false, end = false;
            enum vg_status st = VG_OK;
            while (!end && st == VG_OK) {
                struct edi_item *it = queue_take(&q);
                st = write_run_item(&w, ops, it, &wf, &cur, &in_file, &end);
                queue_done(&q);
            }
            queue_stop(&q);
            pthread_join(tid, NULL);
            if (in_file) {
                /* Stopped inside a file (a write failed): as its reading failing. */
                st = ops->end(s, st, err);
                vg_file_close(&cur);
            }
            *out = st;
        }
        queue_release(&q);
    }
    if (!queued) {
        /* Out of memory (or of threading resources) before anything was read. */
        *out = vg_error_set(err, VG_ENOMEM, "out of memory reading ahead");
        started = true;
    }
    vg_free(r.notes);
    vg_buf_release(&r.ctx.text);
    vg__raw_packer_free(r.packer);
    vg__store_file_probe_close(r.probe);
    return started;
}

enum vg_status vg__ing_read_edifact(struct ing_session *s, const struct ing_file *f,
                                    struct vg_error *err)
{
    struct edi_writer w = { .s = s, .f = f, .err = err };
    struct edi_reader r;
    memset(&r, 0, sizeof(r));
    r.f = f;
    r.tolerate_counts = s->opts.tolerate_counts;
    r.w = &w;
    r.packer = s->packer;
    r.ctx.f = f;
    vg_error_clear(&r.err);
    vg_buf_init(&r.ctx.text, 1u << 20);
    struct edi_item single;
    memset(&single, 0, sizeof(single));
    vg_arena_init(&single.arena, 1 << 16, 512u << 20);
    r.single = &single;
    enum vg_status st = parse_file(&r);
    if (st != VG_OK && err != NULL && err->code == VG_OK) {
        *err = r.err;
    }
    item_clear(&single);
    vg_arena_release(&single.arena);
    vg_free(r.notes);
    vg_buf_release(&r.ctx.text);
    return st;
}
