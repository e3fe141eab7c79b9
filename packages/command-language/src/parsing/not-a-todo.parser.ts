/**
 * The last word before a line becomes a todo. A todo is written as an imperative ("call mom") or
 * a noun phrase ("milk", "dentist at 3"); these stages recognise the other sentence forms of
 * English, which report, ask or comment and so are never todos:
 *
 * - questions: a wh-word or an auxiliary before the subject ("do I …", "is there …"), or "?";
 * - statements: a subject and a finite verb ("I had a relaxing day", "it was not clear",
 *   "the command was wrong", "you told me the wrong date");
 * - requests to the product itself: a verb only the product could carry out ("explain",
 *   "tell me", "clarify"), or "can you …" asked for the sender ("can you make dinner for me");
 * - comments on the exchange: the reply, answer or command judged ("great response", "incorrect
 *   command", "that isn't what I meant").
 *
 * A question, statement or request about the lists themselves asks for the list.
 */
import type { Command } from "../commands/command.model.js";
import { HELP } from "./command.keywords.js";
import { CREATE_LIST_REASON, NOT_UNDERSTOOD_REASON } from "./command.reasons.js";
import { Line } from "./line.js";
import { listOfMatch, listReference } from "./list-name.js";

const NOT_UNDERSTOOD: Command = { kind: "invalid", reason: NOT_UNDERSTOOD_REASON };

/** Subjects a statement starts with. */
const PRONOUN_SUBJECT = String.raw`(?:i|im|ive|id|we|were|weve|it|its|that|thats|this|these|those|there|theres|you|youre|youve|u|he|she|they|theyre|what you|what i)`;
/** A noun phrase as a subject: "my day", "the weather", "your answer", "the command". */
const NOUN_SUBJECT = String.raw`(?:(?:my|your|the|our|his|her|their)(?: [\p{L}\p{N}]+){1,2}|today|tonight|yesterday|this (?:morning|afternoon|evening|week|weekend)|life|work|everything|nothing)`;
/** Finite verbs of a statement: forms of be, past tenses and negated or mental verbs. */
const STATEMENT_VERB = String.raw`(?:am|m|is|s|are|re|was|were|isnt|wasnt|arent|werent|been|must be|will be|would be|wouldnt|would not|wont|will not|shouldnt|had|didnt|did not|dont|do not|doesnt|does not|cant|can not|cannot|couldnt|could not|wont|will not|think|thought|guess|feel|felt|hate|love|like|liked|enjoyed|really|just|still|asked|meant|mean|said|told|took|went|got|gave|made|messed|saw|done|gotten|given|understand|understood|seem|seems|seemed|sound|sounds|look|looks|already|never|always|also|only)`;
const STATEMENT = new RegExp(
  String.raw`^(?:(?:well|so|oh|ah|uh|uhh|um|hmm|hm|oops|sorry|yes|yeah|yeap|no|nope|ok|okay|wait|thanks|thanks but|but|and|dammit|shit|damn|lol)\s+,?\s*)*(?:i think\s+|i guess\s+)?(?:${PRONOUN_SUBJECT}|${NOUN_SUBJECT})\s+${STATEMENT_VERB}\b`,
  "u",
);
/** A contracted subject and "be" before a state: "I'm confused", "you're wrong" (not "I'm seeing Ann at 5"). */
const CONTRACTED_STATE =
  /^(?:im|youre|theyre|hes|shes|thats)\s+(?:so\s+|very\s+|really\s+|kinda\s+|a bit\s+|not\s+|just\s+|too\s+)*(?!(?:going|gonna|off|out|at|in|on|to)\b)(?!\p{L}+ing\b)\p{L}+$/u;
/** A plan in the progressive is worth keeping: "I am meeting Ann at 5", "we're flying to Rome". */
const PLAN = /^(?:i|we|im|were)\s+(?:am\s+|are\s+|m\s+|re\s+)?(?:\p{L}+ing|going to|gonna)\b/u;
/** Possession of a dated thing is worth keeping: "I have a meeting at noon", "we have practice". */
const KEEPS_A_TODO = /^(?:i|we) (?:have|ve got|got) (?:a|an|my|our|the|to)\b/u;

/** A wh-word or an auxiliary before a subject: the line asks. */
const WH_QUESTION = /^(?:what|whats|when|whens|where|wheres|who|whos|whose|why|how|hows|which|whats)\b/u;
const AUX_QUESTION =
  /^(?:is|are|am|was|were|do|does|did|have|has|had|can|could|will|would|should|shall|may|might|isnt|arent|wasnt|dont|doesnt|didnt|cant|wont)\s+(?:i|you|u|we|it|there|they|he|she|this|that|these|those|my|your|our|the|any|anything|a|an)\b/u;

