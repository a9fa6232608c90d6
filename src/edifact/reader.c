/*
 * The interchange reader (ISO 9735-2 batch EDI: UNB/UNZ interchange header and trailer,
 * UNG/UNE functional group header and trailer, UNH/UNT message header and trailer).
 *
 * A state machine over the tokenizer's segments: outside any interchange, in an
 * interchange (UNB read), in a group (UNG read), in a message (UNH read). The lexer keeps
 * a message's segments in its index from UNH to UNT; at UNT the counts and references
 * are checked and the message is delivered or rejected whole. Anything that interrupts a
 * message (the next UNH, a UNE, UNZ or UNB, the end of the input) rejects it as cut off.
 * A message that went wrong part-way is not kept in memory: the reader remembers the
 * first reason, skips to the message's end and then rejects it with the whole span as
 * the excerpt.
 *
 * Only syntax and envelope errors reject a message. Envelope trailers are checked too
 * (UNE and UNZ counts and references, a missing trailer), but as the messages are handed
 * over as soon as they are complete, a trailer problem is reported as an envelope reject
 * and does not withdraw them. Character-set doubts are notes, never rejects.
 */
#include "edifact/edifact_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <vigia/alloc.h>
#include <vigia/charset.h>
#include <vigia/time.h>

struct reader {
    struct vg_edifact_lexer *lx;
    const char *source;
    unsigned flags;
    size_t max_message;
    size_t max_segments;
    const struct vg_edifact_handler *h;
    struct vg_edifact_stats *stats;

    struct vg_edifact_interchange ic;
    char ic_bad[VG_ERROR_MESSAGE_MAX]; /* why the interchange header is unusable, or "" */
    bool in_group;
    struct vg_edifact_group grp;
    uint32_t bare_messages;

    bool in_msg;
    bool failed;              /* the current message is already rejected */
    const char *fail_kind;
    struct vg_error fail;
    struct vg_edifact_message msg;
    uint32_t msg_segments;    /* segments read in the current message */
    uint64_t msg_end;         /* end of the last segment read in it (after terminator) */
    bool msg_high;

    struct vg_error scratch;  /* issue positions and messages */
};

/* ---- issues ---------------------------------------------------------------------------- */

static enum vg_status emit(struct reader *r, bool is_reject, enum vg_edifact_scope scope,
                           const char *kind, const struct vg_error *e,
                           const struct vg_edifact_message *msg, struct vg_slice excerpt,
                           const char *field, const char *value, const char *expected)
{
    struct vg_edifact_issue issue = {
        .scope = scope,
        .kind = kind,
        .error = e,
        .interchange = &r->ic,
        .group = r->in_group ? &r->grp : NULL,
        .message = msg,
        .excerpt = excerpt,
        .field = field,
        .value = value,
        .expected = expected,
    };
    if (is_reject) {
        if (scope == VG_EDIFACT_SCOPE_MESSAGE) {
            r->stats->rejected++;
        } else {
            r->stats->envelope_errors++;
        }
        return r->h->reject != NULL ? r->h->reject(r->h->user, &issue) : VG_OK;
    }
    r->stats->notes++;
    return r->h->note != NULL ? r->h->note(r->h->user, &issue) : VG_OK;
}

static void position(struct reader *r, struct vg_error *e, uint64_t offset, uint32_t line,
                     uint32_t column, uint32_t item)
{
    vg_error_at(e, r->source, line, column, offset, item);
}

static void position_seg(struct reader *r, struct vg_error *e,
                         const struct vg_edifact_segment *seg, uint32_t item)
{
    position(r, e, seg->offset, seg->line, seg->column, item);
}

static struct vg_slice seg_excerpt(const struct vg_edifact_segment *seg)
{
    /* The segment and its terminator when there is one. */
    const struct vg_edifact_lexer *lx = seg->lexer_;
    size_t end = (size_t)seg->offset + seg->text.len;
    if (end < lx->len) {
        end++;
    }
    return vg_slice_make(lx->data + seg->offset, end - (size_t)seg->offset);
}

/* Rejects a segment that stands where it may not (outside a message) or is malformed
 * there. */
static enum vg_status reject_segment(struct reader *r, const struct vg_edifact_segment *seg,
                                     const char *kind, enum vg_status code, const char *fmt, ...)
    VG_PRINTF(5, 6);

static enum vg_status reject_segment(struct reader *r, const struct vg_edifact_segment *seg,
                                     const char *kind, enum vg_status code, const char *fmt, ...)
{
    struct vg_error *e = &r->scratch;
    vg_error_clear(e);
    position_seg(r, e, seg, seg->number);
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
    return emit(r, true, VG_EDIFACT_SCOPE_SEGMENT, kind, e, NULL, seg_excerpt(seg), NULL, NULL,
                NULL);
}

