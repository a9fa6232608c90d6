/*
 * The two sides of an ingest (emit.h). The read side (a reader: EDIFACT, CSV, JSON, a
 * workbook's sheets) turns a file into a sequence of items: a document with its interchange,
 * a reject, a finding about no document. The write side writes each item through the
 * session, in that order. A file read on the calling thread (vg__ing_read_here: a one-thread
 * run, a small buffer) has its items written as soon as they are made. Otherwise a run's
 * files are read ahead on a second thread into a ring of item slots while the calling
 * thread writes them (vg__ing_read_ahead): the next file is opened, digested, parsed and
 * mapped while this one is written, so the machine's other core takes the reading and
 * mapping and a folder of small files pipelines as a large file does. The store sees the
 * same statements in the same order either way, so batches, row ids, findings and callbacks
 * are the same, and the callbacks and the store connection stay on the calling thread.
 */
#include "ingest/emit.h"
#include "ingest/session_int.h"
#include "ingest/zipxml.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/file.h>

/* Item slots between the two sides. The read side runs several times faster than the
 * write side, but it shares the second processor with the checkpoint thread (checkpoint.c):
 * while a checkpoint of a large batch copies the log, the read side falls behind for a
 * while. With 8 slots the writer waited 1.1-1.3 s for items in bench_ingest at 1.5 million
 * containers; with 64, 0.01-0.03 s. Each slot keeps its arena (about 1 MB for a loading
 * report of 2,000 containers, 64 KB for most messages). */
#define PIPELINE_SLOTS 64
/* Largest rejected excerpt kept (as vg__ing_reject keeps). */
#define EXCERPT_MAX 2048

/* What an item is. A file read ahead comes as FILE_BEGIN, its items, FILE_END; its bytes
 * pass to the write side at FILE_BEGIN, which keeps them until FILE_END, even when it skips
 * or drops the file's items: the read side parses them after handing them over. */
enum item_kind {
    ITEM_MESSAGE, /* doc, with the interchange it came in */
    ITEM_REJECT,  /* reason, format, ref, excerpt */
    ITEM_NOTE,    /* a finding about no message */
    ITEM_LABEL,   /* findings name path from here on (NULL: the file's own) */
    /* A run read ahead (vg__ing_read_ahead): */
    ITEM_END,            /* the run's files are all read */
    ITEM_FILE_BEGIN,     /* a file read ahead: path, file, format, digest; its items follow */
    ITEM_FILE_END,       /* its reading ended: status and error */
    ITEM_FILE_OTHER,     /* a file read on the write side: path, file, digest */
    ITEM_FILE_DONE,      /* a file read whole before (same content): path, file */
    ITEM_FAILED,         /* an entry that could not be read: status and error */
    ITEM_ARCHIVE_BEGIN,  /* a zip archive of files: path, size, digest; its members follow */
    ITEM_ARCHIVE_END,    /* its members are all read */
    ITEM_MEMBER_REFUSED, /* a member that cannot be read: path, digest, error */
};

struct item_note {
    struct ing_source src;
    char kind[48], field[48], value[96], expected[96], detail[256];
};

struct ing_item {
    enum item_kind kind;
    struct vg_arena arena; /* the document's strings and the excerpt; reset per use */
    struct ing_document doc;
    bool doc_live; /* doc holds a buffer to release */
    struct vg_edifact_interchange ic;
    struct vg_error error; /* REJECT: the reason; FILE_END, FAILED: what stopped the read */
    enum vg_status status; /* FILE_END, FAILED, END */
    const char *format;    /* REJECT: as read; FILE_BEGIN: the file's (static strings) */
    bool has_ref;
    char ref[VG_EDIFACT_REF_SIZE];
    const char *excerpt;
    size_t excerpt_len;
    struct item_note note;
    /* FILE_BEGIN, FILE_OTHER: the file, its mapping owned by the item until the write side
     * takes it (then zeroed here); decoded: file holds what the compressed file of that
     * digest holds. */
    const char *path;
    struct vg_file file;
    uint8_t digest[VG_DIGEST_SIZE];
    bool decoded;
    size_t size; /* ARCHIVE_BEGIN: the archive's bytes; a file decoded: its own */
    /* FILE_BEGIN, FILE_OTHER, FILE_DONE, ARCHIVE_BEGIN: the status of the path of the run
     * it is (not valid for a member of an archive, nor for a file known by its status) */
    struct vg__file_stat stat;
};

