/*
 * The EDIFACT feeds of one call, exactly in the forms of docs/edifact-messages.md:
 *
 *   CUSCAR  carrier's agent -> SUNAT, one message per bill of lading, filed before loading
 *   CODECO  terminal or depot -> carrier, one message per gate move (empty pick-up,
 *           gate-in, gate-out and re-entry, late transfer reports)
 *   COARRI  terminal -> carrier, one loading report per call
 *   COPRAR  carrier -> terminal, the loading order of the call (every box it plans to load),
 *           and for boxes rolled from the service's previous call, the loading order of
 *           that call which named them
 *   BAPLIE  carrier -> terminal, the bay plan of the boxes loaded, one file per departure
 *
 * Interchanges are grouped by sender and day of departure: feeds/<type>/<YYYYMMDD>_<sender>
 * .edi (BAPLIE: feeds/baplie/<YYYYMMDD>_<call sign>_<voyage>.edi). The planted data
 * faults are written here and recorded for truth.json.
 */
#include "sim/sim_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <vigia/alloc.h>
#include <vigia/ident.h>

#define HOUR 3600

struct fctx {
    struct sim_gen *g;
    const struct sim_config *cfg;
    struct sim_world *w;
    struct sim_call *c;
    const struct sim_port *port;
    const struct sim_service *sv;
    const struct sim_terminal *term;
    const struct sim_vessel *v;
    const struct sim_carrier *ca; /* the vessel operator */
    struct sim_edi *e;
    struct vg_error *err;
};

/* ---- interchanges ------------------------------------------------------------------------- */

static void day_stamp(const struct sim_world *w, int64_t day, char out[9])
{
    struct vg_civil cv;
    int64_t t = w->t0 + day * SIM_DAY + 12 * HOUR;
    vg_time_to_civil(t, &cv);
    snprintf(out, 9, "%04d%02d%02d", cv.year % 10000, cv.month % 100, cv.day % 100);
}

static struct sim_interchange *ix_get(struct fctx *f, const char *kind, const char *sender,
                                      const char *recipient, enum vg_status *st)
{
    struct sim_gen *g = f->g;
    char key[64];
    size_t a = strlen(kind), b = strlen(sender), c = strlen(recipient);
    if (a + b + c + 3 > sizeof(key)) {
        *st = VG_EINVAL;
        return NULL;
    }
    memcpy(key, kind, a);
    key[a] = '/';
    memcpy(key + a + 1, sender, b);
    key[a + 1 + b] = '/';
    memcpy(key + a + 2 + b, recipient, c + 1);
    uint64_t h = vg_hash_bytes(key, a + b + c + 2);
    for (uint32_t i = 0; i < g->nix; i++) {
        if (g->ix_hash[i] == h && g->ix[i].open && strcmp(g->ix_key[i], key) == 0) {
            return &g->ix[i];
        }
    }
    if (g->nix == g->ix_cap) {
        uint32_t cap = g->ix_cap ? g->ix_cap * 2 : 32;
        struct sim_interchange *ni = vg_reallocarray(g->ix, cap, sizeof(*ni));
        if (ni == NULL) {
            *st = VG_ENOMEM;
            return NULL;
        }
        g->ix = ni;
        char(*nk)[64] = vg_reallocarray(g->ix_key, cap, sizeof(*nk));
        if (nk == NULL) {
            *st = VG_ENOMEM;
            return NULL;
        }
        g->ix_key = nk;
        uint64_t *nh = vg_reallocarray(g->ix_hash, cap, sizeof(*nh));
        if (nh == NULL) {
            *st = VG_ENOMEM;
            return NULL;
        }
        g->ix_hash = nh;
        g->ix_cap = cap;
    }
    char stamp[9], rel[160];
    day_stamp(f->w, g->day, stamp);
    if (strcmp(kind, "cuscar") == 0) {
        snprintf(rel, sizeof(rel), "feeds/%s/%s_%s.edi", kind, stamp, sender);
    } else {
        snprintf(rel, sizeof(rel), "feeds/%s/%s_%s_%s.edi", kind, stamp, sender, recipient);
    }
    struct sim_interchange *ix = &g->ix[g->nix];
    int64_t prepared = f->w->t0 + g->day * SIM_DAY + 23 * HOUR + 50 * 60;
    *st = vg__sim_ix_open(&g->out, ix, rel, sender, recipient, prepared, &f->port->zone,
                          ++g->ix_ref, f->err);
    if (*st != VG_OK) {
        return NULL;
    }
    memcpy(g->ix_key[g->nix], key, sizeof(key));
    g->ix_hash[g->nix] = h;
    g->nix++;
    return ix;
}

