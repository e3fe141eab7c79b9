/**
 * Complete, delete and edit by the user's words: "done milk", "called mom", "check off buy
 * milk", "mark buy fish as completed", "remove milk from my grocery list", "take milk off the
 * list", "I don't need milk anymore", "clear my list", "rename the dentist task to dentist at
 * 2pm", "make it oat milk". What they act on is read by targetsOf.
 *
 * Completion is said with a completion word ("done", "finished", "check off", "cross off",
 * "mark … done") or in the past tense ("called mom", "I bought eggs"); a bare imperative is a
 * todo ("call mom", "check the mail", "finish the report"), unless it names a list ("finish
 * hikes on my to do list") or a number, position or "it".
 */
import type { Command, ListName, TodoSelector } from "../commands/command.model.js";
import { wordInfo } from "../language/lexicon.js";
import {
  DELETE_HOW_REASON,
  EDIT_HOW_REASON,
  NUMBERS_ONLY_REASON,
  TOO_LONG_REASON,
  WHICH_TODO_REASON,
} from "./command.reasons.js";
import type { Line } from "./line.js";
import { listOfMatch, listReference } from "./list-name.js";
import { targetsOf, type Targets } from "./targets.parser.js";
import { MAX_TODO_LENGTH } from "@sms-todo/rules";

type ActionKind = "complete" | "delete";

const REF = listReference();
const t = String.raw`(?<t>.+?)`;
const rx = (source: string) => new RegExp(`^${source}$`, "du");

/** The command for the targets the words name; a verb without any says how it is done. */
function act(kind: ActionKind, target: Line | undefined, list?: ListName): Command {
  const targets = target === undefined ? undefined : targetsOf(target, list);
  return commandOf(kind, targets);
}

function commandOf(kind: ActionKind, targets: Targets | undefined): Command {
  if (targets === undefined) return { kind: "invalid", reason: kind === "complete" ? NUMBERS_ONLY_REASON : DELETE_HOW_REASON };
  if (targets.kind === "invalid") return targets;
  const all = targets.targets.find((target) => target.by === "all");
  const selectors: readonly TodoSelector[] = all ? [all] : targets.targets;
  return targets.list === undefined ? { kind, targets: selectors } : { kind, targets: selectors, list: targets.list };
}

// ---- whole lists ------------------------------------------------------------------------

