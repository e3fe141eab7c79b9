import { describe, expect, it } from "vitest";
import { LogLeakScanner } from "../src/log-leak.scanner.js";

function scannerWith(): LogLeakScanner {
  const scanner = new LogLeakScanner();
  scanner.registerPhoneNumber("+15551500007");
  scanner.registerBodyPattern(/chaos [a-z0-9]+ \d+/i);
  scanner.registerBody("buy oat milk");
  scanner.registerBody('say "hi" to Zoë');
  scanner.registerSecret("TWILIO_AUTH_TOKEN", "test-auth-token-0123456789abcdef");
  return scanner;
}

describe("scanning log lines for what must never be logged", () => {
  it("when a line holds a used number, with or without its country code, then each is a phone-number finding", () => {
    const scanner = scannerWith();
    scanner.scan("notifier", '{"to":"+15551500007","msg":"reply sent"}');
    scanner.scan("notifier", '{"to":"5551500007","msg":"reply sent"}');
    expect(scanner.counts["phone number"]).toBe(2);
  });

  it("when a line holds any E.164 number, registered or not, with its plus sign or percent-encoded, then it is a phone-number finding", () => {
    const scanner = scannerWith();
    scanner.scan("ingress", '{"from":"+447700900123"}');
    scanner.scan("ingress", '{"url":"/Messages.json?To=%2B4930123456789"}');
    expect(scanner.counts["phone number"]).toBe(2);
    expect(scanner.samples.map((sample) => sample.sample)).toEqual(["…0123 (E.164)", "…6789 (E.164)"]);
  });

  it("when the number is masked, or its digits are part of a longer number such as a timestamp, then it is not a finding", () => {
    const scanner = scannerWith();
    scanner.scan("notifier", '{"time":17637855515500007,"to":"+*********07","msg":"reply sent"}');
    expect(scanner.findings).toBe(0);
    expect(scanner.lines).toBe(1);
  });

  it("when a used number's digits are part of an identifier such as a MessageSid, then it is not a finding; standing alone it is", () => {
    const scanner = scannerWith();
    scanner.scan("command", '{"messageId":"SM019aa8e5a48e5551500007b3c0001a2f","msg":"text handled"}');
    expect(scanner.findings).toBe(0);
    scanner.scan("command", '{"key":"rate:5551500007","msg":"rate limited"}');
    expect(scanner.counts["phone number"]).toBe(1);
  });

  it("when a line holds a registered body, as written or escaped in JSON, or one matching a body pattern, then each is a message-body finding", () => {
    const scanner = scannerWith();
    scanner.scan("command", '{"err":{"message":"cannot add chaos s1 42"}}');
    scanner.scan("command", '{"msg":"parsed buy oat milk"}');
    scanner.scan("command", '{"text":"say \\"hi\\" to Zoë"}');
    expect(scanner.counts["message body"]).toBe(3);
  });

  it("when a registered body is too short or has no letter, then it is not looked for: such words appear in log lines anyway", () => {
    const scanner = new LogLeakScanner();
    scanner.registerBody("list");
    scanner.registerBody("12345678");
    scanner.scan("command", '{"msg":"list 12345678 todos"}');
    expect(scanner.findings).toBe(0);
  });

  it("when a line holds a registered secret or unmasked URL credentials, then each is a secret finding; masked credentials are not", () => {
    const scanner = scannerWith();
    scanner.scan("ingress", '{"token":"test-auth-token-0123456789abcdef"}');
    scanner.scan("ingress", '{"msg":"RabbitMQ unreachable at amqp://guest:guest@127.0.0.1:5672"}');
    scanner.scan("ingress", '{"msg":"RabbitMQ unreachable at amqp://guest:***@127.0.0.1:5672"}');
    expect(scanner.counts.secret).toBe(2);
    expect(scanner.samples.map((sample) => sample.sample)).toEqual(["TWILIO_AUTH_TOKEN", "credentials in a URL"]);
  });
});
