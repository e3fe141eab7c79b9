import fc from "fast-check";
// The webhook module alone, as the verifier imports it: the signing rules ingress is checked against.
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks.js";
import { AUDIO_CONTENT_TYPES, PHONE_NUMBER_DIGITS } from "@sms-todo/rules";
import { TEST_TWILIO } from "@sms-todo/testkit";

export const SMS_PATH = "/webhooks/twilio/sms";
export const STATUS_PATH = "/webhooks/twilio/status";
export type WebhookPath = typeof SMS_PATH | typeof STATUS_PATH;
const ROUTED_PATHS = new Set<string>([SMS_PATH, STATUS_PATH, "/healthz", "/readyz", "/metrics"]);

const FORM_TYPE = "application/x-www-form-urlencoded";
/** Larger than any webhook ingress takes (64 KiB): Twilio's own bodies stay far below. */
const OVERSIZE_BYTES = 64 * 1024 + 1;
const MAX_MEDIA = 10;

const OTHER_CONTENT_TYPES = [
  "image/jpeg",
  "image/png",
  "image/gif",
  "video/mp4",
  "text/vcard",
  "application/pdf",
  "audio/x-unknown",
];

/** Form fields in the order they are sent; a name may repeat. */
export type FormFields = ReadonlyArray<readonly [name: string, value: string]>;

export function encodeForm(fields: FormFields): string {
  return new URLSearchParams(fields.map(([name, value]): [string, string] => [name, value])).toString();
}

/** Twilio's signature: HMAC-SHA1 over the URL and the fields sorted by name, every value of a repeated field included. */
export function signFields(url: string, fields: FormFields, authToken: string = TEST_TWILIO.authToken): string {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of fields) grouped.set(name, [...(grouped.get(name) ?? []), value]);
  // A prototype-less object, so that a field named like an Object member is signed as a field.
  const params = Object.create(null) as Record<string, string | string[]>;
  for (const [name, values] of grouped) params[name] = values.length === 1 ? (values[0] ?? "") : values;
  return getExpectedTwilioSignature(authToken, url, params);
}

export function publicUrlOf(target: string): string {
  return `${TEST_TWILIO.publicBaseUrl}${target}`;
}

export function targetOf(path: string, query: string): string {
  return query === "" ? path : `${path}?${query}`;
}

export function valuesOf(fields: FormFields, name: string): string[] {
  return fields.filter(([field]) => field === name).map(([, value]) => value);
}

// ---------------------------------------------------------------------------------------------
// Well-formed webhooks

const DIGITS = "0123456789".split("");
const HEX_DIGITS = "0123456789abcdefABCDEF".split("");
const hex = (length: number) => fc.string({ unit: fc.constantFrom(...HEX_DIGITS), minLength: length, maxLength: length });

const messageSidArb = fc.tuple(fc.constantFrom("SM", "MM"), hex(32)).map(([prefix, digits]) => `${prefix}${digits}`);

/** E.164, as Twilio sends numbers. */
export const phoneNumberArb = fc
  .tuple(
    fc.integer({ min: 1, max: 9 }),
    fc.string({
      unit: fc.constantFrom(...DIGITS),
      minLength: PHONE_NUMBER_DIGITS.min - 1,
      maxLength: PHONE_NUMBER_DIGITS.max - 1,
    }),
  )
  .map(([first, rest]) => `+${first}${rest}`);

const BODY_PIECES = [
  "\n",
  "\r\n",
  " ",
  "\t",
  "🥛",
  "👩‍👩‍👧‍👦",
  "🇩🇪",
  "🏳️‍🌈",
  "é",
  "e\u0301",
  "ß",
  "買牛奶",
  "اشتري الحليب",
  "#3",
  "done 3",
  "&",
  "=",
  "+",
  "%",
  "%20",
  "%zz",
  "<Response>",
  '"',
  "\\",
  "\u0000",
  "\u200b",
];

/** Message text as phones send it: any script, emoji, newlines, characters that mean something in a form. */
export const messageBodyArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant("") },
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }) },
  {
    weight: 4,
    arbitrary: fc
      .array(
        fc.oneof(
          fc.constantFrom(...BODY_PIECES),
          fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
          fc.string({ unit: "binary", minLength: 1, maxLength: 6 }),
        ),
        { minLength: 1, maxLength: 16 },
      )
      .map((pieces) => pieces.join("")),
  },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 160, maxLength: 500 }) },
);

export interface Media {
  url: string;
  contentType: string;
}

