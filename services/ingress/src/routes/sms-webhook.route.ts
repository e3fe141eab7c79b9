import { annotateActiveSpan, CORRELATION_ATTRIBUTE, inSpan, setCorrelationId, type Logger } from "@sms-todo/shared";
import { sendResponse } from "../http/response.writer.js";
import type { Route } from "../http/router.js";
import type { IngressMetrics } from "../metrics/ingress.metrics.js";
import { toInboundMessage } from "../webhooks/inbound-message.mapper.js";
import { sendWebhookRejection, type TwilioWebhookVerifier } from "../webhooks/twilio-webhook.verifier.js";
import type { WebhookPublisher } from "../webhooks/webhook.publisher.js";

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export interface WebhookRouteDeps {
  verify: TwilioWebhookVerifier;
  publisher: WebhookPublisher;
  metrics: IngressMetrics;
  logger: Logger;
}

/** Marks the rest of the request, its publish and its log lines, as this message's; the id of every later step. */
export function correlateWebhook(messageSid: string): void {
  setCorrelationId(messageSid);
  annotateActiveSpan({ [CORRELATION_ATTRIBUTE]: messageSid, "twilio.message_sid": messageSid });
}

/** Inbound SMS, MMS and WhatsApp messages. Twilio gets its 200 only once RabbitMQ holds the message. */
export function smsWebhookRoute({ verify, publisher, metrics, logger }: WebhookRouteDeps): Route {
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
        const queue = await publisher.publishInbound(message);
        metrics.countPublished(queue);
        // One line per message at info: where following a message through the services starts.
        log.info(
          { messageSid: message.messageSid, queue, channel: message.channel, media: message.media.length },
          "inbound message published",
        );
        sendResponse(response, 200, EMPTY_TWIML, "text/xml");
      }),
  };
}
