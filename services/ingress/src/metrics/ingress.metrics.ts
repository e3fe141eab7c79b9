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

/** The webhook outcome of an answered webhook: accepted means RabbitMQ confirmed the publish before the 200. */
export function webhookOutcomeOf(status: number): string {
  return WEBHOOK_OUTCOME_OF_STATUS[status] ?? "error";
}

/** Ingress's metrics on the app's registry, served by GET /metrics in the Prometheus text format. */
export class IngressMetrics {
  private readonly requests: Counter<"route" | "status">;
  private readonly published: Counter<"routing_key">;
  private readonly webhooks: Counter<"webhook" | "outcome">;

  constructor(
    private readonly registry: Registry,
    brokerConnected: () => boolean,
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

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
