import { describe, expect, it } from "vitest";
import { todo } from "@sms-todo/contracts";
import { AppError } from "@sms-todo/shared";
import { EMPTY_LIST_REPLY, HELP_REPLY, MAX_SMS_BODY, outcomeKindOf, renderReply } from "../src/replies/reply.renderer.js";

const open = (number: number, text: string) => ({ number, text, status: todo.TodoStatus.TODO_STATUS_OPEN, id: `id-${number}` });
const done = (number: number, text: string) => ({ number, text, status: todo.TodoStatus.TODO_STATUS_DONE, id: `id-${number}` });
const render = (kind: todo.Outcome["kind"]) => renderReply(todo.Outcome.fromPartial({ kind }));

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
      expect(render({ $case: "list", value: { todos: [open(1, "buy milk"), open(3, "call mom")] } })).toBe(
        "#1 buy milk\n#3 call mom",
      );
    });

    it("when nothing is open, then the reply says how to add one", () => {
      expect(render({ $case: "list", value: { todos: [] } })).toBe(EMPTY_LIST_REPLY);
      expect(EMPTY_LIST_REPLY).toBe("Your list is empty. Text anything to add a todo.");
    });
  });

  describe("help", () => {
    it("when help was asked, then the command card names the commands and fits two SMS", () => {
      const reply = render({ $case: "help", value: {} });
      expect(reply).toBe(HELP_REPLY);
      for (const command of ["Text anything", "done 3", "list", "undo", "edit", "delete", "summary", "STOP"])
        expect(reply).toContain(command);
      expect(reply.length).toBeLessThanOrEqual(320);
    });
  });

  describe("settings", () => {
    it("when the summary time changed, then the reply names it", () => {
      expect(render({ $case: "settings", value: { summaryTime: "07:00", summaryOff: false, timezone: "" } })).toBe(
        "Daily summary at 07:00.",
      );
    });

    it("when the summary time comes with a timezone, then both are named", () => {
      expect(render({ $case: "settings", value: { summaryTime: "07:00", summaryOff: false, timezone: "Europe/Berlin" } })).toBe(
        "Daily summary at 07:00 (Europe/Berlin).",
      );
    });

    it("when the summary was turned off, then the reply says how to turn it on", () => {
      expect(render({ $case: "settings", value: { summaryTime: "", summaryOff: true, timezone: "" } })).toBe(
        'Daily summary is off. Text "summary 8am" to turn it back on.',
      );
    });

    it("when only the timezone changed, then the reply names it", () => {
      expect(render({ $case: "settings", value: { summaryTime: "", summaryOff: false, timezone: "America/New_York" } })).toBe(
        "Timezone set to America/New_York.",
      );
    });
  });

  describe("subscription", () => {
    it("when the user opted back in, then the reply welcomes them", () => {
      expect(render({ $case: "subscription", value: { subscribed: true } })).toMatch(/texts again/);
    });

    it("when the user opted out, then the reply says how to come back", () => {
      expect(render({ $case: "subscription", value: { subscribed: false } })).toMatch(/START/);
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

  it("when a list is longer than Twilio accepts, then it is clipped to the maximum body", () => {
    const todos = Array.from({ length: 200 }, (_, index) => open(index + 1, "a rather long todo text"));
    const reply = render({ $case: "list", value: { todos } });
    expect([...reply].length).toBe(MAX_SMS_BODY);
    expect(reply.endsWith("…")).toBe(true);
  });
});
