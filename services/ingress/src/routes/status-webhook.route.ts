import { inSpan } from "@sms-todo/shared";
import { sendResponse } from "../http/response.writer.js";
import type { Route } from "../http/router.js";
import { toDeliveryStatus } from "../webhooks/delivery-status.mapper.js";
import { sendWebhookRejection } from "../webhooks/twilio-webhook.verifier.js";
import { correlateWebhook, type WebhookRouteDeps } from "./sms-webhook.route.js";

/** Delivery-status callbacks of the SMS the notifier sent; correlated by that SMS's own MessageSid. */
export function statusWebhookRoute({ verify, publisher, metrics, logger }: WebhookRouteDeps): Route {
  const log = logger.child({ route: "status" });
  const path = "/webhooks/twilio/status";
  return {
    method: "POST",
    path,
    name: "status",
    handle: (request, response, target) =>
      inSpan(`POST ${path}`, { kind: "server", attributes: { "http.request.method": "POST", "http.route": path } }, async () => {
        const check = await verify(request, target);
        if (!check.ok) return sendWebhookRejection(response, check, log);
        const status = toDeliveryStatus(check.fields, Date.now());
        correlateWebhook(status.messageSid);
        // Never rate limited: callbacks are about our own SMS, not a user's texts.
        const destination = await publisher.publishStatus(status);
        if (destination === "published") metrics.countPublished("status");
        else metrics.countSpooled("status");
        log.debug(
          { messageSid: status.messageSid, status: status.status, errorCode: status.errorCode },
          destination === "published" ? "delivery status published" : "delivery status spooled",
        );
        sendResponse(response, 200);
      }),
  };
}
