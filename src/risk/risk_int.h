/*
 * Private model of the risk module.
 *
 * Scoring works in batch: rk_ctx_load reads every table a feature needs once into compact
 * in-memory arrays (ids are SQLite row ids, dense, so most lookups are array indexes),
 * rk_ctx_prepare derives the aggregates (party histories, norms, feed coverage, links to
 * seizures, watch-list hits per distinct subject), and rk_compute fills one trip's feature
 * record as of an instant without touching the database. Strings are interned once
 * (struct rk_strings: id 0 is "absent"); records borrow them, or a per-trip scratch arena.
 *
 * Every value remembers where it came from (struct rk_src: a message and segment, an
 * outcome, a vessel event, a watch-list entry) so that reasons can cite their source.
 */
#ifndef VIGIA_RISK_INT_H
#define VIGIA_RISK_INT_H

#include "store/store_int.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <vigia/arena.h>
#include <vigia/features.h>
#include <vigia/map.h>
#include <vigia/risk.h>
#include <vigia/rules.h>
#include <vigia/screen.h>
#include <vigia/slice.h>
#include <vigia/time.h>

#define RK_DAY  86400
#define RK_NONE UINT32_MAX

/* ---- growable arrays and interned strings -------------------------------------------- */

struct rk_vec {
    void *items;
    size_t n, cap;
};

/* Appends one zeroed element of size bytes; NULL on OOM. */
void *rk_push(struct rk_vec *v, size_t size);
void rk_vec_free(struct rk_vec *v);

/* Element i of a vector; NULL for a vector never pushed to (an empty store), where
 * &items[0] would offset a null pointer: callers then loop over zero elements. */
#define RK_AT(vec, type, i)                                                                    \
    ((vec).items != NULL ? &((type *)(vec).items)[i] : (type *)NULL)

#define RK_RECENT 1024 /* strings remembered in front of the map (a power of two) */

struct rk_strings {
    struct vg_map map;     /* bytes -> id */
    struct rk_vec slices;  /* struct vg_slice by id; [0] is the empty string */
    struct vg_arena arena; /* the bytes, NUL-terminated */
    /* Ids of strings interned lately, by a cheap hash of their bytes (0: none): loading
     * interns tens of millions of ports, codes and names that repeat, and the map of
     * millions of strings costs cache misses a look-up. */
    uint32_t recent[RK_RECENT];
};

enum vg_status rk_strings_init(struct rk_strings *s);
void rk_strings_release(struct rk_strings *s);
/* Interns text[0..len) (0 for NULL or empty); *id set. VG_ENOMEM. */
enum vg_status rk_intern(struct rk_strings *s, const char *text, size_t len, uint32_t *id);
static inline struct vg_slice rk_str(const struct rk_strings *s, uint32_t id)
{
    return ((const struct vg_slice *)s->slices.items)[id];
}
static inline const char *rk_cstr(const struct rk_strings *s, uint32_t id)
{
    return ((const struct vg_slice *)s->slices.items)[id].ptr;
}

/* A binary map key (kind, a, b, c): what the maps of aggregates are keyed by. */
#define RK_KEY_SIZE 17
static inline size_t rk_key(char *buf, char kind, uint32_t a, uint32_t b, int64_t c)
{
    buf[0] = kind;
    memcpy(buf + 1, &a, 4);
    memcpy(buf + 5, &b, 4);
    memcpy(buf + 9, &c, 8);
    return RK_KEY_SIZE;
}

/* ---- sources ----------------------------------------------------------------------- */

enum rk_src_kind {
    RK_SRC_NONE = 0,
    RK_SRC_MESSAGE,      /* id: messages.id, seg: segment (or CSV record) */
    RK_SRC_OUTCOME,      /* id: outcomes.id */
    RK_SRC_VESSEL_EVENT, /* id: vessel_events.id */
    RK_SRC_WATCH_ENTRY,  /* id: watchlist_entries.id */
};

struct rk_src {
    int64_t id;
    int32_t seg;
    uint8_t kind;
};

/* ---- loaded records ------------------------------------------------------------------ */

enum rk_ev_kind {
    RK_EV_GATE_IN,
    RK_EV_GATE_OUT,
    RK_EV_LOAD,
    RK_EV_DISCHARGE,
    RK_EV_STUFFING,
    RK_EV_STRIPPING,
    RK_EV_SEAL_CHANGE,
    RK_EV_INSPECTION,
    RK_EV_STATUS,
    RK_EV_STOWAGE,
    RK_EV_LOAD_ORDER,
    RK_EV_DISCHARGE_ORDER,
    RK_EV_SHIFT,
    RK_EV_OTHER,
};

