/* Queries handed to a row sink, and the recording of rejects and findings. */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>
#include <vigia/time.h>

enum vg_status vg__store_query_rows(struct vg_store *store,
                                    const char *sql,
                                    const char *const *params,
                                    int nparams,
                                    const struct vg_row_sink *sink,
                                    struct vg_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        return vg__store_error(store, rc, "preparing a listing", err);
    }
    for (int i = 0; i < nparams; i++) {
        vg__bind_text(st, i + 1, params[i]);
    }
    int n = sqlite3_column_count(st);
    const char *names[64];
    const char *values[64];
    enum vg_cell_kind kinds[64];
    if (n > 64) {
        sqlite3_finalize(st);
        return vg_error_set(err, VG_ELIMIT, "listing has too many columns");
    }
    for (int i = 0; i < n; i++) {
        names[i] = sqlite3_column_name(st, i);
    }
    if (sink->columns != NULL) {
        sink->columns(sink->user, (size_t)n, names);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < n; i++) {
            /* The type as stored, asked before the text conversion changes it. */
            int type = sqlite3_column_type(st, i);
            kinds[i] = type == SQLITE_INTEGER ? VG_CELL_INTEGER
                       : type == SQLITE_FLOAT ? VG_CELL_REAL
                                              : VG_CELL_TEXT;
            values[i] = (const char *)sqlite3_column_text(st, i);
        }
        if (vg_row_sink_emit(sink, (size_t)n, values, kinds) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "reading a listing", err);
    }
    return VG_OK;
}

enum vg_status vg__store_reject(struct vg_store *store,
                                int64_t file_id,
                                const char *format,
                                const struct vg_error *reason,
                                const char *msg_ref,
                                const char *excerpt,
                                size_t excerpt_len,
                                bool *inserted,
                                struct vg_error *err)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO rejects(file_id, source, format, line, column_no, byte_offset,"
        " item, msg_ref, status, reason, excerpt, created_at)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    vg__bind_int64_or_null(st, 1, file_id, 0);
    vg__bind_text(st, 2, reason->source[0] != '\0' ? reason->source : "-");
    vg__bind_text(st, 3, format);
    vg__bind_int64_or_null(st, 4, reason->line, 0);
    vg__bind_int64_or_null(st, 5, reason->column, 0);
    sqlite3_bind_int64(st, 6, (int64_t)reason->offset);
    vg__bind_int64_or_null(st, 7, reason->item, 0);
    vg__bind_text(st, 8, msg_ref);
    vg__bind_text(st, 9, vg_status_name(reason->code));
    vg__bind_text(st, 10, reason->message);
    if (excerpt != NULL) {
        sqlite3_bind_blob64(st, 11, excerpt, excerpt_len, SQLITE_TRANSIENT);
    }
    sqlite3_bind_int64(st, 12, vg_time_now());
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "recording a reject", err);
    }
    if (inserted != NULL) {
        *inserted = sqlite3_changes(store->db) > 0;
    }
    return VG_OK;
}
