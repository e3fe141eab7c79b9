import { messaging } from "@sms-todo/contracts";
import { maskFields } from "@sms-todo/shared";
import type { DeadLetterCount } from "./dead-letter.repository.js";

/** The parts of an AMQP message a dead letter is described by (amqplib's GetMessage has them). */
export interface DeadLetterMessage {
  content: Buffer;
  properties: {
    messageId?: unknown;
    type?: unknown;
    correlationId?: unknown;
    headers?: Record<string, unknown> | undefined;
  };
}

export interface Death {
  reason: string;
  count: number;
  queue: string;
}

export interface DeadLetterView {
  messageId: string | undefined;
  type: string | undefined;
  correlationId: string | undefined;
  /** From the broker's x-death header, most recent first. */
  deaths: Death[];
  /** The payload decoded by its type, phone numbers masked and texts redacted; only its size when the type is unknown or it does not decode. */
  body: unknown;
}

/** The payload types published on the work queues, by the AMQP type property their publishers set. */
const DECODERS: Record<string, (bytes: Uint8Array) => unknown> = {
  "messaging.v1.InboundMessage": (bytes) => messaging.InboundMessage.decode(bytes),
  "messaging.v1.DeliveryStatus": (bytes) => messaging.DeliveryStatus.decode(bytes),
  "messaging.v1.ReplyRequested": (bytes) => messaging.ReplyRequested.decode(bytes),
};

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

export function deathsOf(headers: Record<string, unknown> | undefined): Death[] {
  const deaths = headers?.["x-death"];
  if (!Array.isArray(deaths)) return [];
  return deaths.map((death: Record<string, unknown>) => ({
    reason: typeof death.reason === "string" ? death.reason : "unknown",
    count: typeof death.count === "number" ? death.count : 0,
    queue: typeof death.queue === "string" ? death.queue : "",
  }));
}

export function describeDeadLetter(message: DeadLetterMessage): DeadLetterView {
  const type = text(message.properties.type);
  const decode = type === undefined ? undefined : DECODERS[type];
  let body: unknown = { bytes: message.content.length, decoded: false };
  if (decode) {
    try {
      body = maskFields(decode(message.content));
    } catch {
      body = { bytes: message.content.length, decoded: false, reason: `not a valid ${type}` };
    }
  }
  return {
    messageId: text(message.properties.messageId),
    type,
    correlationId: text(message.properties.correlationId),
    deaths: deathsOf(message.properties.headers),
    body,
  };
}

export function formatCounts(counts: readonly DeadLetterCount[]): string {
  const rows = counts.map((count) => [count.name, String(count.messages), count.deadLetterQueue]);
  const table = [["queue", "dead letters", "dead-letter queue"], ...rows];
  const widths = [0, 1].map((column) => Math.max(...table.map((row) => row[column]!.length)));
  return table.map((row) => `${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padStart(widths[1]!)}  ${row[2]}`).join("\n") + "\n";
}

export function formatDeadLetters(deadLetterQueue: string, total: number, views: readonly DeadLetterView[]): string {
  const lines = [
    `${deadLetterQueue}: ${total} dead letter${total === 1 ? "" : "s"}${views.length < total ? `, the first ${views.length}` : ""}`,
  ];
  views.forEach((view, index) => {
    const deaths =
      view.deaths.map((death) => `${death.reason} x${death.count} in ${death.queue}`).join(", ") || "no x-death header";
    lines.push(
      `${index + 1}. messageId=${view.messageId ?? "-"} type=${view.type ?? "-"} correlationId=${view.correlationId ?? "-"}`,
      `   died: ${deaths}`,
      `   body: ${JSON.stringify(view.body)}`,
    );
  });
  return lines.join("\n") + "\n";
}
