import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

/** Ingress's own database: webhooks answered before RabbitMQ confirmed them, until the relay published them. */
export interface SpoolSchema {
  spooled_webhooks: SpooledWebhooksTable;
}

export interface SpooledWebhooksTable {
  /** The order of spooling; the relay publishes in this order. */
  id: Generated<number>;
  /** The inbound exchange of the stack that spooled it (SMS_TODO_NAMESPACE): stacks sharing a spool relay only their own. */
  exchange: string;
  routing_key: string;
  /** The AMQP messageId: the MessageSid, or MessageSid:status for a delivery status. */
  message_id: string;
  /** The protobuf message name of the body, e.g. "messaging.v1.InboundMessage". */
  message_type: string;
  correlation_id: string;
  headers: ColumnType<Record<string, string>, string, never>;
  /** The encoded protobuf message, exactly as it would have been published. */
  body: Buffer;
  spooled_at: ColumnType<Date, never, never>;
}

export type SpooledWebhookRow = Selectable<SpooledWebhooksTable>;
export type NewSpooledWebhook = Insertable<SpooledWebhooksTable>;
