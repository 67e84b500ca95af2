import { randomBytes } from "node:crypto";
import { chmodSync, createWriteStream, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { unzipSync } from "fflate";
import { listFiles } from "./list-files.server.ts";

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

/**
 * Uploaded files wait this long for the confirm step, then are removed (the server sweeps every
 * minute). They may hold names and e-mails: kept no longer than a person needs to read the dry
 * run's report and click "Import now".
 */
export const BATCH_TTL_MS = 15 * 60 * 1000;

/** A file or folder name, as people count it (code points), and as the file system does (bytes). */
export const MAX_NAME_CHARS = 120;
export const MAX_NAME_BYTES = 255;
/** A zip entry's whole path inside the zip. */
export const MAX_ENTRY_PATH_CHARS = 400;

/** Upload files are the server user's only: folders 0700, files 0600, whatever the umask. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * An upload refused before anything was read into the database; the message is for the person.
 * 413 for a size or count limit, 400 for a name or format the server does not take.
 */
export class UploadRefused extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413 = 400,
  ) {
    super(message);
    this.name = "UploadRefused";
  }
}

const BATCH_ID = /^[0-9a-f]{32}$/;

/** Where upload batches live: `BINOME_UPLOAD_DIR`, else a folder in the system's temp dir. */
export function uploadRoot(): string {
  return resolve(process.env.BINOME_UPLOAD_DIR || join(tmpdir(), "binome-uploads"));
}

/**
 * Creates the upload folder (0700), or checks the existing one: a real folder of the server's
 * user (in a shared temp dir, another user could have made it first, or made it a link), then
 * narrows it to 0700 (earlier versions made it 0755).
 */
function ensureRoot(root: string): void {
  mkdirSync(root, { recursive: true, mode: DIR_MODE });
  const stat = lstatSync(root);
  if (!stat.isDirectory()) throw new Error(`The upload folder ${root} is not a folder (a link?): set BINOME_UPLOAD_DIR to a folder of the server's user.`);
  const uid = typeof process.getuid === "function" ? process.getuid() : null;
  if (uid !== null && stat.uid !== uid) throw new Error(`The upload folder ${root} belongs to another user (uid ${stat.uid}): set BINOME_UPLOAD_DIR to a folder of the server's user.`);
  if ((stat.mode & 0o777) !== DIR_MODE) chmodSync(root, DIR_MODE);
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
    throw new UploadRefused(`The upload is ${mb(length)}; the limit is ${mb(limits.maxUploadBytes)} per upload. Split the export or compress it as a zip.`, 413);
  }
}

/** A new, empty batch folder (0700) under a random id (128 bits: the id is also what keeps batches apart). */
export function createBatch(root = uploadRoot()): { id: string; dir: string } {
  ensureRoot(root);
  expireBatches(root);
  const id = randomBytes(16).toString("hex");
  const dir = join(root, id);
  mkdirSync(dir, { mode: DIR_MODE });
  mkdirSync(join(dir, "files"), { mode: DIR_MODE });
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
  let meta: BatchMeta;
  try {
    meta = JSON.parse(readFileSync(metaPath, "utf8")) as BatchMeta;
  } catch {
    return null; // removed meanwhile, or cut short by a crash
  }
  if (meta.userId !== userId || now - meta.createdAt > BATCH_TTL_MS) return null;
  return { id, dir, files: listFiles(join(dir, "files")), meta };
}

/** A name as the refusal shows it: control characters visible, cut at 60 characters. */
function shown(name: string): string {
  const visible = name.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const chars = [...visible];
  return `“${chars.length > 60 ? `${chars.slice(0, 60).join("")}…` : visible}”`;
}

/** Why one file or folder name is unusable, or null. `what` starts the sentence. */
function nameProblem(name: string, what: string): string | null {
  if (/[\u0000-\u001f\u007f]/.test(name)) return `${what} ${shown(name)} holds a control character.`;
  if (name === "" || name === "." || name === "..") return `${what} ${shown(name)} is an unusable name.`;
  const chars = [...name].length;
  if (chars > MAX_NAME_CHARS) return `${what} ${shown(name)} is ${chars} characters long; the limit is ${MAX_NAME_CHARS} characters. Rename it.`;
  const bytes = Buffer.byteLength(name, "utf8");
  if (bytes > MAX_NAME_BYTES) return `${what} ${shown(name)} is ${bytes} bytes long in UTF-8; the limit is ${MAX_NAME_BYTES} bytes. Rename it.`;
  return null;
}

