/*
 * vigia/rows.h - a sink for tabular results.
 *
 * Library functions that list records (rejects, findings, assessments...) hand them to a
 * struct vg_row_sink one row at a time, as NUL-terminated UTF-8 strings (NULL for a
 * missing value), so that the caller decides the format (table, CSV, JSON) and nothing is
 * buffered in the library. Strings are borrowed for the duration of the call.
 */
#ifndef VIGIA_ROWS_H
#define VIGIA_ROWS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_row_sink {
    /* Called once, before the first row, with the column names. */
    void (*columns)(void *user, size_t n, const char *const *names);
    /* Called per row; return non-zero to stop early. */
    int (*row)(void *user, size_t n, const char *const *values);
    void *user;
};

#ifdef __cplusplus
}
#endif
#endif
