/*
 * The demo world (vigia/sim.h): module-private declarations.
 *
 * The simulator runs in stages, each a pure function of the seed and what came before:
 *
 *   config.c    the JSON configuration -> struct sim_config (validated, with sources)
 *   world.c     ports, carriers, vessels, parties, the watch-listed and front companies
 *   schedule.c  container port calls of every service, AIS-only calls, vessel events
 *   trips.c     per call: consignments and container trips, cases, confounders,
 *               inspections and outcomes
 *   feeds.c     per call: the EDIFACT messages of those trips (edi.c writes the syntax)
 *   tracks.c    AIS tracks of every call and small craft, merged into one file per day
 *               (nmea.c encodes ITU-R M.1371 messages and NMEA sentences)
 *   truth.c     truth.json, outcomes.csv, watchlist.csv
 *   sim.c       the driver
 *   rng.c geo.c util.c out.c   random streams, sea distances, small helpers, files
 *
 * Every random draw comes from a xoshiro256** stream seeded from (seed, purpose, ids), so
 * a call's trips do not depend on how many draws other calls made. Calls are processed in
 * departure order; the few cross-call states (container serials, party histories, the
 * clone victims) advance in that fixed order.
 */
#ifndef VIGIA_SIM_INT_H
#define VIGIA_SIM_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <vigia/arena.h>
#include <vigia/map.h>
#include <vigia/sim.h>
#include <vigia/slice.h>
#include <vigia/status.h>
#include <vigia/time.h>

#define SIM_NONE UINT32_MAX
#define SIM_DAY 86400

/* ---- random numbers (rng.c) ---------------------------------------------------------- */

struct sim_rng {
    uint64_t s[4];
};

/* Purposes of the random streams (the second seeding word). */
enum sim_stream {
    SIM_S_WORLD = 1,
    SIM_S_SCHEDULE,
    SIM_S_CALL,
    SIM_S_TRIP,
    SIM_S_VESSEL_EVENT,
    SIM_S_TRACK,
    SIM_S_CRAFT,
    SIM_S_FAULTS,
    SIM_S_WATCH,
    SIM_S_NAMES,
    SIM_S_FRONT,
    SIM_S_BRANCH,
};

/* Seeds r from the world seed and three words (splitmix64 over them). */
void vg__sim_rng_init(struct sim_rng *r, uint64_t seed, uint64_t a, uint64_t b, uint64_t c);
uint64_t vg__sim_u64(struct sim_rng *r);
double vg__sim_unit(struct sim_rng *r);                 /* [0, 1) */
uint32_t vg__sim_below(struct sim_rng *r, uint32_t n);  /* [0, n); n > 0 */
int vg__sim_range(struct sim_rng *r, int lo, int hi);   /* [lo, hi] */
double vg__sim_uniform(struct sim_rng *r, double lo, double hi);
bool vg__sim_chance(struct sim_rng *r, double p);
double vg__sim_normal(struct sim_rng *r);
double vg__sim_lognormal(struct sim_rng *r, double median, double sigma);
uint32_t vg__sim_poisson(struct sim_rng *r, double mean);

/* A weighted choice among n items (cumulative weights). */
struct sim_choice {
    uint32_t n;
    double *cum; /* cum[n - 1] is the total; NULL when n == 0 */
};

/* Builds c from n weights (arena memory). Weights must be >= 0 with a positive total,
 * else VG_EINVAL. */
enum vg_status vg__sim_choice_build(struct sim_choice *c, struct vg_arena *a, const double *w,
                                    uint32_t n);
/* Draws an index; c must have a positive total. */
uint32_t vg__sim_pick(const struct sim_choice *c, struct sim_rng *r);

/* ---- helpers (util.c) ---------------------------------------------------------------- */

/* Makes room for need elements of elem bytes in *ptr (capacity *cap, doubling from
 * first); false on overflow or OOM, *ptr unchanged. */
bool vg__sim_grow(void **ptr, uint32_t *cap, uint32_t need, size_t elem, uint32_t first);
typedef int (*vg__sim_cmp_fn)(uint32_t a, uint32_t b, const void *ctx);
/* Stable sort of an index array by cmp (merge sort). VG_ENOMEM when the scratch array
 * cannot be had (a is then unchanged). */
enum vg_status vg__sim_sort_index(uint32_t *a, uint32_t n, vg__sim_cmp_fn cmp, const void *ctx);
/* Writes v in decimal at o (no NUL); returns the end. */
char *vg__sim_put_dec(char *o, uint64_t v);
/* qsort comparisons of int64_t and uint64_t. */
int vg__sim_cmp_i64(const void *a, const void *b);
int vg__sim_cmp_u64(const void *a, const void *b);

/* ---- geometry (geo.c) ---------------------------------------------------------------- */

struct sim_pos {
    double lat, lon; /* degrees */
};

/* Great-circle distance in nautical miles. */
double vg__sim_nm(struct sim_pos a, struct sim_pos b);
/* Initial course from a to b, degrees 0..360. */
double vg__sim_course(struct sim_pos a, struct sim_pos b);
/* The point d nautical miles from a towards b (straight interpolation; short legs). */
struct sim_pos vg__sim_toward(struct sim_pos a, struct sim_pos b, double d);
/* The point at bearing (degrees) and distance (nm) from a. */
struct sim_pos vg__sim_offset(struct sim_pos a, double bearing, double d);

