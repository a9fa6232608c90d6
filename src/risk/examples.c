/*
 * Examined trips: what the back-test scores and what the model learns from.
 *
 * An examined trip is a trip with an outcome linked to it (its own link, or by container
 * and dates: prepare.c), inspected at or before a cut-off. Its record is computed as of
 * its loading, so that a rule or a model is judged on what was known when the trip could
 * have been stopped; its own outcomes never count (the seizure features leave them out).
 *
 * Training examples add two things the back-test does not need: the delay rule (a trip
 * examined without a find is not a negative label until a find abroad could have been
 * reported) and the selection shares that weigh the streams against selection bias
 * (docs/model.md).
 */
#include "risk/risk_int.h"

#include <string.h>
#include <vigia/alloc.h>
#include <vigia/map.h>
#include <vigia/time.h>

enum { EX_SEEN = 1, EX_POSITIVE = 2, EX_RANDOM = 4, EX_ORIGIN = 8 };

struct ex_state {
    int64_t first; /* first examination */
    uint8_t flags;
};

/* When the trip happened, for windows: its reference time, else its departure. */
static int64_t trip_when(const struct rk_trip *t)
{
    return t->t_ref != VG_TIME_NONE ? t->t_ref : t->departure_at;
}

/* Whether an export or transhipment was loaded on its call (imports count as loaded). */
static bool loaded(const struct rk_ctx *c, const struct rk_trip *t)
{
    if (t->direction == RK_IMPORT || t->loaded_at != VG_TIME_NONE) {
        return true;
    }
    const struct rk_container *ct = RK_AT(c->containers, struct rk_container, t->container);
    const struct rk_event *ev = RK_AT(c->events, struct rk_event, ct->ev_off);
    for (uint32_t i = 0; i < ct->ev_n; i++) {
        if ((ev[i].kind == RK_EV_LOAD || ev[i].kind == RK_EV_STOWAGE) && ev[i].call == t->call &&
            t->call != RK_NONE) {
            return true;
        }
    }
    return false;
}

