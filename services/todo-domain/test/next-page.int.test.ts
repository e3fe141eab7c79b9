import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todo } from "@sms-todo/contracts";
import { startTodoDomain, type TodoDomainFixture } from "./todo-domain.fixture.js";

const PHONE = "+15558880001";

describe("NextPage", () => {
  let domain: TodoDomainFixture;
  beforeAll(async () => {
    domain = await startTodoDomain();
  });
  afterAll(async () => {
    await domain.close();
  });

  it("when a user asks for more, then nothing changes and one 'more' reply event asks the notifier for the next page, once per key", async () => {
    const request = {
      context: { phoneNumber: PHONE, idempotencyKey: "sms:SM" + "1".repeat(32), messageId: "SM" + "1".repeat(32) },
    };
    const first = await domain.call<todo.NextPageResponse>("nextPage", request);
    const second = await domain.call<todo.NextPageResponse>("nextPage", request);
    expect(first.result).toEqual({ duplicate: false, outcome: { kind: { $case: "more", value: {} } } });
    expect(second.result).toEqual({ duplicate: true, outcome: { kind: { $case: "more", value: {} } } });
    const [reply] = await domain.takeReplies(1);
    expect(reply).toMatchObject({ phoneNumber: PHONE, messageId: "SM" + "1".repeat(32), outcome: { kind: { $case: "more" } } });
    expect(await domain.databases.todo.selectFrom("outbox").select("id").execute()).toHaveLength(1);
    expect(await domain.databases.todo.selectFrom("saga_log").select("saga_id").execute()).toEqual([]);
    expect(await domain.databases.audit.selectFrom("audit_events").select("id").execute()).toEqual([]);
  });
});
