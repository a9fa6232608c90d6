/* Store: creation, migrations, schema versions, transactions, integrity checks. */
#include "vg_test.h"

#include <sqlite3.h>

#include <vigia/audit.h>
#include <vigia/store.h>

#include "store/store_int.h"

static struct vg_store *open_new(const char *path)
{
    struct vg_store_options o = { .create = true, .actor = "tester" };
    struct vg_store *s = NULL;
    struct vg_error e;
    vg_error_clear(&e);
    enum vg_status st = vg_store_open(path, &o, &s, &e);
    assert_status(st, VG_OK, &e);
    return s;
}

static int64_t count(struct vg_store *s, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The process's resident memory in kB (Linux /proc), -1 where unknown. */
static long resident_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    long kb = -1;
    char line[256];
    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1) {
            break;
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    return kb;
}

/* Resident memory an open of a new store adds (bulk or not), or skips the case where it
 * cannot tell: no /proc, or SQLite already initialised in this process (the cases run
 * together in one process), which no later open can change. */
static long open_growth_kb(const char *name, bool bulk)
{
    if (resident_kb() < 0 || sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK) {
        skip();
    }
    long before = resident_kb();
    struct vg_store_options o = { .create = true, .actor = "tester", .bulk = bulk };
    struct vg_store *s = NULL;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_store_open(vg_test_tmpfile(name), &o, &s, &e), VG_OK, &e);
    assert_int_equal(count(s, "SELECT count(*) FROM containers"), 0);
    long grown = resident_kb() - before;
    vg_store_close(s);
    return grown;
}

/* A command that reads a few pages does not pay for the bulk writers' page cache: vigia kpi
 * took 0.47 s and 290 MB when every process reserved it, 0.07 s and 18 MB without. */
static void test_store__plain_open_reserves_no_page_cache(void **state)
{
    (void)state;
    assert_true(open_growth_kb("plain.db", false) < 32 * 1024);
}

/* A bulk writer's open gives SQLite its page cache up front (SQLite touches every slot
 * when it initialises: 256 MiB of slots, in huge pages where the kernel grants them). */
static void test_store__bulk_open_reserves_the_page_cache(void **state)
{
    (void)state;
    assert_true(open_growth_kb("bulk.db", true) >= 48 * 1024);
}

static void test_store__missing_store_is_not_created_without_asking(void **state)
{
    (void)state;
    struct vg_store *s = NULL;
    struct vg_error e;
    vg_error_clear(&e);
    assert_int_equal(vg_store_open(vg_test_tmpfile("none.db"), NULL, &s, &e), VG_ENOTFOUND);
    assert_null(s);
    assert_non_null(strstr(e.message, "vigia init"));
}

static void test_store__init_creates_latest_schema_and_audits_it(void **state)
{
    (void)state;
    const char *path = vg_test_tmpfile("a.db");
    struct vg_store *s = open_new(path);
    assert_int_equal(vg_store_schema_version(s), vg_store_schema_latest());
    assert_string_equal(vg_store_actor(s), "tester");
    assert_int_equal(count(s, "SELECT count(*) FROM audit_log WHERE action='store.init'"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM meta WHERE key='store_id'"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode='wal'"), 1);
    assert_int_equal(count(s, "SELECT foreign_keys FROM pragma_foreign_keys"), 1);
    struct vg_error e;
    assert_int_equal(vg_store_check(s, &e), VG_OK);
    vg_store_close(s);
    /* Reopen: nothing to migrate, nothing new in the audit trail. */
    struct vg_store_options o = { .actor = "tester" };
    assert_int_equal(vg_store_open(path, &o, &s, &e), VG_OK);
    int applied = -1;
    assert_int_equal(vg_store_migrate(s, &applied, &e), VG_OK);
    assert_int_equal(applied, 0);
    assert_int_equal(count(s, "SELECT count(*) FROM audit_log"), vg_store_schema_latest());
    vg_store_close(s);
}

static void test_store__newer_schema_is_refused(void **state)
{
    (void)state;
    const char *path = vg_test_tmpfile("b.db");
    vg_store_close(open_new(path));
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    struct vg_store *s = NULL;
    struct vg_error e;
    vg_error_clear(&e);
    assert_int_equal(vg_store_open(path, NULL, &s, &e), VG_EDB);
    assert_non_null(strstr(e.message, "newer"));
}

