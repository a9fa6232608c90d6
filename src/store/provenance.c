/* Input files and data-quality findings: where every record came from. */
#include "store/store_int.h"

#include <vigia/alloc.h>
#include <vigia/log.h>
#include <vigia/time.h>

enum vg_status vg__store_file_register(struct vg_store *store,
                                       const char *path,
                                       const uint8_t digest[VG_DIGEST_SIZE],
                                       int64_t size,
                                       const char *format,
                                       int64_t *file_id,
                                       bool *is_new,
                                       bool *completed,
                                       struct vg_error *err)
{
    static const char insert_sql[] =
        "INSERT OR IGNORE INTO ingest_files(path, digest, size, format, first_ingested_at,"
        " last_ingested_at) VALUES(?1,?2,?3,?4,?5,?5)";
    static const char select_sql[] =
        "SELECT id, completed_at IS NOT NULL FROM ingest_files WHERE digest = ?1";
    sqlite3_stmt *st = vg__store_stmt(store, insert_sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    vg__bind_text(st, 1, path);
    sqlite3_bind_blob(st, 2, digest, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, size);
    vg__bind_text(st, 4, format);
    sqlite3_bind_int64(st, 5, vg_time_now());
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "registering an input file", err);
    }
    if (is_new != NULL) {
        *is_new = sqlite3_changes(store->db) > 0;
    }
    st = vg__store_stmt(store, select_sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    sqlite3_bind_blob(st, 1, digest, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return vg__store_error(store, rc, "reading an input file id", err);
    }
    *file_id = sqlite3_column_int64(st, 0);
    if (completed != NULL) {
        *completed = sqlite3_column_int(st, 1) != 0;
    }
    sqlite3_reset(st);
    return VG_OK;
}

enum vg_status vg__store_file_done(struct vg_store *store,
                                   const uint8_t digest[VG_DIGEST_SIZE],
                                   bool *done,
                                   struct vg_error *err)
{
    static const char sql[] =
        "SELECT 1 FROM ingest_files WHERE digest = ?1 AND completed_at IS NOT NULL";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    sqlite3_bind_blob(st, 1, digest, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "looking up an input file", err);
    }
    *done = rc == SQLITE_ROW;
    return VG_OK;
}

/* A file of this digest was read whole (?1: the digest): the read-ahead probe's question,
 * which registration answers for the writer (vg__store_file_register). */
static const char file_done_sql[] =
    "SELECT 1 FROM ingest_files WHERE digest = ?1 AND completed_at IS NOT NULL";

/* A file of this status is a file read whole (?1..?6: device, inode, size, mtime_ns,
 * ctime_ns, path). */
static const char file_stat_sql[] =
    "SELECT 1 FROM ingest_file_stats s JOIN ingest_files f ON f.id = s.file_id"
    " WHERE s.device = ?1 AND s.inode = ?2 AND s.size = ?3 AND s.mtime_ns = ?4"
    " AND s.ctime_ns = ?5 AND s.path = ?6 AND f.completed_at IS NOT NULL";

static void bind_file_stat(sqlite3_stmt *st, const struct vg__file_stat *fs)
{
    sqlite3_bind_int64(st, 1, fs->device);
    sqlite3_bind_int64(st, 2, fs->inode);
    sqlite3_bind_int64(st, 3, fs->size);
    sqlite3_bind_int64(st, 4, fs->mtime_ns);
    sqlite3_bind_int64(st, 5, fs->ctime_ns);
    sqlite3_bind_text(st, 6, fs->path, -1, SQLITE_STATIC);
}

enum vg_status vg__store_file_stat_known(struct vg_store *store,
                                         const struct vg__file_stat *fs,
                                         bool *known,
                                         struct vg_error *err)
{
    sqlite3_stmt *st = vg__store_stmt(store, file_stat_sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    bind_file_stat(st, fs);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "looking up an input file", err);
    }
    *known = rc == SQLITE_ROW;
    return VG_OK;
}

