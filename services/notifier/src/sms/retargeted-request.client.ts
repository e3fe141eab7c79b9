import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient.js";

/** What the twilio client answers to a raw request; the package itself types it as any. */
export interface TwilioResponse {
  statusCode: number;
  body: unknown;
  headers: Record<string, unknown>;
}

/**
 * The twilio package always builds URLs on https://api.twilio.com (plus edge and region).
 * Rewriting the origin in its HTTP client is the one seam that keeps the official client
 * (auth, form encoding) while talking to TWILIO_API_BASE_URL.
 */
export class RetargetedRequestClient extends twilio.RequestClient {
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
