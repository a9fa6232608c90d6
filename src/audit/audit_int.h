/* Private interface of the audit module. */
#ifndef VIGIA_AUDIT_INT_H
#define VIGIA_AUDIT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <vigia/audit.h>

#include "store/store_int.h"

/* Computes the hash of an audit entry (see vigia/audit.h for the layout). */
void vg__audit_entry_hash(const uint8_t prev_hash[VG_DIGEST_SIZE],
                          int64_t seq,
                          int64_t at,
                          const char *actor,
                          int authenticated,
                          const char *action,
                          const char *objects,
                          const uint8_t digest[VG_DIGEST_SIZE],
                          uint8_t out[VG_DIGEST_SIZE]);

/* Loads the Ed25519 key pair from path, creating it (and its directory, mode 0700/0600)
 * when create is true and the file is missing. VG_ENOTFOUND when missing and !create,
 * VG_ECRYPTO / VG_EIO on other failures. */
enum vg_status vg__audit_key_load(const char *path, bool create, unsigned char sk[64],
                                  unsigned char pk[32], struct vg_error *err);

/* Parses the export file: calls fn for every well-formed line (seq, hash, signature,
 * public key). VG_ENOTFOUND when the file does not exist. */
enum vg_status vg__audit_export_read(const char *path,
                                     void (*fn)(void *user, int64_t seq,
                                                const uint8_t hash[VG_DIGEST_SIZE],
                                                const uint8_t sig[64], const uint8_t pk[32]),
                                     void *user,
                                     struct vg_error *err);

/* Decodes 2*n hex characters into out; false on malformed input. */
bool vg__hex_decode(const char *hex, size_t hex_len, uint8_t *out, size_t n);

#endif
