import type { IncomingMessage, ServerResponse } from "node:http";
import { isAppError, runWithCorrelation, type ErrorCode, type Logger } from "@sms-todo/shared";
import type { IngressMetrics } from "../metrics/ingress.metrics.js";
import { sendText } from "./response.writer.js";

/** The request target split as received: no decoding, no normalisation, because signatures cover the raw form. */
export interface RequestTarget {
  path: string;
  /** Without the "?"; "" when the request had none. */
  query: string;
}

export type RouteHandler = (request: IncomingMessage, response: ServerResponse, target: RequestTarget) => Promise<void>;

export interface Route {
  method: "GET" | "POST";
  path: string;
  /** Label for metrics. */
  name: string;
  handle: RouteHandler;
}

export function parseTarget(rawUrl: string | undefined): RequestTarget | undefined {
  const raw = rawUrl ?? "";
  if (!raw.startsWith("/")) return undefined;
  const mark = raw.indexOf("?");
  return mark === -1 ? { path: raw, query: "" } : { path: raw.slice(0, mark), query: raw.slice(mark + 1) };
}

// Codes not listed are faults of this service: 500.
const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 403,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 503,
};

/**
 * Exact-path routing with 404/405, and the one place where errors become HTTP
 * statuses. The returned function never rejects. Each request gets its own correlation
 * context, which a webhook route names after the MessageSid once the signature checked out,
 * so the error line of a failed webhook carries it too.
 */
export function createRouter(routes: readonly Route[], logger: Logger, metrics: IngressMetrics) {
  const byPath = new Map<string, Route[]>();
  for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);

  return (request: IncomingMessage, response: ServerResponse): Promise<void> =>
    runWithCorrelation(undefined, () => dispatch(request, response));

  async function dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = parseTarget(request.url);
    const candidates = target ? byPath.get(target.path) : undefined;
    const route = candidates?.find((candidate) => candidate.method === request.method);
    response.once("finish", () =>
      metrics.countRequest(route?.name ?? (candidates ? "wrong_method" : "not_found"), response.statusCode),
    );

    if (!target || !candidates) return sendText(response, 404, "not found");
    if (!route)
      return sendText(response, 405, "method not allowed", { allow: candidates.map((candidate) => candidate.method).join(", ") });

    try {
      await route.handle(request, response, target);
    } catch (error) {
      const status = (isAppError(error) ? STATUS_OF[error.code] : undefined) ?? 500;
      if (status >= 500) {
        logger.error({ err: error, route: route.name, status }, "request failed");
        sendText(response, status, status === 503 ? "service unavailable" : "internal error");
      } else {
        logger.warn({ route: route.name, status, reason: (error as Error).message }, "request rejected");
        sendText(response, status, (error as Error).message);
      }
    }
  }
}
