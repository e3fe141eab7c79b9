import { credentials } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messaging, todo } from "@sms-todo/contracts";
import { AmqpBroker } from "@sms-todo/shared";
import { callUnary } from "@sms-todo/shared/grpc-client";
import {
  captureLogs,
  createTestDatabases,
  createTestTopology,
  testInfrastructure,
  todoDomainTestEnv,
  todoRequestOf,
  type TestDatabases,
  type TestTopology,
} from "@sms-todo/testkit";
import type { TodoDomainApp } from "../src/app.js";
import { migrateDatabases, openDatabases, type Databases } from "../src/databases/databases.js";
import type { User } from "../src/databases/todo/todo.schema.js";
import { SAGA_STEPS, type SagaStep } from "../src/sagas/saga.types.js";
import { loadTodoDomainConfig } from "../src/todo-domain.config.js";
import { composeTodoDomain } from "../src/todo-domain.composition.js";
import { startCrashingTodoDomain, type CrashingTodoDomain } from "./fixtures/crash-at-step.process.js";

// Each saga kind runs in a todo-domain process that dies by SIGKILL at one step boundary; a
// todo-domain started afterwards on the same databases must finish or compensate the saga, and
// the call the broker redelivers (same idempotency key) must then change nothing more.

type ChangeMethod =
  "addTodos" | "completeTodos" | "editTodo" | "deleteTodos" | "undo" | "updateSettings" | "setSubscription" | "recordVoiceNote";
type CommandContext = { phoneNumber: string; idempotencyKey: string; messageId: string };
type Call = (method: ChangeMethod, request: object) => Promise<unknown>;

interface CrashCase {
  /** The saga kind as the saga log names it. */
  kind: string;
  /** What the user did before, through a todo-domain that stays up. */
  prepare?(call: Call): Promise<unknown>;
  method: ChangeMethod;
  request: object;
  outcome: todo.Outcome["kind"];
  /** The user's open todos once the change is applied, as "#N text". */
  open: string[];
  /** The user's row once the change is applied, where the change is to the user. */
  user?: Partial<User>;
  /** One audit event per changed todo or setting, with these actions. */
  audit: string[];
  /** Whether the outcome is sent as a reply (the carrier answers opt-out keywords itself). */
  replies: boolean;
  /** Whether the saga stores a transcript. */
  transcript?: boolean;
}

const sms = todo.TodoSource.TODO_SOURCE_SMS;
const addText = (call: Call, text: string) => call("addTodos", { texts: [text], source: sms });
const containing = (fields: Partial<todo.Todo>) => expect.objectContaining(fields) as todo.Todo;

const CASES: CrashCase[] = [
  {
    kind: "add-todos",
    method: "addTodos",
    request: { texts: ["water plants", "pay rent"], source: sms },
    outcome: {
      $case: "added",
      value: { todos: [containing({ number: 1, text: "water plants" }), containing({ number: 2, text: "pay rent" })], heard: "" },
    },
    open: ["#1 water plants", "#2 pay rent"],
    audit: ["todo.added", "todo.added"],
    replies: true,
  },
  {
    kind: "complete-todos",
    prepare: async (call) => {
      for (const text of ["buy milk", "call mom", "fix bike"]) await addText(call, text);
    },
    method: "completeTodos",
    request: { numbers: [1, 3] },
    outcome: {
      $case: "completed",
      value: {
        todos: [containing({ text: "buy milk" }), containing({ text: "fix bike" })],
        unknownNumbers: [],
        openNumbers: [2],
      },
    },
    open: ["#2 call mom"],
    audit: ["todo.completed", "todo.completed"],
    replies: true,
  },
  {
    kind: "edit-todo",
    prepare: (call) => addText(call, "buy milk"),
    method: "editTodo",
    request: { number: 1, text: "buy oat milk" },
    outcome: {
      $case: "edited",
      value: {
        todo: containing({ number: 1, text: "buy oat milk" }),
        previousText: "buy milk",
        unknownNumbers: [],
        openNumbers: [],
      },
    },
    open: ["#1 buy oat milk"],
    audit: ["todo.edited"],
    replies: true,
  },
  {
    kind: "delete-todos",
    prepare: async (call) => {
      for (const text of ["buy milk", "call mom"]) await addText(call, text);
    },
    method: "deleteTodos",
    request: { numbers: [2] },
    outcome: { $case: "deleted", value: { todos: [containing({ text: "call mom" })], unknownNumbers: [], openNumbers: [1] } },
    open: ["#1 buy milk"],
    audit: ["todo.deleted"],
    replies: true,
  },
  {
    kind: "undo",
    prepare: async (call) => {
      for (const text of ["buy milk", "call mom"]) await addText(call, text);
      await call("completeTodos", { numbers: [1] });
    },
    method: "undo",
    request: {},
    outcome: {
      $case: "undone",
      value: {
        change: todo.UndoneChange.UNDONE_CHANGE_COMPLETE,
        todos: [containing({ number: 1, text: "buy milk" })],
        nothingToUndo: false,
      },
    },
    open: ["#1 buy milk", "#2 call mom"],
    audit: ["todo.undone"],
    replies: true,
  },
  {
    kind: "update-settings",
    method: "updateSettings",
    request: { change: { $case: "summaryTime", value: "07:30" } },
    outcome: { $case: "settings", value: { summaryTime: "07:30", summaryOff: false, timezone: "" } },
    open: [],
    user: { summary_time: "07:30" },
    audit: ["user.settings_changed"],
    replies: true,
  },
  {
    kind: "set-subscription",
    method: "setSubscription",
    request: { subscribed: false },
    outcome: { $case: "subscription", value: { subscribed: false } },
    open: [],
    user: { opted_out: true },
    audit: ["user.opted_out"],
    replies: false,
  },
  {
    kind: "record-voice-note",
    method: "recordVoiceNote",
    request: {
      transcript: "Buy milk and call mom.",
      texts: ["buy milk", "call mom"],
      media: { url: "https://api.twilio.com/media/ME1", contentType: "audio/ogg", sizeBytes: 4_096, durationSeconds: 2.5 },
    },
    outcome: {
      $case: "added",
      value: {
        todos: [containing({ number: 1, text: "buy milk" }), containing({ number: 2, text: "call mom" })],
        heard: expect.stringContaining("Buy milk") as string,
      },
    },
    open: ["#1 buy milk", "#2 call mom"],
    audit: ["todo.added", "todo.added"],
    replies: true,
    transcript: true,
  },
];

