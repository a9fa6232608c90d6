/*
 * Target selection for a port and day (vigia/target.h), in the ASYCUDA order:
 *
 *   1. every trip whose latest assessment puts it on mandatory hold;
 *   2. the highest scores among the other assessed trips, up to the capacity less the
 *      random draws (ties by trip id);
 *   3. the random draws, at least max(1, ceil(share x capacity)), among all the trips
 *      left (assessed or not): the trips with the smallest BLAKE2b-256 draws keyed with
 *      the selection's seed;
 *   4. exploration: round(explore share x capacity) draws, the smallest among the trips
 *      left whose latest assessment's model reads some value as novel (the model reason's
 *      evidence, src/risk/learned.c); slots it cannot fill go back to the scores;
 *
 * and, apart from the capacity, the voyages departing that day whose vessel events make
 * them suspect (vessel.c). The selection, its seed and every target are recorded; asking
 * again returns the record.
 */
#include "store/store_int.h"
#include "target/target_int.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/audit.h>
#include <vigia/slice.h>
#include <vigia/time.h>

struct cand {
    int64_t trip_id;
    int64_t assessment_id; /* 0: not assessed */
    double score;
    int novel; /* features the model reads as novel, 0 without a model */
    bool hold;
    bool picked;
    enum vg_target_reason reason;
    uint8_t draw[32];
};

struct cands {
    struct cand *v;
    size_t n, cap;
};

static void cands_release(struct cands *c)
{
    vg_free(c->v);
    memset(c, 0, sizeof(*c));
}

static enum vg_status cands_push(struct cands *c, const struct cand *x)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 256;
        struct cand *v = vg_reallocarray(c->v, cap, sizeof(*v));
        if (v == NULL) {
            return VG_ENOMEM;
        }
        c->v = v;
        c->cap = cap;
    }
    c->v[c->n++] = *x;
    return VG_OK;
}

/* The trips of the day with their latest assessment, in trip order. Trips and assessments
 * created after created_by (a later manifest, a later score) are left out, so that a
 * selection can be replayed. */
static enum vg_status load_candidates(struct vg_store *store,
                                      const char *port,
                                      int64_t start,
                                      int64_t end,
                                      int64_t created_by,
                                      struct cands *out,
                                      struct vg_error *err)
{
    static const char sql[] =
        "SELECT t.id, a.id, a.score, a.mandatory_hold, (SELECT CASE WHEN json_valid(r.evidence)"
        "   THEN json_array_length(r.evidence, '$.novel') END FROM assessment_reasons r"
        "   WHERE r.assessment_id = a.id AND r.kind = 'model' LIMIT 1) FROM trips t"
        " LEFT JOIN port_calls pc ON pc.id = t.port_call_id"
        " LEFT JOIN assessments a ON a.id = (SELECT a2.id FROM assessments a2"
        "   WHERE a2.trip_id = t.id AND a2.created_at <= ?4 ORDER BY a2.version DESC LIMIT 1)"
        " WHERE t.port = ?1 AND t.created_at <= ?4"
        " AND " VG__TRIP_TIME_SQL " >= ?2 AND " VG__TRIP_TIME_SQL " < ?3"
        " ORDER BY t.id";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return VG_EDB;
    }
    vg__bind_text(st, 1, port);
    sqlite3_bind_int64(st, 2, start);
    sqlite3_bind_int64(st, 3, end);
    sqlite3_bind_int64(st, 4, created_by);
    int rc;
    enum vg_status s = VG_OK;
    while (s == VG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct cand c = { .trip_id = sqlite3_column_int64(st, 0) };
        if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
            c.assessment_id = sqlite3_column_int64(st, 1);
            c.score = sqlite3_column_double(st, 2);
            c.hold = sqlite3_column_int(st, 3) != 0;
            c.novel = sqlite3_column_int(st, 4);
        }
        s = cands_push(out, &c);
    }
    sqlite3_reset(st);
    if (s != VG_OK) {
        return vg_error_set(err, s, "out of memory reading the day's trips");
    }
    return rc == SQLITE_DONE ? VG_OK : vg__store_error(store, rc, "reading the day's trips", err);
}

static void draw_for(const uint8_t seed[32], int64_t trip_id, uint8_t out[32])
{
    uint8_t msg[8];
    for (int i = 0; i < 8; i++) {
        msg[i] = (uint8_t)((uint64_t)trip_id >> (8 * i));
    }
    crypto_generichash(out, 32, msg, sizeof(msg), seed, 32);
}