/* ---- configuration (config.c) -------------------------------------------------------- */

enum sim_region { SIM_EUR, SIM_NAM, SIM_ASIA, SIM_LATAM, SIM_REGIONS };
enum sim_lane_dir { SIM_LANE_NORTH, SIM_LANE_WEST, SIM_LANE_SOUTH, SIM_LANES };

/* Trafficking patterns (the case kinds of truth.json). */
enum sim_pattern {
    SIM_P_NONE = 0,
    SIM_P_RIP_ON,
    SIM_P_FRONT,
    SIM_P_CONTAMINATION,
    SIM_P_WATCHLIST,
    SIM_P_TRANSHIPMENT,
    SIM_P_CLONE,
    SIM_P_HIJACK,
    SIM_P_AT_SEA,
    SIM_PATTERNS
};

/* Indicators a trip or a call may show (bit numbers of sim_trip.ind). */
enum sim_indicator {
    SIM_I_SEAL_CHANGED,
    SIM_I_GATE_OUT_REENTRY,
    SIM_I_ODD_HOUR,
    SIM_I_LONG_DWELL,
    SIM_I_NEW_EXPORTER,
    SIM_I_PRODUCT_INCONSISTENT,
    SIM_I_NEW_CONSIGNEE,
    SIM_I_FREIGHT_PREPAID,
    SIM_I_WEIGHT_ANOMALY,
    SIM_I_VALUE_ANOMALY,
    SIM_I_VAGUE,
    SIM_I_HOUSE_BL,
    SIM_I_LATE_FILING,
    SIM_I_WEIGHT_MISMATCH,
    SIM_I_SLOW_INLAND,
    SIM_I_WATCHLISTED,
    SIM_I_UNUSUAL_ROUTE,
    SIM_I_MULTI_TRANSHIP,
    SIM_I_COUNTRY_MISMATCH,
    SIM_I_CARRIER_CONSIGNEE,
    SIM_I_DUPLICATE,
    SIM_I_SIZE_TYPE_MISMATCH,
    SIM_I_ADDRESS_CHANGED,
    SIM_I_DELIVERY_REDIRECT,
    SIM_I_LOITERING,
    SIM_I_ENCOUNTER,
    SIM_I_AIS_GAP,
    SIM_INDICATORS
};

/* Confounders: innocent look-alikes (bit numbers of sim_trip.conf / sim_call.conf). */
enum sim_confounder {
    SIM_C_SEAL_TYPO,
    SIM_C_RESEAL,
    SIM_C_GATE_REENTRY,
    SIM_C_ROLLOVER,
    SIM_C_WEIGHT_DISCREPANCY,
    SIM_C_VAGUE,
    SIM_C_LATE_FILING,
    SIM_C_NEW_CONSIGNEE,
    SIM_C_ROUTE,
    SIM_C_TERMINAL_TRANSFER,
    SIM_C_SIZE_TYPE,
    SIM_C_SLOW_INLAND,
    SIM_C_LISTED_CLEAN,
    SIM_C_CARRIER_CONSIGNEE,
    SIM_C_MULTI_TRANSHIP,
    SIM_C_ANCHOR_LONG,
    SIM_C_SLOW_NIGHT,
    SIM_C_INNOCENT_ENCOUNTER,
    SIM_C_AIS_GAP,
    SIM_C_BUNKERING,
    SIM_C_PROVISIONAL_VALUE,
    SIM_C_ALT_PACKING,
    SIM_C_NEWCOMER, /* rate: share of exporters that start trading during the period */
    SIM_C_TRADER,   /* rate: share of exporters that also ship unrelated products */
    SIM_C_CONSIGNEE_MOVED,
    SIM_C_DELIVERY_ELSEWHERE,
    SIM_CONFOUNDERS
};

enum sim_concealment {
    SIM_K_DOOR_BAGS,
    SIM_K_REEFER_UNIT,
    SIM_K_STRUCTURE,
    SIM_K_IN_CARGO,
    SIM_K_PACKAGING,
    SIM_K_CREW_BAGS,
    SIM_CONCEALMENTS
};

enum sim_method { SIM_M_SCAN, SIM_M_TAILGATE, SIM_M_FULL, SIM_M_K9, SIM_METHODS };

enum sim_fault {
    SIM_F_CONTAINER_CHECK,
    SIM_F_IMO_CHECK,
    SIM_F_RUC_CHECK,
    SIM_F_UNKNOWN_LOCODE,
    SIM_F_TRUNCATED,
    SIM_F_UNT_COUNT,
    SIM_F_NMEA_CHECKSUM,
    SIM_F_MISSING_FEED, /* a terminal's gate messages of one day never sent */
    SIM_FAULTS
};

enum sim_rule_of_thumb {
    SIM_R_REEFER_EUROPE,
    SIM_R_EUROPE,
    SIM_R_NEW_EXPORTER,
    SIM_R_HIGH_RISK,
    SIM_R_HOUSE_BL,
    SIM_R_VAGUE,
    SIM_R_WATCH_EXACT,
    SIM_R_SEAL_DISCREPANCY,
    SIM_R_NIGHT_GATE,
    SIM_R_NOISE,
    SIM_RULES
};

