import { setTimeout as delay } from "node:timers/promises";
import CircuitBreaker from "opossum";
import twilio from "twilio";
import { AppError, toAppError, type Logger } from "@sms-todo/shared";
import type { TwilioSettings } from "../notifier.config.js";
import { RetargetedRequestClient, type TwilioResponse } from "./retargeted-request.client.js";
import { SendDoubtCheck } from "./send-doubt.check.js";
import type { SendDoubts } from "./send-doubts.repository.js";
import { decideRetry, DEFAULT_RETRY_POLICY, type RetryDecision, type RetryPolicy } from "./send-retry.policy.js";
import type { SmsRateLimiter } from "./sms-rate.limiter.js";
import type { OutboundSms, SmsSendResult, SmsSender } from "./sms.sender.js";
import { classifyTwilioAnswer, classifyTwilioError, type TwilioFailure } from "./twilio-failure.classifier.js";

/** One request to Twilio; its create answers in well under a second when it is healthy. */
export const TWILIO_TIMEOUT_MS = 5_000;
/**
 * Everything one send may take: the rate-limit wait, the attempts, their back-off and the
 * reconciliation of an unanswered attempt. It ends well inside the reply claim (15 s), so no
 * other consumer can take the same reply over while this one still works on it.
 */
export const SEND_BUDGET_MS = 12_000;

export interface BreakerSettings {
  /** Attempts within the rolling window before the error rate may open the circuit. */
  volumeThreshold: number;
  errorThresholdPercentage: number;
  /** How long the circuit stays open before one attempt may test Twilio again. */
  resetTimeoutMs: number;
  rollingWindowMs: number;
}

/**
 * Five failed attempts out of the last half minute, at least half of them failures, open the
 * circuit; five seconds later one attempt tests Twilio again. The broker's back-off (31 s over
 * five retries) outlasts a few such rounds, so a short outage delays replies, not drops them.
 */
export const DEFAULT_BREAKER: BreakerSettings = {
  volumeThreshold: 5,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 5_000,
  rollingWindowMs: 30_000,
};

type Attempt = { kind: "created"; messageSid: string } | TwilioFailure;

// Failures that say something about Twilio's health; a refusal of one message does not.
const OUTAGE: ReadonlySet<TwilioFailure["kind"]> = new Set(["rate-limited", "server-error", "not-sent", "outcome-unknown"]);
const CIRCUIT_OPEN: TwilioFailure = { kind: "circuit-open" };

export interface TwilioSmsSenderOptions {
  settings: TwilioSettings;
  logger: Logger;
  /** How long one request may take before its outcome counts as unknown. */
  timeoutMs?: number;
  /** How long one send may take altogether; see SEND_BUDGET_MS. */
  budgetMs?: number;
  /** Paces sends across replicas; without it, sends are not paced. */
  rateLimiter?: SmsRateLimiter;
  /** Remembers sends in doubt across deliveries; without it, only within one send. */
  doubts?: SendDoubts;
  retryPolicy?: Partial<RetryPolicy>;
  breaker?: Partial<BreakerSettings>;
}

/**
 * Sends SMS through Twilio's Messages API at TWILIO_API_BASE_URL: paced by the shared rate
 * limit, guarded by a circuit breaker, retried a few times on 429, 5xx and network failures.
 * An attempt whose answer never came is not repeated blindly: Twilio's message list is asked
 * first whether it created the message after all.
 */
export class TwilioSmsSender implements SmsSender {
  private readonly client: twilio.Twilio;
  private readonly settings: TwilioSettings;
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly budgetMs: number;
  private readonly retryPolicy: RetryPolicy;
  private readonly breaker: CircuitBreaker<[OutboundSms, number], Attempt>;
  private readonly messagesUri: string;
  private readonly doubt: SendDoubtCheck;

