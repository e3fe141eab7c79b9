import { describe, expect, it } from "vitest";
import { MAX_REPLY_LENGTH, MAX_TODOS_PER_MESSAGE } from "@sms-todo/rules";
import { todo } from "@sms-todo/contracts";
import { AppError } from "@sms-todo/shared";
import { EMPTY_LIST_REPLY, HELP_REPLY, NO_MORE_PAGES_REPLY } from "../src/replies/reply.phrases.js";
import { outcomeKindOf, renderReply } from "../src/replies/reply.renderer.js";

const open = (number: number, text: string, list = "", due?: todo.Due): todo.Todo => ({
  number,
  text,
  status: todo.TodoStatus.TODO_STATUS_OPEN,
  id: `id-${number}`,
  list,
  due,
});
const done = (number: number, text: string, list = "") => ({
  number,
  text,
  status: todo.TodoStatus.TODO_STATUS_DONE,
  id: `id-${number}`,
  due: undefined,
  list,
});
const reopened = (number: number, text: string) => open(number, text);
const removed = (text: string): todo.Todo => ({
  number: 0,
  text,
  status: todo.TodoStatus.TODO_STATUS_DELETED,
  id: `id-${text}`,
  list: "",
  due: undefined,
});
const reply = (kind: todo.Outcome["kind"]) => renderReply(todo.Outcome.fromPartial({ kind }));
/** The text of a reply that is a text. */
const render = (kind: todo.Outcome["kind"]) => {
  const rendered = reply(kind);
  if (rendered.type !== "text") throw new Error(`expected a text reply, got ${rendered.type}`);
  return rendered.text;
};
const listOf = (
  todos: todo.Todo[],
  list = "",
  countOnly = false,
  due = todo.DueFilter.DUE_FILTER_UNSPECIFIED,
): todo.Outcome["kind"] => ({
  $case: "list",
  value: { todos, list, countOnly, due },
});
const undone = (change: todo.UndoneChange, todos: todo.Todo[]): todo.Outcome["kind"] => ({
  $case: "undone",
  value: { change, todos, nothingToUndo: false },
});
const settings = (summaryTime: string, summaryOff: boolean, timezone: string): todo.Outcome["kind"] => ({
  $case: "settings",
  value: { summaryTime, summaryOff, timezone },
});

