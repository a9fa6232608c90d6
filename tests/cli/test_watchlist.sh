#!/bin/bash
# vigia watchlist: import (idempotent, rejects), screen, dismiss with a second person,
# exit codes; with the shared data, the OFAC SDN list.
# Arguments: vigia binary, shared data directory, source directory.
set -u
VIGIA=$1
SHARED=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export VIGIA_DB=$TMP/v.db VIGIA_AUDIT_KEY=$TMP/audit.key VIGIA_AUDIT_EXPORT=$TMP/heads
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { # expect CODE command...
    local want=$1; shift
    "$@" >"$TMP/out" 2>"$TMP/err"; local got=$?
    [ "$got" = "$want" ] || { cat "$TMP/out" "$TMP/err" >&2; fail "$* exited $got, expected $want"; }
}

expect 0 "$VIGIA" init
cat >"$TMP/national.csv" <<'CSV'
name,type,country,source,note,identifier,aliases
"INVERSIONES AGRO NORTE S.A.C.",party,PE,DEVIDA,front company,20100070970,AGRONORTE SAC
"PEREZ QUISPE, Juan Carlos",person,PE,PNP,courier,,
MAR DEL SUR,vessel,EC,PNP,,IMO 9321483,
MSCU1234566,container,,PNP,cloned number,,
CSV
expect 0 "$VIGIA" watchlist import "$TMP/national.csv"
grep -q "^inserted  *4" "$TMP/out" || fail "first import did not insert 4 entries"
expect 0 "$VIGIA" --format csv watchlist import "$TMP/national.csv"
grep -q "^inserted,0" "$TMP/out" || fail "second import changed something"
grep -q "^unchanged,4" "$TMP/out" || fail "second import: entries not unchanged"
expect 0 "$VIGIA" --format csv audit log --limit 0
[ "$(grep -c watchlist.import "$TMP/out")" = 1 ] || fail "re-import appended an audit entry"

printf 'name,type\n,party\nX,spaceship\n' >"$TMP/bad.csv"
expect 4 "$VIGIA" watchlist import "$TMP/bad.csv"
grep -q "vigia: rejected: .*bad.csv:2: name is empty" "$TMP/err" || fail "reject not reported"
printf 'a,b\n1,2\n' >"$TMP/notalist.csv"
expect 2 "$VIGIA" watchlist import "$TMP/notalist.csv"
expect 1 "$VIGIA" watchlist
expect 1 "$VIGIA" watchlist screen "X" --threshold 2
expect 1 "$VIGIA" watchlist frobnicate

expect 0 "$VIGIA" --format json watchlist screen "Juan Carlos Pérez Quispe" --country PE
grep -q '"score":"1.000"' "$TMP/out" || fail "screen did not find PEREZ QUISPE"
expect 0 "$VIGIA" --format csv watchlist screen "mscu 123456-6" --type container
grep -q "^0.950," "$TMP/out" || fail "container number not matched"
expect 0 "$VIGIA" watchlist screen "NOBODY IN PARTICULAR"
grep -q "no hit" "$TMP/err" || fail "no-hit message missing"

expect 0 "$VIGIA" --format csv watchlist screen "Inversiones Agro Norte SAC"
entry=$(sed -n 2p "$TMP/out" | cut -d, -f2)
[ -n "$entry" ] || fail "no entry id"
expect 2 "$VIGIA" --as alice watchlist dismiss "$entry" "Inversiones Agro Norte SAC" --reason short
expect 0 "$VIGIA" --as alice watchlist dismiss "$entry" "Inversiones Agro Norte SAC" \
    --reason "other company, RUC differs (SUNAT check)"
grep -q "pending" "$TMP/out" || fail "dismissal not pending"
expect 3 "$VIGIA" --as alice watchlist approve 1
grep -q "cannot approve" "$TMP/err" || fail "self-approval not refused"
expect 0 "$VIGIA" --as bob watchlist approve 1
expect 0 "$VIGIA" --format csv watchlist screen "INVERSIONES AGRO NORTE S.A.C."
grep -q "yes (1)" "$TMP/out" || fail "approved dismissal not shown"
expect 0 "$VIGIA" --format csv watchlist dismissals --status approved
grep -q "bob" "$TMP/out" || fail "approver not listed"
expect 0 "$VIGIA" audit verify

if [ -f "$SHARED/sanctions/ofac/sdn.csv" ]; then
    O=$SHARED/sanctions/ofac
    expect 0 "$VIGIA" --format csv watchlist import-ofac "$O/sdn.csv" "$O/alt.csv" "$O/add.csv"
    grep -q "^inserted,14965" "$TMP/out" || fail "OFAC import count"
    expect 0 "$VIGIA" --format csv watchlist screen "OCEAN STAR" --type vessel --id "IMO 9187629"
    grep -q "ARTAVIL" "$TMP/out" || fail "IMO of an SDN vessel not matched"
    expect 0 "$VIGIA" --format csv watchlist list
    grep -q "^OFAC SDN,ofac-sdn," "$TMP/out" || fail "OFAC list not listed"
fi
echo ok
