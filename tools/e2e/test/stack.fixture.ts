import { EXIT_AFTER_SIGNAL } from "@sms-todo/shared";
import {
  CleanupRegistry,
  SERVICES,
  startStack as startRunningStack,
  WhisperStandIn,
  type RunningStack,
  type ServiceName,
  type StackLauncher,
  type TwilioStandIn,
} from "@sms-todo/testkit";

/** The whole stack as `npm start` runs it (testkit's stack runner): one process per service, built code, real infrastructure. */
export interface Stack {
  ingressUrl: string;
  twilio: TwilioStandIn;
  /** What transcribe reaches at WHISPER_URL. */
  whisper: WhisperStandIn;
  /** The stack's own todo, audit and transcription databases, and ingress' spool. */
  databases: RunningStack["databases"];
  /** SMS_TODO_NAMESPACE of every service: the prefix of the stack's queues and Redis keys. */
  namespace: string;
  /** What the stack sets for every service: its databases, namespace, ports, the stand-ins. */
  variables: Readonly<NodeJS.ProcessEnv>;
  /** Every line every process printed. */
  logLines: string[];
  /** Stops every service with SIGTERM and removes what the stack made; resolves with the services' exit codes. */
  stop(): Promise<Record<ServiceName, number | null>>;
}

/** What stop() resolves with when every service stopped cleanly on its SIGTERM: 143 each (128 + the signal's number). */
export const STOPPED_CLEANLY: Readonly<Record<ServiceName, number>> = Object.fromEntries(
  SERVICES.map((name) => [name, EXIT_AFTER_SIGNAL.SIGTERM]),
) as Record<ServiceName, number>;

export interface StackOptions {
  /**
   * SUMMARY_CRON of the notifier. Off unless a test asks: a run spanning 08:00 in New York (the guessed
   * timezone of the +1 555 numbers) would otherwise get real summaries in the middle of tests that count replies.
   */
  summaryCron?: string;
  /** Part of the names of the stack's databases, queues and Redis keys; "e2e" unless given. */
  label?: string;
  /** How each service is started: `node services/<service>/dist/main.js` here unless given (e.g. its image). */
  launcher?: StackLauncher;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const cleanup = new CleanupRegistry();
  const logLines: string[] = [];
  try {
    const whisper = new WhisperStandIn();
    await whisper.start();
    cleanup.add("stop the whisper stand-in", () => whisper.stop());
    const stack = await startRunningStack(cleanup, {
      label: options.label ?? "e2e",
      launcher: options.launcher,
      logLevel: "info",
      environment: () => ({
        WHISPER_URL: whisper.whisperUrl,
        // The tests text one number many times a minute; the per-number limit has its own tests in services/ingress.
        RATE_LIMIT_MESSAGES: "100000",
        SUMMARY_CRON: options.summaryCron ?? "off",
      }),
      onLine: (_process, line) => logLines.push(line),
    });
    return {
      ingressUrl: stack.ingressOrigin,
      twilio: stack.twilio,
      whisper,
      databases: stack.databases,
      namespace: stack.topology.namespace,
      variables: stack.variables,
      logLines,
      async stop() {
        const codes = await stack.stopServices();
        const failures = await cleanup.runAll();
        if (failures.length > 0) throw new Error(`cleaning up the e2e stack failed:\n${failures.join("\n")}`);
        return codes;
      },
    };
  } catch (error) {
    await cleanup.runAll();
    throw error;
  }
}
