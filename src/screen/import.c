/*
 * Watch-list imports into the store (vigia/screen.h): the parsers' entries become rows of
 * watchlist_entries and watchlist_names, versioned by their entry digest.
 *
 * An entry is known within its list by its external id (the publisher's id, or type, name
 * and identifier). Per import, in one transaction:
 *   - an entry new to the list is inserted with its names (primary, aliases, weak aliases
 *     with is_alias 0, 1, 2) and their fingerprints (name_key);
 *   - an entry whose digest changed gets a new row (or its earlier row back, when it
 *     returns to a content it had before) and the old row is marked removed, never deleted,
 *     so that what the list said at any time stays known;
 *   - an active entry absent from the file is marked removed, unless records were rejected
 *     (a record that failed to parse may still be on the list);
 *   - the dismissals of a changed or removed entry lapse;
 *   - one audit entry records the counts, only when something changed; otherwise the
 *     transaction is rolled back and the import leaves no trace.
 */
#include "screen/screen_int.h"
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/audit.h>
#include <vigia/file.h>
#include <vigia/log.h>
#include <vigia/time.h>

struct existing {
    int64_t id;
    uint8_t digest[VG_DIGEST_SIZE];
    bool seen;
};

struct seen {
    uint32_t line;
    uint8_t digest[VG_DIGEST_SIZE];
};

struct wl_file {
    const char *path;
    const char *format;
    struct vg_file file;
    uint8_t digest[VG_DIGEST_SIZE];
    int64_t id;
};

struct wl_import {
    struct vg_store *store;
    const char *list;
    const char *kind;
    int64_t list_id;
    bool list_new;
    int64_t now;
    struct vg_watchlist_report *report;
    vg_problem_fn on_problem;
    void *user;
    struct wl_file files[3];
    int nfiles;
    struct vg_map existing_map; /* external id -> index into existing */
    struct existing *existing;
    size_t nexisting, existing_cap;
    struct vg_map seen_map; /* external id -> index into seen */
    struct seen *seen;
    size_t nseen, seen_cap;
    int64_t new_problems; /* rejects and findings not recorded by an earlier import */
    struct vg_error *err;
};

static int64_t file_id_for(const struct wl_import *imp, const char *source)
{
    for (int i = 0; i < imp->nfiles; i++) {
        if (strcmp(imp->files[i].path, source) == 0) {
            return imp->files[i].id;
        }
    }
    return imp->nfiles > 0 ? imp->files[0].id : 0;
}

static const char *format_for(const struct wl_import *imp, const char *source)
{
    for (int i = 0; i < imp->nfiles; i++) {
        if (strcmp(imp->files[i].path, source) == 0) {
            return imp->files[i].format;
        }
    }
    return imp->kind;
}

static enum vg_status
on_reject(void *user, const struct vg_error *reason, const char *excerpt, size_t excerpt_len)
{
    struct wl_import *imp = user;
    imp->report->records++;
    imp->report->rejected++;
    if (imp->on_problem != NULL) {
        imp->on_problem(imp->user, true, reason);
    }
    bool inserted = false;
    enum vg_status st = vg__store_reject(imp->store, file_id_for(imp, reason->source),
                                         format_for(imp, reason->source), reason, NULL, excerpt,
                                         excerpt_len, &inserted, imp->err);
    imp->new_problems += inserted;
    return st;
}

static enum vg_status
on_flag(void *user, const struct vg_error *reason, const char *field, const char *value)
{
    struct wl_import *imp = user;
    imp->report->flagged++;
    if (imp->on_problem != NULL) {
        imp->on_problem(imp->user, false, reason);
    }
    char kind[48];
    snprintf(kind, sizeof(kind), "watchlist_%s", field);
    struct vg__finding f = {
        .file_id = file_id_for(imp, reason->source),
        .offset = (int64_t)reason->offset,
        .kind = kind,
        .field = field,
        .value = value,
        .detail = reason->message,
    };
    bool inserted = false;
    enum vg_status st = vg__store_finding(imp->store, &f, &inserted, imp->err);
    imp->new_problems += inserted;
    return st;
}

