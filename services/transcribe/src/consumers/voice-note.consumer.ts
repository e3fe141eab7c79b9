import { messaging } from "@sms-todo/contracts";
import { decodeDelivery, type DeliveryHandler, type Logger } from "@sms-todo/shared";
import { transcribeVoiceNote, type VoiceNoteDeps } from "../voice-notes/transcribe-voice-note.use-case.js";

export interface VoiceNoteConsumerDeps extends VoiceNoteDeps {
  logger: Logger;
}

/**
 * Handles one delivery of the audio queue: decode, run the voice-note use case, log what
 * happened. Errors are not caught: retryable AppErrors go back to the queue with back-off,
 * the others (and the retryable ones past the delivery limit) to the dead-letter queue.
 */
export function createVoiceNoteHandler(deps: VoiceNoteConsumerDeps): DeliveryHandler {
  const log = deps.logger.child({ component: "voice-note-consumer" });
  return async (delivery) => {
    const message = decodeDelivery(delivery, messaging.InboundMessage, {
      type: "messaging.v1.InboundMessage",
      required: ["messageSid", "from"],
    });
    const result = await transcribeVoiceNote(deps, {
      messageSid: message.messageSid,
      from: message.from,
      receivedAtMs: message.receivedAtMs,
      media: message.media,
      lastAttempt: delivery.lastAttempt,
    });
    log.info({ messageId: message.messageSid, deliveryCount: delivery.deliveryCount, ...result }, "voice note handled");
  };
}
