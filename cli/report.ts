// npm run -s report -- [--db PATH] --program ID [--format json|csv|md]
//   [--audience admin|hr|rse|sponsor] [--org ORG_ID] [--k N] [--as-of DATE]
//   [--horizon MONTHS] [--cost-per-departure AMOUNT] [--lang en|fr]
import { existsSync } from "node:fs";
import { EXIT, UsageError, defaultDbPath, parseCommandLine, parseKOption, runCli } from "./common.ts";
import { openAppDatabase } from "../analytics/db/open.server.ts";
import { formatCsv, formatJson, formatMarkdown } from "../analytics/report/format.ts";
import { AUDIENCES, DEFAULT_K, MIN_K, getProgramReport, validateReportOptions, type Audience } from "../analytics/report/report.server.ts";

const FORMATS = ["json", "csv", "md"] as const;

const HELP = `Usage: npm run -s report -- [--db PATH] --program ID [options]

Prints one program's report (every figure defined in docs/metrics.md) on stdout.

Options:
  --db PATH          database file (default: $BINOME_DB or data/binome.duckdb)
  --program ID       the program to report on (required)
  --format FORMAT    json (default), csv (section,group,metric,value,suppressed) or md
  --audience WHO     admin (default: nothing hidden), hr, rse or sponsor
  --org ORG_ID       the reader's organization (required with --audience sponsor; with hr or
                     rse, the others are grouped as "others" — without it, all of them are)
  --k N              hide breakdown groups and means of fewer than N people
                     (default ${DEFAULT_K}, at least ${MIN_K}; not used for admin)
  --as-of DATE       YYYY-MM-DD (default: the earlier of today and the program's end date)
  --horizon MONTHS   the impact figures' horizon, whole months after the start (default 12)
  --cost-per-departure AMOUNT
                     what one voluntary departure costs, in the program's currency: the
                     impact's money figures (departures avoided, benefit, ROI); without it,
                     the program's own (set on /admin/programs), else no money figure
                     (never a default)
  --lang LANG        en (default) or fr: the CSV's dialect; fr writes ';' between cells, a
                     decimal comma and a UTF-8 byte-order mark, for a French Excel (the
                     French interface's downloads do the same); JSON and md are unchanged
  -h, --help         this help

Exit codes: 0 done, 1 unknown program, 2 wrong usage, 3 the database is held by
another process (the server: ask it over HTTP, or stop it).
Use \`npm run -s\` so that npm's banner stays off stdout.
`;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(
    HELP,
    {
      db: { type: "string" },
      program: { type: "string" },
      format: { type: "string", default: "json" },
      audience: { type: "string", default: "admin" },
      org: { type: "string" },
      k: { type: "string" },
      "as-of": { type: "string" },
      horizon: { type: "string" },
      "cost-per-departure": { type: "string" },
      lang: { type: "string", default: "en" },
    },
    { args: argv },
  );
  if (!parsed) return EXIT.ok;
  const { values } = parsed;
  if (!values.program) throw new UsageError("--program is required");
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new UsageError(`invalid --format: ${JSON.stringify(values.format)} (json, csv or md)`);
  const audience = values.audience as Audience;
  if (!AUDIENCES.includes(audience)) {
    throw new UsageError(`invalid --audience: ${JSON.stringify(values.audience)} (${AUDIENCES.join(", ")})`);
  }
  if (audience === "sponsor" && !values.org) throw new UsageError("--org ORG_ID is required with --audience sponsor");
  if (audience === "admin" && values.org !== undefined) throw new UsageError("--org is not used with --audience admin (the operator sees every organization)");
  const lang = values.lang;
  if (lang !== "en" && lang !== "fr") throw new UsageError(`invalid --lang: ${JSON.stringify(lang)} (en or fr)`);
  const k = parseKOption(values.k, MIN_K);
  const horizon = values.horizon;
  if (horizon !== undefined && !/^\d+$/.test(horizon)) throw new UsageError(`invalid --horizon: ${JSON.stringify(horizon)} (whole months, e.g. 12)`);
  const cost = values["cost-per-departure"];
  if (cost !== undefined && !/^\d+(\.\d+)?$/.test(cost)) throw new UsageError(`invalid --cost-per-departure: ${JSON.stringify(cost)} (a positive amount, e.g. 25000)`);
  // Without --cost-per-departure, the program's own setting (/admin/programs) if any.
  const impact = { horizonMonths: horizon === undefined ? undefined : Number(horizon), costPerDeparture: cost === undefined ? undefined : Number(cost) };
  const options = { audience, orgId: values.org ?? null, k, asOf: values["as-of"] ?? null, impact };
  try {
    validateReportOptions(options);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }

  const dbPath = values.db ?? defaultDbPath();
  if (!existsSync(dbPath)) {
    // Opening would create an empty database: say what is wrong instead.
    process.stderr.write(`report: no database at ${dbPath} (import an export first: npm run ingest)\n`);
    return EXIT.invalidInput;
  }
  const db = await openAppDatabase(dbPath);
  try {
    const report = await getProgramReport(db, values.program, options);
    if (!report) {
      process.stderr.write(`report: no program ${JSON.stringify(values.program)} in ${db.path}\n`);
      return EXIT.invalidInput;
    }
    if (audience === "sponsor" && !report.breakdowns.by_organization.some((row) => row.group === values.org)) {
      process.stderr.write(`report: warning: organization ${JSON.stringify(values.org)} has no participant in this program\n`);
    }
    process.stdout.write(format === "json" ? formatJson(report) : format === "csv" ? formatCsv(report, lang) : formatMarkdown(report));
    return EXIT.ok;
  } finally {
    db.close();
  }
}

await runCli("report", () => main(process.argv.slice(2)));
