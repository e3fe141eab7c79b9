/**
 * Questions about the lists: "what's on my shopping list" (list), "how many things are on my
 * list" (count), "do I have milk on my list?" (find), and "create a shopping list", which needs
 * no command: a list starts with its first todo.
 */
import type { Command, ListName } from "../commands/command.model.js";
import { CREATE_LIST_REASON } from "./command.reasons.js";
import type { Line } from "./line.js";
import { listOf, listOfMatch, listReference } from "./list-name.js";
import { cleanName } from "./targets.parser.js";

const REF = listReference();
const REFERENCE = new RegExp(REF, "du");

/** Words a request for the list is made of, besides the list itself. */
const LIST_REQUEST_WORDS = new Set(
  (
    "show list read view see display give get pull up open browse check out on print send text tell let me hear can could " +
    "i know what whats is are there in my the all items item things thing stuff everything anything else left outstanding " +
    "remaining back to please pls have do does contain of that current next this any lists todos tasks reminders " +
    "got am were was you supposed remind forget not want did instruct should would will like provide recite review " +
    "me us we our whole entire again now for just it up a an s whats still need my added free empty which " +
    "today tonight tomorrow day week morning"
  ).split(" "),
);
/** At least one of these says the line asks for the list. */
const LIST_REQUEST_SIGNALS = new Set(
  "show list read view see display give pull open browse check print tell hear what whats provide recite review anything lists have".split(
    " ",
  ),
);
/** Asked without naming a list: "what do I have left", "what were you supposed to remind me of". */
const LIST_QUESTIONS = [
  /^what (?:else )?(?:do|have|did) (?:i|we) (?:have|got|still have|need)(?: (?:left|to do|to get done|going on|on|planned|pending))?(?: (?:today|tonight|tomorrow|this week))?$/u,
  /^what (?:still |else )?(?:needs|has|have) to (?:be|get) (?:done|finished|completed)(?: (?:today|tonight|tomorrow|this week))?$/u,
  /^what do (?:i|we) (?:need|have) to do(?: (?:today|tonight|tomorrow|this week))?$/u,
  /^what (?:were|are|was) you supposed to remind me (?:of|about)$/u,
  /^what (?:things|stuff) (?:did|do) i (?:not want|want not|want) to (?:forget|remember)$/u,
  /^(?:instruct|tell) me what (?:to do|i have to do|i need to do)$/u,
  /^whats left$|^what is left$|^what remains$|^(?:whats|what is|what s) (?:pending|open|outstanding|remaining|still open|still pending)$/u,
  /^(?:show|list|give|read|send)(?: me)?(?: all)?(?: my| the)? (?:todos|to dos|tasks|reminders|items|things to do)$/u,
  /^what (?:is|s) (?:on )?(?:my|the) (?:plate|agenda|schedule)(?: (?:today|for today|this week))?$/u,
];
/** "what do I need to buy": the shopping list. */
const SHOPPING_QUESTION =
  /^what (?:else )?(?:do|should) (?:i|we) (?:need to |have to )?(?:buy|get|shop for|pick up|need)(?: (?:at|from) the (?:store|shop|supermarket|grocery store|market|grocery))?$/u;

/** "browse my groceries", "show the chores": a list asked for by its name alone. */
const LIST_BY_NAME_ALONE = /^(?:browse|show|view|display|pull up)(?: me)? (?:my|the|our) (?<name>[\p{L}]+)$/u;

/** "show me list groceries", "open the list called work". */
const LIST_NAMED_AFTER =
  /^(?:show|open|read|display|view|check|get|pull up|see|give)(?: me)?(?: the| my)? list (?:called |named |for |of )?(?<name>(?!(?:of|please|items?|again|to|for|me|now|back)\b)[\p{L}\p{N}]+(?: [\p{L}\p{N}]+)?)$/u;

