/* COPRAR (container discharge/loading order): what the line plans; BGM 45 loading order,
 * 121 discharge order. Planned moves are kept apart from executed ones. */
#include "ingest/edi_int.h"

enum vg_status vg__edi_map_coprar(struct edi_ctx *c, const struct vg_edifact_message *msg,
                                  struct ing_document *doc)
{
    const char *kind = ING_EV_LOAD_ORDER;
    for (size_t i = 1; i < msg->nsegments; i++) {
        const struct vg_edifact_segment *bgm = &msg->segments[i];
        if (vg_edifact_is(bgm, "BGM")) {
            if (vg__edi_is(bgm, 1, 0, "121") || vg__edi_is(bgm, 1, 0, "122")) {
                kind = ING_EV_DISCHARGE_ORDER;
            }
            break;
        }
    }
    return vg__edi_equipment_events(c, msg, doc, kind);
}
