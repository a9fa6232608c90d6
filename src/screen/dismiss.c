/*
 * Dismissals of false hits (vigia/screen.h), and the listings of lists, entries and
 * dismissals.
 *
 * A dismissal is exactly what a corrupt insider would use to keep a listed party moving,
 * so it is made hard to abuse: it names one entry version (its digest) and one subject
 * (the fingerprint of the screened name), it needs a written reason, it takes two people
 * (the requester cannot approve it), every step is in the audit trail, and it lapses by
 * itself when the entry changes or leaves the list (the import marks it lapsed; the
 * screening index only honours approved dismissals whose digest is the entry's current
 * one). Actors are those given to the store; until M2 brings authenticated users they are
 * recorded as unauthenticated.
 */
#include "screen/screen_int.h"
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>
#include <vigia/audit.h>
#include <vigia/time.h>

#define REASON_MIN 10

static size_t trimmed_len(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
        s++;
    }
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) {
        n--;
    }
    return n;
}

/* Appends an audit entry with a JSON object built from the printf format and commits. */
static enum vg_status audit_and_commit(struct vg_store *store,
                                       const char *action,
                                       const char *objects,
                                       struct vg_error *err)
{
    uint8_t digest[VG_DIGEST_SIZE];
    vg_digest(objects, strlen(objects), digest);
    enum vg_status st = vg_audit_append(store, action, objects, digest, err);
    if (st == VG_OK) {
        st = vg_store_commit(store, err);
    }
    if (st != VG_OK) {
        vg_store_rollback(store);
    }
    return st;
}

/* Copies s into out as the body of a JSON string (quotes and controls escaped). */
static void json_escape(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0' && n + 7 < size; p++) {
        if (*p == '"' || *p == '\\') {
            out[n++] = '\\';
            out[n++] = (char)*p;
        } else if (*p < 0x20) {
            n += (size_t)snprintf(out + n, size - n, "\\u%04x", *p);
        } else {
            out[n++] = (char)*p;
        }
    }
    out[n] = '\0';
}

enum vg_status vg_watchlist_dismiss(struct vg_store *store,
                                    int64_t entry_id,
                                    const char *subject,
                                    const char *reason,
                                    int64_t *dismissal_id,
                                    struct vg_error *err)
{
    static const char entry_sql[] =
        "SELECT type, entry_digest FROM watchlist_entries WHERE id = ?1 AND active = 1";
    static const char dup_sql[] =
        "SELECT id, status FROM watchlist_dismissals WHERE entry_id = ?1 AND subject_key = ?2"
        " AND entry_digest = ?3 AND status IN ('pending', 'approved')";
    static const char insert_sql[] =
        "INSERT INTO watchlist_dismissals(entry_id, entry_digest, subject_kind, subject_key,"
        " reason, requested_by, requested_at, status) VALUES(?1,?2,?3,?4,?5,?6,?7,'pending')";
    if (reason == NULL || trimmed_len(reason) < REASON_MIN) {
        return vg_error_set(err, VG_EINVAL,
                            "a dismissal needs a reason of at least %d "
                            "characters saying why the hit is false",
                            REASON_MIN);
    }
    if (subject == NULL || trimmed_len(subject) == 0) {
        return vg_error_set(err, VG_EINVAL, "a dismissal needs the subject that was screened");
    }
    enum vg_status st = vg_store_begin(store, err);
    if (st != VG_OK) {
        return st;
    }
    sqlite3_stmt *q = vg__store_stmt(store, entry_sql, err);
    if (q == NULL) {
        vg_store_rollback(store);
        return VG_EDB;
    }
    sqlite3_bind_int64(q, 1, entry_id);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(q);
        vg_store_rollback(store);
        if (rc == SQLITE_DONE) {
            return vg_error_set(err, VG_ENOTFOUND, "no active watch-list entry %lld",
                                (long long)entry_id);
        }
        return vg__store_error(store, rc, "reading a watch-list entry", err);
    }
    enum vg_watch_type type = VG_WATCH_PARTY;
    vg_watch_type_parse((const char *)sqlite3_column_text(q, 0), &type);
    uint8_t digest[VG_DIGEST_SIZE] = { 0 };
    if (sqlite3_column_bytes(q, 1) == VG_DIGEST_SIZE) {
        memcpy(digest, sqlite3_column_blob(q, 1), VG_DIGEST_SIZE);
    }
    sqlite3_reset(q);
    char key[VG_NAME_KEY_SIZE];
    vg_screen_subject_key(subject, type, key, sizeof(key));
    if (key[0] == '\0') {
        vg_store_rollback(store);
        return vg_error_set(err, VG_EINVAL, "subject '%.80s' has no letters or digits", subject);
    }
    q = vg__store_stmt(store, dup_sql, err);
    if (q == NULL) {
        vg_store_rollback(store);
        return VG_EDB;
    }
    sqlite3_bind_int64(q, 1, entry_id);
    vg__bind_text(q, 2, key);
    sqlite3_bind_blob(q, 3, digest, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        long long other = sqlite3_column_int64(q, 0);
        char status[16];
        snprintf(status, sizeof(status), "%s", (const char *)sqlite3_column_text(q, 1));
        sqlite3_reset(q);
        vg_store_rollback(store);
        return vg_error_set(err, VG_ECONFLICT,
                            "dismissal %lld (%s) already covers '%s' on entry "
                            "%lld",
                            other, status, key, (long long)entry_id);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        vg_store_rollback(store);
        return vg__store_error(store, rc, "looking for dismissals", err);
    }
    q = vg__store_stmt(store, insert_sql, err);
    if (q == NULL) {
        vg_store_rollback(store);
        return VG_EDB;
    }
    int64_t now = vg_time_now();
    sqlite3_bind_int64(q, 1, entry_id);
    sqlite3_bind_blob(q, 2, digest, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
    vg__bind_text(q, 3, vg_watch_type_name(type));
    vg__bind_text(q, 4, key);
    vg__bind_text(q, 5, reason);
    vg__bind_text(q, 6, vg_store_actor(store));
    sqlite3_bind_int64(q, 7, now);
    rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        vg_store_rollback(store);
        return vg__store_error(store, rc, "recording a dismissal", err);
    }
    int64_t id = sqlite3_last_insert_rowid(store->db);
    char ekey[VG_NAME_KEY_SIZE * 2], ereason[1024], objects[1400];
    json_escape(key, ekey, sizeof(ekey));
    json_escape(reason, ereason, sizeof(ereason));
    snprintf(objects, sizeof(objects),
             "{\"dismissal\":%lld,\"entry\":%lld,\"subject\":\"%s\",\"reason\":\"%s\"}",
             (long long)id, (long long)entry_id, ekey, ereason);
    st = audit_and_commit(store, "watchlist.dismiss", objects, err);
    if (st == VG_OK && dismissal_id != NULL) {
        *dismissal_id = id;
    }
    return st;
}

