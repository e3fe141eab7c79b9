/**
 * The command one line asks for, as a pipeline of named stages tried in order. The first stage
 * that recognises the line decides; a line nothing recognises is a todo, as written.
 *
 *   normalise → time requests (snooze, stop repeating, due lists) → fixed words → "add …" → settings → numbers → opt-out hint → small talk →
 *   help questions → undo/edit phrasings → add wrappers → named lists → whole lists →
 *   count/find/list questions → edit, complete, delete by words → list first → reschedule,
 *   other questions, talk about the list (never todos) → todo
 */
import type { Command } from "../commands/command.model.js";
import { parseAddOfWhatCameBefore, parseAddRequest, parseExplicitAdd, parseListColon, plainAdd } from "./add.parser.js";
import { FIXED_PHRASES, LIST } from "./command.keywords.js";
import {
  ACKNOWLEDGED_REASON,
  EDIT_HOW_REASON,
  NUMBERS_ONLY_REASON,
  UNDO_HOW_REASON,
  DELETE_HOW_REASON,
  WHAT_TO_DO_REASON,
} from "./command.reasons.js";
import { parseEdit } from "./edit.parser.js";
import {
  addsOnlyAList,
  parseListAsked,
  parseNotATodo,
  parseQuestionForm,
  parseRepair,
  parseSaidToTheProduct,
} from "./not-a-todo.parser.js";
import { Line } from "./line.js";
import { listOfMatch, listReference } from "./list-name.js";
import { parseCount, parseCreateList, parseFind, parseListRequest } from "./list-request.parser.js";
import { parseSettings } from "./settings.parser.js";
import {
  parseHelpQuestion,
  parseListTalk,
  parseOptOutHint,
  parseOtherQuestion,
  parseReschedule,
  parseSmallTalk,
  parseUnanswerable,
} from "./small-talk.parser.js";
import { matchingTokens, phraseOf, settingsText, withoutCourtesy, withoutLeadingCourtesy } from "./text.normalizer.js";
import { onlyPointsAtATodo } from "./targets.parser.js";
import {
  dueFilterOfListRequest,
  parseDueList,
  parseRemindAgain,
  parseSnooze,
  parseStopRepeating,
} from "./time-request.parser.js";
import { parseComplete, parseDelete, parseEditByWords, parseWholeList } from "./todo-action.parser.js";
import { parseNumberedCommand, referencesIn } from "./todo-number.parser.js";

const QUESTION_MARKS_ONLY = /^[\s?¿]+$/u;
const APPROVAL_EMOJI_ONLY = /^(?:[\s.!👍👌🙏🆗]|[\u{1F3FB}-\u{1F3FF}]|\uFE0F|\u200D)+$/u;

type Stage = (line: Line, raw: string) => Command | undefined;

/** Requests in these words, whatever the rest says: "can you …", "please …", "i want you to …". */
const REQUEST_WORDS =
  /^(?:(?:please|pls|plz|ok|okay|oops|sorry|hey|so|well|um|uh|wait|also|now|then|and|just|maybe|kindly|alright|hi|hello|perhaps)\s+|no\s+(?=(?:forget|never ?mind|nevermind|cancel|scratch|undo|wait|stop)\b)|do me a (?:favor|favour)(?: and)?\s+|(?:can|could|would|will|may|might) (?:you|u|i|we)\s+(?:please\s+)?|(?:we|you|u) (?:can|could)\s+|if you (?:could|can|would)\s+|(?:i want|i would like|id like|i need|i d like) you to\s+|(?:go ahead and|you can|you could|would you be willing to|would you mind|be willing to|be sure to|make sure to|i want to|id like to|i would like to|lets|let s|i wanna|help me|help to|help me to)\s+|,\s*)+/u;
const TRAILING_WORDS =
  /(?:\s+(?:please|pls|plz|thanks|thank you|thx|ty|for me|right now|now|at the moment|currently|asap|ok|okay|i would appreciate it|id appreciate it|if you (?:can|could|would|dont mind))|\s*,)+$/u;

