/* Time: civil conversions, ISO 8601 and EDIFACT formats, port zones, night and weekend. */
#include "vg_test.h"

#include <vigia/time.h>

static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    return vg_time_from_civil(y, mo, d, h, mi, s);
}

static void test_time__civil_round_trip(void **state)
{
    (void)state;
    assert_true(utc(1970, 1, 1, 0, 0, 0) == 0);
    assert_true(utc(2000, 3, 1, 0, 0, 0) == 951868800);
    assert_true(utc(1969, 12, 31, 23, 59, 59) == -1);
    for (int64_t t = -86400LL * 800; t < 86400LL * 365 * 60; t += 86400 * 17 + 3671) {
        struct vg_civil c;
        vg_time_to_civil(t, &c);
        assert_true(utc(c.year, c.month, c.day, c.hour, c.minute, c.second) == t);
    }
    struct vg_civil c;
    vg_time_to_civil(utc(2024, 2, 29, 12, 0, 0), &c); /* a Thursday */
    assert_int_equal(c.weekday, 4);
    assert_int_equal(c.yday, 60);
    assert_true(vg_civil_valid(2024, 2, 29, 0, 0, 0));
    assert_false(vg_civil_valid(2023, 2, 29, 0, 0, 0));
    assert_false(vg_civil_valid(2024, 4, 31, 0, 0, 0));
    assert_false(vg_civil_valid(2024, 1, 1, 24, 0, 0));
}

static void test_time__iso8601_forms(void **state)
{
    (void)state;
    int64_t t;
    struct vg_error e;
    struct vg_zone peru;
    assert_true(vg_zone_for_locode("PECLL", &peru));
    assert_int_equal(vg_time_parse_iso8601(VG_SLICE_LIT("2024-05-03T10:20:30Z"), NULL, &t, &e), VG_OK);
    assert_true(t == utc(2024, 5, 3, 10, 20, 30));
    assert_int_equal(vg_time_parse_iso8601(VG_SLICE_LIT("2024-05-03T10:20:30.250+05:00"), NULL, &t, &e), VG_OK);
    assert_true(t == utc(2024, 5, 3, 5, 20, 30));
    assert_int_equal(vg_time_parse_iso8601(VG_SLICE_LIT("2024-05-03 10:20-0500"), NULL, &t, &e), VG_OK);
    assert_true(t == utc(2024, 5, 3, 15, 20, 0));
    /* No zone: read in the given zone (Peru, UTC-5). */
    assert_int_equal(vg_time_parse_iso8601(VG_SLICE_LIT("2024-05-03T22:00"), &peru, &t, &e), VG_OK);
    assert_true(t == utc(2024, 5, 4, 3, 0, 0));
    assert_int_equal(vg_time_parse_iso8601(VG_SLICE_LIT("2024-05-03"), NULL, &t, &e), VG_OK);
    assert_true(t == utc(2024, 5, 3, 0, 0, 0));
    assert_int_equal(vg_time_parse_iso8601(VG_SLICE_LIT("2024-02-30"), NULL, &t, &e), VG_EPARSE);
    assert_int_equal(vg_time_parse_iso8601(VG_SLICE_LIT("2024-05-03T10"), NULL, &t, &e), VG_EPARSE);
    assert_int_equal(vg_time_parse_iso8601(VG_SLICE_LIT("2024-05-03T10:20Q"), NULL, &t, &e), VG_EPARSE);
    assert_non_null(strstr(e.message, "zone"));
    /* Years 0001-9999 hold in UTC too (found by fuzz_time: 0001-01-01 at Auckland). */
    struct vg_zone auckland;
    assert_true(vg_zone_for_locode("NZAKL", &auckland));
    assert_int_equal(vg_time_parse_iso8601(VG_SLICE_LIT("0001-01-01"), &auckland, &t, &e), VG_EPARSE);
    assert_int_equal(vg_time_parse_iso8601(VG_SLICE_LIT("0001-01-01T12:00+12:00"), NULL, &t, &e), VG_OK);
    assert_int_equal(vg_time_parse_iso8601(VG_SLICE_LIT("9999-12-31T23:00-05:00"), NULL, &t, &e),
                     VG_EPARSE);
    char buf[32];
    assert_string_equal(vg_time_format_iso8601(utc(2024, 5, 3, 10, 20, 30), buf, sizeof(buf)),
                        "2024-05-03T10:20:30Z");
    assert_string_equal(vg_time_format_local(utc(2024, 5, 3, 10, 20, 30), &peru, buf, sizeof(buf)),
                        "2024-05-03T05:20:30-05:00");
}

