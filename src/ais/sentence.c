/*
 * NMEA 0183 / IEC 61162-1 sentence framing for AIS: the VDM and VDO sentences (IEC 61162-1
 * section 8.3.91/92; ITU-R M.1371-5 annex 8) and the TAG block that may precede them
 * (IEC 61162-1 section 7.9; IEC 61162-450), with both checksums verified.
 *
 *   \g:1-2-1604,s:rORBCOMM008,c:1418169601*37\!AIVDM,2,1,6,A,53@o0E00...,0*63
 *   TAG block (optional)                        sentence: talker AI, formatter VDM,
 *                                               fragments 2, this 1, sequence 6,
 *                                               channel A, payload, fill bits, checksum
 *
 * The checksum is the XOR of every byte between the start delimiter ('!' or '\') and '*'.
 * The parser never reads past the buffer it is given and never needs a terminator.
 */
#include "ais/ais_int.h"

#include <string.h>

#include <vigia/time.h>

uint8_t vg_ais_checksum(const char *data, size_t len)
{
    uint8_t c = 0;
    for (size_t i = 0; i < len; i++) {
        c ^= (uint8_t)data[i];
    }
    return c;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

bool vg__ais_hex2(const char *s, uint8_t *out)
{
    int h = hex_value(s[0]);
    int l = hex_value(s[1]);
    if (h < 0 || l < 0) {
        return false;
    }
    *out = (uint8_t)(h * 16 + l);
    return true;
}

/* All-digit slice of at most max_digits as a number; false otherwise. */
static bool digits_u64(const char *s, size_t n, size_t max_digits, uint64_t *out)
{
    if (n == 0 || n > max_digits) {
        return false;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

static void set_column(struct vg_error *err, size_t column)
{
    if (err != NULL) {
        err->column = (uint32_t)column;
    }
}

/* The first problem found while parsing; later ones are ignored. */
struct problem {
    enum vg_status code;
    size_t column;
};

static void note(struct problem *p, struct vg_error *err, enum vg_status code, size_t column,
                 const char *what, const char *detail, size_t detail_len)
{
    if (p->code != VG_OK) {
        return;
    }
    p->code = code;
    p->column = column;
    if (detail != NULL) {
        vg_error_set(err, code, "%s '%.*s'", what, (int)(detail_len > 40 ? 40 : detail_len),
                     detail);
    } else {
        vg_error_set(err, code, "%s", what);
    }
}

bool vg__ais_parse_epoch(const char *s, size_t n, int64_t *out_ms)
{
    size_t i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        i++;
    }
    uint64_t whole;
    if (!digits_u64(s, i, 15, &whole)) {
        return false;
    }
    uint64_t frac_ms = 0;
    if (i < n) {
        if (s[i] != '.') {
            return false;
        }
        size_t f = i + 1;
        uint64_t scale = 100;
        for (size_t k = f; k < n; k++) {
            if (s[k] < '0' || s[k] > '9') {
                return false;
            }
            if (scale > 0) {
                frac_ms += (uint64_t)(s[k] - '0') * scale;
                scale /= 10;
            }
        }
    }
    uint64_t ms = i >= 12 ? whole : whole * 1000 + frac_ms;
    if (ms > 253402300799999ULL) { /* 9999-12-31T23:59:59.999Z */
        return false;
    }
    *out_ms = (int64_t)ms;
    return true;
}

/* g: value "sentence-total-id", or the NMEA 4.0 form "xGy" key with the id as value. */
static bool group_ok(uint64_t sentence, uint64_t total)
{
    return sentence >= 1 && total >= 1 && sentence <= total && total <= 99;
}

static bool parse_group(const char *v, size_t n, struct vg_ais_tagblock *tag)
{
    const char *d1 = memchr(v, '-', n);
    if (d1 == NULL) {
        return false;
    }
    size_t a_len = (size_t)(d1 - v);
    const char *rest = d1 + 1;
    size_t rest_len = n - a_len - 1;
    const char *d2 = memchr(rest, '-', rest_len);
    if (d2 == NULL) {
        return false;
    }
    size_t b_len = (size_t)(d2 - rest);
    uint64_t a, b, id;
    if (!digits_u64(v, a_len, 2, &a) || !digits_u64(rest, b_len, 2, &b) ||
        !digits_u64(d2 + 1, rest_len - b_len - 1, 9, &id) || !group_ok(a, b)) {
        return false;
    }
    tag->group_sentence = (uint8_t)a;
    tag->group_total = (uint8_t)b;
    tag->group_id = (uint32_t)id;
    return true;
}

/* Parses the TAG block body text[from..to) (without delimiters and checksum). */
static void parse_tag_fields(const char *text, size_t from, size_t to,
                             struct vg_ais_tagblock *tag, struct problem *p,
                             struct vg_error *err)
{
    size_t i = from;
    while (i < to) {
        size_t j = i;
        while (j < to && text[j] != ',') {
            j++;
        }
        const char *f = text + i;
        size_t n = j - i;
        const char *colon = memchr(f, ':', n);
        if (colon != NULL) {
            size_t klen = (size_t)(colon - f);
            const char *v = colon + 1;
            size_t vlen = n - klen - 1;
            if (klen == 1 && f[0] == 'c') {
                if (!vg__ais_parse_epoch(v, vlen, &tag->time_ms)) {
                    note(p, err, VG_EPARSE, i + 1, "bad tag block time", f, n);
                }
            } else if (klen == 1 && f[0] == 's') {
                tag->source = vg_slice_make(v, vlen);
            } else if (klen == 1 && f[0] == 't') {
                tag->text = vg_slice_make(v, vlen);
            } else if (klen == 1 && f[0] == 'n') {
                uint64_t lc;
                if (digits_u64(v, vlen, 9, &lc)) {
                    tag->line_count = (uint32_t)lc;
                } else {
                    note(p, err, VG_EPARSE, i + 1, "bad tag block line count", f, n);
                }
            } else if (klen == 1 && f[0] == 'g') {
                if (!parse_group(v, vlen, tag)) {
                    note(p, err, VG_EPARSE, i + 1,
                         "bad tag block group (expected g:sentence-total-id)", f, n);
                }
            } else if (klen == 3 && f[1] == 'G' && f[0] >= '1' && f[0] <= '9' && f[2] >= '1' &&
                       f[2] <= '9') {
                /* NMEA 4.0 grouping "1G2:0125": sentence 1 of 2, group 125. */
                uint64_t id;
                uint64_t a = (uint64_t)(f[0] - '0');
                uint64_t b = (uint64_t)(f[2] - '0');
                if (digits_u64(v, vlen, 9, &id) && group_ok(a, b)) {
                    tag->group_sentence = (uint8_t)a;
                    tag->group_total = (uint8_t)b;
                    tag->group_id = (uint32_t)id;
                } else {
                    note(p, err, VG_EPARSE, i + 1, "bad tag block group", f, n);
                }
            }
            /* Other parameters (d destination, r relative time, i, q, T...) are not
             * needed and are ignored. */
        }
        i = j + 1;
    }
}

enum vg_status vg__ais_tagblock_parse(const char *text, size_t len,
                                     struct vg_ais_tagblock *tag, size_t *end,
                                     struct vg_error *err)
{
    memset(tag, 0, sizeof(*tag));
    tag->time_ms = VG_TIME_NONE;
    *end = 0;
    const char *close = len > 1 ? memchr(text + 1, '\\', len - 1) : NULL;
    if (len == 0 || text[0] != '\\' || close == NULL) {
        vg_error_set(err, VG_EPARSE, "tag block without its closing '\\'");
        set_column(err, 1);
        return VG_EPARSE;
    }
    size_t last = (size_t)(close - text); /* index of the closing backslash */
    struct problem p = { VG_OK, 0 };
    tag->present = true;
    uint8_t want;
    if (last < 4 || text[last - 3] != '*' || !vg__ais_hex2(text + last - 2, &want)) {
        note(&p, err, VG_EPARSE, last + 1, "tag block without a checksum (*hh)", NULL, 0);
        parse_tag_fields(text, 1, last, tag, &p, err);
    } else {
        uint8_t got = vg_ais_checksum(text + 1, last - 4);
        if (got != want) {
            p.code = VG_ECHECK;
            p.column = last - 2;
            vg_error_set(err, VG_ECHECK, "tag block checksum mismatch: found %02X, computed %02X",
                         want, got);
        }
        parse_tag_fields(text, 1, last - 3, tag, &p, err);
    }
    *end = last + 1;
    if (p.code != VG_OK) {
        set_column(err, p.column);
    }
    return p.code;
}

enum vg_status vg_ais_sentence_parse(const char *text,
                                     size_t len,
                                     struct vg_ais_sentence *out,
                                     size_t *used,
                                     struct vg_error *err)
{
    memset(out, 0, sizeof(*out));
    out->tag.time_ms = VG_TIME_NONE;
    out->seq_id = -1;
    *used = 0;
    struct problem p = { VG_OK, 0 };
    size_t pos = 0;

    if (len > 0 && text[0] == '\\') {
        enum vg_status st = vg__ais_tagblock_parse(text, len, &out->tag, &pos, err);
        if (pos == 0) {
            return st;
        }
        if (st != VG_OK) {
            p.code = st;
            p.column = err != NULL ? err->column : 0;
        }
    }

    if (pos >= len || (text[pos] != '!' && text[pos] != '$')) {
        vg_error_set(err, VG_EPARSE, pos > 0 ? "tag block not followed by a sentence"
                                             : "expected a sentence starting with '!'");
        set_column(err, pos + 1);
        return VG_EPARSE;
    }
    out->start = pos;

    /* One pass over the sentence: checksum, commas, and the end at '*' (no armouring
     * character is '*'). A byte that cannot be inside a sentence ('!', '$', '\\', CR, LF)
     * ends it too: the checksum is missing. */
    static const uint8_t special[256] = {
        [','] = 1, ['*'] = 2, ['!'] = 3, ['$'] = 3, ['\\'] = 3, ['\r'] = 3, ['\n'] = 3,
    };
    uint8_t got = 0;
    size_t comma[7];
    size_t ncomma = 0;
    size_t star = pos + 1;
    for (; star < len; star++) {
        unsigned char c = (unsigned char)text[star];
        uint8_t sp = special[c];
        if (sp != 0) {
            if (sp != 1) {
                break;
            }
            if (ncomma < 7) {
                comma[ncomma] = star;
            }
            ncomma++;
        }
        got ^= c;
    }
    if (star >= len || text[star] != '*' || len - star < 3) {
        vg_error_set(err, VG_EPARSE, "sentence without a checksum (*hh)");
        set_column(err, star < len ? star + 1 : len);
        *used = star < len && text[star] == '*' ? len : star;
        return VG_EPARSE;
    }
    uint8_t want;
    if (!vg__ais_hex2(text + star + 1, &want)) {
        vg_error_set(err, VG_EPARSE, "bad checksum digits '%.2s'", text + star + 1);
        set_column(err, star + 2);
        *used = star + 3;
        return VG_EPARSE;
    }
    out->checksum = want;
    out->end = star + 3;
    *used = star + 3;

    /* Address field: '!' or '$', talker (2), formatter (3). */
    const char *s = text + pos;
    if (s[0] != '!') {
        return VG_EUNSUPPORTED;
    }
    size_t address_end = ncomma > 0 ? comma[0] : star;
    if (address_end - pos != 6) {
        vg_error_set(err, VG_EPARSE, "malformed address field '%.*s'",
                     (int)(address_end - pos < 10 ? address_end - pos : 10), s);
        set_column(err, pos + 1);
        return VG_EPARSE;
    }
    if (!(s[3] == 'V' && s[4] == 'D' && (s[5] == 'M' || s[5] == 'O'))) {
        return VG_EUNSUPPORTED;
    }
    out->talker[0] = s[1];
    out->talker[1] = s[2];
    out->talker[2] = '\0';
    out->own = s[5] == 'O';

    if (got != want && p.code == VG_OK) {
        p.code = VG_ECHECK;
        p.column = star + 2;
        vg_error_set(err, VG_ECHECK, "checksum mismatch: found %02X, computed %02X", want, got);
    }

    /* Six fields after the address: total, number, sequence id, channel, payload, fill. */
    if (ncomma != 6) {
        note(&p, err, VG_EPARSE, pos + 1,
             ncomma < 6 ? "VDM sentence with too few fields (expected 7)"
                        : "VDM sentence with too many fields (expected 7)",
             NULL, 0);
        goto done;
    }
    const char *field[6];
    size_t flen[6];
    size_t fcol[6];
    for (size_t f = 0; f < 6; f++) {
        size_t from = comma[f] + 1;
        size_t to = f < 5 ? comma[f + 1] : star;
        field[f] = text + from;
        flen[f] = to - from;
        fcol[f] = from + 1;
    }
    uint64_t total, number, seq;
    if (!digits_u64(field[0], flen[0], 1, &total) || total < 1) {
        note(&p, err, VG_EPARSE, fcol[0], "bad fragment count", field[0], flen[0]);
        goto done;
    }
    if (!digits_u64(field[1], flen[1], 1, &number) || number < 1 || number > total) {
        note(&p, err, VG_EPARSE, fcol[1], "bad fragment number", field[1], flen[1]);
        goto done;
    }
    out->total = (uint8_t)total;
    out->number = (uint8_t)number;
    if (flen[2] > 0) {
        if (!digits_u64(field[2], flen[2], 2, &seq)) {
            note(&p, err, VG_EPARSE, fcol[2], "bad sequential message id", field[2], flen[2]);
            goto done;
        }
        out->seq_id = (int16_t)seq;
    }
    if (flen[3] > 1) {
        note(&p, err, VG_EPARSE, fcol[3], "bad radio channel", field[3], flen[3]);
        goto done;
    }
    out->channel = flen[3] == 1 ? field[3][0] : '\0';
    out->payload = vg_slice_make(field[4], flen[4]);
    uint64_t fill;
    if (!digits_u64(field[5], flen[5], 1, &fill) || fill > 5) {
        note(&p, err, VG_EPARSE, fcol[5], "bad fill bits (expected 0 to 5)", field[5], flen[5]);
        goto done;
    }
    out->fill = (uint8_t)fill;

done:
    if (p.code != VG_OK) {
        set_column(err, p.column);
        return p.code;
    }
    return VG_OK;
}
