/*
 * Looking things up: a trip by id or container number, one trip's feature record with
 * units, unknown reasons and sources, and the assessments listing that outside checks
 * read (docs/formats.md, "Assessments CSV").
 */
#include "risk/risk_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>

enum vg_status vg_risk_find_trip(
    struct vg_store *store, const char *text, int64_t as_of, int64_t *trip_id, struct vg_error *err)
{
    *trip_id = 0;
    size_t len = text != NULL ? strlen(text) : 0;
    bool digits = len > 0;
    for (size_t i = 0; i < len; i++) {
        digits = digits && text[i] >= '0' && text[i] <= '9';
    }
    sqlite3_stmt *st;
    char num[32]; /* bound without a copy: lives until the step */
    if (digits) {
        static const char sql[] = "SELECT id FROM trips WHERE id = ?1";
        st = vg__store_stmt(store, sql, err);
        if (st == NULL) {
            return err != NULL ? err->code : VG_EDB;
        }
        sqlite3_bind_int64(st, 1, strtoll(text, NULL, 10));
    } else {
        size_t w = 0;
        for (size_t i = 0; i < len && w + 1 < sizeof(num); i++) {
            char ch = text[i];
            if (ch == ' ' || ch == '-') {
                continue;
            }
            num[w++] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 'a' + 'A') : ch;
        }
        num[w] = '\0';
        /* The latest trip that began (its loading, departure or first event) by as_of. */
        static const char sql[] =
            "SELECT t.id FROM trips t JOIN containers k ON k.id = t.container_id"
            " LEFT JOIN port_calls pc ON pc.id = t.port_call_id WHERE k.number = ?1"
            " AND (?2 IS NULL OR coalesce(t.loaded_at, pc.atd, pc.etd, t.departure_at, pc.ata,"
            " pc.eta) <= ?2)"
            " ORDER BY coalesce(t.loaded_at, pc.atd, pc.etd, t.departure_at, pc.ata, pc.eta) DESC,"
            " t.id DESC LIMIT 1";
        st = vg__store_stmt(store, sql, err);
        if (st == NULL) {
            return err != NULL ? err->code : VG_EDB;
        }
        vg__bind_text(st, 1, num);
        vg__bind_int64_or_null(st, 2, as_of, VG_TIME_NONE);
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *trip_id = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "looking up a trip", err);
    }
    if (*trip_id == 0) {
        return vg_error_set(err, VG_ENOTFOUND, "no trip '%s'%s", text != NULL ? text : "",
                            digits ? "" : " (no trip of that container)");
    }
    return VG_OK;
}

