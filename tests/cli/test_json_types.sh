# --format json keeps what values are (docs/cli.md): counts, ids, weights and scores are
# JSON numbers; identifiers that look like numbers (HS codes with their leading zero,
# RUCs, B/L numbers) stay strings; a missing value is null. Table and CSV print the same
# text as before.
. "$(dirname "$0")/lib.sh"

# jtype FILE PATH: the JSON type SQLite sees at PATH ('integer', 'real', 'text', 'null').
jtype() { sqlite3 :memory: "SELECT json_type(CAST(readfile('$1') AS TEXT), '$2')"; }
jval() { sqlite3 :memory: "SELECT json_extract(CAST(readfile('$1') AS TEXT), '$2')"; }

# is FILE PATH TYPE [VALUE]: the member at PATH has TYPE (and VALUE).
is() {
    got=$(jtype "$1" "$2")
    if [ "$got" != "$3" ]; then
        echo "FAIL: $(basename "$1") $2 is '$got', expected $3"
        head -c 600 "$1"
        FAILS=$((FAILS + 1))
    elif [ $# -ge 4 ] && [ "$(jval "$1" "$2")" != "$4" ]; then
        echo "FAIL: $(basename "$1") $2 is '$(jval "$1" "$2")', expected '$4'"
        FAILS=$((FAILS + 1))
    fi
}

expect 0 "init as json" "$VIGIA" init --format json
printf '%s' "$OUT" >"$WORK/init.json"
is "$WORK/init.json" '$.schema_version' integer
is "$WORK/init.json" '$.store' text

# The test feed has good and bad records: partly done (exit 4), a summary of counts.
expect 4 "ingest as json" "$VIGIA" ingest "$SRC/tests/data/ingest" --format json
printf '%s' "$OUT" >"$WORK/ingest.json"
is "$WORK/ingest.json" '$.files' integer 4
is "$WORK/ingest.json" '$.rejected' integer 4
is "$WORK/ingest.json" '$.containers' integer

expect 0 "rejects as json" "$VIGIA" rejects --format json
printf '%s' "$OUT" >"$WORK/rejects.json"
is "$WORK/rejects.json" '$[0].line' integer
is "$WORK/rejects.json" '$[0].offset' integer
is "$WORK/rejects.json" '$[0].reason' text
is "$WORK/rejects.json" '$[0].item' null

expect 0 "show bl as json" "$VIGIA" show bl MSCU123456789 --format json
printf '%s' "$OUT" >"$WORK/bl.json"
is "$WORK/bl.json" '$.goods[0].hs_code' text 080440
is "$WORK/bl.json" '$.goods[0].packages' integer 1800
is "$WORK/bl.json" '$.goods[0].gross_kg' real 21600.0
is "$WORK/bl.json" '$.goods[0].net_kg' null
is "$WORK/bl.json" '$.consignments[0].bl_number' text MSCU123456789
shipper=$(sqlite3 :memory: "SELECT key FROM json_each(CAST(readfile('$WORK/bl.json') AS TEXT), '\$.parties')
                            WHERE json_extract(value, '\$.role') = 'shipper'")
is "$WORK/bl.json" "\$.parties[$shipper].ruc" text 20100047218
is "$WORK/bl.json" "\$.parties[$shipper].shipments" integer

# The other formats print the text as it was.
expect 0 "goods as csv" "$VIGIA" show bl MSCU123456789 --section goods --format csv
contains ",080440,FRESH AVOCADOS,1800,BOXES,21600.0," "CSV text unchanged"
# Ingested again: the files read whole are recognised by their content and not read; the
# one with rejected messages is read again (its good message a duplicate).
expect 4 "edifact" "$VIGIA" ingest "$SRC/tests/data/edifact" --format json
expect 4 "edifact again" "$VIGIA" ingest "$SRC/tests/data/edifact" --format json
printf '%s' "$OUT" >"$WORK/again.json"
is "$WORK/again.json" '$.files' integer 3
is "$WORK/again.json" '$.files_unchanged' integer 2
is "$WORK/again.json" '$.accepted' integer 0

expect 0 "version as json" "$VIGIA" version --format json
printf '%s' "$OUT" >"$WORK/version.json"
is "$WORK/version.json" '$.schema' integer
is "$WORK/version.json" '$.sqlite' text
finish
