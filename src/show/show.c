/*
 * vigia show (vigia/show.h): one report per container, bill of lading, party or vessel,
 * made of sections, each one SQL query over the store with the subject's key as ?1.
 * Times are printed twice, in UTC and in the local time of the place they happened
 * (vg_utc, vg_local: src/target/sqlfn.c).
 */
#include "store/store_int.h"
#include "target/target_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <vigia/ident.h>
#include <vigia/screen.h>
#include <vigia/show.h>

struct section {
    const char *key;
    const char *title;
    bool record;
    const char *sql;
};

/* The SQL below is laid out by hand: clang-format cannot format string concatenations with
 * macro arguments. */
/* clang-format off */
#define ID "CAST(?1 AS INTEGER)"

/* Drug seizures on the trips of a party's consignments. */
#define PARTY_SEIZURES(party)                                                                 \
    "(SELECT count(DISTINCT o.id) FROM party_consignments sp"                                \
    " JOIN consignments sc ON sc.id = sp.consignment_id"                                      \
    " JOIN consignment_equipment se ON se.consignment_id = sc.id"                             \
    " JOIN trips st ON st.container_id = se.container_id AND st.port_call_id IS sc.port_call_id" \
    " JOIN outcomes o ON o.trip_id = st.id AND o.result = 'drugs' WHERE sp.party_id = " party ")"

#define PARTY_SHIPMENTS(party)                                                                \
    "(SELECT count(DISTINCT consignment_id) FROM party_consignments WHERE party_id = " party ")"

#define SOURCE_SQL(m, seg)                                                                     \
    "coalesce(" m ".msg_type, " m ".format) || ' from ' || " m ".sender ||"                    \
    " CASE WHEN " seg " IS NULL THEN '' ELSE ', segment ' || " seg " END"

#define TRIP_TIME VG__TRIP_TIME_SQL

/* Trips of a container (?1 = container id), of a B/L (?1 = B/L number) or of a party. */
#define TRIPS_OF_CONTAINER "(SELECT id FROM trips WHERE container_id = " ID ")"
#define TRIPS_OF_BL                                                                           \
    "(SELECT t.id FROM trips t JOIN consignment_equipment ce ON ce.container_id ="            \
    " t.container_id JOIN consignments co ON co.id = ce.consignment_id AND"                   \
    " co.port_call_id IS t.port_call_id WHERE co.bl_number = ?1)"
#define TRIPS_OF_PARTY                                                                        \
    "(SELECT t.id FROM trips t JOIN consignment_equipment ce ON ce.container_id ="            \
    " t.container_id JOIN consignments co ON co.id = ce.consignment_id AND"                   \
    " co.port_call_id IS t.port_call_id JOIN party_consignments cp ON cp.consignment_id ="    \
    " co.id WHERE cp.party_id = " ID ")"

#define ASSESSMENTS(trips)                                                                    \
    "SELECT a.id AS assessment, a.trip_id AS trip, c.number AS container, a.version,"         \
    " a.moment, vg_utc(a.as_of) AS as_of_utc, vg_dec2(a.score) AS score, a.band,"      \
    " CASE WHEN a.mandatory_hold THEN 'hold' END AS hold,"                                    \
    " rs.name || ' ' || rs.version AS rule_set, m.version AS model"                           \
    " FROM assessments a JOIN trips t ON t.id = a.trip_id"                                    \
    " JOIN containers c ON c.id = t.container_id"                                             \
    " LEFT JOIN rule_sets rs ON rs.id = a.rule_set_id LEFT JOIN models m ON m.id = a.model_id" \
    " WHERE a.trip_id IN " trips " ORDER BY a.trip_id, a.version"

#define REASONS(trips)                                                                        \
    "SELECT ar.assessment_id AS assessment, a.version, ar.seq, ar.kind, ar.code,"             \
    " vg_dec2(ar.weight) AS weight, ar.text, ar.evidence"                              \
    " FROM assessment_reasons ar JOIN assessments a ON a.id = ar.assessment_id"               \
    " WHERE a.trip_id IN " trips " ORDER BY a.trip_id, a.version, ar.seq"

