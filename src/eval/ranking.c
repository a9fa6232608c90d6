/* Rankings to evaluate: the assessments CSV (docs/formats.md) or the store's latest
 * assessments. */
#include "store/store_int.h"
#include "target/target_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/arena.h>
#include <vigia/csv.h>
#include <vigia/eval.h>
#include <vigia/ident.h>
#include <vigia/time.h>

void vg_ranking_init(struct vg_ranking *r)
{
    memset(r, 0, sizeof(*r));
}

void vg_ranking_release(struct vg_ranking *r)
{
    if (r == NULL) {
        return;
    }
    if (r->strings != NULL) {
        vg_arena_release(r->strings);
        vg_free(r->strings);
    }
    vg_free(r->rows);
    memset(r, 0, sizeof(*r));
}

static enum vg_status
push(struct vg_ranking *r, const struct vg_rank_row *row, const char *bills, size_t bills_len)
{
    if (r->strings == NULL) {
        struct vg_arena *a = vg_malloc(sizeof(*a));
        if (a == NULL) {
            return VG_ENOMEM;
        }
        vg_arena_init(a, 1u << 16, 0);
        r->strings = a;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 1024;
        struct vg_rank_row *rows = vg_reallocarray(r->rows, cap, sizeof(*rows));
        if (rows == NULL) {
            return VG_ENOMEM;
        }
        r->rows = rows;
        r->cap = cap;
    }
    char *b =
        vg_arena_strndup(r->strings, bills != NULL ? bills : "", bills != NULL ? bills_len : 0);
    if (b == NULL) {
        return VG_ENOMEM;
    }
    r->rows[r->n] = *row;
    r->rows[r->n].bills = b;
    r->n++;
    return VG_OK;
}

enum { COL_CONTAINER, COL_BL, COL_PORT, COL_DEPARTURE, COL_SCORE, COLS };
static const char *const names[COLS] = { "container", "bill_of_lading", "port", "departure",
                                         "score" };

static bool
read_row(const struct vg_csv_reader *csv, const int *col, struct vg_rank_row *row, const char **why)
{
    char buf[64];
    struct vg_slice f = vg_slice_trim(vg_csv_field(csv, (size_t)col[COL_CONTAINER]));
    struct vg_container_number cn;
    enum vg_status cs = vg_container_parse(f, &cn, NULL);
    if (cs != VG_OK && cs != VG_ECHECK) {
        *why = "container is not an ISO 6346 number";
        return false;
    }
    snprintf(row->container, sizeof(row->container), "%s", cn.text);
    f = vg_slice_trim(vg_csv_field(csv, (size_t)col[COL_PORT]));
    cs = vg_locode_parse(f, row->port, NULL);
    if (cs != VG_OK && cs != VG_ECHECK) {
        *why = "port is not a UN/LOCODE";
        return false;
    }
    f = vg_slice_trim(vg_csv_field(csv, (size_t)col[COL_DEPARTURE]));
    if (vg_time_parse_iso8601(f, NULL, &row->departure, NULL) != VG_OK) {
        *why = "departure is not an ISO 8601 time";
        return false;
    }
    f = vg_slice_trim(vg_csv_field(csv, (size_t)col[COL_SCORE]));
    if (f.len == 0 || f.len >= sizeof(buf) ||
        vg_slice_to_double(vg_slice_make(vg_slice_copy(f, buf, sizeof(buf)), f.len), &row->score) !=
            VG_OK ||
        !isfinite(row->score)) {
        *why = "score is not a number";
        return false;
    }
    row->assessed = true;
    return true;
}

