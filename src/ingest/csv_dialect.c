/*
 * The CSV layouts of docs/formats.md as spreadsheets write them. An agency without EDIFACT
 * exports its manifests from a spreadsheet, and the spreadsheet writes in the locale of the
 * desk it runs on: in Peru and Spain a decimal comma ("12.500,5"), hence ';' between
 * fields, dates day first ("03/05/2024 10:00"), and, in the "CSV" of the Windows versions,
 * text in Windows-1252 instead of UTF-8. These read such values as they come; the field
 * separator is chosen by the header (read_csv.c). JSON numbers and times sent as text are
 * read with the same functions (read_json.c), so both layouts take the same values.
 */
#include "ingest/ingest_int.h"

#include <stdio.h>
#include <string.h>
#include <vigia/charset.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* True when the digits of s[0..n) (a sign may come first) are grouped in threes by sep,
 * with at least one sep: "12,500", "-1.234.567". */
static bool grouped(const char *s, size_t n, char sep)
{
    size_t i = n > 0 && (s[0] == '-' || s[0] == '+') ? 1 : 0;
    size_t run = 0;
    size_t groups = 0;
    for (; i < n; i++) {
        if (is_digit(s[i])) {
            run++;
        } else if (s[i] == sep && (groups == 0 ? run >= 1 && run <= 3 : run == 3)) {
            groups++;
            run = 0;
        } else {
            return false;
        }
    }
    return groups > 0 && run == 3;
}

bool vg__ing_number_text(struct vg_slice v, bool decimal_comma, double *out)
{
    char buf[64];
    if (v.len == 0 || v.len >= sizeof(buf)) {
        return false;
    }
    size_t dots = 0, commas = 0, last_dot = 0, last_comma = 0;
    for (size_t i = 0; i < v.len; i++) {
        if (v.ptr[i] == '.') {
            dots++;
            last_dot = i;
        } else if (v.ptr[i] == ',') {
            commas++;
            last_comma = i;
        }
    }
    /* The decimal mark: the last of the two when both are written ("12,500.5",
     * "12.500,5"); a lone one unless it groups thousands in a locale where it does
     * (',' where the mark is '.', '.' where it is ','); none when it repeats. */
    char mark = 0;
    if (dots > 0 && commas > 0) {
        mark = last_dot > last_comma ? '.' : ',';
    } else if (commas == 1) {
        mark = decimal_comma || !grouped(v.ptr, v.len, ',') ? ',' : 0;
    } else if (dots == 1) {
        mark = decimal_comma && grouped(v.ptr, v.len, '.') ? 0 : '.';
    }
    size_t int_len = mark == '.' ? last_dot : mark == ',' ? last_comma : v.len;
    char sep = mark == '.' ? ',' : mark == ',' ? '.' : commas > 0 ? ',' : '.';
    size_t seps = dots + commas - (mark != 0);
    if (seps > 0 && !grouped(v.ptr, int_len, sep)) {
        return false;
    }
    size_t w = 0;
    for (size_t i = 0; i < v.len; i++) {
        char c = v.ptr[i];
        if (i > int_len && (c == '.' || c == ',')) {
            return false; /* a separator after the mark */
        }
        if (i < int_len && c == sep) {
            continue;
        }
        buf[w++] = i == int_len ? '.' : c;
    }
    return vg_slice_to_double((struct vg_slice){ buf, w }, out) == VG_OK;
}

int vg__ing_decimal_hint(struct vg_slice v)
{
    size_t dots = 0, commas = 0, last = 0;
    for (size_t i = 0; i < v.len; i++) {
        if (v.ptr[i] == '.' || v.ptr[i] == ',') {
            dots += v.ptr[i] == '.';
            commas += v.ptr[i] == ',';
            last = i;
        } else if (!is_digit(v.ptr[i]) && !(i == 0 && (v.ptr[i] == '-' || v.ptr[i] == '+'))) {
            return 0; /* not a plain number */
        }
    }
    if (dots > 0 && commas > 0) {
        return v.ptr[last] == ',' ? 1 : -1; /* "1.234,5", "1,234.5" */
    }
    if (dots + commas > 1) {
        return dots > 0 ? 1 : -1; /* "1.234.567" groups with '.', so its mark is ',' */
    }
    if (dots + commas == 1 && v.len - last - 1 != 3) {
        return dots > 0 ? -1 : 1; /* "12.5", "12,5" */
    }
    return 0; /* "12.500", "12,500", "12500": either */
}

