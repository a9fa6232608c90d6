#!/bin/bash
# vigia train and scoring with the model, on a small simulated world (90 days, scale 0.25,
# no AIS): too few labels say so (exit 2) and scoring goes on with rules and lists; a
# model is trained, stored, activated and audited; training again stores nothing; the
# assessments' reasons hold the model's words and record its version; a new model (or
# --no-model) re-scores the trips of the window as new versions; options and exit codes.
# Arguments: vigia binary, shared data directory, source directory.
set -u
VIGIA=$1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export VIGIA_DB=$TMP/v.db VIGIA_AUDIT_KEY=$TMP/audit.key VIGIA_AUDIT_EXPORT=$TMP/heads VIGIA_LOG=error
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { # expect CODE command...
    local want=$1; shift
    "$@" >"$TMP/out" 2>"$TMP/err"; local got=$?
    [ "$got" = "$want" ] || { head -c 2000 "$TMP/out" "$TMP/err" >&2; fail "$* exited $got, expected $want"; }
}
field() { tr -d '\r' <"$TMP/out" | awk -F, -v k="$1" '$1 == k { print $2 }'; }
q() { sqlite3 "$VIGIA_DB" "$1"; }

expect 3 "$VIGIA" train
expect 0 "$VIGIA" init
expect 0 "$VIGIA" sim --out "$TMP/w" --days 90 --scale 0.25 --seed 5 --no-ais
expect 4 "$VIGIA" -q ingest "$TMP/w/feeds"
expect 0 "$VIGIA" -q outcome import "$TMP/w/outcomes.csv"
TRAIN="--until 2024-07-20 --delay-days 20"

# Usage errors.
expect 1 "$VIGIA" train --delay-days x
expect 1 "$VIGIA" train --min-positives 0
expect 1 "$VIGIA" train --until someday
expect 1 "$VIGIA" train extra

# Too few labels: exit 2, the counts, nothing stored; scoring goes on without a model.
expect 2 "$VIGIA" --format csv train $TRAIN --min-positives 100000
[ "$(field trained)" = no ] || fail "trained: $(cat "$TMP/out")"
grep -q "too few positive" "$TMP/out" "$TMP/err" || fail "no reason given: $(cat "$TMP/out" "$TMP/err")"
[ "$(field examples)" -gt 300 ] || fail "examples: $(field examples)"
[ "$(q 'SELECT count(*) FROM models')" = 0 ] || fail "a model was stored"
expect 0 "$VIGIA" --format csv score --as-of 2024-08-04
[ "$(field model)" = none ] || fail "model without a model: $(field model)"
first=$(field assessed)
[ "$first" -gt 20000 ] || fail "assessed $first"
[ "$(q "SELECT count(*) FROM assessment_reasons WHERE kind = 'model'")" = 0 ] || fail "model reasons without a model"

# Trained: what it learned from, validation figures, stored, active, audited.
expect 0 "$VIGIA" --format csv train $TRAIN --min-positives 5
[ "$(field trained)" = yes ] || fail "not trained: $(cat "$TMP/out" "$TMP/err")"
version=$(field model)
[[ "$version" =~ ^20240629-[0-9a-f]{12}$ ]] || fail "version '$version'"
[ "$(field active)" = yes ] || fail "not active"
[ "$(field examples)" = 407 ] || fail "examples $(field examples)"
[ "$(field positives)" = 11 ] || fail "positives $(field positives)"
[ "$(field partner_positives)" = 11 ] || fail "partner positives $(field partner_positives)"
[ "$(field random)" = 27 ] || fail "random $(field random)"
[ "$(field late_negatives_left_out)" = 89 ] || fail "late negatives $(field late_negatives_left_out)"
[ "$(field from)" = 2024-05-06T23:05:00Z ] || fail "from $(field from)"
[ "$(field share_targeted)" = "1.000000 (not measured)" ] || fail "targeted share $(field share_targeted)"
awk -v x="$(field share_random)" 'BEGIN { exit !(x > 0.001 && x < 0.003) }' || fail "random share $(field share_random)"
awk -v x="$(field auc)" 'BEGIN { exit !(x > 0 && x <= 1) }' || fail "auc $(field auc)"
grep -q '^precision_at_1%,' "$TMP/out" || fail "no precision at 1%"
grep -q '^best_precision_at_2%,' "$TMP/out" || fail "no best precision at 2%"
id=$(field model_id)
[ "$(q "SELECT version || ' ' || active FROM models WHERE id = $id")" = "$version 1" ] || fail "models row"
expect 0 "$VIGIA" --format csv audit log --limit 2
grep -q ',model.activate,' "$TMP/out" && grep -q ',model.insert,' "$TMP/out" || fail "audit: $(cat "$TMP/out")"
entries=$(q 'SELECT count(*) FROM audit_log')

