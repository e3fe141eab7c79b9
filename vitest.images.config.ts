import { defineConfig } from "vitest/config";
import { infrastructure, logAudit, resolve, ssr } from "./vitest.config.js";

// The services run from their images (tools/e2e/test/*.image.test.ts): `npm run test:images` runs this after building
// them (tools/images/test-images.sh). Not a project of vitest.config.ts, so `npm test` neither needs nor runs it.
export default defineConfig({
  resolve,
  ssr,
  test: {
    name: "images",
    include: ["tools/e2e/test/**/*.image.test.ts"],
    globalSetup: [infrastructure, ...logAudit.globalSetup],
    setupFiles: logAudit.setupFiles,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