enum vg_status vg__sim_feeds_close_day(struct sim_gen *g, struct vg_error *err)
{
    enum vg_status st = VG_OK;
    for (uint32_t i = 0; i < g->nix; i++) {
        struct sim_interchange *ix = &g->ix[i];
        if (ix->truncate && ix->open && ix->nmsg > 0) {
            char ref[16];
            snprintf(ref, sizeof(ref), "%u", ix->last_msg_ref);
            enum vg_status s2 = vg__sim_fault_record(
                g, SIM_F_TRUNCATED, ix->file.rel, ref, ix->last_desc,
                "the interchange breaks off inside its last message (no UNT, no UNZ)");
            st = st == VG_OK ? s2 : st;
        }
        enum vg_status s = vg__sim_ix_close(&g->out, ix, err);
        st = st == VG_OK ? s : st;
    }
    g->nix = 0;
    return st;
}

/* ---- faults -------------------------------------------------------------------------------- */

/* True (once per planted fault) when a fault of this kind is due: at its call, or at the
 * first chance after it when that call could not carry it. */
static bool fault_here(struct sim_gen *g, enum sim_fault kind)
{
    for (int i = 0; i < g->fault_n[kind]; i++) {
        if (g->fault_call[kind][i] <= g->cur_order) {
            g->fault_call[kind][i] = UINT32_MAX; /* once */
            return true;
        }
    }
    return false;
}

/* Faults are not planted on the messages of a case: a case must show what truth says. */
static bool cons_has_case(const struct sim_gen *g, uint32_t kidx)
{
    const struct sim_consignment *k = &g->cons[kidx];
    for (uint32_t j = 0; j < k->ntrips; j++) {
        if (g->trip[g->order[k->first + j]].pattern != SIM_P_NONE) {
            return true;
        }
    }
    return false;
}

/* ---- segments ------------------------------------------------------------------------------ */

static void dtm(struct fctx *f, const char *q, int64_t t)
{
    char s[13];
    vg__sim_edi_dtm203(t, &f->port->zone, s);
    vg__sim_edi_seg(f->e, "DTM");
    vg__sim_edi_raw(f->e, '+', q);
    vg__sim_edi_raw(f->e, ':', s);
    vg__sim_edi_raw(f->e, ':', "203");
    vg__sim_edi_end(f->e);
}

static void loc(struct fctx *f, const char *q, const char *locode, const char *terminal)
{
    vg__sim_edi_seg(f->e, "LOC");
    vg__sim_edi_raw(f->e, '+', q);
    vg__sim_edi_el(f->e, locode);
    vg__sim_edi_raw(f->e, ':', "139:6");
    if (terminal != NULL) {
        vg__sim_edi_el(f->e, terminal);
        vg__sim_edi_raw(f->e, ':', "TER:ZZZ");
    }
    vg__sim_edi_end(f->e);
}

/* TDT+20+voyage+1++SCAC:172:20+++IMO:146:11:NAME[:FLAG] (call sign :103 without IMO). */
static void tdt(struct fctx *f, bool mode, bool flag, uint32_t imo_override)
{
    const struct sim_vessel *v = f->v;
    vg__sim_edi_seg(f->e, "TDT");
    vg__sim_edi_el(f->e, "20");
    vg__sim_edi_el(f->e, f->c->voyage);
    vg__sim_edi_el(f->e, mode ? "1" : "");
    vg__sim_edi_el(f->e, "");
    vg__sim_edi_el(f->e, f->ca->scac);
    vg__sim_edi_raw(f->e, ':', "172:20");
    vg__sim_edi_el(f->e, "");
    vg__sim_edi_el(f->e, "");
    uint32_t imo = imo_override ? imo_override : v->imo;
    if (imo != 0) {
        vg__sim_edi_num(f->e, '+', imo, 7);
        vg__sim_edi_raw(f->e, ':', "146:11");
    } else {
        vg__sim_edi_el(f->e, v->call_sign);
        vg__sim_edi_raw(f->e, ':', "103:");
    }
    vg__sim_edi_co(f->e, v->name);
    if (flag) {
        vg__sim_edi_co(f->e, v->flag);
    }
    vg__sim_edi_end(f->e);
}

/* Up to n components of at most 35 characters (C080 / C059), split at spaces. */
static void components(struct sim_edi *e, const char *text, int n)
{
    char buf[200];
    snprintf(buf, sizeof(buf), "%s", text);
    const char *p = buf;
    vg__sim_edi_el(e, NULL);
    for (int i = 0; i < n && *p != '\0'; i++) {
        size_t len = strlen(p);
        size_t cut = len;
        /* Count characters, not bytes: UTF-8 continuation bytes do not count. */
        size_t chars = 0, j = 0, last_space = 0;
        for (j = 0; j < len && chars < 35; j++) {
            if (((unsigned char)p[j] & 0xc0) != 0x80) {
                chars++;
            }
            if (p[j] == ' ') {
                last_space = j;
            }
        }
        if (j < len) {
            while (j < len && ((unsigned char)p[j] & 0xc0) == 0x80) {
                j++;
            }
            cut = (last_space > 0 && i + 1 < n) ? last_space : j;
        }
        char part[200];
        memcpy(part, p, cut);
        part[cut] = '\0';
        if (i > 0) {
            vg__sim_edi_co(e, NULL);
        }
        vg__sim_edi_text(e, part);
        p += cut;
        while (*p == ' ') {
            p++;
        }
    }
}