/* ---- messages -------------------------------------------------------------------------- */

static struct vg_slice msg_span(const struct reader *r)
{
    const struct vg_edifact_lexer *lx = r->lx;
    return vg_slice_make(lx->data + r->msg.offset, (size_t)(r->msg_end - r->msg.offset));
}

/* Marks the open message as rejected with the first reason found; it is reported when the
 * message ends. */
static void fail_message(struct reader *r, const char *kind, const struct vg_error *why)
{
    if (r->failed) {
        return;
    }
    r->failed = true;
    r->fail_kind = kind;
    r->fail = *why;
    r->lx->keep = false; /* stop collecting its segments */
}

static enum vg_status report_failed(struct reader *r)
{
    r->msg.raw = msg_span(r);
    r->msg.segments = NULL;
    r->msg.nsegments = 0;
    enum vg_status st = emit(r, true, VG_EDIFACT_SCOPE_MESSAGE, r->fail_kind, &r->fail, &r->msg,
                             r->msg.raw, NULL, NULL, NULL);
    r->in_msg = false;
    r->failed = false;
    r->lx->keep = false;
    return st;
}

/* Where an open message, group or interchange is interrupted: at a segment, at a UNA
 * (a new interchange), or at the end of the input. */
struct stop {
    uint64_t offset;
    uint32_t line, column;
    uint32_t item;      /* the interrupting segment's number, 0 when not a segment */
    const char *by;     /* "UNH", "a UNA", "the end of the input" */
    const char *event;  /* for a cut-off message that is not interrupted by a segment */
    bool segment;
};

static struct stop stop_at_segment(const struct vg_edifact_segment *seg)
{
    return (struct stop){ .offset = seg->offset, .line = seg->line, .column = seg->column,
                          .item = seg->number, .by = seg->tag, .segment = true };
}

static struct stop stop_at_end(const struct reader *r)
{
    const struct vg_edifact_lexer *lx = r->lx;
    return (struct stop){ .offset = lx->len, .line = lx->line,
                          .column = (uint32_t)(lx->len - lx->line_start + 1),
                          .by = "the end of the input", .event = "the input ends" };
}

/* The open message ends without its UNT, at `at`. */
static enum vg_status cut_off(struct reader *r, const struct stop *at)
{
    if (!r->in_msg) {
        return VG_OK;
    }
    if (!r->failed) {
        struct vg_error e;
        vg_error_clear(&e);
        e.code = VG_ETRUNC;
        position(r, &e, at->offset, at->line, at->column, r->msg_segments + 1);
        if (at->segment) {
            snprintf(e.message, sizeof(e.message),
                     "message '%s' (UNH at line %u) cut off: %s found where its UNT was "
                     "expected",
                     r->msg.ref, (unsigned)r->msg.line, at->by);
        } else {
            snprintf(e.message, sizeof(e.message),
                     "message '%s' (UNH at line %u) cut off: %s before its UNT", r->msg.ref,
                     (unsigned)r->msg.line, at->event);
        }
        fail_message(r, "message-cut-off", &e);
    }
    return report_failed(r);
}

static enum vg_status field(const struct vg_edifact_segment *seg, size_t e, size_t c, char *buf,
                            size_t size)
{
    return vg__edifact_field(seg, e, c, buf, size);
}

static enum vg_status start_message(struct reader *r, const struct vg_edifact_segment *unh)
{
    struct vg_edifact_message *m = &r->msg;
    memset(m, 0, sizeof(*m));
    m->interchange = &r->ic;
    m->group = r->in_group ? &r->grp : NULL;
    m->offset = unh->offset;
    m->line = unh->line;
    m->column = unh->column;
    enum vg_status st;
    if ((st = field(unh, 1, 0, m->ref, sizeof(m->ref))) != VG_OK ||
        (st = field(unh, 2, 0, m->type, sizeof(m->type))) != VG_OK ||
        (st = field(unh, 2, 1, m->version, sizeof(m->version))) != VG_OK ||
        (st = field(unh, 2, 2, m->release, sizeof(m->release))) != VG_OK ||
        (st = field(unh, 2, 3, m->agency, sizeof(m->agency))) != VG_OK ||
        (st = field(unh, 2, 4, m->association, sizeof(m->association))) != VG_OK) {
        return st;
    }
    if (r->ic.present) {
        m->number = ++r->ic.messages;
        if (r->in_group) {
            r->grp.messages++;
        }
    } else {
        m->number = ++r->bare_messages;
    }
    r->stats->messages++;
    r->in_msg = true;
    r->failed = false;
    r->msg_segments = 1;
    r->lx->segs[0].number = 1;
    r->msg_end = unh->offset + unh->text.len + 1;
    r->msg_high = (unh->flags_ & EDI_SEG_HIGH) != 0;
    r->lx->keep = true;

