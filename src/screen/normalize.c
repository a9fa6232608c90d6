/*
 * Name normalisation (vigia/screen.h): from a name as written to match tokens.
 *
 * 1. Folding. Every code point goes through utf8proc with compatibility decomposition,
 *    case folding, mark stripping, default-ignorable removal and lumping (the
 *    NFKC_Casefold family of UAX #15 and UAX #44, with accents removed), so that "José",
 *    "JOSE" and "Ｊｏｓé" give the same letters. Latin letters that do not decompose (ø,
 *    æ, œ, ł, đ, ð, þ, ı) are spelled out in ASCII. Plain ASCII skips utf8proc.
 * 2. Tokens. Letters and digits make tokens; everything else separates them, except an
 *    apostrophe inside a word (O'BRIEN -> OBRIEN) and a dot after a single letter followed
 *    by a letter, which joins abbreviations (S.A.C. -> SAC, E.I.R.L. -> EIRL, J.P. -> JP).
 * 3. Persons. With one comma, a name reads "SURNAMES, Given names" the way OFAC and most
 *    registries write persons; the given names are put first and each token gets its role
 *    (first or other given name, first or other surname), which the matcher uses: a
 *    missing second given name or maternal surname costs less than a missing first one.
 * 4. Legal forms (legal.c) at the end of an organisation's name, and a few that stand at
 *    the start (OOO, JSC, PT...), are set apart, as are particles (DE, DEL, LA, Y...).
 *    They become optional tokens: never counted against a match, able to complete one.
 *    Persons and vessels keep every word but particles, except a vessel's type
 *    designation before its name (M/V, MV, M/N, B/M, MT, MS: motor vessel, motonave, buque
 *    motor, motor tanker, motor ship), which is set apart the same way (never completing
 *    a match): "M/V SEA STAR" is the vessel SEA STAR.
 * 5. The key (fingerprint) is the match tokens joined by single spaces.
 */
#include "screen/screen_int.h"

#include <string.h>
#include <utf8proc.h>

#define RAW_MAX 40 /* raw tokens read before stripping; more are dropped */

enum ch_class { CH_WORD, CH_DOT, CH_COMMA, CH_JOIN, CH_SEP };

struct raw_token {
    char text[VG_NAME_TOKEN_SIZE];
    uint8_t len;
    uint8_t chars; /* code points */
    bool ascii;    /* only A-Z, 0-9 */
    bool digit;    /* holds a digit */
};

struct tokenizer {
    struct raw_token tok[RAW_MAX];
    size_t n;
    size_t first_comma; /* raw tokens before the first comma */
    int commas;
    bool truncated;
    /* token being built */
    struct raw_token cur;
    unsigned seg;      /* code points since the token start or the last joining dot */
    bool pending_dot;  /* a dot after a one-letter segment: joins if a letter follows */
    bool pending_join; /* an apostrophe inside a word */
};

static void tk_end(struct tokenizer *t)
{
    t->pending_dot = false;
    t->pending_join = false;
    if (t->cur.len == 0) {
        return;
    }
    if (t->n < RAW_MAX) {
        t->cur.text[t->cur.len] = '\0';
        t->tok[t->n++] = t->cur;
    } else {
        t->truncated = true;
    }
    memset(&t->cur, 0, sizeof(t->cur));
    t->cur.ascii = true;
    t->seg = 0;
}

/* Appends the UTF-8 bytes of one word character to the current token. */
static void tk_word(struct tokenizer *t, const char *bytes, size_t n, bool ascii, bool digit)
{
    if (t->pending_dot || t->pending_join) {
        if (t->pending_dot) {
            t->seg = 0;
        }
        t->pending_dot = false;
        t->pending_join = false;
    }
    if ((size_t)t->cur.len + n < VG_NAME_TOKEN_SIZE) {
        memcpy(t->cur.text + t->cur.len, bytes, n);
        t->cur.len = (uint8_t)(t->cur.len + n);
        t->cur.chars++;
        t->cur.ascii = t->cur.ascii && ascii;
        t->cur.digit = t->cur.digit || digit;
    } else {
        t->truncated = true;
    }
    t->seg++;
}

static void tk_punct(struct tokenizer *t, enum ch_class c)
{
    bool had_pending = t->pending_dot || t->pending_join;
    switch (c) {
    case CH_DOT:
        if (!had_pending && t->cur.len > 0 && t->seg == 1) {
            t->pending_dot = true;
            return;
        }
        tk_end(t);
        return;
    case CH_JOIN:
        if (!had_pending && t->cur.len > 0) {
            t->pending_join = true;
            return;
        }
        tk_end(t);
        return;
    case CH_COMMA:
        tk_end(t);
        if (t->commas++ == 0) {
            t->first_comma = t->n;
        }
        return;
    case CH_WORD:
    case CH_SEP:
        break;
    }
    tk_end(t);
}

