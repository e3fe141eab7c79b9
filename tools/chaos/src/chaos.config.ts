import { parseArgs } from "node:util";

/**
 * What `npm run test:chaos` runs and how big. Every setting is a flag (`--s1-webhooks=2000`) or
 * an environment variable (`CHAOS_S1_WEBHOOKS=2000`); a flag wins. The defaults run the whole
 * suite in about ten minutes on a 2-core machine.
 */
const SETTINGS = {
  scenarios: { default: "1,2,3,4,5,6,7", help: "which scenarios to run, e.g. 1,4,7 (the log scan always runs)" },
  seed: { default: "", help: "seed of every random choice (kill moments, latencies); printed, random when empty" },
  "log-level": { default: "info", help: "LOG_LEVEL of the services (the log scan reads what they print)" },
  "texts-per-number": { default: "4", help: "webhooks per phone number in a scenario: numbers = webhooks / this" },
  "quiet-seconds": {
    default: "12",
    help: "a scenario is counted once nothing happened for this long (retries waiting in delay queues count as pending anyway)",
  },
  "drain-seconds": { default: "300", help: "the longest a scenario waits for its replies after the last webhook" },
  "s1-webhooks": { default: "10000", help: "1: webhooks sent while RabbitMQ is cut off" },
  "s1-rate": { default: "200", help: "1: webhooks per second" },
  "s1-outage-at": { default: "15", help: "1: seconds after the first webhook when the cut starts" },
  "s1-outage-seconds": { default: "20", help: "1: how long every service is cut off from RabbitMQ" },
  "s2-messages": { default: "5000", help: "2: messages sent while workers are killed" },
  "s2-rate": { default: "100", help: "2: messages per second" },
  "s2-kill-min-seconds": { default: "2", help: "2: shortest time between two kills" },
  "s2-kill-max-seconds": { default: "6", help: "2: longest time between two kills" },
  "s2-voice-every": { default: "50", help: "2: every n-th message is a voice note (0: none)" },
  "s3-messages": { default: "2000", help: "3: messages sent while todo-domain loses Postgres" },
  "s3-rate": { default: "100", help: "3: messages per second" },
  "s3-outages": { default: "2", help: "3: cuts between todo-domain and Postgres" },
  "s3-outage-seconds": { default: "4", help: "3: length of each cut" },
  "s4-webhooks": { default: "1000", help: "4: distinct webhooks, each replayed" },
  "s4-rate": { default: "50", help: "4: distinct webhooks per second" },
  "s4-concurrent-replays": { default: "2", help: "4: replays posted at the same moment as the original" },
  "s4-later-replays": { default: "1", help: "4: replays posted after the reply to the original arrived" },
  "s5-poison": {
    default: "20",
    help: "5: poison messages of each kind (5 kinds); 20 always-failing texts outnumber command's 16 deliveries in flight",
  },
  "s5-good": { default: "300", help: "5: good webhooks sent right after the poison" },
  "s5-rate": { default: "50", help: "5: good webhooks per second" },
  "s5-stall-seconds": { default: "10", help: "5: a good message answered later than this after it was sent counts as stalled" },
  "s6-messages": { default: "1200", help: "6: messages sent while latency and partitions are injected" },
  "s6-rate": { default: "20", help: "6: messages per second" },
  "s6-latency-min-ms": { default: "50", help: "6: least latency added to each chunk" },
  "s6-latency-max-ms": { default: "200", help: "6: most latency added to each chunk" },
  "s6-partition-seconds": { default: "1.5", help: "6: length of each short partition" },
  "s7-each": { default: "10", help: "7: requests of each kind of forged or malformed webhook" },
} as const;

type SettingName = keyof typeof SETTINGS;
const INTEGER_SETTINGS = Object.keys(SETTINGS).filter(
  (name) => !["scenarios", "log-level", "quiet-seconds", "s6-partition-seconds"].includes(name),
) as SettingName[];

export interface ChaosConfig {
  scenarios: ReadonlySet<number>;
  seed: number;
  logLevel: string;
  textsPerNumber: number;
  quietSeconds: number;
  drainSeconds: number;
  brokerOutage: { webhooks: number; rate: number; outageAt: number; outageSeconds: number };
  workerKills: { messages: number; rate: number; killMinSeconds: number; killMaxSeconds: number; voiceEvery: number };
  postgresOutage: { messages: number; rate: number; outages: number; outageSeconds: number };
  replays: { webhooks: number; rate: number; concurrentReplays: number; laterReplays: number };
  poison: { perKind: number; good: number; rate: number; stallSeconds: number };
  networkFaults: { messages: number; rate: number; latencyMinMs: number; latencyMaxMs: number; partitionSeconds: number };
  forged: { each: number };
}