/* The ring between the read thread (puts) and the write thread (takes). */
struct ing_queue {
    pthread_mutex_t mu;
    pthread_cond_t can_put, can_take;
    struct ing_item *slots;
    size_t nslots, head, count;
    bool stop; /* the write side gave up: the read side must end */
};

/* The write side: the session, the file being written, the interchange last recorded. */
struct ing_writer {
    struct ing_session *s;
    const struct ing_file *f;
    struct vg_error *err;
    uint64_t interchange_offset;
    bool interchange_seen;
    bool skipping; /* a run read ahead: dropping the items of a file found unchanged */
    char label[VG_ERROR_SOURCE_MAX]; /* what findings name when not the file's path */
    /* A run read ahead: the archives open (outermost first), and while an archive found
     * unchanged is dropped, the depth of archives being dropped. */
    struct ing_archive archives[ING_ARCHIVE_DEPTH];
    int narchives, dropping;
};

/* ---- write side ----------------------------------------------------------------------- */

static enum vg_status interchange_row(struct ing_writer *w, const struct vg_edifact_interchange *ic)
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

static void item_clear(struct ing_item *it)
{
    if (it->doc_live) {
        vg__ing_doc_release(&it->doc);
        it->doc_live = false;
    }
}

static const char *or_null(const char *s)
{
    return s[0] != '\0' ? s : NULL;
}

/* Writes one item of a file (a message, a reject, a note) through the session. */
static enum vg_status write_item(struct ing_writer *w, struct ing_item *it)
{
    enum vg_status st = VG_OK;
    switch (it->kind) {
    case ITEM_MESSAGE: {
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
    case ITEM_REJECT:
        st = vg__ing_reject(w->s, &it->error, it->format, it->has_ref ? it->ref : NULL, it->excerpt,
                            it->excerpt_len, w->err);
        break;
    case ITEM_NOTE: {
        const struct item_note *n = &it->note;
        st = vg__ing_finding(w->s, 0, &n->src, n->kind, or_null(n->field), or_null(n->value),
                             or_null(n->expected), n->detail, w->err);
        break;
    }
    case ITEM_LABEL:
        if (it->path != NULL) {
            snprintf(w->label, sizeof(w->label), "%s", it->path);
        }
        vg__ing_session_file(w->s, w->f->file_id, it->path != NULL ? w->label : w->f->path);
        break;
    case ITEM_END:
    case ITEM_FILE_BEGIN:
    case ITEM_FILE_END:
    case ITEM_FILE_OTHER:
    case ITEM_FILE_DONE:
    case ITEM_FAILED:
    case ITEM_ARCHIVE_BEGIN:
    case ITEM_ARCHIVE_END:
    case ITEM_MEMBER_REFUSED:
        break; /* the run's own items: write_run_item */
    }
    item_clear(it);
    return st;
}

/* ---- the ring ------------------------------------------------------------------------- */

/* The next free slot for the read side; NULL when the write side has stopped. */
static struct ing_item *queue_slot(struct ing_queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->count == q->nslots && !q->stop) {
        pthread_cond_wait(&q->can_put, &q->mu);
    }
    struct ing_item *it = q->stop ? NULL : &q->slots[(q->head + q->count) % q->nslots];
    pthread_mutex_unlock(&q->mu);
    return it;
}

static void queue_put(struct ing_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->count++;
    pthread_cond_signal(&q->can_take);
    pthread_mutex_unlock(&q->mu);
}

static struct ing_item *queue_take(struct ing_queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->count == 0) {
        pthread_cond_wait(&q->can_take, &q->mu);
    }
    struct ing_item *it = &q->slots[q->head];
    pthread_mutex_unlock(&q->mu);
    return it;
}

/* The read side, faster, waits whenever the ring is full; it is woken when half the ring
 * is free again, not at every slot, so that a wake-up (a system call and a switch on
 * both threads) is paid once per half ring instead of once per item. */
static void queue_done(struct ing_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->head = (q->head + 1) % q->nslots;
    q->count--;
    if (q->count == q->nslots / 2) {
        pthread_cond_signal(&q->can_put);
    }
    pthread_mutex_unlock(&q->mu);
}