enum vg_status rk_each_examined(struct rk_ctx *c,
                                int64_t until,
                                int64_t delay,
                                uint32_t port,
                                struct vg_arena *arena,
                                struct vg_value *rec,
                                struct rk_src (*src)[2],
                                rk_examined_fn fn,
                                void *user,
                                size_t *unlinked,
                                struct vg_error *err)
{
    struct ex_state *state = vg_calloc(c->trips.n + 1, sizeof(*state));
    if (state == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    size_t nun = 0;
    for (size_t i = 0; i < c->outcomes.n; i++) {
        const struct rk_outcome *o = RK_AT(c->outcomes, struct rk_outcome, i);
        if (until != VG_TIME_NONE && o->t > until) {
            continue;
        }
        if (o->trip == RK_NONE) {
            nun++;
            continue;
        }
        struct ex_state *x = &state[o->trip];
        if (!(x->flags & EX_SEEN) || o->t < x->first) {
            x->first = o->t;
        }
        x->flags |= EX_SEEN | (o->positive ? EX_POSITIVE : 0);
        if (o->selection == VG_MODEL_RANDOM) {
            x->flags |= EX_RANDOM | EX_ORIGIN;
        } else if (o->selection == VG_MODEL_TARGETED) {
            x->flags |= EX_ORIGIN;
        }
    }
    if (unlinked != NULL) {
        *unlinked = nun;
    }
    enum vg_status s = VG_OK;
    for (size_t ti = 0; ti < c->trips.n && s == VG_OK; ti++) {
        const struct ex_state *x = &state[ti];
        const struct rk_trip *tr = RK_AT(c->trips, struct rk_trip, ti);
        if (!(x->flags & EX_SEEN) || (port != 0 && tr->port != port)) {
            continue;
        }
        struct rk_examined ex = { .trip = (uint32_t)ti, .positive = x->flags & EX_POSITIVE };
        ex.selection = (x->flags & EX_RANDOM)   ? VG_MODEL_RANDOM
                       : (x->flags & EX_ORIGIN) ? VG_MODEL_TARGETED
                                                : VG_MODEL_PARTNER;
        /* Without a loading time (a seized box is never loaded): just before its first
         * examination. Never later than the cut-off. */
        ex.as_of = tr->t_ref != VG_TIME_NONE ? tr->t_ref : x->first - 1;
        if (until != VG_TIME_NONE && ex.as_of > until) {
            ex.as_of = until;
        }
        ex.left = tr->departure_at != VG_TIME_NONE ? tr->departure_at
                  : tr->t_ref != VG_TIME_NONE      ? tr->t_ref
                                                   : ex.as_of;
        ex.late = delay > 0 && until != VG_TIME_NONE && ex.left > until - delay;
        ex.loaded = loaded(c, tr);
        const struct vg_value *r = NULL;
        if (!ex.late || ex.positive) {
            vg_arena_reset(arena);
            s = rk_compute(c, (uint32_t)ti, ex.as_of, arena, rec, src, NULL, err);
            r = rec;
        }
        if (s == VG_OK) {
            s = fn(user, &ex, r, err);
        }
    }
    vg_free(state);
    return s;
}

/* ---- training examples ------------------------------------------------------------------ */

struct collect {
    struct vg_risk_examples *out;
    bool keep_late_positives;
    struct rk_vec kept;   /* struct rk_examined of the examples */
    struct rk_vec values; /* VG_F_COUNT struct vg_value per example */
    struct rk_vec seen;   /* every examined trip, late ones too (for the shares) */
};

/* Copies text into the examples' own storage, once per distinct text. */
static enum vg_status keep_text(struct vg_risk_examples *ex, struct vg_slice *text)
{
    if (text->len == 0) {
        *text = VG_SLICE_EMPTY;
        return VG_OK;
    }
    uint64_t at;
    if (vg_map_get(&ex->strings, text->ptr, text->len, &at)) {
        text->ptr = (const char *)(uintptr_t)at;
        return VG_OK;
    }
    char *copy = vg_arena_strndup(&ex->arena, text->ptr, text->len);
    if (copy == NULL) {
        return VG_ENOMEM;
    }
    enum vg_status s = vg_map_set(&ex->strings, text->ptr, text->len, (uint64_t)(uintptr_t)copy);
    text->ptr = copy;
    return s;
}

static enum vg_status keep_value(struct vg_risk_examples *ex, struct vg_value *v)
{
    if (v->kind == VG_VALUE_UNKNOWN || v->kind == VG_VALUE_STRING) {
        return keep_text(ex, &v->as.string);
    }
    if (v->kind != VG_VALUE_LIST) {
        return VG_OK;
    }
    if (v->as.list.count == 0) {
        v->as.list.items = NULL;
        return VG_OK;
    }
    struct vg_slice *items = vg_arena_alloc(&ex->arena, v->as.list.count * sizeof(*items));
    if (items == NULL) {
        return VG_ENOMEM;
    }
    enum vg_status s = VG_OK;
    for (size_t i = 0; i < v->as.list.count && s == VG_OK; i++) {
        items[i] = v->as.list.items[i];
        s = keep_text(ex, &items[i]);
    }
    v->as.list.items = items;
    return s;
}

static enum vg_status collect_one(void *user,
                                  const struct rk_examined *e,
                                  const struct vg_value *rec,
                                  struct vg_error *err)
{
    struct collect *k = user;
    struct rk_examined *seen = rk_push(&k->seen, sizeof(*seen));
    if (seen == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    *seen = *e;
    struct vg_risk_examples *ex = k->out;
    if (e->late && !(e->positive && k->keep_late_positives)) {
        ex->late_positives += e->positive;
        ex->late_negatives += !e->positive;
        return VG_OK;
    }
    if (!e->loaded) {
        ex->not_loaded++;
        ex->not_loaded_positives += e->positive;
        return VG_OK;
    }
    struct rk_examined *kept = rk_push(&k->kept, sizeof(*kept));
    struct vg_value *v =
        kept != NULL ? rk_push(&k->values, VG_F_COUNT * sizeof(struct vg_value)) : NULL;
    if (v == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    *kept = *e;
    memcpy(v, rec, VG_F_COUNT * sizeof(*v));
    enum vg_status s = VG_OK;
    for (size_t f = 0; f < VG_F_COUNT && s == VG_OK; f++) {
        s = keep_value(ex, &v[f]);
    }
    return s == VG_OK ? VG_OK : vg_error_set(err, s, "out of memory");
}

/* A deterministic draw in [0, 1) for a trip id: the same store gives the same sample,
 * and a trip stays in or out of it as the store grows. */
static double draw(int64_t id)
{
    return (double)(vg_hash_bytes(&id, sizeof(id)) >> 11) / 9007199254740992.0;
}

/* Presumed negatives (docs/model.md): loaded trips of the port that nobody examined and no
 * partner reported a find for, which left between the first examined example and the
 * cut-off less the delay (so a find abroad would be in by now), sampled at the share that
 * gives `ratio` of them per examined example. Their weight in training is 1 / that share:
 * together they stand for the population that targeted examinations do not, which is
 * what the examined trips alone cannot show (every one of them was chosen because it
 * looked odd). A few are undetected cases: label noise at the base rate. */
static enum vg_status sample_unexamined(struct rk_ctx *c,
                                        struct collect *k,
                                        uint32_t port,
                                        int64_t delay,
                                        double ratio,
                                        struct vg_arena *arena,
                                        struct vg_value *rec,
                                        struct rk_src (*src)[2],
                                        struct vg_error *err)
{
    struct vg_risk_examples *ex = k->out;
    if (k->kept.n == 0) {
        return VG_OK;
    }
    int64_t from = INT64_MAX;
    for (size_t i = 0; i < k->kept.n; i++) {
        const struct rk_examined *e = RK_AT(k->kept, struct rk_examined, i);
        from = e->as_of < from ? e->as_of : from;
    }
    int64_t to = ex->until - delay;
    uint8_t *examined = vg_calloc(c->trips.n + 1, 1);
    if (examined == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < k->seen.n; i++) {
        examined[RK_AT(k->seen, struct rk_examined, i)->trip] = 1;
    }
    /* Outcomes after the cut-off or not linked are not known: those trips stay eligible. */
    size_t eligible = 0;
    for (size_t ti = 0; ti < c->trips.n; ti++) {
        const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, ti);
        int64_t when = t->departure_at != VG_TIME_NONE ? t->departure_at : t->t_ref;
        bool ok = !examined[ti] && (port == 0 || t->port == port) && when != VG_TIME_NONE &&
                  when >= from && when <= to && t->t_ref != VG_TIME_NONE && loaded(c, t);
        examined[ti] = ok ? 2 : examined[ti];
        eligible += ok;
    }
    ex->unexamined_eligible = eligible;
    double share = eligible > 0 ? ratio * (double)k->kept.n / (double)eligible : 0;
    share = share > 1 ? 1 : share;
    enum vg_status s = VG_OK;
    for (size_t ti = 0; ti < c->trips.n && s == VG_OK && share > 0; ti++) {
        const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, ti);
        if (examined[ti] != 2 || draw(t->id) >= share) {
            continue;
        }
        struct rk_examined e = { .trip = (uint32_t)ti,
                                 .as_of = t->t_ref,
                                 .left =
                                     t->departure_at != VG_TIME_NONE ? t->departure_at : t->t_ref,
                                 .loaded = true,
                                 .selection = VG_MODEL_UNEXAMINED };
        vg_arena_reset(arena);
        s = rk_compute(c, (uint32_t)ti, e.as_of, arena, rec, src, NULL, err);
        if (s == VG_OK) {
            s = collect_one(k, &e, rec, err);
        }
    }
    vg_free(examined);
    if (s == VG_OK && share > 0) {
        ex->shares.unexamined = share;
    }
    return s;
}

/* Container targets vigia selected (not drawn at random) whose trips lie in the window,
 * and how many of those were examined at origin (examined[trip] set). */
static enum vg_status count_targets(struct rk_ctx *c,
                                    const uint8_t *examined,
                                    uint32_t port,
                                    int64_t from,
                                    int64_t to,
                                    struct vg_risk_examples *ex,
                                    struct vg_error *err)
{
    static const char sql[] = "SELECT DISTINCT trip_id FROM targets WHERE trip_id IS NOT NULL"
                              " AND reason NOT IN ('random', 'vessel', 'explore')"
                              " AND state <> 'superseded'";
    sqlite3_stmt *st = vg__store_stmt(c->store, sql, err);
    if (st == NULL) {
        return VG_EDB;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id <= 0 || (size_t)id >= c->trip_ids || c->trip_by_id[id] == 0) {
            continue;
        }
        uint32_t ti = c->trip_by_id[id] - 1;
        const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, ti);
        int64_t when = trip_when(t);
        if ((port != 0 && t->port != port) || when == VG_TIME_NONE || when < from || when > to) {
            continue;
        }
        ex->targets++;
        ex->targets_examined += examined[ti] != 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? VG_OK : vg__store_error(c->store, rc, "reading targets", err);
}