/**
 * A file name as sent by a browser. Remix's multipart parser already keeps only what follows
 * the last `/` or `\` (old browsers sent whole paths); a separator that still reaches here, a
 * control character, `.` or `..`, or a name beyond the limits is refused, never renamed behind
 * the person's back.
 */
export function safeFileName(name: string): string {
  if (/[/\\]/.test(name)) throw new UploadRefused(`The file name ${shown(name)} holds “/” or “\\”: send the files themselves, not a path.`);
  const problem = nameProblem(name, "The file name");
  if (problem) throw new UploadRefused(problem);
  return name;
}

/**
 * Checks a zip entry's path: relative, no `..`, no drive letter, each part a usable name within
 * the limits, the whole path within its limit. Returns the path to use inside the batch folder.
 */
export function safeEntryPath(name: string, zipName = "the zip"): string {
  const refuse = (why: string) => new UploadRefused(`Refused ${zipName}: ${why}`);
  const normalized = name.replace(/\\/g, "/");
  if (normalized.startsWith("/") || /^[a-zA-Z]:/.test(normalized)) throw refuse(`the entry ${shown(name)} has an absolute path.`);
  const parts = normalized.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.some((p) => p === "..")) throw refuse(`the entry ${shown(name)} points outside the export (“..”).`);
  if (parts.length === 0) throw refuse(`an entry has an unusable name (${shown(name)}).`);
  for (const part of parts) {
    const problem = nameProblem(part, "the entry name");
    if (problem) throw refuse(problem);
  }
  const path = parts.join("/");
  const chars = [...path].length;
  if (chars > MAX_ENTRY_PATH_CHARS) throw refuse(`the entry ${shown(path)} has a path of ${chars} characters; the limit is ${MAX_ENTRY_PATH_CHARS} characters.`);
  return path;
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
      throw new UploadRefused(`The upload is larger than ${mb(this.limits.maxUploadBytes)}, the limit per upload. Split the export or compress it as a zip.`, 413);
    }
  }

  addFile(uncompressed: number): void {
    this.files += 1;
    if (this.files > this.limits.maxFiles) throw new UploadRefused(`The upload holds more than ${this.limits.maxFiles} files, the limit per upload.`, 413);
    this.uncompressedBytes += uncompressed;
    if (this.uncompressedBytes > this.limits.maxUncompressedBytes) {
      throw new UploadRefused(`The upload is larger than ${mb(this.limits.maxUncompressedBytes)} once uncompressed, the limit per upload.`, 413);
    }
  }
}

/**
 * Extracts a zip into `dir`, entry by entry, after checking every entry's path and declared
 * sizes: an absolute path, `..`, a name beyond the limits, two entries of one path, or a path
 * that is both a file and a folder (`a` and `a/b.csv`) is refused, so is a compression ratio
 * beyond the limit (a zip bomb). Sizes are checked on the declared values before inflating, and
 * fflate inflates into a buffer of the declared size, so a lying header cannot make it allocate more.
 */
