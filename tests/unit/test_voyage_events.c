/* Vessel events from the store: positions written as tracks, detection with the store's
 * thresholds, events linked to the vessel and its voyage, port calls timed by AIS,
 * idempotent re-runs, thresholds saved per store, listing with filters. */
#include "store/store_int.h"
#include "vg_test.h"

#include <math.h>
#include <sqlite3.h>
#include <vigia/maritime.h>
#include <vigia/store.h>
#include <vigia/time.h>
#include <vigia/track.h>

#define SHIP 311000001u /* Bahamas, merchant (ship type 71) */
#define BOAT 760000123u /* Peru, class B, no static data */

static const int64_t T0 = 1717200000; /* 2024-06-01 00:00 UTC */

static struct vg_store *new_store(void)
{
    struct vg_store_options o = { .create = true, .actor = "tester" };
    struct vg_store *s = NULL;
    struct vg_error e;
    assert_int_equal(vg_store_open(vg_test_tmpfile("v.db"), &o, &s, &e), VG_OK);
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

static void exec(struct vg_store *s, const char *sql)
{
    char *msg = NULL;
    assert_int_equal(sqlite3_exec(s->db, sql, NULL, NULL, &msg), SQLITE_OK);
}

static void leg(struct vg_track_writer *w,
                uint32_t mmsi,
                int64_t t0,
                int64_t t1,
                int64_t step,
                double lat0,
                double lon0,
                double lat1,
                double lon1,
                char cls)
{
    double km = vg_geo_distance_km(lat0, lon0, lat1, lon1);
    double kn = t1 > t0 ? km / 1.852 / ((double)(t1 - t0) / 3600.0) : 0;
    struct vg_error e;
    for (int64_t x = t0; x <= t1; x += step) {
        double f = t1 > t0 ? (double)(x - t0) / (double)(t1 - t0) : 0;
        struct vg_position p = {
            mmsi, x, lat0 + f * (lat1 - lat0), lon0 + f * (lon1 - lon0), (float)kn, NAN, -1, 0, cls
        };
        assert_int_equal(vg_track_add(w, &p, &e), VG_OK);
    }
}

/* The ship berths at Callao for 20 h (its call announced by the carrier, no actual
 * times), sails north-west, and 07:00 UTC (02:00 local) the next day slows 15 nm off the
 * coast where a small boat comes alongside for half an hour. */
static void fill(struct vg_store *s, bool second_half)
{
    struct vg_error e;
    struct vg_track_writer *w;
    assert_int_equal(vg_store_begin(s, &e), VG_OK);
    assert_int_equal(vg_track_writer_new(s, &w, &e), VG_OK);
    if (!second_half) {
        leg(w, SHIP, T0, T0 + 3 * 3600, 120, -12.05, -77.55, -12.05, -77.15, 'A');
        leg(w, SHIP, T0 + 3 * 3600 + 300, T0 + 23 * 3600, 300, -12.05, -77.15, -12.05, -77.15, 'A');
        struct vg_track_static st = { .mmsi = SHIP,
                                      .t = T0,
                                      .imo = 9074729,
                                      .name = "MSC ANNA",
                                      .call_sign = "3FAB4",
                                      .ship_type = 71 };
        assert_int_equal(vg_track_add_static(w, &st, &e), VG_OK);
    } else {
        int64_t night = T0 + 31 * 3600;
        double lat = -10.6, lon = -78.2;
        leg(w, SHIP, T0 + 23 * 3600 + 120, night - 3600, 120, -12.05, -77.15, lat + 0.2, lon - 0.1,
            'A');
        leg(w, SHIP, night - 3600 + 60, night, 60, lat + 0.2, lon - 0.1, lat, lon, 'A');
        leg(w, SHIP, night + 60, night + 40 * 60, 60, lat, lon, lat - 0.004, lon, 'A');
        leg(w, SHIP, night + 40 * 60 + 60, night + 3 * 3600, 60, lat - 0.004, lon, lat - 0.5,
            lon - 0.2, 'A');
        leg(w, BOAT, night - 3600, night, 60, lat + 0.1, lon + 0.3, lat, lon + 0.002, 'B');
        leg(w, BOAT, night + 60, night + 30 * 60, 60, lat, lon + 0.002, lat - 0.003, lon + 0.002,
            'B');
        leg(w, BOAT, night + 30 * 60 + 60, night + 2 * 3600, 60, lat - 0.003, lon + 0.002,
            lat + 0.1, lon + 0.3, 'B');
    }
    assert_int_equal(vg_track_flush(w, NULL, &e), VG_OK);
    vg_track_writer_free(w);
    assert_int_equal(vg_store_commit(s, &e), VG_OK);
}

static void vessel_and_call(struct vg_store *s)
{
    char sql[512];
    snprintf(sql, sizeof(sql),
             "INSERT INTO vessels(id, imo, imo_valid, name, created_at)"
             " VALUES(7, 9074729, 1, 'MSC ANNA', 0);"
             "INSERT INTO port_calls(id, vessel_id, port, voyage, eta, etd, created_at)"
             " VALUES(3, 7, 'PECLL', '024W', %lld, %lld, 0);",
             (long long)(T0 + 2 * 3600), (long long)(T0 + 22 * 3600));
    exec(s, sql);
}

static void test_voyage_events__detect_link_and_time_calls(void **state)
{
    (void)state;
    struct vg_store *s = new_store();
    fill(s, false);
    vessel_and_call(s); /* the manifest arrives after the ship was heard */
    fill(s, true);
    struct vg_maritime_report r;
    struct vg_error e;
    assert_int_equal(vg_maritime_run(s, T0 - 86400, T0 + 3 * 86400, &r, &e), VG_OK);
    assert_true(r.vessels == 2);
    assert_int_equal(q(s, "SELECT count(*) FROM vessel_events WHERE kind = 'port_visit'"
                          " AND port = 'PECLL' AND vessel_id = 7 AND port_call_id = 3"),
                     1);
    assert_int_equal(q(s, "SELECT count(*) FROM vessel_events WHERE kind = 'encounter'"
                          " AND params = 'short_meeting' AND mmsi = 311000001"
                          " AND other_mmsi = 760000123"),
                     1);
    /* The meeting happened on the voyage that left Callao. */
    assert_int_equal(q(s, "SELECT port_call_id FROM vessel_events WHERE kind = 'encounter'"), 3);
    /* AIS completed the call's actual arrival and departure. */
    int64_t ata = q(s, "SELECT ata FROM port_calls WHERE id = 3");
    int64_t atd = q(s, "SELECT atd FROM port_calls WHERE id = 3");
    assert_true(ata > T0 && ata < T0 + 4 * 3600);
    assert_true(atd > T0 + 20 * 3600 && atd < T0 + 25 * 3600);
    assert_int_equal(r.calls_timed, 1);
    assert_true(r.new_events >= 2);
    /* The vessel of the cargo messages now carries the MMSI it was heard with. */
    assert_int_equal(r.linked, 1);
    assert_int_equal(q(s, "SELECT mmsi FROM vessels WHERE id = 7"), SHIP);
    assert_int_equal(q(s, "SELECT count(*) FROM audit_log WHERE action = 'maritime.detect'"), 1);

    /* The same window again: nothing new, nothing written. */
    int64_t before = q(s, "SELECT count(*) FROM vessel_events");
    assert_int_equal(vg_maritime_run(s, T0 - 86400, T0 + 3 * 86400, &r, &e), VG_OK);
    assert_int_equal(r.new_events, 0);
    assert_int_equal(r.calls_timed, 0);
    assert_int_equal(r.linked, 0);
    assert_int_equal(q(s, "SELECT count(*) FROM vessel_events"), before);
    assert_int_equal(q(s, "SELECT count(*) FROM audit_log WHERE action = 'maritime.detect'"), 1);
    vg_store_close(s);
}

/* A visit still open at the end of the first recording is brought up to date, not
 * duplicated, when the next recording shows the departure. */
static void test_voyage_events__open_visit_is_completed_later(void **state)
{
    (void)state;
    struct vg_store *s = new_store();
    vessel_and_call(s);
    fill(s, false);
    struct vg_maritime_report r;
    struct vg_error e;
    assert_int_equal(vg_maritime_run(s, T0 - 86400, T0 + 86400, &r, &e), VG_OK);
    assert_int_equal(q(s, "SELECT count(*) FROM vessel_events WHERE kind = 'port_visit'"), 1);
    assert_int_equal(q(s, "SELECT params = 'open' FROM vessel_events WHERE kind = 'port_visit'"),
                     1);
    int64_t end1 = q(s, "SELECT end_at FROM vessel_events WHERE kind = 'port_visit'");
    assert_true(q(s, "SELECT atd IS NULL FROM port_calls WHERE id = 3") == 1);
    fill(s, true);
    assert_int_equal(vg_maritime_run(s, T0 - 86400, T0 + 3 * 86400, &r, &e), VG_OK);
    assert_int_equal(q(s, "SELECT count(*) FROM vessel_events WHERE kind = 'port_visit'"), 1);
    assert_true(q(s, "SELECT end_at FROM vessel_events WHERE kind = 'port_visit'") >= end1);
    assert_true(q(s, "SELECT atd IS NOT NULL FROM port_calls WHERE id = 3") == 1);
    vg_store_close(s);
}

/* A vessel that broadcasts no IMO is linked by name, but only when one vessel bears it. */
static void test_voyage_events__link_by_unique_name(void **state)
{
    (void)state;
    struct vg_store *s = new_store();
    exec(
        s,
        "INSERT INTO vessels(id, name, created_at) VALUES(4, 'RIO BLANCO', 0), (5, 'SANTA ROSA', 0),"
        " (6, 'SANTA ROSA', 0)");
    struct vg_error e;
    struct vg_track_writer *w;
    assert_int_equal(vg_store_begin(s, &e), VG_OK);
    assert_int_equal(vg_track_writer_new(s, &w, &e), VG_OK);
    struct vg_track_static a = { .mmsi = 760000301u, .t = T0, .name = "RIO BLANCO" };
    struct vg_track_static b = { .mmsi = 760000302u, .t = T0, .name = "SANTA ROSA" };
    assert_int_equal(vg_track_add_static(w, &a, &e), VG_OK);
    assert_int_equal(vg_track_add_static(w, &b, &e), VG_OK);
    leg(w, 760000301u, T0, T0 + 3600, 60, -12.5, -77.5, -12.6, -77.6, 'A');
    assert_int_equal(vg_track_flush(w, NULL, &e), VG_OK);
    vg_track_writer_free(w);
    assert_int_equal(vg_store_commit(s, &e), VG_OK);
    struct vg_maritime_report r;
    assert_int_equal(vg_maritime_run(s, T0 - 86400, T0 + 86400, &r, &e), VG_OK);
    assert_int_equal(r.linked, 1);
    assert_int_equal(q(s, "SELECT mmsi FROM vessels WHERE id = 4"), 760000301);
    assert_int_equal(q(s, "SELECT count(*) FROM vessels WHERE mmsi = 760000302"), 0);
    vg_store_close(s);
}

/* After a threshold change, detecting again removes what no longer qualifies and keeps
 * the rest with the same ids. */
static void test_voyage_events__redetection_replaces_the_window(void **state)
{
    (void)state;
    struct vg_store *s = new_store();
    vessel_and_call(s);
    fill(s, false);
    fill(s, true);
    struct vg_maritime_report r;
    struct vg_error e;
    assert_int_equal(vg_maritime_run(s, T0 - 86400, T0 + 3 * 86400, &r, &e), VG_OK);
    assert_int_equal(q(s, "SELECT count(*) FROM vessel_events WHERE kind = 'encounter'"), 1);
    int64_t visit = q(s, "SELECT id FROM vessel_events WHERE kind = 'port_visit'");
    struct vg_maritime_params p;
    assert_int_equal(vg_maritime_params_load(s, &p, &e), VG_OK);
    p.short_meetings = false;
    assert_int_equal(vg_maritime_params_save(s, &p, &e), VG_OK);
    assert_int_equal(vg_maritime_run(s, T0 - 86400, T0 + 3 * 86400, &r, &e), VG_OK);
    assert_int_equal(r.removed, 1);
    assert_int_equal(r.new_events, 0);
    assert_int_equal(q(s, "SELECT count(*) FROM vessel_events WHERE kind = 'encounter'"), 0);
    assert_int_equal(q(s, "SELECT id FROM vessel_events WHERE kind = 'port_visit'"), visit);
    /* Events outside the window are left alone. */
    p.short_meetings = true;
    assert_int_equal(vg_maritime_params_save(s, &p, &e), VG_OK);
    assert_int_equal(vg_maritime_run(s, T0 - 86400, T0 + 3 * 86400, &r, &e), VG_OK);
    p.short_meetings = false;
    assert_int_equal(vg_maritime_params_save(s, &p, &e), VG_OK);
    assert_int_equal(vg_maritime_run(s, T0 + 2 * 86400, T0 + 3 * 86400, &r, &e), VG_OK);
    assert_int_equal(r.removed, 0);
    assert_int_equal(q(s, "SELECT count(*) FROM vessel_events WHERE kind = 'encounter'"), 1);
    vg_store_close(s);
}

static void test_voyage_events__thresholds_saved_per_store(void **state)
{
    (void)state;
    struct vg_store *s = new_store();
    struct vg_maritime_params p;
    struct vg_error e;
    assert_int_equal(vg_maritime_params_load(s, &p, &e), VG_OK);
    assert_true(p.short_meetings);
    assert_int_equal(vg_maritime_param_set(&p, "short_meetings", "false", &e), VG_OK);
    assert_int_equal(vg_maritime_param_set(&p, "gap_hours", "6", &e), VG_OK);
    assert_int_equal(vg_maritime_params_save(s, &p, &e), VG_OK);
    struct vg_maritime_params back;
    assert_int_equal(vg_maritime_params_load(s, &back, &e), VG_OK);
    assert_false(back.short_meetings);
    assert_true(fabs(back.gap_hours - 6) < 1e-9);
    assert_true(q(s, "SELECT count(*) FROM audit_log WHERE action = 'maritime.params'") >= 1);

    /* With short meetings off, the drop-off is not reported. */
    vessel_and_call(s);
    fill(s, false);
    fill(s, true);
    struct vg_maritime_report r;
    assert_int_equal(vg_maritime_run(s, T0 - 86400, T0 + 3 * 86400, &r, &e), VG_OK);
    assert_int_equal(q(s, "SELECT count(*) FROM vessel_events WHERE kind = 'encounter'"), 0);
    vg_store_close(s);
}

struct rows {
    int n;
    char kind[8][16];
};

static void on_columns(void *user, size_t n, const char *const *names)
{
    (void)user;
    assert_true(n >= 17);
    assert_string_equal(names[0], "kind");
}

static int on_row(void *user, size_t n, const char *const *v)
{
    struct rows *r = user;
    (void)n;
    if (r->n < 8) {
        snprintf(r->kind[r->n], sizeof(r->kind[0]), "%s", v[0]);
    }
    r->n++;
    return 0;
}

static void test_voyage_events__list_with_filters(void **state)
{
    (void)state;
    struct vg_store *s = new_store();
    vessel_and_call(s);
    fill(s, false);
    fill(s, true);
    struct vg_maritime_report r;
    struct vg_error e;
    assert_int_equal(vg_maritime_run(s, T0 - 86400, T0 + 3 * 86400, &r, &e), VG_OK);
    struct rows all = { 0 };
    struct vg_row_sink sink = { .columns = on_columns, .row = on_row, .user = &all };
    assert_int_equal(vg_vessel_events_list(s, VG_TIME_NONE, VG_TIME_NONE, NULL, NULL, &sink, &e),
                     VG_OK);
    assert_true(all.n >= 2);
    assert_string_equal(all.kind[0], "port_visit"); /* oldest first */
    struct rows enc = { 0 };
    sink.user = &enc;
    assert_int_equal(
        vg_vessel_events_list(s, VG_TIME_NONE, VG_TIME_NONE, "PECLL", "encounter", &sink, &e),
        VG_OK);
    assert_int_equal(enc.n, 1); /* on the voyage from Callao */
    struct rows later = { 0 };
    sink.user = &later;
    assert_int_equal(vg_vessel_events_list(s, T0 + 30 * 3600, VG_TIME_NONE, NULL, NULL, &sink, &e),
                     VG_OK);
    for (int i = 0; i < later.n && i < 8; i++) {
        assert_string_not_equal(later.kind[i], "port_visit");
    }
    vg_store_close(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_voyage_events__detect_link_and_time_calls),
    cmocka_unit_test(test_voyage_events__open_visit_is_completed_later),
    cmocka_unit_test(test_voyage_events__link_by_unique_name),
    cmocka_unit_test(test_voyage_events__redetection_replaces_the_window),
    cmocka_unit_test(test_voyage_events__thresholds_saved_per_store),
    cmocka_unit_test(test_voyage_events__list_with_filters),
};

VG_TEST_MAIN(tests)
