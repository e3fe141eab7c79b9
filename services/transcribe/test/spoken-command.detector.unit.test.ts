import { describe, expect, it, vi } from "vitest";
import { parseCommand } from "@sms-todo/command-language";
import { MAX_MESSAGE_LENGTH } from "@sms-todo/rules";
import { spokenAddOf, spokenCommandOf } from "../src/items/spoken-command.detector.js";

// The real parser, watched: a transcript too long to be a command must not reach it.
vi.mock("@sms-todo/command-language", async (importOriginal) => {
  const original = await importOriginal<typeof import("@sms-todo/command-language")>();
  return { ...original, parseCommand: vi.fn(original.parseCommand) };
});

describe("spoken command detector", () => {
  it.each([
    [" Complete number three.", { kind: "complete", targets: [{ by: "number", number: 3 }] }],
    [
      "Um, done 3 and 5.",
      {
        kind: "complete",
        targets: [
          { by: "number", number: 3 },
          { by: "number", number: 5 },
        ],
      },
    ],
    ["Delete number four.", { kind: "delete", targets: [{ by: "number", number: 4 }] }],
    ["What's on my list?", { kind: "list" }],
    ["Undo.", { kind: "undo" }],
    ["Okay, help.", { kind: "help" }],
    ["Edit number two to buy oat milk.", { kind: "edit", target: { by: "number", number: 2 } }],
    [" Take milk off the shopping list.", { kind: "delete", targets: [{ by: "name", name: "milk" }], list: "shopping" }],
    ["I called mom.", { kind: "complete", targets: [{ by: "name", name: "called mom" }] }],
    ["Delete the second one.", { kind: "delete", targets: [{ by: "position", position: 2 }] }],
  ])("when whisper heard %j, then it is the command %j", (transcript, command) => {
    expect(spokenCommandOf(transcript)).toMatchObject(command);
  });

  it.each([
    " Buy milk and call mom.",
    "Check the mail.",
    "Done deal with Bob about the car and then call the garage about the tires",
    "[BLANK_AUDIO]",
    "",
    " Um.",
    "Complete the report for the board meeting and send it to Anna and also book the flights",
  ])("when whisper heard %j, then it is todos, not a command", (transcript) => {
    expect(spokenCommandOf(transcript)).toBeUndefined();
  });

  it.each([
    [" Add eggs and bread to my shopping list.", { list: "shopping", texts: ["eggs", "bread"] }],
    ["Put cereal on the grocery list", { list: "grocery", texts: ["cereal"] }],
  ])("when whisper heard %j, then its todos go on that list", (transcript, add) => {
    expect(spokenAddOf(transcript)).toEqual(add);
  });

  it.each([" Buy milk and call mom.", "Add eggs to my list.", "Complete number three."])(
    "when whisper heard %j, then it names no list of its own",
    (transcript) => {
      expect(spokenAddOf(transcript)).toBeUndefined();
    },
  );

  it("when a transcript is longer than a text message may be, then it is read for todos without being parsed as a command", () => {
    const long = `Delete ${"the old paint cans and ".repeat(80)}the boxes.`;
    expect(long.length).toBeGreaterThan(MAX_MESSAGE_LENGTH);
    vi.mocked(parseCommand).mockClear();
    expect(spokenCommandOf(long)).toBeUndefined();
    expect(parseCommand).not.toHaveBeenCalled();
    expect(spokenCommandOf("Delete the old paint cans.")).toMatchObject({ kind: "delete" });
    expect(parseCommand).toHaveBeenCalledTimes(1);
  });
});
