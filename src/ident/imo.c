/*
 * IMO ship identification numbers (vigia/ident.h). IMO resolution A.1117(30): seven
 * digits, the last a check digit: the first six multiplied by 7, 6, 5, 4, 3, 2, summed,
 * modulo 10.
 */
#include <vigia/ident.h>

#include <string.h>

#include "ident/ident_int.h"

enum vg_status vg_imo_parse(struct vg_slice text, uint32_t *out, struct vg_error *err)
{
    char s[16];
    size_t n = vg__ident_normalize(text, s, sizeof(s));
    const char *d = s;
    if (n >= 3 && n < sizeof(s) && memcmp(s, "IMO", 3) == 0) {
        d += 3;
        n -= 3;
    }
    if (n != 7) {
        return vg_error_set(err, VG_EPARSE, "IMO number '%.*s' must have 7 digits",
                            VG_IDENT_QUOTE(text));
    }
    uint32_t v = 0;
    int sum = 0;
    for (int i = 0; i < 7; i++) {
        if (d[i] < '0' || d[i] > '9') {
            return vg_error_set(err, VG_EPARSE, "IMO number '%.*s' must have 7 digits",
                                VG_IDENT_QUOTE(text));
        }
        v = v * 10 + (uint32_t)(d[i] - '0');
        if (i < 6) {
            sum += (d[i] - '0') * (7 - i);
        }
    }
    *out = v;
    int expected = sum % 10;
    int found = d[6] - '0';
    if (found != expected) {
        return vg_error_set(err, VG_ECHECK, "IMO number %07u: check digit is %d, should be %d",
                            (unsigned)v, found, expected);
    }
    return VG_OK;
}
