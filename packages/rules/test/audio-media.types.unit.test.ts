import { describe, expect, it } from "vitest";
import { isAudioContentType, mediaTypeEssence } from "../src/audio-media.types.js";

describe("voice-note content types", () => {
  it("when the content type is upper-case or padded, then it is still recognised", () => {
    expect(isAudioContentType(" AUDIO/MPEG ")).toBe(true);
    expect(isAudioContentType("Video/3GPP;foo=bar")).toBe(true);
  });

  it("when the content type is a picture, another video or unknown audio, then it is not a voice note", () => {
    for (const contentType of ["image/jpeg", "video/mp4", "audio/x-unknown", "", "audio"])
      expect([contentType, isAudioContentType(contentType)]).toEqual([contentType, false]);
  });

  it("when the content type carries parameters, then its essence drops them", () => {
    expect(mediaTypeEssence("Audio/OGG; codecs=opus")).toBe("audio/ogg");
  });
});
