import { todo, PROTO_ROOT, TODO_SERVICE_PROTO } from "@sms-todo/contracts";
import { sql } from "kysely";
import type { AmqpBroker, App, Logger } from "@sms-todo/shared";
import { createGrpcServer, createReadinessProbe } from "@sms-todo/shared/grpc-server";
import { createMetricsRegistry, type MetricsServer, type Registry } from "@sms-todo/shared/metrics";
import { closeDatabases, type Databases } from "./databases/databases.js";
import { createTodoServiceHandlers } from "./grpc/todo-service.handlers.js";
import { createSagaMetrics } from "./metrics/saga.metrics.js";
import { createOutboxRelay } from "./outbox/outbox.relay.js";
import { createSagaRecoverySweeper } from "./sagas/saga-recovery.sweeper.js";
import type { SagaDeps, SagaStep } from "./sagas/saga.types.js";

export interface TodoDomainDeps {
  grpcAddress: string;
  logger: Logger;
  databases: Databases;
  broker: AmqpBroker;
  /** Test hook: runs before each saga step and may throw to interrupt the saga there. */
  beforeSagaStep?: (step: SagaStep, sagaId: string) => Promise<void>;
  sagaRecovery?: { intervalMs?: number; stalledAfterMs?: number };
  /** How often each database is asked `select 1` for the gRPC health status; 2 s unless set (tests go faster). */
  readiness?: { intervalMs?: number; timeoutMs?: number };
  /** Where the app's metrics go; the composition gives one with the process metrics. A bare one of the app's own when absent. */
  metricsRegistry?: Registry;
  /** Serves metricsRegistry on METRICS_PORT: started first by start, closed last by stop. None when absent. */
  metricsServer?: MetricsServer;
}

export interface TodoDomainApp extends App {
  /** The bound gRPC port, known after start (useful with port 0). */
  grpcPort(): number;
  /** One recovery pass now; for tests and operators. */
  recoverStalledSagas(): Promise<number>;
}

export function createApp(deps: TodoDomainDeps): TodoDomainApp {
  const { logger, databases, broker } = deps;
  const relay = createOutboxRelay({ db: databases.todo, broker, exchange: broker.topology.exchanges.events, logger });
  const sagaDeps: SagaDeps = {
    databases,
    logger,
    replyRoutingKey: broker.topology.routingKeys.replyRequested,
    beforeStep: deps.beforeSagaStep,
    onOutboxWrite: () => relay.wake(),
    onSagaEnd: createSagaMetrics(deps.metricsRegistry ?? createMetricsRegistry({ defaultMetrics: false })),
  };
  const sweeper = createSagaRecoverySweeper(sagaDeps, deps.sagaRecovery);
  const server = createGrpcServer({
    address: deps.grpcAddress,
    services: [
      {
        name: "todo.v1.TodoService",
        definition: todo.TodoServiceService,
        implementation: createTodoServiceHandlers(sagaDeps, logger),
      },
    ],
    protoRoot: PROTO_ROOT,
    protoFiles: [TODO_SERVICE_PROTO],
    logger,
  });
  // NOT_SERVING while any of the three databases does not answer, so probes and balancers look elsewhere.
  const readiness = createReadinessProbe({
    checks: (["todo", "audit", "transcription"] as const).map((name) => ({
      name: `${name} database`,
      check: () => sql`select 1`.execute(databases[name]),
    })),
    onChange: (ready) => server.setServing(ready),
    logger,
    ...deps.readiness,
  });
  let port = 0;

  return {
    async start() {
      await deps.metricsServer?.start();
      await broker.start();
      await relay.start();
      sweeper.start();
      port = await server.start();
      await readiness.start();
      logger.info({ port }, "gRPC server listening");
    },
    async stop() {
      await readiness.stop();
      await server.stop();
      await sweeper.stop();
      await relay.stop();
      await broker.close();
      await closeDatabases(databases);
      await deps.metricsServer?.stop();
    },
    grpcPort: () => port,
    recoverStalledSagas: () => sweeper.sweep(),
  };
}
