/*
 * Element and component access, unescaping and text conversion (ISO 9735-1 clause 7.4
 * release character, clause 10 numeric representation, clause 6 character repertoires).
 *
 * Addressing walks the segment's marks (one per separator, see edifact_int.h); segments
 * hold a handful of separators, so a linear walk beats any per-element table. Values
 * are raw slices of the input; unescaping removes release characters and the line breaks
 * a transport may have inserted, and happens only when a segment holds either (flags set
 * by the tokenizer), so most values cost no copy at all.
 */
#include "edifact/edifact_int.h"

#include <string.h>

#include <vigia/alloc.h>
#include <vigia/charset.h>

/* The segment's marks (NULL when it has none: the index may not be allocated yet). */
static const uint32_t *seg_marks(const struct vg_edifact_segment *seg)
{
    return seg->marks_ == 0 ? NULL : seg->lexer_->marks + seg->first_mark_;
}

bool vg_edifact_is(const struct vg_edifact_segment *seg, const char *tag)
{
    return memcmp(seg->tag, tag, 3) == 0 && tag[3] == '\0';
}

/*
 * Finds the span of (element, repetition, component): [*from, *to) in the segment text.
 * component == SIZE_MAX asks for the whole repetition, repetition == SIZE_MAX for the
 * whole element. Returns false when absent. Walks the marks: first to the element (its
 * ELEM marks), then to the repetition (REP marks), then to the component (COMP marks).
 */
static bool locate(const struct vg_edifact_segment *seg, size_t element, size_t repetition,
                   size_t component, size_t *from, size_t *to)
{
    const uint32_t *m = seg_marks(seg);
    const size_t n = seg->marks_;
    size_t k = 0;
    size_t start = 0;
    if (element > seg->elements) {
        return false;
    }
    for (size_t e = 0; e < element; k++) {
        if ((m[k] & EDI_MARK_KIND) == EDI_MARK_ELEM) {
            e++;
            start = (m[k] & EDI_MARK_OFF) + 1;
        }
    }
    if (repetition != SIZE_MAX) {
        for (size_t r = 0; r < repetition; k++) {
            if (k == n || (m[k] & EDI_MARK_KIND) == EDI_MARK_ELEM) {
                return false;
            }
            if ((m[k] & EDI_MARK_KIND) == EDI_MARK_REP) {
                r++;
                start = (m[k] & EDI_MARK_OFF) + 1;
            }
        }
        if (component != SIZE_MAX) {
            for (size_t c = 0; c < component; c++, k++) {
                if (k == n || (m[k] & EDI_MARK_KIND) != EDI_MARK_COMP) {
                    return false;
                }
                start = (m[k] & EDI_MARK_OFF) + 1;
            }
        }
    }
    /* A component ends at the next mark of any kind; a repetition at the next REP or
     * ELEM mark; a whole element at the next ELEM mark. */
    if (component == SIZE_MAX) {
        for (; k < n; k++) {
            uint32_t kind = m[k] & EDI_MARK_KIND;
            if (kind == EDI_MARK_ELEM || (kind == EDI_MARK_REP && repetition != SIZE_MAX)) {
                break;
            }
        }
    }
    *from = start;
    *to = k < n ? (m[k] & EDI_MARK_OFF) : seg->text.len;
    return true;
}

static struct vg_slice span(const struct vg_edifact_segment *seg, size_t element,
                            size_t repetition, size_t component)
{
    size_t from = 0, to = 0;
    if (!locate(seg, element, repetition, component, &from, &to)) {
        return VG_SLICE_EMPTY;
    }
    return vg_slice_make(seg->text.ptr + from, to - from);
}

struct vg_slice vg_edifact_raw(const struct vg_edifact_segment *seg, size_t element,
                               size_t component)
{
    return span(seg, element, 0, component);
}

struct vg_slice vg_edifact_raw_rep(const struct vg_edifact_segment *seg, size_t element,
                                   size_t repetition, size_t component)
{
    return span(seg, element, repetition, component);
}

struct vg_slice vg_edifact_element_raw(const struct vg_edifact_segment *seg, size_t element)
{
    return span(seg, element, SIZE_MAX, SIZE_MAX);
}

/* Counts the pieces of element `element`: its repetitions (count_reps) or the
 * components of its repetition 0. */
static size_t count_in_element(const struct vg_edifact_segment *seg, size_t element,
                               bool count_reps)
{
    if (element > seg->elements) {
        return 0;
    }
    const uint32_t *m = seg_marks(seg);
    size_t n = seg->marks_;
    size_t e = 0, r = 0, count = 1;
    for (size_t k = 0; k < n; k++) {
        uint32_t kind = m[k] & EDI_MARK_KIND;
        if (kind == EDI_MARK_ELEM) {
            if (e == element) {
                break;
            }
            e++;
            r = 0;
        } else if (e == element) {
            if (kind == EDI_MARK_REP) {
                if (!count_reps) {
                    break;
                }
                r++;
                count++;
            } else if (!count_reps && r == 0) {
                count++;
            }
        }
    }
    return count;
}

