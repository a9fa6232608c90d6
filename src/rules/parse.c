/*
 * Rule-language compiler (vigia/rules.h): a recursive-descent parser over the on-demand
 * lexer of lex.c that builds, type-checks and resolves the expression trees of
 * rules_int.h in one pass. The grammar is in docs/rules.md; in short:
 *
 *   file      = header { list | rule }
 *   header    = "ruleset" WORD NL { ("version" WORD | "valid_from" DATE | "valid_to" DATE
 *               | "description" text | "owner" text) NL }
 *   list      = "list" IDENT "=" item { "," item } NL          item = STRING | [-]NUMBER
 *   rule      = "rule" WORD NL { property NL } "end"
 *   property  = "title" text | "rationale" text | "owner" text | "task" text
 *               | "explain" text | "weight" [-]NUMBER | "action" ("score" | "hold")
 *               | "valid_from" DATE | "valid_to" DATE | "review_by" DATE | "when" expr
 *   text      = STRING                      (may span lines: a break reads as one space)
 *   expr      = and { "or" and }            (a line may start with "or" / "and")
 *   and       = not { "and" not }
 *   not       = "not" not | test
 *   test      = sum [ cmp sum | ["not"] "in" set | ["not"] "matches" patterns ]
 *   sum       = product { ("+" | "-") product }
 *   product   = unary { ("*" | "/") unary }
 *   unary     = "-" unary | primary
 *   primary   = NUMBER | STRING | "true" | "false" | FEATURE | "(" expr ")"
 *               | "known" "(" FEATURE ")" | "count" "(" FEATURE ")" | "abs" "(" expr ")"
 *   set       = LIST | FEATURE | "(" item { "," item } ")" | "prefix" "(" str { "," str } ")"
 *   patterns  = STRING | LIST | "(" STRING { "," STRING } ")"
 *
 * Errors are reported with their position and the parser resynchronises (at the next
 * property line inside a rule, at the next `rule` or `list` otherwise), so one run
 * reports every independent error, up to VG_RULES_MAX_ERRORS.
 */
#include "rules/lex.h"
#include "rules/rules_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vigia/alloc.h>
#include <vigia/map.h>
#include <vigia/time.h>

#define TRY(x)                                                                                 \
    do {                                                                                       \
        enum vg_status st_ = (x);                                                              \
        if (st_ != VG_OK) {                                                                    \
            return st_;                                                                        \
        }                                                                                      \
    } while (0)

/* A named list as defined by `list NAME = ...`. */
struct list_def {
    struct vg_slice name;
    bool numeric;
    size_t n;
    struct vg_slice *strs; /* as written, for prefixes and patterns */
    double *nums;
    const struct rset *sorted; /* the membership set, built on first use */
    uint32_t line;
    struct list_def *next;
};

/* Properties of a rule, by the order of names in rule_props[]. */
enum rule_prop {
    RP_TITLE,
    RP_RATIONALE,
    RP_OWNER,
    RP_TASK,
    RP_EXPLAIN,
    RP_WEIGHT,
    RP_ACTION,
    RP_VALID_FROM,
    RP_VALID_TO,
    RP_REVIEW_BY,
    RP_WHEN,
    RP_COUNT
};

static const char *const rule_props[RP_COUNT] = {
    "title",      "rationale", "owner",     "task", "explain", "weight",
    "action",     "valid_from", "valid_to", "review_by", "when",
};

enum set_prop { SP_VERSION, SP_VALID_FROM, SP_VALID_TO, SP_DESCRIPTION, SP_OWNER, SP_COUNT };

static const char *const set_props[SP_COUNT] = {
    "version", "valid_from", "valid_to", "description", "owner",
};

/* Words that cannot name a list: they mean something inside conditions. */
static const char *const reserved[] = {
    "and", "or", "not", "in", "matches", "prefix", "known", "count", "abs", "true", "false",
};

struct rule_build {
    struct rule r;
    struct tok prop_tok[RP_COUNT]; /* where each property was given; line 0 = not given */
    int64_t own_from, own_to;      /* the rule's own dates */
    struct rule_build *next;
};

/* A parsed expression with the source range it came from, for messages. */
struct px {
    struct rx *n;
    struct tok start;
    size_t end; /* offset just past its last token */
};

struct parser {
    struct lexer lx;
    struct tok tok;     /* the current token */
    size_t prev_end;    /* offset just past the previous token */
    struct vg_arena *arena;
    struct vg_rule_set *set;
    const struct vg_feature_schema *schema;
    const char *source;
    vg_rules_diag_fn diag;
    void *user;
    struct vg_error *err;
    unsigned nerrors;
    bool limit_hit;
    bool quiet; /* resynchronising: lexer errors are not reported */
    struct list_def *lists;
    size_t nlists;
    struct vg_map list_names; /* name -> struct list_def * */
    struct rule_build *rules, *rules_tail;
    size_t nrules;
    struct vg_map rule_ids; /* id -> line of its rule */
    /* per rule */
    uint8_t *used;   /* schema->count marks: features the condition reads */
    size_t nodes;
    unsigned rdepth; /* recursion depth of the expression parser */
};

/* ---- errors -------------------------------------------------------------------------- */

static enum vg_status report(struct parser *p, const struct tok *at, const char *fmt, ...)
    VG_PRINTF(3, 4);

static enum vg_status report(struct parser *p, const struct tok *at, const char *fmt, ...)
{
    struct vg_error e;
    vg_error_clear(&e);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof(e.message), fmt, ap);
    va_end(ap);
    e.code = VG_EPARSE;
    vg_error_at(&e, p->source, at->line, at->col, at->off, 0);
    if (p->nerrors < VG_RULES_MAX_ERRORS) {
        if (p->diag != NULL) {
            p->diag(p->user, &e);
        }
        if (p->nerrors == 0 && p->err != NULL) {
            *p->err = e;
        }
    }
    p->nerrors++;
    return VG_EPARSE;
}

/* A short description of a token for "found ..." in messages. */
static const char *describe(const struct parser *p, const struct tok *t, char *buf, size_t size)
{
    switch (t->kind) {
    case TK_EOF:
        return "the end of the file";
    case TK_NL:
        return "the end of the line";
    case TK_STRING:
        snprintf(buf, size, "text \"%.*s%s\"", (int)(t->str.len > 24 ? 24 : t->str.len),
                 t->str.ptr, t->str.len > 24 ? "..." : "");
        return buf;
    default:
        snprintf(buf, size, "'%.*s'", (int)(t->len > 32 ? 32 : t->len), p->lx.src + t->off);
        return buf;
    }
}

#define FOUND(p) describe((p), &(p)->tok, found_buf, sizeof(found_buf))

/* The source text of a parsed expression for messages: on one line (runs of white space
 * folded into one space), shortened to about 40 bytes. */
static const char *snippet(const struct parser *p, const struct px *e, char *buf, size_t size)
{
    size_t n = 0;
    bool space = false;
    for (size_t i = e->start.off; i < e->end && n + 4 < size; i++) {
        char c = p->lx.src[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = n > 0;
            continue;
        }
        if (space) {
            buf[n++] = ' ';
            space = false;
        }
        if (n >= 40) {
            memcpy(buf + n, "...", 3);
            n += 3;
            break;
        }
        buf[n++] = c;
    }
    buf[n] = '\0';
    return buf;
}

/* ---- tokens -------------------------------------------------------------------------- */

static enum vg_status lex(struct parser *p, bool word)
{
    char msg[VG_ERROR_MESSAGE_MAX];
    for (;;) {
        p->prev_end = p->tok.off + p->tok.len;
        struct tok t;
        memset(&t, 0, sizeof(t));
        enum vg_status st = vg__lex_next(&p->lx, &t, word, msg, sizeof(msg));
        if (st == VG_OK) {
            p->tok = t;
            return VG_OK;
        }
        if (st != VG_EPARSE) {
            return st;
        }
        if (!p->quiet) {
            t.kind = TK_ERROR;
            p->tok = t;
            return report(p, &t, "%s", msg);
        }
        /* Resynchronising: skip the bad bytes and keep going. */
    }
}

static enum vg_status next(struct parser *p)
{
    return lex(p, false);
}

static bool is_kw(const struct tok *t, const char *kw)
{
    return t->kind == TK_IDENT && vg_slice_eq_cstr(t->str, kw);
}

static bool at_eol(const struct parser *p)
{
    return p->tok.kind == TK_NL || p->tok.kind == TK_EOF;
}

static enum vg_status skip_nl(struct parser *p)
{
    while (p->tok.kind == TK_NL) {
        TRY(next(p));
    }
    return VG_OK;
}

/* Looks past line ends for keyword kw starting the next line. When it is there the parser
 * moves onto it and *yes is true; otherwise nothing changes. */
