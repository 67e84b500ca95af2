import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve, sep } from "node:path";
import { unzipSync } from "fflate";

/** Limits of one web upload (issue 7); a refusal names the limit it hit. */
export const UPLOAD_LIMITS = {
  maxUploadBytes: 100 * 1024 * 1024,
  maxFiles: 50,
  maxUncompressedBytes: 500 * 1024 * 1024,
  maxCompressionRatio: 100,
} as const;
export type UploadLimits = { [K in keyof typeof UPLOAD_LIMITS]: number };

/**
 * The limits in force: the defaults, lowered or raised by `BINOME_UPLOAD_MAX_MB`,
 * `BINOME_UPLOAD_MAX_FILES` and `BINOME_UPLOAD_MAX_UNCOMPRESSED_MB` (positive numbers).
 */
export function uploadLimits(env: Record<string, string | undefined> = process.env): UploadLimits {
  const read = (name: string, fallback: number, scale: number) => {
    const value = Number(env[name]);
    return env[name] && Number.isFinite(value) && value > 0 ? Math.round(value * scale) : fallback;
  };
  const MB = 1024 * 1024;
  return {
    maxUploadBytes: read("BINOME_UPLOAD_MAX_MB", UPLOAD_LIMITS.maxUploadBytes, MB),
    maxFiles: read("BINOME_UPLOAD_MAX_FILES", UPLOAD_LIMITS.maxFiles, 1),
    maxUncompressedBytes: read("BINOME_UPLOAD_MAX_UNCOMPRESSED_MB", UPLOAD_LIMITS.maxUncompressedBytes, MB),
    maxCompressionRatio: UPLOAD_LIMITS.maxCompressionRatio,
  };
}

/** Uploaded files wait this long for the confirm step, then are removed. */
export const BATCH_TTL_MS = 60 * 60 * 1000;

/** An upload refused before anything was read into the database; the message is for the person. */
export class UploadRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UploadRefused";
  }
}

const BATCH_ID = /^[0-9a-f]{32}$/;

/** Where upload batches live: `BINOME_UPLOAD_DIR`, else a folder in the system's temp dir. */
export function uploadRoot(): string {
  return resolve(process.env.BINOME_UPLOAD_DIR || join(tmpdir(), "binome-uploads"));
}

export interface UploadBatch {
  id: string;
  dir: string;
  /** The export files, as ingestion should read them. */
  files: string[];
}

export interface BatchMeta {
  id: string;
  /** The programs of the export, from its dry run (each gets an undo snapshot at import). */
  programIds?: string[];
  userId: string;
  createdAt: number;
  /** Names as the person sent them (zip entries with their zip's name). */
  names: string[];
  uploadBytes: number;
  uncompressedBytes: number;
}

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/** Refuses a request before reading its body when it says it is larger than the limit. */
export function checkContentLength(request: Request, limits: UploadLimits = uploadLimits()): void {
  const length = Number(request.headers.get("Content-Length") ?? "0");
  if (length > limits.maxUploadBytes) {
    throw new UploadRefused(`The upload is ${mb(length)}; the limit is ${mb(limits.maxUploadBytes)} per upload. Split the export or compress it as a zip.`);
  }
}

/** A new, empty batch folder under a random id (128 bits: the id is also what keeps batches apart). */
export function createBatch(root = uploadRoot()): { id: string; dir: string } {
  expireBatches(root);
  const id = randomBytes(16).toString("hex");
  const dir = join(root, id);
  mkdirSync(join(dir, "files"), { recursive: true });
  return { id, dir };
}

/** Removes batches older than the time-to-live (called at each new upload and by the page). */
export function expireBatches(root = uploadRoot(), now = Date.now(), ttlMs = BATCH_TTL_MS): void {
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    if (!BATCH_ID.test(name)) continue;
    const dir = join(root, name);
    try {
      if (now - statSync(dir).mtimeMs > ttlMs) rmSync(dir, { recursive: true, force: true });
    } catch {
      // Removed by another request meanwhile.
    }
  }
}

export function removeBatch(id: string, root = uploadRoot()): void {
  if (BATCH_ID.test(id)) rmSync(join(root, id), { recursive: true, force: true });
}

