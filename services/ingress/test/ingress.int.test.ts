import { once } from "node:events";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messaging } from "@sms-todo/contracts";
import { AmqpBroker } from "@sms-todo/shared";
import {
  TEST_TWILIO,
  TcpProxy,
  captureLogs,
  createTestTopology,
  fakeMessageSid,
  inboundSmsFields,
  postSignedWebhook,
  signWebhook,
  testInfrastructure,
  type InboundSmsOptions,
} from "@sms-todo/testkit";
import type { IngressApp } from "../src/app.js";
import { loadIngressConfig } from "../src/ingress.config.js";
import { composeIngress } from "../src/ingress.composition.js";
import { EMPTY_TWIML } from "../src/routes/sms-webhook.route.js";
import { createTestSpool, deleteRedisKeys } from "./ingress.fixture.js";
import { QueueProbe } from "./queue.probe.js";

const SMS_PATH = "/webhooks/twilio/sms";
const STATUS_PATH = "/webhooks/twilio/status";
const SENDER = "+15551234567";
const SECRET_BODY = "buy oat milk for grandma";

const testTopology = createTestTopology("ingress");
const { topology } = testTopology;
const spool = createTestSpool("ingress");
const logs = captureLogs("ingress", "debug");
const configEnv = (): NodeJS.ProcessEnv => ({
  PUBLIC_BASE_URL: `${TEST_TWILIO.publicBaseUrl}/`,
  INGRESS_PORT: "0",
  TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
  TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
  AMQP_URL: testInfrastructure.amqpUrl,
  SPOOL_DATABASE_URL: spool.url,
  REDIS_URL: testInfrastructure.redisUrl,
  SMS_TODO_NAMESPACE: testTopology.namespace,
  // Every message here comes from one number; the limit has its own tests (rate-limit.int.test.ts).
  RATE_LIMIT_MESSAGES: "100000",
  LOG_LEVEL: "debug",
});
const config = loadIngressConfig(configEnv());

let app: IngressApp;
let baseUrl: string;
const probeBroker = new AmqpBroker({ url: testInfrastructure.amqpUrl, topology, logger: captureLogs("probe", "warn").logger });
const textQueue = new QueueProbe(topology.queues.text);
const audioQueue = new QueueProbe(topology.queues.audio);
const statusQueue = new QueueProbe(topology.queues.status);

beforeAll(async () => {
  app = composeIngress(config, { logger: logs.logger });
  await app.start();
  baseUrl = `http://127.0.0.1:${app.port()}`;
  await probeBroker.start();
  for (const probe of [textQueue, audioQueue, statusQueue]) await probe.attach(probeBroker);
});

afterAll(async () => {
  await app.stop();
  for (const probe of [textQueue, audioQueue, statusQueue]) await probe.stop();
  await probeBroker.close();
  await testTopology.remove();
  await spool.drop();
  await deleteRedisKeys(testTopology.namespace);
});

function smsFields(options: Partial<InboundSmsOptions> = {}): Record<string, string> {
  return inboundSmsFields({ from: SENDER, body: SECRET_BODY, accountSid: TEST_TWILIO.accountSid, ...options });
}

function post(path: string, fields: Record<string, string>, signature?: string) {
  return postSignedWebhook({
    baseUrl,
    publicBaseUrl: TEST_TWILIO.publicBaseUrl,
    path,
    authToken: TEST_TWILIO.authToken,
    fields,
    signature,
  });
}

function mediaUrl(messageSid: string): string {
  return `https://api.twilio.com/2010-04-01/Accounts/${TEST_TWILIO.accountSid}/Messages/${messageSid}/Media/ME${"0".repeat(32)}`;
}

/** The next message on the queue must be the one with this MessageSid: anything published before it would come first. */
async function nextInbound(probe: QueueProbe, messageSid: string): Promise<messaging.InboundMessage> {
  const delivery = await probe.next();
  expect(delivery.messageId).toBe(messageSid);
  expect(delivery.type).toBe("messaging.v1.InboundMessage");
  expect(delivery.correlationId).toBe(messageSid);
  return messaging.InboundMessage.decode(delivery.body);
}

