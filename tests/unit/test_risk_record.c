/* Stored feature records (src/risk/record.c, stored.c): assessments.features holds a packed
 * record that reads back as exactly the JSON the scorer used to store. Checked on every
 * trip of a simulated world at several instants (pack, unpack, compare with rk_record_json),
 * on the records a scoring run stores (read back in C and through the SQL function of
 * `vigia assessments --features`), and on damaged or foreign input. */
#include "risk/risk_int.h"
#include "vg_targeting.h"
#include "vg_test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/ingest.h>
#include <vigia/outcome.h>
#include <vigia/risk.h>
#include <vigia/screen.h>
#include <vigia/sim.h>
#include <vigia/store.h>
#include <vigia/time.h>

static int64_t T(const char *iso)
{
    int64_t t;
    struct vg_error e;
    assert_int_equal(vg_time_parse_iso8601(vg_slice_from_cstr(iso), NULL, &t, &e), VG_OK);
    return t;
}

/* A small simulated world with watch-list hits and outcomes, ingested into store name. */
static struct vg_store *sim_store(const char *name)
{
    static const char config[] = "{\"extends\": \"peru\",\n"
                                 " \"patterns\": {\n"
                                 "  \"rip_on\": {\"rate_per_1000\": 15},\n"
                                 "  \"watchlist_party\": {\"rate_per_1000\": 8},\n"
                                 "  \"cloned_container\": {\"rate_per_1000\": 8}}}\n";
    return vg_tt_sim_store(name, vg_tt_sim_world("record-world", config, 7, 20, 0.08));
}

/* The store's feature_names as a table by id (names point into the store's strings, which
 * the caller keeps in *pool). */
static struct vg_slice *names_of(struct vg_store *s, size_t *n, char ***pool)
{
    int64_t max = vg_tt_int(s, "SELECT coalesce(max(id), 0) FROM feature_names");
    struct vg_slice *names = vg_calloc((size_t)max + 1, sizeof(*names));
    char **strs = vg_calloc((size_t)max + 1, sizeof(char *));
    assert_non_null(names);
    assert_non_null(strs);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT id, name FROM feature_names", -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        strs[id] = vg_malloc(strlen(name) + 1);
        assert_non_null(strs[id]);
        memcpy(strs[id], name, strlen(name) + 1);
        names[id] = vg_slice_from_cstr(strs[id]);
    }
    sqlite3_finalize(st);
    *n = (size_t)max + 1;
    *pool = strs;
    return names;
}

static void names_free(struct vg_slice *names, size_t n, char **pool)
{
    for (size_t i = 0; i < n; i++) {
        vg_free(pool[i]);
    }
    vg_free(pool);
    vg_free(names);
}

/* Every trip of the world as of its reference time, a week later and at the end: the packed
 * record unpacks to rk_record_json's text, byte for byte, and is much smaller. */
