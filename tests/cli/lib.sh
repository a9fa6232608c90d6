# Shared helpers for the command-line tests. Sourced by tests/cli/test_*.sh, which get
# the vigia binary, the shared data directory and the source directory as arguments.
set -u
VIGIA=$1
SHARED=$2
SRC=$3
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export VIGIA_DB="$WORK/vigia.db"
export VIGIA_AUDIT_KEY="$WORK/keys/audit.key"
export VIGIA_AUDIT_EXPORT="$WORK/heads.log"
export VIGIA_LOG=error
FAILS=0

# expect CODE DESCRIPTION COMMAND...: runs the command, saves stdout/stderr in $OUT/$ERR.
expect() {
    want=$1
    what=$2
    shift 2
    "$@" >"$WORK/out" 2>"$WORK/err"
    got=$?
    OUT=$(cat "$WORK/out")
    ERR=$(cat "$WORK/err")
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $what: exit $got, expected $want"
        echo "  command: $*"
        echo "  stdout: $(head -c 600 "$WORK/out")"
        echo "  stderr: $(head -c 600 "$WORK/err")"
        FAILS=$((FAILS + 1))
    fi
}

# contains TEXT DESCRIPTION: the last command's stdout+stderr must contain TEXT.
contains() {
    if ! printf '%s\n%s' "$OUT" "$ERR" | grep -qF -- "$1"; then
        echo "FAIL: $2: output lacks '$1'"
        echo "  stdout: $(printf '%s' "$OUT" | head -c 600)"
        echo "  stderr: $(printf '%s' "$ERR" | head -c 600)"
        FAILS=$((FAILS + 1))
    fi
}

# json_valid FILE DESCRIPTION: the file must hold valid JSON (checked by SQLite).
json_valid() {
    ok=$(sqlite3 :memory: "SELECT json_valid(CAST(readfile('$1') AS TEXT))")
    if [ "$ok" != "1" ]; then
        echo "FAIL: $2: not valid JSON"
        head -c 600 "$1"
        FAILS=$((FAILS + 1))
    fi
}

finish() {
    if [ "$FAILS" -ne 0 ]; then
        echo "$FAILS failure(s)"
        exit 1
    fi
    echo "ok"
    exit 0
}
