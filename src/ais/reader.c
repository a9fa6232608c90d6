/*
 * The AIS reader: turns a recording (lines of text as coastal networks, satellite providers
 * and receivers write them) into decoded messages and rejections, one per call.
 *
 * Line forms understood, all seen in ../shared/data/ais:
 *   !AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30            plain sentence, any talker
 *   \s:rORBCOMM104,c:1418172113*55\!AIVDM,...                 IEC 61162-1 TAG block
 *   \c:1354719388*56\   (alone on a line)                       TAG block for the next line
 *   1418172113 !AIVDM,...   / 2014-12-10T00:41:53Z,!AIVDM,...   receive time before the sentence
 *   !AIVDM,...*30,d-080,S2118,...,r003669946,1325394060         USCG/libais metadata suffix
 *   $PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B     Gatehouse wrapper: receive
 *                                                               time of the next sentence
 *   \...\!AIVDM,2,1,...*28\...\!AIVDM,2,2,...*2C                several sentences on a line
 * Blank lines, '#' comments and other sentences ($GPGGA...) are skipped and counted.
 *
 * Multi-sentence messages are reassembled in a fixed table of max_pending slots, allocated
 * once. A slot is keyed by the TAG block group id when there is one, otherwise by
 * (station, channel, sequence id, fragment count); fragments may interleave with other
 * messages and arrive out of order. A slot is rejected (never silently dropped) when its
 * message cannot complete: a repeated or conflicting fragment, max_age sentences without
 * completion, the table being full (the oldest goes), or the end of input.
 */
#include "ais/ais_int.h"

#include <stdio.h>
#include <string.h>

#include <vigia/alloc.h>
#include <vigia/time.h>

struct slot {
    bool used;
    bool grouped;
    uint8_t total;
    uint8_t fill;         /* of the last fragment */
    uint8_t ck_xor;       /* XOR of the fragments' checksums */
    int pghp_checksum;    /* the $PGHP's cc when the receive time came from one, else -1 */
    uint16_t have;        /* bit n set: fragment n received */
    int16_t seq;
    char channel;
    uint32_t group_id;
    char key_station[VG_AIS_STATION_MAX + 1]; /* TAG block s:, "" when none */
    uint64_t born;        /* reader-wide sentence counter at the first fragment received */
    uint16_t nchars;
    uint8_t off[VG_AIS_MAX_FRAGMENTS + 1];
    uint8_t len[VG_AIS_MAX_FRAGMENTS + 1];
    char chars[VG_AIS_MAX_CHARS];
    struct vg_ais_meta meta; /* of the first fragment received, completed by later ones */
    uint32_t column;         /* of that fragment in its line */
    char source[VG_ERROR_SOURCE_MAX];
};

struct vg_ais_reader {
    struct vg_ais_reader_options opt;
    struct slot *slots;
    uint32_t used_slots;
    uint64_t oldest_born; /* smallest born of the used slots, UINT64_MAX when none */

    const char *data;
    size_t len;
    size_t pos;           /* start of the next line */
    char source[VG_ERROR_SOURCE_MAX];
    uint32_t line_no;
    uint32_t item;        /* VDM/VDO sentences of the current input */
    uint64_t seen;        /* VDM/VDO sentences over the reader's life (slot ages) */
    bool finishing;

    /* current line */
    bool in_line;
    const char *line;
    size_t line_len;
    uint64_t line_offset;
    size_t cur;
    int64_t line_time_ms; /* receive time written before the sentence */
    bool line_first;      /* no sentence of this line handled yet */

    /* wrappers waiting for the next sentence line */
    bool pghp_pending;
    int64_t pghp_time_ms;
    int pghp_checksum;    /* XOR of the checksums of the sentences of the message the $PGHP
                             describes (one sentence: its checksum), -1 when absent */
    bool tag_pending;
    int64_t tag_time_ms;
    char tag_station[VG_AIS_STATION_MAX + 1];

    struct vg_ais_counts counts;
    struct vg__ais_bits bits;
};

