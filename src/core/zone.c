/*
 * Port time zones (vigia/time.h): a compiled table by UN/LOCODE country, with per-port
 * entries for countries that span several zones. Offsets are standard time, minutes east
 * of UTC; daylight-saving rules are evaluated from the calendar, not from the machine.
 * Sources: national legislation as summarised in the IANA tz database (not read at run
 * time). Peru (the first deployment) is UTC-5 without daylight saving.
 */
#include <vigia/time.h>

#include <stdio.h>
#include <string.h>

struct zone_entry {
    const char *key; /* 2-letter country or 5-character LOCODE */
    int16_t std_offset_min;
    enum vg_dst_rule rule;
};

/* Per-port overrides come first; lookup tries the full LOCODE before the country. */
static const struct zone_entry zone_table[] = {
    /* United States: default Eastern; Pacific and Gulf ports. */
    { "USLAX", -480, VG_DST_US }, { "USLGB", -480, VG_DST_US }, { "USOAK", -480, VG_DST_US },
    { "USSEA", -480, VG_DST_US }, { "USTIW", -480, VG_DST_US }, { "USPDX", -480, VG_DST_US },
    { "USHOU", -360, VG_DST_US }, { "USMSY", -360, VG_DST_US }, { "USMOB", -360, VG_DST_US },
    { "USGLS", -360, VG_DST_US }, { "USCHI", -360, VG_DST_US }, { "USHNL", -600, VG_DST_NONE },
    { "CAVAN", -480, VG_DST_US }, { "CAPRR", -480, VG_DST_US },
    { "MXENS", -480, VG_DST_NONE },
    { "BRMAO", -240, VG_DST_NONE }, { "BRBEL", -180, VG_DST_NONE },
    { "ESLPA", 0, VG_DST_EU }, { "ESSCT", 0, VG_DST_EU }, { "PTPDL", -60, VG_DST_EU },
    { "ECGPS", -360, VG_DST_NONE },
    { "AUFRE", 480, VG_DST_NONE }, { "AUPER", 480, VG_DST_NONE }, { "AUBNE", 600, VG_DST_NONE },
    { "AUADL", 570, VG_DST_AU_SOUTH }, { "AUDRW", 570, VG_DST_NONE },
    { "RUVVO", 600, VG_DST_NONE }, { "RUKGD", 120, VG_DST_NONE },
    { "IDMAK", 480, VG_DST_NONE },
    /* The Americas. */
    { "PE", -300, VG_DST_NONE }, { "EC", -300, VG_DST_NONE }, { "CO", -300, VG_DST_NONE },
    { "PA", -300, VG_DST_NONE }, { "JM", -300, VG_DST_NONE }, { "HT", -300, VG_DST_US },
    { "CR", -360, VG_DST_NONE }, { "NI", -360, VG_DST_NONE }, { "HN", -360, VG_DST_NONE },
    { "SV", -360, VG_DST_NONE }, { "GT", -360, VG_DST_NONE }, { "BZ", -360, VG_DST_NONE },
    { "MX", -360, VG_DST_NONE }, { "CL", -240, VG_DST_CHILE }, { "BO", -240, VG_DST_NONE },
    { "VE", -240, VG_DST_NONE }, { "DO", -240, VG_DST_NONE }, { "PR", -240, VG_DST_NONE },
    { "TT", -240, VG_DST_NONE }, { "GY", -240, VG_DST_NONE }, { "AW", -240, VG_DST_NONE },
    { "CW", -240, VG_DST_NONE }, { "BB", -240, VG_DST_NONE }, { "SR", -180, VG_DST_NONE },
    { "AR", -180, VG_DST_NONE }, { "UY", -180, VG_DST_NONE }, { "BR", -180, VG_DST_NONE },
    { "PY", -180, VG_DST_NONE }, { "US", -300, VG_DST_US }, { "CA", -300, VG_DST_US },
    { "BS", -300, VG_DST_US }, { "CU", -300, VG_DST_US },
    /* Europe. */
    { "GB", 0, VG_DST_EU }, { "IE", 0, VG_DST_EU }, { "PT", 0, VG_DST_EU },
    { "IS", 0, VG_DST_NONE }, { "ES", 60, VG_DST_EU }, { "FR", 60, VG_DST_EU },
    { "BE", 60, VG_DST_EU }, { "NL", 60, VG_DST_EU }, { "DE", 60, VG_DST_EU },
    { "IT", 60, VG_DST_EU }, { "MT", 60, VG_DST_EU }, { "SI", 60, VG_DST_EU },
    { "HR", 60, VG_DST_EU }, { "ME", 60, VG_DST_EU }, { "AL", 60, VG_DST_EU },
    { "PL", 60, VG_DST_EU }, { "DK", 60, VG_DST_EU }, { "SE", 60, VG_DST_EU },
    { "NO", 60, VG_DST_EU }, { "CH", 60, VG_DST_EU }, { "AT", 60, VG_DST_EU },
    { "GR", 120, VG_DST_EU }, { "BG", 120, VG_DST_EU }, { "RO", 120, VG_DST_EU },
    { "FI", 120, VG_DST_EU }, { "EE", 120, VG_DST_EU }, { "LV", 120, VG_DST_EU },
    { "LT", 120, VG_DST_EU }, { "CY", 120, VG_DST_EU }, { "UA", 120, VG_DST_EU },
    { "TR", 180, VG_DST_NONE }, { "RU", 180, VG_DST_NONE }, { "GE", 240, VG_DST_NONE },
    /* Africa and the Middle East. */
    { "MA", 60, VG_DST_NONE }, { "DZ", 60, VG_DST_NONE }, { "TN", 60, VG_DST_NONE },
    { "SN", 0, VG_DST_NONE }, { "CI", 0, VG_DST_NONE }, { "GH", 0, VG_DST_NONE },
    { "TG", 0, VG_DST_NONE }, { "BJ", 60, VG_DST_NONE }, { "NG", 60, VG_DST_NONE },
    { "CM", 60, VG_DST_NONE }, { "GA", 60, VG_DST_NONE }, { "AO", 60, VG_DST_NONE },
    { "CG", 60, VG_DST_NONE }, { "CD", 60, VG_DST_NONE }, { "NA", 120, VG_DST_NONE },
    { "ZA", 120, VG_DST_NONE }, { "MZ", 120, VG_DST_NONE }, { "EG", 120, VG_DST_NONE },
    { "LY", 120, VG_DST_NONE }, { "IL", 120, VG_DST_NONE }, { "LB", 120, VG_DST_NONE },
    { "KE", 180, VG_DST_NONE }, { "TZ", 180, VG_DST_NONE }, { "DJ", 180, VG_DST_NONE },
    { "SA", 180, VG_DST_NONE }, { "JO", 180, VG_DST_NONE }, { "IQ", 180, VG_DST_NONE },
    { "KW", 180, VG_DST_NONE }, { "BH", 180, VG_DST_NONE }, { "QA", 180, VG_DST_NONE },
    { "AE", 240, VG_DST_NONE }, { "OM", 240, VG_DST_NONE }, { "MU", 240, VG_DST_NONE },
    { "IR", 210, VG_DST_NONE }, { "PK", 300, VG_DST_NONE },
    /* Asia and Oceania. */
    { "IN", 330, VG_DST_NONE }, { "LK", 330, VG_DST_NONE }, { "BD", 360, VG_DST_NONE },
    { "MM", 390, VG_DST_NONE }, { "TH", 420, VG_DST_NONE }, { "VN", 420, VG_DST_NONE },
    { "KH", 420, VG_DST_NONE }, { "ID", 420, VG_DST_NONE }, { "MY", 480, VG_DST_NONE },
    { "SG", 480, VG_DST_NONE }, { "PH", 480, VG_DST_NONE }, { "CN", 480, VG_DST_NONE },
    { "HK", 480, VG_DST_NONE }, { "MO", 480, VG_DST_NONE }, { "TW", 480, VG_DST_NONE },
    { "KR", 540, VG_DST_NONE }, { "JP", 540, VG_DST_NONE }, { "PG", 600, VG_DST_NONE },
    { "AU", 600, VG_DST_AU_SOUTH }, { "NC", 660, VG_DST_NONE }, { "FJ", 720, VG_DST_NONE },
    { "NZ", 720, VG_DST_NZ },
};

