import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { AppError } from "@sms-todo/shared";
import { TEST_TWILIO, TwilioStandIn } from "@sms-todo/testkit";
import type { TwilioSettings } from "../src/notifier.config.js";
import { TwilioSmsSender } from "../src/sms/twilio-sms.sender.js";
import { testPhoneNumber, watchLogs } from "./notifier.test-harness.js";

const standIn = new TwilioStandIn({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });
const logs = watchLogs();

function senderFor(overrides: Partial<TwilioSettings> = {}, timeoutMs?: number): TwilioSmsSender {
  const settings: TwilioSettings = {
    accountSid: TEST_TWILIO.accountSid,
    authToken: TEST_TWILIO.authToken,
    sender: { from: TEST_TWILIO.from },
    apiBaseUrl: standIn.baseUrl,
    statusCallbackUrl: `${TEST_TWILIO.publicBaseUrl}/webhooks/twilio/status`,
    ...overrides,
  };
  return new TwilioSmsSender({ settings, logger: logs.logger, timeoutMs });
}

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the send to fail");
}

/** A port on which nothing listens: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("TwilioSmsSender", () => {
  beforeAll(async () => {
    await standIn.start();
  });

  afterAll(async () => {
    await standIn.stop();
  });

  it("when Twilio accepts the SMS, then its MessageSid is returned", async () => {
    const phone = testPhoneNumber();
    const result = await senderFor().send({ to: phone, body: "Added #1 buy milk", kind: "added" });

    const [sms] = await standIn.waitForSms(phone);
    expect(result.messageSid).toBe(sms?.sid);
  });

  it("when the API base URL ends with a slash, then requests still reach Messages.json", async () => {
    const phone = testPhoneNumber();
    await senderFor({ apiBaseUrl: `${standIn.baseUrl}/` }).send({ to: phone, body: "hi", kind: "help" });

    expect(await standIn.waitForSms(phone)).toHaveLength(1);
  });

  it.each([
    [429, 20429, "UNAVAILABLE"],
    [500, 20500, "UNAVAILABLE"],
    [503, 20503, "UNAVAILABLE"],
    [400, 21211, "INVALID_ARGUMENT"],
    [404, 20404, "INVALID_ARGUMENT"],
  ] as const)("when Twilio answers %i, then the failure is %s with Twilio's error code", async (status, code, expected) => {
    standIn.program({ kind: "status", status, code, message: "programmed failure" });

    const body = `the secret body of ${status}`;
    const error = await failureOf(senderFor().send({ to: testPhoneNumber(), body, kind: "help" }));
    expect(error.code).toBe(expected);
    expect(error.message).toContain(String(code));
    expect(logs.lines.some((line) => line.twilioCode === code && line.status === status)).toBe(true);
    expect(logs.raw.filter((line) => line.includes(body) || line.includes(TEST_TWILIO.authToken))).toEqual([]);
  });

  it("when the auth token is wrong, then Twilio's 401 is not retried", async () => {
    const error = await failureOf(senderFor({ authToken: "wrong" }).send({ to: testPhoneNumber(), body: "hi", kind: "help" }));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toContain("401");
  });

  it("when Twilio does not answer in time, then the send fails as UNAVAILABLE", async () => {
    standIn.program({ kind: "hang" });

    const error = await failureOf(senderFor({}, 300).send({ to: testPhoneNumber(), body: "hi", kind: "help" }));
    expect(error.code).toBe("UNAVAILABLE");
  });

  it("when nothing listens at the API base URL, then the send fails as UNAVAILABLE", async () => {
    const apiBaseUrl = `http://127.0.0.1:${await closedPort()}`;

    const error = await failureOf(senderFor({ apiBaseUrl }).send({ to: testPhoneNumber(), body: "hi", kind: "help" }));
    expect(error.code).toBe("UNAVAILABLE");
  });
});
