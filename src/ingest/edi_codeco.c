/* CODECO (container gate-in/gate-out report): BGM 34 gate in, 36 gate out. Internal
 * terminal moves and status changes without a move (other BGM codes) become status
 * events. */
#include "ingest/edi_int.h"

enum vg_status vg__edi_map_codeco(struct edi_ctx *c, const struct vg_edifact_message *msg,
                                  struct ing_document *doc)
{
    const char *kind = ING_EV_STATUS;
    for (size_t i = 1; i < msg->nsegments; i++) {
        if (vg_edifact_is(&msg->segments[i], "BGM")) {
            if (vg__edi_is(&msg->segments[i], 1, 0, "34")) {
                kind = ING_EV_GATE_IN;
            } else if (vg__edi_is(&msg->segments[i], 1, 0, "36")) {
                kind = ING_EV_GATE_OUT;
            }
            break;
        }
    }
    return vg__edi_equipment_events(c, msg, doc, kind);
}
