/*
 * Shared machinery of the code-list importers: one file, one transaction, per-record
 * rejects that do not stop the good records, and an audit entry only when something
 * changed (so a re-import is a true no-op).
 */
#include "codes/codes_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <vigia/charset.h>
#include <vigia/log.h>

enum vg_status vg__code_import_begin(struct code_import *imp, struct vg_store *store,
                                     const char *path, const char *kind,
                                     struct vg_import_report *report, vg_problem_fn on_reject,
                                     void *user, struct vg_error *err)
{
    memset(imp, 0, sizeof(*imp));
    memset(report, 0, sizeof(*report));
    imp->store = store;
    imp->path = path;
    imp->kind = kind;
    imp->report = report;
    imp->on_reject = on_reject;
    imp->user = user;
    enum vg_status st = vg_file_open(path, &imp->file, err);
    if (st != VG_OK) {
        return st;
    }
    vg_digest(imp->file.data, imp->file.len, imp->digest);
    /* Publishers differ: UNECE's CSV is ISO 8859-1, others UTF-8. Text that is valid
     * UTF-8 is taken as such; anything else is read as Latin-1. */
    imp->latin1 = !vg_utf8_valid(imp->file.data, imp->file.len);
    vg_csv_init(&imp->csv, imp->file.data, imp->file.len, ',');
    vg_arena_init(&imp->fields, 8192, 16u << 20);
    st = vg_store_begin(store, err);
    if (st == VG_OK) {
        st = vg__store_file_register(store, path, imp->digest, (int64_t)imp->file.len, kind,
                                     &imp->file_id, NULL, NULL, err);
        if (st != VG_OK) {
            vg_store_rollback(store);
        }
    }
    if (st != VG_OK) {
        vg_csv_release(&imp->csv);
        vg_arena_release(&imp->fields);
        vg_file_close(&imp->file);
    }
    return st;
}

const char *vg__code_field(struct code_import *imp, int i)
{
    struct vg_slice f = vg_slice_trim(vg_csv_field(&imp->csv, (size_t)i));
    if (!imp->latin1) {
        return vg_arena_strndup(&imp->fields, f.ptr, f.len);
    }
    struct vg_buf b;
    vg_buf_init(&b, 1 << 20);
    if (vg_latin1_to_utf8(f.ptr, f.len, &b) != VG_OK) {
        vg_buf_release(&b);
        return NULL;
    }
    char *s = vg_arena_strndup(&imp->fields, b.data != NULL ? b.data : "", b.len);
    vg_buf_release(&b);
    return s;
}

enum vg_status vg__code_reject(struct code_import *imp, const char *fmt, ...)
{
    struct vg_error reason;
    vg_error_clear(&reason);
    vg_error_at(&reason, imp->path, imp->csv.record_line, 0, imp->csv.record_offset, imp->csv.record);
    reason.code = VG_EPARSE;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason.message, sizeof(reason.message), fmt, ap);
    va_end(ap);
    imp->report->rejected++;
    if (imp->on_reject != NULL) {
        imp->on_reject(imp->user, true, &reason);
    }
    size_t end = imp->csv.pos > imp->csv.record_offset ? imp->csv.pos : imp->csv.record_offset;
    size_t ex_len = end - imp->csv.record_offset;
    if (ex_len > 512) {
        ex_len = 512;
    }
    bool inserted = false;
    enum vg_status st = vg__store_reject(imp->store, imp->file_id, imp->kind, &reason, NULL,
                                         imp->file.data + imp->csv.record_offset, ex_len,
                                         &inserted, NULL);
    if (inserted) {
        imp->new_rejects++;
    }
    return st;
}

