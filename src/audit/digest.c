/* BLAKE2b-256 digests through libsodium's crypto_generichash (vigia/audit.h). */
#include "audit/audit_int.h"

#include <sodium.h>
#include <stdio.h>

_Static_assert(sizeof(crypto_generichash_state) <= sizeof(((struct vg_hasher *)0)->opaque),
               "vg_hasher too small for crypto_generichash_state");

enum vg_status vg_crypto_init(void)
{
    return sodium_init() < 0 ? VG_ECRYPTO : VG_OK;
}

void vg_hasher_init(struct vg_hasher *h)
{
    crypto_generichash_init((crypto_generichash_state *)(void *)h->opaque, NULL, 0,
                            VG_DIGEST_SIZE);
}

void vg_hasher_update(struct vg_hasher *h, const void *data, size_t len)
{
    crypto_generichash_update((crypto_generichash_state *)(void *)h->opaque, data, len);
}

void vg_hasher_final(struct vg_hasher *h, uint8_t out[VG_DIGEST_SIZE])
{
    crypto_generichash_final((crypto_generichash_state *)(void *)h->opaque, out, VG_DIGEST_SIZE);
}

void vg_digest(const void *data, size_t len, uint8_t out[VG_DIGEST_SIZE])
{
    crypto_generichash(out, VG_DIGEST_SIZE, data, len, NULL, 0);
}

char *vg_digest_hex(const uint8_t digest[VG_DIGEST_SIZE], char *buf)
{
    sodium_bin2hex(buf, 2 * VG_DIGEST_SIZE + 1, digest, VG_DIGEST_SIZE);
    return buf;
}

bool vg__hex_decode(const char *hex, size_t hex_len, uint8_t *out, size_t n)
{
    size_t bin_len = 0;
    if (hex_len != 2 * n) {
        return false;
    }
    return sodium_hex2bin(out, n, hex, hex_len, NULL, &bin_len, NULL) == 0 && bin_len == n;
}