/* Names (as they appear in the configuration and in truth.json). */
extern const char *const vg__sim_region_names[SIM_REGIONS];
extern const char *const vg__sim_pattern_names[SIM_PATTERNS];
extern const char *const vg__sim_indicator_names[SIM_INDICATORS];
extern const char *const vg__sim_confounder_names[SIM_CONFOUNDERS];
extern const char *const vg__sim_concealment_names[SIM_CONCEALMENTS];
extern const char *const vg__sim_method_names[SIM_METHODS];
extern const char *const vg__sim_fault_names[SIM_FAULTS];
extern const char *const vg__sim_rule_names[SIM_RULES];

struct sim_city {
    const char *name, *postcode, *street;
};

struct sim_country {
    char code[3];
    int region;
    uint32_t nports;
    char (*ports)[6];
    struct sim_choice port_pick;
    uint32_t nforms;
    const char **forms;
    uint32_t ncities;
    struct sim_city *cities;
};

struct sim_lane {
    uint32_t n;
    struct sim_pos *pt;
};

struct sim_terminal {
    char code[8];
    const char *name;
    char sender[24];
    double share;
};

struct sim_port {
    char locode[6];
    const char *name;
    bool river;
    uint32_t nterm;
    struct sim_terminal *term;
    struct sim_choice term_pick;
    char depot_code[8];
    const char *depot_name;
    char depot_sender[24];
    struct sim_pos berth, anchorage, pilot;
    struct sim_lane lanes[SIM_LANES];
    double night_share, weekend_factor;
    double dwell[3][2]; /* reefer, dry, empty: median days, log sigma */
    double anchor_wait[2];
    int fishing_boats, launches, river_craft;
    double other_calls_per_week;
    struct vg_zone zone;
};

struct sim_flag {
    char code[3];
    uint32_t nmid;
    uint16_t *mids;
    uint32_t ncs;
    char (*cs)[3];
};

struct sim_carrier {
    char scac[5];
    const char *name;
    char agent[24];
    uint32_t nprefix;
    char (*prefix)[5];
    char bl_prefix[5];
    char seal_prefix[8];
    const char *vessel_prefix, *vessel_suffix;
    uint32_t nnames;
    const char **names;
    uint32_t *flags; /* indices into cfg->flag */
    struct sim_choice flag_pick;
    bool river;
};

struct sim_rot {
    char port[6];
    double day;
    int peru; /* index into cfg->port, or -1 */
    double exports, empties, berth_h;
};

struct sim_service {
    char code[6];
    const char *name;
    uint32_t ncar;
    uint32_t *car;
    struct sim_choice car_pick;
    double freq, speed;
    unsigned regions; /* 1u << enum sim_region */
    bool river;
    uint32_t nhub;
    char (*hub)[6];
    uint32_t nrot;
    struct sim_rot *rot;
};

struct sim_equipment {
    char code[5];
    double tare, max_gross;
    bool reefer;
    int kind; /* 0 reefer, 1 dry (index into sim_port.dwell) */
};

struct sim_commodity {
    char code[16];
    const char *desc, *vague;
    char hs[11];
    uint32_t sector;
    uint32_t neq;
    uint32_t *eq;
    struct sim_choice eq_pick;
    char pkg[3];
    double kg_pkg[2], pkgs[2], value[2];
    double season[12];
    double *port_w;   /* per cfg->port */
    double *dest_w;   /* per cfg->country */
    double weight;
    int exporters;
    bool high_risk;
    int bl_min, bl_max;
    double shipper_seal, phyto_seal;
    bool reefer;      /* the usual equipment is a reefer */
};

struct sim_pattern_cfg {
    bool present;
    double rate;                      /* per 1000 full containers (per departure: at sea) */
    double region_w[SIM_REGIONS];
    double ind_p[SIM_INDICATORS];     /* 0: not an indicator of this pattern */
    double kg[2];
    double conc_w[SIM_CONCEALMENTS];
    struct sim_choice conc_pick;
    /* front_company */
    double test_shipments;
    int loaded_min, loaded_max;
    struct sim_choice cover_pick;
    uint32_t *cover;
    /* watchlist_party */
    double role_w[3]; /* exporter, consignee, forwarder */
    double variant_share;
    /* unusual_transhipment */
    uint32_t nhub;
    char (*hub)[6];
    struct sim_choice hub_pick;
    /* at_sea_transfer */
    double *port_w;
    double meet_nm[2], loiter_h[2];
    int crew_min, crew_max;
};

struct sim_names {
    uint32_t nsector;
    const char **sector_name;
    uint32_t *ntempl;
    const char ***templ;
    uint32_t sector_trade, sector_other;
    uint32_t nwords, nwords2, nforeign, nstreets, ncities, nspecial, nfw, nbroker, ngiven,
        nsurname;
    const char **words, **words2, **foreign, **streets, **special, **fw, **broker, **given,
        **surname;
    struct sim_city *cities;
};

