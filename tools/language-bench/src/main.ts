/**
 * npm run bench:language [-- --failures dev|tuning|unseen]: prints the language benchmark's figures
 * and the failures of the corpus (dev and held-out rows). "--failures dev" lists only the dev rows'
 * failures, "--failures tuning" the tuning set's and "--failures unseen" the unseen set's, which is
 * kept for measuring how well a change generalises and so is not printed otherwise.
 */
import { formatReport, runLanguageBench, SIDE_SETS } from "./language-bench.js";

const asked = process.argv.includes("--failures") ? process.argv[process.argv.indexOf("--failures") + 1] : undefined;
const failuresOf = asked === "dev" || (asked !== undefined && asked in SIDE_SETS) ? (asked as "dev" | keyof typeof SIDE_SETS) : "all";
console.log(formatReport(runLanguageBench(), { failuresOf }));