/* Holds first, then assessed trips by score (highest first), then the rest; ties by trip. */
static int cmp_priority(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->hold != y->hold) {
        return x->hold ? -1 : 1;
    }
    if ((x->assessment_id != 0) != (y->assessment_id != 0)) {
        return x->assessment_id != 0 ? -1 : 1;
    }
    if (x->score != y->score) {
        return x->score > y->score ? -1 : 1;
    }
    return x->trip_id < y->trip_id ? -1 : (x->trip_id > y->trip_id);
}

static int cmp_draw(const void *a, const void *b)
{
    const struct cand *const *x = a, *const *y = b;
    int c = memcmp((*x)->draw, (*y)->draw, 32);
    return c != 0 ? c : ((*x)->trip_id < (*y)->trip_id ? -1 : 1);
}

/* Which kind of reason weighs most in the assessment: rule, list or model. */
static enum vg_status classify(struct vg_store *store,
                               int64_t assessment_id,
                               enum vg_target_reason *out,
                               struct vg_error *err)
{
    static const char sql[] = "SELECT kind FROM assessment_reasons WHERE assessment_id = ?1"
                              " ORDER BY abs(coalesce(weight, 0)) DESC, seq LIMIT 1";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, assessment_id);
    int rc = sqlite3_step(st);
    *out = VG_TARGET_SCORE;
    if (rc == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        k = k != NULL ? k : "";
        if (strncmp(k, "rule", 4) == 0) {
            *out = VG_TARGET_RULE;
        } else if (strncmp(k, "list", 4) == 0 || strncmp(k, "watch", 5) == 0 ||
                   strncmp(k, "screen", 6) == 0) {
            *out = VG_TARGET_LIST;
        } else if (strncmp(k, "model", 5) == 0) {
            *out = VG_TARGET_MODEL;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? VG_OK
               : vg__store_error(store, rc, "reading assessment reasons", err);
}

static int64_t random_count(int64_t capacity, double share)
{
    if (capacity < 1) {
        return 0;
    }
    int64_t r = (int64_t)ceil(share * (double)capacity - 1e-9);
    return r < 1 ? 1 : r;
}

/* Exploration draws: the share of the capacity, rounded (none below half a target). */
static int64_t explore_count(int64_t capacity, double share)
{
    return capacity < 1 || !(share > 0) ? 0 : (int64_t)floor(share * (double)capacity + 0.5);
}

/* ---- runs ------------------------------------------------------------------------------ */

static enum vg_status
load_run(struct vg_store *store, int64_t id, struct vg_target_run *run, struct vg_error *err)
{
    static const char sql[] =
        "SELECT port, target_date, day_start, day_end, trips, assessed, capacity,"
        " capacity_source, random_share, seed, seeded, coalesce(reason, ''), selected_at,"
        " coalesce(selected_by, ''),"
        " (SELECT count(*) FROM targets WHERE run_id = r.id AND reason = 'hold'),"
        " (SELECT count(*) FROM targets WHERE run_id = r.id AND trip_id IS NOT NULL"
        "   AND reason NOT IN ('hold', 'random', 'explore')),"
        " (SELECT count(*) FROM targets WHERE run_id = r.id AND reason = 'random'),"
        " (SELECT count(*) FROM targets WHERE run_id = r.id AND trip_id IS NULL),"
        " (SELECT count(*) FROM targets WHERE run_id = r.id AND reason = 'explore')"
        " FROM target_runs r WHERE id = ?1";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE
                   ? vg_error_set(err, VG_ENOTFOUND, "no selection %lld", (long long)id)
                   : vg__store_error(store, rc, "reading a selection", err);
    }
    memset(run, 0, sizeof(*run));
    run->id = id;
    snprintf(run->port, sizeof(run->port), "%s", (const char *)sqlite3_column_text(st, 0));
    snprintf(run->date, sizeof(run->date), "%s", (const char *)sqlite3_column_text(st, 1));
    run->day_start = sqlite3_column_int64(st, 2);
    run->day_end = sqlite3_column_int64(st, 3);
    run->trips = sqlite3_column_int64(st, 4);
    run->assessed = sqlite3_column_int64(st, 5);
    run->capacity = sqlite3_column_int64(st, 6);
    snprintf(run->capacity_source, sizeof(run->capacity_source), "%s",
             (const char *)sqlite3_column_text(st, 7));
    run->random_share = sqlite3_column_double(st, 8);
    if (sqlite3_column_bytes(st, 9) == 32) {
        memcpy(run->seed, sqlite3_column_blob(st, 9), 32);
    }
    run->seeded = sqlite3_column_int(st, 10) != 0;
    snprintf(run->reselect_reason, sizeof(run->reselect_reason), "%s",
             (const char *)sqlite3_column_text(st, 11));
    run->selected_at = sqlite3_column_int64(st, 12);
    snprintf(run->selected_by, sizeof(run->selected_by), "%s",
             (const char *)sqlite3_column_text(st, 13));
    run->holds = sqlite3_column_int64(st, 14);
    run->scored = sqlite3_column_int64(st, 15);
    run->random = sqlite3_column_int64(st, 16);
    run->vessels = sqlite3_column_int64(st, 17);
    run->explore = sqlite3_column_int64(st, 18);
    sqlite3_reset(st);
    return VG_OK;
}

