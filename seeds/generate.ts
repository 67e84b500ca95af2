/**
 * The demo data generator: deterministic export folders (same seed, same bytes) in the open
 * export format. Pure Node, no DuckDB; see README.md for the generating model.
 */
import { join, resolve } from "node:path";
import { generateProgram, type ProgramSummary } from "./generate-program.ts";
import { DEMO_PROGRAMS, EXTRA_PROGRAMS, PREVIOUS_EDITIONS, scaleDemo } from "./programs.ts";

export const DEFAULT_SEED = 20260101;
export const DEMO_PROGRAM_IDS = Object.keys(DEMO_PROGRAMS);

export interface GenerateOptions {
  outDir: string;
  /** Program ids among `octave-demo`, `large-demo`, `mismatch-demo` (and `scale-demo` with `scale`). Default: both demos, or only `scale-demo` when `scale` is given. */
  programs?: string[];
  /** Number of participants of `scale-demo`. */
  scale?: number;
  seed?: number;
}

export interface GenerateResult {
  folders: { programId: string; dir: string }[];
  /** Rows written per program and table. */
  summaries: ProgramSummary[];
}

export async function generateDemo(options: GenerateOptions): Promise<GenerateResult> {
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`invalid seed: ${seed}`);
  const asked = options.programs ?? (options.scale !== undefined ? ["scale-demo"] : DEMO_PROGRAM_IDS);
  // A previous edition comes first: the import checks that a program's previous edition exists.
  const previousOf = (id: string) => (asked.includes(PREVIOUS_EDITIONS[id]) ? PREVIOUS_EDITIONS[id] : undefined);
  const ids = [...asked.filter((id) => !previousOf(id)), ...asked.filter((id) => previousOf(id))];
  const summaries: ProgramSummary[] = [];
  for (const id of ids) {
    let spec = DEMO_PROGRAMS[id] ?? EXTRA_PROGRAMS[id];
    if (spec && previousOf(id)) spec = { ...spec, previousProgramId: previousOf(id) };
    if (id === "scale-demo") {
      if (options.scale === undefined) throw new Error("scale-demo needs a scale (number of participants)");
      spec = scaleDemo(options.scale);
    }
    if (!spec) throw new Error(`unknown program: ${id} (known: ${[...DEMO_PROGRAM_IDS, ...Object.keys(EXTRA_PROGRAMS), "scale-demo"].join(", ")})`);
    summaries.push(generateProgram(spec, seed, join(resolve(options.outDir), id)));
  }
  return { folders: summaries.map((s) => ({ programId: s.programId, dir: s.dir })), summaries };
}
