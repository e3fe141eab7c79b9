import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ChildProcessRunner } from "@sms-todo/testkit";
import { EXIT_AFTER_SIGNAL } from "../src/lifecycle/service-runner.js";

// The runner ends real processes: each test runs the fixture service as its own process on the
// built code and reads how it ended.

const ENTRY = fileURLToPath(new URL("./fixtures/run-service.entry.mjs", import.meta.url));
const BUILT = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const START_TIMEOUT_MS = 15_000;

type Behaviour = "runs" | "slow-stop" | "throws" | "rejects" | "invalid-config";

const running: ChildProcessRunner[] = [];

function runFixture(behaviour: Behaviour, shutdownTimeoutMs = 10_000): ChildProcessRunner {
  const runner = new ChildProcessRunner(`runner-fixture (${behaviour})`, ENTRY, {
    env: { ...process.env, FIXTURE_BEHAVIOUR: behaviour, FIXTURE_SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) },
  });
  running.push(runner);
  return runner;
}

/** Every line the process printed, parsed. */
function linesOf(runner: ChildProcessRunner): Array<{ msg?: string; level?: string }> {
  return runner
    .lastLines(40)
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { msg?: string; level?: string });
}

const hasMessage = (msg: string) => (line: string) => line.includes(`"msg":"${msg}"`);

async function started(behaviour: Behaviour, shutdownTimeoutMs?: number): Promise<ChildProcessRunner> {
  const runner = runFixture(behaviour, shutdownTimeoutMs);
  await runner.waitForLine(hasMessage("service started"), START_TIMEOUT_MS, "start");
  return runner;
}

describe("runService", () => {
  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: build first (npx tsc -b packages/shared)`);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((runner) => runner.kill("SIGKILL")));
  });

  it("when the service is told SIGTERM, then it stops the app and exits with 143", async () => {
    const runner = await started("runs");
    const { code } = await runner.kill("SIGTERM");
    expect(code).toBe(143);
    expect(EXIT_AFTER_SIGNAL.SIGTERM).toBe(143);
    expect(linesOf(runner).map((line) => line.msg)).toEqual(
      expect.arrayContaining(["stopping", "app stopping", "app stopped", "stopped"]),
    );
  });

  it("when the service is told SIGINT, then it stops the app and exits with 130", async () => {
    const runner = await started("runs");
    const { code } = await runner.kill("SIGINT");
    expect(code).toBe(130);
    expect(EXIT_AFTER_SIGNAL.SIGINT).toBe(130);
    expect(linesOf(runner).map((line) => line.msg)).toContain("app stopped");
  });

  it("when a second signal arrives while the app is still stopping, then the process exits at once with 1", async () => {
    const runner = await started("slow-stop", 60_000);
    const stopping = runner.waitForLine(hasMessage("app stopping"), START_TIMEOUT_MS, "the stop");
    void runner.kill("SIGTERM");
    await stopping;
    const { code } = await runner.kill("SIGTERM");
    expect(code).toBe(1);
    const messages = linesOf(runner).map((line) => line.msg);
    expect(messages).toContain("second signal, exiting now");
    expect(messages).not.toContain("app stopped");
  });

  it("when the stop overruns the shutdown deadline, then the process exits with 1", async () => {
    const runner = await started("slow-stop", 200);
    const { code } = await runner.kill("SIGTERM");
    expect(code).toBe(1);
    expect(linesOf(runner).map((line) => line.msg)).toContain("shutdown deadline passed, exiting");
  });

  it("when an exception goes uncaught, then it is logged as fatal, the app is stopped and the process exits with 1", async () => {
    const runner = runFixture("throws");
    const { code } = await runner.exited;
    expect(code).toBe(1);
    const lines = linesOf(runner);
    expect(lines).toContainEqual(expect.objectContaining({ level: "fatal", msg: "uncaught exception" }));
    expect(lines.map((line) => line.msg)).toContain("app stopped");
  });

  it("when a promise rejection goes unhandled, then it is logged as fatal, the app is stopped and the process exits with 1", async () => {
    const runner = runFixture("rejects");
    const { code } = await runner.exited;
    expect(code).toBe(1);
    const lines = linesOf(runner);
    expect(lines).toContainEqual(expect.objectContaining({ level: "fatal", msg: "unhandled rejection" }));
    expect(lines.map((line) => line.msg)).toContain("app stopped");
  });

  it("when the configuration is invalid, then it exits with 78 naming the variable, before anything starts", async () => {
    const runner = runFixture("invalid-config");
    const { code } = await runner.exited;
    expect(code).toBe(78);
    expect(runner.lastLines()).toContain("FIXTURE_SETTING");
    expect(linesOf(runner).map((line) => line.msg)).not.toContain("app started");
  });
});