enum rk_fe { RK_FE_UNKNOWN = 0, RK_FE_FULL = 1, RK_FE_EMPTY = 2 };

struct rk_event {
    int64_t id;
    int64_t t;
    int64_t message_id;
    uint32_t container; /* container index */
    uint32_t call;      /* call index, RK_NONE when none */
    uint32_t place;     /* interned UN/LOCODE */
    uint32_t terminal;
    uint32_t seals; /* interned seal numbers as sent, ';'-separated */
    uint32_t vehicle;
    int32_t segment_no;
    float gross_kg; /* NAN when absent */
    uint8_t kind;   /* enum rk_ev_kind */
    uint8_t full_empty;
};

enum rk_seal_source {
    RK_SEAL_MANIFEST,
    RK_SEAL_GATE,
    RK_SEAL_LOAD,
    RK_SEAL_ARRIVAL,
    RK_SEAL_RESEAL,
    RK_SEAL_INSPECTION,
    RK_SEAL_OTHER,
};

struct rk_seal {
    int64_t observed_at; /* VG_TIME_NONE when unknown */
    int64_t message_id;
    int64_t event_id; /* 0 when none */
    uint32_t container;
    uint32_t number; /* interned, normalised: upper case, no spaces or hyphens */
    uint32_t party;  /* interned 9303 code as sent */
    uint32_t bill;   /* consignment id (manifest seals), 0 otherwise */
    int32_t segment_no;
    uint8_t source; /* enum rk_seal_source */
};

struct rk_call {
    int64_t id;
    uint32_t vessel; /* vessel index or RK_NONE */
    uint32_t port, terminal, voyage, carrier;
    int64_t eta, etd, ata, atd;
    int64_t message_id;
    uint32_t containers; /* trips on this call (for the vessel's kind) */
    int64_t first_filed; /* the first cargo report filed for the call, VG_TIME_NONE none */
};

struct rk_vessel {
    int64_t id;
    uint32_t imo, mmsi;
    uint32_t name, flag;     /* interned */
    int ship_type;           /* AIS ship type, 0 unknown */
    uint32_t ev_off, ev_n;   /* vessel events (struct rk_vevent), by start */
    uint32_t id_off, id_n;   /* identities */
    uint32_t ais_off, ais_n; /* AIS coverage intervals */
};

enum rk_vev_kind {
    RK_VEV_PORT_VISIT,
    RK_VEV_GAP,
    RK_VEV_ENCOUNTER,
    RK_VEV_LOITERING,
    RK_VEV_OTHER
};

struct rk_vevent {
    int64_t id, start, end;
    uint32_t vessel, call; /* indexes, RK_NONE when none */
    double lat, lon, shore_nm;
    uint32_t variant; /* interned */
    uint32_t port;    /* port visits: interned UN/LOCODE */
    uint8_t kind;
};

struct rk_identity {
    int64_t first_seen, last_seen;
    uint32_t name, flag; /* interned, normalised */
    uint32_t mmsi;
};

struct rk_interval {
    int64_t from, to;
};

struct rk_container {
    int64_t id;
    uint32_t number;    /* interned */
    uint32_t size_type; /* interned */
    bool valid;
    uint32_t ev_off, ev_n;     /* events, by time */
    uint32_t seal_off, seal_n; /* seals, by observed time */
    uint32_t bill_off, bill_n; /* current bills that list it */
    uint32_t trip_off, trip_n; /* trips, by reference time */
    int64_t finding_msg;       /* a check-digit finding's message, 0 when none */
    int32_t finding_seg;
};

enum rk_role {
    RK_ROLE_SHIPPER,
    RK_ROLE_CONSIGNEE,
    RK_ROLE_NOTIFY,
    RK_ROLE_FORWARDER,
    RK_ROLE_BROKER,
    RK_ROLE_CARRIER,
    RK_ROLE_OTHER,
};

struct rk_bparty {
    uint32_t party; /* party index or RK_NONE */
    uint32_t name, country, identifier;
    uint32_t address; /* interned address key ("" when no address) */
    int32_t segment_no;
    uint8_t role;
};

struct rk_placement {
    uint32_t container;
    double packages, gross_kg; /* NAN when absent */
};

struct rk_goods {
    uint32_t hs;                  /* interned digits only */
    uint32_t heading, hs6, group; /* interned: first 4 and 6 digits, commodity group (0 none) */
    uint32_t description, package_type, currency;
    double packages, gross_kg, value; /* NAN when absent */
    int32_t segment_no;
    uint32_t pl_off, pl_n;
};

struct rk_equip {
    uint32_t container;
    uint32_t size_type;
    uint8_t full_empty;
    double gross_kg, tare_kg, vgm_kg; /* NAN when absent */
    int32_t segment_no;
};

