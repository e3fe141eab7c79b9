import { AppError } from "@sms-todo/shared";
import { describe, expect, it } from "vitest";
import { loadCommandConfig } from "../src/command.config.js";

function configError(env: NodeJS.ProcessEnv): AppError {
  try {
    loadCommandConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected the configuration to be refused");
}

describe("command config", () => {
  it("when nothing is set, then the local defaults apply, no LLM is configured and the config is frozen", () => {
    const config = loadCommandConfig({});
    expect(config).toMatchObject({
      AMQP_URL: "amqp://guest:guest@127.0.0.1:5672",
      LOG_LEVEL: "info",
      TODO_GRPC_ADDR: "127.0.0.1:50051",
    });
    expect([config.OPENAI_BASE_URL, config.OPENAI_API_KEY, config.LLM_MODEL]).toEqual([undefined, undefined, undefined]);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("when the LLM variables are set, then they are read", () => {
    const config = loadCommandConfig({
      OPENAI_BASE_URL: "http://127.0.0.1:9000/v1",
      OPENAI_API_KEY: "sk-test",
      LLM_MODEL: "small",
    });
    expect([config.OPENAI_BASE_URL, config.OPENAI_API_KEY, config.LLM_MODEL]).toEqual([
      "http://127.0.0.1:9000/v1",
      "sk-test",
      "small",
    ]);
  });

  it.each([
    [{ OPENAI_BASE_URL: "http://127.0.0.1:9000/v1" }, "LLM_MODEL"],
    [{ LLM_MODEL: "small", OPENAI_API_KEY: "sk-test" }, "OPENAI_BASE_URL"],
  ])("when only part of the LLM is configured (%j), then start is refused naming %s", (env, missing) => {
    const error = configError(env);
    expect(error.code).toBe("CONFIG");
    expect(error.message).toContain(missing);
    expect(error.message).not.toContain("sk-test");
  });

  it("when only the API key is set, then there is no LLM and start goes on", () => {
    expect(loadCommandConfig({ OPENAI_API_KEY: "sk-test" }).OPENAI_BASE_URL).toBeUndefined();
  });

  it.each([
    ["TODO_GRPC_ADDR", "localhost"],
    ["AMQP_URL", "http://127.0.0.1:5672"],
    ["OPENAI_BASE_URL", "not a url"],
    ["LOG_LEVEL", "loud"],
  ])("when %s is %j, then start is refused naming the variable", (name, value) => {
    const error = configError({ [name]: value });
    expect(error.code).toBe("CONFIG");
    expect(error.message).toContain(name);
  });
});
