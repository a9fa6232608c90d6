/*
 * RFC 4180 CSV reader (vigia/csv.h). Fields are slices into the input unless a quoted
 * field contains a doubled quote, in which case the unescaped copy lives in the scratch
 * arena until the next record.
 */
#include <vigia/csv.h>

#include <string.h>

void vg_csv_init(struct vg_csv_reader *r, const char *data, size_t len, char delimiter)
{
    memset(r, 0, sizeof(*r));
    r->data = data;
    r->len = len;
    r->delimiter = delimiter == 0 ? ',' : delimiter;
    r->line = 1;
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF) {
        r->pos = 3;
    }
    /* Ignore a DOS end-of-file marker at the very end. */
    if (r->len > r->pos && data[r->len - 1] == 0x1A) {
        r->len--;
    }
    vg_arena_init(&r->scratch, 4096, 64u << 20);
}

void vg_csv_release(struct vg_csv_reader *r)
{
    if (r == NULL) {
        return;
    }
    vg_arena_release(&r->scratch);
}

struct vg_slice vg_csv_field(const struct vg_csv_reader *r, size_t i)
{
    return i < r->nfields ? r->fields[i] : VG_SLICE_EMPTY;
}

int vg_csv_find_column(const struct vg_csv_reader *r, const char *name)
{
    for (size_t i = 0; i < r->nfields; i++) {
        if (vg_slice_ieq_cstr(vg_slice_trim(r->fields[i]), name)) {
            return (int)i;
        }
    }
    return -1;
}

/* Skips to just after the next line end (used to recover from a bad record). */
static void skip_line(struct vg_csv_reader *r)
{
    while (r->pos < r->len && r->data[r->pos] != '\n') {
        r->pos++;
    }
    if (r->pos < r->len) {
        r->pos++;
        r->line++;
    }
}

enum vg_status vg_csv_next(struct vg_csv_reader *r, struct vg_error *err)
{
    vg_arena_reset(&r->scratch);
    r->nfields = 0;
    const char *d = r->data;
    /* Skip blank lines. */
    while (r->pos < r->len && (d[r->pos] == '\n' || d[r->pos] == '\r')) {
        if (d[r->pos] == '\n') {
            r->line++;
        }
        r->pos++;
    }
    if (r->pos >= r->len) {
        return VG_ENOTFOUND;
    }
    r->record++;
    r->record_offset = r->pos;
    r->record_line = r->line;
    uint32_t start_line = r->line;
    for (;;) {
        if (r->nfields == VG_CSV_MAX_FIELDS) {
            vg_error_at(err, NULL, start_line, 0, r->record_offset, r->record);
            skip_line(r);
            return vg_error_set(err, VG_ELIMIT, "record has more than %d fields",
                                VG_CSV_MAX_FIELDS);
        }
        struct vg_slice *f = &r->fields[r->nfields++];
        if (r->pos < r->len && d[r->pos] == '"') {
            size_t open = r->pos;
            size_t p = r->pos + 1;
            size_t start = p;
            bool escaped = false;
            for (;;) {
                if (p >= r->len) {
                    vg_error_at(err, NULL, start_line, 0, open, r->record);
                    r->pos = r->len;
                    return vg_error_set(err, VG_EPARSE, "quoted field is never closed");
                }
                if (d[p] == '"') {
                    if (p + 1 < r->len && d[p + 1] == '"') {
                        escaped = true;
                        p += 2;
                        continue;
                    }
                    break;
                }
                if (d[p] == '\n') {
                    r->line++;
                }
                p++;
            }
            size_t end = p; /* closing quote */
            if (!escaped) {
                *f = vg_slice_make(d + start, end - start);
            } else {
                char *copy = vg_arena_alloc(&r->scratch, end - start);
                if (copy == NULL) {
                    return VG_ENOMEM;
                }
                size_t n = 0;
                for (size_t i = start; i < end; i++) {
                    copy[n++] = d[i];
                    if (d[i] == '"') {
                        i++;
                    }
                }
                *f = vg_slice_make(copy, n);
            }
            p = end + 1;
            /* Tolerate spaces between the closing quote and the delimiter. */
            while (p < r->len && d[p] == ' ') {
                p++;
            }
            r->pos = p;
            if (p < r->len && d[p] != r->delimiter && d[p] != '\n' && d[p] != '\r') {
                vg_error_at(err, NULL, r->line, 0, p, r->record);
                skip_line(r);
                return vg_error_set(err, VG_EPARSE, "unexpected text after a closing quote");
            }
        } else {
            size_t p = r->pos;
            while (p < r->len && d[p] != r->delimiter && d[p] != '\n' && d[p] != '\r') {
                p++;
            }
            *f = vg_slice_make(d + r->pos, p - r->pos);
            r->pos = p;
        }
        if (r->pos >= r->len) {
            return VG_OK;
        }
        char c = d[r->pos];
        if (c == r->delimiter) {
            r->pos++;
            continue;
        }
        /* End of record: CRLF, LF or lone CR. */
        if (c == '\r') {
            r->pos++;
            if (r->pos < r->len && d[r->pos] == '\n') {
                r->pos++;
            }
        } else {
            r->pos++;
        }
        r->line++;
        return VG_OK;
    }
}
