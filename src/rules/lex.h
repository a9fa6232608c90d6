/*
 * The rule-language lexer (private to the compiler). Tokens are lexed on demand, so the
 * parser can ask for a "word" (rule ids, versions: SEAL-01, 2024.1) where an ordinary
 * token would split at '-' or '.', and can save and restore the lexer to look ahead.
 */
#ifndef VIGIA_RULES_LEX_H
#define VIGIA_RULES_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vigia/arena.h>
#include <vigia/slice.h>
#include <vigia/status.h>

enum tok_kind {
    TK_EOF = 0,
    TK_NL,     /* end of a line (not produced while lexer.nest > 0) */
    TK_IDENT,  /* [A-Za-z_][A-Za-z0-9_]*: keywords, features, lists */
    TK_WORD,   /* word mode only: [A-Za-z0-9_.:/-]+ */
    TK_NUMBER, /* 12, 0.75, 1e3 */
    TK_STRING, /* "text" with \" and \\ escapes, decoded into str */
    TK_DATE,   /* 2024-05-03 */
    TK_EQ,     /* = or == */
    TK_NE,
    TK_LT,
    TK_LE,
    TK_GT,
    TK_GE,
    TK_PLUS,
    TK_MINUS,
    TK_STAR,
    TK_SLASH,
    TK_LPAREN,
    TK_RPAREN,
    TK_COMMA,
    TK_ERROR, /* never produced by the lexer: the parser marks a token it refused */
};

struct tok {
    enum tok_kind kind;
    size_t off;           /* byte offset of the token in the source */
    size_t len;           /* raw length in the source */
    uint32_t line, col;   /* 1-based; col counts bytes */
    bool first;           /* the first token of its line */
    double num;           /* TK_NUMBER */
    int64_t date;         /* TK_DATE: day start, UTC */
    struct vg_slice str;  /* TK_STRING: decoded (arena); TK_IDENT, TK_WORD: raw */
};

struct lexer {
    const char *src;
    size_t len;
    size_t pos;
    uint32_t line;
    size_t line_start; /* offset of the current line's first byte */
    int nest;          /* open parentheses: newlines are white space inside them */
    bool mid_line;     /* a token was lexed on the current line */
    struct vg_arena *arena;
};

/* Prepares a lexer over src[0..len) (borrowed). Strings are decoded into arena. */
void vg__lex_init(struct lexer *lx, const char *src, size_t len, struct vg_arena *arena);

/*
 * Lexes the next token into *t. word: lex a TK_WORD (or a TK_STRING when a quote comes
 * first) instead of an ordinary token. Returns VG_OK, VG_ENOMEM, or VG_EPARSE with a
 * message in msg[0..msgsize) and the position of the fault in *t; after an error the lexer
 * has moved past the fault, so lexing can go on.
 */
enum vg_status vg__lex_next(struct lexer *lx, struct tok *t, bool word, char *msg,
                            size_t msgsize);

#endif
