/*
 * vigia/eval.h - how good a ranking is: metrics at inspection budgets, against the truth of
 * a simulated world (vigia sim's truth.json).
 *
 * Metrics (docs/targeting.md, "Evaluation"): a ranking of n trips by score, p of them
 * positive, inspected at rate r takes the first k = ceil(r * n) trips. Ties are broken at
 * random, so a tied group that straddles the cut counts by expectation: each of its trips
 * is taken with probability (k - above) / tied. Then
 *   precision@r = hits / k            recall@r = hits / p
 *   lift@r      = precision / (p / n) best@r   = min(1, p / k)   (the best any ranking can do)
 *   ROC AUC     = the Mann-Whitney statistic: the chance that a positive outranks a
 *                 negative, ties counting one half.
 */
#ifndef VIGIA_EVAL_H
#define VIGIA_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vigia/codes.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_store;

/* ---- metrics ------------------------------------------------------------------------ */

#define VG_EVAL_MAX_RATES 8

/* The inspection rates vigia reports by default: 0.5%, 1%, 2%, 5%. */
extern const double vg_eval_default_rates[4];

struct vg_at_rate {
    double rate;
    int64_t k;             /* trips inspected: ceil(rate * n) */
    double hits;           /* positives among them (expected value over tie breaks) */
    double precision;      /* hits / k */
    double recall;         /* hits / positives */
    double lift;           /* precision / base rate */
    double best_precision; /* min(1, positives / k) */
    double relative;       /* precision / best_precision */
};

struct vg_rank_metrics {
    int64_t n, positives;
    double base_rate; /* positives / n */
    double auc;       /* NAN when there are no positives or no negatives */
    size_t nrates;
    struct vg_at_rate at[VG_EVAL_MAX_RATES];
};

/*
 * The probability prob[i] that item i is among the first k of the items ranked by
 * scores (highest first, ties broken at random). VG_ENOMEM, VG_EINVAL when k < 0.
 */
VG_NODISCARD enum vg_status vg_rank_cut(const double *scores, size_t n, int64_t k, double *prob);

/* The ROC AUC of scores against positive (Mann-Whitney, ties one half); NAN when either
 * class is empty. *auc is set; VG_ENOMEM. */
VG_NODISCARD enum vg_status
vg_rank_auc(const double *scores, const bool *positive, size_t n, double *auc);

/* All the metrics above at rates[0..nrates) (nrates <= VG_EVAL_MAX_RATES, each in
 * (0, 1]). VG_EINVAL for bad rates, VG_ENOMEM. */
VG_NODISCARD enum vg_status vg_rank_evaluate(const double *scores,
                                             const bool *positive,
                                             size_t n,
                                             const double *rates,
                                             size_t nrates,
                                             struct vg_rank_metrics *out);

/* A proportion with its Wilson score interval. */
struct vg_interval {
    double estimate, low, high; /* all NAN when n == 0 */
};

/* The Wilson score interval of successes out of n at z (1.96 for 95%). */
struct vg_interval vg_wilson(int64_t successes, int64_t n, double z);

/* ---- the truth of a simulated world ------------------------------------------------ */

struct vg_truth_case {
    char id[16];        /* "K000012", "V000001" */
    char pattern[32];   /* "rip_on", "at_sea_transfer"... */
    bool vessel;        /* unit "vessel": an at-sea transfer onto a departing ship */
    char container[16]; /* trip cases */
    char bills[64];     /* trip cases: the B/L (";"-separated when several) */
    char port[6];       /* port of loading / departure */
    int64_t departure;  /* the vessel's departure (UTC) */
    char voyage[16];
    uint32_t imo; /* the vessel (0 when unknown) */
    uint32_t mmsi;
    char vessel_name[48];
};

struct vg_truth {
    char world[64]; /* config name */
    uint64_t seed;
    int64_t start, end; /* the world's days */
    int64_t history_from, history_to;
    int64_t eval_from, eval_to; /* the evaluation window */
    size_t ncases;
    struct vg_truth_case *cases; /* owned */
};

/*
 * Reads a truth.json as vigia sim writes it (docs/sim.md): the split ("history" and
 * "evaluation" with from/to) and the cases (trip cases with container, bill_of_lading,
 * port, departure; vessel cases with vessel {imo, mmsi, name}, voyage, port, departure).
 * Confounders, faults and counts are not needed and ignored. data[0..len) is borrowed;
 * *out owns what it holds (vg_truth_release). VG_EPARSE when the text is not JSON or a case
 * lacks what it needs (err names the case), VG_EFORMAT when it is JSON but not a truth
 * file, VG_ENOMEM.
 */
