/**
 * Messages that are not about todos: opt-out phrasing that is not the carrier keyword ("please
 * stop texting me", "shut up"), small talk ("hi", "thanks, bye", "lol"), questions about the
 * product ("what can you do") and questions it cannot answer ("what time is it", "are you a
 * bot"). None of them is ever a todo.
 */
import type { Command } from "../commands/command.model.js";
import { HELP } from "./command.keywords.js";
import { NOT_UNDERSTOOD_REASON, OPT_OUT_HINT_REASON, RESCHEDULE_REASON, SMALL_TALK_REASON } from "./command.reasons.js";
import type { Line } from "./line.js";

const OPT_OUT_HINT: Command = { kind: "invalid", reason: OPT_OUT_HINT_REASON };
const SMALL_TALK: Command = { kind: "invalid", reason: SMALL_TALK_REASON };
const NOT_UNDERSTOOD: Command = { kind: "invalid", reason: NOT_UNDERSTOOD_REASON };

/** "stop it", "stop texting me", "don't text me", "shut up", "unsubscribe me", "leave me alone". */
const OPT_OUT_PHRASING = new RegExp(
  [
    String.raw`\bshut up\b`,
    String.raw`\bleave me alone\b`,
    String.raw`\b(?:unsubscribe|opt (?:me )?out|optout|opt out of)\b`,
    String.raw`\b(?:stop|quit|end|cease) (?:it|this|that|now|already|please|talking|texting|messaging|sending|spamming|bothering|contacting|messages|texts|the texts|the messages|all|everything|me)\b`,
    String.raw`^(?:(?:just|so|ok|okay|please|pls|will you|can you|could you|would you|you can|thats enough|enough)\s+)+(?:stop|quit)$`,
    String.raw`^(?:stop|quit)\s+(?:please|pls|now|already)$`,
    String.raw`^(?:please\s+|just\s+)?(?:dont|do not|never) (?:ever )?(?:text|message|msg|contact|talk to|talk|send|bother|spam|write to|sms|call)(?: me| to me| anymore| any more| again|$)`,
    String.raw`^(?:please\s+|just\s+|can you\s+|could you\s+|will you\s+)?(?:be quiet|quiet|silence|hush|go away|enough|thats enough|that is enough|stop now|no more)(?:\s+(?:please|now|already))?$`,
    String.raw`\bno more (?:texts|messages|sms)\b`,
  ].join("|"),
  "u",
);

export function parseOptOutHint(line: Line): Command | undefined {
  return OPT_OUT_PHRASING.test(line.phrase) ? OPT_OUT_HINT : undefined;
}

/**
 * Words small talk is made of. A line made only of them (and at least one greeting, thanks,
 * goodbye, yes/no or reaction word) is small talk.
 */