enum rk_place_q { RK_PL_TRANSHIPMENT, RK_PL_ORIGIN_LOADING, RK_PL_OTHER };

struct rk_bplace {
    uint32_t locode;
    uint16_t seq;
    uint8_t q;
};

enum rk_freight { RK_FREIGHT_UNKNOWN = 0, RK_FREIGHT_PREPAID, RK_FREIGHT_COLLECT };

/* One version of a consignment. Current versions come first, indexed by consignment id
 * through ctx->bill_by_id; earlier versions (from consignment_versions) follow. */
struct rk_bill {
    int64_t id;         /* consignment id */
    int64_t time;       /* when this version was prepared; VG_TIME_NONE unknown */
    int64_t message_id; /* the message that carried this version */
    int32_t segment_no;
    uint32_t version;
    uint32_t bl, carrier, kind; /* interned */
    uint32_t master;            /* bill index of the master, RK_NONE */
    uint32_t call;              /* call index, RK_NONE */
    uint32_t por, pol, pod, pdl, description;
    uint32_t dest_cc; /* interned country of the place of delivery, else of discharge */
    int64_t declared_at;
    bool cancelled;
    bool current;
    uint8_t freight; /* enum rk_freight, from the message's payment terms */
    uint32_t route, route_port; /* rk_route_key for route_port, cached (0: not yet) */
    uint32_t party_off, party_n;
    uint32_t goods_off, goods_n;
    uint32_t equip_off, equip_n;
    uint32_t place_off, place_n;
    uint32_t ver_off, ver_n;     /* current only: all versions (bill indexes) by time */
    uint32_t house_off, house_n; /* current only: house bills (bill indexes) */
    int64_t filed;               /* current only: first filing time */
    int64_t ship_time;           /* current only: departure of its call, else filed */
};

struct rk_party {
    int64_t id;
    uint32_t ruc, name, country;
    bool carrier;              /* appears as a carrier on some bill */
    bool forwarder;            /* appears as a forwarder or broker on some bill */
    uint32_t ship_off, ship_n; /* shipments as shipper: struct rk_shipment by time */
    uint32_t recv_off, recv_n; /* as consignee */
    uint32_t fwd_off, fwd_n;   /* positive outcomes handled (struct rk_link) */
    uint32_t sz_off, sz_n;     /* seizure-party links (struct rk_link), computed lazily */
    bool sz_done;
    uint32_t wl_off, wl_n; /* watch-list hits (struct rk_wlhit) */
    bool wl_done;
    uint32_t fx_off, fx_n; /* examinations of trips handled as forwarder (struct rk_exam) */
    uint16_t activity;     /* sectors its name names (bits), computed lazily */
    bool activity_done;
};

/* An examination (outcome) of a trip a forwarder or broker handled; pos counts the
 * positives of the forwarder's examinations up to and including this one. */
struct rk_exam {
    int64_t t;
    uint32_t outcome;
    uint32_t pos;
    bool positive;
};

struct rk_shipment {
    int64_t t; /* effective time: max(ship time, filing time) */
    uint32_t bill;
    uint32_t heading; /* interned 4-digit HS heading of its main goods, 0 unknown */
    uint32_t country; /* destination country */
    uint32_t address; /* the party's address key on that bill */
};

struct rk_trip {
    int64_t id;
    uint32_t container, call;
    uint32_t port;
    uint8_t direction; /* 0 export, 1 import, 2 transhipment */
    int64_t loaded_at, departure_at;
    int64_t t_ref; /* loading (exports), discharge (imports); VG_TIME_NONE unknown */
};

enum rk_dir { RK_EXPORT = 0, RK_IMPORT = 1, RK_TRANSHIPMENT = 2 };

struct rk_outcome {
    int64_t id, t;
    uint32_t container; /* interned normalised number */
    uint32_t trip;      /* trip index, RK_NONE when not linked */
    uint32_t bl;        /* interned B/L numbers as recorded */
    bool positive;
    bool in_goods;     /* concealment in the cargo or its packaging (the shipper's own goods) */
    uint8_t selection; /* enum vg_model_selection: why it was examined (examples.c) */
};

/* Why an outcome's container was examined, as SQL over `outcomes o`: its own selection,
 * else the reason of the target its inspection closed ("random" or not), else "partner"
 * for a find in transit or at destination and "targeted" for an examination at origin. */
#define RK_OUTCOME_SELECTION_SQL                                                           \
 "coalesce(o.selection, (SELECT CASE t.reason WHEN 'random' THEN 'random' ELSE 'targeted'" \
 " END FROM inspections i JOIN targets t ON t.id = i.target_id WHERE i.id ="               \
 " o.inspection_id), CASE WHEN o.found_at IN ('transit', 'destination') THEN 'partner'"    \
 " ELSE 'targeted' END)"

