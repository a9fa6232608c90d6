/*
 * The audit signing key: an Ed25519 key pair kept in a file outside the database, so
 * that whoever can write the database cannot re-sign a rewritten chain. The file holds
 * one line, "vigia-audit-key-v1 <hex of the 32-byte seed>", mode 0600.
 */
#include "audit/audit_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_TAG "vigia-audit-key-v1 "

static enum vg_status make_parent_dirs(const char *path, struct vg_error *err)
{
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir) {
        return VG_OK;
    }
    *slash = '\0';
    for (char *p = dir + 1; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
                return vg_error_set(err, VG_EIO, "cannot create directory '%s': %s", dir,
                                    strerror(errno));
            }
            *p = '/';
        }
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        return vg_error_set(err, VG_EIO, "cannot create directory '%s': %s", dir, strerror(errno));
    }
    return VG_OK;
}

static enum vg_status create_key(const char *path, unsigned char sk[64], unsigned char pk[32],
                                 struct vg_error *err)
{
    enum vg_status st = make_parent_dirs(path, err);
    if (st != VG_OK) {
        return st;
    }
    unsigned char seed[crypto_sign_SEEDBYTES];
    randombytes_buf(seed, sizeof(seed));
    crypto_sign_seed_keypair(pk, sk, seed);
    char line[sizeof(KEY_TAG) + 2 * sizeof(seed) + 2];
    char hex[2 * sizeof(seed) + 1];
    sodium_bin2hex(hex, sizeof(hex), seed, sizeof(seed));
    snprintf(line, sizeof(line), "%s%s\n", KEY_TAG, hex);
    sodium_memzero(seed, sizeof(seed));
    sodium_memzero(hex, sizeof(hex));
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        sodium_memzero(line, sizeof(line));
        return vg_error_set(err, errno == EEXIST ? VG_ECONFLICT : VG_EIO,
                            "cannot create audit key '%s': %s", path, strerror(errno));
    }
    size_t len = strlen(line);
    ssize_t w = write(fd, line, len);
    int sync_rc = fsync(fd);
    close(fd);
    sodium_memzero(line, sizeof(line));
    if (w != (ssize_t)len || sync_rc != 0) {
        unlink(path);
        return vg_error_set(err, VG_EIO, "cannot write audit key '%s'", path);
    }
    return VG_OK;
}

enum vg_status vg__audit_key_load(const char *path, bool create, unsigned char sk[64],
                                  unsigned char pk[32], struct vg_error *err)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        if (errno != ENOENT) {
            return vg_error_set(err, VG_ECRYPTO, "cannot read audit key '%s': %s", path,
                                strerror(errno));
        }
        if (!create) {
            return vg_error_set(err, VG_ENOTFOUND, "audit key '%s' does not exist", path);
        }
        enum vg_status st = create_key(path, sk, pk, err);
        if (st != VG_ECONFLICT) {
            return st;
        }
        /* Another process created it first: read theirs. */
        f = fopen(path, "r");
        if (f == NULL) {
            return vg_error_set(err, VG_ECRYPTO, "cannot read audit key '%s': %s", path,
                                strerror(errno));
        }
    }
    char line[256] = "";
    bool ok = fgets(line, sizeof(line), f) != NULL;
    fclose(f);
    unsigned char seed[crypto_sign_SEEDBYTES];
    size_t tag = strlen(KEY_TAG);
    size_t len = strcspn(line, "\r\n");
    ok = ok && len == tag + 2 * sizeof(seed) && memcmp(line, KEY_TAG, tag) == 0 &&
         vg__hex_decode(line + tag, 2 * sizeof(seed), seed, sizeof(seed));
    sodium_memzero(line, sizeof(line));
    if (!ok) {
        return vg_error_set(err, VG_ECRYPTO, "audit key '%s' is not a vigia audit key", path);
    }
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_memzero(seed, sizeof(seed));
    return VG_OK;
}