#define TARGETS(where)                                                                        \
    "SELECT tg.id AS target, tg.port, tg.target_date AS date, tg.rank,"                       \
    " coalesce(c.number, v.name) AS subject, tg.reason AS selection, tg.state,"               \
    " a.version AS assessment_version, vg_utc(tg.selected_at) AS selected_utc, tg.selected_by" \
    " FROM targets tg LEFT JOIN trips t ON t.id = tg.trip_id"                                 \
    " LEFT JOIN containers c ON c.id = t.container_id LEFT JOIN vessels v ON v.id = tg.vessel_id" \
    " LEFT JOIN assessments a ON a.id = tg.assessment_id WHERE " where " ORDER BY tg.id"

#define OUTCOMES(where)                                                                       \
    "SELECT o.id AS outcome, o.container_number AS container, vg_utc(o.inspected_at) AS"      \
    " time_utc, vg_local(o.inspected_at, o.port) AS time_local, o.port, o.found_at, o.result," \
    " o.substance, CASE WHEN o.kg IS NULL THEN NULL ELSE printf('%g', o.kg) END AS kg,"        \
    " o.concealment, o.method, o.detection, o.seal_state,"                 \
    " o.bl_number AS bill_of_lading, o.selection, o.trip_id AS trip, o.link, o.source"        \
    " FROM outcomes o WHERE " where " ORDER BY o.inspected_at, o.id"

#define PARTIES(consignments)                                                                 \
    "SELECT co.bl_number AS bill_of_lading, cp.role, coalesce(cp.name, p.name) AS name,"      \
    " p.ruc, coalesce(cp.country, p.country) AS country, p.id AS party,"                      \
    " vg_utc(p.first_seen_at) AS first_seen_utc, " PARTY_SHIPMENTS("p.id") " AS shipments,"   \
    " " PARTY_SEIZURES("p.id") " AS seizures"                                                 \
    " FROM consignments co JOIN consignment_parties cp ON cp.consignment_id = co.id"          \
    " JOIN parties p ON p.id = cp.party_id WHERE co.id IN " consignments                      \
    " ORDER BY co.declared_at, co.bl_number, cp.role"

