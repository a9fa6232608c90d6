#!/bin/bash
# scripts/quality --small: the quality harness runs its whole pipeline (sim, ingest, watch
# list, outcomes, train on the history, score, eval) on one small world and prints its
# table row. Checks that the harness works, not the quality targets (the small world's
# figures mean nothing; `make quality` measures them).
# Arguments: vigia binary, shared data directory, source directory.
set -u
VIGIA=$1
SRC=$3
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
VIGIA_QUALITY_DIR=$TMP VIGIA_LOG=error "$SRC/scripts/quality" --small "$VIGIA" >"$TMP/out" 2>"$TMP/err"
rc=$?
# 0: every world passes, 1: some fails; 2 would mean the pipeline broke.
[ "$rc" = 0 ] || [ "$rc" = 1 ] || { cat "$TMP/out" "$TMP/err" "$TMP"/small/log >&2; fail "exit $rc"; }
grep -q '^targets: ROC AUC >= 0.97, precision at 1% >= 0.75 of the best, recall at 2% >= 0.80' "$TMP/out" ||
    fail "no targets line: $(cat "$TMP/out")"
grep -q '^world  *config  *seed  *days  *scale  *model pos/ex  *trips  *cases  *AUC  *prec@1%rel  *recall@2%  *patterns  *result' "$TMP/out" ||
    fail "no header: $(cat "$TMP/out")"
row=$(grep '^small ' "$TMP/out") || fail "no row for the small world: $(cat "$TMP/out")"
# The row: a trained model (positives/examples), trips and cases of the evaluation days,
# figures in [0, 1], patterns found/all, the verdict that matches the exit status, the
# model alone (AUC/recall at 2%) and the seconds.
echo "$row" | grep -Eq '^small +peru +5 +90 +0\.25 +[0-9]+/[0-9]+ +[0-9]{4,} +[1-9][0-9]* +[01]\.[0-9]{3} +[01]\.[0-9]{3} +[01]\.[0-9]{3} +[0-9]/[0-9] +(PASS|FAIL) +[01]\.[0-9]{3}/[01]\.[0-9]{3} +[0-9]+$' ||
    fail "row: $row"
[ "$rc" = 0 ] && [[ "$row" != *PASS* ]] && fail "exit 0 with a failing world"
[ "$rc" = 1 ] && [[ "$row" != *FAIL* ]] && fail "exit 1 without a failing world"
# The pieces are kept for inspection: the training report and the evaluation.
grep -q '^trained,yes' <(tr -d '\r' <"$TMP/small/train.csv") || fail "train: $(cat "$TMP/small/train.csv")"
[ "$(sqlite3 :memory: "SELECT json_valid(CAST(readfile('$TMP/small/eval.json') AS TEXT))")" = 1 ] || fail "eval.json"
echo ok
