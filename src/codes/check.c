/* One identifier, checked and explained (vigia/codes.h, `vigia codes check`). */
#include "codes/codes_int.h"

#include <stdio.h>
#include <string.h>

#include <vigia/ident.h>

bool vg_code_kind_parse(const char *name, enum vg_code_kind *out)
{
    static const struct {
        const char *name;
        enum vg_code_kind kind;
    } kinds[] = {
        { "container", VG_CODE_CONTAINER }, { "sizetype", VG_CODE_SIZE_TYPE },
        { "size-type", VG_CODE_SIZE_TYPE }, { "imo", VG_CODE_IMO },
        { "mmsi", VG_CODE_MMSI },           { "locode", VG_CODE_LOCODE },
        { "unlocode", VG_CODE_LOCODE },     { "hs", VG_CODE_HS },
        { "ruc", VG_CODE_RUC },
    };
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(name, kinds[i].name) == 0) {
            *out = kinds[i].kind;
            return true;
        }
    }
    return false;
}

static const char *category_name(char c)
{
    switch (c) {
    case 'U': return "freight container";
    case 'J': return "detachable freight container-related equipment";
    case 'Z': return "trailer or chassis";
    default: return "unknown";
    }
}

enum vg_status vg_codes_check(struct vg_store *store, enum vg_code_kind kind, const char *text,
                              struct vg_code_check *out, struct vg_error *err)
{
    memset(out, 0, sizeof(*out));
    struct vg_slice t = vg_slice_from_cstr(text);
    struct vg_error e;
    vg_error_clear(&e);
    enum vg_status s;
    switch (kind) {
    case VG_CODE_CONTAINER: {
        struct vg_container_number c;
        s = vg_container_parse(t, &c, &e);
        snprintf(out->normalized, sizeof(out->normalized), "%s", c.text);
        if (s == VG_OK) {
            out->valid = true;
            snprintf(out->summary, sizeof(out->summary),
                     "%s is a valid ISO 6346 container number: owner %s, category %c (%s), "
                     "serial %s, check digit %d",
                     c.text, c.owner, c.category, category_name(c.category), c.serial,
                     c.check_digit);
        } else {
            snprintf(out->summary, sizeof(out->summary), "%s", e.message);
        }
        return VG_OK;
    }
    case VG_CODE_SIZE_TYPE: {
        struct vg_size_type z;
        s = vg_size_type_parse(t, &z, &e);
        snprintf(out->normalized, sizeof(out->normalized), "%s", z.code);
        if (s == VG_OK) {
            out->valid = true;
            snprintf(out->summary, sizeof(out->summary),
                     "%s: %d ft (%d mm) long, %s%s, %s: %s%s", z.code, z.length_ft, z.length_mm,
                     z.high_cube ? "high cube" : "standard height", z.wide ? ", wide" : "",
                     vg_equipment_group_name(z.group), z.description,
                     z.legacy ? " (ISO 6346:1984 code)" : "");
        } else {
            snprintf(out->summary, sizeof(out->summary), "%s", e.message);
        }
        return VG_OK;
    }
    case VG_CODE_IMO: {
        uint32_t imo = 0;
        s = vg_imo_parse(t, &imo, &e);
        if (s == VG_OK || s == VG_ECHECK) {
            snprintf(out->normalized, sizeof(out->normalized), "%07u", (unsigned)imo);
        }
        out->valid = s == VG_OK;
        if (s == VG_OK) {
            snprintf(out->summary, sizeof(out->summary), "IMO %07u is a valid IMO ship number",
                     (unsigned)imo);
        } else {
            snprintf(out->summary, sizeof(out->summary), "%s", e.message);
        }
        return VG_OK;
    }
    case VG_CODE_MMSI: {
        struct vg_mmsi m;
        s = vg_mmsi_parse(t, &m, &e);
        if (s == VG_OK || s == VG_ECHECK) {
            snprintf(out->normalized, sizeof(out->normalized), "%09u", (unsigned)m.mmsi);
        }
        out->valid = s == VG_OK;
        if (s == VG_OK) {
            if (m.mid != 0) {
                snprintf(out->summary, sizeof(out->summary),
                         "MMSI %09u: %s, MID %03u, flag %s (%s)", (unsigned)m.mmsi,
                         vg_mmsi_kind_name(m.kind), (unsigned)m.mid, m.flag, m.flag_name);
            } else {
                snprintf(out->summary, sizeof(out->summary), "MMSI %09u: %s", (unsigned)m.mmsi,
                         vg_mmsi_kind_name(m.kind));
            }
        } else {
            snprintf(out->summary, sizeof(out->summary), "%s", e.message);
        }
        return VG_OK;
    }
    case VG_CODE_LOCODE: {
        char code[6];
        s = vg_locode_parse(t, code, &e);
        if (s != VG_OK) {
            snprintf(out->summary, sizeof(out->summary), "%s", e.message);
            if (s == VG_ECHECK) {
                memcpy(out->normalized, code, 6);
            }
            return VG_OK;
        }
        memcpy(out->normalized, code, 6);
        if (store == NULL) {
            out->valid = true;
            snprintf(out->summary, sizeof(out->summary),
                     "%s is a well-formed UN/LOCODE (not looked up: no store)", code);
            return VG_OK;
        }
        struct vg_locode_info info;
        s = vg_codes_locode_lookup(store, code, &info, &e);
        if (s == VG_OK) {
            out->valid = true;
            snprintf(out->summary, sizeof(out->summary), "%s: %s (%s)%s%s, functions %s", code,
                     info.name, info.country, info.subdivision[0] ? ", " : "", info.subdivision,
                     info.functions[0] ? info.functions : "none");
            return VG_OK;
        }
        if (s == VG_ENOTFOUND) {
            snprintf(out->summary, sizeof(out->summary),
                     "%s is well-formed but not in the imported UN/LOCODE list", code);
            return VG_OK;
        }
        if (err != NULL) {
            *err = e;
        }
        return s;
    }
    case VG_CODE_HS: {
        struct vg_hs_code hs;
        s = vg_hs_parse(t, &hs, &e);
        if (s != VG_OK) {
            snprintf(out->summary, sizeof(out->summary), "%s", e.message);
            return VG_OK;
        }
        snprintf(out->normalized, sizeof(out->normalized), "%s", hs.digits);
        if (store == NULL) {
            out->valid = true;
            snprintf(out->summary, sizeof(out->summary),
                     "%s is a well-formed HS code (not looked up: no store)", hs.digits);
            return VG_OK;
        }
        struct vg_hs_info info;
        s = vg_codes_hs_lookup(store, hs.digits, &info, &e);
        if (s == VG_OK) {
            out->valid = true;
            if (hs.length > 6) {
                snprintf(out->summary, sizeof(out->summary),
                         "%s: national subheading of HS %s, %s", hs.digits, info.code,
                         info.description);
            } else {
                snprintf(out->summary, sizeof(out->summary), "%s: %s", hs.digits,
                         info.description);
            }
            return VG_OK;
        }
        if (s == VG_ENOTFOUND) {
            snprintf(out->summary, sizeof(out->summary), "%s", e.message);
            return VG_OK;
        }
        if (err != NULL) {
            *err = e;
        }
        return s;
    }
    case VG_CODE_RUC: {
        struct vg_ruc r;
        s = vg_ruc_parse(t, &r, &e);
        snprintf(out->normalized, sizeof(out->normalized), "%s", r.text);
        out->valid = s == VG_OK;
        if (s == VG_OK) {
            snprintf(out->summary, sizeof(out->summary), "RUC %s is valid (%s)", r.text, r.kind);
        } else {
            snprintf(out->summary, sizeof(out->summary), "%s", e.message);
        }
        return VG_OK;
    }
    }
    return vg_error_set(err, VG_EINVAL, "unknown identifier kind");
}
