import { describe, expect, it } from "vitest";
import { ReturnedPublishes } from "../src/messaging/returned-publishes.js";

describe("ReturnedPublishes", () => {
  it("when a message comes back, then only the oldest matching publish awaiting its confirm is marked returned", () => {
    const returns = new ReturnedPublishes();
    const first = returns.track("inbound", "text", "SM1");
    const second = returns.track("inbound", "text", "SM1");
    const other = returns.track("inbound", "audio", "SM1");
    returns.returned("inbound", "text", "SM1");
    expect(first.settle()).toBe(true);
    expect(second.settle()).toBe(false);
    expect(other.settle()).toBe(false);
  });

  it("when a return matches no publish awaiting its confirm, then nothing is marked and later publishes start unmarked", () => {
    const returns = new ReturnedPublishes();
    returns.returned("inbound", "text", undefined);
    const later = returns.track("inbound", "text", undefined);
    expect(later.settle()).toBe(false);
  });

  it("when a publish was settled, then a return for it no longer marks it, and settling twice answers the same", () => {
    const returns = new ReturnedPublishes();
    const done = returns.track("events", "reply.requested", "e1");
    expect(done.settle()).toBe(false);
    returns.returned("events", "reply.requested", "e1");
    expect(done.settle()).toBe(false);
    const next = returns.track("events", "reply.requested", "e1");
    returns.returned("events", "reply.requested", "e1");
    expect(next.settle()).toBe(true);
    expect(next.settle()).toBe(true);
  });
});
