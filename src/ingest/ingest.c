/*
 * vg_ingest_paths: walk the paths, detect each file's format, and write its documents in
 * batches. Each batch is one transaction that ends with one audit entry naming the first
 * file it took, the number of files and a digest of the files' contents and of the
 * accepted messages; a batch that changed nothing is rolled back and leaves no audit
 * entry, so re-ingesting a file is a true no-op. A batch spans files (a folder of small
 * files commits as one large file does) and a large file spans batches; ingest_files
 * records each file in the batch that took it.
 */
#include "ingest/emit.h"
#include "ingest/session_int.h"
#include "ingest/zipxml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <vigia/alloc.h>
#include <vigia/charset.h>
#include <vigia/file.h>
#include <vigia/log.h>
#include <vigia/track.h>

/* Readers registered by other modules (EDIFACT, AIS) through these weak hooks would
 * couple the modules; instead the dispatcher knows every reader. */
bool vg__ing_edifact_sniff(const char *data, size_t len);
bool vg__ing_nmea_sniff(const char *data, size_t len);
enum vg_status vg__ing_read_nmea(struct ing_session *s, const struct ing_file *f,
                                 struct vg_error *err);

static int64_t monotonic_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static enum vg_status batch_begin(struct ing_session *s, struct vg_error *err)
{
    vg__ing_checkpointer_settle(s->checkpointer);
    vg__ing_session_batch_reset(s);
    s->batch_began_ns = monotonic_ns();
    enum vg_status st = vg_store_begin(s->store, err);
    s->in_batch = st == VG_OK;
    return st;
}

/* The open batch takes (part of) the file at path, whose content digest is s->file_digest:
 * the first one names the batch, and the batch's digest (its audit entry's) commits to
 * every file it took as well as to its accepted messages. */
static void batch_takes_file(struct ing_session *s, const char *path)
{
    vg_hasher_update(&s->batch, s->file_digest, sizeof(s->file_digest));
    if (s->batch_files++ == 0) {
        snprintf(s->batch_path, sizeof(s->batch_path), "%s", path);
    }
}

/* Ends the batch: audit entry and commit when something changed, else roll back. Either
 * way no batch is open after it. */
static enum vg_status batch_end(struct ing_session *s, struct vg_error *err)
{
    s->in_batch = false;
    enum vg_status rs = vg__ing_rows_flush(s, err);
    if (rs == VG_OK) {
        rs = vg__ing_party_links_flush(s, err);
    }
    if (rs == VG_OK) {
        rs = vg__ing_trips_flush(s, err);
    }
    if (rs != VG_OK) {
        vg_store_rollback(s->store);
        vg__ing_session_forget(s);
        return rs;
    }
    if (s->track != NULL) {
        int64_t positions = 0;
        enum vg_status ts = vg_track_flush(s->track, &positions, err);
        if (ts != VG_OK) {
            vg_store_rollback(s->store);
            vg__ing_session_forget(s);
            return ts;
        }
        s->batch_changes += positions;
    }
    if (s->batch_changes == 0) {
        vg_store_rollback(s->store);
        return VG_OK;
    }
    uint8_t digest[VG_DIGEST_SIZE];
    int64_t messages;
    vg__ing_session_batch_digest(s, digest, &messages);
    char objects[1400];
    char path_json[1100];
    /* The path, JSON-escaped enough for quotes and backslashes. */
    size_t w = 0;
    for (const char *p = s->batch_path; *p != '\0' && w + 3 < sizeof(path_json); p++) {
        if (*p == '"' || *p == '\\') {
            path_json[w++] = '\\';
        }
        path_json[w++] = (unsigned char)*p < 0x20 ? ' ' : *p;
    }
    path_json[w] = '\0';
    snprintf(objects, sizeof(objects), "{\"file\":\"%s\",\"files\":%d,\"messages\":%lld}",
             path_json, s->batch_files, (long long)messages);
    enum vg_status st = vg_audit_append(s->store, "ingest.batch", objects, digest, err);
    if (st != VG_OK) {
        vg_store_rollback(s->store);
        vg__ing_session_forget(s);
        return st;
    }
    st = vg_store_commit(s->store, err);
    if (st != VG_OK) {
        vg_store_rollback(s->store);
        vg__ing_session_forget(s);
    }
    return st;
}

enum vg_status vg__ing_batch_cut(struct ing_session *s, struct vg_error *err)
{
    enum vg_status st = batch_end(s, err);
    if (st == VG_OK) {
        if (s->opts.callback != NULL) {
            s->opts.callback(s->opts.user, VG_INGEST_PROGRESS, NULL, s->report);
        }
        st = batch_begin(s, err);
    }
    if (st == VG_OK) {
        batch_takes_file(s, s->path); /* the rest of the file being read */
    }
    return st;
}

