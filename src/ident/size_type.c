/*
 * ISO 6346 size and type codes (vigia/ident.h).
 *
 * 1995 codes (ISO 6346:1995 annex D/E): character 1 length, character 2 height and width,
 * characters 3-4 type (group letter + detail digit). Legacy 1984 codes are four digits:
 * length, height, then a two-digit type whose first digit gives the group (0/1 general,
 * 2 insulated, 3 reefer, 4 heated or removable equipment, 5 open top, 6 platform,
 * 7 tank, 8 bulk, 9 air/surface). Real bay plans still carry both ("22G1", "4532").
 */
#include <vigia/ident.h>

#include <string.h>

#include "ident/ident_int.h"

struct length_code {
    char code;
    int mm;
    int ft;
};

static const struct length_code length_codes[] = {
    { '1', 2991, 10 },  { '2', 6068, 20 },  { '3', 9125, 30 },  { '4', 12192, 40 },
    { 'A', 7150, 23 },  { 'B', 7315, 24 },  { 'C', 7430, 24 },  { 'D', 7450, 24 },
    { 'E', 7820, 26 },  { 'F', 8100, 27 },  { 'G', 12500, 41 }, { 'H', 13106, 43 },
    { 'K', 13600, 45 }, { 'L', 13716, 45 }, { 'M', 14630, 48 }, { 'N', 14935, 49 },
    { 'P', 16154, 53 },
};

struct height_code {
    char code;
    int mm;      /* nominal height; "more than" codes use the bound plus 1 */
    bool wide;
};

static const struct height_code height_codes[] = {
    { '0', 2438, false }, { '2', 2591, false }, { '4', 2743, false }, { '5', 2895, false },
    { '6', 2896, false }, { '8', 1295, false }, { '9', 1219, false }, { 'C', 2591, true },
    { 'D', 2743, true },  { 'E', 2895, true },  { 'F', 2896, true },  { 'L', 2591, true },
    { 'M', 2743, true },  { 'N', 2895, true },  { 'P', 2896, true },
};

/* Legacy (1984) height digits: 0/1 8 ft, 2/3 8 ft 6 in, 4 over 8 ft 6 in, 5 9 ft 6 in,
 * 6 over 9 ft 6 in, 8 4 ft 3 in, 9 under 4 ft. */
static const struct height_code legacy_height_codes[] = {
    { '0', 2438, false }, { '1', 2438, false }, { '2', 2591, false }, { '3', 2591, false },
    { '4', 2743, false }, { '5', 2895, false }, { '6', 2896, false }, { '8', 1295, false },
    { '9', 1219, false },
};

struct type_code {
    const char *code;
    enum vg_equipment_group group;
    const char *description;
};

