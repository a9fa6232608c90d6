/*
 * What the world knows and the feeds do not say:
 *
 *   truth.json     the seed, the configuration digest, the history/evaluation split; every
 *                  case (trip or vessel) with its pattern and the indicators the data
 *                  actually shows; every confounder; every planted data fault; the watch
 *                  list's true entries and decoys; counts, including how many innocent
 *                  trips show each indicator (none may be a give-away)
 *   outcomes.csv   the inspections of the history period and the finds abroad known by
 *                  the end of the world (docs/formats.md)
 *   watchlist.csv  the watch list (docs/formats.md)
 *
 * JSON is written by hand (streamed fragments) so that the output is byte-stable and the
 * memory is a few buffers, whatever the scale.
 */
#include "sim/sim_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vigia/alloc.h>

/* ---- JSON fragments ----------------------------------------------------------------------- */

static void bput(struct vg_buf *b, enum vg_status *st, const char *s, size_t len)
{
    if (*st == VG_OK) {
        *st = vg_buf_append(b, s, len);
    }
}

static void bstr(struct vg_buf *b, enum vg_status *st, const char *s)
{
    bput(b, st, s, strlen(s));
}

static void bfmt(struct vg_buf *b, enum vg_status *st, const char *fmt, ...) VG_PRINTF(3, 4);

static void bfmt(struct vg_buf *b, enum vg_status *st, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n > 0) {
        bput(b, st, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
    }
}

void vg__sim_json_str(struct vg_buf *b, enum vg_status *st, const char *s)
{
    bput(b, st, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p != '\0'; p++) {
        if (*p == '"' || *p == '\\') {
            char esc[2] = { '\\', (char)*p };
            bput(b, st, esc, 2);
        } else if (*p < 0x20) {
            char esc[8];
            snprintf(esc, sizeof(esc), "\\u%04x", *p);
            bput(b, st, esc, 6);
        } else {
            bput(b, st, (const char *)p, 1);
        }
    }
    bput(b, st, "\"", 1);
}

void vg__sim_json_time(struct vg_buf *b, enum vg_status *st, int64_t t)
{
    char iso[32];
    vg_time_format_iso8601(t, iso, sizeof(iso));
    vg__sim_json_str(b, st, iso);
}

static void key(struct vg_buf *b, enum vg_status *st, const char *k)
{
    vg__sim_json_str(b, st, k);
    bput(b, st, ":", 1);
}

static void kstr(struct vg_buf *b, enum vg_status *st, const char *k, const char *v)
{
    bput(b, st, ",", 1);
    key(b, st, k);
    vg__sim_json_str(b, st, v);
}

static void ktime(struct vg_buf *b, enum vg_status *st, const char *k, int64_t t)
{
    bput(b, st, ",", 1);
    key(b, st, k);
    vg__sim_json_time(b, st, t);
}

static void ind_list(struct vg_buf *b, enum vg_status *st, uint32_t bits)
{
    bput(b, st, "[", 1);
    bool first = true;
    for (int i = 0; i < SIM_INDICATORS; i++) {
        if ((bits >> i) & 1) {
            if (!first) {
                bput(b, st, ",", 1);
            }
            vg__sim_json_str(b, st, vg__sim_indicator_names[i]);
            first = false;
        }
    }
    bput(b, st, "]", 1);
}

static void vessel_obj(struct vg_buf *b, enum vg_status *st, const struct sim_vessel *v)
{
    bput(b, st, "{", 1);
    key(b, st, "name");
    vg__sim_json_str(b, st, v->name);
    if (v->imo) {
        bfmt(b, st, ",\"imo\":\"%07u\"", v->imo);
    }
    bfmt(b, st, ",\"mmsi\":\"%09u\"", v->mmsi);
    kstr(b, st, "call_sign", v->call_sign);
    kstr(b, st, "flag", v->flag);
    bput(b, st, "}", 1);
}

/* ---- records ------------------------------------------------------------------------------ */

enum vg_status vg__sim_records_init(struct sim_records *r)
{
    memset(r, 0, sizeof(*r));
    vg_buf_init(&r->cases, 0);
    vg_buf_init(&r->confounders, 0);
    vg_buf_init(&r->faults, 0);
    return VG_OK;
}

void vg__sim_records_release(struct sim_records *r)
{
    vg_buf_release(&r->cases);
    vg_buf_release(&r->confounders);
    vg_buf_release(&r->faults);
    vg_free(r->outcome);
    memset(r, 0, sizeof(*r));
}

enum vg_status vg__sim_fault_record(struct sim_gen *g, enum sim_fault kind, const char *file,
                                    const char *message, const char *value, const char *detail)
{
    struct sim_records *r = &g->rec;
    enum vg_status st = VG_OK;
    struct vg_buf *b = &r->faults;
    bstr(b, &st, r->nfaults ? ",\n    {" : "\n    {");
    key(b, &st, "kind");
    vg__sim_json_str(b, &st, vg__sim_fault_names[kind]);
    kstr(b, &st, "file", file);
    if (message != NULL && message[0] != '\0') {
        kstr(b, &st, "message", message);
    }
    kstr(b, &st, "value", value);
    kstr(b, &st, "detail", detail);
    bput(b, &st, "}", 1);
    r->nfaults++;
    return st;
}