static void tk_ascii(struct tokenizer *t, unsigned char c)
{
    if (c >= 'a' && c <= 'z') {
        char u = (char)(c - 'a' + 'A');
        tk_word(t, &u, 1, true, false);
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        char u = (char)c;
        tk_word(t, &u, 1, true, c <= '9');
    } else if (c == '.') {
        tk_punct(t, CH_DOT);
    } else if (c == ',') {
        tk_punct(t, CH_COMMA);
    } else if (c == '\'' || c == '`') {
        tk_punct(t, CH_JOIN);
    } else {
        tk_punct(t, CH_SEP);
    }
}

/* Latin letters without a decomposition, after case folding, spelled in ASCII. */
static const char *latin_extra(int32_t cp)
{
    switch (cp) {
    case 0x00F8:
        return "O"; /* ø */
    case 0x00E6:
        return "AE"; /* æ */
    case 0x0153:
        return "OE"; /* œ */
    case 0x0142:
        return "L"; /* ł */
    case 0x0111:
        return "D"; /* đ */
    case 0x00F0:
        return "D"; /* ð */
    case 0x00FE:
        return "TH"; /* þ */
    case 0x0131:
        return "I"; /* dotless ı */
    case 0x0127:
        return "H"; /* ħ */
    case 0x0167:
        return "T"; /* ŧ */
    case 0x0138:
        return "K"; /* ĸ */
    case 0x014B:
        return "N"; /* ŋ */
    default:
        return NULL;
    }
}

static void tk_codepoint(struct tokenizer *t, int32_t cp)
{
    if (cp < 0x80) {
        tk_ascii(t, (unsigned char)cp);
        return;
    }
    const char *extra = latin_extra(cp);
    if (extra != NULL) {
        for (; *extra != '\0'; extra++) {
            tk_ascii(t, (unsigned char)*extra);
        }
        return;
    }
    utf8proc_category_t cat = utf8proc_category(cp);
    bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
    bool number = cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO;
    bool mark = cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME;
    if (mark) {
        return;
    }
    if (!letter && !number) {
        tk_punct(t, CH_SEP);
        return;
    }
    utf8proc_uint8_t bytes[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, bytes);
    if (n > 0) {
        tk_word(t, (const char *)bytes, (size_t)n, false, number);
    }
}

static void tokenize(struct tokenizer *t, const char *text, size_t len)
{
    /* tok[] is written before it is read (below n): not cleared, a name is normalised for
     * every party of every consignment an ingest reads. */
    t->n = 0;
    t->first_comma = 0;
    t->commas = 0;
    t->truncated = false;
    memset(&t->cur, 0, sizeof(t->cur));
    t->cur.ascii = true;
    t->seg = 0;
    t->pending_dot = false;
    t->pending_join = false;
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            tk_ascii(t, p[i]);
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0) {
            tk_punct(t, CH_SEP); /* an invalid byte separates tokens */
            i++;
            continue;
        }
        i += (size_t)k;
        utf8proc_int32_t out[24];
        utf8proc_ssize_t m = utf8proc_decompose_char(
            cp, out, 24,
            UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
                UTF8PROC_IGNORE | UTF8PROC_LUMP | UTF8PROC_STRIPNA,
            NULL);
        if (m < 0 || m > 24) {
            tk_punct(t, CH_SEP);
            continue;
        }
        for (utf8proc_ssize_t j = 0; j < m; j++) {
            tk_codepoint(t, out[j]);
        }
    }
    tk_end(t);
}

/* ---- legal forms, particles, roles ------------------------------------------------------ */

struct span {
    const struct raw_token *tok[RAW_MAX];
    size_t n;
};

static void
span_words(const struct span *s, size_t from, size_t n, const char **words, uint8_t *lens)
{
    for (size_t i = 0; i < n; i++) {
        words[i] = s->tok[from + i]->text;
        lens[i] = s->tok[from + i]->len;
    }
}

/*
 * A run of one-letter tokens at the end ("S A C" from "S. A. C.") that spells a legal
 * form: returns how many tokens it covers (at least 2), 0 otherwise.
 */
static size_t trailing_letters_form(const struct span *s)
{
    size_t run = 0;
    while (run < s->n && run < 8 && s->tok[s->n - 1 - run]->chars == 1 &&
           s->tok[s->n - 1 - run]->ascii) {
        run++;
    }
    for (size_t k = run; k >= 2; k--) {
        char merged[9];
        for (size_t i = 0; i < k; i++) {
            merged[i] = s->tok[s->n - k + i]->text[0];
        }
        merged[k] = '\0';
        const char *w = merged;
        uint8_t l = (uint8_t)k;
        if (vg__legal_form_match(&w, &l, 1, LEGAL_END) == 1) {
            return k;
        }
    }
    return 0;
}