static enum vg_status continues_with(struct parser *p, const char *kw, bool *yes)
{
    *yes = is_kw(&p->tok, kw);
    if (*yes || p->tok.kind != TK_NL) {
        return VG_OK;
    }
    struct lexer saved_lx = p->lx;
    struct tok saved_tok = p->tok;
    bool saved_quiet = p->quiet;
    size_t saved_end = p->prev_end;
    p->quiet = true;
    enum vg_status st;
    while ((st = next(p)) == VG_OK) {
        if (p->tok.kind != TK_NL) {
            *yes = is_kw(&p->tok, kw);
            break;
        }
    }
    p->quiet = saved_quiet;
    if (st != VG_OK) {
        return st;
    }
    if (!*yes) {
        p->lx = saved_lx;
        p->tok = saved_tok;
        p->prev_end = saved_end;
    }
    return VG_OK;
}

static enum vg_status expect_eol(struct parser *p, const char *after)
{
    char found_buf[64];
    if (!at_eol(p)) {
        return report(p, &p->tok, "expected the end of the line after %s, found %s", after,
                      FOUND(p));
    }
    return VG_OK;
}

static char *arena_cstr(struct parser *p, struct vg_slice s)
{
    return vg_arena_strndup(p->arena, s.ptr == NULL ? "" : s.ptr, s.len);
}

/* ---- property values ----------------------------------------------------------------- */

/* text = STRING (which may span lines). On success the parser is past the text. */
static enum vg_status parse_text(struct parser *p, const char *what, char **out)
{
    char found_buf[64];
    if (p->tok.kind != TK_STRING) {
        return report(p, &p->tok, "expected the %s as text in double quotes, found %s", what,
                      FOUND(p));
    }
    struct vg_slice s = vg_slice_trim(p->tok.str);
    if (s.len == 0) {
        return report(p, &p->tok, "the %s is empty", what);
    }
    *out = arena_cstr(p, s);
    if (*out == NULL) {
        return VG_ENOMEM;
    }
    return next(p);
}

static enum vg_status parse_date(struct parser *p, const char *what, int64_t *out)
{
    char found_buf[64];
    if (p->tok.kind != TK_DATE) {
        return report(p, &p->tok, "expected a date YYYY-MM-DD for %s, found %s", what, FOUND(p));
    }
    *out = p->tok.date;
    return next(p);
}

/* A word (WORD or STRING) for names, ids and versions. */
static enum vg_status parse_word(struct parser *p, const char *what, char **out)
{
    char found_buf[64];
    TRY(lex(p, true));
    if (p->tok.kind != TK_WORD && p->tok.kind != TK_STRING) {
        return report(p, &p->tok, "expected %s, found %s", what, FOUND(p));
    }
    if (p->tok.str.len == 0 || p->tok.str.len > 64) {
        return report(p, &p->tok, "%s must have 1 to 64 characters", what);
    }
    *out = arena_cstr(p, p->tok.str);
    if (*out == NULL) {
        return VG_ENOMEM;
    }
    return next(p);
}

/* A signed number. */
static enum vg_status parse_signed(struct parser *p, const char *what, double *out)
{
    char found_buf[64];
    bool neg = false;
    if (p->tok.kind == TK_MINUS) {
        neg = true;
        TRY(next(p));
    }
    if (p->tok.kind != TK_NUMBER) {
        return report(p, &p->tok, "expected %s, found %s", what, FOUND(p));
    }
    *out = neg ? -p->tok.num : p->tok.num;
    return next(p);
}

/* ---- lists and sets ------------------------------------------------------------------ */

static struct list_def *find_list(const struct parser *p, struct vg_slice name)
{
    uint64_t v;
    if (!vg_map_get(&p->list_names, name.ptr, name.len, &v)) {
        return NULL;
    }
    return (struct list_def *)(uintptr_t)v;
}

static int cmp_slice_ci(const void *a, const void *b)
{
    return vg__rules_strcmp_ci(*(const struct vg_slice *)a, *(const struct vg_slice *)b);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* A membership set over strs or nums (copied, sorted, de-duplicated). */
static enum vg_status make_member_set(struct parser *p, const char *name,
                                      const struct vg_slice *strs, const double *nums, size_t n,
                                      const struct rset **out)
{
    struct rset *s = vg_arena_calloc(p->arena, 1, sizeof(*s));
    if (s == NULL) {
        return VG_ENOMEM;
    }
    s->name = name;
    if (strs != NULL) {
        struct vg_slice *v = vg_arena_alloc(p->arena, (n == 0 ? 1 : n) * sizeof(*v));
        if (v == NULL) {
            return VG_ENOMEM;
        }
        memcpy(v, strs, n * sizeof(*v));
        qsort(v, n, sizeof(*v), cmp_slice_ci);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (k == 0 || vg__rules_strcmp_ci(v[k - 1], v[i]) != 0) {
                v[k++] = v[i];
            }
        }
        s->kind = SET_STR;
        s->strs = v;
        s->n = k;
    } else {
        double *v = vg_arena_alloc(p->arena, (n == 0 ? 1 : n) * sizeof(*v));
        if (v == NULL) {
            return VG_ENOMEM;
        }
        memcpy(v, nums, n * sizeof(*v));
        qsort(v, n, sizeof(*v), cmp_double);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (k == 0 || v[k - 1] != v[i]) {
                v[k++] = v[i];
            }
        }
        s->kind = SET_NUM;
        s->nums = v;
        s->n = k;
    }
    *out = s;
    return VG_OK;
}

/* Growable arrays of items while a list is read (in the arena: old copies are left behind,
 * which costs at most twice the final size). */
struct items {
    struct vg_slice *strs;
    double *nums;
    size_t n, cap;
    bool numeric, any;
};

static enum vg_status items_push(struct parser *p, struct items *it, const struct tok *t,
                                 const char *whose)
{
    bool numeric = t->kind == TK_NUMBER;
    if (it->any && numeric != it->numeric) {
        return report(p, t, "%s mixes text and numbers", whose);
    }
    it->any = true;
    it->numeric = numeric;
    if (it->n == it->cap) {
        size_t cap = it->cap == 0 ? 8 : it->cap * 2;
        if (cap > 1000000) {
            p->limit_hit = true;
            return report(p, t, "%s has more than 1000000 items", whose);
        }
        struct vg_slice *s = vg_arena_alloc(p->arena, cap * sizeof(*s));
        double *d = vg_arena_alloc(p->arena, cap * sizeof(*d));
        if (s == NULL || d == NULL) {
            return VG_ENOMEM;
        }
        if (it->n > 0) {
            memcpy(s, it->strs, it->n * sizeof(*s));
            memcpy(d, it->nums, it->n * sizeof(*d));
        }
        it->strs = s;
        it->nums = d;
        it->cap = cap;
    }
    it->strs[it->n] = t->str;
    it->nums[it->n] = t->num;
    it->n++;
    return VG_OK;
}

/* item { "," item } with optional line breaks after commas; a leading '-' negates a
 * number. Stops at the first token that is not a comma after an item. */
static enum vg_status parse_items(struct parser *p, struct items *it, const char *whose)
{
    char found_buf[64];
    for (;;) {
        struct tok t = p->tok;
        if (p->tok.kind == TK_MINUS) {
            TRY(next(p));
            if (p->tok.kind != TK_NUMBER) {
                return report(p, &p->tok, "expected a number after '-', found %s", FOUND(p));
            }
            t.kind = TK_NUMBER;
            t.num = -p->tok.num;
        } else if (p->tok.kind == TK_STRING || p->tok.kind == TK_NUMBER) {
            t = p->tok;
        } else {
            return report(p, &p->tok, "expected an item of %s (text or a number), found %s",
                          whose, FOUND(p));
        }
        TRY(items_push(p, it, &t, whose));
        TRY(next(p));
        if (p->tok.kind != TK_COMMA) {
            return VG_OK;
        }
        TRY(next(p));
        TRY(skip_nl(p));
    }
}

static bool is_reserved(struct vg_slice name)
{
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
        if (vg_slice_eq_cstr(name, reserved[i])) {
            return true;
        }
    }
    return false;
}

/* Words that start a line of a rule or of the file. */
static bool is_statement(const struct tok *t)
{
    for (int i = 0; i < RP_COUNT; i++) {
        if (is_kw(t, rule_props[i])) {
            return true;
        }
    }
    return is_kw(t, "end") || is_kw(t, "rule") || is_kw(t, "list");
}

static size_t edit_distance(struct vg_slice a, const char *b);

