import type { Kysely } from "kysely";
import { messaging } from "@sms-todo/contracts";
import { AppError, withTimeout, type AmqpBroker } from "@sms-todo/shared";
import { insertSpooledWebhook, type EncodedWebhook } from "../spool/spooled-webhook.repository.js";
import type { SpoolSchema } from "../spool/spool.schema.js";
import type { SpoolState } from "../spool/spool.state.js";
import { routeOf, type InboundRoute } from "./inbound-routing.policy.js";

/** Where a webhook is safe once its call resolves: confirmed by RabbitMQ, or committed to the spool. */
export type Destination = "published" | "spooled";

/** A spool insert that takes longer is given up: Twilio waits 15 s for the answer, and retries after a 503. */
export const SPOOL_COMMIT_TIMEOUT_MS = 5_000;

export interface WebhookPublisherOptions {
  broker: AmqpBroker;
  spool: Kysely<SpoolSchema>;
  state: SpoolState;
  /** How long a publish may wait for its confirm before the webhook goes to the spool. */
  spoolAfterMs: number;
  /** Called once a webhook was spooled, so the relay looks at once. */
  onSpooled: () => void;
}

/**
 * Makes verified webhooks durable before Twilio gets its 200: RabbitMQ's confirm within
 * spoolAfterMs, or else a committed row in ingress's own spool, which the relay publishes
 * later. Rejects with UNAVAILABLE (503) only when neither happened.
 */
export function createWebhookPublisher({ broker, spool, state, spoolAfterMs, onSpooled }: WebhookPublisherOptions) {
  const { exchanges, routingKeys } = broker.topology;

  function publish(webhook: EncodedWebhook): Promise<boolean> {
    return broker
      .publish(webhook.exchange, webhook.routingKey, webhook.body, {
        messageId: webhook.messageId,
        type: webhook.messageType,
        correlationId: webhook.correlationId,
        headers: webhook.headers,
      })
      .then(
        () => true,
        () => false,
      );
  }

  async function commitToSpool(webhook: EncodedWebhook, original: Promise<boolean> | undefined): Promise<void> {
    if (original) state.rememberOriginal(webhook.messageId, original);
    state.beginInsert();
    let committed = false;
    try {
      await withTimeout(insertSpooledWebhook(spool, webhook), SPOOL_COMMIT_TIMEOUT_MS, () => {
        throw new AppError("UNAVAILABLE", "the spool did not commit in time");
      });
      committed = true;
    } catch (error) {
      if (original) state.forgetOriginal(webhook.messageId);
      state.noteReachable(false);
      throw error;
    } finally {
      state.endInsert(committed);
    }
    state.noteReachable(true);
    onSpooled();
  }

  async function deliver(webhook: EncodedWebhook): Promise<Destination> {
    let original: Promise<boolean> | undefined;
    if (broker.isConnected && !state.mustSpool) {
      original = publish(webhook);
      if (await withTimeout(original, spoolAfterMs, () => false)) return "published";
    }
    try {
      await commitToSpool(webhook, original);
      return "spooled";
    } catch (spoolError) {
      // The publish still under way, or one started now, is the last chance before Twilio gets a 503.
      original ??= broker.isConnected ? publish(webhook) : undefined;
      if (original && (await original)) return "published";
      throw new AppError(
        "UNAVAILABLE",
        `neither RabbitMQ confirmed nor the spool committed ${webhook.messageType} ${webhook.messageId}: ${(spoolError as Error).message}`,
        { cause: spoolError },
      );
    }
  }

  return {
    async publishInbound(message: messaging.InboundMessage): Promise<{ route: InboundRoute; destination: Destination }> {
      const route = routeOf(message);
      const destination = await deliver({
        exchange: exchanges.inbound,
        routingKey: routingKeys[route],
        messageId: message.messageSid,
        messageType: "messaging.v1.InboundMessage",
        correlationId: message.messageSid,
        headers: {},
        body: Buffer.from(messaging.InboundMessage.encode(message).finish()),
      });
      return { route, destination };
    },

    publishStatus(status: messaging.DeliveryStatus): Promise<Destination> {
      return deliver({
        exchange: exchanges.inbound,
        routingKey: routingKeys.status,
        // One outbound message has several callbacks (queued, sent, delivered); each is its own event.
        messageId: `${status.messageSid}:${status.status}`,
        messageType: "messaging.v1.DeliveryStatus",
        correlationId: status.messageSid,
        headers: {},
        body: Buffer.from(messaging.DeliveryStatus.encode(status).finish()),
      });
    },
  };
}

export type WebhookPublisher = ReturnType<typeof createWebhookPublisher>;