/* ---- entries ----------------------------------------------------------------------------- */

static enum vg_status lapse_dismissals(struct wl_import *imp, int64_t entry_id)
{
    static const char sql[] = "UPDATE watchlist_dismissals SET status = 'lapsed'"
                              " WHERE entry_id = ?1 AND status IN ('pending', 'approved')";
    sqlite3_stmt *st = vg__store_stmt(imp->store, sql, imp->err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, entry_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(imp->store, rc, "lapsing dismissals", imp->err);
    }
    imp->report->lapsed += sqlite3_changes(imp->store->db);
    return VG_OK;
}

static enum vg_status retire(struct wl_import *imp, int64_t entry_id)
{
    static const char sql[] =
        "UPDATE watchlist_entries SET active = 0, removed_at = ?2 WHERE id = ?1";
    sqlite3_stmt *st = vg__store_stmt(imp->store, sql, imp->err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, entry_id);
    sqlite3_bind_int64(st, 2, imp->now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(imp->store, rc, "marking a watch-list entry removed", imp->err);
    }
    return lapse_dismissals(imp, entry_id);
}

struct names_ctx {
    struct wl_import *imp;
    int64_t entry_id;
    enum vg_watch_type type;
    int kind;
    enum vg_status st;
};

static enum vg_status insert_name(struct wl_import *imp,
                                  int64_t entry_id,
                                  enum vg_watch_type type,
                                  const char *name,
                                  size_t len,
                                  int kind)
{
    static const char sql[] =
        "INSERT INTO watchlist_names(entry_id, name, name_key, is_alias) VALUES(?1,?2,?3,?4)";
    char key[VG_NAME_KEY_SIZE];
    char *text = vg_strndup(name, len);
    if (text == NULL) {
        return VG_ENOMEM;
    }
    vg_screen_subject_key(text, type, key, sizeof(key));
    sqlite3_stmt *st = vg__store_stmt(imp->store, sql, imp->err);
    if (st == NULL) {
        vg_free(text);
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, entry_id);
    vg__bind_text(st, 2, text);
    vg__bind_text(st, 3, key);
    sqlite3_bind_int(st, 4, kind);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    vg_free(text);
    if (rc != SQLITE_DONE) {
        return vg__store_error(imp->store, rc, "recording a watch-list name", imp->err);
    }
    return VG_OK;
}

static int name_item(void *user, const char *item, size_t len)
{
    struct names_ctx *c = user;
    c->st = insert_name(c->imp, c->entry_id, c->type, item, len, c->kind);
    return c->st != VG_OK;
}

/* Inserts the entry version, or brings back the row it had when it last had this content. */
static enum vg_status insert_or_revive(struct wl_import *imp,
                                       const struct vg_watch_entry *e,
                                       const uint8_t digest[VG_DIGEST_SIZE])
{
    static const char find_sql[] =
        "SELECT id FROM watchlist_entries WHERE watchlist_id = ?1 AND entry_digest = ?2";
    static const char revive_sql[] =
        "UPDATE watchlist_entries SET active = 1, removed_at = NULL WHERE id = ?1";
    static const char insert_sql[] =
        "INSERT INTO watchlist_entries(watchlist_id, external_id, name, type, country, identifier,"
        " aliases, note, source, entry_digest, active, added_at)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,1,?11)";
    struct vg_store *store = imp->store;
    sqlite3_stmt *st = vg__store_stmt(store, find_sql, imp->err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, imp->list_id);
    sqlite3_bind_blob(st, 2, digest, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    int64_t old = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "looking up a watch-list entry", imp->err);
    }
    if (old != 0) {
        st = vg__store_stmt(store, revive_sql, imp->err);
        if (st == NULL) {
            return VG_EDB;
        }
        sqlite3_bind_int64(st, 1, old);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_DONE
                   ? VG_OK
                   : vg__store_error(store, rc, "restoring a watch-list entry", imp->err);
    }
    st = vg__store_stmt(store, insert_sql, imp->err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, imp->list_id);
    vg__bind_text(st, 2, e->external_id);
    vg__bind_text(st, 3, e->name);
    vg__bind_text(st, 4, vg_watch_type_name(e->type));
    vg__bind_text(st, 5, e->countries[0] != '\0' ? e->countries : NULL);
    vg__bind_text(st, 6, e->identifiers[0] != '\0' ? e->identifiers : NULL);
    vg__bind_text(st, 7, e->aliases[0] != '\0' ? e->aliases : NULL);
    vg__bind_text(st, 8, e->note[0] != '\0' ? e->note : NULL);
    vg__bind_text(st, 9, e->source[0] != '\0' ? e->source : NULL);
    sqlite3_bind_blob(st, 10, digest, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 11, imp->now);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "recording a watch-list entry", imp->err);
    }
    int64_t id = sqlite3_last_insert_rowid(store->db);
    enum vg_status s = insert_name(imp, id, e->type, e->name, strlen(e->name), NAME_PRIMARY);
    struct names_ctx c = { imp, id, e->type, NAME_ALIAS, VG_OK };
    if (s == VG_OK && e->type != VG_WATCH_CONTAINER && e->type != VG_WATCH_SEAL) {
        vg__split_list(e->aliases, name_item, &c);
        if (c.st == VG_OK) {
            c.kind = NAME_WEAK;
            vg__split_list(e->weak_aliases, name_item, &c);
        }
        s = c.st;
    }
    return s;
}

