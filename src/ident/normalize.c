/* Shared normalisation of identifier text (see ident_int.h). */
#include "ident/ident_int.h"

size_t vg__ident_normalize(struct vg_slice text, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < text.len; i++) {
        char c = text.ptr[i];
        if (c == ' ' || c == '\t' || c == '-' || c == '.' || c == '/' || c == '\r' || c == '\n') {
            continue;
        }
        if (c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        }
        if (n + 1 < cap) {
            out[n] = c;
        }
        n++;
    }
    if (cap > 0) {
        out[n < cap ? n : cap - 1] = '\0';
    }
    return n;
}
