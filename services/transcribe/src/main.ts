import { credentials } from "@grpc/grpc-js";
import { todo } from "@sms-todo/contracts";
import { AmqpBroker, createLogger, createTopology, runService } from "@sms-todo/shared";
import { createApp } from "./app.js";
import { loadTranscribeConfig } from "./transcribe.config.js";

const logger = createLogger({ name: "transcribe", level: process.env.LOG_LEVEL });

await runService({
  logger,
  create: () => {
    const config = loadTranscribeConfig(process.env);
    return createApp({
      logger,
      broker: new AmqpBroker({ url: config.AMQP_URL, topology: createTopology(config.SMS_TODO_NAMESPACE), logger }),
      todoClient: new todo.TodoServiceClient(config.TODO_GRPC_ADDR, credentials.createInsecure()),
    });
  },
});