/*
 * Documents the current batch takes. A batch_size given by the caller is exact. By default
 * a batch takes ING_DEFAULT_BATCH (2000) documents, or as many as the batches this run has already
 * ended, if that is more: the transactions of a large ingest double in size. Every transaction
 * rewrites, at its commit, each page it dirtied in the indexes whose keys arrive in random
 * order (containers by number, events and seals by container, party_consignments...), and
 * once a batch holds more keys than such an index has pages it dirties all of them, so
 * with batches of a fixed size the bytes written per container grew with the store
 * (bench_ingest, 1.5 million containers in batches of 5000 messages: 5.0 GB of log for a
 * 2.3 GB store, 2.6 GB when the batches double). A crash loses at most the batch being
 * written, never more than the run had committed before it; a re-run completes it. The
 * growth stops at max_batch (ING_MAX_BATCH by default), which bounds what a crash loses
 * in a run of any length. Whatever it holds, a batch ends once it has been open
 * max_batch_ms (ING_BATCH_MAX_MS by default: vg__ing_batch_tick), so that other writers get
 * the store in time.
 */
static int64_t batch_limit(const struct ing_session *s)
{
    int64_t n = s->opts.batch_size;
    if (!s->batch_grows || s->run_docs <= n) {
        return n;
    }
    int64_t cap = s->opts.max_batch > 0 ? s->opts.max_batch : ING_MAX_BATCH;
    return s->run_docs < cap ? s->run_docs : cap > n ? cap : n;
}

enum vg_status vg__ing_batch_tick(struct ing_session *s, struct vg_error *err)
{
    /* The clock is read every 64 documents (a few milliseconds of work at most). */
    int64_t max_ms = s->opts.max_batch_ms > 0 ? s->opts.max_batch_ms : ING_BATCH_MAX_MS;
    bool overdue = s->batch_grows && (s->batch_docs + 1) % 64 == 0 &&
                   monotonic_ns() - s->batch_began_ns >= max_ms * 1000000;
    if (++s->batch_docs < batch_limit(s) && !overdue) {
        /* Progress as often as batches of the default size would give it. */
        if (s->opts.callback != NULL && s->batch_docs % ING_DEFAULT_BATCH == 0) {
            s->opts.callback(s->opts.user, VG_INGEST_PROGRESS, NULL, s->report);
        }
        return VG_OK;
    }
    return vg__ing_batch_cut(s, err);
}

static void skipped(struct ing_session *s, const char *path, const char *why)
{
    s->report->files_skipped++;
    if (s->opts.callback != NULL) {
        struct vg_error e;
        vg_error_clear(&e);
        vg_error_at(&e, path, 0, 0, 0, 0);
        vg_error_set(&e, VG_EFORMAT, "%s", why);
        s->opts.callback(s->opts.user, VG_INGEST_FILE_SKIPPED, &e, s->report);
    }
}

static enum vg_status ingest_data(struct ing_session *s,
                                  const char *path,
                                  const char *data,
                                  size_t len,
                                  const uint8_t *digest,
                                  struct vg_error *err);

static void file_done(struct ing_session *s, size_t len);

/* A path of the run (its status fs, valid unless it is standard input), read on this
 * thread: known by its status as a file read whole before (not read), else read
 * (ingest_data), its status taken by its registration. */
static enum vg_status ingest_file(struct ing_session *s,
                                  void *ctx,
                                  const char *path,
                                  const struct vg__file_stat *fs,
                                  struct vg_error *err)
{
    (void)ctx;
    bool known = false;
    enum vg_status st = fs->valid ? vg__store_file_stat_known(s->store, fs, &known, err) : VG_OK;
    if (st != VG_OK || known) {
        if (known) {
            file_done(s, (size_t)fs->size);
        }
        return st;
    }
    struct vg_file file;
    st = vg_file_open(path, &file, err);
    if (st != VG_OK) {
        return st;
    }
    s->entry_stat = *fs;
    st = ingest_data(s, path, file.data, file.len, NULL, err);
    s->entry_stat.valid = false;
    vg_file_close(&file);
    return st;
}

/* Records (in the open batch) that the file system's file of status *fs holds the content
 * digest, read whole, so that a later run knows it without reading it; the status is then
 * spent (fs->valid false). For a file found unchanged (path: its name), a status not
 * recorded before changes the batch, which takes the file for its audit entry; path NULL
 * for a file the batch has taken already. Nothing for a status not valid. */
static enum vg_status stat_record(struct ing_session *s,
                                  const char *path,
                                  struct vg__file_stat *fs,
                                  const uint8_t *digest,
                                  struct vg_error *err)
{
    if (!fs->valid) {
        return VG_OK;
    }
    fs->valid = false;
    bool changed = false;
    enum vg_status st = vg__store_file_stat_put(s->store, fs, digest, &changed, err);
    if (st == VG_OK && changed && path != NULL) {
        s->batch_changes++;
        memcpy(s->file_digest, digest, VG_DIGEST_SIZE);
        batch_takes_file(s, path);
    }
    return st;
}

