import { describe, expect, it } from "vitest";
import { CATCH_UP_MINUTES, dueSummaryDate, type SummarySubject } from "../src/summaries/summary-schedule.js";

const MINUTE = 60_000;
const LONG_AGO = new Date("2026-01-01T00:00:00Z");

const subject = (overrides: Partial<SummarySubject>): SummarySubject => ({
  summaryTime: "08:00",
  timezone: "UTC",
  createdAt: LONG_AGO,
  lastClaimedDate: null,
  ...overrides,
});

const at = (iso: string) => new Date(iso);

/**
 * Steps a fake clock minute by minute over [from, to) and claims a summary whenever one is due,
 * as the notifier's cron round does; returns each claim's local date and UTC instant.
 */
function simulateClaims(start: SummarySubject, from: string, to: string): Array<[string, string]> {
  const claims: Array<[string, string]> = [];
  let current = start;
  for (let now = Date.parse(from); now < Date.parse(to); now += MINUTE) {
    const date = dueSummaryDate(current, new Date(now));
    if (date === undefined) continue;
    claims.push([date, new Date(now).toISOString()]);
    current = { ...current, lastClaimedDate: date };
  }
  return claims;
}

/** Minutes of a local day, given as UTC instants, at which a summary would be due if never claimed. */
function dueMinutes(s: SummarySubject, from: string, to: string): string[] {
  const due: string[] = [];
  for (let now = Date.parse(from); now < Date.parse(to); now += MINUTE) {
    if (dueSummaryDate(s, new Date(now)) !== undefined) due.push(new Date(now).toISOString().slice(11, 16));
  }
  return due;
}

interface DstWindow {
  zone: string;
  change: string;
  /** Local midnight starting the day before the change, and local midnight ending the day after it. */
  from: string;
  to: string;
  dates: [string, string, string];
  /** The UTC instants of 08:00, 12:30 and 20:59 local on each of the three dates. */
  sendAt: Record<"08:00" | "12:30" | "20:59", [string, string, string]>;
}

