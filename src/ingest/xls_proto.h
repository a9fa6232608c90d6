/*
 * The answer of vigia-xls (src/xlsread/main.c) to the ingest (src/ingest/xls.c), on its
 * standard output: struct xls_answer, then, when its status is VG_OK, nsheets struct
 * ing_sheet (names NUL-terminated, offsets into the text) and text_len bytes of CSV text.
 * Both ends are built from the same sources, so the layout is the machine's own.
 */
#ifndef VG_INGEST_XLS_PROTO_H
#define VG_INGEST_XLS_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vigia/status.h>

#define XLS_ANSWER_MAGIC "vgxls01"

struct xls_answer {
    char magic[8];  /* XLS_ANSWER_MAGIC with its NUL */
    int32_t status; /* an enum vg_status (those of vg__ing_xls_read) */
    char message[VG_ERROR_MESSAGE_MAX];
    uint64_t nsheets, text_len;
};

/* Writes len bytes of data to fd, through short writes and interruptions; false when a
 * write fails (errno says why). */
bool vg__ing_write_all(int fd, const void *data, size_t len);

#endif
