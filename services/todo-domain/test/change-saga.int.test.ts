import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { messaging, todo } from "@sms-todo/contracts";
import { SAGA_STEPS, type SagaStep } from "../src/sagas/saga.types.js";
import { startTodoDomain, type TodoDomainFixture } from "./todo-domain.fixture.js";

/** fail: the step throws; crash: the saga stops there; audit-down: the audit database is unreachable from there on. */
type Fault = { step: SagaStep; mode: "fail" | "crash" | "audit-down" };

describe("change saga", () => {
  let domain: TodoDomainFixture;
  let fault: Fault | undefined;
  const releaseCrashed: Array<() => void> = [];

  beforeAll(async () => {
    domain = await startTodoDomain({
      // Recovery runs only when a test asks for it, and then takes every unfinished saga.
      sagaRecovery: { intervalMs: 3_600_000, stalledAfterMs: 0 },
      beforeSagaStep: async (step) => {
        if (fault?.step !== step) return;
        if (fault.mode === "fail") throw new Error(`injected failure before ${step}`);
        if (fault.mode === "audit-down") {
          await sql`alter table audit_events rename to audit_events_unreachable`.execute(domain.databases.audit);
          return;
        }
        // A crash: the saga stops here and nothing of it runs on, until the test ends.
        await new Promise<void>((resolve) => releaseCrashed.push(resolve));
      },
    });
  });
  afterAll(async () => {
    fault = undefined;
    for (const release of releaseCrashed) release();
    await domain.close();
  });

  const phone = (n: number) => `+1555999${n.toString().padStart(4, "0")}`;
  const add = (phoneNumber: string, key: string, deadlineMs = 10_000) =>
    domain.call<todo.AddTodosResponse>(
      "addTodos",
      {
        context: { phoneNumber, idempotencyKey: key, messageId: key },
        texts: ["water plants"],
        source: todo.TodoSource.TODO_SOURCE_SMS,
      },
      deadlineMs,
    );
  const stateOf = async (phoneNumber: string) => {
    const user = await domain.databases.todo
      .selectFrom("users")
      .select("id")
      .where("phone_number", "=", phoneNumber)
      .executeTakeFirstOrThrow();
    const todos = await domain.databases.todo
      .selectFrom("todos")
      .select(["id", "status"])
      .where("user_id", "=", user.id)
      .execute();
    const audit = await domain.databases.audit
      .selectFrom("audit_events")
      .select(["action", "todo_id"])
      .where("user_id", "=", user.id)
      .execute();
    const sagas = await domain.databases.todo
      .selectFrom("saga_log")
      .select(["status"])
      .where("payload", "@>", JSON.stringify({ userId: user.id }))
      .execute();
    return { todos, audit, sagas: sagas.map((s) => s.status) };
  };

  for (const step of ["audited", "finished"] as const) {
    it(`when the saga fails before "${step}", then it is compensated: no todo, no audit event, and a retry applies it once`, async () => {
      const user = phone(step === "audited" ? 1 : 2);
      fault = { step, mode: "fail" };
      await expect(add(user, `key-fail-${step}`)).rejects.toMatchObject({ code: "UNAVAILABLE" });
      expect(await stateOf(user)).toEqual({ todos: [], audit: [], sagas: ["compensated"] });

      fault = undefined;
      const retry = await add(user, `key-fail-${step}`);
      expect(retry.result?.duplicate).toBe(false);
      const after = await stateOf(user);
      expect(after.todos).toHaveLength(1);
      expect(after.audit).toEqual([{ action: "todo.added", todo_id: after.todos[0]?.id }]);
      expect(after.sagas.sort()).toEqual(["compensated", "completed"]);
      const [reply] = await domain.takeReplies(1);
      expect(reply?.phoneNumber).toBe(user);
    });
  }

  it("when the audit database fails while the saga runs and while it is rolled back, then a retry waits for the rollback instead of passing for a duplicate", async () => {
    const user = phone(5);
    const key = "key-audit-down";
    fault = { step: "audited", mode: "audit-down" };
    try {
      await expect(add(user, key)).rejects.toHaveProperty("code");
      fault = undefined;
      const sagas = await domain.databases.todo
        .selectFrom("saga_log")
        .select("status")
        .where("payload", "@>", JSON.stringify({ idempotencyKey: key }))
        .execute();
      expect(sagas.map((saga) => saga.status)).toEqual(["compensating"]);

      // The rollback has not finished: the retry is refused as retryable, not acked as done.
      await expect(add(user, key)).rejects.toMatchObject({ code: "UNAVAILABLE" });
    } finally {
      fault = undefined;
      await sql`alter table if exists audit_events_unreachable rename to audit_events`.execute(domain.databases.audit);
    }

    expect(await domain.app.recoverStalledSagas()).toBe(1);
    expect(await stateOf(user)).toEqual({ todos: [], audit: [], sagas: ["compensated"] });
    const retry = await add(user, key);
    expect(retry.result?.duplicate).toBe(false);
    const after = await stateOf(user);
    expect(after.todos).toHaveLength(1);
    expect(after.audit).toEqual([{ action: "todo.added", todo_id: after.todos[0]?.id }]);
    const [reply] = await domain.takeReplies(1);
    expect(reply?.phoneNumber).toBe(user);
  });

  for (const step of ["audited", "finished"] as const) {
    it(`when the process dies before "${step}", then recovery completes the saga with one audit event and one reply`, async () => {
      const user = phone(step === "audited" ? 3 : 4);
      fault = { step, mode: "crash" };
      await expect(add(user, `key-crash-${step}`, 500)).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
      fault = undefined;
      expect((await stateOf(user)).sagas).toEqual(["running"]);

      expect(await domain.app.recoverStalledSagas()).toBe(1);
      const after = await stateOf(user);
      expect(after.sagas).toEqual(["completed"]);
      expect(after.todos).toHaveLength(1);
      expect(after.audit).toEqual([{ action: "todo.added", todo_id: after.todos[0]?.id }]);
      const [reply] = await domain.takeReplies(1);
      expect(reply?.phoneNumber).toBe(user);

      // The retried message finds its key and changes nothing more.
      const retry = await add(user, `key-crash-${step}`);
      expect(retry.result?.duplicate).toBe(true);
      expect((await stateOf(user)).todos).toHaveLength(1);
    });
  }
});