describe("renderReply", () => {
  describe("added", () => {
    it("when one todo was added, then it names its number and text", () => {
      expect(render({ $case: "added", value: { todos: [open(1, "buy milk")], heard: "" } })).toBe("Added #1 buy milk");
    });

    it("when several todos were added, then they are joined with commas", () => {
      expect(render({ $case: "added", value: { todos: [open(1, "buy milk"), open(2, "eggs")], heard: "" } })).toBe(
        "Added #1 buy milk, #2 eggs",
      );
    });

    it("when the todos came from a voice note, then the reply quotes what was heard", () => {
      expect(render({ $case: "added", value: { todos: [open(4, "call mom")], heard: "call mom tomorrow" } })).toBe(
        'Added #4 call mom\nHeard: "call mom tomorrow"',
      );
    });

    it("when a voice note held no todo, then the reply says so and quotes it", () => {
      expect(render({ $case: "added", value: { todos: [], heard: "hello there" } })).toBe(
        'Heard: "hello there", but found no todo in it.',
      );
    });
  });

  describe("completed", () => {
    it("when one todo was completed, then it says Done with number and text", () => {
      expect(
        render({ $case: "completed", value: { todos: [done(3, "call mom")], unknownNumbers: [], openNumbers: [1, 2] } }),
      ).toBe("Done #3 call mom");
    });

    it("when several were completed, then they are joined with commas", () => {
      const value = { todos: [done(3, "call mom"), done(5, "eggs")], unknownNumbers: [], openNumbers: [] };
      expect(render({ $case: "completed", value })).toBe("Done #3 call mom, #5 eggs");
    });

    it("when the number is unknown, then the open numbers are listed", () => {
      expect(render({ $case: "completed", value: { todos: [], unknownNumbers: [7], openNumbers: [1, 2] } })).toBe(
        "There is no #7. Open: #1, #2.",
      );
    });

    it("when the number is unknown and nothing is open, then the reply says the list is empty", () => {
      expect(render({ $case: "completed", value: { todos: [], unknownNumbers: [7], openNumbers: [] } })).toBe(
        "There is no #7. You have no open todos.",
      );
    });

    it("when some numbers were done and others unknown, then both are said", () => {
      const value = { todos: [done(3, "call mom")], unknownNumbers: [7, 8, 9], openNumbers: [1] };
      expect(render({ $case: "completed", value })).toBe("Done #3 call mom\nThere is no #7, #8 or #9. Open: #1.");
    });

    it("when a closed todo comes without its number, then it is named by its text", () => {
      expect(render({ $case: "completed", value: { todos: [done(0, "call mom")], unknownNumbers: [], openNumbers: [] } })).toBe(
        "Done call mom",
      );
    });
  });

  describe("edited", () => {
    it("when a todo was edited, then the new text is shown", () => {
      const value = { todo: open(2, "buy oat milk"), previousText: "buy milk", unknownNumbers: [], openNumbers: [] };
      expect(render({ $case: "edited", value })).toBe("Changed #2 to buy oat milk");
    });

    it("when the number to edit is unknown, then the open numbers are listed", () => {
      const value = { todo: undefined, previousText: "", unknownNumbers: [9], openNumbers: [1, 2] };
      expect(render({ $case: "edited", value })).toBe("There is no #9. Open: #1, #2.");
    });
  });

  describe("deleted", () => {
    it("when todos were deleted, then they are named", () => {
      const value = { todos: [done(4, "call mom"), done(6, "eggs")], unknownNumbers: [], openNumbers: [] };
      expect(render({ $case: "deleted", value })).toBe("Deleted #4 call mom, #6 eggs");
    });

    it("when one number to delete is unknown, then that is appended", () => {
      const value = { todos: [done(4, "call mom")], unknownNumbers: [5], openNumbers: [1] };
      expect(render({ $case: "deleted", value })).toBe("Deleted #4 call mom\nThere is no #5. Open: #1.");
    });
  });

  describe("list", () => {
    it("when todos are open, then there is one #N text line per todo", () => {
      expect(render(listOf([open(1, "buy milk"), open(3, "call mom")]))).toBe("#1 buy milk\n#3 call mom");
    });

    it("when nothing is open, then the reply says how to add one", () => {
      expect(render(listOf([]))).toBe(EMPTY_LIST_REPLY);
      expect(EMPTY_LIST_REPLY).toBe("Your list is empty. Text anything to add a todo.");
    });
  });

  describe("help", () => {
    it("when help was asked, then the command card names the commands and fits two SMS", () => {
      const reply = render({ $case: "help", value: {} });
      expect(reply).toBe(HELP_REPLY);
      for (const command of ["Text anything", "done 3", "list", "undo", "edit", "delete", "summary", "more", "STOP"])
        expect(reply).toContain(command);
      expect(reply.length).toBeLessThanOrEqual(MAX_REPLY_LENGTH);
    });
  });

  describe("undone", () => {
    it("when an add was undone, then the reply names the removed todos", () => {
      expect(render(undone(todo.UndoneChange.UNDONE_CHANGE_ADD, [removed("buy milk")]))).toBe("Undone: removed buy milk");
      expect(render(undone(todo.UndoneChange.UNDONE_CHANGE_ADD, [removed("buy milk"), removed("eggs")]))).toBe(
        "Undone: removed buy milk, eggs",
      );
    });

    it("when the removed todo still carries its number, then the number is named too", () => {
      expect(render(undone(todo.UndoneChange.UNDONE_CHANGE_ADD, [done(4, "buy milk")]))).toBe("Undone: removed #4 buy milk");
    });

    it("when a completion was undone, then the todos are open again", () => {
      expect(render(undone(todo.UndoneChange.UNDONE_CHANGE_COMPLETE, [reopened(3, "call mom")]))).toBe(
        "Undone: #3 call mom is open again",
      );
      expect(render(undone(todo.UndoneChange.UNDONE_CHANGE_COMPLETE, [reopened(3, "call mom"), reopened(5, "eggs")]))).toBe(
        "Undone: #3 call mom, #5 eggs are open again",
      );
    });

    it("when an edit was undone, then the old text is named", () => {
      expect(render(undone(todo.UndoneChange.UNDONE_CHANGE_EDIT, [open(2, "buy milk")]))).toBe("Undone: #2 is buy milk again");
    });

    it("when a delete was undone, then the restored todos are named", () => {
      expect(render(undone(todo.UndoneChange.UNDONE_CHANGE_DELETE, [open(4, "buy milk")]))).toBe("Undone: restored #4 buy milk");
      expect(render(undone(todo.UndoneChange.UNDONE_CHANGE_DELETE, [open(4, "buy milk"), open(6, "eggs")]))).toBe(
        "Undone: restored #4 buy milk, #6 eggs",
      );
    });

    it("when the kind of change is unknown, then the todos are still named", () => {
      expect(render(undone(todo.UndoneChange.UNDONE_CHANGE_UNSPECIFIED, [open(4, "buy milk")]))).toBe("Undone: #4 buy milk");
      expect(render(undone(99 as todo.UndoneChange, []))).toBe("Undone.");
    });

    it("when there was nothing to undo, then the reply says so", () => {
      expect(render({ $case: "undone", value: { change: 0, todos: [], nothingToUndo: true } })).toBe("Nothing to undo.");
    });
  });

  describe("settings", () => {
    it("when the summary time lies outside the quiet hours, then the reply names it", () => {
      expect(render(settings("08:00", false, ""))).toBe("Daily summary at 08:00.");
      expect(render(settings("20:59", false, "Europe/Berlin"))).toBe("Daily summary at 20:59 (Europe/Berlin).");
    });

    it("when the summary time lies in the quiet hours, then the reply says it comes at 08:00", () => {
      expect(render(settings("07:00", false, "Europe/Berlin"))).toBe(
        "Daily summary at 07:00 (Europe/Berlin). Texts are quiet 21:00-08:00, so it comes at 08:00.",
      );
      for (const time of ["21:00", "23:30", "00:00", "07:59"]) {
        expect(render(settings(time, false, ""))).toBe(
          `Daily summary at ${time}. Texts are quiet 21:00-08:00, so it comes at 08:00.`,
        );
      }
    });

    it("when the summary was turned off, then the reply says how to turn it on", () => {
      expect(render(settings("", true, ""))).toBe('Daily summary is off. Text "summary 8am" to turn it back on.');
      expect(render(settings("", true, "Asia/Tokyo"))).toBe(
        'Daily summary is off. Text "summary 8am" to turn it back on.\nTimezone: Asia/Tokyo.',
      );
    });

    it("when only a timezone is set, then the reply names it", () => {
      expect(render(settings("", false, "America/New_York"))).toBe("Timezone set to America/New_York.");
    });

    it("when nothing is set, then the reply still confirms", () => {
      expect(render(settings("", false, ""))).toBe("Settings saved.");
    });
  });

  describe("subscription", () => {
    it("when the user opted out or back in, then no SMS is planned", () => {
      for (const subscribed of [true, false]) {
        expect(reply({ $case: "subscription", value: { subscribed } })).toMatchObject({ type: "none" });
      }
    });
  });

  describe("more", () => {
    it("when the user asked for more, then the reply is the next stored page", () => {
      expect(reply({ $case: "more", value: {} })).toEqual({ type: "next-page" });
      expect(NO_MORE_PAGES_REPLY).toBe('No more pages. Text "list" to see your todos.');
    });
  });

  describe("rejected", () => {
    it("when the command was rejected, then the reason is the reply", () => {
      expect(render({ $case: "rejected", value: { reason: "A todo needs some text." } })).toBe("A todo needs some text.");
    });

    it("when no reason was given, then a generic apology points to help", () => {
      expect(render({ $case: "rejected", value: { reason: "" } })).toMatch(/help/);
    });
  });

  it("when the outcome has no kind, then it is an INVALID_ARGUMENT error", () => {
    expect(() => render(undefined)).toThrow(AppError);
    try {
      render(undefined);
    } catch (error) {
      expect((error as AppError).code).toBe("INVALID_ARGUMENT");
    }
    expect(outcomeKindOf(undefined)).toBe("none");
  });

  it("when a list is long, then it stays one text whose lines are todos, for the pager to split", () => {
    const todos = Array.from({ length: 200 }, (_, index) => open(index + 1, "a rather long todo text"));
    const rendered = reply(listOf(todos));
    expect(rendered).toMatchObject({ type: "text", lineNoun: "todos" });
    expect(rendered.type === "text" && rendered.text.split("\n")).toHaveLength(200);
  });

  describe("summary", () => {
    const summary = (todos: todo.Todo[]): todo.Outcome["kind"] => ({
      $case: "summary",
      value: { todos, localDate: "2027-06-01", timezone: "Europe/Berlin" },
    });

    it("when the summary has open todos, then it counts them and lists one per line", () => {
      expect(render(summary([open(1, "buy milk"), open(3, "call mom")]))).toBe("Today: 2 open todos\n#1 buy milk\n#3 call mom");
    });

    it("when the summary has one todo, then the count is singular", () => {
      expect(render(summary([open(2, "water plants")]))).toBe("Today: 1 open todo\n#2 water plants");
    });

    it("when the summary is long, then it is a text whose lines are todos, for the pager to split", () => {
      const todos = Array.from({ length: 40 }, (_, index) => open(index + 1, "a rather long todo text"));
      expect(reply(summary(todos))).toMatchObject({ type: "text", lineNoun: "todos" });
    });

    it("when the summary lists nothing, then no SMS is sent", () => {
      expect(reply(summary([]))).toMatchObject({ type: "none" });
    });
  });

  describe("named lists", () => {
    it("when one todo was added to a named list, then the reply names the list", () => {
      expect(render({ $case: "added", value: { todos: [open(4, "cereal", "shopping")], heard: "" } })).toBe(
        "Added #4 cereal to your shopping list",
      );
    });

    it("when every list is shown, then the default list comes first and each named list under its heading", () => {
      const todos = [open(2, "call mom"), open(4, "pay rent"), open(3, "screws", "hardware"), open(1, "eggs", "shopping")];
      expect(render(listOf(todos))).toBe("#2 call mom\n#4 pay rent\nHardware:\n#3 screws\nShopping:\n#1 eggs");
    });

    it("when only named lists have todos, then each is under its heading", () => {
      expect(render(listOf([open(1, "eggs", "shopping"), open(2, "bread", "shopping")]))).toBe("Shopping:\n#1 eggs\n#2 bread");
    });

    it("when one named list is shown, then its todos come under its heading, or the reply says it is empty", () => {
      expect(render(listOf([open(5, "milk", "grocery")], "grocery"))).toBe("Grocery:\n#5 milk");
      expect(render(listOf([], "grocery"))).toBe("Your grocery list is empty.");
    });

    it("when a long grouped list is rendered, then it stays one text of todo lines for the pager", () => {
      const todos = Array.from({ length: 60 }, (_, index) =>
        open(index + 1, "a rather long todo text", index < 30 ? "" : "shopping"),
      );
      const rendered = reply(listOf(todos));
      expect(rendered).toMatchObject({ type: "text", lineNoun: "todos" });
      expect(rendered.type === "text" && rendered.text.split("\n")).toHaveLength(61);
    });

    it("when the summary has todos on several lists, then it groups them like the list", () => {
      const value = {
        todos: [open(1, "call mom"), open(2, "eggs", "shopping")],
        localDate: "2027-06-01",
        timezone: "Europe/Berlin",
      };
      expect(render({ $case: "summary", value })).toBe("Today: 2 open todos\n#1 call mom\nShopping:\n#2 eggs");
    });
  });

  describe("counts", () => {
    it("when todos are on several lists, then the count says how many on each", () => {
      const todos = [open(1, "a"), open(2, "b"), open(3, "c"), open(4, "d"), open(5, "e", "shopping"), open(6, "f", "shopping")];
      expect(render(listOf([...todos, open(7, "g", "shopping")], "", true))).toBe(
        "You have 7 open todos: 4 on your list, 3 on shopping.",
      );
    });

    it("when all todos are on the default list, then the count is one number, singular for one", () => {
      expect(render(listOf([open(1, "a"), open(2, "b")], "", true))).toBe("You have 2 open todos.");
      expect(render(listOf([open(1, "a")], "", true))).toBe("You have 1 open todo.");
    });

    it("when one named list is counted, then the count names it, and an empty one says so", () => {
      expect(render(listOf([open(2, "eggs", "shopping")], "shopping", true))).toBe("You have 1 open todo on shopping.");
      expect(render(listOf([], "shopping", true))).toBe("Your shopping list is empty.");
      expect(render(listOf([], "", true))).toBe(EMPTY_LIST_REPLY);
    });
  });

  describe("found", () => {
    const found = (query: string, matches: todo.Todo[], list = ""): todo.Outcome["kind"] => ({
      $case: "found",
      value: { query, matches, list },
    });

    it("when a todo matches, then the reply says yes with its number and list", () => {
      expect(render(found("milk", [open(3, "milk", "shopping")]))).toBe("Yes: #3 milk (shopping)");
    });

    it("when several match, then every number is named", () => {
      expect(render(found("milk", [open(1, "buy milk"), open(5, "oat milk", "shopping")]))).toBe(
        "Yes: #1 buy milk, #5 oat milk (shopping)",
      );
    });

    it("when the question was about one list, then the list is not repeated", () => {
      expect(render(found("milk", [open(3, "milk", "shopping")], "shopping"))).toBe("Yes: #3 milk");
    });

    it("when nothing matches, then the reply says no, quotes the words and gives the text that adds them", () => {
      expect(render(found("milk", []))).toBe('No, nothing on your list matches "milk". Text "add milk" to add it.');
      expect(render(found("milk", [], "grocery"))).toBe(
        'No, nothing on your grocery list matches "milk". Text "add milk to my grocery list" to add it.',
      );
    });
  });

  describe("not resolved", () => {
    const Reason = todo.TodoNotResolved_Reason;
    const notResolved = (
      action: todo.TodoAction,
      reason: todo.TodoNotResolved_Reason,
      value: Partial<todo.TodoNotResolved>,
    ): todo.Outcome["kind"] => ({
      $case: "notResolved",
      value: todo.TodoNotResolved.fromPartial({ action, reason, ...value }),
    });
    const milks = [open(2, "buy milk"), open(5, "buy oat milk")];

    it("when a completion is ambiguous, then the reply asks which with the texts that do each", () => {
      expect(
        render(notResolved(todo.TodoAction.TODO_ACTION_COMPLETE, Reason.REASON_AMBIGUOUS, { query: "milk", candidates: milks })),
      ).toBe("Which one? #2 buy milk, #5 buy oat milk. Text done 2 or done 5");
    });

    it("when a deletion is ambiguous, then the texts say delete", () => {
      expect(
        render(notResolved(todo.TodoAction.TODO_ACTION_DELETE, Reason.REASON_AMBIGUOUS, { query: "milk", candidates: milks })),
      ).toBe("Which one? #2 buy milk, #5 buy oat milk. Text delete 2 or delete 5");
    });

    it("when an edit is ambiguous, then the texts carry the new text", () => {
      const value = { query: "milk", candidates: milks, text: "buy soy milk" };
      expect(render(notResolved(todo.TodoAction.TODO_ACTION_EDIT, Reason.REASON_AMBIGUOUS, value))).toBe(
        "Which one? #2 buy milk, #5 buy oat milk. Text edit 2 buy soy milk or edit 5 buy soy milk",
      );
    });

    it("when nothing matches, then the reply quotes the words and shows the open todos", () => {
      const value = { query: "mlik", open: [open(1, "call mom"), open(2, "eggs", "shopping")] };
      expect(render(notResolved(todo.TodoAction.TODO_ACTION_COMPLETE, Reason.REASON_NO_MATCH, value))).toBe(
        'Nothing open matches "mlik".\n#1 call mom\nShopping:\n#2 eggs',
      );
    });

    it("when nothing in a named list matches, then the reply names the list, and says when it is empty", () => {
      const value = { query: "mlik", list: "shopping", open: [open(2, "eggs", "shopping")] };
      expect(render(notResolved(todo.TodoAction.TODO_ACTION_DELETE, Reason.REASON_NO_MATCH, value))).toBe(
        'Nothing on your shopping list matches "mlik".\nShopping:\n#2 eggs',
      );
      expect(
        render(notResolved(todo.TodoAction.TODO_ACTION_DELETE, Reason.REASON_NO_MATCH, { query: "x", list: "shopping" })),
      ).toBe('Nothing on your shopping list matches "x".\nYour shopping list is empty.');
    });

    it('when "it" names no todo, then the reply asks which, shows how with a number, and lists the open todos', () => {
      const value = { open: [open(3, "call mom"), open(4, "pay rent")] };
      expect(render(notResolved(todo.TodoAction.TODO_ACTION_DELETE, Reason.REASON_NO_REFERENCE, value))).toBe(
        "Which todo? Text delete 3 with its number:\n#3 call mom\n#4 pay rent",
      );
      expect(
        render(notResolved(todo.TodoAction.TODO_ACTION_EDIT, Reason.REASON_NO_REFERENCE, { ...value, text: "oat milk" })),
      ).toBe("Which todo? Text edit 3 oat milk with its number:\n#3 call mom\n#4 pay rent");
      expect(render(notResolved(todo.TodoAction.TODO_ACTION_COMPLETE, Reason.REASON_NO_REFERENCE, {}))).toBe(
        "Which todo? Text done 1 with its number:\nYou have no open todos.",
      );
    });

    it("when a position is past the end, then the reply says there is no such line and lists the open todos", () => {
      const value = { list: "shopping", open: [open(2, "eggs", "shopping")] };
      expect(render(notResolved(todo.TodoAction.TODO_ACTION_COMPLETE, Reason.REASON_NO_SUCH_POSITION, value))).toBe(
        "There is no such line on your shopping list. Text done 2 with its number:\nShopping:\n#2 eggs",
      );
    });
  });

  describe("confirmation needed", () => {
    const confirm = (action: todo.TodoAction, todos: todo.Todo[], list = ""): todo.Outcome["kind"] => ({
      $case: "confirmationNeeded",
      value: { action, todos, list },
    });

    it("when all of a list would be deleted, then the reply names the todos and the exact text that does it", () => {
      const todos = [open(2, "eggs", "shopping"), open(5, "bread", "shopping"), open(7, "milk", "shopping")];
      expect(render(confirm(todo.TodoAction.TODO_ACTION_DELETE, todos, "shopping"))).toBe(
        "That would delete all 3 todos on shopping: #2 eggs, #5 bread, #7 milk. To do it, text: delete 2, 5, 7",
      );
    });

    it("when all would be completed, then consecutive numbers are written as ranges after the verb done", () => {
      const todos = [open(1, "a"), open(2, "b"), open(3, "c"), open(4, "d"), open(7, "e", "shopping")];
      expect(render(confirm(todo.TodoAction.TODO_ACTION_COMPLETE, todos))).toBe(
        "That would complete all 5 todos: #1 a, #2 b, #3 c, #4 d, #7 e. To do it, text: done 1-4, 7",
      );
    });

    it("when only one todo would change, then the reply says so", () => {
      expect(render(confirm(todo.TodoAction.TODO_ACTION_DELETE, [open(2, "eggs", "shopping")], "shopping"))).toBe(
        "That would delete your only todo on shopping: #2 eggs. To do it, text: delete 2",
      );
    });

    it("when there is nothing to act on, then the reply says so", () => {
      expect(render(confirm(todo.TodoAction.TODO_ACTION_COMPLETE, []))).toBe("Nothing to complete: you have no open todos.");
      expect(render(confirm(todo.TodoAction.TODO_ACTION_DELETE, [], "shopping"))).toBe(
        "Nothing to delete: your shopping list is empty.",
      );
    });

    it("when the todos do not fit one SMS, then the confirming text comes first and the todos follow one per line", () => {
      const todos = Array.from({ length: 20 }, (_, index) => open(index + 1, `todo number ${index + 1}`));
      const text = render(confirm(todo.TodoAction.TODO_ACTION_DELETE, todos));
      const lines = text.split("\n");
      expect(lines[0]).toBe("That would delete all 20 todos. To do it, text: delete 1-20");
      expect(lines.slice(1)).toEqual(todos.map((item) => `#${item.number} ${item.text}`));
    });

    it("when more todos would change than one text may name, then the text covers the first 50 and says so", () => {
      const todos = Array.from({ length: 60 }, (_, index) => open(index + 1, `t${index + 1}`));
      const [first] = render(confirm(todo.TodoAction.TODO_ACTION_COMPLETE, todos)).split("\n");
      expect(first).toBe(`That would complete all 60 todos. To do the first ${MAX_TODOS_PER_MESSAGE}, text: done 1-50`);
    });
  });

  describe("time", () => {
    const due = (localDate: string, localTime: string, day: todo.DueDay, repeat = ""): todo.Due => ({
      localDate,
      localTime,
      atMs: 0,
      repeat,
      day,
    });
    const tomorrow5pm = due("2026-12-08", "17:00", todo.DueDay.DUE_DAY_TOMORROW);

    it("when a todo was added with a due, then the reply says when it is due", () => {
      expect(render({ $case: "added", value: { todos: [open(4, "call mom", "", tomorrow5pm)], heard: "" } })).toBe(
        "Added #4 call mom (due tomorrow 17:00)",
      );
      const friday = due("2026-12-11", "", todo.DueDay.DUE_DAY_LATER);
      expect(render({ $case: "added", value: { todos: [open(2, "dentist", "", friday)], heard: "" } })).toBe(
        "Added #2 dentist (due Fri 11 Dec)",
      );
    });

    it("when a recurring todo was added, then the reply names its rule", () => {
      const monday = due("2026-12-14", "", todo.DueDay.DUE_DAY_LATER, "every Monday");
      expect(render({ $case: "added", value: { todos: [open(1, "take out the trash", "", monday)], heard: "" } })).toBe(
        "Added #1 take out the trash (due Mon 14 Dec, every Monday)",
      );
    });

    it("when a list has overdue and timed todos, then each line carries its marker and undated ones none", () => {
      const overdue = due("2026-12-06", "09:00", todo.DueDay.DUE_DAY_OVERDUE);
      const today = due("2026-12-07", "", todo.DueDay.DUE_DAY_TODAY);
      expect(render(listOf([open(3, "pay bill", "", overdue), open(1, "buy milk", "", today), open(2, "read")]))).toBe(
        ["#3 pay bill (overdue: Sun 6 Dec 09:00)", "#1 buy milk (due today)", "#2 read"].join("\n"),
      );
    });

    it("when 'due today' finds nothing, then the reply says so, and otherwise it heads the list", () => {
      expect(render(listOf([], "", false, todo.DueFilter.DUE_FILTER_TODAY))).toBe("Nothing is due today.");
      expect(render(listOf([open(1, "buy milk", "", tomorrow5pm)], "", false, todo.DueFilter.DUE_FILTER_WEEK))).toBe(
        "Due this week:\n#1 buy milk (due tomorrow 17:00)",
      );
      expect(render(listOf([], "", false, todo.DueFilter.DUE_FILTER_OVERDUE))).toBe("Nothing is overdue.");
    });

    it("when a reminder is due, then it names the todo, its time and the texts that close or snooze it", () => {
      const reminded = open(4, "call mom", "", due("2026-12-07", "17:00", todo.DueDay.DUE_DAY_OVERDUE));
      expect(render({ $case: "reminder", value: { todo: reminded, late: false } })).toBe(
        "Reminder: #4 call mom (17:00). Text done 4 or snooze 4 1h",
      );
      expect(render({ $case: "reminder", value: { todo: reminded, late: true } })).toBe(
        "Late reminder: #4 call mom (was due 17:00). Text done 4 or snooze 4 1h",
      );
    });

    it("when a todo was snoozed, then the reply says when it is due now", () => {
      const moved = open(4, "call mom", "", due("2026-12-07", "18:15", todo.DueDay.DUE_DAY_TODAY));
      expect(render({ $case: "rescheduled", value: { todo: moved, previous: undefined } })).toBe(
        "Moved #4 call mom: due today 18:15",
      );
    });

    it("when a recurring todo was completed, then the reply says it is done and when it comes back", () => {
      const next = open(1, "take out the trash", "", due("2026-12-14", "", todo.DueDay.DUE_DAY_LATER, "every Monday"));
      const completed = { todos: [next, done(0, "buy milk")], unknownNumbers: [], openNumbers: [] };
      expect(render({ $case: "completed", value: completed })).toBe(
        "Done #1 take out the trash. Next: Mon 14 Dec (every Monday)\nDone buy milk",
      );
    });

    it("when a todo stopped repeating, then the reply says so", () => {
      const stopped = open(1, "take out the trash", "", due("2026-12-14", "", todo.DueDay.DUE_DAY_LATER));
      expect(render({ $case: "repeatStopped", value: { todo: stopped } })).toBe(
        "#1 take out the trash (due Mon 14 Dec) no longer repeats",
      );
    });

    it("when a summary has overdue and due-today todos on other lists, then they lead it", () => {
      const overdue = due("2026-12-06", "", todo.DueDay.DUE_DAY_OVERDUE);
      const summary = {
        todos: [open(1, "read"), open(2, "eggs", "shopping", overdue)],
        localDate: "2026-12-07",
        timezone: "Europe/Berlin",
      };
      expect(render({ $case: "summary", value: summary })).toBe(
        ["Today: 2 open todos", "#2 eggs (overdue: Sun 6 Dec) (shopping)", "#1 read"].join("\n"),
      );
    });
  });
});
