/* Maritime events on synthetic tracks off Peru: port visits, offshore and near-shore
 * gaps, short night meetings with small craft, loitering, and the suppressions (ports,
 * anchorages, the Amazon). */
#include "vg_test.h"

#include <math.h>
#include <stdlib.h>

#include <vigia/alloc.h>
#include <vigia/maritime.h>
#include <vigia/time.h>

#define SHIP 311000001u  /* Bahamas, merchant */
#define SHIP2 311000002u
#define BOAT 760000123u  /* Peru, small craft */
#define FISH 760000456u
#define PILOT 760000777u /* ship type 50 */
#define GUARD 760000888u /* ship type 55, law enforcement */

static const struct vg_maritime_port ports[] = {
    { "PECLL", -12.0500, -77.1450, false },
    { "PECHY", -11.5850, -77.2750, false },
    { "PEIQT", -3.7300, -73.2400, true },
};

struct track {
    struct vg_position *p;
    size_t n, cap;
};

static void add(struct track *t, uint32_t mmsi, int64_t when, double lat, double lon, double sog,
                char cls)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->p = vg_reallocarray(t->p, t->cap, sizeof(*t->p));
        assert_non_null(t->p);
    }
    t->p[t->n++] = (struct vg_position){ mmsi, when, lat, lon, (float)sog, NAN, -1, 0, cls };
}

/* A straight leg from (lat0,lon0) to (lat1,lon1) over [t0, t1], a report every step s. */
static void leg(struct track *t, uint32_t mmsi, int64_t t0, int64_t t1, int64_t step, double lat0,
                double lon0, double lat1, double lon1, char cls)
{
    double km = vg_geo_distance_km(lat0, lon0, lat1, lon1);
    double kn = t1 > t0 ? km / 1.852 / ((double)(t1 - t0) / 3600.0) : 0;
    for (int64_t x = t0; x <= t1; x += step) {
        double f = t1 > t0 ? (double)(x - t0) / (double)(t1 - t0) : 0;
        add(t, mmsi, x, lat0 + f * (lat1 - lat0), lon0 + f * (lon1 - lon0), kn, cls);
    }
}

static int pos_cmp(const void *a, const void *b)
{
    const struct vg_position *x = a, *y = b;
    if (x->mmsi != y->mmsi) {
        return x->mmsi < y->mmsi ? -1 : 1;
    }
    return (x->t > y->t) - (x->t < y->t);
}

struct events {
    struct vg_vessel_event e[64];
    int n;
};

static void collect(void *user, const struct vg_vessel_event *e)
{
    struct events *ev = user;
    if (ev->n < 64) {
        ev->e[ev->n++] = *e;
    }
}

static enum vg_vessel_class classify(void *user, uint32_t mmsi)
{
    (void)user;
    if (mmsi == SHIP || mmsi == SHIP2) {
        return VG_VESSEL_MERCHANT;
    }
    if (mmsi == FISH) {
        return VG_VESSEL_FISHING;
    }
    if (mmsi == PILOT) {
        return vg_vessel_class_of_ship_type(50);
    }
    if (mmsi == GUARD) {
        return vg_vessel_class_of_ship_type(55);
    }
    return VG_VESSEL_UNKNOWN;
}

static struct events run(struct track *t)
{
    qsort(t->p, t->n, sizeof(*t->p), pos_cmp);
    struct vg_maritime_params p;
    vg_maritime_params_default(&p);
    struct events ev = { .n = 0 };
    struct vg_error e;
    assert_int_equal(vg_maritime_detect(t->p, t->n, &p, ports, 3, classify, NULL, collect, &ev, &e),
                     VG_OK);
    vg_free(t->p);
    t->p = NULL;
    t->n = t->cap = 0;
    return ev;
}

static int count(const struct events *ev, enum vg_vessel_event_kind k, const char *variant)
{
    int c = 0;
    for (int i = 0; i < ev->n; i++) {
        c += ev->e[i].kind == k && (variant == NULL || strcmp(ev->e[i].variant, variant) == 0);
    }
    return c;
}

static const struct vg_vessel_event *find(const struct events *ev, enum vg_vessel_event_kind k)
{
    for (int i = 0; i < ev->n; i++) {
        if (ev->e[i].kind == k) {
            return &ev->e[i];
        }
    }
    return NULL;
}

static const int64_t T0 = 1717200000; /* 2024-06-01 00:00 UTC */

