/*
 * Row buffers: the writer's rows for the high-volume child tables (parties of a
 * consignment, equipment, goods, placements, events, seals) are collected while a document
 * is written and inserted when it ends, up to 64 rows per INSERT statement. One statement
 * execution per row cost as much as the B-tree work itself (statement start and reset,
 * cursors opened and closed: Debian's SQLite has no lookaside memory, so each cursor is a
 * malloc and a free); per 64 rows it is paid once. Rows go in in the order they were added,
 * so the store is the same as with one statement per row, row ids included.
 */
#include "ingest/session_int.h"

#include <stdio.h>
#include <string.h>

#include <vigia/alloc.h>

const int vg__ing_chunk_rows[ING_ROWBUF_SIZES] = { 64, 16, 4, 1 };

int vg__ing_chunk_pick(size_t left)
{
    int size = 0;
    while ((size_t)vg__ing_chunk_rows[size] > left) {
        size++;
    }
    return size;
}

void vg__ing_rowbuf_init(struct ing_rowbuf *rb, const char *insert, int ncols)
{
    memset(rb, 0, sizeof(*rb));
    rb->insert = insert;
    rb->ncols = ncols;
}

void vg__ing_rowbuf_release(struct ing_rowbuf *rb)
{
    for (int i = 0; i < ING_ROWBUF_SIZES; i++) {
        sqlite3_finalize(rb->stmt[i]);
        rb->stmt[i] = NULL;
    }
    vg_free(rb->vals);
    rb->vals = NULL;
    rb->nrows = rb->cap = 0;
}

struct ing_val *vg__ing_rowbuf_add(struct ing_rowbuf *rb)
{
    size_t need = (rb->nrows + 1) * (size_t)rb->ncols;
    if (need > rb->cap) {
        size_t cap = rb->cap == 0 ? (size_t)rb->ncols * 64 : rb->cap * 2;
        struct ing_val *v = vg_reallocarray(rb->vals, cap, sizeof(*v));
        if (v == NULL) {
            return NULL;
        }
        rb->vals = v;
        rb->cap = cap;
    }
    struct ing_val *row = rb->vals + rb->nrows * (size_t)rb->ncols;
    memset(row, 0, sizeof(*row) * (size_t)rb->ncols);
    rb->nrows++;
    return row;
}

void vg__ing_val_int(struct ing_val *v, int64_t x, int64_t null_value)
{
    if (x != null_value) {
        v->type = SQLITE_INTEGER;
        v->i = x;
    }
}

void vg__ing_val_double(struct ing_val *v, double x)
{
    if (!isnan(x)) {
        v->type = SQLITE_FLOAT;
        v->d = x;
    }
}

bool vg__ing_val_text(struct vg_arena *arena, struct ing_val *v, const char *text)
{
    if (text == NULL) {
        return true;
    }
    size_t len = strlen(text);
    v->t = vg_arena_strndup(arena, text, len);
    if (v->t == NULL) {
        return false;
    }
    v->type = SQLITE_TEXT;
    v->len = (int)len;
    return true;
}

void vg__ing_val_text_kept(struct ing_val *v, const char *text)
{
    if (text != NULL) {
        v->type = SQLITE_TEXT;
        v->t = text;
        v->len = (int)strlen(text);
    }
}

/* The INSERT of rows rows, prepared on first use and kept by the session. */
static sqlite3_stmt *chunk_stmt(struct vg_store *store, struct ing_rowbuf *rb, int size,
                                struct vg_error *err)
{
    if (rb->stmt[size] != NULL) {
        return rb->stmt[size];
    }
    struct vg_buf sql;
    vg_buf_init(&sql, 0);
    enum vg_status st = vg_buf_append_cstr(&sql, rb->insert);
    for (int r = 0; r < vg__ing_chunk_rows[size] && st == VG_OK; r++) {
        st = vg_buf_append_cstr(&sql, r == 0 ? " VALUES(" : ",(");
        for (int c = 0; c < rb->ncols && st == VG_OK; c++) {
            st = vg_buf_append(&sql, c == 0 ? "?" : ",?", c == 0 ? 1 : 2);
        }
        if (st == VG_OK) {
            st = vg_buf_append_char(&sql, ')');
        }
    }
    if (st != VG_OK) {
        vg_buf_release(&sql);
        vg_error_set(err, st, "out of memory preparing an insert");
        return NULL;
    }
    int rc = sqlite3_prepare_v3(store->db, sql.data, (int)sql.len, SQLITE_PREPARE_PERSISTENT,
                                &rb->stmt[size], NULL);
    vg_buf_release(&sql);
    if (rc != SQLITE_OK) {
        vg__store_error(store, rc, "preparing an insert", err);
        return NULL;
    }
    return rb->stmt[size];
}

enum vg_status vg__ing_rowbuf_step(struct vg_store *store, struct ing_rowbuf *rb, size_t start,
                                   size_t *n, struct vg_error *err)
{
    int size = vg__ing_chunk_pick(rb->nrows - start);
    sqlite3_stmt *st = chunk_stmt(store, rb, size, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    const struct ing_val *v = rb->vals + start * (size_t)rb->ncols;
    int nvals = vg__ing_chunk_rows[size] * rb->ncols;
    for (int k = 0; k < nvals; k++, v++) {
        switch (v->type) {
        case SQLITE_INTEGER: sqlite3_bind_int64(st, k + 1, v->i); break;
        case SQLITE_FLOAT: sqlite3_bind_double(st, k + 1, v->d); break;
        case SQLITE_TEXT: sqlite3_bind_text(st, k + 1, v->t, v->len, SQLITE_STATIC); break;
        default: sqlite3_bind_null(st, k + 1); break;
        }
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "recording rows", err);
    }
    *n = (size_t)vg__ing_chunk_rows[size];
    return VG_OK;
}

enum vg_status vg__ing_rowbuf_flush(struct vg_store *store, struct ing_rowbuf *rb,
                                    struct vg_error *err)
{
    size_t done = 0;
    while (done < rb->nrows) {
        size_t n = 0;
        enum vg_status st = vg__ing_rowbuf_step(store, rb, done, &n, err);
        if (st != VG_OK) {
            return st;
        }
        done += n;
    }
    rb->nrows = 0;
    return VG_OK;
}
