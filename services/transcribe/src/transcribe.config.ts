import { z } from "zod";
import {
  commonConfig,
  hostPortVar,
  llmConfig,
  loadConfig,
  portVar,
  refineLlmConfig,
  refineTwilioCredentials,
  twilioApiConfig,
  twilioCredentialsConfig,
  urlVar,
} from "@sms-todo/shared";

/** Keys are the environment variable names of SPEC section 3. */
export const transcribeConfigSchema = z
  .object({
    ...commonConfig,
    TODO_GRPC_ADDR: hostPortVar("127.0.0.1:50051"),
    // GET /metrics and /healthz; each service has its own default so one machine runs them all, 0 takes any free port.
    METRICS_PORT: portVar(9102),
    // Media URLs are fetched only from this origin, with the account's credentials.
    ...twilioApiConfig,
    // Media downloads need them; without them every voice note is answered with "please text instead".
    ...twilioCredentialsConfig,
    WHISPER_URL: urlVar("http://127.0.0.1:8080/v1", ["http:", "https:"]),
    // The optional LLM for item extraction.
    ...llmConfig,
  })
  .superRefine(refineTwilioCredentials)
  .superRefine(refineLlmConfig);

export type TranscribeConfig = Readonly<z.infer<typeof transcribeConfigSchema>>;

export function loadTranscribeConfig(env: NodeJS.ProcessEnv): TranscribeConfig {
  return loadConfig(transcribeConfigSchema, env);
}
