/*
 * vigia/quality.h - what was refused and what was doubtful.
 *
 * Rejects: input refused at syntax or envelope level (a CSV record with an unclosed
 * quote, an EDIFACT message whose UNT count is wrong), kept with the file, position and
 * reason for review. Findings: data-quality observations that did not stop a record (a
 * bad check digit, an unknown code, a charset mismatch, a missing feed), kept because
 * they can be evidence.
 */
#ifndef VIGIA_QUALITY_H
#define VIGIA_QUALITY_H

#include <stdint.h>

#include <vigia/rows.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_store;

/* Which rejects or findings to list or count; a zeroed filter takes them all. Strings are
 * borrowed for the call. */
struct vg_quality_filter {
    const char *kind;   /* findings of this kind (bad_check_digit...); NULL: any */
    const char *sender; /* findings in messages of this sender; NULL: any */
    const char *source; /* of this file: its path as ingested, or the path's last parts
                           ("manifest.csv", "2024-05/manifest.csv"), or those of the zip
                           archive or workbook it is a member or sheet of ("day.zip" for
                           "day.zip!a.edi", "book.xlsx" for "book.xlsx[Events]"); NULL: any */
    int64_t since;      /* recorded at or after this time (UTC seconds); 0: any time */
    int64_t limit;      /* the newest this many (still listed oldest first); 0: all */
};

/* Lists rejected input matching filter (NULL: all; kind and sender do not apply), oldest
 * first: columns source, line, column, offset, item, format, status, reason, excerpt,
 * created_at. VG_EDB on a store error. */
VG_NODISCARD enum vg_status vg_rejects_query(struct vg_store *store,
                                             const struct vg_quality_filter *filter,
                                             const struct vg_row_sink *sink,
                                             struct vg_error *err);

/* Counts rejected input matching filter per file and format, the most first: columns
 * source, format, rejects, first_at, last_at. VG_EDB on a store error. */
VG_NODISCARD enum vg_status vg_rejects_summary(struct vg_store *store,
                                               const struct vg_quality_filter *filter,
                                               const struct vg_row_sink *sink,
                                               struct vg_error *err);

/* Lists data-quality findings matching filter (NULL: all), oldest first: columns kind,
 * source, sender, message, segment, offset, field, value, expected, detail, created_at.
 * VG_EDB on a store error. */
VG_NODISCARD enum vg_status vg_findings_query(struct vg_store *store,
                                              const struct vg_quality_filter *filter,
                                              const struct vg_row_sink *sink,
                                              struct vg_error *err);

/* Counts findings matching filter per kind and sender, the most first: columns kind,
 * sender ('' for findings about no message), findings, messages (of the sender's with
 * such a finding), of_messages (all the sender's messages in the store), files,
 * first_at, last_at: which sender sends which defect, and how often. VG_EDB on a store
 * error. */
VG_NODISCARD enum vg_status vg_findings_summary(struct vg_store *store,
                                                const struct vg_quality_filter *filter,
                                                const struct vg_row_sink *sink,
                                                struct vg_error *err);

/* vg_rejects_query with no filter. */
VG_NODISCARD enum vg_status vg_rejects_list(struct vg_store *store,
                                            const struct vg_row_sink *sink,
                                            struct vg_error *err);

/* vg_findings_query for kind (NULL: all kinds). */
VG_NODISCARD enum vg_status vg_findings_list(struct vg_store *store, const char *kind,
                                             const struct vg_row_sink *sink,
                                             struct vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
