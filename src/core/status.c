/*
 * Status codes and error details (vigia/status.h). The strings come from the same
 * X-macro list as the enum, so names, numbers and messages cannot disagree.
 */
#include <vigia/status.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *vg_strerror(enum vg_status status)
{
    switch (status) {
#define VG_STATUS_MSG(name, num, msg)                                                      \
    case name:                                                                             \
        return msg;
        VG_STATUS_MAP(VG_STATUS_MSG)
#undef VG_STATUS_MSG
    }
    return "unknown status";
}

const char *vg_status_name(enum vg_status status)
{
    switch (status) {
#define VG_STATUS_NAME(name, num, msg)                                                     \
    case name:                                                                             \
        return #name;
        VG_STATUS_MAP(VG_STATUS_NAME)
#undef VG_STATUS_NAME
    }
    return "VG_UNKNOWN";
}

void vg_error_clear(struct vg_error *err)
{
    if (err == NULL) {
        return;
    }
    memset(err, 0, sizeof(*err));
}

enum vg_status vg_error_set(struct vg_error *err, enum vg_status code, const char *fmt, ...)
{
    if (err == NULL) {
        return code;
    }
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    return code;
}

void vg_error_at(struct vg_error *err,
                 const char *source,
                 uint32_t line,
                 uint32_t column,
                 uint64_t offset,
                 uint32_t item)
{
    if (err == NULL) {
        return;
    }
    if (source != NULL) {
        snprintf(err->source, sizeof(err->source), "%s", source);
    }
    err->line = line;
    err->column = column;
    err->offset = offset;
    err->item = item;
}

char *vg_error_format(const struct vg_error *err, char *buf, size_t size)
{
    if (size == 0) {
        return buf;
    }
    buf[0] = '\0';
    if (err == NULL) {
        return buf;
    }
    size_t n = 0;
#define APPEND(...)                                                                        \
    do {                                                                                   \
        if (n < size) {                                                                    \
            int w = snprintf(buf + n, size - n, __VA_ARGS__);                              \
            if (w > 0) {                                                                   \
                n += (size_t)w;                                                            \
            }                                                                              \
        }                                                                                  \
    } while (0)
    if (err->source[0] != '\0') {
        APPEND("%s:", err->source);
        if (err->line > 0) {
            APPEND("%u:", (unsigned)err->line);
            if (err->column > 0) {
                APPEND("%u:", (unsigned)err->column);
            }
        }
        APPEND(" ");
    }
    APPEND("%s", err->message[0] != '\0' ? err->message : vg_strerror(err->code));
    if (err->item > 0 || err->offset > 0) {
        APPEND(" (");
        if (err->item > 0) {
            APPEND("item %u%s", (unsigned)err->item, err->offset > 0 ? ", " : "");
        }
        if (err->offset > 0) {
            APPEND("byte %llu", (unsigned long long)err->offset);
        }
        APPEND(")");
    }
#undef APPEND
    return buf;
}
