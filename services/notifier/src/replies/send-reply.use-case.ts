import type { messaging } from "@sms-todo/contracts";
import { AppError, type Logger } from "@sms-todo/shared";
import type { RecipientOptOuts } from "../sms/recipient-opt-out.recorder.js";
import { isSummaryStillSendable } from "../summaries/summary-send-window.js";
import { isRecipientUnsubscribed, type SmsSender } from "../sms/sms.sender.js";
import type { ReplyClaims } from "./reply-claims.repository.js";
import type { ReplyPages } from "./reply-pages.repository.js";
import { paginateReply } from "./reply.pager.js";
import { LINE_NOUNS, NO_MORE_PAGES_REPLY } from "./reply.phrases.js";
import { isTodoLine, outcomeKindOf, renderReply, type Reply } from "./reply.renderer.js";

export interface SendReplyDeps {
  claims: ReplyClaims;
  pages: ReplyPages;
  sender: SmsSender;
  optOuts: RecipientOptOuts;
  logger: Logger;
  /** The notifier's clock; a daily summary is only sent while it is still day where its user lives. */
  now: () => Date;
}

/**
 * sent: one SMS went out. duplicate: this event was answered before. silent: the outcome gets no SMS.
 * opted-out: Twilio refused the SMS because the recipient unsubscribed; todo-domain was told.
 * expired: a daily summary that would reach its user in quiet hours or on another day; dropped.
 */
export type SendReplyResult = "sent" | "duplicate" | "silent" | "opted-out" | "expired";

interface Outgoing {
  body: string;
  page?: number;
  pages?: number;
}

/**
 * Sends the reply SMS for one ReplyRequested event, at most once per event id. A long reply
 * goes out as its first page and leaves the rest for "more"; a "more" event sends the next page.
 */
export async function sendReply(deps: SendReplyDeps, request: messaging.ReplyRequested): Promise<SendReplyResult> {
  const { eventId, phoneNumber, outcome } = request;
  if (!eventId) throw new AppError("INVALID_ARGUMENT", "ReplyRequested has no event_id");
  if (!phoneNumber) throw new AppError("INVALID_ARGUMENT", "ReplyRequested has no phone_number");
  if (!outcome) throw new AppError("INVALID_ARGUMENT", "ReplyRequested has no outcome");
  const kind = outcomeKindOf(outcome);
  // Rendered before claiming, so an unrenderable event never holds a claim.
  const reply = renderReply(outcome);
  const log = deps.logger.child({ eventId, messageId: request.messageId || undefined, kind });
  if (reply.type === "none") {
    log.info({ reason: reply.reason }, "no SMS for this outcome");
    return "silent";
  }

  if (outcome.kind?.$case === "summary" && !isSummaryStillSendable(outcome.kind.value, deps.now())) {
    log.warn({ localDate: outcome.kind.value.localDate }, "daily summary too late to send without waking its user; dropped");
    return "expired";
  }

  const claim = await deps.claims.claim(eventId);
  if (claim === "sent") {
    log.info("reply already sent, skipping duplicate event");
    return "duplicate";
  }
  if (claim === "busy") throw new AppError("UNAVAILABLE", "this reply is being sent by another consumer");

  let messageSid: string | undefined;
  let outgoing: Outgoing;
  try {
    outgoing = await prepare(deps, reply, phoneNumber, eventId);
    ({ messageSid } = await deps.sender.send({ to: phoneNumber, body: outgoing.body, kind, key: eventId }));
  } catch (error) {
    if (isRecipientUnsubscribed(error)) return optOut(deps, request, log);
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
  log.info({ messageSid, page: outgoing.page, pages: outgoing.pages }, "reply sent");
  return "sent";
}

/**
 * The recipient texted STOP to our number (Twilio error 21610) without that reaching us: todo-domain
 * records the opt-out, and the event is done, as no SMS can reach them until they opt back in.
 */
async function optOut(deps: SendReplyDeps, request: messaging.ReplyRequested, log: Logger): Promise<SendReplyResult> {
  const { eventId, phoneNumber, messageId } = request;
  try {
    await deps.optOuts.record({ phoneNumber, eventId, messageId });
  } catch (error) {
    await deps.claims.release(eventId).catch(() => undefined);
    throw error;
  }
  await deps.claims.markSent(eventId).catch((error: unknown) => {
    log.warn({ err: error }, "opt-out recorded but the event not marked as done; a duplicate would record it again, harmlessly");
  });
  log.info("recipient unsubscribed at Twilio: opt-out recorded, no SMS sent");
  return "opted-out";
}

/**
 * The SMS to send. Pages are stored before page 1 goes out, so the footer's promise holds; a
 * retry stores the same pages again. A "more" event owns its page from the moment it is taken,
 * so a retry after a failed or interrupted send sends that same page, never the one after it.
 */
async function prepare(
  deps: SendReplyDeps,
  reply: Exclude<Reply, { type: "none" }>,
  phoneNumber: string,
  eventId: string,
): Promise<Outgoing> {
  if (reply.type === "next-page") {
    const page = await deps.pages.take(phoneNumber, eventId);
    return page ? { body: page.body, page: page.number, pages: page.count } : { body: NO_MORE_PAGES_REPLY };
  }
  const counts = reply.lineNoun === LINE_NOUNS.todos ? isTodoLine : undefined;
  const pages = paginateReply(reply.text, { lineNoun: reply.lineNoun, counts });
  const [first] = pages;
  if (first === undefined || pages.length === 1) return { body: reply.text };
  await deps.pages.save(phoneNumber, pages);
  return { body: first, page: 1, pages: pages.length };
}
