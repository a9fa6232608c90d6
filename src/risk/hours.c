/*
 * When a facility works: gate moves per facility (place and terminal or depot), day and
 * local hour, learned from the store. A move at an hour when its facility rarely works (an
 * empty pick-up at 03:00 from a depot that opens at 06:00, a gate-in in the small hours at a
 * terminal that is quiet then) is what "at night" means for that facility: a terminal that
 * works around the clock has no odd hours, and one that closes at night makes every night
 * move stand out [DT5].
 */
#include "risk/risk_int.h"

#include <math.h>
#include <string.h>

#define HOUR_WINDOW_DAYS 90
/* Fewer moves than this in the window and the facility's hours are not known. */
#define HOUR_MIN_MOVES 240

static int64_t day_of(int64_t t)
{
    return t >= 0 ? t / RK_DAY : (t - RK_DAY + 1) / RK_DAY;
}

/* Local time of t at place (UTC when the place's zone is unknown); zones are looked up
 * once per place. */
static int64_t local_time(struct rk_ctx *c, uint32_t place, int64_t t)
{
    char key[RK_KEY_SIZE];
    size_t n = rk_key(key, 'Z', place, 0, 0);
    uint64_t at;
    if (!vg_map_get(&c->hour_cache, key, n, &at)) {
        struct vg_zone *z = rk_push(&c->zones, sizeof(*z));
        if (z == NULL) {
            c->oom = true;
            return t;
        }
        if (!vg_zone_for_locode(rk_cstr(&c->s, place), z)) {
            *z = vg_zone_utc();
        }
        at = c->zones.n;
        if (vg_map_set(&c->hour_cache, key, n, at) != VG_OK) {
            c->oom = true;
        }
    }
    const struct vg_zone *z = RK_AT(c->zones, struct vg_zone, at - 1);
    return t + (int64_t)vg_zone_offset_at(z, t) * 60;
}

static uint32_t *
day_counts(struct rk_ctx *c, uint32_t place, uint32_t terminal, int64_t day, bool create)
{
    char key[RK_KEY_SIZE];
    size_t n = rk_key(key, 'H', place, terminal, day);
    uint64_t at;
    if (vg_map_get(&c->hour_days, key, n, &at)) {
        return RK_AT(c->hour_counts, uint32_t, (at - 1) * 24);
    }
    if (!create) {
        return NULL;
    }
    size_t idx = c->hour_counts.n / 24;
    for (int h = 0; h < 24; h++) {
        if (rk_push(&c->hour_counts, sizeof(uint32_t)) == NULL) {
            return NULL;
        }
    }
    if (vg_map_set(&c->hour_days, key, n, idx + 1) != VG_OK) {
        return NULL;
    }
    return RK_AT(c->hour_counts, uint32_t, idx * 24);
}

enum vg_status rk_hour_samples(struct rk_ctx *c)
{
    for (size_t i = 0; i < c->events.n; i++) {
        const struct rk_event *e = RK_AT(c->events, struct rk_event, i);
        if ((e->kind != RK_EV_GATE_IN && e->kind != RK_EV_GATE_OUT) || e->place == 0) {
            continue;
        }
        int64_t lt = local_time(c, e->place, e->t);
        uint32_t *counts = day_counts(c, e->place, e->terminal, day_of(lt), true);
        if (counts == NULL) {
            return VG_ENOMEM;
        }
        int64_t sec = lt - day_of(lt) * RK_DAY;
        counts[sec / 3600]++;
    }
    return VG_OK;
}

double rk_hour_activity(struct rk_ctx *c, uint32_t place, uint32_t terminal, int64_t t)
{
    int64_t lt = local_time(c, place, t);
    int64_t day = day_of(lt);
    int hour = (int)((lt - day * RK_DAY) / 3600);
    char key[RK_KEY_SIZE];
    size_t kn = rk_key(key, 'h', place, terminal, day);
    uint64_t at;
    if (!vg_map_get(&c->hour_cache, key, kn, &at)) {
        double sum[24] = { 0 }, total = 0;
        for (int64_t d = day - HOUR_WINDOW_DAYS; d < day; d++) {
            const uint32_t *counts = day_counts(c, place, terminal, d, false);
            for (int h = 0; counts != NULL && h < 24; h++) {
                sum[h] += counts[h];
                total += counts[h];
            }
        }
        size_t idx = c->hour_activity.n / 24;
        for (int h = 0; h < 24; h++) {
            float *slot = rk_push(&c->hour_activity, sizeof(float));
            if (slot == NULL) {
                c->oom = true;
                return NAN;
            }
        }
        float *act = RK_AT(c->hour_activity, float, idx * 24);
        for (int h = 0; h < 24; h++) {
            act[h] = total >= HOUR_MIN_MOVES ? (float)(sum[h] * 24.0 / total) : NAN;
        }
        if (vg_map_set(&c->hour_cache, key, kn, idx + 1) != VG_OK) {
            c->oom = true;
            return NAN;
        }
        at = idx + 1;
    }
    return *RK_AT(c->hour_activity, float, (at - 1) * 24 + (uint64_t)hour);
}
