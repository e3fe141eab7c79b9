import type { Logger } from "pino";
import { withTimeout } from "../time/timeout.js";
import { installTracingApi, runDetached } from "./spans.js";

/** How long stopping waits for the last batch of spans. */
const SHUTDOWN_FLUSH_MS = 2_000;

export interface TracingSettings {
  /** service.name of every span: OTEL_SERVICE_NAME, else the service's own name. */
  serviceName: string;
  /** Where spans are posted (OTLP over HTTP, JSON), e.g. http://jaeger:4318/v1/traces. */
  tracesUrl: string;
  logger: Logger;
}

export interface Tracing {
  /** Sends the spans still buffered and unregisters the SDK. */
  shutdown(): Promise<void>;
}

/**
 * The OTLP traces URL the standard variables name, or undefined when tracing is off:
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, else OTEL_EXPORTER_OTLP_ENDPOINT plus /v1/traces.
 */
export function otlpTracesUrlOf(env: NodeJS.ProcessEnv): string | undefined {
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (tracesEndpoint) return tracesEndpoint;
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return endpoint ? `${endpoint.replace(/\/+$/, "")}/v1/traces` : undefined;
}

/**
 * Registers the OpenTelemetry SDK with a batching OTLP/HTTP exporter. The SDK is loaded
 * here with dynamic imports, so a service without an endpoint never loads it and pays no
 * memory for it. Spans are made by hand at the entry and exit points (spans.ts): no
 * auto-instrumentation, whose module patching costs start time and memory on a Pi.
 */
export async function startTracing(settings: TracingSettings): Promise<Tracing> {
  const [
    api,
    { NodeTracerProvider, BatchSpanProcessor },
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { ATTR_SERVICE_NAME },
  ] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/sdk-trace-node"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/semantic-conventions"),
  ]);
  const log = settings.logger.child({ component: "tracing" });
  // The SDK reports failed exports through its diagnostics logger, silent unless one is set. The export
  // runs on a timer some message's span started, so the line is detached from that message.
  const report = (message: string, ...args: unknown[]) =>
    runDetached(() => log.warn({ detail: args.map(String).join(" ") || undefined }, `OpenTelemetry: ${message}`));
  api.diag.setLogger(
    { error: report, warn: () => undefined, info: () => undefined, debug: () => undefined, verbose: () => undefined },
    api.DiagLogLevel.ERROR,
  );
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.tracesUrl }))],
  });
  // Registers the AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register();
  installTracingApi(api);
  log.info({ tracesUrl: settings.tracesUrl, serviceName: settings.serviceName }, "exporting traces over OTLP");

  let shutDown = false;
  return {
    async shutdown() {
      if (shutDown) return;
      shutDown = true;
      installTracingApi(undefined);
      // An unreachable collector is retried for seconds; the spans are not worth a missed shutdown deadline.
      try {
        await withTimeout(provider.shutdown(), SHUTDOWN_FLUSH_MS, () => {
          throw new Error(`the collector did not answer within ${SHUTDOWN_FLUSH_MS} ms`);
        });
      } catch (error) {
        log.warn({ err: error }, "could not send the last spans");
      }
      api.trace.disable();
      api.propagation.disable();
      api.context.disable();
      api.diag.disable();
    },
  };
}
