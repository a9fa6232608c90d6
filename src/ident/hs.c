/*
 * Harmonized System codes (vigia/ident.h). WCO HS nomenclature: 2-digit chapters 01-97
 * (77 reserved for future use; 98 and 99 reserved for national
 * use by the contracting parties), 4-digit headings, 6-digit subheadings; national tariffs extend the
 * subheading to 8 or 10 digits (Peru's Arancel uses 10).
 */
#include <vigia/ident.h>

#include <string.h>

#include "ident/ident_int.h"

enum vg_status vg_hs_parse(struct vg_slice text, struct vg_hs_code *out, struct vg_error *err)
{
    char s[24];
    size_t n = vg__ident_normalize(text, s, sizeof(s));
    memset(out, 0, sizeof(*out));
    if (n < 2 || n > 10 || n % 2 != 0) {
        return vg_error_set(err, VG_EPARSE,
                            "HS code '%.*s' has %zu digits, expected 2, 4, 6, 8 or 10",
                            VG_IDENT_QUOTE(text), n);
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return vg_error_set(err, VG_EPARSE, "HS code '%.*s' must be digits",
                                VG_IDENT_QUOTE(text));
        }
    }
    int chapter = (s[0] - '0') * 10 + (s[1] - '0');
    if (chapter < 1 || chapter == 77) {
        return vg_error_set(err, VG_EPARSE, "HS code %s: chapter %02d does not exist", s, chapter);
    }
    memcpy(out->digits, s, n + 1);
    out->length = (int)n;
    out->chapter = chapter;
    if (n >= 6) {
        memcpy(out->root6, s, 6);
        out->root6[6] = '\0';
    }
    return VG_OK;
}
