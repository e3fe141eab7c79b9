import { Redis } from "ioredis";
import { AmqpBroker, createLogger, createTopology, runService } from "@sms-todo/shared";
import { createApp } from "./app.js";
import { loadNotifierConfig, twilioSettingsOf } from "./notifier.config.js";
import { LoggingSmsSender } from "./sms/logging-sms.sender.js";
import type { SmsSender } from "./sms/sms.sender.js";
import { TwilioSmsSender } from "./sms/twilio-sms.sender.js";

const logger = createLogger({ name: "notifier" });

await runService({
  logger,
  create: () => {
    const config = loadNotifierConfig(process.env);
    logger.level = config.LOG_LEVEL;
    const twilio = twilioSettingsOf(config);
    const sender: SmsSender = twilio ? new TwilioSmsSender({ settings: twilio, logger }) : new LoggingSmsSender(logger);
    if (!twilio) logger.warn("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set: SMS are written to the log, not sent");
    const broker = new AmqpBroker({ url: config.AMQP_URL, topology: createTopology(config.SMS_TODO_NAMESPACE), logger });
    const redis = new Redis(config.REDIS_URL, { lazyConnect: true });
    return createApp({ config, logger, broker, redis, sender, keyPrefix: `${config.SMS_TODO_NAMESPACE}sms-todo:` });
  },
});
