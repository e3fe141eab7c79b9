import type { messaging } from "@sms-todo/contracts";

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

export type InboundRoute = "audio" | "text";

/** "Audio/OGG; codecs=opus" → "audio/ogg". */
export function mediaTypeEssence(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

export function isAudioContentType(contentType: string): boolean {
  return AUDIO_CONTENT_TYPES.has(mediaTypeEssence(contentType));
}

/** A message with any voice note goes to transcription; everything else is read as text. */
export function routeOf(message: Pick<messaging.InboundMessage, "media">): InboundRoute {
  return message.media.some((item) => isAudioContentType(item.contentType)) ? "audio" : "text";
}