static void test_risk_record__packed_reads_back_as_the_json(void **state)
{
    (void)state;
    struct vg_store *s = sim_store("record-pack.db");
    /* Names in an order of their own (ids unlike the catalogue's indexes). */
    vg_tt_exec(s, "INSERT INTO feature_names(id, name) VALUES(40, 'dwell_hours'), (3, 'port')");
    struct vg_error e;
    vg_error_clear(&e);
    uint32_t name[VG_F_COUNT];
    assert_status(vg_store_begin(s, &e), VG_OK, &e);
    assert_status(rk_record_names(s, name, &e), VG_OK, &e);
    assert_status(vg_store_commit(s, &e), VG_OK, &e);
    assert_int_equal(name[VG_F_PORT], 3);
    assert_int_equal(name[VG_F_DWELL_HOURS], 40);
    /* Asked again: the same ids, no new rows. */
    int64_t rows = vg_tt_int(s, "SELECT count(*) FROM feature_names");
    assert_int_equal(rows, VG_F_COUNT);
    uint32_t again[VG_F_COUNT];
    assert_status(rk_record_names(s, again, &e), VG_OK, &e);
    assert_memory_equal(name, again, sizeof(name));
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM feature_names"), rows);
    size_t nnames;
    char **pool;
    struct vg_slice *names = names_of(s, &nnames, &pool);

    struct rk_ctx *c = vg_calloc(1, sizeof(*c));
    assert_non_null(c);
    assert_status(rk_ctx_load(c, s, &e), VG_OK, &e);
    assert_status(rk_ctx_prepare(c, &e), VG_OK, &e);
    assert_true(c->trips.n > 300);
    struct vg_arena arena;
    vg_arena_init(&arena, 0, 0);
    static struct vg_value rec[VG_F_COUNT];
    static struct rk_src src[VG_F_COUNT][2];
    struct vg_buf json, packed, back;
    vg_buf_init(&json, 1u << 24);
    vg_buf_init(&packed, 1u << 24);
    vg_buf_init(&back, 1u << 24);
    size_t records = 0, json_bytes = 0, packed_bytes = 0;
    size_t with_string = 0, with_list = 0, with_fraction = 0, with_two_sources = 0;
    const int64_t end = T("2024-06-30T00:00:00Z");
    for (uint32_t ti = 0; ti < c->trips.n; ti++) {
        const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, ti);
        int64_t when[3] = { t->t_ref, t->t_ref + 7 * 86400, end };
        for (int k = t->t_ref == VG_TIME_NONE ? 2 : 0; k < 3; k++) {
            vg_arena_reset(&arena);
            assert_status(rk_compute(c, ti, when[k], &arena, rec, src, NULL, &e), VG_OK, &e);
            vg_buf_reset(&json);
            vg_buf_reset(&packed);
            vg_buf_reset(&back);
            const struct rk_src(*cs)[2] = (const struct rk_src(*)[2])src;
            assert_int_equal(rk_record_json(rec, cs, &json), VG_OK);
            assert_int_equal(rk_record_pack(rec, cs, name, &packed), VG_OK);
            assert_int_equal((unsigned char)packed.data[0], RK_RECORD_PACKED);
            assert_int_equal(rk_record_unpack(packed.data, packed.len, names, nnames, &back),
                             VG_OK);
            assert_int_equal(back.len, json.len);
            assert_string_equal(back.data, json.data);
            records++;
            json_bytes += json.len;
            packed_bytes += packed.len;
            with_string += strstr(json.data, "\"port\":\"") != NULL;
            with_list += strstr(json.data, "\":[\"") != NULL &&
                         strstr(json.data, "\":[\"") < strstr(json.data, "_sources");
            for (size_t f = 0; f < VG_F_COUNT; f++) {
                if (rec[f].kind == VG_VALUE_NUMBER &&
                    rec[f].as.number != (double)(int64_t)rec[f].as.number) {
                    with_fraction++;
                    break;
                }
            }
            with_two_sources += strstr(json.data, " m") != NULL;
        }
    }
    /* The comparison covered every kind of value and source. */
    assert_true(records > 900);
    assert_int_equal(with_string, records);
    assert_true(with_list > 100);
    assert_true(with_fraction > 100);
    assert_true(with_two_sources > 100);
    /* A packed record is under a third of its JSON. */
    assert_true(packed_bytes * 3 < json_bytes);
    vg_buf_release(&json);
    vg_buf_release(&packed);
    vg_buf_release(&back);
    vg_arena_release(&arena);
    rk_ctx_release(c);
    vg_free(c);
    names_free(names, nnames, pool);
    vg_store_close(s);
}

/* A scoring run stores packed records; each reads back (vg_risk_record_text, and the SQL
 * function of the assessments listing) as the JSON of the record computed again as of the
 * assessment's as_of. */
static void test_risk_record__scored_records_read_back(void **state)
{
    (void)state;
    struct vg_store *s = sim_store("record-score.db");
    struct vg_risk_options o = { .as_of = T("2024-05-20T00:00:00Z") };
    struct vg_risk_report r;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_risk_score(s, &o, &r, &e), VG_OK, &e);
    o.as_of = T("2024-06-30T00:00:00Z");
    assert_status(vg_risk_score(s, &o, &r, &e), VG_OK, &e);
    assert_true(r.rescored > 50);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM feature_names"), VG_F_COUNT);
    assert_int_equal(vg_tt_int(s,
                               "SELECT count(*) FROM assessments WHERE typeof(features) != 'blob'"
                               " OR substr(features, 1, 1) != x'01'"),
                     0);

    /* The SQL function, registered as `vigia assessments --features` registers it. */
    assert_status(rk_record_sql_function(s, &e), VG_OK, &e);
    assert_status(rk_record_sql_function(s, &e), VG_OK, &e); /* once is enough */
    struct rk_ctx *c = vg_calloc(1, sizeof(*c));
    assert_non_null(c);
    assert_status(rk_ctx_load(c, s, &e), VG_OK, &e);
    assert_status(rk_ctx_prepare(c, &e), VG_OK, &e);
    struct vg_arena arena;
    vg_arena_init(&arena, 0, 0);
    static struct vg_value rec[VG_F_COUNT];
    static struct rk_src src[VG_F_COUNT][2];
    struct vg_buf json, text;
    vg_buf_init(&json, 1u << 24);
    vg_buf_init(&text, 1u << 24);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(s->db,
                           "SELECT trip_id, as_of, features, vg_feature_record(features)"
                           " FROM assessments ORDER BY id",
                           -1, &st, NULL),
        SQLITE_OK);
    int64_t n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        uint32_t ti = c->trip_by_id[sqlite3_column_int64(st, 0)] - 1;
        vg_arena_reset(&arena);
        assert_status(rk_compute(c, ti, sqlite3_column_int64(st, 1), &arena, rec, src, NULL, &e),
                      VG_OK, &e);
        vg_buf_reset(&json);
        assert_int_equal(rk_record_json(rec, (const struct rk_src(*)[2])src, &json), VG_OK);
        assert_string_equal((const char *)sqlite3_column_text(st, 3), json.data);
        vg_buf_reset(&text);
        assert_status(vg_risk_record_text(s, sqlite3_column_blob(st, 2),
                                          (size_t)sqlite3_column_bytes(st, 2), &text, &e),
                      VG_OK, &e);
        assert_string_equal(text.data, json.data);
        n++;
    }
    sqlite3_finalize(st);
    assert_true(n > 500);

    /* The listing's features column: one per row, each a record. */
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM assessments"
                                  " WHERE vg_feature_record(features) NOT LIKE '{\"port\":%}}'"),
                     0);
    vg_buf_release(&json);
    vg_buf_release(&text);
    vg_arena_release(&arena);
    rk_ctx_release(c);
    vg_free(c);
    vg_store_close(s);
}

