/*
 * CUSCAR (customs cargo report): the manifest. Header: BGM, DTM, TDT (voyage, vessel),
 * LOC (the call), NAD (carrier). Then consignments (CNI and its RFF, LOC, NAD, GID with
 * FTX/PIA/MEA/MOA/SGP, EQD with MEA/SEL). Some implementations list the equipment before
 * the consignments (message-level EQD); the goods' SGP segments say which consignment each
 * container belongs to. See docs/edifact-messages.md.
 */
#include "ingest/edi_int.h"

#include <stdio.h>
#include <string.h>

/* A header-level EQD that consignments reference through SGP. */
struct header_eq {
    struct ing_equipment eq;
    bool used;
};

static struct ing_equipment *new_equipment(struct edi_ctx *c, struct ing_document *doc,
                                           struct ing_vec *list,
                                           const struct vg_edifact_segment *eqd, size_t size)
{
    struct ing_equipment *e = vg__ing_push(doc->arena, list, size);
    if (e == NULL) {
        c->oom = true;
        return NULL;
    }
    e->number = vg__edi_str(c, doc, eqd, 2, 0);
    e->size_type = vg__edi_str(c, doc, eqd, 3, 0);
    e->full_empty = vg__edi_full_empty(eqd);
    e->gross_kg = e->tare_kg = e->vgm_kg = NAN;
    e->src = vg__edi_src(eqd);
    e->src.tag = "EQD";
    if (!vg__edi_is(eqd, 1, 0, "CN") && e->number != NULL) {
        /* Not a container (trailer, bulk, ...): kept, and said so. */
        char q[16];
        vg_slice_copy(vg_edifact_raw(eqd, 1, 0), q, sizeof(q));
        char detail[96];
        snprintf(detail, sizeof(detail), "equipment qualifier %s is not CN (container)", q);
        if (vg__ing_note(doc, &e->src, "non_container_equipment", "8053", q, "CN",
                         detail) != VG_OK) {
            c->oom = true;
        }
    }
    return e;
}

static void weight_into(struct edi_ctx *c, struct ing_document *doc,
                        const struct vg_edifact_segment *mea, struct ing_equipment *eq,
                        struct ing_goods *g, struct ing_consignment *k)
{
    const char *what;
    double kg = vg__edi_weight(c, doc, mea, &what);
    if (isnan(kg)) {
        vg__edi_unmapped(c, doc, mea);
        return;
    }
    if (eq != NULL) {
        if (strcmp(what, "T") == 0) {
            eq->tare_kg = kg;
        } else if (strcmp(what, "VGM") == 0) {
            eq->vgm_kg = kg;
        } else if (strcmp(what, "G") == 0 || strcmp(what, "EGW") == 0 || what[0] == '\0') {
            eq->gross_kg = kg;
        } else {
            vg__edi_unmapped(c, doc, mea);
        }
    } else if (g != NULL) {
        if (strcmp(what, "AAB") == 0 || strcmp(what, "N") == 0) {
            g->net_kg = kg;
        } else {
            g->gross_kg = kg;
        }
    } else if (k != NULL) {
        k->gross_kg = kg;
    } else {
        vg__edi_unmapped(c, doc, mea);
    }
}