enum vg_status vg_risk_features_list(struct vg_store *store,
                                     int64_t trip_id,
                                     int64_t as_of,
                                     const struct vg_row_sink *sink,
                                     struct vg_error *err)
{
    if (as_of == VG_TIME_NONE) {
        as_of = vg_time_now();
    }
    struct rk_ctx *c = vg_calloc(1, sizeof(*c));
    if (c == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    struct vg_arena arena;
    vg_arena_init(&arena, 64u << 10, 0);
    struct vg_buf val, why, srcs;
    vg_buf_init(&val, 1u << 20);
    vg_buf_init(&why, 1u << 20);
    vg_buf_init(&srcs, 1u << 20);
    struct rk_citer citer;
    rk_citer_init(&citer, store, c);
    struct vg_value *rec = vg_calloc(VG_F_COUNT, sizeof(*rec));
    struct rk_src(*src)[2] = vg_calloc(VG_F_COUNT, sizeof(*src));
    enum vg_status s = rec != NULL && src != NULL ? VG_OK : VG_ENOMEM;
    if (s != VG_OK) {
        vg_error_set(err, s, "out of memory");
        goto out;
    }
    if ((s = rk_ctx_load(c, store, err)) != VG_OK || (s = rk_ctx_prepare(c, err)) != VG_OK) {
        goto out;
    }
    uint32_t ti = trip_id > 0 && (size_t)trip_id < c->trip_ids ? c->trip_by_id[trip_id] : 0;
    if (ti == 0) {
        s = vg_error_set(err, VG_ENOTFOUND, "no trip %lld", (long long)trip_id);
        goto out;
    }
    ti--;
    if ((s = rk_compute(c, ti, as_of, &arena, rec, src, NULL, err)) != VG_OK) {
        goto out;
    }
    static const char *const cols[] = { "feature", "value", "type", "state", "reason", "source" };
    static const char *const types[] = { "", "number", "bool", "string", "list" };
    if (sink->columns != NULL) {
        sink->columns(sink->user, 6, cols);
    }
    const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, ti);
    char a[64], b[64], id[32];
    snprintf(id, sizeof(id), "%lld", (long long)t->id);
    vg_time_format_iso8601(as_of, a, sizeof(a));
    vg_time_format_iso8601(t->t_ref, b, sizeof(b));
    const char *head[3][6] = {
        { "_trip", id, "", "known", "", "" },
        { "_as_of", a, "", "known", "", "" },
        { "_reference_time", b, "", t->t_ref != VG_TIME_NONE ? "known" : "unknown",
          t->t_ref != VG_TIME_NONE ? "" : "loading or discharge time not known", "" },
    };
    for (int i = 0; i < 3; i++) {
        if (sink->row(sink->user, 6, head[i]) != 0) {
            goto out;
        }
    }
    const struct vg_feature_schema *cat = vg_feature_catalog();
    for (size_t f = 0; f < VG_F_COUNT && s == VG_OK; f++) {
        vg_buf_reset(&val);
        vg_buf_reset(&why);
        vg_buf_reset(&srcs);
        const struct vg_feature_def *d = &cat->defs[f];
        bool known = rec[f].kind != VG_VALUE_UNKNOWN;
        if (known) {
            s = vg_rules_format_value(d, &rec[f], &val);
        } else if (rec[f].as.string.len > 0) {
            s = vg_buf_append(&why, rec[f].as.string.ptr, rec[f].as.string.len);
        }
        for (int k = 0; k < 2 && s == VG_OK && src[f][k].kind != RK_SRC_NONE; k++) {
            if (k > 0) {
                s = vg_buf_append_cstr(&srcs, "; ");
            }
            if (s == VG_OK) {
                s = rk_cite_text(&citer, &src[f][k], &srcs);
            }
        }
        if (s != VG_OK) {
            vg_error_set(err, s, "out of memory");
            break;
        }
        const char *row[6] = { d->name,
                               known ? (val.data != NULL ? val.data : "") : "",
                               types[d->type],
                               known ? "known" : "unknown",
                               why.data != NULL ? why.data : "",
                               srcs.data != NULL ? srcs.data : "" };
        const enum vg_cell_kind kinds[6] = {
            VG_CELL_TEXT, known && d->type == VG_FEATURE_NUMBER ? VG_CELL_REAL : VG_CELL_TEXT,
            VG_CELL_TEXT, VG_CELL_TEXT,
            VG_CELL_TEXT, VG_CELL_TEXT,
        };
        if (vg_row_sink_emit(sink, 6, row, kinds) != 0) {
            break;
        }
    }
out:
    rk_citer_release(&citer);
    vg_free(rec);
    vg_free(src);
    vg_buf_release(&val);
    vg_buf_release(&why);
    vg_buf_release(&srcs);
    vg_arena_release(&arena);
    rk_ctx_release(c);
    vg_free(c);
    return s;
}

