import { describe, expect, it } from "vitest";
import { AUDIO_CONTENT_TYPES } from "@sms-todo/rules";
import { routeOf } from "../src/webhooks/inbound-routing.policy.js";

const withMedia = (...contentTypes: string[]) => ({
  media: contentTypes.map((contentType, index) => ({ url: `https://api.twilio.com/m/${index}`, contentType })),
});

describe("inbound routing", () => {
  it.each(AUDIO_CONTENT_TYPES)("when a voice note is %s, then the message goes to the audio queue", (contentType) => {
    expect(routeOf(withMedia(contentType))).toBe("audio");
  });

  it("when the content type carries parameters (WhatsApp's audio/ogg; codecs=opus), then they are ignored", () => {
    expect(routeOf(withMedia("audio/ogg; codecs=opus"))).toBe("audio");
  });

  it("when a picture is attached, then the message stays on the text queue", () => {
    expect(routeOf(withMedia("image/jpeg"))).toBe("text");
  });

  it("when a video other than 3GPP or a text file is attached, then the message stays on the text queue", () => {
    expect(routeOf(withMedia("video/mp4", "text/vcard"))).toBe("text");
  });

  it("when a picture and a voice note are attached, then the message goes to the audio queue", () => {
    expect(routeOf(withMedia("image/png", "audio/amr"))).toBe("audio");
  });

  it("when there is no media, then the message goes to the text queue", () => {
    expect(routeOf(withMedia())).toBe("text");
  });
});
