import type { ConfirmChannel } from "amqplib";
import type { Topology } from "@sms-todo/shared";
import { describeDeadLetter, formatCounts, formatDeadLetters } from "./dead-letter.formatter.js";
import {
  countDeadLetters,
  findQueuePair,
  peekDeadLetters,
  purgeDeadLetters,
  queuePairs,
  replayDeadLetters,
  type QueuePair,
} from "./dead-letter.repository.js";
import type { DlqCommand } from "./dlq-command.parser.js";

export interface DlqOutcome {
  output: string;
  /** 0 done, 1 nothing matched or the broker refused, 64 a queue that does not exist. */
  exitCode: 0 | 1 | 64;
}

/** Runs one `npm run dlq` command on a confirm channel; the caller owns the connection. */
export async function runDlqCommand(channel: ConfirmChannel, topology: Topology, command: DlqCommand): Promise<DlqOutcome> {
  if (command.kind === "list" && command.queue === undefined) {
    return { output: formatCounts(await countDeadLetters(channel, topology)), exitCode: 0 };
  }
  const pair = findQueuePair(topology, command.queue ?? "");
  if (!pair) {
    const names = queuePairs(topology).map((known) => known.name);
    return { output: `unknown queue ${command.queue}; one of ${names.join(", ")}\n`, exitCode: 64 };
  }
  switch (command.kind) {
    case "list":
      return list(channel, pair, command.limit);
    case "replay": {
      const result = await replayDeadLetters(channel, pair, command.all ? "all" : { messageId: command.messageId ?? "" });
      const lines = [
        `replayed ${result.replayed.length} from ${pair.deadLetterQueue} to ${pair.workQueue}${result.replayed.length > 0 ? `: ${result.replayed.join(", ")}` : ""}`,
      ];
      if (result.refused.length > 0) lines.push(`refused by the broker, still dead letters: ${result.refused.join(", ")}`);
      const nothing = !command.all && result.replayed.length === 0 && result.refused.length === 0;
      if (nothing) lines.push(`no dead letter with messageId ${command.messageId} in ${pair.deadLetterQueue}`);
      return { output: lines.join("\n") + "\n", exitCode: nothing || result.refused.length > 0 ? 1 : 0 };
    }
    case "purge": {
      const purged = await purgeDeadLetters(channel, pair.deadLetterQueue, command.messageId);
      if (purged === 0)
        return { output: `no dead letter with messageId ${command.messageId} in ${pair.deadLetterQueue}\n`, exitCode: 1 };
      return { output: `purged ${purged} from ${pair.deadLetterQueue}: ${command.messageId}\n`, exitCode: 0 };
    }
  }
}

async function list(channel: ConfirmChannel, pair: QueuePair, limit: number): Promise<DlqOutcome> {
  const { messageCount } = await channel.checkQueue(pair.deadLetterQueue);
  const messages = await peekDeadLetters(channel, pair.deadLetterQueue, limit);
  return { output: formatDeadLetters(pair.deadLetterQueue, messageCount, messages.map(describeDeadLetter)), exitCode: 0 };
}
