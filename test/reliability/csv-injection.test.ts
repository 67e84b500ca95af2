/**
 * Spreadsheet formula injection: every CSV Binôme writes (the report CSV of the CLI and the
 * dashboards' chart downloads; both go through toCsvCell) guards text cells that start with
 * `=`, `+`, `-` or `@`, while numbers stay numbers. Text from an export reaches the CSV.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withMemoryDatabase } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { formatCsv, toCsvCell } from "../../analytics/report/format.ts";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { rowsToCsv } from "../../app/components/ChartFigure.tsx";
import { FIXTURES, exportCopy, removeTempDirs } from "./support/common.ts";

afterAll(removeTempDirs);

const HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"];

/** Parses one CSV line (RFC 4180 quoting) into its cells. */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") out.push(cell), (cell = "");
    else cell += ch;
  }
  out.push(cell);
  return out;
}

/** A cell a spreadsheet would run: starts with = + - @ (or tab/CR then one) and is not a plain number. */
const dangerous = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(cell);

describe("CSV formula injection", () => {
  it("toCsvCell guards text and keeps numbers numbers", () => {
    for (const text of HOSTILE) {
      expect(toCsvCell(text).replace(/^"/, "")).toMatch(/^'/);
    }
    expect(toCsvCell(-12.5)).toBe("-12.5");
    expect(toCsvCell(0)).toBe("0");
    expect(toCsvCell(1e21)).toBe("1e+21");
    expect(toCsvCell("-")).toBe("'-");
    expect(toCsvCell("plain")).toBe("plain");
    expect(toCsvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
  });

  it("the report CSV of a program whose export carries formulas has none left", async () => {
    const dir = exportCopy("basic", {
      "programs.csv": `program_id,name,kind,start_date,end_date,currency\nalpha,"${HOSTILE[0].replaceAll('"', '""')}",intra,2025-01-01,2025-12-31,EUR\n`,
      "organizations.csv": `org_id,name,sector\nORG1,@SUM(A1:A9),Food\nORG2,"+1+cmd",Aerospace\n`,
      "participants.csv": readFileSync(join(FIXTURES, "basic/participants.csv"), "utf8").replaceAll("Lyon", "=1+1").replaceAll("Paris", "-2+3"),
    });
    await withMemoryDatabase(async (db) => {
      const result = await ingestExport(db, [dir]);
      expect(result.outcome, JSON.stringify(result.problems)).toBe("imported");
      const report = await getProgramReport(db, "alpha");
      const csv = formatCsv(report!);
      const all = csv.trimEnd().split("\n").flatMap(cells);
      expect(all.filter(dangerous)).toEqual([]);
      // The name is there, guarded, and the numbers are plain numbers.
      expect(all).toContain(`'${HOSTILE[0]}`);
      expect(csv).toMatch(/^participants,,total,4,false$/m);
    });
  });

  it("the dashboards' chart CSV (rowsToCsv) guards text and keeps numbers", () => {
    const rows = HOSTILE.map((label, i) => ({ label, value: -i - 0.5, count: i }));
    const csv = rowsToCsv(rows, [{ key: "label" }, { key: "value" }, { key: "count" }]);
    const lines = csv.trimEnd().split("\n").map(cells);
    expect(lines[0]).toEqual(["label", "value", "count"]);
    for (const [i, line] of lines.slice(1).entries()) {
      expect(dangerous(line[0]), line[0]).toBe(false);
      expect(line[0].startsWith("'")).toBe(true);
      expect(Number(line[1])).toBe(-i - 0.5);
      expect(line[2]).toBe(String(i));
    }
  });
});
