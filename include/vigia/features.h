/*
 * vigia/features.h - the feature catalogue and feature records.
 *
 * A feature is one named, typed fact about a container trip as of a moment ("dwell_hours",
 * "seal_gate_to_load", "transhipment_countries"). The risk engine computes a record of
 * features for every trip; rules (vigia/rules.h) and the model read them. Features use
 * only records whose own event or preparation time is at or before the as-of time.
 *
 * The schema is a caller-supplied table of struct vg_feature_def; vigia's own catalogue is
 * VG_FEATURE_CATALOG below (documented in docs/features.md), with one enum constant per
 * feature (VG_F_DWELL_HOURS...) that is its index in the catalogue and in a record. Names
 * are stable snake_case: rule files refer to them, so a name is never reused for another
 * meaning, and new features are appended.
 *
 * A feature record is an array of struct vg_value indexed like the schema. A value is
 * either of the feature's type or VG_VALUE_UNKNOWN: unknown means the fact could not be
 * established (the feed it depends on is missing for this trip, or the input lacked the
 * field), which is different from "nothing happened". Rules treat unknown with
 * three-valued logic.
 */
#ifndef VIGIA_FEATURES_H
#define VIGIA_FEATURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vigia/slice.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The type of a feature. The numbers equal those of enum vg_value_kind. */
enum vg_feature_type {
    VG_FEATURE_NUMBER = 1, /* a real number (counts, hours, ratios, scores) */
    VG_FEATURE_BOOL = 2,   /* true or false */
    VG_FEATURE_STRING = 3, /* a code or short text (UN/LOCODE, HS code, "same") */
    VG_FEATURE_LIST = 4,   /* a list of codes (transhipment ports, watch lists hit) */
};

/* The feeds a feature depends on (bit flags). When a feed is missing for a trip, the
 * features that depend on it are unknown. */
enum vg_feed {
    VG_FEED_MANIFEST = 1u << 0,    /* cargo report: CUSCAR, manifest CSV/JSON */
    VG_FEED_DECLARATION = 1u << 1, /* customs declaration: declared value, declarant */
    VG_FEED_BOOKING = 1u << 2,     /* booking and shipping instructions (IFTMIN, SEL) */
    VG_FEED_GATE = 1u << 3,        /* terminal gate in/out (CODECO) */
    VG_FEED_TERMINAL = 1u << 4,    /* load, discharge, restow reports (COARRI, COPRAR) */
    VG_FEED_STOWAGE = 1u << 5,     /* bay plans and verified gross mass (BAPLIE, VERMAS) */
    VG_FEED_STATUS = 1u << 6,      /* status events: inspected, resealed (IFTSTA, DCSA) */
    VG_FEED_AIS = 1u << 7,         /* vessel positions and vessel events */
    VG_FEED_WATCHLIST = 1u << 8,   /* watch lists and their screening */
    VG_FEED_OUTCOMES = 1u << 9,    /* inspection outcomes, here and at destination */
    VG_FEED_REGISTRY = 1u << 10,   /* party registry (tax register: RUC, activity) */
    VG_FEED_RELEASE = 1u << 11,    /* import release and pick-up (release codes, hauliers) */
    VG_FEED_AUDIT = 1u << 12,      /* vigia's own access log */
};

/* Number of enum vg_feed bits. */
#define VG_FEED_COUNT 13

/* The lowercase name of one feed bit ("gate"), or "unknown" for anything else. Static. */
const char *vg_feed_name(unsigned feed);

/* One feature of a schema. All strings are static or owned by whoever owns the table. */
struct vg_feature_def {
    const char *name; /* snake_case, unique within the schema */
    enum vg_feature_type type;
    const char *unit;        /* printed after numbers ("hours", "kg"); "" when none */
    unsigned feeds;          /* enum vg_feed bits the value depends on */
    const char *description; /* one sentence: what the value means */
};

/* A schema: features[i] describes value i of every record. */
struct vg_feature_schema {
    const struct vg_feature_def *defs;
    size_t count;
};

