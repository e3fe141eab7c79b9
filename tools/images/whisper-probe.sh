# Functions that probe a running whisper-server over HTTP, for the image check and the arm64 check. Sourced, not run.
# Every call is bounded in time: a hung server fails the check instead of stalling it.

# A TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_healthy BASE_URL SECONDS PID: waits until GET /health answers 200. Fails at once when PID exits (the server
# died while loading) and after SECONDS otherwise. /health answers 503 while the model loads.
wait_healthy() {
  local base="$1" seconds="$2" pid="$3" deadline=$((SECONDS + $2)) code
  while [ "$SECONDS" -lt "$deadline" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "whisper-server exited before it was healthy" >&2
      return 1
    fi
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/health" || true)"
    if [ "$code" = "200" ]; then
      echo "GET /health: 200 after $((SECONDS - deadline + seconds)) s"
      return 0
    fi
    sleep 0.5
  done
  echo "GET /health did not answer 200 within $seconds s (last status: ${code:-none})" >&2
  return 1
}

# transcribe BASE_URL FILE MIME SECONDS: posts FILE as transcribe does (multipart field file, response_format=json,
# temperature 0) and expects 200 with a JSON object that has a text field. Prints the status, time and text.
transcribe() {
  local base="$1" file="$2" mime="$3" seconds="$4" body status
  body="$(mktemp)"
  status="$(curl -sS -o "$body" -w '%{http_code} %{time_total}' --max-time "$seconds" \
    -F "file=@$file;type=$mime" -F model=whisper-1 -F response_format=json -F temperature=0 \
    "$base/v1/audio/transcriptions")" || { echo "POST $(basename "$file"): no answer within $seconds s" >&2; rm -f "$body"; return 1; }
  if [ "${status%% *}" != "200" ] || ! python3 -c 'import json, sys; assert isinstance(json.load(sys.stdin)["text"], str)' <"$body" 2>/dev/null; then
    echo "POST $(basename "$file") ($mime): status ${status%% *}, body: $(head -c 300 "$body")" >&2
    rm -f "$body"
    return 1
  fi
  printf 'POST %-9s (%s): 200 in %s s, %s\n' "$(basename "$file")" "$mime" "${status#* }" "$(head -c 200 "$body")"
  rm -f "$body"
}