static uint32_t pattern_mask(const struct sim_config *cfg, int pattern)
{
    uint32_t m = 0;
    for (int i = 0; i < SIM_INDICATORS; i++) {
        m |= (uint32_t)(cfg->pattern[pattern].ind_p[i] > 0) << i;
    }
    return m;
}

static const char *window_of(const struct sim_world *w, int64_t t)
{
    return t < w->t_split ? "history" : "evaluation";
}

static const char *const found_names[] = { "origin", "transit", "destination" };

/* ,"found_at":...,"found_port":...,"found":... (or null), and the case's closing brace. */
static void found_fields(struct sim_gen *g, struct vg_buf *b, enum vg_status *st, const char *at,
                         const char *port, int64_t when, int pattern)
{
    if (at != NULL) {
        kstr(b, st, "found_at", at);
        if (port != NULL) {
            kstr(b, st, "found_port", port);
        }
        ktime(b, st, "found", when);
    } else {
        bstr(b, st, ",\"found_at\":null");
    }
    bput(b, st, "}", 1);
    g->rec.ncases++;
    g->rec.by_pattern[pattern]++;
}

static void trip_case(struct sim_gen *g, const struct sim_call *c, const struct sim_trip *t,
                      enum vg_status *st)
{
    const struct sim_world *w = g->w;
    const struct sim_config *cfg = w->cfg;
    const struct sim_consignment *k = &g->cons[t->cons];
    struct vg_buf *b = &g->rec.cases;
    uint32_t mask = pattern_mask(cfg, t->pattern);
    bstr(b, st, g->rec.ncases ? ",\n    {" : "\n    {");
    bfmt(b, st, "\"id\":\"K%06u\"", t->case_id);
    kstr(b, st, "pattern", vg__sim_pattern_names[t->pattern]);
    kstr(b, st, "unit", "trip");
    kstr(b, st, "container", t->container);
    kstr(b, st, "bill_of_lading", k->bl);
    kstr(b, st, "port", cfg->port[c->port].locode);
    kstr(b, st, "terminal", cfg->port[c->port].term[c->terminal].code);
    kstr(b, st, "voyage", c->voyage);
    bstr(b, st, ",\"vessel\":");
    vessel_obj(b, st, &w->vessel[c->vessel]);
    ktime(b, st, "departure", c->etd);
    kstr(b, st, "window", window_of(w, c->etd));
    bstr(b, st, ",\"indicators\":");
    ind_list(b, st, t->ind & mask);
    bstr(b, st, ",\"other_indicators\":");
    ind_list(b, st, t->ind & ~mask);
    kstr(b, st, "substance", "cocaine");
    bfmt(b, st, ",\"kg\":%.0f", t->kg);
    kstr(b, st, "concealment", vg__sim_concealment_names[t->conc]);
    kstr(b, st, "shipper", k->shipper_name ? k->shipper_name : w->party[k->shipper].name);
    kstr(b, st, "consignee", k->carrier_consignee ? cfg->carrier[k->carrier].name
                                                  : (k->consignee_name ? k->consignee_name
                                                                       : w->party[k->consignee].name));
    if (k->listed) {
        const struct sim_listed *l = &w->listed[k->listed - 1];
        kstr(b, st, "listed_as", l->listed_name);
        bfmt(b, st, ",\"listed_spelling_exact\":%s", k->listed_exact ? "true" : "false");
    }
    if (t->related[0] != '\0') {
        /* The original box of that number, at another terminal or port meanwhile. */
        const struct sim_port *op = &cfg->port[t->related_port];
        bstr(b, st, ",\"original_seen_at\":{");
        key(b, st, "port");
        vg__sim_json_str(b, st, op->locode);
        kstr(b, st, "terminal", op->term[t->related_terminal].code);
        bput(b, st, "}", 1);
    }
    kstr(b, st, "destination", k->pod);
    bstr(b, st, ",\"transhipment\":[");
    for (uint8_t h = 0; h < k->nhub; h++) {
        if (h) {
            bput(b, st, ",", 1);
        }
        vg__sim_json_str(b, st, k->hub[h]);
    }
    bput(b, st, "]", 1);
    if (t->feed_missing) {
        bstr(b, st, ",\"in_missing_feed\":true");
    }
    bfmt(b, st, ",\"inspected\":%s,\"detected\":%s,\"loaded\":%s", t->inspected ? "true" : "false",
         t->detected ? "true" : "false", t->loaded ? "true" : "false");
    if (t->inspected) {
        kstr(b, st, "selection", t->selection == SIM_SEL_RANDOM ? "random" : "targeted");
        kstr(b, st, "method", vg__sim_method_names[t->method]);
    }
    if (t->detected) {
        found_fields(g, b, st, "origin", NULL, t->t_insp, t->pattern);
    } else if (t->found_at) {
        found_fields(g, b, st, found_names[t->found_at - 1], t->found_port, t->t_found,
                     t->pattern);
    } else {
        found_fields(g, b, st, NULL, NULL, 0, t->pattern);
    }
}

