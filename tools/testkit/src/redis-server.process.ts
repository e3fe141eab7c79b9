import { spawn, type ChildProcess } from "node:child_process";
import { tmpdir } from "node:os";
import { createInterface } from "node:readline";
import { freePort } from "./free-port.js";

export interface RedisServerProcessOptions {
  /** The redis-server binary; found on PATH unless given. */
  binary?: string;
  /** How long a start may take before it counts as failed. */
  startTimeoutMs?: number;
}

/**
 * A throwaway redis-server of one test, without persistence, that the test may kill and start
 * again on the same port: a Redis restart as the clients see it (connections drop, every key
 * is gone, the same address answers again), which the shared Redis of the machine must never see.
 */
export class RedisServerProcess {
  /** Every line every incarnation of the server printed. */
  readonly lines: string[] = [];
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private serverPort = 0;

  constructor(private readonly options: RedisServerProcessOptions = {}) {}

  get port(): number {
    return this.serverPort;
  }

  /** The REDIS_URL of the server. */
  get url(): string {
    return `redis://127.0.0.1:${this.serverPort}`;
  }

  /** Starts the server (on a free port the first time, on the same port after that); resolves once it accepts connections. */
  async start(): Promise<string> {
    if (this.child) throw new Error("redis-server is already running");
    if (this.serverPort === 0) this.serverPort = await freePort();
    const child = spawn(
      this.options.binary ?? "redis-server",
      [
        ...["--port", String(this.serverPort), "--bind", "127.0.0.1"],
        ...["--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", tmpdir()],
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    // A test runner that ends without its clean-up must not leave the server running.
    const killWithParent = () => child.kill("SIGKILL");
    process.once("exit", killWithParent);
    child.once("exit", () => process.off("exit", killWithParent));
    let failure: Error | undefined;
    // A binary that cannot be spawned reports an error and never exits.
    this.exited = new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.once("error", (error) => {
        failure = error;
        resolve();
      });
    });
    const timeoutMs = this.options.startTimeoutMs ?? 10_000;
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not get ready within ${timeoutMs} ms`)), timeoutMs);
      void this.exited.then(() => {
        clearTimeout(timer);
        const why = failure ? failure.message : this.lines.slice(-5).join("\n");
        reject(new Error(`redis-server ended before it was ready:\n${why}`));
      });
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on("line", (line) => {
          this.lines.push(line);
          if (!line.includes("Ready to accept connections")) return;
          clearTimeout(timer);
          resolve();
        });
      }
    });
    try {
      await ready;
    } catch (error) {
      await this.kill();
      throw error;
    }
    return this.url;
  }

  /** Kills the server with SIGKILL, as a crash would, and resolves once it is gone. Nothing it held survives. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await this.exited;
    this.child = undefined;
  }

  /** Kills the server and starts a fresh, empty one on the same port. */
  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  /** Ends the server for good. */
  async stop(): Promise<void> {
    await this.kill();
  }
}
