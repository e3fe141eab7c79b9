import http from "node:http";
import { gunzipSync } from "node:zlib";
import { StandInServer } from "./stand-in.server.js";

/** Span kinds and the error status code as OTLP numbers them. */
export const OTLP_KIND = { server: 2, client: 3, producer: 4, consumer: 5 } as const;
export const OTLP_STATUS_ERROR = 2;

type OtlpAttribute = { key: string; value: Record<string, unknown> };

/** A span as OTLP/JSON spells it; the ids are hex strings. */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpAttribute[];
  status?: { code?: number; message?: string };
  events?: Array<{ name: string; attributes?: OtlpAttribute[] }>;
}

/** A received span with its service's name and its attributes as a plain object; a root span's parentSpanId is "". */
export interface ExportedSpan extends Omit<OtlpSpan, "attributes" | "events" | "parentSpanId"> {
  service: string;
  parentSpanId: string;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
}

const attributesOf = (list: OtlpAttribute[] = []) =>
  Object.fromEntries(list.map(({ key, value }) => [key, Object.values(value)[0]]));

/** An OTLP/HTTP collector stand-in: keeps every span posted to /v1/traces (JSON, as the services' exporter sends it). */
export class OtlpCollectorStandIn {
  readonly spans: ExportedSpan[] = [];
  private readonly server = new StandInServer(http.createServer((request, response) => this.receive(request, response)));
  private origin = "";

  async start(): Promise<void> {
    this.origin = await this.server.listen();
  }

  async stop(): Promise<void> {
    await this.server.close();
  }

  /** OTEL_EXPORTER_OTLP_ENDPOINT: the exporter appends /v1/traces. */
  get endpoint(): string {
    return this.origin;
  }

  get tracesUrl(): string {
    return `${this.origin}/v1/traces`;
  }

  private receive(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks);
      const body = request.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
      const payload = JSON.parse(body.toString("utf8")) as {
        resourceSpans: Array<{ resource: { attributes: OtlpAttribute[] }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
      };
      for (const resourceSpans of payload.resourceSpans) {
        const service = String(attributesOf(resourceSpans.resource.attributes)["service.name"]);
        for (const scope of resourceSpans.scopeSpans)
          for (const span of scope.spans)
            this.spans.push({
              ...span,
              service,
              parentSpanId: span.parentSpanId ?? "",
              attributes: attributesOf(span.attributes),
              events: (span.events ?? []).map((event) => ({ name: event.name, attributes: attributesOf(event.attributes) })),
            });
      }
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  }
}
