/* The ingest session's state, shared by the writer's files (not by the readers). */
#ifndef VIGIA_INGEST_SESSION_INT_H
#define VIGIA_INGEST_SESSION_INT_H

#include <vigia/audit.h>

#include "ingest/ingest_int.h"

struct vg_track_writer;
struct ing_checkpointer;
struct ing_writeback;

/* ---- background WAL checkpoints (checkpoint.c) -------------------------------------- */

/* Moves the store connection's automatic WAL checkpoints to a thread of their own (same
 * threshold, PASSIVE, own connection with synchronous=FULL) until stopped; *out gets the
 * handle, or NULL when the store has no file, is read-only or has automatic checkpoints
 * off (SQLite's own automatic checkpoint then stays). VG_ENOMEM when out of memory. */
enum vg_status vg__ing_checkpointer_start(struct vg_store *store, struct ing_checkpointer **out);
/* Finishes a checkpoint still asked for, joins the thread and restores the connection's
 * automatic checkpoint. NULL-safe. */
void vg__ing_checkpointer_stop(struct ing_checkpointer *c);
/* When the log has grown past a bound (checkpoint.c), waits for the checkpoint running,
 * so that the next transaction writes the log from its start. */
void vg__ing_checkpointer_settle(struct ing_checkpointer *c);

/* ---- early writeback of the store's files (writeback.c) ------------------------------- */

/* Starts a thread that has the kernel begin writing the database file at db_path and its
 * WAL to storage a few times per second, so that the session's commits and checkpoints find
 * their fsyncs mostly done (durability unchanged). *out NULL where unavailable (no file,
 * not Linux, the file cannot be opened). VG_ENOMEM when out of memory. */
enum vg_status vg__ing_writeback_start(const char *db_path, struct ing_writeback **out);
/* Stops and joins the thread, closes the files. NULL-safe. */
void vg__ing_writeback_stop(struct ing_writeback *w);

/* Messages per transaction when the caller gives no batch_size (the first batches; later
 * ones grow, ingest.c batch_limit), and how often progress is reported either way. */
enum { ING_DEFAULT_BATCH = 2000 };
/* The largest transaction batches grow to when the caller gives no max_batch: bounds what
 * a crash loses, and at 1.5 million containers in bench_ingest (105,750 messages) runs as
 * fast as unbounded growth or faster (wall 39.5-39.9 s against 40.1-45.8, two pairs; 16,384
 * likewise; 8,192 slower), for 0.45 GB more written (4.35 GB against 3.90). */
enum { ING_MAX_BATCH = 32768 };

/* The longest a batch stays open by default (ms; vg_ingest_options.max_batch_ms), whatever
 * it holds: its transaction holds the store's write lock, and every other writer (another
 * ingest, a recorded inspection) waits for it (the store's busy timeout, 60 s: store.c). A
 * batch of ING_MAX_BATCH messages took 12-15 s at 1.5 million containers, and a concurrent
 * ingest then failed on the 10 s it waited. */
enum { ING_BATCH_MAX_MS = 10000 };

/* ---- row buffers (rowbuf.c): rows written up to 64 per INSERT ----------------------- */

/* One value of a buffered row: type 0 is NULL, else SQLITE_INTEGER, SQLITE_FLOAT or
 * SQLITE_TEXT (t points into the session's row_text arena). */
struct ing_val {
    int type;
    int len;
    int64_t i;
    double d;
    const char *t;
};

#define ING_ROWBUF_SIZES 4

/* Rows per multi-row INSERT, largest first: n rows are written as 64s, then 16s, 4s, 1s. */
extern const int vg__ing_chunk_rows[ING_ROWBUF_SIZES];
/* The index in vg__ing_chunk_rows of the statement for the next of `left` rows (left > 0):
 * the largest that fits. */
