/**
 * The ports `npm start` binds besides INGRESS_PORT and TODO_GRPC_ADDR (read by the services
 * themselves, SPEC section 3), each from a variable of its own with a fixed default, so a second
 * stack can run beside the first on other ports (README, "npm start"). `npm run phone` reads the
 * same variables to find the local Twilio and whisper stand-ins.
 */

/** Each worker's METRICS_PORT (GET /metrics and /healthz); ingress serves its metrics on INGRESS_PORT. */
export const WORKER_METRICS_PORTS = {
  command: { variable: "COMMAND_METRICS_PORT", fallback: 9101 },
  transcribe: { variable: "TRANSCRIBE_METRICS_PORT", fallback: 9102 },
  notifier: { variable: "NOTIFIER_METRICS_PORT", fallback: 9103 },
  "todo-domain": { variable: "TODO_DOMAIN_METRICS_PORT", fallback: 9104 },
} as const;

export type Worker = keyof typeof WORKER_METRICS_PORTS;

const LOCAL_TWILIO_PORT = { variable: "LOCAL_TWILIO_PORT", fallback: 3010 } as const;
const LOCAL_WHISPER_PORT = { variable: "LOCAL_WHISPER_PORT", fallback: 3011 } as const;

/** The port a variable names, or its default when unset or empty; a value that is no port stops the command, naming it. */
export function portOf(env: NodeJS.ProcessEnv, { variable, fallback }: { variable: string; fallback: number }): number {
  const value = env[variable]?.trim();
  if (!value) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new Error(`${variable}: must be a port number (0 to 65535), not "${value}"`);
  return port;
}

export function workerMetricsPort(env: NodeJS.ProcessEnv, worker: Worker): number {
  return portOf(env, WORKER_METRICS_PORTS[worker]);
}

/** Where the local Twilio stand-in listens (LOCAL_TWILIO_PORT, 3010 by default). */
export function localTwilioPort(env: NodeJS.ProcessEnv): number {
  return portOf(env, LOCAL_TWILIO_PORT);
}

/** Where the local whisper stand-in listens (LOCAL_WHISPER_PORT, 3011 by default). */
export function localWhisperPort(env: NodeJS.ProcessEnv): number {
  return portOf(env, LOCAL_WHISPER_PORT);
}
