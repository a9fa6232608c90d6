/*
 * SQL functions the targeting, outcome and show listings use, registered on the store's
 * connection when a listing needs them (registering again replaces, at no cost):
 *
 *   vg_utc(t)            ISO 8601 UTC of an epoch time ("2024-05-03T22:00:00Z"), NULL for NULL
 *   vg_local(t, locode)  the same in the port's local time with its offset
 *                        ("2024-05-03T17:00:00-05:00"); UTC when the place is unknown
 *   vg_noisy_or(c)       aggregate 1 - prod(1 - c) over confidences in [0, 1)
 *   vg_dec2(x)           x with two decimals ("95.00"), NULL for NULL (printf gives 0.00)
 *   vg_rate(x, n)        x / n with four decimals ("0.2500"), "" when n is 0
 *   vg_raw(...), vg_raw_text(...)  a stored message's bytes as sent (store/raw.c)
 */
#include "store/store_int.h"
#include "target/target_int.h"

#include <stdio.h>
#include <string.h>
#include <vigia/time.h>

static void fn_utc(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    char buf[32];
    vg_time_format_iso8601(sqlite3_value_int64(argv[0]), buf, sizeof(buf));
    sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void fn_local(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const char *place = (const char *)sqlite3_value_text(argv[1]);
    struct vg_zone zone = vg_zone_utc();
    if (place != NULL && strlen(place) >= 2) {
        char code[6] = { 0 };
        memcpy(code, place, strlen(place) >= 5 ? 5 : 2);
        vg_zone_for_locode(code, &zone);
    }
    char buf[40];
    vg_time_format_local(sqlite3_value_int64(argv[0]), &zone, buf, sizeof(buf));
    sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void fn_dec2(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    char buf[48];
    snprintf(buf, sizeof(buf), "%.2f", sqlite3_value_double(argv[0]));
    sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void fn_rate(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    double n = sqlite3_value_double(argv[1]);
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL || n == 0) {
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
        return;
    }
    char buf[48];
    snprintf(buf, sizeof(buf), "%.4f", sqlite3_value_double(argv[0]) / n);
    sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void noisy_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    double *miss = sqlite3_aggregate_context(ctx, sizeof(double) * 2);
    if (miss == NULL) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (miss[1] == 0) {
        miss[0] = 1.0;
        miss[1] = 1;
    }
    if (sqlite3_value_type(argv[0]) != SQLITE_NULL) {
        double c = sqlite3_value_double(argv[0]);
        c = c < 0 ? 0 : (c > 0.999 ? 0.999 : c);
        miss[0] *= 1.0 - c;
    }
}

static void noisy_final(sqlite3_context *ctx)
{
    double *miss = sqlite3_aggregate_context(ctx, 0);
    sqlite3_result_double(ctx, miss != NULL && miss[1] != 0 ? 1.0 - miss[0] : 0.0);
}

enum vg_status vg__sql_functions(struct vg_store *store, struct vg_error *err)
{
    /* Registered once per connection: redefining a function expires every prepared
     * statement of the connection's cache. */
    sqlite3_stmt *probe = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT vg_noisy_or(vg_utc(0) IS NULL), vg_rate(1, 1),"
                           " vg_raw_text(NULL, NULL, 0, NULL)",
                           -1, &probe, NULL) == SQLITE_OK) {
        sqlite3_finalize(probe);
        return VG_OK;
    }
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    int rc =
        sqlite3_create_function_v2(store->db, "vg_utc", 1, flags, NULL, fn_utc, NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_create_function_v2(store->db, "vg_local", 2, flags, NULL, fn_local, NULL, NULL,
                                        NULL);
    }
    if (rc == SQLITE_OK) {
        rc = sqlite3_create_function_v2(store->db, "vg_dec2", 1, flags, NULL, fn_dec2, NULL, NULL,
                                        NULL);
    }
    if (rc == SQLITE_OK) {
        rc = sqlite3_create_function_v2(store->db, "vg_rate", 2, flags, NULL, fn_rate, NULL, NULL,
                                        NULL);
    }
    if (rc == SQLITE_OK) {
        rc = sqlite3_create_function_v2(store->db, "vg_noisy_or", 1, flags, NULL, NULL, noisy_step,
                                        noisy_final, NULL);
    }
    if (rc == SQLITE_OK) {
        return vg__raw_sql_function(store, err); /* vg_raw, vg_raw_text (store/raw.c) */
    }
    return rc == SQLITE_OK ? VG_OK : vg__store_error(store, rc, "registering SQL functions", err);
}
