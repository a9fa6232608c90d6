/*
 * vigia/target.h - what to inspect at a port on a day, and what became of each selection.
 *
 * Selection follows the ASYCUDA order (docs/targeting.md): every trip on mandatory hold
 * first, then the highest scores up to the port's capacity, and always a minimum random
 * share drawn among the rest, so that hit rates can be estimated without bias. The unit
 * is a container trip (table trips) with its latest assessment; voyages whose vessel
 * events (encounters, loitering, AIS gaps) make them suspect are selected separately as
 * vessel targets.
 *
 * Random draws are keyed: a 32-byte seed taken from libsodium's randombytes (the system's
 * secure source) when the selection is made, recorded with the selection; each candidate's
 * draw is BLAKE2b-256 keyed with the seed over the trip's id, and the candidates with the
 * smallest draws are taken. Nobody can predict a draw before the selection is made, and
 * anyone can replay it afterwards (vg_targets_verify). A numeric seed exists for tests
 * only; a selection made with one is recorded as seeded.
 *
 * A selection is recorded once per port and day: selecting again returns it unchanged
 * (only vessel targets whose events arrived since are added), unless a reselection with a
 * reason is asked for, which is audited and keeps the earlier selection, marked
 * superseded. Every target must end with a disposition: inspected (an outcome is
 * recorded, vigia/outcome.h), waived with a standard exception code or a written reason,
 * not arrived, or B/L deleted.
 */
#ifndef VIGIA_TARGET_H
#define VIGIA_TARGET_H

#include <stdbool.h>
#include <stdint.h>
#include <vigia/rows.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_store;

/* Defaults when neither the command nor the port's settings say otherwise. */
#define VG_TARGET_DEFAULT_CAPACITY_SHARE 0.02 /* of the day's container trips */
#define VG_TARGET_DEFAULT_RANDOM_SHARE   0.05 /* of the capacity; at least one draw */
#define VG_TARGET_DEFAULT_EXPLORE_SHARE        \
 0.05 /* of the capacity, rounded: the model's \
         novel trips (docs/targeting.md) */

/* Why a target was selected. */
enum vg_target_reason {
    VG_TARGET_HOLD = 0, /* mandatory hold of its assessment */
    VG_TARGET_RULE,     /* high score, mostly from rules */
    VG_TARGET_LIST,     /* high score, mostly from watch-list hits */
    VG_TARGET_MODEL,    /* high score, mostly from the model */
    VG_TARGET_SCORE,    /* high score without reasons (topped up to capacity) */
    VG_TARGET_RANDOM,   /* the random stream */
    VG_TARGET_VESSEL,   /* a voyage with suspect vessel events */
    VG_TARGET_EXPLORE,  /* drawn among the trips the model reads as novel (exploration) */
    VG_TARGET_REASON_COUNT
};

/* "hold", "rule", "list", "model", "score", "random", "vessel", "explore" (static). */
const char *vg_target_reason_name(enum vg_target_reason reason);

struct vg_target_options {
    const char *port;     /* UN/LOCODE of the port ("PECLL", "PE CLL"); required */
    const char *date;     /* the port's local day, YYYY-MM-DD; required */
    int64_t capacity;     /* container targets the port can inspect that day; < 0: the
                             port's setting, else 2% of the day's trips (at least 1) */
    double random_share;  /* minimum share of the capacity drawn at random, in (0, 1];
                             < 0: the port's setting, else 0.05. At least one draw
                             whenever the capacity is at least 1 */
    double explore_share; /* share of the capacity drawn among the trips whose latest
                             assessment's model reads some known value as novel (outside
                             what it learned from), rounded to the nearest whole target:
                             < 0 picks VG_TARGET_DEFAULT_EXPLORE_SHARE, 0 none. Taken from
                             the slots by score, after the random draws, with the same
                             recorded draw; marked "explore" */
    bool seeded;          /* TESTS ONLY: derive the random seed from `seed` instead of the
                             secure source (recorded as seeded) */
    uint64_t seed;
    bool reselect;      /* replace the recorded selection of the day; needs reason */
    const char *reason; /* why a reselection is made (at least 10 characters) */
};

/* A selection: what was selected for a port and day, and how. */
struct vg_target_run {
    int64_t id;
    char port[6];
    char date[11];
    int64_t day_start, day_end; /* the local day in UTC seconds, [start, end) */
    int64_t trips;              /* container trips of the day (departing or loading there,
                                   or arriving when imported) */
    int64_t assessed;           /* of which with an assessment */
    int64_t capacity;
    char capacity_source[16]; /* "option", "setting", "share", "default" */
    double random_share;
    int64_t holds, scored, random, vessels; /* targets of each kind */
    int64_t explore;                        /* of which drawn to explore (not in scored) */
    bool seeded;
    bool recorded;         /* true: the recorded selection was returned as it was */
    int64_t vessels_added; /* vessel targets added to a recorded selection */
    int64_t selected_at;
    char selected_by[64];
    char reselect_reason[256]; /* empty unless this run replaced an earlier one */
    uint8_t seed[32];
};

/*
 * Selects (or returns the recorded selection of) the port's targets for the day, in one
 * transaction with one audit entry ("targets.select", "targets.reselect") when anything
 * is written. Trips without an assessment can be drawn at random but not selected by
 * score; run->assessed says how many have one. run is filled in all successful cases.
 * Returns VG_OK; VG_EINVAL for a bad port, date, capacity, share, or a reselection
 * without a reason; VG_ECRYPTO when the secure random source fails; VG_EDB.
 */
