#!/usr/bin/env bash
# Makes a local image named like the Dockerfile's base (debian:12.11-slim) from a debootstrap root filesystem, for
# machines that can reach Debian's package mirror but no container registry. It is a STAND-IN: Debian bookworm
# minbase (whatever point release the mirror serves), trimmed the way the slim images are, not Docker Hub's image.
#
#   tools/images/debian-stand-in.sh [IMAGE]        IMAGE defaults to debian:12.11-slim
#
# The root filesystem is debian-rootfs.sh's tarball (made by debootstrap when missing, kept under CACHE_DIR, default
# <repo>/.cache/images). The image goes to the storage buildah is set up for (whisper-image.sh and test-images.sh point
# CONTAINERS_STORAGE_CONF at their own).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
image="${1:-debian:12.11-slim}"

# An image of that name that we did not make (a real pull on a machine with registry access) is used as it is.
if buildah inspect --type image "$image" >/dev/null 2>&1 \
  && [ "$(buildah inspect --type image --format '{{index .OCIv1.Config.Labels "org.sms-todo.stand-in"}}' "$image")" != "true" ]; then
  echo "base: $image exists and is not a stand-in; using it as it is"
  exit 0
fi

tarball="$("$here/debian-rootfs.sh" amd64)"
digest="$(sha256sum "$tarball" | cut -c1-64)"

if [ "$(buildah inspect --type image --format '{{index .OCIv1.Config.Labels "org.sms-todo.rootfs-sha256"}}' "$image" 2>/dev/null)" = "$digest" ]; then
  echo "base: $image is the stand-in made from the cached root filesystem (reused)"
  exit 0
fi

ctr=""
cleanup() { if [ -n "$ctr" ]; then buildah rm "$ctr" >/dev/null 2>&1 || true; fi; }
trap cleanup EXIT

ctr="$(buildah from scratch)"
buildah add --quiet "$ctr" "$tarball" / >/dev/null
# Files the slim image has and minbase lacks: dpkg keeps later packages' documentation out as well (the same kind of
# path-exclude rules), and apt sees the updates and security suites as on the real image (plain HTTP: no CA needed).
cfg="$(mktemp -d)"
trap 'rm -rf "$cfg"; cleanup' EXIT
cat >"$cfg/slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
DPKG
cat >"$cfg/debian.sources" <<'APT'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
APT
buildah copy --quiet --chmod 0644 "$ctr" "$cfg/slim" /etc/dpkg/dpkg.cfg.d/slim >/dev/null
buildah copy --quiet --chmod 0644 "$ctr" "$cfg/debian.sources" /etc/apt/sources.list.d/debian.sources >/dev/null
buildah run --isolation chroot "$ctr" -- rm -f /etc/apt/sources.list
buildah config --os linux --arch amd64 --cmd bash \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --label org.sms-todo.stand-in=true --label "org.sms-todo.rootfs-sha256=$digest" "$ctr"
buildah commit --quiet --rm "$ctr" "$image" >/dev/null
ctr=""
echo "base: $image is a STAND-IN made from a Debian bookworm minbase root filesystem (debootstrap), not Docker Hub's image"
