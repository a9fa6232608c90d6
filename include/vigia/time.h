/*
 * vigia/time.h - instants in UTC, port time zones, ISO 8601 and EDIFACT date formats.
 *
 * vigia stores every instant as int64_t seconds since 1970-01-01T00:00:00Z ("vg time").
 * VG_TIME_NONE marks an unknown time. Times that arrive without a zone (EDIFACT DTM
 * formats 102/203/204) are read in the sending port's local time; questions such as
 * "was this at night?" or "on a weekend?" are answered in the port's local time too,
 * through vg_time_local().
 *
 * Zones are fixed-offset zones with an optional daylight-saving rule, enough for the
 * ports vigia deals with (Peru: UTC-5 all year). They come from a compiled table keyed by
 * UN/LOCODE country (and port, for countries with several zones).
 */
#ifndef VIGIA_TIME_H
#define VIGIA_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include <vigia/slice.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VG_TIME_NONE INT64_MIN

/* Daylight-saving rules known to the zone table. */
enum vg_dst_rule {
    VG_DST_NONE = 0,
    VG_DST_EU,       /* last Sunday of March 01:00 UTC to last Sunday of October 01:00 UTC */
    VG_DST_US,       /* second Sunday of March 02:00 local to first Sunday of November */
    VG_DST_CHILE,    /* first Sunday of September to first Sunday of April (south) */
    VG_DST_AU_SOUTH, /* first Sunday of October to first Sunday of April (south) */
    VG_DST_NZ,       /* last Sunday of September to first Sunday of April (south) */
};

struct vg_zone {
    int32_t std_offset_min;   /* standard offset east of UTC, minutes (Peru: -300) */
    int32_t dst_save_min;     /* added during daylight saving, usually 60 */
    enum vg_dst_rule dst_rule;
    char name[16];            /* e.g. "UTC-05:00", "Europe/CET" */
};

/* Broken-down civil time. weekday: 1 = Monday .. 7 = Sunday (ISO 8601). */
struct vg_civil {
    int year, month, day;
    int hour, minute, second;
    int weekday;
    int yday; /* 1..366 */
};

/* UTC zone. */
struct vg_zone vg_zone_utc(void);

/* A fixed-offset zone (minutes east of UTC). */
struct vg_zone vg_zone_fixed(int32_t offset_min);

/* Looks up the zone of a port by UN/LOCODE (5 characters, e.g. "PECLL") or of a country
 * (2 letters). Returns true and fills *zone when known; false (and UTC in *zone) when the
 * country is not in the table. */
bool vg_zone_for_locode(const char *locode, struct vg_zone *zone);

/* Offset east of UTC in minutes in force in zone at instant t. */
int32_t vg_zone_offset_at(const struct vg_zone *zone, int64_t t);

/* Seconds since the epoch for a UTC civil time. Fields are not range-checked beyond what
 * the arithmetic needs; use vg_civil_valid first for untrusted input. */
int64_t vg_time_from_civil(int year, int month, int day, int hour, int minute, int second);

/* True when the date and time fields form a real calendar instant (leap years included,
 * second 60 rejected). */
bool vg_civil_valid(int year, int month, int day, int hour, int minute, int second);

/* Breaks t down in UTC. */
void vg_time_to_civil(int64_t t, struct vg_civil *out);

/* Breaks t down in zone's local time (the local view used for night/weekend questions). */
void vg_time_local(int64_t t, const struct vg_zone *zone, struct vg_civil *out);

/* Converts a local civil time in zone to UTC. In the hour repeated at the end of daylight
 * saving the earlier (daylight) reading is taken. */
int64_t vg_time_from_local(const struct vg_civil *local, const struct vg_zone *zone);

/*
 * Parses ISO 8601: "2024-05-03", "2024-05-03T10:20", "2024-05-03T10:20:30",
 * "2024-05-03 10:20:30.250", with "Z", "+05:00", "-0500" or "+05" zone designators.
 * Fractions of a second are dropped. A time without a zone is read in default_zone (UTC
 * when NULL). VG_EPARSE with a message in err on anything else; *out untouched.
 */
enum vg_status vg_time_parse_iso8601(struct vg_slice text,
                                     const struct vg_zone *default_zone,
                                     int64_t *out,
                                     struct vg_error *err);

/* Formats t as "2024-05-03T10:20:30Z" into buf (at least 21 bytes; VG_TIME_NONE gives "").
 * Returns buf. */
char *vg_time_format_iso8601(int64_t t, char *buf, size_t size);

/* Formats t in zone's local time with its offset, "2024-05-03T05:20:30-05:00" (buf >= 26). */
char *vg_time_format_local(int64_t t, const struct vg_zone *zone, char *buf, size_t size);

/*
 * Parses an EDIFACT date/time (DTM C507) in the given format code (data element 2379):
 *   101 YYMMDD, 102 CCYYMMDD, 201 YYMMDDHHMM, 202 YYMMDDHHMMSS, 203 CCYYMMDDHHMM,
 *   204 CCYYMMDDHHMMSS, 301 YYMMDDHHMMZZZ, 303 CCYYMMDDHHMMZZZ, 304 CCYYMMDDHHMMSSZZZ.
 * ZZZ is "UTC"/"GMT"/"Z" or an offset "+05", "-0500", "+05:00". Times without a zone are
 * read in local_zone (the sending port's zone; UTC when NULL). Two-digit years pivot at
 * 70 (70..99 -> 19xx). format 0 guesses the format from the length (8, 12, 14 digits).
 * VG_EPARSE / VG_EUNSUPPORTED with a message in err; *out untouched on error.
 */
enum vg_status vg_time_parse_edifact(int format,
                                     struct vg_slice text,
                                     const struct vg_zone *local_zone,
                                     int64_t *out,
                                     struct vg_error *err);

/* True when t falls between 20:00 and 06:00 local time in zone. */
bool vg_time_is_night(int64_t t, const struct vg_zone *zone);

/* True when t falls on a Saturday or Sunday local time in zone. */
bool vg_time_is_weekend(int64_t t, const struct vg_zone *zone);

/* The current time (UTC seconds). */
int64_t vg_time_now(void);

#ifdef __cplusplus
}
#endif
#endif
