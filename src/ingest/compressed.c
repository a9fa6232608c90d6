/*
 * Compressed input: files archived as gzip (zlib) or Zstandard (libzstd), as AIS
 * recordings and feed archives usually are, are read as what they hold. Several members or
 * frames one after the other are read in turn, as gunzip and zstd -d do.
 */
#include "ingest/ingest_int.h"

#include <string.h>
#include <zlib.h>
#include <zstd.h>

enum ing_compression vg__ing_compression(const char *data, size_t len)
{
    const unsigned char *b = (const unsigned char *)data;
    if (len >= 3 && b[0] == 0x1F && b[1] == 0x8B && b[2] == 8) {
        return ING_GZIP;
    }
    if (len >= 4 && b[0] == 0x28 && b[1] == 0xB5 && b[2] == 0x2F && b[3] == 0xFD) {
        return ING_ZSTD;
    }
    return ING_PLAIN;
}

size_t vg__ing_decompressed_max(size_t len)
{
    const size_t floor = (size_t)256 << 20, ceiling = (size_t)8 << 30;
    size_t m = len > ceiling / 100 ? ceiling : len * 100;
    return m < floor ? floor : m;
}

/* Room for at least 1 MiB more in out, or as much again as it holds (up to its max);
 * returns the bytes free after its contents (one kept for the terminator). VG_ELIMIT
 * past out's max, VG_ENOMEM. */
static enum vg_status room(struct vg_buf *out, size_t *avail)
{
    size_t want = out->len < (1u << 20) ? (1u << 20) : out->len;
    enum vg_status st = VG_ELIMIT;
    for (; want > 0 && st == VG_ELIMIT; want /= 2) {
        st = vg_buf_reserve(out, want);
    }
    if (st != VG_OK) {
        return st;
    }
    *avail = out->alloc - out->len - 1;
    return *avail > 0 ? VG_OK : VG_ELIMIT;
}

/* Inflates the gzip members in data[0..len) into out. Bytes after a member that do not
 * open another are ignored, as gunzip does. */
static enum vg_status
gunzip(const char *data, size_t len, struct vg_buf *out, size_t *at, const char **why)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
        return VG_ENOMEM;
    }
    enum vg_status st = VG_OK;
    size_t in = 0;
    for (;;) {
        size_t avail;
        if ((st = room(out, &avail)) != VG_OK) {
            break;
        }
        size_t chunk_in = len - in > (1u << 30) ? (1u << 30) : len - in;
        size_t chunk_out = avail > (1u << 30) ? (1u << 30) : avail;
        z.next_in = (Bytef *)(uintptr_t)(data + in);
        z.avail_in = (uInt)chunk_in;
        z.next_out = (Bytef *)out->data + out->len;
        z.avail_out = (uInt)chunk_out;
        int rc = inflate(&z, Z_NO_FLUSH);
        in += chunk_in - z.avail_in;
        out->len += chunk_out - z.avail_out;
        if (rc == Z_STREAM_END) {
            if (vg__ing_compression(data + in, len - in) != ING_GZIP) {
                break; /* the end, or trailing bytes */
            }
            if (inflateReset(&z) != Z_OK) {
                st = VG_ENOMEM;
                break;
            }
        } else if (rc == Z_MEM_ERROR) {
            st = VG_ENOMEM;
            break;
        } else if ((rc == Z_OK || rc == Z_BUF_ERROR) && !(in == len && z.avail_out > 0)) {
            continue; /* more to read, or more room wanted */
        } else {
            *why = rc == Z_OK || rc == Z_BUF_ERROR ? "the stream is cut off"
                   : z.msg != NULL                 ? z.msg
                                                   : "not a valid stream";
            st = VG_EFORMAT;
            break;
        }
    }
    *at = in;
    inflateEnd(&z);
    return st;
}

/* Decompresses the Zstandard frames in data[0..len) into out. */
static enum vg_status
unzstd(const char *data, size_t len, struct vg_buf *out, size_t *at, const char **why)
{
    ZSTD_DCtx *d = ZSTD_createDCtx();
    if (d == NULL) {
        return VG_ENOMEM;
    }
    ZSTD_inBuffer in = { data, len, 0 };
    enum vg_status st = VG_OK;
    for (;;) {
        size_t avail;
        if ((st = room(out, &avail)) != VG_OK) {
            break;
        }
        ZSTD_outBuffer o = { out->data + out->len, avail, 0 };
        size_t left = ZSTD_decompressStream(d, &o, &in);
        out->len += o.pos;
        if (ZSTD_isError(left)) {
            *why = ZSTD_getErrorName(left);
            st = VG_EFORMAT;
            break;
        }
        if (in.pos == len && left == 0 && o.pos < o.size) {
            break; /* every frame whole, all flushed */
        }
        if (in.pos == len && left != 0 && o.pos < o.size) {
            *why = "the stream is cut off";
            st = VG_EFORMAT;
            break;
        }
    }
    *at = in.pos;
    ZSTD_freeDCtx(d);
    return st;
}

enum vg_status vg__ing_decompress(enum ing_compression c,
                                  const char *path,
                                  const char *data,
                                  size_t len,
                                  struct vg_buf *out,
                                  struct vg_error *err)
{
    size_t at = 0;
    const char *why = NULL;
    enum vg_status st = c == ING_GZIP   ? gunzip(data, len, out, &at, &why)
                        : c == ING_ZSTD ? unzstd(data, len, out, &at, &why)
                                        : VG_EINVAL;
    if (st == VG_EFORMAT || st == VG_ELIMIT) {
        vg_error_at(err, path, 0, 0, at, 0);
        if (st == VG_ELIMIT) {
            return vg_error_set(err, st, "decompresses to more than %zu bytes", out->max);
        }
        return vg_error_set(err, st, "%s: %s", c == ING_GZIP ? "gzip" : "Zstandard", why);
    }
    if (st == VG_ENOMEM) {
        return vg_error_set(err, st, "out of memory decompressing %s", path);
    }
    return st;
}
