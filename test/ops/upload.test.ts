import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import {
  BATCH_TTL_MS,
  expireBatches,
  extractZip,
  MAX_NAME_CHARS,
  safeEntryPath,
  safeFileName,
  UploadBudget,
  UploadRefused,
  uploadLimits,
  UPLOAD_LIMITS,
  writeStream,
} from "../../analytics/ops/upload.server.ts";

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

  it("refuses file names with a path, a control character, . or .., or beyond the length limits", () => {
    for (const name of ["../programs.csv", "a/b.csv", "C:\\x\\programs.csv"]) expect(() => safeFileName(name), name).toThrow(/holds “\/” or “\\”/);
    for (const name of ["pro\u0000grams.csv", "pro\ngrams.csv", "pro\u007fgrams.csv"]) expect(() => safeFileName(name), JSON.stringify(name)).toThrow(/control character/);
    for (const name of ["", ".", ".."]) expect(() => safeFileName(name)).toThrow(/unusable name/);
    expect(() => safeFileName("a".repeat(296) + ".csv")).toThrow(new RegExp(`is 300 characters long; the limit is ${MAX_NAME_CHARS} characters`));
    // 100 characters, 300 bytes: within the character limit, beyond what a file system stores.
    expect(() => safeFileName("日".repeat(96) + ".csv")).toThrow(/is 292 bytes long in UTF-8; the limit is 255 bytes/);
    expect(safeFileName("Export OCTAVE janvier 2026 (2).zip")).toBe("Export OCTAVE janvier 2026 (2).zip");
    try {
      safeFileName("x".repeat(300));
    } catch (error) {
      expect((error as UploadRefused).status).toBe(400);
      expect((error as Error).message.length).toBeLessThan(200); // the name is cut in the message
    }
  });

  it("refuses zip entries too long, and a path that is both a file and a folder", () => {
    expect(() => safeEntryPath(`x/${"a".repeat(300)}.csv`, "e.zip")).toThrow(/^Refused e.zip: the entry name “a+…” is 304 characters long; the limit is 120 characters/);
    expect(() => safeEntryPath(`${"d".repeat(100)}/`.repeat(5) + "programs.csv", "e.zip")).toThrow(/path of 517 characters; the limit is 400 characters/);
    const enc = (s: string) => new TextEncoder().encode(s);
    const zips: Record<string, Uint8Array>[] = [{ a: enc("x"), "a/b.csv": enc("y") }, { "a/b.csv": enc("y"), a: enc("x") }, { "x/a": enc("x"), "x/a/b/c.csv": enc("y") }];
    for (const entries of zips) {
      const dir = temp();
      expect(() => extractZip(zipSync(entries, { level: 0 }), "e.zip", dir, new UploadBudget())).toThrow(/“(x\/)?a” is both a file and a folder/);
      expect(readdirSync(dir)).toEqual([]); // refused before anything is written
    }
  });

  it("a file that cannot be created rejects the write (it does not end the process)", async () => {
    const data = async function* () {
      yield text("program_id\n");
    };
    await expect(writeStream(data(), join(temp(), "missing-folder", "programs.csv"), new UploadBudget())).rejects.toThrow(/ENOENT/);
    await expect(writeStream(data(), join(temp(), "y".repeat(300)), new UploadBudget())).rejects.toThrow(/ENAMETOOLONG/);
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

  it("keeps loose files in a batch of the user that only they can open, for 15 minutes", async () => {
    const { openBatch, receiveUpload, removeBatch } = await import("../../analytics/ops/upload.server.ts");
    process.env.BINOME_UPLOAD_DIR = temp();
    const batch = await receiveUpload(request(files("programs.csv", "pairs.csv")), "u1");
    expect(batch.id).toMatch(/^[0-9a-f]{32}$/);
    expect(batch.files.map((f) => f.split("/").pop())).toEqual(["pairs.csv", "programs.csv"]);
    expect(openBatch(batch.id, "u1")?.files).toEqual(batch.files);
    expect(openBatch(batch.id, "someone-else")).toBeNull();
    expect(openBatch("../../etc", "u1")).toBeNull();
    expect(BATCH_TTL_MS).toBe(15 * 60 * 1000);
    expect(openBatch(batch.id, "u1", undefined, Date.now() + 14 * 60 * 1000)).not.toBeNull();
    expect(openBatch(batch.id, "u1", undefined, Date.now() + 16 * 60 * 1000)).toBeNull();
    removeBatch(batch.id);
    expect(openBatch(batch.id, "u1")).toBeNull();
  });

  it("writes the batch's folders 0700 and its files 0600, whatever the umask, and narrows an old 0755 upload folder", async () => {
    const { receiveUpload } = await import("../../analytics/ops/upload.server.ts");
    const root = join(temp(), "uploads");
    process.env.BINOME_UPLOAD_DIR = root;
    const { mkdirSync } = await import("node:fs");
    mkdirSync(root, { mode: 0o755 });
    const previous = process.umask(0o000);
    try {
      const form = files("programs.csv");
      form.append("files", new Blob([zipSync({ "x/pairs.csv": text("pair_id\n") })]), "export.zip");
      const batch = await receiveUpload(request(form), "u1");
      const mode = (path: string) => statSync(path).mode & 0o777;
      expect(mode(root)).toBe(0o700);
      expect(mode(batch.dir)).toBe(0o700);
      expect(mode(join(batch.dir, "files"))).toBe(0o700);
      expect(mode(join(batch.dir, "files", "export"))).toBe(0o700);
      expect(mode(join(batch.dir, "files", "export", "x"))).toBe(0o700);
      expect(mode(join(batch.dir, "meta.json"))).toBe(0o600);
      for (const file of batch.files) expect(mode(file), file).toBe(0o600);
      // The zip itself is gone once extracted: only what the confirm step reads stays.
      expect(existsSync(join(batch.dir, "zips", "export.zip"))).toBe(false);
    } finally {
      process.umask(previous);
    }
  });

  it("expires batches after 15 minutes", async () => {
    const { receiveUpload } = await import("../../analytics/ops/upload.server.ts");
    const root = temp();
    process.env.BINOME_UPLOAD_DIR = root;
    const batch = await receiveUpload(request(files("programs.csv")), "u1");
    expireBatches(root, Date.now() + 14 * 60 * 1000);
    expect(existsSync(batch.dir)).toBe(true);
    expireBatches(root, Date.now() + 16 * 60 * 1000);
    expect(existsSync(batch.dir)).toBe(false);
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
