#!/bin/bash
# Targeting from the command line: a day's selection (recorded, replayable, audited
# reselection), dispositions, outcomes imported and recorded, show, KPIs, evaluation
# against a truth file. Data: tests/data/targeting. Args: vigia binary, shared data dir,
# source dir.
. "$(dirname "$0")/lib.sh"
D="$SRC/tests/data/targeting"
rows() { printf '%s\n' "$OUT" | sed '/^$/d' | wc -l; }

expect 0 "init" "$VIGIA" init
expect 0 "ingest" "$VIGIA" ingest "$D/manifest.csv" "$D/events.csv"
# Assessments as the scorer would write them (it is built elsewhere).
sqlite3 "$VIGIA_DB" "
INSERT INTO assessments(trip_id, version, moment, as_of, score, band, mandatory_hold, created_at)
SELECT t.id, 1, 'pre-load', 0, CASE c.number WHEN 'TGTU1000015' THEN 95 WHEN 'TGTU1000020' THEN 80
  WHEN 'TGTU1000036' THEN 70 ELSE 10 END, 'amber', c.number = 'TGTU1000015', 0
FROM trips t JOIN containers c ON c.id = t.container_id WHERE t.departure_at < 1717000000;
INSERT INTO assessment_reasons(assessment_id, seq, kind, code, weight, text)
SELECT a.id, 1, 'rule', 'R-SEAL', 30, 'seal changed at loading' FROM assessments a WHERE a.score = 80;"

expect 1 "no port" "$VIGIA" targets --date 2024-05-03
expect 2 "bad date" "$VIGIA" targets --port PECLL --date 2024-13-01
contains "YYYY-MM-DD" "says what a date looks like"
expect 1 "bad share" "$VIGIA" targets --port PECLL --date 2024-05-03 --random-share 2

expect 0 "select" "$VIGIA" targets --port PECLL --date 2024-05-03 --capacity 4 --seed 42 --format csv
contains "target,rank,container,bills_of_lading,score,band,selection,state,reasons" "csv header"
contains "1,1,TGTU1000015,TGT0001,95.00,amber,hold,selected" "the hold first"
contains "2,2,TGTU1000020,TGT0002,80.00,amber,rule,selected,seal changed at loading" "then the rule"
contains ",random,selected" "a random draw"
contains "for tests" "--seed warns"
[ "$(rows)" -eq 5 ] || { echo "FAIL: 4 targets expected"; FAILS=$((FAILS + 1)); }
FIRST=$OUT

expect 0 "again: the record" "$VIGIA" targets --port PECLL --date 2024-05-03 --capacity 9 --format csv
[ "$OUT" = "$FIRST" ] || { echo "FAIL: a second selection differs"; FAILS=$((FAILS + 1)); }
contains "earlier run" "says it is the recorded one"

expect 0 "as json" "$VIGIA" targets --port PECLL --date 2024-05-03 --format json
printf '%s' "$OUT" >"$WORK/t.json"
json_valid "$WORK/t.json" "targets json"
contains '"vessels": [' "vessel targets listed apart"

expect 1 "reselect without reason" "$VIGIA" targets --port PECLL --date 2024-05-03 --reselect
expect 0 "verify" "$VIGIA" targets verify --port PECLL --date 2024-05-03 --format csv
contains "verified,yes" "the draw replays"
contains "seeded,yes" "seeded is recorded"

expect 0 "pending" "$VIGIA" targets --pending --format csv
[ "$(rows)" -eq 5 ] || { echo "FAIL: 4 pending expected"; FAILS=$((FAILS + 1)); }
expect 2 "waiver without reason" "$VIGIA" targets dispose 3 waived
contains "reason" "asks for a reason"
expect 2 "unknown code" "$VIGIA" targets dispose 3 waived --code friend
expect 0 "waiver with a code" "$VIGIA" targets dispose 3 waived --code diplomatic
expect 2 "twice" "$VIGIA" targets dispose 3 not_arrived
expect 1 "not a disposition" "$VIGIA" targets dispose 3 inspected
contains "outcome record" "points to outcome record"

expect 4 "outcomes import" "$VIGIA" outcome import --format csv "$D/outcomes.csv"
contains "outcomes.csv,10,5,0,0,5,2,4,0,1,1" "counts"
contains "outcomes.csv:6: result 'positive'" "reject with file:line"
expect 4 "outcomes again" "$VIGIA" outcome import --format csv "$D/outcomes.csv"
contains "outcomes.csv,10,0,0,5,5" "nothing new"
expect 0 "rejects kept" "$VIGIA" rejects --format csv
contains "inspected_at 'not a time'" "kept in rejects"

expect 0 "record an examination" "$VIGIA" outcome record --target 1 --result drugs --kg 250 \
    --substance cocaine --concealment door_end_bags --method full --at 2024-05-03T16:00Z --format csv
