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
# script's line (every script line vmlab does not print is quoted in a '>>' line)
# counts as noted, not as a difference. Prints each difference and a count per script.
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

# Runs the script once per line of $1 (its flags), in one python process (a process per
# run costs seconds under load): writes $tmp/py/N.out and $tmp/py/N.rc. A run that
# takes over 20 s is stopped (exit 124: the script hangs).
run_script() {
    local py="$1" list="$2"
    rm -rf "$tmp/py" && mkdir -p "$tmp/py"
    (cd "$(dirname "$py")" && python3 - "$(basename "$py")" "$list" "$tmp/py" <<'PYTHON'
import io, os, runpy, shlex, signal, sys, contextlib
script, listing, out = sys.argv[1], sys.argv[2], sys.argv[3]
class Hang(Exception):
    pass
def alarm(*_):
    raise Hang()
signal.signal(signal.SIGALRM, alarm)
for n, line in enumerate(open(listing).read().splitlines()):
    buf = io.StringIO()
    rc = 0
    sys.argv = ["./" + script] + shlex.split(line)
    signal.alarm(20)
    try:
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
            runpy.run_path(script, run_name="__main__")
    except SystemExit as e:
        rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except Hang:
        rc = 124
    except BaseException:
        rc = 1
    signal.alarm(0)
    open(os.path.join(out, "%d.out" % n), "w").write(buf.getvalue())
    open(os.path.join(out, "%d.rc" % n), "w").write(str(rc))
PYTHON
    )
}

# Whether every line the script prints that vmlab does not is quoted in one of vmlab's
# marked lines (where the script is wrong, vmlab prints the right line and marks the
# script's): a difference vmlab explains.
marked() {
    python3 - "$1" "$2" <<'PY'
import sys
# Whitespace aside, as diff -b (a marked line's quote has its spaces run together).
norm = lambda l: ' '.join(l.split())
py = [norm(l) for l in open(sys.argv[1], errors='replace')]
vm = [l.rstrip() for l in open(sys.argv[2], errors='replace')]
notes = '\n'.join(norm(l) for l in vm if l.startswith('>>'))
plain = set(norm(l) for l in vm if not l.startswith('>>'))
sys.exit(0 if notes and all(l in plain or l in notes for l in py) else 1)
PY
}

status=0
for name in "${scripts[@]}"; do
    cases="tests/fixtures/ostep/$name/cases.txt"
    py=$(find "$OSTEP_DIR" -name "$name" -type f | head -1)
    if [ -z "$py" ] || [ ! -f "$cases" ]; then
        echo "skip $name: no script under OSTEP_DIR or no $cases" >&2
        continue
    fi
    grep -v -e '^#' -e '^$' "$cases" >"$tmp/lines"
    if [ "$record" = 1 ]; then
        sed 's/^!//' "$tmp/lines" >"$tmp/list"
        run_script "$py" "$tmp/list"
        n=0
        while IFS= read -r line; do
            out="tests/fixtures/ostep/$name/$(printf '%03d' $((n + 1))).txt"
            { echo "args: $line"; echo "exit: $(cat "$tmp/py/$n.rc")"; echo "----"; cat "$tmp/py/$n.out"; } >"$out"
            n=$((n + 1))
        done <"$tmp/lines"
        echo "$name: recorded $n cases"
        continue
    fi
    # Every case as written, then with -s K appended, K = 0 .. seeds-1.
    grep -v '^!' "$tmp/lines" >"$tmp/sets"
    : >"$tmp/list"
    while IFS= read -r line; do
        echo "$line" >>"$tmp/list"
        for k in $(seq 0 $((seeds - 1))); do echo "$line -s $k" >>"$tmp/list"; done
    done <"$tmp/sets"
    run_script "$py" "$tmp/list"
    n=0 differ=0 noted=0
    while IFS= read -r line; do
        # One marked line a line, however long, for the comparison.
        # shellcheck disable=SC2086
        COLUMNS=100000 VMLAB_LANG=en "$VMLAB" ostep "$name" $line >"$tmp/vmall" 2>/dev/null
        vm_rc=$?
        grep -v '^>>' "$tmp/vmall" >"$tmp/vm"
        py_rc=$(cat "$tmp/py/$n.rc")
        if ! diff -b "$tmp/py/$n.out" "$tmp/vm" >"$tmp/diff" || [ "$py_rc" != "$vm_rc" ]; then
            if [ "$py_rc" = "$vm_rc" ] && marked "$tmp/py/$n.out" "$tmp/vmall"; then
                noted=$((noted + 1))
            else
                echo "DIFFERS: $name $line (exit: script $py_rc, vmlab $vm_rc)"
                head -20 "$tmp/diff"
                differ=$((differ + 1))
                status=1
            fi
        fi
        n=$((n + 1))
    done <"$tmp/list"
    echo "$name: $(wc -l <"$tmp/sets") flag sets x $((seeds + 1)) runs = $n runs compared, $differ differ, $noted differ only where vmlab marks the script wrong"
done
exit $status
