import { describe, expect, it } from "vitest";
import { isValidListName, MAX_LIST_NAME_LENGTH } from "../src/todo-list.rules.js";

describe("isValidListName", () => {
  it.each(["shopping", "grocery", "mom's birthday", "mom’s", "diy-projects", "week 42", "café"])(
    "when the name is %j, then it names a list",
    (name) => {
      expect(isValidListName(name)).toBe(true);
    },
  );

  it.each(["", " shopping", "-shopping", "shop/ping", "a;drop", "x\ny", "#1", "emoji 🛒"])(
    "when the name is %j, then it does not",
    (name) => {
      expect(isValidListName(name)).toBe(false);
    },
  );

  it("when a name has the most characters allowed, then it names a list, and one more does not", () => {
    expect(isValidListName("a".repeat(MAX_LIST_NAME_LENGTH))).toBe(true);
    expect(isValidListName("a".repeat(MAX_LIST_NAME_LENGTH + 1))).toBe(false);
  });
});
