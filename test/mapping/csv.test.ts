import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeText, decodeWindows1252, parseCsv } from "../../analytics/ingest/mapping/csv.ts";
import { parseDate } from "../../analytics/ingest/mapping/transform.ts";

describe("mapped sources: CSV reading", () => {
  it("decodes Windows-1252 as iconv-lite does, every byte", () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(decodeWindows1252(all)).toBe(iconv.decode(all, "win1252"));
    expect(decodeText(iconv.encode("Coûts – 12 € ’", "win1252"))).toEqual({ text: "Coûts – 12 € ’", encoding: "windows-1252" });
    expect(decodeText(Buffer.from("\ufeffa;b", "utf8"))).toEqual({ text: "a;b", encoding: "utf-8" });
    expect(decodeText(Buffer.from([0x61, 0, 0x62]))).toBeNull();
  });

  it("parses records with their physical start lines (quoted line breaks, doubled quotes, CRLF, blank lines)", () => {
    const records: [string[], number][] = [];
    parseCsv('a;b\r\n1;"x\ny"\r\n\r\n2;"say ""hi"""\n3;', ";", (f, l) => {
      records.push([f, l]);
    });
    expect(records).toEqual([
      [["a", "b"], 1],
      [["1", "x\ny"], 2],
      [["2", 'say "hi"'], 5],
      [["3", ""], 6],
    ]);
  });

  it("reads dates in a declared format, refusing impossible ones", () => {
    expect(parseDate("01/10/2025", "DD/MM/YYYY")).toBe("2025-10-01");
    expect(parseDate("10/01/2025", "MM/DD/YYYY")).toBe("2025-10-01");
    expect(parseDate("2025-10-01", "MM/DD/YYYY")).toBe("2025-10-01");
    expect(parseDate("1.3.2025 18:30", "D.M.YYYY")).toBe("2025-03-01");
    expect(parseDate("20251001", "YYYYMMDD")).toBe("2025-10-01");
    expect(parseDate("31/02/2025", "DD/MM/YYYY")).toBeNull();
    expect(parseDate("2025/10/01", "DD/MM/YYYY")).toBeNull();
  });
});
