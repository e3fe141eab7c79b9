import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_REPLY_LENGTH } from "@sms-todo/rules";
import { fakeMessageSid, inboundSmsFields, postSignedWebhook, TEST_TWILIO } from "@sms-todo/testkit";
import { startStack, STOPPED_CLEANLY, type Stack } from "./stack.fixture.js";

/**
 * Every example of SPEC section 1, texted through the five running services. Each user
 * waits for the reply to one message before sending the next, as a person would: the
 * command service handles several messages at once, so back-to-back texts of one user
 * may be applied in any order.
 */
describe("everything a user can say, through all five services", () => {
  let stack: Stack;
  let todoDb: pg.Pool;

  beforeAll(async () => {
    stack = await startStack();
    todoDb = new pg.Pool({ connectionString: stack.databases.todo, max: 2 });
  });
  afterAll(async () => {
    await todoDb.end();
    const exitCodes = await stack.stop();
    expect(exitCodes).toEqual(STOPPED_CLEANLY);
  });

  const post = (from: string, body: string, optOutType?: string) =>
    postSignedWebhook({
      baseUrl: stack.ingressUrl,
      publicBaseUrl: TEST_TWILIO.publicBaseUrl,
      path: "/webhooks/twilio/sms",
      authToken: TEST_TWILIO.authToken,
      fields: inboundSmsFields({ from, body, accountSid: TEST_TWILIO.accountSid, messageSid: fakeMessageSid(), optOutType }),
    });
  const repliesTo = (phone: string) => stack.twilio.sent.filter((sms) => sms.to === phone).map((sms) => sms.body);

  /** Texts `body` and resolves with the one reply it gets. */
  async function say(phone: string, body: string): Promise<string> {
    const before = repliesTo(phone).length;
    const response = await post(phone, body);
    expect(response.status).toBe(200);
    const sent = await stack.twilio.waitForSms(phone, before + 1);
    return sent[before]?.body ?? "";
  }

  async function optedOut(phone: string): Promise<boolean | undefined> {
    const { rows } = await todoDb.query<{ opted_out: boolean }>("select opted_out from users where phone_number = $1", [phone]);
    return rows[0]?.opted_out;
  }

  async function auditedChanges(phone: string): Promise<number> {
    const { rows } = await todoDb.query<{ count: string }>(
      "select count(*) from saga_log s join users u on u.id = s.user_id where u.phone_number = $1 and s.status = 'completed'",
      [phone],
    );
    return Number(rows[0]?.count ?? 0);
  }

  it("when a user adds todos in every way SPEC names, then each reply names the new #N and the list shows them", async () => {
    const phone = "+15557710001";
    expect(await say(phone, "buy milk")).toBe("Added #1 buy milk");
    expect(await say(phone, "Call mom tomorrow")).toBe("Added #2 Call mom (due tomorrow)");
    expect(await say(phone, "add buy bread")).toBe("Added #3 buy bread");
    expect(await say(phone, "todo: buy eggs")).toBe("Added #4 buy eggs");
    expect(await say(phone, "water plants\nfeed the cat")).toBe("Added #5 water plants, #6 feed the cat");

    // A todo with a due leads the list.
    const list = "#2 Call mom (due tomorrow)\n#1 buy milk\n#3 buy bread\n#4 buy eggs\n#5 water plants\n#6 feed the cat";
    for (const asking of ["list", "ls", "todos", "?", "what's on my list"]) {
      expect(await say(phone, asking)).toBe(list);
    }
  });

  it("when a user completes todos in every way SPEC names, then each reply says Done with the #N", async () => {
    const phone = "+15557710002";
    const texts = Array.from({ length: 12 }, (_, index) => `task ${index + 1}`);
    expect(await say(phone, texts.join("\n"))).toMatch(/^Added #1 task 1, #2 task 2, .*#12 task 12$/);

    expect(await say(phone, "complete number three")).toBe("Done #3 task 3");
    expect(await say(phone, "complete #4")).toBe("Done #4 task 4");
    expect(await say(phone, "done 5")).toBe("Done #5 task 5");
    expect(await say(phone, "#6 done")).toBe("Done #6 task 6");
    expect(await say(phone, "finished 7")).toBe("Done #7 task 7");
    expect(await say(phone, "x 8")).toBe("Done #8 task 8");
    expect(await say(phone, "check 9")).toBe("Done #9 task 9");
    expect(await say(phone, "complete 10 and 11")).toBe("Done #10 task 10, #11 task 11");
    expect(await say(phone, "done #1, #2")).toBe("Done #1 task 1, #2 task 2");
    expect(await say(phone, "done 3")).toBe("There is no #3. Open: #12.");
  });

  it("when a user edits, deletes and undoes, then every reply names the change and undo walks back one change at a time", async () => {
    const phone = "+15557710003";
    expect(await say(phone, "milk\nbread\neggs\njam")).toBe("Added #1 milk, #2 bread, #3 eggs, #4 jam");
    expect(await say(phone, "edit #2 buy oat milk")).toBe("Changed #2 to buy oat milk");
    expect(await say(phone, "change 1 to buy whole milk")).toBe("Changed #1 to buy whole milk");
    expect(await say(phone, "delete #4")).toBe("Deleted #4 jam");
    expect(await say(phone, "remove 3")).toBe("Deleted #3 eggs");
    expect(await say(phone, "drop #9")).toBe("There is no #9. Open: #1, #2.");

    expect(await say(phone, "undo")).toMatch(/^Undone: .*#3 eggs/);
    expect(await say(phone, "undo")).toMatch(/^Undone: .*#4 jam/);
    expect(await say(phone, "undo")).toMatch(/^Undone: .*#1 .*milk/);
    expect(await say(phone, "list")).toBe("#1 milk\n#2 buy oat milk\n#3 eggs\n#4 jam");
    expect(await say(phone, "undo")).toMatch(/^Undone: .*#2 .*bread/);
    expect(await say(phone, "undo")).toMatch(/^Undone: /);
    expect(await say(phone, "list")).toMatch(/empty/i);
    expect(await say(phone, "undo")).toBe("Nothing to undo.");
  });

  it("when a user asks for help, then each of help, info and commands answers with the command card", async () => {
    const phone = "+15557710004";
    for (const asking of ["help", "info", "commands"]) {
      const card = await say(phone, asking);
      expect(card).toContain('"done 3"');
      expect(card).toContain('"undo"');
      expect([...card].length).toBeLessThanOrEqual(MAX_REPLY_LENGTH);
    }
  });

  it("when a user changes settings, then the reply confirms them and a bad timezone changes nothing", async () => {
    const phone = "+15557710005";
    expect(await say(phone, "summary 7am")).toContain("07:00");
    expect(await say(phone, "timezone Europe/Berlin")).toContain("Europe/Berlin");
    // Not the zone the product's own help names ("tz America/New_York"): the log scan looks for this text.
    expect(await say(phone, "tz America/Chicago")).toContain("America/Chicago");
    expect(await say(phone, "summary off")).toMatch(/off/i);
    const refused = await say(phone, "timezone Mars/Olympus_Mons");
    expect(refused).toMatch(/timezone/i);
    const { rows } = await todoDb.query<{ timezone: string; summary_time: string | null }>(
      "select timezone, summary_time from users where phone_number = $1",
      [phone],
    );
    expect(rows[0]).toEqual({ timezone: "America/Chicago", summary_time: null });
  });

  it('when a list is longer than 320 characters, then it comes in pages of at most 320 and "more" sends the next', async () => {
    const phone = "+15557710006";
    const texts = Array.from({ length: 30 }, (_, index) => `errand number ${index + 1} in town`);
    await say(phone, texts.join("\n"));
    const pages = [await say(phone, "list")];
    expect(pages[0]).toContain("more");
    while (!/\((\d+)\/\1\)$/.test(pages.at(-1) ?? "")) pages.push(await say(phone, "more"));
    for (const page of pages) expect([...page].length).toBeLessThanOrEqual(MAX_REPLY_LENGTH);
    const listed = pages.join("\n");
    for (const [index, text] of texts.entries()) expect(listed).toContain(`#${index + 1} ${text}`);
    expect(await say(phone, "more")).toMatch(/no more pages/i);
  });

  it("when a user opts out by keyword or by OptOutType, then nothing is sent to them, their todos are kept, and START brings them back", async () => {
    const phone = "+15557710007";
    expect(await say(phone, "buy milk")).toBe("Added #1 buy milk");
    const repliesBefore = repliesTo(phone).length;

    const keywords: Array<[string, string]> = [
      ["STOP", "START"],
      ["stopall", "unstop"],
      ["Unsubscribe", "yes"],
      ["END", "START"],
      ["quit", "START"],
      ["REVOKE", "START"],
      ["optout", "START"],
      ["Cancel.", "START"],
    ];
    for (const [out, back] of keywords) {
      expect((await post(phone, out)).status).toBe(200);
      await expect.poll(() => optedOut(phone)).toBe(true);
      expect((await post(phone, back)).status).toBe(200);
      await expect.poll(() => optedOut(phone)).toBe(false);
    }

    // Advanced Opt-Out recognised a custom keyword: its OptOutType decides, whatever the words.
    expect((await post(phone, "please leave me alone", "STOP")).status).toBe(200);
    await expect.poll(() => optedOut(phone)).toBe(true);
    // While opted out, a todo is still kept, silently.
    const changesBefore = await auditedChanges(phone);
    expect((await post(phone, "walk the dog")).status).toBe(200);
    await expect.poll(() => auditedChanges(phone)).toBe(changesBefore + 1);
    expect((await post(phone, "ok I am back", "START")).status).toBe(200);
    await expect.poll(() => optedOut(phone)).toBe(false);

    expect(repliesTo(phone)).toHaveLength(repliesBefore);
    expect(await say(phone, "list")).toBe("#1 buy milk\n#2 walk the dog");
    for (const reply of repliesTo(phone)) expect(reply).not.toMatch(/STOP|START|opt/i);
  });

  it("when an imperative is a todo but a completion names no open todo, then only the todo is added", async () => {
    const phone = "+15557710008";
    expect(await say(phone, "check the mail")).toBe("Added #1 check the mail");
    expect(await say(phone, "done deal with Bob")).toBe('Nothing open matches "deal with Bob".\n#1 check the mail');
    expect(await say(phone, "list")).toBe("#1 check the mail");
  });
});
