import http from "node:http";
import net from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messaging } from "@sms-todo/contracts";
import { AUDIO_CONTENT_TYPES } from "@sms-todo/rules";
import { AmqpBroker, deadLetterQueueOf, type Consumer, type Delivery, type PublishOptions } from "@sms-todo/shared";
import { TEST_TWILIO, captureLogs, createTestTopology, testInfrastructure } from "@sms-todo/testkit";
import type { IngressApp } from "../src/app.js";
import { loadIngressConfig } from "../src/ingress.config.js";
import { composeIngress } from "../src/ingress.composition.js";
import { EMPTY_TWIML } from "../src/routes/sms-webhook.route.js";
import {
  BAD_REQUEST_CATEGORIES,
  SMS_PATH,
  badRequestArb,
  encodeForm,
  expectedStatusesOf,
  formOf,
  inboundFieldsOf,
  inboundWebhookArb,
  publicUrlOf,
  sendableOf,
  signFields,
  targetOf,
  type FormFields,
  type HttpRequest,
  type InboundWebhook,
} from "./webhook-fuzz.arbitraries.js";
import { createTestSpool, deleteRedisKeys } from "./ingress.fixture.js";

// Enough runs to cover every category many times over, within about half a minute for the whole file.
const BAD_REQUEST_RUNS = 2000;
const VALID_WEBHOOK_RUNS = 250;
// Shrinking a counterexample replays requests many times: room for it beyond the project's 30 s default.
const PROPERTY_TIMEOUT_MS = 120_000;

const testTopology = createTestTopology("ingress-fuzz");
const { topology } = testTopology;
const spool = createTestSpool("ingress_fuzz");
const logs = captureLogs("ingress", "debug");
const config = loadIngressConfig({
  PUBLIC_BASE_URL: TEST_TWILIO.publicBaseUrl,
  INGRESS_PORT: "0",
  TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
  TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
  AMQP_URL: testInfrastructure.amqpUrl,
  SPOOL_DATABASE_URL: spool.url,
  REDIS_URL: testInfrastructure.redisUrl,
  SMS_TODO_NAMESPACE: testTopology.namespace,
  // fast-check repeats sender numbers (above all while shrinking), and every webhook here must be published:
  // the per-number limit is set far above what a run sends. It has its own tests (rate-limit.int.test.ts).
  RATE_LIMIT_MESSAGES: "1000000",
  LOG_LEVEL: "debug",
});

interface Published {
  routingKey: string;
  messageId: string | undefined;
}

/** The app's own broker, noting every publish it is asked for, confirmed or not. */
class RecordingBroker extends AmqpBroker {
  readonly published: Published[] = [];

  override async publish(exchange: string, routingKey: string, body: Buffer, options: PublishOptions = {}): Promise<void> {
    this.published.push({ routingKey, messageId: options.messageId });
    return super.publish(exchange, routingKey, body, options);
  }
}

/** Collects one queue's deliveries by messageId, so a test takes exactly the copies of the messages it sent. */
class DeliveryCollector {
  private readonly received = new Map<string, Delivery[]>();
  private readonly waiters = new Set<() => boolean>();
  private consumer: Consumer | undefined;

  constructor(readonly queue: string) {}

  async attach(broker: AmqpBroker): Promise<void> {
    this.consumer = await broker.consume(
      this.queue,
      async (delivery) => {
        const messageId = delivery.messageId ?? "";
        this.received.set(messageId, [...(this.received.get(messageId) ?? []), delivery]);
        for (const waiter of [...this.waiters]) waiter();
      },
      { prefetch: 100 },
    );
  }