const mediaArb: fc.Arbitrary<Media> = fc.record({
  url: fc.oneof(
    fc
      .tuple(messageSidArb, hex(32))
      .map(
        ([sid, media]) => `https://api.twilio.com/2010-04-01/Accounts/${TEST_TWILIO.accountSid}/Messages/${sid}/Media/ME${media}`,
      ),
    fc.webUrl({ validSchemes: ["http", "https"], withQueryParameters: true, withFragments: true }),
  ),
  contentType: fc.oneof(
    fc
      .tuple(fc.mixedCase(fc.constantFrom(...AUDIO_CONTENT_TYPES)), fc.constantFrom("", "; codecs=opus", ";rate=8000"))
      .map(([essence, parameters]) => `${essence}${parameters}`),
    fc.constantFrom(...OTHER_CONTENT_TYPES),
  ),
});

/** Fields Twilio adds that ingress has no use for. */
const TWILIO_EXTRA_FIELDS: FormFields = [
  ["FromCountry", "US"],
  ["FromCity", "SAN FRANCISCO"],
  ["ToCountry", "DE"],
  ["ProfileName", "Zoë 🌻"],
  ["WaId", "4915112345678"],
  ["ReferralNumMedia", "0"],
  ["SmsStatus", "received"],
  ["NumSegments", "2"],
];

export interface InboundWebhook {
  messageSid: string;
  from: string;
  to: string;
  whatsApp: boolean;
  body: string;
  media: Media[];
  optOutType: string | undefined;
  extra: FormFields;
  /** A query string on the webhook URL (Twilio signs it too); "" for none. */
  query: string;
}

export const inboundWebhookArb: fc.Arbitrary<InboundWebhook> = fc
  .record({
    messageSid: messageSidArb,
    from: phoneNumberArb,
    to: phoneNumberArb,
    whatsApp: fc.boolean(),
    body: messageBodyArb,
    bodyNamesSender: fc.boolean(),
    media: fc.array(mediaArb, { maxLength: MAX_MEDIA }),
    optOutType: fc.option(fc.constantFrom("STOP", "START", "HELP", "stop", " Start "), { nil: undefined }),
    extra: fc.subarray([...TWILIO_EXTRA_FIELDS]),
    query: fc.oneof(fc.constant(""), fc.webQueryParameters()),
  })
  .map(({ bodyNamesSender, ...webhook }) => ({
    ...webhook,
    body: bodyNamesSender ? `${webhook.body} call me on ${webhook.from}` : webhook.body,
  }));

export function inboundFieldsOf(webhook: InboundWebhook): FormFields {
  const address = (number: string) => (webhook.whatsApp ? `whatsapp:${number}` : number);
  return [
    ["FromState", "CA"],
    ["SmsMessageSid", webhook.messageSid],
    ["NumMedia", String(webhook.media.length)],
    ["MessageSid", webhook.messageSid],
    ["AccountSid", TEST_TWILIO.accountSid],
    ["MessagingServiceSid", ""],
    ["From", address(webhook.from)],
    ["To", address(webhook.to)],
    ["Body", webhook.body],
    ...webhook.media.flatMap((item, index): FormFields => [
      [`MediaContentType${index}`, item.contentType],
      [`MediaUrl${index}`, item.url],
    ]),
    ...(webhook.optOutType === undefined ? [] : ([["OptOutType", webhook.optOutType]] as const)),
    ...webhook.extra,
    ["ApiVersion", "2010-04-01"],
  ];
}

export interface StatusWebhook {
  messageSid: string;
  status: string;
  errorCode: string | undefined;
  to: string;
  from: string;
  query: string;
}

const statusWebhookArb: fc.Arbitrary<StatusWebhook> = fc.record({
  messageSid: messageSidArb,
  status: fc.constantFrom("accepted", "queued", "sending", "sent", "delivered", "undelivered", "failed", "read"),
  errorCode: fc.option(fc.constantFrom("30003", "30005", "30006", "21610"), { nil: undefined }),
  to: phoneNumberArb,
  from: phoneNumberArb,
  query: fc.oneof(fc.constant(""), fc.webQueryParameters()),
});

function statusFieldsOf(webhook: StatusWebhook): FormFields {
  return [
    ["SmsSid", webhook.messageSid],
    ["SmsStatus", webhook.status],
    ["MessageStatus", webhook.status],
    ["To", webhook.to],
    ["MessageSid", webhook.messageSid],
    ["AccountSid", TEST_TWILIO.accountSid],
    ["From", webhook.from],
    ...(webhook.errorCode === undefined ? [] : ([["ErrorCode", webhook.errorCode]] as const)),
    ["ApiVersion", "2010-04-01"],
  ];
}

