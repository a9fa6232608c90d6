/*
 * Rule language internals shared by the compiler (lex.c, parse.c), the evaluator
 * (eval.c) and the explainer (explain.c).
 *
 * A compiled set lives in one arena: the header, the rules, their expression trees, the
 * sets they test membership in and every string. An expression is a tree of struct rx
 * nodes whose static type was checked at compile time, with feature names resolved to
 * record indexes, so evaluation is a switch per node and never allocates.
 */
#ifndef VIGIA_RULES_INT_H
#define VIGIA_RULES_INT_H

#include <vigia/arena.h>
#include <vigia/rules.h>

/* Static types of expressions; each equals the enum vg_value_kind of its values, so that a
 * feature node checks a value with one comparison. */
enum rx_type {
    TY_NUM = VG_VALUE_NUMBER,
    TY_BOOL = VG_VALUE_BOOL,
    TY_STR = VG_VALUE_STRING,
    TY_LIST = VG_VALUE_LIST, /* only list features have this type */
};

enum rx_op {
    OP_CONST_NUM = 1, /* k.num */
    OP_CONST_STR,     /* k.str */
    OP_CONST_BOOL,    /* k.b */
    OP_FEAT,          /* feat; type from the schema */
    OP_KNOWN,         /* known(feat): never unknown */
    OP_COUNT,         /* count(list feature) */
    OP_NEG,           /* -l */
    OP_ABS,           /* abs(l) */
    OP_ADD,           /* l + r ... */
    OP_SUB,
    OP_MUL,
    OP_DIV,           /* unknown when r is 0 */
    OP_CMP,           /* l cmp r, both of l->type */
    OP_AND,           /* kids[0..nkids) */
    OP_OR,
    OP_NOT,           /* not l */
    OP_IN,            /* l in set: l is NUM, STR or LIST (any item) */
    OP_MATCHES,       /* l matches set (globs): l is STR or LIST (any item) */
    OP_CMP_NUM_FK,    /* fused OP_CMP: number feature feat cmp constant k.num */
    OP_CMP_STR_FK,    /* fused OP_CMP: text feature feat = or != constant k.str */
};

enum rx_cmp { CMP_EQ = 1, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

enum rset_kind {
    SET_STR = 1, /* strs sorted by rules_strcmp_ci, unique */
    SET_NUM,     /* nums sorted ascending, unique */
    SET_PREFIX,  /* strs: any prefix */
    SET_GLOB,    /* strs: any glob pattern (* and ?) */
    SET_FEAT,    /* the items of list feature feat */
};

struct rset {
    enum rset_kind kind;
    uint32_t feat;
    size_t n;
    const struct vg_slice *strs;
    const double *nums;
    const char *name; /* the named list, or NULL for a literal */
};

struct rx {
    uint8_t op;     /* enum rx_op */
    uint8_t type;   /* enum rx_type of the node's value */
    uint8_t cmp;    /* OP_CMP: enum rx_cmp; OP_KNOWN: the feature's enum vg_value_kind */
    uint8_t depth;  /* 1 for leaves */
    uint32_t feat;  /* OP_FEAT, OP_KNOWN, OP_COUNT */
    uint32_t nkids; /* OP_AND, OP_OR */
    struct rx *l, *r;
    struct rx **kids;
    const struct rset *set; /* OP_IN, OP_MATCHES */
    union {
        double num;
        bool b;
        struct vg_slice str;
    } k;
};

/* A piece of an explanation template: literal text, or a feature's value. */
struct tmpl_part {
    struct vg_slice text;
    uint32_t feat; /* VG_RULES_NO_FEATURE for text */
};

struct rule {
    struct vg_rule_info info;
    const struct rx *cond;
    const struct tmpl_part *tmpl;
    size_t ntmpl;
};

/* What evaluation reads of a rule, packed together for the loop over the rules. */
struct rule_hot {
    const struct rx *cond;
    int64_t from;  /* first instant of validity; INT64_MIN when open */
    int64_t until; /* first instant after validity; INT64_MAX when open */
    double weight;
    enum vg_rule_action action;
};

struct vg_rule_set {
    struct vg_arena arena;
    struct vg_rule_set_info info;
    const struct vg_feature_schema *schema;
    struct rule *rules;
    struct rule_hot *hot; /* nrules entries, parallel to rules */
    size_t nrules;
};

/* Three-valued truth. */
enum tri { TRI_F = 0, TRI_T = 1, TRI_U = 2 };

/* Evaluates a boolean expression on a record (eval.c). */
enum tri vg__rx_eval(const struct rx *n, const struct vg_value *rec);

/* The first feature, in source order, whose unknown value keeps the boolean expression n
 * undecided on rec; VG_RULES_NO_FEATURE when n is decided or no feature is to blame
 * (explain.c). */
uint32_t vg__rx_first_blocker(const struct rx *n, const struct vg_value *rec);

/* Case-insensitive (ASCII) ordering and equality of byte strings (eval.c). */
int vg__rules_strcmp_ci(struct vg_slice a, struct vg_slice b);
bool vg__rules_streq_ci(struct vg_slice a, struct vg_slice b);

/* Glob match: '*' any run, '?' one byte, ASCII case-insensitive (eval.c). */
bool vg__rules_glob(struct vg_slice pattern, struct vg_slice s);

#endif
