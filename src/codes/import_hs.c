/*
 * HS nomenclature import (vigia/codes.h): a CSV with the columns hscode, description,
 * parent, level and optionally section, as UN Comtrade publishes it. Aggregate rows
 * ("TOTAL") are skipped; every code must be 2, 4 or 6 digits and its level must agree.
 */
#include "codes/codes_int.h"

#include <stdlib.h>
#include <string.h>

#include <vigia/ident.h>

enum vg_status vg_codes_import_hs(struct vg_store *store, const char *path, const char *edition,
                                  struct vg_import_report *report, vg_problem_fn on_reject,
                                  void *user, struct vg_error *err)
{
    struct code_import imp;
    enum vg_status st = vg__code_import_begin(&imp, store, path, "hs", report, on_reject, user, err);
    if (st != VG_OK) {
        return st;
    }
    static const char insert_sql[] =
        "INSERT OR IGNORE INTO code_hs(code, level, parent, section, description, edition)"
        " VALUES(?1,?2,?3,?4,?5,?6)";
    static const char update_sql[] =
        "UPDATE code_hs SET level=?2, parent=?3, section=?4, description=?5, edition=?6"
        " WHERE code=?1 AND (level, parent, section, description) IS NOT (?2,?3,?4,?5)";
    int c_code = -1, c_desc = -1, c_parent = -1, c_level = -1, c_section = -1;
    for (;;) {
        bool rejected;
        st = vg__code_next(&imp, &rejected, err);
        if (st == VG_ENOTFOUND) {
            break;
        }
        if (st != VG_OK) {
            goto fail;
        }
        if (rejected) {
            continue;
        }
        if (c_code < 0) {
            c_code = vg_csv_find_column(&imp.csv, "hscode");
            c_desc = vg_csv_find_column(&imp.csv, "description");
            c_parent = vg_csv_find_column(&imp.csv, "parent");
            c_level = vg_csv_find_column(&imp.csv, "level");
            c_section = vg_csv_find_column(&imp.csv, "section");
            if (c_code < 0 || c_desc < 0) {
                st = vg_error_set(err, VG_EFORMAT,
                                  "%s: not an HS nomenclature CSV (needs hscode and description "
                                  "columns)",
                                  path);
                goto fail;
            }
            continue;
        }
        imp.report->records++;
        const char *code = vg__code_field(&imp, c_code);
        const char *desc = vg__code_field(&imp, c_desc);
        const char *parent = c_parent >= 0 ? vg__code_field(&imp, c_parent) : "";
        const char *level_text = c_level >= 0 ? vg__code_field(&imp, c_level) : "";
        const char *section = c_section >= 0 ? vg__code_field(&imp, c_section) : "";
        if (code == NULL || desc == NULL || parent == NULL || level_text == NULL ||
            section == NULL) {
            st = vg_error_set(err, VG_ENOMEM, "out of memory importing HS codes");
            goto fail;
        }
        if (strcmp(code, "TOTAL") == 0) {
            imp.report->skipped++;
            continue;
        }
        struct vg_hs_code hs;
        struct vg_error ierr;
        if (vg_hs_parse(vg_slice_from_cstr(code), &hs, &ierr) != VG_OK || hs.length > 6) {
            if ((st = vg__code_reject(&imp, "%s", hs.length > 6 ? "HS code longer than 6 digits"
                                                                : ierr.message)) != VG_OK) {
                goto fail;
            }
            continue;
        }
        if (level_text[0] != '\0' && atoi(level_text) != hs.length) {
            if ((st = vg__code_reject(&imp, "HS code %s has %d digits but level %s", hs.digits,
                                      hs.length, level_text)) != VG_OK) {
                goto fail;
            }
            continue;
        }
        if (desc[0] == '\0') {
            if ((st = vg__code_reject(&imp, "HS code %s has no description", hs.digits)) != VG_OK) {
                goto fail;
            }
            continue;
        }
        sqlite3_stmt *ins = vg__store_stmt(store, insert_sql, err);
        sqlite3_stmt *upd = ins != NULL ? vg__store_stmt(store, update_sql, err) : NULL;
        if (upd == NULL) {
            st = err != NULL ? err->code : VG_EDB;
            goto fail;
        }
        sqlite3_stmt *stmts[2] = { ins, upd };
        for (int k = 0; k < 2; k++) {
            vg__bind_text(stmts[k], 1, hs.digits);
            sqlite3_bind_int(stmts[k], 2, hs.length);
            vg__bind_text(stmts[k], 3, parent[0] != '\0' ? parent : NULL);
            vg__bind_text(stmts[k], 4, section[0] != '\0' ? section : NULL);
            vg__bind_text(stmts[k], 5, desc);
            vg__bind_text(stmts[k], 6, edition);
        }
        int outcome = vg__code_upsert(store, ins, upd, err);
        if (outcome < 0) {
            st = err != NULL ? err->code : VG_EDB;
            goto fail;
        }
        vg__code_count(&imp, outcome);
    }
    return vg__code_import_finish(&imp, err);
fail:
    vg__code_import_abort(&imp);
    return st;
}
