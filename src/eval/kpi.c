/*
 * Targeting KPIs (vigia/kpi.h) from targets, inspections and outcomes.
 *
 * An examination at origin is an outcome not found in transit or at destination. Its
 * selection is the reason of the vigia target it closed, else the word of the outcomes
 * file (targeted, random, partner). Only the random stream estimates, without bias, how
 * many trips carry drugs: every other selection looks where drugs were expected.
 */
#include "store/store_int.h"
#include "target/target_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <vigia/eval.h>
#include <vigia/kpi.h>
#include <vigia/time.h>

/* ?1 port, ?2 from, ?3 to (text, NULL when open). */
#define EX_CTE                                                                      \
 "ex AS (SELECT o.id, o.port, o.inspected_at, o.result, o.trip_id,"                 \
 " CASE WHEN o.result = 'drugs' THEN coalesce(o.kg, 0) ELSE 0 END AS kg,"           \
 " coalesce(tg.reason, CASE WHEN o.selection IN ('targeted', 'random', 'partner')"  \
 "   THEN o.selection ELSE 'unknown' END) AS selection, tg.id AS target_id"         \
 " FROM outcomes o LEFT JOIN inspections i ON i.id = o.inspection_id"               \
 " LEFT JOIN targets tg ON tg.id = i.target_id"                                     \
 " WHERE coalesce(o.found_at, 'origin') = 'origin' AND (?1 IS NULL OR o.port = ?1)" \
 " AND (?2 IS NULL OR o.inspected_at >= CAST(?2 AS INTEGER))"                       \
 " AND (?3 IS NULL OR o.inspected_at < CAST(?3 AS INTEGER)))"

#define TG_CTE                                                                \
 "tgs AS (SELECT tg.* FROM targets tg JOIN target_runs r ON r.id = tg.run_id" \
 " WHERE tg.state <> 'superseded' AND (?1 IS NULL OR r.port = ?1)"            \
 " AND (?2 IS NULL OR r.day_start >= CAST(?2 AS INTEGER))"                    \
 " AND (?3 IS NULL OR r.day_start < CAST(?3 AS INTEGER)))"

static const char summary_sql[] =
    "WITH " EX_CTE ", " TG_CTE " SELECT (SELECT count(*) FROM ex) AS inspections,"
    " (SELECT count(*) FROM ex WHERE result = 'drugs') AS positives,"
    " (SELECT vg_rate(sum(result = 'drugs'), count(*)) FROM ex) AS hit_rate,"
    " (SELECT count(*) FROM ex WHERE result = 'other') AS other_findings,"
    " (SELECT printf('%g', total(kg)) FROM ex) AS kg,"
    " (SELECT CASE WHEN count(*) = 0 THEN '' ELSE printf('%.1f', total(kg) / count(*)) END"
    "   FROM ex) AS kg_per_inspection,"
    " (SELECT count(*) FROM tgs) AS targets,"
    " (SELECT count(*) FROM tgs WHERE state = 'selected') AS pending,"
    " (SELECT count(*) FROM tgs WHERE state = 'waived') AS waived,"
    " (SELECT vg_rate(sum(state = 'waived'), count(*)) FROM tgs) AS waiver_rate";

static const char selection_sql[] =
    "WITH " EX_CTE " SELECT selection, count(*) AS inspections, sum(result = 'drugs') AS positives,"
    " vg_rate(sum(result = 'drugs'), count(*)) AS hit_rate,"
    " sum(result = 'other') AS other_findings, printf('%g', total(kg)) AS kg,"
    " printf('%.1f', total(kg) / count(*)) AS kg_per_inspection FROM ex GROUP BY selection"
    " ORDER BY CASE selection WHEN 'hold' THEN 1 WHEN 'rule' THEN 2 WHEN 'list' THEN 3"
    " WHEN 'model' THEN 4 WHEN 'score' THEN 5 WHEN 'vessel' THEN 6 WHEN 'targeted' THEN 7"
    " WHEN 'random' THEN 8 WHEN 'partner' THEN 9 ELSE 10 END";

static const char random_sql[] =
    "WITH " EX_CTE " SELECT (SELECT count(*) FROM ex WHERE selection = 'random'),"
    " (SELECT count(*) FROM ex WHERE selection = 'random' AND result = 'drugs'),"
    " (SELECT min(inspected_at) FROM ex), (SELECT max(inspected_at) FROM ex)";

static const char trips_sql[] =
    "SELECT count(*) FROM trips t LEFT JOIN port_calls pc ON pc.id = t.port_call_id"
    " WHERE t.direction <> 'import' AND (?1 IS NULL OR t.port = ?1)"
    " AND " VG__TRIP_TIME_SQL " >= ?2 AND " VG__TRIP_TIME_SQL " < ?3";

