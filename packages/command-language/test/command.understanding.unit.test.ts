import { describe, expect, it } from "vitest";
import { numberTargets, type Command, type TodoSelector } from "../src/commands/command.model.js";
import { parseCommand } from "../src/parsing/command.parser.js";
import {
  CREATE_LIST_REASON,
  NOT_UNDERSTOOD_REASON,
  OPT_OUT_HINT_REASON,
  SMALL_TALK_REASON,
  WHAT_TO_DO_REASON,
} from "../src/parsing/command.reasons.js";
import { STAGES } from "../src/parsing/line-command.parser.js";
import { normaliseListName } from "../src/parsing/list-name.js";

const named = (name: string): TodoSelector => ({ by: "name", name });
const complete = (targets: TodoSelector[], list?: string): Command =>
  list === undefined ? { kind: "complete", targets } : { kind: "complete", targets, list };
const remove = (targets: TodoSelector[], list?: string): Command =>
  list === undefined ? { kind: "delete", targets } : { kind: "delete", targets, list };
const add = (texts: string[], list?: string): Command =>
  list === undefined ? { kind: "add", texts } : { kind: "add", texts, list };
const all: TodoSelector[] = [{ by: "all" }];
const it_: TodoSelector[] = [{ by: "reference" }];

describe("understanding what people text", () => {
  // Goal 1: by name.
  it.each<[string, Command]>([
    ["done milk", complete([named("milk")])],
    ["called mom", complete([named("called mom")])],
    ["I finished the report", complete([named("finished the report")])],
    ["checked the mail", complete([named("checked the mail")])],
    ["check off buy milk", complete([named("buy milk")])],
    ["cross off eggs", complete([named("eggs")])],
    ["mark buy fish as completed", complete([named("buy fish")])],
    ["the dentist task is done", complete([named("dentist")])],
    ["remove milk from my grocery list", remove([named("milk")], "grocery")],
    ["delete old photos", remove([named("old photos")])],
    ["cancel the gym membership", remove([named("gym membership")])],
    ["take milk off the list", remove([named("milk")])],
    ["take milk off the shopping list", remove([named("milk")], "shopping")],
    ["get rid of old photos", remove([named("old photos")])],
    ["I don't need milk anymore", remove([named("milk")])],
    ["rename the dentist task to dentist at 2pm", { kind: "edit", target: named("dentist"), text: "dentist at 2pm" }],
  ])("when the text is %j, then the todo is named by its words: %j", (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  it.each([
    ["check the mail", "check the mail"],
    ["call mom", "call mom"],
    ["finish the report", "finish the report"],
    ["Call Sarah.", "Call Sarah."],
  ])("when the text is the bare imperative %j, then it is a todo", (text, stored) => {
    expect(parseCommand(text)).toEqual(add([stored]));
  });

  it.each([
    "done milk",
    "called mom",
    "check off buy milk",
    "remove milk from my grocery list",
    "take milk off the list",
    "cancel X",
  ])("when %j asks to complete or delete, then it is never an add", (text) => {
    expect(parseCommand(text).kind).not.toBe("add");
  });

  // Goal 2: by position and reference.
  it.each<[string, Command]>([
    ["delete the second task", remove([{ by: "position", position: 2 }])],
    ["done the first one", complete([{ by: "position", position: 1 }])],
    ["delete the last one", remove([{ by: "position", position: -1 }])],
    ["complete the second task in my shopping list", complete([{ by: "position", position: 2 }], "shopping")],
    ["delete it", remove(it_)],
    ["that's done", complete(it_)],
    ["make it oat milk", { kind: "edit", target: { by: "reference" }, text: "oat milk" }],
  ])("when the text is %j, then it names a position or the previous reply's todo: %j", (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  // Goal 3: all, and the confirming texts read back exactly.
  it.each<[string, Command]>([
    ["clear my list", remove(all)],
    ["delete everything", remove(all)],
    ["empty the shopping list", remove(all, "shopping")],
    ["mark all done", complete(all)],
    ["delete 2, 5, 7", { kind: "delete", targets: numberTargets([2, 5, 7]) }],
    ["done 1-4, 7", { kind: "complete", targets: numberTargets([1, 2, 3, 4, 7]) }],
    ["delete 1-50", { kind: "delete", targets: numberTargets(Array.from({ length: 50 }, (_, index) => index + 1)) }],
  ])("when the text is %j, then it is %j", (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  // Goal 4: filler and politeness.
  it.each<[string, Command]>([
    ["complete task #1", { kind: "complete", targets: numberTargets([1]) }],
    ["mark task #2 as done", { kind: "complete", targets: numberTargets([2]) }],
    ["task 3 done", { kind: "complete", targets: numberTargets([3]) }],
    ["remove item 3", { kind: "delete", targets: numberTargets([3]) }],
    ["please delete #4", { kind: "delete", targets: numberTargets([4]) }],
    ["can you show my tasks", { kind: "list" }],
    ["to-do list for today please", { kind: "list", due: "today" }],
    ["change task 1 to call mom tonight", { kind: "edit", target: { by: "number", number: 1 }, text: "call mom tonight" }],
    ["/done 3", { kind: "complete", targets: numberTargets([3]) }],
    ["show next page", { kind: "more" }],
  ])("when the text is %j, then the filler is ignored: %j", (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  // Goal 5: questions.
  it.each<[string, Command]>([
    ["what's on my todo list", { kind: "list" }],
    ["show my tasks", { kind: "list" }],
    ["what do I have left", { kind: "list" }],
    ["how many things are on my list", { kind: "list", countOnly: true }],
    ["do I have milk on my list?", { kind: "find", name: "milk" }],
    ["is milk on my shopping list", { kind: "find", name: "milk", list: "shopping" }],
  ])("when the question is %j, then it is %j", (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  // Goal 6: named lists.
  it.each<[string, Command]>([
    ["add cereal to my shopping list", add(["cereal"], "shopping")],
    ["put eggs on the grocery list", add(["eggs"], "grocery")],
    ["put eggs on the groceries list", add(["eggs"], "grocery")],
    ["shopping: eggs, bread", add(["eggs", "bread"], "shopping")],
    ["add melon and brown sugar to my shopping list", add(["melon", "brown sugar"], "shopping")],
    ["shopping list", { kind: "list", list: "shopping" }],
    ["what's on my grocery list", { kind: "list", list: "grocery" }],
    ["buy milk", add(["buy milk"])],
    ["create a shopping list", { kind: "invalid", reason: CREATE_LIST_REASON }],
  ])("when the text is %j, then the list is understood: %j", (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  // Goal 7: not a todo, opt-out hints, add wrappers.
  it.each(["hi", "bye", "ok thanks", "lol", "hello?", "thanks, bye", "good morning"])(
    "when the text is the small talk %j, then it gets a pointer",
    (text) => {
      expect(parseCommand(text)).toEqual({ kind: "invalid", reason: SMALL_TALK_REASON });
    },
  );

  it.each(["what time is it", "are you a bot", "tell me a joke", "why is the sky blue"])(
    "when the text is the question %j the product cannot answer, then it gets a pointer",
    (text) => {
      expect(parseCommand(text)).toEqual({ kind: "invalid", reason: NOT_UNDERSTOOD_REASON });
    },
  );

  it.each(["please stop texting me", "don't text me", "stop it", "shut up", "stop please", "unsubscribe me"])(
    "when the text is the opt-out phrasing %j, then the reply names STOP and nothing changes",
    (text) => {
      expect(parseCommand(text)).toEqual({ kind: "invalid", reason: OPT_OUT_HINT_REASON });
      expect(OPT_OUT_HINT_REASON).toContain("STOP");
    },
  );

  it.each(["STOP", "stop", "Stop!", "CANCEL"])("when the text is the bare carrier keyword %j, then it opts out", (text) => {
    expect(parseCommand(text)).toEqual({ kind: "subscription", subscribed: false });
  });

  it.each([
    "add buy milk",
    "add buy milk to my list",
    "remind me to buy milk",
    "I need to buy milk",
    "don't forget to buy milk",
    "put buy milk on the list",
    "please put buy milk on my to do list",
  ])("when the text %j wraps the todo, then only the todo is stored", (text) => {
    expect(parseCommand(text)).toEqual(add(["buy milk"]));
  });

  it("when several lines arrive, then each is a todo even if it reads as a command", () => {
    expect(parseCommand("done milk\ncall mom")).toEqual(add(["done milk", "call mom"]));
  });

  it.each<[string, Command]>([
    ["toss batteries onto my hardware list", add(["batteries"], "hardware")],
    ["please note the vet bill on my to do list", add(["the vet bill"])],
    ["re-add paper towels to the list", add(["paper towels"])],
    ["do me a favour and stick bleach on my list for shopping", add(["bleach"], "shopping")],
    ["we're out of coffee, can you add it to the grocery list", add(["coffee"], "grocery")],
    ["I need to fix the gate so put that on my list", add(["fix the gate"])],
    ["remind me to order stamps on my errands list", add(["order stamps"], "errand")],
    ["add to my list of chores: mow the lawn, rake leaves", add(["mow the lawn", "rake leaves"], "chore")],
  ])("when the text %j names the todo around other words, then only the todo is stored", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each<[string, Command]>([
    [
      "add flour to my baking list if it's not there already",
      { kind: "find", name: "flour", list: "baking", addIfMissing: true },
    ],
    ["is rice on my grocery list? if not add it", { kind: "find", name: "rice", list: "grocery", addIfMissing: true }],
    ["if tape isn't on my list please add it", { kind: "find", name: "tape", addIfMissing: true }],
    ["add onions unless I already did", { kind: "find", name: "onions", addIfMissing: true }],
  ])("when the text %j adds only what is missing, then it is a find that adds", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    "talk to you tomorrow",
    "thanks, you were a big help",
    "are you still there",
    "roger that",
    "just wanted to say hello",
  ])("when the text %j is said to the product, then it is no todo", (text) => {
    expect(parseCommand(text).kind).toBe("invalid");
  });

  it.each(["what sort of questions do you understand", "show me some examples of what I can ask you"])(
    "when the text %j asks what the product can do, then the command card answers",
    (text) => {
      expect(parseCommand(text)).toEqual({ kind: "help" });
    },
  );

  it.each<[string, Command]>([
    ["take the batteries from my hardware list", remove([named("batteries")], "hardware")],
    ["remove bread for the grocery list", remove([named("bread")], "grocery")],
    ["wipe the dentist off my calendar", remove([named("dentist")])],
    ["disregard the bake sale", remove([named("bake sale")])],
    ["update my errands list, remove the post office", remove([named("post office")], "errand")],
    ["I need to remove lettuce from the grocery list", remove([named("lettuce")], "grocery")],
    ["we want everything removed from the list", remove(all)],
    ["nuke my chores list", remove(all, "chore")],
    ["mark the packing list as done", complete(all, "packing")],
    ["I finally paid the plumber, so check that off my list", complete([named("paid the plumber")])],
  ])("when the text %j asks for a change to named todos or a whole list, then it is that change", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each<[string, Command]>([
    ["is the car wash on my list at the moment", { kind: "find", name: "car wash" }],
    ["did I put a reminder on my list to call the bank", { kind: "find", name: "call the bank" }],
    ["browse my chores", { kind: "list", list: "chore" }],
  ])("when the text %j asks about the list, then it is that question", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each<[string, Command]>([
    ["completely clear my calendar please", remove(all)],
    ["wipe my chores list, all of it", remove(all, "chore")],
    ["remove all data and information from my calendar", remove(all)],
    ["cancel the meeting on the fourteenth", remove([named("meeting")])],
    ["remove tonight's dinner with ann", remove([named("dinner with ann")])],
    ["do I have a packing list", { kind: "list", list: "packing" }],
    ["what's pending", { kind: "list" }],
  ])("when the text %j is said the way people speak to an assistant, then it is that request", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each(["crack a joke for me", "knock knock", "sing me a song", "nothing much", "today was a long day", "life is good"])(
    "when the text %j is talk, then it is no todo",
    (text) => {
      expect(parseCommand(text).kind).toBe("invalid");
    },
  );

  it.each(["the second task", "that one", "the last one please", "item 4"])(
    "when the text %j names a todo with nothing to do with it, then the reply asks what, and it is no todo",
    (text) => {
      expect(parseCommand(text)).toEqual({ kind: "invalid", reason: WHAT_TO_DO_REASON });
    },
  );

  it.each(["thanks for the help!", "let's get started", "let's hear a funny joke"])(
    "when the text %j is small talk, then it is no todo",
    (text) => {
      expect(parseCommand(text).kind).toBe("invalid");
    },
  );

  it("when the stages are listed, then they run from the time requests to what is said to the product", () => {
    expect(STAGES.slice(0, 2)).toEqual(["time request", "fixed words"]);
    expect(STAGES).toContain("opt-out hint");
    expect(STAGES).toContain("small talk");
    expect(STAGES).toContain("list talk");
    expect(STAGES.at(-2)).toBe("statement or comment");
    expect(STAGES.at(-1)).toBe("said to the product");
  });
});

describe("normaliseListName", () => {
  it.each([
    ["my shopping list", "shopping"],
    ["the Groceries list", "grocery"],
    ["grocery", "grocery"],
    ["Shopping", "shopping"],
    ["list of chores", "chore"],
    ["list of things I need to buy", "shopping"],
    ["our school supplies list", "school supplies"],
    ["vacation to do list", "vacation"],
    ["todo", ""],
    ["to do", ""],
    ["to-do", ""],
    ["tasks", ""],
    ["my list", ""],
    ["the list", ""],
    ["list", ""],
  ])("when the words are %j, then the list is %j", (words, name) => {
    expect(normaliseListName(words)).toBe(name);
  });

  it("when grocery and shopping are named, then they stay two lists", () => {
    expect(normaliseListName("grocery list")).not.toBe(normaliseListName("shopping list"));
  });

  it("when a name is longer than the limit, then it is cut to 30 characters", () => {
    expect(normaliseListName("my extraordinarily long named list for everything").length).toBeLessThanOrEqual(30);
  });
});
