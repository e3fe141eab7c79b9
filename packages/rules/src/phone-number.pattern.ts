/**
 * Phone numbers are E.164: a plus, then a country code that does not start with 0, and at most
 * 15 digits in all. Fewer than 8 digits are not taken for a number: the logs mask only numbers of
 * 8 digits or more, so a shorter one accepted as a user's would be logged unmasked.
 */
export const PHONE_NUMBER_DIGITS = { min: 8, max: 15 } as const;

/** The digits of an E.164 number (without the plus) as a regular-expression source, for patterns that search text. */
export const E164_DIGITS_SOURCE = `[1-9]\\d{${PHONE_NUMBER_DIGITS.min - 1},${PHONE_NUMBER_DIGITS.max - 1}}`;

const E164 = new RegExp(`^\\+${E164_DIGITS_SOURCE}$`);

/** Whether the whole value is one E.164 number, such as +15551234567. */
export function isE164(value: string): boolean {
  return E164.test(value);
}
