/*
 * Verification of the audit chain (vigia/audit.h).
 *
 * The public key that anchors verification comes from outside the database: the key
 * file when readable, else the export file. Only when neither exists does verification
 * fall back to the key recorded in the store, and then it says so (a chain rewritten by
 * someone who also replaced that key would pass the hash checks; the report's
 * key_from_file and export_found flags tell the operator how strong the check was).
 */
#include "audit/audit_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include <vigia/alloc.h>

struct exported_head {
    int64_t seq;
    uint8_t hash[VG_DIGEST_SIZE];
};

struct export_state {
    struct exported_head *heads;
    size_t count, cap;
    bool have_pk;
    uint8_t pk[32];
    bool oom;
};

static void collect_head(void *user, int64_t seq, const uint8_t hash[VG_DIGEST_SIZE],
                         const uint8_t sig[64], const uint8_t pk[32])
{
    struct export_state *es = user;
    /* A head whose signature does not verify under its own key is ignored as noise. */
    if (crypto_sign_verify_detached(sig, hash, VG_DIGEST_SIZE, pk) != 0) {
        return;
    }
    if (!es->have_pk) {
        memcpy(es->pk, pk, 32);
        es->have_pk = true;
    }
    if (es->count == es->cap) {
        size_t ncap = es->cap == 0 ? 64 : es->cap * 2;
        struct exported_head *n = vg_reallocarray(es->heads, ncap, sizeof(*n));
        if (n == NULL) {
            es->oom = true;
            return;
        }
        es->heads = n;
        es->cap = ncap;
    }
    es->heads[es->count].seq = seq;
    memcpy(es->heads[es->count].hash, hash, VG_DIGEST_SIZE);
    es->count++;
}

static void mark_broken(struct vg_audit_report *r, int64_t seq, const char *fmt, ...)
    VG_PRINTF(3, 4);

static void mark_broken(struct vg_audit_report *r, int64_t seq, const char *fmt, ...)
{
    if (r->ok || seq < r->first_broken) {
        r->ok = false;
        r->first_broken = seq;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
        va_end(ap);
    }
}

enum vg_status vg_audit_verify(struct vg_store *store,
                               struct vg_audit_report *report,
                               struct vg_error *err)
{
    memset(report, 0, sizeof(*report));
    report->ok = true;

    /* 1. The anchor key. */
    uint8_t pk[32];
    bool have_pk = false;
    unsigned char sk[64];
    enum vg_status st = vg__audit_key_load(store->audit_key_path, false, sk, pk, NULL);
    sodium_memzero(sk, sizeof(sk));
    if (st == VG_OK) {
        have_pk = true;
        report->key_from_file = true;
    }
    struct export_state es = { 0 };
    st = vg__audit_export_read(store->audit_export_path, collect_head, &es, err);
    if (st == VG_OK) {
        report->export_found = true;
    } else if (st != VG_ENOTFOUND) {
        vg_free(es.heads);
        return st;
    }
    if (es.oom) {
        vg_free(es.heads);
        return vg_error_set(err, VG_ENOMEM, "out of memory reading exported heads");
    }
    report->exported_heads = (int64_t)es.count;
    if (!have_pk && es.have_pk) {
        memcpy(pk, es.pk, sizeof(pk));
        have_pk = true;
    }
    if (have_pk && es.have_pk && memcmp(pk, es.pk, sizeof(pk)) != 0) {
        mark_broken(report, 1, "the exported heads were signed with a different key than the "
                               "operator's key file");
    }
    char stored_pk_hex[80];
    uint8_t stored_pk[32];
    bool have_stored_pk =
        vg__store_meta_get(store, "audit_public_key", stored_pk_hex, sizeof(stored_pk_hex),
                           NULL) == VG_OK &&
        vg__hex_decode(stored_pk_hex, strlen(stored_pk_hex), stored_pk, sizeof(stored_pk));
    if (!have_pk && have_stored_pk) {
        memcpy(pk, stored_pk, sizeof(pk));
        have_pk = true;
    }