enum vg_status vg_ais_reader_new(const struct vg_ais_reader_options *opts,
                                 struct vg_ais_reader **out)
{
    *out = NULL;
    struct vg_ais_reader_options o = { 64, 1000 };
    if (opts != NULL) {
        if (opts->max_pending > 4096) {
            return VG_EINVAL;
        }
        if (opts->max_pending != 0) {
            o.max_pending = opts->max_pending;
        }
        if (opts->max_age != 0) {
            o.max_age = opts->max_age;
        }
    }
    struct vg_ais_reader *r = vg_calloc(1, sizeof(*r));
    if (r == NULL) {
        return VG_ENOMEM;
    }
    r->slots = vg_calloc(o.max_pending, sizeof(*r->slots));
    if (r->slots == NULL) {
        vg_free(r);
        return VG_ENOMEM;
    }
    r->opt = o;
    r->oldest_born = UINT64_MAX;
    r->line_time_ms = VG_TIME_NONE;
    r->data = "";
    *out = r;
    return VG_OK;
}

void vg_ais_reader_free(struct vg_ais_reader *r)
{
    if (r == NULL) {
        return;
    }
    vg_free(r->slots);
    vg_free(r);
}

void vg_ais_reader_input(struct vg_ais_reader *r, const char *source, const char *data,
                         size_t len)
{
    r->data = data != NULL ? data : "";
    r->len = data != NULL ? len : 0;
    r->pos = 0;
    r->line_no = 0;
    r->item = 0;
    r->in_line = false;
    snprintf(r->source, sizeof(r->source), "%s", source != NULL ? source : "");
}

void vg_ais_reader_finish(struct vg_ais_reader *r)
{
    r->finishing = true;
}

const struct vg_ais_counts *vg_ais_reader_counts(const struct vg_ais_reader *r)
{
    return &r->counts;
}

/* ---- helpers -------------------------------------------------------------------------- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static void copy_station(char *dst, const char *s, size_t n)
{
    if (n > VG_AIS_STATION_MAX) {
        n = VG_AIS_STATION_MAX;
    }
    if (n > 0) {
        memcpy(dst, s, n);
    }
    dst[n] = '\0';
}

/* Fills err's position for something at column col (1-based) of the current line. */
static void at_line(struct vg_ais_reader *r, struct vg_error *err, size_t col, uint32_t item)
{
    vg_error_at(err, r->source, r->line_no, (uint32_t)col,
                r->line_offset + (col > 0 ? col - 1 : 0), item);
}

static enum vg_status reject_here(struct vg_ais_reader *r, struct vg_error *err,
                                  enum vg_status code, size_t col, uint32_t item)
{
    at_line(r, err, col, item);
    if (err != NULL) {
        err->code = code;
    }
    r->counts.rejected++;
    return code;
}

/* ---- wrappers and metadata ---------------------------------------------------------------- */

/* Gatehouse $PGHP,1,yyyy,mm,dd,hh,mi,ss,ms,country,region,pss,online,cc*hh: the receive
 * time of the next message; cc is the XOR of its sentences' checksums (for a one-sentence
 * message, its checksum), as the recordings in ../shared/data/ais/dma-aislib show. */
/* Two hex digits, or -1. */
static int hex_byte(const char *s)
{
    uint8_t v;
    return vg__ais_hex2(s, &v) ? v : -1;
}

/* 1 to 5 decimal digits, or -1. */
static int32_t small_number(struct vg_slice f)
{
    if (f.len == 0 || f.len > 5) {
        return -1;
    }
    int32_t v = 0;
    for (size_t i = 0; i < f.len; i++) {
        if (f.ptr[i] < '0' || f.ptr[i] > '9') {
            return -1;
        }
        v = v * 10 + (f.ptr[i] - '0');
    }
    return v;
}

