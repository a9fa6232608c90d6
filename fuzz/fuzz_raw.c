/* Fuzz target: the raw bytes of stored messages (vigia/raw.h). The input is taken both as
 * a message to keep (encoded, then decoded: the bytes must come back exactly) and as a
 * stored blob (decoded as a Zstandard frame of the length its first four bytes give, and of
 * its own size; a damaged store must give VG_EPARSE, never a crash or a wrong length). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/raw.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void decode_as_frame(const uint8_t *data, size_t size, size_t length)
{
    char *out = NULL;
    size_t n = 0;
    struct vg_error e;
    enum vg_status st = vg_raw_decode(VG_RAW_ZSTD, data, size, length, &out, &n, &e);
    if (st == VG_OK && (out == NULL || n != length || out[n] != '\0')) {
        fprintf(stderr, "decoded %zu bytes, wanted %zu\n", n, length);
        abort();
    }
    if (st != VG_OK && (st != VG_EPARSE && st != VG_ENOMEM)) {
        fprintf(stderr, "unexpected: %s\n", e.message);
        abort();
    }
    if (st != VG_OK && out != NULL) {
        fprintf(stderr, "output left on failure\n");
        abort();
    }
    vg_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *kept = NULL;
    size_t kept_len = 0;
    const char *codec = NULL;
    struct vg_error e;
    if (vg_raw_encode(data, size, &kept, &kept_len, &codec, &e) == VG_OK) {
        char *back = NULL;
        size_t n = 0;
        if (vg_raw_decode(codec, kept, kept_len, size, &back, &n, &e) != VG_OK || n != size ||
            (size > 0 && memcmp(back, data, size) != 0)) {
            fprintf(stderr, "round trip lost the bytes (%s)\n", codec ? codec : "as sent");
            abort();
        }
        if (codec != NULL && kept_len >= size) {
            fprintf(stderr, "compressed form kept though not smaller\n");
            abort();
        }
        vg_free(back);
        vg_free(kept);
    }
    decode_as_frame(data, size, size);
    if (size >= 4) {
        uint32_t length = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
                          (uint32_t)data[3] << 24;
        decode_as_frame(data + 4, size - 4, length % (1u << 20));
    }
    char *out = NULL;
    size_t n = 0;
    if (vg_raw_decode("lz4", data, size, size, &out, &n, &e) != VG_EPARSE || out != NULL) {
        fprintf(stderr, "an unknown codec was not refused\n");
        abort();
    }
    return 0;
}
