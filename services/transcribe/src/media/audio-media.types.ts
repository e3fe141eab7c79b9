/** Voice-note formats phones send (SPEC section 1); 3GPP voice memos arrive labelled as video. */
export const AUDIO_CONTENT_TYPES: ReadonlySet<string> = new Set([
  "audio/amr",
  "audio/3gpp",
  "video/3gpp",
  "audio/mp4",
  "audio/aac",
  "audio/mpeg",
  "audio/ogg",
  "audio/opus",
  "audio/wav",
  "audio/webm",
]);

/** "Audio/OGG; codecs=opus" → "audio/ogg". */
export function mediaTypeEssence(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

export function isAudioContentType(contentType: string): boolean {
  return AUDIO_CONTENT_TYPES.has(mediaTypeEssence(contentType));
}

/** A file name whisper-server's ffmpeg can guess the container from. */
export function fileNameFor(contentType: string): string {
  const extension: Record<string, string> = {
    "audio/amr": "amr",
    "audio/3gpp": "3gp",
    "video/3gpp": "3gp",
    "audio/mp4": "m4a",
    "audio/aac": "aac",
    "audio/mpeg": "mp3",
    "audio/ogg": "ogg",
    "audio/opus": "opus",
    "audio/wav": "wav",
    "audio/webm": "webm",
  };
  return `voice-note.${extension[mediaTypeEssence(contentType)] ?? "bin"}`;
}
