#!/usr/bin/env bash
# Makes the voice notes the whisper checks send, in the containers phones and Twilio deliver: AMR-NB (.amr), AMR-NB in
# 3GPP (.3gp), Opus in Ogg (.ogg), plus a 16 kHz WAV for a server running without ffmpeg. Speech comes from espeak-ng;
# AMR-NB is encoded by sox through libopencore-amrnb, because Debian's ffmpeg has AMR decoders but no AMR encoder.
#
#   tools/images/voice-notes.sh DIR        writes DIR/note.{wav,amr,3gp,ogg}; an existing complete set is kept
set -euo pipefail

dir="${1:?usage: voice-notes.sh DIR}"
mkdir -p "$dir"
if [ -s "$dir/note.wav" ] && [ -s "$dir/note.amr" ] && [ -s "$dir/note.3gp" ] && [ -s "$dir/note.ogg" ]; then
  exit 0
fi

for tool in espeak-ng ffmpeg sox; do
  command -v "$tool" >/dev/null || { echo "voice notes need $tool (apt-get install espeak-ng ffmpeg sox libopencore-amrnb0)" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
espeak-ng -w "$work/speech.wav" "Remind me to buy milk tomorrow at nine."
ffmpeg -hide_banner -loglevel error -y -i "$work/speech.wav" -ar 16000 -ac 1 -c:a pcm_s16le "$work/note.wav"
# AMR-NB is 8 kHz mono; mode 7 is 12.2 kbit/s, what phones send for voice.
sox "$work/speech.wav" -r 8000 -c 1 -t amr-nb -C 7 "$work/note.amr"
ffmpeg -hide_banner -loglevel error -y -i "$work/note.amr" -c:a copy -f 3gp "$work/note.3gp"
ffmpeg -hide_banner -loglevel error -y -i "$work/speech.wav" -ar 48000 -ac 1 -c:a libopus -b:a 24k "$work/note.ogg"
for ext in wav amr 3gp ogg; do
  mv "$work/note.$ext" "$dir/note.$ext"
done
