import cron from "node-cron";
import { z } from "zod";
import { DEFAULT_SUMMARY_CRON } from "./summaries/daily-summary.scheduler.js";
import {
  commonConfig,
  hostPortVar,
  isMessagingServiceSid,
  loadConfig,
  optionalVar,
  portVar,
  refineTwilioCredentials,
  twilioApiConfig,
  twilioCredentialsConfig,
  twilioSenderConfig,
  urlVar,
} from "@sms-todo/shared";

/** Keys are the environment variable names of SPEC section 3. */
export const notifierConfigSchema = z
  .object({
    ...commonConfig,
    ...twilioCredentialsConfig,
    ...twilioSenderConfig,
    ...twilioApiConfig,
    PUBLIC_BASE_URL: urlVar("http://localhost:3000", ["http:", "https:"]),
    REDIS_URL: urlVar("redis://127.0.0.1:6379", ["redis:", "rediss:"]),
    /** todo-domain, told when Twilio reports a recipient as unsubscribed (error 21610). */
    TODO_GRPC_ADDR: hostPortVar("127.0.0.1:50051"),
    /** GET /metrics and /healthz; each service has its own default so one machine runs them all, 0 takes any free port. */
    METRICS_PORT: portVar(9103),
    /**
     * Outbound SMS per second, shared by every notifier replica. A Twilio long code sends about
     * one SMS a second (a toll-free number or short code more); sending faster only queues at Twilio.
     */
    SMS_RATE_PER_SECOND: optionalVar().pipe(
      z.coerce
        .number<string | undefined>()
        .int("must be a whole number of SMS per second")
        .min(1, "must be at least 1")
        .max(10_000, "must be at most 10000")
        .default(1),
    ),
    /**
     * When the notifier looks for due daily summaries (cron syntax, optional seconds field), or
     * "off" for a replica that only sends replies. Summary times have whole minutes.
     */
    SUMMARY_CRON: optionalVar().pipe(
      z
        .string()
        .default(DEFAULT_SUMMARY_CRON)
        .refine((value) => value === "off" || cron.validate(value), {
          message: 'must be a cron expression such as "* * * * *", or "off"',
        }),
    ),
  })
  .superRefine(refineTwilioCredentials)
  .superRefine((config, context) => {
    const hasCredentials = config.TWILIO_ACCOUNT_SID !== undefined && config.TWILIO_AUTH_TOKEN !== undefined;
    if (hasCredentials && config.TWILIO_FROM === undefined) {
      context.addIssue({ code: "custom", path: ["TWILIO_FROM"], message: "is required when Twilio credentials are set" });
    }
  });

export type NotifierConfig = Readonly<z.infer<typeof notifierConfigSchema>>;

export function loadNotifierConfig(env: NodeJS.ProcessEnv): NotifierConfig {
  return loadConfig(notifierConfigSchema, env);
}

/** Who the SMS comes from: a number, or a Messaging Service that picks one. */
export type SmsSenderIdentity = { from: string } | { messagingServiceSid: string };

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  sender: SmsSenderIdentity;
  apiBaseUrl: string;
  statusCallbackUrl: string;
}

/** The settings of a real Twilio sender, or undefined when SMS are only logged (no credentials). */
export function twilioSettingsOf(config: NotifierConfig): TwilioSettings | undefined {
  const { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, TWILIO_FROM: from } = config;
  if (accountSid === undefined || authToken === undefined || from === undefined) return undefined;
  return {
    accountSid,
    authToken,
    sender: isMessagingServiceSid(from) ? { messagingServiceSid: from } : { from },
    apiBaseUrl: config.TWILIO_API_BASE_URL,
    statusCallbackUrl: `${config.PUBLIC_BASE_URL.replace(/\/+$/, "")}/webhooks/twilio/status`,
  };
}
