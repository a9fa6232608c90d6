/*
 * Private interface of the store module, shared by the library modules that read and
 * write the database (ingest, codes, audit, risk...). Programs use vigia/store.h only.
 */
#ifndef VIGIA_STORE_INT_H
#define VIGIA_STORE_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include <vigia/audit.h>
#include <vigia/rows.h>
#include <vigia/store.h>

#define STORE_STMT_CACHE 256

struct store_stmt_slot {
    const char *sql; /* static SQL text, the cache key (by address) */
    sqlite3_stmt *stmt;
};

struct vg_store {
    sqlite3 *db;
    char *path;
    char *actor;
    bool actor_authenticated;
    bool read_only;
    int tx_depth;
    char *audit_key_path;
    char *audit_export_path;
    /* Audit signing key, loaded on first append. */
    bool key_loaded;
    unsigned char secret_key[64];
    unsigned char public_key[32];
    /* Head appended in the open transaction, exported after the outermost commit. */
    bool head_pending;
    int64_t head_seq;
    uint8_t head_hash[VG_DIGEST_SIZE];
    uint8_t head_sig[64];
    struct store_stmt_slot stmts[STORE_STMT_CACHE];
    struct vg__sql_profile *profile; /* VIGIA_SQL_PROFILE (profile.c), else NULL */
};

/* The page size of the stores created (store.c) and the most page cache a connection of
 * the store keeps, in KiB; page_cache.c sizes the bulk writers' buffer from them. */
#define STORE_PAGE_SIZE 16384
#define STORE_CACHE_KIB 262144
#define STORE_STR_(x)   #x
#define STORE_STR(x)    STORE_STR_(x)

/* Gives SQLite a page-cache buffer the kernel may back with huge pages (page_cache.c), for
 * a process that opens its store with vg_store_options.bulk. Process-wide; call once,
 * before SQLite is initialised; does nothing if it already is, or where the system lacks
 * the means. */
void vg__store_page_cache_setup(void);

/* Starts the developer SQL profile when VIGIA_SQL_PROFILE is set; prints and frees it. */
void vg__store_profile_start(struct vg_store *store);
void vg__store_profile_end(struct vg_store *store);

/*
 * Returns a prepared statement for sql, reset and with bindings cleared, from the
 * connection's cache. sql must be a string with static storage duration (its address is
 * the cache key). NULL on failure with err set.
 */
sqlite3_stmt *vg__store_stmt(struct vg_store *store, const char *sql, struct vg_error *err);

/* Runs one or more SQL statements without results. */
enum vg_status vg__store_exec(struct vg_store *store, const char *sql, struct vg_error *err);

/* Converts an SQLite result code into VG_EDB (or VG_EBUSY / VG_ENOMEM) with the SQLite
 * message and what was being done in err. */
enum vg_status vg__store_error(struct vg_store *store, int rc, const char *what,
                               struct vg_error *err);

/* Bind helpers: text may be NULL (binds NULL). Text is bound without a copy: bind and step
 * in the same call, before the buffer goes away. */
int vg__bind_text(sqlite3_stmt *st, int idx, const char *text);
int vg__bind_textn(sqlite3_stmt *st, int idx, const char *text, size_t len);
int vg__bind_int64_or_null(sqlite3_stmt *st, int idx, int64_t v, int64_t null_value);
int vg__bind_double_or_null(sqlite3_stmt *st, int idx, double v, bool present);

/* Reads a meta value into buf; VG_ENOTFOUND when absent. */
enum vg_status vg__store_meta_get(struct vg_store *store, const char *key, char *buf,
                                  size_t size, struct vg_error *err);
enum vg_status vg__store_meta_set(struct vg_store *store, const char *key, const char *value,
                                  struct vg_error *err);

/* Called by vg_store_commit after the outermost commit: exports the pending head. */
enum vg_status vg__audit_export_pending(struct vg_store *store, struct vg_error *err);

/* The migrations, in order (migrations.c). */
struct store_migration {
    int version;
    const char *name;
    const char *const *sql; /* NULL-terminated list of SQL texts */
};
extern const struct store_migration vg__store_migrations[];
extern const int vg__store_migration_count;

/*
 * Records a rejected input (in the caller's transaction): where (reason's source, line,
 * column, offset, item), why (reason's code and message), in which file (file_id, 0 when
 * not an ingested file) and an excerpt of the bytes (may be NULL). The same reject
 * recorded twice is kept once. *inserted (may be NULL) says whether it was new.
 */
enum vg_status vg__store_reject(struct vg_store *store,
                                int64_t file_id,
                                const char *format,
                                const struct vg_error *reason,
                                const char *msg_ref,
                                const char *excerpt,
                                size_t excerpt_len,
                                bool *inserted,
                                struct vg_error *err);

/* Runs a query and feeds every row to sink, columns named as in the SELECT. Parameters
 * are bound as text from params[0..nparams). */
enum vg_status vg__store_query_rows(struct vg_store *store,
                                    const char *sql,
                                    const char *const *params,
                                    int nparams,
                                    const struct vg_row_sink *sink,
                                    struct vg_error *err);

/* Whether a file of this content digest was read whole before (vg__store_file_complete),
 * asked on a read-only connection of its own to the store's file, for a thread
 * that must not use the store's (the ingest's read-ahead thread); it sees what is
 * committed. *out NULL when the store has no file (in memory, temporary) or the connection
 * cannot be had: every answer is then "no". VG_ENOMEM when out of memory. The probe is
 * used by one thread at a time; vg__store_file_probe_close(NULL) does nothing. */