/** Verbs only the product could carry out for the sender. */
const ASSISTANT_VERB =
  /^(?:explain|clarify|elaborate|rephrase|repeat|describe|define|answer|tell (?:me|us)|teach me|let me know|feel|be|understand|imagine|think|guess|talk|sing|dance|entertain me|amuse me|cheer me up|surprise me|make me (?:smile|laugh|happy|feel)|say (?:something|anything|hi|hello))\b/u;
/** "… for me", "… to me", "… yourself": said to the product. */
const FOR_THE_SENDER = /\b(?:for me|to me|yourself|your|you)\b/u;
const ADDRESSED = /^(?:(?:please|pls|so|ok|okay|hey)\s+)*(?:can|could|would|will) (?:you|u)\b/u;

/** The exchange itself judged: "great response to command", "incorrect command", "not what I meant". */
const ABOUT_THE_EXCHANGE =
  /\b(?:(?:the|my|your|that|this|olly s|correct|incorrect|wrong|right|good|great|excellent|amazing|fantastic|perfect|exact|bad) (?:command|answer|answers|response|reply|request|instructions?)|what (?:i|you) (?:just )?(?:said|meant|asked|wanted|mean|requested|am searching for|was searching for|am looking for|was looking for|have said|ve said))\b/u;

/** Nouns a list is talked about with. */
const LIST_NOUN =
  /\b(?:list|lists|listed|lisr|reminders?|events?|schedules?|calendar|calender|calander|agenda|tasks|todos|to dos|items|plans|appointments|engagements)\b/u;
/** Verbs that ask to be told or shown something. */
const TELL_ME =
  /^(?:(?:help|help me|let me|i want to|i have to|i need to|i would like to|id like to)\s+)?(?:tell|show|give|send|read|let me (?:know|hear|see)|name|find|open|pull up|pull|bring up|go through|look at|look through|take me to|access|see|view|review|browse|list|speak|display|get|fetch|provide|recite|check|search|remind)\b/u;
const REFERENCE = new RegExp(listReference(), "du");
/** "show me everything", "read it all": the whole list. */
const EVERYTHING_ASKED = /^(?:show|tell|give|send|read|list|display)(?: me| us)? (?:everything|it all|all of it|all|the lot)$/u;
const NEW_LIST = /\b(?:a|an)\s+(?:new|fresh|blank|another)\s+(?:[\p{L}\p{N}]+\s+){0,2}list\b/u;
/** Words that describe a list rather than name it: "my available lists", "this specific list". */
const NOT_A_LIST_NAME =
  /^(?:available|specific|upcoming|pending|current|saved|active|future|existing|other|whole|entire|next|last|previous|all|open|latest|recent|uploaded|of|the)$/u;

/** The list a line about lists asks for: its named list, unless the "name" only describes it. */
function askedList(line: Line): Command {
  const match = line.match(REFERENCE);
  const list = match ? listOfMatch(match) : undefined;
  if (list === undefined || list.split(" ").some((word) => NOT_A_LIST_NAME.test(word))) return { kind: "list" };
  return { kind: "list", list };
}

/** A question nothing earlier understood: the list when it asks about lists, else a pointer. */
export function parseQuestionForm(line: Line, asWritten: Line): Command | undefined {
  const asked =
    WH_QUESTION.test(line.phrase) ||
    AUX_QUESTION.test(line.phrase) ||
    /\?\s*$/u.test(asWritten.text) ||
    (ADDRESSED.test(asWritten.phrase) && /\?\s*$/u.test(asWritten.text));
  if (!asked) return undefined;
  return LIST_NOUN.test(line.phrase) ? askedList(line) : NOT_UNDERSTOOD;
}

/** A request to be told or shown the lists: "tell me about the list", "show me future events". */
export function parseListAsked(line: Line): Command | undefined {
  if (EVERYTHING_ASKED.test(line.phrase)) return { kind: "list" };
  const verb = TELL_ME.exec(line.phrase);
  if (verb === null || !LIST_NOUN.test(line.phrase.slice(verb[0].length))) return undefined;
  // "bring up a new shopping list": a list starts with its first todo.
  if (NEW_LIST.test(line.phrase)) return { kind: "invalid", reason: CREATE_LIST_REASON };
  return askedList(line);
}

