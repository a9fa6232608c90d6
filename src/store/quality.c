/* Listings and counts of rejected input and data-quality findings (vigia/quality.h). */
#include "store/store_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <vigia/quality.h>

/* SQL true when the path P is the filter's source (?3): the whole path, or its last parts
 * after a '/' (or after the '!' that begins an archive member's path). */
#define PATH_IS(P)                                                                \
 "(" P " = ?3 OR (length(" P ") > length(?3) AND substr(" P ", -length(?3)) = ?3" \
 " AND substr(" P ", -length(?3) - 1, 1) IN ('/', '!')))"

/* The archive or workbook a source P is a part of ("day.zip" of "day.zip!a/b.edi",
 * "book.xlsx" of "book.xlsx[Events]"), else NULL. */
#define CONTAINER_OF(P)                                                          \
 "(CASE WHEN instr(" P ", '!') > 0 THEN substr(" P ", 1, instr(" P ", '!') - 1)" \
 " WHEN instr(" P ", '[') > 0 THEN substr(" P ", 1, instr(" P ", '[') - 1) END)"

/* SQL true when the file path P matches the filter's source (?3): the path, or the archive
 * or workbook it is a member or sheet of (PATH_IS). */
#define SOURCE_MATCHES(P) "(?3 IS NULL OR " PATH_IS(P) " OR " PATH_IS(CONTAINER_OF(P)) ")"

#define UTC(T) "strftime('%Y-%m-%dT%H:%M:%SZ', " T ", 'unixepoch')"

/* The filter as the queries' parameters: ?1 kind, ?2 sender, ?3 source, ?4 since, ?5
 * limit (-1: none), bound as text (the queries cast the numbers). */
static enum vg_status run(struct vg_store *store,
                          const char *sql,
                          const struct vg_quality_filter *filter,
                          const struct vg_row_sink *sink,
                          struct vg_error *err)
{
    static const struct vg_quality_filter all;
    const struct vg_quality_filter *f = filter != NULL ? filter : &all;
    char since[24], limit[24];
    snprintf(since, sizeof(since), "%" PRId64, f->since);
    snprintf(limit, sizeof(limit), "%" PRId64, f->limit > 0 ? f->limit : -1);
    const char *params[5] = { f->kind, f->sender, f->source, f->since != 0 ? since : NULL, limit };
    return vg__store_query_rows(store, sql, params, 5, sink, err);
}

enum vg_status vg_rejects_query(struct vg_store *store,
                                const struct vg_quality_filter *filter,
                                const struct vg_row_sink *sink,
                                struct vg_error *err)
{
    static const char sql[] =
        "SELECT source, line, column, offset, item, format, status, reason, excerpt,"
        " created_at FROM ("
        "  SELECT id, source, line, column_no AS column, byte_offset AS offset, item, format,"
        "  status, reason, CAST(excerpt AS TEXT) AS excerpt, " UTC(
            "created_at") " AS created_at"
                          "  FROM rejects WHERE " SOURCE_MATCHES(
                              "source") " AND"
                                        "  (?4 IS NULL OR created_at >= CAST(?4 AS INTEGER))"
                                        "  ORDER BY id DESC LIMIT CAST(?5 AS INTEGER)) ORDER BY id";
    return run(store, sql, filter, sink, err);
}

enum vg_status vg_rejects_summary(struct vg_store *store,
                                  const struct vg_quality_filter *filter,
                                  const struct vg_row_sink *sink,
                                  struct vg_error *err)
{
    static const char sql[] =
        "SELECT source, coalesce(format, '') AS format, count(*) AS rejects,"
        " " UTC("min(created_at)") " AS first_at, " UTC(
            "max(created_at)") " AS last_at"
                               " FROM rejects WHERE " SOURCE_MATCHES(
                                   "source") " AND"
                                             " (?4 IS NULL OR created_at >= CAST(?4 AS INTEGER))"
                                             " GROUP BY source, format ORDER BY rejects DESC, source, format"
                                             " LIMIT CAST(?5 AS INTEGER)";
    return run(store, sql, filter, sink, err);
}

/* The findings matching the filter, with their file and message. */
#define FINDINGS_MATCHING                                                   \
 " FROM findings f LEFT JOIN ingest_files fi ON fi.id = f.file_id"          \
 " LEFT JOIN messages m ON m.id = f.message_id"                             \
 " WHERE (?1 IS NULL OR f.kind = ?1) AND (?2 IS NULL OR m.sender = ?2) AND" \
 " " SOURCE_MATCHES("fi.path") " AND (?4 IS NULL OR f.created_at >= CAST(?4 AS INTEGER))"

enum vg_status vg_findings_query(struct vg_store *store,
                                 const struct vg_quality_filter *filter,
                                 const struct vg_row_sink *sink,
                                 struct vg_error *err)
{
    static const char sql[] =
        "SELECT kind, source, sender, message, segment, offset, field, value, expected, detail,"
        " created_at FROM ("
        "  SELECT f.id, f.kind, fi.path AS source, m.sender, m.msg_ref AS message,"
        "  f.segment_no AS segment, f.byte_offset AS offset, f.field, f.value, f.expected,"
        "  f.detail, " UTC(
            "f.created_at") " AS created_at" FINDINGS_MATCHING
                            "  ORDER BY f.id DESC LIMIT CAST(?5 AS INTEGER)) ORDER BY id";
    return run(store, sql, filter, sink, err);
}

enum vg_status vg_findings_summary(struct vg_store *store,
                                   const struct vg_quality_filter *filter,
                                   const struct vg_row_sink *sink,
                                   struct vg_error *err)
{
    static const char sql[] =
        "SELECT f.kind, coalesce(m.sender, '') AS sender, count(*) AS findings,"
        " count(DISTINCT m.id) AS messages,"
        " (SELECT count(*) FROM messages x WHERE x.sender = m.sender) AS of_messages,"
        " count(DISTINCT f.file_id) AS files, " UTC(
            "min(f.created_at)") " AS first_at,"
                                 " " UTC(
                                     "max(f.created_at)") " AS last_at" FINDINGS_MATCHING
                                                          " GROUP BY f.kind, m.sender ORDER BY findings DESC, f.kind, sender"
                                                          " LIMIT CAST(?5 AS INTEGER)";
    return run(store, sql, filter, sink, err);
}

enum vg_status
vg_rejects_list(struct vg_store *store, const struct vg_row_sink *sink, struct vg_error *err)
{
    return vg_rejects_query(store, NULL, sink, err);
}

enum vg_status vg_findings_list(struct vg_store *store,
                                const char *kind,
                                const struct vg_row_sink *sink,
                                struct vg_error *err)
{
    struct vg_quality_filter f = { .kind = kind };
    return vg_findings_query(store, &f, sink, err);
}
