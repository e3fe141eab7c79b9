import { AppError } from "../errors/app-error.js";
import type { Delivery } from "./queue.consumer.js";

/** What decoding needs of a generated protobuf message type, e.g. messaging.InboundMessage. */
export interface MessageDecoder<T> {
  decode(input: Uint8Array): T;
}

/** The string fields of T. */
type StringField<T> = { [K in keyof T]: T[K] extends string ? K : never }[keyof T];

export interface DecodeOptions<T> {
  /** The protobuf message name, for the error: e.g. "messaging.v1.InboundMessage". */
  type: string;
  /** Fields the consumer cannot do without: empty or blank, the message is refused like an undecodable one. */
  required?: ReadonlyArray<StringField<T>>;
}

/**
 * The payload of a delivery, decoded the one way every consumer does it. A body that is not the
 * message, or lacks a required field, throws INVALID_ARGUMENT: not retryable, so the consumer
 * dead-letters it at once instead of retrying what would fail the same way every time.
 */
export function decodeDelivery<T>(delivery: Pick<Delivery, "body">, decoder: MessageDecoder<T>, options: DecodeOptions<T>): T {
  let message: T;
  try {
    message = decoder.decode(delivery.body);
  } catch (error) {
    throw new AppError("INVALID_ARGUMENT", `delivery is not a ${options.type}`, { cause: error });
  }
  const required = options.required ?? [];
  if (required.some((field) => String(message[field]).trim() === "")) {
    throw new AppError("INVALID_ARGUMENT", `${options.type} lacks ${required.join(" or ")}`);
  }
  return message;
}
