/*
 * Schema migrations, compiled into the library. Each runs in its own transaction and
 * sets PRAGMA user_version; never edit a released migration, add a new one.
 *
 * Conventions: times are INTEGER seconds since the epoch (UTC); identifiers are kept as
 * sent with a *_valid flag when they failed validation; codes (LOCODE, HS) are TEXT.
 */
#include "store/store_int.h"

/* 1: the full data model of docs/DESIGN.md (later issues fill the tables). */
static const char *const schema_v1[] = {
    /* Store identity and settings. */
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;\n"
,
    /* Agencies and users (authenticated users arrive in M2). */
    "CREATE TABLE agencies (\n"
    "  id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,\n"
    "  kind TEXT, country TEXT, created_at INTEGER NOT NULL);\n"
    "CREATE TABLE users (\n"
    "  id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE, display_name TEXT,\n"
    "  agency_id INTEGER REFERENCES agencies(id), roles TEXT, compartments TEXT,\n"
    "  authenticated INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,\n"
    "  disabled_at INTEGER);\n"
,
    /* Code lists imported from their publishers. */
    "CREATE TABLE code_locodes (\n"
    "  locode TEXT PRIMARY KEY, country TEXT NOT NULL, name TEXT NOT NULL, name_ascii TEXT,\n"
    "  subdivision TEXT, functions TEXT, status TEXT, iata TEXT, lat REAL, lon REAL,\n"
    "  remarks TEXT, alt_names TEXT, edition TEXT) WITHOUT ROWID;\n"
    "CREATE TABLE code_hs (\n"
    "  code TEXT PRIMARY KEY, level INTEGER NOT NULL, parent TEXT, section TEXT,\n"
    "  description TEXT NOT NULL, edition TEXT) WITHOUT ROWID;\n"
    "CREATE TABLE code_ports (\n"
    "  id INTEGER PRIMARY KEY, source TEXT NOT NULL, source_id TEXT NOT NULL, locode TEXT,\n"
    "  name TEXT NOT NULL, country TEXT, lat REAL NOT NULL, lon REAL NOT NULL,\n"
    "  harbor_size TEXT, harbor_type TEXT, UNIQUE(source, source_id));\n"
    "CREATE INDEX code_ports_locode ON code_ports(locode);\n"
,
    /* Provenance: files, interchanges, messages, rejects, data-quality findings. */
    "CREATE TABLE ingest_files (\n"
    "  id INTEGER PRIMARY KEY, path TEXT NOT NULL, digest BLOB NOT NULL UNIQUE,\n"
    "  size INTEGER NOT NULL, format TEXT NOT NULL, first_ingested_at INTEGER NOT NULL,\n"
    "  last_ingested_at INTEGER NOT NULL, done_offset INTEGER NOT NULL DEFAULT 0,\n"
    "  done_line INTEGER NOT NULL DEFAULT 0, complete INTEGER NOT NULL DEFAULT 0);\n"
    "CREATE TABLE interchanges (\n"
    "  id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL REFERENCES ingest_files(id),\n"
    "  sender TEXT, recipient TEXT, control_ref TEXT, prepared_at INTEGER, syntax TEXT,\n"
    "  syntax_version INTEGER, charset TEXT, byte_offset INTEGER NOT NULL, messages INTEGER,\n"
    "  UNIQUE(file_id, byte_offset));\n"
    "CREATE TABLE messages (\n"
    "  id INTEGER PRIMARY KEY, interchange_id INTEGER REFERENCES interchanges(id),\n"
    "  file_id INTEGER NOT NULL REFERENCES ingest_files(id), sender TEXT NOT NULL,\n"
    "  format TEXT NOT NULL, msg_type TEXT, msg_version TEXT, msg_ref TEXT,\n"
    "  doc_number TEXT, function_code TEXT, prepared_at INTEGER, digest BLOB NOT NULL,\n"
    "  byte_offset INTEGER, length INTEGER, line INTEGER, status TEXT NOT NULL,\n"
    "  supersedes INTEGER REFERENCES messages(id), raw BLOB, unmapped TEXT,\n"
    "  ingested_at INTEGER NOT NULL, UNIQUE(sender, digest));\n"
    "CREATE INDEX messages_doc ON messages(sender, msg_type, doc_number);\n"
    "CREATE TABLE rejects (\n"
    "  id INTEGER PRIMARY KEY, file_id INTEGER REFERENCES ingest_files(id),\n"
    "  source TEXT NOT NULL, format TEXT, line INTEGER, column_no INTEGER,\n"
    "  byte_offset INTEGER, item INTEGER, msg_ref TEXT, status TEXT NOT NULL,\n"
    "  reason TEXT NOT NULL, excerpt BLOB, created_at INTEGER NOT NULL,\n"
    "  UNIQUE(file_id, byte_offset, reason));\n"
    "CREATE TABLE findings (\n"
    "  id INTEGER PRIMARY KEY, message_id INTEGER REFERENCES messages(id),\n"
    "  file_id INTEGER REFERENCES ingest_files(id), segment_no INTEGER, byte_offset INTEGER,\n"
    "  kind TEXT NOT NULL, field TEXT, value TEXT, expected TEXT, detail TEXT NOT NULL,\n"
    "  created_at INTEGER NOT NULL, UNIQUE(file_id, byte_offset, kind, field));\n"
    "CREATE INDEX findings_kind ON findings(kind);\n"
    "CREATE INDEX findings_message ON findings(message_id);\n"
,
    /* Parties, resolved across shipments by RUC or normalised name. */
    "CREATE TABLE parties (\n"
    "  id INTEGER PRIMARY KEY, ruc TEXT, ruc_valid INTEGER, name TEXT NOT NULL,\n"
    "  name_key TEXT NOT NULL, country TEXT, first_seen_at INTEGER,\n"
    "  created_at INTEGER NOT NULL);\n"
    "CREATE UNIQUE INDEX parties_ruc ON parties(ruc) WHERE ruc IS NOT NULL;\n"
    "CREATE INDEX parties_name_key ON parties(name_key);\n"
    "CREATE TABLE party_identifiers (\n"
    "  party_id INTEGER NOT NULL REFERENCES parties(id), scheme TEXT NOT NULL,\n"
    "  value TEXT NOT NULL, valid INTEGER, PRIMARY KEY(scheme, value, party_id)) WITHOUT ROWID;\n"
    "CREATE TABLE party_addresses (\n"
    "  id INTEGER PRIMARY KEY, party_id INTEGER NOT NULL REFERENCES parties(id),\n"
    "  address TEXT, city TEXT, postcode TEXT, country TEXT, address_key TEXT NOT NULL,\n"
    "  first_seen_at INTEGER, UNIQUE(party_id, address_key));\n"
    "CREATE INDEX party_addresses_key ON party_addresses(address_key);\n"
,
    /* Vessels and their identities over time. */
    "CREATE TABLE vessels (\n"
    "  id INTEGER PRIMARY KEY, imo INTEGER, imo_valid INTEGER, mmsi INTEGER, name TEXT,\n"
    "  call_sign TEXT, flag TEXT, ship_type INTEGER, length_m REAL, beam_m REAL,\n"
    "  first_seen_at INTEGER, created_at INTEGER NOT NULL);\n"
    "CREATE UNIQUE INDEX vessels_imo ON vessels(imo) WHERE imo IS NOT NULL;\n"
    "CREATE INDEX vessels_mmsi ON vessels(mmsi);\n"
    "CREATE INDEX vessels_name ON vessels(name);\n"
    "CREATE TABLE vessel_identities (\n"
    "  id INTEGER PRIMARY KEY, vessel_id INTEGER NOT NULL REFERENCES vessels(id),\n"
    "  name TEXT NOT NULL DEFAULT '', call_sign TEXT NOT NULL DEFAULT '',\n"
    "  mmsi INTEGER NOT NULL DEFAULT 0, flag TEXT NOT NULL DEFAULT '', first_seen_at INTEGER,\n"
    "  last_seen_at INTEGER, source TEXT NOT NULL,\n"
    "  UNIQUE(vessel_id, name, call_sign, mmsi, flag));\n"
,
    /* Port calls: a vessel at a port, with the voyage number its carrier uses. */
    "CREATE TABLE port_calls (\n"
    "  id INTEGER PRIMARY KEY, vessel_id INTEGER REFERENCES vessels(id), port TEXT NOT NULL,\n"
    "  terminal TEXT, voyage TEXT NOT NULL DEFAULT '', carrier TEXT, eta INTEGER,\n"
    "  etd INTEGER, ata INTEGER, atd INTEGER, previous_port TEXT, next_port TEXT,\n"
    "  source_message_id INTEGER REFERENCES messages(id), created_at INTEGER NOT NULL,\n"
    "  UNIQUE(vessel_id, port, voyage));\n"
    "CREATE INDEX port_calls_port_time ON port_calls(port, etd);\n"
,
    /* Consignments (bills of lading), master/house, with amendment history. */
    "CREATE TABLE consignments (\n"
    "  id INTEGER PRIMARY KEY, bl_number TEXT NOT NULL, carrier TEXT NOT NULL DEFAULT '',\n"
    "  kind TEXT NOT NULL DEFAULT 'straight', master_id INTEGER REFERENCES consignments(id),\n"
    "  master_bl TEXT, port_call_id INTEGER REFERENCES port_calls(id),\n"
    "  place_of_receipt TEXT, port_of_loading TEXT, port_of_discharge TEXT,\n"
    "  place_of_delivery TEXT, origin_country TEXT, destination_country TEXT,\n"
    "  declared_at INTEGER, goods_description TEXT, total_packages INTEGER, gross_kg REAL,\n"
    "  status TEXT NOT NULL DEFAULT 'active', version INTEGER NOT NULL DEFAULT 1,\n"
    "  message_id INTEGER REFERENCES messages(id), created_at INTEGER NOT NULL,\n"
    "  updated_at INTEGER NOT NULL, UNIQUE(bl_number, carrier));\n"
    "CREATE INDEX consignments_port_call ON consignments(port_call_id);\n"
    "CREATE INDEX consignments_master ON consignments(master_id);\n"
    "CREATE TABLE consignment_versions (\n"
    "  consignment_id INTEGER NOT NULL REFERENCES consignments(id), version INTEGER NOT NULL,\n"
    "  message_id INTEGER REFERENCES messages(id), function_code TEXT,\n"
    "  snapshot TEXT NOT NULL, recorded_at INTEGER NOT NULL,\n"
    "  PRIMARY KEY(consignment_id, version)) WITHOUT ROWID;\n"
    "CREATE TABLE consignment_places (\n"
    "  consignment_id INTEGER NOT NULL REFERENCES consignments(id), qualifier TEXT NOT NULL,\n"
    "  seq INTEGER NOT NULL, locode TEXT NOT NULL, locode_valid INTEGER,\n"
    "  PRIMARY KEY(consignment_id, qualifier, seq)) WITHOUT ROWID;\n"
    "CREATE TABLE consignment_parties (\n"
    "  consignment_id INTEGER NOT NULL REFERENCES consignments(id), role TEXT NOT NULL,\n"
    "  party_id INTEGER NOT NULL REFERENCES parties(id), name TEXT, address TEXT,\n"
    "  city TEXT, country TEXT, identifier TEXT,\n"
    "  PRIMARY KEY(consignment_id, role, party_id)) WITHOUT ROWID;\n"
    "CREATE INDEX consignment_parties_party ON consignment_parties(party_id);\n"
    "CREATE TABLE goods_items (\n"
    "  id INTEGER PRIMARY KEY, consignment_id INTEGER NOT NULL REFERENCES consignments(id),\n"
    "  seq INTEGER NOT NULL, hs_code TEXT, hs_valid INTEGER, description TEXT,\n"
    "  packages INTEGER, package_type TEXT, gross_kg REAL, net_kg REAL, volume_m3 REAL,\n"
    "  value REAL, currency TEXT, UNIQUE(consignment_id, seq));\n"
,
    /* Containers, their trips (a container on one loading port call), seals, events. */
    "CREATE TABLE containers (\n"
    "  id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, valid INTEGER NOT NULL,\n"
    "  owner_code TEXT, size_type TEXT, first_seen_at INTEGER, created_at INTEGER NOT NULL);\n"
    "CREATE TABLE consignment_equipment (\n"
    "  consignment_id INTEGER NOT NULL REFERENCES consignments(id),\n"
    "  container_id INTEGER NOT NULL REFERENCES containers(id), size_type TEXT,\n"
    "  full_empty TEXT, gross_kg REAL, tare_kg REAL, vgm_kg REAL,\n"
    "  PRIMARY KEY(consignment_id, container_id)) WITHOUT ROWID;\n"
    "CREATE INDEX consignment_equipment_container ON consignment_equipment(container_id);\n"
    "CREATE TABLE goods_placement (\n"
    "  goods_item_id INTEGER NOT NULL REFERENCES goods_items(id),\n"
    "  container_id INTEGER NOT NULL REFERENCES containers(id), packages INTEGER,\n"
    "  gross_kg REAL, PRIMARY KEY(goods_item_id, container_id)) WITHOUT ROWID;\n"
    "CREATE TABLE trips (\n"
    "  id INTEGER PRIMARY KEY, container_id INTEGER NOT NULL REFERENCES containers(id),\n"
    "  port_call_id INTEGER REFERENCES port_calls(id), port TEXT NOT NULL,\n"
    "  direction TEXT NOT NULL, loaded_at INTEGER, departure_at INTEGER,\n"
    "  created_at INTEGER NOT NULL, UNIQUE(container_id, port_call_id));\n"
    "CREATE INDEX trips_port_departure ON trips(port, departure_at);\n"
    "CREATE TABLE equipment_events (\n"
    "  id INTEGER PRIMARY KEY, container_id INTEGER NOT NULL REFERENCES containers(id),\n"
    "  kind TEXT NOT NULL, status_code TEXT, event_at INTEGER, place TEXT, terminal TEXT,\n"
    "  port_call_id INTEGER REFERENCES port_calls(id), vessel_id INTEGER REFERENCES vessels(id),\n"
    "  voyage TEXT, bl_number TEXT, full_empty TEXT, gross_kg REAL, stowage TEXT,\n"
    "  seals TEXT, transport_mode TEXT, vehicle TEXT, message_id INTEGER REFERENCES messages(id),\n"
    "  segment_no INTEGER, superseded INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);\n"
    "CREATE INDEX equipment_events_container ON equipment_events(container_id, event_at);\n"
    "CREATE TABLE seals (\n"
    "  id INTEGER PRIMARY KEY, container_id INTEGER NOT NULL REFERENCES containers(id),\n"
    "  seal_number TEXT NOT NULL, sealing_party TEXT, source_kind TEXT NOT NULL,\n"
    "  observed_at INTEGER, place TEXT, event_id INTEGER REFERENCES equipment_events(id),\n"
    "  message_id INTEGER REFERENCES messages(id),\n"
    "  consignment_id INTEGER REFERENCES consignments(id));\n"
    "CREATE INDEX seals_container ON seals(container_id, observed_at);\n"
,
    /* AIS: packed per-vessel time blocks and a coarse space-time grid (M1-3). */
    "CREATE TABLE ais_tracks (\n"
    "  mmsi INTEGER NOT NULL, block_start INTEGER NOT NULL, block_end INTEGER NOT NULL,\n"
    "  n INTEGER NOT NULL, lat_min REAL, lat_max REAL, lon_min REAL, lon_max REAL,\n"
    "  data BLOB NOT NULL, PRIMARY KEY(mmsi, block_start)) WITHOUT ROWID;\n"
    "CREATE TABLE ais_grid (\n"
    "  cell INTEGER NOT NULL, hour INTEGER NOT NULL, mmsi INTEGER NOT NULL,\n"
    "  PRIMARY KEY(cell, hour, mmsi)) WITHOUT ROWID;\n"
    "CREATE TABLE ais_static (\n"
    "  id INTEGER PRIMARY KEY, mmsi INTEGER NOT NULL, imo INTEGER, name TEXT, call_sign TEXT,\n"
    "  ship_type INTEGER, dim_bow INTEGER, dim_stern INTEGER, dim_port INTEGER,\n"
    "  dim_starboard INTEGER, draught REAL, destination TEXT, eta TEXT,\n"
    "  first_seen_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL,\n"
    "  reports INTEGER NOT NULL DEFAULT 1, source TEXT,\n"
    "  vessel_id INTEGER REFERENCES vessels(id));\n"
    "CREATE INDEX ais_static_mmsi ON ais_static(mmsi, last_seen_at);\n"
    "CREATE TABLE vessel_events (\n"
    "  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, mmsi INTEGER NOT NULL,\n"
    "  vessel_id INTEGER REFERENCES vessels(id), other_mmsi INTEGER NOT NULL DEFAULT 0,\n"
    "  other_vessel_id INTEGER REFERENCES vessels(id), start_at INTEGER NOT NULL,\n"
    "  end_at INTEGER NOT NULL, lat REAL, lon REAL, port TEXT, distance_shore_nm REAL,\n"
    "  confidence REAL, explanation TEXT NOT NULL, params TEXT,\n"
    "  port_call_id INTEGER REFERENCES port_calls(id), created_at INTEGER NOT NULL,\n"
    "  UNIQUE(kind, mmsi, start_at, other_mmsi));\n"
    "CREATE INDEX vessel_events_time ON vessel_events(start_at);\n"
,
    /* Watch lists, their entries and names, and dismissals of false hits. */
    "CREATE TABLE watchlists (\n"
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, source TEXT, kind TEXT,\n"
    "  imported_at INTEGER, digest BLOB);\n"
    "CREATE TABLE watchlist_entries (\n"
    "  id INTEGER PRIMARY KEY, watchlist_id INTEGER NOT NULL REFERENCES watchlists(id),\n"
    "  external_id TEXT, name TEXT NOT NULL, type TEXT NOT NULL, country TEXT,\n"
    "  identifier TEXT, aliases TEXT, note TEXT, source TEXT, entry_digest BLOB NOT NULL,\n"
    "  active INTEGER NOT NULL DEFAULT 1, added_at INTEGER NOT NULL, removed_at INTEGER,\n"
    "  UNIQUE(watchlist_id, entry_digest));\n"
    "CREATE TABLE watchlist_names (\n"
    "  entry_id INTEGER NOT NULL REFERENCES watchlist_entries(id), name TEXT NOT NULL,\n"
    "  name_key TEXT NOT NULL, is_alias INTEGER NOT NULL);\n"
    "CREATE INDEX watchlist_names_key ON watchlist_names(name_key);\n"
    "CREATE INDEX watchlist_names_entry ON watchlist_names(entry_id);\n"
    "CREATE TABLE watchlist_dismissals (\n"
    "  id INTEGER PRIMARY KEY, entry_id INTEGER NOT NULL REFERENCES watchlist_entries(id),\n"
    "  entry_digest BLOB NOT NULL, subject_kind TEXT NOT NULL, subject_key TEXT NOT NULL,\n"
    "  reason TEXT NOT NULL, requested_by TEXT NOT NULL, requested_at INTEGER NOT NULL,\n"
    "  approved_by TEXT, approved_at INTEGER, status TEXT NOT NULL);\n"
,
    /* Rule sets and models, versioned. */
    "CREATE TABLE rule_sets (\n"
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL,\n"
    "  digest BLOB NOT NULL, source TEXT NOT NULL, loaded_at INTEGER NOT NULL,\n"
    "  loaded_by TEXT, active INTEGER NOT NULL DEFAULT 0, UNIQUE(name, version));\n"
    "CREATE TABLE models (\n"
    "  id INTEGER PRIMARY KEY, version TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,\n"
    "  trained_at INTEGER NOT NULL, trained_until INTEGER, params TEXT, metrics TEXT,\n"
    "  features TEXT, blob BLOB NOT NULL, active INTEGER NOT NULL DEFAULT 0);\n"
,
    /* Assessments of trips, versioned, with their reasons. */
    "CREATE TABLE assessments (\n"
    "  id INTEGER PRIMARY KEY, trip_id INTEGER NOT NULL REFERENCES trips(id),\n"
    "  version INTEGER NOT NULL, moment TEXT NOT NULL, as_of INTEGER NOT NULL,\n"
    "  score REAL NOT NULL, band TEXT NOT NULL, mandatory_hold INTEGER NOT NULL DEFAULT 0,\n"
    "  rule_set_id INTEGER REFERENCES rule_sets(id), model_id INTEGER REFERENCES models(id),\n"
    "  features TEXT, created_at INTEGER NOT NULL, UNIQUE(trip_id, version));\n"
    "CREATE TABLE assessment_reasons (\n"
    "  assessment_id INTEGER NOT NULL REFERENCES assessments(id), seq INTEGER NOT NULL,\n"
    "  kind TEXT NOT NULL, code TEXT, weight REAL, text TEXT NOT NULL, evidence TEXT,\n"
    "  PRIMARY KEY(assessment_id, seq));\n"
,
    /* Targets, inspections, outcomes. */
    "CREATE TABLE targets (\n"
    "  id INTEGER PRIMARY KEY, trip_id INTEGER REFERENCES trips(id),\n"
    "  vessel_id INTEGER REFERENCES vessels(id), port TEXT NOT NULL, target_date TEXT NOT NULL,\n"
    "  rank INTEGER NOT NULL, reason TEXT NOT NULL,\n"
    "  assessment_id INTEGER REFERENCES assessments(id), random_draw BLOB,\n"
    "  selected_at INTEGER NOT NULL, selected_by TEXT, state TEXT NOT NULL DEFAULT 'selected');\n"
    "CREATE INDEX targets_port_date ON targets(port, target_date);\n"
    "CREATE TABLE inspections (\n"
    "  id INTEGER PRIMARY KEY, target_id INTEGER REFERENCES targets(id),\n"
    "  trip_id INTEGER REFERENCES trips(id), container_id INTEGER REFERENCES containers(id),\n"
    "  inspected_at INTEGER, method TEXT, team TEXT, state TEXT NOT NULL, waiver_code TEXT,\n"
    "  waiver_reason TEXT, created_at INTEGER NOT NULL);\n"
    "CREATE TABLE outcomes (\n"
    "  id INTEGER PRIMARY KEY, inspection_id INTEGER REFERENCES inspections(id),\n"
    "  trip_id INTEGER REFERENCES trips(id), container_id INTEGER REFERENCES containers(id),\n"
    "  container_number TEXT NOT NULL, bl_number TEXT, port TEXT NOT NULL,\n"
    "  inspected_at INTEGER NOT NULL, result TEXT NOT NULL, substance TEXT, kg REAL,\n"
    "  concealment TEXT, method TEXT, detection TEXT, seal_state TEXT, found_at TEXT,\n"
    "  destination_port TEXT, source TEXT, digest BLOB NOT NULL UNIQUE,\n"
    "  recorded_at INTEGER NOT NULL, recorded_by TEXT);\n"
    "CREATE INDEX outcomes_container ON outcomes(container_number, inspected_at);\n"
,
    /* Inter-agency exchange (M2). */
    "CREATE TABLE alerts (\n"
    "  id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, direction TEXT NOT NULL,\n"
    "  from_agency TEXT, to_agency TEXT, subject_kind TEXT NOT NULL, subject_key TEXT NOT NULL,\n"
    "  body TEXT NOT NULL, signature BLOB, signer_key BLOB, legal_basis TEXT,\n"
    "  created_at INTEGER NOT NULL, created_by TEXT);\n"
    "CREATE TABLE cases (\n"
    "  id INTEGER PRIMARY KEY, reference TEXT NOT NULL UNIQUE, title TEXT NOT NULL,\n"
    "  state TEXT NOT NULL, compartment TEXT, opened_at INTEGER NOT NULL, opened_by TEXT,\n"
    "  closed_at INTEGER);\n"
    "CREATE TABLE case_links (\n"
    "  case_id INTEGER NOT NULL REFERENCES cases(id), object_kind TEXT NOT NULL,\n"
    "  object_id INTEGER NOT NULL, note TEXT, added_at INTEGER NOT NULL, added_by TEXT,\n"
    "  PRIMARY KEY(case_id, object_kind, object_id));\n"
,
    /* The audit trail: append-only, hash-chained, each entry signed. */
    "CREATE TABLE audit_log (\n"
    "  seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,\n"
    "  authenticated INTEGER NOT NULL, action TEXT NOT NULL, objects TEXT NOT NULL,\n"
    "  digest BLOB NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL,\n"
    "  signature BLOB NOT NULL, key_id BLOB NOT NULL);\n"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\n"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;\n"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;\n",
    NULL,
};