const DST_WINDOWS: DstWindow[] = [
  {
    zone: "America/New_York",
    change: "spring forward on 2026-03-08",
    from: "2026-03-07T05:00:00Z",
    to: "2026-03-10T04:00:00Z",
    dates: ["2026-03-07", "2026-03-08", "2026-03-09"],
    sendAt: {
      "08:00": ["2026-03-07T13:00:00.000Z", "2026-03-08T12:00:00.000Z", "2026-03-09T12:00:00.000Z"],
      "12:30": ["2026-03-07T17:30:00.000Z", "2026-03-08T16:30:00.000Z", "2026-03-09T16:30:00.000Z"],
      "20:59": ["2026-03-08T01:59:00.000Z", "2026-03-09T00:59:00.000Z", "2026-03-10T00:59:00.000Z"],
    },
  },
  {
    zone: "America/New_York",
    change: "fall back on 2026-11-01",
    from: "2026-10-31T04:00:00Z",
    to: "2026-11-03T05:00:00Z",
    dates: ["2026-10-31", "2026-11-01", "2026-11-02"],
    sendAt: {
      "08:00": ["2026-10-31T12:00:00.000Z", "2026-11-01T13:00:00.000Z", "2026-11-02T13:00:00.000Z"],
      "12:30": ["2026-10-31T16:30:00.000Z", "2026-11-01T17:30:00.000Z", "2026-11-02T17:30:00.000Z"],
      "20:59": ["2026-11-01T00:59:00.000Z", "2026-11-02T01:59:00.000Z", "2026-11-03T01:59:00.000Z"],
    },
  },
  {
    zone: "Europe/Berlin",
    change: "spring forward on 2026-03-29",
    from: "2026-03-27T23:00:00Z",
    to: "2026-03-30T22:00:00Z",
    dates: ["2026-03-28", "2026-03-29", "2026-03-30"],
    sendAt: {
      "08:00": ["2026-03-28T07:00:00.000Z", "2026-03-29T06:00:00.000Z", "2026-03-30T06:00:00.000Z"],
      "12:30": ["2026-03-28T11:30:00.000Z", "2026-03-29T10:30:00.000Z", "2026-03-30T10:30:00.000Z"],
      "20:59": ["2026-03-28T19:59:00.000Z", "2026-03-29T18:59:00.000Z", "2026-03-30T18:59:00.000Z"],
    },
  },
  {
    zone: "Europe/Berlin",
    change: "fall back on 2026-10-25",
    from: "2026-10-23T22:00:00Z",
    to: "2026-10-26T23:00:00Z",
    dates: ["2026-10-24", "2026-10-25", "2026-10-26"],
    sendAt: {
      "08:00": ["2026-10-24T06:00:00.000Z", "2026-10-25T07:00:00.000Z", "2026-10-26T07:00:00.000Z"],
      "12:30": ["2026-10-24T10:30:00.000Z", "2026-10-25T11:30:00.000Z", "2026-10-26T11:30:00.000Z"],
      "20:59": ["2026-10-24T18:59:00.000Z", "2026-10-25T19:59:00.000Z", "2026-10-26T19:59:00.000Z"],
    },
  },
  {
    zone: "Australia/Sydney",
    change: "fall back on 2026-04-05",
    from: "2026-04-03T13:00:00Z",
    to: "2026-04-06T14:00:00Z",
    dates: ["2026-04-04", "2026-04-05", "2026-04-06"],
    sendAt: {
      "08:00": ["2026-04-03T21:00:00.000Z", "2026-04-04T22:00:00.000Z", "2026-04-05T22:00:00.000Z"],
      "12:30": ["2026-04-04T01:30:00.000Z", "2026-04-05T02:30:00.000Z", "2026-04-06T02:30:00.000Z"],
      "20:59": ["2026-04-04T09:59:00.000Z", "2026-04-05T10:59:00.000Z", "2026-04-06T10:59:00.000Z"],
    },
  },
  {
    zone: "Australia/Sydney",
    change: "spring forward on 2026-10-04",
    from: "2026-10-02T14:00:00Z",
    to: "2026-10-05T13:00:00Z",
    dates: ["2026-10-03", "2026-10-04", "2026-10-05"],
    sendAt: {
      "08:00": ["2026-10-02T22:00:00.000Z", "2026-10-03T21:00:00.000Z", "2026-10-04T21:00:00.000Z"],
      "12:30": ["2026-10-03T02:30:00.000Z", "2026-10-04T01:30:00.000Z", "2026-10-05T01:30:00.000Z"],
      "20:59": ["2026-10-03T10:59:00.000Z", "2026-10-04T09:59:00.000Z", "2026-10-05T09:59:00.000Z"],
    },
  },
];

/** A chosen time and the local time it is sent at. */
const SUMMARY_TIMES: Array<[string, "08:00" | "12:30" | "20:59"]> = [
  ["08:00", "08:00"],
  ["07:00", "08:00"],
  ["12:30", "12:30"],
  ["20:59", "20:59"],
  ["23:00", "08:00"],
];

describe("dueSummaryDate across DST changes", () => {
  for (const window of DST_WINDOWS) {
    for (const [summaryTime, sentAt] of SUMMARY_TIMES) {
      it(`when ${window.zone} has its ${window.change} and the summary is set to ${summaryTime}, then one summary is due per local day at ${sentAt} local`, () => {
        const claims = simulateClaims(subject({ summaryTime, timezone: window.zone }), window.from, window.to);
        const expected = window.dates.map((date, day) => [date, window.sendAt[sentAt][day]]);
        expect(claims).toEqual(expected);
      });
    }
  }
});

