import { afterAll, beforeAll, describe, expect, it } from "vitest";
import twilio from "twilio";
import { TEST_TWILIO, TwilioStandIn } from "@sms-todo/testkit";
import { RetargetedRequestClient } from "../src/sms/retargeted-request.client.js";
import { testPhoneNumber } from "./notifier.test-harness.js";

const standIn = new TwilioStandIn({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });

function clientOn(apiBaseUrl: string): twilio.Twilio {
  const httpClient = new RetargetedRequestClient(apiBaseUrl, { timeout: 5_000, autoRetry: false });
  return twilio(TEST_TWILIO.accountSid, TEST_TWILIO.authToken, { httpClient, autoRetry: false, logLevel: "info" });
}

describe("RetargetedRequestClient", () => {
  beforeAll(async () => {
    await standIn.start();
  });

  afterAll(async () => {
    await standIn.stop();
  });

  it("when the API base URL ends with a slash, then requests still reach Messages.json", async () => {
    const phone = testPhoneNumber();
    await clientOn(`${standIn.baseUrl}/`).messages.create({ to: phone, from: TEST_TWILIO.from, body: "hi" });

    expect(await standIn.waitForSms(phone)).toHaveLength(1);
  });
});