int vg__ing_chunk_pick(size_t left);
/* The four statements of a multi-row INSERT (64, 16, 4 and 1 rows, as vg__ing_chunk_rows)
 * as string literals for an array: head ("INSERT ... INTO t(columns)"), then " VALUES" and
 * row (a parenthesised list of placeholders) repeated. */
#define ING_ROWS4(row) row "," row "," row "," row
#define ING_ROWS16(row) ING_ROWS4(row) "," ING_ROWS4(row) "," ING_ROWS4(row) "," ING_ROWS4(row)
#define ING_CHUNK_SQL(head, row)                                                           \
    {                                                                                      \
        head " VALUES" ING_ROWS16(row) "," ING_ROWS16(row) "," ING_ROWS16(row) ","            \
            ING_ROWS16(row),                                                               \
            head " VALUES" ING_ROWS16(row), head " VALUES" ING_ROWS4(row), head " VALUES" row \
    }

struct ing_rowbuf {
    const char *insert;  /* "INSERT [OR IGNORE] INTO table(columns)", static */
    int ncols;
    struct ing_val *vals; /* nrows * ncols */
    size_t nrows, cap;
    sqlite3_stmt *stmt[ING_ROWBUF_SIZES]; /* 64, 16, 4 and 1 rows, prepared on first use */
};

void vg__ing_rowbuf_init(struct ing_rowbuf *rb, const char *insert, int ncols);
/* Finalizes the statements and frees the rows. */
void vg__ing_rowbuf_release(struct ing_rowbuf *rb);
/* Appends a row of ncols NULL values to fill in; NULL on OOM. The pointer is valid until
 * the next add or flush. */
struct ing_val *vg__ing_rowbuf_add(struct ing_rowbuf *rb);
/* Inserts the buffered rows, in order, and empties the buffer. */
enum vg_status vg__ing_rowbuf_flush(struct vg_store *store, struct ing_rowbuf *rb,
                                    struct vg_error *err);
/* Inserts the rows from start on with one statement (the largest size that fits); *n gets
 * how many it took. sqlite3_changes then says how many went in. */
enum vg_status vg__ing_rowbuf_step(struct vg_store *store, struct ing_rowbuf *rb, size_t start,
                                   size_t *n, struct vg_error *err);
/* Value setters: x == null_value (int) or NaN (double) or NULL text leaves the value NULL.
 * Text is copied into arena; false on OOM. */
void vg__ing_val_int(struct ing_val *v, int64_t x, int64_t null_value);
void vg__ing_val_double(struct ing_val *v, double x);
bool vg__ing_val_text(struct vg_arena *arena, struct ing_val *v, const char *text);
/* The same without a copy, for text that outlives the row's insert: a static string or
 * one of the document being written (its rows are inserted before vg__ing_write returns,
 * vg__ing_party_link copies what it keeps longer). */
void vg__ing_val_text_kept(struct ing_val *v, const char *text);

enum ing_table {
    ING_T_PLACES,      /* consignment_places */
    ING_T_PARTIES,     /* consignment_parties */
    ING_T_EQUIPMENT,   /* consignment_equipment */
    ING_T_GOODS,       /* goods_items (ids assigned by the session) */
    ING_T_PLACEMENTS,  /* goods_placement */
    ING_T_EVENTS,      /* equipment_events (ids assigned by the session) */
    ING_T_SEALS,       /* seals */
    ING_T_COUNT
};

/* A key of party_consignments, collected over a batch (session.c). */
struct ing_party_link {
    int64_t party_id, consignment_id;
    const char *role; /* in the session's party_link_text arena */
};

struct ing_trip_pending {
    int64_t container_id, port_call_id;
    const char *port, *direction; /* in the session's trip_text arena */
    int64_t loaded_at, departure_at; /* VG_TIME_NONE: not given */
};

