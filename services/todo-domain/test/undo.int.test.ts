import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messaging, todo } from "@sms-todo/contracts";
import { startTodoDomain, type TodoDomainFixture } from "./todo-domain.fixture.js";

const { UNDONE_CHANGE_ADD, UNDONE_CHANGE_COMPLETE, UNDONE_CHANGE_EDIT, UNDONE_CHANGE_DELETE, UNDONE_CHANGE_UNSPECIFIED } =
  todo.UndoneChange;
const { TODO_STATUS_OPEN, TODO_STATUS_DELETED } = todo.TodoStatus;

let sequence = 0;
const context = (phoneNumber: string, key = `sms:SM${(sequence += 1).toString().padStart(32, "0")}`) => ({
  phoneNumber,
  idempotencyKey: key,
  messageId: key.slice(4),
});
let phones = 0;
const newPhone = () => `+1555444${(phones += 1).toString().padStart(4, "0")}`;

describe("Undo", () => {
  let domain: TodoDomainFixture;

  const add = (phone: string, texts: string[]) =>
    domain.call("addTodos", { context: context(phone), texts, source: todo.TodoSource.TODO_SOURCE_SMS });
  const complete = (phone: string, numbers: number[]) => domain.call("completeTodos", { context: context(phone), numbers });
  const remove = (phone: string, numbers: number[]) => domain.call("deleteTodos", { context: context(phone), numbers });
  const edit = (phone: string, number: number, text: string) =>
    domain.call("editTodo", { context: context(phone), number, text });
  const undo = async (phone: string, key?: string) => {
    const response = await domain.call<todo.UndoResponse>("undo", { context: context(phone, key) });
    const kind = response.result?.outcome?.kind;
    if (kind?.$case !== "undone") throw new Error(`expected an undone outcome, got ${kind?.$case}`);
    return { duplicate: response.result?.duplicate, ...kind.value };
  };
  const openTodos = async (phone: string) =>
    (await domain.call<todo.GetTodosResponse>("getTodos", { phoneNumber: phone })).todos.map((t) => `#${t.number} ${t.text}`);
  const userId = async (phone: string) =>
    (await domain.databases.todo.selectFrom("users").select("id").where("phone_number", "=", phone).executeTakeFirstOrThrow()).id;
  const sagasOf = async (phone: string) =>
    domain.databases.todo
      .selectFrom("saga_log")
      .select(["saga_id", "kind", "status", "undone_by_saga_id"])
      .where("user_id", "=", await userId(phone))
      .orderBy("seq")
      .execute();
  const auditOf = async (phone: string) =>
    domain.databases.audit
      .selectFrom("audit_events")
      .select(["saga_id", "action", "todo_id"])
      .where("user_id", "=", await userId(phone))
      .orderBy("id")
      .execute();
  const repliesTo = async (phone: string) =>
    (await domain.databases.todo.selectFrom("outbox").select("payload").orderBy("id").execute())
      .map((row) => messaging.ReplyRequested.decode(row.payload))
      .filter((reply) => reply.phoneNumber === phone);

  beforeAll(async () => {
    domain = await startTodoDomain();
  });
  afterAll(async () => {
    await domain.close();
  });

  it("when a user with no change says undo, then nothing is undone, nothing changes and the reply says so", async () => {
    const phone = newPhone();
    expect(await undo(phone)).toEqual({ duplicate: false, change: UNDONE_CHANGE_UNSPECIFIED, todos: [], nothingToUndo: true });
    expect(await sagasOf(phone)).toEqual([]);
    expect(await auditOf(phone)).toEqual([]);
    const replies = await repliesTo(phone);
    expect(replies.map((reply) => reply.outcome?.kind?.$case)).toEqual(["undone"]);
  });

  it("when an add is undone, then its todos are closed as deleted (not removed), one audit event each, and the add is marked undone", async () => {
    const phone = newPhone();
    await add(phone, ["buy milk", "call mom"]);
    const undone = await undo(phone);
    expect(undone).toMatchObject({
      change: UNDONE_CHANGE_ADD,
      nothingToUndo: false,
      todos: [
        { number: 1, text: "buy milk", status: TODO_STATUS_DELETED },
        { number: 2, text: "call mom", status: TODO_STATUS_DELETED },
      ],
    });
    expect(await openTodos(phone)).toEqual([]);
    const rows = await domain.databases.todo
      .selectFrom("todos")
      .select(["id", "status", "number"])
      .where("user_id", "=", await userId(phone))
      .execute();
    expect(rows.map((row) => [row.status, row.number])).toEqual([
      ["deleted", null],
      ["deleted", null],
    ]);
    const [addSaga, undoSaga] = await sagasOf(phone);
    expect(undoSaga).toMatchObject({ kind: "undo", status: "completed", undone_by_saga_id: null });
    expect(addSaga).toMatchObject({ kind: "add-todos", undone_by_saga_id: undoSaga?.saga_id });
    const undoEvents = (await auditOf(phone)).filter((event) => event.saga_id === undoSaga?.saga_id);
    expect(undoEvents.map((event) => event.action)).toEqual(["todo.undone", "todo.undone"]);
    expect(new Set(undoEvents.map((event) => event.todo_id))).toEqual(new Set(rows.map((row) => row.id)));
  });

  it("when a completion is undone, then the todo is open again under its number", async () => {
    const phone = newPhone();
    await add(phone, ["water plants", "pay rent"]);
    await complete(phone, [1]);
    expect(await undo(phone)).toMatchObject({
      change: UNDONE_CHANGE_COMPLETE,
      todos: [{ number: 1, text: "water plants", status: TODO_STATUS_OPEN }],
    });
    expect(await openTodos(phone)).toEqual(["#1 water plants", "#2 pay rent"]);
  });

  it("when an edit is undone, then the previous text is back", async () => {
    const phone = newPhone();
    await add(phone, ["buy milk"]);
    await edit(phone, 1, "buy oat milk");
    expect(await undo(phone)).toMatchObject({
      change: UNDONE_CHANGE_EDIT,
      todos: [{ number: 1, text: "buy milk", status: TODO_STATUS_OPEN }],
    });
    expect(await openTodos(phone)).toEqual(["#1 buy milk"]);
  });

  it("when a deletion of two todos is undone, then both are open again under their numbers", async () => {
    const phone = newPhone();
    await add(phone, ["a", "b", "c"]);
    await remove(phone, [1, 3]);
    expect(await undo(phone)).toMatchObject({
      change: UNDONE_CHANGE_DELETE,
      todos: [
        { number: 1, text: "a", status: TODO_STATUS_OPEN },
        { number: 3, text: "c", status: TODO_STATUS_OPEN },
      ],
    });
    expect(await openTodos(phone)).toEqual(["#1 a", "#2 b", "#3 c"]);
  });

  it("when a voice note's todos are undone, then they are closed and the transcript is kept", async () => {
    const phone = newPhone();
    await domain.call("recordVoiceNote", {
      context: context(phone),
      transcript: "feed the cat and book flights",
      texts: ["feed the cat", "book flights"],
      media: { url: "https://api.twilio.com/media/ME1", contentType: "audio/ogg", sizeBytes: 1000, durationSeconds: 2 },
    });
    expect(await undo(phone)).toMatchObject({
      change: UNDONE_CHANGE_ADD,
      todos: [
        { number: 1, text: "feed the cat", status: TODO_STATUS_DELETED },
        { number: 2, text: "book flights", status: TODO_STATUS_DELETED },
      ],
    });
    expect(await openTodos(phone)).toEqual([]);
    const transcripts = await domain.databases.transcription
      .selectFrom("transcripts")
      .select("text")
      .where("user_id", "=", await userId(phone))
      .execute();
    expect(transcripts).toEqual([{ text: "feed the cat and book flights" }]);
  });

  it("when undo is said repeatedly, then changes are taken back newest first, undo itself is never undone, and settings stay", async () => {
    const phone = newPhone();
    await add(phone, ["a"]);
    await add(phone, ["b"]);
    await complete(phone, [1]);
    await domain.call("updateSettings", { context: context(phone), change: { $case: "timezone", value: "Europe/Berlin" } });
    expect(await openTodos(phone)).toEqual(["#2 b"]);

    expect(await undo(phone)).toMatchObject({ change: UNDONE_CHANGE_COMPLETE, todos: [{ number: 1, text: "a" }] });
    expect(await openTodos(phone)).toEqual(["#1 a", "#2 b"]);
    expect(await undo(phone)).toMatchObject({ change: UNDONE_CHANGE_ADD, todos: [{ number: 2, text: "b" }] });
    expect(await openTodos(phone)).toEqual(["#1 a"]);
    expect(await undo(phone)).toMatchObject({ change: UNDONE_CHANGE_ADD, todos: [{ number: 1, text: "a" }] });
    expect(await openTodos(phone)).toEqual([]);
    expect(await undo(phone)).toMatchObject({ nothingToUndo: true, todos: [] });

    const user = await domain.databases.todo
      .selectFrom("users")
      .select("timezone")
      .where("phone_number", "=", phone)
      .executeTakeFirstOrThrow();
    expect(user.timezone).toBe("Europe/Berlin");
    const sagas = await sagasOf(phone);
    expect(sagas.filter((saga) => saga.kind === "undo")).toHaveLength(3);
    expect(sagas.filter((saga) => saga.kind === "undo").every((saga) => saga.undone_by_saga_id === null)).toBe(true);
  });

  it("when a number was reused after a completion, then undo takes back the newer add first and the old todo gets its number back", async () => {
    const phone = newPhone();
    await add(phone, ["milk"]);
    await complete(phone, [1]);
    await add(phone, ["eggs"]);
    expect(await openTodos(phone)).toEqual(["#1 eggs"]);
    expect(await undo(phone)).toMatchObject({ change: UNDONE_CHANGE_ADD, todos: [{ number: 1, text: "eggs" }] });
    expect(await undo(phone)).toMatchObject({ change: UNDONE_CHANGE_COMPLETE, todos: [{ number: 1, text: "milk" }] });
    expect(await openTodos(phone)).toEqual(["#1 milk"]);
  });

  it("when the old number of a completed todo is taken by then, then undo reopens it under the lowest free number", async () => {
    const phone = newPhone();
    await add(phone, ["milk", "bread"]);
    await complete(phone, [1]);
    // A todo that holds #1 without a change of this user's to undo (as left by an older version, say).
    await domain.databases.todo
      .insertInto("todos")
      .values({ user_id: await userId(phone), number: 1, text: "tea", status: "open", source: "sms", closed_at: null })
      .execute();
    expect(await undo(phone)).toMatchObject({ change: UNDONE_CHANGE_COMPLETE, todos: [{ number: 3, text: "milk" }] });
    expect(await openTodos(phone)).toEqual(["#1 tea", "#2 bread", "#3 milk"]);
  });

  it("when the same undo arrives twice, then one change is undone and the second call is a duplicate", async () => {
    const phone = newPhone();
    await add(phone, ["a"]);
    await add(phone, ["b"]);
    const key = "sms:SM" + "c".repeat(32);
    const first = await undo(phone, key);
    const second = await undo(phone, key);
    expect(first).toMatchObject({ duplicate: false, change: UNDONE_CHANGE_ADD, todos: [{ number: 2, text: "b" }] });
    expect(second).toMatchObject({ duplicate: true, change: UNDONE_CHANGE_ADD, todos: [{ number: 2, text: "b" }] });
    expect(await openTodos(phone)).toEqual(["#1 a"]);
    expect((await sagasOf(phone)).filter((saga) => saga.kind === "undo")).toHaveLength(1);
    expect((await repliesTo(phone)).filter((reply) => reply.outcome?.kind?.$case === "undone")).toHaveLength(1);
  });

  it("when one user says undo, then another user's latest change stays", async () => {
    const alice = newPhone();
    const bob = newPhone();
    await add(alice, ["alice's"]);
    await add(bob, ["bob's"]);
    expect(await undo(alice)).toMatchObject({ change: UNDONE_CHANGE_ADD, todos: [{ text: "alice's" }] });
    expect(await openTodos(bob)).toEqual(["#1 bob's"]);
    expect(await undo(alice)).toMatchObject({ nothingToUndo: true });
  });
});
