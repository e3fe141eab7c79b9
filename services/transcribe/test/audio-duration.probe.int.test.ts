import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AUDIO_FIXTURE_KINDS,
  createAudioFixtures,
  generatedAmrNb,
  undecodableAudio,
  type AudioFixtures,
} from "@sms-todo/testkit";
import { probeDurationSeconds } from "../src/media/audio-duration.probe.js";

describe("audio duration probe on files ffmpeg made", () => {
  let fixtures: AudioFixtures;

  beforeAll(async () => {
    fixtures = await createAudioFixtures({ text: "buy milk and call mom, also water the plants" });
  });
  afterAll(async () => {
    await fixtures.dispose();
  });

  it.each(AUDIO_FIXTURE_KINDS.filter((kind) => kind !== "webm-opus"))(
    "when the file is %s, then the probe reads the duration ffprobe reads",
    (kind) => {
      const fixture = fixtures.get(kind);
      const seconds = probeDurationSeconds(fixture.body);
      // For raw ADTS ffprobe only estimates from the bitrate; the spoken source's length is the truth there.
      const expected = kind === "aac-adts" ? fixtures.get("wav").durationSeconds : fixture.durationSeconds;
      expect(seconds).toBeDefined();
      expect(Math.abs((seconds ?? 0) - expected)).toBeLessThan(0.15);
    },
  );

  it("when the file is WebM written by ffmpeg, then the probe reads the duration from its segment info", () => {
    const fixture = fixtures.get("webm-opus");
    expect(Math.abs((probeDurationSeconds(fixture.body) ?? 0) - fixture.durationSeconds)).toBeLessThan(0.15);
  });

  it("when the bytes are no audio container, then the duration is unknown", () => {
    expect(probeDurationSeconds(undecodableAudio())).toBeUndefined();
    expect(probeDurationSeconds(Buffer.from("hello"))).toBeUndefined();
    expect(probeDurationSeconds(Buffer.alloc(0))).toBeUndefined();
  });

  it("when an AMR stream is generated for 2.4 s, then the probe counts 120 frames of 20 ms", () => {
    expect(probeDurationSeconds(generatedAmrNb(2.4))).toBeCloseTo(2.4, 5);
  });
});