/*
 * vigia's feature catalogue: X(ID, name, type, unit, feeds, description). The enum
 * VG_F_<ID> gives each feature's index. docs/features.md explains how each one is computed.
 */
#define VG_FEATURE_CATALOG(X)                                                                      \
 /* Trip and route */                                                                              \
 X(PORT, "port", STRING, "", VG_FEED_MANIFEST,                                                     \
   "UN/LOCODE of the port where the container is loaded (or handled) on this trip")                \
 X(DIRECTION, "direction", STRING, "", VG_FEED_MANIFEST,                                           \
   "export, import or transhipment, as seen from the port of the trip")                            \
 X(CARRIER, "carrier", STRING, "", VG_FEED_MANIFEST,                                               \
   "code of the ocean carrier (SCAC or its EDIFACT party code)")                                   \
 X(PLACE_OF_RECEIPT, "place_of_receipt", STRING, "", VG_FEED_MANIFEST,                             \
   "UN/LOCODE of the place of receipt, where the carrier took charge of the goods")                \
 X(RECEIPT_REGION, "receipt_region", STRING, "", VG_FEED_MANIFEST,                                 \
   "ISO 3166-2 subdivision of the place of receipt or stuffing (PE-HUC)")                          \
 X(DISCHARGE_PORT, "discharge_port", STRING, "", VG_FEED_MANIFEST,                                 \
   "UN/LOCODE of the port of discharge")                                                           \
 X(DESTINATION_COUNTRY, "destination_country", STRING, "", VG_FEED_MANIFEST,                       \
   "ISO 3166 country of the place of delivery (of the port of discharge when absent)")             \
 X(TRANSHIPMENT_PORTS, "transhipment_ports", LIST, "", VG_FEED_MANIFEST,                           \
   "UN/LOCODEs of the transhipment ports on the container's itinerary, before and after")          \
 X(TRANSHIPMENT_COUNTRIES, "transhipment_countries", LIST, "", VG_FEED_MANIFEST,                   \
   "ISO 3166 countries of the transhipment ports")                                                 \
 X(TRANSHIPMENT_COUNT, "transhipment_count", NUMBER, "ports", VG_FEED_MANIFEST,                    \
   "number of transhipment ports on the itinerary")                                                \
 X(ORIGIN_PORT, "origin_port", STRING, "", VG_FEED_MANIFEST,                                       \
   "first port of loading on the container's itinerary (the port itself for exports)")             \
 X(CONSIGNEE_COUNTRY, "consignee_country", STRING, "", VG_FEED_MANIFEST,                           \
   "ISO 3166 country of the consignee's address")                                                  \
 X(CONSIGNEE_COUNTRY_MISMATCH, "consignee_country_mismatch", BOOL, "", VG_FEED_MANIFEST,           \
   "the consignee's country is neither that of the port of discharge nor of delivery")             \
 /* Goods */                                                                                       \
 X(HS_CODE, "hs_code", STRING, "", VG_FEED_MANIFEST,                                               \
   "HS code (6 digits or more) of the main goods item, the one with most gross weight")            \
 X(HS_CODES, "hs_codes", LIST, "", VG_FEED_MANIFEST,                                               \
   "HS codes of every goods item in the container")                                                \
 X(COMMODITY_GROUP, "commodity_group", STRING, "", VG_FEED_MANIFEST,                               \
   "coarse commodity group of the main goods item (fruit, fish, minerals...)")                     \
 X(REEFER, "reefer", BOOL, "", VG_FEED_MANIFEST | VG_FEED_STOWAGE,                                 \
   "the container is a reefer (size-type group R or H, or reefer settings reported)")              \
 X(GOODS_DESCRIPTION_VAGUE, "goods_description_vague", BOOL, "", VG_FEED_MANIFEST,                 \
   "the goods description is generic (FAK, consolidated, general cargo, machinery)")               \
 X(GROSS_KG, "gross_kg", NUMBER, "kg", VG_FEED_MANIFEST,                                           \
   "declared gross weight of the cargo in the container")                                          \
 X(PACKAGES, "packages", NUMBER, "packages", VG_FEED_MANIFEST,                                     \
   "declared number of packages in the container")                                                 \
 X(KG_PER_PACKAGE, "kg_per_package", NUMBER, "kg", VG_FEED_MANIFEST,                               \
   "declared gross weight per package")                                                            \
 X(KG_PER_PACKAGE_Z, "kg_per_package_z", NUMBER, "", VG_FEED_MANIFEST,                             \
   "robust z-score of kg per package against shipments of the same HS heading and package")        \
 X(VALUE_PER_KG, "value_per_kg", NUMBER, "USD/kg", VG_FEED_DECLARATION,                            \
   "declared customs value per kg of gross weight, in US dollars")                                 \
 X(VALUE_PER_KG_RATIO, "value_per_kg_ratio", NUMBER, "", VG_FEED_DECLARATION,                      \
   "value per kg divided by the median for the same HS subheading")                                \
 X(WEIGHT_MISMATCH_PCT, "weight_mismatch_pct", NUMBER, "%", VG_FEED_MANIFEST | VG_FEED_STOWAGE,    \
   "difference between verified gross mass and declared cargo plus tare, in percent")              \
 /* Parties */                                                                                     \
 X(SHIPPER_IS_NEW, "shipper_is_new", BOOL, "", VG_FEED_MANIFEST,                                   \
   "the shipper has no earlier shipment in the store")                                             \
 X(SHIPPER_SHIPMENTS, "shipper_shipments", NUMBER, "shipments", VG_FEED_MANIFEST,                  \
   "number of earlier shipments by the shipper")                                                   \
 X(SHIPPER_DAYS_SINCE_FIRST, "shipper_days_since_first", NUMBER, "days", VG_FEED_MANIFEST,         \
   "days since the shipper's first shipment in the store")                                         \
 X(SHIPPER_NEW_PRODUCT, "shipper_new_product", BOOL, "", VG_FEED_MANIFEST,                         \
   "the shipper never shipped goods of this HS heading before")                                    \
 X(SHIPPER_NEW_DESTINATION, "shipper_new_destination", BOOL, "", VG_FEED_MANIFEST,                 \
   "the shipper never shipped to this destination country before")                                 \
 X(SHIPPER_REGISTERED_DAYS, "shipper_registered_days", NUMBER, "days", VG_FEED_REGISTRY,           \
   "days since the shipper's tax registration (RUC)")                                              \
 X(SHIPPER_ACTIVITY_MISMATCH, "shipper_activity_mismatch", BOOL, "", VG_FEED_REGISTRY,             \
   "the goods do not belong to the shipper's registered economic activity")                        \
 X(SHIPPER_UNKNOWN_BEHIND_NVOCC, "shipper_unknown_behind_nvocc", BOOL, "", VG_FEED_MANIFEST,       \
   "booked by a forwarder or NVOCC and no house bill names the actual shipper")                    \
 X(CONSIGNEE_IS_NEW, "consignee_is_new", BOOL, "", VG_FEED_MANIFEST,                               \
   "the consignee has no earlier shipment in the store")                                           \
 X(CONSIGNEE_SHIPMENTS, "consignee_shipments", NUMBER, "shipments", VG_FEED_MANIFEST,              \
   "number of earlier shipments to the consignee")                                                 \
 X(CONSIGNEE_DAYS_SINCE_FIRST, "consignee_days_since_first", NUMBER, "days", VG_FEED_MANIFEST,     \
   "days since the consignee's first shipment in the store")                                       \
 X(CONSIGNEE_NEW_PRODUCT, "consignee_new_product", BOOL, "", VG_FEED_MANIFEST,                     \
   "the consignee never received goods of this HS heading before")                                 \
 X(CONSIGNEE_NEW_CONTACT, "consignee_new_contact", BOOL, "", VG_FEED_MANIFEST,                     \
   "a known consignee appears with an address, phone or e-mail never seen before")                 \
 X(CONSIGNEE_IS_CARRIER, "consignee_is_carrier", BOOL, "", VG_FEED_MANIFEST,                       \
   "the consignee is a carrier or its agent rather than a trader")                                 \
 X(FREIGHT_PREPAID, "freight_prepaid", BOOL, "", VG_FEED_MANIFEST,                                 \
   "the freight is declared prepaid")                                                              \
 X(DELIVERY_REDIRECTED, "delivery_redirected", BOOL, "", VG_FEED_MANIFEST,                         \
   "an amendment changed the place of delivery or the consignee after the first filing")           \
 X(FORWARDER_PRIOR_POSITIVES, "forwarder_prior_positives", NUMBER, "outcomes",                     \
   VG_FEED_MANIFEST | VG_FEED_OUTCOMES,                                                            \
   "positive outcomes on earlier trips handled by the same forwarder, NVOCC or broker")            \
 /* Links to earlier seizures */                                                                   \
 X(PRIOR_SEIZURE_PARTY, "prior_seizure_party", BOOL, "", VG_FEED_OUTCOMES,                         \
   "the shipper, consignee or notify party was a party to an earlier positive outcome")            \
 X(PRIOR_SEIZURE_ADDRESS, "prior_seizure_address", BOOL, "", VG_FEED_OUTCOMES,                     \
   "a party address matches an address of an earlier positive outcome")                            \
 X(PRIOR_SEIZURE_FORWARDER, "prior_seizure_forwarder", BOOL, "", VG_FEED_OUTCOMES,                 \
   "the forwarder or broker handled the trip of an earlier positive outcome")                      \
 X(PRIOR_SEIZURE_CONTAINER, "prior_seizure_container", BOOL, "", VG_FEED_OUTCOMES,                 \
   "this container was the subject of an earlier positive outcome")                                \
 X(PRIOR_SEIZURE_MATCH, "prior_seizure_match", NUMBER, "", VG_FEED_OUTCOMES,                       \
   "similarity (0 to 1) of the best party or address link to an earlier positive outcome")         \
 X(PRIOR_SEIZURE_DAYS, "prior_seizure_days", NUMBER, "days", VG_FEED_OUTCOMES,                     \
   "days since the most recent linked positive outcome")                                           \
 X(CONTAINER_PREVIOUSLY_REJECTED, "container_previously_rejected", BOOL, "",                       \
   VG_FEED_OUTCOMES | VG_FEED_STATUS,                                                              \
   "the container was refused at a destination earlier and is returning")                          \
 /* Seal chain of custody */                                                                       \
 X(SEAL_BOOKING, "seal_booking", STRING, "", VG_FEED_BOOKING,                                      \
   "seal number in the shipping instructions")                                                     \
 X(SEAL_GATE_IN, "seal_gate_in", STRING, "", VG_FEED_GATE, "seal number recorded at gate-in")      \
 X(SEAL_MANIFEST, "seal_manifest", STRING, "", VG_FEED_MANIFEST,                                   \
   "seal number in the cargo report")                                                              \
 X(SEAL_LOAD, "seal_load", STRING, "", VG_FEED_TERMINAL | VG_FEED_STOWAGE,                         \
   "seal number reported at loading")                                                              \
 X(SEAL_BOOKING_TO_GATE, "seal_booking_to_gate", STRING, "", VG_FEED_BOOKING | VG_FEED_GATE,       \
   "seal at gate-in against the shipping instructions: same, one_off or different")                \
 X(SEAL_GATE_TO_LOAD, "seal_gate_to_load", STRING, "", VG_FEED_GATE | VG_FEED_TERMINAL,            \
   "seal at loading against gate-in: same, one_off or different")                                  \
 X(SEAL_MANIFEST_TO_LOAD, "seal_manifest_to_load", STRING, "",                                     \
   VG_FEED_MANIFEST | VG_FEED_TERMINAL,                                                            \
   "seal at loading against the cargo report: same, one_off or different")                         \
 X(SEAL_CHAIN, "seal_chain", STRING, "", VG_FEED_GATE | VG_FEED_TERMINAL,                          \
   "worst relation between consecutive observed seals: same, one_off or different")                \
 X(SEAL_STAGES, "seal_stages", NUMBER, "stages",                                                   \
   VG_FEED_BOOKING | VG_FEED_GATE | VG_FEED_MANIFEST | VG_FEED_TERMINAL,                           \
   "how many of booking, gate-in, cargo report and loading reported a seal")                       \
 X(SEAL_LAST_PARTY, "seal_last_party", STRING, "", VG_FEED_GATE | VG_FEED_TERMINAL,                \
   "who applied the latest seal: carrier, shipper, customs, terminal or other")                    \
 X(SEAL_MISSING, "seal_missing", BOOL, "", VG_FEED_MANIFEST | VG_FEED_GATE,                        \
   "a full container with no seal reported at any stage")                                          \
 X(RESEALED_BEFORE_LOAD, "resealed_before_load", BOOL, "", VG_FEED_STATUS | VG_FEED_GATE,          \
   "a reseal event was reported between gate-in and loading")                                      \
 X(OPENED_BEFORE_LOAD, "opened_before_load", BOOL, "", VG_FEED_STATUS,                             \
   "an inspection or stripping event was reported between gate-in and loading")                    \
 /* Terminal dwell and moves */                                                                    \
 X(DWELL_HOURS, "dwell_hours", NUMBER, "hours", VG_FEED_GATE | VG_FEED_TERMINAL,                   \
   "hours from the first gate-in to loading")                                                      \
 X(DWELL_VS_NORM, "dwell_vs_norm", NUMBER, "", VG_FEED_GATE | VG_FEED_TERMINAL,                    \
   "dwell divided by the port's median dwell for full containers of the commodity group")          \
 X(GATE_OUT_DURING_DWELL, "gate_out_during_dwell", BOOL, "", VG_FEED_GATE,                         \
   "the full container left the terminal and came back before loading")                            \
 X(GATE_MOVES_DURING_DWELL, "gate_moves_during_dwell", NUMBER, "moves", VG_FEED_GATE,              \
   "gate movements between the first gate-in and loading")                                         \
 X(MISSED_EARLIER_CALL, "missed_earlier_call", BOOL, "", VG_FEED_TERMINAL,                         \
   "the container was on the loading order of an earlier call that left without it (rolled)")      \
 X(GATE_IN_ODD_HOUR, "gate_in_odd_hour", BOOL, "", VG_FEED_GATE,                                   \
   "gate-in at night (20:00-06:00 port local time) or on a weekend")                               \
 X(ODD_HOUR_MOVES, "odd_hour_moves", NUMBER, "moves", VG_FEED_GATE | VG_FEED_TERMINAL,             \
   "gate and terminal moves at night or on a weekend between gate-in and loading")                 \
 /* Identity and documents */                                                                      \
 X(CONTAINER_CHECK_DIGIT_FAILED, "container_check_digit_failed", BOOL, "", VG_FEED_MANIFEST,       \
   "the container number fails its ISO 6346 check digit")                                          \
 X(CONTAINER_TWO_PLACES, "container_two_places", BOOL, "",                                         \
   VG_FEED_GATE | VG_FEED_TERMINAL | VG_FEED_STATUS,                                               \
   "the container number was reported in two places at once (impossible travel)")                  \
 X(FILING_LEAD_HOURS, "filing_lead_hours", NUMBER, "hours", VG_FEED_MANIFEST,                      \
   "hours from the first cargo report filing to loading (negative: filed after loading)")          \
 X(MANIFEST_AMENDMENTS, "manifest_amendments", NUMBER, "amendments", VG_FEED_MANIFEST,             \
   "amendments of the bills of lading of the container")                                           \
 X(HOUSE_MASTER_INCONSISTENT, "house_master_inconsistent", BOOL, "", VG_FEED_MANIFEST,             \
   "house bills do not agree with their master bill (packages, weight, parties, ports)")           \
 X(SPLIT_CONSIGNMENT, "split_consignment", BOOL, "", VG_FEED_MANIFEST | VG_FEED_TERMINAL,          \
   "containers of the same bill travel on different voyages or arrive early, apart")               \
 X(SWITCHED_BL, "switched_bl", BOOL, "", VG_FEED_MANIFEST,                                         \
   "the bill of lading was replaced at transhipment (new number or parties)")                      \
 X(BL_COUNT, "bl_count", NUMBER, "bills", VG_FEED_MANIFEST,                                        \
   "bills of lading carried in the container")                                                     \
 X(BILL_CONTAINERS, "bill_containers", NUMBER, "containers", VG_FEED_MANIFEST,                     \
   "containers the trip's main bill of lading lists (the consignment's size in boxes)")            \
 /* Vessel and voyage */                                                                           \
 X(VESSEL_TYPE, "vessel_type", STRING, "", VG_FEED_AIS | VG_FEED_MANIFEST,                         \
   "container, bulk, general_cargo, reefer, tanker or other")                                      \
 X(VESSEL_FLAG, "vessel_flag", STRING, "", VG_FEED_AIS | VG_FEED_MANIFEST,                         \
   "ISO 3166 country of the vessel's flag")                                                        \
 X(VESSEL_IDENTITY_CHANGES, "vessel_identity_changes", NUMBER, "changes", VG_FEED_AIS,             \
   "changes of name, flag or MMSI of the vessel in the last 365 days")                             \
 X(VOYAGE_AIS_GAP_HOURS, "voyage_ais_gap_hours", NUMBER, "hours", VG_FEED_AIS,                     \
   "longest suspected intentional AIS gap of the vessel on the voyage")                            \
 X(VOYAGE_AIS_GAPS, "voyage_ais_gaps", NUMBER, "gaps", VG_FEED_AIS,                                \
   "suspected intentional AIS gaps of the vessel on the voyage")                                   \
 X(VOYAGE_DARK_PORT_CALL_FEASIBLE, "voyage_dark_port_call_feasible", BOOL, "", VG_FEED_AIS,        \
   "an AIS gap on the voyage was long enough for a hidden port call")                              \
 X(VOYAGE_ENCOUNTERS, "voyage_encounters", NUMBER, "encounters", VG_FEED_AIS,                      \
   "encounters with other vessels at sea on the voyage")                                           \
 X(VOYAGE_LOITERING_HOURS, "voyage_loitering_hours", NUMBER, "hours", VG_FEED_AIS,                 \
   "hours the vessel loitered at sea on the voyage")                                               \
 X(VOYAGE_LOITERING_NEAR_COAST, "voyage_loitering_near_coast", BOOL, "", VG_FEED_AIS,              \
   "the vessel slowed down or loitered near the coast of Peru or Ecuador at night")                \
 X(ANCHORAGE_WAIT_HOURS, "anchorage_wait_hours", NUMBER, "hours", VG_FEED_AIS,                     \
   "hours at anchorage before berthing at the loading port")                                       \
 /* Watch lists */                                                                                 \
 X(WATCHLIST_IDENTIFIER_MATCH, "watchlist_identifier_match", BOOL, "", VG_FEED_WATCHLIST,          \
   "an identifier of the trip's own (a party's RUC, the container, a seal) is on a list")          \
 X(WATCHLIST_PARTY_SCORE, "watchlist_party_score", NUMBER, "", VG_FEED_WATCHLIST,                  \
   "best name-match score (0 to 1) of a party of the trip against the watch lists")                \
 X(WATCHLIST_HITS, "watchlist_hits", NUMBER, "hits", VG_FEED_WATCHLIST,                            \
   "watch-list hits at or above the review threshold (0.70) not dismissed")                        \
 X(WATCHLIST_LISTS, "watchlist_lists", LIST, "", VG_FEED_WATCHLIST,                                \
   "names of the watch lists with a hit")                                                          \
 /* Insiders and release */                                                                        \
 X(PICKUP_NEW_HAULIER, "pickup_new_haulier", BOOL, "", VG_FEED_RELEASE,                            \
   "the container was picked up by a haulier never seen before for the consignee")                 \
 X(PICKUP_HOURS_AFTER_DISCHARGE, "pickup_hours_after_discharge", NUMBER, "hours", VG_FEED_RELEASE, \
   "hours from discharge to pick-up")                                                              \
 X(UNTASKED_LOOKUPS, "untasked_lookups", NUMBER, "lookups", VG_FEED_AUDIT,                         \
   "lookups of the container's status or scan by staff with no task on it")                        \
 X(WATCHLIST_VESSEL_MATCH, "watchlist_vessel_match", BOOL, "", VG_FEED_WATCHLIST,                  \
   "the vessel of the voyage is on a watch list by its IMO number or MMSI")                        \
 /* Norms learned from the store, and signs derived from what the feeds already carry */           \
 X(SEAL_MANIFEST_TO_GATE, "seal_manifest_to_gate", STRING, "", VG_FEED_MANIFEST | VG_FEED_GATE,    \
   "seals at gate-in against the cargo report: same, one_off, authority_reseal, different")        \
 X(INLAND_TRANSIT_HOURS, "inland_transit_hours", NUMBER, "hours", VG_FEED_GATE,                    \
   "hours from the empty pick-up at the depot to the full gate-in (stuffing and road)")            \
 X(INLAND_TRANSIT_Z, "inland_transit_z", NUMBER, "", VG_FEED_GATE,                                 \
   "robust z-score of the log inland transit against the port and commodity group")                \
 X(DWELL_Z, "dwell_z", NUMBER, "", VG_FEED_GATE | VG_FEED_TERMINAL,                                \
   "robust z-score of the log dwell against the port and commodity group")                         \
 X(ODD_HOUR_ACTIVITY, "odd_hour_activity", NUMBER, "", VG_FEED_GATE,                               \
   "the facility's activity at the hour of the trip's least usual gate move, 1 = average")         \
 X(WEIGHT_MISMATCH_Z, "weight_mismatch_z", NUMBER, "", VG_FEED_MANIFEST | VG_FEED_STOWAGE,         \
   "robust z-score of the measured against the declared weight, against the port's norm")          \
 X(ROUTE_SHARE, "route_share", NUMBER, "", VG_FEED_MANIFEST,                                       \
   "share of the port's trips to the destination country routed the same way (90 days)")           \
 X(CONSIGNEE_NEW_DELIVERY_COUNTRY, "consignee_new_delivery_country", BOOL, "", VG_FEED_MANIFEST,   \
   "a known consignee takes delivery in a country never seen with it")                             \
 X(SHIPPER_NAME_ACTIVITY_MISMATCH, "shipper_name_activity_mismatch", BOOL, "", VG_FEED_MANIFEST,   \
   "the shipper's name names a line of business the goods do not fit")                             \
 X(CARGO_REPORT_LATE, "cargo_report_late", BOOL, "", VG_FEED_MANIFEST | VG_FEED_TERMINAL,          \
   "the container was loaded before any cargo report listed it")                                   \
 X(PRIOR_SEIZURE_IN_GOODS, "prior_seizure_in_goods", BOOL, "", VG_FEED_OUTCOMES,                   \
   "a linked earlier seizure found the drugs inside the goods or their packaging")                 \
 X(FORWARDER_HIT_RATE_RATIO, "forwarder_hit_rate_ratio", NUMBER, "",                               \
   VG_FEED_MANIFEST | VG_FEED_OUTCOMES,                                                            \
   "positive rate of the forwarder's examined trips against all examined trips (shrunk)")          \
 X(PRIOR_SEIZURE_SHARE, "prior_seizure_share", NUMBER, "", VG_FEED_OUTCOMES,                       \
   "seizures linked to a party of the trip against that party's earlier shipments + 1")            \
 X(WATCHLIST_PARTY_SHIPMENTS, "watchlist_party_shipments", NUMBER, "shipments",                    \
   VG_FEED_WATCHLIST | VG_FEED_MANIFEST,                                                           \
   "earlier shipments of the party with the best watch-list name match, under that name")          \
 X(SHIPPER_NEW_SHARE, "shipper_new_share", NUMBER, "", VG_FEED_MANIFEST,                           \
   "share of the port's export trips in the 14 days before whose shipper was new then")            \
 X(CONSIGNEE_NEW_SHARE, "consignee_new_share", NUMBER, "", VG_FEED_MANIFEST,                       \
   "share of the port's export trips in the 14 days before whose consignee was new then")          \
 X(CONTAINER_TYPE_CONFLICT, "container_type_conflict", BOOL, "", VG_FEED_MANIFEST,                 \
   "the cargo report declares the container with another length or type group than the "           \
   "container was first recorded with")

