import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import amqplib from "amqplib";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messaging, todo } from "@sms-todo/contracts";
import { AmqpBroker, deadLetterQueueOf, type App, type Topology } from "@sms-todo/shared";
import {
  AUDIO_FIXTURE_KINDS,
  captureLogs,
  createAudioFixtures,
  createTestDatabases,
  createTestTopology,
  fakeMessageSid,
  TEST_TWILIO,
  testInfrastructure,
  todoDomainTestEnv,
  TwilioStandIn,
  undecodableAudio,
  WhisperStandIn,
  type AudioFixtures,
  type TestDatabases,
  type TestTopology,
} from "@sms-todo/testkit";
import { composeTodoDomain, loadTodoDomainConfig, migrateDatabases, type TodoDomainApp } from "@sms-todo/todo-domain";
import { loadTranscribeConfig } from "../src/transcribe.config.js";
import { composeTranscribe } from "../src/transcribe.composition.js";
import { VOICE_NOTE_REPLIES } from "../src/voice-notes/voice-note.phrases.js";

type Outcome = NonNullable<todo.Outcome["kind"]>;

/** Counts every TCP connection made to it; nothing may ever connect. */
async function startAttacker(): Promise<{ port: number; connections: () => number; stop: () => Promise<void> }> {
  let connections = 0;
  const server = http.createServer((_request, response) => response.writeHead(200, { "content-type": "audio/ogg" }).end("OggS"));
  server.on("connection", () => (connections += 1));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("transcribe with RabbitMQ, the real todo-domain, and Twilio and whisper stand-ins", () => {
  let databases: TestDatabases;
  let topo: TestTopology;
  // Two retries after the first attempt, with short delays, so the retry test takes a third of a second of back-off.
  let topology: Topology;
  let domain: TodoDomainApp;
  let transcribe: App;
  let fixtures: AudioFixtures;
  let connection: amqplib.ChannelModel;
  let channel: amqplib.ConfirmChannel;
  let transcriptions: pg.Client;
  let attacker: Awaited<ReturnType<typeof startAttacker>>;
  const twilio = new TwilioStandIn({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });
  const whisper = new WhisperStandIn();
  const connects: Array<{ address: string; port: number }> = [];
  const replies: messaging.ReplyRequested[] = [];
  const deadLetters: string[] = [];
  let wake: () => void = () => undefined;

  const until = async <T>(find: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };
  const replyTo = (messageSid: string) =>
    until(() => replies.find((reply) => reply.messageId === messageSid), `the reply to ${messageSid}`);
  const outcomeOf = async (messageSid: string): Promise<Outcome> => (await replyTo(messageSid)).outcome!.kind!;

  const publishVoiceNote = async (options: {
    from: string;
    media: Array<{ url: string; contentType: string }>;
    messageSid?: string;
  }) => {
    const messageSid = options.messageSid ?? fakeMessageSid();
    const payload = messaging.InboundMessage.encode(
      messaging.InboundMessage.fromPartial({
        messageSid,
        accountSid: TEST_TWILIO.accountSid,
        from: options.from,
        to: TEST_TWILIO.from,
        media: options.media,
        channel: messaging.Channel.CHANNEL_MMS,
      }),
    ).finish();
    channel.publish(topology.exchanges.inbound, topology.routingKeys.audio, Buffer.from(payload), {
      persistent: true,
      messageId: messageSid,
    });
    await channel.waitForConfirms();
    return messageSid;
  };

  beforeAll(async () => {
    fixtures = await createAudioFixtures();
    databases = await createTestDatabases("transcribe");
    await migrateDatabases(databases);
    topo = createTestTopology("transcribe", { deliveryLimit: 2, retryDelaysMs: [100, 200] });
    topology = topo.topology;
    await twilio.start();
    await whisper.start();
    attacker = await startAttacker();
    const { logger } = captureLogs("transcribe-int");
    // The test's topology has fewer attempts and a shorter back-off than the namespace alone would give.
    domain = composeTodoDomain(loadTodoDomainConfig(todoDomainTestEnv(databases, topo.namespace)), {
      logger,
      broker: new AmqpBroker({ url: testInfrastructure.amqpUrl, topology, logger }),
    });
    await domain.start();
    const config = loadTranscribeConfig({
      TODO_GRPC_ADDR: `127.0.0.1:${domain.grpcPort()}`,
      METRICS_PORT: "0",
      TWILIO_API_BASE_URL: twilio.baseUrl,
      TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
      TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
      WHISPER_URL: whisper.whisperUrl,
    });
    transcribe = composeTranscribe(config, {
      logger,
      broker: new AmqpBroker({ url: testInfrastructure.amqpUrl, topology, logger }),
      media: { onConnect: (socket) => connects.push(socket) },
      // The breaker is proven in whisper.transcriber.int.test.ts; here it must not outlive the outage test.
      whisper: { volumeThreshold: 1_000 },
    });
    await transcribe.start();

    connection = await amqplib.connect(testInfrastructure.amqpUrl);
    channel = await connection.createConfirmChannel();
    await channel.consume(topology.queues.replies, (message) => {
      if (!message) return;
      replies.push(messaging.ReplyRequested.decode(message.content));
      channel.ack(message);
      wake();
    });
    await channel.consume(deadLetterQueueOf(topology.queues.audio), (message) => {
      if (!message) return;
      deadLetters.push(String(message.properties.messageId));
      channel.ack(message);
      wake();
    });
    transcriptions = new pg.Client({ connectionString: databases.transcription });
    await transcriptions.connect();
  });

  afterAll(async () => {
    await transcriptions?.end();
    await channel?.close();
    await connection?.close();
    await transcribe?.stop();
    await domain?.stop();
    await attacker?.stop();
    await whisper.stop();
    await twilio.stop();
    await topo?.remove();
    await databases?.drop();
    await fixtures?.dispose();
  });

  it("when a voice note arrives in each container phones send, then each becomes todos with a Heard reply and its media is deleted", async () => {
    const sent = await Promise.all(
      AUDIO_FIXTURE_KINDS.map(async (kind, index) => {
        const fixture = fixtures.get(kind);
        const from = `+1555444${String(index).padStart(4, "0")}`;
        const sid = fakeMessageSid();
        const url = twilio.addMedia(sid, fixture.contentType, fixture.body);
        whisper.setTranscript(fixture.body, ` Buy milk and call mom. Also water plant ${kind}.`);
        await publishVoiceNote({ from, media: [{ url, contentType: fixture.contentType }], messageSid: sid });
        return { kind, sid, url, from };
      }),
    );
    for (const { kind, sid, url, from } of sent) {
      const reply = await replyTo(sid);
      expect(reply.phoneNumber).toBe(from);
      expect(reply.outcome?.kind).toMatchObject({
        $case: "added",
        value: {
          todos: [
            { number: 1, text: "buy milk" },
            { number: 2, text: "call mom" },
            { number: 3, text: `water plant ${kind}` },
          ],
          heard: `Buy milk and call mom. Also water plant ${kind}.`,
        },
      });
      await expect.poll(() => twilio.hasMedia(url)).toBe(false);
      const stored = await transcriptions.query(
        "select text, media_url, content_type, size_bytes from transcripts where message_id = $1",
        [sid],
      );
      expect(stored.rows).toEqual([
        {
          text: `Buy milk and call mom. Also water plant ${kind}.`,
          media_url: url,
          content_type: fixtures.get(kind).contentType,
          size_bytes: fixtures.get(kind).body.length,
        },
      ]);
    }
    // Each note was decoded by the whisper stand-in, and the ones with a readable duration got a small audio_ctx.
    const requests = whisper.requests.filter((request) => request.decoded);
    expect(requests.length).toBeGreaterThanOrEqual(AUDIO_FIXTURE_KINDS.length);
    expect(requests.filter((request) => Number(request.fields.audio_ctx) > 0).length).toBeGreaterThanOrEqual(
      AUDIO_FIXTURE_KINDS.length - 1,
    );
  });

  it('when a voice note says "complete number one", then it goes through the command parser and completes #1', async () => {
    const from = "+15554449001";
    const first = fixtures.get("m4a-aac");
    whisper.setTranscript(first.body, " Buy bread.");
    const sid1 = fakeMessageSid();
    const url1 = twilio.addMedia(sid1, first.contentType, first.body);
    await publishVoiceNote({ from, media: [{ url: url1, contentType: first.contentType }], messageSid: sid1 });
    expect(await outcomeOf(sid1)).toMatchObject({ $case: "added", value: { todos: [{ number: 1, text: "buy bread" }] } });

    const command = fixtures.get("ogg-opus");
    whisper.setTranscript(command.body, " Complete number one.");
    const sid2 = fakeMessageSid();
    const url2 = twilio.addMedia(sid2, command.contentType, command.body);
    await publishVoiceNote({ from, media: [{ url: url2, contentType: command.contentType }], messageSid: sid2 });
    expect(await outcomeOf(sid2)).toMatchObject({ $case: "completed", value: { todos: [{ number: 1, text: "buy bread" }] } });
    await expect.poll(() => twilio.hasMedia(url2)).toBe(false);
  });

  it("when the audio cannot be decoded, then the user gets one clear reply and whisper is asked once", async () => {
    const sid = fakeMessageSid();
    const url = twilio.addMedia(sid, "audio/amr", undecodableAudio());
    const before = whisper.requests.length;
    await publishVoiceNote({ from: "+15554449002", media: [{ url, contentType: "audio/amr" }], messageSid: sid });
    expect(await outcomeOf(sid)).toEqual({ $case: "rejected", value: { reason: VOICE_NOTE_REPLIES.undecodable } });
    // A later message is handled after it: by then any retry of the bad one would have reached whisper.
    const later = fakeMessageSid();
    const wav = fixtures.get("wav");
    await publishVoiceNote({
      from: "+15554449002",
      media: [{ url: twilio.addMedia(later, "audio/wav", wav.body), contentType: "audio/wav" }],
      messageSid: later,
    });
    await replyTo(later);
    expect(whisper.requests.slice(before).filter((request) => !request.decoded)).toHaveLength(1);
    expect(replies.filter((reply) => reply.messageId === sid)).toHaveLength(1);
    expect(deadLetters).not.toContain(sid);
  });

  it("when whisper is down, then the note is retried with back-off, dead-lettered, and the user asked once to text instead", async () => {
    const sid = fakeMessageSid();
    const wav = fixtures.get("wav");
    const url = twilio.addMedia(sid, "audio/wav", wav.body);
    const before = whisper.requests.length;
    whisper.failAll({ kind: "status", status: 503, body: JSON.stringify({ error: "loading model" }) });
    try {
      await publishVoiceNote({ from: "+15554449003", media: [{ url, contentType: "audio/wav" }], messageSid: sid });
      await until(() => (deadLetters.includes(sid) ? true : undefined), "the dead-lettered voice note");
    } finally {
      whisper.recover();
    }
    expect(await outcomeOf(sid)).toEqual({ $case: "rejected", value: { reason: VOICE_NOTE_REPLIES.textInstead } });
    expect(replies.filter((reply) => reply.messageId === sid)).toHaveLength(1);
    // The first delivery and one per allowed redelivery reached whisper; the media stays for reprocessing.
    expect(whisper.requests.length - before).toBe(topology.deliveryLimit + 1);
    expect(twilio.hasMedia(url)).toBe(true);
  });

  it("when the same voice note is delivered three times, then it is recorded and answered once", async () => {
    const from = "+15554449004";
    const sid = fakeMessageSid();
    const mp3 = fixtures.get("mp3");
    whisper.setTranscript(mp3.body, " Pay the rent.");
    const url = twilio.addMedia(sid, mp3.contentType, mp3.body);
    await publishVoiceNote({ from, media: [{ url, contentType: mp3.contentType }], messageSid: sid });
    await replyTo(sid);
    // Later copies find the media deleted; the reply they would send is the first one's, so no second reply goes out.
    for (let copy = 0; copy < 2; copy += 1)
      await publishVoiceNote({ from, media: [{ url, contentType: mp3.contentType }], messageSid: sid });
    const marker = fakeMessageSid();
    await publishVoiceNote({
      from,
      media: [{ url: twilio.addMedia(marker, mp3.contentType, mp3.body), contentType: mp3.contentType }],
      messageSid: marker,
    });
    await replyTo(marker);
    expect(replies.filter((reply) => reply.messageId === sid)).toHaveLength(1);
    const stored = await transcriptions.query("select count(*)::int as count from transcripts where message_id = $1", [sid]);
    expect(stored.rows[0]).toEqual({ count: 1 });
  });

  describe("hostile media", () => {
    const from = "+15554449005";
    const mediaPath = (sid: string) => `/2010-04-01/Accounts/${TEST_TWILIO.accountSid}/Messages/${sid}/Media/ME${"b".repeat(32)}`;

    it.each([
      [
        "on another loopback port",
        (sid: string) => ({ url: `http://127.0.0.1:${attacker.port}${mediaPath(sid)}`, reply: "cannotFetch" }),
      ],
      [
        "on localhost at another port",
        (sid: string) => ({ url: `http://localhost:${attacker.port}${mediaPath(sid)}`, reply: "cannotFetch" }),
      ],
      [
        "on another host",
        (sid: string) => ({ url: `http://attacker.example.test:${attacker.port}${mediaPath(sid)}`, reply: "cannotFetch" }),
      ],
      [
        "redirected by Twilio to another port",
        (sid: string) => ({
          url: twilio.addMediaAnswer(sid, { kind: "redirect", location: `http://127.0.0.1:${attacker.port}${mediaPath(sid)}` }),
          reply: "cannotFetch",
        }),
      ],
      [
        "larger than 5 MB",
        (sid: string) => ({
          url: twilio.addMediaAnswer(sid, {
            kind: "file",
            contentType: "audio/ogg",
            body: Buffer.alloc(6 * 1024 * 1024),
            contentLength: "omitted",
          }),
          reply: "tooLarge",
        }),
      ],
      [
        "served as a web page",
        (sid: string) => ({ url: twilio.addMedia(sid, "text/html", Buffer.from("<html>")), reply: "notAudio" }),
      ],
    ] as const)("when the media is %s, then it is refused before whisper and the user is told", async (_name, make) => {
      const sid = fakeMessageSid();
      const { url, reply } = make(sid) as { url: string; reply: keyof typeof VOICE_NOTE_REPLIES };
      const whisperBefore = whisper.requests.length;
      await publishVoiceNote({ from, media: [{ url, contentType: "audio/ogg" }], messageSid: sid });
      expect(await outcomeOf(sid)).toEqual({ $case: "rejected", value: { reason: VOICE_NOTE_REPLIES[reply] } });
      expect(whisper.requests.length).toBe(whisperBefore);
      expect(attacker.connections()).toBe(0);
      expect(connects.every((socket) => socket.port === Number(new URL(twilio.baseUrl).port))).toBe(true);
    });
  });
});
