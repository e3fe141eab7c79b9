/**
 * npm run bench:language [-- --failures dev]: prints the language benchmark's figures and its
 * failures ("--failures dev" lists only the dev rows' failures, for tuning without reading the
 * held-out texts).
 */
import { formatReport, runLanguageBench } from "./language-bench.js";

const devOnly = process.argv.includes("--failures") && process.argv[process.argv.indexOf("--failures") + 1] === "dev";
console.log(formatReport(runLanguageBench(), { failuresOf: devOnly ? "dev" : "all" }));
