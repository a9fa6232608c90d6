/*
 * UN/LOCODE import (vigia/codes.h). UNECE publishes the code list as CSV parts in ISO
 * 8859-1 with the columns Change, Country, Location, Name, NameWoDiacritics, Subdiv,
 * Function, Status, Date, IATA, Coordinates, Remarks. Rows without a location are country
 * headers (",\"AD\",,\".ANDORRA\"") or reference entries ("=": a name pointing to another
 * entry) and are skipped; change indicator "X" marks an entry to be removed.
 * Coordinates are "DDMMN DDDMMW".
 */
#include "codes/codes_int.h"

#include <stdio.h>
#include <string.h>

#include <vigia/ident.h>
#include <vigia/map.h>

/* Parses "1203S 07709W" into decimal degrees. */
static bool parse_coordinates(const char *s, double *lat, double *lon)
{
    int lat_d, lat_m, lon_d, lon_m;
    char ns, ew;
    if (strlen(s) != 12 || sscanf(s, "%2d%2d%c %3d%2d%c", &lat_d, &lat_m, &ns, &lon_d, &lon_m,
                                  &ew) != 6) {
        return false;
    }
    if ((ns != 'N' && ns != 'S') || (ew != 'E' && ew != 'W') || lat_d > 90 || lat_m > 59 ||
        lon_d > 180 || lon_m > 59) {
        return false;
    }
    *lat = (lat_d + lat_m / 60.0) * (ns == 'S' ? -1 : 1);
    *lon = (lon_d + lon_m / 60.0) * (ew == 'W' ? -1 : 1);
    return true;
}

/* An edition such as "2015-1" found in the file name, or "". */
static void edition_from_path(const char *path, char *out, size_t size)
{
    out[0] = '\0';
    const char *base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    for (const char *p = base; p[0] != '\0'; p++) {
        if (strlen(p) >= 6 && p[0] >= '1' && p[0] <= '2' && p[1] >= '0' && p[1] <= '9' &&
            p[2] >= '0' && p[2] <= '9' && p[3] >= '0' && p[3] <= '9' && p[4] == '-' &&
            p[5] >= '1' && p[5] <= '9') {
            snprintf(out, size, "%.6s", p);
            return;
        }
    }
}

