/*
 * Watch-list features: the trip's parties (shipper, consignee, notify, forwarders and
 * brokers, with their RUC), its vessel (name, IMO, MMSI), its container and its seals are
 * screened against the store's active watch lists (vigia/screen.h: names fuzzily,
 * identifiers exactly), each distinct subject once per run. Hits at or above the review
 * threshold 0.70 that no approved dismissal covers count.
 */
#include "risk/risk_int.h"

#include <stdio.h>
#include <string.h>

static void unpack(struct rk_ctx *c, uint64_t packed, const struct rk_wlhit **hits, size_t *n)
{
    packed -= 1;
    *hits = RK_AT(c->wlhits, struct rk_wlhit, (size_t)(packed >> 16));
    *n = (size_t)(packed & 0xffff);
}

bool rk_watch_cached(
    struct rk_ctx *c, char kind, uint32_t id, const struct rk_wlhit **hits, size_t *n)
{
    *hits = NULL;
    *n = 0;
    if (c->wl_screener == NULL) {
        return true;
    }
    char key[RK_KEY_SIZE];
    uint64_t packed;
    if (!vg_map_get(&c->wl_cache, key, rk_key(key, kind, id, 0, 0), &packed)) {
        return false;
    }
    unpack(c, packed, hits, n);
    return true;
}

enum vg_status rk_watch(struct rk_ctx *c,
                        char kind,
                        uint32_t id,
                        const struct vg_screen_query *q,
                        const struct rk_wlhit **hits,
                        size_t *n)
{
    if (rk_watch_cached(c, kind, id, hits, n)) {
        return VG_OK;
    }
    const struct vg_screen_hit *h;
    size_t nh;
    struct vg_error e;
    enum vg_status s = vg_screen(c->wl_screener, q, NULL, &h, &nh, &e);
    if (s != VG_OK) {
        return s;
    }
    size_t off = c->wlhits.n;
    for (size_t i = 0; i < nh; i++) {
        if (h[i].dismissed) {
            continue;
        }
        struct rk_wlhit *w = rk_push(&c->wlhits, sizeof(*w));
        if (w == NULL) {
            return VG_ENOMEM;
        }
        w->entry_id = h[i].entry_id;
        w->score = (float)h[i].score;
        w->identifier = h[i].identifier_score > 0;
        if ((s = rk_intern(&c->s, h[i].list, strlen(h[i].list), &w->list)) != VG_OK ||
            (s = rk_intern(&c->s, h[i].explanation, strlen(h[i].explanation), &w->explanation)) !=
                VG_OK) {
            return s;
        }
    }
    uint64_t packed = ((uint64_t)off << 16 | (uint64_t)(c->wlhits.n - off)) + 1;
    char key[RK_KEY_SIZE];
    if (vg_map_set(&c->wl_cache, key, rk_key(key, kind, id, 0, 0), packed) != VG_OK) {
        return VG_ENOMEM;
    }
    unpack(c, packed, hits, n);
    return VG_OK;
}

struct tally {
    bool identifier;        /* an identifier of the trip's own: party RUC, container, seal */
    bool vessel_identifier; /* the voyage's vessel: exposure of every box aboard, not a hold */
    double party_score;
    uint32_t party; /* the party of the best name match, RK_NONE */
    size_t hits;
    int64_t entries[64];
    size_t nentries;
    struct vg_slice lists[16];
    size_t nlists;
};

