import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { auditLogLine } from "@sms-todo/testkit";

const servicesDir = fileURLToPath(new URL("../../../services/", import.meta.url));

function runUntilExit(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${servicesDir}${script}`], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      for (const line of output.split("\n").filter(Boolean)) auditLogLine(script, line);
      resolve({ code, output });
    });
  });
}

describe("service startup", () => {
  it.each([
    ["ingress/dist/main.js", { INGRESS_PORT: "not-a-port" }, "INGRESS_PORT"],
    ["todo-domain/dist/main.js", { TODO_GRPC_ADDR: "nowhere" }, "TODO_GRPC_ADDR"],
    ["command/dist/main.js", { AMQP_URL: "http://wrong-scheme" }, "AMQP_URL"],
    ["notifier/dist/main.js", { TWILIO_ACCOUNT_SID: "AC00000000000000000000000000000000" }, "TWILIO_AUTH_TOKEN"],
    ["transcribe/dist/main.js", { WHISPER_URL: "whisper" }, "WHISPER_URL"],
    ["todo-domain/dist/migrate.js", { TODO_DATABASE_URL: "mysql://x/y" }, "TODO_DATABASE_URL"],
  ])("when %s starts with invalid configuration, then it exits with 78 naming the variable", async (script, env, variable) => {
    const { code, output } = await runUntilExit(script, env);
    expect(code).toBe(78);
    expect(output).toContain(variable);
  });
});
