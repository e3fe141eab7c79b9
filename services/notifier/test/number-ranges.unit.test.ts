import { describe, expect, it } from "vitest";
import { numberRanges } from "../src/replies/number-ranges.js";

describe("numberRanges", () => {
  it.each([
    [[2, 5, 7], "2, 5, 7"],
    [[1, 2, 3, 4, 7], "1-4, 7"],
    [[2, 3], "2, 3"],
    [[1, 2, 3], "1-3"],
    [[7, 1, 3, 2, 4], "1-4, 7"],
    [[1, 2, 4, 5, 6, 9, 10], "1, 2, 4-6, 9, 10"],
    [[5, 5, 6, 7], "5-7"],
    [[8], "8"],
    [[], ""],
  ])("when the numbers are %j, then the text is %j", (numbers, expected) => {
    expect(numberRanges(numbers)).toBe(expected);
  });

  it("when fifty numbers follow each other, then they are one range", () => {
    expect(numberRanges(Array.from({ length: 50 }, (_, index) => index + 1))).toBe("1-50");
  });
});