struct sim_config {
    struct vg_arena arena;
    const char *name, *title;
    char digest[80];
    int start_y, start_m, start_d;
    double history_share;

    uint32_t nplace;
    struct {
        char locode[6];
        struct sim_pos pos;
    } *place;
    uint32_t ncountry;
    struct sim_country *country;
    uint32_t nport;
    struct sim_port *port;
    uint32_t nflag;
    struct sim_flag *flag;
    uint32_t ncarrier;
    struct sim_carrier *carrier;
    uint32_t nlessor;
    char (*lessor)[5];
    struct sim_choice lessor_pick;
    double lessor_share;
    uint32_t nservice;
    struct sim_service *service;
    uint32_t nequip;
    struct sim_equipment *equip;
    uint32_t ncommodity;
    struct sim_commodity *commodity;

    struct sim_names names;
    int forwarders, brokers, cons_per_exporter[2];
    double house_bl_share, prepaid_share, notify_share;

    struct sim_pattern_cfg pattern[SIM_PATTERNS];
    double conf_rate[SIM_CONFOUNDERS];

    struct {
        double share, random_share;
        double rule[SIM_RULES];
        struct sim_choice method_pick;
        double detect[SIM_METHODS];
        double conc_factor[SIM_CONCEALMENTS];
        double other_rate;
        uint32_t nother;
        const char **other;
        struct sim_choice other_pick;
        double dest_find[SIM_REGIONS];
        double transit_find, vessel_find;
        double delay[2];
    } insp;

    int fault_count[SIM_FAULTS];
    uint32_t nunknown;
    char (*unknown)[6];

    struct {
        double coastal[2], anchor, berth, sea, fishing;
        double coastal_nm, hours_out, hours_in, static_s, jitter_m;
    } ais;

    struct {
        double class_b, trip_share, nm[2], hours[2], dep_hours[2];
        double launch_share, river_share, river_kn[2], river_days[2];
        uint32_t nnames, nriver;
        const char **names, **river_names;
    } craft;

    struct {
        uint32_t nnames;
        const char **names;
        double type_w[3];
        struct sim_choice type_pick;
        uint32_t *flags;
        struct sim_choice flag_pick;
        double anchor_wait[2], berth_h[2];
    } other;

    struct {
        int listed_min, listed_max, decoys, vessel_decoys, container_decoys, seal_decoys;
        double list_vessel_case;
        uint32_t nsources, nnotes;
        const char **sources, **notes;
        struct sim_choice source_pick;
    } watch;
};

/* Parses and validates a configuration (the built-in one when data is NULL). On success
 * *out is a new config (free with vg__sim_config_free). err names the JSON position or
 * the key path. */
enum vg_status vg__sim_config_load(const char *data, size_t len, const char *source,
                                   struct sim_config **out, struct vg_error *err);
void vg__sim_config_free(struct sim_config *cfg);
int vg__sim_country_index(const struct sim_config *cfg, const char *code);
int vg__sim_port_index(const struct sim_config *cfg, const char *locode);
/* The position of a port: built-in table, then the config's places. */
bool vg__sim_port_pos(const struct sim_config *cfg, const char *locode, struct sim_pos *out);

/* ---- the world (world.c) ------------------------------------------------------------- */

enum sim_role { SIM_ROLE_EXPORTER, SIM_ROLE_CONSIGNEE, SIM_ROLE_FORWARDER, SIM_ROLE_BROKER,
                SIM_ROLE_NOTIFY };

enum sim_party_flags {
    SIM_PARTY_FRONT = 1u << 0,
    SIM_PARTY_LISTED = 1u << 1,
    SIM_PARTY_NEWCOMER = 1u << 2,
    SIM_PARTY_TRADER = 1u << 3,
    SIM_PARTY_INCONSISTENT = 1u << 4, /* its name says another business */
    SIM_PARTY_PERSON = 1u << 5,
};

struct sim_party {
    const char *name; /* UTF-8, as the party writes it */
    const char *street, *city, *postcode;
    char country[3];
    char ruc[12];     /* "" abroad */
    uint8_t role;
    uint8_t flags;
    uint32_t sector;
    int32_t since_day;     /* first day of trading, relative to the world start */
    uint32_t commodity;    /* exporters: main product */
    uint32_t ncons;        /* exporters: usual consignees */
    uint32_t *cons;
    uint32_t broker, forwarder;
    double prepaid;
    double size;
    uint32_t shipments;    /* full trips shipped so far in the world */
    uint32_t loaded;       /* front companies: cases so far */
    int32_t last_day;      /* day of the latest shipment */
    uint32_t listed;       /* 1 + index into world.listed, 0 when not listed */
};

enum sim_vessel_kind { SIM_V_CONTAINER, SIM_V_BULK, SIM_V_TANKER, SIM_V_GENERAL, SIM_V_FISHING,
                       SIM_V_LAUNCH, SIM_V_RIVER, SIM_V_BARGE };

struct sim_vessel {
    char name[32];
    char call_sign[8];
    char flag[3];
    uint32_t imo;  /* 0: none (small craft) */
    uint32_t mmsi;
    uint8_t kind;
    uint8_t ship_type; /* AIS ship and cargo type */
    bool class_b;
    uint16_t length, beam;
    double draught;
    uint32_t carrier; /* SIM_NONE for non-carrier vessels */
    uint32_t home;    /* small craft: home port index */
};

