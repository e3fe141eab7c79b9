/**
 * The language benchmark: every corpus utterance through the code path the command service
 * uses (parseCommand, deterministic, no LLM), then, for commands with selectors,
 * resolveSelector against the row's open todos, as todo-domain would. No earlier reply is
 * known, so "it" has no reference. The corpus, its conventions and its reference time are
 * described in corpus/SOURCES.md.
 *
 * Rows whose expectation needs time (due, reschedule, snooze, or an add with a due date or a
 * recurrence) are scored in a section of their own, apart from the headline figures: their time
 * words are read as todo-domain reads them (resolveTiming), at the corpus' reference time
 * (Tuesday 2026-03-10 09:00 on the sender's clock), and must give the expected due, date and rule.
 */
import { existsSync, readFileSync } from "node:fs";
import {
  findMatches,
  parseCommand,
  resolveSelector,
  type Command,
  type OpenTodoRef,
  type TodoSelector,
} from "@sms-todo/command-language";
import { resolveTiming, type TimingWords } from "@sms-todo/command-language/time";

export interface CorpusTodo {
  readonly n: number;
  readonly text: string;
  readonly list?: string;
}

export interface Expectation {
  readonly intent: string;
  /** A due list's span ("today"). */
  readonly range?: string;
  /** A reschedule's new due: a local time, or a date alone. */
  readonly due?: string;
  readonly dueDate?: string;
  readonly items?: ReadonlyArray<{ text: string; list?: string; due?: string; dueDate?: string; recur?: string }>;
  readonly numbers?: readonly number[];
  readonly number?: number;
  readonly text?: string;
  readonly list?: string;
  readonly answer?: "yes" | "no";
}

export interface CorpusRow {
  readonly id: string;
  readonly source: string;
  /**
   * "tuning" rows live in corpus/tuning.jsonl and "unseen" rows in corpus/unseen.jsonl: each set is
   * reported in a column of its own, never in the headline figures.
   */
  readonly split: "dev" | "heldout" | "tuning" | "unseen";
  readonly text: string;
  readonly todos?: readonly CorpusTodo[];
  readonly expect: Expectation;
}

export interface RowResult {
  readonly row: CorpusRow;
  readonly command: Command;
  readonly pass: boolean;
  /** What the command came to, in the words of the expectation. */
  readonly got: string;
  /** The expectation needs time: scored in the time section, not in the headline figures. */
  readonly needsTime: boolean;
  /** The todo is named by its words (not by number, position or "it"). */
  readonly byName: boolean;
}

export interface Tally {
  readonly passed: number;
  readonly total: number;
}

export interface BenchResult {
  readonly rows: readonly RowResult[];
  /** Headline rows (time left out), by split. */
  readonly overall: { readonly dev: Tally; readonly heldout: Tally; readonly all: Tally };
  readonly byIntent: ReadonlyMap<string, { readonly dev: Tally; readonly heldout: Tally; readonly all: Tally }>;
  readonly byName: { readonly dev: Tally; readonly heldout: Tally; readonly all: Tally };
  /** Headline rows that are not adds, and how many of them the parser would store as todos. */
  readonly nonAddStoredAsTodo: Tally;
  /** The rows that need time, scored all the same. */
  readonly time: Tally;
  readonly timeNonAddStoredAsTodo: Tally;
  /** The side sets (tuning, unseen), each scored the same way, apart from the headline figures. */
  readonly sideSets: readonly SideSetResult[];
}

/** A set of rows scored apart from the headline figures. */
export interface SideSetResult {
  readonly name: SideSetName;
  readonly rows: readonly RowResult[];
  readonly overall: Tally;
  readonly byIntent: ReadonlyMap<string, Tally>;
  readonly nonAddStoredAsTodo: Tally;
  readonly time: Tally;
}

const CORPUS = new URL("../corpus/utterances.jsonl", import.meta.url);

/**
 * The side sets: "tuning" may be read and its failures studied; "unseen" measures how well the
 * parser generalises, so its failures are printed only when asked for by name.
 */
export const SIDE_SETS = {
  tuning: new URL("../corpus/tuning.jsonl", import.meta.url),
  unseen: new URL("../corpus/unseen.jsonl", import.meta.url),
} as const;
export type SideSetName = keyof typeof SIDE_SETS;

