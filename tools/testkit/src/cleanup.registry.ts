/**
 * What a harness run (npm run bench, npm run test:chaos) must undo: processes, databases,
 * queues, Redis keys. Undone in reverse order exactly once: at the end of the run, after a
 * harness error, or on Ctrl-C.
 */
export class CleanupRegistry {
  private readonly steps: Array<{ name: string; run: () => Promise<void> }> = [];
  private running: Promise<string[]> | undefined;

  /** Registers a step; returns a function that runs it now (and removes it from the list). */
  add(name: string, run: () => Promise<void>): () => Promise<void> {
    const step = { name, run };
    this.steps.push(step);
    return async () => {
      const index = this.steps.indexOf(step);
      if (index === -1) return;
      this.steps.splice(index, 1);
      await run();
    };
  }

  /** Runs every remaining step, newest first; a failing step does not stop the others. Resolves with the failures. */
  runAll(): Promise<string[]> {
    this.running ??= (async () => {
      const failures: string[] = [];
      while (this.steps.length > 0) {
        const step = this.steps.pop()!;
        try {
          await step.run();
        } catch (error) {
          failures.push(`${step.name}: ${(error as Error).message}`);
        }
      }
      return failures;
    })();
    return this.running;
  }
}
