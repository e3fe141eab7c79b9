import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundSmsFields, postSignedWebhook, TEST_TWILIO } from "@sms-todo/testkit";
import { startStack, type Stack } from "./stack.fixture.js";

const ALICE = "+15558880001";
const BOB = "+15558880002";
const CAROL = "+15558880003";
const ALICE_TODOS = ["buy milk", "call mom", "alice secret plan"];
const ALICE_LIST = ["#1 buy milk", "#2 call mom", "#3 alice secret plan"];

/**
 * What Bob texts, in order, and what his reply must say: numbers only Alice has, then his own
 * #1 (which Alice has too), undo, and phrasing that carries Alice's phone number. A list reply
 * must be exactly Bob's list.
 */
const BOB_CONVERSATION: Array<{ body: string; reply?: string; list?: string }> = [
  { body: "list", list: "#1 walk the dog" },
  { body: "done 3", reply: "There is no #3" },
  { body: "delete 2", reply: "There is no #2" },
  { body: "edit 2 hacked", reply: "There is no #2" },
  { body: "change 3 to pwned", reply: "There is no #3" },
  { body: "#2 done", reply: "There is no #2" },
  { body: "edit 1 hacked", reply: "#1 to hacked" },
  { body: "complete 1, 2 and 3", reply: "Done #1 hacked" },
  { body: "undo", reply: "#1 hacked" },
  { body: "remove #1", reply: "Deleted #1 hacked" },
  { body: "undo", reply: "#1 hacked" },
  { body: `done 1 ${ALICE}` },
  { body: `delete ${ALICE} 2` },
  { body: "what's on my list", list: "#1 hacked" },
  { body: "?", list: "#1 hacked" },
];

const todoCli = fileURLToPath(new URL("../../cli/dist/todo-cli.js", import.meta.url));

describe("isolation between two users through all five services", () => {
  let stack: Stack;
  const text = (from: string, body: string) =>
    postSignedWebhook({
      baseUrl: stack.ingressUrl,
      publicBaseUrl: TEST_TWILIO.publicBaseUrl,
      path: "/webhooks/twilio/sms",
      authToken: TEST_TWILIO.authToken,
      fields: inboundSmsFields({ from, body, accountSid: TEST_TWILIO.accountSid }),
    });
  const bodiesTo = (to: string) => stack.twilio.sent.filter((sms) => sms.to === to).map((sms) => sms.body);
  /** Texts one message and waits for its one reply; returns the reply. */
  const converse = async (from: string, body: string) => {
    const before = bodiesTo(from).length;
    expect((await text(from, body)).status).toBe(200);
    const replies = await stack.twilio.waitForSms(from, before + 1);
    return replies.at(-1)?.body ?? "";
  };
  /** The operator's read (`npm run todo -- list <number>`) against the running todo-domain. */
  const operatorList = async (phoneNumber: string) => {
    const listening = stack.logLines
      .filter((line) => line.includes('"service":"todo-domain"') && line.includes('"msg":"gRPC server listening"'))
      .map((line) => JSON.parse(line) as { port: number });
    expect(listening).toHaveLength(1);
    const { stdout } = await promisify(execFile)(process.execPath, [todoCli, "list", phoneNumber], {
      env: { ...process.env, TODO_GRPC_ADDR: `127.0.0.1:${listening[0]?.port}` },
    });
    return stdout.trim().split("\n");
  };

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it("when A and B each text todos, then each gets only their own numbers back", async () => {
    expect(await converse(ALICE, ALICE_TODOS.join("\n"))).toBe(`Added ${ALICE_LIST.join(", ")}`);
    expect(await converse(BOB, "walk the dog")).toBe("Added #1 walk the dog");
  });

  it("when B lists, completes, deletes, edits and undoes, then every reply is B's own and A's list is unchanged", async () => {
    const aliceSmsBefore = bodiesTo(ALICE).length;
    const bobReplies: string[] = [];
    for (const { body, reply, list } of BOB_CONVERSATION) {
      const answer = await converse(BOB, body);
      bobReplies.push(answer);
      if (reply !== undefined) expect(answer, body).toContain(reply);
      if (list !== undefined) expect(answer, body).toBe(list);
    }

    // Each of Bob's messages got exactly one reply, and none of them names a todo of Alice's.
    expect(bodiesTo(BOB)).toHaveLength(1 + BOB_CONVERSATION.length);
    const leaks = bobReplies.filter((reply) => ALICE_TODOS.some((todoText) => reply.includes(todoText)));
    expect(leaks).toEqual([]);
    // Nothing Bob did reached Alice's phone.
    expect(bodiesTo(ALICE)).toHaveLength(aliceSmsBefore);

    expect(await converse(ALICE, "list")).toBe(ALICE_LIST.join("\n"));
    expect(await operatorList(ALICE)).toEqual(ALICE_LIST);
  });

  it("when B's todo text carries A's phone number, then the todo is B's and A's list still holds only A's todos", async () => {
    const added = await converse(BOB, `ask ${ALICE} for the key`);
    expect(added).toMatch(/^Added #\d+ ask /);
    expect((await operatorList(BOB)).some((line) => line.includes("for the key"))).toBe(true);
    expect(await operatorList(ALICE)).toEqual(ALICE_LIST);
    expect(await converse(ALICE, "list")).toBe(ALICE_LIST.join("\n"));
  });

  it("when a todo is filed in a named list, then the operator's view names its list", async () => {
    expect(await converse(CAROL, "call the bank")).toBe("Added #1 call the bank");
    expect(await converse(CAROL, "add eggs to my shopping list")).toContain("#2 eggs");
    expect(await operatorList(CAROL)).toEqual(["#1 call the bank", "#2 eggs [shopping]"]);
  });
});
