import type * as SdkTrace from "@opentelemetry/sdk-trace";
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
  /** Where the OTEL_TRACES_SAMPLER and OTEL_BSP_* variables are read; process.env when not given. */
  env?: NodeJS.ProcessEnv;
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

const SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;
export type SamplerName = (typeof SAMPLERS)[number];
const DEFAULT_SAMPLER: SamplerName = "parentbased_always_on";

const BATCH_VARIABLES = {
  maxExportBatchSize: "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
  maxQueueSize: "OTEL_BSP_MAX_QUEUE_SIZE",
  scheduledDelayMillis: "OTEL_BSP_SCHEDULE_DELAY",
  exportTimeoutMillis: "OTEL_BSP_EXPORT_TIMEOUT",
} as const;

export interface TraceSdkSettings {
  sampler: SamplerName;
  /** The share of new traces the traceidratio samplers keep, 0 to 1. */
  ratio: number;
  /** The batch span processor's settings that are set; the SDK's defaults for the rest. */
  batch: { -readonly [K in keyof typeof BATCH_VARIABLES]?: number };
  /** Values that were not understood and fell back to the default. */
  problems: string[];
}

/**
 * The sampler and batching that OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG and OTEL_BSP_* name, with the
 * defaults and fallbacks of the specification. The 2.x trace SDK read these itself; from 3.0 only
 * @opentelemetry/sdk-node does, which would load every exporter and instrumentation, so they are read here.
 */
export function traceSdkSettingsOf(env: NodeJS.ProcessEnv): TraceSdkSettings {
  const problems: string[] = [];
  const named = env.OTEL_TRACES_SAMPLER?.trim() || DEFAULT_SAMPLER;
  const sampler = SAMPLERS.find((name) => name === named) ?? DEFAULT_SAMPLER;
  if (sampler !== named) problems.push(`OTEL_TRACES_SAMPLER "${named}" is unknown; using ${DEFAULT_SAMPLER}`);
  let ratio = 1;
  if (sampler.endsWith("traceidratio")) {
    const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
    if (!arg) problems.push("OTEL_TRACES_SAMPLER_ARG is not set; keeping every trace");
    else if (!(Number(arg) >= 0 && Number(arg) <= 1)) {
      problems.push(`OTEL_TRACES_SAMPLER_ARG "${arg}" is not a number from 0 to 1; keeping every trace`);
    } else ratio = Number(arg);
  }
  const batch: TraceSdkSettings["batch"] = {};
  for (const [setting, variable] of Object.entries(BATCH_VARIABLES) as [keyof typeof BATCH_VARIABLES, string][]) {
    const value = numberOf(env, variable, problems);
    if (value !== undefined) batch[setting] = value;
  }
  return { sampler, ratio, batch, problems };
}

function numberOf(env: NodeJS.ProcessEnv, variable: string, problems: string[]): number | undefined {
  const raw = env[variable]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (Number.isNaN(value)) {
    problems.push(`${variable} "${raw}" is not a number; ignored`);
    return undefined;
  }
  return value;
}

function samplerOf(sdk: typeof SdkTrace, name: SamplerName, ratio: number): SdkTrace.Sampler {
  switch (name) {
    case "always_on":
      return new sdk.AlwaysOnSampler();
    case "always_off":
      return new sdk.AlwaysOffSampler();
    case "traceidratio":
      return new sdk.TraceIdRatioBasedSampler(ratio);
    case "parentbased_always_on":
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() });
    case "parentbased_always_off":
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(ratio) });
  }
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
    sdk,
    { AsyncLocalStorageContextManager },
    { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator },
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { ATTR_SERVICE_NAME },
  ] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/sdk-trace"),
    import("@opentelemetry/context-async-hooks"),
    import("@opentelemetry/core"),
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
  const { sampler, ratio, batch, problems } = traceSdkSettingsOf(settings.env ?? process.env);
  for (const problem of problems) log.warn(`OpenTelemetry: ${problem}`);
  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }),
    sampler: samplerOf(sdk, sampler, ratio),
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: settings.tracesUrl }), ...batch })],
  });
  // What the 2.x NodeTracerProvider's register() did: the provider, the AsyncLocalStorage context manager and the
  // W3C trace-context and baggage propagators become the API's globals.
  api.trace.setGlobalTracerProvider(provider);
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
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