/* Strips legal forms from the end (and from the start when start is set) of s, moving
 * them to removed; stops before s would become empty unless allow_empty. */
static void strip_legal(struct span *s, struct span *removed, bool start, bool allow_empty)
{
    const char *words[RAW_MAX];
    uint8_t lens[RAW_MAX];
    for (;;) {
        size_t k = trailing_letters_form(s);
        if (k == 0) {
            span_words(s, 0, s->n, words, lens);
            k = vg__legal_form_match(words, lens, s->n, LEGAL_END);
        }
        if (k == 0 || (k >= s->n && !allow_empty)) {
            break;
        }
        /* Removed tokens keep reading order: the last form found goes before the others. */
        memmove(removed->tok + k, removed->tok, removed->n * sizeof(removed->tok[0]));
        for (size_t i = 0; i < k; i++) {
            removed->tok[i] = s->tok[s->n - k + i];
        }
        removed->n += k;
        s->n -= k;
    }
    while (start) {
        span_words(s, 0, s->n, words, lens);
        size_t k = vg__legal_form_match(words, lens, s->n, LEGAL_START);
        if (k == 0 || (k >= s->n && !allow_empty)) {
            break;
        }
        memmove(removed->tok + k, removed->tok, removed->n * sizeof(removed->tok[0]));
        for (size_t i = 0; i < k; i++) {
            removed->tok[i] = s->tok[i];
        }
        removed->n += k;
        memmove(s->tok, s->tok + k, (s->n - k) * sizeof(s->tok[0]));
        s->n -= k;
    }
}

static void copy_token(struct vg_name_token *dst,
                       const struct raw_token *src,
                       uint8_t role,
                       uint8_t extra_flags)
{
    memcpy(dst->text, src->text, (size_t)src->len + 1);
    dst->len = src->len;
    dst->role = role;
    dst->flags = extra_flags;
    if (src->digit) {
        dst->flags |= VG_TOKEN_NUMBER;
    }
    if (src->chars == 1) {
        dst->flags |= VG_TOKEN_INITIAL;
    }
    if (src->ascii) {
        dst->flags |= VG_TOKEN_ASCII;
    }
}

static void add_optional(struct vg_name *out, const struct raw_token *t, uint8_t flag)
{
    if (out->noptional < VG_NAME_MAX_OPTIONAL) {
        copy_token(&out->optional[out->noptional++], t, VG_ROLE_NONE, flag);
    } else {
        out->truncated = true;
    }
}

/* Appends the match tokens of part (dropping particles) with roles first/other. */
static void add_part(struct vg_name *out,
                     const struct span *part,
                     uint8_t first_role,
                     uint8_t other_role,
                     bool keep_particles)
{
    bool first = true;
    for (size_t i = 0; i < part->n; i++) {
        const struct raw_token *t = part->tok[i];
        if (!keep_particles && vg__is_particle(t->text, t->len)) {
            add_optional(out, t, VG_TOKEN_PARTICLE);
            continue;
        }
        if (out->ntokens >= VG_NAME_MAX_TOKENS) {
            out->truncated = true;
            continue;
        }
        copy_token(&out->tokens[out->ntokens++], t, first ? first_role : other_role, 0);
        first = false;
    }
}

/* The type designations senders put before a vessel's name, as the tokenizer leaves them:
 * "M/V" is M V, "M.V." is MV. */
static const char *const vessel_types[][2] = {
    { "MV", NULL }, { "M", "V" },   { "MN", NULL }, { "M", "N" },   { "BM", NULL },
    { "B", "M" },   { "MT", NULL }, { "M", "T" },   { "MS", NULL }, { "M", "S" },
};

/* How many tokens at the start of s are a vessel's type designation: 0 when there is none,
 * or when what follows would hold no word (a seal "MS 12345" keeps its letters). */
static size_t vessel_type_prefix(const struct span *s)
{
    for (size_t i = 0; i < sizeof(vessel_types) / sizeof(vessel_types[0]); i++) {
        size_t k = vessel_types[i][1] != NULL ? 2 : 1;
        if (s->n <= k || strcmp(s->tok[0]->text, vessel_types[i][0]) != 0 ||
            (k == 2 && strcmp(s->tok[1]->text, vessel_types[i][1]) != 0)) {
            continue;
        }
        for (size_t j = k; j < s->n; j++) {
            if (!s->tok[j]->digit) {
                return k;
            }
        }
        return 0;
    }
    return 0;
}

