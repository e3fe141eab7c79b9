// Fails when the committed code in packages/contracts/src/gen is not what buf generates
// from proto/ now: generated code is committed, never edited by hand.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const committed = join(root, "packages/contracts/src/gen");
const scratch = mkdtempSync(join(tmpdir(), "sms-todo-gen-"));

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

try {
  execFileSync(join(root, "node_modules/.bin/buf"), ["generate", "--output", scratch], { cwd: root, stdio: "inherit" });
  const fresh = join(scratch, "packages/contracts/src/gen");
  const expected = new Map(files(fresh).map((path) => [relative(fresh, path), readFileSync(path, "utf8")]));
  const actual = new Map(files(committed).map((path) => [relative(committed, path), readFileSync(path, "utf8")]));
  const stale = [...new Set([...expected.keys(), ...actual.keys()])].filter((name) => expected.get(name) !== actual.get(name));
  if (stale.length > 0) {
    console.error(`Generated code is stale: ${stale.join(", ")}\nRun \`npm run generate\` and commit the result.`);
    process.exit(1);
  }
  console.log(`generated code is current (${expected.size} files)`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