static void nad_party(struct fctx *f, const char *q, const struct sim_party *p, const char *name,
                      const char *street, bool bad_ruc)
{
    struct sim_edi *e = f->e;
    vg__sim_edi_seg(e, "NAD");
    vg__sim_edi_el(e, q);
    if (p->ruc[0] != '\0') {
        char ruc[12];
        memcpy(ruc, p->ruc, 12);
        if (bad_ruc) {
            ruc[10] = ruc[10] == '9' ? '0' : (char)(ruc[10] + 1);
        }
        vg__sim_edi_raw(e, '+', ruc);
        vg__sim_edi_raw(e, ':', "RUC:ZZZ");
    } else {
        vg__sim_edi_el(e, "");
    }
    vg__sim_edi_el(e, "");
    components(e, name ? name : p->name, 5);
    components(e, street ? street : (p->street ? p->street : ""), 4);
    vg__sim_edi_el(e, p->city ? p->city : "");
    vg__sim_edi_el(e, "");
    vg__sim_edi_el(e, p->postcode ? p->postcode : "");
    vg__sim_edi_el(e, p->country);
    vg__sim_edi_end(e);
}

/* NAD naming a carrier by its SCAC (code list 172, agency 20). */
static void nad_carrier(struct fctx *f, const char *q, const struct sim_carrier *ca)
{
    vg__sim_edi_seg(f->e, "NAD");
    vg__sim_edi_el(f->e, q);
    vg__sim_edi_raw(f->e, '+', ca->scac);
    vg__sim_edi_raw(f->e, ':', "172:20");
    vg__sim_edi_el(f->e, "");
    vg__sim_edi_el(f->e, ca->name);
    vg__sim_edi_end(f->e);
}

static void eqd(struct fctx *f, const char *number, const char *type, const char *status,
                bool full, bool codes)
{
    vg__sim_edi_seg(f->e, "EQD");
    vg__sim_edi_el(f->e, "CN");
    vg__sim_edi_el(f->e, number);
    if (codes) {
        vg__sim_edi_el(f->e, type);
        vg__sim_edi_raw(f->e, ':', "102:5");
    } else {
        vg__sim_edi_el(f->e, type);
    }
    vg__sim_edi_el(f->e, "");
    vg__sim_edi_el(f->e, status);
    vg__sim_edi_el(f->e, full ? "5" : "4");
    vg__sim_edi_end(f->e);
}

static void mea(struct fctx *f, const char *q, const char *what, double kg)
{
    vg__sim_edi_seg(f->e, "MEA");
    vg__sim_edi_el(f->e, q);
    vg__sim_edi_el(f->e, what);
    vg__sim_edi_raw(f->e, '+', "KGM");
    vg__sim_edi_num(f->e, ':', kg > 0 ? (uint64_t)llround(kg) : 0, 1);
    vg__sim_edi_end(f->e);
}

static void seals(struct fctx *f, const struct sim_seal *s, uint8_t n)
{
    for (uint8_t i = 0; i < n; i++) {
        vg__sim_edi_seg(f->e, "SEL");
        vg__sim_edi_el(f->e, s[i].num);
        vg__sim_edi_el(f->e, s[i].party);
        vg__sim_edi_end(f->e);
    }
}

static void rff(struct fctx *f, const char *q, const char *value)
{
    vg__sim_edi_seg(f->e, "RFF");
    vg__sim_edi_raw(f->e, '+', q);
    vg__sim_edi_co(f->e, value);
    vg__sim_edi_end(f->e);
}

static void cnt(struct fctx *f, uint32_t n)
{
    vg__sim_edi_seg(f->e, "CNT");
    vg__sim_edi_raw(f->e, '+', "16");
    vg__sim_edi_num(f->e, ':', n, 1);
    vg__sim_edi_end(f->e);
}

static void bad_check(const char *good, char out[12])
{
    memcpy(out, good, 12);
    out[10] = out[10] == '9' ? '0' : (char)(out[10] + 1);
}

/* ---- CUSCAR --------------------------------------------------------------------------------- */

