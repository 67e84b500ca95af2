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

describe("receiveUpload", () => {
  const request = (form: FormData) => new Request("http://localhost/admin/imports", { method: "POST", body: form });
  const files = (...names: string[]) => {
    const form = new FormData();
    for (const name of names) form.append("files", new Blob([`${name}\n`]), name);
    return form;
  };

  it("keeps loose files in a batch of the user that only they can open, for an hour", async () => {
    const { openBatch, receiveUpload, removeBatch } = await import("../../analytics/ops/upload.server.ts");
    process.env.BINOME_UPLOAD_DIR = temp();
    const batch = await receiveUpload(request(files("programs.csv", "pairs.csv")), "u1");
    expect(batch.id).toMatch(/^[0-9a-f]{32}$/);
    expect(batch.files.map((f) => f.split("/").pop())).toEqual(["pairs.csv", "programs.csv"]);
    expect(openBatch(batch.id, "u1")?.files).toEqual(batch.files);
    expect(openBatch(batch.id, "someone-else")).toBeNull();
    expect(openBatch("../../etc", "u1")).toBeNull();
    expect(openBatch(batch.id, "u1", undefined, Date.now() + 2 * 60 * 60 * 1000)).toBeNull();
    removeBatch(batch.id);
    expect(openBatch(batch.id, "u1")).toBeNull();
  });

  it("refuses two files of the same name, too many files, and nothing at all", async () => {
    const { receiveUpload } = await import("../../analytics/ops/upload.server.ts");
    process.env.BINOME_UPLOAD_DIR = temp();
    await expect(receiveUpload(request(files("pairs.csv", "PAIRS.csv")), "u1")).rejects.toThrow(/Two files are named/);
    await expect(receiveUpload(request(files("a.csv", "b.csv", "c.csv")), "u1", { ...UPLOAD_LIMITS, maxFiles: 2 })).rejects.toThrow(/more than 2 files/);
    await expect(receiveUpload(request(new FormData()), "u1")).rejects.toThrow();
    const big = new Request("http://localhost/", { method: "POST", body: "x", headers: { "Content-Length": String(200 * 1024 * 1024) } });
    await expect(receiveUpload(big, "u1")).rejects.toThrow(/limit is 100 MB per upload/);
  });
});