/* The reading of the file being ingested ended with st, which is returned. A file read to
 * its end is marked complete in the open batch, with its last messages (a later run skips
 * the same content: ingest_data, the read-ahead thread), unless it is EDIFACT with
 * rejected messages read without --tolerate-counts, which a re-run with it may take (no
 * option reads a rejected NMEA sentence or CSV/JSON record differently). After an error
 * the batch goes, with the earlier files it took: the run stops here (its error), and a
 * re-run completes them. */
static enum vg_status file_end(struct ing_session *s, enum vg_status st, struct vg_error *err)
{
    if (st == VG_OK && s->in_batch &&
        (!s->file_rejects_block || s->report->rejected == s->file_rejected)) {
        st = vg__store_file_complete(s->store, s->file_id, s->now, err);
        s->batch_changes++;
        if (st == VG_OK) {
            st = stat_record(s, NULL, &s->file_stat, s->file_digest, err);
        }
    } else if (st == VG_OK) {
        s->files_left_open++;
    }
    if (st != VG_OK && s->in_batch) {
        s->in_batch = false;
        vg_store_rollback(s->store);
        vg__ing_session_forget(s);
    }
    return st;
}

/* The bytes a file of len bytes read counts: those it came as (s->entry_bytes), taken, or
 * len. */
static size_t take_entry_bytes(struct ing_session *s, size_t len)
{
    size_t n = s->entry_bytes != 0 ? s->entry_bytes : len;
    s->entry_bytes = 0;
    return n;
}

/* A file counted as read (len bytes, or those it came as), whatever then becomes of it. */
static void file_counted(struct ing_session *s, size_t len)
{
    s->report->files++;
    s->report->bytes += (int64_t)take_entry_bytes(s, len);
}

/* A file read whole before: counted as read and as unchanged. */
static void file_done(struct ing_session *s, size_t len)
{
    file_counted(s, len);
    s->report->files_unchanged++;
}

/* The status of the path being ingested (a path of the run's: valid; else not), taken:
 * the path's file or archive records it once read whole or found unchanged (stat_record). */
static struct vg__file_stat take_entry_stat(struct ing_session *s)
{
    struct vg__file_stat fs = s->entry_stat;
    s->entry_stat.valid = false;
    return fs;
}

/* Registers the input file at path (len bytes, content digest, format) in the open batch
 * (begun when none is), its path's status taken into *stat; *id gets its row. *unchanged
 * when it was read whole before, as the writer sees the store (its open batch included):
 * then it is counted as read and unchanged, its status recorded, and nothing more is to be
 * done with it. Otherwise the batch takes it (its digest goes into the batch's audit entry).
 * On error the batch is rolled back (file_end). */
static enum vg_status register_file(struct ing_session *s,
                                    const char *path,
                                    const uint8_t digest[VG_DIGEST_SIZE],
                                    size_t len,
                                    const char *format,
                                    struct vg__file_stat *stat,
                                    int64_t *id,
                                    bool *unchanged,
                                    struct vg_error *err)
{
    *stat = take_entry_stat(s);
    enum vg_status st = s->in_batch ? VG_OK : batch_begin(s, err);
    bool is_new = false;
    if (st == VG_OK) {
        st = vg__store_file_register(s->store, path, digest, (int64_t)len, format, id, &is_new,
                                     unchanged, err);
    }
    if (st == VG_OK && *unchanged) {
        file_done(s, len); /* known, so registering it changed nothing */
        st = stat_record(s, path, stat, digest, err);
    }
    if (st != VG_OK) {
        return file_end(s, st, err);
    }
    if (*unchanged) {
        return VG_OK;
    }
    if (is_new) {
        s->batch_changes++;
    }
    memcpy(s->file_digest, digest, VG_DIGEST_SIZE);
    batch_takes_file(s, path);
    return VG_OK;
}

/* A file of a known format about to be read (f->path, data, len): registered by its
 * content digest in the open batch (begun when none is), which takes it, and counted;
 * sets f->file_id. *unchanged when the file was read whole before, as the writer sees the
 * store (its open batch included: the same content twice in one run is read once): then
 * counted as such and not taken. A batch spans files: a folder of many small files (a
 * message each, as terminals and agents drop them) commits as a large file does, not once
 * per file (bench_ingest --files). On error the batch is rolled back (file_end). */
