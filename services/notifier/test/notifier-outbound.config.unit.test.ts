import { describe, expect, it } from "vitest";
import { AppError } from "@sms-todo/shared";
import { replyPrefetchFor } from "../src/app.js";
import { loadNotifierConfig } from "../src/notifier.config.js";

function configError(env: NodeJS.ProcessEnv): AppError {
  try {
    loadNotifierConfig(env);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a configuration error");
}

describe("outbound configuration", () => {
  it("when nothing is set, then one SMS a second goes to Twilio and todo-domain is on its default address", () => {
    const config = loadNotifierConfig({});
    expect(config.SMS_RATE_PER_SECOND).toBe(1);
    expect(config.TODO_GRPC_ADDR).toBe("127.0.0.1:50051");
  });

  it("when SMS_RATE_PER_SECOND and TODO_GRPC_ADDR are set, then they are used", () => {
    const config = loadNotifierConfig({ SMS_RATE_PER_SECOND: " 30 ", TODO_GRPC_ADDR: "todo-domain:50051" });
    expect(config.SMS_RATE_PER_SECOND).toBe(30);
    expect(config.TODO_GRPC_ADDR).toBe("todo-domain:50051");
  });

  it("when SMS_RATE_PER_SECOND is empty, then the default applies", () => {
    expect(loadNotifierConfig({ SMS_RATE_PER_SECOND: "" }).SMS_RATE_PER_SECOND).toBe(1);
  });

  it.each(["0", "-1", "1.5", "fast", "10001"])("when SMS_RATE_PER_SECOND is %j, then the error names it", (value) => {
    const error = configError({ SMS_RATE_PER_SECOND: value });
    expect(error.code).toBe("CONFIG");
    expect(error.message).toContain("SMS_RATE_PER_SECOND");
  });

  it("when TODO_GRPC_ADDR is not host:port, then the error names it", () => {
    expect(configError({ TODO_GRPC_ADDR: "todo-domain" }).message).toContain("TODO_GRPC_ADDR");
  });

  it.each([
    [1, 2],
    [3, 6],
    [100, 16],
  ])("when the rate is %i SMS/s, then each replica has %i replies in flight", (rate, prefetch) => {
    expect(replyPrefetchFor(rate)).toBe(prefetch);
  });
});
