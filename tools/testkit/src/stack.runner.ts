import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import pg from "pg";
import { withServiceV8Flags } from "@sms-todo/shared";
import { withAmqpChannel } from "./amqp-channel.js";
import { ChildProcessRunner, type ProcessCommand } from "./child-process.runner.js";
import type { CleanupRegistry } from "./cleanup.registry.js";
import { freePort } from "./free-port.js";
import { testInfrastructure } from "./infrastructure.js";
import { TEST_TWILIO } from "./test-credentials.js";
import { createTestDatabases, type TestDatabases } from "./test-databases.js";
import { createTestTopology, type TestTopology } from "./test-topology.js";
import { TwilioStandIn } from "./twilio-stand-in.js";
import { uniqueName } from "./unique-name.js";

/** In the order they start; stopped in reverse, so intake stops first and the domain last. */
export const SERVICES = ["todo-domain", "notifier", "command", "transcribe", "ingress"] as const;
export type ServiceName = (typeof SERVICES)[number];

const repoDir = fileURLToPath(new URL("../../../", import.meta.url));
const START_TIMEOUT_MS = 60_000;

export interface StackOptions {
  /** Part of the names of the stack's databases, queues and Redis keys, e.g. "bench". */
  label: string;
  /** LOG_LEVEL of every service. */
  logLevel: string;
  /**
   * Variables to set or replace in the environment of every service and of the migration, given
   * the defaults (the stack's own databases, namespace, ports, the Twilio stand-in): e.g. AMQP_URL
   * through a fault proxy, or WHISPER_URL.
   */
  environment?: (defaults: Readonly<NodeJS.ProcessEnv>) => NodeJS.ProcessEnv;
  /** Every line every process of the stack prints, the migration's and those of restarted services included. */
  onLine?: (process: string, line: string) => void;
  /** A service exited without being told to (a crash): how, and the last lines it printed. */
  onUnexpectedExit?: (name: ServiceName, exit: { code: number | null; signal: NodeJS.Signals | null }, lastLines: string) => void;
  /** How each process is started: `node services/<service>/dist/…` on this machine unless given (e.g. a container). */
  launcher?: StackLauncher;
}

/** One process of the stack, as a launcher is asked to start it. */
export interface StackProcess {
  /** "migrate" or the service's name. */
  name: string;
  /** The service whose code it runs: todo-domain's for the migration. */
  service: ServiceName;
  /** The script, relative to the repository root (and to /app in the images): services/<service>/dist/main.js. */
  entry: string;
  /** What the stack sets for it (its databases, namespace, ports, the stand-ins, StackOptions' environment); nothing of this process' own environment. */
  variables: Readonly<NodeJS.ProcessEnv>;
}

/** The command that starts a process of the stack, and the environment that command runs with. */
export interface StackLaunch {
  command: ProcessCommand;
  env: NodeJS.ProcessEnv;
}

export type StackLauncher = (process: StackProcess) => StackLaunch;

/** The five services as `npm start` runs them, on databases, queues and Redis keys of their own. */
export interface RunningStack {
  ingressOrigin: string;
  twilio: TwilioStandIn;
  /** The stack's databases (reached directly, not through the services' environment): todo-domain's three and ingress' spool. */
  databases: Pick<TestDatabases, "todo" | "audit" | "transcription"> & { spool: string };
  /** The names of the stack's databases, for counting their connections. */
  databaseNames: string[];
  /** The stack's queues and exchanges; `namespace` also prefixes its Redis keys. */
  topology: TestTopology;
  /** What the stack sets for every process (StackProcess' variables). */
  variables: Readonly<NodeJS.ProcessEnv>;
  pids(): Record<ServiceName, number | undefined>;
  /** Whether every service is still running; names the ones that are not. */
  exitedServices(): ServiceName[];
  /** Sends the signal to the service and resolves once its process is gone. */
  kill(name: ServiceName, signal: NodeJS.Signals): Promise<void>;
  /** Starts a service that exited again, with the same environment; resolves once it logged that it started. */
  restart(name: ServiceName): Promise<void>;
  /** Stops every service with SIGTERM, intake first and the domain last; resolves with their exit codes (143 after a clean stop). */
  stopServices(): Promise<Record<ServiceName, number | null>>;
}

/** ingress alone, on a topology nobody consumes, as the references publish to it. */
export interface IsolatedIngress {
  origin: string;
  topology: TestTopology;
  pid: number | undefined;
  /** Stops the process with SIGTERM and removes its queues and spool; resolves with its exit code (143 after a clean stop). */
  stop(): Promise<number | null>;
}

