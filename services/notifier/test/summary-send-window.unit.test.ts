import { describe, expect, it } from "vitest";
import { todo } from "@sms-todo/contracts";
import { isSummaryStillSendable } from "../src/summaries/summary-send-window.js";

const summary = (localDate: string, timezone: string) => todo.DailySummary.fromPartial({ localDate, timezone });

describe("isSummaryStillSendable", () => {
  it("when it is still the summary's day before 21:00 local, then it may go out", () => {
    // 20:59 in Berlin (CEST, UTC+2).
    expect(isSummaryStillSendable(summary("2027-06-01", "Europe/Berlin"), new Date("2027-06-01T18:59:00Z"))).toBe(true);
  });

  it("when quiet hours have begun where the user lives, then it is dropped", () => {
    expect(isSummaryStillSendable(summary("2027-06-01", "Europe/Berlin"), new Date("2027-06-01T19:00:00Z"))).toBe(false);
  });

  it("when it is already the next local day, then it is dropped even in daytime", () => {
    expect(isSummaryStillSendable(summary("2027-06-01", "Europe/Berlin"), new Date("2027-06-02T10:00:00Z"))).toBe(false);
  });

  it("when UTC has moved on to the next day but the user's clock has not, then it may go out", () => {
    // 01:30 UTC on 2 June is 18:30 on 1 June in Los Angeles (PDT, UTC-7).
    expect(isSummaryStillSendable(summary("2027-06-01", "America/Los_Angeles"), new Date("2027-06-02T01:30:00Z"))).toBe(true);
  });

  it("when the timezone is unknown to this runtime, then it is dropped rather than risk the night", () => {
    expect(isSummaryStillSendable(summary("2027-06-01", "Mars/Olympus_Mons"), new Date("2027-06-01T12:00:00Z"))).toBe(false);
  });
});
