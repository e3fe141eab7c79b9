/** Voice-note formats phones send (SPEC section 1); 3GPP voice memos arrive labelled as video. */
export const AUDIO_CONTENT_TYPES = [
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
] as const;

export type AudioContentType = (typeof AUDIO_CONTENT_TYPES)[number];

const audioContentTypes: ReadonlySet<string> = new Set(AUDIO_CONTENT_TYPES);

/** "Audio/OGG; codecs=opus" → "audio/ogg". */
export function mediaTypeEssence(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

/** Whether media of this content type is a voice note; parameters, case and padding do not matter. */
export function isAudioContentType(contentType: string): boolean {
  return audioContentTypes.has(mediaTypeEssence(contentType));
}
