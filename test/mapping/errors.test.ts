/**
 * Every class of mapping error, with its message, and the import's own problems translated back
 * to the user's file, line (or sheet and row) and header. Nothing is written when any is found.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as XLSX from "@e965/xlsx";
import { beforeAll, describe, expect, it } from "vitest";
import { withMemoryDatabase } from "../../analytics/db/database.server.ts";
import { PRESETS } from "../../analytics/ingest/mapping/presets.ts";
import { parseMapping } from "../../analytics/ingest/mapping/schema.ts";
import { writeFlatLayout } from "../../seeds/flat-layout.ts";
import { snapshot } from "../ingest/helpers.ts";
import { editedFlatCsv, headerIndex, mapping, octaveDemo, preset, run, subDir, tempDir } from "./helpers.ts";

let native = "";
let csvBase = "";
beforeAll(async () => {
  native = await octaveDemo();
  csvBase = subDir(tempDir(), "flat-fr-csv");
  writeFlatLayout(native, csvBase, "flat-fr", "csv", "octave-demo");
});

/** A copy of the flat French CSV files with one file edited, record by record (header = index 0). */
const editedCsv = (file: string, edit: (records: string[][]) => void) => editedFlatCsv(native, file, edit);
const col = headerIndex;

async function expectNothingWritten(dir: string, m = preset("flat-fr")) {
  return withMemoryDatabase(async (db) => {
    const before = await snapshot(db);
    const result = await run(db, [dir], { mapping: m });
    expect(result.outcome).toBe("invalid");
    expect(await snapshot(db)).toEqual(before);
    return result;
  });
}

describe("the mapping file itself", () => {
  it("names each issue by its path in the mapping", () => {
    const bad = structuredClone(PRESETS["flat-fr"]) as any;
    bad.tables.pairs.columns.colour = "Couleur";
    delete bad.tables.pairs.columns.status;
    bad.tables.meetings.columns.mode = { from: "Format", const: "online" };
    bad.tables.costs.columns.date = { from: "Date", date: "DD-MMM-YY" };
    bad.tables.pair_topics.repeat = undefined;
    delete bad.tables.organizations;
    const parsed = parseMapping(bad);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : [...parsed.problems].sort()).toEqual([
      "tables.costs.columns.date.date: a date format such as DD/MM/YYYY, MM/DD/YYYY, YYYY-MM-DD or YYYYMMDD",
      "tables.meetings.columns.mode: give exactly one of from, const or pseudonym",
      "tables.pairs.columns.colour: not a column of pairs (pair_id, program_id, mentor_id, mentee_id, matched_at, ended_at, status, end_reason, match_score, reverse_since)",
      "tables.pairs.columns: no rule for the required column status",
      "tables.pair_topics.columns: {n} in a column name needs repeat",
      "tables: no part for the required table organizations",
    ].sort());
  });

  it("refuses an unknown version and unknown keys", () => {
    const parsed = parseMapping({ binome_mapping: 2, tables: {}, extra: 1 });
    expect(parsed.ok ? [] : parsed.problems.join("\n")).toMatch(/binome_mapping/);
    expect(parsed.ok ? [] : parsed.problems.join("\n")).toMatch(/extra/);
  });
});