/* A record stored as JSON by an earlier version is read as it is; a damaged packed record
 * is refused (out unchanged); a name added to the store after the reader read the names is
 * found by reading them again. */
static void test_risk_record__old_damaged_and_new_names(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_empty("record-damaged.db");
    struct vg_error e;
    vg_error_clear(&e);
    struct vg_buf out;
    vg_buf_init(&out, 1u << 20);
    static const char old[] = "{\"port\":\"PECLL\",\"_sources\":{\"m1:8\":[\"port\"]}}";
    assert_status(vg_risk_record_text(s, old, sizeof(old) - 1, &out, &e), VG_OK, &e);
    assert_string_equal(out.data, old);

    /* port (id 7) = "PECLL", gross_kg (id 9) = 18468.5, one group m12:6 + o3 -> both. */
    vg_tt_exec(s, "INSERT INTO feature_names(id, name) VALUES(7, 'port'), (9, 'gross_kg')");
    uint8_t rec[64];
    size_t n = 0;
    rec[n++] = RK_RECORD_PACKED;
    rec[n++] = 2;
    rec[n++] = 7;
    rec[n++] = 5; /* string */
    rec[n++] = 5;
    memcpy(rec + n, "PECLL", 5);
    n += 5;
    rec[n++] = 9;
    rec[n++] = 4; /* a double */
    double x = 18468.5;
    uint64_t bits;
    memcpy(&bits, &x, sizeof(bits));
    for (int i = 0; i < 8; i++) {
        rec[n++] = (uint8_t)(bits >> (8 * i));
    }
    rec[n++] = 1; /* one group */
    rec[n++] = RK_SRC_MESSAGE;
    rec[n++] = RK_SRC_OUTCOME;
    rec[n++] = 24; /* zigzag 12 */
    rec[n++] = 12; /* zigzag 6 */
    rec[n++] = 6;  /* zigzag 3 */
    rec[n++] = 2;
    rec[n++] = 7;
    rec[n++] = 9;
    vg_buf_reset(&out);
    assert_status(vg_risk_record_text(s, rec, n, &out, &e), VG_OK, &e);
    assert_string_equal(out.data, "{\"port\":\"PECLL\",\"gross_kg\":18468.5,"
                                  "\"_sources\":{\"m12:6 o3\":[\"port\",\"gross_kg\"]}}");

    /* Every cut of the record, and trailing bytes, are refused with out unchanged. */
    for (size_t cut = 0; cut <= n; cut++) {
        uint8_t longer[65];
        memcpy(longer, rec, n);
        longer[n] = 0;
        vg_buf_reset(&out);
        assert_int_equal(vg_buf_append(&out, "kept", 4), VG_OK);
        enum vg_status st = cut < n ? vg_risk_record_text(s, rec, cut, &out, &e)
                                    : vg_risk_record_text(s, longer, n + 1, &out, &e);
        assert_int_equal(st, VG_EPARSE);
        assert_string_equal(out.data, "kept");
    }

    /* A name the store does not have: refused; once added, read. */
    rec[2] = 11;
    vg_buf_reset(&out);
    assert_int_equal(vg_risk_record_text(s, rec, n, &out, &e), VG_EPARSE);
    assert_status(rk_record_sql_function(s, &e), VG_OK, &e);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT vg_feature_record(?1)", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_blob(st, 1, rec, (int)n, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ERROR);
    sqlite3_reset(st);
    vg_tt_exec(s, "INSERT INTO feature_names(id, name) VALUES(11, 'carrier')");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0),
                        "{\"carrier\":\"PECLL\",\"gross_kg\":18468.5,"
                        "\"_sources\":{\"m12:6 o3\":[\"port\",\"gross_kg\"]}}");
    sqlite3_finalize(st);
    vg_buf_reset(&out);
    assert_int_equal(vg_risk_record_text(NULL, rec, n, &out, &e), VG_EINVAL);
    vg_buf_release(&out);
    vg_store_close(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_risk_record__packed_reads_back_as_the_json),
    cmocka_unit_test(test_risk_record__scored_records_read_back),
    cmocka_unit_test(test_risk_record__old_damaged_and_new_names),
};

VG_TEST_MAIN(tests)
