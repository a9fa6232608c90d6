/*
 * vigia/risk.h - risk assessments of container trips: features computed from the store,
 * a documented 0-100 score with reasons that cite their sources, versioned assessments,
 * and rule sets kept in the store.
 *
 * The unit is a container trip (table trips: a container on one port call). An assessment
 * is made as of an instant and uses only records whose own event or preparation time is at
 * or before it (never the time they were ingested). The first assessment of a trip is made
 * as of its loading (moment "pre-load"; "pre-arrival" for imports, as of the discharge);
 * later runs add a version (moment "rescore") only when the evidence changed: a seal, a
 * vessel event on the voyage, an outcome linked to a party, a watch-list entry, the rule
 * set or the model. Versions are never overwritten.
 *
 * Scoring (docs/scoring.md):
 *
 *   points = sum of the weights of the fired rules            (the active rule set)
 *          + graded evidence, below 5 points in all           (continuous features)
 *          + 10 x log10(1 + odds(p) / odds(base))           (the model, when one is given)
 *   score  = 100 * (1 - exp(-points / 50))                    (0 to 100, never reached)
 *   band   = red when a fired rule holds the trip or score >= 60, amber >= 35, else green
 *
 * Features: docs/features.md. The computation reads the whole store once per run and
 * keeps what it needs in memory (aggregates per party, HS heading, container, port and
 * day), so that a run assesses every trip without one query per feature per trip.
 */
#ifndef VIGIA_RISK_H
#define VIGIA_RISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vigia/arena.h>
#include <vigia/features.h>
#include <vigia/map.h>
#include <vigia/model.h>
#include <vigia/rows.h>
#include <vigia/rules.h>
#include <vigia/slice.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_store;

/* Score constants (docs/scoring.md). */
#define VG_RISK_SCALE        50.0 /* points that give a score of 63.2 */
#define VG_RISK_RED          50.0 /* score from which a trip is red (about 35 points) */
#define VG_RISK_AMBER        33.0 /* score from which a trip is amber (about 20 points) */
#define VG_RISK_GRADED_MAX   1.9  /* graded evidence adds at most this many points */
#define VG_RISK_MODEL_WEIGHT 10.0 /* default model points per tenfold odds over the base rate */
#define VG_RISK_MODEL_BASE   0.01 /* default base rate of a model that does not know its own */

/* The score for a number of points: 100 * (1 - exp(-points / VG_RISK_SCALE)), 0 for
 * points <= 0. */
double vg_risk_score_of(double points);

/*
 * The points of a model probability p (0 to 1) for a model whose base rate (the
 * probability of a trip it knows nothing about) is base (0 < base < 1):
 * weight * log10(1 + odds(p) / odds(base)). In the units of the default rules (10 x log10
 * of a likelihood ratio, docs/rules.md): a probability ten times the base odds adds about
 * weight points, one at the base rate log10(2) x weight, a probability near 0 almost
 * nothing; never negative, increasing in p. A base outside (0, 1) or NaN reads as
 * VG_RISK_MODEL_BASE.
 */
double vg_risk_model_points(double p, double base, double weight);

/* "red", "amber" or "green" (static) for a score and whether a rule holds the trip. */
const char *vg_risk_band(double score, bool hold);

/*
 * A model (M1-6) the score can combine with the rules. predict gets a trip's feature
 * record (record[0..n), indexed like vg_feature_catalog()) and sets *p to the probability
 * (0 to 1) that the trip is a case; it may append to why the largest contributions in
 * words ("weight per carton 18% above the norm for fresh avocados"). A status other than
 * VG_OK stops the run with that status.
 */
struct vg_risk_model {
    const char *version; /* recorded in the reasons, e.g. "xgb 2026-05-01" */
    int64_t model_id;    /* models.id recorded with each assessment, 0 when none */
    double weight;       /* points per tenfold odds (vg_risk_model_points); 0 picks
                            VG_RISK_MODEL_WEIGHT */
    enum vg_status (*predict)(
        void *user, const struct vg_value *record, size_t n, double *p, struct vg_buf *why);
    void *user;
    /* Optional (may be NULL): appends to json one JSON object about the last prediction,
     * kept as the evidence of the model's reason (vg_risk_learned writes the probability,
     * the contributions it explained and the features it reads as novel, which targeting
     * uses to explore). Called only after predict, for versions that are written. */
    enum vg_status (*evidence)(void *user, struct vg_buf *json);
    double base_rate; /* the model's base rate (vg_risk_model_points); 0 picks
                         VG_RISK_MODEL_BASE */
};