export const USAGE = `npm run test:chaos [-- flags]   (each flag also as CHAOS_<NAME> in the environment, e.g. CHAOS_S1_WEBHOOKS=2000)
${Object.entries(SETTINGS)
  .map(
    ([name, { default: fallback, help }]) =>
      `  --${`${name}=…`.padEnd(26)} ${help}${fallback === "" ? "" : ` (default ${fallback})`}`,
  )
  .join("\n")}`;

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}

/** Reads flags and CHAOS_* variables; throws with the usage on anything it does not understand. */
export function loadChaosConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ChaosConfig {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: Object.fromEntries(Object.keys(SETTINGS).map((name) => [name, { type: "string" as const }])),
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | undefined> });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`, { cause: error });
  }
  const raw = (name: SettingName): string =>
    values[name] ?? env[`CHAOS_${name.replace(/-/g, "_").toUpperCase()}`] ?? SETTINGS[name].default;
  const number = (name: SettingName, min: number): number => {
    const value = Number(raw(name));
    const integer = (INTEGER_SETTINGS as string[]).includes(name);
    if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      throw new Error(`--${name} must be a ${integer ? "whole " : ""}number of at least ${min}\n${USAGE}`);
    }
    return value;
  };

  const scenarios = new Set(
    raw("scenarios")
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "")
      .map(Number),
  );
  for (const scenario of scenarios) {
    if (!Number.isInteger(scenario) || scenario < 1 || scenario > 7)
      throw new Error(`--scenarios takes numbers from 1 to 7\n${USAGE}`);
  }
  const seedText = raw("seed");
  const seed = seedText === "" ? Math.floor(Math.random() * 2 ** 31) : number("seed", 0);

  const config: ChaosConfig = {
    scenarios,
    seed,
    logLevel: raw("log-level"),
    textsPerNumber: number("texts-per-number", 1),
    quietSeconds: number("quiet-seconds", 0),
    drainSeconds: number("drain-seconds", 1),
    brokerOutage: {
      webhooks: number("s1-webhooks", 1),
      rate: number("s1-rate", 1),
      outageAt: number("s1-outage-at", 0),
      outageSeconds: number("s1-outage-seconds", 1),
    },
    workerKills: {
      messages: number("s2-messages", 1),
      rate: number("s2-rate", 1),
      killMinSeconds: number("s2-kill-min-seconds", 1),
      killMaxSeconds: number("s2-kill-max-seconds", 1),
      voiceEvery: number("s2-voice-every", 0),
    },
    postgresOutage: {
      messages: number("s3-messages", 1),
      rate: number("s3-rate", 1),
      outages: number("s3-outages", 1),
      outageSeconds: number("s3-outage-seconds", 1),
    },
    replays: {
      webhooks: number("s4-webhooks", 1),
      rate: number("s4-rate", 1),
      concurrentReplays: number("s4-concurrent-replays", 0),
      laterReplays: number("s4-later-replays", 0),
    },
    poison: {
      perKind: number("s5-poison", 1),
      good: number("s5-good", 1),
      rate: number("s5-rate", 1),
      stallSeconds: number("s5-stall-seconds", 1),
    },
    networkFaults: {
      messages: number("s6-messages", 1),
      rate: number("s6-rate", 1),
      latencyMinMs: number("s6-latency-min-ms", 0),
      latencyMaxMs: number("s6-latency-max-ms", 0),
      partitionSeconds: number("s6-partition-seconds", 0.1),
    },
    forged: { each: number("s7-each", 1) },
  };
  if (config.workerKills.killMaxSeconds < config.workerKills.killMinSeconds) {
    throw new Error("--s2-kill-max-seconds must not be below --s2-kill-min-seconds");
  }
  if (config.networkFaults.latencyMaxMs < config.networkFaults.latencyMinMs) {
    throw new Error("--s6-latency-max-ms must not be below --s6-latency-min-ms");
  }
  return Object.freeze(config);
}
