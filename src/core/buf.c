/*
 * Bounded growable buffers (vigia/slice.h). The maximum is set at init, so input cannot
 * grow a buffer without bound; a failed append leaves the buffer as it was.
 */
#include <vigia/alloc.h>
#include <vigia/slice.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define BUF_DEFAULT_MAX ((size_t)1 << 30)

void vg_buf_init(struct vg_buf *buf, size_t max)
{
    buf->data = NULL;
    buf->len = 0;
    buf->alloc = 0;
    buf->max = max == 0 ? BUF_DEFAULT_MAX : max;
}

enum vg_status vg_buf_reserve(struct vg_buf *buf, size_t extra)
{
    if (extra > buf->max || buf->len > buf->max - extra) {
        return VG_ELIMIT;
    }
    size_t need = buf->len + extra + 1;
    if (need <= buf->alloc) {
        return VG_OK;
    }
    size_t n = buf->alloc < 64 ? 64 : buf->alloc;
    while (n < need) {
        n = n > SIZE_MAX / 2 ? need : n * 2;
    }
    if (n > buf->max + 1) {
        n = buf->max + 1;
    }
    char *p = vg_realloc(buf->data, n);
    if (p == NULL) {
        return VG_ENOMEM;
    }
    buf->data = p;
    buf->alloc = n;
    return VG_OK;
}

enum vg_status vg_buf_append(struct vg_buf *buf, const void *data, size_t len)
{
    enum vg_status st = vg_buf_reserve(buf, len);
    if (st != VG_OK) {
        return st;
    }
    if (len > 0) {
        memcpy(buf->data + buf->len, data, len);
    }
    buf->len += len;
    buf->data[buf->len] = '\0';
    return VG_OK;
}

enum vg_status vg_buf_append_cstr(struct vg_buf *buf, const char *s)
{
    return vg_buf_append(buf, s, strlen(s));
}

enum vg_status vg_buf_append_char(struct vg_buf *buf, char c)
{
    return vg_buf_append(buf, &c, 1);
}

enum vg_status vg_buf_append_json(struct vg_buf *buf, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    enum vg_status st = vg_buf_append_char(buf, '"');
    for (const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
         st == VG_OK && *p != '\0'; p++) {
        if (*p == '"' || *p == '\\') {
            const char esc[2] = { '\\', (char)*p };
            st = vg_buf_append(buf, esc, 2);
        } else if (*p < 0x20) {
            const char esc[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };
            st = vg_buf_append(buf, esc, 6);
        } else {
            st = vg_buf_append_char(buf, (char)*p);
        }
    }
    return st == VG_OK ? vg_buf_append_char(buf, '"') : st;
}

enum vg_status vg_buf_printf(struct vg_buf *buf, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        return VG_EINVAL;
    }
    if ((size_t)n < sizeof(small)) {
        return vg_buf_append(buf, small, (size_t)n);
    }
    enum vg_status st = vg_buf_reserve(buf, (size_t)n);
    if (st != VG_OK) {
        return st;
    }
    va_start(ap, fmt);
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
    return VG_OK;
}

void vg_buf_reset(struct vg_buf *buf)
{
    buf->len = 0;
    if (buf->data != NULL) {
        buf->data[0] = '\0';
    }
}

void vg_buf_release(struct vg_buf *buf)
{
    if (buf == NULL) {
        return;
    }
    vg_free(buf->data);
    buf->data = NULL;
    buf->len = 0;
    buf->alloc = 0;
}

char *vg_buf_detach(struct vg_buf *buf, size_t *len)
{
    char *p = buf->data;
    size_t n = buf->len;
    if (p == NULL) {
        p = vg_strndup("", 0);
        if (p == NULL) {
            return NULL;
        }
    }
    buf->data = NULL;
    buf->len = 0;
    buf->alloc = 0;
    if (len != NULL) {
        *len = n;
    }
    return p;
}

struct vg_slice vg_buf_slice(const struct vg_buf *buf)
{
    if (buf->data == NULL) {
        return VG_SLICE_EMPTY;
    }
    return (struct vg_slice){ buf->data, buf->len };
}