/** A well-formed webhook of either route: the starting point every bad request is made from. */
export interface WebhookForm {
  path: WebhookPath;
  query: string;
  fields: FormFields;
}

const inboundFormArb: fc.Arbitrary<WebhookForm> = inboundWebhookArb.map(
  (webhook) => ({ path: SMS_PATH, query: webhook.query, fields: inboundFieldsOf(webhook) }) as const,
);
const statusFormArb: fc.Arbitrary<WebhookForm> = statusWebhookArb.map(
  (webhook) => ({ path: STATUS_PATH, query: webhook.query, fields: statusFieldsOf(webhook) }) as const,
);
/** A well-formed webhook of either route. */
const webhookFormArb = fc.oneof(inboundFormArb, statusFormArb);

// ---------------------------------------------------------------------------------------------
// Bad requests. Each case is plain data built from independent parts, so that fast-check shrinks every part
// and a counterexample prints as what was sent.

const printableArb = (minLength: number, maxLength: number) => fc.string({ unit: "grapheme-ascii", minLength, maxLength });
/** Field values: anything a form can carry. */
const fieldValueArb = fc.oneof(messageBodyArb, printableArb(0, 40));
/** Field names, with Twilio's own and the names of members every JavaScript object has among them. */
const fieldNameArb = fc.oneof(
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }),
  fc.constantFrom("MessageSid", "Body", "From", "AccountSid", "NumMedia", "MediaUrl0", "MediaUrl10", "MessageStatus", "Body[]"),
  fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty"),
);

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".split("");
const GARBAGE_SIGNATURE = "bm90IGEgc2lnbmF0dXJl";

type UrlChange =
  | { change: "scheme" }
  | { change: "host"; host: string }
  | { change: "port"; port: number }
  | { change: "path"; path: string }
  | { change: "query"; extra: string };

export type SignatureFault =
  | { kind: "missing" }
  | { kind: "empty" }
  | { kind: "random"; value: string }
  | { kind: "one character changed"; at: number; shift: number }
  | { kind: "truncated"; drop: number }
  | { kind: "extended"; suffix: string }
  | { kind: "case swapped" }
  | { kind: "base64url" }
  | { kind: "other auth token"; token: string }
  | { kind: "other URL"; url: UrlChange }
  | { kind: "other fields"; fields: FormFields }
  | { kind: "sent twice"; first: "valid" | "garbage"; second: "valid" | "garbage" };

const urlChangeArb: fc.Arbitrary<UrlChange> = fc.oneof(
  fc.constant({ change: "scheme" } as const),
  fc.record({ change: fc.constant("host" as const), host: fc.domain() }),
  fc.record({ change: fc.constant("port" as const), port: fc.integer({ min: 1, max: 65_535 }) }),
  fc.record({
    change: fc.constant("path" as const),
    path: fc.constantFrom(SMS_PATH, STATUS_PATH, `${SMS_PATH}/`, SMS_PATH.toUpperCase(), "/webhooks/twilio", "", "/"),
  }),
  fc.record({ change: fc.constant("query" as const), extra: fc.webQueryParameters() }),
);

const signatureFaultArb: fc.Arbitrary<SignatureFault> = fc.oneof(
  fc.constant({ kind: "missing" } as const),
  fc.constant({ kind: "empty" } as const),
  fc.record({ kind: fc.constant("random" as const), value: printableArb(1, 60) }),
  fc.record({ kind: fc.constant("one character changed" as const), at: fc.nat(), shift: fc.nat() }),
  fc.record({ kind: fc.constant("truncated" as const), drop: fc.integer({ min: 1, max: 28 }) }),
  fc.record({
    kind: fc.constant("extended" as const),
    suffix: printableArb(1, 8).filter((suffix) => suffix.trim() === suffix),
  }),
  fc.constant({ kind: "case swapped" } as const),
  fc.constant({ kind: "base64url" } as const),
  fc.record({
    kind: fc.constant("other auth token" as const),
    token: printableArb(1, 40).filter((token) => token !== TEST_TWILIO.authToken),
  }),
  fc.record({ kind: fc.constant("other URL" as const), url: urlChangeArb }),
  fc.record({ kind: fc.constant("other fields" as const), fields: webhookFormArb.map((other) => other.fields) }),
  fc.record({
    kind: fc.constant("sent twice" as const),
    first: fc.constantFrom("valid" as const, "garbage" as const),
    second: fc.constantFrom("valid" as const, "garbage" as const),
  }),
);

