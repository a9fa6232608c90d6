#!/bin/bash
# The simulator's world through the real ingestion path: every generated file goes in,
# and what is refused or flagged is exactly the faults the simulator planted (truth.json).
# Args: vigia binary, shared data dir, source dir.
# ctest-labels: cli threads (a folder of 2,000-odd files read ahead)
. "$(dirname "$0")/lib.sh"
WORLD="$WORK/world"

expect 0 "sim" "$VIGIA" sim --out "$WORLD" --days 8 --scale 0.5 --seed 7
expect 0 "init" "$VIGIA" init
LOCODES=0
if ls "$SHARED"/unlocode/2015-1/*CodeListPart*.csv >/dev/null 2>&1; then
    "$VIGIA" -q codes import unlocode "$SHARED"/unlocode/2015-1/*CodeListPart*.csv >/dev/null 2>&1
    LOCODES=1
fi
"$VIGIA" ingest --format csv "$WORLD/feeds" >"$WORK/summary" 2>"$WORK/stderr"
rc=$?
[ $rc -eq 4 ] || { echo "FAIL: ingest exit $rc, expected 4 (planted faults)"; FAILS=$((FAILS + 1)); }

truth() { sqlite3 :memory: "SELECT value->>'kind', coalesce(value->>'file', ''), coalesce(value->>'value', '') FROM json_each(readfile('$WORLD/truth.json'), '\$.faults')"; }
db() { sqlite3 "$VIGIA_DB" "$1"; }

expected_rejects=0
while IFS='|' read -r kind file value; do
    case $kind in
    wrong_unt_count)
        n=$(db "SELECT count(*) FROM rejects r JOIN ingest_files f ON f.id = r.file_id WHERE f.path LIKE '%$file' AND r.reason LIKE 'UNT segment count $value %'")
        expected_rejects=$((expected_rejects + 1)) ;;
    truncated_message)
        n=$(db "SELECT count(*) FROM rejects r JOIN ingest_files f ON f.id = r.file_id WHERE f.path LIKE '%$file' AND r.reason LIKE '%cut off%'")
        expected_rejects=$((expected_rejects + 2)) ;; # the message, and its interchange's missing UNZ
    bad_nmea_checksum)
        n=$(db "SELECT count(*) FROM rejects r JOIN ingest_files f ON f.id = r.file_id WHERE f.path LIKE '%$file' AND r.reason LIKE 'checksum mismatch%'")
        expected_rejects=$((expected_rejects + 1)) ;;
    bad_container_check_digit | bad_imo_check_digit | bad_ruc_check_digit)
        n=$(db "SELECT count(*) FROM findings WHERE kind = 'bad_check_digit' AND value = '$value'") ;;
    unknown_locode)
        [ $LOCODES -eq 1 ] || continue
        n=$(db "SELECT count(*) FROM findings WHERE kind = 'unknown_locode' AND value = '$value'") ;;
    *) continue ;; # missing feeds are a matter for the risk features, not for ingest
    esac
    if [ "$n" -lt 1 ]; then
        echo "FAIL: planted $kind ($file $value) not found"
        FAILS=$((FAILS + 1))
    fi
done < <(truth)

got=$(db "SELECT count(*) FROM rejects")
if [ "$got" -ne "$expected_rejects" ]; then
    echo "FAIL: $got rejects, expected exactly the $expected_rejects planted"
    db "SELECT source, reason FROM rejects" | head -20
    FAILS=$((FAILS + 1))
fi
bad_digits=$(truth | grep -c '_check_digit|')
got=$(db "SELECT count(*) FROM findings WHERE kind = 'bad_check_digit'")
if [ "$got" -ne "$bad_digits" ]; then
    echo "FAIL: $got bad check digits flagged, $bad_digits planted"
    FAILS=$((FAILS + 1))
fi
grep -q "^collisions,0" "$WORK/summary" || { echo "FAIL: collisions in a clean world"; FAILS=$((FAILS + 1)); }
grep -q "^vessel_events,[1-9]" "$WORK/summary" || { echo "FAIL: no vessel events"; FAILS=$((FAILS + 1)); }

# Ingesting the world again changes nothing.
expect 4 "re-ingest" "$VIGIA" ingest --format csv "$WORLD/feeds"
contains "accepted,0" "nothing new"
contains "containers,0" "no new containers"
finish
