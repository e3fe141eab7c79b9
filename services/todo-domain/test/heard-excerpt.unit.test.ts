import { describe, expect, it } from "vitest";
import { heardExcerpt } from "../src/voice-notes/heard-excerpt.js";

describe("heardExcerpt", () => {
  it("when the transcript is short, then it is quoted whole, with its whitespace tidied", () => {
    expect(heardExcerpt("  buy milk\n and   eggs ")).toBe("buy milk and eggs");
  });

  it("when the transcript is exactly the limit, then it is quoted whole", () => {
    const text = "a".repeat(50) + " " + "b".repeat(49);
    expect(heardExcerpt(text)).toBe(text);
  });

  it("when the transcript is longer than the limit, then it is cut after a whole word and ends in an ellipsis", () => {
    const excerpt = heardExcerpt("call the plumber about the leaking kitchen tap, ".repeat(5));
    expect(excerpt.length).toBeLessThanOrEqual(100);
    // "call" would fit in 100 characters, but not together with the ellipsis.
    expect(excerpt).toBe("call the plumber about the leaking kitchen tap, call the plumber about the leaking kitchen tap…");
  });

  it("when the cut falls after punctuation, then the punctuation is dropped before the ellipsis", () => {
    expect(heardExcerpt("one, two, three, four", 12)).toBe("one, two…");
  });

  it("when a single word is longer than the limit, then it is cut inside the word", () => {
    expect(heardExcerpt("x".repeat(150))).toBe("x".repeat(99) + "…");
  });
});