static enum vg_status parse_list(struct parser *p)
{
    char found_buf[64];
    TRY(next(p));
    if (p->tok.kind != TK_IDENT) {
        return report(p, &p->tok, "expected a list name after 'list', found %s", FOUND(p));
    }
    struct tok name = p->tok;
    size_t dummy;
    struct list_def *old = find_list(p, name.str);
    if (old != NULL) {
        return report(p, &name, "list '%.*s' is already defined on line %u", (int)name.str.len,
                      name.str.ptr, old->line);
    }
    if (is_reserved(name.str)) {
        return report(p, &name, "'%.*s' is a reserved word and cannot name a list",
                      (int)name.str.len, name.str.ptr);
    }
    if (vg_feature_find(p->schema, name.str, &dummy)) {
        return report(p, &name, "'%.*s' is a feature and cannot name a list", (int)name.str.len,
                      name.str.ptr);
    }
    TRY(next(p));
    if (p->tok.kind != TK_EQ) {
        return report(p, &p->tok, "expected '=' after the list name, found %s", FOUND(p));
    }
    TRY(next(p));
    TRY(skip_nl(p)); /* the items may start on the next line */
    char whose[96];
    snprintf(whose, sizeof(whose), "list '%.*s'", (int)name.str.len, name.str.ptr);
    if (p->tok.kind == TK_EOF) {
        return report(p, &p->tok, "%s has no items", whose);
    }
    struct items it = { 0 };
    TRY(parse_items(p, &it, whose));
    TRY(expect_eol(p, "the list's items"));
    struct list_def *l = vg_arena_calloc(p->arena, 1, sizeof(*l));
    if (l == NULL) {
        return VG_ENOMEM;
    }
    l->name.ptr = arena_cstr(p, name.str);
    if (l->name.ptr == NULL) {
        return VG_ENOMEM;
    }
    l->name.len = name.str.len;
    l->numeric = it.numeric;
    l->n = it.n;
    l->line = name.line;
    /* Item strings point into the arena already (decoded by the lexer). */
    l->strs = it.strs;
    l->nums = it.nums;
    TRY(vg_map_set(&p->list_names, l->name.ptr, l->name.len, (uint64_t)(uintptr_t)l));
    l->next = p->lists;
    p->lists = l;
    p->nlists++;
    return VG_OK;
}

/* ---- expressions --------------------------------------------------------------------- */

static const char *type_name(uint8_t type)
{
    switch (type) {
    case TY_BOOL:
        return "true/false";
    case TY_NUM:
        return "a number";
    case TY_STR:
        return "text";
    case TY_LIST:
        return "a list";
    }
    return "?";
}

static enum vg_status new_node(struct parser *p, const struct tok *at, uint8_t op, uint8_t type,
                               struct rx **out)
{
    if (++p->nodes > VG_RULES_MAX_NODES) {
        p->limit_hit = true;
        return report(p, at, "the condition has more than %u parts", VG_RULES_MAX_NODES);
    }
    struct rx *n = vg_arena_calloc(p->arena, 1, sizeof(*n));
    if (n == NULL) {
        return VG_ENOMEM;
    }
    n->op = op;
    n->type = type;
    n->depth = 1;
    n->feat = VG_RULES_NO_FEATURE;
    *out = n;
    return VG_OK;
}

static enum vg_status set_depth(struct parser *p, const struct tok *at, struct rx *n,
                                unsigned below)
{
    if (below + 1 > VG_RULES_MAX_DEPTH) {
        p->limit_hit = true;
        return report(p, at, "the condition is nested more than %u levels deep",
                      VG_RULES_MAX_DEPTH);
    }
    n->depth = (uint8_t)(below + 1);
    return VG_OK;
}

static enum vg_status binary(struct parser *p, uint8_t op, uint8_t type, struct px *l,
                             struct px *r, struct px *out)
{
    struct rx *n = NULL;
    TRY(new_node(p, &l->start, op, type, &n));
    n->l = l->n;
    n->r = r->n;
    unsigned d = l->n->depth > r->n->depth ? l->n->depth : r->n->depth;
    TRY(set_depth(p, &l->start, n, d));
    out->n = n;
    out->start = l->start;
    out->end = r->end;
    return VG_OK;
}

static enum vg_status need_type(struct parser *p, const struct px *e, uint8_t type,
                                const char *context)
{
    if (e->n->type == type) {
        return VG_OK;
    }
    char snip[64];
    snippet(p, e, snip, sizeof(snip));
    if (type == TY_BOOL && e->n->type == TY_NUM) {
        return report(p, &e->start, "%s needs true/false, but '%s' is a number (compare it, "
                      "e.g. '%s > 0')", context, snip, snip);
    }
    if (e->n->type == TY_LIST) {
        return report(p, &e->start, "%s needs %s, but '%s' is a list (use 'in', 'matches' "
                      "or count(%s))", context, type_name(type), snip, snip);
    }
    return report(p, &e->start, "%s needs %s, but '%s' is %s", context, type_name(type), snip,
                  type_name(e->n->type));
}

static enum vg_status parse_or(struct parser *p, struct px *out);

/* Resolves a feature name at the current token; reports unknown names with the closest
 * catalogue name when one is near. */
static size_t edit_distance(struct vg_slice a, const char *b)
{
    size_t bl = strlen(b);
    if (a.len > 64 || bl > 64) {
        return 99;
    }
    size_t row[65];
    for (size_t j = 0; j <= bl; j++) {
        row[j] = j;
    }
    for (size_t i = 1; i <= a.len; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= bl; j++) {
            size_t up = row[j];
            size_t cost = a.ptr[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (row[j] + 1 < best) {
                best = row[j] + 1;
            }
            if (row[j - 1] + 1 < best) {
                best = row[j - 1] + 1;
            }
            row[j] = best;
            diag = up;
        }
    }
    return row[bl];
}

static enum vg_status unknown_name(struct parser *p, const struct tok *t, const char *what)
{
    const char *best = NULL;
    size_t best_d = 4;
    for (size_t i = 0; i < p->schema->count; i++) {
        size_t d = edit_distance(t->str, p->schema->defs[i].name);
        if (d < best_d) {
            best_d = d;
            best = p->schema->defs[i].name;
        }
    }
    for (const struct list_def *l = p->lists; l != NULL; l = l->next) {
        size_t d = edit_distance(t->str, l->name.ptr);
        if (d < best_d) {
            best_d = d;
            best = l->name.ptr;
        }
    }
    if (best != NULL) {
        return report(p, t, "unknown %s '%.*s' (did you mean '%s'?)", what, (int)t->str.len,
                      t->str.ptr, best);
    }
    return report(p, t, "unknown %s '%.*s'", what, (int)t->str.len, t->str.ptr);
}

static enum vg_status feature_ref(struct parser *p, const struct tok *t, size_t *index)
{
    if (!vg_feature_find(p->schema, t->str, index)) {
        if (find_list(p, t->str) != NULL) {
            return report(p, t, "'%.*s' is a list: use it after 'in' or 'matches'",
                          (int)t->str.len, t->str.ptr);
        }
        return unknown_name(p, t, "feature");
    }
    p->used[*index] = 1;
    return VG_OK;
}

static uint8_t feature_type(const struct parser *p, size_t index)
{
    return (uint8_t)p->schema->defs[index].type; /* TY_* equal enum vg_feature_type */
}

/* "(" FEATURE ")" after known / count. */
static enum vg_status parse_feature_arg(struct parser *p, const char *fn, struct tok *name,
                                        size_t *index)
{
    char found_buf[64];
    TRY(next(p));
    if (p->tok.kind != TK_LPAREN) {
        return report(p, &p->tok, "expected '(' after '%s', found %s", fn, FOUND(p));
    }
    p->lx.nest++;
    TRY(next(p));
    if (p->tok.kind != TK_IDENT) {
        return report(p, &p->tok, "expected a feature name in %s(...), found %s", fn, FOUND(p));
    }
    *name = p->tok;
    TRY(feature_ref(p, name, index));
    TRY(next(p));
    if (p->tok.kind != TK_RPAREN) {
        return report(p, &p->tok, "expected ')' after the feature of %s(...), found %s", fn,
                      FOUND(p));
    }
    p->lx.nest--;
    return next(p);
}

static enum vg_status parse_unary(struct parser *p, struct px *out);

