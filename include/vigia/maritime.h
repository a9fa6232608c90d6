/*
 * vigia/maritime.h - vessel behaviour from AIS: port visits, AIS gaps, encounters and
 * loitering, with thresholds as configuration.
 *
 * Defaults follow Global Fishing Watch's published methods (ANCHORS.md section 5.1:
 * gaps >= 12 h starting and ending > 50 nm from shore; encounters within 500 m, < 2 kn,
 * >= 2 h, >= 10 km from anchorages; loitering < 2 kn for >= 4 h, >= 20 nm from shore;
 * port entry 3 km / exit 4 km, stop < 0.2 kn / restart > 0.5 kn). Variants for drug work
 * off Peru (ANCHORS.md 5.2, 5.3) are on by default and can be turned off:
 *   - near-shore gaps: a class A vessel silent >= 2 h within 30 nm of the coast, where
 *     coverage is good (Windward's emphasis);
 *   - short meetings: a ship with a small craft (class B, fishing, unknown) within 500 m,
 *     both slow, for >= 15 min, away from port — the drop-off pattern, not GFW's 2 h
 *     fishing transhipments;
 *   - near-coast loitering of merchant ships at night (>= 1 h, 3-50 nm from shore);
 *   - suppression where slow is normal: port anchorages, pilot areas, and river transit
 *     (the Amazon around Iquitos).
 *
 * The detector works on positions in memory, grouped by vessel and ordered by time; it
 * never compares all pairs of vessels (encounter candidates come from a space-time grid).
 */
#ifndef VIGIA_MARITIME_H
#define VIGIA_MARITIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vigia/rows.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One AIS position report, decoded and scaled. */
struct vg_position {
    uint32_t mmsi;
    int64_t t;       /* receive or report time, UTC seconds */
    double lat, lon; /* degrees */
    float sog;       /* knots; NAN when not available */
    float cog;       /* degrees; NAN when not available */
    int16_t heading; /* degrees, -1 when not available */
    uint8_t status;  /* navigation status (ITU-R M.1371), 15 when not defined */
    char cls;        /* 'A' or 'B' (transceiver class), 0 unknown */
};

/* What kind of vessel an MMSI is, for the encounter rules (from AIS static data). */
enum vg_vessel_class {
    VG_VESSEL_UNKNOWN = 0,
    VG_VESSEL_MERCHANT,  /* cargo, tanker, passenger (ship types 60-89) */
    VG_VESSEL_FISHING,   /* ship type 30 */
    VG_VESSEL_SMALL,     /* class B without a known type, pleasure, sailing, diving */
    VG_VESSEL_SERVICE,   /* pilot, tug, towing, port tender, anti-pollution (31, 32, 50, 52-54) */
    VG_VESSEL_AUTHORITY, /* search and rescue, law enforcement, military, medical (35, 51,
                            55, 58): their meetings with ships are their job */
};

/* The class of an AIS ship type (message 5 / 24B), VG_VESSEL_UNKNOWN for 0 and others. */
enum vg_vessel_class vg_vessel_class_of_ship_type(int ship_type);

struct vg_maritime_params {
    /* Port visits (around port positions). */
    double port_entry_km;   /* 3 (GFW, around anchorage points); vigia uses port
                               centres, so its default is wider: 8 */
    double port_exit_km;    /* 10 */
    double port_stop_kn;    /* 0.2 */
    double port_restart_kn; /* 0.5 */
    double port_min_hours;  /* 3 (GFW carrier portal minimum visit) */
    /* AIS gaps. */
    double gap_hours;           /* 12 */
    double gap_offshore_nm;     /* 50: both ends beyond this from shore */
    bool nearshore_gaps;        /* Peru variant on */
    double nearshore_gap_hours; /* 2 */
    double nearshore_nm;        /* 30 */
    /* Encounters. */
    double encounter_max_m;       /* 500 */
    double encounter_max_kn;      /* 2 */
    double encounter_min_hours;   /* 2 (GFW) */
    double encounter_min_port_km; /* 10 */
    bool short_meetings;          /* Peru variant on */
    double meeting_min_minutes;   /* 15 */
    double meeting_max_kn;        /* 3: drop-offs happen at slow speed, not always at rest */
    /* Loitering. */
    double loiter_max_kn;           /* 2 */
    double loiter_min_hours;        /* 4 */
    double loiter_min_shore_nm;     /* 20 */
    bool nearshore_loitering;       /* Peru variant on */
    double nearshore_loiter_hours;  /* 1 */
    double nearshore_loiter_min_nm; /* 3 */
    double nearshore_loiter_max_nm; /* 50 */
    /* Suppression. */
    double anchorage_km;    /* 15: slow within this of a port centre is waiting */
    double pilot_area_km;   /* 30: a ship meeting a pilot boat or tug within this
                               of a port is being piloted or towed, not met */
    bool river_suppression; /* on: no encounters/loitering on the Amazon */
};

/* The defaults above. */
void vg_maritime_params_default(struct vg_maritime_params *p);

/* Sets one parameter by name ("gap_hours", "nearshore_gaps", ...) from text. VG_EINVAL
 * with err naming the parameter when unknown or not a number/boolean. */
VG_NODISCARD enum vg_status vg_maritime_param_set(struct vg_maritime_params *p,
                                                  const char *name,
                                                  const char *value,
                                                  struct vg_error *err);

/* Lists the parameters and their current values (name, value, meaning). */
void vg_maritime_params_foreach(
    const struct vg_maritime_params *p,
    void (*fn)(void *user, const char *name, const char *value, const char *meaning),
    void *user);

