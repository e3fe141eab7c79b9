import { describe, expect, it } from "vitest";
import { MAX_REPLY_LENGTH } from "@sms-todo/rules";
import { AppError } from "@sms-todo/shared";
import { characterCount, MAX_PAGES, paginateReply } from "../src/replies/reply.pager.js";
import { moreFooter } from "../src/replies/reply.phrases.js";
import { isTodoLine } from "../src/replies/reply.renderer.js";

/** Deterministic pseudo-random numbers, so a failing case can be replayed from its seed. */
function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  return { next, int, pick };
}

type Random = ReturnType<typeof randomSource>;

const ALPHABET = [..."abcdefghijklmnopqrstuvwxyz0123456789#.,'!?-", "é", "ß", "🥛", "👩‍👩‍👧", "ü"];

function word(random: Random, maxLength: number): string {
  return Array.from({ length: random.int(1, maxLength) }, () => random.pick(ALPHABET)).join("");
}

/** Mostly list-like lines, sometimes empty, over-long, double-spaced or one giant word. */
function line(random: Random, index: number): string {
  const shape = random.next();
  if (shape < 0.04) return "";
  if (shape < 0.06) return word(random, 700);
  const words = Array.from({ length: shape < 0.1 ? random.int(30, 90) : random.int(1, 5) }, () => word(random, 10));
  return `#${index + 1} ${words.join(random.next() < 0.1 ? "  " : " ")}`;
}

function generatedReply(random: Random): string {
  const lineCount = random.int(1, random.next() < 0.05 ? 320 : 40);
  return Array.from({ length: lineCount }, (_, index) => line(random, index)).join("\n");
}

const FOOTER = /\n\((\d+)\/(\d+)(, text "more" for the next)?\)$/;
const NOTE = /\n?\.\.\.and (\d+) more (\w+) not shown\.$/;
const BUDGET = MAX_REPLY_LENGTH - characterCount(moreFooter(MAX_PAGES, MAX_PAGES));

interface ParsedPage {
  body: string;
  page: number;
  pages: number;
  more: boolean;
  omitted: number | undefined;
}

function parsePage(text: string): ParsedPage {
  const footer = FOOTER.exec(text);
  if (!footer) throw new Error(`page without footer: ${JSON.stringify(text.slice(-60))}`);
  let body = text.slice(0, footer.index);
  const note = NOTE.exec(body);
  if (note) body = body.slice(0, note.index);
  return {
    body,
    page: Number(footer[1]),
    pages: Number(footer[2]),
    more: footer[3] !== undefined,
    omitted: note ? Number(note[1]) : undefined,
  };
}

/** The line of `text` around offset, with its bounds. */
function lineAround(text: string, offset: number) {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const newline = text.indexOf("\n", offset);
  const end = newline === -1 ? text.length : newline;
  return { start, end, length: characterCount(text.slice(start, end)) };
}

/**
 * Walks the page bodies through the original: each must continue it exactly, a break consumes
 * one newline or space or none, and only a line longer than a page may be broken inside.
 * Returns the offset at which each body ends, and what broke these rules.
 */
function retrace(text: string, bodies: string[]): { ends: number[]; problems: string[] } {
  const ends: number[] = [];
  const problems: string[] = [];
  let cursor = 0;
  for (const [index, body] of bodies.entries()) {
    const page = index + 1;
    if (!text.startsWith(body, cursor)) return { ends, problems: [...problems, `page ${page} does not continue the text`] };
    cursor += body.length;
    ends.push(cursor);
    if (index === bodies.length - 1 || cursor >= text.length) continue;
    const next = text[cursor];
    if (next === "\n") {
      cursor += 1;
      continue;
    }
    if (lineAround(text, cursor).length <= BUDGET) problems.push(`a line that fits a page is broken after page ${page}`);
    if (next === " ") {
      cursor += 1;
      continue;
    }
    const before = text.slice(0, cursor).split(/\s/).at(-1) ?? "";
    const after = text.slice(cursor).split(/\s/)[0] ?? "";
    if (characterCount(before + after) <= BUDGET) problems.push(`a word that fits a page is broken after page ${page}`);
    if (/[\uD800-\uDBFF]$/.test(before)) problems.push(`a code point is split after page ${page}`);
  }
  return { ends, problems };
}

