import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todo } from "@sms-todo/contracts";
import type { SagaStep } from "../src/sagas/change.saga.js";
import { startTodoDomain, type TodoDomainFixture } from "./todo-domain.fixture.js";

type Fault = { step: SagaStep; mode: "fail" | "crash" };

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