export interface IsolatedIngressOptions {
  /** Part of the names of its queues and spool database; "bench_ingress" unless given. */
  label?: string;
  /** How it is started: `node services/ingress/dist/main.js` here unless given (e.g. its image). */
  launcher?: StackLauncher;
  /** How long it may take to log that it started; 60 s unless given (longer under emulation). */
  startTimeoutMs?: number;
}

function isStartedLine(line: string): boolean {
  return line.includes('"msg":"service started"');
}

/** What every service is given: the stack's own names, the stand-in as Twilio. */
function serviceVariables(overrides: NodeJS.ProcessEnv, logLevel: string): NodeJS.ProcessEnv {
  return {
    TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
    TWILIO_FROM: TEST_TWILIO.from,
    PUBLIC_BASE_URL: TEST_TWILIO.publicBaseUrl,
    AMQP_URL: testInfrastructure.amqpUrl,
    REDIS_URL: testInfrastructure.redisUrl,
    LOG_LEVEL: logLevel,
    // A harness measures the stack, not one Twilio long code's pace of one SMS a second.
    SMS_RATE_PER_SECOND: "10000",
    SUMMARY_CRON: "off",
    // Any free port per worker: the defaults would clash with a running `npm start`.
    METRICS_PORT: "0",
    NODE_OPTIONS: withServiceV8Flags(process.env.NODE_OPTIONS),
    ...overrides,
  };
}

/** This process' environment, without an LLM. */
function hostEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The deterministic parser alone: an LLM's latency would be measured instead of the stack's.
  delete env.OPENAI_BASE_URL;
  delete env.OPENAI_API_KEY;
  delete env.LLM_MODEL;
  return env;
}

/** The processes as `npm start` runs them: `node <entry>` on this machine, with its environment under the stack's variables. */
export const nodeLauncher: StackLauncher = ({ entry, variables }) => ({
  command: { file: process.execPath, args: [`${repoDir}${entry}`] },
  env: { ...hostEnvironment(), ...variables },
});

async function removeTopology(topology: TestTopology): Promise<void> {
  await topology.remove();
}

/** A database next to the stack's todo database, named like it: "<stack>_todo" → "<stack>_<name>". */
function siblingDatabaseUrl(todoUrl: string, name: string): string {
  const url = new URL(todoUrl);
  url.pathname = url.pathname.replace(/_todo$/, `_${name}`);
  return url.toString();
}