const SMALL_TALK_SIGNALS = new Set(
  (
    "hi hello hey hiya heyo howdy yo sup wassup whatsup moin hallo hola greetings morning evening afternoon " +
    "thanks thank thx ty thankyou appreciate appreciated thankful grateful cheers " +
    "bye goodbye farewell goodnight night cya later ciao " +
    "ok okay k kk sure yup yep yes yeah ya yea no nope nah nay not never perhaps maybe unsure idk dunno " +
    "lol lmao haha hahaha hehe cool great nice awesome perfect fine good excellent wonderful amazing helpful brilliant " +
    "pleasure enjoyed welcome sorry oops whoops wow alright right help happy glad " +
    "later soon adios bye-bye seeya ttyl affirmative negative correct incorrect wrong true false definitely certainly " +
    "indeed possibly probably sure thing agreed disagree rock rocks smart best kind sweet lovely fantastic superb " +
    "congrats congratulations bravo kudos hmm hm huh meh whatever yeap yeh agree agreed confirmed exactly exact " +
    "dammit goddammit damn shit ugh argh roger copy noted understood gotcha"
  ).split(" "),
);
const SMALL_TALK_FILLER = new Set(
  (
    "a an the and or but so as for to of with you your youre youve u me i im ive my our we us it its is are was be been please pls " +
    "this that thats there here very so much lot lots big really always too again all well just have had has a " +
    "day chat chatting talk talking speak speaking help answer friend dude buddy mate man doing going things " +
    "how hows what whats new been did that meant know dont do absolutely hell quite again one " +
    "am happy glad special wish nice good have a an great see catch go gotta got must leave leaving going off " +
    "course think guess way totally much many thanks lot thing work job until next time again it was were talking chatting " +
    "nice meet meeting met today tonight again then bot who knows hard say could would should be maybe okay there everyone " +
    "strongly got"
  ).split(" "),
);
/** Phrases that are small talk though their words are not all small talk words. */
const SMALL_TALK_PHRASES = [
  /^how (?:are|r) (?:you|u|things|things going|you doing)\b/u,
  /^how (?:is|s) (?:your|it|everything|life)\b/u,
  /^how (?:ya|you) doin\w*$/u,
  /^(?:whats up|whats new|what is new|whats going on)\b(?!.*\b(?:list|lists|calendar|calender|schedule|agenda|today|tonight|tomorrow|week|weekend)\b)/u,
  /^hows it going$/u,
  /^how have you been$|^howve you been$/u,
  /^(?:that|it) (?:checks out|makes sense|works)$/u,
  /^not (?:right )?now$|^not it$|^nope not it$/u,
  /^(?:i|we) (?:meant|mean) (?:no|yes)$/u,
  /^my name is\b/u,
  /^(?:i )?(?:dont|do not) know$/u,
  /^(?:you|u) (?:are|re|r|have been|ve been|were|rock|did|made|helped|always|seem|look|sound|make me)\b|^(?:youre|youve|ur) /u,
  /^(?:i|we) (?:really )?(?:love|like|appreciate|enjoy|adore|miss|hate) (?:you|talking|chatting|this|it|your)\b/u,
  /^take care\b|^peace out\b|^(?:i )?owe you(?: one)?\b|^have a (?:good|nice|great) one\b|^(?:catch|see) (?:you|ya) (?:later|soon|around|tomorrow)\b/u,
  /^(?:that|it|this) (?:was|is|s) (?:so |very |really )?(?:awesome|great|amazing|nice|helpful|perfect|cool|fun|good|excellent|wonderful|kind of you)\b/u,
  /^(?:thats|that is|that s|its|it is) (?:right|correct|true|false|wrong|incorrect|not (?:right|true|correct|it)|fine|ok|okay)$/u,
  /^(?:i|we) (?:have to|must|gotta|got to|need to) (?:go|run|leave|head out|be going)(?: now)?$/u,
  /^(?:good|great|nice) (?:morning|afternoon|evening|night|day)\b/u,
  /^(?:i|we) (?:think|guess|believe) (?:so|not)$|^i dont think so$|^(?:of course|no way|not really|not sure|who knows|hard to say|could be)\b/u,
  /^(?:you|u) (?:are|re|r) (?:a |an |the |so |very |really )*(?:great|awesome|amazing|smart|helpful|best|good|wonderful|brilliant|funny|cool|nice|kind|sweet|genius|rock|star|legend)\b/u,
  /^(?:youre|ur) (?:a |an |the |so |very |really )*(?:great|awesome|amazing|smart|helpful|best|good|wonderful|brilliant|funny|cool|nice|kind|sweet|genius|star|legend)\b/u,
  /^(?:call me|i want to be called|i would like to be called|id like to be called|(?:change|set|update) my name to|refer to me as|my name s|you can call me|please call me) \p{L}+(?: from now on)?$/u,
  /^(?:have|enjoy) a (?:good|great|nice) (?:day|night|evening|weekend|one)$/u,
  /^(?:well done|good job|nice job|great job|good work)\b/u,
  /^(?:thanks|thank you|thank u|thx|ty|many thanks)(?: so much| a lot| very much| again)?(?: for (?:\p{L}+ing|the help|your help|everything|that|this|all|it)\b.*)?$/u,
  /^(?:lets|let s|let us) (?:begin|start|go|get started|do this|do it|chat|talk)(?: \p{L}+)?$/u,
  /^(?:nothing much|not much|(?:just )?checking in|just checking|just saying hi)$/u,
  /^(?:(?:i|we)\s+)?(?:just\s+)?(?:wanted|want|wanna|came|dropped by) to (?:say|tell you) (?:hi|hello|hey|thanks|thank you|bye|goodbye|good night|good morning)\b/u,
];

