import { z } from "zod";
import { commonConfig, hostPortVar, loadConfig, optionalVar } from "@sms-todo/shared";

const isHttpUrl = (value: string) => {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** Keys are the environment variable names of SPEC section 3. */
export const commandConfigSchema = z.object({
  ...commonConfig,
  TODO_GRPC_ADDR: hostPortVar("127.0.0.1:50051"),
  // The optional LLM for free-text commands: validated now so a typo fails at start, used once that path exists.
  OPENAI_BASE_URL: optionalVar().pipe(z.string().refine(isHttpUrl, "must be an http(s) URL").optional()),
  OPENAI_API_KEY: optionalVar(),
  LLM_MODEL: optionalVar(),
});

export type CommandConfig = Readonly<z.infer<typeof commandConfigSchema>>;

export function loadCommandConfig(env: NodeJS.ProcessEnv): CommandConfig {
  return loadConfig(commandConfigSchema, env);
}
