import { z } from "zod";
import { optionalVar, requireTogether } from "./config.js";

const isHttpUrl = (value: string) => {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** The optional LLM, any OpenAI-compatible endpoint: on when OPENAI_BASE_URL and LLM_MODEL are both set; the key is optional. */
export const llmConfig = {
  OPENAI_BASE_URL: optionalVar().pipe(z.string().refine(isHttpUrl, "must be an http(s) URL").optional()),
  OPENAI_API_KEY: optionalVar(),
  LLM_MODEL: optionalVar(),
};

/** OPENAI_BASE_URL and LLM_MODEL are set together or not at all. */
export const refineLlmConfig = requireTogether("OPENAI_BASE_URL", "LLM_MODEL");
