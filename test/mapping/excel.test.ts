/**
 * Excel workbooks: each sheet a file of the export; numbers, dates (1900 and 1904 systems), text
 * and booleans as Excel stores them; formulas give their cached values; the upload limits apply
 * to the workbook (a zip).
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as XLSX from "@e965/xlsx";
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { withMemoryDatabase } from "../../analytics/db/database.server.ts";
import { columnLetter, excelDate, readSourceFile } from "../../analytics/ingest/mapping/sources.server.ts";
import { UPLOAD_LIMITS } from "../../analytics/ops/upload.server.ts";
import { FIXTURES, snapshot } from "../ingest/helpers.ts";
import { mapping, run, subDir, tempDir } from "./helpers.ts";

function csvRows(path: string): string[][] {
  return readFileSync(path, "utf8").trim().split("\n").map((l) => l.split(","));
}

/** The `basic` fixture export as one workbook, one sheet per table (values as text). */
function basicWorkbook(dir: string, edit?: (wb: XLSX.WorkBook) => void, date1904 = false): string {
  const wb = XLSX.utils.book_new();
  for (const table of ["programs", "organizations", "participants", "topics", "pairs", "meetings"]) {
    let path = join(FIXTURES, "basic", `${table}.csv`);
    try {
      readFileSync(path);
    } catch {
      continue;
    }
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(csvRows(path)), table);
    path = "";
  }
  if (date1904) wb.Workbook = { WBProps: { date1904: true } };
  edit?.(wb);
  const out = join(dir, "export.xlsx");
  writeFileSync(out, XLSX.write(wb, { type: "buffer", bookType: "xlsx", compression: true }));
  return out;
}

