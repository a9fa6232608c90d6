/*
 * vigia/rules.h - the rule language: versioned rule sets compiled once, evaluated fast.
 *
 * A rule set is a text file (syntax and examples: docs/rules.md) that declares the set
 * (name, version, validity dates), named lists, and rules. Each rule has an id, a title, a
 * rationale citing its sources, an owner, a weight, validity dates, an action (score: adds
 * its weight; hold: mandatory hold), an optional examiner task and explanation template,
 * and a condition over the features of a vigia/features.h schema:
 *
 *     rule SEAL-01
 *       title     "Seal changed between gate-in and loading"
 *       rationale "Rip-on replaces the seal with a duplicate [DT1]"
 *       owner     "PCU Callao"
 *       weight    30
 *       explain   "gate seal {seal_gate_in} -> load seal {seal_load}"
 *       when      seal_gate_to_load = "different"
 *     end
 *
 * vg_rules_compile turns the text into a struct vg_rule_set: feature names are resolved
 * to schema indexes, types are checked, lists are sorted, and every error names
 * source:line:column and what was expected. Evaluation (vg_rules_eval) walks the resolved
 * expression trees of every rule over one feature record without allocating, with
 * three-valued logic: a comparison on an unknown feature is unknown, `false and unknown`
 * is false, `true or unknown` is true, and a rule whose condition is unknown does not
 * fire; it is reported as unknown together with the feature that blocked it.
 *
 * A compiled set is immutable: any number of threads may evaluate it at once.
 */
#ifndef VIGIA_RULES_H
#define VIGIA_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vigia/features.h>
#include <vigia/slice.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Limits of the compiler (input beyond them is refused with VG_ELIMIT or VG_EPARSE). */
#define VG_RULES_MAX_SOURCE (8u << 20) /* bytes of rule text */
#define VG_RULES_MAX_RULES 10000       /* rules per set */
#define VG_RULES_MAX_DEPTH 48          /* nesting of an expression */
#define VG_RULES_MAX_NODES 4096        /* expression nodes per rule */
#define VG_RULES_MAX_STRING 4096       /* bytes of one text value */
#define VG_RULES_MAX_ERRORS 50         /* errors reported before compilation stops */

/* Weights lie in [-VG_RULES_MAX_WEIGHT, VG_RULES_MAX_WEIGHT]. */
#define VG_RULES_MAX_WEIGHT 100.0

/* "No feature" in feature-index fields. */
#define VG_RULES_NO_FEATURE UINT32_MAX

struct vg_rule_set;

enum vg_rule_action {
    VG_RULE_SCORE = 0, /* a fired rule adds its weight to the score */
    VG_RULE_HOLD = 1,  /* a fired rule adds its weight and puts the trip on mandatory hold */
};

enum vg_rule_outcome {
    VG_RULE_NOT_FIRED = 0, /* the condition is false */
    VG_RULE_FIRED = 1,     /* the condition is true */
    VG_RULE_UNKNOWN = 2,   /* the condition could not be decided: an unknown feature */
    VG_RULE_INACTIVE = 3,  /* the as-of time lies outside the rule's validity dates */
};

/* Returns "score" or "hold" (static). */
const char *vg_rule_action_name(enum vg_rule_action action);

/* Returns "not fired", "fired", "unknown" or "inactive" (static). */
const char *vg_rule_outcome_name(enum vg_rule_outcome outcome);

/*
 * A compiled rule as written. Strings are NUL-terminated and owned by the rule set; they
 * live until vg_rules_free. Dates are UTC day starts (vg time); valid_to is the last day
 * of validity, inclusive. VG_TIME_NONE marks an open end.
 */
struct vg_rule_info {
    const char *id;
    const char *title;
    const char *rationale;
    const char *owner;        /* the rule's owner, else the set's */
    const char *task;         /* examiner task, NULL when none */
    const char *explain;      /* explanation template as written, NULL when none */
    const char *condition;    /* the condition as written, comments dropped, spaces folded */
    double weight;
    enum vg_rule_action action;
    int64_t valid_from;       /* effective: the rule's own date, else the set's */
    int64_t valid_to;
    int64_t review_by;        /* date by which the owner reviews the rule; VG_TIME_NONE */
    uint32_t line;            /* line of the `rule` keyword in the source */
    const uint32_t *features; /* schema indexes the condition reads, ascending, no repeats */
    size_t nfeatures;
};

/* The rule set's header. Strings as in struct vg_rule_info. */
struct vg_rule_set_info {
    const char *name;
    const char *version;
    const char *description; /* "" when none */
    const char *owner;       /* default owner of the rules; "" when none */
    const char *source;      /* the source name given to vg_rules_compile */
    int64_t valid_from;
    int64_t valid_to;
    size_t rules;
    size_t lists;
};

/*
 * Called once per compile error (a struct vg_error with source, line, column, byte offset
 * and message), in source order, so that a caller can report all of them. The error is
 * only valid during the call.
 */
typedef void (*vg_rules_diag_fn)(void *user, const struct vg_error *err);

