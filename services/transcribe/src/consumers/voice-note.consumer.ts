import { messaging, todo } from "@sms-todo/contracts";
import { AppError, type Delivery, type Logger } from "@sms-todo/shared";
import { callUnary } from "@sms-todo/shared/grpc-client";

/** Said to the user while voice notes cannot be transcribed by this deployment. */
export const VOICE_NOTES_UNAVAILABLE = "Voice notes can't be turned into todos yet. Please text your todo instead.";

/**
 * Handles one voice note from the audio queue. Transcription through the whisper.cpp
 * sidecar is not wired in yet, so every voice note gets a reply that says so, through
 * todo-domain like every other reply (once per MessageSid).
 */
export function createVoiceNoteHandler(deps: { todoClient: todo.TodoServiceClient; logger: Logger; deadlineMs?: number }) {
  const log = deps.logger.child({ component: "voice-note-consumer" });
  return async (delivery: Delivery): Promise<void> => {
    let message: messaging.InboundMessage;
    try {
      message = messaging.InboundMessage.decode(delivery.body);
    } catch (error) {
      throw new AppError("INVALID_ARGUMENT", "audio queue message is not a messaging.v1.InboundMessage", { cause: error });
    }
    if (!message.messageSid || !message.from) throw new AppError("INVALID_ARGUMENT", "voice note without MessageSid or sender");
    log.info({ messageSid: message.messageSid, media: message.media.length }, "voice note received");
    await callUnary(
      deps.todoClient.rejectMessage.bind(deps.todoClient),
      {
        context: { phoneNumber: message.from, idempotencyKey: `sms:${message.messageSid}`, messageId: message.messageSid },
        reason: VOICE_NOTES_UNAVAILABLE,
      },
      { deadlineMs: deps.deadlineMs ?? 5_000, correlationId: message.messageSid },
    );
  };
}
