/**
 * npm run bench:language [-- --failures dev|tuning|unseen]: prints the language benchmark's figures
 * and the failures of the corpus (dev and held-out rows). "--failures dev" lists only the dev rows'
 * failures, "--failures tuning" the tuning set's and "--failures unseen" the unseen set's, which is
 * kept for measuring how well a change generalises and so is not printed otherwise. Last, the
 * parser's own cost: the median time to parse one utterance of the corpus, over five rounds.
 */
import { parseCommand } from "@sms-todo/command-language";
import { formatReport, loadCorpus, runLanguageBench, SIDE_SETS } from "./language-bench.js";

const asked = process.argv.includes("--failures") ? process.argv[process.argv.indexOf("--failures") + 1] : undefined;
const failuresOf =
  asked === "dev" || (asked !== undefined && asked in SIDE_SETS) ? (asked as "dev" | keyof typeof SIDE_SETS) : "all";
console.log(formatReport(runLanguageBench(), { failuresOf }));

const texts = loadCorpus().map((row) => row.text);
const ROUNDS = 5;
const perUtterance: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  const started = process.hrtime.bigint();
  for (const text of texts) parseCommand(text);
  perUtterance.push(Number(process.hrtime.bigint() - started) / 1_000 / texts.length);
}
perUtterance.sort((a, b) => a - b);
const median = perUtterance[Math.floor(ROUNDS / 2)] ?? 0;
console.log(
  `\nparse cost: median ${median.toFixed(1)} µs per utterance (${texts.length} utterances, ${ROUNDS} rounds after the scoring run warmed the lexicon)`,
);