/** A saga of one of the newer commands, and what its effect looks like once applied (or not at all). */
interface SagaScenario {
  label: string;
  kind: string;
  /** State the command needs first, made without faults. */
  prepare(phone: string, call: CallFn): Promise<void>;
  method: "recordVoiceNote" | "undo" | "updateSettings" | "setSubscription";
  request(phone: string, key: string): unknown;
  /** Audit actions of the saga once applied. */
  audit: string[];
  /** Whether a reply is written when the saga finishes. */
  replies: boolean;
  applied(state: ScenarioState): void;
  notApplied(state: ScenarioState): void;
}
type CallFn = (method: "addTodos" | "setSubscription", request: unknown) => Promise<unknown>;
interface ScenarioState {
  todos: Array<{ text: string; status: string; number: number | null }>;
  user: { opted_out: boolean; timezone: string | null; summary_time: string | null };
  sagas: Array<{ saga_id: string; kind: string; status: string; undone_by_saga_id: string | null }>;
  audit: Array<{ saga_id: string; action: string }>;
  transcripts: Array<{ saga_id: string; text: string }>;
  replies: number;
}

const MEDIA = { url: "https://api.twilio.com/media/ME1", contentType: "audio/amr", sizeBytes: 2048, durationSeconds: 1.5 };

