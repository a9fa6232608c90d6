/*
 * Models in the store (vigia/model.h): table `models` of schema v1, one row per version
 * with the blob, the training parameters, the report and the features read; at most one
 * row is active. Every change appends an audit entry in the same transaction.
 */
#include "model/model_int.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/audit.h>
#include <vigia/time.h>

static enum vg_status stmt_fail(struct vg_error *err)
{
    return err != NULL && err->code != VG_OK ? err->code : VG_EDB;
}

/* Looks a version up: VG_OK with *id and *active, VG_ENOTFOUND, or a store error. */
static enum vg_status find_version(
    struct vg_store *store, const char *version, int64_t *id, bool *active, struct vg_error *err)
{
    static const char sql[] = "SELECT id, active FROM models WHERE version = ?1";
    sqlite3_stmt *q = vg__store_stmt(store, sql, err);
    if (q == NULL) {
        return stmt_fail(err);
    }
    vg__bind_text(q, 1, version);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(q, 0);
        *active = sqlite3_column_int(q, 1) != 0;
    }
    sqlite3_reset(q);
    if (rc == SQLITE_DONE) {
        return VG_ENOTFOUND;
    }
    return rc == SQLITE_ROW ? VG_OK : vg__store_error(store, rc, "looking up a model", err);
}

/* Dumps a JSON value (jansson's allocator: free() it). */
static char *dump(json_t *j)
{
    char *s = j == NULL ? NULL : json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    return s;
}

static enum vg_status insert_row(struct vg_store *store,
                                 const struct vg_model *m,
                                 int64_t trained_at,
                                 int64_t *id,
                                 struct vg_error *err)
{
    static const char sql[] =
        "INSERT INTO models(version, kind, trained_at, trained_until, params, metrics,"
        " features, blob, active) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)";
    char *params = dump(json_incref(m->params));
    char *metrics = dump(vg__metrics_to_json(&m->info.metrics));
    char *features = dump(vg__enc_to_json(&m->enc));
    enum vg_status st = VG_OK;
    if (params == NULL || metrics == NULL || features == NULL) {
        st = vg_error_set(err, VG_ENOMEM, "out of memory describing the model");
    }
    sqlite3_stmt *q = st == VG_OK ? vg__store_stmt(store, sql, err) : NULL;
    if (st == VG_OK && q == NULL) {
        st = stmt_fail(err);
    }
    if (st == VG_OK) {
        vg__bind_text(q, 1, m->version);
        vg__bind_text(q, 2, VG_MODEL_KIND);
        sqlite3_bind_int64(q, 3, trained_at);
        vg__bind_int64_or_null(q, 4, m->info.trained_until, VG_TIME_NONE);
        vg__bind_text(q, 5, params);
        vg__bind_text(q, 6, metrics);
        vg__bind_text(q, 7, features);
        sqlite3_bind_blob64(q, 8, m->blob, m->blob_len, SQLITE_STATIC);
        int rc = sqlite3_step(q);
        sqlite3_reset(q);
        sqlite3_clear_bindings(q);
        if (rc != SQLITE_DONE) {
            st = vg__store_error(store, rc, "storing a model", err);
        } else {
            *id = sqlite3_last_insert_rowid(store->db);
        }
    }
    free(params);
    free(metrics);
    free(features);
    return st;
}

enum vg_status vg_model_store_insert(struct vg_store *store,
                                     const struct vg_model *model,
                                     int64_t trained_at,
                                     int64_t *id,
                                     bool *inserted,
                                     struct vg_error *err)
{
    if (inserted != NULL) {
        *inserted = false;
    }
    if (store == NULL || model == NULL) {
        return vg_error_set(err, VG_EINVAL, "storing a model needs a store and a model");
    }
    enum vg_status st = vg_store_begin(store, err);
    if (st != VG_OK) {
        return st;
    }
    int64_t row = 0;
    bool active = false;
    st = find_version(store, model->version, &row, &active, err);
    if (st == VG_OK) {
        vg_store_rollback(store);
        if (id != NULL) {
            *id = row;
        }
        return VG_OK;
    }
    if (st == VG_ENOTFOUND) {
        st = insert_row(store, model, trained_at == VG_TIME_NONE ? vg_time_now() : trained_at, &row,
                        err);
    }
    if (st == VG_OK) {
        char objects[160];
        snprintf(objects, sizeof(objects), "{\"table\":\"models\",\"id\":%lld,\"version\":\"%s\"}",
                 (long long)row, model->version);
        st = vg_audit_append(store, "model.insert", objects,
                             model->blob + model->blob_len - VG_DIGEST_SIZE, err);
    }
    if (st == VG_OK) {
        st = vg_store_commit(store, err);
    }
    if (st != VG_OK) {
        vg_store_rollback(store);
        return st;
    }
    if (id != NULL) {
        *id = row;
    }
    if (inserted != NULL) {
        *inserted = true;
    }
    return VG_OK;
}

