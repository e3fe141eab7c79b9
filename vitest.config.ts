import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript sources under test ("source" export condition).
// "module" is left out: Node itself resolves packages under these conditions, and "module" would send it
// to ESM builds that only bundlers can load (@opentelemetry/api's, required by prom-client).
const conditions = ["source", ...defaultServerConditions.filter((condition) => condition !== "module")];
export const resolve = { conditions };
export const ssr = { resolve: { conditions } };
// Every log line a test file makes is scanned for unmasked phone numbers, message texts and secrets.
export const logAudit = {
  globalSetup: ["tools/testkit/src/log-audit.global-setup.ts"],
  setupFiles: ["tools/testkit/src/log-audit.setup.ts"],
};
export const infrastructure = "tools/testkit/src/infrastructure.global-setup.ts";

export default defineConfig({
  resolve,
  ssr,
  test: {
    projects: [
      {
        resolve,
        ssr,
        test: { name: "unit", include: ["{services,packages,tools}/*/test/**/*.unit.test.ts"], ...logAudit },
      },
      {
        resolve,
        ssr,
        test: {
          name: "integration",
          include: ["{services,packages,tools}/*/test/**/*.int.test.ts"],
          globalSetup: [infrastructure, ...logAudit.globalSetup],
          setupFiles: logAudit.setupFiles,
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: "deploy-checks",
          include: ["tools/deploy-checks/test/**/*.check.test.ts"],
          testTimeout: 120_000,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: "e2e",
          include: ["tools/e2e/test/**/*.e2e.test.ts"],
          globalSetup: [infrastructure, ...logAudit.globalSetup],
          setupFiles: logAudit.setupFiles,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
