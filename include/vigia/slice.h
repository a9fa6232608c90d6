/*
 * vigia/slice.h - length-carrying byte slices and bounded growable buffers.
 *
 * A struct vg_slice is a borrowed view (pointer, length) into memory someone else owns,
 * typically the input buffer of a parser; it is valid while that memory lives and is not
 * NUL-terminated. A struct vg_buf owns a growable byte buffer with a mandatory maximum
 * size: an append past the maximum fails with VG_ELIMIT and leaves the buffer unchanged.
 */
#ifndef VIGIA_SLICE_H
#define VIGIA_SLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_slice {
    const char *ptr;
    size_t len;
};

#define VG_SLICE_EMPTY ((struct vg_slice){ "", 0 })
#define VG_SLICE_LIT(s) ((struct vg_slice){ (s), sizeof(s) - 1 })

/* A slice over a NUL-terminated string (NULL gives the empty slice). */
struct vg_slice vg_slice_from_cstr(const char *s);

/* A slice over ptr[0..len). */
struct vg_slice vg_slice_make(const char *ptr, size_t len);

/* Byte equality. */
bool vg_slice_eq(struct vg_slice a, struct vg_slice b);

/* Byte equality with a NUL-terminated string. */
bool vg_slice_eq_cstr(struct vg_slice a, const char *s);

/* ASCII case-insensitive equality with a NUL-terminated string. */
bool vg_slice_ieq_cstr(struct vg_slice a, const char *s);

/* True when a starts with the NUL-terminated prefix. */
bool vg_slice_starts_with(struct vg_slice a, const char *prefix);

/* True when a starts with prefix, ASCII letters compared without case. */
bool vg_slice_istarts_with(struct vg_slice a, struct vg_slice prefix);

/* a without leading and trailing ASCII white space. */
struct vg_slice vg_slice_trim(struct vg_slice a);

/* Parses all of a as an unsigned decimal integer. VG_EPARSE when a is empty, holds a
 * non-digit, or overflows. *out is untouched on error. */
enum vg_status vg_slice_to_u64(struct vg_slice a, uint64_t *out);

/* Parses all of a as a signed decimal integer (optional leading '-' or '+'). */
enum vg_status vg_slice_to_i64(struct vg_slice a, int64_t *out);

/* Parses all of a as a decimal number ("12", "-3.5", "1e3"; ',' is accepted as the
 * decimal mark, as EDIFACT allows). VG_EPARSE on anything else. */
enum vg_status vg_slice_to_double(struct vg_slice a, double *out);

/* Copies a into dst as a NUL-terminated string, truncating to size - 1 bytes. Returns
 * dst. size must be > 0. */
char *vg_slice_copy(struct vg_slice a, char *dst, size_t size);

struct vg_buf {
    char *data;     /* NUL-terminated while len < alloc; NULL before the first append */
    size_t len;     /* bytes in use, not counting the terminator */
    size_t alloc;   /* bytes allocated */
    size_t max;     /* hard limit on len */
};

/* Prepares an empty buffer that may grow to max bytes (0 picks 1 GiB). Cannot fail. */
void vg_buf_init(struct vg_buf *buf, size_t max);

/* Appends len bytes. VG_ENOMEM or VG_ELIMIT leave the buffer unchanged. */
VG_NODISCARD enum vg_status vg_buf_append(struct vg_buf *buf, const void *data, size_t len);

/* Appends a NUL-terminated string. */
VG_NODISCARD enum vg_status vg_buf_append_cstr(struct vg_buf *buf, const char *s);

/* Appends one byte. */
VG_NODISCARD enum vg_status vg_buf_append_char(struct vg_buf *buf, char c);

/* Appends s (UTF-8; NULL reads as "") as a quoted JSON string: quote and backslash
 * escaped, control characters as \u00XX. */
VG_NODISCARD enum vg_status vg_buf_append_json(struct vg_buf *buf, const char *s);

/* Appends printf-formatted text. */
VG_NODISCARD enum vg_status vg_buf_printf(struct vg_buf *buf, const char *fmt, ...)
    VG_PRINTF(2, 3);

/* Makes sure len + extra bytes fit without another allocation. */
VG_NODISCARD enum vg_status vg_buf_reserve(struct vg_buf *buf, size_t extra);

/* Empties the buffer, keeping its memory. */
void vg_buf_reset(struct vg_buf *buf);

/* Frees the memory; the buffer is empty and reusable. NULL-safe. */
void vg_buf_release(struct vg_buf *buf);

/* Hands the memory to the caller (free with vg_free) and empties the buffer. Returns an
 * allocated empty string when nothing was appended, NULL on OOM. */
char *vg_buf_detach(struct vg_buf *buf, size_t *len);

/* The buffer's contents as a slice (valid until the next change). */
struct vg_slice vg_buf_slice(const struct vg_buf *buf);

#ifdef __cplusplus
}
#endif
#endif
