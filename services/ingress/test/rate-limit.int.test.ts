import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AmqpBroker } from "@sms-todo/shared";
import { createMetricsRegistry } from "@sms-todo/shared/metrics";
import {
  TEST_TWILIO,
  TcpProxy,
  createTestTopology,
  fakeMessageSid,
  inboundSmsFields,
  postSignedWebhook,
  testInfrastructure,
  type InboundSmsOptions,
} from "@sms-todo/testkit";
import type { IngressApp } from "../src/app.js";
import { loadIngressConfig } from "../src/ingress.config.js";
import { composeIngress } from "../src/ingress.composition.js";
import { EMPTY_TWIML } from "../src/routes/sms-webhook.route.js";
import { LogWatch, createTestSpool, deleteRedisKeys } from "./ingress.fixture.js";
import { QueueProbe } from "./queue.probe.js";

// The per-number rate limit: at most RATE_LIMIT_MESSAGES inbound messages per sender number and
// window, counted in Redis. A message over it is answered 200 and not published; the first one of
// the window gets Twilio's <Message> reply asking to slow down.

const SMS_PATH = "/webhooks/twilio/sms";
const STATUS_PATH = "/webhooks/twilio/status";
const LIMIT = 3;
const WINDOW_SECONDS = 60;

const testTopology = createTestTopology("ingress-rate");
const { topology } = testTopology;
const spool = createTestSpool("ingress_rate");
const keyPrefix = `${testTopology.namespace}sms-todo:inbound-rate:`;
const probeBroker = new AmqpBroker({ url: testInfrastructure.amqpUrl, topology, logger: new LogWatch("probe", "warn").logger });
const textQueue = new QueueProbe(topology.queues.text);
const statusQueue = new QueueProbe(topology.queues.status);
const redis = new Redis(testInfrastructure.redisUrl);
const apps: IngressApp[] = [];

const answered = { status: 200, body: EMPTY_TWIML, contentType: "text/xml" };

async function startIngress(name: string, redisUrl = testInfrastructure.redisUrl): Promise<{ baseUrl: string; logs: LogWatch }> {
  const logs = new LogWatch(name);
  const config = loadIngressConfig({
    PUBLIC_BASE_URL: TEST_TWILIO.publicBaseUrl,
    INGRESS_PORT: "0",
    TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
    AMQP_URL: testInfrastructure.amqpUrl,
    SPOOL_DATABASE_URL: spool.url,
    REDIS_URL: redisUrl,
    SMS_TODO_NAMESPACE: testTopology.namespace,
    RATE_LIMIT_MESSAGES: String(LIMIT),
    RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
  });
  const app = composeIngress(config, {
    logger: logs.logger,
    metricsRegistry: createMetricsRegistry({ defaultMetrics: false }),
  });
  await app.start();
  apps.push(app);
  return { baseUrl: `http://127.0.0.1:${app.port()}`, logs };
}

let numberCounter = 0;
/** A sender number of its own for each test, so the windows of different tests never mix. */
function freshNumber(): string {
  numberCounter += 1;
  return `+1555700${String(numberCounter).padStart(4, "0")}`;
}

let baseUrl: string;
let logs: LogWatch;

function post(path: string, fields: Record<string, string>, url = baseUrl) {
  return postSignedWebhook({
    baseUrl: url,
    publicBaseUrl: TEST_TWILIO.publicBaseUrl,
    path,
    authToken: TEST_TWILIO.authToken,
    fields,
  });
}

function sms(from: string, options: Partial<InboundSmsOptions> = {}): Record<string, string> {
  return inboundSmsFields({ from, body: "buy milk", accountSid: TEST_TWILIO.accountSid, ...options });
}

/** The next messages on the text queue must be exactly these, in this order. */
async function expectPublished(...messageSids: string[]): Promise<void> {
  for (const messageSid of messageSids) expect((await textQueue.next()).messageId).toBe(messageSid);
}

/** A message from a number nobody else uses: the next on the queue, so nothing over a limit was published before it. */
async function expectNothingElsePublished(url = baseUrl): Promise<void> {
  const sentinel = sms(freshNumber());
  expect(await post(SMS_PATH, sentinel, url)).toEqual(answered);
  await expectPublished(sentinel.MessageSid ?? "");
}

