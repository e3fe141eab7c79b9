import { describe, expect, it } from "vitest";
import { todo } from "@sms-todo/contracts";
import { decodeOutcome, encodeOutcome, fromOutcomeMessage, toOutcomeMessage } from "../src/outcomes/outcome.codec.js";
import type { Outcome, TodoItem } from "../src/outcomes/outcome.types.js";

const milk: TodoItem = { id: "0b7c6f4e-0000-4000-8000-000000000001", number: 1, text: "buy milk", status: "open", list: "" };
const bread: TodoItem = { id: "0b7c6f4e-0000-4000-8000-000000000002", number: 0, text: "bake bread", status: "done", list: "" };
const rent: TodoItem = { id: "0b7c6f4e-0000-4000-8000-000000000003", number: 0, text: "pay rent", status: "deleted", list: "" };
const eggs: TodoItem = { id: "0b7c6f4e-0000-4000-8000-000000000004", number: 2, text: "eggs", status: "open", list: "shopping" };
const oatMilk: TodoItem = {
  id: "0b7c6f4e-0000-4000-8000-000000000005",
  number: 5,
  text: "buy oat milk",
  status: "open",
  list: "",
};
const dentist: TodoItem = {
  id: "0b7c6f4e-0000-4000-8000-000000000006",
  number: 3,
  text: "dentist",
  status: "open",
  list: "",
  due: { date: "2026-12-11", time: "09:30", atMs: Date.parse("2026-12-11T14:30:00Z"), repeat: "every Friday", day: "later" },
};

const outcomes: Outcome[] = [
  { kind: "added", todos: [dentist], heard: "" },
  { kind: "added", todos: [milk], heard: "" },
  { kind: "added", todos: [], heard: "buy milk and…" },
  { kind: "completed", todos: [bread], unknownNumbers: [7], openNumbers: [1, 2] },
  { kind: "deleted", todos: [rent], unknownNumbers: [], openNumbers: [] },
  { kind: "edited", todo: { ...milk, text: "buy oat milk" }, previousText: "buy milk", unknownNumbers: [], openNumbers: [] },
  { kind: "edited", todo: undefined, previousText: "", unknownNumbers: [4], openNumbers: [1] },
  { kind: "list", todos: [milk], list: "", countOnly: false, due: "all" },
  { kind: "list", todos: [eggs], list: "shopping", countOnly: true, due: "all" },
  { kind: "list", todos: [dentist], list: "", countOnly: false, due: "today" },
  { kind: "rescheduled", todo: dentist, previous: { date: "2026-12-07", time: null, atMs: 0, repeat: "", day: "overdue" } },
  { kind: "rescheduled", todo: dentist, previous: undefined },
  { kind: "reminder", todo: dentist, late: true },
  { kind: "repeatStopped", todo: { ...dentist, due: { ...dentist.due!, repeat: "" } } },
  { kind: "help" },
  { kind: "undone", change: "add", todos: [rent], nothingToUndo: false },
  { kind: "undone", change: "complete", todos: [milk], nothingToUndo: false },
  { kind: "undone", change: "edit", todos: [milk], nothingToUndo: false },
  { kind: "undone", change: "delete", todos: [milk], nothingToUndo: false },
  { kind: "undone", change: null, todos: [], nothingToUndo: true },
  { kind: "settings", summaryTime: "08:30", timezone: "Europe/Berlin" },
  { kind: "settings", summaryTime: null, timezone: null },
  { kind: "subscription", subscribed: false },
  { kind: "more" },
  { kind: "rejected", reason: "That todo is too long." },
  { kind: "summary", todos: [milk, eggs], localDate: "2026-11-22", timezone: "America/New_York" },
  {
    kind: "notResolved",
    action: "complete",
    reason: "ambiguous",
    query: "milk",
    candidates: [milk, oatMilk],
    open: [milk, oatMilk, eggs],
    list: "",
    text: "",
  },
  {
    kind: "notResolved",
    action: "delete",
    reason: "no-match",
    query: "mlik",
    candidates: [],
    open: [eggs],
    list: "shopping",
    text: "",
  },
  {
    kind: "notResolved",
    action: "edit",
    reason: "no-reference",
    query: "",
    candidates: [],
    open: [milk],
    list: "",
    text: "oat milk",
  },
  { kind: "notResolved", action: "delete", reason: "no-such-position", query: "", candidates: [], open: [], list: "", text: "" },
  { kind: "confirmationNeeded", action: "delete", todos: [eggs], list: "shopping" },
  { kind: "confirmationNeeded", action: "complete", todos: [milk, oatMilk, eggs], list: "" },
  { kind: "found", query: "milk", matches: [milk, oatMilk], list: "" },
  { kind: "found", query: "cereal", matches: [], list: "shopping" },
];

describe("outcome codec", () => {
  it.each(outcomes.map((outcome, index) => [outcome.kind, index + 1, outcome] as const))(
    "when a %s outcome (sample %i) is encoded and decoded, then it reads back unchanged",
    (_kind, _sample, outcome) => {
      expect(decodeOutcome(encodeOutcome(outcome))).toEqual(outcome);
    },
  );

  it("when outcomes stored as todo.v1.Outcome bytes are read and written again, then the bytes are the same", () => {
    const stored: todo.Outcome[] = [
      { kind: { $case: "help", value: {} } },
      {
        kind: {
          $case: "undone",
          value: { change: todo.UndoneChange.UNDONE_CHANGE_UNSPECIFIED, todos: [], nothingToUndo: true },
        },
      },
      { kind: { $case: "settings", value: { summaryTime: "", summaryOff: true, timezone: "" } } },
      {
        kind: {
          $case: "completed",
          value: {
            todos: [
              { id: milk.id, number: 0, text: "buy milk", status: todo.TodoStatus.TODO_STATUS_DONE, list: "", due: undefined },
            ],
            unknownNumbers: [3],
            openNumbers: [2],
          },
        },
      },
    ];
    for (const message of stored) {
      const bytes = todo.Outcome.encode(message).finish();
      expect(todo.Outcome.encode(toOutcomeMessage(decodeOutcome(bytes))).finish()).toEqual(bytes);
    }
  });

  it("when an outcome was stored before todos had lists, then its todos read back on the default list", () => {
    // A Todo as written before field 5 existed: id, number, text, status only.
    const oldTodo = new Uint8Array([
      ...[0x08, 0x03], // number = 3
      ...[0x12, 0x04, ...new TextEncoder().encode("eggs")], // text
      ...[0x18, 0x01], // status = OPEN
    ]);
    const oldAdded = new Uint8Array([0x0a, oldTodo.length, ...oldTodo]); // TodosAdded.todos
    const oldOutcome = new Uint8Array([0x0a, oldAdded.length, ...oldAdded]); // Outcome.added
    expect(decodeOutcome(oldOutcome)).toEqual({
      kind: "added",
      todos: [{ id: "", number: 3, text: "eggs", status: "open", list: "" }],
      heard: "",
    });
  });

  it("when a settings outcome turns the summary off, then the message says summary_off with no time", () => {
    expect(toOutcomeMessage({ kind: "settings", summaryTime: null, timezone: "Asia/Tokyo" })).toEqual({
      kind: { $case: "settings", value: { summaryTime: "", summaryOff: true, timezone: "Asia/Tokyo" } },
    });
  });

  it("when a message has no outcome kind, then reading it fails", () => {
    expect(() => fromOutcomeMessage({ kind: undefined })).toThrow(/without a kind/);
  });
});