struct sim_listed {
    uint32_t party;        /* index into world.party */
    const char *listed_name;
    const char *aliases[3];
    uint32_t naliases;
    const char *variants[3]; /* spellings the party uses in the feeds */
    uint32_t nvariants;
    const char *source, *note;
    bool with_id;
    bool used_in_case;
};

/* A watch-list entry that is not a party: a vessel, a container, a seal, or a decoy. */
struct sim_wl_extra {
    const char *name;
    const char *type;
    char country[3];
    const char *source, *note, *identifier;
    const char *resembles; /* decoys: the innocent name it is close to */
    bool truth;            /* a true entry (involved in a case), else a decoy */
};

struct sim_world {
    const struct sim_config *cfg;
    struct vg_arena arena;
    uint64_t seed;
    int days;
    double scale;
    int copies;     /* integer copies of every service */
    double factor;  /* volume factor per copy */
    int64_t t0;     /* world start: local midnight of the first day, UTC seconds */
    int64_t t_end;  /* t0 + days */
    int64_t t_split;
    int history_days;

    uint32_t nparty, party_cap;
    struct sim_party *party;
    uint32_t **exporters;          /* per commodity */
    uint32_t *nexporters;
    struct sim_choice *exporter_pick;
    uint32_t **cons_pool;          /* per country: consignees */
    uint32_t *ncons_pool;
    uint32_t *forwarder, nforwarder;
    uint32_t *broker, nbroker;
    uint32_t *front, nfront, front_cap; /* front companies */
    uint32_t nlisted;
    struct sim_listed *listed;
    uint32_t nextra, extra_cap;
    struct sim_wl_extra *extra;

    uint32_t nvessel, vessel_cap;
    struct sim_vessel *vessel;
    uint32_t *craft_by_port_start, *craft_by_port_n; /* fishing/launch/river per port */
    uint32_t *craft;
    uint32_t ncraft;

    struct vg_map names_used;      /* party and vessel names, to keep them unique */
    uint32_t imo_next;
    uint32_t *mmsi_next;            /* per MID, indexed mid - 200 */
    uint32_t *serial_next;          /* container serial counters per owner prefix */
    struct vg_map prefix_index;
    uint32_t ruc_next_old, ruc_next_new, bl_seq;
};

/* Builds the static world (parties, vessel pools are created lazily by the schedule). */
enum vg_status vg__sim_world_build(struct sim_world *w, const struct sim_config *cfg,
                                   uint64_t seed, int days, double scale, int64_t t0,
                                   double history_share, struct vg_error *err);
void vg__sim_world_release(struct sim_world *w);

/* New vessels (unique names, IMO, MMSI, call sign). Return SIM_NONE on OOM. */
uint32_t vg__sim_vessel_new(struct sim_world *w, struct sim_rng *r, uint8_t kind,
                            uint32_t carrier, uint32_t flag, const char *name_hint,
                            bool with_imo);
/* A new container number with the given owner prefix (unique until a million boxes per
 * prefix have been used). out gets 11 characters and a NUL. */
void vg__sim_container_number(struct sim_world *w, const char *prefix, char out[12]);
/* A valid RUC: company (20...) registered recently or long ago. */
void vg__sim_ruc(struct sim_world *w, struct sim_rng *r, bool recent, bool person,
                 char out[12]);
/* Adds a party (copied), returns its index or SIM_NONE on OOM. */
uint32_t vg__sim_party_add(struct sim_world *w, const struct sim_party *p);
/* Makes a company name from sector templates, unique in the world (arena memory). */
const char *vg__sim_company_name(struct sim_world *w, struct sim_rng *r, uint32_t sector);
const char *vg__sim_foreign_name(struct sim_world *w, struct sim_rng *r, uint32_t country);
/* A spelling variant of name (accents dropped, legal form changed, a typo...). */
const char *vg__sim_name_variant(struct sim_world *w, struct sim_rng *r, const char *name,
                                 int kind);
/* A name close to name but of another company (watch-list decoys), unique. */
const char *vg__sim_decoy_name(struct sim_world *w, struct sim_rng *r, const char *name,
                               const char *country);
/* Builds a front company on first use (index into world.party). */
uint32_t vg__sim_front_company(struct sim_world *w, struct sim_rng *r, int day,
                               uint32_t commodity);
/* IMO check digit for the first six digits of n (n is the 7-digit number / 10). */
int vg__sim_imo_check(uint32_t six);

/* ---- schedule (schedule.c) ----------------------------------------------------------- */

enum sim_vevent_kind { SIM_VE_NONE, SIM_VE_TRANSFER, SIM_VE_SLOW_NIGHT, SIM_VE_INNOCENT_ENC };

