import { describe, expect, it } from "vitest";
import { z } from "zod";
import { commonConfig, hostPortVar, loadConfig, optionalVar, portVar, requireTogether, urlVar } from "../src/config/config.js";

const schema = z.object({
  ...commonConfig,
  INGRESS_PORT: portVar(3000),
  PUBLIC_BASE_URL: urlVar("http://localhost:3000", ["http:", "https:"]),
  TODO_GRPC_ADDR: hostPortVar("127.0.0.1:50051"),
});

describe("loadConfig", () => {
  it("when nothing is set, then the documented defaults apply", () => {
    expect(loadConfig(schema, {})).toMatchObject({
      AMQP_URL: "amqp://guest:guest@127.0.0.1:5672",
      INGRESS_PORT: 3000,
      PUBLIC_BASE_URL: "http://localhost:3000",
      TODO_GRPC_ADDR: "127.0.0.1:50051",
      SMS_TODO_NAMESPACE: "",
    });
  });

  it("when variables are invalid, then the error names every one of them", () => {
    expect(() => loadConfig(schema, { INGRESS_PORT: "abc", PUBLIC_BASE_URL: "ftp://x", TODO_GRPC_ADDR: "nope" })).toThrow(
      /INGRESS_PORT.*PUBLIC_BASE_URL.*TODO_GRPC_ADDR/,
    );
  });

  it("when the config is loaded, then it cannot be changed", () => {
    const config = loadConfig(schema, { INGRESS_PORT: "8080" });
    expect(config.INGRESS_PORT).toBe(8080);
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe("requireTogether", () => {
  const paired = z.object({ FIRST: optionalVar(), SECOND: optionalVar() }).superRefine(requireTogether("FIRST", "SECOND"));

  it("when both or neither of a pair are set, then the config loads", () => {
    expect(loadConfig(paired, {})).toEqual({ FIRST: undefined, SECOND: undefined });
    expect(loadConfig(paired, { FIRST: "a", SECOND: "b" })).toEqual({ FIRST: "a", SECOND: "b" });
  });

  it("when one of a pair is set alone, then the error names the other", () => {
    expect(() => loadConfig(paired, { FIRST: "a" })).toThrow("SECOND: is required when FIRST is set");
    expect(() => loadConfig(paired, { SECOND: "b" })).toThrow("FIRST: is required when SECOND is set");
  });
});