/** How many lines of `text` end at or before offset. */
function linesEndingBy(text: string, offset: number): number {
  let count = 0;
  let start = 0;
  for (const lineText of text.split("\n")) {
    if (start + lineText.length > offset) break;
    count += 1;
    start += lineText.length + 1;
  }
  return count;
}

describe("paginateReply", () => {
  it("when a reply fits into 320 characters, then it is the one page, unchanged and without a footer", () => {
    const reply = "x".repeat(MAX_REPLY_LENGTH);
    expect(paginateReply(reply)).toEqual([reply]);
    expect(paginateReply("#1 buy milk\n#2 eggs")).toEqual(["#1 buy milk\n#2 eggs"]);
  });

  it("when a reply has 320 characters counted as code points, then emoji count once and it stays one page", () => {
    const reply = "🥛".repeat(MAX_REPLY_LENGTH);
    expect(reply.length).toBe(2 * MAX_REPLY_LENGTH);
    expect(paginateReply(reply)).toEqual([reply]);
    expect(paginateReply(`${reply}!`)).toHaveLength(2);
  });

  it("when a list is longer than 320 characters, then it is split between lines with numbered footers", () => {
    const list = Array.from({ length: 24 }, (_, index) => `#${index + 1} todo number ${index + 1} to do`).join("\n");
    const pages = paginateReply(list);

    expect(pages).toHaveLength(3);
    expect(pages[0]).toMatch(/^#1 todo number 1 to do\n#2 .*\n\(1\/3, text "more" for the next\)$/s);
    expect(pages[1]).toMatch(/\n\(2\/3, text "more" for the next\)$/);
    expect(pages[2]).toMatch(/#24 todo number 24 to do\n\(3\/3\)$/);
    for (const page of pages) expect(characterCount(page)).toBeLessThanOrEqual(MAX_REPLY_LENGTH);
    expect(pages.map((page) => parsePage(page).body).join("\n")).toBe(list);
  });

  it("when one line is longer than a page, then it is cut at spaces and the lines around it stay whole", () => {
    const longLine = `Added ${Array.from({ length: 60 }, (_, index) => `#${index + 1} item`).join(", ")}`;
    const reply = `first line\n${longLine}\nlast line`;
    const pages = paginateReply(reply);

    const bodies = pages.map((page) => parsePage(page).body);
    expect(retrace(reply, bodies).problems).toEqual([]);
    expect(bodies[0]?.startsWith("first line\nAdded #1 item,")).toBe(true);
    expect(bodies.at(-1)?.endsWith("\nlast line")).toBe(true);
    expect(bodies.join(" ")).toBe(reply);
  });

  it("when one word is longer than a page, then it is cut between code points", () => {
    const giant = "🥛".repeat(700);
    const pages = paginateReply(giant);

    expect(pages).toHaveLength(3);
    expect(pages.map((page) => parsePage(page).body).join("")).toBe(giant);
    for (const page of pages) expect(characterCount(page)).toBeLessThanOrEqual(MAX_REPLY_LENGTH);
  });

  it("when a list needs more than 20 pages, then the 20th page says how many todos are not shown", () => {
    const lines = Array.from({ length: 400 }, (_, index) => `#${index + 1} a todo with a fairly long text`);
    const pages = paginateReply(lines.join("\n"), { lineNoun: "todos" });

    expect(pages).toHaveLength(MAX_PAGES);
    const last = parsePage(pages.at(-1) ?? "");
    expect(last).toMatchObject({ page: 20, pages: 20, more: false });
    const shownLines = pages
      .map((page) => parsePage(page).body)
      .join("\n")
      .split("\n");
    expect(shownLines).toEqual(lines.slice(0, shownLines.length));
    expect(last.omitted).toBe(lines.length - shownLines.length);
    expect(pages.at(-1)).toMatch(new RegExp(`\\n\\.\\.\\.and ${last.omitted} more todos not shown\\.\\n\\(20/20\\)$`));
    for (const page of pages) expect(characterCount(page)).toBeLessThanOrEqual(MAX_REPLY_LENGTH);
  });

  it("when a grouped list needs more than 20 pages, then the note counts the todos not shown and not the lists' headings", () => {
    const lines = Array.from({ length: 40 }, (_, group) => [
      `List ${group + 1}:`,
      ...Array.from({ length: 10 }, (_, index) => `#${group * 10 + index + 1} a todo with a fairly long text`),
    ]).flat();
    const pages = paginateReply(lines.join("\n"), { lineNoun: "todos", counts: isTodoLine });

    const shown = pages
      .map((page) => parsePage(page).body)
      .join("\n")
      .split("\n");
    const todosNotShown = lines.slice(shown.length).filter((text) => text.startsWith("#")).length;
    const headingsNotShown = lines.slice(shown.length).length - todosNotShown;
    expect(headingsNotShown).toBeGreaterThan(0);
    expect(parsePage(pages.at(-1) ?? "").omitted).toBe(todosNotShown);
  });

  it("when the limits leave no room for text, then paging refuses with INVALID_ARGUMENT", () => {
    expect(() => paginateReply("x".repeat(100), { maxCharacters: 30 })).toThrow(AppError);
  });

  it("when thousands of generated replies are paged, then every page fits, footers count up and the pages retrace the reply", () => {
    let paged = 0;
    let truncated = 0;
    for (let seed = 1; seed <= 2_000; seed += 1) {
      const random = randomSource(seed);
      const reply = generatedReply(random);
      const pages = paginateReply(reply, { lineNoun: "todos" });
      const context = `seed ${seed}`;

      expect(
        pages.filter((page) => characterCount(page) > MAX_REPLY_LENGTH),
        context,
      ).toEqual([]);
      if (characterCount(reply) <= MAX_REPLY_LENGTH) {
        expect(pages, context).toEqual([reply]);
        continue;
      }
      paged += 1;
      expect(pages.length, context).toBeGreaterThanOrEqual(2);
      expect(pages.length, context).toBeLessThanOrEqual(MAX_PAGES);
      const parsed = pages.map(parsePage);
      const footers = parsed.map(({ page, pages: count, more }) => ({ page, count, more }));
      expect(footers, context).toEqual(
        parsed.map((_, index) => ({ page: index + 1, count: parsed.length, more: index < parsed.length - 1 })),
      );
      expect(
        parsed.slice(0, -1).filter((page) => page.omitted !== undefined),
        context,
      ).toEqual([]);

      const bodies = parsed.map((page) => page.body);
      const { ends, problems } = retrace(reply, bodies);
      expect(problems, context).toEqual([]);
      const omitted = parsed.at(-1)?.omitted;
      if (omitted === undefined) {
        expect(ends.at(-1), context).toBe(reply.length);
      } else {
        truncated += 1;
        expect(parsed.length, context).toBe(MAX_PAGES);
        // A last page left with nothing but the note shows nothing past the page before it.
        const shownUntil = (bodies.at(-1) === "" ? ends.at(-2) : ends.at(-1)) ?? 0;
        expect(omitted, context).toBe(reply.split("\n").length - linesEndingBy(reply, shownUntil));
      }
    }
    // The generator must exercise both paged and cut-short replies, or the loop proves little.
    expect(paged).toBeGreaterThan(1_000);
    expect(truncated).toBeGreaterThan(10);
  });
});
