/*
 * A small store for the targeting, outcome, show, KPI and evaluation tests: the hand-written
 * manifest and events of tests/data/targeting ingested, and assessments written with SQL
 * (as the scorer would write them) so that these tests do not depend on the scorer.
 *
 * Trips of 2024-05-03 at PECLL (MSC ANNA FA123E) and their assessments:
 *   TGTU1000015  95  red    hold    list 50 "listed shipper (exact RUC)"
 *   TGTU1000020  80  red            rule 30 R-SEAL "seal changed at loading"
 *   TGTU1000036  70  amber          list 40 "consignee on the DIRANDRO list", rule 10 R-ROUTE
 *   TGTU1000041  60  amber          model 20 "weight per box 18% above normal"
 *   TGTU1000057  50  amber          rule 15 R-ROUTE "route through a hub"
 *   TGTU1000062  40, TGTU1000078 30, TGTU1000083 20, TGTU1000099 10 (green, no reasons)
 *   TGTU1000102  not assessed
 */
#ifndef VG_TARGETING_TEST_H
#define VG_TARGETING_TEST_H

#include <stdint.h>
#include <vigia/sim.h>
#include <vigia/store.h>

/* Opens a fresh store named name in the test's temporary directory, ingests the fixture
 * and writes the assessments above. Fails the test on error. */
struct vg_store *vg_tt_store(const char *name);

/* Opens a fresh, empty store. */
struct vg_store *vg_tt_empty(const char *name);

/* Runs vigia sim (seed, days, scale, config_path or NULL for the built-in configuration,
 * flags VG_SIM_*) into dir, filling rep when not NULL. Fails the test on error. */
void vg_tt_sim_run(const char *dir,
                   uint64_t seed,
                   int days,
                   double scale,
                   const char *config_path,
                   unsigned flags,
                   struct vg_sim_report *rep);

/* Simulates a world (vigia sim: seed, days, scale, a configuration of JSON text) into the
 * directory name of the test's temporary directory and returns that path (static storage,
 * valid until the next call). */
const char *
vg_tt_sim_world(const char *name, const char *config, uint64_t seed, int days, double scale);

/* Opens a fresh store named name with the simulated world of world_dir (vigia sim's output)
 * taken in: its feeds ingested, its watch list imported as list "demo", its outcomes. */
struct vg_store *vg_tt_sim_store(const char *name, const char *world_dir);

/* Runs SQL without results, failing the test on error. */
void vg_tt_exec(struct vg_store *s, const char *sql);

/* Fails the test when a statement in s's statement cache has stepped through a whole table
 * (SQLITE_STMTSTATUS_FULLSCAN_STEP): a cost that grows with a national store. Returns the
 * statements checked; *named (may be NULL) gets how many of them contain the text naming
 * (may be NULL). */
int vg_tt_no_full_scans(struct vg_store *s, const char *naming, int *named);

/* The integer in the first column of the first row of sql (-1 when no row). */
int64_t vg_tt_int(struct vg_store *s, const char *sql);

/* The text of the first column of the first row into buf ("" when none). */
const char *vg_tt_text(struct vg_store *s, const char *sql, char *buf, size_t size);

/* The id of the trip of container at port whose voyage is voyage (-1 when none). */
int64_t vg_tt_trip(struct vg_store *s, const char *container, const char *voyage);

/* Writes an assessment (version 1, moment pre-load) for the trip of container on voyage,
 * with one reason when kind is not NULL. Returns the assessment id. */
int64_t vg_tt_assess(struct vg_store *s,
                     const char *container,
                     const char *voyage,
                     double score,
                     const char *band,
                     int hold,
                     const char *kind,
                     const char *code,
                     double weight,
                     const char *text);

/* Selects the targets of PECLL on 2024-05-03 with capacity 4 and the test seed 42 (the hold
 * TGTU1000015, TGTU1000020 by rule, TGTU1000036 by list, one random draw). */
void vg_tt_select(struct vg_store *s);

/* Imports tests/data/targeting/outcomes.csv (5 rows in, 5 rejected); r may be NULL. */
struct vg_outcome_report;
void vg_tt_import_outcomes(struct vg_store *s, struct vg_outcome_report *r);

/* Imports an HS nomenclature of the given rows (UN Comtrade's layout without its header:
 * "II,0804,Avocados,08,4\n...") into s, as `vigia codes import hs` does. */
void vg_tt_import_hs(struct vg_store *s, const char *rows);

/* A multi-section report captured from a struct vg_report_sink: up to 16 sections of up to
 * 16 rows of 20 columns (longer values are cut at 95 bytes). */
struct vg_report_sink;
struct vg_tt_report {
    int nsections;
    char key[16][24];
    size_t ncols[16];
    char cols[16][20][32];
    size_t nrows[16];
    char cell[16][16][20][96];
};

/* A new, empty captured report (free with free()) and the sink that fills it. */
struct vg_tt_report *vg_tt_report_new(void);
struct vg_report_sink vg_tt_report_sink(struct vg_tt_report *r);

/* The value of column col in row of section key (fails the test when there is none). */
const char *vg_tt_cell(const struct vg_tt_report *r, const char *key, size_t row, const char *col);

/* Rows of section key (0 when the section is absent). */
size_t vg_tt_rows(const struct vg_tt_report *r, const char *key);

/* The first row of section key whose column col equals value (fails when none). */
size_t
vg_tt_row_where(const struct vg_tt_report *r, const char *key, const char *col, const char *value);

#endif
