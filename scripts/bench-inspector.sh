#!/usr/bin/env bash
# The inspector at scale, measured: `vmlab pages --summary` on a 64 GiB sparse range
# (PAGEMAP_SCAN and pread) against a naive one-pread-per-entry baseline, and
# `vmlab maps` against `pmap -X`, in one run, with ratios. See benches/inspector.rs.
#
#   sudo scripts/bench-inspector.sh              # full run (the naive baseline takes ~20 s)
#   sudo scripts/bench-inspector.sh --quick      # naive baseline on 1 GiB, scaled x64
#   scripts/bench-inspector.sh --runs 9          # more runs per median
#
# Run it as root: unprivileged, frame numbers are hidden and no frame file is read,
# which is not the cost a root user pays.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $EUID -ne 0 ]]; then
    echo "note: not root: frame numbers are hidden, so this measures less than a root run" >&2
fi
exec cargo bench --bench inspector -- "$@"
