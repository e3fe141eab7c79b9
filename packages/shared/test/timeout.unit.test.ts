import { describe, expect, it } from "vitest";
import { AppError } from "../src/errors/app-error.js";
import { withTimeout } from "../src/time/timeout.js";

const never = () => new Promise<never>(() => undefined);

describe("withTimeout", () => {
  it("when the work settles in time, then its result is the result", async () => {
    await expect(withTimeout(Promise.resolve("done"), 1_000, () => "late")).resolves.toBe("done");
    await expect(withTimeout(Promise.reject(new Error("failed")), 1_000, () => "late")).rejects.toThrow("failed");
  });

  it("when the work outlasts the time, then what onTimeout returns is the result", async () => {
    await expect(withTimeout(never(), 5, () => false)).resolves.toBe(false);
  });

  it("when the work outlasts the time and onTimeout throws, then that very error is the rejection", async () => {
    const error = await withTimeout(never(), 5, () => {
      throw new AppError("UNAVAILABLE", "did not commit in time");
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "UNAVAILABLE", message: "did not commit in time" });
  });

  it("when the work fails after the time ran out, then its late rejection is not left unhandled", async () => {
    let fail: (error: Error) => void = () => undefined;
    const work = new Promise<string>((_resolve, reject) => (fail = reject));
    await expect(withTimeout(work, 5, () => "late")).resolves.toBe("late");
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      fail(new Error("answered too late"));
      // Unhandled rejections are reported after the microtask queue drains; a macrotask is past that.
      await new Promise<void>((resolve) => setImmediate(resolve));
    } finally {
      process.off("unhandledRejection", listener);
    }
    expect(unhandled).toEqual([]);
  });
});
