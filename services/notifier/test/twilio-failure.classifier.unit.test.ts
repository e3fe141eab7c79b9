import { describe, expect, it } from "vitest";
import { classifyTwilioAnswer, classifyTwilioError, parseRetryAfter } from "../src/sms/twilio-failure.classifier.js";

const NOW = Date.parse("2030-01-01T00:00:00Z");
const legacy = (code: number) => ({
  code,
  message: `error ${code}`,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status: 0,
});

describe("classifyTwilioAnswer", () => {
  it.each([
    [400, legacy(21211), "rejected"],
    [400, legacy(21610), "unsubscribed"],
    [401, legacy(20003), "rejected"],
    [404, legacy(20404), "rejected"],
    [429, legacy(20429), "rate-limited"],
    [500, legacy(20500), "server-error"],
    [503, "<html>Service Unavailable</html>", "server-error"],
    [504, "", "outcome-unknown"],
    [302, "", "server-error"],
  ] as const)("when Twilio answers %i, then the failure is %s", (status, body, kind) => {
    expect(classifyTwilioAnswer(status, body, undefined, NOW).kind).toBe(kind);
  });

  it("when the body is Twilio's error JSON, then its code, message and link are kept", () => {
    expect(classifyTwilioAnswer(400, JSON.stringify(legacy(21211)), undefined, NOW)).toEqual({
      kind: "rejected",
      status: 400,
      twilioCode: 21211,
      twilioMessage: "error 21211",
      moreInfo: "https://www.twilio.com/docs/errors/21211",
    });
  });

  it("when the body is an RFC 9457 problem, then its code and detail are kept", () => {
    const problem = {
      type: "https://www.twilio.com/docs/errors/21610",
      title: "Unsubscribed",
      status: 400,
      code: 21610,
      detail: "STOP",
    };
    expect(classifyTwilioAnswer(400, problem, undefined, NOW)).toMatchObject({
      kind: "unsubscribed",
      twilioCode: 21610,
      twilioMessage: "STOP",
    });
  });

  it("when a 429 carries Retry-After, then the wait comes with it", () => {
    expect(classifyTwilioAnswer(429, legacy(20429), "3", NOW)).toMatchObject({ kind: "rate-limited", retryAfterMs: 3_000 });
  });
});

describe("classifyTwilioError", () => {
  it.each([
    ["ECONNREFUSED", "not-sent"],
    ["ENOTFOUND", "not-sent"],
    ["ECONNABORTED", "outcome-unknown"],
    ["ETIMEDOUT", "outcome-unknown"],
    ["ECONNRESET", "outcome-unknown"],
    ["EOPENBREAKER", "circuit-open"],
  ])("when the request fails with %s, then the failure is %s", (code, kind) => {
    expect(classifyTwilioError(Object.assign(new Error("failed"), { code })).kind).toBe(kind);
  });

  it("when the error says nothing about the connection, then the outcome counts as unknown", () => {
    expect(classifyTwilioError(new Error("something else"))).toEqual({ kind: "outcome-unknown", networkCode: undefined });
  });
});

describe("parseRetryAfter", () => {
  it.each([
    ["2", 2_000],
    [" 0 ", 0],
    ["Tue, 01 Jan 2030 00:00:05 GMT", 5_000],
    ["Mon, 31 Dec 2029 23:59:00 GMT", 0],
    ["soon", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("when Retry-After is %j, then the wait is %j ms", (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});