static const struct section container_sections[] = {
    { "container", "Container", true,
      "SELECT c.number, CASE WHEN c.valid THEN 'holds' ELSE 'fails' END AS check_digit,"
      " c.owner_code, c.size_type, vg_utc(c.first_seen_at) AS first_seen_utc,"
      " (SELECT count(*) FROM trips WHERE container_id = c.id) AS trips,"
      " (SELECT count(*) FROM outcomes WHERE container_number = c.number AND result = 'drugs')"
      "   AS seizures,"
      " (SELECT group_concat(w.source || ': ' || coalesce(w.note, w.name), ' | ')"
      "   FROM watchlist_entries w WHERE w.active = 1 AND w.type = 'container'"
      "   AND (w.name = c.number OR instr(coalesce(w.identifier, ''), c.number) > 0))"
      "   AS watch_listed"
      " FROM containers c WHERE c.id = " ID },
    { "trips", "Trips (a trip is the container on one loading port call)", false,
      "SELECT t.id AS trip, t.port, t.direction, v.name AS vessel, pc.voyage,"
      " vg_utc(" TRIP_TIME ") AS departure_utc, vg_local(" TRIP_TIME ", t.port) AS"
      " departure_local, vg_local(t.loaded_at, t.port) AS loaded_local,"
      " " VG__TRIP_BLS_SQL " AS bills_of_lading,"
      " (SELECT printf('%.2f', score) || ' ' || band FROM assessments WHERE trip_id = t.id"
      "   ORDER BY version DESC LIMIT 1) AS latest_score"
      " FROM trips t LEFT JOIN port_calls pc ON pc.id = t.port_call_id"
      " LEFT JOIN vessels v ON v.id = pc.vessel_id WHERE t.container_id = " ID
      " ORDER BY " TRIP_TIME ", t.id" },
    { "timeline", "Timeline of equipment events", false,
      "SELECT vg_utc(e.event_at) AS time_utc, vg_local(e.event_at, e.place) AS time_local,"
      " e.kind AS event, e.place, e.terminal, v.name AS vessel, e.voyage,"
      " e.bl_number AS bill_of_lading, e.full_empty, e.seals, e.vehicle,"
      " " SOURCE_SQL("m", "e.segment_no") " AS source,"
      " CASE WHEN e.superseded THEN 'superseded' END AS note"
      " FROM equipment_events e LEFT JOIN vessels v ON v.id = e.vessel_id"
      " LEFT JOIN messages m ON m.id = e.message_id WHERE e.container_id = " ID
      " ORDER BY e.event_at, e.id" },
    { "seals", "Seals as each source saw them", false,
      "SELECT s.seal_number AS seal, s.sealing_party AS applied_by, s.source_kind AS seen_in,"
      " vg_utc(s.observed_at) AS time_utc, vg_local(s.observed_at, s.place) AS time_local,"
      " s.place, co.bl_number AS bill_of_lading FROM seals s"
      " LEFT JOIN consignments co ON co.id = s.consignment_id WHERE s.container_id = " ID
      " ORDER BY s.observed_at, s.id" },
    { "parties", "Parties and their history", false,
      PARTIES("(SELECT consignment_id FROM consignment_equipment WHERE container_id = " ID ")") },
    { "vessel_events", "The voyages' vessel events", false,
      "SELECT e.kind, e.params AS variant, vg_utc(e.start_at) AS start_utc,"
      " printf('%.1f', (e.end_at - e.start_at) / 3600.0) AS hours, v.name AS vessel,"
      " pc.port || ' ' || pc.voyage AS voyage, vg_dec2(e.confidence) AS confidence,"
      " e.explanation FROM vessel_events e LEFT JOIN vessels v ON v.id = e.vessel_id"
      " LEFT JOIN port_calls pc ON pc.id = e.port_call_id"
      " WHERE e.port_call_id IN (SELECT port_call_id FROM trips WHERE container_id = " ID ")"
      " ORDER BY e.start_at, e.id" },
    { "assessments", "Assessments (every version)", false, ASSESSMENTS(TRIPS_OF_CONTAINER) },
    { "reasons", "Reasons of each assessment", false, REASONS(TRIPS_OF_CONTAINER) },
    { "targets", "Targets", false, TARGETS("t.container_id = " ID) },
    { "inspections", "Inspections and dispositions", false,
      "SELECT i.id AS inspection, i.target_id AS target, vg_utc(i.inspected_at) AS time_utc,"
      " i.method, i.team, i.state, i.waiver_code, i.waiver_reason FROM inspections i"
      " WHERE i.container_id = " ID " ORDER BY coalesce(i.inspected_at, i.created_at), i.id" },
    { "outcomes", "Outcomes", false,
      OUTCOMES("o.container_number = (SELECT number FROM containers WHERE id = " ID ")") },
};

/* ?1 is the B/L number as stored (bl_spelling): an exact compare seeks the
 * consignments(bl_number, carrier) index, a NOCASE one would scan the table. */
#define CONSIGNMENTS_OF_BL "(SELECT id FROM consignments WHERE bl_number = ?1)"

