import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The access tests on their own: `TZ=UTC npx vitest run --config test/auth/vitest.config.ts`.
// Same settings as vite.config.ts's test block, with a build step that works under vitest.
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  resolve: { alias: { "~": fileURLToPath(new URL("../../app", import.meta.url)) } },
  test: {
    include: ["test/auth/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: { TZ: "UTC" },
    globalSetup: ["test/auth/global-build.ts"],
  },
});