static enum vg_status cuscar(struct fctx *f, uint32_t kidx)
{
    struct sim_gen *g = f->g;
    const struct sim_config *cfg = f->cfg;
    struct sim_consignment *k = &g->cons[kidx];
    const struct sim_carrier *bc = &cfg->carrier[k->carrier];
    enum vg_status st = VG_OK;
    struct sim_interchange *ix = ix_get(f, "cuscar", bc->agent, "SUNAT", &st);
    if (ix == NULL) {
        return st;
    }
    struct sim_edi *e = f->e;
    vg__sim_edi_reset(e);
    bool bad_ruc = false, bad_loc = false;
    char bad_ruc_value[16] = "", bad_loc_value[8] = "";
    int delta = 0;
    bool clean = !cons_has_case(g, kidx);
    if (clean && !k->empty && f->w->party[k->shipper].ruc[0] != '\0' &&
        fault_here(g, SIM_F_RUC_CHECK)) {
        bad_ruc = true;
    }
    if (clean && !k->empty && fault_here(g, SIM_F_UNKNOWN_LOCODE)) {
        bad_loc = true;
    }
    if (clean && fault_here(g, SIM_F_UNT_COUNT)) {
        delta = (g->cur_order & 1) ? 1 : -1;
    }
    /* Header: document, vessel, port, departure. */
    vg__sim_edi_seg(e, "BGM");
    vg__sim_edi_el(e, "785");
    vg__sim_edi_raw(e, '+', "MN");
    vg__sim_edi_raw(e, '\0', bc->scac);
    vg__sim_edi_num(e, '\0', ++g->doc_seq, 9);
    vg__sim_edi_el(e, "9");
    vg__sim_edi_end(e);
    dtm(f, "137", k->t_file);
    tdt(f, true, true, 0);
    loc(f, "9", f->port->locode, NULL);
    loc(f, "61", f->c->next_port, NULL);
    dtm(f, "133", f->c->etd);
    /* The consignment. */
    vg__sim_edi_seg(e, "CNI");
    vg__sim_edi_el(e, "1");
    vg__sim_edi_el(e, k->bl);
    vg__sim_edi_end(e);
    if (k->house) {
        rff(f, "BH", k->bl);
        rff(f, "MB", k->master);
    } else {
        rff(f, "BM", k->bl);
    }
    loc(f, "9", f->port->locode, NULL);
    const char *pod = k->pod;
    if (bad_loc) {
        pod = cfg->unknown[g->cur_order % cfg->nunknown];
        snprintf(bad_loc_value, sizeof(bad_loc_value), "%s", pod);
    }
    loc(f, "11", pod, NULL);
    for (uint8_t h = 0; h < k->nhub; h++) {
        loc(f, "13", k->hub[h], NULL);
    }
    if (k->delivery[0] != '\0') {
        loc(f, "7", k->delivery, NULL);
    }
    if (k->empty) {
        nad_carrier(f, "CZ", bc);
        nad_carrier(f, "CN", bc);
    } else {
        const struct sim_party *sh = &f->w->party[k->shipper];
        nad_party(f, "CZ", sh, k->shipper_name, NULL, bad_ruc);
        if (bad_ruc) {
            char ruc[12];
            memcpy(ruc, sh->ruc, 12);
            ruc[10] = ruc[10] == '9' ? '0' : (char)(ruc[10] + 1);
            snprintf(bad_ruc_value, sizeof(bad_ruc_value), "%s", ruc);
        }
        if (k->carrier_consignee) {
            nad_carrier(f, "CN", bc);
        } else {
            nad_party(f, "CN", &f->w->party[k->consignee], k->consignee_name, k->consignee_street,
                      false);
        }
        if (k->notify != SIM_NONE) {
            nad_party(f, "N1", &f->w->party[k->notify], NULL, NULL, false);
        } else if (k->carrier_consignee) {
            nad_party(f, "N1", &f->w->party[k->consignee], k->consignee_name, k->consignee_street,
                      false);
        }
        if (k->forwarder != SIM_NONE) {
            nad_party(f, "FW", &f->w->party[k->forwarder], k->forwarder_name, NULL, false);
        }
        nad_party(f, "CB", &f->w->party[k->broker], NULL, NULL, false);
        vg__sim_edi_seg(e, "FTX");
        vg__sim_edi_el(e, "AAI");
        vg__sim_edi_el(e, "");
        vg__sim_edi_el(e, "");
        vg__sim_edi_el(e, k->prepaid ? "FREIGHT PREPAID" : "FREIGHT COLLECT");
        vg__sim_edi_end(e);
    }
    /* Goods: one item over all the boxes of the bill. */
    const struct sim_commodity *cm = &cfg->commodity[k->commodity];
    uint32_t packages = 0;
    double cargo = 0;
    for (uint32_t j = 0; j < k->ntrips; j++) {
        const struct sim_trip *t = &g->trip[g->order[k->first + j]];
        packages += t->packages;
        cargo += t->cargo_kg;
    }
    vg__sim_edi_seg(e, "GID");
    vg__sim_edi_el(e, "1");
    if (k->empty) {
        vg__sim_edi_num(e, '+', k->ntrips, 1);
        vg__sim_edi_raw(e, ':', "CN");
    } else {
        vg__sim_edi_num(e, '+', packages, 1);
        vg__sim_edi_raw(e, ':', cm->pkg);
    }
    vg__sim_edi_end(e);
    vg__sim_edi_seg(e, "FTX");
    vg__sim_edi_el(e, "AAA");
    vg__sim_edi_el(e, "");
    vg__sim_edi_el(e, "");
    vg__sim_edi_el(e, k->empty ? "EMPTY CONTAINERS FOR REPOSITIONING"
                               : (k->vague ? cm->vague : cm->desc));
    vg__sim_edi_end(e);
    if (!k->empty) {
        vg__sim_edi_seg(e, "PIA");
        vg__sim_edi_el(e, "5");
        vg__sim_edi_raw(e, '+', cm->hs);
        vg__sim_edi_raw(e, ':', "HS");
        vg__sim_edi_end(e);
        mea(f, "WT", "G", cargo);
        vg__sim_edi_seg(e, "MOA");
        vg__sim_edi_raw(e, '+', "40");
        vg__sim_edi_dec2(e, ':', k->value_usd);
        vg__sim_edi_raw(e, ':', "USD");
        vg__sim_edi_end(e);
        for (uint32_t j = 0; j < k->ntrips; j++) {
            const struct sim_trip *t = &g->trip[g->order[k->first + j]];
            vg__sim_edi_seg(e, "SGP");
            vg__sim_edi_el(e, t->container);
            vg__sim_edi_num(e, '+', t->packages, 1);
            vg__sim_edi_end(e);
        }
    }
    for (uint32_t j = 0; j < k->ntrips; j++) {
        const struct sim_trip *t = &g->trip[g->order[k->first + j]];
        eqd(f, t->container, t->type_manifest, "", t->full, true); /* as the profile: +++5 */
        mea(f, "AAE", t->full ? "G" : "T", t->gross_manifest);
        seals(f, t->seal_m, t->nseal_m);
    }
    cnt(f, k->ntrips);
    st = vg__sim_ix_message(ix, "CUSCAR:D:95B:UN", e, delta, f->err);
    g->rep->messages++;
    char ref[16];
    snprintf(ref, sizeof(ref), "%u", ix->nmsg);
    if (st == VG_OK && bad_ruc) {
        st = vg__sim_fault_record(g, SIM_F_RUC_CHECK, ix->file.rel, ref, bad_ruc_value,
                                  "shipper RUC written with a wrong check digit (NAD+CZ)");
    }
    if (st == VG_OK && bad_loc) {
        st = vg__sim_fault_record(g, SIM_F_UNKNOWN_LOCODE, ix->file.rel, ref, bad_loc_value,
                                  "port of discharge is not a UN/LOCODE (LOC+11)");
    }
    if (st == VG_OK && delta != 0) {
        char v[16];
        snprintf(v, sizeof(v), "%d", (int)e->nseg + 2 + delta);
        st = vg__sim_fault_record(g, SIM_F_UNT_COUNT, ix->file.rel, ref, v,
                                  "UNT segment count differs from the segments sent");
    }
    return st;
}

