import amqplib from "amqplib";
import { createTopology, maskText } from "@sms-todo/shared";
import { runDlqCommand } from "./dead-letters/dlq-command.handler.js";
import { DLQ_USAGE, parseDlqCommand } from "./dead-letters/dlq-command.parser.js";

/**
 * `npm run dlq -- list|replay|purge ...`: an operator's look at the dead-letter queues and the
 * way back out of them. It reads AMQP_URL and SMS_TODO_NAMESPACE as the services do; bodies
 * are shown decoded with phone numbers masked and message texts redacted.
 */

const command = parseDlqCommand(process.argv.slice(2));
if ("error" in command) {
  process.stderr.write(`${command.error}\n\n${DLQ_USAGE}`);
  process.exit(64);
}

const amqpUrl = process.env.AMQP_URL?.trim() || "amqp://guest:guest@127.0.0.1:5672";
const topology = createTopology(process.env.SMS_TODO_NAMESPACE?.trim() ?? "");

let connection: amqplib.ChannelModel;
try {
  connection = await amqplib.connect(amqpUrl);
} catch (error) {
  process.stderr.write(`RabbitMQ unreachable at ${maskText(amqpUrl)}: ${(error as Error).message}\n`);
  process.exit(1);
}
try {
  const channel = await connection.createConfirmChannel();
  const { output, exitCode } = await runDlqCommand(channel, topology, command);
  (exitCode === 0 ? process.stdout : process.stderr).write(output);
  process.exitCode = exitCode;
  await channel.close();
} catch (error) {
  process.stderr.write(`dlq ${command.kind} failed: ${maskText((error as Error).message)}\n`);
  process.exitCode = 1;
} finally {
  await connection.close().catch(() => undefined);
}
