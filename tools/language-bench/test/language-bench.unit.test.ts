import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { comparable, loadCorpus, needsTime, percent, runLanguageBench } from "../src/language-bench.js";

/** The figures docs/commands.md records: the benchmark may only get better. */
function recordedFigures(): { overall: number; nonAddStoredAsTodo: number } {
  const docs = readFileSync(new URL("../../../docs/commands.md", import.meta.url), "utf8");
  const line = /<!-- language-bench: overall ([\d.]+) %, non-add stored as todos ([\d.]+) % -->/u.exec(docs);
  if (!line?.[1] || !line[2]) throw new Error("docs/commands.md has no language-bench line");
  return { overall: Number.parseFloat(line[1]), nonAddStoredAsTodo: Number.parseFloat(line[2]) };
}

const oneDecimal = (value: number) => Math.round(value * 10) / 10;

describe("language benchmark", () => {
  const result = runLanguageBench();
  const recorded = recordedFigures();

  it("when the corpus is run, then the overall accuracy is at least the figure docs/commands.md records", () => {
    expect(oneDecimal(percent(result.overall.all))).toBeGreaterThanOrEqual(recorded.overall);
  });

  it("when the corpus is run, then no more non-add requests are stored as todos than docs/commands.md records", () => {
    expect(oneDecimal(percent(result.nonAddStoredAsTodo))).toBeLessThanOrEqual(recorded.nonAddStoredAsTodo);
  });

  it("when the corpus is loaded, then every row is scored once, dev and held-out alike", () => {
    const rows = loadCorpus();
    expect(result.rows).toHaveLength(rows.length);
    expect(result.overall.dev.total + result.overall.heldout.total + result.time.total).toBe(rows.length);
    expect(result.overall.heldout.total).toBeGreaterThan(0);
  });

  it("when an expectation needs a due time or a recurrence, then it is counted apart from the headline figures", () => {
    expect(needsTime({ intent: "due" })).toBe(true);
    expect(needsTime({ intent: "add", items: [{ text: "call mom", dueDate: "2026-03-11" }] })).toBe(true);
    expect(needsTime({ intent: "add", items: [{ text: "call mom" }] })).toBe(false);
    expect(needsTime({ intent: "delete", numbers: [1] })).toBe(false);
  });

  it("when add texts are compared, then case, a leading article and surrounding punctuation do not count", () => {
    expect(comparable('"The Milk."')).toBe(comparable("milk"));
    expect(comparable("some jeans")).toBe("jeans");
    expect(comparable("a wrist watch")).toBe("wrist watch");
  });
});
