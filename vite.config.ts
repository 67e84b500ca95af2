/// <reference types="vitest/config" />
import { vitePlugin as remix } from "@remix-run/dev";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [
    !process.env.VITEST &&
      remix({
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_singleFetch: true,
          v3_lazyRouteDiscovery: true,
        },
      }),
  ],
  resolve: {
    alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
  },
  // The pre-bundler would follow *.server.ts imports into DuckDB's native module.
  optimizeDeps: { exclude: ["@duckdb/node-api", "@node-rs/argon2"] },
  ssr: { external: ["@duckdb/node-api", "@node-rs/argon2"] },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: { TZ: "UTC" },
    globalSetup: ["test/setup/build.ts", "test/setup/chromium.ts"],
    // A browser test polls the page (a preview's answer, a filter's redraw): 1 s, the default,
    // was too short on a loaded machine (stop 24's CI run at load 10). A ceiling, not a timing.
    expect: { poll: { timeout: 30_000 } },
  },
});
