import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { retryQueuesOf } from "@sms-todo/shared";
import {
  fakeMessageSid,
  generatedAmrNb,
  inboundSmsFields,
  sendPacedWebhooks,
  signedWebhookOf,
  TEST_TWILIO,
  type PacedRunResult,
} from "@sms-todo/testkit";
import { isSuccess, MessageLedger, wasAccepted, type LedgerEntry } from "../ledger/message.ledger.js";
import { tallyScenario, type Tally } from "../ledger/scenario.tally.js";
import type { Scenario, ScenarioContext, ScenarioOutcome } from "./scenario.types.js";

/** A scenario under way: its ledger and where the run's SMS and dead letters stood when it began. */
export interface ScenarioRun {
  number: number;
  ledger: MessageLedger;
  smsOffset: number;
  deadLetterOffset: number;
  crashOffset: number;
}

export function beginScenario(context: ScenarioContext, number: number): ScenarioRun {
  const ledger = new MessageLedger(`s${number}`);
  context.memory.ledgers.push(ledger);
  return {
    number,
    ledger,
    smsOffset: context.chaos.stack.twilio.sent.length,
    deadLetterOffset: context.chaos.deadLetters.letters.length,
    crashOffset: context.chaos.crashes.length,
  };
}

/** A signed text message from `from` whose todo text is `text`, recorded in the ledger before it is sent. */
export function textMessage(run: ScenarioRun, from: string, text: string): LedgerEntry {
  const messageSid = fakeMessageSid();
  const fields = inboundSmsFields({ from, body: text, accountSid: TEST_TWILIO.accountSid, messageSid });
  return run.ledger.add({ text, messageSid, from, kind: "text", expectation: "accepted", webhook: signedWebhookOf(fields) });
}

/**
 * A voice note that says `text`: a short AMR clip of its own served by the Twilio stand-in, which
 * the whisper stand-in transcribes as `text` (it still decodes the clip with ffmpeg, as whisper would).
 */
export function voiceMessage(context: ScenarioContext, run: ScenarioRun, from: string, text: string, seed: number): LedgerEntry {
  const { stack, whisper } = context.chaos;
  const messageSid = fakeMessageSid();
  const audio = generatedAmrNb(1, seed);
  whisper.setTranscript(audio, text);
  const url = stack.twilio.addMedia(messageSid, "audio/amr", audio);
  const fields = inboundSmsFields({
    from,
    body: "",
    accountSid: TEST_TWILIO.accountSid,
    messageSid,
    media: [{ url, contentType: "audio/amr" }],
  });
  return run.ledger.add({ text, messageSid, from, kind: "voice", expectation: "accepted", webhook: signedWebhookOf(fields) });
}

export interface BulkSend {
  messages: number;
  rate: number;
  /** Whether the index-th message is a voice note rather than a text. */
  isVoiceNote?: (index: number) => boolean;
  /** Called as each message goes out, e.g. to post its replays at the same moment. */
  onSending?: (entry: LedgerEntry) => void;
  maxSockets?: number;
}

/**
 * Sends `messages` adds open loop at a fixed rate, from numbers that each text about
 * --texts-per-number times; every webhook is in the ledger with its answers.
 */
export async function sendMessages(context: ScenarioContext, run: ScenarioRun, options: BulkSend): Promise<PacedRunResult> {
  const numbers = context.chaos.phoneNumbers.numbers(run.number, Math.ceil(options.messages / context.config.textsPerNumber));
  const entries: LedgerEntry[] = [];
  const { key } = run.ledger;
  const result = await sendPacedWebhooks({
    origin: context.chaos.stack.ingressOrigin,
    rate: options.rate,
    seconds: options.messages / options.rate,
    maxSockets: options.maxSockets,
    webhookAt: (index) => {
      const from = numbers[index % numbers.length]!;
      const entry = options.isVoiceNote?.(index)
        ? voiceMessage(context, run, from, `chaos ${key}v ${index}`, index + 1)
        : textMessage(run, from, `chaos ${key} ${index}`);
      entries[index] = entry;
      return entry.webhook;
    },
    onSending: (index, _webhook, scheduledAt) => {
      const entry = entries[index]!;
      entry.sentAt = scheduledAt;
      options.onSending?.(entry);
    },
    onSettled: (index, status) => entries[index]?.statuses.push(status),
  });
  context.chaos.logs.touch();
  return result;
}

export interface SettleResult {
  settled: boolean;
  seconds: number;
  /** Why it did not settle, when it did not. */
  pending: string | undefined;
}

const POLL_MS = 250;

/**
 * Waits until the scenario's work is done: every accepted message has its reply (or reached a
 * dead-letter queue), and a replayed one was handled by a worker as often as ingress accepted
 * it; then until the queues are empty, no outbox row or saga is pending, and neither a worker
 * nor the Twilio stand-in did anything for --quiet-seconds, so a late duplicate (a retry after
 * a crash) still gets counted. Gives up after --drain-seconds and says what was still pending.
 */
