import type twilio from "twilio";
import { AppError, type Logger } from "@sms-todo/shared";
import type { TwilioResponse } from "./retargeted-request.client.js";
import type { SendDoubts } from "./send-doubts.repository.js";
import type { OutboundSms } from "./sms.sender.js";

/**
 * A listed message this much older than the attempt still counts as its own: Twilio's dates have
 * whole seconds, and its clock and ours differ a little. The price: an identical SMS to the same
 * number sent within this margin before could be taken for this one, and this one not sent.
 */
export const CLOCK_SKEW_MS = 2_000;
/** Messages to the recipient looked at when reconciling, newest first. */
const RECONCILE_PAGE_SIZE = 20;
const MIN_RECONCILE_MS = 200;

export interface SendDoubtCheckOptions {
  /** The sender's Twilio client, retargeted at TWILIO_API_BASE_URL. */
  client: Pick<twilio.Twilio, "request">;
  /** The account's Messages.json, as the twilio client expects it (on api.twilio.com). */
  messagesUri: string;
  /** How long one request to the message list may take. */
  timeoutMs: number;
  /** The sender's logger, so that the check's lines read as part of the send. */
  log: Logger;
  /** Remembers sends in doubt across deliveries; without it, only within one send. */
  doubts?: SendDoubts;
}

/**
 * Whether an SMS about to be sent may have gone out already: the record of a send in doubt
 * (kept by SMS key, across deliveries and replicas) and, before a resend, Twilio's message list.
 * An SMS without a key, or a check without a doubts store, keeps no record.
 */
export class SendDoubtCheck {
  constructor(private readonly options: SendDoubtCheckOptions) {}

  /** When the first attempt in doubt of this SMS started (epoch ms), if an earlier try left one. */
  async since(sms: OutboundSms): Promise<number | undefined> {
    const { doubts } = this.options;
    if (!doubts || sms.key === undefined) return undefined;
    try {
      return await doubts.since(sms.key);
    } catch (error) {
      throw new AppError("UNAVAILABLE", "could not read whether an earlier try of this SMS is in doubt", { cause: error });
    }
  }

  async record(sms: OutboundSms, startedAt: number): Promise<void> {
    const { doubts } = this.options;
    if (!doubts || sms.key === undefined) return;
    try {
      await doubts.record(sms.key, startedAt);
    } catch (error) {
      throw new AppError("UNAVAILABLE", "could not remember that this SMS is in doubt", { cause: error });
    }
  }

  /** Nothing went out. */
  async clear(sms: OutboundSms): Promise<void> {
    const { doubts } = this.options;
    if (!doubts || sms.key === undefined) return;
    // A doubt left behind only costs the next try one look at the message list.
    await doubts
      .clear(sms.key)
      .catch((error: unknown) => this.options.log.warn({ err: error }, "could not clear a settled doubt"));
  }

  /** The SMS went out; its doubt is kept briefly (see SendDoubts.settle), so a kill before the caller marks it sent resends nothing. */
  async settle(sms: OutboundSms): Promise<void> {
    const { doubts } = this.options;
    if (!doubts || sms.key === undefined) return;
    await doubts.settle(sms.key).catch((error: unknown) => this.options.log.warn({ err: error }, "could not settle a doubt"));
  }

  /**
   * The sid of a message to the same number with the same text that Twilio created since the
   * attempt in doubt started, if any. Not filtered by DateSent: a message Twilio still queues has
   * no date_sent yet, and would be missed; the newest messages to the number are matched instead.
   */
  async findCreated(sms: OutboundSms, sinceMs: number, deadline: number): Promise<string | undefined> {
    const timeoutMs = Math.min(this.options.timeoutMs, deadline - Date.now());
    if (timeoutMs < MIN_RECONCILE_MS) {
      throw new AppError("UNAVAILABLE", "no time left to ask Twilio whether an unanswered SMS went out; asking on the next try");
    }
    let response: TwilioResponse;
    try {
      response = (await this.options.client.request({
        method: "get",
        uri: this.options.messagesUri,
        params: { To: sms.to, PageSize: RECONCILE_PAGE_SIZE },
        timeout: timeoutMs,
      })) as TwilioResponse;
    } catch (error) {
      throw new AppError("UNAVAILABLE", "could not ask Twilio whether an unanswered SMS went out", { cause: error });
    }
    if (response.statusCode !== 200) {
      throw new AppError("UNAVAILABLE", `Twilio answered HTTP ${response.statusCode} to the message list`);
    }
    const messages = (response.body as { messages?: unknown } | null)?.messages;
    const earliest = sinceMs - CLOCK_SKEW_MS;
    const match = (Array.isArray(messages) ? (messages as ListedMessage[]) : []).find(
      (message): message is ListedMessage & { sid: string } =>
        message.to === sms.to &&
        message.body === sms.body &&
        typeof message.sid === "string" &&
        Date.parse(message.date_created ?? message.date_sent ?? "") >= earliest,
    );
    this.options.log.info(
      { to: sms.to, kind: sms.kind, found: match !== undefined },
      "asked Twilio whether an unanswered SMS went out",
    );
    return match?.sid;
  }
}

interface ListedMessage {
  sid?: unknown;
  to?: unknown;
  body?: unknown;
  date_created?: string | null;
  date_sent?: string | null;
}