/** After a list: "… I created last week", "… in my notes", "… please". */
export const WHOLE_LIST_TAIL = String.raw`(?:\s+(?:please|for me|now|completely|entirely|for good|for (?:today|tonight|tomorrow|this week|the day|the week)|(?:that |which )?(?:i|we) (?:created|made|started|have|had|wrote|set up)\b.*|(?:in|from|on) (?:my |the |all )?(?:(?:set|list) of lists|(?:\p{L}+ )?lists|the others|others|notes|phone|app)))?`;
const CLEAR_VERB = String.raw`(?:clear|empty|wipe|reset|blank out|erase|delete|remove|get rid of|throw away|throw out|trash|cancel|clean|clear out|clear up|wipe out|purge|scrap|dump|del|nuke|zap|obliterate)`;
const WHOLE_LIST_PATTERNS: readonly RegExp[] = [
  // "completely clear my calendar", "clear my calendar, all events".
  rx(
    String.raw`(?:(?:completely|totally|entirely|fully|just)\s+)?${CLEAR_VERB}(?:\s+(?:out|up|off))?\s+${REF}\s*,?\s+(?:of\s+)?(?:all|everything)(?:\s+of\s+(?:it|them)|\s+(?:the\s+)?(?:events|items|tasks|todos|entries|things|data|information|stuff))?(?:\s+(?:please|now))?`,
  ),
  rx(String.raw`(?:completely|totally|entirely|fully)\s+${CLEAR_VERB}(?:\s+(?:out|up|off))?\s+${REF}${WHOLE_LIST_TAIL}`),
  // "I need everything deleted from my calendar", "I want all of it gone from the list".
  rx(
    String.raw`(?:i|we)\s+(?:need|want|would like|d like|id like)\s+(?:everything|all|all of it|it all|all items|all the items)\s+(?:to be\s+)?(?:deleted|removed|cleared|erased|gone|wiped)\s+(?:from|off|on|in)\s+${REF}(?:\s+(?:please|now))?`,
  ),
  rx(
    String.raw`${CLEAR_VERB}(?:\s+(?:out|up|off))?\s+(?:(?:the contents of|everything (?:on|in|from)|all (?:of )?(?:the )?(?:tasks |items |things |todos |to dos |entries |events )?(?:on|in|from))\s+)?${REF}${WHOLE_LIST_TAIL}`,
  ),
  rx(
    String.raw`${CLEAR_VERB}\s+(?:all|everything)(?:\s+(?:of\s+)?(?:my\s+|the\s+)?(?:lists|tasks|items|todos|to dos|things|reminders|events|entries|data|information|info|content|contents|appointments|meetings)(?:\s+and\s+(?:all\s+)?(?:the\s+)?(?:lists|tasks|items|todos|things|reminders|events|entries|data|information|info|content|contents|appointments|meetings))?)?(?:\s+(?:on|in|from|off)\s+${REF})?(?:\s+(?:please|for me|now))?`,
  ),
  rx(
    String.raw`${CLEAR_VERB}\s+all\s+(?:of\s+)?(?:my\s+|the\s+)?(?:lists|tasks|items|todos|to dos|things|entries|events)(?:\s+(?:on|in|from|off)\s+${REF})?`,
  ),
  rx(String.raw`make\s+${REF}\s+empty`),
  rx(
    String.raw`${CLEAR_VERB}\s+(?:every|each)\s+(?:single\s+)?(?:item|task|thing|todo|to do|entry|event|reminder)(?:\s+(?:on|in|from|off)\s+${REF})?`,
  ),
  rx(String.raw`${CLEAR_VERB}\s+${REF}\s+(?:clean|out|completely|entirely)`),
  rx(
    String.raw`${CLEAR_VERB}\s+(?:the\s+)?list\s+(?:called\s+|named\s+)?(?<name>(?!(?:of|for|please)\b)[\p{L}\p{N}]+(?:\s+[\p{L}\p{N}]+)?)`,
  ),
];

/** "mark the grocery list as done", "set my list as finished": every todo of it, completed. */
const WHOLE_LIST_DONE = rx(
  String.raw`(?:mark|set|check off|tick off|cross off)\s+${REF}\s+(?:as\s+)?(?:done|finished|complete|completed)`,
);

/** "clear my list", "delete everything", "empty the shopping list": all of them, confirmed first. */
export function parseWholeList(line: Line): Command | undefined {
  const done = line.match(WHOLE_LIST_DONE);
  if (done !== null) {
    const list = listOfMatch(done);
    return list === undefined
      ? { kind: "complete", targets: [{ by: "all" }] }
      : { kind: "complete", targets: [{ by: "all" }], list };
  }
  for (const pattern of WHOLE_LIST_PATTERNS) {
    const match = line.match(pattern);
    if (match === null) continue;
    const list = listOfMatch(match);
    return list === undefined ? { kind: "delete", targets: [{ by: "all" }] } : { kind: "delete", targets: [{ by: "all" }], list };
  }
  return undefined;
}

// ---- complete ---------------------------------------------------------------------------