/* A link from a subject (party, address) to a positive outcome. */
struct rk_link {
    uint32_t outcome; /* outcome index */
    float score;
    uint8_t forwarder; /* the link is to the forwarder or broker of the outcome's trip */
};

struct rk_wlhit {
    int64_t entry_id;
    uint32_t list;        /* interned list name */
    uint32_t explanation; /* interned */
    float score;
    bool identifier; /* an exact identifier match */
};

/* A sample for a robust norm: when it happened and its value. */
struct rk_sample {
    int64_t t;
    double v;
};

struct rk_norm_group {
    uint32_t off, n; /* samples by time */
};

/* ---- the context ------------------------------------------------------------------- */

struct rk_ctx {
    struct vg_store *store;
    struct rk_strings s;
    int64_t now;
    /* Set by helpers that cannot return a status (lookups that cache) when an allocation
     * failed; rk_ctx_load, rk_ctx_prepare and rk_compute then return VG_ENOMEM. */
    bool oom;

    struct rk_vec trips, calls, vessels, vevents, identities, ais, containers, events, seals, bills,
        bparties, goods, placements, equips, bplaces, versions, houses, parties, shipments,
        receipts, outcomes, links, wlhits, cont_bills, cont_trips;
    /* id -> index + 1 (0: none) */
    uint32_t *trip_by_id, *call_by_id, *vessel_by_id, *container_by_id, *bill_by_id, *party_by_id,
        *goods_by_id;
    size_t trip_ids, call_ids, vessel_ids, container_ids, bill_ids, party_ids, goods_ids;
    size_t nbills_current;

    struct vg_map container_by_number; /* normalised number -> index + 1 */
    struct vg_map locode_region;       /* locode -> interned subdivision "PE-HUC" + 1 */
    struct vg_map feed_days;           /* "gate|PORT|TERMINAL|day" -> count */
    struct vg_map first_heading;       /* "S|party|heading" -> earliest time */
    struct vg_map norm_cache;          /* group key + day -> median, mad, n */
    struct vg_map norm_groups;         /* group key -> index in norm_list */
    struct rk_vec norm_list;           /* struct rk_norm_group */
    struct rk_vec norm_samples;        /* struct rk_sample */
    struct vg_map share_cache;         /* group key + day + value -> share, n */
    struct vg_map msg_freight;         /* message id -> freight mentions (load) */
    struct vg_map hour_days;           /* facility + day -> index into hour_counts + 1 */
    struct rk_vec hour_counts;         /* uint32_t[24] gate moves per local hour */
    struct vg_map hour_cache;          /* facility + day -> index into hour_activity + 1 */
    struct rk_vec hour_activity;       /* float[24]: activity per hour, 1 = average; NAN few */
    struct rk_vec zones;               /* struct vg_zone per place, through hour_cache */
    struct rk_vec fwd_exams;           /* struct rk_exam by forwarder, by time */
    uint32_t *exam_pos_prefix;         /* positives among outcomes[0..i), i <= outcomes.n */

    bool have_locodes;     /* code_locodes has rows */
    bool have_ais;         /* any AIS data (tracks or vessel events) */
    bool have_status;      /* any status events at all */
    int64_t first_outcome; /* earliest outcome time, VG_TIME_NONE when none */

    /* Positive outcomes and what they link to. */
    struct rk_vec pos;           /* uint32_t outcome indexes of positive outcomes */
    struct rk_vec pos_parties;   /* struct rk_pos_party */
    struct rk_vec pos_addresses; /* struct rk_pos_address */
    struct vg_screen_index *sz_index;
    struct vg_screener *sz_screener;
    struct vg_map addr_links; /* address id -> (off << 24 | n) into links, + 1 */
    struct vg_map sz_compact; /* seizure party name fingerprint without spaces -> party + 1 */

    /* Watch lists. */
    bool have_watchlists;
    struct vg_screen_index *wl_index;
    struct vg_screener *wl_screener;
    struct vg_map wl_cache; /* subject key -> (off << 16 | n) into wlhits + 1 */

    /* Ports (for distances). */
    struct vg_map port_pos;  /* locode -> index into port_list + 1 */
    struct rk_vec port_list; /* struct vg_port_info */
    bool port_list_loaded;
};

struct rk_pos_party {
    uint32_t outcome;
    uint32_t party; /* party index */
    uint8_t role;
};

struct rk_pos_address {
    uint32_t outcome;
    uint32_t address; /* interned key */
    uint32_t country;
};

