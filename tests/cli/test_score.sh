#!/bin/bash
# vigia score, assessments, features and rules load/list/backtest: the first scoring stores
# and activates the default rules, scoring twice adds nothing, the assessments CSV has its
# stable columns, RFC 4180 quoting and CRLF, reasons cite message and segment, a new rule
# set version is loaded and used, a back-test counts hits on outcomes, exit codes.
# Arguments: vigia binary, shared data directory, source directory.
set -u
VIGIA=$1
SRC=$3
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export VIGIA_DB=$TMP/v.db VIGIA_AUDIT_KEY=$TMP/audit.key VIGIA_AUDIT_EXPORT=$TMP/heads
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { # expect CODE command...
    local want=$1; shift
    "$@" >"$TMP/out" 2>"$TMP/err"; local got=$?
    [ "$got" = "$want" ] || { cat "$TMP/out" "$TMP/err" >&2; fail "$* exited $got, expected $want"; }
}

expect 3 "$VIGIA" score
expect 0 "$VIGIA" init
expect 4 "$VIGIA" ingest "$SRC/tests/data/edifact"
# A gate-in and a loading with another seal for the CUSCAR's avocado container.
cat >"$TMP/events.csv" <<'CSV'
container,event,time,port,terminal,vessel_name,voyage,seals,seal_party
CSQU3054383,load,2024-05-03T10:00,PECLL,DPW,MSC ANNA,FA123E,SL77777,CA
CSV
expect 0 "$VIGIA" ingest "$TMP/events.csv"

expect 1 "$VIGIA" score --as-of yesterday
expect 1 "$VIGIA" score --rescore-days 0
expect 0 "$VIGIA" --format csv score --as-of 2024-05-10
grep -q "^assessed,[1-9]" "$TMP/out" || fail "nothing assessed: $(cat "$TMP/out")"
expect 0 "$VIGIA" --format csv rules list
grep -q ",vigia-default,2026.7,yes," "$TMP/out" || fail "default rules not stored and active"

# Scoring again adds nothing, and appends nothing to the audit trail.
expect 0 "$VIGIA" --format csv audit log --limit 0
before=$(grep -c . "$TMP/out")
expect 0 "$VIGIA" --format csv score --as-of 2024-05-10
grep -q "^assessed,0" "$TMP/out" || fail "second run assessed again"
grep -q "^rescored,0" "$TMP/out" || fail "second run re-scored"
expect 0 "$VIGIA" --format csv audit log --limit 0
[ "$(grep -c . "$TMP/out")" = "$before" ] || fail "second run appended an audit entry"

# The stable CSV interface.
expect 0 "$VIGIA" assessments --format csv
head -n 1 "$TMP/out" | grep -q $'^container,bill_of_lading,port,departure,moment,score,band,reasons,' ||
    fail "header: $(head -n 1 "$TMP/out")"
head -n 1 "$TMP/out" | grep -q $'\r$' || fail "CSV lines do not end in CRLF"
grep -q '^CSQU3054383,MSCU123456789,PECLL,2024-05-04T03:00:00Z,pre-load,[0-9]*\.[0-9]\{4\},' "$TMP/out" ||
    fail "CSQU3054383 row: $(grep CSQU3054383 "$TMP/out")"
# Reasons hold commas: quoted; each cites its message and segment.
grep CSQU3054383 "$TMP/out" | grep -q ' | Seal changed between gate-in and loading (gate seal SL12345 -> load seal SL77777); source: CODECO GI-1 (message [0-9]*, segment 6), events.csv (message [0-9]*, record 1) | ' ||
    fail "seal reason: $(grep CSQU3054383 "$TMP/out")"
grep CSQU3054383 "$TMP/out" | grep -q ',"First shipment of the exporter (recent export trips with a new shipper: unknown); source: CUSCAR CUS-2024-0815 (message [0-9]*, segment 8), CUSCAR CUS-2024-0815 (message [0-9]*, segment 12) | ' ||
    fail "reasons not quoted: $(grep CSQU3054383 "$TMP/out")"
