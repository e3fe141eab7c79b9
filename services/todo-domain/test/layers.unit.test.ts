import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Imports point down: gRPC handlers → use cases → command transaction → saga → repositories.
const SRC = fileURLToPath(new URL("../src/", import.meta.url));

interface SourceFile {
  /** Relative to src/, with forward slashes. */
  path: string;
  /** Package names as written; relative imports as paths relative to src/, ".ts" for ".js". */
  imports: string[];
}

function sourceFiles(dir: string): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    if (!entry.name.endsWith(".ts")) return [];
    const imports = [...readFileSync(path, "utf8").matchAll(/^(?:import|export)[^;]*? from "([^"]+)";/gms)].map(([, target]) =>
      target!.startsWith(".") ? toSrcPath(normalize(join(dirname(path), target!.replace(/\.js$/, ".ts")))) : target!,
    );
    return [{ path: toSrcPath(path), imports }];
  });
}

const toSrcPath = (path: string) => relative(SRC, path).split("\\").join("/");
const files = sourceFiles(SRC);
const importersOf = (matches: (target: string) => boolean) =>
  files.filter((file) => file.imports.some(matches)).map((file) => file.path);
const isUseCase = (path: string) => /\.use-cases?\.ts$/.test(path);

describe("todo-domain layers", () => {
  it("when the sources are read, then their imports are found", () => {
    expect(files.find((file) => file.path === "app.ts")?.imports).toContain("grpc/todo-service.handlers.ts");
  });

  it("when a file imports the generated contracts, then it is at the gRPC edge, the app wiring or a payload codec", () => {
    const allowed = (path: string) =>
      path.startsWith("grpc/") || ["app.ts", "outbox/outbox.repository.ts", "outcomes/outcome.codec.ts"].includes(path);
    expect(importersOf((target) => target.startsWith("@sms-todo/contracts")).filter((path) => !allowed(path))).toEqual([]);
  });

  it("when a file imports from grpc/, then it is the app wiring or grpc/ itself", () => {
    const importers = importersOf((target) => target.startsWith("grpc/"));
    expect(importers.filter((path) => path !== "app.ts" && !path.startsWith("grpc/"))).toEqual([]);
  });

  it("when a file imports a use case, then it is a gRPC handler or parser", () => {
    expect(importersOf(isUseCase).filter((path) => !path.startsWith("grpc/"))).toEqual([]);
  });

  it("when a file runs a command transaction, then it is a use case", () => {
    expect(importersOf((target) => target === "commands/command.transaction.ts").filter((path) => !isUseCase(path))).toEqual([]);
  });
});
