// npm run -s privacy-audit -- [--db PATH] --program ID [--audience hr|rse|sponsor] [--org ORG]
//   [--k N] [--format text|json]
import { existsSync } from "node:fs";
import { EXIT, UsageError, defaultDbPath, parseCommandLine, parseKOption, runCli } from "./common.ts";
import { openAppDatabase } from "../analytics/db/open.server.ts";
import { DEFAULT_K, MIN_K } from "../analytics/metrics/suppression.ts";
import { AUDIENCES, type AuditAudience } from "../analytics/audit/audit.server.ts";
import { UnknownProgramError, runPrivacyAudit } from "../analytics/audit/run.server.ts";

const HELP = `Usage: npm run -s privacy-audit -- [--db PATH] --program ID [options]

The intruder audit (docs/privacy.md): takes the view of each protected audience of each
organization of the program, enumerates every view and filter combination it can reach,
collects every figure it would be shown, and computes by linear programming the range of
values every hidden figure can still take. A hidden count must keep at least 3 possible
values, a hidden mean a range of at least 1 point. Prints every cell narrower than that with
the views that pin it. The run is recorded and shown on /admin/programs.

Options:
  --db PATH          database file (default: $BINOME_DB or data/binome.duckdb)
  --program ID       the program to audit (required)
  --audience WHO     hr, rse or sponsor (default: all three)
  --org ORG_ID       take the view of this organization only (default: every organization
                     with participants in the program)
  --k N              the threshold to audit (default ${DEFAULT_K}, at least ${MIN_K})
  --format FORMAT    text (default) or json
  -h, --help         this help

Exit codes: 0 nothing found, 1 a hidden cell can be narrowed (or unknown program), 2 wrong
usage, 3 the database is held by another process (the server: run the audit from
/admin/programs instead, or stop it).
`;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(
    HELP,
    {
      db: { type: "string" },
      program: { type: "string" },
      audience: { type: "string" },
      org: { type: "string" },
      k: { type: "string" },
      format: { type: "string", default: "text" },
    },
    { args: argv },
  );
  if (!parsed) return EXIT.ok;
  const { values } = parsed;
  if (!values.program) throw new UsageError("--program is required");
  if (values.audience !== undefined && !(AUDIENCES as readonly string[]).includes(values.audience)) {
    throw new UsageError(`invalid --audience: ${JSON.stringify(values.audience)} (${AUDIENCES.join(", ")})`);
  }
  if (values.format !== "text" && values.format !== "json") throw new UsageError(`invalid --format: ${JSON.stringify(values.format)} (text or json)`);
  const k = parseKOption(values.k, MIN_K) ?? DEFAULT_K;
  const dbPath = values.db ?? defaultDbPath();
  if (!existsSync(dbPath)) {
    process.stderr.write(`privacy-audit: no database at ${dbPath} (import an export first: npm run ingest)\n`);
    return EXIT.invalidInput;
  }
  const db = await openAppDatabase(dbPath);
  try {
    const run = await runPrivacyAudit(db, values.program, {
      audiences: values.audience ? [values.audience as AuditAudience] : undefined,
      orgs: values.org ? [values.org] : undefined,
      k,
      onProgress: (m) => process.stderr.write(`privacy-audit: ${m}\n`),
    });
    if (values.format === "json") {
      process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
    } else {
      const out: string[] = [];
      for (const r of run.results) {
        if (r.refused) {
          out.push(`${r.audience} of ${r.orgId}: the program has fewer than ${r.k} participants — every view is refused to this reader, nothing to audit`);
          continue;
        }
        if (r.sharedWith) {
          out.push(`${r.audience} of ${r.orgId}: the same views as ${r.sharedWith} of ${r.orgId} — ${r.findings.length === 0 ? "all stay hidden" : `${r.findings.length} too narrow`}`);
          continue;
        }
        out.push(`${r.audience} of ${r.orgId}: ${r.views} views, ${r.facts} published figures, ${r.hiddenCells} sensitive hidden cells (of ${r.hiddenFigures} hidden) — ${r.findings.length === 0 ? "all stay hidden" : `${r.findings.length} too narrow`} (${Math.round(r.cpuMs)} ms CPU)`);
        for (const f of r.findings) {
          const range = f.kind === "count" ? `${f.values} possible value${f.values === 1 ? "" : "s"} (${fmt(f.min)}–${fmt(f.max)})` : `a range of ${fmt(f.max - f.min)} point (${fmt(f.min)}–${fmt(f.max)})`;
          out.push(`  ${f.view} · ${f.figure}: ${range}, pinned by ${f.pinnedViews.join("; ")}`);
        }
      }
      out.push(`Views covered: ${run.viewsCovered.join("; ")}.`);
      out.push(`Not modelled: ${run.notModelled.join("; ")}.`);
      out.push(run.ok ? `No hidden figure of ${values.program} can be narrowed below the policy's ranges (k = ${k}).` : `${run.findings.length} hidden figure(s) of ${values.program} can be narrowed: see above.`);
      process.stdout.write(`${out.join("\n")}\n`);
    }
    return run.ok ? EXIT.ok : EXIT.invalidInput;
  } catch (error) {
    if (error instanceof UnknownProgramError) {
      process.stderr.write(`privacy-audit: ${error.message} in ${db.path}\n`);
      return EXIT.invalidInput;
    }
    throw error;
  } finally {
    db.close();
  }
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 100) / 100) : "∞";
}

await runCli("privacy-audit", () => main(process.argv.slice(2)));