const SCENARIOS: SagaScenario[] = [
  {
    label: "a voice note",
    kind: "record-voice-note",
    prepare: async () => undefined,
    method: "recordVoiceNote",
    request: (phone, key) => ({
      context: { phoneNumber: phone, idempotencyKey: key, messageId: key },
      transcript: "feed the cat",
      texts: ["feed the cat"],
      media: MEDIA,
    }),
    audit: ["todo.added"],
    replies: true,
    applied: (state) => {
      expect(state.todos).toEqual([{ text: "feed the cat", status: "open", number: 1 }]);
      const completed = state.sagas.filter((saga) => saga.status === "completed").map((saga) => saga.saga_id);
      expect(state.transcripts).toEqual([{ saga_id: completed[0], text: "feed the cat" }]);
    },
    notApplied: (state) => {
      expect(state.todos).toEqual([]);
      expect(state.transcripts).toEqual([]);
    },
  },
  {
    label: "an undo",
    kind: "undo",
    prepare: async (phone, call) => {
      await call("addTodos", {
        context: { phoneNumber: phone, idempotencyKey: `prepare-${phone.slice(-4)}`, messageId: `prepare-${phone.slice(-4)}` },
        texts: ["water plants"],
        source: todo.TodoSource.TODO_SOURCE_SMS,
      });
    },
    method: "undo",
    request: (phone, key) => ({ context: { phoneNumber: phone, idempotencyKey: key, messageId: key } }),
    audit: ["todo.undone"],
    replies: true,
    applied: (state) => {
      expect(state.todos).toEqual([{ text: "water plants", status: "deleted", number: null }]);
      const undo = state.sagas.find((saga) => saga.kind === "undo" && saga.status === "completed");
      expect(state.sagas.find((saga) => saga.kind === "add-todos")?.undone_by_saga_id).toBe(undo?.saga_id);
    },
    notApplied: (state) => {
      expect(state.todos).toEqual([{ text: "water plants", status: "open", number: 1 }]);
      expect(state.sagas.find((saga) => saga.kind === "add-todos")?.undone_by_saga_id).toBeNull();
    },
  },
  {
    label: "a settings change",
    kind: "update-settings",
    prepare: async () => undefined,
    method: "updateSettings",
    request: (phone, key) => ({
      context: { phoneNumber: phone, idempotencyKey: key, messageId: key },
      change: { $case: "timezone", value: "Europe/Berlin" },
    }),
    audit: ["user.settings_changed"],
    replies: true,
    applied: (state) => expect(state.user).toEqual({ opted_out: false, timezone: "Europe/Berlin", summary_time: "08:00" }),
    notApplied: (state) => expect(state.user).toEqual({ opted_out: false, timezone: null, summary_time: "08:00" }),
  },
  {
    label: "an opt-out",
    kind: "set-subscription",
    prepare: async () => undefined,
    method: "setSubscription",
    request: (phone, key) => ({ context: { phoneNumber: phone, idempotencyKey: key, messageId: key }, subscribed: false }),
    audit: ["user.opted_out"],
    replies: false,
    applied: (state) => expect(state.user.opted_out).toBe(true),
    notApplied: (state) => expect(state.user.opted_out).toBe(false),
  },
  {
    // An opted-out sender's change: recovery must not write the reply the applying transaction decided against.
    label: "an opted-out user's voice note",
    kind: "record-voice-note",
    prepare: async (phone, call) => {
      await call("setSubscription", {
        context: { phoneNumber: phone, idempotencyKey: `stop-${phone.slice(-4)}`, messageId: `stop-${phone.slice(-4)}` },
        subscribed: false,
      });
    },
    method: "recordVoiceNote",
    request: (phone, key) => ({
      context: { phoneNumber: phone, idempotencyKey: key, messageId: key },
      transcript: "call the bank",
      texts: ["call the bank"],
      media: MEDIA,
    }),
    audit: ["todo.added"],
    replies: false,
    applied: (state) => {
      expect(state.todos).toEqual([{ text: "call the bank", status: "open", number: 1 }]);
      expect(state.transcripts).toHaveLength(1);
    },
    notApplied: (state) => {
      expect(state.todos).toEqual([]);
      expect(state.transcripts).toEqual([]);
    },
  },
];