struct sim_vevent {
    uint8_t kind;
    bool loiter;          /* the ship slows below 2 kn (else keeps 3-5 kn) */
    bool craft_visible;   /* the small craft transmits during the meeting */
    bool craft_present;   /* a small craft comes alongside */
    uint32_t craft;       /* vessel index of the small craft, SIM_NONE when dark */
    double meet_nm;       /* along the outbound lane from the pilot station */
    int64_t t_meet, t_end;/* loiter window */
    int64_t gap0, gap1;   /* the ship's AIS gap (0: none) */
    struct sim_pos pos;
    double approach_kn;   /* speed from the pilot station to the meeting point */
    uint32_t ind;         /* indicators shown */
    double kg;
    uint32_t case_id;
    uint32_t crew[4];     /* trips (indices in the call) the crew put bags into */
    uint32_t ncrew;
    bool found;           /* found at destination */
    int64_t t_found;
    char found_port[6];
    char found_container[12];
};

struct sim_call {
    uint32_t id;
    uint32_t service, copy, voyage_no, rot;
    uint32_t port, terminal, vessel, carrier;
    char voyage[12];
    char prev_port[6], next_port[6];
    int64_t eta, berth, etd; /* arrival at the anchorage, alongside, departure */
    bool container;          /* a container service call (else AIS only) */
    uint8_t lane_in, lane_out;
    uint32_t conf;           /* vessel confounders (bits of enum sim_confounder) */
    int64_t gap0, gap1;      /* innocent AIS gap */
    int64_t bunker0, bunker1;
    uint32_t bunker_barge;
    struct sim_vevent ev;
    uint32_t trips;          /* filled by trips.c */
    double mean_full, mean_empty;
};

struct sim_schedule {
    uint32_t ncall, cap;
    struct sim_call *call;
    uint32_t *order;         /* container calls in departure order */
    uint32_t norder;
};

enum vg_status vg__sim_schedule_build(struct sim_world *w, struct sim_schedule *s,
                                      struct vg_error *err);
void vg__sim_schedule_release(struct sim_schedule *s);
/* The point d nm along a port's lane, from its pilot station. */
struct sim_pos vg__sim_lane_point(const struct sim_port *p, int lane, double d);
/* The lane of a port towards (or from) another port. */
int vg__sim_lane_for(const struct sim_config *cfg, const struct sim_port *p, const char *other);

/* ---- output (out.c) ------------------------------------------------------------------ */

/* One output file being written: a stdio stream with a large buffer, its byte count. */
struct sim_file {
    FILE *fp;
    char *iobuf;
    char path[600];
    char rel[160];   /* path relative to the output directory */
    uint64_t bytes;
};

struct sim_out {
    char dir[400];
    uint64_t files, bytes;
};

enum vg_status vg__sim_out_prepare(struct sim_out *o, const char *dir, bool overwrite,
                                   struct vg_error *err);
enum vg_status vg__sim_file_open(struct sim_out *o, struct sim_file *f, const char *rel,
                                 struct vg_error *err);
enum vg_status vg__sim_file_write(struct sim_file *f, const void *data, size_t len,
                                  struct vg_error *err);
enum vg_status vg__sim_file_close(struct sim_out *o, struct sim_file *f, struct vg_error *err);
/* Closes a file and cuts it to keep bytes (the planted truncated message). */
enum vg_status vg__sim_file_close_truncated(struct sim_out *o, struct sim_file *f,
                                            uint64_t keep, struct vg_error *err);

/* ---- EDIFACT syntax (edi.c) ---------------------------------------------------------- */

/* A message body under construction (between UNH and UNT): segments are appended to buf;
 * the first failure sticks in st and later appends do nothing. */
struct sim_edi {
    struct vg_buf buf;
    uint32_t nseg;    /* segments in the body */
    enum vg_status st;
};

void vg__sim_edi_init(struct sim_edi *e);
void vg__sim_edi_release(struct sim_edi *e);
void vg__sim_edi_reset(struct sim_edi *e);
/* Starts a segment with its tag. */
void vg__sim_edi_seg(struct sim_edi *e, const char *tag);
/* Appends a data element ('+' then the text, UTF-8 converted to ISO 8859-1 and escaped). */
void vg__sim_edi_el(struct sim_edi *e, const char *text);
/* Appends a component (':' then the text). */
void vg__sim_edi_co(struct sim_edi *e, const char *text);
/* Appends sep ('+', ':', or nothing when '\0') and a code of ours as it is (ASCII, no
 * service characters). */
void vg__sim_edi_raw(struct sim_edi *e, char sep, const char *code);
/* Appends sep (none when '\0') and v in decimal, zero-padded to width digits. */
void vg__sim_edi_num(struct sim_edi *e, char sep, uint64_t v, int width);
/* Appends sep and v with two decimals (v >= 0). */
void vg__sim_edi_dec2(struct sim_edi *e, char sep, double v);
/* Ends the segment ("'" and a line break) and counts it. */
void vg__sim_edi_end(struct sim_edi *e);
/* Appends text converted to ISO 8859-1 with the release character before ' + : ?. */
void vg__sim_edi_text(struct sim_edi *e, const char *text);
/* Formats t in the port's local time as CCYYMMDDHHMM (DTM format 203). */
void vg__sim_edi_dtm203(int64_t t, const struct vg_zone *zone, char out[13]);

