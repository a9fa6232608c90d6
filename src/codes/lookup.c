/* Lookups in the imported code lists (vigia/codes.h). */
#include "codes/codes_int.h"

#include <stdio.h>
#include <string.h>

#include <vigia/ident.h>

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t size)
{
    const char *v = (const char *)sqlite3_column_text(st, col);
    snprintf(out, size, "%s", v != NULL ? v : "");
}

enum vg_status vg_codes_locode_lookup(struct vg_store *store, const char *locode,
                                      struct vg_locode_info *out, struct vg_error *err)
{
    memset(out, 0, sizeof(*out));
    char code[6];
    enum vg_status s = vg_locode_parse(vg_slice_from_cstr(locode), code, err);
    if (s != VG_OK && s != VG_ECHECK) {
        return s;
    }
    static const char sql[] =
        "SELECT locode, country, name, subdivision, functions, status, lat, lon"
        " FROM code_locodes WHERE locode = ?1";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    vg__bind_text(st, 1, code);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        copy_col(st, 0, out->locode, sizeof(out->locode));
        copy_col(st, 1, out->country, sizeof(out->country));
        copy_col(st, 2, out->name, sizeof(out->name));
        copy_col(st, 3, out->subdivision, sizeof(out->subdivision));
        copy_col(st, 4, out->functions, sizeof(out->functions));
        copy_col(st, 5, out->status, sizeof(out->status));
        out->has_position = sqlite3_column_type(st, 6) != SQLITE_NULL;
        out->lat = sqlite3_column_double(st, 6);
        out->lon = sqlite3_column_double(st, 7);
        sqlite3_reset(st);
        return VG_OK;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        return vg_error_set(err, VG_ENOTFOUND, "UN/LOCODE %s is not in the imported code list",
                            code);
    }
    return vg__store_error(store, rc, "looking up a UN/LOCODE", err);
}

enum vg_status vg_codes_hs_lookup(struct vg_store *store, const char *code,
                                  struct vg_hs_info *out, struct vg_error *err)
{
    memset(out, 0, sizeof(*out));
    struct vg_hs_code hs;
    enum vg_status s = vg_hs_parse(vg_slice_from_cstr(code), &hs, err);
    if (s != VG_OK) {
        return s;
    }
    static const char sql[] =
        "SELECT code, level, parent, description FROM code_hs WHERE code = ?1";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    vg__bind_text(st, 1, hs.length > 6 ? hs.root6 : hs.digits);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        copy_col(st, 0, out->code, sizeof(out->code));
        out->level = sqlite3_column_int(st, 1);
        copy_col(st, 2, out->parent, sizeof(out->parent));
        copy_col(st, 3, out->description, sizeof(out->description));
        sqlite3_reset(st);
        return VG_OK;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        return vg_error_set(err, VG_ENOTFOUND, "HS code %s is not in the imported nomenclature",
                            hs.length > 6 ? hs.root6 : hs.digits);
    }
    return vg__store_error(store, rc, "looking up an HS code", err);
}

enum vg_status vg_codes_port_lookup(struct vg_store *store, const char *locode,
                                    struct vg_port_info *out, struct vg_error *err)
{
    memset(out, 0, sizeof(*out));
    char code[6];
    enum vg_status s = vg_locode_parse(vg_slice_from_cstr(locode), code, err);
    if (s != VG_OK && s != VG_ECHECK) {
        return s;
    }
    if (store != NULL) {
        static const char sql[] =
            "SELECT locode, name, country, lat, lon FROM code_ports WHERE locode = ?1"
            " ORDER BY harbor_size IS NULL, harbor_size LIMIT 1";
        sqlite3_stmt *st = vg__store_stmt(store, sql, err);
        if (st == NULL) {
            return err != NULL ? err->code : VG_EDB;
        }
        vg__bind_text(st, 1, code);
        if (sqlite3_step(st) == SQLITE_ROW) {
            copy_col(st, 0, out->locode, sizeof(out->locode));
            copy_col(st, 1, out->name, sizeof(out->name));
            memcpy(out->country, code, 2);
            out->lat = sqlite3_column_double(st, 3);
            out->lon = sqlite3_column_double(st, 4);
            memcpy(out->source, "wpi", 4);
            sqlite3_reset(st);
            return VG_OK;
        }
        sqlite3_reset(st);
        struct vg_locode_info info;
        if (vg_codes_locode_lookup(store, code, &info, NULL) == VG_OK && info.has_position) {
            memcpy(out->locode, code, 6);
            snprintf(out->name, sizeof(out->name), "%s", info.name);
            memcpy(out->country, code, 2);
            out->lat = info.lat;
            out->lon = info.lon;
            memcpy(out->source, "unlocode", 9);
            return VG_OK;
        }
    }
    if (vg__builtin_port(code, out)) {
        return VG_OK;
    }
    return vg_error_set(err, VG_ENOTFOUND, "no position known for port %s", code);
}
