/**
 * Pairs said as one thing ("salt and pepper"): their "and" is hidden from the splitter while
 * it cuts the transcript, and shown again in the finished item.
 */

const FIXED_PAIRS = [
  "salt and pepper",
  "bread and butter",
  "mac and cheese",
  "macaroni and cheese",
  "fish and chips",
  "peanut butter and jelly",
  "peanut butter and jam",
  "ham and cheese",
  "rice and beans",
  "chips and salsa",
  "chips and dip",
  "oil and vinegar",
  "cookies and cream",
  "milk and cookies",
  "bacon and eggs",
  "eggs and bacon",
  "spaghetti and meatballs",
  "cheese and crackers",
  "strawberries and cream",
  "sweet and sour",
  "shampoo and conditioner",
  "soap and water",
  "pen and paper",
  "knife and fork",
  "cup and saucer",
  "bed and breakfast",
  "rock and roll",
  "black and white",
  "pros and cons",
  "q and a",
  "r and d",
  "b and b",
  "p and l",
  "trial and error",
  "odds and ends",
  "nuts and bolts",
  "arts and crafts",
  "friends and family",
  "family and friends",
  "mom and dad",
  "mum and dad",
  "mother and father",
  "husband and wife",
  "aunt and uncle",
  "brothers and sisters",
  "ladies and gentlemen",
  "law and order",
  "research and development",
  "health and safety",
  "terms and conditions",
];
const PAIR_JOINER = "\u0001";
const FIXED_PAIR_PATTERN = new RegExp(
  String.raw`\b(${FIXED_PAIRS.map((pair) => pair.replace(/ and /, ")\\s+and\\s+(")).join("|")})\b`,
  "gi",
);

export function protectPairs(text: string): string {
  return text.replace(FIXED_PAIR_PATTERN, (pair) => pair.replace(/\s+and\s+/i, (and) => and.replace(/ /g, PAIR_JOINER)));
}

export function restorePairs(text: string): string {
  return text.replace(new RegExp(PAIR_JOINER, "g"), " ");
}