static enum vg_status on_entry(void *user, const struct vg_watch_entry *e)
{
    struct wl_import *imp = user;
    struct vg_watchlist_report *r = imp->report;
    r->records++;
    uint8_t digest[VG_DIGEST_SIZE];
    vg_watch_entry_digest(e, digest);
    size_t klen = strlen(e->external_id);
    uint64_t v;
    if (vg_map_get(&imp->seen_map, e->external_id, klen, &v)) {
        const struct seen *first = &imp->seen[v];
        if (memcmp(first->digest, digest, VG_DIGEST_SIZE) == 0) {
            r->duplicates++;
            return VG_OK;
        }
        /* The same key with other content: which one is meant cannot be told. */
        r->records--; /* on_reject counts the record */
        struct vg_error reason;
        vg_error_clear(&reason);
        vg_error_at(&reason, imp->files[0].path, e->line, 0, 0, 0);
        vg_error_set(&reason, VG_ECONFLICT,
                     "entry '%.80s' (%s) appears again with other "
                     "content (first at line %u); the later record is refused",
                     e->name, vg_watch_type_name(e->type), (unsigned)first->line);
        return on_reject(imp, &reason, NULL, 0);
    }
    struct seen *grown = vg_grow(imp->seen, &imp->seen_cap, imp->nseen + 1, sizeof(*grown));
    if (grown == NULL) {
        return VG_ENOMEM;
    }
    imp->seen = grown;
    imp->seen[imp->nseen].line = e->line;
    memcpy(imp->seen[imp->nseen].digest, digest, VG_DIGEST_SIZE);
    if (vg_map_set(&imp->seen_map, e->external_id, klen, imp->nseen) != VG_OK) {
        return VG_ENOMEM;
    }
    imp->nseen++;
    enum vg_status st;
    if (vg_map_get(&imp->existing_map, e->external_id, klen, &v)) {
        struct existing *x = &imp->existing[v];
        x->seen = true;
        if (memcmp(x->digest, digest, VG_DIGEST_SIZE) == 0) {
            r->unchanged++;
            return VG_OK;
        }
        st = retire(imp, x->id);
        if (st == VG_OK) {
            st = insert_or_revive(imp, e, digest);
        }
        r->changed += st == VG_OK;
        return st;
    }
    st = insert_or_revive(imp, e, digest);
    r->inserted += st == VG_OK;
    return st;
}

/* ---- the import --------------------------------------------------------------------------- */

