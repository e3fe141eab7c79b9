import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export const PERFORMANCE_DOC = fileURLToPath(new URL("../../../docs/performance.md", import.meta.url));

const START = "<!-- bench results: written by npm run bench -->";
const END = "<!-- end of bench results -->";

/**
 * Replaces the measured section of docs/performance.md with this run's figures; the prose
 * around it (method, choices) stays as written. Without the markers the section is appended.
 */
export async function writePerformanceDoc(markdown: string, path = PERFORMANCE_DOC): Promise<void> {
  const section = `${START}\n\n${markdown}\n\n${END}`;
  let current: string;
  try {
    current = await readFile(path, "utf8");
  } catch {
    current = "# Performance\n";
  }
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start !== -1 && end > start
      ? `${current.slice(0, start)}${section}${current.slice(end + END.length)}`
      : `${current.trimEnd()}\n\n${section}\n`;
  await writeFile(path, next);
}