describe("mapping errors, reported like data errors, before anything is written", () => {
  it("a source the files do not have", async () => {
    const m = structuredClone(PRESETS["flat-fr"]) as any;
    m.tables.costs.source = "Dépenses";
    const result = await expectNothingWritten(csvBase, mapping(m, "mine.json"));
    expect(result.lines).toEqual([
      'mine.json: tables.costs.source: no file or sheet named "Dépenses" (found: Binômes.csv, Coûts.csv, Effectifs.csv, Programme.csv, Rendez-vous.csv, Sans binôme.csv, Sujets.csv, Évaluations.csv)',
    ]);
  });

  it("a column the source's header does not have, named in the user's file and header line", async () => {
    const dir = editedCsv("Rendez-vous.csv", (r) => (r[0][col(r, "Format")] = "Modalité"));
    const result = await expectNothingWritten(dir);
    expect(result.lines).toEqual(["Rendez-vous.csv:1: Format: no such column in the header (the mapping's tables.meetings.columns.mode names it)"]);
  });

  it("a column that appears twice in the header", async () => {
    const dir = editedCsv("Rendez-vous.csv", (r) => (r[0][col(r, "Format")] = "Date"));
    const result = await expectNothingWritten(dir);
    expect(result.lines).toEqual([
      "Rendez-vous.csv:1: Date: column appears 2 times in the header: the mapping cannot tell which",
      "Rendez-vous.csv:1: Format: no such column in the header (the mapping's tables.meetings.columns.mode names it)",
    ]);
  });

  it("a value the map does not cover, on the user's line and header", async () => {
    let line = 0;
    const dir = editedCsv("Binômes.csv", (r) => {
      r[3][col(r, "Statut")] = "Suspendu";
      r[5][col(r, "Genre mentoré")] = "Fem.";
      line = 4;
    });
    const result = await expectNothingWritten(dir);
    expect(result.lines).toEqual([
      `Binômes.csv:${line}: Statut: not a value the mapping covers (En cours, Terminé, Arrêté) ("Suspendu")`,
      `Binômes.csv:6: Genre mentoré: not a value the mapping covers (Femme, Homme, Autre) ("Fem.")`,
    ]);
  });

  it("a date or a number not in the declared format", async () => {
    const dir = editedCsv("Coûts.csv", (r) => {
      r[2][col(r, "Date")] = "2025/10/01";
      r[3][col(r, "Montant")] = "1.234,50";
    });
    const result = await expectNothingWritten(dir);
    expect(result.lines).toEqual([
      'Coûts.csv:3: Date: not a date in the format DD/MM/YYYY ("2025/10/01")',
      'Coûts.csv:4: Montant: not a number with , as the decimal mark and " " between thousands ("1.234,50")',
    ]);
  });

  it("a year to take from something that is not a date", async () => {
    const dir = editedCsv("Sans binôme.csv", (r) => (r[1][col(r, "Date de naissance")] = "vers 1980"));
    const result = await expectNothingWritten(dir);
    expect(result.lines).toEqual(['Sans binôme.csv:2: Date de naissance: not a date in the format DD/MM/YYYY ("vers 1980")']);
  });

  it("a person repeated with another value (a mentor of two mentees, on two rows)", async () => {
    let mentor = "";
    const dir = editedCsv("Binômes.csv", (r) => {
      // Row 3's mentor becomes row 2's, every column the same but the city.
      for (const [i, h] of r[0].entries()) if (h.endsWith(" mentor")) r[2][i] = r[1][i];
      mentor = r[1][col(r, "Matricule mentor")];
      r[2][col(r, "Ville mentor")] = "Quimper";
      r[1][col(r, "Ville mentor")] = "Brest";
    });
    const result = await expectNothingWritten(dir);
    expect(result.lines).toEqual([`Binômes.csv:3: Ville mentor: participant ${mentor} appears again with another value, first on line 2 ("Brest") ("Quimper")`]);
  });

  it("CSV records of the wrong length and unreadable files", async () => {
    const dir = editedCsv("Rendez-vous.csv", (r) => r[2].push("extra"));
    const result = await expectNothingWritten(dir);
    expect(result.lines).toEqual(["Rendez-vous.csv:3: too many fields (the header has 5, this record 6)"]);
  });
});

describe("the import's own problems, about the user's file", () => {
  it("names the CSV file, the line and the header the column came from (a constant by the mapping)", async () => {
    const dir = editedCsv("Binômes.csv", (r) => {
      r[2][col(r, "Date de naissance mentor")] = "01/07/1920";
      r[4][col(r, "Score d'appariement")] = "1,5";
      r[6][col(r, "N° binôme")] = r[1][col(r, "N° binôme")];
    });
    const result = await expectNothingWritten(dir);
    const pairOf = result.lines.filter((l) => l.startsWith("Binômes.csv"));
    expect(pairOf).toContain('Binômes.csv:3: Date de naissance mentor: out of range 1930–2010 ("1920")');
    expect(pairOf).toContain('Binômes.csv:5: Score d\'appariement: out of range 0–1 ("1.5")');
    expect(pairOf.some((l) => l.startsWith("Binômes.csv:7: N° binôme: duplicate, first on line 2"))).toBe(true);
    expect(result.lines.join("\n")).not.toMatch(/pairs\.csv|participants\.csv|birth_year|match_score/);
  });

  it("names the workbook, the sheet, the Excel row, the column letter and header", async () => {
    const dir = subDir(tempDir(), "xlsx");
    const [path] = writeFlatLayout(native, dir, "flat-fr", "xlsx", "octave");
    const wb = XLSX.read(readFileSync(path), { type: "buffer", cellNF: true });
    const ws = wb.Sheets["Rendez-vous"];
    ws["E4"] = { t: "n", v: 0 };
    ws["B6"] = { t: "s", v: "B999" };
    writeFileSync(path, XLSX.write(wb, { type: "buffer", bookType: "xlsx" }));
    const result = await expectNothingWritten(dir);
    expect(result.lines).toEqual([
      'octave.xlsx [Rendez-vous]:row 4: E (Durée (min)): out of range 1–1440 ("0")',
      'octave.xlsx [Rendez-vous]:row 6: B (N° binôme): no pair with this \"N° binôme\" in Binômes ("B999")',
    ]);
  });
});
