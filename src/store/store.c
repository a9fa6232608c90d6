/*
 * The SQLite store (vigia/store.h): connection set-up, statement cache, transactions and
 * migrations.
 *
 * Connection settings: WAL journal (readers never block the writer), synchronous=FULL
 * (every commit is on disk before it returns: a power cut loses no committed transaction;
 * writes are batched, so the fsync per commit costs nothing measurable on ingest), foreign
 * keys on, a 10 s busy timeout, a page cache of up to 256 MiB (reserved up front in huge
 * pages for bulk writers: page_cache.c).
 */
#include "store/store_int.h"

#include <errno.h>
#include <pthread.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vigia/alloc.h>
#include <vigia/log.h>
#include <vigia/time.h>

const char *vg_store_default_path(void)
{
    const char *p = getenv("VIGIA_DB");
    return (p != NULL && p[0] != '\0') ? p : "vigia.db";
}

enum vg_status vg__store_error(struct vg_store *store, int rc, const char *what,
                               struct vg_error *err)
{
    enum vg_status st = VG_EDB;
    int primary = rc & 0xff;
    if (primary == SQLITE_NOMEM) {
        st = VG_ENOMEM;
    } else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
        st = VG_EBUSY;
    }
    const char *msg = store != NULL && store->db != NULL ? sqlite3_errmsg(store->db)
                                                         : sqlite3_errstr(rc);
    return vg_error_set(err, st, "%s: %s", what, msg);
}

static size_t stmt_slot(const char *sql)
{
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 40) % STORE_STMT_CACHE;
}

sqlite3_stmt *vg__store_stmt(struct vg_store *store, const char *sql, struct vg_error *err)
{
    size_t i = stmt_slot(sql);
    for (size_t probe = 0; probe < STORE_STMT_CACHE; probe++) {
        struct store_stmt_slot *s = &store->stmts[(i + probe) % STORE_STMT_CACHE];
        if (s->sql == sql) {
            sqlite3_reset(s->stmt);
            sqlite3_clear_bindings(s->stmt);
            return s->stmt;
        }
        if (s->sql == NULL) {
            sqlite3_stmt *st = NULL;
            int rc = sqlite3_prepare_v3(store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
            if (rc != SQLITE_OK) {
                vg__store_error(store, rc, "preparing a statement", err);
                return NULL;
            }
            s->sql = sql;
            s->stmt = st;
            return st;
        }
    }
    /* Cache full: should not happen (the library has fewer statements than slots). */
    vg_error_set(err, VG_ELIMIT, "statement cache full");
    return NULL;
}

enum vg_status vg__store_exec(struct vg_store *store, const char *sql, struct vg_error *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(store->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        enum vg_status st = vg_error_set(err, (rc & 0xff) == SQLITE_BUSY ? VG_EBUSY : VG_EDB,
                                         "%s", msg != NULL ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return st;
    }
    return VG_OK;
}

/* Text is bound SQLITE_STATIC: every caller binds and steps in the same call, and
 * vg__store_stmt clears the bindings before a statement is used again, so SQLite never
 * reads a bound string after the caller's buffer is gone. Saves a copy per value on the
 * ingest path. */
int vg__bind_text(sqlite3_stmt *st, int idx, const char *text)
{
    if (text == NULL) {
        return sqlite3_bind_null(st, idx);
    }
    return sqlite3_bind_text(st, idx, text, -1, SQLITE_STATIC);
}

int vg__bind_textn(sqlite3_stmt *st, int idx, const char *text, size_t len)
{
    if (text == NULL) {
        return sqlite3_bind_null(st, idx);
    }
    return sqlite3_bind_text64(st, idx, text, len, SQLITE_STATIC, SQLITE_UTF8);
}

int vg__bind_int64_or_null(sqlite3_stmt *st, int idx, int64_t v, int64_t null_value)
{
    if (v == null_value) {
        return sqlite3_bind_null(st, idx);
    }
    return sqlite3_bind_int64(st, idx, v);
}

int vg__bind_double_or_null(sqlite3_stmt *st, int idx, double v, bool present)
{
    if (!present) {
        return sqlite3_bind_null(st, idx);
    }
    return sqlite3_bind_double(st, idx, v);
}

static char *default_actor(void)
{
    const char *name = getenv("USER");
    struct passwd pw, *res = NULL;
    char buf[1024];
    if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &res) == 0 && res != NULL) {
        name = res->pw_name;
    }
    return vg_strdup(name != NULL && name[0] != '\0' ? name : "unknown");
}

