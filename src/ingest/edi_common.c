/* Shared helpers of the EDIFACT mappers (edi_int.h). */
#include "ingest/edi_int.h"

#include <stdio.h>
#include <string.h>

#include <vigia/ident.h>

const char *vg__edi_str(struct edi_ctx *c, struct ing_document *doc,
                        const struct vg_edifact_segment *seg, size_t e, size_t comp)
{
    struct vg_slice raw = vg_edifact_raw(seg, e, comp);
    if (raw.len == 0) {
        return NULL;
    }
    vg_buf_reset(&c->text);
    if (vg_edifact_text(seg, e, comp, &c->text) != VG_OK) {
        c->oom = true;
        return NULL;
    }
    bool oom = false;
    const char *s = vg__ing_str(doc, vg_buf_slice(&c->text), &oom);
    c->oom |= oom;
    return s;
}

bool vg__edi_is(const struct vg_edifact_segment *seg, size_t e, size_t comp, const char *text)
{
    return vg_slice_eq_cstr(vg_slice_trim(vg_edifact_raw(seg, e, comp)), text);
}

struct ing_source vg__edi_src(const struct vg_edifact_segment *seg)
{
    struct ing_source s = { (int32_t)seg->number, (int64_t)seg->offset, seg->line, NULL };
    return s;
}

int64_t vg__edi_dtm(struct edi_ctx *c, struct ing_document *doc,
                    const struct vg_edifact_segment *seg, int *qualifier)
{
    int64_t q = -1;
    if (vg_edifact_int(seg, 1, 0, &q) != VG_OK) {
        q = -1;
    }
    *qualifier = (int)q;
    struct vg_slice value = vg_slice_trim(vg_edifact_raw(seg, 1, 1));
    if (value.len == 0) {
        return VG_TIME_NONE;
    }
    int64_t fmt = 0;
    if (vg_edifact_int(seg, 1, 2, &fmt) != VG_OK) {
        fmt = 0;
    }
    int64_t t;
    struct vg_error e;
    vg_error_clear(&e);
    if (vg_time_parse_edifact((int)fmt, value, c->zone_known ? &c->zone : NULL, &t, &e) != VG_OK) {
        struct ing_source src = vg__edi_src(seg);
        char v[48];
        vg_slice_copy(value, v, sizeof(v));
        src.tag = "DTM";
        if (vg__ing_note(doc, &src, "malformed_date", "C507", v,
                         "a date/time in the stated format", e.message) != VG_OK) {
            c->oom = true;
        }
        return VG_TIME_NONE;
    }
    return t;
}

/* Measurement units of a weight (UN/ECE Recommendation 20) and their factor to kilograms;
 * KGS and KG are not in it but senders write them for kilograms. */
static const struct {
    const char *code;
    double to_kg;
} weight_units[] = {
    { "KGM", 1.0 },   { "TNE", 1000.0 }, { "LBR", 0.45359237 },
    { "GRM", 0.001 }, { "KGS", 1.0 },    { "KG", 1.0 },
};

double vg__edi_weight(struct edi_ctx *c, struct ing_document *doc,
                      const struct vg_edifact_segment *seg, const char **what)
{
    static const char *const kinds[] = { "G", "T", "AAB", "VGM", "EGW", "AAW", "N" };
    *what = "";
    struct vg_slice w = vg_slice_trim(vg_edifact_raw(seg, 2, 0));
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (vg_slice_eq_cstr(w, kinds[i])) {
            *what = kinds[i];
        }
    }
    if (vg__edi_is(seg, 1, 0, "VGM")) {
        *what = "VGM";
    }
    double v;
    if (vg_edifact_decimal(seg, 3, 1, &v) != VG_OK) {
        return NAN;
    }
    struct vg_slice unit = vg_slice_trim(vg_edifact_raw(seg, 3, 0));
    for (size_t i = 0; i < sizeof(weight_units) / sizeof(weight_units[0]); i++) {
        if (vg_slice_eq_cstr(unit, weight_units[i].code)) {
            return v * weight_units[i].to_kg;
        }
    }
    /* A weight (qualifier WT or VGM, or AAE with a kind other than the volume AAW) in a
     * unit that is not of mass: kept in the message's unmapped text, and flagged. A volume
     * in cubic metres is not a weight and goes unmapped silently. */
    bool weight = vg__edi_is(seg, 1, 0, "WT") || vg__edi_is(seg, 1, 0, "VGM") ||
                  (vg__edi_is(seg, 1, 0, "AAE") && (*what)[0] != '\0' && strcmp(*what, "AAW") != 0);
    if (weight) {
        struct ing_source src = vg__edi_src(seg);
        src.tag = "MEA";
        char u[16];
        vg_slice_copy(unit, u, sizeof(u));
        if (vg__ing_note(doc, &src, "unknown_unit", "C174", u[0] != '\0' ? u : "(none)",
                         "a unit of mass: KGM, TNE, LBR or GRM",
                         "the weight is kept in the message, not used") != VG_OK) {
            c->oom = true;
        }
    }
    return NAN;
}