enum vg_status vg_ranking_parse_csv(const char *data,
                                    size_t len,
                                    const char *source,
                                    struct vg_ranking *r,
                                    vg_problem_fn on_problem,
                                    void *user,
                                    struct vg_error *err)
{
    source = source != NULL ? source : "-";
    struct vg_csv_reader csv;
    vg_csv_init(&csv, data, len, ',');
    int col[COLS];
    bool header = false;
    enum vg_status st = VG_OK;
    for (;;) {
        struct vg_error rerr;
        vg_error_clear(&rerr);
        st = vg_csv_next(&csv, &rerr);
        if (st == VG_ENOTFOUND) {
            st = header
                     ? VG_OK
                     : vg_error_set(err, VG_EFORMAT, "%s: empty, expected a ranking CSV", source);
            break;
        }
        if (st == VG_OK && !header) {
            for (int i = 0; i < COLS; i++) {
                col[i] = vg_csv_find_column(&csv, names[i]);
                if (col[i] < 0 && i != COL_BL) {
                    vg_error_at(err, source, csv.record_line, 0, csv.record_offset, 1);
                    st = vg_error_set(err, VG_EFORMAT,
                                      "not a ranking CSV: the header lacks the column %s "
                                      "(needs container, port, departure, score)",
                                      names[i]);
                    break;
                }
            }
            if (st != VG_OK) {
                break;
            }
            header = true;
            continue;
        }
        if (st == VG_ENOMEM) {
            vg_error_set(err, st, "out of memory reading %s", source);
            break;
        }
        struct vg_rank_row row;
        memset(&row, 0, sizeof(row));
        const char *why = rerr.message;
        if (st == VG_OK && read_row(&csv, col, &row, &why)) {
            struct vg_slice bl = col[COL_BL] >= 0
                                     ? vg_slice_trim(vg_csv_field(&csv, (size_t)col[COL_BL]))
                                     : VG_SLICE_EMPTY;
            st = push(r, &row, bl.ptr, bl.len);
            if (st != VG_OK) {
                vg_error_set(err, st, "out of memory reading %s", source);
                break;
            }
            continue;
        }
        if (!header) {
            vg_error_at(err, source, csv.record_line, 0, csv.record_offset, 1);
            st = vg_error_set(err, VG_EFORMAT, "broken header: %s", why);
            break;
        }
        r->rejected++;
        st = VG_OK;
        if (on_problem != NULL) {
            struct vg_error e;
            vg_error_clear(&e);
            vg_error_at(&e, source, csv.record_line, 0, csv.record_offset, csv.record);
            vg_error_set(&e, VG_EPARSE, "%s", why);
            on_problem(user, true, &e);
        }
    }
    vg_csv_release(&csv);
    return st;
}

enum vg_status vg_ranking_from_store(
    struct vg_store *store, int64_t from, int64_t to, struct vg_ranking *r, struct vg_error *err)
{
    static const char sql[] = "SELECT c.number, " VG__TRIP_BLS_SQL ","
                              " t.port, " VG__TRIP_TIME_SQL ", a.score"
                              " FROM trips t JOIN containers c ON c.id = t.container_id"
                              " LEFT JOIN port_calls pc ON pc.id = t.port_call_id"
                              " LEFT JOIN assessments a ON a.id = (SELECT a2.id FROM assessments a2"
                              "   WHERE a2.trip_id = t.id ORDER BY a2.version DESC LIMIT 1)"
                              " WHERE t.direction <> 'import' AND " VG__TRIP_TIME_SQL " >= ?1"
                              " AND " VG__TRIP_TIME_SQL " < ?2 ORDER BY t.id";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    int rc;
    enum vg_status s = VG_OK;
    while (s == VG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct vg_rank_row row;
        memset(&row, 0, sizeof(row));
        snprintf(row.container, sizeof(row.container), "%s",
                 (const char *)sqlite3_column_text(st, 0));
        snprintf(row.port, sizeof(row.port), "%s", (const char *)sqlite3_column_text(st, 2));
        row.departure = sqlite3_column_int64(st, 3);
        row.assessed = sqlite3_column_type(st, 4) != SQLITE_NULL;
        row.score = row.assessed ? sqlite3_column_double(st, 4) : -1;
        const char *bills = (const char *)sqlite3_column_text(st, 1);
        s = push(r, &row, bills, bills != NULL ? strlen(bills) : 0);
    }
    sqlite3_reset(st);
    if (s != VG_OK) {
        return vg_error_set(err, s, "out of memory reading the ranking");
    }
    return rc == SQLITE_DONE ? VG_OK : vg__store_error(store, rc, "reading assessments", err);
}
