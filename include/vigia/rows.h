/*
 * vigia/rows.h - a sink for tabular results.
 *
 * Library functions that list records (rejects, findings, assessments...) hand them to a
 * struct vg_row_sink one row at a time, as NUL-terminated UTF-8 strings (NULL for a
 * missing value), so that the caller decides the format (table, CSV, JSON) and nothing is
 * buffered in the library. Strings are borrowed for the duration of the call.
 *
 * A producer that knows what its values are (a count, a score, a weight) says so with a
 * kind per value, so that a JSON writer prints numbers as numbers; identifiers that look
 * like numbers (B/L numbers, RUCs, HS codes with their leading zeros) stay text.
 */
#ifndef VIGIA_ROWS_H
#define VIGIA_ROWS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a value is. */
enum vg_cell_kind {
    VG_CELL_TEXT = 0, /* a string */
    VG_CELL_INTEGER,  /* an integer in decimal ("-12") */
    VG_CELL_REAL,     /* a decimal number ("0.982", "1.5e-07") */
};

struct vg_row_sink {
    /* Called once, before the first row, with the column names. */
    void (*columns)(void *user, size_t n, const char *const *names);
    /* Called per row; return non-zero to stop early. */
    int (*row)(void *user, size_t n, const char *const *values);
    void *user;
    /* Optional. When set, a producer that knows its values' kinds calls it instead of row,
     * with kinds[i] the kind of values[i] (ignored for a NULL value); return non-zero to
     * stop early. row must be set as well, for producers that do not. */
    int (*typed_row)(void *user,
                     size_t n,
                     const char *const *values,
                     const enum vg_cell_kind *kinds);
};

/* Hands a row to sink: to typed_row with kinds when both are given, else to row (kinds may
 * be NULL: every value text). Returns what the callback returned. */
static inline int vg_row_sink_emit(const struct vg_row_sink *sink,
                                   size_t n,
                                   const char *const *values,
                                   const enum vg_cell_kind *kinds)
{
    if (kinds != NULL && sink->typed_row != NULL) {
        return sink->typed_row(sink->user, n, values, kinds);
    }
    return sink->row(sink->user, n, values);
}

#ifdef __cplusplus
}
#endif
#endif