enum vg_status vg_risk_assessments_list(struct vg_store *store,
                                        const struct vg_risk_filter *filter,
                                        const struct vg_row_sink *sink,
                                        struct vg_error *err)
{
    /* The query, with (features) the feature record as a last column. */
#define ASSESSMENTS_SQL(features_in, features_out)                                                     \
 "WITH x AS (SELECT a.id AS aid, a.trip_id, a.version, a.moment, a.as_of, a.score, a.band,"            \
 "   a.mandatory_hold, a.rule_set_id, a.model_id, t.port, t.container_id, t.port_call_id," features_in \
 "   coalesce(pc.atd, t.departure_at, pc.etd, t.loaded_at, pc.ata, pc.eta) AS dep"                     \
 "  FROM assessments a JOIN trips t ON t.id = a.trip_id"                                               \
 "  LEFT JOIN port_calls pc ON pc.id = t.port_call_id"                                                 \
 "  WHERE (?1 = 'all' OR a.version = (SELECT max(version) FROM assessments a2"                         \
 "         WHERE a2.trip_id = a.trip_id))"                                                             \
 "    AND (?2 IS NULL OR coalesce(pc.atd, t.departure_at, pc.etd, t.loaded_at, pc.ata,"                \
 "         pc.eta) >= CAST(?2 AS INTEGER))"                                                            \
 "    AND (?3 IS NULL OR coalesce(pc.atd, t.departure_at, pc.etd, t.loaded_at, pc.ata,"                \
 "         pc.eta) < CAST(?3 AS INTEGER))"                                                             \
 "    AND (?4 IS NULL OR t.port = ?4))"                                                                \
 " SELECT k.number AS container,"                                                                      \
 "  (SELECT group_concat(bl, ';') FROM (SELECT DISTINCT c.bl_number AS bl"                             \
 "    FROM consignment_equipment e JOIN consignments c ON c.id = e.consignment_id"                     \
 "    WHERE e.container_id = x.container_id AND c.port_call_id IS x.port_call_id"                      \
 "      AND c.status != 'cancelled' ORDER BY c.bl_number)) AS bill_of_lading,"                         \
 "  x.port AS port,"                                                                                   \
 "  strftime('%Y-%m-%dT%H:%M:%SZ', x.dep, 'unixepoch') AS departure,"                                  \
 "  x.moment AS moment, printf('%.4f', x.score) AS score, x.band AS band,"                             \
 "  (SELECT group_concat(text, ' | ') FROM (SELECT text FROM assessment_reasons r"                     \
 "    WHERE r.assessment_id = x.aid"                                                                   \
 "      AND r.kind IN ('rule', 'list', 'consignment', 'graded', 'model')"                              \
 "    ORDER BY r.seq)) AS reasons,"                                                                    \
 "  x.trip_id AS trip, x.version AS version,"                                                          \
 "  strftime('%Y-%m-%dT%H:%M:%SZ', x.as_of, 'unixepoch') AS as_of,"                                    \
 "  CASE x.mandatory_hold WHEN 1 THEN 'yes' ELSE 'no' END AS hold,"                                    \
 "  rs.name || ' ' || rs.version AS rule_set, m.version AS model,"                                     \
 "  (SELECT text FROM assessment_reasons r WHERE r.assessment_id = x.aid"                              \
 "    AND r.kind = 'missing') AS missing_feeds" features_out                                           \
 " FROM x JOIN containers k ON k.id = x.container_id"                                                  \
 " LEFT JOIN rule_sets rs ON rs.id = x.rule_set_id LEFT JOIN models m ON m.id = x.model_id"            \
 " ORDER BY x.dep, x.port, k.number, x.version"
    static const char plain[] = ASSESSMENTS_SQL("", "");
    static const char with_features[] =
        ASSESSMENTS_SQL(" a.features,", ", vg_feature_record(x.features) AS features");
#undef ASSESSMENTS_SQL
    bool features = filter != NULL && filter->features;
    if (features) {
        enum vg_status s = rk_record_sql_function(store, err);
        if (s != VG_OK) {
            return s;
        }
    }
    char from[32], to[32];
    const char *params[4] = { filter != NULL && filter->all ? "all" : "latest", NULL, NULL, NULL };
    if (filter != NULL && filter->from != VG_TIME_NONE) {
        snprintf(from, sizeof(from), "%lld", (long long)filter->from);
        params[1] = from;
    }
    if (filter != NULL && filter->to != VG_TIME_NONE) {
        snprintf(to, sizeof(to), "%lld", (long long)filter->to);
        params[2] = to;
    }
    if (filter != NULL) {
        params[3] = filter->port;
    }
    return vg__store_query_rows(store, features ? with_features : plain, params, 4, sink, err);
}
