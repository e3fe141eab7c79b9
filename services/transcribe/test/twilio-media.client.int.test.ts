import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@sms-todo/shared";
import { fakeMessageSid, TEST_TWILIO, TwilioStandIn } from "@sms-todo/testkit";
import { createTwilioMediaClient, type ResolvedAddress, type TwilioMediaClient } from "../src/media/twilio-media.client.js";

const MB = 1024 * 1024;
const OGG = Buffer.concat([Buffer.from("OggS"), Buffer.alloc(2000, 7)]);

/** A server nobody should ever reach: it counts every TCP connection made to it. */
class AttackerServer {
  connections = 0;
  requests = 0;
  readonly server = http.createServer((_request, response) => {
    this.requests += 1;
    response.writeHead(200, { "content-type": "audio/ogg" }).end(OGG);
  });
  port = 0;

  async start(): Promise<void> {
    this.server.on("connection", () => (this.connections += 1));
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe("Twilio media client against hostile media", () => {
  const twilio = new TwilioStandIn({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });
  const attacker = new AttackerServer();
  let twilioPort = 0;
  let connects: Array<{ address: string; port: number }> = [];
  let lookups: string[] = [];
  let client: TwilioMediaClient;

  const clientFor = (apiBaseUrl: string, resolve?: (hostname: string) => Promise<ResolvedAddress[]>, timeoutMs?: number) =>
    createTwilioMediaClient({
      apiBaseUrl,
      accountSid: TEST_TWILIO.accountSid,
      authToken: TEST_TWILIO.authToken,
      onConnect: (connection) => connects.push(connection),
      resolve: async (hostname) => {
        lookups.push(hostname);
        return resolve ? resolve(hostname) : [{ address: "127.0.0.1", family: 4 }];
      },
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });

  const mediaPath = (messageSid: string, mediaSid = `ME${"a".repeat(32)}`) =>
    `/2010-04-01/Accounts/${TEST_TWILIO.accountSid}/Messages/${messageSid}/Media/${mediaSid}`;

  beforeAll(async () => {
    await twilio.start();
    twilioPort = Number(new URL(twilio.baseUrl).port);
    await attacker.start();
    client = clientFor(twilio.baseUrl);
  });

  afterEach(() => {
    // Every test ends with nothing connected off the allow-list: the attacker saw no connection at all,
    // and every socket the client opened went to the Twilio stand-in.
    expect(attacker.connections).toBe(0);
    expect(connects.every((connection) => connection.port === twilioPort)).toBe(true);
    connects = [];
    lookups = [];
  });

  afterAll(async () => {
    await attacker.stop();
    await twilio.stop();
  });

  it("when the media URL is Twilio media of this message, then it is downloaded with the account's credentials", async () => {
    const sid = fakeMessageSid();
    const url = twilio.addMedia(sid, "audio/ogg", OGG);
    const result = await client.download(url, "audio/ogg", sid);
    expect(result).toMatchObject({ ok: true, contentType: "audio/ogg" });
    expect(result.ok && result.body.equals(OGG)).toBe(true);
    expect(twilio.mediaRequests.filter((request) => request.path === new URL(url).pathname)).toEqual([
      { method: "GET", path: new URL(url).pathname, authorized: true },
    ]);
    expect(connects).toHaveLength(1);
  });

  describe("refused before any connection", () => {
    const hostile: ReadonlyArray<[name: string, url: (sid: string) => string]> = [
      ["another host", (sid) => `http://evil.example.test:${attacker.port}${mediaPath(sid)}`],
      ["the loopback address on another port", (sid) => `http://127.0.0.1:${attacker.port}${mediaPath(sid)}`],
      ["localhost on another port", (sid) => `http://localhost:${attacker.port}${mediaPath(sid)}`],
      ["another loopback address", (sid) => `http://127.0.0.2:${twilioPort}${mediaPath(sid)}`],
      ["an IPv4-mapped IPv6 loopback literal", (sid) => `http://[::ffff:127.0.0.1]:${attacker.port}${mediaPath(sid)}`],
      ["the unspecified address", (sid) => `http://0.0.0.0:${attacker.port}${mediaPath(sid)}`],
      ["https instead of the configured http", (sid) => `https://127.0.0.1:${twilioPort}${mediaPath(sid)}`],
      ["credentials in the URL", (sid) => `http://user:pass@127.0.0.1:${twilioPort}${mediaPath(sid)}`],
      [
        "another account's media",
        (sid) => `http://127.0.0.1:${twilioPort}${mediaPath(sid).replace(TEST_TWILIO.accountSid, `AC${"f".repeat(32)}`)}`,
      ],
      ["another message's media", () => `http://127.0.0.1:${twilioPort}${mediaPath(fakeMessageSid())}`],
      [
        "a path outside the media",
        () => `http://127.0.0.1:${twilioPort}/2010-04-01/Accounts/${TEST_TWILIO.accountSid}/Messages.json`,
      ],
      [
        "a path that climbs out of the media",
        (sid) => `http://127.0.0.1:${twilioPort}${mediaPath(sid)}/../../../../Messages.json`,
      ],
      ["a query string", (sid) => `http://127.0.0.1:${twilioPort}${mediaPath(sid)}?To=x`],
      ["no URL at all", () => "not a url"],
    ];

    it.each(hostile)("when the media URL is %s, then it is refused and nothing is connected or looked up", async (_name, url) => {
      const sid = fakeMessageSid();
      const before = twilio.mediaRequests.length;
      const result = await client.download(url(sid), "audio/ogg", sid);
      expect(result).toMatchObject({ ok: false, refusal: "not-allowed" });
      expect(connects).toEqual([]);
      expect(lookups).toEqual([]);
      expect(twilio.mediaRequests.length).toBe(before);
    });

    it("when the declared type is not audio, then nothing is fetched", async () => {
      const sid = fakeMessageSid();
      const url = twilio.addMedia(sid, "image/jpeg", Buffer.from("jpeg"));
      const before = twilio.mediaRequests.length;
      expect(await client.download(url, "image/jpeg", sid)).toMatchObject({ ok: false, refusal: "not-audio" });
      expect(twilio.mediaRequests.length).toBe(before);
      expect(connects).toEqual([]);
    });
  });

  // Only addresses of this machine appear here, so that even a broken policy could reach nothing but the attacker;
  // private, link-local, CGNAT, unique-local and multicast ranges are classified in network-address.policy.unit.test.ts.
  describe("when the Twilio host name resolves to an address that is not public", () => {
    const addresses: ReadonlyArray<[name: string, answer: ResolvedAddress[]]> = [
      ["loopback (where the attacker listens)", [{ address: "127.0.0.1", family: 4 }]],
      ["another loopback address", [{ address: "127.0.0.53", family: 4 }]],
      ["IPv6 loopback", [{ address: "::1", family: 6 }]],
      ["IPv4-mapped IPv6 loopback", [{ address: "::ffff:127.0.0.1", family: 6 }]],
      ["IPv4-mapped IPv6 loopback in hex", [{ address: "::ffff:7f00:1", family: 6 }]],
      ["the unspecified address", [{ address: "0.0.0.0", family: 4 }]],
      ["the IPv6 unspecified address", [{ address: "::", family: 6 }]],
      ["nothing", []],
    ];

    it.each(addresses)("when it is %s, then the lookup refuses it and no socket connects", async (_name, answer) => {
      // The allowed host is a name (not a loopback literal), on the port the attacker listens on.
      const named = clientFor(`http://media.twilio.test:${attacker.port}`, async () => answer);
      const sid = fakeMessageSid();
      const url = `http://media.twilio.test:${attacker.port}${mediaPath(sid)}`;
      expect(await named.download(url, "audio/ogg", sid)).toMatchObject({ ok: false, refusal: "not-allowed" });
      expect(lookups).toEqual(["media.twilio.test"]);
      expect(connects).toEqual([]);
    });
  });

  describe("redirects", () => {
    it("when Twilio redirects to another port of the loopback address, then the redirect is refused unfetched", async () => {
      const sid = fakeMessageSid();
      const url = twilio.addMediaAnswer(sid, {
        kind: "redirect",
        location: `http://127.0.0.1:${attacker.port}${mediaPath(sid)}`,
      });
      expect(await client.download(url, "audio/ogg", sid)).toMatchObject({ ok: false, refusal: "not-allowed" });
      expect(connects).toHaveLength(1);
    });

    it("when Twilio redirects to another host (a CDN), then the redirect is refused unfetched", async () => {
      const sid = fakeMessageSid();
      const url = twilio.addMediaAnswer(sid, {
        kind: "redirect",
        location: "https://media.cdn.example.test/file.ogg",
        status: 302,
      });
      expect(await client.download(url, "audio/ogg", sid)).toMatchObject({ ok: false, refusal: "not-allowed" });
      expect(lookups).toEqual([]);
    });

    it("when Twilio redirects to another account's path on its own host, then the redirect is refused", async () => {
      const sid = fakeMessageSid();
      const other = mediaPath(sid).replace(TEST_TWILIO.accountSid, `AC${"e".repeat(32)}`);
      const url = twilio.addMediaAnswer(sid, { kind: "redirect", location: other });
      expect(await client.download(url, "audio/ogg", sid)).toMatchObject({ ok: false, refusal: "not-allowed" });
    });

    it("when Twilio redirects to another media item of the same message, then it is followed with credentials", async () => {
      const sid = fakeMessageSid();
      const target = twilio.addMedia(sid, "audio/ogg", OGG);
      const url = twilio.addMediaAnswer(sid, { kind: "redirect", location: new URL(target).pathname });
      expect(await client.download(url, "audio/ogg", sid)).toMatchObject({ ok: true, url: target });
      const hops = twilio.mediaRequests.filter((request) =>
        [url, target].some((each) => new URL(each).pathname === request.path),
      );
      expect(hops).toEqual([
        { method: "GET", path: new URL(url).pathname, authorized: true },
        { method: "GET", path: new URL(target).pathname, authorized: true },
      ]);
    });

    it("when redirects go on for more than three hops, then the download is refused", async () => {
      const sid = fakeMessageSid();
      let url = twilio.addMedia(sid, "audio/ogg", OGG);
      for (let hop = 0; hop < 4; hop += 1) url = twilio.addMediaAnswer(sid, { kind: "redirect", location: url });
      expect(await client.download(url, "audio/ogg", sid)).toMatchObject({ ok: false, refusal: "not-allowed" });
      expect(connects).toHaveLength(4);
    });
  });

  describe("bodies", () => {
    it("when Content-Length says more than 5 MB, then the body is not read", async () => {
      const sid = fakeMessageSid();
      const url = twilio.addMediaAnswer(sid, { kind: "file", contentType: "audio/ogg", body: Buffer.alloc(6 * MB) });
      expect(await client.download(url, "audio/ogg", sid)).toMatchObject({ ok: false, refusal: "too-large" });
    });

    it("when there is no Content-Length and more than 5 MB arrive, then reading stops at the cap", async () => {
      const sid = fakeMessageSid();
      const url = twilio.addMediaAnswer(sid, {
        kind: "file",
        contentType: "audio/ogg",
        body: Buffer.alloc(8 * MB),
        contentLength: "omitted",
      });
      expect(await client.download(url, "audio/ogg", sid)).toMatchObject({ ok: false, refusal: "too-large" });
    });

    it("when exactly 5 MB arrive without Content-Length, then they are accepted", async () => {
      const sid = fakeMessageSid();
      const body = Buffer.alloc(5 * MB, 1);
      const url = twilio.addMediaAnswer(sid, { kind: "file", contentType: "audio/ogg", body, contentLength: "omitted" });
      const result = await client.download(url, "audio/ogg", sid);
      expect(result.ok && result.body.length).toBe(5 * MB);
    });

    it("when Twilio serves the media as something other than audio, then it is refused", async () => {
      const sid = fakeMessageSid();
      const url = twilio.addMedia(sid, "text/html; charset=utf-8", Buffer.from("<html>"));
      expect(await client.download(url, "audio/ogg", sid)).toMatchObject({ ok: false, refusal: "not-audio" });
    });

    it("when Twilio no longer has the media, then it is not-found", async () => {
      const sid = fakeMessageSid();
      const url = twilio.addMediaAnswer(sid, { kind: "status", status: 404 });
      expect(await client.download(url, "audio/ogg", sid)).toMatchObject({ ok: false, refusal: "not-found" });
    });

    it("when Twilio fails with a 5xx, then the download throws UNAVAILABLE to be retried", async () => {
      const sid = fakeMessageSid();
      const url = twilio.addMediaAnswer(sid, { kind: "status", status: 503 });
      await expect(client.download(url, "audio/ogg", sid)).rejects.toMatchObject({ code: "UNAVAILABLE" });
    });

    it("when Twilio never answers, then the download gives up at its deadline with DEADLINE_EXCEEDED", async () => {
      const sid = fakeMessageSid();
      const url = twilio.addMediaAnswer(sid, { kind: "hang" });
      const error = await clientFor(twilio.baseUrl, undefined, 200)
        .download(url, "audio/ogg", sid)
        .catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "DEADLINE_EXCEEDED" });
    });
  });

  it("when a downloaded media item is removed, then Twilio gets an authenticated DELETE of its .json resource", async () => {
    const sid = fakeMessageSid();
    const url = twilio.addMedia(sid, "audio/ogg", OGG);
    expect(await client.remove(url, sid)).toBe(true);
    expect(twilio.hasMedia(url)).toBe(false);
    expect(twilio.mediaRequests.at(-1)).toEqual({ method: "DELETE", path: `${new URL(url).pathname}.json`, authorized: true });
  });

  it("when asked to remove a URL that is not this message's media, then nothing is sent", async () => {
    const sid = fakeMessageSid();
    expect(await client.remove(`http://127.0.0.1:${attacker.port}${mediaPath(sid)}`, sid)).toBe(false);
    expect(connects).toEqual([]);
  });
});
