import { credentials } from "@grpc/grpc-js";
import amqplib from "amqplib";
import { todo, messaging } from "@sms-todo/contracts";
import type { Logger } from "@sms-todo/shared";
import { callUnary } from "@sms-todo/shared/grpc-client";
import {
  captureLogs,
  createTestDatabases,
  createTestTopology,
  testInfrastructure,
  todoDomainTestEnv,
  todoRequestOf,
  type TestDatabases,
  type TestTopology,
  type TodoServiceMethod,
} from "@sms-todo/testkit";
import type { TodoDomainApp } from "../src/app.js";
import { migrateDatabases, openDatabases, type Databases } from "../src/databases/databases.js";
import { loadTodoDomainConfig } from "../src/todo-domain.config.js";
import { composeTodoDomain, type TodoDomainOverrides } from "../src/todo-domain.composition.js";

type UnaryMethodName = TodoServiceMethod;

/** A real todo-domain on port 0 with its own databases and queues, plus a client and a reply reader. */
export interface TodoDomainFixture {
  app: TodoDomainApp;
  client: todo.TodoServiceClient;
  databases: Databases;
  logger: Logger;
  logLines: string[];
  /** Waits for the next `count` reply events on the replies queue (acks them). */
  takeReplies(count: number, timeoutMs?: number): Promise<messaging.ReplyRequested[]>;
  /** Calls a TodoService method by name, with a deadline; fields the request leaves out are sent at their defaults. */
  call<Res>(method: UnaryMethodName, request: unknown, deadlineMs?: number): Promise<Res>;
  close(): Promise<void>;
}

export async function startTodoDomain(
  options: Pick<TodoDomainOverrides, "beforeSagaStep" | "sagaRecovery"> = {},
): Promise<TodoDomainFixture> {
  const dbs: TestDatabases = await createTestDatabases("domain");
  await migrateDatabases(dbs);
  const topo: TestTopology = createTestTopology("domain");
  const { logger, lines } = captureLogs("todo-domain");
  const databases = openDatabases(dbs);
  const app = composeTodoDomain(loadTodoDomainConfig(todoDomainTestEnv(dbs, topo.namespace)), { logger, databases, ...options });
  await app.start();
  const client = new todo.TodoServiceClient(`127.0.0.1:${app.grpcPort()}`, credentials.createInsecure());

  const connection = await amqplib.connect(testInfrastructure.amqpUrl);
  const channel = await connection.createChannel();
  const received: messaging.ReplyRequested[] = [];
  const waiters: Array<() => void> = [];
  await channel.consume(topo.topology.queues.replies, (message) => {
    if (!message) return;
    received.push(messaging.ReplyRequested.decode(message.content));
    channel.ack(message);
    for (const wake of waiters.splice(0)) wake();
  });

  return {
    app,
    client,
    databases,
    logger,
    logLines: lines,
    async takeReplies(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`expected ${count} replies, got ${received.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return received.splice(0, count);
    },
    call<Res>(method: UnaryMethodName, request: unknown, deadlineMs = 10_000) {
      return callUnary<unknown, Res>(client[method].bind(client) as never, todoRequestOf(method, request), { deadlineMs });
    },
    async close() {
      client.close();
      await channel.close();
      await connection.close();
      await app.stop();
      await topo.remove();
      await dbs.drop();
    },
  };
}
