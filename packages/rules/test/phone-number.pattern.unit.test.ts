import { describe, expect, it } from "vitest";
import { isE164, PHONE_NUMBER_DIGITS } from "../src/phone-number.pattern.js";

const digits = (count: number) => `+1${"5".repeat(count - 1)}`;

describe("isE164", () => {
  it("when a number has from the fewest to the most digits, then it is E.164", () => {
    for (let count = PHONE_NUMBER_DIGITS.min; count <= PHONE_NUMBER_DIGITS.max; count += 1)
      expect([count, isE164(digits(count))]).toEqual([count, true]);
    expect(isE164("+15551234567")).toBe(true);
  });

  it("when a number has one digit too few or too many, then it is not", () => {
    expect(isE164(digits(PHONE_NUMBER_DIGITS.min - 1))).toBe(false);
    expect(isE164(digits(PHONE_NUMBER_DIGITS.max + 1))).toBe(false);
  });

  it.each(["15551234567", "+05551234567", "+1 555 123 4567", " +15551234567", "+15551234567\n", "whatsapp:+15551234567", ""])(
    "when the value is %j, then it is not E.164",
    (value) => {
      expect(isE164(value)).toBe(false);
    },
  );
});