/*
 * A trained model (vigia/model.h) as the score's model term: give &l->hook to
 * vg_risk_options.model. predict scores a record with exact contributions
 * (VG_MODEL_CONTRIB_EXACT) and appends the `explain` largest contributions that raise the
 * risk, each at least min_contribution in log-odds, in words (vg_model_explain), joined
 * by "; "; evidence writes {"probability":P,"contributions":{"feature":C,...},
 * "novel":["feature",...]} (vg_model_novelty). The struct holds the scratch space, so one
 * per scoring run (not thread-safe, like the model).
 */
struct vg_risk_learned {
    struct vg_risk_model hook;
    struct vg_model *model;  /* borrowed: loaded against vg_feature_catalog(), outlives l */
    size_t explain;          /* contributions explained in words: 3 */
    double min_contribution; /* smallest contribution explained, log-odds: 0.1 */
    /* The last prediction. */
    double p;
    float contribs[VG_F_COUNT + 1];
    struct vg_model_reason top[8];
    size_t ntop;
    const struct vg_value *record;
};

/* Fills l for model (borrowed) stored as models.id model_id (0 when not stored), with the
 * defaults above and the model's version. */
void vg_risk_learned_init(struct vg_risk_learned *l, struct vg_model *model, int64_t model_id);

struct vg_risk_options {
    const char *port;                  /* only trips of this port (UN/LOCODE); NULL: every port */
    int64_t as_of;                     /* the run's instant (vg time); VG_TIME_NONE: now */
    int rescore_days;                  /* trips loaded more than this many days before as_of are
                                          not re-scored (they are still assessed once); 0 picks 60 */
    const struct vg_rule_set *rules;   /* NULL: the store's active rule set; when none is
                                          active the built-in default is stored and activated */
    int64_t rule_set_id;               /* with rules: its rule_sets id (0 when not stored) */
    const struct vg_risk_model *model; /* NULL: rules and lists only */
    bool dry_run;                      /* compute everything, write nothing (benchmarks) */
    bool recompute_all;                /* compute the re-score of a trip just assessed as of
                                          its loading even when nothing dated since could
                                          change its record (checks; the same versions) */
};

struct vg_risk_report {
    int64_t trips;                    /* trips considered */
    int64_t computed;                 /* feature records computed */
    int64_t assessed;                 /* trips assessed for the first time */
    int64_t rescored;                 /* versions added to trips assessed before */
    int64_t unchanged;                /* records equal to the latest version (nothing written) */
    int64_t red, amber, green, holds; /* among the versions written */
    int64_t rule_set_id;
    double load_seconds;    /* reading the store and preparing aggregates */
    double compute_seconds; /* features, rules, lists, model */
    double write_seconds;   /* writing assessments and reasons */
};

/*
 * Assesses every trip not assessed yet and re-scores those with new evidence, as of
 * opts->as_of (opts may be NULL: every port, now, the active rules). One transaction with
 * one audit entry ("risk.score") when anything was written; nothing is written (and no
 * entry appended) when nothing changed, so that scoring twice adds nothing. report may be
 * NULL. Returns VG_OK, VG_EDB, VG_ENOMEM, VG_EPARSE (the stored active rule set does not
 * compile any more; err names it), or a model's status.
 */
VG_NODISCARD enum vg_status vg_risk_score(struct vg_store *store,
                                          const struct vg_risk_options *opts,
                                          struct vg_risk_report *report,
                                          struct vg_error *err);

/*
 * Finds a trip by text: a trip id (digits), or a container number (its latest trip that
 * began at or before as_of; VG_TIME_NONE: its latest trip). VG_ENOTFOUND when none.
 */
VG_NODISCARD enum vg_status vg_risk_find_trip(struct vg_store *store,
                                              const char *text,
                                              int64_t as_of,
                                              int64_t *trip_id,
                                              struct vg_error *err);

/*
 * Computes the feature record of trip trip_id as of as_of (VG_TIME_NONE: now) and hands it
 * to sink, one row per feature in catalogue order: feature, value (as people read it, with
 * its unit), type, state ("known" or "unknown"), reason (why unknown), source (messages
 * and segments, outcomes, vessel events or watch-list entries it rests on). The first row
 * is preceded by the trip as rows of feature "_trip", "_as_of" and "_reference_time".
 * VG_ENOTFOUND, VG_EDB, VG_ENOMEM.
 */
VG_NODISCARD enum vg_status vg_risk_features_list(struct vg_store *store,
                                                  int64_t trip_id,
                                                  int64_t as_of,
                                                  const struct vg_row_sink *sink,
                                                  struct vg_error *err);

/* ---- rule sets in the store ---------------------------------------------------------- */

/* The built-in default rule set (rules/default.rules as built; static, not
 * NUL-terminated): its bytes and *len. */
const char *vg_risk_default_rules(size_t *len);

