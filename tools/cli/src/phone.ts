import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { createInterface } from "node:readline";
import { isE164, type AudioContentType } from "@sms-todo/rules";
import { fakeMessageSid, inboundSmsFields, postSignedWebhook } from "@sms-todo/testkit";
import { LOCAL_TWILIO, localWhisperOrigin, twilioSettings, usesLocalWhisper } from "./local-twilio.js";

/**
 * `npm run phone [-- +15551230001]`: a terminal phone for the running system. Each line
 * you type is posted to ingress as a webhook signed the way Twilio signs it; replies are
 * read from the Twilio (stand-in) message list for your number and printed.
 *
 * `/voice FILE [words]` sends an audio file as a voice note (an MMS with one media item):
 * the file is put on the local Twilio, which serves it under the account's
 * Messages/<sid>/Media/<sid> path as Twilio does; with the local whisper stand-in the words
 * are what it will hear in the file (a real whisper-server at WHISPER_URL ignores them).
 */

const from = process.argv[2] ?? process.env.PHONE_NUMBER ?? "+15551230001";
if (!isE164(from)) {
  console.error(`usage: npm run phone [-- +15551230001]: the number to text from, in E.164 ("${from}" is not)`);
  process.exit(64);
}
const twilio = twilioSettings(process.env);
const ingressUrl = `http://127.0.0.1:${process.env.INGRESS_PORT || "3000"}`;
const publicBaseUrl = (process.env.PUBLIC_BASE_URL || "http://localhost:3000").replace(/\/$/, "");
const authHeader = `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString("base64")}`;
const seen = new Set<string>();

async function fetchReplies(): Promise<Array<{ sid: string; body: string }>> {
  const url = `${twilio.apiBaseUrl}/2010-04-01/Accounts/${twilio.accountSid}/Messages.json?To=${encodeURIComponent(from)}&PageSize=50`;
  const response = await fetch(url, { headers: { authorization: authHeader } });
  if (!response.ok) throw new Error(`Twilio message list answered ${response.status}`);
  const { messages } = (await response.json()) as { messages: Array<{ sid: string; body: string }> };
  return messages.reverse();
}

async function pollReplies(): Promise<void> {
  try {
    for (const message of await fetchReplies()) {
      if (seen.has(message.sid)) continue;
      seen.add(message.sid);
      process.stdout.write(`\n< ${message.body.split("\n").join("\n  ")}\n> `);
    }
  } catch (error) {
    process.stdout.write(`\n(cannot read replies: ${(error as Error).message})\n> `);
  }
}

// Each file type is sent as a voice-note type ingress routes to transcription.
const AUDIO_TYPES: Record<string, AudioContentType> = {
  ".amr": "audio/amr",
  ".3gp": "audio/3gpp",
  ".3gpp": "audio/3gpp",
  ".m4a": "audio/mp4",
  ".mp4": "audio/mp4",
  ".aac": "audio/aac",
  ".mp3": "audio/mpeg",
  ".ogg": "audio/ogg",
  ".oga": "audio/ogg",
  ".opus": "audio/opus",
  ".wav": "audio/wav",
  ".webm": "audio/webm",
};

/** Puts the file on the local Twilio as media of message `messageSid`; returns its media URL. */
async function uploadMedia(messageSid: string, audio: Buffer, contentType: string): Promise<string> {
  const url = `${twilio.apiBaseUrl}/2010-04-01/Accounts/${twilio.accountSid}/Messages/${messageSid}/Media`;
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: authHeader, "content-type": contentType },
    body: audio,
  });
  if (response.status !== 201) throw new Error(`the local Twilio answered ${response.status} to the upload`);
  return ((await response.json()) as { url: string }).url;
}

async function sendVoiceNote(line: string): Promise<void> {
  const [, path = "", words = ""] = /^\/voice\s+(\S+)\s*(.*)$/.exec(line) ?? [];
  if (!path) return void process.stdout.write("(usage: /voice FILE [what it says])\n> ");
  if (!twilio.local) {
    return void process.stdout.write("(voice notes need the local Twilio: start npm start without Twilio credentials)\n> ");
  }
  const contentType = AUDIO_TYPES[extname(path).toLowerCase()];
  if (!contentType) return void process.stdout.write(`(not a voice-note file: ${Object.keys(AUDIO_TYPES).join(" ")})\n> `);
  const audio = await readFile(path);
  if (usesLocalWhisper(process.env) && words.trim()) {
    const sha256 = createHash("sha256").update(audio).digest("hex");
    const response = await fetch(`${localWhisperOrigin(process.env)}/stand-in/transcripts/${sha256}`, {
      method: "PUT",
      body: words.trim(),
    });
    if (response.status !== 204) throw new Error(`the local whisper answered ${response.status}`);
  }
  const messageSid = fakeMessageSid();
  const mediaUrl = await uploadMedia(messageSid, audio, contentType);
  await send("", messageSid, [{ url: mediaUrl, contentType }]);
}

async function send(
  body: string,
  messageSid = fakeMessageSid(),
  media: Array<{ url: string; contentType: string }> = [],
): Promise<void> {
  const fields = inboundSmsFields({
    from,
    body,
    accountSid: twilio.accountSid,
    to: process.env.TWILIO_FROM || LOCAL_TWILIO.from,
    messageSid,
    media,
  });
  const result = await postSignedWebhook({
    baseUrl: ingressUrl,
    publicBaseUrl,
    path: "/webhooks/twilio/sms",
    authToken: twilio.authToken,
    fields,
  });
  if (result.status !== 200) process.stdout.write(`(ingress answered ${result.status}: ${result.body})\n`);
}

// Replies that arrived before this phone started are not news.
for (const message of await fetchReplies().catch(() => [])) seen.add(message.sid);
process.stdout.write(
  `Texting sms-todo at ${ingressUrl} from ${from}. Type a message, or /voice FILE [what it says] for a voice note; Ctrl-D quits.\n> `,
);
const timer = setInterval(() => void pollReplies(), 300);
const input = createInterface({ input: process.stdin });
input.on("line", (line) => {
  if (line.trim() === "") return void process.stdout.write("> ");
  // The reply prints the next prompt.
  (line.startsWith("/voice") ? sendVoiceNote(line) : send(line)).then(
    () => undefined,
    (error: unknown) => process.stdout.write(`(could not reach ingress: ${(error as Error).message})\n> `),
  );
});
input.on("close", () => {
  clearInterval(timer);
  process.stdout.write("\n");
});