size_t vg_edifact_components(const struct vg_edifact_segment *seg, size_t element)
{
    return count_in_element(seg, element, false);
}

size_t vg_edifact_repetitions(const struct vg_edifact_segment *seg, size_t element)
{
    return count_in_element(seg, element, true);
}

/* Copies raw without release characters (the byte after one is taken as is) and without
 * unescaped CR / LF, into dst (at most cap bytes). Returns the length written. */
static size_t unescape(const struct vg_edifact_segment *seg, struct vg_slice raw, char *dst,
                       size_t cap)
{
    const char rel = seg->lexer_->syntax.release;
    const bool has_rel = rel != 0 && (seg->flags_ & EDI_SEG_RELEASE) != 0;
    size_t w = 0;
    for (size_t i = 0; i < raw.len && w < cap; i++) {
        char c = raw.ptr[i];
        if (has_rel && c == rel && i + 1 < raw.len) {
            dst[w++] = raw.ptr[++i];
        } else if (c != '\n' && c != '\r') {
            dst[w++] = c;
        }
    }
    return w;
}

static bool needs_unescape(const struct vg_edifact_segment *seg)
{
    return (seg->flags_ & (EDI_SEG_RELEASE | EDI_SEG_BREAK)) != 0;
}

struct vg_slice vg_edifact_unescaped(const struct vg_edifact_segment *seg, struct vg_slice raw,
                                     char *scratch, size_t cap)
{
    if (!needs_unescape(seg)) {
        return raw;
    }
    return vg_slice_make(scratch, unescape(seg, raw, scratch, cap));
}

/*
 * The charset a value is read in. Per message the reader settles it (lexer->charset);
 * NULL means "no usable declaration" (7-bit sets, unknown identifiers, no UNB): a value
 * that is valid UTF-8 is taken as UTF-8, anything else as ISO 8859-1.
 */
static const char *value_charset(const struct vg_edifact_segment *seg, const char *bytes,
                                 size_t len)
{
    const char *cs = seg->lexer_->charset;
    if (cs == NULL) {
        cs = vg_utf8_valid(bytes, len) ? "UTF-8" : "ISO-8859-1";
    }
    return cs;
}

/* Converts out->data[mark..] in place from charset to UTF-8 (via a copy). */
static enum vg_status convert_tail(const struct vg_edifact_segment *seg, struct vg_buf *out,
                                   size_t mark)
{
    size_t n = out->len - mark;
    if (vg_is_ascii(out->data + mark, n)) {
        return VG_OK;
    }
    const char *cs = value_charset(seg, out->data + mark, n);
    if (strcmp(cs, "UTF-8") == 0) {
        if (vg_utf8_valid(out->data + mark, n)) {
            return VG_OK;
        }
        cs = "ISO-8859-1"; /* declared UTF-8 but not: the reader has noted it */
    }
    char *copy = vg_malloc(n);
    if (copy == NULL) {
        return VG_ENOMEM;
    }
    memcpy(copy, out->data + mark, n);
    out->len = mark;
    out->data[mark] = '\0';
    enum vg_status st = vg_charset_to_utf8(cs, copy, n, out, NULL);
    if (st == VG_EUNSUPPORTED) {
        st = vg_latin1_to_utf8(copy, n, out);
    }
    if (st != VG_OK) {
        out->len = mark;
        out->data[mark] = '\0';
    }
    vg_free(copy);
    return st;
}

enum vg_status vg_edifact_decode(const struct vg_edifact_segment *seg, struct vg_slice raw,
                                 struct vg_buf *out)
{
    size_t mark = out->len;
    enum vg_status st = vg_buf_reserve(out, raw.len);
    if (st != VG_OK) {
        return st;
    }
    if (needs_unescape(seg)) {
        out->len += unescape(seg, raw, out->data + out->len, raw.len);
    } else {
        if (raw.len > 0) {
            memcpy(out->data + out->len, raw.ptr, raw.len);
        }
        out->len += raw.len;
    }
    out->data[out->len] = '\0';
    if ((seg->flags_ & EDI_SEG_HIGH) == 0) {
        return VG_OK;
    }
    return convert_tail(seg, out, mark);
}

enum vg_status vg_edifact_text(const struct vg_edifact_segment *seg, size_t element,
                               size_t component, struct vg_buf *out)
{
    return vg_edifact_decode(seg, vg_edifact_raw(seg, element, component), out);
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Copies src (UTF-8) trimmed into buf[0..size), cut at a character boundary. */
static enum vg_status put_trimmed(const char *src, size_t len, char *buf, size_t size)
{
    while (len > 0 && is_blank(src[0])) {
        src++;
        len--;
    }
    while (len > 0 && is_blank(src[len - 1])) {
        len--;
    }
    enum vg_status st = VG_OK;
    if (len >= size) {
        len = size - 1;
        /* Back off continuation bytes so that a character is never cut in two. */
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80) {
            len--;
        }
        st = VG_ELIMIT;
    }
    memmove(buf, src, len);
    buf[len] = '\0';
    return st;
}

