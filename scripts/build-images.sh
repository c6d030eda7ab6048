#!/usr/bin/env bash
# Builds the images the agent imports at start, without the internet:
#   build/images/pause.tar    kubets.local/pause:3.10   (static C init, user 65535)
#   build/images/busybox.tar  kubets.local/busybox:1.35 (busybox-static, cmd sh)
# OCI archives made with umoci. Each index entry carries the full image name in
# the io.containerd.image.name annotation, so `ctr images import` (no
# --index-name) gives the image exactly that name and nothing else.
# Idempotent: skips an image whose inputs have not changed.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=build/images
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kt-images.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

BUSYBOX=/bin/busybox

# name_oci LAYOUT FULLNAME: puts the full name on the index's manifest entries.
name_oci() {
  node -e '
    const fs = require("fs");
    const [file, name] = process.argv.slice(1);
    const idx = JSON.parse(fs.readFileSync(file, "utf8"));
    const tag = name.slice(name.lastIndexOf(":") + 1);
    for (const m of idx.manifests) {
      m.annotations = { ...(m.annotations || {}), "io.containerd.image.name": name, "org.opencontainers.image.ref.name": tag };
    }
    fs.writeFileSync(file, JSON.stringify(idx));
  ' "$1/index.json" "$2"
}

# up_to_date NAME STAMP: the archive exists and was built from the same inputs.
up_to_date() {
  [[ -f "$OUT/$1.tar" && -f "$OUT/$1.stamp" && "$(cat "$OUT/$1.stamp")" == "$2" ]]
}

# finish NAME LAYOUT STAMP: archives the layout atomically.
finish() {
  # Unique temp names: test processes may build at the same time.
  tar cf "$OUT/$1.tar.$$" -C "$2" .
  mv "$OUT/$1.tar.$$" "$OUT/$1.tar"
  echo "$3" >"$OUT/$1.stamp.$$"
  mv "$OUT/$1.stamp.$$" "$OUT/$1.stamp"
  echo "build-images: built $OUT/$1.tar" >&2
}

build_pause() {
  local name=kubets.local/pause:3.10
  local stamp
  stamp=$(cat scripts/build-images.sh scripts/images/pause.c | sha256sum | cut -d' ' -f1)
  up_to_date pause "$stamp" && return 0
  gcc -static -Os -s -o "$WORK/pause" scripts/images/pause.c
  umoci init --layout "$WORK/pause-oci"
  umoci new --image "$WORK/pause-oci:3.10"
  umoci unpack --rootless --image "$WORK/pause-oci:3.10" "$WORK/pause-bundle" >/dev/null
  install -m 0755 "$WORK/pause" "$WORK/pause-bundle/rootfs/pause"
  umoci repack --image "$WORK/pause-oci:3.10" "$WORK/pause-bundle"
  umoci config --image "$WORK/pause-oci:3.10" --config.entrypoint /pause --config.user 65535:65535
  umoci gc --layout "$WORK/pause-oci"
  name_oci "$WORK/pause-oci" "$name"
  finish pause "$WORK/pause-oci" "$stamp"
}

build_busybox() {
  local name=kubets.local/busybox:1.35
  local stamp
  stamp=$( (cat scripts/build-images.sh; sha256sum "$BUSYBOX") | sha256sum | cut -d' ' -f1)
  up_to_date busybox "$stamp" && return 0
  umoci init --layout "$WORK/bb-oci"
  umoci new --image "$WORK/bb-oci:1.35"
  umoci unpack --rootless --image "$WORK/bb-oci:1.35" "$WORK/bb-bundle" >/dev/null
  local rootfs="$WORK/bb-bundle/rootfs"
  mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,home,var/www}
  chmod 1777 "$rootfs/tmp"
  install -m 0755 "$BUSYBOX" "$rootfs/bin/busybox"
  # One symlink per applet, where busybox itself would install it.
  "$BUSYBOX" --list-full | while read -r applet; do
    [[ "$applet" == bin/busybox ]] && continue
    [[ -e "$rootfs/$applet" ]] || ln -s /bin/busybox "$rootfs/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$rootfs/etc/group"
  umoci repack --image "$WORK/bb-oci:1.35" "$WORK/bb-bundle"
  umoci config --image "$WORK/bb-oci:1.35" --config.cmd sh --config.env PATH=/usr/sbin:/usr/bin:/sbin:/bin
  umoci gc --layout "$WORK/bb-oci"
  name_oci "$WORK/bb-oci" "$name"
  finish busybox "$WORK/bb-oci" "$stamp"
}

build_pause
build_busybox