static enum vg_status current_run(
    struct vg_store *store, const char *port, const char *date, int64_t *id, struct vg_error *err)
{
    static const char sql[] = "SELECT id FROM target_runs WHERE port = ?1 AND target_date = ?2"
                              " AND superseded_by IS NULL ORDER BY id DESC LIMIT 1";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return VG_EDB;
    }
    vg__bind_text(st, 1, port);
    vg__bind_text(st, 2, date);
    int rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? VG_OK
               : vg__store_error(store, rc, "looking up a selection", err);
}

enum vg_status vg_targets_find(struct vg_store *store,
                               const char *port_text,
                               const char *date,
                               struct vg_target_run *run,
                               struct vg_error *err)
{
    char port[6];
    int64_t start, end, id;
    enum vg_status st = vg__target_port(port_text, port, err);
    if (st == VG_OK) {
        st = vg__target_day(port, date, &start, &end, err);
    }
    if (st == VG_OK) {
        st = current_run(store, port, date, &id, err);
    }
    if (st == VG_OK && id == 0) {
        st = vg_error_set(err, VG_ENOTFOUND, "no selection for %s on %s", port, date);
    }
    return st == VG_OK ? load_run(store, id, run, err) : st;
}

struct inserter {
    struct vg_store *store;
    struct vg_target_run *run;
    int64_t now;
    const char *actor;
    struct vg_hasher hash;
    struct vg_error *err;
};

static enum vg_status insert_target(struct inserter *in,
                                    int64_t trip_id,
                                    int64_t vessel_id,
                                    int64_t rank,
                                    enum vg_target_reason reason,
                                    int64_t assessment_id,
                                    const uint8_t *draw)
{
    static const char sql[] =
        "INSERT INTO targets(trip_id, vessel_id, port, target_date, rank, reason, assessment_id,"
        " random_draw, selected_at, selected_by, state, run_id)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,'selected',?11)";
    sqlite3_stmt *st = vg__store_stmt(in->store, sql, in->err);
    if (st == NULL) {
        return VG_EDB;
    }
    vg__bind_int64_or_null(st, 1, trip_id, 0);
    vg__bind_int64_or_null(st, 2, vessel_id, 0);
    vg__bind_text(st, 3, in->run->port);
    vg__bind_text(st, 4, in->run->date);
    sqlite3_bind_int64(st, 5, rank);
    vg__bind_text(st, 6, vg_target_reason_name(reason));
    vg__bind_int64_or_null(st, 7, assessment_id, 0);
    if (draw != NULL) {
        sqlite3_bind_blob(st, 8, draw, 32, SQLITE_TRANSIENT);
    }
    sqlite3_bind_int64(st, 9, in->now);
    vg__bind_text(st, 10, in->actor);
    sqlite3_bind_int64(st, 11, in->run->id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(in->store, rc, "recording a target", in->err);
    }
    int64_t rec[4] = { trip_id, vessel_id, rank, (int64_t)reason };
    vg_hasher_update(&in->hash, rec, sizeof(rec));
    return VG_OK;
}

/* ---- vessel targets ----------------------------------------------------------------------- */

struct vessel_list {
    struct vg__vessel_candidate *v;
    size_t n, cap;
    enum vg_status st;
};