/* 2: targeting. Selection runs (what was selected for a port and day, with which capacity
 * and random seed, so that a selection can be replayed and audited), per-port targeting
 * settings, and on outcomes why the container was examined and how the outcome was linked
 * to its trip. */
static const char *const schema_v2[] = {
    "CREATE TABLE target_settings (\n"
    "  port TEXT PRIMARY KEY, capacity INTEGER, capacity_share REAL, random_share REAL,\n"
    "  updated_at INTEGER NOT NULL, updated_by TEXT) WITHOUT ROWID;\n"
    "CREATE TABLE target_runs (\n"
    "  id INTEGER PRIMARY KEY, port TEXT NOT NULL, target_date TEXT NOT NULL,\n"
    "  day_start INTEGER NOT NULL, day_end INTEGER NOT NULL, trips INTEGER NOT NULL,\n"
    "  assessed INTEGER NOT NULL, capacity INTEGER NOT NULL, capacity_source TEXT NOT NULL,\n"
    "  random_share REAL NOT NULL, seed BLOB NOT NULL, seeded INTEGER NOT NULL,\n"
    "  reason TEXT, selected_at INTEGER NOT NULL, selected_by TEXT,\n"
    "  superseded_by INTEGER REFERENCES target_runs(id));\n"
    "CREATE INDEX target_runs_port_date ON target_runs(port, target_date);\n"
    "ALTER TABLE targets ADD COLUMN run_id INTEGER REFERENCES target_runs(id);\n"
    "CREATE INDEX targets_trip ON targets(trip_id);\n"
    "CREATE INDEX targets_run ON targets(run_id, rank);\n"
    "CREATE INDEX inspections_target ON inspections(target_id);\n"
    "ALTER TABLE outcomes ADD COLUMN selection TEXT;\n"
    "ALTER TABLE outcomes ADD COLUMN link TEXT;\n"
    "CREATE INDEX outcomes_trip ON outcomes(trip_id);\n",
    NULL,
};

