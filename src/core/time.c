/*
 * Instants, civil dates and the ISO 8601 / EDIFACT DTM formats (vigia/time.h).
 *
 * Civil-date arithmetic uses the days-from-civil algorithm (proleptic Gregorian calendar),
 * which needs no tables and no libc time functions: gmtime/localtime are neither
 * thread-safe nor zone-explicit, and vigia never depends on the machine's TZ.
 */
#include <vigia/time.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (m + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *year, int *month, int *day)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    *year = (int)(y + (m <= 2));
    *month = (int)m;
    *day = (int)d;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

bool vg_civil_valid(int year, int month, int day, int hour, int minute, int second)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= days_in_month(year, month) && hour >= 0 && hour <= 23 && minute >= 0 &&
           minute <= 59 && second >= 0 && second <= 59;
}

int64_t vg_time_from_civil(int year, int month, int day, int hour, int minute, int second)
{
    return days_from_civil(year, month, day) * 86400 + (int64_t)hour * 3600 +
           (int64_t)minute * 60 + second;
}

void vg_time_to_civil(int64_t t, struct vg_civil *out)
{
    int64_t days = t / 86400;
    int64_t secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days -= 1;
    }
    civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(secs / 3600);
    out->minute = (int)(secs / 60 % 60);
    out->second = (int)(secs % 60);
    /* 1970-01-01 was a Thursday (ISO weekday 4). */
    int64_t wd = (days % 7 + 7 + 3) % 7; /* 0 = Monday */
    out->weekday = (int)wd + 1;
    out->yday = (int)(days - days_from_civil(out->year, 1, 1)) + 1;
}

int64_t vg_time_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

char *vg_time_format_iso8601(int64_t t, char *buf, size_t size)
{
    if (size == 0) {
        return buf;
    }
    if (t == VG_TIME_NONE) {
        buf[0] = '\0';
        return buf;
    }
    struct vg_civil c;
    vg_time_to_civil(t, &c);
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
             c.minute, c.second);
    return buf;
}

char *vg_time_format_local(int64_t t, const struct vg_zone *zone, char *buf, size_t size)
{
    if (size == 0) {
        return buf;
    }
    if (t == VG_TIME_NONE) {
        buf[0] = '\0';
        return buf;
    }
    int32_t off = vg_zone_offset_at(zone, t);
    struct vg_civil c;
    vg_time_to_civil(t + (int64_t)off * 60, &c);
    int32_t a = off < 0 ? -off : off;
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", c.year, c.month, c.day,
             c.hour, c.minute, c.second, off < 0 ? '-' : '+', (int)(a / 60), (int)(a % 60));
    return buf;
}

void vg_time_local(int64_t t, const struct vg_zone *zone, struct vg_civil *out)
{
    vg_time_to_civil(t + (int64_t)vg_zone_offset_at(zone, t) * 60, out);
}

bool vg_time_is_night(int64_t t, const struct vg_zone *zone)
{
    struct vg_civil c;
    vg_time_local(t, zone, &c);
    return c.hour >= 20 || c.hour < 6;
}

bool vg_time_is_weekend(int64_t t, const struct vg_zone *zone)
{
    struct vg_civil c;
    vg_time_local(t, zone, &c);
    return c.weekday >= 6;
}

/* Reads exactly n ASCII digits at p. */
static bool read_digits(const char *p, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return false;
        }
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return true;
}

/* Parses a zone designator: "Z", "UTC", "GMT", "+05", "-0500", "+05:00". */
static bool parse_zone_designator(const char *p, size_t n, int32_t *offset_min)
{
    if ((n == 1 && (p[0] == 'Z' || p[0] == 'z')) ||
        (n == 3 && (memcmp(p, "UTC", 3) == 0 || memcmp(p, "GMT", 3) == 0))) {
        *offset_min = 0;
        return true;
    }
    if (n < 3 || (p[0] != '+' && p[0] != '-')) {
        return false;
    }
    int h = 0, m = 0;
    if (!read_digits(p + 1, 2, &h)) {
        return false;
    }
    if (n == 3) {
        m = 0;
    } else if (n == 5) {
        if (!read_digits(p + 3, 2, &m)) {
            return false;
        }
    } else if (n == 6 && p[3] == ':') {
        if (!read_digits(p + 4, 2, &m)) {
            return false;
        }
    } else {
        return false;
    }
    if (h > 14 || m > 59) {
        return false;
    }
    *offset_min = (p[0] == '-' ? -1 : 1) * (h * 60 + m);
    return true;
}