static enum vg_status load_existing(struct wl_import *imp)
{
    static const char sql[] = "SELECT id, external_id, entry_digest FROM watchlist_entries"
                              " WHERE watchlist_id = ?1 AND active = 1";
    sqlite3_stmt *st = vg__store_stmt(imp->store, sql, imp->err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, imp->list_id);
    int rc;
    enum vg_status s = VG_OK;
    while (s == VG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct existing *grown =
            vg_grow(imp->existing, &imp->existing_cap, imp->nexisting + 1, sizeof(*grown));
        if (grown == NULL) {
            s = VG_ENOMEM;
            break;
        }
        imp->existing = grown;
        struct existing *x = &imp->existing[imp->nexisting];
        x->id = sqlite3_column_int64(st, 0);
        x->seen = false;
        const void *d = sqlite3_column_blob(st, 2);
        memset(x->digest, 0, VG_DIGEST_SIZE);
        if (d != NULL && sqlite3_column_bytes(st, 2) == VG_DIGEST_SIZE) {
            memcpy(x->digest, d, VG_DIGEST_SIZE);
        }
        const char *ext = (const char *)sqlite3_column_text(st, 1);
        if (ext == NULL) {
            ext = "";
        }
        if (vg_map_set(&imp->existing_map, ext, strlen(ext), imp->nexisting) != VG_OK) {
            s = VG_ENOMEM;
            break;
        }
        imp->nexisting++;
    }
    sqlite3_reset(st);
    if (s == VG_OK && rc != SQLITE_DONE) {
        s = vg__store_error(imp->store, rc, "reading watch-list entries", imp->err);
    }
    return s;
}

static enum vg_status open_list(struct wl_import *imp)
{
    static const char find_sql[] = "SELECT id FROM watchlists WHERE name = ?1";
    static const char insert_sql[] =
        "INSERT INTO watchlists(name, source, kind, imported_at, digest) VALUES(?1,?2,?3,?4,?5)";
    sqlite3_stmt *st = vg__store_stmt(imp->store, find_sql, imp->err);
    if (st == NULL) {
        return VG_EDB;
    }
    vg__bind_text(st, 1, imp->list);
    int rc = sqlite3_step(st);
    imp->list_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return vg__store_error(imp->store, rc, "looking up a watch list", imp->err);
    }
    if (imp->list_id != 0) {
        return VG_OK;
    }
    st = vg__store_stmt(imp->store, insert_sql, imp->err);
    if (st == NULL) {
        return VG_EDB;
    }
    vg__bind_text(st, 1, imp->list);
    vg__bind_text(st, 2, imp->files[0].path);
    vg__bind_text(st, 3, imp->kind);
    sqlite3_bind_int64(st, 4, imp->now);
    sqlite3_bind_null(st, 5);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(imp->store, rc, "creating a watch list", imp->err);
    }
    imp->list_id = sqlite3_last_insert_rowid(imp->store->db);
    imp->list_new = true;
    return VG_OK;
}

static enum vg_status remove_absent(struct wl_import *imp)
{
    if (imp->report->rejected > 0) {
        for (size_t i = 0; i < imp->nexisting; i++) {
            if (!imp->existing[i].seen) {
                imp->report->removals_skipped = true;
                break;
            }
        }
        return VG_OK;
    }
    for (size_t i = 0; i < imp->nexisting; i++) {
        if (imp->existing[i].seen) {
            continue;
        }
        enum vg_status st = retire(imp, imp->existing[i].id);
        if (st != VG_OK) {
            return st;
        }
        imp->report->removed++;
    }
    return VG_OK;
}

