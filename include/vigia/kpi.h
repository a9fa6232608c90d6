/*
 * vigia/kpi.h - how the targeting performs, from the recorded targets and outcomes.
 *
 * The indicators GAO asked of CBP's targeting [ATS7][ATS8] and ANCHORS.md section 10 lists:
 * hit rate (examinations that found drugs) by selection reason and per rule, per port, kg
 * seized per examination, what finds abroad say about what the port missed, how targets
 * ended (waivers by reason), and the unbiased estimate of the share of trips carrying
 * drugs from the random stream alone, with its Wilson 95% interval (docs/targeting.md).
 */
#ifndef VIGIA_KPI_H
#define VIGIA_KPI_H

#include <stdint.h>
#include <vigia/report.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_store;

struct vg_kpi_filter {
    const char *port; /* UN/LOCODE of the port, NULL for all */
    int64_t from, to; /* examinations (and target days) in [from, to); VG_TIME_NONE: open */
};

/*
 * Hands the KPI report to sink, section by section:
 *   summary        (record) examinations at origin, positives, hit_rate, other_findings,
 *                  kg, kg_per_inspection, targets, pending, waived, waiver_rate
 *   by_selection   selection (hold, rule, list, model, score, random, vessel; for outcomes
 *                  without a vigia target the file's word: targeted, random, partner;
 *                  unknown), inspections, positives, hit_rate, other_findings, kg,
 *                  kg_per_inspection
 *   random_stream  (record) inspections, positives, hit_rate, ci95_low, ci95_high, trips
 *                  (trips of the period), estimated_trips_with_drugs, estimate_low,
 *                  estimate_high
 *   by_rule        rule, title, selected, inspected, positives, hit_rate, kg
 *   by_port        port, inspections, positives, hit_rate, kg, kg_per_inspection
 *   finds_abroad   (record) finds, with_drugs, kg, linked, targeted, examined_at_origin,
 *                  missed_by_examination, missed_by_selection
 *   dispositions   state, waiver (code, or "reason given"), targets, share
 * Rates are decimals with four places, "" when nothing was examined. VG_EINVAL for a bad
 * port, VG_EDB.
 */
VG_NODISCARD enum vg_status vg_kpi_report(struct vg_store *store,
                                          const struct vg_kpi_filter *filter,
                                          const struct vg_report_sink *sink,
                                          struct vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