export function parseSmallTalk(line: Line): Command | undefined {
  const words = line.words.filter((word) => word !== "," && word !== "&");
  if (words.length === 0) return undefined;
  if (SMALL_TALK_PHRASES.some((pattern) => pattern.test(line.phrase))) return SMALL_TALK;
  const allSmallTalk = words.every((word) => SMALL_TALK_SIGNALS.has(word) || SMALL_TALK_FILLER.has(word));
  return allSmallTalk && words.some((word) => SMALL_TALK_SIGNALS.has(word)) ? SMALL_TALK : undefined;
}

/** Questions about what the product does: the command card answers them. */
const HELP_QUESTION = new RegExp(
  [
    String.raw`^(?:how|what) (?:can|do|does|should|could) (?:i|you|one|this|it|we) (?:use|work|help)\b`,
    String.raw`^how (?:can|do|should|could) i (?:\p{L}+ ){0,2}?(?:add|remove|delete|use|see|view|complete|finish|mark|check|edit|change|rename|clear|empty|undo|stop|create|start|put|list|show|cancel|erase|take|cross|tick|text|sort|share|move|get rid)\b`,
    String.raw`^how (?:can|do|should|could) i\b.*\b(?:list|lists|todos?|tasks?|items?|reminders?)\b`,
    String.raw`^is there (?:a|any) way to\b`,
    String.raw`^what(?:s| is) the (?:best |right )?way to\b`,
    String.raw`^what (?:can|should) i (?:do|say|text|send|ask)\b`,
    String.raw`^what (?:all )?(?:can|may) i ask\b`,
    String.raw`^what am i allowed to\b`,
    String.raw`^what (?:can|do) you do\b`,
    String.raw`^what (?:kind of |sort of |type of )?(?:things|stuff) (?:can|do) you\b`,
    String.raw`^what things do you know\b`,
    String.raw`^what are you (?:capable|able|good)\b`,
    String.raw`^(?:tell me|show me) (?:what you can do|your (?:functionalities|functions|features|commands|capabilities|abilities))\b`,
    String.raw`^(?:tell me )?what (?:can|do) you do\b`,
    String.raw`^can you answer\b`,
    String.raw`^how (?:can|could|do) you help\b`,
    String.raw`^(?:i need|need|please|i want|get me|send|send me) (?:some )?help$`,
    String.raw`^help (?:me|please|pls)$`,
    String.raw`^(?:what|which) (?:are )?(?:some |all )?(?:of )?(?:the )?(?:things|stuff|topics|subjects|questions|kinds of things|types of things|sorts of things|commands) (?:can|could|should|may) (?:i|you)\b`,
    String.raw`^what (?:are|is) (?:your|ur) (?:capabilities|abilities|functions|functionalities|features|skills|commands|options|limits)\b`,
    String.raw`^what (?:functions|features|skills|abilities|capabilities|commands|options) (?:do you have|are there|can you|have you got)\b`,
    String.raw`^what (?:can|could|should) i use (?:you|this|it) for\b`,
    String.raw`^(?:list|tell me|show me|explain) (?:your|ur|all your) (?:capabilities|abilities|functions|functionalities|features|skills|commands|options)\b`,
    String.raw`^(?:what|how) (?:else )?(?:can|could|do|are) you (?:help|assist|able|capable|do|know|answer|good at)\b`,
    String.raw`^(?:i want to know|i d like to know|id like to know|explain|tell me|show me|help me understand) (?:what|how) (?:you|i) (?:can|could|do|should)\b`,
    String.raw`^(?:what|which) (?:commands|questions|things) (?:are there|do you (?:understand|know|accept|support))\b`,
    String.raw`^how (?:do|does) (?:this|it|the app|the service|this service|this thing) work\b`,
    String.raw`^what (?:sorts?|kinds?|types?|categories|category) of (?:questions|things|commands|requests|stuff)\b`,
    String.raw`^(?:can|may|could) i ask (?:you )?(?:all |any |different |other )*(?:kinds? of |types? of |sorts? of )?(?:questions|things)\b`,
  ].join("|"),
  "u",
);

export function parseHelpQuestion(line: Line): Command | undefined {
  return HELP_QUESTION.test(line.phrase) ? HELP : undefined;
}