/* An interchange file: UNA, UNB ... UNZ around the messages written to it. */
struct sim_interchange {
    struct sim_file file;
    bool open;
    char sender[24], recipient[24];
    char ref[16];
    uint32_t nmsg;
    uint64_t last_msg_at; /* byte offset where the last message started */
    uint32_t last_msg_ref;
    char last_desc[64];   /* what the last message reported (for the truncation fault) */
    int truncate;         /* 1: cut inside the last message when closing */
};

enum vg_status vg__sim_ix_open(struct sim_out *o, struct sim_interchange *ix, const char *rel,
                               const char *sender, const char *recipient, int64_t prepared,
                               const struct vg_zone *zone, uint64_t ref,
                               struct vg_error *err);
/* Writes a message: UNH with ref and type, the segments of e, UNT (count + count_delta). */
enum vg_status vg__sim_ix_message(struct sim_interchange *ix, const char *type_id,
                                  struct sim_edi *e, int count_delta, struct vg_error *err);
enum vg_status vg__sim_ix_close(struct sim_out *o, struct sim_interchange *ix,
                                struct vg_error *err);

/* ---- AIS (nmea.c) -------------------------------------------------------------------- */

struct sim_bits {
    uint8_t b[64]; /* up to 512 bits */
    unsigned n;
};

void vg__sim_bits_put(struct sim_bits *bits, unsigned width, uint64_t value);
void vg__sim_bits_text(struct sim_bits *bits, unsigned chars, const char *text);
/* Armors bits into 6-bit ASCII; returns the fill bits. out must hold n/6 + 2 bytes. */
unsigned vg__sim_armor(const struct sim_bits *bits, char *out);
/* XOR checksum of s[0..len). */
unsigned vg__sim_nmea_checksum(const char *s, size_t len);

struct sim_ais_pos {
    uint32_t mmsi;
    double lat, lon, sog, cog;
    int heading;  /* 511 unknown */
    int nav;      /* navigational status (class A) */
    int second;   /* UTC second of the report */
    int type;     /* 1 or 3 (class A), 18 (class B) */
};

struct sim_ais_static {
    uint32_t mmsi, imo;
    const char *call_sign, *name, *destination;
    int ship_type;
    int bow, stern, port, starboard;
    double draught;
    int eta_month, eta_day, eta_hour, eta_minute;
};

/* Writes the sentences of one message into out (each "\c:T*hh\!AIVDM...*hh\n"); returns
 * the number of sentences. bad_checksum writes a wrong sentence checksum (a planted
 * fault). out must hold 512 bytes. */
int vg__sim_ais_position(const struct sim_ais_pos *p, int64_t t, char channel, bool bad_checksum,
                         char *out, size_t *len);
int vg__sim_ais_static5(const struct sim_ais_static *s, int64_t t, char channel, int seq,
                        char *out, size_t *len);
int vg__sim_ais_static24(const struct sim_ais_static *s, int64_t t, char channel, char *out,
                         size_t *len);

/* ---- generation state shared by trips.c, feeds.c, truth.c ---------------------------- */

#define SIM_SEALS 4

struct sim_seal {
    char num[16];
    char party[3];
};

enum sim_result { SIM_R_NEGATIVE, SIM_R_DRUGS, SIM_R_OTHER };
enum sim_selection { SIM_SEL_TARGETED, SIM_SEL_RANDOM, SIM_SEL_PARTNER };

struct sim_trip {
    uint32_t cons;       /* consignment index in the call */
    char container[12];
    char type[5];        /* as the terminal reports it */
    char type_manifest[5];
    bool full, reefer;
    uint32_t equip;
    uint32_t packages;
    double net_kg, cargo_kg;           /* goods net and gross */
    double gross_manifest, gross_gate; /* container gross: manifest and verified at the gate */
    /* Up to four seals per stage: carrier, shipper, quarantine and a customs reseal. */
    struct sim_seal seal_m[SIM_SEALS], seal_g[SIM_SEALS], seal_l[SIM_SEALS];
    uint8_t nseal_m, nseal_g, nseal_l;
    int64_t t_pick, t_gate, t_out, t_back, t_load, t_insp, t_transfer;
    char truck[8], truck_back[8];
    char booking[12];
    char cell[8];
    uint32_t transfer_terminal; /* terminal-transfer confounder: index or SIM_NONE (depot) */
    uint32_t rolled_from; /* rollover confounder: the call it missed, or SIM_NONE */
    uint8_t pattern;
    uint32_t ind, conf;
    uint8_t conc;
    double kg;
    char related[12];  /* clones: the number of the original box */
    uint32_t related_port, related_terminal; /* where the original was at the time */
    uint32_t case_id;  /* 0: none */
    uint32_t want;     /* indicators the case was made to show */
    bool inspected, detected, loaded;
    uint8_t method, selection, result;
    const char *other_finding;
    uint8_t found_at;  /* 0 not found abroad, 1 + (0 origin, 1 transit, 2 destination) */
    int64_t t_found;
    char found_port[6];
    uint32_t faults;   /* bits of enum sim_fault that hit this trip's messages */
    bool feed_missing; /* one of its gate messages was in a missing feed */
};