async function postAccepted(fields: Record<string, string>): Promise<void> {
  const response = await post(SMS_PATH, fields);
  expect(response).toEqual({ status: 200, body: EMPTY_TWIML, contentType: "text/xml" });
}

describe("inbound message webhook", () => {
  it("when a signed SMS arrives, then it is answered with empty TwiML and the InboundMessage is on the text queue", async () => {
    const fields = smsFields();
    const before = Date.now();
    await postAccepted(fields);

    const message = await nextInbound(textQueue, fields.MessageSid ?? "");
    expect(message).toMatchObject({
      messageSid: fields.MessageSid,
      accountSid: TEST_TWILIO.accountSid,
      from: SENDER,
      to: TEST_TWILIO.from,
      body: SECRET_BODY,
      media: [],
      channel: messaging.Channel.CHANNEL_SMS,
    });
    expect(message.receivedAtMs).toBeGreaterThanOrEqual(before);
    expect(message.receivedAtMs).toBeLessThanOrEqual(Date.now());
  });

  it("when a voice note arrives by MMS, then it is on the audio queue", async () => {
    const messageSid = `MM${fakeMessageSid().slice(2)}`;
    const fields = smsFields({ messageSid, body: "", media: [{ url: mediaUrl(messageSid), contentType: "audio/amr" }] });
    await postAccepted(fields);

    const message = await nextInbound(audioQueue, messageSid);
    expect(message.channel).toBe(messaging.Channel.CHANNEL_MMS);
    expect(message.media).toEqual([{ url: mediaUrl(messageSid), contentType: "audio/amr" }]);
  });

  it("when a WhatsApp voice note arrives, then it is on the audio queue with the whatsapp: prefix stripped", async () => {
    const messageSid = fakeMessageSid();
    const media = [{ url: mediaUrl(messageSid), contentType: "audio/ogg; codecs=opus" }];
    await postAccepted(
      smsFields({ messageSid, from: `whatsapp:${SENDER}`, to: `whatsapp:${TEST_TWILIO.from}`, body: "", media }),
    );

    const message = await nextInbound(audioQueue, messageSid);
    expect(message).toMatchObject({ from: SENDER, to: TEST_TWILIO.from, channel: messaging.Channel.CHANNEL_WHATSAPP });
  });

  it("when a picture arrives by MMS, then it is on the text queue", async () => {
    const messageSid = `MM${fakeMessageSid().slice(2)}`;
    await postAccepted(smsFields({ messageSid, media: [{ url: mediaUrl(messageSid), contentType: "image/jpeg" }] }));

    expect((await nextInbound(textQueue, messageSid)).channel).toBe(messaging.Channel.CHANNEL_MMS);
  });

  it("when the webhook URL carries a query string, then the signature covers it and the message is accepted", async () => {
    const fields = smsFields();
    await expect(post(`${SMS_PATH}?tenant=pi&x='y'`, fields)).resolves.toMatchObject({ status: 200, body: EMPTY_TWIML });
    await nextInbound(textQueue, fields.MessageSid ?? "");
  });
});