static enum vg_status file_begin(struct ing_session *s, struct ing_file *f, const char *format,
                                 const uint8_t digest[VG_DIGEST_SIZE], bool *unchanged,
                                 struct vg_error *err)
{
    enum vg_status st = register_file(s, f->path, digest, f->len, format, &s->file_stat,
                                      &f->file_id, unchanged, err);
    if (st != VG_OK || *unchanged) {
        return st;
    }
    file_counted(s, f->len);
    vg__ing_session_file(s, f->file_id, f->path);
    s->file_rejected = s->report->rejected;
    s->file_rejects_block = strcmp(format, "edifact") == 0 && !s->opts.tolerate_counts;
    return VG_OK;
}

/* A file (path, len bytes) found read whole before by its content digest, or by its status
 * on the read-ahead side (then its status is not valid): counted as unchanged; the status of
 * a path of the run recorded for later runs, in the open batch (begun when none is). */
static enum vg_status known_file(struct ing_session *s,
                                 const char *path,
                                 size_t len,
                                 const uint8_t digest[VG_DIGEST_SIZE],
                                 struct vg_error *err)
{
    struct vg__file_stat fs = take_entry_stat(s);
    file_done(s, len);
    if (!fs.valid) {
        return VG_OK;
    }
    enum vg_status st = s->in_batch ? VG_OK : batch_begin(s, err);
    if (st == VG_OK) {
        st = stat_record(s, path, &fs, digest, err);
    }
    return st != VG_OK ? file_end(s, st, err) : VG_OK;
}

/* A file (path, data, len; digest: its content digest) that cannot be read at all, as
 * format, for the reason why: registered and refused whole (vigia rejects), once - the same
 * file again is unchanged. */
static enum vg_status refuse_whole(struct ing_session *s,
                                   const char *path,
                                   const char *data,
                                   size_t len,
                                   const uint8_t *digest,
                                   const char *format,
                                   const struct vg_error *why,
                                   struct vg_error *err)
{
    struct ing_file f = { path, data, len, 0, 0, 0, NULL };
    bool unchanged = false;
    enum vg_status st = file_begin(s, &f, format, digest, &unchanged, err);
    if (st == VG_OK && !unchanged) {
        st = file_end(s, vg__ing_reject(s, why, format, NULL, NULL, 0, err), err);
    }
    return st;
}

/* A spreadsheet workbook (data, len; digest: the file's) whose reading (vg__ing_book_read,
 * as format) ended with read (VG_OK: b holds its sheets; otherwise why says what went
 * wrong): each worksheet whose header row is one of the CSV layouts read as a CSV file of
 * that layout, positions naming the sheet and its rows, a worksheet of no layout recorded
 * as a finding (sheet_skipped) (vg__ing_read_book); a workbook with none is skipped, and one
 * that cannot be read is refused whole with the reason. Releases b. */
static enum vg_status ingest_workbook(struct ing_session *s,
                                      const char *path,
                                      const char *data,
                                      size_t len,
                                      const uint8_t *digest,
                                      const char *format,
                                      enum vg_status read,
                                      struct ing_book *b,
                                      struct vg_error *why,
                                      struct vg_error *err)
{
    if (read == VG_EFORMAT || read == VG_ELIMIT) {
        vg_error_at(why, path, 0, 0, 0, 0);
        return refuse_whole(s, path, data, len, digest, format, why, err);
    }
    if (read != VG_OK) {
        if (err != NULL) {
            *err = *why;
        }
        return read;
    }
    enum vg_status st = VG_OK;
    if (b->known == 0) {
        file_counted(s, len);
        skipped(s, path,
                "a workbook with no worksheet whose header row is a layout of "
                "docs/formats.md");
    } else {
        struct ing_file f = { path, data, len, 0, 0, 0, b };
        bool unchanged = false;
        st = file_begin(s, &f, format, digest, &unchanged, err);
        if (st == VG_OK && !unchanged) {
            st = file_end(s, vg__ing_read_here(s, &f, vg__ing_read_book, err), err);
        }
    }
    vg__ing_book_release(b);
    return st;
}

/* An Excel 97-2003 workbook (.xls) or another OLE2 Office file (path, data, len; digest:
 * its content digest), as ingest_workbook reads a workbook; an Office file that holds no
 * workbook, or whose workbook a password protects, is skipped with what to send instead,
 * and so is any .xls where the reader (vigia-xls) is not installed (not registered: a run
 * with it reads the file). */
static enum vg_status ingest_xls(struct ing_session *s,
                                 const char *path,
                                 const char *data,
                                 size_t len,
                                 const uint8_t *digest,
                                 struct vg_error *err)
{
    struct ing_book b;
    struct vg_error why;
    vg_error_clear(&why);
    const char *format = NULL;
    enum vg_status st = vg__ing_book_read(data, len, NULL, &b, &format, &why);
    if (st == VG_ENOTFOUND || st == VG_EDENIED || st == VG_EUNSUPPORTED) {
        file_counted(s, len);
        skipped(s, path,
                st == VG_EDENIED     ? "an Excel 97-2003 workbook protected by a password: save it "
                                       "without the password, as .xlsx, .ods or CSV"
                : st == VG_ENOTFOUND ? "an Office file that holds no workbook (a Word or "
                                       "Outlook file?): send the workbook or CSV"
                                     : why.message);
        return VG_OK;
    }
    return ingest_workbook(s, path, data, len, digest, format, st, &b, &why, err);
}

