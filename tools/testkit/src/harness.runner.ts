import { CleanupRegistry } from "./cleanup.registry.js";

export const EXIT_INTERRUPTED = 130;

/**
 * The lifecycle of a harness command (npm run bench, npm run test:chaos): runs `body` with a
 * cleanup registry and undoes everything it registered at the end, after an error and on
 * Ctrl-C or SIGTERM (a second one exits at once). Resolves with the exit code: the body's, 1
 * after a harness error or a failed cleanup step, 130 when interrupted.
 */
export async function runHarness(name: string, body: (cleanup: CleanupRegistry) => Promise<number>): Promise<number> {
  const say = (line: string) => process.stdout.write(`${name}: ${line}\n`);
  const cleanup = new CleanupRegistry();
  let interrupted = false;
  const interrupt = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(EXIT_INTERRUPTED); // a second Ctrl-C does not wait for the cleanup
    interrupted = true;
    say(`${signal}: stopping the processes and removing the databases, queues and Redis keys`);
    void cleanup.runAll().then((failures) => {
      for (const failure of failures) process.stderr.write(`${name}: cleanup failed: ${failure}\n`);
      process.exit(EXIT_INTERRUPTED);
    });
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);

  let exitCode: number;
  try {
    exitCode = await body(cleanup);
  } catch (error) {
    // Interrupted, the run fails because its processes were stopped: the signal's handler reports that.
    if (!interrupted) process.stderr.write(`${name}: harness error: ${(error as Error).stack ?? String(error)}\n`);
    exitCode = 1;
  }
  if (interrupted) {
    await cleanup.runAll();
    return EXIT_INTERRUPTED;
  }
  say("cleaning up");
  const failures = await cleanup.runAll();
  for (const failure of failures) process.stderr.write(`${name}: cleanup failed: ${failure}\n`);
  return failures.length > 0 ? 1 : exitCode;
}