static size_t count_non_particles(const struct span *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++) {
        n += !vg__is_particle(s->tok[i]->text, s->tok[i]->len);
    }
    return n;
}

static void make_key(struct vg_name *out)
{
    size_t k = 0;
    for (size_t i = 0; i < out->ntokens; i++) {
        size_t l = out->tokens[i].len;
        if (k + l + (i > 0) >= sizeof(out->key)) {
            break;
        }
        if (i > 0) {
            out->key[k++] = ' ';
        }
        memcpy(out->key + k, out->tokens[i].text, l);
        k += l;
    }
    out->key[k] = '\0';
}

static void describe_legal(struct vg_name *out, const struct span *removed)
{
    size_t k = 0;
    for (size_t i = 0; i < removed->n; i++) {
        size_t l = removed->tok[i]->len;
        if (k + l + 2 >= sizeof(out->legal_forms)) {
            break;
        }
        if (i > 0) {
            out->legal_forms[k++] = ' ';
        }
        memcpy(out->legal_forms + k, removed->tok[i]->text, l);
        k += l;
    }
    out->legal_forms[k] = '\0';
}

void vg_name_normalize(const char *text, size_t len, enum vg_name_kind hint, struct vg_name *out)
{
    /* The token arrays are filled up to their counts (vigia/screen.h: entries beyond them
     * are unspecified); clearing all 1.6 KB was most of a short name's cost. */
    out->ntokens = 0;
    out->noptional = 0;
    out->person = false;
    out->truncated = false;
    out->legal_forms[0] = '\0';
    out->key[0] = '\0';
    struct tokenizer t;
    tokenize(&t, text != NULL ? text : "", text != NULL ? len : 0);
    out->truncated = t.truncated;

    struct span all = { .n = t.n };
    for (size_t i = 0; i < t.n; i++) {
        all.tok[i] = &t.tok[i];
    }
    struct span before = { .n = 0 }, after = { .n = 0 }, removed = { .n = 0 };
    bool split = false;
    if (t.commas > 0 && t.first_comma > 0 && t.first_comma < t.n &&
        (hint == VG_NAME_PERSON || (hint == VG_NAME_UNKNOWN && t.commas == 1))) {
        before.n = t.first_comma;
        memcpy(before.tok, all.tok, before.n * sizeof(all.tok[0]));
        after.n = t.n - t.first_comma;
        memcpy(after.tok, all.tok + t.first_comma, after.n * sizeof(all.tok[0]));
        split = true;
        if (hint == VG_NAME_UNKNOWN) {
            /* "CECOEX, S.A." and "ANGLO-CARIBBEAN CO., LTD." are organisations: what follows
             * the comma is only a legal form. */
            struct span probe = after, gone = { .n = 0 };
            strip_legal(&probe, &gone, false, true);
            if (probe.n == 0 || count_non_particles(&before) == 0 ||
                count_non_particles(&after) == 0) {
                split = false;
            }
        }
    }

    if (split) {
        out->person = true;
        add_part(out, &after, VG_ROLE_GIVEN, VG_ROLE_GIVEN_OTHER, false);
        add_part(out, &before, VG_ROLE_SURNAME, VG_ROLE_SURNAME_OTHER, false);
    } else {
        struct span body = all;
        if (hint == VG_NAME_ORGANIZATION || hint == VG_NAME_UNKNOWN) {
            strip_legal(&body, &removed, true, false);
        }
        size_t type_words = hint == VG_NAME_VESSEL ? vessel_type_prefix(&body) : 0;
        for (size_t i = 0; i < type_words; i++) {
            add_optional(out, body.tok[i], VG_TOKEN_TYPE);
        }
        memmove(body.tok, body.tok + type_words, (body.n - type_words) * sizeof(body.tok[0]));
        body.n -= type_words;
        bool keep_particles = count_non_particles(&body) == 0;
        add_part(out, &body, VG_ROLE_NONE, VG_ROLE_NONE, keep_particles);
        for (size_t i = 0; i < removed.n; i++) {
            add_optional(out, removed.tok[i], VG_TOKEN_LEGAL);
        }
        describe_legal(out, &removed);
    }
    make_key(out);
}

size_t vg_name_key(const char *text, size_t len, enum vg_name_kind hint, char *out, size_t size)
{
    struct vg_name n;
    vg_name_normalize(text, len, hint, &n);
    size_t l = strlen(n.key);
    if (size > 0) {
        size_t c = l < size - 1 ? l : size - 1;
        memcpy(out, n.key, c);
        out[c] = '\0';
    }
    return l;
}
