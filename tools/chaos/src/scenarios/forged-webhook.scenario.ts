import { gzipSync } from "node:zlib";
import {
  fakeMessageSid,
  inboundSmsFields,
  signedWebhookOf,
  signWebhook,
  SMS_WEBHOOK_PATH,
  TEST_TWILIO,
  WebhookPoster,
  type RawRequest,
} from "@sms-todo/testkit";
import { readIngressCounter } from "../harness/ingress-metrics.reader.js";
import type { Expectation } from "../ledger/message.ledger.js";
import { beginScenario, finishScenario, formatCount, textMessage } from "./scenario.steps.js";
import type { Scenario } from "./scenario.types.js";

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const STATUS_PATH = "/webhooks/twilio/status";
const PUBLISHED = "ingress_messages_published_total";

interface Forgery {
  kind: string;
  expectation: Extract<Expectation, "forbidden" | "refused">;
  /** The request, built from the fields of an inbound SMS of its own (number, MessageSid, todo text). */
  build(fields: Record<string, string>): RawRequest;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const signatureOf = (
  fields: Record<string, string>,
  url = `${TEST_TWILIO.publicBaseUrl}${SMS_WEBHOOK_PATH}`,
  token: string = TEST_TWILIO.authToken,
) => signWebhook(token, url, fields);
const signed = (fields: Record<string, string>, signature = signatureOf(fields)): RawRequest => ({
  body: form(fields),
  headers: { ...FORM, "x-twilio-signature": signature },
});

const FORGERIES: readonly Forgery[] = [
  {
    kind: "text changed after signing",
    expectation: "forbidden",
    build: (f) => signed({ ...f, Body: `${f.Body} and more` }, signatureOf(f)),
  },
  {
    kind: "sender changed after signing",
    expectation: "forbidden",
    build: (f) => signed({ ...f, From: "+15005550009" }, signatureOf(f)),
  },
  {
    kind: "media added after signing",
    expectation: "forbidden",
    build: (f) =>
      signed({ ...f, NumMedia: "1", MediaUrl0: "https://evil.example/a.amr", MediaContentType0: "audio/amr" }, signatureOf(f)),
  },
  {
    kind: "__proto__ field added after signing",
    expectation: "forbidden",
    build: (f) => ({ body: `${form(f)}&__proto__=x`, headers: { ...FORM, "x-twilio-signature": signatureOf(f) } }),
  },
  { kind: "no signature", expectation: "forbidden", build: (f) => ({ body: form(f), headers: FORM }) },
  {
    kind: "signed with another auth token",
    expectation: "forbidden",
    build: (f) => signed(f, signatureOf(f, undefined, "another-auth-token-0123456789")),
  },
  {
    kind: "signed for another URL",
    expectation: "forbidden",
    build: (f) => signed(f, signatureOf(f, "https://attacker.example.test/webhooks/twilio/sms")),
  },
  {
    kind: "another account, correctly signed",
    expectation: "forbidden",
    build: (f) => signed({ ...f, AccountSid: `AC${"f".repeat(32)}` }),
  },
  {
    kind: "status callback without signature",
    expectation: "forbidden",
    build: (f) => ({
      path: STATUS_PATH,
      body: form({ MessageSid: f.MessageSid!, MessageStatus: "delivered", AccountSid: f.AccountSid! }),
      headers: FORM,
    }),
  },
  {
    kind: "invalid percent-encoding",
    expectation: "refused",
    build: (f) => ({ body: `${form(f)}&Body=%ZZ`, headers: { ...FORM, "x-twilio-signature": signatureOf(f) } }),
  },
  {
    kind: "invalid UTF-8",
    expectation: "refused",
    build: (f) => ({
      body: Buffer.concat([Buffer.from(`${form(f)}&X=`), Buffer.from([0xff, 0xfe, 0xc3])]),
      headers: { ...FORM, "x-twilio-signature": signatureOf(f) },
    }),
  },
  {
    kind: "JSON instead of a form",
    expectation: "refused",
    build: (f) => ({
      body: JSON.stringify(f),
      headers: { "content-type": "application/json", "x-twilio-signature": signatureOf(f) },
    }),
  },
  {
    kind: "body over the size limit",
    expectation: "refused",
    build: (f) => ({
      body: `${form(f)}&Padding=${"x".repeat(200 * 1024)}`,
      headers: { ...FORM, "x-twilio-signature": signatureOf(f) },
    }),
  },
  {
    kind: "gzip-compressed body",
    expectation: "refused",
    build: (f) => ({
      body: gzipSync(form(f)),
      headers: { ...FORM, "content-encoding": "gzip", "x-twilio-signature": signatureOf(f) },
    }),
  },
  {
    kind: "signed, without MessageSid and From",
    expectation: "refused",
    build: (f) =>
      signed(Object.fromEntries(Object.entries(f).filter(([name]) => !["MessageSid", "SmsMessageSid", "From"].includes(name)))),
  },
  { kind: "signed, NumMedia out of range", expectation: "refused", build: (f) => signed({ ...f, NumMedia: "99" }) },
  {
    kind: "GET instead of POST",
    expectation: "refused",
    build: (f) => ({ method: "GET", body: "", headers: { "x-twilio-signature": signatureOf(f) } }),
  },
];

/**
 * SPEC 6: tampered or unsigned webhooks are answered 403 with nothing stored or published;
 * malformed bodies 4xx, and ingress keeps running. Each request carries a todo text and number
 * of its own, so any todo or reply it caused would be counted; ingress' own counter of
 * published messages must not move but for one good webhook sent last, which also shows
 * that ingress still works.
 */
export const forgedWebhookScenario: Scenario = {
  number: 7,
  title: "forged, unsigned and malformed webhooks",
  async run(context) {
    const { each } = context.config.forged;
    const { stack, phoneNumbers } = context.chaos;
    const run = beginScenario(context, 7);
    const total = each * FORGERIES.length;
    const sizes = `${formatCount(total)} requests, ${each} of each of ${FORGERIES.length} kinds, then 1 good webhook`;
    context.progress(`[7] ${sizes}`);

    const numbers = phoneNumbers.numbers(7, total + 1);
    const poster = new WebhookPoster(stack.ingressOrigin);
    const publishedBefore = await readIngressCounter(stack.ingressOrigin, PUBLISHED);
    const wrongStatuses = new Map<string, number>();
    try {
      let index = 0;
      for (const forgery of FORGERIES) {
        await Promise.all(
          Array.from({ length: each }, async () => {
            const from = numbers[index]!;
            const text = `chaos ${run.ledger.key} ${index}`;
            index += 1;
            const messageSid = fakeMessageSid();
            const fields = inboundSmsFields({ from, body: text, accountSid: TEST_TWILIO.accountSid, messageSid });
            const entry = run.ledger.add({
              text,
              messageSid,
              from,
              kind: "text",
              expectation: forgery.expectation,
              webhook: signedWebhookOf(fields),
            });
            const { status } = await poster.send(forgery.build(fields));
            entry.statuses.push(status);
            const wrong =
              forgery.expectation === "forbidden" ? status !== 403 : status === undefined || status < 400 || status >= 500;
            if (wrong)
              wrongStatuses.set(
                `${forgery.kind} → ${status ?? "no answer"}`,
                (wrongStatuses.get(`${forgery.kind} → ${status ?? "no answer"}`) ?? 0) + 1,
              );
          }),
        );
      }
      const control = textMessage(run, numbers[total]!, `chaos ${run.ledger.key} ${total}`);
      control.statuses.push((await poster.post(control.webhook)).status);
    } finally {
      poster.close();
    }
    const outcome = await finishScenario(context, run, this, sizes, {
      details: [
        ...[...wrongStatuses].map(([what, count]) => `${count} × ${what}`),
        `kinds: ${FORGERIES.map((forgery) => `${forgery.kind} (${forgery.expectation === "forbidden" ? "403" : "4xx"})`).join("; ")}`,
      ],
    });
    const published = (await readIngressCounter(stack.ingressOrigin, PUBLISHED)) - publishedBefore;
    // Only the good webhook may have been published.
    if (published !== 1) {
      outcome.counts.unexpected += Math.abs(published - 1);
      outcome.details.unshift(`unexpected: ingress published ${published} messages; only the 1 good webhook may be`);
    }
    outcome.details.push(`ingress published ${published} message(s) in this scenario: the good webhook`);
    return outcome;
  },
};