static int64_t resolve_local(int y, int mo, int d, int h, int mi, int s,
                             const struct vg_zone *zone)
{
    if (zone == NULL) {
        return vg_time_from_civil(y, mo, d, h, mi, s);
    }
    struct vg_civil c = { .year = y, .month = mo, .day = d, .hour = h, .minute = mi, .second = s };
    return vg_time_from_local(&c, zone);
}

enum vg_status vg_time_parse_iso8601(struct vg_slice text,
                                     const struct vg_zone *default_zone,
                                     int64_t *out,
                                     struct vg_error *err)
{
    struct vg_slice t = vg_slice_trim(text);
    const char *p = t.ptr;
    size_t n = t.len;
    int y, mo, d, h = 0, mi = 0, s = 0;
    if (n < 10 || !read_digits(p, 4, &y) || p[4] != '-' || !read_digits(p + 5, 2, &mo) ||
        p[7] != '-' || !read_digits(p + 8, 2, &d)) {
        return vg_error_set(err, VG_EPARSE, "'%.*s' is not an ISO 8601 date (expected YYYY-MM-DD)",
                            (int)(n > 40 ? 40 : n), p);
    }
    size_t i = 10;
    if (i < n && (p[i] == 'T' || p[i] == 't' || p[i] == ' ')) {
        i++;
        if (n - i < 5 || !read_digits(p + i, 2, &h) || p[i + 2] != ':' ||
            !read_digits(p + i + 3, 2, &mi)) {
            return vg_error_set(err, VG_EPARSE, "'%.*s' has a malformed time (expected HH:MM)",
                                (int)(n > 40 ? 40 : n), p);
        }
        i += 5;
        if (i < n && p[i] == ':') {
            if (n - i < 3 || !read_digits(p + i + 1, 2, &s)) {
                return vg_error_set(err, VG_EPARSE, "'%.*s' has malformed seconds",
                                    (int)(n > 40 ? 40 : n), p);
            }
            i += 3;
            if (i < n && (p[i] == '.' || p[i] == ',')) {
                i++;
                size_t start = i;
                while (i < n && p[i] >= '0' && p[i] <= '9') {
                    i++;
                }
                if (i == start) {
                    return vg_error_set(err, VG_EPARSE, "'%.*s' has an empty fraction",
                                        (int)(n > 40 ? 40 : n), p);
                }
            }
        }
    }
    if (!vg_civil_valid(y, mo, d, h, mi, s)) {
        return vg_error_set(err, VG_EPARSE, "'%.*s' is not a real calendar date and time",
                            (int)(n > 40 ? 40 : n), p);
    }
    int64_t v;
    if (i == n) {
        v = resolve_local(y, mo, d, h, mi, s, default_zone);
    } else {
        int32_t off;
        if (!parse_zone_designator(p + i, n - i, &off)) {
            return vg_error_set(err, VG_EPARSE, "'%.*s' has an unknown zone designator",
                                (int)(n > 40 ? 40 : n), p);
        }
        v = vg_time_from_civil(y, mo, d, h, mi, s) - (int64_t)off * 60;
    }
    /* Years 0001-9999 in UTC too: 0001-01-01 at Auckland is still year 0 in UTC, which no
     * ISO 8601 text this library writes could give back. */
    if (v < vg_time_from_civil(1, 1, 1, 0, 0, 0) || v > vg_time_from_civil(9999, 12, 31, 23, 59, 59)) {
        return vg_error_set(err, VG_EPARSE, "'%.*s' lies outside the years 0001-9999 in UTC",
                            (int)(n > 40 ? 40 : n), p);
    }
    *out = v;
    return VG_OK;
}

