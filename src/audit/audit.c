/*
 * Appending to the audit chain and exporting signed heads (vigia/audit.h).
 *
 * An entry is appended inside the caller's transaction, so it commits or rolls back with
 * the writes it describes. After the outermost commit the new head (sequence, hash,
 * signature, public key) is appended to the export file; a crash between the two leaves
 * the export one head behind, which verification tolerates (only heads that are in the
 * export must match the chain).
 */
#include "audit/audit_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <vigia/time.h>

static void hash_field(crypto_generichash_state *h, const void *data, size_t len)
{
    uint8_t prefix[8];
    uint64_t n = len;
    for (int i = 7; i >= 0; i--) {
        prefix[i] = (uint8_t)(n & 0xff);
        n >>= 8;
    }
    crypto_generichash_update(h, prefix, sizeof(prefix));
    if (len > 0) {
        crypto_generichash_update(h, data, len);
    }
}

static void hash_i64(crypto_generichash_state *h, int64_t v)
{
    uint8_t b[8];
    uint64_t u = (uint64_t)v;
    for (int i = 7; i >= 0; i--) {
        b[i] = (uint8_t)(u & 0xff);
        u >>= 8;
    }
    hash_field(h, b, sizeof(b));
}

void vg__audit_entry_hash(const uint8_t prev_hash[VG_DIGEST_SIZE],
                          int64_t seq,
                          int64_t at,
                          const char *actor,
                          int authenticated,
                          const char *action,
                          const char *objects,
                          const uint8_t digest[VG_DIGEST_SIZE],
                          uint8_t out[VG_DIGEST_SIZE])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, (const unsigned char *)"vigia-audit-v1", 14, VG_DIGEST_SIZE);
    hash_field(&h, prev_hash, VG_DIGEST_SIZE);
    hash_i64(&h, seq);
    hash_i64(&h, at);
    hash_field(&h, actor, strlen(actor));
    hash_i64(&h, authenticated ? 1 : 0);
    hash_field(&h, action, strlen(action));
    hash_field(&h, objects, strlen(objects));
    hash_field(&h, digest, VG_DIGEST_SIZE);
    crypto_generichash_final(&h, out, VG_DIGEST_SIZE);
}

enum vg_status vg_audit_append(struct vg_store *store,
                               const char *action,
                               const char *objects,
                               const uint8_t *digest,
                               struct vg_error *err)
{
    if (store->tx_depth <= 0) {
        return vg_error_set(err, VG_EINVAL, "audit entry outside a transaction");
    }
    if (!store->key_loaded) {
        enum vg_status st = vg__audit_key_load(store->audit_key_path, true, store->secret_key,
                                               store->public_key, err);
        if (st != VG_OK) {
            return st;
        }
        store->key_loaded = true;
        char hex[65];
        sodium_bin2hex(hex, sizeof(hex), store->public_key, sizeof(store->public_key));
        char current[80];
        if (vg__store_meta_get(store, "audit_public_key", current, sizeof(current), NULL) ==
            VG_ENOTFOUND) {
            st = vg__store_meta_set(store, "audit_public_key", hex, err);
            if (st != VG_OK) {
                return st;
            }
        }
    }
    static const uint8_t zero[VG_DIGEST_SIZE];
    if (digest == NULL) {
        digest = zero;
    }
    if (objects == NULL) {
        objects = "";
    }
    static const char last_sql[] = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
    sqlite3_stmt *st = vg__store_stmt(store, last_sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    int64_t seq = 1;
    uint8_t prev[VG_DIGEST_SIZE] = { 0 };
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        seq = sqlite3_column_int64(st, 0) + 1;
        const void *h = sqlite3_column_blob(st, 1);
        if (h != NULL && sqlite3_column_bytes(st, 1) == VG_DIGEST_SIZE) {
            memcpy(prev, h, VG_DIGEST_SIZE);
        }
    } else if (rc != SQLITE_DONE) {
        sqlite3_reset(st);
        return vg__store_error(store, rc, "reading the audit head", err);
    }
    sqlite3_reset(st);

