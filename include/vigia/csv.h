/*
 * vigia/csv.h - RFC 4180 CSV reading over a memory buffer.
 *
 * The reader walks records of a buffer the caller owns and hands back fields as slices.
 * Unquoted fields and quoted fields without doubled quotes point into the input (zero
 * copy); a quoted field with "" escapes is unescaped into the reader's scratch memory,
 * valid until the next call. Both CRLF and LF end records; quoted fields may span lines.
 * A lone trailing Ctrl-Z (0x1A, as in OFAC's files) is ignored at end of input.
 */
#ifndef VIGIA_CSV_H
#define VIGIA_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vigia/arena.h>
#include <vigia/slice.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VG_CSV_MAX_FIELDS 256

struct vg_csv_reader {
    const char *data;
    size_t len;
    size_t pos;
    char delimiter;
    uint32_t line;          /* current line of the cursor (1-based) */
    uint32_t record_line;   /* line where the last record started (1-based) */
    uint64_t record_offset; /* byte offset of the last record */
    uint32_t record;        /* 1-based number of the last record */
    struct vg_arena scratch;
    struct vg_slice fields[VG_CSV_MAX_FIELDS];
    size_t nfields;
};

/* Prepares a reader over data[0..len) (borrowed; must outlive the reader). A UTF-8
 * byte-order mark at the start is skipped. Cannot fail. */
void vg_csv_init(struct vg_csv_reader *r, const char *data, size_t len, char delimiter);

/*
 * Reads the next record into r->fields / r->nfields. Returns VG_OK with a record,
 * VG_ENOTFOUND at end of input, VG_EPARSE for an unterminated quote or text after a closing
 * quote (err says where; the reader skips to the next line so that reading can go on),
 * VG_ELIMIT for more than VG_CSV_MAX_FIELDS fields, VG_ENOMEM. Blank lines are skipped.
 */
enum vg_status vg_csv_next(struct vg_csv_reader *r, struct vg_error *err);

/* Field i of the current record, or the empty slice past the end. */
struct vg_slice vg_csv_field(const struct vg_csv_reader *r, size_t i);

/* Index of the field whose header text equals name (ASCII case-insensitive, trimmed) in
 * the current record, or -1. Use on the header record. */
int vg_csv_find_column(const struct vg_csv_reader *r, const char *name);

/* Frees the scratch memory. NULL-safe. */
void vg_csv_release(struct vg_csv_reader *r);

/* ---- a table with a header, as vigia's CSV imports read it --------------------------- */

/*
 * The first record is the header; every later record is a row. A record the CSV syntax
 * refuses after the header (an unterminated quote, too many fields) is handed to `reject`
 * and reading goes on; a broken or missing header stops the read. Input that is not valid
 * UTF-8 is read as ISO 8859-1 (vg_csv_table_text converts).
 */
struct vg_csv_table {
    struct vg_csv_reader csv; /* the header or the current row */
    const char *source;       /* the name for messages ("-" when none was given) */
    const char *data;         /* the input (borrowed) */
    struct vg_arena fields;   /* the callbacks' per-record copies: reset before each record */
    struct vg_buf conv;       /* ISO 8859-1 conversion scratch */
    bool latin1;              /* the input is not valid UTF-8 */
};

struct vg_csv_table_ops {
    /* Completes "SOURCE: empty file, expected a header " for an input without records. */
    const char *expected;
    /* The header record is t->csv's current record. VG_OK goes on; any other status stops
     * the read and is returned (with err set by the callback). */
    enum vg_status (*header)(void *user, struct vg_csv_table *t, struct vg_error *err);
    /* A row. VG_OK goes on; any other status stops the read and is returned (VG_ENOMEM
     * with an "out of memory reading SOURCE" message). */
    enum vg_status (*row)(void *user, struct vg_csv_table *t);
    /* A record refused by the CSV syntax, with the reason; same return rules as row. */
    enum vg_status (*reject)(void *user, struct vg_csv_table *t, const char *reason);
};

/*
 * Reads the table in data[0..len) (borrowed for the call), calling ops with user. source
 * may be NULL. Returns VG_OK at the end of the input; VG_EFORMAT (err says where) for an
 * empty input or a broken header; whatever a callback stopped with; VG_ENOMEM.
 */
VG_NODISCARD enum vg_status vg_csv_table_read(const char *data,
                                              size_t len,
                                              const char *source,
                                              const struct vg_csv_table_ops *ops,
                                              void *user,
                                              struct vg_error *err);

/* Field `col` of the current record, trimmed, as UTF-8 (converted when the table is
 * ISO 8859-1: then valid until the next call); the empty slice for col < 0 or past the
 * end. VG_ENOMEM when the conversion runs out of memory. */
VG_NODISCARD enum vg_status
vg_csv_table_text(struct vg_csv_table *t, int col, struct vg_slice *out);

/* The input the current record spans, at most max bytes (the excerpt kept with a
 * reject). */
struct vg_slice vg_csv_table_excerpt(const struct vg_csv_table *t, size_t max);

#ifdef __cplusplus
}
#endif
#endif
