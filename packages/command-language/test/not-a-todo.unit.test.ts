import { describe, expect, it } from "vitest";
import type { Command } from "../src/commands/command.model.js";
import { parseCommand } from "../src/parsing/command.parser.js";
import { CREATE_LIST_REASON, NOT_UNDERSTOOD_REASON } from "../src/parsing/command.reasons.js";

const POINTER: Command = { kind: "invalid", reason: NOT_UNDERSTOOD_REASON };

describe("sentences that are not todos", () => {
  it.each([
    // questions: a wh-word, an auxiliary before its subject, or a question mark
    "why is the sky blue",
    "do you like music",
    "can you sing?",
    // statements: a subject and a finite verb
    "I was so tired yesterday",
    "it was a long day",
    "the traffic is terrible today",
    "you gave me the wrong list",
    // requests only the product could carry out
    "explain that again please",
    "could you cook lunch for me",
    // comments on the exchange
    "wrong answer",
    "that is not what i meant",
    "dont get it",
    "i'm so confused",
    // said without a subject, or of "anything"
    "doesn't bother me",
    "anything works for me",
    "have no clue",
    // a repeat or a fresh start asked for
    "say it again please",
    "lets start over",
  ])("when the text is %j, then the reply is a pointer and no todo is stored", (text) => {
    expect(parseCommand(text).kind).toBe("invalid");
  });

  it("when a past tense is negated, then it is no completion", () => {
    expect(parseCommand("i did not want that")).toEqual(POINTER);
  });

  it("when a line holds a meeting the sender has, then it is still a todo", () => {
    expect(parseCommand("I have a meeting with Ann").kind).toBe("add");
  });

  it("when a line tells a plan in the progressive, then it is still a todo", () => {
    expect(parseCommand("I am seeing the dentist at 5").kind).toBe("add");
  });
});

describe("requests for the lists", () => {
  it.each<[string, Command]>([
    ["which lists have i got?", { kind: "list" }],
    ["tell me about my lists", { kind: "list" }],
    ["show me upcoming events", { kind: "list" }],
    ["pull up my packing list", { kind: "list", list: "packing" }],
    ["what is on the available list", { kind: "list" }],
    ["i have to see my tasks", { kind: "list" }],
    ["show me everything", { kind: "list" }],
    ["count the items on my list", { kind: "list", countOnly: true }],
    ["how many more tasks are left", { kind: "list", countOnly: true }],
  ])("when the text is %j, then the command is %j", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it("when a new list is asked to be brought up, then the reply says lists start with a todo", () => {
    expect(parseCommand("bring up a new packing list")).toEqual({ kind: "invalid", reason: CREATE_LIST_REASON });
  });
});

describe("adds, whole lists and deletes in more words", () => {
  it.each<[string, Command]>([
    ["need to renew my passport", { kind: "add", texts: ["renew my passport"] }],
    ["make sure i water the plants", { kind: "add", texts: ["water the plants"] }],
    ["i want to repaint the fence", { kind: "add", texts: ["repaint the fence"] }],
    ["jot the plumber down", { kind: "add", texts: ["the plumber"] }],
    ["append an item called renew passport", { kind: "add", texts: ["renew passport"] }],
    ["remove all my upcoming events", { kind: "delete", targets: [{ by: "all" }] }],
    ["take off the dentist visit", { kind: "delete", targets: [{ by: "name", name: "dentist visit" }] }],
    ["cancel the dentist visit at three", { kind: "delete", targets: [{ by: "name", name: "dentist visit" }] }],
    ["delete the dentist visit I added for friday", { kind: "delete", targets: [{ by: "name", name: "dentist visit" }] }],
  ])("when the text is %j, then the command is %j", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });
});

describe("a reason, then the request", () => {
  it("when a message gives a reason and then asks to remove a todo by name, then the request decides", () => {
    expect(parseCommand("The shop was closed, so take stamps off the list.")).toEqual({
      kind: "delete",
      targets: [{ by: "name", name: "stamps" }],
    });
  });

  it("when the request points back with it, then the todo named before is meant", () => {
    expect(parseCommand("I no longer need the stamps so remove it")).toEqual({
      kind: "delete",
      targets: [{ by: "name", name: "stamps" }],
    });
  });
});