const SUBJECT = String.raw`(?:(?:i|we|im|ive|weve|id|just|already|finally|now|have|ve|had|am|m|are|re|also)\s+)*`;
/** Words that complete whatever follows them. */
const COMPLETE_FIRST = String.raw`(?:done with|finished with|through with|done|completed|complete|checked off|check off|crossed off|cross off|cross out|crossed out|ticked off|tick off|scratch off|scratched off|scratch out|marked off|mark off|strike off|struck off|check the box(?:\s+(?:for|of|next to|on))?|mark (?:as )?(?:done|complete|completed|finished)|(?:task|item|todo) (?:completed|done|finished))`;
/** The words that, after the name, say it is done. */
const DONE_WORDS = String.raw`(?:done|completed|complete|finished|checked|checked off|crossed off|ticked off|taken care of|bought|purchased|sorted|sorted out|handled|over|accomplished)`;
/** "take X off my list of tasks to complete" is no completion. */
const NOT_DONE_START = String.raw`(?:take|remove|delete|erase|get rid|cancel|drop|i need|we need|need|add|put|remind|dont|do not|please|make sure|get|have|has|want|must|should|to|what|which|who|how|when|where|why|is|are|do|does|did|can|will)\b`;
/** Imperatives that complete only with a list, a number, a position or "it": "finish 3", "finish hikes on my list". */
const WEAK_COMPLETE_FIRST = String.raw`(?:finish|check|mark|tick|cross|close|strike)`;

const COMPLETE_PATTERNS: ReadonlyArray<{ readonly pattern: RegExp; readonly strong: boolean }> = [
  {
    pattern: rx(
      String.raw`${SUBJECT}(?:can you\s+)?(?:check|cross|tick|scratch|mark|strike)\s+${t}\s+(?:off|out)(?<after>\s+.*)?`,
    ),
    strong: true,
  },
  { pattern: rx(String.raw`(?:please\s+)?mark\s+${t}\s+(?:as\s+)?${DONE_WORDS}(?<after>\s+(?:on|in|from)\s+.*)?`), strong: true },
  { pattern: rx(String.raw`${SUBJECT}${COMPLETE_FIRST}\s+${t}`), strong: true },
  {
    pattern: rx(
      String.raw`(?!${NOT_DONE_START})${t}\s+(?:(?:is|are|s|has been|have been|was|were|now|all|already|finally|got|been)\s+)*${DONE_WORDS}(?<after>\s+(?:on|in|from|off)\s+${REF})?`,
    ),
    strong: true,
  },
  { pattern: rx(String.raw`${WEAK_COMPLETE_FIRST}\s+${t}`), strong: false },
];
/** Past tenses that do not say a todo is done: "I forgot to buy milk", "I wanted to call Bob". */
const NOT_COMPLETION = new Set(
  (
    "forgot wanted needed tried decided promised planned meant had was were said told asked used thought heard saw " +
    "started learned agreed offered hoped expected liked loved hated added ran left missed lost found noticed realized " +
    "remembered guess guessed felt seemed became came got put set let"
  ).split(" "),
);
const PAST_TENSE = rx(String.raw`${SUBJECT}(?<verb>\p{L}+)(?<rest>\s+.+)`);

export function parseComplete(line: Line): Command | undefined {
  if (
    /^(?:thats|that is|its|it is|this is|that s|it s)\s+(?:(?:all|now|finally|already)\s+)?(?:done|finished|completed|complete|taken care of)$/u.test(
      line.phrase,
    )
  ) {
    return { kind: "complete", targets: [{ by: "reference" }] };
  }
  for (const { pattern, strong } of COMPLETE_PATTERNS) {
    const match = line.match(pattern);
    const target = match ? line.sub(match, "t") : undefined;
    if (match === null || target === undefined) continue;
    const after = line.sub(match, "after");
    const list = after === undefined ? undefined : listOfMatch(new RegExp(REF, "du").exec(after.phrase) ?? emptyMatch());
    const targets = targetsOf(target, list);
    if (!strong && !namesMoreThanWords(target, targets)) continue;
    if (
      !strong &&
      targets?.kind === "targets" &&
      targets.targets[0]?.by === "all" &&
      !/\b(?:all|everything)\b/u.test(target.phrase)
    )
      continue;
    return commandOf("complete", targets);
  }
  return pastTenseCompletion(line);
}