struct vg_zone vg_zone_utc(void)
{
    return vg_zone_fixed(0);
}

struct vg_zone vg_zone_fixed(int32_t offset_min)
{
    struct vg_zone z = { .std_offset_min = offset_min, .dst_save_min = 0,
                         .dst_rule = VG_DST_NONE };
    int32_t a = offset_min < 0 ? -offset_min : offset_min;
    snprintf(z.name, sizeof(z.name), "UTC%c%02d:%02d", offset_min < 0 ? '-' : '+',
             (int)(a / 60 % 100), (int)(a % 60));
    return z;
}

bool vg_zone_for_locode(const char *locode, struct vg_zone *zone)
{
    *zone = vg_zone_utc();
    if (locode == NULL) {
        return false;
    }
    char key[6] = { 0 };
    size_t n = strnlen(locode, 6);
    for (size_t i = 0; i < n && i < 5; i++) {
        char c = locode[i];
        key[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    const struct zone_entry *hit = NULL;
    size_t count = sizeof(zone_table) / sizeof(zone_table[0]);
    if (n >= 5) {
        for (size_t i = 0; i < count && hit == NULL; i++) {
            if (strlen(zone_table[i].key) == 5 && memcmp(zone_table[i].key, key, 5) == 0) {
                hit = &zone_table[i];
            }
        }
    }
    if (n >= 2) {
        for (size_t i = 0; i < count && hit == NULL; i++) {
            if (strlen(zone_table[i].key) == 2 && memcmp(zone_table[i].key, key, 2) == 0) {
                hit = &zone_table[i];
            }
        }
    }
    if (hit == NULL) {
        return false;
    }
    *zone = vg_zone_fixed(hit->std_offset_min);
    zone->dst_rule = hit->rule;
    zone->dst_save_min = hit->rule == VG_DST_NONE ? 0 : 60;
    if (hit->rule != VG_DST_NONE) {
        size_t len = strlen(zone->name);
        if (len + 4 < sizeof(zone->name)) {
            memcpy(zone->name + len, "+DST", 5);
        }
    }
    return true;
}

/* Day of month of the nth Sunday (n >= 1) or of the last Sunday (n = -1). */
static int sunday_of_month(int year, int month, int n)
{
    static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int days = dim[month - 1];
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) {
        days = 29;
    }
    struct vg_civil c;
    if (n > 0) {
        vg_time_to_civil(vg_time_from_civil(year, month, 1, 12, 0, 0), &c);
        int first = 1 + (7 - c.weekday) % 7; /* weekday 7 = Sunday */
        return first + 7 * (n - 1);
    }
    vg_time_to_civil(vg_time_from_civil(year, month, days, 12, 0, 0), &c);
    return days - c.weekday % 7;
}

/* UTC instant of local wall time h:00 on the given day, at the given offset. */
static int64_t at_local(int y, int m, int d, int h, int32_t offset_min)
{
    return vg_time_from_civil(y, m, d, h, 0, 0) - (int64_t)offset_min * 60;
}

static bool dst_active(const struct vg_zone *zone, int64_t t)
{
    if (zone->dst_rule == VG_DST_NONE) {
        return false;
    }
    struct vg_civil c;
    vg_time_to_civil(t + (int64_t)zone->std_offset_min * 60, &c);
    int y = c.year;
    int32_t std = zone->std_offset_min;
    int32_t dst = std + zone->dst_save_min;
    int64_t start, end;
    switch (zone->dst_rule) {
    case VG_DST_EU:
        start = vg_time_from_civil(y, 3, sunday_of_month(y, 3, -1), 1, 0, 0);
        end = vg_time_from_civil(y, 10, sunday_of_month(y, 10, -1), 1, 0, 0);
        return t >= start && t < end;
    case VG_DST_US:
        start = at_local(y, 3, sunday_of_month(y, 3, 2), 2, std);
        end = at_local(y, 11, sunday_of_month(y, 11, 1), 2, dst);
        return t >= start && t < end;
    case VG_DST_CHILE:
        /* Clocks change at 24:00 local Saturday: 04:00 / 03:00 UTC on Sunday. */
        start = vg_time_from_civil(y, 9, sunday_of_month(y, 9, 1), 4, 0, 0);
        end = vg_time_from_civil(y, 4, sunday_of_month(y, 4, 1), 3, 0, 0);
        return t >= start || t < end;
    case VG_DST_AU_SOUTH:
        start = at_local(y, 10, sunday_of_month(y, 10, 1), 2, std);
        end = at_local(y, 4, sunday_of_month(y, 4, 1), 3, dst);
        return t >= start || t < end;
    case VG_DST_NZ:
        start = at_local(y, 9, sunday_of_month(y, 9, -1), 2, std);
        end = at_local(y, 4, sunday_of_month(y, 4, 1), 3, dst);
        return t >= start || t < end;
    case VG_DST_NONE:
        break;
    }
    return false;
}

int32_t vg_zone_offset_at(const struct vg_zone *zone, int64_t t)
{
    if (zone == NULL) {
        return 0;
    }
    return zone->std_offset_min + (dst_active(zone, t) ? zone->dst_save_min : 0);
}

int64_t vg_time_from_local(const struct vg_civil *local, const struct vg_zone *zone)
{
    int64_t wall = vg_time_from_civil(local->year, local->month, local->day, local->hour,
                                      local->minute, local->second);
    if (zone == NULL) {
        return wall;
    }
    if (zone->dst_rule != VG_DST_NONE) {
        int64_t daylight = wall - (int64_t)(zone->std_offset_min + zone->dst_save_min) * 60;
        if (dst_active(zone, daylight)) {
            return daylight;
        }
    }
    return wall - (int64_t)zone->std_offset_min * 60;
}
