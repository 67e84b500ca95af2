import { describe, expect, it } from "vitest";
import { BOM, csvCell, csvDocument, csvLine } from "../../analytics/domain/csv.ts";
import { rowsToCsv } from "../../app/components/ChartFigure.tsx";

/**
 * A minimal RFC 4180 reader (quoted cells may hold the separator, doubled quotes and line
 * breaks), to check that what we write reads back cell for cell.
 */
function readCsv(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) row.push(cell), (cell = "");
    else if (c === "\n") row.push(cell), rows.push(row), (row = []), (cell = "");
    else cell += c;
  }
  if (cell !== "" || row.length > 0) row.push(cell), rows.push(row);
  return rows;
}

const TRICKY = 'Dupont; "Jojo"\net fils, SA';

describe("CSV dialect per language (analytics/domain/csv.ts)", () => {
  it("English: comma, decimal point, no byte-order mark", () => {
    const csv = csvDocument(["name", "value", "n", "flag", "none"], [[TRICKY, -0.25, 1200, true, null]], "en");
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    expect(csv).toBe('name,value,n,flag,none\n"Dupont; ""Jojo""\net fils, SA",-0.25,1200,true,\n');
    expect(readCsv(csv, ",")).toEqual([
      ["name", "value", "n", "flag", "none"],
      [TRICKY, "-0.25", "1200", "true", ""],
    ]);
  });

  it("French: semicolon, decimal comma, UTF-8 byte-order mark", () => {
    const csv = csvDocument(["name", "value", "n", "flag", "none"], [[TRICKY, -0.25, 1200, false, null]], "fr");
    expect(csv.startsWith(BOM)).toBe(true);
    expect(new TextEncoder().encode(csv).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(csv).toBe(`${BOM}name;value;n;flag;none\n"Dupont; ""Jojo""\net fils, SA";-0,25;1200;false;\n`);
    expect(readCsv(csv.slice(1), ";")).toEqual([
      ["name", "value", "n", "flag", "none"],
      [TRICKY, "-0,25", "1200", "false", ""],
    ]);
  });

  it("quotes a cell only when it holds the dialect's separator, a quote or a line break", () => {
    expect(csvCell("a,b", "en")).toBe('"a,b"');
    expect(csvCell("a,b", "fr")).toBe("a,b");
    expect(csvCell("a;b", "en")).toBe("a;b");
    expect(csvCell("a;b", "fr")).toBe('"a;b"');
    expect(csvCell("line\r\nbreak", "fr")).toBe('"line\r\nbreak"');
    expect(csvLine(["x", 1.5, -2.75], "fr")).toBe("x;1,5;-2,75");
    expect(csvLine(["x", 1.5, -2.75], "en")).toBe("x,1.5,-2.75");
  });

  it("keeps numbers numbers and guards formulas in both dialects", () => {
    for (const locale of ["en", "fr"] as const) {
      expect(csvCell(-12.5, locale)).toBe(locale === "fr" ? "-12,5" : "-12.5");
      expect(csvCell(0, locale)).toBe("0");
      expect(csvCell(Number.NaN, locale)).toBe("");
      expect(csvCell(Infinity, locale)).toBe("");
      expect(csvCell("=1+1", locale)).toBe("'=1+1");
      expect(csvCell("-x", locale)).toBe("'-x");
      expect(csvCell("2026-03-01", locale)).toBe("2026-03-01");
    }
    expect(csvCell(1.5e-7, "fr")).toBe("1,5e-7");
    expect(csvCell(1e21, "fr")).toBe("1e+21");
  });

  it("the charts' CSV follows the reader's language, the English one unchanged", () => {
    const rows = [{ group: "Laiteries; Beaumanoir", rate: -0.125, n: 3 }, { group: 'say "hi"\nnow', rate: null, n: 0 }];
    const columns = [{ key: "group" as const }, { key: "rate" as const }, { key: "n" as const }];
    expect(rowsToCsv(rows, columns)).toBe(rowsToCsv(rows, columns, "en"));
    expect(rowsToCsv(rows, columns, "en")).toBe('group,rate,n\nLaiteries; Beaumanoir,-0.125,3\n"say ""hi""\nnow",,0\n');
    expect(rowsToCsv(rows, columns, "fr")).toBe(`${BOM}group;rate;n\n"Laiteries; Beaumanoir";-0,125;3\n"say ""hi""\nnow";;0\n`);
  });
});
