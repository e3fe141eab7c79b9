import type { IncomingMessage } from "node:http";

export type FormBody = { ok: true; fields: URLSearchParams } | { ok: false; status: 400 | 413 | 415; reason: string };

const FORM_TYPE = "application/x-www-form-urlencoded";
const UTF8_CHARSETS = new Set(["utf-8", "utf8", "us-ascii"]);

function unsupportedMediaType(request: IncomingMessage): string | undefined {
  const [essence = "", ...parameters] = (request.headers["content-type"] ?? "").split(";");
  if (essence.trim().toLowerCase() !== FORM_TYPE) return `content type must be ${FORM_TYPE}`;
  for (const parameter of parameters) {
    const [name = "", value = ""] = parameter.split("=", 2).map((part) => part.trim().toLowerCase());
    if (name === "charset" && !UTF8_CHARSETS.has(value.replace(/^"|"$/g, ""))) return "charset must be utf-8";
  }
  const encoding = request.headers["content-encoding"];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== "identity") return "content encoding is not supported";
  return undefined;
}

/**
 * Reads a urlencoded form of at most maxBytes. Past the limit it stops buffering and
 * answers at once; the caller's response (413) then closes the connection.
 */
export function readFormBody(request: IncomingMessage, maxBytes: number): Promise<FormBody> {
  const mediaTypeProblem = unsupportedMediaType(request);
  if (mediaTypeProblem) return Promise.resolve({ ok: false, status: 415, reason: mediaTypeProblem });
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > maxBytes) return Promise.resolve(tooLarge(maxBytes));

  return new Promise<FormBody>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: FormBody) => {
      if (settled) return;
      settled = true;
      request.off("end", onEnd);
      request.off("close", onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (settled) return; // past the limit: discarded until the connection closes
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        settle(tooLarge(maxBytes));
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => settle(decodeForm(Buffer.concat(chunks, size)));
    const onClose = () => settle({ ok: false, status: 400, reason: "request aborted" });
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("close", onClose);
    // An aborted upload emits "error"; without a listener that would crash the process.
    request.on("error", () => settle({ ok: false, status: 400, reason: "request aborted" }));
  });
}

function tooLarge(maxBytes: number): FormBody {
  return { ok: false, status: 413, reason: `body is larger than ${maxBytes} bytes` };
}

function decodeForm(bytes: Buffer): FormBody {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, status: 400, reason: "body is not valid UTF-8" };
  }
  return { ok: true, fields: new URLSearchParams(text) };
}
