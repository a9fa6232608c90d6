/*
 * vigia/store.h - the store: an SQLite database (WAL, foreign keys, busy timeout) whose
 * schema is created and upgraded by numbered, transactional migrations compiled into the
 * library.
 *
 * A struct vg_store is one connection; use one per thread. Every mutating operation of the
 * library runs inside vg_store_begin / vg_store_commit and appends an audit entry in the
 * same transaction (vigia/audit.h), naming the actor set at open time.
 *
 * The store is chosen by the caller; the vigia command uses --db PATH, else $VIGIA_DB,
 * else ./vigia.db (vg_store_default_path).
 */
#ifndef VIGIA_STORE_H
#define VIGIA_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_store;

struct vg_store_options {
    /* Ed25519 signing key for the audit chain, kept outside the database. NULL: the
     * environment variable VIGIA_AUDIT_KEY, else $XDG_CONFIG_HOME/vigia/audit.key (or
     * ~/.config/vigia/audit.key). Created on first use when missing. */
    const char *audit_key_path;
    /* File that receives every signed chain head (the second place). NULL:
     * $VIGIA_AUDIT_EXPORT, else "<database path>.audit-heads". */
    const char *audit_export_path;
    /* Who acts. NULL: the operating-system user. */
    const char *actor;
    /* Whether the actor was authenticated (false until users arrive in M2). */
    bool actor_authenticated;
    /* Open read-only (no migrations, no writes). */
    bool read_only;
    /* Create the database when missing and bring the schema to the latest version. When
     * false, opening a missing database fails with VG_ENOTFOUND and an outdated schema
     * with VG_EDB ("run vigia init"). */
    bool create;
    /* This process is about to write in bulk (a large ingest). The first store opened in a
     * process with it set, before SQLite is initialised by anything else, gives SQLite a
     * page cache reserved up front in memory the kernel may back with huge pages (256 MiB
     * at once: about 0.3 s and that much resident memory more at start, against page
     * faults and TLB misses all through a large ingest; see src/store/page_cache.c). A
     * hint: nothing else changes, and stores opened later in the process share it. */
    bool bulk;
};

/* The path to use when the caller gives none: $VIGIA_DB, else "vigia.db". Static. */
const char *vg_store_default_path(void);

/*
 * Opens the store at path. opts may be NULL (defaults above, create = false). On success
 * *out owns the connection (close with vg_store_close). On failure *out is NULL and err
 * says why: VG_ENOTFOUND (no database and create false), VG_EDB (SQLite failure, schema
 * newer than this program, or outdated schema without create), VG_ENOMEM.
 */
VG_NODISCARD enum vg_status vg_store_open(const char *path,
                                          const struct vg_store_options *opts,
                                          struct vg_store **out,
                                          struct vg_error *err);

/* Closes the connection, rolling back an open transaction. NULL-safe. */
void vg_store_close(struct vg_store *store);

/* The database path given at open (borrowed, valid while the store is open). */
const char *vg_store_path(const struct vg_store *store);

/* The actor recorded on audit entries (borrowed). */
const char *vg_store_actor(const struct vg_store *store);

/* Schema version of the open database, and the latest this library knows. */
int vg_store_schema_version(const struct vg_store *store);
int vg_store_schema_latest(void);

/*
 * Brings the schema to the latest version, one migration per transaction; *applied (may
 * be NULL) gets the number of migrations run. Idempotent. The first migration also records
 * the store's identity and appends the "store.init" audit entry.
 */
VG_NODISCARD enum vg_status vg_store_migrate(struct vg_store *store, int *applied,
                                             struct vg_error *err);

/*
 * Transactions. vg_store_begin starts a write transaction (BEGIN IMMEDIATE) or, inside
 * one, a savepoint; vg_store_commit / vg_store_rollback end the innermost. When the
 * outermost transaction commits, the new signed audit head is exported.
 */
VG_NODISCARD enum vg_status vg_store_begin(struct vg_store *store, struct vg_error *err);
VG_NODISCARD enum vg_status vg_store_commit(struct vg_store *store, struct vg_error *err);
void vg_store_rollback(struct vg_store *store);

/* Runs SQLite's integrity and foreign-key checks. VG_EINTEGRITY with the first problem in
 * err when either reports something. */
VG_NODISCARD enum vg_status vg_store_check(struct vg_store *store, struct vg_error *err);

/* A counted summary of the store's main tables, for reports: calls fn once per table with
 * its name and row count. */
VG_NODISCARD enum vg_status vg_store_counts(struct vg_store *store,
                                            void (*fn)(void *user, const char *table,
                                                       int64_t rows),
                                            void *user,
                                            struct vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