/** A URL other than the one Twilio signs for this webhook, also after ingress's port and encoding variants. */
function otherUrlOf(form: WebhookForm, url: UrlChange): string {
  const target = targetOf(form.path, form.query);
  switch (url.change) {
    case "scheme":
      return `http://todo.example.test${target}`;
    case "host":
      return `https://${url.host === "todo.example.test" ? `${url.host}.example` : url.host}${target}`;
    case "port":
      return `https://todo.example.test:${url.port === 443 ? 8443 : url.port}${target}`;
    case "path":
      return publicUrlOf(targetOf(url.path === form.path ? `${url.path}/` : url.path, form.query));
    case "query":
      // A parameter the request does not carry, whatever the encoding.
      return publicUrlOf(targetOf(form.path, `${form.query}${form.query === "" ? "" : "&"}x${url.extra}`));
  }
}

/** The signature header values a fault sends instead of the valid one. */
export function signatureHeadersOf(form: WebhookForm, fault: SignatureFault): string[] {
  const url = publicUrlOf(targetOf(form.path, form.query));
  const valid = signFields(url, form.fields);
  switch (fault.kind) {
    case "missing":
      return [];
    case "empty":
      return [""];
    case "random":
      return [fault.value];
    case "one character changed": {
      const at = fault.at % valid.length;
      const current = BASE64.indexOf(valid[at] ?? "A");
      const replacement = BASE64[(current + 1 + (fault.shift % (BASE64.length - 1))) % BASE64.length] ?? "A";
      return [`${valid.slice(0, at)}${replacement}${valid.slice(at + 1)}`];
    }
    case "truncated":
      return [valid.slice(0, valid.length - fault.drop)];
    case "extended":
      return [`${valid}${fault.suffix}`];
    case "case swapped": {
      const swapped = [...valid].map((char) => (char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase())).join("");
      return [swapped === valid ? `${valid}A` : swapped];
    }
    case "base64url":
      // A SHA-1 signature always ends in "=", so this always differs.
      return [valid.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")];
    case "other auth token":
      return [signFields(url, form.fields, fault.token)];
    case "other URL":
      return [signFields(otherUrlOf(form, fault.url), form.fields)];
    case "other fields": {
      const other = signFields(url, fault.fields);
      return [other === valid ? signFields(url, [...fault.fields, ["x", "y"]]) : other];
    }
    case "sent twice":
      return [fault.first, fault.second].map((which) => (which === "valid" ? valid : GARBAGE_SIGNATURE));
  }
}

export type Tamper =
  | { kind: "value changed"; at: number; value: string }
  | { kind: "field removed"; at: number }
  | { kind: "field added"; at: number; name: string; value: string };

const tamperArb: fc.Arbitrary<Tamper> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("value changed" as const), at: fc.nat(), value: fieldValueArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("field removed" as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("field added" as const), at: fc.nat(), name: fieldNameArb, value: fieldValueArb }),
  },
);

/** The fields as sent after signing: one field changed so that Twilio's signed string differs. */
export function tamperedFieldsOf(fields: FormFields, tamper: Tamper): FormFields {
  const at = tamper.at % (fields.length + (tamper.kind === "field added" ? 1 : 0));
  switch (tamper.kind) {
    case "value changed": {
      const [name = "", old = ""] = fields[at] ?? [];
      const value = tamper.value === old ? `${old}x` : tamper.value;
      return fields.map((field, index) => (index === at ? [name, value] : field));
    }
    case "field removed":
      return fields.filter((_field, index) => index !== at);
    case "field added": {
      // A repeat must carry a value not sent yet: Twilio signs the distinct values of a repeated field.
      const existing = new Set(valuesOf(fields, tamper.name));
      let value = tamper.value;
      while (existing.has(value)) value = `${value}x`;
      return [...fields.slice(0, at), [tamper.name, value], ...fields.slice(at)];
    }
  }
}

/** Fields ingress reads from each route: a repeated one makes the webhook ambiguous. */
const READ_FIELDS: Record<WebhookPath, readonly string[]> = {
  [SMS_PATH]: ["MessageSid", "AccountSid", "From", "To", "Body", "NumMedia", "OptOutType", "MediaUrl0", "MediaContentType0"],
  [STATUS_PATH]: ["MessageSid", "AccountSid", "MessageStatus", "ErrorCode", "To"],
};

/** A correctly signed webhook whose fields Twilio never sends like this, and the statuses that may refuse it. */
export interface SignedMalformed {
  form: WebhookForm;
  problem: string;
  expected: readonly number[];
}

const otherAccountArb = hex(32)
  .map((digits) => `AC${digits}`)
  .filter((sid) => sid !== TEST_TWILIO.accountSid);