struct sim_consignment {
    char bl[24];
    char master[24];
    bool house;
    uint32_t carrier;
    uint32_t shipper, consignee, notify, forwarder, broker;
    const char *shipper_name, *consignee_name, *forwarder_name; /* as written (variants) */
    uint32_t commodity;
    bool vague, prepaid, empty, carrier_consignee, late;
    char pod[6], delivery[6];
    char hub[2][6];
    uint8_t nhub;
    int country;       /* consignee country index */
    int64_t t_file;
    uint32_t first, ntrips;
    double value_usd;
    uint8_t special;   /* the consignment-level pattern, SIM_P_NONE */
    uint32_t listed;   /* 1 + listed index when a listed party appears in it */
    bool listed_exact;
    uint32_t conf_bits; /* consignment-level confounders */
    double pack_factor; /* another carton size (alternate packing), 0: the usual one */
    const char *consignee_street; /* the consignee's address as written, when not its own */
    double net_total;
    int64_t latest_gate;
};

/* An outcome row (outcomes.csv). */
struct sim_outcome {
    int64_t at;
    char container[12];
    char bl[24];
    char port[6], destination[6];
    uint8_t result, method, selection, conc, found_at; /* found_at: 0 origin 1 transit 2 dest */
    uint8_t seal_state; /* 0 intact 1 replaced 2 broken */
    double kg;
    const char *other;
};

/* Collected records for truth.json (text fragments) and outcomes.csv. */
struct sim_records {
    struct vg_buf cases;        /* JSON objects, comma-separated */
    struct vg_buf confounders;
    struct vg_buf faults;
    uint32_t ncases, nconf, nfaults;
    uint32_t case_seq, vcase_seq;
    uint64_t by_pattern[SIM_PATTERNS];
    uint64_t conf_count[SIM_CONFOUNDERS];
    uint64_t ind_innocent[SIM_INDICATORS]; /* innocent full trips showing each indicator */
    uint64_t innocent_full;
    struct sim_outcome *outcome;
    uint32_t noutcome, outcome_cap;
    uint64_t inspections, inspections_history, seized;
};

/* Per-run generation context. */
struct sim_gen {
    struct sim_world *w;
    struct sim_schedule *s;
    struct sim_out out;
    struct sim_records rec;
    struct vg_sim_report *rep;
    /* EDIFACT interchanges open for the current departure day */
    int64_t day;                /* day index of the open interchanges */
    uint32_t nix, ix_cap;
    struct sim_interchange *ix;
    char (*ix_key)[64];
    uint64_t *ix_hash;
    uint64_t ix_ref;
    struct sim_edi edi;
    /* per call scratch */
    struct sim_trip *trip;
    uint32_t ntrip, trip_cap;
    struct sim_consignment *cons;
    uint32_t ncons, cons_cap;
    /* clone victims: recent full trips */
    struct {
        char container[12];
        char type[5];
        uint32_t port, terminal;
        int64_t t_gate, t_load;
    } ring[512];
    uint32_t ring_n, ring_head;
    uint32_t seal_seq, booking_seq, doc_seq, ais_seq;
    double *scratch;            /* per-commodity weights of the current call */
    struct vg_arena scratch_arena;
    uint32_t *order;            /* trips of the current call grouped by consignment */
    /* planted faults: the calls (order index) that carry them; NMEA: day and sentence */
    uint32_t cur_order;
    uint32_t fault_call[SIM_FAULTS][8];
    int fault_n[SIM_FAULTS];
    int nmea_fault_day[8];
    uint32_t nmea_fault_at[8];
    /* missing feeds: (port, terminal, local day) whose gate messages are not written */
    uint32_t miss_port[8], miss_term[8];
    int miss_day[8];
    uint32_t miss_count[8];
};

enum vg_status vg__sim_records_init(struct sim_records *r);
void vg__sim_records_release(struct sim_records *r);
enum vg_status vg__sim_trips_for_call(struct sim_gen *g, uint32_t call, struct vg_error *err);
enum vg_status vg__sim_feeds_for_call(struct sim_gen *g, uint32_t call, struct vg_error *err);
enum vg_status vg__sim_feeds_close_day(struct sim_gen *g, struct vg_error *err);
enum vg_status vg__sim_tracks_write(struct sim_gen *g, struct vg_error *err);
/* Records the cases and confounders of the call just generated (truth.json). */
enum vg_status vg__sim_record_call(struct sim_gen *g, uint32_t call);
enum vg_status vg__sim_record_other_calls(struct sim_gen *g);
/* Adds the watch list's vessel entries and decoys (after the feeds). */
enum vg_status vg__sim_watchlist_extras(struct sim_gen *g);
enum vg_status vg__sim_truth_write(struct sim_gen *g, struct vg_error *err);
enum vg_status vg__sim_outcomes_write(struct sim_gen *g, struct vg_error *err);
enum vg_status vg__sim_watchlist_write(struct sim_gen *g, struct vg_error *err);
/* Adds a fault record to truth.json. */
enum vg_status vg__sim_fault_record(struct sim_gen *g, enum sim_fault kind, const char *file,
                                    const char *message, const char *value, const char *detail);
/* JSON helpers for the truth fragments. */
void vg__sim_json_str(struct vg_buf *b, enum vg_status *st, const char *s);
void vg__sim_json_time(struct vg_buf *b, enum vg_status *st, int64_t t);

#endif