static enum vg_status parse_primary(struct parser *p, struct px *out)
{
    char found_buf[64];
    struct tok t = p->tok;
    struct rx *n = NULL;
    out->start = t;
    switch (t.kind) {
    case TK_NUMBER:
        TRY(new_node(p, &t, OP_CONST_NUM, TY_NUM, &n));
        n->k.num = t.num;
        break;
    case TK_STRING:
        TRY(new_node(p, &t, OP_CONST_STR, TY_STR, &n));
        n->k.str = t.str;
        break;
    case TK_DATE:
        return report(p, &t, "a date can only be given to valid_from, valid_to or review_by");
    case TK_LPAREN: {
        p->lx.nest++;
        TRY(next(p));
        struct px inner;
        TRY(parse_or(p, &inner));
        if (p->tok.kind != TK_RPAREN) {
            return report(p, &p->tok, "expected ')' to close the '(' on line %u column %u, "
                          "found %s", t.line, t.col, FOUND(p));
        }
        p->lx.nest--;
        TRY(next(p));
        *out = inner;
        out->start = t;
        out->end = p->prev_end;
        return VG_OK;
    }
    case TK_IDENT: {
        if (is_kw(&t, "true") || is_kw(&t, "false")) {
            TRY(new_node(p, &t, OP_CONST_BOOL, TY_BOOL, &n));
            n->k.b = is_kw(&t, "true");
            break;
        }
        if (is_kw(&t, "known") || is_kw(&t, "count")) {
            bool known = is_kw(&t, "known");
            struct tok name;
            size_t index;
            TRY(parse_feature_arg(p, known ? "known" : "count", &name, &index));
            if (!known && feature_type(p, index) != TY_LIST) {
                return report(p, &name, "count() needs a list feature, but '%.*s' is %s",
                              (int)name.str.len, name.str.ptr,
                              type_name(feature_type(p, index)));
            }
            TRY(new_node(p, &t, known ? OP_KNOWN : OP_COUNT, known ? TY_BOOL : TY_NUM, &n));
            n->feat = (uint32_t)index;
            n->cmp = feature_type(p, index);
            out->n = n;
            out->end = p->prev_end;
            return VG_OK;
        }
        if (is_kw(&t, "abs")) {
            TRY(next(p));
            if (p->tok.kind != TK_LPAREN) {
                return report(p, &p->tok, "expected '(' after 'abs', found %s", FOUND(p));
            }
            struct px arg;
            TRY(parse_primary(p, &arg)); /* the parenthesised expression */
            TRY(need_type(p, &arg, TY_NUM, "abs()"));
            TRY(new_node(p, &t, OP_ABS, TY_NUM, &n));
            n->l = arg.n;
            TRY(set_depth(p, &t, n, arg.n->depth));
            out->n = n;
            out->end = arg.end;
            return VG_OK;
        }
        if (is_reserved(t.str) || (p->tok.first && is_statement(&t))) {
            return report(p, &t, "expected a value, found %s", FOUND(p));
        }
        size_t index;
        TRY(feature_ref(p, &t, &index));
        TRY(new_node(p, &t, OP_FEAT, feature_type(p, index), &n));
        n->feat = (uint32_t)index;
        break;
    }
    default:
        return report(p, &t, "expected a value (a feature, a number, text, true or false), "
                      "found %s", FOUND(p));
    }
    TRY(next(p));
    out->n = n;
    out->end = p->prev_end;
    return VG_OK;
}

static enum vg_status parse_unary(struct parser *p, struct px *out)
{
    if (++p->rdepth > VG_RULES_MAX_DEPTH) {
        p->limit_hit = true;
        return report(p, &p->tok, "the condition is nested more than %u levels deep",
                      VG_RULES_MAX_DEPTH);
    }
    enum vg_status st;
    if (p->tok.kind == TK_MINUS) {
        struct tok t = p->tok;
        st = next(p);
        struct px arg;
        if (st == VG_OK) {
            st = parse_unary(p, &arg);
        }
        if (st == VG_OK) {
            st = need_type(p, &arg, TY_NUM, "'-'");
        }
        if (st == VG_OK && arg.n->op == OP_CONST_NUM) {
            arg.n->k.num = -arg.n->k.num; /* fold -NUMBER */
            *out = arg;
            out->start = t;
        } else if (st == VG_OK) {
            struct rx *n = NULL;
            st = new_node(p, &t, OP_NEG, TY_NUM, &n);
            if (st == VG_OK) {
                n->l = arg.n;
                st = set_depth(p, &t, n, arg.n->depth);
            }
            if (st == VG_OK) {
                out->n = n;
                out->start = t;
                out->end = arg.end;
            }
        }
    } else {
        st = parse_primary(p, out);
    }
    p->rdepth--;
    return st;
}

static enum vg_status parse_arith(struct parser *p, struct px *out, bool sum)
{
    TRY(sum ? parse_arith(p, out, false) : parse_unary(p, out));
    for (;;) {
        enum tok_kind k = p->tok.kind;
        uint8_t op;
        if (sum && (k == TK_PLUS || k == TK_MINUS)) {
            op = k == TK_PLUS ? OP_ADD : OP_SUB;
        } else if (!sum && (k == TK_STAR || k == TK_SLASH)) {
            op = k == TK_STAR ? OP_MUL : OP_DIV;
        } else {
            return VG_OK;
        }
        static const char *const op_names[] = {
            [OP_ADD] = "'+'", [OP_SUB] = "'-'", [OP_MUL] = "'*'", [OP_DIV] = "'/'",
        };
        TRY(need_type(p, out, TY_NUM, op_names[op]));
        TRY(next(p));
        struct px r;
        TRY(sum ? parse_arith(p, &r, false) : parse_unary(p, &r));
        TRY(need_type(p, &r, TY_NUM, op_names[op]));
        TRY(binary(p, op, TY_NUM, out, &r, out));
    }
}

static bool is_cmp(enum tok_kind k)
{
    return k == TK_EQ || k == TK_NE || k == TK_LT || k == TK_LE || k == TK_GT || k == TK_GE;
}

/* A named list's membership set, built once. */
static enum vg_status list_member_set(struct parser *p, struct list_def *l,
                                      const struct rset **out)
{
    if (l->sorted == NULL) {
        TRY(make_member_set(p, l->name.ptr, l->numeric ? NULL : l->strs,
                            l->numeric ? l->nums : NULL, l->n, &l->sorted));
    }
    *out = l->sorted;
    return VG_OK;
}

/* A set of strings as written (prefixes, patterns). */
static enum vg_status pattern_set(struct parser *p, enum rset_kind kind, const char *name,
                                  const struct vg_slice *strs, size_t n, const struct rset **out)
{
    struct rset *s = vg_arena_calloc(p->arena, 1, sizeof(*s));
    if (s == NULL) {
        return VG_ENOMEM;
    }
    s->kind = kind;
    s->name = name;
    s->strs = strs;
    s->n = n;
    *out = s;
    return VG_OK;
}

/* Appends the strings of a named list to it (prefix and pattern arguments). */
static enum vg_status items_from_list(struct parser *p, struct items *it, const struct tok *t,
                                      const char *whose)
{
    struct list_def *l = find_list(p, t->str);
    if (l == NULL) {
        return unknown_name(p, t, "list");
    }
    if (l->numeric) {
        return report(p, t, "list '%s' holds numbers, but %s needs text", l->name.ptr, whose);
    }
    for (size_t i = 0; i < l->n; i++) {
        struct tok item = *t;
        item.kind = TK_STRING;
        item.str = l->strs[i];
        TRY(items_push(p, it, &item, whose));
    }
    return VG_OK;
}

/* "(" STRING-or-LIST { "," STRING-or-LIST } ")" for prefix() and matches (...). */
static enum vg_status parse_string_args(struct parser *p, struct items *it, const char *whose)
{
    char found_buf[64];
    p->lx.nest++;
    TRY(next(p));
    for (;;) {
        if (p->tok.kind == TK_STRING) {
            TRY(items_push(p, it, &p->tok, whose));
        } else if (p->tok.kind == TK_IDENT && !is_reserved(p->tok.str)) {
            TRY(items_from_list(p, it, &p->tok, whose));
        } else {
            return report(p, &p->tok, "expected text or a list name in %s, found %s", whose,
                          FOUND(p));
        }
        TRY(next(p));
        if (p->tok.kind == TK_RPAREN) {
            break;
        }
        if (p->tok.kind != TK_COMMA) {
            return report(p, &p->tok, "expected ',' or ')' in %s, found %s", whose, FOUND(p));
        }
        TRY(next(p));
    }
    p->lx.nest--;
    return next(p);
}