    struct vg_error e;
    vg_error_clear(&e);
    if (m->ref[0] == '\0' || m->type[0] == '\0') {
        position_seg(r, &e, unh, 1);
        vg_error_set(&e, VG_EPARSE, "UNH has no %s: expected UNH+reference+type:version:...",
                     m->ref[0] == '\0' ? "message reference (0062)"
                                       : "message type (S009 0065)");
        fail_message(r, "segment-syntax", &e);
    } else if (r->ic_bad[0] != '\0') {
        position_seg(r, &e, unh, 1);
        vg_error_set(&e, VG_EPARSE, "message '%s' is in an interchange whose header is "
                     "unusable: %s", m->ref, r->ic_bad);
        fail_message(r, "interchange-rejected", &e);
    }
    return VG_OK;
}

/* Offset of the first byte >= 0x80 in the message and the segment holding it. */
static const struct vg_edifact_segment *first_high(const struct vg_edifact_message *m,
                                                   uint64_t *offset)
{
    for (size_t i = 0; i < m->nsegments; i++) {
        const struct vg_edifact_segment *s = &m->segments[i];
        if ((s->flags_ & EDI_SEG_HIGH) != 0) {
            for (size_t k = 0; k < s->text.len; k++) {
                if ((unsigned char)s->text.ptr[k] >= 0x80) {
                    *offset = s->offset + k;
                    return s;
                }
            }
        }
    }
    return NULL;
}

/* Settles how the text of a message with bytes >= 0x80 is read, noting any doubt. */
static enum vg_status settle_charset(struct reader *r)
{
    struct vg_edifact_lexer *lx = r->lx;
    struct vg_edifact_message *m = &r->msg;
    m->charset = lx->declared;
    lx->charset = lx->seven_bit ? NULL : lx->declared;
    if (!r->msg_high) {
        return VG_OK;
    }
    bool utf8 = vg_utf8_valid(m->raw.ptr, m->raw.len);
    const char *declared = lx->declared;
    const char *kind = NULL;
    const char *reading;
    char what[160];
    if (declared != NULL && strcmp(declared, "UTF-8") == 0) {
        if (utf8) {
            lx->charset = "UTF-8";
            m->charset = "UTF-8";
            return VG_OK;
        }
        kind = "charset-not-utf8";
        reading = "ISO-8859-1";
        snprintf(what, sizeof(what), "the message is not valid UTF-8 although %s declares it",
                 r->ic.syntax_id);
    } else if (declared != NULL && !lx->seven_bit) {
        if (!utf8) {
            return VG_OK; /* bytes of the declared set */
        }
        kind = "charset-utf8";
        reading = "UTF-8";
        snprintf(what, sizeof(what), "the text is UTF-8 although the interchange declares %s "
                 "(%s)", r->ic.syntax_id, declared);
    } else {
        kind = declared != NULL ? "charset-repertoire" : "charset-unknown";
        reading = utf8 ? "UTF-8" : "ISO-8859-1";
        if (declared != NULL) {
            snprintf(what, sizeof(what), "bytes above 0x7F although %s is a 7-bit repertoire",
                     r->ic.syntax_id);
        } else if (r->ic.present) {
            snprintf(what, sizeof(what), "bytes above 0x7F under syntax identifier '%s', "
                     "which names no known character set", r->ic.syntax_id);
        } else {
            snprintf(what, sizeof(what), "bytes above 0x7F in a message without an "
                     "interchange header to declare a character set");
        }
    }
    lx->charset = reading;
    m->charset = reading;
    uint64_t at = m->offset;
    const struct vg_edifact_segment *s = first_high(m, &at);
    struct vg_error e;
    vg_error_clear(&e);
    if (s != NULL) {
        position(r, &e, at, s->line, (uint32_t)(at - s->offset) + s->column, s->number);
    }
    vg_error_set(&e, VG_OK, "%s; read as %s", what, reading);
    return emit(r, false, VG_EDIFACT_SCOPE_MESSAGE, kind, &e, m, m->raw, "UNB S001 0001",
                r->ic.present ? r->ic.syntax_id : NULL, reading);
}

