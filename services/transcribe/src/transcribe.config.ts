import { z } from "zod";
import { commonConfig, hostPortVar, loadConfig, optionalVar, portVar, urlVar } from "@sms-todo/shared";

const isHttpUrl = (value: string) => {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** Keys are the environment variable names of SPEC section 3. */
export const transcribeConfigSchema = z
  .object({
    ...commonConfig,
    TODO_GRPC_ADDR: hostPortVar("127.0.0.1:50051"),
    // GET /metrics and /healthz; each service has its own default so one machine runs them all, 0 takes any free port.
    METRICS_PORT: portVar(9102),
    // Media URLs are fetched only from this origin, with the account's credentials.
    TWILIO_API_BASE_URL: urlVar("https://api.twilio.com", ["http:", "https:"]),
    // Media downloads need them; without them every voice note is answered with "please text instead".
    TWILIO_ACCOUNT_SID: optionalVar().pipe(
      z
        .string()
        .regex(/^AC[0-9a-fA-F]{32}$/, "must be an account SID (AC and 32 hex digits)")
        .optional(),
    ),
    TWILIO_AUTH_TOKEN: optionalVar(),
    WHISPER_URL: urlVar("http://127.0.0.1:8080/v1", ["http:", "https:"]),
    // The optional LLM for item extraction: on when OPENAI_BASE_URL and LLM_MODEL are both set; the key is optional.
    OPENAI_BASE_URL: optionalVar().pipe(z.string().refine(isHttpUrl, "must be an http(s) URL").optional()),
    OPENAI_API_KEY: optionalVar(),
    LLM_MODEL: optionalVar(),
  })
  // One half of a pair alone is a half-done setup; running without it would hide the mistake.
  .superRefine((config, context) => {
    const pairs: Array<[string, unknown, string, unknown]> = [
      ["TWILIO_ACCOUNT_SID", config.TWILIO_ACCOUNT_SID, "TWILIO_AUTH_TOKEN", config.TWILIO_AUTH_TOKEN],
      ["OPENAI_BASE_URL", config.OPENAI_BASE_URL, "LLM_MODEL", config.LLM_MODEL],
    ];
    for (const [first, firstValue, second, secondValue] of pairs) {
      if (firstValue !== undefined && secondValue === undefined) {
        context.addIssue({ code: "custom", path: [second], message: `is required when ${first} is set` });
      }
      if (secondValue !== undefined && firstValue === undefined) {
        context.addIssue({ code: "custom", path: [first], message: `is required when ${second} is set` });
      }
    }
  });

export type TranscribeConfig = Readonly<z.infer<typeof transcribeConfigSchema>>;

export function loadTranscribeConfig(env: NodeJS.ProcessEnv): TranscribeConfig {
  return loadConfig(transcribeConfigSchema, env);
}
