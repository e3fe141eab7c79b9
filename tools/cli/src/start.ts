import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { EXIT_AFTER_SIGNAL, EXIT_FAILURE, withServiceV8Flags, type StopSignal } from "@sms-todo/shared";
import { TwilioStandIn, WhisperStandIn } from "@sms-todo/testkit";
import { localTwilioPort, localWhisperPort, WORKER_METRICS_PORTS, workerMetricsPort, type Worker } from "./local-ports.config.js";
import { LOCAL_TWILIO, twilioSettings, usesLocalWhisper } from "./local-twilio.js";
import { formatLogLine } from "./log-line.formatter.js";

/**
 * `npm start`: migrates the three databases, then runs the five services as separate
 * processes against the local infrastructure, with their logs prefixed by service.
 * Ctrl-C (or SIGTERM) stops them cleanly and waits for them to exit; then it exits as the
 * services do, 130 after SIGINT and 143 after SIGTERM, or 1 when one of them did not stop
 * cleanly or ended by itself.
 */

const SERVICES = ["todo-domain", "notifier", "command", "transcribe", "ingress"] as const;
const COLORS = ["\x1b[36m", "\x1b[35m", "\x1b[33m", "\x1b[34m", "\x1b[32m", "\x1b[90m"];
const RESET = "\x1b[0m";
const servicesDir = fileURLToPath(new URL("../../../services/", import.meta.url));
const useColor = process.stdout.isTTY;

function print(name: string, color: string, line: string): void {
  const label = `[${name}]`.padEnd(14);
  process.stdout.write(`${useColor ? color : ""}${label}${useColor ? RESET : ""} ${formatLogLine(line)}\n`);
}

function run(name: string, script: string, env: NodeJS.ProcessEnv, color: string): ChildProcess {
  // detached: a terminal's Ctrl-C reaches only this process, which then stops the children in order.
  const child = spawn(process.execPath, [script], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => print(name, color, line));
  }
  return child;
}

function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
}

async function main(): Promise<void> {
  const twilio = twilioSettings(process.env);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_API_BASE_URL: twilio.apiBaseUrl,
  };
  env.TWILIO_FROM ||= LOCAL_TWILIO.from;
  // One METRICS_PORT for four workers would clash; each gets its own (COMMAND_METRICS_PORT and the like).
  delete env.METRICS_PORT;
  env.NODE_OPTIONS = withServiceV8Flags(process.env.NODE_OPTIONS);
  const metricsPorts = Object.fromEntries(
    Object.keys(WORKER_METRICS_PORTS).map((worker) => [worker, workerMetricsPort(process.env, worker as Worker)]),
  ) as Record<Worker, number>;

  let localTwilio: TwilioStandIn | undefined;
  if (twilio.local) {
    localTwilio = new TwilioStandIn({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      port: localTwilioPort(process.env),
    });
    await localTwilio.start();
    env.TWILIO_API_BASE_URL = localTwilio.baseUrl;
    localTwilio.onSms((sms) =>
      print("local-twilio", COLORS[5]!, `SMS accepted (${sms.body.length} characters); read it with npm run phone`),
    );
    print(
      "local-twilio",
      COLORS[5]!,
      `no Twilio credentials configured: replies go to the local Twilio at ${localTwilio.baseUrl}`,
    );
  }

  let localWhisper: WhisperStandIn | undefined;
  if (usesLocalWhisper(process.env)) {
    localWhisper = new WhisperStandIn({ port: localWhisperPort(process.env) });
    await localWhisper.start();
    env.WHISPER_URL = localWhisper.whisperUrl;
    print(
      "local-whisper",
      COLORS[5]!,
      `no WHISPER_URL configured: voice notes go to a local whisper stand-in at ${localWhisper.origin}; ` +
        "it decodes them with ffmpeg and hears what npm run phone says they hold (/voice FILE words)",
    );
  }

  print("migrate", COLORS[5]!, "migrating the todo, audit and transcription databases");
  const migration = await exited(run("migrate", `${servicesDir}todo-domain/dist/migrate.js`, env, COLORS[5]!));
  if (migration !== 0) {
    await localWhisper?.stop();
    await localTwilio?.stop();
    process.exitCode = migration;
    return;
  }

  const children = SERVICES.map((name, index) => {
    const serviceEnv = name === "ingress" ? env : { ...env, METRICS_PORT: String(metricsPorts[name]) };
    return { name, child: run(name, `${servicesDir}${name}/dist/main.js`, serviceEnv, COLORS[index]!) };
  });
  let stopping = false;
  const stopAll = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    print("start", COLORS[5]!, `${reason}: stopping all services`);
    // Intake first, the domain last, so in-flight work can finish.
    const told = [...children].reverse().filter(({ child }) => child.exitCode === null && child.signalCode === null);
    for (const { child } of told) child.kill("SIGTERM");
    const stopped = await Promise.all(told.map(async ({ name, child }) => ({ name, code: await exited(child) })));
    await localWhisper?.stop();
    await localTwilio?.stop();
    // A service that stopped cleanly on its SIGTERM exits 143.
    const unclean = stopped.filter(({ code }) => code !== EXIT_AFTER_SIGNAL.SIGTERM);
    for (const { name, code } of unclean) print("start", COLORS[5]!, `${name} did not stop cleanly (exit code ${code})`);
    process.exitCode = unclean.length > 0 ? EXIT_FAILURE : exitCode;
  };

  for (const { name, child } of children) {
    void exited(child).then((code) => {
      if (!stopping) void stopAll(`${name} exited with code ${code}`, EXIT_FAILURE);
    });
  }
  for (const signal of ["SIGINT", "SIGTERM"] satisfies StopSignal[]) {
    process.once(signal, () => void stopAll(signal, EXIT_AFTER_SIGNAL[signal]));
  }

  const port = process.env.INGRESS_PORT || "3000";
  const workerMetrics = Object.entries(metricsPorts).map(([worker, metricsPort]) => `:${metricsPort} (${worker})`);
  print("start", COLORS[5]!, `webhooks: POST http://localhost:${port}/webhooks/twilio/sms; try it with: npm run phone`);
  print("start", COLORS[5]!, `metrics: http://localhost:${port}/metrics (ingress), and /metrics on ${workerMetrics.join(", ")}`);
}

await main();
