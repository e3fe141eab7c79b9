import { describe, expect, it } from "vitest";
import { SpoolState } from "../src/spool/spool.state.js";

/** A state whose first count found the spool empty and reachable, as after a clean start. */
function emptyState(): SpoolState {
  const state = new SpoolState();
  state.noteReachable(true);
  state.markEmptyIf(state.snapshot());
  return state;
}

describe("whether a new webhook must go to the spool", () => {
  it("when the relay has not counted yet, then webhooks are published: an unreachable spool must not stop RabbitMQ's way", () => {
    expect(new SpoolState().mustSpool).toBe(false);
  });

  it("when the first count may have found rows of a crashed process, then webhooks are spooled behind them", () => {
    const state = new SpoolState();
    state.noteReachable(true);
    state.markHoldsRows();
    expect(state.mustSpool).toBe(true);
  });

  it("when a webhook was committed to the spool, then the next ones are spooled too until the relay counted zero rows", () => {
    const state = emptyState();
    expect(state.mustSpool).toBe(false);
    state.beginInsert();
    expect(state.mustSpool).toBe(true);
    state.endInsert(true);
    expect(state.mustSpool).toBe(true);
    expect(state.markEmptyIf(state.snapshot())).toBe(true);
    expect(state.mustSpool).toBe(false);
  });

  it("when an insert committed while the relay was counting, then the zero it counted does not empty the spool", () => {
    const state = emptyState();
    const snapshot = state.snapshot();
    state.beginInsert();
    state.endInsert(true);
    expect(state.markEmptyIf(snapshot)).toBe(false);
    expect(state.mustSpool).toBe(true);
  });

  it("when an insert is still under way while the relay counted zero, then the spool does not count as empty", () => {
    const state = emptyState();
    state.markHoldsRows();
    state.beginInsert();
    expect(state.markEmptyIf(state.snapshot())).toBe(false);
    state.endInsert(false);
    expect(state.markEmptyIf(state.snapshot())).toBe(true);
  });

  it("when the spool is unreachable, then webhooks go to RabbitMQ even though rows wait in it", () => {
    const state = emptyState();
    state.markHoldsRows();
    state.noteReachable(false);
    expect(state.mustSpool).toBe(false);
  });
});

describe("publishes still under way when their webhook was spooled", () => {
  it("when the relay meets such a row, then it gets the outcome once, and outcomes older than the cutoff are forgotten", async () => {
    const state = emptyState();
    state.rememberOriginal("SM1", Promise.resolve(true), 1_000);
    state.rememberOriginal("SM2", Promise.resolve(false), 5_000);
    state.forgetOriginalsBefore(2_000);
    expect(state.takeOriginal("SM1")).toBeUndefined();
    await expect(state.takeOriginal("SM2")).resolves.toBe(false);
    expect(state.takeOriginal("SM2")).toBeUndefined();
  });
});
