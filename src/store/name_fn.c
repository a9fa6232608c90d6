/*
 * The SQL function vg_name_key(text, kind): the name normaliser's fingerprint
 * (vg_name_key, vigia/screen.h) of text read as kind (0 unknown, 1 person, 2 organisation,
 * 3 vessel); NULL for NULL text. Migrations recompute stored keys with it, so that the keys
 * in the store and the ones the ingest computes come from one function.
 */
#include "store/store_int.h"

#include <vigia/screen.h>

static void fn_name_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const char *text = (const char *)sqlite3_value_text(argv[0]);
    int len = sqlite3_value_bytes(argv[0]);
    int kind = sqlite3_value_int(argv[1]);
    if (text == NULL) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (kind < VG_NAME_UNKNOWN || kind > VG_NAME_VESSEL) {
        sqlite3_result_error(ctx,
                             "vg_name_key: kind is 0 (unknown), 1 (person), 2 (organisation)"
                             " or 3 (vessel)",
                             -1);
        return;
    }
    char key[VG_NAME_KEY_SIZE];
    size_t n = vg_name_key(text, (size_t)len, (enum vg_name_kind)kind, key, sizeof(key));
    sqlite3_result_text(ctx, key, n < sizeof(key) ? (int)n : (int)sizeof(key) - 1,
                        SQLITE_TRANSIENT);
}

enum vg_status vg__store_name_function(struct vg_store *store, struct vg_error *err)
{
    int rc =
        sqlite3_create_function_v2(store->db, "vg_name_key", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                   NULL, fn_name_key, NULL, NULL, NULL);
    return rc == SQLITE_OK ? VG_OK : vg__store_error(store, rc, "registering vg_name_key", err);
}