expect 0 "$VIGIA" assessments --format csv --from 2024-05-05
[ "$(grep -c . "$TMP/out")" = 1 ] || fail "--from kept trips departing before"
expect 0 "$VIGIA" assessments --format json --port PECLL --to 2024-05-04
grep -q '"container": *"CSQU3054383"' "$TMP/out" || fail "json listing: $(head -c 300 "$TMP/out")"
expect 1 "$VIGIA" assessments --from someday
# --features: the same rows with the feature record (JSON) as a last column.
expect 0 "$VIGIA" assessments --format csv
cut -d, -f1-7 "$TMP/out" >"$TMP/plain"
expect 0 "$VIGIA" assessments --format csv --features
head -n 1 "$TMP/out" | grep -q $',missing_feeds,features\r$' || fail "features header: $(head -n 1 "$TMP/out")"
cut -d, -f1-7 "$TMP/out" | cmp -s - "$TMP/plain" || fail "--features changed the rows"
grep CSQU3054383 "$TMP/out" | grep -q '"{""port"":""PECLL"",.*,""_sources"":{""m[0-9]*:[0-9]* m[0-9]*"":\[""port""\],' ||
    fail "feature record: $(grep CSQU3054383 "$TMP/out" | tail -c 400)"

# The feature record of the container's trip.
expect 0 "$VIGIA" features CSQU3054383 --as-of 2024-05-10 --format csv
grep -q '^seal_load,SL77777,string,known,,"events.csv (message [0-9]*, record 1)"' "$TMP/out" ||
    fail "seal_load: $(grep seal_load "$TMP/out")"
grep -q '^seal_booking,,string,unknown,no booking or shipping-instruction feed' "$TMP/out" ||
    fail "seal_booking unknown reason missing"
grep -q '^hs_code,080440,string,known,,"CUSCAR CUS-2024-0815 (message [0-9]*, segment 15)"' "$TMP/out" ||
    fail "hs_code source: $(grep '^hs_code' "$TMP/out")"
expect 2 "$VIGIA" features NOSUCH1234567

# A new rule set version: loaded, activated, used by the next score (a new version of the
# trips' assessments, because the rules changed).
cat >"$TMP/local.rules" <<'RULES'
ruleset callao-local
version 1
owner "PCU Callao"
rule AVO-1
  title "Avocados"
  rationale "local test rule"
  weight 40
  when hs_code in prefix("0804")
end
RULES
expect 0 "$VIGIA" rules load "$TMP/local.rules"
expect 0 "$VIGIA" rules load "$TMP/local.rules"
grep -q "already stored" "$TMP/err" || fail "second load: $(cat "$TMP/err")"
sed 's/weight 40/weight 45/' "$TMP/local.rules" >"$TMP/changed.rules"
expect 2 "$VIGIA" rules load "$TMP/changed.rules"
grep -q "already stored with other rules" "$TMP/err" || fail "changed version accepted"
printf 'ruleset x\nversion 1\nrule R\n when nosuch\nend\n' >"$TMP/bad.rules"
expect 2 "$VIGIA" rules load "$TMP/bad.rules"
grep -q "bad.rules:" "$TMP/err" || fail "compile errors not printed"
expect 0 "$VIGIA" --format csv score --as-of 2024-05-11
grep -q "^rescored,[1-9]" "$TMP/out" || fail "new rules did not re-score: $(cat "$TMP/out")"
expect 0 "$VIGIA" assessments --format csv --all
grep -q 'Avocados (hs_code = 080440); source: CUSCAR' "$TMP/out" || fail "new rule reason missing"
grep -c '^CSQU3054383,' "$TMP/out" | grep -q '^2$' || fail "--all does not list both versions"

# Back-test on an outcome of the avocado trip.
sqlite3 "$VIGIA_DB" "INSERT INTO outcomes(container_number, bl_number, port, inspected_at,
  result, digest, recorded_at) VALUES('CSQU3054383', 'MSCU123456789', 'BEANR',
  strftime('%s', '2024-05-30'), 'drugs', randomblob(32), 0)" 2>/dev/null ||
    { echo "sqlite3 not available: back-test not checked"; exit 0; }
expect 0 "$VIGIA" rules backtest "$TMP/local.rules" --format csv
grep -q '^AVO-1,Avocados,score,40,1,1,1,1.0000,' "$TMP/out" || fail "backtest: $(cat "$TMP/out")"
exit 0