/** "called mom", "I bought eggs", "I finished the report": done, said in the past tense. */
function pastTenseCompletion(line: Line): Command | undefined {
  const match = line.match(PAST_TENSE);
  const verb = match?.groups?.verb;
  const rest = match ? line.sub(match, "rest") : undefined;
  if (match === null || verb === undefined || rest === undefined) return undefined;
  // "did you change …", "had we …": an auxiliary before its subject asks.
  if (NOT_COMPLETION.has(verb) || /^(?:to|out of|up on|not|never|you|u|i|we|he|she|they)\b/u.test(rest.phrase)) return undefined;
  // "I am exhausted", "we're tired": a state, not a todo done.
  if (
    /^(?:\p{L}+\s+)*?(?:am|m|are|re)\s+\p{L}+/u.test(line.phrase.slice(0, (match.indices?.groups?.verb?.[0] ?? 0) + verb.length))
  )
    return undefined;
  // "I did it" is "it"; "Oops I did it again tickets" is a todo.
  if (/^(?:it|that|this)\s+\S/u.test(rest.phrase)) return undefined;
  const info = wordInfo(verb);
  if (!info.pastTense) return undefined;
  const spans = match.indices?.groups;
  const verbStart = spans?.verb?.[0] ?? 0;
  // "I finished my to do list": the whole list.
  const wholeList = targetsOf(rest);
  if (wholeList?.kind === "targets" && wholeList.targets[0]?.by === "all") return commandOf("complete", wholeList);
  return act("complete", line.from(verbStart));
}

/** Whether a weak completion ("finish X", "check X") names a list, a number, a position or "it". */
function namesMoreThanWords(target: Line, targets: Targets | undefined): boolean {
  if (targets === undefined || targets.kind === "invalid") return targets !== undefined;
  if (targets.list !== undefined) return true;
  if (targets.targets.some((selector) => selector.by !== "name")) return true;
  return (
    new RegExp(String.raw`\s(?:from|on|in|off|of)\s+${REF}`, "u").test(` ${target.phrase}`) ||
    /^(?:the\s+)?(?:task|item|todo|to do)\s/u.test(target.phrase)
  );
}

function emptyMatch(): RegExpExecArray {
  return /(?:)/du.exec("") as RegExpExecArray;
}

// ---- delete -----------------------------------------------------------------------------

