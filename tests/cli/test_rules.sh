#!/bin/bash
# vigia rules check / vigia rules features: output, error format, exit codes.
# Arguments: the vigia binary, the shared data directory, the source directory.
set -u
VIGIA=$1
SRC=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# The default rule set compiles; its rules are listed with their features.
out=$("$VIGIA" rules check "$SRC/rules/default.rules" --format csv 2>"$tmp/err") ||
    fail "default set: exit $?: $(cat "$tmp/err")"
[ "$(echo "$out" | head -n 1 | tr -d '\r')" = "rule_set,id,title,action,weight,valid_from,valid_to,features" ] ||
    fail "header: $(echo "$out" | head -n 1)"
echo "$out" | tr -d '\r' | grep -qx 'vigia-default 2026.7,SEAL-01,Seal changed between gate-in and loading,score,30,2020-01-01,2027-12-31,seal_gate_to_load' ||
    fail "SEAL-01 row missing"
echo "$out" | tr -d '\r' | grep -qx 'vigia-default 2026.7,WL-01,Identifier on a watch list,hold,30,2020-01-01,2027-12-31,watchlist_identifier_match' ||
    fail "WL-01 row missing"
[ "$(echo "$out" | tr -d '\r' | grep -c ',hold,')" = 1 ] || fail "expected exactly one hold rule"

# Errors: every one as FILE:LINE:COLUMN: message on stderr, exit 2, nothing on stdout.
cat >"$tmp/bad.rules" <<'RULES'
ruleset broken
version 1
owner "Analysis unit"

rule X-01
  title     "Dwell"
  rationale "[I]"
  weight    high
  when      dwel_hours > "72"
end
RULES
"$VIGIA" rules check "$tmp/bad.rules" >"$tmp/out" 2>"$tmp/err"
code=$?
[ $code = 2 ] || fail "bad file: exit $code"
[ ! -s "$tmp/out" ] || fail "bad file printed data: $(cat "$tmp/out")"
cat >"$tmp/expected" <<EXPECTED
$tmp/bad.rules:8:13: expected the weight (a number), found 'high'
$tmp/bad.rules:9:13: unknown feature 'dwel_hours' (did you mean 'dwell_hours'?)
EXPECTED
diff -u "$tmp/expected" "$tmp/err" || fail "error lines differ"

# A good and a bad file: the good one is listed, the exit status says there was an error.
"$VIGIA" rules check "$tmp/bad.rules" "$SRC/rules/default.rules" >"$tmp/out" 2>/dev/null
code=$?
[ $code = 2 ] || fail "mixed files: exit $code"
grep -q 'SEAL-01' "$tmp/out" || fail "mixed files: the good file is not listed"

# Unreadable file, usage errors.
"$VIGIA" rules check "$tmp/missing.rules" >/dev/null 2>&1
[ $? = 2 ] || fail "missing file: expected exit 2"
"$VIGIA" rules >/dev/null 2>&1
[ $? = 1 ] || fail "no subcommand: expected exit 1"
"$VIGIA" rules frobnicate >/dev/null 2>&1
[ $? = 1 ] || fail "unknown subcommand: expected exit 1"
"$VIGIA" rules check >/dev/null 2>&1
[ $? = 1 ] || fail "check without files: expected exit 1"
"$VIGIA" rules --help | grep -q 'usage: vigia rules check FILE' || fail "--help"

# The catalogue: one row per feature.
"$VIGIA" rules features --format csv >"$tmp/features" || fail "features: exit $?"
tr -d '\r' <"$tmp/features" | grep -qx 'dwell_hours,number,hours,gate terminal,hours from the first gate-in to loading' ||
    fail "features: dwell_hours row"
[ "$(wc -l <"$tmp/features")" -ge 81 ] || fail "features: too few rows"
echo "ok"
