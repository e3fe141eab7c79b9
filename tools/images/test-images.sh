#!/usr/bin/env bash
# `npm run test:images`: builds every image of the project with buildah (no Docker engine, no image registry) and
# runs the services from them, printing how long each stage took:
#
#   tools    what is missing from Debian is installed (prerequisites.sh)
#   base     a STAND-IN for node:<.node-version>-bookworm-slim (base-images.sh), from the Debian root filesystem that
#            debian-rootfs.sh makes once (debootstrap) for every stand-in, the whisper image's debian:12.11-slim too
#   build    the five service images from deploy/Dockerfile (service-images.sh): localhost/sms-todo/<service>:check
#   run      the migration and the five services from their images under podman (root read-only, uid 10001, the
#            host's network) against the local PostgreSQL, RabbitMQ and Redis with databases, a queue namespace
#            and a Redis key prefix of their own, a Twilio stand-in; a signed "buy milk" through the ingress container
#            until "Added #1 buy milk" reaches the stand-in; SIGTERM, and every service exits 143
#            (tools/e2e/test/service-images.image.test.ts)
#   whisper  the whisper image, built and checked by whisper-image.sh
#   arm64    the arm64 ingress image (arm64 stand-in base; the build stages run natively, the final stage only
#            copies) run under QEMU user-mode emulation as a Cortex-A72 (Pi 4) and a Cortex-A76 (Pi 5): /healthz
#            answers, SIGTERM stops it with 143 (tools/e2e/test/arm64.image.test.ts)
#   sizes    each image's size, and the size of the /app layer the Dockerfile adds to the base
#
#   tools/images/test-images.sh
#
# Everything is cached under .cache/images (image-storage.sh), with a container storage of its own; a missing piece
# is remade, so an empty folder is a cold start. The tests remove their databases, queues, Redis keys and containers
# whether they pass or fail; on exit, Ctrl-C included, this script removes any container still there and the arm64
# emulation if this run registered it. Run as root.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
# shellcheck source=tools/node/use-node.sh
source tools/node/use-node.sh >/dev/null
# shellcheck source=tools/images/image-storage.sh
. "$here/image-storage.sh"

services=(ingress command transcribe todo-domain notifier)
service_images="localhost/sms-todo/{service}:check"
arm64_service=ingress
arm64_image="localhost/sms-todo/$arm64_service:check-arm64"
node_version="$(tr -d '[:space:]' <.node-version)"

emulation_was_on=1
cleanup() {
  # Containers of a test run that was killed before it could remove them (podman.launcher.ts labels them).
  local left
  left="$(podman ps --all --filter label=org.sms-todo.stack --format '{{.Names}}' 2>/dev/null || true)"
  if [ -n "$left" ]; then
    echo "removing containers left behind: $left" >&2
    # shellcheck disable=SC2086
    podman rm --force --time 0 $left >/dev/null 2>&1 || true
  fi
  if [ "$emulation_was_on" = 0 ]; then "$here/arm64-emulation.sh" off || true; fi
}
trap cleanup EXIT
# An interrupted run still cleans up: the signal becomes an ordinary exit, which runs the EXIT trap.
trap 'exit 130' INT TERM

timings=()
stage() {
  local name="$1" started=$SECONDS
  shift
  echo
  echo "== $name"
  "$@"
  timings+=("$(printf '  %-8s %5d s' "$name" $((SECONDS - started)))")
}

images_test() { # FILE [NAME=VALUE...]: one test file of vitest.images.config.ts
  local file="$1"
  shift
  env "$@" npx vitest run --config vitest.images.config.ts "$file"
}

arm64() {
  "$here/arm64-emulation.sh" check || emulation_was_on=0
  "$here/arm64-emulation.sh" on
  "$here/base-images.sh" arm64
  "$here/service-images.sh" --arch arm64 "$arm64_service"
  images_test tools/e2e/test/arm64.image.test.ts SMS_TODO_ARM64_IMAGE="$arm64_image"
}

# --- sizes -----------------------------------------------------------------------------------------------------------
# One image: its size as buildah counts it (uncompressed layers), and of FOLDER in it (the layer the Dockerfile adds)
# the files, the bytes and the bytes as a registry would store them (tar, gzip -6).
size_row() {
  local image="$1" folder="$2" ctr mnt
  ctr="$(buildah from --pull=never "$image" 2>/dev/null)"
  mnt="$(buildah mount "$ctr")"
  printf '%-52s %8s' "$image" "$(buildah images --format '{{.Size}}' "$image")"
  if [ -n "$folder" ]; then
    printf '   %s: %5d files, %4d MB, %5.1f MB compressed' "$folder" "$(find "$mnt$folder" -type f | wc -l)" \
      "$(($(du -sb "$mnt$folder" | cut -f1) / 1000000))" \
      "$(tar -C "$mnt$folder" -cf - . | gzip -6 | wc -c | awk '{ printf "%.1f", $1 / 1000000 }')"
  fi
  echo
  buildah umount "$ctr" >/dev/null
  buildah rm "$ctr" >/dev/null
}

sizes() {
  local service base
  for service in "${services[@]}"; do size_row "${service_images/\{service\}/$service}" /app; done
  size_row "$arm64_image" /app
  for base in amd64 arm64; do
    size_row "localhost/stand-in/node:$node_version-bookworm-slim-$base" /
  done
  size_row localhost/sms-todo/whisper:check ""
  echo "(the bases are stand-ins: Debian bookworm minbase by debootstrap, Node and npm from the npm registry)"
}

stage tools "$here/prerequisites.sh"
stage base "$here/base-images.sh" amd64
stage build "$here/service-images.sh" "${services[@]}"
stage run images_test tools/e2e/test/service-images.image.test.ts SMS_TODO_SERVICE_IMAGES="$service_images"
stage whisper "$here/whisper-image.sh"
stage arm64 arm64
stage sizes sizes
echo
echo "== durations"
printf '%s\n' "${timings[@]}"
echo "  total    $(printf '%5d' "$SECONDS") s"