export function parseListRequest(line: Line): Command | undefined {
  if (SHOPPING_QUESTION.test(line.phrase)) return { kind: "list", list: "shopping" };
  const alone = LIST_BY_NAME_ALONE.exec(line.phrase)?.groups?.name;
  if (alone !== undefined) return listCommand(listOf(alone));
  const named = LIST_NAMED_AFTER.exec(line.phrase)?.groups?.name;
  if (named !== undefined) return listCommand(listOf(named));
  if (LIST_QUESTIONS.some((pattern) => pattern.test(line.phrase))) return { kind: "list" };
  const reference = REFERENCE.exec(line.phrase);
  const words = line.words.filter((word) => word !== "," && word !== "&");
  const rest = reference
    ? `${line.phrase.slice(0, reference.index)} ${line.phrase.slice(reference.index + reference[0].length)}`
    : "";
  const restWords = rest.split(" ").filter((word) => word !== "" && word !== "," && word !== "&");
  if (reference && restWords.every((word) => LIST_REQUEST_WORDS.has(word))) {
    const onlyList = restWords.length === 0 || restWords.some((word) => LIST_REQUEST_SIGNALS.has(word)) || restWords.length <= 2;
    if (onlyList) return listCommand(listOfMatch(reference));
  }
  if (
    words.length <= 3 &&
    words.every((word) => LIST_REQUEST_WORDS.has(word)) &&
    words.some((word) => /^(?:todos|tasks|reminders|lists)$/u.test(word))
  ) {
    return { kind: "list" };
  }
  return undefined;
}

function listCommand(list: ListName | undefined): Command {
  return list === undefined ? { kind: "list" } : { kind: "list", list };
}

/** "how many items are on my list", "how many todos do I have". */
const HOW_MANY = new RegExp(
  String.raw`^how many (?:more |open |pending |remaining |other )?(?<what>(?!(?:did|do|does|i|you|we|can|will|have)\b)[\p{L}\p{N}]+(?: (?!(?:did|do|does|i|you|we|can|will|have)\b)[\p{L}\p{N}]+)*?)(?:\s+(?:are|is|do i have|do we have|have i got|i have|are there|are left|left|remain|remaining|do i still have))?(?:\s+(?:on|in)\s+${REF})?(?:\s+(?:left|right now|now|today|still))?$`,
  "du",
);
const COUNTABLE =
  /^(?:items?|things?|tasks?|todos?|to dos?|events?|entries|reminders?|lists?|open (?:todos?|items?|tasks?)|stuff)$/u;

/** "count the number of items on the list", "count my tasks". */
const COUNT_VERB = new RegExp(
  String.raw`^count (?:up )?(?:the number of |how many )?(?:my |the |all )?(?:\p{L}+ )?(?:items?|things?|tasks?|todos?|to dos?|entries|reminders?)(?:\s+(?:on|in)\s+${REF})?$`,
  "du",
);

export function parseCount(line: Line): Command | undefined {
  const counted = line.match(COUNT_VERB);
  if (counted !== null) {
    const list = listOfMatch(counted);
    return list === undefined ? { kind: "list", countOnly: true } : { kind: "list", list, countOnly: true };
  }
  const match = line.match(HOW_MANY);
  const what = match?.groups?.what;
  if (match === null || what === undefined) return undefined;
  const list = listOfMatch(match);
  if (COUNTABLE.test(what))
    return list === undefined ? { kind: "list", countOnly: true } : { kind: "list", list, countOnly: true };
  const name = line.part(match, "what");
  return name === undefined ? undefined : findCommand(name.text, list);
}

