/*
 * BAPLIE (bay plan): the vessel's stowage as it leaves a port. Header: BGM, DTM, TDT, LOC
 * (5 departure, 61 next port), DTM (132/133/136/178). Then one group per occupied cell,
 * opened by LOC+147 (bay/row/tier), with MEA weight, LOC 9/11 ports, RFF, EQD (the
 * container), NAD (its operator), TMP, DGS... Each cell becomes a "stowage" event of the
 * container on that call. D.95B (SMDG 2.x) and later (SMDG 3.x) differ in segment order
 * inside the group; both are read by meaning.
 */
#include "ingest/edi_int.h"

#include <string.h>

enum vg_status vg__edi_map_baplie(struct edi_ctx *c, const struct vg_edifact_message *msg,
                                  struct ing_document *doc)
{
    doc->kind = ING_DOC_EVENTS;
    doc->has_voyage = true;
    struct ing_voyage *v = &doc->voyage;
    struct ing_event *ev = NULL;
    const char *cell = NULL;
    double cell_weight = NAN;
    for (size_t i = 1; i + 1 < msg->nsegments && !c->oom; i++) {
        const struct vg_edifact_segment *seg = &msg->segments[i];
        bool stow = vg_edifact_is(seg, "LOC") && vg__edi_is(seg, 1, 0, "147");
        if (vg_edifact_is(seg, "BGM")) {
            vg__edi_bgm(c, doc, seg);
        } else if (stow) {
            /* A new cell. SMDG 3 puts EQD first and LOC+147 after it. */
            cell = vg__edi_str(c, doc, seg, 2, 0);
            cell_weight = NAN;
            if (ev != NULL && ev->stowage == NULL) {
                ev->stowage = cell;
                cell = NULL;
            } else {
                ev = NULL;
            }
        } else if (vg_edifact_is(seg, "EQD")) {
            ev = vg__ing_push(doc->arena, &doc->events, sizeof(*ev));
            if (ev == NULL) {
                c->oom = true;
                break;
            }
            ev->kind = ING_EV_STOWAGE;
            ev->container = vg__edi_str(c, doc, seg, 2, 0);
            ev->size_type = vg__edi_str(c, doc, seg, 3, 0);
            ev->full_empty = vg__edi_full_empty(seg);
            ev->stowage = cell;
            ev->gross_kg = cell_weight;
            ev->time = VG_TIME_NONE;
            ev->src = vg__edi_src(seg);
            ev->src.tag = "EQD";
            cell = NULL;
        } else if (vg_edifact_is(seg, "DTM")) {
            int q;
            int64_t t = vg__edi_dtm(c, doc, seg, &q);
            switch (q) {
            case 137: doc->prepared_at = t; break;
            case 132: v->eta = t; break;
            case 133: v->etd = t; break;
            case 136: v->atd = t; break;
            case 178: v->ata = t; break;
            default: vg__edi_unmapped(c, doc, seg); break;
            }
        } else if (vg_edifact_is(seg, "TDT") && v->voyage == NULL && v->vessel.name == NULL) {
            vg__edi_tdt(c, doc, seg, v);
        } else if (vg_edifact_is(seg, "LOC") && ev == NULL && cell == NULL) {
            enum ing_place_kind k = vg__edi_place_kind(seg);
            const char *code = vg__edi_str(c, doc, seg, 2, 0);
            if ((k == ING_PLACE_DEPARTURE || k == ING_PLACE_LOADING) && v->port == NULL) {
                v->port = code;
            } else if (k == ING_PLACE_NEXT_CALL) {
                v->next_port = code;
            } else {
                vg__edi_unmapped(c, doc, seg);
            }
        } else if (vg_edifact_is(seg, "MEA")) {
            const char *what;
            double kg = vg__edi_weight(c, doc, seg, &what);
            if (isnan(kg)) {
                vg__edi_unmapped(c, doc, seg);
            } else if (ev != NULL) {
                ev->gross_kg = kg;
            } else {
                cell_weight = kg;
            }
        } else if (vg_edifact_is(seg, "RFF") && vg__edi_is(seg, 1, 0, "BM") && ev != NULL &&
                   !vg__edi_is(seg, 1, 1, "1")) {
            ev->bl = vg__edi_str(c, doc, seg, 1, 1);
        } else {
            vg__edi_unmapped(c, doc, seg);
        }
    }
    if (c->oom) {
        return VG_ENOMEM;
    }
    /* On board as the vessel leaves: the time of departure (actual, else planned, else the
     * plan's own date), at the port of departure. */
    int64_t when = v->atd != VG_TIME_NONE ? v->atd : v->etd != VG_TIME_NONE ? v->etd : doc->prepared_at;
    /* A ship calling at two ports of one voyage sends a bay plan from each, often with the
     * same document number: a plan is a document of its port of departure, so the port
     * is part of its key ("VOY123@PECLL"), and Chancay's plan does not replace Callao's. */
    if (doc->doc_number != NULL && v->port != NULL) {
        size_t a = strlen(doc->doc_number), b = strlen(v->port);
        char *key = vg_arena_alloc(doc->arena, a + b + 2);
        if (key == NULL) {
            return VG_ENOMEM;
        }
        memcpy(key, doc->doc_number, a);
        key[a] = '@';
        memcpy(key + a + 1, v->port, b + 1);
        doc->doc_number = key;
    }
    for (size_t i = 0; i < doc->events.n; i++) {
        struct ing_event *e = ING_AT(doc->events, struct ing_event, i);
        e->time = when;
        e->place = v->port;
    }
    return VG_OK;
}