/* A zip archive of files (path, len bytes, digest: its content digest) about to be read
 * member by member: registered by its digest in the open batch (begun when none is), which
 * takes it, as file_begin registers a file, but not counted (its members are). a->unchanged
 * when it was read whole before: then counted as a file read and unchanged, and not to be
 * read; otherwise it is open (s->archive_depth one more) until vg__ing_archive_close. */
enum vg_status vg__ing_archive_open(struct ing_session *s,
                                    const char *path,
                                    size_t len,
                                    const uint8_t *digest,
                                    struct ing_archive *a,
                                    struct vg_error *err)
{
    memset(a, 0, sizeof(*a));
    memcpy(a->digest, digest, VG_DIGEST_SIZE);
    enum vg_status st =
        register_file(s, path, digest, len, "zip", &a->stat, &a->id, &a->unchanged, err);
    if (st != VG_OK || a->unchanged) {
        return st;
    }
    (void)take_entry_bytes(s, 0); /* its members count their own bytes */
    a->left_open = s->files_left_open;
    s->archive_depth++;
    return VG_OK;
}

enum vg_status vg__ing_archive_close(struct ing_session *s,
                                     const struct ing_archive *a,
                                     enum vg_status st,
                                     struct vg_error *err)
{
    if (a->unchanged) {
        return st;
    }
    s->archive_depth--;
    if (st == VG_OK && s->files_left_open == a->left_open) {
        st = s->in_batch ? VG_OK : batch_begin(s, err);
        if (st == VG_OK) {
            st = vg__store_file_complete(s->store, a->id, s->now, err);
            s->batch_changes++;
        }
        struct vg__file_stat fs = a->stat;
        if (st == VG_OK) {
            st = stat_record(s, NULL, &fs, a->digest, err);
        }
    } else if (st == VG_OK) {
        s->files_left_open++; /* an archive with a member left open is read again */
    }
    return st;
}

enum vg_status vg__ing_member_refused(struct ing_session *s,
                                      const char *label,
                                      const uint8_t digest[VG_DIGEST_SIZE],
                                      struct vg_error *why,
                                      struct vg_error *err)
{
    vg_error_at(why, label, 0, 0, 0, 0);
    return refuse_whole(s, label, "", 0, digest, "zip", why, err);
}

/* A zip archive z of files (path, data, len; digest: its content digest): each member read
 * as a file of its own, named path!member (as terminals and agents send a day of messages in
 * one attachment), compressed members and archives in it as such down to ING_ARCHIVE_DEPTH;
 * folders walked in the archive's order. A member that cannot be read (damaged, more than
 * the archive's bound) is refused with the reason, once, and the others go in. The archive
 * is registered too (format zip, vg__ing_archive_open), and marked read whole once every
 * member has been (read whole, refused or of no format): then the same archive again is
 * skipped by its digest without a member being decompressed, as a plain file is. The
 * read-ahead side reads archives the same way (pipeline.c). */
static enum vg_status ingest_zip(struct ing_session *s,
                                 const char *path,
                                 size_t len,
                                 const uint8_t *digest,
                                 zip_t *z,
                                 struct vg_error *err)
{
    if (s->archive_depth >= ING_ARCHIVE_DEPTH) {
        file_counted(s, len);
        skipped(s, path, "a zip archive inside an archive inside an archive: not read");
        return VG_OK;
    }
    struct ing_archive a;
    enum vg_status st = vg__ing_archive_open(s, path, len, digest, &a, err);
    if (st != VG_OK || a.unchanged) {
        return st;
    }
    struct vg_error why;
    struct vg__zx_reader r = { z, NULL, vg__ing_decompressed_max(len), "zip", &why };
    struct vg_buf member;
    vg_buf_init(&member, r.budget);
    zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n && st == VG_OK; i++) {
        char label[VG_ERROR_SOURCE_MAX];
        uint8_t md[VG_DIGEST_SIZE];
        enum vg_status ms = vg__zx_member(&r, (zip_uint64_t)i, path, digest, label, &member, md);
        if (ms == VG_ENOTFOUND) {
            continue; /* a folder */
        }
        if (ms == VG_EFORMAT || ms == VG_ELIMIT) {
            st = vg__ing_member_refused(s, label, md, &why, err);
        } else if (ms != VG_OK) {
            st = ms;
            if (err != NULL) {
                *err = why;
            }
        } else {
            st = ingest_data(s, label, member.data != NULL ? member.data : "", member.len, NULL,
                             err);
        }
    }
    vg_buf_release(&member);
    return vg__ing_archive_close(s, &a, st, err);
}