/* ---- CODECO -------------------------------------------------------------------------------- */

enum move { MOVE_EMPTY_OUT, MOVE_GATE_IN, MOVE_GATE_OUT, MOVE_REENTRY, MOVE_TRANSFER_OUT };

static enum vg_status codeco(struct fctx *f, struct sim_trip *t, enum move m)
{
    struct sim_gen *g = f->g;
    const struct sim_port *p = f->port;
    const struct sim_consignment *k = &g->cons[t->cons];
    const char *sender, *code;
    int64_t when;
    bool full = t->full && m != MOVE_EMPTY_OUT;
    switch (m) {
    case MOVE_EMPTY_OUT:
        sender = p->depot_sender;
        code = p->depot_code;
        when = t->t_pick;
        break;
    case MOVE_GATE_OUT:
        sender = f->term->sender;
        code = f->term->code;
        when = t->t_out;
        break;
    case MOVE_REENTRY:
        sender = f->term->sender;
        code = f->term->code;
        when = t->t_back;
        break;
    case MOVE_TRANSFER_OUT:
        if (t->transfer_terminal != SIM_NONE) {
            sender = p->term[t->transfer_terminal].sender;
            code = p->term[t->transfer_terminal].code;
        } else {
            sender = p->depot_sender;
            code = p->depot_code;
        }
        when = t->t_transfer;
        break;
    default:
        sender = f->term->sender;
        code = f->term->code;
        when = t->t_gate;
        break;
    }
    /* A missing feed: the terminal's gate messages of that day are never sent. */
    if (m != MOVE_EMPTY_OUT) {
        int64_t rel = when - f->w->t0; /* t0 is local midnight: days count locally */
        int day = rel < 0 ? -1 : (int)(rel / SIM_DAY);
        for (int i = 0; i < g->fault_n[SIM_F_MISSING_FEED]; i++) {
            if (g->miss_port[i] == f->c->port && strcmp(p->term[g->miss_term[i]].sender, sender) == 0 &&
                g->miss_day[i] == day) {
                g->miss_count[i]++;
                t->feed_missing = true;
                return VG_OK;
            }
        }
    }
    enum vg_status st = VG_OK;
    struct sim_interchange *ix =
        ix_get(f, "codeco", sender, f->cfg->carrier[k->carrier].agent, &st);
    if (ix == NULL) {
        return st;
    }
    char number[12];
    memcpy(number, t->container, 12);
    bool bad = m == MOVE_GATE_IN && t->full && t->pattern == SIM_P_NONE &&
               fault_here(g, SIM_F_CONTAINER_CHECK);
    if (bad) {
        bad_check(t->container, number);
    }
    if (m == MOVE_GATE_IN && fault_here(g, SIM_F_TRUNCATED)) {
        ix->truncate = 1;
    }
    struct sim_edi *e = f->e;
    vg__sim_edi_reset(e);
    bool in = m == MOVE_GATE_IN || m == MOVE_REENTRY;
    vg__sim_edi_seg(e, "BGM");
    vg__sim_edi_el(e, in ? "34" : "36");
    vg__sim_edi_raw(e, '+', code);
    vg__sim_edi_num(e, '\0', ++g->doc_seq, 10);
    vg__sim_edi_el(e, "9");
    vg__sim_edi_end(e);
    dtm(f, "137", when + 120 + (int64_t)(g->doc_seq % 23) * 60);
    vg__sim_edi_seg(e, "NAD");
    vg__sim_edi_el(e, "MS");
    vg__sim_edi_raw(e, '+', sender);
    vg__sim_edi_raw(e, ':', "160:ZZZ");
    vg__sim_edi_end(e);
    loc(f, "165", p->locode, code);
    eqd(f, number, t->type, "2", full, true);
    rff(f, "BN", t->booking[0] ? t->booking : k->bl);
    if (full) {
        rff(f, "BM", k->house ? k->master : k->bl);
    }
    dtm(f, "7", when);
    loc(f, "165", p->locode, code);
    if (full) {
        mea(f, "AAE", "G", t->gross_gate);
        if (m == MOVE_REENTRY || m == MOVE_GATE_OUT) {
            seals(f, t->seal_l, t->nseal_l);
        } else {
            seals(f, t->seal_g, t->nseal_g);
        }
    } else {
        mea(f, "AAE", "T", f->cfg->equip[t->equip].tare);
    }
    if (m != MOVE_TRANSFER_OUT) {
        vg__sim_edi_seg(e, "TDT");
        vg__sim_edi_el(e, "1");
        vg__sim_edi_el(e, "");
        vg__sim_edi_el(e, "3");
        vg__sim_edi_el(e, ""); /* C228 transport means */
        vg__sim_edi_el(e, ""); /* C040 carrier */
        vg__sim_edi_el(e, ""); /* 8101 transit direction */
        vg__sim_edi_el(e, ""); /* C401 excess transportation */
        /* C222 transport identification: the plate, in element 8 as for a vessel. */
        vg__sim_edi_el(e, m == MOVE_REENTRY || m == MOVE_GATE_OUT ? t->truck_back : t->truck);
        vg__sim_edi_end(e);
    }
    cnt(f, 1);
    st = vg__sim_ix_message(ix, "CODECO:D:95B:UN", e, 0, f->err);
    g->rep->messages++;
    static const char *const names[] = { "empty pick-up", "gate-in", "gate-out", "re-entry",
                                         "transfer gate-out" };
    snprintf(ix->last_desc, sizeof(ix->last_desc), "%s %s", t->container, names[m]);
    if (st == VG_OK && bad) {
        char ref[16];
        snprintf(ref, sizeof(ref), "%u", ix->nmsg);
        st = vg__sim_fault_record(g, SIM_F_CONTAINER_CHECK, ix->file.rel, ref, number,
                                  "container number keyed with a wrong ISO 6346 check digit");
    }
    return st;
}