/* The shares of the streams over the complete window (vg_risk_examples). */
static enum vg_status measure_shares(
    struct rk_ctx *c, struct collect *k, uint32_t port, int64_t delay, struct vg_error *err)
{
    struct vg_risk_examples *ex = k->out;
    if (ex->n == 0) {
        return VG_OK;
    }
    int64_t from = ex->from, to = ex->until - delay;
    if (to > ex->to) {
        to = ex->to;
    }
    if (to < from) {
        to = ex->to;
    }
    ex->share_from = from;
    ex->share_to = to;
    uint8_t *origin = vg_calloc(c->trips.n + 1, 1);
    if (origin == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < k->seen.n; i++) {
        const struct rk_examined *e = RK_AT(k->seen, struct rk_examined, i);
        const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, e->trip);
        origin[e->trip] = e->selection == VG_MODEL_TARGETED || e->selection == VG_MODEL_RANDOM;
        int64_t when = trip_when(t);
        if (e->selection == VG_MODEL_RANDOM && when != VG_TIME_NONE && when >= from && when <= to) {
            ex->random_examined++;
        }
    }
    for (size_t ti = 0; ti < c->trips.n; ti++) {
        const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, ti);
        int64_t when = trip_when(t);
        if ((port == 0 || t->port == port) && when != VG_TIME_NONE && when >= from && when <= to) {
            ex->window_trips++;
        }
    }
    enum vg_status s = count_targets(c, origin, port, from, to, ex, err);
    vg_free(origin);
    if (s != VG_OK) {
        return s;
    }
    if (ex->random_examined > 0 && ex->window_trips > 0) {
        ex->random_measured = true;
        ex->shares.random = (double)ex->random_examined / (double)ex->window_trips;
    }
    if (ex->targets > 0 && ex->targets_examined > 0) {
        ex->targeted_measured = true;
        ex->shares.targeted = (double)ex->targets_examined / (double)ex->targets;
    }
    return VG_OK;
}

