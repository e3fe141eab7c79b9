import { z } from "zod";
import { commonConfig, databaseUrlVar, hostPortVar, loadConfig, portVar } from "@sms-todo/shared";

const schema = z.object({
  ...commonConfig,
  TODO_GRPC_ADDR: hostPortVar("127.0.0.1:50051"),
  // GET /metrics and /healthz; each service has its own default so one machine runs them all, 0 takes any free port.
  METRICS_PORT: portVar(9104),
  TODO_DATABASE_URL: databaseUrlVar("sms_todo"),
  AUDIT_DATABASE_URL: databaseUrlVar("sms_todo_audit"),
  TRANSCRIPTION_DATABASE_URL: databaseUrlVar("sms_todo_transcription"),
});

export type TodoDomainConfig = Readonly<z.infer<typeof schema>>;

export function loadTodoDomainConfig(env: NodeJS.ProcessEnv): TodoDomainConfig {
  return loadConfig(schema, env);
}
