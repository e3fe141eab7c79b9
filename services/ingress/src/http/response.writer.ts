import type { ServerResponse } from "node:http";

/** Writes a complete response unless one was already sent or the client went away. */
export function sendResponse(
  response: ServerResponse,
  status: number,
  body = "",
  contentType?: string,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const length = Buffer.byteLength(body);
  response.writeHead(status, {
    ...headers,
    ...(contentType && length > 0 ? { "content-type": contentType } : {}),
    "content-length": String(length),
  });
  response.end(body);
}

export function sendText(response: ServerResponse, status: number, text: string, headers?: Record<string, string>): void {
  sendResponse(response, status, `${text}\n`, "text/plain; charset=utf-8", headers);
}
