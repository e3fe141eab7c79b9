import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todo } from "@sms-todo/contracts";
import { startTodoDomain, type TodoDomainFixture } from "./todo-domain.fixture.js";

let sequence = 0;
const context = (phoneNumber: string, key = `sms:SM${(sequence += 1).toString().padStart(32, "0")}`) => ({
  phoneNumber,
  idempotencyKey: key,
  messageId: key.slice(4),
});
let phones = 0;
const newPhone = () => `+1555666${(phones += 1).toString().padStart(4, "0")}`;

type Change = todo.UpdateSettingsRequest["change"];

describe("UpdateSettings", () => {
  let domain: TodoDomainFixture;

  const update = async (phone: string, change: Change, key?: string) => {
    const response = await domain.call<todo.UpdateSettingsResponse>("updateSettings", { context: context(phone, key), change });
    const kind = response.result?.outcome?.kind;
    if (kind?.$case !== "settings") throw new Error(`expected a settings outcome, got ${kind?.$case}`);
    return { duplicate: response.result?.duplicate, ...kind.value };
  };
  const userOf = async (phone: string) =>
    domain.databases.todo
      .selectFrom("users")
      .select(["id", "summary_time", "timezone"])
      .where("phone_number", "=", phone)
      .executeTakeFirstOrThrow();
  const auditOf = async (phone: string) =>
    domain.databases.audit
      .selectFrom("audit_events")
      .select(["action", "todo_id", "data"])
      .where("user_id", "=", (await userOf(phone)).id)
      .orderBy("id")
      .execute();

  beforeAll(async () => {
    domain = await startTodoDomain();
  });
  afterAll(async () => {
    await domain.close();
  });

  it("when the summary time is set, then it is stored, audited, and the reply carries the settings after the change", async () => {
    const phone = newPhone();
    expect(await update(phone, { $case: "summaryTime", value: "07:30" })).toEqual({
      duplicate: false,
      summaryTime: "07:30",
      summaryOff: false,
      timezone: "",
    });
    expect(await userOf(phone)).toMatchObject({ summary_time: "07:30", timezone: null });
    expect(await auditOf(phone)).toEqual([
      {
        action: "user.settings_changed",
        todo_id: null,
        data: { before: { summaryTime: "08:00", timezone: null }, after: { summaryTime: "07:30", timezone: null } },
      },
    ]);
    const sagas = await domain.databases.todo
      .selectFrom("saga_log")
      .select(["kind", "status"])
      .where("user_id", "=", (await userOf(phone)).id)
      .execute();
    expect(sagas).toEqual([{ kind: "update-settings", status: "completed" }]);
  });

  it("when the summary is turned off and a timezone is set, then the summary time is empty, off is true and the timezone is canonical", async () => {
    const phone = newPhone();
    expect(await update(phone, { $case: "summaryOff", value: true })).toMatchObject({
      summaryTime: "",
      summaryOff: true,
      timezone: "",
    });
    expect(await update(phone, { $case: "timezone", value: "  america/new_york " })).toMatchObject({
      summaryTime: "",
      summaryOff: true,
      timezone: "America/New_York",
    });
    expect(await userOf(phone)).toMatchObject({ summary_time: null, timezone: "America/New_York" });
    expect(await update(phone, { $case: "summaryTime", value: "6:05" })).toMatchObject({
      summaryTime: "06:05",
      summaryOff: false,
      timezone: "America/New_York",
    });
    expect((await auditOf(phone)).map((event) => event.action)).toEqual([
      "user.settings_changed",
      "user.settings_changed",
      "user.settings_changed",
    ]);
  });

  it("when a setting is set to what it already is, then the reply confirms it and nothing is recorded", async () => {
    const phone = newPhone();
    await update(phone, { $case: "timezone", value: "Europe/Berlin" });
    expect(await update(phone, { $case: "timezone", value: "Europe/Berlin" })).toMatchObject({ timezone: "Europe/Berlin" });
    expect(await auditOf(phone)).toHaveLength(1);
  });

  it("when the same settings change arrives twice, then it is applied once and the second call is a duplicate", async () => {
    const phone = newPhone();
    const key = "sms:SM" + "d".repeat(32);
    const first = await update(phone, { $case: "summaryTime", value: "21:15" }, key);
    const second = await update(phone, { $case: "summaryTime", value: "21:15" }, key);
    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ ...first, duplicate: true });
    expect(await auditOf(phone)).toHaveLength(1);
  });

  it("when a settings change is invalid, then it gets INVALID_ARGUMENT and nothing changes", async () => {
    const phone = newPhone();
    await update(phone, { $case: "timezone", value: "Europe/Paris" });
    const before = { user: await userOf(phone), audit: await auditOf(phone) };
    const invalid: Change[] = [
      { $case: "summaryTime", value: "24:00" },
      { $case: "summaryTime", value: "12:60" },
      { $case: "summaryTime", value: "7am" },
      { $case: "summaryTime", value: "" },
      { $case: "summaryOff", value: false },
      { $case: "timezone", value: "Mars/Olympus_Mons" },
      { $case: "timezone", value: "+01:00" },
      { $case: "timezone", value: "" },
      undefined,
    ];
    for (const change of invalid) {
      await expect(update(phone, change)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    }
    expect({ user: await userOf(phone), audit: await auditOf(phone) }).toEqual(before);
  });
});
