#!/bin/bash
# vigia ais decode: output formats, rejections on stderr with file:line, exit codes.
# Args: vigia binary, shared data dir, source dir.
set -u
VIGIA=$1
DATA=$2/ais
[ -d "$DATA" ] || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Good input: JSON Lines, exit 0, one object per message, gpsd's field names.
"$VIGIA" ais decode "$DATA/libais/typeexamples.nmea" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || fail "typeexamples: exit $rc"
[ "$(wc -l <"$tmp/out")" -eq 26 ] || fail "typeexamples: expected 26 lines"
head -1 "$tmp/out" | grep -q '^{"class":"AIS","device":".*typeexamples.nmea","type":4,"repeat":0,"mmsi":3669713,"scaled":true,' \
    || fail "typeexamples: first object"
grep -q 'typeexamples.nmea: 26 lines, 26 sentences, 26 messages, 0 rejected' "$tmp/err" \
    || fail "typeexamples: summary on stderr"

# Standard input is "stdin" for gpsd's device field.
"$VIGIA" ais decode - <"$DATA/libais/tagblock.nmea" >"$tmp/out" 2>/dev/null || fail "stdin: exit"
grep -q '"device":"stdin"' "$tmp/out" || fail "stdin: device"
grep -q '"rxtime":"2014-12-10T00:41:53Z","station":"rORBCOMM104"' "$tmp/out" || fail "stdin: tag block"

# Rejections: stderr lines with file:line:column and reason, exit 4, the rest decoded.
"$VIGIA" ais decode "$DATA/gfw-ais-tools/errors.nmea" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 4 ] || fail "errors.nmea: exit $rc, expected 4"
[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "errors.nmea: one message expected"
grep -q '^vigia: rejected: .*errors.nmea:2:89: checksum mismatch: found 77, computed 6D (item 2, byte 182)$' "$tmp/err" \
    || fail "errors.nmea: checksum rejection line"
grep -q '^vigia: rejected: .*errors.nmea:1:1: bad bit count: message type 3 has 186 bits, expected 168' "$tmp/err" \
    || fail "errors.nmea: bit count rejection line"
[ "$(grep -c '^vigia: rejected: ' "$tmp/err")" -eq 4 ] || fail "errors.nmea: four rejections"

# --quiet: nothing on stderr, still exit 4.
"$VIGIA" -q ais decode "$DATA/gfw-ais-tools/errors.nmea" >/dev/null 2>"$tmp/err"
[ $? -eq 4 ] || fail "quiet: exit"
[ ! -s "$tmp/err" ] || fail "quiet: stderr not empty"

# CSV: header, CRLF, one record per message.
"$VIGIA" ais decode --format csv "$DATA/libais/typeexamples.nmea" >"$tmp/out" 2>/dev/null || fail "csv: exit"
head -1 "$tmp/out" | grep -q $'^type,repeat,mmsi,rxtime,station,status,turn,speed,accuracy,lon,lat,course,heading,second,imo,callsign,shipname,shiptype,to_bow,to_stern,to_port,to_starboard,draught,eta,destination,text\r$' \
    || fail "csv: header"
[ "$(wc -l <"$tmp/out")" -eq 27 ] || fail "csv: 26 records expected"
grep -q $'^5,0,249190000,2012-01-01T05:01:05Z,r003669946,,,,,,,,,,9383663,9HMQ9,RUTH THERESA,80,78,23,1,17,7.8,12-30T16:30Z,"BOSTON,USA",\r$' "$tmp/out" \
    || fail "csv: type 5 record"

# Usage and input errors.
"$VIGIA" ais >/dev/null 2>&1; [ $? -eq 1 ] || fail "no subcommand: exit 1"
"$VIGIA" ais decode >/dev/null 2>&1; [ $? -eq 1 ] || fail "no file: exit 1"
"$VIGIA" ais frobnicate x >/dev/null 2>&1; [ $? -eq 1 ] || fail "unknown subcommand: exit 1"
"$VIGIA" ais decode --format table x >/dev/null 2>&1; [ $? -eq 1 ] || fail "table format: exit 1"
"$VIGIA" ais decode --max-pending 0 x >/dev/null 2>&1; [ $? -eq 1 ] || fail "bad option: exit 1"
"$VIGIA" ais decode "$tmp/missing.nmea" >/dev/null 2>&1; [ $? -eq 2 ] || fail "missing file: exit 2"
"$VIGIA" ais --help | grep -q '^usage: vigia ais decode' || fail "help"
exit 0
