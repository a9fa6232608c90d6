/* Helpers of the targeting module: ports, local days, names, JSON strings. */
#include "target/target_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <vigia/ident.h>
#include <vigia/slice.h>
#include <vigia/time.h>

static const char *const reason_names[VG_TARGET_REASON_COUNT] = {
    "hold", "rule", "list", "model", "score", "random", "vessel", "explore",
};

const char *vg_target_reason_name(enum vg_target_reason reason)
{
    return (unsigned)reason < VG_TARGET_REASON_COUNT ? reason_names[reason] : "score";
}

static const char *const disposition_names[] = { "waived", "not_arrived", "bl_deleted" };

const char *vg_disposition_name(enum vg_disposition d)
{
    return (unsigned)d < 3 ? disposition_names[d] : "waived";
}

bool vg_disposition_parse(const char *text, enum vg_disposition *out)
{
    char buf[32];
    size_t n = strlen(text);
    if (n == 0 || n >= sizeof(buf)) {
        return false;
    }
    for (size_t i = 0; i <= n; i++) {
        buf[i] = text[i] == '-' ? '_' : text[i];
    }
    for (int i = 0; i < 3; i++) {
        if (strcmp(buf, disposition_names[i]) == 0) {
            *out = (enum vg_disposition)i;
            return true;
        }
    }
    return false;
}

/* Standard exceptions, each defined in docs/targeting.md. GAO found that "standard
 * exception" without a definition made waivers inconsistent [ATS9]: the list is closed. */
static const char *const waiver_codes[] = {
    "examined_by_other_agency", /* examined today by another agency; its record is cited */
    "diplomatic",               /* diplomatic or consular cargo under the Vienna Conventions */
    "humanitarian",             /* humanitarian relief consignment of a recognised body */
    "government",               /* armed forces or government cargo under official escort */
    NULL,
};

const char *const *vg_waiver_codes(void)
{
    return waiver_codes;
}

bool vg_waiver_code_valid(const char *code)
{
    for (int i = 0; code != NULL && waiver_codes[i] != NULL; i++) {
        if (strcmp(code, waiver_codes[i]) == 0) {
            return true;
        }
    }
    return false;
}

enum vg_status vg__target_port(const char *text, char out[6], struct vg_error *err)
{
    if (text == NULL || text[0] == '\0') {
        return vg_error_set(err, VG_EINVAL, "a port (UN/LOCODE) is required");
    }
    enum vg_status st = vg_locode_parse(vg_slice_from_cstr(text), out, NULL);
    if (st != VG_OK && st != VG_ECHECK) {
        return vg_error_set(err, VG_EINVAL, "'%.40s' is not a UN/LOCODE (e.g. PECLL)", text);
    }
    return VG_OK;
}

enum vg_status vg__target_day(
    const char *port, const char *date, int64_t *start, int64_t *end, struct vg_error *err)
{
    int y, m, d;
    char tail;
    if (date == NULL || strlen(date) != 10 ||
        sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || date[4] != '-' || date[7] != '-' ||
        !vg_civil_valid(y, m, d, 0, 0, 0)) {
        return vg_error_set(err, VG_EINVAL, "'%.40s' is not a date YYYY-MM-DD",
                            date != NULL ? date : "");
    }
    struct vg_zone zone;
    vg_zone_for_locode(port, &zone);
    struct vg_civil c = { .year = y, .month = m, .day = d };
    *start = vg_time_from_local(&c, &zone);
    /* The next local midnight (a day is 23 to 25 hours where daylight saving applies). */
    int64_t noon_next = vg_time_from_civil(y, m, d, 12, 0, 0) + 86400;
    struct vg_civil next;
    vg_time_to_civil(noon_next, &next);
    struct vg_civil c2 = { .year = next.year, .month = next.month, .day = next.day };
    *end = vg_time_from_local(&c2, &zone);
    return VG_OK;
}

static bool token_eq(const char *a, size_t alen, const char *b, size_t blen)
{
    while (alen > 0 && isspace((unsigned char)*a)) {
        a++, alen--;
    }
    while (alen > 0 && isspace((unsigned char)a[alen - 1])) {
        alen--;
    }
    while (blen > 0 && isspace((unsigned char)*b)) {
        b++, blen--;
    }
    while (blen > 0 && isspace((unsigned char)b[blen - 1])) {
        blen--;
    }
    if (alen == 0 || alen != blen) {
        return false;
    }
    for (size_t i = 0; i < alen; i++) {
        if (toupper((unsigned char)a[i]) != toupper((unsigned char)b[i])) {
            return false;
        }
    }
    return true;
}

bool vg__lists_share(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        return false;
    }
    for (const char *p = a; *p != '\0';) {
        size_t n = strcspn(p, ";");
        for (const char *q = b; *q != '\0';) {
            size_t m = strcspn(q, ";");
            if (token_eq(p, n, q, m)) {
                return true;
            }
            q += m + (q[m] == ';');
        }
        p += n + (p[n] == ';');
    }
    return false;
}
