/*
 * The raw bytes of stored messages (messages.raw), compressed.
 *
 * Every message keeps the bytes it came in, so that nothing a mapper could not place is
 * lost and an analyst can read what the sender sent. They were the largest part of the
 * store (a third of it in bench_ingest) and of what each commit and checkpoint wrote.
 * EDIFACT and CSV are repetitive text (segment tags, qualifiers, the same places and
 * parties): Zstandard at level 1 keeps a manifest in a seventh of its size at several
 * hundred MB/s, on the thread that parses (src/ingest/pipeline.c), not the one that
 * writes. messages.raw_codec says how the blob is kept: NULL as sent, 'zstd' one
 * Zstandard frame; messages.length is always the length as sent. The SQL function
 * vg_raw(raw, raw_codec, length) gives the bytes back (vigia show message).
 */
#include "store/store_int.h"

#include <string.h>
#include <vigia/alloc.h>
#include <vigia/arena.h>
#include <vigia/charset.h>
#include <vigia/raw.h>
#include <vigia/slice.h>
#include <zstd.h>

/* Messages shorter than this are kept as sent: a frame's header and the lack of
 * repetition in a few segments leave nothing to gain. */
enum { RAW_MIN_PACK = 128 };

/* Zstandard level: 1 is the fastest of the standard levels; 3 (the library's default)
 * measured no smaller on EDIFACT manifests (105.7 against 108.9 MB for 802 MB). */
enum { RAW_LEVEL = 1 };

struct vg__raw_packer {
    ZSTD_CCtx *cctx;
};

struct vg__raw_packer *vg__raw_packer_new(void)
{
    struct vg__raw_packer *p = vg_calloc(1, sizeof(*p));
    if (p == NULL) {
        return NULL;
    }
    p->cctx = ZSTD_createCCtx();
    if (p->cctx == NULL) {
        vg_free(p);
        return NULL;
    }
    return p;
}

void vg__raw_packer_free(struct vg__raw_packer *p)
{
    if (p != NULL) {
        ZSTD_freeCCtx(p->cctx);
        vg_free(p);
    }
}

const char *vg__raw_pack(struct vg__raw_packer *p,
                         const void *src,
                         size_t len,
                         struct vg_arena *arena,
                         const void **out,
                         size_t *out_len)
{
    *out = src;
    *out_len = len;
    if (p == NULL || len < RAW_MIN_PACK) {
        return NULL;
    }
    size_t cap = ZSTD_compressBound(len);
    void *dst = vg_arena_alloc(arena, cap);
    if (dst == NULL) {
        return NULL; /* kept as sent: memory is short, not the data */
    }
    size_t n = ZSTD_compressCCtx(p->cctx, dst, cap, src, len, RAW_LEVEL);
    if (ZSTD_isError(n) || n >= len) {
        return NULL;
    }
    *out = dst;
    *out_len = n;
    return VG_RAW_ZSTD;
}