const DELETE_VERB = String.raw`(?:delete|del|remove|erase|cancel|nix|scrap|trash|omit|discard|rm|eliminate|kill|abolish|expunge|dismiss|scratch|get rid of|clear off|clear away|forget about|take away|strike out|bin|ditch|axe|disregard)`;
const DELETE_PATTERNS: readonly RegExp[] = [
  rx(String.raw`${DELETE_VERB}\s+(?:(?:off|out|of|remove|delete|the entry|the item)\s+)*${t}`),
  rx(
    String.raw`take\s+(?!(?:the |a |next |this |some )?(?:day|days|week|weekend|time|morning|afternoon|evening|night|monday|tuesday|wednesday|thursday|friday|saturday|sunday|work)\b)${t}\s+off(?:\s+(?:of|from))?(?<after>\s+.*)?`,
  ),
  rx(String.raw`take\s+${t}\s+(?:out|away)\s+(?:of|from)(?<after>\s+.*)`),
  // "take eggs from the shopping list", and "of" for "off": "take frozen food of my list".
  rx(String.raw`take\s+${t}\s+(?:from|of)\s+(?<after>${REF}.*)`),
  // "clear Jeff's birthday from the calendar", "wipe the meeting off my schedule".
  rx(String.raw`(?:clear|wipe|scrub|erase)\s+${t}\s+(?:from|off|off of|out of)\s+(?<after>${REF}.*)`),
  rx(String.raw`take\s+(?:off|out|away)\s+(?:of\s+|from\s+)?(?<ref>${REF})\s+(?<t2>.+)`),
  rx(String.raw`take\s+(?:off|out|away)\s+${t}\s+(?:from|of|off)(?<after>\s+.*)`),
  // "take off the dentist appointment": with a determiner, "take off" takes an object.
  rx(String.raw`take\s+(?:off|out|away)\s+(?=(?:the|my|our|that|this)\s)${t}`),
  rx(String.raw`move\s+${t}\s+to\s+(?:the\s+)?(?:trash|bin|garbage|recycle bin)(?<after>\s+.*)?`),
  rx(String.raw`find\s+${t}(?:\s+(?:on|in)\s+${REF})?\s+and\s+(?:delete|remove|erase)(?:\s+it)?`),
  rx(String.raw`find\s+${REF}\s+and\s+(?:delete|remove|erase)\s+(?<t2>.+)`),
  rx(
    String.raw`${t}\s+(?:is|are|has been|have been|was|were)\s+(?:cancelled|canceled|deleted|removed|called off|off|not needed|no longer needed)(?<after>\s+.*)?`,
  ),
  rx(String.raw`(?!(?:check|cross|tick|mark|scratch|strike)\b)${t}\s+off\s+(?:of\s+)?${REF}`),
  rx(
    String.raw`(?:i|we)\s+(?:want|wish|would like|d like|id like|need)\s+${t}\s+(?:to be\s+)?(?:off|removed from|taken off|deleted from|out of|gone from|erased from)(?<after>\s+.*)?`,
  ),
  rx(
    String.raw`(?!(?:i|we|you)\b)(?!(?:it|this|that)$)${t}\s+(?:can|should|needs to|need to|must|has to|could) (?:be|come) (?:removed|deleted|taken off|taken out|erased|off)(?<after>\s+.*)?`,
  ),
  rx(String.raw`(?:get|pull|strike|knock)\s+${t}\s+(?:off|out of|from)\s+(?:of\s+)?(?<after>${REF}.*)`),
];
/** "I don't need milk anymore", "no need to buy milk", "we no longer need fries": delete by name. */
const NOT_NEEDED = rx(
  String.raw`(?:(?:i|we)\s+)?(?:(?:dont|do not|no longer|wont|will not|dont really|do not really)\s+(?:need|want)|no need (?:to|for)|no longer (?:attending|going to|joining|doing|having)|(?:am|m|are|re|will|will be|ll)\s+(?:be\s+)?no longer (?:be\s+)?(?:attending|going to|joining|doing|having|need))\s+(?:to\s+)?(?<t>.+)`,
);
/** Where the name ends in "I don't need X anymore, take it off my list". */
const CLAUSE_END =
  /\s+(?:anymore|any more|so|because|since|as|take it|remove it|delete it|forget (?:it|that|about it)|,)\b.*$|\s+,.*$/u;
const DROP = rx(String.raw`drop\s+${t}`);

export function parseDelete(line: Line): Command | undefined {
  const notNeeded = line.match(NOT_NEEDED);
  const wanted = notNeeded ? line.sub(notNeeded, "t") : undefined;
  if (wanted !== undefined) {
    const end = CLAUSE_END.exec(wanted.phrase);
    const named = end ? wanted.between(0, end.index) : wanted;
    const scoped = end ? listInClause(end[0]) : undefined;
    return act("delete", named, scoped);
  }
  for (const pattern of DELETE_PATTERNS) {
    const match = line.match(pattern);
    if (match === null) continue;
    const target = line.sub(match, "t") ?? line.sub(match, "t2");
    const after = line.sub(match, "after");
    const list = listOfMatch(match) ?? (after === undefined ? undefined : listInClause(after.phrase));
    return act("delete", target, list);
  }
  const drop = line.match(DROP);
  const dropped = drop ? line.sub(drop, "t") : undefined;
  if (dropped !== undefined && !/\b(?:off|by|at|to|into|in|from)\b/u.test(dropped.phrase)) return act("delete", dropped);
  return undefined;
}

function listInClause(clause: string): ListName | undefined {
  const match = new RegExp(String.raw`(?:^|\s)(?:(?:on|in|from|off|of|to)\s+)?${REF}`, "du").exec(clause.trim());
  return match ? listOfMatch(match) : undefined;
}

// ---- edit -------------------------------------------------------------------------------