static char *default_key_path(void)
{
    const char *env = getenv("VIGIA_AUDIT_KEY");
    if (env != NULL && env[0] != '\0') {
        return vg_strdup(env);
    }
    char path[1024];
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (xdg != NULL && xdg[0] != '\0') {
        snprintf(path, sizeof(path), "%s/vigia/audit.key", xdg);
    } else if (home != NULL && home[0] != '\0') {
        snprintf(path, sizeof(path), "%s/.config/vigia/audit.key", home);
    } else {
        snprintf(path, sizeof(path), ".vigia-audit.key");
    }
    return vg_strdup(path);
}

static char *default_export_path(const char *db_path)
{
    const char *env = getenv("VIGIA_AUDIT_EXPORT");
    if (env != NULL && env[0] != '\0') {
        return vg_strdup(env);
    }
    size_t n = strlen(db_path);
    char *p = vg_malloc(n + sizeof(".audit-heads"));
    if (p != NULL) {
        memcpy(p, db_path, n);
        memcpy(p + n, ".audit-heads", sizeof(".audit-heads"));
    }
    return p;
}

static enum vg_status read_schema_version(struct vg_store *store, int *version,
                                          struct vg_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(store->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        return vg__store_error(store, rc, "reading the schema version", err);
    }
    rc = sqlite3_step(st);
    *version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return VG_OK;
}

int vg_store_schema_latest(void)
{
    return vg__store_migrations[vg__store_migration_count - 1].version;
}

int vg_store_schema_version(const struct vg_store *store)
{
    int v = 0;
    struct vg_store *s = (struct vg_store *)(uintptr_t)store;
    if (read_schema_version(s, &v, NULL) != VG_OK) {
        return -1;
    }
    return v;
}

/* Process-wide SQLite set-up, once, before the first connection: memory statistics off.
 * Debian builds SQLite without lookaside memory, so every cursor and record buffer of
 * every statement is a malloc and a free; with statistics on, each also takes a global
 * mutex and updates counters nobody reads (vigia never calls sqlite3_memory_used). Off,
 * ingest needs about 7% less CPU (bench_ingest). When the program has already started
 * SQLite itself, the setting is refused (SQLITE_MISUSE) and nothing changes. */
static pthread_mutex_t sqlite_setup_mu = PTHREAD_MUTEX_INITIALIZER;
static bool sqlite_ready;

/* Configures and initialises SQLite once per process, under a lock (sqlite3_config may not
 * run beside sqlite3_initialize); the first store opened decides whether the page cache is
 * reserved up front (bulk). */
