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

/* Lists rejected input, oldest first: columns source, line, column, offset, item, format,
 * status, reason, excerpt, created_at. */
VG_NODISCARD enum vg_status vg_rejects_list(struct vg_store *store,
                                            const struct vg_row_sink *sink,
                                            struct vg_error *err);

/* Lists data-quality findings, oldest first: columns kind, source, message, segment,
 * offset, field, value, expected, detail, created_at. kind may be NULL (all kinds). */
VG_NODISCARD enum vg_status vg_findings_list(struct vg_store *store, const char *kind,
                                             const struct vg_row_sink *sink,
                                             struct vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