/* ---- COARRI and BAPLIE ---------------------------------------------------------------------- */

/* The header of a terminal message about the whole call (COARRI, COPRAR): BGM with the
 * document code and a number made of prefix, voyage and sequence, its date, the vessel
 * (imo: a miskeyed IMO, 0 for the real one) and the terminal. */
static void call_header(struct fctx *f, const char *code, const char *prefix, int64_t prepared,
                        uint32_t imo)
{
    struct sim_edi *e = f->e;
    vg__sim_edi_reset(e);
    vg__sim_edi_seg(e, "BGM");
    vg__sim_edi_el(e, code);
    vg__sim_edi_raw(e, '+', prefix);
    vg__sim_edi_raw(e, '\0', f->c->voyage);
    vg__sim_edi_num(e, '\0', ++f->g->doc_seq % 1000000u, 6);
    vg__sim_edi_el(e, "9");
    vg__sim_edi_end(e);
    dtm(f, "137", prepared);
    tdt(f, true, false, imo);
    loc(f, "9", f->port->locode, f->term->code);
}

static enum vg_status coarri(struct fctx *f)
{
    struct sim_gen *g = f->g;
    enum vg_status st = VG_OK;
    struct sim_interchange *ix = ix_get(f, "coarri", f->term->sender, f->ca->agent, &st);
    if (ix == NULL) {
        return st;
    }
    bool bad_imo = f->v->imo != 0 && fault_here(g, SIM_F_IMO_CHECK);
    uint32_t imo = 0;
    if (bad_imo) {
        imo = (f->v->imo / 10) * 10 + (f->v->imo % 10 + 1) % 10;
    }
    struct sim_edi *e = f->e;
    call_header(f, "46", "LR", f->c->etd + 20 * 60, imo);
    uint32_t n = 0;
    for (uint32_t i = 0; i < g->ntrip; i++) {
        const struct sim_trip *t = &g->trip[i];
        if (!t->loaded) {
            continue;
        }
        const struct sim_consignment *k = &g->cons[t->cons];
        eqd(f, t->container, t->type, "2", t->full, true);
        dtm(f, "203", t->t_load);
        vg__sim_edi_seg(e, "LOC");
        vg__sim_edi_el(e, "147");
        vg__sim_edi_raw(e, '+', t->cell);
        vg__sim_edi_raw(e, ':', ":5");
        vg__sim_edi_end(e);
        loc(f, "9", f->port->locode, NULL);
        loc(f, "11", k->pod, NULL);
        mea(f, "AAE", t->full ? "G" : "T", t->gross_gate);
        if (t->full) {
            seals(f, t->seal_l, t->nseal_l);
        }
        rff(f, "BM", k->house ? k->master : k->bl);
        n++;
    }
    cnt(f, n);
    st = vg__sim_ix_message(ix, "COARRI:D:95B:UN", e, 0, f->err);
    g->rep->messages++;
    if (st == VG_OK && bad_imo) {
        char ref[16], v[16];
        snprintf(ref, sizeof(ref), "%u", ix->nmsg);
        snprintf(v, sizeof(v), "%07u", imo);
        st = vg__sim_fault_record(g, SIM_F_IMO_CHECK, ix->file.rel, ref, v,
                                  "vessel IMO number with a wrong check digit (TDT)");
    }
    return st;
}