static void sqlite_setup(bool bulk)
{
    pthread_mutex_lock(&sqlite_setup_mu);
    if (!sqlite_ready) {
        (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        if (bulk) {
            vg__store_page_cache_setup();
        }
        (void)sqlite3_initialize();
        sqlite_ready = true;
    }
    pthread_mutex_unlock(&sqlite_setup_mu);
}

enum vg_status vg_store_open(const char *path,
                             const struct vg_store_options *opts,
                             struct vg_store **out,
                             struct vg_error *err)
{
    *out = NULL;
    struct vg_store_options defaults = { 0 };
    if (opts == NULL) {
        opts = &defaults;
    }
    enum vg_status st = vg_crypto_init();
    if (st != VG_OK) {
        return vg_error_set(err, st, "cannot initialise libsodium");
    }
    sqlite_setup(opts->bulk);
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    if (!exists && !opts->create) {
        return vg_error_set(err, VG_ENOTFOUND, "no store at '%s' (run 'vigia init' first)", path);
    }
    struct vg_store *s = vg_calloc(1, sizeof(*s));
    if (s == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory opening the store");
    }
    s->path = vg_strdup(path);
    s->actor = opts->actor != NULL ? vg_strdup(opts->actor) : default_actor();
    s->audit_key_path = opts->audit_key_path != NULL ? vg_strdup(opts->audit_key_path)
                                                     : default_key_path();
    s->audit_export_path = opts->audit_export_path != NULL ? vg_strdup(opts->audit_export_path)
                                                           : default_export_path(path);
    s->actor_authenticated = opts->actor_authenticated;
    s->read_only = opts->read_only;
    if (s->path == NULL || s->actor == NULL || s->audit_key_path == NULL ||
        s->audit_export_path == NULL) {
        vg_store_close(s);
        return vg_error_set(err, VG_ENOMEM, "out of memory opening the store");
    }
    int flags = opts->read_only ? SQLITE_OPEN_READONLY
                                : SQLITE_OPEN_READWRITE | (opts->create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        st = vg__store_error(s, rc, "opening the store", err);
        vg_store_close(s);
        return st;
    }
    sqlite3_extended_result_codes(s->db, 1);
    /* Another process's write transaction is waited for up to a minute: an ingest's batch
     * holds the write lock for up to ten seconds (ING_BATCH_MAX_MS) and its commit; with the
     * 10 s this was, a concurrent ingest or recorded inspection failed ("database is
     * locked") during a large ingest. */
    sqlite3_busy_timeout(s->db, 60000);
    vg__store_profile_start(s);
    /* 16 KiB pages: ingest (many small rows over a dozen B-trees) runs 10-20% faster than
     * with the default 4 KiB (measured with bench_ingest). Takes effect only when the
     * file is created; an existing store keeps its page size. */
    /* clang-format off */
    static const char settings[] = "PRAGMA page_size=" STORE_STR(STORE_PAGE_SIZE) ";"
                                   "PRAGMA foreign_keys=ON;"
                                   "PRAGMA cache_size=-" STORE_STR(STORE_CACHE_KIB) ";"
                                   "PRAGMA temp_store=MEMORY;";
    /* clang-format on */
    st = vg__store_exec(s, settings, err);
    if (st == VG_OK && !opts->read_only) {
        st = vg__store_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", err);
    }
    int version = 0;
    if (st == VG_OK) {
        st = read_schema_version(s, &version, err);
    }
    if (st == VG_OK && version > vg_store_schema_latest()) {
        st = vg_error_set(err, VG_EDB,
                          "store '%s' has schema version %d, newer than this vigia (%d)", path,
                          version, vg_store_schema_latest());
    }
    if (st == VG_OK && version < vg_store_schema_latest()) {
        if (opts->create && !opts->read_only) {
            st = vg_store_migrate(s, NULL, err);
        } else if (version == 0) {
            st = vg_error_set(err, VG_ENOTFOUND, "'%s' is not a vigia store (run 'vigia init')",
                              path);
        } else {
            st = vg_error_set(err, VG_EDB,
                              "store '%s' has schema version %d; run 'vigia init' to upgrade "
                              "it to %d",
                              path, version, vg_store_schema_latest());
        }
    }
    if (st != VG_OK) {
        vg_store_close(s);
        return st;
    }
    *out = s;
    return VG_OK;
}

void vg_store_close(struct vg_store *store)
{
    if (store == NULL) {
        return;
    }
    if (store->db != NULL) {
        if (store->tx_depth > 0) {
            sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
        }
        vg__store_profile_end(store);
        for (size_t i = 0; i < STORE_STMT_CACHE; i++) {
            if (store->stmts[i].stmt != NULL) {
                sqlite3_finalize(store->stmts[i].stmt);
            }
        }
        sqlite3_close_v2(store->db);
    }
    sodium_memzero(store->secret_key, sizeof(store->secret_key));
    vg_free(store->path);
    vg_free(store->actor);
    vg_free(store->audit_key_path);
    vg_free(store->audit_export_path);
    vg_free(store);
}

const char *vg_store_path(const struct vg_store *store)
{
    return store->path;
}

const char *vg_store_actor(const struct vg_store *store)
{
    return store->actor;
}

enum vg_status vg_store_begin(struct vg_store *store, struct vg_error *err)
{
    if (store->read_only) {
        return vg_error_set(err, VG_EINVAL, "store is open read-only");
    }
    char sql[64];
    if (store->tx_depth == 0) {
        snprintf(sql, sizeof(sql), "BEGIN IMMEDIATE");
        store->head_pending = false;
    } else {
        snprintf(sql, sizeof(sql), "SAVEPOINT sp%d", store->tx_depth);
    }
    enum vg_status st = vg__store_exec(store, sql, err);
    if (st == VG_OK) {
        store->tx_depth++;
    }
    return st;
}

enum vg_status vg_store_commit(struct vg_store *store, struct vg_error *err)
{
    if (store->tx_depth <= 0) {
        return vg_error_set(err, VG_EINVAL, "commit without a transaction");
    }
    char sql[64];
    if (store->tx_depth == 1) {
        snprintf(sql, sizeof(sql), "COMMIT");
    } else {
        snprintf(sql, sizeof(sql), "RELEASE sp%d", store->tx_depth - 1);
    }
    enum vg_status st = vg__store_exec(store, sql, err);
    if (st != VG_OK) {
        return st;
    }
    store->tx_depth--;
    if (store->tx_depth == 0 && store->head_pending) {
        store->head_pending = false;
        st = vg__audit_export_pending(store, err);
    }
    return st;
}

void vg_store_rollback(struct vg_store *store)
{
    if (store->tx_depth <= 0) {
        return;
    }
    if (store->tx_depth == 1) {
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
        store->head_pending = false;
    } else {
        char sql[64];
        snprintf(sql, sizeof(sql), "ROLLBACK TO sp%d; RELEASE sp%d", store->tx_depth - 1,
                 store->tx_depth - 1);
        sqlite3_exec(store->db, sql, NULL, NULL, NULL);
    }
    store->tx_depth--;
}

enum vg_status vg__store_meta_get(struct vg_store *store, const char *key, char *buf,
                                  size_t size, struct vg_error *err)
{
    static const char sql[] = "SELECT value FROM meta WHERE key = ?1";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    vg__bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        snprintf(buf, size, "%s", v != NULL ? v : "");
        sqlite3_reset(st);
        return VG_OK;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        return VG_ENOTFOUND;
    }
    return vg__store_error(store, rc, "reading meta", err);
}

