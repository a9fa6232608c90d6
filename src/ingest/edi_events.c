/*
 * Equipment events from the terminal and line messages that share one layout: a header
 * (BGM, DTM, TDT, LOC, NAD) and one EQD group per container (EQD, RFF, DTM, LOC, MEA, SEL,
 * TDT for the truck or train...). Used by CODECO, COARRI and COPRAR; see
 * docs/edifact-messages.md.
 */
#include "ingest/edi_int.h"

#include <string.h>

/* Times in an EQD group, by preference: the event itself (7 effective, 203 execution,
 * 178 actual arrival, 186 departure...), then planned ones. */
static int time_rank(int q)
{
    switch (q) {
    case 7: return 1;
    case 203: return 2;
    case 178: case 186: case 136: case 334: return 3;
    case 132: case 133: return 5;
    case 137: return 6;
    default: return 9;
    }
}

enum vg_status vg__edi_equipment_events(struct edi_ctx *c, const struct vg_edifact_message *msg,
                                        struct ing_document *doc, const char *kind)
{
    doc->kind = ING_DOC_EVENTS;
    struct ing_voyage *v = &doc->voyage;
    struct ing_event *ev = NULL;
    const char *header_place = NULL, *header_terminal = NULL;
    int ev_time_rank = 99;
    for (size_t i = 1; i + 1 < msg->nsegments && !c->oom; i++) {
        const struct vg_edifact_segment *seg = &msg->segments[i];
        if (vg_edifact_is(seg, "BGM")) {
            vg__edi_bgm(c, doc, seg);
        } else if (vg_edifact_is(seg, "EQD")) {
            ev = vg__ing_push(doc->arena, &doc->events, sizeof(*ev));
            if (ev == NULL) {
                c->oom = true;
                break;
            }
            ev->kind = kind;
            ev->container = vg__edi_str(c, doc, seg, 2, 0);
            ev->size_type = vg__edi_str(c, doc, seg, 3, 0);
            ev->full_empty = vg__edi_full_empty(seg);
            ev->status_code = vg__edi_str(c, doc, seg, 5, 0);
            ev->time = VG_TIME_NONE;
            ev->gross_kg = NAN;
            ev->voyage.eta = ev->voyage.etd = ev->voyage.ata = ev->voyage.atd = VG_TIME_NONE;
            ev->src = vg__edi_src(seg);
            ev->src.tag = "EQD";
            ev_time_rank = 99;
        } else if (vg_edifact_is(seg, "DTM")) {
            int q;
            int64_t t = vg__edi_dtm(c, doc, seg, &q);
            if (ev == NULL) {
                switch (q) {
                case 137: doc->prepared_at = t; break;
                case 132: v->eta = t; break;
                case 133: v->etd = t; break;
                case 136: v->atd = t; break;
                case 178: v->ata = t; break;
                default: vg__edi_unmapped(c, doc, seg); break;
                }
            } else if (t != VG_TIME_NONE && time_rank(q) < ev_time_rank) {
                ev->time = t;
                ev_time_rank = time_rank(q);
            } else {
                vg__edi_unmapped(c, doc, seg);
            }
        } else if (vg_edifact_is(seg, "TDT")) {
            if (ev == NULL) {
                doc->has_voyage = true;
                vg__edi_tdt(c, doc, seg, v);
            } else {
                /* Pre- or on-carriage of this container: mode (C220) and the vehicle. */
                if (vg__edi_is(seg, 3, 0, "3")) {
                    ev->transport_mode = "road";
                } else if (vg__edi_is(seg, 3, 0, "2")) {
                    ev->transport_mode = "rail";
                } else if (vg__edi_is(seg, 3, 0, "8")) {
                    ev->transport_mode = "inland water";
                } else if (vg__edi_is(seg, 3, 0, "1")) {
                    ev->transport_mode = "sea";
                }
                const char *vehicle = vg__edi_str(c, doc, seg, 8, 0);
                if (vehicle == NULL) {
                    vehicle = vg__edi_str(c, doc, seg, 8, 3);
                }
                if (vehicle == NULL && vg_edifact_components(seg, 7) == 1) {
                    /* Some senders put the plate one element early (no C401). */
                    vehicle = vg__edi_str(c, doc, seg, 7, 0);
                }
                ev->vehicle = vehicle;
                if (ev->transport_mode == NULL && vehicle == NULL) {
                    vg__edi_unmapped(c, doc, seg);
                }
            }
        } else if (vg_edifact_is(seg, "LOC")) {
            const char *code = vg__edi_str(c, doc, seg, 2, 0);
            bool stow = vg__edi_is(seg, 1, 0, "147");
            enum ing_place_kind k = vg__edi_place_kind(seg);
            if (ev == NULL) {
                if (vg__edi_is(seg, 1, 0, "165") || k == ING_PLACE_DEPARTURE ||
                    k == ING_PLACE_LOADING || k == ING_PLACE_DISCHARGE) {
                    if (header_place == NULL) {
                        header_place = code;
                        header_terminal = vg__edi_str(c, doc, seg, 3, 0);
                    }
                } else if (k == ING_PLACE_NEXT_CALL) {
                    v->next_port = code;
                } else {
                    vg__edi_unmapped(c, doc, seg);
                }
            } else if (stow) {
                ev->stowage = code;
            } else if (vg__edi_is(seg, 1, 0, "165") || vg__edi_is(seg, 1, 0, "175")) {
                ev->place = code;
                ev->terminal = vg__edi_str(c, doc, seg, 3, 0);
            } else {
                vg__edi_unmapped(c, doc, seg);
            }
        } else if (vg_edifact_is(seg, "NAD") && ev == NULL) {
            if ((vg__edi_is(seg, 1, 0, "CF") || vg__edi_is(seg, 1, 0, "CA")) && v->carrier == NULL) {
                v->carrier = vg__edi_str(c, doc, seg, 2, 0);
            } else {
                vg__edi_unmapped(c, doc, seg);
            }
        } else if (vg_edifact_is(seg, "RFF") && ev != NULL) {
            if (vg__edi_is(seg, 1, 0, "BM") && ev->bl == NULL) {
                ev->bl = vg__edi_str(c, doc, seg, 1, 1);
            } else {
                vg__edi_unmapped(c, doc, seg);
            }
        } else if (vg_edifact_is(seg, "MEA") && ev != NULL) {
            const char *what;
            double kg = vg__edi_weight(c, doc, seg, &what);
            if (!isnan(kg) && (strcmp(what, "G") == 0 || strcmp(what, "EGW") == 0 ||
                               strcmp(what, "VGM") == 0 || what[0] == '\0')) {
                if (isnan(ev->gross_kg) || strcmp(what, "VGM") != 0) {
                    ev->gross_kg = kg;
                }
            } else {
                vg__edi_unmapped(c, doc, seg);
            }
        } else if (vg_edifact_is(seg, "SEL") && ev != NULL) {
            vg__edi_sel(c, doc, seg, &ev->seals);
        } else {
            vg__edi_unmapped(c, doc, seg);
        }
    }
    if (c->oom) {
        return VG_ENOMEM;
    }
    if (v->port == NULL) {
        v->port = header_place;
    }
    if (v->terminal == NULL) {
        v->terminal = header_terminal;
    }
    for (size_t i = 0; i < doc->events.n; i++) {
        struct ing_event *e = ING_AT(doc->events, struct ing_event, i);
        if (e->place == NULL) {
            e->place = header_place;
        }
        if (e->terminal == NULL) {
            e->terminal = header_terminal;
        }
        bool order = strcmp(e->kind, ING_EV_LOAD_ORDER) == 0 ||
                     strcmp(e->kind, ING_EV_DISCHARGE_ORDER) == 0;
        if (order && doc->prepared_at != VG_TIME_NONE) {
            /* A planned move is known from when it was ordered, not from the time it plans
             * (the call's departure, often after the box was loaded). */
            e->time = doc->prepared_at;
        } else if (e->time == VG_TIME_NONE) {
            /* No time of its own: the document's, said so. */
            e->time = doc->prepared_at;
            if (vg__ing_note(doc, &e->src, "event_without_time", "time", NULL,
                             "a DTM with the time of the move",
                             "no time given for this container's move; the message date was "
                             "used") != VG_OK) {
                return VG_ENOMEM;
            }
        }
    }
    return VG_OK;
}
