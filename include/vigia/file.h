/*
 * vigia/file.h - read-only file mapping.
 *
 * Parsers work on memory buffers; files are mapped (mmap) so that a gigabyte of EDIFACT
 * costs no copy. Empty files map to an empty buffer; standard input ("-") is read into
 * memory.
 */
#ifndef VIGIA_FILE_H
#define VIGIA_FILE_H

#include <stddef.h>
#include <stdint.h>

#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { VG_FILE_STATIC = 0, VG_FILE_MMAP = 1, VG_FILE_HEAP = 2 };

struct vg_file {
    const char *data; /* the contents (not NUL-terminated) */
    size_t len;
    int mapped;       /* how data is held: VG_FILE_STATIC, VG_FILE_MMAP or VG_FILE_HEAP */
};

/* Maps path ("-" reads standard input). VG_EIO / VG_ENOTFOUND / VG_ENOMEM with err set. */
VG_NODISCARD enum vg_status vg_file_open(const char *path, struct vg_file *out,
                                         struct vg_error *err);

/* Releases the mapping. NULL-safe; the struct is zeroed. */
void vg_file_close(struct vg_file *file);

#ifdef __cplusplus
}
#endif
#endif
