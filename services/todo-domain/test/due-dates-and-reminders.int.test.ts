import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { messaging, todo } from "@sms-todo/contracts";
import { listReminderClaims } from "../src/reminders/reminder-claim.repository.js";
import { startTodoDomain, type TodoDomainFixture } from "./todo-domain.fixture.js";

// Time on a fake clock: every command carries the moment ingress accepted it (received_at_ms) and
// every claim its scheduler's clock (as_of_ms), so these cases run on dates of their own choosing,
// DST changes included, whatever the real time.

let sequence = 0;
let phones = 0;
/** New York numbers (+1 212): America/New_York until the user sets a zone. */
const newUsPhone = () => `+1212777${(phones += 1).toString().padStart(4, "0")}`;

const context = (phoneNumber: string, receivedAt: string) => {
  const key = `sms:SM${(sequence += 1).toString().padStart(32, "0")}`;
  return { phoneNumber, idempotencyKey: key, messageId: key.slice(4), receivedAtMs: Date.parse(receivedAt) };
};

type Outcome = NonNullable<todo.Outcome["kind"]>;

describe("due dates, reminders, recurrence and snooze", () => {
  let domain: TodoDomainFixture;
  /** Users made by the running case; afterEach opts them out, so their reminders are claimed silently from then on. */
  let madeInThisCase: string[] = [];

  const userOf = (phone: string) =>
    domain.databases.todo.selectFrom("users").select(["id"]).where("phone_number", "=", phone).executeTakeFirstOrThrow();

  /** Runs a command and takes its reply, returning the reply's outcome. */
  async function command(method: Parameters<TodoDomainFixture["call"]>[0], request: object): Promise<Outcome> {
    await domain.call(method, request);
    const [reply] = await domain.takeReplies(1);
    const kind = reply?.outcome?.kind;
    if (kind === undefined) throw new Error("a reply without an outcome");
    return kind;
  }

  async function add(phone: string, at: string, texts: string[], timings: todo.Timing[]): Promise<Outcome> {
    madeInThisCase.push(phone);
    return command("addTodos", { context: context(phone, at), texts, timings, source: todo.TodoSource.TODO_SOURCE_SMS });
  }

  const claim = (asOf: string) =>
    domain.call<todo.ClaimDueRemindersResponse>("claimDueReminders", { asOfMs: Date.parse(asOf), limit: 100 });

  /** The reminder events in the outbox for this phone, oldest first. */
  async function remindersOf(phone: string): Promise<Array<{ number: number; text: string; time: string; late: boolean }>> {
    const rows = await domain.databases.todo.selectFrom("outbox").select(["payload"]).orderBy("id").execute();
    return rows.flatMap((row) => {
      const reply = messaging.ReplyRequested.decode(row.payload);
      const kind = reply.outcome?.kind;
      if (reply.phoneNumber !== phone || kind?.$case !== "reminder") return [];
      const item = kind.value.todo!;
      return [{ number: item.number, text: item.text, time: item.due?.localTime ?? "", late: kind.value.late }];
    });
  }

  /** Claims as the notifiers do, and takes the replies queued for this phone (other users' are silent). */
  async function claimAndTake(asOf: string): Promise<number> {
    const claimed = await claim(asOf);
    if (claimed.queued > 0) await domain.takeReplies(claimed.queued);
    return claimed.queued;
  }

  const dueOf = (outcome: Outcome) => {
    if (outcome.$case !== "added") throw new Error(`expected an add, got ${outcome.$case}`);
    return outcome.value.todos.map((item) => ({ text: item.text, due: item.due }));
  };

  beforeAll(async () => {
    domain = await startTodoDomain();
  });
  afterEach(async () => {
    for (const phone of madeInThisCase) {
      await domain.call("setSubscription", { context: context(phone, "2026-01-01T00:00:00Z"), subscribed: false });
    }
    madeInThisCase = [];
  });
  afterAll(async () => {
    await domain.close();
  });

  it("when 'call mom' comes with 'tomorrow at 5pm', then it is due tomorrow 17:00 in the sender's zone and the reply says so", async () => {
    const phone = newUsPhone();
    // Monday 2026-11-16 10:00 in New York (EST, UTC-5).
    const added = await add(
      phone,
      "2026-11-16T15:00:00Z",
      ["call mom", "buy milk"],
      [
        { when: "tomorrow at 5pm", every: "" },
        { when: "", every: "" },
      ],
    );
    expect(dueOf(added)).toEqual([
      {
        text: "call mom",
        due: {
          localDate: "2026-11-17",
          localTime: "17:00",
          atMs: Date.parse("2026-11-17T22:00:00Z"),
          repeat: "",
          day: todo.DueDay.DUE_DAY_TOMORROW,
        },
      },
      { text: "buy milk", due: undefined },
    ]);
    const row = await domain.databases.todo
      .selectFrom("todos")
      .select(["due_date", "due_time", "due_at", "due_pinned", "recurrence"])
      .where("text", "=", "call mom")
      .where("user_id", "=", (await userOf(phone)).id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      due_date: "2026-11-17",
      due_time: "17:00",
      due_at: new Date("2026-11-17T22:00:00Z"),
      due_pinned: false,
      recurrence: null,
    });
  });

  it("when a list is asked for, then todos with a due lead, soonest first, and 'due today' and 'overdue' show only those", async () => {
    const phone = newUsPhone();
    await add(
      phone,
      "2026-11-16T15:00:00Z",
      ["no date", "friday thing", "today thing", "late thing"],
      [
        { when: "", every: "" },
        { when: "friday", every: "" },
        { when: "at 11am", every: "" },
        { when: "in 30 minutes", every: "" },
      ],
    );
    const list = async (due: todo.DueFilter, at: string) => {
      const outcome = await command("listTodos", { context: context(phone, at), due });
      if (outcome.$case !== "list") throw new Error("expected a list");
      return outcome.value.todos.map((item) => `${item.text}:${item.due?.day ?? "-"}`);
    };
    // 11:45 New York: "late thing" (10:30) and "today thing" (11:00) have passed.
    const at = "2026-11-16T16:45:00Z";
    expect(await list(todo.DueFilter.DUE_FILTER_UNSPECIFIED, at)).toEqual([
      `late thing:${todo.DueDay.DUE_DAY_OVERDUE}`,
      `today thing:${todo.DueDay.DUE_DAY_OVERDUE}`,
      `friday thing:${todo.DueDay.DUE_DAY_LATER}`,
      "no date:-",
    ]);
    expect(await list(todo.DueFilter.DUE_FILTER_OVERDUE, at)).toEqual([
      `late thing:${todo.DueDay.DUE_DAY_OVERDUE}`,
      `today thing:${todo.DueDay.DUE_DAY_OVERDUE}`,
    ]);
    expect(await list(todo.DueFilter.DUE_FILTER_WEEK, at)).toHaveLength(3);
    // At 10:00 nothing has passed yet: today's todos are due today.
    expect(await list(todo.DueFilter.DUE_FILTER_TODAY, "2026-11-16T15:05:00Z")).toEqual([
      `late thing:${todo.DueDay.DUE_DAY_TODAY}`,
      `today thing:${todo.DueDay.DUE_DAY_TODAY}`,
    ]);
  });

  it("when a timed todo's minute comes, then one reminder is queued however often and by however many callers it is claimed", async () => {
    const phone = newUsPhone();
    await add(phone, "2026-11-18T15:00:00Z", ["stretch"], [{ when: "at 10:02am", every: "" }]);
    expect(await claimAndTake("2026-11-18T15:01:00Z")).toBe(0);
    const racing = await Promise.all([1, 2, 3].map(() => claim("2026-11-18T15:02:00Z")));
    expect(racing.map((result) => result.queued).sort()).toEqual([0, 0, 1]);
    await domain.takeReplies(1);
    expect(await claimAndTake("2026-11-18T15:03:00Z")).toBe(0);
    expect(await remindersOf(phone)).toEqual([{ number: 1, text: "stretch", time: "10:02", late: false }]);
    const claims = await listReminderClaims(domain.databases.todo, (await userOf(phone)).id);
    expect(claims.map((row) => [row.dueAt.toISOString(), row.late])).toEqual([["2026-11-18T15:02:00.000Z", false]]);
  });

  it("when a reminder fell due while every notifier was down, then it goes out late once they are back, but not in the night", async () => {
    const phone = newUsPhone();
    const night = newUsPhone();
    await add(phone, "2026-11-19T15:00:00Z", ["call the bank"], [{ when: "at 1pm", every: "" }]);
    await add(night, "2026-11-19T15:00:00Z", ["water the garden"], [{ when: "at 6pm", every: "" }]);
    // Back at 15:30 New York: the 13:00 one goes, marked late; the 18:00 one is not due yet.
    expect(await claimAndTake("2026-11-19T20:30:00Z")).toBe(1);
    expect(await remindersOf(phone)).toEqual([{ number: 1, text: "call the bank", time: "13:00", late: true }]);
    // Down again from 17:00 to 03:00: hours late in the quiet hours, the 18:00 reminder waits for 08:00.
    expect(await claimAndTake("2026-11-20T08:00:00Z")).toBe(0);
    expect(await claimAndTake("2026-11-20T13:00:00Z")).toBe(1);
    expect(await remindersOf(night)).toEqual([{ number: 1, text: "water the garden", time: "18:00", late: true }]);
  });

  it("when the user has opted out, then the reminder is claimed with nothing sent, and opting in later brings no old reminder", async () => {
    const phone = newUsPhone();
    await add(phone, "2026-11-20T15:00:00Z", ["feed the cat"], [{ when: "at 11am", every: "" }]);
    await domain.call("setSubscription", { context: context(phone, "2026-11-20T15:01:00Z"), subscribed: false });
    expect(await claimAndTake("2026-11-20T16:00:00Z")).toBe(0);
    await domain.call("setSubscription", { context: context(phone, "2026-11-20T16:01:00Z"), subscribed: true });
    expect(await claimAndTake("2026-11-20T16:02:00Z")).toBe(0);
    expect(await remindersOf(phone)).toEqual([]);
    const claims = await listReminderClaims(domain.databases.todo, (await userOf(phone)).id);
    expect(claims.map((row) => row.replyEventId)).toEqual([null]);
  });

  it("when clocks spring forward and fall back, then a 9am reminder comes at 9am local on both days", async () => {
    const phone = newUsPhone();
    // Said on Saturday 2026-03-07 at noon EST, for Sunday 2026-03-08, when New York moves to EDT at 02:00.
    await add(phone, "2026-03-07T17:00:00Z", ["spring"], [{ when: "tomorrow at 9am", every: "" }]);
    expect(await claimAndTake("2026-03-08T12:59:00Z")).toBe(0);
    expect(await claimAndTake("2026-03-08T13:00:00Z")).toBe(1); // 09:00 EDT
    // Said on Saturday 2026-10-31, for Sunday 2026-11-01, when New York moves back to EST at 02:00.
    await add(phone, "2026-10-31T16:00:00Z", ["fall"], [{ when: "tomorrow at 9am", every: "" }]);
    expect(await claimAndTake("2026-11-01T13:00:00Z")).toBe(0); // 08:00 EST
    expect(await claimAndTake("2026-11-01T14:00:00Z")).toBe(1); // 09:00 EST
    expect((await remindersOf(phone)).map((reminder) => [reminder.text, reminder.time, reminder.late])).toEqual([
      ["spring", "09:00", false],
      ["fall", "09:00", false],
    ]);
  });

  it("when 'every monday' is completed, then the todo keeps its number and comes back due next Monday, and undo puts it back", async () => {
    const phone = newUsPhone();
    // Monday 2026-11-23, 10:00 New York.
    const added = await add(phone, "2026-11-23T15:00:00Z", ["take out the trash"], [{ when: "", every: "every monday" }]);
    expect(dueOf(added)[0]?.due).toMatchObject({ localDate: "2026-11-23", localTime: "", repeat: "every Monday" });
    const done = await command("completeTodos", {
      context: context(phone, "2026-11-23T18:00:00Z"),
      targets: [{ by: { $case: "number", value: 1 } }],
    });
    expect(done).toMatchObject({
      $case: "completed",
      value: {
        todos: [
          {
            number: 1,
            text: "take out the trash",
            status: todo.TodoStatus.TODO_STATUS_OPEN,
            due: { localDate: "2026-11-30", repeat: "every Monday" },
          },
        ],
      },
    });
    const undone = await command("undo", { context: context(phone, "2026-11-23T18:01:00Z") });
    expect(undone).toMatchObject({ $case: "undone", value: { todos: [{ number: 1, due: { localDate: "2026-11-23" } }] } });
    const stopped = await command("stopRepeating", {
      context: context(phone, "2026-11-23T18:02:00Z"),
      target: { by: { $case: "number", value: 1 } },
    });
    expect(stopped).toMatchObject({ $case: "repeatStopped", value: { todo: { number: 1, due: { repeat: "" } } } });
    const closed = await command("completeTodos", {
      context: context(phone, "2026-11-23T18:03:00Z"),
      targets: [{ by: { $case: "number", value: 1 } }],
    });
    expect(closed).toMatchObject({ $case: "completed", value: { todos: [{ status: todo.TodoStatus.TODO_STATUS_DONE }] } });
  });

  it("when a monthly todo on the 31st is completed month after month, then it falls on each month's last day", async () => {
    const phone = newUsPhone();
    await add(phone, "2026-01-31T15:00:00Z", ["pay rent"], [{ when: "", every: "every month on the 31st" }]);
    const dates: string[] = [];
    for (const at of ["2026-01-31T18:00:00Z", "2026-02-28T18:00:00Z", "2026-03-31T18:00:00Z"]) {
      const done = await command("completeTodos", {
        context: context(phone, at),
        targets: [{ by: { $case: "number", value: 1 } }],
      });
      if (done.$case !== "completed") throw new Error("expected a completion");
      dates.push(done.value.todos[0]?.due?.localDate ?? "");
    }
    expect(dates).toEqual(["2026-02-28", "2026-03-31", "2026-04-30"]);
  });

  it("when 'snooze 1 1h' follows a reminder, then the todo is due an hour later, reminded again then, and undo moves it back", async () => {
    const phone = newUsPhone();
    await add(phone, "2026-11-24T15:00:00Z", ["call mom"], [{ when: "at 11am", every: "" }]);
    expect(await claimAndTake("2026-11-24T16:00:00Z")).toBe(1);
    const snoozed = await command("rescheduleTodo", {
      context: context(phone, "2026-11-24T16:01:00Z"),
      target: { by: { $case: "number", value: 1 } },
      when: "in 1h",
    });
    expect(snoozed).toMatchObject({
      $case: "rescheduled",
      value: { todo: { number: 1, due: { localTime: "12:01" } }, previous: { localTime: "11:00" } },
    });
    expect(await claimAndTake("2026-11-24T17:00:00Z")).toBe(0);
    expect(await claimAndTake("2026-11-24T17:01:00Z")).toBe(1);
    // "later" answers the reminder just sent: the reminded todo moves by the default hour.
    const later = await command("rescheduleTodo", {
      context: context(phone, "2026-11-24T17:02:00Z"),
      target: { by: { $case: "reference", value: true } },
      when: "in 1 hour",
    });
    expect(later).toMatchObject({ $case: "rescheduled", value: { todo: { number: 1, due: { localTime: "13:02" } } } });
    await command("undo", { context: context(phone, "2026-11-24T17:03:00Z") });
    const list = await command("listTodos", { context: context(phone, "2026-11-24T17:04:00Z") });
    expect(list).toMatchObject({ $case: "list", value: { todos: [{ due: { localTime: "12:01" } }] } });
    expect((await remindersOf(phone)).map((reminder) => reminder.time)).toEqual(["11:00", "12:01"]);
  });

  it("when 'later' is sent while no reminder is due, then nothing is moved and the reply asks which todo", async () => {
    const phone = newUsPhone();
    await add(phone, "2026-11-25T15:00:00Z", ["buy stamps"], [{ when: "at 3pm", every: "" }]);
    const later = await command("rescheduleTodo", {
      context: context(phone, "2026-11-25T15:01:00Z"),
      target: { by: { $case: "reference", value: true } },
      when: "in 1 hour",
    });
    expect(later).toMatchObject({ $case: "notResolved", value: { action: todo.TodoAction.TODO_ACTION_RESCHEDULE } });
  });

  it("when the user changes timezone with reminders pending, then a clock time keeps its local time and 'in 2 hours' keeps its moment", async () => {
    const phone = newUsPhone();
    await add(
      phone,
      "2026-11-26T15:00:00Z",
      ["call mom", "check the oven"],
      [
        { when: "at 5pm", every: "" },
        { when: "in 2 hours", every: "" },
      ],
    );
    await command("updateSettings", {
      context: context(phone, "2026-11-26T15:01:00Z"),
      change: { $case: "timezone", value: "America/Los_Angeles" },
    });
    const list = await command("listTodos", { context: context(phone, "2026-11-26T15:02:00Z") });
    if (list.$case !== "list") throw new Error("expected a list");
    expect(list.value.todos.map((item) => [item.text, item.due?.localTime, new Date(item.due?.atMs ?? 0).toISOString()])).toEqual(
      [
        ["check the oven", "09:00", "2026-11-26T17:00:00.000Z"],
        ["call mom", "17:00", "2026-11-27T01:00:00.000Z"],
      ],
    );
  });

  it("when the time words cannot be read, then the words stay in the todo's text and nothing is lost", async () => {
    const phone = newUsPhone();
    const added = await add(phone, "2026-11-27T15:00:00Z", ["call mom"], [{ when: "whenever the stars align", every: "" }]);
    expect(dueOf(added)).toEqual([{ text: "call mom whenever the stars align", due: undefined }]);
  });
});