struct ing_session {
    struct vg_store *store;
    struct vg_track_writer *track; /* AIS positions buffered for the current batch */
    bool foreign_keys_off;         /* switched off for the session (session.c) */
    struct ing_checkpointer *checkpointer; /* WAL checkpoints off the writer, or NULL */
    struct ing_writeback *writeback;       /* early writeback of the files, or NULL */
    struct vg_ingest_options opts;
    /* Compresses raw message bytes (NULL with no_raw): used by the thread that reads a
     * file (the parse thread of a pipelined EDIFACT file, the writer otherwise), never by
     * two at once. */
    struct vg__raw_packer *packer;
    struct vg_ingest_report *report;
    int64_t file_id;
    const char *path;
    int64_t interchange_id;
    int64_t now;
    /* Resolved ids, valid within the run (forgotten after a rollback). */
    struct vg_map containers;     /* number -> container id << 1 | number failed its check */
    /* Scratch of the passes ahead of a document (each empties it first), so that each thing
     * is taken once: the stored numbers of its containers (vg__ing_containers_first), then
     * the B/L and carrier of its consignments (write.c, consignments_first). */
    struct vg_map first_seen;
    struct vg_map size_known;     /* size-type code -> 1 valid, 2 not */
    struct vg_map parties;
    struct vg_map party_seen;     /* party id -> the earliest first_seen_at it has (0: none) */
    struct vg_map vessels;        /* "I:imo", "C:call sign", "N:name key" -> id (0: ask) */
    struct vg_map port_calls;
    struct vg_map seen;           /* rows known written (party identifiers, addresses) */
    struct vg_map trips;          /* (container id, port call id) -> trip id or pending */
    /* Trips first met in the current batch, written when it ends (resolve.c). */
    struct ing_trip_pending *trip_pending;
    size_t ntrip_pending, trip_pending_cap;
    struct vg_arena trip_text;
    struct ing_rowbuf trip_rows;
    /* Port call id -> the details (terminal, carrier, times, ports) last applied to it in
     * this run, a string in call_detail_text; a document repeating them needs no UPDATE. */
    struct vg_map call_detail;
    struct vg_arena call_detail_text;
    /* Code-list membership: 1 known, 2 unknown. */
    struct vg_map locode_known;
    struct vg_map hs_known;
    bool have_locodes, have_hs;
    /* Rows of the document being written, inserted when it ends (write.c), and the next
     * row id of the tables whose ids are assigned here (0: read max(id) + 1 first). */
    struct ing_rowbuf rows[ING_T_COUNT];
    struct vg_arena row_text;
    int64_t next_goods_id, next_event_id;
    /* The batch's (party, consignment, role) keys of party_consignments, inserted sorted by
     * party when the batch ends or before a consignment's parties are replaced. */
    struct ing_party_link *party_links;
    size_t nparty_links, party_links_cap;
    struct vg_arena party_link_text;
    struct ing_rowbuf party_link_rows;
    /* The current batch: digest of accepted messages, and whether anything changed. */
    struct vg_hasher batch;
    int64_t batch_messages;
    int64_t batch_changes;
    int batch_docs;
    int64_t batch_began_ns; /* CLOCK_MONOTONIC when the open batch began */
    /* Documents in the batches this run has ended, and whether the batch grows with them
     * (no batch_size given: ingest.c, batch_limit). */
    int64_t run_docs;
    bool batch_grows;
    /* A transaction spans files (ingest.c): whether one is open, and the first file it took
     * (named by its audit entry) with the number of files it took. */
    bool in_batch;
    int batch_files;
    char batch_path[1024];
    uint8_t file_digest[VG_DIGEST_SIZE]; /* content digest of the file being read */
    /* The file system's status of the path being ingested (valid for a path of the run, not
     * for a member of an archive or a buffer) until its registration takes it: file_stat
     * (the file being read) or its archive's. Recorded when the file is read whole, or found
     * unchanged, so that a later run knows it without reading it (ingest.c). */
    struct vg__file_stat entry_stat, file_stat;
    /* The bytes of the file being ingested as it came, when what is read is not those bytes
     * (decompressed, or UTF-16 converted): the report counts them for it (a file's bytes
     * are its own, whether it is read or found unchanged; an archive's, its members'). Taken
     * by the file's count or by its archive's registration; 0: none. */
    size_t entry_bytes;
    int64_t file_rejected;               /* report->rejected when it began */
    bool file_rejects_block;             /* its rejects keep it from being read whole */
    int archive_depth;                   /* zip archives being read, one inside the other */
    int64_t files_left_open;             /* files read to their end but not marked read
                                          * whole (their rejects may be taken later) */
};

