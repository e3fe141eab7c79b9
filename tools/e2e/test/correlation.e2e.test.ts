import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fakeMessageSid,
  inboundSmsFields,
  OTLP_KIND,
  OtlpCollectorStandIn,
  postSignedWebhook,
  TEST_TWILIO,
} from "@sms-todo/testkit";
import { startStack, STOPPED_CLEANLY, type Stack } from "./stack.fixture.js";

const GRACE = "+15557790011";
const HEIDI = "+15557790012";
const IVAN = "+15557790013";
const JUDY = "+15557790014";
const CORRELATION_ATTRIBUTE = "sms_todo.correlation_id";

interface LogLine {
  service?: string;
  msg?: string;
  correlationId?: string;
  traceId?: string;
  [field: string]: unknown;
}

function parse(line: string): LogLine | undefined {
  try {
    return JSON.parse(line) as LogLine;
  } catch {
    return undefined;
  }
}

describe("one message followed through the services by its MessageSid", () => {
  let stack: Stack;
  const collector = new OtlpCollectorStandIn();

  /**
   * Sends one message and returns every line the stack logged from the webhook until each
   * service logged its last line of it ("service: msg"): on an otherwise idle stack, all of
   * them are that message's.
   */
  async function follow(
    send: (messageSid: string) => Promise<{ status: number }>,
    to: string,
    lastLines: string[],
  ): Promise<{ sid: string; lines: LogLine[] }> {
    const sid = fakeMessageSid();
    const start = stack.logLines.length;
    expect((await send(sid)).status).toBe(200);
    await stack.twilio.waitForSms(to, 1, 20_000);
    const logged = () =>
      new Set(
        stack.logLines
          .slice(start)
          .map(parse)
          .filter((entry) => entry?.correlationId === sid)
          .map((entry) => `${entry?.service}: ${entry?.msg}`),
      );
    await expect.poll(() => lastLines.filter((line) => !logged().has(line))).toEqual([]);
    const lines = stack.logLines.slice(start).map((line) => parse(line) ?? { msg: line });
    return { sid, lines };
  }

  const servicesOf = (lines: LogLine[], sid: string) =>
    new Set(lines.filter((line) => line.correlationId === sid).map((line) => line.service));

  beforeAll(async () => {
    await collector.start();
    // The services inherit the test's environment: traces go to the stand-in collector, in batches every 100 ms.
    const settings = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_BSP_SCHEDULE_DELAY: "100" };
    const inherited = Object.fromEntries(Object.keys(settings).map((key) => [key, process.env[key]]));
    Object.assign(process.env, settings);
    try {
      stack = await startStack();
    } finally {
      for (const [key, value] of Object.entries(inherited)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
  afterAll(async () => {
    const exitCodes = await stack.stop();
    await collector.stop();
    expect(exitCodes).toEqual(STOPPED_CLEANLY);
  });

  it("when a text is sent, then ingress, command, todo-domain and notifier log its MessageSid as correlationId on every line until the reply", async () => {
    const { sid, lines } = await follow(
      (messageSid) =>
        postSignedWebhook({
          baseUrl: stack.ingressUrl,
          publicBaseUrl: TEST_TWILIO.publicBaseUrl,
          path: "/webhooks/twilio/sms",
          authToken: TEST_TWILIO.authToken,
          fields: inboundSmsFields({ from: GRACE, body: "buy milk", accountSid: TEST_TWILIO.accountSid, messageSid }),
        }),
      GRACE,
      ["command: command dispatched", "notifier: reply sent"],
    );

    expect(servicesOf(lines, sid)).toEqual(new Set(["ingress", "command", "todo-domain", "notifier"]));
    const milestones = lines.filter((line) => line.correlationId === sid).map((line) => `${line.service}: ${line.msg}`);
    expect(milestones).toEqual(
      expect.arrayContaining([
        "ingress: inbound message published",
        "command: command dispatched",
        "todo-domain: gRPC call handled",
        "notifier: reply sent",
      ]),
    );
    // No line of that time lacks the id: not the use cases', the outbox relay's nor the SMS sender's.
    expect(lines.filter((line) => line.correlationId !== sid)).toEqual([]);
    expect(lines.find((line) => line.msg === "gRPC call handled")).toMatchObject({ method: "AddTodos" });
  });

  it("when a voice note's media is refused, then transcribe's lines carry its MessageSid too, up to the dead-lettering", async () => {
    // A media path that is no media item of the message: transcribe refuses it and asks the user to text instead.
    const { sid, lines } = await follow(
      (messageSid) =>
        postSignedWebhook({
          baseUrl: stack.ingressUrl,
          publicBaseUrl: TEST_TWILIO.publicBaseUrl,
          path: "/webhooks/twilio/sms",
          authToken: TEST_TWILIO.authToken,
          fields: inboundSmsFields({
            from: HEIDI,
            body: "",
            accountSid: TEST_TWILIO.accountSid,
            messageSid,
            media: [
              {
                url: `${stack.twilio.baseUrl}/2010-04-01/Accounts/${TEST_TWILIO.accountSid}/Messages/${messageSid}/Media/ME1`,
                contentType: "audio/ogg",
              },
            ],
          }),
        }),
      HEIDI,
      ["transcribe: delivery failed", "notifier: reply sent"],
    );

    expect(servicesOf(lines, sid)).toEqual(new Set(["ingress", "transcribe", "todo-domain", "notifier"]));
    expect(lines.filter((line) => line.correlationId !== sid)).toEqual([]);
    expect(lines.filter((line) => line.service === "transcribe").map((line) => line.msg)).toEqual([
      "voice note media not downloaded",
      "delivery failed",
    ]);
  });

  it("when Twilio answers the reply with a 500 once, then the SMS sender's retry line carries the MessageSid too", async () => {
    stack.twilio.program({ kind: "status", status: 500, code: 20500, message: "Internal Server Error" });
    const { sid, lines } = await follow(
      (messageSid) =>
        postSignedWebhook({
          baseUrl: stack.ingressUrl,
          publicBaseUrl: TEST_TWILIO.publicBaseUrl,
          path: "/webhooks/twilio/sms",
          authToken: TEST_TWILIO.authToken,
          fields: inboundSmsFields({ from: JUDY, body: "feed the cat", accountSid: TEST_TWILIO.accountSid, messageSid }),
        }),
      JUDY,
      ["command: command dispatched", "notifier: reply sent"],
    );

    expect(lines.find((line) => line.msg === "Twilio refused the SMS")).toMatchObject({ correlationId: sid, status: 500 });
    expect(lines.filter((line) => line.correlationId !== sid)).toEqual([]);
  });

  it("when traces are exported, then a text's spans from webhook to todo-domain form one trace, and the reply's spans carry its MessageSid", async () => {
    const { sid, lines } = await follow(
      (messageSid) =>
        postSignedWebhook({
          baseUrl: stack.ingressUrl,
          publicBaseUrl: TEST_TWILIO.publicBaseUrl,
          path: "/webhooks/twilio/sms",
          authToken: TEST_TWILIO.authToken,
          fields: inboundSmsFields({ from: IVAN, body: "call mom", accountSid: TEST_TWILIO.accountSid, messageSid }),
        }),
      IVAN,
      ["command: command dispatched", "notifier: reply sent"],
    );
    const spansOf = () => collector.spans.filter((span) => span.attributes[CORRELATION_ATTRIBUTE] === sid);
    await expect.poll(() => new Set(spansOf().map((span) => span.service)).size, { timeout: 10_000 }).toBe(4);
    const spans = spansOf();
    const find = (service: string, kind: number, name?: string) =>
      spans.find((span) => span.service === service && span.kind === kind && (name === undefined || span.name === name));

    const webhook = find("ingress", OTLP_KIND.server, "POST /webhooks/twilio/sms");
    const published = find("ingress", OTLP_KIND.producer);
    const consumed = find("command", OTLP_KIND.consumer);
    const called = find("command", OTLP_KIND.client, "todo.v1.TodoService/AddTodos");
    const handled = find("todo-domain", OTLP_KIND.server, "todo.v1.TodoService/AddTodos");
    const replied = find("notifier", OTLP_KIND.consumer);

    expect(webhook?.parentSpanId).toBe("");
    expect(published?.parentSpanId).toBe(webhook?.spanId);
    expect(consumed?.parentSpanId).toBe(published?.spanId);
    expect(called?.parentSpanId).toBe(consumed?.spanId);
    expect(handled?.parentSpanId).toBe(called?.spanId);
    expect(new Set([webhook, published, consumed, called, handled].map((span) => span?.traceId))).toEqual(
      new Set([webhook?.traceId]),
    );
    // The outbox decouples the reply: its own trace, found by the same MessageSid.
    expect(replied?.attributes[CORRELATION_ATTRIBUTE]).toBe(sid);
    // A log line leads to its trace.
    expect(lines.find((line) => line.service === "command" && line.msg === "command dispatched")?.traceId).toBe(webhook?.traceId);
  });
});