const sidOf = (fields: Record<string, string>) => fields.MessageSid ?? "";

beforeAll(async () => {
  ({ baseUrl, logs } = await startIngress("ingress-rate"));
  await probeBroker.start();
  for (const probe of [textQueue, statusQueue]) await probe.attach(probeBroker);
});

afterAll(async () => {
  for (const app of apps) await app.stop();
  for (const probe of [textQueue, statusQueue]) await probe.stop();
  await probeBroker.close();
  await testTopology.remove();
  await spool.drop();
  await deleteRedisKeys(testTopology.namespace);
  redis.disconnect();
});

describe("per-number rate limit", () => {
  it("when a number sends more than the limit in a window, then the first ones are published, the first one over gets one slow-down reply, the later ones empty TwiML, and none over the limit is published", async () => {
    const number = freshNumber();
    const messages = Array.from({ length: LIMIT + 3 }, () => sms(number));
    const answers = [];
    for (const fields of messages) answers.push(await post(SMS_PATH, fields));

    expect(answers.slice(0, LIMIT)).toEqual(messages.slice(0, LIMIT).map(() => answered));
    const slowDown = answers[LIMIT];
    expect(slowDown).toMatchObject({ status: 200, contentType: "text/xml" });
    expect(slowDown?.body).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?><Response><Message>Slow down: more than 3 texts in 60 seconds\. Texts in the next \d+ seconds are ignored\.<\/Message><\/Response>$/,
    );
    expect(answers.slice(LIMIT + 1)).toEqual([answered, answered]);
    expect(answers.filter((answer) => answer.body.includes("<Message>"))).toHaveLength(1);

    await expectPublished(...messages.slice(0, LIMIT).map(sidOf));
    await expectNothingElsePublished();
    expect(logs.withMessage("inbound message over the rate limit, not published")).toHaveLength(3);
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^ingress_rate_limited_total\{reply="slow_down"\} 1$/m);
    expect(metrics).toMatch(/^ingress_rate_limited_total\{reply="none"\} 2$/m);
  });

  it("when one number is over its limit, then another number's messages are published as usual", async () => {
    const busy = freshNumber();
    for (let index = 0; index <= LIMIT; index += 1) await post(SMS_PATH, sms(busy));
    await textQueue.next();
    await textQueue.next();
    await textQueue.next();

    const other = freshNumber();
    const messages = Array.from({ length: LIMIT }, () => sms(other));
    for (const fields of messages) expect(await post(SMS_PATH, fields)).toEqual(answered);
    await expectPublished(...messages.map(sidOf));
  });

  it("when a number over its limit texts an opt-out or opt-in keyword, or Twilio marks the message with OptOutType, then it is published; a sentence is not a keyword", async () => {
    const number = freshNumber();
    const first = Array.from({ length: LIMIT + 1 }, () => sms(number));
    for (const fields of first) await post(SMS_PATH, fields);
    await expectPublished(...first.slice(0, LIMIT).map(sidOf));

    const keywords = [
      sms(number, { body: "STOP" }),
      sms(number, { body: " stop. " }),
      sms(number, { body: "Unsubscribe" }),
      sms(number, { body: "START" }),
      sms(number, { body: "yes!" }),
      sms(number, { body: "please stop now", optOutType: "STOP" }),
    ];
    for (const fields of keywords) expect(await post(SMS_PATH, fields)).toEqual(answered);
    expect(await post(SMS_PATH, sms(number, { body: "stop texting me" }))).toEqual(answered);
    await expectPublished(...keywords.map(sidOf));
    await expectNothingElsePublished();
  });

  it("when Twilio sends a webhook again, then it gets the answer it got the first time and does not count twice", async () => {
    const number = freshNumber();
    const messages = Array.from({ length: LIMIT + 1 }, () => sms(number));
    const [firstMessage] = messages;
    if (!firstMessage) throw new Error("no message");
    expect(await post(SMS_PATH, firstMessage)).toEqual(answered);
    expect(await post(SMS_PATH, firstMessage)).toEqual(answered);
    expect(await post(SMS_PATH, firstMessage)).toEqual(answered);
    for (const fields of messages.slice(1, LIMIT)) expect(await post(SMS_PATH, fields)).toEqual(answered);
    const overLimit = messages[LIMIT] ?? firstMessage;
    const slowDown = await post(SMS_PATH, overLimit);
    expect(slowDown.body).toContain("<Message>Slow down");
    expect((await post(SMS_PATH, overLimit)).body).toContain("<Message>Slow down");
    expect((await post(SMS_PATH, sms(number))).body).toBe(EMPTY_TWIML);

    await expectPublished(sidOf(firstMessage), sidOf(firstMessage), sidOf(firstMessage), ...messages.slice(1, LIMIT).map(sidOf));
    await expectNothingElsePublished();
  });

  it("when the window is over, then the number may send again and the first message over the limit gets a slow-down reply again", async () => {
    const number = freshNumber();
    for (let index = 0; index <= LIMIT; index += 1) await post(SMS_PATH, sms(number));
    for (let index = 0; index < LIMIT; index += 1) await textQueue.next();
    expect(await redis.pttl(`${keyPrefix}${number}`)).toBeGreaterThan((WINDOW_SECONDS - 10) * 1000);

    // The window's key expires with the window: removing it is what the end of the window does.
    await redis.del(`${keyPrefix}${number}`);
    const next = Array.from({ length: LIMIT + 1 }, () => sms(number));
    const answers = [];
    for (const fields of next) answers.push(await post(SMS_PATH, fields));
    expect(answers.slice(0, LIMIT)).toEqual(next.slice(0, LIMIT).map(() => answered));
    expect(answers[LIMIT]?.body).toContain("<Message>Slow down");
    await expectPublished(...next.slice(0, LIMIT).map(sidOf));
    await expectNothingElsePublished();
  });

  it("when delivery-status callbacks arrive for a number over its limit, then every one is published", async () => {
    const number = freshNumber();
    for (let index = 0; index <= LIMIT; index += 1) await post(SMS_PATH, sms(number));
    for (let index = 0; index < LIMIT; index += 1) await textQueue.next();

    const messageSid = fakeMessageSid();
    const statuses = ["queued", "sending", "sent", "delivered", "read"];
    for (const status of statuses) {
      const fields = { MessageSid: messageSid, AccountSid: TEST_TWILIO.accountSid, MessageStatus: status, To: number };
      expect(await post(STATUS_PATH, fields)).toMatchObject({ status: 200 });
    }
    for (const status of statuses) expect((await statusQueue.next()).messageId).toBe(`${messageSid}:${status}`);
  });
});

