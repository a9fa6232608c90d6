/*
 * ISO 6346 container numbers (vigia/ident.h).
 *
 * ISO 6346:1995 clause 3: owner code (3 letters), equipment category identifier (U, J, Z),
 * serial number (6 digits), check digit. The check digit (annex A): letters take the
 * values 10..38 skipping multiples of 11 (A=10, B=12, ..., K=21, ..., U=32, V=34, ...,
 * Z=38), digits their face value; each of the ten values is multiplied by 2^position
 * (0-based), the sum is taken modulo 11, and a remainder of 10 is written as 0.
 */
#include <vigia/ident.h>

#include <string.h>

#include "ident/ident_int.h"

static int letter_value(char c)
{
    /* A=10 upward, skipping 11, 22 and 33. */
    int v = 10 + (c - 'A');
    if (v >= 11) {
        v++;
    }
    if (v >= 22) {
        v++;
    }
    if (v >= 33) {
        v++;
    }
    return v;
}

static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int vg_container_check_digit(const char *s10)
{
    int sum = 0;
    for (int i = 0; i < 10; i++) {
        char c = s10[i];
        int v;
        if (i < 4) {
            if (!is_upper(c)) {
                return -1;
            }
            v = letter_value(c);
        } else {
            if (!is_digit(c)) {
                return -1;
            }
            v = c - '0';
        }
        sum += v << i;
    }
    return sum % 11 % 10;
}

enum vg_status vg_container_parse(struct vg_slice text,
                                  struct vg_container_number *out,
                                  struct vg_error *err)
{
    char s[16];
    size_t n = vg__ident_normalize(text, s, sizeof(s));
    memset(out, 0, sizeof(*out));
    if (n != 11) {
        return vg_error_set(err, VG_EPARSE,
                            "container number '%.*s' has %zu characters, expected 11 "
                            "(owner code, category, 6-digit serial, check digit)",
                            VG_IDENT_QUOTE(text), n);
    }
    for (int i = 0; i < 3; i++) {
        if (!is_upper(s[i])) {
            return vg_error_set(err, VG_EPARSE,
                                "container number '%s': owner code must be 3 letters", s);
        }
    }
    if (s[3] != 'U' && s[3] != 'J' && s[3] != 'Z') {
        return vg_error_set(err, VG_EPARSE,
                            "container number '%s': category '%c' is not U, J or Z", s, s[3]);
    }
    for (int i = 4; i < 11; i++) {
        if (!is_digit(s[i])) {
            return vg_error_set(err, VG_EPARSE,
                                "container number '%s': serial and check digit must be 7 digits",
                                s);
        }
    }
    memcpy(out->text, s, 12);
    memcpy(out->owner, s, 3);
    out->category = s[3];
    memcpy(out->serial, s + 4, 6);
    out->check_digit = s[10] - '0';
    out->expected_check = vg_container_check_digit(s);
    if (out->check_digit != out->expected_check) {
        return vg_error_set(err, VG_ECHECK,
                            "container number %s: check digit is %d, should be %d", s,
                            out->check_digit, out->expected_check);
    }
    return VG_OK;
}