/*
 * Stores the rule set text[0..len) (named source in errors) in rule_sets, versioned by the
 * set's name and version, after compiling it against the feature catalogue (errors go to
 * diag, may be NULL). The same name and version with the same text is already there
 * (nothing written, *is_new false); with another text it is refused (VG_ECONFLICT: give
 * the changed set a new version). activate makes it the one active set (the others are
 * deactivated). Audited ("rules.load", "rules.activate"). *id (may be NULL) gets its id.
 * Returns VG_OK, VG_EPARSE (compile errors), VG_ECONFLICT, VG_EDB, VG_ENOMEM.
 */
VG_NODISCARD enum vg_status vg_risk_rules_load(struct vg_store *store,
                                               const char *text,
                                               size_t len,
                                               const char *source,
                                               bool activate,
                                               vg_rules_diag_fn diag,
                                               void *user,
                                               int64_t *id,
                                               bool *is_new,
                                               struct vg_error *err);

/*
 * The active rule set, compiled (*set owned by the caller, vg_rules_free) and its id.
 * When the store has none, the built-in default is stored and activated first (audited).
 * VG_EPARSE when the stored text no longer compiles, VG_EDB, VG_ENOMEM.
 */
VG_NODISCARD enum vg_status vg_risk_rules_active(struct vg_store *store,
                                                 struct vg_rule_set **set,
                                                 int64_t *id,
                                                 struct vg_error *err);

/* Lists the stored rule sets, newest first: id, name, version, active (yes/no), loaded_at,
 * loaded_by, digest. */
VG_NODISCARD enum vg_status
vg_risk_rules_list(struct vg_store *store, const struct vg_row_sink *sink, struct vg_error *err);

/*
 * Back-tests set on the recorded outcomes: every outcome linked to a trip (by its trip, or
 * by container, bill of lading and dates) is one inspected trip; its features are
 * computed as of its loading (its own outcome never counts). Rows, one per rule then a
 * total row (rule "*"): rule, title, action, weight, inspected, hits (fired on an
 * inspected trip), positives (of those, with drugs found), hit_rate (positives / hits),
 * undecided (condition unknown), base_rate (positives / inspected, over all inspected
 * trips). VG_EDB, VG_ENOMEM.
 */
VG_NODISCARD enum vg_status vg_risk_backtest(struct vg_store *store,
                                             const struct vg_rule_set *set,
                                             const struct vg_row_sink *sink,
                                             struct vg_error *err);

/* ---- training examples ---------------------------------------------------------------- */

/* Days after a trip leaves within which a find abroad may still be reported (the default
 * delay of vg_risk_examples: a negative trip that left more recently is not a label yet). */
#define VG_RISK_DELAY_DAYS 45

struct vg_risk_examples_options {
    int64_t until;            /* the cut-off: only outcomes inspected at or before it are labels;
                                 VG_TIME_NONE: now */
    int delay_days;           /* 0 picks VG_RISK_DELAY_DAYS; negative: no delay rule */
    const char *port;         /* only trips of this port (UN/LOCODE); NULL: every port */
    bool keep_late_positives; /* keep the finds among the trips that left within the delay
                                 (their negatives are not labels yet). Off by default:
                                 positives without their negatives make every feature that
                                 grows with time look like risk (docs/model.md) */
    double unexamined_ratio;  /* presumed negatives to sample per examined example: loaded
                                 trips nobody examined, with no find reported by the cut-off,
                                 that left between the first example and the cut-off less the
                                 delay (VG_MODEL_UNEXAMINED, weighed by 1 / the sampled
                                 share). 0 (default): none. docs/model.md, "Presumed
                                 negatives" */
};

/* Examples and positives of one selection stream. */
struct vg_risk_stream {
    size_t examples, positives;
};

/*
 * The labelled trips of a store, for vg_model_train, and what was measured about them.
 * Everything is owned by the struct (vg_risk_examples_release); records borrow nothing
 * from the store.
 */
