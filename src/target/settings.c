/* Targeting settings per port (table target_settings): capacity and random share. */
#include "store/store_int.h"
#include "target/target_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <vigia/audit.h>
#include <vigia/time.h>

static void unset(struct vg_target_settings *s)
{
    s->capacity = -1;
    s->capacity_share = -1;
    s->random_share = -1;
}

enum vg_status vg_target_settings_get(struct vg_store *store,
                                      const char *port,
                                      struct vg_target_settings *out,
                                      struct vg_error *err)
{
    static const char sql[] = "SELECT capacity, capacity_share, random_share FROM target_settings"
                              " WHERE port = ?1";
    memset(out, 0, sizeof(*out));
    unset(out);
    enum vg_status s = vg__target_port(port, out->port, err);
    if (s != VG_OK) {
        return s;
    }
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return VG_EDB;
    }
    vg__bind_text(st, 1, out->port);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
            out->capacity = sqlite3_column_int64(st, 0);
        }
        if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
            out->capacity_share = sqlite3_column_double(st, 1);
        }
        if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
            out->random_share = sqlite3_column_double(st, 2);
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? VG_OK
               : vg__store_error(store, rc, "reading targeting settings", err);
}

static bool share_ok(double x)
{
    return x < 0 || (x > 0 && x <= 1);
}

static bool same(double a, double b)
{
    return (a < 0 && b < 0) || fabs(a - b) < 1e-12;
}

enum vg_status vg_target_settings_set(struct vg_store *store,
                                      const struct vg_target_settings *s,
                                      struct vg_error *err)
{
    static const char sql[] =
        "INSERT INTO target_settings(port, capacity, capacity_share, random_share, updated_at,"
        " updated_by) VALUES(?1,?2,?3,?4,?5,?6) ON CONFLICT(port) DO UPDATE SET"
        " capacity = excluded.capacity, capacity_share = excluded.capacity_share,"
        " random_share = excluded.random_share, updated_at = excluded.updated_at,"
        " updated_by = excluded.updated_by";
    if (!share_ok(s->capacity_share) || !share_ok(s->random_share)) {
        return vg_error_set(err, VG_EINVAL, "shares must be in (0, 1]");
    }
    struct vg_target_settings old;
    enum vg_status st = vg_target_settings_get(store, s->port, &old, err);
    if (st != VG_OK) {
        return st;
    }
    int64_t capacity = s->capacity < 0 ? -1 : s->capacity;
    if (old.capacity == capacity && same(old.capacity_share, s->capacity_share) &&
        same(old.random_share, s->random_share)) {
        return VG_OK;
    }
    if ((st = vg_store_begin(store, err)) != VG_OK) {
        return st;
    }
    sqlite3_stmt *q = vg__store_stmt(store, sql, err);
    if (q == NULL) {
        vg_store_rollback(store);
        return VG_EDB;
    }
    vg__bind_text(q, 1, old.port);
    vg__bind_int64_or_null(q, 2, capacity, -1);
    vg__bind_double_or_null(q, 3, s->capacity_share, s->capacity_share >= 0);
    vg__bind_double_or_null(q, 4, s->random_share, s->random_share >= 0);
    sqlite3_bind_int64(q, 5, vg_time_now());
    vg__bind_text(q, 6, vg_store_actor(store));
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        st = vg__store_error(store, rc, "storing targeting settings", err);
        vg_store_rollback(store);
        return st;
    }
    char objects[256];
    snprintf(objects, sizeof(objects),
             "{\"port\":\"%s\",\"capacity\":%lld,\"capacity_share\":%g,\"random_share\":%g,"
             "\"was\":{\"capacity\":%lld,\"capacity_share\":%g,\"random_share\":%g}}",
             old.port, (long long)capacity, s->capacity_share, s->random_share,
             (long long)old.capacity, old.capacity_share, old.random_share);
    st = vg_audit_append(store, "targets.settings", objects, NULL, err);
    if (st == VG_OK) {
        return vg_store_commit(store, err);
    }
    vg_store_rollback(store);
    return st;
}

enum vg_status vg_target_settings_list(struct vg_store *store,
                                       const struct vg_row_sink *sink,
                                       struct vg_error *err)
{
    static const char sql[] =
        "SELECT port, capacity, capacity_share, random_share,"
        " strftime('%Y-%m-%dT%H:%M:%SZ', updated_at, 'unixepoch') AS updated_at, updated_by"
        " FROM target_settings ORDER BY port";
    return vg__store_query_rows(store, sql, NULL, 0, sink, err);
}
