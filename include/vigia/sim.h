/*
 * vigia/sim.h - the demo world: synthetic port traffic written in the real exchange
 * formats.
 *
 * Real port data is confidential, so vigia makes a world for its demo, its tests and its
 * benchmarks: carriers, vessels and their voyages, exporters and their usual products,
 * container trips (booking, empty pick-up, gate-in with seals, dwell, loading, departure),
 * manifests, bay plans, AIS tracks of the port calls and of small craft; trafficking cases
 * planted after the modus operandi in public reporting, with the innocent look-alikes the
 * real world has; past inspections with their outcomes; a watch list. Everything is
 * written where `vigia ingest` reads it:
 *
 *   DIR/feeds/cuscar/  DIR/feeds/codeco/  DIR/feeds/coarri/  DIR/feeds/baplie/
 *                      UN/EDIFACT interchanges (docs/edifact-messages.md), UNOC
 *   DIR/feeds/ais/     NMEA 0183 AIS, one file per day (and the day after the last, to
 *                      follow the last departures out), TAG blocks with receive times
 *   DIR/outcomes.csv   inspections of the history period (docs/formats.md)
 *   DIR/watchlist.csv  the watch list (docs/formats.md)
 *   DIR/truth.json     which trips and vessels are cases and what they show, the
 *                      confounders, the planted data faults, seed, config digest, split
 *
 * Every parameter comes from a JSON configuration (sim/peru.json is built in; docs/sim.md
 * documents each key and its public source). The output is a pure function of the seed,
 * the configuration, the days, the scale and the start: the same inputs give
 * byte-identical files. The generator streams its output and allocates per call, not per
 * container, so that --scale reaches a day of world traffic.
 */
#ifndef VIGIA_SIM_H
#define VIGIA_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Flags for struct vg_sim_options.flags. */
enum vg_sim_flags {
    VG_SIM_NO_AIS = 1u << 0,    /* write no AIS files (benchmarks of the container part) */
    VG_SIM_OVERWRITE = 1u << 1, /* reuse a directory that holds an earlier sim output: the
                                   files vigia sim writes are removed first, nothing else */
};

/* Called after each simulated day is written (may be NULL). */
typedef void (*vg_sim_progress_fn)(void *user, int day, int days);

struct vg_sim_options {
    uint64_t seed;           /* the world's seed */
    int days;                /* days of departures to simulate, 1..3660 */
    double scale;            /* volume multiplier (> 0, <= 100000); 1 = the configured volumes */
    const char *config_path; /* a JSON configuration file; NULL: the built-in sim/peru.json */
    const char *out_dir;     /* output directory; created when missing (with its parents) */
    const char *start;       /* first day "YYYY-MM-DD" (port local time); NULL: the config's */
    double history_share;    /* share of the days with outcomes, 0..1; < 0: the config's */
    unsigned flags;          /* enum vg_sim_flags */
    vg_sim_progress_fn progress;
    void *progress_user;
};

/* What was generated. */
struct vg_sim_report {
    uint64_t calls;          /* container port calls (departures) in the window */
    uint64_t trips;          /* container trips: a container on one loading call */
    uint64_t full_trips;
    uint64_t empty_trips;
    uint64_t consignments;   /* bills of lading */
    uint64_t messages;       /* EDIFACT messages (UNH..UNT) */
    uint64_t ais_sentences;  /* NMEA sentences */
    uint64_t case_trips;     /* trips that are cases */
    uint64_t vessel_cases;   /* at-sea transfers */
    uint64_t confounders;    /* innocent trips and calls that look like a case on one count */
    uint64_t inspections;    /* origin inspections, history and evaluation */
    uint64_t outcomes;       /* rows in outcomes.csv */
    uint64_t faults;         /* planted data faults */
    uint64_t files;          /* files written */
    uint64_t bytes;          /* bytes written */
    char config_name[64];
    char config_digest[80];  /* "blake2b-256:" and 64 hex digits of the effective config */
};

/* Fills o with the defaults: seed 1, 30 days, scale 1, built-in config, config's start
 * and split, no flags. out_dir must still be set. */
void vg_sim_options_init(struct vg_sim_options *o);

/*
 * Generates a world into o->out_dir. The directory must be missing or empty, unless
 * VG_SIM_OVERWRITE is set (then the files an earlier run wrote are removed first; other
 * files are left alone and make it fail with VG_ECONFLICT). report (may be NULL) receives
 * the counts.
 *
 * Returns VG_OK; VG_EINVAL for options out of range; VG_EPARSE with the JSON position and
 * the key path in err for a configuration that cannot be read or whose values are out of
 * range; VG_ECONFLICT when the directory holds other files; VG_EIO when a file cannot be
 * written; VG_ENOMEM. On failure the directory may hold a partial output.
 */
VG_NODISCARD enum vg_status vg_sim_run(const struct vg_sim_options *o,
                                       struct vg_sim_report *report,
                                       struct vg_error *err);

/* The built-in configuration (sim/peru.json as it was at build time): static text,
 * NUL-terminated, its length in *len (len may be NULL). */
const char *vg_sim_default_config(size_t *len);

/*
 * Reads and validates a configuration held in data[0..len) without generating anything:
 * the JSON syntax, every required key, value ranges, code lists (UN/LOCODEs, HS codes,
 * ISO 6346 size-types, MIDs), cross references (a service naming an unknown carrier...).
 * source names the input in err (may be NULL). Returns VG_OK or VG_EPARSE (err says where
 * and what) or VG_ENOMEM. A configuration may start with "extends": "peru" to change the
 * built-in world key by key (objects are merged, other values replaced).
 */
VG_NODISCARD enum vg_status vg_sim_config_check(const char *data, size_t len,
                                                const char *source, struct vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
