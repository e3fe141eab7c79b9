import { Server, ServerCredentials, credentials, type Metadata, type status } from "@grpc/grpc-js";
import { todo } from "@sms-todo/contracts";

export interface RecordedSubscriptionCall {
  request: todo.SetSubscriptionRequest;
  metadata: Metadata;
}

export interface FakeTodoService {
  /** Every SetSubscription call, in order. */
  subscriptionCalls: RecordedSubscriptionCall[];
  /** A real TodoService client connected to this server, as main.ts builds one. */
  client(): todo.TodoServiceClient;
  /** Makes the next `times` SetSubscription calls fail with this status. */
  failNext(code: status, times?: number): void;
  stop(): Promise<void>;
}

/**
 * A TodoService on a local port that implements SetSubscription only (the other methods answer
 * UNIMPLEMENTED), answering like todo-domain and recording every call.
 */
export async function startFakeTodoService(): Promise<FakeTodoService> {
  const subscriptionCalls: RecordedSubscriptionCall[] = [];
  const clients: todo.TodoServiceClient[] = [];
  const failures: status[] = [];
  const server = new Server();
  const implementation: Partial<todo.TodoServiceServer> = {
    setSubscription(call, callback) {
      subscriptionCalls.push({ request: call.request, metadata: call.metadata });
      const failure = failures.shift();
      if (failure !== undefined) {
        const error = Object.assign(new Error("from the fake"), { code: failure, details: "from the fake" });
        callback(error, null);
        return;
      }
      const outcome = { kind: { $case: "subscription" as const, value: { subscribed: call.request.subscribed } } };
      callback(null, { result: { outcome, duplicate: false } });
    },
  };
  server.addService(todo.TodoServiceService, implementation as todo.TodoServiceServer);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const address = `127.0.0.1:${port}`;
  return {
    subscriptionCalls,
    client() {
      const client = new todo.TodoServiceClient(address, credentials.createInsecure());
      clients.push(client);
      return client;
    },
    failNext(code, times = 1) {
      failures.push(...Array.from({ length: times }, () => code));
    },
    async stop() {
      for (const client of clients) client.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}
