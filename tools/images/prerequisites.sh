#!/usr/bin/env bash
# Installs from Debian's mirror whatever the image checks (test-images.sh, whisper-image.sh) need and the machine
# lacks; .ci/run calls it before `npm run test:images`. Needs root, as the checks do.
#
#   tools/images/prerequisites.sh
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
  echo "run as root: buildah's chroot isolation, podman, binfmt_misc, unshare and mount need it" >&2
  exit 1
fi
# command -> Debian package
declare -A packages=(
  [buildah]=buildah [podman]=podman [runc]=runc [debootstrap]=debootstrap [qemu-aarch64-static]=qemu-user-static
  [espeak-ng]=espeak-ng [ffmpeg]=ffmpeg [sox]=sox [aarch64-linux-gnu-g++]=g++-aarch64-linux-gnu [cmake]=cmake
  [make]=make [file]=file [curl]=curl [python3]=python3 [unshare]=util-linux [openssl]=openssl
)
missing=()
for command in "${!packages[@]}"; do
  command -v "$command" >/dev/null || missing+=("${packages[$command]}")
done
# sox encodes AMR-NB through this library, which it loads at run time.
dpkg-query -W -f='${Status}' libopencore-amrnb0 2>/dev/null | grep -q 'ok installed' || missing+=(libopencore-amrnb0)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v npm >/dev/null || { echo "npm is needed to fetch Node, npm and whisper.cpp's source from the registry" >&2; exit 1; }
echo "tools present"
