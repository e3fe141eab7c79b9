import { afterEach, describe, expect, it } from "vitest";
import { captureLogs } from "@sms-todo/testkit";
import { createReadinessProbe, type ReadinessProbe } from "../src/grpc/readiness.probe.js";

/** A dependency the test switches between answering, failing and hanging; counts how often it was asked. */
function dependency() {
  let mode: "up" | "down" | "hang" = "up";
  let asked = 0;
  return {
    set: (next: typeof mode) => (mode = next),
    asked: () => asked,
    check: () => {
      asked += 1;
      if (mode === "up") return Promise.resolve();
      if (mode === "down") return Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432"));
      return new Promise<never>(() => undefined);
    },
  };
}

/** Every readiness the probe reported, and a way to wait for the next one. */
function reports() {
  const seen: boolean[] = [];
  const waiters: Array<() => void> = [];
  return {
    seen,
    onChange: (ready: boolean) => {
      seen.push(ready);
      for (const wake of waiters.splice(0)) wake();
    },
    async next(count: number): Promise<boolean[]> {
      while (seen.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return seen;
    },
  };
}

describe("readiness probe", () => {
  const { logger, lines } = captureLogs("readiness-test");
  const probes: ReadinessProbe[] = [];
  afterEach(async () => {
    for (const probe of probes.splice(0)) await probe.stop();
  });

  const start = async (checks: Array<{ name: string; check: () => Promise<unknown> }>, seen: ReturnType<typeof reports>) => {
    const probe = createReadinessProbe({ checks, onChange: seen.onChange, logger, intervalMs: 5, timeoutMs: 50 });
    probes.push(probe);
    await probe.start();
    return probe;
  };

  it("when every dependency answers at start, then the probe reports ready once and no more while nothing changes", async () => {
    const todo = dependency();
    const seen = reports();
    const probe = await start([{ name: "todo database", check: todo.check }], seen);
    expect(seen.seen).toEqual([true]);
    expect(probe.ready).toBe(true);
    const askedBefore = todo.asked();
    while (todo.asked() < askedBefore + 3) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(seen.seen).toEqual([true]);
  });

  it("when one of several dependencies fails, then the probe reports not ready, naming it, and ready again once it answers", async () => {
    const todo = dependency();
    const audit = dependency();
    const seen = reports();
    const probe = await start(
      [
        { name: "todo database", check: todo.check },
        { name: "audit database", check: audit.check },
      ],
      seen,
    );
    audit.set("down");
    expect(await seen.next(2)).toEqual([true, false]);
    expect(probe.ready).toBe(false);
    const warning = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg?.toString().startsWith("not ready"));
    expect(warning?.failing).toEqual([{ name: "audit database", reason: "connect ECONNREFUSED 127.0.0.1:5432" }]);

    audit.set("up");
    expect(await seen.next(3)).toEqual([true, false, true]);
    expect(probe.ready).toBe(true);
  });

  it("when a dependency does not answer within the timeout, then it counts as failed", async () => {
    const todo = dependency();
    todo.set("hang");
    const seen = reports();
    const probe = await start([{ name: "todo database", check: todo.check }], seen);
    expect(seen.seen).toEqual([false]);
    expect(probe.ready).toBe(false);
  });

  it("when the probe is stopped, then it reports nothing more and asks no more", async () => {
    const todo = dependency();
    const seen = reports();
    const probe = await start([{ name: "todo database", check: todo.check }], seen);
    await probe.stop();
    const asked = todo.asked();
    todo.set("down");
    // A second probe's rounds show that several intervals went by meanwhile.
    const witness = dependency();
    await start([{ name: "witness", check: witness.check }], reports());
    while (witness.asked() < 4) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(todo.asked()).toBe(asked);
    expect(seen.seen).toEqual([true]);
  });
});