void vg__edi_unmapped(struct edi_ctx *c, struct ing_document *doc,
                      const struct vg_edifact_segment *seg)
{
    if (vg__ing_unmapped(doc, seg->text) != VG_OK) {
        c->oom = true;
    }
}

enum ing_place_kind vg__edi_place_kind(const struct vg_edifact_segment *loc)
{
    static const struct {
        const char *q;
        enum ing_place_kind k;
    } map[] = {
        { "5", ING_PLACE_DEPARTURE },      { "9", ING_PLACE_LOADING },
        { "11", ING_PLACE_DISCHARGE },     { "13", ING_PLACE_TRANSHIPMENT },
        { "7", ING_PLACE_DELIVERY },       { "88", ING_PLACE_RECEIPT },
        { "61", ING_PLACE_NEXT_CALL },     { "76", ING_PLACE_ORIGIN_LOADING },
        { "8", ING_PLACE_DESTINATION },    { "83", ING_PLACE_DESTINATION },
        { "27", ING_PLACE_ORIGIN },        { "35", ING_PLACE_ORIGIN },
        { "60", ING_PLACE_DISCHARGE },     { "12", ING_PLACE_DISCHARGE },
        { "64", ING_PLACE_TRANSHIPMENT },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (vg__edi_is(loc, 1, 0, map[i].q)) {
            return map[i].k;
        }
    }
    return ING_PLACE_OTHER;
}

void vg__edi_tdt(struct edi_ctx *c, struct ing_document *doc,
                 const struct vg_edifact_segment *tdt, struct ing_voyage *v)
{
    const char *voyage = vg__edi_str(c, doc, tdt, 2, 0);
    if (voyage != NULL) {
        v->voyage = voyage;
    }
    const char *carrier = vg__edi_str(c, doc, tdt, 5, 0);
    if (carrier == NULL) {
        carrier = vg__edi_str(c, doc, tdt, 5, 3);
    }
    if (carrier != NULL) {
        v->carrier = carrier;
    }
    const char *id = vg__edi_str(c, doc, tdt, 8, 0);
    const char *name = vg__edi_str(c, doc, tdt, 8, 3);
    const char *flag = vg__edi_str(c, doc, tdt, 8, 4);
    if (id != NULL) {
        bool imo_list = vg__edi_is(tdt, 8, 1, "146") || vg__edi_is(tdt, 8, 1, "11") ||
                        vg__edi_is(tdt, 8, 1, "IMO");
        bool call_list = vg__edi_is(tdt, 8, 1, "103");
        uint32_t imo;
        if (imo_list || (!call_list && vg_imo_parse(vg_slice_from_cstr(id), &imo, NULL) == VG_OK)) {
            v->vessel.imo = id;
        } else {
            v->vessel.call_sign = id;
        }
    }
    if (name != NULL) {
        v->vessel.name = name;
    }
    if (flag != NULL) {
        v->vessel.flag = flag;
    }
    v->src = vg__edi_src(tdt);
    v->src.tag = "TDT";
}

