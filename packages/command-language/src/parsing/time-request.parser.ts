/**
 * What users text about time, other than a todo with a due: moving a todo ("snooze 4 1h",
 * "postpone #4 to friday", "later" after a reminder, "remind me again tomorrow"), ending a
 * series ("stop repeating 4") and lists by due ("what's due today", "overdue").
 */
import { DEFAULT_SNOOZE, MAX_TIMING_LENGTH } from "@sms-todo/rules";
import type { Command, DueFilter, TodoSelector } from "../commands/command.model.js";
import { resolveTiming } from "../time.js";
import type { Line } from "./line.js";
import { referencesIn } from "./todo-number.parser.js";

const SNOOZE_VERB = /^(?:snooze|postpone|reschedule|move|push back|push|delay|defer|put off|bump|change|shift)(?:\s+|$)/u;
/** "change" and "shift" also edit ("change 2 to buy oat milk"): they move a todo only when a new time is said. */
const EDIT_TOO = /^(?:change|shift)\s/u;
const NUMBER_TARGET = /^(?:(?:task|item|todo|number|no)\s+)?(?:#\s*)?(?<number>\d{1,3})(?:\s+|$)/du;
const REFERENCE_TARGET = /^(?:it|that one|this one|that|this)(?:\s+|$)/u;
const JOINER = /^(?:to|until|till|til|for|by|at|on|in)\s+/u;
/** The last "to"/"until"/"for"/"by" between a todo's words and the time: "move the dentist to tuesday". */
const NAME_THEN_WHEN = /^(?:the\s+)?(?<name>.+?)\s+(?<joiner>to|until|till|til|for|by|at|on|in)\s+(?<when>.+)$/du;
/** "later", "remind me later", "remind me again tomorrow", "not now", "again in 30 min". */
const AGAIN =
  /^(?:(?:remind me|ask me|tell me|text me)\s+)?(?:(?:again|later|another time)\s*)+(?:(?<joiner>to|until|till|til|for|by|at|on|in)\s+)?(?<when>.+)?$|^not now$/du;
/** "stop repeating 4", "don't repeat #4 anymore", "4 stop repeating", "stop repeating it". */
const STOP_REPEATING =
  /^(?:(?:stop|end|cancel)\s+(?:repeating|recurring|the repeat|the series|repeats|recurrence)(?:\s+(?:of|for))?|(?:dont|do not|no longer)\s+(?:repeat|recur))(?:\s+(?<target>.+?))?(?:\s+(?:anymore|any more|again))?$|^(?:task\s+|number\s+)?#?\s*(?<number>\d{1,3})\s+(?:stop repeating|dont repeat|no more repeats|no longer repeats)$/du;
/** "what's due today", "due this week", "overdue", "anything overdue", "what do I have today". */
const DUE_LIST =
  /^(?:(?:what|whats|what is|whats still|what is still|anything|is anything|is there anything|show(?: me)?|list|any(?: todos| tasks)?|which (?:todos|tasks))\s+)?(?:(?<overdue>overdue|late|past due)|(?:(?:is\s+)?(?:due|coming up|on)\s+)?(?<span>today|tonight|this week|for today|for this week|in the next 7 days|this coming week))(?:\s+(?:todos|tasks))?$|^what (?:do|have) i (?:got|have|to do)\s+(?<span2>today|this week)$/u;

/** Time words a todo-domain clock can read; nothing is taken as time that todo-domain would refuse. */
function isTimeWords(words: string): boolean {
  if (words.length === 0 || words.length > MAX_TIMING_LENGTH) return false;
  return resolveTiming({ when: words }, new Date(), "UTC") !== null;
}

/** "1h", "2 hours", "30 min" alone mean that long from now. */
function asWhen(words: string, joiner: string | undefined): string | undefined {
  const durationOnly =
    /^\d+(?:\.\d+)?\s*(?:h|hr|hrs|hour|hours|m|min|mins|minute|minutes|d|day|days|w|wk|week|weeks)$|^(?:an|a|one|half an)\s+(?:hour|day|week)$/u;
  if (/^\d{1,2}(?::\d{2})?$/u.test(words.trim())) return isTimeWords(`at ${words}`) ? `at ${words}` : undefined;
  const spoken = joiner === "in" || joiner === "for" || joiner === "by" || durationOnly.test(words) ? `in ${words}` : words;
  return isTimeWords(spoken) ? spoken : isTimeWords(words) ? words : undefined;
}

/** "snooze 4 1h", "postpone #4 to friday", "move the dentist to tuesday", "snooze" (the todo just reminded, by DEFAULT_SNOOZE). */
export function parseSnooze(line: Line): Command | undefined {
  const verb = line.match(SNOOZE_VERB);
  if (verb === null) return undefined;
  const rest = line.from(verb[0].length);
  if (EDIT_TOO.test(line.phrase) && !/\s(?:to|until|till|for)\s/u.test(` ${rest.phrase} `)) return undefined;
  if (rest.phrase === "") return { kind: "reschedule", target: { by: "reference" }, when: DEFAULT_SNOOZE };
  const number = rest.match(NUMBER_TARGET);
  if (number !== null) {
    const [first] = referencesIn([number.groups?.number ?? ""]) ?? [];
    const when = whenAfter(rest.from(number[0].length));
    return first === undefined || when === undefined
      ? undefined
      : { kind: "reschedule", target: { by: "number", number: first }, when };
  }
  const reference = rest.match(REFERENCE_TARGET);
  if (reference !== null) {
    const when = whenAfter(rest.from(reference[0].length));
    return when === undefined ? undefined : { kind: "reschedule", target: { by: "reference" }, when };
  }
  const onlyWhen = whenAfter(rest);
  if (onlyWhen !== undefined) return { kind: "reschedule", target: { by: "reference" }, when: onlyWhen };
  const named = rest.match(NAME_THEN_WHEN);
  const name = named === null ? undefined : rest.part(named, "name");
  const whenPart = named === null ? undefined : rest.part(named, "when");
  if (named === null || name === undefined || whenPart === undefined) return undefined;
  const when = asWhen(whenPart.text, named.groups?.joiner);
  // "change marathon training from 8:00am to 1:00pm": the old time names nothing.
  const todoName = name.text.replace(/\s+from\s+\S+(?:\s*[ap]\.?m\.?)?$/iu, "");
  return when === undefined ? undefined : { kind: "reschedule", target: { by: "name", name: todoName }, when };
}

/** The time words that end a snooze ("1h", "to friday", nothing: the default); undefined when they are no time. */
function whenAfter(rest: Line): string | undefined {
  if (rest.phrase === "") return DEFAULT_SNOOZE;
  const joiner = rest.match(JOINER);
  const words = joiner === null ? rest : rest.from(joiner[0].length);
  return asWhen(words.text, joiner?.[0].trim());
}

/** "later", "remind me again tomorrow": the todo the latest reply named (a reminder names its todo). */
export function parseRemindAgain(line: Line): Command | undefined {
  const match = line.match(AGAIN);
  if (match === null) return undefined;
  const whenPart = line.part(match, "when");
  const when = whenPart === undefined ? DEFAULT_SNOOZE : asWhen(whenPart.text, match.groups?.joiner);
  return when === undefined ? undefined : { kind: "reschedule", target: { by: "reference" }, when };
}

export function parseStopRepeating(line: Line): Command | undefined {
  const match = line.match(STOP_REPEATING);
  if (match === null) return undefined;
  const target = targetIn(match.groups?.number ?? line.part(match, "target")?.text ?? "");
  return target === undefined ? undefined : { kind: "stop-repeating", target };
}

/** "4", "#4", "task 4", "it", "" (the todo just named), or the todo's words. */
function targetIn(words: string): TodoSelector | undefined {
  const phrase = words
    .toLowerCase()
    .replace(/[#\s]+/gu, " ")
    .trim();
  if (phrase === "" || REFERENCE_TARGET.test(phrase)) return { by: "reference" };
  const number = /^(?:(?:task|item|todo|number|no)\s+)?(\d{1,3})$/u.exec(phrase);
  if (number !== null) {
    const [first] = referencesIn([number[1]!]) ?? [];
    return first === undefined ? undefined : { by: "number", number: first };
  }
  return { by: "name", name: words.replace(/^the\s+/iu, "").trim() };
}

/** "what's on my list for today", "today's to-do list": a list request that names today or this week. */
export function dueFilterOfListRequest(line: Line, command: Command): Command {
  if (command.kind !== "list" || command.countOnly === true || command.due !== undefined) return command;
  if (/\b(?:today|todays|tonight|for the day)\b/u.test(line.phrase)) return { ...command, due: "today" };
  if (/\bthis week\b/u.test(line.phrase)) return { ...command, due: "week" };
  return command;
}

export function parseDueList(line: Line): Command | undefined {
  const match = line.match(DUE_LIST);
  if (match === null) return undefined;
  if (match.groups?.overdue !== undefined) return { kind: "list", due: "overdue" };
  const span = match.groups?.span ?? match.groups?.span2 ?? "";
  const due: DueFilter = span.includes("week") || span.includes("7 days") ? "week" : "today";
  return { kind: "list", due };
}