export function extractZip(bytes: Uint8Array, zipName: string, dir: string, budget: UploadBudget): string[] {
  const entries = new Map<string, number>();
  const folders = new Map<string, string>(); // folder path → an entry inside it
  let unzipped: Record<string, Uint8Array>;
  try {
    unzipped = unzipSync(bytes, {
      filter(file) {
        if (file.name.endsWith("/")) return false;
        const path = safeEntryPath(file.name, zipName);
        if (basename(path).startsWith(".") || path.startsWith("__MACOSX/")) return false;
        const ratio = file.originalSize / Math.max(file.size, 1);
        if (ratio > budget.limits.maxCompressionRatio) {
          throw new UploadRefused(
            `Refused the zip ${zipName}: the entry ${path} expands ${Math.round(ratio)}× (limit ${budget.limits.maxCompressionRatio}×), which looks like a zip bomb.`,
            413,
          );
        }
        if (entries.has(path)) throw new UploadRefused(`Refused the zip ${zipName}: it holds two entries named “${path}”.`);
        if (folders.has(path)) throw new UploadRefused(`Refused the zip ${zipName}: “${path}” is both a file and a folder (“${folders.get(path)}”).`);
        const parts = path.split("/");
        for (let i = 1; i < parts.length; i++) {
          const folder = parts.slice(0, i).join("/");
          if (entries.has(folder)) throw new UploadRefused(`Refused the zip ${zipName}: “${folder}” is both a file and a folder (“${path}”).`);
          if (!folders.has(folder)) folders.set(folder, path);
        }
        budget.addFile(file.originalSize);
        entries.set(path, file.originalSize);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof UploadRefused) throw error;
    throw new UploadRefused(`Could not read the zip ${zipName}: ${error instanceof Error ? error.message : String(error)}.`);
  }
  const written: string[] = [];
  for (const [name, content] of Object.entries(unzipped)) {
    const path = safeEntryPath(name, zipName);
    const declared = entries.get(path);
    if (declared !== undefined && content.byteLength !== declared) throw new UploadRefused(`Refused the zip ${zipName}: the entry ${path} is not the size it declares.`);
    const target = resolve(dir, path);
    if (!target.startsWith(resolve(dir) + sep)) throw new UploadRefused(`Refused the zip ${zipName}: the entry ${path} points outside the export.`);
    mkdirSync(dirname(target), { recursive: true, mode: DIR_MODE });
    writeFileSync(target, content, { mode: FILE_MODE, flag: "wx" });
    written.push(`${zipName}/${path}`);
  }
  if (written.length === 0) throw new UploadRefused(`The zip ${zipName} holds no file.`);
  return written;
}

/**
 * Writes a stream of bytes to a new file (0600), counting them against the upload limit. Any
 * error of the file (its name refused by the file system, a full disk) rejects the promise:
 * a write stream's 'error' without a listener would end the process.
 */
export async function writeStream(data: AsyncIterable<Uint8Array>, path: string, budget: UploadBudget): Promise<number> {
  let size = 0;
  await pipeline(
    data,
    async function* (source: AsyncIterable<Uint8Array>) {
      for await (const chunk of source) {
        size += chunk.byteLength;
        budget.addUploadBytes(chunk.byteLength);
        yield chunk;
      }
    },
    createWriteStream(path, { flags: "wx", mode: FILE_MODE }),
  );
  return size;
}

export function writeMeta(dir: string, meta: BatchMeta): void {
  writeFileSync(join(dir, "meta.json"), JSON.stringify(meta), { mode: FILE_MODE });
}

/** Errors of the file system that come from a name it will not store: the person's to fix. */
const NAME_ERRORS = new Set(["ENAMETOOLONG", "EEXIST", "ENOTDIR", "EISDIR", "EILSEQ", "EINVAL"]);

/** A file system error on `name` as a refusal that names the file (not the server's path), or the error itself. */
function asRefusal(error: unknown, name: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (error instanceof UploadRefused || !code || !NAME_ERRORS.has(code)) return error;
  return new UploadRefused(`Could not store ${shown(name)}: the server's file system refuses its name (${code}). Rename the file or the entries of the zip.`);
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
  // Names in the batch's files folder (lower case), each with what it is: loose files and the
  // folders zips are extracted into share it.
  const taken = new Map<string, string>();
  const take = (key: string, what: string) => {
    const other = taken.get(key.toLowerCase());
    if (other?.startsWith("the file ") && what.startsWith("the file ")) throw new UploadRefused(`Two files are named ${key}.`);
    if (other) throw new UploadRefused(`${what[0].toUpperCase()}${what.slice(1)} and ${other} would both be stored as “${key}”: rename one of them.`);
    taken.set(key.toLowerCase(), what);
  };
  try {
    await parseMultipart(request, async (part) => {
      if (part.name !== "files" || !part.filename) {
        // Form fields other than files are not expected; drain them within the budget.
        for await (const chunk of part.data) budget.addUploadBytes(chunk.byteLength);
        return undefined;
      }
      const name = safeFileName(part.filename);
      try {
        if (name.toLowerCase().endsWith(".zip")) {
          const folderName = name.replace(/\.zip$/i, "") || "export";
          take(folderName, `the zip ${name}`);
          mkdirSync(join(dir, "zips"), { recursive: true, mode: DIR_MODE });
          const zipPath = join(dir, "zips", name);
          await writeStream(part.data, zipPath, budget);
          const folder = join(dir, "files", folderName);
          mkdirSync(folder, { mode: DIR_MODE });
          names.push(...extractZip(readFileSync(zipPath), name, folder, budget));
          // The zip itself is not needed any more: only its extracted files wait for the confirm.
          rmSync(zipPath);
        } else {
          take(name, `the file ${name}`);
          const size = await writeStream(part.data, join(dir, "files", name), budget);
          budget.addFile(size);
          names.push(name);
        }
      } catch (error) {
        throw asRefusal(error, name);
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
  try {
    writeMeta(dir, meta);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { id, dir, files: listFiles(join(dir, "files")), meta };
}
