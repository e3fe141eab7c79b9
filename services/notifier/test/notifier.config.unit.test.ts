import { describe, expect, it } from "vitest";
import { AppError } from "@sms-todo/shared";
import { loadNotifierConfig, twilioSettingsOf } from "../src/notifier.config.js";

const SID = `AC${"a".repeat(32)}`;
const MG = `MG${"b".repeat(32)}`;

function configError(env: NodeJS.ProcessEnv): AppError {
  try {
    loadNotifierConfig(env);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a configuration error");
}

describe("loadNotifierConfig", () => {
  it("when nothing is set, then the defaults apply and SMS are only logged", () => {
    const config = loadNotifierConfig({});
    expect(config.TWILIO_API_BASE_URL).toBe("https://api.twilio.com");
    expect(config.PUBLIC_BASE_URL).toBe("http://localhost:3000");
    expect(config.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(config.AMQP_URL).toBe("amqp://guest:guest@127.0.0.1:5672");
    expect(twilioSettingsOf(config)).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("when credentials and a sender number are set, then SMS go from that number with the status callback", () => {
    const config = loadNotifierConfig({
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: "secret",
      TWILIO_FROM: "+15005550006",
      PUBLIC_BASE_URL: "https://todo.example.com/",
      TWILIO_API_BASE_URL: "http://127.0.0.1:4010",
    });
    expect(twilioSettingsOf(config)).toEqual({
      accountSid: SID,
      authToken: "secret",
      sender: { from: "+15005550006" },
      apiBaseUrl: "http://127.0.0.1:4010",
      statusCallbackUrl: "https://todo.example.com/webhooks/twilio/status",
    });
  });

  it("when TWILIO_FROM is a Messaging Service SID, then it is used as messagingServiceSid", () => {
    const config = loadNotifierConfig({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: "secret", TWILIO_FROM: MG });
    expect(twilioSettingsOf(config)?.sender).toEqual({ messagingServiceSid: MG });
  });

  it("when only the account SID is set, then the error names TWILIO_AUTH_TOKEN", () => {
    const error = configError({ TWILIO_ACCOUNT_SID: SID, TWILIO_FROM: "+15005550006" });
    expect(error.code).toBe("CONFIG");
    expect(error.message).toContain("TWILIO_AUTH_TOKEN");
  });

  it("when only the auth token is set, then the error names TWILIO_ACCOUNT_SID", () => {
    const error = configError({ TWILIO_AUTH_TOKEN: "secret" });
    expect(error.message).toContain("TWILIO_ACCOUNT_SID");
  });

  it("when credentials are set without TWILIO_FROM, then the error names TWILIO_FROM", () => {
    const error = configError({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: "secret" });
    expect(error.message).toContain("TWILIO_FROM");
  });

  it.each(["15005550006", "+0123456", "+1500555", "MX123", "sender", "+1 500 555 0006"])(
    "when TWILIO_FROM is %j, then it is rejected as neither a number nor an MG SID",
    (from) => {
      const error = configError({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: "secret", TWILIO_FROM: from });
      expect(error.message).toContain("TWILIO_FROM");
    },
  );

  it("when the account SID does not start with AC, then the error names it", () => {
    const error = configError({ TWILIO_ACCOUNT_SID: "SK123", TWILIO_AUTH_TOKEN: "secret", TWILIO_FROM: "+15005550006" });
    expect(error.message).toContain("TWILIO_ACCOUNT_SID");
  });

  it("when a URL is invalid, then the error names its variable", () => {
    expect(configError({ TWILIO_API_BASE_URL: "ftp://x" }).message).toContain("TWILIO_API_BASE_URL");
    expect(configError({ REDIS_URL: "http://localhost" }).message).toContain("REDIS_URL");
    expect(configError({ PUBLIC_BASE_URL: "not a url" }).message).toContain("PUBLIC_BASE_URL");
  });

  it("when SUMMARY_CRON is not set, then summaries are looked for every minute", () => {
    expect(loadNotifierConfig({}).SUMMARY_CRON).toBe("* * * * *");
  });

  it("when SUMMARY_CRON is a cron expression with seconds or off, then it is taken", () => {
    expect(loadNotifierConfig({ SUMMARY_CRON: "*/5 * * * * *" }).SUMMARY_CRON).toBe("*/5 * * * * *");
    expect(loadNotifierConfig({ SUMMARY_CRON: "off" }).SUMMARY_CRON).toBe("off");
  });

  it("when SUMMARY_CRON is not a cron expression, then the error names it", () => {
    expect(configError({ SUMMARY_CRON: "every minute" }).message).toContain("SUMMARY_CRON");
    expect(configError({ SUMMARY_CRON: "61 * * * *" }).message).toContain("SUMMARY_CRON");
  });

  it("when the error is reported, then the auth token's value is not in it", () => {
    const error = configError({ TWILIO_AUTH_TOKEN: "very-secret-token" });
    expect(error.message).not.toContain("very-secret-token");
  });
});
