/**
 * Whether spoken words start an action ("call mom", "I need to call mom") rather than name a
 * thing ("milk", "salt and pepper"): where a bare "and" or a comma may split, and which verb
 * a spoken list shares.
 */

/** Verbs a spoken todo starts with. Noun-verbs ("water", "mail") need an object to count. */
export const ACTION_VERBS: ReadonlySet<string> = new Set(
  `buy get grab pick drop call phone ring text email message send mail post pay book schedule reschedule cancel renew
  order return take bring collect clean wash water feed walk make fix repair replace finish write read check review
  update ask tell invite thank visit meet see go do cook bake prepare file print sign submit sort organize organise
  plan research apply register transfer deposit withdraw sell donate recycle empty fill load unload iron fold tidy
  sweep mop dust vacuum hoover mow paint shop look find contact follow reply respond confirm hang set start charge
  change install download upload backup back study practice practise exercise clear wrap move put water feed
  refill restock fetch remind register wipe dump take empty trim cut shovel rake wrap deliver ship pack unpack
  return label`.split(/\s+/),
);

/** Intents that make what follows an action, even when no verb from the list starts it. */
export const INTENT = [
  String.raw`(?:i|we)(?:'ve|\s+have)\s+got\s+to`,
  String.raw`(?:i|we)\s+(?:also\s+)?(?:really\s+)?(?:need|have|want|ought|got|gotta|must|should)(?:\s+to)?`,
  String.raw`(?:i|we)'?d\s+like\s+to`,
  String.raw`(?:i|we)(?:'ll|\s+will)(?:\s+need\s+to)?`,
  String.raw`(?:need|have|got)\s+to`,
  String.raw`gotta|remember\s+to|remind\s+me\s+to|(?:don'?t|do\s+not)\s+forget\s+to|make\s+sure\s+(?:to|i|we)`,
  String.raw`(?:can|could)\s+you|please|add`,
].join("|");
const INTENT_START = new RegExp(String.raw`^(?:${INTENT})\b`, "i");

export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s-]/gu, " ")
    .split(/\s+/)
    .filter(Boolean);
}

/** Whether `text` starts as an action: an intent, or a listed verb with at least one more word. */
export function startsWithAction(text: string): boolean {
  const stripped = text.replace(/^(?:also|then|please|and)\s+/i, "").trim();
  if (INTENT_START.test(stripped)) return true;
  const words = wordsOf(stripped);
  return words.length >= 2 && ACTION_VERBS.has(words[0] ?? "");
}