/* A loading order (COPRAR BGM+45) of call f->c, dated two days before it berths, naming
 * boxes of the call being generated: every box it loads, or (rolled_only) those rolled
 * from from_call. */
static enum vg_status coprar(struct fctx *f, bool rolled_only, uint32_t from_call)
{
    struct sim_gen *g = f->g;
    enum vg_status st = VG_OK;
    struct sim_interchange *ix = ix_get(f, "coprar", f->ca->agent, f->term->sender, &st);
    if (ix == NULL) {
        return st;
    }
    struct sim_edi *e = f->e;
    call_header(f, "45", "LO", f->c->berth - 2 * SIM_DAY, 0);
    uint32_t n = 0;
    for (uint32_t i = 0; i < g->ntrip; i++) {
        const struct sim_trip *t = &g->trip[i];
        if (rolled_only ? t->rolled_from != from_call : !t->loaded) {
            continue;
        }
        const struct sim_consignment *k = &g->cons[t->cons];
        eqd(f, t->container, t->type, "2", t->full, true);
        loc(f, "11", k->pod, NULL);
        rff(f, "BM", k->house ? k->master : k->bl);
        n++;
    }
    cnt(f, n);
    st = vg__sim_ix_message(ix, "COPRAR:D:00B:UN", e, 0, f->err);
    g->rep->messages++;
    return st;
}

/* The loading orders of the call, and of the service's previous call for boxes rolled from
 * it (a box that misses its ship stays on the first call's order). */
static enum vg_status loading_orders(struct fctx *f)
{
    struct sim_gen *g = f->g;
    enum vg_status st = coprar(f, false, SIM_NONE);
    uint32_t from = SIM_NONE;
    for (uint32_t i = 0; i < g->ntrip && from == SIM_NONE; i++) {
        from = g->trip[i].rolled_from;
    }
    if (st != VG_OK || from == SIM_NONE) {
        return st;
    }
    struct fctx prev = *f;
    prev.c = &g->s->call[from];
    prev.port = &prev.cfg->port[prev.c->port];
    prev.term = &prev.port->term[prev.c->terminal];
    prev.v = &prev.w->vessel[prev.c->vessel];
    prev.ca = &prev.cfg->carrier[prev.c->carrier];
    return coprar(&prev, true, from);
}

