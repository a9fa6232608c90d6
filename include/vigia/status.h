/*
 * vigia/status.h - status codes and error details.
 *
 * Every fallible function of libvigia returns an enum vg_status: VG_OK (0) on success, a
 * positive code otherwise. Counts and sizes never travel in the return value; they use
 * out-parameters. Parsers and importers also fill a caller-provided struct vg_error that
 * says where (file, line, column, byte offset, item number) and why input was refused.
 *
 * Codes are append-only: a code is never renumbered or reused.
 */
#ifndef VIGIA_STATUS_H
#define VIGIA_STATUS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
# define VG_NODISCARD  __attribute__((warn_unused_result))
# define VG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
# define VG_NODISCARD
# define VG_PRINTF(f, a)
#endif

/* X-macro list: name, number, message. The enum and vg_strerror come from it. */
#define VG_STATUS_MAP(X)                                                                   \
    X(VG_OK, 0, "success")                                                                 \
    X(VG_ENOMEM, 1, "out of memory")                                                       \
    X(VG_EINVAL, 2, "invalid argument")                                                    \
    X(VG_EPARSE, 3, "malformed input")                                                     \
    X(VG_ECHECK, 4, "check digit mismatch")                                                \
    X(VG_ETRUNC, 5, "input cut off")                                                       \
    X(VG_ELIMIT, 6, "limit exceeded")                                                      \
    X(VG_EIO, 7, "input/output error")                                                     \
    X(VG_EDB, 8, "store error")                                                            \
    X(VG_ENOTFOUND, 9, "not found")                                                        \
    X(VG_ECONFLICT, 10, "conflicting record")                                              \
    X(VG_EINTEGRITY, 11, "integrity check failed")                                         \
    X(VG_EUNSUPPORTED, 12, "unsupported")                                                  \
    X(VG_ECRYPTO, 13, "cryptographic failure")                                             \
    X(VG_EBUSY, 14, "resource busy")                                                       \
    X(VG_EFORMAT, 15, "unknown format")                                                    \
    X(VG_EPARTIAL, 16, "partly done: some input rejected")                                 \
    X(VG_EDENIED, 17, "not permitted")

enum vg_status {
#define VG_STATUS_ENUM(name, num, msg) name = num,
    VG_STATUS_MAP(VG_STATUS_ENUM)
#undef VG_STATUS_ENUM
};

/* Returns a static, lowercase description of status (never NULL, "unknown status" for
 * codes outside the list). */
const char *vg_strerror(enum vg_status status);

/* Returns the symbolic name of status ("VG_EPARSE"), static, never NULL. */
const char *vg_status_name(enum vg_status status);

#define VG_ERROR_SOURCE_MAX  256
#define VG_ERROR_MESSAGE_MAX 256

/*
 * Where and why an input was refused. Fields that do not apply are 0 / empty:
 *   source   file name or stream label as the caller gave it ("-" for stdin)
 *   line     1-based line, 0 when unknown
 *   column   1-based column (bytes), 0 when unknown
 *   offset   0-based byte offset from the start of the source
 *   item     1-based number of the segment, sentence or record within its message or file
 *   message  what was wrong and what was expected, lowercase, no trailing period
 * The struct owns its strings (fixed buffers); it is plain data and may be copied.
 */
struct vg_error {
    enum vg_status code;
    char source[VG_ERROR_SOURCE_MAX];
    uint32_t line;
    uint32_t column;
    uint64_t offset;
    uint32_t item;
    char message[VG_ERROR_MESSAGE_MAX];
};

/* Resets err to "no error". err may be NULL (no-op). */
void vg_error_clear(struct vg_error *err);

/* Sets err->code and err->message from a printf format and returns code, so that callers
 * can write `return vg_error_set(err, VG_EPARSE, "...")`. Position fields are left as they
 * are. err may be NULL: the code is still returned. Messages longer than the buffer are
 * truncated. */
enum vg_status vg_error_set(struct vg_error *err, enum vg_status code, const char *fmt, ...)
    VG_PRINTF(3, 4);

/* Sets the position fields of err (source is copied, may be NULL to keep the current one).
 * err may be NULL. */
void vg_error_at(struct vg_error *err,
                 const char *source,
                 uint32_t line,
                 uint32_t column,
                 uint64_t offset,
                 uint32_t item);

/* Formats err as "source:line:column: message (byte N)" into buf (always NUL-terminated
 * when size > 0). Parts that are unknown are left out. Returns buf. */
char *vg_error_format(const struct vg_error *err, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