static enum vg_status end_message(struct reader *r, const struct vg_edifact_segment *unt)
{
    struct vg_edifact_message *m = &r->msg;
    r->msg_end = unt->offset + unt->text.len + (unt->offset + unt->text.len < r->lx->len);
    if (r->failed) {
        return report_failed(r);
    }
    char ref[VG_EDIFACT_REF_SIZE];
    int64_t count = 0;
    enum vg_status st = field(unt, 2, 0, ref, sizeof(ref));
    if (st != VG_OK) {
        return st;
    }
    enum vg_status cst = vg_edifact_int(unt, 1, 0, &count);
    char count_text[VG_EDIFACT_REF_SIZE];
    if ((st = field(unt, 1, 0, count_text, sizeof(count_text))) != VG_OK) {
        return st;
    }
    uint32_t actual = r->msg_segments;
    r->lx->segs[r->lx->nsegs - 1].number = actual;
    bool count_bad = cst != VG_OK || count != (int64_t)actual;
    bool ref_bad = strcmp(ref, m->ref) != 0;
    struct vg_error e;
    vg_error_clear(&e);
    position_seg(r, &e, unt, actual);
    char expected[24];
    snprintf(expected, sizeof(expected), "%u", (unsigned)actual);

    m->raw = msg_span(r);
    m->segments = r->lx->segs;
    m->nsegments = r->lx->nsegs;

    if (count_bad && (ref_bad || !(r->flags & VG_EDIFACT_TOLERATE_COUNTS))) {
        char count_part[128] = "", ref_part[128] = "";
        if (cst != VG_OK) {
            snprintf(count_part, sizeof(count_part), "UNT segment count '%s' is not a number "
                     "(the message has %u segments)", count_text, (unsigned)actual);
        } else {
            snprintf(count_part, sizeof(count_part), "UNT segment count %s does not match "
                     "the %u segments of the message", count_text, (unsigned)actual);
        }
        if (ref_bad) {
            snprintf(ref_part, sizeof(ref_part), "; UNT reference '%s' does not match UNH "
                     "reference '%s'", ref, m->ref);
        }
        vg_error_set(&e, VG_ECONFLICT, "%s%s", count_part, ref_part);
        fail_message(r, "unt-mismatch", &e);
        return report_failed(r);
    }
    if (ref_bad) {
        vg_error_set(&e, VG_ECONFLICT, "UNT reference '%s' does not match UNH reference '%s'",
                     ref, m->ref);
        fail_message(r, "unt-mismatch", &e);
        return report_failed(r);
    }
    if (count_bad) {
        vg_error_set(&e, VG_OK, "UNT segment count %s does not match the %u segments of the "
                     "message; taken as read", count_text, (unsigned)actual);
        st = emit(r, false, VG_EDIFACT_SCOPE_MESSAGE, "unt-count", &e, m, m->raw, "UNT 0074",
                  count_text, expected);
        if (st != VG_OK) {
            return st;
        }
    }
    if ((st = settle_charset(r)) == VG_OK) {
        r->stats->accepted++;
        if (r->h->message != NULL) {
            st = r->h->message(r->h->user, m);
        }
    }
    r->lx->charset = r->lx->seven_bit ? NULL : r->lx->declared;
    r->in_msg = false;
    r->lx->keep = false;
    return st;
}

/* ---- groups and interchanges ----------------------------------------------------------- */

/* Checks a trailer's count and reference (UNE or UNZ). */
static enum vg_status check_trailer(struct reader *r, const struct vg_edifact_segment *seg,
                                    enum vg_edifact_scope scope, const char *kind,
                                    uint32_t actual, const char *what_counted,
                                    const char *want_ref, const char *header)
{
    char count_text[VG_EDIFACT_REF_SIZE], ref[VG_EDIFACT_REF_SIZE];
    int64_t count = 0;
    enum vg_status st;
    if ((st = field(seg, 1, 0, count_text, sizeof(count_text))) != VG_OK ||
        (st = field(seg, 2, 0, ref, sizeof(ref))) != VG_OK) {
        return st;
    }
    bool count_ok = vg_edifact_int(seg, 1, 0, &count) == VG_OK && count == (int64_t)actual;
    bool ref_ok = strcmp(ref, want_ref) == 0;
    if (count_ok && ref_ok) {
        return VG_OK;
    }
    struct vg_error *e = &r->scratch;
    vg_error_clear(e);
    position_seg(r, e, seg, seg->number);
    char count_part[128] = "", ref_part[128] = "";
    if (!count_ok) {
        snprintf(count_part, sizeof(count_part), "%s control count '%s' does not match the %u "
                 "%s in it", seg->tag, count_text, (unsigned)actual, what_counted);
    }
    if (!ref_ok) {
        snprintf(ref_part, sizeof(ref_part), "%s%s reference '%s' does not match %s reference "
                 "'%s'", count_ok ? "" : "; ", seg->tag, ref, header, want_ref);
    }
    vg_error_set(e, VG_ECONFLICT, "%s%s", count_part, ref_part);
    char expected[24];
    snprintf(expected, sizeof(expected), "%u", (unsigned)actual);
    return emit(r, true, scope, kind, e, NULL, seg_excerpt(seg),
                strcmp(seg->tag, "UNZ") == 0 ? "UNZ 0036" : "UNE 0060",
                count_ok ? ref : count_text, count_ok ? want_ref : expected);
}

