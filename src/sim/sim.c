/*
 * vigia sim: the driver (vigia/sim.h). Loads the configuration, builds the world and
 * the schedule, then walks the container calls in departure order: trips, feeds and truth
 * records per call, interchanges closed day by day; then the AIS tracks, the outcomes, the
 * watch list and truth.json. Nothing here reads a clock or a global random source.
 */
#include "sim/sim_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <vigia/alloc.h>
#include <vigia/file.h>

void vg_sim_options_init(struct vg_sim_options *o)
{
    memset(o, 0, sizeof(*o));
    o->seed = 1;
    o->days = 30;
    o->scale = 1.0;
    o->history_share = -1;
}

static bool parse_date(const char *s, int *y, int *m, int *d)
{
    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return false;
    }
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
            return false;
        }
    }
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    return *y >= 1990 && *y <= 2100 && vg_civil_valid(*y, *m, *d, 0, 0, 0);
}

/* Which calls carry the planted EDIFACT faults, and which AIS sentences. */
static void plan_faults(struct sim_gen *g)
{
    const struct sim_config *cfg = g->w->cfg;
    struct sim_rng r;
    vg__sim_rng_init(&r, g->w->seed, SIM_S_FAULTS, 0, 0);
    for (int k = 0; k < SIM_FAULTS; k++) {
        int n = cfg->fault_count[k];
        g->fault_n[k] = n > 8 ? 8 : n;
        for (int i = 0; i < g->fault_n[k]; i++) {
            if (k == SIM_F_NMEA_CHECKSUM) {
                g->nmea_fault_day[i] = (int)vg__sim_below(&r, (uint32_t)g->w->days);
                g->nmea_fault_at[i] = 1 + vg__sim_below(&r, 60);
            } else if (k == SIM_F_MISSING_FEED) {
                /* A terminal of a busy port, a day inside the window. */
                uint32_t p = 0;
                for (int a = 0; a < 8; a++) {
                    p = vg__sim_below(&r, cfg->nport);
                    if (!cfg->port[p].river) {
                        break;
                    }
                }
                g->miss_port[i] = p;
                g->miss_term[i] = vg__sim_below(&r, cfg->port[p].nterm);
                g->miss_day[i] = g->w->days > 2 ? 1 + (int)vg__sim_below(&r, (uint32_t)g->w->days - 2)
                                                : 0;
            } else {
                g->fault_call[k][i] = g->s->norder ? vg__sim_below(&r, g->s->norder) : UINT32_MAX;
            }
        }
    }
}

static enum vg_status load_config(const struct vg_sim_options *o, struct sim_config **cfg,
                                  struct vg_error *err)
{
    if (o->config_path == NULL) {
        return vg__sim_config_load(NULL, 0, NULL, cfg, err);
    }
    struct vg_file f;
    enum vg_status st = vg_file_open(o->config_path, &f, err);
    if (st != VG_OK) {
        return st;
    }
    st = vg__sim_config_load(f.data, f.len, o->config_path, cfg, err);
    vg_file_close(&f);
    return st;
}

static void gen_release(struct sim_gen *g)
{
    vg_free(g->ix);
    vg_free(g->ix_key);
    vg_free(g->ix_hash);
    vg_free(g->trip);
    vg_free(g->cons);
    vg_free(g->order);
    vg_free(g->scratch);
    vg_arena_release(&g->scratch_arena);
    vg__sim_edi_release(&g->edi);
    vg__sim_records_release(&g->rec);
}

enum vg_status vg_sim_run(const struct vg_sim_options *o, struct vg_sim_report *report,
                          struct vg_error *err)
{
    struct vg_sim_report local;
    struct vg_sim_report *rep = report ? report : &local;
    memset(rep, 0, sizeof(*rep));
    if (o == NULL || o->out_dir == NULL || o->out_dir[0] == '\0') {
        return vg_error_set(err, VG_EINVAL, "no output directory given");
    }
    if (o->days < 1 || o->days > 3660) {
        return vg_error_set(err, VG_EINVAL, "days must be 1 to 3660, not %d", o->days);
    }
    if (!(o->scale > 0 && o->scale <= 100000)) {
        return vg_error_set(err, VG_EINVAL, "scale must be > 0 and <= 100000");
    }
    if (o->history_share > 1) {
        return vg_error_set(err, VG_EINVAL, "history share must be 0 to 1");
    }
    struct sim_config *cfg = NULL;
    enum vg_status st = load_config(o, &cfg, err);
    if (st != VG_OK) {
        return st;
    }
    snprintf(rep->config_name, sizeof(rep->config_name), "%s", cfg->name);
    snprintf(rep->config_digest, sizeof(rep->config_digest), "%s", cfg->digest);
    int y = cfg->start_y, m = cfg->start_m, d = cfg->start_d;
    if (o->start != NULL && !parse_date(o->start, &y, &m, &d)) {
        vg__sim_config_free(cfg);
        return vg_error_set(err, VG_EINVAL, "start must be a date YYYY-MM-DD, not '%s'", o->start);
    }
    double share = o->history_share >= 0 ? o->history_share : cfg->history_share;
    struct vg_civil local_midnight = { .year = y, .month = m, .day = d };
    int64_t t0 = vg_time_from_local(&local_midnight, &cfg->port[0].zone);