/** A batch that exists, belongs to this user and has not expired; null otherwise. */
export function openBatch(id: string, userId: string, root = uploadRoot(), now = Date.now()): (UploadBatch & { meta: BatchMeta }) | null {
  if (!BATCH_ID.test(id)) return null;
  const dir = join(root, id);
  const metaPath = join(dir, "meta.json");
  if (!existsSync(metaPath)) return null;
  const meta = JSON.parse(readFileSync(metaPath, "utf8")) as BatchMeta;
  if (meta.userId !== userId || now - meta.createdAt > BATCH_TTL_MS) return null;
  return { id, dir, files: listFiles(join(dir, "files")), meta };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out.sort();
}

/** A file name as sent by a browser, reduced to a safe base name. */
export function safeFileName(name: string): string {
  const base = basename(name.replace(/\\/g, "/"));
  if (!base || base === "." || base === ".." || /[\u0000-\u001f]/.test(base)) throw new UploadRefused(`Refused a file with an unusable name (${JSON.stringify(name.slice(0, 80))}).`);
  return base;
}

/**
 * Checks a zip entry's path: relative, no `..`, no drive letter. Returns the path to use
 * inside the batch folder.
 */
export function safeEntryPath(name: string): string {
  const normalized = name.replace(/\\/g, "/");
  if (normalized.startsWith("/") || /^[a-zA-Z]:/.test(normalized)) {
    throw new UploadRefused(`Refused the zip: the entry ${JSON.stringify(name.slice(0, 120))} has an absolute path.`);
  }
  const parts = normalized.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.some((p) => p === "..")) throw new UploadRefused(`Refused the zip: the entry ${JSON.stringify(name.slice(0, 120))} points outside the export (“..”).`);
  if (parts.length === 0 || parts.some((p) => /[\u0000-\u001f]/.test(p))) throw new UploadRefused(`Refused the zip: an entry has an unusable name (${JSON.stringify(name.slice(0, 120))}).`);
  return parts.join("/");
}

/** Tracks the limits over one upload (every part, every zip entry). */
export class UploadBudget {
  files = 0;
  uploadBytes = 0;
  uncompressedBytes = 0;
  constructor(readonly limits: UploadLimits = uploadLimits()) {}

  addUploadBytes(n: number): void {
    this.uploadBytes += n;
    if (this.uploadBytes > this.limits.maxUploadBytes) {
      throw new UploadRefused(`The upload is larger than ${mb(this.limits.maxUploadBytes)}, the limit per upload. Split the export or compress it as a zip.`);
    }
  }

  addFile(uncompressed: number): void {
    this.files += 1;
    if (this.files > this.limits.maxFiles) throw new UploadRefused(`The upload holds more than ${this.limits.maxFiles} files, the limit per upload.`);
    this.uncompressedBytes += uncompressed;
    if (this.uncompressedBytes > this.limits.maxUncompressedBytes) {
      throw new UploadRefused(`The upload is larger than ${mb(this.limits.maxUncompressedBytes)} once uncompressed, the limit per upload.`);
    }
  }
}

/**
 * Extracts a zip into `dir`, entry by entry, after checking every entry's path and declared
 * sizes: an absolute path or `..` is refused, so is a compression ratio beyond the limit (a zip
 * bomb). Sizes are checked on the declared values before inflating, and fflate inflates into a
 * buffer of the declared size, so a lying header cannot make it allocate more.
 */
