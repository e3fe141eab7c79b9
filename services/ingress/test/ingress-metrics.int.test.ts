import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AmqpBroker } from "@sms-todo/shared";
import {
  TEST_TWILIO,
  TcpProxy,
  captureLogs,
  createTestTopology,
  fakeMessageSid,
  inboundSmsFields,
  postSignedWebhook,
  testInfrastructure,
  sampleOf,
} from "@sms-todo/testkit";
import type { IngressApp } from "../src/app.js";
import { loadIngressConfig } from "../src/ingress.config.js";
import { composeIngress } from "../src/ingress.composition.js";
import { createTestSpool, deleteRedisKeys } from "./ingress.fixture.js";

const SMS_PATH = "/webhooks/twilio/sms";
const STATUS_PATH = "/webhooks/twilio/status";

const testTopology = createTestTopology("ingress-metrics");
const spool = createTestSpool("ingress_metrics");
const amqp = new URL(testInfrastructure.amqpUrl);
// The broker is reached through a proxy the last test takes away, as a RabbitMQ outage would.
const proxy = new TcpProxy({ host: amqp.hostname, port: Number(amqp.port || 5672) });
const logs = captureLogs("ingress-metrics", "warn");
const apps: IngressApp[] = [];

async function startIngress(amqpUrl: string): Promise<{ app: IngressApp; baseUrl: string }> {
  const config = loadIngressConfig({
    PUBLIC_BASE_URL: TEST_TWILIO.publicBaseUrl,
    INGRESS_PORT: "0",
    TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
    AMQP_URL: amqpUrl,
    SPOOL_DATABASE_URL: spool.url,
    REDIS_URL: testInfrastructure.redisUrl,
    SMS_TODO_NAMESPACE: testTopology.namespace,
  });
  const app = composeIngress(config, {
    logger: logs.logger,
    broker: new AmqpBroker({
      url: config.AMQP_URL,
      topology: testTopology.topology,
      logger: logs.logger,
      publishTimeoutMs: 1_000,
    }),
  });
  await app.start();
  apps.push(app);
  return { app, baseUrl: `http://127.0.0.1:${app.port()}` };
}

describe("ingress metrics", () => {
  let baseUrl: string;
  const post = (path: string, fields: Record<string, string>, signature?: string) =>
    postSignedWebhook({
      baseUrl,
      publicBaseUrl: TEST_TWILIO.publicBaseUrl,
      path,
      authToken: TEST_TWILIO.authToken,
      fields,
      signature,
    });
  const smsFields = () => inboundSmsFields({ from: "+15550001111", body: "buy milk", accountSid: TEST_TWILIO.accountSid });
  const scrape = async (url = baseUrl) => {
    const response = await fetch(`${url}/metrics`);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    return response.text();
  };

  beforeAll(async () => {
    await proxy.start();
    const proxied = new URL(testInfrastructure.amqpUrl);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(proxy.port);
    ({ baseUrl } = await startIngress(proxied.toString()));
  });

  afterAll(async () => {
    for (const app of apps) await app.stop();
    await proxy.stop();
    await testTopology.remove();
    await spool.drop();
    await deleteRedisKeys(testTopology.namespace);
  });

  it("when webhooks are accepted, forged and malformed, then /metrics counts each outcome and the published messages", async () => {
    const before = await scrape();
    expect(sampleOf(before, "sms_todo_webhooks_total", { webhook: "sms", outcome: "accepted" })).toBe(0);

    expect((await post(SMS_PATH, smsFields())).status).toBe(200);
    expect((await post(SMS_PATH, smsFields())).status).toBe(200);
    expect((await post(SMS_PATH, smsFields(), "forged-signature")).status).toBe(403);
    expect((await post(SMS_PATH, { ...smsFields(), From: "" })).status).toBe(400);
    const status = { MessageSid: fakeMessageSid(), AccountSid: TEST_TWILIO.accountSid, MessageStatus: "delivered" };
    expect((await post(STATUS_PATH, status)).status).toBe(200);

    const text = await scrape();
    expect(sampleOf(text, "sms_todo_webhooks_total", { webhook: "sms", outcome: "accepted" })).toBe(2);
    expect(sampleOf(text, "sms_todo_webhooks_total", { webhook: "sms", outcome: "forbidden" })).toBe(1);
    expect(sampleOf(text, "sms_todo_webhooks_total", { webhook: "sms", outcome: "malformed" })).toBe(1);
    expect(sampleOf(text, "sms_todo_webhooks_total", { webhook: "status", outcome: "accepted" })).toBe(1);
    expect(sampleOf(text, "ingress_messages_published_total", { routing_key: "text" })).toBe(2);
    expect(sampleOf(text, "ingress_http_requests_total", { route: "sms", status: "403" })).toBe(1);
    expect(sampleOf(text, "ingress_broker_connected")).toBe(1);
    // The process metrics of prom-client come from the same registry.
    expect(sampleOf(text, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(sampleOf(text, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
  });

  it("when a second ingress runs in the same process, then each counts only its own webhooks", async () => {
    const other = await startIngress(testInfrastructure.amqpUrl);
    const answer = await postSignedWebhook({
      baseUrl: other.baseUrl,
      publicBaseUrl: TEST_TWILIO.publicBaseUrl,
      path: SMS_PATH,
      authToken: TEST_TWILIO.authToken,
      fields: smsFields(),
    });
    expect(answer.status).toBe(200);
    expect(sampleOf(await scrape(other.baseUrl), "sms_todo_webhooks_total", { webhook: "sms", outcome: "accepted" })).toBe(1);
    expect(sampleOf(await scrape(), "sms_todo_webhooks_total", { webhook: "sms", outcome: "accepted" })).toBe(2);
  });

  it("when RabbitMQ is unreachable, then the webhook is spooled, counted as accepted and spooled, and the gauges show the broker gone and the row", async () => {
    expect(sampleOf(await scrape(), "ingress_spool_rows")).toBe(0);
    expect(sampleOf(await scrape(), "ingress_spool_reachable")).toBe(1);
    await proxy.stop();
    expect((await post(SMS_PATH, smsFields())).status).toBe(200);
    const text = await scrape();
    expect(sampleOf(text, "sms_todo_webhooks_total", { webhook: "sms", outcome: "accepted" })).toBe(3);
    expect(sampleOf(text, "sms_todo_webhooks_total", { webhook: "sms", outcome: "unavailable" })).toBe(0);
    expect(sampleOf(text, "ingress_webhooks_spooled_total", { routing_key: "text" })).toBe(1);
    expect(sampleOf(text, "ingress_messages_published_total", { routing_key: "text" })).toBe(2);
    expect(sampleOf(text, "ingress_spool_rows")).toBe(1);
    expect(sampleOf(text, "ingress_broker_connected")).toBe(0);
  });
});
