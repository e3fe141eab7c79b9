import type { Logger } from "@sms-todo/shared";
import type { OutboundSms, SmsSendResult, SmsSender } from "./sms.sender.js";

/**
 * The sender used without Twilio credentials: one log line per SMS instead of a send.
 * The text stays out of the log; its length is enough to see that a reply was made.
 */
export class LoggingSmsSender implements SmsSender {
  private readonly log: Logger;

  constructor(logger: Logger) {
    this.log = logger.child({ component: "logging-sms-sender" });
  }

  async send(sms: OutboundSms): Promise<SmsSendResult> {
    this.log.info({ to: sms.to, characters: [...sms.body].length, kind: sms.kind }, "SMS not sent (no Twilio credentials)");
    return { messageSid: undefined };
  }
}