static void vessel_case(struct sim_gen *g, const struct sim_call *c, enum vg_status *st)
{
    const struct sim_world *w = g->w;
    const struct sim_config *cfg = w->cfg;
    const struct sim_vevent *ev = &c->ev;
    struct vg_buf *b = &g->rec.cases;
    bstr(b, st, g->rec.ncases ? ",\n    {" : "\n    {");
    bfmt(b, st, "\"id\":\"V%06u\"", ++g->rec.vcase_seq);
    kstr(b, st, "pattern", "at_sea_transfer");
    kstr(b, st, "unit", "vessel");
    bstr(b, st, ",\"vessel\":");
    vessel_obj(b, st, &w->vessel[c->vessel]);
    kstr(b, st, "voyage", c->voyage);
    kstr(b, st, "port", cfg->port[c->port].locode);
    kstr(b, st, "next_port", c->next_port);
    ktime(b, st, "departure", c->etd);
    kstr(b, st, "window", window_of(w, c->etd));
    bstr(b, st, ",\"indicators\":");
    ind_list(b, st, ev->ind);
    bstr(b, st, ",\"event\":{");
    key(b, st, "start");
    vg__sim_json_time(b, st, ev->t_meet);
    ktime(b, st, "end", ev->t_end);
    bfmt(b, st, ",\"lat\":%.5f,\"lon\":%.5f,\"meet_nm\":%.1f,\"approach_kn\":%.1f", ev->pos.lat,
         ev->pos.lon, ev->meet_nm, ev->approach_kn);
    bfmt(b, st, ",\"ship_loiters\":%s", ev->loiter ? "true" : "false");
    if (ev->craft != SIM_NONE) {
        bfmt(b, st, ",\"small_craft\":{\"mmsi\":\"%09u\",\"name\":", w->vessel[ev->craft].mmsi);
        vg__sim_json_str(b, st, w->vessel[ev->craft].name);
        bfmt(b, st, ",\"transmits\":%s}", ev->craft_visible ? "true" : "false");
    } else {
        bstr(b, st, ",\"small_craft\":null");
    }
    if (ev->gap1 > ev->gap0) {
        bstr(b, st, ",\"ais_gap\":{");
        key(b, st, "start");
        vg__sim_json_time(b, st, ev->gap0);
        ktime(b, st, "end", ev->gap1);
        bput(b, st, "}", 1);
    }
    bput(b, st, "}", 1);
    bfmt(b, st, ",\"kg\":%.0f,\"exposed_trips\":%u", ev->kg, c->trips);
    bstr(b, st, ",\"crew_loaded_containers\":[");
    for (uint32_t i = 0; i < ev->ncrew; i++) {
        if (i) {
            bput(b, st, ",", 1);
        }
        vg__sim_json_str(b, st, g->trip[ev->crew[i]].container);
    }
    bput(b, st, "]", 1);
    if (ev->found) {
        kstr(b, st, "found_container", ev->found_container);
        found_fields(g, b, st, "destination", ev->found_port, ev->t_found, SIM_P_AT_SEA);
    } else {
        found_fields(g, b, st, NULL, NULL, 0, SIM_P_AT_SEA);
    }
}

static void confounder(struct sim_gen *g, const struct sim_call *c, const struct sim_trip *t,
                       int kind, enum vg_status *st)
{
    const struct sim_world *w = g->w;
    struct vg_buf *b = &g->rec.confounders;
    bstr(b, st, g->rec.nconf ? ",\n    {" : "\n    {");
    key(b, st, "kind");
    vg__sim_json_str(b, st, vg__sim_confounder_names[kind]);
    kstr(b, st, "port", w->cfg->port[c->port].locode);
    kstr(b, st, "voyage", c->voyage);
    ktime(b, st, "departure", c->etd);
    if (t != NULL) {
        kstr(b, st, "container", t->container);
        kstr(b, st, "bill_of_lading", g->cons[t->cons].bl);
        bstr(b, st, ",\"shows\":");
        ind_list(b, st, t->ind);
    } else {
        bstr(b, st, ",\"vessel\":");
        vessel_obj(b, st, &w->vessel[c->vessel]);
        const struct sim_vevent *ev = &c->ev;
        if (kind == SIM_C_SLOW_NIGHT || kind == SIM_C_INNOCENT_ENCOUNTER) {
            ktime(b, st, "start", ev->t_meet);
            ktime(b, st, "end", ev->t_end);
            bfmt(b, st, ",\"lat\":%.5f,\"lon\":%.5f", ev->pos.lat, ev->pos.lon);
            if (ev->craft != SIM_NONE) {
                bfmt(b, st, ",\"small_craft_mmsi\":\"%09u\"", w->vessel[ev->craft].mmsi);
            }
        } else if (kind == SIM_C_AIS_GAP) {
            ktime(b, st, "start", c->gap0);
            ktime(b, st, "end", c->gap1);
        } else if (kind == SIM_C_BUNKERING) {
            ktime(b, st, "start", c->bunker0);
            ktime(b, st, "end", c->bunker1);
            bfmt(b, st, ",\"barge_mmsi\":\"%09u\"", w->vessel[c->bunker_barge].mmsi);
        } else if (kind == SIM_C_ANCHOR_LONG) {
            ktime(b, st, "anchored", c->eta);
            ktime(b, st, "berthed", c->berth);
        }
    }
    bput(b, st, "}", 1);
    g->rec.nconf++;
    g->rec.conf_count[kind]++;
}