enum vg_status rk_ctx_load(struct rk_ctx *c, struct vg_store *store, struct vg_error *err);
enum vg_status rk_ctx_prepare(struct rk_ctx *c, struct vg_error *err);
void rk_ctx_release(struct rk_ctx *c);

/* ---- one trip's view and record ------------------------------------------------------ */

#define RK_MAX_BILLS 32
#define RK_MAX_LIST  32

enum rk_feed_state { RK_FEED_ABSENT = 0, RK_FEED_PRESENT = 1 };

/* The watch-list hits of a trip, for the reasons. */
struct rk_trip_hit {
    struct rk_wlhit hit;
    const char *role;        /* "shipper", "vessel", "container", "seal"... (static) */
    struct vg_slice subject; /* the name or number screened */
    int64_t msg;             /* where the subject is named */
    int32_t seg;
};

#define RK_MAX_HITS 16

/* What a computation tells besides the record: the watch-list hits, whether anything of
 * the trip was known by the as-of time, and which feeds were present (reasons live in the
 * scratch arena). */
struct rk_trip_hits {
    struct rk_trip_hit items[RK_MAX_HITS];
    size_t n;
    bool evidence;
    bool feed[VG_FEED_COUNT];
    struct vg_slice feed_why[VG_FEED_COUNT];
    bool feed_global[VG_FEED_COUNT];
};

struct rk_view {
    struct rk_ctx *c;
    struct rk_trip_hits *hits; /* may be NULL */
    uint32_t trip_idx;
    const struct rk_trip *trip;
    const struct rk_container *cont;
    const struct rk_call *call;
    int64_t as_of;
    int64_t t_ref;     /* the trip's loading (or discharge) time, VG_TIME_NONE unknown */
    int64_t ref;       /* min(as_of, t_ref): "earlier" means before this */
    int64_t t_load;    /* loading time known as of as_of, VG_TIME_NONE when not yet */
    int64_t win_start; /* events of this trip start here */
    bool loaded;

    uint32_t bills[RK_MAX_BILLS]; /* visible versions (bill indexes) carrying the container */
    size_t nbills;
    uint32_t houses[RK_MAX_BILLS];
    size_t nhouses;
    uint32_t main_bill; /* RK_NONE when none */
    bool declared_empty; /* a visible bill lists the container as empty */
    uint32_t main_goods_bill;
    const struct rk_goods *main_goods;
    const struct rk_bparty *shipper, *consignee, *notify;
    const struct rk_bill *shipper_bill, *consignee_bill, *notify_bill; /* where they are named */
    const struct rk_bparty *forwarders[8];
    size_t nforwarders;

    /* Container events of the trip window [win_start, as_of]. */
    const struct rk_event *ev;
    size_t nev;
    const struct rk_event *gate_in; /* first gate-in (or discharge for transhipments) */
    const struct rk_event *load_ev;

    /* Feed presence and the reason when absent (static or arena text). */
    bool feed[VG_FEED_COUNT];
    struct vg_slice feed_why[VG_FEED_COUNT];
    bool feed_global[VG_FEED_COUNT]; /* absent from the whole store, not for this trip */

    struct vg_arena *arena; /* scratch, reset per record */
    struct vg_value *rec;
    struct rk_src (*src)[2];
};

/* Fills rec[VG_F_COUNT] (and src) for trip trip_idx as of as_of. Strings live in c's
 * interned table or in arena (reset by the caller between records). VG_ENOMEM. */
enum vg_status rk_compute(struct rk_ctx *c,
                          uint32_t trip_idx,
                          int64_t as_of,
                          struct vg_arena *arena,
                          struct vg_value *rec,
                          struct rk_src (*src)[2],
                          struct rk_trip_hits *hits,
                          struct vg_error *err);

/* Dwell and inland-transit samples for the norms, and the hauliers of earlier pick-ups
 * (prepare). */
enum vg_status rk_dwell_samples(struct rk_ctx *c);
/* Gate moves per facility, day and local hour (prepare). */
enum vg_status rk_hour_samples(struct rk_ctx *c);
/* Activity of a facility (place, terminal) at the local hour of t against its average
 * hour over the 90 days before t's day: NAN when it handled too few moves to tell. */
double rk_hour_activity(struct rk_ctx *c, uint32_t place, uint32_t terminal, int64_t t);
/* Weight samples (measured against declared, per port) and route samples (per port and
 * destination country) for the norms (prepare). */
enum vg_status rk_weight_samples(struct rk_ctx *c);
enum vg_status rk_route_samples(struct rk_ctx *c);
/* Whether each export trip's shipper and consignee were new then, per port (prepare). */
enum vg_status rk_party_samples(struct rk_ctx *c);
/* The interned route key of a bill: its transhipment ports in order, ">"-joined, the
 * given port left out ("-" direct); cached in the bill. VG_ENOMEM through c->oom. */