/** Topics the product has no answer for, however they are asked. */
const ASKING = String.raw`^(?:(?:hey|so|ok|okay|please|excuse me)\s+)?(?:(?:can|could|would|will) you (?:please )?(?:tell me|let me know|give me)\s+|do you know\s+|i (?:need|want|would like|d like) to know\s+|tell me\s+|give me\s+|let me know\s+)?`;
const UNANSWERABLE_TOPIC = new RegExp(
  [
    String.raw`${ASKING}(?:what|whats) (?:time|the time|the current time|is the time|is the current time|time is it)\b`,
    String.raw`${ASKING}(?:the )?(?:current )?time(?: please| now| right now)?$`,
    String.raw`${ASKING}(?:what|whats|which) (?:\p{L}+ ){0,3}(?:timezone|time zone)\b`,
    String.raw`${ASKING}(?:a |any |your |some |good |the )?(?:\p{L}+ )?jokes?\b`,
    String.raw`^(?:crack|make|do|share|got|have|know|say|tell)\b(?: \p{L}+){0,3} jokes?\b|\bknock knock\b`,
    String.raw`^(?:tell|got|know|hear|have|say|want to hear|wanna hear) (?:me )?(?:a |any |your |some |good )?(?:\p{L}+ )?jokes?\b`,
    String.raw`\b(?:could use a laugh|make me laugh|say something funny|cheer me up)\b`,
    String.raw`^(?:are|r) (?:you|u) (?:a |an )?(?:real |actual )?(?:bot|robot|human|real|person|machine|ai|computer|alive|people)\b`,
    String.raw`^(?:is this|am i (?:speaking|talking|chatting|texting) (?:with|to)|is this an?|are you an?) (?:a |an )?(?:real |actual )?(?:bot|robot|human|real|person|machine|ai|computer)\b`,
    String.raw`^who (?:are|r) (?:you|u)\b|^who am i (?:talking|speaking|chatting|texting) (?:to|with)\b`,
  ].join("|"),
  "u",
);
/** A question word that starts a sentence. */
const QUESTION_START =
  /^(?:what|whats|when|where|who|whos|why|how|hows|which|are you|r u|is this|is it|do you|does it|can you tell|will you tell|am i|could you tell|would you tell|do u)\b/u;

/** A topic the product cannot answer, in any form. */
export function parseUnanswerable(line: Line): Command | undefined {
  return UNANSWERABLE_TOPIC.test(line.phrase) ? NOT_UNDERSTOOD : undefined;
}

/** A question nothing earlier understood: a pointer, never a todo. */
export function parseOtherQuestion(line: Line): Command | undefined {
  return QUESTION_START.test(line.phrase) || (AUX_QUESTION.test(line.phrase) && /\?\s*$/u.test(line.text))
    ? NOT_UNDERSTOOD
    : undefined;
}

/** "is it …?", "do I …?", "have you …?": asked, with a question mark. */
const AUX_QUESTION = /^(?:is|are|am|was|were|do|does|did|have|has|had|should|shall|may|might|isnt|arent|dont|doesnt|didnt)\b/u;
const LIST_TALK =
  /\b(?:my|our|your)\s+(?:[\p{L}\p{N}]+\s+){0,2}?(?:list|lists|lisr|to dos|todos|reminders|agenda)(?![\p{L}\p{N}])/u;

/**
 * A line about the lists themselves that no stage understood ("rearrange my list", "do my
 * reminders sync"): a pointer rather than a todo, since nobody keeps a todo about their list.
 */
export function parseListTalk(line: Line): Command | undefined {
  return LIST_TALK.test(line.phrase) ? NOT_UNDERSTOOD : undefined;
}

/** "move the meeting to 4pm", "reschedule my dentist appointment": due times are not changed by text. */
const RESCHEDULE =
  /^(?:move|reschedule|postpone|push back|push|delay|bring forward|change|shift|snooze|put off)\b.*\b(?:to|until|till|from|for|by)\s+(?:\d|today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next|this|noon|midnight|morning|afternoon|evening|later|half past|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)|^(?:reschedule|postpone|snooze)\b/u;

export function parseReschedule(line: Line): Command | undefined {
  return RESCHEDULE.test(line.phrase) ? { kind: "invalid", reason: RESCHEDULE_REASON } : undefined;
}
