/**
 * npm run bench:language [-- --failures dev]: prints the language benchmark's figures and its
 * failures ("--failures dev" lists only the dev rows' failures, for tuning without reading the
 * held-out texts; "--failures tuning" lists the tuning set's failures).
 */
import { formatReport, runLanguageBench } from "./language-bench.js";

const asked = process.argv.includes("--failures") ? process.argv[process.argv.indexOf("--failures") + 1] : undefined;
const failuresOf = asked === "dev" || asked === "tuning" ? asked : "all";
console.log(formatReport(runLanguageBench(), { failuresOf }));
