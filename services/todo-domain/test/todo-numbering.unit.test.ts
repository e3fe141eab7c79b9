import { describe, expect, it } from "vitest";
import { lowestFreeNumbers } from "../src/todos/todo-numbering.js";

describe("lowestFreeNumbers", () => {
  it("when nothing is open, then numbering starts at 1", () => {
    expect(lowestFreeNumbers([], 3)).toEqual([1, 2, 3]);
  });

  it("when numbers are taken, then new todos get the next ones", () => {
    expect(lowestFreeNumbers([1, 2], 1)).toEqual([3]);
  });

  it("when a number in the middle was closed, then it is reused first, lowest free first", () => {
    expect(lowestFreeNumbers([1, 3, 5], 3)).toEqual([2, 4, 6]);
  });

  it("when the taken numbers are unordered, then the result is still ascending", () => {
    expect(lowestFreeNumbers([4, 1, 2], 2)).toEqual([3, 5]);
  });

  it("when no todo is asked for, then no number is given", () => {
    expect(lowestFreeNumbers([1], 0)).toEqual([]);
  });
});