static void test_maritime__port_visit_at_callao(void **state)
{
    (void)state;
    struct track t = { 0 };
    /* Approach from 40 km west, berth for 20 h, leave north-west. */
    leg(&t, SHIP, T0, T0 + 3 * 3600, 120, -12.05, -77.55, -12.05, -77.15, 'A');
    for (int64_t x = T0 + 3 * 3600 + 120; x < T0 + 23 * 3600; x += 300) {
        add(&t, SHIP, x, -12.05, -77.15, 0.0, 'A');
    }
    leg(&t, SHIP, T0 + 23 * 3600, T0 + 26 * 3600, 120, -12.05, -77.15, -11.7, -77.5, 'A');
    struct events ev = run(&t);
    assert_int_equal(count(&ev, VG_EVENT_PORT_VISIT, NULL), 1);
    const struct vg_vessel_event *e = find(&ev, VG_EVENT_PORT_VISIT);
    assert_string_equal(e->port, "PECLL");
    assert_true(e->end - e->start > 18 * 3600);
    assert_int_equal(count(&ev, VG_EVENT_LOITERING, NULL), 0); /* waiting in port is not loitering */
    assert_int_equal(count(&ev, VG_EVENT_GAP, NULL), 0);
}

static void test_maritime__offshore_gap_gfw(void **state)
{
    (void)state;
    struct track t = { 0 };
    /* 250 nm off Peru, reporting every 10 min for a day, silent 15 h, back 120 km on. */
    leg(&t, SHIP, T0, T0 + 24 * 3600, 600, -12.0, -82.0, -12.0, -81.0, 'A');
    leg(&t, SHIP, T0 + 39 * 3600, T0 + 48 * 3600, 600, -12.0, -79.9, -12.0, -79.5, 'A');
    struct events ev = run(&t);
    assert_int_equal(count(&ev, VG_EVENT_GAP, "gfw"), 1);
    const struct vg_vessel_event *e = find(&ev, VG_EVENT_GAP);
    assert_true(e->distance_shore_nm > 50);
    assert_true(e->confidence >= 0.8);
    assert_non_null(strstr(e->explanation, "silent for 15.0 h"));
}

static void test_maritime__nearshore_gap_class_a_only(void **state)
{
    (void)state;
    struct track t = { 0 };
    /* 15 nm off Chimbote: a class A ship silent 3 h is reported; a class B boat is not. */
    leg(&t, SHIP, T0, T0 + 4 * 3600, 60, -9.2, -79.0, -9.6, -78.8, 'A');
    leg(&t, SHIP, T0 + 7 * 3600, T0 + 8 * 3600, 60, -9.8, -78.7, -9.9, -78.6, 'A');
    leg(&t, BOAT, T0, T0 + 4 * 3600, 60, -9.2, -79.0, -9.6, -78.8, 'B');
    leg(&t, BOAT, T0 + 7 * 3600, T0 + 8 * 3600, 60, -9.8, -78.7, -9.9, -78.6, 'B');
    struct events ev = run(&t);
    assert_int_equal(count(&ev, VG_EVENT_GAP, "nearshore"), 1);
    const struct vg_vessel_event *e = find(&ev, VG_EVENT_GAP);
    assert_int_equal(e->mmsi, SHIP);
    assert_true(e->distance_shore_nm < 30);
}

/* A departing ship slows 15 nm off the coast at night; a boat comes alongside. */
static void meeting(struct track *t, uint32_t boat, double lat, double lon, int64_t night_start)
{
    leg(t, SHIP, night_start - 3600, night_start, 60, lat + 0.2, lon - 0.1, lat, lon, 'A');
    leg(t, SHIP, night_start, night_start + 40 * 60, 60, lat, lon, lat - 0.004, lon, 'A');
    leg(t, SHIP, night_start + 40 * 60, night_start + 3 * 3600, 60, lat - 0.004, lon, lat - 0.5, lon - 0.2, 'A');
    leg(t, boat, night_start - 3600, night_start, 60, lat + 0.1, lon + 0.3, lat, lon + 0.002, 'B');
    leg(t, boat, night_start, night_start + 30 * 60, 60, lat, lon + 0.002, lat - 0.003, lon + 0.002, 'B');
    leg(t, boat, night_start + 30 * 60, night_start + 2 * 3600, 60, lat - 0.003, lon + 0.002, lat + 0.1, lon + 0.3, 'B');
}