void vg_risk_examples_release(struct vg_risk_examples *ex)
{
    if (ex == NULL) {
        return;
    }
    vg_free(ex->items);
    vg_free(ex->trips);
    vg_free(ex->values);
    vg_arena_release(&ex->arena);
    vg_map_release(&ex->strings);
    memset(ex, 0, sizeof(*ex));
    ex->from = ex->to = ex->until = ex->share_from = ex->share_to = VG_TIME_NONE;
}

enum vg_status vg_risk_examples(struct vg_store *store,
                                const struct vg_risk_examples_options *opts,
                                struct vg_risk_examples *out,
                                struct vg_error *err)
{
    if (out == NULL || store == NULL) {
        return vg_error_set(err, VG_EINVAL, "examples need a store and a place to put them");
    }
    memset(out, 0, sizeof(*out));
    vg_arena_init(&out->arena, 0, 0);
    vg_map_init(&out->strings);
    out->from = out->to = out->share_from = out->share_to = VG_TIME_NONE;
    out->shares = (struct vg_model_shares){ 1, 1, 1, 1 };
    struct vg_risk_examples_options defaults = { .until = VG_TIME_NONE };
    const struct vg_risk_examples_options *o = opts != NULL ? opts : &defaults;
    out->until = o->until != VG_TIME_NONE ? o->until : vg_time_now();
    out->delay_days = o->delay_days == 0  ? VG_RISK_DELAY_DAYS
                      : o->delay_days > 0 ? o->delay_days
                                          : 0;
    int64_t delay = (int64_t)out->delay_days * RK_DAY;

