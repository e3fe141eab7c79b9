import type { todo } from "@sms-todo/contracts";
import { AppError } from "@sms-todo/shared";

/** Summaries claimed per call when the caller names no limit. */
const DEFAULT_SUMMARY_LIMIT = 100;
const MAX_SUMMARY_LIMIT = 500;
/** The last instant a Date can hold; a later one is an Invalid Date, and reading a clock at it throws. */
const MAX_DATE_MS = 8.64e15;

/** A claim call's clock and batch size; summaries and reminders are claimed alike. */
export function parseClaimRequest(request: Pick<todo.ClaimDueSummariesRequest, "asOfMs" | "limit">): {
  asOf: Date;
  limit: number;
} {
  const asOfMs = Number(request.asOfMs);
  if (!Number.isSafeInteger(asOfMs) || asOfMs <= 0 || asOfMs > MAX_DATE_MS)
    throw new AppError("INVALID_ARGUMENT", "as_of_ms must be a positive epoch time");
  const limit = request.limit === 0 ? DEFAULT_SUMMARY_LIMIT : request.limit;
  if (limit > MAX_SUMMARY_LIMIT) throw new AppError("INVALID_ARGUMENT", `limit must be at most ${MAX_SUMMARY_LIMIT}`);
  return { asOf: new Date(asOfMs), limit };
}
