/*
 * Rule sets in the store: each (name, version) is kept once with its text and digest,
 * never changed afterwards; one set is active at a time. Loading and activation are
 * audited. When no set is active, scoring stores and activates the built-in default
 * (rules/default.rules, embedded at build time).
 */
#include "risk/risk_int.h"

#include <stdio.h>
#include <string.h>
#include <vigia/audit.h>

const char *vg_risk_default_rules(size_t *len)
{
    *len = vg__risk_default_rules_len;
    return (const char *)vg__risk_default_rules;
}

static enum vg_status
activate(struct vg_store *store, int64_t id, bool *changed, struct vg_error *err)
{
    static const char sql[] = "UPDATE rule_sets SET active = (id = ?1) WHERE active != (id = ?1)";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "activating a rule set", err);
    }
    *changed = sqlite3_changes(store->db) > 0;
    return VG_OK;
}

enum vg_status vg_risk_rules_load(struct vg_store *store,
                                  const char *text,
                                  size_t len,
                                  const char *source,
                                  bool activate_it,
                                  vg_rules_diag_fn diag,
                                  void *user,
                                  int64_t *id,
                                  bool *is_new,
                                  struct vg_error *err)
{
    if (id != NULL) {
        *id = 0;
    }
    if (is_new != NULL) {
        *is_new = false;
    }
    struct vg_rule_set *set = NULL;
    enum vg_status s =
        vg_rules_compile(text, len, source, vg_feature_catalog(), diag, user, &set, err);
    if (s != VG_OK) {
        return s;
    }
    const struct vg_rule_set_info *info = vg_rules_info(set);
    char name[256], version[128];
    snprintf(name, sizeof(name), "%s", info->name);
    snprintf(version, sizeof(version), "%s", info->version);
    size_t nrules = vg_rules_count(set);
    vg_rules_free(set);
    uint8_t digest[VG_DIGEST_SIZE];
    vg_digest(text, len, digest);

    if ((s = vg_store_begin(store, err)) != VG_OK) {
        return s;
    }
    static const char sel_sql[] =
        "SELECT id, digest, active FROM rule_sets WHERE name = ?1 AND version = ?2";
    sqlite3_stmt *sel = vg__store_stmt(store, sel_sql, err);
    if (sel == NULL) {
        vg_store_rollback(store);
        return err != NULL ? err->code : VG_EDB;
    }
    vg__bind_text(sel, 1, name);
    vg__bind_text(sel, 2, version);
    int64_t rid = 0;
    bool same = false;
    int rc = sqlite3_step(sel);
    if (rc == SQLITE_ROW) {
        rid = sqlite3_column_int64(sel, 0);
        same = sqlite3_column_bytes(sel, 1) == VG_DIGEST_SIZE &&
               memcmp(sqlite3_column_blob(sel, 1), digest, VG_DIGEST_SIZE) == 0;
    }
    sqlite3_reset(sel);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        vg_store_rollback(store);
        return vg__store_error(store, rc, "looking up a rule set", err);
    }
    if (rid != 0 && !same) {
        vg_store_rollback(store);
        return vg_error_set(err, VG_ECONFLICT,
                            "rule set %s version %s is already stored with other rules; give the "
                            "changed set a new version",
                            name, version);
    }
    char objects[512];
    if (rid == 0) {
        static const char ins_sql[] =
            "INSERT INTO rule_sets(name, version, digest, source, loaded_at, loaded_by, active)"
            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, 0)";
        sqlite3_stmt *ins = vg__store_stmt(store, ins_sql, err);
        if (ins == NULL) {
            vg_store_rollback(store);
            return err != NULL ? err->code : VG_EDB;
        }
        vg__bind_text(ins, 1, name);
        vg__bind_text(ins, 2, version);
        sqlite3_bind_blob(ins, 3, digest, VG_DIGEST_SIZE, SQLITE_STATIC);
        vg__bind_textn(ins, 4, text, len);
        sqlite3_bind_int64(ins, 5, vg_time_now());
        vg__bind_text(ins, 6, vg_store_actor(store));
        rc = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (rc != SQLITE_DONE) {
            vg_store_rollback(store);
            return vg__store_error(store, rc, "storing a rule set", err);
        }
        rid = sqlite3_last_insert_rowid(store->db);
        snprintf(
            objects, sizeof(objects),
            "{\"rule_set\":%lld,\"name\":\"%s\",\"version\":\"%s\",\"rules\":%zu,\"source\":\"%s\"}",
            (long long)rid, name, version, nrules, source != NULL ? source : "");
        if ((s = vg_audit_append(store, "rules.load", objects, digest, err)) != VG_OK) {
            vg_store_rollback(store);
            return s;
        }
        if (is_new != NULL) {
            *is_new = true;
        }
    }
    if (activate_it) {
        bool changed = false;
        if ((s = activate(store, rid, &changed, err)) != VG_OK) {
            vg_store_rollback(store);
            return s;
        }
        if (changed) {
            snprintf(objects, sizeof(objects),
                     "{\"rule_set\":%lld,\"name\":\"%s\",\"version\":\"%s\"}", (long long)rid, name,
                     version);
            if ((s = vg_audit_append(store, "rules.activate", objects, digest, err)) != VG_OK) {
                vg_store_rollback(store);
                return s;
            }
        }
    }
    if ((s = vg_store_commit(store, err)) != VG_OK) {
        return s;
    }
    if (id != NULL) {
        *id = rid;
    }
    return VG_OK;
}

enum vg_status vg_risk_rules_active(struct vg_store *store,
                                    struct vg_rule_set **set,
                                    int64_t *id,
                                    struct vg_error *err)
{
    *set = NULL;
    *id = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        static const char sql[] =
            "SELECT id, name, version, source FROM rule_sets WHERE active = 1 ORDER BY id DESC LIMIT 1";
        sqlite3_stmt *st = vg__store_stmt(store, sql, err);
        if (st == NULL) {
            return err != NULL ? err->code : VG_EDB;
        }
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            char source[300];
            snprintf(source, sizeof(source), "rule set %s %s",
                     (const char *)sqlite3_column_text(st, 1),
                     (const char *)sqlite3_column_text(st, 2));
            *id = sqlite3_column_int64(st, 0);
            enum vg_status s = vg_rules_compile((const char *)sqlite3_column_text(st, 3),
                                                (size_t)sqlite3_column_bytes(st, 3), source,
                                                vg_feature_catalog(), NULL, NULL, set, err);
            sqlite3_reset(st);
            return s;
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            return vg__store_error(store, rc, "reading the active rule set", err);
        }
        if (attempt == 1) {
            break;
        }
        size_t len;
        const char *text = vg_risk_default_rules(&len);
        enum vg_status s = vg_risk_rules_load(store, text, len, "built-in default.rules", true,
                                              NULL, NULL, NULL, NULL, err);
        if (s != VG_OK) {
            return s;
        }
    }
    return vg_error_set(err, VG_ENOTFOUND, "no active rule set");
}

enum vg_status
vg_risk_rules_list(struct vg_store *store, const struct vg_row_sink *sink, struct vg_error *err)
{
    static const char sql[] =
        "SELECT id, name, version, CASE active WHEN 1 THEN 'yes' ELSE 'no' END AS active,"
        " strftime('%Y-%m-%dT%H:%M:%SZ', loaded_at, 'unixepoch') AS loaded_at, loaded_by,"
        " lower(hex(digest)) AS digest FROM rule_sets ORDER BY id DESC";
    return vg__store_query_rows(store, sql, NULL, 0, sink, err);
}
