import { credentials } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todo } from "@sms-todo/contracts";
import { AppError } from "@sms-todo/shared";
import { callUnary } from "@sms-todo/shared/grpc-client";
import { createMetricsRegistry, createMetricsServer, type MetricsServer } from "@sms-todo/shared/metrics";
import {
  captureLogs,
  createTestDatabases,
  createTestTopology,
  todoDomainTestEnv,
  type TestDatabases,
  type TestTopology,
  sampleOf,
  deferred,
  todoRequestOf,
} from "@sms-todo/testkit";
import type { TodoDomainApp } from "../src/app.js";
import { migrateDatabases } from "../src/databases/databases.js";
import type { SagaStep } from "../src/sagas/saga.types.js";
import { loadTodoDomainConfig } from "../src/todo-domain.config.js";
import { composeTodoDomain } from "../src/todo-domain.composition.js";

const ALICE = "+15554440001";
const BOB = "+15554440002";
let sequence = 0;
const context = (phoneNumber: string, key = `sms:SM${(sequence += 1).toString().padStart(32, "0")}`) => ({
  phoneNumber,
  idempotencyKey: key,
  messageId: key.slice(4),
});

describe("todo-domain metrics", () => {
  let databases: TestDatabases;
  let topology: TestTopology;
  let app: TodoDomainApp;
  let metricsServer: MetricsServer;
  let client: todo.TodoServiceClient;
  let stopped = false;
  /** What the saga hook does next at a step, once: throw there, or hold there until released. */
  const planned = new Map<SagaStep, { fail?: true; reached?: () => void; release?: Promise<void> }>();

  const call = <Res>(method: "addTodos" | "listTodos", request: unknown) =>
    callUnary<unknown, Res>(client[method].bind(client) as never, todoRequestOf(method, request), { deadlineMs: 10_000 });
  const scrape = async () => (await fetch(`http://127.0.0.1:${metricsServer.port()}/metrics`)).text();
  const sagas = (text: string, outcome: string, kind = "add-todos") =>
    sampleOf(text, "sms_todo_saga_outcomes_total", { kind, outcome });

  beforeAll(async () => {
    databases = await createTestDatabases("domain_metrics");
    await migrateDatabases(databases);
    topology = createTestTopology("domain-metrics");
    const { logger } = captureLogs("todo-domain-metrics", "warn");
    const metricsRegistry = createMetricsRegistry();
    metricsServer = createMetricsServer({ registry: metricsRegistry, port: 0, host: "127.0.0.1", logger });
    app = composeTodoDomain(loadTodoDomainConfig(todoDomainTestEnv(databases, topology.namespace)), {
      logger,
      // Sweeps run when a test asks; any running saga counts as stalled.
      sagaRecovery: { intervalMs: 3_600_000, stalledAfterMs: 0 },
      beforeSagaStep: async (step) => {
        const plan = planned.get(step);
        if (!plan) return;
        planned.delete(step);
        plan.reached?.();
        if (plan.fail) throw new AppError("UNAVAILABLE", `injected failure before ${step}`);
        await plan.release;
      },
      metricsRegistry,
      metricsServer,
    });
    await app.start();
    client = new todo.TodoServiceClient(`127.0.0.1:${app.grpcPort()}`, credentials.createInsecure());
  });

  afterAll(async () => {
    if (!stopped) {
      client.close();
      await app.stop();
    }
    await topology.remove();
    await databases.drop();
  });

  it("when changes complete, repeat, change nothing, fail or are compensated, then each outcome is counted and timed", async () => {
    const key = "sms:SM00000000000000000000000000000abc";
    await call("addTodos", { context: context(ALICE, key), texts: ["buy milk"], source: todo.TodoSource.TODO_SOURCE_SMS });
    await call("addTodos", { context: context(ALICE, key), texts: ["buy milk"], source: todo.TodoSource.TODO_SOURCE_SMS });
    await call("listTodos", { context: context(ALICE) });
    // The key is Alice's: Bob's use of it is refused before any saga starts.
    await expect(
      call("addTodos", { context: context(BOB, key), texts: ["steal"], source: todo.TodoSource.TODO_SOURCE_SMS }),
    ).rejects.toMatchObject({
      code: "PERMISSION_DENIED",
    });
    planned.set("audited", { fail: true });
    await expect(
      call("addTodos", { context: context(ALICE), texts: ["call mom"], source: todo.TodoSource.TODO_SOURCE_SMS }),
    ).rejects.toMatchObject({
      code: "UNAVAILABLE",
    });

    const text = await scrape();
    expect(sagas(text, "completed")).toBe(1);
    expect(sagas(text, "duplicate")).toBe(1);
    expect(sagas(text, "failed")).toBe(1);
    expect(sagas(text, "compensated")).toBe(1);
    expect(sagas(text, "unchanged", "list-todos")).toBe(1);
    expect(sampleOf(text, "sms_todo_saga_duration_seconds_count", { kind: "add-todos", outcome: "completed" })).toBe(1);
    expect(sampleOf(text, "sms_todo_saga_duration_seconds_sum", { kind: "add-todos", outcome: "completed" })).toBeGreaterThan(0);
    expect(sampleOf(text, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
  });

  it("when the recovery sweeper finishes a stalled saga, then it is counted as recovered_completed", async () => {
    const reached = deferred();
    const release = deferred();
    planned.set("finished", { reached: reached.resolve, release: release.promise });
    const stalled = call("addTodos", {
      context: context(ALICE),
      texts: ["water plants"],
      source: todo.TodoSource.TODO_SOURCE_SMS,
    });
    await reached.promise;

    expect(await app.recoverStalledSagas()).toBe(1);
    release.resolve();
    await stalled;

    const text = await scrape();
    expect(sagas(text, "recovered_completed")).toBe(1);
    expect(sampleOf(text, "sms_todo_saga_duration_seconds_count", { kind: "add-todos", outcome: "recovered_completed" })).toBe(1);
  });

  it("when the app stops, then its metrics port is closed", async () => {
    const port = metricsServer.port();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    client.close();
    await app.stop();
    stopped = true;
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