enum vg_status vg_time_parse_edifact(int format,
                                     struct vg_slice text,
                                     const struct vg_zone *local_zone,
                                     int64_t *out,
                                     struct vg_error *err)
{
    struct vg_slice t = vg_slice_trim(text);
    const char *p = t.ptr;
    size_t n = t.len;
    if (format == 0) {
        format = n == 8 ? 102 : n == 12 ? 203 : n == 14 ? 204 : n == 6 ? 101 : n == 10 ? 201 : -1;
        if (format < 0) {
            return vg_error_set(err, VG_EPARSE, "cannot tell the format of date '%.*s'",
                                (int)(n > 40 ? 40 : n), p);
        }
    }
    bool two_digit_year = false;
    size_t date_len, time_len;
    bool zoned = false;
    switch (format) {
    case 101: two_digit_year = true; date_len = 6; time_len = 0; break;
    case 102: date_len = 8; time_len = 0; break;
    case 201: two_digit_year = true; date_len = 6; time_len = 4; break;
    case 202: two_digit_year = true; date_len = 6; time_len = 6; break;
    case 203: date_len = 8; time_len = 4; break;
    case 204: date_len = 8; time_len = 6; break;
    case 301: two_digit_year = true; date_len = 6; time_len = 4; zoned = true; break;
    case 303: date_len = 8; time_len = 4; zoned = true; break;
    case 304: date_len = 8; time_len = 6; zoned = true; break;
    default:
        return vg_error_set(err, VG_EUNSUPPORTED, "date/time format code %d is not supported",
                            format);
    }
    size_t fixed = date_len + time_len;
    if (n < fixed || (!zoned && n != fixed) || (zoned && n == fixed)) {
        return vg_error_set(err, VG_EPARSE, "date '%.*s' does not fit format %d (%zu characters%s)",
                            (int)(n > 40 ? 40 : n), p, format, fixed, zoned ? " and a zone" : "");
    }
    int y, mo, d, h = 0, mi = 0, s = 0;
    size_t yl = two_digit_year ? 2 : 4;
    if (!read_digits(p, yl, &y) || !read_digits(p + yl, 2, &mo) || !read_digits(p + yl + 2, 2, &d) ||
        (time_len >= 4 && (!read_digits(p + date_len, 2, &h) || !read_digits(p + date_len + 2, 2, &mi))) ||
        (time_len == 6 && !read_digits(p + date_len + 4, 2, &s))) {
        return vg_error_set(err, VG_EPARSE, "date '%.*s' has non-digits where format %d expects digits",
                            (int)(n > 40 ? 40 : n), p, format);
    }
    if (two_digit_year) {
        y += y >= 70 ? 1900 : 2000;
    }
    if (h == 24 && mi == 0 && s == 0) {
        /* "2400" is end of day in some senders' practice: the next midnight. */
        h = 0;
        if (!vg_civil_valid(y, mo, d, 0, 0, 0)) {
            return vg_error_set(err, VG_EPARSE, "date '%.*s' is not a real date", (int)n, p);
        }
        int64_t base = vg_time_from_civil(y, mo, d, 0, 0, 0) + 86400;
        struct vg_civil c;
        vg_time_to_civil(base, &c);
        y = c.year;
        mo = c.month;
        d = c.day;
    }
    if (!vg_civil_valid(y, mo, d, h, mi, s)) {
        return vg_error_set(err, VG_EPARSE, "date '%.*s' is not a real calendar date and time",
                            (int)(n > 40 ? 40 : n), p);
    }
    int64_t v;
    if (zoned) {
        int32_t off;
        if (!parse_zone_designator(p + fixed, n - fixed, &off)) {
            return vg_error_set(err, VG_EPARSE, "date '%.*s' has an unknown time zone '%.*s'",
                                (int)(n > 40 ? 40 : n), p, (int)(n - fixed), p + fixed);
        }
        v = vg_time_from_civil(y, mo, d, h, mi, s) - (int64_t)off * 60;
    } else {
        v = resolve_local(y, mo, d, h, mi, s, local_zone);
    }
    *out = v;
    return VG_OK;
}
