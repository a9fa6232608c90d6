/*
 * Stored feature records: the names a packed record refers to (table feature_names,
 * schema 7) and reading a record back as JSON, in C (vg_risk_record_text) and in SQL
 * (vg_feature_record(features), registered by rk_record_sql_function).
 *
 * feature_names only grows: a name keeps its id and an id its name, so a cache of the
 * table is stale only when a record names an id it has not seen, and is then read again.
 */
#include "risk/risk_int.h"

#include <string.h>
#include <vigia/alloc.h>

/* At most this many names (ids): far above any catalogue, and a bound on what a damaged
 * table can make a reader allocate. */
#define RK_NAMES_MAX 65536

enum vg_status
rk_record_names(struct vg_store *store, uint32_t name[VG_F_COUNT], struct vg_error *err)
{
    static const char get[] = "SELECT id FROM feature_names WHERE name = ?1";
    static const char add[] = "INSERT INTO feature_names(name) VALUES(?1)";
    const struct vg_feature_schema *cat = vg_feature_catalog();
    for (size_t f = 0; f < VG_F_COUNT; f++) {
        sqlite3_stmt *st = vg__store_stmt(store, get, err);
        if (st == NULL) {
            return err != NULL ? err->code : VG_EDB;
        }
        vg__bind_text(st, 1, cat->defs[f].name);
        int rc = sqlite3_step(st);
        int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
        sqlite3_reset(st);
        if (rc == SQLITE_DONE) {
            if ((st = vg__store_stmt(store, add, err)) == NULL) {
                return err != NULL ? err->code : VG_EDB;
            }
            vg__bind_text(st, 1, cat->defs[f].name);
            rc = sqlite3_step(st);
            sqlite3_reset(st);
            id = sqlite3_last_insert_rowid(store->db);
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            return vg__store_error(store, rc, "recording the feature names", err);
        }
        if (id < 0 || id >= RK_NAMES_MAX) {
            return vg_error_set(err, VG_ELIMIT, "feature name id %lld out of range", (long long)id);
        }
        name[f] = (uint32_t)id;
    }
    return VG_OK;
}

/* The table feature_names, by id. */
struct names {
    struct vg_slice *name; /* [n]; ptr NULL for ids without a row */
    size_t n;
    char *pool;
};

static void names_release(struct names *nm)
{
    vg_free(nm->name);
    vg_free(nm->pool);
    *nm = (struct names){ 0 };
}