static void drop_off(struct track *t, double lat, double lon, int64_t night_start)
{
    meeting(t, BOAT, lat, lon, night_start);
}

static void test_maritime__short_meeting_with_small_craft_at_night(void **state)
{
    (void)state;
    struct track t = { 0 };
    /* 07:00 UTC is 02:00 at this longitude. */
    drop_off(&t, -10.6, -78.2, T0 + 7 * 3600);
    struct events ev = run(&t);
    assert_int_equal(count(&ev, VG_EVENT_ENCOUNTER, "short_meeting"), 1);
    const struct vg_vessel_event *e = find(&ev, VG_EVENT_ENCOUNTER);
    assert_int_equal(e->mmsi, SHIP);
    assert_int_equal(e->other_mmsi, BOAT);
    assert_true(e->end - e->start >= 20 * 60);
    assert_true(e->confidence >= 0.8);
    assert_non_null(strstr(e->explanation, "at night"));
    assert_non_null(strstr(e->explanation, "small craft"));
}

/* Pilot boats and tugs meet ships in the approaches to a port; the coast guard anywhere. */
static void test_maritime__pilots_near_port_and_authorities_are_not_meetings(void **state)
{
    (void)state;
    struct track t = { 0 };
    meeting(&t, PILOT, -12.0, -77.33, T0 + 7 * 3600); /* 20 km off Callao */
    struct events ev = run(&t);
    assert_int_equal(count(&ev, VG_EVENT_ENCOUNTER, NULL), 0);

    meeting(&t, PILOT, -10.6, -78.2, T0 + 7 * 3600); /* 15 nm off the coast, no port near */
    ev = run(&t);
    assert_int_equal(count(&ev, VG_EVENT_ENCOUNTER, "short_meeting"), 1);
    assert_non_null(strstr(find(&ev, VG_EVENT_ENCOUNTER)->explanation, "far from port"));

    meeting(&t, GUARD, -10.6, -78.2, T0 + 7 * 3600);
    ev = run(&t);
    assert_int_equal(count(&ev, VG_EVENT_ENCOUNTER, NULL), 0);
    assert_int_equal(vg_vessel_class_of_ship_type(71), VG_VESSEL_MERCHANT);
    assert_int_equal(vg_vessel_class_of_ship_type(30), VG_VESSEL_FISHING);
    assert_int_equal(vg_vessel_class_of_ship_type(0), VG_VESSEL_UNKNOWN);
}

/* Callao's anchorage lies some 11 km north-west of the port centre: ships wait there side
 * by side for a day (not an encounter); a boat alongside one at night is reported as an
 * anchorage meeting, with less confidence than one at sea. */
static void test_maritime__anchorage_waits_and_meetings(void **state)
{
    (void)state;
    struct track t = { 0 };
    for (int64_t x = T0; x <= T0 + 26 * 3600; x += 300) {
        add(&t, SHIP, x, -11.9856, -77.2247, 0.1, 'A');
        add(&t, SHIP2, x, -11.9860, -77.2215, 0.1, 'A');
    }
    struct events ev = run(&t);
    assert_int_equal(count(&ev, VG_EVENT_ENCOUNTER, NULL), 0);

    meeting(&t, BOAT, -11.985, -77.225, T0 + 7 * 3600);
    ev = run(&t);
    assert_int_equal(count(&ev, VG_EVENT_ENCOUNTER, "anchorage_meeting"), 1);
    const struct vg_vessel_event *e = find(&ev, VG_EVENT_ENCOUNTER);
    assert_true(e->confidence < 0.8);
    assert_non_null(strstr(e->explanation, "anchorage"));
}

static void test_maritime__no_meeting_inside_port_or_on_the_amazon(void **state)
{
    (void)state;
    struct track t = { 0 };
    drop_off(&t, -12.04, -77.16, T0 + 7 * 3600); /* at Callao: tug and pilot work */
    struct events ev = run(&t);
    assert_int_equal(count(&ev, VG_EVENT_ENCOUNTER, NULL), 0);
    drop_off(&t, -3.9, -73.0, T0 + 7 * 3600);     /* on the Amazon near Iquitos */
    ev = run(&t);
    assert_int_equal(count(&ev, VG_EVENT_ENCOUNTER, NULL), 0);
    assert_int_equal(count(&ev, VG_EVENT_LOITERING, NULL), 0);
}

