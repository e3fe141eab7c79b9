#!/usr/bin/env bash
# The one way the image checks make a Debian 12 root filesystem: debootstrap --variant=minbase bookworm from Debian's
# mirror, trimmed the way Docker Hub's slim images are, as a tarball. The stand-in base images (debian-stand-in.sh,
# base-images.sh) are made from it; nothing else runs debootstrap.
#
#   tools/images/debian-rootfs.sh [amd64|arm64]     prints the tarball's path; makes it when missing
#
# arm64 is bootstrapped like amd64, maintainer scripts included, which needs QEMU registered for aarch64 binaries
# (arm64-emulation.sh on). Environment: CACHE_DIR (default <repo>/.cache/images) keeps the tarball between runs;
# ROOTFS, when set, names an existing amd64 root filesystem to pack instead of bootstrapping one (read, never changed).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
arch="${1:-amd64}"
case "$arch" in
  amd64 | arm64) ;;
  *) echo "unknown architecture '$arch' (amd64 or arm64)" >&2; exit 64 ;;
esac
cache="${CACHE_DIR:-$repo/.cache/images}/base"
tarball="$cache/debian-bookworm-minbase-$arch.tar"
mkdir -p "$cache"

if [ -s "$tarball" ]; then
  echo "$tarball"
  exit 0
fi

rootfs="${ROOTFS:-}"
work=""
trap 'if [ -n "$work" ]; then rm -rf "$work"; fi' EXIT
if [ -z "$rootfs" ] || [ "$arch" != amd64 ]; then
  if [ "$arch" = arm64 ] && ! "$here/arm64-emulation.sh" check >&2; then
    echo "bootstrapping arm64 runs its maintainer scripts under QEMU: tools/images/arm64-emulation.sh on" >&2
    exit 1
  fi
  work="$(mktemp -d "$cache/rootfs-$arch.XXXXXX")"
  rootfs="$work/rootfs"
  started=$SECONDS
  debootstrap --variant=minbase --arch="$arch" bookworm "$rootfs" http://deb.debian.org/debian \
    >"$cache/debootstrap-$arch.log" 2>&1 || { tail -20 "$cache/debootstrap-$arch.log" >&2; exit 1; }
  echo "debootstrap bookworm minbase $arch: $((SECONDS - started)) s" >&2
fi

# The slim images carry no documentation, manuals or translations and no package lists or downloaded packages;
# leaving them out here keeps the measured image sizes comparable. Device nodes come from the runtime, not the image.
tar -C "$rootfs" --numeric-owner --xattrs -cf "$tarball.tmp" \
  --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' --exclude='./run/*' --exclude='./tmp/*' \
  --exclude='./var/cache/apt/*.bin' --exclude='./var/cache/apt/archives/*.deb' --exclude='./var/lib/apt/lists/*' \
  --exclude='./usr/share/doc/*' --exclude='./usr/share/man/*' --exclude='./usr/share/info/*' \
  --exclude='./usr/share/locale/*' --exclude='./var/log/*' --exclude='./debootstrap' \
  .
mv "$tarball.tmp" "$tarball"
echo "$tarball"
