/* Audit trail: the chain verifies; an entry edited in SQLite, a chain recomputed and
 * re-signed without the operator's key, a deleted entry and a cut-off tail are all caught
 * and the first broken entry named. */
#include "vg_test.h"

#include <sodium.h>
#include <sqlite3.h>

#include <vigia/audit.h>
#include <vigia/store.h>

#include "audit/audit_int.h"

struct fixture {
    char db[700];
    char key[700];
    char heads[700];
};

static struct vg_store *open_store(struct fixture *f, bool create)
{
    struct vg_store_options o = { .create = create, .actor = "analyst1",
                                  .audit_key_path = f->key, .audit_export_path = f->heads };
    struct vg_store *s = NULL;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_store_open(f->db, &o, &s, &e), VG_OK, &e);
    return s;
}

/* A store with the init entry plus n more, each in its own transaction. */
static void make_chain(struct fixture *f, int n)
{
    const char *dir = vg_test_tmpdir();
    snprintf(f->db, sizeof(f->db), "%s/v.db", dir);
    snprintf(f->key, sizeof(f->key), "%s/keys/audit.key", dir);
    snprintf(f->heads, sizeof(f->heads), "%s/heads.log", dir);
    struct vg_store *s = open_store(f, true);
    struct vg_error e;
    for (int i = 0; i < n; i++) {
        assert_int_equal(vg_store_begin(s, &e), VG_OK);
        char objects[64];
        snprintf(objects, sizeof(objects), "{\"batch\":%d}", i);
        uint8_t digest[VG_DIGEST_SIZE];
        vg_digest(objects, strlen(objects), digest);
        assert_status(vg_audit_append(s, "ingest.batch", objects, digest, &e), VG_OK, &e);
        assert_int_equal(vg_store_commit(s, &e), VG_OK);
    }
    vg_store_close(s);
}

static void raw_exec(const char *db_path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fail_msg("%s: %s", sql, msg);
    }
    sqlite3_close(db);
}

static struct vg_audit_report verify(struct fixture *f, enum vg_status expected)
{
    struct vg_store *s = open_store(f, false);
    struct vg_audit_report r;
    struct vg_error e;
    vg_error_clear(&e);
    enum vg_status st = vg_audit_verify(s, &r, &e);
    vg_store_close(s);
    assert_status(st, expected, &e);
    return r;
}

static void test_audit__intact_chain_verifies(void **state)
{
    (void)state;
    struct fixture f;
    make_chain(&f, 5);
    struct vg_audit_report r = verify(&f, VG_OK);
    assert_true(r.ok);
    assert_int_equal(r.entries, 5 + vg_store_schema_latest()); /* + one per migration */
    assert_int_equal(r.exported_heads, 5 + vg_store_schema_latest());
    assert_true(r.key_from_file);
    assert_true(r.export_found);
}

static void test_audit__append_outside_transaction_is_refused(void **state)
{
    (void)state;
    struct fixture f;
    make_chain(&f, 0);
    struct vg_store *s = open_store(&f, false);
    struct vg_error e;
    assert_int_equal(vg_audit_append(s, "x", "{}", NULL, &e), VG_EINVAL);
    vg_store_close(s);
}

static void test_audit__entry_edited_in_sqlite_is_named(void **state)
{
    (void)state;
    struct fixture f;
    make_chain(&f, 5);
    raw_exec(f.db, "DROP TRIGGER audit_log_no_update;"
                   "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3;");
    struct vg_audit_report r = verify(&f, VG_EINTEGRITY);
    assert_false(r.ok);
    assert_int_equal(r.first_broken, 3);
    assert_non_null(strstr(r.reason, "modified"));
}

/* Rewrites the chain from entry `from` on as an attacker without the operator's key:
 * changes the objects of `from`, recomputes every hash after it and signs with a key of
 * their own, also replacing the key recorded in the store. */
