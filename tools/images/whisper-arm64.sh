#!/usr/bin/env bash
# Cross-compiles whisper-server for arm64 with the Dockerfile's own CMake flags and runs it under QEMU as a Raspberry
# Pi 4 (Cortex-A72, ARMv8.0-A) and a Pi 5 (Cortex-A76, ARMv8.2-A with dot product and FP16 arithmetic). An
# instruction the Pi 4 lacks shows up as SIGILL under -cpu cortex-a72, so this is where a CPU-specific flag would
# be caught before the image reaches a Pi.
#
#   tools/images/whisper-arm64.sh MODEL.bin AUDIO_DIR
#
# AUDIO_DIR holds note.wav and note.amr (tools/images/voice-notes.sh). The build folder is kept under the cache, so a
# second run only checks that nothing changed. Needs g++-aarch64-linux-gnu, cmake, make, qemu-user-static.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=tools/images/whisper-probe.sh
. "$here/whisper-probe.sh"
model="$(realpath "${1:?usage: whisper-arm64.sh MODEL.bin AUDIO_DIR}")"
audio="$(realpath "${2:?usage: whisper-arm64.sh MODEL.bin AUDIO_DIR}")"
cache="${CACHE_DIR:-$repo/.cache/images}/arm64"
dockerfile="$repo/deploy/whisper/Dockerfile"
sysroot=/usr/aarch64-linux-gnu
mkdir -p "$cache"

# --- build -----------------------------------------------------------------------------------------------------------
tarball="$("$here/whisper-source.sh")"
version="$(basename "$tarball" -src.tar.gz)"
src="$cache/$version"
if [ ! -f "$src/CMakeLists.txt" ]; then
  rm -rf "$src" "$cache/build"
  mkdir -p "$src"
  tar -xzf "$tarball" -C "$src" --strip-components=1
fi

# The -D flags of the Dockerfile's cmake command, so this build cannot drift from the image's.
mapfile -t image_flags < <(grep -oE -- '-D[A-Z0-9_]+=[A-Za-z0-9_]+' "$dockerfile")
if [ "${#image_flags[@]}" -eq 0 ]; then
  echo "no -D flags found in $dockerfile" >&2
  exit 1
fi
echo "image flags: ${image_flags[*]}"
# Setting CMAKE_SYSTEM_NAME makes CMake cross-compile; ggml then also defaults GGML_NATIVE to OFF, but the flag above
# says so explicitly, as in the image (whose arm64 build is native under QEMU and would default to ON).
cmake -S "$src" -B "$cache/build" -Wno-dev "${image_flags[@]}" \
  -DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64 \
  -DCMAKE_C_COMPILER=aarch64-linux-gnu-gcc -DCMAKE_CXX_COMPILER=aarch64-linux-gnu-g++ \
  -DCMAKE_FIND_ROOT_PATH="$sysroot" -DCMAKE_FIND_ROOT_PATH_MODE_PROGRAM=NEVER \
  -DCMAKE_FIND_ROOT_PATH_MODE_LIBRARY=ONLY -DCMAKE_FIND_ROOT_PATH_MODE_INCLUDE=ONLY \
  >"$cache/cmake.log" 2>&1 || { tail -30 "$cache/cmake.log" >&2; exit 1; }
grep -E 'ARM detected|Adding CPU backend variant|Checking for ARM features|^--   ' "$cache/cmake.log" || true
# Two jobs: the build machine has two cores and other work on them.
cmake --build "$cache/build" --target whisper-server -j 2 >"$cache/build.log" 2>&1 \
  || { tail -30 "$cache/build.log" >&2; exit 1; }
binary="$cache/build/bin/whisper-server"
file "$binary" | sed "s|$cache/||"

# --- the flags actually used, and the instructions actually emitted ---------------------------------------------------
# compile_commands.json holds every compiler command line (whisper.cpp's CMakeLists turns it on).
arch_flags="$(python3 - "$cache/build/compile_commands.json" <<'PY'
import json, re, sys
flags = set()
for entry in json.load(open(sys.argv[1])):
    flags.update(re.findall(r"-m(?:arch|cpu|tune)=\S+", entry["command"]))
