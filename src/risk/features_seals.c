/*
 * Seal chain of custody. Each stage (shipping instructions, cargo report, gate-in,
 * loading) reports a set of seals; numbers are compared after normalisation (upper case,
 * no spaces or hyphens). A seal stays on the box until the box is opened, and seals may be
 * added on the way: so a later stage is "same" as an earlier one when it still carries
 * every earlier seal, "one_off" when an earlier seal is there only one edit away (a typing
 * error or a near copy), and "different" when an earlier seal is gone and a new one took
 * its place: the box was opened and resealed. A box opened and resealed by an authority (a
 * new customs or quarantine agency seal) is "authority_reseal". One shipper seal kept
 * while the carrier's bolt seal was replaced is therefore "different", not "same" [DT1];
 * a stage that records fewer seals and no new one is "same" (gate clerks often note only
 * the bolt seal).
 * Reseals and openings between gate-in and loading come from status events.
 */
#include "risk/risk_int.h"

#include <string.h>

#define MAX_SEALS 8

struct stage {
    uint32_t seals[MAX_SEALS];
    uint32_t parties[MAX_SEALS]; /* interned 9303 codes, 0 when not given */
    size_t n;
    int64_t msg;
    int32_t seg;
    bool reported; /* the stage happened (an event or a bill), with or without a seal */
};

static void stage_add(struct stage *s, const struct rk_seal *seal)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->seals[i] == seal->number) {
            return;
        }
    }
    if (s->n < MAX_SEALS && seal->number != 0) {
        s->parties[s->n] = seal->party;
        s->seals[s->n++] = seal->number;
        if (s->msg == 0) {
            s->msg = seal->message_id;
            s->seg = seal->segment_no;
        }
    }
}

/* The seals of one event of the container. */
static void event_stage(const struct rk_view *v, const struct rk_event *e, struct stage *s)
{
    memset(s, 0, sizeof(*s));
    if (e == NULL) {
        return;
    }
    s->reported = true;
    s->msg = e->message_id;
    s->seg = e->segment_no;
    const struct rk_seal *seals = RK_AT(v->c->seals, struct rk_seal, v->cont->seal_off);
    for (uint32_t i = 0; i < v->cont->seal_n; i++) {
        if (seals[i].event_id == e->id) {
            stage_add(s, &seals[i]);
        }
    }
}

static void manifest_stage(const struct rk_view *v, struct stage *s)
{
    memset(s, 0, sizeof(*s));
    s->reported = v->nbills > 0;
    const struct rk_seal *seals = RK_AT(v->c->seals, struct rk_seal, v->cont->seal_off);
    for (uint32_t i = 0; i < v->cont->seal_n; i++) {
        if (seals[i].source != RK_SEAL_MANIFEST) {
            continue;
        }
        for (size_t b = 0; b < v->nbills; b++) {
            const struct rk_bill *bl = RK_AT(v->c->bills, struct rk_bill, v->bills[b]);
            /* Manifest seals belong to the current version of the bill. */
            if (bl->current && (int64_t)seals[i].bill == bl->id &&
                (seals[i].observed_at == VG_TIME_NONE || seals[i].observed_at <= v->as_of)) {
                stage_add(s, &seals[i]);
            }
        }
    }
}

enum { REL_SAME, REL_ONE_OFF, REL_AUTHORITY, REL_DIFFERENT };

static bool authority_party(const struct rk_ctx *c, uint32_t party)
{
    struct vg_slice p = rk_str(&c->s, party);
    return vg_slice_ieq_cstr(p, "CU") || vg_slice_ieq_cstr(p, "AC");
}

/* The later stage b against the earlier stage a: every seal of a still on b (same), or one
 * edit away (one_off), or one gone (different; authority_reseal when b brings a new seal
 * of customs or the quarantine agency, which open boxes to inspect them). */
