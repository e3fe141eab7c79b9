import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient.js";
import { AppError, type Logger } from "@sms-todo/shared";
import type { TwilioSettings } from "../notifier.config.js";
import type { OutboundSms, SmsSendResult, SmsSender } from "./sms.sender.js";

export const TWILIO_TIMEOUT_MS = 10_000;

/**
 * The twilio package always builds URLs on https://api.twilio.com (plus edge and region).
 * Rewriting the origin in its HTTP client is the one seam that keeps the official client
 * (auth, form encoding, error parsing) while talking to TWILIO_API_BASE_URL.
 */
class RetargetedRequestClient extends twilio.RequestClient {
  private readonly base: string;

  constructor(apiBaseUrl: string, options: RequestClient.RequestClientOptions) {
    super(options);
    this.base = apiBaseUrl.replace(/\/+$/, "");
  }

  override request<TData>(options: RequestClient.RequestOptions<TData>) {
    const url = new URL(options.uri);
    return super.request({ ...options, uri: `${this.base}${url.pathname}${url.search}` });
  }
}

export interface TwilioSmsSenderOptions {
  settings: TwilioSettings;
  logger: Logger;
  /** How long one send may take before it counts as failed and is retried. */
  timeoutMs?: number;
}

/** Sends SMS through Twilio's Messages API, at TWILIO_API_BASE_URL. */
export class TwilioSmsSender implements SmsSender {
  private readonly client: twilio.Twilio;
  private readonly settings: TwilioSettings;
  private readonly log: Logger;

  constructor(options: TwilioSmsSenderOptions) {
    this.settings = options.settings;
    this.log = options.logger.child({ component: "twilio-sms-sender" });
    const timeout = options.timeoutMs ?? TWILIO_TIMEOUT_MS;
    // Retries belong to the broker (back-off, delivery limit, dead-lettering), not to the HTTP client.
    const httpClient = new RetargetedRequestClient(this.settings.apiBaseUrl, { timeout, autoRetry: false, keepAlive: true });
    // An explicit log level keeps TWILIO_LOG_LEVEL=debug from printing requests to stdout, past the masking logger.
    this.client = twilio(this.settings.accountSid, this.settings.authToken, { httpClient, autoRetry: false, logLevel: "info" });
  }

  async send(sms: OutboundSms): Promise<SmsSendResult> {
    try {
      const message = await this.client.messages.create({
        to: sms.to,
        body: sms.body,
        statusCallback: this.settings.statusCallbackUrl,
        ...this.settings.sender,
      });
      return { messageSid: message.sid };
    } catch (error) {
      throw this.classify(error, sms);
    }
  }

  private classify(error: unknown, sms: OutboundSms): AppError {
    if (error instanceof twilio.RestException) {
      const { status, code: twilioCode, moreInfo } = error;
      // 429 and 5xx pass with time; a 3xx (redirects are not followed) comes from something in the way, not from this SMS.
      const retryable = status === 429 || status >= 500 || status < 400;
      this.log.warn(
        { to: sms.to, kind: sms.kind, status, twilioCode, twilioMessage: error.message, moreInfo, retryable },
        "Twilio refused the SMS",
      );
      const description = `Twilio answered HTTP ${status}${twilioCode === undefined ? "" : ` (error ${twilioCode})`}`;
      return new AppError(retryable ? "UNAVAILABLE" : "INVALID_ARGUMENT", description, { cause: error });
    }
    // Network failures and timeouts (axios errors) may leave the SMS sent or not; a retry is the lesser evil.
    const networkCode = (error as { code?: unknown } | null)?.code;
    this.log.warn({ to: sms.to, kind: sms.kind, networkCode, retryable: true }, "Twilio unreachable");
    const message = error instanceof Error ? error.message : String(error);
    return new AppError("UNAVAILABLE", `Twilio unreachable: ${message}`, { cause: error });
  }
}
