export type LeakKind = "phone number" | "message body" | "secret";

export interface LeakFinding {
  kind: LeakKind;
  process: string;
  /** What was found, shortened; never the whole line. */
  sample: string;
}

// A todo text the harness sent: "chaos <scenario> <n>".
const BODY_PATTERN = /chaos [a-z0-9]+ \d+/i;
// user:password@ in a URL, unless the password is masked as the logger masks it.
const URL_CREDENTIALS = /\/\/[^/:@\s"]+:(?!\*\*\*@)[^@\s/"]+@/;
const DIGIT_RUNS = /\d{7,}/g;
const KEPT_SAMPLES = 20;

/**
 * Reads every line every process of the stack prints and counts what should never be in a log:
 * a phone number the harness used (as its digits, with or without the country code; masked
 * numbers keep two digits and do not match), a todo text the harness sent, a secret the stack
 * was given, or credentials in a URL. Digits are compared as whole runs, so a timestamp that
 * happens to contain a number's digits is not a finding.
 */
export class LogLeakScanner {
  lines = 0;
  private readonly numbers = new Set<string>();
  private readonly secrets: Array<{ name: string; value: string }> = [];
  readonly counts: Record<LeakKind, number> = { "phone number": 0, "message body": 0, secret: 0 };
  readonly samples: LeakFinding[] = [];

  /** A number the harness texts from; E.164 (+15550001234). */
  registerPhoneNumber(e164: string): void {
    const digits = e164.replace(/\D/g, "");
    this.numbers.add(digits);
    // The national number alone, as a US number is often written.
    if (digits.startsWith("1") && digits.length === 11) this.numbers.add(digits.slice(1));
  }

  registerSecret(name: string, value: string): void {
    if (value.length >= 8) this.secrets.push({ name, value });
  }

  scan(process: string, line: string): void {
    this.lines += 1;
    for (const run of line.match(DIGIT_RUNS) ?? []) {
      if (this.numbers.has(run)) this.record({ kind: "phone number", process, sample: `…${run.slice(-4)} (a used number)` });
    }
    const body = BODY_PATTERN.exec(line);
    if (body) this.record({ kind: "message body", process, sample: body[0] });
    for (const secret of this.secrets) {
      if (line.includes(secret.value)) this.record({ kind: "secret", process, sample: secret.name });
    }
    const credentials = URL_CREDENTIALS.exec(line);
    if (credentials) this.record({ kind: "secret", process, sample: "credentials in a URL" });
  }

  get findings(): number {
    return this.counts["phone number"] + this.counts["message body"] + this.counts.secret;
  }

  private record(finding: LeakFinding): void {
    this.counts[finding.kind] += 1;
    if (this.samples.length < KEPT_SAMPLES) this.samples.push(finding);
  }
}