static enum vg_status handle_pghp(struct vg_ais_reader *r, struct vg_error *err)
{
    const char *s = r->line + r->cur;
    size_t n = r->line_len - r->cur;
    const char *star = memchr(s, '*', n);
    size_t sp = star != NULL ? (size_t)(star - s) : n;
    int want = star != NULL && n - sp >= 3 ? hex_byte(s + sp + 1) : -1;
    if (want < 0) {
        vg_error_set(err, VG_EPARSE, "$PGHP sentence without a checksum (*hh)");
        return reject_here(r, err, VG_EPARSE, r->cur + sp + 1, r->item);
    }
    uint8_t got = vg_ais_checksum(s + 1, sp - 1);
    if ((unsigned)want != got) {
        vg_error_set(err, VG_ECHECK, "$PGHP checksum mismatch: found %02X, computed %02X",
                     (unsigned)want, got);
        return reject_here(r, err, VG_ECHECK, r->cur + sp + 2, r->item);
    }
    /* Fields after "$PGHP": split by ','. */
    struct vg_slice f[16];
    size_t nf = 0;
    size_t i = 6;
    while (i <= sp && nf < 16) {
        size_t j = i;
        while (j < sp && s[j] != ',') {
            j++;
        }
        f[nf].ptr = s + i;
        f[nf].len = j - i;
        nf++;
        i = j + 1;
    }
    if (nf < 1 || f[0].len != 1 || f[0].ptr[0] != '1') {
        /* Other $PGHP message types carry no receive time. */
        r->counts.wrappers++;
        return VG_OK;
    }
    int32_t v[7];
    bool ok = nf >= 8;
    for (size_t k = 0; ok && k < 7; k++) {
        v[k] = small_number(f[k + 1]);
        ok = v[k] >= 0;
    }
    if (ok) {
        ok = vg_civil_valid(v[0], v[1], v[2], v[3], v[4], v[5]) && v[6] < 1000;
    }
    if (!ok) {
        vg_error_set(err, VG_EPARSE, "$PGHP time is not a valid date and time");
        return reject_here(r, err, VG_EPARSE, r->cur + 7, r->item);
    }
    r->pghp_pending = true;
    r->pghp_time_ms = vg_time_from_civil(v[0], v[1], v[2], v[3], v[4], v[5]) * 1000 + v[6];
    r->pghp_checksum = -1;
    if (nf >= 13 && f[12].len == 2) {
        /* "00" is what the recorders write when they did not note the checksum (own-ship
         * VDO sentences in the DMA recording): no check then. */
        int cc = hex_byte(f[12].ptr);
        if (cc > 0) {
            r->pghp_checksum = cc;
        }
    }
    r->counts.wrappers++;
    return VG_OK;
}

/* A receiver's metadata after the checksum (USCG NAIS / libais form):
 * ",d-109,S2105,t050056.00,T56.13718694,r003669946,1325394060". The station is the first
 * r/b/B-prefixed alphanumeric token, the time the first all-digit token of 9+ digits. */
static void parse_suffix(const char *s, size_t n, char *station, int64_t *time_ms)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && s[i] == ',') {
            i++;
        }
        size_t j = i;
        while (j < n && s[j] != ',') {
            j++;
        }
        size_t tl = j - i;
        const char *t = s + i;
        if (tl >= 2 && station[0] == '\0' && (t[0] == 'r' || t[0] == 'b' || t[0] == 'B')) {
            bool alnum = true;
            for (size_t k = 1; k < tl && alnum; k++) {
                char c = t[k];
                alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            }
            if (alnum) {
                copy_station(station, t, tl);
            }
        } else if (tl >= 9 && *time_ms == VG_TIME_NONE && t[0] >= '0' && t[0] <= '9') {
            int64_t ms;
            if (vg__ais_parse_epoch(t, tl, &ms)) {
                *time_ms = ms;
            }
        }
        i = j;
    }
}

