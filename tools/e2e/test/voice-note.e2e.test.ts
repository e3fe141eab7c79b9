import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAudioFixtures,
  fakeMessageSid,
  inboundSmsFields,
  postSignedWebhook,
  TEST_TWILIO,
  undecodableAudio,
  type AudioFixtures,
} from "@sms-todo/testkit";
import { startStack, STOPPED_CLEANLY, type Stack } from "./stack.fixture.js";

const ERIN = "+15557780001";
const FRANK = "+15557780002";

describe("voice notes through all five services", () => {
  let stack: Stack;
  let fixtures: AudioFixtures;

  /** Posts the MMS webhook Twilio sends for a voice note, signed, with its media served by the Twilio stand-in. */
  const sendVoiceNote = async (from: string, audio: Buffer, contentType: string) => {
    const messageSid = fakeMessageSid();
    const url = stack.twilio.addMedia(messageSid, contentType, audio);
    const response = await postSignedWebhook({
      baseUrl: stack.ingressUrl,
      publicBaseUrl: TEST_TWILIO.publicBaseUrl,
      path: "/webhooks/twilio/sms",
      authToken: TEST_TWILIO.authToken,
      fields: inboundSmsFields({ from, body: "", accountSid: TEST_TWILIO.accountSid, messageSid, media: [{ url, contentType }] }),
    });
    return { response, url };
  };

  beforeAll(async () => {
    fixtures = await createAudioFixtures({ kinds: ["ogg-opus", "3gp-amr", "m4a-aac"] });
    stack = await startStack();
  });
  afterAll(async () => {
    const exitCodes = await stack.stop();
    await fixtures.dispose();
    expect(exitCodes).toEqual(STOPPED_CLEANLY);
  });

  it("when a voice note is posted as a signed MMS webhook, then its todos are added and the reply lists them with what was heard", async () => {
    const note = fixtures.get("ogg-opus");
    stack.whisper.setTranscript(note.body, " Buy milk and call mom.");
    const { response, url } = await sendVoiceNote(ERIN, note.body, "audio/ogg");
    expect(response.status).toBe(200);

    const [sms] = await stack.twilio.waitForSms(ERIN, 1, 20_000);
    expect(sms?.body).toContain("#1 buy milk");
    expect(sms?.body).toContain("#2 call mom");
    expect(sms?.body).toContain('Heard: "Buy milk and call mom."');
    // whisper got the file as phones send it, decoded it, and was told how long the clip is.
    const request = stack.whisper.requests.at(-1);
    expect(request).toMatchObject({ decoded: true, fields: { response_format: "json" } });
    expect(Number(request?.fields.audio_ctx)).toBeGreaterThan(0);
    // Twilio's copy of the media is deleted once the transcript is stored.
    await expect.poll(() => stack.twilio.hasMedia(url)).toBe(false);
  });

  it('when the next voice note (3GPP with AMR) says "complete number one", then #1 is done', async () => {
    const note = fixtures.get("3gp-amr");
    stack.whisper.setTranscript(note.body, " Complete number one.");
    await sendVoiceNote(ERIN, note.body, "video/3gpp");
    const replies = await stack.twilio.waitForSms(ERIN, 2, 20_000);
    expect(replies[1]?.body).toContain("Done #1 buy milk");
  });

  it("when a voice note cannot be decoded, then one reply says so and no todo is added", async () => {
    await sendVoiceNote(FRANK, undecodableAudio(), "audio/amr");
    const [sms] = await stack.twilio.waitForSms(FRANK, 1, 20_000);
    expect(sms?.body).toContain("couldn't play that voice note");
    // A later voice note from the same user is numbered #1: the bad one added nothing.
    const note = fixtures.get("m4a-aac");
    stack.whisper.setTranscript(note.body, " Water the plants.");
    await sendVoiceNote(FRANK, note.body, "audio/mp4");
    const replies = await stack.twilio.waitForSms(FRANK, 2, 20_000);
    expect(replies[1]?.body).toContain("#1 water the plants");
    expect(stack.twilio.sent.filter((each) => each.to === FRANK)).toHaveLength(2);
  });

  it("when the services log voice notes, then no phone number or transcript appears unmasked", () => {
    const log = stack.logLines.join("\n");
    for (const secret of [ERIN, FRANK, ERIN.slice(1), "Buy milk and call mom", "Water the plants", TEST_TWILIO.authToken]) {
      expect(log).not.toContain(secret);
    }
  });
});
