/*
 * vigia/raw.h - the bytes of a message as sent, as the store keeps them.
 *
 * Every ingested message keeps its raw bytes (messages.raw) unless `--no-raw` was given:
 * as sent (messages.raw_codec NULL) or, when that is smaller, as one Zstandard frame
 * (raw_codec "zstd"); messages.length is always the length as sent. These functions turn
 * one form into the other; `vigia show message` and the SQL function vg_raw use them.
 */
#ifndef VIGIA_RAW_H
#define VIGIA_RAW_H

#include <stddef.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* raw_codec of a blob that is one Zstandard frame. */
#define VG_RAW_ZSTD "zstd"

/*
 * The bytes as sent from a stored blob of blob_len bytes: codec NULL (the blob is the
 * bytes) or VG_RAW_ZSTD (a frame that must decompress to exactly length bytes). On VG_OK
 * *out is a NUL-terminated copy of *out_len bytes that the caller frees with vg_free.
 * VG_EPARSE for an unknown codec or a damaged frame, VG_ENOMEM; *out is NULL then.
 */
VG_NODISCARD enum vg_status vg_raw_decode(const char *codec,
                                          const void *blob,
                                          size_t blob_len,
                                          size_t length,
                                          char **out,
                                          size_t *out_len,
                                          struct vg_error *err);

/*
 * What the store keeps of len bytes at src: when compressing saves space, a Zstandard frame
 * in *out (the caller frees it with vg_free) and *codec = VG_RAW_ZSTD; otherwise a copy of
 * the bytes and *codec = NULL. VG_ENOMEM.
 */
VG_NODISCARD enum vg_status vg_raw_encode(const void *src,
                                          size_t len,
                                          char **out,
                                          size_t *out_len,
                                          const char **codec,
                                          struct vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