    int64_t at = vg_time_now();
    uint8_t hash[VG_DIGEST_SIZE];
    vg__audit_entry_hash(prev, seq, at, store->actor, store->actor_authenticated, action,
                         objects, digest, hash);
    uint8_t sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, hash, sizeof(hash), store->secret_key);

    static const char insert_sql[] =
        "INSERT INTO audit_log(seq, at, actor, authenticated, action, objects, digest,"
        " prev_hash, hash, signature, key_id) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)";
    st = vg__store_stmt(store, insert_sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, at);
    vg__bind_text(st, 3, store->actor);
    sqlite3_bind_int(st, 4, store->actor_authenticated ? 1 : 0);
    vg__bind_text(st, 5, action);
    vg__bind_text(st, 6, objects);
    sqlite3_bind_blob(st, 7, digest, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 8, prev, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 9, hash, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 10, sig, sizeof(sig), SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 11, store->public_key, sizeof(store->public_key), SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "appending to the audit log", err);
    }
    store->head_pending = true;
    store->head_seq = seq;
    memcpy(store->head_hash, hash, sizeof(hash));
    memcpy(store->head_sig, sig, sizeof(sig));
    return VG_OK;
}

enum vg_status vg__audit_export_pending(struct vg_store *store, struct vg_error *err)
{
    char hash_hex[2 * VG_DIGEST_SIZE + 1], sig_hex[2 * 64 + 1], pk_hex[2 * 32 + 1];
    sodium_bin2hex(hash_hex, sizeof(hash_hex), store->head_hash, sizeof(store->head_hash));
    sodium_bin2hex(sig_hex, sizeof(sig_hex), store->head_sig, sizeof(store->head_sig));
    sodium_bin2hex(pk_hex, sizeof(pk_hex), store->public_key, sizeof(store->public_key));
    char line[400];
    int n = snprintf(line, sizeof(line), "%lld %s %s %s\n", (long long)store->head_seq,
                     hash_hex, sig_hex, pk_hex);
    int fd = open(store->audit_export_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0) {
        return vg_error_set(err, VG_EIO, "cannot export the audit head to '%s': %s",
                            store->audit_export_path, strerror(errno));
    }
    ssize_t w = write(fd, line, (size_t)n);
    close(fd);
    if (w != n) {
        return vg_error_set(err, VG_EIO, "cannot export the audit head to '%s'",
                            store->audit_export_path);
    }
    return VG_OK;
}

enum vg_status vg__audit_export_read(const char *path,
                                     void (*fn)(void *user, int64_t seq,
                                                const uint8_t hash[VG_DIGEST_SIZE],
                                                const uint8_t sig[64], const uint8_t pk[32]),
                                     void *user,
                                     struct vg_error *err)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        if (errno == ENOENT) {
            return VG_ENOTFOUND;
        }
        return vg_error_set(err, VG_EIO, "cannot read '%s': %s", path, strerror(errno));
    }
    char line[512];
    while (fgets(line, sizeof(line), f) != NULL) {
        long long seq;
        char h[80], s[160], p[80];
        if (sscanf(line, "%lld %79s %159s %79s", &seq, h, s, p) != 4) {
            continue;
        }
        uint8_t hash[VG_DIGEST_SIZE], sig[64], pk[32];
        if (!vg__hex_decode(h, strlen(h), hash, sizeof(hash)) ||
            !vg__hex_decode(s, strlen(s), sig, sizeof(sig)) ||
            !vg__hex_decode(p, strlen(p), pk, sizeof(pk))) {
            continue;
        }
        fn(user, (int64_t)seq, hash, sig, pk);
    }
    fclose(f);
    return VG_OK;
}

enum vg_status vg_audit_list(struct vg_store *store, int64_t limit,
                             const struct vg_row_sink *sink, struct vg_error *err)
{
    static const char sql[] =
        "SELECT seq, strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch') AS at, actor,"
        " CASE authenticated WHEN 1 THEN 'yes' ELSE 'no' END AS authenticated, action,"
        " objects, lower(hex(digest)) AS digest, lower(hex(hash)) AS hash"
        " FROM audit_log ORDER BY seq DESC LIMIT CAST(?1 AS INTEGER)";
    char lim[32];
    snprintf(lim, sizeof(lim), "%lld", limit > 0 ? (long long)limit : -1LL);
    const char *params[1] = { lim };
    return vg__store_query_rows(store, sql, params, 1, sink, err);
}