function loadSideSets(): ReadonlyArray<{ name: SideSetName; rows: readonly CorpusRow[] }> {
  return (Object.keys(SIDE_SETS) as SideSetName[])
    .filter((name) => existsSync(SIDE_SETS[name]))
    .map((name) => ({ name, rows: loadCorpus(SIDE_SETS[name]) }));
}

export function loadCorpus(path: URL = CORPUS): CorpusRow[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as CorpusRow);
}

const TIME_INTENTS = new Set(["due", "reschedule", "snooze"]);

export function needsTime(expect: Expectation): boolean {
  if (TIME_INTENTS.has(expect.intent)) return true;
  if (expect.intent === "settings") return true;
  return (expect.items ?? []).some((item) => item.due !== undefined || item.dueDate !== undefined || item.recur !== undefined);
}

export function runLanguageBench(
  rows: readonly CorpusRow[] = loadCorpus(),
  sideSets: ReadonlyArray<{ name: SideSetName; rows: readonly CorpusRow[] }> = loadSideSets(),
): BenchResult {
  const results = rows.map(scoreRow);
  const headline = results.filter((result) => !result.needsTime);
  const timed = results.filter((result) => result.needsTime);
  const bySplit = (subset: readonly RowResult[]) => ({
    dev: tally(subset.filter((result) => result.row.split === "dev")),
    heldout: tally(subset.filter((result) => result.row.split === "heldout")),
    all: tally(subset),
  });
  const intents = [...new Set(headline.map((result) => result.row.expect.intent))].sort();
  const nonAdds = headline.filter((result) => result.row.expect.intent !== "add");
  const timedNonAdds = timed.filter((result) => result.row.expect.intent !== "add");
  return {
    rows: results,
    overall: bySplit(headline),
    byIntent: new Map(
      intents.map((intent) => [intent, bySplit(headline.filter((result) => result.row.expect.intent === intent))]),
    ),
    byName: bySplit(headline.filter((result) => result.byName)),
    nonAddStoredAsTodo: { passed: nonAdds.filter((result) => result.command.kind === "add").length, total: nonAdds.length },
    time: tally(timed),
    timeNonAddStoredAsTodo: {
      passed: timedNonAdds.filter((result) => result.command.kind === "add").length,
      total: timedNonAdds.length,
    },
    sideSets: sideSets.map(({ name, rows: setRows }) => scoreSideSet(name, setRows)),
  };
}

function scoreSideSet(name: SideSetName, rows: readonly CorpusRow[]): SideSetResult {
  const results = rows.map(scoreRow);
  const headline = results.filter((result) => !result.needsTime);
  const nonAdds = headline.filter((result) => result.row.expect.intent !== "add");
  const intents = [...new Set(headline.map((result) => result.row.expect.intent))];
  return {
    name,
    rows: results,
    overall: tally(headline),
    byIntent: new Map(intents.map((intent) => [intent, tally(headline.filter((r) => r.row.expect.intent === intent))])),
    nonAddStoredAsTodo: { passed: nonAdds.filter((result) => result.command.kind === "add").length, total: nonAdds.length },
    time: tally(results.filter((result) => result.needsTime)),
  };
}

function tally(results: readonly RowResult[]): Tally {
  return { passed: results.filter((result) => result.pass).length, total: results.length };
}

export function percent(part: Tally): number {
  return part.total === 0 ? 100 : (100 * part.passed) / part.total;
}

function scoreRow(row: CorpusRow): RowResult {
  const parsed = parseCommand(row.text);
  const open: OpenTodoRef[] = (row.todos ?? []).map((todo) => ({ number: todo.n, text: todo.text, list: todo.list ?? "" }));
  const command = asTodoDomainDoes(parsed, open);
  const { pass, got } = judge(row.expect, command, open);
  return { row, command, pass, got, needsTime: needsTime(row.expect), byName: namedByWords(row, open) };
}

/** The open todos a command looks at: those of its list, or every one when it names none. */
function inList(open: readonly OpenTodoRef[], list: string | undefined): readonly OpenTodoRef[] {
  return list === undefined ? open : open.filter((todo) => todo.list === list);
}