/* Reads 1..max digits of s at *i into *v; false when there are none or more. */
static bool digits(struct vg_slice s, size_t *i, size_t max, unsigned *v)
{
    size_t start = *i;
    unsigned n = 0;
    while (*i < s.len && is_digit(s.ptr[*i]) && *i - start < max) {
        n = n * 10 + (unsigned)(s.ptr[*i] - '0');
        (*i)++;
    }
    *v = n;
    return *i > start && (*i >= s.len || !is_digit(s.ptr[*i]));
}

/* "d/m/yyyy", "dd-mm-yyyy" or "dd.mm.yyyy", then optionally " hh:mm" or " hh:mm:ss"
 * (or 'T' before the time), as ISO 8601 text into iso (20 bytes); false otherwise. */
static bool day_first(struct vg_slice v, char iso[20])
{
    size_t i = 0;
    unsigned d, m, y, hh = 0, mm = 0, ss = 0;
    if (!digits(v, &i, 2, &d) || i >= v.len) {
        return false;
    }
    char sep = v.ptr[i++];
    if ((sep != '/' && sep != '-' && sep != '.') || !digits(v, &i, 2, &m) || i >= v.len ||
        v.ptr[i++] != sep || !digits(v, &i, 4, &y) || y < 1000) {
        return false;
    }
    if (i < v.len) {
        if (v.ptr[i] != ' ' && v.ptr[i] != 'T') {
            return false;
        }
        i++;
        if (!digits(v, &i, 2, &hh) || i >= v.len || v.ptr[i++] != ':' || !digits(v, &i, 2, &mm)) {
            return false;
        }
        if (i < v.len && (v.ptr[i++] != ':' || !digits(v, &i, 2, &ss))) {
            return false;
        }
        if (i < v.len) {
            return false;
        }
    }
    if (d < 1 || d > 31 || m < 1 || m > 12 || hh > 23 || mm > 59 || ss > 60) {
        return false;
    }
    snprintf(iso, 20, "%04u-%02u-%02uT%02u:%02u:%02u", y, m, d, hh, mm, ss);
    return true;
}

enum vg_status
vg__ing_time_text(struct vg_slice v, const struct vg_zone *zone, int64_t *out, struct vg_error *err)
{
    if (vg_time_parse_iso8601(v, zone, out, NULL) == VG_OK) {
        return VG_OK;
    }
    char iso[20];
    if (day_first(v, iso) &&
        vg_time_parse_iso8601(vg_slice_from_cstr(iso), zone, out, NULL) == VG_OK) {
        return VG_OK;
    }
    return vg_error_set(err, VG_EPARSE,
                        "not a date and time in ISO 8601 (2024-05-03T10:20) or day first"
                        " (03/05/2024 10:20)");
}

/* Appends the Windows-1252 text s[0..n) to out as UTF-8 (ISO 8859-1, which it extends,
 * where the C library has no Windows-1252). */
static enum vg_status append_cp1252(const char *s, size_t n, struct vg_buf *out)
{
    enum vg_status st = vg_charset_to_utf8("WINDOWS-1252", s, n, out, NULL);
    return st == VG_EUNSUPPORTED ? vg_latin1_to_utf8(s, n, out) : st;
}

enum vg_status vg__ing_csv_utf8(
    const char *data, size_t len, struct vg_buf *out, size_t *converted, uint32_t *first_line)
{
    *converted = 0;
    *first_line = 0;
    if (vg_utf8_valid(data, len)) {
        return VG_OK;
    }
    /* Line by line, so that the lines of a file already in UTF-8 stay as they are; a
     * run of lines to convert goes through in one call. */
    enum vg_status st = VG_OK;
    size_t run = 0, run_len = 0;
    uint32_t line = 0;
    for (size_t pos = 0; pos < len && st == VG_OK;) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = nl != NULL ? (size_t)(nl - (data + pos)) + 1 : len - pos;
        line++;
        if (vg_utf8_valid(data + pos, n)) {
            if (run_len > 0) {
                st = append_cp1252(data + run, run_len, out);
                run_len = 0;
            }
            if (st == VG_OK) {
                st = vg_buf_append(out, data + pos, n);
            }
        } else {
            if (run_len == 0) {
                run = pos;
            }
            run_len += n;
            if (*converted == 0) {
                *first_line = line;
            }
            (*converted)++;
        }
        pos += n;
    }
    if (st == VG_OK && run_len > 0) {
        st = append_cp1252(data + run, run_len, out);
    }
    return st;
}