/** "do I have milk on my list", "is X on my shopping list", "did I add X", "is there a reminder for X". */
const FIND_PATTERNS: readonly RegExp[] = [
  // "did I put a note on my list to call the bank", "is there anything on my list about the car".
  new RegExp(
    String.raw`^(?:(?:did|have) (?:i|we) (?:make|made|put|leave|left|write|written|add|added|save|saved|set|enter|entered)|(?:is|are) there) (?:a note|a reminder|an entry|an item|a task|a todo|anything|something|any)\s+(?:on|in)\s+${REF}\s+(?:to|for|about|that says|saying|called|named)\s+(?<t>.+)$`,
    "du",
  ),
  // "have I told you to add the recycling to my list".
  new RegExp(
    String.raw`^(?:have|did) (?:i|we) (?:told|tell|asked|ask) (?:you|u) to (?:add|put|include|remind me (?:to|about|of)) (?<t>.+?)(?:\s+(?:to|on|in|onto)\s+${REF})?$`,
    "du",
  ),
  new RegExp(
    String.raw`^(?:do (?:i|we) (?:already |still )?have|have i got|is there|are there|is|are|have i (?:already )?(?:added|put|included|listed|written down|got)|did i (?:already )?(?:add|put|include|list|write down|write|remember to add|remember to put|forget to add|forget to put|save|enter))\s+(?<t>.+?)\s+(?:already\s+|still\s+|yet\s+)?(?:on|in|to|onto|into|at)\s+${REF}(?:\s+(?:already|yet|still|for this week|for today|too|right now|now|currently|at the moment))?$`,
    "du",
  ),
  /^(?:is|are) there (?:an?|any) (?:item|task|todo|to do|reminder|entry|event)s? (?:called|named|for|about|to|that says|saying|set to|set for)\s+(?<t>.+)$/du,
  /^(?:is|are) there (?:an?|any) (?:reminder|item|task)s? (?:set )?(?:for|about|to) (?<t>.+?)(?: on (?:my|the) list)?$/du,
  new RegExp(String.raw`^does ${REF} (?:have|contain|include|say) (?<t>.+?)(?: on it| in it)?$`, "du"),
  new RegExp(
    String.raw`^(?:see|check|find out|tell me|let me know|look) (?:if|whether) (?<t>.+?) (?:is|are) (?:already )?(?:on|in) ${REF}(?:\s+.*)?$`,
    "du",
  ),
  /^did i (?:tell|ask) you to remind me (?:about|of|to) (?<t>.+)$/du,
  /^(?:do i have|do we have|have i got|is there|are there|did i set|have i set|did i make|have i made) (?:a |any )?reminders? (?:set )?(?:to|for|about|of) (?<t>.+)$/du,
  /^(?:did|have) (?:i|we) (?:already )?(?:add|added|put|include|included|write down|written down|save|saved|list|listed|enter|entered) (?<t>.+?)(?: (?:yet|already|before|earlier|too))?$/du,
  /^do (?:i|we) (?:still )?need (?:to (?:buy|get|pick up) )?(?!to\b)(?<t>.+?)(?: (?:still|anymore|any more))?$/du,
  /^did i (?:request|set|ask for|make|create|add) (?:a |any )?reminders? (?:for|about|to) (?<t>.+)$/du,
  new RegExp(String.raw`^did i add to ${REF} (?:that )?(?:i need to |i have to |to )?(?<t>.+)$`, "du"),
  new RegExp(String.raw`^(?:find|search for|search|look for|look up|check for)\s+(?<t>.+?)\s+(?:on|in)\s+${REF}$`, "du"),
  /^(?:tell me )?(?:when (?:is|s)|whens) (?:my |the )?(?:next )?(?<t>.+)$/du,
  /^(?:do i have|do we have|have i got|is there|are there) (?:a|an|my|the) (?!(?:list|lists|reminder|reminders|todo|task|item)\b)(?<t>.+)$/du,
  /^(?:tell me )?when (?:my |the )?(?:next )?(?<t>.+?) is$/du,
];
const ONLY_A_LIST = new RegExp(String.raw`^(?:a|an|any)?\s*${REF}$`, "du");
/** Words that ask about the list as a whole, not about one todo. */
const ANYTHING =
  /^(?:anything|something|stuff|things|items|any items|any things|any lists|any(?:thing)? (?:pending|open))(?: (?:else|left|outstanding|pending|open|scheduled|planned|due|coming up|new|on))*(?: (?:in|on) (?:my |the )?(?:events|calendar|schedule|agenda))?$/u;

export function parseFind(line: Line): Command | undefined {
  for (const pattern of FIND_PATTERNS) {
    const match = line.match(pattern);
    const name = match ? line.part(match, "t") : undefined;
    if (match === null || name === undefined) continue;
    const list = listOfMatch(match);
    if (ANYTHING.test(name.phrase)) return listCommand(list);
    // "do I have a shopping list": the list itself is asked for.
    const onlyAList = ONLY_A_LIST.exec(name.phrase);
    if (onlyAList !== null) return listCommand(listOfMatch(onlyAList) ?? list);
    return findCommand(name.text, list);
  }
  return undefined;
}

function findCommand(text: string, list: ListName | undefined): Command | undefined {
  const name = cleanName(text.replace(/^(?:(?:a|an|the|my|any|some)\s+)+/iu, ""));
  if (name === "") return undefined;
  return list === undefined ? { kind: "find", name } : { kind: "find", name, list };
}

/** "create a shopping list", "start a list of dog names", "make a new list for school supplies". */
const CREATE_LIST = new RegExp(
  String.raw`^(?:(?:help me|i want to|i would like to|id like to|lets|let us|can i|can you|please|go ahead and)\s+)*(?:create|make|start|begin|set up|build|new)\s+(?:(?:a|an|the|my|our)\s+)?(?:(?:new|brand new|separate|another|fresh)\s+)?(?:(?:[\p{L}\p{N}]+\s+){0,3}(?:list|lists|checklist|checklists)(?:\s+(?:of|for|called|named)\s+.+)?|list|checklist)$`,
  "u",
);

export function parseCreateList(line: Line): Command | undefined {
  return CREATE_LIST.test(line.phrase) ? { kind: "invalid", reason: CREATE_LIST_REASON } : undefined;
}