const EDIT_VERB = String.raw`(?:rename|change|edit|update|modify|reword|amend)`;
const NEW_TEXT = String.raw`(?<new>.+)`;
const EDIT_PATTERNS: readonly RegExp[] = [
  rx(
    String.raw`(?:remove|delete|take|erase|drop|cross off)\s+${t}\s*,?\s+and\s+(?:then\s+)?(?:add|put|replace it with|write)\s+${NEW_TEXT}`,
  ),
  rx(
    String.raw`${EDIT_VERB}\s+(?:the\s+)?(?:task|item|todo|to do|entry|reminder|number|no|nr)\s+${t}\s+(?:to|into|as|with)\s+${NEW_TEXT}`,
  ),
  rx(
    String.raw`${EDIT_VERB}\s+(?:the\s+)?(?:task|item|todo|to do|entry|reminder|number|no|nr)\s+(?<t>#?\s*\d+)\s*[:=-]?\s*${NEW_TEXT}`,
  ),
  rx(
    String.raw`${EDIT_VERB}\s+(?:the\s+)?(?:title|name|text|wording|words)\s+(?:of|for|on)\s+${t}\s+(?:to say|to read|to|into|as)\s+${NEW_TEXT}`,
  ),
  rx(String.raw`(?:rename|reword|edit)\s+${t}\s+(?:to say|to read|to|into|as)\s+${NEW_TEXT}`),
  rx(String.raw`${EDIT_VERB}\s+${t}\s+(?:to say|to read)\s+${NEW_TEXT}`),
  rx(String.raw`${EDIT_VERB}\s+${t}\s+(?:on|in)\s+${REF}\s+(?:to|into|as)\s+${NEW_TEXT}`),
  rx(String.raw`${EDIT_VERB}\s+${t}\s+(?:to|into|with)\s+(?<new>.+?)\s+(?:on|in)\s+${REF}`),
  rx(String.raw`(?:replace|swap|switch|substitute)\s+${t}\s+(?:with|for|by)\s+${NEW_TEXT}`),
  rx(String.raw`(?:instead of|rather than)\s+${t}\s*,?\s+(?:put|add|write|make it|i want|i need|get)\s+${NEW_TEXT}`),
  rx(String.raw`(?:make|call)\s+(?<t>it|that|this|that one|this one)\s+(?:say\s+|read\s+|into\s+)?${NEW_TEXT}`),
];
/** What is left of the wrapper after the new text: "… to it", "… instead". */
const NEW_TEXT_TAIL = new RegExp(
  String.raw`(?:\s+(?:to it|on it|there|instead|in its place|please|thanks)|\s+(?:on|in|to|from|at)\s+${REF}|\s+instead of (?:it|that))+$`,
  "u",
);

export function parseEditByWords(line: Line): Command | undefined {
  for (const pattern of EDIT_PATTERNS) {
    const match = line.match(pattern);
    const target = match ? line.sub(match, "t") : undefined;
    let text = match ? line.sub(match, "new") : undefined;
    if (match === null || target === undefined || text === undefined) continue;
    const tail = NEW_TEXT_TAIL.exec(text.phrase);
    if (tail) text = text.between(0, tail.index);
    const newText = text.text.replace(/^["'“”‘’]+|["'“”‘’.]+$/gu, "").trim();
    const targets = targetsOf(target);
    if (targets?.kind === "invalid") return targets;
    const [selector] = targets?.targets ?? [];
    if (selector === undefined || selector.by === "all" || (targets?.targets.length ?? 0) > 1)
      return { kind: "invalid", reason: EDIT_HOW_REASON };
    if (newText === "") return { kind: "invalid", reason: EDIT_HOW_REASON };
    if (newText.length > MAX_TODO_LENGTH) return { kind: "invalid", reason: TOO_LONG_REASON };
    const list = targets?.list;
    return list === undefined
      ? { kind: "edit", target: selector, text: newText }
      : { kind: "edit", target: selector, text: newText, list };
  }
  return undefined;
}

/** "mark a task as done", "delete something": an action without saying which. */
export const WHICH_TODO: Command = { kind: "invalid", reason: WHICH_TODO_REASON };
