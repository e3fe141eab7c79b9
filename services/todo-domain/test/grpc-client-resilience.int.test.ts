import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todo } from "@sms-todo/contracts";
import {
  captureLogs,
  createTestDatabases,
  createTestTopology,
  freePort,
  TcpProxy,
  todoDomainTestEnv,
  type TestDatabases,
  type TestTopology,
} from "@sms-todo/testkit";
import { composeTodoDomain, loadTodoDomainConfig, migrateDatabases, type TodoDomainApp } from "../src/index.js";
import { callUnary, createResilientClient, type ResilienceOptions, type ResilientClient } from "@sms-todo/shared/grpc-client";

/** A promise per expected event, resolved from elsewhere. */
function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

const context = (sid: string, phoneNumber: string) => ({
  phoneNumber,
  idempotencyKey: `sms:${sid}`,
  messageId: sid,
  receivedAtMs: 0,
});

/**
 * A real todo-domain behind a TcpProxy, so the tests can drop the connection under a call in
 * flight, or point the proxy at a closed port to make todo-domain unreachable for a while.
 */
describe("todo-domain client with retries and a circuit breaker", () => {
  let dbs: TestDatabases;
  let topo: TestTopology;
  let app: TodoDomainApp;
  let proxy: TcpProxy;
  // TcpProxy connects to this object anew for every connection, so changing its port re-routes new connections.
  const target = { host: "127.0.0.1", port: 0 };
  const { logger, lines } = captureLogs("grpc-resilience");
  const clients: Array<ResilientClient<todo.TodoServiceClient>> = [];
  /** Sagas that reach their first step wait at the next gate, one saga per gate. */
  const gates: Array<{ entered: ReturnType<typeof signal>; released: ReturnType<typeof signal> }> = [];
  let sagasApplied = 0;

  const resilientClient = (options: Partial<ResilienceOptions> = {}) => {
    const created = createResilientClient(todo.TodoServiceClient, `127.0.0.1:${proxy.port}`, {
      name: "todo-domain",
      logger,
      ...options,
    });
    clients.push(created);
    return created;
  };
  const holdNextSaga = () => {
    const gate = { entered: signal(), released: signal() };
    gates.push(gate);
    return { entered: gate.entered.promise, release: gate.released.resolve };
  };
  const retriedLines = (method: string) =>
    lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === "gRPC call retried" && line.method === method);
  const getTodos = (client: todo.TodoServiceClient, phoneNumber: string) =>
    callUnary(client.getTodos.bind(client), { phoneNumber }, { deadlineMs: 2_000 });

  beforeAll(async () => {
    dbs = await createTestDatabases("grpcres");
    await migrateDatabases(dbs);
    topo = createTestTopology("grpcres");
    app = composeTodoDomain(loadTodoDomainConfig(todoDomainTestEnv(dbs, topo.namespace)), {
      logger,
      beforeSagaStep: async (step) => {
        if (step !== "applied") return;
        sagasApplied += 1;
        const gate = gates.shift();
        if (!gate) return;
        gate.entered.resolve();
        await gate.released.promise;
      },
    });
    await app.start();
    target.port = app.grpcPort();
    proxy = new TcpProxy(target);
    await proxy.start();
  });
  afterAll(async () => {
    for (const gate of gates.splice(0)) gate.released.resolve();
    for (const { client } of clients) client.close();
    await proxy?.stop();
    await app?.stop();
    await topo?.remove();
    await dbs?.drop();
  });

  it("when the connection drops under a call, then the call is retried on UNAVAILABLE and succeeds with one effect", async () => {
    const { client } = resilientClient();
    const phoneNumber = "+15557710001";
    const gate = holdNextSaga();
    const added = callUnary(
      client.addTodos.bind(client),
      {
        context: context("SMcut0001", phoneNumber),
        texts: ["buy milk"],
        source: todo.TodoSource.TODO_SOURCE_SMS,
        list: "",
        timings: [],
      },
      { deadlineMs: 10_000 },
    );
    await gate.entered;
    proxy.cutConnections();
    gate.release();

    const response = await added;
    expect(response.result?.outcome?.kind?.$case).toBe("added");
    expect(retriedLines("addTodos")).toEqual([expect.objectContaining({ attempt: 1, code: "UNAVAILABLE" })]);
    const { todos } = await getTodos(client, phoneNumber);
    expect(todos.map((item) => item.text)).toEqual(["buy milk"]);
  });

  it("when a call's deadline passes, then it fails with DEADLINE_EXCEEDED and is not retried", async () => {
    const { client } = resilientClient();
    const gate = holdNextSaga();
    const appliedBefore = sagasApplied;
    const slow = callUnary(
      client.addTodos.bind(client),
      {
        context: context("SMslow0001", "+15557710002"),
        texts: ["call mom"],
        source: todo.TodoSource.TODO_SOURCE_SMS,
        list: "",
        timings: [],
      },
      { deadlineMs: 300 },
    );
    await gate.entered;

    await expect(slow).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
    expect(sagasApplied - appliedBefore).toBe(1);
    expect(retriedLines("addTodos")).toHaveLength(1); // the one of the previous test
    gate.release();
  });

  it("when todo-domain stays unreachable, then the breaker opens after the threshold, fails fast, and closes once it answers again", async () => {
    const { client, breaker } = resilientClient({
      breaker: { volumeThreshold: 10, errorThresholdPercentage: 50, resetTimeoutMs: 300 },
    });
    const phoneNumber = "+15557710003";
    let fires = 0;
    let firesAtOpen = 0;
    breaker.on("fire", () => (fires += 1)).on("open", () => (firesAtOpen ||= fires));
    await expect(getTodos(client, phoneNumber)).resolves.toEqual({ todos: [] });

    target.port = await freePort(); // nothing listens there: connections are refused
    proxy.cutConnections();
    const opened = once(breaker, "open");
    let failedCalls = 0;
    while (!breaker.opened) {
      await expect(getTodos(client, phoneNumber)).rejects.toMatchObject({ code: "UNAVAILABLE" });
      failedCalls += 1;
    }
    await opened;
    // Not before ten attempts (the first one answered), at up to three attempts per call.
    expect(firesAtOpen).toBe(10);
    expect(failedCalls).toBeLessThanOrEqual(4);

    let attempted = 0;
    let rejected = 0;
    breaker
      .on("success", () => (attempted += 1))
      .on("failure", () => (attempted += 1))
      .on("reject", () => (rejected += 1));
    await expect(getTodos(client, phoneNumber)).rejects.toMatchObject({
      code: "UNAVAILABLE",
      message: "todo-domain is failing; its circuit is open and calls fail fast",
    });
    expect({ attempted, rejected }).toEqual({ attempted: 0, rejected: 1 });

    target.port = app.grpcPort();
    const closed = once(breaker, "close");
    // Each half-open lets one trial call through; one that still meets the channel's reconnect back-off opens it again.
    while (!breaker.closed) {
      if (breaker.opened && !breaker.halfOpen) await once(breaker, "halfOpen");
      await getTodos(client, phoneNumber).catch(() => undefined);
    }
    await closed;
    await expect(getTodos(client, phoneNumber)).resolves.toEqual({ todos: [] });
  });
});