static int collect_vessel(void *user, const struct vg__vessel_candidate *c)
{
    struct vessel_list *l = user;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        struct vg__vessel_candidate *v = vg_reallocarray(l->v, cap, sizeof(*v));
        if (v == NULL) {
            l->st = VG_ENOMEM;
            return 1;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *c;
    return 0;
}

static int cmp_vessel(const void *a, const void *b)
{
    const struct vg__vessel_candidate *x = a, *y = b;
    if (x->score != y->score) {
        return x->score > y->score ? -1 : 1;
    }
    return x->port_call_id < y->port_call_id ? -1 : (x->port_call_id > y->port_call_id);
}

/* Adds the day's suspect voyages not yet targeted by the run; *added counts them. */
static enum vg_status add_vessels(struct inserter *in, int64_t *added)
{
    static const char have_sql[] =
        "SELECT 1 FROM targets WHERE run_id = ?1 AND vessel_id = ?2 AND trip_id IS NULL";
    static const char rank_sql[] =
        "SELECT coalesce(max(rank), 0) FROM targets WHERE run_id = ?1 AND trip_id IS NULL";
    struct vg_target_run *run = in->run;
    struct vessel_list l = { 0 };
    *added = 0;
    enum vg_status st = vg__vessel_candidates(in->store, run->port, run->day_start, run->day_end,
                                              collect_vessel, &l, in->err);
    if (st == VG_OK && l.st != VG_OK) {
        st = vg_error_set(in->err, l.st, "out of memory reading vessel events");
    }
    if (st == VG_OK && l.n > 1) {
        qsort(l.v, l.n, sizeof(*l.v), cmp_vessel);
    }
    int64_t rank = 0;
    sqlite3_stmt *q = st == VG_OK ? vg__store_stmt(in->store, rank_sql, in->err) : NULL;
    if (st == VG_OK && q == NULL) {
        st = VG_EDB;
    }
    if (st == VG_OK) {
        sqlite3_bind_int64(q, 1, run->id);
        rank = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
        sqlite3_reset(q);
    }
    for (size_t i = 0; st == VG_OK && i < l.n; i++) {
        q = vg__store_stmt(in->store, have_sql, in->err);
        if (q == NULL) {
            st = VG_EDB;
            break;
        }
        sqlite3_bind_int64(q, 1, run->id);
        sqlite3_bind_int64(q, 2, l.v[i].vessel_id);
        int rc = sqlite3_step(q);
        sqlite3_reset(q);
        if (rc == SQLITE_ROW) {
            continue;
        }
        if (rc != SQLITE_DONE) {
            st = vg__store_error(in->store, rc, "reading vessel targets", in->err);
            break;
        }
        st = insert_target(in, 0, l.v[i].vessel_id, ++rank, VG_TARGET_VESSEL, 0, NULL);
        *added += st == VG_OK;
    }
    vg_free(l.v);
    return st;
}

/* ---- selection ---------------------------------------------------------------------------- */

static enum vg_status resolve_capacity(struct vg_store *store,
                                       const struct vg_target_options *o,
                                       struct vg_target_run *run,
                                       struct vg_error *err)
{
    struct vg_target_settings set;
    enum vg_status st = vg_target_settings_get(store, run->port, &set, err);
    if (st != VG_OK) {
        return st;
    }
    if (o->capacity >= 0) {
        run->capacity = o->capacity;
        snprintf(run->capacity_source, sizeof(run->capacity_source), "option");
    } else if (set.capacity >= 0) {
        run->capacity = set.capacity;
        snprintf(run->capacity_source, sizeof(run->capacity_source), "setting");
    } else {
        double share =
            set.capacity_share >= 0 ? set.capacity_share : VG_TARGET_DEFAULT_CAPACITY_SHARE;
        snprintf(run->capacity_source, sizeof(run->capacity_source), "%s",
                 set.capacity_share >= 0 ? "share" : "default");
        run->capacity = (int64_t)ceil(share * (double)run->trips - 1e-9);
        if (run->capacity < 1 && run->trips > 0) {
            run->capacity = 1;
        }
    }
    if (o->random_share >= 0) {
        if (!(o->random_share > 0 && o->random_share <= 1)) {
            return vg_error_set(err, VG_EINVAL, "the random share must be in (0, 1], not %g",
                                o->random_share);
        }
        run->random_share = o->random_share;
    } else {
        run->random_share =
            set.random_share > 0 ? set.random_share : VG_TARGET_DEFAULT_RANDOM_SHARE;
    }
    return VG_OK;
}

static enum vg_status insert_run(struct inserter *in, const struct vg_target_options *o)
{
    static const char sql[] =
        "INSERT INTO target_runs(port, target_date, day_start, day_end, trips, assessed,"
        " capacity, capacity_source, random_share, seed, seeded, reason, selected_at,"
        " selected_by) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)";
    struct vg_target_run *run = in->run;
    sqlite3_stmt *st = vg__store_stmt(in->store, sql, in->err);
    if (st == NULL) {
        return VG_EDB;
    }
    vg__bind_text(st, 1, run->port);
    vg__bind_text(st, 2, run->date);
    sqlite3_bind_int64(st, 3, run->day_start);
    sqlite3_bind_int64(st, 4, run->day_end);
    sqlite3_bind_int64(st, 5, run->trips);
    sqlite3_bind_int64(st, 6, run->assessed);
    sqlite3_bind_int64(st, 7, run->capacity);
    vg__bind_text(st, 8, run->capacity_source);
    sqlite3_bind_double(st, 9, run->random_share);
    sqlite3_bind_blob(st, 10, run->seed, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 11, run->seeded);
    vg__bind_text(st, 12, o->reselect ? o->reason : NULL);
    sqlite3_bind_int64(st, 13, in->now);
    vg__bind_text(st, 14, in->actor);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(in->store, rc, "recording a selection", in->err);
    }
    run->id = sqlite3_last_insert_rowid(in->store->db);
    return VG_OK;
}