const STEPS: readonly SagaStep[] = SAGA_STEPS;
/** Whether the crash at `step` came after `effect`'s step had run. */
const ranBefore = (effect: SagaStep, step: SagaStep) => STEPS.indexOf(step) > STEPS.indexOf(effect);

describe("sagas interrupted by SIGKILL", () => {
  let urls: TestDatabases;
  let topology: TestTopology;
  let databases: Databases;
  /** The todo-domain that prepares each user's todos; its recovery never runs during the tests. */
  let setup: TodoDomainApp;
  let setupClient: todo.TodoServiceClient;
  let users = 0;
  // Starting a process costs most of a test's time, so the one for the next test starts while
  // the current test runs; tests run in the order they are declared.
  const crashSteps = CASES.flatMap(() => STEPS);
  const started: Array<Promise<CrashingTodoDomain>> = [];
  const startCrashing = (index: number) => {
    const step = crashSteps[index];
    if (step === undefined || started[index]) return;
    started[index] = startCrashingTodoDomain({ databases: urls, namespace: topology.namespace, crashAt: step });
    // Awaited by its test; a failed start must not count as unhandled meanwhile.
    started[index].catch(() => undefined);
  };
  const takeCrashing = (index: number, step: SagaStep) => {
    expect(crashSteps[index]).toBe(step);
    startCrashing(index);
    startCrashing(index + 1);
    return started[index]!;
  };

  const startApp = (sagaRecovery: { intervalMs: number; stalledAfterMs: number }) =>
    composeTodoDomain(loadTodoDomainConfig(todoDomainTestEnv(urls, topology.namespace)), {
      logger: captureLogs("todo-domain", "info").logger,
      broker: new AmqpBroker({
        url: testInfrastructure.amqpUrl,
        topology: topology.topology,
        logger: captureLogs("amqp", "warn").logger,
      }),
      sagaRecovery,
    });
  const clientOf = (port: number) => new todo.TodoServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
  const call = <Res>(client: todo.TodoServiceClient, method: ChangeMethod, request: object) =>
    callUnary<unknown, Res>(client[method].bind(client) as never, todoRequestOf(method, request), { deadlineMs: 10_000 });

  /** What the databases hold for one user and one idempotency key. */
  const stateOf = async (phoneNumber: string, key: string) => {
    const user = await databases.todo.selectFrom("users").selectAll().where("phone_number", "=", phoneNumber).executeTakeFirst();
    const todos = user
      ? await databases.todo.selectFrom("todos").selectAll().where("user_id", "=", user.id).orderBy("number").execute()
      : [];
    const sagas = await databases.todo
      .selectFrom("saga_log")
      .select(["saga_id", "kind", "status"])
      .where("payload", "@>", JSON.stringify({ idempotencyKey: key }))
      .orderBy("created_at")
      .execute();
    const audit = await databases.audit
      .selectFrom("audit_events")
      .select(["saga_id", "action", "todo_id"])
      .where("message_id", "=", key)
      .orderBy("id")
      .execute();
    const transcripts = await databases.transcription
      .selectFrom("transcripts")
      .select(["saga_id", "text"])
      .where("idempotency_key", "=", key)
      .execute();
    const replies = await databases.todo.selectFrom("outbox").select("payload").where("correlation_id", "=", key).execute();
    const processed = await databases.todo
      .selectFrom("processed_commands")
      .select("saga_id")
      .where("idempotency_key", "=", key)
      .execute();
    return {
      user,
      open: todos.filter((row) => row.status === "open").map((row) => `#${row.number} ${row.text}`),
      todos,
      sagas,
      audit,
      transcripts,
      replies: replies.map((row) => messaging.ReplyRequested.decode(row.payload)),
      processed,
    };
  };

  beforeAll(async () => {
    urls = await createTestDatabases("crash");
    await migrateDatabases(urls);
    topology = createTestTopology("crash");
    databases = openDatabases(urls);
    setup = startApp({ intervalMs: 3_600_000, stalledAfterMs: 3_600_000 });
    await setup.start();
    setupClient = clientOf(setup.grpcPort());
  });
  afterAll(async () => {
    // A filtered run leaves holes, and the last started process may have had no test left.
    for (const domain of await Promise.allSettled(started.filter(Boolean)))
      if (domain.status === "fulfilled") domain.value.kill();
    setupClient.close();
    await setup.stop();
    await Promise.all([databases.todo.destroy(), databases.audit.destroy(), databases.transcription.destroy()]);
    await topology.remove();
    await urls.drop();
  });

  for (const [caseIndex, crash] of CASES.entries()) {
    for (const [stepIndex, step] of STEPS.entries()) {
      const testIndex = caseIndex * STEPS.length + stepIndex;
      it(`when todo-domain is killed before "${step}" of ${crash.kind}, then a restarted one finishes the saga and the redelivered call changes nothing more`, async () => {
        users += 1;
        const phoneNumber = `+1555444${users.toString().padStart(4, "0")}`;
        const key = `crash:${crash.kind}:${step}`;
        const context: CommandContext = { phoneNumber, idempotencyKey: key, messageId: key };
        let prepared = 0;
        await crash.prepare?.((method, request) => {
          const setupKey = `${key}:before:${(prepared += 1)}`;
          return call(setupClient, method, {
            ...request,
            context: { phoneNumber, idempotencyKey: setupKey, messageId: setupKey },
          });
        });
        const before = await stateOf(phoneNumber, key);
        const request = { ...crash.request, context };

        const domain = await takeCrashing(testIndex, step);
        const client = clientOf(domain.port);
        try {
          await expect(call(client, crash.method, request)).rejects.toMatchObject({ code: "UNAVAILABLE" });
        } finally {
          client.close();
        }
        expect(await domain.exited).toEqual({ code: null, signal: "SIGKILL" });

        // What the killed process left behind shows where it stopped.
        const left = await stateOf(phoneNumber, key);
        expect(left.replies).toEqual([]);
        if (step === "applied") {
          expect(left.sagas).toEqual([]);
          expect(left.processed).toEqual([]);
          expect(left.todos).toEqual(before.todos);
          expect(left.user).toEqual(before.user);
        } else {
          expect(left.sagas).toEqual([expect.objectContaining({ kind: crash.kind, status: "running" })]);
          expect(left.open).toEqual(crash.open);
          expect(left.user).toMatchObject(crash.user ?? {});
          expect(left.audit).toHaveLength(ranBefore("audited", step) ? crash.audit.length : 0);
          expect(left.transcripts).toHaveLength(crash.transcript && ranBefore("transcribed", step) ? 1 : 0);
        }

        const restarted = startApp({ intervalMs: 3_600_000, stalledAfterMs: 0 });
        await restarted.start();
        const restartedClient = clientOf(restarted.grpcPort());
        try {
          // Recovery runs as the restarted service starts.
          await expect
            .poll(async () => (await stateOf(phoneNumber, key)).sagas.map((saga) => saga.status))
            .toSatisfy((statuses: string[]) => statuses.every((status) => status === "completed" || status === "compensated"));

          const redelivered = await call<{ result?: todo.CommandResult }>(restartedClient, crash.method, request);
          expect(redelivered.result?.duplicate).toBe(step !== "applied");
          expect(redelivered.result?.outcome?.kind).toEqual(crash.outcome);
        } finally {
          restartedClient.close();
          await restarted.stop();
        }

        const after = await stateOf(phoneNumber, key);
        expect(after.open).toEqual(crash.open);
        expect(after.user).toMatchObject(crash.user ?? {});
        expect(after.sagas.every((saga) => saga.kind === crash.kind && ["completed", "compensated"].includes(saga.status))).toBe(
          true,
        );
        const completed = after.sagas.filter((saga) => saga.status === "completed");
        expect(completed).toHaveLength(1);
        const sagaId = completed[0]?.saga_id;
        expect(after.processed).toEqual([{ saga_id: sagaId }]);
        // One audit event per change, all of the completed saga; none of a compensated one.
        expect(after.audit.map((event) => event.action)).toEqual(crash.audit);
        expect(after.audit.every((event) => event.saga_id === sagaId)).toBe(true);
        expect(new Set(after.audit.map((event) => event.todo_id)).size).toBe(crash.audit.length);
        expect(after.transcripts).toEqual(crash.transcript ? [{ saga_id: sagaId, text: "Buy milk and call mom." }] : []);
        expect(after.replies).toHaveLength(crash.replies ? 1 : 0);
        if (crash.replies)
          expect(after.replies[0]).toMatchObject({ phoneNumber, messageId: key, outcome: { kind: crash.outcome } });
      });
    }
  }
});
