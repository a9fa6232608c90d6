/*
 * Rule-language lexer (lex.h). Hand-written: one pass over the bytes, positions in lines
 * and byte columns, no allocation except for decoded strings. The lexical grammar is in
 * docs/rules.md ("Lexical structure").
 */
#include "rules/lex.h"

#include <stdio.h>
#include <string.h>

#include <vigia/charset.h>
#include <vigia/rules.h>
#include <vigia/time.h>

void vg__lex_init(struct lexer *lx, const char *src, size_t len, struct vg_arena *arena)
{
    memset(lx, 0, sizeof(*lx));
    lx->src = src;
    lx->len = len;
    lx->line = 1;
    lx->arena = arena;
    /* A UTF-8 byte-order mark, as some editors write, is not part of the text; columns
     * count from after it. */
    if (len >= 3 && (unsigned char)src[0] == 0xEF && (unsigned char)src[1] == 0xBB &&
        (unsigned char)src[2] == 0xBF) {
        lx->pos = 3;
        lx->line_start = 3;
    }
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_word_char(char c)
{
    return is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == ':' || c == '/';
}

static void start_token(const struct lexer *lx, struct tok *t)
{
    t->off = lx->pos;
    t->line = lx->line;
    t->col = (uint32_t)(lx->pos - lx->line_start + 1);
    t->len = 0;
    t->str = VG_SLICE_EMPTY;
}

/* Describes the byte at p for an error message: 'x' when printable, else its code. */
static void describe_byte(unsigned char c, char *buf, size_t size)
{
    if (c >= 0x21 && c < 0x7F) {
        snprintf(buf, size, "'%c'", c);
    } else {
        snprintf(buf, size, "byte 0x%02X", c);
    }
}

/* Skips blanks, comments and (inside parentheses) line ends. */
static void skip_space(struct lexer *lx)
{
    while (lx->pos < lx->len) {
        char c = lx->src[lx->pos];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            lx->pos++;
        } else if (c == '#') {
            while (lx->pos < lx->len && lx->src[lx->pos] != '\n') {
                lx->pos++;
            }
        } else if (c == '\n' && lx->nest > 0) {
            lx->pos++;
            lx->line++;
            lx->line_start = lx->pos;
            lx->mid_line = false;
        } else {
            return;
        }
    }
}

/*
 * Text in double quotes. It may span lines: a line break and the blanks around it read as
 * one space, so long rationales can be wrapped. \" and \\ are the only escapes.
 */
static enum vg_status lex_string(struct lexer *lx, struct tok *t, char *msg, size_t msgsize)
{
    const char *src = lx->src;
    size_t p = lx->pos + 1; /* after the opening quote */
    uint32_t line = lx->line;
    size_t line_start = lx->line_start;
    /* The first fault, reported after the scan has found the end of the text. */
    size_t fault = SIZE_MAX;
    uint32_t fault_line = 0, fault_col = 0;
    const char *fault_msg = NULL;
    unsigned char fault_byte = 0;
    for (;;) {
        if (p >= lx->len) {
            lx->pos = p;
            lx->line = line;
            lx->line_start = line_start;
            snprintf(msg, msgsize, "text is not closed with '\"'");
            return VG_EPARSE;
        }
        char c = src[p];
        if (c == '"') {
            break;
        }
        const char *problem = NULL;
        if (c == '\\') {
            char e = p + 1 < lx->len ? src[p + 1] : '\0';
            if (e == '"' || e == '\\') {
                p += 2;
                continue;
            }
            problem = "unknown escape in text (only \\\" and \\\\ are allowed)";
        } else if (c == '\n') {
            line++;
            line_start = p + 1;
        } else if ((unsigned char)c < 0x20 && c != '\t' && c != '\r') {
            problem = "control character";
        }
        if (problem != NULL && fault == SIZE_MAX) {
            fault = p;
            fault_line = line;
            fault_col = (uint32_t)(p - line_start + 1);
            fault_msg = problem;
            fault_byte = (unsigned char)c;
        }
        p++;
    }
    const char *body = src + lx->pos + 1;
    size_t raw = p - (lx->pos + 1);
    lx->pos = p + 1;
    lx->line = line;
    lx->line_start = line_start;
    t->len = lx->pos - t->off;
    if (fault != SIZE_MAX) {
        t->off = fault;
        t->line = fault_line;
        t->col = fault_col;
        if (fault_byte == '\\') {
            snprintf(msg, msgsize, "%s", fault_msg);
        } else {
            snprintf(msg, msgsize, "%s 0x%02X in text", fault_msg, fault_byte);
        }
        return VG_EPARSE;
    }
    if (!vg_utf8_valid(body, raw)) {
        snprintf(msg, msgsize, "text is not valid UTF-8");
        return VG_EPARSE;
    }
    char *s = vg_arena_alloc(lx->arena, raw + 1);
    if (s == NULL) {
        return VG_ENOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < raw; i++) {
        char c = body[i];
        if (c == '\\') {
            s[n++] = body[++i];
        } else if (c == '\n' || c == '\r') {
            /* Fold the line break and the blanks around it into one space. */
            while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) {
                n--;
            }
            while (i + 1 < raw && (body[i + 1] == ' ' || body[i + 1] == '\t' ||
                                   body[i + 1] == '\n' || body[i + 1] == '\r')) {
                i++;
            }
            if (n > 0 && i + 1 < raw) {
                s[n++] = ' ';
            }
        } else {
            s[n++] = c;
        }
    }
    s[n] = '\0';
    if (n > VG_RULES_MAX_STRING) {
        snprintf(msg, msgsize, "text is longer than %u bytes", (unsigned)VG_RULES_MAX_STRING);
        return VG_EPARSE;
    }
    t->kind = TK_STRING;
    t->str = vg_slice_make(s, n);
    return VG_OK;
}

