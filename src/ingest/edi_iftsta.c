/*
 * IFTSTA (international multimodal status report): status events, each an STS group with
 * its code and description, references, DTM, LOC and the equipment (EQD, or RFF+EQ). The
 * kind is read from the status code or description by meaning (gate in/out, loaded,
 * discharged, inspected, resealed, stuffed, stripped); anything else is a "status" event
 * with the sender's code kept.
 */
#include "ingest/edi_int.h"

#include <ctype.h>
#include <string.h>

static bool has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = text; p != NULL && *p != '\0'; p++) {
        if (strncasecmp(p, word, n) == 0) {
            return true;
        }
    }
    return false;
}

static const char *kind_of(const char *code, const char *text)
{
    static const struct {
        const char *code, *kind;
    } codes[] = { { "GTIN", ING_EV_GATE_IN }, { "GTOT", ING_EV_GATE_OUT }, { "LOAD", ING_EV_LOAD },
                  { "DISC", ING_EV_DISCHARGE }, { "INSP", ING_EV_INSPECTION },
                  { "RSEA", ING_EV_SEAL_CHANGE }, { "STUF", ING_EV_STUFFING },
                  { "STRP", ING_EV_STRIPPING } };
    for (size_t i = 0; code != NULL && i < sizeof(codes) / sizeof(codes[0]); i++) {
        if (strcasecmp(code, codes[i].code) == 0) {
            return codes[i].kind;
        }
    }
    if (text == NULL) {
        return ING_EV_STATUS;
    }
    if (has_word(text, "gate in") || has_word(text, "gate-in") || has_word(text, "in-gate")) {
        return ING_EV_GATE_IN;
    }
    if (has_word(text, "gate out") || has_word(text, "gate-out") || has_word(text, "out-gate")) {
        return ING_EV_GATE_OUT;
    }
    if (has_word(text, "discharged") || has_word(text, "unloaded")) {
        return ING_EV_DISCHARGE;
    }
    if (has_word(text, "loaded on") || has_word(text, "loaded aboard") || has_word(text, "loaded")) {
        return ING_EV_LOAD;
    }
    if (has_word(text, "reseal") || has_word(text, "seal")) {
        return ING_EV_SEAL_CHANGE;
    }
    if (has_word(text, "inspect")) {
        return ING_EV_INSPECTION;
    }
    if (has_word(text, "stuff")) {
        return ING_EV_STUFFING;
    }
    if (has_word(text, "strip") || has_word(text, "devan")) {
        return ING_EV_STRIPPING;
    }
    return ING_EV_STATUS;
}

enum vg_status vg__edi_map_iftsta(struct edi_ctx *c, const struct vg_edifact_message *msg,
                                  struct ing_document *doc)
{
    doc->kind = ING_DOC_EVENTS;
    struct ing_event *ev = NULL;
    int rank = 99;
    for (size_t i = 1; i + 1 < msg->nsegments && !c->oom; i++) {
        const struct vg_edifact_segment *seg = &msg->segments[i];
        if (vg_edifact_is(seg, "BGM")) {
            vg__edi_bgm(c, doc, seg);
        } else if (vg_edifact_is(seg, "STS")) {
            ev = vg__ing_push(doc->arena, &doc->events, sizeof(*ev));
            if (ev == NULL) {
                c->oom = true;
                break;
            }
            const char *code = vg__edi_str(c, doc, seg, 2, 0);
            const char *text = vg__edi_str(c, doc, seg, 2, 3);
            ev->kind = kind_of(code, text);
            ev->status_code = code != NULL ? code : text;
            ev->time = VG_TIME_NONE;
            ev->gross_kg = NAN;
            ev->voyage.eta = ev->voyage.etd = ev->voyage.ata = ev->voyage.atd = VG_TIME_NONE;
            ev->src = vg__edi_src(seg);
            ev->src.tag = "STS";
            rank = 99;
        } else if (vg_edifact_is(seg, "DTM") && ev != NULL) {
            int q;
            int64_t t = vg__edi_dtm(c, doc, seg, &q);
            int r = q == 334 ? 1 : q == 7 ? 2 : 9;
            if (t != VG_TIME_NONE && r < rank) {
                ev->time = t;
                rank = r;
            } else {
                vg__edi_unmapped(c, doc, seg);
            }
        } else if (vg_edifact_is(seg, "DTM") && vg__edi_is(seg, 1, 0, "137")) {
            int q;
            doc->prepared_at = vg__edi_dtm(c, doc, seg, &q);
        } else if (vg_edifact_is(seg, "LOC") && ev != NULL && ev->place == NULL &&
                   (vg__edi_is(seg, 1, 0, "175") || vg__edi_is(seg, 1, 0, "165"))) {
            ev->place = vg__edi_str(c, doc, seg, 2, 0);
        } else if (vg_edifact_is(seg, "RFF") && ev != NULL && vg__edi_is(seg, 1, 0, "EQ") &&
                   ev->container == NULL) {
            ev->container = vg__edi_str(c, doc, seg, 1, 1);
        } else if (vg_edifact_is(seg, "RFF") && ev != NULL && vg__edi_is(seg, 1, 0, "BM") &&
                   ev->bl == NULL) {
            ev->bl = vg__edi_str(c, doc, seg, 1, 1);
        } else if (vg_edifact_is(seg, "EQD") && ev != NULL) {
            const char *number = vg__edi_str(c, doc, seg, 2, 0);
            if (number != NULL) {
                ev->container = number;
            }
            ev->size_type = vg__edi_str(c, doc, seg, 3, 0);
            ev->full_empty = vg__edi_full_empty(seg);
        } else if (vg_edifact_is(seg, "SEL") && ev != NULL) {
            vg__edi_sel(c, doc, seg, &ev->seals);
        } else {
            vg__edi_unmapped(c, doc, seg);
        }
    }
    if (c->oom) {
        return VG_ENOMEM;
    }
    for (size_t i = 0; i < doc->events.n; i++) {
        struct ing_event *e = ING_AT(doc->events, struct ing_event, i);
        if (e->time == VG_TIME_NONE) {
            e->time = doc->prepared_at;
            if (vg__ing_note(doc, &e->src, "event_without_time", "time", NULL,
                             "a DTM with the time of the status", "no event time given; the "
                             "message date was used") != VG_OK) {
                return VG_ENOMEM;
            }
        }
    }
    return VG_OK;
}
