/** Stores simulation runs in DuckDB (`simulation_runs`) and reads them back. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import type { SimulationResult } from "./simulation.ts";

export interface StoredRun {
  run_id: number;
  created_at: string;
  program_id: string;
  strategies: string[];
  seed: number;
  runs: number;
  parameters: Record<string, unknown>;
  code_version: string;
  results: SimulationResult;
  elapsed_ms: number | null;
}

let cachedVersion: string | null = null;

/** The git commit of the code (with `-dirty` for local changes), else the package version. */
export function codeVersion(): string {
  if (cachedVersion) return cachedVersion;
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  try {
    cachedVersion = execFileSync("git", ["describe", "--always", "--dirty", "--abbrev=12"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    try {
      cachedVersion = `v${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version}`;
    } catch {
      cachedVersion = "unknown";
    }
  }
  return cachedVersion!;
}

export async function saveRun(
  db: Db,
  result: SimulationResult,
  extra: { workers: number | null; elapsedMs: number },
): Promise<number> {
  const [row] = await db.all<{ run_id: number }>(loadSql("matching/run_insert"), {
    program_id: result.program.program_id,
    strategies: result.parameters.strategies.join(","),
    seed: result.parameters.seed,
    runs: result.parameters.runs,
    parameters: JSON.stringify({ ...result.parameters, workers: extra.workers }),
    code_version: codeVersion(),
    results: JSON.stringify(result),
    elapsed_ms: extra.elapsedMs,
  });
  return row.run_id;
}

export async function getRun(db: Db, runId: number): Promise<StoredRun | null> {
  const [row] = await db.all<Omit<StoredRun, "parameters" | "results"> & { parameters: string; results: string }>(loadSql("matching/run_get"), {
    run_id: runId,
  });
  if (!row) return null;
  return { ...row, parameters: JSON.parse(row.parameters), results: JSON.parse(row.results) };
}
