/* Private helpers of the identifier module. */
#ifndef VIGIA_IDENT_INT_H
#define VIGIA_IDENT_INT_H

#include <stddef.h>

#include <vigia/slice.h>

/*
 * Copies text into out (capacity cap, NUL-terminated), dropping spaces, tabs, hyphens,
 * dots and slashes and upper-casing ASCII letters. Returns the number of characters the
 * normalised text has, which may exceed cap - 1 (then out holds a prefix): callers use
 * the count to report a wrong length.
 */
size_t vg__ident_normalize(struct vg_slice text, char *out, size_t cap);

/* Quotes at most 40 bytes of text for an error message (printf "%.*s" arguments). */
#define VG_IDENT_QUOTE(t) (int)((t).len > 40 ? 40 : (t).len), (t).ptr

#endif