/** The line without the request words around it ("can you please …", "… for me, thanks"). */
function withoutRequestWords(line: Line): Line {
  const lead = REQUEST_WORDS.exec(line.phrase);
  let rest = lead && lead[0].length < line.phrase.length ? line.from(lead[0].length) : line;
  const tail = TRAILING_WORDS.exec(rest.phrase);
  if (tail && tail.index > 0) rest = rest.between(0, tail.index);
  return rest;
}

/** "show me more", "next page please", "go to the next page". */
const MORE_WORDS =
  /^(?:(?:show|shows|display|displays|reveal|reveals|give|send|go to|see|view|tell|get|load)(?: me)?(?: the)? )?(?:next|more)(?: page| one| ones| items?| tasks?| todos?| results?| please| of (?:them|it|the list))*$/u;
/** "undo my last change", "revert that", "take back what I just did". */
const UNDO_WORDS =
  /^(?:undo|revert|reverse|roll back|take back|cancel|scratch)(?: (?:that|it|this|my|the|last|latest|previous|most recent|recent|change|changes|action|request|thing|command|one|edit|entry|what i (?:just )?(?:did|sent|typed|said|wrote|added)))+$|^undo$|^go back(?: one step)?$/u;

const fixedWords: Stage = (line, raw) => {
  const nfkc = raw.normalize("NFKC");
  if (QUESTION_MARKS_ONLY.test(nfkc)) return LIST;
  if (APPROVAL_EMOJI_ONLY.test(nfkc)) return { kind: "invalid", reason: ACKNOWLEDGED_REASON };
  if (MORE_WORDS.test(line.phrase)) return { kind: "more" };
  if (UNDO_WORDS.test(line.phrase)) return { kind: "undo" };
  const tokens = matchingTokens(raw);
  return FIXED_PHRASES.get(phraseOf(tokens)) ?? FIXED_PHRASES.get(phraseOf(withoutCourtesy(tokens)));
};

/** The forms of today's command card: "done 3", "#3 done", "edit 2 buy oat milk", "summary 7am". */
const commandCard: Stage = (_line, raw) =>
  parseSettings(settingsText(raw)) ??
  parseEdit(withoutLeadingCourtesy(raw)) ??
  parseNumberedCommand(withoutCourtesy(matchingTokens(raw)));

/** A verb with nothing to act on: "done", "delete", "undo 3". */
const bareVerb: Stage = (line) => {
  const phrase = line.phrase;
  if (
    /^(?:done|complete|completed|finished|finish|check|check off|tick|tick off|cross off|x|mark done|mark as done|mark complete)$/u.test(
      phrase,
    )
  ) {
    return { kind: "invalid", reason: NUMBERS_ONLY_REASON };
  }
  if (/^(?:delete|del|remove|rm|drop|erase|trash|scrap|discard)$/u.test(phrase))
    return { kind: "invalid", reason: DELETE_HOW_REASON };
  if (/^(?:edit|change|update|rename|replace|reword|modify)$/u.test(phrase)) return { kind: "invalid", reason: EDIT_HOW_REASON };
  if (phrase.startsWith("undo ") && referencesIn(phrase.split(" ").slice(1)) !== undefined)
    return { kind: "invalid", reason: UNDO_HOW_REASON };
  return undefined;
};

/** A todo named with no verb ("the second one", "that one", "task 3"): asked what to do, never stored. */
const selectorAlone: Stage = (line) => {
  const phrase = withoutCourtesy(matchingTokens(line.text)).join(" ");
  const numbered = NUMBERED_ALONE.test(phrase);
  return numbered || onlyPointsAtATodo(phrase) ? { kind: "invalid", reason: WHAT_TO_DO_REASON } : undefined;
};
/** "task 3", "item #2": a number announced, with nothing to do with it. */
const NUMBERED_ALONE = /^(?:(?:the|my)\s+)?(?:task|item|todo|to do|entry|reminder|number|no|nr)\s+#?\s*\d{1,3}$/u;

/** Stages that read the line as written. */
const AS_WRITTEN: ReadonlyArray<readonly [string, Stage]> = [
  ["time request", (line) => timeRequest(line)],
  ["fixed words", fixedWords],
  ["add prefix", (line) => parseExplicitAdd(line)],
  ["command card", commandCard],
  ["bare verb", bareVerb],
  ["todo without a verb", selectorAlone],
  ["opt-out hint", (line) => parseOptOutHint(line)],
  ["small talk", (line) => parseSmallTalk(line)],
  ["help question", (line) => parseHelpQuestion(line)],
  ["unanswerable", (line) => parseUnanswerable(line)],
  ["repeat or start over", (line) => parseRepair(line)],
];

