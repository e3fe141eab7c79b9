import { PHONE_NUMBER_DIGITS } from "@sms-todo/rules";

export type LeakKind = "phone number" | "message body" | "secret";

export interface LeakFinding {
  kind: LeakKind;
  /** The process or logger that printed the line. */
  source: string;
  /** What was found, shortened; never the whole line. */
  sample: string;
}

// user:password@ in a URL, unless the password is masked as the logger masks it.
const URL_CREDENTIALS = /\/\/[^/:@\s"]+:(?!\*\*\*@)[^@\s/"]+@/;
// A number written as E.164, with its plus sign or the plus percent-encoded; masked numbers have stars.
const E164 = new RegExp(`(?:\\+|%2B)(\\d{${PHONE_NUMBER_DIGITS.min},${PHONE_NUMBER_DIGITS.max}})(?!\\d)`, "gi");
// Whole runs of digits that stand alone: not part of a longer number, nor of an identifier such as a MessageSid
// (SM + 32 hex digits, where a run of ten decimal digits is common and sometimes equals a used number).
const DIGIT_RUNS = /(?<![\p{L}\d])\d{7,}(?![\p{L}\d])/gu;
// Shorter texts ("list", "help", "x") are words a log line may hold for other reasons.
const MIN_BODY_LENGTH = 6;
const KEPT_SAMPLES = 20;

/**
 * Counts what should never be in a log line: a phone number (any E.164 number, and the digits of
 * a registered one with or without its country code; masked numbers keep two digits and do not
 * match), a registered message body or one matching a registered pattern, a registered secret,
 * or credentials in a URL. Digits are compared as whole runs standing alone, so a timestamp or an
 * identifier that happens to contain a number's digits is not a finding.
 */
export class LogLeakScanner {
  lines = 0;
  private readonly numbers = new Set<string>();
  private readonly bodies = new Set<string>();
  private readonly bodyPatterns: RegExp[] = [];
  private readonly secrets: Array<{ name: string; value: string }> = [];
  readonly counts: Record<LeakKind, number> = { "phone number": 0, "message body": 0, secret: 0 };
  readonly samples: LeakFinding[] = [];

  /** A number texted from or to; E.164 (+15550001234). */
  registerPhoneNumber(e164: string): void {
    const digits = e164.replace(/\D/g, "");
    if (digits.length < 7) return;
    this.numbers.add(digits);
    // The national number alone, as a US number is often written.
    if (digits.startsWith("1") && digits.length === 11) this.numbers.add(digits.slice(1));
  }

  /** A message text as users send or receive it; also looked for as it reads inside a JSON string. */
  registerBody(text: string): void {
    const trimmed = text.trim();
    if (trimmed.length < MIN_BODY_LENGTH || !/\p{L}/u.test(trimmed)) return;
    this.bodies.add(trimmed);
    const escaped = JSON.stringify(trimmed).slice(1, -1);
    if (escaped !== trimmed) this.bodies.add(escaped);
  }

  /** Texts too many to list, such as every todo text of a load run ("chaos 3 1234"). */
  registerBodyPattern(pattern: RegExp): void {
    this.bodyPatterns.push(new RegExp(pattern.source, pattern.flags.replace("g", "")));
  }

  registerSecret(name: string, value: string): void {
    if (value.length >= 8) this.secrets.push({ name, value });
  }

  scan(source: string, line: string): void {
    this.lines += 1;
    const e164 = new Set<string>();
    for (const match of line.matchAll(E164)) {
      const digits = match[1] ?? "";
      e164.add(digits);
      this.record({ kind: "phone number", source, sample: `…${digits.slice(-4)} (E.164)` });
    }
    for (const run of line.match(DIGIT_RUNS) ?? []) {
      if (this.numbers.has(run) && !e164.has(run))
        this.record({ kind: "phone number", source, sample: `…${run.slice(-4)} (a used number)` });
    }
    for (const pattern of this.bodyPatterns) {
      const body = pattern.exec(line);
      if (body) this.record({ kind: "message body", source, sample: body[0] });
    }
    for (const body of this.bodies) {
      if (line.includes(body)) this.record({ kind: "message body", source, sample: body.slice(0, 24) });
    }
    for (const secret of this.secrets) {
      if (line.includes(secret.value)) this.record({ kind: "secret", source, sample: secret.name });
    }
    if (URL_CREDENTIALS.test(line)) this.record({ kind: "secret", source, sample: "credentials in a URL" });
  }

  get findings(): number {
    return this.counts["phone number"] + this.counts["message body"] + this.counts.secret;
  }

  private record(finding: LeakFinding): void {
    this.counts[finding.kind] += 1;
    if (this.samples.length < KEPT_SAMPLES) this.samples.push(finding);
  }
}
