import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeMessageSid } from "@sms-todo/testkit";
import { startCommandHarness, type CommandHarness } from "./command.test-harness.js";

const SENDER = "+15553330001";

describe("command service with the real todo-domain", () => {
  let harness: CommandHarness;
  const waitForReplies = (count: number) => harness.waitForReplies(count);
  const publishText = (body: string, messageSid?: string) => harness.publishText(SENDER, body, messageSid);

  beforeAll(async () => {
    harness = await startCommandHarness({ label: "command" });
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('when "buy milk", "complete #1" and "list" arrive on the text queue, then todo-domain answers each with the right outcome', async () => {
    await publishText("buy milk");
    await waitForReplies(1);
    await publishText("complete #1");
    await waitForReplies(2);
    await publishText("list");
    const [added, completed, list] = await waitForReplies(3);
    expect(added?.outcome?.kind).toMatchObject({ $case: "added", value: { todos: [{ number: 1, text: "buy milk" }] } });
    expect(completed?.outcome?.kind).toMatchObject({ $case: "completed", value: { todos: [{ number: 1, text: "buy milk" }] } });
    expect(list?.outcome?.kind).toMatchObject({ $case: "list", value: { todos: [] } });
    expect(added?.phoneNumber).toBe(SENDER);
  });

  it("when the same MessageSid arrives three times, then it is applied once and answered once", async () => {
    const messageSid = fakeMessageSid();
    for (let i = 0; i < 3; i += 1) await publishText("call mom\nwater plants", messageSid);
    await publishText("help");
    const all = await waitForReplies(5);
    // The two may be answered in either order; a second "added" would mean the key was applied twice.
    const latest = all.slice(3);
    expect(latest.map((reply) => reply.outcome?.kind?.$case).sort()).toEqual(["added", "help"]);
    expect(latest.find((reply) => reply.outcome?.kind?.$case === "added")?.outcome?.kind).toMatchObject({
      $case: "added",
      value: {
        todos: [
          { number: 1, text: "call mom" },
          { number: 2, text: "water plants" },
        ],
      },
    });
  });
});
