import { messaging } from "@sms-todo/contracts";
import { AppError, type DeliveryHandler, type Logger } from "@sms-todo/shared";

/** Consumes Twilio delivery-status callbacks. For now they are logged; recording them per message comes later. */
export function createDeliveryStatusConsumer(logger: Logger): DeliveryHandler {
  const log = logger.child({ component: "delivery-status" });
  return async (delivery) => {
    let status: messaging.DeliveryStatus;
    try {
      status = messaging.DeliveryStatus.decode(delivery.body);
    } catch (error) {
      throw new AppError("INVALID_ARGUMENT", "undecodable DeliveryStatus", { cause: error });
    }
    log.info(
      { messageSid: status.messageSid, status: status.status, errorCode: status.errorCode || undefined },
      "delivery status",
    );
  };
}