/* 3: where each manifest record sits in its message (the segment of the CNI, NAD, GID and
 * EQD that carried it; for CSV the record within the message), so that a risk reason can
 * cite the segment it rests on; and a digest of each assessment's feature record, so that
 * re-scoring adds a version only when the evidence changed. */
static const char *const schema_v3[] = {
    "ALTER TABLE consignments ADD COLUMN segment_no INTEGER;\n"
    "ALTER TABLE consignment_parties ADD COLUMN segment_no INTEGER;\n"
    "ALTER TABLE goods_items ADD COLUMN segment_no INTEGER;\n"
    "ALTER TABLE consignment_equipment ADD COLUMN segment_no INTEGER;\n"
    "ALTER TABLE seals ADD COLUMN segment_no INTEGER;\n"
    "ALTER TABLE assessments ADD COLUMN features_digest BLOB;\n",
    NULL,
};

/* 4: two indexes no reader uses, dropped for ingest speed (each new consignment paid for
 * both; together about 6% of the writing thread in bench_ingest). consignments(master_id)
 * and consignments(port_call_id): every query that reaches consignments does so by id, by
 * B/L number (the unique index) or by scanning: checked with EXPLAIN QUERY PLAN over every
 * query of show, target, outcome and risk that names consignments (none used either
 * index). No parent row of these foreign keys is ever deleted, so the checks that would
 * look children up by them never run. A reader that needs them adds them back. */