/* Text before the first sentence on a line: a Unix time or an ISO 8601 time. */
static int64_t parse_prefix_time(const char *s, size_t n)
{
    while (n > 0 && (is_space(s[n - 1]) || s[n - 1] == ',' || s[n - 1] == ';')) {
        n--;
    }
    int64_t ms;
    if (n > 0 && vg__ais_parse_epoch(s, n, &ms)) {
        return ms;
    }
    int64_t t;
    if (n >= 10 && vg_time_parse_iso8601(vg_slice_make(s, n), NULL, &t, NULL) == VG_OK &&
        t >= 0 && t <= 253402300799LL) {
        /* vg_time_parse_iso8601 drops fractions of a second; keep the milliseconds. */
        int64_t ms_part = 0;
        const char *dot = n > 19 ? memchr(s + 19, '.', n - 19) : NULL;
        if (dot != NULL) {
            int64_t scale = 100;
            for (const char *d = dot + 1; d < s + n && *d >= '0' && *d <= '9' && scale > 0;
                 d++) {
                ms_part += (*d - '0') * scale;
                scale /= 10;
            }
        }
        return t * 1000 + ms_part;
    }
    return VG_TIME_NONE;
}

/* ---- reassembly ---------------------------------------------------------------------------- */

static struct slot *oldest_slot(struct vg_ais_reader *r);

static void slot_free(struct vg_ais_reader *r, struct slot *s)
{
    s->used = false;
    r->used_slots--;
    if (s->born == r->oldest_born) {
        struct slot *o = oldest_slot(r);
        r->oldest_born = o != NULL ? o->born : UINT64_MAX;
    }
}

/* Lists the fragment numbers received, "1,3", into buf. */
static void fragments_list(const struct slot *s, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (unsigned k = 1; k <= s->total && n + 3 < size; k++) {
        if (s->have & (1u << k)) {
            if (n > 0) {
                buf[n++] = ',';
            }
            buf[n++] = (char)('0' + k);
            buf[n] = '\0';
        }
    }
}

static enum vg_status slot_reject(struct vg_ais_reader *r, struct slot *s, enum vg_status code,
                                  const char *why, struct vg_error *err)
{
    char got[24];
    fragments_list(s, got, sizeof(got));
    char seq[24];
    if (s->grouped) {
        snprintf(seq, sizeof(seq), "group %u", (unsigned)s->group_id);
    } else if (s->seq >= 0) {
        snprintf(seq, sizeof(seq), "sequence id %d", (int)s->seq);
    } else {
        snprintf(seq, sizeof(seq), "no sequence id");
    }
    vg_error_clear(err);
    vg_error_set(err, code, "incomplete message: fragment%s %s of %u (%s), %s",
                 strchr(got, ',') != NULL ? "s" : "", got, (unsigned)s->total, seq, why);
    vg_error_at(err, s->source, s->meta.line, s->column,
                s->meta.offset + (s->column > 0 ? s->column - 1 : 0), s->meta.item);
    slot_free(r, s);
    r->counts.rejected++;
    return code;
}

static struct slot *oldest_slot(struct vg_ais_reader *r)
{
    struct slot *best = NULL;
    for (uint32_t i = 0; i < r->opt.max_pending; i++) {
        struct slot *s = &r->slots[i];
        if (s->used && (best == NULL || s->born < best->born)) {
            best = s;
        }
    }
    return best;
}

/* The station part of the key is the TAG block source only (a receiver's metadata suffix
 * may be on one fragment and not the other); a fragment without one matches any station,
 * as later sentences of a TAG block group often carry only g:. */
static bool slot_matches(const struct slot *s, const struct vg_ais_sentence *snt,
                         const char *key_station)
{
    if (s->key_station[0] != '\0' && key_station[0] != '\0' &&
        strcmp(s->key_station, key_station) != 0) {
        return false;
    }
    if (snt->tag.group_total > 0) {
        return s->grouped && s->group_id == snt->tag.group_id;
    }
    return !s->grouped && s->seq == snt->seq_id && s->channel == snt->channel &&
           s->total == snt->total;
}

