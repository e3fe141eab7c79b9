/**
 * Every word the command language says to a user: the reasons an Invalid command carries. The
 * reply shows them as they are, so each says what to send instead, with an example, and none
 * quotes the message.
 */
import { MAX_MESSAGE_LENGTH, MAX_REPLY_LENGTH, MAX_TODO_LENGTH, MAX_TODO_NUMBER, MAX_TODOS_PER_MESSAGE } from "@sms-todo/rules";

export const TOO_LONG_REASON = `That todo is too long (max ${MAX_TODO_LENGTH} characters).`;
export const MESSAGE_TOO_LONG_REASON = `That message is too long to read (max ${MAX_MESSAGE_LENGTH.toLocaleString("en-US")} characters). Nothing was changed.`;
export const NUMBERS_ONLY_REASON = 'To complete a todo, send "done" and its number, e.g. "done 3".';
/** A todo named with no verb: "the second one", "that one", "task 3". */
export const WHAT_TO_DO_REASON = 'Done, delete or change it? Text e.g. "done 2", "delete 2" or "edit 2 new words".';
export const NUMBER_RANGE_REASON = `Todo numbers go from 1 to ${MAX_TODO_NUMBER}.`;
export const TOO_MANY_REASON = `That is too many todos at once (max ${MAX_TODOS_PER_MESSAGE} per message).`;
export const DELETE_HOW_REASON = 'To delete a todo, send "delete" and its number, e.g. "delete 4" or "delete 3 and 5".';
export const EDIT_HOW_REASON = 'To change a todo, send "edit", its number and the new text, e.g. "edit 2 buy oat milk".';
export const UNDO_HOW_REASON = 'To revert your most recent change, send "undo" on its own.';
export const SUMMARY_TIME_REASON = 'That is not a time of day. Send e.g. "summary 7am", "summary 19:30" or "summary off".';
export const TIMEZONE_REASON =
  'Unknown timezone. Send a name like "tz Europe/Berlin" or "tz America/New_York", or a big city: "tz London".';
export const ACKNOWLEDGED_REASON = 'Text anything to add a todo, "list" to see your todos, or "help" for the commands.';

/**
 * The command the user sends to confirm a bulk delete, e.g. 'To delete #3, #4 and #5, text
 * "delete 3 4 5".' It names the numbers as the model read them; sending it is the deterministic
 * path, where todo-domain reports any number that is not open.
 */
export function deleteConfirmationHint(numbers: readonly number[]): string {
  const command = `delete ${numbers.join(" ")}`;
  const named = numbers.map((number) => `#${number}`);
  const last = named.pop();
  const list = named.length === 0 ? `${last}` : `${named.join(", ")} and ${last}`;
  const full = `To delete ${list}, text "${command}".`;
  return full.length <= MAX_REPLY_LENGTH ? full : `To delete these ${numbers.length} todos, text "${command}".`;
}

/** Opt-out phrasing that is not the carrier keyword: only the keyword itself stops texts. */
export const OPT_OUT_HINT_REASON = "To stop all texts, text STOP on its own.";
/** Greetings, thanks, goodbyes: nothing to do. */
export const SMALL_TALK_REASON = ACKNOWLEDGED_REASON;
/** A question or request the product has no answer for. */
export const NOT_UNDERSTOOD_REASON = 'I only keep your todos. Text "list" to see them or "help" for the commands.';
/** "create a shopping list": lists need no creating. */
export const CREATE_LIST_REASON = 'A list starts when you add to it: text e.g. "add eggs to my shopping list".';
/** "move the meeting to sometime": a move whose new time could not be read. */
export const RESCHEDULE_REASON = 'To move a todo, text e.g. "snooze 4 1h", "postpone 4 to friday" or "move 4 to 9am".';
/** "mark a task as done", "delete something": which one is not said. */
export const WHICH_TODO_REASON = 'Which todo? Text e.g. "done 3" with its number; "list" shows them.';
/** Time words that name no time todo-domain can use ("snooze 4 to never"). */
export const TIME_NOT_UNDERSTOOD_REASON =
  'I couldn\'t read that time. Text e.g. "snooze 4 1h", "postpone 4 to friday" or "remind me to call mom at 5pm".';