static const char *const schema_v4[] = {
    "DROP INDEX IF EXISTS consignments_master;\n"
    "DROP INDEX IF EXISTS consignments_port_call;\n",
    NULL,
};

/* 5: a message that replaces an earlier one (an amendment, a re-sent document) marks the
 * earlier message's equipment events superseded; without an index by message that UPDATE
 * scanned every event of the store once per amendment (0.1 s at 650,000 events, minutes for
 * a day of re-sent gate messages in a national store). Message ids only grow during ingest,
 * so the index is appended to at its right edge. */
static const char *const schema_v5[] = {
    "CREATE INDEX IF NOT EXISTS equipment_events_message ON equipment_events(message_id);\n",
    NULL,
};

/* 6: the consignments of a party in a table of their own, for ingest speed. The index
 * consignment_parties(party_id) took its entries in the order consignments arrive, which
 * is random by party: each a B-tree descent to a cold page, about a tenth of the writing
 * thread in bench_ingest. party_consignments holds the same (party, consignment, role)
 * keys, kept by the ingest writer, which inserts a batch's keys sorted by party when the
 * batch ends (one pass along the tree). Readers that go from a party to its consignments
 * (show party: shipments, seizures, trips, targets) read it; everything else reads
 * consignment_parties as before. */
static const char *const schema_v6[] = {
    "CREATE TABLE party_consignments (\n"
    "  party_id INTEGER NOT NULL REFERENCES parties(id),\n"
    "  consignment_id INTEGER NOT NULL REFERENCES consignments(id), role TEXT NOT NULL,\n"
    "  PRIMARY KEY(party_id, consignment_id, role)) WITHOUT ROWID;\n"
    "INSERT OR IGNORE INTO party_consignments(party_id, consignment_id, role)\n"
    "  SELECT party_id, consignment_id, role FROM consignment_parties ORDER BY 1, 2, 3;\n"
    "DROP INDEX IF EXISTS consignment_parties_party;\n",
    NULL,
};

