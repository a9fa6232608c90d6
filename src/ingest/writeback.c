/*
 * Early writeback of the store's files during an ingest session.
 *
 * Every COMMIT fsyncs the WAL (synchronous=FULL) and every checkpoint fsyncs the database
 * file. Linux lets dirty pages of a file sit in memory until a tenth of the machine's memory
 * is dirty or they are 30 s old, so each of those fsyncs found the whole batch still
 * unwritten and the writer waited while hundreds of megabytes went to storage (bench_ingest
 * 1.5 million: about 4 s of commits and 3 to 5 s of waits for the checkpoint, on a disk that
 * was idle the rest of the time). Here a thread asks the kernel every WRITEBACK_MS to start
 * writing both files' dirty pages (sync_file_range with SYNC_FILE_RANGE_WRITE: it starts the
 * writes and does not wait for them), so that the fsyncs find most of the work done.
 *
 * Nothing about durability changes: the hint never replaces a fsync, and SQLite still
 * fsyncs as before. Where sync_file_range does not exist (not Linux), or the files cannot be
 * opened, there is no thread and nothing else changes.
 */
#define _GNU_SOURCE /* sync_file_range */
#include "ingest/session_int.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <vigia/alloc.h>

/* How often the dirty pages are handed to the disk: a few times per second keeps each
 * fsync's remainder to what the writer dirtied since. */
enum { WRITEBACK_MS = 100 };

struct ing_writeback {
    char wal_path[1100];
    int db_fd, wal_fd;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t tid;
    bool stop;
};

#if defined(__linux__)

static void start_writes(int fd)
{
    if (fd >= 0) {
        (void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    }
}

static void *writeback_thread(void *arg)
{
    struct ing_writeback *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (long)WRITEBACK_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&w->cv, &w->mu, &until);
        if (w->stop) {
            break;
        }
        pthread_mutex_unlock(&w->mu);
        if (w->wal_fd < 0) {
            /* The log appears with the first transaction. */
            w->wal_fd = open(w->wal_path, O_RDONLY | O_CLOEXEC);
        }
        start_writes(w->wal_fd);
        start_writes(w->db_fd);
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* Undoes the first stages of set-up (1: the database file open, 2: the mutex, 3: the
 * condition; the thread joined) and frees w. */
static void release(struct ing_writeback *w, int stage)
{
    if (stage >= 3) {
        pthread_cond_destroy(&w->cv);
    }
    if (stage >= 2) {
        pthread_mutex_destroy(&w->mu);
    }
    if (stage >= 1) {
        close(w->db_fd);
    }
    if (w->wal_fd >= 0) {
        close(w->wal_fd);
    }
    vg_free(w);
}

enum vg_status vg__ing_writeback_start(const char *db_path, struct ing_writeback **out)
{
    *out = NULL;
    if (db_path == NULL || db_path[0] == '\0' || strcmp(db_path, ":memory:") == 0) {
        return VG_OK;
    }
    struct ing_writeback *w = vg_calloc(1, sizeof(*w));
    if (w == NULL) {
        return VG_ENOMEM;
    }
    w->wal_fd = -1;
    /* Set up in order; on a failure what was set up goes (release) and there is no thread. */
    int stage = 0;
    bool ok = (size_t)snprintf(w->wal_path, sizeof(w->wal_path), "%s-wal", db_path) <
                  sizeof(w->wal_path) &&
              (w->db_fd = open(db_path, O_RDONLY | O_CLOEXEC)) >= 0;
    if (ok) {
        stage = 1;
        ok = pthread_mutex_init(&w->mu, NULL) == 0;
    }
    if (ok) {
        stage = 2;
        ok = pthread_cond_init(&w->cv, NULL) == 0;
    }
    if (ok) {
        stage = 3;
        ok = pthread_create(&w->tid, NULL, writeback_thread, w) == 0;
    }
    if (!ok) {
        release(w, stage);
        return VG_OK;
    }
    *out = w;
    return VG_OK;
}

void vg__ing_writeback_stop(struct ing_writeback *w)
{
    if (w == NULL) {
        return;
    }
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->tid, NULL);
    release(w, 3);
}

#else

enum vg_status vg__ing_writeback_start(const char *db_path, struct ing_writeback **out)
{
    (void)db_path;
    *out = NULL;
    return VG_OK;
}

void vg__ing_writeback_stop(struct ing_writeback *w)
{
    (void)w;
}

#endif