static int relation(const struct rk_ctx *c, const struct stage *a, const struct stage *b)
{
    int worst = REL_SAME;
    bool gone = false;
    bool matched[MAX_SEALS] = { false };
    for (size_t i = 0; i < a->n; i++) {
        int best = REL_DIFFERENT;
        size_t at = 0;
        for (size_t j = 0; j < b->n && best != REL_SAME; j++) {
            int r =
                a->seals[i] == b->seals[j]
                    ? REL_SAME
                    : (rk_seal_relation(rk_str(&c->s, a->seals[i]), rk_str(&c->s, b->seals[j])) == 1
                           ? REL_ONE_OFF
                           : REL_DIFFERENT);
            if (r < best) {
                best = r;
                at = j;
            }
        }
        if (best == REL_DIFFERENT) {
            gone = true;
        } else {
            matched[at] = true;
            if (best > worst) {
                worst = best;
            }
        }
    }
    /* A seal gone and none new: the later stage recorded fewer seals (gate clerks often
     * note only the bolt seal), which shows no replacement. */
    bool fresh = false, authority = false;
    for (size_t j = 0; j < b->n; j++) {
        if (!matched[j]) {
            fresh = true;
            authority = authority || authority_party(c, b->parties[j]);
        }
    }
    if (!gone || !fresh) {
        return worst;
    }
    return authority ? REL_AUTHORITY : REL_DIFFERENT;
}

static const char *const relation_names[] = { "same", "one_off", "authority_reseal", "different" };

static struct vg_slice stage_text(struct rk_view *v, const struct stage *s)
{
    char buf[256];
    size_t w = 0;
    for (size_t i = 0; i < s->n; i++) {
        struct vg_slice n = rk_str(&v->c->s, s->seals[i]);
        if (w + n.len + 2 >= sizeof(buf)) {
            break;
        }
        if (i > 0) {
            buf[w++] = ';';
        }
        memcpy(buf + w, n.ptr, n.len);
        w += n.len;
    }
    return rk_fmt(v, "%.*s", (int)w, buf);
}

static void set_stage(struct rk_view *v, int f, const struct stage *s, struct vg_slice missing)
{
    if (s->n == 0) {
        rk_unknown(v, f, missing);
        return;
    }
    rk_set(v, f, vg_value_string(stage_text(v, s)));
    rk_cite_msg(v, f, s->msg, s->seg);
}

static void
set_relation(struct rk_view *v, int f, const struct stage *a, const struct stage *b, int fa, int fb)
{
    if (a->n == 0 || b->n == 0) {
        const struct vg_value *x = &v->rec[a->n == 0 ? fa : fb];
        rk_unknown(v, f, x->kind == VG_VALUE_UNKNOWN ? x->as.string : VG_SLICE_EMPTY);
        return;
    }
    rk_set(v, f, vg_value_string(vg_slice_from_cstr(relation_names[relation(v->c, a, b)])));
    rk_cite_msg(v, f, a->msg, a->seg);
    rk_cite_msg(v, f, b->msg, b->seg);
}

static const char *party_name(struct vg_slice code)
{
    if (vg_slice_ieq_cstr(code, "CA")) {
        return "carrier";
    }
    if (vg_slice_ieq_cstr(code, "SH")) {
        return "shipper";
    }
    if (vg_slice_ieq_cstr(code, "CU")) {
        return "customs";
    }
    if (vg_slice_ieq_cstr(code, "TO")) {
        return "terminal";
    }
    if (vg_slice_ieq_cstr(code, "AC")) {
        return "quarantine";
    }
    return "other";
}

