import { describe, expect, it } from "vitest";
import { AppError } from "@sms-todo/shared";
import { loadIngressConfig } from "../src/ingress.config.js";
import { parseTarget } from "../src/http/router.js";
import { signedUrlOf } from "../src/webhooks/twilio-webhook.verifier.js";

describe("ingress configuration", () => {
  it("when nothing is set, then the defaults of SPEC section 3 apply and no Twilio credentials are configured", () => {
    expect(loadIngressConfig({})).toMatchObject({
      PUBLIC_BASE_URL: "http://localhost:3000",
      INGRESS_PORT: 3000,
      AMQP_URL: "amqp://guest:guest@127.0.0.1:5672",
      SPOOL_DATABASE_URL: "postgres://postgres@127.0.0.1:5432/sms_todo_spool",
      SPOOL_AFTER_MS: 300,
      REDIS_URL: "redis://127.0.0.1:6379",
      RATE_LIMIT_MESSAGES: 20,
      RATE_LIMIT_WINDOW_SECONDS: 60,
      LOG_LEVEL: "info",
    });
    expect(loadIngressConfig({}).TWILIO_AUTH_TOKEN).toBeUndefined();
    expect(loadIngressConfig({}).TWILIO_ACCOUNT_SID).toBeUndefined();
  });

  it("when the spool and rate-limit variables are set, then they are read as numbers and URLs", () => {
    expect(
      loadIngressConfig({
        SPOOL_DATABASE_URL: "postgres://ingress:secret@postgres:5432/spool",
        SPOOL_AFTER_MS: "150",
        REDIS_URL: "rediss://redis:6380",
        RATE_LIMIT_MESSAGES: "5",
        RATE_LIMIT_WINDOW_SECONDS: "10",
      }),
    ).toMatchObject({
      SPOOL_DATABASE_URL: "postgres://ingress:secret@postgres:5432/spool",
      SPOOL_AFTER_MS: 150,
      REDIS_URL: "rediss://redis:6380",
      RATE_LIMIT_MESSAGES: 5,
      RATE_LIMIT_WINDOW_SECONDS: 10,
    });
  });

  it("when PUBLIC_BASE_URL ends with a slash, then the slash is dropped", () => {
    expect(loadIngressConfig({ PUBLIC_BASE_URL: "https://todo.example.com/sms/" }).PUBLIC_BASE_URL).toBe(
      "https://todo.example.com/sms",
    );
  });

  it.each([
    ["PUBLIC_BASE_URL", "ftp://todo.example.com", "must be a URL starting with http: or https:"],
    ["PUBLIC_BASE_URL", "https://todo.example.com/?x=1", "must not carry a query string or fragment"],
    ["INGRESS_PORT", "70000", ""],
    ["TWILIO_ACCOUNT_SID", "not-a-sid", "must be an account SID (AC and 32 hex digits)"],
    ["SPOOL_DATABASE_URL", "mysql://127.0.0.1/spool", "must be a URL starting with postgres: or postgresql:"],
    ["SPOOL_AFTER_MS", "0", "must be at least 1"],
    ["SPOOL_AFTER_MS", "soon", ""],
    ["REDIS_URL", "http://127.0.0.1:6379", "must be a URL starting with redis: or rediss:"],
    ["RATE_LIMIT_MESSAGES", "0", "must be at least 1"],
    ["RATE_LIMIT_MESSAGES", "2.5", "must be a whole number of messages"],
    ["RATE_LIMIT_WINDOW_SECONDS", "86401", "must be at most 86400"],
  ])("when %s is %s, then loading fails with a CONFIG error naming the variable", (name, value, reason) => {
    let failure: unknown;
    try {
      loadIngressConfig({ [name]: value });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe("CONFIG");
    expect((failure as AppError).message).toContain(`${name}: ${reason}`);
  });
});

describe("the URL a webhook signature covers", () => {
  it("when the request has a query string, then it is appended as received", () => {
    const target = parseTarget("/webhooks/twilio/sms?tenant=a%20b&x='y'");
    expect(target && signedUrlOf("https://todo.example.com", target)).toBe(
      "https://todo.example.com/webhooks/twilio/sms?tenant=a%20b&x='y'",
    );
  });

  it("when the request has no query string, then the URL is the public base plus the path", () => {
    const target = parseTarget("/webhooks/twilio/sms");
    expect(target && signedUrlOf("https://todo.example.com", target)).toBe("https://todo.example.com/webhooks/twilio/sms");
  });

  it("when the request target is not a path, then it is not routed", () => {
    expect(parseTarget("http://elsewhere.example/webhooks/twilio/sms")).toBeUndefined();
    expect(parseTarget("*")).toBeUndefined();
  });
});