static enum vg_status baplie(struct fctx *f)
{
    struct sim_gen *g = f->g;
    char stamp[9], rel[160];
    day_stamp(f->w, g->day, stamp);
    snprintf(rel, sizeof(rel), "feeds/baplie/%s_%s_%s.edi", stamp, f->v->call_sign,
             f->c->voyage);
    struct sim_interchange ix;
    enum vg_status st = vg__sim_ix_open(&g->out, &ix, rel, f->ca->agent, f->term->sender,
                                        f->c->etd + HOUR, &f->port->zone, ++g->ix_ref, f->err);
    if (st != VG_OK) {
        return st;
    }
    struct sim_edi *e = f->e;
    vg__sim_edi_reset(e);
    vg__sim_edi_seg(e, "BGM");
    vg__sim_edi_el(e, "");
    vg__sim_edi_raw(e, '+', f->v->call_sign);
    vg__sim_edi_raw(e, '\0', f->c->voyage);
    vg__sim_edi_el(e, "9");
    vg__sim_edi_end(e);
    dtm(f, "137", f->c->etd + HOUR);
    tdt(f, false, false, 0);
    loc(f, "5", f->port->locode, NULL);
    loc(f, "61", f->c->next_port, NULL);
    dtm(f, "133", f->c->etd);
    for (uint32_t i = 0; i < g->ntrip; i++) {
        const struct sim_trip *t = &g->trip[i];
        if (!t->loaded) {
            continue;
        }
        const struct sim_consignment *k = &g->cons[t->cons];
        vg__sim_edi_seg(e, "LOC");
        vg__sim_edi_el(e, "147");
        vg__sim_edi_raw(e, '+', t->cell);
        vg__sim_edi_raw(e, ':', ":5");
        vg__sim_edi_end(e);
        mea(f, "WT", "", t->gross_gate);
        loc(f, "9", f->port->locode, NULL);
        loc(f, "11", k->pod, NULL);
        rff(f, "BM", "1");
        eqd(f, t->container, t->type, "", t->full, false);
        vg__sim_edi_seg(e, "NAD");
        vg__sim_edi_el(e, "CA");
        vg__sim_edi_raw(e, '+', f->ca->scac);
        vg__sim_edi_raw(e, ':', "172:20");
        vg__sim_edi_end(e);
    }
    st = vg__sim_ix_message(&ix, "BAPLIE:D:95B:UN:SMDG20", e, 0, f->err);
    g->rep->messages++;
    enum vg_status st2 = vg__sim_ix_close(&g->out, &ix, f->err);
    return st != VG_OK ? st : st2;
}

/* ---- the call -------------------------------------------------------------------------------- */

enum vg_status vg__sim_feeds_for_call(struct sim_gen *g, uint32_t ci, struct vg_error *err)
{
    struct fctx f;
    memset(&f, 0, sizeof(f));
    f.g = g;
    f.w = g->w;
    f.cfg = g->w->cfg;
    f.c = &g->s->call[ci];
    f.port = &f.cfg->port[f.c->port];
    f.sv = &f.cfg->service[f.c->service];
    f.term = &f.port->term[f.c->terminal];
    f.v = &f.w->vessel[f.c->vessel];
    f.ca = &f.cfg->carrier[f.c->carrier];
    f.e = &g->edi;
    f.err = err;

    /* Group the trips by consignment (counting sort keeps the box order). */
    uint32_t *order = vg_reallocarray(g->order, g->ntrip ? g->ntrip : 1, sizeof(uint32_t));
    if (order == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    g->order = order;
    uint32_t pos = 0;
    for (uint32_t i = 0; i < g->ncons; i++) {
        g->cons[i].first = pos;
        pos += g->cons[i].ntrips;
        g->cons[i].ntrips = 0;
    }
    for (uint32_t i = 0; i < g->ntrip; i++) {
        struct sim_consignment *k = &g->cons[g->trip[i].cons];
        order[k->first + k->ntrips++] = i;
    }

    enum vg_status st = VG_OK;
    for (uint32_t i = 0; i < g->ncons && st == VG_OK; i++) {
        if (g->cons[i].ntrips > 0) {
            st = cuscar(&f, i);
        }
    }
    for (uint32_t i = 0; i < g->ntrip && st == VG_OK; i++) {
        struct sim_trip *t = &g->trip[i];
        st = codeco(&f, t, MOVE_EMPTY_OUT);
        if (st == VG_OK) {
            st = codeco(&f, t, MOVE_GATE_IN);
        }
        if (st == VG_OK && t->t_out != 0) {
            st = codeco(&f, t, MOVE_GATE_OUT);
            if (st == VG_OK) {
                st = codeco(&f, t, MOVE_REENTRY);
            }
        }
        if (st == VG_OK && t->t_transfer != 0) {
            st = codeco(&f, t, MOVE_TRANSFER_OUT);
        }
    }
    if (st == VG_OK) {
        st = loading_orders(&f);
    }
    if (st == VG_OK) {
        st = coarri(&f);
    }
    if (st == VG_OK) {
        st = baplie(&f);
    }
    return st;
}
