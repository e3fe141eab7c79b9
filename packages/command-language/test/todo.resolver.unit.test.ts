import { describe, expect, it } from "vitest";
import type { TodoSelector } from "../src/commands/command.model.js";
import { findMatches, orderAsListed, resolveSelector, type OpenTodoRef } from "../src/matching/todo.resolver.js";

const todo = (number: number, text: string, list = ""): OpenTodoRef => ({ number, text, list });
const byName = (name: string): TodoSelector => ({ by: "name", name });
const numbers = (todos: readonly OpenTodoRef[]) => todos.map((one) => one.number);

function resolvedNumber(selector: TodoSelector, open: readonly OpenTodoRef[], list?: string): number | string {
  const resolution = resolveSelector(selector, open, { list });
  return resolution.kind === "one" ? resolution.todo.number : resolution.kind;
}

describe("resolveSelector by name", () => {
  it.each([
    ["called mom", ["call mom", "buy milk"], 1],
    ["calling mom", ["buy milk", "call mom"], 2],
    ["groceries", ["buy grocery", "call mom"], 1],
    ["buying milk", ["call mom", "buy milk"], 2],
    ["grocery buying", ["buy groceries", "call mom"], 1],
    ["the milk", ["buy milk", "call mom"], 1],
    ["asprin", ["buy aspirin", "call mom"], 1],
    ["brithday party", ["call mom", "birthday party"], 2],
    ["mowing the lawn", ["mow the lawn", "call mom"], 1],
    ["cutting the grass", ["buy milk", "cut the grass"], 2],
    ["finished the report", ["write the report", "call mom"], 1],
    ["my dinner event for Monday", ["dinner", "gym"], 1],
    ["report the", ["the report", "call mom"], 1],
  ])("when the name is %j among %j, then it is #%i (inflection, word order, articles, typos)", (name, texts, number) => {
    const open = texts.map((text, index) => todo(index + 1, text));
    expect(resolvedNumber(byName(name), open)).toBe(number);
  });

  it('when "milk" names both "buy milk" and "buy oat milk", then it is ambiguous with both candidates', () => {
    const resolution = resolveSelector(byName("milk"), [todo(2, "buy milk"), todo(5, "buy oat milk")]);
    expect(resolution).toEqual({ kind: "ambiguous", candidates: [todo(2, "buy milk"), todo(5, "buy oat milk")] });
  });

  it("when one todo is exactly the name and another only contains it, then the exact one wins", () => {
    expect(resolvedNumber(byName("milk"), [todo(1, "buy milk"), todo(2, "milk")])).toBe(2);
  });

  it("when a number in the name tells two todos apart, then the one with that number wins", () => {
    expect(resolvedNumber(byName("Play Games 1"), [todo(1, "Play Games 1"), todo(2, "Play Games 2")])).toBe(1);
  });

  it("when a content word of the name matches no word of a todo, then that todo is no match", () => {
    expect(resolvedNumber(byName("sell milk"), [todo(1, "buy milk")])).toBe("no-match");
    expect(resolvedNumber(byName("socks"), [todo(1, "buy shoes")])).toBe("no-match");
  });

  it("when the name is a shopping errand and the todo is the goods, then the goods match", () => {
    expect(resolvedNumber(byName("buy milk"), [todo(1, "milk", "grocery"), todo(2, "bread", "grocery")], "grocery")).toBe(1);
  });

  it("when a list is given, then only that list's todos are matched", () => {
    const open = [todo(1, "milk"), todo(2, "milk", "shopping")];
    expect(resolvedNumber(byName("milk"), open, "shopping")).toBe(2);
    expect(resolvedNumber(byName("milk"), open, "hardware")).toBe("no-match");
  });

  it("when matches are listed, then the complete ones come first", () => {
    expect(numbers(findMatches("milk", [todo(1, "buy oat milk"), todo(2, "milk")]))).toEqual([2, 1]);
    expect(findMatches("", [todo(1, "buy milk")])).toEqual([]);
  });
});

describe("resolveSelector by position, number, reference and all", () => {
  const open = [
    todo(7, "eggs", "shopping"),
    todo(2, "call mom"),
    todo(4, "pay rent"),
    todo(3, "milk", "shopping"),
    todo(9, "nails", "hardware"),
  ];

  it("when todos are listed, then the default list comes first, then the named lists by name, each by number", () => {
    expect(numbers(orderAsListed(open))).toEqual([2, 4, 9, 3, 7]);
  });

  it.each([
    [1, undefined, 2],
    [2, undefined, 4],
    [-1, undefined, 7],
    [3, undefined, 9],
    [2, "shopping", 7],
    [1, "shopping", 3],
    [-1, "shopping", 7],
  ])("when the position is %i in list %j, then it is #%i as shown", (position, list, number) => {
    expect(resolvedNumber({ by: "position", position }, open, list)).toBe(number);
  });

  it("when the position is past the end, then there is no such position", () => {
    expect(resolvedNumber({ by: "position", position: 6 }, open)).toBe("no-such-position");
  });

  it("when a number is open or not, then it resolves to it or to no match", () => {
    expect(resolvedNumber({ by: "number", number: 4 }, open)).toBe(4);
    expect(resolvedNumber({ by: "number", number: 5 }, open)).toBe("no-match");
  });

  it('when "it" is used with and without a fresh reference, then it is that todo or no reference', () => {
    expect(resolveSelector({ by: "reference" }, open, { referenceNumber: 3 })).toEqual({
      kind: "one",
      todo: todo(3, "milk", "shopping"),
    });
    expect(resolveSelector({ by: "reference" }, open, {})).toEqual({ kind: "no-reference" });
    expect(resolveSelector({ by: "reference" }, open, { referenceNumber: 5 })).toEqual({ kind: "no-reference" });
  });

  it("when all is asked for in a list, then that list's todos come back as listed", () => {
    expect(resolveSelector({ by: "all" }, open, { list: "shopping" })).toEqual({
      kind: "all",
      todos: [todo(3, "milk", "shopping"), todo(7, "eggs", "shopping")],
    });
  });
});