const badMessageSidArb = fc
  .oneof(
    printableArb(0, 40),
    hex(31).map((digits) => `SM${digits}`),
    hex(33).map((digits) => `SM${digits}`),
    hex(32).map((digits) => `sm${digits}`),
    hex(32).map((digits) => `AC${digits}`),
    hex(32).map((digits) => ` SM${digits}`),
    fc.string({ unit: "grapheme", minLength: 32, maxLength: 32 }).map((text) => `MM${text}`),
  )
  .filter((sid) => !/^(SM|MM)[0-9a-fA-F]{32}$/.test(sid));

function replaced(fields: FormFields, name: string, value: string | undefined): FormFields {
  const kept = fields.filter(([field]) => field !== name);
  return value === undefined ? kept : [...kept, [name, value]];
}

function malformed(form: WebhookForm, name: string, value: string | undefined, expected = 400): SignedMalformed {
  return {
    form: { ...form, fields: replaced(form.fields, name, value) },
    problem: value === undefined ? `${name} missing` : `${name} is ${JSON.stringify(value)}`,
    expected: [expected],
  };
}

const repeatedFieldArb: fc.Arbitrary<SignedMalformed> = fc
  .record({ form: webhookFormArb, pick: fc.nat(), sameValue: fc.boolean(), value: fieldValueArb, at: fc.nat() })
  .map(({ form, pick, sameValue, value, at }) => {
    const present = READ_FIELDS[form.path].filter((name) => valuesOf(form.fields, name).length > 0);
    const name = present[pick % present.length] ?? "MessageSid";
    const repeated = sameValue ? (valuesOf(form.fields, name)[0] ?? "") : value;
    const index = at % (form.fields.length + 1);
    const fields: FormFields = [...form.fields.slice(0, index), [name, repeated], ...form.fields.slice(index)];
    const accountFirst = valuesOf(fields, "AccountSid")[0] === TEST_TWILIO.accountSid;
    return {
      form: { ...form, fields },
      problem: `${name} sent twice`,
      // The account check reads the first AccountSid: a foreign one there is refused as another account's.
      expected: name === "AccountSid" && !accountFirst ? [403] : [400],
    };
  });

const commonMalformationArb = fc.oneof(
  fc.record({
    name: fc.constant("MessageSid"),
    value: fc.option(badMessageSidArb, { nil: undefined }),
    expected: fc.constant(400),
  }),
  fc.record({
    name: fc.constant("AccountSid"),
    value: fc.option(otherAccountArb, { nil: undefined }),
    expected: fc.constant(403),
  }),
);

const malformedStatusArb: fc.Arbitrary<SignedMalformed> = fc
  .tuple(
    statusFormArb,
    fc.oneof(
      commonMalformationArb,
      fc.record({
        name: fc.constant("MessageStatus"),
        value: fc.option(
          fc
            .oneof(printableArb(0, 50), fc.constantFrom("delivered!", "sent 1", "x".repeat(41), "délivré"))
            .filter((status) => !/^[a-z_-]{1,40}$/.test(status.trim().toLowerCase())),
          { nil: undefined },
        ),
        expected: fc.constant(400),
      }),
      fc.record({
        name: fc.constant("ErrorCode"),
        value: fc
          .oneof(printableArb(1, 12), fc.constantFrom("30003a", "-1", "1.5", "12345678901"))
          .filter((code) => !/^\d{0,10}$/.test(code.trim())),
        expected: fc.constant(400),
      }),
    ),
  )
  .map(([form, { name, value, expected }]) => malformed(form, name, value, expected));

type InboundMalformation =
  | { name: string; value: string | undefined; expected: number }
  | { media: "url" | "content type"; at: number; value: string }
  | { media: "fewer"; count: number }
  | { media: "count"; value: string };