/** "don't get this", "dont do that again": the exchange, not a todo. */
const NOT_FOLLOWED =
  /^(?:i\s+)?(?:dont|do not|didnt|did not|cant|cannot|can not|couldnt|could not)\s+(?:quite\s+|really\s+)?(?:get|understand|catch|follow|do|say|mean)\s+(?:this|that|it|you|me)\b/u;

/**
 * A statement with its subject dropped or vague: "don't care", "wouldn't know", "doesn't
 * matter", "anything is fine", "have no idea". A todo is never negated nor about "anything".
 */
const BARE_STATEMENT = new RegExp(
  String.raw`^(?:(?:i|it|that|this|really)\s+)?(?:dont|do not|doesnt|does not|didnt|did not|wouldnt|would not|wont|will not|cant|cannot|can not|couldnt|could not|shouldnt|should not|isnt|arent|wasnt)\b` +
    String.raw`|^(?:anything|whatever|nothing|everything|any one|anyone|either|neither|none)\s+(?:is|s|will|would|should|could|works|goes|does|doesnt|sounds|seems)\b` +
    String.raw`|^(?:(?:i|we)\s+)?(?:have|got|ve got)\s+no\b`,
  "u",
);

/** Asking for the last reply again or a fresh start: "say that again", "start over", "retry it". */
const REPAIR = new RegExp(
  String.raw`^(?:(?:please|pls|ok|okay|so|can you|could you|would you|will you|lets|let s|let us)\s+)*` +
    String.raw`(?:start (?:over|again)|one more time(?: again)?|reset|restart|come again|pardon|` +
    String.raw`(?:say|tell me|repeat|replay|retry|redo|do|try|speak)(?:\s+(?:it|that|this|again|once|more|one|time|the last one|what you said))*)` +
    String.raw`(?:\s+(?:please|pls|again|now))*$`,
  "u",
);

/** The exchange itself: a repeat or a fresh start asked for. Never a todo, whatever stage follows. */
export function parseRepair(line: Line): Command | undefined {
  return REPAIR.test(line.phrase) ? NOT_UNDERSTOOD : undefined;
}

/**
 * "you" in a line nothing else understood is the product spoken to ("talk to you later",
 * "can I ask you anything"): a todo is written for oneself. "thank you" in "thank you cards"
 * does not count.
 */
const SPOKEN_TO = /\b(?:you|u|ya|youre|youve|youll|youd|yourself)\b/u;
const THANK_YOU = /\bthank (?:you|u)\b/gu;
/** What someone asks who wants to know what the product can do. */
const ABOUT_THE_PRODUCT =
  /\b(?:questions?|ask|commands?|examples?|capable|able to|help|do for me|what can|how do i|how can i)\b/u;

/** A line said to the product that nothing else understood: the command card, or a pointer. */
export function parseSaidToTheProduct(line: Line): Command | undefined {
  if (!SPOKEN_TO.test(line.phrase.replace(THANK_YOU, ""))) return undefined;
  return ABOUT_THE_PRODUCT.test(line.phrase) ? HELP : NOT_UNDERSTOOD;
}

/** A statement, a request only the product could carry out, or a comment on the exchange. */
export function parseNotATodo(line: Line, asWritten: Line): Command | undefined {
  if (ABOUT_THE_EXCHANGE.test(line.phrase) || NOT_FOLLOWED.test(line.phrase)) return NOT_UNDERSTOOD;
  if (STATEMENT.test(line.phrase) && !KEEPS_A_TODO.test(line.phrase) && !PLAN.test(line.phrase)) return NOT_UNDERSTOOD;
  if (CONTRACTED_STATE.test(line.phrase) || BARE_STATEMENT.test(line.phrase)) return NOT_UNDERSTOOD;
  if (ASSISTANT_VERB.test(line.phrase)) return NOT_UNDERSTOOD;
  if (ADDRESSED.test(asWritten.phrase) && FOR_THE_SENDER.test(asWritten.phrase.replace(ADDRESSED, ""))) return NOT_UNDERSTOOD;
  return undefined;
}

const ONLY_A_LIST = new RegExp(String.raw`^(?:${listReference()})$`, "du");

/**
 * An add whose item is only a list ("tell me about the list") or a request for one ("I have to
 * see my tasks"): the words asked for the list.
 */
export function addsOnlyAList(command: Command): boolean {
  return (
    command.kind === "add" &&
    command.texts.length > 0 &&
    command.texts.every((text) => {
      const line = Line.of(text);
      return ONLY_A_LIST.test(line.phrase) || parseListAsked(line)?.kind === "list";
    })
  );
}