static const struct type_code type_codes[] = {
    { "G0", VG_EQUIP_GENERAL, "general purpose, openings at one or both ends" },
    { "G1", VG_EQUIP_GENERAL, "general purpose, passive vents at upper part" },
    { "G2", VG_EQUIP_GENERAL, "general purpose, end openings and full side openings" },
    { "G3", VG_EQUIP_GENERAL, "general purpose, end openings and partial side openings" },
    { "V0", VG_EQUIP_VENTILATED, "ventilated, non-mechanical vents" },
    { "V2", VG_EQUIP_VENTILATED, "ventilated, internal mechanical ventilation" },
    { "V4", VG_EQUIP_VENTILATED, "ventilated, external mechanical ventilation" },
    { "R0", VG_EQUIP_REEFER, "reefer, mechanically refrigerated" },
    { "R1", VG_EQUIP_REEFER, "reefer, mechanically refrigerated and heated" },
    { "R2", VG_EQUIP_REEFER, "reefer, self-powered refrigeration" },
    { "R3", VG_EQUIP_REEFER, "reefer, self-powered refrigeration and heating" },
    { "H0", VG_EQUIP_INSULATED, "refrigerated or heated, removable external equipment" },
    { "H1", VG_EQUIP_INSULATED, "refrigerated or heated, removable internal equipment" },
    { "H2", VG_EQUIP_INSULATED, "refrigerated or heated, removable external equipment (K=0.7)" },
    { "H5", VG_EQUIP_INSULATED, "insulated (K=0.4)" },
    { "H6", VG_EQUIP_INSULATED, "insulated (K=0.7)" },
    { "U0", VG_EQUIP_OPEN_TOP, "open top, openings at one or both ends" },
    { "U1", VG_EQUIP_OPEN_TOP, "open top, removable top members in end frames" },
    { "U2", VG_EQUIP_OPEN_TOP, "open top, end and side openings" },
    { "U3", VG_EQUIP_OPEN_TOP, "open top, end and side openings, removable top members" },
    { "U4", VG_EQUIP_OPEN_TOP, "open top, end openings, partial side openings" },
    { "U5", VG_EQUIP_OPEN_TOP, "hard top" },
    { "T0", VG_EQUIP_TANK, "tank, non-dangerous liquids, 0.45 bar" },
    { "T1", VG_EQUIP_TANK, "tank, non-dangerous liquids, 1.5 bar" },
    { "T2", VG_EQUIP_TANK, "tank, non-dangerous liquids, 2.65 bar" },
    { "T3", VG_EQUIP_TANK, "tank, dangerous liquids, 1.5 bar" },
    { "T4", VG_EQUIP_TANK, "tank, dangerous liquids, 2.65 bar" },
    { "T5", VG_EQUIP_TANK, "tank, dangerous liquids, 4 bar" },
    { "T6", VG_EQUIP_TANK, "tank, dangerous liquids, 6 bar" },
    { "T7", VG_EQUIP_TANK, "tank, gases, 9.1 bar" },
    { "T8", VG_EQUIP_TANK, "tank, gases, 22 bar" },
    { "T9", VG_EQUIP_TANK, "tank, gases, test pressure to be decided" },
    { "B0", VG_EQUIP_BULK, "dry bulk, closed" },
    { "B1", VG_EQUIP_BULK, "dry bulk, airtight" },
    { "B3", VG_EQUIP_BULK, "dry bulk, horizontal discharge, 1.5 bar" },
    { "B4", VG_EQUIP_BULK, "dry bulk, horizontal discharge, 2.65 bar" },
    { "B5", VG_EQUIP_BULK, "dry bulk, tipping discharge, 1.5 bar" },
    { "B6", VG_EQUIP_BULK, "dry bulk, tipping discharge, 2.65 bar" },
    { "P0", VG_EQUIP_FLAT, "platform" },
    { "P1", VG_EQUIP_FLAT, "flat rack, two complete fixed ends" },
    { "P2", VG_EQUIP_FLAT, "flat rack, fixed posts" },
    { "P3", VG_EQUIP_FLAT, "flat rack, folding complete ends" },
    { "P4", VG_EQUIP_FLAT, "flat rack, folding posts" },
    { "P5", VG_EQUIP_FLAT, "platform, open top and open ends (skeletal)" },
    { "S0", VG_EQUIP_NAMED_CARGO, "named cargo, livestock carrier" },
    { "S1", VG_EQUIP_NAMED_CARGO, "named cargo, automobile carrier" },
    { "S2", VG_EQUIP_NAMED_CARGO, "named cargo, live fish carrier" },
};

struct group_letter {
    char letter;
    enum vg_equipment_group group;
    const char *description;
};

static const struct group_letter group_letters[] = {
    { 'G', VG_EQUIP_GENERAL, "general purpose" },   { 'V', VG_EQUIP_VENTILATED, "ventilated" },
    { 'B', VG_EQUIP_BULK, "dry bulk" },             { 'S', VG_EQUIP_NAMED_CARGO, "named cargo" },
    { 'R', VG_EQUIP_REEFER, "reefer" },             { 'H', VG_EQUIP_INSULATED, "insulated or heated" },
    { 'U', VG_EQUIP_OPEN_TOP, "open top" },         { 'P', VG_EQUIP_FLAT, "platform or flat rack" },
    { 'T', VG_EQUIP_TANK, "tank" },                 { 'N', VG_EQUIP_TANK, "non-pressurised dry bulk tank" },
    { 'K', VG_EQUIP_TANK, "tank" },                 { 'A', VG_EQUIP_AIR_SURFACE, "air/surface" },
};

