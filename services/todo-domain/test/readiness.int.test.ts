import { credentials, loadPackageDefinition, type ClientReadableStream } from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { protoPath as healthProtoPath } from "grpc-health-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  captureLogs,
  createTestDatabases,
  createTestTopology,
  freePort,
  TcpProxy,
  testInfrastructure,
  todoDomainTestEnv,
  type TestDatabases,
  type TestTopology,
} from "@sms-todo/testkit";
import { composeTodoDomain, loadTodoDomainConfig, migrateDatabases, type TodoDomainApp } from "../src/index.js";

type ServingStatus = "SERVING" | "NOT_SERVING" | "UNKNOWN" | "SERVICE_UNKNOWN";
interface HealthClient {
  Watch(request: { service: string }): ClientReadableStream<{ status: ServingStatus }>;
  close(): void;
}

/** Follows grpc.health.v1 Watch of one service name: every status the server sent, and a wait for the next one. */
function watchHealth(client: HealthClient, service: string) {
  const seen: ServingStatus[] = [];
  const waiters: Array<() => void> = [];
  const stream = client.Watch({ service });
  stream.on("data", ({ status }: { status: ServingStatus }) => {
    seen.push(status);
    for (const wake of waiters.splice(0)) wake();
  });
  stream.on("error", () => undefined); // cancelled at the end
  return {
    seen,
    /** Resolves once the latest status is `status`. */
    async until(status: ServingStatus): Promise<void> {
      while (seen.at(-1) !== status) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    cancel: () => stream.cancel(),
  };
}

/**
 * todo-domain with its todo database reached through a TcpProxy: pointing the proxy at a closed
 * port makes Postgres unreachable for that pool while the process and the other pools stay up.
 */
describe("todo-domain readiness through grpc.health.v1", () => {
  let dbs: TestDatabases;
  let topo: TestTopology;
  let app: TodoDomainApp;
  let proxy: TcpProxy;
  let health: HealthClient;
  const postgres = new URL(testInfrastructure.postgresUrl);
  // TcpProxy connects to this object anew for every connection, so changing its port re-routes new connections.
  const target = { host: postgres.hostname, port: Number(postgres.port || 5432) };
  const { logger, lines } = captureLogs("grpc-readiness");

  beforeAll(async () => {
    dbs = await createTestDatabases("ready");
    await migrateDatabases(dbs);
    topo = createTestTopology("ready");
    proxy = new TcpProxy(target);
    const proxied = new URL(dbs.todo);
    proxied.host = `127.0.0.1:${await proxy.start()}`;
    app = composeTodoDomain(loadTodoDomainConfig(todoDomainTestEnv({ ...dbs, todo: proxied.toString() }, topo.namespace)), {
      logger,
      readiness: { intervalMs: 50, timeoutMs: 1_000 },
    });
    await app.start();
    const definition = protoLoader.loadSync(healthProtoPath, { keepCase: true, enums: String, defaults: true });
    const loaded = loadPackageDefinition(definition) as unknown as {
      grpc: {
        health: { v1: { Health: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => HealthClient } };
      };
    };
    health = new loaded.grpc.health.v1.Health(`127.0.0.1:${app.grpcPort()}`, credentials.createInsecure());
  });
  afterAll(async () => {
    health?.close();
    await app?.stop();
    await proxy?.stop();
    await topo?.remove();
    await dbs?.drop();
  });

  it("when the todo database becomes unreachable, then the server reports NOT_SERVING, and SERVING again once it is back", async () => {
    const server = watchHealth(health, "");
    const todoService = watchHealth(health, "todo.v1.TodoService");
    await server.until("SERVING");
    await todoService.until("SERVING");

    target.port = await freePort(); // nothing listens there: connections are refused
    proxy.cutConnections();
    await server.until("NOT_SERVING");
    await todoService.until("NOT_SERVING");
    const warning = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === "not ready: a dependency is unreachable");
    expect(warning?.failing).toEqual([expect.objectContaining({ name: "todo database" })]);

    target.port = Number(postgres.port || 5432);
    await server.until("SERVING");
    await todoService.until("SERVING");
    expect(server.seen).toEqual(["SERVING", "NOT_SERVING", "SERVING"]);
    expect(lines.some((line) => line.includes("ready again: every dependency answers"))).toBe(true);
    server.cancel();
    todoService.cancel();
  });
});
