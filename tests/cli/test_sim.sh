# vigia sim: help, usage errors, a small world written and refused a second time, --force,
# the configuration commands, JSON output.
. "$(dirname "$0")/lib.sh"

expect 0 "sim --help" "$VIGIA" sim --help
contains "usage: vigia sim" "sim help"
expect 0 "help sim" "$VIGIA" help sim
expect 1 "sim without --out" "$VIGIA" sim --days 1
contains "--out" "missing --out explained"
expect 1 "bad days" "$VIGIA" sim --out "$WORK/w" --days 0
expect 1 "bad scale" "$VIGIA" sim --out "$WORK/w" --scale -1
expect 1 "bad seed" "$VIGIA" sim --out "$WORK/w" --seed abc
expect 1 "bad start" "$VIGIA" sim --out "$WORK/w" --start 2024-13-01 --days 1 --scale 0.05
expect 1 "extra argument" "$VIGIA" sim --out "$WORK/w" stray

expect 0 "small world" "$VIGIA" sim --out "$WORK/w" --seed 3 --days 2 --scale 0.1
contains "trips" "summary lists trips"
contains "blake2b-256:" "summary gives the config digest"
[ -s "$WORK/w/truth.json" ] || { echo "FAIL: no truth.json"; FAILS=$((FAILS + 1)); }
[ -s "$WORK/w/outcomes.csv" ] || { echo "FAIL: no outcomes.csv"; FAILS=$((FAILS + 1)); }
[ -s "$WORK/w/watchlist.csv" ] || { echo "FAIL: no watchlist.csv"; FAILS=$((FAILS + 1)); }
ls "$WORK/w/feeds/cuscar/"*.edi >/dev/null 2>&1 || { echo "FAIL: no CUSCAR"; FAILS=$((FAILS + 1)); }
ls "$WORK/w/feeds/ais/"*.nmea >/dev/null 2>&1 || { echo "FAIL: no AIS"; FAILS=$((FAILS + 1)); }
json_valid "$WORK/w/truth.json" "truth.json"

expect 2 "non-empty directory" "$VIGIA" sim --out "$WORK/w" --days 1 --scale 0.05
contains "not empty" "refusal explained"
expect 0 "--force replaces" "$VIGIA" sim --out "$WORK/w" --days 1 --scale 0.05 --force --no-ais
if ls "$WORK/w/feeds/ais/"*.nmea >/dev/null 2>&1; then
    echo "FAIL: --force left the earlier AIS files"
    FAILS=$((FAILS + 1))
fi
expect 0 "json summary" "$VIGIA" sim --out "$WORK/j" --days 1 --scale 0.05 --no-ais --format json
printf '%s' "$OUT" > "$WORK/sum.json"
json_valid "$WORK/sum.json" "sim --format json"

expect 0 "print-config" "$VIGIA" sim --print-config
printf '%s' "$OUT" > "$WORK/peru.json"
json_valid "$WORK/peru.json" "built-in configuration"
expect 0 "check the built-in" "$VIGIA" sim --check-config "$WORK/peru.json"
expect 0 "check the variant" "$VIGIA" sim --check-config "$SRC/sim/variant-north.json"
printf '{"extends": "peru", "patterns": {"rip_on": {"rate": 1}}}' > "$WORK/bad.json"
expect 2 "bad config" "$VIGIA" sim --check-config "$WORK/bad.json"
contains "patterns.rip_on.rate: unknown key" "config error names the key"
expect 2 "bad config for a run" "$VIGIA" sim --out "$WORK/b" --config "$WORK/bad.json"
expect 2 "missing config" "$VIGIA" sim --check-config "$WORK/nope.json"

finish