static const char rule_sql[] =
    "WITH " EX_CTE ", " TG_CTE
    " SELECT ar.code AS rule, max(ar.text) AS title, count(DISTINCT tgs.id) AS selected,"
    " count(DISTINCT ex.id) AS inspected,"
    " count(DISTINCT CASE WHEN ex.result = 'drugs' THEN ex.id END) AS positives,"
    " vg_rate(count(DISTINCT CASE WHEN ex.result = 'drugs' THEN ex.id END),"
    "   count(DISTINCT ex.id)) AS hit_rate,"
    " printf('%g', total(ex.kg)) AS kg"
    " FROM tgs JOIN assessment_reasons ar ON ar.assessment_id = tgs.assessment_id"
    "   AND ar.kind LIKE 'rule%' AND ar.code IS NOT NULL"
    " LEFT JOIN ex ON ex.target_id = tgs.id"
    " WHERE tgs.trip_id IS NOT NULL GROUP BY ar.code"
    " ORDER BY positives DESC, selected DESC, rule";

static const char port_sql[] =
    "WITH " EX_CTE " SELECT port, count(*) AS inspections, sum(result = 'drugs') AS positives,"
    " vg_rate(sum(result = 'drugs'), count(*)) AS hit_rate, printf('%g', total(kg)) AS kg,"
    " printf('%.1f', total(kg) / count(*)) AS kg_per_inspection FROM ex GROUP BY port"
    " ORDER BY port";

static const char abroad_sql[] =
    "WITH ab AS (SELECT o.id, o.result, o.trip_id,"
    " CASE WHEN o.result = 'drugs' THEN coalesce(o.kg, 0) ELSE 0 END AS kg,"
    " EXISTS (SELECT 1 FROM targets tg WHERE tg.trip_id = o.trip_id"
    "   AND tg.state <> 'superseded') AS targeted,"
    " EXISTS (SELECT 1 FROM outcomes x WHERE x.trip_id = o.trip_id"
    "   AND coalesce(x.found_at, 'origin') = 'origin') AS examined,"
    " EXISTS (SELECT 1 FROM outcomes x WHERE x.trip_id = o.trip_id"
    "   AND coalesce(x.found_at, 'origin') = 'origin' AND x.result = 'negative') AS cleared"
    " FROM outcomes o LEFT JOIN trips t ON t.id = o.trip_id"
    " WHERE o.found_at IN ('transit', 'destination') AND (?1 IS NULL OR t.port = ?1)"
    " AND (?2 IS NULL OR o.inspected_at >= CAST(?2 AS INTEGER))"
    " AND (?3 IS NULL OR o.inspected_at < CAST(?3 AS INTEGER)))"
    " SELECT count(*) AS finds, coalesce(sum(result = 'drugs'), 0) AS with_drugs,"
    " printf('%g', total(kg)) AS kg, count(trip_id) AS linked,"
    " coalesce(sum(targeted), 0) AS targeted, coalesce(sum(examined), 0) AS examined_at_origin,"
    " coalesce(sum(result = 'drugs' AND cleared), 0) AS missed_by_examination,"
    " coalesce(sum(result = 'drugs' AND trip_id IS NOT NULL AND NOT targeted AND NOT examined),"
    "   0) AS missed_by_selection FROM ab";

static const char disposition_sql[] =
    "WITH " TG_CTE " SELECT tgs.state, CASE WHEN i.waiver_code IS NOT NULL THEN i.waiver_code"
    "   WHEN i.waiver_reason IS NOT NULL THEN 'reason given' END AS waiver,"
    " count(*) AS targets, printf('%.4f', count(*) * 1.0 / (SELECT count(*) FROM tgs)) AS share"
    " FROM tgs LEFT JOIN inspections i ON i.id = (SELECT max(id) FROM inspections"
    "   WHERE target_id = tgs.id)"
    " GROUP BY 1, 2 ORDER BY 1, 2";

static enum vg_status section(struct vg_store *store,
                              const struct vg_report_sink *sink,
                              const char *key,
                              const char *title,
                              bool record,
                              const char *sql,
                              const char *const *params,
                              struct vg_error *err)
{
    if (sink->section != NULL) {
        sink->section(sink->user, key, title, record);
    }
    return vg__store_query_rows(store, sql, params, 3, &sink->rows, err);
}

static void fmt_rate(char *buf, size_t size, double x)
{
    if (isnan(x)) {
        buf[0] = '\0';
    } else {
        snprintf(buf, size, "%.4f", x);
    }
}

static void fmt_count(char *buf, size_t size, double x)
{
    if (isnan(x)) {
        buf[0] = '\0';
    } else {
        snprintf(buf, size, "%.1f", x);
    }
}