uint32_t rk_route_key(struct rk_ctx *c, struct rk_bill *b, uint32_t port);
enum vg_status rk_pickup_samples(struct rk_ctx *c);

/* The trip's reference time (loading for exports and transhipments, discharge for
 * imports), as the store knows it now; VG_TIME_NONE when unknown. */
int64_t rk_trip_time(const struct rk_ctx *c, const struct rk_trip *t);
/* The trip's departure from its port (exports and transhipments: the trip's own departure,
 * else its call's actual, else expected departure), as the store knows it now;
 * VG_TIME_NONE for imports and when unknown. */
int64_t rk_trip_departure(const struct rk_ctx *c, const struct rk_trip *t);

/* Shipments of party p as shipper or consignee before ref. */
size_t rk_party_shipments(const struct rk_ctx *c, uint32_t p, int64_t ref);

/* The first party of bill b with role, or NULL. */
const struct rk_bparty *rk_party_of(const struct rk_ctx *c, const struct rk_bill *b, uint8_t role);

/* The party (index) of bill b with role, RK_NONE when none. */
static inline uint32_t rk_party_id(const struct rk_ctx *c, const struct rk_bill *b, uint8_t role)
{
    const struct rk_bparty *p = rk_party_of(c, b, role);
    return p != NULL ? p->party : RK_NONE;
}

/* Whether event e happened at the trip's port (its place, or its call when it names no
 * place). */
static inline bool rk_at_port(const struct rk_view *v, const struct rk_event *e)
{
    return e->place == v->trip->port ||
           (e->place == 0 && e->call == v->trip->call && e->call != RK_NONE);
}

/* Families (features_*.c). Each fills its features; unknown values carry a reason. */
enum vg_status rk_features_feeds(struct rk_view *v);
enum vg_status rk_features_route(struct rk_view *v);
enum vg_status rk_features_goods(struct rk_view *v);
enum vg_status rk_features_parties(struct rk_view *v);
enum vg_status rk_features_seizures(struct rk_view *v);
enum vg_status rk_features_seals(struct rk_view *v);
enum vg_status rk_features_moves(struct rk_view *v);
enum vg_status rk_features_documents(struct rk_view *v);
enum vg_status rk_features_vessel(struct rk_view *v);
enum vg_status rk_features_lists(struct rk_view *v);

/* Helpers for families. */
void rk_set(struct rk_view *v, int f, struct vg_value val);
void rk_unknown(struct rk_view *v, int f, struct vg_slice why);
void rk_cite(struct rk_view *v, int f, uint8_t kind, int64_t id, int32_t seg);
void rk_cite_msg(struct rk_view *v, int f, int64_t message_id, int32_t seg);
/* Unknown because feed is absent (its reason). Returns true when the feed is absent. */
bool rk_need(struct rk_view *v, int f, unsigned feeds);
/* printf into the scratch arena; VG_SLICE_EMPTY on OOM. */
struct vg_slice rk_fmt(struct rk_view *v, const char *fmt, ...) VG_PRINTF(2, 3);
struct vg_slice rk_day_text(struct rk_view *v, int64_t t);

/* HS helpers. */
uint32_t rk_heading(struct rk_ctx *c, uint32_t hs); /* interned first 4 digits, 0 none */
uint32_t rk_prefix(struct rk_ctx *c, uint32_t hs, size_t digits); /* first digits, 0 none */
const char *rk_commodity_group(struct vg_slice hs);

/* Share of the samples of group key with t in [day - window, day) whose value equals value
 * (ids stored as numbers), and how many samples there were; false when fewer than min_n. */
bool rk_norm_share(struct rk_ctx *c,
                   char kind,
                   uint32_t a,
                   uint32_t b,
                   int64_t day,
                   int64_t window,
                   double value,
                   size_t min_n,
                   double *share,
                   size_t *n);

/* Robust z-score of x against group key at day (median and MAD as rk_norm): true and *z
 * set when the norm is known with a spread; else false, with *n the samples seen. */
bool rk_norm_z(struct rk_ctx *c,
               char kind,
               uint32_t a,
               uint32_t b,
               int64_t day,
               int64_t window,
               size_t min_n,
               double x,
               double *z,
               size_t *n);

/* Robust norm of group key at day: median and MAD of samples with t in [day - window,
 * day). false when fewer than min_n samples or MAD 0 (for ratios, only n matters). */
bool rk_norm(struct rk_ctx *c,
             char kind,
             uint32_t a,
             uint32_t b,
             int64_t day,
             int64_t window,
             size_t min_n,
             double *median,
             double *mad,
             size_t *n);
