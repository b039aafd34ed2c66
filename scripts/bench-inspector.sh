#!/usr/bin/env bash
# The inspector at scale, measured: `vmlab pages --summary` (PAGEMAP_SCAN and pread) on
# a dense target (256 MiB + fork + a file), a 64 GiB range with its first 1% touched and
# one with 1 page in 100 touched; against a raw-pread baseline written in the bench
# (page-types' method), the kernel's own walk (a PAGEMAP_SCAN that returns nothing), and
# tools/mm/page-types when you point at a build of it; and `vmlab maps` against
# `pmap -X` on processes of 3,000 and 60,000 regions. Interleaved runs, medians, ratios.
# See benches/inspector.rs.
#
#   sudo scripts/bench-inspector.sh                                # vmlab, baseline, floor, pmap
#   sudo scripts/bench-inspector.sh --page-types /path/to/page-types   # and page-types
#   sudo scripts/bench-inspector.sh --runs 9                       # more runs per median
#   sudo scripts/bench-inspector.sh --only dense                   # one target (dense, 1%, regions...)
#
# page-types is the kernel's tools/mm/page-types.c: build it from a kernel source tree
# (`make -C tools/mm page-types`) and pass its path.
#
# Run it as root: unprivileged, frame numbers are hidden and no frame file is read,
# which is not the cost a root user pays.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $EUID -ne 0 ]]; then
    echo "note: not root: frame numbers are hidden, so this measures less than a root run" >&2
fi
exec cargo bench --bench inspector -- "$@"
