import { z } from "zod";
import { AppError } from "../errors/app-error.js";

/**
 * Parses environment variables with a zod schema whose keys are the variable names.
 * Fails before anything connects, naming every missing or invalid variable; the
 * result is frozen.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv): Readonly<z.infer<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "(env)"}: ${issue.message}`);
    throw new AppError("CONFIG", `invalid configuration: ${problems.join("; ")}`);
  }
  return Object.freeze(result.data);
}

const withDefault = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === "" ? fallback : value.trim()));

/** A URL with one of the given protocols, e.g. urlVar("http://localhost:3000", ["http:", "https:"]). */
export function urlVar(fallback: string, protocols: readonly string[]) {
  return withDefault(fallback).pipe(
    z.string().refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.join(" or ")}`,
    ),
  );
}

export function portVar(fallback: number) {
  return withDefault(String(fallback)).pipe(z.coerce.number<string>().int().min(0).max(65535));
}

/** host:port, as gRPC addresses are written. */
export function hostPortVar(fallback: string) {
  return withDefault(fallback).pipe(z.string().regex(/^[\w.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, "must be host:port"));
}

/** A variable that may be left unset (an empty value counts as unset). */
export function optionalVar() {
  return z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));
}

/** Settings every service reads. */
export const commonConfig = {
  AMQP_URL: urlVar("amqp://guest:guest@127.0.0.1:5672", ["amqp:", "amqps:"]),
  /** Prefix of every queue, exchange and Redis key, so several stacks can share one broker and Redis (tests). */
  SMS_TODO_NAMESPACE: withDefault("").pipe(z.string().regex(/^[\w.-]*$/, "may hold letters, digits, '.', '_' and '-' only")),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
};

export const databaseUrlVar = (name: string) =>
  urlVar(`postgres://postgres@127.0.0.1:5432/${name}`, ["postgres:", "postgresql:"]);

/**
 * A refinement for two variables that only work together: one set without the other is a half-done
 * setup, and running without it would hide the mistake. The issue names the one that is missing.
 */
export function requireTogether<K extends string>(first: K, second: K) {
  return <T extends Partial<Record<K, unknown>>>(config: T, context: z.core.$RefinementCtx<T>): void => {
    for (const [set, missing] of [
      [first, second],
      [second, first],
    ] as const) {
      if (config[set] !== undefined && config[missing] === undefined) {
        context.addIssue({ code: "custom", path: [missing], message: `is required when ${set} is set` });
      }
    }
  };
}