static void test_time__edifact_formats_read_in_sender_zone(void **state)
{
    (void)state;
    struct vg_zone peru;
    assert_true(vg_zone_for_locode("PE", &peru));
    int64_t t;
    struct vg_error e;
    assert_int_equal(vg_time_parse_edifact(102, VG_SLICE_LIT("20240503"), &peru, &t, &e), VG_OK);
    assert_true(t == utc(2024, 5, 3, 5, 0, 0));
    assert_int_equal(vg_time_parse_edifact(203, VG_SLICE_LIT("202405032330"), &peru, &t, &e), VG_OK);
    assert_true(t == utc(2024, 5, 4, 4, 30, 0));
    assert_int_equal(vg_time_parse_edifact(204, VG_SLICE_LIT("20240503233015"), NULL, &t, &e), VG_OK);
    assert_true(t == utc(2024, 5, 3, 23, 30, 15));
    assert_int_equal(vg_time_parse_edifact(303, VG_SLICE_LIT("202405032330UTC"), &peru, &t, &e), VG_OK);
    assert_true(t == utc(2024, 5, 3, 23, 30, 0));
    assert_int_equal(vg_time_parse_edifact(303, VG_SLICE_LIT("202405032330+01"), &peru, &t, &e), VG_OK);
    assert_true(t == utc(2024, 5, 3, 22, 30, 0));
    assert_int_equal(vg_time_parse_edifact(101, VG_SLICE_LIT("990101"), NULL, &t, &e), VG_OK);
    assert_true(t == utc(1999, 1, 1, 0, 0, 0));
    assert_int_equal(vg_time_parse_edifact(201, VG_SLICE_LIT("2405031200"), NULL, &t, &e), VG_OK);
    assert_true(t == utc(2024, 5, 3, 12, 0, 0));
    /* 2400 is the end of the day. */
    assert_int_equal(vg_time_parse_edifact(203, VG_SLICE_LIT("202412312400"), NULL, &t, &e), VG_OK);
    assert_true(t == utc(2025, 1, 1, 0, 0, 0));
    /* Guess from length. */
    assert_int_equal(vg_time_parse_edifact(0, VG_SLICE_LIT("202405031200"), NULL, &t, &e), VG_OK);
    assert_true(t == utc(2024, 5, 3, 12, 0, 0));
    assert_int_equal(vg_time_parse_edifact(203, VG_SLICE_LIT("2024050312"), NULL, &t, &e), VG_EPARSE);
    assert_int_equal(vg_time_parse_edifact(102, VG_SLICE_LIT("20241301"), NULL, &t, &e), VG_EPARSE);
    assert_int_equal(vg_time_parse_edifact(102, VG_SLICE_LIT("2024O501"), NULL, &t, &e), VG_EPARSE);
    assert_int_equal(vg_time_parse_edifact(718, VG_SLICE_LIT("20240501-20240502"), NULL, &t, &e),
                     VG_EUNSUPPORTED);
    assert_int_equal(vg_time_parse_edifact(303, VG_SLICE_LIT("202405032330XYZ"), NULL, &t, &e),
                     VG_EPARSE);
}