enum vg_status rk_features_seals(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    struct stage gate, manifest, load;
    event_stage(v, v->gate_in != NULL && v->gate_in->kind == RK_EV_GATE_IN ? v->gate_in : NULL,
                &gate);
    manifest_stage(v, &manifest);
    event_stage(v, v->load_ev, &load);

    rk_need(v, VG_F_SEAL_BOOKING, VG_FEED_BOOKING);
    rk_need(v, VG_F_SEAL_BOOKING_TO_GATE, VG_FEED_BOOKING);

    if (!rk_need(v, VG_F_SEAL_GATE_IN, VG_FEED_GATE)) {
        set_stage(v, VG_F_SEAL_GATE_IN, &gate,
                  !gate.reported ? (v->trip->direction == RK_TRANSHIPMENT
                                        ? VG_SLICE_LIT("a transhipment: no gate-in at this port")
                                        : VG_SLICE_LIT("no gate-in recorded for the container"))
                                 : VG_SLICE_LIT("the gate-in reported no seal"));
    }
    if (!rk_need(v, VG_F_SEAL_MANIFEST, VG_FEED_MANIFEST)) {
        set_stage(v, VG_F_SEAL_MANIFEST, &manifest, VG_SLICE_LIT("the cargo report gives no seal"));
    }
    if (!rk_need(v, VG_F_SEAL_LOAD, VG_FEED_TERMINAL)) {
        struct vg_slice why;
        if (v->trip->direction == RK_IMPORT) {
            why = VG_SLICE_LIT("an import: not loaded at this port");
        } else if (!v->loaded) {
            why = VG_SLICE_LIT("not loaded yet");
        } else if (!load.reported) {
            why = VG_SLICE_LIT("no loading report for the container");
        } else {
            why = VG_SLICE_LIT("the loading report gives no seal");
        }
        set_stage(v, VG_F_SEAL_LOAD, &load, why);
    }
    if (!rk_need(v, VG_F_SEAL_GATE_TO_LOAD, VG_FEED_GATE | VG_FEED_TERMINAL)) {
        set_relation(v, VG_F_SEAL_GATE_TO_LOAD, &gate, &load, VG_F_SEAL_GATE_IN, VG_F_SEAL_LOAD);
    }
    if (!rk_need(v, VG_F_SEAL_MANIFEST_TO_LOAD, VG_FEED_MANIFEST | VG_FEED_TERMINAL)) {
        set_relation(v, VG_F_SEAL_MANIFEST_TO_LOAD, &manifest, &load, VG_F_SEAL_MANIFEST,
                     VG_F_SEAL_LOAD);
    }
    /* The seals the shipper declared (the cargo report) against those the terminal found
     * at its gate: a box opened at the packing site or on the road [DT29]. */
    if (!rk_need(v, VG_F_SEAL_MANIFEST_TO_GATE, VG_FEED_MANIFEST | VG_FEED_GATE)) {
        set_relation(v, VG_F_SEAL_MANIFEST_TO_GATE, &manifest, &gate, VG_F_SEAL_MANIFEST,
                     VG_F_SEAL_GATE_IN);
    }

    /* The chain over the stages that reported a seal, in custody order: what the shipper
     * declared, what the gate found, what was loaded. */
    const struct stage *order[3] = { &manifest, &gate, &load };
    const struct stage *seen[3];
    size_t ns = 0;
    for (int i = 0; i < 3; i++) {
        if (order[i]->n > 0) {
            seen[ns++] = order[i];
        }
    }
    if (!rk_need(v, VG_F_SEAL_CHAIN, VG_FEED_MANIFEST)) {
        if (ns < 2) {
            rk_unknown(v, VG_F_SEAL_CHAIN, VG_SLICE_LIT("fewer than two stages reported a seal"));
        } else {
            int worst = REL_SAME;
            for (size_t i = 1; i < ns; i++) {
                int r = relation(c, seen[i - 1], seen[i]);
                if (r > worst) {
                    worst = r;
                }
                rk_cite_msg(v, VG_F_SEAL_CHAIN, seen[i]->msg, seen[i]->seg);
            }
            rk_set(v, VG_F_SEAL_CHAIN, vg_value_string(vg_slice_from_cstr(relation_names[worst])));
        }
    }
    if (!rk_need(v, VG_F_SEAL_STAGES, VG_FEED_MANIFEST)) {
        rk_set(v, VG_F_SEAL_STAGES, vg_value_number((double)ns));
    }

    /* Who applied the latest seal observed up to loading (or the as-of time): of the seals
     * of the latest report, the one first seen there (a seal put on where another went),
     * else the last listed. A report lists every seal on the doors, so the last listed is
     * not who sealed last when a carrier replaces its seal beside kept shipper and
     * quarantine seals. */
    int64_t until = v->t_load != VG_TIME_NONE ? v->t_load : v->as_of;
    const struct rk_seal *latest = NULL;
    bool latest_new = false;
    const struct rk_seal *seals = RK_AT(c->seals, struct rk_seal, v->cont->seal_off);
    for (uint32_t i = 0; i < v->cont->seal_n; i++) {
        const struct rk_seal *s = &seals[i];
        if (s->observed_at == VG_TIME_NONE || s->observed_at < v->win_start ||
            s->observed_at > until) {
            continue;
        }
        if (latest != NULL && s->observed_at < latest->observed_at) {
            continue;
        }
        bool is_new = true;
        for (uint32_t k = 0; k < v->cont->seal_n && is_new; k++) {
            const struct rk_seal *o = &seals[k];
            is_new = !(o->number == s->number && o->observed_at != VG_TIME_NONE &&
                       o->observed_at >= v->win_start && o->observed_at < s->observed_at);
        }
        if (latest == NULL || s->observed_at > latest->observed_at || is_new || !latest_new) {
            latest = s;
            latest_new = is_new;
        }
    }
    if (!rk_need(v, VG_F_SEAL_LAST_PARTY, VG_FEED_GATE)) {
        if (latest == NULL) {
            rk_unknown(v, VG_F_SEAL_LAST_PARTY, VG_SLICE_LIT("no seal reported for the trip"));
        } else if (latest->party == 0) {
            rk_unknown(v, VG_F_SEAL_LAST_PARTY,
                       VG_SLICE_LIT("the latest seal report does not say who applied it"));
        } else {
            rk_set(v, VG_F_SEAL_LAST_PARTY,
                   vg_value_string(vg_slice_from_cstr(party_name(rk_str(&c->s, latest->party)))));
            rk_cite_msg(v, VG_F_SEAL_LAST_PARTY, latest->message_id, latest->segment_no);
        }
    }

    /* A full container with no seal at any stage. */
    if (!rk_need(v, VG_F_SEAL_MISSING, VG_FEED_MANIFEST | VG_FEED_GATE)) {
        bool any = ns > 0 || latest != NULL;
        rk_set(v, VG_F_SEAL_MISSING, vg_value_bool(!v->declared_empty && !any));
        if (v->main_bill != RK_NONE) {
            const struct rk_bill *mb = RK_AT(c->bills, struct rk_bill, v->main_bill);
            rk_cite_msg(v, VG_F_SEAL_MISSING, mb->message_id, mb->segment_no);
        }
    }

    /* Reseals and openings between gate-in and loading. */
    int64_t from = v->gate_in != NULL ? v->gate_in->t : v->win_start;
    bool resealed = false, opened = false;
    for (size_t i = 0; i < v->nev; i++) {
        const struct rk_event *e = &v->ev[i];
        if (e->t < from || e->t > until) {
            continue;
        }
        if (e->kind == RK_EV_SEAL_CHANGE && !resealed) {
            resealed = true;
            rk_cite_msg(v, VG_F_RESEALED_BEFORE_LOAD, e->message_id, e->segment_no);
        }
        if ((e->kind == RK_EV_INSPECTION || e->kind == RK_EV_STRIPPING) && !opened) {
            opened = true;
            rk_cite_msg(v, VG_F_OPENED_BEFORE_LOAD, e->message_id, e->segment_no);
        }
    }
    if (resealed) {
        rk_set(v, VG_F_RESEALED_BEFORE_LOAD, vg_value_bool(true));
    } else if (!rk_need(v, VG_F_RESEALED_BEFORE_LOAD, VG_FEED_STATUS)) {
        rk_set(v, VG_F_RESEALED_BEFORE_LOAD, vg_value_bool(false));
    }
    if (opened) {
        rk_set(v, VG_F_OPENED_BEFORE_LOAD, vg_value_bool(true));
    } else if (!rk_need(v, VG_F_OPENED_BEFORE_LOAD, VG_FEED_STATUS)) {
        rk_set(v, VG_F_OPENED_BEFORE_LOAD, vg_value_bool(false));
    }
    return VG_OK;
}
