import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messaging, todo } from "@sms-todo/contracts";
import { startTodoDomain, type TodoDomainFixture } from "./todo-domain.fixture.js";

let sequence = 0;
const context = (phoneNumber: string, key = `sms:SM${(sequence += 1).toString().padStart(32, "0")}`) => ({
  phoneNumber,
  idempotencyKey: key,
  messageId: key.slice(4),
});
let phones = 0;
const newPhone = () => `+1555777${(phones += 1).toString().padStart(4, "0")}`;

describe("SetSubscription and opted-out users", () => {
  let domain: TodoDomainFixture;

  const subscribe = (phone: string, subscribed: boolean, key?: string) =>
    domain.call<todo.SetSubscriptionResponse>("setSubscription", { context: context(phone, key), subscribed });
  const add = (phone: string, texts: string[]) =>
    domain.call<todo.AddTodosResponse>("addTodos", { context: context(phone), texts, source: todo.TodoSource.TODO_SOURCE_SMS });
  const openTodos = async (phone: string) =>
    (await domain.call<todo.GetTodosResponse>("getTodos", { phoneNumber: phone })).todos.map((t) => `#${t.number} ${t.text}`);
  const userOf = async (phone: string) =>
    domain.databases.todo
      .selectFrom("users")
      .select(["id", "opted_out"])
      .where("phone_number", "=", phone)
      .executeTakeFirstOrThrow();
  const auditActions = async (phone: string) =>
    (
      await domain.databases.audit
        .selectFrom("audit_events")
        .select("action")
        .where("user_id", "=", (await userOf(phone)).id)
        .orderBy("id")
        .execute()
    ).map((event) => event.action);
  const repliesTo = async (phone: string) =>
    (await domain.databases.todo.selectFrom("outbox").select("payload").orderBy("id").execute())
      .map((row) => messaging.ReplyRequested.decode(row.payload))
      .filter((reply) => reply.phoneNumber === phone)
      .map((reply) => reply.outcome?.kind?.$case);

  beforeAll(async () => {
    domain = await startTodoDomain();
  });
  afterAll(async () => {
    await domain.close();
  });

  it("when a user opts out and back in, then the flag follows, each change is audited, and neither is answered", async () => {
    const phone = newPhone();
    const stop = await subscribe(phone, false);
    expect(stop.result).toEqual({ duplicate: false, outcome: { kind: { $case: "subscription", value: { subscribed: false } } } });
    expect((await userOf(phone)).opted_out).toBe(true);
    const start = await subscribe(phone, true);
    expect(start.result?.outcome?.kind).toEqual({ $case: "subscription", value: { subscribed: true } });
    expect((await userOf(phone)).opted_out).toBe(false);
    expect(await auditActions(phone)).toEqual(["user.opted_out", "user.opted_in"]);
    expect(await repliesTo(phone)).toEqual([]);
  });

  it("when an opted-out user sends commands, then they are applied and kept, but no reply is written", async () => {
    const phone = newPhone();
    await subscribe(phone, false);
    const added = await add(phone, ["buy milk", "call mom"]);
    expect(added.result?.outcome?.kind).toMatchObject({ $case: "added", value: { todos: [{ number: 1 }, { number: 2 }] } });
    await domain.call("completeTodos", { context: context(phone), numbers: [2] });
    await domain.call("listTodos", { context: context(phone) });
    await domain.call("undo", { context: context(phone) });
    expect(await openTodos(phone)).toEqual(["#1 buy milk", "#2 call mom"]);
    expect(await repliesTo(phone)).toEqual([]);
    expect(await auditActions(phone)).toEqual(["user.opted_out", "todo.added", "todo.added", "todo.completed", "todo.undone"]);

    await subscribe(phone, true);
    await domain.call("listTodos", { context: context(phone) });
    expect(await repliesTo(phone)).toEqual(["list"]);
  });

  it("when the same subscription change arrives twice, then it is applied once and the second call is a duplicate", async () => {
    const phone = newPhone();
    const key = "sms:SM" + "9".repeat(32);
    expect((await subscribe(phone, false, key)).result?.duplicate).toBe(false);
    expect((await subscribe(phone, false, key)).result?.duplicate).toBe(true);
    expect(await auditActions(phone)).toEqual(["user.opted_out"]);
  });

  it("when a user already opted in says START, then nothing is recorded and still nothing is answered", async () => {
    const phone = newPhone();
    await add(phone, ["x"]);
    await subscribe(phone, true);
    expect(await auditActions(phone)).toEqual(["todo.added"]);
    expect(await repliesTo(phone)).toEqual(["added"]);
  });
});
