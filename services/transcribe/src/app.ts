import type { todo } from "@sms-todo/contracts";
import type { AmqpBroker, App, Consumer, Logger } from "@sms-todo/shared";
import { createVoiceNoteHandler } from "./consumers/voice-note.consumer.js";

export interface TranscribeDeps {
  logger: Logger;
  broker: AmqpBroker;
  todoClient: todo.TodoServiceClient;
}

export function createApp(deps: TranscribeDeps): App {
  let consumer: Consumer | undefined;
  return {
    async start() {
      await deps.broker.start();
      consumer = await deps.broker.consume(deps.broker.topology.queues.audio, createVoiceNoteHandler(deps), { prefetch: 2 });
    },
    async stop() {
      await consumer?.stop();
      await deps.broker.close();
      deps.todoClient.close();
    },
  };
}
