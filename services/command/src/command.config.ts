import { z } from "zod";
import { commonConfig, hostPortVar, llmConfig, loadConfig, portVar, refineLlmConfig } from "@sms-todo/shared";

/** Keys are the environment variable names of SPEC section 3. */
export const commandConfigSchema = z
  .object({
    ...commonConfig,
    TODO_GRPC_ADDR: hostPortVar("127.0.0.1:50051"),
    // GET /metrics and /healthz; each service has its own default so one machine runs them all, 0 takes any free port.
    METRICS_PORT: portVar(9101),
    // The optional LLM for free-text commands.
    ...llmConfig,
  })
  .superRefine(refineLlmConfig);

export type CommandConfig = Readonly<z.infer<typeof commandConfigSchema>>;

export function loadCommandConfig(env: NodeJS.ProcessEnv): CommandConfig {
  return loadConfig(commandConfigSchema, env);
}
