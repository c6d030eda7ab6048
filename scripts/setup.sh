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

# npm packages: install when node_modules is missing or older than the lockfile.
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages" >&2
  # better-sqlite3 compiles SQLite from source (its prebuilt binaries come from
  # GitHub, out of reach here). At its -O3, that one file took 19 minutes on a
  # CI machine; -O1 (placed after -O3, so it wins) takes well under half that.
  # JOBS=max compiles its C++ beside it. CFLAGS in the environment overrides.
  CFLAGS="${CFLAGS:--O1}" JOBS="${JOBS:-max}" npm ci --no-audit --no-fund --loglevel=error
fi

npm run --silent build

# Images the agent imports at start (pause, busybox demo), built from Debian's
# busybox-static without the internet. Never committed.
scripts/build-images.sh