/** A find that adds what it does not find ("add eggs unless they're on my list") is an add when nothing matches, as in todo-domain. */
function asTodoDomainDoes(command: Command, open: readonly OpenTodoRef[]): Command {
  if (command.kind !== "find" || command.addIfMissing !== true) return command;
  const scope = inList(open, command.list);
  if (findMatches(command.name, scope).length > 0) return command;
  return command.list === undefined
    ? { kind: "add", texts: [command.name] }
    : { kind: "add", texts: [command.name], list: command.list };
}

/** Whether the utterance names its todo by the todo's own words. */
function namedByWords(row: CorpusRow, open: readonly OpenTodoRef[]): boolean {
  if (!["complete", "delete", "edit", "query"].includes(row.expect.intent)) return false;
  const numbers = row.expect.numbers ?? (row.expect.number === undefined ? [] : [row.expect.number]);
  const asText = [{ number: 0, text: row.text, list: "" }];
  return numbers.some((number) => {
    const todo = open.find((candidate) => candidate.number === number);
    return todo !== undefined && findMatches(todo.text, asText).length > 0;
  });
}

interface Judgement {
  readonly pass: boolean;
  readonly got: string;
}

function judge(expect: Expectation, command: Command, open: readonly OpenTodoRef[]): Judgement {
  const got = describe(command, open);
  const pass = (() => {
    switch (expect.intent) {
      case "add":
        return command.kind === "add" && sameItems(expect, command.texts, command.list, command.timings);
      case "due":
        return command.kind === "list" && command.due === expect.range;
      case "reschedule":
      case "snooze": {
        if (command.kind !== "reschedule") return false;
        const [number] = resolvedNumbers([command.target], open, command.list) ?? [];
        return number === expect.number && sameDue(expect, { when: command.when });
      }
      case "complete":
      case "delete":
        return (
          command.kind === expect.intent &&
          sameNumbers(resolvedNumbers(command.targets, open, command.list), expect.numbers ?? [])
        );
      case "edit": {
        if (command.kind !== "edit") return false;
        const [number] = resolvedNumbers([command.target], open, command.list) ?? [];
        return number === expect.number && sameText(command.text, expect.text ?? "");
      }
      case "list":
        return command.kind === "list" && command.countOnly !== true && command.list === expect.list;
      case "count":
        return command.kind === "list" && command.countOnly === true && command.list === expect.list;
      case "query": {
        if (command.kind !== "find") return false;
        const scope = inList(open, command.list);
        const matches = findMatches(command.name, scope);
        return expect.answer === "yes" ? matches[0]?.number === expect.number : matches.length === 0;
      }
      case "clear":
      case "remove_list":
        return (
          (command.kind === "delete" || (command.kind === "complete" && expect.intent === "clear")) &&
          command.targets.length === 1 &&
          command.targets[0]?.by === "all" &&
          command.list === expect.list
        );
      case "create_list":
      case "not_command":
        return command.kind === "invalid";
      case "opt_out_hint":
        return command.kind === "invalid" && /\bSTOP\b/u.test(command.reason);
      case "ask_which":
        return (
          (command.kind === "complete" || command.kind === "delete") &&
          command.targets.some(
            (target) => target.by !== "all" && resolveSelector(target, open, { list: command.list }).kind !== "one",
          )
        );
      default:
        return command.kind === expect.intent;
    }
  })();
  return { pass, got };
}

/** The #N each selector resolves to, or undefined when one does not resolve to exactly one todo. */
function resolvedNumbers(
  targets: readonly TodoSelector[],
  open: readonly OpenTodoRef[],
  list: string | undefined,
): number[] | undefined {
  const numbers: number[] = [];
  for (const target of targets) {
    const resolution = resolveSelector(target, open, { list });
    if (resolution.kind !== "one") return undefined;
    numbers.push(resolution.todo.number);
  }
  return numbers;
}

