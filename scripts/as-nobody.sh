#!/usr/bin/env bash
# Run a vmlab command as an unprivileged user, to see what a student without sudo sees.
#
#   sudo scripts/as-nobody.sh tour
#   sudo scripts/as-nobody.sh pages self stack --runs
#   sudo VMLAB_USER=alice scripts/as-nobody.sh demo cow
#
# Must be started as root (it drops to $VMLAB_USER, default nobody, with setpriv). The
# release binary is copied to a private temp directory that user can read (target/ is
# often not), and the directory is removed on exit, also on error or Ctrl-C.
set -euo pipefail

user="${VMLAB_USER:-nobody}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${VMLAB_BIN:-$root/target/release/vmlab}"

if [[ $EUID -ne 0 ]]; then
    echo "error: run this as root (sudo $0 $*): it switches to user '$user'" >&2
    exit 2
fi
if ! command -v setpriv >/dev/null; then
    echo "error: setpriv (util-linux) is missing" >&2
    exit 3
fi
if [[ ! -x "$bin" ]]; then
    echo "error: $bin does not exist; build it first: cargo build --release" >&2
    exit 3
fi
group="$(id -gn "$user")" || { echo "error: no user '$user'" >&2; exit 2; }

dir="$(mktemp -d /tmp/vmlab-as-nobody.XXXXXX)"
trap 'rm -rf "$dir"' EXIT
install -m 0755 "$bin" "$dir/vmlab"
chmod 0755 "$dir"
cd /
setpriv --reuid="$user" --regid="$group" --clear-groups "$dir/vmlab" "$@"