  constructor(private readonly options: TwilioSmsSenderOptions) {
    this.settings = options.settings;
    this.log = options.logger.child({ component: "twilio-sms-sender" });
    this.timeoutMs = options.timeoutMs ?? TWILIO_TIMEOUT_MS;
    this.budgetMs = options.budgetMs ?? SEND_BUDGET_MS;
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retryPolicy };
    this.messagesUri = `https://api.twilio.com/2010-04-01/Accounts/${this.settings.accountSid}/Messages.json`;
    // Retries are this sender's (classified, reconciled, paced), never the HTTP client's.
    const httpClient = new RetargetedRequestClient(this.settings.apiBaseUrl, {
      timeout: this.timeoutMs,
      autoRetry: false,
      keepAlive: true,
    });
    // An explicit log level keeps TWILIO_LOG_LEVEL=debug from printing requests to stdout, past the masking logger.
    this.client = twilio(this.settings.accountSid, this.settings.authToken, { httpClient, autoRetry: false, logLevel: "info" });
    this.breaker = this.createBreaker({ ...DEFAULT_BREAKER, ...options.breaker });
    this.doubt = new SendDoubtCheck({
      client: this.client,
      messagesUri: this.messagesUri,
      timeoutMs: this.timeoutMs,
      log: this.log,
      doubts: options.doubts,
    });
  }

  /**
   * With a key and a doubts store, the doubt is written before the first request leaves, cleared
   * when nothing went out and kept a few minutes when the SMS did: a sender that dies mid-request
   * or before its caller recorded the send (a crash, a SIGKILL) leaves it behind, so whoever sends
   * this SMS next asks Twilio first instead of sending it twice.
   */
  async send(sms: OutboundSms): Promise<SmsSendResult> {
    const deadline = Date.now() + this.budgetMs;
    // Set by an earlier try of this SMS that never learnt its outcome, on any replica.
    let doubtSince = await this.doubt.since(sms);
    let unanswered = doubtSince !== undefined;
    for (let attempt = 1; ; attempt += 1) {
      if (unanswered && doubtSince !== undefined) {
        const messageSid = await this.doubt.findCreated(sms, doubtSince, deadline);
        if (messageSid !== undefined) {
          await this.doubt.settle(sms);
          this.log.info(
            { to: sms.to, kind: sms.kind, messageSid },
            "Twilio created the unanswered SMS after all; not sending it again",
          );
          return { messageSid };
        }
      }
      const startedAt = Date.now();
      if (doubtSince === undefined) {
        doubtSince = startedAt;
        await this.doubt.record(sms, startedAt);
      }
      const result = this.breaker.opened ? CIRCUIT_OPEN : await this.pacedAttempt(sms, deadline);
      if (result.kind === "created") {
        await this.doubt.settle(sms);
        return { messageSid: result.messageSid };
      }
      if (result.kind === "outcome-unknown") unanswered = true;
      const decision = decideRetry(
        { failure: result, attempt, remainingMs: deadline - Date.now(), random: Math.random() },
        this.retryPolicy,
      );
      this.logFailure(sms, result, attempt, decision);
      if (!decision.retry) {
        // Every attempt answered "not created", or Twilio refuses this SMS for good: nothing to ask about later.
        if (!unanswered || result.kind === "rejected" || result.kind === "unsubscribed") await this.doubt.clear(sms);
        throw errorOf(result);
      }
      await delay(decision.delayMs);
    }
  }

  close(): void {
    this.breaker.shutdown();
  }

  /** The circuit breaker around Twilio's Messages API, as metrics read it. */
  get circuit(): { readonly opened: boolean; readonly halfOpen: boolean } {
    return this.breaker;
  }

  private createBreaker(settings: BreakerSettings): CircuitBreaker<[OutboundSms, number], Attempt> {
    // Fulfilled for every answer that does not speak of an outage (a refusal included), so
    // only outages count against Twilio; the failure itself rides along as the cause.
    const action = async (sms: OutboundSms, timeoutMs: number): Promise<Attempt> => {
      let result: Attempt;
      try {
        result = await this.create(sms, timeoutMs);
      } catch (error) {
        result = classifyTwilioError(error);
      }
      if (result.kind !== "created" && OUTAGE.has(result.kind))
        throw new AppError("UNAVAILABLE", "Twilio outage", { cause: result });
      return result;
    };
    const breaker = new CircuitBreaker(action, {
      name: "twilio-messages",
      timeout: false, // each request has its own timeout, and a timed-out request's outcome needs reconciling
      volumeThreshold: settings.volumeThreshold,
      errorThresholdPercentage: settings.errorThresholdPercentage,
      resetTimeout: settings.resetTimeoutMs,
      rollingCountTimeout: settings.rollingWindowMs,
      rollingCountBuckets: 10,
    });
    breaker.on("open", () =>
      this.log.warn({ resetTimeoutMs: settings.resetTimeoutMs }, "Twilio circuit opened: sends fail fast and are retried later"),
    );
    breaker.on("halfOpen", () => this.log.info("Twilio circuit half-open: the next send tests Twilio"));
    breaker.on("close", () => this.log.info("Twilio circuit closed: sending again"));
    return breaker;
  }

  /** Waits for a rate slot, then makes one attempt through the breaker. */
  private async pacedAttempt(sms: OutboundSms, deadline: number): Promise<Attempt> {
    const { rateLimiter } = this.options;
    if (rateLimiter) {
      const maxWaitMs = deadline - Date.now() - this.retryPolicy.minAttemptMs;
      if (maxWaitMs < 0) throw new AppError("UNAVAILABLE", "no time left in this send for another attempt");
      try {
        await rateLimiter.acquire(maxWaitMs);
      } catch (error) {
        throw toAppError(error, "UNAVAILABLE");
      }
    }
    const timeoutMs = Math.max(1, Math.min(this.timeoutMs, deadline - Date.now()));
    try {
      return await this.breaker.fire(sms, timeoutMs);
    } catch (error) {
      return outageOf(error) ?? classifyTwilioError(error);
    }
  }

  private async create(sms: OutboundSms, timeoutMs: number): Promise<Attempt> {
    const { sender, statusCallbackUrl } = this.settings;
    const data: Record<string, string> = { To: sms.to, Body: sms.body, StatusCallback: statusCallbackUrl };
    if ("from" in sender) data.From = sender.from;
    else data.MessagingServiceSid = sender.messagingServiceSid;
    const response = (await this.client.request({
      method: "post",
      uri: this.messagesUri,
      data,
      timeout: timeoutMs,
    })) as TwilioResponse;
    if (response.statusCode >= 200 && response.statusCode < 300) {
      const sid = (response.body as { sid?: unknown } | null)?.sid;
      // Something answered 2xx without a message: whether Twilio created one is anybody's guess.
      return typeof sid === "string"
        ? { kind: "created", messageSid: sid }
        : { kind: "outcome-unknown", status: response.statusCode };
    }
    const retryAfter = response.headers["retry-after"];
    return classifyTwilioAnswer(
      response.statusCode,
      response.body,
      typeof retryAfter === "string" ? retryAfter : undefined,
      Date.now(),
    );
  }

  private logFailure(sms: OutboundSms, failure: TwilioFailure, attempt: number, decision: RetryDecision): void {
    const retryable = failure.kind !== "rejected" && failure.kind !== "unsubscribed";
    const next = decision.retry ? { retryInMs: decision.delayMs } : { givenUp: decision.reason };
    const fields = { to: sms.to, kind: sms.kind, attempt, failure: failure.kind, retryable, ...next };
    if (failure.kind === "circuit-open") {
      this.log.warn(fields, "Twilio circuit open, failing fast");
    } else if (failure.status !== undefined) {
      const { status, twilioCode, twilioMessage, moreInfo } = failure;
      this.log.warn({ ...fields, status, twilioCode, twilioMessage, moreInfo }, "Twilio refused the SMS");
    } else {
      this.log.warn({ ...fields, networkCode: failure.networkCode }, "Twilio unreachable");
    }
  }
}