/* Index of each catalogue feature in the catalogue and in a record: VG_F_DWELL_HOURS... */
enum vg_feature_id {
#define VG_FEATURE_ENUM(id, name, type, unit, feeds, desc) VG_F_##id,
    VG_FEATURE_CATALOG(VG_FEATURE_ENUM)
#undef VG_FEATURE_ENUM
        VG_F_COUNT
};

/* vigia's feature catalogue (static, never NULL): VG_F_COUNT features in enum order. */
const struct vg_feature_schema *vg_feature_catalog(void);

/* Looks a feature up by name (exact bytes). true and *index set when found. */
bool vg_feature_find(const struct vg_feature_schema *schema, struct vg_slice name, size_t *index);

/* ---- feature records ----------------------------------------------------------------- */

/* The kind of a value. A known value's kind equals its feature's type. */
enum vg_value_kind {
    VG_VALUE_UNKNOWN = 0,
    VG_VALUE_NUMBER = VG_FEATURE_NUMBER,
    VG_VALUE_BOOL = VG_FEATURE_BOOL,
    VG_VALUE_STRING = VG_FEATURE_STRING,
    VG_VALUE_LIST = VG_FEATURE_LIST,
};

/*
 * One value of a record. Strings and list items are borrowed slices: the record's owner
 * keeps them alive while the record is used. An unknown value may carry in as.string a
 * short reason ("no gate messages from the terminal since 2024-05-02"), or be empty; a
 * zeroed struct is an unknown value without reason. A number that is NaN, or a value whose
 * kind differs from its feature's type, reads as unknown.
 */