/** "snooze 4 1h", "later", "stop repeating 4", "what's due today". */
function timeRequest(line: Line): Command | undefined {
  return parseSnooze(line) ?? parseRemindAgain(line) ?? parseStopRepeating(line) ?? parseDueList(line);
}

function withDueFilter(line: Line, command: Command | undefined): Command | undefined {
  return command === undefined ? undefined : dueFilterOfListRequest(line, command);
}

/** Stages that read the line without its request words ("can you please …"). */
const AS_REQUESTED: ReadonlyArray<readonly [string, Stage]> = [
  ["time request", (line) => timeRequest(line)],
  ["fixed words", (line) => fixedWords(line, line.text)],
  ["help question", (line) => parseHelpQuestion(line)],
  ["unanswerable", (line) => parseUnanswerable(line)],
  ["add prefix", (line) => parseExplicitAdd(line)],
  ["command card", (line) => commandCard(line, line.text)],
  ["edit by words", (line) => parseEditByWords(line)],
  ["whole list", (line) => parseWholeList(line)],
  ["request wanted", (line) => requestWanted(line)],
  ["add what came before", (line) => parseAddOfWhatCameBefore(line)],
  ["add wrapper", (line) => parseAddRequest(line)],
  ["list colon", (line) => parseListColon(line)],
  ["create list", (line) => parseCreateList(line)],
  ["count", (line) => parseCount(line)],
  ["find", (line) => parseFind(line)],
  ["list request", (line) => withDueFilter(line, parseListRequest(line))],
  ["complete", (line) => parseComplete(line)],
  ["delete", (line) => parseDelete(line)],
];

/**
 * Last, before a line becomes a todo: what is surely none ("move it to 4pm", a question, a
 * request for the lists, talk about the list, a statement or a comment). These stages get the
 * line without its request words and, as `raw`, the line as written.
 */
const NOT_A_TODO: ReadonlyArray<readonly [string, Stage]> = [
  ["reschedule", (line) => parseReschedule(line)],
  ["question form", (line, raw) => parseQuestionForm(line, Line.of(raw))],
  ["other question", (line) => parseOtherQuestion(line)],
  ["lists asked for", (line) => parseListAsked(line)],
  ["list talk", (line) => parseListTalk(line)],
  ["statement or comment", (line, raw) => parseNotATodo(line, Line.of(raw))],
  ["said to the product", (line) => parseSaidToTheProduct(line)],
];

/** "I need to …", "we want to …": a wish that may be a request about the list. */
const WANT_TO = /^(?:(?:i|we)\s+)?(?:really\s+)?(?:need|want|have|would like|d like|id like|got)\s+to\s+(?=\p{L})/u;
const NAMES_A_LIST = new RegExp(listReference(), "u");
const WANTED_KINDS = new Set<Command["kind"]>(["complete", "delete", "edit", "list", "find"]);

/**
 * "I need to delete tomatoes from my shopping list and add onions instead": what is wanted is a
 * request about the list, not a todo. Only when the rest names a list, since "I need to finish
 * the report" is a todo.
 */
function requestWanted(line: Line): Command | undefined {
  const want = WANT_TO.exec(line.phrase);
  if (want === null) return undefined;
  const rest = line.from(want[0].length);
  if (!NAMES_A_LIST.test(rest.phrase)) return undefined;
  const command = requestedCommand(rest);
  return command !== undefined && WANTED_KINDS.has(command.kind) ? command : undefined;
}

/** "shopping list: delete eggs", "on my shopping list, remove eggs": the list first, then the request. */
const LIST_FIRST = new RegExp(
  String.raw`^(?:(?:on|in|from|for|update|edit|open|go to|in)\s+)?${listReference()}\s*,?\s+(?=\p{L})`,
  "du",
);

