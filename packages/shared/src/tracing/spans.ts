import type * as OtelApi from "@opentelemetry/api";
import { currentCorrelationId, runWithoutCorrelation } from "../logging/correlation-context.js";
import { maskText } from "../logging/masking.js";

/**
 * Spans for the project's entry and exit points. Until startTracing installed the
 * OpenTelemetry API (only when an OTLP endpoint is configured) every function here costs
 * a single check, and @opentelemetry/api is not even loaded.
 */

type Api = typeof OtelApi;

export type SpanKindName = "server" | "client" | "producer" | "consumer" | "internal";
export type SpanAttributes = Record<string, string | number | boolean | undefined>;

/** Where W3C trace context travels: AMQP headers, gRPC metadata, both flattened to strings. */
export type TraceCarrier = Record<string, string>;

export interface SpanSettings {
  kind: SpanKindName;
  attributes?: SpanAttributes;
  /** The trace context the incoming message or call carried; the span continues that trace. */
  parent?: TraceCarrier;
}

/** The attribute that finds every span of one message, also across the outbox (which starts a new trace). */
export const CORRELATION_ATTRIBUTE = "sms_todo.correlation_id";
/** The header and metadata keys of W3C trace context. */
export const TRACE_CONTEXT_KEYS = ["traceparent", "tracestate"] as const;

interface Installed {
  api: Api;
  tracer: OtelApi.Tracer;
}

let installed: Installed | undefined;

/** Called by startTracing once the SDK is registered, and with undefined when it shuts down. */
export function installTracingApi(api: Api | undefined): void {
  installed = api && { api, tracer: api.trace.getTracer("@sms-todo/shared") };
}

export function isTracingEnabled(): boolean {
  return installed !== undefined;
}

/** Runs fn as the active span: its calls and publishes become children, a throw marks it failed. */
export async function inSpan<T>(name: string, settings: SpanSettings, fn: () => Promise<T>): Promise<T> {
  if (!installed) return fn();
  const { api, tracer } = installed;
  const parent = settings.parent ? api.propagation.extract(api.ROOT_CONTEXT, settings.parent) : api.context.active();
  const span = tracer.startSpan(name, spanOptions(api, settings), parent);
  try {
    return await api.context.with(api.trace.setSpan(parent, span), fn);
  } catch (error) {
    markFailed(span, api, error);
    throw error;
  } finally {
    span.end();
  }
}

/** A span ended by the caller, for work that finishes in a callback (a gRPC client call). */
export interface ManualSpan {
  /** Writes this span's trace context into the outgoing carrier. */
  inject(carrier: TraceCarrier): void;
  setAttribute(key: string, value: string | number | boolean): void;
  end(error?: unknown): void;
}

export function startSpan(name: string, settings: SpanSettings): ManualSpan | undefined {
  if (!installed) return undefined;
  const { api, tracer } = installed;
  const parent = api.context.active();
  const span = tracer.startSpan(name, spanOptions(api, settings), parent);
  return {
    inject: (carrier) => api.propagation.inject(api.trace.setSpan(parent, span), carrier),
    setAttribute: (key, value) => span.setAttribute(key, value),
    end(error) {
      if (error !== undefined) markFailed(span, api, error);
      span.end();
    },
  };
}

/** Writes the active span's trace context into an outgoing carrier; nothing without tracing. */
export function injectTraceContext(carrier: TraceCarrier): void {
  if (installed) installed.api.propagation.inject(installed.api.context.active(), carrier);
}

/** Picks the trace context out of AMQP headers or gRPC metadata values. */
export function traceCarrierOf(read: (key: string) => unknown): TraceCarrier | undefined {
  if (!installed) return undefined;
  const carrier: TraceCarrier = {};
  for (const key of TRACE_CONTEXT_KEYS) {
    const value = read(key);
    if (typeof value === "string") carrier[key] = value;
    else if (Buffer.isBuffer(value)) carrier[key] = value.toString("latin1");
  }
  return carrier;
}

/** Tags the active span with the message's id once it is known (a webhook knows it after the signature check). */
export function annotateActiveSpan(attributes: SpanAttributes): void {
  if (!installed) return;
  const span = installed.api.trace.getActiveSpan();
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) span?.setAttribute(key, value);
}

/** The ids of the active recording span, written on log lines so a line leads to its trace. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  if (!installed) return undefined;
  const span = installed.api.trace.getActiveSpan();
  if (!span?.isRecording()) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

/**
 * Runs fn outside any message: no correlation id and no parent span. For background work
 * that one message's call merely woke (an outbox drain publishes the events of many messages).
 */
export function runDetached<T>(fn: () => T): T {
  return runWithoutCorrelation(() => (installed ? installed.api.context.with(installed.api.ROOT_CONTEXT, fn) : fn()));
}

function spanOptions(api: Api, settings: SpanSettings): OtelApi.SpanOptions {
  const attributes: OtelApi.Attributes = {};
  for (const [key, value] of Object.entries(settings.attributes ?? {})) if (value !== undefined) attributes[key] = value;
  const correlationId = currentCorrelationId();
  if (correlationId) attributes[CORRELATION_ATTRIBUTE] = correlationId;
  return { kind: KINDS[settings.kind](api), attributes };
}

const KINDS: Record<SpanKindName, (api: Api) => OtelApi.SpanKind> = {
  server: (api) => api.SpanKind.SERVER,
  client: (api) => api.SpanKind.CLIENT,
  producer: (api) => api.SpanKind.PRODUCER,
  consumer: (api) => api.SpanKind.CONSUMER,
  internal: (api) => api.SpanKind.INTERNAL,
};

/** Error texts leave the process masked, as they would in a log line. */
function markFailed(span: OtelApi.Span, api: Api, error: unknown): void {
  const message = maskText(error instanceof Error ? error.message : String(error));
  span.recordException({
    name: error instanceof Error ? error.name : "Error",
    message,
    stack: error instanceof Error && error.stack ? maskText(error.stack) : undefined,
  });
  span.setStatus({ code: api.SpanStatusCode.ERROR, message });
}