/*
 * Compiles rule text text[0..len) (UTF-8; need not be NUL-terminated; borrowed for the
 * call only) against schema, which must outlive the returned set. source names the text in
 * errors and in the set's info (a file name; may be NULL).
 *
 * On success returns VG_OK and *out owns a new set (free with vg_rules_free). On failure
 * *out is NULL and:
 *   VG_EPARSE  the text has errors: each goes to diag (may be NULL) and the first to err
 *              (may be NULL); compilation goes on after an error to report the next ones,
 *              up to VG_RULES_MAX_ERRORS
 *   VG_ELIMIT  a limit above was exceeded (err says which)
 *   VG_EINVAL  schema or out is NULL
 *   VG_ENOMEM  out of memory; nothing is leaked
 */
VG_NODISCARD enum vg_status vg_rules_compile(const char *text,
                                             size_t len,
                                             const char *source,
                                             const struct vg_feature_schema *schema,
                                             vg_rules_diag_fn diag,
                                             void *user,
                                             struct vg_rule_set **out,
                                             struct vg_error *err);

/* Frees a set and everything it owns. NULL-safe. */
void vg_rules_free(struct vg_rule_set *set);

/* The set's header (owned by the set). */
const struct vg_rule_set_info *vg_rules_info(const struct vg_rule_set *set);

/* The schema the set was compiled against. */
const struct vg_feature_schema *vg_rules_schema(const struct vg_rule_set *set);

/* Number of rules; rules are numbered 0..count-1 in source order. */
size_t vg_rules_count(const struct vg_rule_set *set);

/* Rule i (owned by the set), or NULL when i is out of range. */
const struct vg_rule_info *vg_rules_get(const struct vg_rule_set *set, size_t i);

/* Finds a rule by id: true and *index set when found. */
bool vg_rules_find(const struct vg_rule_set *set, const char *id, size_t *index);

/* The result of one rule on one record. */
struct vg_rule_result {
    enum vg_rule_outcome outcome;
    enum vg_rule_action action; /* the rule's action, whatever the outcome */
    double weight;              /* the rule's weight, whatever the outcome */
    uint32_t blocked_by;        /* VG_RULE_UNKNOWN: the first unknown feature that kept the
                                   condition undecided (schema index); VG_RULES_NO_FEATURE
                                   otherwise, or when no feature was to blame (a division
                                   by zero) */
};

/* Totals over the results of one record. */
struct vg_rules_summary {
    size_t fired;
    size_t not_fired;
    size_t unknown;
    size_t inactive;
    size_t holds;        /* fired rules whose action is hold */
    double weight;       /* sum of the weights of the fired rules */
};

/*
 * Evaluates every rule of set on record[0..nvalues), the feature values indexed like the
 * set's schema, as of instant as_of (vg time; VG_TIME_NONE ignores validity dates).
 * results must hold vg_rules_count(set) entries and receives one per rule, in order;
 * summary (may be NULL) receives the totals. Does not allocate and never fails on bad
 * values (a value of the wrong kind reads as unknown). Returns VG_EINVAL, touching
 * nothing, when nvalues differs from the schema's feature count or a pointer is NULL.
 */
VG_NODISCARD enum vg_status vg_rules_eval(const struct vg_rule_set *set,
                                          const struct vg_value *record,
                                          size_t nvalues,
                                          int64_t as_of,
                                          struct vg_rule_result *results,
                                          struct vg_rules_summary *summary);

/*
 * The evidence of rule i on record: the features whose values decided its condition.
 * For a true condition, the features that made it true (of `a or b`, only the true side);
 * for a false one, those that made it false; for an unknown one, the unknown features
 * that blocked it. Validity dates are not considered. Writes up to cap schema indexes to
 * features, in ascending order, sets *count to how many there are in all (may exceed cap),
 * and *outcome (may be NULL) to VG_RULE_FIRED, VG_RULE_NOT_FIRED or VG_RULE_UNKNOWN.
 * VG_EINVAL on a bad index or nvalues; never allocates.
 */
VG_NODISCARD enum vg_status vg_rules_evidence(const struct vg_rule_set *set,
                                              size_t i,
                                              const struct vg_value *record,
                                              size_t nvalues,
                                              uint32_t *features,
                                              size_t cap,
                                              size_t *count,
                                              enum vg_rule_outcome *outcome);

/*
 * Appends to out the reason text of rule i on record, for a person to read:
 *   fired      "Title (gate seal ABC123 -> load seal ABD123)": the title and the rule's
 *              explanation template filled with the record's values, or without a
 *              template the deciding features ("Title (dwell_hours = 96 hours)")
 *   unknown    "Title: undecided, seal_gate_in unknown (no gate data)", naming each
 *              blocking feature with the reason its value carries, else its feeds
 *   not fired  "Title: not fired"
 * Validity dates are not considered. VG_EINVAL on a bad index or nvalues; VG_ENOMEM or
 * VG_ELIMIT from the buffer (out keeps what was appended before).
 */
VG_NODISCARD enum vg_status vg_rules_explain(const struct vg_rule_set *set,
                                             size_t i,
                                             const struct vg_value *record,
                                             size_t nvalues,
                                             struct vg_buf *out);

/*
 * Appends value v of feature def as text for people: numbers without needless decimals
 * followed by the unit ("96 hours", "3.27"), booleans "yes"/"no", strings as they are,
 * lists joined by ", " (the first 10 items, then "…"), unknown values as "unknown".
 */
VG_NODISCARD enum vg_status vg_rules_format_value(const struct vg_feature_def *def,
                                                  const struct vg_value *v,
                                                  struct vg_buf *out);

#ifdef __cplusplus
}
#endif
#endif
