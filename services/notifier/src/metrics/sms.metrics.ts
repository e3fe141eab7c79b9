import { AppError } from "@sms-todo/shared";
import { Counter, type Registry } from "@sms-todo/shared/metrics";
import type { SmsSender } from "../sms/sms.sender.js";
import type { TwilioFailureKind } from "../sms/twilio-failure.classifier.js";

const TWILIO_FAILURES: ReadonlySet<string> = new Set<TwilioFailureKind>([
  "rejected",
  "unsubscribed",
  "rate-limited",
  "server-error",
  "not-sent",
  "outcome-unknown",
  "circuit-open",
]);

/**
 * Why a send failed: the Twilio failure it gave up on (twilio-failure.classifier.ts), else the error's
 * code, lower-cased ("unavailable" when the send ran out of time waiting for the shared rate).
 */
export function smsFailureReasonOf(error: unknown): string {
  if (!(error instanceof AppError)) return "error";
  const kind = (error.cause as { kind?: unknown } | undefined)?.kind;
  if (typeof kind === "string" && TWILIO_FAILURES.has(kind)) return kind;
  return error.code.toLowerCase();
}

/**
 * The sender, counted: one sent or one failed per send, after the sender's own retries. A failed
 * send goes back to the queue, so one reply may fail more than once before it is sent.
 */
export function observeSmsSends(sender: SmsSender, registry: Registry): SmsSender {
  const sent = new Counter({
    name: "sms_todo_sms_sent_total",
    help: "SMS handed to Twilio (or, without credentials, written to the log).",
    registers: [registry],
  });
  const failed = new Counter({
    name: "sms_todo_sms_failed_total",
    help: "Sends that failed after the sender's retries, by reason: a Twilio failure kind, or an error code.",
    labelNames: ["reason"],
    registers: [registry],
  });
  // The reasons worth an alert exist from the start, so rate() sees their first increase.
  for (const reason of ["rejected", "server-error", "circuit-open", "outcome-unknown"]) failed.inc({ reason }, 0);

  return {
    async send(sms) {
      try {
        const result = await sender.send(sms);
        sent.inc();
        return result;
      } catch (error) {
        failed.inc({ reason: smsFailureReasonOf(error) });
        throw error;
      }
    },
    close: () => sender.close?.(),
  };
}
