/** Counters for GET /metrics, in the Prometheus text format; small enough not to need a client library. */
export class IngressMetrics {
  private readonly requests = new Map<string, number>();
  private readonly published = new Map<string, number>();

  countRequest(route: string, status: number): void {
    const key = `route="${route}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  countPublished(routingKey: string): void {
    const key = `routing_key="${routingKey}"`;
    this.published.set(key, (this.published.get(key) ?? 0) + 1);
  }

  render(brokerConnected: boolean): string {
    const lines = [
      "# HELP ingress_http_requests_total HTTP requests answered, by route and status.",
      "# TYPE ingress_http_requests_total counter",
      ...[...this.requests].map(([labels, value]) => `ingress_http_requests_total{${labels}} ${value}`),
      "# HELP ingress_messages_published_total Webhooks published and confirmed by RabbitMQ, by routing key.",
      "# TYPE ingress_messages_published_total counter",
      ...[...this.published].map(([labels, value]) => `ingress_messages_published_total{${labels}} ${value}`),
      "# HELP ingress_broker_connected Whether the RabbitMQ publish channel is open.",
      "# TYPE ingress_broker_connected gauge",
      `ingress_broker_connected ${brokerConnected ? 1 : 0}`,
    ];
    return `${lines.join("\n")}\n`;
  }
}