static void count(struct rk_view *v,
                  struct tally *t,
                  const struct rk_wlhit *h,
                  size_t n,
                  uint32_t party_idx,
                  bool party,
                  bool vessel,
                  const char *role,
                  struct vg_slice subject,
                  int64_t msg,
                  int32_t seg)
{
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t k = 0; k < t->nentries && !dup; k++) {
            dup = t->entries[k] == h[i].entry_id;
        }
        if (party && h[i].score > t->party_score) {
            t->party_score = h[i].score;
            t->party = party_idx;
            rk_cite(v, VG_F_WATCHLIST_PARTY_SCORE, RK_SRC_WATCH_ENTRY, h[i].entry_id, 0);
            rk_cite_msg(v, VG_F_WATCHLIST_PARTY_SCORE, msg, seg);
        }
        if (h[i].identifier) {
            int f = vessel ? VG_F_WATCHLIST_VESSEL_MATCH : VG_F_WATCHLIST_IDENTIFIER_MATCH;
            *(vessel ? &t->vessel_identifier : &t->identifier) = true;
            rk_cite(v, f, RK_SRC_WATCH_ENTRY, h[i].entry_id, 0);
            rk_cite_msg(v, f, msg, seg);
        }
        if (dup) {
            continue;
        }
        if (t->nentries < sizeof(t->entries) / sizeof(t->entries[0])) {
            t->entries[t->nentries++] = h[i].entry_id;
        }
        t->hits++;
        rk_cite(v, VG_F_WATCHLIST_HITS, RK_SRC_WATCH_ENTRY, h[i].entry_id, 0);
        struct vg_slice list = rk_str(&v->c->s, h[i].list);
        bool known = false;
        for (size_t k = 0; k < t->nlists && !known; k++) {
            known = vg_slice_eq(t->lists[k], list);
        }
        if (!known && t->nlists < sizeof(t->lists) / sizeof(t->lists[0])) {
            t->lists[t->nlists++] = list;
        }
        if (v->hits != NULL && v->hits->n < RK_MAX_HITS) {
            struct rk_trip_hit *th = &v->hits->items[v->hits->n++];
            th->hit = h[i];
            th->role = role;
            th->subject = subject;
            th->msg = msg;
            th->seg = seg;
        }
    }
}

