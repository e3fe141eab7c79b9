import { annotateActiveSpan, CORRELATION_ATTRIBUTE, inSpan, setCorrelationId, type Logger } from "@sms-todo/shared";
import { sendResponse } from "../http/response.writer.js";
import { slowDownPhrase } from "../ingress.phrases.js";
import type { Route } from "../http/router.js";
import type { IngressMetrics } from "../metrics/ingress.metrics.js";
import type { InboundRateLimiter, RateVerdict } from "../rate-limit/inbound-rate.limiter.js";
import { isSubscriptionKeyword } from "../rate-limit/subscription-keyword.policy.js";
import { toInboundMessage } from "../webhooks/inbound-message.mapper.js";
import { sendWebhookRejection, type TwilioWebhookVerifier } from "../webhooks/twilio-webhook.verifier.js";
import type { WebhookPublisher } from "../webhooks/webhook.publisher.js";

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export interface WebhookRouteDeps {
  verify: TwilioWebhookVerifier;
  publisher: WebhookPublisher;
  rateLimiter: InboundRateLimiter;
  metrics: IngressMetrics;
  logger: Logger;
}

/** Marks the rest of the request, its publish and its log lines, as this message's; the id of every later step. */
export function correlateWebhook(messageSid: string): void {
  setCorrelationId(messageSid);
  annotateActiveSpan({ [CORRELATION_ATTRIBUTE]: messageSid, "twilio.message_sid": messageSid });
}

/** The reply Twilio sends for the first message a number sends over its limit. */
export function slowDownTwiml(verdict: Extract<RateVerdict, { admitted: false }>): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${slowDownPhrase(verdict)}</Message></Response>`;
}

/**
 * Inbound SMS, MMS and WhatsApp messages. Twilio gets its 200 only once RabbitMQ or the spool
 * holds the message, or once the per-number rate limit dropped it.
 */
export function smsWebhookRoute({ verify, publisher, rateLimiter, metrics, logger }: WebhookRouteDeps): Route {
  const log = logger.child({ route: "sms" });
  const path = "/webhooks/twilio/sms";
  return {
    method: "POST",
    path,
    name: "sms",
    handle: (request, response, target) =>
      inSpan(`POST ${path}`, { kind: "server", attributes: { "http.request.method": "POST", "http.route": path } }, async () => {
        const check = await verify(request, target);
        if (!check.ok) return sendWebhookRejection(response, check, log);
        const message = toInboundMessage(check.fields, Date.now());
        correlateWebhook(message.messageSid);

        // Opting out or back in must always get through, however many texts came before.
        const verdict: RateVerdict = isSubscriptionKeyword(message)
          ? { admitted: true }
          : await rateLimiter.admit(message.from, message.messageSid);
        if (!verdict.admitted) {
          metrics.countRateLimited(verdict.firstDropped);
          log.info(
            { messageSid: message.messageSid, slowDownReply: verdict.firstDropped, limit: verdict.limit },
            "inbound message over the rate limit, not published",
          );
          return sendResponse(response, 200, verdict.firstDropped ? slowDownTwiml(verdict) : EMPTY_TWIML, "text/xml");
        }

        const { route: queue, destination } = await publisher.publishInbound(message);
        if (destination === "published") metrics.countPublished(queue);
        else metrics.countSpooled(queue);
        // One line per message at info: where following a message through the services starts.
        log.info(
          { messageSid: message.messageSid, queue, channel: message.channel, media: message.media.length },
          destination === "published" ? "inbound message published" : "inbound message spooled",
        );
        sendResponse(response, 200, EMPTY_TWIML, "text/xml");
      }),
  };
}