/* Copies fragment snt into slot s. False when the message would be too long. */
static bool slot_add(struct slot *s, const struct vg_ais_sentence *snt,
                     const struct vg_ais_meta *meta)
{
    size_t n = snt->payload.len;
    if ((size_t)s->nchars + n > VG_AIS_MAX_CHARS) {
        return false;
    }
    memcpy(s->chars + s->nchars, snt->payload.ptr, n);
    s->off[snt->number] = (uint8_t)s->nchars;
    s->len[snt->number] = (uint8_t)n;
    s->nchars = (uint16_t)(s->nchars + n);
    s->have = (uint16_t)(s->have | (1u << snt->number));
    s->ck_xor = (uint8_t)(s->ck_xor ^ snt->checksum);
    if (snt->number == s->total) {
        s->fill = snt->fill;
    }
    if (s->meta.rx_time_ms == VG_TIME_NONE) {
        s->meta.rx_time_ms = meta->rx_time_ms;
    }
    if (s->meta.station[0] == '\0') {
        memcpy(s->meta.station, meta->station, sizeof(s->meta.station));
    }
    return true;
}

static bool slot_complete(const struct slot *s)
{
    uint16_t all = (uint16_t)(((1u << (s->total + 1)) - 1) & ~1u);
    return (s->have & all) == all;
}

/* Decodes the payload of a complete slot into msg (frees the slot). */
static enum vg_status slot_decode(struct vg_ais_reader *r, struct slot *s, struct vg_ais_msg *msg,
                                  struct vg_error *err)
{
    char payload[VG_AIS_MAX_CHARS];
    size_t n = 0;
    for (unsigned k = 1; k <= s->total; k++) {
        memcpy(payload + n, s->chars + s->off[k], s->len[k]);
        n += s->len[k];
    }
    enum vg_status st = vg_ais_decode(payload, n, s->fill, msg, err);
    struct vg_ais_meta meta = s->meta;
    meta.fragments = s->total;
    if (s->pghp_checksum >= 0 && s->pghp_checksum != s->ck_xor) {
        /* The $PGHP described another message (its own was lost). */
        meta.rx_time_ms = VG_TIME_NONE;
    }
    uint32_t column = s->column;
    char source[VG_ERROR_SOURCE_MAX];
    memcpy(source, s->source, sizeof(source));
    slot_free(r, s);
    if (st != VG_OK) {
        vg_error_at(err, source, meta.line, column,
                    meta.offset + (column > 0 ? column - 1 : 0), meta.item);
        r->counts.rejected++;
        return st;
    }
    msg->meta = meta;
    r->counts.messages++;
    r->counts.by_type[msg->type]++;
    return VG_OK;
}

/*
 * Adds a fragment. Returns VG_OK with *done false when it was stored; VG_OK with *done true
 * and msg filled when it completed a message; a rejection status (with *done true) when a
 * pending message had to be rejected or the completed message did not decode.
 */
static enum vg_status add_fragment(struct vg_ais_reader *r, const struct vg_ais_sentence *snt,
                                   const struct vg_ais_meta *meta, uint32_t column,
                                   int pghp_checksum, struct vg_ais_msg *msg, bool *done,
                                   struct vg_error *err)
{
    *done = false;
    struct slot *s = NULL;
    char key_station[VG_AIS_STATION_MAX + 1];
    copy_station(key_station, snt->tag.source.ptr, snt->tag.source.len);
    if (r->used_slots > 0) {
        for (uint32_t i = 0; i < r->opt.max_pending; i++) {
            if (r->slots[i].used && slot_matches(&r->slots[i], snt, key_station)) {
                s = &r->slots[i];
                break;
            }
        }
    }
    enum vg_status rejected = VG_OK;
    struct vg_error old_err; /* set by slot_reject when a pending message is rejected */
    if (s != NULL) {
        if (s->total != snt->total || (s->have & (1u << snt->number)) != 0) {
            char why[96];
            snprintf(why, sizeof(why), "then a new fragment %u of %u (line %u)",
                     (unsigned)snt->number, (unsigned)snt->total, (unsigned)meta->line);
            rejected = slot_reject(r, s, VG_ETRUNC, why, &old_err);
            s = NULL;
        } else {
            if (!slot_add(s, snt, meta)) {
                slot_reject(r, s, VG_ELIMIT, "the message is longer than any AIS message", err);
                *done = true;
                return VG_ELIMIT;
            }
            if (slot_complete(s)) {
                *done = true;
                return slot_decode(r, s, msg, err);
            }
            return VG_OK;
        }
    }
    /* A new message: take a free slot, or make room by rejecting the oldest. */
    if (r->used_slots == r->opt.max_pending) {
        char why[96];
        snprintf(why, sizeof(why), "dropped to make room (%u partial messages held)",
                 (unsigned)r->opt.max_pending);
        rejected = slot_reject(r, oldest_slot(r), VG_ELIMIT, why, &old_err);
    }
    for (uint32_t i = 0; i < r->opt.max_pending; i++) {
        if (!r->slots[i].used) {
            s = &r->slots[i];
            break;
        }
    }
    s->used = true;
    r->used_slots++;
    s->grouped = snt->tag.group_total > 0;
    s->group_id = snt->tag.group_id;
    memcpy(s->key_station, key_station, sizeof(s->key_station));
    s->total = snt->total;
    s->seq = snt->seq_id;
    s->channel = snt->channel;
    s->have = 0;
    s->nchars = 0;
    s->fill = 0;
    s->ck_xor = 0;
    s->pghp_checksum = pghp_checksum;
    s->born = r->seen;
    if (s->born < r->oldest_born) {
        r->oldest_born = s->born;
    }
    s->meta = *meta;
    s->column = column;
    memcpy(s->source, r->source, sizeof(s->source));
    if (!slot_add(s, snt, meta)) {
        /* A single fragment cannot exceed VG_AIS_MAX_CHARS: vg_ais_sentence_parse's caller
         * checks that first. */
        slot_free(r, s);
    }
    if (rejected != VG_OK) {
        if (err != NULL) {
            *err = old_err;
        }
        *done = true;
        return rejected;
    }
    return VG_OK;
}

