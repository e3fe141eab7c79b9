import type { todo } from "@sms-todo/contracts";
import { AppError } from "@sms-todo/shared";

/** Summaries claimed per call when the caller names no limit. */
const DEFAULT_SUMMARY_LIMIT = 100;
const MAX_SUMMARY_LIMIT = 500;

export function parseSummaryClaimRequest(request: todo.ClaimDueSummariesRequest): { asOf: Date; limit: number } {
  const asOfMs = Number(request.asOfMs);
  if (!Number.isSafeInteger(asOfMs) || asOfMs <= 0)
    throw new AppError("INVALID_ARGUMENT", "as_of_ms must be a positive epoch time");
  const limit = request.limit === 0 ? DEFAULT_SUMMARY_LIMIT : request.limit;
  if (limit > MAX_SUMMARY_LIMIT) throw new AppError("INVALID_ARGUMENT", `limit must be at most ${MAX_SUMMARY_LIMIT}`);
  return { asOf: new Date(asOfMs), limit };
}