/* The write side gives up: the read side ends at its next item. */
static void queue_stop(struct ing_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->stop = true;
    pthread_cond_signal(&q->can_put);
    pthread_mutex_unlock(&q->mu);
}

/* ---- emitting items (emit.h) ------------------------------------------------------------ */

/* A slot to fill, of the given kind; NULL when the write side has stopped. */
static struct ing_item *item_begin(struct ing_emit *e, enum item_kind kind)
{
    assert(e->open == NULL);
    struct ing_item *it = e->q != NULL ? queue_slot(e->q) : e->single;
    if (it != NULL) {
        vg_arena_reset(&it->arena);
        it->kind = kind;
    }
    return it;
}

/* Hands the filled slot over: written now (on the calling thread) or queued. */
static enum vg_status item_end(struct ing_emit *e, struct ing_item *it)
{
    if (e->q == NULL) {
        return write_item(e->w, it);
    }
    queue_put(e->q);
    return VG_OK;
}

struct ing_document *vg__ing_emit_begin(struct ing_emit *e)
{
    struct ing_item *it = item_begin(e, ITEM_MESSAGE);
    if (it == NULL) {
        return NULL;
    }
    vg__ing_doc_init(&it->doc, &it->arena);
    it->doc_live = true;
    e->open = it;
    return &it->doc;
}

void vg__ing_emit_drop(struct ing_emit *e)
{
    if (e->open != NULL) {
        item_clear(e->open);
        e->open = NULL;
    }
}

/* A document queued for the other thread keeps nothing outside its slot, and what can be
 * derived from it alone is derived here, not on the writer's thread: its name keys
 * (vg__ing_doc_prepare), its digest, its raw bytes compressed, or copied into the slot's
 * arena when they are kept as sent. */
static enum vg_status doc_detach(struct ing_emit *e, struct ing_document *doc)
{
    if (vg__ing_doc_prepare(doc) != VG_OK) {
        return VG_ENOMEM;
    }
    if (!doc->has_digest) {
        vg_digest(doc->raw, doc->raw_len, doc->digest);
        doc->has_digest = true;
    }
    if (e->packer == NULL) {
        doc->raw = NULL; /* raw bytes not kept: the writer binds none */
        return VG_OK;
    }
    vg__ing_doc_pack_raw(doc, e->packer);
    if (doc->raw_codec == NULL && doc->stored_raw_len > 0) {
        void *copy = vg_arena_alloc(doc->arena, doc->stored_raw_len);
        if (copy == NULL) {
            return VG_ENOMEM;
        }
        memcpy(copy, doc->stored_raw, doc->stored_raw_len);
        doc->stored_raw = copy;
    }
    /* The bytes as sent where they were kept so, else none: the writer reads neither. */
    doc->raw = doc->raw_codec == NULL ? doc->stored_raw : NULL;
    return VG_OK;
}

enum vg_status vg__ing_emit_doc(struct ing_emit *e, const struct vg_edifact_interchange *ic)
{
    struct ing_item *it = e->open;
    assert(it != NULL);
    e->open = NULL;
    if (ic != NULL) {
        it->ic = *ic;
    } else {
        memset(&it->ic, 0, sizeof(it->ic));
    }
    if (e->q != NULL && doc_detach(e, &it->doc) != VG_OK) {
        item_clear(it);
        return VG_ENOMEM;
    }
    return item_end(e, it);
}

enum vg_status vg__ing_emit_reject(struct ing_emit *e,
                                   const struct vg_error *why,
                                   const char *format,
                                   const char *ref,
                                   const char *excerpt,
                                   size_t excerpt_len)
{
    struct ing_item *it = item_begin(e, ITEM_REJECT);
    if (it == NULL) {
        return ING_EMIT_STOPPED;
    }
    it->error = *why;
    it->format = format;
    it->has_ref = ref != NULL;
    if (it->has_ref) {
        snprintf(it->ref, sizeof(it->ref), "%s", ref);
    }
    it->excerpt = NULL;
    it->excerpt_len = 0;
    if (excerpt != NULL) {
        size_t n = excerpt_len > EXCERPT_MAX ? EXCERPT_MAX : excerpt_len;
        char *copy = vg_arena_alloc(&it->arena, n + 1);
        if (copy == NULL) {
            return VG_ENOMEM;
        }
        memcpy(copy, excerpt, n);
        copy[n] = '\0';
        it->excerpt = copy;
        it->excerpt_len = n;
    }
    return item_end(e, it);
}

