import { describe, expect, it } from "vitest";
import { OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from "@sms-todo/rules";
import { isSubscriptionKeyword } from "../src/rate-limit/subscription-keyword.policy.js";
import { slowDownTwiml } from "../src/routes/sms-webhook.route.js";

describe("which messages the rate limit never drops", () => {
  it.each([
    ...OPT_OUT_KEYWORDS,
    ...OPT_IN_KEYWORDS,
    "stop",
    " Stop. ",
    "unsubscribe",
    "quit!",
    "OptOut",
    "cancel",
    "unstop",
    "Yes",
    "¡YES!",
  ])("when the whole body is %j, then it is an opt-out or opt-in keyword", (body) => {
    expect(isSubscriptionKeyword({ body, optOutType: "" })).toBe(true);
  });

  it.each(["stop texting me", "stop by the bank", "yes I need to call Bob", "STOP STOP", "st op", "", "help", "list"])(
    "when the body is %j, then it is not a keyword (ingress does not parse commands)",
    (body) => {
      expect(isSubscriptionKeyword({ body, optOutType: "" })).toBe(false);
    },
  );

  it.each(["STOP", "START", "HELP"])(
    "when Twilio marked the message with OptOutType %s, then it is never limited",
    (optOutType) => {
      expect(isSubscriptionKeyword({ body: "please leave me alone", optOutType })).toBe(true);
    },
  );
});

describe("the slow-down reply", () => {
  it("when the first message over the limit is answered, then the TwiML names the limit and how long texts are ignored", () => {
    expect(slowDownTwiml({ admitted: false, firstDropped: true, limit: 20, windowSeconds: 60, retryAfterSeconds: 42 })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Slow down: more than 20 texts in 60 seconds. ' +
        "Texts in the next 42 seconds are ignored.</Message></Response>",
    );
  });
});