describe("newer command sagas interrupted at every step boundary", () => {
  let domain: TodoDomainFixture;
  let fault: Fault | undefined;
  const releaseCrashed: Array<() => void> = [];
  let users = 0;

  beforeAll(async () => {
    domain = await startTodoDomain({
      sagaRecovery: { intervalMs: 3_600_000, stalledAfterMs: 0 },
      beforeSagaStep: async (step) => {
        if (fault?.step !== step) return;
        if (fault.mode === "fail") throw new Error(`injected failure before ${step}`);
        if (fault.mode === "audit-down") {
          await sql`alter table audit_events rename to audit_events_unreachable`.execute(domain.databases.audit);
          return;
        }
        await new Promise<void>((resolve) => releaseCrashed.push(resolve));
      },
    });
  });
  afterEach(() => {
    fault = undefined;
  });
  afterAll(async () => {
    for (const release of releaseCrashed) release();
    await domain.close();
  });

  const call = <Res>(method: string, request: unknown, deadlineMs = 10_000) =>
    domain.call<Res>(method as Parameters<TodoDomainFixture["call"]>[0], request, deadlineMs);

  const stateOf = async (phone: string, scenario: SagaScenario): Promise<ScenarioState> => {
    // A command that failed before "applied" never created its sender.
    const user = (await domain.databases.todo
      .selectFrom("users")
      .select(["id", "opted_out", "timezone", "summary_time"])
      .where("phone_number", "=", phone)
      .executeTakeFirst()) ?? { id: 0, opted_out: false, timezone: null, summary_time: "08:00" };
    const sagas = await domain.databases.todo
      .selectFrom("saga_log")
      .select(["saga_id", "kind", "status", "undone_by_saga_id"])
      .where("user_id", "=", user.id)
      .orderBy("seq")
      .execute();
    const ours = new Set(sagas.filter((saga) => saga.kind === scenario.kind).map((saga) => saga.saga_id));
    const audit = await domain.databases.audit
      .selectFrom("audit_events")
      .select(["saga_id", "action"])
      .where("user_id", "=", user.id)
      .orderBy("id")
      .execute();
    const replies = await domain.databases.todo.selectFrom("outbox").select("payload").execute();
    return {
      todos: await domain.databases.todo
        .selectFrom("todos")
        .select(["text", "status", "number"])
        .where("user_id", "=", user.id)
        .orderBy("created_at")
        .execute(),
      user: { opted_out: user.opted_out, timezone: user.timezone, summary_time: user.summary_time },
      sagas,
      audit: audit.filter((event) => ours.has(event.saga_id)),
      transcripts: await domain.databases.transcription
        .selectFrom("transcripts")
        .select(["saga_id", "text"])
        .where("user_id", "=", user.id)
        .execute(),
      replies: replies.filter((row) => {
        const reply = messaging.ReplyRequested.decode(row.payload);
        return reply.phoneNumber === phone;
      }).length,
    };
  };

  /** Nothing unfinished, and exactly the completed saga's audit events: one per change. */
  const expectSettled = (state: ScenarioState, scenario: SagaScenario, completed: number) => {
    const ours = state.sagas.filter((saga) => saga.kind === scenario.kind);
    expect(ours.every((saga) => saga.status === "completed" || saga.status === "compensated")).toBe(true);
    const done = ours.filter((saga) => saga.status === "completed");
    expect(done).toHaveLength(completed);
    expect(state.audit).toEqual(done.flatMap((saga) => scenario.audit.map((action) => ({ saga_id: saga.saga_id, action }))));
    expect(state.transcripts.every((row) => done.some((saga) => saga.saga_id === row.saga_id))).toBe(true);
  };

  for (const scenario of SCENARIOS) {
    const { label } = scenario;
    for (const step of SAGA_STEPS) {
      it(`when ${label} fails before "${step}", then it is compensated entirely and a retry applies it once`, async () => {
        const phone = `+1555888${(users += 1).toString().padStart(4, "0")}`;
        // Keys and message ids are logged: like a MessageSid, they hold no phone number.
        const key = `key-${users}-fail`;
        await scenario.prepare(phone, call);
        const repliesBefore = (await stateOf(phone, scenario)).replies;
        fault = { step, mode: "fail" };
        await expect(call(scenario.method, scenario.request(phone, key))).rejects.toMatchObject({
          code: step === "applied" ? "INTERNAL" : "UNAVAILABLE",
        });
        fault = undefined;
        const failed = await stateOf(phone, scenario);
        scenario.notApplied(failed);
        expectSettled(failed, scenario, 0);
        expect(failed.replies).toBe(repliesBefore);

        const retry = await call<{ result?: todo.CommandResult }>(scenario.method, scenario.request(phone, key));
        expect(retry.result?.duplicate).toBe(false);
        const after = await stateOf(phone, scenario);
        scenario.applied(after);
        expectSettled(after, scenario, 1);
        expect(after.replies).toBe(repliesBefore + (scenario.replies ? 1 : 0));
      });
    }
    for (const step of SAGA_STEPS) {
      it(`when the process dies before "${step}" of ${label}, then recovery settles it with one audit event per change`, async () => {
        const phone = `+1555888${(users += 1).toString().padStart(4, "0")}`;
        const key = `key-${users}-crash`;
        await scenario.prepare(phone, call);
        const repliesBefore = (await stateOf(phone, scenario)).replies;
        fault = { step, mode: "crash" };
        await expect(call(scenario.method, scenario.request(phone, key), 500)).rejects.toMatchObject({
          code: "DEADLINE_EXCEEDED",
        });
        fault = undefined;

        await domain.app.recoverStalledSagas();
        const recovered = await stateOf(phone, scenario);
        if (step === "applied") {
          // Died before anything was written: there is nothing to recover, and the retry applies it.
          scenario.notApplied(recovered);
          expectSettled(recovered, scenario, 0);
        } else {
          scenario.applied(recovered);
          expectSettled(recovered, scenario, 1);
          expect(recovered.replies).toBe(repliesBefore + (scenario.replies ? 1 : 0));
        }

        const retry = await call<{ result?: todo.CommandResult }>(scenario.method, scenario.request(phone, key));
        expect(retry.result?.duplicate).toBe(step !== "applied");
        const after = await stateOf(phone, scenario);
        scenario.applied(after);
        expectSettled(after, scenario, 1);
        expect(after.replies).toBe(repliesBefore + (scenario.replies ? 1 : 0));
      });
    }
  }

  it("when an undo arrives while the user's last change is still unfinished, then it is refused as retryable until recovery settles that change", async () => {
    const phone = "+15558889999";
    await call("addTodos", {
      context: { phoneNumber: phone, idempotencyKey: "undo-wait-1", messageId: "undo-wait-1" },
      texts: ["first"],
      source: todo.TodoSource.TODO_SOURCE_SMS,
    });
    fault = { step: "audited", mode: "crash" };
    await expect(
      call(
        "addTodos",
        {
          context: { phoneNumber: phone, idempotencyKey: "undo-wait-2", messageId: "undo-wait-2" },
          texts: ["second"],
          source: todo.TodoSource.TODO_SOURCE_SMS,
        },
        500,
      ),
    ).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
    fault = undefined;
    const undo = () =>
      call<todo.UndoResponse>("undo", { context: { phoneNumber: phone, idempotencyKey: "undo-wait-3", messageId: "x" } });
    await expect(undo()).rejects.toMatchObject({ code: "UNAVAILABLE" });

    expect(await domain.app.recoverStalledSagas()).toBe(1);
    const undone = await undo();
    expect(undone.result?.outcome?.kind).toMatchObject({ $case: "undone", value: { todos: [{ text: "second" }] } });
  });
});