contains "status,recorded" "recorded"
contains "link,target" "linked through its target"
contains "target_closed,1" "the target is closed"
expect 1 "bad result" "$VIGIA" outcome record --container TGTU1000020 --result maybe
expect 2 "kg with a negative result" "$VIGIA" outcome record --container TGTU1000020 --port PECLL \
    --result negative --kg 3
expect 0 "outcome list" "$VIGIA" outcome list --container TGTU1000015 --format csv
contains "NLRTM" "the find abroad"
contains "container+bl+date" "linked by B/L"
expect 0 "link" "$VIGIA" outcome link --format csv
contains "still_unlinked,1" "the unknown container stays unlinked"

expect 0 "pending now" "$VIGIA" targets --pending --format csv
[ "$(rows)" -eq 2 ] || { echo "FAIL: one target left pending"; FAILS=$((FAILS + 1)); }

expect 0 "show" "$VIGIA" show container TGTU1000015
contains "Timeline of equipment events" "timeline"
contains "2024-05-01T23:30:00-05:00" "local time"
contains "Parties and their history" "parties"
expect 0 "show json" "$VIGIA" show container TGTU1000015 --format json
printf '%s' "$OUT" >"$WORK/s.json"
json_valid "$WORK/s.json" "show json"
expect 1 "show csv needs a section" "$VIGIA" show container TGTU1000015 --format csv
expect 0 "show csv section" "$VIGIA" show container TGTU1000015 --format csv --section seals
contains "SL1099,CA,load" "seal at loading"
expect 1 "unknown section" "$VIGIA" show container TGTU1000015 --section nope --format csv
expect 2 "unknown container" "$VIGIA" show container MSCU1234566
expect 0 "show bl" "$VIGIA" show bl TGT0013
contains "GREEN COFFEE" "goods"
expect 0 "show party" "$VIGIA" show party 20100047218
contains "Agro Norte" "the party"
expect 0 "show vessel" "$VIGIA" show vessel 9074729
contains "FA124E" "its voyages"
expect 1 "show what" "$VIGIA" show ship X
# The message a record rests on, with its bytes as sent (kept compressed when that saves).
MID=$(sqlite3 "$VIGIA_DB" "SELECT message_id FROM consignments WHERE bl_number = 'TGT0013'")
expect 0 "show message" "$VIGIA" show message "$MID"
contains "manifest.csv" "the file it came in"
expect 0 "show message content" "$VIGIA" show message "$MID" --section content --format csv
contains "TGT0013" "the bytes as sent"
expect 2 "unknown message" "$VIGIA" show message 999999
expect 2 "a message id is a number" "$VIGIA" show message TGT0013

expect 0 "kpi" "$VIGIA" kpi --format json
printf '%s' "$OUT" >"$WORK/k.json"
json_valid "$WORK/k.json" "kpi json"
expect 0 "kpi by selection" "$VIGIA" kpi --section by_selection --format csv
contains "hold,1,1,1.0000,0,250" "the hold found 250 kg"
contains "random,1,1,1.0000" "the file's random examination"
expect 0 "kpi random stream" "$VIGIA" kpi --section random_stream
contains "ci95_high" "Wilson interval"
expect 1 "kpi csv needs a section" "$VIGIA" kpi --format csv
expect 2 "kpi bad port" "$VIGIA" kpi --port nowhere

expect 0 "eval a ranking" "$VIGIA" eval --truth "$D/truth.json" --ranking "$D/ranking.csv" \
    --rates 0.1,0.5 --format csv
contains "10%,2,1.00,0.5000,1.0000,0.5000,0.3333,2.0" "precision at 10%"
contains "rejected" "the bad ranking row is reported"
expect 0 "eval json" "$VIGIA" eval --truth "$D/truth.json" --format json
printf '%s' "$OUT" >"$WORK/e.json"
json_valid "$WORK/e.json" "eval json"
contains '"roc_auc"' "auc"
expect 1 "eval needs truth" "$VIGIA" eval
expect 2 "eval bad truth" "$VIGIA" eval --truth "$D/manifest.csv"
expect 1 "eval bad rates" "$VIGIA" eval --truth "$D/truth.json" --rates 0,2

expect 0 "settings" "$VIGIA" targets settings --port PECLL --capacity 6 --random-share 0.2 --format csv
contains "PECLL,6,,0.2" "stored"
expect 1 "settings need a port" "$VIGIA" targets settings --capacity 6
expect 0 "audit" "$VIGIA" audit log --format csv
contains "targets.select" "selection audited"
contains "targets.dispose" "waiver audited"
contains "targets.settings" "settings audited"
contains "outcomes.import" "import audited"
contains "outcomes.record" "record audited"
expect 0 "audit verify" "$VIGIA" audit verify
expect 0 "help" "$VIGIA" help targets
contains "ASYCUDA" "help explains the order"

finish
