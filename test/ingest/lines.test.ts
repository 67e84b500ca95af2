import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectDelimiter, splitRecord } from "../../analytics/ingest/files.server.ts";
import { recordAtByte, scanRecordStarts } from "../../analytics/ingest/lines.ts";
import { tempDir } from "./helpers.ts";

describe("physical lines of CSV records", () => {
  it("counts the lines a quoted field spans, skips blank lines and a BOM, handles CRLF", async () => {
    const path = join(tempDir(), "t.csv");
    const text = '\uFEFFa;b\r\n1;"x\r\ny\r\nz"\r\n\r\n2;"q""uote"\r\n3;4';
    writeFileSync(path, text);
    const starts = await scanRecordStarts(path);
    expect(starts.lines).toEqual([1, 2, 6, 7]);
    const third = Buffer.from(text).indexOf("2;");
    expect(starts.offsets[2]).toBe(third);
    // DuckDB reports a record's first byte or the line break before it.
    expect(recordAtByte(starts, third)).toBe(2);
    expect(recordAtByte(starts, third - 1)).toBe(2);
  });
});

describe("CSV header", () => {
  it("finds the delimiter from the header deterministically", () => {
    expect(detectDelimiter("a;b;c")).toBe(";");
    expect(detectDelimiter("a,b,c")).toBe(",");
    expect(detectDelimiter("a\tb\tc")).toBe("\t");
    expect(detectDelimiter('"a;b",c')).toBe(",");
    expect(detectDelimiter("a;b,c")).toBe(";"); // a tie goes to tab, then `;`
    expect(detectDelimiter("single")).toBe(",");
  });

  it("splits a header record honouring quotes", () => {
    expect(splitRecord('a;"b;c";"d""e"', ";")).toEqual(["a", "b;c", 'd"e']);
  });
});
