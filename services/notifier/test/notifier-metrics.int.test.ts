import { randomUUID } from "node:crypto";
import type { ClientUnaryCall } from "@grpc/grpc-js";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messaging, todo } from "@sms-todo/contracts";
import { AmqpBroker, type Topology } from "@sms-todo/shared";
import { createMetricsRegistry, createMetricsServer, type MetricsServer } from "@sms-todo/shared/metrics";
import {
  createTestTopology,
  fakeMessageSid,
  fakeTodoClient,
  TEST_TWILIO,
  testInfrastructure,
  TwilioStandIn,
  uniqueName,
  type TestTopology,
  sampleOf,
} from "@sms-todo/testkit";
import type { NotifierApp } from "../src/app.js";
import { loadNotifierConfig } from "../src/notifier.config.js";
import { composeNotifier } from "../src/notifier.composition.js";
import { testPhoneNumber, twilioEnv, watchLogs, type LogLine } from "./notifier.test-harness.js";

describe("notifier metrics", () => {
  const standIn = new TwilioStandIn({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });
  const logs = watchLogs("notifier-metrics");
  const keyPrefix = `${uniqueName("notifier-metrics")}:sms-todo:`;
  let testTopology: TestTopology;
  let topology: Topology;
  let app: NotifierApp;
  let metricsServer: MetricsServer;
  let publisher: AmqpBroker;

  const scrape = async () => (await fetch(`http://127.0.0.1:${metricsServer.port()}/metrics`)).text();
  const forEvent = (eventId: string, msg: string) => (line: LogLine) => line.eventId === eventId && line.msg === msg;

  beforeAll(async () => {
    await standIn.start();
    // No retry: a refused or failed reply is dead-lettered after its first delivery.
    testTopology = createTestTopology("notifier-metrics", { deliveryLimit: 0 });
    topology = testTopology.topology;
    const config = loadNotifierConfig({
      ...twilioEnv(standIn),
      AMQP_URL: testInfrastructure.amqpUrl,
      REDIS_URL: testInfrastructure.redisUrl,
      METRICS_PORT: "0",
      SUMMARY_CRON: "off",
      // Sends are not what is measured here: the shared pace must not hold up the retries of the outage test.
      SMS_RATE_PER_SECOND: "1000",
    });
    const metricsRegistry = createMetricsRegistry();
    metricsServer = createMetricsServer({
      registry: metricsRegistry,
      port: config.METRICS_PORT,
      host: "127.0.0.1",
      logger: logs.logger,
    });
    app = composeNotifier(config, {
      logger: logs.logger,
      broker: new AmqpBroker({ url: config.AMQP_URL, topology, logger: logs.logger }),
      twilioSender: {
        // The breaker opens at the first failed attempt, so the outage test needs one.
        breaker: { volumeThreshold: 1, errorThresholdPercentage: 1, resetTimeoutMs: 60_000 },
        // A loaded test machine must not turn the refusal test's answer into a timeout, which this breaker counts as an outage.
        timeoutMs: 10_000,
        budgetMs: 20_000,
        retryPolicy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 },
      },
      todoClient: {
        ...fakeTodoClient(),
        claimDueSummaries: (_request, _metadata, _options, callback) => {
          callback(null, todo.ClaimDueSummariesResponse.fromPartial({}));
          return {} as ClientUnaryCall;
        },
        close: () => undefined,
      },
      keyPrefix,
      metricsRegistry,
      metricsServer,
    });
    await app.start();
    publisher = new AmqpBroker({ url: config.AMQP_URL, topology, logger: logs.logger });
    await publisher.start();
  });

  afterAll(async () => {
    await publisher?.close();
    await app?.stop();
    await standIn.stop();
    await testTopology?.remove();
    const cleanup = new Redis(testInfrastructure.redisUrl);
    const keys = await cleanup.keys(`${keyPrefix}*`);
    if (keys.length > 0) await cleanup.del(...keys);
    await cleanup.quit();
  });

  async function publishReply(phoneNumber: string): Promise<string> {
    const eventId = randomUUID();
    const event = messaging.ReplyRequested.fromPartial({
      eventId,
      phoneNumber,
      messageId: fakeMessageSid(),
      outcome: { kind: { $case: "added", value: { todos: [{ number: 1, text: "buy milk" }] } } },
      occurredAtMs: Date.now(),
    });
    await publisher.publish(
      topology.exchanges.events,
      topology.routingKeys.replyRequested,
      Buffer.from(messaging.ReplyRequested.encode(event).finish()),
      { messageId: eventId, type: "messaging.v1.ReplyRequested" },
    );
    return eventId;
  }

  it("when a reply is sent, then the sent SMS and the acked delivery are counted", async () => {
    const phone = testPhoneNumber();
    const eventId = await publishReply(phone);
    await standIn.waitForSms(phone);
    await logs.waitFor(forEvent(eventId, "reply sent"));

    const text = await scrape();
    expect(sampleOf(text, "sms_todo_sms_sent_total")).toBe(1);
    expect(sampleOf(text, "sms_todo_queue_deliveries_total", { queue: topology.queues.replies, outcome: "acked" })).toBe(1);
    expect(sampleOf(text, "sms_todo_queue_consumers", { queue: topology.queues.status })).toBe(1);
    expect(sampleOf(text, "sms_todo_circuit_breaker_state", { breaker: "twilio" })).toBe(0);
  });

  it("when Twilio refuses a reply for good, then it counts as failed with reason rejected and its delivery as rejected", async () => {
    standIn.program({ kind: "status", status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    const eventId = await publishReply(testPhoneNumber());
    await logs.waitFor((line) => line.messageId === eventId && line.msg === "delivery failed", 20_000);

    const text = await scrape();
    expect(sampleOf(text, "sms_todo_sms_failed_total", { reason: "rejected" })).toBe(1);
    expect(sampleOf(text, "sms_todo_queue_deliveries_total", { queue: topology.queues.replies, outcome: "rejected" })).toBe(1);
  });

  it("when Twilio is down, then the breaker is reported open and the send fails as circuit-open", async () => {
    const outcome = (scraped: string, name: string) =>
      sampleOf(scraped, "sms_todo_queue_deliveries_total", { queue: topology.queues.replies, outcome: name }) ?? 0;
    const before = await scrape();
    standIn.outage({ kind: "status", status: 500, code: 20500, message: "Internal Server Error" });
    const eventId = await publishReply(testPhoneNumber());
    await logs.waitFor((line) => line.msg?.startsWith("Twilio circuit opened") === true);
    await logs.waitFor((line) => line.messageId === eventId && line.msg === "delivery failed");

    const text = await scrape();
    expect(sampleOf(text, "sms_todo_circuit_breaker_state", { breaker: "twilio" })).toBe(2);
    expect(sampleOf(text, "sms_todo_sms_failed_total", { reason: "circuit-open" })).toBe(1);
    // A retryable failure, but with a delivery limit of 0 its first attempt is its last: dead-lettered.
    expect(outcome(text, "rejected") - outcome(before, "rejected")).toBe(1);
    expect(outcome(text, "retried")).toBe(0);
    standIn.outage();
  });
});
