/* Fuzz target: ISO 8601 and EDIFACT date/time parsing. The first two bytes pick the
 * EDIFACT format code and the zone. Invariant: a parsed ISO time formats and re-parses to
 * the same instant. */
#include <stdint.h>
#include <string.h>

#include <vigia/time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int formats[] = { 0, 101, 102, 201, 202, 203, 204, 301, 303, 304, 718 };
    static const char *const ports[] = { "PECLL", "BEANR", "USNYC", "CLSAI", "NZAKL", "XXXXX" };
    if (size < 2) {
        return 0;
    }
    int fmt = formats[data[0] % (sizeof(formats) / sizeof(formats[0]))];
    struct vg_zone zone;
    vg_zone_for_locode(ports[data[1] % (sizeof(ports) / sizeof(ports[0]))], &zone);
    struct vg_slice t = vg_slice_make((const char *)data + 2, size - 2);
    struct vg_error e;
    int64_t v;
    if (vg_time_parse_edifact(fmt, t, &zone, &v, &e) == VG_OK) {
        struct vg_civil c;
        vg_time_local(v, &zone, &c);
        (void)vg_time_is_night(v, &zone);
    }
    if (vg_time_parse_iso8601(t, &zone, &v, &e) == VG_OK) {
        char buf[40];
        vg_time_format_iso8601(v, buf, sizeof(buf));
        int64_t w;
        if (vg_time_parse_iso8601(vg_slice_from_cstr(buf), NULL, &w, &e) != VG_OK || w != v) {
            __builtin_trap();
        }
        vg_time_format_local(v, &zone, buf, sizeof(buf));
    }
    return 0;
}
