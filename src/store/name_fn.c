/*
 * Keys of names that records are resolved by across messages, and the SQL functions that
 * give them to migrations, so that the keys in the store and the ones the ingest and the
 * screening compute come from one function each:
 *   vg_name_key(text, kind)            the name normaliser's fingerprint (vg_name_key,
 *                                      vigia/screen.h) of text read as kind (0 unknown,
 *                                      1 person, 2 organisation, 3 vessel: a vessel's key,
 *                                      type designation set apart)
 *   vg_address_key(address, city, country)   vg__store_address_key
 *   vg_subject_key(name, type)         vg_screen_subject_key: the key a watch-list name or
 *                                      a dismissed subject is stored under, for an entry
 *                                      of type ('vessel', 'seal', ...)
 * vg_name_key and vg_subject_key give NULL for NULL text; vg_address_key takes NULL parts as
 * empty, as the ingest does.
 */
#include "store/store_int.h"

#include <string.h>
#include <vigia/screen.h>

/* Appends text (NULL as empty) to buf at *w, cut at size. */
static void append(char *buf, size_t size, size_t *w, const char *text)
{
    for (const char *p = text != NULL ? text : ""; *p != '\0' && *w < size; p++) {
        buf[(*w)++] = *p;
    }
}

size_t vg__store_address_key(
    const char *address, const char *city, const char *country, char *out, size_t size)
{
    /* The normaliser reads at most 40 words of at most 48 bytes, all within this buffer. */
    char joined[4096];
    size_t w = 0;
    append(joined, sizeof(joined) - 1, &w, address);
    append(joined, sizeof(joined) - 1, &w, " ");
    append(joined, sizeof(joined) - 1, &w, city);
    append(joined, sizeof(joined) - 1, &w, " ");
    append(joined, sizeof(joined) - 1, &w, country);
    joined[w] = '\0';
    /* As a vessel's name: commas are punctuation and no word is a legal form (country
     * codes CO, SA, SE stay). */
    return vg_name_key(joined, w, VG_NAME_VESSEL, out, size);
}

/* Argument i as text; NULL when it is NULL (or, with *oom set, when SQLite could not give
 * it). */
static const char *text_arg(sqlite3_value **argv, int i, bool *oom)
{
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
        return NULL;
    }
    const char *text = (const char *)sqlite3_value_text(argv[i]);
    *oom = *oom || text == NULL;
    return text;
}

/* Sets the function's result to key, or to NULL / out of memory as the first argument
 * was. */
static void key_result(sqlite3_context *ctx, const char *first, bool oom, const char *key, size_t n)
{
    if (oom) {
        sqlite3_result_error_nomem(ctx);
    } else if (first == NULL) {
        sqlite3_result_null(ctx);
    } else {
        sqlite3_result_text(ctx, key, n < VG_NAME_KEY_SIZE ? (int)n : VG_NAME_KEY_SIZE - 1,
                            SQLITE_TRANSIENT);
    }
}

static void fn_name_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int kind = sqlite3_value_int(argv[1]);
    if (kind < VG_NAME_UNKNOWN || kind > VG_NAME_VESSEL) {
        sqlite3_result_error(ctx,
                             "vg_name_key: kind is 0 (unknown), 1 (person), 2 (organisation)"
                             " or 3 (vessel)",
                             -1);
        return;
    }
    bool oom = false;
    const char *text = text_arg(argv, 0, &oom);
    char key[VG_NAME_KEY_SIZE];
    size_t n = text != NULL ? vg_name_key(text, (size_t)sqlite3_value_bytes(argv[0]),
                                          (enum vg_name_kind)kind, key, sizeof(key))
                            : 0;
    key_result(ctx, text, oom, key, n);
}

static void fn_subject_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    bool oom = false;
    const char *text = text_arg(argv, 0, &oom);
    const char *type_name = text_arg(argv, 1, &oom);
    enum vg_watch_type type = VG_WATCH_PARTY;
    if (type_name != NULL && !vg_watch_type_parse(type_name, &type)) {
        sqlite3_result_error(ctx, "vg_subject_key: not a watch-list entry type", -1);
        return;
    }
    char key[VG_NAME_KEY_SIZE];
    size_t n = text != NULL ? vg_screen_subject_key(text, type, key, sizeof(key)) : 0;
    key_result(ctx, text, oom, key, n);
}

static void fn_address_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    bool oom = false;
    const char *address = text_arg(argv, 0, &oom);
    const char *city = text_arg(argv, 1, &oom);
    const char *country = text_arg(argv, 2, &oom);
    char key[VG_NAME_KEY_SIZE];
    size_t n = vg__store_address_key(address, city, country, key, sizeof(key));
    key_result(ctx, "", oom, key, n);
}

enum vg_status vg__store_name_function(struct vg_store *store, struct vg_error *err)
{
    static const struct {
        const char *name;
        int nargs;
        void (*fn)(sqlite3_context *, int, sqlite3_value **);
    } fns[] = {
        { "vg_name_key", 2, fn_name_key },
        { "vg_address_key", 3, fn_address_key },
        { "vg_subject_key", 2, fn_subject_key },
    };
    int rc = SQLITE_OK;
    for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]) && rc == SQLITE_OK; i++) {
        rc = sqlite3_create_function_v2(store->db, fns[i].name, fns[i].nargs,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fns[i].fn, NULL,
                                        NULL, NULL);
    }
    return rc == SQLITE_OK ? VG_OK
                           : vg__store_error(store, rc, "registering the name-key functions", err);
}