function sameNumbers(got: readonly number[] | undefined, expected: readonly number[]): boolean {
  if (got === undefined) return false;
  const a = [...new Set(got)].sort((x, y) => x - y);
  const b = [...new Set(expected)].sort((x, y) => x - y);
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function sameItems(
  expect: Expectation,
  texts: readonly string[],
  list: string | undefined,
  timings: ReadonlyArray<TimingWords | undefined> = [],
): boolean {
  const items = expect.items ?? [];
  if (items.length !== texts.length) return false;
  return items.every(
    (item, index) =>
      sameText(texts[index] ?? "", item.text) && (item.list ?? undefined) === list && sameDue(item, timings[index]),
  );
}

/** The corpus' reference time: Tuesday 2026-03-10 09:00 on the sender's clock (read here as UTC). */
const REFERENCE_TIME = new Date("2026-03-10T09:00:00Z");
const REFERENCE_ZONE = "UTC";

/**
 * Whether time words give the expected due: `due` a local date and time, `dueDate` a date alone,
 * `recur` the rule. A recurrence given without a day ("a monthly reminder for paying rent") is
 * checked by its rule alone. No expectation means no time words.
 */
function sameDue(expected: { due?: string; dueDate?: string; recur?: string }, words: TimingWords | undefined): boolean {
  const wanted = expected.due !== undefined || expected.dueDate !== undefined || expected.recur !== undefined;
  if (words === undefined) return !wanted;
  const schedule = resolveTiming(words, REFERENCE_TIME, REFERENCE_ZONE);
  if (schedule === null) return false;
  if ((expected.recur ?? null) !== schedule.rule) return false;
  const { date, time } = schedule.due;
  if (expected.due !== undefined) return time !== null && `${date}T${time}` === expected.due;
  if (expected.dueDate !== undefined) return time === null && date === expected.dueDate;
  return expected.recur !== undefined;
}

/** Case-insensitive, a leading a/an/the/some/my and surrounding punctuation and quotes ignored. */
export function comparable(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/gu, " ")
    .replace(/^[\s"'“”‘’`.,;:!?()-]+|[\s"'“”‘’`.,;:!?()-]+$/gu, "")
    .replace(/^(?:(?:a|an|the|some|my)\s+)+/u, "")
    .trim();
}

function sameText(got: string, expected: string): boolean {
  return comparable(got) === comparable(expected);
}

/** A short account of a command and what its selectors resolve to. */
export function describe(command: Command, open: readonly OpenTodoRef[]): string {
  const list = "list" in command && command.list !== undefined ? ` [${command.list}]` : "";
  switch (command.kind) {
    case "add":
      return `add ${command.texts.map((text, index) => JSON.stringify(text) + timingText(command.timings?.[index])).join(", ")}${list}`;
    case "reschedule":
      return `reschedule ${selectorText(command.target, open, command.list)}${timingText({ when: command.when })}`;
    case "complete":
    case "delete":
      return `${command.kind} ${command.targets.map((target) => selectorText(target, open, command.list)).join(", ")}${list}`;
    case "edit":
      return `edit ${selectorText(command.target, open, command.list)} to ${JSON.stringify(command.text)}${list}`;
    case "list":
      return `list${command.countOnly === true ? " (count)" : ""}${command.due === undefined ? "" : ` (due ${command.due})`}${list}`;
    case "find":
      return `find ${JSON.stringify(command.name)}${list} → ${
        findMatches(command.name, inList(open, command.list))
          .map((todo) => `#${todo.number}`)
          .join(" ") || "none"
      }`;
    case "invalid":
      return `invalid (${command.reason})`;
    case "settings":
      return `settings ${JSON.stringify(command.change)}`;
    case "subscription":
      return command.subscribed ? "opt-in" : "opt-out";
    default:
      return command.kind;
  }
}

/** " (due 2026-03-10T17:00)", " (due 2026-03-14, FREQ=WEEKLY;BYDAY=MO)": time words as read at the reference time. */
function timingText(words: TimingWords | undefined): string {
  if (words === undefined) return "";
  const schedule = resolveTiming(words, REFERENCE_TIME, REFERENCE_ZONE);
  if (schedule === null) return ` (unread time ${JSON.stringify(words)})`;
  const { date, time } = schedule.due;
  return ` (due ${time === null ? date : `${date}T${time}`}${schedule.rule === null ? "" : `, ${schedule.rule}`})`;
}

function selectorText(selector: TodoSelector, open: readonly OpenTodoRef[], list: string | undefined): string {
  const resolution = resolveSelector(selector, open, { list });
  const outcome =
    resolution.kind === "one"
      ? `#${resolution.todo.number}`
      : resolution.kind === "ambiguous"
        ? `ambiguous ${resolution.candidates.map((todo) => `#${todo.number}`).join("/")}`
        : resolution.kind;
  switch (selector.by) {
    case "number":
      return `#${selector.number}`;
    case "name":
      return `name ${JSON.stringify(selector.name)} → ${outcome}`;
    case "position":
      return `position ${selector.position} → ${outcome}`;
    case "reference":
      return `it → ${outcome}`;
    case "all":
      return "all";
  }
}

export function expectationText(expect: Expectation): string {
  const { intent, ...rest } = expect;
  return Object.keys(rest).length === 0 ? intent : `${intent} ${JSON.stringify(rest)}`;
}

/** " (delete 3, list 2)": which requests the non-adds stored as todos were, counted by expected intent. */
function storedByIntent(rows: readonly RowResult[]): string {
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (row.needsTime || row.row.expect.intent === "add" || row.command.kind !== "add") continue;
    counts.set(row.row.expect.intent, (counts.get(row.row.expect.intent) ?? 0) + 1);
  }
  const parts = [...counts].sort(([, a], [, b]) => b - a).map(([intent, count]) => `${intent} ${count}`);
  return parts.length === 0 ? "" : ` (${parts.join(", ")})`;
}

/** The printed report: per intent, overall by split, by name, non-adds stored as todos, the time section and every failure. */
export function formatReport(result: BenchResult, options: { readonly failuresOf?: "all" | "dev" | SideSetName } = {}): string {
  const pct = (tally: Tally) => `${percent(tally).toFixed(1)} % (${tally.passed}/${tally.total})`;
  const lines: string[] = [];
  lines.push("Language benchmark: parseCommand (deterministic, no LLM) + resolveSelector on the corpus' todos.");
  lines.push(
    "Rows whose expectation needs time (due, reschedule, snooze, adds with a due date or recurrence) are left out of the headline figures; see the time section.",
  );
  lines.push("");
  lines.push(
    `${"intent".padEnd(14)}${["dev", "heldout", "all", ...result.sideSets.map((set) => set.name)].map((name) => name.padEnd(22)).join("")}`.trimEnd(),
  );
  const intents = [...new Set([...result.byIntent.keys(), ...result.sideSets.flatMap((set) => [...set.byIntent.keys()])])].sort();
  const none: Tally = { passed: 0, total: 0 };
  for (const intent of intents) {
    const split = result.byIntent.get(intent) ?? { dev: none, heldout: none, all: none };
    const columns = [split.dev, split.heldout, split.all, ...result.sideSets.map((set) => set.byIntent.get(intent) ?? none)];
    lines.push(`${intent.padEnd(14)}${columns.map((column) => pct(column).padEnd(22)).join("")}`.trimEnd());
  }
  lines.push("");
  lines.push(`overall dev: ${pct(result.overall.dev)}`);
  lines.push(`overall heldout: ${pct(result.overall.heldout)}`);
  lines.push(`overall: ${pct(result.overall.all)}`);
  lines.push(`by name: dev ${pct(result.byName.dev)}, heldout ${pct(result.byName.heldout)}, all ${pct(result.byName.all)}`);
  lines.push(`non-add requests stored as todos: ${pct(result.nonAddStoredAsTodo)}`);
  for (const set of result.sideSets) {
    lines.push(
      `${set.name} set (not in the figures above): ${pct(set.overall)}; non-adds stored as todos: ${pct(set.nonAddStoredAsTodo)}${storedByIntent(set.rows)}; time rows ${pct(set.time)}`,
    );
  }
  lines.push("");
  lines.push(
    `time (not in the figures above): ${pct(result.time)} understood as expected; non-adds stored as todos: ${result.timeNonAddStoredAsTodo.passed}/${result.timeNonAddStoredAsTodo.total}`,
  );
  const sideSet = result.sideSets.find((set) => set.name === options.failuresOf);
  const shown = sideSet ? sideSet.rows : result.rows;
  const failures = shown.filter(
    (row) => !row.pass && !row.needsTime && (options.failuresOf !== "dev" || row.row.split === "dev"),
  );
  lines.push("");
  const which = options.failuresOf === "dev" ? " (dev only)" : sideSet ? ` (${sideSet.name} set)` : "";
  lines.push(`failures${which}: ${failures.length}`);
  for (const failure of failures) {
    lines.push(`- ${failure.row.id} (${failure.row.split}) ${JSON.stringify(failure.row.text)}`);
    lines.push(`    expected ${expectationText(failure.row.expect)}; got ${failure.got}`);
  }
  return lines.join("\n");
}