enum vg_status vg__sim_record_call(struct sim_gen *g, uint32_t ci)
{
    const struct sim_call *c = &g->s->call[ci];
    enum vg_status st = VG_OK;
    for (uint32_t i = 0; i < g->ntrip && st == VG_OK; i++) {
        const struct sim_trip *t = &g->trip[i];
        const struct sim_consignment *k = &g->cons[t->cons];
        if (t->pattern != SIM_P_NONE) {
            trip_case(g, c, t, &st);
            continue;
        }
        uint32_t conf = t->conf | k->conf_bits;
        if (t->full && !k->empty) {
            const struct sim_party *ex = &g->w->party[k->shipper];
            int day = (int)((c->etd - g->w->t0) / SIM_DAY);
            if ((ex->flags & SIM_PARTY_NEWCOMER) && day - ex->since_day < 60) {
                conf |= 1u << SIM_C_NEWCOMER;
            }
            if ((ex->flags & SIM_PARTY_TRADER) && ex->commodity != k->commodity) {
                conf |= 1u << SIM_C_TRADER;
            }
        }
        for (int kind = 0; kind < SIM_CONFOUNDERS; kind++) {
            if ((conf >> kind) & 1) {
                confounder(g, c, t, kind, &st);
            }
        }
        if (t->full) {
            for (int j = 0; j < SIM_INDICATORS; j++) {
                g->rec.ind_innocent[j] += (t->ind >> j) & 1;
            }
            g->rec.innocent_full++;
        }
    }
    if (st == VG_OK && c->ev.kind == SIM_VE_TRANSFER) {
        vessel_case(g, c, &st);
    }
    for (int kind = SIM_C_ANCHOR_LONG; kind <= SIM_C_BUNKERING && st == VG_OK; kind++) {
        if ((c->conf >> kind) & 1) {
            confounder(g, c, NULL, kind, &st);
        }
    }
    return st;
}

/* The AIS-only calls' confounders (long waits, bunkering). */
enum vg_status vg__sim_record_other_calls(struct sim_gen *g)
{
    enum vg_status st = VG_OK;
    for (uint32_t i = 0; i < g->s->ncall && st == VG_OK; i++) {
        const struct sim_call *c = &g->s->call[i];
        if (c->container || c->etd < g->w->t0 || c->eta >= g->w->t_end) {
            continue;
        }
        for (int kind = SIM_C_ANCHOR_LONG; kind <= SIM_C_BUNKERING && st == VG_OK; kind++) {
            if ((c->conf >> kind) & 1) {
                confounder(g, c, NULL, kind, &st);
            }
        }
    }
    return st;
}

/* ---- truth.json ---------------------------------------------------------------------------- */

static enum vg_status write_buf(struct sim_file *f, const struct vg_buf *b, struct vg_error *err)
{
    return vg__sim_file_write(f, b->data ? b->data : "", b->len, err);
}