/* The right side of `in`. */
static enum vg_status parse_in_set(struct parser *p, const struct px *lhs, const struct rset **out)
{
    char found_buf[64];
    char snip[64];
    uint8_t lt = lhs->n->type;
    if (lt != TY_NUM && lt != TY_STR && lt != TY_LIST) {
        return report(p, &lhs->start, "'in' needs a number, text or a list on its left, but "
                      "'%s' is %s", snippet(p, lhs, snip, sizeof(snip)), type_name(lt));
    }
    struct tok t = p->tok;
    if (is_kw(&t, "prefix")) {
        TRY(next(p));
        if (p->tok.kind != TK_LPAREN) {
            return report(p, &p->tok, "expected '(' after 'prefix', found %s", FOUND(p));
        }
        if (lt == TY_NUM) {
            return report(p, &t, "prefix() needs text on the left of 'in', but '%s' is a number",
                          snippet(p, lhs, snip, sizeof(snip)));
        }
        struct items it = { 0 };
        TRY(parse_string_args(p, &it, "prefix()"));
        return pattern_set(p, SET_PREFIX, NULL, it.strs, it.n, out);
    }
    if (t.kind == TK_LPAREN) {
        p->lx.nest++;
        TRY(next(p));
        struct items it = { 0 };
        TRY(parse_items(p, &it, "the list"));
        if (p->tok.kind != TK_RPAREN) {
            return report(p, &p->tok, "expected ',' or ')' in the list, found %s", FOUND(p));
        }
        p->lx.nest--;
        TRY(next(p));
        if (it.numeric != (lt == TY_NUM)) {
            return report(p, &t, "'%s' is %s but the list holds %s",
                          snippet(p, lhs, snip, sizeof(snip)), type_name(lt),
                          it.numeric ? "numbers" : "text");
        }
        return make_member_set(p, NULL, it.numeric ? NULL : it.strs,
                               it.numeric ? it.nums : NULL, it.n, out);
    }
    if (t.kind != TK_IDENT || is_reserved(t.str)) {
        return report(p, &t, "expected a list after 'in': a list name, a list feature, "
                      "(\"A\", \"B\") or prefix(\"A\"), found %s", FOUND(p));
    }
    struct list_def *l = find_list(p, t.str);
    if (l != NULL) {
        if (l->numeric != (lt == TY_NUM)) {
            return report(p, &t, "'%s' is %s but list '%s' holds %s",
                          snippet(p, lhs, snip, sizeof(snip)), type_name(lt), l->name.ptr,
                          l->numeric ? "numbers" : "text");
        }
        TRY(list_member_set(p, l, out));
        return next(p);
    }
    size_t index;
    if (!vg_feature_find(p->schema, t.str, &index)) {
        return unknown_name(p, &t, "list");
    }
    if (feature_type(p, index) != TY_LIST) {
        return report(p, &t, "'in' needs a list on its right, but feature '%.*s' is %s",
                      (int)t.str.len, t.str.ptr, type_name(feature_type(p, index)));
    }
    if (lt == TY_NUM) {
        return report(p, &t, "'%s' is a number but list feature '%.*s' holds text",
                      snippet(p, lhs, snip, sizeof(snip)), (int)t.str.len, t.str.ptr);
    }
    p->used[index] = 1;
    struct rset *s = vg_arena_calloc(p->arena, 1, sizeof(*s));
    if (s == NULL) {
        return VG_ENOMEM;
    }
    s->kind = SET_FEAT;
    s->feat = (uint32_t)index;
    s->name = p->schema->defs[index].name;
    *out = s;
    return next(p);
}

/* The right side of `matches`. */
static enum vg_status parse_patterns(struct parser *p, const struct px *lhs,
                                     const struct rset **out)
{
    char found_buf[64];
    char snip[64];
    if (lhs->n->type != TY_STR && lhs->n->type != TY_LIST) {
        return report(p, &lhs->start, "'matches' needs text or a list on its left, but '%s' "
                      "is %s", snippet(p, lhs, snip, sizeof(snip)), type_name(lhs->n->type));
    }
    struct items it = { 0 };
    const char *name = NULL;
    if (p->tok.kind == TK_STRING) {
        TRY(items_push(p, &it, &p->tok, "the pattern"));
        TRY(next(p));
    } else if (p->tok.kind == TK_LPAREN) {
        TRY(parse_string_args(p, &it, "the patterns"));
    } else if (p->tok.kind == TK_IDENT && !is_reserved(p->tok.str)) {
        TRY(items_from_list(p, &it, &p->tok, "'matches'"));
        name = find_list(p, p->tok.str)->name.ptr;
        TRY(next(p));
    } else {
        return report(p, &p->tok, "expected a pattern after 'matches' (\"0804*\", a list "
                      "name or a list in parentheses), found %s", FOUND(p));
    }
    return pattern_set(p, SET_GLOB, name, it.strs, it.n, out);
}

/* The most common test, a feature compared with a constant (dwell_hours >= 72,
 * seal_gate_to_load = "different"), becomes one node: one dispatch instead of four when
 * evaluated. The children stay in place for the explainer. */
static void fuse_compare(struct rx *n)
{
    static const uint8_t mirror[] = {
        [CMP_EQ] = CMP_EQ, [CMP_NE] = CMP_NE, [CMP_LT] = CMP_GT,
        [CMP_LE] = CMP_GE, [CMP_GT] = CMP_LT, [CMP_GE] = CMP_LE,
    };
    const struct rx *feat = n->l, *k = n->r;
    uint8_t cmp = n->cmp;
    if (feat->op != OP_FEAT) { /* 72 <= dwell_hours */
        feat = n->r;
        k = n->l;
        cmp = mirror[cmp];
    }
    if (feat->op != OP_FEAT) {
        return;
    }
    if (feat->type == TY_NUM && k->op == OP_CONST_NUM) {
        n->op = OP_CMP_NUM_FK;
        n->k.num = k->k.num;
    } else if (feat->type == TY_STR && k->op == OP_CONST_STR) {
        n->op = OP_CMP_STR_FK;
        n->k.str = k->k.str;
    } else {
        return;
    }
    n->feat = feat->feat;
    n->cmp = cmp;
}

static enum vg_status parse_test(struct parser *p, struct px *out)
{
    char found_buf[64];
    char snip[64], snip2[64];
    TRY(parse_arith(p, out, true));
    struct tok optok = p->tok;
    if (is_cmp(optok.kind)) {
        TRY(next(p));
        struct px r;
        TRY(parse_arith(p, &r, true));
        uint8_t lt = out->n->type, rt = r.n->type;
        if (lt == TY_LIST || rt == TY_LIST) {
            struct px *lst = lt == TY_LIST ? out : &r;
            return report(p, &lst->start, "'%s' is a list and cannot be compared (use 'in', "
                          "'matches' or count(%s))", snippet(p, lst, snip, sizeof(snip)),
                          snip);
        }
        if (lt != rt) {
            return report(p, &optok, "cannot compare '%s' (%s) with '%s' (%s)",
                          snippet(p, out, snip, sizeof(snip)), type_name(lt),
                          snippet(p, &r, snip2, sizeof(snip2)), type_name(rt));
        }
        bool ordering = optok.kind != TK_EQ && optok.kind != TK_NE;
        if (ordering && lt != TY_NUM) {
            return report(p, &optok, "'%.*s' compares numbers only; %s can be tested with = "
                          "or !=", (int)optok.len, p->lx.src + optok.off, type_name(lt));
        }
        static const uint8_t cmp_of[] = {
            [TK_EQ] = CMP_EQ, [TK_NE] = CMP_NE, [TK_LT] = CMP_LT,
            [TK_LE] = CMP_LE, [TK_GT] = CMP_GT, [TK_GE] = CMP_GE,
        };
        TRY(binary(p, OP_CMP, TY_BOOL, out, &r, out));
        out->n->cmp = cmp_of[optok.kind];
        fuse_compare(out->n);
        if (is_cmp(p->tok.kind)) {
            return report(p, &p->tok, "comparisons cannot be chained; join them with 'and'");
        }
        return VG_OK;
    }
    bool negate = false;
    if (is_kw(&optok, "not")) {
        TRY(next(p));
        if (!is_kw(&p->tok, "in") && !is_kw(&p->tok, "matches")) {
            return report(p, &p->tok, "expected 'in' or 'matches' after 'not' here, found %s",
                          FOUND(p));
        }
        negate = true;
    }
    if (is_kw(&p->tok, "in") || is_kw(&p->tok, "matches")) {
        bool in = is_kw(&p->tok, "in");
        TRY(next(p));
        const struct rset *set;
        TRY(in ? parse_in_set(p, out, &set) : parse_patterns(p, out, &set));
        struct rx *n = NULL;
        TRY(new_node(p, &out->start, in ? OP_IN : OP_MATCHES, TY_BOOL, &n));
        n->l = out->n;
        n->set = set;
        TRY(set_depth(p, &out->start, n, out->n->depth));
        out->n = n;
        out->end = p->prev_end;
        if (negate) {
            struct rx *nn = NULL;
            TRY(new_node(p, &out->start, OP_NOT, TY_BOOL, &nn));
            nn->l = n;
            TRY(set_depth(p, &out->start, nn, n->depth));
            out->n = nn;
        }
    }
    return VG_OK;
}

static enum vg_status parse_not(struct parser *p, struct px *out)
{
    if (!is_kw(&p->tok, "not")) {
        return parse_test(p, out);
    }
    struct tok t = p->tok;
    if (++p->rdepth > VG_RULES_MAX_DEPTH) {
        p->limit_hit = true;
        return report(p, &t, "the condition is nested more than %u levels deep",
                      VG_RULES_MAX_DEPTH);
    }
    TRY(next(p));
    TRY(skip_nl(p));
    struct px arg;
    TRY(parse_not(p, &arg));
    p->rdepth--;
    TRY(need_type(p, &arg, TY_BOOL, "'not'"));
    struct rx *n = NULL;
    TRY(new_node(p, &t, OP_NOT, TY_BOOL, &n));
    n->l = arg.n;
    TRY(set_depth(p, &t, n, arg.n->depth));
    out->n = n;
    out->start = t;
    out->end = arg.end;
    return VG_OK;
}

