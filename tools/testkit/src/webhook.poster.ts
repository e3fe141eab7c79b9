import http from "node:http";
import { SMS_WEBHOOK_PATH, type SignedWebhook } from "./signed-webhook.factory.js";

/** Any request, including the forged and malformed ones no well-behaved client (fetch included) would build. */
export interface RawRequest {
  method?: string;
  /** The signed webhooks' path unless given. */
  path?: string;
  headers?: http.OutgoingHttpHeaders;
  body?: string | Buffer;
}

export interface PostResult {
  /** undefined when no answer came: the connection failed, or 30 s passed. */
  status: number | undefined;
  error?: Error;
  /** Whether it was sent a second time because the server had closed the kept-alive connection first. */
  resent: boolean;
}

const ANSWER_TIMEOUT_MS = 30_000;

/**
 * Sends requests to a server over kept-alive connections, as Twilio's webhooks arrive. A request
 * that meets a connection the server closed for idleness just as it was reused (ECONNRESET on a
 * reused socket: the server never read it) is sent once more on a new connection, as Node's
 * documentation advises; any other failure is reported as it is.
 */
export class WebhookPoster {
  private readonly agent: http.Agent;
  private readonly target: URL;

  constructor(origin: string, options: { maxSockets?: number } = {}) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 });
    this.target = new URL(origin);
  }

  /** A signed webhook exactly as Twilio posts it. */
  post(webhook: SignedWebhook): Promise<PostResult> {
    return this.send({
      body: webhook.body,
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": webhook.signature },
    });
  }

  async send(request: RawRequest): Promise<PostResult> {
    const first = await this.attempt(request);
    if (first.status !== undefined || !first.reusedSocket || first.code !== "ECONNRESET") {
      return { status: first.status, error: first.error, resent: false };
    }
    const second = await this.attempt(request);
    return { status: second.status, error: second.error, resent: true };
  }

  close(): void {
    this.agent.destroy();
  }

  private attempt(
    request: RawRequest,
  ): Promise<{ status: number | undefined; error?: Error; reusedSocket: boolean; code?: string }> {
    const body = request.body ?? "";
    return new Promise((resolve) => {
      const outgoing = http.request(
        {
          agent: this.agent,
          host: this.target.hostname,
          port: this.target.port,
          method: request.method ?? "POST",
          path: request.path ?? SMS_WEBHOOK_PATH,
          timeout: ANSWER_TIMEOUT_MS,
          headers: { "content-length": Buffer.byteLength(body), ...request.headers },
        },
        (response) => {
          response.resume();
          const answered = () => resolve({ status: response.statusCode, reusedSocket: outgoing.reusedSocket });
          response.once("end", answered);
          response.once("error", answered);
        },
      );
      outgoing.once("timeout", () => outgoing.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS / 1000} s`)));
      outgoing.once("error", (error: NodeJS.ErrnoException) =>
        resolve({ status: undefined, error, reusedSocket: outgoing.reusedSocket, code: error.code }),
      );
      outgoing.end(body);
    });
  }
}