static enum vg_status finish(struct wl_import *imp)
{
    struct vg_watchlist_report *r = imp->report;
    if (r->inserted + r->changed + r->removed == 0 && imp->new_problems == 0 && !imp->list_new) {
        vg_store_rollback(imp->store); /* nothing new: leave no trace */
        return VG_OK;
    }
    uint8_t digest[VG_DIGEST_SIZE];
    struct vg_hasher h;
    vg_hasher_init(&h);
    for (int i = 0; i < imp->nfiles; i++) {
        vg_hasher_update(&h, imp->files[i].digest, VG_DIGEST_SIZE);
    }
    vg_hasher_final(&h, digest);
    static const char sql[] =
        "UPDATE watchlists SET imported_at = ?2, digest = ?3, source = ?4 WHERE id = ?1";
    sqlite3_stmt *st = vg__store_stmt(imp->store, sql, imp->err);
    if (st == NULL) {
        vg_store_rollback(imp->store);
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, imp->list_id);
    sqlite3_bind_int64(st, 2, imp->now);
    sqlite3_bind_blob(st, 3, digest, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
    vg__bind_text(st, 4, imp->files[0].path);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        enum vg_status s = vg__store_error(imp->store, rc, "updating a watch list", imp->err);
        vg_store_rollback(imp->store);
        return s;
    }
    struct vg_buf b;
    vg_buf_init(&b, 1u << 16);
    enum vg_status s = vg_buf_append_cstr(&b, "{\"watchlist\":");
    if (s == VG_OK) {
        s = vg_buf_append_json(&b, imp->list);
    }
    if (s == VG_OK) {
        s = vg_buf_append_cstr(&b, ",\"files\":[");
    }
    for (int i = 0; s == VG_OK && i < imp->nfiles; i++) {
        if (i > 0) {
            s = vg_buf_append_char(&b, ',');
        }
        if (s == VG_OK) {
            s = vg_buf_append_json(&b, imp->files[i].path);
        }
    }
    if (s == VG_OK) {
        s = vg_buf_printf(&b,
                          "],\"inserted\":%lld,\"changed\":%lld,\"removed\":%lld,"
                          "\"rejected\":%lld,\"lapsed\":%lld}",
                          (long long)r->inserted, (long long)r->changed, (long long)r->removed,
                          (long long)r->rejected, (long long)r->lapsed);
    }
    if (s == VG_OK) {
        s = vg_audit_append(imp->store, "watchlist.import", b.data, digest, imp->err);
    }
    vg_buf_release(&b);
    if (s == VG_OK) {
        s = vg_store_commit(imp->store, imp->err);
    } else {
        vg_store_rollback(imp->store);
    }
    return s;
}

static void release(struct wl_import *imp)
{
    for (int i = 0; i < imp->nfiles; i++) {
        vg_file_close(&imp->files[i].file);
    }
    vg_map_release(&imp->existing_map);
    vg_map_release(&imp->seen_map);
    vg_free(imp->existing);
    vg_free(imp->seen);
}

/* Opens the files, registers them, finds or creates the list, reads its active entries.
 * On failure everything is rolled back and released. */
static enum vg_status begin(struct wl_import *imp,
                            struct vg_store *store,
                            const char *list,
                            const char *kind,
                            struct vg_watchlist_report *report,
                            vg_problem_fn on_problem,
                            void *user,
                            struct vg_error *err)
{
    imp->store = store;
    imp->list = list;
    imp->kind = kind;
    imp->report = report;
    imp->on_problem = on_problem;
    imp->user = user;
    imp->err = err;
    imp->now = vg_time_now();
    memset(report, 0, sizeof(*report));
    vg_map_init(&imp->existing_map);
    vg_map_init(&imp->seen_map);
    for (int i = 0; i < imp->nfiles; i++) {
        enum vg_status st = vg_file_open(imp->files[i].path, &imp->files[i].file, err);
        if (st != VG_OK) {
            release(imp);
            return st;
        }
        vg_digest(imp->files[i].file.data, imp->files[i].file.len, imp->files[i].digest);
    }
    enum vg_status st = vg_store_begin(store, err);
    if (st != VG_OK) {
        release(imp);
        return st;
    }
    for (int i = 0; st == VG_OK && i < imp->nfiles; i++) {
        st = vg__store_file_register(store, imp->files[i].path, imp->files[i].digest,
                                     (int64_t)imp->files[i].file.len, imp->files[i].format,
                                     &imp->files[i].id, NULL, NULL, err);
    }
    if (st == VG_OK) {
        st = open_list(imp);
    }
    if (st == VG_OK) {
        st = load_existing(imp);
    }
    if (st != VG_OK) {
        vg_store_rollback(store);
        release(imp);
    }
    return st;
}