describe("without Redis", () => {
  const redisAddress = new URL(testInfrastructure.redisUrl);
  const redisProxy = new TcpProxy({ host: redisAddress.hostname, port: Number(redisAddress.port || 6379) });
  let otherUrl: string;
  let otherLogs: LogWatch;

  beforeAll(async () => {
    await redisProxy.start();
    const proxied = new URL(testInfrastructure.redisUrl);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(redisProxy.port);
    ({ baseUrl: otherUrl, logs: otherLogs } = await startIngress("ingress-no-redis", proxied.toString()));
  });

  it("when Redis becomes unreachable, then every message is published (the limit fails open) and one warning is logged", async () => {
    const number = freshNumber();
    const before = sms(number);
    expect(await post(SMS_PATH, before, otherUrl)).toEqual(answered);
    await expectPublished(sidOf(before));

    await redisProxy.stop();
    const messages = Array.from({ length: LIMIT + 2 }, () => sms(number));
    for (const fields of messages) expect(await post(SMS_PATH, fields, otherUrl)).toEqual(answered);
    await expectPublished(...messages.map(sidOf));
    await expectNothingElsePublished(otherUrl);

    const warnings = otherLogs.withMessage("rate limit unavailable, messages are admitted unchecked until Redis answers");
    expect(warnings.map((line) => line.level)).toEqual(["warn"]);
    const metrics = await (await fetch(`${otherUrl}/metrics`)).text();
    expect(metrics).toMatch(/^ingress_rate_limit_unavailable_total (\d+)$/m);
    expect(Number(/^ingress_rate_limit_unavailable_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(LIMIT + 2);
  });
});
