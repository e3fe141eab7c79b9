import { describe, expect, it } from "vitest";
import { createMediaUrlPolicy, defaultMediaRedirectHosts } from "../src/media/media-url.policy.js";

const ACCOUNT = `AC${"1".repeat(32)}`;
const MESSAGE = `MM${"2".repeat(32)}`;
const MEDIA = `ME${"3".repeat(32)}`;
const PATH = `/2010-04-01/Accounts/${ACCOUNT}/Messages/${MESSAGE}/Media/${MEDIA}`;

describe("media URL policy for https://api.twilio.com", () => {
  const policy = createMediaUrlPolicy({ apiBaseUrl: "https://api.twilio.com", accountSid: ACCOUNT });

  const allowed = [`https://api.twilio.com${PATH}`, `https://API.twilio.com.${PATH}`, `https://api.twilio.com:443${PATH}`];
  it.each(allowed)("when the URL is %s, then it is allowed", (url) => {
    expect(policy.check(url, MESSAGE)).toMatchObject({ allowed: true });
  });

  const refused: ReadonlyArray<[url: string, reason: RegExp]> = [
    [`http://api.twilio.com${PATH}`, /scheme/],
    [`https://api.twilio.com:8443${PATH}`, /port/],
    [`https://api.twilio.com.evil.test${PATH}`, /host/],
    [`https://evil.test${PATH}`, /host/],
    [`https://media.twiliocdn.com${PATH}`, /host/],
    [`https://127.0.0.1${PATH}`, /host/],
    [`https://user:secret@api.twilio.com${PATH}`, /credentials/],
    [`https://api.twilio.com${PATH}?x=1`, /query/],
    [`https://api.twilio.com${PATH}.json`, /path/],
    [`https://api.twilio.com${PATH}/`, /path/],
    [`https://api.twilio.com${PATH.replace(ACCOUNT, `AC${"9".repeat(32)}`)}`, /path/],
    [`https://api.twilio.com${PATH.replace(MESSAGE, `MM${"8".repeat(32)}`)}`, /path/],
    [`https://api.twilio.com${PATH.replace(MEDIA, "ME123")}`, /path/],
    [`https://api.twilio.com${PATH}/../../../../Messages.json`, /path/],
    [`https://api.twilio.com${PATH.replace(MEDIA, "%2e%2e")}`, /path/],
    [`https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages.json`, /path/],
    ["ftp://api.twilio.com/x", /scheme/],
    ["not a url", /not a URL/],
  ];
  it.each(refused)("when the URL is %s, then it is refused", (url, reason) => {
    const verdict = policy.check(url, MESSAGE);
    expect(verdict.allowed).toBe(false);
    expect(!verdict.allowed && verdict.reason).toMatch(reason);
  });

  it("when the message has no valid MessageSid, then nothing is allowed for it", () => {
    expect(policy.check(`https://api.twilio.com${PATH}`, "")).toMatchObject({ allowed: false });
  });

  it("when a URL is on the allowed origin, then it may carry credentials; any other may not", () => {
    expect(policy.isAllowedOrigin(new URL(`https://api.twilio.com${PATH}`))).toBe(true);
    expect(policy.isAllowedOrigin(new URL("https://media.twiliocdn.com/x"))).toBe(false);
    expect(policy.isAllowedOrigin(new URL("http://api.twilio.com/x"))).toBe(false);
  });
});

describe("media URL policy for a local stand-in at http://127.0.0.1:3010", () => {
  const policy = createMediaUrlPolicy({ apiBaseUrl: "http://127.0.0.1:3010", accountSid: ACCOUNT });

  it("when the URL is the stand-in's media, then it is allowed; another loopback port or address is not", () => {
    expect(policy.check(`http://127.0.0.1:3010${PATH}`, MESSAGE)).toMatchObject({ allowed: true });
    expect(policy.check(`http://127.0.0.1:3011${PATH}`, MESSAGE)).toMatchObject({ allowed: false });
    expect(policy.check(`http://127.0.0.1${PATH}`, MESSAGE)).toMatchObject({ allowed: false });
    expect(policy.check(`http://localhost:3010${PATH}`, MESSAGE)).toMatchObject({ allowed: false });
    expect(policy.check(`http://127.0.0.2:3010${PATH}`, MESSAGE)).toMatchObject({ allowed: false });
  });

  it("when the account SID is not one, then the policy cannot be made", () => {
    expect(() => createMediaUrlPolicy({ apiBaseUrl: "http://127.0.0.1:3010", accountSid: "AC1" })).toThrow();
  });
});

describe("redirects to Twilio's media CDN", () => {
  const media = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages/${MESSAGE}/Media/ME${"c".repeat(32)}`;
  const cdn = "https://mms.twiliocdn.com/AC/abc123?Expires=1&Signature=x";

  it("when the API is Twilio's, then its media CDN is the only redirect host; a stand-in gets none", () => {
    expect(defaultMediaRedirectHosts("https://api.twilio.com")).toEqual(["mms.twiliocdn.com"]);
    expect(defaultMediaRedirectHosts("http://127.0.0.1:3010")).toEqual([]);
  });

  it("when a redirect goes to the CDN over https, then it is allowed without credentials; the first hop never is", () => {
    const policy = createMediaUrlPolicy({
      apiBaseUrl: "https://api.twilio.com",
      accountSid: ACCOUNT,
      redirectHosts: ["mms.twiliocdn.com"],
    });
    const verdict = policy.checkRedirect(cdn, MESSAGE);
    expect(verdict.allowed).toBe(true);
    if (verdict.allowed) expect(policy.isAllowedOrigin(verdict.url)).toBe(false);
    expect(policy.check(cdn, MESSAGE).allowed).toBe(false);
    expect(policy.checkRedirect(media, MESSAGE).allowed).toBe(true);
  });

  it("when a redirect goes to the CDN over http, another port, with credentials, or to any other host, then it is refused", () => {
    const policy = createMediaUrlPolicy({
      apiBaseUrl: "https://api.twilio.com",
      accountSid: ACCOUNT,
      redirectHosts: ["mms.twiliocdn.com"],
    });
    for (const target of [
      "http://mms.twiliocdn.com/AC/abc123",
      "https://mms.twiliocdn.com:8443/AC/abc123",
      "https://user:pw@mms.twiliocdn.com/AC/abc123",
      "https://s3-external-1.amazonaws.com/media.twiliocdn.com/x",
      "https://mms.twiliocdn.com.evil.example/x",
      "https://169.254.169.254/latest/meta-data",
    ]) {
      expect(policy.checkRedirect(target, MESSAGE).allowed, target).toBe(false);
    }
  });

  it("when no redirect hosts are configured, then a redirect to the CDN is refused", () => {
    const policy = createMediaUrlPolicy({ apiBaseUrl: "https://api.twilio.com", accountSid: ACCOUNT });
    expect(policy.checkRedirect(cdn, MESSAGE).allowed).toBe(false);
  });
});
