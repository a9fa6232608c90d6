/*
 * vigia/outcome.h - what examinations found, linked to the trips they concern.
 *
 * An outcome is one examination of a container (at the port of loading, at a transhipment
 * port, or a find abroad reported by a partner): the result (negative, drugs, other), what
 * and how much was found, where it was hidden, how the box was examined and found, the
 * seal state, and why it was examined (targeted, random, partner). Outcomes come from the
 * outcomes CSV of docs/formats.md (vigia outcome import) or are recorded one at a time by
 * an officer (vigia outcome record).
 *
 * Each outcome is linked to the trip it concerns (docs/targeting.md, "Linking"):
 *   at origin   the trip of that container at that port whose departure follows the
 *               examination (from one day before to 45 days after), preferring one that
 *               carries the B/L;
 *   abroad      the latest trip of that container that departed before the find (within
 *               120 days) carrying the B/L, else bound for the port of the find or the
 *               destination port given; by container and dates alone only when a single
 *               trip departed in the 60 days before.
 * An outcome that cannot be linked yet is kept, with a data-quality finding, and linked
 * when its trip arrives (every import retries, and vg_outcomes_link). An origin outcome
 * closes the trip's pending target as inspected.
 */
#ifndef VIGIA_OUTCOME_H
#define VIGIA_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vigia/codes.h>
#include <vigia/rows.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_store;

enum vg_outcome_result {
    VG_RESULT_NEGATIVE = 0, /* nothing found */
    VG_RESULT_DRUGS,        /* drugs seized */
    VG_RESULT_OTHER,        /* other contraband or a misdeclaration */
};

enum vg_found_at {
    VG_FOUND_UNKNOWN = 0, /* not said: origin when the port is the trip's port */
    VG_FOUND_ORIGIN,      /* at the port of loading, before loading */
    VG_FOUND_TRANSIT,     /* at a transhipment port */
    VG_FOUND_DESTINATION, /* at or after the port of discharge */
};

/* "negative", "drugs", "other"; "", "origin", "transit", "destination" (static). */
const char *vg_outcome_result_name(enum vg_outcome_result r);
const char *vg_found_at_name(enum vg_found_at f);
bool vg_outcome_result_parse(const char *text, enum vg_outcome_result *out);
bool vg_found_at_parse(const char *text, enum vg_found_at *out);

#define VG_OUTCOME_TEXT_MAX 200 /* bytes of a free-text field, longer ones are refused */

/*
 * One outcome. Strings are NUL-terminated; NULL (or "" for the fixed arrays) when empty.
 * Handed to a parser's sink they are borrowed for the duration of the call.
 */
struct vg_outcome {
    char container[16];         /* ISO 6346 normalised when it parses, else as written */
    bool container_valid;       /* the check digit holds */
    const char *bill_of_lading; /* as written; several separated by ';' */
    char port[6];               /* UN/LOCODE of the examination */
    int64_t inspected_at;       /* UTC seconds */
    enum vg_outcome_result result;
    const char *substance;
    double kg; /* net kilograms seized; NAN when not given */
    const char *concealment;
    const char *method; /* scan, tailgate, full, k9 (others kept as written) */
    const char *detection;
    const char *seal_state; /* intact, replaced, broken, missing */
    enum vg_found_at found_at;
    char destination_port[6]; /* the trip's manifested port of discharge */
    const char *selection;    /* targeted, random, partner */
    uint32_t line;            /* line of the record in its file (0 when recorded) */
    uint64_t offset;          /* byte offset of the record */
};

/* Receives a parser's records. A callback returning other than VG_OK stops the parser,
 * which returns that status. */
struct vg_outcome_sink {
    enum vg_status (*outcome)(void *user, const struct vg_outcome *o);
    enum vg_status (*reject)(void *user,
                             const struct vg_error *reason,
                             const char *excerpt,
                             size_t excerpt_len);
    enum vg_status (*flag)(void *user,
                           const struct vg_error *reason,
                           const char *field,
                           const char *value);
    void *user;
};

