import { runCommand } from "../commands/command.transaction.js";
import type { CommandContext, CommandDeps, CommandResult } from "../commands/command.types.js";
import type { TimingWords } from "@sms-todo/command-language/time";
import { addOpenTodos } from "../todos/todo-changes.js";
import { userClockOf } from "../todos/todo-due.js";
import { timedTexts } from "../todos/todo-timing.js";
import { heardExcerpt } from "./heard-excerpt.js";

export interface VoiceNote {
  transcript: string;
  /** The todo texts found in the transcript; may be empty. */
  texts: readonly string[];
  /** Empty, or the words for when of each text. */
  timings: ReadonlyArray<TimingWords | undefined>;
  /** The named list the todos go on; "" for the default list. */
  list: string;
  media: { url: string; contentType: string; sizeBytes: number; durationSeconds: number | null };
}

/**
 * Stores a voice note's transcript for reprocessing and adds the todos heard in it, as one
 * saga: the todos with the saga log, then the transcript, then one audit event per todo.
 * The reply quotes the start of the transcript, also when no todo was found in it.
 */
export async function recordVoiceNote(deps: CommandDeps, context: CommandContext, note: VoiceNote): Promise<CommandResult> {
  return runCommand(deps, "record-voice-note", context, async (trx, user) => {
    const clock = userClockOf(user, context.receivedAt);
    const { texts, dues } = timedTexts(note.texts, note.timings, clock);
    const heard = heardExcerpt(note.transcript);
    return {
      ...(await addOpenTodos(trx, user.id, { texts, dues, list: note.list, source: "voice" }, heard, clock)),
      transcript: {
        messageId: context.messageId,
        phoneNumber: context.phoneNumber,
        idempotencyKey: context.idempotencyKey,
        text: note.transcript,
        media: note.media,
      },
    };
  });
}
