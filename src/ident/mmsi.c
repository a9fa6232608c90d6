/*
 * MMSI classification (vigia/ident.h), after ITU-R M.585 annex 1: the position of the
 * Maritime Identification Digits (MID) in the nine digits tells the kind of station.
 */
#include <vigia/ident.h>

#include <stdio.h>
#include <string.h>

#include "ident/ident_int.h"

const char *vg_mmsi_kind_name(enum vg_mmsi_kind kind)
{
    switch (kind) {
    case VG_MMSI_SHIP: return "ship";
    case VG_MMSI_GROUP: return "group of ships";
    case VG_MMSI_COAST_STATION: return "coast station";
    case VG_MMSI_SAR_AIRCRAFT: return "SAR aircraft";
    case VG_MMSI_HANDHELD: return "handheld VHF";
    case VG_MMSI_SART: return "AIS-SART";
    case VG_MMSI_MOB: return "man overboard device";
    case VG_MMSI_EPIRB: return "EPIRB-AIS";
    case VG_MMSI_CRAFT_OF_SHIP: return "craft associated with a parent ship";
    case VG_MMSI_ATON: return "aid to navigation";
    case VG_MMSI_INVALID: break;
    }
    return "invalid";
}

enum vg_status vg_mmsi_classify(uint32_t mmsi, struct vg_mmsi *out, struct vg_error *err)
{
    memset(out, 0, sizeof(*out));
    out->mmsi = mmsi;
    out->flag_name = "";
    if (mmsi > 999999999u) {
        return vg_error_set(err, VG_EPARSE, "MMSI %u has more than 9 digits", (unsigned)mmsi);
    }
    char d[10];
    snprintf(d, sizeof(d), "%09u", (unsigned)mmsi);
    unsigned mid = 0;
    if (memcmp(d, "970", 3) == 0) {
        out->kind = VG_MMSI_SART;
    } else if (memcmp(d, "972", 3) == 0) {
        out->kind = VG_MMSI_MOB;
    } else if (memcmp(d, "974", 3) == 0) {
        out->kind = VG_MMSI_EPIRB;
    } else if (memcmp(d, "111", 3) == 0) {
        out->kind = VG_MMSI_SAR_AIRCRAFT;
        mid = (unsigned)((d[3] - '0') * 100 + (d[4] - '0') * 10 + (d[5] - '0'));
    } else if (memcmp(d, "00", 2) == 0) {
        out->kind = VG_MMSI_COAST_STATION;
        mid = (unsigned)((d[2] - '0') * 100 + (d[3] - '0') * 10 + (d[4] - '0'));
    } else if (d[0] == '0') {
        out->kind = VG_MMSI_GROUP;
        mid = (unsigned)((d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0'));
    } else if (memcmp(d, "98", 2) == 0) {
        out->kind = VG_MMSI_CRAFT_OF_SHIP;
        mid = (unsigned)((d[2] - '0') * 100 + (d[3] - '0') * 10 + (d[4] - '0'));
    } else if (memcmp(d, "99", 2) == 0) {
        out->kind = VG_MMSI_ATON;
        mid = (unsigned)((d[2] - '0') * 100 + (d[3] - '0') * 10 + (d[4] - '0'));
    } else if (d[0] == '8') {
        out->kind = VG_MMSI_HANDHELD;
        mid = (unsigned)((d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0'));
    } else if (d[0] >= '2' && d[0] <= '7') {
        out->kind = VG_MMSI_SHIP;
        mid = (unsigned)((d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0'));
    } else {
        out->kind = VG_MMSI_INVALID;
        return vg_error_set(err, VG_ECHECK, "MMSI %s does not start like any station kind", d);
    }
    out->mid = (uint16_t)mid;
    if (mid == 0) {
        return VG_OK; /* SART, MOB, EPIRB carry no MID */
    }
    const char *a2 = NULL, *name = NULL;
    if (!vg_mid_lookup(mid, &a2, &name)) {
        return vg_error_set(err, VG_ECHECK, "MMSI %s: MID %03u is not allocated to any country",
                            d, mid);
    }
    memcpy(out->flag, a2, 3);
    out->flag_name = name;
    return VG_OK;
}

enum vg_status vg_mmsi_parse(struct vg_slice text, struct vg_mmsi *out, struct vg_error *err)
{
    char s[16];
    size_t n = vg__ident_normalize(text, s, sizeof(s));
    memset(out, 0, sizeof(*out));
    out->flag_name = "";
    if (n != 9) {
        return vg_error_set(err, VG_EPARSE, "MMSI '%.*s' must have 9 digits", VG_IDENT_QUOTE(text));
    }
    uint32_t v = 0;
    for (int i = 0; i < 9; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return vg_error_set(err, VG_EPARSE, "MMSI '%.*s' must have 9 digits",
                                VG_IDENT_QUOTE(text));
        }
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    return vg_mmsi_classify(v, out, err);
}
