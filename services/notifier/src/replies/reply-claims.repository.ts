import type { Redis } from "ioredis";

/**
 * Longer than one send's whole budget (12 s, retries included). A crashed sender's claim lapses
 * after it; the broker's retries of the event span 31 s (topology's delays), so a later one
 * finds the claim gone and sends, after asking Twilio whether the crashed send went out.
 */
export const CLAIM_TTL_MS = 15_000;
/** Outbox duplicates arrive within minutes; a week is a wide margin. */
export const SENT_TTL_SECONDS = 7 * 24 * 60 * 60;

const SENDING = "sending";
const SENT = "sent";

/** claimed: this consumer sends now. sent: done before. busy: someone else is sending right now. */
export type ClaimResult = "claimed" | "sent" | "busy";

export interface ReplyClaims {
  claim(eventId: string): Promise<ClaimResult>;
  markSent(eventId: string): Promise<void>;
  release(eventId: string): Promise<void>;
}

/**
 * At most one SMS per event id across redeliveries and replicas: a short "sending"
 * claim taken with SET NX before the send, turned into a long "sent" mark after it.
 */
export function createReplyClaims(redis: Redis, keyPrefix: string): ReplyClaims {
  const keyOf = (eventId: string) => `${keyPrefix}reply:${eventId}`;
  return {
    async claim(eventId) {
      const key = keyOf(eventId);
      const taken = await redis.set(key, SENDING, "PX", CLAIM_TTL_MS, "NX");
      if (taken === "OK") return "claimed";
      const state = await redis.get(key);
      if (state === SENT) return "sent";
      // "sending", or a claim that vanished between SET and GET (released or expired): let the broker retry.
      return "busy";
    },
    async markSent(eventId) {
      await redis.set(keyOf(eventId), SENT, "EX", SENT_TTL_SECONDS);
    },
    async release(eventId) {
      await redis.del(keyOf(eventId));
    },
  };
}
