import { describe, expect, it } from "vitest";
import { MAX_TODO_LENGTH, MAX_TODOS_PER_MESSAGE, type Command } from "../src/commands/command.model.js";
import {
  NUMBER_RANGE_REASON,
  NUMBERS_ONLY_REASON,
  TOO_LONG_REASON,
  TOO_MANY_REASON,
  parseCommand,
} from "../src/parsing/command.parser.js";

const add = (...texts: string[]): Command => ({ kind: "add", texts });
const complete = (...numbers: number[]): Command => ({ kind: "complete", numbers });
const list: Command = { kind: "list" };
const help: Command = { kind: "help" };
const invalid = (reason: string): Command => ({ kind: "invalid", reason });

const cases: Array<[body: string, expected: Command]> = [
  // complete: the phrasings of SPEC section 1
  ["complete #3", complete(3)],
  ["done 3", complete(3)],
  ["#3 done", complete(3)],
  ["finished 3", complete(3)],
  ["x 3", complete(3)],
  ["check 3", complete(3)],
  ["complete 3 and 5", complete(3, 5)],
  ["done #1, #2", complete(1, 2)],
  ["complete number three", complete(3)],
  // complete: noise around the numbers
  ["Done #3.", complete(3)],
  ["done 3)", complete(3)],
  ["done no. 3", complete(3)],
  ["complete No 3", complete(3)],
  ["complete #3!!", complete(3)],
  ["🎉 done #3 🎉", complete(3)],
  ["done 3 👍", complete(3)],
  ["DONE 3", complete(3)],
  ["  complete   #3  ", complete(3)],
  ["Complete: #3", complete(3)],
  ["done, 3", complete(3)],
  ["done # 3", complete(3)],
  ["done#3", complete(3)],
  ["\tdone\t3\t", complete(3)],
  ["\n\ndone 3\n\n", complete(3)],
  ["done 3,", complete(3)],
  ["done 3 3", complete(3)],
  ["done 3️⃣", complete(3)],
  ["ｄｏｎｅ　＃３", complete(3)],
  // complete: several numbers and separators
  ["done 1,2,3", complete(1, 2, 3)],
  ["done 1, 2, and 3", complete(1, 2, 3)],
  ["done 1 & 2", complete(1, 2)],
  ["done 4 2", complete(4, 2)],
  ["x #7 #8", complete(7, 8)],
  ["complete one, two and three", complete(1, 2, 3)],
  ["complete number seventeen", complete(17)],
  ["done twenty", complete(20)],
  ["finished 999", complete(999)],
  ["done 007", complete(7)],
  // complete: other verbs and verb-last forms
  ["completed 4", complete(4)],
  ["finish #2", complete(2)],
  ["check off 5", complete(5)],
  ["tick 6", complete(6)],
  ["done with #2", complete(2)],
  ["mark 3 done", complete(3)],
  ["mark #3 as done", complete(3)],
  ["#3 is done", complete(3)],
  ["3 and 4 are done", complete(3, 4)],
  ["#2 finished!", complete(2)],
  ["#3 completed", complete(3)],
  ["✅ 3", complete(3)],
  ["#3 ✔️", complete(3)],
  // complete: numbers out of range, or numbers without a verb
  ["done 0", invalid(NUMBER_RANGE_REASON)],
  ["done 1000", invalid(NUMBER_RANGE_REASON)],
  ["done 3 and 1000", invalid(NUMBER_RANGE_REASON)],
  ["#3", invalid(NUMBERS_ONLY_REASON)],
  ["3", invalid(NUMBERS_ONLY_REASON)],
  ["no. 3", invalid(NUMBERS_ONLY_REASON)],
  ["#1, #2", invalid(NUMBERS_ONLY_REASON)],
  // list
  ["list", list],
  ["ls", list],
  ["todos", list],
  ["?", list],
  [" ?? ", list],
  ["？", list],
  ["what's on my list", list],
  ["What’s on my list?", list],
  ["whats on my list", list],
  ["show list", list],
  ["my list", list],
  ["LIST", list],
  ["List.", list],
  ["todo", list],
  ["show my todos!", list],
  ["📋 list", list],
  // help
  ["help", help],
  ["HELP", help],
  ["Help?", help],
  ["info", help],
  ["commands", help],
  ["menu", help],
  ["", help],
  ["   ", help],
  ["\n \n\t", help],
  ["add", help],
  ["todo:", list],
  // add: plain text and prefixes
  ["buy milk", add("buy milk")],
  ["Call mom tomorrow", add("Call mom tomorrow")],
  ["add buy milk", add("buy milk")],
  ["ADD buy milk", add("buy milk")],
  ["Add: buy milk", add("buy milk")],
  ["todo: buy milk", add("buy milk")],
  ["TODO:buy milk", add("buy milk")],
  ["todo buy milk", add("buy milk")],
  ["  buy    oat   milk  ", add("buy oat milk")],
  ["Buy milk!! 🥛", add("Buy milk!! 🥛")],
  ["addition homework", add("addition homework")],
  ["add-on for the car", add("add-on for the car")],
  ["todos for the party", add("todos for the party")],
  // add: texts that only contain a command word stay todos
  ["check the mail", add("check the mail")],
  ["done deal with Bob", add("done deal with Bob")],
  ["list groceries for party", add("list groceries for party")],
  ["x-ray appointment", add("x-ray appointment")],
  ["help mom move", add("help mom move")],
  ["info session at 3", add("info session at 3")],
  ["finish 3 chapters", add("finish 3 chapters")],
  ["check 3 times the oven", add("check 3 times the oven")],
  ["done 3rd", add("done 3rd")],
  ["x3", add("x3")],
  ["complete the report", add("complete the report")],
  ["3 eggs", add("3 eggs")],
  ["buy 2 & 3 pack", add("buy 2 & 3 pack")],
  ["✅ buy milk", add("✅ buy milk")],
  ["what's on my list for the party", add("what's on my list for the party")],
  ["commands for the dog", add("commands for the dog")],
  // add: several lines, one todo per non-empty line
  ["buy milk\ncall mom", add("buy milk", "call mom")],
  ["buy milk\r\n\r\n  call   mom  \r\n", add("buy milk", "call mom")],
  ["add buy milk\ntodo: call mom\nwalk dog", add("buy milk", "call mom", "walk dog")],
  ["- milk\n- eggs\n* bread", add("milk", "eggs", "bread")],
  ["1. milk\n2) eggs", add("milk", "eggs")],
  ["Todo:\nmilk\neggs", add("milk", "eggs")],
  // add: a command line among several lines is a todo like the others
  ["done 3\nbuy milk", add("done 3", "buy milk")],
  ["list\nhelp", add("list", "help")],
  ["buy milk\ndone 3", add("buy milk", "done 3")],
];