/* A zip archive (path, data, len; digest: its content digest), opened once: a workbook
 * (ingest_workbook) or files (ingest_zip); one that cannot be opened is refused whole. */
static enum vg_status ingest_archive(struct ing_session *s,
                                     const char *path,
                                     const char *data,
                                     size_t len,
                                     const uint8_t *digest,
                                     struct vg_error *err)
{
    struct vg_error why;
    vg_error_clear(&why);
    zip_t *z = vg__zx_open(data, len, "zip", &why);
    if (z == NULL) {
        vg_error_at(&why, path, 0, 0, 0, 0);
        return refuse_whole(s, path, data, len, digest, "zip", &why, err);
    }
    enum vg_status st;
    if (vg__zx_kind(z) == VG__ZX_FILES) {
        st = ingest_zip(s, path, len, digest, z, err);
    } else {
        struct ing_book b;
        const char *format = NULL;
        st = vg__ing_book_read(data, len, z, &b, &format, &why);
        st = ingest_workbook(s, path, data, len, digest, format, st, &b, &why, err);
    }
    zip_discard(z);
    return st;
}

/* Why a file of no format vigia reads is skipped: what it is, when it is one of the
 * spreadsheet exports people send instead (so the sender knows what to send), else the
 * formats vigia reads. */
static const char *unread_why(const char *data, size_t len)
{
    size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* a byte-order mark */
    while (i < len && i < 512 && strchr(" \t\r\n", data[i]) != NULL && data[i] != 0) {
        i++;
    }
    static const char *const html[] = { "<!DOCTYPE html", "<html", "<table" }; /* any case */
    for (size_t k = 0; k < sizeof(html) / sizeof(html[0]); k++) {
        size_t n = strlen(html[k]);
        if (len - i >= n && strncasecmp(data + i, html[k], n) == 0) {
            return "an HTML page (what some systems export as \"Excel\"): open it in a "
                   "spreadsheet and save it as .xlsx, .ods or CSV";
        }
    }
    return "not a format vigia reads (EDIFACT, NMEA AIS, the CSV/JSON layouts of "
           "docs/formats.md, or workbooks of them)";
}

/* The format of a file's text: "edifact", "nmea", "json", a CSV layout ("csv-manifest",
 * "csv-events"); NULL for none. */
static const char *text_format(const char *data, size_t len)
{
    const char *csv_layout = NULL;
    if (vg__ing_edifact_sniff(data, len)) {
        return "edifact";
    }
    if (vg__ing_nmea_sniff(data, len)) {
        return "nmea";
    }
    if (vg__ing_json_sniff(data, len)) {
        return "json";
    }
    if (vg__ing_csv_sniff(data, len, &csv_layout)) {
        return csv_layout;
    }
    return NULL;
}

static bool utf16_bom(const char *data, size_t len);

const char *vg__ing_ahead_format(const char *data, size_t len)
{
    if (vg__zx_magic(data, len) || vg__ing_ole2_magic(data, len) || utf16_bom(data, len)) {
        return NULL; /* archives and workbooks (the read-ahead side opens them), UTF-16 text */
    }
    const char *format = text_format(data, len);
    return format != NULL && strcmp(format, "nmea") != 0 ? format : NULL;
}

/* A file's text (data, len; digest: the file's content digest): its format detected, then
 * read by that format's reader, unless it is of no known format (skipped) or was read whole
 * before (unchanged). */
static enum vg_status ingest_text(struct ing_session *s,
                                  const char *path,
                                  const char *data,
                                  size_t len,
                                  const uint8_t *digest,
                                  struct vg_error *err)
{
    if (vg__zx_magic(data, len)) {
        return ingest_archive(s, path, data, len, digest, err);
    }
    if (vg__ing_ole2_magic(data, len)) {
        return ingest_xls(s, path, data, len, digest, err);
    }
    const char *format = text_format(data, len);
    if (format == NULL) {
        file_counted(s, len);
        skipped(s, path, unread_why(data, len));
        return VG_OK;
    }
    struct ing_file f = { path, data, len, 0, 0, 0, NULL };
    bool unchanged = false;
    enum vg_status st = file_begin(s, &f, format, digest, &unchanged, err);
    if (st != VG_OK || unchanged) {
        return st;
    }
    ing_read_fn read = vg__ing_reader_of(format);
    st = read != NULL ? vg__ing_read_here(s, &f, read, err) : vg__ing_read_nmea(s, &f, err);
    return file_end(s, st, err);
}

