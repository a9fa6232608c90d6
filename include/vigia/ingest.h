/*
 * vigia/ingest.h - bringing what ports exchange into the store.
 *
 * vg_ingest_paths reads files and folders (recursively, in name order), detects each
 * file's format from its content (UN/EDIFACT, NMEA AIS, the CSV and JSON layouts of
 * docs/formats.md) and writes what it carries into the store. Files of no known format
 * are reported as skipped, not rejected.
 *
 * Guarantees:
 *  - Idempotent: a message already in the store (same sender, same content digest from
 *    its first to its last byte) is a duplicate and changes nothing; a message with the
 *    same references but different content is recorded as an amendment (or a collision)
 *    and keeps the history, never silently dropped.
 *  - Transactional: messages are written in batches, each one transaction with one audit
 *    entry; a crash leaves only whole messages, and running again completes the store to
 *    exactly what a clean run gives.
 *  - A file read whole is not read again: a later run knows it by its content digest, and
 *    the same file on disk by what the file system says of it (path, device, inode, size,
 *    modification and change times; not for a file changed in the last 100 ms, which is
 *    read by its content), without opening it.
 *  - Nothing disappears: a message refused for syntax or envelope reasons is rejected
 *    whole with file, segment/line, byte offset and reason (kept in `rejects`); doubtful
 *    content (a bad check digit, an unknown code) goes in as sent and is recorded as a
 *    finding (`findings`), because it can be evidence.
 */
#ifndef VIGIA_INGEST_H
#define VIGIA_INGEST_H

#include <stdbool.h>
#include <stdint.h>

#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_store;

struct vg_ingest_report {
    int64_t files;            /* files read */
    int64_t files_skipped;    /* files of no known format */
    int64_t files_unchanged;  /* files read whole before (same content, or the same file on
                               * disk by its status): not read again */
    int64_t files_deferred;   /* files in folders written to within min_age_seconds: left
                               * for a later run */
    int64_t interchanges;     /* EDIFACT interchanges */
    int64_t messages;         /* messages (or CSV/JSON documents) seen */
    int64_t accepted;         /* new messages written */
    int64_t rejected;         /* refused whole (syntax, envelope) */
    int64_t duplicates;       /* already in the store */
    int64_t amended;          /* replaced or changed an earlier message */
    int64_t cancelled;        /* cancelled an earlier message */
    int64_t collisions;       /* same references as an earlier message, different content */
    int64_t containers;       /* container records created */
    int64_t consignments;     /* consignments (B/L) written, new or new versions */
    int64_t events;           /* equipment events written */
    int64_t findings;         /* data-quality findings recorded */
    int64_t ais_sentences;    /* NMEA sentences read (when AIS is present) */
    int64_t ais_positions;    /* vessel positions stored from them */
    int64_t ais_first;        /* time span of those positions (Unix seconds; valid */
    int64_t ais_last;         /*   when ais_positions > 0): where to detect events */
    int64_t bytes;            /* input bytes read: each file's bytes as they came (a
                               * compressed file's own, read or found unchanged); an archive
                               * read, its members' */
};

/* What happened to a file or message, for progress and problem callbacks. */
enum vg_ingest_event {
    VG_INGEST_FILE_SKIPPED,   /* err->message says why (unknown format) */
    VG_INGEST_REJECTED,       /* a message or record refused; err has position and reason */
    VG_INGEST_FINDING,        /* a data-quality finding; err has position and detail */
    VG_INGEST_PROGRESS,       /* periodic: report holds the counts so far */
};

typedef void (*vg_ingest_fn)(void *user, enum vg_ingest_event event,
                             const struct vg_error *err, const struct vg_ingest_report *report);

struct vg_ingest_options {
    /* Called for skipped files, rejects, findings and progress (may be NULL). */
    vg_ingest_fn callback;
    void *user;
    /* Messages per transaction. 0: 2000, and in a large ingest as many as the run's
     * earlier transactions together (each transaction rewrites the pages it touched in
     * indexes keyed in random order, so a large ingest writes less with fewer, larger
     * transactions; a crash loses at most the transaction being written). */
    int batch_size;
    /* The largest transaction those growing batches reach, in messages (0: 32,768, about
     * half a million containers of manifests and terminal reports, some 15 s of writing):
     * what a crash can lose, since a re-run must redo it. Unused with batch_size. */
    int max_batch;
    /* Keep each message's raw bytes in the store (default true: evidence). */
    bool no_raw;
    /* The sender to record for CSV/JSON input without one (NULL: "unknown"). */
    const char *default_sender;
    /* Accept an EDIFACT message whose UNT segment count is wrong (reference right, message
     * whole) with a data-quality finding instead of rejecting it. Off by default: a wrong
     * count is rejected, as ISO 9735 intends; real senders do miscount (the sample
     * 609-container bay plan is 4 segments off), so an operator who has reviewed the
     * reject can re-ingest with this on. */
    bool tolerate_counts;
    /* Read and write on the calling thread only. By default, on a machine with two or more
     * processors, vg_ingest_paths reads ahead on a second thread: it opens each file in
     * turn, and digests, decompresses, parses and maps it (EDIFACT, CSV, JSON, workbooks,
     * the members of zip archives; NMEA AIS is read by the calling thread) while the
     * calling thread writes what it made of the earlier ones; vg_ingest_buffer does so for
     * a buffer of 1 MiB or more. The store
     * receives exactly the same writes in the same order either way, and callbacks always
     * run on the calling thread. */
    bool single_thread;
    /* In folders, leave a file whose content was written within this many seconds for a
     * later run (not read, counted in files_deferred): a file still being written under its
     * final name, as scp and some SFTP clients do, would be read cut off. 0 (the default):
     * every file is read. A path named in the run is always read. */
    int min_age_seconds;
    /* The longest a batch stays open, in milliseconds, whatever it holds (0: ten seconds):
     * its transaction holds the store's write lock, which every other writer (another
     * ingest, a recorded inspection) waits for. Unused with batch_size. */
    int max_batch_ms;
};

/*
 * Ingests every path (file or folder). report is filled with the totals (also on error).
 * Returns VG_OK, VG_EPARTIAL when some input was rejected (the rest went in), or the first
 * error that stopped the run (I/O, store), with err set.
 */
VG_NODISCARD enum vg_status vg_ingest_paths(struct vg_store *store,
                                            const char *const *paths,
                                            int npaths,
                                            const struct vg_ingest_options *opts,
                                            struct vg_ingest_report *report,
                                            struct vg_error *err);

/*
 * Ingests one input held in memory (data[0..len), borrowed), named `name` in positions and
 * provenance, exactly as a file with that content would be. Same results as
 * vg_ingest_paths.
 */
VG_NODISCARD enum vg_status vg_ingest_buffer(struct vg_store *store, const char *name,
                                             const char *data, size_t len,
                                             const struct vg_ingest_options *opts,
                                             struct vg_ingest_report *report,
                                             struct vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