enum vg_status
vg_watchlist_approve(struct vg_store *store, int64_t dismissal_id, struct vg_error *err)
{
    static const char find_sql[] =
        "SELECT d.entry_id, d.status, d.requested_by,"
        " d.entry_digest = e.entry_digest AND e.active = 1"
        " FROM watchlist_dismissals d JOIN watchlist_entries e ON e.id = d.entry_id"
        " WHERE d.id = ?1";
    static const char approve_sql[] =
        "UPDATE watchlist_dismissals SET status = 'approved', approved_by = ?2, approved_at = ?3"
        " WHERE id = ?1";
    static const char lapse_sql[] =
        "UPDATE watchlist_dismissals SET status = 'lapsed' WHERE id = ?1";
    enum vg_status st = vg_store_begin(store, err);
    if (st != VG_OK) {
        return st;
    }
    sqlite3_stmt *q = vg__store_stmt(store, find_sql, err);
    if (q == NULL) {
        vg_store_rollback(store);
        return VG_EDB;
    }
    sqlite3_bind_int64(q, 1, dismissal_id);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(q);
        vg_store_rollback(store);
        if (rc == SQLITE_DONE) {
            return vg_error_set(err, VG_ENOTFOUND, "no dismissal %lld", (long long)dismissal_id);
        }
        return vg__store_error(store, rc, "reading a dismissal", err);
    }
    long long entry_id = sqlite3_column_int64(q, 0);
    char status[16], requester[256];
    snprintf(status, sizeof(status), "%s", (const char *)sqlite3_column_text(q, 1));
    snprintf(requester, sizeof(requester), "%s", (const char *)sqlite3_column_text(q, 2));
    bool current = sqlite3_column_int(q, 3) != 0;
    sqlite3_reset(q);
    const char *actor = vg_store_actor(store);
    if (strcmp(status, "pending") != 0) {
        vg_store_rollback(store);
        return vg_error_set(err, VG_ECONFLICT, "dismissal %lld is %s, not pending",
                            (long long)dismissal_id, status);
    }
    if (vg__ieq(actor, requester)) {
        vg_store_rollback(store);
        return vg_error_set(err, VG_EDENIED,
                            "%s requested dismissal %lld and cannot approve it; "
                            "another person must",
                            requester, (long long)dismissal_id);
    }
    char eactor[512], objects[700];
    json_escape(actor, eactor, sizeof(eactor));
    if (!current) {
        q = vg__store_stmt(store, lapse_sql, err);
        if (q == NULL) {
            vg_store_rollback(store);
            return VG_EDB;
        }
        sqlite3_bind_int64(q, 1, dismissal_id);
        rc = sqlite3_step(q);
        sqlite3_reset(q);
        if (rc != SQLITE_DONE) {
            vg_store_rollback(store);
            return vg__store_error(store, rc, "lapsing a dismissal", err);
        }
        snprintf(objects, sizeof(objects), "{\"dismissal\":%lld,\"entry\":%lld,\"by\":\"%s\"}",
                 (long long)dismissal_id, entry_id, eactor);
        st = audit_and_commit(store, "watchlist.dismiss.lapse", objects, err);
        if (st != VG_OK) {
            return st;
        }
        return vg_error_set(err, VG_ECONFLICT,
                            "watch-list entry %lld changed or left its list "
                            "since dismissal %lld was requested; the dismissal has lapsed",
                            entry_id, (long long)dismissal_id);
    }
    q = vg__store_stmt(store, approve_sql, err);
    if (q == NULL) {
        vg_store_rollback(store);
        return VG_EDB;
    }
    sqlite3_bind_int64(q, 1, dismissal_id);
    vg__bind_text(q, 2, actor);
    sqlite3_bind_int64(q, 3, vg_time_now());
    rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        vg_store_rollback(store);
        return vg__store_error(store, rc, "approving a dismissal", err);
    }
    snprintf(objects, sizeof(objects), "{\"dismissal\":%lld,\"entry\":%lld,\"approved_by\":\"%s\"}",
             (long long)dismissal_id, entry_id, eactor);
    return audit_and_commit(store, "watchlist.approve", objects, err);
}

