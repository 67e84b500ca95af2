import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The project runs on the Node its own package.json pins (the npm registry's `node` package,
 * installed under node_modules/.bin), not on whatever Node the machine has: `npm test`,
 * `npm start` and every `npm run` script put that folder first on PATH.
 */
const pkg = JSON.parse(readFileSync(resolve("package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  engines: { node: string };
  allowScripts?: Record<string, boolean | string>;
};
const pinned = pkg.dependencies.node;

describe("the supported Node", () => {
  it("pins an exact Node 24 (LTS) in the dependencies", () => {
    expect(pinned, "package.json must pin the `node` package to an exact 24.x version").toMatch(/^24\.\d+\.\d+$/);
  });

  it("allows the `node` package's install script, which fetches the binary (npm blocks unlisted ones)", () => {
    expect(pkg.allowScripts?.node, "package.json allowScripts must approve `node`").toBe(true);
  });

  it("runs the tests on the pinned Node", () => {
    expect(process.versions.node, `the tests ran on ${process.execPath}; run them with \`npm test\``).toBe(pinned);
  });

  it("resolves a bare `node` (what a spawned script or a shebang finds on PATH) to the pinned Node", () => {
    const result = spawnSync("node", ["--version"], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`v${pinned}`);
  });

  it("runs the native modules (DuckDB, argon2) on it", async () => {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const rows = (await connection.runAndReadAll("select 40 + 2 as answer")).getRowObjectsJson();
    connection.closeSync();
    instance.closeSync();
    expect(rows).toEqual([{ answer: 42 }]);
    const { hash, verify } = await import("@node-rs/argon2");
    const digest = await hash("a passphrase");
    expect(await verify(digest, "a passphrase")).toBe(true);
    expect(await verify(digest, "another one")).toBe(false);
  });
});
