import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { withMemoryDatabase } from "../../analytics/db/database.server.ts";
import { FIXTURES, exportCopy, ingest, snapshot, tempDir } from "./helpers.ts";

/** The basic fixture's files as rows of strings (a tiny CSV reader for our own fixture). */
function basicRows(name: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(join(FIXTURES, "basic", `${name}.csv`), "utf8").trim().split("\n");
  const columns = header.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [columns[i], v])));
}
const TABLES = ["programs", "organizations", "participants", "topics", "pairs", "meetings", "pair_topics", "evaluations", "costs"];

async function importedSnapshot(paths: string[]) {
  return withMemoryDatabase(async (db) => {
    const result = await ingest(db, paths);
    expect(result.lines).toEqual([]);
    expect(result.outcome).toBe("imported");
    return { snapshot: await snapshot(db), warnings: result.warnings };
  });
}

describe("input quirks of real exports", () => {
  it("reads the comma-delimited UTF-8 fixture", async () => {
    const { snapshot } = await importedSnapshot([join(FIXTURES, "basic")]);
    expect(snapshot.participants).toHaveLength(4);
    expect(snapshot.participants[0]).toMatchObject({ participant_id: "P1", languages: ["fr", "en"], topics: ["T1", "T2"], trained_at: "2025-01-10" });
    expect(snapshot.evaluations[0]).toMatchObject({ would_continue: true });
  });

  it("reads a French export: `;`, CRLF, day-first dates with a time part, decimal comma, thousands by space, oui/non, H, trimmed case-insensitive values, quoted `;` and line breaks", async () => {
    const { snapshot, warnings } = await importedSnapshot([join(FIXTURES, "french")]);
    expect(snapshot.programs).toEqual([
      { program_id: "octave", name: "Programme Octave – édition 2025", kind: "inter", start_date: "2025-02-01", end_date: "2025-09-30", currency: "EUR", previous_program_id: null },
    ]);
    expect(snapshot.participants).toEqual([
      expect.objectContaining({ participant_id: "P01", role: "mentor", birth_year: 1962, gender: "F", trained_at: "2025-01-28", city: "Orléans" }),
      expect.objectContaining({ participant_id: "P02", role: "mentee", gender: "M", trained_at: null }),
    ]);
    expect(snapshot.topics.map((t: any) => t.name)).toEqual(["Qui sont les personnes clés ; et où ?", "Réseaux sociaux\r\n(et outils numériques)"]);
    expect(snapshot.topics.map((t: any) => t.category)).toEqual(["onboarding", "digital"]);
    expect(snapshot.pairs[0]).toMatchObject({ match_score: 0.82, matched_at: "2025-02-03", reverse_since: "2025-06-01" });
    expect(snapshot.meetings.map((m: any) => [m.date, m.mode])).toEqual([["2025-02-12", "offline"], ["2025-03-12", "online"]]);
    expect(snapshot.evaluations.map((e: any) => e.would_continue)).toEqual([true, false]); // mentee: Oui, mentor: non
    expect(snapshot.costs.map((c: any) => c.amount)).toEqual([12500, 1234.5, 980]);
    expect(warnings).toContain('participants.csv: column "E-mail" looks like names or e-mail addresses: never stored');
    expect(warnings).toContain('participants.csv: column "Prénom" looks like names or e-mail addresses: never stored');
  });

  it("reads Windows-1252 files with € œ ’ and accents exactly as their UTF-8 version", async () => {
    const changes: Record<string, Buffer> = {};
    for (const name of readdirSync(join(FIXTURES, "french"))) {
      changes[name] = iconv.encode(readFileSync(join(FIXTURES, "french", name), "utf8"), "win1252");
    }
    const evaluations = changes["evaluations.csv"];
    expect(evaluations.includes(0x80)).toBe(true); // €
    expect(evaluations.includes(0x92)).toBe(true); // ’
    expect(changes["organizations.csv"].includes(0x8c)).toBe(true); // Œ
    const win = await importedSnapshot([exportCopy("french", changes)]);
    const utf8 = await importedSnapshot([join(FIXTURES, "french")]);
    expect(win.snapshot).toEqual(utf8.snapshot);
    expect(win.snapshot.organizations).toContainEqual({ org_id: "ORG-A", name: "Société Générale d’Œuvres", sector: "Banque" });
    expect(JSON.stringify(win.snapshot.evaluations)).toContain("le café était à 2,50 €");
    expect(JSON.stringify(win.snapshot.evaluations)).toContain("Il m’a dit : « on verra »");
  });

  it("reads tab-delimited files and files with a UTF-8 BOM", async () => {
    const basic = await importedSnapshot([join(FIXTURES, "basic")]);
    const tabbed: Record<string, string> = {};
    for (const name of readdirSync(join(FIXTURES, "basic"))) {
      const text = readFileSync(join(FIXTURES, "basic", name), "utf8").replaceAll(",", "\t");
      tabbed[name] = name.startsWith("p") ? "\uFEFF" + text : text;
    }
    const other = await importedSnapshot([exportCopy("basic", tabbed)]);
    expect(other.snapshot).toEqual(basic.snapshot);
  });

  it("reads thousands separated by a space, U+00A0 or U+202F and a comma as decimal mark", async () => {
    const costs = "program_id;org_id;date;category;amount;currency\n" +
      'alpha;ORG1;2025-01-01;subscription;1 234,50;EUR\n' +
      "alpha;ORG1;2025-01-02;training;1\u00a0234,50;EUR\n" +
      "alpha;ORG1;2025-01-03;events;12\u202f345\u202f678,5;EUR\n" +
      "alpha;ORG1;2025-01-04;other;1,5;EUR\n";
    // Too large for the stored decimal(18, 2): a problem, not a crash.
    const tooLarge = await withMemoryDatabase((db) =>
      ingest(db, [exportCopy("basic", { "costs.csv": "program_id;date;category;amount;currency\nalpha;2025-01-01;other;123456789012345678901;EUR\n" })]),
    );
    expect(tooLarge.lines).toEqual(['costs.csv:2: amount: not a number (decimal mark . or , and thousands separated by spaces only) ("123456789012345678901")']);
    const { snapshot } = await importedSnapshot([exportCopy("basic", { "costs.csv": costs })]);
    expect(snapshot.costs.map((c: any) => c.amount).sort((a: number, b: number) => a - b)).toEqual([1.5, 1234.5, 1234.5, 12345678.5]);
  });

  it("reads Parquet, JSON (array of objects) and NDJSON files into the same rows", async () => {
    const basic = await importedSnapshot([join(FIXTURES, "basic")]);
    const dir = tempDir();
    // Parquet written by DuckDB with its own types (dates, numbers, a list column).
    await withMemoryDatabase(async (db) => {
      for (const table of ["programs", "organizations", "participants", "topics", "pairs"]) {
        const select = table === "participants" ? "* replace (string_split(languages, '|') as languages)" : "*";
        await db.run(`copy (select ${select} from read_csv($src)) to '${join(dir, `${table}.parquet`)}' (format parquet)`, { src: join(FIXTURES, "basic", `${table}.csv`) });
      }
    });
    // JSON with typed values: numbers, booleans, null.
    const typed = (row: Record<string, string>) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === "" ? null : /^\d+$/.test(v) ? Number(v) : v === "yes" ? true : v]));
    writeFileSync(join(dir, "meetings.json"), JSON.stringify(basicRows("meetings").map(typed), null, 2));
    writeFileSync(join(dir, "pairs_extra_ignored.txt"), "");
    writeFileSync(join(dir, "pair_topics.ndjson"), basicRows("pair_topics").map((r) => JSON.stringify(r)).join("\n"));
    writeFileSync(join(dir, "costs.json"), "\uFEFF" + JSON.stringify(basicRows("costs"))); // with a BOM
    writeFileSync(join(dir, "evaluations.json"), "[]"); // no rows, no keys: zero evaluations
    const mixed = await importedSnapshot([dir]);
    expect(mixed.snapshot).toEqual({ ...basic.snapshot, evaluations: [] });
    rmSync(join(dir, "evaluations.json"));
    writeFileSync(join(dir, "evaluations.ndjson"), basicRows("evaluations").map((r) => JSON.stringify(typed(r))).join("\n") + "\n");
    const withNdjson = await importedSnapshot([dir]);
    expect(withNdjson.snapshot).toEqual(basic.snapshot);
    expect(TABLES.every((t) => basic.snapshot[t].length > 0)).toBe(true);
  });

  it("accepts individual files as well as folders, and warns about unknown columns and files", async () => {
    const dir = exportCopy("basic", {
      "topics.csv": "topic_id,program_id,name,category,colour\nT1,alpha,Key people,onboarding,red\nT2,alpha,Social networks,digital,blue\n",
      "notes.txt": "hello",
    });
    const files = readdirSync(dir).filter((f) => f.endsWith(".csv")).map((f) => join(dir, f));
    await withMemoryDatabase(async (db) => {
      const result = await ingest(db, files);
      expect(result.outcome).toBe("imported");
      expect(result.warnings).toEqual(['topics.csv: unknown column "colour" ignored']);
      const folder = await ingest(db, [dir], { dryRun: true });
      expect(folder.warnings).toContain("notes.txt: not an export file name, ignored");
    });
  });
});