/* A group or interchange that ends without its trailer, at `at`. */
static enum vg_status missing_trailer(struct reader *r, enum vg_edifact_scope scope,
                                      const struct stop *at)
{
    bool group = scope == VG_EDIFACT_SCOPE_GROUP;
    struct vg_error *e = &r->scratch;
    vg_error_clear(e);
    position(r, e, at->offset, at->line, at->column, at->item);
    if (group) {
        vg_error_set(e, VG_ETRUNC, "group '%s' (UNG at line %u) is not closed by a UNE before "
                     "%s", r->grp.ref, (unsigned)r->grp.line, at->by);
    } else {
        vg_error_set(e, VG_ETRUNC, "interchange '%s' (line %u) is not closed by a UNZ before "
                     "%s", r->ic.control_ref, (unsigned)r->ic.line, at->by);
    }
    uint64_t from = group ? r->grp.offset : r->ic.offset;
    struct vg_slice excerpt = vg_slice_make(r->lx->data + from, (size_t)(at->offset - from));
    return emit(r, true, scope, group ? "une-missing" : "unz-missing", e, NULL, excerpt,
                group ? "UNE" : "UNZ", NULL, group ? "UNE" : "UNZ");
}

/* Closes whatever is open where something new starts (`at`). what: 'B' for a new
 * interchange (or the end), 'G' for a new group, 'H' for a new message. */
static enum vg_status close_open(struct reader *r, const struct stop *at, char what)
{
    enum vg_status st = cut_off(r, at);
    if (st != VG_OK) {
        return st;
    }
    if (what == 'H') {
        return VG_OK;
    }
    if (r->in_group) {
        if ((st = missing_trailer(r, VG_EDIFACT_SCOPE_GROUP, at)) != VG_OK) {
            return st;
        }
        r->in_group = false;
    }
    if (what == 'G') {
        return VG_OK;
    }
    if (r->ic.present) {
        if ((st = missing_trailer(r, VG_EDIFACT_SCOPE_INTERCHANGE, at)) != VG_OK) {
            return st;
        }
        r->ic.present = false;
    }
    return VG_OK;
}

/* close_open at a segment. */
static enum vg_status close_before(struct reader *r, const struct vg_edifact_segment *seg,
                                   char what)
{
    struct stop at = stop_at_segment(seg);
    return close_open(r, &at, what);
}

static void reset_interchange(struct reader *r)
{
    memset(&r->ic, 0, sizeof(r->ic));
    r->ic.prepared_at = VG_TIME_NONE;
    r->ic_bad[0] = '\0';
    r->in_group = false;
}

static int64_t prepared_at(const char *date, const char *time)
{
    char buf[24];
    size_t dl = strlen(date), tl = strlen(time);
    if ((dl != 6 && dl != 8) || tl != 4) {
        return VG_TIME_NONE;
    }
    snprintf(buf, sizeof(buf), "%s%s", date, time);
    int64_t t;
    if (vg_time_parse_edifact(dl == 6 ? 201 : 203, vg_slice_from_cstr(buf), NULL, &t, NULL) !=
        VG_OK) {
        return VG_TIME_NONE;
    }
    return t;
}

