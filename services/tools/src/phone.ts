import { createInterface } from "node:readline";
import { fakeMessageSid, inboundSmsFields, postSignedWebhook } from "@sms-todo/testkit";
import { LOCAL_TWILIO, twilioSettings } from "./local-twilio.js";

/**
 * `npm run phone [-- +15551230001]`: a terminal phone for the running system. Each line
 * you type is posted to ingress as a webhook signed the way Twilio signs it; replies are
 * read from the Twilio (stand-in) message list for your number and printed.
 */

const from = process.argv[2] ?? process.env.PHONE_NUMBER ?? "+15551230001";
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

async function send(body: string): Promise<void> {
  const fields = inboundSmsFields({
    from,
    body,
    accountSid: twilio.accountSid,
    to: process.env.TWILIO_FROM || LOCAL_TWILIO.from,
    messageSid: fakeMessageSid(),
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
process.stdout.write(`Texting sms-todo at ${ingressUrl} from ${from}. Type a message; Ctrl-D quits.\n> `);
const timer = setInterval(() => void pollReplies(), 300);
const input = createInterface({ input: process.stdin });
input.on("line", (line) => {
  if (line.trim() === "") return void process.stdout.write("> ");
  // The reply prints the next prompt.
  send(line).then(
    () => undefined,
    (error: unknown) => process.stdout.write(`(could not reach ingress: ${(error as Error).message})\n> `),
  );
});
input.on("close", () => {
  clearInterval(timer);
  process.stdout.write("\n");
});
