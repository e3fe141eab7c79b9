/**
 * Word knowledge: lemmas ("called" → "call", "groceries" → "grocery") and tense, from the
 * compromise lexicon (MIT). compromise/two costs about half a second and 45 MB the first
 * time it loads, so it is required on the first word that needs it, not at import: a service
 * that never reads a name (or a test that never does) does not pay for it. Each word is
 * looked up once and cached.
 */
import { createRequire } from "node:module";

interface Term {
  readonly normal?: string;
  readonly root?: string;
  readonly tags?: readonly string[];
}
interface Doc {
  compute(method: string): void;
  json(): Array<{ terms: Term[] }>;
}
type Nlp = (text: string) => Doc;

export interface WordInfo {
  /** The dictionary form: infinitive of a verb, singular of a noun, else the word. */
  readonly lemma: string;
  readonly pastTense: boolean;
  readonly verb: boolean;
  readonly plural: boolean;
}

let nlp: Nlp | undefined;
const cache = new Map<string, WordInfo>();
const MAX_CACHED_WORDS = 50_000;

function loadNlp(): Nlp {
  nlp ??= createRequire(import.meta.url)("compromise/two") as Nlp;
  return nlp;
}

/** What the lexicon says about one lower-case word. */
export function wordInfo(word: string): WordInfo {
  const cached = cache.get(word);
  if (cached) return cached;
  const info = lookUp(word);
  if (cache.size >= MAX_CACHED_WORDS) cache.clear();
  cache.set(word, info);
  return info;
}

export function lemmaOf(word: string): string {
  return wordInfo(word).lemma;
}

function lookUp(word: string): WordInfo {
  if (!/^\p{L}+$/u.test(word) || word.length < 3) return { lemma: word, pastTense: false, verb: false, plural: false };
  const doc = loadNlp()(word);
  doc.compute("root");
  const term = doc.json()[0]?.terms[0];
  const tags = new Set(term?.tags ?? []);
  const root = (term?.root ?? term?.normal ?? word).toLowerCase();
  const lemma = /^\p{L}+$/u.test(root) ? root : word;
  // "finished", "completed" are read as adjectives on their own; their verb is the lemma.
  if (lemma === word && word.endsWith("ed") && word.length > 4 && !tags.has("Noun")) {
    const stem = [word.slice(0, -2), word.slice(0, -1)].find((candidate) => lookUp(candidate).verb);
    if (stem !== undefined) return { lemma: stem, pastTense: true, verb: true, plural: false };
  }
  // "cutting", "paying" are read as adjectives on their own; their verb is the lemma.
  if (lemma === word && word.endsWith("ing") && word.length > 5) {
    const stem = word.slice(0, -3);
    const undoubled = /([^aeiou])\1$/u.test(stem) ? stem.slice(0, -1) : stem;
    const verb = [undoubled, stem, `${stem}e`].find((candidate) => candidate.length >= 2 && lookUp(candidate).verb);
    if (verb !== undefined) return { lemma: verb, pastTense: false, verb: true, plural: false };
  }
  return { lemma, pastTense: tags.has("PastTense"), verb: tags.has("Verb"), plural: tags.has("Plural") };
}
