/*
 * A CSV table with a header (vigia/csv.h): the record loop every CSV import shares, so
 * that each import states only its columns and what a row means.
 */
#include <vigia/charset.h>
#include <vigia/csv.h>

static enum vg_status out_of_memory(const struct vg_csv_table *t, struct vg_error *err)
{
    return vg_error_set(err, VG_ENOMEM, "out of memory reading %s", t->source);
}

enum vg_status vg_csv_table_read(const char *data,
                                 size_t len,
                                 const char *source,
                                 const struct vg_csv_table_ops *ops,
                                 void *user,
                                 struct vg_error *err)
{
    struct vg_csv_table t;
    t.source = source != NULL ? source : "-";
    t.data = data;
    t.latin1 = !vg_utf8_valid(data, len);
    vg_csv_init(&t.csv, data, len, ',');
    vg_arena_init(&t.fields, 8192, 16u << 20);
    vg_buf_init(&t.conv, 1u << 20);
    enum vg_status st = VG_OK;
    bool header = false;
    for (;;) {
        struct vg_error rerr;
        vg_error_clear(&rerr);
        st = vg_csv_next(&t.csv, &rerr);
        if (st == VG_ENOTFOUND) {
            st = header ? VG_OK
                        : vg_error_set(err, VG_EFORMAT, "%s: empty file, expected a header %s",
                                       t.source, ops->expected);
            break;
        }
        vg_arena_reset(&t.fields);
        if ((st == VG_EPARSE || st == VG_ELIMIT) && !header) {
            vg_error_at(err, t.source, t.csv.record_line, 0, t.csv.record_offset, 1);
            st = vg_error_set(err, VG_EFORMAT, "broken header: %s", rerr.message);
            break;
        }
        if (st == VG_EPARSE || st == VG_ELIMIT) {
            st = ops->reject(user, &t, rerr.message);
        } else if (st == VG_ENOMEM) {
            st = out_of_memory(&t, err);
            break;
        } else if (st != VG_OK) {
            st = vg_error_set(err, st, "%s", rerr.message);
            break;
        } else if (!header) {
            if ((st = ops->header(user, &t, err)) != VG_OK) {
                break;
            }
            header = true;
            continue;
        } else {
            st = ops->row(user, &t);
        }
        if (st != VG_OK) {
            if (st == VG_ENOMEM) {
                out_of_memory(&t, err);
            }
            break;
        }
    }
    vg_csv_release(&t.csv);
    vg_arena_release(&t.fields);
    vg_buf_release(&t.conv);
    return st;
}

enum vg_status vg_csv_table_text(struct vg_csv_table *t, int col, struct vg_slice *out)
{
    *out = VG_SLICE_EMPTY;
    if (col < 0) {
        return VG_OK;
    }
    struct vg_slice f = vg_slice_trim(vg_csv_field(&t->csv, (size_t)col));
    if (!t->latin1) {
        *out = f;
        return VG_OK;
    }
    vg_buf_reset(&t->conv);
    if (vg_latin1_to_utf8(f.ptr, f.len, &t->conv) != VG_OK) {
        return VG_ENOMEM;
    }
    *out = vg_slice_make(t->conv.data != NULL ? t->conv.data : "", t->conv.len);
    return VG_OK;
}

struct vg_slice vg_csv_table_excerpt(const struct vg_csv_table *t, size_t max)
{
    size_t start = (size_t)t->csv.record_offset;
    size_t end = t->csv.pos > start ? t->csv.pos : start;
    size_t n = end - start;
    return vg_slice_make(t->data + start, n > max ? max : n);
}