static void watch_json(struct sim_gen *g, struct vg_buf *b, enum vg_status *st)
{
    const struct sim_world *w = g->w;
    bstr(b, st, ",\n  \"watchlist\": {\n    \"true_entries\": [");
    uint32_t n = 0;
    for (uint32_t i = 0; i < w->nlisted; i++) {
        const struct sim_listed *l = &w->listed[i];
        const struct sim_party *p = &w->party[l->party];
        static const char *const roles[] = { "exporter", "consignee", "forwarder", "broker",
                                             "notify" };
        bstr(b, st, n++ ? ",\n      {" : "\n      {");
        key(b, st, "name");
        vg__sim_json_str(b, st, l->listed_name);
        kstr(b, st, "type", "party");
        kstr(b, st, "role", roles[p->role]);
        kstr(b, st, "country", p->country);
        bfmt(b, st, ",\"used_in_case\":%s", l->used_in_case ? "true" : "false");
        bstr(b, st, ",\"feed_spellings\":[");
        for (uint32_t a = 0; a < l->nvariants; a++) {
            if (a) {
                bput(b, st, ",", 1);
            }
            vg__sim_json_str(b, st, l->variants[a]);
        }
        bstr(b, st, "]}");
    }
    for (uint32_t i = 0; i < w->nextra; i++) {
        const struct sim_wl_extra *x = &w->extra[i];
        if (!x->truth) {
            continue;
        }
        bstr(b, st, n++ ? ",\n      {" : "\n      {");
        key(b, st, "name");
        vg__sim_json_str(b, st, x->name);
        kstr(b, st, "type", x->type);
        kstr(b, st, "identifier", x->identifier ? x->identifier : "");
        bput(b, st, "}", 1);
    }
    bstr(b, st, "\n    ],\n    \"decoys\": [");
    n = 0;
    for (uint32_t i = 0; i < w->nextra; i++) {
        const struct sim_wl_extra *x = &w->extra[i];
        if (x->truth) {
            continue;
        }
        bstr(b, st, n++ ? ",\n      {" : "\n      {");
        key(b, st, "name");
        vg__sim_json_str(b, st, x->name);
        kstr(b, st, "type", x->type);
        if (x->resembles != NULL) {
            kstr(b, st, "resembles", x->resembles);
        }
        bput(b, st, "}", 1);
    }
    bstr(b, st, "\n    ]\n  }");
}

enum vg_status vg__sim_truth_write(struct sim_gen *g, struct vg_error *err)
{
    const struct sim_world *w = g->w;
    const struct sim_config *cfg = w->cfg;
    struct sim_records *r = &g->rec;
    struct vg_buf head;
    vg_buf_init(&head, 0);
    enum vg_status st = VG_OK;
    bstr(&head, &st, "{\n  \"generator\": \"vigia sim\"");
    bfmt(&head, &st, ",\n  \"seed\": %llu", (unsigned long long)w->seed);
    bfmt(&head, &st, ",\n  \"days\": %d", w->days);
    bfmt(&head, &st, ",\n  \"scale\": %.6g", w->scale);
    bstr(&head, &st, ",\n  \"config\": {");
    key(&head, &st, "name");
    vg__sim_json_str(&head, &st, cfg->name);
    kstr(&head, &st, "title", cfg->title);
    kstr(&head, &st, "digest", cfg->digest);
    bstr(&head, &st, "}");
    bstr(&head, &st, ",\n  \"timezone\": \"UTC; days start at local midnight of the first port\"");
    bstr(&head, &st, ",\n  \"start\": ");
    vg__sim_json_time(&head, &st, w->t0);
    bstr(&head, &st, ",\n  \"end\": ");
    vg__sim_json_time(&head, &st, w->t_end);
    bstr(&head, &st, ",\n  \"history\": {\"from\": ");
    vg__sim_json_time(&head, &st, w->t0);
    bstr(&head, &st, ", \"to\": ");
    vg__sim_json_time(&head, &st, w->t_split);
    bfmt(&head, &st, ", \"days\": %d}", w->history_days);
    bstr(&head, &st, ",\n  \"evaluation\": {\"from\": ");
    vg__sim_json_time(&head, &st, w->t_split);
    bstr(&head, &st, ", \"to\": ");
    vg__sim_json_time(&head, &st, w->t_end);
    bfmt(&head, &st, ", \"days\": %d}", w->days - w->history_days);
    bstr(&head, &st, ",\n  \"split_rule\": \"a trip belongs to the window of its departure; "
                     "outcomes.csv holds the history trips' inspections and their finds abroad "
                     "known by the end\"");
    const struct vg_sim_report *rep = g->rep;
    bfmt(&head, &st,
         ",\n  \"counts\": {\"calls\": %llu, \"trips\": %llu, \"full_trips\": %llu, "
         "\"empty_trips\": %llu, \"consignments\": %llu, \"case_trips\": %llu, "
         "\"vessel_cases\": %llu, \"inspections\": %llu, \"inspections_history\": %llu, "
         "\"seized_at_origin\": %llu, \"outcomes\": %u, \"confounders\": %u, \"faults\": %u",
         (unsigned long long)rep->calls, (unsigned long long)rep->trips,
         (unsigned long long)rep->full_trips, (unsigned long long)rep->empty_trips,
         (unsigned long long)rep->consignments, (unsigned long long)rep->case_trips,
         (unsigned long long)rep->vessel_cases, (unsigned long long)r->inspections,
         (unsigned long long)r->inspections_history, (unsigned long long)r->seized, r->noutcome,
         r->nconf, r->nfaults);
    bstr(&head, &st, ",\n    \"cases_by_pattern\": {");
    for (int p = 1; p < SIM_PATTERNS; p++) {
        bfmt(&head, &st, "%s\"%s\": %llu", p > 1 ? ", " : "", vg__sim_pattern_names[p],
             (unsigned long long)r->by_pattern[p]);
    }
    bstr(&head, &st, "},\n    \"confounders_by_kind\": {");
    for (int k = 0; k < SIM_CONFOUNDERS; k++) {
        bfmt(&head, &st, "%s\"%s\": %llu", k ? ", " : "", vg__sim_confounder_names[k],
             (unsigned long long)r->conf_count[k]);
    }
    bfmt(&head, &st, "},\n    \"innocent_full_trips\": %llu,\n    \"innocent_trips_showing\": {",
         (unsigned long long)r->innocent_full);
    for (int i = 0; i < SIM_INDICATORS - 3; i++) {
        bfmt(&head, &st, "%s\"%s\": %llu", i ? ", " : "", vg__sim_indicator_names[i],
             (unsigned long long)r->ind_innocent[i]);
    }
    bstr(&head, &st, "}\n  },\n  \"cases\": [");