static bool utf16_bom(const char *data, size_t len)
{
    const unsigned char *b = (const unsigned char *)data;
    return len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF));
}

/* A file's decompressed content (data, len; digest: the file's content digest), as
 * ingest_text reads the text it holds: text in UTF-16 with its
 * byte-order mark (what spreadsheets save as "Unicode text") is read as its UTF-8. */
static enum vg_status ingest_decoded(struct ing_session *s,
                                     const char *path,
                                     const char *data,
                                     size_t len,
                                     const uint8_t *digest,
                                     struct vg_error *err)
{
    if (!utf16_bom(data, len)) {
        return ingest_text(s, path, data, len, digest, err);
    }
    if (s->entry_bytes == 0) {
        s->entry_bytes = len; /* counted as it came, not as converted */
    }
    struct vg_buf utf8;
    vg_buf_init(&utf8, len * 4 + 16); /* what the conversion reserves */
    enum vg_status st = vg_charset_to_utf8("UTF-16", data, len, &utf8, NULL);
    if (st == VG_OK) {
        st = ingest_text(s, path, utf8.data != NULL ? utf8.data : "", utf8.len, digest, err);
    } else if (st != VG_ENOMEM) {
        st = ingest_text(s, path, data, len, digest, err); /* no UTF-16 after all */
    } else {
        vg_error_set(err, st, "out of memory reading %s as UTF-16", path);
    }
    s->entry_bytes = 0;
    vg_buf_release(&utf8);
    return st;
}

/* A file's content (data, len; digest: its content digest when known, else NULL: computed
 * here, once), as ingest_decoded reads it: a gzip or Zstandard file is decompressed; the
 * file's digest stays that of its bytes. A file that does not decompress is refused
 * whole with the reason and the byte where it broke (vigia rejects). */
static enum vg_status ingest_data(struct ing_session *s,
                                  const char *path,
                                  const char *data,
                                  size_t len,
                                  const uint8_t *digest,
                                  struct vg_error *err)
{
    uint8_t own[VG_DIGEST_SIZE];
    if (digest == NULL) {
        vg_digest(data, len, own);
        digest = own;
    }
    enum ing_compression c = vg__ing_compression(data, len);
    if (c == ING_PLAIN) {
        return ingest_decoded(s, path, data, len, digest, err);
    }
    /* A compressed file read whole before is not decompressed again (as the read-ahead side
     * skips it): counted as read, its own bytes, and unchanged. */
    bool done = false;
    enum vg_status st = vg__store_file_done(s->store, digest, &done, err);
    if (st == VG_OK && done) {
        return known_file(s, path, len, digest, err);
    }
    if (st != VG_OK) {
        return st;
    }
    struct vg_buf plain;
    vg_buf_init(&plain, vg__ing_decompressed_max(len));
    struct vg_error why;
    vg_error_clear(&why);
    st = vg__ing_decompress(c, path, data, len, &plain, &why);
    if (st == VG_EFORMAT || st == VG_ELIMIT) {
        st = refuse_whole(s, path, data, len, digest, c == ING_GZIP ? "gzip" : "zstd", &why, err);
    } else if (st != VG_OK) {
        if (err != NULL) {
            *err = why;
        }
    } else {
        s->entry_bytes = len; /* counted as it came, not as decompressed */
        st = ingest_decoded(s, path, plain.data != NULL ? plain.data : "", plain.len, digest, err);
    }
    s->entry_bytes = 0;
    vg_buf_release(&plain);
    return st;
}

/* ---- runs read ahead -------------------------------------------------------------------- */

static const struct ing_file_ops ahead_ops = { .begin = file_begin,
                                               .end = file_end,
                                               .other = ingest_data,
                                               .decoded = ingest_decoded,
                                               .done = known_file };

/* Buffers from this size on are read ahead (vg_ingest_buffer). */
#define ING_AHEAD_MIN_BYTES (1u << 20)

struct entry_list {
    struct ing_entry *v;
    size_t n, cap;
};

/* Appends an entry for path (copied), its status fs (NULL: none); with err, a failed entry that
 * takes err's error (the run stops there). false when out of memory. */
static bool entry_add(struct entry_list *l,
                      const char *path,
                      const struct vg__file_stat *fs,
                      const struct vg_error *err)
{
    if (l->n == l->cap) {
        size_t cap = l->cap == 0 ? 64 : l->cap * 2;
        struct ing_entry *v = vg_reallocarray(l->v, cap, sizeof(*v));
        if (v == NULL) {
            return false;
        }
        l->v = v;
        l->cap = cap;
    }
    struct ing_entry *e = &l->v[l->n];
    memset(e, 0, sizeof(*e));
    e->path = vg_strdup(path);
    if (e->path == NULL) {
        return false;
    }
    if (fs != NULL) {
        e->stat = *fs;
        e->stat.path = e->path;
    }
    if (err != NULL) {
        e->failed = true;
        e->error = *err;
    }
    l->n++;
    return true;
}