VG_NODISCARD enum vg_status vg_targets_select(struct vg_store *store,
                                              const struct vg_target_options *opts,
                                              struct vg_target_run *run,
                                              struct vg_error *err);

/*
 * The current (not superseded) selection of the port's day into *run, without selecting.
 * VG_ENOTFOUND when there is none, VG_EINVAL for a bad port or date, VG_EDB.
 */
VG_NODISCARD enum vg_status vg_targets_find(struct vg_store *store,
                                            const char *port,
                                            const char *date,
                                            struct vg_target_run *run,
                                            struct vg_error *err);

/*
 * Lists the targets of selection run_id. containers (may be NULL) gets the container
 * targets by rank: columns target (id), rank, container, bills_of_lading (joined by ";"),
 * score, band, selection (reason name), state, reasons (the assessment's three strongest
 * reasons, joined by " | "). vessels (may be NULL) gets the vessel targets: target, rank,
 * vessel, imo, mmsi, voyage, departure (ISO 8601 UTC), events, score, selection, state,
 * reasons (the events' explanations). VG_EDB on failure.
 */
VG_NODISCARD enum vg_status vg_targets_list(struct vg_store *store,
                                            int64_t run_id,
                                            const struct vg_row_sink *containers,
                                            const struct vg_row_sink *vessels,
                                            struct vg_error *err);

/*
 * Lists the targets still without a disposition (state "selected"), oldest day first;
 * port may be NULL (all ports). Columns: target, port, date, rank, kind (container or
 * vessel), subject (container number or vessel name), selection, score, selected_at.
 */
VG_NODISCARD enum vg_status vg_targets_pending(struct vg_store *store,
                                               const char *port,
                                               const struct vg_row_sink *sink,
                                               struct vg_error *err);

/*
 * Replays the random draws of selection run_id from its recorded seed: recomputes every
 * candidate's draw over the trips the selection saw and checks that the random targets are
 * exactly those with the smallest draws, that the exploration targets are the smallest
 * draws among the rest of the trips the model read as novel (by the assessments made
 * before the selection), and that each recorded draw is right. *ok says
 * whether it holds; why (at least 256 bytes) says what differs. A selection over trips
 * that were added later (a late manifest) reports which. VG_ENOTFOUND for an unknown run.
 */
VG_NODISCARD enum vg_status vg_targets_verify(struct vg_store *store,
                                              int64_t run_id,
                                              bool *ok,
                                              char *why,
                                              size_t why_size,
                                              struct vg_error *err);

/* ---- settings per port ------------------------------------------------------------- */

struct vg_target_settings {
    char port[6];
    int64_t capacity;      /* fixed daily capacity; < 0 unset */
    double capacity_share; /* capacity as a share of the day's trips; < 0 unset */
    double random_share;   /* minimum random share; < 0 unset */
};

/*
 * Stores the port's settings (replacing the earlier ones; unset values clear them) with an
 * audit entry ("targets.settings"); nothing is written when they did not change. capacity
 * >= 0, shares in (0, 1]. VG_EINVAL for a bad port or value, VG_EDB.
 */
VG_NODISCARD enum vg_status vg_target_settings_set(struct vg_store *store,
                                                   const struct vg_target_settings *s,
                                                   struct vg_error *err);

/* The port's settings (all unset when none were stored). VG_EINVAL for a bad port. */
VG_NODISCARD enum vg_status vg_target_settings_get(struct vg_store *store,
                                                   const char *port,
                                                   struct vg_target_settings *out,
                                                   struct vg_error *err);

/* Lists the stored settings: port, capacity, capacity_share, random_share, updated_at,
 * updated_by. */
VG_NODISCARD enum vg_status vg_target_settings_list(struct vg_store *store,
                                                    const struct vg_row_sink *sink,
                                                    struct vg_error *err);

/* ---- dispositions ------------------------------------------------------------------ */

/* How a target ended other than by an examination with an outcome. */
enum vg_disposition {
    VG_DISPOSE_WAIVED = 0,  /* not examined, with a standard exception code or a reason */
    VG_DISPOSE_NOT_ARRIVED, /* the container never reached the port (rolled, cancelled) */
    VG_DISPOSE_BL_DELETED,  /* the bill of lading was withdrawn */
};

/* "waived", "not_arrived", "bl_deleted" (static). */
const char *vg_disposition_name(enum vg_disposition d);

/* Parses the names above (also with '-' for '_'). */
bool vg_disposition_parse(const char *text, enum vg_disposition *out);

/* The standard exception codes a waiver may cite, NULL-terminated (static), and whether
 * code is one of them. docs/targeting.md defines each. */
const char *const *vg_waiver_codes(void);
bool vg_waiver_code_valid(const char *code);

/*
 * Records the disposition of a target still pending (state "selected"): an inspections row
 * in that state and the target's new state, with an audit entry ("targets.dispose"). A
 * waiver needs a standard exception code (vg_waiver_codes) or a written reason of at least
 * 10 characters; the other dispositions take an optional reason. VG_ENOTFOUND for an
 * unknown target, VG_ECONFLICT when it already has a disposition, VG_EINVAL for a waiver
 * without a valid code or reason, VG_EDB.
 */
VG_NODISCARD enum vg_status vg_target_dispose(struct vg_store *store,
                                              int64_t target_id,
                                              enum vg_disposition disposition,
                                              const char *code,
                                              const char *reason,
                                              struct vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