/* and/or chains become one node with every operand as a child. */
static enum vg_status parse_chain(struct parser *p, struct px *out, bool is_or)
{
    const char *kw = is_or ? "or" : "and";
    TRY(is_or ? parse_chain(p, out, false) : parse_not(p, out));
    bool more;
    TRY(continues_with(p, kw, &more));
    if (!more) {
        return VG_OK;
    }
    TRY(need_type(p, out, TY_BOOL, is_or ? "'or'" : "'and'"));
    struct rx **kids = NULL;
    size_t n = 0, cap = 0;
    struct px first = *out;
    unsigned depth = 0;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap == 0 ? 4 : cap * 2;
            struct rx **k = vg_arena_alloc(p->arena, ncap * sizeof(*k));
            if (k == NULL) {
                return VG_ENOMEM;
            }
            if (n > 0) {
                memcpy(k, kids, n * sizeof(*k));
            }
            kids = k;
            cap = ncap;
        }
        kids[n++] = out->n;
        if (out->n->depth > depth) {
            depth = out->n->depth;
        }
        TRY(continues_with(p, kw, &more));
        if (!more) {
            break;
        }
        TRY(next(p));
        TRY(skip_nl(p));
        TRY(is_or ? parse_chain(p, out, false) : parse_not(p, out));
        TRY(need_type(p, out, TY_BOOL, is_or ? "'or'" : "'and'"));
    }
    struct rx *node = NULL;
    TRY(new_node(p, &first.start, is_or ? OP_OR : OP_AND, TY_BOOL, &node));
    node->kids = kids;
    node->nkids = (uint32_t)n;
    TRY(set_depth(p, &first.start, node, depth));
    size_t end = out->end;
    out->n = node;
    out->start = first.start;
    out->end = end;
    return VG_OK;
}

static enum vg_status parse_or(struct parser *p, struct px *out)
{
    return parse_chain(p, out, true);
}

/* ---- rules --------------------------------------------------------------------------- */

/* The condition's source with comments dropped and white space folded. */
static char *condition_text(struct parser *p, size_t from, size_t to)
{
    char *s = vg_arena_alloc(p->arena, to - from + 1);
    if (s == NULL) {
        return NULL;
    }
    size_t n = 0;
    bool in_str = false, space = false;
    for (size_t i = from; i < to; i++) {
        char c = p->lx.src[i];
        if (!in_str && c == '#') {
            while (i < to && p->lx.src[i] != '\n') {
                i++;
            }
            space = n > 0;
            continue;
        }
        if (!in_str && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
            space = n > 0;
            continue;
        }
        if (space) {
            s[n++] = ' ';
            space = false;
        }
        if (c == '"' && (i == from || p->lx.src[i - 1] != '\\')) {
            in_str = !in_str;
        }
        s[n++] = c;
    }
    s[n] = '\0';
    return s;
}

static enum vg_status parse_when(struct parser *p, struct rule_build *rb)
{
    char snip[64];
    memset(p->used, 0, p->schema->count);
    p->nodes = 0;
    p->rdepth = 0;
    struct px e;
    TRY(parse_or(p, &e));
    if (e.n->type != TY_BOOL) {
        return need_type(p, &e, TY_BOOL, "the condition");
    }
    TRY(expect_eol(p, "the condition"));
    size_t nf = 0;
    for (size_t i = 0; i < p->schema->count; i++) {
        nf += p->used[i];
    }
    if (nf == 0) {
        return report(p, &e.start, "the condition '%s' reads no feature",
                      snippet(p, &e, snip, sizeof(snip)));
    }
    uint32_t *feats = vg_arena_alloc(p->arena, nf * sizeof(*feats));
    char *text = condition_text(p, e.start.off, e.end);
    if (feats == NULL || text == NULL) {
        return VG_ENOMEM;
    }
    nf = 0;
    for (size_t i = 0; i < p->schema->count; i++) {
        if (p->used[i]) {
            feats[nf++] = (uint32_t)i;
        }
    }
    rb->r.cond = e.n;
    rb->r.info.features = feats;
    rb->r.info.nfeatures = nf;
    rb->r.info.condition = text;
    return VG_OK;
}

/* Compiles an explanation template: {feature} is replaced by its value, {{ and }} are
 * literal braces. */
static enum vg_status compile_template(struct parser *p, const struct tok *at, const char *text,
                                       struct rule *r)
{
    size_t len = strlen(text);
    size_t cap = 1;
    for (size_t i = 0; i < len; i++) {
        cap += text[i] == '{' ? 2 : 0;
    }
    struct tmpl_part *parts = vg_arena_calloc(p->arena, cap, sizeof(*parts));
    char *lit = vg_arena_alloc(p->arena, len + 1);
    if (parts == NULL || lit == NULL) {
        return VG_ENOMEM;
    }
    size_t np = 0, nl = 0, lit_start = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if ((c == '{' || c == '}') && i + 1 < len && text[i + 1] == c) {
            lit[nl++] = c;
            i++;
            continue;
        }
        if (c != '{') {
            lit[nl++] = c;
            continue;
        }
        const char *close = memchr(text + i, '}', len - i);
        struct tok where = *at;
        where.col += (uint32_t)(i + 1);
        where.off += i + 1;
        if (close == NULL) {
            return report(p, &where, "'{' in the explanation is not closed with '}' (write {{ "
                          "for a brace)");
        }
        struct tok name = where;
        name.kind = TK_IDENT;
        name.str = vg_slice_trim(vg_slice_make(text + i + 1, (size_t)(close - text) - i - 1));
        size_t index;
        if (!vg_feature_find(p->schema, name.str, &index)) {
            return unknown_name(p, &name, "feature in the explanation");
        }
        if (nl > lit_start) {
            parts[np].text = vg_slice_make(lit + lit_start, nl - lit_start);
            parts[np++].feat = VG_RULES_NO_FEATURE;
        }
        lit_start = nl;
        parts[np].feat = (uint32_t)index;
        parts[np++].text = VG_SLICE_EMPTY;
        i = (size_t)(close - text);
    }
    if (nl > lit_start) {
        parts[np].text = vg_slice_make(lit + lit_start, nl - lit_start);
        parts[np++].feat = VG_RULES_NO_FEATURE;
    }
    r->tmpl = parts;
    r->ntmpl = np;
    return VG_OK;
}

static int find_prop(struct vg_slice word, const char *const *names, int count)
{
    for (int i = 0; i < count; i++) {
        if (vg_slice_eq_cstr(word, names[i])) {
            return i;
        }
    }
    return -1;
}

static enum vg_status parse_rule_prop(struct parser *p, struct rule_build *rb, int prop)
{
    char found_buf[64];
    struct rule *r = &rb->r;
    struct tok kw = p->tok;
    if (rb->prop_tok[prop].line != 0) {
        return report(p, &kw, "'%s' is given twice in rule %s (first on line %u)",
                      rule_props[prop], r->info.id, rb->prop_tok[prop].line);
    }
    rb->prop_tok[prop] = kw; /* given, even if its value is wrong */
    TRY(next(p));
    rb->prop_tok[prop] = p->tok;
    char *text;
    switch (prop) {
    case RP_TITLE:
    case RP_RATIONALE:
    case RP_OWNER:
    case RP_TASK:
    case RP_EXPLAIN:
        TRY(parse_text(p, rule_props[prop], &text));
        if (prop == RP_TITLE) {
            r->info.title = text;
        } else if (prop == RP_RATIONALE) {
            r->info.rationale = text;
        } else if (prop == RP_OWNER) {
            r->info.owner = text;
        } else if (prop == RP_TASK) {
            r->info.task = text;
        } else {
            r->info.explain = text;
            TRY(compile_template(p, &rb->prop_tok[prop], text, r));
        }
        break;
    case RP_WEIGHT: {
        struct tok at = p->tok;
        TRY(parse_signed(p, "the weight (a number)", &r->info.weight));
        if (!(fabs(r->info.weight) <= VG_RULES_MAX_WEIGHT)) {
            return report(p, &at, "the weight must lie between -%g and %g",
                          VG_RULES_MAX_WEIGHT, VG_RULES_MAX_WEIGHT);
        }
        break;
    }
    case RP_ACTION:
        if (is_kw(&p->tok, "score")) {
            r->info.action = VG_RULE_SCORE;
        } else if (is_kw(&p->tok, "hold")) {
            r->info.action = VG_RULE_HOLD;
        } else {
            return report(p, &p->tok, "expected the action 'score' or 'hold', found %s",
                          FOUND(p));
        }
        TRY(next(p));
        break;
    case RP_VALID_FROM:
        TRY(parse_date(p, "valid_from", &rb->own_from));
        break;
    case RP_VALID_TO:
        TRY(parse_date(p, "valid_to", &rb->own_to));
        break;
    case RP_REVIEW_BY:
        TRY(parse_date(p, "review_by", &r->info.review_by));
        break;
    case RP_WHEN:
        if (at_eol(p)) {
            return report(p, &p->tok, "expected a condition after 'when', found %s", FOUND(p));
        }
        return parse_when(p, rb);
    }
    return expect_eol(p, rule_props[prop]);
}

