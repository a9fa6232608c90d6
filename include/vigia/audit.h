/*
 * vigia/audit.h - the tamper-evident audit trail.
 *
 * Every mutating operation appends an entry in the same transaction as its writes: time,
 * actor (and whether authenticated), action, the objects touched, a BLAKE2b digest of what
 * was written, the previous entry's hash and the entry's own hash
 *
 *   hash = BLAKE2b-256(prev_hash || seq || at || actor || authenticated || action ||
 *                      objects || digest)      (each field length-prefixed)
 *
 * A chain kept in the same file can be recomputed by whoever can write the file, so each
 * entry's hash is also signed with an Ed25519 key kept outside the database, and every new
 * chain head (sequence, hash, signature) is appended to an export file kept elsewhere.
 * vg_audit_verify recomputes the chain, checks every signature against the operator's
 * public key (from the key file or the export, never only from the database) and compares
 * the exported heads, and names the first broken entry: edited in place, recomputed
 * without the key, missing, or cut off at the end.
 */
#ifndef VIGIA_AUDIT_H
#define VIGIA_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include <vigia/rows.h>
#include <vigia/slice.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_store;

#define VG_DIGEST_SIZE 32

/*
 * Appends an audit entry inside the caller's open transaction (VG_EINVAL outside one).
 * action is a dotted verb ("ingest.batch", "codes.import"); objects a short JSON or text
 * naming what was touched (borrowed); digest the BLAKE2b-256 of what was written, or NULL
 * for 32 zero bytes. Loads (or creates) the signing key on first use; VG_ECRYPTO when the
 * key cannot be read or created.
 */
VG_NODISCARD enum vg_status vg_audit_append(struct vg_store *store,
                                            const char *action,
                                            const char *objects,
                                            const uint8_t *digest,
                                            struct vg_error *err);

struct vg_audit_report {
    int64_t entries;        /* entries checked */
    int64_t last_seq;       /* highest sequence in the store */
    int64_t exported_heads; /* heads read from the export file */
    bool key_from_file;     /* public key came from the key file */
    bool export_found;      /* the export file was present */
    bool ok;
    int64_t first_broken;   /* sequence of the first broken entry, 0 when ok */
    char reason[256];       /* what is wrong with it */
};

/*
 * Verifies the chain of the open store. Returns VG_OK when the chain, the signatures and
 * the exported heads agree (report->ok), VG_EINTEGRITY when not (report names the first
 * broken entry and the reason), other codes when verification could not run.
 */
VG_NODISCARD enum vg_status vg_audit_verify(struct vg_store *store,
                                            struct vg_audit_report *report,
                                            struct vg_error *err);

/* Lists audit entries, newest first, at most limit (0 = all): columns seq, at, actor,
 * authenticated, action, objects, digest, hash. */
VG_NODISCARD enum vg_status vg_audit_list(struct vg_store *store, int64_t limit,
                                          const struct vg_row_sink *sink,
                                          struct vg_error *err);

/* Streaming BLAKE2b-256 for "digest of what was written". Caller storage. */
struct vg_hasher {
    _Alignas(64) unsigned char opaque[448];
};

void vg_hasher_init(struct vg_hasher *h);
void vg_hasher_update(struct vg_hasher *h, const void *data, size_t len);
void vg_hasher_final(struct vg_hasher *h, uint8_t out[VG_DIGEST_SIZE]);

/* One-shot BLAKE2b-256. */
void vg_digest(const void *data, size_t len, uint8_t out[VG_DIGEST_SIZE]);

/* Lowercase hex of a digest into buf (at least 2*VG_DIGEST_SIZE+1 bytes). Returns buf. */
char *vg_digest_hex(const uint8_t digest[VG_DIGEST_SIZE], char *buf);

/* Initialises the crypto library; safe to call many times. VG_ECRYPTO on failure. */
VG_NODISCARD enum vg_status vg_crypto_init(void);

#ifdef __cplusplus
}
#endif
#endif
