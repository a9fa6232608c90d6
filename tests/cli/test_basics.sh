# The command-line conventions of docs/cli.md: help, exit codes, formats, the store
# lifecycle, identifier checks, the audit trail catching an edit.
. "$(dirname "$0")/lib.sh"

expect 0 "global help" "$VIGIA" --help
contains "commands:" "global help lists commands"
expect 1 "no command" "$VIGIA"
expect 1 "unknown command" "$VIGIA" frobnicate
contains "unknown command" "unknown command message"
for cmd in init codes ingest rejects quality audit selfcheck version help; do
    expect 0 "$cmd --help" "$VIGIA" "$cmd" --help
    contains "usage: vigia" "$cmd --help shows usage"
    expect 0 "help $cmd" "$VIGIA" help "$cmd"
done
expect 1 "unknown option" "$VIGIA" init --bogus
expect 0 "--version" "$VIGIA" --version
contains "sqlite" "version lists libraries"

expect 3 "rejects before init" "$VIGIA" rejects
contains "vigia init" "missing store says how to create it"
expect 0 "init" "$VIGIA" init
contains "schema_version" "init reports the schema"
expect 0 "init again" "$VIGIA" init
expect 0 "init as json" "$VIGIA" init --format json
printf '%s' "$OUT" > "$WORK/init.json"
json_valid "$WORK/init.json" "init --format json"

expect 2 "bad check digit" "$VIGIA" codes check container MSCU1234567
contains "check digit is 7, should be 6" "check digit explained"
expect 0 "good container" "$VIGIA" codes check container CSQU3054383
expect 0 "csv format" "$VIGIA" --format csv codes check container CSQU3054383
contains "kind,input,normalized,valid,detail" "CSV header"
expect 0 "json format" "$VIGIA" codes check --format json mmsi 760123456
printf '%s' "$OUT" > "$WORK/check.json"
json_valid "$WORK/check.json" "codes check --format json"
contains "Peru" "MMSI flag state"
expect 1 "unknown kind" "$VIGIA" codes check iban XX
expect 1 "bad format" "$VIGIA" codes check --format xml imo 9074729

# A code list with one bad record: partly done (4), the good ones in, the bad one kept.
printf ',"PE","CLL","Callao","Callao","CAL","1-------","AI","0601",,"1203S 07709W",\n,"PE","C#L","Bad","Bad",,,,,,,\n' > "$WORK/part.csv"
expect 4 "partly bad code list" "$VIGIA" codes import unlocode "$WORK/part.csv"
contains "part.csv:2" "reject names file and line"
expect 0 "locode now known" "$VIGIA" codes check locode PECLL
contains "Callao" "imported name"
expect 0 "rejects listed" "$VIGIA" --format csv rejects
contains "location part" "reject reason kept"
expect 2 "missing file" "$VIGIA" codes import hs "$WORK/nope.csv"

expect 0 "audit verify" "$VIGIA" audit verify
contains "ok" "chain ok"
expect 0 "selfcheck" "$VIGIA" selfcheck
expect 0 "audit log" "$VIGIA" audit log --limit 2 --format csv
contains "codes.import.unlocode" "import audited"

# ingest --check: every reject and finding printed, nothing stored, the audit chain intact.
printf 'container;event;time;port;gross_kg\nMSCU1234565;gate_in;03/05/2024 08:00;PECLL;12.500,5\nCSQU3054383;teleport;03/05/2024 08:00;PECLL;1\n' > "$WORK/try.csv"
before=$(sqlite3 "$VIGIA_DB" "SELECT (SELECT count(*) FROM messages) || '/' || (SELECT count(*) FROM findings) || '/' || (SELECT count(*) FROM rejects) || '/' || (SELECT count(*) FROM audit_log)")
expect 4 "ingest --check" "$VIGIA" ingest --check "$WORK/try.csv"
contains "try.csv:3: unknown or missing event kind" "check prints the reject"
contains "check digit is 5, should be 6" "check prints the finding"
contains "checked only: nothing was stored" "check says so"
contains "accepted          1" "check counts what would go in"
after=$(sqlite3 "$VIGIA_DB" "SELECT (SELECT count(*) FROM messages) || '/' || (SELECT count(*) FROM findings) || '/' || (SELECT count(*) FROM rejects) || '/' || (SELECT count(*) FROM audit_log)")
if [ "$before" != "$after" ]; then
    echo "FAIL: ingest --check stored something: $before before, $after after"
    FAILS=$((FAILS + 1))
fi
expect 4 "ingest after the check" "$VIGIA" ingest "$WORK/try.csv"
contains "accepted          1" "the real ingest takes it"

# ingest --min-age: a file in a folder written to just now waits for a later run.
mkdir -p "$WORK/drop"
printf 'container,event,time,port\nCSQU3054383,gate_out,2024-05-04T08:00,PECLL\n' > "$WORK/drop/new.csv"
expect 1 "--min-age not a number" "$VIGIA" ingest --min-age soon "$WORK/drop"
contains "--min-age must be" "--min-age says what it takes"
expect 0 "ingest --min-age" "$VIGIA" ingest --min-age 600 "$WORK/drop"
contains "files_deferred    1" "the fresh file is deferred"
contains "accepted          0" "and not read"
expect 0 "ingest without --min-age" "$VIGIA" ingest "$WORK/drop"
contains "accepted          1" "read when no minimum age is asked"

# Tamper with an entry directly in SQLite: verify fails with exit 5 and names it.
sqlite3 "$VIGIA_DB" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor='mallory' WHERE seq=1;"
expect 5 "tampered audit" "$VIGIA" audit verify
contains "BROKEN" "broken result"
contains "entry 1 was modified" "first broken entry named"
expect 5 "selfcheck sees it too" "$VIGIA" selfcheck
finish