static void test_time__night_and_weekend_in_port_time(void **state)
{
    (void)state;
    struct vg_zone peru;
    assert_true(vg_zone_for_locode("PECHY", &peru));
    /* Saturday 2024-05-04 01:00 UTC is Friday 20:00 in Peru: night, not weekend. */
    assert_true(vg_time_is_night(utc(2024, 5, 4, 1, 0, 0), &peru));
    assert_false(vg_time_is_weekend(utc(2024, 5, 4, 1, 0, 0), &peru));
    /* Monday 2024-05-06 04:30 UTC is Sunday 23:30 in Peru: night and weekend. */
    assert_true(vg_time_is_weekend(utc(2024, 5, 6, 4, 30, 0), &peru));
    assert_true(vg_time_is_night(utc(2024, 5, 6, 4, 30, 0), &peru));
    /* Noon UTC is 07:00 in Peru: day. */
    assert_false(vg_time_is_night(utc(2024, 5, 6, 12, 0, 0), &peru));
    struct vg_civil c;
    vg_time_local(utc(2024, 5, 6, 4, 30, 0), &peru, &c);
    assert_int_equal(c.weekday, 7);
    assert_int_equal(c.hour, 23);
}

static void test_time__daylight_saving_rules(void **state)
{
    (void)state;
    struct vg_zone be, us, cl, peru;
    assert_true(vg_zone_for_locode("BEANR", &be));
    assert_true(vg_zone_for_locode("USNYC", &us));
    assert_true(vg_zone_for_locode("CLSAI", &cl));
    assert_true(vg_zone_for_locode("PEPAI", &peru));
    /* EU: 2024-03-31 01:00 UTC switch. */
    assert_int_equal(vg_zone_offset_at(&be, utc(2024, 3, 31, 0, 59, 59)), 60);
    assert_int_equal(vg_zone_offset_at(&be, utc(2024, 3, 31, 1, 0, 0)), 120);
    assert_int_equal(vg_zone_offset_at(&be, utc(2024, 10, 27, 0, 59, 59)), 120);
    assert_int_equal(vg_zone_offset_at(&be, utc(2024, 10, 27, 1, 0, 0)), 60);
    /* US Eastern: 2024-03-10 07:00 UTC and 2024-11-03 06:00 UTC. */
    assert_int_equal(vg_zone_offset_at(&us, utc(2024, 3, 10, 6, 59, 0)), -300);
    assert_int_equal(vg_zone_offset_at(&us, utc(2024, 3, 10, 7, 0, 0)), -240);
    assert_int_equal(vg_zone_offset_at(&us, utc(2024, 11, 3, 5, 59, 0)), -240);
    assert_int_equal(vg_zone_offset_at(&us, utc(2024, 11, 3, 6, 0, 0)), -300);
    /* Chile (south): summer time in January, standard in July. */
    assert_int_equal(vg_zone_offset_at(&cl, utc(2024, 1, 15, 12, 0, 0)), -180);
    assert_int_equal(vg_zone_offset_at(&cl, utc(2024, 7, 15, 12, 0, 0)), -240);
    /* Peru never changes. */
    assert_int_equal(vg_zone_offset_at(&peru, utc(2024, 1, 15, 12, 0, 0)), -300);
    assert_int_equal(vg_zone_offset_at(&peru, utc(2024, 7, 15, 12, 0, 0)), -300);
    /* Local to UTC in Antwerp summer. */
    struct vg_civil local = { .year = 2024, .month = 7, .day = 1, .hour = 14 };
    assert_true(vg_time_from_local(&local, &be) == utc(2024, 7, 1, 12, 0, 0));
    /* Unknown country: UTC, and the lookup says so. */
    struct vg_zone z;
    assert_false(vg_zone_for_locode("QQXXX", &z));
    assert_int_equal(z.std_offset_min, 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_time__civil_round_trip),
    cmocka_unit_test(test_time__iso8601_forms),
    cmocka_unit_test(test_time__edifact_formats_read_in_sender_zone),
    cmocka_unit_test(test_time__night_and_weekend_in_port_time),
    cmocka_unit_test(test_time__daylight_saving_rules),
};

VG_TEST_MAIN(tests)
