import { describe, expect, it } from "vitest";
import { captureLogs } from "@sms-todo/testkit";
import { runWithCorrelation } from "../src/logging/correlation-context.js";
import { otlpTracesUrlOf, traceSdkSettingsOf } from "../src/tracing/otlp-tracing.js";
import { inSpan, injectTraceContext, isTracingEnabled, startSpan, traceCarrierOf } from "../src/tracing/spans.js";

// With the SDK registered: correlation-tracing.int.test.ts in-process, tools/e2e/test/correlation.e2e.test.ts across the five services.
describe("tracing configuration and the path without an endpoint", () => {
  it("when only OTEL_EXPORTER_OTLP_ENDPOINT is set, then traces go to its /v1/traces", () => {
    expect(otlpTracesUrlOf({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://jaeger:4318" })).toBe("http://jaeger:4318/v1/traces");
    expect(otlpTracesUrlOf({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/otlp/" })).toBe(
      "http://collector:4318/otlp/v1/traces",
    );
  });

  it("when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set, then it is used as it is", () => {
    expect(
      otlpTracesUrlOf({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://jaeger:4318",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://traces.example.com/ingest",
      }),
    ).toBe("https://traces.example.com/ingest");
  });

  it("when no endpoint is set (or an empty one), then tracing stays off", () => {
    expect(otlpTracesUrlOf({})).toBeUndefined();
    expect(otlpTracesUrlOf({ OTEL_EXPORTER_OTLP_ENDPOINT: " " })).toBeUndefined();
  });

  it("when no sampler or batching is set, then every trace is kept (parent-based) with the SDK's batching", () => {
    expect(traceSdkSettingsOf({})).toEqual({ sampler: "parentbased_always_on", ratio: 1, batch: {}, problems: [] });
  });

  it("when OTEL_TRACES_SAMPLER, its argument and OTEL_BSP_* are set, then they are taken", () => {
    expect(
      traceSdkSettingsOf({
        OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
        OTEL_TRACES_SAMPLER_ARG: "0.1",
        OTEL_BSP_SCHEDULE_DELAY: "1000",
        OTEL_BSP_MAX_QUEUE_SIZE: " 512 ",
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "128",
        OTEL_BSP_EXPORT_TIMEOUT: "10000",
      }),
    ).toEqual({
      sampler: "parentbased_traceidratio",
      ratio: 0.1,
      batch: { scheduledDelayMillis: 1000, maxQueueSize: 512, maxExportBatchSize: 128, exportTimeoutMillis: 10_000 },
      problems: [],
    });
    expect(traceSdkSettingsOf({ OTEL_TRACES_SAMPLER: "always_off", OTEL_TRACES_SAMPLER_ARG: "0.5" })).toEqual(
      expect.objectContaining({ sampler: "always_off", ratio: 1, problems: [] }),
    );
  });

  it("when a value is not understood, then the default is used and the problem reported", () => {
    const unknown = traceSdkSettingsOf({ OTEL_TRACES_SAMPLER: "jaeger_remote", OTEL_BSP_SCHEDULE_DELAY: "soon" });
    expect(unknown).toEqual(expect.objectContaining({ sampler: "parentbased_always_on", batch: {} }));
    expect(unknown.problems).toEqual([
      expect.stringContaining("jaeger_remote"),
      expect.stringContaining("OTEL_BSP_SCHEDULE_DELAY"),
    ]);
    for (const arg of [undefined, "", "2", "-0.1", "half"]) {
      const settings = traceSdkSettingsOf({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: arg });
      expect(settings).toEqual(expect.objectContaining({ sampler: "traceidratio", ratio: 1 }));
      expect(settings.problems).toEqual([expect.stringContaining("OTEL_TRACES_SAMPLER_ARG")]);
    }
  });

  it("when tracing is off, then spans only run their work, carriers stay empty and lines carry no trace id", async () => {
    const { logger, lines } = captureLogs("tracing-off");
    expect(isTracingEnabled()).toBe(false);
    const carrier: Record<string, string> = {};
    const result = await runWithCorrelation("SM0123", () =>
      inSpan("POST /webhooks/twilio/sms", { kind: "server" }, async () => {
        injectTraceContext(carrier);
        logger.info("inside a span");
        return 42;
      }),
    );
    await expect(inSpan("failing", { kind: "internal" }, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");

    expect(result).toBe(42);
    expect(carrier).toEqual({});
    expect(startSpan("call", { kind: "client" })).toBeUndefined();
    expect(traceCarrierOf(() => "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")).toBeUndefined();
    expect(JSON.parse(lines[0] ?? "{}")).toEqual(expect.objectContaining({ correlationId: "SM0123" }));
    expect(lines[0]).not.toContain("traceId");
  });
});
