#!/usr/bin/env bash
# Compares `vmlab ostep SCRIPT` with the real OSTEP script, case by case, and records
# the fixtures the cargo tests read.
#
#   OSTEP_DIR=/path/to/ostep-homework/vm-xxx scripts/ostep-compare.sh [--record] [SCRIPT...]
#
# OSTEP_DIR holds the scripts (malloc.py, ...), flat or in the homework's own folders
# (vm-freespace/, vm-smalltlb/...: searched below OSTEP_DIR). The cases are in
# scripts/ostep-cases/SCRIPT.txt: one flag set a line; a line starting with `seeds:`
# runs its flags once per seed of SEEDS (default 0..99) with `-s SEED` added, any other
# line runs as it is. Every case is judged:
#   same     the lines agree (trailing spaces aside)
#   noted    they differ only where vmlab marked a line '>> vmlab:' quoting the script
#   error    the script crashes (a Python traceback) and vmlab refuses with exit 2
#   DIFF     anything else (the script exits 1)
# --record writes tests/fixtures/ostep/SCRIPT/NNN.txt for the cases of lines without
# `seeds:`, and for seeds 0 to 2 of the others: `args:` then the script's output (and
# `exit: N` for a crash, whose stdout is kept up to the crash).
# VMLAB (default: target/debug/vmlab, built when missing) is the binary compared.
set -euo pipefail
cd "$(dirname "$0")/.."
record=false
if [ "${1:-}" = "--record" ]; then
    record=true
    shift
fi
: "${OSTEP_DIR:?set OSTEP_DIR to a checkout of the OSTEP homework}"
VMLAB=${VMLAB:-target/debug/vmlab}
[ -x "$VMLAB" ] || cargo build --quiet
SEEDS=${SEEDS:-$(seq 0 99)}
scripts=("$@")
if [ ${#scripts[@]} -eq 0 ]; then
    for f in scripts/ostep-cases/*.txt; do scripts+=("$(basename "$f" .txt)"); done
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# Judges one case from the files in $tmp; prints same, noted, error or DIFF.
judge() {
    python3 - "$tmp" <<'EOF'
import sys, os
d = sys.argv[1]
read = lambda n: open(os.path.join(d, n), errors='replace').read()
py, pyrc, err = read('py.out'), int(read('py.rc')), read('py.err')
vm, vmrc = read('vm.out'), int(read('vm.rc'))
py_lines = [l.rstrip() for l in py.splitlines()]
notes = [l for l in vm.splitlines() if l.startswith('>> vmlab:')]
plain = [l.rstrip() for l in vm.splitlines() if not l.startswith('>> vmlab:')]
if pyrc != 0 and 'Traceback' in err:
    if vmrc == 2:
        print('error')
    elif plain[:len(py_lines)] == py_lines and notes:
        print('noted')
    else:
        print('DIFF')
elif vmrc != pyrc:
    print('DIFF')
elif plain == py_lines:
    print('same')
else:
    quoted = '\n'.join(notes)
    missing = [l for l in py_lines if l not in plain and l.strip() and l not in quoted]
    print('noted' if notes and not missing else 'DIFF')
EOF
}

for name in "${scripts[@]}"; do
    script=$(find "$OSTEP_DIR" -name "$name" -print -quit)
    [ -n "$script" ] || { echo "no $name under $OSTEP_DIR" >&2; exit 2; }
    cases="scripts/ostep-cases/$name.txt"
    fixtures="tests/fixtures/ostep/$name"
    if $record; then
        rm -rf "$fixtures"
        mkdir -p "$fixtures"
    fi
    declare -A count=([same]=0 [noted]=0 [error]=0 [DIFF]=0)
    n=0 recorded=0
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in '' | '#'*) continue ;; esac
        if [[ "$line" == seeds:* ]]; then
            flags=${line#seeds:}
            list=$SEEDS
        else
            flags=$line
            list=none
        fi
        for seed in $list; do
            args=$flags
            [ "$seed" = none ] || args="-s $seed $flags"
            # shellcheck disable=SC2086
            (cd "$(dirname "$script")" && python3 "$(basename "$script")" $args) \
                >"$tmp/py.out" 2>"$tmp/py.err" && echo 0 >"$tmp/py.rc" || echo $? >"$tmp/py.rc"
            # shellcheck disable=SC2086
            COLUMNS=100000 "$VMLAB" --lang en ostep "$name" $args >"$tmp/vm.out" 2>/dev/null \
                && echo 0 >"$tmp/vm.rc" || echo $? >"$tmp/vm.rc"
            verdict=$(judge)
            count[$verdict]=$((count[$verdict] + 1))
            n=$((n + 1))
            if [ "$verdict" = DIFF ]; then
                failed=1
                echo "DIFF: $name $args" >&2
            fi
            if $record && { [ "$seed" = none ] || [ "$seed" -le 2 ]; }; then
                recorded=$((recorded + 1))
                out="$fixtures/$(printf %03d "$recorded").txt"
                {
                    echo "args: $args"
                    [ "$(cat "$tmp/py.rc")" = 0 ] || echo "exit: $(cat "$tmp/py.rc")"
                    cat "$tmp/py.out"
                } >"$out"
            fi
        done
    done <"$cases"
    echo "$name: $n cases: ${count[same]} same, ${count[noted]} noted, ${count[error]} error, ${count[DIFF]} DIFF${record:+}$($record && echo "; $recorded recorded")"
    unset count
done
exit $failed
