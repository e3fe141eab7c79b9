import { describe, expect, it } from "vitest";
import { captureLogs } from "@sms-todo/testkit";
import {
  currentCorrelationId,
  runWithCorrelation,
  runWithoutCorrelation,
  setCorrelationId,
} from "../src/logging/correlation-context.js";
import { runDetached } from "../src/tracing/spans.js";

const SID = "SM0123456789abcdef0123456789abcdef";
const OTHER_SID = "SM99999999999999999999999999999999";

const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

/** Resolves on a later turn of the event loop, so work of two contexts interleaves. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("correlation context", () => {
  it("when lines are logged while a message is handled, then each carries its correlationId, whichever child logger wrote it", async () => {
    const { logger, lines } = captureLogs("corr");
    const useCase = logger.child({ component: "use-case" }).child({ step: "deep" });
    logger.info("before");
    await runWithCorrelation(SID, async () => {
      logger.info("at the entry point");
      await nextTurn();
      useCase.warn({ attempt: 2 }, "inside a use case that knows nothing of messages");
    });
    logger.info("after");

    const [before, entry, deep, after] = parsed(lines);
    expect(before).not.toHaveProperty("correlationId");
    expect(entry).toMatchObject({ correlationId: SID, msg: "at the entry point" });
    expect(deep).toMatchObject({ correlationId: SID, component: "use-case", step: "deep", attempt: 2 });
    expect(after).not.toHaveProperty("correlationId");
  });

  it("when two messages are handled at once, then each line carries its own message's id", async () => {
    const { logger, lines } = captureLogs("corr");
    const handle = (sid: string) =>
      runWithCorrelation(sid, async () => {
        for (let step = 0; step < 3; step += 1) {
          logger.info({ step, expected: sid }, "step");
          await nextTurn();
        }
      });
    await Promise.all([handle(SID), handle(OTHER_SID)]);

    const entries = parsed(lines);
    expect(entries).toHaveLength(6);
    expect(new Set(entries.map((entry) => entry.correlationId))).toEqual(new Set([SID, OTHER_SID]));
    for (const entry of entries) expect(entry.correlationId).toBe(entry.expected);
  });

  it("when the id becomes known after the context opened, then work already started in it sees the id", async () => {
    const { logger, lines } = captureLogs("corr");
    await runWithCorrelation(undefined, async () => {
      logger.info("signature being checked");
      const started = (async () => {
        await nextTurn();
        logger.info("publishing");
      })();
      setCorrelationId(SID);
      await started;
    });

    const [unverified, publishing] = parsed(lines);
    expect(unverified).not.toHaveProperty("correlationId");
    expect(publishing).toMatchObject({ correlationId: SID });
  });

  it("when background work is detached from the message that woke it, then its lines carry no id", async () => {
    const { logger, lines } = captureLogs("corr");
    await runWithCorrelation(SID, async () => {
      await runDetached(async () => {
        await nextTurn();
        logger.info("draining the outbox");
      });
      await runWithoutCorrelation(async () => {
        expect(currentCorrelationId()).toBeUndefined();
        await nextTurn();
        expect(currentCorrelationId()).toBeUndefined();
      });
      expect(currentCorrelationId()).toBe(SID);
    });

    expect(parsed(lines)[0]).not.toHaveProperty("correlationId");
  });

  it("when setCorrelationId is called outside any context, then nothing is correlated", () => {
    setCorrelationId(SID);
    expect(currentCorrelationId()).toBeUndefined();
  });

  it("when a correlation id is mostly digits, then it is kept as is while phone numbers in the line are still masked", () => {
    const { logger, lines } = captureLogs("corr");
    runWithCorrelation("summaries:1767225600000", () => logger.info({ to: "+15551234567", correlationId: "x" }, "claimed"));
    runWithCorrelation("summaries:1767225600000", () => logger.info({ to: "+15551234567" }, "claimed"));

    const [explicit, mixedIn] = parsed(lines);
    // A field passed on the line wins over the context's.
    expect(explicit).toMatchObject({ correlationId: "x", to: "+*********67" });
    expect(mixedIn).toMatchObject({ correlationId: "summaries:1767225600000", to: "+*********67" });
  });
});