/* Adds a sample to group (kind, a, b) (before rk_norm_finish). */
enum vg_status
rk_norm_add(struct rk_ctx *c, char kind, uint32_t a, uint32_t b, int64_t t, double value);
enum vg_status rk_norm_finish(struct rk_ctx *c);

/* The screening query of a party: its name, country and RUC ("RUC 20100047218", written
 * into ruc[size]). */
struct vg_screen_query
rk_party_query(const struct rk_ctx *c, const struct rk_party *pt, char *ruc, size_t size);

/* A name's fingerprint without spaces ("AGRONORTE INVERSIONES"): the screening matcher
 * compares words, so words written together are caught this way. Returns its length. */
size_t rk_compact_key(struct vg_slice name, char *out, size_t size);
#define RK_COMPACT_SCORE 0.9

/* Seal comparison: 0 same, 1 one_off, 2 different. */
int rk_seal_relation(struct vg_slice a, struct vg_slice b);

/* Watch-list hits of subject (kind, id): true and the cached hits when screened before. */
bool rk_watch_cached(
    struct rk_ctx *c, char kind, uint32_t id, const struct rk_wlhit **hits, size_t *n);
/* Screens subject (kind, id) with q and caches the hits. */
enum vg_status rk_watch(struct rk_ctx *c,
                        char kind,
                        uint32_t id,
                        const struct vg_screen_query *q,
                        const struct rk_wlhit **hits,
                        size_t *n);

/* Port position (built-in table, imported WPI or UN/LOCODE). */
bool rk_port_position(struct rk_ctx *c, uint32_t locode, double *lat, double *lon);

/* ---- examined trips (examples.c) ----------------------------------------------------- */

/* One trip examined by the cut-off, as the back-test and the training examples see it. */
struct rk_examined {
    uint32_t trip;     /* trip index */
    int64_t as_of;     /* the instant of its record */
    int64_t left;      /* when it left: departure, else reference time, else as_of */
    bool positive;     /* one of its outcomes found drugs */
    bool late;         /* left within the delay before the cut-off: its label may still
                          change (no record computed unless positive) */
    bool loaded;       /* an import, or loaded on its call (a seized box never is) */
    uint8_t selection; /* enum vg_model_selection of the example */
};

typedef enum vg_status (*rk_examined_fn)(void *user,
                                         const struct rk_examined *ex,
                                         const struct vg_value *rec,
                                         struct vg_error *err);

/*
 * Calls fn, in trip order, for every trip of port (0: every port) with an outcome
 * inspected at or before until (VG_TIME_NONE: any) linked to it, with its feature record
 * as of ex->as_of in rec and src (arena reset per trip), or rec NULL when ex->late and
 * not positive (left after until - delay; delay 0: no such rule). *unlinked (may be NULL) gets the
 * number of outcomes by then linked to no trip. Stops at fn's first status other than
 * VG_OK and returns it; else VG_OK or rk_compute's status.
 */
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
                                struct vg_error *err);

/* ---- records as JSON ------------------------------------------------------------------ */

/* Appends the record as a compact JSON object: the known features by name, then
 * "_sources": source list -> the features resting on it; unknown features left out
 * (record.c, docs/scoring.md). VG_ENOMEM or VG_ELIMIT when out cannot hold it. */
enum vg_status
rk_record_json(const struct vg_value *rec, const struct rk_src (*src)[2], struct vg_buf *out);
/* The first byte of a packed record (rk_record_pack); a JSON record starts with '{'. */
#define RK_RECORD_PACKED 0x01
/* Appends the record packed, as assessments.features keeps it (record.c): what
 * rk_record_json writes, with each feature named by name[f], the id of its feature_names
 * row. VG_ENOMEM or VG_ELIMIT when out cannot hold it. */
enum vg_status rk_record_pack(const struct vg_value *rec,
                              const struct rk_src (*src)[2],
                              const uint32_t name[VG_F_COUNT],
                              struct vg_buf *out);
/* Appends the JSON of a packed record (byte for byte what rk_record_json wrote), names[id]
 * being the name of feature_names row id (ptr NULL for ids without a row). VG_EPARSE when
 * data is not a packed record or names an id without a name (out is then as it was);
 * VG_ENOMEM or VG_ELIMIT when out cannot hold it. */
enum vg_status rk_record_unpack(
    const void *data, size_t len, const struct vg_slice *names, size_t nnames, struct vg_buf *out);
/* The feature_names ids of the catalogue's features (name[f] for feature f), adding the
 * names the table does not have yet; called inside the run's transaction. VG_EDB. */
