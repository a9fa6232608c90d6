/*
 * The SQL functions vg_name_key(text, kind), the name normaliser's fingerprint
 * (vg_name_key, vigia/screen.h) of text read as kind (0 unknown, 1 person, 2 organisation,
 * 3 vessel), and vg_vessel_key(name), the key a vessel known only by its name is resolved
 * by (vg__store_vessel_key); NULL for NULL text. Migrations recompute stored keys with them,
 * so that the keys in the store and the ones the ingest computes come from one function.
 */
#include "store/store_int.h"

#include <string.h>
#include <vigia/screen.h>

/* Words of a vessel's type that senders put before its name (motor vessel, motonave, buque
 * motor, motor tanker, motor ship), as the normaliser leaves them: "M/V" reads "M V". */
static const char *const vessel_prefixes[] = {
    "MV ", "M V ", "MN ", "M N ", "BM ", "B M ", "MT ", "M T ", "MS ", "M S ",
};

size_t vg__store_vessel_key(const char *name, size_t len, char *out, size_t size)
{
    char key[VG_NAME_KEY_SIZE];
    size_t n = vg_name_key(name, len, VG_NAME_VESSEL, key, sizeof(key));
    if (n >= sizeof(key)) {
        n = sizeof(key) - 1;
    }
    const char *k = key;
    for (size_t i = 0; i < sizeof(vessel_prefixes) / sizeof(vessel_prefixes[0]); i++) {
        size_t pl = strlen(vessel_prefixes[i]);
        if (n > pl && memcmp(key, vessel_prefixes[i], pl) == 0) {
            k += pl;
            n -= pl;
            break;
        }
    }
    if (size > 0) {
        size_t c = n < size - 1 ? n : size - 1;
        memcpy(out, k, c);
        out[c] = '\0';
    }
    return n;
}

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

static void fn_vessel_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const char *text = (const char *)sqlite3_value_text(argv[0]);
    if (text == NULL) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    char key[VG_NAME_KEY_SIZE];
    size_t n = vg__store_vessel_key(text, (size_t)sqlite3_value_bytes(argv[0]), key, sizeof(key));
    sqlite3_result_text(ctx, key, n < sizeof(key) ? (int)n : (int)sizeof(key) - 1,
                        SQLITE_TRANSIENT);
}

enum vg_status vg__store_name_function(struct vg_store *store, struct vg_error *err)
{
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    int rc = sqlite3_create_function_v2(store->db, "vg_name_key", 2, flags, NULL, fn_name_key, NULL,
                                        NULL, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_create_function_v2(store->db, "vg_vessel_key", 1, flags, NULL, fn_vessel_key,
                                        NULL, NULL, NULL);
    }
    return rc == SQLITE_OK ? VG_OK
                           : vg__store_error(store, rc, "registering the name-key functions", err);
}
