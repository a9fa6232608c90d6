/*
 * Code checks during ingest: a UN/LOCODE or HS code is checked for form and, when the
 * code list has been imported, for existence. A bad code never stops a message: it is
 * stored as sent and recorded as a finding.
 */
#include "ingest/session_int.h"

#include <stdio.h>
#include <string.h>

#include <vigia/ident.h>

/* Membership in a code table, cached: 1 known, 2 unknown. */
static enum vg_status known(struct ing_session *s, struct vg_map *cache, const char *sql,
                            const char *code, bool *is_known, struct vg_error *err)
{
    uint64_t v;
    if (vg_map_get(cache, code, strlen(code), &v)) {
        *is_known = v == 1;
        return VG_OK;
    }
    sqlite3_stmt *st = vg__store_stmt(s->store, sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    vg__bind_text(st, 1, code);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return vg__store_error(s->store, rc, "looking up a code", err);
    }
    *is_known = rc == SQLITE_ROW;
    return vg_map_set(cache, code, strlen(code), *is_known ? 1 : 2);
}

enum vg_status vg__ing_locode_norm(const char *code, char out[6], struct vg_error *perr)
{
    enum vg_status pst = vg_locode_parse(vg_slice_from_cstr(code), out, perr);
    if (pst == VG_EPARSE) {
        snprintf(out, 6, "%s", code);
    }
    return pst;
}

enum vg_status vg__ing_check_locode(struct ing_session *s, int64_t message_id,
                                    const struct ing_source *src, const char *field,
                                    const char *code, char out[6], bool *valid,
                                    struct vg_error *err)
{
    struct vg_error perr;
    vg_error_clear(&perr);
    enum vg_status pst = vg__ing_locode_norm(code, out, &perr);
    if (pst == VG_EPARSE) {
        *valid = false;
        return vg__ing_finding(s, message_id, src, "malformed_locode", field, code,
                               "a 5-character UN/LOCODE", perr.message, err);
    }
    *valid = true;
    if (s->have_locodes) {
        static const char sql[] = "SELECT 1 FROM code_locodes WHERE locode = ?1";
        bool is_known;
        enum vg_status st = known(s, &s->locode_known, sql, out, &is_known, err);
        if (st != VG_OK) {
            return st;
        }
        if (!is_known) {
            *valid = false;
            char detail[160];
            snprintf(detail, sizeof(detail), "UN/LOCODE %s is not in the imported code list", out);
            return vg__ing_finding(s, message_id, src, "unknown_locode", field, code,
                                   "a code in the UN/LOCODE list", detail, err);
        }
    }
    return VG_OK;
}

enum vg_status vg__ing_check_hs(struct ing_session *s, int64_t message_id,
                                const struct ing_source *src, const char *code, bool *valid,
                                struct vg_error *err)
{
    struct vg_hs_code hs;
    struct vg_error perr;
    vg_error_clear(&perr);
    if (vg_hs_parse(vg_slice_from_cstr(code), &hs, &perr) != VG_OK) {
        *valid = false;
        return vg__ing_finding(s, message_id, src, "malformed_hs", "HS code", code,
                               "2 to 10 digits of an HS chapter", perr.message, err);
    }
    *valid = true;
    if (s->have_hs) {
        static const char sql[] = "SELECT 1 FROM code_hs WHERE code = ?1";
        const char *root = hs.length > 6 ? hs.root6 : hs.digits;
        bool is_known;
        enum vg_status st = known(s, &s->hs_known, sql, root, &is_known, err);
        if (st != VG_OK) {
            return st;
        }
        if (!is_known) {
            *valid = false;
            char detail[160];
            snprintf(detail, sizeof(detail), "HS code %s is not in the imported nomenclature",
                     root);
            return vg__ing_finding(s, message_id, src, "unknown_hs", "HS code", code,
                                   "a code of the HS nomenclature", detail, err);
        }
    }
    return VG_OK;
}