/* 7: the names of the features in stored feature records. assessments.features holds a
 * packed record (src/risk/record.c) that names each feature by its id here: a sixth of
 * the JSON's size, which a run writing 1.5 million assessments moves through the WAL and
 * its checkpoint. vg_risk_record_text and the SQL function vg_feature_record give the JSON
 * back. */
static const char *const schema_v7[] = {
    "CREATE TABLE feature_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n",
    NULL,
};

/* 8: how each message's raw bytes are kept (src/store/raw.c): NULL as sent, 'zstd' one
 * Zstandard frame of messages.length bytes. Messages stored before keep theirs as sent. */
static const char *const schema_v8[] = {
    "ALTER TABLE messages ADD COLUMN raw_codec TEXT;\n",
    NULL,
};

/* 9: the consignments a message wrote. A cancellation that lists no consignment (BGM
 * function 1 naming only the document) cancels those of the message it cancels; without an
 * index that UPDATE scanned every consignment of the store per cancellation (seconds in a
 * national store). Message ids only grow during ingest, so the index is appended to at its
 * right edge (about one entry per consignment). */
static const char *const schema_v9[] = {
    "CREATE INDEX IF NOT EXISTS consignments_message ON consignments(message_id);\n",
    NULL,
};

/* 10: files read whole. A file read to its end is marked complete in the transaction that
 * took its last message; a later run that meets the same content skips it by its digest
 * instead of reading and comparing every message again (a folder that keeps its files,
 * ingested every few minutes). An EDIFACT file with rejects read without --tolerate-counts
 * stays incomplete, so that a re-run with it reads the file again. */