    struct sim_file f;
    if (st == VG_OK) {
        st = vg__sim_file_open(&g->out, &f, "truth.json", err);
    } else {
        vg_buf_release(&head);
        return vg_error_set(err, st, "out of memory writing truth.json");
    }
    if (st == VG_OK) {
        st = write_buf(&f, &head, err);
    }
    /* The lists, between their brackets, then the watch list and the end. */
    const struct vg_buf *parts[3] = { &r->cases, &r->confounders, &r->faults };
    static const char *const after[3] = { "\n  ],\n  \"confounders\": [",
                                          "\n  ],\n  \"faults\": [", "\n  ]" };
    enum vg_status bst = VG_OK;
    for (int i = 0; i < 3 && st == VG_OK; i++) {
        vg_buf_reset(&head);
        bstr(&head, &bst, after[i]);
        st = write_buf(&f, parts[i], err);
        if (st == VG_OK && i < 2) {
            st = write_buf(&f, &head, err);
        }
    }
    vg_buf_reset(&head);
    bstr(&head, &bst, "\n  ]");
    watch_json(g, &head, &bst);
    bstr(&head, &bst, "\n}\n");
    if (st == VG_OK && bst != VG_OK) {
        st = vg_error_set(err, bst, "out of memory writing truth.json");
    }
    if (st == VG_OK) {
        st = write_buf(&f, &head, err);
    }
    enum vg_status cs = vg__sim_file_close(&g->out, &f, err);
    vg_buf_release(&head);
    return st != VG_OK ? st : cs;
}

/* ---- outcomes.csv ---------------------------------------------------------------------------- */

static int cmp_outcome(const void *a, const void *b)
{
    const struct sim_outcome *x = a, *y = b;
    if (x->at != y->at) {
        return x->at < y->at ? -1 : 1;
    }
    int c = strcmp(x->container, y->container);
    return c != 0 ? c : strcmp(x->port, y->port);
}

enum vg_status vg__sim_outcomes_write(struct sim_gen *g, struct vg_error *err)
{
    struct sim_records *r = &g->rec;
    /* Only what is known when the world ends. */
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->noutcome; i++) {
        if (r->outcome[i].at < g->w->t_end) {
            r->outcome[n++] = r->outcome[i];
        }
    }
    r->noutcome = n;
    if (n > 1) {
        qsort(r->outcome, n, sizeof(*r->outcome), cmp_outcome);
    }
    struct sim_file f;
    enum vg_status st = vg__sim_file_open(&g->out, &f, "outcomes.csv", err);
    if (st != VG_OK) {
        return st;
    }
    static const char header[] = "container,bill_of_lading,port,inspected_at,result,substance,kg,"
                                 "concealment,method,detection,seal_state,found_at,"
                                 "destination_port,selection\r\n";
    st = vg__sim_file_write(&f, header, sizeof(header) - 1, err);
    static const char *const results[] = { "negative", "drugs", "other" };
    static const char *const selections[] = { "targeted", "random", "partner" };
    static const char *const detection[] = { "scanner image", "physical search",
                                             "physical search", "k9 alert" };
    static const char *const seal_states[] = { "intact", "replaced", "broken" };
    for (uint32_t i = 0; i < n && st == VG_OK; i++) {
        const struct sim_outcome *o = &r->outcome[i];
        char at[32], line[512], kg[24] = "";
        vg_time_format_iso8601(o->at, at, sizeof(at));
        bool drugs = o->result == SIM_R_DRUGS;
        if (drugs) {
            snprintf(kg, sizeof(kg), "%.0f", o->kg);
        }
        const char *substance = drugs ? "cocaine" : (o->result == SIM_R_OTHER ? o->other : "");
        const char *det = drugs ? (o->selection == SIM_SEL_PARTNER ? "partner report"
                                                                   : detection[o->method])
                                : "";
        int len = snprintf(line, sizeof(line), "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\r\n",
                           o->container, o->bl, o->port, at, results[o->result], substance, kg,
                           drugs ? vg__sim_concealment_names[o->conc] : "",
                           vg__sim_method_names[o->method], det, seal_states[o->seal_state],
                           found_names[o->found_at], o->destination, selections[o->selection]);
        st = vg__sim_file_write(&f, line, (size_t)len, err);
    }
    enum vg_status cs = vg__sim_file_close(&g->out, &f, err);
    g->rep->outcomes = n;
    return st != VG_OK ? st : cs;
}

