import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { extractZip, safeEntryPath, UploadBudget, UploadRefused, uploadLimits, UPLOAD_LIMITS } from "../../analytics/ops/upload.server.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), "binome-upload-test-"));
  dirs.push(d);
  return d;
};
const text = (s: string) => new TextEncoder().encode(s);

describe("upload limits", () => {
  it("refuses absolute paths, drive letters and ..", () => {
    expect(() => safeEntryPath("/etc/passwd")).toThrow(/absolute path/);
    expect(() => safeEntryPath("C:\\x\\programs.csv")).toThrow(/absolute path/);
    expect(() => safeEntryPath("export/../../programs.csv")).toThrow(/outside the export/);
    expect(safeEntryPath("./export//programs.csv")).toBe("export/programs.csv");
  });

  it("extracts a zip's files into its folder", () => {
    const dir = temp();
    const names = extractZip(zipSync({ "x/programs.csv": text("program_id\nA\n"), "x/": new Uint8Array(0) }), "e.zip", dir, new UploadBudget());
    expect(names).toEqual(["e.zip/x/programs.csv"]);
    expect(readFileSync(join(dir, "x/programs.csv"), "utf8")).toBe("program_id\nA\n");
  });

  it("refuses a zip bomb (ratio beyond 100×) before inflating it", () => {
    const bomb = zipSync({ "pairs.csv": new Uint8Array(5 * 1024 * 1024) }, { level: 9 });
    expect(() => extractZip(bomb, "bomb.zip", temp(), new UploadBudget())).toThrow(/zip bomb/);
  });

  it("counts files and uncompressed bytes against the limits", () => {
    const budget = new UploadBudget({ ...UPLOAD_LIMITS, maxFiles: 2 });
    const zip = zipSync({ "a.csv": text("a"), "b.csv": text("b"), "c.csv": text("c") }, { level: 0 });
    expect(() => extractZip(zip, "many.zip", temp(), budget)).toThrow(/more than 2 files/);
    const small = new UploadBudget({ ...UPLOAD_LIMITS, maxUncompressedBytes: 10 });
    expect(() => small.addFile(11)).toThrow(UploadRefused);
    const bytes = new UploadBudget({ ...UPLOAD_LIMITS, maxUploadBytes: 10 });
    expect(() => bytes.addUploadBytes(11)).toThrow(/limit per upload/);
  });

  it("reads limits from the environment, defaults otherwise", () => {
    expect(uploadLimits({})).toEqual(UPLOAD_LIMITS);
    expect(uploadLimits({ BINOME_UPLOAD_MAX_MB: "2", BINOME_UPLOAD_MAX_FILES: "x" })).toMatchObject({ maxUploadBytes: 2 * 1024 * 1024, maxFiles: 50 });
  });
});
