/**
 * `npm run seed -- [--out DIR] [--db PATH] [--programs octave-demo,large-demo] [--scale N] [--seed S] [--layout flat-fr [--format csv]]`
 * Writes the demo export folders; with --db, imports them through the normal ingestion.
 */
import { mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { EXIT, UsageError, parseCommandLine, runCli } from "./common.ts";
import { DEFAULT_SEED, DEMO_PROGRAM_IDS, generateDemo } from "../seeds/generate.ts";
import { EXTRA_PROGRAMS } from "../seeds/programs.ts";
import { LAYOUTS, writeFlatLayout, type LayoutFormat } from "../seeds/flat-layout.ts";

const HELP = `Usage: npm run -s seed -- [options]

Writes deterministic demo exports (same seed, same bytes), one folder per program, in the
open export format (docs/export-format.md). The generating model is in seeds/README.md.

Options:
  --out DIR          where to write the folders (default: data/demo)
  --programs LIST    comma-separated: ${DEMO_PROGRAM_IDS.join(", ")}, mismatch-demo, octave-2024, scale-demo
                     (mismatch-demo: the job-level gap matters more than the default weights say;
                     octave-2024: octave-demo's previous edition, which octave-demo then names)
                     (default: ${DEMO_PROGRAM_IDS.join(",")}; only scale-demo when --scale is given)
  --scale N          scale-demo with N participants (benchmarks; 200000 → about a million meetings)
  --seed S           random seed, a non-negative integer (default: ${DEFAULT_SEED})
  --layout LAYOUT    native (default), or flat-fr / flat-en: each program also written in that
                     "one row per pair" layout (issue #17), next to its folder as
                     <program>.<layout>/<program>.xlsx, imported through the preset of that name
  --format FORMAT    with --layout: xlsx (default, one workbook) or csv (one file per sheet)
  --db PATH          then import the folders into this DuckDB file (e.g. data/binome.duckdb)
  -h, --help         show this help

Exit codes: 0 done, 1 the import found the data invalid or refused it, 2 wrong usage,
3 the database is held by another process.
`;

function parseCount(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name} must be an integer ≥ ${min} (got ${JSON.stringify(value)})`);
  }
  return Number(value);
}

async function main(): Promise<number> {
  const parsed = parseCommandLine(HELP, {
    out: { type: "string" },
    db: { type: "string" },
    programs: { type: "string" },
    scale: { type: "string" },
    seed: { type: "string" },
    layout: { type: "string", default: "native" },
    format: { type: "string" },
  });
  if (!parsed) return EXIT.ok;
  const { values } = parsed;
  const scale = parseCount("scale", values.scale, 2);
  const seed = parseCount("seed", values.seed, 0);
  const known = [...DEMO_PROGRAM_IDS, ...Object.keys(EXTRA_PROGRAMS), "scale-demo"];
  const programs = values.programs?.split(",").map((p) => p.trim()).filter(Boolean);
  if (programs !== undefined) {
    if (programs.length === 0) throw new UsageError("--programs is empty");
    for (const id of programs) {
      if (!known.includes(id)) throw new UsageError(`unknown program ${JSON.stringify(id)} (known: ${known.join(", ")})`);
    }
    if (programs.includes("scale-demo") && scale === undefined) throw new UsageError("scale-demo needs --scale N");
  }
  if (scale !== undefined && programs !== undefined && !programs.includes("scale-demo")) {
    programs.push("scale-demo");
  }

  const layout = values.layout;
  if (layout !== "native" && !LAYOUTS[layout]) throw new UsageError(`unknown --layout ${JSON.stringify(layout)} (native, ${Object.keys(LAYOUTS).join(", ")})`);
  if (values.format !== undefined && layout === "native") throw new UsageError("--format goes with --layout flat-fr or flat-en");
  const format = (values.format ?? "xlsx") as LayoutFormat;
  if (format !== "xlsx" && format !== "csv") throw new UsageError(`invalid --format ${JSON.stringify(values.format)} (xlsx or csv)`);

  const outDir = resolve(values.out ?? "data/demo");
  const generated = await generateDemo({ outDir, programs, scale, seed });
  let folders = generated.folders;
  if (layout !== "native") {
    folders = folders.map((folder) => {
      const dir = `${folder.dir}.${layout}`;
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeFlatLayout(folder.dir, dir, layout, format, folder.programId);
      return { programId: folder.programId, dir };
    });
  }
  for (const folder of folders) process.stdout.write(`${folder.programId}: ${folder.dir}\n`);
  if (values.db === undefined) return EXIT.ok;

  // Imported lazily: writing the folders needs neither DuckDB nor the ingestion code.
  const { openAppDatabase } = await import("../analytics/db/open.server.ts");
  const { formatProblem } = await import("../analytics/ingest/index.server.ts");
  const { importExport } = await import("../analytics/ops/import.server.ts");
  const { loadMapping } = await import("../analytics/ingest/mapping/load.ts");
  const loaded = layout === "native" ? null : loadMapping(layout);
  if (loaded && !loaded.ok) throw new Error(loaded.problems.join("; "));
  const mapping = loaded && loaded.ok ? { mapping: loaded.mapping, name: loaded.name } : null;
  const db = await openAppDatabase(resolve(values.db));
  try {
    let code: number = EXIT.ok;
    for (const folder of folders) {
      // The import every import takes (cli/ingest.ts, the web job): the erasure ledger applies.
      const { result, erasedAgain } = await importExport(db, [folder.dir], { mapping });
      if (erasedAgain > 0) process.stderr.write(`seed: ${folder.programId}: ${erasedAgain} participant(s) of the erasure ledger erased again\n`);
      for (const warning of result.warnings) process.stderr.write(`seed: ${folder.programId}: ${warning}\n`);
      for (const problem of result.problems) process.stderr.write(`${formatProblem(problem)}\n`);
      process.stdout.write(`${folder.programId}: ${result.outcome}\n`);
      if (result.outcome === "invalid" || result.outcome === "refused") code = EXIT.invalidInput;
    }
    return code;
  } finally {
    db.close();
  }
}

await runCli("seed", main);