/* ---- a run's files read ahead (pipeline.c) ------------------------------------------- */

/* One input of a run, in the order its paths and folders give: a file to read, or the
 * error that stops the run there (a path or folder that could not be read). */
struct ing_entry {
    char *path;
    struct vg__file_stat stat; /* the path's status when listed (not valid for '-') */
    bool failed;
    struct vg_error error; /* failed */
    const char *data;      /* not NULL: the content, in memory (vg_ingest_buffer), not read */
    size_t len;
};

/* ---- the run's paths (walk.c) ---------------------------------------------------------- */

/* What a walk does with each file it meets, in order (ingest it, or list it): its path and
 * its status fs (fs->valid when the file system's word on it can be trusted: not for "-",
 * nor for a file changed in the last 100 ms, 2 s where it keeps whole seconds, which may
 * change again without its times moving). */
typedef enum vg_status (*ing_file_fn)(struct ing_session *s,
                                      void *ctx,
                                      const char *path,
                                      const struct vg__file_stat *fs,
                                      struct vg_error *err);

/* Walks path: a file (or "-", standard input) is handed to fn; a folder is walked
 * recursively in name order (32 levels deep at most), hidden entries and files still being
 * transferred under a temporary name (.filepart, .part, .partial, .crdownload) left out
 * (walk.c), and the files written within the run's min_age_seconds counted as deferred
 * (files_deferred), not handed over. Stops at the
 * first error: a path or folder that cannot be read (err names it) or fn's. */
enum vg_status vg__ing_walk(
    struct ing_session *s, const char *path, ing_file_fn fn, void *ctx, struct vg_error *err);

/* What the writing thread does with each file of a run read ahead (ingest.c). Before each
 * path of the run (not a member of an archive), s->entry_stat holds its status, which the
 * file's (or archive's) registration takes. */
struct ing_file_ops {
    /* A file read ahead about to be written (f->path, data, len; format as
     * vg__ing_ahead_format gave; digest of its content): counts, registration, the batch;
     * sets f->file_id. *unchanged when it was read whole before (as the writer sees the
     * store, its open batch included): then counted as such, not begun, and the file's items
     * are to be dropped. On error the batch is rolled back. */
    enum vg_status (*begin)(struct ing_session *s,
                            struct ing_file *f,
                            const char *format,
                            const uint8_t digest[VG_DIGEST_SIZE],
                            bool *unchanged,
                            struct vg_error *err);
    /* The reading of that file ended with st, which it returns (an error rolls the batch
     * back; err, when not yet set, says why a step of its own failed). */
    enum vg_status (*end)(struct ing_session *s, enum vg_status st, struct vg_error *err);
    /* A file the read-ahead side found read whole before (path, len bytes), by its content
     * digest or by its status: counted, not read; the status of a path of the run recorded
     * for later runs (s->entry_stat: not valid for one known by its status). */
    enum vg_status (*done)(struct ing_session *s,
                           const char *path,
                           size_t len,
                           const uint8_t digest[VG_DIGEST_SIZE],
                           struct vg_error *err);
    /* A file of another format (or none), handled whole on the writing thread; digest: its
     * content's, computed by the read-ahead side. */
    enum vg_status (*other)(struct ing_session *s,
                            const char *path,
                            const char *data,
                            size_t len,
                            const uint8_t digest[VG_DIGEST_SIZE],
                            struct vg_error *err);
    /* As other, for the content of a compressed file that the read-ahead side has
     * decompressed (data, len) and found of another format than EDIFACT; digest: the
     * compressed file's. */
    enum vg_status (*decoded)(struct ing_session *s,
                              const char *path,
                              const char *data,
                              size_t len,
                              const uint8_t digest[VG_DIGEST_SIZE],
                              struct vg_error *err);
};