static void test_maritime__merchant_meetings_are_not_short_meetings(void **state)
{
    (void)state;
    struct track t = { 0 };
    /* Two merchant ships close for 30 min: not the drop-off pattern, and too short for a
     * GFW encounter. */
    leg(&t, SHIP, T0, T0 + 1800, 60, -10.6, -78.2, -10.603, -78.2, 'A');
    leg(&t, SHIP2, T0, T0 + 1800, 60, -10.6, -78.198, -10.603, -78.198, 'A');
    struct events ev = run(&t);
    assert_int_equal(count(&ev, VG_EVENT_ENCOUNTER, NULL), 0);
    /* The same for three hours at rest offshore is a GFW encounter. */
    leg(&t, SHIP, T0, T0 + 3 * 3600, 120, -12.0, -80.0, -12.001, -80.0, 'A');
    leg(&t, SHIP2, T0, T0 + 3 * 3600, 120, -12.0, -80.002, -12.001, -80.002, 'A');
    ev = run(&t);
    assert_int_equal(count(&ev, VG_EVENT_ENCOUNTER, "gfw"), 1);
}

static void test_maritime__loitering_variants(void **state)
{
    (void)state;
    struct track t = { 0 };
    /* A ship drifting 20 nm off the coast for 2 h at night: near-shore loitering. */
    leg(&t, SHIP, T0 + 6 * 3600, T0 + 8 * 3600, 120, -10.5, -78.6, -10.51, -78.6, 'A');
    /* A fishing boat slow for 6 h 40 nm out: its trade, not loitering. */
    leg(&t, FISH, T0, T0 + 6 * 3600, 120, -11.0, -79.0, -11.02, -79.0, 'A');
    /* A ship slow 6 h 100 nm out by day: GFW loitering. */
    leg(&t, SHIP2, T0 + 14 * 3600, T0 + 20 * 3600, 120, -12.0, -79.5, -12.02, -79.5, 'A');
    struct events ev = run(&t);
    assert_int_equal(count(&ev, VG_EVENT_LOITERING, "nearshore_night"), 1);
    assert_int_equal(count(&ev, VG_EVENT_LOITERING, "gfw"), 1);
    for (int i = 0; i < ev.n; i++) {
        assert_int_not_equal(ev.e[i].mmsi, FISH);
    }
}

static void test_maritime__parameters_by_name(void **state)
{
    (void)state;
    struct vg_maritime_params p;
    vg_maritime_params_default(&p);
    struct vg_error e;
    assert_int_equal(vg_maritime_param_set(&p, "gap_hours", "6", &e), VG_OK);
    assert_true(p.gap_hours == 6);
    assert_int_equal(vg_maritime_param_set(&p, "short_meetings", "off", &e), VG_OK);
    assert_false(p.short_meetings);
    assert_int_equal(vg_maritime_param_set(&p, "no_such", "1", &e), VG_EINVAL);
    assert_int_equal(vg_maritime_param_set(&p, "gap_hours", "x", &e), VG_EINVAL);
    /* Geography sanity: Callao is on the coast, 100 km west of it is ~50 nm out. */
    assert_true(vg_geo_shore_distance_nm(-12.05, -77.15) < 2);
    double d = vg_geo_shore_distance_nm(-12.05, -78.07);
    assert_true(d > 40 && d < 60);
    assert_true(vg_geo_in_river_zone(-3.73, -73.24));
    assert_false(vg_geo_in_river_zone(-12.05, -77.15));
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_maritime__port_visit_at_callao),
    cmocka_unit_test(test_maritime__offshore_gap_gfw),
    cmocka_unit_test(test_maritime__nearshore_gap_class_a_only),
    cmocka_unit_test(test_maritime__short_meeting_with_small_craft_at_night),
    cmocka_unit_test(test_maritime__pilots_near_port_and_authorities_are_not_meetings),
    cmocka_unit_test(test_maritime__anchorage_waits_and_meetings),
    cmocka_unit_test(test_maritime__no_meeting_inside_port_or_on_the_amazon),
    cmocka_unit_test(test_maritime__merchant_meetings_are_not_short_meetings),
    cmocka_unit_test(test_maritime__loitering_variants),
    cmocka_unit_test(test_maritime__parameters_by_name),
};

VG_TEST_MAIN(tests)