enum vg_status vg__edi_map_cuscar(struct edi_ctx *c, const struct vg_edifact_message *msg,
                                  struct ing_document *doc)
{
    doc->kind = ING_DOC_MANIFEST;
    doc->has_voyage = true;
    struct ing_voyage *v = &doc->voyage;
    struct ing_vec header_eq = { 0 };
    struct ing_consignment *k = NULL;
    struct ing_goods *g = NULL;
    struct ing_equipment *eq = NULL;
    const char *arrival_port = NULL;
    for (size_t i = 1; i + 1 < msg->nsegments && !c->oom; i++) {
        const struct vg_edifact_segment *seg = &msg->segments[i];
        if (vg_edifact_is(seg, "BGM")) {
            vg__edi_bgm(c, doc, seg);
        } else if (vg_edifact_is(seg, "DTM")) {
            int q;
            int64_t t = vg__edi_dtm(c, doc, seg, &q);
            if (k == NULL) {
                switch (q) {
                case 137: doc->prepared_at = t; break;
                case 132: case 232: v->eta = t; break;
                case 133: v->etd = t; break;
                case 136: v->atd = t; break;
                case 178: v->ata = t; break;
                default: vg__edi_unmapped(c, doc, seg); break;
                }
            } else if (q == 137 || q == 95 || q == 182) {
                k->declared_at = t;
            } else {
                vg__edi_unmapped(c, doc, seg);
            }
        } else if (vg_edifact_is(seg, "TDT")) {
            if (k == NULL && (vg__edi_is(seg, 1, 0, "20") || v->voyage == NULL)) {
                vg__edi_tdt(c, doc, seg, v);
            } else {
                vg__edi_unmapped(c, doc, seg);
            }
        } else if (vg_edifact_is(seg, "LOC")) {
            enum ing_place_kind kind = vg__edi_place_kind(seg);
            const char *code = vg__edi_str(c, doc, seg, 2, 0);
            if (k == NULL) {
                if (kind == ING_PLACE_DEPARTURE || kind == ING_PLACE_LOADING) {
                    if (v->port == NULL) {
                        v->port = code;
                        v->terminal = vg__edi_str(c, doc, seg, 3, 0);
                    }
                } else if (kind == ING_PLACE_DISCHARGE) {
                    arrival_port = arrival_port != NULL ? arrival_port : code;
                } else if (kind == ING_PLACE_NEXT_CALL) {
                    v->next_port = code;
                } else {
                    vg__edi_unmapped(c, doc, seg);
                }
            } else if (kind != ING_PLACE_OTHER && code != NULL) {
                struct ing_place *pl = vg__ing_push(doc->arena, &k->places, sizeof(*pl));
                if (pl == NULL) {
                    c->oom = true;
                    break;
                }
                pl->kind = kind;
                pl->locode = code;
                pl->src = vg__edi_src(seg);
                pl->src.tag = "LOC";
            } else {
                vg__edi_unmapped(c, doc, seg);
            }
        } else if (vg_edifact_is(seg, "NAD")) {
            struct ing_party p;
            memset(&p, 0, sizeof(p));
            vg__edi_nad(c, doc, seg, &p);
            if (k == NULL) {
                if (vg__edi_is(seg, 1, 0, "CA") && v->carrier == NULL) {
                    v->carrier = p.id != NULL ? p.id : p.name;
                } else {
                    vg__edi_unmapped(c, doc, seg);
                }
            } else if (p.role != NULL && (p.name != NULL || p.id != NULL)) {
                struct ing_party *np = vg__ing_push(doc->arena, &k->parties, sizeof(*np));
                if (np == NULL) {
                    c->oom = true;
                    break;
                }
                *np = p;
            } else {
                vg__edi_unmapped(c, doc, seg);
            }
        } else if (vg_edifact_is(seg, "CNI")) {
            k = vg__ing_push(doc->arena, &doc->consignments, sizeof(*k));
            if (k == NULL) {
                c->oom = true;
                break;
            }
            k->bl = vg__edi_str(c, doc, seg, 2, 0);
            k->declared_at = VG_TIME_NONE;
            k->total_packages = -1;
            k->gross_kg = NAN;
            k->src = vg__edi_src(seg);
            k->src.tag = "CNI";
            g = NULL;
            eq = NULL;
        } else if (vg_edifact_is(seg, "RFF")) {
            const char *ref = vg__edi_str(c, doc, seg, 1, 1);
            if (k != NULL && ref != NULL && vg__edi_is(seg, 1, 0, "BH")) {
                /* A house B/L: it is the consignment's own number; a BM/MB is its master. */
                if (k->bl != NULL && strcmp(k->bl, ref) != 0 && k->master_bl == NULL) {
                    k->master_bl = k->bl;
                }
                k->bl = ref;
                k->kind = "house";
            } else if (k != NULL && ref != NULL &&
                       (vg__edi_is(seg, 1, 0, "BM") || vg__edi_is(seg, 1, 0, "MB"))) {
                if (k->bl == NULL) {
                    k->bl = ref;
                } else if (strcmp(k->bl, ref) != 0) {
                    k->master_bl = ref;
                    k->kind = "house";
                }
            } else if (k == NULL && ref != NULL && vg__edi_is(seg, 1, 0, "VON") && v->voyage == NULL) {
                v->voyage = ref;
            } else if (k == NULL && ref != NULL && vg__edi_is(seg, 1, 0, "VM") &&
                       v->vessel.name == NULL) {
                v->vessel.name = ref;
            } else {
                vg__edi_unmapped(c, doc, seg);
            }
        } else if (vg_edifact_is(seg, "GID") && k != NULL) {
            g = vg__ing_push(doc->arena, &k->goods, sizeof(*g));
            if (g == NULL) {
                c->oom = true;
                break;
            }
            int64_t n;
            g->seq = vg_edifact_int(seg, 1, 0, &n) == VG_OK ? (int)n : (int)k->goods.n;
            g->packages = vg_edifact_int(seg, 2, 0, &n) == VG_OK ? n : -1;
            g->package_type = vg__edi_str(c, doc, seg, 2, 1);
            g->gross_kg = g->net_kg = g->volume_m3 = g->value = NAN;
            g->src = vg__edi_src(seg);
            g->src.tag = "GID";
            eq = NULL;
        } else if (vg_edifact_is(seg, "FTX") && vg__edi_is(seg, 1, 0, "AAA")) {
            const char *text = vg__edi_str(c, doc, seg, 4, 0);
            for (size_t t = 1; t < 5 && text != NULL; t++) {
                const char *more = vg__edi_str(c, doc, seg, 4, t);
                if (more != NULL) {
                    size_t len = strlen(text) + strlen(more) + 2;
                    char *joined = vg_arena_alloc(doc->arena, len);
                    if (joined == NULL) {
                        c->oom = true;
                        break;
                    }
                    snprintf(joined, len, "%s %s", text, more);
                    text = joined;
                }
            }
            if (g != NULL && g->description == NULL) {
                g->description = text;
            } else if (k != NULL && k->goods_description == NULL) {
                k->goods_description = text;
            } else {
                vg__edi_unmapped(c, doc, seg);
            }
        } else if ((vg_edifact_is(seg, "PIA") || vg_edifact_is(seg, "CST")) && g != NULL) {
            /* PIA+5+080440:HS; CST+1+080440:...; the first code that is an HS code. */
            const char *hs = NULL;
            if (vg_edifact_is(seg, "PIA")) {
                for (size_t e = 2; e <= 6 && hs == NULL; e++) {
                    if (vg__edi_is(seg, e, 1, "HS") || vg__edi_is(seg, e, 1, "HTS") ||
                        vg__edi_is(seg, e, 1, "CG") || vg__edi_is(seg, e, 1, "TSN")) {
                        hs = vg__edi_str(c, doc, seg, e, 0);
                    }
                }
            } else {
                hs = vg__edi_str(c, doc, seg, 2, 0);
            }
            if (hs != NULL && g->hs == NULL) {
                g->hs = hs;
            } else {
                vg__edi_unmapped(c, doc, seg);
            }
        } else if (vg_edifact_is(seg, "TMD") && g != NULL) {
            vg__edi_unmapped(c, doc, seg);
        } else if (vg_edifact_is(seg, "MEA")) {
            weight_into(c, doc, seg, eq, eq == NULL ? g : NULL, (eq == NULL && g == NULL) ? k : NULL);
        } else if (vg_edifact_is(seg, "MOA") && g != NULL) {
            double value;
            if (vg_edifact_decimal(seg, 1, 1, &value) == VG_OK) {
                g->value = value;
                g->currency = vg__edi_str(c, doc, seg, 1, 2);
            } else {
                vg__edi_unmapped(c, doc, seg);
            }
        } else if (vg_edifact_is(seg, "SGP") && g != NULL) {
            struct ing_placement *pl = vg__ing_push(doc->arena, &g->placements, sizeof(*pl));
            if (pl == NULL) {
                c->oom = true;
                break;
            }
            pl->container = vg__edi_str(c, doc, seg, 1, 0);
            int64_t n;
            pl->packages = vg_edifact_int(seg, 2, 0, &n) == VG_OK ? n : -1;
            pl->gross_kg = NAN;
        } else if (vg_edifact_is(seg, "EQD")) {
            if (k != NULL) {
                eq = new_equipment(c, doc, &k->equipment, seg, sizeof(struct ing_equipment));
            } else {
                struct header_eq *h = (struct header_eq *)new_equipment(c, doc, &header_eq, seg,
                                                                        sizeof(struct header_eq));
                eq = h != NULL ? &h->eq : NULL;
            }
            g = NULL;
        } else if (vg_edifact_is(seg, "SEL") && eq != NULL) {
            vg__edi_sel(c, doc, seg, &eq->seals);
        } else {
            vg__edi_unmapped(c, doc, seg);
        }
    }
    if (c->oom) {
        return VG_ENOMEM;
    }
    /* The call this manifest reports: its port of departure or loading; an arrival
     * manifest names only the port of arrival. */
    if (v->port == NULL) {
        v->port = arrival_port;
    }
    /* Header-level equipment goes to the consignments whose goods name it. */
    for (size_t ci = 0; ci < doc->consignments.n; ci++) {
        struct ing_consignment *kc = ING_AT(doc->consignments, struct ing_consignment, ci);
        for (size_t gi = 0; gi < kc->goods.n; gi++) {
            struct ing_goods *gg = ING_AT(kc->goods, struct ing_goods, gi);
            for (size_t pi = 0; pi < gg->placements.n; pi++) {
                const char *num = ING_AT(gg->placements, struct ing_placement, pi)->container;
                bool have = false;
                for (size_t ei = 0; ei < kc->equipment.n && num != NULL; ei++) {
                    const char *en = ING_AT(kc->equipment, struct ing_equipment, ei)->number;
                    have |= en != NULL && strcmp(en, num) == 0;
                }
                for (size_t hi = 0; hi < header_eq.n && !have && num != NULL; hi++) {
                    struct header_eq *h = ING_AT(header_eq, struct header_eq, hi);
                    if (h->eq.number != NULL && strcmp(h->eq.number, num) == 0) {
                        struct ing_equipment *ne =
                            vg__ing_push(doc->arena, &kc->equipment, sizeof(*ne));
                        if (ne == NULL) {
                            return VG_ENOMEM;
                        }
                        *ne = h->eq;
                        h->used = true;
                        have = true;
                    }
                }
            }
        }
    }
    /* Equipment no consignment named: to the only consignment, else recorded as such. */
    for (size_t hi = 0; hi < header_eq.n; hi++) {
        struct header_eq *h = ING_AT(header_eq, struct header_eq, hi);
        if (h->used || h->eq.number == NULL) {
            continue;
        }
        if (doc->consignments.n == 1) {
            struct ing_consignment *kc = ING_AT(doc->consignments, struct ing_consignment, 0);
            struct ing_equipment *ne = vg__ing_push(doc->arena, &kc->equipment, sizeof(*ne));
            if (ne == NULL) {
                return VG_ENOMEM;
            }
            *ne = h->eq;
        } else if (vg__ing_note(doc, &h->eq.src, "unassigned_equipment", "container", h->eq.number,
                                "a consignment naming it (SGP)",
                                "equipment listed in the manifest but carried by no "
                                "consignment") != VG_OK) {
            return VG_ENOMEM;
        }
    }
    return VG_OK;
}