  /** The first `count` copies of a message; the timeout only turns a missing copy into a failure. */
  take(messageId: string, count: number, timeoutMs = 5_000): Promise<Delivery[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const copies = this.received.get(messageId) ?? [];
        if (copies.length < count) return false;
        this.waiters.delete(check);
        clearTimeout(timer);
        this.received.set(messageId, copies.slice(count));
        resolve(copies.slice(0, count));
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        const got = this.received.get(messageId)?.length ?? 0;
        reject(new Error(`${got} of ${count} copies of ${messageId} arrived on ${this.queue} within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }

  /** Copies of these messages received and never taken. */
  leftOf(messageIds: ReadonlySet<string>): Delivery[] {
    return [...this.received].filter(([messageId]) => messageIds.has(messageId)).flatMap(([, copies]) => copies);
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }
}

let app: IngressApp;
let port: number;
const broker = new RecordingBroker({ url: testInfrastructure.amqpUrl, topology, logger: logs.logger });
const probeBroker = new AmqpBroker({ url: testInfrastructure.amqpUrl, topology, logger: captureLogs("probe", "warn").logger });
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const QUEUES = Object.values(topology.queues).flatMap((queue) => [queue, deadLetterQueueOf(queue)]);

beforeAll(async () => {
  app = composeIngress(config, { logger: logs.logger, broker });
  await app.start();
  port = app.port();
  await probeBroker.start();
});

afterAll(async () => {
  agent.destroy();
  await app.stop();
  await probeBroker.close();
  await testTopology.remove();
  await spool.drop();
  await deleteRedisKeys(testTopology.namespace);
});

interface Answer {
  status: number;
  body: string;
  contentType: string | undefined;
}

function send(request: HttpRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // Arrays, so that a header given twice is sent as two header lines.
    const headers: Record<string, string[]> = {};
    for (const [name, value] of request.headers) headers[name] = [...(headers[name] ?? []), value];
    if (request.chunked) headers["transfer-encoding"] = ["chunked"];
    else headers["content-length"] = [String(request.body.length)];
    let answered = false;
    const client = http.request({ host: "127.0.0.1", port, agent, method: request.method, path: request.target, headers });
    client.setTimeout(10_000, () => client.destroy(new Error(`${request.method} ${request.target} not answered within 10 s`)));
    client.on("response", (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          contentType: response.headers["content-type"],
        }),
      );
    });
    // After a 413 the server stops reading and closes: the rest of the upload may fail once the answer is in.
    client.on("error", (error) => {
      if (!answered) reject(error);
    });
    if (!request.chunked) return void client.end(request.body);
    for (let offset = 0; offset < request.body.length; offset += 16 * 1024)
      client.write(request.body.subarray(offset, offset + 16 * 1024));
    client.end();
  });
}

/** Writes raw bytes on a fresh connection, half-closes it, and reads the status of every answer until the server closes. */
function sendOnWire(bytes: Buffer): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error("the connection was neither answered nor closed within 10 s")));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "ECONNRESET" && error.code !== "EPIPE") reject(error);
    });
    socket.on("close", () =>
      resolve(
        [
          ...Buffer.concat(chunks)
            .toString("latin1")
            .matchAll(/HTTP\/1\.[01] (\d{3}) /g),
        ].map((match) => Number(match[1])),
      ),
    );
    socket.end(bytes);
  });
}

function postSigned(path: string, fields: FormFields, query = ""): Promise<Answer> {
  const target = targetOf(path, query);
  return send({
    kind: "http",
    method: "POST",
    target,
    headers: [
      ["content-type", "application/x-www-form-urlencoded"],
      ["x-twilio-signature", signFields(publicUrlOf(target), fields)],
    ],
    body: Buffer.from(encodeForm(fields)),
    chunked: false,
  });
}

async function healthStatus(): Promise<number> {
  const answer = await send({
    kind: "http",
    method: "GET",
    target: "/healthz",
    headers: [],
    body: Buffer.alloc(0),
    chunked: false,
  });
  return answer.status;
}

/** Ready messages of every queue of the test topology, dead-letter queues included. */
async function queueCounts(): Promise<Record<string, number>> {
  const counts = await probeBroker.checkQueues(QUEUES);
  return Object.fromEntries(counts.map(({ queue, messageCount }) => [queue, messageCount]));
}

// What the fuzzing sent that must never reach a log line, and ids that may (they would pass for digits of a number).
const sensitive = { phoneDigits: new Set<string>(), bodies: new Set<string>(), ids: new Set<string>([TEST_TWILIO.accountSid]) };

function remember(fields: FormFields): void {
  for (const [name, value] of fields) {
    if (name === "From" || name === "To") {
      const digits = value.replace(/\D/g, "");
      if (digits.length >= 8) sensitive.phoneDigits.add(digits);
    }
    if (name === "Body" && value.trim().length >= 8) sensitive.bodies.add(value);
    if (name.endsWith("Sid")) sensitive.ids.add(value);
  }
}

let messageCounter = 0;

/** A MessageSid no other run uses (fast-check repeats values while shrinking), so copies of different runs never mix. */
function unique(webhook: InboundWebhook): InboundWebhook {
  messageCounter += 1;
  return { ...webhook, messageSid: `${webhook.messageSid.slice(0, 26)}${messageCounter.toString(16).padStart(8, "0")}` };
}

// The oracle for the queue a message must land on: the voice-note types of SPEC section 1, matched here, not by ingress.
const audioContentTypes: ReadonlySet<string> = new Set(AUDIO_CONTENT_TYPES);

function isAudio(contentType: string): boolean {
  return audioContentTypes.has((contentType.split(";")[0] ?? "").trim().toLowerCase());
}

describe("requests that are not genuine Twilio webhooks", () => {
  it(
    "when a webhook request is forged, tampered, malformed, oversized, mistyped or misrouted, then it is answered 4xx (403 for a bad signature), the service keeps answering and nothing is published",
    async () => {
      let counts = await queueCounts();
      expect(Object.values(counts)).toEqual(QUEUES.map(() => 0));
      const seen = new Map<string, number>();

      await fc.assert(
        fc.asyncProperty(badRequestArb, async (bad) => {
          seen.set(bad.category, (seen.get(bad.category) ?? 0) + 1);
          const form = formOf(bad);
          if (form) remember(form.fields);
          const publishedBefore = broker.published.length;

          const sendable = sendableOf(bad);
          const answers =
            sendable.kind === "wire"
              ? (await sendOnWire(sendable.bytes)).map((status) => `${status}`)
              : await send(sendable).then((answer) => [`${answer.status} ${answer.body.trim()}`]);
          // Everything is measured before anything is asserted, and queues are compared with the counts after the
          // previous run: a failing run must not leave a difference that fails every shrunk run after it.
          const published = broker.published.slice(publishedBefore);
          const before = counts;
          counts = await queueCounts();
          const health = await healthStatus();

          const expected = expectedStatusesOf(bad);
          for (const answer of answers) expect(expected, `answered ${answer}`).toContain(Number(answer.slice(0, 3)));
          expect(published).toEqual([]);
          expect(counts).toEqual(before);
          expect(health).toBe(200);
        }),
        { numRuns: BAD_REQUEST_RUNS },
      );

      // The same queue counts see a genuine webhook: zero above meant nothing was there.
      const genuine = fc.sample(inboundWebhookArb, 1)[0];
      if (!genuine) throw new Error("fast-check sampled no webhook");
      const fields = inboundFieldsOf(unique({ ...genuine, media: [], query: "" }));
      remember(fields);
      expect(await postSigned(SMS_PATH, fields)).toEqual({ status: 200, body: EMPTY_TWIML, contentType: "text/xml" });
      expect(await queueCounts()).toEqual({ ...counts, [topology.queues.text]: (counts[topology.queues.text] ?? 0) + 1 });

      console.info(`bad requests by category: ${JSON.stringify(Object.fromEntries(seen))}`);
      for (const category of BAD_REQUEST_CATEGORIES) expect(seen.get(category), category).toBeGreaterThan(10);
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe("genuine Twilio webhooks", () => {
  const text = new DeliveryCollector(topology.queues.text);
  const audio = new DeliveryCollector(topology.queues.audio);

  beforeAll(async () => {
    for (const collector of [text, audio]) await collector.attach(probeBroker);
  });

  afterAll(async () => {
    for (const collector of [text, audio]) await collector.stop();
  });

  it(
    "when well-formed signed webhooks arrive, some replayed at once or one after another, then each is answered 200 with empty TwiML and puts exactly one message on the queue its media selects: a replay is published again under the same MessageSid, for consumers to deduplicate",
    async () => {
      const sent = new Set<string>();
      const deliveriesArb = fc.record({
        messages: fc.array(fc.record({ webhook: inboundWebhookArb, copies: fc.integer({ min: 1, max: 3 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        order: fc.constantFrom("all at once" as const, "one after another" as const),
      });

      await fc.assert(
        fc.asyncProperty(deliveriesArb, async ({ messages, order }) => {
          const runs = messages.map(({ webhook, copies }) => ({ webhook: unique(webhook), copies }));
          const posts = runs.flatMap(({ webhook, copies }) => Array.from({ length: copies }, () => webhook));
          const publishedBefore = broker.published.length;
          const startedAt = Date.now();

          const post = (webhook: InboundWebhook) => {
            const fields = inboundFieldsOf(webhook);
            remember(fields);
            sent.add(webhook.messageSid);
            return postSigned(SMS_PATH, fields, webhook.query);
          };
          const answers: Answer[] = [];
          if (order === "all at once") answers.push(...(await Promise.all(posts.map(post))));
          else for (const webhook of posts) answers.push(await post(webhook));
          for (const answer of answers) expect(answer).toEqual({ status: 200, body: EMPTY_TWIML, contentType: "text/xml" });
          const answeredAt = Date.now();

          const routeOf = (webhook: InboundWebhook) =>
            webhook.media.some((item) => isAudio(item.contentType)) ? "audio" : "text";
          const published = broker.published.slice(publishedBefore);
          const byId = (a: Published, b: Published) => `${a.messageId}`.localeCompare(`${b.messageId}`);
          expect([...published].sort(byId)).toEqual(
            posts.map((webhook) => ({ routingKey: routeOf(webhook), messageId: webhook.messageSid })).sort(byId),
          );

          for (const { webhook, copies } of runs) {
            const deliveries = await (routeOf(webhook) === "audio" ? audio : text).take(webhook.messageSid, copies);
            for (const delivery of deliveries) {
              expect(delivery).toMatchObject({
                messageId: webhook.messageSid,
                correlationId: webhook.messageSid,
                type: "messaging.v1.InboundMessage",
              });
              const { receivedAtMs, ...message } = messaging.InboundMessage.decode(delivery.body);
              expect(message).toEqual({
                messageSid: webhook.messageSid,
                accountSid: TEST_TWILIO.accountSid,
                from: webhook.from,
                to: webhook.to,
                body: webhook.body,
                media: webhook.media,
                optOutType: (webhook.optOutType ?? "").trim().toUpperCase(),
                channel: webhook.whatsApp
                  ? messaging.Channel.CHANNEL_WHATSAPP
                  : webhook.media.length > 0
                    ? messaging.Channel.CHANNEL_MMS
                    : messaging.Channel.CHANNEL_SMS,
              });
              expect(receivedAtMs).toBeGreaterThanOrEqual(startedAt);
              expect(receivedAtMs).toBeLessThanOrEqual(answeredAt);
            }
          }
        }),
        { numRuns: VALID_WEBHOOK_RUNS },
      );

      expect(sent.size).toBeGreaterThanOrEqual(VALID_WEBHOOK_RUNS);
      // Every publish was counted above; any copy beyond those would be here now, the confirms came before the answers.
      expect([...text.leftOf(sent), ...audio.leftOf(sent)]).toEqual([]);
    },
    PROPERTY_TIMEOUT_MS,
  );
});

/** Log lines holding a generated phone number, a message body (or a part of it between numbers) or the auth token. */
function leaksIn(lines: readonly string[]): string[] {
  const bodyParts = new Set<string>();
  for (const body of sensitive.bodies)
    for (const part of [body, ...body.split(/[+\d]+/)])
      if (part.trim().length >= 8) {
        bodyParts.add(part);
        bodyParts.add(JSON.stringify(part).slice(1, -1));
      }
  const ids = [...sensitive.ids].filter((id) => id.length >= 8);

  return lines.filter((line) => {
    if (line.includes(TEST_TWILIO.authToken)) return true;
    let withoutIds = line;
    for (const id of ids) withoutIds = withoutIds.split(id).join("");
    for (const [run] of withoutIds.matchAll(/\d{8,}/g))
      for (let start = 0; start < run.length; start += 1)
        for (let end = start + 8; end <= Math.min(run.length, start + 15); end += 1)
          if (sensitive.phoneDigits.has(run.slice(start, end))) return true;
    for (const part of bodyParts) if (line.includes(part)) return true;
    return false;
  });
}

describe("log lines", () => {
  it("when the fuzzed webhooks were handled, then no log line holds a generated phone number, a message body or the auth token", () => {
    const text = logs.lines.join("\n");
    expect(text).toContain("webhook refused");
    expect(text).toContain("inbound message published");
    const [phone] = sensitive.phoneDigits;
    const [body] = sensitive.bodies;
    if (phone === undefined || body === undefined) throw new Error("the properties above generated no phone number or body");
    // The scan finds what it looks for.
    expect(leaksIn([`{"from":"+${phone}"}`, `{"body":${JSON.stringify(body)}}`, TEST_TWILIO.authToken])).toHaveLength(3);

    expect(leaksIn(logs.lines)).toEqual([]);
    console.info(
      `scanned ${logs.lines.length} log lines for ${sensitive.phoneDigits.size} phone numbers and ${sensitive.bodies.size} bodies`,
    );
  });
});