static enum vg_status
supersede(struct vg_store *store, int64_t old_id, int64_t new_id, struct vg_error *err)
{
    static const char run_sql[] = "UPDATE target_runs SET superseded_by = ?2 WHERE id = ?1";
    static const char tg_sql[] =
        "UPDATE targets SET state = 'superseded' WHERE run_id = ?1 AND state = 'selected'";
    sqlite3_stmt *st = vg__store_stmt(store, run_sql, err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, old_id);
    sqlite3_bind_int64(st, 2, new_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        st = vg__store_stmt(store, tg_sql, err);
        if (st == NULL) {
            return VG_EDB;
        }
        sqlite3_bind_int64(st, 1, old_id);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
    }
    return rc == SQLITE_DONE ? VG_OK : vg__store_error(store, rc, "superseding a selection", err);
}

/* Takes up to n more assessed trips by score from c->v[*i] on (priority order), skipping
 * those already picked. */
static enum vg_status
take_scored(struct inserter *in, struct cands *c, size_t *i, int64_t n, int64_t *rank)
{
    enum vg_status st = VG_OK;
    for (; st == VG_OK && n > 0 && *i < c->n && c->v[*i].assessment_id != 0; ++*i) {
        struct cand *x = &c->v[*i];
        if (x->picked) {
            continue;
        }
        enum vg_target_reason reason;
        st = classify(in->store, x->assessment_id, &reason, in->err);
        if (st == VG_OK) {
            x->picked = true;
            st = insert_target(in, x->trip_id, 0, ++*rank, reason, x->assessment_id, NULL);
            in->run->scored++;
            n--;
        }
    }
    return st;
}

/* Picks and records the container targets of a new run; cands are reordered. */
static enum vg_status pick(struct inserter *in, struct cands *c, double explore_share)
{
    struct vg_target_run *run = in->run;
    qsort(c->v, c->n, sizeof(*c->v), cmp_priority);
    int64_t rank = 0;
    int64_t nrandom = random_count(run->capacity, run->random_share);
    int64_t nexplore = explore_count(run->capacity, explore_share);
    enum vg_status st = VG_OK;
    size_t i = 0;
    for (; st == VG_OK && i < c->n && c->v[i].hold; i++) {
        c->v[i].picked = true;
        st = insert_target(in, c->v[i].trip_id, 0, ++rank, VG_TARGET_HOLD, c->v[i].assessment_id,
                           NULL);
        run->holds++;
    }
    int64_t slots = run->capacity - nrandom - nexplore - run->holds;
    if (st == VG_OK && slots > 0) {
        st = take_scored(in, c, &i, slots, &rank);
    }
    if (st != VG_OK || nrandom == 0) {
        return st;
    }
    struct cand **pool = vg_calloc(c->n ? c->n : 1, sizeof(*pool));
    if (pool == NULL) {
        return vg_error_set(in->err, VG_ENOMEM, "out of memory drawing targets");
    }
    size_t np = 0;
    for (size_t k = 0; k < c->n; k++) {
        if (!c->v[k].picked) {
            draw_for(run->seed, c->v[k].trip_id, c->v[k].draw);
            pool[np++] = &c->v[k];
        }
    }
    qsort(pool, np, sizeof(*pool), cmp_draw);
    size_t k = 0;
    for (; st == VG_OK && k < np && (int64_t)k < nrandom; k++) {
        pool[k]->picked = true;
        st = insert_target(in, pool[k]->trip_id, 0, ++rank, VG_TARGET_RANDOM,
                           pool[k]->assessment_id, pool[k]->draw);
        run->random++;
    }
    /* Exploration: the next smallest draws among the novel trips; the rest by score. */
    for (; st == VG_OK && k < np && run->explore < nexplore; k++) {
        if (pool[k]->novel > 0) {
            pool[k]->picked = true;
            st = insert_target(in, pool[k]->trip_id, 0, ++rank, VG_TARGET_EXPLORE,
                               pool[k]->assessment_id, pool[k]->draw);
            run->explore++;
        }
    }
    int64_t left = run->capacity - run->holds - run->scored - run->random - run->explore;
    if (st == VG_OK && left > 0) {
        st = take_scored(in, c, &i, left, &rank);
    }
    vg_free(pool);
    return st;
}

