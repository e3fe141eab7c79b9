import http from "node:http";
import { StandInServer } from "./stand-in.server.js";
import { randomBytes } from "node:crypto";

/** One chat message as the openai client sends it. */
export interface ChatMessage {
  role: string;
  content: unknown;
}

/** A chat completions request the stand-in received, parsed. */
export interface RecordedChatRequest {
  headers: http.IncomingHttpHeaders;
  /** The request body exactly as sent, for scanning it whole. */
  raw: string;
  model: string;
  messages: ChatMessage[];
  responseFormat: unknown;
  body: Record<string, unknown>;
}

/** How the stand-in answers one request. */
export type OpenAiAnswer =
  /** 200 with `JSON.stringify(value)` as the message content. */
  | { kind: "json"; value: unknown }
  /** 200 with this content as written (e.g. not JSON), and the finish reason ("stop" unless given). */
  | { kind: "content"; content: string; finishReason?: string }
  /** 200 with a refusal instead of content. */
  | { kind: "refusal"; refusal: string }
  /** An OpenAI-style error body with this HTTP status. */
  | { kind: "status"; status: number; message?: string }
  /** Never answers; the client has to time out. */
  | { kind: "hang" }
  /** 200 whose body is not JSON at all. */
  | { kind: "garbage" };

/** Decides the answer from the request; programmed answers go first. */
export type OpenAiScript = (request: RecordedChatRequest) => OpenAiAnswer;

export interface OpenAiStandInOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (401 otherwise). */
  apiKey?: string;
  script?: OpenAiScript;
  host?: string;
}

const NO_SCRIPT: OpenAiScript = () => ({ kind: "status", status: 500, message: "the stand-in has no answer programmed" });

/**
 * A local server speaking the OpenAI chat completions protocol (POST /v1/chat/completions)
 * as far as sms-todo uses it: it records every request and answers from a script the test
 * programs, including failures (HTTP errors, a hang, content that is not JSON or not valid).
 */
export class OpenAiStandIn {
  readonly requests: RecordedChatRequest[] = [];
  private readonly programmed: OpenAiAnswer[] = [];
  private readonly server: StandInServer;
  private readonly hanging: Set<http.ServerResponse>;
  private script: OpenAiScript;
  private origin = "";

  constructor(private readonly options: OpenAiStandInOptions = {}) {
    this.script = options.script ?? NO_SCRIPT;
    const server = http.createServer((request, response) => {
      this.route(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
      });
    });
    this.server = new StandInServer(server);
    this.hanging = this.server.hanging;
  }

  /** The value for OPENAI_BASE_URL. */
  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  async start(): Promise<string> {
    this.origin = await this.server.listen(0, this.options.host ?? "127.0.0.1");
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    await this.server.close();
  }

  /** Replaces the script that answers every request without a programmed answer. */
  answerWith(script: OpenAiScript): void {
    this.script = script;
  }

  /** The next requests get these answers, in order, before the script is asked again. */
  program(...answers: OpenAiAnswer[]): void {
    this.programmed.push(...answers);
  }

  private async route(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://stand-in");
    const raw = await readBody(request);
    if (request.method !== "POST" || url.pathname !== "/v1/chat/completions") {
      return error(response, 404, "not_found", `Unknown request URL: ${request.method ?? ""} ${url.pathname}`);
    }
    if (this.options.apiKey !== undefined && request.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      return error(response, 401, "invalid_api_key", "Incorrect API key provided");
    }
    const recorded = parseRequest(request.headers, raw);
    if (!recorded) return error(response, 400, "invalid_request_error", "model and messages are required");
    this.requests.push(recorded);
    const answer = this.programmed.shift() ?? this.script(recorded);
    switch (answer.kind) {
      case "hang":
        this.hanging.add(response);
        response.on("close", () => this.hanging.delete(response));
        return;
      case "status":
        return error(response, answer.status, "server_error", answer.message ?? `status ${answer.status}`);
      case "garbage":
        response.writeHead(200, { "content-type": "application/json" }).end("<html>not json");
        return;
      case "refusal":
        return completion(response, recorded.model, { content: null, refusal: answer.refusal }, "stop");
      case "content":
        return completion(response, recorded.model, { content: answer.content, refusal: null }, answer.finishReason ?? "stop");
      case "json":
        return completion(response, recorded.model, { content: JSON.stringify(answer.value), refusal: null }, "stop");
    }
  }
}

/** The text of the request's messages with this role, joined. */
export function messageText(request: RecordedChatRequest, role: string): string {
  return request.messages
    .filter((message) => message.role === role)
    .map((message) => (typeof message.content === "string" ? message.content : JSON.stringify(message.content)))
    .join("\n");
}

function parseRequest(headers: http.IncomingHttpHeaders, raw: string): RecordedChatRequest | undefined {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof body !== "object" || body === null) return undefined;
  const { model, messages, response_format: responseFormat } = body as Record<string, unknown>;
  if (typeof model !== "string" || !Array.isArray(messages)) return undefined;
  return { headers, raw, model, messages: messages as ChatMessage[], responseFormat, body: body as Record<string, unknown> };
}

function completion(
  response: http.ServerResponse,
  model: string,
  message: { content: string | null; refusal: string | null },
  finishReason: string,
): void {
  const content = message.content ?? "";
  json(response, 200, {
    id: `chatcmpl-${randomBytes(12).toString("hex")}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: "assistant", ...message }, logprobs: null, finish_reason: finishReason }],
    usage: {
      prompt_tokens: 1,
      completion_tokens: Math.ceil(content.length / 4),
      total_tokens: 1 + Math.ceil(content.length / 4),
    },
  });
}

function error(response: http.ServerResponse, status: number, type: string, message: string): void {
  json(response, status, { error: { message, type, param: null, code: null } });
}

function json(response: http.ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
  response.end(payload);
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