enum vg_status vg__code_flag(struct code_import *imp, const char *kind, const char *field,
                             const char *value, const char *fmt, ...)
{
    struct vg_error reason;
    vg_error_clear(&reason);
    vg_error_at(&reason, imp->path, imp->csv.record_line, 0, imp->csv.record_offset, imp->csv.record);
    reason.code = VG_ECHECK;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason.message, sizeof(reason.message), fmt, ap);
    va_end(ap);
    imp->report->flagged++;
    if (imp->on_reject != NULL) {
        imp->on_reject(imp->user, false, &reason);
    }
    struct vg__finding f = {
        .file_id = imp->file_id,
        .offset = (int64_t)imp->csv.record_offset,
        .kind = kind,
        .field = field,
        .value = value,
        .detail = reason.message,
    };
    bool inserted = false;
    enum vg_status st = vg__store_finding(imp->store, &f, &inserted, NULL);
    if (inserted) {
        imp->new_rejects++;
    }
    return st;
}

void vg__code_count(struct code_import *imp, int outcome)
{
    if (outcome == 1) {
        imp->report->inserted++;
    } else if (outcome == 2) {
        imp->report->updated++;
    } else {
        imp->report->unchanged++;
    }
}

int vg__code_upsert(struct vg_store *store, sqlite3_stmt *insert, sqlite3_stmt *update,
                    struct vg_error *err)
{
    int rc = sqlite3_step(insert);
    sqlite3_reset(insert);
    if (rc != SQLITE_DONE) {
        vg__store_error(store, rc, "inserting a code", err);
        return -1;
    }
    if (sqlite3_changes(store->db) > 0) {
        return 1;
    }
    rc = sqlite3_step(update);
    sqlite3_reset(update);
    if (rc != SQLITE_DONE) {
        vg__store_error(store, rc, "updating a code", err);
        return -1;
    }
    return sqlite3_changes(store->db) > 0 ? 2 : 0;
}

static void close_import(struct code_import *imp)
{
    vg_csv_release(&imp->csv);
    vg_arena_release(&imp->fields);
    vg_file_close(&imp->file);
}

enum vg_status vg__code_import_finish(struct code_import *imp, struct vg_error *err)
{
    struct vg_import_report *r = imp->report;
    enum vg_status st = VG_OK;
    if (r->inserted + r->updated > 0 || imp->new_rejects > 0) {
        char objects[1200];
        snprintf(objects, sizeof(objects),
                 "{\"code_list\":\"%s\",\"file\":\"%.900s\",\"inserted\":%lld,\"updated\":%lld,"
                 "\"rejected\":%lld}",
                 imp->kind, imp->path, (long long)r->inserted, (long long)r->updated,
                 (long long)r->rejected);
        char action[64];
        snprintf(action, sizeof(action), "codes.import.%s", imp->kind);
        st = vg_audit_append(imp->store, action, objects, imp->digest, err);
        if (st == VG_OK) {
            st = vg_store_commit(imp->store, err);
        } else {
            vg_store_rollback(imp->store);
        }
    } else {
        vg_store_rollback(imp->store);
    }
    close_import(imp);
    if (st == VG_OK && r->rejected > 0) {
        st = VG_EPARTIAL;
        vg_error_set(err, VG_EPARTIAL, "%lld record(s) rejected", (long long)r->rejected);
    }
    vg_log(VG_LOG_INFO, "codes", "%s: %lld records, %lld new, %lld changed, %lld rejected",
           imp->path, (long long)r->records, (long long)r->inserted, (long long)r->updated,
           (long long)r->rejected);
    return st;
}

void vg__code_import_abort(struct code_import *imp)
{
    vg_store_rollback(imp->store);
    close_import(imp);
}

enum vg_status vg__code_next(struct code_import *imp, bool *rejected, struct vg_error *err)
{
    *rejected = false;
    struct vg_error rerr;
    vg_error_clear(&rerr);
    enum vg_status st = vg_csv_next(&imp->csv, &rerr);
    if (st == VG_ENOTFOUND) {
        return st;
    }
    vg_arena_reset(&imp->fields);
    if (st == VG_EPARSE || st == VG_ELIMIT) {
        imp->report->records++;
        *rejected = true;
        return vg__code_reject(imp, "%s", rerr.message);
    }
    if (st != VG_OK) {
        return vg_error_set(err, st, "%s", rerr.message);
    }
    return VG_OK;
}
