/**
 * One spoken item made a todo text: fillers and intents in front and "to my list" at the end
 * dropped, whisper's sentence capital lowered before a verb, cut to MAX_TODO_LENGTH at a word.
 */
import { MAX_TODO_LENGTH } from "@sms-todo/rules";
import { restorePairs } from "./fixed-pairs.protector.js";
import { ACTION_VERBS, INTENT } from "./spoken-action.detector.js";

const LEADING_NOISE = new RegExp(
  String.raw`^(?:(?:um+|uh+m?|erm?|hmm+|mm+|ah+|oh|so|well|okay|ok|alright|all\s+right|right|and|also|then|and\s+then|plus|next|first(?:ly)?|second(?:ly)?|third(?:ly)?|finally|lastly|last(?:ly)?|after\s+that|todo|to\s+do|to-do|reminder|note\s+to\s+self|${INTENT})\b[\s,:.-]*)+`,
  "i",
);
const TRAILING_NOISE =
  /(?:[\s,]+(?:to|on|onto|in)\s+(?:my|the)\s+(?:todo\s+|to\s+do\s+|to-do\s+|shopping\s+|grocery\s+)?list|[\s,]+please|[\s,]+thanks?(?:\s+you)?)+$/i;

export function finishItem(raw: string): string {
  let item = restorePairs(raw).replace(/\s+/g, " ").trim();
  for (let previous = ""; previous !== item;) {
    previous = item;
    item = item
      .replace(LEADING_NOISE, "")
      .replace(TRAILING_NOISE, "")
      .replace(/^[\s,;:.!?-]+|[\s,;:!?-]+$/g, "")
      .replace(/\.+$/, "")
      .trim();
  }
  const firstWord = (/^\S+/.exec(item)?.[0] ?? "").toLowerCase();
  if (ACTION_VERBS.has(firstWord) && /^\p{Lu}\p{Ll}*$/u.test(item.split(/\s+/)[0] ?? "")) {
    item = item.charAt(0).toLowerCase() + item.slice(1);
  }
  return truncate(item);
}

function truncate(item: string): string {
  if (item.length <= MAX_TODO_LENGTH) return item;
  const cut = item.slice(0, MAX_TODO_LENGTH + 1);
  const space = cut.lastIndexOf(" ");
  return (space > MAX_TODO_LENGTH / 2 ? cut.slice(0, space) : cut.slice(0, MAX_TODO_LENGTH)).trim();
}