static const struct section bl_sections[] = {
    { "consignments", "Bill of lading", false,
      "SELECT co.id AS consignment, co.bl_number, co.carrier, co.kind, co.master_bl,"
      " co.port_of_loading, co.port_of_discharge, co.place_of_delivery,"
      " co.destination_country, vg_utc(co.declared_at) AS declared_utc, co.goods_description,"
      " co.total_packages, co.gross_kg, co.status, co.version, v.name AS vessel, pc.voyage,"
      " vg_utc(coalesce(pc.atd, pc.etd)) AS departure_utc,"
      " vg_local(coalesce(pc.atd, pc.etd), pc.port) AS departure_local"
      " FROM consignments co LEFT JOIN port_calls pc ON pc.id = co.port_call_id"
      " LEFT JOIN vessels v ON v.id = pc.vessel_id WHERE co.id IN " CONSIGNMENTS_OF_BL
      " ORDER BY co.id" },
    { "places", "Other places (transhipment, origin, destination)", false,
      "SELECT cp.qualifier, cp.seq, cp.locode FROM consignment_places cp"
      " WHERE cp.consignment_id IN " CONSIGNMENTS_OF_BL " ORDER BY cp.consignment_id, cp.seq" },
    { "parties", "Parties and their history", false, PARTIES(CONSIGNMENTS_OF_BL) },
    { "goods", "Goods", false,
      "SELECT gi.seq, gi.hs_code, gi.description, gi.packages, gi.package_type, gi.gross_kg,"
      " gi.net_kg, gi.value, gi.currency FROM goods_items gi"
      " WHERE gi.consignment_id IN " CONSIGNMENTS_OF_BL " ORDER BY gi.consignment_id, gi.seq" },
    { "containers", "Containers", false,
      "SELECT c.number AS container, ce.size_type, ce.full_empty, ce.gross_kg, ce.vgm_kg,"
      " t.id AS trip, vg_utc(" TRIP_TIME ") AS departure_utc,"
      " (SELECT printf('%.2f', score) || ' ' || band FROM assessments WHERE trip_id = t.id"
      "   ORDER BY version DESC LIMIT 1) AS latest_score,"
      " (SELECT reason || ' ' || state FROM targets WHERE trip_id = t.id ORDER BY id DESC"
      "   LIMIT 1) AS target"
      " FROM consignment_equipment ce JOIN consignments co ON co.id = ce.consignment_id"
      " JOIN containers c ON c.id = ce.container_id"
      " LEFT JOIN trips t ON t.container_id = ce.container_id AND t.port_call_id IS co.port_call_id"
      " LEFT JOIN port_calls pc ON pc.id = t.port_call_id"
      " WHERE co.id IN " CONSIGNMENTS_OF_BL " ORDER BY c.number" },
    { "versions", "Amendment history", false,
      "SELECT cv.version, cv.function_code, vg_utc(cv.recorded_at) AS recorded_utc,"
      " " SOURCE_SQL("m", "NULL") " AS source FROM consignment_versions cv"
      " LEFT JOIN messages m ON m.id = cv.message_id"
      " WHERE cv.consignment_id IN " CONSIGNMENTS_OF_BL " ORDER BY cv.consignment_id, cv.version" },
    { "assessments", "Assessments (every version)", false, ASSESSMENTS(TRIPS_OF_BL) },
    { "reasons", "Reasons of each assessment", false, REASONS(TRIPS_OF_BL) },
    { "targets", "Targets", false, TARGETS("tg.trip_id IN " TRIPS_OF_BL) },
    { "outcomes", "Outcomes", false,
      OUTCOMES("o.trip_id IN " TRIPS_OF_BL " OR o.bl_number = ?1 COLLATE NOCASE") },
};

static const struct section party_sections[] = {
    { "party", "Party", true,
      "SELECT p.id AS party, p.name, p.ruc, CASE WHEN p.ruc IS NULL THEN NULL WHEN p.ruc_valid"
      " THEN 'holds' ELSE 'fails' END AS ruc_check_digit, p.country,"
      " vg_utc(p.first_seen_at) AS first_seen_utc, " PARTY_SHIPMENTS("p.id") " AS shipments,"
      " " PARTY_SEIZURES("p.id") " AS seizures FROM parties p WHERE p.id = " ID },
    { "identifiers", "Identifiers", false,
      "SELECT scheme, value, CASE WHEN valid THEN 'valid' WHEN valid = 0 THEN 'invalid' END"
      " AS checked FROM party_identifiers WHERE party_id = " ID " ORDER BY scheme, value" },
    { "addresses", "Addresses", false,
      "SELECT address, city, postcode, country, vg_utc(first_seen_at) AS first_seen_utc"
      " FROM party_addresses WHERE party_id = " ID " ORDER BY first_seen_at, id" },
    { "shipments", "Shipments", false,
      "SELECT co.bl_number AS bill_of_lading, cp.role, vg_utc(co.declared_at) AS declared_utc,"
      " co.carrier, co.port_of_loading, co.port_of_discharge, co.goods_description,"
      " (SELECT count(*) FROM consignment_equipment WHERE consignment_id = co.id) AS containers,"
      " v.name AS vessel, pc.voyage, vg_utc(coalesce(pc.atd, pc.etd)) AS departure_utc"
      " FROM party_consignments cp JOIN consignments co ON co.id = cp.consignment_id"
      " LEFT JOIN port_calls pc ON pc.id = co.port_call_id"
      " LEFT JOIN vessels v ON v.id = pc.vessel_id WHERE cp.party_id = " ID
      " ORDER BY coalesce(pc.atd, pc.etd, co.declared_at), co.bl_number" },
    { "seizures", "Outcomes of its shipments", false, OUTCOMES("o.trip_id IN " TRIPS_OF_PARTY) },
    { "targets", "Targets among its shipments", false, TARGETS("tg.trip_id IN " TRIPS_OF_PARTY) },
};