static const char *const schema_v10[] = {
    "ALTER TABLE ingest_files ADD COLUMN completed_at INTEGER;\n",
    NULL,
};

/* 11: party and address keys from the name normaliser the screening uses (vg_name_key,
 * vigia/screen.h; src/ingest/name_key.c, src/store/name_fn.c). The ingest had resolved parties
 * without a RUC by a key of its own that kept accents (utf8proc strips marks only when it also
 * decomposes: "AGRO PERú" and "AGRO PERU" were two parties), dropped country codes that
 * spell legal forms from address keys (CO, SA, SE) and read "SURNAMES, Given" as written.
 * Every stored key is recomputed so that the next ingest meets the keys it computes; two
 * addresses of a party that now share a key become one. A party stored without a name
 * ('(unnamed)') keeps the empty key the ingest gives it. */
static const char *const schema_v11[] = {
    "UPDATE parties SET name_key = CASE WHEN name = '(unnamed)' THEN ''\n"
    "  ELSE vg_name_key(name, 0) END;\n"
    "UPDATE OR REPLACE party_addresses SET address_key = vg_address_key(address, city, country);\n",
    NULL,
};

/* 12: vessels known only by their name are resolved by a key of it (vg_name_key read as a
 * vessel's: folded, punctuation and a leading type word set apart), not by the name as sent: "MSC
 * Anna", "M/V MSC ANNA" and "MSC ANNA" are one vessel, "B/M Amazonas I" and "BM AMAZONAS
 * I" another (river barges and CSV feeds often give no IMO or call sign). */