static enum vg_status audit_run(struct inserter *in,
                                const char *action,
                                const struct vg_target_options *o,
                                int64_t superseded)
{
    struct vg_target_run *run = in->run;
    uint8_t digest[VG_DIGEST_SIZE];
    vg_hasher_update(&in->hash, run->seed, 32);
    vg_hasher_final(&in->hash, digest);
    struct vg_buf b;
    vg_buf_init(&b, 4096);
    enum vg_status st = vg_buf_printf(
        &b,
        "{\"port\":\"%s\",\"date\":\"%s\",\"run\":%lld,\"trips\":%lld,\"assessed\":%lld,"
        "\"capacity\":%lld,\"capacity_source\":\"%s\",\"random_share\":%g,\"holds\":%lld,"
        "\"scored\":%lld,\"random\":%lld,\"explore\":%lld,\"vessels\":%lld,\"seeded\":%s",
        run->port, run->date, (long long)run->id, (long long)run->trips, (long long)run->assessed,
        (long long)run->capacity, run->capacity_source, run->random_share, (long long)run->holds,
        (long long)run->scored, (long long)run->random, (long long)run->explore,
        (long long)run->vessels, run->seeded ? "true" : "false");
    if (st == VG_OK && superseded != 0) {
        st = vg_buf_printf(&b, ",\"supersedes\":%lld,\"reason\":", (long long)superseded);
        if (st == VG_OK) {
            st = vg_buf_append_json(&b, o->reason);
        }
    }
    if (st == VG_OK) {
        st = vg_buf_append_char(&b, '}');
    }
    if (st == VG_OK) {
        st = vg_buf_append_char(&b, '\0');
    }
    if (st != VG_OK) {
        vg_buf_release(&b);
        return vg_error_set(in->err, st, "out of memory");
    }
    st = vg_audit_append(in->store, action, b.data, digest, in->err);
    vg_buf_release(&b);
    return st;
}

static enum vg_status
check_options(const struct vg_target_options *o, struct vg_target_run *run, struct vg_error *err)
{
    enum vg_status st = vg__target_port(o->port, run->port, err);
    if (st == VG_OK) {
        st = vg__target_day(run->port, o->date, &run->day_start, &run->day_end, err);
    }
    if (st != VG_OK) {
        return st;
    }
    snprintf(run->date, sizeof(run->date), "%s", o->date);
    if (o->reselect && (o->reason == NULL || strlen(o->reason) < 10)) {
        return vg_error_set(err, VG_EINVAL,
                            "a reselection needs a reason of at least 10 characters");
    }
    if (o->random_share >= 0 && !(o->random_share > 0 && o->random_share <= 1)) {
        return vg_error_set(err, VG_EINVAL, "the random share must be in (0, 1], not %g",
                            o->random_share);
    }
    return VG_OK;
}

static enum vg_status
make_seed(const struct vg_target_options *o, struct vg_target_run *run, struct vg_error *err)
{
    if (o->seeded) {
        char text[64];
        int n = snprintf(text, sizeof(text), "vigia targets test seed %llu",
                         (unsigned long long)o->seed);
        vg_digest(text, (size_t)n, run->seed);
        run->seeded = true;
        return VG_OK;
    }
    if (vg_crypto_init() != VG_OK) {
        return vg_error_set(err, VG_ECRYPTO, "the secure random source is not available");
    }
    randombytes_buf(run->seed, sizeof(run->seed));
    return VG_OK;
}

