import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { AmqpBroker } from "@sms-todo/shared";
import { createMetricsRegistry } from "@sms-todo/shared/metrics";
import {
  auditLogLine,
  TEST_TWILIO,
  TcpProxy,
  createTestTopology,
  fakeMessageSid,
  freePort,
  inboundSmsFields,
  postSignedWebhook,
  testInfrastructure,
  TcpFaultProxy,
} from "@sms-todo/testkit";
import type { IngressApp } from "../src/app.js";
import { loadIngressConfig } from "../src/ingress.config.js";
import { composeIngress } from "../src/ingress.composition.js";
import { EMPTY_TWIML } from "../src/routes/sms-webhook.route.js";
import { LogWatch, createTestSpool, deleteRedisKeys, holdRelayLock, type LogLine, type TestSpool } from "./ingress.fixture.js";
import { QueueProbe } from "./queue.probe.js";

// The durability spool: webhooks RabbitMQ did not confirm in time are committed to ingress's own
// Postgres database before Twilio gets its 200, and the relay publishes them, in order, once the
// broker is back. Each ingress reaches RabbitMQ through a proxy the tests take down or hold.

const SMS_PATH = "/webhooks/twilio/sms";
const STATUS_PATH = "/webhooks/twilio/status";
const MAIN_JS = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const amqp = new URL(testInfrastructure.amqpUrl);
const rabbitmq = { host: amqp.hostname, port: Number(amqp.port || 5672) };

const testTopology = createTestTopology("ingress-spool");
const { topology } = testTopology;
const spools: TestSpool[] = [];
const stoppers: Array<() => Promise<void>> = [];
const probeBroker = new AmqpBroker({ url: testInfrastructure.amqpUrl, topology, logger: new LogWatch("probe", "warn").logger });
const textQueue = new QueueProbe(topology.queues.text);
const statusQueue = new QueueProbe(topology.queues.status);

const answered = { status: 200, body: EMPTY_TWIML, contentType: "text/xml" };
const is = (msg: string, messageSid?: string) => (line: LogLine) =>
  line.msg === msg && (messageSid === undefined || line.messageSid === messageSid);

function spoolFor(label: string): TestSpool {
  const spool = createTestSpool(label);
  spools.push(spool);
  return spool;
}

function ingressEnv(spoolUrl: string, amqpUrl: string): NodeJS.ProcessEnv {
  return {
    PUBLIC_BASE_URL: TEST_TWILIO.publicBaseUrl,
    INGRESS_PORT: "0",
    TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
    AMQP_URL: amqpUrl,
    SPOOL_DATABASE_URL: spoolUrl,
    REDIS_URL: testInfrastructure.redisUrl,
    SMS_TODO_NAMESPACE: testTopology.namespace,
    RATE_LIMIT_MESSAGES: "100000",
    LOG_LEVEL: "info",
  };
}