enum vg_status
vg_model_store_activate(struct vg_store *store, const char *version, struct vg_error *err)
{
    static const char others_sql[] = "SELECT count(*) FROM models WHERE active = 1 AND id <> ?1";
    static const char update_sql[] =
        "UPDATE models SET active = (id = ?1) WHERE active = 1 OR id = ?1";
    if (store == NULL || version == NULL) {
        return vg_error_set(err, VG_EINVAL, "activating needs a store and a version");
    }
    enum vg_status st = vg_store_begin(store, err);
    if (st != VG_OK) {
        return st;
    }
    int64_t row = 0;
    bool active = false;
    st = find_version(store, version, &row, &active, err);
    if (st == VG_ENOTFOUND) {
        vg_store_rollback(store);
        return vg_error_set(err, VG_ENOTFOUND, "no model version %.60s in the store", version);
    }
    int64_t others = 0;
    if (st == VG_OK) {
        sqlite3_stmt *q = vg__store_stmt(store, others_sql, err);
        if (q == NULL) {
            st = stmt_fail(err);
        } else {
            sqlite3_bind_int64(q, 1, row);
            int rc = sqlite3_step(q);
            others = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
            sqlite3_reset(q);
            if (rc != SQLITE_ROW) {
                st = vg__store_error(store, rc, "reading the active model", err);
            }
        }
    }
    if (st == VG_OK && active && others == 0) {
        vg_store_rollback(store);
        return VG_OK;
    }
    if (st == VG_OK) {
        sqlite3_stmt *q = vg__store_stmt(store, update_sql, err);
        if (q == NULL) {
            st = stmt_fail(err);
        } else {
            sqlite3_bind_int64(q, 1, row);
            int rc = sqlite3_step(q);
            sqlite3_reset(q);
            if (rc != SQLITE_DONE) {
                st = vg__store_error(store, rc, "activating a model", err);
            }
        }
    }
    if (st == VG_OK) {
        char objects[160];
        snprintf(objects, sizeof(objects), "{\"table\":\"models\",\"id\":%lld,\"version\":\"%s\"}",
                 (long long)row, version);
        st = vg_audit_append(store, "model.activate", objects, NULL, err);
    }
    if (st == VG_OK) {
        st = vg_store_commit(store, err);
    }
    if (st != VG_OK) {
        vg_store_rollback(store);
    }
    return st;
}

enum vg_status vg_model_store_load(struct vg_store *store,
                                   const char *version,
                                   const struct vg_feature_schema *schema,
                                   struct vg_model **out,
                                   int64_t *id,
                                   struct vg_error *err)
{
    static const char active_sql[] =
        "SELECT id, blob FROM models WHERE active = 1 ORDER BY id DESC LIMIT 1";
    static const char version_sql[] = "SELECT id, blob FROM models WHERE version = ?1";
    if (out != NULL) {
        *out = NULL;
    }
    if (store == NULL || schema == NULL || out == NULL) {
        return vg_error_set(err, VG_EINVAL, "loading needs a store, a schema and out");
    }
    sqlite3_stmt *q = vg__store_stmt(store, version == NULL ? active_sql : version_sql, err);
    if (q == NULL) {
        return stmt_fail(err);
    }
    if (version != NULL) {
        vg__bind_text(q, 1, version);
    }
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(q);
        if (rc != SQLITE_DONE) {
            return vg__store_error(store, rc, "reading a model", err);
        }
        if (version == NULL) {
            return vg_error_set(err, VG_ENOTFOUND,
                                "no active model: scores use rules and "
                                "lists alone");
        }
        return vg_error_set(err, VG_ENOTFOUND, "no model version %.60s in the store", version);
    }
    int64_t row = sqlite3_column_int64(q, 0);
    const void *blob = sqlite3_column_blob(q, 1);
    size_t len = (size_t)sqlite3_column_bytes(q, 1);
    enum vg_status st = vg_model_load(blob, len, schema, out, err);
    sqlite3_reset(q);
    if (st == VG_OK && id != NULL) {
        *id = row;
    }
    return st;
}
