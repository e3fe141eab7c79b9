import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";
import { isAudioContentType, mediaTypeEssence } from "@sms-todo/rules";
import { AppError } from "@sms-todo/shared";
import { createMediaUrlPolicy, type MediaUrlPolicy } from "./media-url.policy.js";
import { isAllowedMediaAddress, isLoopbackHost } from "./network-address.policy.js";

/** Why a media item was not downloaded; each is final, so the message is answered, not retried. */
export type MediaRefusal =
  /** The URL, a redirect or the address it resolves to is not Twilio media of this account. */
  | "not-allowed"
  /** Larger than the cap, by its Content-Length or by what arrived. */
  | "too-large"
  /** The webhook or Twilio's answer says it is not one of the voice-note types. */
  | "not-audio"
  /** Twilio no longer has it (404/410), e.g. already deleted. */
  | "not-found"
  /** Twilio refused the account's credentials or the request (401, 403, other 4xx). */
  | "refused";

export type MediaDownload =
  { ok: true; body: Buffer; contentType: string; url: string } | { ok: false; refusal: MediaRefusal; detail: string };

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface TwilioMediaClientOptions {
  apiBaseUrl: string;
  accountSid: string;
  authToken: string;
  /** Largest body accepted; Twilio's own MMS limit is 5 MB. */
  maxBytes?: number;
  /** For the whole download, redirects included. */
  timeoutMs?: number;
  maxRedirects?: number;
  /** Hosts a redirect may lead to without credentials (Twilio's media CDN); see media-url.policy.ts. */
  redirectHosts?: readonly string[];
  /** DNS resolution (all addresses of a name); the system resolver by default. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** Told about every socket that connected: where to, so tests and metrics can see every connection made. */
  onConnect?: (connection: { address: string; port: number }) => void;
}

export interface TwilioMediaClient {
  readonly policy: MediaUrlPolicy;
  /** Downloads one media item of message `messageSid`; throws AppError only for failures worth retrying. */
  download(url: string, declaredContentType: string, messageSid: string): Promise<MediaDownload>;
  /** Deletes the media item at Twilio; resolves false (never throws) when that did not work. */
  remove(url: string, messageSid: string): Promise<boolean>;
}

export const MAX_MEDIA_BYTES = 5 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_REDIRECTS = 3;
const ADDRESS_REFUSED = "EMEDIAADDRESS";

class Refused extends Error {
  constructor(
    readonly refusal: MediaRefusal,
    readonly detail: string,
  ) {
    super(detail);
  }
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  response: http.IncomingMessage;
}

/**
 * Twilio's media, fetched with node:http(s) so that every step is under our control: the URL
 * policy before anything else, a DNS lookup that refuses non-public addresses before the socket
 * connects (IP literals are checked the same way, since Node skips lookup for them), manual
 * redirects each checked again, Basic auth only on the allowed origin, a byte cap that holds
 * whatever Content-Length says, and one deadline for the whole download.
 */
