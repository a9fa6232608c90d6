#!/bin/bash
# AIS into the store and vessel events out: vigia ingest stores the positions of an NMEA
# recording and detects events over them; vigia ais events lists them with filters;
# re-ingesting changes nothing; vigia ais detect is idempotent; thresholds per store.
# Args: vigia binary, shared data dir, source dir.
. "$(dirname "$0")/lib.sh"
REC="$SRC/tests/data/ais/meeting.nmea"

expect 0 "init" "$VIGIA" init

expect 0 "ingest the recording" "$VIGIA" ingest --format csv "$REC"
contains "ais_positions,482" "positions stored"
contains "vessel_events,1" "one event detected after ingest"

expect 0 "events as csv" "$VIGIA" ais events --format csv
contains "encounter,short_meeting,311000001,9074729,MSC ANNA,760000123" "the drop-off"
contains "at night" "the explanation says night"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 2 ] || { echo "FAIL: one event expected"; FAILS=$((FAILS + 1)); }

expect 0 "events as json" "$VIGIA" ais events --format json
printf '%s' "$OUT" >"$WORK/ev.json"
json_valid "$WORK/ev.json" "events json"

expect 0 "filters: none before" "$VIGIA" ais events --until 2024-06-01 --format csv
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] || { echo "FAIL: --until filter"; FAILS=$((FAILS + 1)); }
expect 0 "filters: type" "$VIGIA" ais events --type gap --format csv
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] || { echo "FAIL: --type filter"; FAILS=$((FAILS + 1)); }

expect 0 "re-ingest" "$VIGIA" ingest --format csv "$REC"
contains "ais_positions,0" "nothing stored twice"
contains "vessel_events,0" "nothing detected twice"

expect 0 "detect again" "$VIGIA" ais detect --format csv
contains "positions,482" "all positions read"
contains "new_or_changed,0" "idempotent"

expect 0 "params" "$VIGIA" ais params --format csv
contains "meeting_min_minutes,15" "default threshold"
expect 0 "set a threshold" "$VIGIA" ais params --set meeting_min_minutes=60 --format csv
contains "meeting_min_minutes,60" "threshold changed"
expect 0 "audited" "$VIGIA" audit log --format csv
contains "maritime.params" "threshold change audited"
expect 2 "unknown parameter" "$VIGIA" ais params --set nope=1
contains "nope" "names the parameter"
expect 2 "bad value" "$VIGIA" ais params --set gap_hours=soon
expect 0 "reset" "$VIGIA" ais params --reset --format csv
contains "meeting_min_minutes,15" "defaults back"

expect 1 "bad type" "$VIGIA" ais events --type bogus
expect 1 "bad time" "$VIGIA" ais events --since yesterday
contains "ISO 8601" "says what a time looks like"
expect 1 "set outside params" "$VIGIA" ais detect --set gap_hours=3
expect 1 "unknown subcommand" "$VIGIA" ais sail
expect 0 "help" "$VIGIA" ais --help
contains "vigia ais events" "help lists events"

expect 0 "retention shown" "$VIGIA" ais retention --format csv
contains "retention_days,0" "keeps everything by default"
expect 0 "retention set" "$VIGIA" ais retention --days 30 --format csv
contains "retention_days,30" "set"
contains "blocks_removed,0" "nothing older than 30 days"
expect 1 "retention bad" "$VIGIA" ais retention --days -3
expect 1 "days elsewhere" "$VIGIA" ais events --days 3

# --no-detect stores positions only.
export VIGIA_DB="$WORK/second.db"
expect 0 "init 2" "$VIGIA" init
expect 0 "ingest without detection" "$VIGIA" ingest --no-detect --format csv "$REC"
contains "vessel_events,0" "no detection"
expect 0 "detect by hand" "$VIGIA" ais detect --since 2024-06-02 --until 2024-06-03 --format csv
contains "new_or_changed,1" "found when asked"

finish