enum vg_status vg_targets_select(struct vg_store *store,
                                 const struct vg_target_options *o,
                                 struct vg_target_run *run,
                                 struct vg_error *err)
{
    memset(run, 0, sizeof(*run));
    enum vg_status st = check_options(o, run, err);
    if (st != VG_OK) {
        return st;
    }
    st = vg_store_begin(store, err);
    if (st != VG_OK) {
        return st;
    }
    struct inserter in = {
        .store = store, .run = run, .now = vg_time_now(), .actor = vg_store_actor(store), .err = err
    };
    vg_hasher_init(&in.hash);
    int64_t existing = 0;
    st = current_run(store, run->port, run->date, &existing, err);
    if (st == VG_OK && existing != 0 && !o->reselect) {
        /* The recorded selection stands; only vessel events that arrived since add. */
        struct vg_target_run keep = *run;
        st = load_run(store, existing, run, err);
        run->recorded = true;
        if (st == VG_OK) {
            st = add_vessels(&in, &run->vessels_added);
            run->vessels += run->vessels_added;
        }
        if (st == VG_OK && run->vessels_added > 0) {
            char objects[160];
            snprintf(objects, sizeof(objects),
                     "{\"port\":\"%s\",\"date\":\"%s\",\"run\":%lld,\"vessels_added\":%lld}",
                     keep.port, keep.date, (long long)run->id, (long long)run->vessels_added);
            uint8_t digest[VG_DIGEST_SIZE];
            vg_hasher_final(&in.hash, digest);
            st = vg_audit_append(store, "targets.vessels", objects, digest, err);
            if (st == VG_OK) {
                return vg_store_commit(store, err);
            }
        }
        vg_store_rollback(store);
        return st;
    }
    struct cands c = { 0 };
    if (st == VG_OK) {
        st = load_candidates(store, run->port, run->day_start, run->day_end, INT64_MAX, &c, err);
    }
    if (st == VG_OK) {
        run->trips = (int64_t)c.n;
        for (size_t i = 0; i < c.n; i++) {
            run->assessed += c.v[i].assessment_id != 0;
        }
        st = resolve_capacity(store, o, run, err);
    }
    if (st == VG_OK) {
        st = make_seed(o, run, err);
    }
    if (st == VG_OK) {
        st = insert_run(&in, o);
    }
    if (st == VG_OK && existing != 0) {
        st = supersede(store, existing, run->id, err);
    }
    if (st == VG_OK) {
        st = pick(&in, &c,
                  o->explore_share < 0 ? VG_TARGET_DEFAULT_EXPLORE_SHARE : o->explore_share);
    }
    if (st == VG_OK) {
        st = add_vessels(&in, &run->vessels);
    }
    cands_release(&c);
    if (st == VG_OK) {
        run->selected_at = in.now;
        snprintf(run->selected_by, sizeof(run->selected_by), "%s", in.actor);
        if (o->reselect) {
            snprintf(run->reselect_reason, sizeof(run->reselect_reason), "%s", o->reason);
        }
        st = audit_run(&in, existing != 0 ? "targets.reselect" : "targets.select", o, existing);
    }
    if (st == VG_OK) {
        return vg_store_commit(store, err);
    }
    vg_store_rollback(store);
    return st;
}

/* ---- verification ------------------------------------------------------------------------- */

enum { REC_CHOSEN = 0, REC_RANDOM = 1, REC_EXPLORE = 2 };

struct recorded {
    int64_t trip_id;
    int kind; /* REC_* */
    uint8_t draw[32];
    bool has_draw;
};

/* Whether the recorded targets of kind are exactly pool[0..n) (in draw order), each with
 * its right draw; why says what differs. */
static bool same_draws(const struct recorded *rec,
                       size_t nrec,
                       int kind,
                       struct cand *const *pool,
                       size_t np,
                       size_t n,
                       char *why,
                       size_t why_size)
{
    static const char *const names[] = { "", "draw", "exploration draw" };
    for (size_t k = 0; k < n; k++) {
        const struct recorded *match = NULL;
        for (size_t i = 0; i < nrec && match == NULL; i++) {
            if (rec[i].kind == kind && k < np && rec[i].trip_id == pool[k]->trip_id) {
                match = &rec[i];
            }
        }
        if (k >= np || match == NULL) {
            snprintf(why, why_size, "%s %zu should have been trip %lld", names[kind], k + 1,
                     k < np ? (long long)pool[k]->trip_id : -1LL);
            return false;
        }
        if (!match->has_draw || memcmp(match->draw, pool[k]->draw, 32) != 0) {
            snprintf(why, why_size, "the recorded draw of trip %lld differs from its replay",
                     (long long)match->trip_id);
            return false;
        }
    }
    return true;
}