static enum vg_status conclude(struct wl_import *imp, enum vg_status st)
{
    if (st == VG_OK) {
        st = remove_absent(imp);
    }
    if (st == VG_OK) {
        st = finish(imp);
    } else {
        vg_store_rollback(imp->store);
        if (st == VG_ENOMEM) {
            vg_error_set(imp->err, VG_ENOMEM, "out of memory importing %s", imp->files[0].path);
        }
    }
    release(imp);
    struct vg_watchlist_report *r = imp->report;
    vg_log(VG_LOG_INFO, "watchlist",
           "%s: %lld records, %lld new, %lld changed, %lld removed, "
           "%lld rejected",
           imp->list, (long long)r->records, (long long)r->inserted, (long long)r->changed,
           (long long)r->removed, (long long)r->rejected);
    if (st == VG_OK && r->rejected > 0) {
        st = vg_error_set(imp->err, VG_EPARTIAL, "%lld record(s) rejected", (long long)r->rejected);
    }
    return st;
}

/* The file name without directory and extension, in buf. */
static const char *list_from_path(const char *path, char *buf, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    snprintf(buf, size, "%s", base);
    char *dot = strrchr(buf, '.');
    if (dot != NULL && dot != buf) {
        *dot = '\0';
    }
    return buf;
}

enum vg_status vg_watchlist_import_csv(struct vg_store *store,
                                       const char *path,
                                       const char *list,
                                       struct vg_watchlist_report *report,
                                       vg_problem_fn on_problem,
                                       void *user,
                                       struct vg_error *err)
{
    struct wl_import imp;
    memset(&imp, 0, sizeof(imp));
    char name[256];
    if (list == NULL || list[0] == '\0') {
        list = list_from_path(path, name, sizeof(name));
    }
    imp.files[0] = (struct wl_file){ .path = path, .format = "watchlist-csv" };
    imp.nfiles = 1;
    enum vg_status st = begin(&imp, store, list, "csv", report, on_problem, user, err);
    if (st != VG_OK) {
        return st;
    }
    struct vg_watch_sink sink = { on_entry, on_reject, on_flag, &imp };
    st = vg_watchlist_parse_csv(imp.files[0].file.data, imp.files[0].file.len, path, &sink, err);
    return conclude(&imp, st);
}

enum vg_status vg_watchlist_import_ofac(struct vg_store *store,
                                        const char *sdn_path,
                                        const char *alt_path,
                                        const char *add_path,
                                        const char *list,
                                        struct vg_watchlist_report *report,
                                        vg_problem_fn on_problem,
                                        void *user,
                                        struct vg_error *err)
{
    struct wl_import imp;
    memset(&imp, 0, sizeof(imp));
    imp.files[imp.nfiles++] = (struct wl_file){ .path = sdn_path, .format = "ofac-sdn" };
    if (alt_path != NULL) {
        imp.files[imp.nfiles++] = (struct wl_file){ .path = alt_path, .format = "ofac-alt" };
    }
    if (add_path != NULL) {
        imp.files[imp.nfiles++] = (struct wl_file){ .path = add_path, .format = "ofac-add" };
    }
    enum vg_status st = begin(&imp, store, list != NULL && list[0] != '\0' ? list : "OFAC SDN",
                              "ofac-sdn", report, on_problem, user, err);
    if (st != VG_OK) {
        return st;
    }
    struct vg_watch_file files[3];
    for (int i = 0; i < imp.nfiles; i++) {
        files[i] = (struct vg_watch_file){ imp.files[i].file.data, imp.files[i].file.len,
                                           imp.files[i].path };
    }
    struct vg_watch_sink sink = { on_entry, on_reject, on_flag, &imp };
    struct vg_ofac_stats stats;
    int k = 1;
    const struct vg_watch_file *alt = alt_path != NULL ? &files[k++] : NULL;
    const struct vg_watch_file *add = add_path != NULL ? &files[k++] : NULL;
    st = vg_watchlist_parse_ofac(&files[0], alt, add, &sink, &stats, err);
    if (st == VG_OK) {
        report->aliases = stats.aliases;
        report->orphan_aliases = stats.orphan_aliases;
    }
    return conclude(&imp, st);
}
