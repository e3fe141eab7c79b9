import { LogLeakScanner } from "./log-leak.scanner.js";
import { TEST_TWILIO } from "./test-credentials.js";

/**
 * The log scan of the test suites. Every line a test file's loggers (captureLogs) and child
 * processes (ChildProcessRunner) print is kept here, with the phone numbers and message texts
 * the testkit's webhooks, stand-ins and fixtures used; log-audit.setup.ts scans them when the
 * file's tests are done. One instance per test file: vitest loads modules afresh for each.
 */
const lines: Array<{ source: string; line: string }> = [];
const phoneNumbers = new Set<string>();
const bodies = new Set<string>();
// Off outside the test suites: the bench and the chaos run print far more lines and scan their own.
let enabled = false;

/** Called by log-audit.setup.ts before a test file runs. */
export function enableLogAudit(): void {
  enabled = true;
}

/** Keeps a printed log line for the scan at the end of the test file. */
export function auditLogLine(source: string, line: string): void {
  if (enabled) lines.push({ source, line });
}

/** A phone number a test texted from or to; it must never appear unmasked in a log line. */
export function auditPhoneNumber(e164: string | null | undefined): void {
  if (enabled && e164) phoneNumbers.add(e164);
}

/**
 * A message text a test sent (SMS body, transcript); it must never appear in a log line. Replies
 * are not registered: their fixed wording may be logged, and the user's words in them are the
 * ones registered here. A test text should not be a copy of the product's own examples either.
 */
export function auditBody(text: string | null | undefined): void {
  if (enabled && text) bodies.add(text);
}

/** Scans every line kept since the last scan against every number and text registered, then forgets the lines. */
export function scanAuditedLogs(): LogLeakScanner {
  const scanner = new LogLeakScanner();
  scanner.registerSecret("TWILIO_AUTH_TOKEN", TEST_TWILIO.authToken);
  scanner.registerSecret(
    "Twilio Basic credentials",
    Buffer.from(`${TEST_TWILIO.accountSid}:${TEST_TWILIO.authToken}`).toString("base64"),
  );
  for (const number of phoneNumbers) scanner.registerPhoneNumber(number);
  for (const body of bodies) scanner.registerBody(body);
  for (const { source, line } of lines.splice(0)) scanner.scan(source, line);
  return scanner;
}