function listFirst(line: Line): Command | undefined {
  const match = line.match(LIST_FIRST);
  if (match === null || match[0].length >= line.phrase.length) return undefined;
  const command = requestedCommand(withoutRequestWords(line.from(match[0].length)));
  const list = listOfMatch(match);
  if (command === undefined || list === undefined) return command;
  switch (command.kind) {
    case "complete":
    case "delete":
    case "edit":
    case "find":
    case "list":
    case "add":
      return command.list === undefined ? { ...command, list } : command;
    default:
      return command;
  }
}

function requestedCommand(line: Line): Command | undefined {
  for (const [, stage] of AS_REQUESTED) {
    const command = stage(line, line.text);
    if (command) return command;
  }
  return undefined;
}

/** Polite words a todo is stored without: "please buy milk", "can you call mom". */
const POLITE =
  /^(?:please|pls|plz|kindly|(?:can|could|would|will) (?:you|u)|go ahead and|i want you to|i need you to|id like you to|i want to|i would like to|id like to|i wanna)\b/u;

/** Where a reason ends and the request starts: "We're out of paint, so take X off", "I did it. Remove it." */
const CLAUSE_BREAK = /(?<=[.!?])\s+(?=\p{L})|,?\s+so\s+(?=\p{L})/u;
/** What the last clause of a message may ask for and so speak for the whole message. */
const REQUEST_KINDS = new Set<Command["kind"]>(["complete", "delete", "edit", "list", "find"]);

/**
 * The request in a message's last clause, when the clauses before it only give the reason
 * ("We're out of paint, so take painting off the list"): undefined when there is one clause or
 * the last one is not such a request.
 */
function lastClauseRequest(raw: string): Command | undefined {
  const clauses = raw.split(CLAUSE_BREAK);
  if (clauses.length < 2) return undefined;
  const last = clauses.at(-1)?.trim() ?? "";
  if (last === "") return undefined;
  const command = parseSingleClause(last);
  // "… the wedding on the 10th so remove it": "it" is named earlier, so the whole message is read.
  const pointsBack =
    (command.kind === "complete" || command.kind === "delete") && command.targets.some((target) => target.by === "reference");
  if (pointsBack) return namedBefore(clauses.slice(0, -1).join(" "), command);
  return REQUEST_KINDS.has(command.kind) ? command : undefined;
}

/**
 * "I just finished the recycling, so cross that off my list": the clauses before name what "that"
 * means, when they read as the same request by name; the list comes from the last clause.
 */
function namedBefore(before: string, pointing: Command): Command | undefined {
  if (pointing.kind !== "complete" && pointing.kind !== "delete") return undefined;
  const named = parseSingleClause(before.replace(/[\s,.;!]+$/u, ""));
  if (named.kind !== pointing.kind || !named.targets.every((target) => target.by === "name")) return undefined;
  return named.list === undefined && pointing.list !== undefined ? { ...named, list: pointing.list } : named;
}

/** The command one line asks for; a todo (the line as written) when no stage recognises it. */
export function parseCommandLine(raw: string): Command {
  const command = parseSingleClause(raw);
  if (command.kind !== "add" && !(command.kind === "complete" || command.kind === "delete")) return command;
  return lastClauseRequest(raw) ?? command;
}

function parseSingleClause(raw: string): Command {
  const line = Line.of(raw);
  for (const [, stage] of AS_WRITTEN) {
    const command = stage(line, raw);
    if (command) return command;
  }
  const requested = withoutRequestWords(line);
  const command = requestedCommand(requested) ?? listFirst(requested);
  if (command && addsOnlyAList(command)) return listAskedIn(command);
  if (command) return command;
  for (const [, stage] of NOT_A_TODO) {
    const notATodo = stage(requested, raw);
    if (notATodo) return notATodo;
  }
  return plainAdd(POLITE.test(line.phrase) && requested.text !== "" ? requested.text : raw);
}

/** The list an add of only a list asked for. */
function listAskedIn(command: Command): Command {
  const [text = ""] = command.kind === "add" ? command.texts : [];
  return parseListAsked(Line.of(text)) ?? { kind: "list" };
}

/** The names of the stages, in the order they are tried (for the docs and tests). */
export const STAGES: readonly string[] = [...AS_WRITTEN, ...AS_REQUESTED, ["list first"] as const, ...NOT_A_TODO].map(
  ([name]) => name,
);
