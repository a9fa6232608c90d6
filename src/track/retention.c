/* Retention of AIS positions (vigia/track.h): delete old blocks, a per-store setting in
 * days kept in meta ("track.retention_days") and applied after ingest. */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <vigia/audit.h>
#include <vigia/track.h>

#define RETENTION_KEY "track.retention_days"

enum vg_status
vg_track_retain(struct vg_store *store, int64_t before, int64_t *blocks, struct vg_error *err)
{
    *blocks = 0;
    enum vg_status s = vg_store_begin(store, err);
    if (s != VG_OK) {
        return s;
    }
    char sql[160];
    snprintf(sql, sizeof(sql), "DELETE FROM ais_tracks WHERE block_end < %lld", (long long)before);
    s = vg__store_exec(store, sql, err);
    if (s == VG_OK) {
        *blocks = sqlite3_changes(store->db);
        snprintf(sql, sizeof(sql), "DELETE FROM ais_grid WHERE hour < %lld",
                 (long long)(before / 3600));
        s = vg__store_exec(store, sql, err);
    }
    if (s == VG_OK && *blocks > 0) {
        char objects[96];
        snprintf(objects, sizeof(objects), "{\"before\":%lld,\"blocks\":%lld}", (long long)before,
                 (long long)*blocks);
        s = vg_audit_append(store, "ais.retention", objects, NULL, err);
    }
    if (s == VG_OK && *blocks > 0) {
        return vg_store_commit(store, err);
    }
    vg_store_rollback(store);
    return s;
}

enum vg_status vg_track_retention_get(struct vg_store *store, int *days, struct vg_error *err)
{
    char buf[32];
    *days = 0;
    enum vg_status st = vg__store_meta_get(store, RETENTION_KEY, buf, sizeof(buf), err);
    if (st == VG_ENOTFOUND) {
        return VG_OK;
    }
    if (st != VG_OK) {
        return st;
    }
    char *end;
    long v = strtol(buf, &end, 10);
    if (*end != '\0' || v < 0 || v > VG_TRACK_RETENTION_MAX_DAYS) {
        return vg_error_set(err, VG_EINTEGRITY, "meta %s holds '%s', not a number of days",
                            RETENTION_KEY, buf);
    }
    *days = (int)v;
    return VG_OK;
}

enum vg_status vg_track_retention_set(struct vg_store *store, int days, struct vg_error *err)
{
    if (days < 0 || days > VG_TRACK_RETENTION_MAX_DAYS) {
        return vg_error_set(err, VG_EINVAL, "retention must be 0 (keep all) to %d days, not %d",
                            VG_TRACK_RETENTION_MAX_DAYS, days);
    }
    enum vg_status st = vg_store_begin(store, err);
    if (st != VG_OK) {
        return st;
    }
    char value[16], objects[64];
    snprintf(value, sizeof(value), "%d", days);
    snprintf(objects, sizeof(objects), "{\"retention_days\":%d}", days);
    st = vg__store_meta_set(store, RETENTION_KEY, value, err);
    if (st == VG_OK) {
        st = vg_audit_append(store, "ais.retention.set", objects, NULL, err);
    }
    if (st == VG_OK) {
        return vg_store_commit(store, err);
    }
    vg_store_rollback(store);
    return st;
}

enum vg_status
vg_track_retention_apply(struct vg_store *store, int64_t *blocks, struct vg_error *err)
{
    *blocks = 0;
    int days;
    enum vg_status st = vg_track_retention_get(store, &days, err);
    if (st != VG_OK || days == 0) {
        return st;
    }
    sqlite3_stmt *q = vg__store_stmt(store, "SELECT max(block_end) FROM ais_tracks", err);
    if (q == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    int rc = sqlite3_step(q);
    bool any = rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL;
    int64_t newest = any ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    if (rc != SQLITE_ROW) {
        return vg__store_error(store, rc, "reading the newest AIS position", err);
    }
    if (!any) {
        return VG_OK;
    }
    return vg_track_retain(store, newest - (int64_t)days * 86400, blocks, err);
}
