/**
 * The mapped import of CSV files in DuckDB (analytics/ingest/mapping/duckdb.server.ts) gives what
 * applyMapping gives: the same stored rows, warnings and counts, on files with the quirks that
 * separate the two readers (whitespace JavaScript trims and DuckDB's `trim` does not, a quoted
 * line break, a BOM, Windows-1252's ’, a person whose later record says more). When anything is
 * wrong it leaves the import to applyMapping: the same problems in the user's words, and one
 * attempt in the imports log.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withMemoryDatabase, type Db } from "../../analytics/db/database.server.ts";
import { formatProblem } from "../../analytics/ingest/index.server.ts";
import { ingestMapped } from "../../analytics/ingest/mapping/ingest.server.ts";
import { uploadLimits } from "../../analytics/ops/upload.server.ts";
import { snapshot } from "../ingest/helpers.ts";
import { editedFlatCsv, headerIndex, octaveDemo, preset } from "./helpers.ts";

let native = "";
beforeAll(async () => {
  native = await octaveDemo();
});

/** The flat French CSV files, one of them edited record by record (header = index 0) and written in `encoding`. */
const edited = (file: string, edit: (records: string[][]) => void, encoding: "win1252" | "utf8-bom" = "win1252") => editedFlatCsv(native, file, edit, encoding);
const col = headerIndex;

/** The mentor of the first pair made the mentor of the second too (their columns copied): the city's column. */
function repeatedMentor(records: string[][]): number {
  for (const [i, h] of records[0].entries()) if (h.endsWith(" mentor")) records[2][i] = records[1][i];
  return col(records, "Ville mentor");
}

/** One import of `dir` through flat-fr, in DuckDB or through applyMapping, into a fresh database. */
function imported(dir: string, inDuckDb: boolean) {
  return withMemoryDatabase(async (db: Db) => {
    const result = await ingestMapped(db, [dir], { mapping: preset("flat-fr"), secret: null, limits: uploadLimits(), inDuckDb });
    const log = await db.all<{ status: string }>("select status from imports order by import_id");
    return {
      tookDuckDb: result.mapped === null,
      outcome: result.outcome,
      problems: result.problems.map(formatProblem),
      warnings: result.warnings,
      rowCounts: result.rowCounts,
      log: log.map((l) => l.status),
      data: await snapshot(db),
    };
  });
}

async function bothWays(dir: string) {
  const inDuckDb = await imported(dir, true);
  const inJs = await imported(dir, false);
  expect(inJs.tookDuckDb).toBe(false);
  return { inDuckDb, inJs };
}

describe("CSV files mapped in DuckDB are mapped as applyMapping maps them", () => {
  it("quirks: whitespace JavaScript trims, a quoted line break, a BOM, ’ in Windows-1252, a person completed by a later record", async () => {
    const quirky = [
      // A tab and no-break spaces around values, plain and mapped ones.
      edited("Binômes.csv", (r) => {
        const city = col(r, "Ville mentor");
        const status = col(r, "Statut");
        r[1][city] = `\u00a0${r[1][city]}\t`;
        r[2][status] = `\t${r[2][status]}\u00a0 `;
      }),
      // A comment on two lines, with ’ (0x92 in Windows-1252), and a header that is not pure ASCII.
      edited("Évaluations.csv", (r) => {
        r[1][col(r, "Commentaire")] = "Très bien ;\r\nà l’écoute";
      }),
      // UTF-8 with a BOM.
      edited("Rendez-vous.csv", () => undefined, "utf8-bom"),
      // A mentor's city left empty on their first pair and given on a later one.
      edited("Binômes.csv", (r) => {
        const city = repeatedMentor(r);
        expect(r[1][city]).not.toBe("");
        r[1][city] = "";
      }),
    ];
    for (const dir of quirky) {
      const { inDuckDb, inJs } = await bothWays(dir);
      expect(inJs.outcome).toBe("imported");
      expect(inDuckDb.tookDuckDb).toBe(true);
      expect(inDuckDb.outcome).toBe("imported");
      expect(inDuckDb.problems).toEqual([]);
      expect(inDuckDb.data).toEqual(inJs.data);
      expect(inDuckDb.warnings).toEqual(inJs.warnings);
      expect(inDuckDb.rowCounts).toEqual(inJs.rowCounts);
      expect(inDuckDb.log).toEqual(["succeeded"]);
    }
  });

  it("the stored comment keeps its line break and its ’; a trimmed value is stored trimmed", async () => {
    const dir = edited("Évaluations.csv", (r) => {
      r[1][col(r, "Commentaire")] = "  Très bien ;\r\nà l’écoute\u00a0";
    });
    const { inDuckDb } = await bothWays(dir);
    expect(inDuckDb.tookDuckDb).toBe(true);
    const comments = (inDuckDb.data.evaluations as { comment: string | null }[]).map((e) => e.comment);
    expect(comments).toContain("Très bien ;\r\nà l’écoute");
  });

  it("a person repeated with another value, a value the map does not cover, a meeting of no pair: applyMapping's problems, one attempt in the log, nothing stored", async () => {
    const wrong = [
      edited("Binômes.csv", (r) => {
        const city = repeatedMentor(r);
        r[2][city] = `${r[1][city]}-Nord`;
      }),
      edited("Rendez-vous.csv", (r) => {
        r[3][col(r, "Format")] = "Téléphone";
      }),
      edited("Rendez-vous.csv", (r) => {
        r[2][col(r, "N° binôme")] = "B99999";
      }),
    ];
    for (const dir of wrong) {
      const { inDuckDb, inJs } = await bothWays(dir);
      expect(inDuckDb.tookDuckDb).toBe(false);
      expect(inDuckDb.outcome).toBe("invalid");
      expect(inDuckDb.problems.length).toBeGreaterThan(0);
      expect(inDuckDb.problems).toEqual(inJs.problems);
      expect(inDuckDb.log).toEqual(inJs.log);
      expect(inDuckDb.data.pairs).toEqual([]);
    }
  });
});
