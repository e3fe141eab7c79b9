import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messaging } from "@sms-todo/contracts";
import { AmqpBroker, deadLetterQueueOf, type App, type Topology } from "@sms-todo/shared";
import { createMetricsRegistry, createMetricsServer, type MetricsServer } from "@sms-todo/shared/metrics";
import {
  captureLogs,
  createTestDatabases,
  createTestTopology,
  fakeMessageSid,
  testInfrastructure,
  todoDomainTestEnv,
  type TestDatabases,
  type TestTopology,
  sampleOf,
  deferred,
} from "@sms-todo/testkit";
import { composeTodoDomain, loadTodoDomainConfig, migrateDatabases, type TodoDomainApp } from "@sms-todo/todo-domain";
import { loadCommandConfig } from "../src/command.config.js";
import { composeCommand } from "../src/command.composition.js";

describe("command metrics", () => {
  let databases: TestDatabases;
  let testTopology: TestTopology;
  let topology: Topology;
  let domain: TodoDomainApp;
  let command: App;
  let metricsServer: MetricsServer;
  let publisher: AmqpBroker;
  const replies: messaging.ReplyRequested[] = [];
  const replyArrived = deferred();
  // While set, todo-domain holds every change at its first step until released, which keeps the texts in flight in command.
  let gate: { reached: () => void; release: Promise<void> } | undefined;

  const scrape = async () => (await fetch(`http://127.0.0.1:${metricsServer.port()}/metrics`)).text();

  beforeAll(async () => {
    databases = await createTestDatabases("command_metrics");
    await migrateDatabases(databases);
    testTopology = createTestTopology("command-metrics");
    ({ topology } = testTopology);
    const { logger } = captureLogs("command-metrics", "warn");
    domain = composeTodoDomain(loadTodoDomainConfig(todoDomainTestEnv(databases, testTopology.namespace)), {
      logger,
      beforeSagaStep: async (step) => {
        if (step !== "applied" || !gate) return;
        gate.reached();
        await gate.release;
      },
    });
    await domain.start();

    const config = loadCommandConfig({
      TODO_GRPC_ADDR: `127.0.0.1:${domain.grpcPort()}`,
      METRICS_PORT: "0",
      AMQP_URL: testInfrastructure.amqpUrl,
      SMS_TODO_NAMESPACE: testTopology.namespace,
    });
    // The metrics server on METRICS_PORT 0, reached at the port it took.
    const metricsRegistry = createMetricsRegistry();
    metricsServer = createMetricsServer({ registry: metricsRegistry, port: config.METRICS_PORT, host: "127.0.0.1", logger });
    command = composeCommand(config, { logger, metricsRegistry, metricsServer });
    await command.start();

    publisher = new AmqpBroker({ url: testInfrastructure.amqpUrl, topology, logger });
    await publisher.start();
    await publisher.consume(
      topology.queues.replies,
      async (delivery) => {
        replies.push(messaging.ReplyRequested.decode(delivery.body));
        replyArrived.resolve();
      },
      { prefetch: 10 },
    );
  });

  afterAll(async () => {
    await publisher.close();
    await command.stop();
    await domain.stop();
    await testTopology.remove();
    await databases.drop();
  });

  /** Publishes a text as ingress does: persistent, confirmed, with the broker's publish timestamp. */
  async function publishText(body: string): Promise<void> {
    const messageSid = fakeMessageSid();
    const payload = messaging.InboundMessage.encode(
      messaging.InboundMessage.fromPartial({ messageSid, from: "+15556660001", body, channel: messaging.Channel.CHANNEL_SMS }),
    ).finish();
    await publisher.publish(topology.exchanges.inbound, topology.routingKeys.text, Buffer.from(payload), {
      messageId: messageSid,
    });
  }

  it("when a text is in flight and then handled, then the queue's age, depth, consumers and deliveries show it", async () => {
    const text = topology.queues.text;
    const reached = deferred();
    const release = deferred();
    gate = { reached: reached.resolve, release: release.promise };
    await publishText("buy milk");
    await reached.promise;

    const during = await scrape();
    expect(sampleOf(during, "sms_todo_queue_oldest_message_age_seconds", { queue: text })).toBeGreaterThan(0);
    expect(sampleOf(during, "sms_todo_queue_consumers", { queue: text })).toBe(1);
    expect(sampleOf(during, "sms_todo_queue_deliveries_total", { queue: text, outcome: "acked" })).toBe(0);

    gate = undefined;
    release.resolve();
    await replyArrived.promise;
    const after = await scrape();
    expect(replies[0]?.outcome?.kind?.$case).toBe("added");
    expect(sampleOf(after, "sms_todo_queue_deliveries_total", { queue: text, outcome: "acked" })).toBe(1);
    expect(sampleOf(after, "sms_todo_queue_delivery_duration_seconds_count", { queue: text })).toBe(1);
    expect(sampleOf(after, "sms_todo_queue_oldest_message_age_seconds", { queue: text })).toBe(0);
    expect(sampleOf(after, "sms_todo_queue_messages", { queue: text })).toBe(0);
    expect(sampleOf(after, "sms_todo_queue_messages", { queue: deadLetterQueueOf(text) })).toBe(0);
    expect(sampleOf(after, "nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
  });

  it("when more texts arrive than command holds in flight, then the depth counts the ones waiting", async () => {
    const text = topology.queues.text;
    const release = deferred();
    gate = { reached: () => undefined, release: release.promise };
    // command takes 16 at a time (its prefetch); all of them wait in todo-domain, so at least 5 of 21 stay ready.
    for (let i = 0; i < 21; i += 1) await publishText(`todo ${i}`);
    const during = await scrape();
    expect(sampleOf(during, "sms_todo_queue_messages", { queue: text })).toBeGreaterThanOrEqual(5);
    gate = undefined;
    release.resolve();
  });

  it("when /healthz is asked, then the metrics server answers for the running app", async () => {
    const response = await fetch(`http://127.0.0.1:${metricsServer.port()}/healthz`);
    expect(response.status).toBe(200);
  });
});