describe("dueSummaryDate", () => {
  it("when a summary is not claimed, then it stays due for the catch-up window after its time and no longer", () => {
    expect(CATCH_UP_MINUTES).toBe(60);
    const berlin = subject({ timezone: "Europe/Berlin" });
    // 2027-01-15 in Berlin is CET, UTC+1: 08:00 local is 07:00Z.
    expect(dueMinutes(berlin, "2027-01-14T23:00:00Z", "2027-01-15T23:00:00Z")).toEqual(
      Array.from({ length: 60 }, (_, minute) => `07:${minute.toString().padStart(2, "0")}`),
    );
    expect(dueSummaryDate(berlin, at("2027-01-15T06:59:59Z"))).toBeUndefined();
    expect(dueSummaryDate(berlin, at("2027-01-15T07:00:00Z"))).toBe("2027-01-15");
    expect(dueSummaryDate(berlin, at("2027-01-15T07:59:59Z"))).toBe("2027-01-15");
    expect(dueSummaryDate(berlin, at("2027-01-15T08:00:00Z"))).toBeUndefined();
  });

  it("when the catch-up window runs into quiet hours, then it ends at 21:00", () => {
    const day = ["2027-01-15T00:00:00Z", "2027-01-16T00:00:00Z"] as const;
    expect(dueMinutes(subject({ summaryTime: "20:30" }), ...day)).toEqual(
      Array.from({ length: 30 }, (_, minute) => `20:${(30 + minute).toString()}`),
    );
    expect(dueMinutes(subject({ summaryTime: "20:59" }), ...day)).toEqual(["20:59"]);
  });

  it("when the summary of the local date was claimed, then it is not due again that date but is the next", () => {
    const claimed = subject({ timezone: "America/New_York", lastClaimedDate: "2027-01-15" });
    expect(dueSummaryDate(claimed, at("2027-01-15T13:10:00Z"))).toBeUndefined();
    expect(dueSummaryDate(claimed, at("2027-01-16T13:10:00Z"))).toBe("2027-01-16");
    expect(dueSummaryDate({ ...claimed, lastClaimedDate: "2027-01-14" }, at("2027-01-15T13:10:00Z"))).toBe("2027-01-15");
  });

  it("when a user who got today's summary moves west to where that date's morning is still ahead, then no second summary comes that date", () => {
    // Claimed at 08:00 in Berlin (07:00Z); 08:00 the same date in New York is 13:00Z.
    const moved = subject({ timezone: "America/New_York", lastClaimedDate: "2027-01-15" });
    expect(dueSummaryDate(moved, at("2027-01-15T13:00:00Z"))).toBeUndefined();
    expect(dueSummaryDate(moved, at("2027-01-16T13:00:00Z"))).toBe("2027-01-16");
  });

  it("when the user was created after the send time, then nothing is due that day and the next day's comes", () => {
    // New York in January is UTC-5: 08:30 local on 2027-01-15 is 13:30Z.
    const late = subject({ timezone: "America/New_York", createdAt: at("2027-01-15T13:30:00Z") });
    expect(simulateClaims(late, "2027-01-15T05:00:00Z", "2027-01-17T05:00:00Z")).toEqual([
      ["2027-01-16", "2027-01-16T13:00:00.000Z"],
    ]);
  });

  it("when the user was created exactly at the send time, then that day's summary is skipped", () => {
    const onTime = subject({ createdAt: at("2027-01-15T08:00:00Z") });
    expect(dueSummaryDate(onTime, at("2027-01-15T08:00:00Z"))).toBeUndefined();
    expect(dueSummaryDate(onTime, at("2027-01-15T08:30:00Z"))).toBeUndefined();
  });

  it("when the user was created a minute before the send time, then that day's summary is due", () => {
    const early = subject({ createdAt: at("2027-01-15T07:59:00Z") });
    expect(dueSummaryDate(early, at("2027-01-15T08:00:00Z"))).toBe("2027-01-15");
  });

  it("when the chosen time is in quiet hours and the user was created after it but before 08:00, then the summary comes at 08:00", () => {
    const s = subject({ summaryTime: "06:00", timezone: "Europe/Berlin", createdAt: at("2027-01-15T06:30:00Z") });
    expect(simulateClaims(s, "2027-01-14T23:00:00Z", "2027-01-15T23:00:00Z")).toEqual([
      ["2027-01-15", "2027-01-15T07:00:00.000Z"],
    ]);
  });

  it("when the user was created later in the evening before, then the next morning's summary is due", () => {
    // 22:00 on 2027-01-14 in New York is 03:00Z on the 15th: a UTC date ahead of the local one.
    const s = subject({ timezone: "America/New_York", createdAt: at("2027-01-15T03:00:00Z") });
    expect(dueSummaryDate(s, at("2027-01-15T13:00:00Z"))).toBe("2027-01-15");
  });

  it("when the summary is off, then nothing is ever due", () => {
    const off = subject({ summaryTime: null, timezone: "Australia/Sydney" });
    expect(dueMinutes(off, "2027-01-14T13:00:00Z", "2027-01-17T13:00:00Z")).toEqual([]);
  });
});