enum vg_status rk_features_lists(struct rk_view *v)
{
    struct rk_ctx *c = v->c;
    static const int ids[] = { VG_F_WATCHLIST_IDENTIFIER_MATCH,
                               VG_F_WATCHLIST_PARTY_SCORE,
                               VG_F_WATCHLIST_HITS,
                               VG_F_WATCHLIST_LISTS,
                               VG_F_WATCHLIST_VESSEL_MATCH,
                               VG_F_WATCHLIST_PARTY_SHIPMENTS };
    bool missing = false;
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        missing = rk_need(v, ids[i], VG_FEED_WATCHLIST) || missing;
    }
    if (missing) {
        return VG_OK;
    }
    struct tally t;
    memset(&t, 0, sizeof(t));
    t.party = RK_NONE;
    enum vg_status s;
    const struct rk_hit_subject {
        const struct rk_bparty *p;
        const struct rk_bill *b;
        const char *role;
    } people[3] = { { v->shipper, v->shipper_bill, "shipper" },
                    { v->consignee, v->consignee_bill, "consignee" },
                    { v->notify, v->notify_bill, "notify party" } };
    for (size_t i = 0; i < 3 + v->nforwarders; i++) {
        const struct rk_bparty *p = i < 3 ? people[i].p : v->forwarders[i - 3];
        const struct rk_bill *pb =
            i < 3
                ? people[i].b
                : (v->main_bill != RK_NONE ? RK_AT(c->bills, struct rk_bill, v->main_bill) : NULL);
        if (p == NULL || p->party == RK_NONE) {
            continue;
        }
        const struct rk_party *pt = RK_AT(c->parties, struct rk_party, p->party);
        const struct rk_wlhit *h;
        size_t n;
        if (!rk_watch_cached(c, 'P', p->party, &h, &n)) {
            char ruc[32];
            struct vg_screen_query q = rk_party_query(c, pt, ruc, sizeof(ruc));
            if ((s = rk_watch(c, 'P', p->party, &q, &h, &n)) != VG_OK) {
                return s;
            }
        }
        count(v, &t, h, n, p->party, true, false, i < 3 ? people[i].role : "forwarder",
              rk_str(&c->s, pt->name), pb != NULL ? pb->message_id : 0, p->segment_no);
    }
    const struct rk_vessel *vs = v->call != NULL && v->call->vessel != RK_NONE
                                     ? RK_AT(c->vessels, struct rk_vessel, v->call->vessel)
                                     : NULL;
    if (vs != NULL) {
        const struct rk_wlhit *h;
        size_t n;
        if (!rk_watch_cached(c, 'V', v->call->vessel, &h, &n)) {
            char id[48] = "";
            if (vs->imo != 0) {
                snprintf(id, sizeof(id), "IMO %07u", vs->imo);
            } else if (vs->mmsi != 0) {
                snprintf(id, sizeof(id), "MMSI %09u", vs->mmsi);
            }
            struct vg_screen_query q = { vs->name != 0 ? rk_cstr(&c->s, vs->name) : NULL,
                                         VG_WATCH_VESSEL, NULL, id[0] != '\0' ? id : NULL };
            if ((s = rk_watch(c, 'V', v->call->vessel, &q, &h, &n)) != VG_OK) {
                return s;
            }
        }
        count(v, &t, h, n, RK_NONE, false, true, "vessel", rk_str(&c->s, vs->name),
              v->call->message_id, 0);
    }
    {
        struct vg_slice num = rk_str(&c->s, v->cont->number);
        struct vg_screen_query q = { NULL, VG_WATCH_CONTAINER, NULL, num.ptr };
        const struct rk_wlhit *h;
        size_t n;
        if ((s = rk_watch(c, 'K', v->trip->container, &q, &h, &n)) != VG_OK) {
            return s;
        }
        const struct rk_bill *mb =
            v->main_bill != RK_NONE ? RK_AT(c->bills, struct rk_bill, v->main_bill) : NULL;
        count(v, &t, h, n, RK_NONE, false, false, "container", num, mb != NULL ? mb->message_id : 0,
              mb != NULL ? mb->segment_no : 0);
    }
    const struct rk_seal *seals = RK_AT(c->seals, struct rk_seal, v->cont->seal_off);
    for (uint32_t i = 0; i < v->cont->seal_n; i++) {
        const struct rk_seal *sl = &seals[i];
        if (sl->observed_at != VG_TIME_NONE &&
            (sl->observed_at < v->win_start || sl->observed_at > v->as_of)) {
            continue;
        }
        struct vg_slice num = rk_str(&c->s, sl->number);
        struct vg_screen_query q = { NULL, VG_WATCH_SEAL, NULL, num.ptr };
        const struct rk_wlhit *h;
        size_t n;
        if ((s = rk_watch(c, 'S', sl->number, &q, &h, &n)) != VG_OK) {
            return s;
        }
        count(v, &t, h, n, RK_NONE, false, false, "seal", num, sl->message_id, sl->segment_no);
    }
    struct vg_slice *lists = vg_arena_alloc(v->arena, (t.nlists + 1) * sizeof(struct vg_slice));
    if (lists == NULL) {
        return VG_ENOMEM;
    }
    memcpy(lists, t.lists, t.nlists * sizeof(struct vg_slice));
    rk_set(v, VG_F_WATCHLIST_IDENTIFIER_MATCH, vg_value_bool(t.identifier));
    rk_set(v, VG_F_WATCHLIST_VESSEL_MATCH, vg_value_bool(t.vessel_identifier));
    rk_set(v, VG_F_WATCHLIST_PARTY_SCORE, vg_value_number(t.party_score));
    /* The history of the party behind the best name match: an established trader whose
     * name resembles a list entry is the usual false hit; a listed party under a spelling
     * variant has none under that name [INV13][DT19]. */
    if (!rk_need(v, VG_F_WATCHLIST_PARTY_SHIPMENTS, VG_FEED_MANIFEST)) {
        if (t.party == RK_NONE) {
            rk_unknown(v, VG_F_WATCHLIST_PARTY_SHIPMENTS,
                       VG_SLICE_LIT("no party name on a watch list"));
        } else {
            const struct rk_src *at = &v->src[VG_F_WATCHLIST_PARTY_SCORE][0];
            rk_set(v, VG_F_WATCHLIST_PARTY_SHIPMENTS,
                   vg_value_number((double)rk_party_shipments(c, t.party, v->ref)));
            rk_cite(v, VG_F_WATCHLIST_PARTY_SHIPMENTS, at->kind, at->id, at->seg);
        }
    }
    rk_set(v, VG_F_WATCHLIST_HITS, vg_value_number((double)t.hits));
    rk_set(v, VG_F_WATCHLIST_LISTS, vg_value_list(lists, t.nlists));
    return VG_OK;
}