static const struct section vessel_sections[] = {
    { "vessel", "Vessel", true,
      "SELECT v.id AS vessel, v.name, v.imo, CASE WHEN v.imo IS NULL THEN NULL WHEN"
      " v.imo_valid THEN 'holds' ELSE 'fails' END AS imo_check_digit,"
      " CASE WHEN v.mmsi IS NULL THEN NULL ELSE printf('%09d', v.mmsi) END AS mmsi,"
      " v.call_sign, v.flag, v.ship_type, v.length_m, vg_utc(v.first_seen_at) AS first_seen_utc,"
      " (SELECT count(*) FROM port_calls WHERE vessel_id = v.id) AS port_calls"
      " FROM vessels v WHERE v.id = " ID },
    { "identities", "Names, call signs, MMSIs and flags over time", false,
      "SELECT name, call_sign, CASE WHEN mmsi = 0 THEN NULL ELSE printf('%09d', mmsi) END AS"
      " mmsi, flag, vg_utc(first_seen_at) AS first_seen_utc, vg_utc(last_seen_at) AS"
      " last_seen_utc, source FROM vessel_identities WHERE vessel_id = " ID
      " ORDER BY first_seen_at, id" },
    { "port_calls", "Port calls (voyages)", false,
      "SELECT pc.id AS port_call, pc.port, pc.voyage, pc.carrier, pc.terminal,"
      " vg_utc(coalesce(pc.ata, pc.eta)) AS arrival_utc,"
      " vg_utc(coalesce(pc.atd, pc.etd)) AS departure_utc,"
      " vg_local(coalesce(pc.atd, pc.etd), pc.port) AS departure_local,"
      " CASE WHEN pc.atd IS NULL THEN 'estimated' ELSE 'actual' END AS departure_is,"
      " pc.next_port, (SELECT count(*) FROM trips WHERE port_call_id = pc.id) AS trips,"
      " (SELECT count(*) FROM vessel_events e WHERE e.port_call_id = pc.id AND e.kind IN"
      "   ('encounter', 'loitering', 'gap')) AS suspect_events"
      " FROM port_calls pc WHERE pc.vessel_id = " ID " ORDER BY coalesce(pc.atd, pc.etd), pc.id" },
    { "vessel_events", "Vessel events", false,
      "SELECT e.kind, e.params AS variant, vg_utc(e.start_at) AS start_utc,"
      " printf('%.1f', (e.end_at - e.start_at) / 3600.0) AS hours,"
      " CASE WHEN e.other_mmsi = 0 THEN NULL ELSE printf('%09d', e.other_mmsi) END AS other_mmsi,"
      " pc.port || ' ' || pc.voyage AS voyage, vg_dec2(e.confidence) AS confidence,"
      " e.explanation FROM vessel_events e LEFT JOIN port_calls pc ON pc.id = e.port_call_id"
      " WHERE e.vessel_id = " ID " OR e.other_vessel_id = " ID " ORDER BY e.start_at, e.id" },
    { "targets", "Vessel targets", false, TARGETS("tg.vessel_id = " ID " AND tg.trip_id IS NULL") },
};

