/*
 * UN/LOCODE syntax (vigia/ident.h). UNECE Recommendation 16: a 2-letter ISO 3166-1
 * country code followed by a 3-character location code of letters A-Z and digits 2-9.
 */
#include <vigia/ident.h>

#include <stdbool.h>
#include <string.h>

#include "ident/ident_int.h"

enum vg_status vg_locode_parse(struct vg_slice text, char out[6], struct vg_error *err)
{
    char s[16];
    size_t n = vg__ident_normalize(text, s, sizeof(s));
    if (n != 5) {
        return vg_error_set(err, VG_EPARSE,
                            "UN/LOCODE '%.*s' must have 5 characters (country and location)",
                            VG_IDENT_QUOTE(text));
    }
    for (int i = 0; i < 2; i++) {
        if (s[i] < 'A' || s[i] > 'Z') {
            return vg_error_set(err, VG_EPARSE,
                                "UN/LOCODE '%s': country part must be 2 letters", s);
        }
    }
    bool zero_one = false;
    for (int i = 2; i < 5; i++) {
        char c = s[i];
        if (c == '0' || c == '1') {
            zero_one = true;
        } else if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '9'))) {
            return vg_error_set(err, VG_EPARSE,
                                "UN/LOCODE '%s': location part allows letters and digits 2-9", s);
        }
    }
    memcpy(out, s, 6);
    if (zero_one) {
        /* Recommendation 16 excludes 0 and 1 (confusable with O and I), yet the published
         * list holds a few such codes: well-formed enough to keep, but flagged. */
        return vg_error_set(err, VG_ECHECK,
                            "UN/LOCODE %s: digits 0 and 1 are not allowed in the location part",
                            s);
    }
    return VG_OK;
}
