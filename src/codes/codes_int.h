/* Private machinery shared by the code-list importers. */
#ifndef VIGIA_CODES_INT_H
#define VIGIA_CODES_INT_H

#include <stdbool.h>

#include <vigia/arena.h>
#include <vigia/codes.h>
#include <vigia/csv.h>
#include <vigia/file.h>

#include "store/store_int.h"

/* One import of one CSV file inside one transaction. */
struct code_import {
    struct vg_store *store;
    const char *path;
    const char *kind;          /* "unlocode", "hs", "ports" (audit and messages) */
    struct vg_file file;
    struct vg_csv_reader csv;
    struct vg_import_report *report;
    vg_problem_fn on_reject;
    void *user;
    bool latin1;               /* convert fields from ISO 8859-1 */
    struct vg_arena fields;    /* converted fields of the current record */
    uint8_t digest[VG_DIGEST_SIZE];
    int64_t new_rejects;       /* rejects and findings not recorded by an earlier import */
    int64_t file_id;           /* the file's row in ingest_files */
};

/* Opens path, detects its encoding, starts the transaction. */
enum vg_status vg__code_import_begin(struct code_import *imp, struct vg_store *store,
                                     const char *path, const char *kind,
                                     struct vg_import_report *report, vg_problem_fn on_reject,
                                     void *user, struct vg_error *err);

/* Field i of the current record as a NUL-terminated, trimmed UTF-8 string (never NULL;
 * "" when absent), valid until the next record. NULL only on out-of-memory. */
const char *vg__code_field(struct code_import *imp, int i);

/*
 * Reads the next CSV record: VG_OK with *rejected false for a record to take, VG_OK with
 * *rejected true when its syntax was refused (already recorded as a reject: go on),
 * VG_ENOTFOUND at the end, another status (err set) when reading failed.
 */
enum vg_status vg__code_next(struct code_import *imp, bool *rejected, struct vg_error *err);

/* Records a reject for the current record with a printf message. */
enum vg_status vg__code_reject(struct code_import *imp, const char *fmt, ...) VG_PRINTF(2, 3);

/* Records a data-quality finding for the current record (the record is still taken). */
enum vg_status vg__code_flag(struct code_import *imp, const char *kind, const char *field,
                             const char *value, const char *fmt, ...) VG_PRINTF(5, 6);

/* Counts an upsert result: 1 inserted, 2 updated, 0 unchanged. */
void vg__code_count(struct code_import *imp, int outcome);

/* Commits (appending an audit entry when anything changed) or rolls back when nothing
 * changed; closes the file. Returns VG_EPARTIAL when records were rejected. */
enum vg_status vg__code_import_finish(struct code_import *imp, struct vg_error *err);

/* Rolls back and closes after an error. */
void vg__code_import_abort(struct code_import *imp);

/* Runs an "INSERT OR IGNORE" statement then, when it inserted nothing, an "UPDATE ...
 * WHERE key AND content differs"; both already bound. Returns 1, 2 or 0 as above, or -1
 * with err set. */
int vg__code_upsert(struct vg_store *store, sqlite3_stmt *insert, sqlite3_stmt *update,
                    struct vg_error *err);

/* Looks a port up in the built-in table (builtin_ports.c). */
bool vg__builtin_port(const char *locode, struct vg_port_info *out);

#endif