static void entries_free(struct entry_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        vg_free(l->v[i].path);
    }
    vg_free(l->v);
}

/* Ends the run's open batch. After an error outside any file's reading (a file that could
 * not be opened, a folder that could not be listed) the batch holds whole files only: it
 * is committed, and the first error is the one returned. */
static enum vg_status run_end(struct ing_session *s, enum vg_status st, struct vg_error *err)
{
    if (!s->in_batch) {
        return st;
    }
    if (st == VG_OK) {
        return batch_end(s, err);
    }
    struct vg_error end_err;
    vg_error_clear(&end_err);
    (void)batch_end(s, &end_err);
    return st;
}

enum vg_status vg_ingest_buffer(struct vg_store *store, const char *name, const char *data,
                                size_t len, const struct vg_ingest_options *opts,
                                struct vg_ingest_report *report, struct vg_error *err)
{
    memset(report, 0, sizeof(*report));
    struct ing_session *s = NULL;
    enum vg_status st = vg__ing_session_new(store, opts, report, &s, err);
    if (st != VG_OK) {
        return st;
    }
    /* A large buffer is read on a second thread, as a run's files are (smaller ones are over
     * before a thread would pay for itself). */
    bool done = false;
    if (!s->opts.single_thread && len >= ING_AHEAD_MIN_BYTES && sysconf(_SC_NPROCESSORS_ONLN) >= 2) {
        struct ing_entry e = { .path = vg_strdup(name), .data = data, .len = len };
        done = e.path != NULL && vg__ing_read_ahead(s, &e, 1, &ahead_ops, &st, err);
        vg_free(e.path);
    }
    if (!done) {
        st = ingest_data(s, name, data, len, NULL, err);
    }
    st = run_end(s, st, err);
    vg__ing_session_free(s);
    if (st == VG_OK && report->rejected > 0) {
        st = vg_error_set(err, VG_EPARTIAL, "%lld message(s) or record(s) rejected",
                          (long long)report->rejected);
    }
    return st;
}

static enum vg_status list_file(struct ing_session *s,
                                void *ctx,
                                const char *path,
                                const struct vg__file_stat *fs,
                                struct vg_error *err)
{
    (void)s;
    if (!entry_add(ctx, path, fs, NULL)) {
        return vg_error_set(err, VG_ENOMEM, "out of memory listing the input");
    }
    return VG_OK;
}

/* The run read ahead on a second thread (vg__ing_read_ahead): every path walked first into
 * the list of files, a walk that failed ending it with its error (the run reads the files
 * before it, then stops there, as a sequential walk does). false when the thread could not
 * be started: nothing was read. */
static bool ingest_ahead(struct ing_session *s, const char *const *paths, int npaths,
                         enum vg_status *out, struct vg_error *err)
{
    struct entry_list list = { NULL, 0, 0 };
    struct vg_error werr;
    vg_error_clear(&werr);
    enum vg_status st = VG_OK;
    for (int i = 0; i < npaths && st == VG_OK; i++) {
        st = vg__ing_walk(s, paths[i], list_file, &list, &werr);
    }
    bool started = true;
    if (st != VG_OK && !entry_add(&list, werr.source[0] ? werr.source : paths[0], NULL, &werr)) {
        *out = vg_error_set(err, VG_ENOMEM, "out of memory listing the input");
    } else {
        started = vg__ing_read_ahead(s, list.v, list.n, &ahead_ops, out, err);
    }
    entries_free(&list);
    return started;
}

enum vg_status vg_ingest_paths(struct vg_store *store,
                               const char *const *paths,
                               int npaths,
                               const struct vg_ingest_options *opts,
                               struct vg_ingest_report *report,
                               struct vg_error *err)
{
    memset(report, 0, sizeof(*report));
    struct ing_session *s = NULL;
    enum vg_status st = vg__ing_session_new(store, opts, report, &s, err);
    if (st != VG_OK) {
        return st;
    }
    /* With a second processor the files are read ahead while the writer writes. */
    bool done = !s->opts.single_thread && npaths > 0 && sysconf(_SC_NPROCESSORS_ONLN) >= 2 &&
                ingest_ahead(s, paths, npaths, &st, err);
    for (int i = 0; !done && i < npaths && st == VG_OK; i++) {
        st = vg__ing_walk(s, paths[i], ingest_file, NULL, err);
    }
    st = run_end(s, st, err);
    vg__ing_session_free(s);
    if (st == VG_OK && report->rejected > 0) {
        st = vg_error_set(err, VG_EPARTIAL, "%lld message(s) or record(s) rejected",
                          (long long)report->rejected);
    }
    return st;
}