enum vg_status vg__store_meta_set(struct vg_store *store, const char *key, const char *value,
                                  struct vg_error *err)
{
    static const char sql[] =
        "INSERT INTO meta(key, value) VALUES(?1, ?2) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    vg__bind_text(st, 1, key);
    vg__bind_text(st, 2, value);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "writing meta", err);
    }
    return VG_OK;
}

enum vg_status vg_store_migrate(struct vg_store *store, int *applied, struct vg_error *err)
{
    if (applied != NULL) {
        *applied = 0;
    }
    int version = 0;
    enum vg_status st = read_schema_version(store, &version, err);
    if (st == VG_OK && version < vg__store_migrations[vg__store_migration_count - 1].version) {
        st = vg__store_name_function(store, err); /* migrations' SQL may call it */
    }
    if (st != VG_OK) {
        return st;
    }
    for (int i = 0; i < vg__store_migration_count; i++) {
        const struct store_migration *m = &vg__store_migrations[i];
        if (m->version <= version) {
            continue;
        }
        st = vg_store_begin(store, err);
        if (st != VG_OK) {
            return st;
        }
        for (size_t k = 0; st == VG_OK && m->sql[k] != NULL; k++) {
            st = vg__store_exec(store, m->sql[k], err);
        }
        if (st == VG_OK) {
            char sql[128];
            snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", m->version);
            st = vg__store_exec(store, sql, err);
        }
        if (st == VG_OK && version == 0) {
            /* A new store: record its identity. */
            unsigned char id[16];
            randombytes_buf(id, sizeof(id));
            char hex[33];
            for (size_t k = 0; k < sizeof(id); k++) {
                snprintf(hex + 2 * k, 3, "%02x", id[k]);
            }
            char now[32];
            vg_time_format_iso8601(vg_time_now(), now, sizeof(now));
            st = vg__store_meta_set(store, "store_id", hex, err);
            if (st == VG_OK) {
                st = vg__store_meta_set(store, "created_at", now, err);
            }
        }
        if (st == VG_OK) {
            char objects[160];
            snprintf(objects, sizeof(objects),
                     "{\"schema_version\":%d,\"migration\":\"%s\"}", m->version, m->name);
            st = vg_audit_append(store, version == 0 ? "store.init" : "store.migrate", objects,
                                 NULL, err);
        }
        if (st != VG_OK) {
            vg_store_rollback(store);
            return st;
        }
        st = vg_store_commit(store, err);
        if (st != VG_OK) {
            return st;
        }
        vg_log(VG_LOG_INFO, "store", "applied migration %d (%s)", m->version, m->name);
        version = m->version;
        if (applied != NULL) {
            (*applied)++;
        }
    }
    return VG_OK;
}

enum vg_status vg_store_check(struct vg_store *store, struct vg_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(store->db, "PRAGMA integrity_check", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        return vg__store_error(store, rc, "integrity check", err);
    }
    enum vg_status res = VG_OK;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        if (v == NULL || strcmp(v, "ok") != 0) {
            res = vg_error_set(err, VG_EINTEGRITY, "database integrity: %s", v ? v : "?");
        }
    }
    sqlite3_finalize(st);
    if (res != VG_OK) {
        return res;
    }
    rc = sqlite3_prepare_v2(store->db, "PRAGMA foreign_key_check", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        return vg__store_error(store, rc, "foreign key check", err);
    }
    if (sqlite3_step(st) == SQLITE_ROW) {
        res = vg_error_set(err, VG_EINTEGRITY, "foreign key violation in table %s (row %lld)",
                           (const char *)sqlite3_column_text(st, 0),
                           (long long)sqlite3_column_int64(st, 1));
    }
    sqlite3_finalize(st);
    return res;
}

enum vg_status vg_store_counts(struct vg_store *store,
                               void (*fn)(void *user, const char *table, int64_t rows),
                               void *user,
                               struct vg_error *err)
{
    static const char *const tables[] = {
        "ingest_files", "messages", "rejects", "findings", "parties", "vessels",
        "port_calls", "consignments", "goods_items", "containers", "trips",
        "equipment_events", "seals", "ais_static", "ais_tracks", "vessel_events",
        "watchlist_entries", "assessments", "targets", "outcomes", "code_locodes",
        "code_hs", "code_ports", "audit_log",
    };
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        char sql[128];
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(store->db, sql, -1, &st, NULL);
        if (rc != SQLITE_OK) {
            return vg__store_error(store, rc, "counting rows", err);
        }
        int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_finalize(st);
        fn(user, tables[i], n);
    }
    return VG_OK;
}
