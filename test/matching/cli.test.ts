import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSimulationRequest } from "../../analytics/matching/jobs.server.ts";
import { SIMULATION_DEFAULTS } from "../../analytics/matching/simulation-options.ts";

const root = mkdtempSync(join(tmpdir(), "binome-simulate-cli-"));
const dbPath = join(root, "binome.duckdb");
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(script: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [resolve("node_modules/tsx/dist/cli.mjs"), resolve(script), ...args], {
    encoding: "utf8",
    cwd: root,
    env: { ...process.env, BINOME_DB: dbPath },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const simulate = (...args: string[]) => run("cli/simulate.ts", ...args);

/** The simulation form as the page sends it untouched: its default strategies checked, the fields empty. */
function defaultForm(): FormData {
  const form = new FormData();
  for (const s of SIMULATION_DEFAULTS.strategies) form.append("strategy", s);
  return form;
}

beforeAll(() => {
  const seeded = run("cli/seed.ts", "--out", join(root, "demo"), "--db", dbPath, "--programs", "octave-demo");
  if (seeded.code !== 0) throw new Error(seeded.stderr);
});

describe("npm run simulate", () => {
  it("prints its usage with --help", () => {
    const { code, stdout } = simulate("--help");
    expect(code).toBe(0);
    for (const option of ["--program", "--strategies", "--runs", "--seed", "--weights", "--format", "--workers", "--out-pairs"]) {
      expect(stdout).toContain(option);
    }
  });

  it("runs what the page runs when nothing is said: every strategy, the same runs, bootstrap and seed", () => {
    const { code, stdout, stderr } = simulate("--program", "octave-demo", "--format", "json", "--no-store");
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    const { strategies, runs, bootstrap, seed } = SIMULATION_DEFAULTS;
    expect(result.parameters).toMatchObject({ strategies: [...strategies], runs, bootstrap, seed });
    expect(parseSimulationRequest(defaultForm())).toMatchObject({ strategies: [...strategies], runs, bootstrap, seed });
    expect(simulate("--help").stdout).toContain(`--runs N               seeds of random and of stable (default ${runs}, as on the page)`);
  }, 60_000);

  it("exits 2 on wrong usage and 1 on an unknown program or a bad weights file", () => {
    for (const args of [["--strategies", "optimal"], ["--program", "octave-demo", "--strategies", "magic"]]) {
      const { code, stderr } = simulate(...args);
      expect(code, args.join(" ")).toBe(2);
      expect(stderr).toMatch(/^simulate: /);
    }
    expect(simulate("--program", "nope", "--strategies", "optimal", "--no-store")).toMatchObject({ code: 1, stderr: expect.stringContaining('unknown program: "nope"') });
    const weights = join(root, "bad-weights.json");
    writeFileSync(weights, JSON.stringify({ weights: { topic_fit: "high" } }));
    const bad = simulate("--program", "octave-demo", "--weights", weights);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("weights.topic_fit");
  });

  it("prints the results alone as JSON, stores the run, replays it identically and writes the proposed pairs", () => {
    const out = join(root, "pairs.csv");
    const { code, stdout, stderr } = simulate(
      "--program", "octave-demo", "--strategies", "recorded,random,optimal", "--runs", "3", "--seed", "5",
      "--workers", "1", "--format", "json", "--out-pairs", out,
    );
    expect(code, stderr).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.run_id).toBe(1);
    expect(json.parameters).toMatchObject({ runs: 3, seed: 5, strategies: ["recorded", "random", "optimal"] });
    expect(json.strategies.map((s: { strategy: string }) => s.strategy)).toEqual(["recorded", "random", "optimal"]);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toMatch(/^pair_id,program_id,mentor_id,mentee_id,matched_at/);
    expect(lines).toHaveLength(1 + 50);

    const replay = simulate("--replay", "1", "--workers", "2");
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain("identical results");
    expect(simulate("--replay", "9")).toMatchObject({ code: 1, stderr: expect.stringContaining("no stored run 9") });

    const table = simulate("--program", "octave-demo", "--strategies", "optimal,stable", "--runs", "2", "--no-store");
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/strategy +runs +coverage/);
    expect(table.stdout).toMatch(/^optimal /m);
    expect(table.stdout).not.toContain("stored as run");
  });
});