static enum vg_status names_load(struct vg_store *store, struct names *nm, struct vg_error *err)
{
    names_release(nm);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(store->db,
                                "SELECT coalesce(max(id), -1), coalesce(sum(length(name)), 0)"
                                " FROM feature_names",
                                -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t max = sqlite3_column_int64(st, 0), bytes = sqlite3_column_int64(st, 1);
        sqlite3_finalize(st);
        st = NULL;
        if (max >= RK_NAMES_MAX || bytes < 0 || bytes > (int64_t)RK_NAMES_MAX * 256) {
            return vg_error_set(err, VG_ELIMIT, "too many feature names in the store");
        }
        nm->n = max < 0 ? 0 : (size_t)max + 1;
        nm->name = vg_calloc(nm->n + 1, sizeof(*nm->name));
        nm->pool = vg_malloc((size_t)bytes + 1);
        if (nm->name == NULL || nm->pool == NULL) {
            names_release(nm);
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        rc = sqlite3_prepare_v2(store->db, "SELECT id, name FROM feature_names", -1, &st, NULL);
        size_t used = 0;
        while (st != NULL && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            int64_t id = sqlite3_column_int64(st, 0);
            const unsigned char *s = sqlite3_column_text(st, 1);
            size_t len = (size_t)sqlite3_column_bytes(st, 1);
            if (id < 0 || (size_t)id >= nm->n || s == NULL || len > (size_t)bytes - used) {
                continue; /* the table changed under us: the next miss reads it again */
            }
            memcpy(nm->pool + used, s, len);
            nm->name[id] = (struct vg_slice){ nm->pool + used, len };
            used += len;
        }
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
        names_release(nm);
        return vg__store_error(store, rc, "reading the feature names", err);
    }
    return VG_OK;
}

/* Appends the JSON of a stored features value: a JSON record as it is, a packed one
 * unpacked with nm (read again once when it names an id nm lacks). */
static enum vg_status record_text(struct vg_store *store,
                                  struct names *nm,
                                  const void *data,
                                  size_t len,
                                  struct vg_buf *out,
                                  struct vg_error *err)
{
    if (len > 0 && *(const char *)data == '{') {
        enum vg_status s = vg_buf_append(out, data, len);
        return s == VG_OK ? VG_OK
                          : vg_error_set(err, s, "%s reading a feature record", vg_strerror(s));
    }
    enum vg_status s = rk_record_unpack(data, len, nm->name, nm->n, out);
    if (s == VG_EPARSE && len > 0 && *(const uint8_t *)data == RK_RECORD_PACKED) {
        if ((s = names_load(store, nm, err)) != VG_OK) {
            return s;
        }
        s = rk_record_unpack(data, len, nm->name, nm->n, out);
    }
    if (s == VG_EPARSE) {
        return vg_error_set(err, s, "a stored feature record is damaged");
    }
    return s == VG_OK ? VG_OK : vg_error_set(err, s, "%s reading a feature record", vg_strerror(s));
}

enum vg_status vg_risk_record_text(
    struct vg_store *store, const void *data, size_t len, struct vg_buf *out, struct vg_error *err)
{
    if (store == NULL || (data == NULL && len > 0) || out == NULL) {
        return vg_error_set(err, VG_EINVAL,
                            "vg_risk_record_text: store, data and out are required");
    }
    struct names nm = { 0 };
    enum vg_status s = record_text(store, &nm, data, len, out, err);
    names_release(&nm);
    return s;
}

/* ---- vg_feature_record(features) in SQL ---------------------------------------------- */

struct sqlfn {
    struct vg_store *store;
    struct names nm;
    struct vg_buf out;
};

static void sqlfn_free(void *p)
{
    struct sqlfn *fn = p;
    names_release(&fn->nm);
    vg_buf_release(&fn->out);
    vg_free(fn);
}

static void fn_feature_record(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct sqlfn *fn = sqlite3_user_data(ctx);
    int type = sqlite3_value_type(argv[0]);
    if (type == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const void *data = type == SQLITE_BLOB ? sqlite3_value_blob(argv[0])
                                           : (const void *)sqlite3_value_text(argv[0]);
    size_t len = (size_t)sqlite3_value_bytes(argv[0]);
    vg_buf_reset(&fn->out);
    struct vg_error e;
    if (record_text(fn->store, &fn->nm, data, len, &fn->out, &e) != VG_OK) {
        sqlite3_result_error(ctx, e.message, -1);
        return;
    }
    sqlite3_result_text(ctx, fn->out.data != NULL ? fn->out.data : "", (int)fn->out.len,
                        SQLITE_TRANSIENT);
}

enum vg_status rk_record_sql_function(struct vg_store *store, struct vg_error *err)
{
    /* Registered once per connection: registering again expires every cached statement. */
    sqlite3_stmt *probe = NULL;
    if (sqlite3_prepare_v2(store->db, "SELECT vg_feature_record(NULL)", -1, &probe, NULL) ==
        SQLITE_OK) {
        sqlite3_finalize(probe);
        return VG_OK;
    }
    struct sqlfn *fn = vg_calloc(1, sizeof(*fn));
    if (fn == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    fn->store = store;
    vg_buf_init(&fn->out, 1u << 26);
    int rc = sqlite3_create_function_v2(store->db, "vg_feature_record", 1, SQLITE_UTF8, fn,
                                        fn_feature_record, NULL, NULL, sqlfn_free);
    return rc == SQLITE_OK ? VG_OK : vg__store_error(store, rc, "registering SQL functions", err);
}
