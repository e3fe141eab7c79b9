import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import {
  LogLeakScanner,
  startStack,
  TcpFaultProxy,
  TEST_TWILIO,
  testInfrastructure,
  WhisperStandIn,
  type CleanupRegistry,
  type RunningStack,
  type ServiceName,
} from "@sms-todo/testkit";
import { BrokerProbe } from "./broker.probe.js";
import { DeadLetterCollector } from "./dead-letter.collector.js";
import { PhoneNumberAllocator } from "./phone-number.allocator.js";
import { ServiceLogWatcher } from "./service-log.watcher.js";
import { StackStateReader } from "./stack-state.reader.js";

/** A service that exited without the harness asking it to. */
export interface Crash {
  name: ServiceName;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines it printed (masked by its own logger). */
  lastLines: string;
}

/** The running stack with everything the scenarios act on and count with. */
export interface ChaosStack {
  stack: RunningStack;
  /** Between every service and RabbitMQ. */
  amqpProxy: TcpFaultProxy;
  /** Between todo-domain (the only service with databases) and Postgres. */
  postgresProxy: TcpFaultProxy;
  whisper: WhisperStandIn;
  logs: ServiceLogWatcher;
  leaks: LogLeakScanner;
  state: StackStateReader;
  deadLetters: DeadLetterCollector;
  broker: BrokerProbe;
  phoneNumbers: PhoneNumberAllocator;
  /** performance.now() of the last SMS the Twilio stand-in accepted. */
  lastSmsAt(): number;
  /** Every crash so far; each crashed service is started again at once, as Kubernetes would. */
  crashes: Crash[];
  /** Resolves once every restart after a crash is done. */
  restartsDone(): Promise<void>;
}

function endpointOf(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: parsed.port === "" ? defaultPort : Number(parsed.port) };
}

/** The same URL with its host and port replaced by the proxy's. */
function throughProxy(url: string | undefined, proxy: TcpFaultProxy): string {
  if (url === undefined) throw new Error(`no URL to send through the ${proxy.name} proxy`);
  const parsed = new URL(url);
  parsed.hostname = "127.0.0.1";
  parsed.port = String(proxy.port);
  return parsed.toString();
}

/**
 * Starts the five built services as `npm start` runs them (testkit's startStack), with every
 * service's RabbitMQ and todo-domain's Postgres behind fault proxies, a whisper stand-in for
 * voice notes, and every line every process prints going to the log scanner and the watcher.
 * Everything registers its undo with the cleanup first.
 */
export async function startChaosStack(cleanup: CleanupRegistry, logLevel: string, random: () => number): Promise<ChaosStack> {
  const amqpProxy = new TcpFaultProxy("RabbitMQ", endpointOf(testInfrastructure.amqpUrl, 5672), random);
  const postgresProxy = new TcpFaultProxy("Postgres", endpointOf(testInfrastructure.postgresUrl, 5432), random);
  for (const proxy of [amqpProxy, postgresProxy]) {
    await proxy.start();
    cleanup.add(`stop the ${proxy.name} proxy`, () => proxy.stop());
  }
  const whisper = new WhisperStandIn();
  await whisper.start();
  cleanup.add("stop the whisper stand-in", () => whisper.stop());

  const leaks = new LogLeakScanner();
  // Every todo text the harness sends: "chaos <scenario> <n>".
  leaks.registerBodyPattern(/chaos [a-z0-9]+ \d+/i);
  const logs = new ServiceLogWatcher();
  // Not used without OPENAI_BASE_URL, but read like any setting: it must never reach a log line either.
  const openAiKey = `sk-chaos-${randomBytes(12).toString("hex")}`;
  leaks.registerSecret("TWILIO_AUTH_TOKEN", TEST_TWILIO.authToken);
  leaks.registerSecret(
    "Twilio Basic credentials",
    Buffer.from(`${TEST_TWILIO.accountSid}:${TEST_TWILIO.authToken}`).toString("base64"),
  );
  leaks.registerSecret("OPENAI_API_KEY", openAiKey);

  const crashes: Crash[] = [];
  const restarts: Array<Promise<void>> = [];
  // Set once the stack is up: a crash during start-up fails startStack itself instead.
  const started: { stack?: RunningStack } = {};
  const stack = await startStack(cleanup, {
    label: "chaos",
    logLevel,
    environment: (defaults) => ({
      AMQP_URL: throughProxy(defaults.AMQP_URL, amqpProxy),
      TODO_DATABASE_URL: throughProxy(defaults.TODO_DATABASE_URL, postgresProxy),
      AUDIT_DATABASE_URL: throughProxy(defaults.AUDIT_DATABASE_URL, postgresProxy),
      TRANSCRIPTION_DATABASE_URL: throughProxy(defaults.TRANSCRIPTION_DATABASE_URL, postgresProxy),
      WHISPER_URL: whisper.whisperUrl,
      OPENAI_API_KEY: openAiKey,
    }),
    onLine: (process, line) => {
      leaks.scan(process, line);
      logs.observe(line);
    },
    onUnexpectedExit: (name, exit, lastLines) => {
      crashes.push({ name, ...exit, lastLines });
      // The service comes back at once, as Kubernetes would restart it; the crash itself is counted.
      if (started.stack) restarts.push(started.stack.restart(name).catch(() => undefined));
    },
  });
  started.stack = stack;

  let lastSms = performance.now();
  stack.twilio.onSms(() => (lastSms = performance.now()));

  const state = new StackStateReader(stack.databases);
  await state.start();
  cleanup.add("close the database readers", () => state.stop());
  const broker = new BrokerProbe(testInfrastructure.amqpUrl);
  await broker.start();
  cleanup.add("close the broker probe", () => broker.stop());
  const deadLetters = new DeadLetterCollector(testInfrastructure.amqpUrl, stack.topology.topology);
  await deadLetters.start();
  cleanup.add("stop reading the dead-letter queues", () => deadLetters.stop());

  return {
    stack,
    amqpProxy,
    postgresProxy,
    whisper,
    logs,
    leaks,
    state,
    deadLetters,
    broker,
    phoneNumbers: new PhoneNumberAllocator(leaks),
    lastSmsAt: () => lastSms,
    crashes,
    restartsDone: async () => {
      while (restarts.length > 0) await restarts.shift();
    },
  };
}
