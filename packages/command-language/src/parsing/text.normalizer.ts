/**
 * The forms of one line that commands are matched on. Todo texts never go through these:
 * they keep the user's spelling.
 */

const CHECK_MARK_EMOJI = /[✅✔☑]\uFE0F?/gu;
const APOSTROPHES = /['’‘`´ʼ]/gu;
/** "1-3", "#1–#3": a range of todo numbers, read as "1 through 3". */
const NUMBER_RANGE_DASH = /(?<=\d)\s*[-–—]\s*(?=#?\s*\d)/gu;
const PICTOGRAPHS = /\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}]|\uFE0F|\u200D|\u20E3/gu;

/** Words said before a command that do not change it: "ok done 3", "oops undo", "please list". */
const LEADING_COURTESY = new Set(["please", "pls", "plz", "ok", "okay", "oops", "whoops", "sorry", "hey"]);
/** Words said after a command that do not change it: "more please", "done 3 thanks". */
const TRAILING_COURTESY = new Set(["please", "pls", "plz", "thanks", "thx", "ty", "thankyou"]);
const SEPARATOR_TOKENS = new Set([",", "&"]);

const LEADING_COURTESY_TEXT = new RegExp(`^(?:(?:${[...LEADING_COURTESY].join("|")})\\b[\\s,.!:;-]*)+`, "iu");
const TRAILING_PUNCTUATION = new Set([" ", ".", ",", "!", "?", ";"]);

/**
 * Lower case, apostrophes dropped ("what's" → "whats"), check marks read as "done", other
 * punctuation and emoji turned into spaces; "#", "," and "&" become tokens of their own, so
 * "done#3," is ["done", "#", "3", ","], and a dash between numbers reads "through".
 */
export function matchingTokens(line: string): string[] {
  const normalized = line
    .normalize("NFKC")
    .replace(CHECK_MARK_EMOJI, " done ")
    .toLowerCase()
    .replace(APOSTROPHES, "")
    .replace(NUMBER_RANGE_DASH, " through ")
    .replace(/[^\p{L}\p{N}#,&\s]/gu, " ")
    .replace(/([#,&])/gu, " $1 ");
  return normalized.split(/\s+/u).filter((token) => token !== "");
}

/**
 * The tokens without leading interjections ("ok", "oops", "please") and trailing politeness
 * ("please", "thanks", "thank you"), and without separators left at either end. When nothing
 * would be left ("thanks", "oops") the tokens are returned as they are.
 */
export function withoutCourtesy(tokens: readonly string[]): readonly string[] {
  let start = 0;
  let end = tokens.length;
  const skippable = (token: string | undefined, words: ReadonlySet<string>) =>
    token !== undefined && (words.has(token) || SEPARATOR_TOKENS.has(token));
  while (start < end && skippable(tokens[start], LEADING_COURTESY)) start += 1;
  for (;;) {
    if (end > start && skippable(tokens[end - 1], TRAILING_COURTESY)) end -= 1;
    else if (end - start >= 2 && tokens[end - 2] === "thank" && tokens[end - 1] === "you") end -= 2;
    else break;
  }
  const kept = tokens.slice(start, end);
  return kept.some((token) => !SEPARATOR_TOKENS.has(token)) ? kept : tokens;
}

/** The words of tokens joined by single spaces, separators left out: the key of the fixed phrases. */
export function phraseOf(tokens: readonly string[]): string {
  return tokens.filter((token) => !SEPARATOR_TOKENS.has(token)).join(" ");
}

/**
 * The line for the settings commands, which need ":", "/", "_", "-" and "." of times and
 * timezone names: lower case, quotes, apostrophes and emoji dropped, courtesy words and
 * trailing punctuation stripped.
 */
export function settingsText(line: string): string {
  const lowered = line
    .normalize("NFKC")
    .toLowerCase()
    .replace(APOSTROPHES, "")
    .replace(/["“”«»]/gu, " ")
    .replace(PICTOGRAPHS, " ")
    .replace(/\s+/gu, " ")
    .trim();
  const stripped = withoutTrailingCourtesy(lowered).replace(LEADING_COURTESY_TEXT, "").trim();
  return stripped === "" ? withoutTrailingPunctuation(lowered) : stripped;
}

/** The line without leading interjections ("ok", "oops", "please"), as written otherwise. */
export function withoutLeadingCourtesy(line: string): string {
  const stripped = line.trim().replace(LEADING_COURTESY_TEXT, "");
  return stripped === "" ? line.trim() : stripped;
}

/** Word by word from the end rather than by a regular expression, so a long line stays linear. */
function withoutTrailingCourtesy(text: string): string {
  let rest = withoutTrailingPunctuation(text);
  for (;;) {
    const lastSpace = rest.lastIndexOf(" ");
    if (lastSpace < 0) return rest;
    const last = rest.slice(lastSpace + 1);
    const before = rest.slice(0, lastSpace);
    if (TRAILING_COURTESY.has(last)) rest = withoutTrailingPunctuation(before);
    else if (last === "you" && before.endsWith(" thank")) rest = withoutTrailingPunctuation(before.slice(0, -" thank".length));
    else return rest;
  }
}

function withoutTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && TRAILING_PUNCTUATION.has(text[end - 1] ?? "")) end -= 1;
  return text.slice(0, end);
}
