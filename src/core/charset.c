/*
 * Conversion to UTF-8 (vigia/charset.h). Latin-1 is converted by hand (it maps byte for
 * code point); every other set goes through the C library's iconv.
 */
#include <vigia/charset.h>

#include <errno.h>
#include <iconv.h>
#include <string.h>

bool vg_is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] >= 0x80) {
            return false;
        }
    }
    return true;
}

bool vg_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (len - i <= n) {
            return false;
        }
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (p[i + k] & 0x3Fu);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false;
        }
        i += n + 1;
    }
    return true;
}

enum vg_status vg_latin1_to_utf8(const char *s, size_t len, struct vg_buf *out)
{
    enum vg_status st = vg_buf_reserve(out, len * 2);
    if (st != VG_OK) {
        return st;
    }
    char *w = out->data + out->len;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            *w++ = (char)c;
        } else {
            *w++ = (char)(0xC0 | (c >> 6));
            *w++ = (char)(0x80 | (c & 0x3F));
        }
    }
    out->len = (size_t)(w - out->data);
    out->data[out->len] = '\0';
    return VG_OK;
}

enum vg_status vg_charset_to_utf8(const char *charset,
                                  const char *s,
                                  size_t len,
                                  struct vg_buf *out,
                                  size_t *replaced)
{
    if (replaced != NULL) {
        *replaced = 0;
    }
    if (strcmp(charset, "UTF-8") == 0) {
        return vg_buf_append(out, s, len);
    }
    if (strcmp(charset, "ISO-8859-1") == 0) {
        return vg_latin1_to_utf8(s, len, out);
    }
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1) {
        return VG_EUNSUPPORTED;
    }
    enum vg_status st = VG_OK;
    char *in = (char *)(uintptr_t)s;
    size_t in_left = len;
    while (in_left > 0) {
        st = vg_buf_reserve(out, in_left * 4 + 4);
        if (st != VG_OK) {
            break;
        }
        char *o = out->data + out->len;
        size_t o_left = out->alloc - out->len - 1;
        size_t r = iconv(cd, &in, &in_left, &o, &o_left);
        out->len = (size_t)(o - out->data);
        out->data[out->len] = '\0';
        if (r == (size_t)-1) {
            if (errno == E2BIG) {
                continue;
            }
            /* EILSEQ or EINVAL: one unmappable byte; replace and go on. */
            st = vg_buf_append(out, "\xEF\xBF\xBD", 3);
            if (st != VG_OK) {
                break;
            }
            in++;
            in_left--;
            if (replaced != NULL) {
                (*replaced)++;
            }
        }
    }
    iconv_close(cd);
    return st;
}
