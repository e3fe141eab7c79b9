import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todo } from "@sms-todo/contracts";
import { MAX_LIST_NAME_LENGTH, REFERENCE_FRESH_MS } from "@sms-todo/rules";
import { startTodoDomain, type TodoDomainFixture } from "./todo-domain.fixture.js";

// Each test is one sender, so their todos, numbers and references never meet.
let phoneSequence = 0;
const newSender = () => `+1555444${(phoneSequence += 1).toString().padStart(4, "0")}`;
let keySequence = 0;
const context = (phoneNumber: string) => {
  const key = `sms:SM${(keySequence += 1).toString().padStart(32, "0")}`;
  return { phoneNumber, idempotencyKey: key, messageId: key.slice(4) };
};

type Selector = todo.TodoSelector["by"];
const byName = (value: string): Selector => ({ $case: "name", value });
const byNumber = (value: number): Selector => ({ $case: "number", value });
const byPosition = (value: number): Selector => ({ $case: "position", value });
const IT: Selector = { $case: "reference", value: true };
const ALL: Selector = { $case: "all", value: true };

type Outcome = todo.Outcome["kind"];

describe("todo selectors, named lists, find and the reference", () => {
  let domain: TodoDomainFixture;

  const outcomeOf = (response: { result?: todo.CommandResult }): Outcome => response.result?.outcome?.kind;
  const add = async (phoneNumber: string, texts: string[], list = "") =>
    outcomeOf(
      await domain.call("addTodos", { context: context(phoneNumber), texts, list, source: todo.TodoSource.TODO_SOURCE_SMS }),
    );
  const complete = async (phoneNumber: string, targets: Selector[], list = "") =>
    outcomeOf(
      await domain.call("completeTodos", { context: context(phoneNumber), targets: targets.map((by) => ({ by })), list }),
    );
  const remove = async (phoneNumber: string, targets: Selector[], list = "") =>
    outcomeOf(await domain.call("deleteTodos", { context: context(phoneNumber), targets: targets.map((by) => ({ by })), list }));
  const edit = async (phoneNumber: string, target: Selector, text: string, list = "") =>
    outcomeOf(await domain.call("editTodo", { context: context(phoneNumber), target: { by: target }, text, list }));
  const listOf = async (phoneNumber: string, list = "", countOnly = false) =>
    outcomeOf(await domain.call("listTodos", { context: context(phoneNumber), list, countOnly }));
  const find = async (phoneNumber: string, name: string, list = "", addIfMissing = false) =>
    outcomeOf(await domain.call("findTodo", { context: context(phoneNumber), name, list, addIfMissing }));
  const undo = async (phoneNumber: string) => outcomeOf(await domain.call("undo", { context: context(phoneNumber) }));

  /** "#2 eggs (shopping)" per open todo, by number. */
  const openTodos = async (phoneNumber: string) =>
    (await domain.call<todo.GetTodosResponse>("getTodos", { phoneNumber })).todos.map(
      (item) => `#${item.number} ${item.text}${item.list ? ` (${item.list})` : ""}`,
    );
  const labels = (todos: readonly todo.Todo[]) => todos.map((item) => `#${item.number} ${item.text}`);
  const userOf = (phoneNumber: string) =>
    domain.databases.todo.selectFrom("users").selectAll().where("phone_number", "=", phoneNumber).executeTakeFirstOrThrow();
  const auditActions = async (phoneNumber: string) => {
    const { id } = await userOf(phoneNumber);
    const rows = await domain.databases.audit
      .selectFrom("audit_events")
      .select(["action", "data"])
      .where("user_id", "=", id)
      .execute();
    return rows.map((row) => ({ action: row.action, data: row.data as Record<string, unknown> }));
  };
  const sagaCount = async (phoneNumber: string) => {
    const { id } = await userOf(phoneNumber);
    const row = await domain.databases.todo
      .selectFrom("saga_log")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("user_id", "=", id)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const ageReference = async (phoneNumber: string, ms: number) => {
    await domain.databases.todo
      .updateTable("users")
      .set({ last_named_at: sql<Date>`last_named_at - make_interval(secs => ${ms / 1000})` })
      .where("phone_number", "=", phoneNumber)
      .execute();
  };

  beforeAll(async () => {
    domain = await startTodoDomain();
  });
  afterAll(async () => {
    await domain.close();
  });

  describe("by name", () => {
    it("when the words match one open todo, then it alone is completed and the outcome names its number", async () => {
      const alice = newSender();
      await add(alice, ["buy milk", "call mom", "pay rent"]);
      expect(await complete(alice, [byName("call mom")])).toMatchObject({
        $case: "completed",
        value: { todos: [{ number: 2, text: "call mom" }], unknownNumbers: [] },
      });
      expect(await openTodos(alice)).toEqual(["#1 buy milk", "#3 pay rent"]);
      expect((await auditActions(alice)).map((event) => event.action)).toContain("todo.completed");
    });

    it("when the words match several open todos, then nothing changes and the candidates come back with the open todos", async () => {
      const alice = newSender();
      await add(alice, ["buy milk", "call mom", "buy oat milk"]);
      const sagas = await sagaCount(alice);
      const outcome = await remove(alice, [byName("milk")]);
      expect(outcome?.$case).toBe("notResolved");
      if (outcome?.$case !== "notResolved") return;
      expect(outcome.value).toMatchObject({
        action: todo.TodoAction.TODO_ACTION_DELETE,
        reason: todo.TodoNotResolved_Reason.REASON_AMBIGUOUS,
        query: "milk",
        list: "",
      });
      expect(labels(outcome.value.candidates).sort()).toEqual(["#1 buy milk", "#3 buy oat milk"]);
      expect(labels(outcome.value.open)).toEqual(["#1 buy milk", "#2 call mom", "#3 buy oat milk"]);
      expect(await openTodos(alice)).toHaveLength(3);
      expect(await sagaCount(alice)).toBe(sagas);
    });

    it("when the words match no open todo, then nothing changes and the outcome says so with the open todos", async () => {
      const alice = newSender();
      await add(alice, ["buy milk", "call mom"]);
      const outcome = await complete(alice, [byName("dentist appointment")]);
      expect(outcome).toMatchObject({
        $case: "notResolved",
        value: { reason: todo.TodoNotResolved_Reason.REASON_NO_MATCH, query: "dentist appointment", candidates: [] },
      });
      if (outcome?.$case === "notResolved") expect(labels(outcome.value.open)).toEqual(["#1 buy milk", "#2 call mom"]);
      expect(await openTodos(alice)).toEqual(["#1 buy milk", "#2 call mom"]);
    });

    it("when the words are long, then the outcome quotes at most 60 characters of them", async () => {
      const alice = newSender();
      await add(alice, ["buy milk"]);
      const outcome = await complete(alice, [byName("x".repeat(80))]);
      expect(outcome?.$case === "notResolved" && outcome.value.query).toBe("x".repeat(60));
    });

    it("when a number and a name are given together, then both act in one change", async () => {
      const alice = newSender();
      await add(alice, ["buy milk", "call mom", "pay rent"]);
      expect(await complete(alice, [byNumber(3), byName("call mom"), byNumber(9)])).toMatchObject({
        $case: "completed",
        value: { todos: [{ number: 2 }, { number: 3 }], unknownNumbers: [9], openNumbers: [1] },
      });
    });

    it("when a name is found inside a named list only, then todos of other lists do not make it ambiguous", async () => {
      const alice = newSender();
      await add(alice, ["buy milk"]);
      await add(alice, ["milk", "eggs"], "grocery");
      expect(await remove(alice, [byName("milk")], "grocery")).toMatchObject({
        $case: "deleted",
        value: { todos: [{ number: 2, text: "milk", list: "grocery" }] },
      });
      expect(await openTodos(alice)).toEqual(["#1 buy milk", "#3 eggs (grocery)"]);
    });

    it("when an edit names its todo by words, then that todo gets the new text and the audit event names the list", async () => {
      const alice = newSender();
      await add(alice, ["dentist", "call mom"], "errands");
      expect(await edit(alice, byName("dentist"), "dentist at 2pm")).toMatchObject({
        $case: "edited",
        value: { todo: { number: 1, text: "dentist at 2pm", list: "errands" }, previousText: "dentist" },
      });
      expect((await auditActions(alice)).find((event) => event.action === "todo.edited")?.data).toMatchObject({
        number: 1,
        text: "dentist at 2pm",
        list: "errands",
      });
    });

    it("when an edit's words are ambiguous, then nothing changes and the outcome carries the new text", async () => {
      const alice = newSender();
      await add(alice, ["buy milk", "buy oat milk"]);
      expect(await edit(alice, byName("milk"), "buy soy milk")).toMatchObject({
        $case: "notResolved",
        value: {
          action: todo.TodoAction.TODO_ACTION_EDIT,
          reason: todo.TodoNotResolved_Reason.REASON_AMBIGUOUS,
          text: "buy soy milk",
        },
      });
      expect(await openTodos(alice)).toEqual(["#1 buy milk", "#2 buy oat milk"]);
    });
  });

  describe("by position", () => {
    it("when a position is given without a list, then it counts lines as the list shows them: default list first, then lists by name", async () => {
      const alice = newSender();
      await add(alice, ["eggs"], "shopping"); // #1
      await add(alice, ["call mom"]); // #2
      await add(alice, ["screws"], "hardware"); // #3
      await add(alice, ["pay rent"]); // #4
      // Shown as: #2 call mom, #4 pay rent, Hardware: #3 screws, Shopping: #1 eggs.
      expect(await complete(alice, [byPosition(3)])).toMatchObject({ $case: "completed", value: { todos: [{ number: 3 }] } });
      expect(await complete(alice, [byPosition(-1)])).toMatchObject({ $case: "completed", value: { todos: [{ number: 1 }] } });
      expect(await complete(alice, [byPosition(1)])).toMatchObject({ $case: "completed", value: { todos: [{ number: 2 }] } });
      expect(await openTodos(alice)).toEqual(["#4 pay rent"]);
    });

    it("when a position is given with a list, then it counts inside that list", async () => {
      const alice = newSender();
      await add(alice, ["buy milk", "call mom"]);
      await add(alice, ["eggs", "bread"], "shopping");
      expect(await remove(alice, [byPosition(2)], "shopping")).toMatchObject({
        $case: "deleted",
        value: { todos: [{ number: 4, text: "bread" }] },
      });
    });

    it("when a position is past the end, then nothing changes and the outcome says there is no such line", async () => {
      const alice = newSender();
      await add(alice, ["buy milk"]);
      expect(await complete(alice, [byPosition(2)])).toMatchObject({
        $case: "notResolved",
        value: { reason: todo.TodoNotResolved_Reason.REASON_NO_SUCH_POSITION, action: todo.TodoAction.TODO_ACTION_COMPLETE },
      });
      expect(await openTodos(alice)).toEqual(["#1 buy milk"]);
    });
  });

  describe("by reference", () => {
    it('when the last reply named one todo, then "it" means that todo', async () => {
      const alice = newSender();
      await add(alice, ["buy milk", "call mom"]);
      await add(alice, ["pay rent"]);
      expect((await userOf(alice)).last_named_todo_id).not.toBeNull();
      expect(await remove(alice, [IT])).toMatchObject({ $case: "deleted", value: { todos: [{ number: 3, text: "pay rent" }] } });
    });

    it('when a found todo is named, then "it" means it, and an edit of "it" changes it', async () => {
      const alice = newSender();
      await add(alice, ["buy milk", "call mom"]);
      expect(await find(alice, "milk")).toMatchObject({ $case: "found", value: { matches: [{ number: 1 }] } });
      expect(await edit(alice, IT, "buy oat milk")).toMatchObject({
        $case: "edited",
        value: { todo: { number: 1, text: "buy oat milk" } },
      });
    });

    it('when the last reply named several todos, then the reference is cleared and "it" asks which', async () => {
      const alice = newSender();
      await add(alice, ["buy milk"]);
      await listOf(alice); // one todo listed: still that one
      expect((await userOf(alice)).last_named_todo_id).not.toBeNull();
      await add(alice, ["call mom", "pay rent"]);
      expect((await userOf(alice)).last_named_todo_id).toBeNull();
      const outcome = await complete(alice, [IT]);
      expect(outcome).toMatchObject({ $case: "notResolved", value: { reason: todo.TodoNotResolved_Reason.REASON_NO_REFERENCE } });
      if (outcome?.$case === "notResolved") expect(outcome.value.open).toHaveLength(3);
      expect(await openTodos(alice)).toHaveLength(3);
    });

    it('when the reply naming a todo was sent longer ago than the reference lasts, then "it" asks which', async () => {
      const alice = newSender();
      await add(alice, ["buy milk"]);
      await ageReference(alice, REFERENCE_FRESH_MS + 60_000);
      expect(await complete(alice, [IT])).toMatchObject({
        $case: "notResolved",
        value: { reason: todo.TodoNotResolved_Reason.REASON_NO_REFERENCE },
      });
      await ageReference(alice, -REFERENCE_FRESH_MS); // a minute old again
      expect(await complete(alice, [IT])).toMatchObject({ $case: "completed", value: { todos: [{ number: 1 }] } });
    });

    it('when the named todo was closed since, then "it" asks which', async () => {
      const alice = newSender();
      await add(alice, ["buy milk", "call mom"]);
      expect(await complete(alice, [byNumber(2)])).toMatchObject({ $case: "completed" });
      expect(await remove(alice, [IT])).toMatchObject({
        $case: "notResolved",
        value: { reason: todo.TodoNotResolved_Reason.REASON_NO_REFERENCE },
      });
      expect(await openTodos(alice)).toEqual(["#1 buy milk"]);
    });

    it("when a reply names no todo, then the reference stays", async () => {
      const alice = newSender();
      await add(alice, ["buy milk", "call mom"]);
      await add(alice, ["pay rent"]);
      await domain.call("showHelp", { context: context(alice) });
      await listOf(alice, "", true);
      expect(await complete(alice, [IT])).toMatchObject({ $case: "completed", value: { todos: [{ number: 3 }] } });
    });
  });

  describe("all", () => {
    it("when every todo is to be deleted, then nothing changes, nothing is audited, and the outcome lists what would go", async () => {
      const alice = newSender();
      await add(alice, ["buy milk", "call mom"]);
      await add(alice, ["eggs", "bread"], "shopping");
      const sagas = await sagaCount(alice);
      const audited = (await auditActions(alice)).length;
      const outcome = await remove(alice, [ALL]);
      expect(outcome).toMatchObject({
        $case: "confirmationNeeded",
        value: { action: todo.TodoAction.TODO_ACTION_DELETE, list: "" },
      });
      if (outcome?.$case === "confirmationNeeded")
        expect(labels(outcome.value.todos)).toEqual(["#1 buy milk", "#2 call mom", "#3 eggs", "#4 bread"]);
      expect(await openTodos(alice)).toHaveLength(4);
      expect(await sagaCount(alice)).toBe(sagas);
      expect(await auditActions(alice)).toHaveLength(audited);
    });

    it("when all of one list is to be completed and the confirming numbers follow, then exactly those todos are completed", async () => {
      const alice = newSender();
      await add(alice, ["buy milk"]);
      await add(alice, ["eggs", "bread"], "shopping");
      await add(alice, ["call mom"]);
      const outcome = await complete(alice, [ALL], "shopping");
      expect(outcome?.$case).toBe("confirmationNeeded");
      if (outcome?.$case !== "confirmationNeeded") return;
      expect(outcome.value.list).toBe("shopping");
      const numbers = outcome.value.todos.map((item) => item.number);
      expect(numbers).toEqual([2, 3]);
      expect(await openTodos(alice)).toHaveLength(4);

      expect(await complete(alice, numbers.map(byNumber))).toMatchObject({
        $case: "completed",
        value: { todos: [{ number: 2 }, { number: 3 }], unknownNumbers: [] },
      });
      expect(await openTodos(alice)).toEqual(["#1 buy milk", "#4 call mom"]);
    });

    it("when all is combined with another target, then the call is refused", async () => {
      const alice = newSender();
      await add(alice, ["buy milk"]);
      await expect(remove(alice, [ALL, byNumber(1)])).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
      await expect(edit(alice, ALL, "x")).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    });
  });

  describe("named lists", () => {
    it("when todos go on named lists, then numbers are per user across lists and stay put as lists change", async () => {
      const alice = newSender();
      expect(await add(alice, ["buy milk"])).toMatchObject({ value: { todos: [{ number: 1, list: "" }] } });
      expect(await add(alice, ["eggs", "bread"], "Shopping")).toMatchObject({
        value: {
          todos: [
            { number: 2, list: "shopping" },
            { number: 3, list: "shopping" },
          ],
        },
      });
      await complete(alice, [byNumber(2)]);
      expect(await add(alice, ["screws"], "hardware")).toMatchObject({ value: { todos: [{ number: 2, list: "hardware" }] } });
      expect(await openTodos(alice)).toEqual(["#1 buy milk", "#2 screws (hardware)", "#3 bread (shopping)"]);
      expect(
        (await auditActions(alice)).filter((event) => event.action === "todo.added").map((event) => event.data.list),
      ).toEqual(["", "shopping", "shopping", "hardware"]);
    });

    it("when every list is asked for, then the todos come grouped as the list shows them", async () => {
      const alice = newSender();
      await add(alice, ["eggs"], "shopping");
      await add(alice, ["call mom"]);
      await add(alice, ["screws"], "hardware");
      const outcome = await listOf(alice);
      expect(outcome).toMatchObject({ $case: "list", value: { list: "", countOnly: false } });
      if (outcome?.$case === "list") expect(labels(outcome.value.todos)).toEqual(["#2 call mom", "#3 screws", "#1 eggs"]);
    });

    it("when one list is asked for, then only its todos come back, and a count asks for no todo to be named", async () => {
      const alice = newSender();
      await add(alice, ["call mom"]);
      await add(alice, ["eggs", "bread"], "shopping");
      const outcome = await listOf(alice, "shopping");
      if (outcome?.$case !== "list") throw new Error(`expected a list, got ${outcome?.$case}`);
      expect(labels(outcome.value.todos)).toEqual(["#2 eggs", "#3 bread"]);
      expect(outcome.value.list).toBe("shopping");
      expect(await listOf(alice, "", true)).toMatchObject({ $case: "list", value: { countOnly: true } });
      expect(await listOf(alice, "garden")).toMatchObject({ $case: "list", value: { todos: [], list: "garden" } });
    });

    it("when an add into a list is undone, then those todos are gone and the list with them", async () => {
      const alice = newSender();
      await add(alice, ["buy milk"]);
      await add(alice, ["eggs", "bread"], "shopping");
      expect(await undo(alice)).toMatchObject({
        $case: "undone",
        value: { change: todo.UndoneChange.UNDONE_CHANGE_ADD, todos: [{ text: "eggs", list: "shopping" }, { text: "bread" }] },
      });
      expect(await openTodos(alice)).toEqual(["#1 buy milk"]);
      expect(await listOf(alice, "shopping")).toMatchObject({ $case: "list", value: { todos: [] } });
    });

    it("when a list name is too long or has other characters, then the call is refused and nothing is added", async () => {
      const alice = newSender();
      await expect(add(alice, ["eggs"], "s".repeat(MAX_LIST_NAME_LENGTH + 1))).rejects.toMatchObject({
        code: "INVALID_ARGUMENT",
      });
      await expect(add(alice, ["eggs"], "shop/ping")).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
      await expect(listOf(alice, "a;b")).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
      expect(await openTodos(alice)).toEqual([]);
    });

    it("when a voice note's todos go on a list, then they are added there", async () => {
      const alice = newSender();
      const response = await domain.call<todo.RecordVoiceNoteResponse>("recordVoiceNote", {
        context: context(alice),
        transcript: "add eggs and bread to the shopping list",
        texts: ["eggs", "bread"],
        list: "shopping",
        media: { url: "https://api.twilio.com/media/ME1", contentType: "audio/ogg", sizeBytes: 1_000, durationSeconds: 2 },
      });
      expect(outcomeOf(response)).toMatchObject({
        $case: "added",
        value: { todos: [{ list: "shopping" }, { list: "shopping" }] },
      });
      expect(await openTodos(alice)).toEqual(["#1 eggs (shopping)", "#2 bread (shopping)"]);
    });
  });

  describe("find", () => {
    it("when an open todo matches, then it is found with its number and list, and nothing changes", async () => {
      const alice = newSender();
      await add(alice, ["call mom"]);
      await add(alice, ["milk"], "shopping");
      const sagas = await sagaCount(alice);
      expect(await find(alice, "milk")).toMatchObject({
        $case: "found",
        value: { query: "milk", matches: [{ number: 2, text: "milk", list: "shopping" }], list: "" },
      });
      expect(await sagaCount(alice)).toBe(sagas);
    });

    it("when no open todo matches, or only one of another list, then none is found", async () => {
      const alice = newSender();
      await add(alice, ["milk"], "shopping");
      expect(await find(alice, "cereal")).toMatchObject({ $case: "found", value: { query: "cereal", matches: [] } });
      expect(await find(alice, "milk", "hardware")).toMatchObject({ $case: "found", value: { matches: [], list: "hardware" } });
    });

    it("when a todo is to be added only if missing and it is on the list, then it is found and nothing is added", async () => {
      const alice = newSender();
      await add(alice, ["eggs"], "shopping");
      const sagas = await sagaCount(alice);
      expect(await find(alice, "eggs", "shopping", true)).toMatchObject({ $case: "found", value: { matches: [{ number: 1 }] } });
      expect(await openTodos(alice)).toEqual(["#1 eggs (shopping)"]);
      expect(await sagaCount(alice)).toBe(sagas);
    });

    it("when a todo is to be added only if missing and it is not on the list, then it is added there, audited and undoable", async () => {
      const alice = newSender();
      await add(alice, ["eggs"], "hardware");
      const added = async () => (await auditActions(alice)).filter((event) => event.action === "todo.added").length;
      const addedBefore = await added();
      expect(await find(alice, "eggs", "shopping", true)).toMatchObject({
        $case: "added",
        value: { todos: [{ number: 2, text: "eggs", list: "shopping" }] },
      });
      expect(await openTodos(alice)).toEqual(["#1 eggs (hardware)", "#2 eggs (shopping)"]);
      expect(await added()).toBe(addedBefore + 1);
      await undo(alice);
      expect(await openTodos(alice)).toEqual(["#1 eggs (hardware)"]);
    });
  });
});
