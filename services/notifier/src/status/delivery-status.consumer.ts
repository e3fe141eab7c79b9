import { messaging } from "@sms-todo/contracts";
import { decodeDelivery, type DeliveryHandler, type Logger } from "@sms-todo/shared";
import { statusRank, type DeliveryStatuses } from "./delivery-status.repository.js";

export interface DeliveryStatusConsumerDeps {
  statuses: DeliveryStatuses;
  logger: Logger;
}

/** Consumes Twilio delivery-status callbacks: records each message's latest status. */
export function createDeliveryStatusConsumer(deps: DeliveryStatusConsumerDeps): DeliveryHandler {
  const log = deps.logger.child({ component: "delivery-status" });
  return async (delivery) => {
    const status = decodeDelivery(delivery, messaging.DeliveryStatus, {
      type: "messaging.v1.DeliveryStatus",
      required: ["messageSid"],
    });
    const fields = {
      messageSid: status.messageSid,
      status: status.status,
      errorCode: status.errorCode || undefined,
      to: status.to,
    };
    // Inbound statuses (receiving, received) and ones Twilio may add later are not ours to order.
    if (statusRank(status.status) === undefined) {
      log.info({ ...fields, recorded: false }, "delivery status");
      return;
    }
    const result = await deps.statuses.record({
      messageSid: status.messageSid,
      status: status.status,
      errorCode: status.errorCode,
      updatedAtMs: status.receivedAtMs || Date.now(),
    });
    log.info({ ...fields, recorded: result === "recorded" }, "delivery status");
  };
}