/* Skips to the next line that starts a property, `end`, `rule`, `list` or the file's
 * end. */
static enum vg_status sync_in_rule(struct parser *p)
{
    p->quiet = true;
    p->lx.nest = 0;
    /* Always move on: the error may have been reported at a property keyword. */
    enum vg_status st = p->tok.kind == TK_EOF ? VG_OK : next(p);
    while (st == VG_OK) {
        if (p->tok.kind == TK_EOF) {
            break;
        }
        if (p->tok.first && p->tok.kind == TK_IDENT &&
            (find_prop(p->tok.str, rule_props, RP_COUNT) >= 0 || is_kw(&p->tok, "end") ||
             is_kw(&p->tok, "rule") || is_kw(&p->tok, "list"))) {
            break;
        }
        st = next(p);
    }
    p->quiet = false;
    return st;
}

static const char *fmt_date(int64_t t, char *buf, size_t size)
{
    vg_time_format_iso8601(t, buf, size);
    if (strlen(buf) > 10) {
        buf[10] = '\0';
    }
    return buf;
}

/* Checks a finished rule and fills its effective fields. */
static enum vg_status finish_rule(struct parser *p, struct rule_build *rb, const struct tok *id)
{
    struct rule *r = &rb->r;
    const struct vg_rule_set_info *si = &p->set->info;
    static const int required[] = { RP_TITLE, RP_RATIONALE, RP_WEIGHT, RP_WHEN };
    enum vg_status st = VG_OK;
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
        if (rb->prop_tok[required[i]].line == 0) {
            st = report(p, id, "rule %s has no '%s'", r->info.id, rule_props[required[i]]);
        }
    }
    if (r->info.owner == NULL) {
        if (si->owner[0] == '\0') {
            st = report(p, id, "rule %s has no 'owner' and the rule set names none", r->info.id);
        }
        r->info.owner = si->owner;
    }
    char a[24], b[24];
    int64_t from = rb->own_from != VG_TIME_NONE ? rb->own_from : si->valid_from;
    int64_t to = rb->own_to != VG_TIME_NONE ? rb->own_to : si->valid_to;
    if (rb->own_from != VG_TIME_NONE && si->valid_from != VG_TIME_NONE &&
        rb->own_from < si->valid_from) {
        st = report(p, &rb->prop_tok[RP_VALID_FROM], "valid_from %s is before the rule set's "
                    "valid_from %s", fmt_date(rb->own_from, a, sizeof(a)),
                    fmt_date(si->valid_from, b, sizeof(b)));
    }
    if (rb->own_to != VG_TIME_NONE && si->valid_to != VG_TIME_NONE && rb->own_to > si->valid_to) {
        st = report(p, &rb->prop_tok[RP_VALID_TO], "valid_to %s is after the rule set's "
                    "valid_to %s", fmt_date(rb->own_to, a, sizeof(a)),
                    fmt_date(si->valid_to, b, sizeof(b)));
    }
    if (from != VG_TIME_NONE && to != VG_TIME_NONE && to < from) {
        const struct tok *at =
            rb->prop_tok[RP_VALID_TO].line != 0 ? &rb->prop_tok[RP_VALID_TO] : id;
        st = report(p, at, "valid_to %s is before valid_from %s", fmt_date(to, a, sizeof(a)),
                    fmt_date(from, b, sizeof(b)));
    }
    r->info.valid_from = from;
    r->info.valid_to = to;
    return st;
}

static enum vg_status parse_rule(struct parser *p)
{
    char found_buf[64];
    struct tok rule_kw = p->tok;
    char *id;
    TRY(parse_word(p, "a rule id after 'rule' (such as SEAL-01)", &id));
    bool existed;
    uint64_t first_line;
    TRY(vg_map_put(&p->rule_ids, id, strlen(id), rule_kw.line, &existed, &first_line));
    if (existed) {
        return report(p, &rule_kw, "rule id %s is already used on line %u", id,
                      (unsigned)first_line);
    }
    TRY(expect_eol(p, "the rule id"));
    if (p->nrules >= VG_RULES_MAX_RULES) {
        p->limit_hit = true;
        return report(p, &rule_kw, "more than %u rules", VG_RULES_MAX_RULES);
    }
    struct rule_build *rb = vg_arena_calloc(p->arena, 1, sizeof(*rb));
    if (rb == NULL) {
        return VG_ENOMEM;
    }
    rb->r.info.id = id;
    rb->r.info.line = rule_kw.line;
    rb->r.info.action = VG_RULE_SCORE;
    rb->r.info.review_by = VG_TIME_NONE;
    rb->own_from = VG_TIME_NONE;
    rb->own_to = VG_TIME_NONE;
    enum vg_status result = VG_OK;
    for (;;) {
        enum vg_status st = skip_nl(p);
        if (st != VG_OK) {
            return st;
        }
        if (p->tok.kind == TK_EOF || is_kw(&p->tok, "rule") || is_kw(&p->tok, "list")) {
            report(p, &p->tok, "rule %s (line %u) is not closed with 'end' before %s", id,
                   rule_kw.line, FOUND(p));
            return VG_EPARSE;
        }
        if (is_kw(&p->tok, "end")) {
            TRY(next(p));
            st = expect_eol(p, "'end'");
            if (st != VG_OK) {
                return st;
            }
            break;
        }
        int prop = p->tok.kind == TK_IDENT ? find_prop(p->tok.str, rule_props, RP_COUNT) : -1;
        int near = -1;
        for (int k = 0; prop < 0 && p->tok.kind == TK_IDENT && k < RP_COUNT; k++) {
            if (edit_distance(p->tok.str, rule_props[k]) <= 2) {
                near = k;
                break;
            }
        }
        if (near >= 0) {
            st = report(p, &p->tok, "unknown rule property '%.*s' (did you mean '%s'?)",
                        (int)p->tok.str.len, p->tok.str.ptr, rule_props[near]);
        } else if (prop < 0) {
            st = report(p, &p->tok, "expected a rule property (title, rationale, owner, "
                        "weight, action, valid_from, valid_to, review_by, task, explain, when) "
                        "or 'end', found %s", FOUND(p));
        } else {
            st = parse_rule_prop(p, rb, prop);
        }
        if (st == VG_ENOMEM) {
            return st;
        }
        if (st != VG_OK) {
            result = VG_EPARSE;
            if (p->nerrors >= VG_RULES_MAX_ERRORS) {
                return VG_EPARSE;
            }
            TRY(sync_in_rule(p));
        }
    }
    enum vg_status st = finish_rule(p, rb, &rule_kw);
    /* Link the rule even when it has errors, so that a later rule with its id is still
     * reported; the set is only built when there were no errors at all. */
    if (p->rules_tail == NULL) {
        p->rules = rb;
    } else {
        p->rules_tail->next = rb;
    }
    p->rules_tail = rb;
    p->nrules++;
    return result == VG_OK ? st : result;
}

/* ---- the header and the file --------------------------------------------------------- */

