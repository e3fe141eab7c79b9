import { credentials } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROTO_ROOT, TODO_SERVICE_PROTO, todo } from "@sms-todo/contracts";
import {
  captureLogs,
  createTestTopology,
  OTLP_KIND,
  OTLP_STATUS_ERROR,
  OtlpCollectorStandIn,
  testInfrastructure,
  type TestTopology,
} from "@sms-todo/testkit";
import { AppError } from "../src/errors/app-error.js";
import { callUnary } from "../src/grpc/grpc-client.js";
import { createGrpcServer, unaryHandler, type GrpcServer } from "../src/grpc/grpc-server.js";
import { runWithCorrelation, setCorrelationId } from "../src/logging/correlation-context.js";
import { AmqpBroker } from "../src/messaging/amqp-broker.js";
import { startTracing, type Tracing } from "../src/tracing/otlp-tracing.js";
import { annotateActiveSpan, CORRELATION_ATTRIBUTE, inSpan } from "../src/tracing/spans.js";

const SENDER = "+15557790002";

/** The SDK registered in-process, as runService registers it: a webhook's span, a publish, a consume and gRPC calls. */
describe("traces across AMQP and gRPC", () => {
  let topo: TestTopology;
  let broker: AmqpBroker;
  let server: GrpcServer;
  let client: todo.TodoServiceClient;
  const collector = new OtlpCollectorStandIn();
  let tracing: Tracing;
  const logs = captureLogs("tracing", "info");

  beforeAll(async () => {
    await collector.start();
    tracing = await startTracing({ serviceName: "trace-test", tracesUrl: collector.tracesUrl, logger: logs.logger });
    topo = createTestTopology("trace");
    broker = new AmqpBroker({ url: testInfrastructure.amqpUrl, topology: topo.topology, logger: logs.logger });
    await broker.start();
    server = createGrpcServer({
      address: "127.0.0.1:0",
      services: [
        {
          name: "todo.v1.TodoService",
          definition: todo.TodoServiceService,
          implementation: {
            getTodos: unaryHandler(logs.logger, "GetTodos", async () => ({ todos: [] })),
            rejectMessage: unaryHandler(logs.logger, "RejectMessage", async () => {
              throw new AppError("INTERNAL", `no user ${SENDER}`);
            }),
            nextPage: unaryHandler(logs.logger, "NextPage", async () => {
              throw new AppError("NOT_FOUND", "no more pages");
            }),
          },
        },
      ],
      protoRoot: PROTO_ROOT,
      protoFiles: [TODO_SERVICE_PROTO],
      logger: logs.logger,
    });
    client = new todo.TodoServiceClient(`127.0.0.1:${await server.start()}`, credentials.createInsecure());
  });
  afterAll(async () => {
    client.close();
    await server.stop();
    await broker.close();
    await topo.remove();
    await tracing.shutdown();
    await collector.stop();
  });

  it("when a webhook's message is published, consumed and leads to gRPC calls, then every span joins one trace tagged with the MessageSid", async () => {
    const sid = "SM000000000000000000000000000000b1";
    let traceparent: unknown;
    let done!: () => void;
    const handled = new Promise<void>((resolve) => (done = resolve));
    const consumer = await broker.consume(
      topo.topology.queues.audio,
      async (delivery) => {
        logs.logger.info("voice note handled");
        await callUnary(client.getTodos.bind(client), { phoneNumber: SENDER }, { deadlineMs: 5_000 });
        await callUnary(client.rejectMessage.bind(client), { context: undefined, reason: "x" }, { deadlineMs: 5_000 }).catch(
          () => undefined,
        );
        await callUnary(client.nextPage.bind(client), { context: undefined }, { deadlineMs: 5_000 }).catch(() => undefined);
        traceparent = delivery.headers.traceparent;
        done();
      },
      { prefetch: 1 },
    );
    // As ingress's route does: the span starts before the signature check names the message.
    await runWithCorrelation(undefined, () =>
      inSpan("POST /webhooks/twilio/sms", { kind: "server" }, async () => {
        setCorrelationId(sid);
        annotateActiveSpan({ [CORRELATION_ATTRIBUTE]: sid });
        await broker.publish(topo.topology.exchanges.inbound, topo.topology.routingKeys.audio, Buffer.from("x"), {
          messageId: sid,
        });
      }),
    );
    await handled;
    await consumer.stop(); // waits for the delivery in flight, so its span has ended
    await tracing.shutdown(); // sends the batch

    const byName = (name: string) => collector.spans.find((span) => span.name === name);
    const rpc = (kind: number, method: string) =>
      collector.spans.find((span) => span.kind === kind && span.attributes["rpc.method"] === method);
    const webhook = byName("POST /webhooks/twilio/sms");
    const publish = byName(`publish ${topo.topology.exchanges.inbound}`);
    const consume = byName(`process ${topo.topology.queues.audio}`);
    const clientCall = rpc(OTLP_KIND.client, "GetTodos");
    const serverCall = rpc(OTLP_KIND.server, "GetTodos");
    const failedCall = rpc(OTLP_KIND.server, "RejectMessage");
    const refusedCall = rpc(OTLP_KIND.server, "NextPage");

    expect(webhook).toMatchObject({ kind: OTLP_KIND.server, parentSpanId: "" });
    expect(publish).toMatchObject({ kind: OTLP_KIND.producer, parentSpanId: webhook?.spanId });
    expect(traceparent).toBe(`00-${webhook?.traceId}-${publish?.spanId}-01`);
    expect(consume).toMatchObject({ kind: OTLP_KIND.consumer, parentSpanId: publish?.spanId });
    expect(clientCall).toMatchObject({ name: "todo.v1.TodoService/GetTodos", parentSpanId: consume?.spanId });
    expect(serverCall).toMatchObject({ name: "todo.v1.TodoService/GetTodos", parentSpanId: clientCall?.spanId });
    const chain = [webhook, publish, consume, clientCall, serverCall, failedCall, refusedCall];
    expect(new Set(chain.map((span) => span?.traceId))).toEqual(new Set([webhook?.traceId]));
    for (const span of chain) {
      expect(span?.service).toBe("trace-test");
      expect(span?.attributes[CORRELATION_ATTRIBUTE]).toBe(sid);
    }
    // A failure of the service fails its span, its text masked as in a log line; a refused request does not.
    expect(failedCall?.status?.code).toBe(OTLP_STATUS_ERROR);
    expect(failedCall?.events[0]?.attributes["exception.message"]).toBe("no user +*********02");
    expect(JSON.stringify(collector.spans)).not.toContain(SENDER);
    expect(refusedCall?.status?.code).not.toBe(OTLP_STATUS_ERROR);

    const handledLine = logs.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === "voice note handled");
    expect(handledLine).toMatchObject({ correlationId: sid, traceId: consume?.traceId, spanId: consume?.spanId });
  });
});