describe("refused webhooks", () => {
  it("when the signature is wrong, missing, for another URL or the body was tampered with, then 403 and nothing is published", async () => {
    const fields = smsFields();
    const tampered = { ...fields, Body: "delete everything" };
    const voiceNoteSid = fakeMessageSid();
    const voiceNote = smsFields({ messageSid: voiceNoteSid, media: [{ url: mediaUrl(voiceNoteSid), contentType: "audio/amr" }] });
    const forged = [
      post(SMS_PATH, fields, "bm90IGEgc2lnbmF0dXJl"),
      post(SMS_PATH, fields, ""),
      post(SMS_PATH, fields, signWebhook(TEST_TWILIO.authToken, `http://localhost:3000${SMS_PATH}`, fields)),
      post(SMS_PATH, fields, signWebhook("someone-elses-token", `${TEST_TWILIO.publicBaseUrl}${SMS_PATH}`, fields)),
      post(SMS_PATH, tampered, signWebhook(TEST_TWILIO.authToken, `${TEST_TWILIO.publicBaseUrl}${SMS_PATH}`, fields)),
      post(SMS_PATH, voiceNote, "bm90IGEgc2lnbmF0dXJl"),
      post(STATUS_PATH, { MessageSid: fields.MessageSid ?? "", MessageStatus: "delivered" }, "bm90IGEgc2lnbmF0dXJl"),
    ];
    const unsigned = fetch(`${baseUrl}${SMS_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    }).then(async (response) => ({ status: response.status, body: await response.text() }));

    for (const response of await Promise.all([...forged, unsigned]))
      expect(response).toMatchObject({ status: 403, body: "forbidden\n" });
    await expectOnlyValidMessagesFollow();
  });

  it("when a correctly signed webhook names another AccountSid, then 403 and nothing is published", async () => {
    const otherAccount = `AC${"f".repeat(32)}`;
    expect(await post(SMS_PATH, smsFields({ accountSid: otherAccount }))).toMatchObject({ status: 403 });
    const withoutAccount = smsFields();
    delete withoutAccount.AccountSid;
    expect(await post(SMS_PATH, withoutAccount)).toMatchObject({ status: 403 });
    await expectOnlyValidMessagesFollow();
  });

  it("when the body is not a urlencoded form, then 415 and nothing is published", async () => {
    const fields = smsFields();
    const send = (headers: Record<string, string>) =>
      fetch(`${baseUrl}${SMS_PATH}`, {
        method: "POST",
        headers: {
          "x-twilio-signature": signWebhook(TEST_TWILIO.authToken, `${TEST_TWILIO.publicBaseUrl}${SMS_PATH}`, fields),
          ...headers,
        },
        body: headers["content-type"] === "application/json" ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
      });
    expect((await send({ "content-type": "application/json" })).status).toBe(415);
    expect((await send({ "content-type": "text/plain" })).status).toBe(415);
    expect((await send({ "content-type": "application/x-www-form-urlencoded; charset=iso-8859-1" })).status).toBe(415);
    expect((await send({ "content-type": "application/x-www-form-urlencoded", "content-encoding": "gzip" })).status).toBe(415);
    await expectOnlyValidMessagesFollow();
  });

  it("when the body is larger than 64 KiB, declared or streamed, then 413 and nothing is published", async () => {
    const fields = smsFields({ body: "x".repeat(64 * 1024) });
    expect(await post(SMS_PATH, fields)).toMatchObject({ status: 413 });

    const form = new TextEncoder().encode(new URLSearchParams(fields).toString());
    const streamed = await fetch(`${baseUrl}${SMS_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "irrelevant" },
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          for (let offset = 0; offset < form.length; offset += 8 * 1024)
            controller.enqueue(form.subarray(offset, offset + 8 * 1024));
          controller.close();
        },
      }),
      duplex: "half",
    });
    expect(streamed.status).toBe(413);
    await expectOnlyValidMessagesFollow();
  });

  it("when signed fields are not what Twilio sends, then 400 with the reason and nothing is published", async () => {
    expect(await post(SMS_PATH, smsFields({ messageSid: "SM123" }))).toMatchObject({
      status: 400,
      body: "MessageSid is missing or malformed\n",
    });
    expect(await post(SMS_PATH, { ...smsFields(), NumMedia: "1" })).toMatchObject({
      status: 400,
      body: "MediaUrl0 is missing\n",
    });
    expect(await post(SMS_PATH, { ...smsFields(), NumMedia: "11" })).toMatchObject({ status: 400 });
    expect(await post(SMS_PATH, { ...smsFields(), From: "" })).toMatchObject({ status: 400, body: "From is missing\n" });
    expect(
      await post(STATUS_PATH, { MessageSid: fakeMessageSid(), AccountSid: TEST_TWILIO.accountSid, MessageStatus: "" }),
    ).toMatchObject({
      status: 400,
    });
    await expectOnlyValidMessagesFollow();
  });

  it("when the body is not valid UTF-8, then 400 and nothing is published", async () => {
    const response = await fetch(`${baseUrl}${SMS_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "irrelevant" },
      body: Buffer.from([0x42, 0x6f, 0x64, 0x79, 0x3d, 0xff, 0xfe, 0xfd]),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe("body is not valid UTF-8\n");
    await expectOnlyValidMessagesFollow();
  });

  it("when requests are aborted mid-body or malformed on the wire, then the service keeps answering", async () => {
    const aborted = net.connect(app.port(), "127.0.0.1");
    await once(aborted, "connect");
    aborted.write(
      `POST ${SMS_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: x\r\nContent-Length: 1000\r\n\r\nMessageSid=`,
    );
    aborted.destroy();

    const garbage = net.connect(app.port(), "127.0.0.1");
    garbage.end("THIS IS NOT HTTP\r\n\r\n");
    const [answer] = (await once(garbage, "data")) as [Buffer];
    expect(answer.toString("latin1")).toMatch(/^HTTP\/1\.1 400/);
    garbage.destroy();

    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
    await expectOnlyValidMessagesFollow();
  });
});

/** Sends a valid SMS and a valid voice note: each must be the first message its queue delivers. */
async function expectOnlyValidMessagesFollow(): Promise<void> {
  const text = smsFields();
  const voiceSid = fakeMessageSid();
  const voice = smsFields({ messageSid: voiceSid, media: [{ url: mediaUrl(voiceSid), contentType: "video/3gpp" }] });
  await postAccepted(text);
  await postAccepted(voice);
  await nextInbound(textQueue, text.MessageSid ?? "");
  await nextInbound(audioQueue, voiceSid);
  expect(statusQueue.unclaimed).toEqual([]);
}

describe("delivery status webhook", () => {
  it("when a signed status callback arrives, then 200 with an empty body and the DeliveryStatus is on the status queue", async () => {
    const messageSid = fakeMessageSid();
    const fields = {
      MessageSid: messageSid,
      AccountSid: TEST_TWILIO.accountSid,
      MessageStatus: "undelivered",
      ErrorCode: "30003",
      To: SENDER,
    };
    expect(await post(STATUS_PATH, fields)).toEqual({ status: 200, body: "", contentType: null });

    const delivery = await statusQueue.next();
    expect(delivery).toMatchObject({
      messageId: `${messageSid}:undelivered`,
      type: "messaging.v1.DeliveryStatus",
      correlationId: messageSid,
    });
    expect(messaging.DeliveryStatus.decode(delivery.body)).toMatchObject({
      messageSid,
      accountSid: TEST_TWILIO.accountSid,
      status: "undelivered",
      errorCode: "30003",
      to: SENDER,
    });
  });
});

describe("probes and routing", () => {
  it("when the process runs and RabbitMQ is connected, then /healthz and /readyz answer 200", async () => {
    const health = await fetch(`${baseUrl}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, "ok\n"]);
    expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
  });

  it("when /metrics is read, then it counts the answered webhooks and published messages", async () => {
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^ingress_http_requests_total\{route="sms",status="200"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^ingress_http_requests_total\{route="sms",status="403"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^ingress_messages_published_total\{routing_key="audio"\} [1-9]\d*$/m);
    expect(metrics).toContain("ingress_broker_connected 1");
  });

  it("when a path is unknown, then 404; when the method is wrong, then 405 naming the allowed one", async () => {
    expect((await fetch(`${baseUrl}/webhooks/twilio/voice`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${baseUrl}${SMS_PATH}/`, { method: "POST" })).status).toBe(404);
    const wrongMethod = await fetch(`${baseUrl}${SMS_PATH}`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect((await fetch(`${baseUrl}/healthz`, { method: "DELETE" })).status).toBe(405);
  });

  it("when webhooks were handled, then no log line shows the sender's number or a message body", () => {
    const text = logs.lines.join("\n");
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(text).toContain("webhook refused");
    expect(text).not.toContain(SENDER.slice(1));
    expect(text).not.toContain(SECRET_BODY);
    expect(text).not.toContain(TEST_TWILIO.authToken);
  });
});

describe("without RabbitMQ", () => {
  it("when the broker connection is gone and the spool is unreachable too, then /readyz answers 503 and webhooks 503 without an answer to Twilio", async () => {
    const postgres = new URL(testInfrastructure.postgresUrl);
    // Postgres behind a proxy that is gone: connections to the spool are refused.
    const unreachable = new TcpProxy({ host: postgres.hostname, port: Number(postgres.port || 5432) });
    await unreachable.start();
    await unreachable.stop();
    const spoolUrl = new URL(spool.url);
    spoolUrl.hostname = "127.0.0.1";
    spoolUrl.port = String(unreachable.port);
    const otherConfig = loadIngressConfig({ ...configEnv(), SPOOL_DATABASE_URL: spoolUrl.toString() });
    const broker = new AmqpBroker({ url: testInfrastructure.amqpUrl, topology, logger: logs.logger, publishTimeoutMs: 500 });
    const other = composeIngress(otherConfig, { logger: logs.logger, broker });
    await other.start();
    try {
      await broker.close();
      const otherUrl = `http://127.0.0.1:${other.port()}`;
      expect((await fetch(`${otherUrl}/readyz`)).status).toBe(503);
      const fields = smsFields();
      const response = await postSignedWebhook({
        baseUrl: otherUrl,
        publicBaseUrl: TEST_TWILIO.publicBaseUrl,
        path: SMS_PATH,
        authToken: TEST_TWILIO.authToken,
        fields,
      });
      expect(response).toMatchObject({ status: 503, body: "service unavailable\n" });
      expect(logs.lines.some((line) => line.includes("request failed") && line.includes(fields.MessageSid ?? "-"))).toBe(true);
    } finally {
      await other.stop();
    }
    await expectOnlyValidMessagesFollow();
  });

  it("when TWILIO_AUTH_TOKEN is not configured, then a warning is logged at start and every webhook gets 403", async () => {
    const captured = captureLogs("ingress-unsigned", "info");
    const unsignedConfig = loadIngressConfig({
      INGRESS_PORT: "0",
      AMQP_URL: testInfrastructure.amqpUrl,
      SPOOL_DATABASE_URL: spool.url,
      REDIS_URL: testInfrastructure.redisUrl,
    });
    const broker = new AmqpBroker({ url: testInfrastructure.amqpUrl, topology, logger: captured.logger });
    const other = composeIngress(unsignedConfig, { logger: captured.logger, broker });
    await other.start();
    try {
      const fields = smsFields();
      const response = await postSignedWebhook({
        baseUrl: `http://127.0.0.1:${other.port()}`,
        publicBaseUrl: unsignedConfig.PUBLIC_BASE_URL,
        path: SMS_PATH,
        authToken: TEST_TWILIO.authToken,
        fields,
      });
      expect(response.status).toBe(403);
    } finally {
      await other.stop();
    }
    expect(captured.lines.filter((line) => line.includes("TWILIO_AUTH_TOKEN is not set"))).toHaveLength(1);
    await expectOnlyValidMessagesFollow();
  });
});

describe("shutdown", () => {
  it("when stop is called during a request, then that request is still answered and published, and new ones are refused", async () => {
    const fields = smsFields();
    const form = new URLSearchParams(fields).toString();
    const request = http.request({
      host: "127.0.0.1",
      port: app.port(),
      method: "POST",
      path: SMS_PATH,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "content-length": Buffer.byteLength(form),
        "x-twilio-signature": signWebhook(TEST_TWILIO.authToken, `${TEST_TWILIO.publicBaseUrl}${SMS_PATH}`, fields),
        // The 100 Continue tells the test that the server has taken the request before the body is sent.
        expect: "100-continue",
      },
    });
    request.flushHeaders();
    await once(request, "continue");

    const stopped = app.stop();
    request.end(form);
    const [response] = (await once(request, "response")) as [http.IncomingMessage];
    let body = "";
    for await (const chunk of response) body += String(chunk);
    expect([response.statusCode, body]).toEqual([200, EMPTY_TWIML]);
    await stopped;

    await nextInbound(textQueue, fields.MessageSid ?? "");
    await expect(fetch(`${baseUrl}/healthz`)).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });
  });
});