/* True when src[p..] holds a date YYYY-MM-DD that is not followed by more word bytes. */
static bool looks_like_date(const struct lexer *lx, size_t p)
{
    static const char shape[] = "dddd-dd-dd";
    if (lx->len - p < 10) {
        return false;
    }
    for (size_t i = 0; i < 10; i++) {
        char c = lx->src[p + i];
        if (shape[i] == 'd' ? !is_digit(c) : c != '-') {
            return false;
        }
    }
    return p + 10 >= lx->len || !(is_alpha(lx->src[p + 10]) || is_digit(lx->src[p + 10]));
}

static int digits_value(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static enum vg_status lex_number(struct lexer *lx, struct tok *t, char *msg, size_t msgsize)
{
    const char *s = lx->src;
    size_t p = lx->pos;
    if (looks_like_date(lx, p)) {
        int y = digits_value(s + p, 4), m = digits_value(s + p + 5, 2),
            d = digits_value(s + p + 8, 2);
        lx->pos = p + 10;
        t->len = 10;
        if (!vg_civil_valid(y, m, d, 0, 0, 0)) {
            snprintf(msg, msgsize, "%.10s is not a calendar date", s + p);
            return VG_EPARSE;
        }
        t->kind = TK_DATE;
        t->date = vg_time_from_civil(y, m, d, 0, 0, 0);
        return VG_OK;
    }
    while (p < lx->len && is_digit(s[p])) {
        p++;
    }
    if (p + 1 < lx->len && s[p] == '.' && is_digit(s[p + 1])) {
        p++;
        while (p < lx->len && is_digit(s[p])) {
            p++;
        }
    }
    if (p < lx->len && (s[p] == 'e' || s[p] == 'E')) {
        size_t q = p + 1;
        if (q < lx->len && (s[q] == '+' || s[q] == '-')) {
            q++;
        }
        if (q < lx->len && is_digit(s[q])) {
            p = q;
            while (p < lx->len && is_digit(s[p])) {
                p++;
            }
        }
    }
    size_t end = p;
    /* A number runs into letters or a second decimal point: report the whole run. */
    while (p < lx->len && (is_alpha(s[p]) || is_digit(s[p]) || s[p] == '.')) {
        p++;
    }
    lx->pos = p;
    t->len = p - t->off;
    if (p != end) {
        snprintf(msg, msgsize, "'%.*s' is not a number", (int)(t->len > 40 ? 40 : t->len),
                 s + t->off);
        return VG_EPARSE;
    }
    double v;
    if (vg_slice_to_double(vg_slice_make(s + t->off, t->len), &v) != VG_OK) {
        snprintf(msg, msgsize, "number '%.*s' is out of range", (int)(t->len > 40 ? 40 : t->len),
                 s + t->off);
        return VG_EPARSE;
    }
    t->kind = TK_NUMBER;
    t->num = v;
    return VG_OK;
}

static enum vg_status lex_operator(struct lexer *lx, struct tok *t, char *msg, size_t msgsize)
{
    char c = lx->src[lx->pos];
    char n = lx->pos + 1 < lx->len ? lx->src[lx->pos + 1] : '\0';
    size_t len = 1;
    switch (c) {
    case '=':
        t->kind = TK_EQ;
        len = n == '=' ? 2 : 1;
        break;
    case '!':
        if (n != '=') {
            lx->pos++;
            t->len = 1;
            snprintf(msg, msgsize, "unexpected '!' (write 'not' to negate, '!=' for unequal)");
            return VG_EPARSE;
        }
        t->kind = TK_NE;
        len = 2;
        break;
    case '<':
        t->kind = n == '=' ? TK_LE : TK_LT;
        len = n == '=' ? 2 : 1;
        break;
    case '>':
        t->kind = n == '=' ? TK_GE : TK_GT;
        len = n == '=' ? 2 : 1;
        break;
    case '+':
        t->kind = TK_PLUS;
        break;
    case '-':
        t->kind = TK_MINUS;
        break;
    case '*':
        t->kind = TK_STAR;
        break;
    case '/':
        t->kind = TK_SLASH;
        break;
    case '(':
        t->kind = TK_LPAREN;
        break;
    case ')':
        t->kind = TK_RPAREN;
        break;
    case ',':
        t->kind = TK_COMMA;
        break;
    default: {
        char what[16];
        describe_byte((unsigned char)c, what, sizeof(what));
        lx->pos++;
        t->len = 1;
        if ((unsigned char)c >= 0x80) {
            snprintf(msg, msgsize, "unexpected %s (text belongs between double quotes)", what);
        } else if (c == '\'') {
            snprintf(msg, msgsize, "unexpected \"'\" (text is written between double quotes)");
        } else if (c == '&' || c == '|') {
            snprintf(msg, msgsize, "unexpected %s (write '%s')", what, c == '&' ? "and" : "or");
        } else {
            snprintf(msg, msgsize, "unexpected %s", what);
        }
        return VG_EPARSE;
    }
    }
    lx->pos += len;
    t->len = len;
    return VG_OK;
}

enum vg_status vg__lex_next(struct lexer *lx, struct tok *t, bool word, char *msg,
                            size_t msgsize)
{
    skip_space(lx);
    start_token(lx, t);
    t->first = !lx->mid_line;
    if (lx->pos >= lx->len) {
        t->kind = TK_EOF;
        return VG_OK;
    }
    char c = lx->src[lx->pos];
    if (c == '\n') {
        t->kind = TK_NL;
        t->len = 1;
        lx->pos++;
        lx->line++;
        lx->line_start = lx->pos;
        lx->mid_line = false;
        return VG_OK;
    }
    lx->mid_line = true;
    if (c == '"') {
        return lex_string(lx, t, msg, msgsize);
    }
    if (word && is_word_char(c)) {
        size_t p = lx->pos;
        while (p < lx->len && is_word_char(lx->src[p])) {
            p++;
        }
        t->kind = TK_WORD;
        t->len = p - lx->pos;
        t->str = vg_slice_make(lx->src + lx->pos, t->len);
        lx->pos = p;
        return VG_OK;
    }
    if (is_alpha(c)) {
        size_t p = lx->pos;
        while (p < lx->len && (is_alpha(lx->src[p]) || is_digit(lx->src[p]))) {
            p++;
        }
        t->kind = TK_IDENT;
        t->len = p - lx->pos;
        t->str = vg_slice_make(lx->src + lx->pos, t->len);
        lx->pos = p;
        if (t->len > 64) {
            snprintf(msg, msgsize, "name is longer than 64 characters");
            return VG_EPARSE;
        }
        return VG_OK;
    }
    if (is_digit(c)) {
        return lex_number(lx, t, msg, msgsize);
    }
    return lex_operator(lx, t, msg, msgsize);
}
