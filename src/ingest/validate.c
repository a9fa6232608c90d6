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

/* The code a spreadsheet made of an HS code by reading it as a number: its leading zero
 * dropped (080440, a chapter 01-09 code, becomes 80440: 3, 5, 7 or 9 digits, which no HS
 * level has). Writes the code with the zero restored into out and returns true when code is
 * such a run of digits. */
static bool zero_dropped(const char *code, char out[12])
{
    size_t n = strlen(code);
    if (n < 3 || n > 9 || n % 2 == 0 || code[0] == '0') {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (code[i] < '0' || code[i] > '9') {
            return false;
        }
    }
    out[0] = '0';
    memcpy(out + 1, code, n + 1);
    return true;
}

/* Whether the HS code (parsed) is in the imported nomenclature: its 6-digit root, or the
 * code itself when shorter. */
static enum vg_status
hs_known(struct ing_session *s, const struct vg_hs_code *hs, bool *is_known, struct vg_error *err)
{
    static const char sql[] = "SELECT 1 FROM code_hs WHERE code = ?1";
    return known(s, &s->hs_known, sql, hs->length > 6 ? hs->root6 : hs->digits, is_known, err);
}

enum vg_status vg__ing_check_hs(struct ing_session *s,
                                int64_t message_id,
                                const struct ing_source *src,
                                const char *code,
                                char restored[12],
                                bool *valid,
                                struct vg_error *err)
{
    struct vg_hs_code hs;
    struct vg_error perr;
    vg_error_clear(&perr);
    restored[0] = '\0';
    if (vg_hs_parse(vg_slice_from_cstr(code), &hs, &perr) != VG_OK) {
        *valid = false;
        /* A code whose leading zero a spreadsheet dropped is read with it when the
         * nomenclature has the code so restored (chapters 01-09: fruit, fish, meat, the
         * cover loads of many seizures); without the nomenclature it stays malformed. */
        char zeroed[12];
        struct vg_hs_code zhs;
        bool is_known = false;
        if (s->have_hs && zero_dropped(code, zeroed) &&
            vg_hs_parse(vg_slice_from_cstr(zeroed), &zhs, NULL) == VG_OK) {
            enum vg_status st = hs_known(s, &zhs, &is_known, err);
            if (st != VG_OK) {
                return st;
            }
        }
        if (is_known) {
            *valid = true;
            memcpy(restored, zeroed, sizeof(zeroed));
            char detail[200];
            snprintf(detail, sizeof(detail),
                     "read as %s: a spreadsheet dropped the leading zero of the code, read "
                     "as a number",
                     zeroed);
            return vg__ing_finding(s, message_id, src, "hs_leading_zero", "HS code", code,
                                   "the code with its leading zero", detail, err);
        }
        return vg__ing_finding(s, message_id, src, "malformed_hs", "HS code", code,
                               "2 to 10 digits of an HS chapter", perr.message, err);
    }
    *valid = true;
    if (s->have_hs) {
        bool is_known;
        enum vg_status st = hs_known(s, &hs, &is_known, err);
        if (st != VG_OK) {
            return st;
        }
        if (!is_known) {
            *valid = false;
            char detail[160];
            snprintf(detail, sizeof(detail), "HS code %s is not in the imported nomenclature",
                     hs.length > 6 ? hs.root6 : hs.digits);
            return vg__ing_finding(s, message_id, src, "unknown_hs", "HS code", code,
                                   "a code of the HS nomenclature", detail, err);
        }
    }
    return VG_OK;
}
