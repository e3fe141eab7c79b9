import { describe, expect, it } from "vitest";
import { MAX_TODO_LENGTH, MAX_TODOS_PER_MESSAGE } from "@sms-todo/rules";
import { splitSpokenItems } from "../src/items/spoken-items.splitter.js";

const TABLE: ReadonlyArray<[transcript: string, items: string[]]> = [
  // one thing
  [" Buy milk.", ["buy milk"]],
  ["Call mom tomorrow", ["call mom tomorrow"]],
  ["Dentist appointment on Friday.", ["Dentist appointment on Friday"]],
  // sentences
  ["Buy milk. Call mom.", ["buy milk", "call mom"]],
  ["Buy milk! Call mom? Water the plants;", ["buy milk", "call mom", "water the plants"]],
  ["Buy milk\ncall mom", ["buy milk", "call mom"]],
  ["Call Dr. Smith about the results.", ["call Dr. Smith about the results"]],
  ["Buy 2.5 kilos of flour.", ["buy 2.5 kilos of flour"]],
  // "and then", "also", "after that"
  ["Buy milk and then call mom.", ["buy milk", "call mom"]],
  ["Pick up the kids, and then go to the gym", ["pick up the kids", "go to the gym"]],
  ["Buy milk. Also pick up the dry cleaning.", ["buy milk", "pick up the dry cleaning"]],
  ["Email Sarah, also call the bank", ["email Sarah", "call the bank"]],
  ["Finish the report after that book flights", ["finish the report", "book flights"]],
  ["I also need to renew my passport", ["renew my passport"]],
  // a bare "and" splits only before an action
  ["Buy milk and call mom", ["buy milk", "call mom"]],
  ["Pick up the kids and drop off the car", ["pick up the kids", "drop off the car"]],
  ["Buy milk and I need to call mom", ["buy milk", "call mom"]],
  ["Buy milk then call mom", ["buy milk", "call mom"]],
  ["Buy milk and water the plants", ["buy milk", "water the plants"]],
  ["Buy milk and water", ["buy milk and water"]],
  ["Buy salt and pepper", ["buy salt and pepper"]],
  ["Salt and pepper", ["Salt and pepper"]],
  ["Research and development meeting notes", ["research and development meeting notes"]],
  ["Call Tom and Jerry about the party", ["call Tom and Jerry about the party"]],
  // spoken lists
  ["Eggs, bread and butter, and salt and pepper.", ["Eggs", "bread and butter", "salt and pepper"]],
  ["I need eggs, bread, and salt and pepper.", ["eggs", "bread", "salt and pepper"]],
  ["Milk, eggs, bread", ["Milk", "eggs", "bread"]],
  ["Milk, eggs", ["Milk", "eggs"]],
  ["Buy milk, eggs and bread.", ["buy milk", "buy eggs", "buy bread"]],
  ["Pick up milk, eggs, and mac and cheese", ["pick up milk", "pick up eggs", "pick up mac and cheese"]],
  ["Call mom, dad and grandma", ["call mom", "call dad", "call grandma"]],
  ["Buy milk, call mom", ["buy milk", "call mom"]],
  ["Call mom, she needs help with the garden", ["call mom, she needs help with the garden"]],
  ["My shopping list: apples, oranges and bananas", ["apples", "oranges", "bananas"]],
  ["My todos are buy milk and call mom", ["buy milk", "call mom"]],
  // fillers, intents, sign-offs
  ["Um, okay, so I need to buy milk.", ["buy milk"]],
  ["Remind me to call the plumber.", ["call the plumber"]],
  ["Don't forget to feed the cat. That's it, thanks!", ["feed the cat"]],
  ["Add buy milk to my list please", ["buy milk"]],
  ["First, buy milk. Second, call mom. Finally, water the plants.", ["buy milk", "call mom", "water the plants"]],
  ["I’ve got to send the invoice", ["send the invoice"]],
  ["We should book the hotel", ["book the hotel"]],
  ["I'll call the bank", ["call the bank"]],
  // non-speech and nothing at all
  ["[BLANK_AUDIO]", []],
  [" (music) Buy milk [BLANK_AUDIO]", ["buy milk"]],
  ["", []],
  ["Thank you.", []],
  ["Okay.", []],
  // repeats are said once
  ["Buy milk. Buy milk.", ["buy milk"]],
];

describe("spoken items splitter", () => {
  it.each(TABLE)("when whisper heard %j, then the todos are %j", (transcript, items) => {
    expect(splitSpokenItems(transcript)).toEqual(items);
  });

  it("when a food pair sits inside a list, then no item is a half of it", () => {
    const items = splitSpokenItems("Get fish and chips, peanut butter and jelly, and salt and pepper");
    expect(items).toEqual(["get fish and chips", "get peanut butter and jelly", "get salt and pepper"]);
    for (const item of items) expect(item).not.toMatch(/^(?:and|chips|jelly|pepper)\b/);
  });

  it("when more items than a message may add are said, then only the first ones are kept", () => {
    const transcript = Array.from({ length: MAX_TODOS_PER_MESSAGE + 10 }, (_, index) => `Call person ${index + 1}.`).join(" ");
    const items = splitSpokenItems(transcript);
    expect(items).toHaveLength(MAX_TODOS_PER_MESSAGE);
    expect(items[0]).toBe("call person 1");
  });

  it("when one item is longer than a todo may be, then it is cut at a word", () => {
    const [item] = splitSpokenItems(`Write ${"very ".repeat(200)}long letter`);
    expect(item!.length).toBeLessThanOrEqual(MAX_TODO_LENGTH);
    expect(item).toMatch(/^write very very/);
    expect(item!.endsWith("very")).toBe(true);
  });
});
