import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import {
  createTestDatabases,
  createTestTopology,
  TEST_TWILIO,
  testInfrastructure,
  TwilioStandIn,
  WhisperStandIn,
  type TestDatabases,
  type TestTopology,
} from "@sms-todo/testkit";

const SERVICES = ["todo-domain", "notifier", "command", "transcribe", "ingress"] as const;
const servicesDir = fileURLToPath(new URL("../../", import.meta.url));

/** The whole stack as `npm start` runs it: one process per service, built code, real infrastructure. */
export interface Stack {
  ingressUrl: string;
  twilio: TwilioStandIn;
  /** What transcribe reaches at WHISPER_URL. */
  whisper: WhisperStandIn;
  /** The stack's own todo, audit and transcription databases. */
  databases: TestDatabases;
  /** SMS_TODO_NAMESPACE of every service: the prefix of the stack's queues and Redis keys. */
  namespace: string;
  /** Every line every process printed. */
  logLines: string[];
  /** Stops every service with SIGTERM; resolves with their exit codes. */
  stop(): Promise<Record<string, number | null>>;
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

function spawnService(
  script: string,
  env: NodeJS.ProcessEnv,
  logLines: string[],
): { child: ChildProcess; started: Promise<void> } {
  const child = spawn(process.execPath, [script], { env, stdio: ["ignore", "pipe", "pipe"] });
  let onStarted: () => void;
  const started = new Promise<void>((resolve, reject) => {
    onStarted = resolve;
    child.once("exit", (code) =>
      reject(new Error(`${script} exited with ${code} before it started:\n${logLines.slice(-5).join("\n")}`)),
    );
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      logLines.push(line);
      if (line.includes('"msg":"service started"') || line.includes('"msg":"databases migrated"')) onStarted();
    });
  }
  return { child, started };
}

/** The notifier's claims live under the namespace; the stack leaves nothing behind in Redis. */
async function deleteRedisKeys(pattern: string): Promise<void> {
  const redis = new Redis(testInfrastructure.redisUrl);
  try {
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: pattern, count: 500 })) keys.push(...(batch as string[]));
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

export interface StackOptions {
  /**
   * SUMMARY_CRON of the notifier. Off unless a test asks: a run spanning 08:00 in New York (the guessed
   * timezone of the +1 555 numbers) would otherwise get real summaries in the middle of tests that count replies.
   */
  summaryCron?: string;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const databases: TestDatabases = await createTestDatabases("e2e");
  // ingress's spool, a database of the stack's own that ingress migrates at start. testkit makes databases three at a
  // time: the spool is the first of a set of its own, so it is dropped with them.
  const spoolDatabases: TestDatabases = await createTestDatabases("e2e_spool");
  const topology: TestTopology = createTestTopology("e2e");
  const twilio = new TwilioStandIn({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });
  await twilio.start();
  const whisper = new WhisperStandIn();
  await whisper.start();
  const [ingressPort, grpcPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TODO_DATABASE_URL: databases.todo,
    AUDIT_DATABASE_URL: databases.audit,
    TRANSCRIPTION_DATABASE_URL: databases.transcription,
    SPOOL_DATABASE_URL: spoolDatabases.todo,
    // The tests text one number many times a minute; the per-number limit has its own tests in services/ingress.
    RATE_LIMIT_MESSAGES: "100000",
    SMS_TODO_NAMESPACE: topology.namespace,
    TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
    TWILIO_FROM: TEST_TWILIO.from,
    TWILIO_API_BASE_URL: twilio.baseUrl,
    PUBLIC_BASE_URL: TEST_TWILIO.publicBaseUrl,
    INGRESS_PORT: String(ingressPort),
    // Any free port per worker: the fixed defaults would clash between stacks, and with a running `npm start`.
    METRICS_PORT: "0",
    TODO_GRPC_ADDR: `127.0.0.1:${grpcPort}`,
    WHISPER_URL: whisper.whisperUrl,
    LOG_LEVEL: "info",
    // The tests' own pace; the default of 1 SMS a second suits one Twilio long code, not a test run.
    SMS_RATE_PER_SECOND: "1000",
    SUMMARY_CRON: options.summaryCron ?? "off",
  };
  const logLines: string[] = [];

  const migration = spawnService(`${servicesDir}todo-domain/dist/migrate.js`, env, logLines);
  await migration.started;
  await exitOf(migration.child);

  const services = SERVICES.map((name) => ({ name, ...spawnService(`${servicesDir}${name}/dist/main.js`, env, logLines) }));
  await Promise.all(services.map((service) => service.started));

  return {
    ingressUrl: `http://127.0.0.1:${ingressPort}`,
    twilio,
    whisper,
    databases,
    namespace: topology.namespace,
    logLines,
    async stop() {
      const codes: Record<string, number | null> = {};
      for (const { name, child } of [...services].reverse()) {
        child.kill("SIGTERM");
        codes[name] = await exitOf(child);
      }
      await twilio.stop();
      await whisper.stop();
      await topology.remove();
      await databases.drop();
      await spoolDatabases.drop();
      await deleteRedisKeys(`${topology.namespace}*`);
      return codes;
    },
  };
}