    struct sim_world w;
    struct sim_schedule s;
    struct sim_gen g;
    memset(&g, 0, sizeof(g));
    memset(&s, 0, sizeof(s));
    st = vg__sim_out_prepare(&g.out, o->out_dir, (o->flags & VG_SIM_OVERWRITE) != 0, err);
    if (st != VG_OK) {
        vg__sim_config_free(cfg);
        return st;
    }
    st = vg__sim_world_build(&w, cfg, o->seed, o->days, o->scale, t0, share, err);
    if (st != VG_OK) {
        vg__sim_config_free(cfg);
        return st;
    }
    st = vg__sim_schedule_build(&w, &s, err);
    if (st != VG_OK) {
        vg__sim_world_release(&w);
        vg__sim_config_free(cfg);
        return st;
    }
    g.w = &w;
    g.s = &s;
    g.rep = rep;
    g.day = -1000000;
    vg__sim_edi_init(&g.edi);
    vg__sim_records_init(&g.rec);
    vg_arena_init(&g.scratch_arena, 1 << 14, 0);
    g.scratch = vg_calloc(cfg->ncommodity, sizeof(double));
    if (g.scratch == NULL) {
        st = vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    plan_faults(&g);

    int last_progress = -1;
    for (uint32_t i = 0; i < s.norder && st == VG_OK; i++) {
        uint32_t ci = s.order[i];
        struct sim_call *c = &s.call[ci];
        int64_t day = (c->etd - w.t0) / SIM_DAY;
        if (day != g.day) {
            st = vg__sim_feeds_close_day(&g, err);
            g.day = day;
            if (o->progress != NULL && (int)day > last_progress && day > 0) {
                o->progress(o->progress_user, (int)day, o->days);
                last_progress = (int)day;
            }
        }
        g.cur_order = i;
        if (st == VG_OK) {
            st = vg__sim_trips_for_call(&g, ci, err);
        }
        if (st == VG_OK) {
            st = vg__sim_feeds_for_call(&g, ci, err);
        }
        if (st == VG_OK) {
            st = vg__sim_record_call(&g, ci);
            if (st != VG_OK) {
                vg_error_set(err, st, "out of memory recording the truth");
            }
        }
        rep->trips += g.ntrip;
        rep->consignments += g.ncons;
        for (uint32_t t = 0; t < g.ntrip; t++) {
            rep->full_trips += g.trip[t].full;
        }
    }
    if (st == VG_OK) {
        st = vg__sim_feeds_close_day(&g, err);
    }
    for (int i = 0; i < g.fault_n[SIM_F_MISSING_FEED] && st == VG_OK; i++) {
        if (g.miss_count[i] > 0) {
            const struct sim_port *mp = &cfg->port[g.miss_port[i]];
            struct vg_civil cv;
            vg_time_to_civil(w.t0 + (int64_t)g.miss_day[i] * SIM_DAY + 12 * 3600, &cv);
            char value[64], detail[160];
            snprintf(value, sizeof(value), "%s", mp->term[g.miss_term[i]].sender);
            snprintf(detail, sizeof(detail),
                     "no CODECO from %s (%s) for %04d-%02d-%02d: %u gate moves never sent",
                     mp->term[g.miss_term[i]].sender, mp->locode, cv.year, cv.month, cv.day,
                     g.miss_count[i]);
            st = vg__sim_fault_record(&g, SIM_F_MISSING_FEED, "", "", value, detail);
        }
    }
    rep->calls = s.norder;
    rep->empty_trips = rep->trips - rep->full_trips;
    if (st == VG_OK && vg__sim_record_other_calls(&g) != VG_OK) {
        st = vg_error_set(err, VG_ENOMEM, "out of memory recording the truth");
    }
    if (st == VG_OK && !(o->flags & VG_SIM_NO_AIS)) {
        st = vg__sim_tracks_write(&g, err);
    }
    if (st == VG_OK && vg__sim_watchlist_extras(&g) != VG_OK) {
        st = vg_error_set(err, VG_ENOMEM, "out of memory making the watch list");
    }
    if (st == VG_OK) {
        st = vg__sim_outcomes_write(&g, err);
    }
    if (st == VG_OK) {
        st = vg__sim_watchlist_write(&g, err);
    }
    rep->vessel_cases = g.rec.by_pattern[SIM_P_AT_SEA];
    rep->case_trips = g.rec.ncases - rep->vessel_cases;
    rep->confounders = g.rec.nconf;
    rep->inspections = g.rec.inspections;
    rep->faults = g.rec.nfaults;
    if (st == VG_OK) {
        st = vg__sim_truth_write(&g, err);
    }
    if (o->progress != NULL && st == VG_OK) {
        o->progress(o->progress_user, o->days, o->days);
    }
    /* Close whatever is still open after a failure. */
    for (uint32_t i = 0; i < g.nix; i++) {
        if (g.ix[i].open) {
            (void)vg__sim_ix_close(&g.out, &g.ix[i], NULL);
        }
    }
    rep->files = g.out.files;
    rep->bytes = g.out.bytes;
    gen_release(&g);
    vg__sim_schedule_release(&s);
    vg__sim_world_release(&w);
    vg__sim_config_free(cfg);
    return st;
}