enum vg_status
rk_record_names(struct vg_store *store, uint32_t name[VG_F_COUNT], struct vg_error *err);
/* Registers the SQL function vg_feature_record(features) on store's connection (once):
 * the JSON of a stored features value (stored.c), NULL for NULL. VG_EDB, VG_ENOMEM. */
enum vg_status rk_record_sql_function(struct vg_store *store, struct vg_error *err);
/* Appends x in decimal without printf. VG_ELIMIT or VG_ENOMEM when out cannot grow. */
enum vg_status rk_buf_int(struct vg_buf *out, int64_t x);
/* BLAKE2b-256 of the evidence in the record: every value, reason and source, except the
 * values of features that only measure elapsed time. */
enum vg_status
rk_record_digest(const struct vg_value *rec, const struct rk_src (*src)[2], uint8_t digest[32]);

/* ---- numbers (number.c) ------------------------------------------------------------------ */

/* Bytes rk_put_double writes at most. */
#define RK_NUMBER_MAX 32
/* Writes x at w as printf's "%.<prec>f" (conv 'f') or "%.<prec>g" (conv 'g') would, byte
 * for byte (glibc: exact digits, ties to even), and returns the end; NULL, having written
 * nothing that counts, when the number needs printf (not finite, more than 19 digits, the
 * exponent style of %g, prec above 17). */
char *rk_put_double(char *w, double x, char conv, int prec);
/* Appends x as printf's "%.<prec>f" (conv 'f') or "%.<prec>g" (any other conv) would
 * (rk_put_double, else vg_buf_printf). VG_ENOMEM or VG_ELIMIT when out cannot grow. */
enum vg_status rk_buf_double(struct vg_buf *out, double x, char conv, int prec);

/* ---- quiet trips (quiet.c) ----------------------------------------------------------- */

/* Whether a trip's record can differ between two instants: the facts the features read that
 * are dated (the container's events, seals and bills, the vessel's events and AIS, the
 * outcomes it links to), indexed once per run so that a re-score with nothing new dated
 * after the last evaluation is decided without computing the record. */
struct rk_quiet {
    struct rk_ctx *c;
    int64_t *pos_t;       /* times of the positive outcomes, ascending */
    size_t npos;
    uint64_t *pos_cont;   /* positive outcomes as (container number << 32 | index in pos_t) */
    int64_t *vtimes;      /* per vessel: start and end of its events, start of its AIS */
    uint32_t *voff;       /* vessel i's times are vtimes[voff[i]..voff[i + 1]), ascending */
};

enum vg_status rk_quiet_init(struct rk_quiet *q, struct rk_ctx *c, struct vg_error *err);
void rk_quiet_release(struct rk_quiet *q);
/* Sets *quiet when trip ti's record as of until equals its record as of since (its
 * reference time <= since < until): nothing the features read is dated in (since, until]
 * and no window the features slide with the as-of time can drop what it held. May compute
 * seizure links (cached in c); VG_ENOMEM when that fails. */
enum vg_status rk_quiet_between(
    struct rk_quiet *q, uint32_t ti, int64_t since, int64_t until, bool *quiet);
/* Whether party p of a bill, or its address, links to a positive outcome examined in
 * (since, until] (features_seizures.c; the links are cached in c). */
enum vg_status rk_seizure_linked_between(
    struct rk_ctx *c, const struct rk_bparty *p, int64_t since, int64_t until, bool *linked);

/* ---- citations ---------------------------------------------------------------------- */

struct rk_citer {
    struct vg_store *store;
    struct rk_ctx *c;     /* labels are interned in its strings */
    struct vg_map labels; /* message id -> interned label */
};

void rk_citer_init(struct rk_citer *ct, struct vg_store *store, struct rk_ctx *c);
void rk_citer_release(struct rk_citer *ct);
/* Appends the citation of src to out. */
enum vg_status rk_cite_text(struct rk_citer *ct, const struct rk_src *src, struct vg_buf *out);

/* ---- rule sets ------------------------------------------------------------------------ */

/* Consignment evidence (consignment.c): whether a feature's value is the same for every
 * container of the trip's bill on its call (its parties, goods, route, documents; of a
 * watch-list identifier match, only its absence: value may be NULL), and the
 * points taken off shared_points, the weights of fired rules that rest on such features
 * alone, for a bill of `containers` boxes: min(shared_points, 10 x log10(containers)); 0
 * for a single box or an unknown count (NaN). */
bool rk_feature_of_consignment(uint32_t feature, const struct vg_value *value);
double rk_consignment_discount(double containers, double shared_points);

/* The built-in default rule set (rules/default.rules, embedded at build time). */
extern const unsigned char vg__risk_default_rules[];
extern const size_t vg__risk_default_rules_len;

#endif
