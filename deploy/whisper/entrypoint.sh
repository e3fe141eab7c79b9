#!/bin/sh
# Entry point of sms-todo/whisper: runs the CMD (whisper-server and its flags) with the model baked into the image and
# the thread count from WHISPER_THREADS (default 4; a Pi 4 sidecar uses 3 to leave a core for the rest).
# `exec` replaces this shell, so tini's SIGTERM goes straight to whisper-server.
set -eu

threads="${WHISPER_THREADS:-4}"
case "$threads" in
  '' | *[!0-9]* | 0)
    echo "WHISPER_THREADS must be a positive whole number, got '$threads'" >&2
    exit 64
    ;;
esac

if [ "${1:-}" = "whisper-server" ]; then
  shift
  exec /usr/local/bin/whisper-server --model "$WHISPER_MODEL_PATH" --threads "$threads" "$@"
fi

# Anything else (a shell, whisper-server --help through its full path) runs as given.
exec "$@"