print(" ".join(sorted(flags)))
PY
)"
ggml_cpu_command="$(python3 - "$cache/build/compile_commands.json" <<'PY'
import json, sys
for entry in json.load(open(sys.argv[1])):
    if entry["file"].endswith("ggml-cpu/ggml-cpu.c"):
        print(" ".join(word for word in entry["command"].split() if word.startswith(("-m", "-O", "-D", "-f", "-std"))))
        break
PY
)"
echo "ggml-cpu.c compiled with: $ggml_cpu_command"
if [ -n "$arch_flags" ]; then
  echo "CPU-specific flags in the arm64 build: $arch_flags" >&2
  exit 1
fi
echo "no -march/-mcpu/-mtune in any compile command: the compiler's default, ARMv8-A"
# Instructions beyond ARMv8.0-A that ggml would use if a flag enabled them: dot product (sdot/udot, ARMv8.2 option),
# int8 matrix multiply (smmla/ummla/usmmla, ARMv8.6), SVE (z registers) and FP16 vector arithmetic (.8h/.4h float ops).
# (Atomics are not counted: GCC's outline atomics pick LSE at run time only on CPUs that have it.)
beyond_v8="$(aarch64-linux-gnu-objdump -d --no-show-raw-insn "$binary" \
  | grep -cE $'\t(sdot|udot|smmla|ummla|usmmla)\\s|\\bz[0-9]+\\.[bhsdq]\\b|\t(fmla|fmul|fadd|fsub|fmax|fmin)\\s+v[0-9]+\\.[48]h' || true)"
echo "instructions beyond ARMv8.0-A NEON in whisper-server: $beyond_v8"
if [ "$beyond_v8" != "0" ]; then
  exit 1
fi

# --- run under QEMU as each Pi's CPU ---------------------------------------------------------------------------------
server_pid=""
workdir=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    timeout 10 tail --pid="$server_pid" -f /dev/null || kill -KILL "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
  if [ -n "$workdir" ]; then rm -rf "$workdir"; fi
  workdir=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

check_cpu() {
  local cpu="$1" port base started status=0
  port="$(free_port)"
  base="http://127.0.0.1:$port"
  workdir="$(mktemp -d)"
  started=$SECONDS
  # --convert, as in the image: whisper-server runs ffmpeg through /bin/sh, which QEMU hands to the host's own
  # (amd64) shell and ffmpeg, so only whisper-server itself is emulated.
  (cd "$workdir" && exec qemu-aarch64-static -cpu "$cpu" -L "$sysroot" "$binary" \
    --model "$model" --threads 2 --host 127.0.0.1 --port "$port" \
    --inference-path /v1/audio/transcriptions --convert) >"$workdir/server.log" 2>&1 &
  server_pid=$!
  echo "-- qemu-aarch64 -cpu $cpu"
  if ! wait_healthy "$base" 120 "$server_pid"; then
    status=1
  else
    transcribe "$base" "$audio/note.wav" audio/wav 300 || status=1
    transcribe "$base" "$audio/note.amr" audio/amr 300 || status=1
  fi
  if [ "$status" -ne 0 ] || ! kill -0 "$server_pid" 2>/dev/null; then
    wait "$server_pid" 2>/dev/null; echo "whisper-server exit status: $?" >&2
    grep -E 'Illegal instruction|SIGILL|error|failed' "$workdir/server.log" | head -5 >&2 || true
    tail -5 "$workdir/server.log" >&2
    status=1
  fi
  grep -m1 -o 'system_info: .*' "$workdir/server.log" || grep -m1 -o 'CPU : .*' "$workdir/server.log" || true
  echo "$cpu: $([ "$status" -eq 0 ] && echo ok || echo FAILED) in $((SECONDS - started)) s"
  stop_server
  return "$status"
}

failed=0
for cpu in cortex-a72 cortex-a76; do
  check_cpu "$cpu" || failed=1
done
exit "$failed"
