import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todo } from "@sms-todo/contracts";
import { MAX_TODO_LENGTH, MAX_TODO_NUMBER } from "@sms-todo/rules";
import { AppError } from "@sms-todo/shared";
import { startTodoDomain, type TodoDomainFixture } from "./todo-domain.fixture.js";

const ALICE = "+15551230001";
const BOB = "+15551230002";
let sequence = 0;
const context = (phoneNumber: string, key = `sms:SM${(sequence += 1).toString().padStart(32, "0")}`) => ({
  phoneNumber,
  idempotencyKey: key,
  messageId: key.slice(4),
});

describe("TodoService", () => {
  let domain: TodoDomainFixture;
  const add = (phone: string, texts: string[], key?: string) =>
    domain.call<todo.AddTodosResponse>("addTodos", {
      context: context(phone, key),
      texts,
      source: todo.TodoSource.TODO_SOURCE_SMS,
    });
  const complete = (phone: string, numbers: number[]) =>
    domain.call<todo.CompleteTodosResponse>("completeTodos", { context: context(phone), numbers });
  const openTodos = async (phone: string) =>
    (await domain.call<todo.GetTodosResponse>("getTodos", { phoneNumber: phone })).todos.map((t) => `#${t.number} ${t.text}`);
  const auditCount = async () =>
    Number(
      (
        await domain.databases.audit
          .selectFrom("audit_events")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    domain = await startTodoDomain();
  });
  afterAll(async () => {
    await domain.close();
  });

  it("when a user adds a todo, then it is #1 and a reply event names it", async () => {
    const response = await add(ALICE, ["buy milk"]);
    expect(response.result?.duplicate).toBe(false);
    expect(response.result?.outcome?.kind).toMatchObject({ $case: "added", value: { todos: [{ number: 1, text: "buy milk" }] } });
    const [reply] = await domain.takeReplies(1);
    expect(reply?.phoneNumber).toBe(ALICE);
    expect(reply?.outcome?.kind?.$case).toBe("added");
  });

  it("when the same idempotency key arrives five times at once, then one todo is added and one reply is sent", async () => {
    const key = "sms:SM" + "f".repeat(32);
    const responses = await Promise.all(Array.from({ length: 5 }, () => add(ALICE, ["call mom"], key)));
    expect(responses.filter((r) => r.result?.duplicate === false)).toHaveLength(1);
    expect(await openTodos(ALICE)).toEqual(["#1 buy milk", "#2 call mom"]);
    // The next reply after this command's one is that of a later command: no second reply for the key.
    await domain.call("listTodos", { context: context(ALICE) });
    const replies = await domain.takeReplies(2);
    expect(replies.map((r) => r.outcome?.kind?.$case)).toEqual(["added", "list"]);
  });

  it("when a todo is completed, then its number is freed and reused lowest first", async () => {
    await add(ALICE, ["eggs"]);
    const done = await complete(ALICE, [2]);
    expect(done.result?.outcome?.kind).toMatchObject({ $case: "completed", value: { todos: [{ number: 2, text: "call mom" }] } });
    expect(await openTodos(ALICE)).toEqual(["#1 buy milk", "#3 eggs"]);
    await add(ALICE, ["bread", "jam"]);
    expect(await openTodos(ALICE)).toEqual(["#1 buy milk", "#2 bread", "#3 eggs", "#4 jam"]);
    await domain.takeReplies(3);
  });

  it("when an unknown number is completed, then nothing changes and the open numbers are reported", async () => {
    const audited = await auditCount();
    const response = await complete(ALICE, [9]);
    expect(response.result?.outcome?.kind).toMatchObject({
      $case: "completed",
      value: { todos: [], unknownNumbers: [9], openNumbers: [1, 2, 3, 4] },
    });
    expect(await auditCount()).toBe(audited);
    await domain.takeReplies(1);
  });

  it("when another user acts, then they see only their own todos and cannot touch the first user's", async () => {
    await add(BOB, ["fix bike"]);
    expect(await openTodos(BOB)).toEqual(["#1 fix bike"]);
    const response = await complete(BOB, [3]);
    expect(response.result?.outcome?.kind).toMatchObject({
      $case: "completed",
      value: { todos: [], unknownNumbers: [3], openNumbers: [1] },
    });
    expect(await openTodos(ALICE)).toEqual(["#1 buy milk", "#2 bread", "#3 eggs", "#4 jam"]);
    await complete(BOB, [1]);
    expect(await openTodos(BOB)).toEqual([]);
    expect(await openTodos(ALICE)).toHaveLength(4);
    await domain.takeReplies(3);
  });

  it("when a user reuses another user's idempotency key, then the call is refused", async () => {
    const key = "sms:SM" + "e".repeat(32);
    await add(ALICE, ["mine"], key);
    await expect(add(BOB, ["theirs"], key)).rejects.toMatchObject({ code: "PERMISSION_DENIED" } satisfies Partial<AppError>);
    await domain.takeReplies(1);
  });

  it("when every change is done, then each has exactly one audit event", async () => {
    const rows = await domain.databases.audit.selectFrom("audit_events").select(["action", "todo_id"]).execute();
    const keys = rows.map((row) => `${row.action}:${row.todo_id}`);
    expect(new Set(keys).size).toBe(keys.length);
    const todos = await domain.databases.todo.selectFrom("todos").select(["id", "status"]).execute();
    expect(rows.filter((row) => row.action === "todo.added")).toHaveLength(todos.length);
    expect(rows.filter((row) => row.action === "todo.completed")).toHaveLength(todos.filter((t) => t.status === "done").length);
  });

  it("when a request is malformed, then it gets INVALID_ARGUMENT and nothing is stored", async () => {
    const before = await auditCount();
    await expect(add("12345", ["x"])).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(add(ALICE, [])).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(add(ALICE, ["x".repeat(MAX_TODO_LENGTH + 1)])).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(complete(ALICE, [MAX_TODO_NUMBER + 1])).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(
      domain.call("addTodos", { context: { phoneNumber: ALICE, idempotencyKey: "", messageId: "" }, texts: ["x"], source: 1 }),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(await auditCount()).toBe(before);
  });
});
