#!/usr/bin/env bash
# A screenshot of a `vmlab report` page, taken by headless Chromium: to see the page
# as a reader will, without a desktop.
#
#   vmlab report -o tour.html && scripts/report-screenshot.sh tour.html tour.png
#   scripts/report-screenshot.sh tour.html tour.png 1280x8000   # a longer page
#
# Installs nothing: where chromium is missing it says how to get it. Chromium gets a
# profile directory of its own, removed on every way out, and is told not to reach
# any network service (the page itself fetches nothing).
set -euo pipefail

usage="usage: $0 REPORT.html OUT.png [WIDTHxHEIGHT]   (default size 1280x4000)"
if [[ $# -lt 2 || $# -gt 3 || $1 == -h || $1 == --help ]]; then
    echo "$usage" >&2
    exit 2
fi
page=$1
out=$2
size=${3:-1280x4000}
if [[ ! -f $page ]]; then
    echo "error: $page: no such file" >&2
    exit 2
fi
if [[ ! $size =~ ^([0-9]+)x([0-9]+)$ ]]; then
    echo "error: size '$size' is not WIDTHxHEIGHT (e.g. 1280x4000)" >&2
    echo "$usage" >&2
    exit 2
fi
width=${BASH_REMATCH[1]}
height=${BASH_REMATCH[2]}

browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then
    echo "error: chromium is not installed; on Debian or Ubuntu: sudo apt-get install chromium" >&2
    exit 3
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# Absolute paths: Chromium opens a file:// URL, and writes the screenshot relative
# to its own working directory.
url="file://$(realpath "$page")"
target=$(realpath -m "$out")

"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run \
    --user-data-dir="$profile" --hide-scrollbars \
    --screenshot="$target" --window-size="$width,$height" "$url" 2>"$profile/chromium.log" || {
    status=$?
    echo "error: chromium failed (exit $status):" >&2
    tail -n 20 "$profile/chromium.log" >&2
    exit 3
}
if [[ ! -s $target ]]; then
    echo "error: chromium wrote no screenshot; its log:" >&2
    tail -n 20 "$profile/chromium.log" >&2
    exit 3
fi
echo "wrote $out (${width}x${height})"
