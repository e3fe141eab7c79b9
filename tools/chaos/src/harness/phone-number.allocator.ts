import { testPhoneNumber } from "@sms-todo/testkit";
import type { LogLeakScanner } from "@sms-todo/testkit";

/** Numbers per scenario block: +1555 and seven digits leaves room for ten blocks. */
const BLOCK = 500_000;

/**
 * Hands out distinct phone numbers, a block per scenario so no two scenarios share a user, and
 * tells the log scanner about each one before it is used.
 */
export class PhoneNumberAllocator {
  private readonly used = new Map<number, number>();

  constructor(private readonly scanner: LogLeakScanner) {}

  /** `count` numbers of the scenario's own block that no earlier call handed out. */
  numbers(scenario: number, count: number): string[] {
    const first = this.used.get(scenario) ?? 0;
    if (first + count > BLOCK) throw new Error(`at most ${BLOCK} numbers per scenario`);
    this.used.set(scenario, first + count);
    return Array.from({ length: count }, (_, index) => {
      const number = testPhoneNumber(1_000_000 + scenario * BLOCK + first + index);
      this.scanner.registerPhoneNumber(number);
      return number;
    });
  }
}
