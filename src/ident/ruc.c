/*
 * Peru RUC (Registro Único de Contribuyentes, SUNAT). Eleven digits: a two-digit type
 * (10 natural person, 15/16/17 non-domiciled and special cases, 20 legal entity), eight
 * digits, and a modulus-11 check digit over the first ten with weights 5,4,3,2,7,6,5,4,3,2:
 * 11 - (sum mod 11), where 10 is written 0 and 11 is written 1.
 */
#include <vigia/ident.h>

#include <string.h>

#include "ident/ident_int.h"

int vg_ruc_check_digit(const char *s10)
{
    static const int weights[10] = { 5, 4, 3, 2, 7, 6, 5, 4, 3, 2 };
    int sum = 0;
    for (int i = 0; i < 10; i++) {
        if (s10[i] < '0' || s10[i] > '9') {
            return -1;
        }
        sum += (s10[i] - '0') * weights[i];
    }
    int r = 11 - sum % 11;
    return r == 10 ? 0 : r == 11 ? 1 : r;
}

enum vg_status vg_ruc_parse(struct vg_slice text, struct vg_ruc *out, struct vg_error *err)
{
    char s[24];
    size_t n = vg__ident_normalize(text, s, sizeof(s));
    memset(out, 0, sizeof(*out));
    out->kind = "";
    if (n != 11) {
        return vg_error_set(err, VG_EPARSE, "RUC '%.*s' must have 11 digits", VG_IDENT_QUOTE(text));
    }
    for (int i = 0; i < 11; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return vg_error_set(err, VG_EPARSE, "RUC '%.*s' must have 11 digits",
                                VG_IDENT_QUOTE(text));
        }
    }
    int prefix = (s[0] - '0') * 10 + (s[1] - '0');
    if (prefix == 10) {
        out->kind = "person";
    } else if (prefix == 20) {
        out->kind = "company";
    } else if (prefix == 15 || prefix == 16 || prefix == 17) {
        out->kind = "non-domiciled";
    } else {
        return vg_error_set(err, VG_EPARSE, "RUC %s: prefix %02d is not 10, 15, 16, 17 or 20", s,
                            prefix);
    }
    memcpy(out->text, s, 12);
    out->check_digit = s[10] - '0';
    out->expected_check = vg_ruc_check_digit(s);
    if (out->check_digit != out->expected_check) {
        return vg_error_set(err, VG_ECHECK, "RUC %s: check digit is %d, should be %d", s,
                            out->check_digit, out->expected_check);
    }
    return VG_OK;
}