/*
 * Parses an outcomes CSV (docs/formats.md) held in data[0..len) (borrowed). source names
 * the input in positions. The header must name container, bill_of_lading, port,
 * inspected_at, result, substance, kg and concealment (any order, any case); method,
 * detection, seal_state, found_at, destination_port and selection are optional, other
 * columns ignored. A record is rejected (reason with line, column and offset) when its
 * CSV syntax is broken, the container, port or time is missing or unreadable, the result,
 * found_at or selection is not one of their words, kg is not a non-negative number, kg is
 * given for a negative result, or a field is longer than VG_OUTCOME_TEXT_MAX. It is taken
 * with a flag when the container's check digit fails, the method or seal state is an
 * unknown word, or the destination port is not a UN/LOCODE (then left out). Times without
 * a zone are read in the port's local time. Returns VG_OK, VG_EFORMAT when the header
 * lacks a required column (err names it; nothing is handed over), VG_ENOMEM, or a
 * callback's status.
 */
VG_NODISCARD enum vg_status vg_outcomes_parse_csv(const char *data,
                                                  size_t len,
                                                  const char *source,
                                                  const struct vg_outcome_sink *sink,
                                                  struct vg_error *err);

struct vg_outcome_report {
    int64_t records;        /* records read (good and rejected) */
    int64_t inserted;       /* new outcomes */
    int64_t updated;        /* outcomes whose content changed (same container, B/L, port
                               and time) */
    int64_t unchanged;      /* already recorded as they are */
    int64_t rejected;       /* records refused (vigia rejects) */
    int64_t flagged;        /* records taken with a data-quality finding */
    int64_t linked;         /* new or updated outcomes linked to a trip */
    int64_t unlinked;       /* outcomes (new or earlier) still without a trip */
    int64_t relinked;       /* earlier outcomes linked now (their trip arrived since) */
    int64_t targets_closed; /* pending targets closed as inspected */
};

/*
 * Imports an outcomes CSV in one transaction: new outcomes are recorded and linked, an
 * outcome whose content changed is updated, earlier unlinked outcomes are linked when
 * their trip is now known, each origin outcome closes its trip's pending target, and one
 * audit entry ("outcomes.import") records the counts. Importing the same file again
 * changes nothing and appends no audit entry. Rejected records are kept in rejects with
 * file:line and the reason; on_problem (may be NULL) hears of each reject and flag.
 * Returns VG_OK, VG_EPARTIAL when records were rejected, VG_EFORMAT when the header lacks
 * a required column, VG_EIO / VG_ENOTFOUND when the file cannot be read, VG_EDB.
 */
VG_NODISCARD enum vg_status vg_outcomes_import(struct vg_store *store,
                                               const char *path,
                                               struct vg_outcome_report *report,
                                               vg_problem_fn on_problem,
                                               void *user,
                                               struct vg_error *err);

struct vg_outcome_recorded {
    int64_t outcome_id;
    int64_t trip_id;   /* 0 when not linked */
    int64_t target_id; /* the target closed as inspected, 0 when none */
    bool inserted;     /* false: the same outcome was already recorded */
    bool updated;      /* it was, with other content, and was brought up to date */
    char link[32];     /* how the trip was found ("target", "container+bl+date"...) */
};

/*
 * Records one outcome given by an officer (o->line 0), with an audit entry
 * ("outcomes.record"). target_id (0: none) names the target examined: its trip is then
 * the link, and a missing container or port is taken from it (a different container is
 * refused). Required otherwise: container, port, inspected_at (VG_TIME_NONE is refused),
 * and kg only with drugs or other. Recording the same outcome twice changes nothing.
 * VG_EINVAL for missing or contradictory fields, VG_ENOTFOUND for an unknown target,
 * VG_EDB.
 */
VG_NODISCARD enum vg_status vg_outcome_record(struct vg_store *store,
                                              const struct vg_outcome *o,
                                              int64_t target_id,
                                              struct vg_outcome_recorded *out,
                                              struct vg_error *err);

/* Tries again to link every unlinked outcome (after trips arrived); audited
 * ("outcomes.link") when some were linked. *linked and *unlinked (may be NULL) count. */
VG_NODISCARD enum vg_status
vg_outcomes_link(struct vg_store *store, int64_t *linked, int64_t *unlinked, struct vg_error *err);

/*
 * Lists outcomes, oldest examination first, filtered by container (may be NULL), port of
 * examination (may be NULL) and examination time [from, to) (VG_TIME_NONE: open). Columns:
 * id, container, bill_of_lading, port, inspected_at, result, substance, kg, concealment,
 * method, detection, seal_state, found_at, destination_port, selection, trip (id),
 * trip_port, departure, link, target.
 */
VG_NODISCARD enum vg_status vg_outcomes_list(struct vg_store *store,
                                             const char *container,
                                             const char *port,
                                             int64_t from,
                                             int64_t to,
                                             const struct vg_row_sink *sink,
                                             struct vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