/* ---- lines and sentences ------------------------------------------------------------------ */

/* Starts the next line. Returns false at the end of the input. */
static bool next_line(struct vg_ais_reader *r)
{
    if (r->pos >= r->len) {
        return false;
    }
    const char *start = r->data + r->pos;
    size_t rest = r->len - r->pos;
    const char *nl = memchr(start, '\n', rest);
    size_t n = nl != NULL ? (size_t)(nl - start) : rest;
    r->line = start;
    r->line_offset = r->pos;
    r->pos += nl != NULL ? n + 1 : n;
    r->line_no++;
    r->counts.lines++;
    while (n > 0 && is_space(start[n - 1])) {
        n--;
    }
    r->line_len = n;
    r->cur = 0;
    while (r->cur < n && is_space(start[r->cur])) {
        r->cur++;
    }
    r->line_time_ms = VG_TIME_NONE;
    r->line_first = true;
    return true;
}

/* True when s[0..n) starts like a VDM/VDO sentence: "!xxVD". */
static bool looks_like_vdm(const char *s, size_t n)
{
    return n >= 6 && s[0] == '!' && s[3] == 'V' && s[4] == 'D';
}

/* True when s[0..n) starts a sentence: '!', or a TAG block "\...\" directly followed by
 * '!'. Other text (a stray backslash, "\x0d\x0a" written out...) is not one. */
static bool starts_sentence(const char *s, size_t n)
{
    if (n == 0) {
        return false;
    }
    if (s[0] == '!') {
        return true;
    }
    if (s[0] != '\\' || n < 2) {
        return false;
    }
    const char *close = memchr(s + 1, '\\', n - 1);
    return close != NULL && close + 1 < s + n && close[1] == '!';
}

/*
 * Classifies the line just started. Returns 1 when it holds sentences to parse (r->cur at
 * the first one), 0 when it was consumed (skipped or a wrapper), or a rejection status
 * (negated... no: *status set) via the return of -1.
 */