enum vg_status vg_raw_decode(const char *codec,
                             const void *blob,
                             size_t blob_len,
                             size_t length,
                             char **out,
                             size_t *out_len,
                             struct vg_error *err)
{
    *out = NULL;
    *out_len = 0;
    if (codec == NULL) {
        char *copy = vg_malloc(blob_len + 1);
        if (copy == NULL) {
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        if (blob_len > 0) {
            memcpy(copy, blob, blob_len);
        }
        copy[blob_len] = '\0';
        *out = copy;
        *out_len = blob_len;
        return VG_OK;
    }
    if (strcmp(codec, VG_RAW_ZSTD) != 0) {
        return vg_error_set(err, VG_EPARSE, "raw bytes kept with unknown codec '%.20s'", codec);
    }
    unsigned long long size = ZSTD_getFrameContentSize(blob, blob_len);
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size != length) {
        return vg_error_set(err, VG_EPARSE,
                            "raw bytes damaged: frame of %llu bytes, message of %zu", size, length);
    }
    char *dst = vg_malloc(length + 1);
    if (dst == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    size_t n = ZSTD_decompress(dst, length, blob, blob_len);
    if (ZSTD_isError(n) || n != length) {
        vg_free(dst);
        return vg_error_set(err, VG_EPARSE, "raw bytes damaged: %s",
                            ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short frame");
    }
    dst[length] = '\0';
    *out = dst;
    *out_len = length;
    return VG_OK;
}

enum vg_status vg_raw_encode(const void *src,
                             size_t len,
                             char **out,
                             size_t *out_len,
                             const char **codec,
                             struct vg_error *err)
{
    *out = NULL;
    *out_len = 0;
    *codec = NULL;
    struct vg__raw_packer *p = vg__raw_packer_new();
    if (p == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    struct vg_arena arena;
    vg_arena_init(&arena, 4096, 0);
    const void *kept;
    size_t kept_len;
    const char *c = vg__raw_pack(p, src, len, &arena, &kept, &kept_len);
    /* The copy is vg_raw_decode's of what would be stored, with the codec NULL. */
    enum vg_status st = vg_raw_decode(NULL, kept, kept_len, kept_len, out, out_len, err);
    if (st == VG_OK) {
        *codec = c;
    }
    vg_arena_release(&arena);
    vg__raw_packer_free(p);
    return st;
}

/* The bytes as sent of the SQL arguments (raw, raw_codec, length): true with *bytes (the
 * caller frees it) or false with the SQL result set (NULL when no bytes were kept, an
 * error when they cannot be read back). */
static bool stored_bytes(sqlite3_context *ctx, sqlite3_value **argv, char **bytes, size_t *n)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return false;
    }
    const void *blob = sqlite3_value_blob(argv[0]);
    size_t blob_len = (size_t)sqlite3_value_bytes(argv[0]);
    const char *codec = (const char *)sqlite3_value_text(argv[1]);
    sqlite3_int64 length = sqlite3_value_int64(argv[2]);
    struct vg_error e;
    vg_error_clear(&e);
    if (length < 0) {
        sqlite3_result_error(ctx, "negative message length", -1);
        return false;
    }
    if (vg_raw_decode(codec, blob, blob_len, (size_t)length, bytes, n, &e) != VG_OK) {
        sqlite3_result_error(ctx, e.message, -1);
        return false;
    }
    return true;
}

/* vg_raw(raw, raw_codec, length): the message's bytes as sent, as a BLOB. */
static void fn_raw(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    char *bytes;
    size_t n;
    if (stored_bytes(ctx, argv, &bytes, &n)) {
        sqlite3_result_blob64(ctx, bytes, n, vg_free);
    }
}

/* vg_raw_text(raw, raw_codec, length, charset): the message's bytes as UTF-8 text for
 * reading: as they are when they are UTF-8, else converted from charset (the interchange's
 * declared set, ISO-8859-1 when unknown), unmappable bytes as U+FFFD. */
static void fn_raw_text(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    char *bytes;
    size_t n;
    if (!stored_bytes(ctx, argv, &bytes, &n)) {
        return;
    }
    if (vg_utf8_valid(bytes, n)) {
        sqlite3_result_text64(ctx, bytes, n, vg_free, SQLITE_UTF8);
        return;
    }
    const char *charset = (const char *)sqlite3_value_text(argv[3]);
    struct vg_buf text;
    vg_buf_init(&text, 0);
    enum vg_status st =
        vg_charset_to_utf8(charset != NULL ? charset : "ISO-8859-1", bytes, n, &text, NULL);
    if (st == VG_EUNSUPPORTED) {
        vg_buf_reset(&text);
        st = vg_latin1_to_utf8(bytes, n, &text);
    }
    vg_free(bytes);
    if (st != VG_OK) {
        sqlite3_result_error_nomem(ctx);
    } else {
        sqlite3_result_text64(ctx, text.data != NULL ? text.data : "", text.len, SQLITE_TRANSIENT,
                              SQLITE_UTF8);
    }
    vg_buf_release(&text);
}

enum vg_status vg__raw_sql_function(struct vg_store *store, struct vg_error *err)
{
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    int rc =
        sqlite3_create_function_v2(store->db, "vg_raw", 3, flags, NULL, fn_raw, NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_create_function_v2(store->db, "vg_raw_text", 4, flags, NULL, fn_raw_text, NULL,
                                        NULL, NULL);
    }
    return rc == SQLITE_OK ? VG_OK : vg__store_error(store, rc, "registering vg_raw", err);
}
