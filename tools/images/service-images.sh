#!/usr/bin/env bash
# Builds the Node service images from deploy/Dockerfile with buildah (no Docker engine), one per SERVICE, and checks
# what each image says it runs: the architecture asked for, user 10001:10001, node as the command.
#
#   tools/images/service-images.sh [--arch amd64|arm64] [SERVICE...]     default: amd64, all five services
#
# Images are tagged localhost/sms-todo/<service>:check (amd64) or :check-arm64. The base must be there
# (base-images.sh for the same architecture). --layers caches every step in the storage buildah is set up for
# (test-images.sh points CONTAINERS_STORAGE_CONF at .cache/images/storage), so the stages every service shares
# (toolchain, deps, build) are built once, and an unchanged tree builds nothing. The build stages run on this machine's
# own platform, also for arm64: the final stage only copies, so an arm64 image needs no emulation to build.
# Stops at the first failing build, printing the end of its log; no working container is left behind.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export CACHE_DIR="${CACHE_DIR:-$repo/.cache/images}"
arch=amd64
if [ "${1:-}" = --arch ]; then
  arch="${2:?usage: service-images.sh [--arch amd64|arm64] [SERVICE...]}"
  shift 2
fi
case "$arch" in
  amd64 | arm64) ;;
  *) echo "unknown architecture '$arch' (amd64 or arm64)" >&2; exit 64 ;;
esac
services=("$@")
if [ "${#services[@]}" -eq 0 ]; then services=(ingress command transcribe todo-domain notifier); fi
suffix=""
[ "$arch" = amd64 ] || suffix="-$arch"
case "$(uname -m)" in
  x86_64) build_platform=linux/amd64 ;;
  aarch64) build_platform=linux/arm64 ;;
  *) echo "no build platform for $(uname -m)" >&2; exit 1 ;;
esac
# buildah keeps RUN --mount=type=cache folders (npm's cache) under TMPDIR: inside the cache folder, like the rest.
export TMPDIR="$CACHE_DIR/tmp"
mkdir -p "$TMPDIR"

before="$(buildah containers --all --quiet --notruncate)"
remove_leaked() {
  local leaked
  for leaked in $(comm -13 <(sort <<<"$before") <(buildah containers --all --quiet --notruncate | sort)); do
    buildah rm "$leaked" >/dev/null 2>&1 || true
  done
}
trap remove_leaked EXIT

for service in "${services[@]}"; do
  image="localhost/sms-todo/$service:check$suffix"
  log="$CACHE_DIR/build-$service$suffix.log"
  started=$SECONDS
  status=0
  # BUILDPLATFORM is BuildKit's own; buildah 1.28 does not set it, so the build stages' --platform=$BUILDPLATFORM
  # would be empty (the target's platform, under emulation). --pull=never: the base is the local stand-in.
  buildah bud --isolation chroot --layers --force-rm --pull=never \
    --platform "linux/$arch" --build-arg BUILDPLATFORM="$build_platform" --build-arg SERVICE="$service" \
    -f "$repo/deploy/Dockerfile" -t "$image" "$repo" >"$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    tail -40 "$log" >&2
    echo "building $image failed (exit $status); the whole log: $log" >&2
    exit 1
  fi
  config="$(buildah inspect --type image --format '{{.OCIv1.Architecture}} {{.OCIv1.Config.User}}' "$image")"
  if [ "$config" != "$arch 10001:10001" ]; then
    echo "$image: architecture and user are '$config', expected '$arch 10001:10001'" >&2
    exit 1
  fi
  # The Node inside must be the target's: the final stage's base, not the build stages'.
  ctr="$(buildah from --pull=never --arch "$arch" "$image")"
  mnt="$(buildah mount "$ctr")"
  node_arch="$(od -An -tx1 -j18 -N2 "$mnt/usr/local/bin/node" | tr -d ' ')"
  test -f "$mnt/app/services/$service/dist/main.js" || { echo "$image has no /app/services/$service/dist/main.js" >&2; exit 1; }
  buildah umount "$ctr" >/dev/null
  buildah rm "$ctr" >/dev/null
  case "$arch:$node_arch" in
    amd64:3e00 | arm64:b700) ;;
    *) echo "$image: /usr/local/bin/node is for ELF machine 0x$node_arch, not $arch" >&2; exit 1 ;;
  esac
  printf '%-42s built in %4d s (%2d steps from the layer cache), %s, user 10001:10001\n' "$image" \
    $((SECONDS - started)) "$(grep -c -- '--> Using cache' "$log" || true)" "$(buildah images --format '{{.Size}}' "$image")"
done
