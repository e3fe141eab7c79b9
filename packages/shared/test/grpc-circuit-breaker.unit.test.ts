import { once } from "node:events";
import { status } from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { captureLogs } from "@sms-todo/testkit";
import {
  createServerBreaker,
  DEFAULT_BREAKER_SETTINGS,
  grpcStatusOf,
  isOpenCircuitRejection,
  isServerFailure,
  type ServerBreaker,
} from "../src/grpc/server-failure.breaker.js";

const failingWith = (code: status) => () => Promise.reject(Object.assign(new Error(status[code]), { code, details: "x" }));
const answering = () => Promise.resolve("ok");

describe("circuit breaker of a gRPC server", () => {
  const { logger, lines } = captureLogs("breaker-test");
  const breakers: ServerBreaker[] = [];
  const breaker = (settings = DEFAULT_BREAKER_SETTINGS) => {
    const created = createServerBreaker("todo-domain", settings, logger);
    breakers.push(created);
    return created;
  };
  afterEach(() => {
    for (const created of breakers.splice(0)) created.shutdown();
  });

  it("when a status says the server is not answering, then it is a failure; an answer of any other kind is not", () => {
    const failures = Object.values(status)
      .filter((code): code is status => typeof code === "number")
      .filter((code) => isServerFailure(code));
    expect(failures.sort()).toEqual([status.DEADLINE_EXCEEDED, status.UNAVAILABLE].sort());
  });

  it("when an error carries a gRPC code, then its status is read; anything else has none", () => {
    expect(grpcStatusOf({ code: status.NOT_FOUND })).toBe(status.NOT_FOUND);
    expect(grpcStatusOf(new Error("boom"))).toBeUndefined();
    expect(grpcStatusOf({ code: "ECONNRESET" })).toBeUndefined();
    expect(grpcStatusOf(undefined)).toBeUndefined();
  });

  it("when every call is refused with NOT_FOUND or INVALID_ARGUMENT, then the circuit stays closed", async () => {
    const circuit = breaker();
    for (let call = 0; call < 30; call += 1) {
      const code = call % 2 === 0 ? status.NOT_FOUND : status.INVALID_ARGUMENT;
      await expect(circuit.fire(failingWith(code))).rejects.toMatchObject({ code });
    }
    expect(circuit.opened).toBe(false);
    expect(circuit.stats.failures).toBe(0);
  });

  it("when fewer calls than the volume threshold failed, then the circuit stays closed", async () => {
    const circuit = breaker();
    for (let call = 0; call < DEFAULT_BREAKER_SETTINGS.volumeThreshold - 1; call += 1) {
      await expect(circuit.fire(failingWith(status.UNAVAILABLE))).rejects.toMatchObject({ code: status.UNAVAILABLE });
    }
    expect(circuit.opened).toBe(false);
  });

  it("when half of the calls failed, then the circuit stays closed; when more than half failed, then it opens", async () => {
    const circuit = breaker();
    for (let call = 0; call < 10; call += 1) {
      const attempt = call % 2 === 0 ? answering : failingWith(status.DEADLINE_EXCEEDED);
      await circuit.fire(attempt).catch(() => undefined);
    }
    expect(circuit.opened).toBe(false);
    const opened = once(circuit, "open");
    await circuit.fire(failingWith(status.UNAVAILABLE)).catch(() => undefined);
    await opened;
    expect(circuit.opened).toBe(true);
  });

  it("when the circuit is open, then calls are rejected without running, and the trial call after the reset closes it", async () => {
    const circuit = breaker({ ...DEFAULT_BREAKER_SETTINGS, resetTimeoutMs: 50 });
    for (let call = 0; call < 10; call += 1) await circuit.fire(failingWith(status.UNAVAILABLE)).catch(() => undefined);
    expect(circuit.opened).toBe(true);

    let ran = false;
    const rejection = await circuit
      .fire(() => {
        ran = true;
        return answering();
      })
      .catch((error: unknown) => error);
    expect(isOpenCircuitRejection(rejection)).toBe(true);
    expect(ran).toBe(false);

    await once(circuit, "halfOpen");
    const closed = once(circuit, "close");
    // A refusal is an answer: the server is back.
    await expect(circuit.fire(failingWith(status.NOT_FOUND))).rejects.toMatchObject({ code: status.NOT_FOUND });
    await closed;
    expect(circuit.closed).toBe(true);
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; breaker?: string });
    expect(logged.filter((line) => line.breaker === "todo-domain").map((line) => line.msg)).toEqual(
      expect.arrayContaining([
        "circuit opened: calls fail fast with UNAVAILABLE",
        "circuit half-open: the next call tests the server",
        "circuit closed: calls go through again",
      ]),
    );
  });
});
