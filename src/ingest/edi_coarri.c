/* COARRI (container discharge/loading report): BGM 44 discharge, 46 loading, 98/119/122
 * shifts and restows. */
#include "ingest/edi_int.h"

enum vg_status vg__edi_map_coarri(struct edi_ctx *c, const struct vg_edifact_message *msg,
                                  struct ing_document *doc)
{
    const char *kind = ING_EV_STATUS;
    for (size_t i = 1; i < msg->nsegments; i++) {
        const struct vg_edifact_segment *bgm = &msg->segments[i];
        if (vg_edifact_is(bgm, "BGM")) {
            if (vg__edi_is(bgm, 1, 0, "44")) {
                kind = ING_EV_DISCHARGE;
            } else if (vg__edi_is(bgm, 1, 0, "46")) {
                kind = ING_EV_LOAD;
            } else if (vg__edi_is(bgm, 1, 0, "98") || vg__edi_is(bgm, 1, 0, "119") ||
                       vg__edi_is(bgm, 1, 0, "122")) {
                kind = ING_EV_SHIFT;
            }
            break;
        }
    }
    return vg__edi_equipment_events(c, msg, doc, kind);
}
