import { sendResponse } from "../http/response.writer.js";
import type { Route } from "../http/router.js";
import { toDeliveryStatus } from "../webhooks/delivery-status.mapper.js";
import { sendWebhookRejection } from "../webhooks/twilio-webhook.verifier.js";
import type { WebhookRouteDeps } from "./sms-webhook.route.js";

/** Delivery-status callbacks of the SMS the notifier sent. */
export function statusWebhookRoute({ verify, publisher, metrics, logger }: WebhookRouteDeps): Route {
  const log = logger.child({ route: "status" });
  return {
    method: "POST",
    path: "/webhooks/twilio/status",
    name: "status",
    async handle(request, response, target) {
      const check = await verify(request, target);
      if (!check.ok) return sendWebhookRejection(response, check, log);
      const status = toDeliveryStatus(check.fields, Date.now());
      await publisher.publishStatus(status);
      metrics.countPublished("status");
      log.debug(
        { messageSid: status.messageSid, status: status.status, errorCode: status.errorCode },
        "delivery status published",
      );
      sendResponse(response, 200);
    },
  };
}
