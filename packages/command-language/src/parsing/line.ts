/**
 * One line of a message in the two forms the parser needs: `phrase`, the normalised words the
 * intent patterns are written against ("whats on my shopping list", "#", "," and "&" kept as
 * words of their own), and the text as written, so a todo's words keep the user's spelling.
 * A pattern's match in the phrase maps back to the words as written (`textOf`).
 */

interface Token {
  /** Lower case, apostrophes dropped: "What's" → "whats". */
  readonly word: string;
  /** Where the token is in the text as written. */
  readonly start: number;
  readonly end: number;
}

/** Words, "#", "," and "&", and a dash between numbers ("1-3"), which reads "through". */
const TOKEN = /[\p{L}\p{N}]+(?:['’‘`´ʼ][\p{L}\p{N}]+)*|[#,&]|(?<=\d)\s*[-–—]\s*(?=#?\s*\d)/gu;
const APOSTROPHES = /['’‘`´ʼ]/gu;
const CHECK_MARK_EMOJI = /[✅✔☑]\uFE0F?/gu;

/** A captured part of a phrase: the words as normalised and as written. */
export interface Part {
  readonly phrase: string;
  readonly text: string;
}

export class Line {
  /** The normalised words joined by single spaces. */
  readonly phrase: string;
  private readonly offsets: readonly number[];

  private constructor(
    /** The text as written (whitespace collapsed). */
    readonly text: string,
    private readonly tokens: readonly Token[],
  ) {
    const offsets: number[] = [];
    let length = 0;
    for (const token of tokens) {
      offsets.push(length);
      length += token.word.length + 1;
    }
    this.offsets = offsets;
    this.phrase = tokens.map((token) => token.word).join(" ");
  }

  static of(text: string): Line {
    const written = text.normalize("NFKC").replace(CHECK_MARK_EMOJI, " done ").replace(/\s+/gu, " ").trim();
    const tokens = [...written.matchAll(TOKEN)].map((match) => ({
      word: /^[\p{L}\p{N}#,&]/u.test(match[0]) ? match[0].toLowerCase().replace(APOSTROPHES, "") : "through",
      start: match.index,
      end: match.index + match[0].length,
    }));
    return new Line(written, tokens);
  }

  get words(): readonly string[] {
    return this.tokens.map((token) => token.word);
  }

  /** The line from the word at this phrase offset on (the offset of a word boundary). */
  from(phraseOffset: number): Line {
    return this.between(phraseOffset, this.phrase.length);
  }

  /** The words between two phrase offsets, as a line of their own. */
  between(start: number, end: number): Line {
    const first = this.offsets.findIndex((offset) => offset >= start);
    if (first < 0) return new Line("", []);
    let last = first;
    while (last < this.tokens.length && (this.offsets[last] ?? 0) + (this.tokens[last]?.word.length ?? 0) <= end) last += 1;
    const tokens = this.tokens.slice(first, last);
    const [head] = tokens;
    const tail = tokens.at(-1);
    if (head === undefined || tail === undefined) return new Line("", []);
    // The whole rest of the line keeps what follows its last word ("buy milk 🥛", "call Sarah.").
    const textEnd = last === this.tokens.length ? this.text.length : tail.end;
    const shift = head.start;
    const text = this.text.slice(shift, textEnd);
    return new Line(
      text.trim(),
      tokens.map((token) => ({ ...token, start: token.start - shift, end: token.end - shift })),
    );
  }

  /** Runs a pattern (with the `d` flag) against the phrase. */
  match(pattern: RegExp): RegExpExecArray | null {
    return pattern.exec(this.phrase);
  }

  /** A named group of a match, as normalised and as written; undefined when it did not take part. */
  part(match: RegExpExecArray, group: string): Part | undefined {
    const span = match.indices?.groups?.[group];
    const phrase = match.groups?.[group];
    if (span === undefined || phrase === undefined) return undefined;
    return { phrase: phrase.trim(), text: this.between(span[0], span[1]).text };
  }

  /** A named group as a line of its own. */
  sub(match: RegExpExecArray, group: string): Line | undefined {
    const span = match.indices?.groups?.[group];
    return span === undefined ? undefined : this.between(span[0], span[1]);
  }
}
