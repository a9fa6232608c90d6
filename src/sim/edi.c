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

#include <math.h>
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

/* Makes room for n more bytes (and the NUL the buffer keeps); false on failure. */
static inline bool room(struct sim_edi *e, size_t n)
{
    if (e->st != VG_OK) {
        return false;
    }
    if (e->buf.alloc - e->buf.len > n + 1 && e->buf.data != NULL) {
        return true;
    }
    e->st = vg_buf_reserve(&e->buf, n + 256);
    return e->st == VG_OK;
}

static inline void put(struct sim_edi *e, const char *s, size_t len)
{
    if (room(e, len)) {
        memcpy(e->buf.data + e->buf.len, s, len);
        e->buf.len += len;
        e->buf.data[e->buf.len] = '\0';
    }
}

static inline void putc1(struct sim_edi *e, char c)
{
    if (room(e, 1)) {
        e->buf.data[e->buf.len++] = c;
        e->buf.data[e->buf.len] = '\0';
    }
}

void vg__sim_edi_seg(struct sim_edi *e, const char *tag)
{
    put(e, tag, strlen(tag));
}

/* One Latin-1 character, released when it is a service character. */
static inline char *put_latin1(char *o, unsigned cp)
{
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
        cp = ' ';
    }
    if (cp == '\'' || cp == '+' || cp == ':' || cp == '?') {
        *o++ = '?';
    }
    *o++ = (char)(unsigned char)cp;
    return o;
}

void vg__sim_edi_text(struct sim_edi *e, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text);
    /* Each input byte gives at most two output bytes. */
    if (!room(e, 2 * len)) {
        return;
    }
    char *o = e->buf.data + e->buf.len;
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            o = put_latin1(o, s[i++]);
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {
            o = put_latin1(o, '?');
            i++;
            continue;
        }
        i += (size_t)n;
        if (cp <= 0xff) {
            o = put_latin1(o, (unsigned)cp);
            continue;
        }
        /* Outside Latin-1: the base letter when the decomposition has one. */
        utf8proc_int32_t dec[8];
        int last = 0;
        utf8proc_ssize_t k = utf8proc_decompose_char(cp, dec, 8,
                                                     UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, &last);
        o = put_latin1(o, (k > 0 && dec[0] <= 0xff) ? (unsigned)dec[0] : '?');
    }
    e->buf.len = (size_t)(o - e->buf.data);
    e->buf.data[e->buf.len] = '\0';
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

void vg__sim_edi_raw(struct sim_edi *e, char sep, const char *code)
{
    size_t len = strlen(code);
    if (room(e, len + 1)) {
        char *o = e->buf.data + e->buf.len;
        if (sep != '\0') {
            *o++ = sep;
        }
        memcpy(o, code, len);
        o += len;
        e->buf.len = (size_t)(o - e->buf.data);
        e->buf.data[e->buf.len] = '\0';
    }
}

void vg__sim_edi_num(struct sim_edi *e, char sep, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0 && n < 20);
    while (n < width && n < 20) {
        tmp[n++] = '0';
    }
    if (room(e, (size_t)n + 1)) {
        char *o = e->buf.data + e->buf.len;
        if (sep != '\0') {
            *o++ = sep;
        }
        for (int i = n - 1; i >= 0; i--) {
            *o++ = tmp[i];
        }
        e->buf.len = (size_t)(o - e->buf.data);
        e->buf.data[e->buf.len] = '\0';
    }
}

void vg__sim_edi_dec2(struct sim_edi *e, char sep, double v)
{
    uint64_t cents = v > 0 ? (uint64_t)llround(v * 100) : 0;
    vg__sim_edi_num(e, sep, cents / 100, 1);
    putc1(e, '.');
    vg__sim_edi_num(e, '\0', cents % 100, 2);
}

void vg__sim_edi_end(struct sim_edi *e)
{
    put(e, "'\n", 2);
    e->nseg++;
}

static void digits(char *o, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        o[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void vg__sim_edi_dtm203(int64_t t, const struct vg_zone *zone, char out[13])
{
    struct vg_civil c;
    vg_time_local(t, zone, &c);
    digits(out, c.year % 10000, 4);
    digits(out + 4, c.month, 2);
    digits(out + 6, c.day, 2);
    digits(out + 8, c.hour, 2);
    digits(out + 10, c.minute, 2);
    out[12] = '\0';
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
    /* UNH+n+TYPE' and UNT+count+n' around the body (written by hand: this is hot). */
    char head[64], tail[64];
    size_t tl = strlen(type_id);
    if (tl > 40) {
        tl = 40;
    }
    char *o = head;
    memcpy(o, "UNH+", 4);
    o = vg__sim_put_dec(o + 4, ix->nmsg);
    *o++ = '+';
    memcpy(o, type_id, tl);
    o += tl;
    *o++ = '\'';
    *o++ = '\n';
    size_t h = (size_t)(o - head);
    long count = (long)e->nseg + 2 + count_delta;
    o = tail;
    memcpy(o, "UNT+", 4);
    o = vg__sim_put_dec(o + 4, (unsigned long)(count < 0 ? 0 : count));
    *o++ = '+';
    o = vg__sim_put_dec(o, ix->nmsg);
    *o++ = '\'';
    *o++ = '\n';
    size_t t = (size_t)(o - tail);
    enum vg_status st = vg__sim_file_write(&ix->file, head, h, err);
    if (st == VG_OK) {
        st = vg__sim_file_write(&ix->file, e->buf.data, e->buf.len, err);
    }
    if (st == VG_OK) {
        st = vg__sim_file_write(&ix->file, tail, t, err);
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