const malformedInboundArb: fc.Arbitrary<SignedMalformed> = fc
  .tuple(
    inboundFormArb,
    fc.oneof<fc.Arbitrary<InboundMalformation>[]>(
      commonMalformationArb,
      fc.record({
        name: fc.constant("From"),
        value: fc.constantFrom(undefined, "", " ", "whatsapp:", "WhatsApp: "),
        expected: fc.constant(400),
      }),
      fc.record({
        media: fc.constant("count" as const),
        value: fc.oneof(
          fc.constantFrom("-1", "1.0", "1e1", "0x1", "１", "011", "100", "NaN", " 5a"),
          fc.integer({ min: 1, max: 99 }).map(String),
          printableArb(1, 6).filter((count) => count.trim() !== ""),
        ),
      }),
      fc.record({
        media: fc.constant("url" as const),
        at: fc.nat(),
        value: fc.constantFrom(
          "",
          "  ",
          "ftp://api.twilio.com/media",
          "javascript:alert(1)",
          "not a url",
          "//api.twilio.com/media",
          "file:///etc/passwd",
          "data:audio/amr;base64,AAAA",
        ),
      }),
      fc.record({ media: fc.constant("content type" as const), at: fc.nat(), value: fc.constantFrom("", " ") }),
      fc.record({ media: fc.constant("fewer" as const), count: fc.nat() }),
    ),
  )
  .map(([form, change]) => {
    if (!("media" in change)) return malformed(form, change.name, change.value, change.expected);
    const count = Number(valuesOf(form.fields, "NumMedia")[0] ?? "0");
    switch (change.media) {
      case "count": {
        // A count that reads as the number of media sent would be right: one more is missing a URL, or too many.
        const trimmed = change.value.trim();
        const same = /^\d{1,2}$/.test(trimmed) && Number(trimmed) === count;
        return malformed(form, "NumMedia", same ? String(count + 1) : change.value);
      }
      case "fewer":
        return malformed(form, "NumMedia", count === 0 ? "1" : String(change.count % count));
      // With no media sent, the field itself does not match NumMedia.
      case "url":
        return malformed(form, `MediaUrl${change.at % Math.max(1, count)}`, change.value);
      case "content type":
        return malformed(form, `MediaContentType${change.at % Math.max(1, count)}`, change.value);
    }
  });

const signedMalformedArb: fc.Arbitrary<SignedMalformed> = fc.oneof(repeatedFieldArb, malformedInboundArb, malformedStatusArb);

const WRONG_CONTENT_TYPES = [
  "application/json",
  "text/plain",
  "text/plain; charset=utf-8",
  "multipart/form-data; boundary=x",
  "application/xml",
  "application/x-www-form-urlencoded-extra",
  "application/www-form-urlencoded",
  "application/x-www-form-urlencoded; charset=iso-8859-1",
  "application/x-www-form-urlencoded; charset=utf-16",
  'application/x-www-form-urlencoded;charset="latin1"',
  "",
];

const METHODS_WITHOUT_ROUTE = [
  "GET",
  "PUT",
  "DELETE",
  "PATCH",
  "OPTIONS",
  "HEAD",
  "PROPFIND",
  "PURGE",
  "SEARCH",
  "LOCK",
  "MKCOL",
];
const UNKNOWN_METHODS = ["FOO", "BREW", "POSTT", "X-POST"];

const NEAR_MISS_PATHS = [
  `${SMS_PATH}/`,
  `${STATUS_PATH}/`,
  SMS_PATH.toUpperCase(),
  "/webhooks/twilio/Sms",
  "/webhooks//twilio/sms",
  "//webhooks/twilio/sms",
  "/webhooks/twilio/%73ms",
  "/webhooks/twilio/sms%00",
  "/webhooks/twilio/sms;v=1",
  "/webhooks/twilio/sms/..",
  "/webhooks/twilio/./sms",
  "/webhooks/twilio",
  "/webhooks/twilio/voice",
  "/",
  "*",
  `${TEST_TWILIO.publicBaseUrl}${SMS_PATH}`,
  `http://127.0.0.1${STATUS_PATH}`,
];

