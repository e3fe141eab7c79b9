/**
 * The closed set of answers the LLM may give for one SMS, twice: as the strict JSON schema
 * the endpoint constrains its output to, and as the zod schema that checks what actually
 * came back (a compatible server may ignore the schema, a model may be talked into
 * anything). There is no field for a phone number, a user or a todo id: the model can only
 * name todo numbers, and todo-domain resolves those against the sender's own todos.
 *
 * String lengths are bounded with `pattern` rather than `maxLength`, which OpenAI's strict
 * mode does not accept; zod checks the lengths the same way the parser counts them.
 */
import { z } from "zod";
import { MAX_TODO_LENGTH, MAX_TODO_NUMBER, MAX_TODOS_PER_MESSAGE } from "@sms-todo/rules";

export const LLM_COMMAND_SCHEMA_NAME = "sms_todo_command";

export const LLM_COMMAND_KINDS = ["add", "complete", "delete", "edit", "list", "undo", "help", "settings", "none"] as const;

// IANA names: "UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "America/Port-au-Prince".
const TIMEZONE_PATTERN = "^[A-Za-z][A-Za-z0-9_+-]{0,31}(/[A-Za-z0-9_+-]{1,32}){0,2}$";
const SUMMARY_TIME_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

/** A todo text as the JSON schema bounds it. */
export const jsonTodoText = {
  type: "string",
  pattern: `^[^\\r\\n]{1,${MAX_TODO_LENGTH}}$`,
  description: "A todo text in the user's own words, one line.",
};
const jsonNumbers = {
  type: "array",
  items: { type: "integer", minimum: 1, maximum: MAX_TODO_NUMBER },
  minItems: 1,
  maxItems: MAX_TODOS_PER_MESSAGE,
  description: "Numbers (#N) of the sender's open todos.",
};

function jsonVariant(kind: string, description: string, properties: Record<string, unknown> = {}) {
  return {
    type: "object",
    description,
    properties: { kind: { type: "string", enum: [kind] }, ...properties },
    required: ["kind", ...Object.keys(properties)],
    additionalProperties: false,
  };
}

function jsonSetting(setting: string, properties: Record<string, unknown> = {}) {
  return {
    type: "object",
    properties: { setting: { type: "string", enum: [setting] }, ...properties },
    required: ["setting", ...Object.keys(properties)],
    additionalProperties: false,
  };
}

/** The strict JSON schema sent as response_format. OpenAI wants an object at the root, so the union sits in `command`. */
export const llmCommandJsonSchema: Record<string, unknown> = {
  type: "object",
  properties: {
    command: {
      anyOf: [
        jsonVariant("add", "Add new todos.", {
          texts: { type: "array", items: jsonTodoText, minItems: 1, maxItems: MAX_TODOS_PER_MESSAGE },
        }),
        jsonVariant("complete", "Mark open todos as done.", { numbers: jsonNumbers }),
        jsonVariant("delete", "Remove open todos without doing them.", { numbers: jsonNumbers }),
        jsonVariant("edit", "Replace the text of one open todo.", {
          number: { type: "integer", minimum: 1, maximum: MAX_TODO_NUMBER },
          text: jsonTodoText,
        }),
        jsonVariant("list", "Show the open todos."),
        jsonVariant("undo", "Revert the sender's most recent change."),
        jsonVariant("help", "Explain how to use the service."),
        jsonVariant("settings", "Change the daily summary or the timezone.", {
          change: {
            anyOf: [
              jsonSetting("summary_time", {
                time: { type: "string", pattern: SUMMARY_TIME_PATTERN, description: "24-hour local time, HH:MM." },
              }),
              jsonSetting("summary_off"),
              jsonSetting("timezone", {
                timezone: { type: "string", pattern: TIMEZONE_PATTERN, description: "IANA timezone name, e.g. Europe/Berlin." },
              }),
            ],
          },
        }),
        jsonVariant("none", "Not a command: the message is kept as a todo, as written."),
      ],
    },
  },
  required: ["command"],
  additionalProperties: false,
};

/** A todo text from the model, normalised like the parser's (whitespace collapsed, trimmed), counted in UTF-16 code units. */
export const llmTodoText = z
  .string()
  .max(MAX_TODO_LENGTH * 2)
  .transform((text) => text.replace(/\s+/gu, " ").trim())
  .pipe(
    z
      .string()
      .min(1)
      .max(MAX_TODO_LENGTH)
      .regex(/^[^\p{Cc}]*$/u),
  );
const todoNumber = z.number().int().min(1).max(MAX_TODO_NUMBER);
const todoNumbers = z.array(todoNumber).min(1).max(MAX_TODOS_PER_MESSAGE);

const settingChange = z.discriminatedUnion("setting", [
  z.strictObject({ setting: z.literal("summary_time"), time: z.string().regex(new RegExp(SUMMARY_TIME_PATTERN)) }),
  z.strictObject({ setting: z.literal("summary_off") }),
  z.strictObject({ setting: z.literal("timezone"), timezone: z.string().regex(new RegExp(TIMEZONE_PATTERN)) }),
]);

/** What a model answer must be, checked field by field; unknown keys anywhere are refused. */
export const llmCommandAnswer = z.strictObject({
  command: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("add"), texts: z.array(llmTodoText).min(1).max(MAX_TODOS_PER_MESSAGE) }),
    z.strictObject({ kind: z.literal("complete"), numbers: todoNumbers }),
    z.strictObject({ kind: z.literal("delete"), numbers: todoNumbers }),
    z.strictObject({ kind: z.literal("edit"), number: todoNumber, text: llmTodoText }),
    z.strictObject({ kind: z.literal("list") }),
    z.strictObject({ kind: z.literal("undo") }),
    z.strictObject({ kind: z.literal("help") }),
    z.strictObject({ kind: z.literal("settings"), change: settingChange }),
    z.strictObject({ kind: z.literal("none") }),
  ]),
});

export type LlmCommandAnswer = z.infer<typeof llmCommandAnswer>["command"];