struct vg_maritime_port {
    char locode[6];
    double lat, lon;
    bool river; /* a river port: slow traffic around it is normal */
};

enum vg_vessel_event_kind {
    VG_EVENT_PORT_VISIT,
    VG_EVENT_GAP,
    VG_EVENT_ENCOUNTER,
    VG_EVENT_LOITERING,
};

/* "port_visit", "gap", "encounter", "loitering". */
const char *vg_vessel_event_kind_name(enum vg_vessel_event_kind kind);

struct vg_vessel_event {
    enum vg_vessel_event_kind kind;
    uint32_t mmsi;
    uint32_t other_mmsi; /* encounters: the other vessel; else 0 */
    int64_t start, end;
    double lat, lon;          /* where (start of a gap, mean of an encounter...) */
    char port[6];             /* port visits: the port; else "" */
    double distance_shore_nm; /* from the coast at the event's position */
    double confidence;        /* 0..1 */
    char variant[24];         /* "gfw", "nearshore", "short_meeting", ... */
    char explanation[320];    /* plain language, for the analyst */
};

/* Tells the detector what kind of vessel an MMSI is (may be NULL: all unknown). */
typedef enum vg_vessel_class (*vg_vessel_class_fn)(void *user, uint32_t mmsi);

typedef void (*vg_vessel_event_fn)(void *user, const struct vg_vessel_event *event);

/*
 * Detects events in positions[0..n), which must be sorted by (mmsi, t). ports (may be
 * empty) are the known ports. Calls emit for every event, vessel by vessel, in time order
 * within a vessel (encounters last). Allocates working memory (VG_ENOMEM on failure); the
 * positions are not modified.
 */
VG_NODISCARD enum vg_status vg_maritime_detect(const struct vg_position *positions,
                                               size_t n,
                                               const struct vg_maritime_params *params,
                                               const struct vg_maritime_port *ports,
                                               size_t nports,
                                               vg_vessel_class_fn classify,
                                               void *class_user,
                                               vg_vessel_event_fn emit,
                                               void *emit_user,
                                               struct vg_error *err);

struct vg_store;

/* The thresholds in force for a store: the defaults, overridden by those saved with
 * vg_maritime_params_save. */
VG_NODISCARD enum vg_status
vg_maritime_params_load(struct vg_store *store, struct vg_maritime_params *p, struct vg_error *err);

/* Saves the thresholds (audited; takes effect for the next detection). */
VG_NODISCARD enum vg_status vg_maritime_params_save(struct vg_store *store,
                                                    const struct vg_maritime_params *p,
                                                    struct vg_error *err);

struct vg_maritime_report {
    int64_t positions;   /* positions read */
    int64_t vessels;     /* vessels with positions */
    int64_t events;      /* events found */
    int64_t new_events;  /* of which new or changed (a visit now closed...) */
    int64_t removed;     /* events of the window no longer found (evidence or thresholds
                            changed), deleted */
    int64_t attached;    /* events attached to a port call (voyage) */
    int64_t calls_timed; /* port calls whose arrival/departure AIS completed */
    int64_t linked;      /* AIS static reports newly linked to a vessel (IMO or name) */
};

/*
 * Detects the vessel events that start in [t1, t2] from the stored positions (vigia/
 * track.h; read three days beyond each end for context) with the store's thresholds and
 * ports (the imported World Port Index and vigia's built-in table), and makes
 * vessel_events hold exactly them for that window: new ones are added, changed ones
 * updated in place (same id), ones no longer found deleted. Idempotent. First links AIS static
 * reports to the vessels of the cargo messages (by the IMO broadcast, else by a name only one
 * vessel bears) and gives those vessels their MMSI. Each event is linked to the vessel (by MMSI or
 * that link) and attached to the port call (voyage) it happened on: the vessel's latest departure
 * before it. Port visits also complete the actual arrival and departure of matching port calls. One
 * transaction, audited when anything changed.
 */
VG_NODISCARD enum vg_status vg_maritime_run(struct vg_store *store,
                                            int64_t t1,
                                            int64_t t2,
                                            struct vg_maritime_report *report,
                                            struct vg_error *err);

/* Lists stored vessel events, oldest first: since/until (VG_TIME_NONE for open), port and
 * kind filters (NULL for all). Columns: kind, variant, mmsi, imo, vessel, other_mmsi,
 * other_imo, start, end, hours, lat, lon, shore_nm, port, voyage, confidence, explanation. */
VG_NODISCARD enum vg_status vg_vessel_events_list(struct vg_store *store,
                                                  int64_t since,
                                                  int64_t until,
                                                  const char *port,
                                                  const char *kind,
                                                  const struct vg_row_sink *sink,
                                                  struct vg_error *err);

/* Great-circle distance in kilometres. */
double vg_geo_distance_km(double lat1, double lon1, double lat2, double lon2);

/* Approximate distance from the coast of western South America (Colombia to northern
 * Chile, a hand-drawn coastline good to a few nautical miles) in nautical miles, or a
 * large number far from it. */
double vg_geo_shore_distance_nm(double lat, double lon);

/* True on the Amazon river system around Iquitos (river transit zone). */
bool vg_geo_in_river_zone(double lat, double lon);

/* True between 18:00 and 06:00 local solar-ish time for the longitude (UTC offset
 * lon/15), used for night without a port zone at sea. */
bool vg_geo_is_night_at(int64_t t, double lon);

#ifdef __cplusplus
}
#endif
#endif