export function createTwilioMediaClient(options: TwilioMediaClientOptions): TwilioMediaClient {
  const policy = createMediaUrlPolicy(options);
  const maxBytes = options.maxBytes ?? MAX_MEDIA_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const allowLoopback = isLoopbackHost(new URL(options.apiBaseUrl).hostname);
  const resolve =
    options.resolve ?? ((hostname: string): Promise<ResolvedAddress[]> => dnsLookup(hostname, { all: true, verbatim: true }));
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString("base64")}`;
  // No keep-alive: each download resolves (and so checks) its addresses afresh.
  const agents = { "http:": new http.Agent({ keepAlive: false }), "https:": new https.Agent({ keepAlive: false }) };

  const guardedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const refused = addresses.find((entry) => !isAllowedMediaAddress(entry.address, { allowLoopback }));
        if (addresses.length === 0 || refused) {
          const error = Object.assign(new Error(`${hostname} resolves to a non-public address`), { code: ADDRESS_REFUSED });
          callback(error, "", 0);
          return;
        }
        const wanted = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : undefined;
        const usable = wanted ? addresses.filter((entry) => entry.family === wanted) : addresses;
        if (lookupOptions.all) {
          (callback as unknown as (error: null, addresses: ResolvedAddress[]) => void)(null, usable);
          return;
        }
        const first = usable[0];
        if (!first) {
          callback(Object.assign(new Error(`${hostname} has no IPv${wanted} address`), { code: "ENOTFOUND" }), "", 0);
          return;
        }
        callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, "", 0),
    );
  };

  function send(url: URL, method: "GET" | "DELETE", signal: AbortSignal): Promise<RawResponse> {
    const literal = url.hostname.replace(/^\[|\]$/g, "");
    if (isIP(literal) && !isAllowedMediaAddress(literal, { allowLoopback })) {
      return Promise.reject(new Refused("not-allowed", "the host is a non-public address"));
    }
    const transport = url.protocol === "https:" ? https : http;
    return new Promise<RawResponse>((resolvePromise, reject) => {
      const request = transport.request(
        url,
        {
          method,
          agent: agents[url.protocol as "http:" | "https:"],
          lookup: guardedLookup,
          signal,
          headers: {
            // Credentials only ever go to the allowed origin; every hop was checked against it already.
            ...(policy.isAllowedOrigin(url) ? { authorization } : {}),
            accept: "audio/*",
            "user-agent": "sms-todo-transcribe",
          },
        },
        (response) => resolvePromise({ status: response.statusCode ?? 0, headers: response.headers, response }),
      );
      request.on("socket", (socket) => {
        socket.once("connect", () => options.onConnect?.({ address: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 }));
      });
      request.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === ADDRESS_REFUSED) reject(new Refused("not-allowed", error.message));
        else reject(error);
      });
      request.end();
    });
  }

  async function readCapped(response: http.IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        response.destroy();
        throw new Refused("too-large", `more than ${maxBytes} bytes arrived`);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  async function follow(
    startUrl: string,
    messageSid: string,
    method: "GET" | "DELETE",
    signal: AbortSignal,
  ): Promise<{ raw: RawResponse; url: URL }> {
    let current = startUrl;
    for (let hop = 0; ; hop += 1) {
      const verdict = hop === 0 ? policy.check(current, messageSid) : policy.checkRedirect(current, messageSid);
      if (!verdict.allowed) throw new Refused("not-allowed", hop === 0 ? verdict.reason : `redirect refused: ${verdict.reason}`);
      const raw = await send(verdict.url, method, signal);
      const location = raw.headers.location;
      if (raw.status >= 300 && raw.status < 400 && location) {
        raw.response.destroy();
        if (hop >= maxRedirects) throw new Refused("not-allowed", `more than ${maxRedirects} redirects`);
        current = new URL(location, verdict.url).toString();
        continue;
      }
      return { raw, url: verdict.url };
    }
  }

  function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    return work(controller.signal)
      .catch((error: unknown) => {
        if (controller.signal.aborted && !(error instanceof Refused)) {
          throw new AppError("DEADLINE_EXCEEDED", `media download took longer than ${timeoutMs} ms`, { cause: error });
        }
        throw error;
      })
      .finally(() => clearTimeout(timer));
  }

  return {
    policy,

    async download(url, declaredContentType, messageSid) {
      if (!isAudioContentType(declaredContentType)) {
        return { ok: false, refusal: "not-audio", detail: `declared type ${mediaTypeEssence(declaredContentType)}` };
      }
      try {
        return await withDeadline(async (signal) => {
          const { raw, url: finalUrl } = await follow(url, messageSid, "GET", signal);
          const { status, headers, response } = raw;
          if (status < 200 || status >= 300) {
            response.destroy();
            if (status === 404 || status === 410) throw new Refused("not-found", `Twilio answered ${status}`);
            if (status === 408 || status === 429 || status >= 500) {
              throw new AppError("UNAVAILABLE", `Twilio answered ${status} for media`);
            }
            throw new Refused("refused", `Twilio answered ${status}`);
          }
          const contentType = headers["content-type"] ?? "";
          if (!isAudioContentType(contentType)) {
            response.destroy();
            throw new Refused("not-audio", `served as ${mediaTypeEssence(contentType) || "nothing"}`);
          }
          const declaredLength = Number(headers["content-length"]);
          if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
            response.destroy();
            throw new Refused("too-large", `Content-Length ${declaredLength}`);
          }
          const body = await readCapped(response);
          return { ok: true as const, body, contentType: mediaTypeEssence(contentType), url: finalUrl.toString() };
        });
      } catch (error) {
        if (error instanceof Refused) return { ok: false, refusal: error.refusal, detail: error.detail };
        if (error instanceof AppError) throw error;
        throw new AppError("UNAVAILABLE", `media download failed: ${(error as Error).message}`, { cause: error });
      }
    },

    async remove(url, messageSid) {
      try {
        return await withDeadline(async (signal) => {
          // Twilio's media resource is deleted at its .json URL; the policy checks the media URL itself.
          const verdict = policy.check(url, messageSid);
          if (!verdict.allowed) return false;
          const target = new URL(verdict.url);
          target.pathname = `${target.pathname}.json`;
          const raw = await send(target, "DELETE", signal);
          raw.response.resume();
          return raw.status === 204 || raw.status === 200 || raw.status === 404;
        });
      } catch {
        return false;
      }
    },
  };
}