/* ---- listings ----------------------------------------------------------------------------- */

#define ISO(col) "strftime('%Y-%m-%dT%H:%M:%SZ', " col ", 'unixepoch')"

enum vg_status
vg_watchlists_list(struct vg_store *store, const struct vg_row_sink *sink, struct vg_error *err)
{
    static const char sql[] =
        "SELECT l.name AS list, l.kind AS kind, l.source AS source,"
        " (SELECT count(*) FROM watchlist_entries e WHERE e.watchlist_id = l.id AND e.active = 1)"
        " AS entries,"
        " (SELECT count(*) FROM watchlist_entries e WHERE e.watchlist_id = l.id AND e.active = 0)"
        " AS removed, " ISO("l.imported_at") " AS imported_at"
                                             " FROM watchlists l ORDER BY l.name";
    return vg__store_query_rows(store, sql, NULL, 0, sink, err);
}

enum vg_status vg_watchlist_entries_list(struct vg_store *store,
                                         const char *list,
                                         bool include_removed,
                                         const struct vg_row_sink *sink,
                                         struct vg_error *err)
{
    static const char sql[] =
        "SELECT e.id AS id, l.name AS list, e.external_id AS external_id, e.type AS type,"
        " e.name AS name, e.country AS country, e.identifier AS identifier,"
        " e.aliases AS aliases, e.source AS source,"
        " CASE e.active WHEN 1 THEN 'active' ELSE 'removed' END AS status,"
        " " ISO("e.added_at") " AS added_at, " ISO(
            "e.removed_at") " AS removed_at"
                            " FROM watchlist_entries e JOIN watchlists l ON l.id = e.watchlist_id"
                            " WHERE (?1 IS NULL OR l.name = ?1) AND (?2 = '1' OR e.active = 1)"
                            " ORDER BY l.name, e.id";
    const char *params[2] = { list, include_removed ? "1" : "0" };
    return vg__store_query_rows(store, sql, params, 2, sink, err);
}

enum vg_status vg_watchlist_dismissals_list(struct vg_store *store,
                                            const char *status,
                                            const struct vg_row_sink *sink,
                                            struct vg_error *err)
{
    static const char sql[] =
        "SELECT d.id AS id, d.entry_id AS entry_id, l.name AS list, e.name AS entry_name,"
        " d.subject_key AS subject, d.status AS status, d.reason AS reason,"
        " d.requested_by AS requested_by, " ISO(
            "d.requested_at") " AS requested_at,"
                              " d.approved_by AS approved_by, " ISO(
                                  "d.approved_at") " AS approved_at"
                                                   " FROM watchlist_dismissals d JOIN watchlist_entries e ON e.id = d.entry_id"
                                                   " JOIN watchlists l ON l.id = e.watchlist_id"
                                                   " WHERE (?1 IS NULL OR d.status = ?1) ORDER BY d.id DESC";
    const char *params[1] = { status };
    return vg__store_query_rows(store, sql, params, 1, sink, err);
}

