/*
 * vigia/report.h - a sink for reports made of several tables.
 *
 * Some answers are more than one table: everything known about a container (its trips,
 * timeline, seals, parties, assessments, targets, outcomes), or the KPIs (by selection
 * reason, by rule, by port...). The library hands such a report over section by section:
 * section() names the next table, then the row sink receives its columns and rows exactly
 * as for a single listing (vigia/rows.h). The caller decides the format: headed tables
 * for people, one JSON object with an array per section for tools.
 */
#ifndef VIGIA_REPORT_H
#define VIGIA_REPORT_H

#include <stdbool.h>
#include <vigia/rows.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_report_sink {
    /* Called before each section's columns: a short key ("timeline") and a title for
     * people ("Timeline of equipment events"). record: the section has one row to be read
     * as key/value pairs rather than a table. Strings are borrowed for the call. */
    void (*section)(void *user, const char *key, const char *title, bool record);
    /* Receives the section's columns and rows (its user pointer is its own). */
    struct vg_row_sink rows;
    void *user;
};

#ifdef __cplusplus
}
#endif
#endif
