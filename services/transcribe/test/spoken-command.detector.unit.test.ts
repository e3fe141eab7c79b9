import { describe, expect, it } from "vitest";
import { spokenCommandOf } from "../src/items/spoken-command.detector.js";

describe("spoken command detector", () => {
  it.each([
    [" Complete number three.", { kind: "complete", numbers: [3] }],
    ["Um, done 3 and 5.", { kind: "complete", numbers: [3, 5] }],
    ["Delete number four.", { kind: "delete", numbers: [4] }],
    ["What's on my list?", { kind: "list" }],
    ["Undo.", { kind: "undo" }],
    ["Okay, help.", { kind: "help" }],
    ["Edit number two to buy oat milk.", { kind: "edit", number: 2 }],
  ])("when whisper heard %j, then it is the command %j", (transcript, command) => {
    expect(spokenCommandOf(transcript)).toMatchObject(command);
  });

  it.each([
    " Buy milk and call mom.",
    "Check the mail.",
    "Done deal with Bob about the car",
    "[BLANK_AUDIO]",
    "",
    " Um.",
    "Complete the report for the board meeting and send it to Anna and also book the flights",
  ])("when whisper heard %j, then it is todos, not a command", (transcript) => {
    expect(spokenCommandOf(transcript)).toBeUndefined();
  });
});