function outageOf(error: unknown): TwilioFailure | undefined {
  if (!(error instanceof AppError)) return undefined;
  const cause = error.cause as Partial<TwilioFailure> | undefined;
  return cause && typeof cause.kind === "string" && OUTAGE.has(cause.kind) ? (cause as TwilioFailure) : undefined;
}

function errorOf(failure: TwilioFailure): AppError {
  const answer =
    failure.status === undefined
      ? undefined
      : `Twilio answered HTTP ${failure.status}${failure.twilioCode === undefined ? "" : ` (error ${failure.twilioCode})`}`;
  switch (failure.kind) {
    case "rejected":
      return new AppError("INVALID_ARGUMENT", answer ?? "Twilio refused the SMS", { cause: failure });
    case "unsubscribed":
      return new AppError("PERMISSION_DENIED", `${answer ?? "Twilio refused the SMS"}: the recipient unsubscribed`, {
        cause: failure,
      });
    case "circuit-open":
      return new AppError("UNAVAILABLE", "Twilio failed too often lately; sends fail fast until the circuit half-opens", {
        cause: failure,
      });
    case "rate-limited":
    case "server-error":
    case "not-sent":
    case "outcome-unknown":
      return new AppError("UNAVAILABLE", answer ?? `Twilio unreachable (${failure.networkCode ?? "no answer"})`, {
        cause: failure,
      });
  }
}