export function extractZip(bytes: Uint8Array, zipName: string, dir: string, budget: UploadBudget): string[] {
  const entries: { path: string; size: number }[] = [];
  let unzipped: Record<string, Uint8Array>;
  try {
    unzipped = unzipSync(bytes, {
      filter(file) {
        if (file.name.endsWith("/")) return false;
        const path = safeEntryPath(file.name);
        if (basename(path).startsWith(".") || path.startsWith("__MACOSX/")) return false;
        const ratio = file.originalSize / Math.max(file.size, 1);
        if (ratio > budget.limits.maxCompressionRatio) {
          throw new UploadRefused(
            `Refused the zip ${zipName}: the entry ${path} expands ${Math.round(ratio)}× (limit ${budget.limits.maxCompressionRatio}×), which looks like a zip bomb.`,
          );
        }
        budget.addFile(file.originalSize);
        entries.push({ path, size: file.originalSize });
        return true;
      },
    });
  } catch (error) {
    if (error instanceof UploadRefused) throw error;
    throw new UploadRefused(`Could not read the zip ${zipName}: ${error instanceof Error ? error.message : String(error)}.`);
  }
  const written: string[] = [];
  for (const [name, content] of Object.entries(unzipped)) {
    const path = safeEntryPath(name);
    const declared = entries.find((e) => e.path === path)?.size;
    if (declared !== undefined && content.byteLength !== declared) throw new UploadRefused(`Refused the zip ${zipName}: the entry ${path} is not the size it declares.`);
    const target = resolve(dir, path);
    if (!target.startsWith(resolve(dir) + sep)) throw new UploadRefused(`Refused the zip ${zipName}: the entry ${path} points outside the export.`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    written.push(`${zipName}/${path}`);
  }
  if (written.length === 0) throw new UploadRefused(`The zip ${zipName} holds no file.`);
  return written;
}

/** Writes a stream of bytes to a file, counting them against the upload limit. */
export async function writeStream(data: AsyncIterable<Uint8Array>, path: string, budget: UploadBudget): Promise<number> {
  const out = createWriteStream(path);
  let size = 0;
  try {
    for await (const chunk of data) {
      size += chunk.byteLength;
      budget.addUploadBytes(chunk.byteLength);
      if (!out.write(chunk)) await new Promise<void>((done) => out.once("drain", () => done()));
    }
  } finally {
    await new Promise<void>((done) => out.end(() => done()));
  }
  return size;
}

export function writeMeta(dir: string, meta: BatchMeta): void {
  writeFileSync(join(dir, "meta.json"), JSON.stringify(meta));
}

/**
 * Receives a multipart upload (field `files`, one or more files or zips) into a new batch,
 * enforcing every limit while the bytes arrive. Nothing reaches the database here.
 */
export async function receiveUpload(request: Request, userId: string, limits: UploadLimits = uploadLimits()): Promise<UploadBatch & { meta: BatchMeta }> {
  checkContentLength(request, limits);
  const { unstable_parseMultipartFormData: parseMultipart } = await import("@remix-run/node");
  const budget = new UploadBudget(limits);
  const { id, dir } = createBatch();
  const names: string[] = [];
  const taken = new Set<string>();
  try {
    await parseMultipart(request, async (part) => {
      if (part.name !== "files" || !part.filename) {
        // Form fields other than files are not expected; drain them within the budget.
        for await (const chunk of part.data) budget.addUploadBytes(chunk.byteLength);
        return undefined;
      }
      const name = safeFileName(part.filename);
      if (taken.has(name.toLowerCase())) throw new UploadRefused(`Two files are named ${name}.`);
      taken.add(name.toLowerCase());
      if (name.toLowerCase().endsWith(".zip")) {
        mkdirSync(join(dir, "zips"), { recursive: true });
        const zipPath = join(dir, "zips", name);
        await writeStream(part.data, zipPath, budget);
        const folder = join(dir, "files", name.replace(/\.zip$/i, "") || "export");
        mkdirSync(folder, { recursive: true });
        names.push(...extractZip(readFileSync(zipPath), name, folder, budget));
        rmSync(zipPath);
      } else {
        const size = await writeStream(part.data, join(dir, "files", name), budget);
        budget.addFile(size);
        names.push(name);
      }
      return name;
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    if (error instanceof UploadRefused) throw error;
    if (error instanceof TypeError) throw new UploadRefused("The request is not a file upload (multipart/form-data).");
    throw error;
  }
  if (names.length === 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new UploadRefused("Choose at least one file (an export zip, or its CSV, Parquet or JSON files).");
  }
  const meta: BatchMeta = { id, userId, createdAt: Date.now(), names, uploadBytes: budget.uploadBytes, uncompressedBytes: budget.uncompressedBytes };
  writeMeta(dir, meta);
  return { id, dir, files: listFiles(join(dir, "files")), meta };
}
