import { z } from "zod";
import { commonConfig, hostPortVar, loadConfig, optionalVar, portVar } from "@sms-todo/shared";

const isHttpUrl = (value: string) => {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** Keys are the environment variable names of SPEC section 3. */
export const commandConfigSchema = z
  .object({
    ...commonConfig,
    TODO_GRPC_ADDR: hostPortVar("127.0.0.1:50051"),
    // GET /metrics and /healthz; each service has its own default so one machine runs them all, 0 takes any free port.
    METRICS_PORT: portVar(9101),
    // The optional LLM for free-text commands: on when OPENAI_BASE_URL and LLM_MODEL are both set; the key is optional.
    OPENAI_BASE_URL: optionalVar().pipe(z.string().refine(isHttpUrl, "must be an http(s) URL").optional()),
    OPENAI_API_KEY: optionalVar(),
    LLM_MODEL: optionalVar(),
  })
  // One of the two alone is a half-done setup; running without the LLM would hide it.
  .superRefine((config, context) => {
    if (config.OPENAI_BASE_URL !== undefined && config.LLM_MODEL === undefined) {
      context.addIssue({ code: "custom", path: ["LLM_MODEL"], message: "is required when OPENAI_BASE_URL is set" });
    }
    if (config.LLM_MODEL !== undefined && config.OPENAI_BASE_URL === undefined) {
      context.addIssue({ code: "custom", path: ["OPENAI_BASE_URL"], message: "is required when LLM_MODEL is set" });
    }
  });

export type CommandConfig = Readonly<z.infer<typeof commandConfigSchema>>;

export function loadCommandConfig(env: NodeJS.ProcessEnv): CommandConfig {
  return loadConfig(commandConfigSchema, env);
}
