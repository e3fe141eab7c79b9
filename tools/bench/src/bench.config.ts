/**
 * What `npm run bench` measures and for how long. Every setting is a flag (`--e2e-seconds=60`)
 * or an environment variable (`BENCH_E2E_SECONDS=60`); a flag wins. The defaults make a quick
 * run of one to two minutes; `--full` uses the durations SPEC section 6 names.
 */
export interface BenchConfig {
  /** Seconds of each throughput measurement of ingress and the two references. */
  ingressSeconds: number;
  /** Seconds of load before each measurement that are not counted (JIT, pools, connections). */
  warmupSeconds: number;
  /** Concurrent connections of autocannon in the throughput measurements. */
  connections: number;
  /** How often the three throughput measurements are repeated, interleaved; the median counts. */
  rounds: number;
  /** Webhooks per second of the fixed-rate latency measurement of ingress. */
  fixedRate: number;
  fixedSeconds: number;
  /** End to end at the rate SPEC's latency bar names. */
  e2eRate: number;
  e2eSeconds: number;
  /** End to end at the rate SPEC's backlog bar names. */
  highRate: number;
  highSeconds: number;
  /** How long replies may keep arriving after the last webhook of an end-to-end run. */
  drainSeconds: number;
  /** Whether docs/performance.md gets this run's figures. */
  writeDoc: boolean;
  /** A line printed above the figures in docs/performance.md, e.g. how quiet the machine was. */
  note: string;
  /** LOG_LEVEL of the services: info, as they run in production. */
  logLevel: string;
  /**
   * NODE_OPTIONS of the services instead of their own (SERVICE_V8_FLAGS), to measure V8 flags against each
   * other; empty runs them without any. Undefined: the services' own, as they run everywhere.
   */
  nodeOptions: string | undefined;
}

const QUICK: BenchConfig = {
  ingressSeconds: 5,
  warmupSeconds: 1,
  connections: 50,
  rounds: 1,
  fixedRate: 2000,
  fixedSeconds: 5,
  e2eRate: 100,
  e2eSeconds: 20,
  highRate: 1000,
  highSeconds: 10,
  drainSeconds: 30,
  writeDoc: true,
  note: "",
  logLevel: "info",
  nodeOptions: undefined,
};

const FULL: Partial<BenchConfig> = {
  ingressSeconds: 10,
  warmupSeconds: 3,
  rounds: 3,
  fixedSeconds: 10,
  e2eSeconds: 60,
  highSeconds: 60,
  drainSeconds: 60,
};

type Key = keyof BenchConfig;

const NUMBERS: Array<{ key: Key; flag: string; min: number }> = [
  { key: "ingressSeconds", flag: "ingress-seconds", min: 1 },
  { key: "warmupSeconds", flag: "warmup-seconds", min: 0 },
  { key: "connections", flag: "connections", min: 1 },
  { key: "rounds", flag: "rounds", min: 1 },
  { key: "fixedRate", flag: "fixed-rate", min: 1 },
  { key: "fixedSeconds", flag: "fixed-seconds", min: 1 },
  { key: "e2eRate", flag: "e2e-rate", min: 1 },
  { key: "e2eSeconds", flag: "e2e-seconds", min: 1 },
  { key: "highRate", flag: "high-rate", min: 1 },
  { key: "highSeconds", flag: "high-seconds", min: 1 },
  { key: "drainSeconds", flag: "drain-seconds", min: 1 },
];

export const USAGE = `npm run bench [-- flags]   (each flag also as BENCH_<NAME> in the environment, e.g. BENCH_E2E_SECONDS=60)
  --full                 SPEC's durations: 60 s end to end at both rates, longer and repeated ingress runs
  --ingress-seconds=N    each throughput measurement (default ${QUICK.ingressSeconds})
  --warmup-seconds=N     uncounted load before each measurement (default ${QUICK.warmupSeconds})
  --connections=N        autocannon connections (default ${QUICK.connections})
  --rounds=N             interleaved repetitions of the throughput measurements, median reported (default ${QUICK.rounds})
  --fixed-rate=N         webhooks/s of ingress' fixed-rate latency run (default ${QUICK.fixedRate})
  --fixed-seconds=N      (default ${QUICK.fixedSeconds})
  --e2e-rate=N           messages/s of the end-to-end latency run (default ${QUICK.e2eRate})
  --e2e-seconds=N        (default ${QUICK.e2eSeconds}; SPEC: 60)
  --high-rate=N          messages/s of the end-to-end backlog run (default ${QUICK.highRate})
  --high-seconds=N       (default ${QUICK.highSeconds})
  --drain-seconds=N      how long replies may trail the last webhook (default ${QUICK.drainSeconds})
  --no-doc               do not write docs/performance.md
  --note=TEXT            a line above the figures in docs/performance.md
  --log-level=LEVEL      the services' LOG_LEVEL (default info)
  --node-options=FLAGS   the services' NODE_OPTIONS instead of their own V8 flags; --node-options= runs them without any`;

function envName(flag: string): string {
  return `BENCH_${flag.replace(/-/g, "_").toUpperCase()}`;
}

/** Reads flags and BENCH_* variables; throws with the usage on anything it does not understand. */
export function loadBenchConfig(argv: readonly string[], env: NodeJS.ProcessEnv): BenchConfig {
  const flags = new Map<string, string>();
  for (const argument of argv) {
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(argument);
    if (!match?.[1]) throw new Error(`unknown argument ${argument}\n${USAGE}`);
    flags.set(match[1], match[2] ?? "true");
  }
  const value = (flag: string): string | undefined => flags.get(flag) ?? env[envName(flag)];
  const known = new Set(["full", "no-doc", "note", "log-level", "node-options", "help", ...NUMBERS.map((entry) => entry.flag)]);
  for (const flag of flags.keys()) if (!known.has(flag)) throw new Error(`unknown flag --${flag}\n${USAGE}`);

  const full = isTrue(value("full"));
  const config: BenchConfig = { ...QUICK, ...(full ? FULL : {}) };
  for (const { key, flag, min } of NUMBERS) {
    const raw = value(flag);
    if (raw === undefined) continue;
    const number = Number(raw);
    if (!Number.isInteger(number) || number < min) throw new Error(`--${flag} must be a whole number of at least ${min}`);
    (config[key] as number) = number;
  }
  if (isTrue(value("no-doc"))) config.writeDoc = false;
  config.note = value("note") ?? config.note;
  config.logLevel = value("log-level") ?? config.logLevel;
  config.nodeOptions = value("node-options") ?? config.nodeOptions;
  return Object.freeze(config);
}

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}

function isTrue(raw: string | undefined): boolean {
  return raw !== undefined && raw !== "" && raw !== "0" && raw.toLowerCase() !== "false";
}

/** The variables the services get from `--node-options`: none unless it was given. */
export function serviceNodeOptions(config: BenchConfig): NodeJS.ProcessEnv {
  return config.nodeOptions === undefined ? {} : { NODE_OPTIONS: config.nodeOptions };
}
