import type { Redis } from "ioredis";
import { AppError } from "@sms-todo/shared";

/** Long enough to answer "did my reply arrive" for a week; Twilio keeps the full record. */
export const DELIVERY_STATUS_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * How far along its way each Twilio message status is. Callbacks can arrive out of order, so a
 * status only replaces one further back; the final ones (rank 4) are never replaced by another
 * final one, and only "read" (WhatsApp) comes after "delivered".
 */
export const STATUS_RANKS: Readonly<Record<string, number>> = {
  accepted: 1,
  scheduled: 1,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  canceled: 4,
  partially_delivered: 4,
  read: 5,
};

export function statusRank(status: string): number | undefined {
  return Object.hasOwn(STATUS_RANKS, status) ? STATUS_RANKS[status] : undefined;
}

export interface DeliveryStatusUpdate {
  messageSid: string;
  status: string;
  /** Twilio's error code for undelivered and failed messages; empty when there is none. */
  errorCode: string;
  updatedAtMs: number;
}

export interface StoredDeliveryStatus {
  status: string;
  errorCode: string;
  updatedAt: string;
}

export interface DeliveryStatuses {
  /** recorded: the status is now the message's. stale: the message is further along already. */
  record(update: DeliveryStatusUpdate): Promise<"recorded" | "stale">;
  get(messageSid: string): Promise<StoredDeliveryStatus | undefined>;
}

// Compare and write in one step, so two callbacks of one message handled at once cannot
// leave the earlier status behind. The ranks come from STATUS_RANKS.
const RECORD_SCRIPT = `
local ranks = cjson.decode(ARGV[1])
local incoming = ranks[ARGV[2]]
local current = redis.call('HGET', KEYS[1], 'status')
if current and ranks[current] and ranks[current] >= incoming then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'error_code', ARGV[3], 'updated_at', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
`;

/**
 * The delivery status of each outbound SMS, one hash per MessageSid (status, error_code,
 * updated_at). Redis, not Postgres: the databases belong to todo-domain, and this record is the
 * notifier's own, short-lived view of what Twilio reported.
 */
export function createDeliveryStatuses(redis: Redis, keyPrefix: string): DeliveryStatuses {
  const keyOf = (messageSid: string) => `${keyPrefix}sms-status:${messageSid}`;
  const ranks = JSON.stringify(STATUS_RANKS);
  return {
    async record({ messageSid, status, errorCode, updatedAtMs }) {
      if (statusRank(status) === undefined) throw new AppError("INVALID_ARGUMENT", `unknown delivery status ${status}`);
      const updatedAt = new Date(updatedAtMs).toISOString();
      const written = await redis.eval(
        RECORD_SCRIPT,
        1,
        keyOf(messageSid),
        ranks,
        status,
        errorCode,
        updatedAt,
        DELIVERY_STATUS_TTL_SECONDS,
      );
      return written === 1 ? "recorded" : "stale";
    },
    async get(messageSid) {
      const fields = await redis.hgetall(keyOf(messageSid));
      if (fields.status === undefined) return undefined;
      return { status: fields.status, errorCode: fields.error_code ?? "", updatedAt: fields.updated_at ?? "" };
    },
  };
}
