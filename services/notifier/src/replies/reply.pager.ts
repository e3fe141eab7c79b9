import { MAX_REPLY_LENGTH } from "@sms-todo/rules";
import { AppError } from "@sms-todo/shared";
import { LINE_NOUNS, lastFooter, moreFooter, omittedNote } from "./reply.phrases.js";

/** Bounds what one reply may leave in Redis; about 250 list lines fit in this many pages. */
export const MAX_PAGES = 20;

export interface PagingOptions {
  maxCharacters?: number;
  maxPages?: number;
  /** What the lines of the reply are, for the note on a reply cut short: "todos", "lines". */
  lineNoun?: string;
  /** The lines the note counts; a list's headings ("Shopping:") are no todos. Every line by default. */
  counts?: (line: string) => boolean;
}

/** Length as the user sees it: code points, so an emoji counts once. */
export function characterCount(text: string): number {
  return [...text].length;
}

/**
 * Splits a reply into the SMS that carry it. A reply that fits is returned as it is; a longer
 * one becomes pages of whole lines, each ending in a "(2/3, ...)" footer. Only a line too long
 * for a page of its own is cut, at spaces, or inside a word too long for a page. Beyond
 * maxPages the last page says how many lines were left out.
 */
export function paginateReply(text: string, options: PagingOptions = {}): string[] {
  // No page, footer included, is longer than a reply may be.
  const maxCharacters = options.maxCharacters ?? MAX_REPLY_LENGTH;
  const maxPages = options.maxPages ?? MAX_PAGES;
  const noun = options.lineNoun ?? LINE_NOUNS.lines;
  if (characterCount(text) <= maxCharacters) return [text];

  // One reserve on every page, sized for the widest footer, keeps the split a single pass.
  const budget = maxCharacters - characterCount(moreFooter(maxPages, maxPages));
  const counts = options.counts ?? (() => true);
  const lineCount = text.split("\n").filter(counts).length;
  const noteBudget = budget - characterCount(omittedNote(lineCount, noun));
  if (maxPages < 2 || noteBudget < 0) {
    throw new AppError("INVALID_ARGUMENT", `cannot page replies into ${maxPages} pages of ${maxCharacters} characters`);
  }
  const { bodies, omittedLines } = splitPageBodies(text, { budget, maxPages, lastPageBudget: noteBudget }, counts);
  return bodies.map((body, index) => {
    const page = index + 1;
    if (page < bodies.length) return `${body}${moreFooter(page, bodies.length)}`;
    if (omittedLines === 0) return `${body}${lastFooter(bodies.length)}`;
    const note = omittedNote(omittedLines, noun);
    return `${body === "" ? note.slice(1) : `${body}${note}`}${lastFooter(bodies.length)}`;
  });
}

export interface PageLimits {
  /** Characters of text per page. */
  budget: number;
  maxPages: number;
  /** The budget of the last page when the text does not fit into maxPages: room for a note. */
  lastPageBudget: number;
}

export interface PageBodies {
  /** Consecutive slices of the text; each break consumed one "\n" or " ", or none inside a word. */
  bodies: string[];
  /** Counted lines not shown in full because maxPages ran out. */
  omittedLines: number;
}

/** A line, a word of a line too long for one page, or a slice of a word too long for one page. */
interface Part {
  text: string;
  length: number;
  /** What joins it to the part before; consumed, not shown, where a page breaks. */
  separator: "\n" | " " | "";
  line: number;
  endsLine: boolean;
}

type Page = Part[];

/** Greedy: each page takes as many whole lines as fit; only a line longer than a page is cut. */
export function splitPageBodies(text: string, limits: PageLimits, counts: (line: string) => boolean = () => true): PageBodies {
  const pages = packPages(text, limits.budget);
  if (pages.length <= limits.maxPages) return { bodies: pages.map(bodyOf), omittedLines: 0 };

  const kept = pages.slice(0, limits.maxPages);
  const last = kept.at(-1) ?? [];
  while (last.length > 0 && lengthOf(last) > limits.lastPageBudget) last.pop();
  let shownLines = 0;
  for (const part of kept.flat()) if (part.endsLine) shownLines = part.line + 1;
  const omittedLines = text.split("\n").slice(shownLines).filter(counts).length;
  return { bodies: kept.map(bodyOf), omittedLines };
}

function* piecesOf(text: string, budget: number): Generator<Part> {
  for (const [line, lineText] of text.split("\n").entries()) {
    const length = characterCount(lineText);
    if (length <= budget) {
      yield { text: lineText, length, separator: "\n", line, endsLine: true };
      continue;
    }
    const words = lineText.split(" ");
    for (const [index, word] of words.entries()) {
      const endsLine = index === words.length - 1;
      yield { text: word, length: characterCount(word), separator: index === 0 ? "\n" : " ", line, endsLine };
    }
  }
}

function packPages(text: string, budget: number): Page[] {
  const pages: Page[] = [];
  let page: Page = [];
  let used = 0;
  const startPage = (part: Part) => {
    if (page.length > 0) pages.push(page);
    page = [part];
    used = part.length;
  };

  for (const piece of piecesOf(text, budget)) {
    if (page.length > 0 && used + 1 + piece.length <= budget) {
      page.push(piece);
      used += 1 + piece.length;
    } else if (piece.length <= budget) {
      startPage(piece);
    } else {
      // A word longer than a page: fill what is left of this page, then whole pages of characters.
      let characters = [...piece.text];
      let separator = piece.separator;
      const room = budget - used - 1;
      if (page.length > 0 && room > 0) {
        page.push({ ...piece, text: characters.slice(0, room).join(""), length: room, endsLine: false });
        characters = characters.slice(room);
        separator = "";
      }
      while (characters.length > budget) {
        startPage({ ...piece, text: characters.slice(0, budget).join(""), length: budget, separator, endsLine: false });
        characters = characters.slice(budget);
        separator = "";
      }
      startPage({ ...piece, text: characters.join(""), length: characters.length, separator });
    }
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

function bodyOf(page: Page): string {
  return page.map((part, index) => (index === 0 ? part.text : `${part.separator}${part.text}`)).join("");
}

function lengthOf(page: Page): number {
  return page.reduce((sum, part, index) => sum + part.length + (index === 0 ? 0 : part.separator.length), 0);
}
