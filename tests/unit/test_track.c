/* AIS tracks in the store: packed blocks, duplicates dropped, window and proximity
 * queries through the grid, static data history, retention. */
#include "vg_test.h"

#include <math.h>
#include <sqlite3.h>

#include <vigia/alloc.h>
#include <vigia/store.h>
#include <vigia/track.h>

#include "store/store_int.h"

static struct vg_store *new_store(void)
{
    struct vg_store_options o = { .create = true, .actor = "tester" };
    struct vg_store *s = NULL;
    struct vg_error e;
    assert_int_equal(vg_store_open(vg_test_tmpfile("t.db"), &o, &s, &e), VG_OK);
    return s;
}

static int64_t q(struct vg_store *s, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

struct got {
    struct vg_position p[5000];
    size_t n;
};

static int take(void *user, const struct vg_position *p)
{
    struct got *g = user;
    if (g->n < 5000) {
        g->p[g->n++] = *p;
    }
    return 0;
}

static const int64_t T0 = 1717200000;

static void fill(struct vg_store *s)
{
    struct vg_track_writer *w;
    struct vg_error e;
    assert_int_equal(vg_store_begin(s, &e), VG_OK);
    assert_int_equal(vg_track_writer_new(s, &w, &e), VG_OK);
    /* Vessel A steams west from Callao for 2000 reports (out of order in pairs), each
     * report heard twice; vessel B sits at anchor near Chancay. */
    for (int i = 0; i < 2000; i++) {
        int k = i % 2 == 0 ? i + 1 : i - 1;
        struct vg_position p = { 760000001u, T0 + k * 30, -12.05, -77.20 - k * 0.001, 12.3f,
                                 270.0f, 271, 0, 'A' };
        assert_int_equal(vg_track_add(w, &p, &e), VG_OK);
        assert_int_equal(vg_track_add(w, &p, &e), VG_OK);
    }
    for (int i = 0; i < 100; i++) {
        struct vg_position p = { 351000002u, T0 + i * 60, -11.60, -77.30, NAN, NAN, -1, 1, 'A' };
        assert_int_equal(vg_track_add(w, &p, &e), VG_OK);
    }
    struct vg_position bad = { 351000002u, T0, 91.0, 181.0, NAN, NAN, -1, 1, 'A' };
    assert_int_equal(vg_track_add(w, &bad, &e), VG_OK); /* not available: dropped */
    struct vg_track_static st = { .mmsi = 760000001u, .t = T0, .imo = 9074729, .name = "MSC ANNA",
                                .call_sign = "3FAB4", .ship_type = 71, .dim_bow = 200,
                                .dim_stern = 50, .dim_port = 20, .dim_starboard = 20,
                                .draught = 11.5, .destination = "BEANR" };
    for (int i = 0; i < 10; i++) {
        st.t = T0 + i * 360;
        assert_int_equal(vg_track_add_static(w, &st, &e), VG_OK);
    }
    snprintf(st.destination, sizeof(st.destination), "PABLB");
    st.t = T0 + 4000;
    assert_int_equal(vg_track_add_static(w, &st, &e), VG_OK);
    int64_t n = 0;
    assert_int_equal(vg_track_flush(w, &n, &e), VG_OK);
    assert_int_equal(n, 2100);
    vg_track_writer_free(w);
    assert_int_equal(vg_store_commit(s, &e), VG_OK);
}

static void test_track__blocks_store_and_return_a_vessel_window(void **state)
{
    (void)state;
    struct vg_store *s = new_store();
    fill(s);
    assert_int_equal(q(s, "SELECT count(*) FROM ais_tracks WHERE mmsi = 760000001"), 4);
    assert_true(q(s, "SELECT sum(length(data)) FROM ais_tracks") < 2100 * 14);
    static struct got g;
    g.n = 0;
    struct vg_error e;
    assert_int_equal(vg_track_query_vessel(s, 760000001u, T0 + 300, T0 + 600, take, &g, &e), VG_OK);
    assert_int_equal(g.n, 11);
    for (size_t i = 1; i < g.n; i++) {
        assert_true(g.p[i].t > g.p[i - 1].t);
    }
    assert_int_equal(g.p[0].t, T0 + 300);
    assert_true(fabs(g.p[0].lon - (-77.21)) < 1e-5);
    assert_true(fabs(g.p[0].sog - 12.3f) < 0.01);
    assert_true(fabs(g.p[0].cog - 270.0f) < 0.01);
    assert_int_equal(g.p[0].heading, 271);
    /* Anchored vessel: speeds not available come back as NAN. */
    g.n = 0;
    assert_int_equal(vg_track_query_vessel(s, 351000002u, T0, T0 + 86400, take, &g, &e), VG_OK);
    assert_int_equal(g.n, 100);
    assert_true(isnan(g.p[0].sog));
    assert_int_equal(g.p[0].heading, -1);
    vg_store_close(s);
}

static void test_track__near_point_through_the_grid(void **state)
{
    (void)state;
    struct vg_store *s = new_store();
    fill(s);
    static struct got g;
    g.n = 0;
    struct vg_error e;
    /* Near Chancay at T0+30 min: only the anchored vessel. */
    assert_int_equal(vg_track_query_near(s, -11.60, -77.30, 2.0, T0 + 1800, 600, take, &g, &e), VG_OK);
    assert_true(g.n > 0);
    for (size_t i = 0; i < g.n; i++) {
        assert_int_equal(g.p[i].mmsi, 351000002u);
    }
    /* Off Callao where vessel A was at T0 + 10 min. */
    g.n = 0;
    assert_int_equal(vg_track_query_near(s, -12.05, -77.22, 1.0, T0 + 600, 120, take, &g, &e), VG_OK);
    assert_true(g.n >= 3);
    assert_int_equal(g.p[0].mmsi, 760000001u);
    vg_store_close(s);
}

static void test_track__static_history_and_scan(void **state)
{
    (void)state;
    struct vg_store *s = new_store();
    fill(s);
    /* Ten identical reports are one row; a new destination is a second. */
    assert_int_equal(q(s, "SELECT count(*) FROM ais_static WHERE mmsi = 760000001"), 2);
    assert_int_equal(q(s, "SELECT reports FROM ais_static WHERE destination = 'BEANR'"), 10);
    assert_int_equal(q(s, "SELECT last_seen_at - first_seen_at FROM ais_static WHERE destination = 'BEANR'"), 3240);
    static struct got g;
    g.n = 0;
    struct vg_error e;
    assert_int_equal(vg_track_scan(s, T0, T0 + 86400, take, &g, &e), VG_OK);
    assert_int_equal(g.n, 2100);
    assert_int_equal(g.p[0].mmsi, 351000002u); /* ordered by MMSI */
    vg_store_close(s);
}

static void test_track__retention_removes_old_blocks(void **state)
{
    (void)state;
    struct vg_store *s = new_store();
    fill(s);
    int64_t removed = 0;
    struct vg_error e;
    assert_int_equal(vg_track_retain(s, T0 + 7000, &removed, &e), VG_OK);
    assert_true(removed >= 1);
    assert_int_equal(q(s, "SELECT count(*) FROM ais_tracks WHERE block_end < 1717207000"), 0);
    assert_int_equal(q(s, "SELECT count(*) FROM audit_log WHERE action = 'ais.retention'"), 1);
    vg_store_close(s);
}

/* The setting counts days back from the newest position; 0 keeps everything. */
static void test_track__retention_setting(void **state)
{
    (void)state;
    struct vg_store *s = new_store();
    fill(s); /* positions over the first 17 hours after T0 */
    struct vg_error e;
    int days = -1;
    int64_t removed = -1;
    assert_int_equal(vg_track_retention_get(s, &days, &e), VG_OK);
    assert_int_equal(days, 0);
    assert_int_equal(vg_track_retention_apply(s, &removed, &e), VG_OK);
    assert_int_equal(removed, 0);
    assert_int_equal(vg_track_retention_set(s, -1, &e), VG_EINVAL);
    assert_int_equal(vg_track_retention_set(s, 2, &e), VG_OK);
    assert_int_equal(vg_track_retention_get(s, &days, &e), VG_OK);
    assert_int_equal(days, 2);
    int64_t blocks = q(s, "SELECT count(*) FROM ais_tracks");
    assert_int_equal(vg_track_retention_apply(s, &removed, &e), VG_OK);
    assert_int_equal(removed, 0); /* everything is within two days of the newest */

    /* Three days later the first vessel is heard again: its old blocks go. */
    struct vg_track_writer *w;
    assert_int_equal(vg_store_begin(s, &e), VG_OK);
    assert_int_equal(vg_track_writer_new(s, &w, &e), VG_OK);
    struct vg_position p = { 760000001u, T0 + 4 * 86400, -12.0, -77.5, 1.0f, NAN, -1, 0, 'A' };
    assert_int_equal(vg_track_add(w, &p, &e), VG_OK);
    assert_int_equal(vg_track_flush(w, NULL, &e), VG_OK);
    vg_track_writer_free(w);
    assert_int_equal(vg_store_commit(s, &e), VG_OK);
    assert_int_equal(vg_track_retention_apply(s, &removed, &e), VG_OK);
    assert_int_equal(removed, blocks);
    assert_int_equal(q(s, "SELECT count(*) FROM ais_tracks"), 1);
    assert_int_equal(q(s, "SELECT count(*) FROM audit_log WHERE action = 'ais.retention.set'"), 1);
    vg_store_close(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_track__blocks_store_and_return_a_vessel_window),
    cmocka_unit_test(test_track__near_point_through_the_grid),
    cmocka_unit_test(test_track__static_history_and_scan),
    cmocka_unit_test(test_track__retention_removes_old_blocks),
    cmocka_unit_test(test_track__retention_setting),
};

VG_TEST_MAIN(tests)