static int classify_line(struct vg_ais_reader *r, enum vg_status *status, struct vg_error *err)
{
    const char *s = r->line + r->cur;
    size_t n = r->line_len - r->cur;
    *status = VG_OK;
    if (n == 0 || s[0] == '#') {
        r->counts.skipped++;
        return 0;
    }
    if (s[0] == '$') {
        if (n >= 5 && memcmp(s, "$PGHP", 5) == 0) {
            *status = handle_pghp(r, err);
            return *status == VG_OK ? 0 : -1;
        }
        r->counts.skipped++;
        return 0;
    }
    if (s[0] == '\\') {
        /* A TAG block alone on a line describes the sentence on the next line. */
        const char *close = n > 1 ? memchr(s + 1, '\\', n - 1) : NULL;
        if (close != NULL && (size_t)(close - s) + 1 == n) {
            struct vg_ais_tagblock tag;
            size_t end;
            enum vg_status st = vg__ais_tagblock_parse(s, n, &tag, &end, err);
            if (st != VG_OK) {
                *status = reject_here(r, err, st, r->cur + (err != NULL ? err->column : 1),
                                      r->item);
                return -1;
            }
            r->tag_pending = true;
            r->tag_time_ms = tag.time_ms;
            copy_station(r->tag_station, tag.source.ptr, tag.source.len);
            r->counts.wrappers++;
            return 0;
        }
        return 1;
    }
    if (s[0] == '!') {
        return 1;
    }
    /* Text before the sentence: a receive time, or metadata we do not know. */
    size_t k = 0;
    while (k < n && s[k] != '!' && s[k] != '\\') {
        k++;
    }
    if (k == n || (s[k] == '!' && !looks_like_vdm(s + k, n - k))) {
        r->counts.skipped++;
        return 0;
    }
    r->line_time_ms = parse_prefix_time(s, k);
    r->cur += k;
    return 1;
}

/* Handles the sentence at r->cur. Returns VG_OK with *event false when nothing is to be
 * reported yet. */
static enum vg_status handle_sentence(struct vg_ais_reader *r, struct vg_ais_msg *msg,
                                      bool *event, struct vg_error *err)
{
    *event = false;
    const char *s = r->line + r->cur;
    size_t n = r->line_len - r->cur;
    size_t col = r->cur + 1;
    struct vg_ais_sentence snt;
    size_t used = 0;
    enum vg_status st = vg_ais_sentence_parse(s, n, &snt, &used, err);
    if (st == VG_EUNSUPPORTED) {
        /* Another kind of sentence (e.g. !AIABM): not AIS traffic. */
        if (r->line_first) {
            r->counts.skipped++;
        }
        r->line_first = false;
        r->cur += used > 0 ? used : n;
        return VG_OK;
    }
    r->counts.sentences++;
    r->seen++;
    uint32_t item = ++r->item;
    bool first = r->line_first;
    r->line_first = false;

    int pghp_checksum = -1;

    /* Where the next sentence of the line starts: after the metadata suffix. */
    size_t next = used;
    struct vg_ais_meta meta;
    memset(&meta, 0, sizeof(meta));
    meta.rx_time_ms = VG_TIME_NONE;
    if (used > 0) {
        size_t k = used;
        while (k < n && !((s[k] == '\\' || s[k] == '!') && starts_sentence(s + k, n - k))) {
            k++;
        }
        if (used < n && s[used] == ',') {
            parse_suffix(s + used, k - used, meta.station, &meta.rx_time_ms);
        }
        next = k;
    }
    r->cur += next > 0 ? next : n;
    if (used == 0 || next == 0) {
        r->cur = r->line_len;
    }


    /* Receive time and station: TAG block first, then what came with the line, then the
     * wrappers of the previous lines, then the metadata suffix. */
    if (snt.tag.time_ms != VG_TIME_NONE) {
        meta.rx_time_ms = snt.tag.time_ms;
    } else if (r->line_time_ms != VG_TIME_NONE) {
        meta.rx_time_ms = r->line_time_ms;
    } else if (first && r->pghp_pending &&
               (r->pghp_checksum < 0 || r->pghp_checksum == snt.checksum || snt.total > 1)) {
        /* For a multi-sentence message cc is checked when the message is complete. */
        meta.rx_time_ms = r->pghp_time_ms;
        if (snt.total > 1) {
            pghp_checksum = r->pghp_checksum;
        }
    } else if (first && r->tag_pending && r->tag_time_ms != VG_TIME_NONE) {
        meta.rx_time_ms = r->tag_time_ms;
    }
    if (snt.tag.source.len > 0) {
        copy_station(meta.station, snt.tag.source.ptr, snt.tag.source.len);
    } else if (first && r->tag_pending && r->tag_station[0] != '\0') {
        memcpy(meta.station, r->tag_station, sizeof(meta.station));
    }
    if (first) {
        r->pghp_pending = false;
        r->tag_pending = false;
    }
    if (st != VG_OK) {
        return reject_here(r, err, st, col - 1 + (err != NULL && err->column > 0 ? err->column : 1),
                           item);
    }
    memcpy(meta.talker, snt.talker, sizeof(meta.talker));
    meta.own = snt.own;
    meta.channel = snt.channel;
    meta.fragments = 1;
    meta.line = r->line_no;
    meta.offset = r->line_offset;
    meta.item = item;

    /* The TAG block group, when present, must agree with the sentence's own numbering. */
    if (snt.tag.group_total > 0 &&
        (snt.tag.group_total != snt.total || snt.tag.group_sentence != snt.number)) {
        vg_error_set(err, VG_EPARSE,
                     "bad tag block group: sentence %u of %u, but the sentence says fragment "
                     "%u of %u",
                     (unsigned)snt.tag.group_sentence, (unsigned)snt.tag.group_total,
                     (unsigned)snt.number, (unsigned)snt.total);
        *event = true;
        return reject_here(r, err, VG_EPARSE, col, item);
    }

    if (snt.payload.len > VG_AIS_MAX_CHARS) {
        vg_error_set(err, VG_ELIMIT,
                     "payload of %zu characters is longer than any AIS message (%d bits)",
                     snt.payload.len, VG_AIS_MAX_BITS);
        *event = true;
        return reject_here(r, err, VG_ELIMIT, col, item);
    }

    if (snt.total == 1) {
        *event = true;
        st = vg_ais_decode(snt.payload.ptr, snt.payload.len, snt.fill, msg, err);
        if (st != VG_OK) {
            return reject_here(r, err, st, col, item);
        }
        msg->meta = meta;
        r->counts.messages++;
        r->counts.by_type[msg->type]++;
        return VG_OK;
    }
    if (snt.payload.len == 0) {
        vg_error_set(err, VG_EPARSE, "empty payload in fragment %u of %u",
                     (unsigned)snt.number, (unsigned)snt.total);
        *event = true;
        return reject_here(r, err, VG_EPARSE, col, item);
    }
    return add_fragment(r, &snt, &meta, (uint32_t)col, pghp_checksum, msg, event, err);
}

