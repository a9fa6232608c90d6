/*
 * UN/EDIFACT syntax as vigia sim writes it (ISO 9735, syntax level C, version 3):
 *
 *   UNA:+.? '                      service string advice: ':' component, '+' element,
 *                                  '.' decimal mark, '?' release character, ' ' reserved,
 *                                  "'" segment terminator
 *   UNB+UNOC:3+SENDER:ZZZ+RECIPIENT:ZZZ+YYMMDD:HHMM+REF'
 *   UNH+n+TYPE:D:95B:UN' ... UNT+segments+n'     (segments counted from UNH to UNT)
 *   UNZ+messages+REF'
 *
 * Character set UNOC is ISO 8859-1: the world's UTF-8 text is converted, and characters
 * outside Latin-1 are replaced by their base letter (NFKD) or by '?'. The four service
 * characters inside data are preceded by the release character. Each segment ends with
 * the terminator and a line break, as most senders write them (docs/edifact-messages.md).
 */
#include "sim/sim_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <utf8proc.h>

void vg__sim_edi_init(struct sim_edi *e)
{
    vg_buf_init(&e->buf, 0);
    e->nseg = 0;
    e->st = VG_OK;
}

void vg__sim_edi_release(struct sim_edi *e)
{
    vg_buf_release(&e->buf);
}

void vg__sim_edi_reset(struct sim_edi *e)
{
    vg_buf_reset(&e->buf);
    e->nseg = 0;
    e->st = VG_OK;
}

static void put(struct sim_edi *e, const char *s, size_t len)
{
    if (e->st == VG_OK) {
        e->st = vg_buf_append(&e->buf, s, len);
    }
}

static void putc1(struct sim_edi *e, char c)
{
    if (e->st == VG_OK) {
        e->st = vg_buf_append_char(&e->buf, c);
    }
}

void vg__sim_edi_seg(struct sim_edi *e, const char *tag)
{
    put(e, tag, strlen(tag));
}

/* One Latin-1 byte, escaped when it is a service character. */
static void put_latin1(struct sim_edi *e, unsigned cp)
{
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
        cp = ' ';
    }
    if (cp == '\'' || cp == '+' || cp == ':' || cp == '?') {
        putc1(e, '?');
    }
    putc1(e, (char)(unsigned char)cp);
}

void vg__sim_edi_text(struct sim_edi *e, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text);
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {
            put_latin1(e, '?');
            i++;
            continue;
        }
        i += (size_t)n;
        if (cp <= 0xff) {
            put_latin1(e, (unsigned)cp);
            continue;
        }
        /* Outside Latin-1: the base letter when the decomposition has one. */
        utf8proc_int32_t dec[8];
        int last = 0;
        utf8proc_ssize_t k = utf8proc_decompose_char(cp, dec, 8,
                                                     UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, &last);
        put_latin1(e, (k > 0 && dec[0] <= 0xff) ? (unsigned)dec[0] : '?');
    }
}

void vg__sim_edi_el(struct sim_edi *e, const char *text)
{
    putc1(e, '+');
    if (text != NULL) {
        vg__sim_edi_text(e, text);
    }
}

void vg__sim_edi_co(struct sim_edi *e, const char *text)
{
    putc1(e, ':');
    if (text != NULL) {
        vg__sim_edi_text(e, text);
    }
}

static void putfv(struct sim_edi *e, char sep, const char *fmt, va_list ap)
{
    char buf[256];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    if (n < 0) {
        return;
    }
    putc1(e, sep);
    put(e, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void vg__sim_edi_elf(struct sim_edi *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    putfv(e, '+', fmt, ap);
    va_end(ap);
}

void vg__sim_edi_cof(struct sim_edi *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    putfv(e, ':', fmt, ap);
    va_end(ap);
}

void vg__sim_edi_end(struct sim_edi *e)
{
    put(e, "'\n", 2);
    e->nseg++;
}

void vg__sim_edi_dtm203(int64_t t, const struct vg_zone *zone, char out[13])
{
    struct vg_civil c;
    vg_time_local(t, zone, &c);
    snprintf(out, 13, "%04d%02d%02d%02d%02d", c.year % 10000, c.month % 100, c.day % 100,
             c.hour % 100, c.minute % 100);
}

enum vg_status vg__sim_ix_open(struct sim_out *o, struct sim_interchange *ix, const char *rel,
                               const char *sender, const char *recipient, int64_t prepared,
                               const struct vg_zone *zone, uint64_t ref, struct vg_error *err)
{
    memset(ix, 0, sizeof(*ix));
    enum vg_status st = vg__sim_file_open(o, &ix->file, rel, err);
    if (st != VG_OK) {
        return st;
    }
    ix->open = true;
    snprintf(ix->sender, sizeof(ix->sender), "%s", sender);
    snprintf(ix->recipient, sizeof(ix->recipient), "%s", recipient);
    snprintf(ix->ref, sizeof(ix->ref), "%llu", (unsigned long long)ref);
    struct vg_civil c;
    vg_time_local(prepared, zone, &c);
    char head[256];
    int n = snprintf(head, sizeof(head),
                     "UNA:+.? '\nUNB+UNOC:3+%s:ZZZ+%s:ZZZ+%02d%02d%02d:%02d%02d+%s'\n", sender,
                     recipient, c.year % 100, c.month % 100, c.day % 100, c.hour % 100,
                     c.minute % 100, ix->ref);
    return vg__sim_file_write(&ix->file, head, (size_t)n, err);
}

enum vg_status vg__sim_ix_message(struct sim_interchange *ix, const char *type_id,
                                  struct sim_edi *e, int count_delta, struct vg_error *err)
{
    if (e->st != VG_OK) {
        return vg_error_set(err, e->st, "cannot build a %s message: %s", type_id,
                            vg_strerror(e->st));
    }
    ix->nmsg++;
    ix->last_msg_at = ix->file.bytes;
    ix->last_msg_ref = ix->nmsg;
    char head[64], tail[64];
    int h = snprintf(head, sizeof(head), "UNH+%u+%s'\n", ix->nmsg, type_id);
    int t = snprintf(tail, sizeof(tail), "UNT+%d+%u'\n", (int)e->nseg + 2 + count_delta,
                     ix->nmsg);
    enum vg_status st = vg__sim_file_write(&ix->file, head, (size_t)h, err);
    if (st == VG_OK) {
        st = vg__sim_file_write(&ix->file, e->buf.data, e->buf.len, err);
    }
    if (st == VG_OK) {
        st = vg__sim_file_write(&ix->file, tail, (size_t)t, err);
    }
    return st;
}

enum vg_status vg__sim_ix_close(struct sim_out *o, struct sim_interchange *ix,
                                struct vg_error *err)
{
    if (!ix->open) {
        return VG_OK;
    }
    ix->open = false;
    if (ix->truncate && ix->nmsg > 0) {
        /* The planted fault: the transfer broke off inside the last message. */
        uint64_t keep = ix->last_msg_at + (ix->file.bytes - ix->last_msg_at) / 2;
        return vg__sim_file_close_truncated(o, &ix->file, keep, err);
    }
    char tail[64];
    int n = snprintf(tail, sizeof(tail), "UNZ+%u+%s'\n", ix->nmsg, ix->ref);
    enum vg_status st = vg__sim_file_write(&ix->file, tail, (size_t)n, err);
    enum vg_status st2 = vg__sim_file_close(o, &ix->file, err);
    return st != VG_OK ? st : st2;
}
