import { AmqpBroker, createLogger, createTopology, runService } from "@sms-todo/shared";
import { createApp } from "./app.js";
import { openDatabases } from "./databases/databases.js";
import { loadTodoDomainConfig } from "./todo-domain.config.js";

const logger = createLogger({ name: "todo-domain", level: process.env.LOG_LEVEL });

await runService({
  logger,
  create: () => {
    const config = loadTodoDomainConfig(process.env);
    return createApp({
      grpcAddress: config.TODO_GRPC_ADDR,
      logger,
      databases: openDatabases({
        todo: config.TODO_DATABASE_URL,
        audit: config.AUDIT_DATABASE_URL,
        transcription: config.TRANSCRIPTION_DATABASE_URL,
      }),
      broker: new AmqpBroker({ url: config.AMQP_URL, topology: createTopology(config.SMS_TODO_NAMESPACE), logger }),
    });
  },
});