    struct rk_ctx *c = vg_calloc(1, sizeof(*c));
    struct vg_value *rec = vg_calloc(VG_F_COUNT, sizeof(*rec));
    struct rk_src(*src)[2] = vg_calloc(VG_F_COUNT, sizeof(*src));
    struct vg_arena arena;
    vg_arena_init(&arena, 64u << 10, 0);
    struct collect k = { .out = out, .keep_late_positives = o->keep_late_positives };
    enum vg_status s = VG_OK;
    if (c == NULL || rec == NULL || src == NULL) {
        s = vg_error_set(err, VG_ENOMEM, "out of memory");
        goto out;
    }
    if ((s = rk_ctx_load(c, store, err)) != VG_OK || (s = rk_ctx_prepare(c, err)) != VG_OK) {
        goto out;
    }
    for (size_t i = 0; i < c->outcomes.n; i++) {
        out->after_until += RK_AT(c->outcomes, struct rk_outcome, i)->t > out->until;
    }
    uint32_t port = 0;
    uint64_t pid = 0;
    if (o->port != NULL && !vg_map_get(&c->s.map, o->port, strlen(o->port), &pid)) {
        goto out; /* no trip of that port */
    }
    port = (uint32_t)pid;
    if ((s = rk_each_examined(c, out->until, delay, port, &arena, rec, src, collect_one, &k,
                              &out->unlinked, err)) != VG_OK) {
        goto out;
    }
    if (o->unexamined_ratio > 0 && (s = sample_unexamined(c, &k, port, delay, o->unexamined_ratio,
                                                          &arena, rec, src, err)) != VG_OK) {
        goto out;
    }
    out->n = k.kept.n;
    out->values = k.values.items;
    k.values.items = NULL;
    out->items = vg_calloc(out->n + 1, sizeof(*out->items));
    out->trips = vg_calloc(out->n + 1, sizeof(*out->trips));
    if (out->items == NULL || out->trips == NULL) {
        s = vg_error_set(err, VG_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < out->n; i++) {
        const struct rk_examined *e = RK_AT(k.kept, struct rk_examined, i);
        out->items[i] =
            (struct vg_model_example){ .record = out->values + i * VG_F_COUNT,
                                       .time = e->as_of,
                                       .positive = e->positive,
                                       .selection = (enum vg_model_selection)e->selection,
                                       .weight = 1 };
        out->trips[i] = RK_AT(c->trips, struct rk_trip, e->trip)->id;
        out->positives += e->positive;
        out->streams[e->selection].examples++;
        out->streams[e->selection].positives += e->positive;
        if (out->from == VG_TIME_NONE || e->as_of < out->from) {
            out->from = e->as_of;
        }
        if (out->to == VG_TIME_NONE || e->as_of > out->to) {
            out->to = e->as_of;
        }
    }
    s = measure_shares(c, &k, port, delay, err);
out:
    rk_vec_free(&k.kept);
    rk_vec_free(&k.values);
    rk_vec_free(&k.seen);
    vg_arena_release(&arena);
    vg_free(rec);
    vg_free(src);
    if (c != NULL) {
        rk_ctx_release(c);
        vg_free(c);
    }
    if (s != VG_OK) {
        vg_risk_examples_release(out);
    }
    return s;
}
