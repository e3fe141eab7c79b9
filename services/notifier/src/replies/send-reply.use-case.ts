import type { messaging } from "@sms-todo/contracts";
import { AppError, type Logger } from "@sms-todo/shared";
import type { SmsSender } from "../sms/sms.sender.js";
import type { ReplyClaims } from "./reply-claims.repository.js";
import { outcomeKindOf, renderReply } from "./reply.renderer.js";

export interface SendReplyDeps {
  claims: ReplyClaims;
  sender: SmsSender;
  logger: Logger;
}

export type SendReplyResult = "sent" | "duplicate";

/** Sends the reply SMS for one ReplyRequested event, at most once per event id. */
export async function sendReply(deps: SendReplyDeps, request: messaging.ReplyRequested): Promise<SendReplyResult> {
  const { eventId, phoneNumber, outcome } = request;
  if (!eventId) throw new AppError("INVALID_ARGUMENT", "ReplyRequested has no event_id");
  if (!phoneNumber) throw new AppError("INVALID_ARGUMENT", "ReplyRequested has no phone_number");
  if (!outcome) throw new AppError("INVALID_ARGUMENT", "ReplyRequested has no outcome");
  const kind = outcomeKindOf(outcome);
  // Rendered before claiming, so an unrenderable event never holds a claim.
  const body = renderReply(outcome);
  const log = deps.logger.child({ eventId, messageId: request.messageId || undefined, kind });

  const claim = await deps.claims.claim(eventId);
  if (claim === "sent") {
    log.info("reply already sent, skipping duplicate event");
    return "duplicate";
  }
  if (claim === "busy") throw new AppError("UNAVAILABLE", "this reply is being sent by another consumer");

  let messageSid: string | undefined;
  try {
    ({ messageSid } = await deps.sender.send({ to: phoneNumber, body, kind }));
  } catch (error) {
    await deps.claims.release(eventId).catch((releaseError: unknown) => {
      log.warn({ err: releaseError }, "could not release the reply claim; it expires on its own");
    });
    throw error;
  }
  try {
    await deps.claims.markSent(eventId);
  } catch (error) {
    // The SMS is out: failing now would only make the broker send it again.
    log.error({ err: error }, "reply sent but not marked as sent; a duplicate event after the claim expires would resend it");
  }
  log.info({ messageSid }, "reply sent");
  return "sent";
}