/* ---- watchlist.csv --------------------------------------------------------------------------- */

/* RFC 4180 field: quoted when it holds a comma, a quote or a line break. */
static void csv_field(struct vg_buf *b, enum vg_status *st, const char *s, bool last)
{
    s = s ? s : "";
    if (strpbrk(s, ",\"\r\n") != NULL) {
        bput(b, st, "\"", 1);
        for (const char *p = s; *p; p++) {
            bput(b, st, p, 1);
            if (*p == '"') {
                bput(b, st, "\"", 1);
            }
        }
        bput(b, st, "\"", 1);
    } else {
        bstr(b, st, s);
    }
    bstr(b, st, last ? "\r\n" : ",");
}

static enum vg_status add_extra(struct sim_world *w, const struct sim_wl_extra *x)
{
    if (!vg__sim_grow((void **)&w->extra, &w->extra_cap, w->nextra + 1, sizeof(*w->extra), 32)) {
        return VG_ENOMEM;
    }
    w->extra[w->nextra++] = *x;
    return VG_OK;
}

static const char *astr(struct sim_world *w, const char *s)
{
    return vg_arena_strndup(&w->arena, s, strlen(s));
}

/* Vessels of cases (sometimes), and the decoys: names close to innocent parties and
 * vessels, numbers that appear nowhere. */
enum vg_status vg__sim_watchlist_extras(struct sim_gen *g)
{
    struct sim_world *w = g->w;
    const struct sim_config *cfg = w->cfg;
    struct sim_rng r;
    vg__sim_rng_init(&r, w->seed, SIM_S_WATCH, 0, 0);
    enum vg_status st = VG_OK;
    for (uint32_t i = 0; i < g->s->ncall && st == VG_OK; i++) {
        const struct sim_call *c = &g->s->call[i];
        if (c->ev.kind == SIM_VE_TRANSFER && c->etd >= w->t0 && c->etd < w->t_end &&
            vg__sim_chance(&r, cfg->watch.list_vessel_case)) {
            const struct sim_vessel *v = &w->vessel[c->vessel];
            char id[16];
            snprintf(id, sizeof(id), "%07u", v->imo);
            struct sim_wl_extra x = { .name = v->name, .type = "vessel", .truth = true,
                                      .source = cfg->watch.sources[vg__sim_pick(&cfg->watch.source_pick, &r)],
                                      .note = "suspected of at-sea pick-ups off the coast",
                                      .identifier = astr(w, id) };
            memcpy(x.country, v->flag, 3);
            st = add_extra(w, &x);
        }
    }
    /* Party decoys: spellings close to innocent exporters and consignees. */
    for (int i = 0; i < cfg->watch.decoys && st == VG_OK; i++) {
        uint32_t pi = SIM_NONE;
        for (int a = 0; a < 50 && pi == SIM_NONE; a++) {
            uint32_t cand = vg__sim_below(&r, w->nparty);
            const struct sim_party *p = &w->party[cand];
            if ((p->role == SIM_ROLE_EXPORTER || p->role == SIM_ROLE_CONSIGNEE) &&
                !(p->flags & (SIM_PARTY_LISTED | SIM_PARTY_FRONT)) && p->shipments > 0) {
                pi = cand;
            }
        }
        if (pi == SIM_NONE) {
            break;
        }
        const struct sim_party *p = &w->party[pi];
        /* Half are close spellings of the innocent name itself (a matcher must not take
         * them for it when the identifier differs), half another company sharing its
         * distinctive words. */
        const char *name = vg__sim_chance(&r, 0.5)
                               ? vg__sim_decoy_name(w, &r, p->name, p->country)
                               : vg__sim_name_variant(w, &r, p->name,
                                                      (p->flags & SIM_PARTY_PERSON) ? -2 : -1);
        struct sim_wl_extra x = { .name = name, .type = "party", .truth = false,
                                  .source = cfg->watch.sources[vg__sim_pick(&cfg->watch.source_pick, &r)],
                                  .note = cfg->watch.notes[vg__sim_below(&r, cfg->watch.nnotes)],
                                  .resembles = p->name };
        memcpy(x.country, p->country, 3);
        if (p->ruc[0] != '\0' && vg__sim_chance(&r, 0.5)) {
            char ruc[12];
            vg__sim_ruc(w, &r, vg__sim_chance(&r, 0.5), false, ruc);
            x.identifier = astr(w, ruc); /* a different company */
        }
        if (name == NULL) {
            st = VG_ENOMEM;
        } else {
            st = add_extra(w, &x);
        }
    }
    for (int i = 0; i < cfg->watch.vessel_decoys && st == VG_OK && w->nvessel > 0; i++) {
        const struct sim_vessel *v = &w->vessel[vg__sim_below(&r, w->nvessel)];
        char name[40];
        snprintf(name, sizeof(name), "%s %s", v->name, vg__sim_chance(&r, 0.5) ? "II" : "I");
        struct sim_wl_extra x = { .name = astr(w, name), .type = "vessel", .truth = false,
                                  .source = cfg->watch.sources[vg__sim_pick(&cfg->watch.source_pick, &r)],
                                  .note = "sister ship of a vessel in an earlier case",
                                  .resembles = v->name };
        memcpy(x.country, v->flag, 3);
        st = add_extra(w, &x);
    }
    for (int i = 0; i < cfg->watch.container_decoys && st == VG_OK; i++) {
        char num[12];
        vg__sim_container_number(w, cfg->lessor[vg__sim_below(&r, cfg->nlessor)], num);
        struct sim_wl_extra x = { .name = astr(w, num), .type = "container", .truth = false,
                                  .source = "PARTNER BE-CUSTOMS",
                                  .note = "container of a 2023 seizure at destination",
                                  .identifier = astr(w, num) };
        memcpy(x.country, "BE", 3);
        st = add_extra(w, &x);
    }
    for (int i = 0; i < cfg->watch.seal_decoys && st == VG_OK; i++) {
        char num[16];
        snprintf(num, sizeof(num), "CL%07u", vg__sim_below(&r, 10000000));
        struct sim_wl_extra x = { .name = astr(w, num), .type = "seal", .truth = false,
                                  .source = "CCP-PCU CALLAO",
                                  .note = "seal series reported stolen",
                                  .identifier = astr(w, num) };
        memcpy(x.country, "PE", 3);
        st = add_extra(w, &x);
    }
    return st;
}