enum vg_status vg__ing_emit_note(struct ing_emit *e,
                                 const struct ing_source *src,
                                 const char *kind,
                                 const char *field,
                                 const char *value,
                                 const char *expected,
                                 const char *detail)
{
    struct ing_item *it = item_begin(e, ITEM_NOTE);
    if (it == NULL) {
        return ING_EMIT_STOPPED;
    }
    struct item_note *n = &it->note;
    n->src = *src;
    snprintf(n->kind, sizeof(n->kind), "%s", kind);
    snprintf(n->field, sizeof(n->field), "%s", field != NULL ? field : "");
    snprintf(n->value, sizeof(n->value), "%s", value != NULL ? value : "");
    snprintf(n->expected, sizeof(n->expected), "%s", expected != NULL ? expected : "");
    snprintf(n->detail, sizeof(n->detail), "%s", detail != NULL ? detail : "");
    return item_end(e, it);
}

enum vg_status vg__ing_emit_label(struct ing_emit *e, const char *label)
{
    struct ing_item *it = item_begin(e, ITEM_LABEL);
    if (it == NULL) {
        return ING_EMIT_STOPPED;
    }
    it->path = NULL;
    if (label != NULL && (it->path = vg_arena_strndup(&it->arena, label, strlen(label))) == NULL) {
        return VG_ENOMEM;
    }
    return item_end(e, it);
}

enum vg_status vg__ing_read_here(struct ing_session *s,
                                 const struct ing_file *f,
                                 ing_read_fn read,
                                 struct vg_error *err)
{
    struct ing_writer w = { .s = s, .f = f, .err = err };
    struct ing_item single;
    memset(&single, 0, sizeof(single));
    vg_arena_init(&single.arena, 1 << 16, 512u << 20);
    struct ing_emit e = { .tolerate_counts = s->opts.tolerate_counts, .single = &single, .w = &w };
    enum vg_status st = read(&e, f, err);
    vg__ing_emit_drop(&e);
    item_clear(&single);
    vg_arena_release(&single.arena);
    return st;
}

/* ---- a run read ahead ----------------------------------------------------------------- */

/* The read-ahead side: the run's entries, the file being read, what stopped its reading,
 * the names it made for archive members (archive!member: they outlive the items that name
 * them, freed when the run ends). Never touches the session or the store (it asks its own
 * read-only connection, probe, whether a file was read whole before). */
struct ahead {
    struct ing_emit emit;
    const struct ing_entry *entries;
    size_t nentries;
    struct ing_file file;
    struct vg_error err;
    struct vg__file_probe *probe;
    const struct vg__file_stat *entry_stat; /* the status of the path being read */
    struct vg_arena labels;                 /* the names of archive members (member_label) */
};

/* The status an item about a file at depth (0: a path of the run) carries: the path's, or
 * none (NULL) for a member of an archive. */
static const struct vg__file_stat *stat_at(const struct ahead *a, int depth)
{
    return depth == 0 ? a->entry_stat : NULL;
}

/* Prepares an empty ring of PIPELINE_SLOTS; false when out of memory or threading
 * resources (nothing to release then). */