function throughProxy(url: string, port: number): string {
  const proxied = new URL(url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(port);
  return proxied.toString();
}

interface RunningIngress {
  app: IngressApp;
  baseUrl: string;
  /** The ingress' way to RabbitMQ. */
  link: TcpFaultProxy;
  logs: LogWatch;
  post(path: string, fields: Record<string, string>): ReturnType<typeof postSignedWebhook>;
}

async function startIngress(name: string, spoolUrl: string): Promise<RunningIngress> {
  const link = new TcpFaultProxy("RabbitMQ", rabbitmq);
  await link.start();
  const logs = new LogWatch(name);
  const config = loadIngressConfig(ingressEnv(spoolUrl, throughProxy(testInfrastructure.amqpUrl, link.port)));
  const app = composeIngress(config, {
    logger: logs.logger,
    metricsRegistry: createMetricsRegistry({ defaultMetrics: false }),
    spoolPollIntervalMs: 200,
  });
  await app.start();
  stoppers.push(async () => {
    await app.stop();
    await link.stop();
  });
  const baseUrl = `http://127.0.0.1:${app.port()}`;
  const post = (path: string, fields: Record<string, string>) =>
    postSignedWebhook({ baseUrl, publicBaseUrl: TEST_TWILIO.publicBaseUrl, path, authToken: TEST_TWILIO.authToken, fields });
  return { app, baseUrl, link, logs, post };
}

/** Takes the ingress' RabbitMQ away and resolves once its broker noticed. */
async function brokerDown(ingress: RunningIngress): Promise<void> {
  const from = ingress.logs.lines.length;
  await ingress.link.partition();
  await ingress.logs.waitFor(is("RabbitMQ connection lost, reconnecting"), { from });
}

/** Gives the ingress its RabbitMQ back and resolves once its broker reconnected. */
async function brokerUp(ingress: RunningIngress): Promise<void> {
  const from = ingress.logs.lines.length;
  await ingress.link.heal();
  await ingress.logs.waitFor(is("RabbitMQ connected, topology declared"), { from });
}

const smsFields = (from = "+15550002222") => inboundSmsFields({ from, body: "buy milk", accountSid: TEST_TWILIO.accountSid });

/** The next message on the text queue must be this one: anything published before it, a copy included, would come first. */
async function expectNextText(messageSid: string): Promise<void> {
  const delivery = await textQueue.next(15_000);
  expect(delivery.messageId).toBe(messageSid);
}

/** A webhook that takes the usual way; as the next message on the text queue it proves that no earlier one arrives again. */
async function expectNothingMoreThan(ingress: RunningIngress): Promise<void> {
  const sentinel = smsFields();
  expect(await ingress.post(SMS_PATH, sentinel)).toEqual(answered);
  await expectNextText(sentinel.MessageSid ?? "");
}

beforeAll(async () => {
  await probeBroker.start();
  for (const probe of [textQueue, statusQueue]) await probe.attach(probeBroker);
});

afterAll(async () => {
  for (const stop of stoppers.reverse()) await stop();
  for (const probe of [textQueue, statusQueue]) await probe.stop();
  await probeBroker.close();
  await testTopology.remove();
  for (const spool of spools) await spool.drop();
  await deleteRedisKeys(testTopology.namespace);
});

describe("two replicas on one spool while RabbitMQ is away", () => {
  const spool = spoolFor("ingress_spool");
  let a: RunningIngress;
  let b: RunningIngress;
  const sent: string[] = [];
  const statusSid = fakeMessageSid();

  beforeAll(async () => {
    a = await startIngress("ingress-a", spool.url);
    b = await startIngress("ingress-b", spool.url);
  });

  it("when RabbitMQ is unreachable, then every webhook is answered 200 and committed to the spool in the order it came, and nothing is published", async () => {
    await brokerDown(a);
    await brokerDown(b);
    for (let index = 0; index < 6; index += 1) {
      const fields = smsFields();
      sent.push(fields.MessageSid ?? "");
      expect(await (index % 2 === 0 ? a : b).post(SMS_PATH, fields)).toEqual(answered);
    }
    const status = { MessageSid: statusSid, AccountSid: TEST_TWILIO.accountSid, MessageStatus: "delivered", To: "+15550002222" };
    expect(await b.post(STATUS_PATH, status)).toEqual({ status: 200, body: "", contentType: null });

    const rows = await spool.rows();
    expect(rows.map((row) => [row.message_id, row.exchange, row.routing_key, row.correlation_id])).toEqual([
      ...sent.map((messageSid) => [messageSid, topology.exchanges.inbound, "text", messageSid]),
      [`${statusSid}:delivered`, topology.exchanges.inbound, "status", statusSid],
    ]);
    expect(rows.map((row) => row.message_type)).toEqual([
      ...sent.map(() => "messaging.v1.InboundMessage"),
      "messaging.v1.DeliveryStatus",
    ]);
    expect([...a.logs.withMessage("inbound message spooled"), ...b.logs.withMessage("inbound message spooled")]).toHaveLength(6);
    expect([...textQueue.unclaimed, ...statusQueue.unclaimed]).toEqual([]);
    expect((await fetch(`${a.baseUrl}/readyz`)).status).toBe(200);
  });

  it("when RabbitMQ is back while the spool still holds rows, then a new webhook is spooled behind them, and the relays publish every row once, in spool order, and empty the spool", async () => {
    // Another relay draining the spool holds this lock: until it is released, the rows stay where they are.
    const lock = await holdRelayLock(spool.url, topology.exchanges.inbound);
    onTestFinished(() => lock.release());
    await brokerUp(a);
    await brokerUp(b);
    const late = smsFields();
    expect(await a.post(SMS_PATH, late)).toEqual(answered);
    expect(a.logs.lines.some(is("inbound message spooled", late.MessageSid))).toBe(true);
    sent.push(late.MessageSid ?? "");

    const drained = Promise.any(
      [a, b].map((ingress) => ingress.logs.waitFor(is("spool drained"), { from: ingress.logs.lines.length })),
    );
    await lock.release();
    for (const messageSid of sent) await expectNextText(messageSid);
    expect((await statusQueue.next(15_000)).messageId).toBe(`${statusSid}:delivered`);
    await drained;

    expect(await spool.rows()).toEqual([]);
    await expectNothingMoreThan(b);
    await expectNothingMoreThan(a);
  });
});

describe("one replica whose broker is slow, on a spool another stack shares", () => {
  const spool = spoolFor("ingress_slow");
  const foreignExchange = "another-stack.inbound";
  let ingress: RunningIngress;

  beforeAll(async () => {
    ingress = await startIngress("ingress-slow", spool.url);
    // A webhook of a stack with another SMS_TODO_NAMESPACE, waiting for that stack's relay.
    await spool
      .db()
      .insertInto("spooled_webhooks")
      .values({
        exchange: foreignExchange,
        routing_key: "text",
        message_id: fakeMessageSid(),
        message_type: "messaging.v1.InboundMessage",
        correlation_id: "elsewhere",
        headers: "{}",
        body: Buffer.from("not ours"),
      })
      .execute();
  });

  const ownRows = async () => (await spool.rows()).filter((row) => row.exchange !== foreignExchange);

  it("when RabbitMQ does not confirm within SPOOL_AFTER_MS, then the webhook is spooled and answered 200, and once the confirm comes it is on the queue once and the spool is empty", async () => {
    ingress.link.hold();
    const slow = smsFields();
    const from = ingress.logs.lines.length;
    expect(await ingress.post(SMS_PATH, slow)).toEqual(answered);
    expect(ingress.logs.lines.slice(from).some(is("inbound message spooled", slow.MessageSid))).toBe(true);
    expect((await ownRows()).map((row) => row.message_id)).toEqual([slow.MessageSid]);

    const drained = ingress.logs.waitFor(is("spool drained"), { from });
    ingress.link.release();
    await expectNextText(slow.MessageSid ?? "");
    await drained;
    expect(await ownRows()).toEqual([]);
    await expectNothingMoreThan(ingress);
  });

  it("when another stack's webhooks wait in the same spool, then this stack's relay leaves them and its webhooks take the usual way", async () => {
    expect((await spool.rows()).map((row) => row.exchange)).toEqual([foreignExchange]);
    const fields = smsFields();
    const from = ingress.logs.lines.length;
    expect(await ingress.post(SMS_PATH, fields)).toEqual(answered);
    expect(ingress.logs.lines.slice(from).some(is("inbound message published", fields.MessageSid))).toBe(true);
    await expectNextText(fields.MessageSid ?? "");
  });
});

describe("when Postgres is unreachable too", () => {
  const spool = spoolFor("ingress_nopg");
  const postgres = new URL(testInfrastructure.postgresUrl);
  const postgresProxy = new TcpProxy({ host: postgres.hostname, port: Number(postgres.port || 5432) });
  let ingress: RunningIngress;

  beforeAll(async () => {
    await postgresProxy.start();
    ingress = await startIngress("ingress-nopg", throughProxy(spool.url, postgresProxy.port));
  });

  afterAll(async () => {
    await postgresProxy.stop();
  });

  it("when only the spool's Postgres is gone, then webhooks are still published; when RabbitMQ goes too, then Twilio gets 503, counted as unavailable, and /readyz fails", async () => {
    await postgresProxy.stop();
    const published = smsFields();
    expect(await ingress.post(SMS_PATH, published)).toEqual(answered);
    await expectNextText(published.MessageSid ?? "");

    await brokerDown(ingress);
    const refused = smsFields();
    expect(await ingress.post(SMS_PATH, refused)).toMatchObject({ status: 503, body: "service unavailable\n" });
    expect(ingress.logs.lines.some((line) => line.msg === "request failed" && line.correlationId === refused.MessageSid)).toBe(
      true,
    );
    expect((await fetch(`${ingress.baseUrl}/readyz`)).status).toBe(503);
    const metrics = await (await fetch(`${ingress.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^sms_todo_webhooks_total\{webhook="sms",outcome="unavailable"\} 1$/m);
    expect(metrics).toContain("ingress_spool_reachable 0");
  });
});

describe("an ingress killed right after it answered", () => {
  const spool = spoolFor("ingress_killed");

  it("when ingress is killed with SIGKILL right after answering 200 for spooled webhooks, then a new ingress publishes them in order", async () => {
    const link = new TcpFaultProxy("RabbitMQ", rabbitmq);
    await link.start();
    stoppers.push(() => link.stop());
    const port = await freePort();
    const logs = new LogWatch("killed");
    const child = spawn(process.execPath, [MAIN_JS], {
      env: {
        ...process.env,
        ...ingressEnv(spool.url, throughProxy(testInfrastructure.amqpUrl, link.port)),
        INGRESS_PORT: String(port),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    stoppers.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (text) => {
        auditLogLine("ingress", text);
        try {
          logs.push(JSON.parse(text) as LogLine);
        } catch {
          logs.push({ msg: text });
        }
      });
    }
    await logs.waitFor(is("service started"));

    await link.partition();
    await logs.waitFor(is("RabbitMQ connection lost, reconnecting"));
    const sent: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const fields = smsFields();
      sent.push(fields.MessageSid ?? "");
      const answer = await postSignedWebhook({
        baseUrl: `http://127.0.0.1:${port}`,
        publicBaseUrl: TEST_TWILIO.publicBaseUrl,
        path: SMS_PATH,
        authToken: TEST_TWILIO.authToken,
        fields,
      });
      // No graceful stop, no finally block: the process is gone the moment the last 200 is in.
      if (index === 2) child.kill("SIGKILL");
      expect(answer).toEqual(answered);
    }
    expect(await exited).toBe("SIGKILL");
    expect((await spool.rows()).map((row) => row.message_id)).toEqual(sent);

    const successor = await startIngress("successor", spool.url);
    for (const messageSid of sent) await expectNextText(messageSid);
    await successor.logs.waitFor(is("spool drained"));
    expect(await spool.rows()).toEqual([]);
    await expectNothingMoreThan(successor);
  });
});
