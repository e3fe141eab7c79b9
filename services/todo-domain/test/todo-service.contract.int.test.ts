import { credentials, loadPackageDefinition, type ServiceError } from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { protoPath as healthProtoPath } from "grpc-health-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROTO_ROOT, TODO_SERVICE_PROTO } from "@sms-todo/contracts";
import { startTodoDomain, type TodoDomainFixture } from "./todo-domain.fixture.js";

// The wire contract, proven from the .proto files alone: no generated code on this side.
type Callback<T> = (error: ServiceError | null, response?: T) => void;
type DynamicClient = Record<string, (request: unknown, options: { deadline: number }, callback: Callback<unknown>) => void> & {
  close(): void;
};
type ClientConstructor = new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => DynamicClient;

function load(file: string, includeDirs: string[]): Record<string, unknown> {
  return loadPackageDefinition(
    protoLoader.loadSync(file, { includeDirs, keepCase: true, enums: String, longs: Number, defaults: true, oneofs: true }),
  );
}

function lookup(root: Record<string, unknown>, path: string): ClientConstructor {
  return path.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], root) as ClientConstructor;
}

function call<T>(client: DynamicClient, method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    client[method]!(request, { deadline: Date.now() + 5_000 }, (error, response) =>
      error ? reject(error) : resolve(response as T),
    );
  });
}

const reflectionProto = join(
  dirname(createRequire(import.meta.url).resolve("@grpc/reflection")),
  "../proto/grpc/reflection/v1/reflection.proto",
);

describe("TodoService wire contract", () => {
  let domain: TodoDomainFixture;
  let todoClient: DynamicClient;
  let healthClient: DynamicClient;
  let address: string;

  beforeAll(async () => {
    domain = await startTodoDomain();
    address = `127.0.0.1:${domain.app.grpcPort()}`;
    todoClient = new (lookup(load(TODO_SERVICE_PROTO, [PROTO_ROOT]), "todo.v1.TodoService"))(
      address,
      credentials.createInsecure(),
    );
    healthClient = new (lookup(load(healthProtoPath, []), "grpc.health.v1.Health"))(address, credentials.createInsecure());
  });
  afterAll(async () => {
    todoClient.close();
    healthClient.close();
    await domain.close();
  });

  it("when AddTodos and GetTodos are called with snake_case fields from the .proto, then the answers follow the contract", async () => {
    const added = await call<{
      result: {
        duplicate: boolean;
        outcome: { kind: string; added: { todos: Array<{ number: number; text: string; status: string }> } };
      };
    }>(todoClient, "AddTodos", {
      context: { phone_number: "+15554440001", idempotency_key: "contract-1", message_id: "contract-1" },
      texts: ["buy milk"],
      source: "TODO_SOURCE_SMS",
    });
    expect(added.result.duplicate).toBe(false);
    expect(added.result.outcome.kind).toBe("added");
    expect(added.result.outcome.added.todos).toMatchObject([{ number: 1, text: "buy milk", status: "TODO_STATUS_OPEN" }]);

    const listed = await call<{ todos: Array<{ number: number; text: string }> }>(todoClient, "GetTodos", {
      phone_number: "+15554440001",
    });
    expect(listed.todos).toMatchObject([{ number: 1, text: "buy milk" }]);
    await domain.takeReplies(1);
  });

  it("when todos are named by words and lists over the wire, then selectors, lists and the new outcomes follow the contract", async () => {
    const context = (key: string) => ({ phone_number: "+15554440002", idempotency_key: key, message_id: key });
    await call(todoClient, "AddTodos", { context: context("contract-2"), texts: ["eggs", "milk"], list: "shopping" });
    const confirmation = await call<{
      result: { outcome: { kind: string; confirmation_needed: { action: string; list: string } } };
    }>(todoClient, "DeleteTodos", { context: context("contract-3"), targets: [{ all: true }], list: "shopping" });
    expect(confirmation.result.outcome).toMatchObject({
      kind: "confirmation_needed",
      confirmation_needed: { action: "TODO_ACTION_DELETE", list: "shopping" },
    });

    const found = await call<{
      result: { outcome: { kind: string; found: { matches: Array<{ number: number; list: string }> } } };
    }>(todoClient, "FindTodo", { context: context("contract-4"), name: "milk" });
    expect(found.result.outcome.kind).toBe("found");
    expect(found.result.outcome.found.matches).toMatchObject([{ number: 2, list: "shopping" }]);

    const completed = await call<{ result: { outcome: { kind: string; completed: { todos: Array<{ text: string }> } } } }>(
      todoClient,
      "CompleteTodos",
      { context: context("contract-5"), targets: [{ reference: true }] },
    );
    expect(completed.result.outcome.completed.todos).toMatchObject([{ text: "milk" }]);
    await domain.takeReplies(4);
  });

  it("when a field breaks the contract, then the status is INVALID_ARGUMENT with a readable reason", async () => {
    const error = await call(todoClient, "GetTodos", { phone_number: "not-a-number" }).then(
      () => undefined,
      (failure: ServiceError) => failure,
    );
    expect(error?.code).toBe(3);
    expect(error?.details).toContain("E.164");
  });

  it("when grpc.health.v1 is asked, then the server and TodoService report SERVING", async () => {
    await expect(call(healthClient, "Check", { service: "" })).resolves.toEqual({ status: "SERVING" });
    await expect(call(healthClient, "Check", { service: "todo.v1.TodoService" })).resolves.toEqual({ status: "SERVING" });
  });

  it("when server reflection is asked for its services, then TodoService and health are listed", async () => {
    const Reflection = lookup(load(reflectionProto, []), "grpc.reflection.v1.ServerReflection") as unknown as new (
      address: string,
      creds: ReturnType<typeof credentials.createInsecure>,
    ) => { ServerReflectionInfo(): NodeJS.ReadWriteStream & { write(message: unknown): boolean; end(): void }; close(): void };
    const client = new Reflection(address, credentials.createInsecure());
    const stream = client.ServerReflectionInfo();
    const answer = new Promise<{ list_services_response: { service: Array<{ name: string }> } }>((resolve, reject) => {
      stream.once("data", (message: unknown) =>
        resolve(message as { list_services_response: { service: Array<{ name: string }> } }),
      );
      stream.once("error", reject);
    });
    stream.write({ list_services: "" });
    const names = (await answer).list_services_response.service.map((service) => service.name);
    stream.end();
    client.close();
    expect(names).toEqual(expect.arrayContaining(["todo.v1.TodoService", "grpc.health.v1.Health"]));
  });
});
