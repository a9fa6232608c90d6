/* Fuzz target: every identifier parser and the identifier check, on arbitrary text.
 * Invariants: a VG_OK or VG_ECHECK result re-parses to the same normalised form. */
#include <stdint.h>
#include <string.h>

#include <vigia/codes.h>
#include <vigia/ident.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_slice t = vg_slice_make((const char *)data, size);
    struct vg_error e;
    struct vg_container_number c;
    if (vg_container_parse(t, &c, &e) != VG_EPARSE) {
        struct vg_container_number c2;
        if (vg_container_parse(vg_slice_from_cstr(c.text), &c2, &e) == VG_EPARSE ||
            strcmp(c.text, c2.text) != 0) {
            __builtin_trap();
        }
    }
    struct vg_size_type z;
    (void)vg_size_type_parse(t, &z, &e);
    uint32_t imo;
    (void)vg_imo_parse(t, &imo, &e);
    struct vg_mmsi m;
    (void)vg_mmsi_parse(t, &m, &e);
    char loc[6];
    if (vg_locode_parse(t, loc, &e) != VG_EPARSE && strlen(loc) != 5) {
        __builtin_trap();
    }
    struct vg_hs_code h;
    if (vg_hs_parse(t, &h, &e) == VG_OK && (h.length < 2 || h.length > 10)) {
        __builtin_trap();
    }
    struct vg_ruc r;
    (void)vg_ruc_parse(t, &r, &e);
    /* The check API needs a NUL-terminated string. */
    char text[64];
    size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;
    memcpy(text, data, n);
    text[n] = '\0';
    for (int k = VG_CODE_CONTAINER; k <= VG_CODE_RUC; k++) {
        struct vg_code_check chk;
        if (vg_codes_check(NULL, (enum vg_code_kind)k, text, &chk, &e) != VG_OK) {
            continue;
        }
    }
    if (size >= 4) {
        uint32_t v;
        memcpy(&v, data, sizeof(v));
        (void)vg_mmsi_classify(v, &m, &e);
    }
    return 0;
}
