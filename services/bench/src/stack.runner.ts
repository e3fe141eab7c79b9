import net from "node:net";
import { fileURLToPath } from "node:url";
import amqplib from "amqplib";
import { Redis } from "ioredis";
import { createTestDatabases, createTestTopology, testInfrastructure, TwilioStandIn, type TestTopology } from "@sms-todo/testkit";
import { ChildProcessRunner } from "./child-process.runner.js";
import type { CleanupRegistry } from "./cleanup.registry.js";
import { BENCH_TWILIO } from "./signed-webhook.factory.js";

export const SERVICES = ["todo-domain", "notifier", "command", "transcribe", "ingress"] as const;
export type ServiceName = (typeof SERVICES)[number];

const servicesDir = fileURLToPath(new URL("../../", import.meta.url));
const START_TIMEOUT_MS = 60_000;

/** The five services as `npm start` runs them, on databases, queues and Redis keys of their own. */
export interface RunningStack {
  ingressOrigin: string;
  twilio: TwilioStandIn;
  /** The names of the stack's three databases, for counting their connections. */
  databaseNames: string[];
  pids(): Record<ServiceName, number | undefined>;
  /** Whether every service is still running; names the ones that are not. */
  exitedServices(): ServiceName[];
}

/** ingress alone, on a topology nobody consumes, as the references publish to it. */
export interface IsolatedIngress {
  origin: string;
  topology: TestTopology;
  pid: number | undefined;
  /** Stops the process and removes its queues. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function isStartedLine(line: string): boolean {
  return line.includes('"msg":"service started"');
}

/** Environment of every service: the stack's own names, the stand-in as Twilio, no LLM. */
function serviceEnv(overrides: NodeJS.ProcessEnv, logLevel: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TWILIO_ACCOUNT_SID: BENCH_TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: BENCH_TWILIO.authToken,
    TWILIO_FROM: BENCH_TWILIO.from,
    PUBLIC_BASE_URL: BENCH_TWILIO.publicBaseUrl,
    AMQP_URL: testInfrastructure.amqpUrl,
    REDIS_URL: testInfrastructure.redisUrl,
    LOG_LEVEL: logLevel,
    // The bench measures the stack, not one Twilio long code's pace of one SMS a second.
    SMS_RATE_PER_SECOND: "10000",
    SUMMARY_CRON: "off",
    // Any free port per worker: the defaults would clash with a running `npm start`.
    METRICS_PORT: "0",
    ...overrides,
  };
  // The deterministic parser alone: an LLM's latency would be measured instead of the stack's.
  delete env.OPENAI_BASE_URL;
  delete env.OPENAI_API_KEY;
  delete env.LLM_MODEL;
  return env;
}

function serviceScript(name: ServiceName): string {
  return `${servicesDir}${name}/dist/main.js`;
}

async function removeTopology(topology: TestTopology): Promise<void> {
  await topology.remove();
}

async function deleteRedisKeys(pattern: string): Promise<void> {
  const redis = new Redis(testInfrastructure.redisUrl, { lazyConnect: true });
  try {
    await redis.connect();
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: pattern, count: 1000 })) keys.push(...(batch as string[]));
    for (let offset = 0; offset < keys.length; offset += 1000) await redis.del(...keys.slice(offset, offset + 1000));
  } finally {
    redis.disconnect();
  }
}

/** Empties a queue between measurements, so a backlog from one run does not slow the next. */
export async function purgeQueue(queue: string): Promise<number> {
  const connection = await amqplib.connect(testInfrastructure.amqpUrl);
  try {
    const channel = await connection.createChannel();
    const { messageCount } = await channel.purgeQueue(queue);
    await channel.close();
    return messageCount;
  } finally {
    await connection.close();
  }
}

export async function startIsolatedIngress(cleanup: CleanupRegistry, logLevel: string): Promise<IsolatedIngress> {
  const topology = createTestTopology("bench_ingress");
  const removeQueues = cleanup.add("remove the isolated ingress' queues", () => removeTopology(topology));
  const port = await freePort();
  const runner = new ChildProcessRunner("ingress (isolated)", serviceScript("ingress"), {
    env: serviceEnv({ SMS_TODO_NAMESPACE: topology.namespace, INGRESS_PORT: String(port) }, logLevel),
  });
  const stopRunner = cleanup.add("stop the isolated ingress", async () => void (await runner.stop()));
  await runner.waitForLine(isStartedLine, START_TIMEOUT_MS, "start");
  return {
    origin: `http://127.0.0.1:${port}`,
    topology,
    pid: runner.pid,
    async stop() {
      await stopRunner();
      await removeQueues();
    },
  };
}

/** Migrates the stack's databases and starts the five services; every step registers its undo first. */
export async function startStack(cleanup: CleanupRegistry, logLevel: string): Promise<RunningStack> {
  const databases = await createTestDatabases("bench");
  cleanup.add("drop the stack's databases", () => databases.drop());
  const topology = createTestTopology("bench");
  cleanup.add("delete the stack's Redis keys", () => deleteRedisKeys(`${topology.namespace}*`));
  cleanup.add("remove the stack's queues", () => removeTopology(topology));
  const twilio = new TwilioStandIn({ accountSid: BENCH_TWILIO.accountSid, authToken: BENCH_TWILIO.authToken });
  await twilio.start();
  cleanup.add("stop the Twilio stand-in", () => twilio.stop());

  const [ingressPort, grpcPort] = [await freePort(), await freePort()];
  const env = serviceEnv(
    {
      TODO_DATABASE_URL: databases.todo,
      AUDIT_DATABASE_URL: databases.audit,
      TRANSCRIPTION_DATABASE_URL: databases.transcription,
      SMS_TODO_NAMESPACE: topology.namespace,
      TWILIO_API_BASE_URL: twilio.baseUrl,
      INGRESS_PORT: String(ingressPort),
      TODO_GRPC_ADDR: `127.0.0.1:${grpcPort}`,
    },
    logLevel,
  );

  const migration = new ChildProcessRunner("migrate", `${servicesDir}todo-domain/dist/migrate.js`, { env });
  const stopMigration = cleanup.add("stop the migration", async () => void (await migration.stop()));
  const { code } = await migration.exited;
  await stopMigration();
  if (code !== 0) throw new Error(`migrating the bench databases failed (${code}):\n${migration.lastLines()}`);

  const runners = new Map<ServiceName, ChildProcessRunner>();
  // Intake stops first, the domain last, so in-flight work can finish: the reverse of SERVICES.
  for (const name of SERVICES) {
    const runner = new ChildProcessRunner(name, serviceScript(name), { env });
    runners.set(name, runner);
    cleanup.add(`stop ${name}`, async () => void (await runner.stop()));
  }
  await Promise.all([...runners.values()].map((runner) => runner.waitForLine(isStartedLine, START_TIMEOUT_MS, "start")));

  const databaseNames = [databases.todo, databases.audit, databases.transcription].map((url) =>
    decodeURIComponent(new URL(url).pathname.slice(1)),
  );
  return {
    ingressOrigin: `http://127.0.0.1:${ingressPort}`,
    twilio,
    databaseNames,
    pids: () =>
      Object.fromEntries(SERVICES.map((name) => [name, runners.get(name)?.pid])) as Record<ServiceName, number | undefined>,
    exitedServices: () => SERVICES.filter((name) => runners.get(name)?.running === false),
  };
}