async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const client = new pg.Client({ connectionString: testInfrastructure.postgresUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
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
  const { messageCount } = await withAmqpChannel((channel) => channel.purgeQueue(queue));
  return messageCount;
}

/** `environment` sets or replaces variables of ingress' environment, as StackOptions' does for the stack. */
export async function startIsolatedIngress(
  cleanup: CleanupRegistry,
  logLevel: string,
  environment: NodeJS.ProcessEnv = {},
  options: IsolatedIngressOptions = {},
): Promise<IsolatedIngress> {
  const label = options.label ?? "bench_ingress";
  const topology = createTestTopology(label);
  const removeQueues = cleanup.add("remove the isolated ingress' queues", () => removeTopology(topology));
  const spool = new URL(testInfrastructure.postgresUrl);
  spool.pathname = `/${uniqueName(`smstodo_${label}`)}_spool`;
  const dropSpool = cleanup.add("drop the isolated ingress' spool", () => dropDatabase(spool.toString()));
  const port = await freePort();
  const variables = serviceVariables(
    {
      SMS_TODO_NAMESPACE: topology.namespace,
      INGRESS_PORT: String(port),
      SPOOL_DATABASE_URL: spool.toString(),
      ...environment,
    },
    logLevel,
  );
  const { command, env } = (options.launcher ?? nodeLauncher)({
    name: "ingress",
    service: "ingress",
    entry: "services/ingress/dist/main.js",
    variables,
  });
  const runner = new ChildProcessRunner("ingress (isolated)", command, { env });
  let exitCode: number | null = null;
  const stopRunner = cleanup.add("stop the isolated ingress", async () => {
    exitCode = await runner.stop();
  });
  await runner.waitForLine(isStartedLine, options.startTimeoutMs ?? START_TIMEOUT_MS, "start");
  return {
    origin: `http://127.0.0.1:${port}`,
    topology,
    pid: runner.pid,
    async stop() {
      await stopRunner();
      await removeQueues();
      await dropSpool();
      return exitCode;
    },
  };
}

/** Migrates the stack's databases and starts the five services; every step registers its undo first. */
export async function startStack(cleanup: CleanupRegistry, options: StackOptions): Promise<RunningStack> {
  const databases = await createTestDatabases(options.label);
  cleanup.add("drop the stack's databases", () => databases.drop());
  // Ingress creates and migrates its spool itself; a stack of its own leaves nothing in the machine's sms_todo_spool.
  const spool = siblingDatabaseUrl(databases.todo, "spool");
  cleanup.add("drop the stack's spool database", () => dropDatabase(spool));
  const topology = createTestTopology(options.label);
  cleanup.add("delete the stack's Redis keys", () => deleteRedisKeys(`${topology.namespace}*`));
  cleanup.add("remove the stack's queues", () => removeTopology(topology));
  const twilio = new TwilioStandIn({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });
  await twilio.start();
  cleanup.add("stop the Twilio stand-in", () => twilio.stop());

  const [ingressPort, grpcPort] = [await freePort(), await freePort()];
  const stackVariables = serviceVariables(
    {
      TODO_DATABASE_URL: databases.todo,
      AUDIT_DATABASE_URL: databases.audit,
      TRANSCRIPTION_DATABASE_URL: databases.transcription,
      SPOOL_DATABASE_URL: spool,
      SMS_TODO_NAMESPACE: topology.namespace,
      TWILIO_API_BASE_URL: twilio.baseUrl,
      INGRESS_PORT: String(ingressPort),
      TODO_GRPC_ADDR: `127.0.0.1:${grpcPort}`,
    },
    options.logLevel,
  );
  const variables = { ...stackVariables, ...options.environment?.({ ...hostEnvironment(), ...stackVariables }) };
  const launch = options.launcher ?? nodeLauncher;
  const spawnRunner = (name: string, service: ServiceName, entry: string) => {
    const { command, env } = launch({ name, service, entry, variables });
    const runner = new ChildProcessRunner(name, command, { env });
    const { onLine } = options;
    if (onLine) runner.onLine((line) => onLine(name, line));
    return runner;
  };

  const migration = spawnRunner("migrate", "todo-domain", "services/todo-domain/dist/migrate.js");
  const stopMigration = cleanup.add("stop the migration", async () => void (await migration.stop()));
  const { code } = await migration.exited;
  await stopMigration();
  if (code !== 0) throw new Error(`migrating the ${options.label} databases failed (${code}):\n${migration.lastLines()}`);

  // The current process of each service: a restart replaces it, and the cleanup stops whichever runs then.
  const runners = new Map<ServiceName, ChildProcessRunner>();
  // Processes the harness stopped or killed on purpose; any other exit is reported as a crash.
  const told = new WeakSet<ChildProcessRunner>();
  const startService = (name: ServiceName): ChildProcessRunner => {
    const runner = spawnRunner(name, name, `services/${name}/dist/main.js`);
    runners.set(name, runner);
    void runner.exited.then((exit) => {
      if (!told.has(runner)) options.onUnexpectedExit?.(name, exit, runner.lastLines(20));
    });
    return runner;
  };
  const stopService = async (name: ServiceName, stop: (runner: ChildProcessRunner) => Promise<unknown>) => {
    const runner = runners.get(name);
    if (!runner) return;
    told.add(runner);
    await stop(runner);
  };
  for (const name of SERVICES) {
    startService(name);
    cleanup.add(`stop ${name}`, () => stopService(name, (runner) => runner.stop()));
  }
  await Promise.all([...runners.values()].map((runner) => runner.waitForLine(isStartedLine, START_TIMEOUT_MS, "start")));

  const databaseNames = [databases.todo, databases.audit, databases.transcription, spool].map((url) =>
    decodeURIComponent(new URL(url).pathname.slice(1)),
  );
  return {
    ingressOrigin: `http://127.0.0.1:${ingressPort}`,
    twilio,
    databases: { todo: databases.todo, audit: databases.audit, transcription: databases.transcription, spool },
    databaseNames,
    topology,
    variables,
    pids: () =>
      Object.fromEntries(SERVICES.map((name) => [name, runners.get(name)?.pid])) as Record<ServiceName, number | undefined>,
    exitedServices: () => SERVICES.filter((name) => runners.get(name)?.running === false),
    async kill(name, signal) {
      await stopService(name, (runner) => runner.kill(signal));
    },
    async restart(name) {
      if (runners.get(name)?.running) throw new Error(`${name} is still running; kill it before restarting it`);
      await startService(name).waitForLine(isStartedLine, START_TIMEOUT_MS, "restart");
    },
    async stopServices() {
      const codes = {} as Record<ServiceName, number | null>;
      for (const name of [...SERVICES].reverse()) {
        await stopService(name, async (runner) => {
          codes[name] = await runner.stop();
        });
      }
      return codes;
    },
  };
}