const WIRE_HEADS = [
  "",
  `POST ${SMS_PATH} HTTP/1.1\r\n`,
  `POST ${STATUS_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM_TYPE}\r\n`,
  `POST ${SMS_PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n`,
  `POST ${SMS_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM_TYPE}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
  `POST ${SMS_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM_TYPE}\r\nX-Twilio-Signature: x\r\nContent-Length: 99999999\r\n\r\n`,
  `POST ${SMS_PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n`,
  `POST ${SMS_PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n`,
  `post ${SMS_PATH} HTTP/1.1\r\nHost: x\r\n`,
  `POST ${SMS_PATH} HTTP/9.9\r\nHost: x\r\n`,
  "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
  `POST ${SMS_PATH} HTTP/1.1\r\nHost: x\r\nX-Twilio-Signature: a\r\n b\r\n`,
  `POST ${SMS_PATH} HTTP/1.1\r\nHost: x\r\nX-Padding: ${"a".repeat(20_000)}\r\n\r\n`,
  `GET ${SMS_PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc`,
];

type BrokenBody = { kind: "junk"; text: string } | { kind: "cut before the last field"; at: number; tail: string };

export type BadRequest =
  | { category: "bad signature"; form: WebhookForm; fault: SignatureFault }
  | { category: "tampered after signing"; form: WebhookForm; tamper: Tamper }
  | { category: "signed but malformed"; malformed: SignedMalformed }
  | { category: "broken form encoding"; form: WebhookForm; body: BrokenBody; signature: "valid for the form" | "none" | "random" }
  | { category: "random bytes"; form: WebhookForm; bytes: Uint8Array; signature: string | undefined }
  | { category: "oversized"; form: WebhookForm; padding: number; chunked: boolean; signed: boolean }
  | { category: "wrong content type"; form: WebhookForm; contentType: string | undefined; contentEncoding: string | undefined }
  | { category: "wrong method"; form: WebhookForm; method: string }
  | { category: "wrong path"; form: WebhookForm; path: string }
  | { category: "garbage on the wire"; head: string; tail: Uint8Array };

const category = <C extends BadRequest["category"]>(name: C) => fc.constant(name);

export const badRequestArb: fc.Arbitrary<BadRequest> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ category: category("bad signature"), form: webhookFormArb, fault: signatureFaultArb }) },
  { weight: 3, arbitrary: fc.record({ category: category("tampered after signing"), form: webhookFormArb, tamper: tamperArb }) },
  { weight: 3, arbitrary: fc.record({ category: category("signed but malformed"), malformed: signedMalformedArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      category: category("broken form encoding"),
      form: webhookFormArb,
      body: fc.oneof(
        fc.record({
          kind: fc.constant("junk" as const),
          text: fc.string({ unit: fc.constantFrom(..."%=&+;[]. 0aAfFgxyz".split("")), minLength: 1, maxLength: 120 }),
        }),
        fc.record({
          kind: fc.constant("cut before the last field" as const),
          at: fc.nat(),
          tail: fc.constantFrom("%", "%4", "%G1", "%%"),
        }),
      ),
      signature: fc.constantFrom("valid for the form" as const, "none" as const, "random" as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      category: category("random bytes"),
      form: webhookFormArb,
      bytes: fc.uint8Array({ maxLength: 2048 }),
      signature: fc.option(printableArb(1, 40), { nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      category: category("oversized"),
      form: webhookFormArb,
      padding: fc.integer({ min: OVERSIZE_BYTES, max: 400_000 }),
      chunked: fc.boolean(),
      signed: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.record({
        category: category("wrong content type"),
        form: webhookFormArb,
        contentType: fc.option(
          fc.oneof(
            fc.constantFrom(...WRONG_CONTENT_TYPES),
            printableArb(0, 60).filter((type) => (type.split(";")[0] ?? "").trim().toLowerCase() !== FORM_TYPE),
          ),
          { nil: undefined },
        ),
        contentEncoding: fc.constant(undefined),
      }),
      fc.record({
        category: category("wrong content type"),
        form: webhookFormArb,
        contentType: fc.constant(FORM_TYPE),
        contentEncoding: fc.oneof(
          fc.constantFrom("gzip", "deflate", "br", "compress", "identity, gzip"),
          printableArb(1, 20).filter((encoding) => !["", "identity"].includes(encoding.trim().toLowerCase())),
        ),
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      category: category("wrong method"),
      form: webhookFormArb,
      method: fc.constantFrom(...METHODS_WITHOUT_ROUTE, ...UNKNOWN_METHODS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      category: category("wrong path"),
      form: webhookFormArb,
      path: fc
        .oneof(
          fc.constantFrom(...NEAR_MISS_PATHS),
          fc.webPath().map((path) => (path.startsWith("/") ? path : `/${path}`)),
          fc.tuple(fc.constantFrom(SMS_PATH, STATUS_PATH), fc.webSegment()).map(([path, segment]) => `${path}/${segment}`),
        )
        .filter((path) => !ROUTED_PATHS.has(path)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      category: category("garbage on the wire"),
      head: fc.constantFrom(...WIRE_HEADS),
      tail: fc.oneof(
        fc.uint8Array({ maxLength: 256 }),
        printableArb(0, 80).map((text) => new TextEncoder().encode(text)),
      ),
    }),
  },
);

/** What is sent for a bad request: an HTTP request, or raw bytes on a fresh connection. */
export type Sendable =
  | { kind: "http"; method: string; target: string; headers: Array<[string, string]>; body: Buffer; chunked: boolean }
  | { kind: "wire"; bytes: Buffer };

export type HttpRequest = Extract<Sendable, { kind: "http" }>;

function httpRequest(
  form: WebhookForm,
  options: { fields?: FormFields; body?: Buffer; signatures?: string[]; method?: string; target?: string; chunked?: boolean },
): HttpRequest {
  const target = options.target ?? targetOf(form.path, form.query);
  const fields = options.fields ?? form.fields;
  const signatures = options.signatures ?? [signFields(publicUrlOf(target), fields)];
  return {
    kind: "http",
    method: options.method ?? "POST",
    target,
    headers: [["content-type", FORM_TYPE], ...signatures.map((value): [string, string] => ["x-twilio-signature", value])],
    body: options.body ?? Buffer.from(encodeForm(fields)),
    chunked: options.chunked ?? false,
  };
}

function brokenBodyOf(form: WebhookForm, body: BrokenBody): string {
  if (body.kind === "junk") return body.text;
  // Cut before the last field, so the form can never read as the signed one.
  const encoded = encodeForm(form.fields);
  return `${encoded.slice(0, body.at % Math.max(1, encoded.lastIndexOf("&")))}${body.tail}`;
}

export function sendableOf(bad: BadRequest): Sendable {
  switch (bad.category) {
    case "bad signature":
      return httpRequest(bad.form, { signatures: signatureHeadersOf(bad.form, bad.fault) });
    case "tampered after signing": {
      const valid = signFields(publicUrlOf(targetOf(bad.form.path, bad.form.query)), bad.form.fields);
      return httpRequest(bad.form, { fields: tamperedFieldsOf(bad.form.fields, bad.tamper), signatures: [valid] });
    }
    case "signed but malformed":
      return httpRequest(bad.malformed.form, {});
    case "broken form encoding": {
      const valid = signFields(publicUrlOf(targetOf(bad.form.path, bad.form.query)), bad.form.fields);
      const signatures = { "valid for the form": [valid], none: [], random: [GARBAGE_SIGNATURE] }[bad.signature];
      return httpRequest(bad.form, { body: Buffer.from(brokenBodyOf(bad.form, bad.body)), signatures });
    }
    case "random bytes":
      return httpRequest(bad.form, {
        body: Buffer.from(bad.bytes),
        signatures: bad.signature === undefined ? [] : [bad.signature],
      });
    case "oversized": {
      const fields: FormFields = [...bad.form.fields.filter(([name]) => name !== "Body"), ["Body", "x".repeat(bad.padding)]];
      const request = httpRequest(bad.form, { fields, chunked: bad.chunked });
      return bad.signed ? request : { ...request, headers: request.headers.filter(([name]) => name !== "x-twilio-signature") };
    }
    case "wrong content type": {
      const request = httpRequest(bad.form, {});
      const headers = request.headers.filter(([name]) => name !== "content-type");
      if (bad.contentType !== undefined) headers.push(["content-type", bad.contentType]);
      if (bad.contentEncoding !== undefined) headers.push(["content-encoding", bad.contentEncoding]);
      const body =
        bad.contentType === "application/json" ? Buffer.from(JSON.stringify(Object.fromEntries(bad.form.fields))) : request.body;
      return { ...request, headers, body };
    }
    case "wrong method":
      return httpRequest(bad.form, { method: bad.method, body: bad.method === "HEAD" ? Buffer.alloc(0) : undefined });
    case "wrong path":
      return httpRequest(bad.form, { target: targetOf(bad.path, bad.form.query) });
    case "garbage on the wire":
      return { kind: "wire", bytes: Buffer.concat([Buffer.from(bad.head, "latin1"), Buffer.from(bad.tail)]) };
  }
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The statuses a bad request may be answered with; none of them 5xx. On the wire, no answer at all is fine too. */
export function expectedStatusesOf(bad: BadRequest): readonly number[] {
  switch (bad.category) {
    case "bad signature":
    case "tampered after signing":
    case "broken form encoding":
      return [403];
    case "signed but malformed":
      return bad.malformed.expected;
    case "random bytes":
      return isUtf8(bad.bytes) ? [403] : [400];
    case "oversized":
      return [413];
    case "wrong content type":
      return [415];
    case "wrong method":
      return METHODS_WITHOUT_ROUTE.includes(bad.method) ? [405] : [400, 405];
    case "wrong path":
      return [400, 404];
    case "garbage on the wire":
      return [400, 403, 404, 405, 413, 415, 431];
  }
}

/** The form a bad request was made from: its phone numbers and text must not reach a log line. */
export function formOf(bad: BadRequest): WebhookForm | undefined {
  if (bad.category === "garbage on the wire") return undefined;
  return bad.category === "signed but malformed" ? bad.malformed.form : bad.form;
}

export const BAD_REQUEST_CATEGORIES: ReadonlyArray<BadRequest["category"]> = [
  "bad signature",
  "tampered after signing",
  "signed but malformed",
  "broken form encoding",
  "random bytes",
  "oversized",
  "wrong content type",
  "wrong method",
  "wrong path",
  "garbage on the wire",
];