enum vg_status vg__store_file_stat_put(struct vg_store *store,
                                       const struct vg__file_stat *fs,
                                       const uint8_t digest[VG_DIGEST_SIZE],
                                       bool *changed,
                                       struct vg_error *err)
{
    static const char sql[] =
        "INSERT INTO ingest_file_stats(device, inode, size, mtime_ns, ctime_ns, path, file_id)"
        " SELECT ?1, ?2, ?3, ?4, ?5, ?6, id FROM ingest_files WHERE digest = ?7 AND true"
        " ON CONFLICT(device, inode) DO UPDATE SET size = excluded.size,"
        " mtime_ns = excluded.mtime_ns, ctime_ns = excluded.ctime_ns, path = excluded.path,"
        " file_id = excluded.file_id"
        " WHERE (size, mtime_ns, ctime_ns, path, file_id) IS NOT"
        " (excluded.size, excluded.mtime_ns, excluded.ctime_ns, excluded.path, excluded.file_id)";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    bind_file_stat(st, fs);
    sqlite3_bind_blob(st, 7, digest, VG_DIGEST_SIZE, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "recording an input file's status", err);
    }
    if (changed != NULL) {
        *changed = sqlite3_changes(store->db) > 0;
    }
    return VG_OK;
}

struct vg__file_probe {
    sqlite3 *db;
    sqlite3_stmt *done;
    sqlite3_stmt *stat; /* NULL for a store without the table (read before its migration) */
};

enum vg_status
vg__store_file_probe_open(struct vg_store *store, struct vg__file_probe **out, struct vg_error *err)
{
    *out = NULL;
    const char *path = sqlite3_db_filename(store->db, "main");
    if (path == NULL || path[0] == '\0') {
        return VG_OK;
    }
    struct vg__file_probe *p = vg_calloc(1, sizeof(*p));
    if (p == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    if (sqlite3_open_v2(path, &p->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(p->db, file_done_sql, -1, &p->done, NULL) != SQLITE_OK) {
        vg_log(VG_LOG_DEBUG, "store",
               "no read-only connection to %s (%s): files read whole before are compared "
               "message by message",
               path, sqlite3_errmsg(p->db));
        vg__store_file_probe_close(p);
        return VG_OK;
    }
    sqlite3_busy_timeout(p->db, 10000);
    (void)sqlite3_prepare_v2(p->db, file_stat_sql, -1, &p->stat, NULL);
    *out = p;
    return VG_OK;
}

bool vg__store_file_probe_stat(struct vg__file_probe *p, const struct vg__file_stat *fs)
{
    if (p == NULL || p->stat == NULL || !fs->valid) {
        return false;
    }
    bind_file_stat(p->stat, fs);
    bool known = sqlite3_step(p->stat) == SQLITE_ROW;
    sqlite3_reset(p->stat);
    return known;
}

bool vg__store_file_probe_done(struct vg__file_probe *p, const uint8_t digest[VG_DIGEST_SIZE])
{
    if (p == NULL) {
        return false;
    }
    sqlite3_bind_blob(p->done, 1, digest, VG_DIGEST_SIZE, SQLITE_STATIC);
    bool done = sqlite3_step(p->done) == SQLITE_ROW;
    sqlite3_reset(p->done); /* ends the read: the log's checkpoints are not held back */
    return done;
}

void vg__store_file_probe_close(struct vg__file_probe *p)
{
    if (p != NULL) {
        sqlite3_finalize(p->done);
        sqlite3_finalize(p->stat);
        sqlite3_close(p->db);
        vg_free(p);
    }
}

enum vg_status
vg__store_file_complete(struct vg_store *store, int64_t file_id, int64_t now, struct vg_error *err)
{
    static const char sql[] =
        "UPDATE ingest_files SET completed_at = ?2 WHERE id = ?1 AND completed_at IS NULL";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_int64(st, 2, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "marking an input file read whole", err);
    }
    return VG_OK;
}

enum vg_status vg__store_finding(struct vg_store *store, const struct vg__finding *f,
                                 bool *inserted, struct vg_error *err)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO findings(message_id, file_id, segment_no, byte_offset, kind,"
        " field, value, expected, detail, created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    vg__bind_int64_or_null(st, 1, f->message_id, 0);
    vg__bind_int64_or_null(st, 2, f->file_id, 0);
    vg__bind_int64_or_null(st, 3, f->segment_no, 0);
    sqlite3_bind_int64(st, 4, f->offset);
    vg__bind_text(st, 5, f->kind);
    vg__bind_text(st, 6, f->field);
    vg__bind_text(st, 7, f->value);
    vg__bind_text(st, 8, f->expected);
    vg__bind_text(st, 9, f->detail);
    sqlite3_bind_int64(st, 10, vg_time_now());
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "recording a finding", err);
    }
    if (inserted != NULL) {
        *inserted = sqlite3_changes(store->db) > 0;
    }
    return VG_OK;
}