static enum vg_status open_interchange(struct reader *r, const struct vg_edifact_segment *unb)
{
    enum vg_status st = close_before(r, unb, 'B');
    if (st != VG_OK) {
        return st;
    }
    struct vg_edifact_lexer *lx = r->lx;
    reset_interchange(r);
    struct vg_edifact_interchange *ic = &r->ic;
    ic->present = true;
    ic->syntax = lx->syntax;
    ic->syntax_version = lx->syntax_version;
    ic->charset = lx->declared;
    ic->offset = lx->unb_origin_offset;
    ic->line = lx->unb_origin_line;
    char test[8];
    if ((st = field(unb, 1, 0, ic->syntax_id, sizeof(ic->syntax_id))) != VG_OK ||
        (st = field(unb, 2, 0, ic->sender, sizeof(ic->sender))) != VG_OK ||
        (st = field(unb, 2, 1, ic->sender_qualifier, sizeof(ic->sender_qualifier))) != VG_OK ||
        (st = field(unb, 3, 0, ic->recipient, sizeof(ic->recipient))) != VG_OK ||
        (st = field(unb, 3, 1, ic->recipient_qualifier, sizeof(ic->recipient_qualifier))) !=
            VG_OK ||
        (st = field(unb, 4, 0, ic->date, sizeof(ic->date))) != VG_OK ||
        (st = field(unb, 4, 1, ic->time, sizeof(ic->time))) != VG_OK ||
        (st = field(unb, 5, 0, ic->control_ref, sizeof(ic->control_ref))) != VG_OK ||
        (st = field(unb, 7, 0, ic->application_ref, sizeof(ic->application_ref))) != VG_OK ||
        (st = field(unb, 11, 0, test, sizeof(test))) != VG_OK) {
        return st;
    }
    ic->test = strcmp(test, "1") == 0;
    ic->prepared_at = prepared_at(ic->date, ic->time);
    r->stats->interchanges++;

    const char *missing = ic->syntax_id[0] == '\0'     ? "syntax identifier (S001 0001)"
                          : ic->sender[0] == '\0'      ? "sender (S002 0004)"
                          : ic->control_ref[0] == '\0' ? "control reference (0020)"
                                                       : NULL;
    if (missing != NULL) {
        snprintf(r->ic_bad, sizeof(r->ic_bad), "UNB at line %u has no %s",
                 (unsigned)unb->line, missing);
        struct vg_error *e = &r->scratch;
        vg_error_clear(e);
        position_seg(r, e, unb, unb->number);
        vg_error_set(e, VG_EPARSE, "%s: the messages of this interchange are rejected",
                     r->ic_bad);
        return emit(r, true, VG_EDIFACT_SCOPE_INTERCHANGE, "unb-syntax", e, NULL,
                    seg_excerpt(unb), "UNB", NULL, NULL);
    }
    return VG_OK;
}

static enum vg_status close_interchange(struct reader *r, const struct vg_edifact_segment *unz)
{
    enum vg_status st = close_before(r, unz, 'G');
    if (st != VG_OK) {
        return st;
    }
    if (!r->ic.present) {
        return reject_segment(r, unz, "outside-message", VG_EPARSE,
                              "UNZ without a UNB: no interchange is open");
    }
    /* The control count counts groups when the interchange has them, else messages. */
    bool groups = r->ic.groups > 0;
    st = check_trailer(r, unz, VG_EDIFACT_SCOPE_INTERCHANGE, "unz-mismatch",
                       groups ? r->ic.groups : r->ic.messages, groups ? "groups" : "messages",
                       r->ic.control_ref, "UNB");
    r->ic.present = false;
    return st;
}

static enum vg_status open_group(struct reader *r, const struct vg_edifact_segment *ung)
{
    enum vg_status st = close_before(r, ung, 'G');
    if (st != VG_OK) {
        return st;
    }
    if (!r->ic.present) {
        return reject_segment(r, ung, "outside-message", VG_EPARSE,
                              "UNG outside an interchange: a group must follow a UNB");
    }
    struct vg_edifact_group *g = &r->grp;
    memset(g, 0, sizeof(*g));
    g->offset = ung->offset;
    g->line = ung->line;
    if ((st = field(ung, 1, 0, g->id, sizeof(g->id))) != VG_OK ||
        (st = field(ung, 2, 0, g->sender, sizeof(g->sender))) != VG_OK ||
        (st = field(ung, 2, 1, g->sender_qualifier, sizeof(g->sender_qualifier))) != VG_OK ||
        (st = field(ung, 3, 0, g->recipient, sizeof(g->recipient))) != VG_OK ||
        (st = field(ung, 3, 1, g->recipient_qualifier, sizeof(g->recipient_qualifier))) !=
            VG_OK ||
        (st = field(ung, 4, 0, g->date, sizeof(g->date))) != VG_OK ||
        (st = field(ung, 4, 1, g->time, sizeof(g->time))) != VG_OK ||
        (st = field(ung, 5, 0, g->ref, sizeof(g->ref))) != VG_OK ||
        (st = field(ung, 6, 0, g->agency, sizeof(g->agency))) != VG_OK ||
        (st = field(ung, 7, 0, g->version, sizeof(g->version))) != VG_OK ||
        (st = field(ung, 7, 1, g->release, sizeof(g->release))) != VG_OK ||
        (st = field(ung, 7, 2, g->association, sizeof(g->association))) != VG_OK) {
        return st;
    }
    r->in_group = true;
    r->ic.groups++;
    r->stats->groups++;
    return VG_OK;
}