enum vg_status vg_codes_import_unlocode(struct vg_store *store, const char *path,
                                        const char *edition, struct vg_import_report *report,
                                        vg_problem_fn on_reject, void *user,
                                        struct vg_error *err)
{
    struct code_import imp;
    enum vg_status st =
        vg__code_import_begin(&imp, store, path, "unlocode", report, on_reject, user, err);
    if (st != VG_OK) {
        return st;
    }
    char ed[16];
    if (edition != NULL) {
        snprintf(ed, sizeof(ed), "%s", edition);
    } else {
        edition_from_path(path, ed, sizeof(ed));
    }
    static const char insert_sql[] =
        "INSERT OR IGNORE INTO code_locodes(locode, country, name, name_ascii, subdivision,"
        " functions, status, iata, lat, lon, remarks, edition)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)";
    static const char update_sql[] =
        "UPDATE code_locodes SET country=?2, name=?3, name_ascii=?4, subdivision=?5,"
        " functions=?6, status=?7, iata=?8, lat=?9, lon=?10, remarks=?11, edition=?12"
        " WHERE locode=?1 AND (country, name, name_ascii, subdivision, functions, status,"
        " iata, lat, lon, remarks) IS NOT (?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)";
    static const char delete_sql[] = "DELETE FROM code_locodes WHERE locode = ?1";
    /* A code listed again in the same file carries another name of the same place
     * (bilingual names: "Brussel (Bruxelles)" / "Bruxelles (Brussel)"): the first entry
     * stays the name, the others are kept as alternative names. */
    static const char alt_sql[] =
        "UPDATE code_locodes SET alt_names = CASE WHEN alt_names IS NULL THEN ?2"
        " ELSE alt_names || '; ' || ?2 END WHERE locode = ?1 AND name <> ?2 AND"
        " (alt_names IS NULL OR instr('; ' || alt_names || '; ', '; ' || ?2 || '; ') = 0)";
    struct vg_map seen;
    vg_map_init(&seen);
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
        imp.report->records++;
        if (imp.csv.record == 1 && vg_csv_find_column(&imp.csv, "Location") >= 0) {
            imp.report->skipped++; /* a header line, present in some editions */
            continue;
        }
        const char *change = vg__code_field(&imp, 0);
        const char *country = vg__code_field(&imp, 1);
        const char *location = vg__code_field(&imp, 2);
        const char *name = vg__code_field(&imp, 3);
        const char *name_ascii = vg__code_field(&imp, 4);
        const char *subdiv = vg__code_field(&imp, 5);
        const char *function = vg__code_field(&imp, 6);
        const char *status = vg__code_field(&imp, 7);
        const char *iata = vg__code_field(&imp, 9);
        const char *coords = vg__code_field(&imp, 10);
        const char *remarks = vg__code_field(&imp, 11);
        if (change == NULL || country == NULL || location == NULL || name == NULL ||
            name_ascii == NULL || subdiv == NULL || function == NULL || status == NULL ||
            iata == NULL || coords == NULL || remarks == NULL) {
            st = vg_error_set(err, VG_ENOMEM, "out of memory importing UN/LOCODE");
            goto fail;
        }
        if (location[0] == '\0' || strcmp(change, "=") == 0) {
            imp.report->skipped++;
            continue;
        }
        if (imp.csv.nfields < 8) {
            st = vg__code_reject(&imp, "record has %zu fields, expected 12", imp.csv.nfields);
            if (st != VG_OK) {
                goto fail;
            }
            continue;
        }
        char code_text[16];
        snprintf(code_text, sizeof(code_text), "%s%s", country, location);
        char locode[6];
        struct vg_error ierr;
        enum vg_status pst = vg_locode_parse(vg_slice_from_cstr(code_text), locode, &ierr);
        if (pst == VG_ECHECK) {
            /* Published by UNECE, so it exists: keep it, flagged. */
            st = vg__code_flag(&imp, "nonstandard_locode", "Location", location, "%s",
                               ierr.message);
            if (st != VG_OK) {
                goto fail;
            }
        } else if (pst != VG_OK) {
            st = vg__code_reject(&imp, "%s", ierr.message);
            if (st != VG_OK) {
                goto fail;
            }
            continue;
        }
        double lat = 0, lon = 0;
        bool has_pos = false;
        if (coords[0] != '\0') {
            has_pos = parse_coordinates(coords, &lat, &lon);
            if (!has_pos) {
                /* The code is good; only its position is not: keep the code, flag it. */
                st = vg__code_flag(&imp, "bad_coordinates", "Coordinates", coords,
                                   "%s: coordinates '%s' are not DDMMN DDDMMW (minutes 00-59); "
                                   "kept without a position",
                                   locode, coords);
                if (st != VG_OK) {
                    goto fail;
                }
            }
        }
        bool existed = false;
        if (vg_map_put(&seen, locode, 5, 0, &existed, NULL) != VG_OK) {
            st = vg_error_set(err, VG_ENOMEM, "out of memory importing UN/LOCODE");
            goto fail;
        }
        if (existed && strcmp(change, "X") != 0) {
            sqlite3_stmt *alt = vg__store_stmt(store, alt_sql, err);
            if (alt == NULL) {
                st = err != NULL ? err->code : VG_EDB;
                goto fail;
            }
            vg__bind_text(alt, 1, locode);
            vg__bind_text(alt, 2, name);
            int rc = sqlite3_step(alt);
            sqlite3_reset(alt);
            if (rc != SQLITE_DONE) {
                st = vg__store_error(store, rc, "recording an alternative name", err);
                goto fail;
            }
            vg__code_count(&imp, sqlite3_changes(store->db) > 0 ? 2 : 0);
            continue;
        }
        if (strcmp(change, "X") == 0) {
            sqlite3_stmt *del = vg__store_stmt(store, delete_sql, err);
            if (del == NULL) {
                st = err != NULL ? err->code : VG_EDB;
                goto fail;
            }
            vg__bind_text(del, 1, locode);
            int rc = sqlite3_step(del);
            sqlite3_reset(del);
            if (rc != SQLITE_DONE) {
                st = vg__store_error(store, rc, "removing a UN/LOCODE", err);
                goto fail;
            }
            if (sqlite3_changes(store->db) > 0) {
                imp.report->updated++;
            } else {
                imp.report->skipped++;
            }
            continue;
        }
        sqlite3_stmt *stmts[2] = { vg__store_stmt(store, insert_sql, err), NULL };
        if (stmts[0] == NULL) {
            st = err != NULL ? err->code : VG_EDB;
            goto fail;
        }
        stmts[1] = vg__store_stmt(store, update_sql, err);
        if (stmts[1] == NULL) {
            st = err != NULL ? err->code : VG_EDB;
            goto fail;
        }
        for (int k = 0; k < 2; k++) {
            sqlite3_stmt *s = stmts[k];
            vg__bind_text(s, 1, locode);
            vg__bind_text(s, 2, country);
            vg__bind_text(s, 3, name);
            vg__bind_text(s, 4, name_ascii[0] != '\0' ? name_ascii : NULL);
            vg__bind_text(s, 5, subdiv[0] != '\0' ? subdiv : NULL);
            vg__bind_text(s, 6, function[0] != '\0' ? function : NULL);
            vg__bind_text(s, 7, status[0] != '\0' ? status : NULL);
            vg__bind_text(s, 8, iata[0] != '\0' ? iata : NULL);
            vg__bind_double_or_null(s, 9, lat, has_pos);
            vg__bind_double_or_null(s, 10, lon, has_pos);
            vg__bind_text(s, 11, remarks[0] != '\0' ? remarks : NULL);
            vg__bind_text(s, 12, ed[0] != '\0' ? ed : NULL);
        }
        int outcome = vg__code_upsert(store, stmts[0], stmts[1], err);
        if (outcome < 0) {
            st = err != NULL ? err->code : VG_EDB;
            goto fail;
        }
        vg__code_count(&imp, outcome);
    }
    vg_map_release(&seen);
    return vg__code_import_finish(&imp, err);
fail:
    vg_map_release(&seen);
    vg__code_import_abort(&imp);
    return st;
}