static const struct section message_sections[] = {
    { "message", "Message", true,
      "SELECT m.id AS message, m.sender, m.format, m.msg_type AS type, m.msg_version AS version,"
      " m.msg_ref AS reference, m.doc_number AS document, m.function_code AS function, m.status,"
      " m.supersedes, vg_utc(m.prepared_at) AS prepared_utc, vg_utc(m.ingested_at) AS"
      " ingested_utc, f.path AS file, m.byte_offset, m.line, m.length AS bytes,"
      " length(m.raw) AS bytes_kept, coalesce(m.raw_codec, CASE WHEN m.raw IS NULL THEN NULL"
      " ELSE 'as sent' END) AS kept_as"
      " FROM messages m LEFT JOIN ingest_files f ON f.id = m.file_id WHERE m.id = " ID },
    { "findings", "Data-quality findings", false,
      "SELECT segment_no AS segment, byte_offset, kind, field, value, expected, detail"
      " FROM findings WHERE message_id = " ID " ORDER BY byte_offset, id" },
    { "unmapped", "Segments or fields no mapper used", false,
      "SELECT unmapped AS text FROM messages WHERE id = " ID " AND unmapped IS NOT NULL" },
    { "content", "The message as sent (in UTF-8)", false,
      "SELECT vg_raw_text(m.raw, m.raw_codec, m.length, i.charset) AS text FROM messages m"
      " LEFT JOIN interchanges i ON i.id = m.interchange_id"
      " WHERE m.id = " ID " AND m.raw IS NOT NULL" },
};

/* clang-format on */

bool vg_show_kind_parse(const char *text, enum vg_show_kind *out)
{
    static const struct {
        const char *name;
        enum vg_show_kind kind;
    } names[] = { { "container", VG_SHOW_CONTAINER },
                  { "bl", VG_SHOW_BL },
                  { "bill", VG_SHOW_BL },
                  { "party", VG_SHOW_PARTY },
                  { "vessel", VG_SHOW_VESSEL },
                  { "message", VG_SHOW_MESSAGE } };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (text != NULL && strcmp(text, names[i].name) == 0) {
            *out = names[i].kind;
            return true;
        }
    }
    return false;
}

static enum vg_status run_sections(struct vg_store *store,
                                   const struct section *s,
                                   size_t n,
                                   const char *key,
                                   const struct vg_report_sink *sink,
                                   struct vg_error *err)
{
    const char *params[1] = { key };
    enum vg_status st = VG_OK;
    for (size_t i = 0; st == VG_OK && i < n; i++) {
        if (sink->section != NULL) {
            sink->section(sink->user, s[i].key, s[i].title, s[i].record);
        }
        st = vg__store_query_rows(store, s[i].sql, params, 1, &sink->rows, err);
    }
    return st;
}

/* Up to max ids matched by sql (?1 = text) into ids; *n gets the count. */
static enum vg_status ids_of(struct vg_store *store,
                             const char *sql,
                             const char *text,
                             int64_t *ids,
                             size_t max,
                             size_t *n,
                             struct vg_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        return vg__store_error(store, rc, "looking up", err);
    }
    vg__bind_text(st, 1, text);
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n < max) {
            ids[*n] = sqlite3_column_int64(st, 0);
        }
        (*n)++;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? VG_OK : vg__store_error(store, rc, "looking up", err);
}

/* The B/L number as the store spells it, for a number typed in any case: the exact
 * spelling, then its upper case (both seek the index), then any case (a scan, only when
 * neither is stored). VG_ENOTFOUND when no consignment has it. */
static enum vg_status bl_spelling(struct vg_store *store,
                                  const char *typed,
                                  char *out,
                                  size_t cap,
                                  struct vg_error *err)
{
    static const char *const sql[] = {
        "SELECT bl_number FROM consignments WHERE bl_number = ?1 LIMIT 1",
        "SELECT bl_number FROM consignments WHERE bl_number = upper(?1) LIMIT 1",
        ("SELECT bl_number FROM consignments WHERE bl_number = ?1 COLLATE NOCASE"
         " ORDER BY bl_number LIMIT 1"),
    };
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(store->db, sql[i], -1, &st, NULL);
        if (rc != SQLITE_OK) {
            return vg__store_error(store, rc, "looking up a bill of lading", err);
        }
        vg__bind_text(st, 1, typed);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
        }
        sqlite3_finalize(st);
        if (rc == SQLITE_ROW) {
            return VG_OK;
        }
        if (rc != SQLITE_DONE) {
            return vg__store_error(store, rc, "looking up a bill of lading", err);
        }
    }
    return VG_ENOTFOUND;
}