static const char *const schema_v12[] = {
    "ALTER TABLE vessels ADD COLUMN name_key TEXT;\n"
    "UPDATE vessels SET name_key = vg_name_key(name, 3) WHERE name IS NOT NULL;\n"
    "CREATE INDEX vessels_name_key ON vessels(name_key);\n",
    NULL,
};

/* 13: a vessel is found by any name it has been sent under (a renamed vessel by its new
 * name as by its first), not only by the first (vessels.name_key): each identity keeps the
 * key of its name. */
static const char *const schema_v13[] = {
    "ALTER TABLE vessel_identities ADD COLUMN name_key TEXT;\n"
    "UPDATE vessel_identities SET name_key = nullif(vg_name_key(name, 3), '');\n"
    "CREATE INDEX vessel_identities_name_key ON vessel_identities(name_key)"
    " WHERE name_key IS NOT NULL;\n",
    NULL,
};

/* 14: the name normaliser sets a vessel's type designation apart (M/V SEA STAR is the
 * vessel SEA STAR; it had counted M and V against every match): the keys of watch-list names
 * and of dismissed subjects recomputed with the function the screening keys them by (for a
 * container or seal its compact identifier, unchanged). */
static const char *const schema_v14[] = {
    "UPDATE watchlist_names SET name_key = vg_subject_key(name,"
    " (SELECT type FROM watchlist_entries e WHERE e.id = watchlist_names.entry_id));\n"
    "UPDATE watchlist_dismissals SET subject_key = vg_subject_key(subject_key,"
    " (SELECT type FROM watchlist_entries e WHERE e.id = watchlist_dismissals.entry_id));\n",
    NULL,
};

