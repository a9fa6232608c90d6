/*
 * vigia/charset.h - character set conversion to UTF-8.
 *
 * vigia keeps all text as UTF-8. Input declared in another set (ISO 8859 parts in
 * EDIFACT UNOC..UNOK, Latin-1 in UN/LOCODE and OFAC files) is converted on the way in.
 */
#ifndef VIGIA_CHARSET_H
#define VIGIA_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

#include <vigia/slice.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* True when s is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool vg_utf8_valid(const char *s, size_t len);

/* True when every byte of s is 7-bit ASCII. */
bool vg_is_ascii(const char *s, size_t len);

/* Appends the ISO 8859-1 text s, converted to UTF-8, to out. */
VG_NODISCARD enum vg_status vg_latin1_to_utf8(const char *s, size_t len, struct vg_buf *out);

/*
 * Appends s converted from the named character set (an iconv name such as "ISO-8859-2")
 * to UTF-8. Bytes that have no mapping are replaced by U+FFFD and counted in *replaced
 * (may be NULL). VG_EUNSUPPORTED when the system does not know the set.
 */
VG_NODISCARD enum vg_status vg_charset_to_utf8(const char *charset,
                                               const char *s,
                                               size_t len,
                                               struct vg_buf *out,
                                               size_t *replaced);

#ifdef __cplusplus
}
#endif
#endif