static enum vg_status close_group(struct reader *r, const struct vg_edifact_segment *une)
{
    struct stop at = stop_at_segment(une);
    enum vg_status st = cut_off(r, &at);
    if (st != VG_OK) {
        return st;
    }
    if (!r->in_group) {
        return reject_segment(r, une, "outside-message", VG_EPARSE,
                              "UNE without a UNG: no group is open");
    }
    st = check_trailer(r, une, VG_EDIFACT_SCOPE_GROUP, "une-mismatch", r->grp.messages,
                       "messages", r->grp.ref, "UNG");
    r->in_group = false;
    return st;
}

/* ---- the loop -------------------------------------------------------------------------- */

/* A segment the lexer could not read properly (bad tag, too long, cut off). */
static enum vg_status bad_segment(struct reader *r, enum vg_status code,
                                  const struct vg_edifact_segment *seg, struct vg_error *why)
{
    if (seg == NULL) {
        /* A bad UNA: the interchange it announced is skipped by the lexer. It also ends
         * whatever was open. */
        struct stop at = { .offset = why->offset, .line = why->line, .column = why->column,
                           .by = "a UNA", .event = "a UNA comes" };
        enum vg_status st = close_open(r, &at, 'B');
        if (st != VG_OK) {
            return st;
        }
        const struct vg_edifact_lexer *lx = r->lx;
        size_t from = (size_t)why->offset;
        struct vg_slice excerpt = vg_slice_make(lx->data + from, lx->pos - from);
        vg_error_at(why, r->source, why->line, why->column, why->offset, 0);
        return emit(r, true, VG_EDIFACT_SCOPE_INTERCHANGE, "una-syntax", why, NULL, excerpt,
                    "UNA", NULL, NULL);
    }
    const char *kind = code == VG_ELIMIT ? "segment-too-long" : "segment-syntax";
    if (r->in_msg) {
        r->msg_segments++;
        r->msg_end = seg->offset + seg->text.len + (seg->offset + seg->text.len < r->lx->len);
        vg_error_at(why, r->source, why->line, why->column, why->offset, r->msg_segments);
        if (code == VG_ETRUNC) {
            char reason[VG_ERROR_MESSAGE_MAX];
            snprintf(reason, sizeof(reason), "message '%s' (UNH at line %u) cut off: %s",
                     r->msg.ref, (unsigned)r->msg.line, why->message);
            vg_error_set(why, VG_ETRUNC, "%s", reason);
            kind = "message-cut-off";
        }
        fail_message(r, kind, why);
        return code == VG_ETRUNC ? report_failed(r) : VG_OK;
    }
    vg_error_at(why, r->source, why->line, why->column, why->offset, seg->number);
    return emit(r, true, VG_EDIFACT_SCOPE_SEGMENT, kind, why, NULL, seg_excerpt(seg), NULL,
                NULL, NULL);
}

