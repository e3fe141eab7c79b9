import { describe, expect, it } from "vitest";
import { loadTranscribeConfig } from "../src/transcribe.config.js";

const SID = `AC${"a".repeat(32)}`;

describe("transcribe config", () => {
  it("when nothing is set, then SPEC's defaults apply and voice notes have no Twilio credentials", () => {
    const config = loadTranscribeConfig({});
    expect(config).toMatchObject({
      WHISPER_URL: "http://127.0.0.1:8080/v1",
      TWILIO_API_BASE_URL: "https://api.twilio.com",
      TODO_GRPC_ADDR: "127.0.0.1:50051",
      AMQP_URL: "amqp://guest:guest@127.0.0.1:5672",
    });
    expect(config.TWILIO_ACCOUNT_SID).toBeUndefined();
    expect(config.OPENAI_BASE_URL).toBeUndefined();
  });

  it("when the Twilio credentials and the LLM are set, then they are read", () => {
    const config = loadTranscribeConfig({
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: "token",
      OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
      LLM_MODEL: "small",
      WHISPER_URL: "http://whisper:8080/v1",
    });
    expect(config).toMatchObject({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: "token", LLM_MODEL: "small" });
  });

  it.each([
    [{ TWILIO_ACCOUNT_SID: SID }, /TWILIO_AUTH_TOKEN: is required when TWILIO_ACCOUNT_SID is set/],
    [{ TWILIO_AUTH_TOKEN: "token" }, /TWILIO_ACCOUNT_SID: is required when TWILIO_AUTH_TOKEN is set/],
    [{ TWILIO_ACCOUNT_SID: "ACnope", TWILIO_AUTH_TOKEN: "token" }, /TWILIO_ACCOUNT_SID: must be an account SID/],
    [{ LLM_MODEL: "small" }, /OPENAI_BASE_URL: is required when LLM_MODEL is set/],
    [{ WHISPER_URL: "ftp://whisper" }, /WHISPER_URL/],
    [{ TWILIO_API_BASE_URL: "not a url" }, /TWILIO_API_BASE_URL/],
  ])("when the environment is %j, then start-up fails naming the variable", (env, message) => {
    expect(() => loadTranscribeConfig(env)).toThrow(message);
  });
});
