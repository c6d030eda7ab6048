#!/usr/bin/env bash
# Brings up a kubets cluster on this machine: installs what it needs, builds,
# then runs `kubets server` in the foreground (Ctrl-C stops it cleanly).
# Extra arguments go to `kubets server`, e.g. scripts/up.sh --port 7443.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node bin/kubets server "$@"