enum vg_status vg_targets_verify(struct vg_store *store,
                                 int64_t run_id,
                                 bool *ok,
                                 char *why,
                                 size_t why_size,
                                 struct vg_error *err)
{
    static const char sql[] = "SELECT trip_id, reason, random_draw FROM targets"
                              " WHERE run_id = ?1 AND trip_id IS NOT NULL ORDER BY rank";
    struct vg_target_run run;
    *ok = false;
    snprintf(why, why_size, "not verified");
    enum vg_status st = load_run(store, run_id, &run, err);
    if (st != VG_OK) {
        return st;
    }
    struct recorded *rec = NULL;
    size_t nrec = 0, cap = 0;
    sqlite3_stmt *q = vg__store_stmt(store, sql, err);
    if (q == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(q, 1, run_id);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (nrec == cap) {
            cap = cap ? 2 * cap : 64;
            struct recorded *grown = vg_reallocarray(rec, cap, sizeof(*rec));
            if (grown == NULL) {
                sqlite3_reset(q);
                vg_free(rec);
                return vg_error_set(err, VG_ENOMEM, "out of memory");
            }
            rec = grown;
        }
        struct recorded *r = &rec[nrec++];
        memset(r, 0, sizeof(*r));
        r->trip_id = sqlite3_column_int64(q, 0);
        const char *reason = (const char *)sqlite3_column_text(q, 1);
        r->kind = strcmp(reason, "random") == 0    ? REC_RANDOM
                  : strcmp(reason, "explore") == 0 ? REC_EXPLORE
                                                   : REC_CHOSEN;
        if (sqlite3_column_bytes(q, 2) == 32) {
            memcpy(r->draw, sqlite3_column_blob(q, 2), 32);
            r->has_draw = true;
        }
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        vg_free(rec);
        return vg__store_error(store, rc, "reading targets", err);
    }
    struct cands c = { 0 };
    st = load_candidates(store, run.port, run.day_start, run.day_end, run.selected_at, &c, err);
    struct cand **pool = st == VG_OK ? vg_calloc(c.n ? c.n : 1, sizeof(*pool)) : NULL;
    if (st == VG_OK && pool == NULL) {
        st = vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    if (st != VG_OK) {
        cands_release(&c);
        vg_free(rec);
        return st;
    }
    size_t np = 0, nrandom = 0, nexplore = 0;
    for (size_t i = 0; i < nrec; i++) {
        nrandom += rec[i].kind == REC_RANDOM;
        nexplore += rec[i].kind == REC_EXPLORE;
    }
    /* The random pool: every trip not chosen by hold or score. */
    for (size_t k = 0; k < c.n; k++) {
        bool chosen = false;
        for (size_t i = 0; i < nrec && !chosen; i++) {
            chosen = rec[i].kind == REC_CHOSEN && rec[i].trip_id == c.v[k].trip_id;
        }
        if (!chosen) {
            draw_for(run.seed, c.v[k].trip_id, c.v[k].draw);
            pool[np++] = &c.v[k];
        }
    }
    qsort(pool, np, sizeof(*pool), cmp_draw);
    *ok = true;
    snprintf(why, why_size, "the %zu random draws are the smallest of %zu candidates", nrandom, np);
    if ((int64_t)c.n != run.trips) {
        *ok = false;
        snprintf(why, why_size, "the selection saw %lld trips, the store now has %zu for that day",
                 (long long)run.trips, c.n);
    }
    if (*ok) {
        *ok = same_draws(rec, nrec, REC_RANDOM, pool, np, nrandom, why, why_size);
    }
    if (*ok && nexplore > 0) {
        /* The exploration pool: the novel trips among the rest, in draw order. */
        size_t ne = 0;
        for (size_t k = nrandom < np ? nrandom : np; k < np; k++) {
            if (pool[k]->novel > 0) {
                pool[ne++] = pool[k];
            }
        }
        *ok = same_draws(rec, nrec, REC_EXPLORE, pool, ne, nexplore, why, why_size);
        if (*ok) {
            snprintf(why, why_size,
                     "the %zu random draws are the smallest of %zu candidates, the %zu"
                     " exploration draws the smallest of the %zu novel ones left",
                     nrandom, np, nexplore, ne);
        }
    }
    vg_free(pool);
    cands_release(&c);
    vg_free(rec);
    return VG_OK;
}
