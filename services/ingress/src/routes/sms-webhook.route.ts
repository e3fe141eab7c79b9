import type { Logger } from "@sms-todo/shared";
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

/** Inbound SMS, MMS and WhatsApp messages. Twilio gets its 200 only once RabbitMQ holds the message. */
export function smsWebhookRoute({ verify, publisher, metrics, logger }: WebhookRouteDeps): Route {
  const log = logger.child({ route: "sms" });
  return {
    method: "POST",
    path: "/webhooks/twilio/sms",
    name: "sms",
    async handle(request, response, target) {
      const check = await verify(request, target);
      if (!check.ok) return sendWebhookRejection(response, check, log);
      const message = toInboundMessage(check.fields, Date.now());
      const queue = await publisher.publishInbound(message);
      metrics.countPublished(queue);
      log.debug(
        { messageSid: message.messageSid, queue, channel: message.channel, media: message.media.length },
        "inbound message published",
      );
      sendResponse(response, 200, EMPTY_TWIML, "text/xml");
    },
  };
}