/* ---- zip archives of files (ingest.c), read on either side -------------------------- */

/* Archives inside archives are read (an archive of daily archives); deeper ones skipped. */
#define ING_ARCHIVE_DEPTH 2

/* An archive being read: its ingest_files row, the session's files_left_open when it was
 * opened, whether it was read whole before (then it is not read). */
struct ing_archive {
    int64_t id;
    int64_t left_open;
    bool unchanged;
    uint8_t digest[VG_DIGEST_SIZE];
    struct vg__file_stat stat; /* its path's status, when a path of the run */
};

/* Opens the archive at path (len bytes, digest of its content) for reading member by
 * member, in the open batch (begun when none is): registered, not counted (its members
 * are). a->unchanged when it was read whole before: counted as a file read and unchanged,
 * not to be read (and not to be closed). On error the batch is rolled back. */
enum vg_status vg__ing_archive_open(struct ing_session *s,
                                    const char *path,
                                    size_t len,
                                    const uint8_t *digest,
                                    struct ing_archive *a,
                                    struct vg_error *err);

/* Closes the archive a, its members read with status st (returned, or the failure of
 * marking it): marked read whole when st is VG_OK and none of its members was left open
 * (an EDIFACT file with rejected messages), else left open for a later run. */
enum vg_status vg__ing_archive_close(struct ing_session *s,
                                     const struct ing_archive *a,
                                     enum vg_status st,
                                     struct vg_error *err);

/* A member (label archive!member, digest as vg__zx_member gave it) that cannot be read,
 * for the reason why (its source set to label here): registered and refused whole, once. */
enum vg_status vg__ing_member_refused(struct ing_session *s,
                                      const char *label,
                                      const uint8_t digest[VG_DIGEST_SIZE],
                                      struct vg_error *why,
                                      struct vg_error *err);

/* The format of a file's text (data, len) when its reading is done ahead, on the
 * read-ahead thread: "edifact", "json", "csv-manifest" or "csv-events" (a static string);
 * NULL for a zip archive or workbook (which the read-ahead side opens itself: pipeline.c)
 * and for what the writing thread reads whole (NMEA AIS, UTF-16 text, no known format). */
const char *vg__ing_ahead_format(const char *data, size_t len);

/*
 * Reads a run's entries in order on a second thread (opening, its digest, decompressing,
 * detecting the format, then reading EDIFACT, CSV and JSON into documents: emit.h) while
 * the calling thread writes them through
 * ops, so that the next file is read while this one is written: a folder of small files
 * pipelines as one large file does. The store receives the writes a sequential run gives,
 * in the same order. Stops at the first error (*out, err; VG_ENOMEM when memory ran out
 * before anything was read). false when the thread could not be started (nothing was
 * read; the caller reads the entries itself).
 */
bool vg__ing_read_ahead(struct ing_session *s, const struct ing_entry *entries, size_t n,
                        const struct ing_file_ops *ops, enum vg_status *out,
                        struct vg_error *err);

/* ---- resolution (resolve.c): find or create, returning row ids ---------------------- */

enum vg_status vg__ing_container(struct ing_session *s, int64_t message_id,
                                 const struct ing_source *src, const char *number,
                                 const char *size_type, int64_t seen_at, int64_t *id,
                                 struct vg_error *err);
enum vg_status vg__ing_party(struct ing_session *s, int64_t message_id,
                             const struct ing_party *p, int64_t seen_at, int64_t *id,
                             struct vg_error *err);
enum vg_status vg__ing_vessel(struct ing_session *s, int64_t message_id,
                              const struct ing_vessel *v, const struct ing_source *src,
                              int64_t seen_at, int64_t *id, struct vg_error *err);