export async function settle(
  context: ScenarioContext,
  run: ScenarioRun,
  scenarioPending?: () => string | undefined,
): Promise<SettleResult> {
  const { chaos, config } = context;
  const startedAt = performance.now();
  const deadline = startedAt + config.drainSeconds * 1000;
  const quietMs = config.quietSeconds * 1000;
  const { topology } = chaos.stack.topology;
  const queues = [...Object.values(topology.queues), ...retryQueuesOf(topology)];
  const deadLettered = () => {
    const ids = new Set<string>();
    for (const letter of chaos.deadLetters.since(run.deadLetterOffset)) {
      if (letter.messageId) ids.add(letter.messageId);
      if (letter.correlationId) ids.add(letter.correlationId);
    }
    return ids;
  };
  const unfinished = (): string | undefined => {
    const dead = deadLettered();
    let waiting = 0;
    for (const entry of run.ledger.entries) {
      if (entry.expectation !== "accepted" || !wasAccepted(entry) || dead.has(entry.messageSid)) continue;
      // A copy accepted more than once (a replay) must also have been handled each time; a single one has its reply.
      // (Log lines alone cannot tell: a worker killed right after its work may never have flushed its line.)
      const accepted = entry.statuses.filter(isSuccess).length;
      const handled = accepted <= 1 || chaos.logs.handledCount(entry.messageSid) >= accepted;
      if (entry.repliedAt === undefined || !handled) waiting += 1;
    }
    if (waiting > 0) return `${waiting} accepted messages without their reply or handling`;
    return scenarioPending?.();
  };
  const busy = async (): Promise<string | undefined> => {
    const ready = await chaos.broker.readyMessages(queues);
    if (ready > 0) return `${ready} messages waiting in the queues or for a retry`;
    const { outbox, sagas } = await chaos.state.pendingWork();
    if (outbox > 0 || sagas > 0) return `${outbox} unpublished outbox rows, ${sagas} unfinished sagas`;
    const quietFor = Math.min(chaos.logs.idleMs(), performance.now() - chaos.lastSmsAt());
    if (quietFor < quietMs) return `activity ${Math.round(quietFor / 1000)} s ago`;
    return undefined;
  };

  const check = async () => unfinished() ?? (await busy().catch((error: Error) => `cannot check: ${error.message}`));
  let pending = await check();
  while (pending !== undefined && performance.now() < deadline) {
    await delay(POLL_MS);
    pending = await check();
  }
  return { settled: pending === undefined, seconds: (performance.now() - startedAt) / 1000, pending };
}

/** Counts the scenario from the stack's databases, the Twilio stand-in and the dead-letter queues. */
export async function countScenario(
  context: ScenarioContext,
  run: ScenarioRun,
  expectedDeadLetters?: ReadonlySet<string>,
): Promise<Tally> {
  const { chaos } = context;
  return tallyScenario({
    ledger: run.ledger,
    memory: context.memory,
    snapshot: await chaos.state.snapshot(),
    replies: chaos.stack.twilio.sent.slice(run.smsOffset),
    deadLetters: chaos.deadLetters.since(run.deadLetterOffset),
    expectedDeadLetters,
  });
}

/**
 * The end every scenario shares: wait until the stack settled, count, and restart (and report as
 * unexpected) any service that is not running, since nothing but the harness may stop one.
 */
export async function finishScenario(
  context: ScenarioContext,
  run: ScenarioRun,
  scenario: Scenario,
  sizes: string,
  options: {
    details?: string[];
    expectedDeadLetters?: ReadonlySet<string>;
    /** What the scenario itself still waits for, if anything (e.g. replays not yet answered). */
    pending?: () => string | undefined;
  } = {},
): Promise<ScenarioOutcome> {
  const waited = await settle(context, run, options.pending);
  const tally = await countScenario(context, run, options.expectedDeadLetters);
  await context.chaos.restartsDone();
  const crashes = context.chaos.crashes.slice(run.crashOffset);
  // A service that is down and was not restarted: nothing else may stop one.
  const down = context.chaos.stack.exitedServices();
  for (const name of down) await context.chaos.stack.restart(name);
  tally.counts.unexpected += crashes.length + down.length;
  return {
    number: scenario.number,
    title: scenario.title,
    sizes,
    counts: tally.counts,
    details: [
      ...tally.details,
      ...crashes.map(
        (crash) =>
          `unexpected: ${crash.name} crashed (${crash.signal ?? `exit code ${crash.code}`}) and was restarted; its last lines:\n` +
          crash.lastLines
            .split("\n")
            .slice(-4)
            .map((line) => `        ${line.slice(0, 400)}`)
            .join("\n"),
      ),
      ...down.map((name) => `unexpected: ${name} was not running (restarted)`),
      ...(options.details ?? []),
      `settled ${waited.settled ? "" : "NOT "}after ${waited.seconds.toFixed(0)} s${waited.pending ? ` (${waited.pending})` : ""}`,
    ],
  };
}

/** How the webhooks of a paced run were answered. */
export function describeAnswers(result: PacedRunResult): string {
  return (
    `answers: ${formatCount(result.acknowledged)} 2xx, ${formatCount(result.refused)} other statuses, ` +
    `${formatCount(result.errors)} without an answer${result.firstProblem ? `; first problem: ${result.firstProblem}` : ""}` +
    (result.resent > 0
      ? `; ${formatCount(result.resent)} sent again after ingress closed an idle kept-alive connection as it was reused`
      : "")
  );
}

export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}