describe("Excel workbooks", () => {
  it("a workbook with one sheet per table is the export itself (no mapping needed)", async () => {
    const dir = tempDir();
    const workbook = basicWorkbook(dir);
    const csv = subDir(dir, "csv");
    cpSync(join(FIXTURES, "basic"), csv, { recursive: true });
    const expected = await withMemoryDatabase(async (db) => {
      await run(db, [csv]);
      return snapshot(db);
    });
    await withMemoryDatabase(async (db) => {
      const result = await run(db, [workbook]);
      expect(result.lines).toEqual([]);
      expect(result.outcome).toBe("imported");
      const got = await snapshot(db);
      for (const table of ["programs", "organizations", "participants", "topics", "pairs", "meetings"]) expect(got[table], table).toEqual(expected[table]);
      // The imports log names the user's workbook, not the files written for the import.
      const [log] = await db.all<{ files: string; paths: string }>("select files::varchar as files, paths::varchar as paths from imports");
      expect(log.files).toContain("export.xlsx");
      expect(log.paths).toContain("export.xlsx");
    });
  });

  it("reads dates (1900 and 1904 systems), numbers, booleans and formulas' cached values as Excel stores them", () => {
    expect(excelDate(45717, false)).toBe("2025-03-01");
    expect(excelDate(44255, true)).toBe("2025-03-01");
    expect(excelDate(45717.75, false)).toBe("2025-03-01");
    expect(columnLetter(0)).toBe("A");
    expect(columnLetter(25)).toBe("Z");
    expect(columnLetter(27)).toBe("AB");
    for (const date1904 of [false, true]) {
      const dir = tempDir();
      const wb = XLSX.utils.book_new();
      const ws = XLSX.utils.aoa_to_sheet([
        ["Date", "Score", "Double", "OK", "Texte"],
        [new Date(Date.UTC(2025, 2, 1)), 0.82, null, true, "  Lyon "],
      ], { cellDates: true });
      ws["C2"] = { t: "n", f: "B2*2", v: 1.64 };
      XLSX.utils.book_append_sheet(wb, ws, "Feuille");
      if (date1904) wb.Workbook = { WBProps: { date1904: true } };
      const path = join(dir, "w.xlsx");
      writeFileSync(path, XLSX.write(wb, { type: "buffer", bookType: "xlsx" }));
      const raw = readFileSync(path);
      // The writer stores the date in the workbook's own system.
      const stored = (XLSX.read(raw, { type: "buffer", dense: true }).Sheets.Feuille["!data"] as XLSX.CellObject[][])[1][0];
      expect(stored.v).toBe(date1904 ? 44255 : 45717);
      const { sources, problems } = readSourceFile(path, UPLOAD_LIMITS);
      expect(problems).toEqual([]);
      expect(sources[0].display).toBe("w.xlsx [Feuille]");
      const rows: unknown[] = [];
      sources[0].each((cells, at) => void rows.push([at, cells]));
      expect(rows).toEqual([[2, [{ date: "2025-03-01" }, 0.82, 1.64, true, "  Lyon "]]]);
      expect(sources[0].label(1)).toBe("B (Score)");
    }
  });

  it("a date typed as text or as a plain serial in a sheet is read through the mapping's date rule", async () => {
    const dir = tempDir();
    const workbook = basicWorkbook(dir, (wb) => {
      const ws = wb.Sheets.programs;
      ws["D2"] = { t: "n", v: 45658 }; // 2025-01-01, General format
    });
    const m = {
      binome_mapping: 1,
      tables: Object.fromEntries(
        ["programs", "organizations", "participants", "topics", "pairs", "meetings"].map((t) => {
          const header = csvRows(join(FIXTURES, "basic", `${t}.csv`))[0];
          return [t, { source: t, columns: Object.fromEntries(header.map((h) => [h, t === "programs" && h === "start_date" ? { from: h, date: "YYYY-MM-DD" } : h])) }];
        }),
      ),
    };
    await withMemoryDatabase(async (db) => {
      const result = await run(db, [workbook], { mapping: mapping(m) });
      expect(result.lines).toEqual([]);
      const [p] = await db.all<{ start_date: string }>("select start_date::varchar as start_date from programs order by program_id limit 1");
      expect(p.start_date).toBe("2025-01-01");
    });
  });

  it("the upload limits apply to the workbook: its size, its uncompressed size, its compression ratio", () => {
    const dir = tempDir();
    const bomb = join(dir, "bomb.xlsx");
    writeFileSync(bomb, zipSync({ "xl/worksheets/sheet1.xml": new Uint8Array(5_000_000) }, { level: 9 }));
    expect(readSourceFile(bomb, UPLOAD_LIMITS).problems.map((p) => p.message)[0]).toMatch(/^the entry xl\/worksheets\/sheet1\.xml expands \d+× \(limit 100×\), which looks like a zip bomb$/);
    const workbook = basicWorkbook(dir);
    expect(readSourceFile(workbook, { ...UPLOAD_LIMITS, maxUploadBytes: 1000 }).problems.map((p) => p.message)).toEqual(["the workbook is larger than 0 MB, the upload limit"]);
    expect(readSourceFile(workbook, { ...UPLOAD_LIMITS, maxUncompressedBytes: 5000 }).problems.map((p) => p.message)).toEqual(["the workbook is larger than 0 MB once uncompressed, the upload limit"]);
    const notZip = join(dir, "fake.xlsx");
    writeFileSync(notZip, "program_id,name\n");
    expect(readSourceFile(notZip, UPLOAD_LIMITS).problems[0].message).toMatch(/^not an Excel workbook/);
  });
});

describe("the web import's dry run", () => {
  it("reads an uploaded workbook as the import does", async () => {
    const { dryRunBatch } = await import("../../analytics/ops/import-jobs.server.ts");
    const dir = tempDir();
    const workbook = basicWorkbook(dir);
    await withMemoryDatabase(async (db) => {
      const report = await dryRunBatch(db, { id: "x", dir, files: [workbook] } as never);
      expect(report.problems).toEqual([]);
      expect(report.outcome).toBe("dry_run");
      expect(report.rowCounts.find((c) => c.table === "participants")?.after).toBeGreaterThan(0);
    });
  });
});