/* ---- the index from the store -------------------------------------------------------------- */

enum vg_status vg_screen_index_load(struct vg_screen_index *idx,
                                    struct vg_store *store,
                                    const char *list,
                                    struct vg_error *err)
{
    static const char entries_sql[] =
        "SELECT e.id, l.name, e.external_id, e.name, e.type, e.country, e.identifier"
        " FROM watchlist_entries e JOIN watchlists l ON l.id = e.watchlist_id"
        " WHERE e.active = 1 AND (?1 IS NULL OR l.name = ?1) ORDER BY e.id";
    static const char names_sql[] =
        "SELECT n.entry_id, n.name, n.is_alias FROM watchlist_names n"
        " JOIN watchlist_entries e ON e.id = n.entry_id JOIN watchlists l ON l.id = e.watchlist_id"
        " WHERE e.active = 1 AND (?1 IS NULL OR l.name = ?1) ORDER BY n.entry_id, n.rowid";
    static const char dismissals_sql[] =
        "SELECT d.id, d.entry_id, d.subject_key FROM watchlist_dismissals d"
        " JOIN watchlist_entries e ON e.id = d.entry_id"
        " WHERE d.status = 'approved' AND e.active = 1 AND d.entry_digest = e.entry_digest";
    if (idx->finished) {
        return vg_error_set(err, VG_EINVAL, "the screening index is already finished");
    }
    sqlite3_stmt *es = NULL, *ns = NULL, *ds = NULL;
    int rc = sqlite3_prepare_v2(store->db, entries_sql, -1, &es, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_prepare_v2(store->db, names_sql, -1, &ns, NULL);
    }
    if (rc == SQLITE_OK) {
        rc = sqlite3_prepare_v2(store->db, dismissals_sql, -1, &ds, NULL);
    }
    enum vg_status st = VG_OK;
    if (rc != SQLITE_OK) {
        st = vg__store_error(store, rc, "reading the watch lists", err);
        goto out;
    }
    vg__bind_text(es, 1, list);
    vg__bind_text(ns, 1, list);
    int nrc = sqlite3_step(ns);
    while (st == VG_OK && (rc = sqlite3_step(es)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(es, 0);
        enum vg_watch_type type = VG_WATCH_PARTY;
        vg_watch_type_parse((const char *)sqlite3_column_text(es, 4), &type);
        uint32_t at;
        st = vg__index_entry_begin(idx, (const char *)sqlite3_column_text(es, 1), id,
                                   (const char *)sqlite3_column_text(es, 2),
                                   (const char *)sqlite3_column_text(es, 3), type,
                                   (const char *)sqlite3_column_text(es, 5),
                                   (const char *)sqlite3_column_text(es, 6), &at);
        /* Names come in entry order: skip those of entries not loaded, take this one's. */
        while (st == VG_OK && nrc == SQLITE_ROW && sqlite3_column_int64(ns, 0) <= id) {
            if (sqlite3_column_int64(ns, 0) == id) {
                const char *name = (const char *)sqlite3_column_text(ns, 1);
                int kind = sqlite3_column_int(ns, 2);
                if (name != NULL) {
                    st = vg__index_add_name(idx, at, kind, name, strlen(name));
                }
            }
            nrc = sqlite3_step(ns);
        }
    }
    if (st == VG_OK && rc != SQLITE_DONE) {
        st = vg__store_error(store, rc, "reading watch-list entries", err);
    }
    if (st == VG_OK && nrc != SQLITE_ROW && nrc != SQLITE_DONE) {
        st = vg__store_error(store, nrc, "reading watch-list names", err);
    }
    while (st == VG_OK && (rc = sqlite3_step(ds)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(ds, 2);
        st = vg__index_add_dismissal(idx, sqlite3_column_int64(ds, 1), key != NULL ? key : "",
                                     sqlite3_column_int64(ds, 0));
    }
    if (st == VG_OK && rc != SQLITE_DONE) {
        st = vg__store_error(store, rc, "reading dismissals", err);
    }
    if (st == VG_ENOMEM) {
        vg_error_set(err, VG_ENOMEM, "out of memory loading the watch lists");
    }
out:
    sqlite3_finalize(es);
    sqlite3_finalize(ns);
    sqlite3_finalize(ds);
    return st;
}
