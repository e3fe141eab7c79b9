import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError, createLogger } from "@sms-todo/shared";
import {
  AUDIO_FIXTURE_KINDS,
  createAudioFixtures,
  undecodableAudio,
  WhisperStandIn,
  type AudioFixtures,
} from "@sms-todo/testkit";
import { probeDurationSeconds } from "../src/media/audio-duration.probe.js";
import { audioContextFor, createWhisperTranscriber } from "../src/transcription/whisper.transcriber.js";

const logger = createLogger({ name: "whisper-test", level: "silent" });

describe("whisper transcriber against the whisper-server stand-in", () => {
  let fixtures: AudioFixtures;
  const whisper = new WhisperStandIn();

  beforeAll(async () => {
    fixtures = await createAudioFixtures();
    await whisper.start();
  });
  afterAll(async () => {
    await whisper.stop();
    await fixtures.dispose();
  });

  it.each(AUDIO_FIXTURE_KINDS)(
    "when a %s voice note is sent, then whisper decodes it and its transcript comes back",
    async (kind) => {
      const transcriber = createWhisperTranscriber({ baseUrl: whisper.whisperUrl, logger });
      const fixture = fixtures.get(kind);
      whisper.setTranscript(fixture.body, ` Buy milk and call mom (${kind}).`);
      const durationSeconds = probeDurationSeconds(fixture.body);
      const before = whisper.requests.length;

      const result = await transcriber.transcribe({ audio: fixture.body, contentType: fixture.contentType, durationSeconds });

      expect(result).toEqual({ kind: "transcript", text: ` Buy milk and call mom (${kind}).` });
      const request = whisper.requests[before]!;
      expect(request.decoded).toBe(true);
      expect(request.file).toMatchObject({ size: fixture.body.length, type: fixture.contentType });
      expect(request.durationSeconds).toBeGreaterThan(1);
    },
  );

  it("when the duration is known, then the multipart request carries audio_ctx sized to the clip and whisper's JSON fields", async () => {
    const transcriber = createWhisperTranscriber({ baseUrl: whisper.whisperUrl, logger });
    const fixture = fixtures.get("ogg-opus");
    const durationSeconds = probeDurationSeconds(fixture.body)!;
    await transcriber.transcribe({ audio: fixture.body, contentType: fixture.contentType, durationSeconds });
    const request = whisper.requests.at(-1)!;
    expect(request.fields).toMatchObject({
      model: "whisper-1",
      response_format: "json",
      temperature: "0",
      audio_ctx: String(audioContextFor(durationSeconds)),
    });
    expect(Number(request.fields.audio_ctx)).toBeLessThan(1500);
    expect(request.file?.name).toBe("voice-note.ogg");
  });

  it("when the duration is unknown, then audio_ctx 0 asks whisper for its full window", async () => {
    const transcriber = createWhisperTranscriber({ baseUrl: whisper.whisperUrl, logger });
    const fixture = fixtures.get("webm-opus");
    await transcriber.transcribe({ audio: fixture.body, contentType: fixture.contentType, durationSeconds: undefined });
    expect(whisper.requests.at(-1)!.fields.audio_ctx).toBe("0");
  });

  it("when whisper cannot decode the audio (400), then the result says undecodable and nothing is thrown", async () => {
    const transcriber = createWhisperTranscriber({ baseUrl: whisper.whisperUrl, logger, volumeThreshold: 1 });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const result = await transcriber.transcribe({
        audio: undecodableAudio(),
        contentType: "audio/ogg",
        durationSeconds: undefined,
      });
      expect(result).toEqual({ kind: "undecodable", detail: "failed to read audio data" });
    }
    expect(whisper.requests.at(-1)).toMatchObject({ decoded: false, status: 400 });
    // Bad audio is not whisper's failure: the breaker stays closed.
    expect(transcriber.breaker.opened).toBe(false);
  });

  it("when whisper 1.7 answers undecodable audio with status 200 and an error, then it is undecodable too", async () => {
    const legacy = new WhisperStandIn({ undecodable: { status: 200, error: "FFmpeg conversion failed." } });
    await legacy.start();
    try {
      const transcriber = createWhisperTranscriber({ baseUrl: legacy.whisperUrl, logger });
      const result = await transcriber.transcribe({
        audio: undecodableAudio(),
        contentType: "audio/amr",
        durationSeconds: undefined,
      });
      expect(result).toEqual({ kind: "undecodable", detail: "FFmpeg conversion failed." });
    } finally {
      await legacy.stop();
    }
  });

  it("when a newer whisper answers a failed ffmpeg conversion with 500, then it is undecodable, not unavailable", async () => {
    whisper.failNext({ kind: "status", status: 500, body: JSON.stringify({ error: "FFmpeg conversion failed." }) });
    const transcriber = createWhisperTranscriber({ baseUrl: whisper.whisperUrl, logger });
    const result = await transcriber.transcribe({
      audio: undecodableAudio(),
      contentType: "audio/amr",
      durationSeconds: undefined,
    });
    expect(result).toEqual({ kind: "undecodable", detail: "FFmpeg conversion failed." });
  });

  it("when whisper fails with a server error, then UNAVAILABLE is thrown for a retry", async () => {
    whisper.failNext({ kind: "status", status: 500 });
    const transcriber = createWhisperTranscriber({ baseUrl: whisper.whisperUrl, logger });
    const error = await transcriber
      .transcribe({ audio: fixtures.get("wav").body, contentType: "audio/wav", durationSeconds: 2 })
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "UNAVAILABLE" });
  });

  it("when whisper does not answer in time, then DEADLINE_EXCEEDED is thrown", async () => {
    whisper.failNext({ kind: "hang" });
    const transcriber = createWhisperTranscriber({ baseUrl: whisper.whisperUrl, logger, timeoutMs: 300 });
    await expect(
      transcriber.transcribe({ audio: fixtures.get("wav").body, contentType: "audio/wav", durationSeconds: 2 }),
    ).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
  });

  it("when whisper keeps failing, then the breaker opens and later calls fail fast without reaching whisper", async () => {
    const transcriber = createWhisperTranscriber({
      baseUrl: whisper.whisperUrl,
      logger,
      volumeThreshold: 2,
      resetTimeoutMs: 60_000,
    });
    whisper.failAll({ kind: "reset" });
    try {
      const clip = { audio: fixtures.get("wav").body, contentType: "audio/wav", durationSeconds: 2 };
      for (let attempt = 0; attempt < 2; attempt += 1)
        await expect(transcriber.transcribe(clip)).rejects.toMatchObject({ code: "UNAVAILABLE" });
      expect(transcriber.breaker.opened).toBe(true);
      const seen = whisper.requests.length;
      const error = await transcriber.transcribe(clip).catch((reason: unknown) => reason);
      expect(error).toMatchObject({ code: "UNAVAILABLE" });
      expect((error as Error).message).toMatch(/breaker/);
      expect(whisper.requests.length).toBe(seen);
    } finally {
      whisper.recover();
    }
  });

  it("when whisper is not running at all, then UNAVAILABLE is thrown", async () => {
    const gone = new WhisperStandIn();
    await gone.start();
    const url = gone.whisperUrl;
    await gone.stop();
    const transcriber = createWhisperTranscriber({ baseUrl: url, logger });
    await expect(
      transcriber.transcribe({ audio: fixtures.get("wav").body, contentType: "audio/wav", durationSeconds: 2 }),
    ).rejects.toMatchObject({ code: "UNAVAILABLE" });
  });

  it("when whisper's health endpoint is asked, then it answers ok", async () => {
    const response = await fetch(`${whisper.origin}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});

describe("audio context for a clip", () => {
  it.each([
    [undefined, undefined],
    [0, undefined],
    [1, 256],
    [3.2, 256],
    [10, 576],
    [20.5, 1088],
    [28.9, undefined],
    [30, undefined],
    [95, undefined],
  ])("when the clip lasts %s s, then audio_ctx is %s", (seconds, expected) => {
    expect(audioContextFor(seconds)).toBe(expected);
  });
});