VG_NODISCARD enum vg_status vg_truth_parse(
    const char *data, size_t len, const char *source, struct vg_truth *out, struct vg_error *err);

/* Frees what a truth holds. NULL-safe. */
void vg_truth_release(struct vg_truth *t);

/* ---- rankings ---------------------------------------------------------------------- */

struct vg_rank_row {
    char container[16];
    const char *bills; /* ';'-separated, may be "" (owned by the ranking) */
    char port[6];
    int64_t departure;
    double score; /* -1 for a trip without an assessment */
    bool assessed;
};

struct vg_ranking {
    size_t n, cap;
    struct vg_rank_row *rows;
    int64_t rejected; /* rows refused by the CSV reader */
    void *strings;    /* owned text */
};

/* An empty ranking. */
void vg_ranking_init(struct vg_ranking *r);

/* Frees what a ranking holds. NULL-safe. */
void vg_ranking_release(struct vg_ranking *r);

/*
 * Reads a ranking CSV (the output of `vigia assessments --format csv`, docs/formats.md):
 * a header naming container, port, departure and score (bill_of_lading optional; other
 * columns ignored). Rows with an unreadable container, port, departure or score are
 * rejected (on_problem hears of each, r->rejected counts them); the others are appended
 * to r. VG_EFORMAT when the header lacks a column, VG_ENOMEM.
 */
VG_NODISCARD enum vg_status vg_ranking_parse_csv(const char *data,
                                                 size_t len,
                                                 const char *source,
                                                 struct vg_ranking *r,
                                                 vg_problem_fn on_problem,
                                                 void *user,
                                                 struct vg_error *err);

/*
 * Appends to r every export or transhipment trip of the store departing in [from, to)
 * with the score of its latest assessment (unassessed trips with score -1). VG_EDB.
 */
VG_NODISCARD enum vg_status vg_ranking_from_store(
    struct vg_store *store, int64_t from, int64_t to, struct vg_ranking *r, struct vg_error *err);

/* ---- evaluation -------------------------------------------------------------------- */

#define VG_EVAL_MAX_PATTERNS 24

struct vg_eval_pattern {
    char name[32];
    int64_t cases;                    /* cases of the pattern in the window */
    int64_t ranked;                   /* of which found in the ranking */
    double recall[VG_EVAL_MAX_RATES]; /* at each rate of the report */
};

struct vg_eval_report {
    int64_t from, to;               /* the window: trips departing in [from, to) */
    int64_t rows;                   /* rows of the ranking */
    int64_t trips;                  /* of which in the window */
    int64_t unassessed;             /* of which without an assessment (score -1) */
    int64_t cases;                  /* trip cases of the truth in the window */
    int64_t cases_missing;          /* of which not in the ranking (counted as missed) */
    struct vg_rank_metrics metrics; /* over trips + missing cases */
    size_t npatterns;
    struct vg_eval_pattern patterns[VG_EVAL_MAX_PATTERNS];
    /* Vessel cases scored as vessel targets from the store's vessel events. */
    bool vessels_evaluated;  /* false without a store */
    int64_t voyages;         /* port calls departing in the window */
    int64_t voyages_flagged; /* with encounter, loitering or gap events */
    int64_t vessel_cases;
    int64_t vessel_cases_found;                         /* matched to a port call of the store */
    int64_t vessel_cases_flagged;                       /* whose voyage is flagged */
    double vessel_precision, vessel_recall, vessel_auc; /* NAN when undefined */
};

/*
 * Scores ranking against truth over trips departing in [from, to) (VG_TIME_NONE: the
 * truth's evaluation window) at rates[0..nrates) (NULL: the four default rates). A case
 * is the ranking row of the same container and port departing within two days of it, or
 * carrying its B/L. store (may be NULL) supplies the voyages for the vessel cases.
 * VG_EINVAL for bad rates, VG_ENOMEM, VG_EDB.
 */
VG_NODISCARD enum vg_status vg_eval_run(const struct vg_truth *truth,
                                        const struct vg_ranking *ranking,
                                        struct vg_store *store,
                                        int64_t from,
                                        int64_t to,
                                        const double *rates,
                                        size_t nrates,
                                        struct vg_eval_report *out,
                                        struct vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