enum vg_status vg_ais_reader_next(struct vg_ais_reader *r, struct vg_ais_msg *msg,
                                  struct vg_error *err)
{
    for (;;) {
        if (r->used_slots > 0 && r->seen - r->oldest_born > r->opt.max_age) {
            struct slot *old = oldest_slot(r);
            {
                char why[96];
                snprintf(why, sizeof(why), "the rest did not arrive within %u sentences",
                         (unsigned)r->opt.max_age);
                return slot_reject(r, old, VG_ETRUNC, why, err);
            }
        }
        if (!r->in_line) {
            if (!next_line(r)) {
                if (r->finishing && r->used_slots > 0) {
                    return slot_reject(r, oldest_slot(r), VG_ETRUNC,
                                       "the rest did not arrive before the end of input", err);
                }
                return VG_ENOTFOUND;
            }
            enum vg_status st;
            int c = classify_line(r, &st, err);
            if (c < 0) {
                return st;
            }
            if (c == 0) {
                continue;
            }
            r->in_line = true;
        }
        while (r->cur < r->line_len && is_space(r->line[r->cur])) {
            r->cur++;
        }
        if (r->cur >= r->line_len ||
            !starts_sentence(r->line + r->cur, r->line_len - r->cur)) {
            /* End of line, or trailing text that is not a sentence. */
            if (r->line_first) {
                r->counts.skipped++;
            }
            r->in_line = false;
            continue;
        }
        bool event;
        enum vg_status st = handle_sentence(r, msg, &event, err);
        if (st != VG_OK || event) {
            return st;
        }
    }
}