/* The general path of vg_edifact_str: decode into a temporary buffer. */
static enum vg_status str_slow(const struct vg_edifact_segment *seg, struct vg_slice raw,
                               char *buf, size_t size)
{
    struct vg_buf b;
    vg_buf_init(&b, 0);
    enum vg_status st = vg_edifact_decode(seg, raw, &b);
    if (st == VG_OK) {
        st = put_trimmed(b.data != NULL ? b.data : "", b.len, buf, size);
    }
    vg_buf_release(&b);
    return st;
}

/* Expands ISO 8859-1 bytes buf[0..n) to UTF-8 in place, from the end backwards. The
 * caller has checked that n plus the number of bytes >= 0x80 is below size. */
static size_t latin1_in_place(char *buf, size_t n, size_t high)
{
    size_t w = n + high;
    for (size_t i = n; i-- > 0;) {
        unsigned char c = (unsigned char)buf[i];
        if (c < 0x80) {
            buf[--w] = (char)c;
        } else {
            buf[--w] = (char)(0x80 | (c & 0x3F));
            buf[--w] = (char)(0xC0 | (c >> 6));
        }
    }
    return n + high;
}

enum vg_status vg_edifact_str(const struct vg_edifact_segment *seg, size_t element,
                              size_t component, char *buf, size_t size)
{
    if (size == 0) {
        return VG_EINVAL;
    }
    struct vg_slice raw = vg_edifact_raw(seg, element, component);
    if (!needs_unescape(seg) && (seg->flags_ & EDI_SEG_HIGH) == 0) {
        return put_trimmed(raw.ptr, raw.len, buf, size); /* the common case: no copy */
    }
    /* Unescape into buf; when it fills up the value may be longer: take the general path,
     * which can tell truncation from trailing blanks. */
    size_t n = unescape(seg, raw, buf, size);
    if (n == size) {
        return str_slow(seg, raw, buf, size);
    }
    if ((seg->flags_ & EDI_SEG_HIGH) == 0 || vg_is_ascii(buf, n)) {
        return put_trimmed(buf, n, buf, size);
    }
    const char *cs = value_charset(seg, buf, n);
    bool utf8 = strcmp(cs, "UTF-8") == 0;
    if (utf8 && vg_utf8_valid(buf, n)) {
        return put_trimmed(buf, n, buf, size);
    }
    if (utf8 || strcmp(cs, "ISO-8859-1") == 0) {
        size_t high = 0;
        for (size_t i = 0; i < n; i++) {
            high += (unsigned char)buf[i] >= 0x80;
        }
        if (n + high < size) {
            return put_trimmed(buf, latin1_in_place(buf, n, high), buf, size);
        }
    }
    return str_slow(seg, raw, buf, size);
}

enum vg_status vg__edifact_field(const struct vg_edifact_segment *seg, size_t element,
                                 size_t component, char *buf, size_t size)
{
    enum vg_status st = vg_edifact_str(seg, element, component, buf, size);
    return st == VG_ELIMIT ? VG_OK : st;
}

/* The trimmed, unescaped ASCII text of a numeric component into buf (NUL-terminated).
 * VG_ENOTFOUND when empty, VG_EPARSE when too long for a number. */
static enum vg_status number_text(const struct vg_edifact_segment *seg, size_t element,
                                  size_t component, char *buf, size_t size)
{
    enum vg_status st = vg_edifact_str(seg, element, component, buf, size);
    if (st == VG_ELIMIT) {
        return VG_EPARSE;
    }
    if (st != VG_OK) {
        return st;
    }
    return buf[0] == '\0' ? VG_ENOTFOUND : VG_OK;
}

enum vg_status vg_edifact_int(const struct vg_edifact_segment *seg, size_t element,
                              size_t component, int64_t *out)
{
    char buf[32];
    enum vg_status st = number_text(seg, element, component, buf, sizeof(buf));
    if (st != VG_OK) {
        return st;
    }
    if (buf[0] == '+') {
        return VG_EPARSE;
    }
    return vg_slice_to_i64(vg_slice_from_cstr(buf), out);
}

enum vg_status vg_edifact_decimal(const struct vg_edifact_segment *seg, size_t element,
                                  size_t component, double *out)
{
    char buf[64];
    enum vg_status st = number_text(seg, element, component, buf, sizeof(buf));
    if (st != VG_OK) {
        return st;
    }
    /* ISO 9735 clause 10: digits, at most one decimal mark, an optional leading minus. */
    size_t i = buf[0] == '-' ? 1 : 0;
    size_t digits = 0, marks = 0;
    for (; buf[i] != '\0'; i++) {
        if (buf[i] >= '0' && buf[i] <= '9') {
            digits++;
        } else if ((buf[i] == '.' || buf[i] == ',') && marks == 0) {
            marks++;
        } else {
            return VG_EPARSE;
        }
    }
    if (digits == 0) {
        return VG_EPARSE;
    }
    return vg_slice_to_double(vg_slice_from_cstr(buf), out);
}