static bool all_digits(const char *s, size_t want)
{
    size_t n = 0;
    for (; s[n] != '\0'; n++) {
        if (!isdigit((unsigned char)s[n])) {
            return false;
        }
    }
    return n > 0 && (want == 0 || n == want);
}

/* Several matches: one section listing them, so that the caller can pick one. */
static enum vg_status list_matches(struct vg_store *store,
                                   const char *sql,
                                   const char *text,
                                   const struct vg_report_sink *sink,
                                   struct vg_error *err)
{
    if (sink->section != NULL) {
        sink->section(sink->user, "matches", "Several match: show one by its id", false);
    }
    const char *params[1] = { text };
    return vg__store_query_rows(store, sql, params, 1, &sink->rows, err);
}

static enum vg_status show_party(struct vg_store *store,
                                 const char *id,
                                 const struct vg_report_sink *sink,
                                 struct vg_error *err)
{
    static const char by_id[] = "SELECT id FROM parties WHERE id = CAST(?1 AS INTEGER)";
    static const char by_ruc[] = "SELECT id FROM parties WHERE ruc = ?1";
    static const char by_name[] =
        "SELECT id FROM parties WHERE name = ?1 COLLATE NOCASE OR instr(upper(name), upper(?1))"
        " > 0 ORDER BY name = ?1 COLLATE NOCASE DESC, id";
    static const char matches[] = "SELECT p.id AS party, p.name, p.ruc, p.country, " PARTY_SHIPMENTS(
        "p.id") " AS shipments"
                " FROM parties p WHERE p.name = ?1 COLLATE NOCASE OR instr(upper(p.name), upper(?1)) > 0"
                " ORDER BY p.name, p.id LIMIT 50";
    int64_t ids[2];
    size_t n = 0;
    enum vg_status st = VG_OK;
    if (all_digits(id, 11)) {
        st = ids_of(store, by_ruc, id, ids, 2, &n, err);
    }
    if (st == VG_OK && n == 0 && all_digits(id, 0)) {
        st = ids_of(store, by_id, id, ids, 2, &n, err);
    }
    if (st == VG_OK && n == 0) {
        st = ids_of(store, by_name, id, ids, 2, &n, err);
        if (st == VG_OK && n > 1) {
            return list_matches(store, matches, id, sink, err);
        }
    }
    if (st == VG_OK && n == 0) {
        return vg_error_set(err, VG_ENOTFOUND, "no party '%.60s' (id, RUC or name)", id);
    }
    char key[24];
    snprintf(key, sizeof(key), "%lld", (long long)ids[0]);
    return st == VG_OK
               ? run_sections(store, party_sections,
                              sizeof(party_sections) / sizeof(party_sections[0]), key, sink, err)
               : st;
}

static enum vg_status show_vessel(struct vg_store *store,
                                  const char *id,
                                  const struct vg_report_sink *sink,
                                  struct vg_error *err)
{
    static const char by_imo[] = "SELECT id FROM vessels WHERE imo = CAST(?1 AS INTEGER)";
    static const char by_mmsi[] = "SELECT id FROM vessels WHERE mmsi = CAST(?1 AS INTEGER)"
                                  " UNION SELECT vessel_id FROM vessel_identities"
                                  " WHERE mmsi = CAST(?1 AS INTEGER)";
    static const char by_name[] =
        "SELECT id FROM vessels WHERE name = ?1 COLLATE NOCASE UNION SELECT vessel_id FROM"
        " vessel_identities WHERE name = ?1 COLLATE NOCASE";
    /* The name as the ingest resolves it ("M/V Msc Anna" finds MSC ANNA), any name the
     * vessel was sent under. */
    static const char by_key[] =
        "SELECT id FROM vessels WHERE name_key = ?1 UNION SELECT vessel_id FROM"
        " vessel_identities WHERE name_key = ?1";
    static const char by_part[] = "SELECT id FROM vessels WHERE instr(upper(name), upper(?1)) > 0";
    static const char matches[] =
        "SELECT v.id AS vessel, v.name, v.imo, v.flag, (SELECT count(*) FROM port_calls WHERE"
        " vessel_id = v.id) AS port_calls FROM vessels v WHERE v.name = ?1 COLLATE NOCASE OR"
        " instr(upper(v.name), upper(?1)) > 0 ORDER BY v.name, v.id LIMIT 50";
    int64_t ids[2];
    size_t n = 0;
    enum vg_status st = VG_OK;
    if (all_digits(id, 7)) {
        st = ids_of(store, by_imo, id, ids, 2, &n, err);
    } else if (all_digits(id, 9)) {
        st = ids_of(store, by_mmsi, id, ids, 2, &n, err);
    }
    if (st == VG_OK && n == 0) {
        st = ids_of(store, by_name, id, ids, 2, &n, err);
    }
    char name_key[VG_NAME_KEY_SIZE];
    if (st == VG_OK && n == 0 &&
        vg_name_key(id, strlen(id), VG_NAME_VESSEL, name_key, sizeof(name_key)) > 0) {
        st = ids_of(store, by_key, name_key, ids, 2, &n, err);
    }
    if (st == VG_OK && n == 0) {
        st = ids_of(store, by_part, id, ids, 2, &n, err);
    }
    if (st == VG_OK && n > 1) {
        return list_matches(store, matches, id, sink, err);
    }
    if (st == VG_OK && n == 0) {
        return vg_error_set(err, VG_ENOTFOUND, "no vessel '%.60s' (IMO, MMSI or name)", id);
    }
    char key[24];
    snprintf(key, sizeof(key), "%lld", (long long)ids[0]);
    return st == VG_OK
               ? run_sections(store, vessel_sections,
                              sizeof(vessel_sections) / sizeof(vessel_sections[0]), key, sink, err)
               : st;
}