static enum vg_status on_segment(struct reader *r, const struct vg_edifact_segment *seg)
{
    const char *t = seg->tag;
    if (t[0] == 'U' && t[1] == 'N') {
        switch (t[2]) {
        case 'B':
            return open_interchange(r, seg);
        case 'Z':
            return close_interchange(r, seg);
        case 'G':
            return open_group(r, seg);
        case 'E':
            return close_group(r, seg);
        case 'H': {
            enum vg_status st = close_before(r, seg, 'H');
            if (st != VG_OK) {
                return st;
            }
            /* The UNH must be the first segment of the index (it follows the segments of
             * a cut-off message there). */
            vg__edifact_lexer_keep_last(r->lx);
            if (!r->ic.present) {
                /* A bare message: nothing of an earlier interchange applies to it, and no
                 * interchange header declares a character set. */
                reset_interchange(r);
                r->lx->declared = NULL;
                r->lx->seven_bit = false;
                r->lx->charset = NULL;
            }
            return start_message(r, &r->lx->segs[0]);
        }
        case 'T':
            if (!r->in_msg) {
                return reject_segment(r, seg, "outside-message", VG_EPARSE,
                                      "UNT without a UNH: no message is open");
            }
            r->msg_segments++;
            return end_message(r, seg);
        default:
            break;
        }
    }
    if (!r->in_msg) {
        return reject_segment(r, seg, "outside-message", VG_EPARSE,
                              "segment %s outside a message: expected UNH before it", t);
    }
    r->msg_segments++;
    r->msg_end = seg->offset + seg->text.len + (seg->offset + seg->text.len < r->lx->len);
    if ((seg->flags_ & EDI_SEG_HIGH) != 0) {
        r->msg_high = true;
    }
    if (!r->failed) {
        /* Renumber within the message; the lexer numbered it within the input. */
        struct vg_edifact_segment *s = &r->lx->segs[r->lx->nsegs - 1];
        s->number = r->msg_segments;
        /* Bounds on what one message may hold in memory: its bytes, its segments, and
         * its separators (at most one per four bytes of the limit, far above real data),
         * so that hostile input cannot grow the index without bound. */
        const char *over = NULL;
        size_t limit = 0;
        if (seg->offset + seg->text.len + 1 - r->msg.offset > r->max_message) {
            over = "bytes";
            limit = r->max_message;
        } else if (r->lx->nsegs > r->max_segments) {
            over = "segments";
            limit = r->max_segments;
        } else if (r->lx->nmarks > r->max_message / 4) {
            over = "separators";
            limit = r->max_message / 4;
        }
        if (over != NULL) {
            struct vg_error e;
            vg_error_clear(&e);
            position_seg(r, &e, seg, r->msg_segments);
            vg_error_set(&e, VG_ELIMIT, "message '%s' has more than %zu %s", r->msg.ref, limit,
                         over);
            fail_message(r, "message-too-long", &e);
        }
    }
    return VG_OK;
}

enum vg_status vg_edifact_parse(const char *data, size_t len, const char *source,
                                const struct vg_edifact_options *options,
                                const struct vg_edifact_handler *handler,
                                struct vg_edifact_stats *stats, struct vg_error *err)
{
    struct vg_edifact_stats local_stats;
    if (stats == NULL) {
        stats = &local_stats;
    }
    memset(stats, 0, sizeof(*stats));
    if (handler == NULL || (data == NULL && len > 0)) {
        return vg_error_set(err, VG_EINVAL, "vg_edifact_parse needs data and a handler");
    }
    struct reader r;
    memset(&r, 0, sizeof(r));
    r.source = source != NULL ? source : "";
    r.flags = options != NULL ? options->flags : 0;
    r.max_message = options != NULL && options->max_message != 0
                        ? options->max_message
                        : VG_EDIFACT_DEFAULT_MAX_MESSAGE;
    r.max_segments = options != NULL && options->max_segments != 0
                         ? options->max_segments
                         : VG_EDIFACT_DEFAULT_MAX_SEGMENTS;
    r.h = handler;
    r.stats = stats;
    reset_interchange(&r);
    enum vg_status st = vg_edifact_lexer_new(data, len, source,
                                             options != NULL ? options->max_segment : 0, &r.lx);
    if (st != VG_OK) {
        return vg_error_set(err, st, "out of memory reading EDIFACT");
    }
    struct vg_error why; /* filled by the lexer whenever it reports a problem */
    vg_error_clear(&why);
    for (;;) {
        const struct vg_edifact_segment *seg = NULL;
        enum vg_status ls = vg_edifact_lexer_next(r.lx, &seg, &why);
        if (ls == VG_ENOTFOUND) {
            break;
        }
        if (ls == VG_ENOMEM) {
            st = vg_error_set(err, VG_ENOMEM, "out of memory reading EDIFACT");
            goto out;
        }
        if (seg != NULL) {
            stats->segments++;
        }
        st = ls == VG_OK ? on_segment(&r, seg) : bad_segment(&r, ls, seg, &why);
        if (st != VG_OK) {
            goto out;
        }
    }
    struct stop end = stop_at_end(&r);
    st = close_open(&r, &end, 'B');
out:
    if (st != VG_OK && err != NULL && err->code == VG_OK) {
        vg_error_set(err, st, "EDIFACT reading stopped: %s", vg_strerror(st));
    }
    vg_edifact_lexer_free(r.lx);
    return st;
}

void vg_edifact_message_digest(const struct vg_edifact_message *msg, uint8_t out[VG_DIGEST_SIZE])
{
    struct vg_hasher h;
    vg_hasher_init(&h);
    for (size_t i = 0; i < msg->nsegments; i++) {
        const struct vg_edifact_segment *s = &msg->segments[i];
        char term = s->lexer_->syntax.terminator;
        vg_hasher_update(&h, s->text.ptr, s->text.len);
        vg_hasher_update(&h, &term, 1);
    }
    vg_hasher_final(&h, out);
}
