import { EventEmitter } from "node:events";
import http from "node:http";
import { auditPhoneNumber } from "./log-audit.js";
import { StandInServer } from "./stand-in.server.js";
import { randomBytes } from "node:crypto";

/** An SMS the stand-in accepted at Messages.json, as Twilio would have sent it. */
export interface SentSms {
  sid: string;
  accountSid: string;
  to: string;
  from: string | undefined;
  messagingServiceSid: string | undefined;
  body: string;
  statusCallback: string | undefined;
  receivedAt: number;
}

/**
 * How a media URL answers GET: the file (with an honest, a false or no Content-Length), a
 * redirect, a bare status, or a connection that never answers. For media download tests.
 */
export type MediaAnswer =
  | { kind: "file"; contentType: string; body: Buffer; contentLength?: "exact" | "omitted" | number }
  | { kind: "redirect"; location: string; status?: 301 | 302 | 303 | 307 | 308 }
  | { kind: "status"; status: number }
  | { kind: "hang" };

/** One request to a media URL, as the stand-in saw it. */
export interface MediaRequest {
  method: string;
  path: string;
  /** Whether the account's Basic credentials came with it. */
  authorized: boolean;
}

/**
 * What the next Messages.json requests answer instead of 201, for failure tests. "hang" never
 * answers and creates nothing; "create-then-hang" and "create-then-drop" create the message (it
 * is recorded and listed) and then never answer, or close the connection without an answer.
 * `retryAfter` is sent as the Retry-After header.
 */
export type ProgrammedAnswer =
  | { kind: "status"; status: number; code: number; message: string; retryAfter?: string }
  | { kind: "hang" }
  | { kind: "create-then-hang" }
  | { kind: "create-then-drop" };

/** One POST to Messages.json, whatever it was answered. */
export interface MessageRequest {
  to: string | undefined;
  receivedAt: number;
}

export interface TwilioStandInOptions {
  accountSid: string;
  authToken: string;
  port?: number;
  host?: string;
}

/**
 * A local server speaking Twilio's REST protocol for what sms-todo uses: sending
 * messages (form POST to /2010-04-01/Accounts/{sid}/Messages.json with Basic auth),
 * serving media, and deleting media. It records every accepted SMS.
 */
export class TwilioStandIn {
  readonly sent: SentSms[] = [];
  /** Every request to a media path (served, deleted or unknown), in order. */
  readonly mediaRequests: MediaRequest[] = [];
  /** Every authenticated POST to Messages.json (accepted, refused or left unanswered), in order. */
  readonly messageRequests: MessageRequest[] = [];
  /** The query of every GET of the message list, in order. */
  readonly listRequests: URLSearchParams[] = [];
  private readonly events = new EventEmitter();
  private readonly media = new Map<string, MediaAnswer>();
  private readonly programmed: ProgrammedAnswer[] = [];
  private outageAnswer: ProgrammedAnswer | undefined;
  private readonly server: StandInServer;
  private readonly hanging: Set<http.ServerResponse>;
  private url = "";