struct vg__file_probe;
enum vg_status vg__store_file_probe_open(struct vg_store *store, struct vg__file_probe **out,
                                         struct vg_error *err);
bool vg__store_file_probe_done(struct vg__file_probe *p, const uint8_t digest[VG_DIGEST_SIZE]);
void vg__store_file_probe_close(struct vg__file_probe *p);

/* What the file system says of an input file (stat(2)) at path (as the run was given it),
 * by which a file read whole before is known without reading it: valid false when there is
 * nothing to say (a buffer, standard input, a member of an archive) or nothing to trust (a
 * file changed so lately that it may change again within the same tick of the file
 * system's clock, keeping its times: ingest.c). */
struct vg__file_stat {
    bool valid;
    int64_t device, inode, size, mtime_ns, ctime_ns;
    const char *path; /* borrowed */
};

/* Whether the file of status fs (valid) is the file system's copy of a file read whole
 * before: its path, device, inode, size and both times as recorded by
 * vg__store_file_stat_put.
 * On the read-ahead probe (what is committed); false when p is NULL. */
bool vg__store_file_probe_stat(struct vg__file_probe *p, const struct vg__file_stat *fs);

/* As vg__store_file_probe_stat, on the store's own connection (its open transaction
 * included): *known. VG_EDB when SQLite fails. */
enum vg_status vg__store_file_stat_known(struct vg_store *store,
                                         const struct vg__file_stat *fs,
                                         bool *known,
                                         struct vg_error *err);

/* Records (in the caller's transaction) that the file of status fs (valid) holds the
 * content of digest, a registered input file read whole; *changed (may be NULL) whether
 * anything was written (a status already recorded the same is not). */
enum vg_status vg__store_file_stat_put(struct vg_store *store,
                                       const struct vg__file_stat *fs,
                                       const uint8_t digest[VG_DIGEST_SIZE],
                                       bool *changed,
                                       struct vg_error *err);

/* Marks the input file file_id read whole, at time now (in the caller's transaction, with
 * the file's last messages); a file marked before keeps its time. */
enum vg_status
vg__store_file_complete(struct vg_store *store, int64_t file_id, int64_t now, struct vg_error *err);

/* *done: whether a file of this content digest was read whole before, as the store's own
 * connection sees it (its open transaction included). VG_EDB when SQLite fails. */
enum vg_status vg__store_file_done(struct vg_store *store,
                                   const uint8_t digest[VG_DIGEST_SIZE],
                                   bool *done,
                                   struct vg_error *err);

/* Registers an input file by content digest (INSERT OR IGNORE): *file_id gets its row
 * id; *is_new (may be NULL) whether it was seen for the first time; *completed (may be
 * NULL) whether it was read whole before (vg__store_file_complete). */
enum vg_status vg__store_file_register(struct vg_store *store,
                                       const char *path,
                                       const uint8_t digest[VG_DIGEST_SIZE],
                                       int64_t size,
                                       const char *format,
                                       int64_t *file_id,
                                       bool *is_new,
                                       bool *completed,
                                       struct vg_error *err);

/* A data-quality finding (in the caller's transaction). Strings may be NULL except kind
 * and detail. A finding already recorded at the same file, offset, kind and field is kept
 * once; *inserted (may be NULL) says whether it was new. */
struct vg__finding {
    int64_t file_id;    /* 0 = none */
    int64_t message_id; /* 0 = none */
    int64_t segment_no; /* 0 = none */
    int64_t offset;
    const char *kind;
    const char *field;
    const char *value;
    const char *expected;
    const char *detail;
};
enum vg_status vg__store_finding(struct vg_store *store, const struct vg__finding *f,
                                 bool *inserted, struct vg_error *err);

/* ---- raw message bytes (raw.c; decoding in vigia/raw.h) ------------------------------- */
#include <vigia/raw.h>

struct vg_arena;

/* A compressor for one thread; NULL when memory is short. Freed with vg__raw_packer_free
 * (NULL is fine). */
struct vg__raw_packer *vg__raw_packer_new(void);
void vg__raw_packer_free(struct vg__raw_packer *p);

/* The bytes to store for a message of len bytes at src: when compressing saves space, one
 * Zstandard frame in memory from arena (valid until the arena is reset) and returns
 * VG_RAW_ZSTD; otherwise *out = src, *out_len = len and returns NULL (kept as sent; also
 * when p is NULL, the message is short or memory is short). */
const char *vg__raw_pack(struct vg__raw_packer *p, const void *src, size_t len,
                         struct vg_arena *arena, const void **out, size_t *out_len);

/* Registers on the store's connection vg_raw(raw, raw_codec, length), the message's bytes as
 * sent (a BLOB), and vg_raw_text(raw, raw_codec, length, charset), the same as UTF-8 text
 * (converted from charset, the interchange's, when they are not UTF-8); NULL when no bytes
 * were kept. VG_EDB when SQLite refuses. Listings get them through vg__sql_functions
 * (target/sqlfn.c), which registers each function once per connection. */
enum vg_status vg__raw_sql_function(struct vg_store *store, struct vg_error *err);

/* Registers on the store's connection vg_name_key(text, kind), vg_address_key(address,
 * city, country) and vg_subject_key(name, type) (store/name_fn.c), for migrations that
 * recompute stored keys. VG_EDB when SQLite refuses. */
enum vg_status vg__store_name_function(struct vg_store *store, struct vg_error *err);

/* The key a party's address is resolved by: the normaliser's fingerprint of "address city
 * country" (NULL parts empty) read without legal forms, so that country codes CO, SA, SE
 * stay. Same output contract. */
size_t vg__store_address_key(
    const char *address, const char *city, const char *country, char *out, size_t size);

#endif