const char *vg__edi_party_role(const char *q)
{
    static const struct {
        const char *q, *role;
    } map[] = {
        { "CZ", "shipper" },   { "SH", "shipper" },   { "CN", "consignee" }, { "N1", "notify" },
        { "NI", "notify" },    { "N2", "notify" },    { "FW", "forwarder" }, { "CA", "carrier" },
        { "CB", "broker" },    { "MF", "manufacturer" }, { "BY", "buyer" },  { "SE", "seller" },
        { "SU", "supplier" },  { "OS", "shipper" },   { "UC", "consignee" }, { "DP", "delivery" },
        { "BF", "booking" },   { "HI", "broker" },    { "FX", "stuffer" },   { "CG", "stuffer" },
    };
    for (size_t i = 0; q != NULL && i < sizeof(map) / sizeof(map[0]); i++) {
        if (strcmp(map[i].q, q) == 0) {
            return map[i].role;
        }
    }
    return NULL;
}

/* Joins components from..to of an element with spaces into the arena. */
static const char *join(struct edi_ctx *c, struct ing_document *doc,
                        const struct vg_edifact_segment *seg, size_t e, size_t from, size_t to)
{
    struct vg_buf b;
    vg_buf_init(&b, 4096);
    for (size_t k = from; k <= to; k++) {
        const char *part = vg__edi_str(c, doc, seg, e, k);
        if (part == NULL) {
            continue;
        }
        if ((b.len > 0 && vg_buf_append_char(&b, ' ') != VG_OK) ||
            vg_buf_append_cstr(&b, part) != VG_OK) {
            c->oom = true;
            break;
        }
    }
    const char *s = NULL;
    if (b.len > 0) {
        bool oom = false;
        s = vg__ing_str(doc, vg_buf_slice(&b), &oom);
        c->oom |= oom;
    }
    vg_buf_release(&b);
    return s;
}

void vg__edi_nad(struct edi_ctx *c, struct ing_document *doc,
                 const struct vg_edifact_segment *nad, struct ing_party *p)
{
    const char *q = vg__edi_str(c, doc, nad, 1, 0);
    p->role = vg__edi_party_role(q);
    p->id = vg__edi_str(c, doc, nad, 2, 0);
    if (vg__edi_is(nad, 2, 1, "RUC")) {
        p->id_scheme = "RUC";
    }
    /* The structured name (C080) when given, else the first line of the free-form name
     * and address (C058), whose other lines are the address. */
    p->name = join(c, doc, nad, 4, 0, 4);
    if (p->name == NULL) {
        p->name = vg__edi_str(c, doc, nad, 3, 0);
        p->address = join(c, doc, nad, 3, 1, 4);
    }
    const char *street = join(c, doc, nad, 5, 0, 3);
    if (street != NULL) {
        p->address = street;
    }
    p->city = vg__edi_str(c, doc, nad, 6, 0);
    p->postcode = vg__edi_str(c, doc, nad, 8, 0);
    p->country = vg__edi_str(c, doc, nad, 9, 0);
    p->src = vg__edi_src(nad);
    p->src.tag = "NAD";
}

void vg__edi_sel(struct edi_ctx *c, struct ing_document *doc,
                 const struct vg_edifact_segment *sel, struct ing_vec *seals)
{
    const char *number = vg__edi_str(c, doc, sel, 1, 0);
    if (number == NULL) {
        return;
    }
    struct ing_seal *s = vg__ing_push(doc->arena, seals, sizeof(*s));
    if (s == NULL) {
        c->oom = true;
        return;
    }
    s->number = number;
    s->party = vg__edi_str(c, doc, sel, 2, 0);
}

void vg__edi_bgm(struct edi_ctx *c, struct ing_document *doc,
                 const struct vg_edifact_segment *bgm)
{
    doc->doc_number = vg__edi_str(c, doc, bgm, 2, 0);
    static const struct {
        const char *code;
        enum ing_function f;
    } map[] = { { "9", ING_FN_ORIGINAL }, { "5", ING_FN_REPLACE }, { "4", ING_FN_CHANGE },
                { "1", ING_FN_CANCEL },   { "3", ING_FN_CANCEL },  { "2", ING_FN_CHANGE } };
    doc->function = ING_FN_ORIGINAL;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (vg__edi_is(bgm, 3, 0, map[i].code)) {
            doc->function = map[i].f;
        }
    }
}

const char *vg__edi_full_empty(const struct vg_edifact_segment *eqd)
{
    if (vg__edi_is(eqd, 6, 0, "5")) {
        return "full";
    }
    if (vg__edi_is(eqd, 6, 0, "4")) {
        return "empty";
    }
    return NULL;
}