static enum vg_status parse_header(struct parser *p, struct tok *header_tok)
{
    char found_buf[64];
    struct vg_rule_set_info *si = &p->set->info;
    TRY(skip_nl(p));
    if (!is_kw(&p->tok, "ruleset")) {
        return report(p, &p->tok, "expected 'ruleset NAME' to start the file, found %s",
                      FOUND(p));
    }
    *header_tok = p->tok;
    char *name;
    TRY(parse_word(p, "the rule set's name after 'ruleset'", &name));
    si->name = name;
    TRY(expect_eol(p, "the rule set's name"));
    struct tok seen[SP_COUNT];
    memset(seen, 0, sizeof(seen));
    enum vg_status result = VG_OK;
    for (;;) {
        TRY(skip_nl(p));
        int prop = p->tok.kind == TK_IDENT ? find_prop(p->tok.str, set_props, SP_COUNT) : -1;
        if (prop < 0) {
            break;
        }
        struct tok kw = p->tok;
        enum vg_status st;
        if (seen[prop].line != 0) {
            st = report(p, &kw, "'%s' is given twice (first on line %u)", set_props[prop],
                        seen[prop].line);
        } else {
            seen[prop] = kw;
            char *text;
            switch (prop) {
            case SP_VERSION:
                st = parse_word(p, "the version after 'version' (such as 2024.1)", &text);
                if (st == VG_OK) {
                    si->version = text;
                }
                break;
            case SP_VALID_FROM:
                st = next(p);
                if (st == VG_OK) {
                    st = parse_date(p, "valid_from", &si->valid_from);
                }
                break;
            case SP_VALID_TO:
                st = next(p);
                if (st == VG_OK) {
                    st = parse_date(p, "valid_to", &si->valid_to);
                }
                break;
            default:
                st = next(p);
                if (st == VG_OK) {
                    st = parse_text(p, set_props[prop], &text);
                }
                if (st == VG_OK && prop == SP_DESCRIPTION) {
                    si->description = text;
                } else if (st == VG_OK) {
                    si->owner = text;
                }
                break;
            }
            if (st == VG_OK) {
                st = expect_eol(p, set_props[prop]);
            }
        }
        if (st == VG_ENOMEM) {
            return st;
        }
        if (st != VG_OK) {
            result = st;
            /* Skip the rest of the line. */
            p->quiet = true;
            while (!at_eol(p) && next(p) == VG_OK) {
            }
            p->quiet = false;
        }
    }
    if (si->version == NULL) {
        result = report(p, header_tok, "the rule set has no 'version' line");
    }
    if (si->valid_from != VG_TIME_NONE && si->valid_to != VG_TIME_NONE &&
        si->valid_to < si->valid_from) {
        result = report(p, &seen[SP_VALID_TO], "the rule set's valid_to is before its "
                        "valid_from");
    }
    return result;
}

/* Skips to the next `rule` or `list` that starts a line, or the end. */
static enum vg_status sync_top(struct parser *p)
{
    p->quiet = true;
    p->lx.nest = 0;
    enum vg_status st = VG_OK;
    while (p->tok.kind != TK_EOF) {
        if (p->tok.first && (is_kw(&p->tok, "rule") || is_kw(&p->tok, "list"))) {
            break;
        }
        st = next(p);
        if (st != VG_OK) {
            break;
        }
    }
    p->quiet = false;
    return st;
}

static enum vg_status parse_file(struct parser *p)
{
    char found_buf[64];
    p->tok.kind = TK_NL; /* so that the first token counts as a line start */
    p->tok.off = 0;
    p->tok.len = 0;
    TRY(next(p));
    struct tok header_tok;
    enum vg_status st = parse_header(p, &header_tok);
    if (st == VG_ENOMEM || (st != VG_OK && p->set->info.name == NULL)) {
        return st;
    }
    for (;;) {
        st = skip_nl(p);
        if (st == VG_ENOMEM) {
            return st;
        }
        if (st == VG_OK) {
            if (p->tok.kind == TK_EOF) {
                break;
            }
            if (is_kw(&p->tok, "list")) {
                st = parse_list(p);
            } else if (is_kw(&p->tok, "rule")) {
                st = parse_rule(p);
            } else if (p->tok.kind == TK_IDENT &&
                       find_prop(p->tok.str, set_props, SP_COUNT) >= 0) {
                st = report(p, &p->tok, "'%.*s' belongs in the header, before the first list "
                            "or rule", (int)p->tok.len, p->lx.src + p->tok.off);
            } else {
                st = report(p, &p->tok, "expected 'rule' or 'list' at the start of a line, "
                            "found %s", FOUND(p));
            }
        }
        if (st == VG_ENOMEM) {
            return st;
        }
        if (st != VG_OK) {
            if (p->nerrors >= VG_RULES_MAX_ERRORS) {
                break;
            }
            st = sync_top(p);
            if (st == VG_ENOMEM) {
                return st;
            }
        }
    }
    if (p->nerrors == 0 && p->nrules == 0) {
        report(p, &header_tok, "the rule set has no rules");
    }
    return p->nerrors > 0 ? VG_EPARSE : VG_OK;
}

/* Moves the parsed rules into the set's array. */
static enum vg_status build_set(struct parser *p)
{
    struct vg_rule_set *set = p->set;
    set->rules = vg_arena_calloc(p->arena, p->nrules, sizeof(*set->rules));
    set->hot = vg_arena_calloc(p->arena, p->nrules, sizeof(*set->hot));
    if (set->rules == NULL || set->hot == NULL) {
        return VG_ENOMEM;
    }
    size_t i = 0;
    for (struct rule_build *rb = p->rules; rb != NULL; rb = rb->next) {
        const struct rule *r = &rb->r;
        set->rules[i] = *r;
        set->hot[i].cond = r->cond;
        /* valid_to is the last day of validity, inclusive. */
        set->hot[i].from = r->info.valid_from == VG_TIME_NONE ? INT64_MIN : r->info.valid_from;
        set->hot[i].until = r->info.valid_to == VG_TIME_NONE ? INT64_MAX : r->info.valid_to + 86400;
        set->hot[i].weight = r->info.weight;
        set->hot[i].action = r->info.action;
        i++;
    }
    set->nrules = i;
    set->info.rules = i;
    set->info.lists = p->nlists;
    return VG_OK;
}

enum vg_status vg_rules_compile(const char *text, size_t len, const char *source,
                                const struct vg_feature_schema *schema, vg_rules_diag_fn diag,
                                void *user, struct vg_rule_set **out, struct vg_error *err)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (schema == NULL || out == NULL || (text == NULL && len > 0)) {
        return vg_error_set(err, VG_EINVAL, "no rule text, schema or output");
    }
    if (len > VG_RULES_MAX_SOURCE) {
        vg_error_at(err, source, 0, 0, 0, 0);
        return vg_error_set(err, VG_ELIMIT, "rule text is larger than %u bytes",
                            (unsigned)VG_RULES_MAX_SOURCE);
    }
    struct vg_rule_set *set = vg_calloc(1, sizeof(*set));
    if (set == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    /* Blocks in proportion to the text: a compiled set takes a few times its source. */
    size_t block = len * 4 < 4096 ? 4096 : len * 4 > 65536 ? 65536 : len * 4;
    vg_arena_init(&set->arena, block, 256u << 20);
    struct parser p;
    memset(&p, 0, sizeof(p));
    p.arena = &set->arena;
    p.set = set;
    p.schema = schema;
    p.source = source;
    p.diag = diag;
    p.user = user;
    p.err = err;
    vg_map_init(&p.list_names);
    vg_map_init(&p.rule_ids);
    set->schema = schema;
    set->info.valid_from = VG_TIME_NONE;
    set->info.valid_to = VG_TIME_NONE;
    set->info.description = "";
    set->info.owner = "";
    set->info.source = vg_arena_strndup(p.arena, source != NULL ? source : "",
                                        source != NULL ? strlen(source) : 0);
    p.used = vg_arena_calloc(p.arena, schema->count + 1, 1);
    enum vg_status st = VG_ENOMEM;
    if (set->info.source != NULL && p.used != NULL) {
        vg__lex_init(&p.lx, text != NULL ? text : "", len, p.arena);
        st = parse_file(&p);
    }
    if (st == VG_OK) {
        st = build_set(&p);
    }
    vg_map_release(&p.list_names);
    vg_map_release(&p.rule_ids);
    if (st != VG_OK) {
        vg_rules_free(set);
        if (st == VG_ENOMEM) {
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        if (p.limit_hit) {
            if (err != NULL) {
                err->code = VG_ELIMIT;
            }
            return VG_ELIMIT;
        }
        return VG_EPARSE;
    }
    *out = set;
    return VG_OK;
}

void vg_rules_free(struct vg_rule_set *set)
{
    if (set == NULL) {
        return;
    }
    vg_arena_release(&set->arena);
    vg_free(set);
}

const struct vg_rule_set_info *vg_rules_info(const struct vg_rule_set *set)
{
    return &set->info;
}

const struct vg_feature_schema *vg_rules_schema(const struct vg_rule_set *set)
{
    return set->schema;
}

size_t vg_rules_count(const struct vg_rule_set *set)
{
    return set->nrules;
}

const struct vg_rule_info *vg_rules_get(const struct vg_rule_set *set, size_t i)
{
    return i < set->nrules ? &set->rules[i].info : NULL;
}

bool vg_rules_find(const struct vg_rule_set *set, const char *id, size_t *index)
{
    for (size_t i = 0; i < set->nrules; i++) {
        if (strcmp(set->rules[i].info.id, id) == 0) {
            *index = i;
            return true;
        }
    }
    return false;
}

const char *vg_rule_action_name(enum vg_rule_action action)
{
    return action == VG_RULE_HOLD ? "hold" : "score";
}

const char *vg_rule_outcome_name(enum vg_rule_outcome outcome)
{
    switch (outcome) {
    case VG_RULE_NOT_FIRED:
        return "not fired";
    case VG_RULE_FIRED:
        return "fired";
    case VG_RULE_UNKNOWN:
        return "unknown";
    case VG_RULE_INACTIVE:
        return "inactive";
    }
    return "?";
}
