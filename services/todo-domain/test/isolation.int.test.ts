import { sql, type Transaction } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messaging, todo } from "@sms-todo/contracts";
import type { TodoSchema } from "../src/databases/todo/todo.schema.js";
import { enterUserScope } from "../src/users/user-scope.repository.js";
import { startTodoDomain, type TodoDomainFixture } from "./todo-domain.fixture.js";

// One user can never read or change another's todos: not with numbers the other has, not with
// the other's idempotency key, not with a forged phone number, not with the other's number in a text.

const ALICE = "+15552220001";
const BOB = "+15552220002";
const CAROL = "+15552220003";
const DAVE = "+15552220004";
const ERIN = "+15552220005";
const FRANK = "+15552220006";
const NEWCOMER = "+15552220099";
const ALICE_TODOS = ["buy milk", "alice's bank pin 4711", "call mom"];

/** Every call that carries a CommandContext, with a request that would change or read something. */
const CONTEXT_CALLS = {
  addTodos: { texts: ["sneaky"], source: todo.TodoSource.TODO_SOURCE_SMS },
  completeTodos: { numbers: [1, 2, 3] },
  deleteTodos: { numbers: [1, 2, 3] },
  editTodo: { number: 1, text: "hacked" },
  listTodos: {},
  nextPage: {},
  undo: {},
  showHelp: {},
  updateSettings: { change: { $case: "timezone", value: "Europe/Berlin" } },
  setSubscription: { subscribed: false },
  rejectMessage: { reason: "not understood" },
  recordVoiceNote: {
    transcript: "sneaky voice note",
    texts: ["sneaky"],
    media: { url: "https://api.twilio.com/media/ME1", contentType: "audio/ogg", sizeBytes: 1_024, durationSeconds: 1 },
  },
} as const;
type ContextMethod = keyof typeof CONTEXT_CALLS;
const CONTEXT_METHODS = Object.keys(CONTEXT_CALLS) as ContextMethod[];

let sequence = 0;
const context = (phoneNumber: string, key = `sms:SM${(sequence += 1).toString(16).padStart(32, "0")}`) => ({
  phoneNumber,
  idempotencyKey: key,
  messageId: key.slice(4),
});

