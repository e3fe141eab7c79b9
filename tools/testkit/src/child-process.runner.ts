import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { auditLogLine } from "./log-audit.js";

const TAIL_LINES = 40;

/** A program and its arguments, run instead of a Node script: e.g. `podman run … IMAGE node …`. */
export interface ProcessCommand {
  file: string;
  args: readonly string[];
}

/**
 * One Node script run as its own process, as in production: a service, a reference server or
 * a load generator; or a command that runs one (a container). Detached, so a terminal's Ctrl-C
 * reaches only the harness (bench, chaos), which then stops the children in its own order.
 */
export class ChildProcessRunner {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly tail: string[] = [];
  private readonly listeners = new Set<(line: string) => void>();

  constructor(
    readonly name: string,
    script: string | ProcessCommand,
    options: { args?: string[]; env?: NodeJS.ProcessEnv } = {},
  ) {
    const command = typeof script === "string" ? { file: process.execPath, args: [script] } : script;
    this.child = spawn(command.file, [...command.args, ...(options.args ?? [])], {
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => resolve({ code, signal }));
      // A script that cannot be spawned at all never emits exit.
      this.child.once("error", () => resolve({ code: null, signal: null }));
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on("line", (line) => {
        auditLogLine(name, line);
        this.tail.push(line);
        if (this.tail.length > TAIL_LINES) this.tail.shift();
        for (const listener of this.listeners) listener(line);
      });
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the process printed, for error messages. */
  lastLines(count = 10): string {
    return this.tail.slice(-count).join("\n");
  }

  onLine(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first line that matches; rejects if the process exits first or the time runs out. */
  waitForLine(matches: (line: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        stopListening();
        settle();
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms\n${this.lastLines()}`))),
        timeoutMs,
      );
      const stopListening = this.onLine((line) => {
        if (matches(line)) finish(() => resolve(line));
      });
      void this.exited.then(({ code, signal }) =>
        finish(() => reject(new Error(`${this.name} exited (${signal ?? code}) before ${what}\n${this.lastLines()}`))),
      );
    });
  }

  /** Sends the signal (SIGKILL: a crash, as far as the process can tell) and resolves once the process is gone. */
  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  /** SIGTERM, then SIGKILL if the process is still there after graceMs; resolves once it is gone. */
  async stop(graceMs = 15_000): Promise<number | null> {
    if (this.running) this.child.kill("SIGTERM");
    const timer = setTimeout(() => {
      if (this.running) this.child.kill("SIGKILL");
    }, graceMs);
    const { code } = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