describe("parseCommand", () => {
  it("covers at least 80 phrasings", () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
  });

  it.each(cases)("when the text is %j, then the command is %j", (body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });

  it("when a todo has exactly the maximum length, then it is added", () => {
    const text = "a".repeat(MAX_TODO_LENGTH);
    expect(parseCommand(text)).toEqual(add(text));
  });

  it("when the length is counted, then it is counted in UTF-16 units as todo-domain counts it", () => {
    const fits = "🥛".repeat(MAX_TODO_LENGTH / 2);
    expect(parseCommand(fits)).toEqual(add(fits));
    expect(parseCommand(`${fits}a`)).toEqual(invalid(TOO_LONG_REASON));
  });

  it("when a todo is longer than the maximum, then the message is invalid with the length reason", () => {
    expect(parseCommand("a".repeat(MAX_TODO_LENGTH + 1))).toEqual(invalid(TOO_LONG_REASON));
    expect(TOO_LONG_REASON).toBe("That todo is too long (max 500 characters).");
  });

  it("when one line of several is too long, then nothing is added", () => {
    expect(parseCommand(`buy milk\n${"b".repeat(MAX_TODO_LENGTH + 1)}`)).toEqual(invalid(TOO_LONG_REASON));
  });

  it("when the whitespace collapses below the maximum, then the todo is added", () => {
    const text = `${"a".repeat(250)}${" ".repeat(100)}${"b".repeat(249)}`;
    expect(parseCommand(text)).toEqual(add(`${"a".repeat(250)} ${"b".repeat(249)}`));
  });

  it("when a message has as many lines as todo-domain takes at once, then all are added", () => {
    const texts = Array.from({ length: MAX_TODOS_PER_MESSAGE }, (_, index) => `buy item ${index + 1}`);
    expect(parseCommand(texts.join("\n"))).toEqual(add(...texts));
  });

  it("when a message has more lines than todo-domain takes at once, then nothing is added", () => {
    const body = Array.from({ length: MAX_TODOS_PER_MESSAGE + 1 }, (_, index) => `buy item ${index + 1}`).join("\n");
    expect(parseCommand(body)).toEqual(invalid(TOO_MANY_REASON));
  });

  it("when more numbers are completed than todo-domain takes at once, then nothing is completed", () => {
    const numbers = Array.from({ length: MAX_TODOS_PER_MESSAGE + 1 }, (_, index) => index + 1);
    expect(parseCommand(`done ${numbers.join(",")}`)).toEqual(invalid(TOO_MANY_REASON));
    expect(parseCommand(`done ${numbers.slice(1).join(",")}`)).toEqual(complete(...numbers.slice(1)));
  });

  it.each([
    ["verb first", (refs: string) => `done ${refs} x`],
    ["verb last", (refs: string) => `${refs} x done`],
  ])("when a long line of numbers and separators nearly matches (%s), then parsing stays fast", (_form, build) => {
    const body = build(Array.from({ length: 60 }, () => "1 , and").join(" "));
    const startedAt = performance.now();
    expect(parseCommand(body)).toEqual(add(body));
    expect(performance.now() - startedAt).toBeLessThan(1_000);
  });
});