enum vg_status vg_show(struct vg_store *store,
                       enum vg_show_kind kind,
                       const char *id,
                       const struct vg_report_sink *sink,
                       struct vg_error *err)
{
    if (id == NULL || id[0] == '\0') {
        return vg_error_set(err, VG_EINVAL, "what to show is missing");
    }
    enum vg_status st = vg__sql_functions(store, err);
    if (st != VG_OK) {
        return st;
    }
    int64_t ids[2];
    size_t n = 0;
    char key[24];
    switch (kind) {
    case VG_SHOW_CONTAINER: {
        static const char sql[] = "SELECT id FROM containers WHERE number = ?1";
        struct vg_container_number cn;
        enum vg_status cs = vg_container_parse(vg_slice_from_cstr(id), &cn, NULL);
        st = ids_of(store, sql, cs == VG_OK || cs == VG_ECHECK ? cn.text : id, ids, 2, &n, err);
        if (st == VG_OK && n == 0) {
            return vg_error_set(err, VG_ENOTFOUND, "no container '%.40s' in the store", id);
        }
        snprintf(key, sizeof(key), "%lld", (long long)ids[0]);
        return st == VG_OK
                   ? run_sections(store, container_sections,
                                  sizeof(container_sections) / sizeof(container_sections[0]), key,
                                  sink, err)
                   : st;
    }
    case VG_SHOW_BL: {
        char spelling[256];
        st = bl_spelling(store, id, spelling, sizeof(spelling), err);
        if (st == VG_ENOTFOUND) {
            return vg_error_set(err, VG_ENOTFOUND, "no bill of lading '%.60s' in the store", id);
        }
        return st == VG_OK
                   ? run_sections(store, bl_sections, sizeof(bl_sections) / sizeof(bl_sections[0]),
                                  spelling, sink, err)
                   : st;
    }
    case VG_SHOW_PARTY:
        return show_party(store, id, sink, err);
    case VG_SHOW_VESSEL:
        return show_vessel(store, id, sink, err);
    case VG_SHOW_MESSAGE: {
        static const char sql[] = "SELECT id FROM messages WHERE id = CAST(?1 AS INTEGER)";
        if (!all_digits(id, 0) || (st = ids_of(store, sql, id, ids, 1, &n, err)) != VG_OK ||
            n == 0) {
            return st != VG_OK ? st
                               : vg_error_set(err, VG_ENOTFOUND, "no message '%.40s' in the store",
                                              id);
        }
        return run_sections(store, message_sections,
                            sizeof(message_sections) / sizeof(message_sections[0]), id, sink, err);
    }
    }
    return vg_error_set(err, VG_EINVAL, "unknown kind of subject");
}
