import { z } from "zod";
import { commonConfig, hostPortVar, loadConfig, urlVar } from "@sms-todo/shared";

const schema = z.object({
  ...commonConfig,
  TODO_GRPC_ADDR: hostPortVar("127.0.0.1:50051"),
  TWILIO_API_BASE_URL: urlVar("https://api.twilio.com", ["http:", "https:"]),
  WHISPER_URL: urlVar("http://127.0.0.1:8080/v1", ["http:", "https:"]),
});

export type TranscribeConfig = Readonly<z.infer<typeof schema>>;

export function loadTranscribeConfig(env: NodeJS.ProcessEnv): TranscribeConfig {
  return loadConfig(schema, env);
}