static enum vg_status random_stream(struct vg_store *store,
                                    const struct vg_report_sink *sink,
                                    const char *const *params,
                                    const struct vg_kpi_filter *f,
                                    struct vg_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(store->db, random_sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        return vg__store_error(store, rc, "reading the random stream", err);
    }
    for (int i = 0; i < 3; i++) {
        vg__bind_text(st, i + 1, params[i]);
    }
    rc = sqlite3_step(st);
    int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    int64_t hits = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    bool any = rc == SQLITE_ROW && sqlite3_column_type(st, 2) != SQLITE_NULL;
    int64_t first = any ? sqlite3_column_int64(st, 2) : 0;
    int64_t last = any ? sqlite3_column_int64(st, 3) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
        return vg__store_error(store, rc, "reading the random stream", err);
    }
    /* The trips of the period: the filter's, else from the first examination to the day
     * after the last (an export leaves after it is examined). */
    int64_t from = f->from != VG_TIME_NONE ? f->from : first;
    int64_t to = f->to != VG_TIME_NONE ? f->to : last + 86400;
    int64_t trips = 0;
    if (any || (f->from != VG_TIME_NONE && f->to != VG_TIME_NONE)) {
        rc = sqlite3_prepare_v2(store->db, trips_sql, -1, &st, NULL);
        if (rc != SQLITE_OK) {
            return vg__store_error(store, rc, "counting trips", err);
        }
        vg__bind_text(st, 1, params[0]);
        sqlite3_bind_int64(st, 2, from);
        sqlite3_bind_int64(st, 3, to);
        rc = sqlite3_step(st);
        trips = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW) {
            return vg__store_error(store, rc, "counting trips", err);
        }
    }
    struct vg_interval w = vg_wilson(hits, n, 1.96);
    char v[9][32];
    snprintf(v[0], sizeof(v[0]), "%lld", (long long)n);
    snprintf(v[1], sizeof(v[1]), "%lld", (long long)hits);
    fmt_rate(v[2], sizeof(v[2]), w.estimate);
    fmt_rate(v[3], sizeof(v[3]), w.low);
    fmt_rate(v[4], sizeof(v[4]), w.high);
    snprintf(v[5], sizeof(v[5]), "%lld", (long long)trips);
    fmt_count(v[6], sizeof(v[6]), w.estimate * (double)trips);
    fmt_count(v[7], sizeof(v[7]), w.low * (double)trips);
    fmt_count(v[8], sizeof(v[8]), w.high * (double)trips);
    static const char *const cols[9] = { "inspections",
                                         "positives",
                                         "hit_rate",
                                         "ci95_low",
                                         "ci95_high",
                                         "trips",
                                         "estimated_trips_with_drugs",
                                         "estimate_low",
                                         "estimate_high" };
    const char *vals[9];
    for (int i = 0; i < 9; i++) {
        vals[i] = v[i];
    }
    if (sink->section != NULL) {
        sink->section(sink->user, "random_stream",
                      "Random stream: unbiased share of trips with drugs (Wilson 95%)", true);
    }
    if (sink->rows.columns != NULL) {
        sink->rows.columns(sink->rows.user, 9, cols);
    }
    static const enum vg_cell_kind kinds[] = { VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_REAL,
                                               VG_CELL_REAL,    VG_CELL_REAL,    VG_CELL_INTEGER,
                                               VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER };
    vg_row_sink_emit(&sink->rows, 9, vals, kinds);
    return VG_OK;
}

enum vg_status vg_kpi_report(struct vg_store *store,
                             const struct vg_kpi_filter *f,
                             const struct vg_report_sink *sink,
                             struct vg_error *err)
{
    char port[6], from[24], to[24];
    const char *params[3] = { NULL, NULL, NULL };
    if (f->port != NULL) {
        enum vg_status st = vg__target_port(f->port, port, err);
        if (st != VG_OK) {
            return st;
        }
        params[0] = port;
    }
    if (f->from != VG_TIME_NONE) {
        snprintf(from, sizeof(from), "%lld", (long long)f->from);
        params[1] = from;
    }
    if (f->to != VG_TIME_NONE) {
        snprintf(to, sizeof(to), "%lld", (long long)f->to);
        params[2] = to;
    }
    enum vg_status st = vg__sql_functions(store, err);
    if (st == VG_OK) {
        st = section(store, sink, "summary", "Summary", true, summary_sql, params, err);
    }
    if (st == VG_OK) {
        st = section(store, sink, "by_selection", "Hit rate by selection reason", false,
                     selection_sql, params, err);
    }
    if (st == VG_OK) {
        st = random_stream(store, sink, params, f, err);
    }
    if (st == VG_OK) {
        st = section(store, sink, "by_rule", "Hit rate per rule (selected targets)", false,
                     rule_sql, params, err);
    }
    if (st == VG_OK) {
        st = section(store, sink, "by_port", "Per port", false, port_sql, params, err);
    }
    if (st == VG_OK) {
        st = section(store, sink, "finds_abroad", "Finds abroad, linked back to their trips", true,
                     abroad_sql, params, err);
    }
    if (st == VG_OK) {
        st = section(store, sink, "dispositions", "How targets ended", false, disposition_sql,
                     params, err);
    }
    return st;
}
