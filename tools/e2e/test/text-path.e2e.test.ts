import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeMessageSid, inboundSmsFields, postSignedWebhook, TEST_TWILIO } from "@sms-todo/testkit";
import { startStack, STOPPED_CLEANLY, type Stack } from "./stack.fixture.js";

const ALICE = "+15557770001";
const BOB = "+15557770002";
const CAROL = "+15557770003";
const DAVE = "+15557770004";

describe("the text path through all five services", () => {
  let stack: Stack;
  const text = (from: string, body: string, messageSid = fakeMessageSid(), signature?: string) =>
    postSignedWebhook({
      baseUrl: stack.ingressUrl,
      publicBaseUrl: TEST_TWILIO.publicBaseUrl,
      path: "/webhooks/twilio/sms",
      authToken: TEST_TWILIO.authToken,
      fields: inboundSmsFields({ from, body, accountSid: TEST_TWILIO.accountSid, messageSid }),
      signature,
    });
  const bodiesTo = (to: string) => stack.twilio.sent.filter((sms) => sms.to === to).map((sms) => sms.body);

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    const exitCodes = await stack.stop();
    // Every service stops cleanly on SIGTERM.
    expect(exitCodes).toEqual(STOPPED_CLEANLY);
  });

  it('when a user texts "buy milk", then ingress answers empty TwiML and the reply "Added #1 buy milk" reaches Twilio', async () => {
    const response = await text(ALICE, "buy milk");
    expect(response.status).toBe(200);
    expect(response.body).toContain("<Response></Response>");
    const [sms] = await stack.twilio.waitForSms(ALICE, 1);
    expect(sms?.body).toContain("#1");
    expect(sms?.body).toContain("buy milk");
    expect(sms?.from).toBe(TEST_TWILIO.from);
    expect(sms?.statusCallback).toBe(`${TEST_TWILIO.publicBaseUrl}/webhooks/twilio/status`);
  });

  it('when the user then texts "list" and "complete #1", then the replies list the todo and name the done one', async () => {
    await text(ALICE, "call mom");
    await stack.twilio.waitForSms(ALICE, 2);
    await text(ALICE, "list");
    const afterList = await stack.twilio.waitForSms(ALICE, 3);
    expect(afterList[2]?.body).toContain("#1 buy milk");
    expect(afterList[2]?.body).toContain("#2 call mom");
    await text(ALICE, "complete #1");
    const afterDone = await stack.twilio.waitForSms(ALICE, 4);
    expect(afterDone[3]?.body).toContain("Done #1 buy milk");
  });

  it("when a webhook carries a wrong signature, then it gets 403 and no SMS is sent", async () => {
    const rejected = await text(BOB, "sneaky", fakeMessageSid(), "bm90IGEgc2lnbmF0dXJl");
    expect(rejected.status).toBe(403);
    await text(BOB, "help");
    await stack.twilio.waitForSms(BOB, 1);
    // The help reply is the only SMS Bob got: the forged "sneaky" produced nothing.
    expect(bodiesTo(BOB)).toHaveLength(1);
    expect(bodiesTo(BOB).join("")).not.toContain("sneaky");
  });

  it("when the same webhook is posted five times at once, then one todo is added and one reply sent", async () => {
    const messageSid = fakeMessageSid();
    const responses = await Promise.all(Array.from({ length: 5 }, () => text(CAROL, "water plants", messageSid)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await stack.twilio.waitForSms(CAROL, 1);
    await text(CAROL, "list");
    const sms = await stack.twilio.waitForSms(CAROL, 2);
    expect(sms[0]?.body).toContain("Added #1 water plants");
    expect(sms[1]?.body.match(/water plants/g)).toHaveLength(1);
    expect(sms[1]?.body).not.toContain("#2");
    expect(bodiesTo(CAROL)).toHaveLength(2);
  });

  it("when a voice note arrives, then it is routed to transcribe and answered once with a request to text instead", async () => {
    const messageSid = fakeMessageSid();
    const fields = inboundSmsFields({
      from: DAVE,
      body: "",
      accountSid: TEST_TWILIO.accountSid,
      messageSid,
      media: [
        {
          url: `${stack.twilio.baseUrl}/2010-04-01/Accounts/${TEST_TWILIO.accountSid}/Messages/${messageSid}/Media/ME1`,
          contentType: "audio/ogg",
        },
      ],
    });
    const response = await postSignedWebhook({
      baseUrl: stack.ingressUrl,
      publicBaseUrl: TEST_TWILIO.publicBaseUrl,
      path: "/webhooks/twilio/sms",
      authToken: TEST_TWILIO.authToken,
      fields,
    });
    expect(response.status).toBe(200);
    const [sms] = await stack.twilio.waitForSms(DAVE, 1);
    expect(sms?.body).toContain("text your todo");
  });

  it("when the services log, then no phone number or message body appears unmasked", () => {
    const secrets = [
      ALICE,
      BOB,
      CAROL,
      ...[ALICE, BOB, CAROL].map((phone) => phone.slice(1)),
      "buy milk",
      "water plants",
      TEST_TWILIO.authToken,
    ];
    const leaks = stack.logLines.filter((line) => secrets.some((secret) => line.includes(secret)));
    expect(stack.logLines.length).toBeGreaterThan(20);
    expect(leaks).toEqual([]);
  });
});
