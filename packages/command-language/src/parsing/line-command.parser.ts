/**
 * The command a single-line message asks for: a fixed phrase, then each intent's recogniser in
 * turn (settings, edit, complete/delete by number), then a verb that lacks its numbers.
 */
import type { Command } from "../commands/command.model.js";
import { ADD_PREFIX } from "./add.parser.js";
import { ALL_WORDS, FIXED_PHRASES, LIST } from "./command.keywords.js";
import { ACKNOWLEDGED_REASON, DELETE_HOW_REASON, NUMBERS_ONLY_REASON, UNDO_HOW_REASON } from "./command.reasons.js";
import { parseEdit } from "./edit.parser.js";
import { parseSettings } from "./settings.parser.js";
import { matchingTokens, phraseOf, settingsText, withoutCourtesy, withoutLeadingCourtesy } from "./text.normalizer.js";
import { COMPLETE_VERBS, DELETE_VERBS, parseNumberedCommand, referencesIn } from "./todo-number.parser.js";

const QUESTION_MARKS_ONLY = /^[\s?¿]+$/u;
const APPROVAL_EMOJI_ONLY = /^(?:[\s.!👍👌🙏🆗]|[\u{1F3FB}-\u{1F3FF}]|\uFE0F|\u200D)+$/u;

/** The command one line asks for, or undefined when the line is a todo. */
export function parseCommandLine(line: string): Command | undefined {
  const nfkc = line.normalize("NFKC");
  if (QUESTION_MARKS_ONLY.test(nfkc)) return LIST;
  if (APPROVAL_EMOJI_ONLY.test(nfkc)) return { kind: "invalid", reason: ACKNOWLEDGED_REASON };
  const tokens = matchingTokens(line);
  const asWritten = FIXED_PHRASES.get(phraseOf(tokens));
  if (asWritten) return asWritten;
  if (ADD_PREFIX.test(line.trim())) return undefined;
  const words = withoutCourtesy(tokens);
  const fixed = FIXED_PHRASES.get(phraseOf(words));
  if (fixed) return fixed;
  return (
    parseSettings(settingsText(line)) ??
    parseEdit(withoutLeadingCourtesy(line)) ??
    parseNumberedCommand(words) ??
    commandWithoutNumbers(words)
  );
}

/** A complete, delete or undo verb without usable numbers: say how it is done. */
function commandWithoutNumbers(words: readonly string[]): Command | undefined {
  const phrase = phraseOf(words);
  const forms: ReadonlyArray<[typeof COMPLETE_VERBS, string]> = [
    [COMPLETE_VERBS, NUMBERS_ONLY_REASON],
    [DELETE_VERBS, DELETE_HOW_REASON],
  ];
  for (const [verbs, reason] of forms) {
    for (const verb of [...verbs.before, ...verbs.after].map((parts) => parts.join(" "))) {
      if (phrase === verb || ALL_WORDS.some((all) => phrase === `${verb} ${all}` || phrase === `${all} ${verb}`)) {
        return { kind: "invalid", reason };
      }
    }
  }
  if (words[0] === "undo" && referencesIn(words.slice(1)) !== undefined) return { kind: "invalid", reason: UNDO_HOW_REASON };
  return undefined;
}
