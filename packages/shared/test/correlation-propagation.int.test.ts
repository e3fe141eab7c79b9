import { credentials } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROTO_ROOT, TODO_SERVICE_PROTO, todo } from "@sms-todo/contracts";
import { captureLogs, createTestTopology, testInfrastructure, type TestTopology } from "@sms-todo/testkit";
import { AppError } from "../src/errors/app-error.js";
import { callUnary } from "../src/grpc/grpc-client.js";
import { createGrpcServer, unaryHandler, type GrpcServer } from "../src/grpc/grpc-server.js";
import { runWithCorrelation } from "../src/logging/correlation-context.js";
import { AmqpBroker, type Delivery } from "../src/messaging/amqp-broker.js";
import { deadLetterQueueOf } from "../src/messaging/topology.js";

const SENDER = "+15557790001";

const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
const linesOf = (lines: string[], msg: string) => parsed(lines).filter((line) => line.msg === msg);

/** A promise per expected event, resolved from inside a handler. */
function signal<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/**
 * Three roles in one process, each with its own logger, as ingress, command and todo-domain
 * are: a publisher, a queue consumer that calls gRPC, and a gRPC server whose use case logs.
 */
describe("correlation id across AMQP and gRPC", () => {
  let topo: TestTopology;
  let broker: AmqpBroker;
  let server: GrpcServer;
  let client: todo.TodoServiceClient;
  const brokerLogs = captureLogs("amqp", "info");
  const consumerLogs = captureLogs("command", "info");
  const serverLogs = captureLogs("todo-domain", "info");
  const useCaseLog = serverLogs.logger.child({ component: "use-case" });

  beforeAll(async () => {
    topo = createTestTopology("corr");
    broker = new AmqpBroker({ url: testInfrastructure.amqpUrl, topology: topo.topology, logger: brokerLogs.logger });
    await broker.start();
    const handlerLog = serverLogs.logger.child({ component: "todo-service" });
    server = createGrpcServer({
      address: "127.0.0.1:0",
      services: [
        {
          name: "todo.v1.TodoService",
          definition: todo.TodoServiceService,
          implementation: {
            getTodos: unaryHandler(handlerLog, "GetTodos", async () => {
              useCaseLog.info("open todos read");
              return { todos: [] };
            }),
            rejectMessage: unaryHandler(handlerLog, "RejectMessage", async () => {
              useCaseLog.info("rejecting");
              throw new AppError("INVALID_ARGUMENT", "reason must have 1 to 320 characters");
            }),
          },
        },
      ],
      protoRoot: PROTO_ROOT,
      protoFiles: [TODO_SERVICE_PROTO],
      logger: serverLogs.logger,
    });
    const port = await server.start();
    client = new todo.TodoServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
  });
  afterAll(async () => {
    client.close();
    await server.stop();
    await broker.close();
    await topo.remove();
  });

  it("when a message is published in a correlation context, then the consumer, its gRPC call and the server's use case log that id", async () => {
    const sid = "SM00000000000000000000000000000a01";
    const handled = signal<Delivery>();
    const consumer = await broker.consume(
      topo.topology.queues.text,
      async (delivery) => {
        consumerLogs.logger.child({ component: "text-message-consumer" }).info("interpreting");
        // No correlationId passed: the call takes the delivery's.
        await callUnary(client.getTodos.bind(client), { phoneNumber: SENDER }, { deadlineMs: 5_000 });
        consumerLogs.logger.info("command dispatched");
        handled.resolve(delivery);
      },
      { prefetch: 1 },
    );

    // No correlationId passed either: the publish takes the context's, as ingress's route does.
    await runWithCorrelation(sid, () =>
      broker.publish(topo.topology.exchanges.inbound, topo.topology.routingKeys.text, Buffer.from("x"), { messageId: sid }),
    );
    const delivery = await handled.promise;
    await consumer.stop();

    expect(delivery.correlationId).toBe(sid);
    // Without an OTLP endpoint nothing but the id travels.
    expect(delivery.headers).not.toHaveProperty("traceparent");
    expect(parsed(consumerLogs.lines).map((line) => [line.msg, line.correlationId])).toEqual([
      ["interpreting", sid],
      ["command dispatched", sid],
    ]);
    expect(linesOf(serverLogs.lines, "open todos read")).toEqual([expect.objectContaining({ correlationId: sid })]);
    const [handledLine, ...others] = linesOf(serverLogs.lines, "gRPC call handled");
    expect(others).toEqual([]);
    expect(handledLine).toMatchObject({ correlationId: sid, method: "GetTodos" });
    expect(typeof handledLine?.durationMs).toBe("number");
  });

  it("when a gRPC call is refused, then the server's lines of that call carry the caller's id", async () => {
    const sid = "SM00000000000000000000000000000a02";
    const call = runWithCorrelation(sid, () =>
      callUnary(client.rejectMessage.bind(client), { context: undefined, reason: "" }, { deadlineMs: 5_000 }),
    );
    await expect(call).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });

    expect(linesOf(serverLogs.lines, "rejecting")).toEqual([expect.objectContaining({ correlationId: sid })]);
    expect(linesOf(serverLogs.lines, "gRPC call refused")).toEqual([
      expect.objectContaining({ correlationId: sid, code: "INVALID_ARGUMENT", method: "RejectMessage" }),
    ]);
  });

  it("when a message carries no correlation id, then its handler runs under the message id", async () => {
    const handled = signal<string | undefined>();
    const consumer = await broker.consume(
      topo.topology.queues.status,
      async (delivery) => {
        consumerLogs.logger.info({ seen: delivery.correlationId }, "status handled");
        handled.resolve(delivery.correlationId);
      },
      { prefetch: 1 },
    );
    await broker.publish(topo.topology.exchanges.inbound, topo.topology.routingKeys.status, Buffer.from("x"), {
      messageId: "SM00000000000000000000000000000a03:delivered",
    });
    expect(await handled.promise).toBe("SM00000000000000000000000000000a03:delivered");
    await consumer.stop();
    expect(linesOf(consumerLogs.lines, "status handled")).toEqual([
      expect.objectContaining({ correlationId: "SM00000000000000000000000000000a03:delivered" }),
    ]);
  });

  it("when a handler fails, then the broker's delivery-failed line carries the message's id", async () => {
    const sid = "SM00000000000000000000000000000a04";
    const dead = signal<Delivery>();
    const deadConsumer = await broker.consume(deadLetterQueueOf(topo.topology.queues.audio), async (d) => dead.resolve(d), {
      prefetch: 1,
    });
    const consumer = await broker.consume(
      topo.topology.queues.audio,
      async () => {
        throw new AppError("INVALID_ARGUMENT", "undecodable");
      },
      { prefetch: 1 },
    );
    await broker.publish(topo.topology.exchanges.inbound, topo.topology.routingKeys.audio, Buffer.from("x"), {
      messageId: sid,
      correlationId: sid,
    });
    // The dead-lettered copy keeps its correlation id, so its consumer is correlated too.
    expect((await dead.promise).correlationId).toBe(sid);
    await Promise.all([consumer.stop(), deadConsumer.stop()]);
    expect(linesOf(brokerLogs.lines, "delivery failed")).toEqual([
      expect.objectContaining({ correlationId: sid, messageId: sid, retry: false }),
    ]);
  });
});