enum vg_status vg__ing_port_call(struct ing_session *s, int64_t message_id,
                                 const struct ing_voyage *v, int64_t *id,
                                 struct vg_error *err);
enum vg_status vg__ing_trip(struct ing_session *s, int64_t container_id, int64_t port_call_id,
                            const char *port, const char *direction, int64_t loaded_at,
                            int64_t departure_at, struct vg_error *err);

/* Asks the processor for the trips map's slot of the trip of container number (as sent)
 * on port_call_id, when the container is in the session's map already; nothing otherwise.
 * A hint for the record after the one being written (vg__ing_trip waited on memory for
 * most of its lookups: the trips map holds a key per container and port call). */
void vg__ing_trip_prefetch(struct ing_session *s, const char *number, int64_t port_call_id);

/* Inserts together, up to 64 per statement and in the order the writer meets them, the
 * containers doc names that this run has not resolved (those of its consignments with a
 * B/L and of its events; manifests before events as write.c writes them), each with the
 * size type and time of its first sighting, so that vg__ing_container then finds every one
 * in the map instead of inserting it alone (one statement per container cost about twice
 * the B-tree work). Containers the store already holds are looked up. The rows, ids and
 * counts are those the writer alone gives. */
enum vg_status vg__ing_containers_first(struct ing_session *s, const struct ing_document *doc,
                                        struct vg_error *err);

/* Writes the trips pending in the batch, in the order they were first met (before the
 * batch commits). The pending trips are dropped in any case. */
enum vg_status vg__ing_trips_flush(struct ing_session *s, struct vg_error *err);

/* ---- validation (validate.c): check codes, record findings, say whether valid ------- */

/* Checks a UN/LOCODE: syntax, then membership in the imported list when one is loaded.
 * Writes the normalised code into out (6 bytes; the text as sent when malformed). */
enum vg_status vg__ing_check_locode(struct ing_session *s, int64_t message_id,
                                    const struct ing_source *src, const char *field,
                                    const char *code, char out[6], bool *valid,
                                    struct vg_error *err);
/* The stored form of a UN/LOCODE (out, 6 bytes): normalised, or the text as sent (cut to
 * 5 bytes) when malformed, as vg__ing_check_locode stores it; its parse status (perr set
 * when not VG_OK). Records nothing. */
enum vg_status vg__ing_locode_norm(const char *code, char out[6], struct vg_error *perr);
/* Checks an HS code (as sent), recording a finding of message_id at src when it is not
 * right; *valid false when malformed or (list loaded) unknown. restored[0] is '\0', or,
 * when the code is one whose leading zero a spreadsheet dropped (80440) and the list has
 * it with that zero, the code to store (080440; *valid true, finding hs_leading_zero).
 * Returns the finding's or the lookup's failure (err says why), else VG_OK. */
enum vg_status vg__ing_check_hs(struct ing_session *s,
                                int64_t message_id,
                                const struct ing_source *src,
                                const char *code,
                                char restored[12],
                                bool *valid,
                                struct vg_error *err);

/* Adds a party_consignments key to the batch's; false on OOM. */
bool vg__ing_party_link(struct ing_session *s, int64_t party_id, int64_t consignment_id,
                        const char *role);
/* Inserts the batch's party_consignments keys sorted by party (before the batch commits
 * and before any of them may be deleted). */
enum vg_status vg__ing_party_links_flush(struct ing_session *s, struct vg_error *err);

/* Inserts every buffered row (before anything reads the buffered tables, and when a
 * document ends). */
enum vg_status vg__ing_rows_flush(struct ing_session *s, struct vg_error *err);
/* Drops the buffered rows and forgets the assigned ids (rollback, new transaction). */
void vg__ing_rows_discard(struct ing_session *s);

/* Ends the current batch now (audit entry, commit) and starts the next. */
enum vg_status vg__ing_batch_cut(struct ing_session *s, struct vg_error *err);

#endif
