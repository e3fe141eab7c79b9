import { Counter, Gauge, type Registry } from "@sms-todo/shared/metrics";

/** Routes that are Twilio webhooks; their answers are also counted as webhook outcomes. */
const WEBHOOK_ROUTES = new Set(["sms", "status"]);

/** What the status Twilio got means for the webhook; the router maps every error to one of these. */
const WEBHOOK_OUTCOME_OF_STATUS: Record<number, string> = {
  200: "accepted",
  400: "malformed",
  403: "forbidden",
  413: "too_large",
  415: "unsupported_media_type",
  503: "unavailable",
};

/** The webhook outcome of an answered webhook: accepted means RabbitMQ confirmed the publish or the spool committed it before the 200. */
export function webhookOutcomeOf(status: number): string {
  return WEBHOOK_OUTCOME_OF_STATUS[status] ?? "error";
}

/** Ingress's metrics on the app's registry, served by GET /metrics in the Prometheus text format. */
export class IngressMetrics {
  private readonly requests: Counter<"route" | "status">;
  private readonly published: Counter<"routing_key">;
  private readonly webhooks: Counter<"webhook" | "outcome">;
  private readonly spooled: Counter<"routing_key">;
  private readonly relayed: Counter;
  private readonly relayFailures: Counter;
  private readonly spoolRows: Gauge;
  private readonly rateLimited: Counter<"reply">;
  private readonly rateLimitUnavailable: Counter;

  constructor(
    private readonly registry: Registry,
    brokerConnected: () => boolean,
    spoolReachable: () => boolean,
  ) {
    this.requests = new Counter({
      name: "ingress_http_requests_total",
      help: "HTTP requests answered, by route and status.",
      labelNames: ["route", "status"],
      registers: [registry],
    });
    this.published = new Counter({
      name: "ingress_messages_published_total",
      help: "Webhooks published and confirmed by RabbitMQ, by routing key.",
      labelNames: ["routing_key"],
      registers: [registry],
    });
    this.webhooks = new Counter({
      name: "sms_todo_webhooks_total",
      help: "Twilio webhooks answered, by webhook (sms, status) and outcome (accepted, forbidden, malformed, too_large, unsupported_media_type, unavailable, error).",
      labelNames: ["webhook", "outcome"],
      registers: [registry],
    });
    new Gauge({
      name: "ingress_broker_connected",
      help: "Whether the RabbitMQ publish channel is open.",
      registers: [registry],
      collect() {
        this.set(brokerConnected() ? 1 : 0);
      },
    });
    this.spooled = new Counter({
      name: "ingress_webhooks_spooled_total",
      help: "Webhooks committed to the spool because RabbitMQ was down, did not confirm in time, or older webhooks were still spooled; by routing key.",
      labelNames: ["routing_key"],
      registers: [registry],
    });
    this.relayed = new Counter({
      name: "ingress_spool_relayed_total",
      help: "Spooled webhooks the relay published to RabbitMQ (confirmed) and removed from the spool.",
      registers: [registry],
    });
    this.relayFailures = new Counter({
      name: "ingress_spool_relay_failures_total",
      help: "Relay passes that could not reach or migrate the spool database.",
      registers: [registry],
    });
    this.spoolRows = new Gauge({
      name: "ingress_spool_rows",
      help: "Spooled webhooks of this stack (its inbound exchange), of every replica, as the relay last counted them.",
      registers: [registry],
    });
    new Gauge({
      name: "ingress_spool_reachable",
      help: "Whether the last operation on the spool database succeeded.",
      registers: [registry],
      collect() {
        this.set(spoolReachable() ? 1 : 0);
      },
    });
    this.rateLimited = new Counter({
      name: "ingress_rate_limited_total",
      help: "Inbound messages over the per-number rate limit, answered and not published; reply says whether the slow-down TwiML was sent.",
      labelNames: ["reply"],
      registers: [registry],
    });
    this.rateLimitUnavailable = new Counter({
      name: "ingress_rate_limit_unavailable_total",
      help: "Inbound messages published without a rate-limit check because Redis did not answer (fail open).",
      registers: [registry],
    });
    for (const reply of ["slow_down", "none"]) this.rateLimited.inc({ reply }, 0);
    // The outcomes that matter most exist from the start, so alerts on their rate see the first one.
    for (const webhook of WEBHOOK_ROUTES)
      for (const outcome of ["accepted", "forbidden", "unavailable"]) this.webhooks.inc({ webhook, outcome }, 0);
  }

  countRequest(route: string, status: number): void {
    this.requests.inc({ route, status });
    if (WEBHOOK_ROUTES.has(route)) this.webhooks.inc({ webhook: route, outcome: webhookOutcomeOf(status) });
  }

  countPublished(routingKey: string): void {
    this.published.inc({ routing_key: routingKey });
  }

  /** Also counts the row at once; the relay's next count corrects the gauge for what other replicas did. */
  countSpooled(routingKey: string): void {
    this.spooled.inc({ routing_key: routingKey });
    this.spoolRows.inc();
  }

  countRelayed(count: number): void {
    if (count > 0) this.relayed.inc(count);
  }

  countRelayFailure(): void {
    this.relayFailures.inc();
  }

  setSpoolRows(rows: number): void {
    this.spoolRows.set(rows);
  }

  countRateLimited(sentSlowDown: boolean): void {
    this.rateLimited.inc({ reply: sentSlowDown ? "slow_down" : "none" });
  }

  countRateLimitUnavailable(): void {
    this.rateLimitUnavailable.inc();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
