/*
 * WAL checkpoints of an ingest session on a thread of their own.
 *
 * In WAL mode every commit appends the changed pages to the -wal file and fsyncs it; once
 * the log holds wal_autocheckpoint pages, SQLite copies them back into the database file
 * and fsyncs that (a checkpoint), by default on the committing thread, inside its COMMIT.
 * For a large ingest that copy, its reads and its fsync were a tenth to a fifth of the
 * writing thread. Here the session replaces SQLite's automatic checkpoint with a WAL hook
 * that, at the same threshold, asks a background thread to run a PASSIVE checkpoint on its
 * own connection; the writer goes on with the next batch meanwhile (WAL mode lets one
 * connection checkpoint while another writes).
 *
 * Nothing about what is stored changes: a transaction is durable when its COMMIT has
 * fsynced the log (synchronous=FULL, as before); a checkpoint only moves committed pages
 * into the database file, with the same fsyncs, and the checkpointing connection is opened
 * with synchronous=FULL too. If the thread or its connection cannot be had, or a checkpoint
 * fails, the hook checkpoints on the writer as SQLite would have. When the session ends, a
 * checkpoint still asked for is finished, the thread is joined and the connection's own
 * automatic checkpoint is put back with the threshold it had.
 *
 * SQLite writes the log from its start again only when a transaction begins after a
 * checkpoint has copied all of it; the writer begins its next batch at once, while the
 * checkpoint of the last one runs, so without a pause the log never restarted and grew by
 * everything written (2.6 GB beside a 2.3 GB store at 1.5 million containers, bench_ingest).
 * Once the log has reached LOG_BOUND times the threshold, the session waits for the checkpoint
 * running before it begins a batch (vg__ing_checkpointer_settle), so the log restarts and stays
 * within about one batch (1.1 GB at 1.5 million containers, whose last batch is the
 * largest); the same bench measured no loss of wall time from the waits.
 */
#include "ingest/session_int.h"

#include <pthread.h>
#include <string.h>

#include <vigia/alloc.h>
#include <vigia/log.h>

struct ing_checkpointer {
    struct vg_store *store;
    int threshold; /* pages in the log that call for a checkpoint (wal_autocheckpoint) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t tid;
    bool started;  /* the thread runs (started on the first request) */
    bool failed;   /* no thread, or a checkpoint failed: the writer checkpoints */
    bool stop;
    uint64_t asked, done;
    int log_pages; /* the log's size after the last commit */
};

/* A log of this many times the checkpoint threshold or more (with SQLite's default of
 * 1000 pages, 250 MiB at 16 KiB pages) is not let grow further. */
enum { LOG_BOUND = 16 };

/* Opens the thread's own connection to the store's file. */
static sqlite3 *open_connection(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

static void *checkpoint_thread(void *arg)
{
    struct ing_checkpointer *c = arg;
    sqlite3 *db = open_connection(c->store->path);
    pthread_mutex_lock(&c->mu);
    if (db == NULL) {
        c->failed = true;
        vg_log(VG_LOG_WARN, "ingest", "background checkpoints unavailable; checkpointing inline");
    }
    while (db != NULL) {
        while (c->asked == c->done && !c->stop) {
            pthread_cond_wait(&c->cv, &c->mu);
        }
        if (c->asked == c->done) {
            break; /* stopped, nothing asked */
        }
        uint64_t asked = c->asked;
        pthread_mutex_unlock(&c->mu);
        int rc = sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&c->mu);
        c->done = asked;
        pthread_cond_broadcast(&c->cv);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
            c->failed = true;
            vg_log(VG_LOG_WARN, "ingest", "background checkpoint failed (%s); checkpointing inline",
                   sqlite3_errstr(rc));
            break;
        }
    }
    pthread_mutex_unlock(&c->mu);
    sqlite3_close(db);
    return NULL;
}

/* SQLite's WAL hook, on the writing thread after each commit: pages is the log's size. */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    struct ing_checkpointer *c = arg;
    pthread_mutex_lock(&c->mu);
    c->log_pages = pages;
    if (pages < c->threshold) {
        pthread_mutex_unlock(&c->mu);
        return SQLITE_OK;
    }
    if (!c->started && !c->failed) {
        c->started = pthread_create(&c->tid, NULL, checkpoint_thread, c) == 0;
        c->failed = !c->started;
    }
    bool inline_checkpoint = c->failed;
    if (!inline_checkpoint) {
        c->asked++;
        pthread_cond_signal(&c->cv);
    }
    pthread_mutex_unlock(&c->mu);
    if (inline_checkpoint) {
        (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
    return SQLITE_OK;
}

/* The connection's automatic-checkpoint threshold; 0 when it is off or unknown. */
static int autocheckpoint_pages(struct vg_store *store)
{
    sqlite3_stmt *st = NULL;
    int pages = 0;
    if (sqlite3_prepare_v2(store->db, "PRAGMA wal_autocheckpoint", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        pages = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    return pages;
}

enum vg_status vg__ing_checkpointer_start(struct vg_store *store, struct ing_checkpointer **out)
{
    *out = NULL;
    if (store->read_only || store->path == NULL || store->path[0] == '\0' ||
        strcmp(store->path, ":memory:") == 0) {
        return VG_OK;
    }
    int threshold = autocheckpoint_pages(store);
    if (threshold <= 0) {
        return VG_OK; /* the caller wants no automatic checkpoints: none here either */
    }
    struct ing_checkpointer *c = vg_calloc(1, sizeof(*c));
    if (c == NULL) {
        return VG_ENOMEM;
    }
    if (pthread_mutex_init(&c->mu, NULL) != 0) {
        vg_free(c);
        return VG_OK; /* SQLite's own automatic checkpoint stays */
    }
    if (pthread_cond_init(&c->cv, NULL) != 0) {
        pthread_mutex_destroy(&c->mu);
        vg_free(c);
        return VG_OK;
    }
    c->store = store;
    c->threshold = threshold;
    sqlite3_wal_hook(store->db, wal_hook, c); /* replaces the automatic checkpoint */
    *out = c;
    return VG_OK;
}

void vg__ing_checkpointer_settle(struct ing_checkpointer *c)
{
    if (c == NULL) {
        return;
    }
    pthread_mutex_lock(&c->mu);
    while (c->log_pages / LOG_BOUND >= c->threshold && c->started && !c->failed &&
           c->asked != c->done) {
        pthread_cond_wait(&c->cv, &c->mu);
    }
    pthread_mutex_unlock(&c->mu);
}

void vg__ing_checkpointer_stop(struct ing_checkpointer *c)
{
    if (c == NULL) {
        return;
    }
    pthread_mutex_lock(&c->mu);
    c->stop = true;
    pthread_cond_signal(&c->cv);
    bool started = c->started;
    pthread_mutex_unlock(&c->mu);
    if (started) {
        pthread_join(c->tid, NULL);
    }
    /* Back to SQLite's automatic checkpoint at the threshold the connection had. */
    sqlite3_wal_autocheckpoint(c->store->db, c->threshold);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    vg_free(c);
}
