import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";

/** The LLM settings of SPEC section 3, as the services' configs name them. */
export interface LlmConfig {
  readonly OPENAI_BASE_URL?: string | undefined;
  readonly OPENAI_API_KEY?: string | undefined;
  readonly LLM_MODEL?: string | undefined;
}

export interface LlmClientOptions {
  /** Per attempt; the user is waiting for a reply SMS and the deterministic answer is always at hand. */
  timeoutMs?: number;
  maxRetries?: number;
}

export const LLM_TIMEOUT_MS = 4_000;
export const LLM_MAX_RETRIES = 1;

// The largest valid answer (MAX_TODOS_PER_MESSAGE texts of MAX_TODO_LENGTH characters) is about 26,000 characters;
// anything far beyond is not one.
const MAX_REPLY_CHARS = 64_000;

// Local OpenAI-compatible servers (llama.cpp, Ollama, vLLM) take no key, but the openai client insists on one.
const PLACEHOLDER_API_KEY = "not-needed";

/** Why the model gave no usable answer; the caller falls back to its deterministic result for every one. */
export type LlmFailure =
  /** No answer within the timeout (after the retries). */
  | "timeout"
  /** The endpoint could not be reached or answered with an HTTP error. */
  | "unavailable"
  /** The model declined to answer (a refusal in place of content). */
  | "refused"
  /** The answer was not one complete JSON document. */
  | "malformed"
  /** The JSON did not pass the closed schema or a guard. */
  | "rejected";

export interface StructuredRequest {
  /** The json_schema name: a-z, A-Z, 0-9, "_" and "-". */
  schemaName: string;
  /** A strict JSON schema: every object closed, every property required. */
  schema: Record<string, unknown>;
  /** Instructions; never carries the user's words. */
  system: string;
  /** The user's words, alone in the user message so they are only ever data. */
  user: string;
}

export type StructuredReply =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly failure: LlmFailure; readonly status?: number | undefined };

/** One OpenAI-compatible chat completions endpoint answering with structured output. */
export interface LlmClient {
  readonly model: string;
  /** Never throws: every failure is a StructuredReply the caller can fall back on. */
  requestJson(request: StructuredRequest): Promise<StructuredReply>;
}

/**
 * The LLM named by the config, or undefined when OPENAI_BASE_URL or LLM_MODEL is unset: then
 * everything runs deterministically. OPENAI_API_KEY is optional for local servers.
 *
 * Every option is passed explicitly so the openai package reads nothing from the environment
 * itself: the composition root stays the one place that does.
 */
export function createLlmClient(config: LlmConfig, options: LlmClientOptions = {}): LlmClient | undefined {
  const baseURL = config.OPENAI_BASE_URL?.trim();
  const model = config.LLM_MODEL?.trim();
  if (!baseURL || !model) return undefined;
  const openai = new OpenAI({
    baseURL,
    apiKey: config.OPENAI_API_KEY?.trim() || PLACEHOLDER_API_KEY,
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    timeout: options.timeoutMs ?? LLM_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? LLM_MAX_RETRIES,
    // Its log lines would bypass the project's masking logger; failures are returned and logged by the caller.
    logLevel: "off",
  });
  return {
    model,
    requestJson: (request) => requestJson(openai, model, request),
  };
}

async function requestJson(openai: OpenAI, model: string, request: StructuredRequest): Promise<StructuredReply> {
  let completion: OpenAI.Chat.Completions.ChatCompletion;
  try {
    completion = await openai.chat.completions.create({
      model,
      messages: [
        { role: "system", content: request.system },
        { role: "user", content: request.user },
      ],
      response_format: {
        type: "json_schema",
        json_schema: { name: request.schemaName, strict: true, schema: request.schema },
      },
      stream: false,
    });
  } catch (error) {
    return failureOf(error);
  }
  // The envelope is the endpoint's word too: a compatible server may answer anything with status 200.
  const choice = (completion as Partial<typeof completion>).choices?.[0];
  const message = choice?.message;
  if (message?.refusal) return { ok: false, failure: "refused" };
  const content = message?.content;
  if (typeof content !== "string" || content.length === 0 || content.length > MAX_REPLY_CHARS) {
    return { ok: false, failure: "malformed" };
  }
  // A reply cut off at the token limit is incomplete even when what arrived happens to parse.
  if (choice?.finish_reason !== "stop") return { ok: false, failure: "malformed" };
  try {
    const value: unknown = JSON.parse(content);
    return { ok: true, value };
  } catch {
    return { ok: false, failure: "malformed" };
  }
}

function failureOf(error: unknown): StructuredReply {
  if (error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) return { ok: false, failure: "timeout" };
  if (error instanceof APIError) {
    const status: unknown = error.status;
    return { ok: false, failure: "unavailable", status: typeof status === "number" ? status : undefined };
  }
  // Anything else was thrown while reading the answer (a body that is not JSON, a broken envelope).
  return { ok: false, failure: "malformed" };
}