static const struct group_letter legacy_groups[] = {
    { '0', VG_EQUIP_GENERAL, "general purpose" },   { '1', VG_EQUIP_GENERAL, "general purpose, vented" },
    { '2', VG_EQUIP_INSULATED, "insulated" },       { '3', VG_EQUIP_REEFER, "reefer" },
    { '4', VG_EQUIP_INSULATED, "refrigerated or heated, removable equipment" },
    { '5', VG_EQUIP_OPEN_TOP, "open top" },         { '6', VG_EQUIP_FLAT, "platform or flat rack" },
    { '7', VG_EQUIP_TANK, "tank" },                 { '8', VG_EQUIP_BULK, "dry bulk" },
    { '9', VG_EQUIP_AIR_SURFACE, "air/surface" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *vg_equipment_group_name(enum vg_equipment_group group)
{
    switch (group) {
    case VG_EQUIP_GENERAL: return "general";
    case VG_EQUIP_VENTILATED: return "ventilated";
    case VG_EQUIP_BULK: return "bulk";
    case VG_EQUIP_NAMED_CARGO: return "named cargo";
    case VG_EQUIP_REEFER: return "reefer";
    case VG_EQUIP_INSULATED: return "insulated";
    case VG_EQUIP_OPEN_TOP: return "open top";
    case VG_EQUIP_FLAT: return "flat";
    case VG_EQUIP_TANK: return "tank";
    case VG_EQUIP_AIR_SURFACE: return "air/surface";
    case VG_EQUIP_UNKNOWN: break;
    }
    return "unknown";
}

static const struct height_code *find_height(const struct height_code *t, size_t n, char c)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i].code == c) {
            return &t[i];
        }
    }
    return NULL;
}

enum vg_status vg_size_type_parse(struct vg_slice text, struct vg_size_type *out,
                                  struct vg_error *err)
{
    char s[8];
    size_t n = vg__ident_normalize(text, s, sizeof(s));
    memset(out, 0, sizeof(*out));
    out->description = "";
    if (n != 4) {
        return vg_error_set(err, VG_EPARSE, "size-type code '%.*s' must have 4 characters",
                            VG_IDENT_QUOTE(text));
    }
    memcpy(out->code, s, 5);
    out->legacy = s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' &&
                  s[2] <= '9' && s[3] >= '0' && s[3] <= '9';
    const struct length_code *len = NULL;
    for (size_t i = 0; i < COUNT(length_codes); i++) {
        if (length_codes[i].code == s[0]) {
            len = &length_codes[i];
        }
    }
    if (len == NULL) {
        return vg_error_set(err, VG_EPARSE, "size-type code %s: unknown length code '%c'", s, s[0]);
    }
    out->length_mm = len->mm;
    out->length_ft = len->ft;
    const struct height_code *h = out->legacy
                                      ? find_height(legacy_height_codes, COUNT(legacy_height_codes), s[1])
                                      : find_height(height_codes, COUNT(height_codes), s[1]);
    if (h == NULL) {
        return vg_error_set(err, VG_EPARSE, "size-type code %s: unknown height/width code '%c'",
                            s, s[1]);
    }
    out->height_mm = h->mm;
    out->wide = h->wide;
    out->high_cube = h->mm >= 2895;
    if (out->legacy) {
        for (size_t i = 0; i < COUNT(legacy_groups); i++) {
            if (legacy_groups[i].letter == s[2]) {
                out->group = legacy_groups[i].group;
                out->description = legacy_groups[i].description;
            }
        }
        return VG_OK;
    }
    for (size_t i = 0; i < COUNT(type_codes); i++) {
        if (memcmp(type_codes[i].code, s + 2, 2) == 0) {
            out->group = type_codes[i].group;
            out->description = type_codes[i].description;
            return VG_OK;
        }
    }
    for (size_t i = 0; i < COUNT(group_letters); i++) {
        if (group_letters[i].letter == s[2] && s[3] >= '0' && s[3] <= '9') {
            out->group = group_letters[i].group;
            out->description = group_letters[i].description;
            return VG_OK;
        }
    }
    return vg_error_set(err, VG_EPARSE, "size-type code %s: unknown type code '%c%c'", s, s[2],
                        s[3]);
}