# The same examples again: the same version, nothing stored, nothing audited.
expect 0 "$VIGIA" --format csv train $TRAIN --min-positives 5
[ "$(field model)" = "$version" ] || fail "another version from the same examples"
grep -q '^stored,no' "$TMP/out" || fail "stored again: $(field stored)"
[ "$(q 'SELECT count(*) FROM audit_log')" = "$entries" ] || fail "training again was audited"
expect 0 "$VIGIA" train $TRAIN --min-positives 5 --format json
grep -q '"trained": *"yes"' "$TMP/out" || fail "json: $(head -c 300 "$TMP/out")"

# Scoring with the model: a day later every trip of the re-score window (the last 10
# days) gets a version with the model's term, its words and its version.
expect 0 "$VIGIA" --format csv score --as-of 2024-08-05 --rescore-days 10
[ "$(field model)" = "$version" ] || fail "score used $(field model)"
XX
[ "$(q "SELECT count(*) FROM assessments a WHERE model_id = $id AND NOT EXISTS (SELECT 1 FROM assessment_reasons r WHERE r.assessment_id = a.id AND r.kind = 'model' AND r.code = '$version')")" = 0 ] ||
    fail "assessments with the model but without its reason"
expect 0 "$VIGIA" assessments --format csv --from 2024-07-28
grep -q "Model $version: probability 0\.[0-9]\{3\}; [A-Z][^|]*; \(raises\|lowers\) the risk" "$TMP/out" ||
    fail "model words: $(grep -m1 -o 'Model [^|]*' "$TMP/out")"
grep -q ",$version,[^,]*$" <(tr -d '\r' <"$TMP/out") || fail "model column"
# The evidence keeps the probability, the contributions and the novel features.
ev=$(q "SELECT evidence FROM assessment_reasons WHERE kind = 'model' LIMIT 1")
[ "$(sqlite3 :memory: "SELECT json_type('$ev', '\$.probability') || json_type('$ev', '\$.novel')")" = realarray ] ||
    fail "evidence: $ev"
# Scoring again adds nothing.
expect 0 "$VIGIA" --format csv score --as-of 2024-08-05 --rescore-days 10
[ "$(field assessed)" = 0 ] && [ "$(field rescored)" = 0 ] || fail "second run wrote: $(cat "$TMP/out")"

# Another model, stored inactive: nothing changes until it is active.
expect 0 "$VIGIA" --format csv train --until 2024-07-25 --delay-days 20 --min-positives 5 --no-activate
v2=$(field model)
[ "$v2" != "$version" ] || fail "same version from other examples"
[ "$(field active)" = no ] || fail "activated"
[ "$(q "SELECT version FROM models WHERE active = 1")" = "$version" ] || fail "active model changed"
expect 0 "$VIGIA" --format csv train --until 2024-07-25 --delay-days 20 --min-positives 5
[ "$(q "SELECT version FROM models WHERE active = 1")" = "$v2" ] || fail "not activated"
expect 0 "$VIGIA" --format csv score --as-of 2024-08-06 --rescore-days 10
[ "$(field model)" = "$v2" ] || fail "score used $(field model)"
[ "$(field rescored)" -gt 1000 ] || fail "a new model re-scored $(field rescored)"
[ "$(q "SELECT count(DISTINCT model_id) FROM assessments WHERE model_id IS NOT NULL")" = 2 ] || fail "two model versions"

# --no-model: rules and lists alone, a change again.
expect 0 "$VIGIA" --format csv score --as-of 2024-08-07 --rescore-days 10 --no-model
[ "$(field model)" = none ] || fail "--no-model used $(field model)"
[ "$(field rescored)" -gt 1000 ] || fail "--no-model re-scored $(field rescored)"
[ "$(q "SELECT count(*) FROM assessments WHERE as_of = strftime('%s', '2024-08-07') AND model_id IS NOT NULL")" = 0 ] ||
    fail "model recorded with --no-model"

# Presumed negatives: as many trips nobody examined as examined ones, a stream of their own
# with no positive, weighed by the sampled share; stored inactive.
expect 1 "$VIGIA" train --unexamined x
expect 0 "$VIGIA" --format csv train $TRAIN --min-positives 5 --unexamined 1 --no-activate
[ "$(field unexamined)" -gt 100 ] || fail "unexamined $(field unexamined)"
[ "$(field unexamined_positives)" = 0 ] || fail "unexamined positives $(field unexamined_positives)"
[ "$(field examples)" = $((407 + $(field unexamined))) ] || fail "examples $(field examples)"
awk -v x="$(field share_unexamined)" 'BEGIN { exit !(x > 0 && x < 1) }' ||
    fail "unexamined share $(field share_unexamined)"

expect 0 "$VIGIA" audit verify
echo ok
