#!/usr/bin/env bash
# Compares `vmlab ostep SCRIPT FLAGS` with the real OSTEP homework script, or records
# the script's output as test fixtures.
#
#   OSTEP_DIR=~/ostep-homework scripts/ostep-compare.sh [--record] [--seeds N] [SCRIPT...]
#
# Needs python3 and a checkout of the homework (github.com/remzi-arpacidusseau/
# ostep-homework; the scripts are found anywhere under OSTEP_DIR). The cases are
# tests/fixtures/ostep/SCRIPT/cases.txt: one flag set a line, `#` comments. A line
# starting with `!` is a case where vmlab differs from the script on purpose (the
# script crashes, hangs or is wrong: vmlab gives the right answer or an error, with a
# marked `>> vmlab:` line); it is recorded, but not compared.
#
# Without --record: every case as written, then every case again with `-s K` appended
# for K = 0 .. N-1 (N from --seeds, 50 by default; the last -s wins, as in optparse).
# Standard output is compared whitespace aside (diff -b), without vmlab's marked (`>>`)
# lines, and so is the exit code; a run that differs only where vmlab marks the
# script's line (every script line vmlab does not print is quoted in a '>>'
# line) counts as noted, not as a difference. Prints each difference and a count per script.
# With --record: writes tests/fixtures/ostep/SCRIPT/NNN.txt for each case as written
# (`args:` and `exit:` lines, `----`, then the script's standard output).
#
# VMLAB names the vmlab binary (default: target/debug/vmlab, built when missing).
set -u
cd "$(dirname "$0")/.."

record=0
seeds=50
scripts=()
while [ $# -gt 0 ]; do
    case "$1" in
        --record) record=1 ;;
        --seeds) seeds="$2"; shift ;;
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
        *) scripts+=("$1") ;;
    esac
    shift
done

: "${OSTEP_DIR:?set OSTEP_DIR to a checkout of ostep-homework}"
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 2; }
VMLAB=${VMLAB:-target/debug/vmlab}
if [ ! -x "$VMLAB" ]; then
    cargo build --quiet --bin vmlab || exit 2
fi
if [ ${#scripts[@]} -eq 0 ]; then
    for d in tests/fixtures/ostep/*/; do
        [ -f "$d/cases.txt" ] && scripts+=("$(basename "$d")")
    done
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Whether every line the script prints that vmlab does not is quoted in one of vmlab's
# marked lines (where the script is wrong, vmlab prints the right line and marks the
# script's): a difference vmlab explains.
marked() {
    python3 - "$tmp/py" "$tmp/vmall" <<'PY'
import sys
py = [l.rstrip() for l in open(sys.argv[1], errors='replace')]
vm = [l.rstrip() for l in open(sys.argv[2], errors='replace')]
notes = '\n'.join(l for l in vm if l.startswith('>>'))
plain = set(l for l in vm if not l.startswith('>>'))
sys.exit(0 if notes and all(l in plain or l in notes for l in py) else 1)
PY
}

# Runs one case both ways; prints a diff and returns 1 when they differ (2 when they
# differ only where vmlab marks the script's lines).
compare() {
    local py="$1" name="$2" args="$3"
    # shellcheck disable=SC2086
    (cd "$(dirname "$py")" && timeout 20 python3 "./$name" $args) >"$tmp/py" 2>/dev/null
    local py_rc=$?
    # One marked line a line, however long, for the comparison.
    # shellcheck disable=SC2086
    COLUMNS=100000 VMLAB_LANG=en "$VMLAB" ostep "$name" $args >"$tmp/vmall" 2>/dev/null
    local vm_rc=$?
    grep -v '^>>' "$tmp/vmall" >"$tmp/vm"
    if ! diff -b "$tmp/py" "$tmp/vm" >"$tmp/diff" || [ "$py_rc" != "$vm_rc" ]; then
        if [ "$py_rc" = "$vm_rc" ] && marked; then
            return 2
        fi
        echo "DIFFERS: $name $args (exit: script $py_rc, vmlab $vm_rc)"
        head -20 "$tmp/diff"
        return 1
    fi
}

status=0
for name in "${scripts[@]}"; do
    cases="tests/fixtures/ostep/$name/cases.txt"
    py=$(find "$OSTEP_DIR" -name "$name" -type f | head -1)
    if [ -z "$py" ] || [ ! -f "$cases" ]; then
        echo "skip $name: no script under OSTEP_DIR or no $cases" >&2
        continue
    fi
    n=0 compared=0 differ=0 noted=0 flagsets=0
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in ''|'#'*) continue ;; esac
        n=$((n + 1))
        args=${line#!}
        if [ "$record" = 1 ]; then
            out="tests/fixtures/ostep/$name/$(printf '%03d' "$n").txt"
            # shellcheck disable=SC2086
            (cd "$(dirname "$py")" && timeout 20 python3 "./$name" $args) >"$tmp/py" 2>/dev/null
            rc=$?
            { echo "args: $line"; echo "exit: $rc"; echo "----"; cat "$tmp/py"; } >"$out"
            continue
        fi
        [ "$line" != "$args" ] && continue
        flagsets=$((flagsets + 1))
        for extra in "" $(seq -f '-s %g' 0 $((seeds - 1)) | tr ' ' '_'); do
            compared=$((compared + 1))
            compare "$py" "$name" "$args ${extra//_/ }"
            case $? in
                1) differ=$((differ + 1)); status=1 ;;
                2) noted=$((noted + 1)) ;;
            esac
        done
    done <"$cases"
    if [ "$record" = 1 ]; then
        echo "$name: recorded $n cases"
    else
        echo "$name: $flagsets flag sets x $((seeds + 1)) seeds = $compared runs compared, $differ differ, $noted differ only where vmlab marks the script wrong"
    fi
done
exit $status