struct vg_risk_examples {
    struct vg_model_example *items; /* n examples, in trip order; each record holds
                                       VG_F_COUNT values indexed like vg_feature_catalog() */
    int64_t *trips;                 /* trips.id of each example */
    size_t n;
    size_t positives;
    struct vg_risk_stream streams[4]; /* by enum vg_model_selection */
    int64_t from, to;                 /* earliest and latest example time; VG_TIME_NONE when
                                         there is none */
    int64_t until;                    /* the cut-off used */
    int delay_days;                   /* the delay used (0: none) */
    /* Left out. */
    size_t after_until;          /* outcomes inspected after the cut-off */
    size_t unlinked;             /* outcomes (by the cut-off) that no trip could be linked to */
    size_t late_negatives;       /* examined trips without a find that left fewer than delay_days
                                    before the cut-off */
    size_t late_positives;       /* trips with a find that left within the delay (left out unless
                                    keep_late_positives) */
    size_t not_loaded;           /* examined exports never loaded on their call (a seized box):
                                    no record as of a loading exists */
    size_t not_loaded_positives; /* of which with a find */
    size_t unexamined_eligible;  /* trips a presumed negative could be sampled from */
    /* Selection shares (docs/model.md, "Selection bias"), measured over the complete
     * window [share_from, share_to]: the examples' first time to the cut-off less the
     * delay (to the last example time when that window is empty). */
    struct vg_model_shares shares; /* what vg_model_train gets; 1 where not measured */
    int64_t share_from, share_to;
    int64_t window_trips;     /* trips of the window (of the port, when given) */
    int64_t random_examined;  /* of which examined at origin through the random stream */
    int64_t targets;          /* container targets selected by vigia in the window (hold,
                                 rule, list, model, score) */
    int64_t targets_examined; /* of which examined at origin */
    bool random_measured;     /* shares.random = random_examined / window_trips */
    bool targeted_measured;   /* shares.targeted = targets_examined / targets (false when
                                 vigia selected no target in the window: the examinations
                                 came from elsewhere, their propensity is unknown) */
    /* Storage. */
    struct vg_value *values;
    struct vg_arena arena;
    struct vg_map strings;
};

/*
 * Collects training examples (docs/model.md): every trip examined by the cut-off (an
 * outcome inspected at or before opts->until linked to it, by its own link or by
 * container and dates, exactly as vg_risk_backtest counts them), with
 *   record     its features as of its loading (imports: discharge; a trip never loaded,
 *              such as a seized box, as of just before its first examination), and never
 *              later than the cut-off; its own outcomes never count
 *   time       that instant
 *   positive   one of its outcomes found drugs
 *   selection  random when an examination at origin was drawn at random, else targeted
 *              when it was examined at origin, else partner (found abroad only); the
 *              stream is the outcomes' `selection`, else the reason of the target the
 *              examination closed, else partner for finds abroad and targeted otherwise
 * A trip that left (departure, else loading) fewer than delay_days before the cut-off is
 * left out: without a find, a find abroad may still come; with one, keeping it without the
 * negatives of the same weeks would tie the label to time (keep_late_positives keeps it).
 * An export never loaded on its call (a box seized at origin) is left out too: its record
 * would lack every loading fact, which the trips scored as of their loading all have, so
 * the model would learn "no loading report" as the sign of a seizure.
 * opts may be NULL (now, the default delay, every port). *out is filled (and owned by the
 * caller) on success, left empty on failure. VG_EINVAL on NULL out; VG_EDB, VG_ENOMEM.
 */
VG_NODISCARD enum vg_status vg_risk_examples(struct vg_store *store,
                                             const struct vg_risk_examples_options *opts,
                                             struct vg_risk_examples *out,
                                             struct vg_error *err);

/* Frees what vg_risk_examples gave; the struct is left empty. NULL-safe. */
void vg_risk_examples_release(struct vg_risk_examples *ex);

/* ---- assessments ------------------------------------------------------------------ */

struct vg_risk_filter {
    int64_t from;     /* trips departing at or after (vg time); VG_TIME_NONE: no bound */
    int64_t to;       /* and before; VG_TIME_NONE: no bound */
    const char *port; /* UN/LOCODE or NULL */
    bool all;         /* every version, not only each trip's latest */
    bool features;    /* add a last column, features: the feature record as JSON */
};

/*
 * Lists assessments, one row per trip (its latest version; every version with all),
 * ordered by departure, port, container, version. Columns (docs/formats.md, the stable
 * interface): container, bill_of_lading (';'-joined), port, departure (ISO 8601 UTC),
 * moment, score (decimal, 4 places), band, reasons (' | '-joined, each citing its source),
 * then trip, version, as_of, hold (yes/no), rule_set, model, missing_feeds. VG_EDB.
 */
VG_NODISCARD enum vg_status vg_risk_assessments_list(struct vg_store *store,
                                                     const struct vg_risk_filter *filter,
                                                     const struct vg_row_sink *sink,
                                                     struct vg_error *err);

/*
 * Appends to out the JSON of a stored feature record (assessments.features, data[0..len)):
 * the record as docs/scoring.md "The feature record" shows it. A record is stored packed
 * (its features named by ids of the store's feature_names); a record stored as JSON by an
 * earlier version is appended as it is. The SQL function vg_feature_record(features) gives
 * the same text in the queries of vg_risk_assessments_list. VG_EINVAL (store or out NULL),
 * VG_EPARSE (not a feature record, or one naming a feature the store does not have; out
 * unchanged), VG_ENOMEM/VG_ELIMIT (out cannot grow), VG_EDB, VG_ELIMIT (a damaged names
 * table).
 */
VG_NODISCARD enum vg_status vg_risk_record_text(
    struct vg_store *store, const void *data, size_t len, struct vg_buf *out, struct vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
