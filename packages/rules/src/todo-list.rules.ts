/**
 * Named lists ("shopping", "grocery") and the todo a reply named ("delete it"). The command
 * language normalises list names and todo-domain checks them against the same rule, so a name
 * the parser accepts is never refused further down.
 */

/** The longest list name, in characters, after normalising ("shopping", not "my shopping list"). */
export const MAX_LIST_NAME_LENGTH = 30;

/** Letters, digits, spaces, hyphens and apostrophes; starting with a letter or digit. */
const LIST_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} '’-]*$/u;

/** Whether a normalised list name can name a list; "" is the default list and is not a name. */
export function isValidListName(name: string): boolean {
  return name.length > 0 && [...name].length <= MAX_LIST_NAME_LENGTH && LIST_NAME_PATTERN.test(name);
}

/**
 * How long "it", "that" and "that one" keep meaning the todo the user's last reply named: long
 * enough to read the reply and answer, short enough that "delete it" tomorrow does not act on
 * a todo the user has forgotten about.
 */
export const REFERENCE_FRESH_MS = 30 * 60 * 1000;
