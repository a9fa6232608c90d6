/*
 * vigia/show.h - everything the store knows about a container, a bill of lading, a party
 * or a vessel, as an analyst looks it up: the timeline of events with places, port-local
 * and UTC times and seals, the parties and their history (shipments, earlier seizures),
 * the voyage and its vessel events, every assessment with its reasons, the targets,
 * inspections and outcomes. Handed over section by section (vigia/report.h).
 */
#ifndef VIGIA_SHOW_H
#define VIGIA_SHOW_H

#include <stdbool.h>
#include <vigia/report.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_store;

enum vg_show_kind {
    VG_SHOW_CONTAINER = 0,
    VG_SHOW_BL,
    VG_SHOW_PARTY,
    VG_SHOW_VESSEL,
    VG_SHOW_MESSAGE,
};

/* Parses "container", "bl" (also "bill"), "party", "vessel", "message". */
bool vg_show_kind_parse(const char *text, enum vg_show_kind *out);

/*
 * Reports what is known about id:
 *   container  an ISO 6346 number (spaces and case ignored): container (record), trips,
 *              timeline, seals, parties, vessel_events, assessments, reasons, targets,
 *              inspections, outcomes
 *   bl         a B/L number: consignments, places, parties, goods, containers, versions,
 *              assessments, reasons, targets, outcomes
 *   party      a party id, an 11-digit RUC, or a name (or part of one, case ignored): party
 *              (record), identifiers, addresses, shipments, seizures, targets; when a name
 *              matches several parties, one section "matches" lists them instead
 *   vessel     an IMO number (7 digits), an MMSI (9 digits) or a name: vessel (record),
 *              identities, port_calls, vessel_events, targets
 *   message    a message id (as the timeline and `vigia rejects`/`quality` cite it): message
 *              (record: sender, type, reference, status, file, offset, bytes as sent and
 *              kept), findings, unmapped, content (the bytes as sent, decompressed)
 * Times come in pairs: UTC ("..._utc") and the local time of the place ("..._local").
 * VG_ENOTFOUND when nothing matches, VG_EINVAL for an empty id, VG_EDB.
 */
VG_NODISCARD enum vg_status vg_show(struct vg_store *store,
                                    enum vg_show_kind kind,
                                    const char *id,
                                    const struct vg_report_sink *sink,
                                    struct vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
