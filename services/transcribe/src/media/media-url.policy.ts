/**
 * Which URLs transcribe may fetch: Twilio media of this account's own message, on exactly
 * the origin of TWILIO_API_BASE_URL (scheme, host and port). Everything is decided from the
 * URL text alone, before any DNS lookup or connection; the address the host resolves to is
 * checked separately (network-address.policy.ts) when the socket is about to connect.
 *
 * One exception, for redirects only: the real Twilio answers a media URL of an account that
 * enforces HTTP auth on media with a redirect to a short-lived signed URL on its media CDN
 * (mms.twiliocdn.com). Such a hop is allowed to exactly the hosts named in `redirectHosts`,
 * over https on port 443, and carries no credentials (only the allowed origin gets them).
 */

export type UrlVerdict = { allowed: true; url: URL } | { allowed: false; reason: string };

export interface MediaUrlPolicy {
  /** The allowed origin, e.g. "https://api.twilio.com". */
  readonly origin: string;
  /** Whether `url` names a media item of message `messageSid` of this account on the allowed origin. */
  check(url: string, messageSid: string): UrlVerdict;
  /** Whether a redirect may go to `url`: a media URL `check` allows, or an https URL on one of the redirect hosts. */
  checkRedirect(url: string, messageSid: string): UrlVerdict;
  /** True when `url` is on the allowed origin: only such requests carry the account's credentials. */
  isAllowedOrigin(url: URL): boolean;
}

const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;
const MEDIA_SID = "ME[0-9a-fA-F]{32}";

function effectivePort(url: URL): string {
  return url.port || (url.protocol === "https:" ? "443" : "80");
}

function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/\.$/, "");
}

/** Where Twilio's own API redirects media downloads; used when TWILIO_API_BASE_URL is Twilio's. */
export const TWILIO_MEDIA_CDN_HOSTS: readonly string[] = ["mms.twiliocdn.com"];

/** The media CDN hosts a redirect may go to: Twilio's for Twilio's API, none for any other origin. */
export function defaultMediaRedirectHosts(apiBaseUrl: string): string[] {
  return hostOf(new URL(apiBaseUrl)) === "api.twilio.com" ? [...TWILIO_MEDIA_CDN_HOSTS] : [];
}

export function createMediaUrlPolicy(options: {
  apiBaseUrl: string;
  accountSid: string;
  redirectHosts?: readonly string[];
}): MediaUrlPolicy {
  const base = new URL(options.apiBaseUrl);
  if (base.protocol !== "https:" && base.protocol !== "http:") throw new Error("TWILIO_API_BASE_URL must be http(s)");
  if (!SID.test(options.accountSid)) throw new Error("TWILIO_ACCOUNT_SID is not an account SID");
  const prefix = base.pathname.replace(/\/+$/, "");
  const accountPath = `${prefix}/2010-04-01/Accounts/${options.accountSid}/Messages/`;

  const isAllowedOrigin = (url: URL) =>
    url.protocol === base.protocol && hostOf(url) === hostOf(base) && effectivePort(url) === effectivePort(base);
  const redirectHosts = new Set((options.redirectHosts ?? []).map((host) => host.toLowerCase()));

  const policy: MediaUrlPolicy = {
    origin: base.origin,
    isAllowedOrigin,
    checkRedirect(raw, messageSid) {
      const onOrigin = policy.check(raw, messageSid);
      if (onOrigin.allowed) return onOrigin;
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return onOrigin;
      }
      if (!redirectHosts.has(hostOf(url))) return onOrigin;
      if (url.protocol !== "https:" || effectivePort(url) !== "443")
        return { allowed: false, reason: "media CDN only over https" };
      if (url.username || url.password) return { allowed: false, reason: "the URL carries credentials" };
      return { allowed: true, url };
    },
    check(raw, messageSid) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return { allowed: false, reason: "not a URL" };
      }
      if (url.protocol !== base.protocol) return { allowed: false, reason: `scheme ${url.protocol} is not ${base.protocol}` };
      if (url.username || url.password) return { allowed: false, reason: "the URL carries credentials" };
      if (hostOf(url) !== hostOf(base)) return { allowed: false, reason: "host is not the Twilio API host" };
      if (effectivePort(url) !== effectivePort(base)) return { allowed: false, reason: "port is not the Twilio API port" };
      if (url.search || url.hash) return { allowed: false, reason: "media URLs have no query" };
      if (!SID.test(messageSid)) return { allowed: false, reason: "the message has no valid MessageSid" };
      const expected = new RegExp(`^${escape(accountPath)}${messageSid}/Media/${MEDIA_SID}$`);
      if (!expected.test(url.pathname)) return { allowed: false, reason: "path is not a media item of this message" };
      return { allowed: true, url };
    },
  };
  return policy;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
