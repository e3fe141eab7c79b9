import { parseArgs } from "node:util";

export type DlqCommand =
  | { kind: "list"; queue: string | undefined; limit: number }
  | { kind: "replay"; queue: string; messageId: string | undefined; all: boolean }
  | { kind: "purge"; queue: string; messageId: string };

export const DEFAULT_LIST_LIMIT = 10;

export const DLQ_USAGE = `usage:
  npm run dlq -- list [queue] [--limit N]                 dead letters per queue; with a queue, its first N (${DEFAULT_LIST_LIMIT})
  npm run dlq -- replay <queue> (--id <messageId> | --all) back to the work queue, acked once the broker confirmed
  npm run dlq -- purge <queue> --id <messageId>           delete one dead letter
queue: text, audio, status or replies (or a queue's full name)
`;

/** The command line of `npm run dlq`, or a reason it is not one. */
export function parseDlqCommand(argv: readonly string[]): DlqCommand | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { id: { type: "string" }, all: { type: "boolean" }, limit: { type: "string" } },
    });
  } catch (error) {
    return { error: (error as Error).message };
  }
  const { positionals, values } = parsed;
  const [command, queue, ...extra] = positionals;
  if (extra.length > 0) return { error: `unexpected ${extra.join(" ")}` };
  switch (command) {
    case "list": {
      if (values.id !== undefined || values.all) return { error: "list takes no --id or --all" };
      const limit = values.limit === undefined ? DEFAULT_LIST_LIMIT : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1) return { error: "--limit must be a whole number above 0" };
      return { kind: "list", queue, limit };
    }
    case "replay": {
      if (!queue) return { error: "replay needs a queue" };
      if (values.limit !== undefined) return { error: "replay takes no --limit" };
      if ((values.id === undefined) === (values.all !== true)) return { error: "replay needs either --id <messageId> or --all" };
      return { kind: "replay", queue, messageId: values.id, all: values.all === true };
    }
    case "purge": {
      if (!queue) return { error: "purge needs a queue" };
      if (values.all || values.limit !== undefined) return { error: "purge deletes one message: --id <messageId> only" };
      if (!values.id) return { error: "purge needs --id <messageId>" };
      return { kind: "purge", queue, messageId: values.id };
    }
    default:
      return { error: command ? `unknown command ${command}` : "no command given" };
  }
}