/* 15: a file read whole is known by what the file system says of it (its path as given,
 * device, inode, size, modification and change times), so that a folder that keeps its
 * files is ingested again without reading and digesting each one: the change time moves
 * with every write to the file and cannot be set back by its owner. */
static const char *const schema_v15[] = {
    "CREATE TABLE IF NOT EXISTS ingest_file_stats (\n"
    "  device INTEGER NOT NULL, inode INTEGER NOT NULL, size INTEGER NOT NULL,\n"
    "  mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, path TEXT NOT NULL,\n"
    "  file_id INTEGER NOT NULL REFERENCES ingest_files(id),\n"
    "  PRIMARY KEY(device, inode)) WITHOUT ROWID;\n",
    NULL,
};

const struct store_migration vg__store_migrations[] = {
    { 1, "data model", schema_v1 },
    { 2, "targeting", schema_v2 },
    { 3, "source segments of manifest records, assessment digests", schema_v3 },
    { 4, "unused consignment indexes dropped", schema_v4 },
    { 5, "equipment events by message (superseding)", schema_v5 },
    { 6, "consignments of a party in their own table", schema_v6 },
    { 7, "feature names of packed feature records", schema_v7 },
    { 8, "compressed raw message bytes", schema_v8 },
    { 9, "consignments by message (cancellations)", schema_v9 },
    { 10, "input files read whole", schema_v10 },
    { 11, "party keys from the shared name normaliser", schema_v11 },
    { 12, "vessels by a key of their name", schema_v12 },
    { 13, "vessels by a key of every name they were sent under", schema_v13 },
    { 14, "vessel type designations set apart in watch-list keys", schema_v14 },
    { 15, "input files known by their file system status", schema_v15 },
};

const int vg__store_migration_count =
    (int)(sizeof(vg__store_migrations) / sizeof(vg__store_migrations[0]));
