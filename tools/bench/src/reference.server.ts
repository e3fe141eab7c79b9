import http from "node:http";
import amqplib, { type ConfirmChannel } from "amqplib";
// The same validator ingress uses, so the references check signatures at the same cost.
import { validateRequest } from "twilio/lib/webhooks/webhooks.js";
import { SMS_WEBHOOK_PATH, TEST_TWILIO } from "@sms-todo/testkit";

/**
 * The yardsticks ingress is compared with, run as a process of their own as ingress is:
 * a bare node:http server that reads the form and checks the signature, answering at once
 * ("bare"), and the same server publishing each webhook persistently to the quorum queue
 * ingress publishes to, answering after the broker's confirm ("confirm"). Prints
 * {"listening":<port>} once it takes requests.
 *
 * Environment: BENCH_REFERENCE_MODE (bare | confirm), and for confirm BENCH_AMQP_URL,
 * BENCH_EXCHANGE and BENCH_ROUTING_KEY.
 */

const MAX_BODY_BYTES = 64 * 1024;
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const SIGNED_URL = `${TEST_TWILIO.publicBaseUrl}${SMS_WEBHOOK_PATH}`;

type Publish = (body: Buffer, messageId: string) => Promise<void>;

function answer(response: http.ServerResponse, status: number, body: string, contentType: string): void {
  response.writeHead(status, { "content-type": contentType, "content-length": String(Buffer.byteLength(body)) });
  response.end(body);
}

function readBody(request: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks, size)));
    request.on("error", () => resolve(undefined));
  });
}

/** Form parsing and signature check as ingress does them: strict UTF-8, repeated fields kept, the account checked. */
function verifiedFields(request: http.IncomingMessage, bytes: Buffer): URLSearchParams | undefined {
  if (request.headers["content-type"] !== "application/x-www-form-urlencoded") return undefined;
  let fields: URLSearchParams;
  try {
    fields = new URLSearchParams(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  const signature = request.headers["x-twilio-signature"];
  if (typeof signature !== "string") return undefined;
  const params: Record<string, string | string[]> = {};
  for (const [name, value] of fields) {
    const seen = params[name];
    params[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  if (!validateRequest(TEST_TWILIO.authToken, signature, SIGNED_URL, params)) return undefined;
  return fields.get("AccountSid") === TEST_TWILIO.accountSid ? fields : undefined;
}

async function confirmingPublisher(): Promise<{ publish: Publish; close(): Promise<void> }> {
  const url = process.env.BENCH_AMQP_URL;
  const exchange = process.env.BENCH_EXCHANGE;
  const routingKey = process.env.BENCH_ROUTING_KEY;
  if (!url || !exchange || !routingKey) throw new Error("BENCH_AMQP_URL, BENCH_EXCHANGE and BENCH_ROUTING_KEY are required");
  const connection = await amqplib.connect(url);
  const channel: ConfirmChannel = await connection.createConfirmChannel();
  return {
    publish: (body, messageId) =>
      new Promise((resolve, reject) => {
        channel.publish(exchange, routingKey, body, { persistent: true, messageId }, (error) =>
          error ? reject(new Error("broker refused the publish")) : resolve(),
        );
      }),
    async close() {
      await connection.close();
    },
  };
}

async function main(): Promise<void> {
  const mode = process.env.BENCH_REFERENCE_MODE;
  if (mode !== "bare" && mode !== "confirm") throw new Error("BENCH_REFERENCE_MODE must be bare or confirm");
  const publisher = mode === "confirm" ? await confirmingPublisher() : undefined;

  const server = http.createServer((request, response) => {
    void (async () => {
      if (request.method !== "POST" || request.url !== SMS_WEBHOOK_PATH)
        return answer(response, 404, "not found\n", "text/plain");
      const bytes = await readBody(request);
      const fields = bytes && verifiedFields(request, bytes);
      if (!bytes || !fields) return answer(response, 403, "forbidden\n", "text/plain");
      if (publisher) {
        try {
          await publisher.publish(bytes, fields.get("MessageSid") ?? "");
        } catch {
          return answer(response, 503, "unavailable\n", "text/plain");
        }
      }
      answer(response, 200, EMPTY_TWIML, "text/xml");
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ listening: typeof address === "object" && address ? address.port : 0 })}\n`);

  const stop = () => {
    server.close();
    server.closeAllConnections();
    void (publisher?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`reference server failed: ${(error as Error).message}\n`);
  process.exit(1);
});
