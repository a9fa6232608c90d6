/*
 * Fuzz target: the EDIFACT syntax layer (vigia/edifact.h).
 *
 * Reads the input three ways: as an interchange set (vg_edifact_parse, every message's
 * every element, repetition and component read as raw, unescaped, decoded, trimmed text,
 * integer and decimal; every reject's and note's excerpt), once more behind a UNA built
 * from its first six bytes (so that any service characters get tried), and with the lexer
 * alone. Checks that every slice stays inside the input, that segments are in order and
 * that reading always ends.
 */
#include <stdint.h>
#include <string.h>

#include <vigia/edifact.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
    const char *base;
    size_t len;
    volatile size_t sum;
};

static void inside(const struct ctx *c, struct vg_slice s)
{
    if (s.len == 0) {
        return;
    }
    if (s.ptr < c->base || s.ptr + s.len > c->base + c->len) {
        __builtin_trap();
    }
}

static void touch(struct ctx *c, struct vg_slice s)
{
    for (size_t i = 0; i < s.len; i++) {
        c->sum += (unsigned char)s.ptr[i];
    }
}

static void read_segment(struct ctx *c, const struct vg_edifact_segment *s)
{
    inside(c, s->text);
    if (s->offset + s->text.len > c->len) {
        __builtin_trap();
    }
    struct vg_buf b;
    vg_buf_init(&b, 1 << 20);
    char small[8], scratch[64];
    size_t elements = s->elements < 12 ? s->elements : 12;
    for (size_t e = 0; e <= elements + 1; e++) {
        struct vg_slice whole = vg_edifact_element_raw(s, e);
        inside(c, whole);
        size_t reps = vg_edifact_repetitions(s, e);
        size_t comps = vg_edifact_components(s, e);
        if (e > s->elements && (reps != 0 || comps != 0 || whole.len != 0)) {
            __builtin_trap();
        }
        for (size_t r = 0; r <= (reps < 3 ? reps : 3); r++) {
            for (size_t k = 0; k <= (comps < 8 ? comps : 8); k++) {
                struct vg_slice raw = vg_edifact_raw_rep(s, e, r, k);
                inside(c, raw);
                if (raw.len > whole.len) {
                    __builtin_trap();
                }
                struct vg_slice u = vg_edifact_unescaped(s, raw, scratch, sizeof(scratch));
                touch(c, u);
                if (vg_edifact_decode(s, raw, &b) == VG_OK) {
                    c->sum += b.len;
                }
                vg_buf_reset(&b);
            }
        }
        for (size_t k = 0; k <= (comps < 8 ? comps : 8); k++) {
            int64_t i;
            double d;
            if (vg_edifact_str(s, e, k, small, sizeof(small)) == VG_OK) {
                c->sum += strlen(small);
            }
            if (vg_edifact_int(s, e, k, &i) == VG_OK) {
                c->sum += (size_t)i;
            }
            if (vg_edifact_decimal(s, e, k, &d) == VG_OK && d > 0) {
                c->sum++;
            }
            if (vg_edifact_text(s, e, k, &b) == VG_OK) {
                c->sum += b.len;
            }
            vg_buf_reset(&b);
        }
    }
    vg_buf_release(&b);
}

static enum vg_status on_message(void *user, const struct vg_edifact_message *m)
{
    struct ctx *c = user;
    inside(c, m->raw);
    if (m->nsegments < 2 || !vg_edifact_is(&m->segments[0], "UNH") ||
        !vg_edifact_is(&m->segments[m->nsegments - 1], "UNT")) {
        __builtin_trap();
    }
    uint64_t last = 0;
    for (size_t i = 0; i < m->nsegments; i++) {
        const struct vg_edifact_segment *s = &m->segments[i];
        if (s->number != i + 1 || (i > 0 && s->offset <= last)) {
            __builtin_trap();
        }
        last = s->offset;
        read_segment(c, s);
    }
    uint8_t digest[VG_DIGEST_SIZE];
    vg_edifact_message_digest(m, digest);
    c->sum += digest[0];
    c->sum += strlen(m->ref) + strlen(m->interchange->sender);
    return VG_OK;
}

static enum vg_status on_issue(void *user, const struct vg_edifact_issue *i)
{
    struct ctx *c = user;
    inside(c, i->excerpt);
    touch(c, i->excerpt);
    c->sum += strlen(i->kind) + strlen(i->error->message);
    if (i->message != NULL) {
        inside(c, i->message->raw);
    }
    return VG_OK;
}

static void parse(const char *buf, size_t len, unsigned flags)
{
    struct ctx c = { .base = buf, .len = len };
    struct vg_edifact_handler h = { on_message, on_issue, on_issue, &c };
    struct vg_edifact_options o = { .flags = flags, .max_message = 1 << 16, .max_segment = 512 };
    struct vg_edifact_stats st;
    struct vg_error err;
    enum vg_status s = vg_edifact_parse(buf, len, "fuzz", &o, &h, &st, &err);
    if (s != VG_OK && s != VG_ENOMEM) {
        __builtin_trap();
    }
    if (st.accepted + st.rejected != st.messages) {
        __builtin_trap();
    }
}

static void lex(const char *buf, size_t len)
{
    struct ctx c = { .base = buf, .len = len };
    struct vg_edifact_lexer *lx;
    if (vg_edifact_lexer_new(buf, len, "fuzz", 256, &lx) != VG_OK) {
        return;
    }
    size_t n = 0;
    for (;;) {
        const struct vg_edifact_segment *s;
        struct vg_error err;
        enum vg_status st = vg_edifact_lexer_next(lx, &s, &err);
        if (st == VG_ENOTFOUND || st == VG_ENOMEM) {
            break;
        }
        if (++n > len + 1) {
            __builtin_trap(); /* every call consumes input */
        }
        if (s != NULL) {
            read_segment(&c, s);
        }
    }
    vg_edifact_lexer_free(lx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    (void)vg_edifact_sniff(buf, size);
    parse(buf, size, size > 0 && (data[0] & 1) ? VG_EDIFACT_TOLERATE_COUNTS : 0);
    lex(buf, size);
    if (size >= 6 && size < 65536) {
        /* The same bytes after a UNA made of the first six. */
        char copy[65536 + 3];
        memcpy(copy, "UNA", 3);
        memcpy(copy + 3, buf, size);
        parse(copy, size + 3, 0);
    }
    return 0;
}
