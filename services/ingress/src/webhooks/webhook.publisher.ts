import { messaging } from "@sms-todo/contracts";
import { AppError, type AmqpBroker } from "@sms-todo/shared";
import { routeOf, type InboundRoute } from "./inbound-routing.policy.js";

/** Publishes verified webhooks; each call resolves only once RabbitMQ confirmed the message. */
export function createWebhookPublisher(broker: AmqpBroker) {
  const { exchanges, routingKeys } = broker.topology;

  async function publish(
    routingKey: string,
    body: Buffer,
    messageId: string,
    type: string,
    correlationId: string,
  ): Promise<void> {
    try {
      await broker.publish(exchanges.inbound, routingKey, body, { messageId, type, correlationId });
    } catch (error) {
      throw new AppError("UNAVAILABLE", `publishing ${type} ${messageId} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  return {
    async publishInbound(message: messaging.InboundMessage): Promise<InboundRoute> {
      const route = routeOf(message);
      const body = Buffer.from(messaging.InboundMessage.encode(message).finish());
      await publish(routingKeys[route], body, message.messageSid, "messaging.v1.InboundMessage", message.messageSid);
      return route;
    },

    async publishStatus(status: messaging.DeliveryStatus): Promise<void> {
      const body = Buffer.from(messaging.DeliveryStatus.encode(status).finish());
      // One outbound message has several callbacks (queued, sent, delivered); each is its own event.
      await publish(
        routingKeys.status,
        body,
        `${status.messageSid}:${status.status}`,
        "messaging.v1.DeliveryStatus",
        status.messageSid,
      );
    },
  };
}

export type WebhookPublisher = ReturnType<typeof createWebhookPublisher>;