static void test_store__non_vigia_database_is_refused(void **state)
{
    (void)state;
    const char *path = vg_test_tmpfile("other.db");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE x(y)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    struct vg_store *s = NULL;
    struct vg_error e;
    vg_error_clear(&e);
    assert_int_equal(vg_store_open(path, NULL, &s, &e), VG_ENOTFOUND);
    assert_non_null(strstr(e.message, "not a vigia store"));
}

static void test_store__transactions_nest_and_roll_back(void **state)
{
    (void)state;
    struct vg_store *s = open_new(vg_test_tmpfile("c.db"));
    struct vg_error e;
    assert_int_equal(vg_store_begin(s, &e), VG_OK);
    assert_int_equal(vg__store_exec(s, "INSERT INTO agencies(code,name,created_at) VALUES('PNP','Policia',0)", &e), VG_OK);
    assert_int_equal(vg_store_begin(s, &e), VG_OK);
    assert_int_equal(vg__store_exec(s, "INSERT INTO agencies(code,name,created_at) VALUES('SUNAT','Aduanas',0)", &e), VG_OK);
    vg_store_rollback(s); /* inner only */
    assert_int_equal(vg_store_commit(s, &e), VG_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM agencies"), 1);
    assert_int_equal(vg_store_begin(s, &e), VG_OK);
    assert_int_equal(vg__store_exec(s, "INSERT INTO agencies(code,name,created_at) VALUES('DICAPI','Capitania',0)", &e), VG_OK);
    vg_store_rollback(s);
    assert_int_equal(count(s, "SELECT count(*) FROM agencies"), 1);
    assert_int_equal(vg_store_commit(s, &e), VG_EINVAL);
    vg_store_close(s);
}

static void test_store__read_only_store_refuses_writes(void **state)
{
    (void)state;
    const char *path = vg_test_tmpfile("d.db");
    vg_store_close(open_new(path));
    struct vg_store_options o = { .read_only = true };
    struct vg_store *s = NULL;
    struct vg_error e;
    assert_int_equal(vg_store_open(path, &o, &s, &e), VG_OK);
    assert_int_equal(vg_store_begin(s, &e), VG_EINVAL);
    vg_store_close(s);
}

static void count_cb(void *user, const char *table, int64_t rows)
{
    int *n = user;
    (void)table;
    assert_true(rows >= 0);
    (*n)++;
}

static void test_store__counts_every_main_table(void **state)
{
    (void)state;
    struct vg_store *s = open_new(vg_test_tmpfile("e.db"));
    int n = 0;
    struct vg_error e;
    assert_int_equal(vg_store_counts(s, count_cb, &n, &e), VG_OK);
    assert_true(n >= 20);
    vg_store_close(s);
}

static void test_store__data_model_has_every_table(void **state)
{
    (void)state;
    struct vg_store *s = open_new(vg_test_tmpfile("f.db"));
    static const char *const tables[] = {
        "agencies", "users", "parties", "party_identifiers", "vessels", "vessel_identities",
        "port_calls", "consignments", "consignment_versions", "consignment_parties",
        "goods_items", "containers", "seals", "equipment_events", "trips", "ais_tracks",
        "ais_static", "vessel_events", "messages", "rejects", "findings", "watchlists",
        "watchlist_entries", "rule_sets", "assessments", "assessment_reasons", "targets",
        "inspections", "outcomes", "alerts", "cases", "case_links", "audit_log", "models",
    };
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        char sql[128];
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM sqlite_schema WHERE name='%s'", tables[i]);
        if (count(s, sql) != 1) {
            fail_msg("table %s missing", tables[i]);
        }
    }
    vg_store_close(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_store__missing_store_is_not_created_without_asking),
    cmocka_unit_test(test_store__init_creates_latest_schema_and_audits_it),
    cmocka_unit_test(test_store__newer_schema_is_refused),
    cmocka_unit_test(test_store__non_vigia_database_is_refused),
    cmocka_unit_test(test_store__transactions_nest_and_roll_back),
    cmocka_unit_test(test_store__read_only_store_refuses_writes),
    cmocka_unit_test(test_store__counts_every_main_table),
    cmocka_unit_test(test_store__data_model_has_every_table),
    cmocka_unit_test(test_store__plain_open_reserves_no_page_cache),
    cmocka_unit_test(test_store__bulk_open_reserves_the_page_cache),
};

VG_TEST_MAIN(tests)
