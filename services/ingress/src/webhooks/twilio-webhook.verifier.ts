import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "@sms-todo/shared";
// The webhook module alone: loading the whole twilio SDK costs about 20 MB of RSS for one function.
import { validateRequest } from "twilio/lib/webhooks/webhooks.js";
import { readFormBody } from "../http/form-body.reader.js";
import type { RequestTarget } from "../http/router.js";
import { sendText } from "../http/response.writer.js";

export const MAX_WEBHOOK_BYTES = 64 * 1024;

export interface TwilioWebhookSettings {
  /** Without trailing slash. */
  publicBaseUrl: string;
  authToken: string | undefined;
  accountSid: string | undefined;
  maxBodyBytes?: number;
}

export type WebhookRejection = { ok: false; status: 400 | 403 | 413 | 415; reason: string };
export type WebhookCheck = { ok: true; fields: URLSearchParams } | WebhookRejection;

/** The URL Twilio signed: the configured public URL plus the path and query as received. */
export function signedUrlOf(publicBaseUrl: string, target: RequestTarget): string {
  return `${publicBaseUrl}${target.path}${target.query ? `?${target.query}` : ""}`;
}

/**
 * Twilio signs every value of a repeated field, so repeated fields are kept as arrays. The object
 * has no prototype: in a plain one, a field named __proto__ would vanish from the signed string
 * (letting it be added to a signed webhook) and one named constructor would start out "seen".
 */
function signedParams(fields: URLSearchParams): Record<string, string | string[]> {
  const params = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of fields) {
    const seen = params[name];
    params[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return params;
}

/**
 * Reads a webhook's form and proves it came from Twilio for the configured account.
 * Nothing of the body may be trusted before this returns ok.
 */
export function createTwilioWebhookVerifier(settings: TwilioWebhookSettings) {
  const maxBodyBytes = settings.maxBodyBytes ?? MAX_WEBHOOK_BYTES;

  return async function verify(request: IncomingMessage, target: RequestTarget): Promise<WebhookCheck> {
    if (!settings.authToken) return { ok: false, status: 403, reason: "TWILIO_AUTH_TOKEN is not configured" };
    const body = await readFormBody(request, maxBodyBytes);
    if (!body.ok) return body;

    const signature = request.headers["x-twilio-signature"];
    if (typeof signature !== "string" || signature === "")
      return { ok: false, status: 403, reason: "missing X-Twilio-Signature" };
    let valid: boolean;
    try {
      valid = validateRequest(
        settings.authToken,
        signature,
        signedUrlOf(settings.publicBaseUrl, target),
        signedParams(body.fields),
      );
    } catch {
      valid = false; // an URL the validator cannot parse cannot have been signed by Twilio either
    }
    if (!valid) return { ok: false, status: 403, reason: "invalid X-Twilio-Signature" };

    if (settings.accountSid !== undefined && body.fields.get("AccountSid") !== settings.accountSid) {
      return { ok: false, status: 403, reason: "AccountSid is not the configured account" };
    }
    return body;
  };
}

export type TwilioWebhookVerifier = ReturnType<typeof createTwilioWebhookVerifier>;

/** Answers a refused webhook: 403 says nothing more to a forger; the other statuses name the problem. */
export function sendWebhookRejection(response: ServerResponse, rejection: WebhookRejection, logger: Logger): void {
  logger.warn({ status: rejection.status, reason: rejection.reason }, "webhook refused");
  // Past the size limit the rest of the body is not read, so the connection cannot be reused.
  const headers: Record<string, string> = rejection.status === 413 ? { connection: "close" } : {};
  sendText(response, rejection.status, rejection.status === 403 ? "forbidden" : rejection.reason, headers);
}