enum vg_status vg__sim_watchlist_write(struct sim_gen *g, struct vg_error *err)
{
    struct sim_world *w = g->w;
    struct vg_buf b;
    vg_buf_init(&b, 0);
    enum vg_status st = VG_OK;
    bstr(&b, &st, "name,type,country,source,note,identifier,aliases\r\n");
    /* Entries in a stable but mixed order: listed parties and extras interleaved by a
     * hash of the name, so that the true entries are not all on top. */
    uint32_t total = w->nlisted + w->nextra;
    uint64_t *keys = vg_calloc(total ? total : 1, sizeof(uint64_t));
    if (keys == NULL) {
        vg_buf_release(&b);
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    for (uint32_t i = 0; i < total; i++) {
        const char *name = i < w->nlisted ? w->listed[i].listed_name : w->extra[i - w->nlisted].name;
        keys[i] = (vg_hash_bytes(name, strlen(name)) & ~0xffffffULL) | i;
    }
    qsort(keys, total, sizeof(uint64_t), vg__sim_cmp_u64);
    for (uint32_t n = 0; n < total && st == VG_OK; n++) {
        uint32_t i = (uint32_t)(keys[n] & 0xffffff);
        if (i < w->nlisted) {
            const struct sim_listed *l = &w->listed[i];
            const struct sim_party *p = &w->party[l->party];
            char aliases[400] = "";
            for (uint32_t a = 0; a < l->naliases; a++) {
                size_t len = strlen(aliases);
                snprintf(aliases + len, sizeof(aliases) - len, "%s%s", a ? ";" : "",
                         l->aliases[a]);
            }
            csv_field(&b, &st, l->listed_name, false);
            csv_field(&b, &st, "party", false);
            csv_field(&b, &st, p->country, false);
            csv_field(&b, &st, l->source, false);
            csv_field(&b, &st, l->note, false);
            csv_field(&b, &st, l->with_id ? p->ruc : "", false);
            csv_field(&b, &st, aliases, true);
        } else {
            const struct sim_wl_extra *x = &w->extra[i - w->nlisted];
            csv_field(&b, &st, x->name, false);
            csv_field(&b, &st, x->type, false);
            csv_field(&b, &st, x->country, false);
            csv_field(&b, &st, x->source, false);
            csv_field(&b, &st, x->note, false);
            csv_field(&b, &st, x->identifier ? x->identifier : "", false);
            csv_field(&b, &st, "", true);
        }
    }
    vg_free(keys);
    if (st != VG_OK) {
        vg_buf_release(&b);
        return vg_error_set(err, st, "out of memory writing the watch list");
    }
    struct sim_file f;
    st = vg__sim_file_open(&g->out, &f, "watchlist.csv", err);
    if (st == VG_OK) {
        st = write_buf(&f, &b, err);
        enum vg_status cs = vg__sim_file_close(&g->out, &f, err);
        st = st != VG_OK ? st : cs;
    }
    vg_buf_release(&b);
    return st;
}
