import { credentials } from "@grpc/grpc-js";
import { todo } from "@sms-todo/contracts";
import { AmqpBroker, createLogger, createTopology, runService } from "@sms-todo/shared";
import { createApp } from "./app.js";
import { loadTranscribeConfig } from "./transcribe.config.js";

// The level is known once the config is read; a config error is still logged, at the default level.
const logger = createLogger({ name: "transcribe" });

await runService({
  logger,
  create: () => {
    const config = loadTranscribeConfig(process.env);
    logger.level = config.LOG_LEVEL;
    return createApp({
      logger,
      broker: new AmqpBroker({ url: config.AMQP_URL, topology: createTopology(config.SMS_TODO_NAMESPACE), logger }),
      todoClient: new todo.TodoServiceClient(config.TODO_GRPC_ADDR, credentials.createInsecure()),
    });
  },
});