struct vg_value {
    enum vg_value_kind kind;
    union {
        double number;
        bool boolean;
        struct vg_slice string;
        struct {
            const struct vg_slice *items;
            size_t count;
        } list;
    } as;
};

static inline struct vg_value vg_value_number(double x)
{
    struct vg_value v = { .kind = VG_VALUE_NUMBER, .as.number = x };
    return v;
}

static inline struct vg_value vg_value_bool(bool b)
{
    struct vg_value v = { .kind = VG_VALUE_BOOL, .as.boolean = b };
    return v;
}

/* s must outlive the record. */
static inline struct vg_value vg_value_string(struct vg_slice s)
{
    struct vg_value v = { .kind = VG_VALUE_STRING, .as.string = s };
    return v;
}

/* items[0..count) must outlive the record. */
static inline struct vg_value vg_value_list(const struct vg_slice *items, size_t count)
{
    struct vg_value v = { .kind = VG_VALUE_LIST, .as.list = { items, count } };
    return v;
}

/* An unknown value; reason (may be VG_SLICE_EMPTY) says why and must outlive the record. */
static inline struct vg_value vg_value_unknown(struct vg_slice reason)
{
    struct vg_value v = { .kind = VG_VALUE_UNKNOWN, .as.string = reason };
    return v;
}

#ifdef __cplusplus
}
#endif
#endif