  constructor(private readonly options: TwilioStandInOptions) {
    this.events.setMaxListeners(0);
    const server = http.createServer((request, response) => {
      this.route(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
      });
    });
    this.server = new StandInServer(server);
    this.hanging = this.server.hanging;
  }

  /** Origin to use as TWILIO_API_BASE_URL. */
  get baseUrl(): string {
    return this.url;
  }

  async start(): Promise<string> {
    this.url = await this.server.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1");
    return this.url;
  }

  async stop(): Promise<void> {
    await this.server.close();
  }

  /** Makes the next Messages.json requests answer as programmed, in order. */
  program(...answers: ProgrammedAnswer[]): void {
    this.programmed.push(...answers);
  }

  /** Until called again without an answer, every Messages.json request not programmed otherwise answers so. */
  outage(answer?: ProgrammedAnswer): void {
    this.outageAnswer = answer;
  }

  /** Serves `body` at the media URL of a message; returns that URL. */
  addMedia(messageSid: string, contentType: string, body: Buffer): string {
    return this.addMediaAnswer(messageSid, { kind: "file", contentType, body });
  }

  /** Answers GET of a new media URL of the message as given; returns that URL. */
  addMediaAnswer(messageSid: string, answer: MediaAnswer): string {
    const mediaSid = `ME${randomBytes(16).toString("hex")}`;
    const path = `/2010-04-01/Accounts/${this.options.accountSid}/Messages/${messageSid}/Media/${mediaSid}`;
    this.media.set(path, answer);
    return `${this.url}${path}`;
  }

  /** Whether the media item is still stored (not deleted). */
  hasMedia(url: string): boolean {
    return this.media.has(new URL(url).pathname);
  }

  /** Called for every accepted SMS. */
  onSms(listener: (sms: SentSms) => void): () => void {
    this.events.on("sms", listener);
    return () => this.events.off("sms", listener);
  }

  /** Resolves with the SMS to `to` once `count` of them arrived; rejects after timeoutMs. */
  async waitForSms(to: string, count = 1, timeoutMs = 10_000): Promise<SentSms[]> {
    const matching = () => this.sent.filter((sms) => sms.to === to);
    if (matching().length >= count) return matching();
    return new Promise<SentSms[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        stopListening();
        reject(new Error(`expected ${count} SMS to ${to}, saw ${matching().length} within ${timeoutMs} ms`));
      }, timeoutMs);
      const stopListening = this.onSms(() => {
        if (matching().length >= count) {
          clearTimeout(timer);
          stopListening();
          resolve(matching());
        }
      });
    });
  }

  private authorized(request: http.IncomingMessage): boolean {
    const expected = `Basic ${Buffer.from(`${this.options.accountSid}:${this.options.authToken}`).toString("base64")}`;
    return request.headers.authorization === expected;
  }

  private async route(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://stand-in");
    const accountPrefix = `/2010-04-01/Accounts/${this.options.accountSid}`;
    if (url.pathname.includes("/Media")) {
      this.mediaRequests.push({ method: request.method ?? "", path: url.pathname, authorized: this.authorized(request) });
    }
    if (!this.authorized(request)) {
      return json(response, 401, { code: 20003, message: "Authenticate", status: 401 });
    }
    // Not Twilio's API: how `npm run phone` puts a voice note on the local stand-in (body = the file).
    const upload = new RegExp(`^${accountPrefix}/Messages/([A-Za-z0-9]+)/Media$`).exec(url.pathname);
    if (request.method === "POST" && upload?.[1]) {
      const contentType = request.headers["content-type"] ?? "application/octet-stream";
      const mediaUrl = this.addMedia(upload[1], contentType, await readRawBody(request));
      return json(response, 201, { uri: new URL(mediaUrl).pathname, url: mediaUrl, content_type: contentType });
    }
    if (request.method === "POST" && url.pathname === `${accountPrefix}/Messages.json`) {
      return this.createMessage(request, response);
    }
    if (request.method === "GET" && url.pathname === `${accountPrefix}/Messages.json`) {
      return this.listMessages(url, response);
    }
    const media = this.media.get(url.pathname);
    if (media && request.method === "GET") return this.serveMedia(media, response);
    // Twilio deletes a media resource at its .json URL; the bare URL is accepted too.
    const mediaPath = url.pathname.replace(/\.json$/, "");
    if (this.media.has(mediaPath) && request.method === "DELETE") {
      this.media.delete(mediaPath);
      response.writeHead(204).end();
      return;
    }
    return json(response, 404, { code: 20404, message: "The requested resource was not found", status: 404 });
  }

  private serveMedia(answer: MediaAnswer, response: http.ServerResponse): void {
    switch (answer.kind) {
      case "hang":
        this.hanging.add(response);
        return;
      case "status":
        return json(response, answer.status, { code: 20000 + answer.status, message: "programmed", status: answer.status });
      case "redirect":
        response.writeHead(answer.status ?? 307, { location: answer.location, "content-length": 0 });
        response.end();
        return;
      case "file": {
        const length = answer.contentLength ?? "exact";
        const headers: http.OutgoingHttpHeaders = { "content-type": answer.contentType };
        if (length === "exact") headers["content-length"] = answer.body.length;
        else if (typeof length === "number") headers["content-length"] = length;
        response.writeHead(200, headers);
        // Written in pieces, so a reader that stops early can be seen stopping.
        for (let offset = 0; offset < answer.body.length; offset += 64 * 1024) {
          if (response.destroyed) return;
          response.write(answer.body.subarray(offset, offset + 64 * 1024));
        }
        response.end();
        return;
      }
    }
  }

  /** Twilio's message list: newest first, filtered by To when given. */
  private listMessages(url: URL, response: http.ServerResponse): void {
    this.listRequests.push(new URLSearchParams(url.searchParams));
    const to = url.searchParams.get("To");
    const pageSize = Math.min(Number(url.searchParams.get("PageSize") ?? 50) || 50, 1000);
    const messages = this.sent
      .filter((sms) => !to || sms.to === to)
      .slice(-pageSize)
      .reverse()
      .map((sms) => ({
        sid: sms.sid,
        to: sms.to,
        from: sms.from ?? null,
        body: sms.body,
        status: "delivered",
        date_created: new Date(sms.receivedAt).toUTCString(),
      }));
    json(response, 200, { messages, page: 0, page_size: pageSize });
  }

  private async createMessage(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(request));
    auditPhoneNumber(form.get("To"));
    this.messageRequests.push({ to: form.get("To") ?? undefined, receivedAt: Date.now() });
    const answer = this.programmed.shift() ?? this.outageAnswer;
    if (answer?.kind === "hang") {
      this.hanging.add(response);
      return;
    }
    if (answer?.kind === "status") {
      const headers = answer.retryAfter === undefined ? {} : { "retry-after": answer.retryAfter };
      return json(response, answer.status, { code: answer.code, message: answer.message, status: answer.status }, headers);
    }
    const to = form.get("To");
    const body = form.get("Body");
    const from = form.get("From") ?? undefined;
    const messagingServiceSid = form.get("MessagingServiceSid") ?? undefined;
    if (!to || body === null || (!from && !messagingServiceSid)) {
      return json(response, 400, {
        code: 21604,
        message: "A 'To', 'Body' and 'From' or 'MessagingServiceSid' are required",
        status: 400,
      });
    }
    const sms: SentSms = {
      sid: `SM${randomBytes(16).toString("hex")}`,
      accountSid: this.options.accountSid,
      to,
      from,
      messagingServiceSid,
      body,
      statusCallback: form.get("StatusCallback") ?? undefined,
      receivedAt: Date.now(),
    };
    this.sent.push(sms);
    if (answer?.kind === "create-then-hang" || answer?.kind === "create-then-drop") {
      this.events.emit("sms", sms);
      if (answer.kind === "create-then-drop") response.destroy();
      else this.hanging.add(response);
      return;
    }
    json(response, 201, {
      sid: sms.sid,
      account_sid: sms.accountSid,
      to: sms.to,
      from: sms.from ?? null,
      messaging_service_sid: sms.messagingServiceSid ?? null,
      body: sms.body,
      status: "queued",
      num_segments: "1",
      direction: "outbound-api",
      api_version: "2010-04-01",
      date_created: new Date(sms.receivedAt).toUTCString(),
      uri: `/2010-04-01/Accounts/${sms.accountSid}/Messages/${sms.sid}.json`,
    });
    this.events.emit("sms", sms);
  }
}

function json(response: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

async function readRawBody(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
