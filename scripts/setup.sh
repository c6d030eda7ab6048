#!/usr/bin/env bash
# The one system set-up script: installs every Debian and npm package kubets
# and its tests need, then builds. Idempotent: a second run changes nothing.
# Later components add their packages to DEBIAN_PACKAGES.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  etcd-server etcd-client
  # the node agent: container runtime, CNI plugins, kernel rules, image tools
  containerd runc crun containernetworking-plugins iptables nftables conntrack iproute2
  busybox-static umoci skopeo docker-registry
  # the pause image's static init (scripts/images/pause.c); bcrypt htpasswd for registry tests
  gcc libc6-dev apache2-utils
  # bench:dns load generator
  dnsperf
  # tests: HTTPS clients and test certificates (cluster e2e, PKI checks)
  curl openssl
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian's etcd package starts a system etcd where systemd runs; kubets starts its own.
fi

# npm packages: install when node_modules is missing, older than the lockfile,
# or without the compiled SQLite binding (an earlier set-up stopped midway).
native=
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json || ! -f node_modules/better-sqlite3/build/Release/better_sqlite3.node ]]; then
  echo "setup: installing npm packages" >&2
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  # better-sqlite3 compiles SQLite from source (its prebuilt binaries come from
  # GitHub, out of reach here): npm ci took 23 minutes of CI's machine at its
  # -O3, 18 at -O1 (placed after -O3, so it wins; CFLAGS in the environment
  # overrides). The packages' install scripts run beside the TypeScript build
  # and the images, which do not need them.
  CFLAGS="${CFLAGS:--O1}" JOBS="${JOBS:-max}" npm rebuild --no-audit --no-fund --loglevel=error &
  native=$!
  # A failure elsewhere must not leave the compile running on.
  trap '[[ -n $native ]] && kill "$native" 2>/dev/null' EXIT
fi

npm run --silent build

# Images the agent imports at start (pause, busybox demo), built from Debian's
# busybox-static without the internet. Never committed.
scripts/build-images.sh

if [[ -n $native ]]; then
  pid=$native
  native=
  if ! wait "$pid"; then
    echo "setup: building the npm packages' native parts failed" >&2
    exit 1
  fi
fi
