import { EventEmitter } from "node:events";
import type { ClientUnaryCall } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messaging, todo } from "@sms-todo/contracts";
import { AmqpBroker, createLogger, type App, type Logger, type Topology } from "@sms-todo/shared";
import { createMetricsRegistry, createMetricsServer, type MetricsServer } from "@sms-todo/shared/metrics";
import {
  createTestTopology,
  fakeMessageSid,
  fakeTodoClient,
  logLineDestination,
  generatedAmrNb,
  TEST_TWILIO,
  testInfrastructure,
  TwilioStandIn,
  WhisperStandIn,
  type TestTopology,
  sampleOf,
} from "@sms-todo/testkit";
import { loadTranscribeConfig } from "../src/transcribe.config.js";
import { composeTranscribe } from "../src/transcribe.composition.js";
import type { VoiceNoteTodoClient } from "../src/voice-notes/transcribe-voice-note.use-case.js";

/** A project logger whose lines a test can wait for by message. */
function watchedLogger(): { logger: Logger; waitFor: (msg: string) => Promise<void> } {
  const seen = new Set<string>();
  const events = new EventEmitter();
  const destination = logLineDestination("transcribe-metrics", (text) => {
    const { msg } = JSON.parse(text) as { msg?: string };
    if (msg === undefined) return;
    seen.add(msg);
    events.emit(msg);
  });
  return {
    logger: createLogger({ name: "transcribe-metrics", level: "info", destination }),
    waitFor: (msg) => (seen.has(msg) ? Promise.resolve() : new Promise((resolve) => events.once(msg, () => resolve()))),
  };
}

describe("transcribe metrics", () => {
  const twilio = new TwilioStandIn({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });
  const whisper = new WhisperStandIn();
  const { logger, waitFor } = watchedLogger();
  const recorded: todo.RecordVoiceNoteRequest[] = [];
  let testTopology: TestTopology;
  let topology: Topology;
  let transcribe: App;
  let metricsServer: MetricsServer;
  let publisher: AmqpBroker;

  const scrape = async () => (await fetch(`http://127.0.0.1:${metricsServer.port()}/metrics`)).text();

  beforeAll(async () => {
    await twilio.start();
    await whisper.start();
    // One retry: the outage test's voice note is dead-lettered after a tenth of a second of back-off.
    testTopology = createTestTopology("transcribe-metrics", { deliveryLimit: 1, retryDelaysMs: [100] });
    topology = testTopology.topology;
    const todoClient: VoiceNoteTodoClient & { close(): void } = {
      ...fakeTodoClient(),
      recordVoiceNote: (request, _metadata, _options, callback) => {
        recorded.push(request);
        callback(null, todo.RecordVoiceNoteResponse.fromPartial({ result: { duplicate: false } }));
        return {} as ClientUnaryCall;
      },
      close: () => undefined,
    };
    const config = loadTranscribeConfig({
      METRICS_PORT: "0",
      TWILIO_API_BASE_URL: twilio.baseUrl,
      TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
      TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
      WHISPER_URL: whisper.whisperUrl,
    });
    const metricsRegistry = createMetricsRegistry();
    metricsServer = createMetricsServer({ registry: metricsRegistry, port: config.METRICS_PORT, host: "127.0.0.1", logger });
    transcribe = composeTranscribe(config, {
      logger,
      broker: new AmqpBroker({ url: testInfrastructure.amqpUrl, topology, logger }),
      todoClient,
      // The breaker opens at the first failure, so the outage test needs one.
      whisper: { volumeThreshold: 1, errorThresholdPercentage: 1, resetTimeoutMs: 60_000 },
      metricsRegistry,
      metricsServer,
    });
    await transcribe.start();
    publisher = new AmqpBroker({ url: testInfrastructure.amqpUrl, topology, logger });
    await publisher.start();
  });

  afterAll(async () => {
    await publisher?.close();
    await transcribe?.stop();
    await whisper.stop();
    await twilio.stop();
    await testTopology?.remove();
  });

  async function publishVoiceNote(): Promise<string> {
    const messageSid = fakeMessageSid();
    const url = twilio.addMedia(messageSid, "audio/amr", generatedAmrNb(2));
    const payload = messaging.InboundMessage.encode(
      messaging.InboundMessage.fromPartial({
        messageSid,
        accountSid: TEST_TWILIO.accountSid,
        from: "+15557770001",
        to: TEST_TWILIO.from,
        media: [{ url, contentType: "audio/amr" }],
        channel: messaging.Channel.CHANNEL_MMS,
      }),
    ).finish();
    await publisher.publish(topology.exchanges.inbound, topology.routingKeys.audio, Buffer.from(payload), {
      messageId: messageSid,
    });
    return messageSid;
  }

  it("when a voice note is transcribed, then the transcription time, the audio heard and the delivery are counted", async () => {
    // Answered as programmed, without decoding the upload: the stand-in needs no ffmpeg for it.
    whisper.failNext({ kind: "status", status: 200, body: JSON.stringify({ text: "buy milk" }) });
    await publishVoiceNote();
    await waitFor("voice note handled");

    expect(recorded.map((request) => request.texts)).toEqual([["buy milk"]]);
    const text = await scrape();
    expect(sampleOf(text, "sms_todo_transcription_duration_seconds_count", { outcome: "transcript" })).toBe(1);
    expect(sampleOf(text, "sms_todo_transcription_duration_seconds_sum", { outcome: "transcript" })).toBeGreaterThan(0);
    expect(sampleOf(text, "sms_todo_transcribed_audio_seconds_total")).toBeCloseTo(2, 5);
    expect(sampleOf(text, "sms_todo_queue_deliveries_total", { queue: topology.queues.audio, outcome: "acked" })).toBe(1);
    expect(sampleOf(text, "sms_todo_queue_consumers", { queue: topology.queues.audio })).toBe(1);
    expect(sampleOf(text, "sms_todo_circuit_breaker_state", { breaker: "whisper" })).toBe(0);
  });

  it("when whisper fails, then the failure is timed, the delivery retried and the breaker reported open", async () => {
    whisper.failAll({ kind: "status", status: 503 });
    await publishVoiceNote();
    await waitFor("whisper breaker opened");
    await waitFor("delivery failed");

    const text = await scrape();
    expect(sampleOf(text, "sms_todo_circuit_breaker_state", { breaker: "whisper" })).toBe(2);
    expect(sampleOf(text, "sms_todo_transcription_duration_seconds_count", { outcome: "failed" })).toBe(1);
    expect(sampleOf(text, "sms_todo_queue_deliveries_total", { queue: topology.queues.audio, outcome: "retried" })).toBe(1);
  });
});
