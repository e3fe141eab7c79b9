import type { messaging } from "@sms-todo/contracts";
import { isAudioContentType } from "@sms-todo/rules";

export type InboundRoute = "audio" | "text";

/** A message with any voice note goes to transcription; everything else is read as text. */
export function routeOf(message: Pick<messaging.InboundMessage, "media">): InboundRoute {
  return message.media.some((item) => isAudioContentType(item.contentType)) ? "audio" : "text";
}
