import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = mkdtempSync(join(tmpdir(), "binome-seed-cli-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function seed(...args: string[]) {
  const result = spawnSync(process.execPath, [resolve("node_modules/tsx/dist/cli.mjs"), resolve("cli/seed.ts"), ...args], {
    encoding: "utf8",
    cwd: root,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run seed", () => {
  it("prints its usage with --help", () => {
    const { code, stdout } = seed("--help");
    expect(code).toBe(0);
    expect(stdout).toContain("--programs");
    expect(stdout).toContain("--scale");
  });

  it("exits 2 on wrong usage, naming the bad value", () => {
    for (const args of [["--scale", "many"], ["--programs", "nope"], ["--frobnicate"], ["--programs", "scale-demo"]]) {
      const { code, stderr } = seed(...args);
      expect(code, args.join(" ")).toBe(2);
      expect(stderr).toMatch(/^seed: /);
    }
  });

  it("writes the chosen programs under --out and prints one line per folder", () => {
    const out = join(root, "out");
    const { code, stdout } = seed("--out", out, "--programs", "octave-demo", "--scale", "500", "--seed", "3");
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toEqual([`octave-demo: ${join(out, "octave-demo")}`, `scale-demo: ${join(out, "scale-demo")}`]);
    expect(readdirSync(out).sort()).toEqual(["octave-demo", "scale-demo"]);
  });

  it("imports the folders with --db, and a second identical run is a no-op", () => {
    const db = join(root, "demo.duckdb");
    const args = ["--out", join(root, "db-demo"), "--programs", "octave-demo", "--db", db];
    const first = seed(...args);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("octave-demo: imported");
    const second = seed(...args);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("octave-demo: noop");
  });
});
