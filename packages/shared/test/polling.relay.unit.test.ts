import { afterEach, describe, expect, it } from "vitest";
import { createPollingRelay, type PollingRelay, type PollingRelayOptions } from "../src/messaging/polling.relay.js";

/** Something to wait on: the test resolves it when the relay got where the test wants it. */
function signal<T = void>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

/** A relay that never polls on its own within a test: only start and wake run passes. */
function relayWith(overrides: Partial<PollingRelayOptions> & Pick<PollingRelayOptions, "relayBatch">): PollingRelay {
  return createPollingRelay({ name: "test relay", onPassFailed: () => undefined, pollIntervalMs: 60_000, ...overrides });
}

describe("createPollingRelay", () => {
  let relay: PollingRelay | undefined;
  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
  });

  it("when batches come full, then a pass relays the next one until one is not, between its before and after steps", async () => {
    const steps: string[] = [];
    const fullBatches = [true, true, false];
    const passEnded = signal();
    relay = relayWith({
      beforeBatches: async () => void steps.push("before"),
      relayBatch: async () => {
        steps.push("batch");
        return fullBatches.shift() ?? false;
      },
      afterBatches: async () => void steps.push("after"),
      onPassSucceeded: () => passEnded.resolve(),
    });
    await relay.start();
    await passEnded.promise;
    expect(steps).toEqual(["before", "batch", "batch", "batch", "after"]);
  });

  it("when it cannot relay, then a pass runs its before and after steps without a batch", async () => {
    let batches = 0;
    const passEnded = signal();
    relay = relayWith({
      canRelay: () => false,
      relayBatch: async () => {
        batches += 1;
        return false;
      },
      onPassSucceeded: () => passEnded.resolve(),
    });
    await relay.start();
    await passEnded.promise;
    expect(batches).toBe(0);
  });

  it("when woken during a pass, then one more pass follows it, however many wakes came", async () => {
    const firstBatchStarted = signal();
    const finishFirstBatch = signal<boolean>();
    const secondPassEnded = signal();
    let batches = 0;
    let passes = 0;
    relay = relayWith({
      relayBatch: () => {
        batches += 1;
        if (batches > 1) return Promise.resolve(false);
        firstBatchStarted.resolve();
        return finishFirstBatch.promise;
      },
      onPassSucceeded: () => {
        passes += 1;
        if (passes === 2) secondPassEnded.resolve();
      },
    });
    await relay.start();
    await firstBatchStarted.promise;
    relay.wake();
    relay.wake();
    finishFirstBatch.resolve(false);
    await secondPassEnded.promise;
    await relay.stop();
    expect({ batches, passes }).toEqual({ batches: 2, passes: 2 });
  });

  it("when a batch fails, then the round ends with onPassFailed and the next poll tries again", async () => {
    const failures: unknown[] = [];
    const failed = signal();
    const succeeded = signal();
    let attempts = 0;
    relay = relayWith({
      relayBatch: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error("database gone");
        return false;
      },
      onPassFailed: (error) => {
        failures.push(error);
        failed.resolve();
      },
      onPassSucceeded: () => succeeded.resolve(),
      pollIntervalMs: 5,
    });
    await relay.start();
    await failed.promise;
    await succeeded.promise;
    expect(failures).toEqual([new Error("database gone")]);
  });

  it("when a pass outlasts passTimeoutMs, then it fails naming the relay", async () => {
    const failed = signal<unknown>();
    relay = relayWith({
      relayBatch: () => new Promise<never>(() => undefined),
      onPassFailed: (error) => failed.resolve(error),
      passTimeoutMs: 5,
    });
    await relay.start();
    expect(await failed.promise).toEqual(new Error("a test relay pass did not finish within 5 ms"));
  });

  it("when the first pass outlasts startWaitMs, then start rejects naming the relay, and the pass goes on", async () => {
    const finishBatch = signal<boolean>();
    const passEnded = signal();
    relay = relayWith({
      relayBatch: () => finishBatch.promise,
      onPassSucceeded: () => passEnded.resolve(),
      startWaitMs: 5,
    });
    await expect(relay.start()).rejects.toThrow("the first test relay pass did not finish within 5 ms");
    finishBatch.resolve(false);
    await passEnded.promise;
  });

  it("when stopped during a pass, then stop waits for it, relays no further full batch and wakes no more", async () => {
    const batchStarted = signal();
    const finishBatch = signal<boolean>();
    let batches = 0;
    relay = relayWith({
      relayBatch: () => {
        batches += 1;
        batchStarted.resolve();
        return finishBatch.promise;
      },
    });
    await relay.start();
    await batchStarted.promise;
    const stopped = relay.stop();
    relay.wake();
    finishBatch.resolve(true);
    await stopped;
    relay.wake();
    expect(batches).toBe(1);
  });
});