describe("isolation between users at the gRPC boundary", () => {
  let domain: TodoDomainFixture;

  const call = <Res = { result?: todo.CommandResult }>(method: ContextMethod | "getTodos", request: unknown) =>
    domain.call<Res>(method, request);
  const openTodos = async (phoneNumber: string) =>
    (await call<todo.GetTodosResponse>("getTodos", { phoneNumber })).todos.map((item) => `#${item.number} ${item.text}`);
  const outcomeOf = async (method: ContextMethod, phoneNumber: string, request: object = CONTEXT_CALLS[method]) =>
    (await call(method, { ...request, context: context(phoneNumber) })).result?.outcome?.kind;

  /** Everything the databases hold about one user: their user row, every todo of theirs, their audit trail. */
  const everythingOf = async (phoneNumber: string) => {
    const user = await domain.databases.todo
      .selectFrom("users")
      .selectAll()
      .where("phone_number", "=", phoneNumber)
      .executeTakeFirstOrThrow();
    const todos = await domain.databases.todo
      .selectFrom("todos")
      .selectAll()
      .where("user_id", "=", user.id)
      .orderBy("id")
      .execute();
    const audit = await domain.databases.audit
      .selectFrom("audit_events")
      .select(["event_id", "action", "todo_id"])
      .where("user_id", "=", user.id)
      .orderBy("id")
      .execute();
    return { user, todos, audit };
  };

  /** Row counts of every table, to show a refused call stored nothing anywhere. */
  const tableCounts = async () => {
    const count = async (query: { executeTakeFirstOrThrow(): Promise<{ n: string | number | bigint }> }) =>
      Number((await query.executeTakeFirstOrThrow()).n);
    const todoDb = domain.databases.todo;
    return {
      users: await count(todoDb.selectFrom("users").select((eb) => eb.fn.countAll().as("n"))),
      todos: await count(todoDb.selectFrom("todos").select((eb) => eb.fn.countAll().as("n"))),
      processed: await count(todoDb.selectFrom("processed_commands").select((eb) => eb.fn.countAll().as("n"))),
      sagas: await count(todoDb.selectFrom("saga_log").select((eb) => eb.fn.countAll().as("n"))),
      outbox: await count(todoDb.selectFrom("outbox").select((eb) => eb.fn.countAll().as("n"))),
      audit: await count(domain.databases.audit.selectFrom("audit_events").select((eb) => eb.fn.countAll().as("n"))),
      transcripts: await count(domain.databases.transcription.selectFrom("transcripts").select((eb) => eb.fn.countAll().as("n"))),
    };
  };

  /** The outcome of every reply event addressed to one phone number, as JSON. */
  const repliesTo = async (phoneNumber: string) => {
    const rows = await domain.databases.todo.selectFrom("outbox").select("payload").orderBy("id").execute();
    return rows
      .map((row) => messaging.ReplyRequested.decode(row.payload))
      .filter((reply) => reply.phoneNumber === phoneNumber)
      .map((reply) => JSON.stringify(reply.outcome));
  };

  beforeAll(async () => {
    domain = await startTodoDomain();
    await call("addTodos", { context: context(ALICE), texts: ALICE_TODOS, source: todo.TodoSource.TODO_SOURCE_SMS });
    await call("addTodos", { context: context(BOB), texts: ["walk the dog"], source: todo.TodoSource.TODO_SOURCE_SMS });
  });
  afterAll(async () => {
    await domain.close();
  });

  it("when GetTodos asks for one user, then only that user's todos come back, and none for a number without todos", async () => {
    expect(await openTodos(ALICE)).toEqual(["#1 buy milk", "#2 alice's bank pin 4711", "#3 call mom"]);
    expect(await openTodos(BOB)).toEqual(["#1 walk the dog"]);
    expect(await openTodos(CAROL)).toEqual([]);
  });

  it("when B completes, deletes or edits numbers only A has, then each is reported unknown and A's todos are unchanged", async () => {
    const alice = await everythingOf(ALICE);

    expect(await outcomeOf("completeTodos", BOB, { numbers: [2, 3] })).toEqual({
      $case: "completed",
      value: { todos: [], unknownNumbers: [2, 3], openNumbers: [1] },
    });
    expect(await outcomeOf("deleteTodos", BOB, { numbers: [3] })).toEqual({
      $case: "deleted",
      value: { todos: [], unknownNumbers: [3], openNumbers: [1] },
    });
    expect(await outcomeOf("editTodo", BOB, { number: 2, text: "hacked" })).toEqual({
      $case: "edited",
      value: { todo: undefined, previousText: "", unknownNumbers: [2], openNumbers: [1] },
    });
    // Carol has no todos at all: every number of Alice's is unknown to her.
    expect(await outcomeOf("completeTodos", CAROL, { numbers: [1, 2, 3] })).toEqual({
      $case: "completed",
      value: { todos: [], unknownNumbers: [1, 2, 3], openNumbers: [] },
    });
    expect(await outcomeOf("deleteTodos", CAROL, { numbers: [1] })).toMatchObject({ value: { todos: [], unknownNumbers: [1] } });
    expect(await outcomeOf("editTodo", CAROL, { number: 1, text: "hacked" })).toMatchObject({
      value: { todo: undefined, unknownNumbers: [1] },
    });

    expect(await everythingOf(ALICE)).toEqual(alice);
    expect(await openTodos(BOB)).toEqual(["#1 walk the dog"]);
  });

  it("when B changes B's own #1 while A has a #1 too, then only B's #1 changes", async () => {
    const alice = await everythingOf(ALICE);
    expect(await outcomeOf("editTodo", BOB, { number: 1, text: "walk the cat" })).toMatchObject({
      value: { todo: { number: 1, text: "walk the cat" }, previousText: "walk the dog" },
    });
    expect(await outcomeOf("completeTodos", BOB, { numbers: [1] })).toMatchObject({
      value: { todos: [{ text: "walk the cat" }], unknownNumbers: [] },
    });
    expect(await everythingOf(ALICE)).toEqual(alice);
    expect(await openTodos(BOB)).toEqual([]);
    await call("addTodos", { context: context(BOB), texts: ["walk the dog"], source: todo.TodoSource.TODO_SOURCE_SMS });
  });

  it("when B sends any call with an idempotency key A used, then it is PERMISSION_DENIED and nothing changes", async () => {
    const aliceKey = context(ALICE).idempotencyKey;
    await call("addTodos", {
      context: context(ALICE, aliceKey),
      texts: ["water plants"],
      source: todo.TodoSource.TODO_SOURCE_SMS,
    });
    const alice = await everythingOf(ALICE);
    const bob = await everythingOf(BOB);
    const counts = await tableCounts();

    for (const method of CONTEXT_METHODS) {
      await expect(call(method, { ...CONTEXT_CALLS[method], context: context(BOB, aliceKey) }), method).rejects.toMatchObject({
        code: "PERMISSION_DENIED",
      });
    }
    // A user that does not exist yet is refused the same way.
    await expect(call("listTodos", { context: context(NEWCOMER, aliceKey) })).rejects.toMatchObject({
      code: "PERMISSION_DENIED",
    });

    expect(await everythingOf(ALICE)).toEqual(alice);
    expect(await everythingOf(BOB)).toEqual(bob);
    expect(await tableCounts()).toEqual(counts);
    // Alice's own retry still gets her first outcome.
    const retried = await call("addTodos", {
      context: context(ALICE, aliceKey),
      texts: ["water plants"],
      source: todo.TodoSource.TODO_SOURCE_SMS,
    });
    expect(retried.result).toMatchObject({ duplicate: true, outcome: { kind: { $case: "added" } } });
  });

  const forgedNumbers: Array<[string, string]> = [
    ["missing its plus", ALICE.slice(1)],
    ["spaced out", "+1 555 222 0001"],
    ["led by a space", ` ${ALICE}`],
    ["followed by a newline", `${ALICE}\n`],
    ["prefixed with whatsapp:", `whatsapp:${ALICE}`],
    ["prefixed with tel:", `tel:${ALICE}`],
    ["two numbers in one", `${ALICE},${BOB}`],
    ["500 digits long", `+1${"5".repeat(500)}`],
    ["sixteen digits long", "+1555222000100000"],
    ["seven digits long", "+1555222"],
    ["written in Arabic-Indic digits", "+١٥٥٥٢٢٢٠٠٠١"],
    ["written in full-width digits", "+１５５５２２２０００１"],
    ["starting with a zero", "+05552220001"],
    ["empty", ""],
    ["a SQL wildcard pattern", "+1555222%"],
    ["ended by a NUL byte", `${ALICE}\u0000`],
  ];

  it.each(forgedNumbers)(
    "when the phone number is %s, then it is INVALID_ARGUMENT and nothing is stored",
    async (_label, phoneNumber) => {
      const counts = await tableCounts();
      const alice = await everythingOf(ALICE);
      for (const method of CONTEXT_METHODS) {
        await expect(call(method, { ...CONTEXT_CALLS[method], context: context(phoneNumber) }), method).rejects.toMatchObject({
          code: "INVALID_ARGUMENT",
        });
      }
      await expect(call("getTodos", { phoneNumber })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
      expect(await tableCounts()).toEqual(counts);
      expect(await everythingOf(ALICE)).toEqual(alice);
    },
  );

  it("when a call carries no context at all, then it is INVALID_ARGUMENT and nothing is stored", async () => {
    const counts = await tableCounts();
    for (const method of CONTEXT_METHODS) {
      await expect(call(method, { ...CONTEXT_CALLS[method] }), method).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    }
    expect(await tableCounts()).toEqual(counts);
  });

  it("when B's todo text contains A's phone number, then it stays B's todo and A's list is unchanged", async () => {
    const alice = await everythingOf(ALICE);
    const added = await call("addTodos", {
      context: context(BOB),
      texts: [`call ${ALICE} about rent`, ALICE, `${ALICE.slice(1)} done 1`],
      source: todo.TodoSource.TODO_SOURCE_SMS,
    });
    expect(added.result?.outcome?.kind).toMatchObject({
      $case: "added",
      value: { todos: [{ number: 2 }, { number: 3 }, { number: 4 }] },
    });
    expect(await openTodos(BOB)).toEqual([
      "#1 walk the dog",
      `#2 call ${ALICE} about rent`,
      `#3 ${ALICE}`,
      `#4 ${ALICE.slice(1)} done 1`,
    ]);
    expect(await everythingOf(ALICE)).toEqual(alice);
  });

  it("when B lists and names A's numbers, then no reply event addressed to B names one of A's todos", async () => {
    expect(await outcomeOf("listTodos", BOB)).toMatchObject({ $case: "list" });
    for (const method of ["completeTodos", "deleteTodos", "editTodo", "showHelp"] as const) await outcomeOf(method, BOB);
    const replies = await repliesTo(BOB);
    expect(replies.length).toBeGreaterThan(5);
    const leaks = replies.filter((reply) => ALICE_TODOS.some((text) => reply.includes(text)) || reply.includes("water plants"));
    expect(leaks).toEqual([]);
    // Every reply event goes to the number that asked: none of Bob's calls produced one for Alice.
    const aliceReplies = await repliesTo(ALICE);
    expect(aliceReplies.every((reply) => !reply.includes("walk the"))).toBe(true);
  });

  it("when B undoes while A changed something later, then only B's own latest change is taken back and A can still undo A's", async () => {
    const add = (phoneNumber: string, texts: string[]) =>
      call("addTodos", { context: context(phoneNumber), texts, source: todo.TodoSource.TODO_SOURCE_SMS });
    await add(DAVE, ["dave first", "dave second"]);
    await add(ERIN, ["erin first"]);
    await call("completeTodos", { context: context(DAVE), numbers: [1] });
    const dave = await everythingOf(DAVE);

    expect(await outcomeOf("undo", ERIN)).toEqual({
      $case: "undone",
      value: {
        change: todo.UndoneChange.UNDONE_CHANGE_ADD,
        todos: [expect.objectContaining({ text: "erin first" })],
        nothingToUndo: false,
      },
    });
    expect(await openTodos(ERIN)).toEqual([]);
    // Erin has nothing left to undo; Dave's changes are not hers to take back.
    expect(await outcomeOf("undo", ERIN)).toMatchObject({ $case: "undone", value: { nothingToUndo: true, todos: [] } });
    expect(await outcomeOf("undo", FRANK)).toMatchObject({ $case: "undone", value: { nothingToUndo: true, todos: [] } });
    expect(await everythingOf(DAVE)).toEqual(dave);

    // Dave's own undo still finds his completion, untouched by Erin's undos.
    expect(await outcomeOf("undo", DAVE)).toMatchObject({
      $case: "undone",
      value: { change: todo.UndoneChange.UNDONE_CHANGE_COMPLETE, todos: [{ number: 1, text: "dave first" }] },
    });
    expect(await openTodos(DAVE)).toEqual(["#1 dave first", "#2 dave second"]);
  });

  it("when B records a voice note naming A's number and A's todos, then the todos and the transcript are B's alone", async () => {
    const alice = await everythingOf(ALICE);
    const transcript = `Add buy milk for ${ALICE} and complete number one`;
    const recorded = await outcomeOf("recordVoiceNote", BOB, {
      ...CONTEXT_CALLS.recordVoiceNote,
      transcript,
      texts: [`buy milk for ${ALICE}`],
    });
    expect(recorded).toMatchObject({ $case: "added", value: { todos: [{ text: `buy milk for ${ALICE}` }] } });
    expect((await openTodos(BOB)).filter((line) => line.endsWith(` buy milk for ${ALICE}`))).toHaveLength(1);
    const bob = await everythingOf(BOB);
    const transcripts = await domain.databases.transcription
      .selectFrom("transcripts")
      .select(["user_id", "phone_number"])
      .where("text", "=", transcript)
      .execute();
    expect(transcripts).toEqual([{ user_id: bob.user.id, phone_number: BOB }]);
    expect(await everythingOf(ALICE)).toEqual(alice);
  });

  it("when B changes B's settings and subscription, then A's user row is unchanged", async () => {
    const alice = await everythingOf(ALICE);
    expect(await outcomeOf("updateSettings", CAROL, { change: { $case: "summaryTime", value: "06:15" } })).toMatchObject({
      $case: "settings",
    });
    expect(await outcomeOf("updateSettings", CAROL)).toMatchObject({ value: { timezone: "Europe/Berlin" } });
    expect(await outcomeOf("setSubscription", CAROL, { subscribed: false })).toEqual({
      $case: "subscription",
      value: { subscribed: false },
    });
    expect((await everythingOf(CAROL)).user).toMatchObject({ summary_time: "06:15", timezone: "Europe/Berlin", opted_out: true });
    expect(await everythingOf(ALICE)).toEqual(alice);
  });

  describe("row-level security on todos", () => {
    const rolledBack = new Error("rolled back on purpose");
    /** Runs `work` in a transaction confined to one user, then rolls everything back. */
    const asScoped = async <T>(phoneNumber: string, work: (trx: Transaction<TodoSchema>) => Promise<T>): Promise<T> => {
      const { user } = await everythingOf(phoneNumber);
      let result: T | undefined;
      try {
        await domain.databases.todo.transaction().execute(async (trx) => {
          await enterUserScope(trx, user.id);
          result = await work(trx);
          throw rolledBack;
        });
      } catch (error) {
        if (error !== rolledBack) throw error;
      }
      return result as T;
    };

    it("when a transaction is scoped to A, then a query without a WHERE on user_id reads only A's rows", async () => {
      const alice = await everythingOf(ALICE);
      const seen = await asScoped(ALICE, (trx) =>
        sql<{ user_id: string; text: string }>`select user_id, text from todos`.execute(trx),
      );
      expect(seen.rows.map((row) => row.text).sort()).toEqual(alice.todos.map((row) => row.text).sort());
      expect(new Set(seen.rows.map((row) => Number(row.user_id)))).toEqual(new Set([alice.user.id]));
      const counted = await asScoped(BOB, (trx) =>
        sql<{ n: string }>`select count(*) as n from todos where text = ${"buy milk"}`.execute(trx),
      );
      expect(counted.rows.map((row) => Number(row.n))).toEqual([0]);
    });

    it("when a transaction is scoped to B, then an update or delete without a WHERE on user_id touches only B's rows", async () => {
      const alice = await everythingOf(ALICE);
      const bob = await everythingOf(BOB);
      const updated = await asScoped(BOB, (trx) =>
        sql<{ user_id: string }>`update todos set text = 'overwritten' returning user_id`.execute(trx),
      );
      expect(updated.rows).toHaveLength(bob.todos.length);
      expect(updated.rows.every((row) => Number(row.user_id) === bob.user.id)).toBe(true);
      const deleted = await asScoped(BOB, (trx) => sql<{ user_id: string }>`delete from todos returning user_id`.execute(trx));
      expect(deleted.rows).toHaveLength(bob.todos.length);
      expect(deleted.rows.every((row) => Number(row.user_id) === bob.user.id)).toBe(true);
      expect(await everythingOf(ALICE)).toEqual(alice);
    });

    it("when a transaction scoped to B inserts or moves a todo into A's list, then Postgres refuses it", async () => {
      const alice = await everythingOf(ALICE);
      await expect(
        asScoped(BOB, (trx) =>
          sql`insert into todos (user_id, number, text, status, source) values (${alice.user.id}, 9, 'planted', 'open', 'sms')`.execute(
            trx,
          ),
        ),
      ).rejects.toThrow(/row-level security/);
      await expect(asScoped(BOB, (trx) => sql`update todos set user_id = ${alice.user.id}`.execute(trx))).rejects.toThrow(
        /row-level security/,
      );
      expect(await everythingOf(ALICE)).toEqual(alice);
    });
  });
});