static bool queue_init(struct ing_queue *q)
{
    memset(q, 0, sizeof(*q));
    q->nslots = PIPELINE_SLOTS;
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
static void queue_release(struct ing_queue *q)
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

/* Queues an item about a whole file (FAILED; FILE_BEGIN with its format, FILE_OTHER,
 * FILE_DONE with its digest; decoded when file holds what a compressed file of own bytes
 * holds); false when the write side has stopped. The item takes the mapping when it is
 * queued; otherwise the file is closed here. */
static bool put_file_item(struct ahead *a,
                          enum item_kind kind,
                          const char *path,
                          struct vg_file *file,
                          bool decoded,
                          size_t own,
                          const char *format,
                          enum vg_status st,
                          const struct vg_error *e,
                          const uint8_t *digest,
                          const struct vg__file_stat *stat)
{
    struct ing_item *it = item_begin(&a->emit, kind);
    if (it == NULL) {
        vg_file_close(file);
        return false;
    }
    it->decoded = decoded;
    it->size = decoded ? own : 0;
    it->format = format;
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
    it->stat = stat != NULL ? *stat : (struct vg__file_stat){ false, 0, 0, 0, 0, 0, NULL };
    item_end(&a->emit, it);
    return true;
}

/* A gzip or Zstandard file is decompressed here, on the read-ahead side, so that an
 * archived feed is read ahead as a plain one is (on the write side it took 60% more time).
 * On success *file holds the decompressed content (on the heap) and true is returned; a
 * file that does not decompress is left as it is, for the write side to refuse with the
 * reason. */
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

ing_read_fn vg__ing_reader_of(const char *format)
{
    if (strcmp(format, "edifact") == 0) {
        return vg__ing_read_edifact;
    }
    if (strcmp(format, "json") == 0) {
        return vg__ing_read_json;
    }
    if (strncmp(format, "csv-", 4) == 0) {
        return vg__ing_read_csv;
    }
    if (strcmp(format, "xlsx") == 0 || strcmp(format, "ods") == 0 || strcmp(format, "xls") == 0) {
        return vg__ing_read_book;
    }
    return NULL;
}

/* A copy of a member's name (archive!member), kept until the run ends: the items that name it
 * outlive the slot; NULL when out of memory. */
static const char *member_label(struct ahead *a, const char *label)
{
    return vg_arena_strndup(&a->labels, label, strlen(label));
}

/* Queues an item about an archive (ARCHIVE_BEGIN with its size and digest, ARCHIVE_END) or
 * a member that cannot be read (MEMBER_REFUSED: its digest and why); false when the write
 * side has stopped. */
static bool put_archive_item(struct ahead *a,
                             enum item_kind kind,
                             const char *path,
                             size_t size,
                             const uint8_t *digest,
                             const struct vg_error *why,
                             const struct vg__file_stat *stat)
{
    struct ing_item *it = item_begin(&a->emit, kind);
    if (it == NULL) {
        return false;
    }
    it->path = path;
    it->size = size;
    it->stat = stat != NULL ? *stat : (struct vg__file_stat){ false, 0, 0, 0, 0, 0, NULL };
    memset(&it->file, 0, sizeof(it->file));
    if (digest != NULL) {
        memcpy(it->digest, digest, VG_DIGEST_SIZE);
    }
    if (why != NULL) {
        it->error = *why;
    }
    item_end(&a->emit, it);
    return true;
}

static bool ahead_file(struct ahead *a, const char *label, struct vg_file *file, int depth);

/* The zip archive z of files at label (file, digest: its content's), read member by member as
 * the writing side's ingest_zip reads it: each member a file of its own (ahead_file), one that
 * cannot be read handed over to be refused. false when the run must stop. */
static bool ahead_archive(struct ahead *a,
                          const char *label,
                          const struct vg_file *file,
                          const uint8_t *digest,
                          zip_t *z,
                          int depth)
{
    if (!put_archive_item(a, ITEM_ARCHIVE_BEGIN, label, file->len, digest, NULL,
                          stat_at(a, depth))) {
        return false;
    }
    struct vg_error why;
    struct vg__zx_reader r = { z, NULL, vg__ing_decompressed_max(file->len), "zip", &why };
    struct vg_buf member;
    vg_buf_init(&member, r.budget);
    zip_int64_t n = zip_get_num_entries(z, 0);
    bool go = true;
    for (zip_int64_t i = 0; i < n && go; i++) {
        char text[VG_ERROR_SOURCE_MAX];
        uint8_t md[VG_DIGEST_SIZE];
        enum vg_status ms = vg__zx_member(&r, (zip_uint64_t)i, label, digest, text, &member, md);
        if (ms == VG_ENOTFOUND) {
            continue; /* a folder */
        }
        const char *ml = member_label(a, text);
        if (ml != NULL && (ms == VG_EFORMAT || ms == VG_ELIMIT)) {
            go = put_archive_item(a, ITEM_MEMBER_REFUSED, ml, 0, md, &why, NULL);
            continue;
        }
        size_t len = 0;
        char *data = ms == VG_OK && ml != NULL ? vg_buf_detach(&member, &len) : NULL;
        if (data == NULL) {
            if (ms == VG_OK || ml == NULL) {
                ms = vg_error_set(&why, VG_ENOMEM, "out of memory reading %s", text);
            }
            struct vg_file none;
            memset(&none, 0, sizeof(none));
            put_file_item(a, ITEM_FAILED, ml, &none, false, 0, NULL, ms, &why, NULL, NULL);
            go = false;
            break;
        }
        struct vg_file mf = { data, len, VG_FILE_HEAP };
        go = ahead_file(a, ml, &mf, depth + 1);
    }
    vg_buf_release(&member);
    return go && put_archive_item(a, ITEM_ARCHIVE_END, label, 0, NULL, NULL, NULL);
}

/* A workbook (file; z: the zip archive open on it, NULL for an OLE2 file) read here into b
 * when it is read as the writing side would read it: its format ("xlsx", "ods", "xls").
 * NULL (b empty) for one that cannot be read, or has no sheet of a layout: the writing side
 * takes it whole, to refuse or skip it with the reason (reading it again: such files are
 * rare and small). */
static const char *ahead_book(const struct vg_file *file, zip_t *z, struct ing_book *b)
{
    struct vg_error why;
    vg_error_clear(&why);
    const char *format = NULL;
    if (vg__ing_book_read(file->data, file->len, z, b, &format, &why) != VG_OK) {
        return NULL;
    }
    if (b->known == 0) {
        vg__ing_book_release(b);
        return NULL;
    }
    return format;
}

/* One file of the run (a path's, or a member of an archive read here: label names it), its
 * bytes in *file (taken): its digest; skipped when read whole before; decompressed; a zip
 * archive of files read member by member (down to ING_ARCHIVE_DEPTH); one of the formats
 * read ahead handed over with its items (FILE_BEGIN, the items, FILE_END); anything else
 * handed over whole. false when the run must stop (the write side stopped, or the reading
 * failed). */
static bool ahead_file(struct ahead *a, const char *label, struct vg_file *file, int depth)
{
    /* The digest of every file is taken here, off the writer's path; a file read whole
     * before (committed) is not read, nor handed over whole. */
    uint8_t digest[VG_DIGEST_SIZE];
    vg_digest(file->data, file->len, digest);
    bool done = vg__store_file_probe_done(a->probe, digest);
    const size_t own = file->len;
    bool decoded = !done && decode_file(file);
    struct ing_book book;
    memset(&book, 0, sizeof(book));
    const char *book_format = NULL;
    if (!done && vg__zx_magic(file->data, file->len)) {
        zip_t *z = vg__zx_open(file->data, file->len, "zip", NULL);
        enum vg__zx_kind zk = z != NULL ? vg__zx_kind(z) : VG__ZX_FILES;
        if (z != NULL && zk == VG__ZX_FILES && depth < ING_ARCHIVE_DEPTH) {
            bool go = ahead_archive(a, label, file, digest, z, depth);
            zip_discard(z);
            vg_file_close(file);
            return go;
        }
        if (z != NULL && zk != VG__ZX_FILES) {
            book_format = ahead_book(file, z, &book);
        }
        if (z != NULL) {
            zip_discard(z);
        }
    } else if (!done && vg__ing_ole2_magic(file->data, file->len)) {
        book_format = ahead_book(file, NULL, &book);
    }
    const char *format = done                  ? NULL
                         : book_format != NULL ? book_format
                                               : vg__ing_ahead_format(file->data, file->len);
    enum item_kind kind = done             ? ITEM_FILE_DONE
                          : format != NULL ? ITEM_FILE_BEGIN
                                           : ITEM_FILE_OTHER;
    const char *data = file->data;
    size_t len = file->len;
    if (!put_file_item(a, kind, label, file, decoded, own, format, VG_OK, NULL, digest,
                       stat_at(a, depth))) {
        vg__ing_book_release(&book);
        return false;
    }
    if (kind != ITEM_FILE_BEGIN) {
        return true;
    }
    a->file = (struct ing_file){ label, data, len, 0, 0, 0, book_format != NULL ? &book : NULL };
    vg_error_clear(&a->err);
    enum vg_status st = vg__ing_reader_of(format)(&a->emit, &a->file, &a->err);
    vg__ing_emit_drop(&a->emit);
    vg__ing_book_release(&book);
    struct ing_item *it = item_begin(&a->emit, ITEM_FILE_END);
    if (it == NULL) {
        return false;
    }
    it->status = st;
    it->error = a->err;
    item_end(&a->emit, it);
    return st == VG_OK; /* the write side stops at a FILE_END that failed */
}

/* The read-ahead thread: each entry in turn (ahead_file), then END. */
static void *read_ahead_thread(void *arg)
{
    struct ahead *a = arg;
    for (size_t i = 0; i < a->nentries; i++) {
        const struct ing_entry *e = &a->entries[i];
        struct vg_file file;
        memset(&file, 0, sizeof(file));
        struct vg_error oerr;
        vg_error_clear(&oerr);
        enum vg_status st = e->failed ? e->error.code : VG_OK;
        a->entry_stat = &e->stat;
        if (st == VG_OK && vg__store_file_probe_stat(a->probe, &e->stat)) {
            /* Known by its status as a file read whole before: not even opened. */
            file = (struct vg_file){ NULL, (size_t)e->stat.size, VG_FILE_STATIC };
            if (!put_file_item(a, ITEM_FILE_DONE, e->path, &file, false, 0, NULL, VG_OK, NULL, NULL,
                               NULL)) {
                return NULL;
            }
            continue;
        }
        if (st == VG_OK && e->data != NULL) {
            file = (struct vg_file){ e->data, e->len, VG_FILE_STATIC };
        } else if (st == VG_OK) {
            st = vg_file_open(e->path, &file, &oerr);
        }
        if (st != VG_OK) {
            put_file_item(a, ITEM_FAILED, e->path, &file, false, 0, NULL, st,
                          e->failed ? &e->error : &oerr, NULL, NULL);
            return NULL; /* the write side stops there */
        }
        if (!ahead_file(a, e->path, &file, 0)) {
            return NULL;
        }
    }
    struct ing_item *it = item_begin(&a->emit, ITEM_END);
    if (it != NULL) {
        it->status = VG_OK;
        item_end(&a->emit, it);
    }
    return NULL;
}

/* The write side of a run read ahead: one item, through ops for the whole-file ones. cur
 * is the file being written (its mapping, taken from its FILE_BEGIN), in_file whether
 * there is one; w->skipping while the items of a file found unchanged at its FILE_BEGIN
 * are dropped. *end is set at the run's END. */
static enum vg_status run_item(struct ing_writer *w,
                               const struct ing_file_ops *ops,
                               struct ing_item *it,
                               struct ing_file *wf,
                               struct vg_file *cur,
                               bool *in_file,
                               bool *end)
{
    struct ing_session *s = w->s;
    enum vg_status st = VG_OK;
    if (w->dropping > 0 && it->kind != ITEM_ARCHIVE_BEGIN && it->kind != ITEM_ARCHIVE_END &&
        it->kind != ITEM_FAILED && it->kind != ITEM_END) {
        /* Of an archive read whole before, earlier in this run. The read-ahead side parses a
         * file's bytes after handing them over at its FILE_BEGIN: they are kept until its
         * FILE_END, as for a file written. */
        if (it->kind == ITEM_FILE_BEGIN) {
            *cur = it->file;
            memset(&it->file, 0, sizeof(it->file));
        } else if (it->kind == ITEM_FILE_END) {
            vg_file_close(cur);
        }
        item_clear(it);
        vg_file_close(&it->file);
        return VG_OK;
    }
    switch (it->kind) {
    case ITEM_ARCHIVE_BEGIN: {
        if (w->dropping > 0) {
            w->dropping++;
            return VG_OK;
        }
        struct ing_archive *ar = &w->archives[w->narchives];
        st = vg__ing_archive_open(s, it->path, it->size, it->digest, ar, w->err);
        if (st == VG_OK && ar->unchanged) {
            w->dropping = 1;
        } else if (st == VG_OK) {
            w->narchives++;
        }
        return st;
    }
    case ITEM_ARCHIVE_END:
        if (w->dropping > 0) {
            w->dropping--;
            return VG_OK;
        }
        return vg__ing_archive_close(s, &w->archives[--w->narchives], VG_OK, w->err);
    case ITEM_MEMBER_REFUSED:
        return vg__ing_member_refused(s, it->path, it->digest, &it->error, w->err);
    case ITEM_FILE_BEGIN:
        *cur = it->file;
        memset(&it->file, 0, sizeof(it->file));
        *wf = (struct ing_file){ it->path, cur->data, cur->len, 0, 0, 0, NULL };
        w->interchange_seen = false;
        st = ops->begin(s, wf, it->format, it->digest, &w->skipping, w->err);
        *in_file = st == VG_OK && !w->skipping;
        return st; /* cur, failed, is closed once the read-ahead side has stopped */
    case ITEM_FILE_END:
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
    case ITEM_FILE_OTHER:
        st = (it->decoded ? ops->decoded : ops->other)(s, it->path, it->file.data, it->file.len,
                                                       it->digest, w->err);
        vg_file_close(&it->file);
        return st;
    case ITEM_FILE_DONE:
        st = ops->done(s, it->path, it->file.len, it->digest, w->err);
        vg_file_close(&it->file);
        return st;
    case ITEM_FAILED:
        if (w->err != NULL) {
            *w->err = it->error;
        }
        return it->status;
    case ITEM_END:
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

bool vg__ing_read_ahead(struct ing_session *s,
                        const struct ing_entry *entries,
                        size_t n,
                        const struct ing_file_ops *ops,
                        enum vg_status *out,
                        struct vg_error *err)
{
    struct ahead a;
    memset(&a, 0, sizeof(a));
    a.entries = entries;
    a.nentries = n;
    a.emit.tolerate_counts = s->opts.tolerate_counts;
    vg_arena_init(&a.labels, 0, 0);
    vg_error_clear(&a.err);
    /* The read-ahead thread compresses its documents with a packer of its own: the
     * session's is the writing thread's, for the files it reads itself meanwhile. */
    struct ing_queue q;
    bool queued = false, started = false;
    if (vg__store_file_probe_open(s->store, &a.probe, NULL) == VG_OK &&
        (s->opts.no_raw || (a.emit.packer = vg__raw_packer_new()) != NULL) && queue_init(&q)) {
        queued = true;
        a.emit.q = &q;
        pthread_t tid;
        started = pthread_create(&tid, NULL, read_ahead_thread, &a) == 0;
        if (started) {
            struct ing_file wf = { NULL, NULL, 0, 0, 0, 0, NULL };
            struct vg_file cur;
            memset(&cur, 0, sizeof(cur));
            struct ing_writer w = { .s = s, .f = &wf, .err = err };
            bool in_file = false, end = false;
            enum vg_status st = VG_OK;
            while (!end && st == VG_OK) {
                struct ing_item *it = queue_take(&q);
                /* A path's status is there for its registration to take (ops). */
                bool path_item = it->kind == ITEM_FILE_BEGIN || it->kind == ITEM_FILE_OTHER ||
                                 it->kind == ITEM_FILE_DONE || it->kind == ITEM_ARCHIVE_BEGIN;
                if (path_item) {
                    s->entry_stat = it->stat;
                }
                if (it->decoded) {
                    s->entry_bytes = it->size; /* counted as it came (ingest_data) */
                }
                st = run_item(&w, ops, it, &wf, &cur, &in_file, &end);
                s->entry_stat.valid = false;
                s->entry_bytes = 0;
                queue_done(&q);
            }
            queue_stop(&q);
            pthread_join(tid, NULL);
            if (in_file) {
                /* Stopped inside a file (a write failed): as its reading failing. */
                st = ops->end(s, st, err);
            }
            /* The read-ahead side may have been parsing it until it stopped. */
            vg_file_close(&cur);
            *out = st;
        }
        queue_release(&q);
    }
    if (!queued) {
        /* Out of memory (or of threading resources) before anything was read. */
        *out = vg_error_set(err, VG_ENOMEM, "out of memory reading ahead");
        started = true;
    }
    vg_arena_release(&a.labels);
    vg__raw_packer_free(a.emit.packer);
    vg__store_file_probe_close(a.probe);
    return started;
}