static void rewrite_chain(const char *db_path, int64_t from)
{
    unsigned char pk[32], sk[64];
    crypto_sign_keypair(pk, sk);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_log_no_update", NULL, NULL, NULL),
                     SQLITE_OK);
    /* The chain before `from` stays; start from the stored hash of its predecessor. */
    uint8_t prev[VG_DIGEST_SIZE] = { 0 };
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT hash FROM audit_log WHERE seq = ?1", -1, &q,
                                        NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(q, 1, from - 1);
    if (sqlite3_step(q) == SQLITE_ROW) {
        memcpy(prev, sqlite3_column_blob(q, 0), VG_DIGEST_SIZE);
    }
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT seq, at, actor, authenticated, action, objects,"
                                            " digest FROM audit_log WHERE seq >= ?1 ORDER BY seq",
                                        -1, &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(q, 1, from);
    sqlite3_stmt *u;
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE audit_log SET objects=?1, prev_hash=?2,"
                                            " hash=?3, signature=?4, key_id=?5 WHERE seq=?6",
                                        -1, &u, NULL),
                     SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(q, 0);
        char objects[128];
        snprintf(objects, sizeof(objects), "%s",
                 seq == from ? "{\"batch\":\"forged\"}" : (const char *)sqlite3_column_text(q, 5));
        uint8_t hash[VG_DIGEST_SIZE], sig[64];
        vg__audit_entry_hash(prev, seq, sqlite3_column_int64(q, 1),
                             (const char *)sqlite3_column_text(q, 2), sqlite3_column_int(q, 3),
                             (const char *)sqlite3_column_text(q, 4), objects,
                             sqlite3_column_blob(q, 6), hash);
        crypto_sign_detached(sig, NULL, hash, sizeof(hash), sk);
        sqlite3_bind_text(u, 1, objects, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(u, 2, prev, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
        sqlite3_bind_blob(u, 3, hash, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
        sqlite3_bind_blob(u, 4, sig, sizeof(sig), SQLITE_TRANSIENT);
        sqlite3_bind_blob(u, 5, pk, sizeof(pk), SQLITE_TRANSIENT);
        sqlite3_bind_int64(u, 6, seq);
        assert_int_equal(sqlite3_step(u), SQLITE_DONE);
        sqlite3_reset(u);
        memcpy(prev, hash, VG_DIGEST_SIZE);
    }
    sqlite3_finalize(q);
    sqlite3_finalize(u);
    char hex[65];
    sodium_bin2hex(hex, sizeof(hex), pk, sizeof(pk));
    char sql[200];
    snprintf(sql, sizeof(sql), "UPDATE meta SET value='%s' WHERE key='audit_public_key'", hex);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_audit__chain_rewritten_without_key_is_named(void **state)
{
    (void)state;
    struct fixture f;
    make_chain(&f, 6);
    rewrite_chain(f.db, 4);
    /* The hashes are consistent again: only the signatures and the export give it away. */
    struct vg_audit_report r = verify(&f, VG_EINTEGRITY);
    assert_int_equal(r.first_broken, 4);
    assert_non_null(strstr(r.reason, "not signed by the operator's key"));
}

static void test_audit__rewrite_caught_by_export_when_key_file_is_gone(void **state)
{
    (void)state;
    struct fixture f;
    make_chain(&f, 6);
    rewrite_chain(f.db, 2);
    assert_int_equal(remove(f.key), 0);
    struct vg_audit_report r = verify(&f, VG_EINTEGRITY);
    assert_false(r.key_from_file);
    assert_int_equal(r.first_broken, 2);
}

static void test_audit__deleted_entry_is_named(void **state)
{
    (void)state;
    struct fixture f;
    make_chain(&f, 5);
    raw_exec(f.db, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 4;");
    struct vg_audit_report r = verify(&f, VG_EINTEGRITY);
    assert_int_equal(r.first_broken, 4);
    assert_non_null(strstr(r.reason, "missing"));
}

static void test_audit__cut_off_tail_is_caught_by_the_export(void **state)
{
    (void)state;
    struct fixture f;
    make_chain(&f, 5);
    raw_exec(f.db, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq >= 5;");
    struct vg_audit_report r = verify(&f, VG_EINTEGRITY);
    assert_int_equal(r.first_broken, 5);
    assert_non_null(strstr(r.reason, "removed"));
}

static void test_audit__trigger_blocks_casual_edits(void **state)
{
    (void)state;
    struct fixture f;
    make_chain(&f, 1);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f.db, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE audit_log SET actor='x'", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_log", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    verify(&f, VG_OK);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_audit__intact_chain_verifies),
    cmocka_unit_test(test_audit__append_outside_transaction_is_refused),
    cmocka_unit_test(test_audit__entry_edited_in_sqlite_is_named),
    cmocka_unit_test(test_audit__chain_rewritten_without_key_is_named),
    cmocka_unit_test(test_audit__rewrite_caught_by_export_when_key_file_is_gone),
    cmocka_unit_test(test_audit__deleted_entry_is_named),
    cmocka_unit_test(test_audit__cut_off_tail_is_caught_by_the_export),
    cmocka_unit_test(test_audit__trigger_blocks_casual_edits),
};

VG_TEST_MAIN(tests)