    /* 2. Walk the chain. */
    static const char sql[] =
        "SELECT seq, at, actor, authenticated, action, objects, digest, prev_hash, hash,"
        " signature FROM audit_log ORDER BY seq";
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &q, NULL);
    if (rc != SQLITE_OK) {
        vg_free(es.heads);
        return vg__store_error(store, rc, "reading the audit log", err);
    }
    uint8_t prev[VG_DIGEST_SIZE] = { 0 };
    int64_t expected_seq = 1;
    uint8_t *hashes = NULL; /* stored hashes by seq, for the export comparison */
    size_t hashes_cap = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(q, 0);
        int64_t at = sqlite3_column_int64(q, 1);
        const char *actor = (const char *)sqlite3_column_text(q, 2);
        int auth = sqlite3_column_int(q, 3);
        const char *action = (const char *)sqlite3_column_text(q, 4);
        const char *objects = (const char *)sqlite3_column_text(q, 5);
        const void *digest = sqlite3_column_blob(q, 6);
        int digest_len = sqlite3_column_bytes(q, 6);
        const void *prev_hash = sqlite3_column_blob(q, 7);
        int prev_len = sqlite3_column_bytes(q, 7);
        const void *hash = sqlite3_column_blob(q, 8);
        int hash_len = sqlite3_column_bytes(q, 8);
        const void *sig = sqlite3_column_blob(q, 9);
        int sig_len = sqlite3_column_bytes(q, 9);
        report->entries++;
        report->last_seq = seq;
        if (seq != expected_seq) {
            mark_broken(report, expected_seq,
                        "entry %lld is missing (the chain jumps from %lld to %lld)",
                        (long long)expected_seq, (long long)expected_seq - 1, (long long)seq);
        }
        expected_seq = seq + 1;
        if (hash_len != VG_DIGEST_SIZE || prev_len != VG_DIGEST_SIZE ||
            digest_len != VG_DIGEST_SIZE || sig_len != 64 || actor == NULL || action == NULL ||
            objects == NULL) {
            mark_broken(report, seq, "entry %lld is malformed", (long long)seq);
            memset(prev, 0, sizeof(prev));
            continue;
        }
        if (memcmp(prev_hash, prev, VG_DIGEST_SIZE) != 0) {
            mark_broken(report, seq, "entry %lld does not chain to the entry before it",
                        (long long)seq);
        }
        uint8_t computed[VG_DIGEST_SIZE];
        vg__audit_entry_hash(prev_hash, seq, at, actor, auth, action, objects, digest,
                             computed);
        if (memcmp(computed, hash, VG_DIGEST_SIZE) != 0) {
            mark_broken(report, seq,
                        "entry %lld was modified after it was written (its content no longer "
                        "matches its hash)",
                        (long long)seq);
        } else if (have_pk && crypto_sign_verify_detached(sig, hash, VG_DIGEST_SIZE, pk) != 0) {
            mark_broken(report, seq,
                        "entry %lld is not signed by the operator's key: the chain was "
                        "rewritten from this entry on",
                        (long long)seq);
        }
        memcpy(prev, hash, VG_DIGEST_SIZE);
        if (seq > 0 && (size_t)seq <= SIZE_MAX / VG_DIGEST_SIZE) {
            size_t need = (size_t)seq * VG_DIGEST_SIZE;
            if (need > hashes_cap) {
                size_t ncap = hashes_cap == 0 ? 64 * VG_DIGEST_SIZE : hashes_cap * 2;
                while (ncap < need) {
                    ncap *= 2;
                }
                uint8_t *n = vg_realloc(hashes, ncap);
                if (n == NULL) {
                    sqlite3_finalize(q);
                    vg_free(hashes);
                    vg_free(es.heads);
                    return vg_error_set(err, VG_ENOMEM, "out of memory verifying the chain");
                }
                memset(n + hashes_cap, 0, ncap - hashes_cap);
                hashes = n;
                hashes_cap = ncap;
            }
            memcpy(hashes + (size_t)(seq - 1) * VG_DIGEST_SIZE, hash, VG_DIGEST_SIZE);
        }
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        vg_free(hashes);
        vg_free(es.heads);
        return vg__store_error(store, rc, "reading the audit log", err);
    }

    /* 3. Compare the exported heads. */
    for (size_t i = 0; i < es.count; i++) {
        int64_t seq = es.heads[i].seq;
        if (seq > report->last_seq) {
            mark_broken(report, report->last_seq + 1,
                        "entries after %lld were removed (head %lld was exported)",
                        (long long)report->last_seq, (long long)seq);
            continue;
        }
        if (seq < 1 || (size_t)seq * VG_DIGEST_SIZE > hashes_cap) {
            continue;
        }
        if (memcmp(hashes + (size_t)(seq - 1) * VG_DIGEST_SIZE, es.heads[i].hash,
                   VG_DIGEST_SIZE) != 0) {
            mark_broken(report, seq,
                        "entry %lld differs from the head exported when it was written",
                        (long long)seq);
        }
    }
    vg_free(hashes);
    vg_free(es.heads);

    if (!report->ok) {
        return vg_error_set(err, VG_EINTEGRITY, "audit chain broken at entry %lld: %s",
                            (long long)report->first_broken, report->reason);
    }
    return VG_OK;
}
