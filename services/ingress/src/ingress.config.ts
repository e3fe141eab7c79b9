import { z } from "zod";
import {
  commonConfig,
  databaseUrlVar,
  loadConfig,
  optionalVar,
  portVar,
  twilioCredentialsConfig,
  urlVar,
} from "@sms-todo/shared";

/** A whole number within bounds, with a default when unset or empty. */
function wholeNumberVar(fallback: number, min: number, max: number, unit: string) {
  return optionalVar().pipe(
    z.coerce
      .number<string | undefined>()
      .int(`must be a whole number of ${unit}`)
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(fallback),
  );
}

export const ingressConfigSchema = z.object({
  // Twilio signs the URL it was configured with, so this must be exactly that origin (and path prefix, if any).
  PUBLIC_BASE_URL: urlVar("http://localhost:3000", ["http:", "https:"])
    .refine((value) => {
      const url = new URL(value);
      return url.search === "" && url.hash === "";
    }, "must not carry a query string or fragment")
    .transform((value) => value.replace(/\/+$/, "")),
  INGRESS_PORT: portVar(3000),
  // The token checks X-Twilio-Signature; the SID, when set, must be the webhook's AccountSid.
  ...twilioCredentialsConfig,
  /** Ingress's own Postgres database, holding webhooks RabbitMQ did not confirm in time; never one of the domain's. */
  SPOOL_DATABASE_URL: databaseUrlVar("sms_todo_spool"),
  /** How long a webhook waits for RabbitMQ's confirm before it is committed to the spool instead. */
  SPOOL_AFTER_MS: wholeNumberVar(300, 1, 60_000, "milliseconds"),
  /** Redis of the per-number rate limit; shared by every ingress replica. */
  REDIS_URL: urlVar("redis://127.0.0.1:6379", ["redis:", "rediss:"]),
  /** Inbound messages one sender number may send per window; the rest are answered but not published. */
  RATE_LIMIT_MESSAGES: wholeNumberVar(20, 1, 1_000_000, "messages"),
  RATE_LIMIT_WINDOW_SECONDS: wholeNumberVar(60, 1, 86_400, "seconds"),
  ...commonConfig,
});

export type IngressConfig = Readonly<z.infer<typeof ingressConfigSchema>>;

export function loadIngressConfig(env: NodeJS.ProcessEnv): IngressConfig {
  return loadConfig(ingressConfigSchema, env);
}
