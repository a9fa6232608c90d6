/*
 * Port positions from the NGA World Port Index (Pub. 150) CSV (vigia/codes.h). Columns
 * are found by their header names, so that later editions with more columns still load.
 */
#include "codes/codes_int.h"

#include <string.h>

#include <vigia/ident.h>

enum vg_status vg_codes_import_ports(struct vg_store *store, const char *path,
                                     struct vg_import_report *report, vg_problem_fn on_reject,
                                     void *user, struct vg_error *err)
{
    struct code_import imp;
    enum vg_status st =
        vg__code_import_begin(&imp, store, path, "ports", report, on_reject, user, err);
    if (st != VG_OK) {
        return st;
    }
    static const char insert_sql[] =
        "INSERT OR IGNORE INTO code_ports(source, source_id, locode, name, country, lat, lon,"
        " harbor_size, harbor_type) VALUES('wpi',?1,?2,?3,?4,?5,?6,?7,?8)";
    static const char update_sql[] =
        "UPDATE code_ports SET locode=?2, name=?3, country=?4, lat=?5, lon=?6, harbor_size=?7,"
        " harbor_type=?8 WHERE source='wpi' AND source_id=?1 AND"
        " (locode, name, country, lat, lon, harbor_size, harbor_type) IS NOT"
        " (?2,?3,?4,?5,?6,?7,?8)";
    int c_id = -1, c_name = -1, c_locode = -1, c_lat = -1, c_lon = -1, c_size = -1, c_type = -1;
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
        if (c_id < 0) {
            c_id = vg_csv_find_column(&imp.csv, "World Port Index Number");
            c_name = vg_csv_find_column(&imp.csv, "Main Port Name");
            c_locode = vg_csv_find_column(&imp.csv, "UN/LOCODE");
            c_lat = vg_csv_find_column(&imp.csv, "Latitude");
            c_lon = vg_csv_find_column(&imp.csv, "Longitude");
            c_size = vg_csv_find_column(&imp.csv, "Harbor Size");
            c_type = vg_csv_find_column(&imp.csv, "Harbor Type");
            if (c_id < 0 || c_name < 0 || c_lat < 0 || c_lon < 0) {
                st = vg_error_set(err, VG_EFORMAT,
                                  "%s: not a World Port Index CSV (needs World Port Index "
                                  "Number, Main Port Name, Latitude, Longitude)",
                                  path);
                goto fail;
            }
            continue;
        }
        imp.report->records++;
        const char *id = vg__code_field(&imp, c_id);
        const char *name = vg__code_field(&imp, c_name);
        const char *locode_text = c_locode >= 0 ? vg__code_field(&imp, c_locode) : "";
        const char *lat_text = vg__code_field(&imp, c_lat);
        const char *lon_text = vg__code_field(&imp, c_lon);
        const char *size = c_size >= 0 ? vg__code_field(&imp, c_size) : "";
        const char *type = c_type >= 0 ? vg__code_field(&imp, c_type) : "";
        if (id == NULL || name == NULL || locode_text == NULL || lat_text == NULL ||
            lon_text == NULL || size == NULL || type == NULL) {
            st = vg_error_set(err, VG_ENOMEM, "out of memory importing ports");
            goto fail;
        }
        double lat, lon;
        if (vg_slice_to_double(vg_slice_from_cstr(lat_text), &lat) != VG_OK ||
            vg_slice_to_double(vg_slice_from_cstr(lon_text), &lon) != VG_OK || lat < -90 ||
            lat > 90 || lon < -180 || lon > 180) {
            if ((st = vg__code_reject(&imp, "port %s (%s): latitude/longitude '%s' '%s' are not "
                                            "valid degrees",
                                      id, name, lat_text, lon_text)) != VG_OK) {
                goto fail;
            }
            continue;
        }
        if (id[0] == '\0' || name[0] == '\0') {
            if ((st = vg__code_reject(&imp, "port without an index number or name")) != VG_OK) {
                goto fail;
            }
            continue;
        }
        char locode[6] = "";
        char country[3] = "";
        if (locode_text[0] != '\0' &&
            vg_locode_parse(vg_slice_from_cstr(locode_text), locode, NULL) != VG_EPARSE) {
            memcpy(country, locode, 2);
        }
        sqlite3_stmt *ins = vg__store_stmt(store, insert_sql, err);
        sqlite3_stmt *upd = ins != NULL ? vg__store_stmt(store, update_sql, err) : NULL;
        if (upd == NULL) {
            st = err != NULL ? err->code : VG_EDB;
            goto fail;
        }
        sqlite3_stmt *stmts[2] = { ins, upd };
        for (int k = 0; k < 2; k++) {
            vg__bind_text(stmts[k], 1, id);
            vg__bind_text(stmts[k], 2, locode[0] != '\0' ? locode : NULL);
            vg__bind_text(stmts[k], 3, name);
            vg__bind_text(stmts[k], 4, country[0] != '\0' ? country : NULL);
            sqlite3_bind_double(stmts[k], 5, lat);
            sqlite3_bind_double(stmts[k], 6, lon);
            vg__bind_text(stmts[k], 7, size[0] != '\0' ? size : NULL);
            vg__bind_text(stmts[k], 8, type[0] != '\0' ? type : NULL);
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
